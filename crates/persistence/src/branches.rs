//! Branches of business: a setup list like customer groups, which projects refer to.

use crate::schema::{branches, projects};
use crate::store::with_conn;
use crate::util::{count, now, on_unique};
use crate::{Result, Store};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use std::collections::HashMap;
use tuonti_domain::{
    Branch, BranchId, DomainError, Entity, ImportBatchId, clean_branch_name, name_key,
};

#[derive(Queryable, Selectable)]
#[diesel(table_name = branches)]
struct BranchRow {
    id: i64,
    name: String,
    created_by_batch: Option<i64>,
    created_at: NaiveDateTime,
}

impl From<BranchRow> for Branch {
    fn from(row: BranchRow) -> Self {
        Branch {
            id: BranchId(row.id),
            name: row.name,
            created_by_batch: row.created_by_batch.map(ImportBatchId),
            created_at: row.created_at,
        }
    }
}

fn conflict(name: &str, existing: Option<String>) -> DomainError {
    DomainError::Conflict {
        entity: Entity::Branch,
        field: "name",
        value: name.to_owned(),
        existing,
    }
}

fn not_found(key: impl ToString) -> DomainError {
    DomainError::NotFound {
        entity: Entity::Branch,
        key: key.to_string(),
    }
}

impl Store {
    /// Every branch of business, ordered by name.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn branches(&mut self) -> Result<Vec<Branch>> {
        let rows: Vec<BranchRow> = with_conn!(self, c => branches::table
            .select(BranchRow::as_select())
            .order((branches::name_key.asc(), branches::id.asc()))
            .load(c))?;
        Ok(rows.into_iter().map(Branch::from).collect())
    }

    /// The branch with `id`, if any.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn branch(&mut self, id: BranchId) -> Result<Option<Branch>> {
        let row: Option<BranchRow> = with_conn!(self, c => branches::table
            .find(id.0)
            .select(BranchRow::as_select())
            .first(c)
            .optional())?;
        Ok(row.map(Branch::from))
    }

    /// The branch named `name` in any letter case, if any.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn branch_by_name(&mut self, name: &str) -> Result<Option<Branch>> {
        let key = name_key(name);
        let row: Option<BranchRow> = with_conn!(self, c => branches::table
            .filter(branches::name_key.eq(&key))
            .select(BranchRow::as_select())
            .first(c)
            .optional())?;
        Ok(row.map(Branch::from))
    }

    /// Adds a branch; `created_by_batch` records the import that created it, if one did.
    ///
    /// # Errors
    ///
    /// [`DomainError::Invalid`] for an empty name; [`DomainError::Conflict`] when the name is
    /// taken in any letter case; [`crate::PersistenceError::Query`] on database failure.
    pub fn add_branch(
        &mut self,
        name: &str,
        created_by_batch: Option<ImportBatchId>,
    ) -> Result<Branch> {
        let name = clean_branch_name(name)?;
        self.transaction(|store| {
            if let Some(existing) = store.branch_by_name(&name)? {
                return Err(conflict(&name, Some(existing.name)).into());
            }
            let at = now();
            let inserted: BranchRow = with_conn!(store, c => diesel::insert_into(branches::table)
                .values((
                    branches::name.eq(&name),
                    branches::name_key.eq(name_key(&name)),
                    branches::created_by_batch.eq(created_by_batch.map(|b| b.0)),
                    branches::created_at.eq(at),
                    branches::updated_at.eq(at),
                ))
                .returning(BranchRow::as_returning())
                .get_result(c))
            .map_err(|error| on_unique(error, |_| conflict(&name, None)))?;
            Ok(inserted.into())
        })
    }

    /// Renames a branch. A change of letter case only is allowed.
    ///
    /// # Errors
    ///
    /// [`DomainError::NotFound`], [`DomainError::Invalid`], [`DomainError::Conflict`] when
    /// another branch has the new name; [`crate::PersistenceError::Query`] on database failure.
    pub fn rename_branch(&mut self, id: BranchId, new_name: &str) -> Result<Branch> {
        let new_name = clean_branch_name(new_name)?;
        self.transaction(|store| {
            if let Some(existing) = store.branch_by_name(&new_name)?
                && existing.id != id
            {
                return Err(conflict(&new_name, Some(existing.name)).into());
            }
            let n = with_conn!(store, c => diesel::update(branches::table.find(id.0))
                .set((
                    branches::name.eq(&new_name),
                    branches::name_key.eq(name_key(&new_name)),
                    branches::updated_at.eq(now()),
                ))
                .execute(c))
            .map_err(|error| on_unique(error, |_| conflict(&new_name, None)))?;
            if n == 0 {
                return Err(not_found(id).into());
            }
            store.branch(id)?.ok_or_else(|| not_found(id).into())
        })
    }

    /// How many projects are in the branch.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn branch_usage(&mut self, id: BranchId) -> Result<u64> {
        let n: i64 = with_conn!(self, c => projects::table
            .filter(projects::branch_id.eq(id.0))
            .count()
            .get_result(c))?;
        Ok(count(n))
    }

    /// How many projects each branch has, in one query; branches without projects are absent.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn branch_usages(&mut self) -> Result<HashMap<BranchId, u64>> {
        let rows: Vec<(Option<i64>, i64)> = with_conn!(self, c => projects::table
            .filter(projects::branch_id.is_not_null())
            .group_by(projects::branch_id)
            .select((projects::branch_id, diesel::dsl::count_star()))
            .load(c))?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, n)| id.map(|id| (BranchId(id), count(n))))
            .collect())
    }

    /// Moves every project of branch `from` to branch `to` (or out of any branch with `None`);
    /// returns how many moved.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure (nothing moves).
    pub fn reassign_branch(&mut self, from: BranchId, to: Option<BranchId>) -> Result<u64> {
        self.transaction(|store| {
            let n = with_conn!(store, c => diesel::update(
                projects::table.filter(projects::branch_id.eq(from.0)),
            )
            .set((
                projects::branch_id.eq(to.map(|b| b.0)),
                projects::updated_at.eq(now()),
            ))
            .execute(c))?;
            Ok(n as u64)
        })
    }

    /// Removes a branch that no project uses.
    ///
    /// # Errors
    ///
    /// [`DomainError::NotFound`]; [`DomainError::InUse`] with the number of projects when
    /// projects are still in it; [`crate::PersistenceError::Query`] on database failure.
    pub fn remove_branch(&mut self, id: BranchId) -> Result<()> {
        self.transaction(|store| {
            let branch = store.branch(id)?.ok_or_else(|| not_found(id))?;
            let n_projects = store.branch_usage(id)?;
            if n_projects > 0 {
                return Err(DomainError::InUse {
                    entity: Entity::Branch,
                    name: branch.name,
                    companies: 0,
                    projects: n_projects,
                }
                .into());
            }
            with_conn!(store, c => diesel::delete(branches::table.find(id.0)).execute(c))?;
            Ok(())
        })
    }
}
