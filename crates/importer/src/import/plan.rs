//! The import pipeline: read, map, validate, resolve, find duplicates, and (when applying)
//! write, chunk by chunk, so memory stays flat however many rows there are.

use super::choices::{
    BranchTarget, FileChoiceSummary, FileChoices, FileDefaults, GroupTarget, ImportChoices,
    OverrideCache, ResolvedChoices, resolve, resolve_file,
};
use super::fixes::{CellFix, FixesByRow, RecordedFix};
use super::kinds::{
    Context, ImportIndex, KindRules, Names, Place, Places, RowTargets, StoredBefore, StoredRecord,
    rules,
};
use super::rows::ChosenRows;
use super::values::{AcceptedSuggestion, LinkField, UnresolvedValue, ValueResolver};
use crate::{Error, Result};
use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::path::Path;
use tuonti_domain::IssueCode;
use tuonti_domain::{
    BatchCounts, CellValue, CompanyFields, DomainError, FieldKey, ImportBatchId, Issue, Lang,
    Location, RecordKind, RecordValues, name_key,
};
use tuonti_excel_template::{
    ColumnMapping, CsvDialect, FileFormat, Layout, MappingOverride, ReadLimits, Row, Table,
    Workbook,
};
use tuonti_persistence::Store;
use tuonti_validation::{RecordOutcome, RecordValidator, RowCells, RowContext, RowOverrides};

/// Rows validated and checked against the database at a time.
const CHUNK_ROWS: usize = 1_000;
/// Validated chunks that may wait between the reader thread and the writer.
const CHANNEL_CHUNKS: usize = 2;
/// Past this many rows of one sheet (one table's indexes) an import asks for a larger page
/// cache ([`LARGE_IMPORT_CACHE_MIB`]).
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
    /// The file's own company type, customer group and managers, over the import's.
    pub choices: FileChoices,
    /// The sheet to read in this file, over the import's [`ImportRequest::sheet`].
    pub sheet: Option<String>,
    /// Corrections to this file's column mapping, applied after the import's
    /// [`ImportRequest::overrides`].
    pub overrides: Vec<MappingOverride>,
    /// The rows to import, by spreadsheet row number (of every sheet of records read in the
    /// file); `None` imports every row. The others are skipped as not selected.
    pub rows: Option<ChosenRows>,
    /// Corrected cell values (the wizard's fixes in the preview), read instead of the file's.
    pub fixes: Vec<CellFix>,
}

impl std::fmt::Debug for ImportFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportFile")
            .field("name", &self.name)
            .field("bytes", &self.bytes.len())
            .field("choices", &self.choices)
            .field("sheet", &self.sheet)
            .field("overrides", &self.overrides)
            .field("rows", &self.rows)
            .field("fixes", &self.fixes)
            .finish()
    }
}

impl ImportFile {
    /// A file from its name and bytes.
    pub fn new(name: impl Into<String>, bytes: Vec<u8>) -> Self {
        Self {
            name: name.into(),
            bytes: std::sync::Arc::new(bytes),
            choices: FileChoices::default(),
            sheet: None,
            overrides: Vec::new(),
            rows: None,
            fixes: Vec::new(),
        }
    }

    /// The file with only `rows` imported (the others are skipped as not selected).
    pub fn with_rows(mut self, rows: ChosenRows) -> Self {
        self.rows = Some(rows);
        self
    }

    /// The file with its own choices over the import's.
    #[must_use]
    pub fn with_choices(mut self, choices: FileChoices) -> Self {
        self.choices = choices;
        self
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
    /// The kinds of records to import; empty imports every kind the files hold.
    pub kinds: Vec<RecordKind>,
}

/// What the import does with a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowAction {
    /// A new record.
    Create,
    /// Changes a stored record (see the row's changes).
    Update,
    /// The record is stored with these values already.
    Unchanged,
    /// The record is stored and the policy leaves it alone.
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
    /// The field key (`email`, ...), also `company_type`, `customer_group`,
    /// `account_manager`, `project_manager`, `contact_person`.
    pub field: &'static str,
    /// The stored value (names for type, group and manager).
    pub before: Option<String>,
    /// The new value.
    pub after: Option<String>,
}

/// The plan for one row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedRow {
    /// The index of the row's part in [`Plan::files`] (a sheet of a file).
    pub file: usize,
    /// The kind of record the row is.
    pub kind: RecordKind,
    /// The 1-based row number in the sheet.
    pub row: u32,
    /// What happens to it.
    pub action: RowAction,
    /// The row's values, canonical.
    pub values: RecordValues,
    /// The type, group and manager a company row names itself, and the company, manager,
    /// branch and contact a contact or project row names, as written.
    #[serde(skip)]
    pub overrides: RowOverrides,
    /// What the row's choices and references resolved to.
    #[serde(skip)]
    pub targets: RowTargets,
    /// The stored record this row matches, as it was when planned (boxed: most rows match
    /// none, and a plan keeps and moves many rows).
    #[serde(skip)]
    pub existing: Option<Box<StoredRecord>>,
    /// For an update: what changes.
    pub changes: Vec<FieldChange>,
    /// The row's errors and warnings.
    pub issues: Vec<Issue>,
    /// The cell of the row's title (a company's name, a contact's last name, a project's
    /// name), where issues about the whole row are placed.
    #[serde(skip)]
    pub name_cell: Location,
}

impl PlannedRow {
    /// Whether the row has an error.
    pub fn has_errors(&self) -> bool {
        self.issues.iter().any(Issue::is_error)
    }

    /// The company values of a company row.
    pub fn company(&self) -> Option<&CompanyFields> {
        self.values.as_company()
    }
}

/// One part of the plan: a sheet of a file that holds records of one kind (a CSV file is one
/// part).
#[derive(Debug, Clone, Serialize)]
pub struct PlannedFile {
    /// The file name.
    pub name: String,
    /// The kind of records the sheet holds.
    pub kind: RecordKind,
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
    /// What the file's rows start from: its own choices over the import's.
    pub choices: FileChoiceSummary,
    /// How many of its rows were left out because [`ImportFile::rows`] does not choose them
    /// (counted as skipped).
    pub rows_not_selected: u64,
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
    /// The last row with data of the sheet (the header row when it has none).
    #[serde(skip)]
    pub(crate) last_row: u32,
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
    /// The branches of business the import would create.
    pub new_branches: Vec<String>,
    /// The counts over all files.
    pub counts: BatchCounts,
    /// The counts of each kind of record the files held.
    pub counts_by_kind: BTreeMap<RecordKind, BatchCounts>,
    /// The values of linked columns (managers, types, groups, branches) that resolve to
    /// nothing, each distinct value once with its rows and suggestions, in the order met.
    /// Their rows are rejected (each with its issue); map the values to import them.
    pub unresolved_values: Vec<UnresolvedValue>,
    /// The values read as their only suggestion (with
    /// [`ImportChoices::accept_suggestions`]): a warning each.
    pub accepted_suggestions: Vec<AcceptedSuggestion>,
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

/// How many rows of each file a [`Plan`] keeps whatever they are (for samples and previews).
pub const KEPT_SAMPLE_ROWS: usize = 100;
/// How many updates a [`Plan`] keeps with their changes (beyond those with issues).
pub const KEPT_UPDATES: usize = 1_000;
/// How many rows with issues a [`Plan`] keeps in [`Plan::rows`] (over all files); the error
/// workbooks have them all, and [`Plan::rows_with_issues`] counts them.
pub const KEPT_ISSUE_ROWS: usize = 1_000;

/// Plans an import (a dry run): reads every file, finds the sheets that hold companies,
/// contacts and projects, maps and validates every row, resolves the choices, the per-row
/// overrides and the references between records, and finds duplicates within the files and
/// in the database. Writes nothing. It runs the same pipeline as [`apply`](super::apply),
/// so it costs no more.
///
/// Row problems are [`Issue`]s in the plan, never errors of the call.
///
/// # Errors
///
/// [`Error::Domain`] for a choice that cannot be resolved (see [`resolve`]), a sheet whose
/// columns do not include what its kind needs (a company's name, a contact's last name, a
/// project's number and name, the company of a contact or project), or files that hold none
/// of the kinds asked for; [`Error::Workbook`] for a file that cannot be read (not a
/// spreadsheet, encrypted, corrupt, too large, no header row); [`Error::Persistence`] when the
/// database fails.
pub fn plan(store: &mut Store, request: &ImportRequest) -> Result<Plan> {
    plan_with(store, request, &mut |_| {}, &mut |_| {})
}

/// How far an import has come: reported after every chunk of rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanProgress {
    /// The index of the part (a sheet of a file) being read.
    pub file: usize,
    /// The number of parts.
    pub files: usize,
    /// Rows handled so far, over all parts.
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

/// A file opened and located: its workbook, hash, earlier imports and the sheets that hold
/// records.
struct OpenedFile {
    workbook: Workbook,
    sha256: String,
    imported_before: Vec<ImportBatchId>,
    layouts: Vec<Layout>,
}

/// Opens a file, finds its sheets of records and applies the mapping overrides to each: an
/// override applies to the sheets that have its header, and must fit at least one.
fn open_file(store: &mut Store, request: &ImportRequest, file: &ImportFile) -> Result<OpenedFile> {
    // The import's corrections, then the file's own.
    let overrides: Vec<MappingOverride> = request
        .overrides
        .iter()
        .chain(&file.overrides)
        .cloned()
        .collect();
    let sheet = file.sheet.as_deref().or(request.sheet.as_deref());
    // Hash the file on another thread while this one checks it (inflating every part of a
    // zip container) and finds the header rows.
    let (sha256, opened) = std::thread::scope(|scope| {
        let hashing = scope.spawn(|| crate::util::sha256_hex(&file.bytes));
        let opened = Workbook::from_shared(
            &file.name,
            std::sync::Arc::clone(&file.bytes),
            &request.limits,
        )
        .and_then(|mut workbook| {
            let layouts = workbook.locate_all(sheet, &overrides)?;
            Ok((workbook, layouts))
        });
        let sha256 = hashing
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (sha256, opened)
    });
    let (workbook, mut layouts) = opened?;
    Layout::apply_overrides_all(&mut layouts, &overrides)?;
    if !request.kinds.is_empty() {
        layouts.retain(|layout| request.kinds.contains(&layout.mapping.kind));
    }
    let imported_before = store.applied_batches_with_file(&sha256)?;
    Ok(OpenedFile {
        workbook,
        sha256,
        imported_before,
        layouts,
    })
}

/// Runs the pipeline: every part of every file, kind by kind (companies, contacts, projects),
/// chunk by chunk. With a batch it writes each chunk as it goes (the caller holds the
/// transaction); without one it writes nothing. Returns the plan and the groups and branches
/// it created.
pub(crate) fn run(
    store: &mut Store,
    request: &ImportRequest,
    choices: ResolvedChoices,
    batch: Option<ImportBatchId>,
    progress: &mut dyn FnMut(PlanProgress),
    observe: &mut dyn FnMut(&PlannedRow),
) -> Result<(Plan, Created)> {
    if request.files.is_empty() {
        return Err(crate::util::refused_in(
            "ei tuotavia tiedostoja",
            "inga filer att importera",
            "no files to import",
        ));
    }
    // The phone metadata loads on first use (~70 ms): load it on another thread while this
    // one opens the files and finds their header rows.
    // Each file's choices are checked before any file is read.
    let mut defaults = Vec::with_capacity(request.files.len());
    for file in &request.files {
        defaults.push(
            resolve_file(store, &choices, &file.choices)
                .map_err(|error| of_file(&file.name, error))?,
        );
    }
    let phone_metadata = std::thread::spawn(tuonti_validation::load_phone_metadata);
    let names = Names::load(store)?;
    let context = RowContext::new(choices.default_country)
        .map_err(|e| Error::Domain(DomainError::Refused(e.to_string())))?;
    let mut opened = Vec::with_capacity(request.files.len());
    for file in &request.files {
        opened.push(open_file(store, request, file)?);
    }
    // Every part, kind by kind in dependency order, files in order within a kind.
    let mut parts: Vec<(usize, usize)> = opened
        .iter()
        .enumerate()
        .flat_map(|(file, opened)| (0..opened.layouts.len()).map(move |layout| (file, layout)))
        .collect();
    parts.sort_by_key(|&(file, layout)| opened[file].layouts[layout].mapping.kind);
    if parts.is_empty() {
        let wanted: Vec<&str> = request.kinds.iter().map(|kind| kind.as_str()).collect();
        let wanted_in = |lang| {
            request
                .kinds
                .iter()
                .map(|kind| kind.label(lang))
                .collect::<Vec<_>>()
                .join(", ")
        };
        return Err(crate::util::refused_in(
            format!(
                "tiedostoissa ei ole tietueita: {}; niiden välilehdillä on muita tietueita",
                wanted_in(Lang::Fi)
            ),
            format!(
                "filerna innehåller inga {}; deras blad innehåller andra slags poster",
                wanted_in(Lang::Sv)
            ),
            format!(
                "the files hold no {}; their sheets hold other kinds of records",
                wanted.join(", ")
            ),
        ));
    }
    let kinds: Vec<RecordKind> = parts
        .iter()
        .map(|&(file, layout)| opened[file].layouts[layout].mapping.kind)
        .collect();
    let stored_before = StoredBefore {
        companies: store.has_companies()?,
        contacts: kinds.contains(&RecordKind::Contact) && store.has_contacts()?,
        projects: kinds.contains(&RecordKind::Project) && store.has_projects()?,
    };
    let mut rules_by_kind: BTreeMap<RecordKind, Box<dyn KindRules>> = BTreeMap::new();
    for (&(file, layout), kind) in parts.iter().zip(&kinds) {
        let rules = rules_by_kind
            .entry(*kind)
            .or_insert_with(|| rules(*kind, stored_before));
        rules.check_columns(&request.files[file].name, &opened[file].layouts[layout])?;
    }
    let mut pipeline = Pipeline {
        choices: &choices,
        names,
        cache: OverrideCache::default(),
        values: ValueResolver::new(choices.choices.accept_suggestions),
        context,
        kept: Vec::new(),
        cache_grown: false,
        kept_issue_rows: 0,
        kept_updates: 0,
        new_groups: Vec::new(),
        new_branches: Vec::new(),
        batch,
        writing: batch.is_some(),
        rows_done: 0,
        places: Places::default(),
        index: ImportIndex::default(),
        index_companies: kinds
            .iter()
            .any(|kind| matches!(kind, RecordKind::Contact | RecordKind::Project)),
        index_contacts: kinds.contains(&RecordKind::Project),
    };
    let mut files = Vec::with_capacity(parts.len());
    let mut file_of_part = Vec::with_capacity(parts.len());
    let n_parts = parts.len();
    for (part_index, &(file_index, layout_index)) in parts.iter().enumerate() {
        let opened = &mut opened[file_index];
        let layout = opened.layouts[layout_index].clone();
        let kind = layout.mapping.kind;
        let Some(rules) = rules_by_kind.get_mut(&kind) else {
            continue;
        };
        file_of_part.push(file_index);
        files.push(pipeline.run_part(
            store,
            PartInput {
                index: part_index,
                parts: n_parts,
                file: &request.files[file_index],
                sha256: &opened.sha256,
                imported_before: &opened.imported_before,
                defaults: &defaults[file_index],
                layout,
            },
            &mut opened.workbook,
            rules.as_mut(),
            progress,
            observe,
        )?);
    }
    if let Err(panic) = phone_metadata.join() {
        std::panic::resume_unwind(panic);
    }
    // Chosen rows apply to every sheet of records of their file: a row past the last row of
    // data of every one of them is a mistake (one past a shorter sheet's end is not).
    for (file_index, file) in request.files.iter().enumerate() {
        let Some(chosen) = &file.rows else { continue };
        let last_row = file_of_part
            .iter()
            .zip(&files)
            .filter(|(index, _)| **index == file_index)
            .map(|(_, planned)| planned.last_row)
            .max();
        if let Some(last_row) = last_row
            && chosen.last() > last_row
        {
            let name = &file.name;
            let row = chosen.last();
            return Err(crate::util::refused_in(
                format!(
                    "{name}: rivit {chosen}: rivi {row} on tiedoston viimeisen tietorivin \
                     ({last_row}) jälkeen"
                ),
                format!(
                    "{name}: rader {chosen}: rad {row} är efter filens sista datarad ({last_row})"
                ),
                format!(
                    "{name}: rows {chosen}: row {row} is past the file's last row of data, \
                     {last_row}"
                ),
            ));
        }
    }
    let mut counts = BatchCounts::default();
    let mut counts_by_kind: BTreeMap<RecordKind, BatchCounts> = BTreeMap::new();
    for file in &files {
        add_counts(&mut counts, &file.counts);
        add_counts(counts_by_kind.entry(file.kind).or_default(), &file.counts);
    }
    let (unresolved_values, accepted_suggestions) = pipeline.values.finish();
    for accepted in &accepted_suggestions {
        for &part in &accepted.parts {
            if let Some(file) = files.get_mut(part as usize) {
                // Recorded with the file as the mapping it acted as; cannot conflict, as
                // the value was mapped to nothing.
                let _ = file.choices.values.insert(
                    accepted.suggestion.field,
                    &accepted.suggestion.value,
                    &accepted.suggestion.suggestion.target,
                );
            }
        }
    }
    let mut created = Created::default();
    for rules in rules_by_kind.values_mut() {
        created.groups.extend(rules.created_groups());
        created.branches.extend(rules.created_branches());
    }
    let plan = Plan {
        choices: choices.clone(),
        files,
        rows: pipeline.kept,
        new_groups: pipeline.new_groups,
        new_branches: pipeline.new_branches,
        counts,
        counts_by_kind,
        unresolved_values,
        accepted_suggestions: accepted_suggestions
            .into_iter()
            .map(|accepted| accepted.suggestion)
            .collect(),
    };
    Ok((plan, created))
}

/// A refused choice of a file, naming the file.
fn of_file(file: &str, error: Error) -> Error {
    match error {
        Error::Domain(DomainError::Refused(message)) => {
            Error::Domain(DomainError::Refused(format!("{file}: {message}")))
        }
        Error::Domain(DomainError::RefusedIn(message)) => crate::util::refused_in(
            format!("{file}: {}", message.fi),
            format!("{file}: {}", message.get(Lang::Sv)),
            format!("{file}: {}", message.en),
        ),
        Error::Domain(error @ DomainError::NotFound { .. }) => crate::util::refused_in(
            format!("{file}: {}", error.message(Lang::Fi)),
            format!("{file}: {}", error.message(Lang::Sv)),
            format!("{file}: {error}"),
        ),
        other => other,
    }
}

/// The setup records an import created as it wrote.
#[derive(Debug, Default)]
pub(crate) struct Created {
    pub(crate) groups: Vec<String>,
    pub(crate) branches: Vec<String>,
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

struct Pipeline<'a> {
    choices: &'a ResolvedChoices,
    names: Names,
    cache: OverrideCache,
    /// The values of linked columns that resolved to nothing, each once.
    values: ValueResolver,
    context: RowContext,
    kept: Vec<PlannedRow>,
    /// Whether the page cache was grown for a large import.
    cache_grown: bool,
    kept_issue_rows: usize,
    kept_updates: usize,
    new_groups: Vec<String>,
    new_branches: Vec<String>,
    /// The batch being written, `None` for a dry run.
    batch: Option<ImportBatchId>,
    /// Whether chunks are still written: a dry run never writes, and an all-or-nothing import
    /// stops writing at its first rejected row (its transaction will be rolled back).
    writing: bool,
    rows_done: u64,
    /// The file and sheet of every part begun, to name the row a repeat repeats.
    places: Places,
    /// The records of this import that later kinds refer to.
    index: ImportIndex,
    index_companies: bool,
    index_contacts: bool,
}

/// A chunk of rows on its way from the reader thread: as read, or already validated.
enum ReadChunk {
    Read(Vec<Row>),
    Validated(Vec<(Row, RecordOutcome)>),
}

/// What validating a chunk of rows needs; each thread has its own copy.
#[derive(Clone)]
struct ChunkCheck {
    validator: RecordValidator,
    /// The mapped columns, by field.
    columns: Vec<(FieldKey, u32)>,
    /// The column of the record's title, where issues about the whole row go.
    title_column: u32,
}

impl ChunkCheck {
    /// Validates every row of a chunk (`cells` is scratch space).
    fn validate(&self, chunk: Vec<Row>, cells: &mut RowCells) -> Vec<(Row, RecordOutcome)> {
        let mut validated = Vec::with_capacity(chunk.len());
        for mut source in chunk {
            let outcome = self.validate_row(&mut source, cells);
            validated.push((source, outcome));
        }
        validated
    }

    /// Validates one row; its cells are as read afterwards.
    fn validate_row(&self, source: &mut Row, cells: &mut RowCells) -> RecordOutcome {
        cells.clear();
        // Cells carry their row and column only; the issues that need them get the file
        // and sheet afterwards, so plain rows allocate no location strings.
        cells.set_row_location(Location::cell(source.row, self.title_column));
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
        let mut outcome = RecordOutcome::default();
        self.validator.validate_into(cells, &mut outcome);
        for &(field, column) in &self.columns {
            if let Some(cell) = cells.take(field)
                && let Some(slot) = source.cells.get_mut(column as usize)
            {
                *slot = cell.value;
            }
        }
        outcome
    }

    /// The columns of fields the validator checks against a fixed list (status, country),
    /// with the issue code of a value it does not know.
    fn fixed_list_columns(&self) -> Vec<(LinkField, u32, IssueCode)> {
        [
            (LinkField::Status, tuonti_validation::codes::STATUS_UNKNOWN),
            (
                LinkField::Country,
                tuonti_validation::codes::COUNTRY_UNKNOWN,
            ),
        ]
        .into_iter()
        .filter_map(|(link, code)| {
            let field = link.field();
            self.columns
                .iter()
                .find(|(mapped, _)| *mapped == field)
                .map(|&(_, column)| (link, column, code))
        })
        .collect()
    }
}

/// A part to run: which it is and the file it is in.
struct PartInput<'a> {
    index: usize,
    parts: usize,
    file: &'a ImportFile,
    sha256: &'a str,
    imported_before: &'a [ImportBatchId],
    defaults: &'a FileDefaults,
    layout: Layout,
}

/// The order ambiguous slash dates of a project sheet are read in: the one its date columns'
/// unambiguous dates show (a first pass over those columns).
fn date_order(
    workbook: &mut Workbook,
    layout: &Layout,
) -> Result<Option<tuonti_validation::DateOrder>> {
    let columns: Vec<u32> = [FieldKey::StartDate, FieldKey::EndDate]
        .into_iter()
        .filter_map(|field| layout.mapping.column_of(field))
        .collect();
    if columns.is_empty() {
        return Ok(None);
    }
    let mut vote = tuonti_validation::DateOrderVote::new();
    workbook.for_each_chunk(layout, CHUNK_ROWS, |rows| {
        for row in rows {
            for &column in &columns {
                if let Some(cell) = row.cells.get(column as usize) {
                    vote.observe(cell);
                }
            }
        }
        ControlFlow::Continue(())
    })?;
    Ok(vote.order())
}

impl Pipeline<'_> {
    fn run_part(
        &mut self,
        store: &mut Store,
        input: PartInput<'_>,
        workbook: &mut Workbook,
        rules: &mut dyn KindRules,
        progress: &mut dyn FnMut(PlanProgress),
        observe: &mut dyn FnMut(&PlannedRow),
    ) -> Result<PlannedFile> {
        let PartInput {
            index: part_index,
            parts,
            file,
            sha256,
            imported_before,
            defaults,
            layout,
        } = input;
        let kind = layout.mapping.kind;
        let chosen = file.rows.as_ref();
        if let Some(chosen) = chosen
            && chosen.first() <= layout.header_row
        {
            let name = format!(
                "{}{}",
                file.name,
                layout
                    .sheet
                    .as_deref()
                    .map(|sheet| format!(" ({sheet})"))
                    .unwrap_or_default()
            );
            let (row, header, first_data) =
                (chosen.first(), layout.header_row, layout.header_row + 1);
            return Err(crate::util::refused_in(
                format!(
                    "{name}: rivit {chosen}: rivi {row} ei ole tietorivi; otsikkorivi on {header} \
                     ja tiedot alkavat riviltä {first_data}"
                ),
                format!(
                    "{name}: rader {chosen}: rad {row} är ingen datarad; rubrikraden är {header} \
                     och data börjar på rad {first_data}"
                ),
                format!(
                    "{name}: rows {chosen}: row {row} is not a data row; the header is row \
                     {header} and the data begins on row {first_data}"
                ),
            ));
        }
        let fixes = FixesByRow::new(&file.fixes, |field| layout.mapping.column_of(field)).map_err(
            |fix| {
                let (name, row, field) = (&file.name, fix.row, fix.field.as_str());
                crate::util::refused_in(
                    format!(
                        "{name}: rivin {row} korjaus koskee kenttää {field}, jota mikään \
                         tiedoston sarake ei sisällä"
                    ),
                    format!(
                        "{name}: rättelsen på rad {row} gäller fältet {field}, som ingen kolumn \
                         i filen innehåller"
                    ),
                    format!("{name}: the fix of row {row} names {field}, which no column of the file holds"),
                )
            },
        )?;
        if let Some(first) = file.fixes.iter().map(|fix| fix.row).min()
            && first <= layout.header_row
        {
            let (name, header) = (&file.name, layout.header_row);
            return Err(crate::util::refused_in(
                format!(
                    "{name}: korjaus koskee riviä {first}, joka ei ole tietorivi; otsikkorivi on \
                     {header}"
                ),
                format!(
                    "{name}: en rättelse gäller rad {first}, som inte är en datarad; rubrikraden \
                     är {header}"
                ),
                format!(
                    "{name}: a fix names row {first}, which is not a data row; the header is row \
                     {header}"
                ),
            ));
        }
        let fixed = std::sync::Mutex::new(Vec::<RecordedFix>::new());
        let not_selected = std::sync::atomic::AtomicU64::new(0);
        let last_row = std::sync::atomic::AtomicU32::new(layout.header_row);
        let part = self.places.push(&file.name, layout.sheet.as_deref());
        let columns: Vec<(FieldKey, u32)> = layout
            .mapping
            .fields()
            .filter(|(field, _)| kind.has_field(*field))
            .collect();
        let title_column = layout.mapping.column_of(kind.title_field()).unwrap_or(0);
        let date_order = if kind == RecordKind::Project {
            date_order(workbook, &layout)?
        } else {
            None
        };
        let mut counts = BatchCounts::default();
        let mut issue_rows = IssueLogWriter::default();
        let mut rows_with_issues: u64 = 0;
        let mut issue_count: u64 = 0;
        let mut failure: Option<Error> = None;
        let mut rows_in_file: usize = 0;
        let place = Place {
            file: &file.name,
            sheet: layout.sheet.as_deref(),
            part,
            layout: &layout,
            defaults,
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
            validator: RecordValidator::new(kind, self.context).with_date_order(date_order),
            columns,
            title_column,
        };
        let read_layout = layout.clone();
        let read_result = std::thread::scope(|scope| {
            let waiting = &waiting;
            let (not_selected, last_row) = (&not_selected, &last_row);
            let (fixes, fixed, fix_list) = (&fixes, &fixed, &file.fixes);
            let reader_check = check.clone();
            let reader = scope.spawn(move || {
                let mut cells = RowCells::new();
                workbook.for_each_owned_chunk(&read_layout, CHUNK_ROWS, |mut chunk| {
                    if let Some(last) = chunk.last() {
                        last_row.store(last.row, std::sync::atomic::Ordering::Relaxed);
                    }
                    if let Some(chosen) = chosen {
                        let before = chunk.len();
                        chunk.retain(|row| chosen.contains(row.row));
                        let left_out = (before - chunk.len()) as u64;
                        not_selected.fetch_add(left_out, std::sync::atomic::Ordering::Relaxed);
                        if chunk.is_empty() {
                            return ControlFlow::Continue(());
                        }
                    }
                    if !fixes.is_empty() {
                        for row in &mut chunk {
                            let done = fixes.apply(fix_list, row.row, &mut row.cells);
                            if !done.is_empty() {
                                fixed
                                    .lock()
                                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                                    .extend(done);
                            }
                        }
                    }
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
            let fixed_lists = check.fixed_list_columns();
            let mut fix_cells = RowCells::new();
            for mut chunk in receiver {
                if !fixed_lists.is_empty() {
                    self.fixed_list_values(
                        &check,
                        &fixed_lists,
                        &mut chunk,
                        &mut fix_cells,
                        &place,
                    );
                }
                if let Err(error) = self.handle_chunk(
                    store,
                    rules,
                    &mut chunk,
                    &mut chunk_rows,
                    part_index,
                    &place,
                ) {
                    failure = Some(error);
                    break;
                }
                for ((source, _), mut planned) in chunk.into_iter().zip(chunk_rows.drain(..)) {
                    count(&mut counts, planned.action);
                    observe(&planned);
                    if matches!(planned.action, RowAction::Create | RowAction::Update) {
                        let (list, name) = match &planned.targets {
                            RowTargets::Company {
                                customer_group: Some(GroupTarget::New(name)),
                                ..
                            } => (&mut self.new_groups, name),
                            RowTargets::Project {
                                branch: Some(BranchTarget::New(name)),
                                ..
                            } => (&mut self.new_branches, name),
                            _ => (&mut self.new_groups, &String::new()),
                        };
                        if !name.is_empty() && !list.iter().any(|g| name_key(g) == name_key(name)) {
                            list.push(name.clone());
                        }
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
                // A large sheet's table indexes outgrow the connection's page cache: let it
                // hold more (SQLite) once a sheet is past LARGE_IMPORT_ROWS rows (rows of
                // other kinds go to other tables).
                if self.batch.is_some()
                    && !self.cache_grown
                    && rows_in_file as u64 >= LARGE_IMPORT_ROWS
                {
                    self.cache_grown = true;
                    if let Err(error) = store.set_page_cache_mib(LARGE_IMPORT_CACHE_MIB) {
                        failure = Some(error.into());
                        break;
                    }
                }
                progress(PlanProgress {
                    file: part_index,
                    files: parts,
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
        let rows_not_selected = not_selected.into_inner();
        counts.skipped += rows_not_selected;
        let last_row = last_row.into_inner();
        if let Some(last) = fixes.last_row()
            && last > last_row
        {
            let name = &file.name;
            return Err(crate::util::refused_in(
                format!(
                    "{name}: korjaus koskee riviä {last}, joka on välilehden viimeisen tietorivin \
                     ({last_row}) jälkeen"
                ),
                format!(
                    "{name}: en rättelse gäller rad {last}, som är efter bladets sista datarad \
                     ({last_row})"
                ),
                format!(
                    "{name}: a fix names row {last}, past the sheet's last row of data, {last_row}"
                ),
            ));
        }
        let mut choices = defaults.summary();
        choices.rows = chosen.cloned();
        choices.fixes = fixed
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        choices.fixes.sort_by_key(|fix| (fix.row, fix.field));
        Ok(PlannedFile {
            name: file.name.clone(),
            kind,
            size_bytes: file.bytes.len() as u64,
            sha256: sha256.to_owned(),
            format,
            csv,
            sheet: layout.sheet.clone(),
            header_row: layout.header_row,
            mapping: layout.mapping.clone(),
            counts,
            imported_before: imported_before.to_vec(),
            choices,
            rows_not_selected,
            rows_with_issues,
            issue_count,
            issue_rows: issue_rows.finish()?,
            layout,
            last_row,
        })
    }

    /// The status and country values of a chunk the validator did not know: each is counted
    /// once per value with its suggestions, and a row whose value the file maps (or, with
    /// accepted suggestions, has one suggestion) is validated again with that value.
    fn fixed_list_values(
        &mut self,
        check: &ChunkCheck,
        fixed_lists: &[(LinkField, u32, IssueCode)],
        chunk: &mut [(Row, RecordOutcome)],
        cells: &mut RowCells,
        place: &Place<'_>,
    ) {
        for (source, outcome) in chunk.iter_mut() {
            if outcome.issues.is_empty() {
                continue;
            }
            let mut replaced = false;
            for (link, column, code) in fixed_lists {
                let (link, column) = (*link, *column);
                if !outcome.issues.iter().any(|issue| issue.code == *code) {
                    continue;
                }
                let Some(CellValue::Text(text)) = source.cells.get(column as usize) else {
                    continue;
                };
                if let Some(target) = self.values.fixed_list_value(place, source.row, link, text) {
                    source.cells[column as usize] = CellValue::Text(target);
                    replaced = true;
                }
            }
            if replaced {
                *outcome = check.validate_row(source, cells);
            }
        }
    }

    /// Resolves, matches and (when writing) writes one validated chunk; `planned` receives its
    /// rows in order.
    fn handle_chunk(
        &mut self,
        store: &mut Store,
        rules: &mut dyn KindRules,
        chunk: &mut [(Row, RecordOutcome)],
        planned: &mut Vec<PlannedRow>,
        part_index: usize,
        place: &Place<'_>,
    ) -> Result<()> {
        planned.clear();
        let kind = place.layout.mapping.kind;
        for (source, outcome) in chunk.iter_mut() {
            let mut issues = std::mem::take(&mut outcome.issues);
            for issue in &mut issues {
                place.locate(&mut issue.location);
            }
            planned.push(PlannedRow {
                file: part_index,
                kind,
                row: source.row,
                action: RowAction::Create,
                values: std::mem::take(&mut outcome.values),
                overrides: std::mem::take(&mut outcome.references),
                targets: RowTargets::empty(kind),
                existing: None,
                changes: Vec::new(),
                issues,
                name_cell: place.field_cell(source.row, kind.title_field()),
            });
        }
        let mut cx = Context {
            store,
            choices: self.choices,
            names: &self.names,
            cache: &mut self.cache,
            values: &mut self.values,
            places: &self.places,
            index: &mut self.index,
            index_companies: self.index_companies,
            index_contacts: self.index_contacts,
            batch: self.batch,
            writing: self.writing,
        };
        for row in planned.iter_mut() {
            rules.resolve_row(&mut cx, row, place)?;
            row.action = if row.has_errors() {
                RowAction::Reject
            } else {
                RowAction::Create
            };
        }
        rules.match_chunk(&mut cx, planned, place)?;
        let Some(batch) = self.batch else {
            return Ok(());
        };
        if !self.writing {
            return Ok(());
        }
        if !self.choices.choices.skip_invalid
            && planned.iter().any(|row| row.action == RowAction::Reject)
        {
            // All or nothing: the transaction is rolled back at the end; keep reading only to
            // report every rejected row.
            self.writing = false;
            return Ok(());
        }
        rules.write_chunk(&mut cx, planned, batch)
    }
}
