//! Applying a plan in one transaction, as an import batch with a journal.

use super::plan::{PlannedRow, RowAction, updated_company};
use super::{GroupTarget, Plan};
use crate::{Error, Result};
use serde::Serialize;
use std::collections::HashMap;
use tuonti_domain::{
    BatchFile, BatchKind, ChangeAction, Company, CompanyChange, CustomerGroupId, DomainError,
    ImportBatchId, NewCompany, name_key,
};
use tuonti_persistence::{NewBatch, Store};

/// What [`apply`] wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Applied {
    /// The batch that records the import.
    pub batch_id: ImportBatchId,
    /// The customer groups the import created.
    pub created_groups: Vec<String>,
}

/// Writes a plan in one transaction: creates its new groups, creates and updates its
/// companies, and records the batch (choices, files, counts, before-images).
///
/// All or nothing: with rejected rows and without `skip_invalid` nothing is written. A company
/// that another import created or changed after planning fails the whole apply with a message
/// that says so; plan again.
///
/// # Errors
///
/// [`DomainError::Refused`] when rows are rejected and `skip_invalid` is off, or when the
/// database changed since planning; [`Error::Persistence`] when the database fails (nothing is
/// written).
pub fn apply(store: &mut Store, plan: &Plan) -> Result<Applied> {
    if plan.has_rejected_rows() && !plan.choices.choices.skip_invalid {
        return Err(Error::Domain(DomainError::Refused(format!(
            "{} row{} rejected; nothing was imported. Fix them (see the error workbook) or \
             import only the valid rows with --skip-invalid",
            plan.counts.rejected,
            if plan.counts.rejected == 1 {
                " is"
            } else {
                "s are"
            }
        ))));
    }
    let choices_json = serde_json::to_string(&plan.choices.choices)
        .map_err(|error| Error::Domain(DomainError::Refused(error.to_string())))?;
    store.transaction(|store| {
        let batch_id = store.start_batch(&NewBatch {
            kind: BatchKind::Import,
            started_by: plan.choices.acting_admin.id,
            choices: &choices_json,
            reverts: None,
        })?;
        let mut group_ids: HashMap<String, CustomerGroupId> = HashMap::new();
        let mut created_groups = Vec::new();
        for name in &plan.new_groups {
            let group = match store.customer_group_by_name(name)? {
                Some(existing) => existing,
                None => {
                    let group = store.add_customer_group(name, Some(batch_id))?;
                    created_groups.push(group.name.clone());
                    group
                }
            };
            group_ids.insert(name_key(name), group.id);
        }
        let group_id = |target: Option<&GroupTarget>| -> Option<CustomerGroupId> {
            match target {
                Some(GroupTarget::Existing(id)) => Some(*id),
                Some(GroupTarget::New(name)) => group_ids.get(&name_key(name)).copied(),
                None => None,
            }
        };

        let creates: Vec<&PlannedRow> = plan
            .rows
            .iter()
            .filter(|row| row.action == RowAction::Create)
            .collect();
        check_still_new(store, &creates)?;
        let mut new_companies = Vec::with_capacity(creates.len());
        for row in &creates {
            let (Some(company_type_id), Some(account_manager_id)) =
                (row.company_type_id, row.account_manager_id)
            else {
                continue;
            };
            new_companies.push(NewCompany {
                fields: row.company.clone(),
                company_type_id,
                customer_group_id: group_id(row.customer_group.as_ref()),
                account_manager_id,
                created_by_batch: Some(batch_id),
            });
        }
        let created = store
            .insert_companies(&new_companies)
            .map_err(|error| match error {
                tuonti_persistence::PersistenceError::Domain(DomainError::Conflict { .. }) => {
                    Error::Domain(DomainError::Refused(
                        "another import stored some of these companies meanwhile; nothing was \
                         imported. Run the import again to plan against the current data"
                            .into(),
                    ))
                }
                other => other.into(),
            })?;
        let mut journal: Vec<CompanyChange> = created
            .into_iter()
            .map(|company| CompanyChange {
                company_id: company.id,
                action: ChangeAction::Created,
                before: None,
                after: Some(company),
            })
            .collect();

        let updates: Vec<&PlannedRow> = plan
            .rows
            .iter()
            .filter(|row| row.action == RowAction::Update)
            .collect();
        let current: HashMap<_, Company> = store
            .companies_by_ids(
                &updates
                    .iter()
                    .filter_map(|row| row.existing.as_ref().map(|c| c.id))
                    .collect::<Vec<_>>(),
            )?
            .into_iter()
            .map(|company| (company.id, company))
            .collect();
        for row in updates {
            let Some(planned_from) = &row.existing else {
                continue;
            };
            let Some(now) = current.get(&planned_from.id) else {
                return Err(changed_meanwhile(&planned_from.fields.name));
            };
            if now != planned_from {
                return Err(changed_meanwhile(&planned_from.fields.name));
            }
            let mut desired = updated_company(row, now);
            if row.changes.iter().any(|c| c.field == "customer_group") {
                desired.customer_group_id = group_id(row.customer_group.as_ref());
            }
            desired.updated_by_batch = Some(batch_id);
            let stored = store.update_company(&desired)?;
            journal.push(CompanyChange {
                company_id: stored.id,
                action: ChangeAction::Updated,
                before: Some(now.clone()),
                after: Some(stored),
            });
        }
        store.record_company_changes(batch_id, &journal)?;

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
            })
            .collect();
        store.add_batch_files(batch_id, &files)?;
        store.finish_batch(batch_id, &plan.counts)?;
        Ok(Applied {
            batch_id,
            created_groups,
        })
    })
}

/// Refuses creating companies whose business ID another import stored after planning.
fn check_still_new(store: &mut Store, creates: &[&PlannedRow]) -> Result<()> {
    let business_ids: Vec<&str> = creates
        .iter()
        .filter_map(|row| row.company.business_id.as_deref())
        .collect();
    if business_ids.is_empty() {
        return Ok(());
    }
    let taken = store.companies_by_business_ids(&business_ids)?;
    if let Some(first) = taken.first() {
        return Err(Error::Domain(DomainError::Refused(format!(
            "{} of the companies to create were stored meanwhile by another import (e.g. {} {}); \
             nothing was imported. Run the import again to plan against the current data",
            taken.len(),
            first.fields.business_id.as_deref().unwrap_or_default(),
            first.fields.name
        ))));
    }
    Ok(())
}

fn changed_meanwhile(name: &str) -> Error {
    Error::Domain(DomainError::Refused(format!(
        "company {name:?} was changed after the import was planned; nothing was imported. Run \
         the import again to plan against the current data"
    )))
}
