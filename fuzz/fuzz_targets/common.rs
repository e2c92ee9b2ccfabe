//! What every reader target shares: small limits, so that the limits themselves are what a
//! hostile input meets (a zip bomb is refused at 64 MiB, not at the default 2 GiB), and a
//! full read of every sheet of records.

use std::ops::ControlFlow;
use tuonti_excel_template::{ReadLimits, Workbook};

/// Lets a panic unwind instead of aborting at once, so that the readers' own `catch_unwind`
/// around calamine (which reports its panics as a corrupt file) is what the fuzzer tests; a
/// panic that reaches the fuzz target still aborts (libfuzzer-sys catches it and aborts),
/// and is still printed.
pub fn let_caught_panics_unwind() {
    std::panic::set_hook(Box::new(|info| eprintln!("{info}")));
}

#[allow(dead_code)]
pub fn limits() -> ReadLimits {
    ReadLimits {
        max_file_bytes: 16 << 20,
        max_total_unzipped_bytes: 64 << 20,
        max_part_unzipped_bytes: 32 << 20,
        max_zip_entries: 1_000,
        max_cells: 200_000,
        max_sheet_extent: 200_000,
        max_columns: 1_000,
    }
}

/// Opens `bytes` as `name` and reads every row of every sheet of records it finds; errors
/// are fine, panics and hangs are not.
#[allow(dead_code)] // not every target reads files
pub fn read_all(name: &str, bytes: &[u8]) {
    let Ok(mut workbook) = Workbook::from_bytes(name, bytes.to_vec(), &limits()) else {
        return;
    };
    let Ok(layouts) = workbook.locate_all(None, &[]) else {
        return;
    };
    for layout in layouts {
        let mut rows = 0u64;
        let _ = workbook.for_each_chunk(&layout, 100, |chunk| {
            rows += chunk.len() as u64;
            ControlFlow::Continue(())
        });
    }
}
