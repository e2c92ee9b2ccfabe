//! `tuonti contacts list|export` and `tuonti projects list|export`.

use crate::args::{Format, PageArgs};
use crate::commands::Refusal;
use crate::output::{Listing, print_page, tr};
use clap::{Args, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use tuonti_domain::Lang;
use tuonti_excel_template::ExportFormat;
use tuonti_importer::contacts::{self, ContactQuery, ContactView};
use tuonti_importer::projects::{self, ProjectQuery, ProjectView};
use tuonti_persistence::Store;

/// How `contacts list` and `projects list` print.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// A table for people.
    #[default]
    Table,
    /// One JSON array with stable field names (values as decimal strings).
    Json,
    /// CSV in the template's columns (as `export`), to standard output.
    Csv,
    /// An xlsx workbook in the template's columns (as `export`), to standard output when it is
    /// not a terminal.
    Xlsx,
}

/// `--format` of `contacts list` and `projects list`.
#[derive(Debug, Args)]
pub struct ListFormatArg {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

/// `tuonti contacts ...`.
#[derive(Debug, Subcommand)]
pub enum ContactsCommand {
    /// List contact persons with their companies.
    List {
        #[command(flatten)]
        filter: ContactFilterArgs,
        #[command(flatten)]
        format: ListFormatArg,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Export contact persons to an xlsx or CSV file (the template's columns, ready to import
    /// again).
    Export {
        /// The file to write: .xlsx or .csv.
        #[arg(long)]
        out: std::path::PathBuf,
        #[command(flatten)]
        filter: ContactFilterArgs,
    },
}

/// Filters of `contacts list` and `contacts export`.
#[derive(Debug, Args)]
pub struct ContactFilterArgs {
    /// Only the contacts of this company: its customer number, business ID or exact name.
    #[arg(long)]
    pub company: Option<String>,
    /// Only the contacts of companies with this account manager (email or name).
    #[arg(long)]
    pub manager: Option<String>,
}

impl ContactFilterArgs {
    fn query(&self) -> ContactQuery {
        ContactQuery {
            company: self.company.clone(),
            account_manager: self.manager.clone(),
        }
    }
}

/// `tuonti projects ...`.
#[derive(Debug, Subcommand)]
pub enum ProjectsCommand {
    /// List projects with their companies, managers, branches and contact persons.
    List {
        #[command(flatten)]
        filter: ProjectFilterArgs,
        #[command(flatten)]
        format: ListFormatArg,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Export projects to an xlsx or CSV file (the template's columns, ready to import again).
    Export {
        /// The file to write: .xlsx or .csv.
        #[arg(long)]
        out: std::path::PathBuf,
        #[command(flatten)]
        filter: ProjectFilterArgs,
    },
}

/// Filters of `projects list` and `projects export`.
#[derive(Debug, Args)]
pub struct ProjectFilterArgs {
    /// Only the projects of this company: its customer number, business ID or exact name.
    #[arg(long)]
    pub company: Option<String>,
    /// Only the projects of this project manager (email or name).
    #[arg(long)]
    pub manager: Option<String>,
    /// Only projects in this status: offer, active, on_hold, completed, cancelled, or the
    /// word in Finnish or Swedish (tarjous, käynnissä, tauolla, valmis, peruttu, ...).
    #[arg(long)]
    pub status: Option<String>,
    /// Only the projects of this branch of business.
    #[arg(long)]
    pub branch: Option<String>,
}

impl ProjectFilterArgs {
    fn query(&self) -> ProjectQuery {
        ProjectQuery {
            company: self.company.clone(),
            project_manager: self.manager.clone(),
            status: self.status.clone(),
            branch: self.branch.clone(),
        }
    }
}

impl Listing for ContactView {
    fn headers(lang: Lang) -> Vec<&'static str> {
        match lang {
            Lang::Fi => vec![
                "ID",
                "Nimi",
                "Titteli",
                "Sähköposti",
                "Puhelin",
                "Yritys",
                "Y-tunnus",
                "Asiakasnumero",
            ],
            Lang::Sv => vec![
                "ID",
                "Namn",
                "Titel",
                "E-post",
                "Telefon",
                "Företag",
                "FO-nummer",
                "Kundnummer",
            ],
            Lang::En => vec![
                "ID",
                "Name",
                "Title",
                "Email",
                "Phone",
                "Company",
                "Business ID",
                "Customer number",
            ],
        }
    }

    fn cells(&self, _lang: Lang) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.full_name.clone(),
            self.fields.title.clone().unwrap_or_default(),
            self.fields.email.clone().unwrap_or_default(),
            self.fields.phone.clone().unwrap_or_default(),
            self.company.name.clone(),
            self.company.business_id.clone().unwrap_or_default(),
            self.company.customer_number.clone().unwrap_or_default(),
        ]
    }
}

impl Listing for ProjectView {
    // The columns that fit a terminal; JSON has the rest (end date, contact person, ...).
    fn headers(lang: Lang) -> Vec<&'static str> {
        match lang {
            Lang::Fi => vec![
                "Numero",
                "Projekti",
                "Yritys",
                "Tila",
                "Alku",
                "Arvo (€)",
                "Projektipäällikkö",
                "Toimiala",
            ],
            Lang::Sv => vec![
                "Nummer",
                "Projekt",
                "Företag",
                "Status",
                "Startdatum",
                "Värde (€)",
                "Projektledare",
                "Bransch",
            ],
            Lang::En => vec![
                "Number",
                "Project",
                "Company",
                "Status",
                "Start",
                "Value (€)",
                "Project manager",
                "Branch",
            ],
        }
    }

    fn cells(&self, _lang: Lang) -> Vec<String> {
        vec![
            self.project_number.clone(),
            self.name.clone(),
            self.company.name.clone(),
            self.status_label.clone(),
            self.start_date
                .map(|date| date.format("%-d.%-m.%Y").to_string())
                .unwrap_or_default(),
            self.value.clone().unwrap_or_default(),
            self.project_manager.clone().unwrap_or_default(),
            self.branch.clone().unwrap_or_default(),
        ]
    }
}

impl ListFormat {
    /// The file format of `csv` and `xlsx`; `None` for a table or JSON.
    fn file_format(self) -> Option<ExportFormat> {
        match self {
            ListFormat::Table | ListFormat::Json => None,
            ListFormat::Csv => Some(ExportFormat::Csv),
            ListFormat::Xlsx => Some(ExportFormat::Xlsx),
        }
    }

    /// The format of a printed listing.
    fn listing(self) -> Format {
        match self {
            ListFormat::Json => Format::Json,
            _ => Format::Table,
        }
    }
}

/// `--limit` or `--offset` with `--format csv` or `xlsx`, which write every row as `export`
/// does.
fn paged_file_refused(lang: Lang) -> anyhow::Error {
    Refusal::new(
        tr(
            lang,
            "--limit ja --offset rajaavat taulukon ja JSONin; csv- ja xlsx-muodoissa ovat \
             aina kaikki rivit.",
            "--limit och --offset begränsar tabellen och JSON; i csv och xlsx finns alltid \
             alla rader.",
            "--limit and --offset page the table and JSON; csv and xlsx always have every \
             row.",
        )
        .to_owned(),
    )
    .into()
}

/// Writes an export's bytes to standard output; an xlsx workbook is refused on a terminal
/// (before anything is read).
pub(crate) fn write_stdout(
    format: ExportFormat,
    lang: Lang,
    export: impl FnOnce(ExportFormat) -> tuonti_importer::Result<(Vec<u8>, u64)>,
) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    if format == ExportFormat::Xlsx && stdout.is_terminal() {
        return Err(Refusal::new(
            tr(
                lang,
                "xlsx-työkirjaa ei tulosteta päätteelle: ohjaa tuloste tiedostoon \
                 (> tiedosto.xlsx) tai käytä komentoa export --out.",
                "En xlsx-arbetsbok skrivs inte ut i en terminal: styr utdata till en fil \
                 (> fil.xlsx) eller använd export --out.",
                "An xlsx workbook is not printed on a terminal: redirect the output to a file \
                 (> file.xlsx) or use export --out.",
            )
            .to_owned(),
        )
        .into());
    }
    let (bytes, _) = export(format)?;
    stdout.write_all(&bytes)?;
    stdout.flush()?;
    Ok(())
}

/// Runs `tuonti contacts ...`.
pub fn contacts(store: &mut Store, command: &ContactsCommand, lang: Lang) -> anyhow::Result<()> {
    match command {
        ContactsCommand::List {
            filter,
            format,
            page,
        } => {
            let query = filter.query();
            let page = page.page().map_err(tuonti_importer::Error::from)?;
            match (format.format.file_format(), page) {
                (Some(_), Some(_)) => return Err(paged_file_refused(lang)),
                (Some(file_format), None) => write_stdout(file_format, lang, |file_format| {
                    contacts::export_bytes(store, &query, lang, file_format)
                })?,
                (None, page) => {
                    let listing = contacts::list_page(store, &query, page, lang)?;
                    print_page(&listing, "contacts", format.format.listing(), lang)?;
                }
            }
        }
        ContactsCommand::Export { out, filter } => {
            let written = contacts::export(store, &filter.query(), lang, out)?;
            println!(
                "{} {written} {} {}",
                tr(lang, "Vietiin", "Exporterade", "Exported"),
                tr(
                    lang,
                    "yhteyshenkilöä tiedostoon",
                    "kontaktpersoner till",
                    "contacts to"
                ),
                out.display()
            );
        }
    }
    Ok(())
}

/// Runs `tuonti projects ...`.
pub fn projects(store: &mut Store, command: &ProjectsCommand, lang: Lang) -> anyhow::Result<()> {
    match command {
        ProjectsCommand::List {
            filter,
            format,
            page,
        } => {
            let query = filter.query();
            let page = page.page().map_err(tuonti_importer::Error::from)?;
            match (format.format.file_format(), page) {
                (Some(_), Some(_)) => return Err(paged_file_refused(lang)),
                (Some(file_format), None) => write_stdout(file_format, lang, |file_format| {
                    projects::export_bytes(store, &query, lang, file_format)
                })?,
                (None, page) => {
                    let listing = projects::list_page(store, &query, page, lang)?;
                    print_page(&listing, "projects", format.format.listing(), lang)?;
                }
            }
        }
        ProjectsCommand::Export { out, filter } => {
            let written = projects::export(store, &filter.query(), lang, out)?;
            println!(
                "{} {written} {} {}",
                tr(lang, "Vietiin", "Exporterade", "Exported"),
                tr(lang, "projektia tiedostoon", "projekt till", "projects to"),
                out.display()
            );
        }
    }
    Ok(())
}
