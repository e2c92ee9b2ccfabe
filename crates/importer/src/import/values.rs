//! Values of linked fields: a column that names a user, a company type, a customer group or a
//! branch holds the old system's words for them ("Liisa", "Asiakkaat", "IT"). The admin maps
//! each distinct value once ([`ValueMappings`]); a value that resolves to nothing is listed
//! once with its row count, its first rows and up to three [`Suggestion`]s
//! ([`UnresolvedValue`]), instead of one identical error per row. Nothing is guessed silently:
//! a suggestion is used only when the admin maps the value to it, or with
//! [`ImportChoices::accept_suggestions`](super::ImportChoices::accept_suggestions) when it is
//! the value's only suggestion ([`AcceptedSuggestion`], a warning per value).

use super::choices::OverrideCache;
use super::kinds::Place;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::str::FromStr;
use tuonti_domain::{DomainError, FieldKey, Lang, Location, name_key};
use tuonti_persistence::Store;

/// A field whose values name a stored record: what a value mapping can map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LinkField {
    /// A company's account manager (a user).
    AccountManager,
    /// A project's manager (a user).
    ProjectManager,
    /// A company's type.
    CompanyType,
    /// A company's customer group.
    CustomerGroup,
    /// A project's branch of business.
    Branch,
    /// A project's status (a word in Finnish, Swedish or English).
    Status,
    /// A company's country (an ISO code or a name).
    Country,
}

impl LinkField {
    /// Every link field.
    pub const ALL: [LinkField; 7] = [
        LinkField::AccountManager,
        LinkField::ProjectManager,
        LinkField::CompanyType,
        LinkField::CustomerGroup,
        LinkField::Branch,
        LinkField::Status,
        LinkField::Country,
    ];

    /// The name in arguments, manifests and JSON: `account_manager`, `project_manager`,
    /// `company_type`, `customer_group`, `branch`, `status`, `country`.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkField::AccountManager => "account_manager",
            LinkField::ProjectManager => "project_manager",
            LinkField::CompanyType => "company_type",
            LinkField::CustomerGroup => "customer_group",
            LinkField::Branch => "branch",
            LinkField::Status => "status",
            LinkField::Country => "country",
        }
    }

    /// The field of the field catalog.
    pub fn field(self) -> FieldKey {
        match self {
            LinkField::AccountManager => FieldKey::AccountManager,
            LinkField::ProjectManager => FieldKey::ProjectManager,
            LinkField::CompanyType => FieldKey::CompanyType,
            LinkField::CustomerGroup => FieldKey::CustomerGroup,
            LinkField::Branch => FieldKey::Branch,
            LinkField::Status => FieldKey::Status,
            LinkField::Country => FieldKey::Country,
        }
    }

    /// The link field of an issue about a value that resolves to nothing (its code is the
    /// field's name and `.unknown`, such as `account_manager.unknown`): such issues are
    /// listed once per value in [`Plan::unresolved_values`](super::Plan::unresolved_values).
    pub fn of_issue(issue: &tuonti_domain::Issue) -> Option<LinkField> {
        Self::of_code(issue.code.as_str())
    }

    /// [`LinkField::of_issue`] by the issue's code alone.
    pub fn of_code(code: &str) -> Option<LinkField> {
        let field = code.strip_suffix(".unknown")?;
        LinkField::ALL
            .into_iter()
            .find(|link| link.as_str() == field)
    }

    /// Whether the field names a user.
    fn names_a_user(self) -> bool {
        matches!(self, LinkField::AccountManager | LinkField::ProjectManager)
    }
}

impl fmt::Display for LinkField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for LinkField {
    type Err = ValueMappingError;

    /// A link field by its name (`account_manager`), with `-` for `_`, or a short name:
    /// `manager`, `type`, `group`.
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "account_manager" | "manager" => Ok(LinkField::AccountManager),
            "project_manager" => Ok(LinkField::ProjectManager),
            "company_type" | "type" => Ok(LinkField::CompanyType),
            "customer_group" | "group" => Ok(LinkField::CustomerGroup),
            "branch" => Ok(LinkField::Branch),
            "status" | "project_status" => Ok(LinkField::Status),
            "country" => Ok(LinkField::Country),
            _ => Err(ValueMappingError::NotALink {
                field: s.trim().to_owned(),
            }),
        }
    }
}

/// A value mapping the admin gave that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValueMappingError {
    /// Not of the form `field:value=target`.
    #[error(
        "value mapping {given:?} is not of the form FIELD:VALUE=TARGET, such as \
         \"account_manager:Liisa=liisa@example.fi\""
    )]
    Malformed {
        /// The mapping as given.
        given: String,
    },
    /// The field does not name stored records.
    #[error(
        "{field:?} is not a field whose values can be mapped; these can: account_manager, \
         project_manager, company_type, customer_group, branch, status, country"
    )]
    NotALink {
        /// The field as given.
        field: String,
    },
    /// The same value mapped to two different targets.
    #[error("{field} value {value:?} is mapped twice: to {first:?} and to {second:?}")]
    Conflict {
        /// The field.
        field: LinkField,
        /// The value.
        value: String,
        /// The first target.
        first: String,
        /// The second target.
        second: String,
    },
    /// The target does not exist or cannot be used.
    #[error("{field} value {value:?} is mapped to {target:?}, which cannot be used: {reason}")]
    Target {
        /// The field.
        field: LinkField,
        /// The value.
        value: String,
        /// The target as given.
        target: String,
        /// Why it cannot be used, in every language (`Display` shows the English text);
        /// boxed to keep the error small.
        reason: Box<tuonti_domain::LocalizedText>,
    },
}

impl ValueMappingError {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Fi => self.message_fi(),
            Lang::Sv => self.message_sv(),
            Lang::En => self.to_string(),
        }
    }

    fn message_fi(&self) -> String {
        match self {
            ValueMappingError::Malformed { given } => format!(
                "arvon kuvaus {given:?} ei ole muotoa KENTTÄ:ARVO=KOHDE, esimerkiksi \
                 \"account_manager:Liisa=liisa@example.fi\""
            ),
            ValueMappingError::NotALink { field } => format!(
                "kentän {field:?} arvoja ei voi kuvata; voi kuvata näiden: account_manager, \
                 project_manager, company_type, customer_group, branch, status, country"
            ),
            ValueMappingError::Conflict {
                field,
                value,
                first,
                second,
            } => format!(
                "kentän {field} arvo {value:?} on kuvattu kahdesti: kohteeseen {first:?} ja \
                 kohteeseen {second:?}"
            ),
            ValueMappingError::Target {
                field,
                value,
                target,
                reason,
            } => format!(
                "kentän {field} arvo {value:?} on kuvattu kohteeseen {target:?}, jota ei voi \
                 käyttää: {}",
                reason.get(Lang::Fi)
            ),
        }
    }

    fn message_sv(&self) -> String {
        match self {
            ValueMappingError::Malformed { given } => format!(
                "värdemappningen {given:?} har inte formen FÄLT:VÄRDE=MÅL, till exempel \
                 \"account_manager:Liisa=liisa@example.fi\""
            ),
            ValueMappingError::NotALink { field } => format!(
                "värdena i fältet {field:?} kan inte mappas; dessa kan: account_manager, \
                 project_manager, company_type, customer_group, branch, status, country"
            ),
            ValueMappingError::Conflict {
                field,
                value,
                first,
                second,
            } => format!(
                "värdet {value:?} i fältet {field} är mappat två gånger: till {first:?} och till \
                 {second:?}"
            ),
            ValueMappingError::Target {
                field,
                value,
                target,
                reason,
            } => format!(
                "värdet {value:?} i fältet {field} är mappat till {target:?}, som inte kan \
                 användas: {}",
                reason.get(Lang::Sv)
            ),
        }
    }
}

/// The admin's mappings of values to stored records, per field: `"Liisa"` of
/// `account_manager` → `liisa@example.fi`. A value matches however its letter case, accents
/// and spaces are written (by its name key). Serialized as
/// `{"account_manager": {"Liisa": "liisa@example.fi"}}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    from = "BTreeMap<LinkField, BTreeMap<String, String>>",
    into = "BTreeMap<LinkField, BTreeMap<String, String>>"
)]
pub struct ValueMappings {
    by_field: BTreeMap<LinkField, BTreeMap<String, String>>,
    /// By field, the name key of each value → its target.
    keys: BTreeMap<LinkField, HashMap<String, String>>,
}

impl From<BTreeMap<LinkField, BTreeMap<String, String>>> for ValueMappings {
    fn from(by_field: BTreeMap<LinkField, BTreeMap<String, String>>) -> Self {
        let mut mappings = ValueMappings::default();
        for (field, values) in by_field {
            for (value, target) in values {
                // A stored mapping was checked when made; a later conflict keeps the first.
                let _ = mappings.insert(field, &value, &target);
            }
        }
        mappings
    }
}

impl From<ValueMappings> for BTreeMap<LinkField, BTreeMap<String, String>> {
    fn from(mappings: ValueMappings) -> Self {
        mappings.by_field
    }
}

impl ValueMappings {
    /// No mappings.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether there are no mappings.
    pub fn is_empty(&self) -> bool {
        self.by_field.values().all(BTreeMap::is_empty)
    }

    /// Maps `value` of `field` to `target` (an email or name of a user, a type's, group's or
    /// branch's name). Mapping a value again to the same target is no change.
    ///
    /// # Errors
    ///
    /// [`ValueMappingError::Malformed`] for an empty value or target;
    /// [`ValueMappingError::Conflict`] when the value is mapped to another target already.
    pub fn insert(
        &mut self,
        field: LinkField,
        value: &str,
        target: &str,
    ) -> std::result::Result<(), ValueMappingError> {
        let (value, target) = (value.trim(), target.trim());
        if value.is_empty() || target.is_empty() {
            return Err(ValueMappingError::Malformed {
                given: format!("{field}:{value}={target}"),
            });
        }
        let key = name_key(value);
        let keys = self.keys.entry(field).or_default();
        if let Some(first) = keys.get(&key) {
            if name_key(first) == name_key(target) {
                return Ok(());
            }
            return Err(ValueMappingError::Conflict {
                field,
                value: value.to_owned(),
                first: first.clone(),
                second: target.to_owned(),
            });
        }
        keys.insert(key, target.to_owned());
        self.by_field
            .entry(field)
            .or_default()
            .insert(value.to_owned(), target.to_owned());
        Ok(())
    }

    /// Adds a mapping given as `FIELD:VALUE=TARGET` (the command line's `--value`).
    ///
    /// # Errors
    ///
    /// As [`ValueMappings::insert`], and [`ValueMappingError::NotALink`] for a field whose
    /// values name nothing stored.
    pub fn insert_arg(&mut self, given: &str) -> std::result::Result<(), ValueMappingError> {
        let malformed = || ValueMappingError::Malformed {
            given: given.to_owned(),
        };
        let (field, rest) = given.split_once(':').ok_or_else(malformed)?;
        let (value, target) = rest.split_once('=').ok_or_else(malformed)?;
        self.insert(field.parse()?, value, target)
    }

    /// The target `value` of `field` is mapped to, if any.
    pub fn target(&self, field: LinkField, value: &str) -> Option<&str> {
        let keys = self.keys.get(&field)?;
        if keys.is_empty() {
            return None;
        }
        keys.get(&name_key(value)).map(String::as_str)
    }

    /// Every mapping: field, value as given, target.
    pub fn iter(&self) -> impl Iterator<Item = (LinkField, &str, &str)> {
        self.by_field.iter().flat_map(|(field, values)| {
            values
                .iter()
                .map(move |(value, target)| (*field, value.as_str(), target.as_str()))
        })
    }

    /// These mappings with `over`'s on top: a value `over` maps is mapped as `over` says.
    pub fn overridden_by(&self, over: &ValueMappings) -> ValueMappings {
        if over.is_empty() {
            return self.clone();
        }
        let mut merged = over.clone();
        for (field, value, target) in self.iter() {
            if merged.target(field, value).is_none() {
                // Cannot conflict: the value is not in `merged`.
                let _ = merged.insert(field, value, target);
            }
        }
        merged
    }

    /// Checks that every target names a usable record: an active user, a company type not
    /// archived, a customer group or branch that exists (or will be created, when the import
    /// creates them).
    ///
    /// # Errors
    ///
    /// [`Error::ValueMapping`] with [`ValueMappingError::Target`] for the first that does not.
    pub fn check_targets(
        &self,
        store: &mut Store,
        create_groups: bool,
        create_branches: bool,
    ) -> Result<()> {
        let mut cache = OverrideCache::default();
        for (field, value, target) in self.iter() {
            let found = match field {
                LinkField::AccountManager | LinkField::ProjectManager => {
                    cache.manager(store, target)?.map(drop)
                }
                LinkField::CompanyType => cache.company_type(store, target)?.map(drop),
                LinkField::CustomerGroup => cache.group(store, target, create_groups)?.map(drop),
                LinkField::Branch => cache.branch(store, target, create_branches)?.map(drop),
                LinkField::Status => target
                    .parse::<tuonti_domain::ProjectStatus>()
                    .map(drop)
                    .map_err(|_| {
                        DomainError::RefusedIn(tuonti_domain::LocalizedText::new(
                            format!("{target:?} ei ole projektin tila"),
                            format!("{target:?} är ingen projektstatus"),
                            format!("{target:?} is not a project status"),
                        ))
                    }),
                LinkField::Country => tuonti_validation::find_country(target)
                    .map(drop)
                    .ok_or_else(|| {
                        DomainError::RefusedIn(tuonti_domain::LocalizedText::new(
                            format!("maata {target:?} ei tunneta"),
                            format!("landet {target:?} är okänt"),
                            format!("no country {target:?}"),
                        ))
                    }),
            };
            if let Err(error) = found {
                return Err(Error::ValueMapping(ValueMappingError::Target {
                    field,
                    value: value.to_owned(),
                    target: target.to_owned(),
                    reason: Box::new(error.localized()),
                }));
            }
        }
        Ok(())
    }
}

/// Why a value was suggested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SuggestionReason {
    /// The value is the user's first name.
    FirstName,
    /// The value is the user's last name.
    LastName,
    /// The value is the user's initials.
    Initials,
    /// The value is the local part of the user's email, or a part of it.
    EmailLocalPart,
    /// The value is how the name begins.
    Prefix,
    /// The value is spelled like the name.
    Spelling,
}

impl SuggestionReason {
    /// Why, in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        let (fi, sv, en) = match self {
            SuggestionReason::FirstName => ("etunimi", "förnamn", "first name"),
            SuggestionReason::LastName => ("sukunimi", "efternamn", "last name"),
            SuggestionReason::Initials => ("nimikirjaimet", "initialer", "initials"),
            SuggestionReason::EmailLocalPart => ("sähköpostin alku", "e-postens början", "email"),
            SuggestionReason::Prefix => ("nimen alku", "namnets början", "beginning of the name"),
            SuggestionReason::Spelling => (
                "samankaltainen kirjoitusasu",
                "liknande stavning",
                "similar spelling",
            ),
        };
        match lang {
            Lang::Fi => fi,
            Lang::Sv => sv,
            Lang::En => en,
        }
    }
}

/// A stored record a value may mean.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    /// What to map the value to: a user's email, a type's, group's or branch's name.
    pub target: String,
    /// How it is shown: a user's name and email, or the name.
    pub label: String,
    /// Why it is suggested.
    pub reason: SuggestionReason,
}

/// A value of a linked field that resolves to nothing, listed once for all its rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnresolvedValue {
    /// The field.
    pub field: LinkField,
    /// The value as the first row wrote it.
    pub value: String,
    /// Why it resolves to nothing, in English (the rows' issues say it in every language).
    pub reason: String,
    /// How many rows hold it.
    pub rows: u64,
    /// Where the first rows hold it (file, sheet, row, column).
    pub first_rows: Vec<Location>,
    /// Up to three records it may mean, the likeliest first.
    pub suggestions: Vec<Suggestion>,
}

/// A value read as its only suggestion (`accept_suggestions`): a warning per value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptedSuggestion {
    /// The field.
    pub field: LinkField,
    /// The value as the first row wrote it.
    pub value: String,
    /// The suggestion used.
    pub suggestion: Suggestion,
    /// How many rows hold it.
    pub rows: u64,
}

/// How many first rows an [`UnresolvedValue`] keeps.
pub const FIRST_ROWS: usize = 5;
/// How many suggestions a value gets at most.
pub const MAX_SUGGESTIONS: usize = 3;

/// One distinct value that did not resolve.
#[derive(Debug)]
struct Entry {
    value: String,
    reason: String,
    rows: u64,
    first_rows: Vec<Location>,
    suggestions: Vec<Suggestion>,
    accepted_rows: u64,
    /// The parts (sheets of files) whose rows were read as the suggestion.
    accepted_parts: BTreeSet<u32>,
}

/// An accepted suggestion with the parts (sheets of files) whose rows used it.
#[derive(Debug)]
pub(crate) struct Accepted {
    pub(crate) suggestion: AcceptedSuggestion,
    pub(crate) parts: BTreeSet<u32>,
}

/// The candidates suggestions are drawn from, loaded once per import when first needed.
#[derive(Debug, Default)]
struct Candidates {
    /// Active users: (display name, email).
    users: Option<Vec<(String, String)>>,
    /// Names of each kind: every name of a type (fi, sv, en), of a group, of a branch.
    types: Option<Vec<(String, String)>>,
    groups: Option<Vec<(String, String)>>,
    branches: Option<Vec<(String, String)>>,
}

/// The values of linked fields that resolved to nothing, and the suggestions accepted, over
/// an import: each distinct value once (by field and name key).
#[derive(Debug, Default)]
pub(crate) struct ValueResolver {
    accept_suggestions: bool,
    entries: HashMap<(LinkField, String), Entry>,
    order: Vec<(LinkField, String)>,
    candidates: Candidates,
}

impl ValueResolver {
    pub(crate) fn new(accept_suggestions: bool) -> Self {
        Self {
            accept_suggestions,
            ..Self::default()
        }
    }

    /// Resolves the value `text` of `field` on row `row` of `place`: mapped by the file's
    /// value mappings first, then looked up by `look` (the import's cached lookups). A value
    /// that resolves to nothing is counted (with its cell) and, when suggestions are accepted
    /// and it has exactly one, read as that one.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn resolve<T>(
        &mut self,
        store: &mut Store,
        cache: &mut OverrideCache,
        place: &Place<'_>,
        row: u32,
        field: LinkField,
        text: &str,
        mut look: impl FnMut(
            &mut OverrideCache,
            &mut Store,
            &str,
        ) -> Result<std::result::Result<T, DomainError>>,
    ) -> Result<std::result::Result<T, DomainError>> {
        let mapped = place.defaults.values.target(field, text);
        let error = match look(cache, store, mapped.unwrap_or(text))? {
            Ok(found) => return Ok(Ok(found)),
            Err(error) => error,
        };
        if mapped.is_some() {
            // A mapped target was checked before the import; it failed since (a user made
            // inactive meanwhile): the row's error says why.
            return Ok(Err(error));
        }
        let key = (field, name_key(text));
        if !self.entries.contains_key(&key) {
            let suggestions = self.suggest(store, field, text)?;
            self.order.push(key.clone());
            self.entries.insert(
                key.clone(),
                Entry {
                    value: text.trim().to_owned(),
                    reason: error.to_string(),
                    rows: 0,
                    first_rows: Vec::new(),
                    suggestions,
                    accepted_rows: 0,
                    accepted_parts: BTreeSet::new(),
                },
            );
        }
        let entry = self.entries.get_mut(&key).expect("inserted above");
        if self.accept_suggestions
            && let [only] = entry.suggestions.as_slice()
            && let Ok(found) = look(cache, store, &only.target)?
        {
            entry.accepted_rows += 1;
            entry.accepted_parts.insert(place.part);
            return Ok(Ok(found));
        }
        entry.rows += 1;
        if entry.first_rows.len() < FIRST_ROWS {
            entry.first_rows.push(place.field_cell(row, field.field()));
        }
        Ok(Err(error))
    }

    /// A value of a column the validator checks against a fixed list (a project's status, a
    /// company's country) that it did not know, on row `row` of `place`: the text to validate
    /// instead (the file's mapping of it, or with accepted suggestions its only one), or
    /// `None` (counted as unresolved).
    pub(crate) fn fixed_list_value(
        &mut self,
        place: &Place<'_>,
        row: u32,
        field: LinkField,
        text: &str,
    ) -> Option<String> {
        if let Some(target) = place.defaults.values.target(field, text) {
            return Some(target.to_owned());
        }
        let key = (field, name_key(text));
        let entry = self.entries.entry(key.clone()).or_insert_with(|| {
            self.order.push(key);
            Entry {
                value: text.trim().to_owned(),
                reason: match field {
                    LinkField::Status => format!("{:?} is not a project status", text.trim()),
                    _ => format!("no country {:?}", text.trim()),
                },
                rows: 0,
                first_rows: Vec::new(),
                suggestions: suggest_fixed(field, text),
                accepted_rows: 0,
                accepted_parts: BTreeSet::new(),
            }
        });
        if self.accept_suggestions
            && let [only] = entry.suggestions.as_slice()
        {
            entry.accepted_rows += 1;
            entry.accepted_parts.insert(place.part);
            return Some(only.target.clone());
        }
        entry.rows += 1;
        if entry.first_rows.len() < FIRST_ROWS {
            entry.first_rows.push(place.field_cell(row, field.field()));
        }
        None
    }

    /// The values that resolved to nothing, in the order first met, and the suggestions
    /// accepted.
    pub(crate) fn finish(self) -> (Vec<UnresolvedValue>, Vec<Accepted>) {
        let mut entries = self.entries;
        let mut unresolved = Vec::new();
        let mut accepted = Vec::new();
        for key in self.order {
            let Some(entry) = entries.remove(&key) else {
                continue;
            };
            if entry.accepted_rows > 0 {
                accepted.push(Accepted {
                    suggestion: AcceptedSuggestion {
                        field: key.0,
                        value: entry.value.clone(),
                        suggestion: entry.suggestions[0].clone(),
                        rows: entry.accepted_rows,
                    },
                    parts: entry.accepted_parts,
                });
            }
            if entry.rows > 0 {
                unresolved.push(UnresolvedValue {
                    field: key.0,
                    value: entry.value,
                    reason: entry.reason,
                    rows: entry.rows,
                    first_rows: entry.first_rows,
                    suggestions: entry.suggestions,
                });
            }
        }
        (unresolved, accepted)
    }

    /// Up to [`MAX_SUGGESTIONS`] records `text` of `field` may mean.
    fn suggest(
        &mut self,
        store: &mut Store,
        field: LinkField,
        text: &str,
    ) -> Result<Vec<Suggestion>> {
        if field.names_a_user() {
            if self.candidates.users.is_none() {
                let users = store
                    .users()?
                    .into_iter()
                    .filter(|user| user.can_manage_accounts())
                    .map(|user| (user.display_name, user.email))
                    .collect();
                self.candidates.users = Some(users);
            }
            return Ok(suggest_users(
                self.candidates.users.as_deref().unwrap_or_default(),
                text,
            ));
        }
        let slot = match field {
            LinkField::CompanyType => &mut self.candidates.types,
            LinkField::CustomerGroup => &mut self.candidates.groups,
            _ => &mut self.candidates.branches,
        };
        if slot.is_none() {
            let names: Vec<(String, String)> = match field {
                LinkField::CompanyType => store
                    .company_types(false)?
                    .into_iter()
                    .flat_map(|kind| {
                        let fi = kind.names.fi.clone();
                        [Some(kind.names.fi), kind.names.sv, kind.names.en]
                            .into_iter()
                            .flatten()
                            .map(move |name| (name, fi.clone()))
                    })
                    .collect(),
                LinkField::CustomerGroup => store
                    .customer_groups()?
                    .into_iter()
                    .map(|group| (group.name.clone(), group.name))
                    .collect(),
                _ => store
                    .branches()?
                    .into_iter()
                    .map(|branch| (branch.name.clone(), branch.name))
                    .collect(),
            };
            *slot = Some(names);
        }
        Ok(suggest_names(slot.as_deref().unwrap_or_default(), text))
    }
}

/// What a status or country `text` may be: a status word or a country's name (in any
/// language) or code that begins like it or is spelled like it.
fn suggest_fixed(field: LinkField, text: &str) -> Vec<Suggestion> {
    let names: Vec<(String, String)> = match field {
        LinkField::Status => tuonti_validation::status_words()
            .map(|(_, word)| (word.to_owned(), word.to_owned()))
            .collect(),
        _ => tuonti_validation::countries()
            .iter()
            .flat_map(|country| {
                let target = format!("{} ({})", country.name_fi, country.alpha2);
                country
                    .names()
                    .filter(|name| name.chars().count() > 3)
                    .map(move |name| (name.to_owned(), target.clone()))
            })
            .collect(),
    };
    let mut suggestions = suggest_names(&names, text);
    if field == LinkField::Country {
        // The target is the code; the label names the country.
        for suggestion in &mut suggestions {
            if let Some(code) = suggestion
                .label
                .rsplit_once('(')
                .map(|(_, code)| code.trim_end_matches(')').to_owned())
            {
                suggestion.target = code;
            }
        }
    }
    suggestions
}

/// Similar enough to suggest: Jaro-Winkler similarity of the name keys.
const SIMILAR: f64 = 0.88;

/// Users `text` may mean: their first name, their last name, initials, an email's local
/// part or a part of it, similar spelling of the name or the email's local part. `users` are
/// (display name, email).
pub fn suggest_users(users: &[(String, String)], text: &str) -> Vec<Suggestion> {
    let wanted = name_key(text);
    if wanted.is_empty() {
        return Vec::new();
    }
    let words: Vec<Vec<String>> = users
        .iter()
        .map(|(name, _)| name_key(name).split(' ').map(str::to_owned).collect())
        .collect();
    let mut found: Vec<(SuggestionReason, usize, f64)> = Vec::new();
    // Every user with that first (last) name: a name two users share gives two suggestions,
    // so it is never taken as the only one.
    for (i, user_words) in words.iter().enumerate() {
        if user_words.len() > 1 && user_words.first() == Some(&wanted) {
            found.push((SuggestionReason::FirstName, i, 1.0));
        }
        if user_words.len() > 1 && user_words.last() == Some(&wanted) {
            found.push((SuggestionReason::LastName, i, 1.0));
        }
    }
    let compact: String = wanted.chars().filter(|c| c.is_alphanumeric()).collect();
    if (2..=4).contains(&compact.chars().count()) {
        for (i, user_words) in words.iter().enumerate() {
            let initials: String = user_words.iter().filter_map(|w| w.chars().next()).collect();
            if user_words.len() > 1 && initials == compact {
                found.push((SuggestionReason::Initials, i, 1.0));
            }
        }
    }
    for (i, (_, email)) in users.iter().enumerate() {
        let local = name_key(email.split('@').next().unwrap_or_default());
        let parts: Vec<&str> = local
            .split(|c: char| !c.is_alphanumeric())
            .filter(|part| !part.is_empty())
            .collect();
        if local == wanted || compact == local.replace(|c: char| !c.is_alphanumeric(), "") {
            found.push((SuggestionReason::EmailLocalPart, i, 1.0));
        } else if parts.len() > 1 && parts.contains(&wanted.as_str()) {
            found.push((SuggestionReason::EmailLocalPart, i, 0.9));
        } else {
            let score = strsim::jaro_winkler(&wanted, &local);
            if score >= SIMILAR {
                found.push((SuggestionReason::Spelling, i, score));
            }
        }
    }
    for (i, user_words) in words.iter().enumerate() {
        let score = strsim::jaro_winkler(&wanted, &user_words.join(" "));
        if score >= SIMILAR {
            found.push((SuggestionReason::Spelling, i, score));
        }
    }
    ranked(found, |i| {
        let (name, email) = &users[i];
        (email.clone(), format!("{name} <{email}>"))
    })
}

/// Names `text` may mean: the beginning of a name, or similar spelling. `names` are (a name
/// in any language, the target to map to).
pub fn suggest_names(names: &[(String, String)], text: &str) -> Vec<Suggestion> {
    let wanted = name_key(text);
    if wanted.is_empty() {
        return Vec::new();
    }
    let mut found = Vec::new();
    for (i, (name, _)) in names.iter().enumerate() {
        let key = name_key(name);
        if wanted.chars().count() >= 3 && (key.starts_with(&wanted) || wanted.starts_with(&key)) {
            found.push((SuggestionReason::Prefix, i, 0.95));
        } else {
            let score = strsim::jaro_winkler(&wanted, &key);
            if score >= SIMILAR {
                found.push((SuggestionReason::Spelling, i, score));
            }
        }
    }
    ranked(found, |i| (names[i].1.clone(), names[i].1.clone()))
}

/// The best [`MAX_SUGGESTIONS`] distinct targets: by reason (exact kinds first), then score.
/// Similar spellings are suggested only when nothing matches exactly (a first name, an
/// email, the beginning of a name): "Mattila" is Maija Mattila's last name, not a misspelled
/// "Matti".
fn ranked(
    mut found: Vec<(SuggestionReason, usize, f64)>,
    describe: impl Fn(usize) -> (String, String),
) -> Vec<Suggestion> {
    if found
        .iter()
        .any(|(reason, ..)| *reason != SuggestionReason::Spelling)
    {
        found.retain(|(reason, ..)| *reason != SuggestionReason::Spelling);
    }
    found.sort_by(|a, b| a.0.cmp(&b.0).then(b.2.total_cmp(&a.2)));
    let mut suggestions: Vec<Suggestion> = Vec::new();
    for (reason, i, _) in found {
        let (target, label) = describe(i);
        if suggestions.iter().any(|s| s.target == target) {
            continue;
        }
        suggestions.push(Suggestion {
            target,
            label,
            reason,
        });
        if suggestions.len() == MAX_SUGGESTIONS {
            break;
        }
    }
    suggestions
}

#[cfg(test)]
mod tests {
    use super::*;

    fn users() -> Vec<(String, String)> {
        [
            ("Liisa Virtanen", "liisa.virtanen@example.fi"),
            ("Matti Meikäläinen", "matti@example.fi"),
            ("Maija Mattila", "maija.mattila@example.fi"),
            ("Liisa Laine", "llaine@example.fi"),
        ]
        .into_iter()
        .map(|(name, email)| (name.to_owned(), email.to_owned()))
        .collect()
    }

    fn targets(suggestions: &[Suggestion]) -> Vec<(&str, SuggestionReason)> {
        suggestions
            .iter()
            .map(|s| (s.target.as_str(), s.reason))
            .collect()
    }

    #[test]
    fn a_first_name_is_suggested_and_a_shared_one_gives_every_user_with_it() {
        let matti = suggest_users(&users(), "Matti");
        assert_eq!(
            targets(&matti),
            [("matti@example.fi", SuggestionReason::FirstName)]
        );
        // Two users are Liisa: both are suggested, so neither is the only suggestion.
        let liisa = suggest_users(&users(), "liisa");
        assert_eq!(
            targets(&liisa),
            [
                ("liisa.virtanen@example.fi", SuggestionReason::FirstName),
                ("llaine@example.fi", SuggestionReason::FirstName)
            ]
        );
    }

    #[test]
    fn last_names_initials_and_emails_are_suggested() {
        assert_eq!(
            targets(&suggest_users(&users(), "MEIKÄLÄINEN")),
            [("matti@example.fi", SuggestionReason::LastName)]
        );
        assert_eq!(
            targets(&suggest_users(&users(), "LV")),
            [("liisa.virtanen@example.fi", SuggestionReason::Initials)]
        );
        assert_eq!(
            targets(&suggest_users(&users(), "llaine")),
            [("llaine@example.fi", SuggestionReason::EmailLocalPart)]
        );
        assert_eq!(
            targets(&suggest_users(&users(), "Mattila")),
            [("maija.mattila@example.fi", SuggestionReason::LastName)]
        );
    }

    #[test]
    fn similar_spellings_are_suggested_and_nothing_else() {
        let found = suggest_users(&users(), "Liisa Virtannen");
        assert_eq!(found[0].target, "liisa.virtanen@example.fi");
        assert_eq!(found[0].reason, SuggestionReason::Spelling);
        assert!(suggest_users(&users(), "Pekka").is_empty());
        assert!(suggest_users(&users(), "  ").is_empty());
    }

    #[test]
    fn names_are_suggested_by_their_beginning_and_spelling() {
        let groups: Vec<(String, String)> = ["Helsinki", "Tampere", "Turku"]
            .into_iter()
            .map(|name| (name.to_owned(), name.to_owned()))
            .collect();
        assert_eq!(
            targets(&suggest_names(&groups, "hki")),
            Vec::<(&str, SuggestionReason)>::new()
        );
        assert_eq!(
            targets(&suggest_names(&groups, "Helsingin")),
            [("Helsinki", SuggestionReason::Spelling)]
        );
        assert_eq!(
            targets(&suggest_names(&groups, "Tamp")),
            [("Tampere", SuggestionReason::Prefix)]
        );
        let types = vec![
            ("Asiakas".to_owned(), "Asiakas".to_owned()),
            ("Customer".to_owned(), "Asiakas".to_owned()),
        ];
        assert_eq!(
            targets(&suggest_names(&types, "customers")),
            [("Asiakas", SuggestionReason::Prefix)]
        );
    }

    #[test]
    fn mappings_parse_match_by_name_key_and_refuse_conflicts() {
        let mut mappings = ValueMappings::new();
        mappings
            .insert_arg("account_manager:Liisa=liisa.virtanen@example.fi")
            .unwrap();
        mappings
            .insert_arg("manager: LIISA =liisa.virtanen@example.fi")
            .unwrap();
        assert_eq!(
            mappings.target(LinkField::AccountManager, "liisa"),
            Some("liisa.virtanen@example.fi")
        );
        assert_eq!(mappings.target(LinkField::ProjectManager, "Liisa"), None);
        assert!(matches!(
            mappings.insert_arg("manager:Liisa=llaine@example.fi"),
            Err(ValueMappingError::Conflict { .. })
        ));
        assert!(matches!(
            mappings.insert_arg("phone:Liisa=x"),
            Err(ValueMappingError::NotALink { .. })
        ));
        assert!(matches!(
            mappings.insert_arg("manager=Liisa"),
            Err(ValueMappingError::Malformed { .. })
        ));
        assert!(matches!(
            mappings.insert_arg("manager:Liisa="),
            Err(ValueMappingError::Malformed { .. })
        ));
        let json = serde_json::to_string(&mappings).unwrap();
        assert_eq!(
            json,
            r#"{"account_manager":{"Liisa":"liisa.virtanen@example.fi"}}"#
        );
        let back: ValueMappings = serde_json::from_str(&json).unwrap();
        assert_eq!(back, mappings);
        let mut file = ValueMappings::new();
        file.insert(LinkField::AccountManager, "liisa", "llaine@example.fi")
            .unwrap();
        file.insert(LinkField::Branch, "IT", "Ohjelmistot").unwrap();
        let merged = mappings.overridden_by(&file);
        assert_eq!(
            merged.target(LinkField::AccountManager, "Liisa"),
            Some("llaine@example.fi")
        );
        assert_eq!(merged.target(LinkField::Branch, "it"), Some("Ohjelmistot"));
    }
}
