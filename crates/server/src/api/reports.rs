//! The reports API (any signed-in user): `GET /api/v1/reports/companies` and
//! `GET /api/v1/reports/projects`, as JSON, CSV or xlsx.

use crate::auth::Ctx;
use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::pages::reports::{CSV, report_file_name};
use crate::pages::{XLSX, attachment};
use crate::service::reports::{self as service, ReportParams};
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use tuonti_domain::Lang;
use tuonti_excel_template::ExportFormat;

/// The routes of the reports API.
pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/reports/{subject}", get(report))
}

#[derive(Deserialize)]
struct Params {
    #[serde(flatten)]
    report: ReportParams,
    lang: Option<String>,
    format: Option<String>,
}

async fn report(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(subject): Path<String>,
    Query(params): Query<Params>,
) -> Result<Response, AppError> {
    ctx.user()?;
    let lang = params
        .lang
        .as_deref()
        .and_then(|code| code.parse::<Lang>().ok())
        .unwrap_or(ctx.lang);
    let mut report_params = params.report;
    report_params.subject = Some(subject);
    let format = match params.format.as_deref().unwrap_or("json") {
        "json" => None,
        "csv" => Some(ExportFormat::Csv),
        "xlsx" => Some(ExportFormat::Xlsx),
        other => {
            return Err(AppError::bad_request(
                format!("Muoto on json, csv tai xlsx, ei {other:?}"),
                format!("Formatet är json, csv eller xlsx, inte {other:?}"),
                format!("The format is json, csv or xlsx, not {other:?}"),
            ));
        }
    };
    match format {
        None => {
            let report = service::report(&state, &report_params, lang).await?;
            Ok(Json(report.to_json()).into_response())
        }
        Some(format) => {
            let bytes = service::report_file(&state, &report_params, lang, format).await?;
            let content_type = if format == ExportFormat::Csv {
                CSV
            } else {
                XLSX
            };
            Ok(attachment(
                &report_file_name(lang, format),
                content_type,
                bytes,
            ))
        }
    }
}
