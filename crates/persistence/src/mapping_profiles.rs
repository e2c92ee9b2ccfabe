//! Mapping profiles: saved column mappings, by name.

use crate::schema::mapping_profiles;
use crate::store::with_conn;
use crate::util::{now, on_unique};
use crate::{Result, Store};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use tuonti_domain::{
    DomainError, Entity, MappingProfile, MappingProfileId, clean_profile_name, name_key,
};

#[derive(Queryable, Selectable)]
#[diesel(table_name = mapping_profiles)]
struct ProfileRow {
    id: i64,
    name: String,
    mapping: String,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl From<ProfileRow> for MappingProfile {
    fn from(row: ProfileRow) -> Self {
        MappingProfile {
            id: MappingProfileId(row.id),
            name: row.name,
            mapping: row.mapping,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

fn not_found(name: &str) -> DomainError {
    DomainError::NotFound {
        entity: Entity::MappingProfile,
        key: name.trim().to_owned(),
    }
}

impl Store {
    /// Saves a mapping profile: inserts it, or replaces the mapping of the profile whose name
    /// is the same in any letter case (that profile keeps its id, spelling and creation time).
    ///
    /// # Errors
    ///
    /// [`DomainError::Invalid`] for an empty name; [`DomainError::Conflict`] when another
    /// connection inserted the name at the same moment; [`crate::PersistenceError::Query`] on
    /// database failure.
    pub fn save_mapping_profile(
        &mut self,
        name: &str,
        mapping_json: &str,
    ) -> Result<MappingProfile> {
        let name = clean_profile_name(name)?;
        let key = name_key(&name);
        self.transaction(|store| {
            let at = now();
            let saved: ProfileRow = if store.mapping_profile(&name)?.is_some() {
                with_conn!(store, c => diesel::update(
                    mapping_profiles::table.filter(mapping_profiles::name_key.eq(&key)),
                )
                .set((
                    mapping_profiles::mapping.eq(mapping_json),
                    mapping_profiles::updated_at.eq(at),
                ))
                .returning(ProfileRow::as_returning())
                .get_result(c))?
            } else {
                with_conn!(store, c => diesel::insert_into(mapping_profiles::table)
                    .values((
                        mapping_profiles::name.eq(&name),
                        mapping_profiles::name_key.eq(&key),
                        mapping_profiles::mapping.eq(mapping_json),
                        mapping_profiles::created_at.eq(at),
                        mapping_profiles::updated_at.eq(at),
                    ))
                    .returning(ProfileRow::as_returning())
                    .get_result(c))
                .map_err(|error| {
                    on_unique(error, |_| DomainError::Conflict {
                        entity: Entity::MappingProfile,
                        field: "name",
                        value: name.clone(),
                        existing: None,
                    })
                })?
            };
            Ok(saved.into())
        })
    }

    /// The mapping profile named `name` in any letter case, if any.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn mapping_profile(&mut self, name: &str) -> Result<Option<MappingProfile>> {
        let key = name_key(name);
        let row: Option<ProfileRow> = with_conn!(self, c => mapping_profiles::table
            .filter(mapping_profiles::name_key.eq(&key))
            .select(ProfileRow::as_select())
            .first(c)
            .optional())?;
        Ok(row.map(MappingProfile::from))
    }

    /// Every mapping profile, ordered by name.
    ///
    /// # Errors
    ///
    /// [`crate::PersistenceError::Query`] on database failure.
    pub fn mapping_profiles(&mut self) -> Result<Vec<MappingProfile>> {
        let rows: Vec<ProfileRow> = with_conn!(self, c => mapping_profiles::table
            .select(ProfileRow::as_select())
            .order((mapping_profiles::name_key.asc(), mapping_profiles::id.asc()))
            .load(c))?;
        Ok(rows.into_iter().map(MappingProfile::from).collect())
    }

    /// Deletes the mapping profile named `name` in any letter case.
    ///
    /// # Errors
    ///
    /// [`DomainError::NotFound`] when there is none; [`crate::PersistenceError::Query`] on
    /// database failure.
    pub fn delete_mapping_profile(&mut self, name: &str) -> Result<()> {
        let key = name_key(name);
        self.transaction(|store| {
            let n = with_conn!(store, c => diesel::delete(
                mapping_profiles::table.filter(mapping_profiles::name_key.eq(&key)),
            )
            .execute(c))?;
            if n == 0 {
                return Err(not_found(name).into());
            }
            Ok(())
        })
    }
}
