//! Signing in and out.

use crate::error::AppError;
use crate::state::AppState;
use tuonti_domain::User;
use tuonti_importer::accounts::{self, NewSession};

/// Signs in with email and password.
///
/// # Errors
///
/// [`AppError::Importer`] with the login refusal (wrong credentials, throttled).
pub async fn login(
    state: &AppState,
    email: String,
    password: String,
) -> Result<NewSession, AppError> {
    state
        .db
        .run(move |store| Ok(accounts::login(store, &email, &password)?))
        .await
}

/// Ends a session.
///
/// # Errors
///
/// [`AppError::Importer`] when the database fails.
pub async fn logout(state: &AppState, token: Option<String>) -> Result<(), AppError> {
    match token {
        Some(token) => {
            state
                .db
                .run(move |store| Ok(accounts::logout(store, &token)?))
                .await
        }
        None => Ok(()),
    }
}

/// The user a login link is for.
///
/// # Errors
///
/// [`AppError::Importer`] with [`accounts::LoginError::BadLink`].
pub async fn link_user(state: &AppState, token: String) -> Result<User, AppError> {
    state
        .db
        .run(move |store| Ok(accounts::login_link_user(store, &token)?))
        .await
}

/// Uses a login link: sets the password and signs in.
///
/// # Errors
///
/// As [`accounts::redeem_login_link`].
pub async fn redeem_link(
    state: &AppState,
    token: String,
    password: String,
) -> Result<NewSession, AppError> {
    state
        .db
        .run(move |store| Ok(accounts::redeem_login_link(store, &token, &password)?))
        .await
}
