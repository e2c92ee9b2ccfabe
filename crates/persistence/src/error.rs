//! The persistence error type.

use std::path::PathBuf;
use tuonti_domain::{DomainError, Lang};

/// Why a storage call failed. Nothing was changed unless the variant says otherwise: every
/// write runs in a transaction that is rolled back on error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PersistenceError {
    /// A rule of the domain refused the change, e.g. a name that is already taken (the
    /// database's unique indexes report as [`DomainError::Conflict`]).
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// The SQLite database file does not exist and the call was not allowed to create it.
    #[error("no Tuonti database at {}; create it with `tuonti init`", path.display())]
    NoDatabase {
        /// The path that was looked at.
        path: PathBuf,
    },
    /// The PostgreSQL database has no Tuonti schema and the call was not allowed to create it.
    #[error("the PostgreSQL database {target} has no Tuonti schema; create it with `tuonti init`")]
    NoSchema {
        /// Host, port and database name.
        target: String,
    },
    /// The file is not an SQLite database. It was not changed.
    #[error("{} is not a Tuonti database: it looks like {looks_like}; the file was not changed", path.display())]
    NotADatabase {
        /// The file.
        path: PathBuf,
        /// What the file's first bytes look like, e.g. `a PDF document`.
        looks_like: String,
    },
    /// The database holds tables of another application and no Tuonti schema. It was not
    /// changed.
    #[error(
        "{location} is a database of another application (tables: {tables}); it was not changed"
    )]
    ForeignDatabase {
        /// The file or server.
        location: String,
        /// Some of its tables.
        tables: String,
    },
    /// The database was migrated by a newer version of Tuonti. It was not changed.
    #[error(
        "{location} was migrated by a newer version of Tuonti (schema version {found}, this \
         version knows up to {known}); upgrade Tuonti. The database was not changed"
    )]
    NewerSchema {
        /// The file or server.
        location: String,
        /// The newest schema version found in the database.
        found: String,
        /// The newest schema version this build knows.
        known: String,
    },
    /// The database server could not be reached or refused the connection.
    #[error("cannot connect to {target}: {message}")]
    Connect {
        /// Host, port and database name, or the file path (never a password).
        target: String,
        /// The driver's explanation, on one line.
        message: String,
    },
    /// This build was compiled without support for the requested backend.
    #[error("this build of Tuonti has no PostgreSQL support; rebuild with the `postgres` feature")]
    BackendNotCompiled,
    /// Running the schema migrations failed; the failed migration was rolled back.
    #[error("migrating the database at {location} failed: {message}")]
    Migration {
        /// The file or server.
        location: String,
        /// What failed.
        message: String,
    },
    /// A stored value could not be read back, e.g. an unknown role name.
    #[error("the database holds an unreadable value in {table}.{column}: {value:?}")]
    Corrupt {
        /// The table.
        table: &'static str,
        /// The column.
        column: &'static str,
        /// The stored value.
        value: String,
    },
    /// Reading the database file failed.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A query failed for a reason not covered above (a lost connection, a full disk).
    #[error("database error: {0}")]
    Query(#[from] diesel::result::Error),
}

impl PersistenceError {
    /// Whether the failure is the user's to fix (their data, arguments or file), as opposed to
    /// an internal, I/O or server failure. The CLI exits 1 for these and 2 for the others.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            PersistenceError::Domain(_)
                | PersistenceError::NoDatabase { .. }
                | PersistenceError::NoSchema { .. }
                | PersistenceError::NotADatabase { .. }
                | PersistenceError::ForeignDatabase { .. }
                | PersistenceError::NewerSchema { .. }
        )
    }
}

/// The result type of this crate.
pub type Result<T, E = PersistenceError> = std::result::Result<T, E>;

impl PersistenceError {
    /// The message for a user in `lang`. The user errors (see [`is_user_error`]) exist in
    /// Finnish, Swedish and English; the failures of storage itself are given in English, as
    /// `Display` gives them.
    ///
    /// [`is_user_error`]: PersistenceError::is_user_error
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Fi => self.message_fi(),
            Lang::Sv => self.message_sv(),
            Lang::En => self.to_string(),
        }
    }

    fn message_fi(&self) -> String {
        match self {
            PersistenceError::Domain(error) => error.message(Lang::Fi),
            PersistenceError::NoDatabase { path } => format!(
                "polussa {} ei ole Tuonti-tietokantaa; luo se komennolla `tuonti init`",
                path.display()
            ),
            PersistenceError::NoSchema { target } => format!(
                "PostgreSQL-tietokannassa {target} ei ole Tuonti-skeemaa; luo se komennolla \
                 `tuonti init`"
            ),
            PersistenceError::NotADatabase { path, looks_like } => format!(
                "{} ei ole Tuonti-tietokanta: se näyttää olevan {}; tiedostoa ei muutettu",
                path.display(),
                looks_like_in(looks_like, Lang::Fi)
            ),
            PersistenceError::ForeignDatabase { location, tables } => format!(
                "{location} on toisen sovelluksen tietokanta (taulut: {tables}); sitä ei muutettu"
            ),
            PersistenceError::NewerSchema {
                location,
                found,
                known,
            } => format!(
                "{location} on päivitetty Tuontin uudemmalla versiolla (skeeman versio {found}, \
                 tämä versio tuntee versioon {known} asti); päivitä Tuonti. Tietokantaa ei \
                 muutettu"
            ),
            PersistenceError::Connect { .. }
            | PersistenceError::BackendNotCompiled
            | PersistenceError::Migration { .. }
            | PersistenceError::Corrupt { .. }
            | PersistenceError::Io { .. }
            | PersistenceError::Query(_) => self.to_string(),
        }
    }

    fn message_sv(&self) -> String {
        match self {
            PersistenceError::Domain(error) => error.message(Lang::Sv),
            PersistenceError::NoDatabase { path } => format!(
                "det finns ingen Tuonti-databas i {}; skapa den med `tuonti init`",
                path.display()
            ),
            PersistenceError::NoSchema { target } => format!(
                "PostgreSQL-databasen {target} har inget Tuonti-schema; skapa det med `tuonti init`"
            ),
            PersistenceError::NotADatabase { path, looks_like } => format!(
                "{} är ingen Tuonti-databas: den ser ut att vara {}; filen ändrades inte",
                path.display(),
                looks_like_in(looks_like, Lang::Sv)
            ),
            PersistenceError::ForeignDatabase { location, tables } => format!(
                "{location} är en databas för ett annat program (tabeller: {tables}); den ändrades \
                 inte"
            ),
            PersistenceError::NewerSchema {
                location,
                found,
                known,
            } => format!(
                "{location} har uppdaterats av en nyare version av Tuonti (schemaversion {found}, \
                 den här versionen känner till versioner upp till {known}); uppdatera Tuonti. \
                 Databasen ändrades inte"
            ),
            PersistenceError::Connect { .. }
            | PersistenceError::BackendNotCompiled
            | PersistenceError::Migration { .. }
            | PersistenceError::Corrupt { .. }
            | PersistenceError::Io { .. }
            | PersistenceError::Query(_) => self.to_string(),
        }
    }
}

/// What a file that is no database looks like (given in English by the store) in `lang`.
fn looks_like_in(looks_like: &str, lang: Lang) -> &str {
    let [fi, sv] = match looks_like {
        "a folder" => ["kansio", "en mapp"],
        "a PDF document" => ["PDF-dokumentti", "ett PDF-dokument"],
        "a zip archive (an xlsx or ods workbook?)" => [
            "zip-paketti (xlsx- tai ods-työkirja?)",
            "ett zip-arkiv (en xlsx- eller ods-arbetsbok?)",
        ],
        "an old Office document (xls or doc)" => [
            "vanha Office-asiakirja (xls tai doc)",
            "ett gammalt Office-dokument (xls eller doc)",
        ],
        "an HTML page" => ["HTML-sivu", "en HTML-sida"],
        "an XML document" => ["XML-dokumentti", "ett XML-dokument"],
        "an image" => ["kuva", "en bild"],
        "plain text" => ["tavallista tekstiä", "vanlig text"],
        "binary data of an unknown kind" => {
            ["tuntematonta binääridataa", "binärdata av okänt slag"]
        }
        _ => [looks_like, looks_like],
    };
    match lang {
        Lang::Fi => fi,
        Lang::Sv => sv,
        Lang::En => looks_like,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every user error in every language: present, and the Swedish its own text.
    #[test]
    fn user_errors_speak_finnish_swedish_and_english() {
        let errors = [
            PersistenceError::Domain(DomainError::NotFound {
                entity: tuonti_domain::Entity::CustomerGroup,
                key: "Helsinki".into(),
            }),
            PersistenceError::NoDatabase {
                path: "tuonti.db".into(),
            },
            PersistenceError::NoSchema {
                target: "db:5432/tuonti".into(),
            },
            PersistenceError::NotADatabase {
                path: "a.pdf".into(),
                looks_like: "a PDF document".into(),
            },
            PersistenceError::ForeignDatabase {
                location: "a.db".into(),
                tables: "orders".into(),
            },
            PersistenceError::NewerSchema {
                location: "a.db".into(),
                found: "9".into(),
                known: "8".into(),
            },
        ];
        for error in &errors {
            assert!(error.is_user_error());
            let [fi, sv, en] = Lang::ALL.map(|lang| error.message(lang));
            assert_eq!(en, error.to_string());
            assert!(!fi.is_empty() && !sv.is_empty(), "{error:?}");
            assert!(sv != en && sv != fi, "{error:?}: {sv}");
        }
        assert!(errors[3].message(Lang::Sv).contains("ett PDF-dokument"));
        assert_eq!(
            errors[0].message(Lang::Sv),
            "Kundgrupp \"Helsinki\" finns inte"
        );
    }
}
