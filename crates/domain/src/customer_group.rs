//! Customer groups ("asiakkuusryhmät"): a person's or an office's group, a filter in reports.

use crate::{CustomerGroupId, DomainError, Entity, ImportBatchId, clean_name};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// A stored customer group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerGroup {
    /// The stored id.
    pub id: CustomerGroupId,
    /// The name, unique regardless of letter case.
    pub name: String,
    /// The import batch that created the group, when an import did (`--create-groups`).
    pub created_by_batch: Option<ImportBatchId>,
    /// When the group was created (UTC).
    pub created_at: NaiveDateTime,
}

/// Checks and cleans a customer group name (see [`clean_name`]).
///
/// # Errors
///
/// [`DomainError::Invalid`] for an empty name or one longer than 100 characters.
///
/// ```
/// assert_eq!(tuonti_domain::clean_group_name(" Helsinki ")?, "Helsinki");
/// assert!(tuonti_domain::clean_group_name(" ").is_err());
/// # Ok::<(), tuonti_domain::DomainError>(())
/// ```
pub fn clean_group_name(name: &str) -> Result<String, DomainError> {
    let cleaned = clean_name(name);
    if cleaned.is_empty() || cleaned.chars().count() > 100 {
        return Err(DomainError::Invalid {
            entity: Entity::CustomerGroup,
            field: "name",
            value: name.to_owned(),
            reason: Box::new(crate::LocalizedText::new(
                "nimi on pakollinen, 1–100 merkkiä",
                "ett namn på 1–100 tecken är obligatoriskt",
                "a name of 1 to 100 characters is required",
            )),
        });
    }
    Ok(cleaned)
}
