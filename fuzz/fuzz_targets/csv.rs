//! Any bytes as a CSV file: encoding detection (UTF-8, BOMs, UTF-16, Windows-1252), the
//! binary-data guard, delimiter sniffing, header detection and mapping, the rows.
#![no_main]

mod common;

libfuzzer_sys::fuzz_target!(init: common::let_caught_panics_unwind(), |data: &[u8]| {
    common::read_all("fuzz.csv", data);
});
