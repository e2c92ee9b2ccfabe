//! Import batches: the journal of every applied import and undo.

use crate::{Company, CompanyId, ImportBatchId, Lang, UserId};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a batch did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum BatchKind {
    /// An import of one or more files.
    Import,
    /// The undo of an earlier batch.
    Undo,
}

impl BatchKind {
    /// The stable name as stored: `import` or `undo`.
    pub fn as_str(self) -> &'static str {
        match self {
            BatchKind::Import => "import",
            BatchKind::Undo => "undo",
        }
    }

    /// The name people read, in `lang`: "tuonti", "import", "import"; "peruminen",
    /// "ångring", "undo".
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (BatchKind::Import, Lang::Fi) => "tuonti",
            (BatchKind::Import, Lang::Sv | Lang::En) => "import",
            (BatchKind::Undo, Lang::Fi) => "peruminen",
            (BatchKind::Undo, Lang::Sv) => "ångring",
            (BatchKind::Undo, Lang::En) => "undo",
        }
    }

    /// Parses the stored name.
    pub fn from_stored(stored: &str) -> Option<Self> {
        match stored {
            "import" => Some(BatchKind::Import),
            "undo" => Some(BatchKind::Undo),
            _ => None,
        }
    }
}

impl fmt::Display for BatchKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a batch still stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum BatchStatus {
    /// Its changes are in the database.
    Applied,
    /// A later undo batch reverted it.
    Undone,
}

impl BatchStatus {
    /// The stable name as stored: `applied` or `undone`.
    pub fn as_str(self) -> &'static str {
        match self {
            BatchStatus::Applied => "applied",
            BatchStatus::Undone => "undone",
        }
    }

    /// The name people read, in `lang`: "tehty", "genomförd", "applied"; "peruttu",
    /// "ångrad", "undone".
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (BatchStatus::Applied, Lang::Fi) => "tehty",
            (BatchStatus::Applied, Lang::Sv) => "genomförd",
            (BatchStatus::Applied, Lang::En) => "applied",
            (BatchStatus::Undone, Lang::Fi) => "peruttu",
            (BatchStatus::Undone, Lang::Sv) => "ångrad",
            (BatchStatus::Undone, Lang::En) => "undone",
        }
    }

    /// Parses the stored name.
    pub fn from_stored(stored: &str) -> Option<Self> {
        match stored {
            "applied" => Some(BatchStatus::Applied),
            "undone" => Some(BatchStatus::Undone),
            _ => None,
        }
    }
}

impl fmt::Display for BatchStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How many rows of a batch ended in each outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchCounts {
    /// New records.
    pub created: u64,
    /// Existing records changed.
    pub updated: u64,
    /// Rows equal to what was stored.
    pub unchanged: u64,
    /// Duplicates left alone by the policy.
    pub skipped: u64,
    /// Rows refused for their errors.
    pub rejected: u64,
}

/// A stored import batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportBatch {
    /// The stored id.
    pub id: ImportBatchId,
    /// Import or undo.
    pub kind: BatchKind,
    /// The admin who ran it.
    pub started_by: UserId,
    /// When it started (UTC).
    pub started_at: NaiveDateTime,
    /// When it was committed (UTC).
    pub finished_at: Option<NaiveDateTime>,
    /// Applied or undone.
    pub status: BatchStatus,
    /// The choices of the import (type, group, manager, policy, ...), as JSON written by the
    /// importer.
    pub choices: String,
    /// The outcome counts.
    pub counts: BatchCounts,
    /// The outcome counts of each kind of record (empty for batches recorded before kinds
    /// were counted apart, which hold companies only).
    pub counts_by_kind: std::collections::BTreeMap<crate::RecordKind, BatchCounts>,
    /// For an undo: the batch it reverted. For an undone import: `None`; see `undone_by`.
    pub reverts: Option<ImportBatchId>,
    /// For an undone import: the undo batch.
    pub undone_by: Option<ImportBatchId>,
}

/// One file of an import batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchFile {
    /// The file's name as given (no directories).
    pub name: String,
    /// Its size in bytes.
    pub size_bytes: i64,
    /// Its SHA-256, lower-case hex.
    pub sha256: String,
    /// The sheet read.
    pub sheet: Option<String>,
    /// The 1-based header row.
    pub header_row: Option<i32>,
    /// The column mapping used, as JSON written by the importer.
    pub mapping: String,
    /// What the file's rows started from (company type, customer group, managers: the file's
    /// own choices over the import's), as JSON written by the importer; `None` in batches
    /// recorded before files had choices.
    pub choices: Option<String>,
}

/// What a batch did to one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ChangeAction {
    /// The batch created the record.
    Created,
    /// The batch changed the record.
    Updated,
    /// The batch deleted the record (an undo of a creation).
    Deleted,
}

impl ChangeAction {
    /// The stable name as stored: `created`, `updated` or `deleted`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeAction::Created => "created",
            ChangeAction::Updated => "updated",
            ChangeAction::Deleted => "deleted",
        }
    }

    /// Parses the stored name.
    pub fn from_stored(stored: &str) -> Option<Self> {
        match stored {
            "created" => Some(ChangeAction::Created),
            "updated" => Some(ChangeAction::Updated),
            "deleted" => Some(ChangeAction::Deleted),
            _ => None,
        }
    }
}

/// One company a batch created, changed or deleted, with the record before and after: the
/// journal an undo works from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyChange {
    /// The company.
    pub company_id: CompanyId,
    /// What the batch did.
    pub action: ChangeAction,
    /// The record before the change (none for a creation).
    pub before: Option<Company>,
    /// The record after the change (none for a deletion).
    pub after: Option<Company>,
}
