//! Any bytes as a spreadsheet named .xlsx: the format is told from the bytes, so this reaches
//! the zip guard, our own xlsx cell and shared-string reader, calamine's xls/xlsb/ods readers
//! and the CSV reader. Seeds: the test fixtures' workbooks.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(init: common::let_caught_panics_unwind(), |data: &[u8]| {
    common::read_all("fuzz.xlsx", data);
});
