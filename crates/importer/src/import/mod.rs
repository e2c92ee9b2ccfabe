//! The import: the seed's five steps as a dry-run [`plan`] and an all-or-nothing [`apply`],
//! with duplicates, per-row overrides, history and [`undo`].
//!
//! 1. [`ImportFile`]s are read (any spreadsheet format or CSV), their data found and their
//!    columns mapped (`tuonti-excel-template`), every row validated (`tuonti-validation`).
//! 2. [`ImportChoices`] (company type, customer group, account manager, the acting admin,
//!    duplicate policy, default country) are resolved; per-row columns override them.
//! 3. Duplicates are found within the files and against the database, by business ID, else by
//!    normalized name within the same country, and the [`DuplicatePolicy`] decides.
//! 4. [`plan`] (a dry run) says for every row: create, update (each field before and after),
//!    unchanged, skip or reject, with its issues, and writes nothing.
//! 5. [`apply`] runs the same pipeline inside one transaction and writes as it goes, as an
//!    import batch with a journal of before-images; [`undo`] reverts a batch.
//!
//! Rows stream through reading, validation, matching and writing in chunks: memory holds a
//! chunk, the rows with issues and a few samples, not the whole file.

mod apply;
mod choices;
mod fixes;
mod kinds;
mod plan;
mod rows;
mod undo;
mod values;

pub use apply::{Applied, apply, apply_with};
pub use choices::{
    BranchTarget, DuplicatePolicy, FileChoiceSummary, FileChoices, FileDefaults, GroupTarget,
    ImportChoices, ResolvedChoices, resolve, resolve_file,
};
pub use fixes::{CellFix, RecordedFix};
pub use kinds::{CompanyHandle, ContactHandle, RowTargets, StoredRecord};
pub use plan::{
    FieldChange, ImportFile, ImportRequest, KEPT_ISSUE_ROWS, KEPT_SAMPLE_ROWS, KEPT_UPDATES, Plan,
    PlanProgress, PlannedFile, PlannedRow, RowAction, plan, plan_with, plan_with_progress,
};
pub use rows::{ChosenRows, ChosenRowsError};
pub use undo::{UndoConflict, UndoOutcome, undo};
pub use values::{
    AcceptedSuggestion, FIRST_ROWS, LinkField, MAX_SUGGESTIONS, Suggestion, SuggestionReason,
    UnresolvedValue, ValueMappingError, ValueMappings, suggest_names, suggest_users,
};
