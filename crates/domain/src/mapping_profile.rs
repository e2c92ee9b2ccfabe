//! Mapping profiles: a saved column mapping, reused for files from the same source.

use crate::{DomainError, Entity, MappingProfileId, clean_name};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// A stored mapping profile: a name and the column mapping corrections that belong to it.
///
/// The domain does not know the mapping's form: the import edge stores it as JSON text (a list
/// of `Header=field` corrections) and reads it back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappingProfile {
    /// The stored id.
    pub id: MappingProfileId,
    /// The name, unique regardless of letter case.
    pub name: String,
    /// The mapping as JSON text.
    pub mapping: String,
    /// When the profile was first saved (UTC).
    pub created_at: NaiveDateTime,
    /// When its mapping was last replaced (UTC).
    pub updated_at: NaiveDateTime,
}

/// Checks and cleans a mapping profile name (see [`clean_name`]).
///
/// # Errors
///
/// [`DomainError::Invalid`] for an empty name or one longer than 100 characters.
///
/// ```
/// assert_eq!(tuonti_domain::clean_profile_name(" Visma  export ")?, "Visma export");
/// assert!(tuonti_domain::clean_profile_name("").is_err());
/// # Ok::<(), tuonti_domain::DomainError>(())
/// ```
pub fn clean_profile_name(name: &str) -> Result<String, DomainError> {
    let cleaned = clean_name(name);
    if cleaned.is_empty() || cleaned.chars().count() > 100 {
        return Err(DomainError::Invalid {
            entity: Entity::MappingProfile,
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
