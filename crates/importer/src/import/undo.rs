//! Undoing an import batch: every kind of record it wrote, in the reverse of the order it was
//! written (projects, contacts, companies).

use crate::setup::find_user;
use crate::{Error, Result};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, HashMap, HashSet};
use tuonti_domain::{
    BatchCounts, BatchKind, BatchStatus, ChangeAction, Company, CompanyId, Contact, ContactId,
    DomainError, ImportBatchId, LocalizedText, Project, ProjectId, RecordKind,
};
use tuonti_persistence::{NewBatch, RecordChange, Store};

/// A record an undo left alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UndoConflict {
    /// The kind of record.
    pub kind: RecordKind,
    /// Its id.
    pub id: i64,
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
    /// Records the batch created that were removed, of every kind.
    pub removed: u64,
    /// Records the batch updated that were restored, of every kind.
    pub restored: u64,
    /// The removed and restored records of each kind (`created` counts the removed ones,
    /// `updated` the restored ones, `skipped` those left alone).
    pub by_kind: BTreeMap<RecordKind, BatchCounts>,
    /// Customer groups the batch created that were removed (they were empty).
    pub removed_groups: Vec<String>,
    /// Branches of business the batch created that were removed (no project used them).
    pub removed_branches: Vec<String>,
    /// Records left alone, with the reason.
    pub conflicts: Vec<UndoConflict>,
}

/// A kind of record as undo handles it.
trait Undoable: Clone + PartialEq + Serialize + DeserializeOwned {
    const KIND: RecordKind;
    fn id(&self) -> i64;
    fn title(&self) -> String;
    /// Whether the record is as its creation left it.
    fn untouched(&self) -> bool;
    fn created_by(store: &mut Store, batch: ImportBatchId) -> Result<Vec<Self>>;
    fn current(store: &mut Store, ids: &[i64]) -> Result<Vec<Self>>;
    fn restore(store: &mut Store, before: &[Self]) -> Result<Vec<Self>>;
    fn delete(store: &mut Store, ids: &[i64]) -> Result<u64>;
    /// The created records that must stay whatever happens, with why.
    fn kept(_store: &mut Store, _created: &[Self]) -> Result<HashMap<i64, LocalizedText>> {
        Ok(HashMap::new())
    }
}

impl Undoable for Company {
    const KIND: RecordKind = RecordKind::Company;
    fn id(&self) -> i64 {
        self.id.get()
    }
    fn title(&self) -> String {
        self.fields.name.clone()
    }
    fn untouched(&self) -> bool {
        self.updated_at == self.created_at
    }
    fn created_by(store: &mut Store, batch: ImportBatchId) -> Result<Vec<Self>> {
        Ok(store.companies_created_by_batch(batch)?)
    }
    fn current(store: &mut Store, ids: &[i64]) -> Result<Vec<Self>> {
        let ids: Vec<CompanyId> = ids.iter().copied().map(CompanyId).collect();
        Ok(store.companies_by_ids(&ids)?)
    }
    fn restore(store: &mut Store, before: &[Self]) -> Result<Vec<Self>> {
        Ok(store.restore_companies(before)?)
    }
    fn delete(store: &mut Store, ids: &[i64]) -> Result<u64> {
        let ids: Vec<CompanyId> = ids.iter().copied().map(CompanyId).collect();
        Ok(store.delete_companies(&ids)?)
    }
    fn kept(store: &mut Store, created: &[Self]) -> Result<HashMap<i64, LocalizedText>> {
        let ids: Vec<CompanyId> = created.iter().map(|company| company.id).collect();
        Ok(store
            .companies_with_projects(&ids)?
            .into_iter()
            .map(|id| {
                (
                    id.get(),
                    LocalizedText::new(
                        "yrityksellä on projekteja",
                        "företaget har projekt",
                        "the company has projects",
                    ),
                )
            })
            .collect())
    }
}

impl Undoable for Contact {
    const KIND: RecordKind = RecordKind::Contact;
    fn id(&self) -> i64 {
        self.id.get()
    }
    fn title(&self) -> String {
        self.fields.full_name()
    }
    fn untouched(&self) -> bool {
        self.updated_at == self.created_at
    }
    fn created_by(store: &mut Store, batch: ImportBatchId) -> Result<Vec<Self>> {
        Ok(store.contacts_created_by_batch(batch)?)
    }
    fn current(store: &mut Store, ids: &[i64]) -> Result<Vec<Self>> {
        let ids: Vec<ContactId> = ids.iter().copied().map(ContactId).collect();
        Ok(store.contacts_by_ids(&ids)?)
    }
    fn restore(store: &mut Store, before: &[Self]) -> Result<Vec<Self>> {
        Ok(store.restore_contacts(before)?)
    }
    fn delete(store: &mut Store, ids: &[i64]) -> Result<u64> {
        let ids: Vec<ContactId> = ids.iter().copied().map(ContactId).collect();
        Ok(store.delete_contacts(&ids)?)
    }
}

impl Undoable for Project {
    const KIND: RecordKind = RecordKind::Project;
    fn id(&self) -> i64 {
        self.id.get()
    }
    fn title(&self) -> String {
        format!("{} {}", self.fields.project_number, self.fields.name)
    }
    fn untouched(&self) -> bool {
        self.updated_at == self.created_at
    }
    fn created_by(store: &mut Store, batch: ImportBatchId) -> Result<Vec<Self>> {
        Ok(store.projects_created_by_batch(batch)?)
    }
    fn current(store: &mut Store, ids: &[i64]) -> Result<Vec<Self>> {
        let ids: Vec<ProjectId> = ids.iter().copied().map(ProjectId).collect();
        Ok(store.projects_by_ids(&ids)?)
    }
    fn restore(store: &mut Store, before: &[Self]) -> Result<Vec<Self>> {
        Ok(store.restore_projects(before)?)
    }
    fn delete(store: &mut Store, ids: &[i64]) -> Result<u64> {
        let ids: Vec<ProjectId> = ids.iter().copied().map(ProjectId).collect();
        Ok(store.delete_projects(&ids)?)
    }
}

/// Undoes what `batch_id` did to records of kind `T`: removes those it created and that are
/// unchanged since (or all, with `force`), restores those it updated that are as it left them
/// (or all, with `force`), and journals both in `undo_batch`.
fn undo_kind<T: Undoable>(
    store: &mut Store,
    batch_id: ImportBatchId,
    undo_batch: ImportBatchId,
    force: bool,
    outcome: &mut UndoOutcome,
) -> Result<()> {
    let created = T::created_by(store, batch_id)?;
    let kept = T::kept(store, &created)?;
    let journal: Vec<RecordChange<T>> = store
        .batch_changes::<T>(batch_id, T::KIND)?
        .into_iter()
        .filter(|change| change.action == ChangeAction::Updated)
        .collect();
    let updated_ids: Vec<i64> = journal.iter().map(|change| change.entity_id).collect();
    let current: HashMap<i64, T> = T::current(store, &updated_ids)?
        .into_iter()
        .map(|record| (record.id(), record))
        .collect();
    let counts = outcome.by_kind.entry(T::KIND).or_default();
    let mut conflict = |id: i64, name: String, reason: LocalizedText| {
        counts.skipped += 1;
        outcome.conflicts.push(UndoConflict {
            kind: T::KIND,
            id,
            name,
            reason,
        });
    };
    let mut undo_journal: Vec<RecordChange<T>> = Vec::new();
    let mut to_delete = Vec::new();
    for record in created {
        if let Some(reason) = kept.get(&record.id()) {
            conflict(record.id(), record.title(), reason.clone());
        } else if !record.untouched() && !force {
            conflict(record.id(), record.title(), changed());
        } else {
            to_delete.push(record.id());
            undo_journal.push(RecordChange {
                entity_id: record.id(),
                action: ChangeAction::Deleted,
                before: Some(record),
                after: None,
            });
        }
    }
    let mut restore: Vec<T> = Vec::new();
    let mut restored_from: Vec<T> = Vec::new();
    for change in journal {
        let name = change
            .after
            .as_ref()
            .map(Undoable::title)
            .unwrap_or_default();
        let Some(now) = current.get(&change.entity_id) else {
            conflict(
                change.entity_id,
                name,
                LocalizedText::new(
                    "poistettu tuonnin jälkeen",
                    "borttagen efter importen",
                    "deleted since the import",
                ),
            );
            continue;
        };
        let Some(before) = change.before else {
            continue;
        };
        if change.after.as_ref() != Some(now) && !force {
            conflict(change.entity_id, name, changed());
            continue;
        }
        restore.push(before);
        restored_from.push(now.clone());
    }
    let restored = if restore.is_empty() {
        Vec::new()
    } else {
        T::restore(store, &restore)?
    };
    for (now, stored) in restored_from.into_iter().zip(restored) {
        undo_journal.push(RecordChange {
            entity_id: stored.id(),
            action: ChangeAction::Updated,
            before: Some(now),
            after: Some(stored),
        });
    }
    let removed = T::delete(store, &to_delete)?;
    let restored = undo_journal
        .iter()
        .filter(|change| change.action == ChangeAction::Updated)
        .count() as u64;
    let counts = outcome.by_kind.entry(T::KIND).or_default();
    counts.created += removed;
    counts.updated += restored;
    outcome.removed += removed;
    outcome.restored += restored;
    store.record_changes(undo_batch, T::KIND, &undo_journal)?;
    Ok(())
}

/// Undoes an import batch in one transaction: removes the projects, contacts and companies it
/// created and restores the fields of those it updated, then removes the customer groups and
/// branches it created once nothing uses them. Records changed since the batch are left alone
/// and listed, unless `force`; a created company that has projects (of another batch) is never
/// removed. The undo is recorded as a batch of its own.
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
            return Err(refused(LocalizedText::new(
                format!(
                    "tuontierä {batch_id} on peruutus eikä tuonti; sitä ei voi perua"
                ),
                format!(
                    "importomgång {batch_id} är en ångring, inte en import; den kan inte ångras"
                ),
                format!("batch {batch_id} is an undo, not an import; it cannot be undone"),
            )));
        }
        if batch.status == BatchStatus::Undone {
            let by = |word: &str| {
                batch
                    .undone_by
                    .map(|undo| format!(" ({word} {undo})"))
                    .unwrap_or_default()
            };
            return Err(refused(LocalizedText::new(
                format!(
                    "tuontierä {batch_id} on jo peruttu{}",
                    by("peruutuserä")
                ),
                format!(
                    "importomgång {batch_id} har redan ångrats{}",
                    by("av importomgång")
                ),
                format!("batch {batch_id} was undone already{}", by("by batch")),
            )));
        }
        let admin = find_user(store, acting_admin)?;
        if !admin.is_active_admin() {
            let email = &admin.email;
            return Err(refused(LocalizedText::new(
                format!(
                    "{email} ei ole aktiivinen pääkäyttäjä; vain pääkäyttäjät voivat perua tuonteja"
                ),
                format!(
                    "{email} är inte en aktiv administratör; bara administratörer kan ångra importer"
                ),
                format!("{email} is not an active admin; only admins undo imports"),
            )));
        }
        let choices = format!("{{\"reverts\":{batch_id},\"force\":{force}}}");
        let undo_batch = store.start_batch(&NewBatch {
            kind: BatchKind::Undo,
            started_by: admin.id,
            choices: &choices,
            reverts: Some(batch_id),
        })?;
        let mut outcome = UndoOutcome {
            undo_batch,
            reverted_batch: batch_id,
            removed: 0,
            restored: 0,
            by_kind: BTreeMap::new(),
            removed_groups: Vec::new(),
            removed_branches: Vec::new(),
            conflicts: Vec::new(),
        };
        // Later kinds refer to earlier ones: undo them first.
        undo_kind::<Project>(store, batch_id, undo_batch, force, &mut outcome)?;
        undo_kind::<Contact>(store, batch_id, undo_batch, force, &mut outcome)?;
        undo_kind::<Company>(store, batch_id, undo_batch, force, &mut outcome)?;
        outcome
            .by_kind
            .retain(|_, counts| *counts != BatchCounts::default());
        for group in store.customer_groups()? {
            if group.created_by_batch == Some(batch_id)
                && store.customer_group_usage(group.id)? == 0
            {
                store.remove_customer_group(group.id)?;
                outcome.removed_groups.push(group.name);
            }
        }
        for branch in store.branches()? {
            if branch.created_by_batch == Some(batch_id) && store.branch_usage(branch.id)? == 0 {
                store.remove_branch(branch.id)?;
                outcome.removed_branches.push(branch.name);
            }
        }
        let ids: HashSet<(RecordKind, i64)> = outcome
            .conflicts
            .iter()
            .map(|conflict| (conflict.kind, conflict.id))
            .collect();
        store.finish_batch(
            undo_batch,
            &BatchCounts {
                // An undo's "created" counts the records it removed, as its counts per kind do.
                created: outcome.removed,
                updated: outcome.restored,
                skipped: ids.len() as u64,
                ..BatchCounts::default()
            },
        )?;
        store.set_batch_counts_by_kind(undo_batch, &outcome.by_kind)?;
        store.mark_batch_undone(batch_id, undo_batch)?;
        Ok(outcome)
    })
}

fn changed() -> LocalizedText {
    LocalizedText::new(
        "muutettu tuonnin jälkeen",
        "ändrad efter importen",
        "changed since the import",
    )
}

fn refused(message: LocalizedText) -> Error {
    Error::Domain(DomainError::RefusedIn(message))
}
