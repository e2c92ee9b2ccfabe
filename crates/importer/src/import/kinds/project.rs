//! Projects: matched by project number, which belongs to one company for good.

use super::contact::company_columns;
use super::references::{resolve_companies, resolve_contacts};
use super::{
    CompanyHandle, ContactHandle, Context, CreatedOnce, FirstSeen, KindRules, Place, RowTargets,
    StoredRecord, decide_by_policy, journal_updates, missing_column, refused_issue, text_change,
};
use crate::Result;
use crate::import::plan::{FieldChange, PlannedRow, RowAction};
use crate::import::values::LinkField;
use crate::import::{BranchTarget, DuplicatePolicy};
use std::collections::HashMap;
use tuonti_domain::{
    BranchId, FieldKey, ImportBatchId, Issue, IssueCode, LocalizedText, Project, ProjectFields,
    ProjectStatus, RecordKind, UserId,
};
use tuonti_excel_template::Layout;
use tuonti_persistence::{NewProjectRef, Store};

const MANAGER_UNKNOWN: IssueCode = IssueCode::new("project_manager.unknown");
const BRANCH_UNKNOWN: IssueCode = IssueCode::new("branch.unknown");
const NUMBER_TAKEN: IssueCode = IssueCode::new("project_number.taken");

/// The project rules' state for one import.
pub(crate) struct ProjectRules {
    /// Whether any project was stored when the import began (else a project number can be
    /// taken only by this import, whose repeats are rejected).
    stored_before: bool,
    /// The first row of each project number of the import.
    seen_numbers: HashMap<String, FirstSeen>,
    /// Branches looked up or created while writing.
    branches: CreatedOnce<BranchId>,
}

impl ProjectRules {
    pub(crate) fn new(stored_before: bool) -> Self {
        Self {
            stored_before,
            seen_numbers: HashMap::new(),
            branches: CreatedOnce::default(),
        }
    }
}

fn fields(row: &PlannedRow) -> Option<&ProjectFields> {
    row.values.as_project()
}

impl KindRules for ProjectRules {
    fn check_columns(&self, file: &str, layout: &Layout) -> Result<()> {
        for (field, map_as, what) in [
            (
                FieldKey::ProjectNumber,
                "project_number",
                [
                    "projektinumero",
                    "projektnumret",
                    "the project's project number",
                ],
            ),
            (
                FieldKey::ProjectName,
                "project_name",
                [
                    "projektin nimi",
                    "projektets namn",
                    "the project's project name",
                ],
            ),
        ] {
            if layout.mapping.column_of(field).is_none() {
                return Err(missing_column(file, layout, what, &[field], map_as));
            }
        }
        company_columns(file, layout)
    }

    fn resolve_row(
        &mut self,
        cx: &mut Context<'_>,
        row: &mut PlannedRow,
        place: &Place<'_>,
    ) -> Result<()> {
        // The file's project manager, unless the row names its own.
        let mut manager: Option<UserId> = place.defaults.project_manager.as_ref().map(|u| u.id);
        if let Some(key) = &row.overrides.project_manager {
            match cx.link(
                place,
                row.row,
                LinkField::ProjectManager,
                key,
                |cache, store, key| cache.manager(store, key),
            )? {
                Ok(id) => manager = Some(id),
                Err(error) => {
                    manager = None;
                    let cell = place.field_cell(row.row, FieldKey::ProjectManager);
                    row.issues
                        .push(refused_issue(MANAGER_UNKNOWN, &error, cell));
                }
            }
        }
        let mut branch = None;
        if let Some(name) = &row.overrides.branch {
            let create = cx.choices.choices.create_branches;
            match cx.link(
                place,
                row.row,
                LinkField::Branch,
                name,
                |cache, store, name| cache.branch(store, name, create),
            )? {
                Ok(target) => branch = Some(target),
                Err(error) => {
                    let cell = place.field_cell(row.row, FieldKey::Branch);
                    row.issues.push(refused_issue(BRANCH_UNKNOWN, &error, cell));
                }
            }
        }
        row.targets = RowTargets::Project {
            company: None,
            project_manager_id: manager,
            branch,
            contact: None,
        };
        if row.has_errors() {
            return Ok(());
        }
        let Some(number) = fields(row).map(|values| values.project_number.clone()) else {
            return Ok(());
        };
        match self.seen_numbers.get(&number) {
            Some(first) => {
                let issue = cx.places.repeated_issue(
                    first,
                    place,
                    ("projektinumero", "projektnummer", "project number"),
                    &number,
                    place.field_cell(row.row, FieldKey::ProjectNumber),
                );
                row.issues.push(issue);
            }
            None => {
                self.seen_numbers
                    .insert(number, place.seen(row.row, FieldKey::ProjectNumber));
            }
        }
        Ok(())
    }

    fn match_chunk(
        &mut self,
        cx: &mut Context<'_>,
        rows: &mut [PlannedRow],
        place: &Place<'_>,
    ) -> Result<()> {
        resolve_companies(cx, rows, place)?;
        resolve_contacts(cx, rows, place)?;
        let numbers: Vec<&str> = rows
            .iter()
            .filter(|row| row.action != RowAction::Reject)
            .filter_map(|row| fields(row).map(|values| values.project_number.as_str()))
            .collect();
        let mut stored: HashMap<String, Project> = HashMap::new();
        if self.stored_before && !numbers.is_empty() {
            for project in cx.store.projects_by_numbers(&numbers)? {
                stored.insert(project.fields.project_number.clone(), project);
            }
        }
        let policy = cx.choices.choices.on_duplicate;
        for row in rows.iter_mut() {
            if row.action == RowAction::Reject {
                continue;
            }
            let Some(number) = fields(row).map(|values| values.project_number.clone()) else {
                continue;
            };
            let Some(existing) = stored.remove(&number) else {
                continue;
            };
            if row.targets.company() != Some(CompanyHandle::Stored(existing.company_id)) {
                let company = cx
                    .store
                    .companies_by_ids(&[existing.company_id])?
                    .into_iter()
                    .next()
                    .map_or_else(|| format!("#{}", existing.company_id), |c| c.fields.name);
                row.issues.push(
                    Issue::error(
                        NUMBER_TAKEN,
                        LocalizedText::new(
                            format!("Projektinumero {number:?} on jo tallennettu toisen yrityksen ({company}) projektille; projektia ei siirretä yritykseltä toiselle."),
                            format!("Projektnumret {number:?} är redan sparat för ett annat företags projekt ({company}); ett projekt flyttas aldrig från ett företag till ett annat."),
                            format!("Project number {number:?} is stored already for another company's project ({company}); a project is never moved from one company to another."),
                        ),
                    )
                    .at(place.field_cell(row.row, FieldKey::ProjectNumber)),
                );
                row.action = RowAction::Reject;
                continue;
            }
            decide(cx, row, existing, policy);
        }
        Ok(())
    }

    fn write_chunk(
        &mut self,
        cx: &mut Context<'_>,
        rows: &[PlannedRow],
        batch: ImportBatchId,
    ) -> Result<()> {
        let mut new = Vec::new();
        for row in rows.iter().filter(|row| row.action == RowAction::Create) {
            let (
                Some(values),
                RowTargets::Project {
                    company: Some(CompanyHandle::Stored(company_id)),
                    project_manager_id,
                    branch,
                    contact,
                },
            ) = (fields(row), &row.targets)
            else {
                continue;
            };
            let branch_id = self.branch_id(cx.store, branch.as_ref(), batch)?;
            new.push(NewProjectRef {
                company_id: *company_id,
                fields: values,
                project_manager_id: *project_manager_id,
                branch_id,
                contact_id: stored_contact(*contact),
                created_by_batch: Some(batch),
            });
        }
        if !new.is_empty() {
            cx.store.insert_new_projects(&new)?;
        }
        let mut befores: Vec<&Project> = Vec::new();
        let mut desired: Vec<Project> = Vec::new();
        for row in rows.iter().filter(|row| row.action == RowAction::Update) {
            let Some(StoredRecord::Project(existing)) = row.existing.as_deref() else {
                continue;
            };
            let mut project = updated_project(row, existing);
            if row
                .changes
                .iter()
                .any(|change| change.field == FieldKey::Branch.as_str())
                && let RowTargets::Project { branch, .. } = &row.targets
            {
                project.branch_id = self.branch_id(cx.store, branch.as_ref(), batch)?;
            }
            project.updated_by_batch = Some(batch);
            befores.push(existing);
            desired.push(project);
        }
        if desired.is_empty() {
            return Ok(());
        }
        let stored = cx.store.update_projects(&desired)?;
        journal_updates(
            cx.store,
            batch,
            RecordKind::Project,
            befores,
            stored,
            |project| project.id.get(),
        )
    }

    fn created_branches(&mut self) -> Vec<String> {
        self.branches.take_created()
    }
}

impl ProjectRules {
    /// The stored id of a row's branch, creating a new branch (recorded as the batch's) the
    /// first time it is needed.
    fn branch_id(
        &mut self,
        store: &mut Store,
        target: Option<&BranchTarget>,
        batch: ImportBatchId,
    ) -> Result<Option<BranchId>> {
        match target {
            None => Ok(None),
            Some(BranchTarget::Existing(id)) => Ok(Some(*id)),
            Some(BranchTarget::New(name)) => self
                .branches
                .get_or_create(
                    store,
                    name,
                    |store| Ok(store.branch_by_name(name)?.map(|branch| branch.id)),
                    |store| {
                        let branch = store.add_branch(name, Some(batch))?;
                        Ok((branch.id, branch.name))
                    },
                )
                .map(Some),
        }
    }
}

fn stored_contact(contact: Option<ContactHandle>) -> Option<tuonti_domain::ContactId> {
    match contact {
        Some(ContactHandle::Stored(id)) => Some(id),
        _ => None,
    }
}

fn date_text(date: Option<chrono::NaiveDate>) -> Option<String> {
    date.map(|date| date.format("%-d.%-m.%Y").to_string())
}

fn decide(cx: &Context<'_>, row: &mut PlannedRow, existing: Project, policy: DuplicatePolicy) {
    let overwrite = changes(cx, row, &existing, false);
    let fill = if policy == DuplicatePolicy::FillEmpty {
        changes(cx, row, &existing, true)
    } else {
        Vec::new()
    };
    let describe = format!(
        "{} {}",
        existing.fields.project_number, existing.fields.name
    );
    decide_by_policy(row, policy, overwrite, fill, &describe);
    row.existing = Some(Box::new(StoredRecord::Project(existing)));
}

fn changes(
    cx: &Context<'_>,
    row: &PlannedRow,
    stored: &Project,
    fill_only: bool,
) -> Vec<FieldChange> {
    let Some(values) = fields(row) else {
        return Vec::new();
    };
    let old = &stored.fields;
    let mut out = Vec::new();
    if !fill_only && values.name != old.name {
        out.push(FieldChange {
            field: FieldKey::ProjectName.as_str(),
            before: Some(old.name.clone()),
            after: Some(values.name.clone()),
        });
    }
    let status = |status: Option<ProjectStatus>| status.map(|status| status.as_str().to_owned());
    let money = |cents: Option<i64>| cents.map(tuonti_validation::format_cents);
    let texts = [
        (FieldKey::Status, status(old.status), status(values.status)),
        (
            FieldKey::StartDate,
            date_text(old.start_date),
            date_text(values.start_date),
        ),
        (
            FieldKey::EndDate,
            date_text(old.end_date),
            date_text(values.end_date),
        ),
        (
            FieldKey::Value,
            money(old.value_cents),
            money(values.value_cents),
        ),
        (
            FieldKey::Description,
            old.description.clone(),
            values.description.clone(),
        ),
    ];
    for (field, before, after) in texts {
        out.extend(text_change(
            field.as_str(),
            before.as_deref(),
            after.as_deref(),
            fill_only,
        ));
    }
    if let RowTargets::Project {
        project_manager_id,
        branch,
        contact,
        ..
    } = &row.targets
    {
        let stored_branch = stored.branch_id.map(BranchTarget::Existing);
        if branch.is_some() && *branch != stored_branch {
            let name = |target: Option<&BranchTarget>| match target {
                Some(BranchTarget::Existing(id)) => Some(format!("#{id}")),
                Some(BranchTarget::New(name)) => Some(name.clone()),
                None => None,
            };
            out.extend(text_change(
                FieldKey::Branch.as_str(),
                name(stored_branch.as_ref()).as_deref(),
                row.overrides
                    .branch
                    .as_deref()
                    .or(name(branch.as_ref()).as_deref()),
                fill_only,
            ));
        }
        let user = |id: Option<UserId>| id.and_then(|id| cx.names.users.get(&id).cloned());
        if project_manager_id.is_some() && *project_manager_id != stored.project_manager_id {
            out.extend(text_change(
                FieldKey::ProjectManager.as_str(),
                user(stored.project_manager_id).as_deref(),
                user(*project_manager_id).as_deref(),
                fill_only,
            ));
        }
        if contact.is_some() && stored_contact(*contact) != stored.contact_id {
            out.extend(text_change(
                FieldKey::ContactPerson.as_str(),
                stored.contact_id.map(|id| format!("#{id}")).as_deref(),
                row.overrides.contact_person.as_deref(),
                fill_only,
            ));
        }
    }
    out
}

/// The project a planned update leads to: the stored one with the row's changes.
fn updated_project(row: &PlannedRow, existing: &Project) -> Project {
    let mut project = existing.clone();
    let Some(values) = fields(row) else {
        return project;
    };
    for change in &row.changes {
        match change.field.parse::<FieldKey>() {
            Ok(FieldKey::ProjectName) => project.fields.name = values.name.clone(),
            Ok(FieldKey::Status) => project.fields.status = values.status,
            Ok(FieldKey::StartDate) => project.fields.start_date = values.start_date,
            Ok(FieldKey::EndDate) => project.fields.end_date = values.end_date,
            Ok(FieldKey::Value) => project.fields.value_cents = values.value_cents,
            Ok(FieldKey::Description) => project.fields.description = values.description.clone(),
            Ok(FieldKey::ProjectManager) => {
                if let RowTargets::Project {
                    project_manager_id, ..
                } = &row.targets
                {
                    project.project_manager_id = *project_manager_id;
                }
            }
            Ok(FieldKey::ContactPerson) => {
                if let RowTargets::Project { contact, .. } = &row.targets {
                    project.contact_id = stored_contact(*contact);
                }
            }
            _ => {}
        }
    }
    project
}
