//! Users.

use crate::schema::{companies, projects, users};
use crate::store::with_conn;
use crate::util::{count, now, on_unique};
use crate::{PersistenceError, References, Result, Store};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use tuonti_domain::{DomainError, Entity, NewUser, Role, User, UserId, email_key};

#[derive(Queryable, Selectable)]
#[diesel(table_name = users)]
struct UserRow {
    id: i64,
    display_name: String,
    email: String,
    role: String,
    active: bool,
    created_at: NaiveDateTime,
}

impl UserRow {
    fn into_domain(self) -> Result<User> {
        let role = match self.role.as_str() {
            "admin" => Role::Admin,
            "member" => Role::Member,
            _ => {
                return Err(PersistenceError::Corrupt {
                    table: "users",
                    column: "role",
                    value: self.role,
                });
            }
        };
        Ok(User {
            id: UserId(self.id),
            display_name: self.display_name,
            email: self.email,
            role,
            active: self.active,
            created_at: self.created_at,
        })
    }
}

#[derive(Insertable)]
#[diesel(table_name = users)]
struct NewUserRow<'a> {
    display_name: &'a str,
    email: &'a str,
    email_key: &'a str,
    role: &'a str,
    active: bool,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

fn rows_into_users(rows: Vec<UserRow>) -> Result<Vec<User>> {
    rows.into_iter().map(UserRow::into_domain).collect()
}

impl Store {
    /// Adds an active user.
    ///
    /// # Errors
    ///
    /// [`DomainError::Conflict`] when a user has the same email in any letter case (the
    /// message names the existing spelling); [`PersistenceError::Query`] on database failure.
    pub fn add_user(&mut self, user: &NewUser) -> Result<User> {
        let key = email_key(&user.email);
        self.transaction(|store| {
            if let Some(existing) = store.user_by_email(&user.email)? {
                return Err(DomainError::Conflict {
                    entity: Entity::User,
                    field: "email",
                    value: user.email.clone(),
                    existing: Some(existing.email),
                }
                .into());
            }
            let at = now();
            let row = NewUserRow {
                display_name: &user.display_name,
                email: &user.email,
                email_key: &key,
                role: user.role.as_str(),
                active: true,
                created_at: at,
                updated_at: at,
            };
            let inserted: UserRow = with_conn!(store, c => diesel::insert_into(users::table)
                .values(&row)
                .returning(UserRow::as_returning())
                .get_result(c))
            .map_err(|error| {
                on_unique(error, |_| DomainError::Conflict {
                    entity: Entity::User,
                    field: "email",
                    value: user.email.clone(),
                    existing: None,
                })
            })?;
            inserted.into_domain()
        })
    }

    /// Every user, active or not, ordered by display name.
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`] on database failure, [`PersistenceError::Corrupt`] for an
    /// unreadable stored role.
    pub fn users(&mut self) -> Result<Vec<User>> {
        let rows: Vec<UserRow> = with_conn!(self, c => users::table
            .select(UserRow::as_select())
            .order((users::display_name.asc(), users::id.asc()))
            .load(c))?;
        rows_into_users(rows)
    }

    /// The user with `id`, if any.
    ///
    /// # Errors
    ///
    /// As [`Store::users`].
    pub fn user(&mut self, id: UserId) -> Result<Option<User>> {
        let row: Option<UserRow> = with_conn!(self, c => users::table
            .find(id.0)
            .select(UserRow::as_select())
            .first(c)
            .optional())?;
        row.map(UserRow::into_domain).transpose()
    }

    /// The user whose email is `email` in any letter case, if any.
    ///
    /// # Errors
    ///
    /// As [`Store::users`].
    pub fn user_by_email(&mut self, email: &str) -> Result<Option<User>> {
        let key = email_key(email);
        let row: Option<UserRow> = with_conn!(self, c => users::table
            .filter(users::email_key.eq(&key))
            .select(UserRow::as_select())
            .first(c)
            .optional())?;
        row.map(UserRow::into_domain).transpose()
    }

    /// Sets a user's role and returns the user as stored.
    ///
    /// # Errors
    ///
    /// [`DomainError::NotFound`] for an unknown id; as [`Store::users`].
    pub fn set_user_role(&mut self, id: UserId, role: Role) -> Result<User> {
        self.update_user(id, |store, id| {
            with_conn!(store, c => diesel::update(users::table.find(id.0))
                .set((users::role.eq(role.as_str()), users::updated_at.eq(now())))
                .execute(c))
        })
    }

    /// Activates or deactivates a user and returns the user as stored.
    ///
    /// # Errors
    ///
    /// [`DomainError::NotFound`] for an unknown id; as [`Store::users`].
    pub fn set_user_active(&mut self, id: UserId, active: bool) -> Result<User> {
        self.update_user(id, |store, id| {
            with_conn!(store, c => diesel::update(users::table.find(id.0))
                .set((users::active.eq(active), users::updated_at.eq(now())))
                .execute(c))
        })
    }

    fn update_user(
        &mut self,
        id: UserId,
        update: impl FnOnce(&mut Store, UserId) -> QueryResult<usize>,
    ) -> Result<User> {
        self.transaction(|store| {
            if update(store, id)? == 0 {
                return Err(DomainError::NotFound {
                    entity: Entity::User,
                    key: id.to_string(),
                }
                .into());
            }
            store.user(id)?.ok_or_else(|| {
                DomainError::NotFound {
                    entity: Entity::User,
                    key: id.to_string(),
                }
                .into()
            })
        })
    }

    /// How many users are active admins.
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`] on database failure.
    pub fn count_active_admins(&mut self) -> Result<u64> {
        let n: i64 = with_conn!(self, c => users::table
            .filter(users::role.eq("admin"))
            .filter(users::active.eq(true))
            .count()
            .get_result(c))?;
        Ok(count(n))
    }

    /// How many companies have the user as account manager and how many projects as project
    /// manager.
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`] on database failure.
    pub fn user_references(&mut self, id: UserId) -> Result<References> {
        let (n_companies, n_projects): (i64, i64) = with_conn!(self, c => {
            let n_companies = companies::table
                .filter(companies::account_manager_id.eq(id.0))
                .count()
                .get_result(c)?;
            let n_projects = projects::table
                .filter(projects::project_manager_id.eq(id.0))
                .count()
                .get_result(c)?;
            QueryResult::Ok((n_companies, n_projects))
        })?;
        Ok(References {
            companies: count(n_companies),
            projects: count(n_projects),
        })
    }

    /// Moves every company and project of user `from` to user `to`; returns how many moved.
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`] on database failure (nothing is moved).
    pub fn reassign_user_references(&mut self, from: UserId, to: UserId) -> Result<References> {
        self.transaction(|store| {
            let at = now();
            let (n_companies, n_projects) = with_conn!(store, c => {
                let n_companies = diesel::update(
                    companies::table.filter(companies::account_manager_id.eq(from.0)),
                )
                .set((companies::account_manager_id.eq(to.0), companies::updated_at.eq(at)))
                .execute(c)?;
                let n_projects = diesel::update(
                    projects::table.filter(projects::project_manager_id.eq(from.0)),
                )
                .set((projects::project_manager_id.eq(to.0), projects::updated_at.eq(at)))
                .execute(c)?;
                QueryResult::Ok((n_companies, n_projects))
            })?;
            Ok(References {
                companies: n_companies as u64,
                projects: n_projects as u64,
            })
        })
    }
}
