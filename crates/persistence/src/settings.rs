//! Key-value settings of the installation.

use crate::schema::settings;
use crate::store::with_conn;
use crate::{Result, Store};
use diesel::prelude::*;

impl Store {
    /// The value of a setting, if set.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn setting(&mut self, key: &str) -> Result<Option<String>> {
        let value = with_conn!(self, c => settings::table
            .find(key)
            .select(settings::value)
            .first::<String>(c)
            .optional())?;
        Ok(value)
    }

    /// Sets a setting, replacing an earlier value.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.transaction(|store| {
            with_conn!(store, c => {
                let n = diesel::update(settings::table.find(key))
                    .set(settings::value.eq(value))
                    .execute(c)?;
                if n == 0 {
                    diesel::insert_into(settings::table)
                        .values((settings::key.eq(key), settings::value.eq(value)))
                        .execute(c)?;
                }
                QueryResult::Ok(())
            })?;
            Ok(())
        })
    }
}
