//! Projects of companies.

use crate::companies::{KEYS_PER_LOOKUP, StoredTime};
use crate::contacts::left_out;
use crate::schema::projects;
use crate::store::{Conn, with_conn};
use crate::util::{count, now, on_unique};
use crate::{Page, PersistenceError, Result, Store};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::result::Error as DieselError;
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, Date, HasSqlType, Nullable, Text, Timestamp};
use diesel::sqlite::Sqlite;
use std::collections::HashMap;
use tuonti_domain::{
    BranchId, CompanyId, ContactId, DomainError, Entity, ImportBatchId, Project, ProjectFields,
    ProjectId, ProjectStatus, UserId,
};

#[derive(Queryable, Selectable)]
#[diesel(table_name = projects)]
struct ProjectRow {
    id: i64,
    company_id: i64,
    name: String,
    project_number: Option<String>,
    project_manager_id: Option<i64>,
    status: String,
    start_date: Option<NaiveDate>,
    end_date: Option<NaiveDate>,
    value_cents: Option<i64>,
    description: Option<String>,
    contact_id: Option<i64>,
    branch_id: Option<i64>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    created_by_batch: Option<i64>,
    updated_by_batch: Option<i64>,
}

/// Every status, to read a stored name back.
const STATUSES: [ProjectStatus; 5] = [
    ProjectStatus::Offer,
    ProjectStatus::Active,
    ProjectStatus::OnHold,
    ProjectStatus::Completed,
    ProjectStatus::Cancelled,
];

/// The status a project without one is stored with.
const DEFAULT_STATUS: ProjectStatus = ProjectStatus::Active;

impl ProjectRow {
    fn into_domain(self) -> Result<Project> {
        let status = STATUSES
            .into_iter()
            .find(|status| status.as_str() == self.status)
            .ok_or_else(|| PersistenceError::Corrupt {
                table: "projects",
                column: "status",
                value: self.status.clone(),
            })?;
        Ok(Project {
            id: ProjectId(self.id),
            company_id: CompanyId(self.company_id),
            fields: ProjectFields {
                // A project number is stored as NULL when empty (see `stored_number`).
                project_number: self.project_number.unwrap_or_default(),
                name: self.name,
                status: Some(status),
                start_date: self.start_date,
                end_date: self.end_date,
                value_cents: self.value_cents,
                description: self.description,
            },
            project_manager_id: self.project_manager_id.map(UserId),
            branch_id: self.branch_id.map(BranchId),
            contact_id: self.contact_id.map(ContactId),
            created_at: self.created_at,
            updated_at: self.updated_at,
            created_by_batch: self.created_by_batch.map(ImportBatchId),
            updated_by_batch: self.updated_by_batch.map(ImportBatchId),
        })
    }
}

/// A project number as stored: `NULL` for an empty one, so that projects without a number
/// (rows written before numbers were required) never clash with each other.
fn stored_number(number: &str) -> Option<&str> {
    Some(number).filter(|number| !number.is_empty())
}

/// A new project to store, borrowing its values: what [`Store::insert_new_projects`] takes.
#[derive(Debug, Clone, Copy)]
pub struct NewProjectRef<'a> {
    /// The customer company.
    pub company_id: CompanyId,
    /// The canonical values.
    pub fields: &'a ProjectFields,
    /// The project manager, if any.
    pub project_manager_id: Option<UserId>,
    /// The branch of business, if any.
    pub branch_id: Option<BranchId>,
    /// The customer's contact person, if any.
    pub contact_id: Option<ContactId>,
    /// The import batch that creates it, if any.
    pub created_by_batch: Option<ImportBatchId>,
}

/// Which projects [`Store::projects`] lists; every set criterion must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectFilter {
    /// Only projects of this company.
    pub company: Option<CompanyId>,
    /// Only projects of this project manager.
    pub project_manager: Option<UserId>,
    /// Only projects in this status.
    pub status: Option<ProjectStatus>,
    /// Only projects of this branch.
    pub branch: Option<BranchId>,
    /// Only projects this import batch created.
    pub created_by_batch: Option<ImportBatchId>,
}

/// The projects that match a [`ProjectFilter`], as a boxed query of the backend at hand
/// (inside `with_conn!`), for the listing and its count alike.
macro_rules! filtered_projects {
    ($filter:expr) => {{
        let filter: &ProjectFilter = $filter;
        let mut query = projects::table.into_boxed();
        if let Some(company) = filter.company {
            query = query.filter(projects::company_id.eq(company.0));
        }
        if let Some(manager) = filter.project_manager {
            query = query.filter(projects::project_manager_id.eq(manager.0));
        }
        if let Some(status) = filter.status {
            query = query.filter(projects::status.eq(status.as_str()));
        }
        if let Some(branch) = filter.branch {
            query = query.filter(projects::branch_id.eq(branch.0));
        }
        if let Some(batch) = filter.created_by_batch {
            query = query.filter(projects::created_by_batch.eq(batch.0));
        }
        query
    }};
}

/// One project row as written.
#[derive(Insertable)]
#[diesel(table_name = projects)]
#[diesel(treat_none_as_default_value = false)]
struct NewProjectRow<'a> {
    company_id: i64,
    name: &'a str,
    project_number: Option<&'a str>,
    project_manager_id: Option<i64>,
    status: &'static str,
    start_date: Option<NaiveDate>,
    end_date: Option<NaiveDate>,
    value_cents: Option<i64>,
    description: Option<&'a str>,
    contact_id: Option<i64>,
    branch_id: Option<i64>,
    created_at: &'a StoredTime,
    updated_at: &'a StoredTime,
    created_by_batch: Option<i64>,
    updated_by_batch: Option<i64>,
}

impl<'a> NewProjectRow<'a> {
    fn new(project: NewProjectRef<'a>, at: &'a StoredTime) -> Self {
        let fields = project.fields;
        Self {
            company_id: project.company_id.0,
            name: &fields.name,
            project_number: stored_number(&fields.project_number),
            project_manager_id: project.project_manager_id.map(|u| u.0),
            status: fields.status.unwrap_or(DEFAULT_STATUS).as_str(),
            start_date: fields.start_date,
            end_date: fields.end_date,
            value_cents: fields.value_cents,
            description: fields.description.as_deref(),
            contact_id: project.contact_id.map(|c| c.0),
            branch_id: project.branch_id.map(|b| b.0),
            created_at: at,
            updated_at: at,
            created_by_batch: project.created_by_batch.map(|b| b.0),
            updated_by_batch: project.created_by_batch.map(|b| b.0),
        }
    }
}

/// The conflict of a unique violation on `projects`: the project number `number`, or when the
/// caller does not know which one, the number PostgreSQL names in its details
/// (`Key (project_number)=(P-1) already exists.`).
fn project_error(error: DieselError, number: Option<&str>) -> PersistenceError {
    let value = number
        .map(str::to_owned)
        .or_else(|| taken_number(&error))
        .unwrap_or_default();
    on_unique(error, |_| DomainError::Conflict {
        entity: Entity::Project,
        field: "project_number",
        value,
        existing: None,
    })
}

fn taken_number(error: &DieselError) -> Option<String> {
    let DieselError::DatabaseError(_, info) = error else {
        return None;
    };
    let (_, rest) = info.details()?.split_once(")=(")?;
    let (value, _) = rest.rsplit_once(") already exists")?;
    Some(value.to_owned())
}

/// The statement sizes, largest first, that [`Store::insert_new_projects`] splits projects
/// into on SQLite (as [`Store::insert_new_companies`] does). 14 values a project.
const INSERT_SIZES: [usize; 4] = [512, 64, 8, 1];

impl Store {
    /// Stores new projects and returns how many were stored; their ids are found through
    /// [`Store::projects_created_by_batch`] or [`Store::projects_by_numbers`]. Every project
    /// gets the same creation time; one without a status is stored as active. SQLite stores
    /// them in multi-row statements of a few fixed sizes, each prepared once per connection;
    /// PostgreSQL copies them in with `COPY ... FROM STDIN`. Run it in a transaction: a
    /// failure leaves the statements before it stored.
    ///
    /// # Errors
    ///
    /// [`DomainError::Conflict`] (field `project_number`) when a project number is taken or
    /// given twice; [`crate::PersistenceError::Query`] on database failure, including a
    /// company, user, contact or batch id that does not exist (in a
    /// [`Store::bulk_transaction`] on SQLite, that is found before the commit as
    /// [`DomainError::NotFound`]).
    pub fn insert_new_projects(&mut self, new: &[NewProjectRef<'_>]) -> Result<u64> {
        let at = StoredTime::new(now());
        let rows: Vec<NewProjectRow<'_>> = new
            .iter()
            .map(|project| NewProjectRow::new(*project, &at))
            .collect();
        if let Some(refs) = &mut self.unchecked {
            for row in &rows {
                refs.project(
                    row.company_id,
                    row.project_manager_id,
                    row.contact_id,
                    row.branch_id,
                    [row.created_by_batch, row.updated_by_batch],
                );
            }
        }
        let mut stored = 0;
        match &mut self.conn {
            Conn::Sqlite(c) => {
                let mut done = 0;
                while done < rows.len() {
                    let left = rows.len() - done;
                    let size = INSERT_SIZES
                        .into_iter()
                        .find(|size| *size <= left)
                        .unwrap_or(1);
                    let head = &rows[done..done + size];
                    let returned: Vec<Option<String>> = match size {
                        n if n == INSERT_SIZES[0] => {
                            InsertProjects::<{ INSERT_SIZES[0] }> { rows: head }.load(c)
                        }
                        n if n == INSERT_SIZES[1] => {
                            InsertProjects::<{ INSERT_SIZES[1] }> { rows: head }.load(c)
                        }
                        n if n == INSERT_SIZES[2] => {
                            InsertProjects::<{ INSERT_SIZES[2] }> { rows: head }.load(c)
                        }
                        _ => InsertProjects::<{ INSERT_SIZES[3] }> { rows: head }.load(c),
                    }
                    .map_err(|error| project_error(error, None))?;
                    if returned.len() != head.len() {
                        return Err(left_out_project(head, &returned));
                    }
                    stored += returned.len() as u64;
                    done += size;
                }
            }
            #[cfg(feature = "postgres")]
            Conn::Pg(_) => {
                if !rows.is_empty() {
                    stored += self.with_generic_plans(|store| {
                        let Conn::Pg(c) = &mut store.conn else {
                            return Ok(0);
                        };
                        let inserted = diesel::copy_from(projects::table)
                            .from_insertable(&rows)
                            .execute(c)
                            .map_err(|error| project_error(error, None))?;
                        Ok(inserted as u64)
                    })?;
                }
            }
        }
        Ok(stored)
    }

    /// Writes projects' fields, companies, project managers, contacts and `updated_by_batch`
    /// as given (the creation fields stay) and returns them as
    /// stored, in the order given, all with the same `updated_at` (now). One prepared
    /// statement is reused for every project. Run it in a transaction: a failure leaves the
    /// projects before it updated.
    ///
    /// # Errors
    ///
    /// [`DomainError::NotFound`] for an unknown id; [`DomainError::Conflict`] when the project
    /// number belongs to another project; [`crate::PersistenceError::Query`] on database
    /// failure, including a company, user or contact that does not exist;
    /// [`crate::PersistenceError::Corrupt`] for a stored status this build does not know.
    pub fn update_projects(&mut self, projects: &[Project]) -> Result<Vec<Project>> {
        self.write_projects(projects, false)
    }

    /// Writes projects back as given, their `updated_at` and `updated_by_batch` included: what
    /// an undo does to restore the before-images of an import, so that a record restored is
    /// exactly as it was (and counts as untouched again when an earlier batch is undone).
    ///
    /// # Errors
    ///
    /// As [`Store::update_projects`].
    pub fn restore_projects(&mut self, projects: &[Project]) -> Result<Vec<Project>> {
        self.write_projects(projects, true)
    }

    fn write_projects(&mut self, projects: &[Project], restore: bool) -> Result<Vec<Project>> {
        let now_at = StoredTime::new(now());
        self.with_generic_plans(|store| {
            for project in projects {
                let own_at = restore.then(|| StoredTime::new(project.updated_at));
                let at = own_at.as_ref().unwrap_or(&now_at);
                let fields = &project.fields;
                let update = UpdateProject {
                    id: project.id.0,
                    company_id: project.company_id.0,
                    name: &fields.name,
                    project_number: stored_number(&fields.project_number),
                    project_manager_id: project.project_manager_id.map(|u| u.0),
                    status: fields.status.unwrap_or(DEFAULT_STATUS).as_str(),
                    start_date: fields.start_date,
                    end_date: fields.end_date,
                    value_cents: fields.value_cents,
                    description: fields.description.as_deref(),
                    contact_id: project.contact_id.map(|c| c.0),
                    branch_id: project.branch_id.map(|b| b.0),
                    updated_at: at,
                    updated_by_batch: project.updated_by_batch.map(|b| b.0),
                };
                if let Some(refs) = &mut store.unchecked {
                    refs.project(
                        update.company_id,
                        update.project_manager_id,
                        update.contact_id,
                        update.branch_id,
                        [None, update.updated_by_batch],
                    );
                }
                let updated = with_conn!(store, c => update.execute(c))
                    .map_err(|error| project_error(error, Some(&fields.project_number)))?;
                if updated == 0 {
                    return Err(DomainError::NotFound {
                        entity: Entity::Project,
                        key: project.id.to_string(),
                    }
                    .into());
                }
            }
            Ok(())
        })?;
        let ids: Vec<ProjectId> = projects.iter().map(|project| project.id).collect();
        let mut by_id: HashMap<ProjectId, Project> = self
            .projects_by_ids(&ids)?
            .into_iter()
            .map(|project| (project.id, project))
            .collect();
        ids.iter()
            .map(|id| {
                by_id.remove(id).ok_or_else(|| {
                    DomainError::NotFound {
                        entity: Entity::Project,
                        key: id.to_string(),
                    }
                    .into()
                })
            })
            .collect()
    }

    /// The projects whose number is one of `numbers`, looked up in batches.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`], [`crate::PersistenceError::Corrupt`].
    pub fn projects_by_numbers(&mut self, numbers: &[&str]) -> Result<Vec<Project>> {
        let mut found = Vec::new();
        for chunk in numbers.chunks(KEYS_PER_LOOKUP) {
            let rows: Vec<ProjectRow> = with_conn!(self, c => projects::table
                .filter(projects::project_number.eq_any(chunk))
                .select(ProjectRow::as_select())
                .load(c))?;
            for row in rows {
                found.push(row.into_domain()?);
            }
        }
        Ok(found)
    }

    /// The projects that match `filter`, ordered by project number (in the database's text
    /// order; projects without one first), then id.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`], [`crate::PersistenceError::Corrupt`].
    pub fn projects(&mut self, filter: &ProjectFilter) -> Result<Vec<Project>> {
        self.projects_in(filter, None)
    }

    /// The projects that match `filter` in the order of [`Store::projects`], only those of
    /// `page` when one is given.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`], [`crate::PersistenceError::Corrupt`].
    pub fn projects_in(
        &mut self,
        filter: &ProjectFilter,
        page: Option<Page>,
    ) -> Result<Vec<Project>> {
        let rows: Vec<ProjectRow> = with_conn!(self, c => {
            let mut query = filtered_projects!(filter)
                .select(ProjectRow::as_select())
                .order((
                    projects::project_number.is_not_null().asc(),
                    projects::project_number.asc(),
                    projects::id.asc(),
                ));
            if let Some(page) = page {
                let (limit, offset) = page.sql();
                query = query.limit(limit).offset(offset);
            }
            query.load(c)
        })?;
        rows.into_iter().map(ProjectRow::into_domain).collect()
    }

    /// How many projects match `filter` (all pages of [`Store::projects_in`]).
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn count_projects_matching(&mut self, filter: &ProjectFilter) -> Result<u64> {
        let n: i64 = with_conn!(self, c => filtered_projects!(filter)
            .select(diesel::dsl::count_star())
            .get_result(c))?;
        Ok(count(n))
    }

    /// The projects with these ids that exist, looked up in batches.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`], [`crate::PersistenceError::Corrupt`].
    pub fn projects_by_ids(&mut self, ids: &[ProjectId]) -> Result<Vec<Project>> {
        let mut found = Vec::new();
        for chunk in ids.chunks(KEYS_PER_LOOKUP) {
            let raw: Vec<i64> = chunk.iter().map(|id| id.0).collect();
            let rows: Vec<ProjectRow> = with_conn!(self, c => projects::table
                .filter(projects::id.eq_any(&raw))
                .select(ProjectRow::as_select())
                .load(c))?;
            for row in rows {
                found.push(row.into_domain()?);
            }
        }
        Ok(found)
    }

    /// The projects an import batch created, by id.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`], [`crate::PersistenceError::Corrupt`].
    pub fn projects_created_by_batch(&mut self, batch: ImportBatchId) -> Result<Vec<Project>> {
        let rows: Vec<ProjectRow> = with_conn!(self, c => projects::table
            .filter(projects::created_by_batch.eq(batch.0))
            .order(projects::id.asc())
            .select(ProjectRow::as_select())
            .load(c))?;
        rows.into_iter().map(ProjectRow::into_domain).collect()
    }

    /// Deletes projects; returns how many were deleted.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn delete_projects(&mut self, ids: &[ProjectId]) -> Result<u64> {
        let mut deleted = 0;
        for chunk in ids.chunks(KEYS_PER_LOOKUP) {
            let raw: Vec<i64> = chunk.iter().map(|id| id.0).collect();
            deleted += with_conn!(self, c => diesel::delete(
                projects::table.filter(projects::id.eq_any(&raw))
            )
            .execute(c))? as u64;
        }
        Ok(deleted)
    }

    /// Whether any project is stored (cheaper than counting them).
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn has_projects(&mut self) -> Result<bool> {
        let found: Option<i64> = with_conn!(self, c => projects::table
            .select(projects::id)
            .first(c)
            .optional())?;
        Ok(found.is_some())
    }

    /// How many projects are stored.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn count_projects(&mut self) -> Result<u64> {
        let n: i64 = with_conn!(self, c => projects::table.count().get_result(c))?;
        Ok(count(n))
    }
}

/// The error of a multi-row insert that `OR IGNORE` stored only in part: a conflict on the
/// first project number written that the returned numbers do not account for (taken, or
/// given twice), else the plain error of a row left out.
fn left_out_project(
    written: &[NewProjectRow<'_>],
    returned: &[Option<String>],
) -> PersistenceError {
    let mut stored: HashMap<&str, usize> = HashMap::new();
    for number in returned.iter().flatten() {
        *stored.entry(number.as_str()).or_default() += 1;
    }
    let taken = written.iter().find_map(|row| {
        let number = row.project_number?;
        match stored.get_mut(number) {
            Some(n) if *n > 0 => {
                *n -= 1;
                None
            }
            _ => Some(number),
        }
    });
    match taken {
        Some(number) => DomainError::Conflict {
            entity: Entity::Project,
            field: "project_number",
            value: number.to_owned(),
            existing: None,
        }
        .into(),
        None => left_out("projects").into(),
    }
}

/// `INSERT OR IGNORE INTO projects (...) VALUES (...), ... RETURNING project_number` of exactly
/// `N` rows on SQLite (the caller takes `rows` of that length; a taken project number leaves
/// its row out, which the returned numbers show: with `OR IGNORE` and no immediate foreign
/// keys, SQLite needs no statement journal; see [`Store::bulk_transaction`]). Its query id
/// depends on `N` alone, so diesel prepares it once per connection and reuses it.
struct InsertProjects<'a, const N: usize> {
    rows: &'a [NewProjectRow<'a>],
}

/// The query id of [`InsertProjects`] of `N` rows.
struct InsertProjectsId<const N: usize>;

impl<const N: usize> QueryId for InsertProjects<'_, N> {
    type QueryId = InsertProjectsId<N>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<const N: usize> Query for InsertProjects<'_, N> {
    type SqlType = Nullable<Text>;
}

impl<const N: usize> QueryFragment<Sqlite> for InsertProjects<'_, N> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        if self.rows.len() != N {
            return Err(DieselError::QueryBuilderError(
                "a chunk of the wrong length".into(),
            ));
        }
        out.push_sql(
            "INSERT OR IGNORE INTO projects (company_id, name, project_number, \
             project_manager_id, status, start_date, end_date, value_cents, description, \
             contact_id, branch_id, created_at, updated_at, created_by_batch, updated_by_batch) \
             VALUES ",
        );
        for (index, row) in self.rows.iter().enumerate() {
            out.push_sql(if index == 0 { "(" } else { ", (" });
            out.push_bind_param::<BigInt, _>(&row.company_id)?;
            out.push_sql(", ");
            out.push_bind_param::<Text, _>(row.name)?;
            out.push_sql(", ");
            out.push_bind_param::<Nullable<Text>, _>(&row.project_number)?;
            out.push_sql(", ");
            out.push_bind_param::<Nullable<BigInt>, _>(&row.project_manager_id)?;
            out.push_sql(", ");
            out.push_bind_param::<Text, _>(row.status)?;
            out.push_sql(", ");
            out.push_bind_param::<Nullable<Date>, _>(&row.start_date)?;
            out.push_sql(", ");
            out.push_bind_param::<Nullable<Date>, _>(&row.end_date)?;
            out.push_sql(", ");
            out.push_bind_param::<Nullable<BigInt>, _>(&row.value_cents)?;
            out.push_sql(", ");
            out.push_bind_param::<Nullable<Text>, _>(&row.description)?;
            out.push_sql(", ");
            out.push_bind_param::<Nullable<BigInt>, _>(&row.contact_id)?;
            out.push_sql(", ");
            out.push_bind_param::<Nullable<BigInt>, _>(&row.branch_id)?;
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
        out.push_sql(" RETURNING project_number");
        Ok(())
    }
}

impl<const N: usize> RunQueryDsl<diesel::sqlite::SqliteConnection> for InsertProjects<'_, N> {}

/// `UPDATE projects SET ... WHERE id = ?` of every column but the creation ones, with a static
/// query id (prepared once per connection).
struct UpdateProject<'a> {
    id: i64,
    company_id: i64,
    name: &'a str,
    project_number: Option<&'a str>,
    project_manager_id: Option<i64>,
    status: &'static str,
    start_date: Option<NaiveDate>,
    end_date: Option<NaiveDate>,
    value_cents: Option<i64>,
    description: Option<&'a str>,
    contact_id: Option<i64>,
    branch_id: Option<i64>,
    updated_at: &'a StoredTime,
    updated_by_batch: Option<i64>,
}

impl QueryId for UpdateProject<'_> {
    type QueryId = UpdateProject<'static>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<DB> QueryFragment<DB> for UpdateProject<'_>
where
    DB: diesel::backend::Backend
        + HasSqlType<Text>
        + HasSqlType<BigInt>
        + HasSqlType<Date>
        + HasSqlType<Timestamp>,
    str: ToSql<Text, DB>,
    for<'x> Option<&'x str>: ToSql<Nullable<Text>, DB>,
    i64: ToSql<BigInt, DB>,
    Option<i64>: ToSql<Nullable<BigInt>, DB>,
    Option<NaiveDate>: ToSql<Nullable<Date>, DB>,
    StoredTime: ToSql<Timestamp, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("UPDATE projects SET company_id = ");
        out.push_bind_param::<BigInt, _>(&self.company_id)?;
        out.push_sql(", name = ");
        out.push_bind_param::<Text, _>(self.name)?;
        out.push_sql(", project_number = ");
        out.push_bind_param::<Nullable<Text>, _>(&self.project_number)?;
        out.push_sql(", project_manager_id = ");
        out.push_bind_param::<Nullable<BigInt>, _>(&self.project_manager_id)?;
        out.push_sql(", status = ");
        out.push_bind_param::<Text, _>(self.status)?;
        out.push_sql(", start_date = ");
        out.push_bind_param::<Nullable<Date>, _>(&self.start_date)?;
        out.push_sql(", end_date = ");
        out.push_bind_param::<Nullable<Date>, _>(&self.end_date)?;
        out.push_sql(", value_cents = ");
        out.push_bind_param::<Nullable<BigInt>, _>(&self.value_cents)?;
        out.push_sql(", description = ");
        out.push_bind_param::<Nullable<Text>, _>(&self.description)?;
        out.push_sql(", contact_id = ");
        out.push_bind_param::<Nullable<BigInt>, _>(&self.contact_id)?;
        out.push_sql(", branch_id = ");
        out.push_bind_param::<Nullable<BigInt>, _>(&self.branch_id)?;
        out.push_sql(", updated_at = ");
        out.push_bind_param::<Timestamp, _>(self.updated_at)?;
        out.push_sql(", updated_by_batch = ");
        out.push_bind_param::<Nullable<BigInt>, _>(&self.updated_by_batch)?;
        out.push_sql(" WHERE id = ");
        out.push_bind_param::<BigInt, _>(&self.id)?;
        Ok(())
    }
}

impl<C: Connection> RunQueryDsl<C> for UpdateProject<'_> {}
