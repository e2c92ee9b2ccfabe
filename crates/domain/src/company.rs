//! Companies: the customer records an import creates and updates.

use crate::{CompanyId, CompanyTypeId, CustomerGroupId, FieldKey, ImportBatchId, UserId};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// The data fields of a company, each in its canonical form.
///
/// `tuonti-validation` produces these from a row; the canonical forms are: business ID
/// `1234567-8`, VAT number `FI12345678` (or another country's compact form), country ISO 3166
/// alpha-2, phone E.164 when it could be parsed, website with its scheme, e-invoice address
/// compact upper case.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyFields {
    /// The company's name, required.
    pub name: String,
    /// The second line of the name ("nimen jatke").
    pub name_extension: Option<String>,
    /// The Finnish business ID (Y-tunnus), unique when present.
    pub business_id: Option<String>,
    /// The VAT number.
    pub vat_number: Option<String>,
    /// Street address; may hold line feeds.
    pub street_address: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// City or post office.
    pub city: Option<String>,
    /// ISO 3166 alpha-2 country code.
    pub country: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Website URL.
    pub website: Option<String>,
    /// E-invoice address (OVT code or IBAN form).
    pub e_invoice_address: Option<String>,
    /// E-invoice operator (OVT code or BIC).
    pub e_invoice_operator: Option<String>,
    /// The previous system's customer number: text, leading zeros kept, unique when present.
    #[serde(default)]
    pub customer_number: Option<String>,
    /// Free-form notes.
    #[serde(default)]
    pub notes: Option<String>,
}

impl CompanyFields {
    /// The value of an optional data field by its catalog key, `None` for keys that are not
    /// plain text fields of a company (the name and the per-row choices).
    pub fn optional_field(&self, key: FieldKey) -> Option<&Option<String>> {
        Some(match key {
            FieldKey::NameExtension => &self.name_extension,
            FieldKey::BusinessId => &self.business_id,
            FieldKey::VatNumber => &self.vat_number,
            FieldKey::StreetAddress => &self.street_address,
            FieldKey::PostalCode => &self.postal_code,
            FieldKey::City => &self.city,
            FieldKey::Country => &self.country,
            FieldKey::Phone => &self.phone,
            FieldKey::Email => &self.email,
            FieldKey::Website => &self.website,
            FieldKey::EInvoiceAddress => &self.e_invoice_address,
            FieldKey::EInvoiceOperator => &self.e_invoice_operator,
            FieldKey::CustomerNumber => &self.customer_number,
            FieldKey::Notes => &self.notes,
            _ => return None,
        })
    }

    /// Mutable access to an optional data field by its catalog key (see
    /// [`CompanyFields::optional_field`]).
    pub fn optional_field_mut(&mut self, key: FieldKey) -> Option<&mut Option<String>> {
        Some(match key {
            FieldKey::NameExtension => &mut self.name_extension,
            FieldKey::BusinessId => &mut self.business_id,
            FieldKey::VatNumber => &mut self.vat_number,
            FieldKey::StreetAddress => &mut self.street_address,
            FieldKey::PostalCode => &mut self.postal_code,
            FieldKey::City => &mut self.city,
            FieldKey::Country => &mut self.country,
            FieldKey::Phone => &mut self.phone,
            FieldKey::Email => &mut self.email,
            FieldKey::Website => &mut self.website,
            FieldKey::EInvoiceAddress => &mut self.e_invoice_address,
            FieldKey::EInvoiceOperator => &mut self.e_invoice_operator,
            FieldKey::CustomerNumber => &mut self.customer_number,
            FieldKey::Notes => &mut self.notes,
            _ => return None,
        })
    }
}

/// A stored company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Company {
    /// The stored id.
    pub id: CompanyId,
    /// The data fields.
    pub fields: CompanyFields,
    /// The company type (required).
    pub company_type_id: CompanyTypeId,
    /// The customer group, if any.
    pub customer_group_id: Option<CustomerGroupId>,
    /// The account manager: an active user when assigned.
    pub account_manager_id: UserId,
    /// When the company was created (UTC).
    pub created_at: NaiveDateTime,
    /// When the company was last changed (UTC).
    pub updated_at: NaiveDateTime,
    /// The import batch that created the company, if an import did.
    pub created_by_batch: Option<ImportBatchId>,
    /// The import batch that last changed the company, if an import did.
    pub updated_by_batch: Option<ImportBatchId>,
}

/// A company to be stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCompany {
    /// The data fields, canonical.
    pub fields: CompanyFields,
    /// The company type.
    pub company_type_id: CompanyTypeId,
    /// The customer group, if any.
    pub customer_group_id: Option<CustomerGroupId>,
    /// The account manager.
    pub account_manager_id: UserId,
    /// The import batch creating it, if any.
    pub created_by_batch: Option<ImportBatchId>,
}
