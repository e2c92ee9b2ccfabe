//! Mapping profiles: the column mapping corrections of one file saved under a name, to apply
//! to later files from the same source.
//!
//! A profile holds [`MappingOverride`]s (`Header=field`, `Header=ignore`), e.g. a file's whole
//! mapping as [`ColumnMapping::to_overrides`](tuonti_excel_template::ColumnMapping::to_overrides)
//! gives it, and the value mappings of linked columns ([`ValueMappings`]: "Liisa" is
//! liisa@example.fi), stored as JSON. Names are unique in any letter case; saving under a
//! taken name replaces that profile's mapping.
//!
//! ```
//! use tuonti_importer::profiles;
//! use tuonti_excel_template::MappingOverride;
//! use tuonti_persistence::Store;
//!
//! let mut store = Store::open_in_memory()?;
//! let overrides = MappingOverride::parse_all(["Asnro=business_id", "Muuta=ignore"])?;
//! profiles::save(&mut store, "Visma", &overrides)?;
//! assert_eq!(profiles::overrides(&mut store, "visma")?, overrides);
//!
//! // With the old system's names for people, mapped once.
//! let mut values = tuonti_importer::import::ValueMappings::new();
//! values.insert_arg("account_manager:Liisa=liisa@example.fi")?;
//! let content = profiles::ProfileContent { columns: overrides.clone(), values };
//! profiles::save_content(&mut store, "Visma", &content)?;
//! assert_eq!(profiles::content(&mut store, "VISMA")?, content);
//! assert_eq!(profiles::overrides(&mut store, "visma")?, overrides);
//! # Ok::<(), tuonti_importer::Error>(())
//! ```

use crate::Result;
use crate::import::ValueMappings;
use serde::{Deserialize, Serialize};
use tuonti_domain::{DomainError, Entity, MappingProfile};
use tuonti_excel_template::MappingOverride;
use tuonti_persistence::{PersistenceError, Store};

fn not_found(name: &str) -> DomainError {
    DomainError::NotFound {
        entity: Entity::MappingProfile,
        key: name.trim().to_owned(),
    }
}

/// What a profile holds: column mapping corrections and value mappings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileContent {
    /// The column mapping corrections, in order.
    pub columns: Vec<MappingOverride>,
    /// The value mappings of linked columns.
    #[serde(default, skip_serializing_if = "ValueMappings::is_empty")]
    pub values: ValueMappings,
}

/// The stored JSON: a list of corrections (profiles saved before value mappings), or the
/// whole content.
#[derive(Deserialize)]
#[serde(untagged)]
enum Stored {
    Columns(Vec<MappingOverride>),
    Content(ProfileContent),
}

/// Saves `overrides` as the profile `name`, replacing the mapping of a profile with the same
/// name in any letter case (and its value mappings: it has none after this).
///
/// # Errors
///
/// [`Error::Domain`](crate::Error::Domain) with [`DomainError::Invalid`] for an empty name or
/// no overrides; [`Error::Persistence`](crate::Error::Persistence) on database failure.
pub fn save(
    store: &mut Store,
    name: &str,
    overrides: &[MappingOverride],
) -> Result<MappingProfile> {
    save_content(
        store,
        name,
        &ProfileContent {
            columns: overrides.to_vec(),
            values: ValueMappings::default(),
        },
    )
}

/// Saves column mapping corrections and value mappings as the profile `name`, replacing a
/// profile with the same name in any letter case.
///
/// # Errors
///
/// As [`save`].
pub fn save_content(
    store: &mut Store,
    name: &str,
    content: &ProfileContent,
) -> Result<MappingProfile> {
    let overrides = &content.columns;
    if overrides.is_empty() {
        return Err(DomainError::Invalid {
            entity: Entity::MappingProfile,
            field: "mapping",
            value: String::new(),
            reason: Box::new(tuonti_domain::LocalizedText::new(
                "vähintään yksi sarake (Otsikko=kenttä tai Otsikko=ignore) on pakollinen",
                "minst en kolumn (Rubrik=fält eller Rubrik=ignore) är obligatorisk",
                "at least one column (Header=field or Header=ignore) is required",
            )),
        }
        .into());
    }
    // Serializing a list of plain structs and enums cannot fail; a failure would be a bug
    // worth seeing rather than an empty profile.
    let json = if content.values.is_empty() {
        // The form profiles had before value mappings, which older builds read.
        serde_json::to_string(overrides)
    } else {
        serde_json::to_string(content)
    }
    .map_err(|error| PersistenceError::Corrupt {
        table: "mapping_profiles",
        column: "mapping",
        value: error.to_string(),
    })?;
    Ok(store.save_mapping_profile(name, &json)?)
}

/// The profile named `name` in any letter case.
///
/// # Errors
///
/// [`Error::Domain`](crate::Error::Domain) with [`DomainError::NotFound`] (entity
/// [`Entity::MappingProfile`]) when there is none; [`Error::Persistence`](crate::Error::Persistence)
/// on database failure.
pub fn get(store: &mut Store, name: &str) -> Result<MappingProfile> {
    store
        .mapping_profile(name)?
        .ok_or_else(|| not_found(name).into())
}

/// The overrides of the profile named `name` in any letter case, in the order saved.
///
/// # Errors
///
/// As [`get`], and as [`decode`].
pub fn overrides(store: &mut Store, name: &str) -> Result<Vec<MappingOverride>> {
    decode(&get(store, name)?)
}

/// The overrides a stored profile holds.
///
/// # Errors
///
/// [`Error::Persistence`](crate::Error::Persistence) with [`PersistenceError::Corrupt`] when
/// the stored mapping is not the JSON [`save`] writes.
pub fn decode(profile: &MappingProfile) -> Result<Vec<MappingOverride>> {
    Ok(decode_content(profile)?.columns)
}

/// Everything a stored profile holds.
///
/// # Errors
///
/// As [`decode`].
pub fn decode_content(profile: &MappingProfile) -> Result<ProfileContent> {
    match serde_json::from_str(&profile.mapping) {
        Ok(Stored::Columns(columns)) => Ok(ProfileContent {
            columns,
            values: ValueMappings::default(),
        }),
        Ok(Stored::Content(content)) => Ok(content),
        Err(_) => Err(PersistenceError::Corrupt {
            table: "mapping_profiles",
            column: "mapping",
            value: profile.mapping.clone(),
        }
        .into()),
    }
}

/// Everything the profile named `name` (in any letter case) holds.
///
/// # Errors
///
/// As [`get`], and as [`decode`].
pub fn content(store: &mut Store, name: &str) -> Result<ProfileContent> {
    decode_content(&get(store, name)?)
}

/// Every profile, ordered by name.
///
/// # Errors
///
/// [`Error::Persistence`](crate::Error::Persistence) on database failure.
pub fn list(store: &mut Store) -> Result<Vec<MappingProfile>> {
    Ok(store.mapping_profiles()?)
}

/// Deletes the profile named `name` in any letter case.
///
/// # Errors
///
/// [`Error::Domain`](crate::Error::Domain) with [`DomainError::NotFound`] when there is none;
/// [`Error::Persistence`](crate::Error::Persistence) on database failure.
pub fn delete(store: &mut Store, name: &str) -> Result<()> {
    Ok(store.delete_mapping_profile(name)?)
}
