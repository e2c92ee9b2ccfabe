//! `tuonti-bench-reports`: how long reports take over a large database.
//!
//! Fills a database with generated companies and projects (by the database itself, not
//! timed; see `tuonti_persistence::testing::fill_for_reports`), then times each report of a
//! fixed list through `tuonti_importer::reports::report` — the database's `GROUP BY`, the
//! names and the totals — five times, and prints the fastest and the median with the query
//! plans' shape. See docs/benchmarks.md.
//!
//! ```sh
//! cargo run --release -p tuonti-bench --bin tuonti-bench-reports -- --backend sqlite \
//!     --companies 1000000 --projects 1000000
//! ```

use anyhow::{Context, Result};
use clap::{Parser, ValueEnum};
use std::time::{Duration, Instant};
use tuonti_domain::{Lang, NewUser, Role};
use tuonti_importer::reports::{self, ReportRequest};
use tuonti_importer::setup;
use tuonti_persistence::testing::{TestDatabase, fill_for_reports};
use tuonti_persistence::{
    DatabaseLocation, OpenOptions, ReportDimension, ReportFilter, ReportSubject, Store,
};

#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[derive(Debug, Parser)]
#[command(
    name = "tuonti-bench-reports",
    about = "Times reports over generated companies and projects"
)]
struct Args {
    /// Companies to generate.
    #[arg(long, default_value_t = 1_000_000)]
    companies: u64,
    /// Projects to generate.
    #[arg(long, default_value_t = 1_000_000)]
    projects: u64,
    /// The database.
    #[arg(long, value_enum, default_value_t = BackendKind::Sqlite)]
    backend: BackendKind,
    /// Runs of each report (the fastest and the median are printed).
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Print each report's query plans.
    #[arg(long)]
    plans: bool,
    /// SQLite: the page cache of the connection in MiB (16 by default, as opened).
    #[arg(long)]
    cache_mib: Option<u32>,
    /// SQLite: keep the database in this file; a file that exists is reused as filled.
    #[arg(long)]
    keep: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum BackendKind {
    Sqlite,
    Postgres,
}

/// A report timed: a name, the subject, the dimensions and the filter's period.
type Timed = (
    &'static str,
    ReportSubject,
    &'static [&'static str],
    Option<(&'static str, &'static str)>,
);

/// The reports timed.
const REPORTS: &[Timed] = &[
    (
        "companies by group",
        ReportSubject::Companies,
        &["group"],
        None,
    ),
    (
        "companies by manager x type",
        ReportSubject::Companies,
        &["manager", "type"],
        None,
    ),
    (
        "projects by status",
        ReportSubject::Projects,
        &["status"],
        None,
    ),
    (
        "projects by group x status",
        ReportSubject::Projects,
        &["group", "status"],
        None,
    ),
    (
        "projects by branch x project manager",
        ReportSubject::Projects,
        &["branch", "project-manager"],
        None,
    ),
    (
        "projects by type, 2024",
        ReportSubject::Projects,
        &["type"],
        Some(("1.1.2024", "31.12.2024")),
    ),
];

fn main() -> Result<()> {
    let args = Args::parse();
    let (database, _keep) = match args.backend {
        BackendKind::Sqlite if args.keep.is_some() => {
            let path = args.keep.clone().unwrap_or_default();
            let filled = path.exists();
            let location = DatabaseLocation::Sqlite(path);
            let store = if filled {
                Store::open(&location, OpenOptions { create: false })?
            } else {
                prepare(&location, &args)?
            };
            return run(store, &args);
        }
        BackendKind::Sqlite => {
            let database = TestDatabase::sqlite()?;
            (database.location().clone(), database)
        }
        BackendKind::Postgres => {
            let database = TestDatabase::postgres_from_env()?
                .context("set TUONTI_TEST_POSTGRES_URL to a PostgreSQL database")?;
            (database.location().clone(), database)
        }
    };
    let store = prepare(&database, &args)?;
    run(store, &args)
}

/// Times the reports on a filled database.
fn run(mut store: Store, args: &Args) -> Result<()> {
    if let Some(mib) = args.cache_mib {
        store.set_page_cache_mib(mib)?;
    }
    println!(
        "backend {:?}, {} companies, {} projects",
        args.backend, args.companies, args.projects
    );
    for (name, subject, dimensions, period) in REPORTS {
        let mut request = ReportRequest::new(*subject, dimensions);
        if let Some((from, to)) = period {
            request.from = Some((*from).to_owned());
            request.to = Some((*to).to_owned());
        }
        let mut times: Vec<Duration> = Vec::with_capacity(args.runs);
        let mut summary = String::new();
        for _ in 0..args.runs.max(1) {
            let started = Instant::now();
            let report = reports::report(&mut store, &request, Lang::Fi)?;
            times.push(started.elapsed());
            summary = format!(
                "{} rows, {} companies, {} projects, {} €",
                report.rows.len(),
                report.totals.companies,
                report.totals.projects,
                tuonti_validation::format_cents(report.totals.value_cents)
            );
        }
        times.sort();
        println!(
            "{name:<40} fastest {:>7.3} s  median {:>7.3} s  ({summary})",
            times[0].as_secs_f64(),
            times[times.len() / 2].as_secs_f64()
        );
        if args.plans {
            let dimensions: Vec<ReportDimension> = dimensions
                .iter()
                .map(|word| reports::parse_dimension(word))
                .collect::<Result<_, _>>()?;
            let filter = ReportFilter {
                from: period
                    .map(|(from, _)| reports::parse_date(from))
                    .transpose()?,
                to: period.map(|(_, to)| reports::parse_date(to)).transpose()?,
                ..ReportFilter::default()
            };
            for line in store.explain_report(*subject, &dimensions, &filter)? {
                println!("    {line}");
            }
        }
    }
    Ok(())
}

/// A database with the users, groups and branches the generated records refer to, filled.
fn prepare(location: &DatabaseLocation, args: &Args) -> Result<Store> {
    let mut store = Store::open(location, OpenOptions { create: true })?;
    let admin = NewUser::new("Pääkäyttäjä", "admin@example.fi", Role::Admin)?;
    setup::init(&mut store, Some(&admin))?;
    for index in 1..20 {
        setup::add_user(
            &mut store,
            &format!("Myyjä {index}"),
            &format!("myyja{index}@example.fi"),
            Role::Member,
        )?;
    }
    for index in 1..=30 {
        setup::add_customer_group(&mut store, &format!("Ryhmä {index}"))?;
    }
    for index in 1..=12 {
        setup::add_branch(&mut store, &format!("Toimiala {index}"))?;
    }
    let started = Instant::now();
    fill_for_reports(&mut store, args.companies, args.projects)?;
    eprintln!(
        "filled in {:.1} s (not part of the measurement)",
        started.elapsed().as_secs_f64()
    );
    Ok(store)
}
