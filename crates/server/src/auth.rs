//! Who is asking, in which language, and whether a write carries the session's CSRF token.
//!
//! The `context` middleware reads the cookies, looks the session up in the database, checks
//! the CSRF token of every write and puts a [`Ctx`] into the request; after the handler it
//! renders errors for pages (HTML, or a redirect to the login page) and for the API (JSON).

use crate::error::{AppError, ErrorInfo};
use crate::state::AppState;
use crate::views;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tuonti_domain::{Lang, Role, User};
use tuonti_importer::accounts;

/// The session cookie.
pub const SESSION_COOKIE: &str = "tuonti_session";
/// The cookie of the login form's token (before there is a session).
pub const LOGIN_COOKIE: &str = "tuonti_login";
/// The language cookie.
pub const LANG_COOKIE: &str = "tuonti_lang";
/// The header that carries the CSRF token of API writes.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The form field (or, for file uploads, query parameter) that carries it in pages.
pub const CSRF_FIELD: &str = "csrf";
/// The largest form body read to find its token.
const MAX_FORM_BYTES: usize = 1 << 20;

/// The request's context: language and, when signed in, the user and the session's tokens.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The page language.
    pub lang: Lang,
    /// The signed-in user.
    pub user: Option<User>,
    /// The session's CSRF token.
    pub csrf: String,
    /// The session cookie's token.
    pub session_token: Option<String>,
    /// Whether cookies are to be marked `Secure`.
    pub secure: bool,
}

impl Ctx {
    /// The signed-in user, or [`AppError::Unauthorized`].
    ///
    /// # Errors
    ///
    /// [`AppError::Unauthorized`] without a session.
    pub fn user(&self) -> Result<&User, AppError> {
        self.user.as_ref().ok_or(AppError::Unauthorized)
    }

    /// The signed-in admin, or [`AppError::Unauthorized`] / [`AppError::Forbidden`].
    ///
    /// # Errors
    ///
    /// As above.
    pub fn admin(&self) -> Result<&User, AppError> {
        let user = self.user()?;
        if user.role == Role::Admin {
            Ok(user)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The Finnish, Swedish or English text by the page language.
    pub fn t<'a>(&self, fi: &'a str, sv: &'a str, en: &'a str) -> &'a str {
        views::t(self.lang, fi, sv, en)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| AppError::Internal("the context middleware is not installed".into()))
    }
}

/// The value of a cookie.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, path `/`, `Secure` when asked; a
/// `max_age` of 0 deletes the cookie.
pub fn set_cookie(name: &str, value: &str, max_age_seconds: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let text = format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_seconds}{secure}"
    );
    // The parts are ASCII tokens (hex, names, numbers): always a valid header value.
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("invalid=1"))
}

fn lang_of(headers: &HeaderMap) -> Lang {
    if let Some(lang) = cookie(headers, LANG_COOKIE).and_then(|value| value.parse::<Lang>().ok()) {
        return lang;
    }
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let first = accept
        .split(',')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if first.is_empty() || first.starts_with("fi") {
        Lang::Fi
    } else if first.starts_with("sv") {
        Lang::Sv
    } else {
        Lang::En
    }
}

fn is_write(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Paths whose writes need no session token: signing in (the login form has a token of its
/// own; the JSON login cannot be posted cross-site without a CORS preflight) and login links
/// (their URL is the secret).
fn exempt_from_csrf(path: &str) -> bool {
    path == "/login" || path == "/api/v1/login" || path.starts_with("/login/link/")
}

/// Finds the token of a write: the header, a form field, or (for uploads) a query parameter.
/// Returns the request with its body intact.
async fn written_token(request: Request) -> Result<(Option<String>, Request), AppError> {
    if let Some(value) = request
        .headers()
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
    {
        let token = value.to_owned();
        return Ok((Some(token), request));
    }
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if content_type.starts_with("application/x-www-form-urlencoded") {
        let (parts, body) = request.into_parts();
        let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
            .await
            .map_err(|_| AppError::TooLarge {
                name: None,
                limit: MAX_FORM_BYTES as u64,
            })?;
        let token = form_field(&bytes, CSRF_FIELD);
        return Ok((token, Request::from_parts(parts, Body::from(bytes))));
    }
    let token = request
        .uri()
        .query()
        .and_then(|query| form_field(query.as_bytes(), CSRF_FIELD));
    Ok((token, request))
}

/// The raw value of `name` in an urlencoded string (tokens are hex: no decoding needed).
fn form_field(body: &[u8], name: &str) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    text.split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// Constant-time comparison of two tokens.
pub fn tokens_equal(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The middleware: context in, CSRF checked, errors rendered.
pub async fn context(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let query = request.uri().query().map(str::to_owned);
    let headers = request.headers().clone();
    let lang = lang_of(&headers);
    let secure = state.config.secure_cookies
        || headers
            .get("x-forwarded-proto")
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"));
    let response = match prepare(&state, request, lang, secure).await {
        Ok(request) => next.run(request).await,
        Err(error) => error.into_response(),
    };
    render_error(response, &path, query.as_deref(), lang)
}

async fn prepare(
    state: &AppState,
    request: Request,
    lang: Lang,
    secure: bool,
) -> Result<Request, AppError> {
    let token = cookie(request.headers(), SESSION_COOKIE).filter(|t| !t.is_empty());
    let signed_in = match token.clone() {
        Some(token) => {
            state
                .db
                .run(move |store| Ok(accounts::session(store, &token)?))
                .await?
        }
        None => None,
    };
    let (user, csrf) = match signed_in {
        Some(signed_in) => (Some(signed_in.user), signed_in.session.csrf_token),
        None => (None, String::new()),
    };
    let mut request = request;
    if is_write(request.method()) && !exempt_from_csrf(request.uri().path()) {
        let (written, checked) = written_token(request).await?;
        request = checked;
        if user.is_none() {
            return Err(AppError::Unauthorized);
        }
        if !written.is_some_and(|written| tokens_equal(&written, &csrf)) {
            return Err(AppError::Csrf);
        }
    }
    request.extensions_mut().insert(Ctx {
        lang,
        user,
        csrf,
        session_token: token,
        secure,
    });
    Ok(request)
}

fn render_error(response: Response, path: &str, query: Option<&str>, lang: Lang) -> Response {
    let Some(info) = response.extensions().get::<ErrorInfo>().cloned() else {
        return response;
    };
    let message = views::t(lang, &info.fi, &info.sv, &info.en);
    if path.starts_with("/api/") {
        let body = serde_json::json!({
            "error": {
                "code": info.code,
                "message": message,
                "message_fi": info.fi,
                "message_sv": info.sv,
                "message_en": info.en,
            }
        });
        return (info.status, axum::Json(body)).into_response();
    }
    if info.status == StatusCode::UNAUTHORIZED && path != "/login" {
        let next = match query {
            Some(query) => format!("{path}?{query}"),
            None => path.to_owned(),
        };
        let mut response =
            Redirect::to(&format!("/login?next={}", views::url_encode(&next))).into_response();
        // An expired session's cookie is dropped; the wizard's files stay in the database.
        response
            .headers_mut()
            .append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", 0, false));
        return response;
    }
    (info.status, views::error_page(lang, info.status, message)).into_response()
}
