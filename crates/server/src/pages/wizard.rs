//! The import wizard's pages: (1) instructions and the template, (2–3) files, (4) choices,
//! (5) the column check, the preview and the import with its progress and result.

use crate::auth::{CSRF_FIELD, Ctx};
use crate::error::{AppError, human_size};
use crate::extract::{Path, Query};
use crate::pages::{XLSX, attachment, company_type_shown, field, parse_form};
use crate::service::wizard::{
    self as service, ChoiceOptions, FileSummary, JobSummary, UploadOutcome, WizardOverview,
};
use crate::state::AppState;
use crate::views::{csrf_field, notice, page};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;
use std::collections::BTreeMap;
use tuonti_domain::{CompanyType, FieldKey, Lang, RecordKind};
use tuonti_excel_template::{Inspection, MappingOverride, OverrideTarget};
use tuonti_importer::import::{
    CellFix, ChosenRows, ChosenRowsError, DuplicatePolicy, LinkField, RowAction, Suggestion,
};
use tuonti_importer::wizard::{
    CorrectionError, FileRef, JobResult, RESULT_ROWS, RowLine, ValueCandidate, ValueChoice,
    WizardChoices, WizardFileChoices,
};
use tuonti_persistence::JobKind;

/// The routes of this module.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/import", get(show))
        .route("/import/template.xlsx", get(template))
        .route("/import/files", post(upload))
        .route("/import/files/{id}/delete", post(remove_file))
        .route("/import/choices", post(save_choices))
        .route("/import/mapping", post(save_mapping))
        .route("/import/mapping/profile", post(mapping_profile))
        .route("/import/preview", post(preview))
        .route("/import/values", post(save_values))
        .route("/import/rows", post(save_rows))
        .route("/import/fixes", post(save_fix))
        .route("/import/fixes/delete", post(delete_fix))
        .route("/import/run", post(run))
        .route("/import/cancel", post(cancel))
        .route("/import/jobs/{id}", get(job_page))
        .route("/import/jobs/{id}/outputs/{output}", get(download_output))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Step {
    Start,
    Files,
    Choices,
    Mapping,
    Preview,
}

impl Step {
    fn all() -> [Step; 5] {
        [
            Step::Start,
            Step::Files,
            Step::Choices,
            Step::Mapping,
            Step::Preview,
        ]
    }

    fn key(self) -> &'static str {
        match self {
            Step::Start => "start",
            Step::Files => "files",
            Step::Choices => "choices",
            Step::Mapping => "mapping",
            Step::Preview => "preview",
        }
    }

    fn label(self, ctx: &Ctx) -> &'static str {
        match self {
            Step::Start => ctx.t(
                "1. Ohjeet ja pohja",
                "1. Anvisningar och mall",
                "1. Instructions and template",
            ),
            Step::Files => ctx.t("2–3. Tiedostot", "2–3. Filer", "2–3. Files"),
            Step::Choices => ctx.t("4. Valinnat", "4. Val", "4. Choices"),
            Step::Mapping => ctx.t("5. Sarakkeet", "5. Kolumner", "5. Columns"),
            Step::Preview => ctx.t(
                "Esikatselu ja tuonti",
                "Förhandsgranskning och import",
                "Preview and import",
            ),
        }
    }
}

#[derive(Deserialize)]
struct StepQuery {
    step: Option<Step>,
}

fn steps_nav(ctx: &Ctx, current: Step) -> Markup {
    html! {
        nav aria-label=(ctx.t("Tuonnin vaiheet", "Importens steg", "Import steps")) {
            ol.steps {
                @for step in Step::all() {
                    li { a href=(format!("/import?step={}", step.key())) aria-current=[(step == current).then_some("step")] { (step.label(ctx)) } }
                }
            }
        }
    }
}

fn frame(ctx: &Ctx, step: Step, notices: Markup, body: Markup) -> Markup {
    let content = html! {
        h1 { (ctx.t("Asiakastietojen tuonti", "Import av kunduppgifter", "Customer data import")) }
        (steps_nav(ctx, step))
        (notices)
        (body)
    };
    page(ctx, step.label(ctx), "import", content)
}

async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<StepQuery>,
) -> Result<Markup, AppError> {
    let user = ctx.admin()?.clone();
    let step = query.step.unwrap_or(Step::Start);
    render(&state, &ctx, &user, step, html! {}).await
}

async fn render(
    state: &AppState,
    ctx: &Ctx,
    user: &tuonti_domain::User,
    step: Step,
    notices: Markup,
) -> Result<Markup, AppError> {
    let wizard = service::current(state, user).await?;
    let body = match step {
        Step::Start => start_step(ctx),
        Step::Files => files_step(ctx, state, &wizard),
        Step::Choices => {
            let options = service::choice_options(state).await?;
            choices_step(ctx, &wizard, &options)
        }
        Step::Mapping => {
            if wizard.files.is_empty() {
                html! { (notice("warning", ctx.t("Lataa ensin tiedosto.", "Ladda upp en fil först.", "Upload a file first."))) }
            } else {
                match service::mapping(state, user, wizard.id).await {
                    Ok(inspections) => {
                        let profiles = service::profiles(state).await?;
                        mapping_step(ctx, &wizard, &inspections, &profiles)
                    }
                    Err(AppError::Importer(error)) if error.is_user_error() => {
                        html! { (notice("error", &error.message(ctx.lang))) }
                    }
                    Err(error) => return Err(error),
                }
            }
        }
        Step::Preview => {
            let types = crate::service::data::company_types(state).await?;
            let mut fields: Vec<LinkField> = wizard
                .values
                .iter()
                .map(|(field, _, _)| field)
                .chain(
                    preview_result(&wizard)
                        .into_iter()
                        .flat_map(|result| result.unresolved_values.iter().map(|v| v.field)),
                )
                .collect();
            fields.sort();
            fields.dedup();
            let candidates = service::value_candidates(state, fields, ctx.lang).await?;
            preview_step(ctx, &wizard, &types, &candidates)
        }
    };
    Ok(frame(ctx, step, notices, body))
}

fn start_step(ctx: &Ctx) -> Markup {
    html! {
        section.card {
            h2 { (ctx.t("Näin tuot asiakkaat", "Så här importerar du kunder", "How to import customers")) }
            ol {
                li { (ctx.t("Varmista, että käyttäjät (asiakasvastaavat ja projektipäälliköt), yritystyypit, asiakasryhmät ja toimialat on perustettu Asetuksissa.",
                            "Se till att användarna (kundansvariga och projektledare), företagstyperna, kundgrupperna och branscherna finns under inställningarna.",
                            "Make sure the users (account managers and project managers), company types, customer groups and branches of business exist under the settings.")) }
                li { (ctx.t("Lataa tuontipohja alta. Siinä on välilehdet Yritykset, Yhteyshenkilöt ja Projektit; pudotusvalikoissa ovat tämän järjestelmän yritystyypit, asiakasryhmät, käyttäjät, projektien tilat, toimialat ja maat.",
                            "Ladda ner importmallen nedan. Den har bladen Företag, Kontaktpersoner och Projekt; dess rullgardinsmenyer innehåller systemets företagstyper, kundgrupper, användare, projektstatusar, branscher och länder.",
                            "Download the import template below. It has the sheets Companies, Contacts and Projects; its dropdowns hold this system's company types, customer groups, users, project statuses, branches and countries.")) }
                li { (ctx.t("Täytä pohja: yksi yritys, yhteyshenkilö tai projekti riville. Yhteyshenkilö ja projekti nimeävät yrityksensä asiakasnumerolla, Y-tunnuksella tai nimellä; yrityksen voi tuoda samassa tuonnissa. Y-tunnus, osoite, puhelin, sähköposti, päivämäärät, arvot ja muut tarkistetaan. Tarvitsemattomat välilehdet voi jättää tyhjiksi, ja kunkin lajin voi tuoda myös omana tiedostonaan.",
                            "Fyll i mallen: ett företag, en kontaktperson eller ett projekt per rad. En kontaktperson och ett projekt anger sitt företag med kundnummer, FO-nummer eller namn; företaget kan importeras i samma import. FO-nummer, adress, telefon, e-post, datum, värden och resten kontrolleras. Blad du inte behöver kan lämnas tomma, och varje slag av poster kan också komma i en egen fil.",
                            "Fill it in: one company, contact or project a row. A contact or a project names its company by customer number, business ID or name; the company may come in the same import. Business IDs, addresses, phones, emails, dates, values and the rest are checked. Sheets you do not need can stay empty, and each kind of record may also come in a file of its own.")) }
                li { (ctx.t("Lataa yksi tai useampi tiedosto (xlsx, xls, ods tai csv), valitse yritystyyppi, asiakasryhmä ja asiakasvastaava, tarkista sarakkeet ja esikatsele.",
                            "Ladda upp en eller flera filer (xlsx, xls, ods eller csv), välj företagstyp, kundgrupp och kundansvarig, kontrollera kolumnerna och förhandsgranska.",
                            "Upload one or more files (xlsx, xls, ods or csv), choose the company type, customer group and account manager, check the columns and preview.")) }
                li { (ctx.t("Tuo. Virheelliset rivit saat virhetyökirjana, jonka voit korjata ja tuoda uudelleen. Tuonnin voi perua historiasta.",
                            "Importera. Rader med fel får du tillbaka i en felarbetsbok som du kan korrigera och importera igen. En import kan ångras i historiken.",
                            "Import. Rows with errors come back in an error workbook you can fix and import again. An import can be undone from the history.")) }
            }
        }
        section.card {
            h2 { (ctx.t("Tuontipohja", "Importmall", "Import template")) }
            form method="get" action="/import/template.xlsx" {
                label for="template-lang" { (ctx.t("Pohjan kieli", "Mallens språk", "Template language")) }
                select #template-lang name="lang" {
                    option value="fi" selected[ctx.lang == Lang::Fi] { "Suomi" }
                    option value="sv" selected[ctx.lang == Lang::Sv] { "Svenska" }
                    option value="en" selected[ctx.lang == Lang::En] { "English" }
                }
                div.actions {
                    button type="submit" { (ctx.t("Lataa tuontipohja (xlsx)", "Ladda ner importmallen (xlsx)", "Download the template (xlsx)")) }
                    a.button.secondary href="/import?step=files" { (ctx.t("Seuraava: tiedostot", "Nästa: filer", "Next: files")) }
                }
            }
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct TemplateQuery {
    lang: Option<String>,
}

pub(crate) async fn template(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(query): Query<TemplateQuery>,
) -> Result<Response, AppError> {
    ctx.admin()?;
    let lang = query
        .lang
        .and_then(|code| code.parse::<Lang>().ok())
        .unwrap_or(ctx.lang);
    let bytes = service::template(&state, lang).await?;
    let name = match lang {
        Lang::Fi => "tuontipohja.xlsx",
        Lang::Sv => "importmall.xlsx",
        Lang::En => "import-template.xlsx",
    };
    Ok(attachment(name, XLSX, bytes))
}

fn files_step(ctx: &Ctx, state: &AppState, wizard: &WizardOverview) -> Markup {
    let limit = state.config.max_upload_bytes;
    let too_large = format!(
        "{} {}",
        ctx.t(
            "liian suuri, raja on",
            "för stor, gränsen är",
            "too large, the limit is"
        ),
        human_size(limit, ctx.lang)
    );
    html! {
        section.card {
            h2 { (ctx.t("Lataa tiedostot", "Ladda upp filer", "Upload files")) }
            form method="post" action=(format!("/import/files?{CSRF_FIELD}={}", ctx.csrf)) enctype="multipart/form-data" {
                label for="files" { (ctx.t("Tiedostot (xlsx, xlsm, xls, ods, csv)", "Filer (xlsx, xlsm, xls, ods, csv)", "Files (xlsx, xlsm, xls, ods, csv)")) }
                input #files type="file" name="files" multiple required
                    accept=".xlsx,.xlsm,.xlsb,.xls,.ods,.csv,.txt"
                    data-file-list="chosen-files" data-max-bytes=(limit) data-too-large=(too_large);
                p.hint { (ctx.t("Enintään", "Högst", "At most")) " " (human_size(limit, ctx.lang)) " " (ctx.t("tiedostoa kohden. Voit valita useita tiedostoja.", "per fil. Du kan välja flera filer.", "a file. You can choose several files.")) }
                ul #chosen-files {}
                div.actions { button type="submit" { (ctx.t("Lataa", "Ladda upp", "Upload")) } }
            }
        }
        section.card {
            h2 { (ctx.t("Ladatut tiedostot", "Uppladdade filer", "Uploaded files")) }
            @if wizard.files.is_empty() {
                p { (ctx.t("Ei vielä tiedostoja.", "Inga filer ännu.", "No files yet.")) }
            } @else {
                table {
                    thead { tr { th { (ctx.t("Tiedosto", "Fil", "File")) } th.num { (ctx.t("Rivejä", "Rader", "Rows")) } th.num { (ctx.t("Koko", "Storlek", "Size")) } th {} } }
                    tbody {
                        @for file in &wizard.files {
                            tr {
                                td { (file.name) }
                                td.num { (file.data_rows) }
                                td.num { (human_size(u64::try_from(file.size_bytes).unwrap_or(0), ctx.lang)) }
                                td {
                                    form method="post" action=(format!("/import/files/{}/delete", file.id)) {
                                        (csrf_field(ctx))
                                        button.link type="submit" aria-label=(format!("{} {}", ctx.t("Poista", "Ta bort", "Remove"), file.name)) { (ctx.t("Poista", "Ta bort", "Remove")) }
                                    }
                                }
                            }
                        }
                    }
                }
                div.actions { a.button href="/import?step=choices" { (ctx.t("Seuraava: valinnat", "Nästa: val", "Next: choices")) } }
            }
        }
    }
}

async fn upload(
    State(state): State<AppState>,
    ctx: Ctx,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, AppError> {
    let user = ctx.admin()?.clone();
    let wizard = service::current(&state, &user).await?;
    let files = read_files(&state, multipart).await;
    let notices = match files {
        Ok(files) if files.is_empty() => notice(
            "error",
            ctx.t(
                "Valitse ladattava tiedosto.",
                "Välj en fil att ladda upp.",
                "Choose a file to upload.",
            ),
        ),
        Ok(files) => {
            let outcomes = service::upload(&state, &user, wizard.id, files, ctx.lang).await?;
            upload_notices(&ctx, &outcomes)
        }
        Err(error) => notice("error", &error.message(ctx.lang)),
    };
    let markup = render(&state, &ctx, &user, Step::Files, notices).await?;
    Ok(markup.into_response())
}

fn upload_notices(ctx: &Ctx, outcomes: &[UploadOutcome]) -> Markup {
    html! {
        @for outcome in outcomes {
            @match (&outcome.file, &outcome.error) {
                (Some(file), _) => (notice("ok", &format!("{}: {} {}", file.name, ctx.t("ladattu,", "uppladdad,", "uploaded,"), format_rows(ctx, file.data_rows)))),
                (None, Some(error)) => (notice("error", &format!("{}: {} {error}", outcome.name, ctx.t("hylätty:", "avvisad:", "refused:")))),
                (None, None) => {}
            }
        }
    }
}

fn format_rows(ctx: &Ctx, rows: u64) -> String {
    format!("{rows} {}", ctx.t("riviä", "rader", "rows"))
}

/// Reads the `files` parts of an upload, refusing a file over the limit while it arrives.
pub(crate) async fn read_files(
    state: &AppState,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    let limit = state.config.max_upload_bytes;
    let mut multipart = multipart.map_err(|rejection| {
        AppError::bad_request(
            format!("Lähetys ei ole tiedostolomake: {rejection}"),
            format!("Sändningen är inte ett filformulär: {rejection}"),
            format!("The request is not a file upload: {rejection}"),
        )
    })?;
    let mut files = Vec::new();
    loop {
        let next = multipart
            .next_field()
            .await
            .map_err(|error| multipart_error(error, state))?;
        let Some(mut part) = next else { break };
        let Some(name) = part.file_name().map(str::to_owned) else {
            continue;
        };
        if name.is_empty() {
            continue;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = part
            .chunk()
            .await
            .map_err(|error| multipart_error(error, state))?
        {
            if (bytes.len() + chunk.len()) as u64 > limit {
                return Err(AppError::TooLarge {
                    name: Some(name),
                    limit,
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        files.push((name, bytes));
    }
    Ok(files)
}

fn multipart_error(error: axum::extract::multipart::MultipartError, state: &AppState) -> AppError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::TooLarge {
            name: None,
            limit: state.config.max_request_bytes as u64,
        }
    } else {
        AppError::bad_request(
            format!("Lähetys katkesi tai on viallinen: {error}"),
            format!("Sändningen avbröts eller är felaktig: {error}"),
            format!("The upload broke off or is malformed: {error}"),
        )
    }
}

async fn remove_file(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(file_id): Path<i64>,
) -> Result<Redirect, AppError> {
    let user = ctx.admin()?.clone();
    let wizard = service::current(&state, &user).await?;
    service::remove_file(&state, &user, wizard.id, file_id).await?;
    Ok(Redirect::to("/import?step=files"))
}

/// A column of step 4's table: a choice a file can have of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileChoice {
    CompanyType,
    CustomerGroup,
    AccountManager,
    ProjectManager,
}

impl FileChoice {
    const ALL: [FileChoice; 4] = [
        FileChoice::CompanyType,
        FileChoice::CustomerGroup,
        FileChoice::AccountManager,
        FileChoice::ProjectManager,
    ];

    /// The form field's name (for every file; a file's is `file-{id}-{name}`).
    fn name(self) -> &'static str {
        match self {
            FileChoice::CompanyType => "company_type",
            FileChoice::CustomerGroup => "customer_group",
            FileChoice::AccountManager => "account_manager",
            FileChoice::ProjectManager => "project_manager",
        }
    }

    fn from_name(name: &str) -> Option<FileChoice> {
        FileChoice::ALL
            .into_iter()
            .find(|choice| choice.name() == name)
    }

    fn heading(self, ctx: &Ctx) -> &'static str {
        match self {
            FileChoice::CompanyType => ctx.t("Yritystyyppi", "Företagstyp", "Company type"),
            FileChoice::CustomerGroup => ctx.t("Asiakasryhmä", "Kundgrupp", "Customer group"),
            FileChoice::AccountManager => {
                ctx.t("Asiakasvastaava", "Kundansvarig", "Account manager")
            }
            FileChoice::ProjectManager => {
                ctx.t("Projektipäällikkö", "Projektledare", "Project manager")
            }
        }
    }

    /// The empty option of the dropdown for every file.
    fn none_for_every_file(self, ctx: &Ctx) -> &'static str {
        match self {
            FileChoice::CustomerGroup => ctx.t("– ei ryhmää –", "– ingen grupp –", "– no group –"),
            FileChoice::ProjectManager => {
                ctx.t("– ei oletusta –", "– ingen standard –", "– none –")
            }
            _ => ctx.t("– valitse –", "– välj –", "– choose –"),
        }
    }

    /// Required for every file.
    fn required(self) -> bool {
        matches!(self, FileChoice::CompanyType | FileChoice::AccountManager)
    }

    /// Its value for every file.
    fn of_every_file(self, choices: &WizardChoices) -> Option<&str> {
        match self {
            FileChoice::CompanyType => choices.company_type.as_deref(),
            FileChoice::CustomerGroup => choices.customer_group.as_deref(),
            FileChoice::AccountManager => choices.account_manager.as_deref(),
            FileChoice::ProjectManager => choices.project_manager.as_deref(),
        }
    }

    /// Its value for one file.
    fn of_file(self, file: &WizardFileChoices) -> Option<&str> {
        match self {
            FileChoice::CompanyType => file.company_type.as_deref(),
            FileChoice::CustomerGroup => file.customer_group.as_deref(),
            FileChoice::AccountManager => file.account_manager.as_deref(),
            FileChoice::ProjectManager => file.project_manager.as_deref(),
        }
    }

    /// Sets its value for one file.
    fn set(self, file: &mut WizardFileChoices, value: Option<String>) {
        let slot = match self {
            FileChoice::CompanyType => &mut file.company_type,
            FileChoice::CustomerGroup => &mut file.customer_group,
            FileChoice::AccountManager => &mut file.account_manager,
            FileChoice::ProjectManager => &mut file.project_manager,
        };
        *slot = value;
    }
}

/// The options of a choice's dropdown: value and text.
fn choice_options(ctx: &Ctx, options: &ChoiceOptions, choice: FileChoice) -> Vec<(String, String)> {
    match choice {
        FileChoice::CompanyType => options
            .company_types
            .iter()
            .map(|company_type| (company_type.names.fi.clone(), type_name(ctx, company_type)))
            .collect(),
        FileChoice::CustomerGroup => options
            .customer_groups
            .iter()
            .map(|group| (group.name.clone(), group.name.clone()))
            .collect(),
        // By name, to keep the table narrow; with the email when two users share a name.
        FileChoice::AccountManager | FileChoice::ProjectManager => options
            .account_managers
            .iter()
            .map(|user| {
                let shared = options
                    .account_managers
                    .iter()
                    .filter(|other| other.display_name == user.display_name)
                    .count()
                    > 1;
                let text = if shared {
                    format!("{} ({})", user.display_name, user.email)
                } else {
                    user.display_name.clone()
                };
                (user.email.clone(), text)
            })
            .collect(),
    }
}

/// The text of a file's "as for every file" option: `= ` and the choice for every file, or
/// the words when there is none.
fn as_for_every_file(ctx: &Ctx, shown: Option<&str>) -> String {
    match shown {
        Some(shown) => format!("= {shown}"),
        None => format!(
            "– {} –",
            ctx.t("kuten kaikille", "som för alla filer", "as for every file")
        ),
    }
}

fn choices_step(ctx: &Ctx, wizard: &WizardOverview, options: &ChoiceOptions) -> Markup {
    let choices = &wizard.choices;
    let with_projects = wizard.files.iter().any(FileSummary::may_hold_projects);
    let columns: Vec<FileChoice> = FileChoice::ALL
        .into_iter()
        .filter(|choice| *choice != FileChoice::ProjectManager || with_projects)
        .collect();
    let offered: Vec<Vec<(String, String)>> = columns
        .iter()
        .map(|choice| choice_options(ctx, options, *choice))
        .collect();
    // What the choice for every file shows as, for the files' "as for every file" options.
    let every_shown = |column: usize| -> Option<String> {
        if columns[column] == FileChoice::CustomerGroup
            && let Some(new_group) = &choices.new_group
        {
            return Some(new_group.clone());
        }
        let value = columns[column].of_every_file(choices)?;
        let text = offered[column]
            .iter()
            .find(|(candidate, _)| candidate == value)
            .map_or(value, |(_, text)| text.as_str());
        Some(text.to_owned())
    };
    html! {
        section.card {
            h2 { (ctx.t("Valinnat tiedostoittain", "Val per fil", "Choices per file")) }
            p.hint { (ctx.t(
                "Ensimmäinen rivi koskee kaikkia tiedostoja. Tiedoston rivillä voit valita sille omat; \"= …\" on ensimmäisen rivin valinta (kuten kaikille). Tiedoston omat sarakkeet (yritystyyppi, asiakasryhmä, asiakasvastaava, projektipäällikkö) ohittavat nämä riveittäin.",
                "Den första raden gäller alla filer. På en fils rad kan du välja dess egna; \"= …\" är den första radens val (som för alla filer). Filens egna kolumner (företagstyp, kundgrupp, kundansvarig, projektledare) går före dessa rad för rad.",
                "The first row is for every file. On a file's row you can choose its own; \"= …\" is the first row's choice (as for every file). The file's own columns (company type, customer group, account manager, project manager) override these row by row."
            )) }
            form method="post" action="/import/choices" {
                (csrf_field(ctx))
                table.choices {
                    thead { tr {
                        th { (ctx.t("Tiedosto", "Fil", "File")) }
                        @for choice in &columns { th { (choice.heading(ctx)) } }
                    } }
                    tbody {
                        tr.every-file {
                            th scope="row" { (ctx.t("Kaikki tiedostot", "Alla filer", "Every file")) }
                            @for (column, choice) in columns.iter().enumerate() {
                                @let current = choice.of_every_file(choices);
                                td {
                                    select id=(choice.name()) name=(choice.name()) required[choice.required()]
                                        aria-label=(format!("{}: {}", choice.heading(ctx), ctx.t("kaikki tiedostot", "alla filer", "every file"))) {
                                        option value="" { (choice.none_for_every_file(ctx)) }
                                        @for (value, text) in &offered[column] {
                                            option value=(value) selected[current == Some(value.as_str())] { (text) }
                                        }
                                    }
                                }
                            }
                        }
                        @for file in &wizard.files {
                            @let own = choices.files.iter().find(|entry| entry.file == FileRef::Id(file.id));
                            tr {
                                th scope="row" {
                                    (file.name)
                                    br;
                                    span.hint { (format_rows(ctx, file.data_rows)) }
                                }
                                @for (column, choice) in columns.iter().enumerate() {
                                    @let current = own.and_then(|own| choice.of_file(own));
                                    @let name = format!("file-{}-{}", file.id, choice.name());
                                    td {
                                        @if *choice == FileChoice::ProjectManager && !file.may_hold_projects() {
                                            span.hint { "–" }
                                        } @else {
                                            select id=(name) name=(name)
                                                aria-label=(format!("{}: {}", choice.heading(ctx), file.name)) {
                                                option value="" data-every=(choice.name()) data-every-none=(as_for_every_file(ctx, None)) title=(ctx.t("kuten kaikille", "som för alla filer", "as for every file")) {
                                                    (as_for_every_file(ctx, every_shown(column).as_deref()))
                                                }
                                                @for (value, text) in &offered[column] {
                                                    option value=(value) selected[current == Some(value.as_str())] { (text) }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                @if wizard.files.is_empty() {
                    p.hint { (ctx.t("Lataa tiedostot, niin voit valita kullekin omat.", "Ladda upp filerna för att välja egna val för varje fil.", "Upload the files to choose each one's own.")) }
                }
                label for="new_group" { (ctx.t("…tai luo kaikille tiedostoille uusi asiakasryhmä", "…eller skapa en ny kundgrupp för alla filer", "…or create a new customer group for every file")) }
                input #new_group type="text" name="new_group" value=(choices.new_group.clone().unwrap_or_default());
                label.inline {
                    input type="checkbox" name="create_groups" value="1" checked[choices.create_groups];
                    (ctx.t("Luo myös tiedoston riveillä nimetyt puuttuvat asiakasryhmät", "Skapa också de saknade kundgrupper som raderna nämner", "Also create the missing customer groups that rows name"))
                }
                label.inline {
                    input type="checkbox" name="create_branches" value="1" checked[choices.create_branches];
                    (ctx.t("Luo projektiriveillä nimetyt puuttuvat toimialat", "Skapa de saknade branscher som projektraderna nämner", "Create the missing branches of business that project rows name"))
                }
                label for="on_duplicate" { (ctx.t("Jos yritys on jo järjestelmässä", "Om företaget redan finns i systemet", "When a company is already stored")) }
                select #on_duplicate name="on_duplicate" {
                    @for policy in [DuplicatePolicy::Skip, DuplicatePolicy::FillEmpty, DuplicatePolicy::Overwrite, DuplicatePolicy::Fail] {
                        option value=(policy.as_str()) selected[choices.on_duplicate == policy] { (policy_label(ctx, policy)) }
                    }
                }
                fieldset {
                    legend { (ctx.t("Virheelliset rivit", "Rader med fel", "Rows with errors")) }
                    label.inline { input type="radio" name="mode" value="all" checked[!choices.skip_invalid]; (ctx.t("Kaikki tai ei mitään: virhe estää koko tuonnin", "Allt eller inget: ett fel stoppar hela importen", "All or nothing: an error stops the whole import")) }
                    br;
                    label.inline { input type="radio" name="mode" value="skip_invalid" checked[choices.skip_invalid]; (ctx.t("Tuo kelvolliset rivit ja anna virheelliset virhetyökirjana", "Importera de giltiga raderna och ge de övriga i en felarbetsbok", "Import the valid rows and return the others in an error workbook")) }
                }
                label for="default_country" { (ctx.t("Maa riveille, joilla sitä ei ole", "Land för rader som inte anger något", "Country of rows that name none")) }
                input #default_country type="text" name="default_country" value=(choices.default_country);
                div.actions { button type="submit" { (ctx.t("Tallenna ja jatka", "Spara och fortsätt", "Save and continue")) } }
            }
        }
    }
}

/// What a duplicate policy does, in the page's language.
pub(crate) fn policy_label(ctx: &Ctx, policy: DuplicatePolicy) -> &'static str {
    match policy {
        DuplicatePolicy::FillEmpty => ctx.t(
            "Täydennä tyhjät kentät",
            "Fyll i dess tomma fält",
            "Fill its empty fields",
        ),
        DuplicatePolicy::Overwrite => ctx.t(
            "Korvaa tiedot tiedoston arvoilla",
            "Ersätt med filens värden",
            "Overwrite with the file's values",
        ),
        DuplicatePolicy::Fail => ctx.t("Hylkää rivi", "Avvisa raden", "Reject the row"),
        _ => ctx.t(
            "Ohita (jätä tallennettu ennalleen)",
            "Hoppa över (lämna det sparade som det är)",
            "Skip (leave the stored one as it is)",
        ),
    }
}

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

async fn save_choices(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Bytes,
) -> Result<Response, AppError> {
    let user = ctx.admin()?.clone();
    let form = parse_form(&body);
    let text = |name: &str| {
        field(&form, name)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let on_duplicate = match text("on_duplicate") {
        Some(value) => value
            .parse::<DuplicatePolicy>()
            .map_err(|error| AppError::Importer(error.into()))?,
        None => DuplicatePolicy::Skip,
    };
    let choices = WizardChoices {
        company_type: text("company_type"),
        customer_group: text("customer_group"),
        new_group: text("new_group"),
        create_groups: field(&form, "create_groups").is_some(),
        account_manager: text("account_manager"),
        on_duplicate,
        skip_invalid: field(&form, "mode") == Some("skip_invalid"),
        default_country: text("default_country").unwrap_or_else(|| "FI".into()),
        create_branches: field(&form, "create_branches").is_some(),
        project_manager: text("project_manager"),
        files: posted_file_choices(&form),
    };
    let wizard = service::current(&state, &user).await?;
    match service::set_choices(&state, &user, wizard.id, choices).await {
        Ok(()) => Ok(Redirect::to("/import?step=mapping").into_response()),
        Err(AppError::Importer(error)) if error.is_user_error() => {
            refused(&state, &ctx, &user, Step::Choices, &error).await
        }
        Err(error) => Err(error),
    }
}

/// Each file's own choices as posted (`file-{id}-{choice}`), in file order; an empty choice
/// is "as for every file".
fn posted_file_choices(form: &[(String, String)]) -> Vec<WizardFileChoices> {
    let mut by_file: std::collections::BTreeMap<i64, WizardFileChoices> =
        std::collections::BTreeMap::new();
    for (name, value) in form {
        let Some((id, choice)) = name
            .strip_prefix("file-")
            .and_then(|rest| rest.split_once('-'))
        else {
            continue;
        };
        let (Ok(file_id), Some(choice)) = (id.parse::<i64>(), FileChoice::from_name(choice)) else {
            continue;
        };
        let entry = by_file.entry(file_id).or_insert_with(|| WizardFileChoices {
            file: FileRef::Id(file_id),
            company_type: None,
            customer_group: None,
            account_manager: None,
            project_manager: None,
        });
        let value = Some(value.trim().to_owned()).filter(|value| !value.is_empty());
        choice.set(entry, value);
    }
    by_file.into_values().collect()
}

/// The step's page again with the refusal on top (status 422).
async fn refused(
    state: &AppState,
    ctx: &Ctx,
    user: &tuonti_domain::User,
    step: Step,
    error: &tuonti_importer::Error,
) -> Result<Response, AppError> {
    let markup = render(
        state,
        ctx,
        user,
        step,
        notice("error", &error.message(ctx.lang)),
    )
    .await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, markup).into_response())
}

fn field_label(ctx: &Ctx, kind: RecordKind, field: FieldKey) -> &'static str {
    kind.spec(field).header(ctx.lang)
}

/// A kind of record as the wizard names it.
fn kind_label(ctx: &Ctx, kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Contact => ctx.t("Yhteyshenkilöt", "Kontaktpersoner", "Contacts"),
        RecordKind::Project => ctx.t("Projektit", "Projekt", "Projects"),
        _ => ctx.t("Yritykset", "Företag", "Companies"),
    }
}

fn mapping_step(
    ctx: &Ctx,
    wizard: &WizardOverview,
    inspections: &[Inspection],
    profiles: &[String],
) -> Markup {
    html! {
        form method="post" action="/import/mapping" {
            (csrf_field(ctx))
            @for (file_index, inspection) in inspections.iter().enumerate() {
                section.card {
                    h2 { (inspection.file) " · " (kind_label(ctx, inspection.kind)) }
                    p.hint {
                        @if let Some(sheet) = &inspection.sheet { (ctx.t("Taulukko", "Blad", "Sheet")) " " (sheet) ", " }
                        (ctx.t("otsikkorivi", "rubrikrad", "header row")) " " (inspection.header_row) ", "
                        (format_rows(ctx, inspection.data_rows))
                        @if inspection.from_template { " · " (ctx.t("Tuonti-pohja tunnistettu", "Tuonti-mall identifierad", "Tuonti template recognised")) }
                    }
                    @if inspection.sheets.len() > 1 && file_index == 0 {
                        label for="sheet" { (ctx.t("Luettava taulukko", "Blad som läses", "Sheet to read")) }
                        select #sheet name="sheet" {
                            option value="" { (ctx.t("– automaattinen –", "– automatiskt –", "– automatic –")) }
                            @for sheet in &inspection.sheets {
                                option value=(sheet.name) selected[wizard.sheet.as_deref() == Some(sheet.name.as_str())] { (sheet.name) }
                            }
                        }
                    }
                    table {
                        caption.hint { (ctx.t("Tarkista, että jokainen sarake vastaa oikeaa kenttää.", "Kontrollera att varje kolumn motsvarar rätt fält.", "Check that each column maps to the right field.")) }
                        thead { tr {
                            th { (ctx.t("Sarake", "Kolumn", "Column")) }
                            th { (ctx.t("Otsikko", "Rubrik", "Header")) }
                            th { (ctx.t("Kenttä", "Fält", "Field")) }
                            th.num { (ctx.t("Varmuus", "Säkerhet", "Confidence")) }
                            th { (ctx.t("Esimerkkiarvot", "Exempelvärden", "Sample values")) }
                        } }
                        tbody {
                            @for column in &inspection.columns {
                                @let select_id = format!("map-{file_index}-{}", column.column);
                                tr {
                                    td { (column.letter) }
                                    td { label for=(select_id) { (column.header) } }
                                    td {
                                        input type="hidden" name=(format!("hdr-{file_index}-{}", column.column)) value=(column.header);
                                        input type="hidden" name=(format!("was-{file_index}-{}", column.column)) value=(column.field.map_or("ignore", FieldKey::as_str));
                                        select id=(select_id) name=(format!("map-{file_index}-{}", column.column)) disabled[column.header.trim().is_empty()] {
                                            option value="ignore" selected[column.field.is_none()] { (ctx.t("– ei tuoda –", "– importeras inte –", "– not imported –")) }
                                            @for key in inspection.kind.fields() {
                                                option value=(key.as_str()) selected[column.field == Some(*key)] { (field_label(ctx, inspection.kind, *key)) }
                                            }
                                        }
                                    }
                                    td.num class=[(column.confidence < 0.9 && column.field.is_some()).then_some("conf-low")] {
                                        @if column.field.is_some() { (format!("{:.0} %", column.confidence * 100.0)) } @else { "–" }
                                    }
                                    td.samples { (column.samples.join(" · ")) }
                                }
                            }
                        }
                    }
                }
            }
            div.actions {
                button type="submit" { (ctx.t("Tallenna sarakkeet ja jatka", "Spara kolumnerna och fortsätt", "Save the columns and continue")) }
            }
        }
        section.card {
            h2 { (ctx.t("Tallennetut sarakemääritykset", "Sparade kolumnmappningar", "Saved column mappings")) }
            p.hint { (ctx.t(
                "Saman lähdejärjestelmän tiedostoille: käytä aiemmin tallennettua määritystä tai tallenna tämä.",
                "För filer från samma källsystem: använd en mappning som sparats tidigare, eller spara denna.",
                "For files from the same source system: use a mapping saved before, or save this one."
            )) }
            form.filters method="post" action="/import/mapping/profile" {
                (csrf_field(ctx))
                @if !profiles.is_empty() {
                    div {
                        label for="profile" { (ctx.t("Määritys", "Mappning", "Mapping")) }
                        select #profile name="apply" {
                            @for name in profiles { option value=(name) { (name) } }
                        }
                    }
                    button.secondary type="submit" name="action" value="apply" { (ctx.t("Käytä", "Använd", "Use")) }
                }
                div {
                    label for="profile-name" { (ctx.t("Tallenna nykyinen nimellä", "Spara den nuvarande som", "Save the current one as")) }
                    input #profile-name type="text" name="save";
                }
                button.secondary type="submit" name="action" value="save" { (ctx.t("Tallenna", "Spara", "Save")) }
            }
        }
    }
}

async fn save_mapping(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Bytes,
) -> Result<Response, AppError> {
    let user = ctx.admin()?.clone();
    let form = parse_form(&body);
    let wizard = service::current(&state, &user).await?;
    let mut overrides: Vec<MappingOverride> = wizard
        .overrides
        .iter()
        .filter_map(|text| text.parse().ok())
        .collect();
    for (name, value) in &form {
        let Some(suffix) = name.strip_prefix("map-") else {
            continue;
        };
        let header = field(&form, &format!("hdr-{suffix}"))
            .unwrap_or_default()
            .to_owned();
        let was = field(&form, &format!("was-{suffix}")).unwrap_or_default();
        if header.trim().is_empty() || value == was {
            continue;
        }
        let target = if value == "ignore" {
            OverrideTarget::Ignore
        } else {
            match FieldKey::ALL.iter().find(|key| key.as_str() == value) {
                Some(key) => OverrideTarget::Field(*key),
                None => continue,
            }
        };
        overrides.retain(|existing| existing.header != header);
        overrides.push(MappingOverride { header, target });
    }
    let sheet = field(&form, "sheet")
        .map(str::to_owned)
        .or(wizard.sheet.clone());
    match service::set_mapping(&state, &user, wizard.id, sheet, overrides).await {
        Ok(_) => Ok(Redirect::to("/import?step=preview").into_response()),
        Err(AppError::Importer(error)) if error.is_user_error() => {
            refused(&state, &ctx, &user, Step::Mapping, &error).await
        }
        Err(error) => Err(error),
    }
}

async fn mapping_profile(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Bytes,
) -> Result<Response, AppError> {
    let user = ctx.admin()?.clone();
    let form = parse_form(&body);
    let wizard = service::current(&state, &user).await?;
    let outcome = match field(&form, "action") {
        Some("apply") => {
            let name = field(&form, "apply").unwrap_or_default().to_owned();
            service::apply_profile(&state, &user, wizard.id, name.clone())
                .await
                .map(|_| {
                    format!(
                        "{} {name}",
                        ctx.t(
                            "Käytetään määritystä",
                            "Använder mappningen",
                            "Using the mapping"
                        )
                    )
                })
        }
        _ => {
            let name = field(&form, "save").unwrap_or_default().to_owned();
            service::save_profile(&state, &user, wizard.id, name)
                .await
                .map(|saved| {
                    format!(
                        "{} {saved}",
                        ctx.t(
                            "Määritys tallennettiin:",
                            "Mappningen sparades:",
                            "Saved the mapping"
                        )
                    )
                })
        }
    };
    let (status, notices) = match outcome {
        Ok(message) => (StatusCode::OK, notice("ok", &message)),
        Err(AppError::Importer(error)) if error.is_user_error() => (
            StatusCode::UNPROCESSABLE_ENTITY,
            notice("error", &error.message(ctx.lang)),
        ),
        Err(error) => return Err(error),
    };
    let markup = render(&state, &ctx, &user, Step::Mapping, notices).await?;
    Ok((status, markup).into_response())
}

/// The newest preview's result, when it succeeded.
fn preview_result(wizard: &WizardOverview) -> Option<&JobResult> {
    wizard
        .preview
        .as_ref()
        .filter(|preview| preview.status == "succeeded")
        .and_then(|preview| preview.result.as_ref())
        .filter(|result| !result.applied)
}

fn link_label(ctx: &Ctx, field: LinkField) -> &'static str {
    match field {
        LinkField::AccountManager => ctx.t("Asiakasvastaava", "Kundansvarig", "Account manager"),
        LinkField::ProjectManager => ctx.t("Projektipäällikkö", "Projektledare", "Project manager"),
        LinkField::CompanyType => ctx.t("Yritystyyppi", "Företagstyp", "Company type"),
        LinkField::CustomerGroup => ctx.t("Asiakasryhmä", "Kundgrupp", "Customer group"),
        LinkField::Branch => ctx.t("Toimiala", "Bransch", "Branch"),
        LinkField::Status => ctx.t("Tila", "Status", "Status"),
        LinkField::Country => ctx.t("Maa", "Land", "Country"),
        _ => ctx.t("Linkitetty kenttä", "Länkat fält", "Linked field"),
    }
}

/// One line of the values table.
struct ValueLine<'a> {
    field: LinkField,
    value: &'a str,
    rows: Option<u64>,
    first_rows: String,
    suggestions: &'a [Suggestion],
    target: Option<&'a str>,
}

/// The values table: every value of a linked column that resolves to nothing (newest preview)
/// and every value mapped already, each with a dropdown: suggestions first, then every
/// candidate, or "leave unresolved".
fn values_table(
    ctx: &Ctx,
    wizard: &WizardOverview,
    result: Option<&JobResult>,
    candidates: &BTreeMap<LinkField, Vec<ValueCandidate>>,
) -> Markup {
    let mut lines: Vec<ValueLine<'_>> = Vec::new();
    if let Some(result) = result {
        for unresolved in &result.unresolved_values {
            let mut files: Vec<(String, Vec<String>)> = Vec::new();
            for location in &unresolved.first_rows {
                let file = location.file.clone().unwrap_or_default();
                let row = location.row.map(|row| row.to_string()).unwrap_or_default();
                match files.iter_mut().find(|(name, _)| *name == file) {
                    Some((_, rows)) => rows.push(row),
                    None => files.push((file, vec![row])),
                }
            }
            let first_rows = files
                .into_iter()
                .map(|(file, rows)| format!("{file}: {}", rows.join(", ")))
                .collect::<Vec<_>>()
                .join("; ");
            lines.push(ValueLine {
                field: unresolved.field,
                value: &unresolved.value,
                rows: Some(unresolved.rows),
                first_rows,
                suggestions: &unresolved.suggestions,
                target: wizard.values.target(unresolved.field, &unresolved.value),
            });
        }
    }
    for (field, value, target) in wizard.values.iter() {
        let listed = lines.iter().any(|line| {
            line.field == field
                && tuonti_domain::name_key(line.value) == tuonti_domain::name_key(value)
        });
        if !listed {
            lines.push(ValueLine {
                field,
                value,
                rows: None,
                first_rows: String::new(),
                suggestions: &[],
                target: Some(target),
            });
        }
    }
    if lines.is_empty() {
        return html! {};
    }
    html! {
        section.card #values {
            h2 { (ctx.t("Arvot", "Värden", "Values")) }
            p { (ctx.t("Näiden sarakkeiden arvot eivät vastaa mitään tallennettua, tai ne on jo kuvattu. Valitse kullekin arvolle, mitä se tarkoittaa; valinta koskee arvon kaikkia rivejä kaikissa tiedostoissa.",
                       "Värdena i dessa kolumner motsvarar inget sparat, eller har redan mappats. Välj vad varje värde betyder; valet gäller alla dess rader i alla filer.",
                       "These columns' values match nothing stored, or were mapped already. Choose what each value means; the choice applies to all its rows in every file.")) }
            form method="post" action="/import/values" {
                (csrf_field(ctx))
                table.values {
                    thead { tr {
                        th { (ctx.t("Kenttä", "Fält", "Field")) }
                        th { (ctx.t("Arvo", "Värde", "Value")) }
                        th.num { (ctx.t("Rivejä", "Rader", "Rows")) }
                        th { (ctx.t("Ensimmäiset rivit", "Första raderna", "First rows")) }
                        th { (ctx.t("Tarkoittaa", "Betyder", "Means")) }
                    } }
                    tbody {
                        @for (index, line) in lines.iter().enumerate() {
                            @let id = format!("value-{index}");
                            tr {
                                td { (link_label(ctx, line.field)) }
                                td { label for=(id) { (line.value) } }
                                td.num { @if let Some(rows) = line.rows { (rows) } @else { "–" } }
                                td { (line.first_rows) }
                                td {
                                    input type="hidden" name=(format!("v{index}.field")) value=(line.field.as_str());
                                    input type="hidden" name=(format!("v{index}.value")) value=(line.value);
                                    select #(id) name=(format!("v{index}.target")) {
                                        option value="" selected[line.target.is_none()] { (ctx.t("— jätä ratkaisematta —", "— lämna olöst —", "— leave unresolved —")) }
                                        @if !line.suggestions.is_empty() {
                                            optgroup label=(ctx.t("Ehdotukset", "Förslag", "Suggestions")) {
                                                @for suggestion in line.suggestions {
                                                    option value=(suggestion.target) selected[line.target.is_some_and(|t| t == suggestion.target)] {
                                                        (suggestion.label) " (" (suggestion.reason.label(ctx.lang)) ")"
                                                    }
                                                }
                                            }
                                        }
                                        optgroup label=(ctx.t("Kaikki", "Alla", "All")) {
                                            @for candidate in candidates.get(&line.field).map(Vec::as_slice).unwrap_or_default() {
                                                @let suggested = line.suggestions.iter().any(|s| s.target == candidate.target);
                                                option value=(candidate.target) selected[!suggested && line.target.is_some_and(|t| tuonti_domain::name_key(t) == tuonti_domain::name_key(&candidate.target))] { (candidate.label) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                label.check {
                    input type="checkbox" name="accept_suggestions" value="true" checked[wizard.accept_suggestions];
                    " " (ctx.t("Hyväksy ehdotus, kun arvolla on täsmälleen yksi (varoitus kustakin)", "Godkänn förslaget när ett värde har exakt ett (en varning för varje)", "Accept the suggestion when a value has exactly one (a warning for each)"))
                }
                div.actions { button type="submit" { (ctx.t("Tallenna arvot ja esikatsele uudelleen", "Spara värdena och förhandsgranska igen", "Save the values and preview again")) } }
            }
        }
    }
}

/// The data rows of uploaded file `file_id` as the newest preview knows them: its first row,
/// its last row, and the rows it lists.
fn file_rows(result: &JobResult, file_id: i64) -> (Option<(u32, u32)>, Vec<&RowLine>) {
    let sheets: Vec<usize> = result
        .files
        .iter()
        .enumerate()
        .filter(|(_, file)| file.file_id == Some(file_id))
        .map(|(index, _)| index)
        .collect();
    let first = sheets
        .iter()
        .map(|&index| result.files[index].header_row + 1)
        .min();
    let last = sheets
        .iter()
        .filter_map(|&index| result.files[index].last_row)
        .max();
    let bounds = first.zip(last).filter(|(first, last)| first <= last);
    let lines = result
        .rows
        .iter()
        .filter(|line| sheets.contains(&line.file))
        .collect();
    (bounds, lines)
}

/// The rows a file's table shows: those the preview lists, and the first rows left out.
fn shown_rows(
    lines: &[&RowLine],
    bounds: Option<(u32, u32)>,
    chosen: Option<&ChosenRows>,
) -> Vec<u32> {
    let mut rows: Vec<u32> = lines.iter().map(|line| line.row).collect();
    if let (Some((first, last)), Some(chosen)) = (bounds, chosen) {
        let end = last.min(first.saturating_add(RESULT_ROWS as u32 - 1));
        rows.extend((first..=end).filter(|row| !chosen.contains(*row)));
    }
    rows.sort_unstable();
    rows.dedup();
    rows
}

/// Each file's rows of the preview: a checkbox per row (with all / none / only valid / only
/// new and a field for ranges), and a field to fix each rejected cell.
fn rows_tables(ctx: &Ctx, wizard: &WizardOverview, result: &JobResult) -> Markup {
    html! {
        @for file in &wizard.files {
            @let (bounds, lines) = file_rows(result, file.id);
            @let chosen = wizard.rows.get(&file.id);
            @let shown = shown_rows(&lines, bounds, chosen);
            @let fixes = wizard.fixes.get(&file.id).map(Vec::as_slice).unwrap_or_default();
            @let form_id = format!("rows-{}", file.id);
            @if !shown.is_empty() {
                section.card.rows {
                    h2 { (ctx.t("Rivit:", "Rader:", "Rows:")) " " (file.name) }
                    p.hint {
                        (ctx.t("Tuodaan vain valitut rivit; muut ohitetaan (\"ei valittu\"). Rivit, joita ei näytetä, tuodaan, ellei väliä anneta alla.",
                               "Endast de valda raderna importeras; de övriga hoppas över (\"inte vald\"). Rader som inte visas importeras, om inget intervall anges nedan.",
                               "Only the chosen rows are imported; the others are skipped (\"not selected\"). Rows not shown are imported unless a range is given below."))
                        @if let Some((first, last)) = bounds { " " (ctx.t("Tietorivit", "Dataraderna", "Data rows")) " " (first) "–" (last) "." }
                    }
                    form #(form_id) method="post" action="/import/rows" {
                        (csrf_field(ctx))
                        input type="hidden" name="file" value=(file.id);
                        input type="hidden" name="shown" value=(join_rows(&shown));
                        div.actions {
                            button.secondary type="submit" name="select" value="all" data-select="all" { (ctx.t("Kaikki", "Alla", "All")) }
                            button.secondary type="submit" name="select" value="none" data-select="none" { (ctx.t("Ei mitään", "Inga", "None")) }
                            button.secondary type="submit" name="select" value="valid" data-select="valid" { (ctx.t("Vain kelvolliset", "Endast giltiga", "Only valid")) }
                            button.secondary type="submit" name="select" value="new" data-select="new" { (ctx.t("Vain uudet", "Endast nya", "Only new")) }
                        }
                        label for=(format!("ranges-{}", file.id)) { (ctx.t("Rivit väleinä (esim. 2-40,45; tyhjä: valinnat alla)", "Rader som intervall (t.ex. 2-40,45; tomt: rutorna nedan)", "Rows as ranges (e.g. 2-40,45; empty: the boxes below)")) }
                        input #(format!("ranges-{}", file.id)) type="text" name="ranges" value=(chosen.map(ToString::to_string).unwrap_or_default()) placeholder="2-40,45";
                        input type="hidden" name="ranges_was" value=(chosen.map(ToString::to_string).unwrap_or_default());
                        div.actions { button type="submit" name="select" value="save" { (ctx.t("Tallenna rivivalinta ja esikatsele", "Spara radvalet och förhandsgranska", "Save the row choice and preview")) } }
                    }
                    table.preview-rows {
                        thead { tr {
                            th { (ctx.t("Tuo", "Importera", "Import")) }
                            th.num { (ctx.t("Rivi", "Rad", "Row")) }
                            th { (ctx.t("Käsittely", "Hantering", "Outcome")) }
                            th { (ctx.t("Virhe ja korjaus", "Fel och korrigering", "Error and fix")) }
                        } }
                        tbody {
                            @for row in &shown {
                                @let line = lines.iter().find(|line| line.row == *row);
                                @let selected = chosen.is_none_or(|chosen| chosen.contains(*row));
                                @let action = line.map(|line| line.action);
                                @let row_fixes: Vec<&CellFix> = fixes.iter().filter(|fix| fix.row == *row).collect();
                                tr data-action=(action.map_or("not_selected", action_key)) {
                                    td { input type="checkbox" form=(form_id) name="row" value=(row) checked[selected] aria-label=(format!("{} {row}", ctx.t("Tuo rivi", "Importera raden", "Import row"))); }
                                    td.num { (row) }
                                    td { @match action { Some(action) => (action_label(ctx, action)), None => (ctx.t("ei valittu", "inte vald", "not selected")) } }
                                    td {
                                        @if let Some(error) = line.and_then(|line| line.error.as_ref()) {
                                            span.sev-error { (error.get(ctx.lang)) }
                                        }
                                        @for fix in &row_fixes {
                                            div.fixed {
                                                (ctx.t("Korjattu", "Korrigerad", "Fixed")) " " (fix.field.spec().header(ctx.lang)) ": " strong { (fix.value) } " "
                                                form.inline method="post" action="/import/fixes/delete" {
                                                    (csrf_field(ctx))
                                                    input type="hidden" name="file" value=(file.id);
                                                    input type="hidden" name="row" value=(row);
                                                    input type="hidden" name="field" value=(fix.field.as_str());
                                                    button.link type="submit" { (ctx.t("Peru korjaus", "Ångra korrigeringen", "Undo the fix")) }
                                                }
                                            }
                                        }
                                        @if let Some(line) = line.filter(|line| line.action == RowAction::Reject) {
                                            @for field in &line.error_fields {
                                                @let input_id = format!("fix-{}-{row}-{}", file.id, field.as_str());
                                                form.inline.fix method="post" action="/import/fixes" {
                                                    (csrf_field(ctx))
                                                    input type="hidden" name="file" value=(file.id);
                                                    input type="hidden" name="row" value=(row);
                                                    input type="hidden" name="field" value=(field.as_str());
                                                    label for=(input_id) { (field.spec().header(ctx.lang)) }
                                                    " "
                                                    input #(input_id) type="text" name="value" required;
                                                    " "
                                                    button.secondary type="submit" { (ctx.t("Korjaa", "Korrigera", "Fix")) }
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
        }
    }
}

fn join_rows(rows: &[u32]) -> String {
    rows.iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

fn action_key(action: RowAction) -> &'static str {
    match action {
        RowAction::Create => "create",
        RowAction::Update => "update",
        RowAction::Unchanged => "unchanged",
        RowAction::Skip => "skip",
        RowAction::Reject => "reject",
    }
}

fn preview_step(
    ctx: &Ctx,
    wizard: &WizardOverview,
    types: &[CompanyType],
    candidates: &BTreeMap<LinkField, Vec<ValueCandidate>>,
) -> Markup {
    let ready = !wizard.files.is_empty() && wizard.choices_saved;
    html! {
        section.card {
            h2 { (ctx.t("Esikatselu", "Förhandsgranskning", "Preview")) }
            @if !ready {
                (notice("warning", ctx.t("Lataa tiedosto ja tallenna valinnat ensin.", "Ladda upp en fil och spara valen först.", "Upload a file and save the choices first.")))
            } @else {
                p { (ctx.t("Esikatselu lukee ja tarkistaa kaikki rivit ja kertoo, mitä tuonti tekisi. Mitään ei vielä tallenneta.",
                           "Förhandsgranskningen läser och kontrollerar alla rader och berättar vad importen skulle göra. Ingenting sparas ännu.",
                           "The preview reads and checks every row and tells what the import would do. Nothing is stored yet.")) }
                form method="post" action="/import/preview" {
                    (csrf_field(ctx))
                    div.actions { button.secondary type="submit" { (ctx.t("Esikatsele", "Förhandsgranska", "Preview")) } }
                }
            }
            @if wizard.preview_outdated {
                (notice("warning", ctx.t("Tiedostot, valinnat tai sarakkeet ovat muuttuneet tämän esikatselun jälkeen: esikatsele uudelleen.",
                                         "Filerna, valen eller kolumnerna har ändrats efter denna förhandsgranskning: förhandsgranska igen.",
                                         "The files, choices or columns changed after this preview: preview again.")))
            }
            @if let Some(preview) = &wizard.preview { (job_block(ctx, preview, types)) }
        }
        @if ready {
            (values_table(ctx, wizard, preview_result(wizard), candidates))
            @if let Some(result) = preview_result(wizard) { (rows_tables(ctx, wizard, result)) }
        }
        @if ready {
            @let preview_done = !wizard.preview_outdated && wizard.preview.as_ref().is_some_and(|p| p.status == "succeeded");
            @let blocked = wizard.preview.as_ref().and_then(|p| p.result.as_ref()).is_some_and(|r| r.counts.rejected > 0 && !wizard.choices.skip_invalid);
            section.card {
                h2 { (ctx.t("Tuonti", "Import", "Import")) }
                @if blocked {
                    (notice("warning", ctx.t("Esikatselussa on hylättyjä rivejä, ja valintasi on \"kaikki tai ei mitään\": tuonti ei tallentaisi mitään. Korjaa rivit (virhetyökirja) tai valitse vaiheessa 4 kelvollisten rivien tuonti.",
                                             "Förhandsgranskningen har avvisade rader och du valde \"allt eller inget\": importen skulle inte spara något. Korrigera raderna (felarbetsboken) eller välj import av de giltiga raderna i steg 4.",
                                             "The preview has rejected rows and you chose \"all or nothing\": the import would store nothing. Fix the rows (error workbook) or choose to import the valid rows in step 4.")))
                }
                form method="post" action="/import/run" {
                    (csrf_field(ctx))
                    div.actions {
                        button type="submit" disabled[!preview_done || blocked] { (ctx.t("Tuo", "Importera", "Import")) }
                        @if !preview_done { span.hint { (ctx.t("Esikatsele ensin.", "Förhandsgranska först.", "Preview first.")) } }
                    }
                }
            }
        }
        section.card {
            form method="post" action="/import/cancel" {
                (csrf_field(ctx))
                button.link type="submit" { (ctx.t("Aloita alusta (poistaa ladatut tiedostot)", "Börja om (tar bort de uppladdade filerna)", "Start over (removes the uploaded files)")) }
            }
        }
    }
}

/// A job's progress or result (`types` name the files' company types in the page's language).
fn job_block(ctx: &Ctx, job: &JobSummary, types: &[CompanyType]) -> Markup {
    let running = !service::is_done(job);
    html! {
        div.job data-job-poll=[running.then(|| format!("/api/v1/jobs/{}", job.id))] {
            @if running {
                p role="status" {
                    (if job.kind == "import" { ctx.t("Tuodaan…", "Importerar…", "Importing…") } else { ctx.t("Esikatsellaan…", "Förhandsgranskar…", "Previewing…") })
                    " " span data-job-rows { (job.rows_done) } " / " (job.rows_total) " " (ctx.t("riviä", "rader", "rows"))
                }
                progress max=(job.rows_total.max(1)) value=(job.rows_done) aria-label=(ctx.t("Edistyminen", "Förlopp", "Progress")) {}
            } @else if job.interrupted {
                (notice("error", ctx.t("Työ keskeytyi, koska palvelin pysähtyi. Mitään ei tallennettu; aloita uudelleen.",
                                       "Jobbet avbröts eftersom servern stannade. Ingenting sparades; starta det igen.",
                                       "The job was interrupted because the server stopped. Nothing was stored; start it again.")))
            } @else if let Some(error) = &job.error {
                (notice("error", error.get(ctx.lang)))
            }
            @if let Some(result) = &job.result {
                @if result.applied {
                    @if let Some(batch) = result.batch_id {
                        (notice("ok", &format!("{} {batch}. {}", ctx.t("Tuonti valmis: erä", "Importen klar: batch", "Import done: batch"), ctx.t("Sen voi perua tuontihistoriasta.", "Den kan ångras i importhistoriken.", "It can be undone from the import history."))))
                    } @else {
                        (notice("ok", ctx.t("Tuonti valmis: mitään ei tarvinnut muuttaa.", "Importen klar: ingenting behövde ändras.", "Import done: nothing needed changing.")))
                    }
                }
                ul.counts {
                    li.created { strong { (result.counts.created) } (ctx.t("uutta", "nya", "new")) }
                    li { strong { (result.counts.updated) } (ctx.t("päivitettävää", "att uppdatera", "updated")) }
                    li { strong { (result.counts.unchanged) } (ctx.t("ennallaan", "oförändrade", "unchanged")) }
                    li { strong { (result.counts.skipped) } (ctx.t("ohitettua", "överhoppade", "skipped")) }
                    li.rejected { strong { (result.counts.rejected) } (ctx.t("hylättyä", "avvisade", "rejected")) }
                }
                @if result.counts_by_kind.len() > 1 {
                    table.kinds {
                        caption.hint { (ctx.t("Tietueittain", "Per typ av post", "By kind of record")) }
                        thead { tr {
                            th { (ctx.t("Tietueet", "Poster", "Records")) }
                            th.num { (ctx.t("uutta", "nya", "new")) }
                            th.num { (ctx.t("päivitettävää", "att uppdatera", "updated")) }
                            th.num { (ctx.t("ennallaan", "oförändrade", "unchanged")) }
                            th.num { (ctx.t("ohitettua", "överhoppade", "skipped")) }
                            th.num { (ctx.t("hylättyä", "avvisade", "rejected")) }
                        } }
                        tbody {
                            @for (kind, counts) in &result.counts_by_kind {
                                tr {
                                    th scope="row" { (kind_label(ctx, *kind)) }
                                    td.num { (counts.created) }
                                    td.num { (counts.updated) }
                                    td.num { (counts.unchanged) }
                                    td.num { (counts.skipped) }
                                    td.num { (counts.rejected) }
                                }
                            }
                        }
                    }
                }
                @if result.files.iter().any(|file| file.name != result.files[0].name) {
                    table.files {
                        caption.hint { (ctx.t("Tiedostoittain: mistä rivit alkavat (omat sarakkeet ohittavat)", "Per fil: vad raderna utgår från (deras egna kolumner går före)", "By file: what the rows start from (their own columns override it)")) }
                        thead { tr {
                            th { (ctx.t("Tiedosto", "Fil", "File")) }
                            th { (ctx.t("Tietueet", "Poster", "Records")) }
                            th { (ctx.t("Yritystyyppi", "Företagstyp", "Company type")) }
                            th { (ctx.t("Asiakasryhmä", "Kundgrupp", "Customer group")) }
                            th { (ctx.t("Asiakasvastaava", "Kundansvarig", "Account manager")) }
                            th.num { (ctx.t("uutta", "nya", "new")) }
                            th.num { (ctx.t("hylättyä", "avvisade", "rejected")) }
                        } }
                        tbody {
                            @for file in &result.files {
                                tr {
                                    th scope="row" { (file.name) }
                                    td { (kind_label(ctx, file.kind)) }
                                    @if let Some(choices) = &file.choices {
                                        td { (company_type_shown(ctx, types, choices.company_type.clone())) }
                                        td { (choices.customer_group.as_deref().unwrap_or("–")) }
                                        td { (choices.account_manager) }
                                    } @else {
                                        td { "–" } td { "–" } td { "–" }
                                    }
                                    td.num { (file.counts.created) }
                                    td.num { (file.counts.rejected) }
                                }
                            }
                        }
                    }
                }
                @if !result.new_groups.is_empty() {
                    p { (ctx.t("Uudet asiakasryhmät:", "Nya kundgrupper:", "New customer groups:")) " " (result.new_groups.join(", ")) }
                }
                @for output in &job.outputs {
                    p { a.button.secondary href=(format!("/import/jobs/{}/outputs/{}", job.id, output.id)) download { (ctx.t("Lataa virhetyökirja", "Ladda ner felarbetsboken", "Download the error workbook")) " (" (output.name) ")" } }
                }
                // Unknown values of linked columns are listed once per value in the values
                // table, not row by row here.
                @let by_value = !result.unresolved_values.is_empty();
                @let listed: Vec<&tuonti_importer::wizard::IssueLine> = result
                    .issues
                    .iter()
                    .filter(|issue| !(by_value && tuonti_importer::import::LinkField::of_code(&issue.code).is_some()))
                    .collect();
                @if !result.issues.is_empty() {
                    h3 { (ctx.t("Huomiot", "Anmärkningar", "Issues")) " (" (result.total_issues) ")" }
                    @if listed.len() < result.issues.len() {
                        p.hint { (ctx.t(
                            "Tuntemattomat arvot (esimerkiksi myyjä \"Liisa\") näkyvät alla kerran arvoa kohden, Arvot-taulukossa.",
                            "Okända värden (till exempel säljaren \"Liisa\") visas nedan en gång per värde, i tabellen Värden.",
                            "Unknown values (such as a salesperson \"Liisa\") are listed once per value below, in the Values table.",
                        )) }
                    }
                    table {
                        thead { tr { th { (ctx.t("Tiedosto", "Fil", "File")) } th { (ctx.t("Solu", "Cell", "Cell")) } th { (ctx.t("Taso", "Nivå", "Level")) } th { (ctx.t("Rivin käsittely", "Hantering", "Outcome")) } th { (ctx.t("Viesti", "Meddelande", "Message")) } } }
                        tbody {
                            @for issue in listed.iter().take(50) {
                                @let error = issue.severity == tuonti_domain::Severity::Error;
                                tr {
                                    td { (issue.file) }
                                    td { (issue_cell(ctx, issue)) }
                                    td class=(if error { "sev-error" } else { "sev-warning" }) { (if error { ctx.t("virhe", "fel", "error") } else { ctx.t("varoitus", "varning", "warning") }) }
                                    td { (action_label(ctx, issue.action)) }
                                    td { (issue.message.get(ctx.lang)) }
                                }
                            }
                        }
                    }
                    @if result.total_issues > 50 {
                        p.hint { (ctx.t("Kaikki huomiot ovat virhetyökirjassa.", "Alla anmärkningar finns i felarbetsboken.", "Every issue is in the error workbook.")) }
                    }
                }
            }
        }
    }
}

fn action_label(ctx: &Ctx, action: RowAction) -> &'static str {
    match action {
        RowAction::Create => ctx.t("luodaan", "skapas", "created"),
        RowAction::Update => ctx.t("päivitetään", "uppdateras", "updated"),
        RowAction::Unchanged => ctx.t("ennallaan", "oförändrade", "unchanged"),
        RowAction::Skip => ctx.t("ohitetaan", "hoppas över", "skipped"),
        RowAction::Reject => ctx.t("hylätään", "avvisas", "rejected"),
    }
}

async fn start_job(state: &AppState, ctx: &Ctx, kind: JobKind) -> Result<Response, AppError> {
    let user = ctx.admin()?.clone();
    let wizard = service::current(state, &user).await?;
    match service::start(state, &user, wizard.id, kind, ctx.lang).await {
        Ok(job_id) => Ok(Redirect::to(&format!("/import/jobs/{job_id}")).into_response()),
        Err(AppError::Importer(error)) if error.is_user_error() => {
            refused(state, ctx, &user, Step::Preview, &error).await
        }
        Err(error) => Err(error),
    }
}

async fn preview(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    start_job(&state, &ctx, JobKind::Preview).await
}

async fn run(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    start_job(&state, &ctx, JobKind::Import).await
}

async fn cancel(State(state): State<AppState>, ctx: Ctx) -> Result<Redirect, AppError> {
    let user = ctx.admin()?.clone();
    let wizard = service::current(&state, &user).await?;
    service::cancel(&state, &user, wizard.id).await?;
    Ok(Redirect::to("/import?step=start"))
}

async fn job_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(job_id): Path<i64>,
) -> Result<Response, AppError> {
    let user = ctx.admin()?.clone();
    let job = service::job(&state, &user, job_id).await?;
    if service::is_done(&job) && job.kind == "preview" {
        // The preview's result is shown with the import button.
        return Ok(Redirect::to("/import?step=preview").into_response());
    }
    let running = !service::is_done(&job);
    let types = crate::service::data::company_types(&state).await?;
    let title = if job.kind == "import" {
        ctx.t("Tuonti", "Import", "Import")
    } else {
        ctx.t("Esikatselu", "Förhandsgranskning", "Preview")
    };
    let body = html! {
        @if running { meta http-equiv="refresh" content="2"; }
        h1 { (title) }
        section.card { (job_block(&ctx, &job, &types)) }
        @if !running {
            div.actions {
                a.button href="/history" { (ctx.t("Tuontihistoria", "Importhistorik", "Import history")) }
                a.button.secondary href="/import?step=start" { (ctx.t("Uusi tuonti", "Ny import", "New import")) }
                a.button.secondary href="/companies" { (ctx.t("Yritykset", "Företag", "Companies")) }
            }
        }
    };
    Ok(page(&ctx, title, "import", body).into_response())
}

pub(crate) async fn download_output(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((job_id, output_id)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let user = ctx.admin()?.clone();
    let (name, bytes) = service::output(&state, &user, job_id, output_id).await?;
    Ok(attachment(&name, XLSX, bytes))
}

/// Starts a new preview after a correction, or shows the correction's refusal on the preview
/// step.
async fn after_correction(
    state: &AppState,
    ctx: &Ctx,
    user: &tuonti_domain::User,
    outcome: Result<(), AppError>,
) -> Result<Response, AppError> {
    match outcome {
        Ok(()) => start_job(state, ctx, JobKind::Preview).await,
        Err(AppError::Importer(error)) if error.is_user_error() => {
            refused(state, ctx, user, Step::Preview, &error).await
        }
        Err(error) => Err(error),
    }
}

async fn save_values(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Bytes,
) -> Result<Response, AppError> {
    let user = ctx.admin()?.clone();
    let form = parse_form(&body);
    let wizard = service::current(&state, &user).await?;
    let mut values = Vec::new();
    for index in 0.. {
        let Some(field_name) = field(&form, &format!("v{index}.field")) else {
            break;
        };
        let value = field(&form, &format!("v{index}.value")).unwrap_or_default();
        let target = field(&form, &format!("v{index}.target")).unwrap_or_default();
        if target.trim().is_empty() {
            continue;
        }
        values.push(ValueChoice {
            field: field_name.to_owned(),
            value: value.to_owned(),
            target: target.to_owned(),
        });
    }
    let accept = field(&form, "accept_suggestions").is_some_and(|value| value == "true");
    let outcome = service::set_values(&state, &user, wizard.id, values, accept).await;
    after_correction(&state, &ctx, &user, outcome).await
}

/// The rows chosen by a file's row form: the typed ranges when they changed, else the rows
/// shown as ticked (or as the button chose them) and the rows not shown as before.
fn chosen_from_form(
    form: &[(String, String)],
    result: Option<&JobResult>,
    file_id: i64,
    before: Option<&ChosenRows>,
) -> Option<String> {
    let ranges = field(form, "ranges").unwrap_or_default().trim();
    let was = field(form, "ranges_was").unwrap_or_default().trim();
    let select = field(form, "select").unwrap_or("save");
    if select == "save" && ranges != was {
        return Some(ranges.to_owned());
    }
    if select == "all" {
        return None;
    }
    let (bounds, lines) = match result {
        Some(result) => {
            let (bounds, lines) = file_rows(result, file_id);
            (bounds, lines)
        }
        None => (None, Vec::new()),
    };
    let shown: Vec<u32> = field(form, "shown")
        .unwrap_or_default()
        .split(',')
        .filter_map(|row| row.trim().parse().ok())
        .collect();
    let action_of = |row: u32| {
        lines
            .iter()
            .find(|line| line.row == row)
            .map(|line| line.action)
    };
    let ticked = |row: u32| match select {
        "none" => false,
        "valid" => action_of(row).is_some_and(|action| action != RowAction::Reject),
        "new" => action_of(row) == Some(RowAction::Create),
        _ => form
            .iter()
            .any(|(key, value)| key == "row" && value.parse() == Ok(row)),
    };
    let (first, last) = bounds.unwrap_or_else(|| {
        (
            shown.iter().copied().min().unwrap_or(1),
            shown.iter().copied().max().unwrap_or(1),
        )
    });
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    let mut all = true;
    for row in first..=last {
        let chosen = if shown.contains(&row) {
            ticked(row)
        } else {
            before.is_none_or(|before| before.contains(row))
        };
        if !chosen {
            all = false;
            continue;
        }
        match ranges.last_mut() {
            Some(range) if range.1 + 1 == row => range.1 = row,
            _ => ranges.push((row, row)),
        }
    }
    if all {
        return None;
    }
    Some(
        ranges
            .iter()
            .map(|&(from, to)| {
                if from == to {
                    from.to_string()
                } else {
                    format!("{from}-{to}")
                }
            })
            .collect::<Vec<_>>()
            .join(","),
    )
}

async fn save_rows(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Bytes,
) -> Result<Response, AppError> {
    let user = ctx.admin()?.clone();
    let form = parse_form(&body);
    let wizard = service::current(&state, &user).await?;
    let Some(file_id) = field(&form, "file").and_then(|id| id.parse::<i64>().ok()) else {
        return Err(AppError::bad_request(
            "Lomakkeesta puuttuu tiedosto.",
            "Formuläret saknar fil.",
            "The form names no file.",
        ));
    };
    let rows = chosen_from_form(
        &form,
        preview_result(&wizard),
        file_id,
        wizard.rows.get(&file_id),
    );
    let outcome = match rows.as_deref() {
        // Nothing ticked: not "every row".
        Some("") => Err(AppError::Importer(
            CorrectionError::Rows {
                file: wizard
                    .files
                    .iter()
                    .find(|file| file.id == file_id)
                    .map_or_else(|| format!("#{file_id}"), |file| file.name.clone()),
                given: String::new(),
                source: ChosenRowsError::Empty,
            }
            .into(),
        )),
        _ => service::set_rows(&state, &user, wizard.id, file_id, rows).await,
    };
    after_correction(&state, &ctx, &user, outcome).await
}

/// The file, row and field a fix form names.
fn fix_target(form: &[(String, String)]) -> Result<(i64, u32, FieldKey), AppError> {
    let file = field(form, "file").and_then(|id| id.parse::<i64>().ok());
    let row = field(form, "row").and_then(|row| row.parse::<u32>().ok());
    let field_key = field(form, "field").and_then(|key| key.parse::<FieldKey>().ok());
    match (file, row, field_key) {
        (Some(file), Some(row), Some(field_key)) => Ok((file, row, field_key)),
        _ => Err(AppError::bad_request(
            "Lomakkeesta puuttuu tiedosto, rivi tai kenttä.",
            "Formuläret saknar fil, rad eller fält.",
            "The form lacks the file, the row or the field.",
        )),
    }
}

async fn save_fix(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Bytes,
) -> Result<Response, AppError> {
    let user = ctx.admin()?.clone();
    let form = parse_form(&body);
    let (file, row, field_key) = fix_target(&form)?;
    let value = field(&form, "value").unwrap_or_default().to_owned();
    let wizard = service::current(&state, &user).await?;
    let request = service::CellFixRequest {
        file,
        row,
        field: field_key,
        value,
    };
    let outcome = service::fix_cell(&state, &user, wizard.id, request)
        .await
        .map(drop);
    after_correction(&state, &ctx, &user, outcome).await
}

async fn delete_fix(
    State(state): State<AppState>,
    ctx: Ctx,
    body: Bytes,
) -> Result<Response, AppError> {
    let user = ctx.admin()?.clone();
    let form = parse_form(&body);
    let (file, row, field_key) = fix_target(&form)?;
    let wizard = service::current(&state, &user).await?;
    let outcome = service::unfix_cell(&state, &user, wizard.id, file, row, field_key).await;
    after_correction(&state, &ctx, &user, outcome).await
}

/// An issue's cell in the reader's language: `C7`, or `rivi 7` when the column is unknown
/// (a result stored before issues kept their location shows its stored cell).
fn issue_cell(ctx: &Ctx, issue: &tuonti_importer::wizard::IssueLine) -> String {
    issue.location.cell_ref_in(ctx.lang).unwrap_or_else(|| {
        if issue.cell.is_empty() || issue.cell.starts_with("row ") {
            format!("{} {}", ctx.t("rivi", "rad", "row"), issue.row)
        } else {
            issue.cell.clone()
        }
    })
}
