//! Reading workbooks and CSV files into rows: finding the sheet and the header row, then
//! streaming the data rows in chunks.

use crate::error::{Error, Limit, Result};
use crate::format::{self, CsvDialect, Detected, FileFormat, ReadLimits};
use crate::mapping::{self, ColumnMapping, MappingOverride};
use crate::table::{Layout, Row, Table};
use crate::template::{self, SheetMeta, TemplateMeta};
use crate::xlsx_cells::XlsxCells;
use calamine::{Data, DataRef, Reader, SheetType, SheetVisible};
use serde::{Deserialize, Serialize};
use std::io::{Cursor, Read};
use std::ops::ControlFlow;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Arc;
use tuonti_domain::{CellValue, RecordKind};

/// How many non-empty rows at the top of a sheet are searched for the header row.
pub const HEADER_SEARCH_ROWS: usize = 20;

/// The default number of rows handed to a [`Workbook::for_each_chunk`] visitor at once.
pub const DEFAULT_CHUNK_ROWS: usize = 1000;

/// A sheet of a workbook, as listed by [`Workbook::sheets`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetInfo {
    /// The sheet name.
    pub name: String,
    /// Whether the sheet is hidden (or very hidden).
    pub hidden: bool,
    /// Whether the sheet is a worksheet (not a chart, dialog or macro sheet).
    pub worksheet: bool,
}

/// What to read: which sheet, mapping corrections, limits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadOptions {
    /// The sheet the user named; `None` picks the first visible sheet with a header row.
    pub sheet: Option<String>,
    /// Corrections to the automatic column mapping, applied in order.
    pub overrides: Vec<MappingOverride>,
    /// Limits against hostile files.
    pub limits: ReadLimits,
}

type Sheets = calamine::Sheets<Cursor<SharedBytes>>;

/// A file's bytes, shared with the caller instead of copied (a large workbook is read twice
/// by a dry run and an import).
#[derive(Clone)]
pub(crate) struct SharedBytes(pub(crate) Arc<Vec<u8>>);

impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

enum Backend {
    /// xls, xlsb and ods files.
    Calamine {
        sheets: Box<Sheets>,
        /// The last sheet read whole (xls, ods), kept for the second pass.
        cached: Option<(String, calamine::Range<Data>)>,
    },
    /// xlsx and xlsm files: calamine opened them and listed the sheets; the cells are read by
    /// our own streaming reader.
    Xlsx(Box<XlsxCells>),
    Csv {
        bytes: SharedBytes,
        dialect: CsvDialect,
    },
}

/// An opened spreadsheet or CSV file.
///
/// Opening tells the format from the bytes and runs the guards against hostile files (size,
/// zip bomb, encryption); reading finds the data and streams rows. The file's bytes are held in
/// memory (bounded by [`ReadLimits::max_file_bytes`]); rows are not, unless collected with
/// [`Workbook::read_table`].
pub struct Workbook {
    file: String,
    format: FileFormat,
    limits: ReadLimits,
    sheets: Vec<SheetInfo>,
    backend: Backend,
}

impl std::fmt::Debug for Workbook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workbook")
            .field("file", &self.file)
            .field("format", &self.format)
            .field("sheets", &self.sheets)
            .finish_non_exhaustive()
    }
}

std::thread_local! {
    /// Whether this thread is inside [`guarded`], whose panics are reported as errors.
    static IN_READER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Installs, once per process, a panic hook that stays silent for a panic inside
/// [`guarded`] on the panicking thread and hands every other panic to the hook that was in
/// place before (the default one prints "thread … panicked at …" and, with
/// `RUST_BACKTRACE`, a backtrace, before the clean error the user should see alone).
///
/// One hook for the process, keyed by a thread-local flag, rather than a hook swapped in
/// and out around each call: in a server two readers run at once, and swapping would let one
/// restore the other's silent hook for good.
fn install_quiet_reader_hook() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_READER.with(std::cell::Cell::get) {
                previous(info);
            }
        }));
    });
}

/// Runs a calamine call, turning a panic into a corrupt-file error, with nothing printed
/// for it (see [`install_quiet_reader_hook`]).
fn guarded<T, E: std::fmt::Display>(
    file: &str,
    format: FileFormat,
    call: impl FnOnce() -> std::result::Result<T, E>,
) -> Result<T> {
    install_quiet_reader_hook();
    let was_inside = IN_READER.with(|inside| inside.replace(true));
    let outcome = catch_unwind(AssertUnwindSafe(call));
    IN_READER.with(|inside| inside.set(was_inside));
    match outcome {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(err)) => Err(calamine_error(file, format, &err.to_string())),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(Error::Corrupt {
                file: file.to_owned(),
                format: format.as_str(),
                reason: format!("the reader crashed on the file's contents ({message})"),
            })
        }
    }
}

fn calamine_error(file: &str, format: FileFormat, message: &str) -> Error {
    if message.to_ascii_lowercase().contains("password") {
        return Error::Encrypted {
            file: file.to_owned(),
        };
    }
    Error::Corrupt {
        file: file.to_owned(),
        format: format.as_str(),
        reason: message.to_owned(),
    }
}

impl Workbook {
    /// Opens a file from disk.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when it cannot be read; [`Error::TooLarge`] before reading a file over
    /// [`ReadLimits::max_file_bytes`]; otherwise as [`Workbook::from_bytes`].
    pub fn open(path: impl AsRef<Path>, limits: &ReadLimits) -> Result<Self> {
        let path = path.as_ref();
        let file = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into(),
        );
        let io_error = |source| Error::Io {
            path: path.to_owned(),
            source,
        };
        let handle = std::fs::File::open(path).map_err(io_error)?;
        let size = handle.metadata().map_err(io_error)?.len();
        if size > limits.max_file_bytes {
            return Err(Error::TooLarge {
                file,
                limit: Limit::FileBytes,
                max: limits.max_file_bytes,
                part: None,
            });
        }
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        handle
            .take(limits.max_file_bytes + 1)
            .read_to_end(&mut bytes)
            .map_err(io_error)?;
        Self::from_bytes(file, bytes, limits)
    }

    /// Opens a file from its bytes; `file` is the name used in messages.
    ///
    /// # Errors
    ///
    /// [`Error::EmptyFile`], [`Error::NotSpreadsheet`], [`Error::Encrypted`],
    /// [`Error::Corrupt`] or [`Error::TooLarge`].
    pub fn from_bytes(
        file: impl Into<String>,
        bytes: Vec<u8>,
        limits: &ReadLimits,
    ) -> Result<Self> {
        Self::from_shared(file, Arc::new(bytes), limits)
    }

    /// [`Workbook::from_bytes`] for bytes the caller keeps too: they are shared, not copied.
    ///
    /// # Errors
    ///
    /// As [`Workbook::from_bytes`].
    pub fn from_shared(
        file: impl Into<String>,
        bytes: Arc<Vec<u8>>,
        limits: &ReadLimits,
    ) -> Result<Self> {
        let bytes = SharedBytes(bytes);
        let file = file.into();
        match format::detect(&file, bytes.as_ref(), limits)? {
            Detected::Csv(dialect) => Ok(Self {
                file,
                format: FileFormat::Csv,
                limits: limits.clone(),
                sheets: Vec::new(),
                backend: Backend::Csv { bytes, dialect },
            }),
            Detected::Workbook(format) => {
                let cursor = Cursor::new(bytes.clone());
                let sheets: Sheets =
                    guarded(&file, format, || -> Result<Sheets, calamine::Error> {
                        Ok(match format {
                            FileFormat::Xls => {
                                calamine::Sheets::Xls(calamine::open_workbook_from_rs(cursor)?)
                            }
                            FileFormat::Xlsb => {
                                calamine::Sheets::Xlsb(calamine::open_workbook_from_rs(cursor)?)
                            }
                            FileFormat::Ods => {
                                calamine::Sheets::Ods(calamine::open_workbook_from_rs(cursor)?)
                            }
                            FileFormat::Xlsx | FileFormat::Xlsm | FileFormat::Csv => {
                                calamine::Sheets::Xlsx(calamine::open_workbook_from_rs(cursor)?)
                            }
                        })
                    })?;
                let infos = sheets
                    .sheets_metadata()
                    .iter()
                    .map(|sheet| SheetInfo {
                        name: sheet.name.clone(),
                        hidden: sheet.visible != SheetVisible::Visible,
                        worksheet: sheet.typ == SheetType::WorkSheet,
                    })
                    .collect();
                let backend = match sheets {
                    // calamine's reader, with the shared strings it loaded, is dropped: the
                    // cells are read by `XlsxCells` from the same bytes.
                    calamine::Sheets::Xlsx(xlsx) => Backend::Xlsx(Box::new(XlsxCells::new(
                        bytes,
                        format,
                        xlsx.has_1904_epoch(),
                        limits,
                    ))),
                    sheets => Backend::Calamine {
                        sheets: Box::new(sheets),
                        cached: None,
                    },
                };
                Ok(Self {
                    file,
                    format,
                    limits: limits.clone(),
                    sheets: infos,
                    backend,
                })
            }
        }
    }

    /// The file name as given.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The detected format.
    pub fn format(&self) -> FileFormat {
        self.format
    }

    /// The detected encoding and delimiter, for a CSV file.
    pub fn csv_dialect(&self) -> Option<CsvDialect> {
        match &self.backend {
            Backend::Csv { dialect, .. } => Some(*dialect),
            Backend::Calamine { .. } | Backend::Xlsx(_) => None,
        }
    }

    /// The sheets in workbook order, hidden ones marked (empty for CSV).
    pub fn sheets(&self) -> &[SheetInfo] {
        &self.sheets
    }

    /// Finds the data: the sheet (the one named, else the first sheet
    /// [`Workbook::locate_all`] finds, so a template's companies sheet, else the first
    /// visible worksheet with a recognizable header in its first [`HEADER_SEARCH_ROWS`]
    /// non-empty rows, passing over a template's instructions sheet), the header row (the row
    /// of those with the most header-like cells: exact matches count 1, fuzzy ones ½, at least
    /// 1 in all; the earliest on a tie), and the automatic mapping of its columns. A CSV file
    /// has no sheets; `sheet` is ignored for it.
    ///
    /// # Errors
    ///
    /// [`Error::SheetNotFound`], [`Error::NoHeaderRow`], or a read error as
    /// [`Workbook::for_each_chunk`].
    pub fn locate(&mut self, sheet: Option<&str>) -> Result<Layout> {
        self.locate_with(sheet, &[])
    }

    /// [`Workbook::locate`], counting the headers that `overrides` name as recognizable too,
    /// so a file whose headers only a mapping profile knows is still found; the overrides are
    /// not applied to the mapping (use [`ColumnMapping::apply_overrides`]).
    ///
    /// # Errors
    ///
    /// As [`Workbook::locate`].
    pub fn locate_with(
        &mut self,
        sheet: Option<&str>,
        overrides: &[MappingOverride],
    ) -> Result<Layout> {
        let mut layouts = self.locate_all(sheet, overrides)?;
        // `locate_all` returns at least one layout or an error.
        Ok(layouts.swap_remove(0))
    }

    /// Every sheet of the workbook that holds records, each with its [`RecordKind`] (the
    /// mapping's [`ColumnMapping::kind`]), header row and mapping, in sheet order: the sheets
    /// whose name tells a kind ("Yritykset", "Kontaktpersoner", "Projects", ...; see
    /// [`RecordKind::from_sheet_name`]), and for every kind no sheet's name tells, the first
    /// other visible sheet whose headers are that kind's (the kind whose headers match best).
    /// A Tuonti template's data sheets map exactly, each by its entry in the hidden metadata
    /// sheet (its kind, header row and columns; every column [`MatchSource::Template`](crate::MatchSource::Template));
    /// a template sheet the user renamed maps by its name or headers like any other.
    /// A CSV file is one layout, its kind told by its headers; with `sheet`, that sheet alone.
    /// Empty sheets and sheets without a recognizable header row are passed over.
    ///
    /// # Errors
    ///
    /// As [`Workbook::locate`]: [`Error::NoHeaderRow`] when no sheet has one.
    pub fn locate_all(
        &mut self,
        sheet: Option<&str>,
        overrides: &[MappingOverride],
    ) -> Result<Vec<Layout>> {
        let known: Vec<String> = overrides
            .iter()
            .map(|o| mapping::normalize_header(&o.header))
            .collect();
        let known = known.as_slice();
        if matches!(self.backend, Backend::Csv { .. }) {
            return Ok(vec![self.locate_in(None, None, known, None)?]);
        }
        let meta = self.template_meta()?;
        if let Some(wanted) = sheet {
            let Some(found) = self.sheets.iter().find(|s| s.name == wanted) else {
                return Err(Error::SheetNotFound {
                    file: self.file.clone(),
                    sheet: wanted.to_owned(),
                    available: self.sheets.iter().map(|s| s.name.clone()).collect(),
                });
            };
            let name = found.name.clone();
            let sheet_meta = meta.as_ref().and_then(|meta| meta.sheet(&name)).cloned();
            let kind = sheet_meta
                .as_ref()
                .map(|sheet| sheet.kind)
                .or_else(|| RecordKind::from_sheet_name(&name));
            return Ok(vec![self.locate_in(
                Some(&name),
                sheet_meta.as_ref(),
                known,
                kind,
            )?]);
        }
        let candidates: Vec<String> = self
            .sheets
            .iter()
            .filter(|s| !s.hidden && s.worksheet && !is_instructions_sheet(&s.name))
            .map(|s| s.name.clone())
            .collect();
        let mut by_name = Vec::new();
        let mut by_headers: Vec<Layout> = Vec::new();
        for name in &candidates {
            // A template's sheet is its metadata's kind; a renamed one is no longer in the
            // metadata and maps by its name or headers.
            let sheet_meta = meta.as_ref().and_then(|meta| meta.sheet(name));
            let kind = sheet_meta
                .map(|sheet| sheet.kind)
                .or_else(|| RecordKind::from_sheet_name(name));
            match self.locate_in(Some(name), sheet_meta, known, kind) {
                Ok(layout) if kind.is_some() => by_name.push(layout),
                Ok(layout) => by_headers.push(layout),
                Err(Error::NoHeaderRow { .. }) => {}
                Err(err) => return Err(err),
            }
        }
        let mut layouts = by_name;
        for layout in by_headers {
            if !layouts
                .iter()
                .any(|found| found.mapping.kind == layout.mapping.kind)
            {
                layouts.push(layout);
            }
        }
        if layouts.is_empty() {
            return Err(Error::NoHeaderRow {
                file: self.file.clone(),
                sheets: candidates,
                rows_searched: HEADER_SEARCH_ROWS,
            });
        }
        let order = |layout: &Layout| {
            candidates
                .iter()
                .position(|name| layout.sheet.as_deref() == Some(name.as_str()))
        };
        layouts.sort_by_key(order);
        Ok(layouts)
    }

    fn template_meta(&mut self) -> Result<Option<TemplateMeta>> {
        if !self.sheets.iter().any(|s| s.name == template::META_SHEET) {
            return Ok(None);
        }
        let mut rows = Vec::new();
        self.scan(Some(template::META_SHEET), &mut |row| {
            rows.push(row);
            if rows.len() > 1000 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })?;
        Ok(TemplateMeta::parse(&rows))
    }

    /// The header row and mapping of one sheet (of the CSV file when `sheet` is `None`), for
    /// `kind`'s fields, or, without a kind, for the kind whose headers match best.
    fn locate_in(
        &mut self,
        sheet: Option<&str>,
        meta: Option<&SheetMeta>,
        known: &[String],
        kind: Option<RecordKind>,
    ) -> Result<Layout> {
        let mut top = Vec::new();
        self.scan(sheet, &mut |row| {
            top.push(row);
            if top.len() >= HEADER_SEARCH_ROWS {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })?;
        let texts = |row: &Row| -> Vec<String> {
            row.cells
                .iter()
                .map(|cell| cell.to_string().trim().to_owned())
                .collect()
        };
        if let Some(meta) = meta
            && let Some(header) = top.iter().find(|row| row.row == meta.header_row)
        {
            let headers = texts(header);
            return Ok(Layout {
                sheet: sheet.map(str::to_owned),
                header_row: header.row,
                mapping: ColumnMapping::from_headers_with_template(
                    kind.unwrap_or_default(),
                    &headers,
                    &meta.columns,
                ),
                headers,
                from_template: true,
                example_row: meta.example_row,
            });
        }
        let kinds: &[RecordKind] = match &kind {
            Some(kind) => std::slice::from_ref(kind),
            None => &RecordKind::ALL,
        };
        let mut best: Option<(f64, usize, RecordKind)> = None;
        for (index, row) in top.iter().enumerate() {
            let cells = texts(row);
            let overridden = cells
                .iter()
                .filter(|cell| {
                    !cell.is_empty()
                        && !known.is_empty()
                        && known.contains(&mapping::normalize_header(cell))
                })
                .count();
            for &candidate in kinds {
                let score = mapping::header_score(candidate, &cells) + overridden as f64;
                if score >= 1.0 && best.is_none_or(|(best_score, _, _)| score > best_score) {
                    best = Some((score, index, candidate));
                }
            }
        }
        let Some((_, index, found_kind)) = best else {
            return Err(Error::NoHeaderRow {
                file: self.file.clone(),
                sheets: vec![sheet.unwrap_or("CSV").to_owned()],
                rows_searched: HEADER_SEARCH_ROWS,
            });
        };
        let header = &top[index];
        let headers = texts(header);
        Ok(Layout {
            sheet: sheet.map(str::to_owned),
            header_row: header.row,
            mapping: ColumnMapping::for_kind(found_kind, &headers),
            headers,
            from_template: false,
            example_row: None,
        })
    }

    /// Streams the data rows below `layout`'s header row to `visit` in chunks of up to
    /// `chunk_rows` rows (at least 1), so memory stays flat however long the sheet is. Empty
    /// rows are skipped; the visitor stops the reading early with `ControlFlow::Break`.
    /// Returns the number of rows visited.
    ///
    /// # Errors
    ///
    /// [`Error::Corrupt`] when the sheet cannot be parsed; [`Error::TooLarge`] past
    /// [`ReadLimits::max_cells`].
    pub fn for_each_chunk(
        &mut self,
        layout: &Layout,
        chunk_rows: usize,
        mut visit: impl FnMut(&[Row]) -> ControlFlow<()>,
    ) -> Result<u64> {
        self.for_each_owned_chunk(layout, chunk_rows, |chunk| visit(&chunk))
    }

    /// [`Workbook::for_each_chunk`], handing each chunk over by value, e.g. to send it to
    /// another thread without copying it.
    ///
    /// # Errors
    ///
    /// As [`Workbook::for_each_chunk`].
    pub fn for_each_owned_chunk(
        &mut self,
        layout: &Layout,
        chunk_rows: usize,
        mut visit: impl FnMut(Vec<Row>) -> ControlFlow<()>,
    ) -> Result<u64> {
        let chunk_rows = chunk_rows.max(1);
        let mut chunk: Vec<Row> = Vec::with_capacity(chunk_rows.min(DEFAULT_CHUNK_ROWS));
        let mut count: u64 = 0;
        let mut stopped = false;
        let examples = layout
            .example_row
            .map(|row| (row, template::example_cells(&layout.mapping)));
        let is_example = |row: &Row| {
            examples.as_ref().is_some_and(|(example_row, versions)| {
                row.row == *example_row && versions.contains(&row.cells)
            })
        };
        self.scan(layout.sheet.as_deref(), &mut |row| {
            if row.row <= layout.header_row {
                return ControlFlow::Continue(());
            }
            if is_example(&row) {
                return ControlFlow::Continue(());
            }
            count += 1;
            chunk.push(row);
            if chunk.len() >= chunk_rows {
                let full = std::mem::replace(
                    &mut chunk,
                    Vec::with_capacity(chunk_rows.min(DEFAULT_CHUNK_ROWS)),
                );
                if visit(full).is_break() {
                    stopped = true;
                    return ControlFlow::Break(());
                }
            }
            ControlFlow::Continue(())
        })?;
        if !stopped && !chunk.is_empty() {
            let _ = visit(chunk);
        }
        Ok(count)
    }

    /// Reads the data the options point at into a [`Table`]: locates the sheet and header
    /// row, applies the overrides and collects every row.
    ///
    /// # Errors
    ///
    /// As [`Workbook::locate`], [`ColumnMapping::apply_overrides`] and
    /// [`Workbook::for_each_chunk`].
    pub fn read_table(&mut self, options: &ReadOptions) -> Result<Table> {
        let mut layout = self.locate_with(options.sheet.as_deref(), &options.overrides)?;
        layout.mapping.apply_overrides(&options.overrides)?;
        let mut rows = Vec::new();
        self.for_each_chunk(&layout, DEFAULT_CHUNK_ROWS, |chunk| {
            rows.extend_from_slice(chunk);
            ControlFlow::Continue(())
        })?;
        Ok(Table {
            file: self.file.clone(),
            format: self.format,
            csv: self.csv_dialect(),
            layout,
            rows,
        })
    }

    /// Visits every non-blank row of a sheet (or of the CSV file) from the top, in order.
    fn scan(
        &mut self,
        sheet: Option<&str>,
        visit: &mut dyn FnMut(Row) -> ControlFlow<()>,
    ) -> Result<()> {
        let mut builder = RowBuilder::new(&self.file, sheet, &self.limits, visit);
        match &mut self.backend {
            Backend::Csv { bytes, dialect } => scan_csv(bytes.as_ref(), *dialect, &mut builder)?,
            Backend::Calamine { sheets, cached } => {
                let name = sheet.unwrap_or_default();
                scan_calamine(&self.file, self.format, sheets, cached, name, &mut builder)?;
            }
            Backend::Xlsx(cells) => {
                let name = sheet.unwrap_or_default();
                cells.for_each_cell(&self.file, name, &mut |row, column, value| {
                    builder.push(row, column, value)
                })?;
            }
        }
        builder.finish();
        Ok(())
    }
}

/// Whether `name` is a template's instructions sheet, which lists the field headers one per
/// row and must not be taken for data.
fn is_instructions_sheet(name: &str) -> bool {
    tuonti_domain::Lang::ALL
        .into_iter()
        .any(|lang| template::template_sheet_names(lang).0 == name)
}

/// Assembles cells arriving in row-major order into non-blank rows and enforces the cell limit.
struct RowBuilder<'a> {
    file: &'a str,
    sheet: Option<&'a str>,
    limits: &'a ReadLimits,
    visit: &'a mut dyn FnMut(Row) -> ControlFlow<()>,
    current: Option<Row>,
    cells: u64,
    stopped: bool,
    /// The most cells a row has had, so the next row's cells are allocated once.
    width: usize,
}

impl<'a> RowBuilder<'a> {
    fn new(
        file: &'a str,
        sheet: Option<&'a str>,
        limits: &'a ReadLimits,
        visit: &'a mut dyn FnMut(Row) -> ControlFlow<()>,
    ) -> Self {
        Self {
            file,
            sheet,
            limits,
            visit,
            current: None,
            cells: 0,
            stopped: false,
            width: 0,
        }
    }

    /// Adds a cell (0-based row and column); `Break` once the visitor asked to stop.
    fn push(&mut self, row: u32, column: u32, value: CellValue) -> Result<ControlFlow<()>> {
        if value.is_blank() {
            return Ok(ControlFlow::Continue(()));
        }
        if column >= self.limits.max_columns {
            return Err(Error::TooLarge {
                file: self.file.to_owned(),
                limit: Limit::Columns,
                max: u64::from(self.limits.max_columns),
                part: self.sheet.map(str::to_owned),
            });
        }
        self.cells += 1;
        if self.cells > self.limits.max_cells {
            return Err(Error::TooLarge {
                file: self.file.to_owned(),
                limit: Limit::Cells,
                max: self.limits.max_cells,
                part: self.sheet.map(str::to_owned),
            });
        }
        let row_number = row.saturating_add(1);
        if self.current.as_ref().is_some_and(|r| r.row != row_number) && self.flush().is_break() {
            return Ok(ControlFlow::Break(()));
        }
        let width = self.width;
        let current = self.current.get_or_insert_with(|| Row {
            row: row_number,
            cells: Vec::with_capacity(width),
        });
        let index = column as usize;
        if current.cells.len() <= index {
            current.cells.resize(index + 1, CellValue::Empty);
            self.width = self.width.max(index + 1);
        }
        current.cells[index] = value;
        Ok(ControlFlow::Continue(()))
    }

    fn flush(&mut self) -> ControlFlow<()> {
        if self.stopped {
            return ControlFlow::Break(());
        }
        if let Some(row) = self.current.take()
            && !row.is_blank()
            && (self.visit)(row).is_break()
        {
            self.stopped = true;
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    }

    fn finish(&mut self) {
        let _ = self.flush();
    }
}

/// Turns a calamine cell into our cell: dates become dates, empty strings empty cells.
pub(crate) fn cell_value(data: DataRef<'_>) -> CellValue {
    match data {
        DataRef::Empty => CellValue::Empty,
        DataRef::String(text) if text.is_empty() => CellValue::Empty,
        DataRef::String(text) => CellValue::Text(text),
        DataRef::SharedString("") => CellValue::Empty,
        DataRef::SharedString(text) => CellValue::Text(text.to_owned()),
        DataRef::Int(number) => CellValue::Number(number as f64),
        DataRef::Float(number) => CellValue::Number(number),
        DataRef::Bool(value) => CellValue::Bool(value),
        DataRef::Error(error) => CellValue::Error(error.to_string()),
        DataRef::DateTime(datetime) => {
            if datetime.is_duration() {
                return CellValue::Number(datetime.as_f64());
            }
            match datetime.as_datetime() {
                Some(value) if value.time() == chrono::NaiveTime::MIN => {
                    CellValue::Date(value.date())
                }
                Some(value) => CellValue::DateTime(value),
                None => CellValue::Number(datetime.as_f64()),
            }
        }
        DataRef::DateTimeIso(text) => iso_datetime(&text),
        DataRef::DurationIso(text) => CellValue::Text(text),
    }
}

pub(crate) fn iso_datetime(text: &str) -> CellValue {
    if let Ok(date) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return CellValue::Date(date);
    }
    if let Ok(datetime) = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
        if datetime.time() == chrono::NaiveTime::MIN {
            return CellValue::Date(datetime.date());
        }
        return CellValue::DateTime(datetime);
    }
    CellValue::Text(text.to_owned())
}

fn data_ref(data: &Data) -> DataRef<'_> {
    match data {
        Data::Int(v) => DataRef::Int(*v),
        Data::Float(v) => DataRef::Float(*v),
        Data::String(v) => DataRef::SharedString(v),
        Data::Bool(v) => DataRef::Bool(*v),
        Data::DateTime(v) => DataRef::DateTime(*v),
        Data::DateTimeIso(v) => DataRef::DateTimeIso(v.clone()),
        Data::DurationIso(v) => DataRef::DurationIso(v.clone()),
        Data::Error(v) => DataRef::Error(v.clone()),
        Data::Empty => DataRef::Empty,
    }
}

fn scan_calamine(
    file: &str,
    format: FileFormat,
    sheets: &mut Sheets,
    cached: &mut Option<(String, calamine::Range<Data>)>,
    name: &str,
    builder: &mut RowBuilder<'_>,
) -> Result<()> {
    match sheets {
        // Not reached for files opened by `Workbook`, whose xlsx cells `XlsxCells` reads; kept
        // as calamine's way, which that reader mirrors.
        calamine::Sheets::Xlsx(xlsx) => {
            let mut reader = guarded(file, format, || xlsx.worksheet_cells_reader(name))?;
            while let Some(cell) = guarded(file, format, || reader.next_cell())? {
                let (row, column) = cell.get_position();
                let value = cell_value(cell.get_value().clone());
                if builder.push(row, column, value)?.is_break() {
                    break;
                }
            }
            Ok(())
        }
        calamine::Sheets::Xlsb(xlsb) => {
            let mut reader = guarded(file, format, || xlsb.worksheet_cells_reader(name))?;
            while let Some(cell) = guarded(file, format, || reader.next_cell())? {
                let (row, column) = cell.get_position();
                let value = cell_value(cell.get_value().clone());
                if builder.push(row, column, value)?.is_break() {
                    break;
                }
            }
            Ok(())
        }
        calamine::Sheets::Xls(_) | calamine::Sheets::Ods(_) => {
            if cached
                .as_ref()
                .is_none_or(|(cached_name, _)| cached_name != name)
            {
                *cached = None;
                let range = guarded(file, format, || sheets.worksheet_range(name))?;
                *cached = Some((name.to_owned(), range));
            }
            let Some((_, range)) = cached.as_ref() else {
                return Ok(());
            };
            let (start_row, start_column) = range.start().unwrap_or((0, 0));
            for (row, column, data) in range.used_cells() {
                let value = cell_value(data_ref(data));
                if builder
                    .push(start_row + row as u32, start_column + column as u32, value)?
                    .is_break()
                {
                    break;
                }
            }
            Ok(())
        }
    }
}

fn scan_csv(bytes: &[u8], dialect: CsvDialect, builder: &mut RowBuilder<'_>) -> Result<()> {
    let body = bytes.get(dialect.encoding.bom_len()..).unwrap_or_default();
    let reader: Box<dyn Read + '_> = match dialect.encoding {
        crate::format::TextEncoding::Utf8 | crate::format::TextEncoding::Utf8Bom => Box::new(body),
        other => Box::new(DecodingReader::new(other.encoding(), body)),
    };
    // Lines end in LF or CRLF: split records on LF only, so that the csv reader counts the
    // lines as a spreadsheet program numbers the rows, and drop the CR by hand. Old Mac files
    // (CR only) are split on CR and numbered by record.
    let sample = body.get(..body.len().min(64 * 1024)).unwrap_or_default();
    let cr_only = !sample.contains(&b'\n') && sample.contains(&b'\r');
    let terminator = if cr_only {
        csv::Terminator::CRLF
    } else {
        csv::Terminator::Any(b'\n')
    };
    let mut csv_reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .terminator(terminator)
        .delimiter(u8::try_from(dialect.delimiter).unwrap_or(b','))
        .from_reader(reader);
    let mut record = csv::ByteRecord::new();
    let mut record_index: u64 = 0;
    loop {
        let more = csv_reader
            .read_byte_record(&mut record)
            .map_err(|err| Error::Corrupt {
                file: builder.file.to_owned(),
                format: "csv",
                reason: err.to_string(),
            })?;
        if !more {
            break;
        }
        record_index += 1;
        let line = if cr_only {
            record_index
        } else {
            record
                .position()
                .map_or(record_index, |position| position.line())
        };
        let line = u32::try_from(line.saturating_sub(1)).unwrap_or(u32::MAX);
        let n_fields = record.len();
        let mut stop = false;
        for (column, field) in record.iter().enumerate() {
            let field = match field.strip_suffix(b"\r") {
                Some(stripped) if column + 1 == n_fields => stripped,
                _ => field,
            };
            let text = String::from_utf8_lossy(field);
            let value = if text.is_empty() {
                CellValue::Empty
            } else {
                CellValue::Text(text.into_owned())
            };
            if builder.push(line, column as u32, value)?.is_break() {
                stop = true;
                break;
            }
        }
        if stop {
            break;
        }
    }
    Ok(())
}

/// Decodes UTF-16 or Windows-1252 to UTF-8 while the CSV reader reads.
struct DecodingReader<'a> {
    decoder: encoding_rs::Decoder,
    input: &'a [u8],
    output: Vec<u8>,
    position: usize,
    finished: bool,
}

impl<'a> DecodingReader<'a> {
    fn new(encoding: &'static encoding_rs::Encoding, input: &'a [u8]) -> Self {
        Self {
            decoder: encoding.new_decoder_without_bom_handling(),
            input,
            output: Vec::new(),
            position: 0,
            finished: false,
        }
    }
}

impl Read for DecodingReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.position >= self.output.len() {
            if self.finished {
                return Ok(0);
            }
            let take = self.input.len().min(16 * 1024);
            let (chunk, rest) = self.input.split_at(take);
            let last = rest.is_empty();
            let capacity = self
                .decoder
                .max_utf8_buffer_length(chunk.len())
                .unwrap_or(chunk.len() * 3 + 16);
            self.output.resize(capacity, 0);
            let (_, read, written, _) = self.decoder.decode_to_utf8(chunk, &mut self.output, last);
            self.output.truncate(written);
            self.position = 0;
            self.input = &self.input[read..];
            if last && read == chunk.len() {
                self.finished = true;
            }
        }
        let available = &self.output[self.position..];
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.position += n;
        Ok(n)
    }
}

/// Opens a file and reads it into a [`Table`] with [`Workbook::read_table`].
///
/// # Errors
///
/// As [`Workbook::open`] and [`Workbook::read_table`].
pub fn read_file(path: impl AsRef<Path>, options: &ReadOptions) -> Result<Table> {
    Workbook::open(path, &options.limits)?.read_table(options)
}

/// Reads a file's bytes into a [`Table`] with [`Workbook::read_table`]; `file` is the name
/// used in messages.
///
/// # Errors
///
/// As [`Workbook::from_bytes`] and [`Workbook::read_table`].
pub fn read_bytes(file: &str, bytes: Vec<u8>, options: &ReadOptions) -> Result<Table> {
    Workbook::from_bytes(file, bytes, &options.limits)?.read_table(options)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_and_workbooks_cross_threads() {
        fn send_sync<T: Send + Sync + 'static>() {}
        fn send<T: Send + 'static>() {}
        send_sync::<Error>();
        send::<Workbook>();
        send::<crate::ErrorWorkbookWriter>();
    }

    #[test]
    fn a_panicking_reader_is_a_corrupt_file() {
        let result: Result<()> = guarded("a.xlsx", FileFormat::Xlsx, || -> Result<(), String> {
            panic!("index out of bounds")
        });
        match result {
            Err(Error::Corrupt { reason, format, .. }) => {
                assert_eq!(format, "xlsx");
                assert!(reason.contains("index out of bounds"), "{reason}");
            }
            other => panic!("expected Corrupt, got {other:?}"),
        }
    }
}
