//! Writing the error workbook: the input's rows with their issues marked, ready to fix and
//! import again.

use crate::error::{Error, Result};
use crate::mapping::errors_header;
use crate::table::{Layout, Row, Table};
use crate::template::template_sheet_names;
use chrono::{NaiveDate, NaiveDateTime};
use rust_xlsxwriter::{Color, Format, FormatBorder, Note, Workbook as XlsxWorkbook, XlsxError};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;
use tuonti_domain::{CellValue, FieldKind, Issue, Lang, Severity};

/// Which rows an error workbook holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowSelection {
    /// Only the rows with at least one error (the rejected rows).
    #[default]
    Rejected,
    /// Every row, with or without issues.
    All,
}

/// How to write an error workbook.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorWorkbookOptions {
    /// The language of the errors column and the notes.
    pub lang: Lang,
    /// Which rows to write.
    pub rows: RowSelection,
}

/// How many rows of an error workbook get notes on their cells with issues. Beyond them the
/// cells are still filled and the errors column still holds every message, but no notes are
/// added: spreadsheet programs slow down with thousands of note shapes, and each note costs
/// the writer several kilobytes of memory until the workbook is saved.
pub const NOTED_ROWS: u32 = 1_000;

const ERROR_FILL: u32 = 0x00FF_C7CE;
const WARNING_FILL: u32 = 0x00FF_EB9C;

fn write_error(source: XlsxError) -> Error {
    Error::Write {
        what: "error workbook",
        source,
    }
}

/// Writes the error workbook as xlsx bytes, from a whole [`Table`]; see
/// [`ErrorWorkbookWriter`] for the layout of the workbook and for writing row by row.
///
/// # Errors
///
/// [`Error::Write`] when the workbook cannot be built.
pub fn error_workbook_bytes(
    table: &Table,
    issues: &[Issue],
    options: &ErrorWorkbookOptions,
) -> Result<Vec<u8>> {
    let mut writer = ErrorWorkbookWriter::new(&table.layout, options)?;
    writer.write_rows(&table.rows, issues)?;
    writer.finish()
}

/// Writes the error workbook to `path`, as [`error_workbook_bytes`] does.
///
/// # Errors
///
/// [`Error::Write`] when the workbook cannot be built or saved.
pub fn save_error_workbook(
    table: &Table,
    issues: &[Issue],
    options: &ErrorWorkbookOptions,
    path: impl AsRef<Path>,
) -> Result<()> {
    let mut writer = ErrorWorkbookWriter::new(&table.layout, options)?;
    writer.write_rows(&table.rows, issues)?;
    writer.finish_to_path(path)
}

/// Excel's serial day number of a date (1900 date system).
fn serial_date(date: NaiveDate) -> f64 {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
    (date - epoch).num_days() as f64
}

fn serial_datetime(datetime: NaiveDateTime) -> f64 {
    use chrono::Timelike;
    let seconds = f64::from(datetime.time().num_seconds_from_midnight());
    serial_date(datetime.date()) + seconds / 86_400.0
}

/// Writes an error workbook chunk by chunk, so that a long file never has to be in memory:
/// the sheet is written in rust_xlsxwriter's constant-memory mode (rows go to a temporary
/// file as they come).
///
/// The first column holds the row's messages (header [`errors_header`]); then come the input's
/// columns in their order under their original headers. Cells with an issue are filled (errors
/// red, warnings yellow) and, in the first [`NOTED_ROWS`] rows, carry a note with the message.
/// Values are written as strings and
/// numbers (dates as date-formatted numbers), never as formulas. Reading the file again finds
/// the header row, maps the columns as before and ignores the errors column.
///
/// Issues are matched to rows by [`Location::row`](tuonti_domain::Location::row) and to cells
/// by [`Location::column`](tuonti_domain::Location::column) (or by the field's column); an
/// issue of another sheet (by [`Location::sheet`](tuonti_domain::Location::sheet)) is left
/// out.
///
/// ```
/// use std::ops::ControlFlow;
/// use tuonti_domain::{Issue, IssueCode, Lang, LocalizedText, Location};
/// use tuonti_excel_template::{ErrorWorkbookOptions, ErrorWorkbookWriter, Workbook};
///
/// let csv = "Yritys;Y-tunnus\nA Oy;123\nB Oy;0112038-9\n".as_bytes().to_vec();
/// let mut workbook = Workbook::from_bytes("a.csv", csv, &Default::default())?;
/// let layout = workbook.locate(None)?;
/// let options = ErrorWorkbookOptions { lang: Lang::Fi, ..Default::default() };
/// let mut writer = ErrorWorkbookWriter::new(&layout, &options)?;
/// let mut result = Ok(());
/// workbook.for_each_chunk(&layout, 1000, |rows| {
///     // Validation would find these issues.
///     let issues = vec![Issue::error(
///         IssueCode::new("business_id.format"),
///         LocalizedText::new("Väärä muoto", "Fel form", "Wrong form"),
///     )
///     .at(Location::cell(2, 1))];
///     result = writer.write_rows(rows, &issues).map(|_| ());
///     if result.is_ok() { ControlFlow::Continue(()) } else { ControlFlow::Break(()) }
/// })?;
/// result?;
/// let bytes = writer.finish()?;
/// assert!(bytes.starts_with(b"PK"));
/// # Ok::<(), tuonti_excel_template::Error>(())
/// ```
pub struct ErrorWorkbookWriter {
    workbook: XlsxWorkbook,
    layout: Layout,
    options: ErrorWorkbookOptions,
    next_row: u32,
    n_columns: usize,
    errors_format: Format,
    cell_formats: CellFormats,
    /// Rows written with notes so far (see [`NOTED_ROWS`]).
    noted_rows: u32,
}

/// The formats of data cells, built once: by value kind and by the fill of its issues.
struct CellFormats {
    /// Index: kind (0 other, 1 text, 2 date, 3 date and time) * 3 + fill (0 none, 1 error,
    /// 2 warning).
    formats: Vec<Format>,
}

impl CellFormats {
    fn new() -> Self {
        let mut formats = Vec::with_capacity(12);
        for kind in 0..4 {
            for fill in [None, Some(ERROR_FILL), Some(WARNING_FILL)] {
                let format = match kind {
                    1 => Format::new().set_num_format_index(49),
                    2 => Format::new().set_num_format("d.m.yyyy"),
                    3 => Format::new().set_num_format("d.m.yyyy hh:mm:ss"),
                    _ => Format::new(),
                };
                formats.push(match fill {
                    Some(fill) => format.set_background_color(Color::RGB(fill)),
                    None => format,
                });
            }
        }
        Self { formats }
    }

    fn get(&self, value: &CellValue, fill: Option<u32>) -> &Format {
        let kind = match value {
            CellValue::Text(_) => 1,
            CellValue::Date(_) => 2,
            CellValue::DateTime(_) => 3,
            _ => 0,
        };
        let fill = match fill {
            None => 0,
            Some(ERROR_FILL) => 1,
            Some(_) => 2,
        };
        &self.formats[kind * 3 + fill]
    }
}

impl std::fmt::Debug for ErrorWorkbookWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ErrorWorkbookWriter")
            .field("options", &self.options)
            .field("next_row", &self.next_row)
            .finish_non_exhaustive()
    }
}

impl ErrorWorkbookWriter {
    /// Starts an error workbook for data read with `layout`: writes the header row.
    ///
    /// # Errors
    ///
    /// [`Error::Write`] when the workbook cannot be started (e.g. no temporary file).
    pub fn new(layout: &Layout, options: &ErrorWorkbookOptions) -> Result<Self> {
        let lang = options.lang;
        let mut workbook = XlsxWorkbook::new();
        // The fastest deflate level: an error workbook is a working file, saved once and opened
        // soon, and level 1 saves several times faster than the default 6 for a file a little
        // larger.
        workbook.set_zip_compression_level(1);
        let sheet = workbook
            .add_worksheet_with_constant_memory()
            .map_err(write_error)?;
        sheet
            .set_name(template_sheet_names(lang).1)
            .map_err(write_error)?;

        let header_format = Format::new()
            .set_bold()
            .set_background_color(Color::RGB(0x00DD_EBF7))
            .set_border(FormatBorder::Thin);
        let errors_header_format = header_format
            .clone()
            .set_background_color(Color::RGB(ERROR_FILL));
        let text_format = Format::new().set_num_format_index(49);

        sheet.set_column_width(0, 50).map_err(write_error)?;
        for column in 0..layout.headers.len() as u32 {
            let out_column = column_index(column + 1)?;
            let header = layout
                .headers
                .get(column as usize)
                .cloned()
                .unwrap_or_default();
            let width = header.chars().count().clamp(10, 40) + 2;
            sheet
                .set_column_width(out_column, width as f64)
                .map_err(write_error)?;
            let identifier = layout
                .mapping
                .columns
                .get(column as usize)
                .and_then(|c| c.field)
                .is_some_and(|field| field.spec().kind == FieldKind::Identifier);
            if identifier {
                sheet
                    .set_column_format(out_column, &text_format)
                    .map_err(write_error)?;
            }
        }
        sheet
            .write_string_with_format(0, 0, errors_header(lang), &errors_header_format)
            .map_err(write_error)?;
        for column in 0..layout.headers.len() as u32 {
            let header = layout
                .headers
                .get(column as usize)
                .cloned()
                .unwrap_or_default();
            sheet
                .write_string_with_format(0, column_index(column + 1)?, &header, &header_format)
                .map_err(write_error)?;
        }
        sheet.set_freeze_panes(1, 1).map_err(write_error)?;
        Ok(Self {
            workbook,
            layout: layout.clone(),
            options: *options,
            next_row: 1,
            n_columns: layout.headers.len(),
            errors_format: Format::new()
                .set_text_wrap()
                .set_font_color(Color::RGB(0x009C_0006)),
            cell_formats: CellFormats::new(),
            noted_rows: 0,
        })
    }

    /// Writes `rows` (in file order, after any rows written before) with the `issues` that fall
    /// on them, as [`ErrorWorkbookOptions::rows`] selects. Issues of other rows are ignored, so
    /// a caller may pass a chunk's issues or all of them. Returns how many rows were written.
    ///
    /// # Errors
    ///
    /// [`Error::Write`] when a row cannot be written.
    pub fn write_rows(&mut self, rows: &[Row], issues: &[Issue]) -> Result<u32> {
        let lang = self.options.lang;
        let layout = &self.layout;
        let mut by_row: HashMap<u32, Vec<&Issue>> = HashMap::new();
        for issue in issues {
            let same_sheet = match (&issue.location.sheet, &layout.sheet) {
                (Some(issue_sheet), Some(sheet)) => issue_sheet == sheet,
                _ => true,
            };
            if let (Some(row), true) = (issue.location.row, same_sheet) {
                by_row.entry(row).or_default().push(issue);
            }
        }
        let issue_column = |issue: &Issue| -> Option<u32> {
            issue.location.column.or_else(|| {
                issue
                    .location
                    .field
                    .and_then(|field| layout.mapping.column_of(field))
            })
        };
        let header_text = |column: u32| -> String {
            layout
                .headers
                .get(column as usize)
                .filter(|h| !h.is_empty())
                .cloned()
                .unwrap_or_else(|| tuonti_domain::column_letters(column))
        };
        let sheet = self.workbook.worksheet_from_index(0).map_err(write_error)?;
        let mut written = 0;
        for row in rows {
            let row_issues = by_row.get(&row.row).map(Vec::as_slice).unwrap_or_default();
            let rejected = row_issues.iter().any(|issue| issue.is_error());
            if self.options.rows == RowSelection::Rejected && !rejected {
                continue;
            }
            let messages: Vec<String> = row_issues
                .iter()
                .map(|issue| {
                    let prefix = match issue_column(issue) {
                        Some(column) => format!("{}: ", header_text(column)),
                        None => String::new(),
                    };
                    let warning = match (issue.severity, lang) {
                        (Severity::Warning, Lang::Fi) => " (varoitus)",
                        (Severity::Warning, Lang::Sv) => " (varning)",
                        (Severity::Warning, Lang::En) => " (warning)",
                        (Severity::Error, _) => "",
                    };
                    format!("{prefix}{}{warning}", issue.message.get(lang))
                })
                .collect();
            if !messages.is_empty() {
                sheet
                    .write_string_with_format(
                        self.next_row,
                        0,
                        messages.join("\n"),
                        &self.errors_format,
                    )
                    .map_err(write_error)?;
            }
            let n_columns = row.cells.len().max(layout.headers.len());
            self.n_columns = self.n_columns.max(n_columns);
            let notes = self.noted_rows < NOTED_ROWS;
            let noted = write_row(
                sheet,
                RowOut {
                    row: self.next_row,
                    formats: &self.cell_formats,
                    notes,
                    lang,
                    n_columns,
                },
                row,
                row_issues,
                &issue_column,
            )?;
            if noted {
                self.noted_rows += 1;
            }
            self.next_row += 1;
            written += 1;
        }
        Ok(written)
    }

    fn close(mut self) -> Result<XlsxWorkbook> {
        let last_column = column_index(self.n_columns as u32)?;
        let sheet = self.workbook.worksheet_from_index(0).map_err(write_error)?;
        sheet
            .autofilter(0, 0, 0, last_column)
            .map_err(write_error)?;
        Ok(self.workbook)
    }

    /// Finishes the workbook and returns its xlsx bytes.
    ///
    /// # Errors
    ///
    /// [`Error::Write`] when the workbook cannot be assembled.
    pub fn finish(self) -> Result<Vec<u8>> {
        self.close()?.save_to_buffer().map_err(write_error)
    }

    /// Finishes the workbook and saves it to `path`.
    ///
    /// # Errors
    ///
    /// [`Error::Write`] when the workbook cannot be assembled or saved.
    pub fn finish_to_path(self, path: impl AsRef<Path>) -> Result<()> {
        self.close()?.save(path.as_ref()).map_err(write_error)
    }
}

fn column_index(column: u32) -> Result<u16> {
    u16::try_from(column).map_err(|_| write_error(XlsxError::RowColumnLimitError))
}

/// Where and how [`write_row`] writes a row.
struct RowOut<'a> {
    row: u32,
    formats: &'a CellFormats,
    /// Whether cells with issues get notes.
    notes: bool,
    lang: Lang,
    n_columns: usize,
}

/// Writes a row's cells; returns whether it added a note.
fn write_row(
    sheet: &mut rust_xlsxwriter::Worksheet,
    out: RowOut<'_>,
    row: &Row,
    row_issues: &[&Issue],
    issue_column: &dyn Fn(&Issue) -> Option<u32>,
) -> Result<bool> {
    let RowOut {
        row: out_row,
        formats,
        notes,
        lang,
        n_columns,
    } = out;
    let mut noted = false;
    for column in 0..n_columns as u32 {
        let cell_issues: Vec<&&Issue> = row_issues
            .iter()
            .filter(|issue| issue_column(issue) == Some(column))
            .collect();
        let value = row.get(column);
        let fill = (!cell_issues.is_empty()).then(|| {
            if cell_issues.iter().any(|issue| issue.is_error()) {
                ERROR_FILL
            } else {
                WARNING_FILL
            }
        });
        let format = formats.get(value, fill);
        let out_column = column_index(column + 1)?;
        match value {
            CellValue::Empty => {
                if !cell_issues.is_empty() {
                    sheet
                        .write_blank(out_row, out_column, format)
                        .map_err(write_error)?;
                }
            }
            CellValue::Text(text) => {
                sheet
                    .write_string_with_format(out_row, out_column, text, format)
                    .map_err(write_error)?;
            }
            CellValue::Number(number) => {
                sheet
                    .write_number_with_format(out_row, out_column, *number, format)
                    .map_err(write_error)?;
            }
            CellValue::Date(date) => {
                sheet
                    .write_number_with_format(out_row, out_column, serial_date(*date), format)
                    .map_err(write_error)?;
            }
            CellValue::DateTime(datetime) => {
                sheet
                    .write_number_with_format(
                        out_row,
                        out_column,
                        serial_datetime(*datetime),
                        format,
                    )
                    .map_err(write_error)?;
            }
            other => {
                sheet
                    .write_string_with_format(out_row, out_column, other.to_string(), format)
                    .map_err(write_error)?;
            }
        }
        if notes && !cell_issues.is_empty() {
            let text = cell_issues
                .iter()
                .map(|issue| issue.message.get(lang))
                .collect::<Vec<_>>()
                .join("\n");
            let note = Note::new(text).add_author_prefix(false).set_width(300);
            sheet
                .insert_note(out_row, out_column, &note)
                .map_err(write_error)?;
            noted = true;
        }
    }
    Ok(noted)
}
