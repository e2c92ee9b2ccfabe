//! `tuonti-load`: Tuonti under load, scaled out.
//!
//! Starts two `tuonti-server` processes on one PostgreSQL database (a fresh schema), lets many
//! signed-in sessions read lists, reports and the import history through the JSON API, each
//! session spread over both servers, while several imports of generated workbooks run through
//! the wizard API at the same time, some of them of the same file. Then it checks the
//! database:
//!
//! - no business ID is stored twice;
//! - every import either succeeded, and its batch is in the history with as many companies
//!   created by it as it says, or was refused with a message (never a server error);
//! - the companies stored are exactly the valid rows of the files whose imports succeeded:
//!   nothing lost, nothing extra.
//!
//! It prints each request kind's count, p50, p95 and largest latency and its errors, and each
//! import's outcome and time. Traffic goes only to 127.0.0.1, bounded in requests per session
//! and in time. See docs/benchmarks.md.
//!
//! ```sh
//! cargo build --release -p tuonti-server -p tuonti-bench
//! TUONTI_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test target/release/tuonti-load
//! ```

use anyhow::{Context, Result, bail};
use bytes::Bytes;
use clap::Parser;
use http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tuonti_bench::generate::{GROUPS, Generator, MANAGERS, Variant};
use tuonti_domain::{BatchStatus, Lang, NewUser, Role};
use tuonti_importer::companies::{self, CompanyQuery};
use tuonti_importer::{accounts, batches, setup};
use tuonti_persistence::testing::{POSTGRES_URL_VAR, TestDatabase};
use tuonti_persistence::{DatabaseLocation, OpenOptions, Store};

#[derive(Debug, Parser)]
#[command(
    name = "tuonti-load",
    about = "Two tuonti-server processes on one PostgreSQL: sessions reading through the API while imports run through the wizard API; checks that nothing is lost or duplicated"
)]
struct Args {
    /// `tuonti-server` processes on the one database.
    #[arg(long, default_value_t = 2)]
    servers: usize,
    /// Concurrent sessions reading lists, reports and history.
    #[arg(long, default_value_t = 50)]
    sessions: usize,
    /// Concurrent imports through the wizard API, each by its own admin.
    #[arg(long, default_value_t = 5)]
    imports: usize,
    /// Data rows in each generated workbook.
    #[arg(long, default_value_t = 10_000)]
    rows: u64,
    /// Different workbooks: import `i` imports workbook `i % files`, so with 5 imports and 3
    /// workbooks two of them are imported twice at the same time.
    #[arg(long, default_value_t = 3)]
    files: usize,
    /// The most requests one reading session makes.
    #[arg(long, default_value_t = 2_000)]
    max_requests: usize,
    /// Seconds the sessions go on reading after the last import ended (the lists are then at
    /// their fullest).
    #[arg(long, default_value_t = 5)]
    read_after: u64,
    /// The longest the run may take, in seconds; reading stops then, and imports still running
    /// are reported as such.
    #[arg(long, default_value_t = 600)]
    max_seconds: u64,
    /// The `tuonti-server` binary; by default the one beside this program.
    #[arg(long)]
    server: Option<PathBuf>,
    /// A PostgreSQL URL of an empty database or schema; by default a fresh schema in the
    /// database of `TUONTI_TEST_POSTGRES_URL`, dropped at the end.
    #[arg(long)]
    db: Option<String>,
    /// Where the workbooks are written (and reused when there).
    #[arg(long, default_value = "/tmp/tuonti-load")]
    folder: PathBuf,
}

const PASSWORD: &str = "kuormitus-salasana-2026";
/// How long one request may take before it counts as an error.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

fn main() -> Result<()> {
    let args = Args::parse();
    if args.servers == 0 || args.files == 0 || args.imports == 0 && args.sessions == 0 {
        bail!("--servers and --files must be at least 1, and there must be imports or sessions");
    }
    let mut holder = None;
    let url = match &args.db {
        Some(url) => url.clone(),
        None => {
            let database = TestDatabase::postgres_from_env()?
                .with_context(|| format!("give --db URL or set {POSTGRES_URL_VAR}"))?;
            let url = database.url();
            holder = Some(database);
            url
        }
    };
    let files = write_workbooks(&args)?;
    let users = prepare_database(&url, &args)?;
    let server = match &args.server {
        Some(path) => path.clone(),
        None => std::env::current_exe()?.with_file_name("tuonti-server"),
    };
    let mut servers = Vec::new();
    for _ in 0..args.servers {
        servers.push(Server::start(&server, &url)?);
    }
    let bases: Vec<String> = servers.iter().map(|server| server.base.clone()).collect();
    println!(
        "servers: {} ({}), database schema fresh, {} sessions, {} imports of {} rows from {} workbooks",
        bases.len(),
        bases.join(", "),
        args.sessions,
        args.imports,
        args.rows,
        args.files
    );

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let outcome = runtime.block_on(drive(&args, &bases, &users, &files))?;
    drop(servers);

    let failures = check(&url, &args, &files, &outcome)?;
    report(&args, &outcome);
    drop(holder);
    if failures.is_empty() {
        println!("\ncheck: ok");
        Ok(())
    } else {
        for failure in &failures {
            println!("check failed: {failure}");
        }
        bail!("{} checks failed", failures.len())
    }
}

/// A generated workbook and the business IDs an import of it creates.
struct Workbook {
    path: PathBuf,
    valid_ids: Vec<String>,
}

/// Workbook `f` holds other companies than workbook `g` (another part of the ID space), with
/// the generator's share of invalid and duplicate rows.
fn write_workbooks(args: &Args) -> Result<Vec<Workbook>> {
    std::fs::create_dir_all(&args.folder)
        .with_context(|| format!("cannot create {}", args.folder.display()))?;
    let mut workbooks = Vec::new();
    for index in 0..args.files {
        let generator = Generator::new(index as u64 + 1, args.rows, Variant::Full)
            .with_id_offset(index as u64 * 1_000_003);
        let path = args
            .folder
            .join(format!("load-{}-{}-{index}.xlsx", args.rows, args.files));
        if !path.exists() {
            let partial = path.with_extension("partial");
            generator.write_xlsx(&partial)?;
            std::fs::rename(&partial, &path)?;
        }
        workbooks.push(Workbook {
            path,
            valid_ids: generator.valid_business_ids(),
        });
    }
    Ok(workbooks)
}

/// Who signs in: an admin per import, and per reading session a user (every fifth an admin,
/// who reads the history too; the others members).
struct Users {
    importers: Vec<String>,
    readers: Vec<(String, Role)>,
}

fn prepare_database(url: &str, args: &Args) -> Result<Users> {
    let mut store = Store::open(&DatabaseLocation::parse(url), OpenOptions { create: true })?;
    let admin = NewUser::new("Kuorma Pääkäyttäjä", "load-admin@example.fi", Role::Admin)?;
    setup::init(&mut store, Some(&admin))?;
    for (name, email) in MANAGERS {
        setup::add_user(&mut store, name, email, Role::Member)?;
    }
    for group in GROUPS {
        setup::add_customer_group(&mut store, group)?;
    }
    let mut users = Users {
        importers: Vec::new(),
        readers: Vec::new(),
    };
    for index in 0..args.imports {
        let email = format!("tuoja{index}@example.fi");
        setup::add_user(&mut store, &format!("Tuoja {index}"), &email, Role::Admin)?;
        users.importers.push(email);
    }
    for index in 0..args.sessions {
        let role = if index % 5 == 0 {
            Role::Admin
        } else {
            Role::Member
        };
        let email = format!("lukija{index}@example.fi");
        setup::add_user(&mut store, &format!("Lukija {index}"), &email, role)?;
        users.readers.push((email, role));
    }
    for email in users
        .importers
        .iter()
        .chain(users.readers.iter().map(|(email, _)| email))
    {
        accounts::set_password(&mut store, email, PASSWORD)?;
    }
    Ok(users)
}

/// A `tuonti-server` child process, stopped when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(binary: &Path, url: &str) -> Result<Self> {
        let mut child = Command::new(binary)
            .args(["--listen", "127.0.0.1:0"])
            .env("TUONTI_DATABASE_URL", url)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| format!("cannot start {}", binary.display()))?;
        let stdout = child.stdout.take().context("no stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let first = lines.next().transpose()?.unwrap_or_default();
        let base = first
            .split(" at ")
            .nth(1)
            .map(|address| address.trim().trim_end_matches('/').to_owned())
            .with_context(|| format!("the server printed {first:?}, not its address"))?;
        std::thread::spawn(move || for _ in lines {});
        Ok(Self { child, base })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP/1.1 client with a session's cookie and CSRF token.
#[derive(Clone)]
struct Http {
    client: Client<HttpConnector, Full<Bytes>>,
}

/// A signed-in session.
struct Session {
    cookie: String,
    csrf: String,
}

/// An answer: status, headers, body.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    /// The error code of an error answer (`{"error": {"code"}}`), else the status.
    fn error(&self) -> String {
        let json = self.json();
        match json["error"]["code"].as_str() {
            Some(code) => format!("{} {code}", self.status.as_u16()),
            None => self.status.as_u16().to_string(),
        }
    }
}

impl Http {
    fn new() -> Self {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        Self {
            client: Client::builder(TokioExecutor::new())
                .pool_max_idle_per_host(64)
                .build(connector),
        }
    }

    async fn send(
        &self,
        method: Method,
        url: &str,
        session: Option<&Session>,
        content_type: Option<&str>,
        body: Bytes,
    ) -> Result<Answer> {
        let mut request = Request::builder().method(method.clone()).uri(url);
        if let Some(session) = session {
            request = request.header(header::COOKIE, &session.cookie);
            if method != Method::GET {
                request = request.header("X-CSRF-Token", &session.csrf);
            }
        }
        if let Some(content_type) = content_type {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        let request = request.body(Full::new(body))?;
        let response = tokio::time::timeout(REQUEST_TIMEOUT, async {
            let response = self.client.request(request).await?;
            let (parts, body) = response.into_parts();
            let body = body.collect().await?.to_bytes();
            anyhow::Ok(Answer {
                status: parts.status,
                headers: parts.headers,
                body,
            })
        })
        .await
        .with_context(|| format!("{method} {url}: no answer in {REQUEST_TIMEOUT:?}"))??;
        Ok(response)
    }

    async fn get(&self, url: &str, session: &Session) -> Result<Answer> {
        self.send(Method::GET, url, Some(session), None, Bytes::new())
            .await
    }

    async fn json(
        &self,
        method: Method,
        url: &str,
        session: Option<&Session>,
        body: &Value,
    ) -> Result<Answer> {
        self.send(
            method,
            url,
            session,
            Some("application/json"),
            Bytes::from(body.to_string()),
        )
        .await
    }

    async fn login(&self, base: &str, email: &str) -> Result<Session> {
        let answer = self
            .json(
                Method::POST,
                &format!("{base}/api/v1/login"),
                None,
                &json!({"email": email, "password": PASSWORD}),
            )
            .await?;
        if !answer.status.is_success() {
            bail!("login of {email} refused: {}", answer.error());
        }
        let cookie = answer
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find_map(|value| {
                value
                    .split(';')
                    .next()
                    .filter(|pair| pair.starts_with("tuonti_session="))
            })
            .context("the login set no session cookie")?
            .to_owned();
        let csrf = answer.json()["csrf_token"]
            .as_str()
            .context("the login gave no csrf_token")?
            .to_owned();
        Ok(Session { cookie, csrf })
    }
}

/// Latencies in milliseconds and errors, per kind of request.
#[derive(Default)]
struct Stats {
    latencies: BTreeMap<&'static str, Vec<f64>>,
    /// Bytes of the answers' bodies.
    bytes: BTreeMap<&'static str, u64>,
    errors: BTreeMap<&'static str, BTreeMap<String, usize>>,
}

impl Stats {
    fn record(&mut self, kind: &'static str, millis: f64, bytes: u64, error: Option<String>) {
        self.latencies.entry(kind).or_default().push(millis);
        *self.bytes.entry(kind).or_default() += bytes;
        if let Some(error) = error {
            *self
                .errors
                .entry(kind)
                .or_default()
                .entry(error)
                .or_default() += 1;
        }
    }
}

/// How one import through the wizard API ended.
#[derive(Debug, Clone)]
enum ImportEnd {
    /// Imported: as a batch, or without one when nothing changed.
    Imported {
        batch: Option<i64>,
        created: u64,
        skipped: u64,
        unchanged: u64,
        rejected: u64,
    },
    /// Refused with a message the user can act on.
    Refused { status: String, message: String },
    /// A server error, an answer that is not the API's, or no end in time.
    Broken(String),
}

struct ImportRun {
    file: usize,
    server: usize,
    seconds: f64,
    end: ImportEnd,
}

struct Outcome {
    stats: Stats,
    imports: Vec<ImportRun>,
    seconds: f64,
    sessions_failed: Vec<String>,
}

async fn drive(
    args: &Args,
    bases: &[String],
    users: &Users,
    files: &[Workbook],
) -> Result<Outcome> {
    let http = Http::new();
    let stats = Arc::new(Mutex::new(Stats::default()));
    let done = Arc::new(AtomicBool::new(false));
    let deadline = Instant::now() + Duration::from_secs(args.max_seconds);
    let started = Instant::now();

    let mut readers = Vec::new();
    for (index, (email, role)) in users.readers.iter().enumerate() {
        let http = http.clone();
        let stats = Arc::clone(&stats);
        let done = Arc::clone(&done);
        let bases = bases.to_vec();
        let email = email.clone();
        let role = *role;
        let max_requests = args.max_requests;
        readers.push(tokio::spawn(async move {
            read(
                http,
                bases,
                index,
                email,
                role,
                max_requests,
                deadline,
                done,
                stats,
            )
            .await
        }));
    }
    let mut imports = Vec::new();
    for (index, email) in users.importers.iter().enumerate() {
        let http = http.clone();
        let server = index % bases.len();
        let base = bases[server].clone();
        let file = index % files.len();
        let path = files[file].path.clone();
        let email = email.clone();
        imports.push(tokio::spawn(async move {
            let started = Instant::now();
            let end = match import(&http, &base, &email, &path, deadline).await {
                Ok(end) => end,
                Err(error) => ImportEnd::Broken(format!("{error:#}")),
            };
            ImportRun {
                file,
                server,
                seconds: started.elapsed().as_secs_f64(),
                end,
            }
        }));
    }
    let mut runs = Vec::new();
    for import in imports {
        runs.push(import.await?);
    }
    tokio::time::sleep(Duration::from_secs(args.read_after)).await;
    done.store(true, Ordering::Relaxed);
    let mut sessions_failed = Vec::new();
    for reader in readers {
        if let Err(error) = reader.await? {
            sessions_failed.push(format!("{error:#}"));
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let stats = std::mem::take(&mut *stats.lock().map_err(|_| anyhow::anyhow!("poisoned"))?);
    Ok(Outcome {
        stats,
        imports: runs,
        seconds,
        sessions_failed,
    })
}

/// The reads of one session: what a member and an admin look at in a working day.
const MEMBER_READS: [(&str, &str); 7] = [
    ("companies of a group", "/api/v1/companies?group=Helsinki"),
    (
        "companies of a manager",
        "/api/v1/companies?manager=liisa@example.fi",
    ),
    // The listings come a page at a time (100 rows, as the pages show them).
    ("companies, a page", "/api/v1/companies?offset=100"),
    (
        "contacts of a manager",
        "/api/v1/contacts?manager=sanna@example.fi",
    ),
    ("projects, a page", "/api/v1/projects?offset=100"),
    ("report by group", "/api/v1/reports/companies?by=group"),
    ("me", "/api/v1/me"),
];
const ADMIN_READS: [(&str, &str); 2] = [("history", "/api/v1/batches"), ("users", "/api/v1/users")];

/// One reading session: signs in on one server, then reads from both in turn, with a short
/// pause between requests, until a while after the imports are done, its request count or
/// the deadline.
#[allow(clippy::too_many_arguments)]
async fn read(
    http: Http,
    bases: Vec<String>,
    index: usize,
    email: String,
    role: Role,
    max_requests: usize,
    deadline: Instant,
    done: Arc<AtomicBool>,
    stats: Arc<Mutex<Stats>>,
) -> Result<()> {
    let login_started = Instant::now();
    let session = http.login(&bases[index % bases.len()], &email).await;
    let millis = login_started.elapsed().as_secs_f64() * 1000.0;
    let session = match session {
        Ok(session) => {
            record(&stats, "login", millis, 0, None);
            session
        }
        Err(error) => {
            record(&stats, "login", millis, 0, Some(format!("{error:#}")));
            return Err(error);
        }
    };
    let mut rng = (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    for request in 0..max_requests {
        if done.load(Ordering::Relaxed) || Instant::now() >= deadline {
            break;
        }
        let base = &bases[(index + request) % bases.len()];
        let roll = next();
        let (kind, path) = if role == Role::Admin && roll % 3 == 0 {
            ADMIN_READS[(roll / 3) as usize % ADMIN_READS.len()]
        } else {
            // The full company list is the heaviest read: one in twenty.
            let pick = (roll % 20) as usize;
            match pick {
                0 => MEMBER_READS[2],
                1..=6 => MEMBER_READS[0],
                7..=10 => MEMBER_READS[1],
                11..=12 => MEMBER_READS[3],
                13..=14 => MEMBER_READS[4],
                15..=16 => MEMBER_READS[5],
                _ => MEMBER_READS[6],
            }
        };
        let started = Instant::now();
        let answer = http.get(&format!("{base}{path}"), &session).await;
        let millis = started.elapsed().as_secs_f64() * 1000.0;
        let (bytes, error) = match answer {
            Ok(answer) if answer.status.is_success() => (answer.body.len() as u64, None),
            Ok(answer) => (answer.body.len() as u64, Some(answer.error())),
            Err(error) => (0, Some(format!("{error:#}"))),
        };
        record(&stats, kind, millis, bytes, error);
        // A person reads what they asked for: 50–250 ms before the next request.
        tokio::time::sleep(Duration::from_millis(50 + next() % 200)).await;
    }
    Ok(())
}

fn record(
    stats: &Mutex<Stats>,
    kind: &'static str,
    millis: f64,
    bytes: u64,
    error: Option<String>,
) {
    if let Ok(mut stats) = stats.lock() {
        stats.record(kind, millis, bytes, error);
    }
}

/// One import through the wizard API, as the pages do it: sign in, upload, choose, import,
/// follow the job.
async fn import(
    http: &Http,
    base: &str,
    email: &str,
    path: &Path,
    deadline: Instant,
) -> Result<ImportEnd> {
    let session = http.login(base, email).await?;
    let wizard = http.get(&format!("{base}/api/v1/wizard"), &session).await?;
    if !wizard.status.is_success() {
        return Ok(ImportEnd::Broken(format!(
            "GET /api/v1/wizard: {}",
            wizard.error()
        )));
    }
    let name = path
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or("load.xlsx");
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let boundary = "tuonti-load-boundary-7f3a9c";
    let mut body = Vec::with_capacity(bytes.len() + 512);
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(&bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let upload = http
        .send(
            Method::POST,
            &format!("{base}/api/v1/wizard/files"),
            Some(&session),
            Some(&format!("multipart/form-data; boundary={boundary}")),
            Bytes::from(body),
        )
        .await?;
    let uploaded = upload.json();
    if !upload.status.is_success() || !uploaded[0]["error"].is_null() {
        return Ok(ImportEnd::Broken(format!(
            "upload: {} {}",
            upload.error(),
            uploaded[0]["error"]
        )));
    }
    let choices = http
        .json(
            Method::PUT,
            &format!("{base}/api/v1/wizard/choices"),
            Some(&session),
            &json!({"company_type": "Asiakas", "account_manager": email,
                    "on_duplicate": "skip", "skip_invalid": true}),
        )
        .await?;
    if !choices.status.is_success() {
        return Ok(ImportEnd::Broken(format!("choices: {}", choices.error())));
    }
    let started = http
        .json(
            Method::POST,
            &format!("{base}/api/v1/wizard/import"),
            Some(&session),
            &json!({}),
        )
        .await?;
    if !started.status.is_success() {
        return Ok(refused_or_broken(&started));
    }
    let job = started.json()["job_id"]
        .as_i64()
        .context("the import gave no job_id")?;
    loop {
        if Instant::now() >= deadline {
            return Ok(ImportEnd::Broken(format!(
                "job {job} still running at the deadline"
            )));
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
        let answer = http
            .get(&format!("{base}/api/v1/jobs/{job}"), &session)
            .await?;
        if !answer.status.is_success() {
            return Ok(ImportEnd::Broken(format!("job {job}: {}", answer.error())));
        }
        let job = answer.json();
        match job["status"].as_str() {
            Some("running") if job["interrupted"] != Value::Bool(true) => continue,
            Some("succeeded") => {
                let result = &job["result"];
                let count = |key: &str| result["counts"][key].as_u64().unwrap_or(0);
                let created = count("created");
                let batch = result["batch_id"].as_i64();
                let applied = result["applied"] == Value::Bool(true);
                return Ok(match batch {
                    _ if applied && (batch.is_some() || created + count("updated") == 0) => {
                        ImportEnd::Imported {
                            batch,
                            created,
                            skipped: count("skipped"),
                            unchanged: count("unchanged"),
                            rejected: count("rejected"),
                        }
                    }
                    _ => ImportEnd::Broken(format!("succeeded without a batch: {result}")),
                });
            }
            _ => {
                let message = job["error"]["en"].as_str().unwrap_or_default().to_owned();
                return Ok(if message.is_empty() || message.contains("internal") {
                    ImportEnd::Broken(format!("job failed: {job}"))
                } else {
                    ImportEnd::Refused {
                        status: "job failed".to_owned(),
                        message,
                    }
                });
            }
        }
    }
}

/// A refusal is a 4xx with the API's error body; anything else is broken.
fn refused_or_broken(answer: &Answer) -> ImportEnd {
    let json = answer.json();
    let message = json["error"]["message_en"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    if answer.status.is_client_error() && !message.is_empty() {
        ImportEnd::Refused {
            status: answer.error(),
            message,
        }
    } else {
        ImportEnd::Broken(format!(
            "{}: {}",
            answer.error(),
            String::from_utf8_lossy(&answer.body)
        ))
    }
}

/// The database after the run: what must hold.
fn check(url: &str, args: &Args, files: &[Workbook], outcome: &Outcome) -> Result<Vec<String>> {
    let mut failures = Vec::new();
    let mut store = Store::open(&DatabaseLocation::parse(url), OpenOptions { create: false })?;
    let stored = companies::list(&mut store, &CompanyQuery::default(), Lang::En)?;
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    let mut created_by: HashMap<i64, u64> = HashMap::new();
    for company in &stored {
        if let Some(id) = company.fields.business_id.as_deref() {
            *by_id.entry(id).or_default() += 1;
        }
        if let Some(batch) = company.created_by_batch {
            *created_by.entry(batch).or_default() += 1;
        }
    }
    let twice: Vec<&str> = by_id
        .iter()
        .filter(|(_, count)| **count > 1)
        .map(|(id, _)| *id)
        .collect();
    if !twice.is_empty() {
        failures.push(format!(
            "{} business IDs are stored more than once, e.g. {:?}",
            twice.len(),
            &twice[..twice.len().min(5)]
        ));
    }
    let mut expected: HashSet<&str> = HashSet::new();
    let mut created = 0;
    for run in &outcome.imports {
        match &run.end {
            ImportEnd::Imported {
                batch,
                created: said,
                ..
            } => {
                expected.extend(files[run.file].valid_ids.iter().map(String::as_str));
                created += said;
                let Some(batch) = batch else { continue };
                let found = created_by.get(batch).copied().unwrap_or(0);
                if found != *said {
                    failures.push(format!(
                        "batch {batch} says it created {said} companies; {found} are stored as created by it"
                    ));
                }
            }
            ImportEnd::Refused { .. } => {}
            ImportEnd::Broken(error) => failures.push(format!(
                "an import of workbook {} neither imported nor was cleanly refused: {error}",
                run.file
            )),
        }
    }
    // The history: a batch for each import that changed something, applied, with its counts;
    // none for a refused import.
    let history = batches::list(&mut store)?;
    let imported: Vec<(i64, u64)> = outcome
        .imports
        .iter()
        .filter_map(|run| match run.end {
            ImportEnd::Imported {
                batch: Some(batch),
                created,
                ..
            } => Some((batch, created)),
            _ => None,
        })
        .collect();
    for (batch, said) in &imported {
        match history.iter().find(|view| view.batch.id.get() == *batch) {
            Some(view) if view.batch.status == BatchStatus::Applied => {
                if view.batch.counts.created != *said {
                    failures.push(format!(
                        "batch {batch} in the history counts {} created; the import said {said}",
                        view.batch.counts.created
                    ));
                }
            }
            Some(view) => failures.push(format!(
                "batch {batch} is {:?} in the history",
                view.batch.status
            )),
            None => failures.push(format!("batch {batch} is not in the history")),
        }
    }
    if history.len() != imported.len() {
        failures.push(format!(
            "the history has {} batches; {} imports changed something",
            history.len(),
            imported.len()
        ));
    }
    let stored_ids: HashSet<&str> = by_id.keys().copied().collect();
    let lost = expected.difference(&stored_ids).count();
    let extra = stored_ids.difference(&expected).count();
    if lost > 0 {
        failures.push(format!(
            "{lost} companies of imported workbooks are not stored"
        ));
    }
    if extra > 0 {
        failures.push(format!(
            "{extra} stored companies are in no imported workbook"
        ));
    }
    if created != stored.len() as u64 {
        failures.push(format!(
            "the imports say they created {created} companies; {} are stored",
            stored.len()
        ));
    }
    if !outcome.sessions_failed.is_empty() {
        failures.push(format!(
            "{} sessions could not sign in: {}",
            outcome.sessions_failed.len(),
            outcome.sessions_failed[0]
        ));
    }
    let errors: usize = outcome
        .stats
        .errors
        .values()
        .flat_map(|errors| errors.values())
        .sum();
    if errors > 0 {
        failures.push(format!("{errors} read requests failed"));
    }
    println!(
        "\nstored: {} companies, {} distinct business IDs; expected {} from the imported workbooks ({} rows each)",
        stored.len(),
        stored_ids.len(),
        expected.len(),
        args.rows
    );
    Ok(failures)
}

fn percentile(sorted: &[f64], share: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((sorted.len() as f64 * share).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn report(args: &Args, outcome: &Outcome) {
    println!("\nimports ({} at once):", args.imports);
    println!("| import | workbook | server | seconds | outcome |");
    println!("|---|---|---|---:|---|");
    for (index, run) in outcome.imports.iter().enumerate() {
        let end = match &run.end {
            ImportEnd::Imported {
                batch,
                created,
                skipped,
                unchanged,
                rejected,
            } => format!(
                "{}: {created} created, {unchanged} unchanged, {skipped} skipped, {rejected} rejected",
                batch.map_or_else(
                    || "no batch (nothing changed)".to_owned(),
                    |batch| format!("batch {batch}")
                )
            ),
            ImportEnd::Refused { status, message } => format!("refused ({status}): {message}"),
            ImportEnd::Broken(error) => format!("BROKEN: {error}"),
        };
        println!(
            "| {index} | {} | {} | {:.1} | {end} |",
            run.file, run.server, run.seconds
        );
    }
    println!(
        "\nreads ({} sessions over {:.1} s):",
        args.sessions, outcome.seconds
    );
    println!("| request | count | p50 ms | p95 ms | max ms | mean KB | errors |");
    println!("|---|---:|---:|---:|---:|---:|---|");
    let mut total = 0;
    for (kind, latencies) in &outcome.stats.latencies {
        let mut sorted = latencies.clone();
        sorted.sort_by(f64::total_cmp);
        total += sorted.len();
        let errors = outcome
            .stats
            .errors
            .get(kind)
            .map(|errors| {
                errors
                    .iter()
                    .map(|(error, count)| format!("{count}× {error}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_else(|| "0".to_owned());
        let bytes = outcome.stats.bytes.get(kind).copied().unwrap_or(0);
        println!(
            "| {kind} | {} | {:.0} | {:.0} | {:.0} | {:.0} | {errors} |",
            sorted.len(),
            percentile(&sorted, 0.50),
            percentile(&sorted, 0.95),
            sorted.last().copied().unwrap_or(0.0),
            bytes as f64 / 1024.0 / sorted.len().max(1) as f64,
        );
    }
    println!(
        "\n{total} requests, {:.0} per second",
        total as f64 / outcome.seconds.max(0.001)
    );
}
