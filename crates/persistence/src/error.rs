//! The persistence error type.

use std::path::PathBuf;
use tuonti_domain::DomainError;

/// Why a storage call failed. Nothing was changed unless the variant says otherwise: every
/// write runs in a transaction that is rolled back on error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PersistenceError {
    /// A rule of the domain refused the change, e.g. a name that is already taken (the
    /// database's unique indexes report as [`DomainError::Conflict`]).
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// The SQLite database file does not exist and the call was not allowed to create it.
    #[error("no Tuonti database at {}; create it with `tuonti init`", path.display())]
    NoDatabase {
        /// The path that was looked at.
        path: PathBuf,
    },
    /// The PostgreSQL database has no Tuonti schema and the call was not allowed to create it.
    #[error("the PostgreSQL database {target} has no Tuonti schema; create it with `tuonti init`")]
    NoSchema {
        /// Host, port and database name.
        target: String,
    },
    /// The file is not an SQLite database. It was not changed.
    #[error("{} is not a Tuonti database: it looks like {looks_like}; the file was not changed", path.display())]
    NotADatabase {
        /// The file.
        path: PathBuf,
        /// What the file's first bytes look like, e.g. `a PDF document`.
        looks_like: String,
    },
    /// The database holds tables of another application and no Tuonti schema. It was not
    /// changed.
    #[error(
        "{location} is a database of another application (tables: {tables}); it was not changed"
    )]
    ForeignDatabase {
        /// The file or server.
        location: String,
        /// Some of its tables.
        tables: String,
    },
    /// The database was migrated by a newer version of Tuonti. It was not changed.
    #[error(
        "{location} was migrated by a newer version of Tuonti (schema version {found}, this \
         version knows up to {known}); upgrade Tuonti. The database was not changed"
    )]
    NewerSchema {
        /// The file or server.
        location: String,
        /// The newest schema version found in the database.
        found: String,
        /// The newest schema version this build knows.
        known: String,
    },
    /// The database server could not be reached or refused the connection.
    #[error("cannot connect to {target}: {message}")]
    Connect {
        /// Host, port and database name, or the file path (never a password).
        target: String,
        /// The driver's explanation, on one line.
        message: String,
    },
    /// This build was compiled without support for the requested backend.
    #[error("this build of Tuonti has no PostgreSQL support; rebuild with the `postgres` feature")]
    BackendNotCompiled,
    /// Running the schema migrations failed; the failed migration was rolled back.
    #[error("migrating the database at {location} failed: {message}")]
    Migration {
        /// The file or server.
        location: String,
        /// What failed.
        message: String,
    },
    /// A stored value could not be read back, e.g. an unknown role name.
    #[error("the database holds an unreadable value in {table}.{column}: {value:?}")]
    Corrupt {
        /// The table.
        table: &'static str,
        /// The column.
        column: &'static str,
        /// The stored value.
        value: String,
    },
    /// Reading the database file failed.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A query failed for a reason not covered above (a lost connection, a full disk).
    #[error("database error: {0}")]
    Query(#[from] diesel::result::Error),
}

impl PersistenceError {
    /// Whether the failure is the user's to fix (their data, arguments or file), as opposed to
    /// an internal, I/O or server failure. The CLI exits 1 for these and 2 for the others.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            PersistenceError::Domain(_)
                | PersistenceError::NoDatabase { .. }
                | PersistenceError::NoSchema { .. }
                | PersistenceError::NotADatabase { .. }
                | PersistenceError::ForeignDatabase { .. }
                | PersistenceError::NewerSchema { .. }
        )
    }
}

/// The result type of this crate.
pub type Result<T, E = PersistenceError> = std::result::Result<T, E>;
