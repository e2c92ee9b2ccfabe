//! Company types: Liidi, Kumppani, Kylmä, Asiakas and whatever an admin adds.

use crate::{CompanyTypeId, DomainError, Entity, Lang, clean_name, name_key};
use serde::{Deserialize, Serialize};

/// The names of a company type in Finnish, Swedish and English.
///
/// The Finnish name is required; the others are optional. A name identifies its type in any
/// language: `Asiakas`, `Kund` and `Customer` all mean the same type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyTypeNames {
    /// The Finnish name, required.
    pub fi: String,
    /// The Swedish name.
    pub sv: Option<String>,
    /// The English name.
    pub en: Option<String>,
}

impl CompanyTypeNames {
    /// Checks and cleans the names (see [`clean_name`]); an empty optional name becomes `None`.
    ///
    /// # Errors
    ///
    /// [`DomainError::Invalid`] when the Finnish name is empty or a name is longer than 100
    /// characters.
    pub fn new(fi: &str, sv: Option<&str>, en: Option<&str>) -> Result<Self, DomainError> {
        let check = |field: &'static str, value: &str| -> Result<String, DomainError> {
            let cleaned = clean_name(value);
            if cleaned.chars().count() > 100 {
                return Err(DomainError::Invalid {
                    entity: Entity::CompanyType,
                    field,
                    value: value.to_owned(),
                    reason: Box::new(crate::LocalizedText::new(
                        "enintään 100 merkkiä",
                        "högst 100 tecken",
                        "at most 100 characters",
                    )),
                });
            }
            Ok(cleaned)
        };
        let fi_clean = check("name_fi", fi)?;
        if fi_clean.is_empty() {
            return Err(DomainError::Invalid {
                entity: Entity::CompanyType,
                field: "name_fi",
                value: fi.to_owned(),
                reason: Box::new(crate::LocalizedText::new(
                    "suomenkielinen nimi on pakollinen",
                    "det finska namnet är obligatoriskt",
                    "the Finnish name is required",
                )),
            });
        }
        let optional = |field, value: Option<&str>| -> Result<Option<String>, DomainError> {
            match value {
                Some(value) => Ok(Some(check(field, value)?).filter(|v| !v.is_empty())),
                None => Ok(None),
            }
        };
        Ok(Self {
            fi: fi_clean,
            sv: optional("name_sv", sv)?,
            en: optional("name_en", en)?,
        })
    }

    /// The name in `lang`, falling back to Finnish when that language has none.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fi => &self.fi,
            Lang::Sv => self.sv.as_deref().unwrap_or(&self.fi),
            Lang::En => self.en.as_deref().unwrap_or(&self.fi),
        }
    }

    /// Every name that is set, with its language.
    pub fn iter(&self) -> impl Iterator<Item = (Lang, &str)> {
        [
            (Lang::Fi, Some(self.fi.as_str())),
            (Lang::Sv, self.sv.as_deref()),
            (Lang::En, self.en.as_deref()),
        ]
        .into_iter()
        .filter_map(|(lang, name)| name.map(|name| (lang, name)))
    }

    /// Whether `name` is one of these names in any language, compared by [`name_key`].
    pub fn matches(&self, name: &str) -> bool {
        let key = name_key(name);
        self.iter().any(|(_, own)| name_key(own) == key)
    }
}

/// Finds the first name of `names` that another type already uses, in any language.
///
/// A type is named on the command line and in files by any of its names, so a name must point
/// to one type only: `Partner` may be both the Swedish and English name of one type, but not a
/// name of two types. `except` is the type being renamed (its own names do not clash).
///
/// # Errors
///
/// [`DomainError::Conflict`] naming the clashing name and the other type's name.
pub fn check_type_names_free(
    names: &CompanyTypeNames,
    existing: &[CompanyType],
    except: Option<CompanyTypeId>,
) -> Result<(), DomainError> {
    for other in existing.iter().filter(|other| Some(other.id) != except) {
        for (lang, name) in names.iter() {
            if other.names.matches(name) {
                return Err(DomainError::Conflict {
                    entity: Entity::CompanyType,
                    field: match lang {
                        Lang::Fi => "name_fi",
                        Lang::Sv => "name_sv",
                        Lang::En => "name_en",
                    },
                    value: name.to_owned(),
                    existing: Some(other.names.fi.clone()),
                });
            }
        }
    }
    Ok(())
}

/// A stored company type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyType {
    /// The stored id.
    pub id: CompanyTypeId,
    /// The names in fi/sv/en.
    pub names: CompanyTypeNames,
    /// The position in lists and dropdowns, ascending.
    pub position: i32,
    /// An archived type stays on the companies that have it but is not offered for new ones.
    pub archived: bool,
}

/// One of the company types seeded into a new database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DefaultCompanyType {
    /// Finnish name.
    pub fi: &'static str,
    /// Swedish name.
    pub sv: &'static str,
    /// English name.
    pub en: &'static str,
}

/// The four company types every new database starts with, in their order.
pub const DEFAULT_COMPANY_TYPES: [DefaultCompanyType; 4] = [
    DefaultCompanyType {
        fi: "Liidi",
        sv: "Lead",
        en: "Lead",
    },
    DefaultCompanyType {
        fi: "Kumppani",
        sv: "Partner",
        en: "Partner",
    },
    DefaultCompanyType {
        fi: "Kylmä",
        sv: "Kall",
        en: "Cold",
    },
    DefaultCompanyType {
        fi: "Asiakas",
        sv: "Kund",
        en: "Customer",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_in_any_language() {
        let names = CompanyTypeNames::new("Asiakas", Some("Kund"), Some("Customer")).unwrap();
        assert!(names.matches("asiakas"));
        assert!(names.matches(" KUND "));
        assert!(names.matches("customer"));
        assert!(!names.matches("Liidi"));
    }

    #[test]
    fn finnish_name_is_required_and_empty_optional_names_vanish() {
        assert!(CompanyTypeNames::new("  ", None, None).is_err());
        let names = CompanyTypeNames::new("Toimittaja", Some(""), None).unwrap();
        assert_eq!(names.sv, None);
        assert_eq!(names.get(Lang::En), "Toimittaja");
    }
}
