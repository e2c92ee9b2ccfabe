//! The history API (admins) and the companies API (any signed-in user).

use crate::api::listings::PageInfo;
use crate::api::setup::json_body_or_default;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::pages::{XLSX, attachment};
use crate::service::data::{self as service, CompanyFilters};
use crate::service::listings::PageParams;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tuonti_domain::Lang;
use tuonti_importer::batches::{BatchDetail, BatchView};
use tuonti_importer::companies::CompanyView;
use tuonti_importer::import::UndoOutcome;

/// The routes of the history and companies API.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/batches", get(batches))
        .route("/api/v1/batches/{id}", get(batch))
        .route("/api/v1/batches/{id}/undo", post(undo))
        .route("/api/v1/companies", get(companies))
        .route("/api/v1/companies/export.xlsx", get(export))
}

async fn batches(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<BatchView>>, AppError> {
    ctx.admin()?;
    Ok(Json(service::batches(&state).await?))
}

async fn batch(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(batch_id): Path<i64>,
) -> Result<Json<BatchDetail>, AppError> {
    ctx.admin()?;
    Ok(Json(service::batch(&state, batch_id).await?))
}

#[derive(Deserialize, Default)]
struct UndoBody {
    #[serde(default)]
    force: bool,
}

async fn undo(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(batch_id): Path<i64>,
    body: Bytes,
) -> Result<Json<UndoOutcome>, AppError> {
    let admin = ctx.admin()?.clone();
    let body: UndoBody = json_body_or_default(&body)?;
    Ok(Json(
        service::undo(&state, &admin, batch_id, body.force).await?,
    ))
}

#[derive(Serialize)]
struct CompanyList {
    #[serde(flatten)]
    page: PageInfo,
    companies: Vec<CompanyView>,
}

#[derive(Deserialize)]
struct CompanyParams {
    #[serde(flatten)]
    filters: CompanyFilters,
    #[serde(flatten)]
    page: PageParams,
    lang: Option<String>,
}

fn lang_of(ctx: &Ctx, params: &CompanyParams) -> Lang {
    params
        .lang
        .as_deref()
        .and_then(|code| code.parse::<Lang>().ok())
        .unwrap_or(ctx.lang)
}

async fn companies(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<CompanyParams>,
) -> Result<Json<CompanyList>, AppError> {
    ctx.user()?;
    let lang = lang_of(&ctx, &params);
    let page = params.page.page()?;
    let (page, companies) =
        PageInfo::split(service::companies(&state, &params.filters, page, lang).await?);
    Ok(Json(CompanyList { page, companies }))
}

async fn export(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<CompanyParams>,
) -> Result<Response, AppError> {
    ctx.user()?;
    let lang = lang_of(&ctx, &params);
    let (bytes, _) = service::export_xlsx(&state, &params.filters, lang).await?;
    let name = match lang {
        Lang::Fi => "yritykset.xlsx",
        Lang::Sv => "foretag.xlsx",
        Lang::En => "companies.xlsx",
    };
    Ok(attachment(name, XLSX, bytes))
}
