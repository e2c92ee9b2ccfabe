//! Companies.

use crate::schema::{companies, projects};
use crate::store::{Conn, with_conn};
use crate::util::{count, now, on_unique};
use crate::{Page, Result, Store};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::Timestamp;
use diesel::sqlite::Sqlite;
use std::collections::HashMap;
use tuonti_domain::{
    Company, CompanyFields, CompanyId, CompanyTypeId, CustomerGroupId, DomainError, Entity,
    ImportBatchId, NewCompany, UserId, name_key,
};

#[derive(Queryable, Selectable)]
#[diesel(table_name = companies)]
struct CompanyRow {
    id: i64,
    name: String,
    name_extension: Option<String>,
    business_id: Option<String>,
    vat_number: Option<String>,
    street_address: Option<String>,
    postal_code: Option<String>,
    city: Option<String>,
    country: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    website: Option<String>,
    e_invoice_address: Option<String>,
    e_invoice_operator: Option<String>,
    customer_number: Option<String>,
    notes: Option<String>,
    company_type_id: i64,
    customer_group_id: Option<i64>,
    account_manager_id: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    created_by_batch: Option<i64>,
    updated_by_batch: Option<i64>,
}

impl From<CompanyRow> for Company {
    fn from(row: CompanyRow) -> Self {
        Company {
            id: CompanyId(row.id),
            fields: CompanyFields {
                name: row.name,
                name_extension: row.name_extension,
                business_id: row.business_id,
                vat_number: row.vat_number,
                street_address: row.street_address,
                postal_code: row.postal_code,
                city: row.city,
                country: row.country,
                phone: row.phone,
                email: row.email,
                website: row.website,
                e_invoice_address: row.e_invoice_address,
                e_invoice_operator: row.e_invoice_operator,
                customer_number: row.customer_number,
                notes: row.notes,
            },
            company_type_id: CompanyTypeId(row.company_type_id),
            customer_group_id: row.customer_group_id.map(CustomerGroupId),
            account_manager_id: UserId(row.account_manager_id),
            created_at: row.created_at,
            updated_at: row.updated_at,
            created_by_batch: row.created_by_batch.map(ImportBatchId),
            updated_by_batch: row.updated_by_batch.map(ImportBatchId),
        }
    }
}

/// The conflict of a unique violation on `companies`: its customer number when the database
/// names that constraint, else its business ID.
fn company_conflict(detail: &str, fields: Option<&CompanyFields>) -> DomainError {
    let (field, value) = if detail.contains("customer_number") {
        (
            "customer_number",
            fields.and_then(|f| f.customer_number.clone()),
        )
    } else {
        ("business_id", fields.and_then(|f| f.business_id.clone()))
    };
    DomainError::Conflict {
        entity: Entity::Company,
        field,
        value: value.unwrap_or_default(),
        existing: None,
    }
}

/// A company an import created, with the keys other rows name it by (see
/// [`Store::companies_created_since`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedCompanyKeys {
    /// The stored id.
    pub id: CompanyId,
    /// The customer number.
    pub customer_number: Option<String>,
    /// The business ID.
    pub business_id: Option<String>,
    /// The name.
    pub name: String,
}

/// A new company to store, borrowing its values: what [`Store::insert_new_companies`] takes,
/// so a caller that holds the fields elsewhere need not copy them into a
/// [`NewCompany`].
#[derive(Debug, Clone, Copy)]
pub struct NewCompanyRef<'a> {
    /// The canonical values.
    pub fields: &'a CompanyFields,
    /// The company type.
    pub company_type_id: CompanyTypeId,
    /// The customer group, if any.
    pub customer_group_id: Option<CustomerGroupId>,
    /// The account manager.
    pub account_manager_id: UserId,
    /// The import batch that creates it, if any.
    pub created_by_batch: Option<ImportBatchId>,
}

impl<'a> From<&'a NewCompany> for NewCompanyRef<'a> {
    fn from(company: &'a NewCompany) -> Self {
        Self {
            fields: &company.fields,
            company_type_id: company.company_type_id,
            customer_group_id: company.customer_group_id,
            account_manager_id: company.account_manager_id,
            created_by_batch: company.created_by_batch,
        }
    }
}

/// A time bound as a `TIMESTAMP`, formatted once for SQLite (which stores it as text) however
/// many rows share it; PostgreSQL gets its binary form.
#[derive(Debug, diesel::expression::AsExpression)]
#[diesel(sql_type = Timestamp)]
pub(crate) struct StoredTime {
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    at: NaiveDateTime,
    /// `at` as diesel writes a `NaiveDateTime` to SQLite (`%F %T%.f`).
    text: String,
}

impl StoredTime {
    pub(crate) fn new(at: NaiveDateTime) -> Self {
        Self {
            at,
            text: at.format("%F %T%.f").to_string(),
        }
    }
}

impl ToSql<Timestamp, Sqlite> for StoredTime {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(self.text.as_str());
        Ok(IsNull::No)
    }
}

#[cfg(feature = "postgres")]
impl ToSql<Timestamp, diesel::pg::Pg> for StoredTime {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, diesel::pg::Pg>) -> serialize::Result {
        <NaiveDateTime as ToSql<Timestamp, diesel::pg::Pg>>::to_sql(&self.at, out)
    }
}

#[derive(Insertable)]
#[diesel(table_name = companies)]
#[diesel(treat_none_as_default_value = false)]
struct NewCompanyRow<'a> {
    name: &'a str,
    name_key: String,
    name_extension: Option<&'a str>,
    business_id: Option<&'a str>,
    vat_number: Option<&'a str>,
    street_address: Option<&'a str>,
    postal_code: Option<&'a str>,
    city: Option<&'a str>,
    country: Option<&'a str>,
    phone: Option<&'a str>,
    email: Option<&'a str>,
    website: Option<&'a str>,
    e_invoice_address: Option<&'a str>,
    e_invoice_operator: Option<&'a str>,
    customer_number: Option<&'a str>,
    notes: Option<&'a str>,
    company_type_id: i64,
    customer_group_id: Option<i64>,
    account_manager_id: i64,
    created_at: &'a StoredTime,
    updated_at: &'a StoredTime,
    created_by_batch: Option<i64>,
    updated_by_batch: Option<i64>,
}

impl<'a> NewCompanyRow<'a> {
    fn new(company: NewCompanyRef<'a>, at: &'a StoredTime) -> Self {
        let fields = company.fields;
        Self {
            name: &fields.name,
            name_key: name_key(&fields.name),
            name_extension: fields.name_extension.as_deref(),
            business_id: fields.business_id.as_deref(),
            vat_number: fields.vat_number.as_deref(),
            street_address: fields.street_address.as_deref(),
            postal_code: fields.postal_code.as_deref(),
            city: fields.city.as_deref(),
            country: fields.country.as_deref(),
            phone: fields.phone.as_deref(),
            email: fields.email.as_deref(),
            website: fields.website.as_deref(),
            e_invoice_address: fields.e_invoice_address.as_deref(),
            e_invoice_operator: fields.e_invoice_operator.as_deref(),
            customer_number: fields.customer_number.as_deref(),
            notes: fields.notes.as_deref(),
            company_type_id: company.company_type_id.0,
            customer_group_id: company.customer_group_id.map(|g| g.0),
            account_manager_id: company.account_manager_id.0,
            created_at: at,
            updated_at: at,
            created_by_batch: company.created_by_batch.map(|b| b.0),
            updated_by_batch: company.created_by_batch.map(|b| b.0),
        }
    }
}

/// The statement sizes, largest first, that [`Store::insert_new_companies`] splits companies
/// into: each size is one prepared statement that diesel caches and reuses (a statement of
/// any other length would be parsed again every time). 23 values a company: the largest is
/// well under SQLite's 32,766 bound values and PostgreSQL's 65,535.
const INSERT_SIZES: [usize; 4] = [512, 64, 8, 1];

/// How many keys go into one `IN (...)` lookup.
pub(crate) const KEYS_PER_LOOKUP: usize = 5_000;

/// Which companies [`Store::companies`] lists; every set criterion must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompanyFilter {
    /// Only companies of this type.
    pub company_type: Option<CompanyTypeId>,
    /// Only companies of this group.
    pub customer_group: Option<CustomerGroupId>,
    /// Only companies of this account manager.
    pub account_manager: Option<UserId>,
}

/// The companies that match a [`CompanyFilter`], as a boxed query of the backend at hand
/// (inside `with_conn!`), for the listing and its count alike.
macro_rules! filtered_companies {
    ($filter:expr) => {{
        let filter: &CompanyFilter = $filter;
        let mut query = companies::table.into_boxed();
        if let Some(company_type) = filter.company_type {
            query = query.filter(companies::company_type_id.eq(company_type.0));
        }
        if let Some(group) = filter.customer_group {
            query = query.filter(companies::customer_group_id.eq(group.0));
        }
        if let Some(manager) = filter.account_manager {
            query = query.filter(companies::account_manager_id.eq(manager.0));
        }
        query
    }};
}

impl Store {
    /// Stores a new company.
    ///
    /// # Errors
    ///
    /// [`DomainError::Conflict`] when another company has the business ID;
    /// [`crate::PersistenceError::Query`] on database failure, including a type, group or
    /// manager id that does not exist.
    pub fn insert_company(&mut self, company: &NewCompany) -> Result<Company> {
        let at = StoredTime::new(now());
        let row = NewCompanyRow::new(company.into(), &at);
        let inserted: CompanyRow = with_conn!(self, c => diesel::insert_into(companies::table)
            .values(&row)
            .returning(CompanyRow::as_returning())
            .get_result(c))
        .map_err(|error| {
            on_unique(error, |detail| {
                company_conflict(detail, Some(&company.fields))
            })
        })?;
        Ok(inserted.into())
    }

    /// The companies that match `filter`, ordered by name (the id breaks ties).
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn companies(&mut self, filter: &CompanyFilter) -> Result<Vec<Company>> {
        self.companies_in(filter, None)
    }

    /// The companies that match `filter` in the order of [`Store::companies`], only those of
    /// `page` when one is given.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn companies_in(
        &mut self,
        filter: &CompanyFilter,
        page: Option<Page>,
    ) -> Result<Vec<Company>> {
        let rows: Vec<CompanyRow> = with_conn!(self, c => {
            let mut query = filtered_companies!(filter)
                .select(CompanyRow::as_select())
                .order((companies::name_key.asc(), companies::id.asc()));
            if let Some(page) = page {
                let (limit, offset) = page.sql();
                query = query.limit(limit).offset(offset);
            }
            query.load(c)
        })?;
        Ok(rows.into_iter().map(Company::from).collect())
    }

    /// How many companies match `filter` (all pages of [`Store::companies_in`]).
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn count_companies_matching(&mut self, filter: &CompanyFilter) -> Result<u64> {
        let n: i64 = with_conn!(self, c => filtered_companies!(filter)
            .select(diesel::dsl::count_star())
            .get_result(c))?;
        Ok(count(n))
    }

    /// The company with `business_id` (canonical form), if any.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn company_by_business_id(&mut self, business_id: &str) -> Result<Option<Company>> {
        let row: Option<CompanyRow> = with_conn!(self, c => companies::table
            .filter(companies::business_id.eq(business_id))
            .select(CompanyRow::as_select())
            .first(c)
            .optional())?;
        Ok(row.map(Company::from))
    }

    /// Stores many new companies in multi-row statements (no rows are read back) and returns
    /// how many were stored. Their ids are found through [`Store::companies_created_by_batch`].
    ///
    /// # Errors
    ///
    /// [`DomainError::Conflict`] when a business ID is taken (nothing of this call is kept when
    /// it runs in the caller's transaction); [`crate::PersistenceError::Query`] on database
    /// failure.
    pub fn insert_companies(&mut self, new: &[NewCompany]) -> Result<u64> {
        let refs: Vec<NewCompanyRef<'_>> = new.iter().map(NewCompanyRef::from).collect();
        self.insert_new_companies(&refs)
    }

    /// [`Store::insert_companies`] from borrowed values: every company gets the same creation
    /// time; SQLite stores them in multi-row statements of a few fixed sizes, each prepared
    /// once per connection; PostgreSQL copies them in with `COPY ... FROM STDIN`.
    ///
    /// # Errors
    ///
    /// As [`Store::insert_companies`].
    pub fn insert_new_companies(&mut self, new: &[NewCompanyRef<'_>]) -> Result<u64> {
        let at = StoredTime::new(now());
        let rows: Vec<NewCompanyRow<'_>> = new
            .iter()
            .map(|company| NewCompanyRow::new(*company, &at))
            .collect();
        let conflict = |error| on_unique(error, |detail| company_conflict(detail, None));
        let mut stored = 0;
        if let Some(refs) = &mut self.unchecked {
            for row in &rows {
                refs.company(
                    row.company_type_id,
                    row.customer_group_id,
                    row.account_manager_id,
                    [row.created_by_batch, row.updated_by_batch],
                );
            }
        }
        match &mut self.conn {
            Conn::Sqlite(c) => {
                let mut rest: &[NewCompanyRow<'_>] = &rows;
                while !rest.is_empty() {
                    let inserted = match rest.len() {
                        n if n >= INSERT_SIZES[0] => {
                            insert_array::<{ INSERT_SIZES[0] }>(c, &mut rest)
                        }
                        n if n >= INSERT_SIZES[1] => {
                            insert_array::<{ INSERT_SIZES[1] }>(c, &mut rest)
                        }
                        n if n >= INSERT_SIZES[2] => {
                            insert_array::<{ INSERT_SIZES[2] }>(c, &mut rest)
                        }
                        _ => insert_array::<{ INSERT_SIZES[3] }>(c, &mut rest),
                    }
                    .map_err(conflict)?;
                    stored += inserted as u64;
                }
            }
            #[cfg(feature = "postgres")]
            Conn::Pg(_) => {
                if !rows.is_empty() {
                    stored += self.with_generic_plans(|store| {
                        let Conn::Pg(c) = &mut store.conn else {
                            return Ok(0);
                        };
                        let inserted = diesel::copy_from(companies::table)
                            .from_insertable(&rows)
                            .execute(c)
                            .map_err(conflict)?;
                        Ok(inserted as u64)
                    })?;
                }
            }
        }
        Ok(stored)
    }

    /// The companies an import batch created, by id.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn companies_created_by_batch(&mut self, batch: ImportBatchId) -> Result<Vec<Company>> {
        let rows: Vec<CompanyRow> = with_conn!(self, c => companies::table
            .filter(companies::created_by_batch.eq(batch.0))
            .order(companies::id.asc())
            .select(CompanyRow::as_select())
            .load(c))?;
        Ok(rows.into_iter().map(Company::from).collect())
    }

    /// Writes a company's fields, type, group, manager and `updated_by_batch` as given (the
    /// creation fields stay) and returns it as stored, with `updated_at` set to now.
    ///
    /// # Errors
    ///
    /// [`DomainError::NotFound`] for an unknown id; [`DomainError::Conflict`] when the business
    /// ID belongs to another company; [`crate::PersistenceError::Query`] on database failure.
    pub fn update_company(&mut self, company: &Company) -> Result<Company> {
        let mut stored = self.update_companies(std::slice::from_ref(company))?;
        stored.pop().ok_or_else(|| {
            DomainError::NotFound {
                entity: Entity::Company,
                key: company.id.to_string(),
            }
            .into()
        })
    }

    /// [`Store::update_company`] for many companies: one prepared statement reused for every
    /// company (on SQLite), then the stored companies read back in batched lookups. Returns
    /// them in the order given, all with the same `updated_at`. Run it in a transaction: a
    /// failure leaves the companies before it updated.
    ///
    /// # Errors
    ///
    /// As [`Store::update_company`], for the first company that fails.
    pub fn update_companies(&mut self, companies: &[Company]) -> Result<Vec<Company>> {
        self.write_companies(companies, false)
    }

    /// Writes companies back as given, their `updated_at` and `updated_by_batch` included: what
    /// an undo does to restore the before-images of an import, so that a record restored is
    /// exactly as it was (and counts as untouched again when an earlier batch is undone).
    ///
    /// # Errors
    ///
    /// As [`Store::update_companies`].
    pub fn restore_companies(&mut self, companies: &[Company]) -> Result<Vec<Company>> {
        self.write_companies(companies, true)
    }

    fn write_companies(&mut self, companies: &[Company], restore: bool) -> Result<Vec<Company>> {
        let now_at = StoredTime::new(now());
        self.with_generic_plans(|store| {
            for company in companies {
                let own_at = restore.then(|| StoredTime::new(company.updated_at));
                let at = own_at.as_ref().unwrap_or(&now_at);
                let fields = &company.fields;
                let update = UpdateCompany {
                    id: company.id.0,
                    name: &fields.name,
                    name_key: name_key(&fields.name),
                    texts: [
                        fields.name_extension.as_deref(),
                        fields.business_id.as_deref(),
                        fields.vat_number.as_deref(),
                        fields.street_address.as_deref(),
                        fields.postal_code.as_deref(),
                        fields.city.as_deref(),
                        fields.country.as_deref(),
                        fields.phone.as_deref(),
                        fields.email.as_deref(),
                        fields.website.as_deref(),
                        fields.e_invoice_address.as_deref(),
                        fields.e_invoice_operator.as_deref(),
                        fields.customer_number.as_deref(),
                        fields.notes.as_deref(),
                    ],
                    company_type_id: company.company_type_id.0,
                    customer_group_id: company.customer_group_id.map(|g| g.0),
                    account_manager_id: company.account_manager_id.0,
                    updated_at: at,
                    updated_by_batch: company.updated_by_batch.map(|b| b.0),
                };
                if let Some(refs) = &mut store.unchecked {
                    refs.company(
                        update.company_type_id,
                        update.customer_group_id,
                        update.account_manager_id,
                        [None, update.updated_by_batch],
                    );
                }
                let updated = with_conn!(store, c => update.execute(c)).map_err(|error| {
                    on_unique(error, |detail| company_conflict(detail, Some(fields)))
                })?;
                if updated == 0 {
                    return Err(DomainError::NotFound {
                        entity: Entity::Company,
                        key: company.id.to_string(),
                    }
                    .into());
                }
            }
            Ok(())
        })?;
        let ids: Vec<CompanyId> = companies.iter().map(|company| company.id).collect();
        let mut by_id: HashMap<CompanyId, Company> = self
            .companies_by_ids(&ids)?
            .into_iter()
            .map(|company| (company.id, company))
            .collect();
        ids.iter()
            .map(|id| {
                by_id.remove(id).ok_or_else(|| {
                    DomainError::NotFound {
                        entity: Entity::Company,
                        key: id.to_string(),
                    }
                    .into()
                })
            })
            .collect()
    }

    /// Deletes companies (their contacts go with them); returns how many were deleted.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure, e.g. when a project still
    /// refers to one of them.
    pub fn delete_companies(&mut self, ids: &[CompanyId]) -> Result<u64> {
        let mut deleted = 0;
        for chunk in ids.chunks(KEYS_PER_LOOKUP) {
            let raw: Vec<i64> = chunk.iter().map(|id| id.0).collect();
            deleted += with_conn!(self, c => diesel::delete(companies::table.filter(companies::id.eq_any(&raw)))
                .execute(c))? as u64;
        }
        Ok(deleted)
    }

    /// The companies with these ids that exist.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn companies_by_ids(&mut self, ids: &[CompanyId]) -> Result<Vec<Company>> {
        self.companies_in_chunks(ids, |store, chunk| {
            let raw: Vec<i64> = chunk.iter().map(|id| id.0).collect();
            Ok(with_conn!(store, c => companies::table
                .filter(companies::id.eq_any(&raw))
                .select(CompanyRow::as_select())
                .load(c))?)
        })
    }

    /// The companies whose business ID (canonical form) is one of `business_ids`, looked up
    /// in batches.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn companies_by_business_ids(&mut self, business_ids: &[&str]) -> Result<Vec<Company>> {
        self.companies_in_chunks(business_ids, |store, chunk| {
            Ok(with_conn!(store, c => companies::table
                .filter(companies::business_id.eq_any(chunk))
                .select(CompanyRow::as_select())
                .load(c))?)
        })
    }

    /// The companies whose customer number is one of `customer_numbers`, looked up in
    /// batches.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn companies_by_customer_numbers(
        &mut self,
        customer_numbers: &[&str],
    ) -> Result<Vec<Company>> {
        self.companies_in_chunks(customer_numbers, |store, chunk| {
            Ok(with_conn!(store, c => companies::table
                .filter(companies::customer_number.eq_any(chunk))
                .select(CompanyRow::as_select())
                .load(c))?)
        })
    }

    /// The companies whose name key ([`name_key`]) is one of `name_keys`, looked up in
    /// batches. The caller compares countries.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn companies_by_name_keys(&mut self, name_keys: &[&str]) -> Result<Vec<Company>> {
        self.companies_in_chunks(name_keys, |store, chunk| {
            Ok(with_conn!(store, c => companies::table
                .filter(companies::name_key.eq_any(chunk))
                .select(CompanyRow::as_select())
                .load(c))?)
        })
    }

    /// The companies without a business ID whose name key ([`name_key`]) is one of
    /// `name_keys`, looked up in batches. The caller compares countries.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn companies_without_business_id_by_name_keys(
        &mut self,
        name_keys: &[&str],
    ) -> Result<Vec<Company>> {
        self.companies_in_chunks(name_keys, |store, chunk| {
            Ok(with_conn!(store, c => companies::table
                .filter(companies::name_key.eq_any(chunk))
                .filter(companies::business_id.is_null())
                .select(CompanyRow::as_select())
                .load(c))?)
        })
    }

    /// Runs `load` over `keys` in chunks of [`KEYS_PER_LOOKUP`] (one `IN (...)` query each)
    /// and collects the companies.
    fn companies_in_chunks<K>(
        &mut self,
        keys: &[K],
        mut load: impl FnMut(&mut Store, &[K]) -> Result<Vec<CompanyRow>>,
    ) -> Result<Vec<Company>> {
        let mut found = Vec::new();
        for chunk in keys.chunks(KEYS_PER_LOOKUP) {
            found.extend(load(self, chunk)?.into_iter().map(Company::from));
        }
        Ok(found)
    }

    /// Which of these companies have projects.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn companies_with_projects(&mut self, ids: &[CompanyId]) -> Result<Vec<CompanyId>> {
        let mut found = Vec::new();
        for chunk in ids.chunks(KEYS_PER_LOOKUP) {
            let raw: Vec<i64> = chunk.iter().map(|id| id.0).collect();
            let rows: Vec<i64> = with_conn!(self, c => projects::table
                .filter(projects::company_id.eq_any(&raw))
                .select(projects::company_id)
                .distinct()
                .load(c))?;
            found.extend(rows.into_iter().map(CompanyId));
        }
        Ok(found)
    }

    /// Whether any company is stored (cheaper than counting them).
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn has_companies(&mut self) -> Result<bool> {
        let found: Option<i64> = with_conn!(self, c => companies::table
            .select(companies::id)
            .first(c)
            .optional())?;
        Ok(found.is_some())
    }

    /// The companies `batch` created with an id above `after`, in id order, with their keys:
    /// what an import that refers to the companies it just wrote needs of them (one prepared
    /// statement, on the batch index).
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn companies_created_since(
        &mut self,
        batch: ImportBatchId,
        after: CompanyId,
    ) -> Result<Vec<CreatedCompanyKeys>> {
        let rows: Vec<(i64, Option<String>, Option<String>, String)> = with_conn!(self, c => companies::table
            .filter(companies::created_by_batch.eq(batch.0))
            .filter(companies::id.gt(after.0))
            .order(companies::id.asc())
            .select((
                companies::id,
                companies::customer_number,
                companies::business_id,
                companies::name,
            ))
            .load(c))?;
        Ok(rows
            .into_iter()
            .map(
                |(id, customer_number, business_id, name)| CreatedCompanyKeys {
                    id: CompanyId(id),
                    customer_number,
                    business_id,
                    name,
                },
            )
            .collect())
    }

    /// How many companies are stored.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn count_companies(&mut self) -> Result<u64> {
        let n: i64 = with_conn!(self, c => companies::table.count().get_result(c))?;
        Ok(count(n))
    }
}

impl Store {
    /// How many companies each company type, customer group and account manager has. Records
    /// with no companies are absent from the maps.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn company_counts(&mut self) -> Result<CompanyCounts> {
        let (by_type, by_group, by_manager) = with_conn!(self, c => {
            let by_type: Vec<(i64, i64)> = companies::table
                .group_by(companies::company_type_id)
                .select((companies::company_type_id, diesel::dsl::count_star()))
                .load(c)?;
            let by_group: Vec<(Option<i64>, i64)> = companies::table
                .group_by(companies::customer_group_id)
                .select((companies::customer_group_id, diesel::dsl::count_star()))
                .load(c)?;
            let by_manager: Vec<(i64, i64)> = companies::table
                .group_by(companies::account_manager_id)
                .select((companies::account_manager_id, diesel::dsl::count_star()))
                .load(c)?;
            QueryResult::Ok((by_type, by_group, by_manager))
        })?;
        Ok(CompanyCounts {
            by_type: by_type
                .into_iter()
                .map(|(id, n)| (CompanyTypeId(id), count(n)))
                .collect(),
            by_group: by_group
                .into_iter()
                .filter_map(|(id, n)| id.map(|id| (CustomerGroupId(id), count(n))))
                .collect(),
            by_manager: by_manager
                .into_iter()
                .map(|(id, n)| (UserId(id), count(n)))
                .collect(),
        })
    }
}

/// Inserts the first `N` of `rest` in one statement and moves `rest` past them.
fn insert_array<const N: usize>(
    c: &mut diesel::sqlite::SqliteConnection,
    rest: &mut &[NewCompanyRow<'_>],
) -> QueryResult<usize> {
    let (head, tail) = rest.split_at(N);
    let rows: &[NewCompanyRow<'_>; N] = head.try_into().map_err(|_| {
        diesel::result::Error::QueryBuilderError("a chunk of the wrong length".into())
    })?;
    let inserted = InsertCompanies { rows }.execute(c)?;
    if inserted != N {
        // `OR IGNORE` left out a row whose business ID is taken.
        return Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            Box::new(
                "UNIQUE constraint failed: a business ID or customer number of companies"
                    .to_owned(),
            ),
        ));
    }
    *rest = tail;
    Ok(inserted)
}

/// `INSERT OR IGNORE INTO companies (...) VALUES (...), ...` of exactly `N` rows on SQLite
/// (a taken business ID leaves its row out, and [`insert_array`] turns that into a unique
/// violation: with `OR IGNORE` and no immediate foreign keys, SQLite needs no statement journal;
/// see [`Store::bulk_transaction`]). Its query id
/// depends on `N` alone, so diesel prepares it once per connection and reuses it; diesel's own
/// multi-row insert of borrowed values is parsed again every time (its query id would hold
/// the borrow).
struct InsertCompanies<'a, const N: usize> {
    rows: &'a [NewCompanyRow<'a>; N],
}

/// The query id of [`InsertCompanies`] of `N` rows.
struct InsertCompaniesId<const N: usize>;

impl<const N: usize> QueryId for InsertCompanies<'_, N> {
    type QueryId = InsertCompaniesId<N>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<const N: usize> QueryFragment<Sqlite> for InsertCompanies<'_, N> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        use diesel::sql_types::{BigInt, Nullable, Text};
        out.push_sql(
            "INSERT OR IGNORE INTO companies (name, name_key, name_extension, business_id, vat_number, \
             street_address, postal_code, city, country, phone, email, website, \
             e_invoice_address, e_invoice_operator, customer_number, notes, company_type_id, customer_group_id, \
             account_manager_id, created_at, updated_at, created_by_batch, updated_by_batch) \
             VALUES ",
        );
        for (index, row) in self.rows.iter().enumerate() {
            out.push_sql(if index == 0 { "(" } else { ", (" });
            out.push_bind_param::<Text, _>(&row.name)?;
            out.push_sql(", ");
            out.push_bind_param::<Text, _>(&row.name_key)?;
            for text in [
                &row.name_extension,
                &row.business_id,
                &row.vat_number,
                &row.street_address,
                &row.postal_code,
                &row.city,
                &row.country,
                &row.phone,
                &row.email,
                &row.website,
                &row.e_invoice_address,
                &row.e_invoice_operator,
                &row.customer_number,
                &row.notes,
            ] {
                out.push_sql(", ");
                out.push_bind_param::<Nullable<Text>, _>(text)?;
            }
            out.push_sql(", ");
            out.push_bind_param::<BigInt, _>(&row.company_type_id)?;
            out.push_sql(", ");
            out.push_bind_param::<Nullable<BigInt>, _>(&row.customer_group_id)?;
            out.push_sql(", ");
            out.push_bind_param::<BigInt, _>(&row.account_manager_id)?;
            out.push_sql(", ");
            out.push_bind_param::<Timestamp, _>(row.created_at)?;
            out.push_sql(", ");
            out.push_bind_param::<Timestamp, _>(row.updated_at)?;
            out.push_sql(", ");
            out.push_bind_param::<Nullable<BigInt>, _>(&row.created_by_batch)?;
            out.push_sql(", ");
            out.push_bind_param::<Nullable<BigInt>, _>(&row.updated_by_batch)?;
            out.push_sql(")");
        }
        Ok(())
    }
}

impl<const N: usize> RunQueryDsl<diesel::sqlite::SqliteConnection> for InsertCompanies<'_, N> {}

/// `UPDATE companies SET ... WHERE id = ?` of every column but the creation ones. diesel
/// prepares its own updates anew every time; this one has a static query id, so it is
/// prepared once per connection.
struct UpdateCompany<'a> {
    id: i64,
    name: &'a str,
    name_key: String,
    /// name_extension, business_id, vat_number, street_address, postal_code, city, country,
    /// phone, email, website, e_invoice_address, e_invoice_operator, customer_number, notes,
    /// in this order.
    texts: [Option<&'a str>; 14],
    company_type_id: i64,
    customer_group_id: Option<i64>,
    account_manager_id: i64,
    updated_at: &'a StoredTime,
    updated_by_batch: Option<i64>,
}

/// The columns [`UpdateCompany::texts`] sets, in its order.
const UPDATED_TEXT_COLUMNS: [&str; 14] = [
    "name_extension",
    "business_id",
    "vat_number",
    "street_address",
    "postal_code",
    "city",
    "country",
    "phone",
    "email",
    "website",
    "e_invoice_address",
    "e_invoice_operator",
    "customer_number",
    "notes",
];

impl QueryId for UpdateCompany<'_> {
    type QueryId = UpdateCompany<'static>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<DB> QueryFragment<DB> for UpdateCompany<'_>
where
    DB: diesel::backend::Backend,
    str: ToSql<diesel::sql_types::Text, DB>,
    String: ToSql<diesel::sql_types::Text, DB>,
    for<'x> Option<&'x str>: ToSql<diesel::sql_types::Nullable<diesel::sql_types::Text>, DB>,
    i64: ToSql<diesel::sql_types::BigInt, DB>,
    Option<i64>: ToSql<diesel::sql_types::Nullable<diesel::sql_types::BigInt>, DB>,
    StoredTime: ToSql<Timestamp, DB>,
    DB: diesel::sql_types::HasSqlType<diesel::sql_types::Text>
        + diesel::sql_types::HasSqlType<diesel::sql_types::BigInt>
        + diesel::sql_types::HasSqlType<Timestamp>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        use diesel::sql_types::{BigInt, Nullable, Text};
        out.push_sql("UPDATE companies SET name = ");
        out.push_bind_param::<Text, _>(self.name)?;
        out.push_sql(", name_key = ");
        out.push_bind_param::<Text, _>(&self.name_key)?;
        for (column, value) in UPDATED_TEXT_COLUMNS.iter().zip(self.texts.iter()) {
            out.push_sql(", ");
            out.push_sql(column);
            out.push_sql(" = ");
            out.push_bind_param::<Nullable<Text>, _>(value)?;
        }
        out.push_sql(", company_type_id = ");
        out.push_bind_param::<BigInt, _>(&self.company_type_id)?;
        out.push_sql(", customer_group_id = ");
        out.push_bind_param::<Nullable<BigInt>, _>(&self.customer_group_id)?;
        out.push_sql(", account_manager_id = ");
        out.push_bind_param::<BigInt, _>(&self.account_manager_id)?;
        out.push_sql(", updated_at = ");
        out.push_bind_param::<Timestamp, _>(self.updated_at)?;
        out.push_sql(", updated_by_batch = ");
        out.push_bind_param::<Nullable<BigInt>, _>(&self.updated_by_batch)?;
        out.push_sql(" WHERE id = ");
        out.push_bind_param::<BigInt, _>(&self.id)?;
        Ok(())
    }
}

impl<C: Connection> RunQueryDsl<C> for UpdateCompany<'_> {}

/// Company counts per type, group and account manager (see [`Store::company_counts`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompanyCounts {
    /// Companies per company type.
    pub by_type: HashMap<CompanyTypeId, u64>,
    /// Companies per customer group.
    pub by_group: HashMap<CustomerGroupId, u64>,
    /// Companies per account manager.
    pub by_manager: HashMap<UserId, u64>,
}
