//! The import wizard: state, uploads, choices, mapping, and previews and imports as jobs.

use crate::error::AppError;
use crate::state::AppState;
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use tuonti_domain::FieldKey;
use tuonti_domain::{CompanyType, CustomerGroup, Lang, RecordKind, User};
use tuonti_excel_template::{Inspection, MappingOverride, ReadLimits};
use tuonti_importer::import::LinkField;
use tuonti_importer::wizard::{
    self, FixCheck, JobResult, JobView, ValueCandidate, ValueChoice, WizardChoices, WizardView,
};
use tuonti_persistence::{Backend, JobKind, JobStatus, WizardFile};

/// Everything the wizard's pages and the API show of the admin's wizard.
#[derive(Debug, Clone, Serialize)]
pub struct WizardOverview {
    /// The wizard's id.
    pub id: i64,
    /// The stored choices (step 4).
    pub choices: WizardChoices,
    /// Whether step 4 was saved.
    pub choices_saved: bool,
    /// The chosen sheet.
    pub sheet: Option<String>,
    /// Step 5's corrections.
    pub overrides: Vec<String>,
    /// The uploaded files.
    pub files: Vec<FileSummary>,
    /// Data rows over all files.
    pub total_rows: u64,
    /// The newest preview.
    pub preview: Option<JobSummary>,
    /// Whether files, choices or mapping changed after the newest preview started.
    pub preview_outdated: bool,
    /// The newest import.
    pub import: Option<JobSummary>,
    /// The values table's mappings, for every file: field → value → target.
    pub values: tuonti_importer::import::ValueMappings,
    /// Whether a value with exactly one suggestion is read as it.
    pub accept_suggestions: bool,
    /// The rows chosen of each file, by file id (`2-40,45`; a file not here: every row).
    pub rows: std::collections::BTreeMap<i64, tuonti_importer::import::ChosenRows>,
    /// The cells fixed in the preview, by file id.
    pub fixes: std::collections::BTreeMap<i64, Vec<tuonti_importer::import::CellFix>>,
}

/// An uploaded file.
#[derive(Debug, Clone, Serialize)]
pub struct FileSummary {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Its size.
    pub size_bytes: i64,
    /// Its data rows.
    pub data_rows: u64,
    /// The kinds of records it holds (`None` for a file uploaded before they were recorded).
    pub kinds: Option<Vec<RecordKind>>,
}

impl FileSummary {
    /// Whether it may hold projects (it does, or its kinds are not known).
    pub fn may_hold_projects(&self) -> bool {
        self.kinds
            .as_ref()
            .is_none_or(|kinds| kinds.contains(&RecordKind::Project))
    }
}

/// A job as shown.
#[derive(Debug, Clone, Serialize)]
pub struct JobSummary {
    /// Its id.
    pub id: i64,
    /// `preview` or `import`.
    pub kind: &'static str,
    /// `running`, `succeeded` or `failed`.
    pub status: &'static str,
    /// Marked running, but its server stopped reporting (nothing of it was written).
    pub interrupted: bool,
    /// When it started (UTC).
    pub started_at: chrono::NaiveDateTime,
    /// Rows handled so far.
    pub rows_done: u64,
    /// Rows in all.
    pub rows_total: u64,
    /// The result, when it succeeded.
    pub result: Option<JobResult>,
    /// The error, when it failed (in every language).
    pub error: Option<tuonti_domain::LocalizedText>,
    /// The error workbooks: id and file name.
    pub outputs: Vec<OutputSummary>,
}

/// An error workbook of a job.
#[derive(Debug, Clone, Serialize)]
pub struct OutputSummary {
    /// Its id.
    pub id: i64,
    /// Its file name.
    pub name: String,
}

/// The options of step 4's dropdowns.
#[derive(Debug, Clone, Serialize)]
pub struct ChoiceOptions {
    /// Active company types.
    pub company_types: Vec<CompanyType>,
    /// Customer groups.
    pub customer_groups: Vec<CustomerGroup>,
    /// Active users (account managers).
    pub account_managers: Vec<User>,
}

fn summarize(view: JobView, live_rows: Option<u64>, rows_total: u64) -> JobSummary {
    let job = &view.job;
    JobSummary {
        id: job.id,
        kind: job.kind.as_str(),
        status: job.status.as_str(),
        // A job running in this process is alive whatever its heartbeat says (SQLite
        // imports hold the write lock and cannot record one).
        interrupted: view.interrupted && live_rows.is_none(),
        started_at: job.started_at,
        rows_done: live_rows.unwrap_or(job.rows_done).max(job.rows_done),
        rows_total,
        result: view.result,
        error: view.error,
        outputs: view
            .outputs
            .into_iter()
            .map(|output| OutputSummary {
                id: output.id,
                name: output.name,
            })
            .collect(),
    }
}

fn overview(
    state: &AppState,
    store: &mut tuonti_persistence::Store,
    user: &User,
    view: WizardView,
) -> Result<WizardOverview, AppError> {
    let total_rows = view.state.total_rows();
    let mut job_of = |kind| -> Result<Option<JobSummary>, AppError> {
        Ok(wizard::latest_job(store, user, view.id, kind)?.map(|job| {
            let live = state.progress.get(job.job.id);
            summarize(job, live, total_rows)
        }))
    };
    let preview = job_of(JobKind::Preview)?;
    let import = job_of(JobKind::Import)?;
    let preview_outdated = preview
        .as_ref()
        .is_some_and(|preview| preview.started_at < view.updated_at);
    Ok(WizardOverview {
        id: view.id,
        files: files_of(&view, &view.files),
        choices: view.state.choices.clone(),
        choices_saved: view.state.choices_saved,
        sheet: view.state.sheet.clone(),
        overrides: view
            .state
            .overrides
            .iter()
            .map(ToString::to_string)
            .collect(),
        total_rows,
        preview,
        preview_outdated,
        import,
        values: view.state.values.clone(),
        accept_suggestions: view.state.accept_suggestions,
        rows: view.state.rows.clone(),
        fixes: view.state.fixes.clone(),
    })
}

fn files_of(view: &WizardView, files: &[WizardFile]) -> Vec<FileSummary> {
    files
        .iter()
        .map(|file| FileSummary {
            id: file.id,
            name: file.name.clone(),
            size_bytes: file.size_bytes,
            data_rows: view.state.file_rows.get(&file.id).copied().unwrap_or(0),
            kinds: view.state.file_kinds.get(&file.id).cloned(),
        })
        .collect()
}

/// The admin's open wizard (a new one when none is open).
///
/// # Errors
///
/// [`AppError::Importer`] for a non-admin or a database failure.
pub async fn current(state: &AppState, user: &User) -> Result<WizardOverview, AppError> {
    let user = user.clone();
    let state2 = state.clone();
    state
        .db
        .run(move |store| {
            let view = wizard::current(store, &user)?;
            overview(&state2, store, &user, view)
        })
        .await
}

/// The options of step 4.
///
/// # Errors
///
/// [`AppError::Importer`] on database failure.
pub async fn choice_options(state: &AppState) -> Result<ChoiceOptions, AppError> {
    state
        .db
        .run(|store| {
            Ok(ChoiceOptions {
                company_types: store.company_types(false)?,
                customer_groups: store.customer_groups()?,
                account_managers: store.users()?.into_iter().filter(|u| u.active).collect(),
            })
        })
        .await
}

/// What became of one uploaded file.
#[derive(Debug, Serialize)]
pub struct UploadOutcome {
    /// The file name.
    pub name: String,
    /// The stored file, when accepted.
    pub file: Option<FileSummary>,
    /// Why it was refused (in the request's language).
    pub error: Option<String>,
}

/// Adds uploaded files to the wizard; each file is accepted or refused on its own.
///
/// # Errors
///
/// [`AppError::Importer`] for a closed or foreign wizard or a database failure.
pub async fn upload(
    state: &AppState,
    user: &User,
    wizard_id: i64,
    files: Vec<(String, Vec<u8>)>,
    lang: Lang,
) -> Result<Vec<UploadOutcome>, AppError> {
    let user = user.clone();
    let limits = ReadLimits {
        max_file_bytes: state.config.max_upload_bytes,
        ..state.config.read_limits.clone()
    };
    state
        .db
        .run(move |store| {
            let mut outcomes = Vec::with_capacity(files.len());
            for (name, bytes) in files {
                let size = bytes.len();
                match wizard::add_file_with(store, &user, wizard_id, &name, bytes, &limits) {
                    Ok((file, inspection)) => outcomes.push(UploadOutcome {
                        name: file.name.clone(),
                        file: Some(FileSummary {
                            id: file.id,
                            name: file.name,
                            size_bytes: i64::try_from(size).unwrap_or(i64::MAX),
                            data_rows: inspection.data_rows,
                            kinds: None,
                        }),
                        error: None,
                    }),
                    Err(error) if error.is_user_error() => outcomes.push(UploadOutcome {
                        name,
                        file: None,
                        error: Some(error.message(lang)),
                    }),
                    Err(error) => return Err(error.into()),
                }
            }
            // The inspection describes a workbook's first sheet of records; the rows of all
            // its sheets are what the files list shows and the import reads.
            let stored = wizard::get(store, &user, wizard_id)?.state;
            for file in outcomes
                .iter_mut()
                .filter_map(|outcome| outcome.file.as_mut())
            {
                if let Some(data_rows) = stored.file_rows.get(&file.id) {
                    file.data_rows = *data_rows;
                }
                file.kinds = stored.file_kinds.get(&file.id).cloned();
            }
            Ok(outcomes)
        })
        .await
}

/// Removes an uploaded file.
///
/// # Errors
///
/// [`AppError::Importer`]: unknown file, closed wizard, database failure.
pub async fn remove_file(
    state: &AppState,
    user: &User,
    wizard_id: i64,
    file_id: i64,
) -> Result<(), AppError> {
    let user = user.clone();
    state
        .db
        .run(move |store| Ok(wizard::remove_file(store, &user, wizard_id, file_id)?))
        .await
}

/// Saves step 4: the choices for every file and each file's own.
///
/// # Errors
///
/// [`AppError::Importer`] naming the choice that does not resolve (and its file, for a
/// file's own choice).
pub async fn set_choices(
    state: &AppState,
    user: &User,
    wizard_id: i64,
    choices: WizardChoices,
) -> Result<(), AppError> {
    let user = user.clone();
    state
        .db
        .run(move |store| {
            wizard::set_choices(store, &user, wizard_id, &choices)?;
            Ok(())
        })
        .await
}

/// Every file's columns with their fields, confidence and samples (step 5).
///
/// # Errors
///
/// [`AppError::Importer`] when a file no longer reads with the overrides.
pub async fn mapping(
    state: &AppState,
    user: &User,
    wizard_id: i64,
) -> Result<Vec<Inspection>, AppError> {
    let user = user.clone();
    state
        .db
        .run(move |store| Ok(wizard::mapping(store, &user, wizard_id)?))
        .await
}

/// Saves step 5's corrections.
///
/// # Errors
///
/// [`AppError::Importer`] when an override names no column of a file.
pub async fn set_mapping(
    state: &AppState,
    user: &User,
    wizard_id: i64,
    sheet: Option<String>,
    overrides: Vec<MappingOverride>,
) -> Result<Vec<Inspection>, AppError> {
    let user = user.clone();
    state
        .db
        .run(move |store| {
            Ok(wizard::set_mapping(
                store, &user, wizard_id, sheet, overrides,
            )?)
        })
        .await
}

/// Saves the values table: the mappings replace the earlier ones.
///
/// # Errors
///
/// [`AppError::Importer`]: a field that is not a link, a value mapped twice to different
/// targets, a target that does not exist or is inactive.
pub async fn set_values(
    state: &AppState,
    user: &User,
    wizard_id: i64,
    values: Vec<ValueChoice>,
    accept_suggestions: bool,
) -> Result<(), AppError> {
    let user = user.clone();
    state
        .db
        .run(move |store| {
            wizard::set_values(store, &user, wizard_id, &values, accept_suggestions)?;
            Ok(())
        })
        .await
}

/// The records the values of each field can be mapped to (the values table's dropdowns).
///
/// # Errors
///
/// [`AppError::Importer`] on database failure.
pub async fn value_candidates(
    state: &AppState,
    fields: Vec<LinkField>,
    lang: Lang,
) -> Result<BTreeMap<LinkField, Vec<ValueCandidate>>, AppError> {
    state
        .db
        .run(move |store| {
            let mut candidates = BTreeMap::new();
            for field in fields {
                candidates.insert(field, wizard::value_candidates(store, field, lang)?);
            }
            Ok(candidates)
        })
        .await
}

/// Chooses a file's rows (`2-40,45`; empty: every row).
///
/// # Errors
///
/// [`AppError::Importer`]: an unknown file, rows that cannot be read, backwards or past the
/// file's last row of data.
pub async fn set_rows(
    state: &AppState,
    user: &User,
    wizard_id: i64,
    file_id: i64,
    rows: Option<String>,
) -> Result<(), AppError> {
    let user = user.clone();
    state
        .db
        .run(move |store| {
            let view = wizard::get(store, &user, wizard_id)?;
            let rows = match rows.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(given) => Some(wizard::parse_rows(&view, file_id, given)?),
            };
            wizard::set_rows(store, &user, wizard_id, file_id, rows)?;
            Ok(())
        })
        .await
}

/// Fixes a cell of a rejected row, checking the value at once.
///
/// # Errors
///
/// [`AppError::Importer`]: an unknown file, no preview, a row that is not rejected, a field
/// without a column.
pub async fn fix_cell(
    state: &AppState,
    user: &User,
    wizard_id: i64,
    fix: CellFixRequest,
) -> Result<FixCheck, AppError> {
    let user = user.clone();
    state
        .db
        .run(move |store| {
            let (_, check) = wizard::fix_cell(
                store, &user, wizard_id, fix.file, fix.row, fix.field, &fix.value,
            )?;
            Ok(check)
        })
        .await
}

/// Takes back a cell's fix.
///
/// # Errors
///
/// [`AppError::Importer`] for a closed or foreign wizard.
pub async fn unfix_cell(
    state: &AppState,
    user: &User,
    wizard_id: i64,
    file_id: i64,
    row: u32,
    field: FieldKey,
) -> Result<(), AppError> {
    let user = user.clone();
    state
        .db
        .run(move |store| {
            wizard::unfix_cell(store, &user, wizard_id, file_id, row, field)?;
            Ok(())
        })
        .await
}

/// A cell fix as a request gives it.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CellFixRequest {
    /// The uploaded file's id.
    pub file: i64,
    /// The row as the spreadsheet shows it.
    pub row: u32,
    /// The field of the cell.
    pub field: FieldKey,
    /// The new value.
    pub value: String,
}

/// The saved mapping profiles' names.
///
/// # Errors
///
/// [`AppError::Importer`] on database failure.
pub async fn profiles(state: &AppState) -> Result<Vec<String>, AppError> {
    state
        .db
        .run(|store| {
            Ok(tuonti_importer::profiles::list(store)?
                .into_iter()
                .map(|profile| profile.name)
                .collect())
        })
        .await
}

/// Applies a saved mapping profile to the wizard's files.
///
/// # Errors
///
/// [`AppError::Importer`]: an unknown profile, or one naming a header a file lacks.
pub async fn apply_profile(
    state: &AppState,
    user: &User,
    wizard_id: i64,
    name: String,
) -> Result<Vec<Inspection>, AppError> {
    let user = user.clone();
    state
        .db
        .run(move |store| Ok(wizard::apply_profile(store, &user, wizard_id, &name)?))
        .await
}

/// Saves the first file's mapping as a profile.
///
/// # Errors
///
/// [`AppError::Importer`]: no file yet, an empty name.
pub async fn save_profile(
    state: &AppState,
    user: &User,
    wizard_id: i64,
    name: String,
) -> Result<String, AppError> {
    let user = user.clone();
    state
        .db
        .run(move |store| Ok(wizard::save_profile(store, &user, wizard_id, &name)?.name))
        .await
}

/// Gives up the wizard.
///
/// # Errors
///
/// [`AppError::Importer`] for a closed or foreign wizard.
pub async fn cancel(state: &AppState, user: &User, wizard_id: i64) -> Result<(), AppError> {
    let user = user.clone();
    state
        .db
        .run(move |store| Ok(wizard::cancel(store, &user, wizard_id)?))
        .await
}

/// Starts a preview or the import as a job running on this server, and returns it at once.
/// A job of the same kind already running for the wizard is returned instead.
///
/// # Errors
///
/// [`AppError::Importer`] when there are no files or no choices yet.
pub async fn start(
    state: &AppState,
    user: &User,
    wizard_id: i64,
    kind: JobKind,
    lang: Lang,
) -> Result<i64, AppError> {
    let user = user.clone();
    let (job, created) = state
        .db
        .run(move |store| Ok(wizard::start_job(store, &user, wizard_id, kind)?))
        .await?;
    if created {
        spawn_runner(state.clone(), job.id, lang);
    }
    Ok(job.id)
}

/// Runs a job on a blocking thread of its own: its connection holds the import's
/// transaction, and progress goes to this process's memory and to the database through a
/// second connection (except for imports on SQLite, which hold the only write lock).
fn spawn_runner(state: AppState, job_id: i64, lang: Lang) {
    tokio::task::spawn_blocking(move || {
        let mut store = match state.db.connection() {
            Ok(store) => store,
            Err(error) => {
                eprintln!("tuonti-server: job {job_id} could not start: {error}");
                return;
            }
        };
        let kind = store.job(job_id).ok().flatten().map(|job| job.kind);
        let mut progress_store = match (state.db.backend(), kind) {
            // An import on SQLite holds the only write lock until it commits.
            (Backend::Sqlite, Some(JobKind::Import) | None) => None,
            _ => state.db.connection().ok(),
        };
        let mut last_write = Instant::now();
        let progress = state.progress.clone();
        let outcome = wizard::run_job(&mut store, job_id, lang, &mut |rows| {
            progress.set(job_id, rows);
            if let Some(progress_store) = progress_store.as_mut()
                && last_write.elapsed() >= Duration::from_millis(250)
            {
                last_write = Instant::now();
                let _ = progress_store.job_progress(job_id, rows);
            }
        });
        if let Err(error) = outcome
            && !error.is_user_error()
        {
            eprintln!("tuonti-server: job {job_id} failed: {error}");
        }
        state.progress.remove(job_id);
    });
}

/// A job of the admin's wizard, with live progress when it runs here.
///
/// # Errors
///
/// [`AppError::Importer`] with `NotFound` for another admin's job.
pub async fn job(state: &AppState, user: &User, job_id: i64) -> Result<JobSummary, AppError> {
    let user = user.clone();
    let live = state.progress.get(job_id);
    state
        .db
        .run(move |store| {
            let view = wizard::job(store, &user, job_id)?;
            let wizard = wizard::get(store, &user, view.job.wizard_id)?;
            let total = wizard.state.total_rows();
            Ok(summarize(view, live, total))
        })
        .await
}

/// An error workbook of a job.
///
/// # Errors
///
/// [`AppError::Importer`] with `NotFound`.
pub async fn output(
    state: &AppState,
    user: &User,
    job_id: i64,
    output_id: i64,
) -> Result<(String, Vec<u8>), AppError> {
    let user = user.clone();
    state
        .db
        .run(move |store| Ok(wizard::job_output(store, &user, job_id, output_id)?))
        .await
}

/// The import template, generated now with the database's types, groups and managers.
///
/// # Errors
///
/// [`AppError::Importer`] on database failure.
pub async fn template(state: &AppState, lang: Lang) -> Result<Vec<u8>, AppError> {
    state
        .db
        .run(move |store| {
            let options = tuonti_importer::template::options(store, lang)?;
            tuonti_excel_template::template_bytes(&options)
                .map_err(|error| AppError::Importer(error.into()))
        })
        .await
}

/// Whether a job has ended.
pub fn is_done(job: &JobSummary) -> bool {
    job.status != JobStatus::Running.as_str() || job.interrupted
}
