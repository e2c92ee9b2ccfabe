//! Company types.

use crate::schema::{companies, company_types};
use crate::store::with_conn;
use crate::util::{count, now, on_unique};
use crate::{Result, Store};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use tuonti_domain::{
    CompanyType, CompanyTypeId, CompanyTypeNames, DEFAULT_COMPANY_TYPES, DomainError, Entity,
    check_type_names_free, name_key,
};

/// The settings key that records that the default types were seeded.
const DEFAULTS_SEEDED: &str = "default_company_types_seeded";

#[derive(Queryable, Selectable)]
#[diesel(table_name = company_types)]
struct CompanyTypeRow {
    id: i64,
    name_fi: String,
    name_sv: Option<String>,
    name_en: Option<String>,
    position: i32,
    archived: bool,
}

impl From<CompanyTypeRow> for CompanyType {
    fn from(row: CompanyTypeRow) -> Self {
        CompanyType {
            id: CompanyTypeId(row.id),
            names: CompanyTypeNames {
                fi: row.name_fi,
                sv: row.name_sv,
                en: row.name_en,
            },
            position: row.position,
            archived: row.archived,
        }
    }
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = company_types, treat_none_as_null = true)]
struct TypeNamesRow<'a> {
    name_fi: &'a str,
    name_sv: Option<&'a str>,
    name_en: Option<&'a str>,
    name_fi_key: String,
    name_sv_key: Option<String>,
    name_en_key: Option<String>,
    updated_at: NaiveDateTime,
}

impl<'a> TypeNamesRow<'a> {
    fn new(names: &'a CompanyTypeNames) -> Self {
        Self {
            name_fi: &names.fi,
            name_sv: names.sv.as_deref(),
            name_en: names.en.as_deref(),
            name_fi_key: name_key(&names.fi),
            name_sv_key: names.sv.as_deref().map(name_key),
            name_en_key: names.en.as_deref().map(name_key),
            updated_at: now(),
        }
    }
}

fn type_conflict(names: &CompanyTypeNames) -> impl FnOnce(&str) -> DomainError + '_ {
    move |detail| {
        let (field, value) = if detail.contains("name_sv_key") {
            ("name_sv", names.sv.clone().unwrap_or_default())
        } else if detail.contains("name_en_key") {
            ("name_en", names.en.clone().unwrap_or_default())
        } else {
            ("name_fi", names.fi.clone())
        };
        DomainError::Conflict {
            entity: Entity::CompanyType,
            field,
            value,
            existing: None,
        }
    }
}

impl Store {
    /// The company types in their order; archived ones only when `include_archived`.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn company_types(&mut self, include_archived: bool) -> Result<Vec<CompanyType>> {
        let rows: Vec<CompanyTypeRow> = with_conn!(self, c => {
            let mut query = company_types::table
                .select(CompanyTypeRow::as_select())
                .order((company_types::position.asc(), company_types::id.asc()))
                .into_boxed();
            if !include_archived {
                query = query.filter(company_types::archived.eq(false));
            }
            query.load(c)
        })?;
        Ok(rows.into_iter().map(CompanyType::from).collect())
    }

    /// The company type with `id`, if any.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn company_type(&mut self, id: CompanyTypeId) -> Result<Option<CompanyType>> {
        let row: Option<CompanyTypeRow> = with_conn!(self, c => company_types::table
            .find(id.0)
            .select(CompanyTypeRow::as_select())
            .first(c)
            .optional())?;
        Ok(row.map(CompanyType::from))
    }

    /// The company type that has `name` in any language (archived ones included), if any.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn company_type_by_name(&mut self, name: &str) -> Result<Option<CompanyType>> {
        let key = name_key(name);
        let row: Option<CompanyTypeRow> = with_conn!(self, c => company_types::table
            .filter(
                company_types::name_fi_key
                    .eq(&key)
                    .or(company_types::name_sv_key.eq(&key))
                    .or(company_types::name_en_key.eq(&key)),
            )
            .select(CompanyTypeRow::as_select())
            .first(c)
            .optional())?;
        Ok(row.map(CompanyType::from))
    }

    /// Adds a company type at the end of the order.
    ///
    /// # Errors
    ///
    /// [`DomainError::Conflict`] when one of the names is a name of another type in any
    /// language; [`crate::PersistenceError::Query`] on database failure.
    pub fn add_company_type(&mut self, names: &CompanyTypeNames) -> Result<CompanyType> {
        self.transaction(|store| {
            let existing = store.company_types(true)?;
            check_type_names_free(names, &existing, None)?;
            let position = existing.iter().map(|t| t.position).max().unwrap_or(0) + 1;
            let row = TypeNamesRow::new(names);
            let at = row.updated_at;
            let inserted: CompanyTypeRow =
                with_conn!(store, c => diesel::insert_into(company_types::table)
                .values((
                    &row,
                    company_types::position.eq(position),
                    company_types::archived.eq(false),
                    company_types::created_at.eq(at),
                ))
                .returning(CompanyTypeRow::as_returning())
                .get_result(c))
                .map_err(|error| on_unique(error, type_conflict(names)))?;
            Ok(inserted.into())
        })
    }

    /// Replaces the names of a company type.
    ///
    /// # Errors
    ///
    /// [`DomainError::NotFound`] for an unknown id; [`DomainError::Conflict`] when a name
    /// belongs to another type; [`crate::PersistenceError::Query`] on database failure.
    pub fn rename_company_type(
        &mut self,
        id: CompanyTypeId,
        names: &CompanyTypeNames,
    ) -> Result<CompanyType> {
        self.transaction(|store| {
            let existing = store.company_types(true)?;
            if !existing.iter().any(|t| t.id == id) {
                return Err(not_found(id).into());
            }
            check_type_names_free(names, &existing, Some(id))?;
            let row = TypeNamesRow::new(names);
            with_conn!(store, c => diesel::update(company_types::table.find(id.0))
                .set(&row)
                .execute(c))
            .map_err(|error| on_unique(error, type_conflict(names)))?;
            store.company_type(id)?.ok_or_else(|| not_found(id).into())
        })
    }

    /// Archives or restores a company type.
    ///
    /// # Errors
    ///
    /// [`DomainError::NotFound`] for an unknown id; [`crate::PersistenceError::Query`] on
    /// database failure.
    pub fn set_company_type_archived(
        &mut self,
        id: CompanyTypeId,
        archived: bool,
    ) -> Result<CompanyType> {
        self.transaction(|store| {
            let n = with_conn!(store, c => diesel::update(company_types::table.find(id.0))
                .set((
                    company_types::archived.eq(archived),
                    company_types::updated_at.eq(now()),
                ))
                .execute(c))?;
            if n == 0 {
                return Err(not_found(id).into());
            }
            store.company_type(id)?.ok_or_else(|| not_found(id).into())
        })
    }

    /// How many companies have the type.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn company_type_usage(&mut self, id: CompanyTypeId) -> Result<u64> {
        let n: i64 = with_conn!(self, c => companies::table
            .filter(companies::company_type_id.eq(id.0))
            .count()
            .get_result(c))?;
        Ok(count(n))
    }

    /// Gives every company of type `from` the type `to`; returns how many changed.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure (nothing changes).
    pub fn reassign_company_type(&mut self, from: CompanyTypeId, to: CompanyTypeId) -> Result<u64> {
        self.transaction(|store| {
            let n = with_conn!(store, c => diesel::update(
                companies::table.filter(companies::company_type_id.eq(from.0)),
            )
            .set((companies::company_type_id.eq(to.0), companies::updated_at.eq(now())))
            .execute(c))?;
            Ok(n as u64)
        })
    }

    /// Seeds the [`DEFAULT_COMPANY_TYPES`] once in the life of the database: returns `true`
    /// when it seeded them now, `false` when they were seeded before (even if an admin has
    /// since renamed or archived them).
    ///
    /// # Errors
    ///
    /// [`DomainError::Conflict`] when an admin-made type already uses a default name;
    /// [`crate::PersistenceError::Query`] on database failure (nothing is seeded).
    pub fn seed_default_company_types(&mut self) -> Result<bool> {
        self.transaction(|store| {
            if store.setting(DEFAULTS_SEEDED)?.is_some() {
                return Ok(false);
            }
            for default in DEFAULT_COMPANY_TYPES {
                let names = CompanyTypeNames::new(default.fi, Some(default.sv), Some(default.en))?;
                store.add_company_type(&names)?;
            }
            store.set_setting(DEFAULTS_SEEDED, "1")?;
            Ok(true)
        })
    }
}

fn not_found(id: CompanyTypeId) -> DomainError {
    DomainError::NotFound {
        entity: Entity::CompanyType,
        key: id.to_string(),
    }
}
