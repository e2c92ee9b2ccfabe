//! Opening a database, running the migrations, and transactions.

use crate::{PersistenceError, Result};
use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::migration::MigrationSource;
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use std::collections::{BTreeSet, HashSet};
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
#[cfg(feature = "postgres")]
const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// The page size of a new SQLite database, in bytes.
const SQLITE_PAGE_SIZE: u32 = 32_768;

/// How long a SQLite connection waits for another writer before it gives up, in milliseconds.
pub(crate) const SQLITE_BUSY_TIMEOUT_MS: u32 = 30_000;

/// The open connection of either backend.
pub(crate) enum Conn {
    Sqlite(SqliteConnection),
    #[cfg(feature = "postgres")]
    Pg(diesel::pg::PgConnection),
}

/// Runs `$body` with `$c` bound to the connection of whichever backend is open. The body is
/// compiled once per backend, so it may use anything both backends support.
macro_rules! with_conn {
    ($store:expr, $c:ident => $body:expr) => {
        match &mut $store.conn {
            $crate::store::Conn::Sqlite($c) => $body,
            #[cfg(feature = "postgres")]
            $crate::store::Conn::Pg($c) => $body,
        }
    };
}
pub(crate) use with_conn;

/// Which database engine a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Backend {
    /// Embedded SQLite (the default).
    Sqlite,
    /// PostgreSQL (feature `postgres`).
    Postgres,
}

/// Where the database is: an SQLite file or a PostgreSQL URL.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseLocation {
    /// An SQLite database file.
    Sqlite(PathBuf),
    /// A `postgres://` or `postgresql://` URL.
    Postgres(String),
}

impl DatabaseLocation {
    /// Reads a `--db` value: a `postgres://` or `postgresql://` URL, a `sqlite://` URL, or a
    /// file path.
    ///
    /// ```
    /// use tuonti_persistence::DatabaseLocation;
    /// assert!(matches!(DatabaseLocation::parse("tuonti.db"), DatabaseLocation::Sqlite(_)));
    /// assert!(matches!(
    ///     DatabaseLocation::parse("postgres://postgres@127.0.0.1/test"),
    ///     DatabaseLocation::Postgres(_)
    /// ));
    /// ```
    pub fn parse(value: &str) -> Self {
        let trimmed = value.trim();
        if trimmed.starts_with("postgres://") || trimmed.starts_with("postgresql://") {
            DatabaseLocation::Postgres(trimmed.to_owned())
        } else if let Some(path) = trimmed.strip_prefix("sqlite://") {
            DatabaseLocation::Sqlite(PathBuf::from(path))
        } else {
            DatabaseLocation::Sqlite(PathBuf::from(trimmed))
        }
    }

    /// The location for messages: the file path, or `host:port/database` of a URL without its
    /// user name and password.
    pub fn display_target(&self) -> String {
        match self {
            DatabaseLocation::Sqlite(path) => path.display().to_string(),
            DatabaseLocation::Postgres(url) => postgres_target(url),
        }
    }
}

impl fmt::Debug for DatabaseLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print a URL's password.
        write!(f, "DatabaseLocation({})", self.display_target())
    }
}

impl fmt::Display for DatabaseLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display_target())
    }
}

/// `host:port/database` of a PostgreSQL URL, without credentials or options.
fn postgres_target(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
    let rest = rest.split('?').next().unwrap_or(rest);
    let (host, database) = rest.split_once('/').unwrap_or((rest, ""));
    let host = if host.is_empty() { "localhost" } else { host };
    let host = if host.contains(':') && !host.starts_with('[') {
        host.to_owned()
    } else {
        format!("{host}:5432")
    };
    if database.is_empty() {
        host
    } else {
        format!("{host}/{database}")
    }
}

/// How [`Store::open`] treats a database that does not exist yet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OpenOptions {
    /// Create the SQLite file, or the schema in an empty PostgreSQL database, when missing.
    /// When false, a missing database is [`PersistenceError::NoDatabase`] or
    /// [`PersistenceError::NoSchema`].
    pub create: bool,
}

/// An open Tuonti database: the repository API of every stored record.
///
/// Opening runs the embedded migrations. Every write is a transaction of its own, or part of
/// the caller's [`Store::transaction`]. A `Store` is one connection: use one per thread.
pub struct Store {
    pub(crate) conn: Conn,
    location: DatabaseLocation,
    /// During a [`Store::bulk_transaction`] on SQLite: the parent rows that the writes to
    /// `companies`, `contacts` and `projects` refer to, checked before the commit.
    pub(crate) unchecked: Option<UncheckedRefs>,
    /// How a large SQLite report is shared between worker connections.
    pub(crate) report_split: crate::reports::ReportSplit,
}

/// The parent rows that company, contact and project writes referred to while SQLite's
/// foreign-key enforcement was off (see [`Store::bulk_transaction`]).
#[derive(Debug, Default)]
pub(crate) struct UncheckedRefs {
    pub(crate) company_types: BTreeSet<i64>,
    pub(crate) customer_groups: BTreeSet<i64>,
    pub(crate) users: BTreeSet<i64>,
    pub(crate) batches: BTreeSet<i64>,
    pub(crate) companies: BTreeSet<i64>,
    pub(crate) contacts: BTreeSet<i64>,
    pub(crate) branches: BTreeSet<i64>,
}

impl UncheckedRefs {
    /// Records the parents of one company row.
    pub(crate) fn company(
        &mut self,
        company_type: i64,
        customer_group: Option<i64>,
        account_manager: i64,
        batches: [Option<i64>; 2],
    ) {
        self.company_types.insert(company_type);
        if let Some(group) = customer_group {
            self.customer_groups.insert(group);
        }
        self.users.insert(account_manager);
        self.batches.extend(batches.into_iter().flatten());
    }

    /// Records the parents of one contact row.
    pub(crate) fn contact(&mut self, company: i64, batches: [Option<i64>; 2]) {
        self.companies.insert(company);
        self.batches.extend(batches.into_iter().flatten());
    }

    /// Records the parents of one project row.
    pub(crate) fn project(
        &mut self,
        company: i64,
        project_manager: Option<i64>,
        contact: Option<i64>,
        branch: Option<i64>,
        batches: [Option<i64>; 2],
    ) {
        self.companies.insert(company);
        self.users.extend(project_manager);
        self.contacts.extend(contact);
        self.branches.extend(branch);
        self.batches.extend(batches.into_iter().flatten());
    }
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend())
            .field("location", &self.location)
            .finish()
    }
}

#[derive(QueryableByName)]
struct NameRow {
    #[diesel(sql_type = Text)]
    name: String,
}

impl Store {
    /// Opens (and with `options.create`, creates) the database at `location` and brings its
    /// schema up to date.
    ///
    /// SQLite files are opened with foreign keys on, WAL journaling and a busy timeout.
    ///
    /// # Errors
    ///
    /// - [`PersistenceError::NoDatabase`] / [`PersistenceError::NoSchema`]: missing and not
    ///   to be created;
    /// - [`PersistenceError::NotADatabase`]: the file is something else (it is not changed);
    /// - [`PersistenceError::ForeignDatabase`]: another application's database;
    /// - [`PersistenceError::NewerSchema`]: migrated by a newer Tuonti (not changed);
    /// - [`PersistenceError::Connect`]: the server cannot be reached;
    /// - [`PersistenceError::BackendNotCompiled`]: a PostgreSQL URL without the `postgres`
    ///   feature;
    /// - [`PersistenceError::Migration`], [`PersistenceError::Io`], [`PersistenceError::Query`].
    pub fn open(location: &DatabaseLocation, options: OpenOptions) -> Result<Store> {
        match location {
            DatabaseLocation::Sqlite(path) => Self::open_sqlite(path, options),
            #[cfg(feature = "postgres")]
            DatabaseLocation::Postgres(url) => Self::open_postgres(url, options),
            #[cfg(not(feature = "postgres"))]
            DatabaseLocation::Postgres(_) => Err(PersistenceError::BackendNotCompiled),
        }
    }

    /// Opens a fresh in-memory SQLite database with the schema, for tests and experiments.
    ///
    /// # Errors
    ///
    /// As [`Store::open`].
    pub fn open_in_memory() -> Result<Store> {
        let location = DatabaseLocation::Sqlite(PathBuf::from(":memory:"));
        let conn =
            SqliteConnection::establish(":memory:").map_err(|error| PersistenceError::Connect {
                target: ":memory:".into(),
                message: one_line(&error.to_string()),
            })?;
        let mut store = Store {
            conn: Conn::Sqlite(conn),
            location,
            unchecked: None,
            report_split: Default::default(),
        };
        store.exec("PRAGMA foreign_keys = ON;")?;
        store.migrate()?;
        Ok(store)
    }

    fn open_sqlite(path: &Path, options: OpenOptions) -> Result<Store> {
        let location = DatabaseLocation::Sqlite(path.to_owned());
        let exists = check_sqlite_file(path)?;
        if !exists && !options.create {
            return Err(PersistenceError::NoDatabase {
                path: path.to_owned(),
            });
        }
        if !exists
            && let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
            && !parent.is_dir()
        {
            return Err(PersistenceError::Io {
                path: parent.to_owned(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "the folder does not exist",
                ),
            });
        }
        let Some(path_text) = path.to_str() else {
            return Err(PersistenceError::Io {
                path: path.to_owned(),
                source: std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "the path is not valid UTF-8",
                ),
            });
        };
        let conn =
            SqliteConnection::establish(path_text).map_err(|error| PersistenceError::Connect {
                target: path.display().to_string(),
                message: one_line(&error.to_string()),
            })?;
        let mut store = Store {
            conn: Conn::Sqlite(conn),
            location,
            unchecked: None,
            report_split: Default::default(),
        };
        // Connection settings only: nothing is written to the file before the schema check.
        store.exec(&format!(
            "PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}; PRAGMA foreign_keys = ON;"
        ))?;
        if !exists {
            // A new database gets 32 KiB pages (SQLite's default is 4 KiB): an import's inserts
            // into the indexes split and balance an eighth as many pages, and a large import
            // runs 20-25 % faster (docs/benchmarks.md: 16 KiB gains less, 64 KiB no more). It
            // must be set before the first table; an existing database keeps the page size it
            // was made with.
            store.exec(&format!("PRAGMA page_size = {SQLITE_PAGE_SIZE};"))?;
        }
        store.check_schema(options)?;
        // A page cache of up to 16 MiB holds the indexes an import of some 100,000 companies
        // inserts into (the default 2 MiB makes every insert a cache miss); a larger import
        // asks for more (`Store::set_page_cache_mib`).
        store.exec(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384; PRAGMA temp_store = MEMORY;",
        )?;
        store.migrate()?;
        Ok(store)
    }

    #[cfg(feature = "postgres")]
    fn open_postgres(url: &str, options: OpenOptions) -> Result<Store> {
        let location = DatabaseLocation::Postgres(url.to_owned());
        let conn = diesel::pg::PgConnection::establish(url).map_err(|error| {
            PersistenceError::Connect {
                target: location.display_target(),
                message: one_line(&error.to_string()),
            }
        })?;
        let mut store = Store {
            conn: Conn::Pg(conn),
            location,
            unchecked: None,
            report_split: Default::default(),
        };
        // Plan every statement for its own parameters: a generic plan made while a table was
        // empty (a sequential scan) would otherwise stay for the rest of a large import, and
        // each batched lookup would scan the whole table.
        store
            .exec("SET client_min_messages = warning; SET plan_cache_mode = force_custom_plan;")?;
        store.check_schema(options)?;
        store.migrate()?;
        Ok(store)
    }

    /// The engine this store talks to.
    pub fn backend(&self) -> Backend {
        match self.conn {
            Conn::Sqlite(_) => Backend::Sqlite,
            #[cfg(feature = "postgres")]
            Conn::Pg(_) => Backend::Postgres,
        }
    }

    /// Where the database is.
    pub fn location(&self) -> &DatabaseLocation {
        &self.location
    }

    pub(crate) fn exec(&mut self, sql: &str) -> Result<()> {
        with_conn!(self, c => c.batch_execute(sql))?;
        Ok(())
    }

    /// Sets the most memory SQLite's page cache of this connection may hold, in MiB (16 when
    /// opened): a large import keeps more of its growing indexes in memory with more. Nothing
    /// on PostgreSQL.
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`] on database failure.
    pub fn set_page_cache_mib(&mut self, mib: u32) -> Result<()> {
        if self.backend() == Backend::Sqlite {
            self.exec(&format!("PRAGMA cache_size = -{};", u64::from(mib) * 1024))?;
        }
        Ok(())
    }

    /// Gives back what memory the connection can: on SQLite the page cache (up to 16 MiB after
    /// a large import; it fills again as queries need it), e.g. before writing a large error
    /// workbook. Nothing on PostgreSQL.
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`] on database failure.
    pub fn release_memory(&mut self) -> Result<()> {
        if self.backend() == Backend::Sqlite {
            self.exec("PRAGMA shrink_memory;")?;
        }
        Ok(())
    }

    /// Runs `write` with PostgreSQL's cached generic plans allowed (`plan_cache_mode = auto`),
    /// then forces custom plans again (see [`Store::open`]). Custom plans keep batched
    /// lookups on their indexes, but re-planning every foreign-key check of every inserted or
    /// updated row more than doubles the time of a large write. SQLite: just `write`.
    ///
    /// A failed `write` returns its own error; inside a transaction the setting is rolled back
    /// with it.
    pub(crate) fn with_generic_plans<T>(
        &mut self,
        write: impl FnOnce(&mut Store) -> Result<T>,
    ) -> Result<T> {
        if self.backend() != Backend::Postgres {
            return write(self);
        }
        self.exec("SET plan_cache_mode = auto")?;
        let result = write(self);
        let reset = self.exec("SET plan_cache_mode = force_custom_plan");
        let value = result?;
        reset?;
        Ok(value)
    }

    fn table_names(&mut self) -> Result<Vec<String>> {
        let rows: Vec<NameRow> = match &mut self.conn {
            Conn::Sqlite(c) => diesel::sql_query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
                 ORDER BY name",
            )
            .load(c)?,
            #[cfg(feature = "postgres")]
            Conn::Pg(c) => diesel::sql_query(
                "SELECT table_name::text AS name FROM information_schema.tables \
                 WHERE table_schema = current_schema() ORDER BY table_name",
            )
            .load(c)?,
        };
        Ok(rows.into_iter().map(|row| row.name).collect())
    }

    /// The schema versions of this build, oldest first.
    fn known_versions(&self) -> Result<Vec<String>> {
        let versions = match self.conn {
            Conn::Sqlite(_) => {
                MigrationSource::<diesel::sqlite::Sqlite>::migrations(&SQLITE_MIGRATIONS)
                    .map(|ms| ms.iter().map(|m| m.name().version().to_string()).collect())
            }
            #[cfg(feature = "postgres")]
            Conn::Pg(_) => MigrationSource::<diesel::pg::Pg>::migrations(&PG_MIGRATIONS)
                .map(|ms| ms.iter().map(|m| m.name().version().to_string()).collect()),
        };
        let mut versions: Vec<String> = versions.map_err(|error| PersistenceError::Migration {
            location: self.location.display_target(),
            message: error.to_string(),
        })?;
        versions.sort();
        Ok(versions)
    }

    /// Refuses, before anything is written, a database that is missing (without `create`),
    /// another application's, or newer than this build.
    fn check_schema(&mut self, options: OpenOptions) -> Result<()> {
        let tables = self.table_names()?;
        let location = self.location.display_target();
        if !tables.iter().any(|t| t == "__diesel_schema_migrations") {
            if !tables.is_empty() {
                return Err(PersistenceError::ForeignDatabase {
                    location,
                    tables: tables
                        .iter()
                        .take(5)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
            if !options.create {
                return match &self.location {
                    DatabaseLocation::Sqlite(path) => {
                        Err(PersistenceError::NoDatabase { path: path.clone() })
                    }
                    DatabaseLocation::Postgres(_) => {
                        Err(PersistenceError::NoSchema { target: location })
                    }
                };
            }
            return Ok(());
        }
        let applied: Vec<NameRow> = with_conn!(self, c => diesel::sql_query(
            "SELECT version AS name FROM __diesel_schema_migrations ORDER BY version"
        )
        .load(c))?;
        let known = self.known_versions()?;
        if let Some(unknown) = applied.iter().rev().find(|row| !known.contains(&row.name)) {
            return Err(PersistenceError::NewerSchema {
                location,
                found: unknown.name.clone(),
                known: known.last().cloned().unwrap_or_default(),
            });
        }
        Ok(())
    }

    fn migrate(&mut self) -> Result<()> {
        let location = self.location.display_target();
        let result = match &mut self.conn {
            Conn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()),
            #[cfg(feature = "postgres")]
            Conn::Pg(c) => c.run_pending_migrations(PG_MIGRATIONS).map(|_| ()),
        };
        result.map_err(|error| PersistenceError::Migration {
            location,
            message: one_line(&error.to_string()),
        })
    }

    /// Runs `work` in one transaction: everything it writes is committed together when it
    /// returns `Ok`, and rolled back when it returns `Err`. Nested calls become savepoints.
    ///
    /// On SQLite the outermost transaction takes the write lock at once (`BEGIN IMMEDIATE`),
    /// so two writers queue up instead of failing half-way.
    ///
    /// # Errors
    ///
    /// The error of `work`, or [`PersistenceError::Query`] when beginning or committing fails
    /// (then nothing was committed).
    ///
    /// ```
    /// use tuonti_domain::{NewUser, Role};
    /// use tuonti_persistence::{PersistenceError, Store};
    ///
    /// let mut store = Store::open_in_memory()?;
    /// let outcome: Result<(), PersistenceError> = store.transaction(|store| {
    ///     store.add_user(&NewUser::new("Matti", "matti@example.fi", Role::Admin)?)?;
    ///     store.add_user(&NewUser::new("Matti 2", "MATTI@example.fi", Role::Member)?)?;
    ///     Ok(())
    /// });
    /// assert!(outcome.is_err());
    /// assert!(store.users()?.is_empty()); // the first insert was rolled back too
    /// # Ok::<(), PersistenceError>(())
    /// ```
    pub fn transaction<T, E>(
        &mut self,
        work: impl FnOnce(&mut Store) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E>
    where
        E: From<PersistenceError>,
    {
        self.begin().map_err(E::from)?;
        match work(self) {
            Ok(value) => match self.commit() {
                Ok(()) => Ok(value),
                Err(error) => {
                    // The commit failed: make sure nothing stays open.
                    let _ = self.rollback();
                    Err(E::from(error))
                }
            },
            Err(error) => {
                // The caller's error is the one to report; a failed rollback closes the
                // connection's transaction state either way.
                let _ = self.rollback();
                Err(error)
            }
        }
    }

    /// [`Store::transaction`] for a large write such as an import. On SQLite the outermost one
    /// runs with foreign-key enforcement off: multi-row inserts into a table with immediate
    /// foreign keys must keep a statement journal (a copy of every page a statement changes,
    /// so that a violation can undo the statement alone), which costs a large import about a
    /// fifth of its insert time. Instead, before the commit, it checks that every company
    /// type, customer group, user, import batch, company and contact that the written
    /// companies, contacts and projects (and the journal) refer to exists, and runs SQLite's
    /// own `foreign_key_check` over the small tables an import writes (batches, their files,
    /// customer groups); a missing parent fails the call and nothing is committed. The
    /// journal's record ids are the records the same transaction wrote. Foreign-key actions
    /// are off with the checks: a company deleted inside it keeps its contacts (delete them
    /// first, or delete in a plain transaction); [`Store::delete_contacts`] clears the
    /// projects' references itself. Enforcement is on again when it returns, however it
    /// returns. Nested calls and PostgreSQL: just [`Store::transaction`].
    ///
    /// # Errors
    ///
    /// As [`Store::transaction`]; [`DomainError::NotFound`](tuonti_domain::DomainError) for
    /// a parent row that does not exist.
    pub fn bulk_transaction<T, E>(
        &mut self,
        work: impl FnOnce(&mut Store) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E>
    where
        E: From<PersistenceError>,
    {
        let outermost_sqlite = match &mut self.conn {
            Conn::Sqlite(c) => !in_transaction(c).map_err(E::from)?,
            #[cfg(feature = "postgres")]
            Conn::Pg(_) => false,
        };
        if !outermost_sqlite {
            return self.transaction(work);
        }
        self.exec("PRAGMA foreign_keys = OFF;").map_err(E::from)?;
        self.unchecked = Some(UncheckedRefs::default());
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.transaction(|store| {
                let value = work(store)?;
                store.check_unchecked_refs().map_err(E::from)?;
                Ok(value)
            })
        }));
        self.unchecked = None;
        let restored = self.exec("PRAGMA foreign_keys = ON;");
        let outcome = outcome.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        restored.map_err(E::from)?;
        outcome
    }

    /// The check before a [`Store::bulk_transaction`] commits.
    fn check_unchecked_refs(&mut self) -> Result<()> {
        use crate::schema::{
            branches, companies, company_types, contacts, customer_groups, import_batches, users,
        };
        use tuonti_domain::{DomainError, Entity};
        let Some(refs) = self.unchecked.take() else {
            return Ok(());
        };
        // PostgreSQL checks its references itself (only SQLite's bulk transactions turn the
        // checks off); without the `postgres` feature, SQLite is the only connection.
        #[allow(irrefutable_let_patterns)]
        let Conn::Sqlite(c) = &mut self.conn else {
            return Ok(());
        };
        let missing = [
            first_missing(&refs.company_types, |chunk| {
                company_types::table
                    .filter(company_types::id.eq_any(chunk))
                    .select(company_types::id)
                    .load(c)
            })?
            .map(|id| (Entity::CompanyType, id)),
            first_missing(&refs.customer_groups, |chunk| {
                customer_groups::table
                    .filter(customer_groups::id.eq_any(chunk))
                    .select(customer_groups::id)
                    .load(c)
            })?
            .map(|id| (Entity::CustomerGroup, id)),
            first_missing(&refs.users, |chunk| {
                users::table
                    .filter(users::id.eq_any(chunk))
                    .select(users::id)
                    .load(c)
            })?
            .map(|id| (Entity::User, id)),
            first_missing(&refs.batches, |chunk| {
                import_batches::table
                    .filter(import_batches::id.eq_any(chunk))
                    .select(import_batches::id)
                    .load(c)
            })?
            .map(|id| (Entity::ImportBatch, id)),
            first_missing(&refs.companies, |chunk| {
                companies::table
                    .filter(companies::id.eq_any(chunk))
                    .select(companies::id)
                    .load(c)
            })?
            .map(|id| (Entity::Company, id)),
            first_missing(&refs.contacts, |chunk| {
                contacts::table
                    .filter(contacts::id.eq_any(chunk))
                    .select(contacts::id)
                    .load(c)
            })?
            .map(|id| (Entity::Contact, id)),
            first_missing(&refs.branches, |chunk| {
                branches::table
                    .filter(branches::id.eq_any(chunk))
                    .select(branches::id)
                    .load(c)
            })?
            .map(|id| (Entity::Branch, id)),
        ];
        if let Some((entity, id)) = missing.into_iter().flatten().next() {
            return Err(DomainError::NotFound {
                entity,
                key: id.to_string(),
            }
            .into());
        }
        for table in ["import_batches", "import_batch_files", "customer_groups"] {
            let violations: Vec<FkViolation> =
                diesel::sql_query(format!("PRAGMA foreign_key_check({table})")).load(c)?;
            if let Some(violation) = violations.first() {
                let message = format!(
                    "FOREIGN KEY constraint failed: row {} of {} refers to a missing row of {}",
                    violation.rowid.unwrap_or_default(),
                    violation.table,
                    violation.parent
                );
                return Err(diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::ForeignKeyViolation,
                    Box::new(message),
                )
                .into());
            }
        }
        Ok(())
    }

    fn begin(&mut self) -> Result<()> {
        match &mut self.conn {
            Conn::Sqlite(c) => {
                if in_transaction(c)? {
                    AnsiTransactionManager::begin_transaction(c)?;
                } else {
                    AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?;
                }
            }
            #[cfg(feature = "postgres")]
            Conn::Pg(c) => AnsiTransactionManager::begin_transaction(c)?,
        }
        Ok(())
    }

    fn commit(&mut self) -> Result<()> {
        with_conn!(self, c => AnsiTransactionManager::commit_transaction(c))?;
        Ok(())
    }

    fn rollback(&mut self) -> Result<()> {
        with_conn!(self, c => AnsiTransactionManager::rollback_transaction(c))?;
        Ok(())
    }
}

/// The first of `wanted` that `load` does not find, looked up in chunks of
/// [`KEYS_PER_LOOKUP`](crate::companies::KEYS_PER_LOOKUP) (a large import refers to more
/// companies than one statement may bind).
fn first_missing(
    wanted: &BTreeSet<i64>,
    mut load: impl FnMut(&[i64]) -> QueryResult<Vec<i64>>,
) -> Result<Option<i64>> {
    let wanted: Vec<i64> = wanted.iter().copied().collect();
    for chunk in wanted.chunks(crate::companies::KEYS_PER_LOOKUP) {
        let found: HashSet<i64> = load(chunk)?.into_iter().collect();
        if let Some(missing) = chunk.iter().find(|id| !found.contains(id)) {
            return Ok(Some(*missing));
        }
    }
    Ok(None)
}

/// A row of `PRAGMA foreign_key_check`.
#[derive(QueryableByName)]
struct FkViolation {
    #[diesel(sql_type = Text)]
    table: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    rowid: Option<i64>,
    #[diesel(sql_type = Text)]
    parent: String,
}

fn in_transaction<C>(conn: &mut C) -> Result<bool>
where
    C: Connection<TransactionManager = AnsiTransactionManager>,
{
    let depth = AnsiTransactionManager::transaction_manager_status_mut(conn).transaction_depth()?;
    Ok(depth.is_some())
}

/// Whether an SQLite database file exists; refuses a file that is not an SQLite database.
fn check_sqlite_file(path: &Path) -> Result<bool> {
    let io_error = |source| PersistenceError::Io {
        path: path.to_owned(),
        source,
    };
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(error) => return Err(io_error(error)),
    };
    let metadata = file.metadata().map_err(io_error)?;
    if metadata.is_dir() {
        return Err(PersistenceError::NotADatabase {
            path: path.to_owned(),
            looks_like: "a folder".into(),
        });
    }
    let mut head = Vec::with_capacity(512);
    file.by_ref()
        .take(512)
        .read_to_end(&mut head)
        .map_err(io_error)?;
    if head.is_empty() {
        // SQLite treats an empty file as a new, empty database.
        return Ok(true);
    }
    if head.starts_with(b"SQLite format 3\0") {
        return Ok(true);
    }
    Err(PersistenceError::NotADatabase {
        path: path.to_owned(),
        looks_like: describe_bytes(&head).into(),
    })
}

/// A short description of what a file's first bytes look like.
fn describe_bytes(head: &[u8]) -> &'static str {
    let lower: Vec<u8> = head
        .iter()
        .skip_while(|b| b.is_ascii_whitespace())
        .take(64)
        .map(u8::to_ascii_lowercase)
        .collect();
    if head.starts_with(b"%PDF") {
        "a PDF document"
    } else if head.starts_with(b"PK\x03\x04") {
        "a zip archive (an xlsx or ods workbook?)"
    } else if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        "an old Office document (xls or doc)"
    } else if lower.starts_with(b"<!doctype html") || lower.starts_with(b"<html") {
        "an HTML page"
    } else if lower.starts_with(b"<?xml") {
        "an XML document"
    } else if head.starts_with(&[0x89, b'P', b'N', b'G']) || head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "an image"
    } else if std::str::from_utf8(head).is_ok_and(|text| !text.contains('\0')) {
        "plain text"
    } else {
        "binary data of an unknown kind"
    }
}

/// The first line of a driver message.
pub(crate) fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .unwrap_or("no details")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_targets_hide_credentials() {
        assert_eq!(
            postgres_target("postgres://user:secret@db.example.fi:5433/tuonti?sslmode=require"),
            "db.example.fi:5433/tuonti"
        );
        assert_eq!(
            postgres_target("postgresql://127.0.0.1/test"),
            "127.0.0.1:5432/test"
        );
        assert_eq!(postgres_target("postgres:///test"), "localhost:5432/test");
    }

    #[test]
    fn describes_common_files() {
        assert_eq!(describe_bytes(b"%PDF-1.7"), "a PDF document");
        assert_eq!(describe_bytes(b"  <!DOCTYPE html><html>"), "an HTML page");
        assert_eq!(describe_bytes(b"Y-tunnus;Yritys\n"), "plain text");
    }
}
