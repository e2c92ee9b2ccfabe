//! `tuonti profiles`: saved column mapping profiles.

use crate::args::{Format, FormatArg};
use crate::commands::workbook::parse_override;
use crate::output::{Listing, print_listing, tr};
use chrono::NaiveDateTime;
use clap::Subcommand;
use serde::Serialize;
use tuonti_domain::{Lang, MappingProfile};
use tuonti_excel_template::{MappingOverride, OverrideTarget};
use tuonti_importer::profiles;
use tuonti_persistence::Store;

/// `tuonti profiles ...`.
#[derive(Debug, Subcommand)]
pub enum ProfilesCommand {
    /// List the saved mapping profiles.
    List(FormatArg),
    /// Show a profile's columns.
    Show {
        /// The profile's name (any letter case).
        name: String,
        #[command(flatten)]
        format: FormatArg,
    },
    /// Save a profile by hand; a profile with the same name gets this mapping instead.
    Save {
        /// The profile's name; unique in any letter case.
        name: String,
        /// A column: "Header=field" or "Header=ignore"; repeat for more columns.
        #[arg(long = "map", value_name = "HEADER=FIELD", required = true, value_parser = parse_override)]
        overrides: Vec<MappingOverride>,
    },
    /// Delete a profile.
    Delete {
        /// The profile's name (any letter case).
        name: String,
    },
}

/// A profile as listed: `mapping` holds its columns in the `--map` form.
#[derive(Serialize)]
struct ProfileRow {
    id: i64,
    name: String,
    mapping: Vec<String>,
    /// The value mappings, in the `--value` form.
    values: Vec<String>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl ProfileRow {
    fn new(profile: MappingProfile) -> anyhow::Result<Self> {
        let content = profiles::decode_content(&profile)?;
        Ok(Self {
            id: profile.id.get(),
            name: profile.name,
            mapping: content.columns.iter().map(ToString::to_string).collect(),
            values: content
                .values
                .iter()
                .map(|(field, value, target)| format!("{field}:{value}={target}"))
                .collect(),
            created_at: profile.created_at,
            updated_at: profile.updated_at,
        })
    }
}

impl Listing for ProfileRow {
    fn headers(lang: Lang) -> Vec<&'static str> {
        match lang {
            Lang::Fi => vec!["ID", "Nimi", "Sarakkeita", "Päivitetty (UTC)"],
            Lang::Sv => vec!["ID", "Namn", "Kolumner", "Uppdaterad (UTC)"],
            Lang::En => vec!["ID", "Name", "Columns", "Updated (UTC)"],
        }
    }

    fn cells(&self, _lang: Lang) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.name.clone(),
            self.mapping.len().to_string(),
            self.updated_at.format("%Y-%m-%d %H:%M:%S").to_string(),
        ]
    }
}

/// One column of a profile, as a table row.
#[derive(Serialize)]
struct ColumnRow {
    header: String,
    field: String,
}

impl ColumnRow {
    fn new(mapping_override: &MappingOverride, lang: Lang) -> Self {
        let field = match mapping_override.target {
            OverrideTarget::Field(field) => field.to_string(),
            OverrideTarget::Ignore => {
                format!("– ({})", tr(lang, "ohitetaan", "ignoreras", "ignored"))
            }
        };
        Self {
            header: mapping_override.header.clone(),
            field,
        }
    }
}

impl Listing for ColumnRow {
    fn headers(lang: Lang) -> Vec<&'static str> {
        match lang {
            Lang::Fi => vec!["Otsikko", "Kenttä"],
            Lang::Sv => vec!["Rubrik", "Fält"],
            Lang::En => vec!["Header", "Field"],
        }
    }

    fn cells(&self, _lang: Lang) -> Vec<String> {
        vec![self.header.clone(), self.field.clone()]
    }
}

/// `tuonti profiles ...`.
pub fn run(store: &mut Store, command: &ProfilesCommand, lang: Lang) -> anyhow::Result<()> {
    match command {
        ProfilesCommand::List(format) => {
            let rows = profiles::list(store)?
                .into_iter()
                .map(ProfileRow::new)
                .collect::<anyhow::Result<Vec<_>>>()?;
            print_listing(&rows, format.format, lang)?;
        }
        ProfilesCommand::Show { name, format } => {
            let profile = profiles::get(store, name)?;
            match format.format {
                Format::Json => {
                    let row = ProfileRow::new(profile)?;
                    println!("{}", serde_json::to_string_pretty(&row)?);
                }
                Format::Table => {
                    let content = profiles::decode_content(&profile)?;
                    let overrides = content.columns;
                    println!(
                        "{} {} ({} {} UTC)",
                        tr(lang, "Sarakeprofiili", "Kolumnprofil", "Mapping profile"),
                        profile.name,
                        tr(lang, "päivitetty", "uppdaterad", "updated"),
                        profile.updated_at.format("%Y-%m-%d %H:%M:%S"),
                    );
                    let rows: Vec<ColumnRow> = overrides
                        .iter()
                        .map(|mapping_override| ColumnRow::new(mapping_override, lang))
                        .collect();
                    print_listing(&rows, Format::Table, lang)?;
                    for (field, value, target) in content.values.iter() {
                        println!(
                            "{} --value \"{field}:{value}={target}\"",
                            tr(lang, "Arvo:", "Värde:", "Value:")
                        );
                    }
                }
            }
        }
        ProfilesCommand::Save { name, overrides } => {
            let existed = store.mapping_profile(name)?.is_some();
            let profile = profiles::save(store, name, overrides)?;
            let done = if existed {
                tr(
                    lang,
                    "Sarakeprofiili päivitettiin:",
                    "Uppdaterade kolumnprofilen",
                    "Updated the mapping profile",
                )
            } else {
                tr(
                    lang,
                    "Sarakeprofiili tallennettiin:",
                    "Sparade kolumnprofilen",
                    "Saved the mapping profile",
                )
            };
            println!(
                "{done} {} ({} {})",
                profile.name,
                overrides.len(),
                tr(lang, "saraketta", "kolumner", "columns")
            );
        }
        ProfilesCommand::Delete { name } => {
            profiles::delete(store, name)?;
            println!(
                "{} {}",
                tr(
                    lang,
                    "Sarakeprofiili poistettiin:",
                    "Raderade kolumnprofilen",
                    "Deleted the mapping profile"
                ),
                name.trim()
            );
        }
    }
    Ok(())
}
