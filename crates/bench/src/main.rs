//! `tuonti-bench`: the end-to-end import benchmark.
//!
//! Generates a realistic workbook of Finnish companies (not timed), prepares a database in a
//! child process (not timed), then imports the file in a fresh child process through
//! `tuonti-importer` exactly as `tuonti import --skip-invalid` does, timing the two phases:
//!
//! - plan: read the file, find the header, map the columns, validate every row, resolve the
//!   per-row overrides, find duplicates in the file and in the database;
//! - apply: write the plan in one transaction as an import batch.
//!
//! For each phase it prints the wall time, rows per second and the peak resident memory
//! (`VmHWM`, reset between phases through `/proc/self/clear_refs`), then one `SUMMARY` line
//! of JSON. See docs/benchmarks.md.
//!
//! ```sh
//! cargo run --release -p tuonti-bench -- --rows 100000 --format xlsx --backend sqlite --scenario fresh
//! ```

use tuonti_bench::{generate, memory};

use anyhow::{Context, Result, bail};
use clap::{Parser, ValueEnum};
use generate::{GROUPS, Generator, MANAGERS, Variant};
use serde::{Deserialize, Serialize};
use std::io::{BufWriter, Write};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;
use tuonti_domain::{NewUser, Role};
use tuonti_excel_template::{ReadLimits, Workbook};
use tuonti_importer::import::{self, DuplicatePolicy, ImportChoices, ImportFile, ImportRequest};
use tuonti_importer::setup;
use tuonti_persistence::{DatabaseLocation, OpenOptions, Store};

/// jemalloc instead of the system allocator: the benchmark measures the allocator the `tuonti` binary uses: an import allocates and frees millions of small
/// values on two threads, which glibc's malloc does with ~12 % more CPU time and more memory
/// kept (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// The admin who runs the imports.
const ADMIN: (&str, &str) = ("Pääkäyttäjä", "admin@example.fi");
/// The prefix of the line a measuring child prints its result on.
const RESULT_PREFIX: &str = "TUONTI-BENCH-RESULT ";

#[derive(Debug, Parser)]
#[command(
    name = "tuonti-bench",
    about = "Times importing a generated workbook of Finnish companies: plan and apply, with peak memory"
)]
struct Args {
    /// Data rows in the generated file.
    #[arg(long, default_value_t = 100_000)]
    rows: u64,
    /// The file format.
    #[arg(long, value_enum, default_value_t = FileKind::Xlsx)]
    format: FileKind,
    /// The database.
    #[arg(long, value_enum, default_value_t = BackendKind::Sqlite)]
    backend: BackendKind,
    /// fresh: into an empty database; reimport: the same file again into the database it
    /// filled (all unchanged); update: half the rows changed, with --on-duplicate fill-empty.
    #[arg(long, value_enum, default_value_t = Scenario::Fresh)]
    scenario: Scenario,
    /// Keep the generated files (and the SQLite database) in this folder; a file generated
    /// before with the same rows and seed is reused.
    #[arg(long)]
    keep: Option<PathBuf>,
    /// PostgreSQL: the database URL (an empty database or schema) instead of a fresh schema
    /// in $TUONTI_TEST_POSTGRES_URL.
    #[arg(long)]
    db: Option<String>,
    /// The seed of the generated data.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Also time reading alone and reading plus validation (in another fresh process), to
    /// split the plan phase.
    #[arg(long)]
    breakdown: bool,
    /// Also write, in the same workbook, a contacts sheet (two per company, naming it by
    /// business ID) and a projects sheet (one per company, naming it and its first contact):
    /// the import brings all three kinds (xlsx only).
    #[arg(long)]
    with_records: bool,
    /// Write values as real exports hold them: phones in many notations and foreign, emails
    /// and websites with capitals and spaces, names in NFD, postal codes and business IDs as
    /// numbers (proportions in docs/benchmarks.md).
    #[arg(long)]
    messy: bool,
    /// Only print this many Y-tunnus lines (for `tuonti check business-id`) and exit.
    #[arg(long, value_name = "N")]
    business_ids: Option<u64>,
    /// Internal: the part a child process runs.
    #[arg(long, value_enum, hide = true)]
    child: Option<ChildRole>,
    /// Internal: the file a child imports or reads.
    #[arg(long, hide = true)]
    input: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
enum FileKind {
    Xlsx,
    Csv,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
enum BackendKind {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
enum Scenario {
    Fresh,
    Reimport,
    Update,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ChildRole {
    /// Create the database, its users and groups, and import `--input` if given.
    Setup,
    /// Import `--input` and time it.
    Measure,
    /// Time reading `--input` alone, then reading and validating it.
    Probe,
    /// Plan `--input`, then time apply's writes step by step.
    ApplyProbe,
}

/// What a measuring child reports.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Measured {
    plan_s: f64,
    apply_s: f64,
    /// CPU time (user + system, both threads) of each phase: steadier than wall time when
    /// other work shares the machine.
    #[serde(default)]
    plan_cpu_s: f64,
    #[serde(default)]
    apply_cpu_s: f64,
    /// Resident memory when the timed part started (the store open, nothing read yet).
    start_kib: u64,
    plan_peak_kib: u64,
    apply_peak_kib: u64,
    /// Whether the peak could be reset between phases (else the apply peak is the process's).
    peak_reset: bool,
    created: u64,
    updated: u64,
    unchanged: u64,
    skipped: u64,
    rejected: u64,
}

/// What a probing child reports.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Probed {
    read_s: f64,
    read_peak_kib: u64,
    read_validate_s: f64,
    read_validate_peak_kib: u64,
    rows: u64,
    rows_with_errors: u64,
}

/// What an apply-probing child reports: apply's steps for a fresh import, timed one by one.
#[derive(Debug, Default, Serialize, Deserialize)]
struct ApplyProbed {
    /// Looking up the business IDs to create (are they taken meanwhile?).
    check_s: f64,
    /// `insert_companies`: multi-row INSERT ... RETURNING.
    insert_s: f64,
    /// Serializing the journal's JSON images and inserting them.
    journal_s: f64,
    /// From the start of the transaction to its commit.
    total_s: f64,
}

fn main() -> Result<()> {
    let args = Args::parse();
    if let Some(n) = args.business_ids {
        let stdout = std::io::stdout();
        let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
        generate::write_business_ids(args.seed, n, &mut out)?;
        out.flush()?;
        return Ok(());
    }
    match args.child {
        Some(ChildRole::Setup) => child_setup(&args),
        Some(ChildRole::Measure) => child_measure(&args),
        Some(ChildRole::Probe) => child_probe(&args),
        Some(ChildRole::ApplyProbe) => child_apply_probe(&args),
        None => run(&args),
    }
}

fn location(args: &Args) -> Result<DatabaseLocation> {
    args.db
        .as_deref()
        .map(DatabaseLocation::parse)
        .context("internal: a child needs --db")
}

fn input(args: &Args) -> Result<&Path> {
    args.input
        .as_deref()
        .context("internal: a child needs --input")
}

fn choices(policy: DuplicatePolicy) -> ImportChoices {
    let mut choices = ImportChoices::new("Asiakas", MANAGERS[0].1, ADMIN.1);
    choices.skip_invalid = true;
    choices.on_duplicate = policy;
    choices
}

fn request(file: ImportFile, policy: DuplicatePolicy) -> ImportRequest {
    ImportRequest {
        files: vec![file],
        choices: choices(policy),
        sheet: None,
        overrides: Vec::new(),
        limits: ReadLimits::default(),
        kinds: Vec::new(),
    }
}

/// Child: an empty database with the admin, the account managers and the customer groups the
/// rows name; then, for reimport and update, the first import.
fn child_setup(args: &Args) -> Result<()> {
    let mut store = Store::open(&location(args)?, OpenOptions { create: true })?;
    let admin = NewUser::new(ADMIN.0, ADMIN.1, Role::Admin)?;
    setup::init(&mut store, Some(&admin))?;
    for (name, email) in MANAGERS {
        setup::add_user(&mut store, name, email, Role::Member)?;
    }
    for group in GROUPS {
        setup::add_customer_group(&mut store, group)?;
    }
    if let Some(path) = &args.input {
        let file = ImportFile::read(path, &ReadLimits::default())?;
        import::apply(&mut store, &request(file, DuplicatePolicy::Skip))?;
    }
    Ok(())
}

/// Child: the timed import.
fn child_measure(args: &Args) -> Result<()> {
    let path = input(args)?;
    let policy = match args.scenario {
        Scenario::Update => DuplicatePolicy::FillEmpty,
        Scenario::Fresh | Scenario::Reimport => DuplicatePolicy::Skip,
    };
    let mut store = Store::open(&location(args)?, OpenOptions { create: false })?;
    let start_kib = memory::current_kib().unwrap_or(0);

    let peak_reset = memory::reset_peak();
    let cpu_started = memory::cpu_seconds().unwrap_or(0.0);
    let started = Instant::now();
    let file = ImportFile::read(path, &ReadLimits::default())?;
    let request = request(file, policy);
    let plan = import::plan(&mut store, &request)?;
    let plan_s = started.elapsed().as_secs_f64();
    let plan_peak_kib = memory::peak_kib().unwrap_or(0);
    let cpu_planned = memory::cpu_seconds().unwrap_or(0.0);
    // `tuonti import --yes` runs no dry run: the import's peak must not include the dry run's
    // plan (its rows with issues: a few hundred MB at a million rows).
    let counts = plan.counts;
    drop(plan);

    memory::reset_peak();
    let started = Instant::now();
    // Apply reads, validates and matches again inside its transaction and writes as it goes.
    import::apply(&mut store, &request)?;
    let apply_s = started.elapsed().as_secs_f64();
    let apply_peak_kib = memory::peak_kib().unwrap_or(0);
    let cpu_applied = memory::cpu_seconds().unwrap_or(0.0);

    let measured = Measured {
        plan_s,
        apply_s,
        plan_cpu_s: cpu_planned - cpu_started,
        apply_cpu_s: cpu_applied - cpu_planned,
        start_kib,
        plan_peak_kib,
        apply_peak_kib,
        peak_reset,
        created: counts.created,
        updated: counts.updated,
        unchanged: counts.unchanged,
        skipped: counts.skipped,
        rejected: counts.rejected,
    };
    println!("{RESULT_PREFIX}{}", serde_json::to_string(&measured)?);
    Ok(())
}

/// Child: reading alone, then reading and validating, as the planner does both.
fn child_probe(args: &Args) -> Result<()> {
    use tuonti_validation::{RowCells, RowContext, RowOutcome, RowValidator};

    let path = input(args)?;
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let limits = ReadLimits::default();
    let mut probed = Probed::default();

    memory::reset_peak();
    let started = Instant::now();
    let bytes = std::fs::read(path)?;
    let mut workbook = Workbook::from_bytes(&name, bytes, &limits)?;
    let layout = workbook.locate(None)?;
    let mut rows = 0u64;
    workbook.for_each_chunk(&layout, 2_000, |chunk| {
        rows += chunk.len() as u64;
        ControlFlow::Continue(())
    })?;
    probed.read_s = started.elapsed().as_secs_f64();
    probed.read_peak_kib = memory::peak_kib().unwrap_or(0);
    probed.rows = rows;
    drop(workbook);

    memory::reset_peak();
    let started = Instant::now();
    let bytes = std::fs::read(path)?;
    let mut workbook = Workbook::from_bytes(&name, bytes, &limits)?;
    let layout = workbook.locate(None)?;
    let columns: Vec<_> = layout.mapping.fields().collect();
    let validator = RowValidator::new(RowContext::new("FI")?);
    let mut cells = RowCells::new();
    let mut outcome = RowOutcome::default();
    let mut rows_with_errors = 0u64;
    workbook.for_each_chunk(&layout, 2_000, |chunk| {
        for source in chunk {
            cells.clear();
            cells.set_row_location(layout.location(source.row, 0).in_file(name.clone()));
            for &(field, column) in &columns {
                let location = layout.location(source.row, column).in_file(name.clone());
                cells.set(field, location, source.get(column).clone());
            }
            validator.validate_into(&cells, &mut outcome);
            rows_with_errors += u64::from(outcome.has_errors());
        }
        ControlFlow::Continue(())
    })?;
    probed.read_validate_s = started.elapsed().as_secs_f64();
    probed.read_validate_peak_kib = memory::peak_kib().unwrap_or(0);
    probed.rows_with_errors = rows_with_errors;
    println!("{RESULT_PREFIX}{}", serde_json::to_string(&probed)?);
    Ok(())
}

/// Child: plans a fresh import, then does apply's writes for the new companies step by step
/// (the same store calls in one transaction), timing each.
fn child_apply_probe(args: &Args) -> Result<()> {
    use tuonti_domain::{BatchKind, CompanyChange, NewCompany};
    use tuonti_importer::import::{GroupTarget, RowAction, RowTargets};
    use tuonti_persistence::NewBatch;

    let path = input(args)?;
    let mut store = Store::open(&location(args)?, OpenOptions { create: false })?;
    let file = ImportFile::read(path, &ReadLimits::default())?;
    // Every row to create, collected as the plan streams past (the plan keeps only samples).
    let mut all_creates = Vec::new();
    let plan = import::plan_with(
        &mut store,
        &request(file, DuplicatePolicy::Skip),
        &mut |_| {},
        &mut |row| {
            if row.action == RowAction::Create {
                all_creates.push(row.clone());
            }
        },
    )?;
    let choices_json = serde_json::to_string(&plan.choices.choices)?;
    let mut probed = ApplyProbed::default();
    let started = Instant::now();
    // As `import::apply` writes: a bulk transaction (on SQLite without foreign-key
    // enforcement and statement journals; the references checked before the commit).
    store.bulk_transaction(|store| -> Result<()> {
        let batch_id = store.start_batch(&NewBatch {
            kind: BatchKind::Import,
            started_by: plan.choices.acting_admin.id,
            choices: &choices_json,
            reverts: None,
        })?;
        let creates: Vec<_> = all_creates.iter().collect();

        let step = Instant::now();
        let business_ids: Vec<&str> = creates
            .iter()
            .filter_map(|row| row.company().and_then(|c| c.business_id.as_deref()))
            .collect();
        store.companies_by_business_ids(&business_ids)?;
        probed.check_s = step.elapsed().as_secs_f64();

        let step = Instant::now();
        let new_companies: Vec<NewCompany> = creates
            .iter()
            .filter_map(|row| {
                let RowTargets::Company {
                    company_type_id: Some(company_type_id),
                    customer_group,
                    account_manager_id: Some(account_manager_id),
                } = &row.targets
                else {
                    return None;
                };
                Some(NewCompany {
                    fields: row.company()?.clone(),
                    company_type_id: *company_type_id,
                    customer_group_id: match customer_group {
                        Some(GroupTarget::Existing(id)) => Some(*id),
                        _ => None,
                    },
                    account_manager_id: *account_manager_id,
                    created_by_batch: Some(batch_id),
                })
            })
            .collect();
        store.insert_companies(&new_companies)?;
        probed.insert_s = step.elapsed().as_secs_f64();

        // Creations need no journal (undo finds them by `created_by_batch`); only updates
        // are journaled, and a fresh import has none.
        let step = Instant::now();
        let journal: Vec<CompanyChange> = Vec::new();
        store.record_company_changes(batch_id, &journal)?;
        probed.journal_s = step.elapsed().as_secs_f64();
        store.finish_batch(batch_id, &plan.counts)?;
        Ok(())
    })?;
    probed.total_s = started.elapsed().as_secs_f64();
    println!("{RESULT_PREFIX}{}", serde_json::to_string(&probed)?);
    Ok(())
}

/// Runs this binary as a child and returns the result line it printed.
fn spawn_child(child_args: &[String]) -> Result<Option<String>> {
    let exe = std::env::current_exe().context("cannot find this program to run it again")?;
    let output = Command::new(exe)
        .args(child_args)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .context("cannot start a child process")?;
    if !output.status.success() {
        bail!(
            "the child process {child_args:?} failed ({})",
            output.status
        );
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    Ok(stdout
        .lines()
        .find_map(|line| line.strip_prefix(RESULT_PREFIX))
        .map(str::to_owned))
}

/// Generates `path` unless a kept copy exists; returns the seconds spent (0 when reused).
fn generate_file(generator: &Generator, format: FileKind, path: &Path, reuse: bool) -> Result<f64> {
    if reuse && path.exists() {
        return Ok(0.0);
    }
    let started = Instant::now();
    let partial = path.with_extension("partial");
    match format {
        FileKind::Xlsx => generator.write_xlsx(&partial)?,
        FileKind::Csv => generator.write_csv(&partial)?,
    }
    std::fs::rename(&partial, path)?;
    Ok(started.elapsed().as_secs_f64())
}

/// The parent: generate, set up, measure, report.
fn run(args: &Args) -> Result<()> {
    if args.rows == 0 {
        bail!("--rows must be at least 1");
    }
    let scratch;
    let folder: PathBuf = match &args.keep {
        Some(folder) => {
            std::fs::create_dir_all(folder)
                .with_context(|| format!("cannot create {}", folder.display()))?;
            folder.clone()
        }
        None => {
            scratch = tempfile::tempdir()?;
            scratch.path().to_owned()
        }
    };
    let extension = match args.format {
        FileKind::Xlsx => "xlsx",
        FileKind::Csv => "csv",
    };
    let reuse = args.keep.is_some();

    // 1. The input (not timed).
    if args.with_records && args.format != FileKind::Xlsx {
        bail!("--with-records writes a workbook: use --format xlsx");
    }
    let records = if args.with_records { "-records" } else { "" };
    let messy = if args.messy { "-messy" } else { "" };
    let path = folder.join(format!(
        "companies-{}-s{}{records}{messy}.{extension}",
        args.rows, args.seed
    ));
    let mut generator = Generator::new(args.seed, args.rows, Variant::Full);
    if args.with_records {
        generator = generator.with_records();
    }
    if args.messy {
        generator = generator.messy();
    }
    let generated_s = generate_file(&generator, args.format, &path, reuse)?;
    let setup_input = match args.scenario {
        Scenario::Fresh => None,
        Scenario::Reimport => Some(path.clone()),
        Scenario::Update => {
            let sparse = folder.join(format!(
                "companies-{}-s{}-sparse.{extension}",
                args.rows, args.seed
            ));
            generate_file(
                &Generator::new(args.seed, args.rows, Variant::Sparse),
                args.format,
                &sparse,
                reuse,
            )?;
            Some(sparse)
        }
    };
    let size_bytes = std::fs::metadata(&path)?.len();

    // 2. The database (not timed).
    #[cfg_attr(not(feature = "postgres"), allow(unused_variables))]
    let mut test_database = None;
    let db = match args.backend {
        BackendKind::Sqlite => {
            let scenario = format!("{:?}", args.scenario).to_lowercase();
            let db_path = folder.join(format!("bench-{scenario}.db"));
            for suffix in ["", "-wal", "-shm"] {
                let mut name = db_path.clone().into_os_string();
                name.push(suffix);
                let _ = std::fs::remove_file(PathBuf::from(name));
            }
            db_path.display().to_string()
        }
        BackendKind::Postgres => match &args.db {
            Some(url) => url.clone(),
            None => postgres_schema(&mut test_database)?,
        },
    };
    let setup_started = Instant::now();
    let mut setup_args = vec!["--child".into(), "setup".into(), "--db".into(), db.clone()];
    if let Some(first) = &setup_input {
        setup_args.extend(["--input".into(), first.display().to_string()]);
    }
    spawn_child(&setup_args)?;
    let setup_s = setup_started.elapsed().as_secs_f64();

    // 3. The timed import, in a fresh process.
    let scenario_arg = format!("{:?}", args.scenario).to_lowercase();
    let line = spawn_child(&[
        "--child".into(),
        "measure".into(),
        "--db".into(),
        db,
        "--input".into(),
        path.display().to_string(),
        "--scenario".into(),
        scenario_arg,
    ])?
    .context("the measuring process printed no result")?;
    let measured: Measured = serde_json::from_str(&line)?;

    let probed: Option<Probed> = if args.breakdown {
        let line = spawn_child(&[
            "--child".into(),
            "probe".into(),
            "--input".into(),
            path.display().to_string(),
        ])?
        .context("the probing process printed no result")?;
        Some(serde_json::from_str(&line)?)
    } else {
        None
    };
    let apply_probed: Option<ApplyProbed> = if args.breakdown && args.scenario == Scenario::Fresh {
        apply_probe(args, &folder, &path)?
    } else {
        None
    };
    drop(test_database);

    report(
        args,
        &Outcome {
            path,
            size_bytes,
            generated_s,
            setup_s,
            measured,
            probed,
            apply_probed,
        },
    )
}

/// Everything one run found, for the report.
#[derive(Debug)]
struct Outcome {
    path: PathBuf,
    size_bytes: u64,
    generated_s: f64,
    setup_s: f64,
    measured: Measured,
    probed: Option<Probed>,
    apply_probed: Option<ApplyProbed>,
}

/// Times apply's steps in another fresh database (none for a `--db` URL, which cannot be
/// emptied again).
fn apply_probe(args: &Args, folder: &Path, path: &Path) -> Result<Option<ApplyProbed>> {
    #[cfg_attr(not(feature = "postgres"), allow(unused_variables))]
    let mut test_database = None;
    let db = match args.backend {
        BackendKind::Sqlite => {
            let db_path = folder.join("bench-apply-probe.db");
            for suffix in ["", "-wal", "-shm"] {
                let mut name = db_path.clone().into_os_string();
                name.push(suffix);
                let _ = std::fs::remove_file(PathBuf::from(name));
            }
            db_path.display().to_string()
        }
        BackendKind::Postgres if args.db.is_some() => return Ok(None),
        BackendKind::Postgres => postgres_schema(&mut test_database)?,
    };
    spawn_child(&["--child".into(), "setup".into(), "--db".into(), db.clone()])?;
    let line = spawn_child(&[
        "--child".into(),
        "apply-probe".into(),
        "--db".into(),
        db,
        "--input".into(),
        path.display().to_string(),
    ])?
    .context("the apply-probing process printed no result")?;
    drop(test_database);
    Ok(Some(serde_json::from_str(&line)?))
}

#[cfg(feature = "postgres")]
fn postgres_schema(
    holder: &mut Option<tuonti_persistence::testing::TestDatabase>,
) -> Result<String> {
    use tuonti_persistence::testing::{POSTGRES_URL_VAR, TestDatabase};
    let database = TestDatabase::postgres_from_env()?
        .with_context(|| format!("--backend postgres needs --db URL or {POSTGRES_URL_VAR}"))?;
    let url = database.url();
    *holder = Some(database);
    Ok(url)
}

#[cfg(not(feature = "postgres"))]
fn postgres_schema(_: &mut Option<()>) -> Result<String> {
    bail!("this build has no PostgreSQL support; build with the `postgres` feature")
}

fn per_second(rows: u64, seconds: f64) -> f64 {
    if seconds > 0.0 {
        rows as f64 / seconds
    } else {
        0.0
    }
}

fn report(args: &Args, outcome: &Outcome) -> Result<()> {
    let Outcome {
        path,
        size_bytes,
        generated_s,
        setup_s,
        measured,
        ..
    } = outcome;
    let (size_bytes, generated_s, setup_s) = (*size_bytes, *generated_s, *setup_s);
    let probed = outcome.probed.as_ref();
    let apply_probed = outcome.apply_probed.as_ref();
    // Every record read, of every kind (with --with-records: the companies, their contacts and
    // their projects).
    let rows = measured.created
        + measured.updated
        + measured.unchanged
        + measured.skipped
        + measured.rejected;
    // `tuonti import --yes` is one pass (apply reads, checks and writes); the dry run is
    // measured beside it because an interactive import runs it first.
    let total_s = measured.apply_s;
    let plan_mb = memory::megabytes(measured.plan_peak_kib);
    let apply_mb = memory::megabytes(measured.apply_peak_kib);
    let peak_mb = apply_mb;
    let format = serde_json::to_value(args.format)?;
    let backend = serde_json::to_value(args.backend)?;
    let scenario = serde_json::to_value(args.scenario)?;
    let label = |value: &serde_json::Value| value.as_str().unwrap_or_default().to_owned();

    println!(
        "tuonti-bench: {rows} rows, {}, {}, scenario {}",
        label(&format),
        label(&backend),
        label(&scenario)
    );
    let generated = if generated_s > 0.0 {
        format!("generated in {generated_s:.2} s")
    } else {
        "reused".to_owned()
    };
    println!(
        "input:  {} ({:.1} MB, {generated}; not counted)",
        path.display(),
        size_bytes as f64 / 1e6
    );
    println!("setup:  {setup_s:.2} s (not counted)");
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load: Vec<&str> = load.split_whitespace().take(3).collect();
    println!(
        "load:   {} (1, 5, 15 min averages when the run ended; {} CPUs)",
        load.join(" "),
        std::thread::available_parallelism().map_or(0, usize::from)
    );
    println!(
        "rows:   created {}, updated {}, unchanged {}, skipped {}, rejected {}",
        measured.created, measured.updated, measured.unchanged, measured.skipped, measured.rejected
    );
    println!(
        "memory: {:.1} MB resident before the import (process, open store){}",
        memory::megabytes(measured.start_kib),
        if measured.peak_reset {
            ""
        } else {
            "; the peak could not be reset, apply's peak is the process's"
        }
    );
    println!();
    println!(
        "{:<34} {:>9} {:>11} {:>13} {:>9}",
        "phase", "wall s", "rows/s", "peak RSS MB", "CPU s"
    );
    for (phase, seconds, mb, cpu) in [
        (
            "dry run (plan: read+check+match)",
            measured.plan_s,
            plan_mb,
            measured.plan_cpu_s,
        ),
        (
            "import (apply: one pass + write)",
            measured.apply_s,
            apply_mb,
            measured.apply_cpu_s,
        ),
        (
            "end to end (= import)",
            total_s,
            peak_mb,
            measured.apply_cpu_s,
        ),
    ] {
        println!(
            "{phase:<34} {seconds:>9.3} {:>11.0} {mb:>13.1} {cpu:>9.2}",
            per_second(rows, seconds)
        );
    }
    if let Some(probed) = probed {
        let validate_s = (probed.read_validate_s - probed.read_s).max(0.0);
        let rest_s = (measured.plan_s - probed.read_validate_s).max(0.0);
        println!();
        println!("plan breakdown (read and read+validate timed again in a fresh process):");
        println!(
            "  {:<32} {:>9.3} {:>11.0} {:>13.1}",
            "read + map (excel-template)",
            probed.read_s,
            per_second(rows, probed.read_s),
            memory::megabytes(probed.read_peak_kib)
        );
        println!(
            "  {:<32} {:>9.3} {:>11.0} {:>13.1}",
            "validate (validation)",
            validate_s,
            per_second(rows, validate_s),
            memory::megabytes(probed.read_validate_peak_kib)
        );
        println!(
            "  {:<32} {:>9.3} {:>11.0} {:>13}",
            "resolve + match + plan rows",
            rest_s,
            per_second(rows, rest_s),
            "-"
        );
    }
    if let Some(steps) = apply_probed {
        let other_s = (steps.total_s - steps.check_s - steps.insert_s - steps.journal_s).max(0.0);
        println!();
        println!("apply breakdown (the same writes step by step, in another fresh database):");
        for (step, seconds) in [
            ("check business IDs still new", steps.check_s),
            ("insert companies", steps.insert_s),
            ("journal (updates only)", steps.journal_s),
            ("batch, files, commit", other_s),
            ("all", steps.total_s),
        ] {
            // A step that wrote nothing (the journal of a fresh import) has no rate.
            let rate = if seconds >= 1e-3 {
                format!("{:.0}", per_second(rows, seconds))
            } else {
                "-".to_owned()
            };
            println!("  {step:<32} {seconds:>9.3} {rate:>11} {:>13}", "-");
        }
    }
    let mut summary = serde_json::json!({
        "rows": rows,
        "format": format,
        "backend": backend,
        "scenario": scenario,
        "file_mb": size_bytes as f64 / 1e6,
        "plan_s": measured.plan_s,
        "apply_s": measured.apply_s,
        "plan_cpu_s": measured.plan_cpu_s,
        "apply_cpu_s": measured.apply_cpu_s,
        "total_s": total_s,
        "rows_per_s": per_second(rows, total_s),
        "plan_peak_mb": plan_mb,
        "apply_peak_mb": apply_mb,
        "peak_mb": peak_mb,
        "start_mb": memory::megabytes(measured.start_kib),
        "peak_reset": measured.peak_reset,
        "created": measured.created,
        "updated": measured.updated,
        "unchanged": measured.unchanged,
        "skipped": measured.skipped,
        "rejected": measured.rejected,
        "load_1min": load.first().and_then(|l| l.parse::<f64>().ok()),
    });
    if let (Some(probed), Some(object)) = (probed, summary.as_object_mut()) {
        object.insert("read_s".into(), probed.read_s.into());
        object.insert("read_validate_s".into(), probed.read_validate_s.into());
        object.insert(
            "read_peak_mb".into(),
            memory::megabytes(probed.read_peak_kib).into(),
        );
        object.insert(
            "read_validate_peak_mb".into(),
            memory::megabytes(probed.read_validate_peak_kib).into(),
        );
    }
    if let (Some(steps), Some(object)) = (apply_probed, summary.as_object_mut()) {
        object.insert("apply_check_s".into(), steps.check_s.into());
        object.insert("apply_insert_s".into(), steps.insert_s.into());
        object.insert("apply_journal_s".into(), steps.journal_s.into());
        object.insert("apply_probe_total_s".into(), steps.total_s.into());
    }
    println!();
    println!("SUMMARY {summary}");
    Ok(())
}
