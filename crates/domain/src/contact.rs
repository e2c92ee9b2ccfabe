//! Contact persons of companies.

use crate::{CompanyId, ContactId, ImportBatchId};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// A contact person ("yhteyshenkilö") of a company.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// The stored id.
    pub id: ContactId,
    /// The company the person works for.
    pub company_id: CompanyId,
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
    /// When the contact was created (UTC).
    pub created_at: NaiveDateTime,
    /// When the contact was last changed (UTC).
    pub updated_at: NaiveDateTime,
    /// The import batch that created the contact, if an import did.
    pub created_by_batch: Option<ImportBatchId>,
    /// The import batch that last changed the contact, if an import did.
    pub updated_by_batch: Option<ImportBatchId>,
}
