//! Companies.

use crate::schema::{companies, projects};
use crate::store::with_conn;
use crate::util::{count, now, on_unique};
use crate::{Result, Store};
use chrono::NaiveDateTime;
use diesel::prelude::*;
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
    company_type_id: i64,
    customer_group_id: Option<i64>,
    account_manager_id: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    created_by_batch: Option<i64>,
    updated_by_batch: Option<i64>,
}

impl<'a> NewCompanyRow<'a> {
    fn new(company: &'a NewCompany, at: NaiveDateTime) -> Self {
        let fields = &company.fields;
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

/// How many companies go into one INSERT statement: 21 values each stays well under SQLite's
/// 32,766 bound values and PostgreSQL's 65,535.
const COMPANIES_PER_STATEMENT: usize = 1_000;

/// How many keys go into one `IN (...)` lookup.
const KEYS_PER_LOOKUP: usize = 5_000;

#[derive(AsChangeset)]
#[diesel(table_name = companies)]
#[diesel(treat_none_as_null = true)]
struct CompanyChangeset<'a> {
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
    company_type_id: i64,
    customer_group_id: Option<i64>,
    account_manager_id: i64,
    updated_at: NaiveDateTime,
    updated_by_batch: Option<i64>,
}

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

impl Store {
    /// Stores a new company.
    ///
    /// # Errors
    ///
    /// [`DomainError::Conflict`] when another company has the business ID;
    /// [`crate::PersistenceError::Query`] on database failure, including a type, group or
    /// manager id that does not exist.
    pub fn insert_company(&mut self, company: &NewCompany) -> Result<Company> {
        let row = NewCompanyRow::new(company, now());
        let inserted: CompanyRow = with_conn!(self, c => diesel::insert_into(companies::table)
            .values(&row)
            .returning(CompanyRow::as_returning())
            .get_result(c))
        .map_err(|error| {
            on_unique(error, |_| DomainError::Conflict {
                entity: Entity::Company,
                field: "business_id",
                value: company.fields.business_id.clone().unwrap_or_default(),
                existing: None,
            })
        })?;
        Ok(inserted.into())
    }

    /// The companies that match `filter`, ordered by name.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn companies(&mut self, filter: &CompanyFilter) -> Result<Vec<Company>> {
        let rows: Vec<CompanyRow> = with_conn!(self, c => {
            let mut query = companies::table
                .select(CompanyRow::as_select())
                .order((companies::name_key.asc(), companies::id.asc()))
                .into_boxed();
            if let Some(company_type) = filter.company_type {
                query = query.filter(companies::company_type_id.eq(company_type.0));
            }
            if let Some(group) = filter.customer_group {
                query = query.filter(companies::customer_group_id.eq(group.0));
            }
            if let Some(manager) = filter.account_manager {
                query = query.filter(companies::account_manager_id.eq(manager.0));
            }
            query.load(c)
        })?;
        Ok(rows.into_iter().map(Company::from).collect())
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
        let at = now();
        let mut stored = 0;
        for chunk in new.chunks(COMPANIES_PER_STATEMENT) {
            let rows: Vec<NewCompanyRow<'_>> = chunk
                .iter()
                .map(|company| NewCompanyRow::new(company, at))
                .collect();
            let inserted = with_conn!(self, c => diesel::insert_into(companies::table)
                .values(&rows)
                .execute(c))
            .map_err(|error| {
                on_unique(error, |_| DomainError::Conflict {
                    entity: Entity::Company,
                    field: "business_id",
                    value: String::new(),
                    existing: None,
                })
            })?;
            stored += inserted as u64;
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
        let fields = &company.fields;
        let changeset = CompanyChangeset {
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
            company_type_id: company.company_type_id.0,
            customer_group_id: company.customer_group_id.map(|g| g.0),
            account_manager_id: company.account_manager_id.0,
            updated_at: now(),
            updated_by_batch: company.updated_by_batch.map(|b| b.0),
        };
        let updated: Option<CompanyRow> =
            with_conn!(self, c => diesel::update(companies::table.find(company.id.0))
            .set(&changeset)
            .returning(CompanyRow::as_returning())
            .get_result(c)
            .optional())
            .map_err(|error| {
                on_unique(error, |_| DomainError::Conflict {
                    entity: Entity::Company,
                    field: "business_id",
                    value: fields.business_id.clone().unwrap_or_default(),
                    existing: None,
                })
            })?;
        updated.map(Company::from).ok_or_else(|| {
            DomainError::NotFound {
                entity: Entity::Company,
                key: company.id.to_string(),
            }
            .into()
        })
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
