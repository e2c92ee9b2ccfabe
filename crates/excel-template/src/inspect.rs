//! Inspecting a file: what it is, where its data is and how its columns map.

use crate::error::Result;
use crate::format::{FileFormat, TextEncoding};
use crate::mapping::{IgnoreReason, MatchSource};
use crate::read::{DEFAULT_CHUNK_ROWS, ReadOptions, SheetInfo, Workbook};
use serde::{Deserialize, Serialize};
use std::ops::ControlFlow;
use std::path::Path;
use tuonti_domain::{FieldKey, RecordKind};

/// How many sample values are shown per column.
pub const SAMPLES_PER_COLUMN: usize = 3;

/// What [`inspect`] found in a file. Serializes to the JSON form documented in
/// `docs/inspect.md`; the field names are stable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inspection {
    /// The file name as given.
    pub file: String,
    /// The detected format.
    pub format: FileFormat,
    /// The detected encoding (CSV only).
    pub encoding: Option<TextEncoding>,
    /// The detected delimiter (CSV only).
    pub delimiter: Option<char>,
    /// The workbook's sheets, hidden ones marked (empty for CSV).
    pub sheets: Vec<SheetInfo>,
    /// The sheet the data was found on (none for CSV).
    pub sheet: Option<String>,
    /// The kind of records the sheet holds.
    #[serde(default)]
    pub kind: RecordKind,
    /// The 1-based header row.
    pub header_row: u32,
    /// Whether the mapping came from a Tuonti template's metadata sheet.
    pub from_template: bool,
    /// Every column of the header row.
    pub columns: Vec<InspectedColumn>,
    /// The number of non-empty data rows below the header row.
    pub data_rows: u64,
}

/// One column in an [`Inspection`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InspectedColumn {
    /// The 0-based column index.
    pub column: u32,
    /// The column letter(s) as the spreadsheet shows them (`A`, `AB`).
    pub letter: String,
    /// The header text.
    pub header: String,
    /// The mapped field, or none.
    pub field: Option<FieldKey>,
    /// The match confidence, 0..1.
    pub confidence: f64,
    /// How the field was found.
    pub source: MatchSource,
    /// Why the column is ignored, when it is.
    pub ignored: Option<IgnoreReason>,
    /// Up to [`SAMPLES_PER_COLUMN`] non-blank values from the first data rows, as displayed.
    pub samples: Vec<String>,
}

impl Workbook {
    /// Inspects the data the options point at: locates it, applies the overrides, collects
    /// samples and counts the data rows (streaming; the rows are not kept).
    ///
    /// # Errors
    ///
    /// As [`Workbook::read_table`].
    pub fn inspect(&mut self, options: &ReadOptions) -> Result<Inspection> {
        let mut layout = self.locate_with(options.sheet.as_deref(), &options.overrides)?;
        layout.mapping.apply_overrides(&options.overrides)?;
        self.inspect_layout(layout)
    }

    /// Inspects every sheet of the workbook that holds records (see [`Workbook::locate_all`]),
    /// each with its kind, applying each override to the sheets that have its header.
    ///
    /// # Errors
    ///
    /// As [`Workbook::read_table`]; [`crate::Error::UnknownOverrideHeader`] for an override
    /// whose header no sheet has.
    pub fn inspect_all(&mut self, options: &ReadOptions) -> Result<Vec<Inspection>> {
        let mut layouts = self.locate_all(options.sheet.as_deref(), &options.overrides)?;
        crate::Layout::apply_overrides_all(&mut layouts, &options.overrides)?;
        layouts
            .into_iter()
            .map(|layout| self.inspect_layout(layout))
            .collect()
    }

    fn inspect_layout(&mut self, layout: crate::Layout) -> Result<Inspection> {
        let mut samples: Vec<Vec<String>> = vec![Vec::new(); layout.mapping.columns.len()];
        let data_rows = self.for_each_chunk(&layout, DEFAULT_CHUNK_ROWS, |chunk| {
            for row in chunk {
                for (column, column_samples) in samples.iter_mut().enumerate() {
                    let value = row.get(column as u32);
                    if column_samples.len() < SAMPLES_PER_COLUMN && !value.is_blank() {
                        column_samples.push(value.to_string());
                    }
                }
            }
            ControlFlow::Continue(())
        })?;
        let columns = layout
            .mapping
            .columns
            .iter()
            .zip(samples)
            .map(|(mapped, samples)| InspectedColumn {
                column: mapped.column,
                letter: tuonti_domain::column_letters(mapped.column),
                header: mapped.header.clone(),
                field: mapped.field,
                confidence: mapped.confidence,
                source: mapped.source,
                ignored: mapped.ignored.clone(),
                samples,
            })
            .collect();
        let dialect = self.csv_dialect();
        Ok(Inspection {
            file: self.file().to_owned(),
            format: self.format(),
            encoding: dialect.map(|d| d.encoding),
            delimiter: dialect.map(|d| d.delimiter),
            sheets: self.sheets().to_vec(),
            sheet: layout.sheet,
            kind: layout.mapping.kind,
            header_row: layout.header_row,
            from_template: layout.from_template,
            columns,
            data_rows,
        })
    }
}

/// Opens a file and inspects it with [`Workbook::inspect`].
///
/// # Errors
///
/// As [`Workbook::open`] and [`Workbook::inspect`].
pub fn inspect(path: impl AsRef<Path>, options: &ReadOptions) -> Result<Inspection> {
    Workbook::open(path, &options.limits)?.inspect(options)
}

/// Opens a file and inspects every sheet of records in it, as an import reads them, with
/// [`Workbook::inspect_all`].
///
/// # Errors
///
/// As [`Workbook::open`] and [`Workbook::inspect_all`].
pub fn inspect_all(path: impl AsRef<Path>, options: &ReadOptions) -> Result<Vec<Inspection>> {
    Workbook::open(path, &options.limits)?.inspect_all(options)
}
