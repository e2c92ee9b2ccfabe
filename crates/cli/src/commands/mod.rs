//! The commands' handlers: each reads its arguments, calls the importer crate and prints.

pub mod check;
pub mod profiles;
pub mod setup;
pub mod workbook;
