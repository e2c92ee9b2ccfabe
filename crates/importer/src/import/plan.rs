//! The import pipeline: read, map, validate, resolve, find duplicates, and (when applying)
//! write, chunk by chunk, so memory stays flat however many rows there are.

use super::DuplicatePolicy;
use super::choices::{GroupTarget, ImportChoices, OverrideCache, ResolvedChoices, resolve};
use crate::{Error, Result};
use serde::Serialize;
use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::Path;
use tuonti_domain::{
    BatchCounts, CellValue, ChangeAction, Company, CompanyChange, CompanyFields, CompanyTypeId,
    CustomerGroupId, DomainError, FieldKey, ImportBatchId, Issue, IssueCode, LocalizedText,
    Location, UserId, name_key,
};
use tuonti_excel_template::{
    ColumnMapping, CsvDialect, FileFormat, Layout, MappingOverride, ReadLimits, Row, Table,
    Workbook,
};
use tuonti_persistence::{NewCompanyRef, PersistenceError, Store};
use tuonti_validation::{RowCells, RowContext, RowOutcome, RowOverrides, RowValidator};

/// Rows validated and checked against the database at a time.
const CHUNK_ROWS: usize = 1_000;
/// Validated chunks that may wait between the reader thread and the writer.
const CHANNEL_CHUNKS: usize = 2;
/// Past this many rows an import asks for a larger page cache ([`LARGE_IMPORT_CACHE_MIB`]).
const LARGE_IMPORT_ROWS: u64 = 250_000;
/// The page cache of a large import, in MiB.
const LARGE_IMPORT_CACHE_MIB: u32 = 32;

/// A file to import: its name as the user knows it and its bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct ImportFile {
    /// The file name shown in messages and recorded in the batch (no folders).
    pub name: String,
    /// The file's contents, shared with the reader rather than copied (a dry run and the
    /// import read the same bytes).
    pub bytes: std::sync::Arc<Vec<u8>>,
}

impl std::fmt::Debug for ImportFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportFile")
            .field("name", &self.name)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

impl ImportFile {
    /// A file from its name and bytes.
    pub fn new(name: impl Into<String>, bytes: Vec<u8>) -> Self {
        Self {
            name: name.into(),
            bytes: std::sync::Arc::new(bytes),
        }
    }

    /// Reads a file from disk, refusing one larger than `limits.max_file_bytes` before
    /// reading it.
    ///
    /// # Errors
    ///
    /// [`Error::Workbook`] with the reader's `Io` or `TooLarge` error.
    pub fn read(path: &Path, limits: &ReadLimits) -> Result<Self> {
        // Opening through the reader applies its size limit and its I/O messages; the bytes
        // are then taken back for hashing.
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let metadata = std::fs::metadata(path).map_err(|source| {
            Error::Workbook(tuonti_excel_template::Error::Io {
                path: path.to_owned(),
                source,
            })
        })?;
        if metadata.len() > limits.max_file_bytes {
            // Let the reader word the refusal.
            Workbook::open(path, limits)?;
        }
        let bytes = std::fs::read(path).map_err(|source| {
            Error::Workbook(tuonti_excel_template::Error::Io {
                path: path.to_owned(),
                source,
            })
        })?;
        Ok(Self::new(name, bytes))
    }
}

/// Everything an import needs.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    /// The files, in order.
    pub files: Vec<ImportFile>,
    /// The choices for the whole import.
    pub choices: ImportChoices,
    /// The sheet to read in every workbook; `None` finds it.
    pub sheet: Option<String>,
    /// Corrections to the automatic column mapping (a saved profile's first, then the user's).
    pub overrides: Vec<MappingOverride>,
    /// Limits against hostile files.
    pub limits: ReadLimits,
}

/// What the import does with a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowAction {
    /// A new company.
    Create,
    /// Changes an existing company (see the row's changes).
    Update,
    /// The company is stored with these values already.
    Unchanged,
    /// The company exists and the policy leaves it alone.
    Skip,
    /// The row has errors and is not imported.
    Reject,
}

impl RowAction {
    /// `create`, `update`, `unchanged`, `skip` or `reject`.
    pub fn as_str(self) -> &'static str {
        match self {
            RowAction::Create => "create",
            RowAction::Update => "update",
            RowAction::Unchanged => "unchanged",
            RowAction::Skip => "skip",
            RowAction::Reject => "reject",
        }
    }
}

/// One field an update changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    /// The field key (`email`, ...) or `company_type`, `customer_group`, `account_manager`.
    pub field: &'static str,
    /// The stored value (names for type, group and manager).
    pub before: Option<String>,
    /// The new value.
    pub after: Option<String>,
}

/// The plan for one row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedRow {
    /// The index of the file in the request.
    pub file: usize,
    /// The 1-based row number in the sheet.
    pub row: u32,
    /// What happens to it.
    pub action: RowAction,
    /// The row's values, canonical.
    pub company: CompanyFields,
    /// The type, group and manager the row names itself, as written (they override the
    /// import's choices).
    #[serde(skip)]
    pub overrides: RowOverrides,
    /// The row's company type (the import's or the row's own).
    #[serde(skip)]
    pub company_type_id: Option<CompanyTypeId>,
    /// The row's customer group.
    #[serde(skip)]
    pub customer_group: Option<GroupTarget>,
    /// The row's account manager.
    #[serde(skip)]
    pub account_manager_id: Option<UserId>,
    /// The stored company this row matches, as it was when planned (boxed: most rows match
    /// none, and a plan keeps and moves many rows).
    #[serde(skip)]
    pub existing: Option<Box<Company>>,
    /// For an update: what changes.
    pub changes: Vec<FieldChange>,
    /// The row's errors and warnings.
    pub issues: Vec<Issue>,
    /// The row's company name cell, where issues about the whole row are placed.
    #[serde(skip)]
    pub name_cell: Location,
}

impl PlannedRow {
    /// Whether the row has an error.
    pub fn has_errors(&self) -> bool {
        self.issues.iter().any(Issue::is_error)
    }
}

/// One file of the plan.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedFile {
    /// The file name.
    pub name: String,
    /// Its size in bytes.
    pub size_bytes: u64,
    /// Its SHA-256, lower-case hex.
    pub sha256: String,
    /// The detected format.
    pub format: FileFormat,
    /// The CSV encoding and delimiter, for CSV.
    pub csv: Option<CsvDialect>,
    /// The sheet read (none for CSV).
    pub sheet: Option<String>,
    /// The 1-based header row.
    pub header_row: u32,
    /// The mapping used.
    pub mapping: ColumnMapping,
    /// The outcome counts of its rows.
    pub counts: BatchCounts,
    /// Applied import batches that read a file with the same contents before.
    pub imported_before: Vec<ImportBatchId>,
    /// How many of its rows have an issue (all of them are in its error workbook; a [`Plan`]
    /// keeps only the first [`KEPT_ISSUE_ROWS`] in [`Plan::rows`]).
    pub rows_with_issues: u64,
    /// How many issues those rows have in all.
    pub issue_count: u64,
    /// The layout and the source rows that have issues, for the error workbook.
    #[serde(skip)]
    pub(crate) layout: Layout,
    #[serde(skip)]
    pub(crate) issue_rows: IssueLog,
}

impl PlannedFile {
    /// The error workbook of this file (see [`tuonti_excel_template::ErrorWorkbookWriter`]):
    /// its rows that have issues, as read, with their issues, read back in chunks from where
    /// the plan keeps them (memory, then a temporary file).
    ///
    /// # Errors
    ///
    /// [`Error::Workbook`] when the workbook cannot be built; [`Error::Io`] when the rows
    /// kept in the temporary file cannot be read back.
    pub fn error_workbook(
        &self,
        options: &tuonti_excel_template::ErrorWorkbookOptions,
    ) -> Result<Vec<u8>> {
        let mut writer = tuonti_excel_template::ErrorWorkbookWriter::new(&self.layout, options)?;
        let mut failure = None;
        self.issue_rows.for_each_chunk(CHUNK_ROWS, |rows, issues| {
            match writer.write_rows(rows, issues) {
                Ok(_) => ControlFlow::Continue(()),
                Err(error) => {
                    failure = Some(error);
                    ControlFlow::Break(())
                }
            }
        })?;
        if let Some(error) = failure {
            return Err(error.into());
        }
        Ok(writer.finish()?)
    }

    /// The file's rows that have issues, as read, with the file's layout, and their issues:
    /// what an error workbook is written from, all in memory (for tests and small files).
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the rows kept in the temporary file cannot be read back.
    pub fn issue_table(&self) -> Result<(Table, Vec<Issue>)> {
        let mut rows = Vec::new();
        let mut all_issues = Vec::new();
        self.issue_rows
            .for_each_chunk(CHUNK_ROWS, |chunk, issues| {
                rows.extend_from_slice(chunk);
                all_issues.extend_from_slice(issues);
                ControlFlow::Continue(())
            })?;
        let table = Table {
            file: self.name.clone(),
            format: self.format,
            csv: self.csv,
            layout: self.layout.clone(),
            rows,
        };
        Ok((table, all_issues))
    }
}

/// How many rows with issues a file's [`IssueLog`] holds in memory before it moves them to a
/// temporary file.
const ISSUE_ROWS_IN_MEMORY: usize = 1_000;

/// The rows of a file that have issues, as read, with their issues: what its error workbook
/// is written from. The first [`ISSUE_ROWS_IN_MEMORY`] stay in memory; a file with more moves
/// them to an anonymous temporary file (one JSON line per row, deleted when the last clone of
/// the plan is dropped), so that memory stays flat however many rows have issues.
#[derive(Debug, Clone, Default)]
pub(crate) struct IssueLog {
    rows: Vec<(Row, Vec<Issue>)>,
    spilled: Option<std::sync::Arc<std::sync::Mutex<std::fs::File>>>,
}

/// An [`IssueLog`] being filled.
#[derive(Default)]
struct IssueLogWriter {
    rows: Vec<(Row, Vec<Issue>)>,
    file: Option<std::io::BufWriter<std::fs::File>>,
}

fn spool_error(source: std::io::Error) -> Error {
    Error::Io {
        what: "the rows with issues in a temporary file",
        source,
    }
}

impl IssueLogWriter {
    fn push(&mut self, row: Row, issues: Vec<Issue>) -> Result<()> {
        if let Some(file) = &mut self.file {
            return write_logged(file, &row, &issues);
        }
        self.rows.push((row, issues));
        if self.rows.len() > ISSUE_ROWS_IN_MEMORY {
            let mut file = std::io::BufWriter::new(tempfile::tempfile().map_err(spool_error)?);
            for (row, issues) in self.rows.drain(..) {
                write_logged(&mut file, &row, &issues)?;
            }
            self.rows = Vec::new();
            self.file = Some(file);
        }
        Ok(())
    }

    fn finish(self) -> Result<IssueLog> {
        let spilled = match self.file {
            Some(file) => {
                let file = file
                    .into_inner()
                    .map_err(|error| spool_error(error.into_error()))?;
                Some(std::sync::Arc::new(std::sync::Mutex::new(file)))
            }
            None => None,
        };
        Ok(IssueLog {
            rows: self.rows,
            spilled,
        })
    }
}

fn write_logged(
    file: &mut std::io::BufWriter<std::fs::File>,
    row: &Row,
    issues: &[Issue],
) -> Result<()> {
    use std::io::Write as _;
    serde_json::to_writer(&mut *file, &(row, issues)).map_err(|error| spool_error(error.into()))?;
    file.write_all(b"\n").map_err(spool_error)
}

impl IssueLog {
    /// Hands the rows and their issues to `visit` in chunks of up to `chunk_rows` rows, in
    /// file order.
    fn for_each_chunk(
        &self,
        chunk_rows: usize,
        mut visit: impl FnMut(&[Row], &[Issue]) -> ControlFlow<()>,
    ) -> Result<()> {
        use std::io::{BufRead as _, Seek as _};
        let Some(spilled) = &self.spilled else {
            for chunk in self.rows.chunks(chunk_rows.max(1)) {
                let rows: Vec<Row> = chunk.iter().map(|(row, _)| row.clone()).collect();
                let issues: Vec<Issue> = chunk
                    .iter()
                    .flat_map(|(_, issues)| issues.iter().cloned())
                    .collect();
                if visit(&rows, &issues).is_break() {
                    break;
                }
            }
            return Ok(());
        };
        let mut file = spilled
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        file.seek(std::io::SeekFrom::Start(0))
            .map_err(spool_error)?;
        let mut reader = std::io::BufReader::new(&mut *file);
        let mut line = String::new();
        let mut rows = Vec::with_capacity(chunk_rows);
        let mut issues = Vec::new();
        loop {
            line.clear();
            let read = reader.read_line(&mut line).map_err(spool_error)?;
            if read > 0 {
                let (row, row_issues): (Row, Vec<Issue>) =
                    serde_json::from_str(&line).map_err(|error| spool_error(error.into()))?;
                rows.push(row);
                issues.extend(row_issues);
            }
            if (read == 0 && !rows.is_empty()) || rows.len() >= chunk_rows.max(1) {
                if visit(&rows, &issues).is_break() {
                    break;
                }
                rows.clear();
                issues.clear();
            }
            if read == 0 {
                break;
            }
        }
        Ok(())
    }
}

/// What an import does (or, for a dry run, would do) to its rows: the counts of every
/// outcome and the rows worth showing. Its size does not grow with the number of plain rows.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The resolved choices.
    pub choices: ResolvedChoices,
    /// The files, in order.
    pub files: Vec<PlannedFile>,
    /// The rows worth showing, file by file, in order: the first [`KEPT_ISSUE_ROWS`] rows
    /// with an issue, the first [`KEPT_UPDATES`] updates, and the first [`KEPT_SAMPLE_ROWS`]
    /// rows of every file (so a small import keeps every row). Pass an observer to
    /// [`plan_with`] to see every row; every row with an issue is also in its file's
    /// [`PlannedFile::error_workbook`].
    pub rows: Vec<PlannedRow>,
    /// The customer groups the import would create.
    pub new_groups: Vec<String>,
    /// The counts over all files.
    pub counts: BatchCounts,
}

impl Plan {
    /// Whether any row is rejected.
    pub fn has_rejected_rows(&self) -> bool {
        self.counts.rejected > 0
    }

    /// Whether applying the plan would write anything.
    pub fn writes_anything(&self) -> bool {
        self.counts.created > 0 || self.counts.updated > 0
    }

    /// How many rows have an issue, over all files (more than [`Plan::rows`] holds when over
    /// [`KEPT_ISSUE_ROWS`]).
    pub fn rows_with_issues(&self) -> u64 {
        self.files.iter().map(|file| file.rows_with_issues).sum()
    }

    /// How many issues the rows have in all, over all files.
    pub fn issue_count(&self) -> u64 {
        self.files.iter().map(|file| file.issue_count).sum()
    }

    /// Every issue of the kept rows (see [`Plan::rows`]) of file `file`.
    pub fn file_issues(&self, file: usize) -> Vec<Issue> {
        self.rows
            .iter()
            .filter(|row| row.file == file)
            .flat_map(|row| row.issues.iter().cloned())
            .collect()
    }
}

const DUPLICATE_IN_IMPORT: IssueCode = IssueCode::new("duplicate.in_import");
const DUPLICATE_EXISTS: IssueCode = IssueCode::new("duplicate.exists");
const DUPLICATE_SKIPPED: IssueCode = IssueCode::new("duplicate.skipped");
const DUPLICATE_SAME_NAME: IssueCode = IssueCode::new("duplicate.same_name");
const TYPE_UNKNOWN: IssueCode = IssueCode::new("company_type.unknown");
const GROUP_UNKNOWN: IssueCode = IssueCode::new("customer_group.unknown");
const MANAGER_UNKNOWN: IssueCode = IssueCode::new("account_manager.unknown");

/// How many rows of each file a [`Plan`] keeps whatever they are (for samples and previews).
pub const KEPT_SAMPLE_ROWS: usize = 100;
/// How many updates a [`Plan`] keeps with their changes (beyond those with issues).
pub const KEPT_UPDATES: usize = 1_000;
/// How many rows with issues a [`Plan`] keeps in [`Plan::rows`] (over all files); the error
/// workbooks have them all, and [`Plan::rows_with_issues`] counts them.
pub const KEPT_ISSUE_ROWS: usize = 1_000;

/// Plans an import (a dry run): reads every file, maps and validates every row, resolves the
/// choices and the per-row overrides, and finds duplicates within the files and in the
/// database. Writes nothing. It runs the same pipeline as [`apply`](super::apply), so it
/// costs no more.
///
/// Row problems are [`Issue`]s in the plan, never errors of the call.
///
/// # Errors
///
/// [`Error::Domain`] for a choice that cannot be resolved (see [`resolve`]) or a file whose
/// columns do not include the company name; [`Error::Workbook`] for a file that cannot be
/// read (not a spreadsheet, encrypted, corrupt, too large, no header row);
/// [`Error::Persistence`] when the database fails.
pub fn plan(store: &mut Store, request: &ImportRequest) -> Result<Plan> {
    plan_with(store, request, &mut |_| {}, &mut |_| {})
}

/// How far an import has come: reported after every chunk of rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanProgress {
    /// The index of the file being read.
    pub file: usize,
    /// The number of files.
    pub files: usize,
    /// Rows handled so far, over all files.
    pub rows: u64,
}

/// [`plan`], calling `progress` after every chunk of rows (for a progress display).
///
/// # Errors
///
/// As [`plan`].
pub fn plan_with_progress(
    store: &mut Store,
    request: &ImportRequest,
    progress: &mut dyn FnMut(PlanProgress),
) -> Result<Plan> {
    plan_with(store, request, progress, &mut |_| {})
}

/// [`plan`], calling `progress` after every chunk and `observe` with every row, in order (for
/// a report of every row without holding them all).
///
/// # Errors
///
/// As [`plan`].
pub fn plan_with(
    store: &mut Store,
    request: &ImportRequest,
    progress: &mut dyn FnMut(PlanProgress),
    observe: &mut dyn FnMut(&PlannedRow),
) -> Result<Plan> {
    let choices = resolve(store, &request.choices)?;
    run(store, request, choices, None, progress, observe).map(|(plan, _)| plan)
}

/// Runs the pipeline: every file, chunk by chunk. With a batch it writes each chunk's
/// companies as it goes (the caller holds the transaction); without one it writes nothing.
/// Returns the plan and the groups it created.
pub(crate) fn run(
    store: &mut Store,
    request: &ImportRequest,
    choices: ResolvedChoices,
    batch: Option<ImportBatchId>,
    progress: &mut dyn FnMut(PlanProgress),
    observe: &mut dyn FnMut(&PlannedRow),
) -> Result<(Plan, Vec<String>)> {
    if request.files.is_empty() {
        return Err(Error::Domain(DomainError::Refused(
            "no files to import".into(),
        )));
    }
    // The phone metadata loads on first use (~70 ms): load it on another thread while this
    // one opens the files and finds their header rows.
    let phone_metadata = std::thread::spawn(tuonti_validation::load_phone_metadata);
    let names = Names::load(store)?;
    let validator = RowValidator::new(
        RowContext::new(choices.default_country)
            .map_err(|e| Error::Domain(DomainError::Refused(e.to_string())))?,
    );
    let mut pipeline = Pipeline {
        choices: &choices,
        names,
        cache: OverrideCache::default(),
        validator,
        seen_business_ids: HashMap::new(),
        seen_names: HashMap::new(),
        kept: Vec::new(),
        cache_grown: false,
        kept_issue_rows: 0,
        kept_updates: 0,
        new_groups: Vec::new(),
        batch,
        group_ids: HashMap::new(),
        created_groups: Vec::new(),
        writing: batch.is_some(),
        rows_done: 0,
        file_places: Vec::new(),
        stored_before: store.has_companies()?,
        wrote_without_business_id: false,
    };
    let mut files = Vec::with_capacity(request.files.len());
    for (file_index, file) in request.files.iter().enumerate() {
        files.push(pipeline.run_file(store, request, file_index, file, progress, observe)?);
    }
    if let Err(panic) = phone_metadata.join() {
        std::panic::resume_unwind(panic);
    }
    let mut counts = BatchCounts::default();
    for file in &files {
        add_counts(&mut counts, &file.counts);
    }
    let plan = Plan {
        choices: choices.clone(),
        files,
        rows: pipeline.kept,
        new_groups: pipeline.new_groups,
        counts,
    };
    Ok((plan, pipeline.created_groups))
}

pub(crate) fn add_counts(total: &mut BatchCounts, add: &BatchCounts) {
    total.created += add.created;
    total.updated += add.updated;
    total.unchanged += add.unchanged;
    total.skipped += add.skipped;
    total.rejected += add.rejected;
}

fn count(counts: &mut BatchCounts, action: RowAction) {
    match action {
        RowAction::Create => counts.created += 1,
        RowAction::Update => counts.updated += 1,
        RowAction::Unchanged => counts.unchanged += 1,
        RowAction::Skip => counts.skipped += 1,
        RowAction::Reject => counts.rejected += 1,
    }
}

/// Display names of stored types, groups and users, for the changes of an update.
struct Names {
    types: HashMap<CompanyTypeId, String>,
    groups: HashMap<tuonti_domain::CustomerGroupId, String>,
    users: HashMap<UserId, String>,
}

impl Names {
    fn load(store: &mut Store) -> Result<Self> {
        Ok(Self {
            types: store
                .company_types(true)?
                .into_iter()
                .map(|t| (t.id, t.names.fi))
                .collect(),
            groups: store
                .customer_groups()?
                .into_iter()
                .map(|g| (g.id, g.name))
                .collect(),
            users: store
                .users()?
                .into_iter()
                .map(|u| (u.id, u.email))
                .collect(),
        })
    }

    fn group(&self, target: Option<&GroupTarget>) -> Option<String> {
        match target {
            Some(GroupTarget::Existing(id)) => self.groups.get(id).cloned(),
            Some(GroupTarget::New(name)) => Some(name.clone()),
            None => None,
        }
    }
}

/// Where the first row with a business ID or name is: file index, row and column, so that a
/// repeat can name it. Small, because the import remembers one per row.
#[derive(Clone, Copy)]
struct FirstSeen {
    file: u32,
    row: u32,
    column: u32,
}

/// A canonical business ID `1234567-8` as the number 12345678, the compact key of the
/// within-import duplicate check.
fn business_id_key(business_id: &str) -> Option<u32> {
    let mut key: u32 = 0;
    let mut digits = 0;
    for c in business_id.chars() {
        if let Some(digit) = c.to_digit(10) {
            key = key * 10 + digit;
            digits += 1;
        } else if c != '-' {
            return None;
        }
    }
    (digits == 8).then_some(key)
}

struct Pipeline<'a> {
    choices: &'a ResolvedChoices,
    names: Names,
    cache: OverrideCache,
    validator: RowValidator,
    seen_business_ids: HashMap<u32, FirstSeen>,
    seen_names: HashMap<(String, String), FirstSeen>,
    kept: Vec<PlannedRow>,
    /// Whether the page cache was grown for a large import.
    cache_grown: bool,
    kept_issue_rows: usize,
    kept_updates: usize,
    new_groups: Vec<String>,
    /// The batch being written, `None` for a dry run.
    batch: Option<ImportBatchId>,
    /// Groups looked up or created while writing, by name key.
    group_ids: HashMap<String, CustomerGroupId>,
    created_groups: Vec<String>,
    /// Whether chunks are still written: a dry run never writes, and an all-or-nothing import
    /// stops writing at its first rejected row (its transaction will be rolled back).
    writing: bool,
    rows_done: u64,
    /// The name and sheet of every file begun, to name the row a repeat repeats.
    file_places: Vec<(String, Option<String>)>,
    /// Whether any company was stored when the import began (else the lookups by business
    /// ID can find nothing; see [`Pipeline::match_chunk`]).
    stored_before: bool,
    /// Whether this import has written a company without a business ID (a possible namesake
    /// of a later row).
    wrote_without_business_id: bool,
}

/// A chunk of rows on its way from the reader thread: as read, or already validated.
enum ReadChunk {
    Read(Vec<Row>),
    Validated(Vec<(Row, RowOutcome)>),
}

/// What validating a chunk of rows needs; each thread has its own copy.
#[derive(Clone)]
struct ChunkCheck {
    validator: RowValidator,
    /// The mapped columns, by field.
    columns: Vec<(FieldKey, u32)>,
    /// The column of the company name, where issues about the whole row go.
    name_column: u32,
}

impl ChunkCheck {
    /// Validates every row of a chunk (`cells` is scratch space).
    fn validate(&self, chunk: Vec<Row>, cells: &mut RowCells) -> Vec<(Row, RowOutcome)> {
        let mut validated = Vec::with_capacity(chunk.len());
        for mut source in chunk {
            cells.clear();
            // Cells carry their row and column only; the issues that need them get the file
            // and sheet afterwards, so plain rows allocate no location strings.
            cells.set_row_location(Location::cell(source.row, self.name_column));
            // The values move into the validator's cells and back (every mapped column is a
            // different column), rather than being copied.
            for &(field, column) in &self.columns {
                let mut location = Location::cell(source.row, column);
                location.field = Some(field);
                let value = source
                    .cells
                    .get_mut(column as usize)
                    .map_or(CellValue::Empty, |slot| {
                        std::mem::replace(slot, CellValue::Empty)
                    });
                cells.set(field, location, value);
            }
            let mut outcome = RowOutcome::default();
            self.validator.validate_into(cells, &mut outcome);
            for &(field, column) in &self.columns {
                if let Some(cell) = cells.take(field)
                    && let Some(slot) = source.cells.get_mut(column as usize)
                {
                    *slot = cell.value;
                }
            }
            validated.push((source, outcome));
        }
        validated
    }
}

/// The file and sheet names a chunk's issues are placed in.
struct Place<'a> {
    file: &'a str,
    sheet: Option<&'a str>,
}

impl Place<'_> {
    fn locate(&self, location: &mut Location) {
        if location.file.is_none() {
            location.file = Some(self.file.to_owned());
        }
        if location.sheet.is_none() {
            location.sheet = self.sheet.map(str::to_owned);
        }
    }

    fn cell(&self, row: u32, column: u32, field: Option<FieldKey>) -> Location {
        let mut location = Location::cell(row, column);
        location.field = field;
        self.locate(&mut location);
        location
    }
}

impl Pipeline<'_> {
    fn run_file(
        &mut self,
        store: &mut Store,
        request: &ImportRequest,
        file_index: usize,
        file: &ImportFile,
        progress: &mut dyn FnMut(PlanProgress),
        observe: &mut dyn FnMut(&PlannedRow),
    ) -> Result<PlannedFile> {
        let size_bytes = file.bytes.len() as u64;
        // Hash the file on another thread while this one checks it (inflating every part of a
        // zip container) and finds the header row.
        let (sha256, opened) = std::thread::scope(|scope| {
            let hashing = scope.spawn(|| crate::util::sha256_hex(&file.bytes));
            let opened = Workbook::from_shared(
                &file.name,
                std::sync::Arc::clone(&file.bytes),
                &request.limits,
            )
            .and_then(|mut workbook| {
                let layout = workbook.locate_with(request.sheet.as_deref(), &request.overrides)?;
                Ok((workbook, layout))
            });
            let sha256 = hashing
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (sha256, opened)
        });
        let (mut workbook, mut layout) = opened?;
        layout.mapping.apply_overrides(&request.overrides)?;
        if layout.mapping.column_of(FieldKey::Name).is_none() {
            return Err(Error::Domain(DomainError::Refused(format!(
                "{}: no column maps to the company name ({} / {}); the headers are: {}. Map one \
                 with --map \"Header=name\"",
                file.name,
                FieldKey::Name.spec().header.fi,
                FieldKey::Name.spec().header.en,
                layout.headers.join(", ")
            ))));
        }
        let imported_before = store.applied_batches_with_file(&sha256)?;
        self.file_places
            .push((file.name.clone(), layout.sheet.clone()));
        let columns: Vec<(FieldKey, u32)> = layout.mapping.fields().collect();
        let name_column = layout.mapping.column_of(FieldKey::Name).unwrap_or(0);
        let mut counts = BatchCounts::default();
        let mut issue_rows = IssueLogWriter::default();
        let mut rows_with_issues: u64 = 0;
        let mut issue_count: u64 = 0;
        let mut failure: Option<Error> = None;
        let mut rows_in_file: usize = 0;
        let place = Place {
            file: &file.name,
            sheet: layout.sheet.as_deref(),
        };
        let format = workbook.format();
        let csv = workbook.csv_dialect();
        // Two threads, as the machine has two cores: the reader reads chunks and hands them
        // over a bounded channel; this thread resolves, matches and writes them. Validation
        // (which needs no database) goes to whichever thread has time: the reader validates a
        // chunk when chunks are already waiting (this thread is the slower one), and otherwise
        // sends it as read for this thread to validate, so the two stay busy and an import
        // takes about as long as the longer of reading and writing, not their sum. At most
        // `CHANNEL_CHUNKS` chunks wait in between.
        let (sender, receiver) = std::sync::mpsc::sync_channel::<ReadChunk>(CHANNEL_CHUNKS);
        let waiting = std::sync::atomic::AtomicUsize::new(0);
        let check = ChunkCheck {
            validator: self.validator.clone(),
            columns: columns.clone(),
            name_column,
        };
        let read_layout = layout.clone();
        let read_result = std::thread::scope(|scope| {
            let waiting = &waiting;
            let reader_check = check.clone();
            let reader = scope.spawn(move || {
                let mut cells = RowCells::new();
                workbook.for_each_owned_chunk(&read_layout, CHUNK_ROWS, |chunk| {
                    let item = if waiting.load(std::sync::atomic::Ordering::Acquire) == 0 {
                        ReadChunk::Read(chunk)
                    } else {
                        ReadChunk::Validated(reader_check.validate(chunk, &mut cells))
                    };
                    waiting.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
                    // The receiver hangs up when the import fails: stop reading then.
                    if sender.send(item).is_err() {
                        ControlFlow::Break(())
                    } else {
                        ControlFlow::Continue(())
                    }
                })
            });
            let mut cells = RowCells::new();
            let receiver = receiver.into_iter().map(|item| {
                waiting.fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
                match item {
                    ReadChunk::Read(chunk) => check.validate(chunk, &mut cells),
                    ReadChunk::Validated(chunk) => chunk,
                }
            });
            let mut chunk_rows: Vec<PlannedRow> = Vec::with_capacity(CHUNK_ROWS);
            for mut chunk in receiver {
                if let Err(error) = self.handle_chunk(
                    store,
                    &mut chunk,
                    &mut chunk_rows,
                    file_index,
                    &layout,
                    &place,
                ) {
                    failure = Some(error);
                    break;
                }
                for ((source, _), mut planned) in chunk.into_iter().zip(chunk_rows.drain(..)) {
                    count(&mut counts, planned.action);
                    observe(&planned);
                    if matches!(planned.action, RowAction::Create | RowAction::Update)
                        && let Some(GroupTarget::New(name)) = &planned.customer_group
                        && !self
                            .new_groups
                            .iter()
                            .any(|g| name_key(g) == name_key(name))
                    {
                        self.new_groups.push(name.clone());
                    }
                    let has_issues = !planned.issues.is_empty();
                    let keep_issues = has_issues && self.kept_issue_rows < KEPT_ISSUE_ROWS;
                    let keep_update =
                        planned.action == RowAction::Update && self.kept_updates < KEPT_UPDATES;
                    if keep_update {
                        self.kept_updates += 1;
                    }
                    let keep = keep_issues || keep_update || rows_in_file < KEPT_SAMPLE_ROWS;
                    if has_issues {
                        rows_with_issues += 1;
                        issue_count += planned.issues.len() as u64;
                        if keep_issues {
                            self.kept_issue_rows += 1;
                        }
                        let issues = if keep {
                            planned.issues.clone()
                        } else {
                            std::mem::take(&mut planned.issues)
                        };
                        if let Err(error) = issue_rows.push(source, issues) {
                            failure = Some(error);
                            break;
                        }
                    }
                    if keep {
                        self.kept.push(planned);
                    }
                    rows_in_file += 1;
                    self.rows_done += 1;
                }
                if failure.is_some() {
                    break;
                }
                // A large import's indexes outgrow the connection's page cache: let it hold
                // more (SQLite) once the import is past LARGE_IMPORT_ROWS rows.
                if self.batch.is_some() && !self.cache_grown && self.rows_done >= LARGE_IMPORT_ROWS
                {
                    self.cache_grown = true;
                    if let Err(error) = store.set_page_cache_mib(LARGE_IMPORT_CACHE_MIB) {
                        failure = Some(error.into());
                        break;
                    }
                }
                progress(PlanProgress {
                    file: file_index,
                    files: request.files.len(),
                    rows: self.rows_done,
                });
            }
            reader.join()
        });
        match read_result {
            Ok(read) => {
                read?;
            }
            Err(panic) => std::panic::resume_unwind(panic),
        }
        if let Some(error) = failure {
            return Err(error);
        }
        Ok(PlannedFile {
            name: file.name.clone(),
            size_bytes,
            sha256,
            format,
            csv,
            sheet: layout.sheet.clone(),
            header_row: layout.header_row,
            mapping: layout.mapping.clone(),
            counts,
            imported_before,
            rows_with_issues,
            issue_count,
            layout,
            issue_rows: issue_rows.finish()?,
        })
    }

    /// Resolves, matches and (when writing) writes one validated chunk; `planned` receives its
    /// rows in order.
    fn handle_chunk(
        &mut self,
        store: &mut Store,
        chunk: &mut [(Row, RowOutcome)],
        planned: &mut Vec<PlannedRow>,
        file_index: usize,
        layout: &Layout,
        place: &Place<'_>,
    ) -> Result<()> {
        planned.clear();
        for (source, outcome) in chunk.iter_mut() {
            planned.push(self.resolve_row(store, file_index, source.row, layout, place, outcome)?);
        }
        self.match_chunk(store, planned, place)?;
        self.write_chunk(store, planned)
    }

    /// The row's values, target records and row-local issues (validation, overrides, and
    /// duplicates within the import).
    fn resolve_row(
        &mut self,
        store: &mut Store,
        file_index: usize,
        row_number: u32,
        layout: &Layout,
        place: &Place<'_>,
        outcome: &mut RowOutcome,
    ) -> Result<PlannedRow> {
        let mut issues = std::mem::take(&mut outcome.issues);
        for issue in &mut issues {
            place.locate(&mut issue.location);
        }
        let cell = |field: FieldKey| {
            let column = layout.mapping.column_of(field).unwrap_or(0);
            place.cell(row_number, column, Some(field))
        };
        let mut company_type_id = Some(self.choices.company_type.id);
        if let Some(name) = &outcome.overrides.company_type {
            match self.cache.company_type(store, name)? {
                Ok(id) => company_type_id = Some(id),
                Err(error) => {
                    company_type_id = None;
                    issues.push(override_issue(
                        TYPE_UNKNOWN,
                        &error,
                        cell(FieldKey::CompanyType),
                    ));
                }
            }
        }
        let mut customer_group = self.choices.customer_group.clone();
        if let Some(name) = &outcome.overrides.customer_group {
            match self
                .cache
                .group(store, name, self.choices.choices.create_groups)?
            {
                Ok(target) => customer_group = Some(target),
                Err(error) => {
                    issues.push(override_issue(
                        GROUP_UNKNOWN,
                        &error,
                        cell(FieldKey::CustomerGroup),
                    ));
                }
            }
        }
        let mut account_manager_id = Some(self.choices.account_manager.id);
        if let Some(key) = &outcome.overrides.account_manager {
            match self.cache.manager(store, key)? {
                Ok(id) => account_manager_id = Some(id),
                Err(error) => {
                    account_manager_id = None;
                    issues.push(override_issue(
                        MANAGER_UNKNOWN,
                        &error,
                        cell(FieldKey::AccountManager),
                    ));
                }
            }
        }
        let fields = &outcome.fields;
        let file = u32::try_from(file_index).unwrap_or(u32::MAX);
        if !issues.iter().any(Issue::is_error) {
            if let Some(business_id) = &fields.business_id {
                let column = layout.mapping.column_of(FieldKey::BusinessId).unwrap_or(0);
                let here = FirstSeen {
                    file,
                    row: row_number,
                    column,
                };
                if let Some(key) = business_id_key(business_id) {
                    match self.seen_business_ids.get(&key) {
                        Some(first) => issues.push(self.repeated_issue(
                            first,
                            place,
                            "Y-tunnus",
                            "business ID",
                            business_id,
                            cell(FieldKey::BusinessId),
                        )),
                        None => {
                            self.seen_business_ids.insert(key, here);
                        }
                    }
                }
            } else {
                let column = layout.mapping.column_of(FieldKey::Name).unwrap_or(0);
                let here = FirstSeen {
                    file,
                    row: row_number,
                    column,
                };
                let key = (row_country(fields, self.choices), name_key(&fields.name));
                match self.seen_names.get(&key) {
                    Some(first) => issues.push(self.repeated_issue(
                        first,
                        place,
                        "nimi",
                        "name",
                        &fields.name,
                        cell(FieldKey::Name),
                    )),
                    None => {
                        self.seen_names.insert(key, here);
                    }
                }
            }
        }
        let action = if issues.iter().any(Issue::is_error) {
            RowAction::Reject
        } else {
            RowAction::Create
        };
        Ok(PlannedRow {
            file: file_index,
            row: row_number,
            action,
            company: std::mem::take(&mut outcome.fields),
            overrides: std::mem::take(&mut outcome.overrides),
            company_type_id,
            customer_group,
            account_manager_id,
            existing: None,
            changes: Vec::new(),
            issues,
            name_cell: cell(FieldKey::Name),
        })
    }

    fn repeated_issue(
        &self,
        first: &FirstSeen,
        place: &Place<'_>,
        what_fi: &str,
        what_en: &str,
        value: &str,
        location: Location,
    ) -> Issue {
        let (first_file, first_sheet) = usize::try_from(first.file)
            .ok()
            .and_then(|index| self.file_places.get(index))
            .map_or((place.file, place.sheet), |(file, sheet)| {
                (file.as_str(), sheet.as_deref())
            });
        let mut first_cell = Location::cell(first.row, first.column);
        first_cell.sheet = first_sheet.map(str::to_owned);
        let cell = first_cell.cell_ref().unwrap_or_default();
        let place_text = if first_file == place.file {
            cell
        } else {
            format!("{first_file} {cell}")
        };
        Issue::error(
            DUPLICATE_IN_IMPORT,
            LocalizedText::new(
                format!("Sama {what_fi} {value:?} on jo rivillä {place_text}; vain ensimmäinen tuodaan."),
                format!("The same {what_en} {value:?} is already on row {place_text}; only the first is imported."),
            ),
        )
        .at(location)
    }

    /// Finds the stored companies the rows of a chunk match (in batched lookups) and decides
    /// each row's action by the duplicate policy.
    ///
    /// A lookup that cannot find anything is left out: when no company was stored as the
    /// import began, a row's business ID can match only a company this import wrote, and the
    /// import never writes a business ID twice (a repeat is rejected as a duplicate within the
    /// import); likewise a namesake without a business ID must have been stored before or
    /// written by this import.
    fn match_chunk(
        &mut self,
        store: &mut Store,
        rows: &mut [PlannedRow],
        place: &Place<'_>,
    ) -> Result<()> {
        let business_ids: Vec<&str> = rows
            .iter()
            .filter(|r| r.action != RowAction::Reject)
            .filter_map(|r| r.company.business_id.as_deref())
            .filter(|id| self.stored_before || business_id_key(id).is_none())
            .collect();
        // Every row's name key, computed once, for the rows that need it: those without a
        // business ID (they match by name) and those whose new business ID is checked for
        // namesakes.
        let mut keys: Vec<Option<String>> = rows
            .iter()
            .map(|r| {
                (r.action != RowAction::Reject && r.company.business_id.is_none())
                    .then(|| name_key(&r.company.name))
            })
            .collect();
        let name_key_refs: Vec<&str> = keys.iter().flatten().map(String::as_str).collect();
        let mut by_business_id: HashMap<String, Company> = HashMap::new();
        if !business_ids.is_empty() {
            for company in store.companies_by_business_ids(&business_ids)? {
                if let Some(id) = company.fields.business_id.clone() {
                    by_business_id.insert(id, company);
                }
            }
        }
        let mut by_name: HashMap<(String, String), Company> = HashMap::new();
        if !name_key_refs.is_empty() {
            for company in store.companies_by_name_keys(&name_key_refs)? {
                let country = company
                    .fields
                    .country
                    .clone()
                    .unwrap_or_else(|| "FI".into());
                by_name
                    .entry((country, name_key(&company.fields.name)))
                    .or_insert(company);
            }
        }
        // A row with a new business ID is warned about a stored company of the same name that
        // has no business ID (likely the same company, stored before its ID was known).
        let mut namesakes: HashMap<(String, String), Company> = HashMap::new();
        if self.stored_before || self.wrote_without_business_id {
            for (row, key) in rows.iter().zip(keys.iter_mut()) {
                if row.action != RowAction::Reject
                    && row
                        .company
                        .business_id
                        .as_ref()
                        .is_some_and(|id| !by_business_id.contains_key(id))
                {
                    *key = Some(name_key(&row.company.name));
                }
            }
            let new_id_names: Vec<&str> = rows
                .iter()
                .zip(keys.iter())
                .filter(|(row, _)| row.company.business_id.is_some())
                .filter_map(|(_, key)| key.as_deref())
                .collect();
            if !new_id_names.is_empty() {
                for company in store.companies_without_business_id_by_name_keys(&new_id_names)? {
                    let country = company
                        .fields
                        .country
                        .clone()
                        .unwrap_or_else(|| "FI".into());
                    namesakes
                        .entry((country, name_key(&company.fields.name)))
                        .or_insert(company);
                }
            }
        }
        let choices = self.choices;
        for (row, key) in rows.iter_mut().zip(keys) {
            if row.action == RowAction::Reject {
                continue;
            }
            // Each stored company matches one row at most (a repeated business ID or name is
            // rejected as a duplicate within the import), so the row takes it out of the map.
            let existing = match &row.company.business_id {
                Some(business_id) => by_business_id.remove(business_id),
                None => key.as_ref().and_then(|key| {
                    by_name.remove(&(row_country(&row.company, choices), key.clone()))
                }),
            };
            if let Some(existing) = existing {
                decide(row, existing, choices.choices.on_duplicate, &self.names);
                for issue in &mut row.issues {
                    place.locate(&mut issue.location);
                }
            } else if row.company.business_id.is_some()
                && !namesakes.is_empty()
                && let Some(key) = key
                && let Some(namesake) = namesakes.get(&(row_country(&row.company, choices), key))
            {
                let name = &row.company.name;
                let id = namesake.id;
                row.issues.push(
                    Issue::warning(
                        DUPLICATE_SAME_NAME,
                        LocalizedText::new(
                            format!(
                                "Yritys {name:?} on jo tallennettu ilman Y-tunnusta (#{id}); tämä rivi \
                                 luo uuden yrityksen. Jos se on sama yritys, lisää Y-tunnus \
                                 tallennettuun ensin."
                            ),
                            format!(
                                "A company {name:?} is stored without a business ID (#{id}); this row \
                                 creates a new company. If it is the same company, add the business \
                                 ID to the stored one first."
                            ),
                        ),
                    )
                    .at(row.name_cell.clone()),
                );
            }
        }
        Ok(())
    }

    /// Writes a chunk's creates and updates when writing (see [`Pipeline::writing`]).
    fn write_chunk(&mut self, store: &mut Store, rows: &[PlannedRow]) -> Result<()> {
        let Some(batch) = self.batch else {
            return Ok(());
        };
        if !self.writing {
            return Ok(());
        }
        if !self.choices.choices.skip_invalid
            && rows.iter().any(|row| row.action == RowAction::Reject)
        {
            // All or nothing: the transaction is rolled back at the end; keep reading only to
            // report every rejected row.
            self.writing = false;
            return Ok(());
        }
        let mut new_companies = Vec::new();
        for row in rows.iter().filter(|row| row.action == RowAction::Create) {
            let (Some(company_type_id), Some(account_manager_id)) =
                (row.company_type_id, row.account_manager_id)
            else {
                continue;
            };
            let customer_group_id = self.group_id(store, row.customer_group.as_ref(), batch)?;
            if row.company.business_id.is_none() {
                self.wrote_without_business_id = true;
            }
            new_companies.push(NewCompanyRef {
                fields: &row.company,
                company_type_id,
                customer_group_id,
                account_manager_id,
                created_by_batch: Some(batch),
            });
        }
        store.insert_new_companies(&new_companies).map_err(|error| match error {
            PersistenceError::Domain(DomainError::Conflict { .. }) => Error::Domain(DomainError::Refused(
                "another import stored some of these companies meanwhile; nothing was imported. \
                 Run the import again"
                    .into(),
            )),
            other => other.into(),
        })?;
        // Created companies are found again by their `created_by_batch`; only updates need a
        // journal with before-images.
        let mut befores: Vec<&Company> = Vec::new();
        let mut desired_companies: Vec<Company> = Vec::new();
        for row in rows.iter().filter(|row| row.action == RowAction::Update) {
            let Some(existing) = &row.existing else {
                continue;
            };
            let mut desired = updated_company(row, existing);
            if row
                .changes
                .iter()
                .any(|c| c.field == FieldKey::CustomerGroup.as_str())
            {
                desired.customer_group_id =
                    self.group_id(store, row.customer_group.as_ref(), batch)?;
            }
            desired.updated_by_batch = Some(batch);
            befores.push(existing);
            desired_companies.push(desired);
        }
        let stored = if desired_companies.is_empty() {
            Vec::new()
        } else {
            store.update_companies(&desired_companies)?
        };
        let journal: Vec<CompanyChange> = befores
            .into_iter()
            .zip(stored)
            .map(|(before, stored)| CompanyChange {
                company_id: stored.id,
                action: ChangeAction::Updated,
                before: Some(before.clone()),
                after: Some(stored),
            })
            .collect();
        if !journal.is_empty() {
            store.record_company_changes(batch, &journal)?;
        }
        Ok(())
    }

    /// The stored id of a row's group, creating a new group (recorded as the batch's) the first
    /// time it is needed.
    fn group_id(
        &mut self,
        store: &mut Store,
        target: Option<&GroupTarget>,
        batch: ImportBatchId,
    ) -> Result<Option<CustomerGroupId>> {
        match target {
            None => Ok(None),
            Some(GroupTarget::Existing(id)) => Ok(Some(*id)),
            Some(GroupTarget::New(name)) => {
                let key = name_key(name);
                if let Some(id) = self.group_ids.get(&key) {
                    return Ok(Some(*id));
                }
                let group = match store.customer_group_by_name(name)? {
                    Some(existing) => existing,
                    None => {
                        let group = store.add_customer_group(name, Some(batch))?;
                        self.created_groups.push(group.name.clone());
                        group
                    }
                };
                self.group_ids.insert(key, group.id);
                Ok(Some(group.id))
            }
        }
    }
}

fn row_country(fields: &CompanyFields, choices: &ResolvedChoices) -> String {
    fields
        .country
        .clone()
        .unwrap_or_else(|| choices.default_country.to_owned())
}

fn override_issue(code: IssueCode, error: &DomainError, location: Location) -> Issue {
    Issue::error(
        code,
        LocalizedText::new(
            error.message(tuonti_domain::Lang::Fi),
            error.message(tuonti_domain::Lang::En),
        ),
    )
    .at(location)
}

/// The field-by-field comparison of a row with a stored company, by the policy.
fn decide(row: &mut PlannedRow, existing: Company, policy: DuplicatePolicy, names: &Names) {
    decide_with(row, &existing, policy, names);
    row.existing = Some(Box::new(existing));
}

/// [`decide`], but for keeping the stored company in the row.
fn decide_with(row: &mut PlannedRow, existing: &Company, policy: DuplicatePolicy, names: &Names) {
    let overwrite_changes = changes(row, existing, DuplicatePolicy::Overwrite, names);
    let describe = || {
        let id = existing
            .fields
            .business_id
            .as_deref()
            .map(|b| format!(" ({b})"))
            .unwrap_or_default();
        format!("{}{id}", existing.fields.name)
    };
    if overwrite_changes.is_empty() {
        row.action = RowAction::Unchanged;
        return;
    }
    match policy {
        DuplicatePolicy::Skip => {
            row.action = RowAction::Skip;
            let company = describe();
            row.issues.push(
                Issue::warning(
                    DUPLICATE_SKIPPED,
                    LocalizedText::new(
                        format!("Yritys {company} on jo tallennettu, ja sen tiedot eroavat; ohitettiin (--on-duplicate skip)."),
                        format!("Company {company} is stored already with other values; skipped (--on-duplicate skip)."),
                    ),
                )
                .at(row.name_cell.clone()),
            );
        }
        DuplicatePolicy::Fail => {
            row.action = RowAction::Reject;
            let company = describe();
            row.issues.push(
                Issue::error(
                    DUPLICATE_EXISTS,
                    LocalizedText::new(
                        format!("Yritys {company} on jo tallennettu eri tiedoin (--on-duplicate fail)."),
                        format!("Company {company} is stored already with other values (--on-duplicate fail)."),
                    ),
                )
                .at(row.name_cell.clone()),
            );
        }
        DuplicatePolicy::FillEmpty => {
            let fill = changes(row, existing, DuplicatePolicy::FillEmpty, names);
            if fill.is_empty() {
                row.action = RowAction::Unchanged;
            } else {
                row.action = RowAction::Update;
                row.changes = fill;
            }
        }
        DuplicatePolicy::Overwrite => {
            row.action = RowAction::Update;
            row.changes = overwrite_changes;
        }
    }
}

/// The changes that would make `existing` match the row under `policy` (overwrite: every
/// non-empty value of the row and its type, group and manager; fill-empty: only what the stored
/// company lacks).
fn changes(
    row: &PlannedRow,
    existing: &Company,
    policy: DuplicatePolicy,
    names: &Names,
) -> Vec<FieldChange> {
    let fill_only = policy == DuplicatePolicy::FillEmpty;
    let mut out = Vec::new();
    if !fill_only && row.company.name != existing.fields.name {
        out.push(FieldChange {
            field: FieldKey::Name.as_str(),
            before: Some(existing.fields.name.clone()),
            after: Some(row.company.name.clone()),
        });
    }
    for key in FieldKey::ALL {
        let (Some(new), Some(old)) = (
            row.company.optional_field(key),
            existing.fields.optional_field(key),
        ) else {
            continue;
        };
        let Some(new_value) = new else { continue };
        let differs = old.as_deref() != Some(new_value.as_str());
        if differs && (!fill_only || old.is_none()) {
            out.push(FieldChange {
                field: key.as_str(),
                before: old.clone(),
                after: Some(new_value.clone()),
            });
        }
    }
    if !fill_only
        && let Some(type_id) = row.company_type_id
        && type_id != existing.company_type_id
    {
        out.push(FieldChange {
            field: FieldKey::CompanyType.as_str(),
            before: names.types.get(&existing.company_type_id).cloned(),
            after: names.types.get(&type_id).cloned(),
        });
    }
    let stored_group = existing.customer_group_id.map(GroupTarget::Existing);
    if row.customer_group.is_some()
        && row.customer_group != stored_group
        && (!fill_only || stored_group.is_none())
    {
        out.push(FieldChange {
            field: FieldKey::CustomerGroup.as_str(),
            before: names.group(stored_group.as_ref()),
            after: names.group(row.customer_group.as_ref()),
        });
    }
    if !fill_only
        && let Some(manager) = row.account_manager_id
        && manager != existing.account_manager_id
    {
        out.push(FieldChange {
            field: FieldKey::AccountManager.as_str(),
            before: names.users.get(&existing.account_manager_id).cloned(),
            after: names.users.get(&manager).cloned(),
        });
    }
    out
}

/// The company a planned update leads to, before group creation: the stored one with the
/// row's changes.
pub(crate) fn updated_company(row: &PlannedRow, existing: &Company) -> Company {
    let mut company = existing.clone();
    for change in &row.changes {
        match change.field {
            "name" => company.fields.name = row.company.name.clone(),
            "company_type" => {
                if let Some(type_id) = row.company_type_id {
                    company.company_type_id = type_id;
                }
            }
            "account_manager" => {
                if let Some(manager) = row.account_manager_id {
                    company.account_manager_id = manager;
                }
            }
            "customer_group" => {}
            other => {
                if let Ok(key) = other.parse::<FieldKey>()
                    && let Some(slot) = company.fields.optional_field_mut(key)
                {
                    *slot = change.after.clone();
                }
            }
        }
    }
    company
}
