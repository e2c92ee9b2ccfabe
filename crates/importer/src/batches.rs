//! The import history.

use crate::Result;
use serde::Serialize;
use std::collections::HashMap;
use tuonti_domain::{
    BatchCounts, BatchFile, BatchKind, ChangeAction, ImportBatch, ImportBatchId, Lang, RecordKind,
};
use tuonti_persistence::Store;

/// A batch with who ran it and its files. Its `counts_by_kind` is never empty for a batch
/// with counts: a batch recorded before kinds were counted apart has its counts under
/// companies, the only kind it could hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BatchView {
    /// The batch.
    #[serde(flatten)]
    pub batch: ImportBatch,
    /// The acting admin's email.
    pub started_by_email: String,
    /// The files it read.
    pub files: Vec<BatchFile>,
}

/// Every batch, newest first.
///
/// # Errors
///
/// [`crate::Error::Persistence`] when the database fails.
pub fn list(store: &mut Store) -> Result<Vec<BatchView>> {
    let users: HashMap<_, _> = store
        .users()?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect();
    let batches = store.batches()?;
    let mut views = Vec::with_capacity(batches.len());
    for batch in batches {
        let files = store.batch_files(batch.id)?;
        views.push(BatchView {
            started_by_email: users.get(&batch.started_by).cloned().unwrap_or_default(),
            batch: with_kinds(batch),
            files,
        });
    }
    Ok(views)
}

/// The batch with its counts under companies when it has no counts per kind (recorded before
/// kinds were counted apart, when batches held companies only), and an undo's total of removed
/// records equal to the sum of its kinds' (undos recorded before the total counted them had 0).
fn with_kinds(mut batch: ImportBatch) -> ImportBatch {
    if batch.counts_by_kind.is_empty() && batch.counts != BatchCounts::default() {
        batch
            .counts_by_kind
            .insert(RecordKind::Company, batch.counts);
    }
    if batch.kind == BatchKind::Undo && batch.counts.created == 0 {
        batch.counts.created = batch.counts_by_kind.values().map(|c| c.created).sum();
    }
    batch
}

/// The names of a batch's files, each once, in the order read: a workbook with a sheet per
/// kind of record is one file recorded once per sheet.
pub fn file_names(files: &[BatchFile]) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    for file in files {
        if !names.contains(&file.name.as_str()) {
            names.push(&file.name);
        }
    }
    names
}

/// The label of a key of a batch's stored choices (`company_type`, `on_duplicate`,
/// `reverts`, ...) in `lang`; `None` for a key this version does not know.
pub fn choice_label(key: &str, lang: Lang) -> Option<&'static str> {
    let (fi, sv, en) = match key {
        "company_type" => ("Yritystyyppi", "Företagstyp", "Company type"),
        "customer_group" => ("Asiakasryhmä", "Kundgrupp", "Customer group"),
        "create_groups" => (
            "Luo puuttuvat ryhmät",
            "Skapa saknade grupper",
            "Create missing groups",
        ),
        "account_manager" => ("Asiakasvastaava", "Kundansvarig", "Account manager"),
        "acting_admin" => ("Tuonnin tekijä", "Importerad av", "Imported by"),
        "on_duplicate" => (
            "Kun yritys on jo tallennettu",
            "När ett företag redan finns sparat",
            "When a company is already stored",
        ),
        "default_country" => ("Oletusmaa", "Standardland", "Default country"),
        "skip_invalid" => (
            "Vain kelvolliset rivit",
            "Endast de giltiga raderna",
            "Only the valid rows",
        ),
        "create_branches" => (
            "Luo puuttuvat toimialat",
            "Skapa saknade branscher",
            "Create missing branches",
        ),
        "project_manager" => ("Projektipäällikkö", "Projektledare", "Project manager"),
        "values" => (
            "Arvojen merkitykset",
            "Värdenas betydelser",
            "What values mean",
        ),
        "accept_suggestions" => (
            "Hyväksy yksiselitteiset ehdotukset",
            "Godkänn entydiga förslag",
            "Accept unambiguous suggestions",
        ),
        "reverts" => ("Perui erän", "Ångrade batch", "Reverts batch"),
        "force" => (
            "Myös tuonnin jälkeen muutetut",
            "Även de som ändrats efter importen",
            "Also those changed since the import",
        ),
        _ => return None,
    };
    Some(match lang {
        Lang::Fi => fi,
        Lang::Sv => sv,
        Lang::En => en,
    })
}

/// A batch's stored choices as (key, value) pairs, by key; `None` when they
/// are not a JSON object (never written so, but read defensively).
pub fn choice_pairs(choices: &str) -> Option<Vec<(String, serde_json::Value)>> {
    match serde_json::from_str::<serde_json::Value>(choices) {
        Ok(serde_json::Value::Object(map)) => Some(map.into_iter().collect()),
        _ => None,
    }
}

/// One batch in detail: its view and how many companies it created, updated and deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BatchDetail {
    /// The batch, its admin and files.
    #[serde(flatten)]
    pub view: BatchView,
    /// Companies created.
    pub companies_created: u64,
    /// Companies updated.
    pub companies_updated: u64,
    /// Companies deleted (by an undo).
    pub companies_deleted: u64,
}

/// One batch in detail.
///
/// # Errors
///
/// [`tuonti_domain::DomainError::NotFound`] for an unknown id; [`crate::Error::Persistence`].
pub fn show(store: &mut Store, id: ImportBatchId) -> Result<BatchDetail> {
    let batch = store.require_batch(id)?;
    let started_by_email = store
        .user(batch.started_by)?
        .map(|u| u.email)
        .unwrap_or_default();
    let files = store.batch_files(id)?;
    let journal = store.batch_company_changes(id)?;
    let count = |action| journal.iter().filter(|c| c.action == action).count() as u64;
    // Creations are not journaled (undo finds them by `created_by_batch`): an import's own
    // count says how many it created.
    let batch = with_kinds(batch);
    let companies_created = match batch.kind {
        BatchKind::Import => batch
            .counts_by_kind
            .get(&RecordKind::Company)
            .map_or(0, |counts| counts.created),
        _ => count(ChangeAction::Created),
    };
    Ok(BatchDetail {
        companies_created,
        companies_updated: count(ChangeAction::Updated),
        companies_deleted: count(ChangeAction::Deleted),
        view: BatchView {
            batch,
            started_by_email,
            files,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tuonti_domain::{BatchStatus, UserId};

    fn batch(counts: BatchCounts) -> ImportBatch {
        ImportBatch {
            id: ImportBatchId(1),
            kind: BatchKind::Import,
            started_by: UserId(1),
            started_at: chrono::NaiveDateTime::default(),
            finished_at: None,
            status: BatchStatus::Applied,
            choices: "{}".into(),
            counts,
            counts_by_kind: Default::default(),
            reverts: None,
            undone_by: None,
        }
    }

    #[test]
    fn an_old_batchs_counts_are_its_companies() {
        let counts = BatchCounts {
            created: 3,
            ..BatchCounts::default()
        };
        let old = with_kinds(batch(counts));
        assert_eq!(
            old.counts_by_kind.into_iter().collect::<Vec<_>>(),
            [(RecordKind::Company, counts)]
        );
        let mut new = batch(counts);
        new.counts_by_kind.insert(RecordKind::Contact, counts);
        assert_eq!(with_kinds(new.clone()), new);
        assert!(
            with_kinds(batch(BatchCounts::default()))
                .counts_by_kind
                .is_empty()
        );
    }

    #[test]
    fn an_old_undos_total_counts_what_its_kinds_removed() {
        let mut undo = batch(BatchCounts {
            updated: 1,
            ..BatchCounts::default()
        });
        undo.kind = BatchKind::Undo;
        for (kind, removed) in [(RecordKind::Company, 2), (RecordKind::Project, 3)] {
            undo.counts_by_kind.insert(
                kind,
                BatchCounts {
                    created: removed,
                    ..BatchCounts::default()
                },
            );
        }
        let shown = with_kinds(undo);
        assert_eq!(shown.counts.created, 5);
        assert_eq!(shown.counts.updated, 1);
    }

    #[test]
    fn a_workbooks_sheets_are_one_file_and_choices_have_labels() {
        let file = |name: &str, sheet: &str| BatchFile {
            name: name.into(),
            size_bytes: 1,
            sha256: String::new(),
            sheet: Some(sheet.into()),
            header_row: Some(1),
            mapping: "{}".into(),
            choices: None,
        };
        let files = [
            file("a.xlsx", "Yritykset"),
            file("a.xlsx", "Projektit"),
            file("b.csv", "b"),
        ];
        assert_eq!(file_names(&files), ["a.xlsx", "b.csv"]);
        assert_eq!(choice_label("reverts", Lang::Sv), Some("Ångrade batch"));
        assert_eq!(choice_label("something_new", Lang::Fi), None);
        let pairs = choice_pairs(r#"{"reverts":2,"force":false}"#).unwrap();
        assert_eq!(pairs[1], ("reverts".to_owned(), serde_json::json!(2)));
        assert!(choice_pairs("[1]").is_none());
    }
}
