//! Errors of the handlers. A handler returns an [`AppError`]; the `render_errors` middleware
//! turns it into a JSON body under `/api/`, a login redirect for a page that needs a
//! session, or an error page in the user's language.

use crate::views::t;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tuonti_domain::{DomainError, Lang};

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AppError {
    /// A use case refused or failed.
    #[error(transparent)]
    Importer(#[from] tuonti_importer::Error),
    /// No live session.
    #[error("Sign in first.")]
    Unauthorized,
    /// Signed in, but not an admin.
    #[error("Only admins may do this.")]
    Forbidden,
    /// No such page or record.
    #[error("No such page or record.")]
    NotFound,
    /// A write without the session's CSRF token.
    #[error(
        "the form is out of date (missing or wrong security token); reload the page and try again"
    )]
    Csrf,
    /// A request the user can fix: a missing field, a bad value.
    #[error("{en}")]
    BadRequest {
        /// In Finnish.
        fi: String,
        /// In Swedish.
        sv: String,
        /// In English.
        en: String,
    },
    /// A change the server's own rules refused (the importer's refusals are
    /// [`AppError::Importer`]), e.g. an undo whose companies changed since the import.
    #[error("{en}")]
    Refused {
        /// In Finnish.
        fi: String,
        /// In Swedish.
        sv: String,
        /// In English.
        en: String,
    },
    /// An upload over the limit.
    #[error("{} is larger than the limit of {limit} bytes", name.as_deref().unwrap_or("the request"))]
    TooLarge {
        /// The file; `None` for the whole request.
        name: Option<String>,
        /// The limit in bytes.
        limit: u64,
    },
    /// Something failed on the server.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// A bad request, its message in Finnish, Swedish and English.
    pub fn bad_request(
        fi: impl Into<String>,
        sv: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        AppError::BadRequest {
            fi: fi.into(),
            sv: sv.into(),
            en: en.into(),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Importer(tuonti_importer::Error::Domain(DomainError::NotFound {
                ..
            })) => StatusCode::NOT_FOUND,
            AppError::Importer(tuonti_importer::Error::Login(
                tuonti_importer::accounts::LoginError::Throttled { .. },
            )) => StatusCode::TOO_MANY_REQUESTS,
            // A used or unknown login link is a page that is gone, not a request to sign in.
            AppError::Importer(tuonti_importer::Error::Login(
                tuonti_importer::accounts::LoginError::BadLink,
            )) => StatusCode::NOT_FOUND,
            AppError::Importer(tuonti_importer::Error::Login(_)) => StatusCode::UNAUTHORIZED,
            // A listing's limit or offset is the request's, as a query string that does not parse.
            AppError::Importer(tuonti_importer::Error::Page(_)) => StatusCode::BAD_REQUEST,
            AppError::Importer(error) if error.is_user_error() => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Importer(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::Refused { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        }
    }

    /// A short stable code for the API.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Importer(tuonti_importer::Error::Login(_)) => "login_refused",
            AppError::Importer(tuonti_importer::Error::Domain(DomainError::NotFound {
                ..
            })) => "not_found",
            AppError::Importer(tuonti_importer::Error::RowsRejected { .. }) => "rows_rejected",
            AppError::Importer(tuonti_importer::Error::Page(_)) => "bad_request",
            AppError::Importer(tuonti_importer::Error::Workbook(_)) => "file_refused",
            AppError::Importer(tuonti_importer::Error::FileChoices { .. }) => {
                "file_choices_refused"
            }
            AppError::Importer(error) if error.is_user_error() => "refused",
            AppError::Importer(_) | AppError::Internal(_) => "internal",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden => "forbidden",
            AppError::NotFound => "not_found",
            AppError::Csrf => "csrf",
            AppError::BadRequest { .. } => "bad_request",
            AppError::Refused { .. } => "refused",
            AppError::TooLarge { .. } => "too_large",
        }
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            AppError::Importer(tuonti_importer::Error::RowsRejected { rejected }) => match lang {
                Lang::Fi => format!(
                    "{rejected} riviä hylättiin, joten mitään ei tuotu. Lataa virhetyökirja ja \
                     korjaa rivit, tai valitse \"tuo vain kelvolliset rivit\"."
                ),
                Lang::Sv => format!(
                    "{rejected} rad(er) avvisades, så ingenting importerades. Ladda ner \
                     felarbetsboken och korrigera dem, eller välj \"importera endast de giltiga \
                     raderna\"."
                ),
                Lang::En => format!(
                    "{rejected} row(s) were rejected, so nothing was imported. Download the \
                     error workbook and fix them, or choose \"import only the valid rows\"."
                ),
            },
            AppError::Importer(error) if error.is_user_error() => error.message(lang),
            // Internal details go to the log, not to the page.
            AppError::Importer(_) | AppError::Internal(_) => t(
                lang,
                "Palvelimella tapahtui virhe. Yritä uudelleen; jos virhe toistuu, ota yhteyttä \
                 ylläpitoon.",
                "Ett fel uppstod på servern. Försök igen; om felet upprepas, kontakta \
                 administratören.",
                "The server failed. Try again; if it keeps failing, contact your administrator.",
            )
            .to_owned(),
            AppError::Unauthorized => t(
                lang,
                "Kirjaudu ensin sisään.",
                "Logga in först.",
                "Sign in first.",
            )
            .to_owned(),
            AppError::Forbidden => t(
                lang,
                "Vain pääkäyttäjät voivat tehdä tämän.",
                "Endast administratörer kan göra detta.",
                "Only admins may do this.",
            )
            .to_owned(),
            AppError::NotFound => t(
                lang,
                "Sivua tai tietuetta ei löydy.",
                "Sidan eller posten finns inte.",
                "No such page or record.",
            )
            .to_owned(),
            AppError::Csrf => t(
                lang,
                "Lomake on vanhentunut (suojaustunniste puuttuu tai on väärä). Lataa sivu \
                 uudelleen ja yritä uudestaan.",
                "Formuläret är föråldrat (säkerhetstoken saknas eller är fel). Ladda om sidan \
                 och försök igen.",
                "The form is out of date (missing or wrong security token). Reload the page \
                 and try again.",
            )
            .to_owned(),
            AppError::BadRequest { fi, sv, en } | AppError::Refused { fi, sv, en } => {
                t(lang, fi, sv, en).to_owned()
            }
            AppError::TooLarge { name, limit } => match lang {
                Lang::Fi => format!(
                    "{} on suurempi kuin sallittu {}.",
                    name.as_deref().unwrap_or("Lähetys"),
                    human_size(*limit, lang)
                ),
                Lang::Sv => format!(
                    "{} är större än gränsen på {}.",
                    name.as_deref().unwrap_or("Sändningen"),
                    human_size(*limit, lang)
                ),
                Lang::En => format!(
                    "{} is larger than the limit of {}.",
                    name.as_deref().unwrap_or("The upload"),
                    human_size(*limit, lang)
                ),
            },
        }
    }
}

/// A size for people in `lang`: `50 MB`, `9,8 kB` (a decimal point in English), `512 tavua`,
/// `512 byte`, `512 bytes`.
pub fn human_size(bytes: u64, lang: Lang) -> String {
    const MB: f64 = 1_048_576.0;
    let value = bytes as f64;
    let text = if bytes >= 1 << 20 {
        let text = format!("{:.1}", value / MB);
        format!("{} MB", text.trim_end_matches(".0"))
    } else if bytes >= 1 << 10 {
        format!("{:.1} kB", value / 1024.0)
    } else {
        format!("{bytes} {}", t(lang, "tavua", "byte", "bytes"))
    };
    match lang {
        Lang::Fi | Lang::Sv => text.replace('.', ","),
        Lang::En => text,
    }
}

/// The error a response carries to the `render_errors` middleware.
#[derive(Debug, Clone)]
pub(crate) struct ErrorInfo {
    pub status: StatusCode,
    pub code: &'static str,
    pub fi: String,
    pub sv: String,
    pub en: String,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if matches!(self.status(), StatusCode::INTERNAL_SERVER_ERROR) {
            eprintln!("tuonti-server: {self:#}");
        }
        let info = ErrorInfo {
            status: self.status(),
            code: self.code(),
            fi: self.message(Lang::Fi),
            sv: self.message(Lang::Sv),
            en: self.message(Lang::En),
        };
        let mut response = (info.status, info.en.clone()).into_response();
        response.extensions_mut().insert(info);
        response
    }
}

impl From<tuonti_persistence::PersistenceError> for AppError {
    fn from(error: tuonti_persistence::PersistenceError) -> Self {
        AppError::Importer(error.into())
    }
}
