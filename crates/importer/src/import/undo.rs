//! Undoing an import batch.

use crate::setup::find_user;
use crate::{Error, Result};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use tuonti_domain::{
    BatchCounts, BatchKind, BatchStatus, ChangeAction, CompanyChange, CompanyId, DomainError,
    ImportBatchId, LocalizedText,
};
use tuonti_persistence::{NewBatch, Store};

/// A record an undo left alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UndoConflict {
    /// The company.
    pub company_id: CompanyId,
    /// Its name as the batch left it.
    pub name: String,
    /// Why it was left alone.
    pub reason: LocalizedText,
}

/// What [`undo`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UndoOutcome {
    /// The undo batch, recorded like an import.
    pub undo_batch: ImportBatchId,
    /// The batch that was undone.
    pub reverted_batch: ImportBatchId,
    /// Companies the batch created that were removed.
    pub removed: u64,
    /// Companies the batch updated that were restored.
    pub restored: u64,
    /// Customer groups the batch created that were removed (they were empty).
    pub removed_groups: Vec<String>,
    /// Records left alone, with the reason.
    pub conflicts: Vec<UndoConflict>,
}

/// Undoes an import batch in one transaction: removes the companies it created and restores
/// the fields of those it updated, and removes the customer groups it created once they are
/// empty. Records changed since the batch are left alone and listed, unless `force`; a created
/// company that has projects is never removed. The undo is recorded as a batch of its own.
///
/// # Errors
///
/// [`DomainError::NotFound`] for an unknown batch; [`DomainError::Refused`] for a batch that is
/// an undo or already undone, or an acting user who is not an active admin;
/// [`Error::Persistence`] when the database fails (nothing changes).
pub fn undo(
    store: &mut Store,
    batch_id: ImportBatchId,
    acting_admin: &str,
    force: bool,
) -> Result<UndoOutcome> {
    store.transaction(|store| {
        let batch = store.require_batch(batch_id)?;
        if batch.kind != BatchKind::Import {
            return Err(refused(format!(
                "batch {batch_id} is an undo, not an import; it cannot be undone"
            )));
        }
        if batch.status == BatchStatus::Undone {
            return Err(refused(format!(
                "batch {batch_id} was undone already{}",
                batch
                    .undone_by
                    .map(|undo| format!(" (by batch {undo})"))
                    .unwrap_or_default()
            )));
        }
        let admin = find_user(store, acting_admin)?;
        if !admin.is_active_admin() {
            return Err(refused(format!(
                "{} is not an active admin; only admins undo imports",
                admin.email
            )));
        }
        // Created companies carry the batch in `created_by_batch`; one untouched since is
        // exactly as the batch left it (`updated_at` is still its creation time).
        let created = store.companies_created_by_batch(batch_id)?;
        let created_ids: Vec<CompanyId> = created.iter().map(|company| company.id).collect();
        let with_projects: HashSet<CompanyId> = store
            .companies_with_projects(&created_ids)?
            .into_iter()
            .collect();
        // Updates are journaled with their before- and after-images.
        let journal: Vec<CompanyChange> = store
            .batch_company_changes(batch_id)?
            .into_iter()
            .filter(|change| change.action == ChangeAction::Updated)
            .collect();
        let updated_ids: Vec<CompanyId> = journal.iter().map(|change| change.company_id).collect();
        let current: HashMap<CompanyId, _> = store
            .companies_by_ids(&updated_ids)?
            .into_iter()
            .map(|company| (company.id, company))
            .collect();

        let choices = format!("{{\"reverts\":{batch_id},\"force\":{force}}}");
        let undo_batch = store.start_batch(&NewBatch {
            kind: BatchKind::Undo,
            started_by: admin.id,
            choices: &choices,
            reverts: Some(batch_id),
        })?;

        let mut conflicts = Vec::new();
        let mut to_delete = Vec::new();
        let mut undo_journal = Vec::new();
        let mut restored = 0;
        for company in created {
            if with_projects.contains(&company.id) {
                conflicts.push(UndoConflict {
                    company_id: company.id,
                    name: company.fields.name.clone(),
                    reason: LocalizedText::new(
                        "yrityksellä on projekteja",
                        "the company has projects",
                    ),
                });
            } else if company.updated_at != company.created_at && !force {
                conflicts.push(changed(company.id, company.fields.name.clone()));
            } else {
                to_delete.push(company.id);
                undo_journal.push(CompanyChange {
                    company_id: company.id,
                    action: ChangeAction::Deleted,
                    before: Some(company),
                    after: None,
                });
            }
        }
        for change in &journal {
            let name = change
                .after
                .as_ref()
                .map(|c| c.fields.name.clone())
                .unwrap_or_default();
            let Some(now) = current.get(&change.company_id) else {
                conflicts.push(UndoConflict {
                    company_id: change.company_id,
                    name,
                    reason: LocalizedText::new(
                        "poistettu tuonnin jälkeen",
                        "deleted since the import",
                    ),
                });
                continue;
            };
            let Some(before) = &change.before else {
                continue;
            };
            if change.after.as_ref() != Some(now) && !force {
                conflicts.push(changed(change.company_id, name));
                continue;
            }
            let stored = store.update_company(before)?;
            restored += 1;
            undo_journal.push(CompanyChange {
                company_id: change.company_id,
                action: ChangeAction::Updated,
                before: Some(now.clone()),
                after: Some(stored),
            });
        }
        let removed = store.delete_companies(&to_delete)?;
        let mut removed_groups = Vec::new();
        for group in store.customer_groups()? {
            if group.created_by_batch == Some(batch_id)
                && store.customer_group_usage(group.id)? == 0
            {
                store.remove_customer_group(group.id)?;
                removed_groups.push(group.name);
            }
        }
        store.record_company_changes(undo_batch, &undo_journal)?;
        store.finish_batch(
            undo_batch,
            &BatchCounts {
                updated: restored,
                skipped: conflicts.len() as u64,
                ..BatchCounts::default()
            },
        )?;
        store.mark_batch_undone(batch_id, undo_batch)?;
        Ok(UndoOutcome {
            undo_batch,
            reverted_batch: batch_id,
            removed,
            restored,
            removed_groups,
            conflicts,
        })
    })
}

fn changed(company_id: CompanyId, name: String) -> UndoConflict {
    UndoConflict {
        company_id,
        name,
        reason: LocalizedText::new("muutettu tuonnin jälkeen", "changed since the import"),
    }
}

fn refused(message: String) -> Error {
    Error::Domain(DomainError::Refused(message))
}
