//! The setup API: users (with login links), company types, customer groups and branches of
//! business. Admins only.

use crate::auth::Ctx;
use crate::error::AppError;
use crate::extract::Path;
use crate::pages::setup::absolute_url;
use crate::service::setup::{
    self as service, ArchiveOutcome, BranchRow, BranchTarget, DeactivateOutcome, GroupRow,
    GroupTarget, NewTypeNames, RemoveBranchOutcome, RemoveOutcome, TypeRow, UserRow,
};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tuonti_domain::{Branch, CompanyType, CustomerGroup, Role, User};

/// The routes of the setup API.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/users", get(users).post(add_user))
        .route("/api/v1/users/{id}/role", post(set_role))
        .route("/api/v1/users/{id}/deactivate", post(deactivate))
        .route("/api/v1/users/{id}/activate", post(activate))
        .route("/api/v1/users/{id}/login-link", post(login_link))
        .route("/api/v1/types", get(types).post(add_type))
        .route("/api/v1/types/{id}/rename", post(rename_type))
        .route("/api/v1/types/{id}/archive", post(archive_type))
        .route("/api/v1/types/{id}/restore", post(restore_type))
        .route("/api/v1/groups", get(groups).post(add_group))
        .route("/api/v1/groups/{id}/rename", post(rename_group))
        .route("/api/v1/groups/{id}/remove", post(remove_group))
        .route("/api/v1/branches", get(branches).post(add_branch))
        .route("/api/v1/branches/{id}/rename", post(rename_branch))
        .route("/api/v1/branches/{id}/remove", post(remove_branch))
}

async fn users(State(state): State<AppState>, ctx: Ctx) -> Result<Json<Vec<UserRow>>, AppError> {
    ctx.admin()?;
    Ok(Json(service::users(&state).await?))
}

#[derive(Deserialize)]
struct NewUserBody {
    name: String,
    email: String,
    #[serde(default)]
    role: Option<Role>,
}

async fn add_user(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Bytes,
) -> Result<Response, AppError> {
    ctx.admin()?;
    let body: NewUserBody = json_body(&body)?;
    let user = service::add_user(
        &state,
        body.name,
        body.email,
        body.role.unwrap_or(Role::Member),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(user)).into_response())
}

#[derive(Deserialize)]
struct RoleBody {
    role: Role,
}

async fn set_role(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(user_id): Path<i64>,
    body: Bytes,
) -> Result<Json<User>, AppError> {
    ctx.admin()?;
    let body: RoleBody = json_body(&body)?;
    Ok(Json(service::set_role(&state, user_id, body.role).await?))
}

#[derive(Deserialize, Default)]
struct MoveBody {
    #[serde(default)]
    move_to: Option<i64>,
}

async fn deactivate(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(user_id): Path<i64>,
    body: Bytes,
) -> Result<Json<DeactivateOutcome>, AppError> {
    ctx.admin()?;
    let body: MoveBody = json_body_or_default(&body)?;
    Ok(Json(
        service::deactivate(&state, user_id, body.move_to).await?,
    ))
}

async fn activate(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(user_id): Path<i64>,
) -> Result<Json<User>, AppError> {
    ctx.admin()?;
    Ok(Json(service::activate(&state, user_id).await?))
}

#[derive(Serialize)]
struct LoginLinkBody {
    user: User,
    path: String,
    url: String,
    expires_in_seconds: i64,
}

async fn login_link(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(user_id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    ctx.admin()?;
    let link = service::login_link(&state, user_id).await?;
    let url = absolute_url(&ctx, &headers, &link.path);
    let mut response = (
        StatusCode::CREATED,
        Json(LoginLinkBody {
            user: link.user,
            path: link.path,
            url,
            expires_in_seconds: link.expires_in_seconds,
        }),
    )
        .into_response();
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

async fn types(State(state): State<AppState>, ctx: Ctx) -> Result<Json<Vec<TypeRow>>, AppError> {
    ctx.admin()?;
    Ok(Json(service::types(&state).await?))
}

#[derive(Deserialize)]
struct NewTypeBody {
    fi: String,
    #[serde(default)]
    sv: Option<String>,
    #[serde(default)]
    en: Option<String>,
}

async fn add_type(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Bytes,
) -> Result<Response, AppError> {
    ctx.admin()?;
    let body: NewTypeBody = json_body(&body)?;
    let company_type = service::add_type(&state, body.fi, body.sv, body.en).await?;
    Ok((StatusCode::CREATED, Json(company_type)).into_response())
}

#[derive(Deserialize)]
struct RenameTypeBody {
    #[serde(default)]
    fi: Option<String>,
    #[serde(default)]
    sv: Option<String>,
    #[serde(default)]
    en: Option<String>,
}

async fn rename_type(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(type_id): Path<i64>,
    body: Bytes,
) -> Result<Json<CompanyType>, AppError> {
    ctx.admin()?;
    let body: RenameTypeBody = json_body(&body)?;
    let names = NewTypeNames {
        fi: body.fi,
        sv: body.sv,
        en: body.en,
    };
    Ok(Json(service::rename_type(&state, type_id, names).await?))
}

async fn archive_type(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(type_id): Path<i64>,
    body: Bytes,
) -> Result<Json<ArchiveOutcome>, AppError> {
    ctx.admin()?;
    let body: MoveBody = json_body_or_default(&body)?;
    Ok(Json(
        service::archive_type(&state, type_id, body.move_to).await?,
    ))
}

async fn restore_type(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(type_id): Path<i64>,
) -> Result<Json<CompanyType>, AppError> {
    ctx.admin()?;
    Ok(Json(service::restore_type(&state, type_id).await?))
}

async fn groups(State(state): State<AppState>, ctx: Ctx) -> Result<Json<Vec<GroupRow>>, AppError> {
    ctx.admin()?;
    Ok(Json(service::groups(&state).await?))
}

#[derive(Deserialize)]
struct GroupBody {
    name: String,
}

async fn add_group(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Bytes,
) -> Result<Response, AppError> {
    ctx.admin()?;
    let body: GroupBody = json_body(&body)?;
    let group = service::add_group(&state, body.name).await?;
    Ok((StatusCode::CREATED, Json(group)).into_response())
}

async fn rename_group(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(group_id): Path<i64>,
    body: Bytes,
) -> Result<Json<CustomerGroup>, AppError> {
    ctx.admin()?;
    let body: GroupBody = json_body(&body)?;
    Ok(Json(
        service::rename_group(&state, group_id, body.name).await?,
    ))
}

/// The body of a group's or a branch's removal: where its companies or projects go.
#[derive(Deserialize, Default)]
struct RemoveBody {
    #[serde(default)]
    move_to: Option<i64>,
    #[serde(default)]
    unassign: bool,
}

async fn remove_group(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(group_id): Path<i64>,
    body: Bytes,
) -> Result<Json<RemoveOutcome>, AppError> {
    ctx.admin()?;
    let body: RemoveBody = json_body_or_default(&body)?;
    let target = match (body.move_to, body.unassign) {
        (Some(_), true) => {
            return Err(AppError::bad_request(
                "Anna joko move_to tai unassign, ei molempia.",
                "Ange antingen move_to eller unassign, inte båda.",
                "Give either move_to or unassign, not both.",
            ));
        }
        (Some(id), false) => GroupTarget::To(id),
        (None, true) => GroupTarget::Unassign,
        (None, false) => GroupTarget::Refuse,
    };
    Ok(Json(service::remove_group(&state, group_id, target).await?))
}

async fn branches(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Json<Vec<BranchRow>>, AppError> {
    ctx.admin()?;
    Ok(Json(service::branches(&state).await?))
}

#[derive(Deserialize)]
struct BranchBody {
    name: String,
}

async fn add_branch(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Bytes,
) -> Result<Response, AppError> {
    ctx.admin()?;
    let body: BranchBody = json_body(&body)?;
    let branch = service::add_branch(&state, body.name).await?;
    Ok((StatusCode::CREATED, Json(branch)).into_response())
}

async fn rename_branch(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(branch_id): Path<i64>,
    body: Bytes,
) -> Result<Json<Branch>, AppError> {
    ctx.admin()?;
    let body: BranchBody = json_body(&body)?;
    Ok(Json(
        service::rename_branch(&state, branch_id, body.name).await?,
    ))
}

async fn remove_branch(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(branch_id): Path<i64>,
    body: Bytes,
) -> Result<Json<RemoveBranchOutcome>, AppError> {
    ctx.admin()?;
    let body: RemoveBody = json_body_or_default(&body)?;
    let target = match (body.move_to, body.unassign) {
        (Some(_), true) => {
            return Err(AppError::bad_request(
                "Anna joko move_to tai unassign, ei molempia.",
                "Ange antingen move_to eller unassign, inte båda.",
                "Give either move_to or unassign, not both.",
            ));
        }
        (Some(id), false) => BranchTarget::To(id),
        (None, true) => BranchTarget::Unassign,
        (None, false) => BranchTarget::Refuse,
    };
    Ok(Json(
        service::remove_branch(&state, branch_id, target).await?,
    ))
}

/// A JSON body, refused in the API's error format (not axum's plain-text rejection).
///
/// # Errors
///
/// [`AppError::BadRequest`] naming what did not parse.
pub(crate) fn json_body<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, AppError> {
    serde_json::from_slice(body).map_err(|error| {
        AppError::bad_request(
            format!("Pyynnön JSON ei kelpaa: {error}"),
            format!("Begärans JSON duger inte: {error}"),
            format!("The request's JSON is not valid: {error}"),
        )
    })
}

/// A JSON body, or the default when the body is empty.
pub(crate) fn json_body_or_default<T: serde::de::DeserializeOwned + Default>(
    body: &Bytes,
) -> Result<T, AppError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        Ok(T::default())
    } else {
        json_body(body)
    }
}
