//! Header rows as people write them: any text split into header cells, mapped to every
//! record kind's fields; and a mapping correction (`Header=field`) parsed from any text.
#![no_main]

use tuonti_excel_template::{ColumnMapping, MappingOverride};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let headers: Vec<&str> = text.split(['\t', ';', '\n']).take(200).collect();
    let mapping = ColumnMapping::from_headers(&headers);
    let _ = mapping.to_overrides();
    for line in text.lines().take(20) {
        let _ = line.parse::<MappingOverride>();
    }
});
