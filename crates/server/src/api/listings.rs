//! The contacts and projects API (any signed-in user): listings and xlsx exports.

use crate::auth::Ctx;
use crate::error::AppError;
use crate::extract::Query;
use crate::pages::{XLSX, attachment};
use crate::service::listings::{self as service, ContactFilters, PageParams, ProjectFilters};
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use tuonti_domain::{Lang, RecordKind};
use tuonti_importer::contacts::ContactView;
use tuonti_importer::paging::Listing;
use tuonti_importer::projects::ProjectView;

/// The routes of the contacts and projects API.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/contacts", get(contacts))
        .route("/api/v1/contacts/export.xlsx", get(export_contacts))
        .route("/api/v1/projects", get(projects))
        .route("/api/v1/projects/export.xlsx", get(export_projects))
}

/// The language of a listing: `lang` in the query, else the request's.
fn lang_of(ctx: &Ctx, lang: Option<&str>) -> Lang {
    lang.and_then(|code| code.parse::<Lang>().ok())
        .unwrap_or(ctx.lang)
}

/// An export's file name: the kind's sheet name in `lang`, in ASCII letters
/// ("yhteyshenkilot.xlsx", "projects.xlsx").
pub(crate) fn export_name(kind: RecordKind, lang: Lang) -> String {
    let name: String = kind
        .label(lang)
        .chars()
        .map(|c| match c {
            'ä' | 'å' => 'a',
            'ö' => 'o',
            other => other,
        })
        .collect();
    format!("{name}.xlsx")
}

/// Where a listing's page is: `count` rows of this response, `total` of all that match,
/// the page's `limit` and `offset`, and the `next_offset` (`null` on the last page).
#[derive(Serialize)]
pub(crate) struct PageInfo {
    count: usize,
    total: u64,
    limit: u64,
    offset: u64,
    next_offset: Option<u64>,
}

impl PageInfo {
    /// The page of `listing` and its rows.
    pub(crate) fn split<T>(listing: Listing<T>) -> (PageInfo, Vec<T>) {
        let info = PageInfo {
            count: listing.rows.len(),
            total: listing.total,
            limit: listing.page.map_or(listing.total, |page| page.limit()),
            offset: listing.offset(),
            next_offset: listing.next_offset(),
        };
        (info, listing.rows)
    }
}

#[derive(Serialize)]
struct ContactList {
    #[serde(flatten)]
    page: PageInfo,
    contacts: Vec<ContactView>,
}

#[derive(Deserialize)]
struct ContactParams {
    #[serde(flatten)]
    filters: ContactFilters,
    #[serde(flatten)]
    page: PageParams,
    lang: Option<String>,
}

async fn contacts(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<ContactParams>,
) -> Result<Json<ContactList>, AppError> {
    ctx.user()?;
    let lang = lang_of(&ctx, params.lang.as_deref());
    let page = params.page.page()?;
    let (page, contacts) =
        PageInfo::split(service::contacts(&state, &params.filters, page, lang).await?);
    Ok(Json(ContactList { page, contacts }))
}

async fn export_contacts(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<ContactParams>,
) -> Result<Response, AppError> {
    ctx.user()?;
    let lang = lang_of(&ctx, params.lang.as_deref());
    let (bytes, _) = service::export_contacts(&state, &params.filters, lang).await?;
    Ok(attachment(
        &export_name(RecordKind::Contact, lang),
        XLSX,
        bytes,
    ))
}

#[derive(Serialize)]
struct ProjectList {
    #[serde(flatten)]
    page: PageInfo,
    projects: Vec<ProjectView>,
}

#[derive(Deserialize)]
struct ProjectParams {
    #[serde(flatten)]
    filters: ProjectFilters,
    #[serde(flatten)]
    page: PageParams,
    lang: Option<String>,
}

async fn projects(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<ProjectParams>,
) -> Result<Json<ProjectList>, AppError> {
    ctx.user()?;
    let lang = lang_of(&ctx, params.lang.as_deref());
    let page = params.page.page()?;
    let (page, projects) =
        PageInfo::split(service::projects(&state, &params.filters, page, lang).await?);
    Ok(Json(ProjectList { page, projects }))
}

async fn export_projects(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<ProjectParams>,
) -> Result<Response, AppError> {
    ctx.user()?;
    let lang = lang_of(&ctx, params.lang.as_deref());
    let (bytes, _) = service::export_projects(&state, &params.filters, lang).await?;
    Ok(attachment(
        &export_name(RecordKind::Project, lang),
        XLSX,
        bytes,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_names_are_ascii() {
        assert_eq!(
            export_name(RecordKind::Contact, Lang::Fi),
            "yhteyshenkilot.xlsx"
        );
        assert_eq!(export_name(RecordKind::Project, Lang::En), "projects.xlsx");
        assert_eq!(
            export_name(RecordKind::Contact, Lang::Sv),
            "kontaktpersoner.xlsx"
        );
    }
}
