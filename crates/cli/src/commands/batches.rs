//! `tuonti batches list|show|undo`.

use crate::args::{BatchesCommand, Format};
use crate::commands::Refusal;
use crate::output::{Listing, ask, counted, interactive, print_listing, tr};
use chrono::NaiveDateTime;
use serde::Serialize;
use std::collections::BTreeMap;
use tuonti_domain::{BatchCounts, BatchKind, BatchStatus, ImportBatchId, Lang, RecordKind};
use tuonti_importer::batches::{self, BatchView};
use tuonti_importer::import::{self, FileChoiceSummary};
use tuonti_persistence::Store;

#[derive(Serialize)]
struct BatchRow {
    id: i64,
    kind: BatchKind,
    status: BatchStatus,
    started_at: NaiveDateTime,
    started_by: String,
    files: Vec<String>,
    created: u64,
    updated: u64,
    unchanged: u64,
    skipped: u64,
    rejected: u64,
    counts_by_kind: BTreeMap<RecordKind, BatchCounts>,
    reverts: Option<i64>,
    undone_by: Option<i64>,
}

impl From<BatchView> for BatchRow {
    fn from(view: BatchView) -> Self {
        let batch = view.batch;
        BatchRow {
            id: batch.id.get(),
            kind: batch.kind,
            status: batch.status,
            started_at: batch.started_at,
            started_by: view.started_by_email,
            files: batches::file_names(&view.files)
                .into_iter()
                .map(str::to_owned)
                .collect(),
            created: batch.counts.created,
            updated: batch.counts.updated,
            unchanged: batch.counts.unchanged,
            skipped: batch.counts.skipped,
            rejected: batch.counts.rejected,
            counts_by_kind: batch.counts_by_kind,
            reverts: batch.reverts.map(|b| b.get()),
            undone_by: batch.undone_by.map(|b| b.get()),
        }
    }
}

impl Listing for BatchRow {
    fn headers(lang: Lang) -> Vec<&'static str> {
        match lang {
            Lang::Fi => vec![
                "ID",
                "Laji",
                "Tila",
                "Aika (UTC)",
                "Tekijä",
                "Tiedostot",
                "Uusia",
                "Päivitetty",
                "Ennallaan",
                "Ohitettu",
                "Hylätty",
            ],
            Lang::Sv => vec![
                "ID",
                "Typ",
                "Status",
                "Tid (UTC)",
                "Av",
                "Filer",
                "Nya",
                "Uppdaterade",
                "Oförändrade",
                "Överhoppade",
                "Avvisade",
            ],
            Lang::En => vec![
                "ID",
                "Kind",
                "Status",
                "Time (UTC)",
                "By",
                "Files",
                "Created",
                "Updated",
                "Unchanged",
                "Skipped",
                "Rejected",
            ],
        }
    }

    fn cells(&self, lang: Lang) -> Vec<String> {
        let mut status = self.status.label(lang).to_owned();
        if let Some(undo) = self.undone_by {
            status.push_str(&format!(" ({undo})"));
        }
        if let Some(reverts) = self.reverts {
            status.push_str(&format!(" ({reverts})"));
        }
        vec![
            self.id.to_string(),
            self.kind.label(lang).to_owned(),
            status,
            self.started_at.format("%Y-%m-%d %H:%M:%S").to_string(),
            self.started_by.clone(),
            self.files.join(", "),
            // Imports and undos share the columns: what an undo removed shows as negative.
            if self.kind == BatchKind::Undo && self.created > 0 {
                format!("−{}", self.created)
            } else {
                self.created.to_string()
            },
            self.updated.to_string(),
            self.unchanged.to_string(),
            self.skipped.to_string(),
            self.rejected.to_string(),
        ]
    }
}

/// Prints a batch's counts per kind of record, one line each, in an undo's words for an undo
/// (its "created" are the records it removed, "updated" those it restored, "skipped" those
/// it left because they were changed since).
fn print_counts_by_kind(
    counts_by_kind: &BTreeMap<RecordKind, BatchCounts>,
    kind: BatchKind,
    lang: Lang,
) {
    if counts_by_kind.is_empty() {
        return;
    }
    println!(
        "{}",
        tr(lang, "Tietueittain:", "Per posttyp:", "By kind of record:")
    );
    for (record_kind, counts) in counts_by_kind {
        let line = if kind == BatchKind::Undo {
            counted(
                lang,
                &[
                    (counts.created, ["poistettu", "borttagna", "removed"]),
                    (counts.updated, ["palautettu", "återställda", "restored"]),
                    (
                        counts.skipped,
                        [
                            "jätetty (muutettu tuonnin jälkeen)",
                            "lämnade (ändrade efter importen)",
                            "left (changed since the import)",
                        ],
                    ),
                ],
            )
        } else {
            counted(
                lang,
                &[
                    (counts.created, ["uutta", "nya", "created"]),
                    (counts.updated, ["päivitetty", "uppdaterade", "updated"]),
                    (counts.unchanged, ["ennallaan", "oförändrade", "unchanged"]),
                    (counts.skipped, ["ohitettu", "överhoppade", "skipped"]),
                    (counts.rejected, ["hylätty", "avvisade", "rejected"]),
                ],
            )
        };
        println!("  {}: {line}", record_kind.label(lang));
    }
}

/// Prints a batch's stored choices, a labelled line each.
fn print_choices(choices: &str, lang: Lang) {
    println!("{}", tr(lang, "Valinnat:", "Val:", "Choices:"));
    let Some(pairs) = batches::choice_pairs(choices) else {
        println!("  {choices}");
        return;
    };
    for (key, value) in pairs {
        let shown = match value {
            serde_json::Value::Bool(true) => tr(lang, "kyllä", "ja", "yes").to_owned(),
            serde_json::Value::Bool(false) => tr(lang, "ei", "nej", "no").to_owned(),
            serde_json::Value::Null => "-".to_owned(),
            serde_json::Value::String(text) => text,
            other => other.to_string(),
        };
        let label = batches::choice_label(&key, lang).unwrap_or(&key);
        println!("  {label}: {shown}");
    }
}

/// One file's choices as `batches show` and `tuonti import` print them.
pub(crate) fn file_choices_line(chosen: &FileChoiceSummary, lang: Lang) -> String {
    let mut line = format!(
        "{} {}, {} {}, {} {}",
        tr(lang, "yritystyyppi", "företagstyp", "company type"),
        chosen.company_type,
        tr(lang, "asiakasryhmä", "kundgrupp", "customer group"),
        chosen.customer_group.as_deref().unwrap_or("-"),
        tr(lang, "asiakasvastaava", "kundansvarig", "account manager"),
        chosen.account_manager
    );
    if let Some(manager) = &chosen.project_manager {
        line.push_str(&format!(
            ", {} {manager}",
            tr(
                lang,
                "projektipäällikkö",
                "projektledare",
                "project manager"
            )
        ));
    }
    if let Some(rows) = &chosen.rows {
        line.push_str(&format!(", {} {rows}", tr(lang, "rivit", "rader", "rows")));
    }
    for fix in &chosen.fixes {
        line.push_str(&format!(
            ", {} {}{} {:?} → {:?}{}",
            tr(lang, "korjattu solu", "korrigerad cell", "fixed cell"),
            fix.field.as_str(),
            format_args!(" {} {}", tr(lang, "rivillä", "på rad", "on row"), fix.row),
            fix.before,
            fix.after,
            fix.by
                .as_deref()
                .map(|by| format!(" ({by})"))
                .unwrap_or_default()
        ));
    }
    if !chosen.values.is_empty() {
        let values: Vec<String> = chosen
            .values
            .iter()
            .map(|(field, value, target)| format!("{field}: {value:?} → {target}"))
            .collect();
        line.push_str(&format!(
            ", {} {}",
            tr(lang, "arvot", "värden", "values"),
            values.join("; ")
        ));
    }
    line
}

/// Runs `tuonti batches ...`.
pub fn run(store: &mut Store, command: &BatchesCommand, lang: Lang) -> anyhow::Result<()> {
    match command {
        BatchesCommand::List(format) => {
            let rows: Vec<BatchRow> = batches::list(store)?
                .into_iter()
                .map(BatchRow::from)
                .collect();
            print_listing(&rows, format.format, lang)?;
        }
        BatchesCommand::Show { id, format } => {
            let detail = batches::show(store, ImportBatchId(*id))?;
            if format.format == Format::Json {
                println!("{}", serde_json::to_string_pretty(&detail)?);
            } else {
                let files = detail.view.files.clone();
                let choices = detail.view.batch.choices.clone();
                let counts_by_kind = detail.view.batch.counts_by_kind.clone();
                let kind = detail.view.batch.kind;
                print_listing(&[BatchRow::from(detail.view)], Format::Table, lang)?;
                print_counts_by_kind(&counts_by_kind, kind, lang);
                print_choices(&choices, lang);
                for file in files {
                    println!(
                        "{} {} ({} B, sha256 {}), {} {}, {} {}",
                        tr(lang, "Tiedosto", "Fil", "File"),
                        file.name,
                        file.size_bytes,
                        file.sha256,
                        tr(lang, "taulukko", "blad", "sheet"),
                        file.sheet.as_deref().unwrap_or("-"),
                        tr(lang, "otsikkorivi", "rubrikrad", "header row"),
                        file.header_row
                            .map_or_else(|| "-".to_owned(), |r| r.to_string())
                    );
                    let chosen = file
                        .choices
                        .as_deref()
                        .and_then(|json| serde_json::from_str::<FileChoiceSummary>(json).ok());
                    if let Some(chosen) = chosen {
                        println!("  {}", file_choices_line(&chosen, lang));
                    }
                }
                println!(
                    "{}: {} {}, {} {}, {} {}",
                    tr(lang, "Yritykset", "Företag", "Companies"),
                    detail.companies_created,
                    tr(lang, "luotu", "skapade", "created"),
                    detail.companies_updated,
                    tr(lang, "päivitetty", "uppdaterade", "updated"),
                    detail.companies_deleted,
                    tr(lang, "poistettu", "raderade", "deleted")
                );
            }
        }
        BatchesCommand::Undo {
            id,
            acting_admin,
            force,
            yes,
        } => {
            let batch = store
                .require_batch(ImportBatchId(*id))
                .map_err(tuonti_importer::Error::from)?;
            if !yes {
                if !interactive() {
                    return Err(Refusal::new(
                        tr(
                            lang,
                            "Ilman päätettä peruminen tehdään vain valinnalla --yes.",
                            "Utan terminal görs en ångring bara med --yes.",
                            "Without a terminal an undo runs only with --yes.",
                        )
                        .to_owned(),
                    )
                    .into());
                }
                let question = format!(
                    "{} {} ({} {}, {} {})?",
                    tr(lang, "Perutaanko erä", "Ångra omgång", "Undo batch"),
                    batch.id,
                    batch.counts.created,
                    tr(lang, "luotua", "skapade", "created"),
                    batch.counts.updated,
                    tr(lang, "päivitettyä", "uppdaterade", "updated")
                );
                if !ask(&question)? {
                    return Err(Refusal::new(
                        tr(
                            lang,
                            "Mitään ei peruttu.",
                            "Ingenting ångrades.",
                            "Nothing was undone.",
                        )
                        .to_owned(),
                    )
                    .into());
                }
            }
            let outcome = import::undo(store, batch.id, acting_admin, *force)?;
            println!(
                "{} {} ({} {}): {} {}, {} {}.",
                tr(lang, "Erä", "Omgång", "Batch"),
                outcome.reverted_batch,
                tr(
                    lang,
                    "peruttiin erällä",
                    "ångrades med omgång",
                    "undone by batch"
                ),
                outcome.undo_batch,
                outcome.removed,
                tr(
                    lang,
                    "tietuetta poistettiin",
                    "poster togs bort",
                    "records removed"
                ),
                outcome.restored,
                tr(lang, "palautettiin", "återställdes", "restored")
            );
            for (kind, counts) in &outcome.by_kind {
                println!(
                    "  {}: {} {}, {} {}",
                    kind.label(lang),
                    counts.created,
                    tr(lang, "poistettiin", "togs bort", "removed"),
                    counts.updated,
                    tr(lang, "palautettiin", "återställdes", "restored")
                );
            }
            if !outcome.removed_branches.is_empty() {
                println!(
                    "{} {}",
                    tr(
                        lang,
                        "Poistetut käyttämättömät toimialat:",
                        "Borttagna oanvända branscher:",
                        "Removed unused branches of business:"
                    ),
                    outcome.removed_branches.join(", ")
                );
            }
            if !outcome.removed_groups.is_empty() {
                println!(
                    "{} {}",
                    tr(
                        lang,
                        "Poistetut tyhjät asiakkuusryhmät:",
                        "Borttagna tomma kundgrupper:",
                        "Removed empty customer groups:"
                    ),
                    outcome.removed_groups.join(", ")
                );
            }
            if !outcome.conflicts.is_empty() {
                println!(
                    "{}",
                    tr(
                        lang,
                        "Jätettiin ennalleen (muutettu erän jälkeen):",
                        "Lämnades orörda (ändrade efter omgången):",
                        "Left alone (changed since the batch):"
                    )
                );
                for conflict in &outcome.conflicts {
                    println!(
                        "  {} #{} {}: {}",
                        conflict.kind.label(lang),
                        conflict.id,
                        conflict.name,
                        conflict.reason.get(lang)
                    );
                }
                if !force {
                    println!(
                        "{}",
                        tr(
                            lang,
                            "--force palauttaa muutetutkin.",
                            "--force återställer också de ändrade.",
                            "--force reverts the changed ones too."
                        )
                    );
                }
            }
        }
    }
    Ok(())
}
