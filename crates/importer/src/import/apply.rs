//! Applying an import in one transaction, as an import batch with a journal.

use super::plan::{PlanProgress, PlannedRow, run};
use super::{ImportRequest, Plan, resolve};
use crate::{Error, Result};
use tuonti_domain::{BatchFile, BatchKind, DomainError, ImportBatchId};
use tuonti_persistence::{NewBatch, Store};

/// What [`apply`] wrote.
#[derive(Debug, Clone)]
pub struct Applied {
    /// The batch that records the import; `None` when there was nothing to write (every row
    /// unchanged, skipped or rejected under `skip_invalid`): then nothing is recorded either.
    pub batch_id: Option<ImportBatchId>,
    /// The customer groups the import created.
    pub created_groups: Vec<String>,
    /// The branches of business the import created.
    pub created_branches: Vec<String>,
    /// What happened to the rows (as a [`plan`](super::plan) reports it).
    pub plan: Plan,
}

/// Imports in one transaction: reads, validates and matches the rows again (against the data
/// as it is now, inside the transaction), creates the new groups, creates and updates the
/// companies chunk by chunk, and records the batch (choices, files, counts, before-images).
///
/// All or nothing: with a rejected row and without `skip_invalid` nothing is written and the
/// call is refused. A unique business ID stored by a concurrent import refuses the whole
/// import too; run it again.
///
/// # Errors
///
/// As [`plan`](super::plan); [`Error::RowsRejected`] when rows are rejected and
/// `skip_invalid` is off; [`DomainError::Refused`] when another import stored the same
/// companies meanwhile;
/// [`Error::Persistence`] when the database fails (nothing is written).
pub fn apply(store: &mut Store, request: &ImportRequest) -> Result<Applied> {
    apply_with(store, request, &mut |_| {}, &mut |_| {})
}

/// [`apply`], calling `progress` after every chunk and `observe` with every row.
///
/// # Errors
///
/// As [`apply`].
pub fn apply_with(
    store: &mut Store,
    request: &ImportRequest,
    progress: &mut dyn FnMut(PlanProgress),
    observe: &mut dyn FnMut(&PlannedRow),
) -> Result<Applied> {
    let choices = resolve(store, &request.choices)?;
    let choices_json = serde_json::to_string(&choices.choices)
        .map_err(|error| Error::Domain(DomainError::Refused(error.to_string())))?;
    let skip_invalid = request.choices.skip_invalid;
    // A bulk transaction: on SQLite without a statement journal per multi-row insert, the
    // references checked before the commit instead (see `Store::bulk_transaction`).
    let outcome = store.bulk_transaction(|store| -> std::result::Result<Applied, Flow> {
        let batch_id: ImportBatchId = store.start_batch(&NewBatch {
            kind: BatchKind::Import,
            started_by: choices.acting_admin.id,
            choices: &choices_json,
            reverts: None,
        })?;
        let (plan, created) = run(store, request, choices, Some(batch_id), progress, observe)?;
        if plan.has_rejected_rows() && !skip_invalid {
            return Err(Flow::Failed(Error::RowsRejected {
                rejected: plan.counts.rejected,
            }));
        }
        if !plan.writes_anything() {
            // Nothing changed: roll the empty batch back and record nothing.
            return Err(Flow::NothingToWrite(Box::new(plan)));
        }
        let files: Vec<BatchFile> = plan
            .files
            .iter()
            .map(|file| BatchFile {
                name: file.name.clone(),
                size_bytes: i64::try_from(file.size_bytes).unwrap_or(i64::MAX),
                sha256: file.sha256.clone(),
                sheet: file.sheet.clone(),
                header_row: i32::try_from(file.header_row).ok(),
                mapping: serde_json::to_string(&file.mapping).unwrap_or_else(|_| "null".into()),
                choices: serde_json::to_string(&file.choices).ok(),
            })
            .collect();
        store.add_batch_files(batch_id, &files)?;
        store.finish_batch(batch_id, &plan.counts)?;
        store.set_batch_counts_by_kind(batch_id, &plan.counts_by_kind)?;
        Ok(Applied {
            batch_id: Some(batch_id),
            created_groups: created.groups,
            created_branches: created.branches,
            plan,
        })
    });
    match outcome {
        Ok(applied) => Ok(applied),
        Err(Flow::NothingToWrite(plan)) => Ok(Applied {
            batch_id: None,
            created_groups: Vec::new(),
            created_branches: Vec::new(),
            plan: *plan,
        }),
        Err(Flow::Failed(error)) => Err(error),
    }
}

/// How the transaction of [`apply_with`] ends when it does not commit.
enum Flow {
    /// A real failure (or refusal).
    Failed(Error),
    /// Nothing to write: the empty batch is rolled back.
    NothingToWrite(Box<Plan>),
}

impl From<Error> for Flow {
    fn from(error: Error) -> Self {
        Flow::Failed(error)
    }
}

impl From<tuonti_persistence::PersistenceError> for Flow {
    fn from(error: tuonti_persistence::PersistenceError) -> Self {
        Flow::Failed(error.into())
    }
}
