//! Any table of text cells written as an error workbook and read back: the writer must
//! accept every value (control characters, formula-like text, very long text) and the
//! workbook must open again with the same rows.
#![no_main]

use tuonti_domain::{Issue, IssueCode, LocalizedText, Location};
use tuonti_excel_template::{
    ErrorWorkbookOptions, ReadOptions, RowSelection, Workbook, error_workbook_bytes,
};

mod common;

libfuzzer_sys::fuzz_target!(init: common::let_caught_panics_unwind(), |data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut csv = String::from("Yritys;Puhelin;Sähköposti\n");
    for line in text.lines().take(50) {
        let cells: Vec<String> = line
            .splitn(3, '|')
            .map(|cell| cell.replace(['"', ';', '\r'], " "))
            .collect();
        csv.push_str(&cells.join(";"));
        csv.push('\n');
    }
    let Ok(mut workbook) = Workbook::from_bytes("in.csv", csv.into_bytes(), &common::limits())
    else {
        return;
    };
    let options = ReadOptions {
        limits: common::limits(),
        ..ReadOptions::default()
    };
    let Ok(table) = workbook.read_table(&options) else {
        return;
    };
    let issues: Vec<Issue> = table
        .rows
        .iter()
        .map(|row| {
            Issue::error(
                IssueCode::new("fuzz.issue"),
                LocalizedText::new(text.chars().take(200).collect::<String>(), "fråga", "issue"),
            )
            .at(Location::cell(row.row, 1))
        })
        .collect();
    let written = ErrorWorkbookOptions {
        rows: RowSelection::All,
        ..ErrorWorkbookOptions::default()
    };
    let bytes = error_workbook_bytes(&table, &issues, &written).expect("the error workbook");
    let mut again = Workbook::from_bytes("out.xlsx", bytes, &common::limits())
        .expect("the error workbook opens again");
    let back = again.read_table(&options).expect("its rows");
    assert_eq!(back.rows.len(), table.rows.len());
});
