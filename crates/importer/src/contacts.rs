//! Listing and exporting stored contact persons with their companies named.

use crate::Result;
use crate::companies::{CompanyName, companies_by_id, find_company};
use crate::paging::{Listing, Page};
use crate::setup::find_user;
use serde::Serialize;
use std::collections::HashMap;
use tuonti_domain::{ContactFields, FieldKey, Lang, RecordKind};
use tuonti_excel_template::{ExportFormat, ExportTable};
use tuonti_persistence::{ContactFilter, Store};

/// Which contacts to list, by names as a user types them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactQuery {
    /// The company: its customer number, business ID or exact name.
    pub company: Option<String>,
    /// The account manager of the contacts' companies: an email or a name.
    pub account_manager: Option<String>,
}

/// A stored contact person with the company named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactView {
    /// The stored id.
    pub id: i64,
    /// The data fields.
    #[serde(flatten)]
    pub fields: ContactFields,
    /// The full name: "Maija Meikäläinen", or the last name alone.
    pub full_name: String,
    /// The company the person works for.
    pub company: CompanyName,
    /// The email of the company's account manager.
    pub account_manager: String,
    /// The import batch that created the contact.
    pub created_by_batch: Option<i64>,
    /// The import batch that last changed it.
    pub updated_by_batch: Option<i64>,
}

/// The contacts that match `query`, ordered by company name, then last and first name: all
/// of them.
///
/// # Errors
///
/// [`tuonti_domain::DomainError::NotFound`] when the named company or manager does not exist;
/// [`crate::Error::AmbiguousCompany`] when several companies have the name given;
/// [`crate::Error::Persistence`] when the database fails.
pub fn list(store: &mut Store, query: &ContactQuery, lang: Lang) -> Result<Vec<ContactView>> {
    Ok(list_page(store, query, None, lang)?.rows)
}

/// The contacts that match `query` in the order of [`list`], only those of `page` when one is
/// given, with how many match in all.
///
/// # Errors
///
/// As [`list`].
pub fn list_page(
    store: &mut Store,
    query: &ContactQuery,
    page: Option<Page>,
    _lang: Lang,
) -> Result<Listing<ContactView>> {
    let filter = ContactFilter {
        company: match &query.company {
            Some(key) => Some(find_company(store, key)?.id),
            None => None,
        },
        account_manager: match &query.account_manager {
            Some(key) => Some(find_user(store, key)?.id),
            None => None,
        },
        created_by_batch: None,
    };
    let contacts = store.contacts_in(&filter, page.map(Page::to_store))?;
    let total = match page {
        Some(_) => store.count_contacts_matching(&filter)?,
        None => contacts.len() as u64,
    };
    let companies = companies_by_id(store, contacts.iter().map(|c| c.company_id))?;
    let emails: HashMap<_, _> = store
        .users()?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect();
    let listing = Listing {
        rows: contacts,
        total,
        page,
    };
    Ok(listing.map(|contact| ContactView {
        id: contact.id.get(),
        full_name: contact.fields.full_name(),
        company: companies
            .get(&contact.company_id)
            .map(CompanyName::from)
            .unwrap_or_default(),
        account_manager: companies
            .get(&contact.company_id)
            .and_then(|company| emails.get(&company.account_manager_id))
            .cloned()
            .unwrap_or_default(),
        created_by_batch: contact.created_by_batch.map(|b| b.get()),
        updated_by_batch: contact.updated_by_batch.map(|b| b.get()),
        fields: contact.fields,
    }))
}

/// Exports the contacts that match `query` to `path` (`.xlsx` or `.csv`) in the template's
/// contact columns with headers in `lang`, so the file imports again as it is (each contact
/// names its company by name, customer number and business ID). Returns how many contacts
/// were written.
///
/// # Errors
///
/// [`tuonti_domain::DomainError::Refused`] for another extension; as [`list`]; an I/O error
/// when the file cannot be written.
pub fn export(
    store: &mut Store,
    query: &ContactQuery,
    lang: Lang,
    path: &std::path::Path,
) -> Result<u64> {
    let format = crate::util::export_format(path)?;
    let (bytes, n_contacts) = export_bytes(store, query, lang, format)?;
    crate::util::write_export(path, &bytes)?;
    Ok(n_contacts)
}

/// The contacts that match `query` as an `.xlsx` or `.csv` file's bytes (see [`export`]),
/// with how many contacts it holds.
///
/// # Errors
///
/// As [`list`]; [`crate::Error::Workbook`] when the file cannot be written.
pub fn export_bytes(
    store: &mut Store,
    query: &ContactQuery,
    lang: Lang,
    format: ExportFormat,
) -> Result<(Vec<u8>, u64)> {
    let contacts = list(store, query, lang)?;
    let kind = RecordKind::Contact;
    let table = ExportTable {
        sheet: kind.sheet_name(lang).into(),
        headers: crate::util::export_headers(kind, lang),
        text_columns: crate::util::export_text_columns(kind),
        rows: contacts
            .iter()
            .map(|contact| {
                kind.fields()
                    .iter()
                    .map(|&field| match field {
                        FieldKey::Name | FieldKey::CustomerNumber | FieldKey::BusinessId => {
                            contact.company.reference(field)
                        }
                        FieldKey::LastName => Some(contact.fields.last_name.clone()),
                        other => contact.fields.optional_field(other).cloned().flatten(),
                    })
                    .collect()
            })
            .collect(),
    };
    let bytes = tuonti_excel_template::export_bytes(&table, format)?;
    Ok((bytes, contacts.len() as u64))
}
