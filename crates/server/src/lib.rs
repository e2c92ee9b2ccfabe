//! `tuonti-server`: the browser wizard and JSON API of Tuonti, a thin layer over
//! `tuonti-importer`.
//!
//! Admins sign in with email and password (argon2id; sessions in HttpOnly, SameSite=Strict
//! cookies; a CSRF token on every write; throttled after repeated failures), set up users,
//! company types, customer groups and branches of business, and import customers in the
//! seed's five steps: instructions and the template, files, choices, the column check, and the
//! preview and import with progress and an error workbook. Every signed-in user sees the
//! reports page (`/reports`: charts drawn as SVG with their numbers). Members may sign in and see
//! companies; admin pages answer them 403.
//!
//! Nothing is kept in the process that another process would need: sessions, wizard state,
//! uploaded files and jobs live in the database (SQLite or PostgreSQL), so several servers can
//! serve one admin behind a load balancer and a restart loses nothing.
//!
//! ```no_run
//! use tuonti_persistence::DatabaseLocation;
//! use tuonti_server::{AppState, Config, Db, app};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let db = Db::open(DatabaseLocation::parse("tuonti.db"))?;
//! let router = app(AppState::new(db, Config::default()));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! axum::serve(listener, router).await?;
//! # Ok(())
//! # }
//! ```
//!
//! # Features
//!
//! - `postgres` (default): PostgreSQL databases besides SQLite.

#![warn(missing_docs)]

pub mod api;
pub mod auth;
pub mod error;
pub mod extract;
pub mod pages;
pub mod service;
mod state;
pub mod views;

pub use error::AppError;
pub use state::{AppState, Config, Db, Progress};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::middleware;
use axum::response::IntoResponse;
use axum::routing::get;

/// The whole application: pages, API and assets, with the context middleware and the body
/// limit.
pub fn app(state: AppState) -> Router {
    let limit = state.config.max_request_bytes;
    Router::new()
        .merge(pages::auth::routes())
        .merge(pages::wizard::routes())
        .merge(pages::setup::routes())
        .merge(pages::data::routes())
        .merge(pages::listings::routes())
        .merge(pages::reports::routes())
        .merge(api::routes())
        .route("/assets/style.css", get(style))
        .route("/assets/app.js", get(script))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state.clone(), auth::context))
        .layer(middleware::from_fn(security_headers))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}

/// Headers that keep pages out of frames, scripts to our own, and tokens in URLs (login
/// links) out of other sites' logs.
async fn security_headers(
    request: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
    ] {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    }
    response
}

async fn not_found() -> AppError {
    AppError::NotFound
}

fn asset(content_type: &'static str, body: &'static str) -> axum::response::Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    response
}

async fn style() -> axum::response::Response {
    asset("text/css; charset=utf-8", views::STYLE)
}

async fn script() -> axum::response::Response {
    asset("text/javascript; charset=utf-8", views::SCRIPT)
}
