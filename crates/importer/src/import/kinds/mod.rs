//! The record kinds of the import pipeline: what each kind brings to the one pipeline of
//! [`plan`](super::plan).
//!
//! The pipeline (reading, validating, chunking, the issue log, counts, progress, all or
//! nothing, the batch) is written once, in `plan.rs`. Each kind implements [`KindRules`]: the
//! columns it needs, how a row's references resolve and which repeats within the import are
//! duplicates (`resolve_row`), how rows match stored records and what changes
//! (`match_chunk`), and its writes (`write_chunk`). Undo of every kind is in `undo.rs`.
//! Kinds run in the order of [`RecordKind::ALL`], so a contact or project finds the
//! companies (and a project the contacts) of the same import in the [`ImportIndex`], or
//! stored, once written.

pub(crate) mod company;
pub(crate) mod contact;
pub(crate) mod project;
pub(crate) mod references;

use super::choices::{FileDefaults, GroupTarget, OverrideCache, ResolvedChoices};
use super::plan::{PlannedRow, RowAction};
use super::values::{LinkField, ValueResolver};
use crate::Result;
use serde::Serialize;
use std::collections::HashMap;
use tuonti_domain::{
    Company, CompanyId, CompanyTypeId, Contact, ContactId, DomainError, FieldKey, ImportBatchId,
    Issue, IssueCode, LocalizedText, Location, Project, RecordKind, UserId,
};
use tuonti_excel_template::Layout;
use tuonti_persistence::Store;

pub(crate) const DUPLICATE_IN_IMPORT: IssueCode = IssueCode::new("duplicate.in_import");
pub(crate) const DUPLICATE_EXISTS: IssueCode = IssueCode::new("duplicate.exists");
pub(crate) const DUPLICATE_SKIPPED: IssueCode = IssueCode::new("duplicate.skipped");

/// A company a contact or project row belongs to: stored, or one this import creates (by its
/// place among the company rows of the import; a dry run writes nothing, so it has no id
/// yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum CompanyHandle {
    /// A stored company (stored before, or written by this import).
    Stored(CompanyId),
    /// A company row of this import that would create the company.
    Planned(u32),
}

/// A contact a project row names: stored, or one this import creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum ContactHandle {
    /// A stored contact.
    Stored(ContactId),
    /// A contact row of this import that would create the contact.
    Planned(u32),
}

/// What a row's references resolved to, by kind.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RowTargets {
    /// A company row: its type, group and account manager (the import's or the row's own).
    Company {
        /// The company type.
        company_type_id: Option<CompanyTypeId>,
        /// The customer group.
        customer_group: Option<GroupTarget>,
        /// The account manager.
        account_manager_id: Option<UserId>,
    },
    /// A contact row: its company.
    Contact {
        /// The company.
        company: Option<CompanyHandle>,
    },
    /// A project row: its company, manager, branch and contact person.
    Project {
        /// The company.
        company: Option<CompanyHandle>,
        /// The project manager.
        project_manager_id: Option<UserId>,
        /// The branch of business.
        branch: Option<super::BranchTarget>,
        /// The contact person.
        contact: Option<ContactHandle>,
    },
}

impl RowTargets {
    /// Nothing resolved yet, for a row of `kind`.
    pub(crate) fn empty(kind: RecordKind) -> Self {
        match kind {
            RecordKind::Contact => RowTargets::Contact { company: None },
            RecordKind::Project => RowTargets::Project {
                company: None,
                project_manager_id: None,
                branch: None,
                contact: None,
            },
            _ => RowTargets::Company {
                company_type_id: None,
                customer_group: None,
                account_manager_id: None,
            },
        }
    }

    /// The company a contact or project row belongs to.
    pub fn company(&self) -> Option<CompanyHandle> {
        match self {
            RowTargets::Contact { company } | RowTargets::Project { company, .. } => *company,
            RowTargets::Company { .. } => None,
        }
    }
}

/// The stored record a row matches, as it was when planned (a row holds it boxed).
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StoredRecord {
    /// A company.
    Company(Company),
    /// A contact.
    Contact(Contact),
    /// A project.
    Project(Project),
}

/// Display names of stored types, groups and users, for the changes of an update.
pub(crate) struct Names {
    pub(crate) types: HashMap<CompanyTypeId, String>,
    pub(crate) groups: HashMap<tuonti_domain::CustomerGroupId, String>,
    pub(crate) users: HashMap<UserId, String>,
}

impl Names {
    pub(crate) fn load(store: &mut Store) -> Result<Self> {
        Ok(Self {
            types: store
                .company_types(true)?
                .into_iter()
                .map(|t| (t.id, t.names.fi))
                .collect(),
            groups: store
                .customer_groups()?
                .into_iter()
                .map(|g| (g.id, g.name))
                .collect(),
            users: store
                .users()?
                .into_iter()
                .map(|u| (u.id, u.email))
                .collect(),
        })
    }

    pub(crate) fn group(&self, target: Option<&GroupTarget>) -> Option<String> {
        match target {
            Some(GroupTarget::Existing(id)) => self.groups.get(id).cloned(),
            Some(GroupTarget::New(name)) => Some(name.clone()),
            None => None,
        }
    }
}

/// Where a row is: the index of its part (a sheet of a file), its row and a column, so that a
/// later row can name it. Small, because indexes keep one per row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FirstSeen {
    pub(crate) part: u32,
    pub(crate) row: u32,
    pub(crate) column: u32,
}

/// Where each numeric key (a business ID) was first seen in an import, in [`SeenIds::SHARDS`]
/// hash maps by the key's low bits.
///
/// A hash map that outgrows its table allocates one twice the size and holds both while it
/// moves the entries: one map of the business IDs of a million rows would take 1.5 times
/// its size for a moment (53 MB instead of 35 MB, measured with heaptrack), at the end of
/// the import, when everything else is largest too. Shards grow one at a time, so the
/// moment costs a shard's table, not the whole map's.
pub(crate) struct SeenIds {
    shards: Vec<std::collections::HashMap<u32, FirstSeen>>,
}

impl SeenIds {
    /// How many maps the keys are spread over.
    const SHARDS: usize = 64;

    pub(crate) fn new() -> Self {
        Self {
            shards: (0..Self::SHARDS).map(|_| Default::default()).collect(),
        }
    }

    fn shard(&self, key: u32) -> usize {
        key as usize % Self::SHARDS
    }

    /// Where `key` was first seen, if it was.
    pub(crate) fn get(&self, key: u32) -> Option<&FirstSeen> {
        self.shards[self.shard(key)].get(&key)
    }

    /// Records where `key` was first seen.
    pub(crate) fn insert(&mut self, key: u32, seen: FirstSeen) {
        let shard = self.shard(key);
        self.shards[shard].insert(key, seen);
    }
}

/// The file and sheet names of every part begun, to name a row of another part.
#[derive(Debug, Default)]
pub(crate) struct Places {
    parts: Vec<(String, Option<String>)>,
}

impl Places {
    pub(crate) fn push(&mut self, file: &str, sheet: Option<&str>) -> u32 {
        self.parts.push((file.to_owned(), sheet.map(str::to_owned)));
        u32::try_from(self.parts.len() - 1).unwrap_or(u32::MAX)
    }

    /// The cell of `seen` as messages show it: `B7`, `Yritykset!B7`, or `file.csv B7` when
    /// it is in another file than `here`.
    pub(crate) fn describe(&self, seen: &FirstSeen, here: &Place<'_>) -> String {
        let (file, sheet) = usize::try_from(seen.part)
            .ok()
            .and_then(|index| self.parts.get(index))
            .map_or((here.file, here.sheet), |(file, sheet)| {
                (file.as_str(), sheet.as_deref())
            });
        let mut cell = Location::cell(seen.row, seen.column);
        cell.sheet = sheet.map(str::to_owned);
        let cell = cell.cell_ref().unwrap_or_default();
        if file == here.file {
            cell
        } else {
            format!("{file} {cell}")
        }
    }

    /// The error of a row that repeats the key of an earlier row of the import.
    pub(crate) fn repeated_issue(
        &self,
        first: &FirstSeen,
        here: &Place<'_>,
        what: (&str, &str, &str),
        value: &str,
        location: Location,
    ) -> Issue {
        let place_text = self.describe(first, here);
        let (what_fi, what_sv, what_en) = what;
        Issue::error(
            DUPLICATE_IN_IMPORT,
            LocalizedText::new(
                format!(
                    "Sama {what_fi} {value:?} on jo rivillä {place_text}; myöhempää riviä ei \
                     tuoda (yhdistä rivit yhdeksi)."
                ),
                format!(
                    "Samma {what_sv} {value:?} finns redan på rad {place_text}; den senare raden \
                     importeras inte (slå ihop raderna till en)."
                ),
                format!(
                    "The same {what_en} {value:?} is already on row {place_text}; the later row \
                     is not imported (merge the two rows into one)."
                ),
            ),
        )
        .at(location)
    }
}

/// The file and sheet a chunk's issues are placed in.
pub(crate) struct Place<'a> {
    pub(crate) file: &'a str,
    pub(crate) sheet: Option<&'a str>,
    pub(crate) part: u32,
    pub(crate) layout: &'a Layout,
    /// What the file's rows start from (its choices over the import's).
    pub(crate) defaults: &'a FileDefaults,
}

impl Place<'_> {
    pub(crate) fn locate(&self, location: &mut Location) {
        if location.file.is_none() {
            location.file = Some(self.file.to_owned());
        }
        if location.sheet.is_none() {
            location.sheet = self.sheet.map(str::to_owned);
        }
    }

    /// The cell of `field` on row `row` (the first column when the sheet has no such column).
    pub(crate) fn field_cell(&self, row: u32, field: FieldKey) -> Location {
        let column = self.layout.mapping.column_of(field).unwrap_or(0);
        let mut location = Location::cell(row, column);
        location.field = Some(field);
        self.locate(&mut location);
        location
    }

    /// Where on row `row` a key of `field` was seen.
    pub(crate) fn seen(&self, row: u32, field: FieldKey) -> FirstSeen {
        FirstSeen {
            part: self.part,
            row,
            column: self.layout.mapping.column_of(field).unwrap_or(0),
        }
    }
}

/// A company row of this import, for the contacts and projects that name it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ImportedCompany {
    pub(crate) seen: FirstSeen,
    pub(crate) rejected: bool,
    /// The stored company the row matched, if any.
    pub(crate) stored: Option<CompanyId>,
}

/// A contact row of this import, for the projects that name it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ImportedContact {
    pub(crate) seen: FirstSeen,
    pub(crate) rejected: bool,
    pub(crate) stored: Option<ContactId>,
}

/// A name shared by rows of the import: one row, or several (an ambiguous reference).
#[derive(Debug, Clone)]
pub(crate) enum NameEntry {
    One(u32),
    Many(Vec<u32>),
}

impl NameEntry {
    fn add(&mut self, index: u32) {
        match self {
            NameEntry::One(first) => *self = NameEntry::Many(vec![*first, index]),
            NameEntry::Many(all) => all.push(index),
        }
    }
}

/// The records of this import that later kinds refer to, by the keys they are named with.
/// Kept only when the import has such later kinds, so a companies-only import holds none.
#[derive(Debug, Default)]
pub(crate) struct ImportIndex {
    pub(crate) companies: Vec<ImportedCompany>,
    pub(crate) by_customer_number: HashMap<String, u32>,
    /// By the business ID's eight digits as a number (see `company::business_id_key`).
    pub(crate) by_business_id: HashMap<u32, u32>,
    /// By the 64-bit hash of the name key (two names sharing a hash would show as one name
    /// on several rows, an ambiguity, never as a silent link).
    by_company_name: HashMap<u64, NameEntry>,
    pub(crate) contacts: Vec<ImportedContact>,
    /// Contacts by (company, the 64-bit hash of a key): the key is an email key or a name key.
    /// Hashes, not the keys, keep the index small (a contact sheet's emails are its largest
    /// values); two keys of one company's contacts would have to share a 64-bit hash to be
    /// confused, about one chance in 10^18.
    contacts_by_key: HashMap<(CompanyHandle, u64), NameEntry>,
}

impl ImportIndex {
    /// Records a company row; the first row with a key keeps it (a repeat is rejected).
    pub(crate) fn add_company(
        &mut self,
        company: ImportedCompany,
        customer_number: Option<&str>,
        business_id: Option<&str>,
        name: &str,
    ) -> u32 {
        let index = u32::try_from(self.companies.len()).unwrap_or(u32::MAX);
        self.companies.push(company);
        if let Some(number) = customer_number {
            self.by_customer_number
                .entry(number.to_owned())
                .or_insert(index);
        }
        if let Some(key) = business_id.and_then(company::business_id_key) {
            self.by_business_id.entry(key).or_insert(index);
        }
        self.by_company_name
            .entry(key_hash(&tuonti_domain::name_key(name)))
            .and_modify(|entry| entry.add(index))
            .or_insert(NameEntry::One(index));
        index
    }

    /// Records a contact row under its email key and its name key.
    pub(crate) fn add_contact(
        &mut self,
        contact: ImportedContact,
        company: CompanyHandle,
        keys: impl IntoIterator<Item = String>,
    ) -> u32 {
        let index = u32::try_from(self.contacts.len()).unwrap_or(u32::MAX);
        self.contacts.push(contact);
        for key in keys {
            self.contacts_by_key
                .entry((company, key_hash(&key)))
                .and_modify(|entry| entry.add(index))
                .or_insert(NameEntry::One(index));
        }
        index
    }

    /// The contacts of the import a company's key (an email key or a name key) names.
    pub(crate) fn contact(&self, company: CompanyHandle, key: &str) -> Option<&NameEntry> {
        self.contacts_by_key.get(&(company, key_hash(key)))
    }

    /// The company rows of the import with this name key, if any.
    pub(crate) fn company_by_name_key(&self, name_key: &str) -> Option<&NameEntry> {
        self.by_company_name.get(&key_hash(name_key))
    }

    /// The company row of the import with this business ID, if any.
    pub(crate) fn company_by_business_id(&self, business_id: &str) -> Option<u32> {
        company::business_id_key(business_id).and_then(|key| self.by_business_id.get(&key).copied())
    }

    /// Records the id a company row of the import was stored with (found by the keys it was
    /// indexed under), so that later rows naming it need no lookup.
    pub(crate) fn set_company_id(
        &mut self,
        customer_number: Option<&str>,
        business_id: Option<&str>,
        name: &str,
        id: CompanyId,
    ) {
        let found = customer_number
            .and_then(|number| self.by_customer_number.get(number))
            .copied()
            .or_else(|| business_id.and_then(|id| self.company_by_business_id(id)))
            .or_else(
                || match self.company_by_name_key(&tuonti_domain::name_key(name)) {
                    Some(NameEntry::One(index)) => Some(*index),
                    _ => None,
                },
            );
        if let Some(company) = found.and_then(|index| self.companies.get_mut(index as usize))
            && !company.rejected
        {
            company.stored = Some(id);
        }
    }
}

/// A key's 64-bit hash (SipHash with fixed keys: the same in every run).
fn key_hash(key: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    key.hash(&mut hasher);
    hasher.finish()
}

/// Which kinds of records were stored when the import began: a kind with none stored can
/// match only what this import writes, which its checks for repeats already cover, so its
/// lookups of stored records are left out.
#[derive(Debug, Clone, Copy)]
pub(crate) struct StoredBefore {
    pub(crate) companies: bool,
    pub(crate) contacts: bool,
    pub(crate) projects: bool,
}

/// What every kind's rules share during one import.
pub(crate) struct Context<'a> {
    pub(crate) store: &'a mut Store,
    pub(crate) choices: &'a ResolvedChoices,
    pub(crate) names: &'a Names,
    pub(crate) cache: &'a mut OverrideCache,
    /// The values of linked columns that resolved to nothing, and their suggestions.
    pub(crate) values: &'a mut ValueResolver,
    pub(crate) places: &'a Places,
    pub(crate) index: &'a mut ImportIndex,
    /// Whether later kinds of this import refer to companies (and contacts): then the
    /// [`ImportIndex`] is filled.
    pub(crate) index_companies: bool,
    pub(crate) index_contacts: bool,
    /// The batch being written, `None` for a dry run.
    pub(crate) batch: Option<ImportBatchId>,
    /// Whether chunks are still written (see the pipeline).
    pub(crate) writing: bool,
}

/// What a record kind brings to the pipeline.
impl Context<'_> {
    /// Resolves the value `text` of the linked column `field` on row `row` of `place`
    /// through the file's value mappings and the import's cached lookups (`look`); see
    /// [`ValueResolver::resolve`].
    pub(crate) fn link<T>(
        &mut self,
        place: &Place<'_>,
        row: u32,
        field: LinkField,
        text: &str,
        look: impl FnMut(
            &mut OverrideCache,
            &mut Store,
            &str,
        ) -> Result<std::result::Result<T, DomainError>>,
    ) -> Result<std::result::Result<T, DomainError>> {
        self.values
            .resolve(self.store, self.cache, place, row, field, text, look)
    }
}

pub(crate) trait KindRules {
    /// Refuses a part whose columns cannot give a record of the kind (a missing required
    /// column), before any row is read.
    fn check_columns(&self, file: &str, layout: &Layout) -> Result<()>;

    /// Resolves a row's references and checks its keys against the earlier rows of the
    /// import; a row with an error is rejected.
    fn resolve_row(
        &mut self,
        cx: &mut Context<'_>,
        row: &mut PlannedRow,
        place: &Place<'_>,
    ) -> Result<()>;

    /// Finds the stored records the rows of a chunk match (in batched lookups) and decides
    /// each row's action and changes.
    fn match_chunk(
        &mut self,
        cx: &mut Context<'_>,
        rows: &mut [PlannedRow],
        place: &Place<'_>,
    ) -> Result<()>;

    /// Writes a chunk's creates and updates, with the journal of the updates.
    fn write_chunk(
        &mut self,
        cx: &mut Context<'_>,
        rows: &[PlannedRow],
        batch: ImportBatchId,
    ) -> Result<()>;

    /// The customer groups the kind's rows created, when done.
    fn created_groups(&mut self) -> Vec<String> {
        Vec::new()
    }

    /// The branches of business the kind's rows created, when done.
    fn created_branches(&mut self) -> Vec<String> {
        Vec::new()
    }
}

/// The rules of `kind`.
pub(crate) fn rules(kind: RecordKind, stored_before: StoredBefore) -> Box<dyn KindRules> {
    match kind {
        RecordKind::Contact => Box::new(contact::ContactRules::new(stored_before.contacts)),
        RecordKind::Project => Box::new(project::ProjectRules::new(stored_before.projects)),
        _ => Box::new(company::CompanyRules::new(stored_before.companies)),
    }
}

/// A refusal of a part whose columns lack what the kind needs: `what` in Finnish, Swedish
/// and English, followed by the headers of `fields` in the three languages.
pub(crate) fn missing_column(
    file: &str,
    layout: &Layout,
    what: [&str; 3],
    fields: &[FieldKey],
    map_as: &str,
) -> crate::Error {
    let [what_fi, what_sv, what_en] = what;
    let headers = fields
        .iter()
        .map(|field| {
            let header = &field.spec().header;
            format!("{} / {} / {}", header.fi, header.sv, header.en)
        })
        .collect::<Vec<_>>()
        .join(", ");
    let sheet = layout
        .sheet
        .as_deref()
        .map(|sheet| format!(" ({sheet})"))
        .unwrap_or_default();
    let found = layout.headers.join(", ");
    crate::util::refused_in(
        format!(
            "{file}{sheet}: mikään sarake ei vastaa kenttää {what_fi} ({headers}); otsikot ovat: \
             {found}. Valitse sarake valinnalla --map \"Otsikko={map_as}\""
        ),
        format!(
            "{file}{sheet}: ingen kolumn motsvarar {what_sv} ({headers}); rubrikerna är: \
             {found}. Välj en kolumn med --map \"Rubrik={map_as}\""
        ),
        format!(
            "{file}{sheet}: no column maps to {what_en} ({headers}); the headers are: {found}. \
             Map one with --map \"Header={map_as}\""
        ),
    )
}

/// The policy's outcome for a row that matches a stored record: `overwrite`, the changes
/// overwriting would make, and `fill_empty`, those filling empty fields would (computed by the
/// caller only under that policy). Sets the action and changes and adds the policy's
/// warning or error.
pub(crate) fn decide_by_policy(
    row: &mut PlannedRow,
    policy: super::DuplicatePolicy,
    overwrite: Vec<super::plan::FieldChange>,
    fill_empty: Vec<super::plan::FieldChange>,
    describe: &str,
) {
    use super::DuplicatePolicy;
    if overwrite.is_empty() {
        row.action = RowAction::Unchanged;
        return;
    }
    // The Swedish participle agrees with the noun: "kontaktpersonen ... sparad", "företaget
    // ... sparat".
    let (what_fi, (what_sv, stored_sv), what_en) = match row.kind {
        RecordKind::Contact => ("Yhteyshenkilö", ("Kontaktpersonen", "sparad"), "Contact"),
        RecordKind::Project => ("Projekti", ("Projektet", "sparat"), "Project"),
        _ => ("Yritys", ("Företaget", "sparat"), "Company"),
    };
    match policy {
        DuplicatePolicy::Skip => {
            row.action = RowAction::Skip;
            row.issues.push(
                Issue::warning(
                    DUPLICATE_SKIPPED,
                    LocalizedText::new(
                        format!("{what_fi} {describe} on jo tallennettu, ja sen tiedot eroavat; ohitettiin (--on-duplicate skip)."),
                        format!("{what_sv} {describe} är redan {stored_sv} med andra uppgifter; hoppades över (--on-duplicate skip)."),
                        format!("{what_en} {describe} is stored already with other values; skipped (--on-duplicate skip)."),
                    ),
                )
                .at(row.name_cell.clone()),
            );
        }
        DuplicatePolicy::Fail => {
            row.action = RowAction::Reject;
            row.issues.push(
                Issue::error(
                    DUPLICATE_EXISTS,
                    LocalizedText::new(
                        format!("{what_fi} {describe} on jo tallennettu eri tiedoin (--on-duplicate fail)."),
                        format!("{what_sv} {describe} är redan {stored_sv} med andra uppgifter (--on-duplicate fail)."),
                        format!("{what_en} {describe} is stored already with other values (--on-duplicate fail)."),
                    ),
                )
                .at(row.name_cell.clone()),
            );
        }
        DuplicatePolicy::FillEmpty => {
            let fill = fill_empty;
            if fill.is_empty() {
                row.action = RowAction::Unchanged;
            } else {
                row.action = RowAction::Update;
                row.changes = fill;
            }
        }
        DuplicatePolicy::Overwrite => {
            row.action = RowAction::Update;
            row.changes = overwrite;
        }
    }
}

/// A field change from the stored text to the row's, if the row has a value that differs
/// (and, filling empty fields only, the stored one is empty).
pub(crate) fn text_change(
    field: &'static str,
    stored: Option<&str>,
    new: Option<&str>,
    fill_only: bool,
) -> Option<super::plan::FieldChange> {
    let new = new?;
    (stored != Some(new) && (!fill_only || stored.is_none())).then(|| super::plan::FieldChange {
        field,
        before: stored.map(str::to_owned),
        after: Some(new.to_owned()),
    })
}

/// The setup records (customer groups, branches) an import creates the first time a row
/// needs one, by name key: looked up once, created once, and listed for the batch.
#[derive(Debug)]
pub(crate) struct CreatedOnce<Id> {
    ids: HashMap<String, Id>,
    created: Vec<String>,
}

impl<Id> Default for CreatedOnce<Id> {
    fn default() -> Self {
        Self {
            ids: HashMap::new(),
            created: Vec::new(),
        }
    }
}

impl<Id: Copy> CreatedOnce<Id> {
    /// The id of the record named `name`: found by `find`, else made by `create` (which
    /// gives the stored name), remembered either way.
    pub(crate) fn get_or_create(
        &mut self,
        store: &mut Store,
        name: &str,
        find: impl FnOnce(&mut Store) -> Result<Option<Id>>,
        create: impl FnOnce(&mut Store) -> Result<(Id, String)>,
    ) -> Result<Id> {
        let key = tuonti_domain::name_key(name);
        if let Some(id) = self.ids.get(&key) {
            return Ok(*id);
        }
        let id = match find(store)? {
            Some(id) => id,
            None => {
                let (id, stored_name) = create(store)?;
                self.created.push(stored_name);
                id
            }
        };
        self.ids.insert(key, id);
        Ok(id)
    }

    /// The names of the records created, once (for the batch's report).
    pub(crate) fn take_created(&mut self) -> Vec<String> {
        std::mem::take(&mut self.created)
    }
}

/// Journals the updates a chunk wrote: each stored record's before-image (as planned) and
/// after-image (as written), under `kind`.
pub(crate) fn journal_updates<T: Serialize + Clone>(
    store: &mut Store,
    batch: ImportBatchId,
    kind: RecordKind,
    befores: Vec<&T>,
    afters: Vec<T>,
    id: impl Fn(&T) -> i64,
) -> Result<()> {
    if afters.is_empty() {
        return Ok(());
    }
    let journal: Vec<tuonti_persistence::RecordChange<T>> = befores
        .into_iter()
        .zip(afters)
        .map(|(before, after)| tuonti_persistence::RecordChange {
            entity_id: id(&after),
            action: tuonti_domain::ChangeAction::Updated,
            before: Some(before.clone()),
            after: Some(after),
        })
        .collect();
    store.record_changes(batch, kind, &journal)?;
    Ok(())
}

/// An error issue from a refused reference.
pub(crate) fn refused_issue(code: IssueCode, error: &DomainError, location: Location) -> Issue {
    Issue::error(code, error.localized()).at(location)
}
