//! Integration tests: workbooks are generated here with rust_xlsxwriter and read back.

// Helpers outside #[test] functions unwrap too; a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use chrono::NaiveDate;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook as XlsxWorkbook, Worksheet};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::ops::ControlFlow;
use tuonti_domain::{
    CellValue, FieldKey, FieldKind, Issue, IssueCode, Lang, LocalizedText, Location, ProjectStatus,
    RecordKind, Severity,
};
use tuonti_excel_template::{
    CountryChoice, Error, ErrorWorkbookOptions, FileFormat, IgnoreReason, Layout, Limit, LooksLike,
    MONEY_FORMAT, MappingOverride, MatchSource, ReadLimits, ReadOptions, Row, RowSelection, Table,
    TemplateOptions, TextEncoding, UserChoice, Workbook, error_workbook_bytes, read_bytes,
    status_words, template_bytes,
};

// ---------------------------------------------------------------------------------------------
// Helpers

/// Builds an xlsx in memory; `build` fills the first sheet.
fn xlsx(build: impl FnOnce(&mut Worksheet)) -> Vec<u8> {
    let mut workbook = XlsxWorkbook::new();
    build(workbook.add_worksheet());
    workbook.save_to_buffer().unwrap()
}

fn write_rows(sheet: &mut Worksheet, first_row: u32, rows: &[&[&str]]) {
    for (offset, row) in rows.iter().enumerate() {
        for (column, value) in row.iter().enumerate() {
            if !value.is_empty() {
                sheet
                    .write_string(first_row + offset as u32, column as u16, *value)
                    .unwrap();
            }
        }
    }
}

fn read(name: &str, bytes: Vec<u8>) -> Table {
    read_bytes(name, bytes, &ReadOptions::default()).unwrap()
}

fn read_err(name: &str, bytes: Vec<u8>) -> Error {
    match Workbook::from_bytes(name, bytes, &ReadLimits::default()) {
        Ok(mut workbook) => workbook.read_table(&ReadOptions::default()).unwrap_err(),
        Err(err) => err,
    }
}

fn text(value: &str) -> CellValue {
    CellValue::Text(value.to_owned())
}

/// Checks a table's mapping: every `(field, column)` pair mapped, and nothing else.
fn check_mapping(table: &Table, expected: &[(FieldKey, u32)]) {
    let mut actual: Vec<(FieldKey, u32)> = table.mapping().fields().collect();
    actual.sort();
    let mut expected = expected.to_vec();
    expected.sort();
    assert_eq!(actual, expected, "mapping of {:?}", table.layout.headers);
}

fn zip_part(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// Rewrites one part of a zip container.
fn rewrite_part(bytes: &[u8], name: &str, edit: impl Fn(&str) -> String) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = Vec::new();
    {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(&mut out));
        for index in 0..archive.len() {
            let mut entry = archive.by_index(index).unwrap();
            let entry_name = entry.name().unwrap().into_owned();
            let mut content = Vec::new();
            entry.read_to_end(&mut content).unwrap();
            if entry_name == name {
                let edited = edit(std::str::from_utf8(&content).unwrap());
                assert_ne!(
                    edited.as_bytes(),
                    content.as_slice(),
                    "the edit changed nothing"
                );
                content = edited.into_bytes();
            }
            writer
                .start_file(entry_name, zip::write::SimpleFileOptions::default())
                .unwrap();
            writer.write_all(&content).unwrap();
        }
        writer.finish().unwrap();
    }
    out
}

fn sheet_values(bytes: &[u8], sheet: &str) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = workbook.worksheet_range(sheet).unwrap();
    range
        .rows()
        .map(|row| row.iter().map(ToString::to_string).collect())
        .collect()
}

fn template_options(lang: Lang) -> TemplateOptions {
    let user = |name: &str, email: &str| UserChoice {
        display_name: name.to_owned(),
        email: email.to_owned(),
    };
    TemplateOptions {
        lang,
        with_examples: false,
        kinds: RecordKind::ALL.to_vec(),
        company_types: vec![
            "Liidi".into(),
            "Kumppani".into(),
            "Kylmä".into(),
            "Asiakas".into(),
        ],
        customer_groups: vec!["Helsinki".into(), "Tampere, Pirkanmaa".into()],
        account_managers: (1..=30)
            .map(|n| user(&format!("Myyjä {n}"), &format!("myyja{n}@esimerkki.fi")))
            .collect(),
        project_managers: vec![
            user("Matti", "matti@esimerkki.fi"),
            user("Liisa", "liisa@esimerkki.fi"),
        ],
        branches: vec!["Ohjelmistot".into(), "Rakentaminen, korjaus".into()],
        countries: vec![
            CountryChoice {
                code: "FI".into(),
                name: "Suomi".into(),
            },
            CountryChoice {
                code: "SE".into(),
                name: "Ruotsi".into(),
            },
        ],
    }
}

/// Every sheet `locate_all` finds in `bytes`, with the workbook to read their rows.
fn locate_all(bytes: Vec<u8>) -> (Workbook, Vec<Layout>) {
    let mut workbook = Workbook::from_bytes("pohja.xlsx", bytes, &ReadLimits::default()).unwrap();
    let layouts = workbook.locate_all(None, &[]).unwrap();
    (workbook, layouts)
}

/// The data rows of one located sheet.
fn rows_of(workbook: &mut Workbook, layout: &Layout) -> Vec<Row> {
    let mut rows = Vec::new();
    workbook
        .for_each_chunk(layout, 100, |chunk| {
            rows.extend_from_slice(chunk);
            ControlFlow::Continue(())
        })
        .unwrap();
    rows
}

/// Checks that `layout` is the template's `kind` sheet in `lang`, mapped exactly: the kind's
/// fields in order, every column from the metadata with confidence 1.
fn check_template_layout(layout: &Layout, kind: RecordKind, lang: Lang) {
    let context = format!("{lang} {kind}");
    assert_eq!(layout.mapping.kind, kind, "{context}");
    assert_eq!(
        layout.sheet.as_deref(),
        Some(kind.sheet_name(lang)),
        "{context}"
    );
    assert!(layout.from_template, "{context}");
    assert_eq!(layout.header_row, 1, "{context}");
    let fields: Vec<Option<FieldKey>> = layout.mapping.columns.iter().map(|c| c.field).collect();
    let expected: Vec<Option<FieldKey>> = kind.fields().iter().copied().map(Some).collect();
    assert_eq!(fields, expected, "{context}");
    for column in &layout.mapping.columns {
        assert_eq!(
            column.source,
            MatchSource::Template,
            "{context}: {}",
            column.header
        );
        assert_eq!(column.confidence, 1.0, "{context}: {}", column.header);
    }
}

/// The value of attribute `name` of an XML element's text (what follows `<tag `).
fn attribute<'a>(element: &'a str, name: &str) -> Option<&'a str> {
    let element = element.split('>').next()?;
    let marker = format!("{name}=\"");
    let start = element
        .match_indices(&marker)
        .find(|(at, _)| *at == 0 || element[..*at].ends_with(' '))?
        .0
        + marker.len();
    element[start..].split('"').next()
}

/// The number format of every styled column of a worksheet part, by 0-based column: `@` for
/// the built-in text format, else the custom format's code.
fn column_formats(bytes: &[u8], part: &str) -> BTreeMap<u32, String> {
    let styles = zip_part(bytes, "xl/styles.xml");
    let custom: BTreeMap<String, String> = styles
        .split("<numFmt ")
        .skip(1)
        .map(|element| {
            let code = attribute(element, "formatCode").unwrap();
            (
                attribute(element, "numFmtId").unwrap().to_owned(),
                code.replace("&quot;", "\"").replace("&amp;", "&"),
            )
        })
        .collect();
    let cell_xfs = styles.split("<cellXfs").nth(1).unwrap();
    let cell_xfs = cell_xfs.split("</cellXfs>").next().unwrap();
    let xfs: Vec<String> = cell_xfs
        .split("<xf ")
        .skip(1)
        .map(|xf| attribute(xf, "numFmtId").unwrap().to_owned())
        .collect();
    let sheet = zip_part(bytes, part);
    let mut formats = BTreeMap::new();
    for col in sheet.split("<col ").skip(1) {
        let Some(style) = attribute(col, "style") else {
            continue;
        };
        let id = &xfs[style.parse::<usize>().unwrap()];
        let code = match id.as_str() {
            "0" => continue,
            "49" => "@".to_owned(),
            other => custom
                .get(other)
                .cloned()
                .unwrap_or_else(|| other.to_owned()),
        };
        let min: u32 = attribute(col, "min").unwrap().parse().unwrap();
        let max: u32 = attribute(col, "max").unwrap().parse().unwrap();
        for column in min..=max {
            formats.insert(column - 1, code.clone());
        }
    }
    formats
}

/// One data validation of a worksheet part.
#[derive(Debug)]
struct Validation {
    kind: String,
    operator: String,
    error_style: String,
    /// The 0-based column the validation covers from row 2 down.
    column: u32,
    formula: String,
}

fn validations(bytes: &[u8], part: &str) -> Vec<Validation> {
    let sheet = zip_part(bytes, part);
    sheet
        .split("<dataValidation ")
        .skip(1)
        .map(|element| {
            let sqref = attribute(element, "sqref").unwrap();
            let letters: String = sqref.chars().take_while(char::is_ascii_uppercase).collect();
            let column = (0..100)
                .find(|index| tuonti_domain::column_letters(*index) == letters)
                .unwrap();
            assert_eq!(sqref, format!("{letters}2:{letters}1048576"));
            Validation {
                kind: attribute(element, "type").unwrap_or_default().to_owned(),
                operator: attribute(element, "operator")
                    .unwrap_or_default()
                    .to_owned(),
                error_style: attribute(element, "errorStyle")
                    .unwrap_or_default()
                    .to_owned(),
                column,
                formula: element
                    .split("<formula1>")
                    .nth(1)
                    .and_then(|rest| rest.split("</formula1>").next())
                    .unwrap_or_default()
                    .to_owned(),
            }
        })
        .collect()
}

/// The 0-based column of `field` on a `kind` sheet of the template.
fn column_of(kind: RecordKind, field: FieldKey) -> u32 {
    kind.fields().iter().position(|f| *f == field).unwrap() as u32
}

// ---------------------------------------------------------------------------------------------
// Template

#[test]
fn every_sheet_of_the_template_maps_back_exactly_in_every_language() {
    for lang in Lang::ALL {
        for with_examples in [false, true] {
            let options = TemplateOptions {
                with_examples,
                ..template_options(lang)
            };
            let (mut workbook, layouts) = locate_all(template_bytes(&options).unwrap());
            let kinds: Vec<RecordKind> = layouts.iter().map(|l| l.mapping.kind).collect();
            assert_eq!(
                kinds,
                RecordKind::ALL,
                "{lang}: one layout per kind, in order"
            );
            for (layout, kind) in layouts.iter().zip(RecordKind::ALL) {
                check_template_layout(layout, kind, lang);
                assert!(rows_of(&mut workbook, layout).is_empty(), "{lang} {kind}");
            }
        }
        // One sheet read the simple way is the companies sheet.
        let table = read(
            "pohja.xlsx",
            template_bytes(&template_options(lang)).unwrap(),
        );
        check_template_layout(&table.layout, RecordKind::Company, lang);
    }
}

#[test]
fn a_template_of_chosen_kinds_has_their_sheets_in_the_kinds_order() {
    let options = TemplateOptions {
        kinds: vec![RecordKind::Project, RecordKind::Contact],
        ..template_options(Lang::Sv)
    };
    let bytes = template_bytes(&options).unwrap();
    let (_, layouts) = locate_all(bytes.clone());
    assert_eq!(layouts.len(), 2);
    check_template_layout(&layouts[0], RecordKind::Contact, Lang::Sv);
    check_template_layout(&layouts[1], RecordKind::Project, Lang::Sv);
    let workbook =
        Workbook::from_bytes("mall.xlsx", bytes.clone(), &ReadLimits::default()).unwrap();
    let names: Vec<&str> = workbook.sheets().iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Instruktioner",
            "Kontaktpersoner",
            "Projekt",
            "tuonti_lists",
            "tuonti_meta"
        ]
    );
    // Without a companies sheet, no step about the company choices.
    let instructions = sheet_values(&bytes, "Instruktioner");
    let cells: Vec<&String> = instructions.iter().flatten().collect();
    assert!(cells.iter().any(|c| c.starts_with("4. ")));
    assert!(!cells.iter().any(|c| c.starts_with("5. ")));
    assert!(!cells.iter().any(|c| c.contains("Kundansvarig ersätter")));
}

#[test]
fn template_has_dropdowns_notes_formats_and_hidden_sheets() {
    let options = template_options(Lang::Fi);
    let bytes = template_bytes(&options).unwrap();

    let workbook =
        Workbook::from_bytes("pohja.xlsx", bytes.clone(), &ReadLimits::default()).unwrap();
    let sheets: Vec<(String, bool)> = workbook
        .sheets()
        .iter()
        .map(|s| (s.name.clone(), s.hidden))
        .collect();
    assert_eq!(
        sheets,
        vec![
            ("Ohjeet".to_owned(), false),
            ("Yritykset".to_owned(), false),
            ("Yhteyshenkilöt".to_owned(), false),
            ("Projektit".to_owned(), false),
            ("tuonti_lists".to_owned(), true),
            ("tuonti_meta".to_owned(), true),
        ]
    );
    let parts = [
        (RecordKind::Company, "xl/worksheets/sheet2.xml"),
        (RecordKind::Contact, "xl/worksheets/sheet3.xml"),
        (RecordKind::Project, "xl/worksheets/sheet4.xml"),
    ];

    // Every data sheet: frozen header, autofilter over its columns, identifiers as text, dates
    // as d.m.yyyy, amounts in euros, long texts wide.
    for (kind, part) in parts {
        let xml = zip_part(&bytes, part);
        assert!(xml.contains("<pane ySplit=\"1\""), "{kind}: header frozen");
        let last = tuonti_domain::column_letters(kind.fields().len() as u32 - 1);
        assert!(
            xml.contains(&format!("<autoFilter ref=\"A1:{last}1\"")),
            "{kind}: autofilter: {xml}"
        );
        let formats = column_formats(&bytes, part);
        let mut expected = BTreeMap::new();
        for (index, field) in kind.fields().iter().enumerate() {
            let format = match kind.spec(*field).kind {
                FieldKind::Identifier => "@",
                FieldKind::Date => "d.m.yyyy",
                FieldKind::Money => "#,##0.00\\ \"€\"",
                _ => continue,
            };
            expected.insert(index as u32, format.to_owned());
        }
        assert_eq!(formats, expected, "{kind}");
        for (index, field) in kind.fields().iter().enumerate() {
            if kind.spec(*field).kind == FieldKind::LongText {
                let letter_col = format!("<col min=\"{0}\" max=\"{0}\" width=\"50.", index + 1);
                assert!(xml.contains(&letter_col), "{kind}: {field} is wide: {xml}");
            }
        }
    }
    assert_eq!(MONEY_FORMAT, "#,##0.00\\ \"€\"");

    // Companies: the choices on their own columns.
    let company = validations(&bytes, parts[0].1);
    let on = |validations: &[Validation], field: FieldKey, kind: RecordKind| -> String {
        let matching: Vec<&Validation> = validations
            .iter()
            .filter(|v| v.column == column_of(kind, field))
            .collect();
        assert_eq!(matching.len(), 1, "{field}: {validations:?}");
        assert_eq!(matching[0].kind, "list", "{field}");
        matching[0].formula.clone()
    };
    assert_eq!(company.len(), 4, "{company:?}");
    assert_eq!(
        on(&company, FieldKey::CompanyType, RecordKind::Company),
        "\"Liidi,Kumppani,Kylmä,Asiakas\""
    );
    // A group with a comma and 30 users come from the lists sheet.
    assert!(
        on(&company, FieldKey::CustomerGroup, RecordKind::Company).starts_with("tuonti_lists!$")
    );
    assert!(
        on(&company, FieldKey::AccountManager, RecordKind::Company).starts_with("tuonti_lists!$")
    );
    assert_eq!(
        on(&company, FieldKey::Country, RecordKind::Company),
        "\"Suomi,Ruotsi\""
    );
    let country = company
        .iter()
        .find(|v| v.column == column_of(RecordKind::Company, FieldKey::Country))
        .unwrap();
    assert_eq!(
        country.error_style, "warning",
        "other names of a country are welcome"
    );

    // Contacts: no choices.
    assert!(validations(&bytes, parts[1].1).is_empty());

    // Projects: managers, statuses in Finnish, branches; dates and amounts checked.
    let project = validations(&bytes, parts[2].1);
    assert_eq!(project.len(), 6, "{project:?}");
    assert_eq!(
        on(&project, FieldKey::ProjectManager, RecordKind::Project),
        "\"matti@esimerkki.fi,liisa@esimerkki.fi\""
    );
    assert_eq!(
        on(&project, FieldKey::Status, RecordKind::Project),
        "\"Tarjous,Käynnissä,Tauolla,Valmis,Peruttu\""
    );
    assert!(on(&project, FieldKey::Branch, RecordKind::Project).starts_with("tuonti_lists!$"));
    for field in [FieldKey::StartDate, FieldKey::EndDate] {
        let date = project
            .iter()
            .find(|v| v.column == column_of(RecordKind::Project, field))
            .unwrap();
        assert_eq!(date.kind, "date", "{field}");
        assert_eq!(date.operator, "", "between is the default operator");
        assert_eq!(date.error_style, "", "stop is the default style");
    }
    let value = project
        .iter()
        .find(|v| v.column == column_of(RecordKind::Project, FieldKey::Value))
        .unwrap();
    assert_eq!(value.kind, "decimal");
    assert_eq!(value.operator, "greaterThanOrEqual");
    assert_eq!(value.formula, "0");

    let lists = sheet_values(&bytes, "tuonti_lists");
    let all: Vec<&String> = lists.iter().flatten().collect();
    for group in &options.customer_groups {
        assert!(all.contains(&group), "{group}");
    }
    for user in &options.account_managers {
        assert!(all.contains(&&user.email), "{}", user.email);
        assert!(all.contains(&&user.display_name));
    }
    for branch in &options.branches {
        assert!(all.contains(&branch), "{branch}");
    }

    // Notes carry the help text.
    let comments = zip_part(&bytes, "xl/comments1.xml");
    assert!(comments.contains("Suomalainen Y-tunnus muodossa 1234567-8"));
    let project_notes = zip_part(&bytes, "xl/comments3.xml");
    assert!(project_notes.contains("Päivämäärä muodossa p.k.vvvv"));

    // The instructions: the five steps, each sheet's purpose, the references, the formats,
    // and every field of every kind with its example and help.
    let instructions = sheet_values(&bytes, "Ohjeet");
    let cells: Vec<&String> = instructions.iter().flatten().collect();
    for step in 1..=5 {
        assert!(cells.iter().any(|c| c.starts_with(&format!("{step}. "))));
    }
    for expected in [
        "Yritykset: ",
        "Yhteyshenkilöt: ",
        "Projektit: ",
        "asiakasnumerolla (sarake Asiakasnumero)",
        "sarakkeessa Yhteyshenkilö sähköpostiosoitteella",
        "p.k.vvvv",
        "tuhaterottimet",
    ] {
        assert!(cells.iter().any(|c| c.contains(expected)), "{expected}");
    }
    for kind in RecordKind::ALL {
        let heading = format!("{} – Sarakkeet:", kind.sheet_name(Lang::Fi));
        let at = instructions
            .iter()
            .position(|row| row[0] == heading)
            .unwrap_or_else(|| panic!("{heading}"));
        assert_eq!(
            instructions[at + 1][..5],
            ["Sarake", "Pakollinen", "Muoto", "Esimerkki", "Ohje"]
        );
        for (offset, field) in kind.fields().iter().enumerate() {
            let spec = kind.spec(*field);
            let row = &instructions[at + 2 + offset];
            assert_eq!(row[0], spec.header(Lang::Fi), "{kind}");
            assert_eq!(row[1], if spec.required { "Kyllä" } else { "Ei" });
            assert_eq!(row[4], spec.help.get(Lang::Fi));
            if *field != FieldKey::Status {
                assert_eq!(row[3], spec.example, "{kind} {field}");
            }
        }
    }
}

#[test]
fn status_words_are_the_templates_language_and_parse_back() {
    for lang in Lang::ALL {
        let statuses: Vec<ProjectStatus> = status_words(lang)
            .into_iter()
            .map(|word| word.parse().unwrap())
            .collect();
        assert_eq!(
            statuses,
            [
                ProjectStatus::Offer,
                ProjectStatus::Active,
                ProjectStatus::OnHold,
                ProjectStatus::Completed,
                ProjectStatus::Cancelled
            ]
        );
    }
    assert_eq!(
        status_words(Lang::Fi),
        ["Tarjous", "Käynnissä", "Tauolla", "Valmis", "Peruttu"]
    );
}

#[test]
fn a_template_without_its_metadata_still_maps_by_headers_past_the_instructions() {
    let bytes = template_bytes(&template_options(Lang::Fi)).unwrap();
    let bytes = rewrite_part(&bytes, "xl/workbook.xml", |xml| {
        xml.replace("name=\"tuonti_meta\"", "name=\"muuta\"")
    });
    let (_, layouts) = locate_all(bytes);
    assert_eq!(layouts.len(), 3);
    for (layout, kind) in layouts.iter().zip(RecordKind::ALL) {
        assert!(!layout.from_template);
        assert_eq!(layout.sheet.as_deref(), Some(kind.sheet_name(Lang::Fi)));
        assert_eq!(layout.mapping.kind, kind);
        for (column, field) in layout
            .mapping
            .columns
            .iter()
            .zip(kind.fields().iter().copied())
        {
            assert_eq!(column.field, Some(field));
            assert_eq!(column.source, MatchSource::Exact);
        }
    }
}

#[test]
fn a_renamed_template_sheet_maps_by_its_headers_and_the_others_by_the_metadata() {
    let bytes = template_bytes(&template_options(Lang::En)).unwrap();
    let bytes = rewrite_part(&bytes, "xl/workbook.xml", |xml| {
        xml.replace("name=\"Projects\"", "name=\"Spring 2026\"")
    });
    let (_, layouts) = locate_all(bytes);
    assert_eq!(layouts.len(), 3);
    check_template_layout(&layouts[0], RecordKind::Company, Lang::En);
    check_template_layout(&layouts[1], RecordKind::Contact, Lang::En);
    let renamed = &layouts[2];
    assert_eq!(renamed.sheet.as_deref(), Some("Spring 2026"));
    assert_eq!(renamed.mapping.kind, RecordKind::Project);
    assert!(!renamed.from_template);
    let fields: Vec<Option<FieldKey>> = renamed.mapping.columns.iter().map(|c| c.field).collect();
    let expected: Vec<Option<FieldKey>> = RecordKind::Project
        .fields()
        .iter()
        .copied()
        .map(Some)
        .collect();
    assert_eq!(fields, expected);
    assert!(
        renamed
            .mapping
            .columns
            .iter()
            .all(|c| c.source == MatchSource::Exact)
    );
}

#[test]
fn an_old_single_sheet_template_still_maps_exactly_and_skips_its_example_row() {
    // Version 1 of the metadata: one data sheet of companies (here under a name that tells no
    // kind), its header and example rows, and `column` rows of index and field.
    let mut book = XlsxWorkbook::new();
    let data = book.add_worksheet();
    data.set_name("Taul1").unwrap();
    let fields = RecordKind::Company.fields();
    for (index, field) in fields.iter().enumerate() {
        let spec = field.spec();
        data.write_string(0, index as u16, spec.header(Lang::Fi))
            .unwrap();
        data.write_string(1, index as u16, spec.example).unwrap();
    }
    data.write_string(2, 0, "Toinen Oy").unwrap();
    let meta = book.add_worksheet();
    meta.set_name("tuonti_meta").unwrap();
    meta.set_hidden(true);
    let mut rows: Vec<Vec<String>> = vec![
        vec!["tuonti_template".into(), "1".into()],
        vec!["data_sheet".into(), "Taul1".into()],
        vec!["header_row".into(), "1".into()],
        vec!["lang".into(), "fi".into()],
        vec!["example_row".into(), "2".into()],
    ];
    for (index, field) in fields.iter().enumerate() {
        rows.push(vec![
            "column".into(),
            index.to_string(),
            field.as_str().into(),
        ]);
    }
    for (row, cells) in rows.iter().enumerate() {
        for (column, cell) in cells.iter().enumerate() {
            meta.write_string(row as u32, column as u16, cell).unwrap();
        }
    }
    let (mut workbook, layouts) = locate_all(book.save_to_buffer().unwrap());
    assert_eq!(layouts.len(), 1);
    let layout = &layouts[0];
    assert_eq!(layout.sheet.as_deref(), Some("Taul1"));
    assert_eq!(layout.mapping.kind, RecordKind::Company);
    assert!(layout.from_template);
    for (column, field) in layout.mapping.columns.iter().zip(fields.iter().copied()) {
        assert_eq!(column.field, Some(field));
        assert_eq!(column.source, MatchSource::Template);
        assert_eq!(column.confidence, 1.0);
    }
    let rows = rows_of(&mut workbook, layout);
    assert_eq!(rows.len(), 1, "the example row is skipped: {rows:?}");
    assert_eq!(rows[0].row, 3);
}

#[test]
fn template_example_rows_are_linked_and_skipped_until_changed() {
    for lang in Lang::ALL {
        let options = TemplateOptions {
            with_examples: true,
            ..template_options(lang)
        };
        let bytes = template_bytes(&options).unwrap();
        let (mut workbook, layouts) = locate_all(bytes.clone());
        for layout in &layouts {
            assert!(rows_of(&mut workbook, layout).is_empty(), "{lang}");
        }
        let example = |kind: RecordKind, field: FieldKey| -> String {
            let values = sheet_values(&bytes, kind.sheet_name(lang));
            values[1]
                .get(column_of(kind, field) as usize)
                .cloned()
                .unwrap_or_default()
        };
        // The company, its contact naming it by customer number, its project naming both.
        let number = example(RecordKind::Company, FieldKey::CustomerNumber);
        assert_eq!(number, "001234");
        assert_eq!(
            example(RecordKind::Contact, FieldKey::CustomerNumber),
            number
        );
        assert_eq!(
            example(RecordKind::Project, FieldKey::CustomerNumber),
            number
        );
        for kind in [RecordKind::Contact, RecordKind::Project] {
            assert_eq!(example(kind, FieldKey::BusinessId), "", "{kind}");
            assert_eq!(example(kind, FieldKey::Name), "", "{kind}");
        }
        assert_eq!(
            example(RecordKind::Project, FieldKey::ContactPerson),
            example(RecordKind::Contact, FieldKey::Email)
        );
        assert_eq!(example(RecordKind::Company, FieldKey::PostalCode), "00100");
        let status = example(RecordKind::Project, FieldKey::Status);
        assert_eq!(status, status_words(lang)[1], "the active status in {lang}");
    }

    // A changed example row is data; its dates are dates and its amount a number.
    let options = TemplateOptions {
        with_examples: true,
        ..template_options(Lang::Fi)
    };
    let bytes = template_bytes(&options).unwrap();
    let bytes = rewrite_part(&bytes, "xl/sharedStrings.xml", |xml| {
        xml.replace(">Verkkosivu-uudistus<", ">Uusi verkkokauppa<")
    });
    let (mut workbook, layouts) = locate_all(bytes);
    let counts: Vec<usize> = layouts
        .iter()
        .map(|layout| rows_of(&mut workbook, layout).len())
        .collect();
    assert_eq!(counts, [0, 0, 1]);
    let rows = rows_of(&mut workbook, &layouts[2]);
    let cell = |field: FieldKey| rows[0].get(column_of(RecordKind::Project, field)).clone();
    assert_eq!(cell(FieldKey::ProjectName), text("Uusi verkkokauppa"));
    assert_eq!(
        cell(FieldKey::StartDate),
        CellValue::Date(NaiveDate::from_ymd_opt(2024, 3, 1).unwrap())
    );
    assert_eq!(
        cell(FieldKey::EndDate),
        CellValue::Date(NaiveDate::from_ymd_opt(2024, 12, 31).unwrap())
    );
    assert_eq!(cell(FieldKey::Value), CellValue::Number(12500.0));
    assert_eq!(cell(FieldKey::ProjectNumber), text("P-0001"));
    assert_eq!(cell(FieldKey::Status), text("Käynnissä"));
}

#[test]
fn a_workbook_in_the_templates_layout_with_its_metadata_reads_every_sheet() {
    // Rows filled into the template's sheets, under its headers, with its metadata sheet.
    let template = template_bytes(&template_options(Lang::Fi)).unwrap();
    let mut book = XlsxWorkbook::new();
    let filled: [(RecordKind, &[(FieldKey, &str)]); 3] = [
        (
            RecordKind::Company,
            &[
                (FieldKey::Name, "Testi Oy"),
                (FieldKey::CustomerNumber, "000777"),
            ],
        ),
        (
            RecordKind::Contact,
            &[
                (FieldKey::CustomerNumber, "000777"),
                (FieldKey::LastName, "Virtanen"),
                (FieldKey::Email, "liisa@testi.fi"),
            ],
        ),
        (
            RecordKind::Project,
            &[
                (FieldKey::ProjectNumber, "P-7"),
                (FieldKey::ProjectName, "Katto"),
                (FieldKey::CustomerNumber, "000777"),
                (FieldKey::ContactPerson, "liisa@testi.fi"),
            ],
        ),
    ];
    for (kind, cells) in filled {
        let name = kind.sheet_name(Lang::Fi);
        let sheet = book.add_worksheet();
        sheet.set_name(name).unwrap();
        let headers = &sheet_values(&template, name)[0];
        for (column, header) in headers.iter().enumerate() {
            sheet.write_string(0, column as u16, header).unwrap();
        }
        for (field, value) in cells {
            sheet
                .write_string(1, column_of(kind, *field) as u16, *value)
                .unwrap();
        }
    }
    let meta = book.add_worksheet();
    meta.set_name("tuonti_meta").unwrap();
    meta.set_hidden(true);
    for (row, cells) in sheet_values(&template, "tuonti_meta").iter().enumerate() {
        for (column, cell) in cells.iter().enumerate() {
            if !cell.is_empty() {
                meta.write_string(row as u32, column as u16, cell).unwrap();
            }
        }
    }
    let (mut workbook, layouts) = locate_all(book.save_to_buffer().unwrap());
    assert_eq!(layouts.len(), 3);
    for ((layout, kind), (_, cells)) in layouts.iter().zip(RecordKind::ALL).zip(filled) {
        check_template_layout(layout, kind, Lang::Fi);
        let rows = rows_of(&mut workbook, layout);
        assert_eq!(rows.len(), 1, "{kind}");
        for (field, value) in cells {
            assert_eq!(
                rows[0].get(layout.mapping.column_of(*field).unwrap()),
                &text(value),
                "{kind} {field}"
            );
        }
    }
}

#[test]
fn saved_template_and_file_reading_work_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pohja.xlsx");
    tuonti_excel_template::save_template(&template_options(Lang::Sv), &path).unwrap();
    let table = tuonti_excel_template::read_file(&path, &ReadOptions::default()).unwrap();
    assert_eq!(table.file, "pohja.xlsx");
    assert_eq!(table.layout.sheet.as_deref(), Some("Företag"));
    let missing =
        tuonti_excel_template::read_file(dir.path().join("nope.xlsx"), &ReadOptions::default());
    assert!(matches!(missing, Err(Error::Io { .. })));
}

// ---------------------------------------------------------------------------------------------
// Finding the data and mapping

#[test]
fn title_rows_merged_cells_and_blank_rows_above_the_header() {
    let bytes = xlsx(|sheet| {
        sheet
            .merge_range(
                0,
                0,
                0,
                3,
                "Asiakasrekisteri 2026",
                &Format::new().set_bold(),
            )
            .unwrap();
        write_rows(sheet, 1, &[&["Päivitetty 5.1.2026"]]);
        write_rows(
            sheet,
            3,
            &[
                &["Yrityksen nimi", "Y-tunnus", "Postinumero", "Kaupunki"],
                &["Esimerkki Oy", "0112038-9", "00100", "Helsinki"],
            ],
        );
        // A blank row in the middle, then data, then styled empty rows at the end.
        write_rows(sheet, 6, &[&["Toinen Oy", "", "", "Espoo"]]);
        let fill = Format::new().set_background_color(0x00FF_FF00);
        for row in 7..20 {
            for column in 0..4 {
                sheet.write_blank(row, column, &fill).unwrap();
            }
        }
    });
    let table = read("asiakkaat.xlsx", bytes);
    assert_eq!(table.layout.header_row, 4);
    check_mapping(
        &table,
        &[
            (FieldKey::Name, 0),
            (FieldKey::BusinessId, 1),
            (FieldKey::PostalCode, 2),
            (FieldKey::City, 3),
        ],
    );
    let rows: Vec<u32> = table.rows.iter().map(|row| row.row).collect();
    assert_eq!(rows, vec![5, 7]);
    assert_eq!(table.rows[0].get(1), &text("0112038-9"));
    assert_eq!(table.rows[0].get(2), &text("00100"));
    assert_eq!(table.value(&table.rows[1], FieldKey::City), &text("Espoo"));
    assert_eq!(
        table.value(&table.rows[1], FieldKey::Email),
        &CellValue::Empty
    );
}

#[test]
fn english_and_swedish_headers_in_any_order_with_unknown_columns() {
    let english = xlsx(|sheet| {
        write_rows(
            sheet,
            0,
            &[
                &[
                    "Internal memo",
                    "VAT ID",
                    "Company",
                    "ZIP code",
                    "E-mail",
                    "Shoe size",
                ],
                &["x", "FI01120389", "Example Ltd", "00100", "a@b.fi", "44"],
            ],
        );
    });
    let table = read("english.xlsx", english);
    check_mapping(
        &table,
        &[
            (FieldKey::VatNumber, 1),
            (FieldKey::Name, 2),
            (FieldKey::PostalCode, 3),
            (FieldKey::Email, 4),
        ],
    );
    let ignored: Vec<(&str, Option<IgnoreReason>)> = table
        .mapping()
        .ignored()
        .map(|c| (c.header.as_str(), c.ignored.clone()))
        .collect();
    assert_eq!(
        ignored,
        vec![
            ("Internal memo", Some(IgnoreReason::Unknown)),
            ("Shoe size", Some(IgnoreReason::Unknown))
        ]
    );

    let swedish = xlsx(|sheet| {
        write_rows(
            sheet,
            0,
            &[
                &[
                    "Ort",
                    "Postnummer",
                    "FO-nummer",
                    "Företagets namn",
                    "Kundansvarig",
                    "Land",
                ],
                &[
                    "Vasa",
                    "65100",
                    "0112038-9",
                    "Exempel Ab",
                    "a@b.fi",
                    "Finland",
                ],
            ],
        );
    });
    let table = read("svenska.xlsx", swedish);
    check_mapping(
        &table,
        &[
            (FieldKey::City, 0),
            (FieldKey::PostalCode, 1),
            (FieldKey::BusinessId, 2),
            (FieldKey::Name, 3),
            (FieldKey::AccountManager, 4),
            (FieldKey::Country, 5),
        ],
    );
    assert!(table.mapping().columns.iter().all(|c| c.confidence == 1.0));
}

#[test]
fn fuzzy_headers_get_a_confidence_below_one_and_duplicates_are_reported() {
    let bytes = xlsx(|sheet| {
        write_rows(
            sheet,
            0,
            &[
                &["Yritys", "Postinumro", "Postinumero", "Asiakkaan Y-tunnus"],
                &["A Oy", "100", "00100", "0112038-9"],
            ],
        );
    });
    let table = read("sumea.xlsx", bytes);
    check_mapping(
        &table,
        &[
            (FieldKey::Name, 0),
            (FieldKey::PostalCode, 2),
            (FieldKey::BusinessId, 3),
        ],
    );
    let business_id = &table.mapping().columns[3];
    assert_eq!(business_id.source, MatchSource::Fuzzy);
    assert!(business_id.confidence < 1.0 && business_id.confidence > 0.8);
    let conflicts: Vec<u32> = table.mapping().conflicts().map(|c| c.column).collect();
    assert_eq!(conflicts, vec![1]);
}

#[test]
fn overrides_correct_the_mapping_and_name_unknown_headers() {
    let bytes = xlsx(|sheet| {
        write_rows(
            sheet,
            0,
            &[
                &["Nimi", "Asiakasnumero", "Kaupunki"],
                &["A Oy", "0112038-9", "Turku"],
            ],
        );
    });
    let options = ReadOptions {
        overrides: MappingOverride::parse_all(["Asiakasnumero=business_id", "kaupunki=ignore"])
            .unwrap(),
        ..ReadOptions::default()
    };
    let table = read_bytes("a.xlsx", bytes.clone(), &options).unwrap();
    check_mapping(&table, &[(FieldKey::Name, 0), (FieldKey::BusinessId, 1)]);
    assert_eq!(table.mapping().columns[1].source, MatchSource::Override);
    assert_eq!(
        table.mapping().columns[2].ignored,
        Some(IgnoreReason::Override)
    );

    let bad = ReadOptions {
        overrides: vec!["Postinumero=postal_code".parse().unwrap()],
        ..ReadOptions::default()
    };
    let err = read_bytes("a.xlsx", bytes, &bad).unwrap_err();
    assert!(matches!(err, Error::UnknownOverrideHeader { .. }));
    assert!(err.to_string().contains("\"Asiakasnumero\""), "{err}");

    let err = "Nimi=kengännumero".parse::<MappingOverride>().unwrap_err();
    assert!(matches!(err, Error::UnknownOverrideField { .. }));

    // The mapping serializes (for saved mapping profiles) and round-trips.
    let json = serde_json::to_string(table.mapping()).unwrap();
    assert!(json.contains("\"field\":\"business_id\""), "{json}");
    let back: tuonti_excel_template::ColumnMapping = serde_json::from_str(&json).unwrap();
    assert_eq!(&back, table.mapping());
}

#[test]
fn hidden_first_sheet_is_passed_over() {
    let mut workbook = XlsxWorkbook::new();
    let hidden = workbook.add_worksheet();
    hidden.set_name("Vanhat").unwrap();
    write_rows(
        hidden,
        0,
        &[&["Yritys", "Y-tunnus"], &["Vanha Oy", "1234567-8"]],
    );
    hidden.set_hidden(true);
    let visible = workbook.add_worksheet();
    visible.set_name("Uudet").unwrap();
    visible.set_active(true);
    write_rows(
        visible,
        0,
        &[&["Yritys", "Y-tunnus"], &["Uusi Oy", "0112038-9"]],
    );
    let bytes = workbook.save_to_buffer().unwrap();

    let table = read("kaksi.xlsx", bytes.clone());
    assert_eq!(table.layout.sheet.as_deref(), Some("Uudet"));
    assert_eq!(table.rows[0].get(0), &text("Uusi Oy"));

    // Named by the user, the hidden sheet is read.
    let options = ReadOptions {
        sheet: Some("Vanhat".into()),
        ..ReadOptions::default()
    };
    let table = read_bytes("kaksi.xlsx", bytes.clone(), &options).unwrap();
    assert_eq!(table.rows[0].get(0), &text("Vanha Oy"));

    let options = ReadOptions {
        sheet: Some("Puuttuu".into()),
        ..ReadOptions::default()
    };
    let err = read_bytes("kaksi.xlsx", bytes, &options).unwrap_err();
    assert!(matches!(err, Error::SheetNotFound { .. }));
    assert!(err.to_string().contains("Vanhat, Uudet"), "{err}");
}

#[test]
fn a_sheet_without_headers_is_skipped_and_none_at_all_is_an_error() {
    let mut workbook = XlsxWorkbook::new();
    let notes = workbook.add_worksheet();
    write_rows(notes, 0, &[&["Muistiinpanoja"], &["Lisää tekstiä"]]);
    let data = workbook.add_worksheet();
    write_rows(data, 0, &[&["Yritys"], &["A Oy"]]);
    let table = read("a.xlsx", workbook.save_to_buffer().unwrap());
    assert_eq!(table.layout.sheet.as_deref(), Some("Sheet2"));

    let bytes = xlsx(|sheet| write_rows(sheet, 0, &[&["Kissa", "Koira"], &["1", "2"]]));
    let err = read_err("a.xlsx", bytes);
    assert!(matches!(err, Error::NoHeaderRow { .. }), "{err}");
    assert!(err.to_string().contains("Y-tunnus"), "{err}");
}

#[test]
fn numbers_stay_numbers_and_dates_become_dates() {
    let bytes = xlsx(|sheet| {
        write_rows(
            sheet,
            0,
            &[&[
                "Yritys",
                "Postinumero",
                "Y-tunnus",
                "Perustettu",
                "Muokattu",
                "Summa",
            ]],
        );
        sheet.write_string(1, 0, "A Oy").unwrap();
        sheet.write_number(1, 1, 100).unwrap();
        sheet.write_string(1, 2, "0112038-9").unwrap();
        let date_format = Format::new().set_num_format("d.m.yyyy");
        let date = ExcelDateTime::from_ymd(2026, 1, 5).unwrap();
        sheet
            .write_datetime_with_format(1, 3, &date, &date_format)
            .unwrap();
        let datetime_format = Format::new().set_num_format("d.m.yyyy hh:mm");
        let datetime = ExcelDateTime::from_ymd(2026, 1, 5)
            .unwrap()
            .and_hms(13, 30, 0)
            .unwrap();
        sheet
            .write_datetime_with_format(1, 4, &datetime, &datetime_format)
            .unwrap();
        // A formula gives its cached value; it is never evaluated.
        sheet
            .write_formula(1, 5, Formula::new("=1+1").set_result("7"))
            .unwrap();
        // Its cached value is removed below, as a program that writes no values would.
        sheet
            .write_formula(1, 6, Formula::new("=A1").set_result("NOCACHE"))
            .unwrap();
        sheet.write_number(2, 0, 12345).unwrap();
        sheet.write_boolean(2, 1, true).unwrap();
    });
    let bytes = rewrite_part(&bytes, "xl/worksheets/sheet1.xml", |xml| {
        xml.replace("<v>NOCACHE</v>", "")
    });
    let table = read("tyypit.xlsx", bytes);
    let row = &table.rows[0];
    assert_eq!(row.get(1), &CellValue::Number(100.0));
    assert_eq!(row.get(2), &text("0112038-9"));
    assert_eq!(
        row.get(3),
        &CellValue::Date(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap())
    );
    assert_eq!(
        row.get(4),
        &CellValue::DateTime(
            NaiveDate::from_ymd_opt(2026, 1, 5)
                .unwrap()
                .and_hms_opt(13, 30, 0)
                .unwrap()
        )
    );
    assert_eq!(row.get(5), &CellValue::Number(7.0));
    assert_eq!(
        row.get(6),
        &CellValue::Empty,
        "a formula without a cached value"
    );
    assert_eq!(table.rows[1].get(0), &CellValue::Number(12345.0));
    assert_eq!(table.rows[1].get(1), &CellValue::Bool(true));
}

#[test]
fn rows_stream_in_chunks_and_the_visitor_can_stop() {
    let bytes = xlsx(|sheet| {
        sheet.write_string(0, 0, "Yritys").unwrap();
        for row in 1..=250u32 {
            sheet.write_string(row, 0, format!("Yritys {row}")).unwrap();
        }
    });
    let mut workbook = Workbook::from_bytes("iso.xlsx", bytes, &ReadLimits::default()).unwrap();
    let layout = workbook.locate(None).unwrap();
    let mut sizes = Vec::new();
    let count = workbook
        .for_each_chunk(&layout, 100, |chunk| {
            sizes.push(chunk.len());
            std::ops::ControlFlow::Continue(())
        })
        .unwrap();
    assert_eq!(count, 250);
    assert_eq!(sizes, vec![100, 100, 50]);

    let mut seen = 0;
    workbook
        .for_each_chunk(&layout, 10, |chunk| {
            seen += chunk.len();
            std::ops::ControlFlow::Break(())
        })
        .unwrap();
    assert_eq!(seen, 10);
}

// ---------------------------------------------------------------------------------------------
// CSV

const CSV_HEADER: [&str; 4] = ["Yritys", "Y-tunnus", "Postinumero", "Osoite"];

fn csv_text(delimiter: char) -> String {
    let d = delimiter;
    format!(
        "{h0}{d}{h1}{d}{h2}{d}{h3}\r\n\
         Äänekosken Öljy Oy{d}0112038-9{d}00100{d}\"Katu 1{d}\r\nB-rappu\"\r\n\
         \r\n\
         Smörgås Ab{d}{d}65100{d}Gata 2\r\n",
        h0 = CSV_HEADER[0],
        h1 = CSV_HEADER[1],
        h2 = CSV_HEADER[2],
        h3 = CSV_HEADER[3],
    )
}

fn check_csv(bytes: Vec<u8>, encoding: TextEncoding, delimiter: char) {
    let table = read("tiedosto.csv", bytes);
    assert_eq!(table.format, FileFormat::Csv);
    let dialect = table.csv.unwrap();
    assert_eq!((dialect.encoding, dialect.delimiter), (encoding, delimiter));
    check_mapping(
        &table,
        &[
            (FieldKey::Name, 0),
            (FieldKey::BusinessId, 1),
            (FieldKey::PostalCode, 2),
            (FieldKey::StreetAddress, 3),
        ],
    );
    assert_eq!(table.rows.len(), 2, "{:?}", table.rows);
    let first = &table.rows[0];
    assert_eq!(first.row, 2);
    assert_eq!(first.get(0), &text("Äänekosken Öljy Oy"));
    assert_eq!(first.get(2), &text("00100"));
    assert_eq!(
        first.get(3),
        &text(&format!("Katu 1{delimiter}\r\nB-rappu"))
    );
    assert_eq!(table.rows[1].row, 5);
    assert_eq!(table.rows[1].get(0), &text("Smörgås Ab"));
    assert_eq!(table.rows[1].get(1), &CellValue::Empty);
}

#[test]
fn csv_in_every_encoding_and_delimiter() {
    for delimiter in [';', ',', '\t', '|'] {
        let content = csv_text(delimiter);
        check_csv(content.clone().into_bytes(), TextEncoding::Utf8, delimiter);

        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(content.as_bytes());
        check_csv(bom, TextEncoding::Utf8Bom, delimiter);

        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(content.encode_utf16().flat_map(u16::to_le_bytes));
        check_csv(utf16, TextEncoding::Utf16Le, delimiter);

        let (windows, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&content);
        assert!(!unmappable);
        assert!(std::str::from_utf8(&windows).is_err(), "really not UTF-8");
        check_csv(windows.into_owned(), TextEncoding::Windows1252, delimiter);
    }
}

#[test]
fn csv_with_decimal_commas_sniffs_semicolon_and_one_column_csv_reads() {
    let content = "Yritys;Liikevaihto\nA Oy;1 234,50\nB Oy;99,90\n";
    let table = read("a.csv", content.as_bytes().to_vec());
    assert_eq!(table.csv.unwrap().delimiter, ';');

    let table = read("a.csv", b"Yritys\nA Oy\nB Oy\n".to_vec());
    assert_eq!(table.rows.len(), 2);
}

// ---------------------------------------------------------------------------------------------
// Hostile and broken files

fn looks_like(bytes: &[u8]) -> LooksLike {
    match read_err("tiedosto.xlsx", bytes.to_vec()) {
        Error::NotSpreadsheet { looks_like, .. } => looks_like,
        other => panic!("expected NotSpreadsheet, got {other}"),
    }
}

#[test]
fn empty_files_are_refused() {
    for bytes in [&b""[..], b" \r\n\t ", b"\xEF\xBB\xBF \n"] {
        let err = read_err("tyhja.csv", bytes.to_vec());
        assert!(matches!(err, Error::EmptyFile { .. }), "{bytes:?}: {err}");
        assert_eq!(err.to_string(), "tyhja.csv: the file is empty");
    }
}

#[test]
fn files_that_are_not_spreadsheets_say_what_they_look_like() {
    assert_eq!(
        looks_like(b"<!DOCTYPE html><html><body><table></table></body></html>"),
        LooksLike::Html
    );
    assert_eq!(looks_like(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"), LooksLike::Pdf);
    assert_eq!(
        looks_like(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        LooksLike::Image
    );
    assert_eq!(looks_like(b"\xFF\xD8\xFF\xE0\0\x10JFIF"), LooksLike::Image);
    assert_eq!(
        looks_like(b"Hello,\nthis is a letter and not a table\nregards\n"),
        LooksLike::PlainText
    );
    assert_eq!(looks_like(b"<?xml version=\"1.0\"?><a/>"), LooksLike::Xml);
    assert_eq!(looks_like(b"\x00\x01\x02\x03\x04binary"), LooksLike::Binary);
    assert_eq!(looks_like(b"\x1F\x8B\x08\x00"), LooksLike::Archive);

    let mut zip_bytes = Vec::new();
    {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(&mut zip_bytes));
        writer
            .start_file("readme.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        writer.write_all(b"hello").unwrap();
        writer.finish().unwrap();
    }
    assert_eq!(looks_like(&zip_bytes), LooksLike::ZipArchive);

    let err = read_err(
        "sivu.xls",
        b"<html><table><tr><td>1</td></tr></table></html>".to_vec(),
    );
    assert_eq!(
        err.to_string(),
        "sivu.xls: not a spreadsheet: the file looks like an HTML page; expected xlsx, xlsm, xlsb, xls, ods or CSV"
    );
}

#[test]
fn truncated_and_corrupt_files_are_refused() {
    let bytes = template_bytes(&template_options(Lang::Fi)).unwrap();
    for cut in [bytes.len() / 2, bytes.len() - 10, 100] {
        let err = read_err("katkennut.xlsx", bytes[..cut].to_vec());
        assert!(matches!(err, Error::Corrupt { .. }), "cut {cut}: {err}");
    }
    // Flip bytes in the middle of a valid workbook.
    let mut damaged = bytes.clone();
    let middle = damaged.len() / 2;
    for byte in &mut damaged[middle..middle + 200] {
        *byte ^= 0x5A;
    }
    let err = read_err("rikki.xlsx", damaged);
    assert!(matches!(err, Error::Corrupt { .. }), "{err}");

    // An OLE file that is no workbook at all.
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend(std::iter::repeat_n(0xAB, 2000));
    let err = read_err("vanha.xls", ole);
    assert!(matches!(err, Error::Corrupt { format: "xls", .. }), "{err}");
}

#[test]
fn password_protected_files_are_refused_as_encrypted() {
    // Excel stores an encrypted xlsx as an OLE compound file with these streams.
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend(std::iter::repeat_n(0, 504));
    for name in ["EncryptionInfo", "EncryptedPackage"] {
        let mut entry: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        entry.resize(128, 0);
        ole.extend(entry);
    }
    let err = read_err("salainen.xlsx", ole);
    assert!(matches!(err, Error::Encrypted { .. }), "{err}");
    assert!(err.to_string().contains("password-protected"));
}

#[test]
fn files_over_the_limits_are_refused() {
    let bytes = xlsx(|sheet| {
        sheet.write_string(0, 0, "Yritys").unwrap();
        for row in 1..=100u32 {
            sheet.write_string(row, 0, format!("Yritys {row}")).unwrap();
        }
    });
    let small_file = ReadLimits {
        max_file_bytes: 1000,
        ..ReadLimits::default()
    };
    let err = Workbook::from_bytes("a.xlsx", bytes.clone(), &small_file).unwrap_err();
    assert!(
        matches!(
            err,
            Error::TooLarge {
                limit: Limit::FileBytes,
                max: 1000,
                ..
            }
        ),
        "{err}"
    );

    let few_cells = ReadOptions {
        limits: ReadLimits {
            max_cells: 50,
            ..ReadLimits::default()
        },
        ..ReadOptions::default()
    };
    let err = read_bytes("a.xlsx", bytes.clone(), &few_cells).unwrap_err();
    assert!(
        matches!(
            err,
            Error::TooLarge {
                limit: Limit::Cells,
                ..
            }
        ),
        "{err}"
    );

    let small_parts = ReadLimits {
        max_part_unzipped_bytes: 1000,
        ..ReadLimits::default()
    };
    let err = Workbook::from_bytes("a.xlsx", bytes, &small_parts).unwrap_err();
    assert!(
        matches!(
            err,
            Error::TooLarge {
                limit: Limit::PartUnzippedBytes,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn an_ods_whose_repeats_ask_for_billions_of_cells_is_refused_before_parsing() {
    let content = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Pommi"><table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let err = read_err("pommi.ods", ods(content));
    assert!(
        matches!(
            err,
            Error::TooLarge {
                limit: Limit::SheetExtent,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn a_csv_row_wider_than_excel_is_refused() {
    let mut content = String::from("Yritys;Y-tunnus\nA Oy");
    content.push_str(&";".repeat(20_000));
    content.push_str("x\n");
    let err = read_err("leveä.csv", content.into_bytes());
    assert!(
        matches!(
            err,
            Error::TooLarge {
                limit: Limit::Columns,
                max: 16_384,
                ..
            }
        ),
        "{err}"
    );
}

/// A raw deflate stream that inflates to `repeat` copies of `chunk`: the chunk is compressed
/// once with a full flush (which makes the segment independent of what came before), the
/// segment repeated, and a final empty block appended.
fn deflate_bomb(chunk: &[u8], repeat: usize) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress};
    let mut compress = Compress::new(Compression::best(), false);
    let mut segment = Vec::with_capacity(chunk.len());
    compress
        .compress_vec(chunk, &mut segment, FlushCompress::Full)
        .unwrap();
    assert_eq!(compress.total_in() as usize, chunk.len());
    let mut stream = Vec::with_capacity(segment.len() * repeat + 16);
    for _ in 0..repeat {
        stream.extend_from_slice(&segment);
    }
    let mut finish = Compress::new(Compression::best(), false);
    let mut tail = Vec::with_capacity(64);
    finish
        .compress_vec(&[], &mut tail, FlushCompress::Finish)
        .unwrap();
    stream.extend_from_slice(&tail);
    stream
}

/// A zip with one deflated entry whose headers claim it unpacks to `claimed_size` bytes.
fn bomb_zip(name: &str, deflated: &[u8], claimed_size: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let compressed = u32::try_from(deflated.len()).unwrap();
    let name_len = name.len() as u16;
    // Local file header.
    out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    out.extend_from_slice(&20u16.to_le_bytes()); // version needed
    out.extend_from_slice(&0u16.to_le_bytes()); // flags
    out.extend_from_slice(&8u16.to_le_bytes()); // deflate
    out.extend_from_slice(&0u32.to_le_bytes()); // time, date
    out.extend_from_slice(&0xDEAD_BEEFu32.to_le_bytes()); // crc (never reached)
    out.extend_from_slice(&compressed.to_le_bytes());
    out.extend_from_slice(&claimed_size.to_le_bytes());
    out.extend_from_slice(&name_len.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // extra length
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(deflated);
    let central_start = out.len() as u32;
    // Central directory header.
    out.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
    out.extend_from_slice(&20u16.to_le_bytes()); // version made by
    out.extend_from_slice(&20u16.to_le_bytes()); // version needed
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&8u16.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&0xDEAD_BEEFu32.to_le_bytes());
    out.extend_from_slice(&compressed.to_le_bytes());
    out.extend_from_slice(&claimed_size.to_le_bytes());
    out.extend_from_slice(&name_len.to_le_bytes());
    out.extend_from_slice(&[0; 8]); // extra, comment, disk, internal attributes
    out.extend_from_slice(&0u32.to_le_bytes()); // external attributes
    out.extend_from_slice(&0u32.to_le_bytes()); // local header offset
    out.extend_from_slice(name.as_bytes());
    let central_size = out.len() as u32 - central_start;
    // End of central directory.
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&central_size.to_le_bytes());
    out.extend_from_slice(&central_start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

#[test]
fn a_zip_bomb_is_refused_while_inflating() {
    // 1 MiB of sheet XML, 1,536 times: 1.5 GiB unpacked from about 3 MB.
    let row = b"<row><c t=\"inlineStr\"><is><t>AAAAAAAAAAAAAAAA</t></is></c></row>";
    let chunk: Vec<u8> = row.iter().copied().cycle().take(1 << 20).collect();
    let deflated = deflate_bomb(&chunk, 1536);
    assert!(deflated.len() < 8 << 20, "{}", deflated.len());

    // Honest headers: refused by the counting sink at the per-part limit.
    let bomb = bomb_zip("xl/worksheets/sheet1.xml", &deflated, 1536 << 20);
    let err = read_err("pommi.xlsx", bomb);
    assert!(
        matches!(
            err,
            Error::TooLarge {
                limit: Limit::PartUnzippedBytes,
                ..
            }
        ),
        "{err}"
    );
    assert!(
        err.to_string().contains("xl/worksheets/sheet1.xml"),
        "{err}"
    );

    // Lying headers (claiming 1,000 bytes): refused as soon as the lie shows.
    let bomb = bomb_zip("xl/worksheets/sheet1.xml", &deflated, 1000);
    let err = read_err("pommi.xlsx", bomb);
    assert!(
        matches!(err, Error::Corrupt { .. } | Error::TooLarge { .. }),
        "{err}"
    );

    // Many parts that each stay under the part limit still hit the total limit.
    let limits = ReadLimits {
        max_part_unzipped_bytes: 1 << 30,
        max_total_unzipped_bytes: 100 << 20,
        ..ReadLimits::default()
    };
    let part = deflate_bomb(&chunk, 128);
    let bomb = bomb_zip("xl/sharedStrings.xml", &part, 128 << 20);
    let err = Workbook::from_bytes("pommi.xlsx", bomb, &limits).unwrap_err();
    assert!(
        matches!(
            err,
            Error::TooLarge {
                limit: Limit::TotalUnzippedBytes,
                ..
            }
        ),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// Error workbook

fn issue(row: u32, column: Option<u32>, severity: Severity, fi: &str, en: &str) -> Issue {
    // The tests in Finnish and English need no Swedish text of their own; the Swedish test
    // below uses `issue_in` with real Swedish.
    issue_in(row, column, severity, [fi, &format!("(sv) {en}"), en])
}

fn issue_in(row: u32, column: Option<u32>, severity: Severity, text: [&str; 3]) -> Issue {
    let [fi, sv, en] = text;
    let location = Location {
        row: Some(row),
        column,
        sheet: Some("Sheet1".into()),
        ..Location::default()
    };
    let code = IssueCode::new("test.code");
    let message = LocalizedText::new(fi, sv, en);
    match severity {
        Severity::Error => Issue::error(code, message),
        Severity::Warning => Issue::warning(code, message),
    }
    .at(location)
}

fn error_input() -> Table {
    let bytes = xlsx(|sheet| {
        write_rows(
            sheet,
            0,
            &[
                &["Yritys", "Y-tunnus", "Postinumero", "Huomiot"],
                &["Hyvä Oy", "0112038-9", "00100", "ok"],
                &["Huono Oy", "1234567-0", "", "=SUM(A1:A2)"],
            ],
        );
        sheet.write_number(3, 0, 42).unwrap();
        sheet.write_number(3, 2, 100).unwrap();
        let date_format = Format::new().set_num_format("d.m.yyyy");
        let date = ExcelDateTime::from_ymd(2026, 2, 1).unwrap();
        sheet
            .write_datetime_with_format(3, 3, &date, &date_format)
            .unwrap();
    });
    read("asiakkaat.xlsx", bytes)
}

#[test]
fn error_workbook_marks_rejected_rows_and_imports_again() {
    let table = error_input();
    let issues = vec![
        issue(
            3,
            Some(1),
            Severity::Error,
            "Väärä tarkistusnumero",
            "Wrong check digit",
        ),
        issue(3, None, Severity::Error, "Rivi hylätty", "Row rejected"),
        issue(
            4,
            Some(2),
            Severity::Warning,
            "Etunollat lisätty",
            "Leading zeros added",
        ),
        issue(
            4,
            Some(0),
            Severity::Error,
            "Nimi ei ole tekstiä",
            "Name is not text",
        ),
    ];
    let options = ErrorWorkbookOptions {
        lang: Lang::Fi,
        rows: RowSelection::Rejected,
    };
    let bytes = error_workbook_bytes(&table, &issues, &options).unwrap();

    let values = sheet_values(&bytes, "Yritykset");
    assert_eq!(
        values[0],
        vec![
            "Tuonnin virheet",
            "Yritys",
            "Y-tunnus",
            "Postinumero",
            "Huomiot"
        ]
    );
    assert_eq!(values.len(), 3, "only the two rejected rows: {values:?}");
    assert_eq!(
        values[1][0],
        "Y-tunnus: Väärä tarkistusnumero\nRivi hylätty"
    );
    assert_eq!(values[1][1], "Huono Oy");
    assert_eq!(values[1][4], "=SUM(A1:A2)");
    assert!(values[2][0].contains("Postinumero: Etunollat lisätty (varoitus)"));

    // Never a formula; the bad cells are filled and carry notes.
    let sheet_xml = zip_part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(!sheet_xml.contains("<f>"), "{sheet_xml}");
    let styles = zip_part(&bytes, "xl/styles.xml");
    assert!(
        styles.contains("FFFFC7CE") && styles.contains("FFFFEB9C"),
        "{styles}"
    );
    let comments = zip_part(&bytes, "xl/comments1.xml");
    assert!(comments.contains("Väärä tarkistusnumero"));
    assert!(comments.contains("Etunollat lisätty"));

    // Imported again as-is: the same mapping, the errors column ignored, the values typed.
    let again = read("virheet.xlsx", bytes);
    assert_eq!(again.layout.header_row, 1);
    check_mapping(
        &again,
        &[
            (FieldKey::Name, 1),
            (FieldKey::BusinessId, 2),
            (FieldKey::PostalCode, 3),
        ],
    );
    assert_eq!(
        again.mapping().columns[0].ignored,
        Some(IgnoreReason::ErrorsColumn)
    );
    assert_eq!(again.rows.len(), 2);
    assert_eq!(again.rows[0].get(4), &text("=SUM(A1:A2)"));
    assert_eq!(again.rows[1].get(1), &CellValue::Number(42.0));
    assert_eq!(again.rows[1].get(3), &CellValue::Number(100.0));
    assert_eq!(
        again.rows[1].get(4),
        &CellValue::Date(NaiveDate::from_ymd_opt(2026, 2, 1).unwrap())
    );
}

#[test]
fn error_workbook_can_hold_every_row_in_english() {
    let table = error_input();
    let issues = vec![issue(3, Some(1), Severity::Error, "Väärä", "Wrong")];
    let options = ErrorWorkbookOptions {
        lang: Lang::En,
        rows: RowSelection::All,
    };
    let bytes = error_workbook_bytes(&table, &issues, &options).unwrap();
    let values = sheet_values(&bytes, "Companies");
    assert_eq!(values.len(), 4);
    assert_eq!(values[0][0], "Import errors");
    assert_eq!(values[1][0], "");
    assert_eq!(values[2][0], "Y-tunnus: Wrong");
    let again = read("errors.xlsx", bytes);
    assert_eq!(again.rows.len(), 3);
}

#[test]
fn error_workbook_speaks_swedish() {
    let table = error_input();
    let issues = vec![
        issue_in(
            3,
            Some(1),
            Severity::Error,
            [
                "Väärä tarkistusnumero",
                "Fel kontrollsiffra",
                "Wrong check digit",
            ],
        ),
        issue_in(
            4,
            Some(2),
            Severity::Warning,
            [
                "Etunollat lisätty",
                "Inledande nollor tillagda",
                "Leading zeros added",
            ],
        ),
    ];
    let options = ErrorWorkbookOptions {
        lang: Lang::Sv,
        rows: RowSelection::All,
    };
    let bytes = error_workbook_bytes(&table, &issues, &options).unwrap();
    let values = sheet_values(&bytes, "Företag");
    assert_eq!(values[0][0], "Importfel");
    assert_eq!(values[2][0], "Y-tunnus: Fel kontrollsiffra");
    assert_eq!(
        values[3][0],
        "Postinumero: Inledande nollor tillagda (varning)"
    );
    let comments = zip_part(&bytes, "xl/comments1.xml");
    assert!(comments.contains("Fel kontrollsiffra"), "{comments}");
    assert!(
        !comments.contains("Wrong") && !comments.contains("Väärä"),
        "{comments}"
    );
    let again = read("fel.xlsx", bytes);
    assert_eq!(
        again.mapping().columns[0].ignored,
        Some(IgnoreReason::ErrorsColumn)
    );
}

/// One error of every variant that can be built here: each message in Finnish, Swedish and
/// English, the Swedish its own text.
#[test]
fn every_error_speaks_finnish_swedish_and_english() {
    let mut errors = vec![
        Error::Io {
            path: "a.xlsx".into(),
            source: std::io::Error::other("denied"),
        },
        Error::EmptyFile {
            file: "a.csv".into(),
        },
        Error::Encrypted {
            file: "a.xlsx".into(),
        },
        Error::Corrupt {
            file: "a.xlsx".into(),
            format: "xlsx",
            reason: "eof".into(),
        },
        Error::TooLarge {
            file: "a.xlsx".into(),
            limit: Limit::Cells,
            max: 10,
            part: Some("sheet1".into()),
        },
        Error::SheetNotFound {
            file: "a.xlsx".into(),
            sheet: "X".into(),
            available: vec!["Taul1".into()],
        },
        Error::NoHeaderRow {
            file: "a.xlsx".into(),
            sheets: vec!["Taul1".into()],
            rows_searched: 20,
        },
        Error::UnknownOverrideHeader {
            header: "X".into(),
            available: vec!["Nimi".into()],
        },
    ];
    for text in ["Nimi", "=name", "Nimi=", "Nimi=kenkä"] {
        errors.push(text.parse::<MappingOverride>().unwrap_err());
    }
    for looks_like in [
        LooksLike::Html,
        LooksLike::Pdf,
        LooksLike::Image,
        LooksLike::PlainText,
        LooksLike::Xml,
        LooksLike::WordDocument,
        LooksLike::Presentation,
        LooksLike::ZipArchive,
        LooksLike::Archive,
        LooksLike::Binary,
        LooksLike::Utf16WithoutBom,
    ] {
        errors.push(Error::NotSpreadsheet {
            file: "a.pdf".into(),
            looks_like,
        });
    }
    for error in &errors {
        let text = error.localized();
        assert_eq!(text.en, error.to_string());
        assert!(!text.fi.is_empty() && !text.sv.is_empty(), "{error:?}");
        assert!(text.sv != text.en && text.sv != text.fi, "{text:?}");
        assert!(
            !text.sv.contains(" no '='") && !text.sv.contains("is empty"),
            "{text:?}"
        );
    }
}

#[test]
fn error_workbook_written_in_chunks_equals_the_whole_table_one() {
    let table = error_input();
    let issues = vec![
        issue(3, Some(1), Severity::Error, "Väärä", "Wrong"),
        issue(4, Some(2), Severity::Warning, "Varoitus", "Warning"),
    ];
    let options = ErrorWorkbookOptions {
        lang: Lang::Fi,
        rows: RowSelection::All,
    };
    let whole = error_workbook_bytes(&table, &issues, &options).unwrap();
    let mut writer =
        tuonti_excel_template::ErrorWorkbookWriter::new(&table.layout, &options).unwrap();
    let mut written = 0;
    for chunk in table.rows.chunks(1) {
        written += writer.write_rows(chunk, &issues).unwrap();
    }
    assert_eq!(written, 3);
    let chunked = writer.finish().unwrap();
    assert_eq!(
        sheet_values(&chunked, "Yritykset"),
        sheet_values(&whole, "Yritykset")
    );
}

// ---------------------------------------------------------------------------------------------
// Inspect

#[test]
fn inspect_reports_format_sheets_columns_samples_and_rows() {
    let mut workbook = XlsxWorkbook::new();
    let hidden = workbook.add_worksheet();
    hidden.set_name("Piilo").unwrap();
    hidden.set_hidden(true);
    let data = workbook.add_worksheet();
    data.set_name("Data").unwrap();
    data.set_active(true);
    write_rows(
        data,
        0,
        &[
            &["Raportti"],
            &["Yritys", "Y-tunnus", "Kenkä"],
            &["A Oy", "0112038-9", "41"],
            &["B Oy", "", "42"],
            &["C Oy", "2", ""],
            &["D Oy", "3", ""],
        ],
    );
    let bytes = workbook.save_to_buffer().unwrap();
    let mut opened = Workbook::from_bytes("a.xlsx", bytes, &ReadLimits::default()).unwrap();
    let inspection = opened.inspect(&ReadOptions::default()).unwrap();
    assert_eq!(inspection.format, FileFormat::Xlsx);
    assert_eq!(inspection.sheet.as_deref(), Some("Data"));
    assert!(inspection.sheets[0].hidden && !inspection.sheets[1].hidden);
    assert_eq!(inspection.header_row, 2);
    assert_eq!(inspection.data_rows, 4);
    assert_eq!(inspection.columns[0].samples, vec!["A Oy", "B Oy", "C Oy"]);
    assert_eq!(inspection.columns[1].samples, vec!["0112038-9", "2", "3"]);
    assert_eq!(inspection.columns[1].letter, "B");
    assert_eq!(inspection.columns[2].field, None);

    let json = serde_json::to_value(&inspection).unwrap();
    for key in [
        "file",
        "format",
        "encoding",
        "delimiter",
        "sheets",
        "sheet",
        "header_row",
        "from_template",
        "columns",
        "data_rows",
    ] {
        assert!(json.get(key).is_some(), "{key} in {json}");
    }
    assert_eq!(json["format"], "xlsx");
    assert_eq!(json["columns"][1]["field"], "business_id");
    assert_eq!(json["columns"][1]["source"], "exact");
    assert_eq!(json["columns"][2]["ignored"]["reason"], "unknown");

    let csv = "Yritys,Y-tunnus\nA Oy,0112038-9\n".as_bytes().to_vec();
    let mut opened = Workbook::from_bytes("a.csv", csv, &ReadLimits::default()).unwrap();
    let json = serde_json::to_value(opened.inspect(&ReadOptions::default()).unwrap()).unwrap();
    assert_eq!(json["format"], "csv");
    assert_eq!(json["encoding"], "utf-8");
    assert_eq!(json["delimiter"], ",");
    assert_eq!(json["data_rows"], 1);
}

// ---------------------------------------------------------------------------------------------
// Fixtures made by LibreOffice (see tests/fixtures/README.md)

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn check_fixture(name: &str, format: FileFormat) {
    let table = read(name, fixture(name));
    assert_eq!(table.format, format, "{name}");
    assert_eq!(table.layout.sheet.as_deref(), Some("Yritykset"), "{name}");
    assert_eq!(table.layout.header_row, 3, "{name}");
    check_mapping(
        &table,
        &[
            (FieldKey::Name, 0),
            (FieldKey::BusinessId, 1),
            (FieldKey::PostalCode, 2),
            (FieldKey::Phone, 4),
        ],
    );
    assert_eq!(table.rows.len(), 2, "{name}: {:?}", table.rows);
    let first = &table.rows[0];
    assert_eq!(first.row, 4);
    assert_eq!(first.get(0), &text("Äänekosken Öljy Oy"));
    assert_eq!(first.get(1), &text("0112038-9"));
    assert_eq!(first.get(2), &CellValue::Number(100.0));
    assert_eq!(
        first.get(3),
        &CellValue::Date(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap())
    );
    assert_eq!(table.rows[1].get(2), &text("00100"));
}

#[test]
fn xls_and_ods_from_libreoffice_read_like_xlsx() {
    check_fixture("companies.xls", FileFormat::Xls);
    check_fixture("companies.ods", FileFormat::Ods);
}

#[test]
fn a_password_protected_xls_from_libreoffice_is_refused_as_encrypted() {
    let err = read_err("salainen.xls", fixture("encrypted.xls"));
    assert!(matches!(err, Error::Encrypted { .. }), "{err}");
}

#[test]
fn error_workbook_notes_stop_after_the_first_rows_but_every_row_keeps_its_message() {
    let n = tuonti_excel_template::NOTED_ROWS + 5;
    let mut csv = String::from("Yritys;Y-tunnus\n");
    for index in 0..n {
        csv.push_str(&format!("Yritys {index} Oy;1234567-0\n"));
    }
    let table = read("paljon.csv", csv.into_bytes());
    let issues: Vec<Issue> = (0..n)
        .map(|index| {
            let mut issue = issue(
                index + 2,
                Some(1),
                Severity::Error,
                &format!("Väärä tarkistusnumero {index}"),
                "Wrong check digit",
            );
            issue.location.sheet = None;
            issue
        })
        .collect();
    let options = ErrorWorkbookOptions {
        lang: Lang::Fi,
        rows: RowSelection::Rejected,
    };
    let bytes = error_workbook_bytes(&table, &issues, &options).unwrap();
    let values = sheet_values(&bytes, "Yritykset");
    assert_eq!(values.len() as u32, n + 1);
    let last = n as usize;
    assert_eq!(
        values[last][0],
        format!("Y-tunnus: Väärä tarkistusnumero {}", n - 1)
    );
    let comments = zip_part(&bytes, "xl/comments1.xml");
    assert_eq!(
        comments.matches("<comment ").count() as u32,
        tuonti_excel_template::NOTED_ROWS
    );
    assert!(comments.contains("Väärä tarkistusnumero 0<"));
    assert!(!comments.contains(&format!("Väärä tarkistusnumero {}<", n - 1)));
    // The cells past the noted rows are still filled.
    let sheet_xml = zip_part(&bytes, "xl/worksheets/sheet1.xml");
    let last_cell = format!("<c r=\"C{}\" s=\"", n + 1);
    let style: String = sheet_xml
        .split(&last_cell)
        .nth(1)
        .unwrap()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let first_cell = "<c r=\"C2\" s=\"";
    let first_style: String = sheet_xml
        .split(first_cell)
        .nth(1)
        .unwrap()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    assert_eq!(style, first_style);
}

/// A few NUL or other control bytes inside cells are data errors, not a binary file: the CSV
/// is read (the validators flag those cells); a large share of them, or UTF-16 without a
/// byte-order mark, is refused saying which.
#[test]
fn stray_control_bytes_in_a_csv_are_cells_not_a_binary_file() {
    let mut text = b"Yritys;Puhelin;Kaupunki\n".to_vec();
    for i in 0..200 {
        text.extend_from_slice(format!("Yritys {i} Oy;040 123 45{i:02};Helsinki\n").as_bytes());
    }
    text.extend_from_slice(b"Nul\x00 Oy;040 1234567;Espoo\nBel Oy;040 12\x0734567;Turku\n");
    let table = read_bytes("ctrl.csv", text, &ReadOptions::default()).unwrap();
    assert_eq!(table.rows.len(), 202);
    let nul = &table.rows[200];
    assert_eq!(nul.get(0), &CellValue::Text("Nul\u{0} Oy".into()));
    assert_eq!(
        table.rows[201].get(1),
        &CellValue::Text("040 12\u{7}34567".into())
    );

    // Small files too: two stray bytes in a hundred.
    let small = b"Yritys;Kaupunki\nNul\x00 Oy;Helsinki\nBel\x07 Oy;Espoo\nHyv\xc3\xa4 Oy;Turku\n";
    assert_eq!(
        read_bytes("small.csv", small.to_vec(), &ReadOptions::default())
            .unwrap()
            .rows
            .len(),
        3
    );

    let utf16: Vec<u8> = "Yritys;Kaupunki\nÄijä Oy;Helsinki\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    assert_eq!(looks_like(&utf16), LooksLike::Utf16WithoutBom);
    let noise: Vec<u8> = (0..4000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    assert_eq!(looks_like(&noise), LooksLike::Binary);
}

/// Inputs the fuzz targets (fuzz/, docs/fuzzing.md) found that made a reader panic: each is
/// refused with an error (calamine's panics are caught and reported as a corrupt file), and
/// reading never panics.
#[test]
fn inputs_the_fuzzers_found_are_refused_without_a_panic() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut seen = 0;
    for entry in std::fs::read_dir(&folder).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        for name in ["fuzz.xlsx", "fuzz.csv"] {
            let outcome = std::panic::catch_unwind(|| {
                read_bytes(name, bytes.clone(), &ReadOptions::default()).map(|t| t.rows.len())
            });
            assert!(outcome.is_ok(), "{} as {name} panicked", path.display());
        }
        seen += 1;
    }
    assert!(seen > 0);
}

/// `companies.xls` with the first record of `kind` (its 4-byte header `kind`, `len`) patched
/// at `at` (bytes after the header) with `value`.
fn patched_xls(header: [u8; 4], at: usize, value: &[u8]) -> Vec<u8> {
    let mut bytes = fixture("companies.xls");
    let start = bytes
        .windows(4)
        .position(|window| window == header)
        .expect("the record is in the fixture")
        + 4
        + at;
    bytes[start..start + value.len()].copy_from_slice(value);
    bytes
}

/// An ods whose sheet has a header, one company, `rows - 3` empty rows and then one value
/// in column `columns`: 1 KB of file that spans `rows` × `columns` cells.
fn spanning_ods(rows: u32, columns: u32) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Yritykset"><table:table-row><table:table-cell office:value-type="string"><text:p>Yritys</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Y-tunnus</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell office:value-type="string"><text:p>Esimerkki Oy</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>0112038-9</text:p></table:table-cell></table:table-row><table:table-row table:number-rows-repeated="{}"><table:table-cell/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="{}"/><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#,
        rows - 3,
        columns - 1
    );
    ods(&content)
}

/// An ods file of `content` (its content.xml), with the mimetype and the manifest calamine
/// looks for.
fn ods(content: &str) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(&mut out));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        writer.start_file("mimetype", stored).unwrap();
        writer
            .write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        for (name, text) in [
            ("content.xml", content),
            (
                "META-INF/manifest.xml",
                r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#,
            ),
        ] {
            writer
                .start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            writer.write_all(text.as_bytes()).unwrap();
        }
        writer.finish().unwrap();
    }
    out
}

/// Public test files of 31–41 KB whose xls sheet declares 65,536 rows × 256 columns took
/// 0.4–1 GB to read (calamine lays out every cell of a sheet's extent): a sheet of xls or
/// ods spanning more than `max_sheet_extent` cells is refused as too large before it is
/// read, whether the xls declares it (DIMENSIONS) or its cells do (a cell far away from the
/// declared range); a sheet of 65,536 × 30 is read (within 300 MB: docs/benchmarks.md).
#[test]
fn an_xls_or_ods_sheet_spanning_millions_of_cells_is_refused_before_it_is_read() {
    let too_large = |err: Error| {
        assert!(
            matches!(
                err,
                Error::TooLarge {
                    limit: Limit::SheetExtent,
                    max: 2_000_000,
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.localized().fi.contains("taulukon laajuus"), "{err}");
        assert!(err.localized().sv.contains("bladets omfång"), "{err}");
    };
    // DIMENSIONS (0x0200, 14 bytes): last row 65,536 (u32 at 4), last column 256 (u16 at 10).
    let mut declared = patched_xls([0x00, 0x02, 0x0E, 0x00], 4, &65_536u32.to_le_bytes());
    let start = declared
        .windows(4)
        .position(|window| window == [0x00, 0x02, 0x0E, 0x00])
        .unwrap()
        + 4;
    declared[start + 10..start + 12].copy_from_slice(&256u16.to_le_bytes());
    too_large(read_err("väittää.xls", declared));
    // A LABELSST cell (0x00FD, 10 bytes) moved to row 65,535, column 255.
    let mut far = patched_xls([0xFD, 0x00, 0x0A, 0x00], 0, &65_535u16.to_le_bytes());
    let start = far
        .windows(4)
        .position(|window| window == [0xFD, 0x00, 0x0A, 0x00])
        .unwrap()
        + 4;
    far[start + 2..start + 4].copy_from_slice(&255u16.to_le_bytes());
    too_large(read_err("kaukana.xls", far));
    too_large(read_err("laaja.ods", spanning_ods(65_536, 256)));

    let table = read("kapea.ods", spanning_ods(65_536, 30));
    assert_eq!(table.rows[0].cells[0], text("Esimerkki Oy"));
    // The unchanged fixture still reads.
    check_fixture("companies.xls", FileFormat::Xls);
}

/// A BIFF12 record (xlsb): its type and length as 7-bit variable-length numbers, then `data`.
fn xlsb_record(kind: u16, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    if kind < 0x80 {
        out.push(kind as u8);
    } else {
        out.extend([(kind & 0x7F) as u8 | 0x80, ((kind >> 7) & 0x7F) as u8]);
    }
    let mut len = data.len();
    loop {
        let byte = (len & 0x7F) as u8;
        len >>= 7;
        if len == 0 {
            out.push(byte);
            break;
        }
        out.push(byte | 0x80);
    }
    out.extend_from_slice(data);
    out
}

/// An XLWideString: its length in UTF-16 units, then UTF-16LE.
fn xlsb_text(text: &str) -> Vec<u8> {
    let units: Vec<u16> = text.encode_utf16().collect();
    let mut out = (units.len() as u32).to_le_bytes().to_vec();
    out.extend(units.iter().flat_map(|unit| unit.to_le_bytes()));
    out
}

/// A 1 KB xlsb whose sheet declares (BrtWsDim) `rows` × `columns` and holds a header and one
/// company: the record layout of MS-XLSB that calamine reads.
fn claiming_xlsb(rows: u32, columns: u32) -> Vec<u8> {
    let mut sheet_entry = vec![0u8; 8];
    sheet_entry.extend(xlsb_text("rId1"));
    sheet_entry.extend(xlsb_text("Yritykset"));
    let workbook: Vec<u8> = [
        xlsb_record(0x0083, &[]),          // BrtBeginBook
        xlsb_record(0x008F, &[]),          // BrtBeginBundleShs
        xlsb_record(0x009C, &sheet_entry), // BrtBundleSh: visible, tab 0, rId1, the name
        xlsb_record(0x0090, &[]),          // BrtEndBundleShs
        xlsb_record(0x0084, &[]),          // BrtEndBook
    ]
    .concat();
    let row = |number: u32| {
        let mut data = number.to_le_bytes().to_vec();
        data.extend([0u8; 13]);
        xlsb_record(0x0000, &data) // BrtRowHdr
    };
    let cell = |column: u32, text: &str| {
        let mut data = column.to_le_bytes().to_vec();
        data.extend([0u8; 4]);
        data.extend(xlsb_text(text));
        xlsb_record(0x0006, &data) // BrtCellSt
    };
    let mut dimension = Vec::new();
    for value in [0, rows - 1, 0, columns - 1] {
        dimension.extend(u32::to_le_bytes(value));
    }
    let sheet: Vec<u8> = [
        xlsb_record(0x0081, &[]),        // BrtBeginSheet
        xlsb_record(0x0094, &dimension), // BrtWsDim
        xlsb_record(0x0091, &[]),        // BrtBeginSheetData
        row(0),
        cell(0, "Yritys"),
        cell(1, "Y-tunnus"),
        row(1),
        cell(0, "Esimerkki Oy"),
        cell(1, "0112038-9"),
        xlsb_record(0x0092, &[]), // BrtEndSheetData
        xlsb_record(0x0082, &[]), // BrtEndSheet
    ]
    .concat();
    let relationships = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.bin"/></Relationships>"#;
    let mut out = Vec::new();
    {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(&mut out));
        let options = zip::write::SimpleFileOptions::default();
        for (name, bytes) in [
            ("xl/workbook.bin", workbook.as_slice()),
            ("xl/_rels/workbook.bin.rels", relationships.as_bytes()),
            ("xl/worksheets/sheet1.bin", sheet.as_slice()),
        ] {
            writer.start_file(name, options).unwrap();
            writer.write_all(bytes).unwrap();
        }
        writer.finish().unwrap();
    }
    out
}

/// An xlsb is read cell by cell (calamine's cells reader), so a 1 KB file whose sheet
/// declares Excel's whole 1,048,576 × 16,384 grid costs what its cells cost: it is read
/// (26 MB for `tuonti inspect`: docs/benchmarks.md).
#[test]
fn an_xlsb_declaring_the_whole_grid_is_read_cell_by_cell() {
    let bytes = claiming_xlsb(1_048_576, 16_384);
    assert!(bytes.len() < 2_000, "{}", bytes.len());
    let table = read("koko.xlsb", bytes);
    assert_eq!(table.rows.len(), 1);
    assert_eq!(table.rows[0].cells[0], text("Esimerkki Oy"));
    assert_eq!(table.rows[0].cells[1], text("0112038-9"));
}
