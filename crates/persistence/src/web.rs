//! What the web server keeps: password hashes, sessions, one-time login links and failed
//! logins. Tokens arrive here already hashed; this module never sees a plain token.

use crate::schema::{login_failures, login_links, users, web_sessions};
use crate::store::with_conn;
use crate::util::now;
use crate::{Result, Store};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use tuonti_domain::UserId;

/// A stored web session (see [`Store::insert_web_session`]).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = web_sessions)]
pub struct WebSession {
    /// The row id.
    pub id: i64,
    /// The SHA-256 (hex) of the session cookie's token.
    pub token_hash: String,
    /// The signed-in user.
    #[diesel(deserialize_as = i64)]
    pub user_id: UserId,
    /// The token every form and API write of this session must carry.
    pub csrf_token: String,
    /// When the user signed in.
    pub created_at: NaiveDateTime,
    /// The last request seen.
    pub last_seen_at: NaiveDateTime,
    /// When the session ends unless used again.
    pub expires_at: NaiveDateTime,
}

/// A stored one-time login link (see [`Store::insert_login_link`]).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = login_links)]
pub struct LoginLink {
    /// The row id.
    pub id: i64,
    /// The SHA-256 (hex) of the link's token.
    pub token_hash: String,
    /// The user the link signs in.
    #[diesel(deserialize_as = i64)]
    pub user_id: UserId,
    /// When it was made.
    pub created_at: NaiveDateTime,
    /// When it stops working.
    pub expires_at: NaiveDateTime,
    /// When it was used; a link works once.
    pub used_at: Option<NaiveDateTime>,
}

impl Store {
    /// The user's password hash (a PHC string), if a password is set.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn password_hash(&mut self, user: UserId) -> Result<Option<String>> {
        let hash = with_conn!(self, c => users::table
            .find(user.0)
            .select(users::password_hash)
            .first::<Option<String>>(c)
            .optional())?;
        Ok(hash.flatten())
    }

    /// Sets (or with `None` clears) the user's password hash, and ends the user's sessions
    /// so that a changed password signs out everywhere. Returns whether the user exists.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn set_password_hash(&mut self, user: UserId, hash: Option<&str>) -> Result<bool> {
        self.transaction(|store| {
            let at = now();
            let n = with_conn!(store, c => diesel::update(users::table.find(user.0))
                .set((users::password_hash.eq(hash), users::updated_at.eq(at)))
                .execute(c))?;
            store.delete_web_sessions_of(user)?;
            Ok(n == 1)
        })
    }

    /// Stores a new session.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure (also for a token hash already
    /// stored, which a random token never repeats).
    pub fn insert_web_session(
        &mut self,
        token_hash: &str,
        user: UserId,
        csrf_token: &str,
        expires_at: NaiveDateTime,
    ) -> Result<WebSession> {
        let at = now();
        let session = with_conn!(self, c => diesel::insert_into(web_sessions::table)
            .values((
                web_sessions::token_hash.eq(token_hash),
                web_sessions::user_id.eq(user.0),
                web_sessions::csrf_token.eq(csrf_token),
                web_sessions::created_at.eq(at),
                web_sessions::last_seen_at.eq(at),
                web_sessions::expires_at.eq(expires_at),
            ))
            .returning(WebSession::as_returning())
            .get_result(c))?;
        Ok(session)
    }

    /// The session with this token hash, expired or not.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn web_session(&mut self, token_hash: &str) -> Result<Option<WebSession>> {
        let session = with_conn!(self, c => web_sessions::table
            .filter(web_sessions::token_hash.eq(token_hash))
            .select(WebSession::as_select())
            .first(c)
            .optional())?;
        Ok(session)
    }

    /// Records a request of the session and moves its end to `expires_at`.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn touch_web_session(&mut self, id: i64, expires_at: NaiveDateTime) -> Result<()> {
        let at = now();
        with_conn!(self, c => diesel::update(web_sessions::table.find(id))
            .set((
                web_sessions::last_seen_at.eq(at),
                web_sessions::expires_at.eq(expires_at),
            ))
            .execute(c))?;
        Ok(())
    }

    /// Ends the session with this token hash (logout). Returns whether it existed.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn delete_web_session(&mut self, token_hash: &str) -> Result<bool> {
        let n = with_conn!(self, c => diesel::delete(
            web_sessions::table.filter(web_sessions::token_hash.eq(token_hash)),
        )
        .execute(c))?;
        Ok(n > 0)
    }

    /// Ends every session of a user (password changed, user deactivated).
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn delete_web_sessions_of(&mut self, user: UserId) -> Result<u64> {
        let n = with_conn!(self, c => diesel::delete(
            web_sessions::table.filter(web_sessions::user_id.eq(user.0)),
        )
        .execute(c))?;
        Ok(n as u64)
    }

    /// Deletes sessions that ended before `before`, and failed logins older than
    /// `failures_before`. Returns how many sessions were deleted.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn delete_expired_web_state(
        &mut self,
        before: NaiveDateTime,
        failures_before: NaiveDateTime,
    ) -> Result<u64> {
        self.transaction(|store| {
            let n = with_conn!(store, c => diesel::delete(
                web_sessions::table.filter(web_sessions::expires_at.lt(before)),
            )
            .execute(c))?;
            with_conn!(store, c => diesel::delete(
                login_failures::table.filter(login_failures::failed_at.lt(failures_before)),
            )
            .execute(c))?;
            with_conn!(store, c => diesel::delete(
                login_links::table.filter(login_links::expires_at.lt(before)),
            )
            .execute(c))?;
            Ok(n as u64)
        })
    }

    /// Stores a one-time login link.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn insert_login_link(
        &mut self,
        token_hash: &str,
        user: UserId,
        expires_at: NaiveDateTime,
    ) -> Result<LoginLink> {
        let at = now();
        let link = with_conn!(self, c => diesel::insert_into(login_links::table)
            .values((
                login_links::token_hash.eq(token_hash),
                login_links::user_id.eq(user.0),
                login_links::created_at.eq(at),
                login_links::expires_at.eq(expires_at),
            ))
            .returning(LoginLink::as_returning())
            .get_result(c))?;
        Ok(link)
    }

    /// The login link with this token hash, used or not.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn login_link(&mut self, token_hash: &str) -> Result<Option<LoginLink>> {
        let link = with_conn!(self, c => login_links::table
            .filter(login_links::token_hash.eq(token_hash))
            .select(LoginLink::as_select())
            .first(c)
            .optional())?;
        Ok(link)
    }

    /// Marks a login link used, unless it already was: returns whether this call used it
    /// (of two servers using one link at once, only one succeeds).
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn use_login_link(&mut self, id: i64) -> Result<bool> {
        let at = now();
        let n = with_conn!(self, c => diesel::update(
            login_links::table
                .find(id)
                .filter(login_links::used_at.is_null()),
        )
        .set(login_links::used_at.eq(at))
        .execute(c))?;
        Ok(n == 1)
    }

    /// Records a failed login for an email key.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn record_login_failure(&mut self, email_key: &str) -> Result<()> {
        let at = now();
        with_conn!(self, c => diesel::insert_into(login_failures::table)
            .values((
                login_failures::email_key.eq(email_key),
                login_failures::failed_at.eq(at),
            ))
            .execute(c))?;
        Ok(())
    }

    /// The failed logins for an email key since `since`, oldest first.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn login_failures_since(
        &mut self,
        email_key: &str,
        since: NaiveDateTime,
    ) -> Result<Vec<NaiveDateTime>> {
        let times = with_conn!(self, c => login_failures::table
            .filter(login_failures::email_key.eq(email_key))
            .filter(login_failures::failed_at.ge(since))
            .order(login_failures::failed_at.asc())
            .select(login_failures::failed_at)
            .load(c))?;
        Ok(times)
    }

    /// Forgets the failed logins of an email key (after a successful login).
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn clear_login_failures(&mut self, email_key: &str) -> Result<()> {
        with_conn!(self, c => diesel::delete(
            login_failures::table.filter(login_failures::email_key.eq(email_key)),
        )
        .execute(c))?;
        Ok(())
    }
}
