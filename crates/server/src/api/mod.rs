//! The JSON API under `/api/v1` (documented in `docs/api.md`). It calls the same
//! [`crate::service`] layer as the pages. Writes carry the session's CSRF token in the
//! `X-CSRF-Token` header (`POST /api/v1/login` returns it).

pub mod data;
pub mod listings;
pub mod reports;
pub mod setup;
pub mod wizard;

use crate::auth::{Ctx, SESSION_COOKIE, set_cookie};
use crate::error::AppError;
use crate::service;
use crate::state::AppState;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tuonti_domain::User;
use tuonti_importer::accounts;

/// The routes of the API.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/login", post(login))
        .route("/api/v1/logout", post(logout))
        .route("/api/v1/me", get(me))
        .merge(wizard::routes())
        .merge(setup::routes())
        .merge(data::routes())
        .merge(listings::routes())
        .merge(reports::routes())
}

/// A JSON body (sent as `application/json`), refused in the API's error format rather than
/// axum's plain-text rejection.
///
/// # Errors
///
/// [`AppError::BadRequest`] saying what is wrong.
pub(crate) fn json<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, AppError> {
    body.map(|Json(value)| value).map_err(|rejection| {
        AppError::bad_request(
            format!("Pyynnön runko ei kelpaa (JSON, application/json): {rejection}"),
            format!("Begärans innehåll duger inte (JSON, application/json): {rejection}"),
            format!("The request body is not valid (JSON, application/json): {rejection}"),
        )
    })
}

/// The signed-in user and the session's CSRF token.
#[derive(Debug, Serialize)]
pub struct Me {
    /// The user.
    pub user: User,
    /// The token for the `X-CSRF-Token` header of writes.
    pub csrf_token: String,
}

#[derive(Deserialize)]
struct LoginBody {
    email: String,
    password: String,
}

async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Result<Json<LoginBody>, JsonRejection>,
) -> Result<Response, AppError> {
    let body = json(body)?;
    let session = service::accounts::login(&state, body.email, body.password).await?;
    let me = Me {
        user: session.user.clone(),
        csrf_token: session.session.csrf_token.clone(),
    };
    let mut response = Json(me).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(
            SESSION_COOKIE,
            &session.token,
            accounts::SESSION_IDLE.num_seconds(),
            ctx.secure,
        ),
    );
    Ok(response)
}

async fn logout(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    service::accounts::logout(&state, ctx.session_token.clone()).await?;
    let mut response = Json(serde_json::json!({ "signed_out": true })).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", 0, ctx.secure),
    );
    Ok(response)
}

async fn me(ctx: Ctx) -> Result<Json<Me>, AppError> {
    let user = ctx.user()?.clone();
    Ok(Json(Me {
        user,
        csrf_token: ctx.csrf.clone(),
    }))
}
