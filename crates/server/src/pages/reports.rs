//! The reports page (any signed-in user): the dimensions and filters as a form, bar charts
//! drawn on the server as SVG with their numbers in a table beside each, and downloads.

use crate::auth::Ctx;
use crate::error::AppError;
use crate::extract::Query;
use crate::pages::{XLSX, attachment};
use crate::service::reports::{self as service, ReportOptions, ReportParams};
use crate::state::AppState;
use crate::views::{notice, page};
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::{Markup, html};
use tuonti_domain::Lang;
use tuonti_excel_template::{ExportFormat, ReportValue};
use tuonti_importer::reports::{Measure, Report, dimension_title, value_text};
use tuonti_persistence::{ReportDimension, ReportSubject};

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reports", get(reports_page))
        .route("/reports/report.xlsx", get(export_xlsx))
        .route("/reports/report.csv", get(export_csv))
}

/// The most bars a chart draws; the table and the downloads have every row.
const MAX_BARS: usize = 40;

/// A select of dimensions named `name`, the blank choice first when `blank` is given.
fn dimension_select(
    ctx: &Ctx,
    id: &str,
    name: &str,
    label: &str,
    blank: Option<&str>,
    selected: Option<&str>,
) -> Markup {
    html! {
        div {
            label for=(id) { (label) }
            select id=(id) name=(name) {
                @if let Some(blank) = blank { option value="" { (blank) } }
                @for dimension in ReportDimension::ALL {
                    option value=(dimension.as_str()) selected[selected == Some(dimension.as_str())] {
                        (dimension_title(dimension, ctx.lang))
                        @if !dimension.of_company() { " (" (ctx.t("vain projektit", "endast projekt", "projects only")) ")" }
                    }
                }
            }
        }
    }
}

fn form(ctx: &Ctx, params: &ReportParams, options: &ReportOptions) -> Markup {
    let all = ctx.t("– kaikki –", "– alla –", "– all –");
    let value = |value: &Option<String>| value.clone().unwrap_or_default();
    let subject = params.subject.as_deref().unwrap_or("projects");
    let (by, by2) = match params.by.as_deref().and_then(|by| by.split_once(',')) {
        Some((first, second)) => (Some(first.trim()), Some(second.trim())),
        None => (params.by.as_deref(), params.by2.as_deref()),
    };
    html! {
        section.card {
            form.filters #report-form method="get" action="/reports" {
                div {
                    label for="report-subject" { (ctx.t("Raportti", "Rapport", "Report")) }
                    select #report-subject name="subject" {
                        option value="projects" selected[subject == "projects"] { (ctx.t("Projektit", "Projekt", "Projects")) }
                        option value="companies" selected[subject == "companies"] { (ctx.t("Yritykset", "Företag", "Companies")) }
                    }
                }
                (dimension_select(ctx, "report-by", "by", ctx.t("Jaottelu", "Indela efter", "Group by"), None, by.or(Some("group"))))
                (dimension_select(ctx, "report-by2", "by2", ctx.t("ja", "och efter", "and by"), Some(ctx.t("– ei –", "– ingen –", "– none –")), by2))
                div {
                    label for="report-from" { (ctx.t("Alkaen", "Från", "From")) }
                    input #report-from type="text" name="from" value=(value(&params.from)) placeholder="1.1.2024" size="10";
                }
                div {
                    label for="report-to" { (ctx.t("Päättyen", "Till", "To")) }
                    input #report-to type="text" name="to" value=(value(&params.to)) placeholder="31.12.2024" size="10";
                }
                div {
                    label for="report-type" { (dimension_title(ReportDimension::CompanyType, ctx.lang)) }
                    select #report-type name="type" {
                        option value="" { (all) }
                        @for company_type in &options.types {
                            @let name = company_type.names.get(ctx.lang);
                            option value=(name) selected[params.company_type.as_deref() == Some(name)] { (name) }
                        }
                    }
                }
                div {
                    label for="report-group" { (dimension_title(ReportDimension::CustomerGroup, ctx.lang)) }
                    select #report-group name="group" {
                        option value="" { (all) }
                        @for group in &options.groups {
                            option value=(group.name) selected[params.group.as_deref() == Some(group.name.as_str())] { (group.name) }
                        }
                    }
                }
                div {
                    label for="report-manager" { (dimension_title(ReportDimension::AccountManager, ctx.lang)) }
                    select #report-manager name="manager" {
                        option value="" { (all) }
                        @for user in &options.users {
                            option value=(user.email) selected[params.manager.as_deref() == Some(user.email.as_str())] { (user.display_name) }
                        }
                    }
                }
                div {
                    label for="report-batch" { (ctx.t("Tuontierä", "Importbatch", "Import batch")) }
                    input #report-batch type="text" inputmode="numeric" name="batch" value=(value(&params.batch)) size="5";
                }
                div { button type="submit" { (ctx.t("Näytä", "Visa", "Show")) } }
            }
            p.hint { (ctx.t(
                "Jakso rajaa projektit aloituspäivän mukaan (ilman sitä luontipäivän mukaan); jaksolla luodut yritykset ja projektit ovat uusia.",
                "Perioden väljer projekt enligt startdatum (utan ett sådant enligt när de skapades); företag och projekt som skapats under perioden är nya.",
                "The period selects projects by their start date (by creation without one); companies and projects created in it are new."
            )) }
        }
    }
}

/// A row's keys as one label ("Helsinki / Käynnissä").
fn row_label(labels: &[String]) -> String {
    labels.join(" / ")
}

/// A horizontal bar chart of `measure` over the report's rows, drawn as SVG, with a table of
/// the same numbers beside it (which screen readers and print read; the SVG is labelled by
/// its caption).
fn chart(ctx: &Ctx, report: &Report, measure: Measure, id: &str) -> Markup {
    let title = measure.title(ctx.lang);
    let number = |value: ReportValue| match value {
        ReportValue::Count(n) => n as f64,
        ReportValue::Cents(cents) => cents as f64 / 100.0,
    };
    let bars: Vec<(String, ReportValue)> = report
        .rows
        .iter()
        .take(MAX_BARS)
        .map(|row| (row_label(&row.labels), measure.value(&row.counts)))
        .collect();
    let largest = bars
        .iter()
        .map(|(_, value)| number(*value))
        .fold(0.0_f64, f64::max);
    let (label_width, bar_width, row_height) = (190.0, 260.0, 24.0);
    let width = label_width + bar_width + 110.0;
    let height = row_height * bars.len().max(1) as f64 + 8.0;
    let caption_id = format!("{id}-caption");
    html! {
        figure.report-chart #(id) {
            figcaption #(caption_id) { (title) }
            div.chart-and-table {
                svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby=(caption_id)
                    width=(width) height=(height) viewBox=(format!("0 0 {width} {height}")) {
                    @for (index, (label, value)) in bars.iter().enumerate() {
                        @let y = 4.0 + index as f64 * row_height;
                        @let length = if largest > 0.0 { (number(*value) / largest * bar_width).max(0.0) } else { 0.0 };
                        @let shown: String = label.chars().take(28).collect();
                        text x=(label_width - 6.0) y=(y + 16.0) text-anchor="end" font-size="12" fill="#1d2433" { (shown) }
                        rect.bar x=(label_width) y=(y + 3.0) width=(format!("{length:.1}")) height=(row_height - 8.0) fill="#0b5cad" {
                            title { (label) ": " (value_text(*value)) }
                        }
                        text x=(label_width + length + 4.0) y=(y + 16.0) font-size="12" fill="#5b6577" { (value_text(*value)) }
                    }
                }
                table.report-numbers {
                    thead { tr {
                        @for dimension in &report.dimensions { th scope="col" { (dimension_title(*dimension, ctx.lang)) } }
                        th.num scope="col" { (title) }
                    } }
                    tbody {
                        @for row in &report.rows {
                            tr {
                                @for label in &row.labels { td { (label) } }
                                td.num { (value_text(measure.value(&row.counts))) }
                            }
                        }
                    }
                    tfoot { tr {
                        th scope="row" colspan=(report.dimensions.len()) { (ctx.t("Yhteensä", "Totalt", "Total")) }
                        td.num { (value_text(measure.value(&report.totals))) }
                    } }
                }
            }
        }
    }
}

/// The whole report as one table, totals last.
fn full_table(report: &Report) -> Markup {
    let (headers, rows) = report.to_table();
    let n_keys = report.dimensions.len();
    let last = rows.len().saturating_sub(1);
    html! {
        table #report-table {
            thead { tr { @for (index, header) in headers.iter().enumerate() {
                th.num[index >= n_keys] scope="col" { (header) }
            } } }
            tbody {
                @for (row_index, row) in rows.iter().enumerate() {
                    tr.total[row_index == last] {
                        @for (index, cell) in row.iter().enumerate() {
                            td.num[index >= n_keys] { (cell) }
                        }
                    }
                }
            }
        }
    }
}

fn reports_view(
    ctx: &Ctx,
    params: &ReportParams,
    options: &ReportOptions,
    report: Result<&Report, String>,
) -> Markup {
    let title = ctx.t("Raportit", "Rapporter", "Reports");
    let query = params.to_query_string();
    let body = html! {
        h1 { (title) }
        (form(ctx, params, options))
        @match report {
            Err(message) => (notice("error", &message)),
            Ok(report) => {
                h2 #report-title { (report.title()) }
                @for line in report.notes() { p.hint { (line) } }
                div.actions {
                    a.button.secondary href=(format!("/reports/report.xlsx?{query}")) download { (ctx.t("Lataa Excel (xlsx)", "Ladda ner Excel (xlsx)", "Download Excel (xlsx)")) }
                    a.button.secondary href=(format!("/reports/report.csv?{query}")) download { (ctx.t("Lataa CSV", "Ladda ner CSV", "Download CSV")) }
                }
                @if report.rows.is_empty() {
                    p role="status" { (ctx.t("Ei rivejä näillä ehdoilla: kaikki luvut ovat nollia.", "Inga rader motsvarar villkoren: alla tal är noll.", "No rows match: every number is zero.")) }
                } @else {
                    section.card.charts {
                        @if report.subject == ReportSubject::Companies {
                            (chart(ctx, report, Measure::Companies, "chart-companies"))
                        }
                        (chart(ctx, report, Measure::Projects, "chart-projects"))
                        (chart(ctx, report, Measure::Value, "chart-value"))
                    }
                }
                section.card {
                    h2 { (ctx.t("Kaikki luvut", "Alla tal", "All numbers")) }
                    (full_table(report))
                }
            }
        }
    };
    page(ctx, title, "reports", body)
}

async fn reports_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<ReportParams>,
) -> Result<Response, AppError> {
    ctx.user()?;
    let options = service::report_options(&state).await?;
    match service::report(&state, &params, ctx.lang).await {
        Ok(report) => Ok(reports_view(&ctx, &params, &options, Ok(&report)).into_response()),
        // A bad dimension, date, period or batch, an unknown name: say which, with the form.
        Err(AppError::Importer(error)) if error.is_user_error() => {
            let markup = reports_view(&ctx, &params, &options, Err(error.message(ctx.lang)));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, markup).into_response())
        }
        Err(error) => Err(error),
    }
}

/// A report file's name: "raportti.xlsx", "rapport.xlsx", "report.csv".
pub(crate) fn report_file_name(lang: Lang, format: ExportFormat) -> String {
    let stem = match lang {
        Lang::Fi => "raportti",
        Lang::Sv => "rapport",
        Lang::En => "report",
    };
    let extension = if format == ExportFormat::Csv {
        "csv"
    } else {
        "xlsx"
    };
    format!("{stem}.{extension}")
}

/// The content type of CSV files.
pub(crate) const CSV: &str = "text/csv; charset=utf-8";

async fn export(
    state: AppState,
    ctx: Ctx,
    params: ReportParams,
    format: ExportFormat,
) -> Result<Response, AppError> {
    ctx.user()?;
    let bytes = service::report_file(&state, &params, ctx.lang, format).await?;
    let content_type = if format == ExportFormat::Csv {
        CSV
    } else {
        XLSX
    };
    Ok(attachment(
        &report_file_name(ctx.lang, format),
        content_type,
        bytes,
    ))
}

async fn export_xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<ReportParams>,
) -> Result<Response, AppError> {
    export(state, ctx, params, ExportFormat::Xlsx).await
}

async fn export_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<ReportParams>,
) -> Result<Response, AppError> {
    export(state, ctx, params, ExportFormat::Csv).await
}
