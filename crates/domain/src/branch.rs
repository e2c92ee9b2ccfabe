//! Branches of business ("toimialat"): what line of business a project is in, a filter in
//! reports. A project's branch is optional.

use crate::{BranchId, DomainError, Entity, ImportBatchId, clean_name};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// A stored branch of business.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branch {
    /// The stored id.
    pub id: BranchId,
    /// The name, unique regardless of letter case.
    pub name: String,
    /// The import batch that created the branch, when an import did.
    pub created_by_batch: Option<ImportBatchId>,
    /// When the branch was created (UTC).
    pub created_at: NaiveDateTime,
}

/// Checks and cleans a branch name (see [`clean_name`]).
///
/// # Errors
///
/// [`DomainError::Invalid`] for an empty name or one longer than 100 characters.
///
/// ```
/// assert_eq!(tuonti_domain::clean_branch_name(" Rakentaminen ")?, "Rakentaminen");
/// assert!(tuonti_domain::clean_branch_name(" ").is_err());
/// # Ok::<(), tuonti_domain::DomainError>(())
/// ```
pub fn clean_branch_name(name: &str) -> Result<String, DomainError> {
    let cleaned = clean_name(name);
    if cleaned.is_empty() || cleaned.chars().count() > 100 {
        return Err(DomainError::Invalid {
            entity: Entity::Branch,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    #[test]
    fn names_are_cleaned_and_limited() {
        assert_eq!(
            clean_branch_name("  Tukku-   ja vähittäiskauppa ").unwrap(),
            "Tukku- ja vähittäiskauppa"
        );
        let too_long = "x".repeat(101);
        let error = clean_branch_name(&too_long).unwrap_err();
        assert!(matches!(
            error,
            DomainError::Invalid {
                entity: Entity::Branch,
                ..
            }
        ));
        assert!(clean_branch_name(&"x".repeat(100)).is_ok());
        assert!(
            clean_branch_name("")
                .unwrap_err()
                .message(Lang::Fi)
                .contains("toimiala")
        );
    }
}
