//! The wizard's API: the same steps as the pages.

use crate::auth::Ctx;
use crate::error::AppError;
use crate::extract::Path;
use crate::pages::wizard::read_files;
use crate::service::wizard::{
    self as service, CellFixRequest, ChoiceOptions, JobSummary, UploadOutcome, WizardOverview,
};
use crate::state::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Multipart, State};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tuonti_excel_template::{Inspection, MappingOverride};
use tuonti_importer::import::LinkField;
use tuonti_importer::wizard::{FixCheck, ValueCandidate, ValueChoice, WizardChoices};
use tuonti_persistence::JobKind;

/// The routes of the wizard's API.
pub fn routes() -> Router<AppState> {
    Router::new()
        // The same download as the wizard's first page.
        .route("/api/v1/template", get(crate::pages::wizard::template))
        .route("/api/v1/wizard", get(current).delete(cancel))
        .route("/api/v1/wizard/options", get(options))
        .route("/api/v1/wizard/files", post(upload))
        .route("/api/v1/wizard/files/{id}", delete(remove_file))
        .route("/api/v1/wizard/choices", put(set_choices))
        .route("/api/v1/wizard/mapping", get(mapping).put(set_mapping))
        .route("/api/v1/wizard/values", get(values).put(set_values))
        .route("/api/v1/wizard/files/{id}/rows", put(set_rows))
        .route("/api/v1/wizard/fixes", post(fix_cell).delete(unfix_cell))
        .route("/api/v1/wizard/mapping/profile", post(mapping_profile))
        .route("/api/v1/profiles", get(profiles))
        .route("/api/v1/wizard/preview", post(preview))
        .route("/api/v1/wizard/import", post(import))
        .route("/api/v1/jobs/{id}", get(job))
        // The same download as the wizard's pages.
        .route(
            "/api/v1/jobs/{id}/outputs/{output}",
            get(crate::pages::wizard::download_output),
        )
}

async fn current(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Json<WizardOverview>, AppError> {
    let user = ctx.admin()?.clone();
    Ok(Json(service::current(&state, &user).await?))
}

async fn options(State(state): State<AppState>, ctx: Ctx) -> Result<Json<ChoiceOptions>, AppError> {
    ctx.admin()?;
    Ok(Json(service::choice_options(&state).await?))
}

async fn cancel(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Json<serde_json::Value>, AppError> {
    let user = ctx.admin()?.clone();
    let wizard = service::current(&state, &user).await?;
    service::cancel(&state, &user, wizard.id).await?;
    Ok(Json(serde_json::json!({ "cancelled": wizard.id })))
}

async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Json<Vec<UploadOutcome>>, AppError> {
    let user = ctx.admin()?.clone();
    let wizard = service::current(&state, &user).await?;
    let files = read_files(&state, multipart).await?;
    if files.is_empty() {
        return Err(AppError::bad_request(
            "Lähetyksessä ei ole tiedostoa (kenttä files).",
            "Sändningen innehåller ingen fil (fältet files).",
            "The request has no file (field files).",
        ));
    }
    Ok(Json(
        service::upload(&state, &user, wizard.id, files, ctx.lang).await?,
    ))
}

async fn remove_file(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(file_id): Path<i64>,
) -> Result<Json<WizardOverview>, AppError> {
    let user = ctx.admin()?.clone();
    let wizard = service::current(&state, &user).await?;
    service::remove_file(&state, &user, wizard.id, file_id).await?;
    Ok(Json(service::current(&state, &user).await?))
}

async fn set_choices(
    State(state): State<AppState>,
    ctx: Ctx,
    choices: Result<Json<WizardChoices>, JsonRejection>,
) -> Result<Json<WizardOverview>, AppError> {
    let user = ctx.admin()?.clone();
    let choices = super::json(choices)?;
    let wizard = service::current(&state, &user).await?;
    service::set_choices(&state, &user, wizard.id, choices).await?;
    Ok(Json(service::current(&state, &user).await?))
}

async fn mapping(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<Inspection>>, AppError> {
    let user = ctx.admin()?.clone();
    let wizard = service::current(&state, &user).await?;
    Ok(Json(service::mapping(&state, &user, wizard.id).await?))
}

#[derive(Deserialize)]
struct MappingBody {
    #[serde(default)]
    sheet: Option<String>,
    /// `Header=field` or `Header=ignore`.
    #[serde(default)]
    overrides: Vec<String>,
}

async fn set_mapping(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Result<Json<MappingBody>, JsonRejection>,
) -> Result<Json<Vec<Inspection>>, AppError> {
    let user = ctx.admin()?.clone();
    let body = super::json(body)?;
    let overrides = MappingOverride::parse_all(body.overrides.iter().map(String::as_str))
        .map_err(|error| AppError::Importer(error.into()))?;
    let wizard = service::current(&state, &user).await?;
    Ok(Json(
        service::set_mapping(&state, &user, wizard.id, body.sheet, overrides).await?,
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ValuesBody {
    /// Each value's mapping: `{"field", "value", "target"}`.
    #[serde(default)]
    values: Vec<ValueChoice>,
    /// Read a value with exactly one suggestion as it.
    #[serde(default)]
    accept_suggestions: bool,
}

/// The values table: the newest preview's unresolved values, the mappings, and what each
/// field's values can be mapped to.
#[derive(Serialize)]
struct ValuesView {
    unresolved_values: Vec<tuonti_importer::import::UnresolvedValue>,
    values: tuonti_importer::import::ValueMappings,
    accept_suggestions: bool,
    candidates: std::collections::BTreeMap<LinkField, Vec<ValueCandidate>>,
}

async fn values(State(state): State<AppState>, ctx: Ctx) -> Result<Json<ValuesView>, AppError> {
    let user = ctx.admin()?.clone();
    let wizard = service::current(&state, &user).await?;
    let unresolved_values = wizard
        .preview
        .as_ref()
        .and_then(|preview| preview.result.as_ref())
        .map(|result| result.unresolved_values.clone())
        .unwrap_or_default();
    let candidates = service::value_candidates(&state, LinkField::ALL.to_vec(), ctx.lang).await?;
    Ok(Json(ValuesView {
        unresolved_values,
        values: wizard.values,
        accept_suggestions: wizard.accept_suggestions,
        candidates,
    }))
}

async fn set_values(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Result<Json<ValuesBody>, JsonRejection>,
) -> Result<Json<WizardOverview>, AppError> {
    let user = ctx.admin()?.clone();
    let body = super::json(body)?;
    let wizard = service::current(&state, &user).await?;
    service::set_values(
        &state,
        &user,
        wizard.id,
        body.values,
        body.accept_suggestions,
    )
    .await?;
    Ok(Json(service::current(&state, &user).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RowsBody {
    /// `2-40,45`; null or empty: every row.
    #[serde(default)]
    rows: Option<String>,
}

async fn set_rows(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(file_id): Path<i64>,
    body: Result<Json<RowsBody>, JsonRejection>,
) -> Result<Json<WizardOverview>, AppError> {
    let user = ctx.admin()?.clone();
    let body = super::json(body)?;
    let wizard = service::current(&state, &user).await?;
    service::set_rows(&state, &user, wizard.id, file_id, body.rows).await?;
    Ok(Json(service::current(&state, &user).await?))
}

#[derive(Serialize)]
struct FixOutcome {
    /// What the field's rule says of the value now (the next preview decides the row).
    check: FixCheck,
    /// Every fixed cell, by file id.
    fixes: std::collections::BTreeMap<i64, Vec<tuonti_importer::import::CellFix>>,
}

async fn fix_cell(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Result<Json<CellFixRequest>, JsonRejection>,
) -> Result<Json<FixOutcome>, AppError> {
    let user = ctx.admin()?.clone();
    let body = super::json(body)?;
    let wizard = service::current(&state, &user).await?;
    let check = service::fix_cell(&state, &user, wizard.id, body).await?;
    let fixes = service::current(&state, &user).await?.fixes;
    Ok(Json(FixOutcome { check, fixes }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnfixBody {
    file: i64,
    row: u32,
    field: tuonti_domain::FieldKey,
}

async fn unfix_cell(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Result<Json<UnfixBody>, JsonRejection>,
) -> Result<Json<WizardOverview>, AppError> {
    let user = ctx.admin()?.clone();
    let body = super::json(body)?;
    let wizard = service::current(&state, &user).await?;
    service::unfix_cell(&state, &user, wizard.id, body.file, body.row, body.field).await?;
    Ok(Json(service::current(&state, &user).await?))
}

#[derive(Deserialize)]
struct ProfileBody {
    /// Apply the saved profile of this name.
    #[serde(default)]
    apply: Option<String>,
    /// Save the first file's mapping under this name.
    #[serde(default)]
    save: Option<String>,
}

async fn mapping_profile(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Result<Json<ProfileBody>, JsonRejection>,
) -> Result<Json<serde_json::Value>, AppError> {
    let user = ctx.admin()?.clone();
    let body = super::json(body)?;
    let wizard = service::current(&state, &user).await?;
    match (body.apply, body.save) {
        (Some(name), None) => {
            let mapping = service::apply_profile(&state, &user, wizard.id, name).await?;
            Ok(Json(serde_json::json!({ "mapping": mapping })))
        }
        (None, Some(name)) => {
            let saved = service::save_profile(&state, &user, wizard.id, name).await?;
            Ok(Json(serde_json::json!({ "saved": saved })))
        }
        _ => Err(AppError::bad_request(
            "Anna joko apply (käytettävän määrityksen nimi) tai save (tallennettavan nimi).",
            "Ange antingen apply (namnet på mappningen som ska användas) eller save (namnet att spara under).",
            "Give either apply (the name of a profile to use) or save (a name to save under).",
        )),
    }
}

async fn profiles(State(state): State<AppState>, ctx: Ctx) -> Result<Json<Vec<String>>, AppError> {
    ctx.admin()?;
    Ok(Json(service::profiles(&state).await?))
}

#[derive(Serialize)]
struct Started {
    job_id: i64,
}

async fn preview(State(state): State<AppState>, ctx: Ctx) -> Result<Json<Started>, AppError> {
    start(&state, &ctx, JobKind::Preview).await
}

async fn import(State(state): State<AppState>, ctx: Ctx) -> Result<Json<Started>, AppError> {
    start(&state, &ctx, JobKind::Import).await
}

async fn start(state: &AppState, ctx: &Ctx, kind: JobKind) -> Result<Json<Started>, AppError> {
    let user = ctx.admin()?.clone();
    let wizard = service::current(state, &user).await?;
    let job_id = service::start(state, &user, wizard.id, kind, ctx.lang).await?;
    Ok(Json(Started { job_id }))
}

async fn job(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(job_id): Path<i64>,
) -> Result<Json<JobSummary>, AppError> {
    let user = ctx.admin()?.clone();
    Ok(Json(service::job(&state, &user, job_id).await?))
}
