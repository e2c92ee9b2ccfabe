//! Reports: companies and projects counted and summed by the database (`GROUP BY`), never
//! every row read into Rust.

use crate::store::with_conn;
use crate::util::count;
use crate::{DatabaseLocation, PersistenceError, Result, Store};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, Date, HasSqlType, Nullable, Timestamp, Untyped};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tuonti_domain::{
    CompanyTypeId, CustomerGroupId, DomainError, ImportBatchId, ProjectStatus, UserId,
};

/// What a report counts: companies (with their projects' measures) or projects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReportSubject {
    /// Companies, grouped by what a company has: group, account manager, type.
    Companies,
    /// Projects, grouped by what a project has or its company has.
    Projects,
}

impl ReportSubject {
    /// The stable name: `companies` or `projects`.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportSubject::Companies => "companies",
            ReportSubject::Projects => "projects",
        }
    }
}

/// What a report groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ReportDimension {
    /// The company's customer group (may be missing).
    CustomerGroup,
    /// The company's account manager.
    AccountManager,
    /// The company's type.
    CompanyType,
    /// The project's branch of business (may be missing).
    Branch,
    /// The project's status.
    ProjectStatus,
    /// The project's manager (may be missing).
    ProjectManager,
}

impl ReportDimension {
    /// Every dimension, companies' first.
    pub const ALL: [ReportDimension; 6] = [
        ReportDimension::CustomerGroup,
        ReportDimension::AccountManager,
        ReportDimension::CompanyType,
        ReportDimension::Branch,
        ReportDimension::ProjectStatus,
        ReportDimension::ProjectManager,
    ];

    /// The stable name, as the CLI's `--by` and JSON keys write it: `group`, `manager`,
    /// `type`, `branch`, `status`, `project_manager`.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportDimension::CustomerGroup => "group",
            ReportDimension::AccountManager => "manager",
            ReportDimension::CompanyType => "type",
            ReportDimension::Branch => "branch",
            ReportDimension::ProjectStatus => "status",
            ReportDimension::ProjectManager => "project_manager",
        }
    }

    /// Whether it is something a company has (and so a companies report can group by it).
    pub fn of_company(self) -> bool {
        matches!(
            self,
            ReportDimension::CustomerGroup
                | ReportDimension::AccountManager
                | ReportDimension::CompanyType
        )
    }

    /// The SQL expression of the key (`c` is the company, `p` the project); statuses as
    /// their index in [`REPORT_STATUSES`] (-1 for a stored name this build does not know).
    fn expression(self) -> &'static str {
        match self {
            ReportDimension::CustomerGroup => "c.customer_group_id",
            ReportDimension::AccountManager => "c.account_manager_id",
            ReportDimension::CompanyType => "c.company_type_id",
            // The unary plus keeps SQLite from reading projects through the single-column
            // index of the key (a lookup of every project's row) instead of the covering
            // projects_report; PostgreSQL reads it as the number itself.
            ReportDimension::Branch => "+p.branch_id",
            ReportDimension::ProjectManager => "+p.project_manager_id",
            ReportDimension::ProjectStatus => {
                "CASE p.status WHEN 'offer' THEN 0 WHEN 'active' THEN 1 WHEN 'on_hold' THEN 2 \
                 WHEN 'completed' THEN 3 WHEN 'cancelled' THEN 4 ELSE -1 END"
            }
        }
    }
}

/// Every status a report counts projects in, in this order ([`ReportCounts::by_status`]).
pub const REPORT_STATUSES: [ProjectStatus; 5] = [
    ProjectStatus::Offer,
    ProjectStatus::Active,
    ProjectStatus::OnHold,
    ProjectStatus::Completed,
    ProjectStatus::Cancelled,
];

/// Which records a report counts; every set criterion must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportFilter {
    /// The first day of the period: projects that start on it or later (by creation when
    /// they have no start date); companies and projects created on it or later are new.
    pub from: Option<NaiveDate>,
    /// The last day of the period, included.
    pub to: Option<NaiveDate>,
    /// Only companies of this type (and their projects).
    pub company_type: Option<CompanyTypeId>,
    /// Only companies of this customer group (and their projects).
    pub customer_group: Option<CustomerGroupId>,
    /// Only companies of this account manager (and their projects).
    pub account_manager: Option<UserId>,
    /// Only companies and projects this import batch created.
    pub batch: Option<ImportBatchId>,
}

/// One value of a dimension in a report row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReportKey {
    /// No value: a company without a group, a project without a branch or manager.
    Missing,
    /// The id of the group, user, type or branch.
    Id(i64),
    /// A project status (its index in [`REPORT_STATUSES`]).
    Status(usize),
}

/// The measures of one report row (or of the totals).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReportCounts {
    /// Companies (companies reports; 0 in projects reports).
    pub companies: u64,
    /// Of them, created in the period (all of them without a period).
    pub new_companies: u64,
    /// Projects.
    pub projects: u64,
    /// Of them, created in the period (all of them without a period).
    pub new_projects: u64,
    /// Projects per status, in the order of [`REPORT_STATUSES`].
    pub by_status: [u64; 5],
    /// The sum of the projects' values, in cents.
    pub value_cents: i64,
    /// The sum of the values of the active projects, in cents.
    pub active_value_cents: i64,
}

impl ReportCounts {
    /// Adds another row's measures to these.
    pub fn add(&mut self, other: &ReportCounts) {
        self.companies += other.companies;
        self.new_companies += other.new_companies;
        self.projects += other.projects;
        self.new_projects += other.new_projects;
        for (mine, theirs) in self.by_status.iter_mut().zip(other.by_status) {
            *mine += theirs;
        }
        self.value_cents += other.value_cents;
        self.active_value_cents += other.active_value_cents;
    }
}

/// One row of a report: the keys, one per dimension, and the measures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportGroup {
    /// One key per dimension, in the order asked.
    pub keys: Vec<ReportKey>,
    /// The measures.
    pub counts: ReportCounts,
}

#[derive(QueryableByName)]
struct GroupRow {
    #[diesel(sql_type = Nullable<BigInt>)]
    key1: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    key2: Option<i64>,
    #[diesel(sql_type = BigInt)]
    records: i64,
    #[diesel(sql_type = BigInt)]
    new_records: i64,
    #[diesel(sql_type = BigInt)]
    offer: i64,
    #[diesel(sql_type = BigInt)]
    active: i64,
    #[diesel(sql_type = BigInt)]
    on_hold: i64,
    #[diesel(sql_type = BigInt)]
    completed: i64,
    #[diesel(sql_type = BigInt)]
    cancelled: i64,
    #[diesel(sql_type = BigInt)]
    value_cents: i64,
    #[diesel(sql_type = BigInt)]
    active_value_cents: i64,
}

impl GroupRow {
    fn keys(&self, dimensions: &[ReportDimension]) -> Result<Vec<ReportKey>> {
        dimensions
            .iter()
            .zip([self.key1, self.key2])
            .map(|(dimension, key)| match (dimension, key) {
                (_, None) => Ok(ReportKey::Missing),
                (ReportDimension::ProjectStatus, Some(index)) => usize::try_from(index)
                    .ok()
                    .filter(|index| *index < REPORT_STATUSES.len())
                    .map(ReportKey::Status)
                    .ok_or_else(|| PersistenceError::Corrupt {
                        table: "projects",
                        column: "status",
                        value: "a status this build does not know".to_owned(),
                    }),
                (_, Some(id)) => Ok(ReportKey::Id(id)),
            })
            .collect()
    }
}

impl GroupRow {
    /// The measures of this row of `part`: a projects row fills the projects' measures, a
    /// companies row the companies'.
    fn counts(&self, part: Part) -> ReportCounts {
        match part {
            Part::Projects => ReportCounts {
                projects: count(self.records),
                new_projects: count(self.new_records),
                by_status: [
                    count(self.offer),
                    count(self.active),
                    count(self.on_hold),
                    count(self.completed),
                    count(self.cancelled),
                ],
                value_cents: self.value_cents,
                active_value_cents: self.active_value_cents,
                ..ReportCounts::default()
            },
            Part::Companies => ReportCounts {
                companies: count(self.records),
                new_companies: count(self.new_records),
                ..ReportCounts::default()
            },
        }
    }
}

/// The two statements of a report: the projects' measures and the companies' counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Projects,
    Companies,
}

/// The grouped rows of each part of a report, as read.
type PartRows = Vec<(Part, Vec<GroupRow>)>;

/// Companies' ids from `from` up to (not including) `to`: one worker's share of a report.
#[derive(Debug, Clone, Copy)]
struct IdRange {
    from: i64,
    to: i64,
}

/// How a large SQLite report is shared between worker connections.
///
/// SQLite answers a `GROUP BY` on one core, and most of a report's time over a million rows
/// is the sort of its rows by the keys (SQLite has no hash aggregate). Each worker groups the
/// rows of a range of companies (a range of the covering index `projects_report` and of the
/// companies' rowids) on a connection of its own, and the few grouped rows are added up by
/// key: on two cores a report takes a little over half the time (docs/benchmarks.md).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ReportSplit {
    /// Worker connections at most; 1 for none.
    pub(crate) workers: usize,
    /// The span of the companies' ids below which a report is read on one connection.
    pub(crate) min_span: i64,
}

impl Default for ReportSplit {
    fn default() -> Self {
        ReportSplit {
            workers: std::thread::available_parallelism()
                .map_or(1, |cores| cores.get())
                .min(4),
            min_span: 200_000,
        }
    }
}

/// Each part's grouped rows of the companies in `range` (all without one), on `conn`.
fn load_parts<C>(
    conn: &mut C,
    parts: &[Part],
    dimensions: &[ReportDimension],
    filter: &ReportFilter,
    range: Option<IdRange>,
) -> Result<PartRows>
where
    C: Connection,
    ReportQuery: for<'a> diesel::query_dsl::LoadQuery<'a, C, GroupRow>,
{
    parts
        .iter()
        .map(|&part| {
            let rows: Vec<GroupRow> =
                ReportQuery::part(part, dimensions, filter, range).load(conn)?;
            Ok((part, rows))
        })
        .collect()
}

/// A read-only connection to the SQLite file at `path`, for a report's worker.
fn open_reader(path: &Path) -> Result<SqliteConnection> {
    let target = path.to_string_lossy();
    let mut conn =
        SqliteConnection::establish(&target).map_err(|error| PersistenceError::Connect {
            target: target.to_string(),
            message: error.to_string(),
        })?;
    conn.batch_execute(&format!(
        "PRAGMA busy_timeout = {}; PRAGMA query_only = ON; PRAGMA cache_size = -16384; \
         PRAGMA temp_store = MEMORY;",
        crate::store::SQLITE_BUSY_TIMEOUT_MS
    ))?;
    Ok(conn)
}

/// A bound value of a report query.
enum Bind {
    Date(NaiveDate),
    Time(NaiveDateTime),
    Id(i64),
}

/// A piece of a report query: SQL text or a bound value.
enum Piece {
    Sql(String),
    Bind(Bind),
}

/// A report's `SELECT ... GROUP BY`, built for its dimensions and filter, with its values
/// bound as parameters (diesel writes each backend's placeholders).
struct ReportQuery {
    pieces: Vec<Piece>,
}

impl ReportQuery {
    fn sql(&mut self, sql: impl Into<String>) {
        self.pieces.push(Piece::Sql(sql.into()));
    }

    fn bind(&mut self, value: Bind) {
        self.pieces.push(Piece::Bind(value));
    }

    /// `<column> >= from AND <column> < to + 1 day` of a timestamp column, with `TRUE` for a
    /// period without bounds.
    fn created_in(&mut self, column: &str, filter: &ReportFilter) {
        self.sql("(1 = 1");
        if let Some(from) = filter.from {
            self.sql(format!(" AND {column} >= "));
            self.bind(Bind::Time(from.and_time(chrono::NaiveTime::MIN)));
        }
        if let Some(to) = filter.to.and_then(|to| to.succ_opt()) {
            self.sql(format!(" AND {column} < "));
            self.bind(Bind::Time(to.and_time(chrono::NaiveTime::MIN)));
        }
        self.sql(")");
    }

    /// The WHERE conditions on companies (`c`), each preceded by ` AND `.
    fn company_conditions(&mut self, filter: &ReportFilter) {
        if let Some(company_type) = filter.company_type {
            self.sql(" AND c.company_type_id = ");
            self.bind(Bind::Id(company_type.0));
        }
        if let Some(group) = filter.customer_group {
            self.sql(" AND c.customer_group_id = ");
            self.bind(Bind::Id(group.0));
        }
        if let Some(manager) = filter.account_manager {
            self.sql(" AND c.account_manager_id = ");
            self.bind(Bind::Id(manager.0));
        }
    }

    /// The query of one part of a report, over the companies in `range` (all without one).
    fn part(
        part: Part,
        dimensions: &[ReportDimension],
        filter: &ReportFilter,
        range: Option<IdRange>,
    ) -> Self {
        match part {
            Part::Projects => ReportQuery::projects(dimensions, filter, range),
            Part::Companies => ReportQuery::companies(dimensions, filter, range),
        }
    }

    /// ` AND <column> >= from AND <column> < to`: the companies of one worker's share.
    fn in_range(&mut self, column: &str, range: Option<IdRange>) {
        if let Some(range) = range {
            self.sql(format!(" AND {column} >= "));
            self.bind(Bind::Id(range.from));
            self.sql(format!(" AND {column} < "));
            self.bind(Bind::Id(range.to));
        }
    }

    /// `SELECT keys, COUNT(*), ... FROM companies c WHERE ... GROUP BY keys`.
    fn companies(
        dimensions: &[ReportDimension],
        filter: &ReportFilter,
        range: Option<IdRange>,
    ) -> Self {
        let mut query = ReportQuery { pieces: Vec::new() };
        query.select_keys(dimensions);
        query.sql("CAST(COUNT(*) AS BIGINT) AS records, CAST(SUM(CASE WHEN ");
        query.created_in("c.created_at", filter);
        query.sql(
            " THEN 1 ELSE 0 END) AS BIGINT) AS new_records, \
             CAST(0 AS BIGINT) AS offer, CAST(0 AS BIGINT) AS active, \
             CAST(0 AS BIGINT) AS on_hold, CAST(0 AS BIGINT) AS completed, \
             CAST(0 AS BIGINT) AS cancelled, CAST(0 AS BIGINT) AS value_cents, \
             CAST(0 AS BIGINT) AS active_value_cents FROM companies c WHERE 1 = 1",
        );
        query.company_conditions(filter);
        if let Some(batch) = filter.batch {
            query.sql(" AND c.created_by_batch = ");
            query.bind(Bind::Id(batch.0));
        }
        query.in_range("c.id", range);
        query.group_by(dimensions);
        query
    }

    /// The measures of projects (`p`), from `COUNT(*) AS records` to `active_value_cents`.
    fn project_measures(&mut self, filter: &ReportFilter) {
        self.sql("CAST(COUNT(*) AS BIGINT) AS records, CAST(SUM(CASE WHEN ");
        self.created_in("p.created_at", filter);
        self.sql(" THEN 1 ELSE 0 END) AS BIGINT) AS new_records");
        for status in REPORT_STATUSES {
            self.sql(format!(
                ", CAST(SUM(CASE WHEN p.status = '{0}' THEN 1 ELSE 0 END) AS BIGINT) AS {0}",
                status.as_str()
            ));
        }
        self.sql(
            ", CAST(COALESCE(SUM(p.value_cents), 0) AS BIGINT) AS value_cents, \
             CAST(COALESCE(SUM(CASE WHEN p.status = 'active' THEN p.value_cents END), 0) \
             AS BIGINT) AS active_value_cents",
        );
    }

    /// `FROM projects p WHERE ...`: the batch and the period.
    fn projects_where(&mut self, filter: &ReportFilter) {
        self.sql(" FROM projects p WHERE 1 = 1");
        self.project_conditions(filter);
    }

    /// The conditions on projects (`p`): the batch and the period, each preceded by ` AND `.
    fn project_conditions(&mut self, filter: &ReportFilter) {
        if let Some(batch) = filter.batch {
            self.sql(" AND p.created_by_batch = ");
            self.bind(Bind::Id(batch.0));
        }
        if filter.from.is_some() || filter.to.is_some() {
            // In the period: by the start date, else (no start date) by the creation time.
            self.sql(" AND ((p.start_date IS NOT NULL");
            if let Some(from) = filter.from {
                self.sql(" AND p.start_date >= ");
                self.bind(Bind::Date(from));
            }
            if let Some(to) = filter.to {
                self.sql(" AND p.start_date <= ");
                self.bind(Bind::Date(to));
            }
            self.sql(") OR (p.start_date IS NULL AND ");
            self.created_in("p.created_at", filter);
            self.sql("))");
        }
    }

    /// The projects' measures by keys. Without anything of companies, one `GROUP BY` over
    /// `projects`; with it, one `GROUP BY` over the join of projects to their companies.
    fn projects(
        dimensions: &[ReportDimension],
        filter: &ReportFilter,
        range: Option<IdRange>,
    ) -> Self {
        let mut query = ReportQuery { pieces: Vec::new() };
        let by_company = filter.company_type.is_some()
            || filter.customer_group.is_some()
            || filter.account_manager.is_some()
            || dimensions.iter().any(|dimension| dimension.of_company());
        if !by_company {
            query.select_keys(dimensions);
            query.project_measures(filter);
            query.projects_where(filter);
            query.in_range("p.company_id", range);
            query.group_by(dimensions);
            return query;
        }
        // One join of every project to its company, read in company order through the
        // covering index projects_report (migration 2026-12-05-000001): the companies are
        // read in the same order, so neither side is read at random.
        query.select_keys(dimensions);
        query.project_measures(filter);
        // CROSS JOIN: SQLite keeps projects as the outer loop (through projects_report, in
        // company order) rather than driving the join from an index of companies;
        // PostgreSQL plans it as any inner join.
        query.sql(" FROM projects p CROSS JOIN companies c WHERE c.id = p.company_id");
        query.project_conditions(filter);
        query.company_conditions(filter);
        query.in_range("p.company_id", range);
        query.group_by(dimensions);
        query
    }

    fn select_keys(&mut self, dimensions: &[ReportDimension]) {
        self.sql("SELECT ");
        for index in 0..2 {
            match dimensions.get(index) {
                Some(dimension) => self.sql(format!(
                    "CAST({} AS BIGINT) AS key{}, ",
                    dimension.expression(),
                    index + 1
                )),
                None => self.sql(format!("CAST(NULL AS BIGINT) AS key{}, ", index + 1)),
            }
        }
    }

    fn group_by(&mut self, dimensions: &[ReportDimension]) {
        let keys: Vec<&str> = dimensions.iter().map(|d| d.expression()).collect();
        if !keys.is_empty() {
            self.sql(format!(" GROUP BY {}", keys.join(", ")));
        }
    }
}

impl QueryId for ReportQuery {
    type QueryId = ();
    // The SQL depends on the dimensions and filter: no statement cache by type.
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl Query for ReportQuery {
    type SqlType = Untyped;
}

impl<DB> QueryFragment<DB> for ReportQuery
where
    DB: diesel::backend::Backend + HasSqlType<BigInt> + HasSqlType<Date> + HasSqlType<Timestamp>,
    i64: ToSql<BigInt, DB>,
    NaiveDate: ToSql<Date, DB>,
    NaiveDateTime: ToSql<Timestamp, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.unsafe_to_cache_prepared();
        for piece in &self.pieces {
            match piece {
                Piece::Sql(sql) => out.push_sql(sql),
                Piece::Bind(Bind::Id(id)) => out.push_bind_param::<BigInt, _>(id)?,
                Piece::Bind(Bind::Date(date)) => out.push_bind_param::<Date, _>(date)?,
                Piece::Bind(Bind::Time(time)) => out.push_bind_param::<Timestamp, _>(time)?,
            }
        }
        Ok(())
    }
}

impl<C: Connection> RunQueryDsl<C> for ReportQuery {}

impl Store {
    /// The report of `subject` grouped by `dimensions` (one or two), counted by the database:
    /// one row per combination of keys that has records, in no particular order.
    ///
    /// A companies report counts the companies that match `filter` (the period does not
    /// restrict them; those created in it are new), and sums the projects that match it
    /// (their start date, else creation, in the period; of companies that match the type,
    /// group and manager) under their company's keys: two `GROUP BY`s, joined here by key.
    /// A projects report counts and sums the projects that match `filter`.
    ///
    /// # Errors
    ///
    /// [`DomainError::Refused`] for no dimension or more than two, or a companies report by
    /// something only projects have; [`PersistenceError::Query`] on database failure;
    /// [`PersistenceError::Corrupt`] for a stored status this build does not know.
    pub fn report(
        &mut self,
        subject: ReportSubject,
        dimensions: &[ReportDimension],
        filter: &ReportFilter,
    ) -> Result<Vec<ReportGroup>> {
        if dimensions.is_empty() || dimensions.len() > 2 {
            let count = dimensions.len();
            return Err(DomainError::RefusedIn(tuonti_domain::LocalizedText::new(
                format!("raportti jaotellaan yhdellä tai kahdella perusteella, ei {count}"),
                format!("en rapport delas in efter en eller två grunder, inte {count}"),
                format!("a report groups by one or two dimensions, not {count}"),
            ))
            .into());
        }
        if subject == ReportSubject::Companies && !dimensions.iter().all(|d| d.of_company()) {
            return Err(DomainError::RefusedIn(tuonti_domain::LocalizedText::new(
                "yritysraportin voi jaotella ryhmän, asiakkuusjohtajan tai yritystyypin mukaan",
                "en företagsrapport delas in efter grupp, kundansvarig eller företagstyp",
                "a companies report groups by group, account manager or company type",
            ))
            .into());
        }
        let parts: &[Part] = match subject {
            ReportSubject::Companies => &[Part::Projects, Part::Companies],
            ReportSubject::Projects => &[Part::Projects],
        };
        let mut groups: BTreeMap<Vec<ReportKey>, ReportCounts> = BTreeMap::new();
        for (part, rows) in self.report_rows(parts, dimensions, filter)? {
            for row in &rows {
                groups
                    .entry(row.keys(dimensions)?)
                    .or_default()
                    .add(&row.counts(part));
            }
        }
        Ok(groups
            .into_iter()
            .map(|(keys, counts)| ReportGroup { keys, counts })
            .collect())
    }

    /// Sets how a large SQLite report is shared between worker connections: at most
    /// `workers` of them (1: none), and only when the companies' ids span at least
    /// `min_span`. For tests that compare the shared and the single reading.
    #[cfg(feature = "test-support")]
    pub fn set_report_workers(&mut self, workers: usize, min_span: i64) {
        self.report_split = ReportSplit { workers, min_span };
    }

    /// The grouped rows of each part, read so that every part sees the same data: shared
    /// between worker connections on a large SQLite file, else in one read transaction.
    fn report_rows(
        &mut self,
        parts: &[Part],
        dimensions: &[ReportDimension],
        filter: &ReportFilter,
    ) -> Result<PartRows> {
        if let Some((path, ranges)) = self.report_ranges(filter)?
            && let Some(rows) =
                self.report_in_parallel(&path, &ranges, parts, dimensions, filter)?
        {
            return Ok(rows);
        }
        match &mut self.conn {
            crate::store::Conn::Sqlite(c) => {
                c.transaction(|c| load_parts(c, parts, dimensions, filter, None))
            }
            #[cfg(feature = "postgres")]
            crate::store::Conn::Pg(c) => c
                .build_transaction()
                .read_only()
                .repeatable_read()
                .run(|c| load_parts(c, parts, dimensions, filter, None)),
        }
    }

    /// The companies' id ranges of the worker connections, when a report is worth sharing:
    /// an SQLite file (not in memory, not inside a transaction of this connection, which the
    /// workers would not see) with companies whose ids span at least the split's minimum,
    /// and no batch filter (a batch's rows are found through their index, not scanned).
    fn report_ranges(&mut self, filter: &ReportFilter) -> Result<Option<(PathBuf, Vec<IdRange>)>> {
        #[derive(QueryableByName)]
        struct Span {
            #[diesel(sql_type = Nullable<BigInt>)]
            low: Option<i64>,
            #[diesel(sql_type = Nullable<BigInt>)]
            high: Option<i64>,
        }
        let split = self.report_split;
        let DatabaseLocation::Sqlite(path) = self.location() else {
            return Ok(None);
        };
        if split.workers < 2 || filter.batch.is_some() || path.as_os_str() == ":memory:" {
            return Ok(None);
        }
        let path = path.clone();
        // Without the postgres feature SQLite is the only connection there is.
        #[allow(irrefutable_let_patterns)]
        let crate::store::Conn::Sqlite(c) = &mut self.conn else {
            return Ok(None);
        };
        let depth = <diesel::connection::AnsiTransactionManager as diesel::connection::TransactionManager<SqliteConnection>>::transaction_manager_status_mut(c)
            .transaction_depth()?;
        if depth.is_some() || self.unchecked.is_some() {
            return Ok(None);
        }
        let span: Span =
            diesel::sql_query(
            // Two subqueries: SQLite reads one end of the rowid each (MIN and MAX in one
            // SELECT would scan the table).
            "SELECT (SELECT MIN(id) FROM companies) AS low, (SELECT MAX(id) FROM companies) AS high",
        ).get_result(c)?;
        let (Some(low), Some(high)) = (span.low, span.high) else {
            return Ok(None);
        };
        let width = high - low + 1;
        if width < split.min_span.max(2) {
            return Ok(None);
        }
        let workers = i64::try_from(split.workers).unwrap_or(i64::MAX).min(width);
        let ranges = (0..workers)
            .map(|index| IdRange {
                from: low + width * index / workers,
                to: low + width * (index + 1) / workers,
            })
            .collect();
        Ok(Some((path, ranges)))
    }

    /// Reads each part's rows of the companies in each range on a worker connection of its
    /// own, in parallel, every worker in a read transaction of the same state of the
    /// database: the workers begin their transactions between two readings of this
    /// connection's `PRAGMA data_version`, and when another connection committed in
    /// between they start again (at most three times; then `None`, to read on one).
    fn report_in_parallel(
        &mut self,
        path: &Path,
        ranges: &[IdRange],
        parts: &[Part],
        dimensions: &[ReportDimension],
        filter: &ReportFilter,
    ) -> Result<Option<PartRows>> {
        let mut readers = ranges
            .iter()
            .map(|_| open_reader(path))
            .collect::<Result<Vec<_>>>()?;
        for _attempt in 0..3 {
            let before = self.data_version()?;
            for reader in &mut readers {
                // The first read fixes the transaction's snapshot of the database.
                reader.batch_execute("BEGIN; SELECT 1 FROM sqlite_schema LIMIT 1;")?;
            }
            if self.data_version()? != before {
                for reader in &mut readers {
                    reader.batch_execute("COMMIT;")?;
                }
                continue;
            }
            let results: Vec<Result<PartRows>> = std::thread::scope(|scope| {
                let handles: Vec<_> = readers
                    .iter_mut()
                    .zip(ranges)
                    .map(|(reader, &range)| {
                        scope.spawn(move || {
                            load_parts(reader, parts, dimensions, filter, Some(range))
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|handle| {
                        handle
                            .join()
                            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                    })
                    .collect()
            });
            for reader in &mut readers {
                reader.batch_execute("COMMIT;")?;
            }
            let mut rows = Vec::new();
            for result in results {
                rows.extend(result?);
            }
            return Ok(Some(rows));
        }
        Ok(None)
    }

    /// SQLite's `PRAGMA data_version` of this connection: it changes when another connection
    /// commits.
    fn data_version(&mut self) -> Result<i64> {
        #[derive(QueryableByName)]
        struct Version {
            #[diesel(sql_type = BigInt)]
            data_version: i64,
        }
        let version: Version =
            with_conn!(self, c => diesel::sql_query("PRAGMA data_version").get_result(c))?;
        Ok(version.data_version)
    }

    /// The query plans of [`Store::report`]'s statements, as the database explains them
    /// (`EXPLAIN QUERY PLAN` on SQLite, `EXPLAIN` on PostgreSQL), one line per step: for
    /// benchmarks and docs/benchmarks.md.
    ///
    /// # Errors
    ///
    /// [`PersistenceError::Query`] on database failure.
    #[cfg(feature = "test-support")]
    pub fn explain_report(
        &mut self,
        subject: ReportSubject,
        dimensions: &[ReportDimension],
        filter: &ReportFilter,
    ) -> Result<Vec<String>> {
        #[derive(QueryableByName)]
        struct SqlitePlan {
            #[diesel(sql_type = diesel::sql_types::Text)]
            detail: String,
        }
        #[derive(QueryableByName)]
        struct PgPlan {
            #[diesel(sql_type = diesel::sql_types::Text)]
            #[diesel(column_name = "QUERY PLAN")]
            plan: String,
        }
        let mut queries = vec![ReportQuery::projects(dimensions, filter, None)];
        if subject == ReportSubject::Companies {
            queries.push(ReportQuery::companies(dimensions, filter, None));
        }
        let mut lines = Vec::new();
        for mut query in queries {
            match &mut self.conn {
                crate::store::Conn::Sqlite(c) => {
                    query
                        .pieces
                        .insert(0, Piece::Sql("EXPLAIN QUERY PLAN ".to_owned()));
                    let rows: Vec<SqlitePlan> = query.load(c)?;
                    lines.extend(rows.into_iter().map(|row| row.detail));
                }
                #[cfg(feature = "postgres")]
                crate::store::Conn::Pg(c) => {
                    query.pieces.insert(0, Piece::Sql("EXPLAIN ".to_owned()));
                    let rows: Vec<PgPlan> = query.load(c)?;
                    lines.extend(rows.into_iter().map(|row| row.plan));
                }
            }
            lines.push(String::new());
        }
        Ok(lines)
    }
}
