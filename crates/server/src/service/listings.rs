//! The stored contacts and projects with their filters and export.

use crate::error::AppError;
use crate::state::AppState;
use serde::{Deserialize, Serialize};
use tuonti_domain::{Branch, Lang, User};
use tuonti_excel_template::ExportFormat;
use tuonti_importer::contacts::{self, ContactQuery, ContactView};
use tuonti_importer::paging::{Listing, Page};
use tuonti_importer::projects::{self, ProjectQuery, ProjectView};

/// The page of a listing as the query string gives it: `limit` (1 to 1,000, default 100) and
/// `offset` (default 0) as text, read by the importer so that a bad value gets its message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct PageParams {
    /// The most rows to list.
    #[serde(default)]
    pub limit: Option<String>,
    /// How many rows to skip.
    #[serde(default)]
    pub offset: Option<String>,
}

impl PageParams {
    /// The page asked for.
    ///
    /// # Errors
    ///
    /// [`AppError::Importer`] with [`tuonti_importer::Error::Page`] for a limit or offset out
    /// of range or not a number (`400 bad_request`).
    pub fn page(&self) -> Result<Page, AppError> {
        Page::parse(self.limit.as_deref(), self.offset.as_deref())
            .map_err(|error| AppError::Importer(error.into()))
    }
}

/// A filter value as given: `None` for a missing or blank one.
fn given(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|value| !value.is_empty())
        .map(str::to_owned)
}

/// `key=value&...` of the given values, encoded, without empty ones.
fn query_string(pairs: &[(&str, Option<String>)]) -> String {
    pairs
        .iter()
        .filter_map(|(key, value)| {
            value
                .as_ref()
                .map(|value| format!("{key}={}", crate::views::url_encode(value)))
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The filters of the contacts listing, by name as the importer takes them; `None` or an
/// empty value does not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ContactFilters {
    /// The company: its customer number, business ID or exact name.
    #[serde(default)]
    pub company: Option<String>,
    /// The account manager of the contacts' companies: an email or a name.
    #[serde(default)]
    pub manager: Option<String>,
}

impl ContactFilters {
    /// The importer's query: empty values dropped.
    pub fn query(&self) -> ContactQuery {
        ContactQuery {
            company: given(&self.company),
            account_manager: given(&self.manager),
        }
    }

    /// The filters as a query string (`company=..&manager=..`), without empty ones.
    pub fn to_query_string(&self) -> String {
        let query = self.query();
        query_string(&[
            ("company", query.company),
            ("manager", query.account_manager),
        ])
    }
}

/// The filters of the projects listing, by name as the importer takes them; `None` or an
/// empty value does not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct ProjectFilters {
    /// The company: its customer number, business ID or exact name.
    #[serde(default)]
    pub company: Option<String>,
    /// The project manager: an email or a name.
    #[serde(default)]
    pub manager: Option<String>,
    /// The status: a stored name or a Finnish, Swedish or English word.
    #[serde(default)]
    pub status: Option<String>,
    /// The branch of business's name.
    #[serde(default)]
    pub branch: Option<String>,
}

impl ProjectFilters {
    /// The importer's query: empty values dropped.
    pub fn query(&self) -> ProjectQuery {
        ProjectQuery {
            company: given(&self.company),
            project_manager: given(&self.manager),
            status: given(&self.status),
            branch: given(&self.branch),
        }
    }

    /// The filters as a query string (`company=..&manager=..&status=..&branch=..`), without
    /// empty ones.
    pub fn to_query_string(&self) -> String {
        let query = self.query();
        query_string(&[
            ("company", query.company),
            ("manager", query.project_manager),
            ("status", query.status),
            ("branch", query.branch),
        ])
    }
}

/// One page of the contacts that match the filters, ordered by company, then name, with how
/// many match in all.
///
/// # Errors
///
/// [`AppError::Importer`] with `NotFound` when a named company or manager does not exist, a
/// refusal when a company name is ambiguous.
pub async fn contacts(
    state: &AppState,
    filters: &ContactFilters,
    page: Page,
    lang: Lang,
) -> Result<Listing<ContactView>, AppError> {
    let query = filters.query();
    state
        .db
        .run(move |store| Ok(contacts::list_page(store, &query, Some(page), lang)?))
        .await
}

/// The contacts that match the filters as an xlsx workbook in the template's columns, with
/// how many it holds.
///
/// # Errors
///
/// As [`contacts()`]; [`AppError::Importer`] when the workbook cannot be written.
pub async fn export_contacts(
    state: &AppState,
    filters: &ContactFilters,
    lang: Lang,
) -> Result<(Vec<u8>, u64), AppError> {
    let query = filters.query();
    state
        .db
        .run(move |store| {
            Ok(contacts::export_bytes(
                store,
                &query,
                lang,
                ExportFormat::Xlsx,
            )?)
        })
        .await
}

/// One page of the projects that match the filters, ordered by project number, statuses in
/// `lang`, with how many match in all.
///
/// # Errors
///
/// [`AppError::Importer`] with `NotFound` when a named company, manager or branch does not
/// exist, a refusal for an unknown status or an ambiguous company name.
pub async fn projects(
    state: &AppState,
    filters: &ProjectFilters,
    page: Page,
    lang: Lang,
) -> Result<Listing<ProjectView>, AppError> {
    let query = filters.query();
    state
        .db
        .run(move |store| Ok(projects::list_page(store, &query, Some(page), lang)?))
        .await
}

/// The projects that match the filters as an xlsx workbook in the template's columns, with
/// how many it holds.
///
/// # Errors
///
/// As [`projects()`]; [`AppError::Importer`] when the workbook cannot be written.
pub async fn export_projects(
    state: &AppState,
    filters: &ProjectFilters,
    lang: Lang,
) -> Result<(Vec<u8>, u64), AppError> {
    let query = filters.query();
    state
        .db
        .run(move |store| {
            Ok(projects::export_bytes(
                store,
                &query,
                lang,
                ExportFormat::Xlsx,
            )?)
        })
        .await
}

/// The choices of the contacts and projects filters.
#[derive(Debug, Clone, Serialize)]
pub struct ListingOptions {
    /// Every user (a deactivated one may still manage companies and projects).
    pub users: Vec<User>,
    /// The branches of business.
    pub branches: Vec<Branch>,
}

/// The choices of the contacts and projects filters.
///
/// # Errors
///
/// [`AppError::Importer`] when the database fails.
pub async fn listing_options(state: &AppState) -> Result<ListingOptions, AppError> {
    state
        .db
        .run(|store| {
            Ok(ListingOptions {
                users: store.users()?,
                branches: store.branches()?,
            })
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_filters_are_left_out_of_queries_and_links() {
        let filters = ProjectFilters {
            company: Some(" Esimerkki Oy ".into()),
            manager: Some(" ".into()),
            status: Some("käynnissä".into()),
            branch: None,
        };
        assert_eq!(
            filters.query(),
            ProjectQuery {
                company: Some("Esimerkki Oy".into()),
                project_manager: None,
                status: Some("käynnissä".into()),
                branch: None,
            }
        );
        assert_eq!(
            filters.to_query_string(),
            "company=Esimerkki%20Oy&status=k%C3%A4ynniss%C3%A4"
        );
        assert_eq!(ContactFilters::default().to_query_string(), "");
    }
}
