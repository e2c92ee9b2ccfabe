//! The settings pages: users (with one-time login links), company types, customer groups and
//! branches of business.
//!
//! Every write is a form that posts to the record's own path and comes back with a redirect
//! (303) to the page and a `done` key, shown as a notice in the user's language; a refusal
//! renders the page again with the importer's message and status 422.

use crate::auth::Ctx;
use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::pages::{field, parse_form};
use crate::service::setup::{
    self as service, BranchRow, BranchTarget, GroupRow, GroupTarget, LoginLink, NewTypeNames,
    TypeRow, UserRow,
};
use crate::state::AppState;
use crate::views::{csrf_field, notice, page};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;
use tuonti_domain::{CompanyType, Lang, Role};

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/settings/users", get(users_page).post(add_user))
        .route("/settings/users/{id}/role", post(set_role))
        .route("/settings/users/{id}/deactivate", post(deactivate))
        .route("/settings/users/{id}/activate", post(activate))
        .route("/settings/users/{id}/login-link", post(login_link))
        .route("/settings/types", get(types_page).post(add_type))
        .route("/settings/types/{id}/rename", post(rename_type))
        .route("/settings/types/{id}/archive", post(archive_type))
        .route("/settings/types/{id}/restore", post(restore_type))
        .route("/settings/groups", get(groups_page).post(add_group))
        .route("/settings/groups/{id}/rename", post(rename_group))
        .route("/settings/groups/{id}/remove", post(remove_group))
        .route("/settings/branches", get(branches_page).post(add_branch))
        .route("/settings/branches/{id}/rename", post(rename_branch))
        .route("/settings/branches/{id}/remove", post(remove_branch))
}

/// The settings pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Users,
    Types,
    Groups,
    Branches,
}

impl Section {
    fn path(self) -> &'static str {
        match self {
            Section::Users => "/settings/users",
            Section::Types => "/settings/types",
            Section::Groups => "/settings/groups",
            Section::Branches => "/settings/branches",
        }
    }
}

/// What a redirect's `done` key says. Only these keys are shown: nothing of the URL is echoed.
fn done_message(ctx: &Ctx, done: &str) -> Option<&'static str> {
    Some(match done {
        "user-added" => ctx.t(
            "Käyttäjä lisättiin.",
            "Användaren lades till.",
            "The user was added.",
        ),
        "role" => ctx.t(
            "Rooli vaihdettiin.",
            "Rollen ändrades.",
            "The role was changed.",
        ),
        "deactivated" => ctx.t(
            "Käyttäjä poistettiin käytöstä.",
            "Användaren togs ur bruk.",
            "The user was deactivated.",
        ),
        "activated" => ctx.t(
            "Käyttäjä otettiin käyttöön.",
            "Användaren togs i bruk.",
            "The user was activated.",
        ),
        "type-added" => ctx.t(
            "Yritystyyppi lisättiin.",
            "Företagstypen lades till.",
            "The company type was added.",
        ),
        "type-renamed" => ctx.t(
            "Yritystyypin nimet tallennettiin.",
            "Företagstypens namn sparades.",
            "The company type's names were saved.",
        ),
        "archived" => ctx.t(
            "Yritystyyppi arkistoitiin.",
            "Företagstypen arkiverades.",
            "The company type was archived.",
        ),
        "restored" => ctx.t(
            "Yritystyyppi palautettiin käyttöön.",
            "Företagstypen togs i bruk igen.",
            "The company type was restored.",
        ),
        "group-added" => ctx.t(
            "Asiakasryhmä lisättiin.",
            "Kundgruppen lades till.",
            "The customer group was added.",
        ),
        "group-renamed" => ctx.t(
            "Asiakasryhmä nimettiin uudelleen.",
            "Kundgruppen bytte namn.",
            "The customer group was renamed.",
        ),
        "removed" => ctx.t(
            "Asiakasryhmä poistettiin.",
            "Kundgruppen togs bort.",
            "The customer group was removed.",
        ),
        "branch-added" => ctx.t(
            "Toimiala lisättiin.",
            "Branschen lades till.",
            "The branch of business was added.",
        ),
        "branch-renamed" => ctx.t(
            "Toimiala nimettiin uudelleen.",
            "Branschen bytte namn.",
            "The branch of business was renamed.",
        ),
        "branch-removed" => ctx.t(
            "Toimiala poistettiin.",
            "Branschen togs bort.",
            "The branch of business was removed.",
        ),
        _ => return None,
    })
}

#[derive(Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

fn done_notice(ctx: &Ctx, query: &DoneQuery) -> Markup {
    match query
        .done
        .as_deref()
        .and_then(|done| done_message(ctx, done))
    {
        Some(message) => notice("ok", message),
        None => html! {},
    }
}

async fn render(
    state: &AppState,
    ctx: &Ctx,
    section: Section,
    notices: Markup,
) -> Result<Markup, AppError> {
    Ok(match section {
        Section::Users => {
            let users = service::users(state).await?;
            users_view(ctx, &users, notices)
        }
        Section::Types => {
            let types = service::types(state).await?;
            types_view(ctx, &types, notices)
        }
        Section::Groups => {
            let groups = service::groups(state).await?;
            groups_view(ctx, &groups, notices)
        }
        Section::Branches => {
            let branches = service::branches(state).await?;
            branches_view(ctx, &branches, notices)
        }
    })
}

/// After a write: back to the page with a notice, or the page again with the refusal.
async fn finish<T>(
    state: &AppState,
    ctx: &Ctx,
    section: Section,
    outcome: Result<T, AppError>,
    done: &str,
) -> Result<Response, AppError> {
    match outcome {
        Ok(_) => Ok(Redirect::to(&format!("{}?done={done}", section.path())).into_response()),
        Err(error) => refused(state, ctx, section, error).await,
    }
}

/// The page again with a refusal's message (status 422); other errors, and a record that is
/// not there (404), go on.
async fn refused(
    state: &AppState,
    ctx: &Ctx,
    section: Section,
    error: AppError,
) -> Result<Response, AppError> {
    let user_error = match &error {
        AppError::Importer(inner) => {
            inner.is_user_error() && error.status() != StatusCode::NOT_FOUND
        }
        AppError::BadRequest { .. } | AppError::Refused { .. } => true,
        _ => false,
    };
    if !user_error {
        return Err(error);
    }
    let markup = render(
        state,
        ctx,
        section,
        notice("error", &error.message(ctx.lang)),
    )
    .await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, markup).into_response())
}

/// A trimmed, non-empty form value.
fn text(form: &[(String, String)], name: &str) -> Option<String> {
    field(form, name)
        .map(str::trim)
        .filter(|value| !value.is_empty())
        .map(str::to_owned)
}

/// An id chosen in a dropdown; an empty choice is `None`.
fn chosen_id(form: &[(String, String)], name: &str) -> Result<Option<i64>, AppError> {
    match text(form, name) {
        None => Ok(None),
        Some(value) => value.parse().map(Some).map_err(|_| {
            AppError::bad_request(
                format!("Valinta {value:?} ei kelpaa."),
                format!("Valet {value:?} duger inte."),
                format!("The choice {value:?} is not valid."),
            )
        }),
    }
}

fn role_of(form: &[(String, String)]) -> Result<Role, AppError> {
    let value = text(form, "role").unwrap_or_else(|| "member".into());
    value
        .parse::<Role>()
        .map_err(|error| AppError::Importer(error.into()))
}

fn yes_no(ctx: &Ctx, value: bool) -> &'static str {
    if value {
        ctx.t("Kyllä", "Ja", "Yes")
    } else {
        ctx.t("Ei", "Nej", "No")
    }
}

// --- users ---------------------------------------------------------------------------------

fn users_view(ctx: &Ctx, users: &[UserRow], notices: Markup) -> Markup {
    let active: Vec<&UserRow> = users.iter().filter(|row| row.user.active).collect();
    let body = html! {
        h1 { (ctx.t("Käyttäjät", "Användare", "Users")) }
        (notices)
        p.hint { (ctx.t(
            "Käyttäjät ovat asiakasvastaavia. Pääkäyttäjät voivat tuoda asiakkaita ja muuttaa asetuksia; käyttäjät näkevät yritykset.",
            "Användarna är kundansvariga. Administratörer importerar kunder och ändrar inställningarna; användare ser företagen.",
            "Users are the account managers. Admins import customers and change the settings; members see the companies."
        )) }
        section.card {
            table {
                caption.hint { (ctx.t("Kaikki käyttäjät", "Alla användare", "All users")) }
                thead { tr {
                    th { (ctx.t("Nimi", "Namn", "Name")) }
                    th { (ctx.t("Sähköposti", "E-post", "Email")) }
                    th { (ctx.t("Rooli", "Roll", "Role")) }
                    th { (ctx.t("Aktiivinen", "Aktiv", "Active")) }
                    th.num { (ctx.t("Yrityksiä", "Företag", "Companies")) }
                    th { (ctx.t("Toiminnot", "Åtgärder", "Actions")) }
                } }
                tbody {
                    @for row in users {
                        @let user = &row.user;
                        @let id = user.id.get();
                        tr {
                            td { (user.display_name) }
                            td { (user.email) }
                            td { (user.role.label(ctx.lang)) }
                            td { (yes_no(ctx, user.active)) }
                            td.num { (row.companies) }
                            td {
                                details {
                                    summary { (ctx.t("Muokkaa", "Redigera", "Edit")) span.visually-hidden { " " (user.display_name) } }
                                    form method="post" action=(format!("/settings/users/{id}/role")) {
                                        (csrf_field(ctx))
                                        label for=(format!("role-{id}")) { (ctx.t("Rooli", "Roll", "Role")) }
                                        select id=(format!("role-{id}")) name="role" {
                                            @for role in [Role::Admin, Role::Member] {
                                                option value=(role.as_str()) selected[user.role == role] { (role.label(ctx.lang)) }
                                            }
                                        }
                                        div.actions { button.secondary type="submit" { (ctx.t("Vaihda rooli", "Byt roll", "Change role")) } }
                                    }
                                    @if user.active {
                                        form method="post" action=(format!("/settings/users/{id}/deactivate")) {
                                            (csrf_field(ctx))
                                            label for=(format!("move-{id}")) { (ctx.t("Siirrä yritykset käyttäjälle", "Flytta företagen till användaren", "Move the companies to")) }
                                            select id=(format!("move-{id}")) name="move_to" {
                                                option value="" { (ctx.t("– älä siirrä (vain jos ei yrityksiä) –", "– flytta inte (endast utan företag) –", "– do not move (only without companies) –")) }
                                                @for other in active.iter().filter(|other| other.user.id != user.id) {
                                                    option value=(other.user.id.get()) { (other.user.display_name) " (" (other.user.email) ")" }
                                                }
                                            }
                                            div.actions { button.danger type="submit" { (ctx.t("Poista käytöstä", "Ta ur bruk", "Deactivate")) } }
                                        }
                                        form method="post" action=(format!("/settings/users/{id}/login-link")) {
                                            (csrf_field(ctx))
                                            div.actions { button.secondary type="submit" { (ctx.t("Luo kirjautumislinkki", "Skapa en inloggningslänk", "Create a login link")) } }
                                        }
                                    } @else {
                                        form method="post" action=(format!("/settings/users/{id}/activate")) {
                                            (csrf_field(ctx))
                                            div.actions { button type="submit" { (ctx.t("Ota käyttöön", "Ta i bruk", "Activate")) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        section.card {
            h2 { (ctx.t("Lisää käyttäjä", "Lägg till en användare", "Add a user")) }
            form method="post" action="/settings/users" {
                (csrf_field(ctx))
                label for="new-name" { (ctx.t("Nimi", "Namn", "Name")) }
                input #new-name type="text" name="name" required autocomplete="off";
                label for="new-email" { (ctx.t("Sähköposti", "E-post", "Email")) }
                input #new-email type="email" name="email" required autocomplete="off";
                label for="new-role" { (ctx.t("Rooli", "Roll", "Role")) }
                select #new-role name="role" {
                    option value="member" selected { (Role::Member.label(ctx.lang)) }
                    option value="admin" { (Role::Admin.label(ctx.lang)) }
                }
                div.actions { button type="submit" { (ctx.t("Lisää käyttäjä", "Lägg till användaren", "Add the user")) } }
            }
            p.hint { (ctx.t(
                "Uusi käyttäjä saa salasanan kirjautumislinkillä: avaa käyttäjän Muokkaa-valikko ja luo linkki.",
                "En ny användare ställer in sitt lösenord med en inloggningslänk: öppna användarens Redigera-meny och skapa en.",
                "A new user sets a password with a login link: open the user's Edit menu and create one."
            )) }
        }
    };
    page(ctx, ctx.t("Käyttäjät", "Användare", "Users"), "users", body)
}

async fn users_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<DoneQuery>,
) -> Result<Markup, AppError> {
    ctx.admin()?;
    render(&state, &ctx, Section::Users, done_notice(&ctx, &query)).await
}

async fn add_user(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Bytes,
) -> Result<Response, AppError> {
    ctx.admin()?;
    let form = parse_form(&body);
    let outcome = match role_of(&form) {
        Ok(role) => {
            let name = field(&form, "name").unwrap_or_default().to_owned();
            let email = field(&form, "email").unwrap_or_default().to_owned();
            service::add_user(&state, name, email, role).await
        }
        Err(error) => Err(error),
    };
    finish(&state, &ctx, Section::Users, outcome, "user-added").await
}

async fn set_role(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(user_id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    ctx.admin()?;
    let form = parse_form(&body);
    let outcome = match role_of(&form) {
        Ok(role) => service::set_role(&state, user_id, role).await,
        Err(error) => Err(error),
    };
    finish(&state, &ctx, Section::Users, outcome, "role").await
}

async fn deactivate(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(user_id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    ctx.admin()?;
    let form = parse_form(&body);
    let outcome = match chosen_id(&form, "move_to") {
        Ok(move_to) => service::deactivate(&state, user_id, move_to).await,
        Err(error) => Err(error),
    };
    finish(&state, &ctx, Section::Users, outcome, "deactivated").await
}

async fn activate(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(user_id): Path<i64>,
) -> Result<Response, AppError> {
    ctx.admin()?;
    let outcome = service::activate(&state, user_id).await;
    finish(&state, &ctx, Section::Users, outcome, "activated").await
}

/// The link's absolute URL from the request's `Host` header, or its path when the header is
/// missing or holds more than a host name and port.
pub(crate) fn absolute_url(ctx: &Ctx, headers: &HeaderMap, path: &str) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .filter(|host| {
            !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        });
    match host {
        Some(host) => {
            let scheme = if ctx.secure { "https" } else { "http" };
            format!("{scheme}://{host}{path}")
        }
        None => path.to_owned(),
    }
}

fn link_notice(ctx: &Ctx, link: &LoginLink, url: &str) -> Markup {
    let hours = link.expires_in_seconds / 3600;
    html! {
        div.notice.ok role="status" {
            p { (ctx.t("Kertakäyttöinen kirjautumislinkki käyttäjälle", "En inloggningslänk för engångsbruk för", "A one-time login link for")) " " strong { (link.user.display_name) } " (" (link.user.email) "). "
                (ctx.t("Anna se käyttäjälle: sillä hän asettaa salasanan ja kirjautuu. Linkki toimii kerran,", "Ge den till användaren: med den ställer hen in ett lösenord och loggar in. Den fungerar en gång, i", "Hand it to the user: with it they set a password and sign in. It works once, for"))
                " " (hours) " " (ctx.t("tunnin ajan. Se näytetään vain nyt.", "timmar. Den visas bara nu.", "hours. It is shown only now.")) }
            label for="login-link" { (ctx.t("Linkki", "Länk", "Link")) }
            input #login-link type="text" readonly value=(url);
        }
    }
}

async fn login_link(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(user_id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    ctx.admin()?;
    match service::login_link(&state, user_id).await {
        Ok(link) => {
            let url = absolute_url(&ctx, &headers, &link.path);
            let markup =
                render(&state, &ctx, Section::Users, link_notice(&ctx, &link, &url)).await?;
            let mut response = markup.into_response();
            // The secret is on this page only: keep it out of caches.
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            );
            Ok(response)
        }
        Err(error) => refused(&state, &ctx, Section::Users, error).await,
    }
}

// --- company types -------------------------------------------------------------------------

fn type_name(ctx: &Ctx, company_type: &CompanyType) -> String {
    let names = &company_type.names;
    let translated = match ctx.lang {
        Lang::Fi => None,
        Lang::Sv => names.sv.as_deref(),
        Lang::En => names.en.as_deref(),
    };
    match translated {
        Some(name) if name != names.fi => format!("{name} ({})", names.fi),
        _ => names.fi.clone(),
    }
}

fn types_view(ctx: &Ctx, types: &[TypeRow], notices: Markup) -> Markup {
    let active: Vec<&CompanyType> = types
        .iter()
        .map(|row| &row.company_type)
        .filter(|company_type| !company_type.archived)
        .collect();
    let body = html! {
        h1 { (ctx.t("Yritystyypit", "Företagstyper", "Company types")) }
        (notices)
        p.hint { (ctx.t(
            "Jokaisella yrityksellä on yksi tyyppi. Nimi viittaa yhteen tyyppiin millä tahansa kielellä. Arkistoitua tyyppiä ei tarjota uusille yrityksille.",
            "Varje företag har en typ. Ett namn pekar på en typ på vilket språk som helst. En arkiverad typ erbjuds inte för nya företag.",
            "Every company has one type. A name points to one type in any language. An archived type is not offered for new companies."
        )) }
        section.card {
            table {
                caption.hint { (ctx.t("Kaikki yritystyypit", "Alla företagstyper", "All company types")) }
                thead { tr {
                    th { (ctx.t("Suomeksi", "Finska", "Finnish")) }
                    th { (ctx.t("Ruotsiksi", "Svenska", "Swedish")) }
                    th { (ctx.t("Englanniksi", "Engelska", "English")) }
                    th { (ctx.t("Arkistoitu", "Arkiverad", "Archived")) }
                    th.num { (ctx.t("Yrityksiä", "Företag", "Companies")) }
                    th { (ctx.t("Toiminnot", "Åtgärder", "Actions")) }
                } }
                tbody {
                    @for row in types {
                        @let company_type = &row.company_type;
                        @let id = company_type.id.get();
                        tr {
                            td { (company_type.names.fi) }
                            td { (company_type.names.sv.as_deref().unwrap_or("")) }
                            td { (company_type.names.en.as_deref().unwrap_or("")) }
                            td { (yes_no(ctx, company_type.archived)) }
                            td.num { (row.companies) }
                            td {
                                details {
                                    summary { (ctx.t("Muokkaa", "Redigera", "Edit")) span.visually-hidden { " " (company_type.names.fi) } }
                                    form method="post" action=(format!("/settings/types/{id}/rename")) {
                                        (csrf_field(ctx))
                                        label for=(format!("fi-{id}")) { (ctx.t("Nimi suomeksi", "Namn på finska", "Finnish name")) }
                                        input id=(format!("fi-{id}")) type="text" name="fi" required value=(company_type.names.fi);
                                        label for=(format!("sv-{id}")) { (ctx.t("Nimi ruotsiksi", "Namn på svenska", "Swedish name")) }
                                        input id=(format!("sv-{id}")) type="text" name="sv" value=(company_type.names.sv.as_deref().unwrap_or(""));
                                        label for=(format!("en-{id}")) { (ctx.t("Nimi englanniksi", "Namn på engelska", "English name")) }
                                        input id=(format!("en-{id}")) type="text" name="en" value=(company_type.names.en.as_deref().unwrap_or(""));
                                        div.actions { button.secondary type="submit" { (ctx.t("Tallenna nimet", "Spara namnen", "Save the names")) } }
                                    }
                                    @if company_type.archived {
                                        form method="post" action=(format!("/settings/types/{id}/restore")) {
                                            (csrf_field(ctx))
                                            div.actions { button type="submit" { (ctx.t("Palauta käyttöön", "Ta i bruk igen", "Restore")) } }
                                        }
                                    } @else {
                                        form method="post" action=(format!("/settings/types/{id}/archive")) {
                                            (csrf_field(ctx))
                                            label for=(format!("move-type-{id}")) { (ctx.t("Siirrä yritykset tyyppiin", "Flytta företagen till typen", "Move the companies to the type")) }
                                            select id=(format!("move-type-{id}")) name="move_to" {
                                                option value="" { (ctx.t("– älä siirrä (vain jos ei yrityksiä) –", "– flytta inte (endast utan företag) –", "– do not move (only without companies) –")) }
                                                @for other in active.iter().filter(|other| other.id != company_type.id) {
                                                    option value=(other.id.get()) { (type_name(ctx, other)) }
                                                }
                                            }
                                            div.actions { button.danger type="submit" { (ctx.t("Arkistoi", "Arkivera", "Archive")) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        section.card {
            h2 { (ctx.t("Lisää yritystyyppi", "Lägg till en företagstyp", "Add a company type")) }
            form method="post" action="/settings/types" {
                (csrf_field(ctx))
                label for="new-fi" { (ctx.t("Nimi suomeksi (pakollinen)", "Namn på finska (obligatoriskt)", "Finnish name (required)")) }
                input #new-fi type="text" name="fi" required;
                label for="new-sv" { (ctx.t("Nimi ruotsiksi", "Namn på svenska", "Swedish name")) }
                input #new-sv type="text" name="sv";
                label for="new-en" { (ctx.t("Nimi englanniksi", "Namn på engelska", "English name")) }
                input #new-en type="text" name="en";
                div.actions { button type="submit" { (ctx.t("Lisää yritystyyppi", "Lägg till företagstypen", "Add the company type")) } }
            }
        }
    };
    page(
        ctx,
        ctx.t("Yritystyypit", "Företagstyper", "Company types"),
        "types",
        body,
    )
}

async fn types_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<DoneQuery>,
) -> Result<Markup, AppError> {
    ctx.admin()?;
    render(&state, &ctx, Section::Types, done_notice(&ctx, &query)).await
}

async fn add_type(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Bytes,
) -> Result<Response, AppError> {
    ctx.admin()?;
    let form = parse_form(&body);
    let fi = field(&form, "fi").unwrap_or_default().to_owned();
    let outcome = service::add_type(&state, fi, text(&form, "sv"), text(&form, "en")).await;
    finish(&state, &ctx, Section::Types, outcome, "type-added").await
}

async fn rename_type(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(type_id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    ctx.admin()?;
    let form = parse_form(&body);
    // The form shows every name: an emptied Swedish or English field removes that name.
    let names = NewTypeNames {
        fi: field(&form, "fi").map(str::to_owned),
        sv: field(&form, "sv").map(|value| value.trim().to_owned()),
        en: field(&form, "en").map(|value| value.trim().to_owned()),
    };
    let outcome = service::rename_type(&state, type_id, names).await;
    finish(&state, &ctx, Section::Types, outcome, "type-renamed").await
}

async fn archive_type(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(type_id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    ctx.admin()?;
    let form = parse_form(&body);
    let outcome = match chosen_id(&form, "move_to") {
        Ok(move_to) => service::archive_type(&state, type_id, move_to).await,
        Err(error) => Err(error),
    };
    finish(&state, &ctx, Section::Types, outcome, "archived").await
}

async fn restore_type(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(type_id): Path<i64>,
) -> Result<Response, AppError> {
    ctx.admin()?;
    let outcome = service::restore_type(&state, type_id).await;
    finish(&state, &ctx, Section::Types, outcome, "restored").await
}

// --- customer groups -----------------------------------------------------------------------

fn groups_view(ctx: &Ctx, groups: &[GroupRow], notices: Markup) -> Markup {
    let body = html! {
        h1 { (ctx.t("Asiakasryhmät", "Kundgrupper", "Customer groups")) }
        (notices)
        p.hint { (ctx.t(
            "Asiakasryhmä on vapaaehtoinen. Ryhmää, jossa on yrityksiä, ei poisteta ennen kuin yritykset siirretään toiseen ryhmään tai pois ryhmästä.",
            "En kundgrupp är frivillig. En grupp med företag tas inte bort förrän företagen flyttats till en annan grupp eller ut ur alla grupper.",
            "A customer group is optional. A group with companies is not removed until they move to another group or out of any group."
        )) }
        section.card {
            @if groups.is_empty() {
                p { (ctx.t("Ei asiakasryhmiä vielä.", "Inga kundgrupper ännu.", "No customer groups yet.")) }
            } @else {
                table {
                    caption.hint { (ctx.t("Kaikki asiakasryhmät", "Alla kundgrupper", "All customer groups")) }
                    thead { tr {
                        th { (ctx.t("Nimi", "Namn", "Name")) }
                        th.num { (ctx.t("Yrityksiä", "Företag", "Companies")) }
                        th { (ctx.t("Toiminnot", "Åtgärder", "Actions")) }
                    } }
                    tbody {
                        @for row in groups {
                            @let group = &row.group;
                            @let id = group.id.get();
                            tr {
                                td { (group.name) }
                                td.num { (row.companies) }
                                td {
                                    details {
                                        summary { (ctx.t("Muokkaa", "Redigera", "Edit")) span.visually-hidden { " " (group.name) } }
                                        form method="post" action=(format!("/settings/groups/{id}/rename")) {
                                            (csrf_field(ctx))
                                            label for=(format!("group-name-{id}")) { (ctx.t("Uusi nimi", "Nytt namn", "New name")) }
                                            input id=(format!("group-name-{id}")) type="text" name="name" required value=(group.name);
                                            div.actions { button.secondary type="submit" { (ctx.t("Nimeä uudelleen", "Byt namn", "Rename")) } }
                                        }
                                        form method="post" action=(format!("/settings/groups/{id}/remove")) {
                                            (csrf_field(ctx))
                                            label for=(format!("group-move-{id}")) { (ctx.t("Ryhmän yritykset", "Gruppens företag", "The group's companies")) }
                                            select id=(format!("group-move-{id}")) name="companies" {
                                                option value="refuse" { (ctx.t("– älä poista, jos ryhmässä on yrityksiä –", "– ta inte bort medan gruppen har företag –", "– do not remove while it has companies –")) }
                                                option value="unassign" { (ctx.t("Poista yritykset ryhmästä", "Ta ut företagen ur alla grupper", "Take them out of any group")) }
                                                @for other in groups.iter().filter(|other| other.group.id != group.id) {
                                                    option value=(other.group.id.get()) { (ctx.t("Siirrä ryhmään", "Flytta till gruppen", "Move to")) " " (other.group.name) }
                                                }
                                            }
                                            div.actions { button.danger type="submit" { (ctx.t("Poista ryhmä", "Ta bort gruppen", "Remove the group")) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        section.card {
            h2 { (ctx.t("Lisää asiakasryhmä", "Lägg till en kundgrupp", "Add a customer group")) }
            form method="post" action="/settings/groups" {
                (csrf_field(ctx))
                label for="new-group" { (ctx.t("Nimi", "Namn", "Name")) }
                input #new-group type="text" name="name" required;
                div.actions { button type="submit" { (ctx.t("Lisää asiakasryhmä", "Lägg till kundgruppen", "Add the customer group")) } }
            }
        }
    };
    page(
        ctx,
        ctx.t("Asiakasryhmät", "Kundgrupper", "Customer groups"),
        "groups",
        body,
    )
}

async fn groups_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<DoneQuery>,
) -> Result<Markup, AppError> {
    ctx.admin()?;
    render(&state, &ctx, Section::Groups, done_notice(&ctx, &query)).await
}

async fn add_group(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Bytes,
) -> Result<Response, AppError> {
    ctx.admin()?;
    let form = parse_form(&body);
    let name = field(&form, "name").unwrap_or_default().to_owned();
    let outcome = service::add_group(&state, name).await;
    finish(&state, &ctx, Section::Groups, outcome, "group-added").await
}

async fn rename_group(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(group_id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    ctx.admin()?;
    let form = parse_form(&body);
    let name = field(&form, "name").unwrap_or_default().to_owned();
    let outcome = service::rename_group(&state, group_id, name).await;
    finish(&state, &ctx, Section::Groups, outcome, "group-renamed").await
}

async fn remove_group(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(group_id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    ctx.admin()?;
    let form = parse_form(&body);
    let target = match field(&form, "companies").map(str::trim) {
        None | Some("" | "refuse") => Ok(GroupTarget::Refuse),
        Some("unassign") => Ok(GroupTarget::Unassign),
        Some(_) => {
            chosen_id(&form, "companies").map(|id| id.map_or(GroupTarget::Refuse, GroupTarget::To))
        }
    };
    let outcome = match target {
        Ok(target) => service::remove_group(&state, group_id, target).await,
        Err(error) => Err(error),
    };
    finish(&state, &ctx, Section::Groups, outcome, "removed").await
}

// --- branches of business ------------------------------------------------------------------

fn branches_view(ctx: &Ctx, branches: &[BranchRow], notices: Markup) -> Markup {
    let body = html! {
        h1 { (ctx.t("Toimialat", "Branscher", "Branches of business")) }
        (notices)
        p.hint { (ctx.t(
            "Toimiala luokittelee projekteja, ja se on vapaaehtoinen. Toimialaa, jolla on projekteja, ei poisteta ennen kuin projektit siirretään toiselle toimialalle tai pois toimialalta.",
            "En bransch klassificerar projekt och är frivillig. En bransch med projekt tas inte bort förrän projekten flyttats till en annan bransch eller ut ur alla branscher.",
            "A branch of business classifies projects and is optional. A branch with projects is not removed until they move to another branch or out of any branch."
        )) }
        section.card {
            @if branches.is_empty() {
                p { (ctx.t("Ei toimialoja vielä.", "Inga branscher ännu.", "No branches of business yet.")) }
            } @else {
                table {
                    caption.hint { (ctx.t("Kaikki toimialat", "Alla branscher", "All branches of business")) }
                    thead { tr {
                        th { (ctx.t("Nimi", "Namn", "Name")) }
                        th.num { (ctx.t("Projekteja", "Projekt", "Projects")) }
                        th { (ctx.t("Toiminnot", "Åtgärder", "Actions")) }
                    } }
                    tbody {
                        @for row in branches {
                            @let branch = &row.branch;
                            @let id = branch.id.get();
                            tr {
                                td { (branch.name) }
                                td.num { (row.projects) }
                                td {
                                    details {
                                        summary { (ctx.t("Muokkaa", "Redigera", "Edit")) span.visually-hidden { " " (branch.name) } }
                                        form method="post" action=(format!("/settings/branches/{id}/rename")) {
                                            (csrf_field(ctx))
                                            label for=(format!("branch-name-{id}")) { (ctx.t("Uusi nimi", "Nytt namn", "New name")) }
                                            input id=(format!("branch-name-{id}")) type="text" name="name" required value=(branch.name);
                                            div.actions { button.secondary type="submit" { (ctx.t("Nimeä uudelleen", "Byt namn", "Rename")) } }
                                        }
                                        form method="post" action=(format!("/settings/branches/{id}/remove")) {
                                            (csrf_field(ctx))
                                            label for=(format!("branch-move-{id}")) { (ctx.t("Toimialan projektit", "Branschens projekt", "The branch's projects")) }
                                            select id=(format!("branch-move-{id}")) name="projects" {
                                                option value="refuse" { (ctx.t("– älä poista, jos toimialalla on projekteja –", "– ta inte bort medan branschen har projekt –", "– do not remove while it has projects –")) }
                                                option value="unassign" { (ctx.t("Poista projektit toimialalta", "Ta ut projekten ur alla branscher", "Take them out of any branch")) }
                                                @for other in branches.iter().filter(|other| other.branch.id != branch.id) {
                                                    option value=(other.branch.id.get()) { (ctx.t("Siirrä toimialalle", "Flytta till branschen", "Move to")) " " (other.branch.name) }
                                                }
                                            }
                                            div.actions { button.danger type="submit" { (ctx.t("Poista toimiala", "Ta bort branschen", "Remove the branch")) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        section.card {
            h2 { (ctx.t("Lisää toimiala", "Lägg till en bransch", "Add a branch of business")) }
            form method="post" action="/settings/branches" {
                (csrf_field(ctx))
                label for="new-branch" { (ctx.t("Nimi", "Namn", "Name")) }
                input #new-branch type="text" name="name" required;
                div.actions { button type="submit" { (ctx.t("Lisää toimiala", "Lägg till branschen", "Add the branch of business")) } }
            }
        }
    };
    page(
        ctx,
        ctx.t("Toimialat", "Branscher", "Branches of business"),
        "branches",
        body,
    )
}

async fn branches_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<DoneQuery>,
) -> Result<Markup, AppError> {
    ctx.admin()?;
    render(&state, &ctx, Section::Branches, done_notice(&ctx, &query)).await
}

async fn add_branch(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Bytes,
) -> Result<Response, AppError> {
    ctx.admin()?;
    let form = parse_form(&body);
    let name = field(&form, "name").unwrap_or_default().to_owned();
    let outcome = service::add_branch(&state, name).await;
    finish(&state, &ctx, Section::Branches, outcome, "branch-added").await
}

async fn rename_branch(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(branch_id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    ctx.admin()?;
    let form = parse_form(&body);
    let name = field(&form, "name").unwrap_or_default().to_owned();
    let outcome = service::rename_branch(&state, branch_id, name).await;
    finish(&state, &ctx, Section::Branches, outcome, "branch-renamed").await
}

async fn remove_branch(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(branch_id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    ctx.admin()?;
    let form = parse_form(&body);
    let target = match field(&form, "projects").map(str::trim) {
        None | Some("" | "refuse") => Ok(BranchTarget::Refuse),
        Some("unassign") => Ok(BranchTarget::Unassign),
        Some(_) => {
            chosen_id(&form, "projects").map(|id| id.map_or(BranchTarget::Refuse, BranchTarget::To))
        }
    };
    let outcome = match target {
        Ok(target) => service::remove_branch(&state, branch_id, target).await,
        Err(error) => Err(error),
    };
    finish(&state, &ctx, Section::Branches, outcome, "branch-removed").await
}
