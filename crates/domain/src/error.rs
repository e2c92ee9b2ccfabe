//! The domain's error type: a rule of the domain refused a change.

use crate::Lang;
use std::fmt;

/// The kinds of record the domain knows, for messages that name what was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Entity {
    /// A [`User`](crate::User).
    User,
    /// A [`CompanyType`](crate::CompanyType).
    CompanyType,
    /// A [`CustomerGroup`](crate::CustomerGroup).
    CustomerGroup,
    /// A [`Branch`](crate::Branch) of business.
    Branch,
    /// A [`Company`](crate::Company).
    Company,
    /// A [`Contact`](crate::Contact).
    Contact,
    /// A [`Project`](crate::Project).
    Project,
    /// An [`ImportBatch`](crate::ImportBatch).
    ImportBatch,
    /// A saved column mapping profile.
    MappingProfile,
}

impl Entity {
    /// The entity's name in `lang`, in lower case, for use inside a sentence.
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Entity::User, Lang::Fi) => "käyttäjä",
            (Entity::CompanyType, Lang::Fi) => "yritystyyppi",
            (Entity::CustomerGroup, Lang::Fi) => "asiakkuusryhmä",
            (Entity::Branch, Lang::Fi) => "toimiala",
            (Entity::Company, Lang::Fi) => "yritys",
            (Entity::Contact, Lang::Fi) => "yhteyshenkilö",
            (Entity::Project, Lang::Fi) => "projekti",
            (Entity::ImportBatch, Lang::Fi) => "tuontierä",
            (Entity::MappingProfile, Lang::Fi) => "sarakeprofiili",
            (Entity::User, _) => "user",
            (Entity::CompanyType, _) => "company type",
            (Entity::CustomerGroup, _) => "customer group",
            (Entity::Branch, _) => "branch of business",
            (Entity::Company, _) => "company",
            (Entity::Contact, _) => "contact",
            (Entity::Project, _) => "project",
            (Entity::ImportBatch, _) => "import batch",
            (Entity::MappingProfile, _) => "mapping profile",
        }
    }
}

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name(Lang::En))
    }
}

/// A rule of the domain refused a change. Nothing was changed.
///
/// `Display` gives the English message; [`DomainError::message`] gives it in Finnish too.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DomainError {
    /// A value is not acceptable for a field, e.g. an empty name or a malformed email.
    #[error("invalid {entity} {field} {value:?}: {reason}")]
    Invalid {
        /// What the value was for.
        entity: Entity,
        /// The field, e.g. `email`.
        field: &'static str,
        /// The value as given.
        value: String,
        /// What was expected, in English.
        reason: String,
    },
    /// A value that must be unique is taken, e.g. a user's email in any letter case.
    #[error("a {entity} with {field} {value:?} already exists{}", existing_suffix(.existing, .value))]
    Conflict {
        /// The kind of record.
        entity: Entity,
        /// The unique field, e.g. `email` or `name`.
        field: &'static str,
        /// The value that was asked for.
        value: String,
        /// The value as the existing record spells it, when known.
        existing: Option<String>,
    },
    /// No record answers to the given key.
    #[error("no {entity} {key:?}")]
    NotFound {
        /// The kind of record.
        entity: Entity,
        /// The key that was looked up (an id, name or email).
        key: String,
    },
    /// A record cannot be removed, archived or deactivated while others still refer to it.
    #[error(
        "{entity} {name:?} is still used by {}; move them elsewhere first",
        in_use_counts(*.companies, *.projects, Lang::En)
    )]
    InUse {
        /// The kind of record.
        entity: Entity,
        /// Its name or email.
        name: String,
        /// How many companies refer to it.
        companies: u64,
        /// How many projects refer to it.
        projects: u64,
    },
    /// What refers to a record being removed was to move to that same record.
    #[error("cannot move to {entity} {name:?}, the one being removed; choose another {entity}")]
    MoveToItself {
        /// The kind of record.
        entity: Entity,
        /// Its name.
        name: String,
    },
    /// A change would leave no active admin.
    #[error("{email} is the last active admin; make another user an admin first")]
    LastAdmin {
        /// The admin's email.
        email: String,
    },
    /// The change is not allowed for another reason, explained in English.
    #[error("{0}")]
    Refused(String),
}

fn existing_suffix(existing: &Option<String>, value: &str) -> String {
    match existing {
        Some(existing) if existing != value => format!(" (as {existing:?})"),
        _ => String::new(),
    }
}

impl DomainError {
    /// The message in `lang` (Swedish falls back to English).
    pub fn message(&self, lang: Lang) -> String {
        if lang != Lang::Fi {
            return self.to_string();
        }
        match self {
            DomainError::Invalid {
                entity,
                field,
                value,
                reason,
            } => format!(
                "virheellinen arvo {value:?} ({}, kenttä {field}): {reason}",
                entity.name(Lang::Fi)
            ),
            DomainError::Conflict {
                entity,
                field,
                value,
                existing,
            } => {
                let shown = match existing {
                    Some(existing) if existing != value => format!(" (muodossa {existing:?})"),
                    _ => String::new(),
                };
                format!(
                    "{} arvolla {value:?} ({field}) on jo olemassa{shown}",
                    capitalize(entity.name(Lang::Fi))
                )
            }
            DomainError::NotFound { entity, key } => {
                format!("{} {key:?} ei löydy", capitalize(entity.name(Lang::Fi)))
            }
            DomainError::InUse {
                entity,
                name,
                companies,
                projects,
            } => format!(
                "{} {name:?} on yhä käytössä: {}; siirrä ne ensin muualle",
                capitalize(entity.name(Lang::Fi)),
                in_use_counts(*companies, *projects, Lang::Fi)
            ),
            DomainError::MoveToItself { entity, name } => format!(
                "Siirron kohde ei voi olla poistettava {entity_fi} {name:?}; valitse toinen \
                 {entity_fi}",
                entity_fi = entity.name(Lang::Fi)
            ),
            DomainError::LastAdmin { email } => format!(
                "{email} on viimeinen aktiivinen pääkäyttäjä; tee ensin toisesta käyttäjästä pääkäyttäjä"
            ),
            DomainError::Refused(reason) => reason.clone(),
        }
    }
}

/// "2 companies and 1 project", leaving out a kind none refer to (companies alone when both
/// are zero).
fn in_use_counts(companies: u64, projects: u64, lang: Lang) -> String {
    let (company, companies_word, project, projects_word, and) = match lang {
        Lang::Fi => ("yritys", "yritystä", "projekti", "projektia", "ja"),
        _ => ("company", "companies", "project", "projects", "and"),
    };
    let counted =
        |n: u64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let companies_text = counted(companies, company, companies_word);
    let projects_text = counted(projects, project, projects_word);
    match (companies, projects) {
        (_, 0) => companies_text,
        (0, _) => projects_text,
        _ => format!("{companies_text} {and} {projects_text}"),
    }
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conflict_names_the_value_and_the_existing_spelling() {
        let error = DomainError::Conflict {
            entity: Entity::User,
            field: "email",
            value: "MATTI@EXAMPLE.FI".into(),
            existing: Some("matti@example.fi".into()),
        };
        assert_eq!(
            error.to_string(),
            "a user with email \"MATTI@EXAMPLE.FI\" already exists (as \"matti@example.fi\")"
        );
        assert!(error.message(Lang::Fi).starts_with("Käyttäjä arvolla"));
    }

    #[test]
    fn in_use_counts_are_pluralized() {
        let error = DomainError::InUse {
            entity: Entity::CustomerGroup,
            name: "Helsinki".into(),
            companies: 1,
            projects: 2,
        };
        assert!(error.to_string().contains("1 company and 2 projects"));
        assert!(error.message(Lang::Fi).contains("1 yritys ja 2 projektia"));
    }

    #[test]
    fn move_to_itself_names_the_record_in_both_languages() {
        let error = DomainError::MoveToItself {
            entity: Entity::Branch,
            name: "Kauppa".into(),
        };
        assert_eq!(
            error.to_string(),
            "cannot move to branch of business \"Kauppa\", the one being removed; choose \
             another branch of business"
        );
        assert_eq!(
            error.message(Lang::Fi),
            "Siirron kohde ei voi olla poistettava toimiala \"Kauppa\"; valitse toinen toimiala"
        );
    }

    #[test]
    fn in_use_leaves_out_what_nothing_refers_to() {
        let branch = DomainError::InUse {
            entity: Entity::Branch,
            name: "Rakentaminen".into(),
            companies: 0,
            projects: 1,
        };
        assert_eq!(
            branch.to_string(),
            "branch of business \"Rakentaminen\" is still used by 1 project; \
             move them elsewhere first"
        );
        assert_eq!(
            branch.message(Lang::Fi),
            "Toimiala \"Rakentaminen\" on yhä käytössä: 1 projekti; siirrä ne ensin muualle"
        );
        let group = DomainError::InUse {
            entity: Entity::CustomerGroup,
            name: "Helsinki".into(),
            companies: 12,
            projects: 0,
        };
        assert!(group.to_string().contains("is still used by 12 companies;"));
        assert!(group.message(Lang::Fi).contains("käytössä: 12 yritystä;"));
    }
}
