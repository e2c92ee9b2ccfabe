//! Login, logout, login links, the language switch and the home page.

use crate::auth::{
    Ctx, LANG_COOKIE, LOGIN_COOKIE, SESSION_COOKIE, cookie, set_cookie, tokens_equal,
};
use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::pages::{field, parse_form};
use crate::service;
use crate::state::AppState;
use crate::views::{self, page, safe_next};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;
use tuonti_domain::{Lang, Role};
use tuonti_importer::accounts::{self, NewSession};

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/login/link/{token}", get(link_page).post(redeem_link))
        .route("/lang/{code}", get(switch_lang))
}

async fn home(ctx: Ctx) -> Response {
    match &ctx.user {
        None => Redirect::to("/login").into_response(),
        Some(user) if user.role == Role::Admin => Redirect::to("/import").into_response(),
        Some(_) => Redirect::to("/companies").into_response(),
    }
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

fn login_form(ctx: &Ctx, form_token: &str, next: &str, email: &str, error: Option<&str>) -> Markup {
    let body = html! {
        div.login {
            h1 { (ctx.t("Kirjaudu sisään", "Logga in", "Log in")) }
            @if let Some(error) = error { (views::notice("error", error)) }
            section.card {
                form method="post" action="/login" {
                    input type="hidden" name="login_csrf" value=(form_token);
                    input type="hidden" name="next" value=(next);
                    label for="email" { (ctx.t("Sähköposti", "E-post", "Email")) }
                    input #email type="email" name="email" value=(email) required autocomplete="username" autofocus;
                    label for="password" { (ctx.t("Salasana", "Lösenord", "Password")) }
                    input #password type="password" name="password" required autocomplete="current-password";
                    div.actions { button type="submit" { (ctx.t("Kirjaudu", "Logga in", "Log in")) } }
                }
                p.hint { (ctx.t(
                    "Ei salasanaa vielä? Pyydä ylläpitäjältä kertakäyttöinen kirjautumislinkki (tuonti users login-link).",
                    "Inget lösenord ännu? Be en administratör om en inloggningslänk för engångsbruk (tuonti users login-link).",
                    "No password yet? Ask an admin for a one-time login link (tuonti users login-link)."
                )) }
            }
        }
    };
    page(
        ctx,
        ctx.t("Kirjaudu sisään", "Logga in", "Log in"),
        "",
        body,
    )
}

fn login_response(
    ctx: &Ctx,
    status: StatusCode,
    next: &str,
    email: &str,
    error: Option<&str>,
) -> Result<Response, AppError> {
    let form_token = accounts::random_token()?;
    let mut response = (status, login_form(ctx, &form_token, next, email, error)).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(LOGIN_COOKIE, &form_token, 3600, ctx.secure),
    );
    Ok(response)
}

async fn login_page(ctx: Ctx, Query(query): Query<NextQuery>) -> Result<Response, AppError> {
    let next = safe_next(query.next.as_deref());
    if ctx.user.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    login_response(&ctx, StatusCode::OK, &next, "", None)
}

fn signed_in(ctx: &Ctx, session: &NewSession, next: &str) -> Response {
    let mut response = Redirect::to(next).into_response();
    let headers = response.headers_mut();
    let max_age = accounts::SESSION_IDLE.num_seconds();
    headers.append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, &session.token, max_age, ctx.secure),
    );
    headers.append(
        header::SET_COOKIE,
        set_cookie(LOGIN_COOKIE, "", 0, ctx.secure),
    );
    response
}

async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = parse_form(&body);
    let next = safe_next(field(&form, "next"));
    let email = field(&form, "email").unwrap_or_default().trim().to_owned();
    let password = field(&form, "password").unwrap_or_default().to_owned();
    let expected = cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    let written = field(&form, "login_csrf").unwrap_or_default();
    if expected.is_empty() || !tokens_equal(&expected, written) {
        let message = AppError::Csrf.message(ctx.lang);
        return login_response(&ctx, StatusCode::FORBIDDEN, &next, &email, Some(&message));
    }
    match service::accounts::login(&state, email.clone(), password).await {
        Ok(session) => Ok(signed_in(&ctx, &session, &next)),
        Err(error @ AppError::Importer(tuonti_importer::Error::Login(_))) => {
            let message = error.message(ctx.lang);
            login_response(&ctx, error.status(), &next, &email, Some(&message))
        }
        Err(error) => Err(error),
    }
}

async fn logout(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    service::accounts::logout(&state, ctx.session_token.clone()).await?;
    let mut response = Redirect::to("/login").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", 0, ctx.secure),
    );
    Ok(response)
}

fn link_form(ctx: &Ctx, token: &str, user_name: &str, error: Option<&str>) -> Markup {
    let body = html! {
        div.login {
            h1 { (ctx.t("Aseta salasana", "Ställ in ditt lösenord", "Set your password")) }
            p { (user_name) }
            @if let Some(error) = error { (views::notice("error", error)) }
            section.card {
                form method="post" action=(format!("/login/link/{token}")) {
                    label for="password" { (ctx.t("Uusi salasana", "Nytt lösenord", "New password")) }
                    input #password type="password" name="password" required minlength=(accounts::MIN_PASSWORD_CHARS) autocomplete="new-password";
                    p.hint { (ctx.t("Vähintään 10 merkkiä.", "Minst 10 tecken.", "At least 10 characters.")) }
                    label for="password2" { (ctx.t("Salasana uudelleen", "Lösenordet igen", "Password again")) }
                    input #password2 type="password" name="password2" required autocomplete="new-password";
                    div.actions { button type="submit" { (ctx.t("Aseta ja kirjaudu", "Spara och logga in", "Set and log in")) } }
                }
            }
        }
    };
    page(
        ctx,
        ctx.t(
            "Aseta salasana",
            "Ställ in ditt lösenord",
            "Set your password",
        ),
        "",
        body,
    )
}

async fn link_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Markup, AppError> {
    let user = service::accounts::link_user(&state, token.clone()).await?;
    Ok(link_form(&ctx, &token, &user.display_name, None))
}

async fn redeem_link(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = parse_form(&body);
    let password = field(&form, "password").unwrap_or_default().to_owned();
    let again = field(&form, "password2").unwrap_or_default();
    let user = service::accounts::link_user(&state, token.clone()).await?;
    if password != again {
        let message = ctx.t(
            "Salasanat eivät täsmää.",
            "Lösenorden är olika.",
            "The passwords differ.",
        );
        return Ok((
            StatusCode::BAD_REQUEST,
            link_form(&ctx, &token, &user.display_name, Some(message)),
        )
            .into_response());
    }
    match service::accounts::redeem_link(&state, token.clone(), password).await {
        Ok(session) => Ok(signed_in(&ctx, &session, "/")),
        Err(AppError::Importer(error @ tuonti_importer::Error::Domain(_))) => {
            let message = error.message(ctx.lang);
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                link_form(&ctx, &token, &user.display_name, Some(&message)),
            )
                .into_response())
        }
        Err(error) => Err(error),
    }
}

async fn switch_lang(
    ctx: Ctx,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let lang: Lang = code.parse().map_err(|_| AppError::NotFound)?;
    let back = headers
        .get(header::REFERER)
        .and_then(|value| value.to_str().ok())
        .and_then(|referer| {
            // Only a path of this server: drop scheme and host.
            let rest = referer.split_once("://").map_or(referer, |(_, rest)| rest);
            rest.find('/').map(|slash| rest[slash..].to_owned())
        });
    let mut response = Redirect::to(&safe_next(back.as_deref())).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(LANG_COOKIE, lang.code(), 365 * 24 * 3600, ctx.secure),
    );
    Ok(response)
}
