//! The importer's error type.

use tuonti_domain::{DomainError, Lang};
use tuonti_persistence::PersistenceError;

/// Why a use case could not be carried out. Nothing was changed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A rule refused the request: a taken name, an unknown user, a group still in use, ...
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// The database could not be opened, read or written.
    #[error(transparent)]
    Persistence(PersistenceError),
    /// An all-or-nothing import found rejected rows and wrote nothing (see the plan for which
    /// and why).
    #[error(
        "{rejected} row{} rejected; nothing was imported. Fix them (see the error workbook) or \
         import only the valid rows with --skip-invalid",
        if *.rejected == 1 { " is" } else { "s are" }
    )]
    RowsRejected {
        /// How many rows were rejected.
        rejected: u64,
    },
    /// A company, contact or project created in code was refused: every field error, with
    /// the issue codes a spreadsheet row with the same values gets.
    #[error(transparent)]
    InvalidRecord(crate::records::InputErrors),
    /// A file could not be read: not a spreadsheet, encrypted, corrupt, too large, no header
    /// row, a bad mapping override.
    #[error(transparent)]
    Workbook(#[from] tuonti_excel_template::Error),
    /// A value mapping (`--value`, a manifest's `values`) cannot be used.
    #[error(transparent)]
    ValueMapping(#[from] crate::import::ValueMappingError),
    /// A login was refused: wrong credentials, too many failures, a bad login link.
    #[error(transparent)]
    Login(#[from] crate::accounts::LoginError),
    /// A company named by a name several stored companies have, in a filter: the user names
    /// one of them by customer number or business ID.
    #[error(
        "{} companies are named {key:?}: {}; name the company by customer number or business ID",
        .candidates.len(),
        .candidates.join("; ")
    )]
    AmbiguousCompany {
        /// The name as given.
        key: String,
        /// The companies with that name, each as "name (business ID, #customer number)".
        candidates: Vec<String>,
    },
    /// A project status in a filter that is none of the words for a status.
    #[error(
        "{value:?} is not a project status; the statuses are offer, active, on hold, completed \
         and cancelled (also in Finnish and Swedish: tarjous, käynnissä, tauolla, valmis, peruttu)"
    )]
    UnknownStatus {
        /// The word as given.
        value: String,
    },
    /// The paging of a listing cannot be read: a limit or offset out of range.
    #[error(transparent)]
    Page(#[from] crate::paging::PageError),
    /// A report was refused: a bad dimension, date or period, an unknown or undone batch.
    #[error(transparent)]
    Report(#[from] crate::reports::ReportError),
    /// A temporary file the import keeps data in could not be written or read.
    #[error("cannot keep {what}: {source}")]
    Io {
        /// What the file holds.
        what: &'static str,
        /// The cause.
        source: std::io::Error,
    },
    /// The wizard's choices for one uploaded file were refused: a file the wizard does not
    /// have, one named twice, or a choice that does not resolve.
    #[error("file {file}: {problem}")]
    FileChoices {
        /// The file as the request named it (its name, or its id).
        file: String,
        /// What is wrong.
        problem: crate::wizard::FileChoicesProblem,
    },
    /// A correction in the wizard's preview was refused: rows that cannot be chosen, a fix
    /// of a row that is not rejected.
    #[error(transparent)]
    Correction(#[from] crate::wizard::CorrectionError),
}

impl From<PersistenceError> for Error {
    fn from(error: PersistenceError) -> Self {
        match error {
            PersistenceError::Domain(domain) => Error::Domain(domain),
            other => Error::Persistence(other),
        }
    }
}

impl Error {
    /// Whether the user can fix it (their data, arguments or file) rather than an internal,
    /// I/O or server failure.
    pub fn is_user_error(&self) -> bool {
        match self {
            Error::Domain(_)
            | Error::RowsRejected { .. }
            | Error::Login(_)
            | Error::InvalidRecord(_)
            | Error::AmbiguousCompany { .. }
            | Error::UnknownStatus { .. }
            | Error::Page(_)
            | Error::ValueMapping(_)
            | Error::Correction(_)
            | Error::Report(_) => true,
            Error::FileChoices { problem, .. } => problem.is_user_error(),
            Error::Persistence(error) => error.is_user_error(),
            Error::Workbook(error) => workbook_error_is_users(error),
            Error::Io { .. } => false,
        }
    }

    /// The message in `lang`: Finnish, Swedish or English (the failures of storage itself
    /// and of temporary files are given in English).
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Error::Domain(error) => error.message(lang),
            Error::Login(error) => error.message(lang),
            Error::InvalidRecord(errors) => errors.message(lang),
            Error::Report(error) => error.message(lang),
            Error::Page(error) => error.message(lang),
            Error::ValueMapping(error) => error.message(lang),
            Error::Correction(error) => error.message(lang),
            Error::FileChoices { file, problem } => match lang {
                Lang::Fi => format!("Tiedosto {file}: {}", problem.message(lang)),
                Lang::Sv => format!("Fil {file}: {}", problem.message(lang)),
                Lang::En => format!("File {file}: {}", problem.message(lang)),
            },
            Error::Persistence(error) => error.message(lang),
            Error::Workbook(error) => error.localized().get(lang).to_owned(),
            Error::RowsRejected { rejected } => match lang {
                Lang::Fi => format!(
                    "{rejected} riviä hylättiin; mitään ei tuotu. Korjaa ne (katso \
                     virhetyökirja) tai tuo vain kelvolliset rivit valinnalla --skip-invalid"
                ),
                Lang::Sv => {
                    let (rows, them) = if *rejected == 1 {
                        ("rad", "den")
                    } else {
                        ("rader", "dem")
                    };
                    format!(
                        "{rejected} {rows} avvisades; ingenting importerades. Rätta {them} (se \
                         felarbetsboken) eller importera bara de giltiga raderna med \
                         --skip-invalid"
                    )
                }
                Lang::En => self.to_string(),
            },
            Error::AmbiguousCompany { key, candidates } => match lang {
                Lang::Fi => format!(
                    "Nimellä {key:?} on {} yritystä: {}; nimeä yritys asiakasnumerolla tai \
                     Y-tunnuksella",
                    candidates.len(),
                    candidates.join("; ")
                ),
                Lang::Sv => format!(
                    "{} företag heter {key:?}: {}; ange företaget med kundnummer eller FO-nummer",
                    candidates.len(),
                    candidates.join("; ")
                ),
                Lang::En => self.to_string(),
            },
            Error::UnknownStatus { value } => match lang {
                Lang::Fi => format!(
                    "{value:?} ei ole projektin tila; tilat ovat tarjous, käynnissä, tauolla, \
                     valmis ja peruttu (myös ruotsiksi ja englanniksi: offert, pågående, \
                     active, ...)"
                ),
                Lang::Sv => format!(
                    "{value:?} är ingen projektstatus; statusarna är offert, pågående, pausad, \
                     avslutad och avbruten (också på finska och engelska: tarjous, käynnissä, \
                     active, ...)"
                ),
                Lang::En => self.to_string(),
            },
            Error::Io { .. } => self.to_string(),
        }
    }
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A file the user gave that cannot be used is theirs to fix; failing to write a workbook, or
/// an I/O failure other than a missing or unreadable file, is not.
fn workbook_error_is_users(error: &tuonti_excel_template::Error) -> bool {
    use std::io::ErrorKind;
    use tuonti_excel_template::Error as E;
    match error {
        E::Io { source, .. } => matches!(
            source.kind(),
            ErrorKind::NotFound | ErrorKind::PermissionDenied | ErrorKind::IsADirectory
        ),
        E::Write { .. } => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::LoginError;
    use crate::import::{ChosenRowsError, LinkField, ValueMappingError};
    use crate::reports::ReportError;
    use crate::wizard::{CorrectionError, FileChoicesProblem};
    use tuonti_domain::{Entity, FieldKey, IssueCode, LocalizedText, RecordKind};

    /// One error of every variant a user may see (every variant of the nested errors too):
    /// the message in Finnish, Swedish and English, the Swedish its own text. Only the failures
    /// of storage and of temporary files are given in English in every language.
    #[test]
    fn every_user_error_speaks_finnish_swedish_and_english() {
        let date = |day| chrono::NaiveDate::from_ymd_opt(2024, 1, day).unwrap_or_default();
        let rows_error = || ChosenRowsError::Backwards { from: 40, to: 2 };
        let errors: Vec<Error> = vec![
            Error::Domain(DomainError::NotFound {
                entity: Entity::CustomerGroup,
                key: "Helsinki".into(),
            }),
            Error::Domain(DomainError::RefusedIn(LocalizedText::new(
                "ei käy",
                "går inte",
                "no",
            ))),
            Error::Persistence(PersistenceError::NoDatabase {
                path: "tuonti.db".into(),
            }),
            Error::RowsRejected { rejected: 1 },
            Error::RowsRejected { rejected: 3 },
            Error::InvalidRecord(crate::records::InputErrors {
                kind: RecordKind::Contact,
                errors: vec![crate::records::FieldError {
                    field: "last_name".into(),
                    code: IssueCode::new("last_name.required"),
                    message: LocalizedText::new("Puuttuu", "Saknas", "Missing"),
                }],
            }),
            Error::Workbook(tuonti_excel_template::Error::EmptyFile {
                file: "a.csv".into(),
            }),
            Error::ValueMapping(ValueMappingError::Malformed { given: "x".into() }),
            Error::ValueMapping(ValueMappingError::NotALink {
                field: "phone".into(),
            }),
            Error::ValueMapping(ValueMappingError::Conflict {
                field: LinkField::AccountManager,
                value: "Liisa".into(),
                first: "a@b.fi".into(),
                second: "c@d.fi".into(),
            }),
            Error::ValueMapping(ValueMappingError::Target {
                field: LinkField::Status,
                value: "x".into(),
                target: "y".into(),
                reason: Box::new(LocalizedText::new("ei tila", "ingen status", "no status")),
            }),
            Error::Login(LoginError::WrongCredentials),
            Error::Login(LoginError::Throttled {
                retry_after_minutes: 1,
            }),
            Error::Login(LoginError::Throttled {
                retry_after_minutes: 5,
            }),
            Error::Login(LoginError::BadLink),
            Error::AmbiguousCompany {
                key: "Sama Oy".into(),
                candidates: vec!["001".into(), "002".into()],
            },
            Error::UnknownStatus {
                value: "ehkä".into(),
            },
            Error::Page(crate::paging::PageError::Limit { given: "0".into() }),
            Error::Page(crate::paging::PageError::Offset { given: "-1".into() }),
            Error::Report(ReportError::UnknownDimension { value: "x".into() }),
            Error::Report(ReportError::DimensionCount { count: 3 }),
            Error::Report(ReportError::RepeatedDimension { dimension: "group" }),
            Error::Report(ReportError::NotOfCompanies {
                dimension: "branch",
            }),
            Error::Report(ReportError::BadDate { value: "x".into() }),
            Error::Report(ReportError::PeriodReversed {
                from: date(31),
                to: date(1),
            }),
            Error::Report(ReportError::UnknownBatch { id: 7 }),
            Error::Report(ReportError::UndoneBatch { id: 7 }),
            Error::FileChoices {
                file: "a.csv".into(),
                problem: FileChoicesProblem::NotUploaded,
            },
            Error::FileChoices {
                file: "a.csv".into(),
                problem: FileChoicesProblem::AmbiguousName { count: 2 },
            },
            Error::FileChoices {
                file: "a.csv".into(),
                problem: FileChoicesProblem::GivenTwice,
            },
            Error::FileChoices {
                file: "a.csv".into(),
                problem: FileChoicesProblem::Refused(Box::new(Error::RowsRejected { rejected: 2 })),
            },
            Error::Correction(CorrectionError::NoFile { file: 3 }),
            Error::Correction(CorrectionError::Rows {
                file: "a.csv".into(),
                given: "40-2".into(),
                source: rows_error(),
            }),
            Error::Correction(CorrectionError::RowsPastEnd {
                file: "a.csv".into(),
                rows: "2-9".parse().unwrap_or_else(|_| panic!("rows")),
                row: 9,
                last: 5,
            }),
            Error::Correction(CorrectionError::NoPreview),
            Error::Correction(CorrectionError::NotRejected {
                file: "a.csv".into(),
                row: 2,
            }),
            Error::Correction(CorrectionError::NoColumn {
                file: "a.csv".into(),
                field: FieldKey::Email,
            }),
        ];
        for error in &errors {
            let [fi, sv, en] = Lang::ALL.map(|lang| error.message(lang));
            assert!(error.is_user_error(), "{error:?}");
            assert!(
                !fi.is_empty() && !sv.is_empty() && !en.is_empty(),
                "{error:?}"
            );
            assert!(sv != en && sv != fi, "{error:?}: {sv}");
        }
        for rows in [
            ChosenRowsError::Empty,
            ChosenRowsError::NotARow { part: "x".into() },
            rows_error(),
            ChosenRowsError::Zero,
        ] {
            let [fi, sv, en] = Lang::ALL.map(|lang| rows.message(lang));
            assert!(sv != en && sv != fi && !fi.is_empty(), "{rows:?}: {sv}");
        }
        assert_eq!(
            Error::RowsRejected { rejected: 1 }.message(Lang::Sv),
            "1 rad avvisades; ingenting importerades. Rätta den (se felarbetsboken) eller \
             importera bara de giltiga raderna med --skip-invalid"
        );
    }
}
