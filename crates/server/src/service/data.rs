//! The import history with undo, and the stored companies with their filters and export.

use crate::error::AppError;
use crate::state::AppState;
use serde::Serialize;
use tuonti_domain::{CompanyType, CustomerGroup, ImportBatchId, Lang, User};
use tuonti_excel_template::ExportFormat;
use tuonti_importer::batches::{self, BatchDetail, BatchView};
use tuonti_importer::companies::{self, CompanyQuery, CompanyView};
use tuonti_importer::import::{self, UndoConflict, UndoOutcome};
use tuonti_importer::paging::{Listing, Page};

/// Conflicts named in an undo's refusal; the rest are counted.
const CONFLICTS_NAMED: usize = 20;

/// Every batch, newest first.
///
/// # Errors
///
/// [`AppError::Importer`] when the database fails.
pub async fn batches(state: &AppState) -> Result<Vec<BatchView>, AppError> {
    state.db.run(|store| Ok(batches::list(store)?)).await
}

/// One batch with its files and how many companies it created, updated and deleted.
///
/// # Errors
///
/// [`AppError::Importer`] with `NotFound` for an unknown id.
pub async fn batch(state: &AppState, batch_id: i64) -> Result<BatchDetail, AppError> {
    state
        .db
        .run(move |store| Ok(batches::show(store, ImportBatchId(batch_id))?))
        .await
}

/// Every company type, archived ones too (to name a batch's choices in the page's language).
///
/// # Errors
///
/// [`AppError::Importer`] on database failure.
pub async fn company_types(state: &AppState) -> Result<Vec<CompanyType>, AppError> {
    state.db.run(|store| Ok(store.company_types(true)?)).await
}

/// Undoes an import batch as `admin`.
///
/// Unlike `tuonti batches undo`, which undoes what it can and lists the rest, an undo from the
/// server is all or nothing unless forced: when any company was changed since the import
/// (or cannot be removed), nothing is undone and the refusal lists them, so the admin can look
/// and then force it. A forced undo reverts the changed companies too and still leaves alone
/// the ones it never removes (companies with projects, companies deleted since); those are
/// in the outcome's `conflicts`.
///
/// # Errors
///
/// [`AppError::Refused`] listing the conflicts; [`AppError::Importer`] for an unknown batch, an
/// undo batch or one undone already.
pub async fn undo(
    state: &AppState,
    admin: &User,
    batch_id: i64,
    force: bool,
) -> Result<UndoOutcome, AppError> {
    let email = admin.email.clone();
    state
        .db
        .run(move |store| {
            // The importer's undo runs in a savepoint of this transaction: a refusal here rolls
            // all of it back.
            store.transaction(|store| {
                let outcome = import::undo(store, ImportBatchId(batch_id), &email, force)?;
                if !force && !outcome.conflicts.is_empty() {
                    return Err(conflicts_refusal(batch_id, &outcome.conflicts));
                }
                Ok(outcome)
            })
        })
        .await
}

fn conflicts_refusal(batch_id: i64, conflicts: &[UndoConflict]) -> AppError {
    let list = |lang: Lang| {
        let mut lines: Vec<String> = conflicts
            .iter()
            .take(CONFLICTS_NAMED)
            .map(|conflict| {
                format!(
                    "{} #{} {}: {}",
                    conflict.kind.label(lang),
                    conflict.id,
                    conflict.name,
                    conflict.reason.get(lang)
                )
            })
            .collect();
        if conflicts.len() > CONFLICTS_NAMED {
            let more = conflicts.len() - CONFLICTS_NAMED;
            lines.push(match lang {
                Lang::Fi => format!("ja {more} muuta"),
                Lang::Sv => format!("och {more} till"),
                Lang::En => format!("and {more} more"),
            });
        }
        lines.join("; ")
    };
    let n = conflicts.len();
    AppError::Refused {
        fi: format!(
            "Tuontia {batch_id} ei peruttu: {n} yritystä on muutettu tuonnin jälkeen tai sitä ei \
             voi poistaa: {}. Valitse \"palauta myös tuonnin jälkeen muutetut yritykset\", jos \
             haluat perua tuonnin silti.",
            list(Lang::Fi)
        ),
        sv: format!(
            "Import {batch_id} ångrades inte: {n} företag har ändrats efter importen eller kan \
             inte tas bort: {}. Välj \"återställ även företag som ändrats efter importen\" om \
             du vill ångra importen ändå.",
            list(Lang::Sv)
        ),
        en: format!(
            "Import {batch_id} was not undone: {n} compan{} changed since the import or cannot \
             be removed: {}. Choose \"revert even companies changed since\" to undo it anyway.",
            if n == 1 { "y was" } else { "ies were" },
            list(Lang::En)
        ),
    }
}

/// The filters of the companies listing, by name as the importer takes them; `None` or an
/// empty value does not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct CompanyFilters {
    /// A company type's name in any language.
    #[serde(rename = "type", default)]
    pub company_type: Option<String>,
    /// A customer group's name.
    #[serde(default)]
    pub group: Option<String>,
    /// An account manager's email or name.
    #[serde(default)]
    pub manager: Option<String>,
}

impl CompanyFilters {
    /// The importer's query: empty values dropped.
    pub fn query(&self) -> CompanyQuery {
        let given = |value: &Option<String>| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|value| !value.is_empty())
                .map(str::to_owned)
        };
        CompanyQuery {
            company_type: given(&self.company_type),
            customer_group: given(&self.group),
            account_manager: given(&self.manager),
        }
    }

    /// The filters as a query string (`type=..&group=..&manager=..`), without empty ones.
    pub fn to_query_string(&self) -> String {
        let query = self.query();
        [
            ("type", query.company_type),
            ("group", query.customer_group),
            ("manager", query.account_manager),
        ]
        .into_iter()
        .filter_map(|(key, value)| {
            value.map(|value| format!("{key}={}", crate::views::url_encode(&value)))
        })
        .collect::<Vec<_>>()
        .join("&")
    }
}

/// One page of the companies that match the filters, ordered by name, with names in `lang`
/// and how many match in all.
///
/// # Errors
///
/// [`AppError::Importer`] with `NotFound` when a named type, group or manager does not exist.
pub async fn companies(
    state: &AppState,
    filters: &CompanyFilters,
    page: Page,
    lang: Lang,
) -> Result<Listing<CompanyView>, AppError> {
    let query = filters.query();
    state
        .db
        .run(move |store| Ok(companies::list_page(store, &query, Some(page), lang)?))
        .await
}

/// The companies that match the filters as an xlsx workbook in the template's columns, with
/// how many it holds.
///
/// # Errors
///
/// As [`companies()`]; [`AppError::Importer`] when the workbook cannot be written.
pub async fn export_xlsx(
    state: &AppState,
    filters: &CompanyFilters,
    lang: Lang,
) -> Result<(Vec<u8>, u64), AppError> {
    let query = filters.query();
    state
        .db
        .run(move |store| {
            Ok(companies::export_bytes(
                store,
                &query,
                lang,
                ExportFormat::Xlsx,
            )?)
        })
        .await
}

/// The choices of the companies filters.
#[derive(Debug, Clone, Serialize)]
pub struct FilterOptions {
    /// Company types, archived ones included (old companies may have them).
    pub company_types: Vec<CompanyType>,
    /// Customer groups.
    pub customer_groups: Vec<CustomerGroup>,
    /// Every user (a deactivated one may still manage companies).
    pub account_managers: Vec<User>,
}

/// The choices of the companies filters.
///
/// # Errors
///
/// [`AppError::Importer`] when the database fails.
pub async fn filter_options(state: &AppState) -> Result<FilterOptions, AppError> {
    state
        .db
        .run(|store| {
            Ok(FilterOptions {
                company_types: store.company_types(true)?,
                customer_groups: store.customer_groups()?,
                account_managers: store.users()?,
            })
        })
        .await
}
