//! The xlsx cell reader against calamine's (`worksheet_cells_reader` mapped by `cell_value`,
//! the path it replaces) on workbooks written by rust_xlsxwriter and on hand-written ones, and
//! its tokenizer against quick-xml.

// A failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

use super::*;
use crate::Workbook;
use calamine::Reader;
use chrono::{NaiveDate, NaiveDateTime};
use proptest::prelude::*;
use rust_xlsxwriter::{ExcelDateTime as XlsxDateTime, Format, Formula};
use std::io::Write;
use std::sync::Arc;

type Cells = Vec<(u32, u32, CellValue)>;

/// The read sizes every comparison runs with: one byte at a time, a few bytes, and whole.
const READ_CHUNKS: [usize; 4] = [1, 7, 61, usize::MAX];

fn calamine_xlsx(bytes: &[u8]) -> calamine::Xlsx<Cursor<Vec<u8>>> {
    calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap()
}

/// The cells as the calamine path reads them.
fn calamine_cells(bytes: &[u8], sheet: &str) -> std::result::Result<Cells, String> {
    let mut xlsx = calamine_xlsx(bytes);
    let mut reader = xlsx
        .worksheet_cells_reader(sheet)
        .map_err(|err| err.to_string())?;
    let mut cells = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(|err| err.to_string())? {
        let (row, column) = cell.get_position();
        cells.push((row, column, cell_value(cell.get_value().clone())));
    }
    Ok(cells)
}

/// The cells as our reader reads them, taking at most `read_chunk` bytes at once.
fn our_cells(bytes: &[u8], sheet: &str, read_chunk: usize) -> Result<Cells> {
    let is_1904 = calamine_xlsx(bytes).has_1904_epoch();
    let mut reader = XlsxCells::new(
        SharedBytes(Arc::new(bytes.to_vec())),
        FileFormat::Xlsx,
        is_1904,
        &ReadLimits::default(),
    )
    .with_read_chunk(read_chunk);
    let mut cells = Vec::new();
    reader.for_each_cell("test.xlsx", sheet, &mut |row, column, value| {
        cells.push((row, column, value));
        Ok(ControlFlow::Continue(()))
    })?;
    Ok(cells)
}

/// `Number(NaN)` equals itself here.
fn comparable(cells: &Cells) -> Vec<String> {
    cells.iter().map(|cell| format!("{cell:?}")).collect()
}

/// Asserts that our reader yields exactly calamine's cells, or fails where calamine fails,
/// however the XML is cut; the cells.
fn check_same(bytes: &[u8], sheet: &str) -> std::result::Result<Cells, String> {
    let expected = calamine_cells(bytes, sheet);
    for read_chunk in READ_CHUNKS {
        let actual = our_cells(bytes, sheet, read_chunk);
        match (&expected, &actual) {
            (Ok(expected), Ok(actual)) => assert_eq!(
                comparable(actual),
                comparable(expected),
                "sheet {sheet:?}, read {read_chunk} bytes at a time"
            ),
            (Err(_), Err(_)) => {}
            _ => panic!(
                "sheet {sheet:?}, read {read_chunk} bytes at a time: calamine {expected:?}, ours {actual:?}"
            ),
        }
    }
    expected
}

fn text(value: &str) -> CellValue {
    CellValue::Text(value.to_owned())
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn datetime(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> NaiveDateTime {
    date(y, m, d).and_hms_opt(h, min, s).unwrap()
}

/// The value at (row, column), `Empty` where the reader gave none.
fn at(cells: &Cells, row: u32, column: u32) -> CellValue {
    cells
        .iter()
        .rev()
        .find(|(r, c, _)| (*r, *c) == (row, column))
        .map_or(CellValue::Empty, |(_, _, value)| value.clone())
}

// ---------------------------------------------------------------------------------------------
// Workbooks written by rust_xlsxwriter

const TRICKY_TEXTS: &[&str] = &[
    "ä/ö/å ÄÖÅ",
    "emoji 😀 and 👍🏽",
    "  leading spaces",
    "trailing spaces  ",
    "  both  ",
    " ",
    "\ttab",
    "&<>\"'",
    "a &amp; b",
    "_x000D_",
    "a_x000D_b_x005F_c",
    "_x0041_",
    "line 1\nline 2",
    "windows\r\nline",
    "0012345",
    "0112038-9",
    "00100",
    "=1+1",
    "#N/A",
    "TRUE",
    "1e5",
    "-0",
    "\u{a0}nbsp\u{a0}",
    "<is><t>not xml</t></is>",
    "]]>",
    "",
];

fn tricky_workbook(constant_memory: bool) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    let datetime_format = Format::new().set_num_format("d.m.yyyy hh:mm:ss");
    let time_format = Format::new().set_num_format("hh:mm");
    let duration_format = Format::new().set_num_format("[h]:mm:ss");
    let builtin_date = Format::new().set_num_format_index(14);
    let builtin_duration = Format::new().set_num_format_index(46);
    let decimals = Format::new().set_num_format("0.00");
    let text_format = Format::new().set_num_format("@");
    let quoted = Format::new().set_num_format("\"y\"0;\"d\"0");
    let bold = Format::new().set_bold();
    let sheet = if constant_memory {
        workbook.add_worksheet_with_constant_memory().unwrap()
    } else {
        workbook.add_worksheet()
    };
    sheet.set_name("Tricky").unwrap();
    let mut row = 0;
    for (index, value) in TRICKY_TEXTS.iter().enumerate() {
        sheet.write_string(row, 0, *value).unwrap();
        sheet
            .write_string_with_format(row, (index % 5) as u16 + 1, *value, &text_format)
            .unwrap();
        row += 1;
    }
    let numbers = [
        0.0,
        42.0,
        -17.0,
        3.25,
        -0.5,
        1e20,
        1.5e-10,
        123_456_789_012_345.0,
        100.0,
        0.1 + 0.2,
    ];
    for number in numbers {
        sheet.write_number(row, 0, number).unwrap();
        sheet
            .write_number_with_format(row, 1, number, &decimals)
            .unwrap();
        sheet
            .write_number_with_format(row, 2, number, &quoted)
            .unwrap();
        row += 1;
    }
    sheet.write_boolean(row, 0, true).unwrap();
    sheet.write_boolean(row, 1, false).unwrap();
    row += 1;
    let moments = [
        XlsxDateTime::from_ymd(2024, 2, 29).unwrap(),
        XlsxDateTime::from_ymd(1900, 1, 1).unwrap(),
        XlsxDateTime::from_ymd(1999, 12, 31)
            .unwrap()
            .and_hms(23, 59, 59)
            .unwrap(),
        XlsxDateTime::from_ymd(2025, 6, 1)
            .unwrap()
            .and_hms(8, 30, 0)
            .unwrap(),
    ];
    for moment in &moments {
        sheet
            .write_datetime_with_format(row, 0, moment, &date_format)
            .unwrap();
        sheet
            .write_datetime_with_format(row, 1, moment, &datetime_format)
            .unwrap();
        sheet
            .write_datetime_with_format(row, 2, moment, &builtin_date)
            .unwrap();
        row += 1;
    }
    let time = XlsxDateTime::from_hms(13, 45, 30).unwrap();
    sheet
        .write_datetime_with_format(row, 0, &time, &time_format)
        .unwrap();
    sheet
        .write_number_with_format(row, 1, 1.75, &duration_format)
        .unwrap();
    sheet
        .write_number_with_format(row, 2, 30.5, &builtin_duration)
        .unwrap();
    sheet
        .write_number_with_format(row, 3, -1.0, &date_format)
        .unwrap();
    row += 1;
    let formulas = [
        Formula::new("=1+1").set_result("2"),
        Formula::new("=\"a\"&\"b\"").set_result("a & <b>"),
        Formula::new("=1=1").set_result("TRUE"),
        Formula::new("=1=2").set_result("FALSE"),
        Formula::new("=NA()").set_result("#N/A"),
        Formula::new("=1/0").set_result("#DIV/0!"),
        Formula::new("=A1"),
        Formula::new("=\"\"").set_result(""),
        Formula::new("=\"  x  \"").set_result("  x  "),
        Formula::new("=\"_x0041_\"").set_result("_x0041_"),
    ];
    for (column, formula) in formulas.into_iter().enumerate() {
        sheet.write_formula(row, column as u16, formula).unwrap();
    }
    row += 1;
    sheet.write_blank(row, 0, &bold).unwrap();
    sheet
        .write_string_with_format(row, 1, "bold", &bold)
        .unwrap();
    row += 3;
    // Sparse and wide: far apart in both directions, up to Excel's last column.
    for (offset, column) in [0u16, 7, 200, 701, 702, 16_383].into_iter().enumerate() {
        sheet
            .write_string(row, column, format!("wide {column}"))
            .unwrap();
        sheet
            .write_number(row + 1 + offset as u32 * 1000, column, f64::from(column))
            .unwrap();
    }
    row += 10_000;
    let long = "pitkä teksti ".repeat(2000);
    sheet.write_string(row, 3, &long).unwrap();
    if !constant_memory {
        let second = workbook.add_worksheet();
        second.set_name("Toinen & <2>").unwrap();
        second.write_string(0, 0, "toinen").unwrap();
        second.write_string(3, 2, "ä").unwrap();
    }
    workbook.save_to_buffer().unwrap()
}

#[test]
fn a_workbook_with_shared_strings_reads_as_calamine_reads_it() {
    let bytes = tricky_workbook(false);
    assert!(calamine_xlsx(&bytes).worksheet_range("Tricky").is_ok());
    let cells = check_same(&bytes, "Tricky").unwrap();
    assert!(cells.len() > 100, "{} cells", cells.len());
    assert_eq!(at(&cells, 0, 0), text("ä/ö/å ÄÖÅ"));
    assert_eq!(at(&cells, 2, 0), text("  leading spaces"));
    assert_eq!(at(&cells, 9, 0), text("_x000D_"));
    assert_eq!(at(&cells, 14, 0), text("0012345"));
    let second = check_same(&bytes, "Toinen & <2>").unwrap();
    assert_eq!(at(&second, 3, 2), text("ä"));
}

#[test]
fn a_constant_memory_workbook_with_inline_strings_reads_as_calamine_reads_it() {
    let bytes = tricky_workbook(true);
    let part = {
        let mut archive = zip::ZipArchive::new(Cursor::new(&bytes[..])).unwrap();
        let mut text = String::new();
        archive
            .by_name("xl/worksheets/sheet1.xml")
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    assert!(part.contains("t=\"inlineStr\""), "not inline strings");
    let cells = check_same(&bytes, "Tricky").unwrap();
    assert_eq!(at(&cells, 1, 0), text("emoji 😀 and 👍🏽"));
    assert_eq!(at(&cells, 3, 0), text("trailing spaces  "));
    assert_eq!(at(&cells, 7, 0), text("&<>\"'"));
    assert_eq!(at(&cells, 25, 0), CellValue::Empty);
}

#[test]
fn generated_values_have_the_expected_types() {
    let bytes = tricky_workbook(false);
    let cells = check_same(&bytes, "Tricky").unwrap();
    let first_number = TRICKY_TEXTS.len() as u32;
    assert_eq!(at(&cells, first_number + 1, 0), CellValue::Number(42.0));
    assert_eq!(at(&cells, first_number + 2, 0), CellValue::Number(-17.0));
    assert_eq!(at(&cells, first_number + 3, 1), CellValue::Number(3.25));
    let bools = first_number + 10;
    assert_eq!(at(&cells, bools, 0), CellValue::Bool(true));
    assert_eq!(at(&cells, bools, 1), CellValue::Bool(false));
    let dates = bools + 1;
    assert_eq!(at(&cells, dates, 0), CellValue::Date(date(2024, 2, 29)));
    assert_eq!(at(&cells, dates, 2), CellValue::Date(date(2024, 2, 29)));
    assert_eq!(
        at(&cells, dates + 2, 1),
        CellValue::DateTime(datetime(1999, 12, 31, 23, 59, 59))
    );
    let times = dates + 4;
    assert_eq!(
        at(&cells, times, 0),
        CellValue::DateTime(datetime(1899, 12, 31, 13, 45, 30))
    );
    assert_eq!(at(&cells, times, 1), CellValue::Number(1.75));
    assert_eq!(at(&cells, times, 2), CellValue::Number(30.5));
    let formulas = times + 1;
    assert_eq!(at(&cells, formulas, 0), CellValue::Number(2.0));
    assert_eq!(at(&cells, formulas, 1), text("a & <b>"));
    assert_eq!(at(&cells, formulas, 2), CellValue::Bool(true));
    assert_eq!(at(&cells, formulas, 4), CellValue::Error("#N/A".into()));
    assert_eq!(at(&cells, formulas, 5), CellValue::Error("#DIV/0!".into()));
    // A formula without a cached result reads as 0, as in calamine.
    assert_eq!(at(&cells, formulas, 6), CellValue::Number(0.0));
    assert_eq!(at(&cells, formulas, 8), text("  x  "));
    assert_eq!(at(&cells, formulas, 9), text("A"));
    let wide = formulas + 4;
    assert_eq!(at(&cells, wide, 16_383), text("wide 16383"));
}

// ---------------------------------------------------------------------------------------------
// Hand-written workbooks

const MAIN_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// The parts of a workbook with two sheets: `Data` (a relative target) and `Toinen & <2>`
/// (an absolute one), each replaceable.
fn parts(sheet: &str) -> Vec<(String, String)> {
    let part = |name: &str, text: String| (name.to_owned(), text);
    vec![
        part(
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>"#.to_owned(),
        ),
        part(
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_owned(),
        ),
        part(
            "xl/workbook.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><workbookPr/><sheets><sheet name="Data" sheetId="1" r:id="rId1"/><sheet name="Toinen &amp; &lt;2&gt;" sheetId="2" r:id="rId2"/></sheets></workbook>"#
            ),
        ),
        part(
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet2.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#.to_owned(),
        ),
        part(
            "xl/styles.xml",
            format!(
                r#"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{MAIN_NS}"><numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy\-mm\-dd\ hh:mm"/><numFmt numFmtId="165" formatCode="[h]:mm"/><numFmt numFmtId="166" formatCode="&quot;Päivä&quot;\ 0"/></numFmts><cellXfs count="7"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="165" applyNumberFormat="1"/><xf numFmtId="166"/><xf numFmtId="46"/><xf/></cellXfs></styleSheet>"#
            ),
        ),
        part("xl/worksheets/sheet1.xml", worksheet(sheet)),
        part(
            "xl/worksheets/sheet2.xml",
            worksheet(r#"<row r="2"><c r="B2" t="inlineStr"><is><t>toinen</t></is></c></row>"#),
        ),
    ]
}

fn worksheet(rows: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><dimension ref="A1:C3"/><sheetData>{rows}</sheetData><pageMargins left="0.7"/></worksheet>"#
    )
}

fn with_part(mut parts: Vec<(String, String)>, name: &str, text: &str) -> Vec<(String, String)> {
    parts.retain(|(existing, _)| existing != name);
    parts.push((name.to_owned(), text.to_owned()));
    parts
}

fn without_part(mut parts: Vec<(String, String)>, name: &str) -> Vec<(String, String)> {
    parts.retain(|(existing, _)| existing != name);
    parts
}

fn zip(parts: &[(String, String)]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut writer = zip::ZipWriter::new(Cursor::new(&mut out));
        for (name, text) in parts {
            writer
                .start_file(name.as_str(), zip::write::SimpleFileOptions::default())
                .unwrap();
            writer.write_all(text.as_bytes()).unwrap();
        }
        writer.finish().unwrap();
    }
    out
}

fn shared_strings(items: &str) -> String {
    format!(r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN_NS}">{items}</sst>"#)
}

#[test]
fn rich_text_shared_strings_leave_out_phonetic_runs() {
    let strings = shared_strings(concat!(
        "<si><t>plain</t></si>",
        r#"<si><r><rPr><b/></rPr><t>Rich </t></r><r><rPr><i/></rPr><t xml:space="preserve"> text </t></r></si>"#,
        r#"<si><t>漢字</t><rPh sb="0" eb="2"><t>カンジ</t></rPh><phoneticPr fontId="1"/></si>"#,
        r#"<si><r><t>東京</t></r><rPh sb="0" eb="2"><t>トウキョウ</t></rPh></si>"#,
        r#"<si><t xml:space="preserve">  spaced  </t></si>"#,
        "<si><t>\n  trimmed\t</t></si>",
        "<si/>",
        "<si><t></t></si>",
        "<si><t>a&amp;b &#x41;&#66; _x000D_x</t></si>",
    ));
    let rows: String = (0..9)
        .map(|index| {
            format!(
                r#"<row r="{}"><c r="A{0}" t="s"><v>{index}</v></c></row>"#,
                index + 1
            )
        })
        .collect();
    let bytes = zip(&with_part(parts(&rows), "xl/sharedStrings.xml", &strings));
    let cells = check_same(&bytes, "Data").unwrap();
    let values: Vec<CellValue> = cells.into_iter().map(|(_, _, value)| value).collect();
    assert_eq!(
        values,
        [
            text("plain"),
            text("Rich text "),
            text("漢字"),
            text("東京"),
            text("  spaced  "),
            text("trimmed"),
            CellValue::Empty,
            CellValue::Empty,
            text("a&b AB \rx"),
        ]
    );
}

#[test]
fn cells_and_rows_without_r_take_the_next_position() {
    let rows = concat!(
        r#"<row><c t="inlineStr"><is><t>A1</t></is></c><c><v>2</v></c></row>"#,
        r#"<row r="5"><c r="C5"><v>3</v></c><c><v>4</v></c><c r="F5"/><c><v>7</v></c></row>"#,
        r#"<row><c><v>5</v></c></row>"#,
        r#"<row r="9"/><row><c><v>10</v></c></row>"#,
    );
    let bytes = zip(&parts(rows));
    let cells = check_same(&bytes, "Data").unwrap();
    let positions: Vec<(u32, u32)> = cells
        .iter()
        .map(|(row, column, _)| (*row, *column))
        .collect();
    assert_eq!(
        positions,
        [
            (0, 0),
            (0, 1),
            (4, 2),
            (4, 3),
            (4, 5),
            (4, 6),
            (5, 0),
            (9, 0)
        ]
    );
    assert_eq!(at(&cells, 0, 0), text("A1"));
    assert_eq!(at(&cells, 4, 6), CellValue::Number(7.0));
    assert_eq!(at(&cells, 9, 0), CellValue::Number(10.0));
}

#[test]
fn namespace_prefixes_are_read_by_local_name() {
    let sheet = format!(
        r#"<?xml version="1.0"?><x:worksheet xmlns:x="{MAIN_NS}"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>etuliite</x:t></x:is></x:c><x:c r="B1"><x:v>1.5</x:v></x:c><x:c r="C1" t="s"><x:v>0</x:v></x:c><x:c r="D1" s="1"><x:f>TODAY()</x:f><x:v>45000</x:v></x:c></x:row></x:sheetData></x:worksheet>"#
    );
    let strings = format!(
        r#"<x:sst xmlns:x="{MAIN_NS}"><x:si><x:r><x:t>jaettu</x:t></x:r><x:rPh><x:t>ei</x:t></x:rPh></x:si></x:sst>"#
    );
    let parts = with_part(parts(""), "xl/worksheets/sheet1.xml", &sheet);
    let bytes = zip(&with_part(parts, "xl/sharedStrings.xml", &strings));
    let cells = check_same(&bytes, "Data").unwrap();
    assert_eq!(
        cells,
        [
            (0, 0, text("etuliite")),
            (0, 1, CellValue::Number(1.5)),
            (0, 2, text("jaettu")),
            (0, 3, CellValue::Date(date(2023, 3, 15))),
        ]
    );
}

#[test]
fn dates_follow_the_number_formats_and_the_1904_system() {
    let rows = concat!(
        r#"<row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="2"><v>1.5</v></c><c r="C1" s="3"><v>1.25</v></c>"#,
        r#"<c r="D1" s="4"><v>7</v></c><c r="E1" s="5"><v>2.5</v></c><c r="F1" s="6"><v>3</v></c><c r="G1" s="99"><v>4</v></c>"#,
        r#"<c r="H1" s="1" t="n"><v>45351</v></c><c r="I1" t="d"><v>2024-02-29T10:30:00</v></c><c r="J1" t="d"><v>2024-02-29</v></c></row>"#,
    );
    let plain = zip(&parts(rows));
    let cells = check_same(&plain, "Data").unwrap();
    assert_eq!(at(&cells, 0, 0), CellValue::Date(date(1899, 12, 31)));
    assert_eq!(
        at(&cells, 0, 1),
        CellValue::DateTime(datetime(1900, 1, 1, 12, 0, 0))
    );
    assert_eq!(at(&cells, 0, 2), CellValue::Number(1.25));
    assert_eq!(at(&cells, 0, 3), CellValue::Number(7.0));
    assert_eq!(at(&cells, 0, 4), CellValue::Number(2.5));
    assert_eq!(at(&cells, 0, 5), CellValue::Number(3.0));
    assert_eq!(at(&cells, 0, 6), CellValue::Number(4.0));
    assert_eq!(at(&cells, 0, 7), CellValue::Date(date(2024, 2, 29)));
    assert_eq!(
        at(&cells, 0, 8),
        CellValue::DateTime(datetime(2024, 2, 29, 10, 30, 0))
    );
    assert_eq!(at(&cells, 0, 9), CellValue::Date(date(2024, 2, 29)));

    let workbook_1904 = parts(rows)
        .into_iter()
        .map(|(name, text)| {
            let text = text.replace("<workbookPr/>", r#"<workbookPr date1904="1"/>"#);
            (name, text)
        })
        .collect::<Vec<_>>();
    let bytes = zip(&workbook_1904);
    assert!(calamine_xlsx(&bytes).has_1904_epoch());
    let cells = check_same(&bytes, "Data").unwrap();
    assert_eq!(at(&cells, 0, 0), CellValue::Date(date(1904, 1, 1)));
    assert_eq!(
        at(&cells, 0, 1),
        CellValue::DateTime(datetime(1904, 1, 2, 12, 0, 0))
    );
    assert_eq!(at(&cells, 0, 2), CellValue::Number(1.25));
    assert_eq!(at(&cells, 0, 7), CellValue::Date(date(2028, 3, 1)));
}

#[test]
fn entities_cdata_and_excel_escapes_are_decoded() {
    let rows = concat!(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>&lt;tag&gt; &amp; &quot;q&quot; &apos;a&apos; &#228;&#xE4;&#x1F600; _x0041_ _x005F_x0041_ _xD83D__xDE00_ _xD83D_</t></is></c>"#,
        r#"<c r="B1" t="str"><f>"&amp;"</f><v>a &amp; b_x000A_c&#10;d</v></c>"#,
        r#"<c r="C1" t="inlineStr"><is><t><![CDATA[<raw> & ]]>kept</t></is></c>"#,
        "<c r=\"D1\" t=\"inlineStr\"><is><t xml:space=\"preserve\">cr\r\nlf\rcr</t></is></c>",
        "<c r=\"E1\" t=\"str\"><v>x\r\ny</v></c>",
        r#"<c r="F1"><v>12</v></c><c r="G1" t="e"><v>#NAME?</v></c><c r="H1" t="b"><v>true</v></c>"#,
        r#"<c r="I1"><v>not a number</v></c><c r="J1"><v> 7 </v></c><c r="K1" t="s"><v></v></c><c r="L1" t="e"><v></v></c></row>"#,
    );
    let bytes = zip(&parts(rows));
    let cells = check_same(&bytes, "Data").unwrap();
    assert_eq!(
        at(&cells, 0, 0),
        text("<tag> & \"q\" 'a' ää😀 A _x0041_ 😀 \u{FFFD}")
    );
    assert_eq!(at(&cells, 0, 1), text("a & b\nc\nd"));
    assert_eq!(at(&cells, 0, 2), text("<raw> & kept"));
    assert_eq!(at(&cells, 0, 3), text("cr\nlf\ncr"));
    assert_eq!(at(&cells, 0, 4), text("x\ny"));
    assert_eq!(at(&cells, 0, 5), CellValue::Number(12.0));
    assert_eq!(at(&cells, 0, 6), CellValue::Error("#NAME?".into()));
    assert_eq!(at(&cells, 0, 7), CellValue::Bool(true));
    assert_eq!(at(&cells, 0, 8), text("not a number"));
    assert_eq!(at(&cells, 0, 9), text(" 7 "));
    assert_eq!(at(&cells, 0, 10), CellValue::Empty);
    assert_eq!(at(&cells, 0, 11), CellValue::Empty);
}

#[test]
fn the_second_sheet_is_found_through_an_absolute_target() {
    let bytes = zip(&parts(""));
    let cells = check_same(&bytes, "Toinen & <2>").unwrap();
    assert_eq!(cells, [(1, 1, text("toinen"))]);
}

#[test]
fn values_calamine_refuses_are_refused_too() {
    let bad_cells = [
        r#"<c r="A1" t="s"><v>5</v></c>"#,
        r#"<c r="A1" t="n"><v>abc</v></c>"#,
        r#"<c r="A1" t="e"><v>#SPILL!</v></c>"#,
        r#"<c r="A1" t="b"><v>2</v></c>"#,
        r#"<c r="A1" t="x"><v>1</v></c>"#,
        r#"<c r="A1"><x>1</x></c>"#,
        r#"<c r="1A"><v>1</v></c>"#,
        r#"<c r="A0"><v>1</v></c>"#,
        r#"<c r="A1" t="inlineStr"><is><t>&nbsp;</t></is></c>"#,
        r#"<c r="A1" t="inlineStr"><is><t>&#0;</t></is></c>"#,
        r#"<c r="A1" t="inlineStr"><is><t>a & b</t></is></c>"#,
        r#"<c r="A1" s="1><v>1</v></c>"#,
        r#"<c r=A1><v>1</v></c>"#,
        r#"<c r="A1"><v>1</v></c></x></c>"#,
    ];
    for cell in bad_cells {
        let bytes = zip(&parts(&format!(r#"<row r="1">{cell}</row>"#)));
        let ours = our_cells(&bytes, "Data", usize::MAX);
        match ours {
            Err(Error::Corrupt { file, reason, .. }) => {
                assert_eq!(file, "test.xlsx");
                assert!(reason.contains("xl/worksheets/sheet1.xml"), "{reason}");
            }
            other => panic!("{cell}: expected Corrupt, got {other:?}"),
        }
        assert!(check_same(&bytes, "Data").is_err(), "{cell}");
    }
}

#[test]
fn a_truncated_sheet_is_corrupt_and_names_the_file_the_part_and_the_cell() {
    let mut rows = String::from(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Yritys</t></is></c><c r="B1" t="inlineStr"><is><t>Y-tunnus</t></is></c></row>"#,
    );
    for row in 2..200 {
        rows.push_str(&format!(
            r#"<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>Yritys {row} Oy</t></is></c><c r="B{row}" t="inlineStr"><is><t>1234567-8</t></is></c></row>"#
        ));
    }
    let whole = worksheet(&rows);
    // Cut inside a cell's text, and inside the tag of the cell after.
    let in_cell = whole.find(r#"<c r="B150""#).unwrap() + 40;
    let in_tag = whole.find(r#"<c r="B151""#).unwrap() + 12;
    for (cut, cell) in [(in_cell, "in cell B150"), (in_tag, "after cell A151")] {
        let parts = with_part(parts(""), "xl/worksheets/sheet1.xml", &whole[..cut]);
        let bytes = zip(&parts);
        assert!(calamine_cells(&bytes, "Data").is_err());
        let error = crate::read_bytes(
            "katkennut.xlsx",
            bytes.clone(),
            &crate::ReadOptions {
                sheet: Some("Data".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
        match &error {
            Error::Corrupt {
                file,
                format,
                reason,
            } => {
                assert_eq!(file, "katkennut.xlsx");
                assert_eq!(*format, "xlsx");
                assert!(reason.contains("xl/worksheets/sheet1.xml"), "{reason}");
                assert!(reason.contains(cell), "{reason}");
                assert!(reason.contains("ends"), "{reason}");
            }
            other => panic!("expected Corrupt, got {other:?}"),
        }
        assert!(error.to_string().starts_with("katkennut.xlsx: "), "{error}");
        for read_chunk in READ_CHUNKS {
            assert!(matches!(
                our_cells(&bytes, "Data", read_chunk),
                Err(Error::Corrupt { .. })
            ));
        }
    }
}

#[test]
fn a_missing_sheet_part_is_corrupt() {
    let parts = without_part(parts(""), "xl/worksheets/sheet1.xml");
    let bytes = zip(&parts);
    let mut workbook = Workbook::from_bytes("puuttuu.xlsx", bytes, &ReadLimits::default()).unwrap();
    let error = workbook.locate(Some("Data")).unwrap_err();
    match &error {
        Error::Corrupt { file, reason, .. } => {
            assert_eq!(file, "puuttuu.xlsx");
            assert!(reason.contains("xl/worksheets/sheet1.xml"), "{reason}");
            assert!(reason.contains("missing"), "{reason}");
        }
        other => panic!("expected Corrupt, got {other:?}"),
    }
}

#[test]
fn part_names_match_whatever_their_case() {
    let parts: Vec<(String, String)> = parts(r#"<row r="1"><c r="A1"><v>1</v></c></row>"#)
        .into_iter()
        .map(|(name, text)| match name.as_str() {
            "xl/worksheets/sheet1.xml" => ("xl/Worksheets/Sheet1.XML".to_owned(), text),
            _ => (name, text),
        })
        .collect();
    let cells = check_same(&zip(&parts), "Data").unwrap();
    assert_eq!(cells, [(0, 0, CellValue::Number(1.0))]);
}

#[test]
fn a_part_past_the_limit_is_too_large() {
    let rows = r#"<row r="1"><c r="A1"><v>1</v></c></row>"#.repeat(100);
    let bytes = zip(&parts(&rows));
    let limits = ReadLimits {
        max_part_unzipped_bytes: 2000,
        ..ReadLimits::default()
    };
    let mut reader = XlsxCells::new(
        SharedBytes(Arc::new(bytes)),
        FileFormat::Xlsx,
        false,
        &limits,
    );
    let error = reader
        .for_each_cell("iso.xlsx", "Data", &mut |_, _, _| {
            Ok(ControlFlow::Continue(()))
        })
        .unwrap_err();
    match error {
        Error::TooLarge {
            limit: Limit::PartUnzippedBytes,
            max: 2000,
            part,
            ..
        } => assert_eq!(part.as_deref(), Some("xl/worksheets/sheet1.xml")),
        other => panic!("expected TooLarge, got {other:?}"),
    }
}

#[test]
fn the_visitor_stops_the_reading() {
    let rows = r#"<row><c><v>1</v></c></row>"#.repeat(50);
    let bytes = zip(&parts(&rows));
    let mut reader = XlsxCells::new(
        SharedBytes(Arc::new(bytes)),
        FileFormat::Xlsx,
        false,
        &ReadLimits::default(),
    );
    let mut seen = 0;
    reader
        .for_each_cell("a.xlsx", "Data", &mut |_, _, _| {
            seen += 1;
            Ok(if seen == 3 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            })
        })
        .unwrap();
    assert_eq!(seen, 3);
}

// ---------------------------------------------------------------------------------------------
// The tokenizer against quick-xml

/// An event as text, to compare the two tokenizers.
fn quick_xml_events(xml: &[u8]) -> Vec<String> {
    use quick_xml::events::Event as Q;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    let mut events = Vec::new();
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Q::Start(e)) => events.push(format!(
                "S {:?} {:?}",
                e.name().as_ref(),
                e.attributes_raw()
            )),
            Ok(Q::End(e)) => events.push(format!("E {:?}", e.name().as_ref())),
            Ok(Q::Empty(_)) => events.push("empty?".to_owned()),
            Ok(Q::Text(t)) => events.push(format!("T {:?}", t.as_ref() as &str)),
            Ok(Q::GeneralRef(r)) => events.push(format!("R {:?}", r.as_ref() as &str)),
            Ok(Q::CData(c)) => events.push(format!("C {:?}", c.as_ref() as &str)),
            Ok(Q::Comment(_) | Q::PI(_) | Q::Decl(_) | Q::DocType(_)) => events.push("O".into()),
            Ok(Q::Eof) => break,
            Err(_) => {
                events.push("error".into());
                break;
            }
        }
    }
    events
}

fn our_events(xml: &[u8], read_chunk: usize) -> Vec<String> {
    let mut reader = XmlReader::new(xml, u64::MAX, read_chunk);
    let mut events = Vec::new();
    loop {
        let text = |span: Span, reader: &XmlReader<&[u8]>| {
            String::from_utf8(reader.bytes(span).to_vec()).unwrap_or_else(|_| "bad utf-8".into())
        };
        match reader.next() {
            Ok(Event::Start { name, attrs }) => events.push(format!(
                "S {:?} {:?}",
                text(name, &reader),
                text(attrs, &reader)
            )),
            Ok(Event::End { name }) => events.push(format!("E {:?}", text(name, &reader))),
            Ok(Event::Text(span)) => events.push(format!("T {:?}", text(span, &reader))),
            Ok(Event::Ref(span)) => events.push(format!("R {:?}", text(span, &reader))),
            Ok(Event::CData(span)) => events.push(format!("C {:?}", text(span, &reader))),
            Ok(Event::Other) => events.push("O".into()),
            Ok(Event::Eof) => break,
            Err(_) => {
                events.push("error".into());
                break;
            }
        }
    }
    events
}

/// Well-formed pieces of XML that documents are made of here: start tags (+1), end tags
/// (-1), and the rest (0).
const XML_PIECES: &[(&[u8], i8)] = &[
    (b"<a>", 1),
    (b"</a>", -1),
    (b"<x:b k=\"1\" l='2'>", 1),
    (b"</x:b >", -1),
    (b"<c r=\"A1\" t=\"inlineStr\">", 1),
    (b"</c>", -1),
    (b"<t xml:space=\"preserve\">", 1),
    (b"</t>", -1),
    (b"<g\nh='1'\t>", 1),
    (b"</g\n>", -1),
    (b"<e/>", 0),
    (b"<f g=\"a>b\" h='c\"d'/>", 0),
    (b"text", 0),
    (b" ", 0),
    (b"\r\n", 0),
    (b"\r", 0),
    (b"&amp;", 0),
    (b"&#65;", 0),
    (b"&#x1F600;", 0),
    (b"&bogus;", 0),
    (b"<!--comment-->", 0),
    (b"<!---->", 0),
    (b"<!-- a -- b -->", 0),
    (b"<![CDATA[<x>&]]>", 0),
    (b"<![CDATA[]]>", 0),
    (b"<?pi x?>", 0),
    (b"<?xml version=\"1.0\"?>", 0),
    ("äö€😀".as_bytes(), 0),
    (b"]]>", 0),
    (b">", 0),
    (b"\"'", 0),
];

/// Pieces that break a document.
const BROKEN_PIECES: &[&[u8]] = &[
    b"&",
    b"<",
    b"</",
    b"</a>",
    b"<!x>",
    b"<!-x->",
    b"<![CDAT[x]]>",
    b"<a b=\"c>",
    b"\xff",
    b"\xc3",
    b"\xe2\x82",
];

/// Documents of well-formed pieces (end tags only where an element is open), now and then
/// with a broken piece.
fn xml_document() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        30 => (0..XML_PIECES.len()).prop_map(|index| (false, index)),
        1 => (0..BROKEN_PIECES.len()).prop_map(|index| (true, index)),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|pieces| {
        let mut document = Vec::new();
        let mut depth = 0i32;
        for (broken, index) in pieces {
            if broken {
                document.extend_from_slice(BROKEN_PIECES[index]);
                continue;
            }
            let (bytes, change) = XML_PIECES[index];
            if depth + i32::from(change) < 0 {
                continue;
            }
            depth += i32::from(change);
            document.extend_from_slice(bytes);
        }
        document
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn the_tokenizer_cuts_xml_as_quick_xml_does(xml in xml_document(), chunk in 1usize..20) {
        let expected = quick_xml_events(&xml);
        prop_assert_eq!(&our_events(&xml, chunk), &expected, "{:?}", String::from_utf8_lossy(&xml));
        prop_assert_eq!(&our_events(&xml, usize::MAX), &expected);
    }
}

// ---------------------------------------------------------------------------------------------
// Random sheets against calamine

/// A cell's attributes and content.
fn random_cell() -> impl Strategy<Value = String> {
    let reference = prop_oneof![
        Just(String::new()),
        (0u32..30, 1u32..40)
            .prop_map(|(column, row)| format!(r#" r="{}""#, cell_name(row - 1, column))),
    ];
    let style = prop_oneof![
        Just(""),
        Just(r#" s="0""#),
        Just(r#" s="1""#),
        Just(r#" s="2""#),
        Just(r#" s="3""#),
        Just(r#" s="5""#),
        Just(r#" s="9""#),
        Just(r#" s="x""#),
    ];
    // A type and a value that mostly fit it (a misfit makes calamine refuse the whole sheet).
    let misfit = prop_oneof![
        Just(""),
        Just(r#" t="n""#),
        Just(r#" t="s""#),
        Just(r#" t="b""#),
        Just(r#" t="e""#),
        Just(r#" t="str""#),
        Just(r#" t="d""#),
        Just(r#" t="inlineStr""#),
    ];
    let any_value = prop_oneof![
        Just("1"),
        Just("0"),
        Just("2"),
        Just("-2.5"),
        Just("1e3"),
        Just("45351.75"),
        Just("abc"),
        Just(""),
        Just(" 7 "),
        Just("#N/A"),
        Just("true"),
        Just("2024-02-29"),
        Just("2024-02-29T10:00:00"),
        Just("a&amp;b"),
        Just("_x0041_"),
        Just("x\r\ny"),
        Just("nan"),
        Just("inf"),
    ];
    let typed = prop_oneof![
        4 => prop::sample::select(vec!["1", "0", "-2.5", "1e3", "45351.75", "abc", " 7 ", "", "nan", "_x0041_"])
            .prop_map(|v| ("", v)),
        2 => prop::sample::select(vec!["1", "0", "-2.5", "1e3", "45351.75", "", "3.0e-2"])
            .prop_map(|v| (r#" t="n""#, v)),
        2 => prop::sample::select(vec!["0", "1", "2", "", "00"]).prop_map(|v| (r#" t="s""#, v)),
        1 => prop::sample::select(vec!["0", "1", "true", "FALSE", " 1 ", ""])
            .prop_map(|v| (r#" t="b""#, v)),
        1 => prop::sample::select(vec!["#N/A", "#DIV/0!", "#REF!", "#VALUE!", "#NUM!", "#NULL!", "#NAME?", ""])
            .prop_map(|v| (r#" t="e""#, v)),
        2 => prop::sample::select(vec!["abc", "a&amp;b", "_x0041_", "x\r\ny", "  s  ", "", "&#228;"])
            .prop_map(|v| (r#" t="str""#, v)),
        1 => prop::sample::select(vec!["2024-02-29", "2024-02-29T10:00:00", "2024-02-29T00:00:00.000", "12:30:00", "x"])
            .prop_map(|v| (r#" t="d""#, v)),
        2 => any_value.clone().prop_map(|v| (r#" t="inlineStr""#, v)),
        1 => (misfit, any_value).prop_map(|(t, v)| (t, v)),
    ];
    let string = prop_oneof![
        Just("<t>plain</t>"),
        Just("<t>  trim  </t>"),
        Just(r#"<t xml:space="preserve">  keep  </t>"#),
        Just("<r><t>ri</t></r><r><t> ch</t></r>"),
        Just("<t>a</t><rPh><t>b</t></rPh>"),
        Just("<t>&lt;&#228;</t>"),
        Just("<t></t>"),
        Just("<t/>"),
        Just(""),
    ];
    let content = prop_oneof![
        4 => Just("<v>{v}</v>".to_owned()),
        3 => string.prop_map(|s| format!("<is>{s}</is>")),
        1 => Just("<f>A1+1</f><v>{v}</v>".to_owned()),
        1 => Just("<v>{v}</v><f>1</f>".to_owned()),
        1 => Just("<v/>".to_owned()),
        1 => Just("<v></v>".to_owned()),
        1 => Just("<is><t>x</t></is><v>1</v>".to_owned()),
        1 => Just("<!-- c --><v>3</v>".to_owned()),
        1 => Just("<v><!-- c -->3</v>".to_owned()),
        1 => Just("<v>3<!-- c --></v>".to_owned()),
        1 => Just(String::new()),
    ];
    (reference, style, typed, content, any::<bool>()).prop_map(
        |(reference, style, (kind, value), content, prefix)| {
            let (open, close) = if prefix { ("x:", "x:") } else { ("", "") };
            let content = content.replace("{v}", value);
            let content = if prefix {
                content.replace("<v", "<x:v").replace("</v", "</x:v")
            } else {
                content
            };
            if content.is_empty() {
                format!("<{open}c{reference}{style}{kind}/>")
            } else {
                format!("<{open}c{reference}{style}{kind}>{content}</{close}c>")
            }
        },
    )
}

fn random_rows() -> impl Strategy<Value = String> {
    let row = (
        prop_oneof![
            Just(String::new()),
            (1u32..40).prop_map(|r| format!(r#" r="{r}""#))
        ],
        prop::collection::vec(random_cell(), 0..6),
        any::<bool>(),
    )
        .prop_map(|(reference, cells, spaced)| {
            let separator = if spaced { "\n  " } else { "" };
            format!("<row{reference}>{separator}{}</row>", cells.join(separator))
        });
    prop::collection::vec(row, 0..8).prop_map(|rows| rows.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_sheets_read_as_calamine_reads_them(rows in random_rows()) {
        let sheet = format!(
            r#"<?xml version="1.0"?><worksheet xmlns="{MAIN_NS}" xmlns:x="{MAIN_NS}"><sheetData>{rows}</sheetData></worksheet>"#
        );
        let strings = shared_strings("<si><t>nolla</t></si><si><t> yksi </t></si><si><r><t>kaksi</t></r></si>");
        let parts = with_part(parts(""), "xl/worksheets/sheet1.xml", &sheet);
        let bytes = zip(&with_part(parts, "xl/sharedStrings.xml", &strings));
        let expected = std::panic::catch_unwind(|| calamine_cells(&bytes, "Data"));
        // calamine's debug build panics on some overflows; those cases say nothing.
        prop_assume!(expected.is_ok());
        check_same(&bytes, "Data").ok();
    }
}
