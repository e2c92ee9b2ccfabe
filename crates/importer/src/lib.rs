//! The use cases of Tuonti, called by both the `tuonti` CLI and the web server.
//!
//! [`setup`] prepares what an import needs, in the order the seed article gives: users first
//! (every account manager is an active user), then company types (the four defaults are seeded
//! by [`setup::init`]), then the optional customer groups and branches of business. Each use
//! case checks its rules and changes the database in one transaction, or not at all; a refusal
//! is an [`Error::Domain`] the user can act on.
//!
//! [`records`] creates companies, contacts and projects from values a service holds in code,
//! checked by the same rules and with the same issue codes as spreadsheet rows (the inputs
//! derive [`validator::Validate`]).
//!
//! [`companies`], [`contacts`] and [`projects`] list the stored records with their references
//! named, filtered by names as users type them, a [`paging::Page`] at a time or all of them,
//! and export them in the template's columns, ready to import again.
//!
//! [`reports`] counts companies and projects and sums the projects' value by customer group,
//! account manager, company type, branch, status and project manager (the database
//! aggregates), and writes the report as JSON, CSV or a workbook with charts.
//!
//! [`template`] fills the import template's dropdowns from the database; [`profiles`] saves a
//! file's column mapping under a name for later files from the same source.
//!
//! This crate owns no file format and no SQL: it works through `tuonti-persistence`'s
//! [`Store`](tuonti_persistence::Store).
//!
//! # Example
//!
//! ```
//! use tuonti_domain::Role;
//! use tuonti_importer::setup;
//! use tuonti_persistence::Store;
//!
//! let mut store = Store::open_in_memory()?;
//! setup::init(&mut store, None)?;
//! setup::add_user(&mut store, "Matti Meikäläinen", "matti@example.fi", Role::Admin)?;
//! setup::add_customer_group(&mut store, "Helsinki")?;
//!
//! // The same group in other letters is refused, with a message in Finnish or English.
//! let error = setup::add_customer_group(&mut store, "helsinki").unwrap_err();
//! assert!(error.is_user_error());
//! # Ok::<(), tuonti_importer::Error>(())
//! ```

#![warn(missing_docs)]

pub mod accounts;
pub mod batches;
pub mod companies;
pub mod contacts;
mod error;
pub mod import;
pub mod manifest;
pub mod paging;
pub mod profiles;
pub mod projects;
pub mod records;
pub mod reports;
pub mod setup;
pub mod template;
mod util;
pub mod wizard;

pub use error::{Error, Result};
