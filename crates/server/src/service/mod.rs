//! The handler layer shared by the pages and the JSON API: each operation checks who may do
//! it, runs the importer's use case on a worker thread with a pooled connection, and returns
//! typed values that a page renders as HTML and the API as JSON.

pub mod accounts;
pub mod data;
pub mod listings;
pub mod reports;
pub mod setup;
pub mod wizard;
