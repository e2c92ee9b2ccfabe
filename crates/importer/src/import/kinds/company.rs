//! Companies: the first kind, matched by customer number, business ID, then name.

use super::{
    Context, CreatedOnce, FirstSeen, ImportedCompany, KindRules, Names, Place, RowTargets, SeenIds,
    StoredRecord, decide_by_policy, journal_updates, missing_column, refused_issue,
};
use crate::Result;
use crate::import::choices::{GroupTarget, ResolvedChoices};
use crate::import::plan::{FieldChange, PlannedRow, RowAction};
use crate::import::values::LinkField;
use crate::import::{DuplicatePolicy, kinds::DUPLICATE_IN_IMPORT};
use std::collections::HashMap;
use tuonti_domain::{
    Company, CompanyFields, CompanyId, CustomerGroupId, DomainError, FieldKey, ImportBatchId,
    Issue, IssueCode, LocalizedText, RecordKind, RecordValues, name_key,
};
use tuonti_excel_template::Layout;
use tuonti_persistence::{NewCompanyRef, PersistenceError, Store};

const DUPLICATE_SAME_NAME: IssueCode = IssueCode::new("duplicate.same_name");
const TYPE_UNKNOWN: IssueCode = IssueCode::new("company_type.unknown");
const GROUP_UNKNOWN: IssueCode = IssueCode::new("customer_group.unknown");
const MANAGER_UNKNOWN: IssueCode = IssueCode::new("account_manager.unknown");

/// The company rules' state for one import.
pub(crate) struct CompanyRules {
    seen_business_ids: SeenIds,
    seen_customer_numbers: HashMap<String, FirstSeen>,
    seen_names: HashMap<(String, String), FirstSeen>,
    /// Whether any company was stored when the import began (else the lookups can find
    /// nothing; see [`KindRules::match_chunk`]).
    stored_before: bool,
    /// Whether this import has written a company without a business ID (a possible namesake
    /// of a later row).
    wrote_without_business_id: bool,
    /// Groups looked up or created while writing.
    groups: CreatedOnce<CustomerGroupId>,
    /// The highest id of a company this import created, read back for the import index.
    last_created: CompanyId,
}

impl CompanyRules {
    pub(crate) fn new(stored_before: bool) -> Self {
        Self {
            seen_business_ids: SeenIds::new(),
            seen_customer_numbers: HashMap::new(),
            seen_names: HashMap::new(),
            stored_before,
            wrote_without_business_id: false,
            groups: CreatedOnce::default(),
            last_created: CompanyId(0),
        }
    }
}

/// The company values of a company row (every row these rules see is one).
fn fields(row: &PlannedRow) -> &CompanyFields {
    match &row.values {
        RecordValues::Company(fields) => fields,
        // The pipeline gives these rules company rows only.
        _ => unreachable_fields(),
    }
}

fn unreachable_fields() -> &'static CompanyFields {
    static EMPTY: std::sync::OnceLock<CompanyFields> = std::sync::OnceLock::new();
    EMPTY.get_or_init(CompanyFields::default)
}

/// A canonical business ID `1234567-8` as the number 12345678, the compact key of the
/// within-import duplicate check.
pub(crate) fn business_id_key(business_id: &str) -> Option<u32> {
    let mut key: u32 = 0;
    let mut digits = 0;
    for c in business_id.chars() {
        if let Some(digit) = c.to_digit(10) {
            key = key * 10 + digit;
            digits += 1;
        } else if c != '-' {
            return None;
        }
    }
    (digits == 8).then_some(key)
}

fn row_country(fields: &CompanyFields, choices: &ResolvedChoices) -> String {
    fields
        .country
        .clone()
        .unwrap_or_else(|| choices.default_country.to_owned())
}

fn stored_country(company: &Company) -> String {
    company
        .fields
        .country
        .clone()
        .unwrap_or_else(|| "FI".into())
}

impl KindRules for CompanyRules {
    fn check_columns(&self, file: &str, layout: &Layout) -> Result<()> {
        if layout.mapping.column_of(FieldKey::Name).is_none() {
            return Err(missing_column(
                file,
                layout,
                ["yrityksen nimi", "företagets namn", "the company name"],
                &[FieldKey::Name],
                "name",
            ));
        }
        Ok(())
    }

    fn resolve_row(
        &mut self,
        cx: &mut Context<'_>,
        row: &mut PlannedRow,
        place: &Place<'_>,
    ) -> Result<()> {
        let choices = cx.choices;
        let defaults = place.defaults;
        let mut company_type_id = Some(defaults.company_type.id);
        if let Some(name) = &row.overrides.company_type {
            match cx.link(
                place,
                row.row,
                LinkField::CompanyType,
                name,
                |cache, store, name| cache.company_type(store, name),
            )? {
                Ok(id) => company_type_id = Some(id),
                Err(error) => {
                    company_type_id = None;
                    let cell = place.field_cell(row.row, FieldKey::CompanyType);
                    row.issues.push(refused_issue(TYPE_UNKNOWN, &error, cell));
                }
            }
        }
        let mut customer_group = defaults.customer_group.clone();
        if let Some(name) = &row.overrides.customer_group {
            let create = choices.choices.create_groups;
            match cx.link(
                place,
                row.row,
                LinkField::CustomerGroup,
                name,
                |cache, store, name| cache.group(store, name, create),
            )? {
                Ok(target) => customer_group = Some(target),
                Err(error) => {
                    let cell = place.field_cell(row.row, FieldKey::CustomerGroup);
                    row.issues.push(refused_issue(GROUP_UNKNOWN, &error, cell));
                }
            }
        }
        let mut account_manager_id = Some(defaults.account_manager.id);
        if let Some(key) = &row.overrides.account_manager {
            match cx.link(
                place,
                row.row,
                LinkField::AccountManager,
                key,
                |cache, store, key| cache.manager(store, key),
            )? {
                Ok(id) => account_manager_id = Some(id),
                Err(error) => {
                    account_manager_id = None;
                    let cell = place.field_cell(row.row, FieldKey::AccountManager);
                    row.issues
                        .push(refused_issue(MANAGER_UNKNOWN, &error, cell));
                }
            }
        }
        row.targets = RowTargets::Company {
            company_type_id,
            customer_group,
            account_manager_id,
        };
        // A rejected row's customer number and business ID count too: a later row with the
        // same one is a repeat whether or not this row is imported, so that fixing this row
        // and importing it again can never update the later row's company with this one's
        // values.
        let rejected = row.has_errors();
        // The row's issues are taken out while its values are read (no copies of them).
        let mut issues = std::mem::take(&mut row.issues);
        let values = fields(row);
        let number = row.row;
        if let Some(customer_number) = &values.customer_number {
            match self.seen_customer_numbers.get(customer_number) {
                Some(first) => {
                    let issue = cx.places.repeated_issue(
                        first,
                        place,
                        ("asiakasnumero", "kundnummer", "customer number"),
                        customer_number,
                        place.field_cell(number, FieldKey::CustomerNumber),
                    );
                    issues.push(issue);
                }
                None => {
                    self.seen_customer_numbers.insert(
                        customer_number.clone(),
                        place.seen(number, FieldKey::CustomerNumber),
                    );
                }
            }
        }
        if let Some(business_id) = &values.business_id {
            if let Some(key) = business_id_key(business_id) {
                match self.seen_business_ids.get(key) {
                    Some(first) => {
                        let issue = cx.places.repeated_issue(
                            first,
                            place,
                            ("Y-tunnus", "FO-nummer", "business ID"),
                            business_id,
                            place.field_cell(number, FieldKey::BusinessId),
                        );
                        issues.push(issue);
                    }
                    None => {
                        self.seen_business_ids
                            .insert(key, place.seen(number, FieldKey::BusinessId));
                    }
                }
            }
        } else if values.customer_number.is_none() && !rejected {
            let key = (row_country(values, choices), name_key(&values.name));
            match self.seen_names.get(&key) {
                Some(first) => {
                    let issue = cx.places.repeated_issue(
                        first,
                        place,
                        ("nimi", "namn", "name"),
                        &values.name,
                        place.field_cell(number, FieldKey::Name),
                    );
                    issues.push(issue);
                }
                None => {
                    self.seen_names
                        .insert(key, place.seen(number, FieldKey::Name));
                }
            }
        }
        row.issues = issues;
        Ok(())
    }

    /// A lookup that cannot find anything is left out: when no company was stored as the
    /// import began, a row's keys can match only a company this import wrote, and the import
    /// never writes a customer number or business ID twice (a repeat is rejected as a
    /// duplicate within the import); likewise a namesake without a business ID must have been
    /// stored before or written by this import.
    fn match_chunk(
        &mut self,
        cx: &mut Context<'_>,
        rows: &mut [PlannedRow],
        place: &Place<'_>,
    ) -> Result<()> {
        let store = &mut *cx.store;
        let live = |row: &&PlannedRow| row.action != RowAction::Reject;
        let customer_numbers: Vec<&str> = if self.stored_before {
            rows.iter()
                .filter(live)
                .filter_map(|r| fields(r).customer_number.as_deref())
                .collect()
        } else {
            Vec::new()
        };
        let business_ids: Vec<&str> = rows
            .iter()
            .filter(live)
            .filter_map(|r| fields(r).business_id.as_deref())
            .filter(|id| self.stored_before || business_id_key(id).is_none())
            .collect();
        // Every row's name key, computed once, for the rows that need it: those without a
        // business ID (they match by name) and those whose new business ID is checked for
        // namesakes.
        let mut keys: Vec<Option<String>> = rows
            .iter()
            .map(|r| {
                (r.action != RowAction::Reject && fields(r).business_id.is_none())
                    .then(|| name_key(&fields(r).name))
            })
            .collect();
        let name_key_refs: Vec<&str> = keys.iter().flatten().map(String::as_str).collect();
        let mut by_number: HashMap<String, Company> = HashMap::new();
        if !customer_numbers.is_empty() {
            for company in store.companies_by_customer_numbers(&customer_numbers)? {
                if let Some(number) = company.fields.customer_number.clone() {
                    by_number.insert(number, company);
                }
            }
        }
        let mut by_business_id: HashMap<String, Company> = HashMap::new();
        if !business_ids.is_empty() {
            for company in store.companies_by_business_ids(&business_ids)? {
                if let Some(id) = company.fields.business_id.clone() {
                    by_business_id.insert(id, company);
                }
            }
        }
        let mut by_name: HashMap<(String, String), Company> = HashMap::new();
        if !name_key_refs.is_empty() {
            for company in store.companies_by_name_keys(&name_key_refs)? {
                by_name
                    .entry((stored_country(&company), name_key(&company.fields.name)))
                    .or_insert(company);
            }
        }
        // A row with a new business ID is warned about a stored company of the same name that
        // has no business ID (likely the same company, stored before its ID was known).
        let mut namesakes: HashMap<(String, String), Company> = HashMap::new();
        if self.stored_before || self.wrote_without_business_id {
            for (row, key) in rows.iter().zip(keys.iter_mut()) {
                if row.action != RowAction::Reject
                    && fields(row)
                        .business_id
                        .as_ref()
                        .is_some_and(|id| !by_business_id.contains_key(id))
                {
                    *key = Some(name_key(&fields(row).name));
                }
            }
            let new_id_names: Vec<&str> = rows
                .iter()
                .zip(keys.iter())
                .filter(|(row, _)| fields(row).business_id.is_some())
                .filter_map(|(_, key)| key.as_deref())
                .collect();
            if !new_id_names.is_empty() {
                for company in store.companies_without_business_id_by_name_keys(&new_id_names)? {
                    namesakes
                        .entry((stored_country(&company), name_key(&company.fields.name)))
                        .or_insert(company);
                }
            }
        }
        let choices = cx.choices;
        for (row, key) in rows.iter_mut().zip(keys) {
            if row.action == RowAction::Reject {
                continue;
            }
            let values = fields(row);
            // Each stored company matches one row at most (a repeated key is rejected as a
            // duplicate within the import), so the row takes it out of the maps.
            let mut existing = values
                .customer_number
                .as_ref()
                .and_then(|number| by_number.remove(number));
            if existing.is_none() {
                existing = match &values.business_id {
                    Some(business_id) => by_business_id.remove(business_id),
                    None => key.as_ref().and_then(|key| {
                        let found = by_name.remove(&(row_country(values, choices), key.clone()));
                        // A namesake with another customer number is another company.
                        found.filter(|company| {
                            company.fields.customer_number.is_none()
                                || company.fields.customer_number == values.customer_number
                        })
                    }),
                };
            }
            if let Some(existing) = existing {
                decide(row, existing, choices.choices.on_duplicate, cx.names);
                for issue in &mut row.issues {
                    place.locate(&mut issue.location);
                }
            } else if values.business_id.is_some()
                && !namesakes.is_empty()
                && let Some(key) = key
                && let Some(namesake) = namesakes.get(&(row_country(values, choices), key))
            {
                let name = &values.name;
                let id = namesake.id;
                row.issues.push(
                    Issue::warning(
                        DUPLICATE_SAME_NAME,
                        LocalizedText::new(
                            format!(
                                "Yritys {name:?} on jo tallennettu ilman Y-tunnusta (#{id}); tämä rivi \
                                 luo uuden yrityksen. Jos se on sama yritys, lisää Y-tunnus \
                                 tallennettuun ensin."
                            ),
                            format!(
                                "Ett företag {name:?} är redan sparat utan FO-nummer (#{id}); den här \
                                 raden skapar ett nytt företag. Om det är samma företag, lägg först \
                                 till FO-numret i det sparade."
                            ),
                            format!(
                                "A company {name:?} is stored without a business ID (#{id}); this row \
                                 creates a new company. If it is the same company, add the business \
                                 ID to the stored one first."
                            ),
                        ),
                    )
                    .at(row.name_cell.clone()),
                );
            }
        }
        if cx.index_companies {
            for row in rows.iter() {
                if row
                    .issues
                    .iter()
                    .any(|issue| issue.code == DUPLICATE_IN_IMPORT)
                {
                    continue;
                }
                let values = fields(row);
                let stored = match &row.existing {
                    Some(stored) => match stored.as_ref() {
                        StoredRecord::Company(company) => Some(company.id),
                        _ => None,
                    },
                    None => None,
                };
                cx.index.add_company(
                    ImportedCompany {
                        seen: place.seen(row.row, FieldKey::Name),
                        rejected: row.action == RowAction::Reject,
                        stored,
                    },
                    values.customer_number.as_deref(),
                    values.business_id.as_deref(),
                    &values.name,
                );
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
        let store = &mut *cx.store;
        let mut new_companies = Vec::new();
        for row in rows.iter().filter(|row| row.action == RowAction::Create) {
            let RowTargets::Company {
                company_type_id: Some(company_type_id),
                customer_group,
                account_manager_id: Some(account_manager_id),
            } = &row.targets
            else {
                continue;
            };
            let customer_group_id = self.group_id(store, customer_group.as_ref(), batch)?;
            let values = fields(row);
            if values.business_id.is_none() {
                self.wrote_without_business_id = true;
            }
            new_companies.push(NewCompanyRef {
                fields: values,
                company_type_id: *company_type_id,
                customer_group_id,
                account_manager_id: *account_manager_id,
                created_by_batch: Some(batch),
            });
        }
        store.insert_new_companies(&new_companies).map_err(|error| match error {
            PersistenceError::Domain(DomainError::Conflict { .. }) => crate::util::refused_in(
                "toinen tuonti tallensi osan näistä yrityksistä samaan aikaan; mitään ei tuotu. \
                 Aja tuonti uudelleen",
                "en annan import sparade en del av dessa företag under tiden; ingenting \
                 importerades. Kör importen igen",
                "another import stored some of these companies meanwhile; nothing was imported. \
                 Run the import again",
            ),
            other => other.into(),
        })?;
        // Contacts and projects of this import name these companies: give the import index
        // their ids now, so that those rows need no lookup.
        if cx.index_companies && !new_companies.is_empty() {
            for created in store.companies_created_since(batch, self.last_created)? {
                self.last_created = created.id;
                cx.index.set_company_id(
                    created.customer_number.as_deref(),
                    created.business_id.as_deref(),
                    &created.name,
                    created.id,
                );
            }
        }
        // Created companies are found again by their `created_by_batch`; only updates need a
        // journal with before-images.
        let mut befores: Vec<&Company> = Vec::new();
        let mut desired_companies: Vec<Company> = Vec::new();
        for row in rows.iter().filter(|row| row.action == RowAction::Update) {
            let Some(StoredRecord::Company(existing)) = row.existing.as_deref() else {
                continue;
            };
            let mut desired = updated_company(row, existing);
            if row
                .changes
                .iter()
                .any(|c| c.field == FieldKey::CustomerGroup.as_str())
                && let RowTargets::Company { customer_group, .. } = &row.targets
            {
                desired.customer_group_id = self.group_id(store, customer_group.as_ref(), batch)?;
            }
            desired.updated_by_batch = Some(batch);
            befores.push(existing);
            desired_companies.push(desired);
        }
        let stored = if desired_companies.is_empty() {
            Vec::new()
        } else {
            store.update_companies(&desired_companies)?
        };
        journal_updates(
            store,
            batch,
            RecordKind::Company,
            befores,
            stored,
            |company| company.id.get(),
        )
    }

    fn created_groups(&mut self) -> Vec<String> {
        self.groups.take_created()
    }
}

impl CompanyRules {
    /// The stored id of a row's group, creating a new group (recorded as the batch's) the first
    /// time it is needed.
    fn group_id(
        &mut self,
        store: &mut Store,
        target: Option<&GroupTarget>,
        batch: ImportBatchId,
    ) -> Result<Option<CustomerGroupId>> {
        match target {
            None => Ok(None),
            Some(GroupTarget::Existing(id)) => Ok(Some(*id)),
            Some(GroupTarget::New(name)) => self
                .groups
                .get_or_create(
                    store,
                    name,
                    |store| Ok(store.customer_group_by_name(name)?.map(|group| group.id)),
                    |store| {
                        let group = store.add_customer_group(name, Some(batch))?;
                        Ok((group.id, group.name))
                    },
                )
                .map(Some),
        }
    }
}

/// The field-by-field comparison of a row with a stored company, by the policy.
fn decide(row: &mut PlannedRow, existing: Company, policy: DuplicatePolicy, names: &Names) {
    let overwrite = changes(row, &existing, DuplicatePolicy::Overwrite, names);
    let describe = {
        let id = existing
            .fields
            .business_id
            .as_deref()
            .map(|b| format!(" ({b})"))
            .unwrap_or_default();
        format!("{}{id}", existing.fields.name)
    };
    let fill = if policy == DuplicatePolicy::FillEmpty && !overwrite.is_empty() {
        changes(row, &existing, DuplicatePolicy::FillEmpty, names)
    } else {
        Vec::new()
    };
    decide_by_policy(row, policy, overwrite, fill, &describe);
    row.existing = Some(Box::new(StoredRecord::Company(existing)));
}

/// The changes that would make `existing` match the row under `policy` (overwrite: every
/// non-empty value of the row and its type, group and manager; fill-empty: only what the stored
/// company lacks).
fn changes(
    row: &PlannedRow,
    existing: &Company,
    policy: DuplicatePolicy,
    names: &Names,
) -> Vec<FieldChange> {
    let fill_only = policy == DuplicatePolicy::FillEmpty;
    let values = fields(row);
    let mut out = Vec::new();
    if !fill_only && values.name != existing.fields.name {
        out.push(FieldChange {
            field: FieldKey::Name.as_str(),
            before: Some(existing.fields.name.clone()),
            after: Some(values.name.clone()),
        });
    }
    for &key in tuonti_domain::RecordKind::Company.fields() {
        let (Some(new), Some(old)) = (
            values.optional_field(key),
            existing.fields.optional_field(key),
        ) else {
            continue;
        };
        if let Some(change) =
            super::text_change(key.as_str(), old.as_deref(), new.as_deref(), fill_only)
        {
            out.push(change);
        }
    }
    let RowTargets::Company {
        company_type_id,
        customer_group,
        account_manager_id,
    } = &row.targets
    else {
        return out;
    };
    if !fill_only
        && let Some(type_id) = company_type_id
        && *type_id != existing.company_type_id
    {
        out.push(FieldChange {
            field: FieldKey::CompanyType.as_str(),
            before: names.types.get(&existing.company_type_id).cloned(),
            after: names.types.get(type_id).cloned(),
        });
    }
    let stored_group = existing.customer_group_id.map(GroupTarget::Existing);
    if customer_group.is_some()
        && *customer_group != stored_group
        && (!fill_only || stored_group.is_none())
    {
        out.push(FieldChange {
            field: FieldKey::CustomerGroup.as_str(),
            before: names.group(stored_group.as_ref()),
            after: names.group(customer_group.as_ref()),
        });
    }
    if !fill_only
        && let Some(manager) = account_manager_id
        && *manager != existing.account_manager_id
    {
        out.push(FieldChange {
            field: FieldKey::AccountManager.as_str(),
            before: names.users.get(&existing.account_manager_id).cloned(),
            after: names.users.get(manager).cloned(),
        });
    }
    out
}

/// The company a planned update leads to, before group creation: the stored one with the
/// row's changes.
pub(crate) fn updated_company(row: &PlannedRow, existing: &Company) -> Company {
    let mut company = existing.clone();
    let values = fields(row);
    let (type_id, manager_id) = match &row.targets {
        RowTargets::Company {
            company_type_id,
            account_manager_id,
            ..
        } => (*company_type_id, *account_manager_id),
        _ => (None, None),
    };
    for change in &row.changes {
        match change.field {
            "name" => company.fields.name = values.name.clone(),
            "company_type" => {
                if let Some(type_id) = type_id {
                    company.company_type_id = type_id;
                }
            }
            "account_manager" => {
                if let Some(manager) = manager_id {
                    company.account_manager_id = manager;
                }
            }
            "customer_group" => {}
            other => {
                if let Ok(key) = other.parse::<FieldKey>()
                    && let Some(slot) = company.fields.optional_field_mut(key)
                {
                    *slot = change.after.clone();
                }
            }
        }
    }
    company
}
