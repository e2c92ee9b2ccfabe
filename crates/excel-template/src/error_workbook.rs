//! Writing the error workbook: the input's rows with their issues marked, ready to fix and
//! import again.

use crate::error::{Error, Result};
use crate::mapping::errors_header;
use crate::table::{Row, Table};
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
    /// The language of the errors column and the notes (Swedish falls back to English).
    pub lang: Lang,
    /// Which rows to write.
    pub rows: RowSelection,
}

const ERROR_FILL: u32 = 0x00FF_C7CE;
const WARNING_FILL: u32 = 0x00FF_EB9C;

fn write_error(source: XlsxError) -> Error {
    Error::Write {
        what: "error workbook",
        source,
    }
}

/// Writes the error workbook as xlsx bytes.
///
/// The first column holds the row's messages (header [`errors_header`]); then come the input's
/// columns in their order under their original headers. Cells with an issue are filled (errors
/// red, warnings yellow) and carry a note with the message. Values are written as strings and
/// numbers (dates as date-formatted numbers), never as formulas. Reading the file again finds
/// the header row, maps the columns as before and ignores the errors column.
///
/// Issues are matched to rows by [`Location::row`](tuonti_domain::Location::row) and to cells
/// by [`Location::column`](tuonti_domain::Location::column) (or by the field's column).
///
/// # Errors
///
/// [`Error::Write`] when the workbook cannot be built.
pub fn error_workbook_bytes(
    table: &Table,
    issues: &[Issue],
    options: &ErrorWorkbookOptions,
) -> Result<Vec<u8>> {
    build(table, issues, options)?
        .save_to_buffer()
        .map_err(write_error)
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
    build(table, issues, options)?
        .save(path.as_ref())
        .map_err(write_error)
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

fn build(table: &Table, issues: &[Issue], options: &ErrorWorkbookOptions) -> Result<XlsxWorkbook> {
    let lang = options.lang;
    let layout = &table.layout;
    // Issues by row number (only those of this table's sheet).
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

    let n_columns = table
        .rows
        .iter()
        .map(|row| row.cells.len())
        .chain(std::iter::once(layout.headers.len()))
        .max()
        .unwrap_or(0);

    let mut workbook = XlsxWorkbook::new();
    let sheet = workbook.add_worksheet();
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
    let errors_format = Format::new()
        .set_text_wrap()
        .set_font_color(Color::RGB(0x009C_0006));
    let text_format = Format::new().set_num_format_index(49);

    sheet
        .write_string_with_format(0, 0, errors_header(lang), &errors_header_format)
        .map_err(write_error)?;
    sheet.set_column_width(0, 50).map_err(write_error)?;
    for column in 0..n_columns as u32 {
        let out_column = column_index(column + 1)?;
        let header = layout
            .headers
            .get(column as usize)
            .cloned()
            .unwrap_or_default();
        sheet
            .write_string_with_format(0, out_column, &header, &header_format)
            .map_err(write_error)?;
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
    sheet.set_freeze_panes(1, 1).map_err(write_error)?;
    sheet
        .autofilter(0, 0, 0, column_index(n_columns as u32)?)
        .map_err(write_error)?;

    let mut out_row: u32 = 1;
    for row in &table.rows {
        let row_issues = by_row.get(&row.row).map(Vec::as_slice).unwrap_or_default();
        let rejected = row_issues.iter().any(|issue| issue.is_error());
        if options.rows == RowSelection::Rejected && !rejected {
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
                    (Severity::Warning, _) => " (warning)",
                    (Severity::Error, _) => "",
                };
                format!("{prefix}{}{warning}", issue.message.get(lang))
            })
            .collect();
        if !messages.is_empty() {
            sheet
                .write_string_with_format(out_row, 0, messages.join("\n"), &errors_format)
                .map_err(write_error)?;
        }
        write_row(
            sheet,
            out_row,
            row,
            row_issues,
            &issue_column,
            lang,
            n_columns,
        )?;
        out_row += 1;
    }
    Ok(workbook)
}

fn column_index(column: u32) -> Result<u16> {
    u16::try_from(column).map_err(|_| write_error(XlsxError::RowColumnLimitError))
}

fn write_row(
    sheet: &mut rust_xlsxwriter::Worksheet,
    out_row: u32,
    row: &Row,
    row_issues: &[&Issue],
    issue_column: &dyn Fn(&Issue) -> Option<u32>,
    lang: Lang,
    n_columns: usize,
) -> Result<()> {
    for column in 0..n_columns as u32 {
        let cell_issues: Vec<&&Issue> = row_issues
            .iter()
            .filter(|issue| issue_column(issue) == Some(column))
            .collect();
        let mut format = Format::new();
        let value = row.get(column);
        match value {
            CellValue::Date(_) => format = format.set_num_format("d.m.yyyy"),
            CellValue::DateTime(_) => format = format.set_num_format("d.m.yyyy hh:mm:ss"),
            CellValue::Text(_) => format = format.set_num_format_index(49),
            _ => {}
        }
        if !cell_issues.is_empty() {
            let fill = if cell_issues.iter().any(|issue| issue.is_error()) {
                ERROR_FILL
            } else {
                WARNING_FILL
            };
            format = format.set_background_color(Color::RGB(fill));
        }
        let out_column = column_index(column + 1)?;
        match value {
            CellValue::Empty => {
                if !cell_issues.is_empty() {
                    sheet
                        .write_blank(out_row, out_column, &format)
                        .map_err(write_error)?;
                }
            }
            CellValue::Text(text) => {
                sheet
                    .write_string_with_format(out_row, out_column, text, &format)
                    .map_err(write_error)?;
            }
            CellValue::Number(number) => {
                sheet
                    .write_number_with_format(out_row, out_column, *number, &format)
                    .map_err(write_error)?;
            }
            CellValue::Date(date) => {
                sheet
                    .write_number_with_format(out_row, out_column, serial_date(*date), &format)
                    .map_err(write_error)?;
            }
            CellValue::DateTime(datetime) => {
                sheet
                    .write_number_with_format(
                        out_row,
                        out_column,
                        serial_datetime(*datetime),
                        &format,
                    )
                    .map_err(write_error)?;
            }
            other => {
                sheet
                    .write_string_with_format(out_row, out_column, other.to_string(), &format)
                    .map_err(write_error)?;
            }
        }
        if !cell_issues.is_empty() {
            let text = cell_issues
                .iter()
                .map(|issue| issue.message.get(lang))
                .collect::<Vec<_>>()
                .join("\n");
            let note = Note::new(text).add_author_prefix(false).set_width(300);
            sheet
                .insert_note(out_row, out_column, &note)
                .map_err(write_error)?;
        }
    }
    Ok(())
}
