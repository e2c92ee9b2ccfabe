//! Projects of companies: the "project data" of the seed article.

use crate::{
    BranchId, CompanyId, ContactId, DomainError, Entity, ImportBatchId, ProjectId, UserId,
};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where a project stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ProjectStatus {
    /// Offered, not yet won ("tarjous").
    Offer,
    /// In progress ("käynnissä").
    Active,
    /// Paused ("tauolla").
    OnHold,
    /// Done ("valmis").
    Completed,
    /// Lost or cancelled ("peruttu").
    Cancelled,
}

impl ProjectStatus {
    /// The stable name as stored: `offer`, `active`, `on_hold`, `completed`, `cancelled`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProjectStatus::Offer => "offer",
            ProjectStatus::Active => "active",
            ProjectStatus::OnHold => "on_hold",
            ProjectStatus::Completed => "completed",
            ProjectStatus::Cancelled => "cancelled",
        }
    }
}

impl fmt::Display for ProjectStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ProjectStatus {
    type Err = DomainError;

    /// Accepts the stored names and the common Finnish, Swedish and English words.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = crate::name_key(s);
        Ok(match key.as_str() {
            "offer" | "tarjous" | "offert" => ProjectStatus::Offer,
            "active" | "käynnissä" | "aktiivinen" | "pågående" | "aktiv" => {
                ProjectStatus::Active
            }
            "on_hold" | "on hold" | "tauolla" | "pausad" => ProjectStatus::OnHold,
            "completed" | "valmis" | "päättynyt" | "avslutad" | "klar" => {
                ProjectStatus::Completed
            }
            "cancelled" | "peruttu" | "hävitty" | "avbruten" => ProjectStatus::Cancelled,
            _ => {
                return Err(DomainError::Invalid {
                    entity: Entity::Project,
                    field: "status",
                    value: s.to_owned(),
                    reason: Box::new(crate::LocalizedText::new(
                        "odotettiin tarjous, käynnissä, tauolla, valmis tai peruttu",
                        "väntade offert, pågående, pausad, avslutad eller avbruten",
                        "expected offer, active, on_hold, completed or cancelled",
                    )),
                });
            }
        })
    }
}

/// The data fields of a project, each in its canonical form. The company, the project
/// manager, the branch and the contact person are references the importer resolves.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectFields {
    /// The project number from the previous system (the key; text, leading zeros kept).
    pub project_number: String,
    /// The project's name.
    pub name: String,
    /// Where the project stands; `None` when the row leaves it empty (stored as active).
    pub status: Option<ProjectStatus>,
    /// First day.
    pub start_date: Option<NaiveDate>,
    /// Last day.
    pub end_date: Option<NaiveDate>,
    /// The value in euro cents.
    pub value_cents: Option<i64>,
    /// A free-form description.
    pub description: Option<String>,
}

/// A stored project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    /// The stored id.
    pub id: ProjectId,
    /// The customer company.
    pub company_id: CompanyId,
    /// The data fields.
    pub fields: ProjectFields,
    /// The project manager: a user.
    pub project_manager_id: Option<UserId>,
    /// The branch of business.
    pub branch_id: Option<BranchId>,
    /// The customer's contact person.
    pub contact_id: Option<ContactId>,
    /// When the project was created (UTC).
    pub created_at: NaiveDateTime,
    /// When the project was last changed (UTC).
    pub updated_at: NaiveDateTime,
    /// The import batch that created the project, if an import did.
    pub created_by_batch: Option<ImportBatchId>,
    /// The import batch that last changed the project, if an import did.
    pub updated_by_batch: Option<ImportBatchId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_parse_in_three_languages() {
        assert_eq!(
            "Käynnissä".parse::<ProjectStatus>(),
            Ok(ProjectStatus::Active)
        );
        assert_eq!(
            "avslutad".parse::<ProjectStatus>(),
            Ok(ProjectStatus::Completed)
        );
        assert_eq!(
            "on hold".parse::<ProjectStatus>(),
            Ok(ProjectStatus::OnHold)
        );
        assert!("maybe".parse::<ProjectStatus>().is_err());
    }
}
