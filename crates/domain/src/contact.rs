//! Contact persons of companies.

use crate::{CompanyId, ContactId, FieldKey, ImportBatchId};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// The data fields of a contact person, each in its canonical form (the phone E.164 when it
/// could be parsed, the email as written but trimmed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactFields {
    /// First name.
    pub first_name: Option<String>,
    /// Last name (required).
    pub last_name: String,
    /// Title, e.g. "toimitusjohtaja".
    pub title: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Phone number, E.164 when it could be parsed.
    pub phone: Option<String>,
}

impl ContactFields {
    /// The full name as people write it: "Maija Meikäläinen", or the last name alone.
    pub fn full_name(&self) -> String {
        match &self.first_name {
            Some(first) => format!("{first} {}", self.last_name),
            None => self.last_name.clone(),
        }
    }

    /// The value of an optional data field by its catalog key, `None` for keys that are not
    /// optional text fields of a contact.
    pub fn optional_field(&self, key: FieldKey) -> Option<&Option<String>> {
        Some(match key {
            FieldKey::FirstName => &self.first_name,
            FieldKey::Title => &self.title,
            FieldKey::Email => &self.email,
            FieldKey::Phone => &self.phone,
            _ => return None,
        })
    }

    /// Mutable access to an optional data field (see [`ContactFields::optional_field`]).
    pub fn optional_field_mut(&mut self, key: FieldKey) -> Option<&mut Option<String>> {
        Some(match key {
            FieldKey::FirstName => &mut self.first_name,
            FieldKey::Title => &mut self.title,
            FieldKey::Email => &mut self.email,
            FieldKey::Phone => &mut self.phone,
            _ => return None,
        })
    }
}

/// A contact person ("yhteyshenkilö") of a company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// The stored id.
    pub id: ContactId,
    /// The company the person works for.
    pub company_id: CompanyId,
    /// The data fields.
    pub fields: ContactFields,
    /// When the contact was created (UTC).
    pub created_at: NaiveDateTime,
    /// When the contact was last changed (UTC).
    pub updated_at: NaiveDateTime,
    /// The import batch that created the contact, if an import did.
    pub created_by_batch: Option<ImportBatchId>,
    /// The import batch that last changed the contact, if an import did.
    pub updated_by_batch: Option<ImportBatchId>,
}

/// How a contact or project row names its company: by the company's customer number, else its
/// business ID, else its exact name (compared by [`name_key`](crate::name_key)).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CompanyRef {
    /// The company's customer number.
    pub customer_number: Option<String>,
    /// The company's business ID, canonical.
    pub business_id: Option<String>,
    /// The company's name.
    pub name: Option<String>,
}

impl CompanyRef {
    /// Whether the row names no company at all.
    pub fn is_empty(&self) -> bool {
        self.customer_number.is_none() && self.business_id.is_none() && self.name.is_none()
    }
}

impl std::fmt::Display for CompanyRef {
    /// The reference as a message shows it: the key that is tried first.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(number) = &self.customer_number {
            write!(f, "#{number}")
        } else if let Some(id) = &self.business_id {
            f.write_str(id)
        } else if let Some(name) = &self.name {
            write!(f, "{name:?}")
        } else {
            Ok(())
        }
    }
}
