//! The import wizard of the browser, as use cases: the seed's five steps kept in the database
//! between requests, so any server process can serve any step and a restart loses nothing.
//!
//! A [`WizardView`] belongs to one admin (another user's wizard is "not found"). Files are
//! checked when uploaded ([`add_file`]) and kept in the database until the import is done.
//! [`set_choices`] stores step 4 (the choices for every file, and each file's own over them),
//! [`set_mapping`] the corrections of step 5; a preview (dry run)
//! or the import runs as a job ([`start_job`], then [`run_job`] on any thread), whose result
//! and error workbooks are stored with it.
//!
//! ```
//! use tuonti_domain::{Lang, Role};
//! use tuonti_importer::{setup, wizard};
//! use tuonti_persistence::{JobKind, Store};
//!
//! let mut store = Store::open_in_memory()?;
//! setup::init(&mut store, None)?;
//! let admin = setup::add_user(&mut store, "Matti", "matti@example.fi", Role::Admin)?;
//!
//! let view = wizard::current(&mut store, &admin)?;
//! let csv = "Yritys;Y-tunnus\nOy Esimerkki Ab;0112038-9\n".as_bytes().to_vec();
//! wizard::add_file(&mut store, &admin, view.id, "asiakkaat.csv", csv)?;
//! let choices = wizard::WizardChoices {
//!     company_type: Some("Asiakas".into()),
//!     account_manager: Some("matti@example.fi".into()),
//!     ..wizard::WizardChoices::default()
//! };
//! wizard::set_choices(&mut store, &admin, view.id, &choices)?;
//!
//! let (job, _) = wizard::start_job(&mut store, &admin, view.id, JobKind::Import)?;
//! let result = wizard::run_job(&mut store, job.id, Lang::Fi, &mut |_| {})?;
//! assert_eq!(result.counts.created, 1);
//! # Ok::<(), tuonti_importer::Error>(())
//! ```

use crate::import::{
    self, DuplicatePolicy, FileChoices, ImportChoices, ImportFile, ImportRequest, Plan,
    PlanProgress, RowAction,
};
use crate::setup::{find_company_type, find_customer_group, find_user};
use crate::util::{now, sha256_hex};
use crate::{Error, Result};
use chrono::Duration;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tuonti_domain::{
    BatchCounts, DomainError, Entity, ImportBatchId, Lang, LocalizedText, RecordKind, Role,
    Severity, User, clean_name,
};
use tuonti_excel_template::{
    ErrorWorkbookOptions, Inspection, MappingOverride, OverrideTarget, ReadLimits, ReadOptions,
    RowSelection, Workbook,
};
use tuonti_persistence::{
    Job, JobEnd, JobKind, JobOutput, JobStatus, Store, WizardFile, WizardStatus,
};

/// A job whose process has not reported for this long is taken as interrupted.
pub const JOB_STALE_AFTER: Duration = Duration::minutes(2);
/// How many issues a job's result lists (the error workbook has all of them).
pub const RESULT_ISSUES: usize = 200;
/// The largest file the wizard takes by default (bytes).
pub const DEFAULT_MAX_UPLOAD_BYTES: u64 = 50 << 20;

/// Step 4 of the wizard: the choices for every file, and each file's own choices over them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WizardChoices {
    /// The company type, by name.
    pub company_type: Option<String>,
    /// An existing customer group, by name.
    pub customer_group: Option<String>,
    /// A new customer group to create and use (wins over `customer_group`).
    pub new_group: Option<String>,
    /// Create the customer groups that rows name and that do not exist.
    pub create_groups: bool,
    /// The account manager, by email or name.
    pub account_manager: Option<String>,
    /// What to do with companies already stored.
    pub on_duplicate: DuplicatePolicy,
    /// Import the valid rows and report the others, instead of all or nothing.
    pub skip_invalid: bool,
    /// The country of rows that name none.
    pub default_country: String,
    /// Create the branches of business that project rows name and that do not exist.
    pub create_branches: bool,
    /// The project manager of every file's projects that name none, by email or name.
    pub project_manager: Option<String>,
    /// Each file's own company type, customer group and managers over the ones above (a
    /// choice left empty is the one for every file). Stored by file id, in upload order.
    pub files: Vec<WizardFileChoices>,
}

impl WizardChoices {
    /// The choices file `file_id` is imported with: its own, with the project manager for
    /// every file where it names none (the other choices for every file are the import's).
    pub fn for_file(&self, file_id: i64) -> FileChoices {
        let mut choices = self
            .files
            .iter()
            .find(|entry| entry.file == FileRef::Id(file_id))
            .map(WizardFileChoices::choices)
            .unwrap_or_default();
        if choices.project_manager.is_none() {
            choices.project_manager.clone_from(&self.project_manager);
        }
        choices
    }
}

/// Which uploaded file a [`WizardFileChoices`] is for: its id, or its name (as uploaded,
/// without folders; it must be the name of one file only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FileRef {
    /// The file's id.
    Id(i64),
    /// The file's name.
    Name(String),
}

impl std::fmt::Display for FileRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileRef::Id(id) => write!(f, "#{id}"),
            FileRef::Name(name) => f.write_str(name),
        }
    }
}

/// One uploaded file's choices in step 4: each one left `None` (or empty) is the one for
/// every file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WizardFileChoices {
    /// The file (stored by id; a request may name it).
    pub file: FileRef,
    /// The company type, by its name in any language.
    #[serde(default)]
    pub company_type: Option<String>,
    /// An existing customer group, by name.
    #[serde(default)]
    pub customer_group: Option<String>,
    /// The account manager, by email or name.
    #[serde(default)]
    pub account_manager: Option<String>,
    /// The project manager of the file's projects that name none, by email or name.
    #[serde(default)]
    pub project_manager: Option<String>,
}

impl WizardFileChoices {
    /// The choices as the import takes them ([`ImportFile::with_choices`]).
    pub fn choices(&self) -> FileChoices {
        FileChoices {
            company_type: self.company_type.clone(),
            customer_group: self.customer_group.clone(),
            account_manager: self.account_manager.clone(),
            project_manager: self.project_manager.clone(),
            ..FileChoices::default()
        }
    }
}

/// Why the wizard refused the choices of one file (in [`Error::FileChoices`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FileChoicesProblem {
    /// No uploaded file of the wizard has that id or name.
    #[error("no such file was uploaded")]
    NotUploaded,
    /// Several uploaded files have that name: the request names the file by its id.
    #[error("{count} uploaded files have this name; name the file by its id")]
    AmbiguousName {
        /// How many files have the name.
        count: usize,
    },
    /// The file's choices were given twice.
    #[error("its choices are given twice")]
    GivenTwice,
    /// A choice does not resolve (an unknown or archived type, a group that does not exist,
    /// an inactive manager).
    #[error("{0}")]
    Refused(Box<Error>),
}

impl FileChoicesProblem {
    /// Whether the user can fix it.
    pub fn is_user_error(&self) -> bool {
        match self {
            FileChoicesProblem::Refused(error) => error.is_user_error(),
            _ => true,
        }
    }

    /// The message in `lang` (Finnish, else English).
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (FileChoicesProblem::Refused(error), _) => error.message(lang),
            (FileChoicesProblem::NotUploaded, Lang::Fi) => {
                "tällaista tiedostoa ei ole ladattu".to_owned()
            }
            (FileChoicesProblem::AmbiguousName { count }, Lang::Fi) => format!(
                "tämän nimisiä ladattuja tiedostoja on {count}; nimeä tiedosto sen tunnisteella (id)"
            ),
            (FileChoicesProblem::GivenTwice, Lang::Fi) => {
                "sen valinnat on annettu kahdesti".to_owned()
            }
            _ => self.to_string(),
        }
    }
}

impl Default for WizardChoices {
    fn default() -> Self {
        Self {
            company_type: None,
            customer_group: None,
            new_group: None,
            create_groups: false,
            account_manager: None,
            on_duplicate: DuplicatePolicy::Skip,
            skip_invalid: false,
            default_country: "FI".into(),
            create_branches: false,
            project_manager: None,
            files: Vec::new(),
        }
    }
}

/// The stored state of a wizard (JSON in the database).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WizardState {
    /// Step 4.
    pub choices: WizardChoices,
    /// Whether step 4 was saved at least once.
    pub choices_saved: bool,
    /// The sheet to read, when the user picked one.
    pub sheet: Option<String>,
    /// Step 5's corrections to the automatic mapping (for every file).
    pub overrides: Vec<MappingOverride>,
    /// The data rows of each uploaded file, by file id (for progress bars).
    pub file_rows: std::collections::BTreeMap<i64, u64>,
    /// The kinds of records each uploaded file holds, by file id (step 4 offers a project
    /// manager for files with projects); absent for files uploaded before it was recorded.
    pub file_kinds: std::collections::BTreeMap<i64, Vec<RecordKind>>,
}

impl WizardState {
    /// The data rows of all uploaded files.
    pub fn total_rows(&self) -> u64 {
        self.file_rows.values().sum()
    }

    /// Whether file `file_id` may hold projects: it does, or its kinds were not recorded.
    pub fn may_hold_projects(&self, file_id: i64) -> bool {
        self.file_kinds
            .get(&file_id)
            .is_none_or(|kinds| kinds.contains(&RecordKind::Project))
    }
}

/// A wizard as its admin sees it.
#[derive(Debug, Clone)]
pub struct WizardView {
    /// The wizard's id.
    pub id: i64,
    /// Its admin.
    pub user_id: tuonti_domain::UserId,
    /// Where it is.
    pub status: WizardStatus,
    /// Its state.
    pub state: WizardState,
    /// Its uploaded files, in order.
    pub files: Vec<WizardFile>,
    /// The batch its import made.
    pub batch_id: Option<ImportBatchId>,
    /// When its state or files last changed (a preview older than this is out of date).
    pub updated_at: chrono::NaiveDateTime,
}

fn not_found(id: i64) -> Error {
    Error::Domain(DomainError::NotFound {
        entity: Entity::ImportBatch,
        key: format!("wizard {id}"),
    })
}

fn require_admin(user: &User) -> Result<()> {
    if user.role == Role::Admin && user.active {
        Ok(())
    } else {
        Err(Error::Domain(DomainError::Refused(format!(
            "{} is not an active admin; only admins import",
            user.email
        ))))
    }
}

fn decode_state(text: &str) -> Result<WizardState> {
    serde_json::from_str(text).map_err(|error| {
        Error::Domain(DomainError::Refused(format!(
            "the stored wizard state cannot be read: {error}"
        )))
    })
}

fn encode<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value)
        .map_err(|error| Error::Domain(DomainError::Refused(error.to_string())))
}

fn view_of(store: &mut Store, wizard: tuonti_persistence::Wizard) -> Result<WizardView> {
    let files = store.wizard_files(wizard.id)?;
    Ok(WizardView {
        id: wizard.id,
        user_id: wizard.user_id,
        status: wizard.status,
        state: decode_state(&wizard.state)?,
        files,
        batch_id: wizard.batch_id,
        updated_at: wizard.updated_at,
    })
}

/// The admin's open wizard, or a new one.
///
/// # Errors
///
/// [`Error::Domain`] when the user is not an active admin; [`Error::Persistence`] on
/// database failure.
pub fn current(store: &mut Store, user: &User) -> Result<WizardView> {
    require_admin(user)?;
    let wizard = match store.open_wizard_of(user.id)? {
        Some(wizard) => wizard,
        None => store.create_wizard(user.id, &encode(&WizardState::default())?)?,
    };
    view_of(store, wizard)
}

/// The admin's wizard `id` (open or closed).
///
/// # Errors
///
/// [`Error::Domain`] with `NotFound` when there is no such wizard or it is another user's;
/// [`Error::Persistence`] on database failure.
pub fn get(store: &mut Store, user: &User, id: i64) -> Result<WizardView> {
    require_admin(user)?;
    let wizard = store
        .wizard(id)?
        .filter(|wizard| wizard.user_id == user.id)
        .ok_or_else(|| not_found(id))?;
    view_of(store, wizard)
}

fn get_open(store: &mut Store, user: &User, id: i64) -> Result<WizardView> {
    let view = get(store, user, id)?;
    if view.status != WizardStatus::Open {
        return Err(Error::Domain(DomainError::Refused(format!(
            "this import was already {}; start a new one",
            view.status.as_str()
        ))));
    }
    Ok(view)
}

/// Gives up the wizard: its files are dropped; the next [`current`] starts afresh.
///
/// # Errors
///
/// As [`get`].
pub fn cancel(store: &mut Store, user: &User, id: i64) -> Result<()> {
    let view = get_open(store, user, id)?;
    store.close_wizard(view.id, WizardStatus::Cancelled, None)?;
    Ok(())
}

/// Checks an uploaded file (a spreadsheet or CSV whose data and header row are found, within
/// `limits`) and adds it to the wizard. A refused file is not stored.
///
/// # Errors
///
/// [`Error::Workbook`] for a file that cannot be used (not a spreadsheet, encrypted, corrupt,
/// a zip bomb, too large, no header row), with the reader's message; otherwise as [`get`].
pub fn add_file_with(
    store: &mut Store,
    user: &User,
    id: i64,
    name: &str,
    bytes: Vec<u8>,
    limits: &ReadLimits,
) -> Result<(WizardFile, Inspection)> {
    let view = get_open(store, user, id)?;
    let name = file_name_only(name);
    let bytes = Arc::new(bytes);
    let mut inspections = inspect_bytes(&name, Arc::clone(&bytes), &view.state, limits)?;
    let data_rows = inspections
        .iter()
        .map(|inspection| inspection.data_rows)
        .sum();
    let mut kinds: Vec<RecordKind> = inspections
        .iter()
        .map(|inspection| inspection.kind)
        .collect();
    kinds.sort();
    kinds.dedup();
    // Every sheet of records is inspected; the first describes the file.
    let inspection = inspections.swap_remove(0);
    let sha256 = sha256_hex(bytes.as_slice());
    let mut state = view.state;
    store.transaction(|store| {
        let file = store.add_wizard_file(view.id, &name, &sha256, &bytes)?;
        state.file_rows.insert(file.id, data_rows);
        state.file_kinds.insert(file.id, kinds);
        store.set_wizard_state(view.id, &encode(&state)?)?;
        Ok((file, inspection))
    })
}

/// [`add_file_with`] with the default [`ReadLimits`] and at most
/// [`DEFAULT_MAX_UPLOAD_BYTES`].
///
/// # Errors
///
/// As [`add_file_with`].
pub fn add_file(
    store: &mut Store,
    user: &User,
    id: i64,
    name: &str,
    bytes: Vec<u8>,
) -> Result<(WizardFile, Inspection)> {
    let limits = ReadLimits {
        max_file_bytes: DEFAULT_MAX_UPLOAD_BYTES,
        ..ReadLimits::default()
    };
    add_file_with(store, user, id, name, bytes, &limits)
}

/// Removes an uploaded file.
///
/// # Errors
///
/// `NotFound` for an unknown file; otherwise as [`get`].
pub fn remove_file(store: &mut Store, user: &User, id: i64, file_id: i64) -> Result<()> {
    let mut view = get_open(store, user, id)?;
    if store.delete_wizard_file(view.id, file_id)? {
        view.state.file_rows.remove(&file_id);
        view.state.file_kinds.remove(&file_id);
        view.state
            .choices
            .files
            .retain(|entry| entry.file != FileRef::Id(file_id));
        store.set_wizard_state(view.id, &encode(&view.state)?)?;
        Ok(())
    } else {
        Err(Error::Domain(DomainError::NotFound {
            entity: Entity::ImportBatch,
            key: format!("file {file_id}"),
        }))
    }
}

/// Checks and stores step 4. Every named type, group and manager must exist (a new group must
/// not); the company type and the account manager for every file are required. Each file's
/// own choices ([`WizardChoices::files`], naming the file by id or name) are checked the way
/// the import will resolve them, and stored by file id as the dropdowns name them (a type by
/// its Finnish name, a group as stored, a user by email); a file whose choices are all empty
/// is left out (it takes the choices for every file).
///
/// # Errors
///
/// [`Error::Domain`] naming the first choice for every file that does not resolve;
/// [`Error::FileChoices`] naming the file whose choices are refused (an unknown file, one
/// given twice, a choice that does not resolve); otherwise as [`get`].
pub fn set_choices(
    store: &mut Store,
    user: &User,
    id: i64,
    choices: &WizardChoices,
) -> Result<WizardView> {
    let mut view = get_open(store, user, id)?;
    let mut choices = choices.clone();
    blank_to_none(&mut choices.company_type);
    blank_to_none(&mut choices.customer_group);
    blank_to_none(&mut choices.new_group);
    blank_to_none(&mut choices.account_manager);
    blank_to_none(&mut choices.project_manager);
    if choices.default_country.trim().is_empty() {
        choices.default_country = "FI".into();
    }
    let required = |field: &'static str, value: &Option<String>| match value {
        Some(_) => Ok(()),
        None => Err(Error::Domain(DomainError::Invalid {
            entity: Entity::ImportBatch,
            field,
            value: String::new(),
            reason: "a value is required".into(),
        })),
    };
    required("company_type", &choices.company_type)?;
    required("account_manager", &choices.account_manager)?;
    let import_choices = import_choices(&choices, user);
    if let Some(name) = &choices.new_group {
        let name = clean_name(name);
        if let Some(existing) = store.customer_group_by_name(&name)? {
            return Err(Error::Domain(DomainError::Conflict {
                entity: Entity::CustomerGroup,
                field: "name",
                value: name,
                existing: Some(existing.name),
            }));
        }
    } else if let Some(name) = &choices.customer_group {
        find_customer_group(store, name)?;
    }
    if let Some(name) = &choices.company_type {
        find_company_type(store, name)?;
    }
    if let Some(key) = &choices.account_manager {
        find_user(store, key)?;
    }
    // Resolve the rest (an active manager, a valid country, a new group's name) the way the
    // import will.
    let resolved = import::resolve(store, &import_choices)?;
    if let Some(key) = &choices.project_manager {
        let every_file = FileChoices {
            project_manager: Some(key.clone()),
            ..FileChoices::default()
        };
        let defaults = import::resolve_file(store, &resolved, &every_file)?;
        choices.project_manager = defaults.project_manager.map(|user| user.email);
    }
    choices.files = file_choices(store, &view.files, &resolved, &choices.files)?;
    view.state.choices = choices;
    view.state.choices_saved = true;
    store.set_wizard_state(view.id, &encode(&view.state)?)?;
    Ok(view)
}

fn blank_to_none(value: &mut Option<String>) {
    if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
        *value = None;
    }
}

/// Each file's choices checked and named by file id, in upload order; the empty ones left out.
fn file_choices(
    store: &mut Store,
    files: &[WizardFile],
    resolved: &import::ResolvedChoices,
    given: &[WizardFileChoices],
) -> Result<Vec<WizardFileChoices>> {
    let refuse = |file: &FileRef, problem| Error::FileChoices {
        file: file.to_string(),
        problem,
    };
    let mut by_file: std::collections::BTreeMap<i64, WizardFileChoices> =
        std::collections::BTreeMap::new();
    for entry in given {
        let file = match &entry.file {
            FileRef::Id(file_id) => files.iter().find(|file| file.id == *file_id),
            FileRef::Name(name) => {
                let name = name.trim();
                let named: Vec<&WizardFile> =
                    files.iter().filter(|file| file.name == name).collect();
                if named.len() > 1 {
                    return Err(refuse(
                        &entry.file,
                        FileChoicesProblem::AmbiguousName { count: named.len() },
                    ));
                }
                named.first().copied()
            }
        }
        .ok_or_else(|| refuse(&entry.file, FileChoicesProblem::NotUploaded))?;
        let mut checked = entry.clone();
        checked.file = FileRef::Id(file.id);
        blank_to_none(&mut checked.company_type);
        blank_to_none(&mut checked.customer_group);
        blank_to_none(&mut checked.account_manager);
        blank_to_none(&mut checked.project_manager);
        let defaults =
            import::resolve_file(store, resolved, &checked.choices()).map_err(|error| {
                Error::FileChoices {
                    file: file.name.clone(),
                    problem: FileChoicesProblem::Refused(Box::new(error)),
                }
            })?;
        // Kept as the dropdowns name them: a type by its Finnish name, a group as stored, a
        // user by email.
        if checked.company_type.is_some() {
            checked.company_type = Some(defaults.company_type.names.fi.clone());
        }
        if checked.customer_group.is_some() {
            checked.customer_group = defaults.customer_group_name.clone();
        }
        if checked.account_manager.is_some() {
            checked.account_manager = Some(defaults.account_manager.email.clone());
        }
        if checked.project_manager.is_some() {
            checked.project_manager = defaults.project_manager.map(|user| user.email);
        }
        if by_file.insert(file.id, checked).is_some() {
            return Err(Error::FileChoices {
                file: file.name.clone(),
                problem: FileChoicesProblem::GivenTwice,
            });
        }
    }
    // Upload order is id order.
    Ok(by_file
        .into_values()
        .filter(|entry| !entry.choices().is_empty())
        .collect())
}

/// Stores step 5's corrections: the sheet to read (none: found automatically) and the
/// mapping overrides (each `Header=field` or `Header=ignore`), replacing earlier ones. Every
/// file is read again with them, so a bad override is refused now.
///
/// # Errors
///
/// [`Error::Workbook`] when an override names no column of a file; otherwise as [`get`].
pub fn set_mapping(
    store: &mut Store,
    user: &User,
    id: i64,
    sheet: Option<String>,
    overrides: Vec<MappingOverride>,
) -> Result<Vec<Inspection>> {
    let mut view = get_open(store, user, id)?;
    view.state.sheet = sheet.filter(|s| !s.trim().is_empty());
    view.state.overrides = overrides;
    let inspections = inspect_files(store, &view, &ReadLimits::default())?;
    store.set_wizard_state(view.id, &encode(&view.state)?)?;
    Ok(inspections)
}

/// Applies a saved mapping profile (see [`crate::profiles`]) as step 5's corrections,
/// replacing the earlier ones. Every file is read again with it.
///
/// # Errors
///
/// `NotFound` for an unknown profile; [`Error::Workbook`] when the profile names a header
/// that a file lacks (nothing is stored then); otherwise as [`get`].
pub fn apply_profile(
    store: &mut Store,
    user: &User,
    id: i64,
    profile: &str,
) -> Result<Vec<Inspection>> {
    let overrides = crate::profiles::overrides(store, profile)?;
    let sheet = get(store, user, id)?.state.sheet;
    set_mapping(store, user, id, sheet, overrides)
}

/// Saves the first file's whole mapping as it is now (every column's field, or `ignore`) as
/// a mapping profile for later imports from the same source.
///
/// # Errors
///
/// [`DomainError::Refused`] when the wizard has no file; an empty name; otherwise as
/// [`mapping`].
pub fn save_profile(
    store: &mut Store,
    user: &User,
    id: i64,
    profile: &str,
) -> Result<tuonti_domain::MappingProfile> {
    let inspections = mapping(store, user, id)?;
    let Some(first) = inspections.first() else {
        return Err(Error::Domain(DomainError::Refused(
            "upload a file first: a profile saves a file's mapping".into(),
        )));
    };
    let overrides: Vec<MappingOverride> = first
        .columns
        .iter()
        .filter(|column| !column.header.trim().is_empty())
        .map(|column| MappingOverride {
            header: column.header.clone(),
            target: column
                .field
                .map_or(OverrideTarget::Ignore, OverrideTarget::Field),
        })
        .collect();
    crate::profiles::save(store, profile, &overrides)
}

/// Every file of the wizard inspected with its state's sheet and overrides, sheet by sheet (a
/// workbook with companies, contacts and projects gives three): each column with its field,
/// confidence and sample values (step 5).
///
/// # Errors
///
/// As [`get`]; [`Error::Workbook`] when a stored file no longer reads with the overrides.
pub fn mapping(store: &mut Store, user: &User, id: i64) -> Result<Vec<Inspection>> {
    let view = get(store, user, id)?;
    inspect_files(store, &view, &ReadLimits::default())
}

fn inspect_files(
    store: &mut Store,
    view: &WizardView,
    limits: &ReadLimits,
) -> Result<Vec<Inspection>> {
    let mut inspections = Vec::with_capacity(view.files.len());
    for file in &view.files {
        let bytes = store
            .wizard_file_content(view.id, file.id)?
            .unwrap_or_default();
        inspections.extend(inspect_bytes(
            &file.name,
            Arc::new(bytes),
            &view.state,
            limits,
        )?);
    }
    Ok(inspections)
}

fn inspect_bytes(
    name: &str,
    bytes: Arc<Vec<u8>>,
    state: &WizardState,
    limits: &ReadLimits,
) -> Result<Vec<Inspection>> {
    let mut workbook = Workbook::from_shared(name, bytes, limits)?;
    let inspections = workbook.inspect_all(&ReadOptions {
        sheet: state.sheet.clone(),
        overrides: state.overrides.clone(),
        limits: limits.clone(),
    })?;
    Ok(inspections)
}

fn import_choices(choices: &WizardChoices, user: &User) -> ImportChoices {
    let (customer_group, create_groups) = match &choices.new_group {
        Some(name) => (Some(name.clone()), true),
        None => (choices.customer_group.clone(), choices.create_groups),
    };
    ImportChoices {
        company_type: choices.company_type.clone().unwrap_or_default(),
        customer_group,
        create_groups,
        account_manager: choices.account_manager.clone().unwrap_or_default(),
        acting_admin: user.email.clone(),
        on_duplicate: choices.on_duplicate,
        default_country: choices.default_country.clone(),
        skip_invalid: choices.skip_invalid,
        create_branches: choices.create_branches,
        values: Default::default(),
        accept_suggestions: false,
    }
}

/// Starts a preview or the import of the wizard as a job, unless one of the same kind is
/// already running (then that one is returned, with `false`). Run a new one with [`run_job`].
///
/// # Errors
///
/// [`Error::Domain`] when there are no files or step 4 is not done; otherwise as [`get`].
pub fn start_job(store: &mut Store, user: &User, id: i64, kind: JobKind) -> Result<(Job, bool)> {
    let view = get_open(store, user, id)?;
    if view.files.is_empty() {
        return Err(Error::Domain(DomainError::Refused(
            "upload at least one file first".into(),
        )));
    }
    if !view.state.choices_saved {
        return Err(Error::Domain(DomainError::Refused(
            "choose the company type and the account manager first".into(),
        )));
    }
    let stale_before = now() - JOB_STALE_AFTER;
    Ok(store.start_job(view.id, kind, stale_before)?)
}

/// A job and what it made, as its admin sees it.
#[derive(Debug, Clone)]
pub struct JobView {
    /// The job.
    pub job: Job,
    /// Its result, when it succeeded.
    pub result: Option<JobResult>,
    /// Its error, when it failed.
    pub error: Option<LocalizedText>,
    /// Its error workbooks.
    pub outputs: Vec<JobOutput>,
    /// Whether it is marked running but its process stopped reporting (the server stopped;
    /// nothing of an interrupted import was written).
    pub interrupted: bool,
}

/// A job of the admin's wizard.
///
/// # Errors
///
/// `NotFound` for another user's or an unknown job; [`Error::Persistence`] on database
/// failure.
pub fn job(store: &mut Store, user: &User, job_id: i64) -> Result<JobView> {
    let job = store.job(job_id)?.ok_or_else(|| not_found(job_id))?;
    get(store, user, job.wizard_id)?;
    let result = match &job.result {
        Some(text) => Some(serde_json::from_str(text).map_err(|error| {
            Error::Domain(DomainError::Refused(format!(
                "the stored job result cannot be read: {error}"
            )))
        })?),
        None => None,
    };
    let error = match &job.error {
        Some(text) => serde_json::from_str(text).ok(),
        None => None,
    };
    let outputs = store.job_outputs(job.id)?;
    let interrupted =
        job.status == JobStatus::Running && job.heartbeat_at < now() - JOB_STALE_AFTER;
    Ok(JobView {
        job,
        result,
        error,
        outputs,
        interrupted,
    })
}

/// The newest job of a kind of the admin's wizard.
///
/// # Errors
///
/// As [`job`].
pub fn latest_job(
    store: &mut Store,
    user: &User,
    id: i64,
    kind: JobKind,
) -> Result<Option<JobView>> {
    let view = get(store, user, id)?;
    match store.latest_job(view.id, kind)? {
        Some(found) => job(store, user, found.id).map(Some),
        None => Ok(None),
    }
}

/// One error workbook of a job: its file name and bytes.
///
/// # Errors
///
/// As [`job`]; `NotFound` for an unknown output.
pub fn job_output(
    store: &mut Store,
    user: &User,
    job_id: i64,
    output_id: i64,
) -> Result<(String, Vec<u8>)> {
    job(store, user, job_id)?;
    store
        .job_output(job_id, output_id)?
        .ok_or_else(|| not_found(output_id))
}

/// One file's part of a [`JobResult`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileResult {
    /// The file name.
    pub name: String,
    /// The kind of records the sheet held.
    #[serde(default)]
    pub kind: RecordKind,
    /// The sheet read.
    pub sheet: Option<String>,
    /// The header row.
    pub header_row: u32,
    /// Its rows' outcomes.
    pub counts: BatchCounts,
    /// What its rows start from: its own choices over the ones for every file (`None` in
    /// results stored before files had choices).
    #[serde(default)]
    pub choices: Option<import::FileChoiceSummary>,
}

/// One issue in a [`JobResult`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueLine {
    /// The file name.
    pub file: String,
    /// The cell as the spreadsheet shows it (`C7`), or `row 7`.
    pub cell: String,
    /// The 1-based row.
    pub row: u32,
    /// What happens to the row.
    pub action: RowAction,
    /// `error` or `warning`.
    pub severity: Severity,
    /// The stable code.
    pub code: String,
    /// The message.
    pub message: LocalizedText,
}

/// What a preview or an import did (stored as JSON with the job).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobResult {
    /// Whether this was the import (else a preview).
    pub applied: bool,
    /// The batch the import recorded (none when nothing was written).
    pub batch_id: Option<ImportBatchId>,
    /// The counts over all files.
    pub counts: BatchCounts,
    /// The counts of each kind of record.
    #[serde(default)]
    pub counts_by_kind: std::collections::BTreeMap<RecordKind, BatchCounts>,
    /// Per file (per sheet of records).
    pub files: Vec<FileResult>,
    /// The customer groups the import creates.
    pub new_groups: Vec<String>,
    /// The first [`RESULT_ISSUES`] issues.
    pub issues: Vec<IssueLine>,
    /// How many issues there are in all.
    pub total_issues: u64,
}

impl JobResult {
    fn from_plan(plan: &Plan, applied: bool, batch_id: Option<ImportBatchId>) -> Self {
        let mut issues = Vec::new();
        for row in &plan.rows {
            for issue in &row.issues {
                if issues.len() < RESULT_ISSUES {
                    issues.push(IssueLine {
                        file: plan.files[row.file].name.clone(),
                        cell: issue
                            .location
                            .cell_ref()
                            .unwrap_or_else(|| format!("row {}", row.row)),
                        row: row.row,
                        action: row.action,
                        severity: issue.severity,
                        code: issue.code.as_str().to_owned(),
                        message: issue.message.clone(),
                    });
                }
            }
        }
        Self {
            applied,
            batch_id,
            counts: plan.counts,
            counts_by_kind: plan.counts_by_kind.clone(),
            files: plan
                .files
                .iter()
                .map(|file| FileResult {
                    name: file.name.clone(),
                    kind: file.kind,
                    sheet: file.sheet.clone(),
                    header_row: file.header_row,
                    counts: file.counts,
                    choices: Some(file.choices.clone()),
                })
                .collect(),
            new_groups: plan.new_groups.clone(),
            issues,
            total_issues: plan.issue_count(),
        }
    }
}

/// Runs a started job to its end: reads the wizard's files, plans (preview) or applies
/// (import, one transaction) them, and stores the result, the error workbooks of files with
/// rejected rows (in `lang`) and, after an import, closes the wizard. A refusal (rows rejected
/// in an all-or-nothing import, a file that no longer reads, a choice no longer valid) is
/// stored as the job's error and returned.
///
/// `progress` is called with the rows handled so far after every chunk.
///
/// # Errors
///
/// The job's error (see above); [`Error::Persistence`] when the database fails.
pub fn run_job(
    store: &mut Store,
    job_id: i64,
    lang: Lang,
    progress: &mut dyn FnMut(u64),
) -> Result<JobResult> {
    let job = store.job(job_id)?.ok_or_else(|| not_found(job_id))?;
    let wizard = store
        .wizard(job.wizard_id)?
        .ok_or_else(|| not_found(job.wizard_id))?;
    let user = store
        .user(wizard.user_id)?
        .ok_or_else(|| not_found(job.wizard_id))?;
    let mut rows_done = 0u64;
    let outcome = execute(store, &user, &job, lang, &mut |rows| {
        rows_done = rows;
        progress(rows);
    });
    match outcome {
        Ok((result, outputs)) => {
            let text = encode(&result)?;
            store.finish_job(
                job.id,
                &JobEnd {
                    status: JobStatus::Succeeded,
                    rows_done,
                    result: Some(&text),
                    error: None,
                    batch_id: result.batch_id,
                },
                &outputs,
            )?;
            if result.applied {
                store.close_wizard(wizard.id, WizardStatus::Imported, result.batch_id)?;
            }
            Ok(result)
        }
        Err(error) => {
            let text = encode(&LocalizedText {
                fi: error.message(Lang::Fi),
                en: error.message(Lang::En),
            })?;
            store.finish_job(
                job.id,
                &JobEnd {
                    status: JobStatus::Failed,
                    rows_done,
                    result: None,
                    error: Some(&text),
                    batch_id: None,
                },
                &[],
            )?;
            Err(error)
        }
    }
}

type Outputs = Vec<(String, Vec<u8>)>;

fn execute(
    store: &mut Store,
    user: &User,
    job: &Job,
    lang: Lang,
    progress: &mut dyn FnMut(u64),
) -> Result<(JobResult, Outputs)> {
    let view = get_open(store, user, job.wizard_id)?;
    let mut files = Vec::with_capacity(view.files.len());
    for file in &view.files {
        let bytes = store
            .wizard_file_content(view.id, file.id)?
            .unwrap_or_default();
        files.push(
            ImportFile::new(file.name.clone(), bytes)
                .with_choices(view.state.choices.for_file(file.id)),
        );
    }
    let request = ImportRequest {
        files,
        choices: import_choices(&view.state.choices, user),
        sheet: view.state.sheet.clone(),
        overrides: view.state.overrides.clone(),
        limits: ReadLimits::default(),
        kinds: Vec::new(),
    };
    let mut on_progress = |p: PlanProgress| progress(p.rows);
    let (plan, applied, batch_id) = match job.kind {
        JobKind::Import => {
            let applied = import::apply_with(store, &request, &mut on_progress, &mut |_| {})?;
            (applied.plan, true, applied.batch_id)
        }
        _ => {
            let plan = import::plan_with(store, &request, &mut on_progress, &mut |_| {})?;
            (plan, false, None)
        }
    };
    let outputs = error_workbooks(&plan, lang)?;
    Ok((JobResult::from_plan(&plan, applied, batch_id), outputs))
}

/// An error workbook per file with rejected rows: the rows as read plus an errors column.
fn error_workbooks(plan: &Plan, lang: Lang) -> Result<Outputs> {
    let mut outputs = Vec::new();
    for file in &plan.files {
        if file.counts.rejected == 0 {
            continue;
        }
        let options = ErrorWorkbookOptions {
            lang,
            rows: RowSelection::Rejected,
        };
        let bytes = file.error_workbook(&options)?;
        let stem = std::path::Path::new(&file.name)
            .file_stem()
            .map_or_else(|| "tuonti".to_owned(), |s| s.to_string_lossy().into_owned());
        let suffix = if lang == Lang::Fi {
            "virheet"
        } else {
            "errors"
        };
        outputs.push((format!("{stem}-{suffix}.xlsx"), bytes));
    }
    Ok(outputs)
}

fn file_name_only(name: &str) -> String {
    let name = name.rsplit(['/', '\\']).next().unwrap_or(name).trim();
    if name.is_empty() {
        "upload".to_owned()
    } else {
        name.to_owned()
    }
}
