//! Writing reports as a workbook: a sheet per report with its rows, totals, euro and count
//! formats, a frozen header, a filter and native charts.

use crate::error::{Error, Result};
use rust_xlsxwriter::{Chart, ChartType, Format, Workbook as XlsxWorkbook, Worksheet, XlsxError};

/// A value of a report cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportValue {
    /// A count, written as a whole number with thousands separators.
    Count(u64),
    /// Money in cents, written as euros with two decimals and thousands separators.
    Cents(i64),
}

impl ReportValue {
    fn as_number(self) -> f64 {
        match self {
            ReportValue::Count(n) => n as f64,
            // The nearest binary number to the cents' decimal; Excel shows it to the cent.
            ReportValue::Cents(cents) => cents as f64 / 100.0,
        }
    }
}

/// A native chart of a report sheet, over its data rows (not the totals).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportChart {
    /// The chart's title.
    pub title: String,
    /// The measure columns drawn, as indexes into [`ReportSheet::measures`].
    pub measures: Vec<usize>,
    /// Stacked columns (parts of a whole, such as projects by status) rather than side by side.
    pub stacked: bool,
}

/// One report as a sheet: key columns (the dimensions), measure columns, rows, totals.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportSheet {
    /// The sheet's name (at most 31 characters, none of `[]:*?/\`).
    pub sheet: String,
    /// The headers of the key columns, one per dimension.
    pub keys: Vec<String>,
    /// The headers of the measure columns.
    pub measures: Vec<String>,
    /// The rows: the keys' labels and the measures' values.
    pub rows: Vec<(Vec<String>, Vec<ReportValue>)>,
    /// The label of the totals row ("Yhteensä").
    pub totals_label: String,
    /// The totals, one per measure.
    pub totals: Vec<ReportValue>,
    /// Lines written below the table: the period, the filters.
    pub notes: Vec<String>,
    /// The charts, placed to the right of the table, categories from the key columns.
    pub charts: Vec<ReportChart>,
}

fn write_error(source: XlsxError) -> Error {
    Error::Write {
        what: "report",
        source,
    }
}

/// The number format of euros, with thousands separators (shown as the reader's locale
/// writes them).
const EURO_FORMAT: &str = "#,##0.00 \"€\"";
/// The number format of counts.
const COUNT_FORMAT: &str = "#,##0";

/// Writes `sheets` as one workbook, a sheet each, and returns the bytes.
///
/// Every sheet has a bold, frozen header row with a filter over the data rows, the totals row
/// below them in bold, the notes under that, and its charts to the right. Labels are written
/// as strings, never formulas.
///
/// # Errors
///
/// [`Error::Write`] when the workbook cannot be built (e.g. a bad sheet name).
///
/// ```
/// use tuonti_excel_template::{ReportChart, ReportSheet, ReportValue, report_workbook};
///
/// let sheet = ReportSheet {
///     sheet: "Yritykset".into(),
///     keys: vec!["Asiakkuusryhmä".into()],
///     measures: vec!["Projekteja".into(), "Arvo (€)".into()],
///     rows: vec![(vec!["Helsinki".into()], vec![ReportValue::Count(3), ReportValue::Cents(12_500_050)])],
///     totals_label: "Yhteensä".into(),
///     totals: vec![ReportValue::Count(3), ReportValue::Cents(12_500_050)],
///     notes: Vec::new(),
///     charts: vec![ReportChart { title: "Arvo".into(), measures: vec![1], stacked: false }],
/// };
/// let bytes = report_workbook(&[sheet])?;
/// assert!(bytes.starts_with(b"PK"));
/// # Ok::<(), tuonti_excel_template::Error>(())
/// ```
pub fn report_workbook(sheets: &[ReportSheet]) -> Result<Vec<u8>> {
    let mut book = XlsxWorkbook::new();
    for report in sheets {
        let sheet = book.add_worksheet();
        write_sheet(sheet, report)?;
    }
    if sheets.is_empty() {
        book.add_worksheet();
    }
    book.save_to_buffer().map_err(write_error)
}

fn column(index: usize) -> u16 {
    u16::try_from(index).unwrap_or(u16::MAX)
}

fn row(index: usize) -> u32 {
    u32::try_from(index).unwrap_or(u32::MAX)
}

fn write_sheet(sheet: &mut Worksheet, report: &ReportSheet) -> Result<()> {
    let name = if report.sheet.is_empty() {
        "Report"
    } else {
        &report.sheet
    };
    sheet.set_name(name).map_err(write_error)?;
    let header = Format::new().set_bold().set_text_wrap();
    let euro = Format::new().set_num_format(EURO_FORMAT);
    let counts = Format::new().set_num_format(COUNT_FORMAT);
    let bold = Format::new().set_bold();
    let euro_total = euro.clone().set_bold();
    let count_total = counts.clone().set_bold();
    let n_keys = report.keys.len();
    let n_columns = n_keys + report.measures.len();

    for (index, title) in report.keys.iter().chain(&report.measures).enumerate() {
        sheet
            .write_string_with_format(0, column(index), title, &header)
            .map_err(write_error)?;
    }
    for (index, key) in report.keys.iter().enumerate() {
        let width = report
            .rows
            .iter()
            .filter_map(|(labels, _)| labels.get(index))
            .map(|label| label.chars().count())
            .chain([key.chars().count(), report.totals_label.chars().count()])
            .max()
            .unwrap_or(10)
            .clamp(10, 40);
        sheet
            .set_column_width(column(index), width as f64 + 2.0)
            .map_err(write_error)?;
    }
    for index in 0..report.measures.len() {
        sheet
            .set_column_width(column(n_keys + index), 16.0)
            .map_err(write_error)?;
    }
    let write_values = |sheet: &mut Worksheet,
                        row_number: u32,
                        values: &[ReportValue],
                        total: bool|
     -> Result<()> {
        for (index, value) in values.iter().enumerate() {
            let format = match (value, total) {
                (ReportValue::Count(_), false) => &counts,
                (ReportValue::Count(_), true) => &count_total,
                (ReportValue::Cents(_), false) => &euro,
                (ReportValue::Cents(_), true) => &euro_total,
            };
            sheet
                .write_number_with_format(
                    row_number,
                    column(n_keys + index),
                    value.as_number(),
                    format,
                )
                .map_err(write_error)?;
        }
        Ok(())
    };
    for (index, (labels, values)) in report.rows.iter().enumerate() {
        let row_number = row(index + 1);
        for (key, label) in labels.iter().enumerate() {
            sheet
                .write_string(row_number, column(key), label)
                .map_err(write_error)?;
        }
        write_values(sheet, row_number, values, false)?;
    }
    let totals_row = row(report.rows.len() + 1);
    sheet
        .write_string_with_format(totals_row, 0, &report.totals_label, &bold)
        .map_err(write_error)?;
    write_values(sheet, totals_row, &report.totals, true)?;
    for (index, note) in report.notes.iter().enumerate() {
        sheet
            .write_string(totals_row + 2 + row(index), 0, note)
            .map_err(write_error)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(write_error)?;
    if n_columns > 0 {
        sheet
            .autofilter(0, 0, row(report.rows.len()), column(n_columns - 1))
            .map_err(write_error)?;
    }

    let mut chart_row = 1;
    for spec in &report.charts {
        let chart = chart(name, report, spec);
        sheet
            .insert_chart(chart_row, column(n_columns + 1), &chart)
            .map_err(write_error)?;
        chart_row += 16;
    }
    Ok(())
}

/// A column chart of `spec`'s measures over the data rows, the key columns as (multi-level)
/// categories.
fn chart(sheet_name: &str, report: &ReportSheet, spec: &ReportChart) -> Chart {
    let mut chart = Chart::new(if spec.stacked {
        ChartType::ColumnStacked
    } else {
        ChartType::Column
    });
    chart.title().set_name(&spec.title);
    let first_row = 1;
    let last_row = row(report.rows.len().max(1));
    let last_key = column(report.keys.len().max(1) - 1);
    for &measure in &spec.measures {
        let value_column = column(report.keys.len() + measure);
        chart
            .add_series()
            .set_name((sheet_name, 0, value_column))
            .set_categories((sheet_name, first_row, 0, last_row, last_key))
            .set_values((sheet_name, first_row, value_column, last_row, value_column));
    }
    chart
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn part(bytes: &[u8], name: &str) -> String {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut text = String::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    }

    #[test]
    fn two_keys_make_two_level_categories_and_the_totals_stay_out_of_charts() {
        let row = |group: &str, status: &str, n: u64, cents: i64| {
            (
                vec![group.to_owned(), status.to_owned()],
                vec![ReportValue::Count(n), ReportValue::Cents(cents)],
            )
        };
        let sheet = ReportSheet {
            sheet: "Projektit".into(),
            keys: vec!["Ryhmä".into(), "Tila".into()],
            measures: vec!["Projekteja".into(), "Arvo (€)".into()],
            rows: vec![
                row("Helsinki", "Tarjous", 2, 10_000_000),
                row("Helsinki", "Valmis", 1, 5),
                row("Turku", "Tarjous", 4, 123_456_789),
            ],
            totals_label: "Yhteensä".into(),
            totals: vec![ReportValue::Count(7), ReportValue::Cents(223_456_794)],
            notes: vec!["Jakso: 1.1.2024–31.12.2024".into()],
            charts: vec![ReportChart {
                title: "Arvo".into(),
                measures: vec![1],
                stacked: false,
            }],
        };
        let bytes = report_workbook(&[sheet]).unwrap();
        let chart = part(&bytes, "xl/charts/chart1.xml");
        assert!(chart.contains("<c:f>Projektit!$A$2:$B$4</c:f>"), "{chart}");
        assert!(chart.contains("<c:f>Projektit!$D$2:$D$4</c:f>"), "{chart}");
        let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
        assert!(sheet.contains("<autoFilter ref=\"A1:D4\"/>"), "{sheet}");
        // The totals row (5) in bold with the euro format; the money as euros.
        assert!(
            sheet.contains("<c r=\"D5\" s=\"6\"><v>2234567.94</v></c>"),
            "{sheet}"
        );
        assert!(
            part(&bytes, "xl/styles.xml").contains(EURO_FORMAT.replace('"', "&quot;").as_str())
        );
    }
}
