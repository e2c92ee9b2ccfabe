//! Contact persons of companies.

use crate::companies::{KEYS_PER_LOOKUP, StoredTime};
use crate::schema::{companies, contacts, projects};
#[cfg(feature = "postgres")]
use crate::store::Conn;
use crate::store::with_conn;
use crate::util::{count, now};
use crate::{Page, Result, Store};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, HasSqlType, Nullable, Text, Timestamp};
use std::collections::HashMap;
use tuonti_domain::{
    CompanyId, Contact, ContactFields, ContactId, DomainError, Entity, ImportBatchId, UserId,
    email_key, name_key,
};

#[derive(Queryable, Selectable)]
#[diesel(table_name = contacts)]
struct ContactRow {
    id: i64,
    company_id: i64,
    first_name: Option<String>,
    last_name: String,
    title: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    created_by_batch: Option<i64>,
    updated_by_batch: Option<i64>,
}

impl From<ContactRow> for Contact {
    fn from(row: ContactRow) -> Self {
        Contact {
            id: ContactId(row.id),
            company_id: CompanyId(row.company_id),
            fields: ContactFields {
                first_name: row.first_name,
                last_name: row.last_name,
                title: row.title,
                email: row.email,
                phone: row.phone,
            },
            created_at: row.created_at,
            updated_at: row.updated_at,
            created_by_batch: row.created_by_batch.map(ImportBatchId),
            updated_by_batch: row.updated_by_batch.map(ImportBatchId),
        }
    }
}

/// A new contact to store, borrowing its values: what [`Store::insert_new_contacts`] takes.
#[derive(Debug, Clone, Copy)]
pub struct NewContactRef<'a> {
    /// The company the person works for.
    pub company_id: CompanyId,
    /// The canonical values.
    pub fields: &'a ContactFields,
    /// The import batch that creates it, if any.
    pub created_by_batch: Option<ImportBatchId>,
}

/// Which contacts [`Store::contacts`] lists; every set criterion must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactFilter {
    /// Only contacts of this company.
    pub company: Option<CompanyId>,
    /// Only contacts of companies with this account manager.
    pub account_manager: Option<UserId>,
    /// Only contacts this import batch created.
    pub created_by_batch: Option<ImportBatchId>,
}

/// The contacts that match a [`ContactFilter`] (joined to their companies), as a boxed query
/// of the backend at hand (inside `with_conn!`), for the listing and its count alike.
macro_rules! filtered_contacts {
    ($filter:expr) => {{
        let filter: &ContactFilter = $filter;
        let mut query = contacts::table.inner_join(companies::table).into_boxed();
        if let Some(company) = filter.company {
            query = query.filter(contacts::company_id.eq(company.0));
        }
        if let Some(manager) = filter.account_manager {
            query = query.filter(companies::account_manager_id.eq(manager.0));
        }
        if let Some(batch) = filter.created_by_batch {
            query = query.filter(contacts::created_by_batch.eq(batch.0));
        }
        query
    }};
}

/// The statement sizes, largest first, that [`Store::insert_new_contacts`] splits contacts
/// into (as [`Store::insert_new_companies`] does): each size is one prepared statement that
/// diesel caches and reuses. 12 values a contact.
const INSERT_SIZES: [usize; 4] = [512, 64, 8, 1];

/// One contact row as written: its values and comparison keys.
struct NewContactRow<'a> {
    company_id: i64,
    first_name: Option<&'a str>,
    last_name: &'a str,
    title: Option<&'a str>,
    email: Option<&'a str>,
    phone: Option<&'a str>,
    email_key: Option<String>,
    name_key: String,
    /// The batch that writes the row: its `created_by_batch` (and first `updated_by_batch`)
    /// when inserted, its `updated_by_batch` when updated.
    batch: Option<i64>,
}

/// What a contact row is told apart by, as written and as returned: the values the caller
/// gives. Two rows that agree on all of it are stored alike (but for their ids).
type ContactKey<'a> = (
    i64,
    Option<i64>,
    Option<&'a str>,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
);

impl<'a> NewContactRow<'a> {
    fn new(company_id: CompanyId, fields: &'a ContactFields, batch: Option<ImportBatchId>) -> Self {
        Self {
            company_id: company_id.0,
            first_name: fields.first_name.as_deref(),
            last_name: &fields.last_name,
            title: fields.title.as_deref(),
            email: fields.email.as_deref(),
            phone: fields.phone.as_deref(),
            email_key: fields.email.as_deref().map(email_key),
            name_key: name_key(&fields.full_name()),
            batch: batch.map(|b| b.0),
        }
    }

    fn key(&self) -> ContactKey<'_> {
        (
            self.company_id,
            self.batch,
            self.first_name,
            self.last_name,
            self.title,
            self.email,
            self.phone,
        )
    }
}

/// A row `RETURNING` gives back: the id and the values of [`ContactKey`].
type ReturnedContact = (
    i64,
    i64,
    Option<i64>,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

fn returned_key(row: &ReturnedContact) -> ContactKey<'_> {
    (
        row.1,
        row.2,
        row.3.as_deref(),
        &row.4,
        row.5.as_deref(),
        row.6.as_deref(),
        row.7.as_deref(),
    )
}

impl Store {
    /// Stores new contacts and returns their ids in the order given, so that records written
    /// later in the same transaction (projects) can refer to them. Every contact gets the same
    /// creation time; the comparison keys are computed from the fields (`email_key` from the
    /// email, `name_key` from the full name). On SQLite, contacts go in multi-row
    /// `INSERT OR IGNORE ... RETURNING` statements of a few fixed sizes, each prepared once per
    /// connection (`OR IGNORE` needs no statement journal; see [`Store::bulk_transaction`]);
    /// SQLite does not promise the order of `RETURNING` rows, so each returned row is matched
    /// to the contact it stores by its values. On PostgreSQL, their ids are drawn from the
    /// table's sequence first and the rows copied in with `COPY ... FROM STDIN`. Run it in a
    /// transaction: a failure leaves the statements before it stored.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure, including a company or batch
    /// id that does not exist (in a [`Store::bulk_transaction`] on SQLite, that is found
    /// before the commit as [`DomainError::NotFound`]).
    pub fn insert_new_contacts(&mut self, new: &[NewContactRef<'_>]) -> Result<Vec<ContactId>> {
        let at = StoredTime::new(now());
        let rows: Vec<NewContactRow<'_>> = new
            .iter()
            .map(|contact| {
                NewContactRow::new(contact.company_id, contact.fields, contact.created_by_batch)
            })
            .collect();
        if let Some(refs) = &mut self.unchecked {
            for row in &rows {
                refs.contact(row.company_id, [row.batch, None]);
            }
        }
        #[cfg(feature = "postgres")]
        if let Conn::Pg(_) = &self.conn {
            return self.copy_new_contacts(&rows, &at);
        }
        let mut ids = vec![ContactId(0); rows.len()];
        self.with_generic_plans(|store| {
            let mut done = 0;
            while done < rows.len() {
                let left = rows.len() - done;
                let size = INSERT_SIZES
                    .into_iter()
                    .find(|size| *size <= left)
                    .unwrap_or(1);
                let head = &rows[done..done + size];
                let mut returned: Vec<ReturnedContact> = with_conn!(store, c => match size {
                    n if n == INSERT_SIZES[0] => {
                        InsertContacts::<{ INSERT_SIZES[0] }> { rows: head, at: &at }.load(c)
                    }
                    n if n == INSERT_SIZES[1] => {
                        InsertContacts::<{ INSERT_SIZES[1] }> { rows: head, at: &at }.load(c)
                    }
                    n if n == INSERT_SIZES[2] => {
                        InsertContacts::<{ INSERT_SIZES[2] }> { rows: head, at: &at }.load(c)
                    }
                    _ => InsertContacts::<{ INSERT_SIZES[3] }> { rows: head, at: &at }.load(c),
                })?;
                // Pair the rows as given with the rows returned, both sorted by their values.
                let mut order: Vec<usize> = (0..head.len()).collect();
                order.sort_by(|a, b| head[*a].key().cmp(&head[*b].key()));
                returned.sort_by(|a, b| returned_key(a).cmp(&returned_key(b)));
                if returned.len() != head.len() {
                    return Err(left_out("contacts").into());
                }
                for (index, row) in order.into_iter().zip(&returned) {
                    if head[index].key() != returned_key(row) {
                        return Err(DieselError::QueryBuilderError(
                            "a row returned by an insert into contacts matches no row written"
                                .into(),
                        )
                        .into());
                    }
                    ids[done + index] = ContactId(row.0);
                }
                done += size;
            }
            Ok(())
        })?;
        Ok(ids)
    }

    /// PostgreSQL's [`Store::insert_new_contacts`]: the contacts' ids are drawn from the
    /// table's identity sequence in one query, then the rows, ids included, are copied in with
    /// `COPY ... FROM STDIN` (a multi-row `INSERT ... RETURNING` of the same rows costs the
    /// server about twice as much, and its rows come back in no promised order).
    #[cfg(feature = "postgres")]
    fn copy_new_contacts(
        &mut self,
        rows: &[NewContactRow<'_>],
        at: &StoredTime,
    ) -> Result<Vec<ContactId>> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        self.with_generic_plans(|store| {
            let Conn::Pg(c) = &mut store.conn else {
                return Ok(Vec::new());
            };
            let ids: Vec<i64> = diesel::sql_query(
                "SELECT nextval(pg_get_serial_sequence('contacts', 'id')) AS id \
                 FROM generate_series(1, $1)",
            )
            .bind::<BigInt, _>(rows.len() as i64)
            .load::<IdRow>(c)?
            .into_iter()
            .map(|row| row.id)
            .collect();
            if ids.len() != rows.len() {
                return Err(left_out("contacts").into());
            }
            let copied: Vec<CopiedContactRow<'_>> = rows
                .iter()
                .zip(&ids)
                .map(|(row, id)| CopiedContactRow {
                    id: *id,
                    company_id: row.company_id,
                    first_name: row.first_name,
                    last_name: row.last_name,
                    title: row.title,
                    email: row.email,
                    phone: row.phone,
                    email_key: row.email_key.as_deref(),
                    name_key: &row.name_key,
                    created_at: at,
                    updated_at: at,
                    created_by_batch: row.batch,
                    updated_by_batch: row.batch,
                })
                .collect();
            let stored = diesel::copy_from(contacts::table)
                .from_insertable(&copied)
                .execute(c)?;
            if stored != rows.len() {
                return Err(left_out("contacts").into());
            }
            Ok(ids.into_iter().map(ContactId).collect())
        })
    }

    /// Writes contacts' fields, companies and `updated_by_batch` as given (the creation fields
    /// stay), recomputes their comparison keys, and returns them as stored, in the order
    /// given, all with the same `updated_at` (now). One prepared statement is reused for every
    /// contact. Run it in a transaction: a failure leaves the contacts before it updated.
    ///
    /// # Errors
    ///
    /// [`DomainError::NotFound`] for an unknown id; [`crate::PersistenceError::Query`] on
    /// database failure, including a company that does not exist.
    pub fn update_contacts(&mut self, contacts: &[Contact]) -> Result<Vec<Contact>> {
        self.write_contacts(contacts, false)
    }

    /// Writes contacts back as given, their `updated_at` and `updated_by_batch` included: what
    /// an undo does to restore the before-images of an import, so that a record restored is
    /// exactly as it was (and counts as untouched again when an earlier batch is undone).
    ///
    /// # Errors
    ///
    /// As [`Store::update_contacts`].
    pub fn restore_contacts(&mut self, contacts: &[Contact]) -> Result<Vec<Contact>> {
        self.write_contacts(contacts, true)
    }

    fn write_contacts(&mut self, contacts: &[Contact], restore: bool) -> Result<Vec<Contact>> {
        let now_at = StoredTime::new(now());
        self.with_generic_plans(|store| {
            for contact in contacts {
                let own_at = restore.then(|| StoredTime::new(contact.updated_at));
                let at = own_at.as_ref().unwrap_or(&now_at);
                let values = NewContactRow::new(
                    contact.company_id,
                    &contact.fields,
                    contact.updated_by_batch,
                );
                let update = UpdateContact {
                    id: contact.id.0,
                    values: &values,
                    updated_at: at,
                };
                if let Some(refs) = &mut store.unchecked {
                    refs.contact(values.company_id, [None, values.batch]);
                }
                let updated = with_conn!(store, c => update.execute(c))?;
                if updated == 0 {
                    return Err(DomainError::NotFound {
                        entity: Entity::Contact,
                        key: contact.id.to_string(),
                    }
                    .into());
                }
            }
            Ok(())
        })?;
        let ids: Vec<ContactId> = contacts.iter().map(|contact| contact.id).collect();
        let mut by_id: HashMap<ContactId, Contact> = self
            .contacts_by_ids(&ids)?
            .into_iter()
            .map(|contact| (contact.id, contact))
            .collect();
        ids.iter()
            .map(|id| {
                by_id.remove(id).ok_or_else(|| {
                    DomainError::NotFound {
                        entity: Entity::Contact,
                        key: id.to_string(),
                    }
                    .into()
                })
            })
            .collect()
    }

    /// Every contact of these companies, looked up in batches, by id: what the importer
    /// matches a contact row against within its company (by email key, else name key).
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn contacts_by_companies(&mut self, companies: &[CompanyId]) -> Result<Vec<Contact>> {
        let mut found = Vec::new();
        for chunk in companies.chunks(KEYS_PER_LOOKUP) {
            let raw: Vec<i64> = chunk.iter().map(|id| id.0).collect();
            let rows: Vec<ContactRow> = with_conn!(self, c => contacts::table
                .filter(contacts::company_id.eq_any(&raw))
                .order(contacts::id.asc())
                .select(ContactRow::as_select())
                .load(c))?;
            found.extend(rows.into_iter().map(Contact::from));
        }
        Ok(found)
    }

    /// The contacts that match `filter`, ordered by company (as [`Store::companies`] orders
    /// them: by name), then by last name, first name (none first) and id, in the database's
    /// text order.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn contacts(&mut self, filter: &ContactFilter) -> Result<Vec<Contact>> {
        self.contacts_in(filter, None)
    }

    /// The contacts that match `filter` in the order of [`Store::contacts`], only those of
    /// `page` when one is given.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn contacts_in(
        &mut self,
        filter: &ContactFilter,
        page: Option<Page>,
    ) -> Result<Vec<Contact>> {
        let rows: Vec<ContactRow> = with_conn!(self, c => {
            let mut query = filtered_contacts!(filter)
                .select(ContactRow::as_select())
                .order((
                    companies::name_key.asc(),
                    companies::id.asc(),
                    contacts::last_name.asc(),
                    contacts::first_name.is_not_null().asc(),
                    contacts::first_name.asc(),
                    contacts::id.asc(),
                ));
            if let Some(page) = page {
                let (limit, offset) = page.sql();
                query = query.limit(limit).offset(offset);
            }
            query.load(c)
        })?;
        Ok(rows.into_iter().map(Contact::from).collect())
    }

    /// How many contacts match `filter` (all pages of [`Store::contacts_in`]).
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn count_contacts_matching(&mut self, filter: &ContactFilter) -> Result<u64> {
        let n: i64 = with_conn!(self, c => filtered_contacts!(filter)
            .select(diesel::dsl::count_star())
            .get_result(c))?;
        Ok(count(n))
    }

    /// The contacts with these ids that exist, looked up in batches.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn contacts_by_ids(&mut self, ids: &[ContactId]) -> Result<Vec<Contact>> {
        let mut found = Vec::new();
        for chunk in ids.chunks(KEYS_PER_LOOKUP) {
            let raw: Vec<i64> = chunk.iter().map(|id| id.0).collect();
            let rows: Vec<ContactRow> = with_conn!(self, c => contacts::table
                .filter(contacts::id.eq_any(&raw))
                .select(ContactRow::as_select())
                .load(c))?;
            found.extend(rows.into_iter().map(Contact::from));
        }
        Ok(found)
    }

    /// The contacts an import batch created, by id.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn contacts_created_by_batch(&mut self, batch: ImportBatchId) -> Result<Vec<Contact>> {
        let rows: Vec<ContactRow> = with_conn!(self, c => contacts::table
            .filter(contacts::created_by_batch.eq(batch.0))
            .order(contacts::id.asc())
            .select(ContactRow::as_select())
            .load(c))?;
        Ok(rows.into_iter().map(Contact::from).collect())
    }

    /// Deletes contacts; projects that named one of them as their contact keep no contact.
    /// Returns how many contacts were deleted.
    ///
    /// The projects' references are cleared by this call, not left to the foreign key's
    /// `ON DELETE SET NULL`, so that it holds in a [`Store::bulk_transaction`] too (SQLite's
    /// foreign-key actions are off there). The projects' `updated_at` stays.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn delete_contacts(&mut self, ids: &[ContactId]) -> Result<u64> {
        let mut deleted = 0;
        for chunk in ids.chunks(KEYS_PER_LOOKUP) {
            let raw: Vec<i64> = chunk.iter().map(|id| id.0).collect();
            deleted += with_conn!(self, c => {
                diesel::update(projects::table.filter(projects::contact_id.eq_any(&raw)))
                    .set(projects::contact_id.eq(None::<i64>))
                    .execute(c)?;
                diesel::delete(contacts::table.filter(contacts::id.eq_any(&raw))).execute(c)
            })? as u64;
        }
        Ok(deleted)
    }

    /// Whether any contact is stored (cheaper than counting them).
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn has_contacts(&mut self) -> Result<bool> {
        let found: Option<i64> = with_conn!(self, c => contacts::table
            .select(contacts::id)
            .first(c)
            .optional())?;
        Ok(found.is_some())
    }

    /// How many contacts are stored.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn count_contacts(&mut self) -> Result<u64> {
        let n: i64 = with_conn!(self, c => contacts::table.count().get_result(c))?;
        Ok(count(n))
    }
}

/// The error of a multi-row insert that stored fewer rows than it was given (`OR IGNORE`
/// left out a row that broke a constraint).
pub(crate) fn left_out(table: &str) -> DieselError {
    DieselError::DatabaseError(
        DatabaseErrorKind::CheckViolation,
        Box::new(format!(
            "a constraint of {table} left a row of a multi-row insert out"
        )),
    )
}

/// A contact row as PostgreSQL's `COPY` writes it, with the id drawn for it.
#[cfg(feature = "postgres")]
#[derive(Insertable)]
#[diesel(table_name = contacts)]
#[diesel(treat_none_as_default_value = false)]
struct CopiedContactRow<'a> {
    id: i64,
    company_id: i64,
    first_name: Option<&'a str>,
    last_name: &'a str,
    title: Option<&'a str>,
    email: Option<&'a str>,
    phone: Option<&'a str>,
    email_key: Option<&'a str>,
    name_key: &'a str,
    created_at: &'a StoredTime,
    updated_at: &'a StoredTime,
    created_by_batch: Option<i64>,
    updated_by_batch: Option<i64>,
}

/// An id drawn from a sequence.
#[cfg(feature = "postgres")]
#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// SQLite's `INSERT OR IGNORE INTO contacts (...) VALUES (...), ... RETURNING ...` of exactly
/// `N` rows (the caller takes `rows` of that length). Its query id depends on `N` alone, so diesel
/// prepares it once per connection and reuses it.
struct InsertContacts<'a, const N: usize> {
    rows: &'a [NewContactRow<'a>],
    at: &'a StoredTime,
}

/// The query id of [`InsertContacts`] of `N` rows.
struct InsertContactsId<const N: usize>;

impl<const N: usize> QueryId for InsertContacts<'_, N> {
    type QueryId = InsertContactsId<N>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<const N: usize> Query for InsertContacts<'_, N> {
    type SqlType = (
        BigInt,
        BigInt,
        Nullable<BigInt>,
        Nullable<Text>,
        Text,
        Nullable<Text>,
        Nullable<Text>,
        Nullable<Text>,
    );
}

impl<DB, const N: usize> QueryFragment<DB> for InsertContacts<'_, N>
where
    DB: diesel::backend::Backend + HasSqlType<Text> + HasSqlType<BigInt>,
    DB: HasSqlType<Timestamp>,
    str: ToSql<Text, DB>,
    String: ToSql<Text, DB>,
    for<'x> Option<&'x str>: ToSql<Nullable<Text>, DB>,
    Option<String>: ToSql<Nullable<Text>, DB>,
    i64: ToSql<BigInt, DB>,
    Option<i64>: ToSql<Nullable<BigInt>, DB>,
    StoredTime: ToSql<Timestamp, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        if self.rows.len() != N {
            return Err(DieselError::QueryBuilderError(
                "a chunk of the wrong length".into(),
            ));
        }
        // `OR IGNORE`: no statement journal (see `Store::bulk_transaction`); a row left out is
        // found by the count of returned rows.
        out.push_sql("INSERT OR IGNORE INTO ");
        out.push_sql(
            "contacts (company_id, first_name, last_name, title, email, phone, email_key, \
             name_key, created_at, updated_at, created_by_batch, updated_by_batch) VALUES ",
        );
        for (index, row) in self.rows.iter().enumerate() {
            out.push_sql(if index == 0 { "(" } else { ", (" });
            out.push_bind_param::<BigInt, _>(&row.company_id)?;
            out.push_sql(", ");
            out.push_bind_param::<Nullable<Text>, _>(&row.first_name)?;
            out.push_sql(", ");
            out.push_bind_param::<Text, _>(row.last_name)?;
            for text in [&row.title, &row.email, &row.phone] {
                out.push_sql(", ");
                out.push_bind_param::<Nullable<Text>, _>(text)?;
            }
            out.push_sql(", ");
            out.push_bind_param::<Nullable<Text>, _>(&row.email_key)?;
            out.push_sql(", ");
            out.push_bind_param::<Text, _>(&row.name_key)?;
            out.push_sql(", ");
            out.push_bind_param::<Timestamp, _>(self.at)?;
            out.push_sql(", ");
            out.push_bind_param::<Timestamp, _>(self.at)?;
            out.push_sql(", ");
            out.push_bind_param::<Nullable<BigInt>, _>(&row.batch)?;
            out.push_sql(", ");
            out.push_bind_param::<Nullable<BigInt>, _>(&row.batch)?;
            out.push_sql(")");
        }
        out.push_sql(
            " RETURNING id, company_id, created_by_batch, first_name, last_name, title, email, \
             phone",
        );
        Ok(())
    }
}

impl<C: Connection, const N: usize> RunQueryDsl<C> for InsertContacts<'_, N> {}

/// `UPDATE contacts SET ... WHERE id = ?` of every column but the creation ones, with a static
/// query id (prepared once per connection).
struct UpdateContact<'a> {
    id: i64,
    values: &'a NewContactRow<'a>,
    updated_at: &'a StoredTime,
}

impl QueryId for UpdateContact<'_> {
    type QueryId = UpdateContact<'static>;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<DB> QueryFragment<DB> for UpdateContact<'_>
where
    DB: diesel::backend::Backend + HasSqlType<Text> + HasSqlType<BigInt> + HasSqlType<Timestamp>,
    str: ToSql<Text, DB>,
    String: ToSql<Text, DB>,
    for<'x> Option<&'x str>: ToSql<Nullable<Text>, DB>,
    Option<String>: ToSql<Nullable<Text>, DB>,
    i64: ToSql<BigInt, DB>,
    Option<i64>: ToSql<Nullable<BigInt>, DB>,
    StoredTime: ToSql<Timestamp, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        let row = self.values;
        out.push_sql("UPDATE contacts SET company_id = ");
        out.push_bind_param::<BigInt, _>(&row.company_id)?;
        out.push_sql(", first_name = ");
        out.push_bind_param::<Nullable<Text>, _>(&row.first_name)?;
        out.push_sql(", last_name = ");
        out.push_bind_param::<Text, _>(row.last_name)?;
        out.push_sql(", title = ");
        out.push_bind_param::<Nullable<Text>, _>(&row.title)?;
        out.push_sql(", email = ");
        out.push_bind_param::<Nullable<Text>, _>(&row.email)?;
        out.push_sql(", phone = ");
        out.push_bind_param::<Nullable<Text>, _>(&row.phone)?;
        out.push_sql(", email_key = ");
        out.push_bind_param::<Nullable<Text>, _>(&row.email_key)?;
        out.push_sql(", name_key = ");
        out.push_bind_param::<Text, _>(&row.name_key)?;
        out.push_sql(", updated_at = ");
        out.push_bind_param::<Timestamp, _>(self.updated_at)?;
        out.push_sql(", updated_by_batch = ");
        out.push_bind_param::<Nullable<BigInt>, _>(&row.batch)?;
        out.push_sql(" WHERE id = ");
        out.push_bind_param::<BigInt, _>(&self.id)?;
        Ok(())
    }
}

impl<C: Connection> RunQueryDsl<C> for UpdateContact<'_> {}
