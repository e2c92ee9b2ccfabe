//! Writing the import template, and reading back its hidden metadata sheet.

use crate::error::{Error, Result};
use crate::mapping::ColumnMapping;
use crate::table::Row;
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, ExcelDateTime, Format,
    FormatAlign, FormatBorder, Formula, Note, Workbook as XlsxWorkbook, Worksheet, XlsxError,
};
use serde::{Deserialize, Serialize};
use std::path::Path;
use tuonti_domain::{
    CellValue, FieldKey, FieldKind, FieldSpec, Lang, ProjectStatus, RecordKind, StaticText,
};

/// The version of the template layout written in its metadata sheet: 1 had one data sheet
/// (companies), 2 has a sheet per record kind.
pub const TEMPLATE_VERSION: u32 = 2;
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
/// The number format of date columns.
pub const DATE_FORMAT: &str = "d.m.yyyy";
/// The number format of euro amounts: thousands separators, two decimals, the euro sign
/// (Excel shows the separators of the reader's locale).
pub const MONEY_FORMAT: &str = "#,##0.00\\ \"€\"";

/// An active user offered in a dropdown (account managers, project managers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserChoice {
    /// The user's display name.
    pub display_name: String,
    /// The user's email; the dropdown offers this (it is unique).
    pub email: String,
}

/// The former name of [`UserChoice`], when only account managers were offered.
pub type AccountManagerChoice = UserChoice;

/// A country offered in the country dropdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountryChoice {
    /// The ISO 3166-1 alpha-2 code, e.g. `FI`.
    pub code: String,
    /// The name in the template's language; the dropdown offers this.
    pub name: String,
}

fn all_kinds() -> Vec<RecordKind> {
    RecordKind::ALL.to_vec()
}

/// What to write in a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateOptions {
    /// The language of the sheet names, headers, notes, instructions and status words.
    pub lang: Lang,
    /// Whether to write one example row per sheet (the example company, its contact and its
    /// project naming them), skipped on import while it is unchanged.
    pub with_examples: bool,
    /// The kinds of records to write a data sheet for, written in the order of
    /// [`RecordKind::ALL`] whatever the order here; empty means every kind (the default).
    #[serde(default = "all_kinds")]
    pub kinds: Vec<RecordKind>,
    /// Company type names in the chosen language, for the company type dropdown.
    pub company_types: Vec<String>,
    /// Customer group names, for the customer group dropdown.
    pub customer_groups: Vec<String>,
    /// Active users, for the account manager dropdown.
    pub account_managers: Vec<UserChoice>,
    /// Active users, for the project manager dropdown.
    #[serde(default)]
    pub project_managers: Vec<UserChoice>,
    /// Branch of business names, for the branch dropdown of projects.
    #[serde(default)]
    pub branches: Vec<String>,
    /// Countries, for the country dropdown.
    pub countries: Vec<CountryChoice>,
}

impl Default for TemplateOptions {
    /// A template in the default language (English) with every kind, no examples and empty
    /// dropdowns (the status dropdown is always there).
    fn default() -> Self {
        Self {
            lang: Lang::default(),
            with_examples: false,
            kinds: all_kinds(),
            company_types: Vec::new(),
            customer_groups: Vec::new(),
            account_managers: Vec::new(),
            project_managers: Vec::new(),
            branches: Vec::new(),
            countries: Vec::new(),
        }
    }
}

impl TemplateOptions {
    /// The kinds the template has a data sheet for, in [`RecordKind::ALL`] order.
    pub fn sheet_kinds(&self) -> Vec<RecordKind> {
        RecordKind::ALL
            .into_iter()
            .filter(|kind| self.kinds.is_empty() || self.kinds.contains(kind))
            .collect()
    }
}

/// The sheet names of a template in `lang`: (instructions, companies). Each kind's data sheet
/// is named [`RecordKind::sheet_name`].
pub fn template_sheet_names(lang: Lang) -> (&'static str, &'static str) {
    (
        INSTRUCTIONS_SHEET.get(lang),
        RecordKind::Company.sheet_name(lang),
    )
}

const fn text(fi: &'static str, sv: &'static str, en: &'static str) -> StaticText {
    StaticText { fi, sv, en }
}

const INSTRUCTIONS_SHEET: StaticText = text("Ohjeet", "Instruktioner", "Instructions");

/// The words of the status dropdown, one per status, in the three languages; each is a word
/// [`ProjectStatus`]'s `from_str` accepts (the test `status_words_parse_back` keeps it so).
const STATUS_WORDS: [(ProjectStatus, StaticText); 5] = [
    (ProjectStatus::Offer, text("Tarjous", "Offert", "Offer")),
    (
        ProjectStatus::Active,
        text("Käynnissä", "Pågående", "Active"),
    ),
    (ProjectStatus::OnHold, text("Tauolla", "Pausad", "On hold")),
    (
        ProjectStatus::Completed,
        text("Valmis", "Avslutad", "Completed"),
    ),
    (
        ProjectStatus::Cancelled,
        text("Peruttu", "Avbruten", "Cancelled"),
    ),
];

/// The words the status dropdown offers in `lang`: offer, active, on hold, completed,
/// cancelled.
pub fn status_words(lang: Lang) -> Vec<&'static str> {
    STATUS_WORDS
        .iter()
        .map(|(_, word)| word.get(lang))
        .collect()
}

fn status_word(status: ProjectStatus, lang: Lang) -> &'static str {
    STATUS_WORDS
        .iter()
        .find(|(candidate, _)| *candidate == status)
        .map_or(status.as_str(), |(_, word)| word.get(lang))
}

const TITLE: StaticText = text(
    "Tuonti – ohjeet",
    "Import – instruktioner",
    "Import – instructions",
);

/// A numbered step of the instructions, and whether it is about companies only.
const STEPS: [(StaticText, bool); 5] = [
    (
        text(
            "Lue nämä ohjeet.",
            "Läs de här instruktionerna.",
            "Read these instructions.",
        ),
        false,
    ),
    (
        text(
            "Täytä tietovälilehdet (alla): yksi rivi kutakin yritystä, yhteyshenkilöä tai projektia kohden. Älä muuta otsikkorivejä äläkä välilehtien nimiä. Pakollisten sarakkeiden otsikot ovat punaisia. Välilehden, jolle ei ole tietoja, voi jättää tyhjäksi.",
            "Fyll i dataflikarna (nedan): en rad per företag, kontaktperson eller projekt. Ändra inte rubrikraderna eller flikarnas namn. Obligatoriska kolumner har röda rubriker. En flik utan data kan lämnas tom.",
            "Fill in the data sheets (below): one row per company, contact or project. Do not change the header rows or the sheet names. Required columns have red headers. A sheet you have no data for can stay empty.",
        ),
        false,
    ),
    (
        text(
            "Tallenna tiedosto ja lataa se (tai useampi tiedosto) tuontiin. Kaikki välilehdet tuodaan yhdellä kertaa: ensin yritykset, sitten yhteyshenkilöt, sitten projektit.",
            "Spara filen och ladda upp den (eller flera filer) till importen. Alla flikar importeras på en gång: först företagen, sedan kontaktpersonerna, sedan projekten.",
            "Save the file and upload it (or several files) to the import. Every sheet is imported at once: companies first, then contacts, then projects.",
        ),
        false,
    ),
    (
        text(
            "Valitse yritystyyppi, asiakkuusryhmä ja asiakkuusjohtaja koko tuonnille. Rivin omat sarakkeet Yritystyyppi, Asiakkuusryhmä ja Asiakkuusjohtaja korvaavat valinnan sillä rivillä.",
            "Välj företagstyp, kundgrupp och kundansvarig för hela importen. Radens egna kolumner Företagstyp, Kundgrupp och Kundansvarig ersätter valet på den raden.",
            "Choose the company type, customer group and account manager for the whole import. A row's own Company type, Customer group and Account manager columns override the choice on that row.",
        ),
        true,
    ),
    (
        text(
            "Tarkista sarakkeiden vastaavuudet ja esikatselu, korjaa virheet ja tuo.",
            "Kontrollera kolumnmatchningen och förhandsgranskningen, rätta felen och importera.",
            "Check the column mapping and the preview, fix the errors and import.",
        ),
        false,
    ),
];

const SHEETS_HEADING: StaticText = text("Välilehdet", "Flikarna", "The sheets");

/// What each data sheet is for.
fn sheet_purpose(kind: RecordKind) -> StaticText {
    match kind {
        RecordKind::Company => text(
            "Yritykset: asiakkaat, kumppanit ja liidit, yksi yritys riviä kohden. Yritys on pakollinen. Tallennettu yritys tunnistetaan asiakasnumerosta, sitten Y-tunnuksesta, ja sitä päivitetään.",
            "Företag: kunder, partner och leads, ett företag per rad. Företag är obligatoriskt. Ett sparat företag känns igen på kundnumret, sedan på FO-numret, och uppdateras.",
            "Companies: customers, partners and leads, one company per row. Company name is required. A stored company is recognized by its customer number, then its business ID, and updated.",
        ),
        RecordKind::Contact => text(
            "Yhteyshenkilöt: yritysten yhteyshenkilöt, yksi henkilö riviä kohden. Sukunimi on pakollinen, ja rivin on nimettävä yrityksensä.",
            "Kontaktpersoner: företagens kontaktpersoner, en person per rad. Efternamn är obligatoriskt, och raden måste ange sitt företag.",
            "Contacts: the companies' contact persons, one person per row. Last name is required, and the row must name its company.",
        ),
        RecordKind::Project => text(
            "Projektit: yritysten projektit, yksi projekti riviä kohden. Projektinumero ja projektin nimi ovat pakollisia, ja rivin on nimettävä yrityksensä. Tallennettu projekti tunnistetaan projektinumerosta.",
            "Projekt: företagens projekt, ett projekt per rad. Projektnummer och projektnamn är obligatoriska, och raden måste ange sitt företag. Ett sparat projekt känns igen på projektnumret.",
            "Projects: the companies' projects, one project per row. Project number and project name are required, and the row must name its company. A stored project is recognized by its project number.",
        ),
        _ => text("", "", ""),
    }
}

const REFERENCES_HEADING: StaticText = text(
    "Miten rivit viittaavat toisiinsa",
    "Hur raderna hänvisar till varandra",
    "How rows refer to each other",
);

const COMPANY_REFERENCE: StaticText = text(
    "Yhteyshenkilö- ja projektirivi nimeää yrityksensä asiakasnumerolla (sarake Asiakasnumero); jos sitä ei ole, Y-tunnuksella (Y-tunnus); muuten yrityksen nimellä (Yritys) täsmälleen kuten se on Yritykset-välilehdellä tai tallennettuna. Yritys voi olla samassa tuonnissa tai jo tallennettu. Riittää täyttää yksi näistä sarakkeista.",
    "En kontaktperson- eller projektrad anger sitt företag med kundnumret (kolumnen Kundnummer); om det saknas, med FO-numret (FO-nummer); annars med företagets namn (Företag) exakt som på fliken Företag eller som sparat. Företaget kan finnas i samma import eller vara sparat. Det räcker att fylla i en av dessa kolumner.",
    "A contact or project row names its company by the customer number (column Customer number); without one, by the business ID (Business ID); otherwise by the company's name (Company) exactly as on the Companies sheet or as stored. The company can be in the same import or stored already. Filling in one of these columns is enough.",
);

const CONTACT_REFERENCE: StaticText = text(
    "Projektirivi nimeää yhteyshenkilönsä sarakkeessa Yhteyshenkilö sähköpostiosoitteella tai nimellä (etunimi sukunimi). Yhteyshenkilön on oltava projektin yrityksen, Yhteyshenkilöt-välilehdellä tai jo tallennettu; sähköposti on varmin, jos samannimisiä on useita.",
    "En projektrad anger sin kontaktperson i kolumnen Kontaktperson med e-postadress eller namn (förnamn efternamn). Kontaktpersonen måste höra till projektets företag, på fliken Kontaktpersoner eller sparad; e-posten är säkrast om flera har samma namn.",
    "A project row names its contact person in the Contact person column by email or by name (first name last name). The contact must belong to the project's company, on the Contacts sheet or stored already; the email is surest when several share a name.",
);

const MANAGER_REFERENCE: StaticText = text(
    "Projektipäällikkö on käyttäjä sähköpostiosoitteella (pudotusvalikko) tai nimellä; tila valitaan pudotusvalikosta (tyhjä: käynnissä); toimiala on asetuksissa määritelty toimiala.",
    "Projektledaren är en användare, med e-postadress (rullgardinsmenyn) eller namn; status väljs i rullgardinsmenyn (tomt: pågående); bransch är en bransch från inställningarna.",
    "The project manager is a user, by email (the dropdown) or name; the status is chosen from the dropdown (empty: active); the branch is a branch of business from the settings.",
);

const FORMATS_HEADING: StaticText = text(
    "Päivämäärät ja summat",
    "Datum och belopp",
    "Dates and amounts",
);

const DATE_HELP: StaticText = text(
    "Päivämäärät muodossa p.k.vvvv, esimerkiksi 1.3.2024, tai Excelin päivämäärinä; päivämääräsarakkeet on muotoiltu valmiiksi.",
    "Datum i formen d.m.åååå, till exempel 1.3.2024, eller som Excel-datum; datumkolumnerna är färdigt formaterade.",
    "Dates as d.m.yyyy, e.g. 1.3.2024, or as Excel dates; the date columns are formatted already.",
);

const MONEY_HELP: StaticText = text(
    "Summat euroina, numerona: esimerkiksi 12500 tai 12 500,00. Sarake näyttää tuhaterottimet, kaksi desimaalia ja €-merkin. Ei negatiivisia summia.",
    "Belopp i euro, som tal: till exempel 12500 eller 12 500,00. Kolumnen visar tusentalsavgränsare, två decimaler och €-tecknet. Inga negativa belopp.",
    "Amounts in euros, as numbers: e.g. 12500 or 12,500.00. The column shows thousands separators, two decimals and the € sign. No negative amounts.",
);

const EXAMPLES_HELP: StaticText = text(
    "Esimerkkirivit (toinen rivi) kuvaavat yhden yrityksen, sen yhteyshenkilön ja projektin. Tuonti ohittaa esimerkkirivin niin kauan kuin se on muuttamaton; korvaa tai poista se.",
    "Exempelraderna (andra raden) beskriver ett företag, dess kontaktperson och projekt. Importen hoppar över en exempelrad så länge den är oförändrad; ersätt eller ta bort den.",
    "The example rows (the second row) describe one company, its contact and its project. An import skips an example row as long as it is unchanged; replace or delete it.",
);

const FIELDS_HEADING: StaticText = text("Sarakkeet:", "Kolumner:", "Columns:");

const FIELD_TABLE_HEADERS: [StaticText; 5] = [
    text("Sarake", "Kolumn", "Column"),
    text("Pakollinen", "Obligatorisk", "Required"),
    text("Muoto", "Format", "Format"),
    text("Esimerkki", "Exempel", "Example"),
    text("Ohje", "Hjälp", "Help"),
];

const YES: StaticText = text("Kyllä", "Ja", "Yes");
const NO: StaticText = text("Ei", "Nej", "No");

const DATE_ERROR: StaticText = text(
    "Kirjoita päivämäärä muodossa p.k.vvvv, esimerkiksi 1.3.2024.",
    "Skriv datumet i formen d.m.åååå, till exempel 1.3.2024.",
    "Write the date as d.m.yyyy, e.g. 1.3.2024.",
);

const MONEY_ERROR: StaticText = text(
    "Kirjoita summa euroina numerona, esimerkiksi 12500 tai 12 500,00; ei negatiivinen.",
    "Skriv beloppet i euro som ett tal, till exempel 12500 eller 12 500,00; inte negativt.",
    "Write the amount in euros as a number, e.g. 12500 or 12,500.00; not negative.",
);

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
        FieldKind::Date => {
            return text("Päivämäärä p.k.vvvv", "Datum d.m.åååå", "Date d.m.yyyy")
                .get(lang)
                .to_owned();
        }
        FieldKind::Money => {
            return text(
                "Euromäärä, kaksi desimaalia, ei negatiivinen",
                "Eurobelopp, två decimaler, inte negativt",
                "Amount in euros, two decimals, not negative",
            )
            .get(lang)
            .to_owned();
        }
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

/// The example of `field` on a `kind` sheet as the instructions show it: the catalog's, but
/// the status word in `lang`.
fn example_text(kind: RecordKind, field: FieldKey, lang: Lang) -> &'static str {
    match field {
        FieldKey::Status => status_word(ProjectStatus::Active, lang),
        _ => kind.spec(field).example,
    }
}

/// The cell the example row of a `kind` sheet holds for `field` in a template in `lang`:
/// dates as dates, amounts as numbers, the status word in `lang`, other values as text.
/// Contact and project rows name the example company by its customer number alone, so their
/// business ID and company name cells are empty.
fn example_cell(kind: RecordKind, field: FieldKey, lang: Lang) -> CellValue {
    if kind != RecordKind::Company && matches!(field, FieldKey::Name | FieldKey::BusinessId) {
        return CellValue::Empty;
    }
    let example = example_text(kind, field, lang);
    match kind.spec(field).kind {
        FieldKind::Date => match NaiveDate::parse_from_str(example, "%d.%m.%Y") {
            Ok(date) => CellValue::Date(date),
            Err(_) => CellValue::Text(example.to_owned()),
        },
        FieldKind::Money => match example.parse::<f64>() {
            Ok(amount) => CellValue::Number(amount),
            Err(_) => CellValue::Text(example.to_owned()),
        },
        _ => CellValue::Text(example.to_owned()),
    }
}

fn write_error(source: XlsxError) -> Error {
    Error::Write {
        what: "template",
        source,
    }
}

/// Writes the import template as xlsx bytes.
///
/// The workbook has an instructions sheet covering every kind, a data sheet per chosen kind
/// named [`RecordKind::sheet_name`] (companies, contacts, projects: localized headers with
/// help notes, identifier columns formatted as text, dates as `d.m.yyyy`, amounts in euros
/// with two decimals, wide wrapping long-text columns, frozen header, autofilter, dropdowns),
/// a hidden lists sheet for long dropdown lists, and a hidden metadata sheet that lets
/// [`Workbook::locate_all`](crate::Workbook::locate_all) map every sheet of a returned
/// template exactly.
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

/// A dropdown's values: what the list offers, and a second column shown beside it on the
/// lists sheet (names for emails, codes for countries).
struct Dropdown {
    values: Vec<String>,
    second: Vec<String>,
}

fn dropdown(options: &TemplateOptions, field: FieldKey) -> Option<Dropdown> {
    let users = |users: &[UserChoice]| {
        (
            users.iter().map(|u| u.email.clone()).collect(),
            users.iter().map(|u| u.display_name.clone()).collect(),
        )
    };
    let (values, second): (Vec<String>, Vec<String>) = match field {
        FieldKey::CompanyType => (options.company_types.clone(), Vec::new()),
        FieldKey::CustomerGroup => (options.customer_groups.clone(), Vec::new()),
        FieldKey::AccountManager => users(&options.account_managers),
        FieldKey::ProjectManager => users(&options.project_managers),
        FieldKey::Branch => (options.branches.clone(), Vec::new()),
        FieldKey::Status => (
            status_words(options.lang)
                .into_iter()
                .map(str::to_owned)
                .collect(),
            Vec::new(),
        ),
        FieldKey::Country => (
            options.countries.iter().map(|c| c.name.clone()).collect(),
            options.countries.iter().map(|c| c.code.clone()).collect(),
        ),
        _ => return None,
    };
    (!values.is_empty()).then_some(Dropdown { values, second })
}

/// The formats a data sheet uses.
struct Formats {
    header: Format,
    required_header: Format,
    text: Format,
    date: Format,
    money: Format,
    wrap: Format,
    plain: Format,
}

impl Formats {
    fn new() -> Self {
        let header = Format::new()
            .set_bold()
            .set_background_color(Color::RGB(0x00DD_EBF7))
            .set_border(FormatBorder::Thin)
            .set_text_wrap();
        let required_header = header.clone().set_font_color(Color::RGB(0x00C0_0000));
        Self {
            header,
            required_header,
            text: Format::new().set_num_format_index(49),
            date: Format::new().set_num_format(DATE_FORMAT),
            money: Format::new().set_num_format(MONEY_FORMAT),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            plain: Format::new(),
        }
    }

    /// The format of `kind`'s data cells, if the column has one.
    fn column(&self, kind: FieldKind) -> Option<&Format> {
        match kind {
            FieldKind::Identifier => Some(&self.text),
            FieldKind::Date => Some(&self.date),
            FieldKind::Money => Some(&self.money),
            FieldKind::LongText => Some(&self.wrap),
            _ => None,
        }
    }
}

fn build_template(options: &TemplateOptions) -> Result<XlsxWorkbook> {
    let kinds = options.sheet_kinds();
    let mut workbook = XlsxWorkbook::new();
    write_instructions(workbook.add_worksheet(), options, &kinds)?;

    // Long dropdown lists go to the hidden lists sheet, one pair of columns per field.
    let mut long_lists: Vec<(FieldKey, Dropdown)> = Vec::new();
    let formats = Formats::new();
    for &kind in &kinds {
        let sheet = workbook.add_worksheet();
        write_data_sheet(sheet, options, kind, &formats, &mut long_lists)?;
    }

    let lists_sheet = workbook.add_worksheet();
    lists_sheet.set_name(LISTS_SHEET).map_err(write_error)?;
    lists_sheet.set_hidden(true);
    for (index, (field, list)) in long_lists.iter().enumerate() {
        let column = (index * 2) as u16;
        lists_sheet
            .write_string(0, column, field.spec().header(options.lang))
            .map_err(write_error)?;
        for (offset, value) in list.values.iter().enumerate() {
            let row = offset as u32 + 1;
            lists_sheet
                .write_string(row, column, value)
                .map_err(write_error)?;
            if let Some(extra) = list.second.get(offset) {
                lists_sheet
                    .write_string(row, column + 1, extra)
                    .map_err(write_error)?;
            }
        }
    }

    write_meta(workbook.add_worksheet(), options, &kinds)?;
    Ok(workbook)
}

fn write_instructions(
    sheet: &mut Worksheet,
    options: &TemplateOptions,
    kinds: &[RecordKind],
) -> Result<()> {
    let lang = options.lang;
    let bold = Format::new().set_bold();
    let heading = Format::new().set_bold().set_font_size(12);
    let title = Format::new().set_bold().set_font_size(14);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    sheet
        .set_name(INSTRUCTIONS_SHEET.get(lang))
        .map_err(write_error)?;
    for (column, width) in [28, 14, 36, 30, 70].into_iter().enumerate() {
        sheet
            .set_column_width(column as u16, width)
            .map_err(write_error)?;
    }
    sheet
        .write_string_with_format(0, 0, TITLE.get(lang), &title)
        .map_err(write_error)?;
    let mut row = 2;
    let line = |sheet: &mut Worksheet, row: &mut u32, text: &str, format: Option<&Format>| {
        let written = match format {
            Some(format) => sheet.write_string_with_format(*row, 0, text, format),
            None => sheet.write_string(*row, 0, text),
        };
        *row += 1;
        written.map(|_| ()).map_err(write_error)
    };
    let has_companies = kinds.contains(&RecordKind::Company);
    let mut number = 0;
    for (step, companies_only) in STEPS {
        if companies_only && !has_companies {
            continue;
        }
        number += 1;
        line(
            sheet,
            &mut row,
            &format!("{number}. {}", step.get(lang)),
            None,
        )?;
    }

    row += 1;
    line(sheet, &mut row, SHEETS_HEADING.get(lang), Some(&heading))?;
    for &kind in kinds {
        line(sheet, &mut row, sheet_purpose(kind).get(lang), None)?;
    }

    let has_contacts = kinds.contains(&RecordKind::Contact);
    let has_projects = kinds.contains(&RecordKind::Project);
    if has_contacts || has_projects {
        row += 1;
        line(
            sheet,
            &mut row,
            REFERENCES_HEADING.get(lang),
            Some(&heading),
        )?;
        line(sheet, &mut row, COMPANY_REFERENCE.get(lang), None)?;
        if has_projects {
            line(sheet, &mut row, CONTACT_REFERENCE.get(lang), None)?;
            line(sheet, &mut row, MANAGER_REFERENCE.get(lang), None)?;
        }
    }

    let field_kinds: Vec<FieldKind> = kinds
        .iter()
        .flat_map(|kind| kind.fields().iter().map(|field| kind.spec(*field).kind))
        .collect();
    let has_dates = field_kinds.contains(&FieldKind::Date);
    let has_money = field_kinds.contains(&FieldKind::Money);
    if has_dates || has_money {
        row += 1;
        line(sheet, &mut row, FORMATS_HEADING.get(lang), Some(&heading))?;
        if has_dates {
            line(sheet, &mut row, DATE_HELP.get(lang), None)?;
        }
        if has_money {
            line(sheet, &mut row, MONEY_HELP.get(lang), None)?;
        }
    }
    if options.with_examples {
        row += 1;
        line(sheet, &mut row, EXAMPLES_HELP.get(lang), None)?;
    }

    for &kind in kinds {
        row += 1;
        line(
            sheet,
            &mut row,
            &format!("{} – {}", kind.sheet_name(lang), FIELDS_HEADING.get(lang)),
            Some(&heading),
        )?;
        for (column, header) in FIELD_TABLE_HEADERS.iter().enumerate() {
            sheet
                .write_string_with_format(row, column as u16, header.get(lang), &bold)
                .map_err(write_error)?;
        }
        row += 1;
        for &field in kind.fields() {
            let spec = kind.spec(field);
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
                .write_string(row, 3, example_text(kind, field, lang))
                .map_err(write_error)?;
            sheet
                .write_string_with_format(row, 4, spec.help.get(lang), &wrap)
                .map_err(write_error)?;
            row += 1;
        }
    }
    sheet.set_active(true);
    Ok(())
}

fn write_data_sheet(
    data: &mut Worksheet,
    options: &TemplateOptions,
    kind: RecordKind,
    formats: &Formats,
    long_lists: &mut Vec<(FieldKey, Dropdown)>,
) -> Result<()> {
    let lang = options.lang;
    data.set_name(kind.sheet_name(lang)).map_err(write_error)?;
    for (index, &field) in kind.fields().iter().enumerate() {
        let spec = kind.spec(field);
        let column = index as u16;
        let header = spec.header(lang);
        let header_format = if spec.required {
            &formats.required_header
        } else {
            &formats.header
        };
        data.write_string_with_format(0, column, header, header_format)
            .map_err(write_error)?;
        let note = Note::new(format!(
            "{}\n{}: {}",
            spec.help.get(lang),
            FIELD_TABLE_HEADERS[3].get(lang),
            example_text(kind, field, lang)
        ))
        .add_author_prefix(false)
        .set_width(300)
        .set_height(110);
        data.insert_note(0, column, &note).map_err(write_error)?;
        let width = if spec.kind == FieldKind::LongText {
            50
        } else {
            header
                .chars()
                .count()
                .max(spec.example.chars().count())
                .clamp(12, 40)
                + 3
        };
        data.set_column_width(column, width as f64)
            .map_err(write_error)?;
        let cell_format = formats.column(spec.kind);
        if let Some(format) = cell_format {
            data.set_column_format(column, format)
                .map_err(write_error)?;
        }
        if let Some(validation) = value_validation(spec.kind, lang)? {
            data.add_data_validation(1, column, LAST_ROW, column, &validation)
                .map_err(write_error)?;
        }
        if let Some(list) = dropdown(options, field) {
            let validation = list_validation(field, list, long_lists)?;
            data.add_data_validation(1, column, LAST_ROW, column, &validation)
                .map_err(write_error)?;
        }
        if options.with_examples {
            let format = cell_format.unwrap_or(&formats.plain);
            match example_cell(kind, field, lang) {
                CellValue::Text(value) => data.write_string_with_format(1, column, value, format),
                CellValue::Number(amount) => {
                    data.write_number_with_format(1, column, amount, format)
                }
                CellValue::Date(date) => {
                    data.write_date_with_format(1, column, excel_date(date)?, format)
                }
                _ => continue,
            }
            .map_err(write_error)?;
        }
    }
    let last_column = kind.fields().len().saturating_sub(1) as u16;
    data.set_freeze_panes(1, 0).map_err(write_error)?;
    data.autofilter(0, 0, 0, last_column).map_err(write_error)?;
    data.set_row_height(0, 30).map_err(write_error)?;
    Ok(())
}

fn excel_date(date: NaiveDate) -> Result<ExcelDateTime> {
    let year = u16::try_from(date.year()).unwrap_or(1900);
    // Months and days of a `NaiveDate` are 1..=12 and 1..=31: they fit a u8.
    let month = u8::try_from(date.month()).unwrap_or(1);
    let day = u8::try_from(date.day()).unwrap_or(1);
    ExcelDateTime::from_ymd(year, month, day).map_err(write_error)
}

/// The validation of a date or amount column: a date from 1900 on, a decimal number of at
/// least zero.
fn value_validation(kind: FieldKind, lang: Lang) -> Result<Option<DataValidation>> {
    let (validation, message) = match kind {
        FieldKind::Date => (
            DataValidation::new().allow_date(DataValidationRule::Between(
                ExcelDateTime::from_ymd(1900, 1, 1).map_err(write_error)?,
                ExcelDateTime::from_ymd(9999, 12, 31).map_err(write_error)?,
            )),
            DATE_ERROR,
        ),
        FieldKind::Money => (
            DataValidation::new()
                .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0)),
            MONEY_ERROR,
        ),
        _ => return Ok(None),
    };
    let validation = validation
        .ignore_blank(true)
        .set_error_style(DataValidationErrorStyle::Stop)
        .set_error_message(message.get(lang))
        .map_err(write_error)?;
    Ok(Some(validation))
}

/// A dropdown: inline when short, else a range of the hidden lists sheet.
fn list_validation(
    field: FieldKey,
    list: Dropdown,
    long_lists: &mut Vec<(FieldKey, Dropdown)>,
) -> Result<DataValidation> {
    let values = &list.values;
    let inline_len: usize = values
        .iter()
        .map(|v| v.encode_utf16().count())
        .sum::<usize>()
        + values.len().saturating_sub(1);
    let inline_ok =
        inline_len <= INLINE_LIST_LIMIT && values.iter().all(|v| !v.contains([',', '"']));
    // A country may also be written as its code or another name: warn, do not refuse.
    let style = if field == FieldKey::Country {
        DataValidationErrorStyle::Warning
    } else {
        DataValidationErrorStyle::Stop
    };
    let validation = if inline_ok {
        DataValidation::new()
            .allow_list_strings(values)
            .map_err(write_error)?
    } else {
        let index = match long_lists.iter().position(|(listed, _)| *listed == field) {
            Some(index) => index,
            None => {
                long_lists.push((field, list));
                long_lists.len() - 1
            }
        };
        let length = long_lists
            .get(index)
            .map_or(0, |(_, list)| list.values.len());
        let letter = tuonti_domain::column_letters(index as u32 * 2);
        let formula = format!("={LISTS_SHEET}!${letter}$2:${letter}${}", length + 1);
        DataValidation::new().allow_list_formula(Formula::new(formula))
    };
    Ok(validation.ignore_blank(true).set_error_style(style))
}

fn write_meta(meta: &mut Worksheet, options: &TemplateOptions, kinds: &[RecordKind]) -> Result<()> {
    meta.set_name(META_SHEET).map_err(write_error)?;
    meta.set_hidden(true);
    let lang = options.lang;
    let mut row = 0;
    let mut cells = |meta: &mut Worksheet, values: &[&str]| -> Result<()> {
        for (column, value) in values.iter().enumerate() {
            if !value.is_empty() {
                meta.write_string(row, column as u16, *value)
                    .map_err(write_error)?;
            }
        }
        row += 1;
        Ok(())
    };
    cells(meta, &[META_MARKER, &TEMPLATE_VERSION.to_string()])?;
    cells(meta, &["lang", lang.code()])?;
    let example_row = if options.with_examples { "2" } else { "" };
    for &kind in kinds {
        cells(
            meta,
            &[
                "sheet",
                kind.sheet_name(lang),
                kind.as_str(),
                "1",
                example_row,
            ],
        )?;
    }
    for &kind in kinds {
        for (index, field) in kind.fields().iter().enumerate() {
            cells(
                meta,
                &[
                    "column",
                    kind.sheet_name(lang),
                    &index.to_string(),
                    field.as_str(),
                ],
            )?;
        }
    }
    Ok(())
}

/// What a template's metadata sheet says about one data sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SheetMeta {
    pub(crate) name: String,
    pub(crate) kind: RecordKind,
    pub(crate) header_row: u32,
    pub(crate) example_row: Option<u32>,
    pub(crate) columns: Vec<(u32, FieldKey)>,
}

/// What a template's metadata sheet says: its data sheets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TemplateMeta {
    pub(crate) sheets: Vec<SheetMeta>,
}

impl TemplateMeta {
    /// Parses the metadata rows; `None` when they are not a template's. Version 1 (one
    /// `data_sheet`, `header_row`, `example_row` and `column` rows of index and field) is the
    /// companies sheet; version 2 has a `sheet` row per data sheet (name, kind, header row,
    /// example row) and `column` rows of sheet, index and field.
    pub(crate) fn parse(rows: &[Row]) -> Option<Self> {
        let first = rows.first()?;
        if meta_text(first, 0) != META_MARKER {
            return None;
        }
        let version: u32 = meta_text(first, 1).parse().unwrap_or(1);
        let sheets = if version < 2 {
            vec![Self::parse_single_sheet(rows)?]
        } else {
            Self::parse_sheets(rows)
        };
        (!sheets.is_empty()).then_some(TemplateMeta { sheets })
    }

    fn parse_single_sheet(rows: &[Row]) -> Option<SheetMeta> {
        let mut sheet = SheetMeta {
            name: String::new(),
            kind: RecordKind::Company,
            header_row: 1,
            example_row: None,
            columns: Vec::new(),
        };
        for row in rows {
            match meta_text(row, 0).as_str() {
                "data_sheet" => sheet.name = meta_text(row, 1),
                "header_row" => sheet.header_row = meta_text(row, 1).parse().ok()?,
                "example_row" => sheet.example_row = meta_text(row, 1).parse().ok(),
                "column" => {
                    let column = meta_text(row, 1).parse().ok()?;
                    let field = meta_text(row, 2).parse().ok()?;
                    sheet.columns.push((column, field));
                }
                _ => {}
            }
        }
        (!sheet.name.is_empty()).then_some(sheet)
    }

    /// The `sheet` rows and their `column` rows; a row that cannot be read is passed over (its
    /// sheet then maps by headers).
    fn parse_sheets(rows: &[Row]) -> Vec<SheetMeta> {
        let mut sheets: Vec<SheetMeta> = Vec::new();
        for row in rows {
            if meta_text(row, 0) != "sheet" {
                continue;
            }
            let name = meta_text(row, 1);
            let (Ok(kind), Ok(header_row)) = (
                meta_text(row, 2).parse::<RecordKind>(),
                meta_text(row, 3).parse::<u32>(),
            ) else {
                continue;
            };
            if name.is_empty() || sheets.iter().any(|sheet| sheet.name == name) {
                continue;
            }
            sheets.push(SheetMeta {
                name,
                kind,
                header_row,
                example_row: meta_text(row, 4).parse().ok(),
                columns: Vec::new(),
            });
        }
        for row in rows {
            if meta_text(row, 0) != "column" {
                continue;
            }
            let name = meta_text(row, 1);
            let (Ok(column), Ok(field)) = (
                meta_text(row, 2).parse::<u32>(),
                meta_text(row, 3).parse::<FieldKey>(),
            ) else {
                continue;
            };
            if let Some(sheet) = sheets.iter_mut().find(|sheet| sheet.name == name) {
                sheet.columns.push((column, field));
            }
        }
        sheets
    }

    /// The data sheet named `name`.
    pub(crate) fn sheet(&self, name: &str) -> Option<&SheetMeta> {
        self.sheets.iter().find(|sheet| sheet.name == name)
    }
}

fn meta_text(row: &Row, column: u32) -> String {
    row.get(column).to_string().trim().to_owned()
}

/// The cells of a template's example row under `mapping`, one version per language (a
/// template's example row holds its language's status word).
pub(crate) fn example_cells(mapping: &ColumnMapping) -> Vec<Vec<CellValue>> {
    Lang::ALL
        .into_iter()
        .map(|lang| {
            let mut cells: Vec<CellValue> = mapping
                .columns
                .iter()
                .map(|column| match column.field {
                    Some(field) => example_cell(mapping.kind, field, lang),
                    None => CellValue::Empty,
                })
                .collect();
            while cells.last().is_some_and(CellValue::is_blank) {
                cells.pop();
            }
            cells
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_words_parse_back() {
        for lang in Lang::ALL {
            for (status, word) in STATUS_WORDS {
                assert_eq!(
                    word.get(lang).parse::<ProjectStatus>().ok(),
                    Some(status),
                    "{lang}"
                );
            }
        }
        assert_eq!(
            status_words(Lang::Sv),
            ["Offert", "Pågående", "Pausad", "Avslutad", "Avbruten"]
        );
    }

    #[test]
    fn example_dates_and_amounts_are_typed() {
        assert_eq!(
            example_cell(RecordKind::Project, FieldKey::StartDate, Lang::Fi),
            CellValue::Date(NaiveDate::from_ymd_opt(2024, 3, 1).unwrap_or_default())
        );
        assert_eq!(
            example_cell(RecordKind::Project, FieldKey::Value, Lang::Fi),
            CellValue::Number(12500.0)
        );
        assert_eq!(
            example_cell(RecordKind::Project, FieldKey::Status, Lang::En),
            CellValue::Text("Active".into())
        );
        assert_eq!(
            example_cell(RecordKind::Contact, FieldKey::BusinessId, Lang::Fi),
            CellValue::Empty
        );
        assert_eq!(
            example_cell(RecordKind::Company, FieldKey::BusinessId, Lang::Fi),
            CellValue::Text("0112038-9".into())
        );
    }
}
