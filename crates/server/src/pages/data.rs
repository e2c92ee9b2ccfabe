//! The import history with its batches and undo, and the companies listing with its filters
//! and Excel export.

use crate::auth::Ctx;
use crate::error::AppError;
use crate::extract::{Path, Query};
use crate::pages::listings::{listing_head, refusal_status};
use crate::pages::wizard::policy_label;
use crate::pages::{XLSX, attachment, field, parse_form};
use crate::service::data::{self as service, CompanyFilters, FilterOptions};
use crate::service::listings::PageParams;
use crate::state::AppState;
use crate::views::{csrf_field, notice, page};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;
use tuonti_domain::{BatchCounts, BatchKind, BatchStatus, CompanyType, Lang, RecordKind};
use tuonti_importer::batches::{BatchDetail, BatchView};
use tuonti_importer::companies::CompanyView;
use tuonti_importer::import::{DuplicatePolicy, FileChoiceSummary};
use tuonti_importer::paging::Listing;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/history", get(history))
        .route("/history/{id}", get(batch_page))
        .route("/history/{id}/undo", post(undo))
        .route("/companies", get(companies_page))
        .route("/companies/export.xlsx", get(export))
}

/// A kind of record as the history names it: "Yritykset", "Contacts".
fn kind_name(ctx: &Ctx, kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Company => ctx.t("Yritykset", "Företag", "Companies"),
        RecordKind::Contact => ctx.t("Yhteyshenkilöt", "Kontaktpersoner", "Contacts"),
        RecordKind::Project => ctx.t("Projektit", "Projekt", "Projects"),
        _ => ctx.t("Muut", "Övriga", "Other"),
    }
}

fn time(value: &chrono::NaiveDateTime) -> String {
    value.format("%Y-%m-%d %H:%M").to_string()
}

/// The count columns' headers: an import's outcomes, or what an undo did (its "created"
/// counts the records it removed, its "updated" those it restored, its "skipped" those it
/// left because they were changed since).
fn count_headers(ctx: &Ctx, kind: Option<BatchKind>) -> Markup {
    if kind == Some(BatchKind::Undo) {
        return html! {
            th.num { (ctx.t("Poistettu", "Borttagna", "Removed")) }
            th.num { (ctx.t("Palautettu", "Återställda", "Restored")) }
            th.num { (ctx.t("Ennallaan", "Oförändrade", "Unchanged")) }
            th.num { (ctx.t("Jätetty (muutettu)", "Lämnade (ändrade)", "Left (changed)")) }
            th.num { (ctx.t("Hylätty", "Avvisade", "Rejected")) }
        };
    }
    html! {
        th.num { (ctx.t("Uusia", "Nya", "Created")) }
        th.num { (ctx.t("Päivitetty", "Uppdaterade", "Updated")) }
        th.num { (ctx.t("Ennallaan", "Oförändrade", "Unchanged")) }
        th.num { (ctx.t("Ohitettu", "Överhoppade", "Skipped")) }
        th.num { (ctx.t("Hylätty", "Avvisade", "Rejected")) }
    }
}

/// The count cells; in the history's list, where imports and undos share the columns, the
/// records an undo removed show as a negative number of created ones.
fn count_cells(ctx: &Ctx, counts: &BatchCounts, kind: BatchKind, in_list: bool) -> Markup {
    html! {
        @if in_list && kind == BatchKind::Undo && counts.created > 0 {
            td.num title=(ctx.t("poistettu", "borttagna", "removed")) { "−" (counts.created) }
        } @else {
            td.num { (counts.created) }
        }
        td.num { (counts.updated) }
        td.num { (counts.unchanged) }
        td.num { (counts.skipped) }
        td.num { (counts.rejected) }
    }
}

fn history_view(ctx: &Ctx, batches: &[BatchView]) -> Markup {
    let body = html! {
        h1 { (ctx.t("Tuontihistoria", "Importhistorik", "Import history")) }
        p.hint { (ctx.t(
            "Jokainen tuonti ja peruminen on erä. Avaa erä nähdäksesi sen tiedostot ja valinnat tai perua tuonnin. Ajat ovat UTC-aikaa.",
            "Varje import och ångring är en batch. Öppna en batch för att se dess filer och val eller för att ångra en import. Tiderna är i UTC.",
            "Every import and undo is a batch. Open a batch to see its files and choices or to undo an import. Times are in UTC."
        )) }
        section.card {
            @if batches.is_empty() {
                p { (ctx.t("Ei tuonteja vielä.", "Inga importer ännu.", "No imports yet.")) " " a href="/import" { (ctx.t("Tuo asiakkaita", "Importera kunder", "Import customers")) } }
            } @else {
                table {
                    thead { tr {
                        th { (ctx.t("Erä", "Importbatch", "Batch")) }
                        th { (ctx.t("Laji", "Typ", "Kind")) }
                        th { (ctx.t("Tila", "Status", "Status")) }
                        th { (ctx.t("Tekijä", "Startad av", "Started by")) }
                        th { (ctx.t("Aloitettu", "Startad", "Started at")) }
                        th { (ctx.t("Tiedostot", "Filer", "Files")) }
                        (count_headers(ctx, None))
                    } }
                    tbody {
                        @for view in batches {
                            @let batch = &view.batch;
                            tr {
                                td { a href=(format!("/history/{}", batch.id)) { "#" (batch.id) } }
                                td { (batch.kind.label(ctx.lang)) }
                                td {
                                    (batch.status.label(ctx.lang))
                                    @if let Some(undo) = batch.undone_by { " (" a href=(format!("/history/{undo}")) { "#" (undo) } ")" }
                                    @if let Some(reverts) = batch.reverts { " (" a href=(format!("/history/{reverts}")) { "#" (reverts) } ")" }
                                }
                                td { (view.started_by_email) }
                                td { span.nowrap { (batch.started_at.format("%Y-%m-%d")) } " " span.nowrap { (batch.started_at.format("%H:%M")) } }
                                td {
                                    (tuonti_importer::batches::file_names(&view.files).join(", "))
                                    @if batch.counts_by_kind.len() > 1 {
                                        br;
                                        span.hint {
                                            (batch.counts_by_kind.iter().map(|(kind, counts)| format!("{} {}", kind_name(ctx, *kind), counts.created + counts.updated)).collect::<Vec<_>>().join(" · "))
                                        }
                                    }
                                }
                                (count_cells(ctx, &batch.counts, batch.kind, true))
                            }
                        }
                    }
                }
            }
        }
    };
    page(
        ctx,
        ctx.t("Tuontihistoria", "Importhistorik", "Import history"),
        "history",
        body,
    )
}

async fn history(State(state): State<AppState>, ctx: Ctx) -> Result<Markup, AppError> {
    ctx.admin()?;
    let batches = service::batches(&state).await?;
    Ok(history_view(&ctx, &batches))
}

#[derive(Deserialize)]
struct DoneQuery {
    done: Option<String>,
}

/// The label of a stored choice's key (the key itself when it is not known).
fn choice_label<'a>(ctx: &Ctx, key: &'a str) -> &'a str {
    tuonti_importer::batches::choice_label(key, ctx.lang).unwrap_or(key)
}

/// The stored choices (a JSON object) as rows of name and value, the values in the page's
/// language: yes or no, what a duplicate policy does, `–` for none.
fn choice_rows(ctx: &Ctx, types: &[CompanyType], choices: &str) -> Vec<(String, String)> {
    match tuonti_importer::batches::choice_pairs(choices) {
        Some(pairs) => pairs
            .into_iter()
            .map(|(key, value)| {
                let shown = choice_value(ctx, types, &key, value);
                (key, shown)
            })
            .collect(),
        None => vec![(String::new(), choices.to_owned())],
    }
}

/// One stored choice's value as the page shows it.
fn choice_value(ctx: &Ctx, types: &[CompanyType], key: &str, value: serde_json::Value) -> String {
    match value {
        serde_json::Value::Bool(true) => ctx.t("kyllä", "ja", "yes").to_owned(),
        serde_json::Value::Bool(false) => ctx.t("ei", "nej", "no").to_owned(),
        serde_json::Value::Null => "–".to_owned(),
        serde_json::Value::String(text) if key == "on_duplicate" => {
            match text.parse::<DuplicatePolicy>() {
                Ok(policy) => policy_label(ctx, policy).to_owned(),
                Err(_) => text,
            }
        }
        serde_json::Value::String(text) if key == "company_type" => {
            crate::pages::company_type_shown(ctx, types, text)
        }
        serde_json::Value::String(text) => text,
        other => other.to_string(),
    }
}

/// A file's recorded choices (its own over the import's) as the page shows them; `–` for a
/// batch recorded before files had choices.
fn file_choices(ctx: &Ctx, types: &[CompanyType], choices: Option<&str>) -> Markup {
    let Some(text) = choices else {
        return html! { "–" };
    };
    let rows: Vec<(String, String)> = match serde_json::from_str::<FileChoiceSummary>(text) {
        Ok(summary) => {
            let mut rows = vec![
                (
                    "company_type".to_owned(),
                    crate::pages::company_type_shown(ctx, types, summary.company_type),
                ),
                (
                    "customer_group".to_owned(),
                    summary.customer_group.unwrap_or_else(|| "–".to_owned()),
                ),
                ("account_manager".to_owned(), summary.account_manager),
            ];
            if let Some(manager) = summary.project_manager.clone() {
                rows.push(("project_manager".to_owned(), manager));
            }
            return html! {
                ul.file-choices {
                    @for (key, value) in rows {
                        li { (choice_label(ctx, &key)) ": " (value) }
                    }
                    @for (field, value, target) in summary.values.iter() {
                        li.value-mapping { (ctx.t("Arvo", "Värde", "Value")) " " (value_field_label(ctx, field)) " “" (value) "” → " (target) }
                    }
                    @if let Some(chosen) = &summary.rows {
                        li.chosen-rows { (ctx.t("Valitut rivit", "Valda rader", "Rows chosen")) ": " (chosen) " " (ctx.t("(muut ohitettiin: ei valittu)", "(de övriga hoppades över: inte valda)", "(the others were skipped: not selected)")) }
                    }
                    @for fix in &summary.fixes {
                        li.fixed-cell {
                            (ctx.t("Korjattu solu: rivi", "Korrigerad cell: rad", "Fixed cell: row")) " " (fix.row) ", " (fix.field.spec().header(ctx.lang)) ": “" (fix.before) "” → “" (fix.after) "”"
                            @if let Some(by) = &fix.by { " (" (by) ")" }
                        }
                    }
                }
            };
        }
        Err(_) => choice_rows(ctx, types, text),
    };
    html! {
        ul.file-choices {
            @for (key, value) in rows {
                li { (choice_label(ctx, &key)) ": " (value) }
            }
        }
    }
}

/// A linked field's name in the page's language.
fn value_field_label(ctx: &Ctx, field: tuonti_importer::import::LinkField) -> &'static str {
    use tuonti_importer::import::LinkField;
    match field {
        LinkField::AccountManager => ctx.t("asiakasvastaava", "kundansvarig", "account manager"),
        LinkField::ProjectManager => ctx.t("projektipäällikkö", "projektledare", "project manager"),
        LinkField::CompanyType => ctx.t("yritystyyppi", "företagstyp", "company type"),
        LinkField::CustomerGroup => ctx.t("asiakasryhmä", "kundgrupp", "customer group"),
        LinkField::Branch => ctx.t("toimiala", "bransch", "branch"),
        LinkField::Status => ctx.t("tila", "status", "status"),
        LinkField::Country => ctx.t("maa", "land", "country"),
        _ => ctx.t("linkitetty kenttä", "länkat fält", "linked field"),
    }
}

fn batch_view(ctx: &Ctx, detail: &BatchDetail, types: &[CompanyType], notices: Markup) -> Markup {
    let batch = &detail.view.batch;
    let title = format!("{} #{}", ctx.t("Erä", "Importbatch", "Batch"), batch.id);
    let can_undo = batch.kind == BatchKind::Import && batch.status == BatchStatus::Applied;
    let body = html! {
        p { a href="/history" { "← " (ctx.t("Tuontihistoria", "Importhistorik", "Import history")) } }
        h1 { (title) }
        (notices)
        section.card {
            dl.facts {
                dt { (ctx.t("Laji", "Typ", "Kind")) } dd { (batch.kind.label(ctx.lang)) }
                dt { (ctx.t("Tila", "Status", "Status")) } dd {
                    @if let Some(undo) = batch.undone_by {
                        (ctx.t("peruttu erällä", "ångrad av batch", "undone by batch")) " " a href=(format!("/history/{undo}")) { "#" (undo) }
                    } @else {
                        (batch.status.label(ctx.lang))
                    }
                }
                @if let Some(reverts) = batch.reverts {
                    dt { (ctx.t("Perui erän", "Ångrade batch", "Reverts batch")) } dd { a href=(format!("/history/{reverts}")) { "#" (reverts) } }
                }
                dt { (ctx.t("Tekijä", "Startad av", "Started by")) } dd { (detail.view.started_by_email) }
                dt { (ctx.t("Aloitettu (UTC)", "Startad (UTC)", "Started at (UTC)")) } dd { (time(&batch.started_at)) }
                @if let Some(finished) = &batch.finished_at {
                    dt { (ctx.t("Valmis (UTC)", "Klar (UTC)", "Finished at (UTC)")) } dd { (time(finished)) }
                }
            }
            h2 { (ctx.t("Rivit", "Rader", "Rows")) }
            table {
                thead { tr { th { (ctx.t("Tietueet", "Poster", "Records")) } (count_headers(ctx, Some(batch.kind))) } }
                tbody {
                    @for (kind, counts) in &batch.counts_by_kind {
                        tr { th scope="row" { (kind_name(ctx, *kind)) } (count_cells(ctx, counts, batch.kind, false)) }
                    }
                    @if batch.counts_by_kind.len() != 1 {
                        tr { th scope="row" { (ctx.t("Yhteensä", "Totalt", "Total")) } (count_cells(ctx, &batch.counts, batch.kind, false)) }
                    }
                }
            }
            @if batch.kind == BatchKind::Import && batch.status == BatchStatus::Applied {
                p { a #batch-report href=(format!("/reports?subject=projects&by=status&batch={}", batch.id)) {
                    (ctx.t("Raportti: mitä tämä tuonti toi", "Rapport: vad denna import lade till", "Report: what this import added"))
                } }
            }
            // Created companies carry the batch in `created_by_batch` and are counted above;
            // the journal holds the updates and an undo's deletions.
            p { (ctx.t("Muutoshistoriassa: päivitettyjä yrityksiä", "I ändringshistoriken: uppdaterade företag", "In the journal: companies updated")) " " (detail.companies_updated) ", "
                (ctx.t("poistettuja", "raderade", "deleted")) " " (detail.companies_deleted) "." }
        }
        @if !detail.view.files.is_empty() {
            section.card {
                h2 { (ctx.t("Tiedostot", "Filer", "Files")) }
                table {
                    thead { tr {
                        th { (ctx.t("Tiedosto", "Fil", "File")) }
                        th.num { (ctx.t("Koko (tavua)", "Storlek (byte)", "Size (bytes)")) }
                        th { "SHA-256" }
                        th { (ctx.t("Taulukko", "Blad", "Sheet")) }
                        th.num { (ctx.t("Otsikkorivi", "Rubrikrad", "Header row")) }
                        th { (ctx.t("Valinnat", "Val", "Choices")) }
                    } }
                    tbody {
                        @for file in &detail.view.files {
                            tr {
                                td { (file.name) }
                                td.num { (file.size_bytes) }
                                td { code title=(file.sha256) { (file.sha256.get(..12).unwrap_or(&file.sha256)) "…" } }
                                td { (file.sheet.as_deref().unwrap_or("–")) }
                                td.num { (file.header_row.map_or_else(|| "–".to_owned(), |row| row.to_string())) }
                                td { (file_choices(ctx, types, file.choices.as_deref())) }
                            }
                        }
                    }
                }
            }
        }
        section.card {
            h2 { (ctx.t("Valinnat", "Val", "Choices")) }
            p.hint { (ctx.t(
                "Tuonnin valinnat kaikille tiedostoille; kunkin tiedoston omat ovat tiedostojen taulukossa.",
                "Importens val för alla filer; varje fils egna finns i filtabellen.",
                "The import's choices for every file; each file's own are in the table of files."
            )) }
            table {
                tbody {
                    @for (key, value) in choice_rows(ctx, types, &batch.choices) {
                        tr { th scope="row" { (choice_label(ctx, &key)) } td { (value) } }
                    }
                }
            }
        }
        @if can_undo {
            section.card {
                h2 { (ctx.t("Peru tuonti", "Ångra importen", "Undo import")) }
                p { (ctx.t(
                    "Peruminen poistaa tuonnin luomat projektit, yhteyshenkilöt ja yritykset ja palauttaa sen päivittämien tietueiden aiemmat tiedot. Jos jotain niistä on muutettu tuonnin jälkeen, mitään ei peruta, ellei alla olevaa kohtaa valita.",
                    "Ångringen tar bort de projekt, kontaktpersoner och företag som importen skapade och återställer de poster som den uppdaterade. Om någon av dem har ändrats efter importen ångras ingenting, om du inte kryssar för rutan nedan.",
                    "Undoing removes the projects, contacts and companies the import created and restores the records it updated. If one of them was changed since the import, nothing is undone unless you tick the box below."
                )) }
                form method="post" action=(format!("/history/{}/undo", batch.id)) {
                    (csrf_field(ctx))
                    label.inline for="force" {
                        input #force type="checkbox" name="force" value="1";
                        (ctx.t("Palauta myös tuonnin jälkeen muutetut yritykset", "Återställ även företag som ändrats efter importen", "Revert even companies changed since"))
                    }
                    div.actions { button.danger type="submit" { (ctx.t("Peru tuonti", "Ångra importen", "Undo import")) } }
                }
            }
        }
    };
    page(ctx, &title, "history", body)
}

async fn batch_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(batch_id): Path<i64>,
    Query(query): Query<DoneQuery>,
) -> Result<Markup, AppError> {
    ctx.admin()?;
    let detail = service::batch(&state, batch_id).await?;
    let notices = match query.done.as_deref() {
        Some("undone") => notice(
            "ok",
            ctx.t(
                "Tuonti peruttiin. Perumisen tiedot ovat omana eränään historiassa.",
                "Importen ångrades. Ångringen är en egen batch i historiken.",
                "The import was undone. The undo is a batch of its own in the history.",
            ),
        ),
        _ => html! {},
    };
    let types = service::company_types(&state).await?;
    Ok(batch_view(&ctx, &detail, &types, notices))
}

async fn undo(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(batch_id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    let admin = ctx.admin()?.clone();
    let form = parse_form(&body);
    let force = field(&form, "force").is_some_and(|value| !value.is_empty());
    match service::undo(&state, &admin, batch_id, force).await {
        Ok(_) => Ok(Redirect::to(&format!("/history/{batch_id}?done=undone")).into_response()),
        Err(error) if is_refusal(&error) => {
            let detail = service::batch(&state, batch_id).await?;
            let types = service::company_types(&state).await?;
            let markup = batch_view(
                &ctx,
                &detail,
                &types,
                notice("error", &error.message(ctx.lang)),
            );
            Ok((StatusCode::UNPROCESSABLE_ENTITY, markup).into_response())
        }
        Err(error) => Err(error),
    }
}

/// A refusal the page shows in place (a record that is missing is a 404 instead).
fn is_refusal(error: &AppError) -> bool {
    match error {
        AppError::Refused { .. } => true,
        AppError::Importer(inner) => {
            inner.is_user_error() && error.status() != StatusCode::NOT_FOUND
        }
        _ => false,
    }
}

// --- companies -----------------------------------------------------------------------------

fn filters_form(
    ctx: &Ctx,
    limit: u64,
    filters: &CompanyFilters,
    options: &FilterOptions,
) -> Markup {
    let query = filters.query();
    let is = |value: &Option<String>, candidate: &str| value.as_deref() == Some(candidate);
    html! {
        form.filters method="get" action="/companies" {
            div {
                label for="filter-type" { (ctx.t("Yritystyyppi", "Företagstyp", "Company type")) }
                select #filter-type name="type" {
                    option value="" { (ctx.t("– kaikki –", "– alla –", "– all –")) }
                    @for company_type in &options.company_types {
                        @let shown = company_type.names.get(ctx.lang);
                        option value=(company_type.names.fi) selected[is(&query.company_type, &company_type.names.fi)] {
                            (shown)
                            @if company_type.archived { " (" (ctx.t("arkistoitu", "arkiverad", "archived")) ")" }
                        }
                    }
                }
            }
            div {
                label for="filter-group" { (ctx.t("Asiakasryhmä", "Kundgrupp", "Customer group")) }
                select #filter-group name="group" {
                    option value="" { (ctx.t("– kaikki –", "– alla –", "– all –")) }
                    @for group in &options.customer_groups {
                        option value=(group.name) selected[is(&query.customer_group, &group.name)] { (group.name) }
                    }
                }
            }
            div {
                label for="filter-manager" { (ctx.t("Asiakasvastaava", "Kundansvarig", "Account manager")) }
                select #filter-manager name="manager" {
                    option value="" { (ctx.t("– kaikki –", "– alla –", "– all –")) }
                    @for user in &options.account_managers {
                        option value=(user.email) selected[is(&query.account_manager, &user.email)] { (user.display_name) " (" (user.email) ")" }
                    }
                }
            }
            (crate::pages::listings::page_size_field(ctx, limit))
            div { button type="submit" { (ctx.t("Suodata", "Filtrera", "Filter")) } }
        }
    }
}

fn companies_view(
    ctx: &Ctx,
    limit: u64,
    filters: &CompanyFilters,
    options: &FilterOptions,
    companies: Result<&Listing<CompanyView>, String>,
) -> Markup {
    let manager_name = |email: &str| {
        options
            .account_managers
            .iter()
            .find(|user| user.email == email)
            .map_or_else(|| email.to_owned(), |user| user.display_name.clone())
    };
    let body = html! {
        h1 { (ctx.t("Yritykset", "Företag", "Companies")) }
        section.card { (filters_form(ctx, limit, filters, options)) }
        @match companies {
            Err(message) => (notice("error", &message)),
            Ok(listing) => {
                (listing_head(ctx, listing, ctx.t("yritystä", "företag", "companies"), "/companies", &filters.to_query_string()))
                @if listing.rows.is_empty() {
                    // Past the last page the status line leads back.
                    @if listing.total == 0 { p { (ctx.t("Ei yrityksiä näillä ehdoilla.", "Inga företag motsvarar villkoren.", "No companies match.")) } }
                } @else {
                    section.card {
                        table {
                            thead { tr {
                                th { (ctx.t("Yritys", "Företag", "Company")) }
                                th { (ctx.t("Y-tunnus", "FO-nummer", "Business ID")) }
                                th { (ctx.t("Postitoimipaikka", "Ort", "City")) }
                                th { (ctx.t("Yritystyyppi", "Företagstyp", "Type")) }
                                th { (ctx.t("Asiakasryhmä", "Kundgrupp", "Group")) }
                                th { (ctx.t("Asiakasvastaava", "Kundansvarig", "Account manager")) }
                                th { (ctx.t("Tuontierä", "Skapad av batch", "Created by batch")) }
                            } }
                            tbody {
                                @for company in &listing.rows {
                                    tr {
                                        td { (company.fields.name) }
                                        td { (company.fields.business_id.as_deref().unwrap_or("")) }
                                        td { (company.fields.city.as_deref().unwrap_or("")) }
                                        td { (company.company_type) }
                                        td { (company.customer_group.as_deref().unwrap_or("")) }
                                        td { (manager_name(&company.account_manager)) }
                                        td {
                                            @if let Some(batch) = company.created_by_batch {
                                                @if ctx.user.as_ref().is_some_and(|user| user.role == tuonti_domain::Role::Admin) {
                                                    a href=(format!("/history/{batch}")) { "#" (batch) }
                                                } @else { "#" (batch) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    page(
        ctx,
        ctx.t("Yritykset", "Företag", "Companies"),
        "companies",
        body,
    )
}

/// The filters and page of the companies page.
#[derive(Deserialize)]
struct CompanyPageParams {
    #[serde(flatten)]
    filters: CompanyFilters,
    #[serde(flatten)]
    page: PageParams,
}

async fn companies_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<CompanyPageParams>,
) -> Result<Response, AppError> {
    ctx.user()?;
    let filters = params.filters;
    let options = service::filter_options(&state).await?;
    let page = params.page.page();
    let limit = crate::pages::listings::asked_limit(&page);
    let listing = match page {
        Ok(page) => service::companies(&state, &filters, page, list_lang(&ctx)).await,
        Err(error) => Err(error),
    };
    let view = |listing| companies_view(&ctx, limit, &filters, &options, listing);
    match listing {
        Ok(listing) => Ok(view(Ok(&listing)).into_response()),
        // An unknown type, group or manager in the URL, a bad page: say which, with the
        // filters to fix it.
        Err(AppError::Importer(error)) if error.is_user_error() => {
            let markup = view(Err(error.message(ctx.lang)));
            Ok((refusal_status(&error), markup).into_response())
        }
        Err(error) => Err(error),
    }
}

/// The language of names in listings and exports: the page language.
fn list_lang(ctx: &Ctx) -> Lang {
    ctx.lang
}

async fn export(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(filters): Query<CompanyFilters>,
) -> Result<Response, AppError> {
    ctx.user()?;
    let lang = list_lang(&ctx);
    let (bytes, _) = service::export_xlsx(&state, &filters, lang).await?;
    let name = match lang {
        Lang::Fi => "yritykset.xlsx",
        Lang::Sv => "foretag.xlsx",
        Lang::En => "companies.xlsx",
    };
    Ok(attachment(name, XLSX, bytes))
}
