//! The server's configuration and shared state: a pool of database connections and the
//! progress of the jobs this process runs. Nothing here is needed by another process: the
//! database holds sessions, wizards, files and jobs.

use crate::error::AppError;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tuonti_persistence::{Backend, DatabaseLocation, OpenOptions, Store};

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The largest uploaded file, in bytes.
    pub max_upload_bytes: u64,
    /// The largest request body (several files at once), in bytes; larger requests are cut off
    /// while they arrive, before they are held in memory.
    pub max_request_bytes: usize,
    /// Mark cookies `Secure` (the server is reached over TLS, e.g. behind a proxy).
    pub secure_cookies: bool,
    /// Limits against hostile files (zip bombs, huge sheets) applied to uploads; the file
    /// size limit is `max_upload_bytes`.
    pub read_limits: tuonti_excel_template::ReadLimits,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            max_upload_bytes: tuonti_importer::wizard::DEFAULT_MAX_UPLOAD_BYTES,
            max_request_bytes: 120 << 20,
            secure_cookies: false,
            read_limits: tuonti_excel_template::ReadLimits::default(),
        }
    }
}

/// Database connections: opened on demand, kept for reuse (a `Store` is one connection).
#[derive(Debug, Clone)]
pub struct Db {
    location: DatabaseLocation,
    idle: Arc<Mutex<Vec<Store>>>,
    backend: Backend,
}

/// Idle connections kept open.
const MAX_IDLE: usize = 8;

impl Db {
    /// Opens the database (creating and migrating it when missing) and keeps the connection.
    ///
    /// # Errors
    ///
    /// The persistence error of [`Store::open`].
    pub fn open(location: DatabaseLocation) -> Result<Self, tuonti_persistence::PersistenceError> {
        let store = Store::open(&location, OpenOptions { create: true })?;
        Ok(Self {
            location,
            backend: store.backend(),
            idle: Arc::new(Mutex::new(vec![store])),
        })
    }

    /// The database engine.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    fn take(&self) -> Result<Store, AppError> {
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        match idle {
            Some(store) => Ok(store),
            None => Ok(Store::open(&self.location, OpenOptions { create: false })
                .map_err(tuonti_importer::Error::from)?),
        }
    }

    fn give_back(&self, store: Store) {
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < MAX_IDLE
        {
            idle.push(store);
        }
    }

    /// Runs blocking database work on a worker thread with a connection of the pool.
    ///
    /// # Errors
    ///
    /// The work's error; [`AppError::Internal`] when the worker thread fails.
    pub async fn run<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T, AppError> + Send + 'static,
    {
        let db = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut store = db.take()?;
            let outcome = work(&mut store);
            // A connection whose work failed on the database may be broken: do not keep it.
            if !matches!(
                &outcome,
                Err(AppError::Importer(tuonti_importer::Error::Persistence(_)))
            ) {
                db.give_back(store);
            }
            outcome
        })
        .await
        .map_err(|error| AppError::Internal(format!("a worker thread failed: {error}")))?
    }

    /// A connection of its own, for a long job on a thread of its own.
    ///
    /// # Errors
    ///
    /// As [`Store::open`].
    pub fn connection(&self) -> Result<Store, AppError> {
        self.take()
    }
}

/// Progress of the jobs this process runs: rows handled per job id. Other processes read a
/// job's progress from the database (on PostgreSQL it is written there as well).
#[derive(Debug, Clone, Default)]
pub struct Progress {
    rows: Arc<Mutex<HashMap<i64, u64>>>,
}

impl Progress {
    /// Records rows handled by a job.
    pub fn set(&self, job_id: i64, rows: u64) {
        if let Ok(mut map) = self.rows.lock() {
            map.insert(job_id, rows);
        }
    }

    /// Rows handled by a job running here.
    pub fn get(&self, job_id: i64) -> Option<u64> {
        self.rows
            .lock()
            .ok()
            .and_then(|map| map.get(&job_id).copied())
    }

    /// Forgets a finished job.
    pub fn remove(&self, job_id: i64) {
        if let Ok(mut map) = self.rows.lock() {
            map.remove(&job_id);
        }
    }
}

/// What every handler can reach.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// The configuration.
    pub config: Arc<Config>,
    /// Jobs running in this process.
    pub progress: Progress,
}

impl AppState {
    /// State over an opened database.
    pub fn new(db: Db, config: Config) -> Self {
        Self {
            db,
            config: Arc::new(config),
            progress: Progress::default(),
        }
    }
}
