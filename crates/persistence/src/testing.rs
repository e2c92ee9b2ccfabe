//! Throwaway databases for tests (feature `test-support`).
//!
//! [`TestDatabase::sqlite`] makes a database file in a new temporary folder;
//! [`TestDatabase::postgres_from_env`] makes a fresh schema in the PostgreSQL database named by
//! `TUONTI_TEST_POSTGRES_URL`, so test runs never see each other's data. Both are removed when
//! the value is dropped.
//!
//! [`add_project`] stores one project, with its branch of business, for tests of what refers
//! to projects (users as project managers, branches).

use crate::schema::projects;
use crate::store::with_conn;
use crate::util::now;
use crate::{DatabaseLocation, Store};
use diesel::prelude::*;
use std::path::PathBuf;
#[cfg(feature = "postgres")]
use std::sync::atomic::{AtomicU32, Ordering};
use tuonti_domain::{BranchId, CompanyId, ProjectId, ProjectStatus};

/// The environment variable that names the PostgreSQL server for tests.
pub const POSTGRES_URL_VAR: &str = "TUONTI_TEST_POSTGRES_URL";

#[cfg(feature = "postgres")]
static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A database that exists for one test.
#[derive(Debug)]
pub struct TestDatabase {
    location: DatabaseLocation,
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    /// Removed with its files when dropped.
    Folder(#[allow(dead_code)] tempfile::TempDir),
    #[cfg(feature = "postgres")]
    Schema { base_url: String, schema: String },
}

/// Why a test database could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TestDatabaseError {
    /// The temporary folder could not be made.
    #[error("cannot make a temporary folder: {0}")]
    Io(#[from] std::io::Error),
    /// The PostgreSQL server refused.
    #[error("cannot prepare a PostgreSQL schema: {0}")]
    Postgres(String),
}

impl TestDatabase {
    /// A new SQLite database path `tuonti.db` in a fresh temporary folder (the file itself does
    /// not exist yet).
    ///
    /// # Errors
    ///
    /// [`TestDatabaseError::Io`] when the folder cannot be made.
    pub fn sqlite() -> Result<Self, TestDatabaseError> {
        let folder = tempfile::tempdir()?;
        let path: PathBuf = folder.path().join("tuonti.db");
        Ok(Self {
            location: DatabaseLocation::Sqlite(path),
            cleanup: Cleanup::Folder(folder),
        })
    }

    /// A fresh, empty schema in the PostgreSQL database at `$TUONTI_TEST_POSTGRES_URL`, or
    /// `None` when the variable is not set. The location's URL selects the schema through
    /// `search_path`.
    ///
    /// # Errors
    ///
    /// [`TestDatabaseError::Postgres`] when the server cannot be reached or refuses.
    #[cfg(feature = "postgres")]
    pub fn postgres_from_env() -> Result<Option<Self>, TestDatabaseError> {
        use diesel::connection::SimpleConnection;
        use diesel::{Connection, PgConnection};

        let Ok(base_url) = std::env::var(POSTGRES_URL_VAR) else {
            return Ok(None);
        };
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let schema = format!(
            "tuonti_test_{}_{}_{}",
            std::process::id(),
            nanos,
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let mut conn = PgConnection::establish(&base_url)
            .map_err(|error| TestDatabaseError::Postgres(error.to_string()))?;
        conn.batch_execute(&format!("CREATE SCHEMA {schema}"))
            .map_err(|error| TestDatabaseError::Postgres(error.to_string()))?;
        let separator = if base_url.contains('?') { '&' } else { '?' };
        let url = format!("{base_url}{separator}options=-csearch_path%3D{schema}");
        Ok(Some(Self {
            location: DatabaseLocation::Postgres(url),
            cleanup: Cleanup::Schema { base_url, schema },
        }))
    }

    /// Every backend to test against: SQLite always, PostgreSQL when
    /// `TUONTI_TEST_POSTGRES_URL` is set (and the `postgres` feature is on).
    ///
    /// # Errors
    ///
    /// As [`TestDatabase::sqlite`] and `TestDatabase::postgres_from_env`.
    pub fn all() -> Result<Vec<Self>, TestDatabaseError> {
        #[cfg_attr(not(feature = "postgres"), allow(unused_mut))]
        let mut databases = vec![Self::sqlite()?];
        #[cfg(feature = "postgres")]
        if let Some(postgres) = Self::postgres_from_env()? {
            databases.push(postgres);
        }
        #[cfg(not(feature = "postgres"))]
        if std::env::var_os(POSTGRES_URL_VAR).is_some() {
            // The variable is set but this build cannot use it: say so instead of passing
            // silently on SQLite alone.
            return Err(TestDatabaseError::Postgres(format!(
                "{POSTGRES_URL_VAR} is set but the `postgres` feature is off"
            )));
        }
        Ok(databases)
    }

    /// The location to open.
    pub fn location(&self) -> &DatabaseLocation {
        &self.location
    }

    /// The `--db` value for the CLI: the file path or the URL.
    pub fn url(&self) -> String {
        match &self.location {
            DatabaseLocation::Sqlite(path) => path.display().to_string(),
            DatabaseLocation::Postgres(url) => url.clone(),
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        #[cfg(feature = "postgres")]
        if let Cleanup::Schema { base_url, schema } = &self.cleanup {
            use diesel::connection::SimpleConnection;
            use diesel::{Connection, PgConnection};
            if let Ok(mut conn) = PgConnection::establish(base_url) {
                // Best effort: a schema left behind holds only test data.
                let _ = conn.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
            }
        }
    }
}

/// Adds an active project named `name` to `company`, in `branch` when given.
///
/// # Errors
///
/// [`crate::PersistenceError::Query`] when the database refuses, e.g. for a company or branch
/// that does not exist.
pub fn add_project(
    store: &mut Store,
    company: CompanyId,
    name: &str,
    branch: Option<BranchId>,
) -> crate::Result<ProjectId> {
    let at = now();
    let id: i64 = with_conn!(store, c => diesel::insert_into(projects::table)
        .values((
            projects::company_id.eq(company.0),
            projects::name.eq(name),
            projects::status.eq(ProjectStatus::Active.as_str()),
            projects::created_at.eq(at),
            projects::updated_at.eq(at),
            projects::branch_id.eq(branch.map(|b| b.0)),
        ))
        .returning(projects::id)
        .get_result(c))?;
    Ok(ProjectId(id))
}

/// Fills an empty database with `n_companies` companies and `n_projects` projects for report
/// benchmarks, generated by the database itself (`generate_series` on PostgreSQL, a recursive
/// `WITH` on SQLite) from the users, company types, customer groups and branches it holds
/// (each with ids in one unbroken range, as a fresh database has them): every tenth company
/// without a group, every seventh project without a manager, every fourth without a branch,
/// statuses and start dates in turn over three years, values up to 100,000 €. Then `ANALYZE`.
///
/// # Errors
///
/// [`crate::PersistenceError::Query`] when the database refuses;
/// [`tuonti_domain::DomainError::Refused`] when a kind of reference is missing or its ids
/// have gaps.
pub fn fill_for_reports(store: &mut Store, n_companies: u64, n_projects: u64) -> crate::Result<()> {
    use crate::Backend;
    let range = |ids: Vec<i64>, what: &str| -> crate::Result<(i64, i64)> {
        let (Some(first), Some(last)) = (ids.iter().min(), ids.iter().max()) else {
            return Err(
                tuonti_domain::DomainError::Refused(format!("no {what} to refer to")).into(),
            );
        };
        if last - first + 1 != ids.len() as i64 {
            return Err(tuonti_domain::DomainError::Refused(format!(
                "the ids of {what} have gaps"
            ))
            .into());
        }
        Ok((*first, ids.len() as i64))
    };
    let (user0, n_users) = range(store.users()?.iter().map(|u| u.id.get()).collect(), "users")?;
    let (type0, n_types) = range(
        store
            .company_types(true)?
            .iter()
            .map(|t| t.id.get())
            .collect(),
        "company types",
    )?;
    let (group0, n_groups) = range(
        store
            .customer_groups()?
            .iter()
            .map(|g| g.id.get())
            .collect(),
        "customer groups",
    )?;
    let (branch0, n_branches) = range(
        store.branches()?.iter().map(|b| b.id.get()).collect(),
        "branches",
    )?;
    let at = now().format("%F %T").to_string();
    let postgres = store.backend() == Backend::Postgres;
    let numbers = |n: u64| {
        if postgres {
            format!("generate_series(CAST(1 AS BIGINT), {n}) AS s(i)")
        } else {
            "n".to_owned()
        }
    };
    let with = |n: u64| {
        if postgres {
            String::new()
        } else {
            format!(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n}) "
            )
        }
    };
    let first_company: i64 = {
        let companies = format!(
            "{with}INSERT INTO companies (name, name_key, customer_number, company_type_id, \
             customer_group_id, account_manager_id, created_at, updated_at) \
             SELECT 'Yritys ' || i, 'yritys ' || i, 'C' || i, {type0} + i % {n_types}, \
             CASE WHEN i % 10 = 0 THEN NULL ELSE {group0} + i % {n_groups} END, \
             {user0} + i % {n_users}, '{at}', '{at}' FROM {from}",
            with = with(n_companies),
            from = numbers(n_companies),
        );
        store.exec(&companies)?;
        store
            .companies_by_customer_numbers(&["C1"])?
            .first()
            .map(|company| company.id.get())
            .unwrap_or(1)
    };
    let start = if postgres {
        "DATE '2023-01-01' + CAST((i * 37) % 1095 AS INTEGER)"
    } else {
        "date('2023-01-01', '+' || ((i * 37) % 1095) || ' days')"
    };
    let projects = format!(
        "{with}INSERT INTO projects (company_id, name, project_number, project_manager_id, \
         status, start_date, value_cents, branch_id, created_at, updated_at) \
         SELECT {first_company} + (i * 7919) % {n_companies}, 'Projekti ' || i, 'P' || i, \
         CASE WHEN i % 7 = 0 THEN NULL ELSE {user0} + i % {n_users} END, \
         CASE i % 5 WHEN 0 THEN 'offer' WHEN 1 THEN 'active' WHEN 2 THEN 'on_hold' \
         WHEN 3 THEN 'completed' ELSE 'cancelled' END, \
         CASE WHEN i % 6 = 0 THEN NULL ELSE {start} END, \
         (i * 104729) % 10000000, \
         CASE WHEN i % 4 = 0 THEN NULL ELSE {branch0} + i % {n_branches} END, \
         '{at}', '{at}' FROM {from}",
        with = with(n_projects),
        from = numbers(n_projects),
    );
    store.exec(&projects)?;
    store.exec("ANALYZE")?;
    Ok(())
}
