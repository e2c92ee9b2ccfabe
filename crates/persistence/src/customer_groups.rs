//! Customer groups.

use crate::schema::{companies, customer_groups};
use crate::store::with_conn;
use crate::util::{count, now, on_unique};
use crate::{Result, Store};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use tuonti_domain::{
    CustomerGroup, CustomerGroupId, DomainError, Entity, ImportBatchId, clean_group_name, name_key,
};

#[derive(Queryable, Selectable)]
#[diesel(table_name = customer_groups)]
struct GroupRow {
    id: i64,
    name: String,
    created_by_batch: Option<i64>,
    created_at: NaiveDateTime,
}

impl From<GroupRow> for CustomerGroup {
    fn from(row: GroupRow) -> Self {
        CustomerGroup {
            id: CustomerGroupId(row.id),
            name: row.name,
            created_by_batch: row.created_by_batch.map(ImportBatchId),
            created_at: row.created_at,
        }
    }
}

fn conflict(name: &str, existing: Option<String>) -> DomainError {
    DomainError::Conflict {
        entity: Entity::CustomerGroup,
        field: "name",
        value: name.to_owned(),
        existing,
    }
}

fn not_found(key: impl ToString) -> DomainError {
    DomainError::NotFound {
        entity: Entity::CustomerGroup,
        key: key.to_string(),
    }
}

impl Store {
    /// Every customer group, ordered by name.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn customer_groups(&mut self) -> Result<Vec<CustomerGroup>> {
        let rows: Vec<GroupRow> = with_conn!(self, c => customer_groups::table
            .select(GroupRow::as_select())
            .order((customer_groups::name_key.asc(), customer_groups::id.asc()))
            .load(c))?;
        Ok(rows.into_iter().map(CustomerGroup::from).collect())
    }

    /// The customer group with `id`, if any.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn customer_group(&mut self, id: CustomerGroupId) -> Result<Option<CustomerGroup>> {
        let row: Option<GroupRow> = with_conn!(self, c => customer_groups::table
            .find(id.0)
            .select(GroupRow::as_select())
            .first(c)
            .optional())?;
        Ok(row.map(CustomerGroup::from))
    }

    /// The customer group named `name` in any letter case, if any.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn customer_group_by_name(&mut self, name: &str) -> Result<Option<CustomerGroup>> {
        let key = name_key(name);
        let row: Option<GroupRow> = with_conn!(self, c => customer_groups::table
            .filter(customer_groups::name_key.eq(&key))
            .select(GroupRow::as_select())
            .first(c)
            .optional())?;
        Ok(row.map(CustomerGroup::from))
    }

    /// Adds a customer group; `created_by_batch` records the import that created it.
    ///
    /// # Errors
    ///
    /// [`DomainError::Invalid`] for an empty name; [`DomainError::Conflict`] when the name is
    /// taken in any letter case; [`crate::PersistenceError::Query`] on database failure.
    pub fn add_customer_group(
        &mut self,
        name: &str,
        created_by_batch: Option<ImportBatchId>,
    ) -> Result<CustomerGroup> {
        let name = clean_group_name(name)?;
        self.transaction(|store| {
            if let Some(existing) = store.customer_group_by_name(&name)? {
                return Err(conflict(&name, Some(existing.name)).into());
            }
            let at = now();
            let inserted: GroupRow =
                with_conn!(store, c => diesel::insert_into(customer_groups::table)
                .values((
                    customer_groups::name.eq(&name),
                    customer_groups::name_key.eq(name_key(&name)),
                    customer_groups::created_by_batch.eq(created_by_batch.map(|b| b.0)),
                    customer_groups::created_at.eq(at),
                    customer_groups::updated_at.eq(at),
                ))
                .returning(GroupRow::as_returning())
                .get_result(c))
                .map_err(|error| on_unique(error, |_| conflict(&name, None)))?;
            Ok(inserted.into())
        })
    }

    /// Renames a customer group. A change of letter case only is allowed.
    ///
    /// # Errors
    ///
    /// [`DomainError::NotFound`], [`DomainError::Invalid`], [`DomainError::Conflict`] when
    /// another group has the new name; [`crate::PersistenceError::Query`] on database failure.
    pub fn rename_customer_group(
        &mut self,
        id: CustomerGroupId,
        new_name: &str,
    ) -> Result<CustomerGroup> {
        let new_name = clean_group_name(new_name)?;
        self.transaction(|store| {
            if let Some(existing) = store.customer_group_by_name(&new_name)?
                && existing.id != id
            {
                return Err(conflict(&new_name, Some(existing.name)).into());
            }
            let n = with_conn!(store, c => diesel::update(customer_groups::table.find(id.0))
                .set((
                    customer_groups::name.eq(&new_name),
                    customer_groups::name_key.eq(name_key(&new_name)),
                    customer_groups::updated_at.eq(now()),
                ))
                .execute(c))
            .map_err(|error| on_unique(error, |_| conflict(&new_name, None)))?;
            if n == 0 {
                return Err(not_found(id).into());
            }
            store
                .customer_group(id)?
                .ok_or_else(|| not_found(id).into())
        })
    }

    /// How many companies are in the group.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn customer_group_usage(&mut self, id: CustomerGroupId) -> Result<u64> {
        let n: i64 = with_conn!(self, c => companies::table
            .filter(companies::customer_group_id.eq(id.0))
            .count()
            .get_result(c))?;
        Ok(count(n))
    }

    /// Moves every company of group `from` to group `to` (or out of any group with `None`);
    /// returns how many moved.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure (nothing moves).
    pub fn reassign_customer_group(
        &mut self,
        from: CustomerGroupId,
        to: Option<CustomerGroupId>,
    ) -> Result<u64> {
        self.transaction(|store| {
            let n = with_conn!(store, c => diesel::update(
                companies::table.filter(companies::customer_group_id.eq(from.0)),
            )
            .set((
                companies::customer_group_id.eq(to.map(|g| g.0)),
                companies::updated_at.eq(now()),
            ))
            .execute(c))?;
            Ok(n as u64)
        })
    }

    /// Removes a customer group that no company uses.
    ///
    /// # Errors
    ///
    /// [`DomainError::NotFound`]; [`DomainError::InUse`] with the number of companies when
    /// companies are still in it; [`crate::PersistenceError::Query`] on database failure.
    pub fn remove_customer_group(&mut self, id: CustomerGroupId) -> Result<()> {
        self.transaction(|store| {
            let group = store.customer_group(id)?.ok_or_else(|| not_found(id))?;
            let n_companies = store.customer_group_usage(id)?;
            if n_companies > 0 {
                return Err(DomainError::InUse {
                    entity: Entity::CustomerGroup,
                    name: group.name,
                    companies: n_companies,
                    projects: 0,
                }
                .into());
            }
            with_conn!(store, c => diesel::delete(customer_groups::table.find(id.0)).execute(c))?;
            Ok(())
        })
    }
}
