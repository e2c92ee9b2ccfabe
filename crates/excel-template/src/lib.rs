//! Tuonti's spreadsheet edge: the only crate that knows calamine, rust_xlsxwriter, csv and
//! encoding_rs.
//!
//! - **Reading.** [`Workbook`] opens xlsx, xlsm, xlsb, xls, ods and CSV files, telling the
//!   format from the bytes (never the name) and refusing hostile or broken files with a
//!   distinct [`Error`] (empty, not a spreadsheet, encrypted, corrupt, too large — zip bombs
//!   included, see [`ReadLimits`]). [`Workbook::locate`] finds the sheet and the header row
//!   and maps the headers to the catalog's fields ([`ColumnMapping`]);
//!   [`Workbook::for_each_chunk`] streams the data [`Row`]s in chunks with flat memory, and
//!   [`Workbook::read_table`] (or [`read_file`]) collects them into a [`Table`]. Cells keep
//!   their type as [`CellValue`](tuonti_domain::CellValue)s: dates are dates, numbers stay
//!   numbers (validation pads identifiers), formulas give their cached value. calamine opens
//!   workbooks and lists their sheets; the cells of xlsx and xlsm sheets are streamed by the
//!   crate's own reader (a fixed window, one allocation per text cell, calamine's values), those
//!   of xls, xlsb and ods files by calamine.
//! - **Mapping.** Headers are compared after normalization ([`normalize_header`]) with the
//!   catalog's headers and synonyms in Finnish, Swedish and English, then by similarity.
//!   Users correct the result with [`MappingOverride`]s (`Header=field`, `Header=ignore`).
//! - **Inspecting.** [`inspect`] tells what a file is and how it maps ([`Inspection`],
//!   serializable; the JSON form is in `docs/inspect.md`).
//! - **Writing.** [`template_bytes`] writes the import template (instructions, a sheet per
//!   record kind with dropdowns, text-formatted identifier columns, date and euro columns, a
//!   hidden metadata sheet so every sheet of a returned template maps exactly); [`error_workbook_bytes`] (or, chunk by chunk in constant memory,
//!   [`ErrorWorkbookWriter`]) writes the rows back with their
//!   [`Issue`](tuonti_domain::Issue)s marked, ready to fix and import again;
//!   [`export_bytes`] writes stored data as xlsx or CSV (formulas never evaluated or written).
//!
//! Every error message exists in Finnish, Swedish and English ([`Error::localized`]). The crate depends
//! on no other Tuonti crate but `tuonti-domain`.
//!
//! Bad data in a row is never an error here: rows are read as they are, for validation.
//!
//! # Example
//!
//! ```
//! use tuonti_domain::{FieldKey, Lang};
//! use tuonti_excel_template::{ReadOptions, TemplateOptions, Workbook, template_bytes};
//!
//! // Write a Finnish template with dropdowns for company types.
//! let options = TemplateOptions {
//!     lang: Lang::Fi,
//!     company_types: vec!["Liidi".into(), "Asiakas".into()],
//!     ..TemplateOptions::default()
//! };
//! let bytes = template_bytes(&options)?;
//!
//! // Read it back: the hidden metadata sheet maps every column of every sheet exactly.
//! let mut workbook = Workbook::from_bytes("pohja.xlsx", bytes, &Default::default())?;
//! let sheets: Vec<_> = workbook
//!     .locate_all(None, &[])?
//!     .into_iter()
//!     .map(|layout| layout.sheet)
//!     .collect();
//! assert_eq!(sheets, [Some("Yritykset".into()), Some("Yhteyshenkilöt".into()), Some("Projektit".into())]);
//! let table = workbook.read_table(&ReadOptions::default())?;
//! assert_eq!(table.layout.sheet.as_deref(), Some("Yritykset"));
//! assert_eq!(table.mapping().column_of(FieldKey::BusinessId), Some(3));
//! assert!(table.rows.is_empty());
//! # Ok::<(), tuonti_excel_template::Error>(())
//! ```

#![warn(missing_docs)]

mod cfb_guard;
mod error;
mod error_workbook;
mod export;
mod files;
mod format;
mod inspect;
mod mapping;
mod ods_extent;
mod read;
mod report_workbook;
mod table;
mod template;
mod xlsx_cells;

pub use error::{Error, Limit, LooksLike, Result};
pub use error_workbook::{
    ErrorWorkbookOptions, ErrorWorkbookWriter, NOTED_ROWS, RowSelection, error_workbook_bytes,
    save_error_workbook,
};
pub use export::{ExportFormat, ExportTable, export_bytes};
pub use files::write_atomically;
pub use format::{CsvDialect, FileFormat, ReadLimits, TextEncoding};
pub use inspect::{InspectedColumn, Inspection, SAMPLES_PER_COLUMN, inspect, inspect_all};
pub use mapping::{
    ColumnMapping, FUZZY_THRESHOLD, IgnoreReason, MappedColumn, MappingOverride, MatchSource,
    OverrideTarget, errors_header, normalize_header,
};
pub use read::{
    DEFAULT_CHUNK_ROWS, HEADER_SEARCH_ROWS, ReadOptions, SheetInfo, Workbook, read_bytes, read_file,
};
pub use report_workbook::{ReportChart, ReportSheet, ReportValue, report_workbook};
pub use table::{Layout, Row, Table};
pub use template::{
    AccountManagerChoice, CountryChoice, DATE_FORMAT, LISTS_SHEET, META_SHEET, MONEY_FORMAT,
    TEMPLATE_VERSION, TemplateOptions, UserChoice, save_template, status_words, template_bytes,
    template_sheet_names,
};
