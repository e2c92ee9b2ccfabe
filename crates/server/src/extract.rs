//! axum's `Query` and `Path` extractors with the app's own errors: a query string or a path
//! that does not parse gets the error page (or the API's JSON error) in the user's language
//! instead of axum's plain-text rejection.

use crate::error::AppError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// The query string, deserialized; a bad one is `400 bad_request` with what is wrong.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Query(value)),
            Err(rejection) => {
                let detail = rejection.body_text();
                let detail = detail
                    .strip_prefix("Failed to deserialize query string: ")
                    .unwrap_or(&detail);
                Err(AppError::BadRequest {
                    fi: format!("Osoitteen hakuehdot eivät kelpaa: {detail}"),
                    sv: format!("Adressens sökvillkor duger inte: {detail}"),
                    en: format!("The address's query is not valid: {detail}"),
                })
            }
        }
    }
}

/// The path's parameters, deserialized; a path whose id is not a number names no record and
/// is `404 not_found`, as any other unknown path.
#[derive(Debug, Clone, Copy, Default)]
pub struct Path<T>(pub T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| Path(value))
            .map_err(|_| AppError::NotFound)
    }
}
