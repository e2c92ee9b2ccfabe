//! Reports (any signed-in user): the request as a form or query gives it, the report, its
//! files, and the choices of the form.

use crate::error::AppError;
use crate::state::AppState;
use serde::Deserialize;
use tuonti_domain::{CompanyType, CustomerGroup, Lang, User};
use tuonti_excel_template::ExportFormat;
use tuonti_importer::reports::{self, Report, ReportRequest};
use tuonti_persistence::ReportSubject;

/// A value as given: `None` for a missing or blank one.
fn given(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|value| !value.is_empty())
        .map(str::to_owned)
}

/// A report as a query string or form asks for it; blank values are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ReportParams {
    /// `companies` or `projects` (default: projects).
    #[serde(default)]
    pub subject: Option<String>,
    /// The first dimension, or both separated by a comma (`group,status`).
    #[serde(default)]
    pub by: Option<String>,
    /// The second dimension.
    #[serde(default)]
    pub by2: Option<String>,
    /// The period's first day (ISO or `d.m.yyyy`).
    #[serde(default)]
    pub from: Option<String>,
    /// The period's last day.
    #[serde(default)]
    pub to: Option<String>,
    /// A company type's name.
    #[serde(default, rename = "type")]
    pub company_type: Option<String>,
    /// A customer group's name.
    #[serde(default)]
    pub group: Option<String>,
    /// An account manager's email or name.
    #[serde(default)]
    pub manager: Option<String>,
    /// An import batch's id.
    #[serde(default)]
    pub batch: Option<String>,
}

impl ReportParams {
    /// Companies or projects.
    ///
    /// # Errors
    ///
    /// [`AppError::BadRequest`] for another word.
    pub fn subject(&self) -> Result<ReportSubject, AppError> {
        match given(&self.subject).as_deref() {
            None | Some("projects") => Ok(ReportSubject::Projects),
            Some("companies") => Ok(ReportSubject::Companies),
            Some(other) => Err(AppError::bad_request(
                format!("Raportti on joko companies tai projects, ei {other:?}"),
                format!("En rapport är companies eller projects, inte {other:?}"),
                format!("A report is companies or projects, not {other:?}"),
            )),
        }
    }

    /// The importer's request (by default by customer group).
    ///
    /// # Errors
    ///
    /// As [`ReportParams::subject`]; [`AppError::BadRequest`] for a batch that is no number.
    pub fn request(&self) -> Result<ReportRequest, AppError> {
        let mut dimensions: Vec<String> = given(&self.by)
            .map(|by| {
                by.split(',')
                    .map(str::trim)
                    .filter(|word| !word.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        dimensions.extend(given(&self.by2));
        if dimensions.is_empty() {
            dimensions.push("group".to_owned());
        }
        let batch = match given(&self.batch) {
            Some(text) => Some(text.parse::<i64>().map_err(|_| {
                AppError::bad_request(
                    format!("Tuontierä on numero, ei {text:?}"),
                    format!("En importbatch är ett nummer, inte {text:?}"),
                    format!("An import batch is a number, not {text:?}"),
                )
            })?),
            None => None,
        };
        Ok(ReportRequest {
            subject: self.subject()?,
            dimensions,
            from: given(&self.from),
            to: given(&self.to),
            company_type: given(&self.company_type),
            customer_group: given(&self.group),
            account_manager: given(&self.manager),
            batch,
        })
    }

    /// The parameters as a query string, without blank ones (for download links).
    pub fn to_query_string(&self) -> String {
        [
            ("subject", &self.subject),
            ("by", &self.by),
            ("by2", &self.by2),
            ("from", &self.from),
            ("to", &self.to),
            ("type", &self.company_type),
            ("group", &self.group),
            ("manager", &self.manager),
            ("batch", &self.batch),
        ]
        .iter()
        .filter_map(|(key, value)| {
            given(value).map(|value| format!("{key}={}", crate::views::url_encode(&value)))
        })
        .collect::<Vec<_>>()
        .join("&")
    }
}

/// The report `params` ask for, with names in `lang`.
///
/// # Errors
///
/// [`AppError::BadRequest`] for a bad subject or batch number; [`AppError::Importer`] with
/// the importer's refusal (a bad dimension, date or period, an unknown or undone batch, an
/// unknown type, group or manager) or a database failure.
pub async fn report(
    state: &AppState,
    params: &ReportParams,
    lang: Lang,
) -> Result<Report, AppError> {
    let request = params.request()?;
    state
        .db
        .run(move |store| Ok(reports::report(store, &request, lang)?))
        .await
}

/// The report as a file's bytes.
///
/// # Errors
///
/// As [`report`]; [`AppError::Importer`] when the workbook cannot be written.
pub async fn report_file(
    state: &AppState,
    params: &ReportParams,
    lang: Lang,
    format: ExportFormat,
) -> Result<Vec<u8>, AppError> {
    let report = report(state, params, lang).await?;
    Ok(report.to_bytes(format)?)
}

/// The choices of the report form.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// Every user (account and project managers).
    pub users: Vec<User>,
    /// The customer groups.
    pub groups: Vec<CustomerGroup>,
    /// The company types, archived ones too (companies may still have them).
    pub types: Vec<CompanyType>,
}

/// The choices of the report form.
///
/// # Errors
///
/// [`AppError::Importer`] when the database fails.
pub async fn report_options(state: &AppState) -> Result<ReportOptions, AppError> {
    state
        .db
        .run(|store| {
            Ok(ReportOptions {
                users: store.users()?,
                groups: store.customer_groups()?,
                types: store.company_types(true)?,
            })
        })
        .await
}
