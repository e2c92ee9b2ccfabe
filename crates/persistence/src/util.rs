//! Small helpers shared by the repositories.

use crate::PersistenceError;
use chrono::{NaiveDateTime, SubsecRound, Utc};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use tuonti_domain::DomainError;

/// The current UTC time, to the microsecond (what PostgreSQL keeps), so a stored time reads
/// back equal on both backends.
pub(crate) fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}

/// Turns a unique violation into the domain error `conflict` builds from the violated
/// constraint's description (the SQLite message or the PostgreSQL constraint name); any other
/// error stays a query error.
pub(crate) fn on_unique(
    error: DieselError,
    conflict: impl FnOnce(&str) -> DomainError,
) -> PersistenceError {
    match error {
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
            let detail = format!(
                "{} {}",
                info.message(),
                info.constraint_name().unwrap_or("")
            );
            PersistenceError::Domain(conflict(&detail))
        }
        other => PersistenceError::Query(other),
    }
}

/// A count from the database as an unsigned number.
pub(crate) fn count(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}
