//! Writing a plain table of values (a data export) as xlsx or CSV.

use crate::error::{Error, Result};
use rust_xlsxwriter::{Format, Workbook as XlsxWorkbook, XlsxError};
use serde::{Deserialize, Serialize};
use std::path::Path;
use tuonti_domain::escape_csv_formula;

/// The file format of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum ExportFormat {
    /// An Excel workbook.
    Xlsx,
    /// CSV as Finnish Excel reads it: UTF-8 with a byte order mark, `;` between fields, CRLF.
    Csv,
}

impl ExportFormat {
    /// The format a path's extension asks for (`.xlsx` or `.csv`, any case).
    pub fn from_path(path: &Path) -> Option<Self> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "xlsx" => Some(ExportFormat::Xlsx),
            "csv" => Some(ExportFormat::Csv),
            _ => None,
        }
    }
}

/// A table to export: headers, which columns are text-formatted identifiers, and rows of
/// optional text values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportTable {
    /// The sheet name (xlsx only).
    pub sheet: String,
    /// The column headers.
    pub headers: Vec<String>,
    /// Per column: whether it holds identifiers formatted as text (leading zeros kept).
    pub text_columns: Vec<bool>,
    /// The rows; a `None` cell is empty.
    pub rows: Vec<Vec<Option<String>>>,
}

fn write_error(source: XlsxError) -> Error {
    Error::Write {
        what: "export",
        source,
    }
}

/// Writes `table` in `format` and returns the bytes.
///
/// Every value is written as text, never as a formula: in xlsx as a string cell, in CSV with a
/// leading `'` when it would otherwise start a formula
/// ([`escape_csv_formula`](tuonti_domain::escape_csv_formula)).
///
/// # Errors
///
/// [`Error::Write`] when the workbook cannot be built; [`Error::Io`] is not possible here (no
/// file is touched).
///
/// ```
/// use tuonti_excel_template::{ExportFormat, ExportTable, export_bytes};
///
/// let table = ExportTable {
///     sheet: "Yritykset".into(),
///     headers: vec!["Yritys".into(), "Y-tunnus".into()],
///     text_columns: vec![false, true],
///     rows: vec![vec![Some("=1+1".into()), Some("0112038-9".into())]],
/// };
/// let csv = String::from_utf8(export_bytes(&table, ExportFormat::Csv)?).unwrap();
/// assert_eq!(csv, "\u{feff}Yritys;Y-tunnus\r\n'=1+1;0112038-9\r\n");
/// # Ok::<(), tuonti_excel_template::Error>(())
/// ```
pub fn export_bytes(table: &ExportTable, format: ExportFormat) -> Result<Vec<u8>> {
    match format {
        ExportFormat::Xlsx => xlsx(table),
        ExportFormat::Csv => Ok(csv(table)),
    }
}

fn xlsx(table: &ExportTable) -> Result<Vec<u8>> {
    let mut book = XlsxWorkbook::new();
    let sheet = book.add_worksheet();
    let name = if table.sheet.is_empty() {
        "Data"
    } else {
        &table.sheet
    };
    sheet.set_name(name).map_err(write_error)?;
    let bold = Format::new().set_bold();
    let text = Format::new().set_num_format_index(49);
    for (column, header) in table.headers.iter().enumerate() {
        let column = u16::try_from(column).unwrap_or(u16::MAX);
        sheet
            .write_string_with_format(0, column, header, &bold)
            .map_err(write_error)?;
        let width = table
            .rows
            .iter()
            .take(200)
            .filter_map(|row| row.get(usize::from(column)).and_then(Option::as_deref))
            .map(|value| value.chars().count())
            .chain(std::iter::once(header.chars().count()))
            .max()
            .unwrap_or(10)
            .clamp(8, 50);
        sheet
            .set_column_width(column, width as f64 + 2.0)
            .map_err(write_error)?;
        if table
            .text_columns
            .get(usize::from(column))
            .copied()
            .unwrap_or(false)
        {
            sheet
                .set_column_format(column, &text)
                .map_err(write_error)?;
        }
    }
    for (index, row) in table.rows.iter().enumerate() {
        let row_number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        for (column, value) in row.iter().enumerate() {
            if let Some(value) = value {
                let column = u16::try_from(column).unwrap_or(u16::MAX);
                sheet
                    .write_string(row_number, column, value)
                    .map_err(write_error)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(write_error)?;
    if !table.headers.is_empty() {
        let last_column = u16::try_from(table.headers.len() - 1).unwrap_or(u16::MAX);
        let last_row = u32::try_from(table.rows.len()).unwrap_or(u32::MAX);
        sheet
            .autofilter(0, 0, last_row, last_column)
            .map_err(write_error)?;
    }
    book.save_to_buffer().map_err(write_error)
}

fn csv(table: &ExportTable) -> Vec<u8> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .from_writer(&mut out);
    // Writing to a Vec cannot fail; a failed record would only lose that record.
    let _ = writer.write_record(
        table
            .headers
            .iter()
            .map(|h| escape_csv_formula(h).into_owned()),
    );
    for row in &table.rows {
        let _ = writer.write_record(
            row.iter()
                .map(|value| value.as_deref().map(escape_csv_formula).unwrap_or_default())
                .map(|value| value.into_owned()),
        );
    }
    drop(writer);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_the_extension() {
        assert_eq!(
            ExportFormat::from_path(Path::new("a.XLSX")),
            Some(ExportFormat::Xlsx)
        );
        assert_eq!(
            ExportFormat::from_path(Path::new("a.csv")),
            Some(ExportFormat::Csv)
        );
        assert_eq!(ExportFormat::from_path(Path::new("a.ods")), None);
    }

    #[test]
    fn csv_quotes_separators_and_escapes_formulas() {
        let table = ExportTable {
            sheet: String::new(),
            headers: vec!["Yritys".into(), "Osoite".into(), "Puhelin".into()],
            text_columns: vec![false; 3],
            rows: vec![vec![
                Some("Oy; Ab".into()),
                Some("Katu 1\nA".into()),
                Some("+358401234567".into()),
            ]],
        };
        let text = String::from_utf8(csv(&table)).unwrap();
        assert_eq!(
            text,
            "\u{feff}Yritys;Osoite;Puhelin\r\n\"Oy; Ab\";\"Katu 1\nA\";'+358401234567\r\n"
        );
    }
}
