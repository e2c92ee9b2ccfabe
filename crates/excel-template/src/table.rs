//! Our own table type: typed cells with their place in the sheet.

use crate::format::{CsvDialect, FileFormat};
use crate::mapping::ColumnMapping;
use serde::{Deserialize, Serialize};
use tuonti_domain::{CellValue, FieldKey, Location};

/// One non-empty data row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// The 1-based row number as the spreadsheet shows it (for CSV: the line the record starts
    /// on).
    pub row: u32,
    /// The cells, index = 0-based column (`A` is 0); trailing empty cells are left out.
    pub cells: Vec<CellValue>,
}

static EMPTY: CellValue = CellValue::Empty;

impl Row {
    /// The cell in 0-based `column`, [`CellValue::Empty`] past the end.
    pub fn get(&self, column: u32) -> &CellValue {
        self.cells.get(column as usize).unwrap_or(&EMPTY)
    }

    /// Whether every cell is blank.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(CellValue::is_blank)
    }
}

/// Where the data of a file is: the sheet, the header row and the mapping of its columns.
///
/// Found by [`Workbook::locate`](crate::Workbook::locate); correct the mapping with
/// [`ColumnMapping::apply_overrides`] before reading rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Layout {
    /// The sheet (none for CSV).
    pub sheet: Option<String>,
    /// The 1-based row number of the header row.
    pub header_row: u32,
    /// The header texts, index = 0-based column.
    pub headers: Vec<String>,
    /// The mapping of the columns to fields.
    pub mapping: ColumnMapping,
    /// Whether the mapping came from a Tuonti template's metadata sheet.
    pub from_template: bool,
    /// A template's example row, skipped while it still holds the catalog examples.
    pub(crate) example_row: Option<u32>,
}

impl Layout {
    /// Applies mapping overrides to every layout of one file (its sheets): an override applies
    /// to the sheets that have its header, and must fit at least one of them.
    ///
    /// # Errors
    ///
    /// [`crate::Error::UnknownOverrideHeader`] for an override whose header no sheet has.
    pub fn apply_overrides_all(
        layouts: &mut [Layout],
        overrides: &[crate::MappingOverride],
    ) -> crate::Result<()> {
        if let [layout] = layouts {
            return layout.mapping.apply_overrides(overrides);
        }
        for mapping_override in overrides {
            let mut outcome = None;
            for layout in layouts.iter_mut() {
                match layout
                    .mapping
                    .apply_overrides(std::slice::from_ref(mapping_override))
                {
                    Ok(()) => outcome = Some(Ok(())),
                    Err(error) => {
                        if outcome.is_none() {
                            outcome = Some(Err(error));
                        }
                    }
                }
            }
            if let Some(Err(error)) = outcome {
                return Err(error);
            }
        }
        Ok(())
    }

    /// The location of a cell of this layout's sheet, for an [`Issue`](tuonti_domain::Issue).
    pub fn location(&self, row: u32, column: u32) -> Location {
        let location = Location::cell(row, column);
        let location = match &self.sheet {
            Some(sheet) => location.in_sheet(sheet.clone()),
            None => location,
        };
        match self
            .mapping
            .columns
            .get(column as usize)
            .and_then(|c| c.field)
        {
            Some(field) => location.for_field(field),
            None => location,
        }
    }
}

/// A whole sheet read into memory: where it came from, its header and mapping, and its rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// The file name as the caller gave it.
    pub file: String,
    /// The detected format.
    pub format: FileFormat,
    /// The detected encoding and delimiter of a CSV file.
    pub csv: Option<CsvDialect>,
    /// The sheet, header row and mapping.
    pub layout: Layout,
    /// The non-empty data rows below the header row, in order.
    pub rows: Vec<Row>,
}

impl Table {
    /// The value of `field` in `row`, [`CellValue::Empty`] when the field is not mapped.
    pub fn value<'a>(&self, row: &'a Row, field: FieldKey) -> &'a CellValue {
        match self.layout.mapping.column_of(field) {
            Some(column) => row.get(column),
            None => &EMPTY,
        }
    }

    /// The mapping of the columns.
    pub fn mapping(&self) -> &ColumnMapping {
        &self.layout.mapping
    }
}
