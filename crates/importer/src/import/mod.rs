//! The import: the seed's five steps as a dry-run [`plan`] and an all-or-nothing [`apply`],
//! with duplicates, per-row overrides, history and [`undo`].
//!
//! 1. [`ImportFile`]s are read (any spreadsheet format or CSV), their data found and their
//!    columns mapped (`tuonti-excel-template`), every row validated (`tuonti-validation`).
//! 2. [`ImportChoices`] (company type, customer group, account manager, the acting admin,
//!    duplicate policy, default country) are resolved; per-row columns override them.
//! 3. Duplicates are found within the files and against the database, by business ID, else by
//!    normalized name within the same country, and the [`DuplicatePolicy`] decides.
//! 4. The [`Plan`] says for every row: create, update (each field before and after),
//!    unchanged, skip or reject, with its issues. Planning writes nothing.
//! 5. [`apply`] writes the plan in one transaction as an import batch with a journal of
//!    before-images; [`undo`] reverts a batch.

mod apply;
mod choices;
mod plan;
mod undo;

pub use apply::{Applied, apply};
pub use choices::{DuplicatePolicy, GroupTarget, ImportChoices, ResolvedChoices, resolve};
pub use plan::{
    FieldChange, ImportFile, ImportRequest, Plan, PlanProgress, PlannedFile, PlannedRow, RowAction,
    plan, plan_with_progress,
};
pub use undo::{UndoConflict, UndoOutcome, undo};
