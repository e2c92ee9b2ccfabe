//! Writing the import template, and reading back its hidden metadata sheet.

use crate::error::{Error, Result};
use crate::mapping::ColumnMapping;
use crate::table::Row;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, Format, FormatAlign, FormatBorder, Formula,
    Note, Workbook as XlsxWorkbook, Worksheet, XlsxError,
};
use serde::{Deserialize, Serialize};
use std::path::Path;
use tuonti_domain::{CellValue, FieldKey, FieldKind, FieldSpec, Lang, RecordKind, StaticText};

/// The version of the template layout written in its metadata sheet.
pub const TEMPLATE_VERSION: u32 = 1;
/// The name of the hidden metadata sheet.
pub const META_SHEET: &str = "tuonti_meta";
/// The name of the hidden sheet that holds the long dropdown lists.
pub const LISTS_SHEET: &str = "tuonti_lists";
/// The first cell of the metadata sheet, which marks a workbook as a Tuonti template.
const META_MARKER: &str = "tuonti_template";
/// Excel's limit for an inline dropdown list, in characters including the commas.
const INLINE_LIST_LIMIT: usize = 255;
/// The last 0-based row that dropdowns and formats reach (Excel's last row).
const LAST_ROW: u32 = 1_048_575;

/// An active user offered as an account manager.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountManagerChoice {
    /// The user's display name.
    pub display_name: String,
    /// The user's email; the dropdown offers this (it is unique).
    pub email: String,
}

/// A country offered in the country dropdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountryChoice {
    /// The ISO 3166-1 alpha-2 code, e.g. `FI`.
    pub code: String,
    /// The name in the template's language; the dropdown offers this.
    pub name: String,
}

/// What to write in a template.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateOptions {
    /// The language of the headers, notes and instructions.
    pub lang: Lang,
    /// Whether to write one example row (skipped on import while it is unchanged).
    pub with_examples: bool,
    /// Company type names in the chosen language, for the company type dropdown.
    pub company_types: Vec<String>,
    /// Customer group names, for the customer group dropdown.
    pub customer_groups: Vec<String>,
    /// Active users, for the account manager dropdown.
    pub account_managers: Vec<AccountManagerChoice>,
    /// Countries, for the country dropdown.
    pub countries: Vec<CountryChoice>,
}

/// The sheet names of a template in `lang`: (instructions, data).
pub fn template_sheet_names(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::Fi => ("Ohjeet", "Yritykset"),
        Lang::Sv => ("Instruktioner", "Företag"),
        Lang::En => ("Instructions", "Companies"),
    }
}

const fn text(fi: &'static str, sv: &'static str, en: &'static str) -> StaticText {
    StaticText { fi, sv, en }
}

const TITLE: StaticText = text(
    "Yritysten tuonti – ohjeet",
    "Import av företag – instruktioner",
    "Importing companies – instructions",
);

const STEPS: [StaticText; 5] = [
    text(
        "1. Lue nämä ohjeet.",
        "1. Läs de här instruktionerna.",
        "1. Read these instructions.",
    ),
    text(
        "2. Täytä välilehti Yritykset: yksi yritys riviä kohden. Älä muuta otsikkoriviä. Yritys on pakollinen, muut sarakkeet vapaaehtoisia.",
        "2. Fyll i fliken Företag: ett företag per rad. Ändra inte rubrikraden. Företag är obligatoriskt, de andra kolumnerna är valfria.",
        "2. Fill in the Companies sheet: one company per row. Do not change the header row. Company name is required, the other columns are optional.",
    ),
    text(
        "3. Tallenna tiedosto ja lataa se (tai useampi tiedosto) tuontiin.",
        "3. Spara filen och ladda upp den (eller flera filer) till importen.",
        "3. Save the file and upload it (or several files) to the import.",
    ),
    text(
        "4. Valitse yritystyyppi, asiakkuusryhmä ja asiakkuusjohtaja koko tuonnille. Rivin omat sarakkeet Yritystyyppi, Asiakkuusryhmä ja Asiakkuusjohtaja korvaavat valinnan sillä rivillä.",
        "4. Välj företagstyp, kundgrupp och kundansvarig för hela importen. Radens egna kolumner Företagstyp, Kundgrupp och Kundansvarig ersätter valet på den raden.",
        "4. Choose the company type, customer group and account manager for the whole import. A row's own Company type, Customer group and Account manager columns override the choice on that row.",
    ),
    text(
        "5. Tarkista sarakkeiden vastaavuudet ja esikatselu, korjaa virheet ja tuo.",
        "5. Kontrollera kolumnmatchningen och förhandsgranskningen, rätta felen och importera.",
        "5. Check the column mapping and the preview, fix the errors and import.",
    ),
];

const FIELD_TABLE_HEADERS: [StaticText; 5] = [
    text("Sarake", "Kolumn", "Column"),
    text("Pakollinen", "Obligatorisk", "Required"),
    text("Muoto", "Format", "Format"),
    text("Esimerkki", "Exempel", "Example"),
    text("Ohje", "Hjälp", "Help"),
];

const YES: StaticText = text("Kyllä", "Ja", "Yes");
const NO: StaticText = text("Ei", "Nej", "No");

fn format_description(spec: &FieldSpec, lang: Lang) -> String {
    let kind = match spec.kind {
        FieldKind::Identifier => text(
            "Teksti (etunollat säilyvät)",
            "Text (inledande nollor bevaras)",
            "Text (leading zeros are kept)",
        ),
        FieldKind::Choice => text(
            "Valinta pudotusvalikosta",
            "Val i rullgardinsmenyn",
            "Choice from the dropdown",
        ),
        FieldKind::Date => text("Päivämäärä", "Datum", "Date"),
        FieldKind::Money => text("Euromäärä", "Eurobelopp", "Amount in euros"),
        FieldKind::LongText => text("Pitkä teksti", "Lång text", "Long text"),
        _ => text("Teksti", "Text", "Text"),
    };
    let max = text("enintään", "högst", "at most");
    let chars = text("merkkiä", "tecken", "characters");
    format!(
        "{}, {} {} {}",
        kind.get(lang),
        max.get(lang),
        spec.max_len,
        chars.get(lang)
    )
}

fn write_error(source: XlsxError) -> Error {
    Error::Write {
        what: "template",
        source,
    }
}

/// Writes the import template as xlsx bytes.
///
/// The workbook has an instructions sheet, the data sheet (localized headers with help notes,
/// identifier columns formatted as text, frozen header, autofilter, dropdowns), a hidden lists
/// sheet for long dropdown lists, and a hidden metadata sheet that lets
/// [`Workbook::locate`](crate::Workbook::locate) map a returned template exactly.
///
/// # Errors
///
/// [`Error::Write`] when the workbook cannot be built.
pub fn template_bytes(options: &TemplateOptions) -> Result<Vec<u8>> {
    build_template(options)?
        .save_to_buffer()
        .map_err(write_error)
}

/// Writes the import template to `path`, as [`template_bytes`] does.
///
/// # Errors
///
/// [`Error::Write`] when the workbook cannot be built or saved.
pub fn save_template(options: &TemplateOptions, path: impl AsRef<Path>) -> Result<()> {
    build_template(options)?
        .save(path.as_ref())
        .map_err(write_error)
}

fn build_template(options: &TemplateOptions) -> Result<XlsxWorkbook> {
    let lang = options.lang;
    let (instructions_name, data_name) = template_sheet_names(lang);
    let mut workbook = XlsxWorkbook::new();

    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(14);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);

    // Instructions.
    let sheet = workbook.add_worksheet();
    sheet.set_name(instructions_name).map_err(write_error)?;
    sheet.set_column_width(0, 28).map_err(write_error)?;
    sheet.set_column_width(1, 14).map_err(write_error)?;
    sheet.set_column_width(2, 36).map_err(write_error)?;
    sheet.set_column_width(3, 24).map_err(write_error)?;
    sheet.set_column_width(4, 70).map_err(write_error)?;
    sheet
        .write_string_with_format(0, 0, TITLE.get(lang), &title)
        .map_err(write_error)?;
    let mut row = 2;
    for step in STEPS {
        sheet
            .write_string(row, 0, step.get(lang))
            .map_err(write_error)?;
        row += 1;
    }
    row += 1;
    for (column, header) in FIELD_TABLE_HEADERS.iter().enumerate() {
        sheet
            .write_string_with_format(row, column as u16, header.get(lang), &bold)
            .map_err(write_error)?;
    }
    row += 1;
    for spec in RecordKind::Company
        .fields()
        .iter()
        .map(|field| RecordKind::Company.spec(*field))
    {
        let required = if spec.required { YES } else { NO };
        sheet
            .write_string(row, 0, spec.header(lang))
            .map_err(write_error)?;
        sheet
            .write_string(row, 1, required.get(lang))
            .map_err(write_error)?;
        sheet
            .write_string(row, 2, format_description(spec, lang))
            .map_err(write_error)?;
        sheet
            .write_string(row, 3, spec.example)
            .map_err(write_error)?;
        sheet
            .write_string_with_format(row, 4, spec.help.get(lang), &wrap)
            .map_err(write_error)?;
        row += 1;
    }
    sheet.set_active(true);

    // Data sheet.
    let header_format = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0x00DD_EBF7))
        .set_border(FormatBorder::Thin)
        .set_text_wrap();
    let required_format = header_format
        .clone()
        .set_font_color(Color::RGB(0x00C0_0000));
    let text_format = Format::new().set_num_format_index(49);
    let data = workbook.add_worksheet();
    data.set_name(data_name).map_err(write_error)?;
    for (index, spec) in RecordKind::Company
        .fields()
        .iter()
        .map(|field| RecordKind::Company.spec(*field))
        .enumerate()
    {
        let column = index as u16;
        let header = spec.header(lang);
        let format = if spec.required {
            &required_format
        } else {
            &header_format
        };
        data.write_string_with_format(0, column, header, format)
            .map_err(write_error)?;
        let note = Note::new(format!(
            "{}\n{}: {}",
            spec.help.get(lang),
            FIELD_TABLE_HEADERS[3].get(lang),
            spec.example
        ))
        .add_author_prefix(false)
        .set_width(300)
        .set_height(110);
        data.insert_note(0, column, &note).map_err(write_error)?;
        let width = header
            .chars()
            .count()
            .max(spec.example.chars().count())
            .clamp(12, 40)
            + 3;
        data.set_column_width(column, width as f64)
            .map_err(write_error)?;
        if spec.kind == FieldKind::Identifier {
            data.set_column_format(column, &text_format)
                .map_err(write_error)?;
        }
        if options.with_examples {
            let cell_format = if spec.kind == FieldKind::Identifier {
                &text_format
            } else {
                &Format::new()
            };
            data.write_string_with_format(1, column, spec.example, cell_format)
                .map_err(write_error)?;
        }
    }
    let last_column = (RecordKind::Company.fields().len() - 1) as u16;
    data.set_freeze_panes(1, 0).map_err(write_error)?;
    data.autofilter(0, 0, 0, last_column).map_err(write_error)?;
    data.set_row_height(0, 30).map_err(write_error)?;

    // Dropdowns: inline when short, else from the hidden lists sheet.
    let lists: [(FieldKey, Vec<String>, Vec<String>); 4] = [
        (FieldKey::CompanyType, options.company_types.clone(), vec![]),
        (
            FieldKey::CustomerGroup,
            options.customer_groups.clone(),
            vec![],
        ),
        (
            FieldKey::AccountManager,
            options
                .account_managers
                .iter()
                .map(|u| u.email.clone())
                .collect(),
            options
                .account_managers
                .iter()
                .map(|u| u.display_name.clone())
                .collect(),
        ),
        (
            FieldKey::Country,
            options.countries.iter().map(|c| c.name.clone()).collect(),
            options.countries.iter().map(|c| c.code.clone()).collect(),
        ),
    ];
    let mut sheet_lists: Vec<(usize, &str, &[String], &[String])> = Vec::new();
    for (field, values, second) in &lists {
        if values.is_empty() {
            continue;
        }
        let column = *field as u16;
        let inline_len: usize = values
            .iter()
            .map(|v| v.encode_utf16().count())
            .sum::<usize>()
            + values.len()
            - 1;
        let inline_ok =
            inline_len <= INLINE_LIST_LIMIT && values.iter().all(|v| !v.contains([',', '"']));
        let validation = if inline_ok {
            DataValidation::new()
                .allow_list_strings(values)
                .map_err(write_error)?
        } else {
            let list_column = sheet_lists.len();
            let letter = tuonti_domain::column_letters(list_column as u32 * 2);
            let formula = format!("={LISTS_SHEET}!${letter}$2:${letter}${}", values.len() + 1);
            sheet_lists.push((list_column, field.spec().header(lang), values, second));
            DataValidation::new().allow_list_formula(Formula::new(formula))
        };
        let style = if *field == FieldKey::Country {
            DataValidationErrorStyle::Warning
        } else {
            DataValidationErrorStyle::Stop
        };
        let validation = validation.ignore_blank(true).set_error_style(style);
        data.add_data_validation(1, column, LAST_ROW, column, &validation)
            .map_err(write_error)?;
    }
    // Hidden lists sheet.
    let lists_sheet = workbook.add_worksheet();
    lists_sheet.set_name(LISTS_SHEET).map_err(write_error)?;
    lists_sheet.set_hidden(true);
    for (list_column, header, values, second) in &sheet_lists {
        let column = (*list_column * 2) as u16;
        lists_sheet
            .write_string(0, column, *header)
            .map_err(write_error)?;
        for (offset, value) in values.iter().enumerate() {
            let row = offset as u32 + 1;
            lists_sheet
                .write_string(row, column, value)
                .map_err(write_error)?;
            if let Some(extra) = second.get(offset) {
                lists_sheet
                    .write_string(row, column + 1, extra)
                    .map_err(write_error)?;
            }
        }
    }

    // Hidden metadata sheet.
    let meta = workbook.add_worksheet();
    write_meta(meta, data_name, options)?;
    Ok(workbook)
}

fn write_meta(meta: &mut Worksheet, data_name: &str, options: &TemplateOptions) -> Result<()> {
    meta.set_name(META_SHEET).map_err(write_error)?;
    meta.set_hidden(true);
    let version = TEMPLATE_VERSION.to_string();
    let mut pairs: Vec<(String, String)> = vec![
        (META_MARKER.into(), version),
        ("data_sheet".into(), data_name.into()),
        ("header_row".into(), "1".into()),
        ("lang".into(), options.lang.code().into()),
    ];
    if options.with_examples {
        pairs.push(("example_row".into(), "2".into()));
    }
    let mut row = 0;
    for (key, value) in &pairs {
        meta.write_string(row, 0, key).map_err(write_error)?;
        meta.write_string(row, 1, value).map_err(write_error)?;
        row += 1;
    }
    for (index, field) in RecordKind::Company.fields().iter().enumerate() {
        meta.write_string(row, 0, "column").map_err(write_error)?;
        meta.write_string(row, 1, index.to_string())
            .map_err(write_error)?;
        meta.write_string(row, 2, field.as_str())
            .map_err(write_error)?;
        row += 1;
    }
    Ok(())
}

/// What a template's metadata sheet says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TemplateMeta {
    pub(crate) data_sheet: String,
    pub(crate) header_row: u32,
    pub(crate) example_row: Option<u32>,
    pub(crate) columns: Vec<(u32, FieldKey)>,
}

impl TemplateMeta {
    /// Parses the metadata rows; `None` when they are not a template's.
    pub(crate) fn parse(rows: &[Row]) -> Option<Self> {
        let text = |row: &Row, column: u32| row.get(column).to_string().trim().to_owned();
        let first = rows.first()?;
        if text(first, 0) != META_MARKER {
            return None;
        }
        let mut meta = TemplateMeta {
            data_sheet: String::new(),
            header_row: 1,
            example_row: None,
            columns: Vec::new(),
        };
        for row in rows {
            match text(row, 0).as_str() {
                "data_sheet" => meta.data_sheet = text(row, 1),
                "header_row" => meta.header_row = text(row, 1).parse().ok()?,
                "example_row" => meta.example_row = text(row, 1).parse().ok(),
                "column" => {
                    let column = text(row, 1).parse().ok()?;
                    let field = text(row, 2).parse().ok()?;
                    meta.columns.push((column, field));
                }
                _ => {}
            }
        }
        (!meta.data_sheet.is_empty()).then_some(meta)
    }
}

/// The cells of a template's example row under `mapping`.
pub(crate) fn example_cells(mapping: &ColumnMapping) -> Vec<CellValue> {
    let mut cells: Vec<CellValue> = mapping
        .columns
        .iter()
        .map(|column| match column.field {
            Some(field) => CellValue::Text(field.spec().example.to_owned()),
            None => CellValue::Empty,
        })
        .collect();
    while cells.last().is_some_and(CellValue::is_blank) {
        cells.pop();
    }
    cells
}
