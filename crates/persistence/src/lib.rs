//! Storage for Tuonti: the only crate that knows diesel and SQL.
//!
//! A [`Store`] is an open database, SQLite (embedded, the default: one file, no setup) or
//! PostgreSQL (with the `postgres` feature: for teams and scale). Both run the same schema from
//! embedded migrations (`migrations/sqlite` and `migrations/postgres`, one version each, kept
//! in step) and answer the same repository API: users, company types, customer groups,
//! branches of business, companies, their contacts and projects, import batches with their
//! journal, mapping profiles, settings, and what the web server keeps (password hashes,
//! sessions, login links, failed logins, import wizards and their jobs). The database enforces
//! uniqueness (user emails, group, branch and profile names in any letter case, type names per
//! language, business IDs, customer numbers, project numbers); a violation comes back as a
//! [`tuonti_domain::DomainError::Conflict`], never as a diesel error.
//!
//! An import writes records in bulk: [`Store::insert_new_companies`],
//! [`Store::insert_new_contacts`] (which returns the new ids in order, so that projects of the
//! same import can refer to new contacts) and [`Store::insert_new_projects`], inside a
//! [`Store::bulk_transaction`]. Every batch keeps a journal of what it did to each kind of
//! record ([`Store::record_changes`], [`Store::batch_changes`], with [`RecordChange`]s), which
//! an undo works from.
//!
//! Every write is a transaction; [`Store::transaction`] groups several into one.
//!
//! # Example
//!
//! ```
//! use tuonti_domain::{NewUser, Role};
//! use tuonti_persistence::{PersistenceError, Store};
//!
//! let mut store = Store::open_in_memory()?;
//! store.seed_default_company_types()?;
//! assert_eq!(store.company_types(false)?.len(), 4);
//!
//! store.add_user(&NewUser::new("Matti Meikäläinen", "matti@example.fi", Role::Admin)?)?;
//! let again = store.add_user(&NewUser::new("Matti", "MATTI@EXAMPLE.FI", Role::Member)?);
//! assert!(matches!(again, Err(PersistenceError::Domain(_))));
//! # Ok::<(), PersistenceError>(())
//! ```
//!
//! # Features
//!
//! - `postgres`: PostgreSQL support through libpq (Debian's `libpq-dev`).
//! - `test-support`: [`testing::TestDatabase`], throwaway SQLite files and PostgreSQL schemas
//!   for tests.

#![warn(missing_docs)]

mod batches;
mod branches;
mod companies;
mod company_types;
mod contacts;
mod customer_groups;
mod error;
mod mapping_profiles;
mod projects;
mod reports;
mod schema;
mod settings;
mod store;
#[cfg(feature = "test-support")]
pub mod testing;
mod users;
mod util;
mod web;
mod wizards;

pub use batches::{NewBatch, RecordChange};
pub use companies::{CompanyCounts, CompanyFilter, CreatedCompanyKeys, NewCompanyRef};
pub use contacts::{ContactFilter, NewContactRef};
pub use error::{PersistenceError, Result};
pub use projects::{NewProjectRef, ProjectFilter};
pub use reports::{
    REPORT_STATUSES, ReportCounts, ReportDimension, ReportFilter, ReportGroup, ReportKey,
    ReportSubject,
};
pub use store::{Backend, DatabaseLocation, OpenOptions, Store};
pub use web::{LoginLink, WebSession};
pub use wizards::{Job, JobEnd, JobKind, JobOutput, JobStatus, Wizard, WizardFile, WizardStatus};

/// How many records refer to a user, type or group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct References {
    /// Companies.
    pub companies: u64,
    /// Projects.
    pub projects: u64,
}

impl References {
    /// Whether nothing refers to it.
    pub fn is_empty(&self) -> bool {
        self.companies == 0 && self.projects == 0
    }
}

/// A slice of a listing in its order: at most `limit` rows after skipping `offset`.
///
/// The listings ([`Store::companies_in`], [`Store::contacts_in`], [`Store::projects_in`]) are
/// ordered totally (the id breaks ties), so consecutive pages neither repeat nor skip a row
/// while nothing is written between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// The most rows to return.
    pub limit: u64,
    /// How many rows to skip first.
    pub offset: u64,
}

impl Page {
    /// `(LIMIT, OFFSET)` as SQL takes them (values past `i64::MAX` are cut to it).
    pub(crate) fn sql(self) -> (i64, i64) {
        let cut = |value: u64| i64::try_from(value).unwrap_or(i64::MAX);
        (cut(self.limit), cut(self.offset))
    }
}
