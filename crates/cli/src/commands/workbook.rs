//! `tuonti template` and `tuonti inspect`: the spreadsheet side of an import.

use crate::args::{Format, FormatArg};
use crate::output::{Listing, print_listing, tr};
use clap::Args;
use serde::Serialize;
use std::path::PathBuf;
use tuonti_domain::{Lang, RecordKind};
use tuonti_excel_template::{
    IgnoreReason, InspectedColumn, Inspection, MappingOverride, MatchSource, ReadOptions,
    TemplateOptions,
};
use tuonti_importer::template;
use tuonti_persistence::Store;

/// `tuonti template`.
#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// Where to write the template (an .xlsx file; replaced when it exists).
    #[arg(long, short)]
    pub out: PathBuf,
    /// Write an example row on each sheet: a company, its contact and its project (skipped
    /// on import while they are unchanged).
    #[arg(long)]
    pub with_examples: bool,
    /// The sheets to write, comma-separated: companies, contacts, projects (default: all
    /// three, in that order).
    #[arg(long, value_delimiter = ',', value_name = "KINDS")]
    pub kinds: Vec<tuonti_domain::RecordKind>,
}

/// `tuonti inspect`.
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The files: xlsx, xlsm, xlsb, xls, ods or CSV (told from the contents, not the name).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The sheet to read in every workbook (default: every sheet of companies, contacts or
    /// projects, as the import reads them).
    #[arg(long)]
    pub sheet: Option<String>,
    /// Correct the mapping: "Header=field" or "Header=ignore"; repeat for more columns.
    #[arg(long = "map", value_name = "HEADER=FIELD", value_parser = parse_override)]
    pub overrides: Vec<MappingOverride>,
    #[command(flatten)]
    pub format: FormatArg,
}

/// Parses a `--map` value with the excel-template crate's rules and messages.
pub fn parse_override(text: &str) -> Result<MappingOverride, String> {
    text.parse()
        .map_err(|error: tuonti_excel_template::Error| error.to_string())
}

/// `tuonti template`: the template in `lang`, its dropdowns from the database.
pub fn template(store: &mut Store, args: &TemplateArgs, lang: Lang) -> anyhow::Result<()> {
    let defaults = template::options(store, lang)?;
    let options = TemplateOptions {
        with_examples: args.with_examples,
        kinds: if args.kinds.is_empty() {
            defaults.kinds.clone()
        } else {
            args.kinds.clone()
        },
        ..defaults
    };
    template::save(&options, &args.out)?;
    let kinds = options.sheet_kinds();
    let sheets: Vec<&str> = kinds.iter().map(|kind| kind.sheet_name(lang)).collect();
    println!(
        "{} {} ({}: {})",
        tr(
            lang,
            "Tuontipohja kirjoitettiin:",
            "Skrev importmallen till",
            "Wrote the import template to"
        ),
        args.out.display(),
        tr(lang, "välilehdet", "blad", "sheets"),
        sheets.join(", "),
    );
    let mut dropdowns: Vec<String> = Vec::new();
    let mut count = |n: usize, fi: &str, sv: &str, en: &str| {
        dropdowns.push(format!("{n} {}", tr(lang, fi, sv, en)));
    };
    if kinds.contains(&RecordKind::Company) {
        count(
            options.company_types.len(),
            "yritystyyppiä",
            "företagstyper",
            "company types",
        );
        count(
            options.customer_groups.len(),
            "asiakkuusryhmää",
            "kundgrupper",
            "customer groups",
        );
        count(
            options.account_managers.len(),
            "asiakkuusjohtajaa",
            "kundansvariga",
            "account managers",
        );
        count(options.countries.len(), "maata", "länder", "countries");
    }
    if kinds.contains(&RecordKind::Project) {
        count(
            options.project_managers.len(),
            "projektipäällikköä",
            "projektledare",
            "project managers",
        );
        count(
            tuonti_excel_template::status_words(lang).len(),
            "tilaa",
            "statusar",
            "statuses",
        );
        count(options.branches.len(), "toimialaa", "branscher", "branches");
    }
    if !dropdowns.is_empty() {
        println!(
            "{}: {}",
            tr(lang, "Valikoissa", "Rullgardinslistor", "Dropdowns"),
            dropdowns.join(", ")
        );
    }
    Ok(())
}

/// `tuonti inspect`: every file is inspected before anything is printed, every sheet of
/// records in it (companies, contacts, projects), as `tuonti import` reads them; the first
/// file that cannot be read ends the command with its error. JSON is one inspection as an
/// object, several as an array.
pub fn inspect(args: &InspectArgs, lang: Lang) -> anyhow::Result<()> {
    let options = ReadOptions {
        sheet: args.sheet.clone(),
        overrides: args.overrides.clone(),
        ..ReadOptions::default()
    };
    let per_file = args
        .files
        .iter()
        .map(|path| tuonti_excel_template::inspect_all(path, &options))
        .collect::<Result<Vec<Vec<Inspection>>, _>>()
        .map_err(tuonti_importer::Error::from)?;
    match args.format.format {
        Format::Json => match per_file.concat().as_slice() {
            [one] => println!("{}", serde_json::to_string_pretty(one)?),
            many => println!("{}", serde_json::to_string_pretty(many)?),
        },
        Format::Table => {
            for (index, inspections) in per_file.iter().enumerate() {
                if index > 0 {
                    println!();
                }
                for (sheet_index, inspection) in inspections.iter().enumerate() {
                    if sheet_index == 0 {
                        print_file(inspection, lang);
                    } else {
                        println!();
                    }
                    print_inspection(inspection, inspections.len() > 1, lang)?;
                }
            }
        }
    }
    Ok(())
}

/// The file's format and sheets, printed once above its sheets of records.
fn print_file(inspection: &Inspection, lang: Lang) {
    let mut format = inspection.format.to_string();
    if let Some(encoding) = inspection.encoding {
        format.push_str(&format!(", {encoding}"));
    }
    if let Some(delimiter) = inspection.delimiter {
        let shown = match delimiter {
            '\t' => tr(lang, "sarkain", "tabulator", "tab").to_owned(),
            other => format!("'{other}'"),
        };
        format.push_str(&format!(
            ", {} {shown}",
            tr(lang, "erotin", "avgränsare", "delimiter")
        ));
    }
    println!("{}: {format}", inspection.file);
    if !inspection.sheets.is_empty() {
        let sheets: Vec<String> = inspection
            .sheets
            .iter()
            .map(|sheet| {
                if sheet.hidden {
                    format!(
                        "{} ({})",
                        sheet.name,
                        tr(lang, "piilotettu", "dold", "hidden")
                    )
                } else {
                    sheet.name.clone()
                }
            })
            .collect();
        println!(
            "{}: {}",
            tr(lang, "Välilehdet", "Blad", "Sheets"),
            sheets.join(", ")
        );
    }
}

/// One sheet of records: where its data is and how its columns map; its kind of record when
/// the file has several.
fn print_inspection(inspection: &Inspection, with_kind: bool, lang: Lang) -> anyhow::Result<()> {
    let mut found = String::new();
    if let Some(sheet) = &inspection.sheet {
        found.push_str(&format!(
            "{} {sheet}, ",
            tr(lang, "välilehti", "blad", "sheet")
        ));
    }
    found.push_str(&format!(
        "{} {}, {} {}",
        tr(lang, "otsikkorivi", "rubrikrad", "header row"),
        inspection.header_row,
        inspection.data_rows,
        tr(lang, "tietoriviä", "datarader", "data rows"),
    ));
    if inspection.from_template {
        found.push_str(tr(
            lang,
            " (Tuonnin pohja)",
            " (en Tuonti-mall)",
            " (a Tuonti template)",
        ));
    }
    let mut label = tr(lang, "Tiedot", "Innehåll", "Data").to_owned();
    if with_kind {
        label.push_str(&format!(" ({})", inspection.kind.label(lang)));
    }
    println!("{label}: {found}");
    let rows: Vec<ColumnRow<'_>> = inspection.columns.iter().map(ColumnRow).collect();
    print_listing(&rows, Format::Table, lang)
}

/// One column of an inspection, as a table row.
#[derive(Serialize)]
#[serde(transparent)]
struct ColumnRow<'a>(&'a InspectedColumn);

impl Listing for ColumnRow<'_> {
    fn headers(lang: Lang) -> Vec<&'static str> {
        match lang {
            Lang::Fi => vec![
                "Sarake",
                "Otsikko",
                "Kenttä",
                "Varmuus",
                "Peruste",
                "Esimerkit",
            ],
            Lang::Sv => vec!["Kolumn", "Rubrik", "Fält", "Säkerhet", "Grund", "Exempel"],
            Lang::En => vec![
                "Column",
                "Header",
                "Field",
                "Confidence",
                "Match",
                "Samples",
            ],
        }
    }

    fn cells(&self, lang: Lang) -> Vec<String> {
        let column = self.0;
        let field = match (&column.field, &column.ignored) {
            (Some(field), _) => field.to_string(),
            (None, Some(reason)) => format!("– ({})", ignore_reason(reason, lang)),
            (None, None) => "–".to_owned(),
        };
        let confidence = if column.field.is_some() {
            format!("{:.2}", column.confidence)
        } else {
            String::new()
        };
        vec![
            column.letter.clone(),
            column.header.clone(),
            field,
            confidence,
            match_source(column.source, lang).to_owned(),
            column.samples.join("; "),
        ]
    }
}

fn match_source(source: MatchSource, lang: Lang) -> &'static str {
    match source {
        MatchSource::Template => tr(lang, "pohja", "mall", "template"),
        MatchSource::Exact => tr(lang, "täsmälleen", "exakt", "exact"),
        MatchSource::Fuzzy => tr(lang, "samankaltainen", "liknande", "similar"),
        MatchSource::Override => "--map",
        _ => "",
    }
}

fn ignore_reason(reason: &IgnoreReason, lang: Lang) -> String {
    match reason {
        IgnoreReason::Unknown => {
            tr(lang, "tuntematon otsikko", "okänd rubrik", "unknown header").to_owned()
        }
        IgnoreReason::EmptyHeader => {
            tr(lang, "ei otsikkoa", "ingen rubrik", "no header").to_owned()
        }
        IgnoreReason::ErrorsColumn => {
            tr(lang, "virhesarake", "felkolumn", "errors column").to_owned()
        }
        IgnoreReason::Duplicate { field, kept_column } => format!(
            "{field} {} {}",
            tr(
                lang,
                "on jo sarakkeessa",
                "finns redan i kolumn",
                "is in column"
            ),
            tuonti_domain::column_letters(*kept_column)
        ),
        IgnoreReason::Override => tr(
            lang,
            "ohitettu, --map",
            "ignoreras enligt --map",
            "ignored by --map",
        )
        .to_owned(),
        _ => tr(lang, "ohitetaan", "ignoreras", "ignored").to_owned(),
    }
}
