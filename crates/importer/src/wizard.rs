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
    self, AcceptedSuggestion, CellFix, ChosenRows, DuplicatePolicy, FileChoices, ImportChoices,
    ImportFile, ImportRequest, LinkField, Plan, PlanProgress, RowAction, UnresolvedValue,
    ValueMappings,
};
use crate::setup::{find_company_type, find_customer_group, find_user};
use crate::util::{now, sha256_hex};
use crate::{Error, Result};
use chrono::Duration;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tuonti_domain::{
    BatchCounts, DomainError, Entity, ImportBatchId, Lang, LocalizedText, Location, RecordKind,
    Role, Severity, User, clean_name,
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

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            FileChoicesProblem::Refused(error) => error.message(lang),
            FileChoicesProblem::NotUploaded => match lang {
                Lang::Fi => "tällaista tiedostoa ei ole ladattu".to_owned(),
                Lang::Sv => "ingen sådan fil har laddats upp".to_owned(),
                Lang::En => self.to_string(),
            },
            FileChoicesProblem::AmbiguousName { count } => match lang {
                Lang::Fi => format!(
                    "tämän nimisiä ladattuja tiedostoja on {count}; nimeä tiedosto sen \
                     tunnisteella (id)"
                ),
                Lang::Sv => {
                    format!("{count} uppladdade filer har det här namnet; ange filen med dess id")
                }
                Lang::En => self.to_string(),
            },
            FileChoicesProblem::GivenTwice => match lang {
                Lang::Fi => "sen valinnat on annettu kahdesti".to_owned(),
                Lang::Sv => "dess val har getts två gånger".to_owned(),
                Lang::En => self.to_string(),
            },
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
    /// The last row of data of each uploaded file at least (its header row plus its data
    /// rows: more when data rows are blank between), by file id.
    pub file_last_rows: std::collections::BTreeMap<i64, u32>,
    /// The value mappings of the preview's values table, for every file (the import's
    /// [`ImportChoices::values`]).
    pub values: ValueMappings,
    /// Read a value with exactly one suggestion as it (a warning per value).
    pub accept_suggestions: bool,
    /// The rows chosen of each uploaded file, by file id (a file not here: every row).
    pub rows: std::collections::BTreeMap<i64, ChosenRows>,
    /// The cells fixed in the preview, by file id.
    pub fixes: std::collections::BTreeMap<i64, Vec<CellFix>>,
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
        let email = &user.email;
        Err(crate::util::refused_in(
            format!("{email} ei ole aktiivinen pääkäyttäjä; vain pääkäyttäjät tuovat tietoja"),
            format!("{email} är inte en aktiv administratör; bara administratörer importerar"),
            format!("{email} is not an active admin; only admins import"),
        ))
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
        let (fi, sv) = match view.status {
            WizardStatus::Imported => ("tuotu", "importerad"),
            WizardStatus::Cancelled => ("peruttu", "avbruten"),
            // A status added later: the wizard is no longer open.
            _ => ("suljettu", "stängd"),
        };
        return Err(crate::util::refused_in(
            format!("tämä tuonti on jo {fi}; aloita uusi"),
            format!("den här importen är redan {sv}; börja en ny"),
            format!(
                "this import was already {}; start a new one",
                view.status.as_str()
            ),
        ));
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
    let last_row = inspections.iter().map(last_row_at_least).max();
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
        if let Some(last_row) = last_row {
            state.file_last_rows.insert(file.id, last_row);
        }
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
        view.state.rows.remove(&file_id);
        view.state.fixes.remove(&file_id);
        view.state.file_last_rows.remove(&file_id);
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
            reason: Box::new(LocalizedText::new(
                "arvo on pakollinen",
                "ett värde är obligatoriskt",
                "a value is required",
            )),
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

/// Why the wizard refused a correction of the preview (in [`Error::Correction`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CorrectionError {
    /// No uploaded file of the wizard has that id.
    #[error("no file #{file} was uploaded")]
    NoFile {
        /// The file id as given.
        file: i64,
    },
    /// The rows cannot be read (`40-2`, `x`, row 0).
    #[error("{file}: rows {given:?}: {source}")]
    Rows {
        /// The file's name.
        file: String,
        /// The rows as given.
        given: String,
        /// Why.
        source: import::ChosenRowsError,
    },
    /// A chosen row is past the file's last row of data.
    #[error("{file}: rows {rows}: row {row} is past the last row of data, {last}")]
    RowsPastEnd {
        /// The file's name.
        file: String,
        /// The rows chosen.
        rows: ChosenRows,
        /// The first row past the end.
        row: u32,
        /// The last row of data.
        last: u32,
    },
    /// A cell fix needs a preview to know which rows are rejected.
    #[error("preview first: a cell is fixed on a row the newest preview rejects")]
    NoPreview,
    /// The newest preview does not reject the row.
    #[error(
        "{file}: row {row} is not rejected in the newest preview; only the cells of rejected rows are fixed"
    )]
    NotRejected {
        /// The file's name.
        file: String,
        /// The row.
        row: u32,
    },
    /// The file has no column for the field.
    #[error("{file}: no column holds {field}")]
    NoColumn {
        /// The file's name.
        file: String,
        /// The field.
        field: tuonti_domain::FieldKey,
    },
}

impl CorrectionError {
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
            CorrectionError::NoFile { file } => format!("tiedostoa #{file} ei ole ladattu"),
            CorrectionError::Rows {
                file,
                given,
                source,
            } => format!("{file}: rivit {given:?}: {}", source.message(Lang::Fi)),
            CorrectionError::RowsPastEnd {
                file,
                rows,
                row,
                last,
            } => {
                format!("{file}: rivit {rows}: rivi {row} on viimeisen tietorivin ({last}) jälkeen")
            }
            CorrectionError::NoPreview => {
                "esikatsele ensin: solun voi korjata riviltä, jonka uusin esikatselu hylkää"
                    .to_owned()
            }
            CorrectionError::NotRejected { file, row } => format!(
                "{file}: riviä {row} ei hylätä uusimmassa esikatselussa; vain hylättyjen rivien soluja korjataan"
            ),
            CorrectionError::NoColumn { file, field } => {
                format!("{file}: mikään sarake ei sisällä kenttää {field}")
            }
        }
    }

    fn message_sv(&self) -> String {
        match self {
            CorrectionError::NoFile { file } => format!("ingen fil #{file} har laddats upp"),
            CorrectionError::Rows {
                file,
                given,
                source,
            } => format!("{file}: rader {given:?}: {}", source.message(Lang::Sv)),
            CorrectionError::RowsPastEnd {
                file,
                rows,
                row,
                last,
            } => {
                format!("{file}: rader {rows}: rad {row} är efter den sista dataraden ({last})")
            }
            CorrectionError::NoPreview => {
                "förhandsgranska först: en cell kan rättas på en rad som den senaste \
                 förhandsgranskningen avvisar"
                    .to_owned()
            }
            CorrectionError::NotRejected { file, row } => format!(
                "{file}: rad {row} avvisas inte i den senaste förhandsgranskningen; bara cellerna på avvisade rader rättas"
            ),
            CorrectionError::NoColumn { file, field } => {
                format!("{file}: ingen kolumn innehåller fältet {field}")
            }
        }
    }
}

/// One value mapping of the preview's values table: `value` of `field` means `target` (a
/// user's email, a type's, group's or branch's name, a status, a country).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueChoice {
    /// The field, by name (`account_manager`, `manager`, `type`, ...).
    pub field: String,
    /// The value as the files write it.
    pub value: String,
    /// What it means.
    pub target: String,
}

/// Stores the preview's values table, replacing the earlier mappings: each value of a linked
/// field mapped to a stored record (for every file), and whether a value with exactly one
/// suggestion is read as it. Every target is checked now.
///
/// # Errors
///
/// [`Error::ValueMapping`]: a field that is not a link, a value mapped twice to different
/// targets, a target that does not exist or is inactive; otherwise as [`get`].
pub fn set_values(
    store: &mut Store,
    user: &User,
    id: i64,
    values: &[ValueChoice],
    accept_suggestions: bool,
) -> Result<WizardView> {
    let mut view = get_open(store, user, id)?;
    let mut mappings = ValueMappings::new();
    for choice in values {
        let field: LinkField = choice.field.parse()?;
        mappings.insert(field, &choice.value, &choice.target)?;
    }
    let choices = &view.state.choices;
    let create_groups = choices.create_groups || choices.new_group.is_some();
    mappings.check_targets(store, create_groups, choices.create_branches)?;
    view.state.values = mappings;
    view.state.accept_suggestions = accept_suggestions;
    store.set_wizard_state(view.id, &encode(&view.state)?)?;
    Ok(view)
}

/// The last row of data of an inspected sheet at least: its header row plus its data rows.
fn last_row_at_least(inspection: &Inspection) -> u32 {
    inspection
        .header_row
        .saturating_add(u32::try_from(inspection.data_rows).unwrap_or(u32::MAX))
}

/// The last row of data of uploaded file `file_id` as far as the wizard knows it: from the
/// newest preview (which read every row), else from the upload's count of data rows.
fn last_row_of(store: &mut Store, view: &WizardView, file_id: i64) -> Result<Option<u32>> {
    let mut last = None;
    if let Some(found) = store.latest_job(view.id, JobKind::Preview)?
        && let Some(text) = &found.result
        && let Ok(result) = serde_json::from_str::<JobResult>(text)
    {
        last = result
            .files
            .iter()
            .filter(|file| file.file_id == Some(file_id))
            .filter_map(|file| file.last_row)
            .max();
    }
    if last.is_none() {
        last = view.state.file_last_rows.get(&file_id).copied();
    }
    if last.is_none()
        && let Some(file) = view.files.iter().find(|file| file.id == file_id)
    {
        let bytes = store
            .wizard_file_content(view.id, file.id)?
            .unwrap_or_default();
        last = inspect_bytes(
            &file.name,
            Arc::new(bytes),
            &view.state,
            &ReadLimits::default(),
        )?
        .iter()
        .map(last_row_at_least)
        .max();
    }
    Ok(last)
}

/// Chooses the rows of uploaded file `file_id` to import (`None`: every row); the others
/// are skipped as not selected.
///
/// # Errors
///
/// [`Error::Correction`]: an unknown file, a row past the file's last row of data; otherwise
/// as [`get`].
pub fn set_rows(
    store: &mut Store,
    user: &User,
    id: i64,
    file_id: i64,
    rows: Option<ChosenRows>,
) -> Result<WizardView> {
    let mut view = get_open(store, user, id)?;
    let Some(file) = view.files.iter().find(|file| file.id == file_id).cloned() else {
        return Err(CorrectionError::NoFile { file: file_id }.into());
    };
    match rows {
        Some(rows) => {
            if let Some(last) = last_row_of(store, &view, file_id)?
                && rows.last() > last
            {
                return Err(CorrectionError::RowsPastEnd {
                    file: file.name,
                    row: rows.last(),
                    rows,
                    last,
                }
                .into());
            }
            view.state.rows.insert(file_id, rows);
        }
        None => {
            view.state.rows.remove(&file_id);
        }
    }
    store.set_wizard_state(view.id, &encode(&view.state)?)?;
    Ok(view)
}

/// Parses rows as typed (`2-40,45`) for file `file_id`, naming the file in the error.
///
/// # Errors
///
/// [`Error::Correction`] with [`CorrectionError::Rows`] or [`CorrectionError::NoFile`].
pub fn parse_rows(view: &WizardView, file_id: i64, given: &str) -> Result<ChosenRows> {
    let file = view
        .files
        .iter()
        .find(|file| file.id == file_id)
        .ok_or(CorrectionError::NoFile { file: file_id })?;
    given.parse().map_err(|source| {
        CorrectionError::Rows {
            file: file.name.clone(),
            given: given.to_owned(),
            source,
        }
        .into()
    })
}

/// What a fixed value is found to be by the field's rule, at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FixCheck {
    /// Whether the rule takes it (fields without a rule of their own are taken here and
    /// checked with their row by the next preview).
    pub valid: bool,
    /// The value as it is stored, when the rule normalizes it.
    pub normalized: Option<String>,
    /// The rule's messages when it does not take it.
    pub messages: Vec<LocalizedText>,
}

/// Checks one value of `field` by the same rule the import uses, when the field has one of
/// its own (identifiers, email, phone, postal code, country, website).
pub fn check_value(field: tuonti_domain::FieldKey, value: &str, default_country: &str) -> FixCheck {
    let kind = tuonti_validation::CheckKind::ALL
        .into_iter()
        .find(|kind| kind.field() == field);
    let Some(kind) = kind else {
        return FixCheck {
            valid: true,
            normalized: None,
            messages: Vec::new(),
        };
    };
    let outcome = tuonti_validation::check(kind, value, default_country);
    let messages: Vec<LocalizedText> = outcome
        .issues
        .iter()
        .filter(|issue| issue.is_error())
        .map(|issue| issue.message.clone())
        .collect();
    FixCheck {
        valid: messages.is_empty(),
        normalized: outcome.normalized,
        messages,
    }
}

/// Fixes a cell of a row the newest preview rejects: `field`'s cell on row `row` of uploaded
/// file `file_id` is read as `value` (by the signed-in admin), replacing an earlier fix of
/// the cell. The value is checked at once by the field's rule ([`check_value`]) and kept even
/// when still invalid: the row then stays rejected with the rule's message. A row already
/// fixed may be fixed again.
///
/// # Errors
///
/// [`Error::Correction`]: an unknown file, no preview yet, a row the newest preview does not
/// reject, a field without a column in the file; otherwise as [`get`].
pub fn fix_cell(
    store: &mut Store,
    user: &User,
    id: i64,
    file_id: i64,
    row: u32,
    field: tuonti_domain::FieldKey,
    value: &str,
) -> Result<(WizardView, FixCheck)> {
    let mut view = get_open(store, user, id)?;
    let Some(file) = view.files.iter().find(|file| file.id == file_id).cloned() else {
        return Err(CorrectionError::NoFile { file: file_id }.into());
    };
    let already_fixed = view
        .state
        .fixes
        .get(&file_id)
        .is_some_and(|fixes| fixes.iter().any(|fix| fix.row == row));
    if !already_fixed {
        let result = store
            .latest_job(view.id, JobKind::Preview)?
            .and_then(|found| found.result)
            .and_then(|text| serde_json::from_str::<JobResult>(&text).ok())
            .ok_or(CorrectionError::NoPreview)?;
        let rejected = result.rows.iter().any(|line| {
            line.row == row
                && line.action == RowAction::Reject
                && result
                    .files
                    .get(line.file)
                    .is_some_and(|planned| planned.file_id == Some(file_id))
        });
        if !rejected {
            return Err(CorrectionError::NotRejected {
                file: file.name,
                row,
            }
            .into());
        }
    }
    let bytes = store
        .wizard_file_content(view.id, file.id)?
        .unwrap_or_default();
    let has_column = inspect_bytes(
        &file.name,
        Arc::new(bytes),
        &view.state,
        &ReadLimits::default(),
    )?
    .iter()
    .any(|inspection| {
        inspection
            .columns
            .iter()
            .any(|column| column.field == Some(field))
    });
    if !has_column {
        return Err(CorrectionError::NoColumn {
            file: file.name,
            field,
        }
        .into());
    }
    let check = check_value(field, value, &view.state.choices.default_country);
    let fixes = view.state.fixes.entry(file_id).or_default();
    fixes.retain(|fix| !(fix.row == row && fix.field == field));
    fixes.push(CellFix {
        row,
        field,
        value: value.trim().to_owned(),
        by: Some(user.email.clone()),
    });
    fixes.sort_by_key(|fix| (fix.row, fix.field));
    store.set_wizard_state(view.id, &encode(&view.state)?)?;
    Ok((view, check))
}

/// Takes back the fix of `field`'s cell on row `row` of file `file_id` (none: no change).
///
/// # Errors
///
/// As [`get`].
pub fn unfix_cell(
    store: &mut Store,
    user: &User,
    id: i64,
    file_id: i64,
    row: u32,
    field: tuonti_domain::FieldKey,
) -> Result<WizardView> {
    let mut view = get_open(store, user, id)?;
    if let Some(fixes) = view.state.fixes.get_mut(&file_id) {
        fixes.retain(|fix| !(fix.row == row && fix.field == field));
        if fixes.is_empty() {
            view.state.fixes.remove(&file_id);
        }
    }
    store.set_wizard_state(view.id, &encode(&view.state)?)?;
    Ok(view)
}

/// Applies a saved mapping profile (see [`crate::profiles`]) as step 5's corrections,
/// replacing the earlier ones, and adds its value mappings to the values table's. Every
/// file is read again with it.
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
    let content = crate::profiles::content(store, profile)?;
    let sheet = get(store, user, id)?.state.sheet;
    let inspections = set_mapping(store, user, id, sheet, content.columns)?;
    if !content.values.is_empty() {
        // The profile's value mappings join the values table's (the table's win).
        let mut view = get_open(store, user, id)?;
        view.state.values = content.values.overridden_by(&view.state.values);
        store.set_wizard_state(view.id, &encode(&view.state)?)?;
    }
    Ok(inspections)
}

/// Saves the first file's whole mapping as it is now (every column's field, or `ignore`),
/// with the values table's mappings, as a mapping profile for later imports from the same
/// source.
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
        return Err(crate::util::refused_in(
            "lataa ensin tiedosto: profiili tallentaa tiedoston sarakevastaavuudet",
            "ladda först upp en fil: en profil sparar en fils kolumnmappning",
            "upload a file first: a profile saves a file's mapping",
        ));
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
    let values = get(store, user, id)?.state.values;
    crate::profiles::save_content(
        store,
        profile,
        &crate::profiles::ProfileContent {
            columns: overrides,
            values,
        },
    )
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
        return Err(crate::util::refused_in(
            "lataa ensin vähintään yksi tiedosto",
            "ladda först upp minst en fil",
            "upload at least one file first",
        ));
    }
    if !view.state.choices_saved {
        return Err(crate::util::refused_in(
            "valitse ensin yritystyyppi ja asiakkuusjohtaja",
            "välj först företagstyp och kundansvarig",
            "choose the company type and the account manager first",
        ));
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
    /// The wizard's uploaded file the sheet is of (`None` in results stored before it was
    /// recorded).
    #[serde(default)]
    pub file_id: Option<i64>,
    /// The last row of data read (`None` when no row was read, or in older results).
    #[serde(default)]
    pub last_row: Option<u32>,
}

/// One row of a file in a [`JobResult`]: the preview's row table (rows to tick, cells to
/// fix).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowLine {
    /// The index of its sheet in [`JobResult::files`].
    pub file: usize,
    /// The 1-based row.
    pub row: u32,
    /// What happens to it.
    pub action: RowAction,
    /// The fields of its cells with an error (cells that can be fixed, on a rejected row).
    #[serde(default)]
    pub error_fields: Vec<tuonti_domain::FieldKey>,
    /// Its first error's message, if any.
    #[serde(default)]
    pub error: Option<LocalizedText>,
}

/// How many rows of each sheet a [`JobResult`] lists in [`JobResult::rows`] (beyond the
/// rejected ones, which it lists up to [`RESULT_ISSUES`]).
pub const RESULT_ROWS: usize = import::KEPT_SAMPLE_ROWS;

/// One issue in a [`JobResult`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueLine {
    /// The file name.
    pub file: String,
    /// The cell as the spreadsheet shows it (`C7`), or `row 7`: the stable form.
    pub cell: String,
    /// Where the issue is, to name the cell in the reader's language
    /// ([`Location::cell_ref_in`]); empty in results stored before it was kept.
    #[serde(default)]
    pub location: Location,
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
    /// The first [`RESULT_ROWS`] rows of each sheet and the rejected ones, in order.
    #[serde(default)]
    pub rows: Vec<RowLine>,
    /// The values of linked columns that resolve to nothing, each once.
    #[serde(default)]
    pub unresolved_values: Vec<UnresolvedValue>,
    /// The values read as their only suggestion.
    #[serde(default)]
    pub accepted_suggestions: Vec<AcceptedSuggestion>,
}

impl JobResult {
    fn from_plan(
        plan: &Plan,
        applied: bool,
        batch_id: Option<ImportBatchId>,
        file_ids: &[Option<i64>],
        last_rows: &[Option<u32>],
    ) -> Self {
        let mut rows = Vec::new();
        let mut shown = vec![0usize; plan.files.len()];
        let mut rejected_shown = 0usize;
        for row in &plan.rows {
            let rejected = row.action == RowAction::Reject;
            let sample = shown[row.file] < RESULT_ROWS;
            if !(sample || (rejected && rejected_shown < RESULT_ISSUES)) {
                continue;
            }
            if sample {
                shown[row.file] += 1;
            } else {
                rejected_shown += 1;
            }
            let errors = row.issues.iter().filter(|issue| issue.is_error());
            let mut error_fields: Vec<tuonti_domain::FieldKey> = errors
                .clone()
                .filter(|issue| issue.location.column.is_some())
                .filter_map(|issue| issue.location.field)
                .collect();
            error_fields.dedup();
            rows.push(RowLine {
                file: row.file,
                row: row.row,
                action: row.action,
                error_fields,
                error: errors.clone().next().map(|issue| issue.message.clone()),
            });
        }
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
                        location: issue.location.clone(),
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
                .enumerate()
                .map(|(index, file)| FileResult {
                    name: file.name.clone(),
                    kind: file.kind,
                    sheet: file.sheet.clone(),
                    header_row: file.header_row,
                    counts: file.counts,
                    choices: Some(file.choices.clone()),
                    file_id: file_ids.get(index).copied().flatten(),
                    last_row: last_rows.get(index).copied().flatten(),
                })
                .collect(),
            new_groups: plan.new_groups.clone(),
            issues,
            total_issues: plan.issue_count(),
            rows,
            unresolved_values: plan.unresolved_values.clone(),
            accepted_suggestions: plan.accepted_suggestions.clone(),
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
            let text = encode(&LocalizedText::new(
                error.message(Lang::Fi),
                error.message(Lang::Sv),
                error.message(Lang::En),
            ))?;
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
        let mut import_file = ImportFile::new(file.name.clone(), bytes)
            .with_choices(view.state.choices.for_file(file.id));
        import_file.rows = view.state.rows.get(&file.id).cloned();
        import_file.fixes = view.state.fixes.get(&file.id).cloned().unwrap_or_default();
        files.push(import_file);
    }
    let mut choices = import_choices(&view.state.choices, user);
    choices.values = view.state.values.clone();
    choices.accept_suggestions = view.state.accept_suggestions;
    let request = ImportRequest {
        files,
        choices,
        sheet: view.state.sheet.clone(),
        overrides: view.state.overrides.clone(),
        limits: ReadLimits::default(),
        kinds: Vec::new(),
    };
    let mut on_progress = |p: PlanProgress| progress(p.rows);
    // The last row read of each sheet (the rows the preview can choose).
    let mut last_rows: Vec<Option<u32>> = Vec::new();
    let mut observe = |row: &import::PlannedRow| {
        if last_rows.len() <= row.file {
            last_rows.resize(row.file + 1, None);
        }
        let last = &mut last_rows[row.file];
        *last = Some(last.map_or(row.row, |last| last.max(row.row)));
    };
    let (plan, applied, batch_id) = match job.kind {
        JobKind::Import => {
            let applied = import::apply_with(store, &request, &mut on_progress, &mut observe)?;
            (applied.plan, true, applied.batch_id)
        }
        _ => {
            let plan = import::plan_with(store, &request, &mut on_progress, &mut observe)?;
            (plan, false, None)
        }
    };
    // Rows not chosen are not read: the last row is at least the chosen rows' last, and what
    // the upload counted.
    let file_ids = planned_file_ids(&plan, &view.files);
    for (index, planned) in plan.files.iter().enumerate() {
        if let Some(chosen) = &planned.choices.rows {
            if last_rows.len() <= index {
                last_rows.resize(index + 1, None);
            }
            let counted = file_ids
                .get(index)
                .copied()
                .flatten()
                .and_then(|file_id| view.state.file_last_rows.get(&file_id).copied())
                .unwrap_or(0);
            let last = &mut last_rows[index];
            let at_least = chosen.last().max(counted);
            *last = Some(last.map_or(at_least, |last| last.max(at_least)));
        }
    }
    let outputs = error_workbooks(&plan, lang)?;
    Ok((
        JobResult::from_plan(&plan, applied, batch_id, &file_ids, &last_rows),
        outputs,
    ))
}

/// The uploaded file each sheet of the plan is of: the plan's files follow the uploads in
/// order, a workbook giving one for each sheet of records.
fn planned_file_ids(plan: &Plan, files: &[WizardFile]) -> Vec<Option<i64>> {
    let mut ids = Vec::with_capacity(plan.files.len());
    let mut upload = 0usize;
    let mut previous: Option<&str> = None;
    let mut sheets: Vec<Option<&str>> = Vec::new();
    for planned in &plan.files {
        // A new upload begins where the name changes, or where the same name comes again
        // with a sheet this upload gave already (two uploads of one name).
        let sheet = planned.sheet.as_deref();
        if let Some(name) = previous
            && (name != planned.name || sheets.contains(&sheet))
        {
            upload += 1;
            sheets.clear();
        }
        while upload < files.len() && files[upload].name != planned.name {
            upload += 1;
        }
        ids.push(files.get(upload).map(|file| file.id));
        previous = Some(&planned.name);
        sheets.push(sheet);
    }
    ids
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
        let suffix = match lang {
            Lang::Fi => "virheet",
            Lang::Sv => "fel",
            Lang::En => "errors",
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

/// A record a value of a linked field can be mapped to (a dropdown option of the values
/// table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueCandidate {
    /// What the value is mapped to: a user's email, a type's, group's or branch's name, a
    /// status, a country code.
    pub target: String,
    /// How it is shown.
    pub label: String,
}

/// Every record a value of `field` can be mapped to, labelled in `lang`: active users for
/// the managers, company types not archived, customer groups, branches, the project
/// statuses and the countries.
///
/// # Errors
///
/// [`Error::Persistence`] on database failure.
pub fn value_candidates(
    store: &mut Store,
    field: LinkField,
    lang: Lang,
) -> Result<Vec<ValueCandidate>> {
    use tuonti_domain::ProjectStatus;
    let candidate = |target: String, label: String| ValueCandidate { target, label };
    Ok(match field {
        LinkField::AccountManager | LinkField::ProjectManager => store
            .users()?
            .into_iter()
            .filter(|user| user.active)
            .map(|user| {
                candidate(
                    user.email.clone(),
                    format!("{} <{}>", user.display_name, user.email),
                )
            })
            .collect(),
        LinkField::CompanyType => store
            .company_types(false)?
            .into_iter()
            .map(|company_type| {
                let label = match lang {
                    Lang::Fi => company_type.names.fi.clone(),
                    Lang::Sv => company_type
                        .names
                        .sv
                        .clone()
                        .unwrap_or_else(|| company_type.names.fi.clone()),
                    Lang::En => company_type
                        .names
                        .en
                        .clone()
                        .unwrap_or_else(|| company_type.names.fi.clone()),
                };
                candidate(company_type.names.fi, label)
            })
            .collect(),
        LinkField::CustomerGroup => store
            .customer_groups()?
            .into_iter()
            .map(|group| candidate(group.name.clone(), group.name))
            .collect(),
        LinkField::Branch => store
            .branches()?
            .into_iter()
            .map(|branch| candidate(branch.name.clone(), branch.name))
            .collect(),
        LinkField::Status => [
            (ProjectStatus::Offer, "tarjous", "tarjous", "offer"),
            (ProjectStatus::Active, "käynnissä", "pågående", "active"),
            (ProjectStatus::OnHold, "tauolla", "pausad", "on hold"),
            (ProjectStatus::Completed, "valmis", "avslutad", "completed"),
            (ProjectStatus::Cancelled, "peruttu", "avbruten", "cancelled"),
        ]
        .into_iter()
        .map(|(status, fi, sv, en)| {
            let label = match lang {
                Lang::Fi => fi,
                Lang::Sv => sv,
                Lang::En => en,
            };
            candidate(status.as_str().to_owned(), label.to_owned())
        })
        .collect(),
        LinkField::Country => tuonti_validation::countries()
            .iter()
            .map(|country| {
                candidate(
                    country.alpha2.to_owned(),
                    format!("{} ({})", country.name(lang), country.alpha2),
                )
            })
            .collect(),
    })
}
