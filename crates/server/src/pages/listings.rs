//! The contacts and projects listings with their filters and Excel export.

use crate::api::listings::export_name;
use crate::auth::Ctx;
use crate::error::AppError;
use crate::extract::Query;
use crate::pages::{XLSX, attachment};
use crate::service::listings::{
    self as service, ContactFilters, ListingOptions, PageParams, ProjectFilters,
};
use crate::state::AppState;
use crate::views::{grouped, notice, page};
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::{Markup, html};
use serde::Deserialize;
use tuonti_domain::{ProjectStatus, RecordKind, Role};
use tuonti_importer::contacts::ContactView;
use tuonti_importer::paging::{DEFAULT_LIMIT, Listing, Page};
use tuonti_importer::projects::{self, ProjectView};

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/contacts", get(contacts_page))
        .route("/contacts/export.xlsx", get(export_contacts))
        .route("/projects", get(projects_page))
        .route("/projects/export.xlsx", get(export_projects))
}

/// The company filter: a text field for a customer number, business ID or exact name.
fn company_field(ctx: &Ctx, value: Option<&str>) -> Markup {
    html! {
        div {
            label for="filter-company" { (ctx.t("Yritys", "Företag", "Company")) }
            input #filter-company type="text" name="company" value=[value]
                placeholder=(ctx.t("asiakasnumero, Y-tunnus tai nimi", "kundnummer, FO-nummer eller namn", "customer number, business ID or name"));
        }
    }
}

/// A select of users by email.
fn user_select(
    ctx: &Ctx,
    id: &str,
    label: &str,
    options: &ListingOptions,
    selected: Option<&str>,
) -> Markup {
    html! {
        div {
            label for=(id) { (label) }
            select id=(id) name="manager" {
                option value="" { (ctx.t("– kaikki –", "– alla –", "– all –")) }
                @for user in &options.users {
                    option value=(user.email) selected[selected == Some(user.email.as_str())] { (user.display_name) " (" (user.email) ")" }
                }
            }
        }
    }
}

/// The link to a batch: to its history page for admins, its number for others.
fn batch_link(ctx: &Ctx, batch: Option<i64>) -> Markup {
    let is_admin = ctx
        .user
        .as_ref()
        .is_some_and(|user| user.role == Role::Admin);
    html! {
        @if let Some(batch) = batch {
            @if is_admin { a href=(format!("/history/{batch}")) { "#" (batch) } } @else { "#" (batch) }
        }
    }
}

/// A link to the page of `limit` rows from `offset` of the listing at `path`, keeping the
/// filters (`filters` is their query string; the default limit is left out).
fn page_href(path: &str, filters: &str, limit: u64, offset: u64) -> String {
    let mut query: Vec<String> = Vec::new();
    if !filters.is_empty() {
        query.push(filters.to_owned());
    }
    if limit != DEFAULT_LIMIT {
        query.push(format!("limit={limit}"));
    }
    query.push(format!("offset={offset}"));
    format!("{path}?{}", query.join("&"))
}

/// The listing's place ("Rows 201–300 of 47,000 companies"), the export link, and the links
/// to the previous and next pages, which keep the filters.
pub(crate) fn listing_head<T>(
    ctx: &Ctx,
    listing: &Listing<T>,
    noun: &str,
    path: &str,
    filters: &str,
) -> Markup {
    let export_href = format!("{path}/export.xlsx?{filters}");
    let total = grouped(listing.total, ctx.lang);
    let limit = listing.page.map_or(DEFAULT_LIMIT, |page| page.limit());
    let previous = listing
        .previous_offset()
        .map(|offset| page_href(path, filters, limit, offset));
    let next = listing
        .next_offset()
        .map(|offset| page_href(path, filters, limit, offset));
    html! {
        div.actions {
            p role="status" {
                @match listing.span() {
                    Some((first, last)) => {
                        (ctx.t("Rivit", "Rader", "Rows")) " " (grouped(first, ctx.lang)) "–" (grouped(last, ctx.lang))
                        (ctx.t(", yhteensä", " av", " of")) " " strong { (total) } " " (noun)
                    }
                    None if listing.total > 0 => {
                        (ctx.t("Tällä sivulla ei ole rivejä; yhteensä", "Inga rader på den här sidan; totalt", "No rows on this page; in all"))
                        " " strong { (total) } " " (noun)
                    }
                    None => { strong { (total) } " " (noun) }
                }
            }
            a.button.secondary href=(export_href) download { (ctx.t("Vie Exceliin", "Exportera till Excel", "Export to Excel")) }
        }
        (pager(ctx, previous.as_deref(), next.as_deref()))
    }
}

/// The rows-per-page choice of a listing's filter form, so that filtering keeps the page
/// size (a size given in the address that is not among the choices is kept as one).
pub(crate) fn page_size_field(ctx: &Ctx, limit: u64) -> Markup {
    let mut sizes = vec![25, 50, DEFAULT_LIMIT, 250, 500, 1000];
    if !sizes.contains(&limit) {
        sizes.push(limit);
        sizes.sort_unstable();
    }
    html! {
        div {
            label for="filter-limit" { (ctx.t("Rivejä sivulla", "Rader per sida", "Rows per page")) }
            select #filter-limit name="limit" {
                @for size in sizes {
                    option value=(size) selected[size == limit] { (size) }
                }
            }
        }
    }
}

/// The page size asked for, for the filter form: the default when the paging cannot be read
/// (the page says why).
pub(crate) fn asked_limit(page: &Result<Page, AppError>) -> u64 {
    page.as_ref().map_or(DEFAULT_LIMIT, Page::limit)
}

/// The links to the previous and next pages, when there are such.
fn pager(ctx: &Ctx, previous: Option<&str>, next: Option<&str>) -> Markup {
    html! {
        @if previous.is_some() || next.is_some() {
            nav.pager aria-label=(ctx.t("Sivut", "Sidor", "Pages")) {
                @if let Some(href) = previous {
                    a rel="prev" href=(href) { "← " (ctx.t("Edellinen sivu", "Föregående sida", "Previous page")) }
                }
                @if let Some(href) = next {
                    a rel="next" href=(href) { (ctx.t("Seuraava sivu", "Nästa sida", "Next page")) " →" }
                }
            }
        }
    }
}

/// The status of a page whose listing was refused: 400 for paging that cannot be read (as a
/// query string that does not parse), else 422 (an unknown or ambiguous name in a filter).
pub(crate) fn refusal_status(error: &tuonti_importer::Error) -> StatusCode {
    match error {
        tuonti_importer::Error::Page(_) => StatusCode::BAD_REQUEST,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// The filters and page of the contacts page.
#[derive(Deserialize)]
struct ContactPageParams {
    #[serde(flatten)]
    filters: ContactFilters,
    #[serde(flatten)]
    page: PageParams,
}

/// The filters and page of the projects page.
#[derive(Deserialize)]
struct ProjectPageParams {
    #[serde(flatten)]
    filters: ProjectFilters,
    #[serde(flatten)]
    page: PageParams,
}

// --- contacts ------------------------------------------------------------------------------

fn contacts_view(
    ctx: &Ctx,
    limit: u64,
    filters: &ContactFilters,
    options: &ListingOptions,
    contacts: Result<&Listing<ContactView>, String>,
) -> Markup {
    let query = filters.query();
    let title = ctx.t("Yhteyshenkilöt", "Kontaktpersoner", "Contacts");
    let body = html! {
        h1 { (title) }
        section.card {
            form.filters method="get" action="/contacts" {
                (company_field(ctx, query.company.as_deref()))
                (user_select(ctx, "filter-manager", ctx.t("Asiakasvastaava", "Kundansvarig", "Account manager"), options, query.account_manager.as_deref()))
                (page_size_field(ctx, limit))
                div { button type="submit" { (ctx.t("Suodata", "Filtrera", "Filter")) } }
            }
        }
        @match contacts {
            Err(message) => (notice("error", &message)),
            Ok(listing) => {
                (listing_head(ctx, listing, ctx.t("yhteyshenkilöä", "kontaktpersoner", "contacts"), "/contacts", &filters.to_query_string()))
                @if listing.rows.is_empty() {
                    // Past the last page the status line leads back.
                    @if listing.total == 0 { p { (ctx.t("Ei yhteyshenkilöitä näillä ehdoilla.", "Inga kontaktpersoner motsvarar villkoren.", "No contacts match.")) } }
                } @else {
                    section.card {
                        table {
                            thead { tr {
                                th { (ctx.t("Nimi", "Namn", "Name")) }
                                th { (ctx.t("Titteli", "Titel", "Title")) }
                                th { (ctx.t("Sähköposti", "E-post", "Email")) }
                                th { (ctx.t("Puhelin", "Telefon", "Phone")) }
                                th { (ctx.t("Yritys", "Företag", "Company")) }
                                th { (ctx.t("Y-tunnus", "FO-nummer", "Business ID")) }
                                th { (ctx.t("Asiakasnumero", "Kundnummer", "Customer number")) }
                                th { (ctx.t("Tuontierä", "Skapad av batch", "Created by batch")) }
                            } }
                            tbody {
                                @for contact in &listing.rows {
                                    tr {
                                        td { (contact.full_name) }
                                        td { (contact.fields.title.as_deref().unwrap_or("")) }
                                        td { (contact.fields.email.as_deref().unwrap_or("")) }
                                        td { (contact.fields.phone.as_deref().unwrap_or("")) }
                                        td { (contact.company.name) }
                                        td { (contact.company.business_id.as_deref().unwrap_or("")) }
                                        td { (contact.company.customer_number.as_deref().unwrap_or("")) }
                                        td { (batch_link(ctx, contact.created_by_batch)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    page(ctx, title, "contacts", body)
}

async fn contacts_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<ContactPageParams>,
) -> Result<Response, AppError> {
    ctx.user()?;
    let filters = params.filters;
    let options = service::listing_options(&state).await?;
    let page = params.page.page();
    let limit = asked_limit(&page);
    let listing = match page {
        Ok(page) => service::contacts(&state, &filters, page, ctx.lang).await,
        Err(error) => Err(error),
    };
    let view = |listing| contacts_view(&ctx, limit, &filters, &options, listing);
    match listing {
        Ok(listing) => Ok(view(Ok(&listing)).into_response()),
        // An unknown or ambiguous company or manager, a bad page: say which, with the filters.
        Err(AppError::Importer(error)) if error.is_user_error() => {
            let markup = view(Err(error.message(ctx.lang)));
            Ok((refusal_status(&error), markup).into_response())
        }
        Err(error) => Err(error),
    }
}

async fn export_contacts(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(filters): Query<ContactFilters>,
) -> Result<Response, AppError> {
    ctx.user()?;
    let (bytes, _) = service::export_contacts(&state, &filters, ctx.lang).await?;
    Ok(attachment(
        &export_name(RecordKind::Contact, ctx.lang),
        XLSX,
        bytes,
    ))
}

// --- projects ------------------------------------------------------------------------------

fn projects_view(
    ctx: &Ctx,
    limit: u64,
    filters: &ProjectFilters,
    options: &ListingOptions,
    projects: Result<&Listing<ProjectView>, String>,
) -> Markup {
    let query = filters.query();
    let status: Option<ProjectStatus> = query.status.as_deref().and_then(|word| word.parse().ok());
    let title = ctx.t("Projektit", "Projekt", "Projects");
    let date = |date: Option<chrono::NaiveDate>| {
        date.map(|date| date.format("%-d.%-m.%Y").to_string())
            .unwrap_or_default()
    };
    let body = html! {
        h1 { (title) }
        section.card {
            form.filters method="get" action="/projects" {
                (company_field(ctx, query.company.as_deref()))
                (user_select(ctx, "filter-manager", ctx.t("Projektipäällikkö", "Projektledare", "Project manager"), options, query.project_manager.as_deref()))
                div {
                    label for="filter-status" { (ctx.t("Tila", "Status", "Status")) }
                    select #filter-status name="status" {
                        option value="" { (ctx.t("– kaikki –", "– alla –", "– all –")) }
                        @for candidate in projects::STATUSES {
                            option value=(candidate.as_str()) selected[status == Some(candidate)] { (projects::status_label(candidate, ctx.lang)) }
                        }
                    }
                }
                div {
                    label for="filter-branch" { (ctx.t("Toimiala", "Bransch", "Branch of business")) }
                    select #filter-branch name="branch" {
                        option value="" { (ctx.t("– kaikki –", "– alla –", "– all –")) }
                        @for branch in &options.branches {
                            option value=(branch.name) selected[query.branch.as_deref() == Some(branch.name.as_str())] { (branch.name) }
                        }
                    }
                }
                (page_size_field(ctx, limit))
                div { button type="submit" { (ctx.t("Suodata", "Filtrera", "Filter")) } }
            }
        }
        @match projects {
            Err(message) => (notice("error", &message)),
            Ok(listing) => {
                (listing_head(ctx, listing, ctx.t("projektia", "projekt", "projects"), "/projects", &filters.to_query_string()))
                @if listing.rows.is_empty() {
                    // Past the last page the status line leads back.
                    @if listing.total == 0 { p { (ctx.t("Ei projekteja näillä ehdoilla.", "Inga projekt motsvarar villkoren.", "No projects match.")) } }
                } @else {
                    section.card {
                        table {
                            thead { tr {
                                th { (ctx.t("Numero", "Nummer", "Number")) }
                                th { (ctx.t("Projekti", "Projekt", "Project")) }
                                th { (ctx.t("Yritys", "Företag", "Company")) }
                                th { (ctx.t("Tila", "Status", "Status")) }
                                th { (ctx.t("Alku", "Början", "Start")) }
                                th { (ctx.t("Loppu", "Slut", "End")) }
                                th.num { (ctx.t("Arvo (€)", "Värde (€)", "Value (€)")) }
                                th { (ctx.t("Projektipäällikkö", "Projektledare", "Project manager")) }
                                th { (ctx.t("Toimiala", "Bransch", "Branch")) }
                                th { (ctx.t("Yhteyshenkilö", "Kontaktperson", "Contact person")) }
                                th { (ctx.t("Tuontierä", "Skapad av batch", "Created by batch")) }
                            } }
                            tbody {
                                @for project in &listing.rows {
                                    tr {
                                        td { (project.project_number) }
                                        td { (project.name) }
                                        td { (project.company.name) }
                                        td { (project.status_label) }
                                        td { span.nowrap { (date(project.start_date)) } }
                                        td { span.nowrap { (date(project.end_date)) } }
                                        td.num { (project.value.as_deref().unwrap_or("")) }
                                        td { (project.project_manager.as_deref().unwrap_or("")) }
                                        td { (project.branch.as_deref().unwrap_or("")) }
                                        td { (project.contact_person.as_deref().unwrap_or("")) }
                                        td { (batch_link(ctx, project.created_by_batch)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    page(ctx, title, "projects", body)
}

async fn projects_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<ProjectPageParams>,
) -> Result<Response, AppError> {
    ctx.user()?;
    let filters = params.filters;
    let options = service::listing_options(&state).await?;
    let page = params.page.page();
    let limit = asked_limit(&page);
    let listing = match page {
        Ok(page) => service::projects(&state, &filters, page, ctx.lang).await,
        Err(error) => Err(error),
    };
    let view = |listing| projects_view(&ctx, limit, &filters, &options, listing);
    match listing {
        Ok(listing) => Ok(view(Ok(&listing)).into_response()),
        // An unknown company, manager, status or branch, a bad page: say which, with the
        // filters to fix it.
        Err(AppError::Importer(error)) if error.is_user_error() => {
            let markup = view(Err(error.message(ctx.lang)));
            Ok((refusal_status(&error), markup).into_response())
        }
        Err(error) => Err(error),
    }
}

async fn export_projects(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(filters): Query<ProjectFilters>,
) -> Result<Response, AppError> {
    ctx.user()?;
    let (bytes, _) = service::export_projects(&state, &filters, ctx.lang).await?;
    Ok(attachment(
        &export_name(RecordKind::Project, ctx.lang),
        XLSX,
        bytes,
    ))
}
