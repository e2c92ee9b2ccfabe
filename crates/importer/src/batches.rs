//! The import history.

use crate::Result;
use serde::Serialize;
use std::collections::HashMap;
use tuonti_domain::{
    BatchCounts, BatchFile, BatchKind, ChangeAction, ImportBatch, ImportBatchId, RecordKind,
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
/// kinds were counted apart, when batches held companies only).
fn with_kinds(mut batch: ImportBatch) -> ImportBatch {
    if batch.counts_by_kind.is_empty() && batch.counts != BatchCounts::default() {
        batch
            .counts_by_kind
            .insert(RecordKind::Company, batch.counts);
    }
    batch
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
}
