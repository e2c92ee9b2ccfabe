//! Import batches: the journal of imports and undos.

use crate::schema::{import_batch_changes, import_batch_files, import_batches};
use crate::store::with_conn;
use crate::util::{count, now};
use crate::{PersistenceError, Result, Store};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use tuonti_domain::{
    BatchCounts, BatchFile, BatchKind, BatchStatus, ChangeAction, Company, CompanyChange,
    CompanyId, DomainError, Entity, ImportBatch, ImportBatchId, RecordKind, UserId,
};

/// How many journal rows go into one INSERT statement (7 values each, well under SQLite's
/// 32,766 bound values).
const CHANGES_PER_STATEMENT: usize = 1_000;

#[derive(Queryable, Selectable)]
#[diesel(table_name = import_batches)]
struct BatchRow {
    id: i64,
    kind: String,
    started_by: i64,
    started_at: NaiveDateTime,
    finished_at: Option<NaiveDateTime>,
    status: String,
    choices: String,
    created_count: i64,
    updated_count: i64,
    unchanged_count: i64,
    skipped_count: i64,
    rejected_count: i64,
    reverts: Option<i64>,
    undone_by: Option<i64>,
    counts_by_kind: Option<String>,
}

impl BatchRow {
    fn into_domain(self) -> Result<ImportBatch> {
        let kind = BatchKind::from_stored(&self.kind).ok_or(PersistenceError::Corrupt {
            table: "import_batches",
            column: "kind",
            value: self.kind.clone(),
        })?;
        let status = BatchStatus::from_stored(&self.status).ok_or(PersistenceError::Corrupt {
            table: "import_batches",
            column: "status",
            value: self.status.clone(),
        })?;
        Ok(ImportBatch {
            id: ImportBatchId(self.id),
            kind,
            started_by: UserId(self.started_by),
            started_at: self.started_at,
            finished_at: self.finished_at,
            status,
            choices: self.choices,
            counts: BatchCounts {
                created: count(self.created_count),
                updated: count(self.updated_count),
                unchanged: count(self.unchanged_count),
                skipped: count(self.skipped_count),
                rejected: count(self.rejected_count),
            },
            counts_by_kind: match &self.counts_by_kind {
                Some(json) => {
                    serde_json::from_str(json).map_err(|_| PersistenceError::Corrupt {
                        table: "import_batches",
                        column: "counts_by_kind",
                        value: json.clone(),
                    })?
                }
                None => std::collections::BTreeMap::new(),
            },
            reverts: self.reverts.map(ImportBatchId),
            undone_by: self.undone_by.map(ImportBatchId),
        })
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = import_batch_files)]
struct FileRow {
    name: String,
    size_bytes: i64,
    sha256: String,
    sheet: Option<String>,
    header_row: Option<i32>,
    mapping: String,
    choices: Option<String>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = import_batch_changes)]
struct ChangeRow {
    entity_id: i64,
    action: String,
    before_image: Option<String>,
    after_image: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = import_batch_changes)]
#[diesel(treat_none_as_default_value = false)]
struct NewChangeRow {
    batch_id: i64,
    entity: &'static str,
    entity_id: i64,
    action: &'static str,
    before_image: Option<String>,
    after_image: Option<String>,
}

/// A batch to start: who runs it and with which choices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBatch<'a> {
    /// Import or undo.
    pub kind: BatchKind,
    /// The acting admin.
    pub started_by: UserId,
    /// The choices, as JSON written by the importer.
    pub choices: &'a str,
    /// For an undo: the batch it reverts.
    pub reverts: Option<ImportBatchId>,
}

/// One entry of a batch's journal: what the batch did to one record, with the record before
/// and after (stored as JSON). `T` is the record's type, or a reference to it when writing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordChange<T> {
    /// The record's id in its table.
    pub entity_id: i64,
    /// What the batch did.
    pub action: ChangeAction,
    /// The record before the change (none for a creation).
    pub before: Option<T>,
    /// The record after the change (none for a deletion).
    pub after: Option<T>,
}

/// The `entity` of a kind's journal rows: `company` (as the first journals wrote it),
/// `contact`, `project`.
fn journal_entity(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Company => "company",
        RecordKind::Contact => "contact",
        RecordKind::Project => "project",
        // A kind added later is journaled under its plural key.
        _ => kind.as_str(),
    }
}

/// The kind of a stored journal `entity`.
fn journal_kind(entity: &str) -> Option<RecordKind> {
    RecordKind::ALL
        .into_iter()
        .find(|kind| journal_entity(*kind) == entity)
}

fn action_from_stored(stored: &str) -> Result<ChangeAction> {
    ChangeAction::from_stored(stored).ok_or_else(|| PersistenceError::Corrupt {
        table: "import_batch_changes",
        column: "action",
        value: stored.to_owned(),
    })
}

fn image<T: Serialize>(column: &'static str, record: Option<&T>) -> Result<Option<String>> {
    record
        .map(|record| {
            serde_json::to_string(record).map_err(|error| PersistenceError::Corrupt {
                table: "import_batch_changes",
                column,
                value: error.to_string(),
            })
        })
        .transpose()
}

fn read_image<T: DeserializeOwned>(
    column: &'static str,
    stored: Option<String>,
) -> Result<Option<T>> {
    stored
        .map(|text| {
            serde_json::from_str(&text).map_err(|_| PersistenceError::Corrupt {
                table: "import_batch_changes",
                column,
                value: text.chars().take(80).collect(),
            })
        })
        .transpose()
}

impl Store {
    /// Starts a batch (status applied, no finish time yet) and returns its id. Call it inside
    /// the transaction that makes the batch's changes.
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`] on database failure.
    pub fn start_batch(&mut self, batch: &NewBatch<'_>) -> Result<ImportBatchId> {
        let id: i64 = with_conn!(self, c => diesel::insert_into(import_batches::table)
            .values((
                import_batches::kind.eq(batch.kind.as_str()),
                import_batches::started_by.eq(batch.started_by.0),
                import_batches::started_at.eq(now()),
                import_batches::status.eq(BatchStatus::Applied.as_str()),
                import_batches::choices.eq(batch.choices),
                import_batches::reverts.eq(batch.reverts.map(|b| b.0)),
            ))
            .returning(import_batches::id)
            .get_result(c))?;
        Ok(ImportBatchId(id))
    }

    /// Records a batch's counts and finish time.
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`] on database failure.
    pub fn finish_batch(&mut self, id: ImportBatchId, counts: &BatchCounts) -> Result<()> {
        let as_i64 = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        with_conn!(self, c => diesel::update(import_batches::table.find(id.0))
            .set((
                import_batches::finished_at.eq(now()),
                import_batches::created_count.eq(as_i64(counts.created)),
                import_batches::updated_count.eq(as_i64(counts.updated)),
                import_batches::unchanged_count.eq(as_i64(counts.unchanged)),
                import_batches::skipped_count.eq(as_i64(counts.skipped)),
                import_batches::rejected_count.eq(as_i64(counts.rejected)),
            ))
            .execute(c))?;
        Ok(())
    }

    /// Records a batch's counts per kind of record (see [`ImportBatch::counts_by_kind`]).
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`] on database failure.
    pub fn set_batch_counts_by_kind(
        &mut self,
        id: ImportBatchId,
        counts: &std::collections::BTreeMap<RecordKind, BatchCounts>,
    ) -> Result<()> {
        let json = serde_json::to_string(counts).map_err(|error| PersistenceError::Corrupt {
            table: "import_batches",
            column: "counts_by_kind",
            value: error.to_string(),
        })?;
        with_conn!(self, c => diesel::update(import_batches::table.find(id.0))
            .set(import_batches::counts_by_kind.eq(Some(&json)))
            .execute(c))?;
        Ok(())
    }

    /// Marks an import batch undone by the undo batch `undo`.
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`] on database failure.
    pub fn mark_batch_undone(&mut self, id: ImportBatchId, undo: ImportBatchId) -> Result<()> {
        with_conn!(self, c => diesel::update(import_batches::table.find(id.0))
            .set((
                import_batches::status.eq(BatchStatus::Undone.as_str()),
                import_batches::undone_by.eq(undo.0),
            ))
            .execute(c))?;
        Ok(())
    }

    /// Records the files of a batch, in order.
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`] on database failure.
    pub fn add_batch_files(&mut self, id: ImportBatchId, files: &[BatchFile]) -> Result<()> {
        for (position, file) in files.iter().enumerate() {
            let position = i32::try_from(position).unwrap_or(i32::MAX);
            with_conn!(self, c => diesel::insert_into(import_batch_files::table)
                .values((
                    import_batch_files::batch_id.eq(id.0),
                    import_batch_files::position.eq(position),
                    import_batch_files::name.eq(&file.name),
                    import_batch_files::size_bytes.eq(file.size_bytes),
                    import_batch_files::sha256.eq(&file.sha256),
                    import_batch_files::sheet.eq(file.sheet.as_deref()),
                    import_batch_files::header_row.eq(file.header_row),
                    import_batch_files::mapping.eq(&file.mapping),
                    import_batch_files::choices.eq(file.choices.as_deref()),
                ))
                .execute(c))?;
        }
        Ok(())
    }

    /// Journals what a batch did to records of one kind, with before and after images (any
    /// serializable value; [`Store::batch_changes`] reads them back as the same type).
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`] on database failure; [`PersistenceError::Corrupt`] when an
    /// image cannot be serialized.
    pub fn record_changes<T: Serialize>(
        &mut self,
        id: ImportBatchId,
        kind: RecordKind,
        changes: &[RecordChange<T>],
    ) -> Result<()> {
        if let Some(refs) = &mut self.unchecked
            && !changes.is_empty()
        {
            refs.batches.insert(id.0);
        }
        let entity = journal_entity(kind);
        for chunk in changes.chunks(CHANGES_PER_STATEMENT) {
            let rows = chunk
                .iter()
                .map(|change| {
                    Ok(NewChangeRow {
                        batch_id: id.0,
                        entity,
                        entity_id: change.entity_id,
                        action: change.action.as_str(),
                        before_image: image("before_image", change.before.as_ref())?,
                        after_image: image("after_image", change.after.as_ref())?,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            with_conn!(self, c => diesel::insert_into(import_batch_changes::table)
                .values(&rows)
                .execute(c))?;
        }
        Ok(())
    }

    /// Journals what a batch did to companies, with before and after images.
    ///
    /// # Errors
    ///
    /// As [`Store::record_changes`].
    pub fn record_company_changes(
        &mut self,
        id: ImportBatchId,
        changes: &[CompanyChange],
    ) -> Result<()> {
        let changes: Vec<RecordChange<&Company>> = changes
            .iter()
            .map(|change| RecordChange {
                entity_id: change.company_id.0,
                action: change.action,
                before: change.before.as_ref(),
                after: change.after.as_ref(),
            })
            .collect();
        self.record_changes(id, RecordKind::Company, &changes)
    }

    /// The batch with `id`, if any.
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`], [`PersistenceError::Corrupt`].
    pub fn batch(&mut self, id: ImportBatchId) -> Result<Option<ImportBatch>> {
        let row: Option<BatchRow> = with_conn!(self, c => import_batches::table
            .find(id.0)
            .select(BatchRow::as_select())
            .first(c)
            .optional())?;
        row.map(BatchRow::into_domain).transpose()
    }

    /// The batch with `id`, or [`DomainError::NotFound`].
    ///
    /// # Errors
    ///
    /// [`DomainError::NotFound`], [`PersistenceError::Query`], [`PersistenceError::Corrupt`].
    pub fn require_batch(&mut self, id: ImportBatchId) -> Result<ImportBatch> {
        self.batch(id)?.ok_or_else(|| {
            DomainError::NotFound {
                entity: Entity::ImportBatch,
                key: id.to_string(),
            }
            .into()
        })
    }

    /// Every batch, newest first.
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`], [`PersistenceError::Corrupt`].
    pub fn batches(&mut self) -> Result<Vec<ImportBatch>> {
        let rows: Vec<BatchRow> = with_conn!(self, c => import_batches::table
            .select(BatchRow::as_select())
            .order(import_batches::id.desc())
            .load(c))?;
        rows.into_iter().map(BatchRow::into_domain).collect()
    }

    /// The files of a batch, in order.
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`] on database failure.
    pub fn batch_files(&mut self, id: ImportBatchId) -> Result<Vec<BatchFile>> {
        let rows: Vec<FileRow> = with_conn!(self, c => import_batch_files::table
            .filter(import_batch_files::batch_id.eq(id.0))
            .order(import_batch_files::position.asc())
            .select(FileRow::as_select())
            .load(c))?;
        Ok(rows
            .into_iter()
            .map(|row| BatchFile {
                name: row.name,
                size_bytes: row.size_bytes,
                sha256: row.sha256,
                sheet: row.sheet,
                header_row: row.header_row,
                mapping: row.mapping,
                choices: row.choices,
            })
            .collect())
    }

    /// The journal of a batch for one kind of record, in the order it was written, with the
    /// images read as `T`.
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`]; [`PersistenceError::Corrupt`] for an unknown action or an
    /// image that is not a `T`.
    pub fn batch_changes<T: DeserializeOwned>(
        &mut self,
        id: ImportBatchId,
        kind: RecordKind,
    ) -> Result<Vec<RecordChange<T>>> {
        let rows: Vec<ChangeRow> = with_conn!(self, c => import_batch_changes::table
            .filter(import_batch_changes::batch_id.eq(id.0))
            .filter(import_batch_changes::entity.eq(journal_entity(kind)))
            .order(import_batch_changes::id.asc())
            .select(ChangeRow::as_select())
            .load(c))?;
        rows.into_iter()
            .map(|row| {
                Ok(RecordChange {
                    entity_id: row.entity_id,
                    action: action_from_stored(&row.action)?,
                    before: read_image("before_image", row.before_image)?,
                    after: read_image("after_image", row.after_image)?,
                })
            })
            .collect()
    }

    /// The company journal of a batch, in the order it was written.
    ///
    /// # Errors
    ///
    /// As [`Store::batch_changes`].
    pub fn batch_company_changes(&mut self, id: ImportBatchId) -> Result<Vec<CompanyChange>> {
        Ok(self
            .batch_changes::<Company>(id, RecordKind::Company)?
            .into_iter()
            .map(|change| CompanyChange {
                company_id: CompanyId(change.entity_id),
                action: change.action,
                before: change.before,
                after: change.after,
            })
            .collect())
    }

    /// How many journal entries a batch has per kind of record and action (one grouped
    /// query); pairs without entries are absent.
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`]; [`PersistenceError::Corrupt`] for an unknown kind or
    /// action.
    pub fn batch_change_counts(
        &mut self,
        id: ImportBatchId,
    ) -> Result<HashMap<(RecordKind, ChangeAction), u64>> {
        let rows: Vec<(String, String, i64)> = with_conn!(self, c => import_batch_changes::table
            .filter(import_batch_changes::batch_id.eq(id.0))
            .group_by((import_batch_changes::entity, import_batch_changes::action))
            .select((
                import_batch_changes::entity,
                import_batch_changes::action,
                diesel::dsl::count_star(),
            ))
            .load(c))?;
        rows.into_iter()
            .map(|(entity, action, n)| {
                let kind = journal_kind(&entity).ok_or_else(|| PersistenceError::Corrupt {
                    table: "import_batch_changes",
                    column: "entity",
                    value: entity.clone(),
                })?;
                Ok(((kind, action_from_stored(&action)?), count(n)))
            })
            .collect()
    }

    /// The applied import batches that read a file with this SHA-256, newest first.
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`] on database failure.
    pub fn applied_batches_with_file(&mut self, sha256: &str) -> Result<Vec<ImportBatchId>> {
        let ids: Vec<i64> = with_conn!(self, c => import_batch_files::table
            .inner_join(import_batches::table)
            .filter(import_batch_files::sha256.eq(sha256))
            .filter(import_batches::status.eq(BatchStatus::Applied.as_str()))
            .filter(import_batches::kind.eq(BatchKind::Import.as_str()))
            .select(import_batches::id)
            .distinct()
            .order(import_batches::id.desc())
            .load(c))?;
        Ok(ids.into_iter().map(ImportBatchId).collect())
    }
}
