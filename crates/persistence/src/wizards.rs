//! Import wizards of the web server: each admin's wizard state, its uploaded files and the
//! jobs (previews and imports) run for it, with their outputs (error workbooks). Kept in the
//! database so that any server process can serve any step.
//!
//! The wizard's state and a job's result are JSON documents of the importer's; this module
//! stores them as text and does not read them.

use crate::schema::{import_job_outputs, import_jobs, import_wizard_files, import_wizards};
use crate::store::with_conn;
use crate::util::now;
use crate::{PersistenceError, Result, Store};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use tuonti_domain::{ImportBatchId, UserId};

/// Where a wizard is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WizardStatus {
    /// Being filled in.
    Open,
    /// Its import was applied.
    Imported,
    /// Given up by its user.
    Cancelled,
}

impl WizardStatus {
    /// `open`, `imported` or `cancelled`, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            WizardStatus::Open => "open",
            WizardStatus::Imported => "imported",
            WizardStatus::Cancelled => "cancelled",
        }
    }

    fn parse(value: String) -> Result<Self> {
        match value.as_str() {
            "open" => Ok(WizardStatus::Open),
            "imported" => Ok(WizardStatus::Imported),
            "cancelled" => Ok(WizardStatus::Cancelled),
            _ => Err(PersistenceError::Corrupt {
                table: "import_wizards",
                column: "status",
                value,
            }),
        }
    }
}

/// A stored import wizard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wizard {
    /// The wizard's id.
    pub id: i64,
    /// The admin it belongs to.
    pub user_id: UserId,
    /// Where it is.
    pub status: WizardStatus,
    /// The importer's JSON state document.
    pub state: String,
    /// The batch its import made.
    pub batch_id: Option<ImportBatchId>,
    /// When it was started.
    pub created_at: NaiveDateTime,
    /// When its state last changed.
    pub updated_at: NaiveDateTime,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = import_wizards)]
struct WizardRow {
    id: i64,
    user_id: i64,
    status: String,
    state: String,
    batch_id: Option<i64>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl WizardRow {
    fn into_wizard(self) -> Result<Wizard> {
        Ok(Wizard {
            id: self.id,
            user_id: UserId(self.user_id),
            status: WizardStatus::parse(self.status)?,
            state: self.state,
            batch_id: self.batch_id.map(ImportBatchId),
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// An uploaded file of a wizard, without its contents.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = import_wizard_files)]
pub struct WizardFile {
    /// The file's id.
    pub id: i64,
    /// Its wizard.
    pub wizard_id: i64,
    /// Its place among the wizard's files (files are imported in this order).
    pub position: i32,
    /// The file name as uploaded.
    pub name: String,
    /// Its size.
    pub size_bytes: i64,
    /// Its SHA-256, lower-case hex.
    pub sha256: String,
    /// When it was uploaded.
    pub created_at: NaiveDateTime,
}

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum JobKind {
    /// A dry run.
    Preview,
    /// The import itself.
    Import,
}

impl JobKind {
    /// `preview` or `import`, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::Preview => "preview",
            JobKind::Import => "import",
        }
    }

    fn parse(value: String) -> Result<Self> {
        match value.as_str() {
            "preview" => Ok(JobKind::Preview),
            "import" => Ok(JobKind::Import),
            _ => Err(PersistenceError::Corrupt {
                table: "import_jobs",
                column: "kind",
                value,
            }),
        }
    }
}

/// Where a job is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum JobStatus {
    /// Running (or its process died: see [`Job::heartbeat_at`]).
    Running,
    /// Done; the result is stored.
    Succeeded,
    /// Refused or failed; the error is stored.
    Failed,
}

impl JobStatus {
    /// `running`, `succeeded` or `failed`, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Running => "running",
            JobStatus::Succeeded => "succeeded",
            JobStatus::Failed => "failed",
        }
    }

    fn parse(value: String) -> Result<Self> {
        match value.as_str() {
            "running" => Ok(JobStatus::Running),
            "succeeded" => Ok(JobStatus::Succeeded),
            "failed" => Ok(JobStatus::Failed),
            _ => Err(PersistenceError::Corrupt {
                table: "import_jobs",
                column: "status",
                value,
            }),
        }
    }
}

/// A stored job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// The job's id.
    pub id: i64,
    /// Its wizard.
    pub wizard_id: i64,
    /// What it does.
    pub kind: JobKind,
    /// Where it is.
    pub status: JobStatus,
    /// Rows handled so far.
    pub rows_done: u64,
    /// The importer's JSON result document, when it succeeded.
    pub result: Option<String>,
    /// The importer's JSON error document, when it failed.
    pub error: Option<String>,
    /// The batch an import made.
    pub batch_id: Option<ImportBatchId>,
    /// When it started.
    pub started_at: NaiveDateTime,
    /// When its process last reported progress.
    pub heartbeat_at: NaiveDateTime,
    /// When it ended.
    pub finished_at: Option<NaiveDateTime>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = import_jobs)]
struct JobRow {
    id: i64,
    wizard_id: i64,
    kind: String,
    status: String,
    rows_done: i64,
    result: Option<String>,
    error: Option<String>,
    batch_id: Option<i64>,
    started_at: NaiveDateTime,
    heartbeat_at: NaiveDateTime,
    finished_at: Option<NaiveDateTime>,
}

impl JobRow {
    fn into_job(self) -> Result<Job> {
        Ok(Job {
            id: self.id,
            wizard_id: self.wizard_id,
            kind: JobKind::parse(self.kind)?,
            status: JobStatus::parse(self.status)?,
            rows_done: u64::try_from(self.rows_done).unwrap_or(0),
            result: self.result,
            error: self.error,
            batch_id: self.batch_id.map(ImportBatchId),
            started_at: self.started_at,
            heartbeat_at: self.heartbeat_at,
            finished_at: self.finished_at,
        })
    }
}

/// A file a job wrote (an error workbook), without its contents.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = import_job_outputs)]
pub struct JobOutput {
    /// The output's id.
    pub id: i64,
    /// Its job.
    pub job_id: i64,
    /// Its file name.
    pub name: String,
}

/// How a job ends (see [`Store::finish_job`]).
#[derive(Debug, Clone, Copy)]
pub struct JobEnd<'a> {
    /// [`JobStatus::Succeeded`] or [`JobStatus::Failed`].
    pub status: JobStatus,
    /// Rows handled.
    pub rows_done: u64,
    /// The result document (on success).
    pub result: Option<&'a str>,
    /// The error document (on failure).
    pub error: Option<&'a str>,
    /// The batch an import made.
    pub batch_id: Option<ImportBatchId>,
}

impl Store {
    /// Starts a wizard for a user.
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`] on database failure.
    pub fn create_wizard(&mut self, user: UserId, state: &str) -> Result<Wizard> {
        let at = now();
        let row = with_conn!(self, c => diesel::insert_into(import_wizards::table)
            .values((
                import_wizards::user_id.eq(user.0),
                import_wizards::status.eq(WizardStatus::Open.as_str()),
                import_wizards::state.eq(state),
                import_wizards::created_at.eq(at),
                import_wizards::updated_at.eq(at),
            ))
            .returning(WizardRow::as_returning())
            .get_result(c))?;
        row.into_wizard()
    }

    /// A wizard by id.
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`] on database failure.
    pub fn wizard(&mut self, id: i64) -> Result<Option<Wizard>> {
        let row = with_conn!(self, c => import_wizards::table
            .find(id)
            .select(WizardRow::as_select())
            .first(c)
            .optional())?;
        row.map(WizardRow::into_wizard).transpose()
    }

    /// The user's newest open wizard.
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`] on database failure.
    pub fn open_wizard_of(&mut self, user: UserId) -> Result<Option<Wizard>> {
        let row = with_conn!(self, c => import_wizards::table
            .filter(import_wizards::user_id.eq(user.0))
            .filter(import_wizards::status.eq(WizardStatus::Open.as_str()))
            .order(import_wizards::id.desc())
            .select(WizardRow::as_select())
            .first(c)
            .optional())?;
        row.map(WizardRow::into_wizard).transpose()
    }

    /// Replaces a wizard's state document.
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`] on database failure.
    pub fn set_wizard_state(&mut self, id: i64, state: &str) -> Result<()> {
        let at = now();
        with_conn!(self, c => diesel::update(import_wizards::table.find(id))
            .set((import_wizards::state.eq(state), import_wizards::updated_at.eq(at)))
            .execute(c))?;
        Ok(())
    }

    /// Closes a wizard (imported or cancelled), dropping its uploaded files' contents.
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`] on database failure.
    pub fn close_wizard(
        &mut self,
        id: i64,
        status: WizardStatus,
        batch_id: Option<ImportBatchId>,
    ) -> Result<()> {
        self.transaction(|store| {
            let at = now();
            with_conn!(store, c => diesel::update(import_wizards::table.find(id))
                .set((
                    import_wizards::status.eq(status.as_str()),
                    import_wizards::batch_id.eq(batch_id.map(|b| b.0)),
                    import_wizards::updated_at.eq(at),
                ))
                .execute(c))?;
            with_conn!(store, c => diesel::delete(
                import_wizard_files::table.filter(import_wizard_files::wizard_id.eq(id)),
            )
            .execute(c))?;
            Ok(())
        })
    }

    /// Adds an uploaded file after the wizard's other files.
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`] on database failure.
    pub fn add_wizard_file(
        &mut self,
        wizard_id: i64,
        name: &str,
        sha256: &str,
        content: &[u8],
    ) -> Result<WizardFile> {
        self.transaction(|store| {
            let last: Option<i32> = with_conn!(store, c => import_wizard_files::table
                .filter(import_wizard_files::wizard_id.eq(wizard_id))
                .select(diesel::dsl::max(import_wizard_files::position))
                .first(c))?;
            let at = now();
            let size = i64::try_from(content.len()).unwrap_or(i64::MAX);
            let file = with_conn!(store, c => diesel::insert_into(import_wizard_files::table)
                .values((
                    import_wizard_files::wizard_id.eq(wizard_id),
                    import_wizard_files::position.eq(last.map_or(0, |p| p + 1)),
                    import_wizard_files::name.eq(name),
                    import_wizard_files::size_bytes.eq(size),
                    import_wizard_files::sha256.eq(sha256),
                    import_wizard_files::content.eq(content),
                    import_wizard_files::created_at.eq(at),
                ))
                .returning(WizardFile::as_returning())
                .get_result(c))?;
            Ok(file)
        })
    }

    /// A wizard's files in order, without their contents.
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`] on database failure.
    pub fn wizard_files(&mut self, wizard_id: i64) -> Result<Vec<WizardFile>> {
        let files = with_conn!(self, c => import_wizard_files::table
            .filter(import_wizard_files::wizard_id.eq(wizard_id))
            .order((import_wizard_files::position.asc(), import_wizard_files::id.asc()))
            .select(WizardFile::as_select())
            .load(c))?;
        Ok(files)
    }

    /// The contents of one of a wizard's files.
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`] on database failure.
    pub fn wizard_file_content(&mut self, wizard_id: i64, file_id: i64) -> Result<Option<Vec<u8>>> {
        let content = with_conn!(self, c => import_wizard_files::table
            .filter(import_wizard_files::wizard_id.eq(wizard_id))
            .filter(import_wizard_files::id.eq(file_id))
            .select(import_wizard_files::content)
            .first::<Vec<u8>>(c)
            .optional())?;
        Ok(content)
    }

    /// Removes one of a wizard's files. Returns whether it was there.
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`] on database failure.
    pub fn delete_wizard_file(&mut self, wizard_id: i64, file_id: i64) -> Result<bool> {
        let n = with_conn!(self, c => diesel::delete(
            import_wizard_files::table
                .filter(import_wizard_files::wizard_id.eq(wizard_id))
                .filter(import_wizard_files::id.eq(file_id)),
        )
        .execute(c))?;
        Ok(n > 0)
    }

    /// Starts a job for a wizard, unless one of the same kind is running with a heartbeat
    /// newer than `stale_before` (then returns that one and `false`).
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`] on database failure.
    pub fn start_job(
        &mut self,
        wizard_id: i64,
        kind: JobKind,
        stale_before: NaiveDateTime,
    ) -> Result<(Job, bool)> {
        self.transaction(|store| {
            let running = with_conn!(store, c => import_jobs::table
                .filter(import_jobs::wizard_id.eq(wizard_id))
                .filter(import_jobs::kind.eq(kind.as_str()))
                .filter(import_jobs::status.eq(JobStatus::Running.as_str()))
                .filter(import_jobs::heartbeat_at.ge(stale_before))
                .order(import_jobs::id.desc())
                .select(JobRow::as_select())
                .first(c)
                .optional())?;
            if let Some(job) = running {
                return Ok((job.into_job()?, false));
            }
            let at = now();
            let row = with_conn!(store, c => diesel::insert_into(import_jobs::table)
                .values((
                    import_jobs::wizard_id.eq(wizard_id),
                    import_jobs::kind.eq(kind.as_str()),
                    import_jobs::status.eq(JobStatus::Running.as_str()),
                    import_jobs::started_at.eq(at),
                    import_jobs::heartbeat_at.eq(at),
                ))
                .returning(JobRow::as_returning())
                .get_result(c))?;
            Ok((row.into_job()?, true))
        })
    }

    /// A job by id.
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`] on database failure.
    pub fn job(&mut self, id: i64) -> Result<Option<Job>> {
        let row = with_conn!(self, c => import_jobs::table
            .find(id)
            .select(JobRow::as_select())
            .first(c)
            .optional())?;
        row.map(JobRow::into_job).transpose()
    }

    /// The newest job of a kind for a wizard.
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`] on database failure.
    pub fn latest_job(&mut self, wizard_id: i64, kind: JobKind) -> Result<Option<Job>> {
        let row = with_conn!(self, c => import_jobs::table
            .filter(import_jobs::wizard_id.eq(wizard_id))
            .filter(import_jobs::kind.eq(kind.as_str()))
            .order(import_jobs::id.desc())
            .select(JobRow::as_select())
            .first(c)
            .optional())?;
        row.map(JobRow::into_job).transpose()
    }

    /// Records a running job's progress and heartbeat.
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`] on database failure.
    pub fn job_progress(&mut self, id: i64, rows_done: u64) -> Result<()> {
        let at = now();
        let rows = i64::try_from(rows_done).unwrap_or(i64::MAX);
        with_conn!(self, c => diesel::update(import_jobs::table.find(id))
            .set((import_jobs::rows_done.eq(rows), import_jobs::heartbeat_at.eq(at)))
            .execute(c))?;
        Ok(())
    }

    /// Ends a job with its result or error, and stores its outputs (name, contents), in one
    /// transaction.
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`] on database failure.
    pub fn finish_job(
        &mut self,
        id: i64,
        end: &JobEnd<'_>,
        outputs: &[(String, Vec<u8>)],
    ) -> Result<()> {
        self.transaction(|store| {
            let at = now();
            let rows = i64::try_from(end.rows_done).unwrap_or(i64::MAX);
            with_conn!(store, c => diesel::update(import_jobs::table.find(id))
                .set((
                    import_jobs::status.eq(end.status.as_str()),
                    import_jobs::rows_done.eq(rows),
                    import_jobs::result.eq(end.result),
                    import_jobs::error.eq(end.error),
                    import_jobs::batch_id.eq(end.batch_id.map(|b| b.0)),
                    import_jobs::heartbeat_at.eq(at),
                    import_jobs::finished_at.eq(at),
                ))
                .execute(c))?;
            for (name, content) in outputs {
                with_conn!(store, c => diesel::insert_into(import_job_outputs::table)
                    .values((
                        import_job_outputs::job_id.eq(id),
                        import_job_outputs::name.eq(name),
                        import_job_outputs::content.eq(content),
                    ))
                    .execute(c))?;
            }
            Ok(())
        })
    }

    /// A job's outputs, without their contents.
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`] on database failure.
    pub fn job_outputs(&mut self, job_id: i64) -> Result<Vec<JobOutput>> {
        let outputs = with_conn!(self, c => import_job_outputs::table
            .filter(import_job_outputs::job_id.eq(job_id))
            .order(import_job_outputs::id.asc())
            .select(JobOutput::as_select())
            .load(c))?;
        Ok(outputs)
    }

    /// One output of a job: its name and contents.
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`] on database failure.
    pub fn job_output(&mut self, job_id: i64, output_id: i64) -> Result<Option<(String, Vec<u8>)>> {
        let output = with_conn!(self, c => import_job_outputs::table
            .filter(import_job_outputs::job_id.eq(job_id))
            .filter(import_job_outputs::id.eq(output_id))
            .select((import_job_outputs::name, import_job_outputs::content))
            .first(c)
            .optional())?;
        Ok(output)
    }
}
