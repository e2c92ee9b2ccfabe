//! The domain's error type: a rule of the domain refused a change.

use crate::{Lang, LocalizedText};
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
        match lang {
            Lang::Fi => match self {
                Entity::User => "käyttäjä",
                Entity::CompanyType => "yritystyyppi",
                Entity::CustomerGroup => "asiakkuusryhmä",
                Entity::Branch => "toimiala",
                Entity::Company => "yritys",
                Entity::Contact => "yhteyshenkilö",
                Entity::Project => "projekti",
                Entity::ImportBatch => "tuontierä",
                Entity::MappingProfile => "sarakeprofiili",
            },
            Lang::Sv => match self {
                Entity::User => "användare",
                Entity::CompanyType => "företagstyp",
                Entity::CustomerGroup => "kundgrupp",
                Entity::Branch => "bransch",
                Entity::Company => "företag",
                Entity::Contact => "kontaktperson",
                Entity::Project => "projekt",
                Entity::ImportBatch => "importomgång",
                Entity::MappingProfile => "kolumnprofil",
            },
            Lang::En => match self {
                Entity::User => "user",
                Entity::CompanyType => "company type",
                Entity::CustomerGroup => "customer group",
                Entity::Branch => "branch of business",
                Entity::Company => "company",
                Entity::Contact => "contact",
                Entity::Project => "project",
                Entity::ImportBatch => "import batch",
                Entity::MappingProfile => "mapping profile",
            },
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
/// `Display` gives the English message; [`DomainError::message`] gives it in Finnish, Swedish
/// or English.
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
        /// What was expected, in every language (`Display` shows the English text); boxed to
        /// keep the error small.
        reason: Box<LocalizedText>,
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
    /// The change is not allowed for another reason, explained in every language (`Display`
    /// shows the English text).
    #[error("{0}")]
    RefusedIn(LocalizedText),
}

fn existing_suffix(existing: &Option<String>, value: &str) -> String {
    match existing {
        Some(existing) if existing != value => format!(" (as {existing:?})"),
        _ => String::new(),
    }
}

impl DomainError {
    /// The message in every language: [`DomainError::message`] in Finnish, Swedish and
    /// English.
    pub fn localized(&self) -> LocalizedText {
        LocalizedText::new(
            self.message(Lang::Fi),
            self.message(Lang::Sv),
            self.message(Lang::En),
        )
    }

    /// The message in `lang`. [`DomainError::Refused`] carries one English text and gives it
    /// in every language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            DomainError::Invalid {
                entity,
                field,
                value,
                reason,
            } => match lang {
                Lang::Fi => format!(
                    "virheellinen arvo {value:?} ({}, kenttä {field}): {}",
                    entity.name(lang),
                    reason.get(lang)
                ),
                Lang::Sv => format!(
                    "ogiltigt värde {value:?} ({}, fält {field}): {}",
                    entity.name(lang),
                    reason.get(lang)
                ),
                Lang::En => self.to_string(),
            },
            DomainError::Conflict {
                entity,
                field,
                value,
                existing,
            } => {
                let existing = match existing {
                    Some(existing) if existing != value => Some(existing),
                    _ => None,
                };
                match lang {
                    Lang::Fi => format!(
                        "{} arvolla {value:?} ({field}) on jo olemassa{}",
                        capitalize(entity.name(lang)),
                        existing
                            .map(|existing| format!(" (muodossa {existing:?})"))
                            .unwrap_or_default()
                    ),
                    Lang::Sv => format!(
                        "Det finns redan {} {} med värdet {value:?} ({field}){}",
                        indefinite_sv(*entity),
                        entity.name(lang),
                        existing
                            .map(|existing| format!(" (i formen {existing:?})"))
                            .unwrap_or_default()
                    ),
                    Lang::En => self.to_string(),
                }
            }
            DomainError::NotFound { entity, key } => match lang {
                Lang::Fi => format!("{} {key:?} ei löydy", capitalize(entity.name(lang))),
                Lang::Sv => format!("{} {key:?} finns inte", capitalize(entity.name(lang))),
                Lang::En => self.to_string(),
            },
            DomainError::InUse {
                entity,
                name,
                companies,
                projects,
            } => match lang {
                Lang::Fi => format!(
                    "{} {name:?} on yhä käytössä: {}; siirrä ne ensin muualle",
                    capitalize(entity.name(lang)),
                    in_use_counts(*companies, *projects, lang)
                ),
                Lang::Sv => format!(
                    "{} {name:?} används ännu av {}; flytta dem först någon annanstans",
                    capitalize(entity.name(lang)),
                    in_use_counts(*companies, *projects, lang)
                ),
                Lang::En => self.to_string(),
            },
            DomainError::MoveToItself { entity, name } => match lang {
                Lang::Fi => format!(
                    "Siirron kohde ei voi olla poistettava {entity_fi} {name:?}; valitse toinen \
                     {entity_fi}",
                    entity_fi = entity.name(lang)
                ),
                Lang::Sv => format!(
                    "Det går inte att flytta till {entity_sv} {name:?}, som tas bort; välj \
                     {another} {entity_sv}",
                    entity_sv = entity.name(lang),
                    another = if indefinite_sv(*entity) == "ett" {
                        "ett annat"
                    } else {
                        "en annan"
                    }
                ),
                Lang::En => self.to_string(),
            },
            DomainError::LastAdmin { email } => match lang {
                Lang::Fi => format!(
                    "{email} on viimeinen aktiivinen pääkäyttäjä; tee ensin toisesta käyttäjästä pääkäyttäjä"
                ),
                Lang::Sv => format!(
                    "{email} är den sista aktiva administratören; gör först en annan användare till administratör"
                ),
                Lang::En => self.to_string(),
            },
            DomainError::Refused(reason) => reason.clone(),
            DomainError::RefusedIn(reason) => reason.get(lang).to_owned(),
        }
    }
}

/// The Swedish indefinite article of an entity's name: "ett företag", "en användare".
fn indefinite_sv(entity: Entity) -> &'static str {
    match entity {
        Entity::Company | Entity::Project => "ett",
        Entity::User
        | Entity::CompanyType
        | Entity::CustomerGroup
        | Entity::Branch
        | Entity::Contact
        | Entity::ImportBatch
        | Entity::MappingProfile => "en",
    }
}

/// "2 companies and 1 project", leaving out a kind none refer to (companies alone when both
/// are zero).
fn in_use_counts(companies: u64, projects: u64, lang: Lang) -> String {
    let (company, companies_word, project, projects_word, and) = match lang {
        Lang::Fi => ("yritys", "yritystä", "projekti", "projektia", "ja"),
        Lang::Sv => ("företag", "företag", "projekt", "projekt", "och"),
        Lang::En => ("company", "companies", "project", "projects", "and"),
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

    /// One error of every variant, each message in every language: present, and Swedish
    /// its own text (only `Refused` carries one English text).
    #[test]
    fn every_variant_speaks_finnish_swedish_and_english() {
        let errors = [
            DomainError::Invalid {
                entity: Entity::User,
                field: "email",
                value: "x".into(),
                reason: Box::new(LocalizedText::new("odotettiin", "väntade", "expected")),
            },
            DomainError::Conflict {
                entity: Entity::Company,
                field: "name",
                value: "Oy".into(),
                existing: Some("OY".into()),
            },
            DomainError::NotFound {
                entity: Entity::ImportBatch,
                key: "7".into(),
            },
            DomainError::InUse {
                entity: Entity::CompanyType,
                name: "Liidi".into(),
                companies: 2,
                projects: 1,
            },
            DomainError::MoveToItself {
                entity: Entity::Project,
                name: "P1".into(),
            },
            DomainError::LastAdmin {
                email: "a@b.fi".into(),
            },
            DomainError::RefusedIn(LocalizedText::new("ei", "nej", "no")),
        ];
        for error in &errors {
            let [fi, sv, en] = Lang::ALL.map(|lang| error.message(lang));
            assert_eq!(en, error.to_string());
            assert!(!fi.is_empty() && !sv.is_empty(), "{error:?}");
            assert_ne!(sv, en, "{error:?}");
            assert_ne!(sv, fi, "{error:?}");
        }
        assert_eq!(
            errors[1].message(Lang::Sv),
            "Det finns redan ett företag med värdet \"Oy\" (name) (i formen \"OY\")"
        );
        assert_eq!(
            errors[3].message(Lang::Sv),
            "Företagstyp \"Liidi\" används ännu av 2 företag och 1 projekt; flytta dem först \
             någon annanstans"
        );
        let names = [
            Entity::User,
            Entity::CompanyType,
            Entity::CustomerGroup,
            Entity::Branch,
            Entity::Company,
            Entity::Contact,
            Entity::Project,
            Entity::ImportBatch,
            Entity::MappingProfile,
        ];
        for entity in names {
            let [fi, sv, en] = Lang::ALL.map(|lang| entity.name(lang));
            assert!(sv != en && sv != fi, "{entity:?}: {fi} / {sv} / {en}");
        }
    }
}
