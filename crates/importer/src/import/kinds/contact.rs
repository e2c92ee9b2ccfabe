//! Contacts: matched within their company by email, else by full name.

use super::references::{contact_keys, resolve_companies, stored_contacts};
use super::{
    CompanyHandle, Context, FirstSeen, ImportedContact, KindRules, Place, StoredRecord,
    decide_by_policy, journal_updates, missing_column, text_change,
};
use crate::Result;
use crate::import::DuplicatePolicy;
use crate::import::plan::{FieldChange, PlannedRow, RowAction};
use std::collections::HashMap;
use tuonti_domain::{CompanyId, Contact, ContactFields, FieldKey, ImportBatchId, RecordKind};
use tuonti_excel_template::Layout;
use tuonti_persistence::NewContactRef;

/// The contact rules' state for one import.
pub(crate) struct ContactRules {
    /// The first row of each (company, key) of the import.
    seen: HashMap<(CompanyHandle, String), FirstSeen>,
    /// Whether any contact was stored when the import began (else no row can match a stored
    /// contact but one this import wrote, and a repeat of those is rejected).
    stored_before: bool,
    /// The import index's place of each row of the chunk being written (by row number).
    positions: HashMap<u32, u32>,
}

impl ContactRules {
    pub(crate) fn new(stored_before: bool) -> Self {
        Self {
            seen: HashMap::new(),
            stored_before,
            positions: HashMap::new(),
        }
    }
}

fn fields(row: &PlannedRow) -> Option<&ContactFields> {
    row.values.as_contact()
}

impl KindRules for ContactRules {
    fn check_columns(&self, file: &str, layout: &Layout) -> Result<()> {
        if layout.mapping.column_of(FieldKey::LastName).is_none() {
            return Err(missing_column(
                file,
                layout,
                [
                    "yhteyshenkilön sukunimi",
                    "kontaktpersonens efternamn",
                    "the contact's last name",
                ],
                &[FieldKey::LastName],
                "last_name",
            ));
        }
        company_columns(file, layout)
    }

    fn resolve_row(
        &mut self,
        _cx: &mut Context<'_>,
        _row: &mut PlannedRow,
        _place: &Place<'_>,
    ) -> Result<()> {
        // A contact's company (and so its keys) is resolved chunk by chunk, in batched lookups.
        Ok(())
    }

    fn match_chunk(
        &mut self,
        cx: &mut Context<'_>,
        rows: &mut [PlannedRow],
        place: &Place<'_>,
    ) -> Result<()> {
        resolve_companies(cx, rows, place)?;
        // Every row's email key and name key, computed once.
        let keys: Vec<Option<(Option<String>, String)>> = rows
            .iter()
            .map(|row| {
                fields(row).map(|values| contact_keys(values.email.as_deref(), &values.full_name()))
            })
            .collect();
        // Repeats within the import: the same email, or without one the same name, at the
        // same company.
        for (row, keys) in rows.iter_mut().zip(&keys) {
            if row.action == RowAction::Reject {
                continue;
            }
            let (Some(values), Some(company), Some((email, name))) =
                (fields(row), row.targets.company(), keys)
            else {
                continue;
            };
            let (key, field, what, shown) = match email {
                Some(email) => (
                    email.clone(),
                    FieldKey::Email,
                    (
                        "sähköposti samassa yrityksessä",
                        "e-post i samma företag",
                        "email at the same company",
                    ),
                    values.email.clone().unwrap_or_default(),
                ),
                None => (
                    name.clone(),
                    FieldKey::LastName,
                    (
                        "nimi samassa yrityksessä",
                        "namn i samma företag",
                        "name at the same company",
                    ),
                    values.full_name(),
                ),
            };
            match self.seen.get(&(company, key.clone())) {
                Some(first) => {
                    let issue = cx.places.repeated_issue(
                        first,
                        place,
                        what,
                        &shown,
                        place.field_cell(row.row, field),
                    );
                    row.issues.push(issue);
                    row.action = RowAction::Reject;
                }
                None => {
                    self.seen.insert((company, key), place.seen(row.row, field));
                }
            }
        }
        // Stored contacts of the rows' companies.
        let companies: Vec<CompanyId> = rows
            .iter()
            .filter(|row| row.action != RowAction::Reject)
            .filter_map(|row| match row.targets.company() {
                Some(CompanyHandle::Stored(id)) => Some(id),
                _ => None,
            })
            .collect();
        let mut stored = if self.stored_before {
            stored_contacts(cx, &companies)?
        } else {
            HashMap::new()
        };
        let policy = cx.choices.choices.on_duplicate;
        for (row, keys) in rows.iter_mut().zip(&keys) {
            if row.action == RowAction::Reject || stored.is_empty() {
                continue;
            }
            let (Some(values), Some(CompanyHandle::Stored(company_id)), Some((email, name))) =
                (fields(row), row.targets.company(), keys)
            else {
                continue;
            };
            let existing = email
                .as_ref()
                .and_then(|email| stored.get_mut(&(company_id, email.clone())))
                .and_then(Vec::pop)
                .or_else(|| {
                    stored
                        .get_mut(&(company_id, name.clone()))
                        .and_then(Vec::pop)
                        // A namesake with another email is another person.
                        .filter(|contact| contact.fields.email.is_none() || values.email.is_none())
                });
            if let Some(existing) = existing {
                decide(row, existing, policy);
            }
        }
        self.positions.clear();
        if cx.index_contacts {
            for (row, keys) in rows.iter().zip(keys) {
                let (Some(company), Some((email, name))) = (row.targets.company(), keys) else {
                    continue;
                };
                let stored = match row.existing.as_deref() {
                    Some(StoredRecord::Contact(contact)) => Some(contact.id),
                    _ => None,
                };
                let position = cx.index.add_contact(
                    ImportedContact {
                        seen: place.seen(row.row, FieldKey::LastName),
                        rejected: row.action == RowAction::Reject,
                        stored,
                    },
                    company,
                    email.into_iter().chain(std::iter::once(name)),
                );
                self.positions.insert(row.row, position);
            }
        }
        Ok(())
    }

    fn write_chunk(
        &mut self,
        cx: &mut Context<'_>,
        rows: &[PlannedRow],
        batch: ImportBatchId,
    ) -> Result<()> {
        let mut new: Vec<NewContactRef<'_>> = Vec::new();
        let mut positions: Vec<Option<u32>> = Vec::new();
        for row in rows.iter().filter(|row| row.action == RowAction::Create) {
            if let (Some(values), Some(CompanyHandle::Stored(company_id))) =
                (fields(row), row.targets.company())
            {
                new.push(NewContactRef {
                    company_id,
                    fields: values,
                    created_by_batch: Some(batch),
                });
                positions.push(self.positions.get(&row.row).copied());
            }
        }
        if !new.is_empty() {
            let ids = cx.store.insert_new_contacts(&new)?;
            // Projects of this import name these contacts: the index gets their ids.
            for (position, id) in positions.into_iter().zip(ids) {
                if let Some(contact) =
                    position.and_then(|position| cx.index.contacts.get_mut(position as usize))
                {
                    contact.stored = Some(id);
                }
            }
        }
        let mut befores: Vec<&Contact> = Vec::new();
        let mut desired: Vec<Contact> = Vec::new();
        for row in rows.iter().filter(|row| row.action == RowAction::Update) {
            let (Some(StoredRecord::Contact(existing)), Some(values)) =
                (row.existing.as_deref(), fields(row))
            else {
                continue;
            };
            let mut contact = existing.clone();
            apply_changes(&mut contact.fields, values, &row.changes);
            contact.updated_by_batch = Some(batch);
            befores.push(existing);
            desired.push(contact);
        }
        if desired.is_empty() {
            return Ok(());
        }
        let stored = cx.store.update_contacts(&desired)?;
        journal_updates(
            cx.store,
            batch,
            RecordKind::Contact,
            befores,
            stored,
            |contact| contact.id.get(),
        )
    }
}

/// Refuses a contact or project part that has no column naming the company.
pub(crate) fn company_columns(file: &str, layout: &Layout) -> Result<()> {
    let has_reference = RecordKind::Contact
        .company_reference()
        .iter()
        .any(|field| layout.mapping.column_of(*field).is_some());
    if has_reference {
        Ok(())
    } else {
        Err(missing_column(
            file,
            layout,
            ["yritys", "företaget", "the company"],
            &[
                FieldKey::CustomerNumber,
                FieldKey::BusinessId,
                FieldKey::Name,
            ],
            "name",
        ))
    }
}

fn decide(row: &mut PlannedRow, existing: Contact, policy: DuplicatePolicy) {
    let Some(values) = fields(row) else {
        return;
    };
    let overwrite = changes(values, &existing.fields, false);
    let fill = if policy == DuplicatePolicy::FillEmpty {
        changes(values, &existing.fields, true)
    } else {
        Vec::new()
    };
    let describe = existing.fields.full_name();
    decide_by_policy(row, policy, overwrite, fill, &describe);
    row.existing = Some(Box::new(StoredRecord::Contact(existing)));
}

fn changes(values: &ContactFields, stored: &ContactFields, fill_only: bool) -> Vec<FieldChange> {
    let mut out = Vec::new();
    if !fill_only && values.last_name != stored.last_name {
        out.push(FieldChange {
            field: FieldKey::LastName.as_str(),
            before: Some(stored.last_name.clone()),
            after: Some(values.last_name.clone()),
        });
    }
    for key in [
        FieldKey::FirstName,
        FieldKey::Title,
        FieldKey::Email,
        FieldKey::Phone,
    ] {
        let (Some(new), Some(old)) = (values.optional_field(key), stored.optional_field(key))
        else {
            continue;
        };
        out.extend(text_change(
            key.as_str(),
            old.as_deref(),
            new.as_deref(),
            fill_only,
        ));
    }
    out
}

fn apply_changes(stored: &mut ContactFields, values: &ContactFields, changes: &[FieldChange]) {
    for change in changes {
        if change.field == FieldKey::LastName.as_str() {
            stored.last_name = values.last_name.clone();
        } else if let Ok(key) = change.field.parse::<FieldKey>()
            && let Some(slot) = stored.optional_field_mut(key)
        {
            *slot = change.after.clone();
        }
    }
}
