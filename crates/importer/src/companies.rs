//! Listing stored companies with the names of their type, group and account manager.

use crate::Result;
use crate::paging::{Listing, Page};
use crate::setup::{find_company_type, find_customer_group, find_user};
use serde::Serialize;
use std::collections::HashMap;
use tuonti_domain::{Company, CompanyFields, Lang};
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

/// The companies that match `query`, ordered by name, with names in `lang`: all of them.
///
/// # Errors
///
/// [`tuonti_domain::DomainError::NotFound`] when a named type, group or manager does not
/// exist; [`crate::Error::Persistence`] when the database fails.
pub fn list(store: &mut Store, query: &CompanyQuery, lang: Lang) -> Result<Vec<CompanyView>> {
    Ok(list_page(store, query, None, lang)?.rows)
}

/// The companies that match `query` as [`list`] orders and names them, only those of `page`
/// when one is given, with how many match in all.
///
/// # Errors
///
/// As [`list`].
pub fn list_page(
    store: &mut Store,
    query: &CompanyQuery,
    page: Option<Page>,
    lang: Lang,
) -> Result<Listing<CompanyView>> {
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
    let companies = store.companies_in(&filter, page.map(Page::to_store))?;
    let total = match page {
        Some(_) => store.count_companies_matching(&filter)?,
        None => companies.len() as u64,
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
    let listing = Listing {
        rows: companies,
        total,
        page,
    };
    Ok(listing.map(|company| CompanyView {
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
    }))
}

/// The stored company a user names as contacts and projects name theirs: by its customer
/// number, else its business ID (in any form the validator reads, `0112038-9` or
/// `01120389`), else its exact name (compared by [`name_key`](tuonti_domain::name_key)).
///
/// # Errors
///
/// [`tuonti_domain::DomainError::NotFound`] when no company answers to `key`;
/// [`crate::Error::AmbiguousCompany`], listing them, when several companies have the name
/// (or, should the database hold such, the customer number); [`crate::Error::Persistence`].
pub fn find_company(store: &mut Store, key: &str) -> Result<Company> {
    use tuonti_domain::{CellValue, DomainError, Entity, Location, name_key};

    let key = key.trim();
    let by_number = store.companies_by_customer_numbers(&[key])?;
    if !by_number.is_empty() {
        return only_company(key, by_number);
    }
    let business_id =
        tuonti_validation::business_id(&CellValue::Text(key.to_owned()), &Location::default())
            .value
            .unwrap_or_else(|| key.to_owned());
    let by_business_id = store.companies_by_business_ids(&[business_id.as_str()])?;
    if !by_business_id.is_empty() {
        return only_company(key, by_business_id);
    }
    let by_name = store.companies_by_name_keys(&[name_key(key).as_str()])?;
    if by_name.is_empty() {
        return Err(crate::Error::Domain(DomainError::NotFound {
            entity: Entity::Company,
            key: key.to_owned(),
        }));
    }
    only_company(key, by_name)
}

/// The one company of `found` (not empty), or the error that lists them.
fn only_company(key: &str, mut found: Vec<Company>) -> Result<Company> {
    if found.len() == 1 {
        return Ok(found.remove(0));
    }
    found.sort_by(|a, b| {
        (&a.fields.name, &a.fields.business_id, a.id).cmp(&(
            &b.fields.name,
            &b.fields.business_id,
            b.id,
        ))
    });
    Err(crate::Error::AmbiguousCompany {
        key: key.to_owned(),
        candidates: found.iter().map(company_label).collect(),
    })
}

/// A company as a message names it: "Esimerkki Oy (0112038-9, #001)".
fn company_label(company: &Company) -> String {
    let keys: Vec<String> = company
        .fields
        .business_id
        .iter()
        .cloned()
        .chain(
            company
                .fields
                .customer_number
                .iter()
                .map(|n| format!("#{n}")),
        )
        .collect();
    if keys.is_empty() {
        format!("{} (id {})", company.fields.name, company.id)
    } else {
        format!("{} ({})", company.fields.name, keys.join(", "))
    }
}

/// A company as a contact or project names it: its name and keys.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CompanyName {
    /// The stored id.
    pub id: i64,
    /// The company's name.
    pub name: String,
    /// Its business ID.
    pub business_id: Option<String>,
    /// Its customer number.
    pub customer_number: Option<String>,
}

impl From<&Company> for CompanyName {
    fn from(company: &Company) -> Self {
        CompanyName {
            id: company.id.get(),
            name: company.fields.name.clone(),
            business_id: company.fields.business_id.clone(),
            customer_number: company.fields.customer_number.clone(),
        }
    }
}

impl CompanyName {
    /// The value of a contact's or project's company reference column: the company's name,
    /// customer number or business ID (`None` for other fields).
    pub fn reference(&self, field: tuonti_domain::FieldKey) -> Option<String> {
        use tuonti_domain::FieldKey;
        match field {
            FieldKey::Name => Some(self.name.clone()),
            FieldKey::CustomerNumber => self.customer_number.clone(),
            FieldKey::BusinessId => self.business_id.clone(),
            _ => None,
        }
    }
}

/// The stored companies of `ids` (repeats allowed) by id.
pub(crate) fn companies_by_id(
    store: &mut Store,
    ids: impl IntoIterator<Item = tuonti_domain::CompanyId>,
) -> Result<HashMap<tuonti_domain::CompanyId, Company>> {
    let mut ids: Vec<_> = ids.into_iter().collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(store
        .companies_by_ids(&ids)?
        .into_iter()
        .map(|company| (company.id, company))
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
    let format = crate::util::export_format(path)?;
    let (bytes, n_companies) = export_bytes(store, query, lang, format)?;
    crate::util::write_export(path, &bytes)?;
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
    use tuonti_domain::{FieldKey, FieldKind, RecordKind};
    use tuonti_excel_template::ExportTable;

    let companies = list(store, query, lang)?;
    // The company sheet's columns, in the template's order.
    let fields = RecordKind::Company.fields();
    let table = ExportTable {
        sheet: RecordKind::Company.sheet_name(lang).into(),
        headers: fields
            .iter()
            .map(|key| key.spec().header(lang).to_owned())
            .collect(),
        text_columns: fields
            .iter()
            .map(|key| key.spec().kind == FieldKind::Identifier)
            .collect(),
        rows: companies
            .iter()
            .map(|company| {
                fields
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
