//! `tuonti-server`: serves Tuonti's browser wizard and JSON API. Thin: it parses arguments,
//! opens the database and runs `tuonti_server::app`.

use anyhow::Context;
use clap::Parser;
use tuonti_persistence::DatabaseLocation;
use tuonti_server::{AppState, Config, Db, app};

/// jemalloc instead of the system allocator: an import allocates and frees millions of small
/// values on two threads, which glibc's malloc does with ~12 % more CPU time and more memory
/// kept (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Tuonti's web server: admin login, setup pages, the import wizard and a JSON API.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// The database: a SQLite file path, or a postgres:// URL.
    #[arg(long, env = "TUONTI_DATABASE_URL", default_value = "tuonti.db")]
    db: String,
    /// The address to listen on.
    #[arg(long, env = "TUONTI_LISTEN", default_value = "127.0.0.1:8080")]
    listen: String,
    /// The largest uploaded file, in megabytes.
    #[arg(long, default_value_t = 50)]
    max_upload_mb: u64,
    /// Mark cookies Secure: set when users reach the server over HTTPS (e.g. through a proxy
    /// that terminates TLS; `X-Forwarded-Proto: https` does the same per request).
    #[arg(long)]
    secure_cookies: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let location = DatabaseLocation::parse(&args.db);
    let db = Db::open(location.clone())
        .with_context(|| format!("cannot open the database {location}"))?;
    let max_upload_bytes = args.max_upload_mb.saturating_mul(1 << 20);
    let config = Config {
        max_upload_bytes,
        // Several files at once plus the form's overhead.
        max_request_bytes: usize::try_from(max_upload_bytes.saturating_mul(4) + (1 << 20))
            .unwrap_or(usize::MAX),
        secure_cookies: args.secure_cookies,
        ..Config::default()
    };
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let address = listener.local_addr()?;
    println!("tuonti-server: serving {location} at http://{address}/");
    axum::serve(listener, app(AppState::new(db, config)))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("the server stopped")?;
    Ok(())
}
