//! The choices of an import and their resolution against the database.

use super::values::ValueMappings;
use crate::setup::{find_company_type, find_customer_group, find_user};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use tuonti_domain::{
    CompanyType, CompanyTypeId, DomainError, Entity, LocalizedText, User, UserId, name_key,
};
use tuonti_persistence::Store;

/// What to do with a row whose company is already in the database.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum DuplicatePolicy {
    /// Leave the stored company as it is (the default).
    #[default]
    Skip,
    /// Fill the stored company's empty fields from the row; keep what it has.
    FillEmpty,
    /// Replace the stored values with the row's non-empty values, and its type, group and
    /// account manager with the row's.
    Overwrite,
    /// Reject the row.
    Fail,
}

impl DuplicatePolicy {
    /// The command-line name: `skip`, `fill-empty`, `overwrite` or `fail`.
    pub fn as_str(self) -> &'static str {
        match self {
            DuplicatePolicy::Skip => "skip",
            DuplicatePolicy::FillEmpty => "fill-empty",
            DuplicatePolicy::Overwrite => "overwrite",
            DuplicatePolicy::Fail => "fail",
        }
    }
}

impl fmt::Display for DuplicatePolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DuplicatePolicy {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "skip" => Ok(DuplicatePolicy::Skip),
            "fill-empty" => Ok(DuplicatePolicy::FillEmpty),
            "overwrite" => Ok(DuplicatePolicy::Overwrite),
            "fail" => Ok(DuplicatePolicy::Fail),
            _ => Err(DomainError::Invalid {
                entity: Entity::ImportBatch,
                field: "on_duplicate",
                value: s.to_owned(),
                reason: Box::new(tuonti_domain::LocalizedText::new(
                    "odotettiin skip, fill-empty, overwrite tai fail",
                    "väntade skip, fill-empty, overwrite eller fail",
                    "expected skip, fill-empty, overwrite or fail",
                )),
            }),
        }
    }
}

/// The choices for a whole import: the seed's step 4 plus how to treat duplicates and bad
/// rows. Per-row columns in the files override the type, group and manager row by row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportChoices {
    /// The company type, by its name in any language (required).
    pub company_type: String,
    /// The customer group, if any.
    pub customer_group: Option<String>,
    /// Create customer groups that do not exist (else an unknown group is an error).
    pub create_groups: bool,
    /// The account manager: the email or name of an active user (required).
    pub account_manager: String,
    /// The admin who runs the import: the email or name of an active admin.
    pub acting_admin: String,
    /// What to do with companies already in the database.
    pub on_duplicate: DuplicatePolicy,
    /// The country of rows that name none (ISO code or name); `FI` by default.
    pub default_country: String,
    /// Write the valid rows and report the rejected ones, instead of all or nothing.
    pub skip_invalid: bool,
    /// Create the branches of business project rows name that do not exist (else an unknown
    /// branch rejects the row).
    #[serde(default)]
    pub create_branches: bool,
    /// The admin's mappings of values of linked columns (a manager written "Liisa") to
    /// stored records, for every file (a file's own come first).
    #[serde(default, skip_serializing_if = "ValueMappings::is_empty")]
    pub values: ValueMappings,
    /// Read a value that resolves to nothing as its suggestion when it has exactly one (a
    /// warning per value, see [`Plan::accepted_suggestions`](super::Plan::accepted_suggestions)).
    #[serde(default)]
    pub accept_suggestions: bool,
}

impl ImportChoices {
    /// Choices with the required values and the defaults: no group, no group creation, policy
    /// skip, country FI, all or nothing.
    pub fn new(
        company_type: impl Into<String>,
        account_manager: impl Into<String>,
        acting_admin: impl Into<String>,
    ) -> Self {
        Self {
            company_type: company_type.into(),
            customer_group: None,
            create_groups: false,
            account_manager: account_manager.into(),
            acting_admin: acting_admin.into(),
            on_duplicate: DuplicatePolicy::Skip,
            default_country: "FI".into(),
            skip_invalid: false,
            create_branches: false,
            values: ValueMappings::default(),
            accept_suggestions: false,
        }
    }
}

/// A branch of business a project row names: one that exists, or one the import will create.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum BranchTarget {
    /// An existing branch.
    Existing(tuonti_domain::BranchId),
    /// A branch the import creates (`--create-branches`), by its cleaned name.
    New(String),
}

/// A customer group a row goes into: one that exists, or one the import will create.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum GroupTarget {
    /// An existing group.
    Existing(tuonti_domain::CustomerGroupId),
    /// A group the import creates (`--create-groups`), by its cleaned name.
    New(String),
}

/// The seed's step 4 for one file: the company type, customer group and account manager its
/// companies get, and the project manager its projects get, when the file's own columns do
/// not name them. A choice left `None` is the import's ([`ImportChoices`]); the import-wide
/// choices are the defaults every file starts from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileChoices {
    /// The company type, by its name in any language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_type: Option<String>,
    /// The customer group (created with the import's `create_groups`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_group: Option<String>,
    /// The account manager: the email or name of an active user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_manager: Option<String>,
    /// The project manager of the file's projects that name none: an active user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_manager: Option<String>,
    /// The file's own value mappings, over the import's.
    #[serde(default, skip_serializing_if = "ValueMappings::is_empty")]
    pub values: ValueMappings,
}

impl FileChoices {
    /// Whether every choice is the import's.
    pub fn is_empty(&self) -> bool {
        self == &FileChoices::default()
    }
}

/// One file's choices resolved: what its rows start from (their columns override it row by
/// row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDefaults {
    /// The company type.
    pub company_type: CompanyType,
    /// The customer group, if any.
    pub customer_group: Option<GroupTarget>,
    /// The customer group's name (as stored, or as it will be created), if any.
    pub customer_group_name: Option<String>,
    /// The account manager.
    pub account_manager: User,
    /// The project manager of projects that name none, if any.
    pub project_manager: Option<User>,
    /// The value mappings of the file's rows: the file's over the import's.
    pub values: ValueMappings,
}

impl FileDefaults {
    /// The import-wide choices as a file's.
    pub fn of_import(choices: &ResolvedChoices) -> Self {
        Self {
            company_type: choices.company_type.clone(),
            customer_group: choices.customer_group.clone(),
            customer_group_name: choices.customer_group_name.clone(),
            account_manager: choices.account_manager.clone(),
            project_manager: None,
            values: choices.choices.values.clone(),
        }
    }

    /// What the file's rows start from, by name: for output and the batch's record.
    pub fn summary(&self) -> FileChoiceSummary {
        FileChoiceSummary {
            company_type: self.company_type.names.fi.clone(),
            customer_group: self.customer_group_name.clone(),
            account_manager: self.account_manager.email.clone(),
            project_manager: self.project_manager.as_ref().map(|user| user.email.clone()),
            values: self.values.clone(),
            rows: None,
            fixes: Vec::new(),
        }
    }
}

/// A file's resolved choices by name (company type by its Finnish name, users by email): what
/// `files[].choices` of an import's JSON and the batch's record of the file show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileChoiceSummary {
    /// The company type's Finnish name.
    pub company_type: String,
    /// The customer group's name, if any.
    pub customer_group: Option<String>,
    /// The account manager's email.
    pub account_manager: String,
    /// The default project manager's email, if any.
    #[serde(default)]
    pub project_manager: Option<String>,
    /// The value mappings the file's rows used: the admin's, and suggestions accepted.
    #[serde(default, skip_serializing_if = "ValueMappings::is_empty")]
    pub values: ValueMappings,
    /// The rows chosen to import (`2-40,45`); `None`: every row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<super::ChosenRows>,
    /// The cells fixed without editing the file (the wizard's preview), in row order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixes: Vec<super::RecordedFix>,
}

/// Resolves one file's choices over the import's: each one given must name an existing,
/// usable record as the import-wide one must (a type not archived, an active user, a group
/// that exists unless the import creates groups).
///
/// # Errors
///
/// [`DomainError::NotFound`] or [`DomainError::RefusedIn`] naming the choice.
pub fn resolve_file(
    store: &mut Store,
    import: &ResolvedChoices,
    file: &FileChoices,
) -> Result<FileDefaults> {
    let mut defaults = FileDefaults::of_import(import);
    if let Some(name) = &file.company_type {
        defaults.company_type = usable_company_type(store, name)?;
    }
    if let Some(name) = &file.customer_group {
        let (target, name) = named_group(store, name, import.choices.create_groups)?;
        defaults.customer_group = Some(target);
        defaults.customer_group_name = Some(name);
    }
    if let Some(key) = &file.account_manager {
        defaults.account_manager = account_manager(store, key)?;
    }
    if let Some(key) = &file.project_manager {
        defaults.project_manager = Some(manager(store, key, Manager::Project)?);
    }
    if !file.values.is_empty() {
        file.values.check_targets(
            store,
            import.choices.create_groups,
            import.choices.create_branches,
        )?;
        defaults.values = import.choices.values.overridden_by(&file.values);
    }
    Ok(defaults)
}

/// The type named `name`, unless it is archived.
fn usable_company_type(store: &mut Store, name: &str) -> Result<CompanyType> {
    let company_type = find_company_type(store, name)?;
    if company_type.archived {
        let name = &company_type.names.fi;
        return Err(refused(
            format!(
                "yritystyyppi {name:?} on arkistoitu; palauta se komennolla `tuonti types \
                 restore` tai valitse toinen"
            ),
            format!(
                "företagstypen {name:?} är arkiverad; återställ den med `tuonti types restore` \
                 eller välj en annan"
            ),
            format!(
                "company type {name:?} is archived; restore it with `tuonti types restore` or \
                 choose another"
            ),
        ));
    }
    Ok(company_type)
}

/// The role a manager is chosen for, as a refusal names it.
#[derive(Clone, Copy)]
enum Manager {
    Account,
    Project,
}

/// The user `key` names, if they can manage accounts.
fn account_manager(store: &mut Store, key: &str) -> Result<User> {
    manager(store, key, Manager::Account)
}

/// The user `key` names as `role`, if they can manage accounts.
fn manager(store: &mut Store, key: &str, role: Manager) -> Result<User> {
    let user = find_user(store, key)?;
    if !user.can_manage_accounts() {
        let email = &user.email;
        let (fi, sv, en) = match role {
            Manager::Account => ("asiakkuusjohtaja", "kundansvarig", "an account manager"),
            Manager::Project => ("projektipäällikkö", "projektledare", "a project manager"),
        };
        return Err(refused(
            format!("{email} ei ole aktiivinen käyttäjä eikä voi olla {fi}"),
            format!("{email} är inte en aktiv användare och kan inte vara {sv}"),
            format!("{email} is not an active user and cannot be {en}"),
        ));
    }
    Ok(user)
}

/// The choices resolved to stored records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedChoices {
    /// The choices as given.
    pub choices: ImportChoices,
    /// The company type.
    pub company_type: CompanyType,
    /// The customer group, if any.
    pub customer_group: Option<GroupTarget>,
    /// The customer group's name (as stored, or as it will be created), if any.
    pub customer_group_name: Option<String>,
    /// The account manager.
    pub account_manager: User,
    /// The acting admin.
    pub acting_admin: User,
    /// The default country as ISO alpha-2.
    pub default_country: &'static str,
}

/// Resolves the choices: the type must exist and not be archived, the manager must be an
/// active user (users come first), the admin an active admin, the group must exist unless
/// groups may be created, the country must be known.
///
/// # Errors
///
/// [`DomainError::NotFound`] or [`DomainError::RefusedIn`] naming the choice.
pub fn resolve(store: &mut Store, choices: &ImportChoices) -> Result<ResolvedChoices> {
    let company_type = usable_company_type(store, &choices.company_type)?;
    let account_manager = account_manager(store, &choices.account_manager)?;
    let acting_admin = find_user(store, &choices.acting_admin)?;
    if !acting_admin.is_active_admin() {
        let email = &acting_admin.email;
        return Err(refused(
            format!("{email} ei ole aktiivinen pääkäyttäjä; vain pääkäyttäjät tuovat tietoja"),
            format!("{email} är inte en aktiv administratör; bara administratörer importerar"),
            format!("{email} is not an active admin; only admins import"),
        ));
    }
    let (customer_group, customer_group_name) = match &choices.customer_group {
        None => (None, None),
        Some(name) => {
            let (target, name) = named_group(store, name, choices.create_groups)?;
            (Some(target), Some(name))
        }
    };
    choices
        .values
        .check_targets(store, choices.create_groups, choices.create_branches)?;
    let default_country = tuonti_validation::find_country(&choices.default_country)
        .map(|country| country.alpha2)
        .ok_or_else(|| {
            let country = &choices.default_country;
            refused(
                format!("tuntematon oletusmaa {country:?}; anna ISO-koodi, esimerkiksi FI"),
                format!("okänt standardland {country:?}; ge en ISO-kod, till exempel FI"),
                format!("unknown default country {country:?}; give an ISO code such as FI"),
            )
        })?;
    Ok(ResolvedChoices {
        choices: choices.clone(),
        company_type,
        customer_group,
        customer_group_name,
        account_manager,
        acting_admin,
        default_country,
    })
}

/// The group named `name`: existing, or new when groups may be created.
fn group_target(store: &mut Store, name: &str, create: bool) -> Result<GroupTarget> {
    named_group(store, name, create).map(|(target, _)| target)
}

/// [`group_target`] with the group's name: as stored, or cleaned for creation.
fn named_group(store: &mut Store, name: &str, create: bool) -> Result<(GroupTarget, String)> {
    match find_customer_group(store, name) {
        Ok(group) => Ok((GroupTarget::Existing(group.id), group.name)),
        Err(Error::Domain(DomainError::NotFound { .. })) if create => {
            let cleaned = tuonti_domain::clean_group_name(name)?;
            Ok((GroupTarget::New(cleaned.clone()), cleaned))
        }
        Err(Error::Domain(DomainError::NotFound { .. })) => {
            let name = name.trim();
            Err(refused(
                format!(
                    "asiakkuusryhmää {name:?} ei ole; luo se ensin (`tuonti groups add`) tai salli \
                     tuonnin luoda se (--create-groups)"
                ),
                format!(
                    "kundgruppen {name:?} finns inte; skapa den först (`tuonti groups add`) eller \
                     låt importen skapa den (--create-groups)"
                ),
                format!(
                    "customer group {name:?} does not exist; create it first (`tuonti groups \
                     add`) or allow the import to create it (--create-groups)"
                ),
            ))
        }
        Err(other) => Err(other),
    }
}

/// A refusal explained in Finnish, Swedish and English.
fn refused(fi: String, sv: String, en: String) -> Error {
    Error::Domain(DomainError::RefusedIn(LocalizedText::new(fi, sv, en)))
}

/// One override column's lookups: by the text as written (most rows repeat it exactly, and
/// then nothing is allocated), and by its name key (so differently written forms of the same
/// name share one database lookup).
#[derive(Debug)]
struct Lookups<T> {
    by_text: HashMap<String, std::result::Result<T, DomainError>>,
    by_key: HashMap<String, std::result::Result<T, DomainError>>,
}

impl<T> Default for Lookups<T> {
    fn default() -> Self {
        Self {
            by_text: HashMap::new(),
            by_key: HashMap::new(),
        }
    }
}

impl<T: Clone> Lookups<T> {
    fn get(
        &mut self,
        text: &str,
        look_up: impl FnOnce() -> Result<std::result::Result<T, DomainError>>,
    ) -> Result<std::result::Result<T, DomainError>> {
        if let Some(found) = self.by_text.get(text) {
            return Ok(found.clone());
        }
        let key = name_key(text);
        let found = match self.by_key.get(&key) {
            Some(found) => found.clone(),
            None => {
                let found = look_up()?;
                self.by_key.insert(key, found.clone());
                found
            }
        };
        self.by_text.insert(text.to_owned(), found.clone());
        Ok(found)
    }
}

/// Looks up per-row override values once each: the type, group and manager names of a file
/// repeat on many rows.
#[derive(Debug, Default)]
pub(crate) struct OverrideCache {
    types: Lookups<CompanyTypeId>,
    groups: Lookups<GroupTarget>,
    managers: Lookups<UserId>,
    branches: Lookups<BranchTarget>,
}

impl OverrideCache {
    /// The id of the company type a row names, or why it cannot be used.
    pub(crate) fn company_type(
        &mut self,
        store: &mut Store,
        name: &str,
    ) -> Result<std::result::Result<CompanyTypeId, DomainError>> {
        self.types.get(name, || {
            Ok(match find_company_type(store, name) {
                Ok(company_type) if company_type.archived => {
                    let name = &company_type.names.fi;
                    Err(DomainError::RefusedIn(LocalizedText::new(
                        format!("yritystyyppi {name:?} on arkistoitu"),
                        format!("företagstypen {name:?} är arkiverad"),
                        format!("company type {name:?} is archived"),
                    )))
                }
                Ok(company_type) => Ok(company_type.id),
                Err(Error::Domain(error)) => Err(error),
                Err(other) => return Err(other),
            })
        })
    }

    /// The group a row names, or why it cannot be used.
    pub(crate) fn group(
        &mut self,
        store: &mut Store,
        name: &str,
        create: bool,
    ) -> Result<std::result::Result<GroupTarget, DomainError>> {
        self.groups.get(name, || {
            Ok(match group_target(store, name, create) {
                Ok(target) => Ok(target),
                Err(Error::Domain(error)) => Err(error),
                Err(other) => return Err(other),
            })
        })
    }

    /// The branch a project row names, or why it cannot be used.
    pub(crate) fn branch(
        &mut self,
        store: &mut Store,
        name: &str,
        create: bool,
    ) -> Result<std::result::Result<BranchTarget, DomainError>> {
        self.branches.get(name, || {
            Ok(match crate::setup::find_branch(store, name) {
                Ok(branch) => Ok(BranchTarget::Existing(branch.id)),
                Err(Error::Domain(DomainError::NotFound { .. })) if create => {
                    match tuonti_domain::clean_branch_name(name) {
                        Ok(cleaned) => Ok(BranchTarget::New(cleaned)),
                        Err(error) => Err(error),
                    }
                }
                Err(Error::Domain(DomainError::NotFound { .. })) => {
                    let name = name.trim();
                    Err(DomainError::RefusedIn(LocalizedText::new(
                        format!(
                            "toimialaa {name:?} ei ole; lisää se ensin (`tuonti branches add`) \
                             tai salli tuonnin luoda se (--create-branches)"
                        ),
                        format!(
                            "branschen {name:?} finns inte; lägg först till den (`tuonti \
                             branches add`) eller låt importen skapa den (--create-branches)"
                        ),
                        format!(
                            "branch of business {name:?} does not exist; add it first (`tuonti \
                             branches add`) or allow the import to create it (--create-branches)"
                        ),
                    )))
                }
                Err(Error::Domain(error)) => Err(error),
                Err(other) => return Err(other),
            })
        })
    }

    /// The id of the account manager a row names, or why they cannot be one.
    pub(crate) fn manager(
        &mut self,
        store: &mut Store,
        key: &str,
    ) -> Result<std::result::Result<UserId, DomainError>> {
        self.managers.get(key, || {
            Ok(match find_user(store, key) {
                Ok(user) if !user.can_manage_accounts() => {
                    let email = &user.email;
                    Err(DomainError::RefusedIn(LocalizedText::new(
                        format!("{email} ei ole aktiivinen käyttäjä eikä voi olla vastuuhenkilö"),
                        format!(
                            "{email} är inte en aktiv användare och kan inte vara ansvarsperson"
                        ),
                        format!("{email} is not an active user and cannot be an account manager"),
                    )))
                }
                Ok(user) => Ok(user.id),
                Err(Error::Domain(error)) => Err(error),
                Err(other) => return Err(other),
            })
        })
    }
}
