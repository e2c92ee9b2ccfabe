//! Listing stored companies with the names of their type, group and account manager.

use crate::Result;
use crate::setup::{find_company_type, find_customer_group, find_user};
use serde::Serialize;
use std::collections::HashMap;
use tuonti_domain::{CompanyFields, Lang};
use tuonti_persistence::{CompanyFilter, Store};

/// Which companies to list, by names as a user types them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CompanyQuery {
    /// A company type's name in any language.
    pub company_type: Option<String>,
    /// A customer group's name.
    pub customer_group: Option<String>,
    /// An account manager's email or name.
    pub account_manager: Option<String>,
}

/// A stored company with its references named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompanyView {
    /// The stored id.
    pub id: i64,
    /// The data fields.
    #[serde(flatten)]
    pub fields: CompanyFields,
    /// The company type's name in the listing language.
    pub company_type: String,
    /// The customer group's name.
    pub customer_group: Option<String>,
    /// The account manager's email.
    pub account_manager: String,
    /// The import batch that created the company.
    pub created_by_batch: Option<i64>,
    /// The import batch that last changed it.
    pub updated_by_batch: Option<i64>,
}

/// The companies that match `query`, ordered by name, with names in `lang`.
///
/// # Errors
///
/// [`tuonti_domain::DomainError::NotFound`] when a named type, group or manager does not
/// exist; [`crate::Error::Persistence`] when the database fails.
pub fn list(store: &mut Store, query: &CompanyQuery, lang: Lang) -> Result<Vec<CompanyView>> {
    let filter = CompanyFilter {
        company_type: match &query.company_type {
            Some(name) => Some(find_company_type(store, name)?.id),
            None => None,
        },
        customer_group: match &query.customer_group {
            Some(name) => Some(find_customer_group(store, name)?.id),
            None => None,
        },
        account_manager: match &query.account_manager {
            Some(key) => Some(find_user(store, key)?.id),
            None => None,
        },
    };
    let types: HashMap<_, _> = store
        .company_types(true)?
        .into_iter()
        .map(|t| (t.id, t.names.get(lang).to_owned()))
        .collect();
    let groups: HashMap<_, _> = store
        .customer_groups()?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    let users: HashMap<_, _> = store
        .users()?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect();
    Ok(store
        .companies(&filter)?
        .into_iter()
        .map(|company| CompanyView {
            id: company.id.get(),
            company_type: types
                .get(&company.company_type_id)
                .cloned()
                .unwrap_or_default(),
            customer_group: company
                .customer_group_id
                .and_then(|id| groups.get(&id).cloned()),
            account_manager: users
                .get(&company.account_manager_id)
                .cloned()
                .unwrap_or_default(),
            created_by_batch: company.created_by_batch.map(|b| b.get()),
            updated_by_batch: company.updated_by_batch.map(|b| b.get()),
            fields: company.fields,
        })
        .collect())
}

/// Exports the companies that match `query` to `path` (`.xlsx` or `.csv`) with the template's
/// columns and headers in `lang`, so the file imports again as it is. Returns how many
/// companies were written.
///
/// # Errors
///
/// [`tuonti_domain::DomainError::Refused`] for another extension; as [`list`]; an I/O error
/// when the file cannot be written.
pub fn export(
    store: &mut Store,
    query: &CompanyQuery,
    lang: Lang,
    path: &std::path::Path,
) -> Result<u64> {
    use tuonti_domain::DomainError;
    use tuonti_excel_template::ExportFormat;

    let Some(format) = ExportFormat::from_path(path) else {
        return Err(crate::Error::Domain(DomainError::Refused(format!(
            "{}: the export file must end in .xlsx or .csv",
            path.display()
        ))));
    };
    let (bytes, n_companies) = export_bytes(store, query, lang, format)?;
    std::fs::write(path, bytes).map_err(|source| {
        crate::Error::Workbook(tuonti_excel_template::Error::Io {
            path: path.to_owned(),
            source,
        })
    })?;
    Ok(n_companies)
}

/// The companies that match `query` as an `.xlsx` or `.csv` file's bytes (see [`export`]),
/// with how many companies it holds.
///
/// # Errors
///
/// As [`list`]; [`crate::Error::Workbook`] when the file cannot be written.
pub fn export_bytes(
    store: &mut Store,
    query: &CompanyQuery,
    lang: Lang,
    format: tuonti_excel_template::ExportFormat,
) -> Result<(Vec<u8>, u64)> {
    use tuonti_domain::{FieldKey, FieldKind};
    use tuonti_excel_template::ExportTable;

    let companies = list(store, query, lang)?;
    let table = ExportTable {
        sheet: match lang {
            Lang::Fi => "Yritykset",
            Lang::Sv => "Företag",
            Lang::En => "Companies",
        }
        .into(),
        headers: FieldKey::ALL
            .iter()
            .map(|key| key.spec().header(lang).to_owned())
            .collect(),
        text_columns: FieldKey::ALL
            .iter()
            .map(|key| key.spec().kind == FieldKind::Identifier)
            .collect(),
        rows: companies
            .iter()
            .map(|company| {
                FieldKey::ALL
                    .iter()
                    .map(|key| match key {
                        FieldKey::Name => Some(company.fields.name.clone()),
                        FieldKey::CompanyType => Some(company.company_type.clone()),
                        FieldKey::CustomerGroup => company.customer_group.clone(),
                        FieldKey::AccountManager => Some(company.account_manager.clone()),
                        other => company.fields.optional_field(*other).cloned().flatten(),
                    })
                    .collect()
            })
            .collect(),
    };
    let bytes = tuonti_excel_template::export_bytes(&table, format)?;
    Ok((bytes, companies.len() as u64))
}
