//! Runnable examples of embedding Tuonti's crates in another Rust service.
//!
//! Run one with `cargo run -p tuonti-examples --example NAME`:
//!
//! - `setup`: open an embedded SQLite database, seed the defaults, add an admin and a customer
//!   group, and read them back, the way a service that owns its users would.
//! - `import_in_memory`: build a workbook in memory, plan the import (a dry run), apply it and
//!   undo it.
//! - `write_sample`: write `data/yritykset.xlsx`, the sample workbook the README imports.
