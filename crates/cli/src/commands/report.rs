//! `tuonti report companies|projects`.

use crate::commands::listings::write_stdout;
use crate::output::{print_table, tr};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use tuonti_domain::Lang;
use tuonti_excel_template::ExportFormat;
use tuonti_importer::reports::{self, ReportRequest};
use tuonti_persistence::{ReportSubject, Store};

/// What a report counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SubjectArg {
    /// Companies, with their projects' counts and value.
    Companies,
    /// Projects.
    Projects,
}

/// How a report is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// A table for people.
    #[default]
    Table,
    /// JSON: dimensions, rows and totals (money as decimal strings).
    Json,
    /// CSV as Finnish Excel reads it (`;`, UTF-8 with a byte order mark), totals last.
    Csv,
    /// An xlsx workbook with the report's sheet and its charts.
    Xlsx,
}

/// `tuonti report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// What to count.
    #[arg(value_enum)]
    pub subject: SubjectArg,
    /// Group by: group, manager, type (companies and projects), branch, status or
    /// project-manager (projects). Once or twice (`--by group --by status`).
    #[arg(long = "by", value_name = "DIMENSION")]
    pub by: Vec<String>,
    /// The period's first day (2024-01-31 or 31.1.2024): projects that start then or later
    /// (by creation when they have no start date); what was created since is new.
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// The period's last day, included.
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only companies of this type (name in any language), and their projects.
    #[arg(long = "type", value_name = "TYPE")]
    pub company_type: Option<String>,
    /// Only companies of this customer group, and their projects.
    #[arg(long)]
    pub group: Option<String>,
    /// Only companies of this account manager (email or name), and their projects.
    #[arg(long)]
    pub manager: Option<String>,
    /// Only what this import batch created ("what did batch 7 bring in?").
    #[arg(long, value_name = "N")]
    pub batch: Option<i64>,
    /// Output format; with --out ending in .xlsx or .csv, that format.
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

impl ReportArgs {
    fn request(&self) -> ReportRequest {
        ReportRequest {
            subject: match self.subject {
                SubjectArg::Companies => ReportSubject::Companies,
                SubjectArg::Projects => ReportSubject::Projects,
            },
            dimensions: self.by.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            company_type: self.company_type.clone(),
            customer_group: self.group.clone(),
            account_manager: self.manager.clone(),
            batch: self.batch,
        }
    }

    /// The format asked, else the one of --out's extension, else a table.
    fn format(&self) -> ReportFormat {
        self.format.unwrap_or_else(
            || match self.out.as_deref().and_then(ExportFormat::from_path) {
                Some(ExportFormat::Xlsx) => ReportFormat::Xlsx,
                Some(_) => ReportFormat::Csv,
                None => ReportFormat::Table,
            },
        )
    }
}

/// Runs `tuonti report`.
pub fn run(store: &mut Store, args: &ReportArgs, lang: Lang) -> anyhow::Result<()> {
    let report = reports::report(store, &args.request(), lang)?;
    let bytes = match args.format() {
        ReportFormat::Table => {
            let (headers, rows) = report.to_table();
            if args.out.is_none() {
                println!("{}", report.title());
                // A report has up to 13 columns of numbers: wide rather than wrapped.
                print_table(headers, rows, 200, lang);
                for note in report.notes() {
                    println!("{note}");
                }
                return Ok(());
            }
            let mut text = String::new();
            for row in std::iter::once(headers).chain(rows) {
                text.push_str(&row.join("\t"));
                text.push('\n');
            }
            text.into_bytes()
        }
        ReportFormat::Json => {
            let mut text = serde_json::to_string_pretty(&report.to_json())?;
            text.push('\n');
            text.into_bytes()
        }
        ReportFormat::Csv => report.to_bytes(ExportFormat::Csv)?,
        ReportFormat::Xlsx => {
            if args.out.is_none() {
                return write_stdout(ExportFormat::Xlsx, lang, |format| {
                    Ok((report.to_bytes(format)?, 0))
                });
            }
            report.to_bytes(ExportFormat::Xlsx)?
        }
    };
    match &args.out {
        Some(path) => {
            tuonti_excel_template::write_atomically(path, &bytes).map_err(|error| {
                anyhow::anyhow!("{}: {error}", path.display()).context(tr(
                    lang,
                    "raporttia ei voi kirjoittaa",
                    "rapporten kan inte skrivas",
                    "cannot write the report",
                ))
            })?;
            eprintln!(
                "{} {} ({} {})",
                tr(
                    lang,
                    "Raportti kirjoitettiin tiedostoon",
                    "Skrev rapporten till",
                    "Wrote the report to"
                ),
                path.display(),
                report.rows.len(),
                tr(lang, "riviä", "rader", "rows")
            );
        }
        None => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&bytes)?;
            stdout.flush()?;
        }
    }
    Ok(())
}
