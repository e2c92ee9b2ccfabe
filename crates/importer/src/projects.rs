//! Listing and exporting stored projects with their company, project manager, branch and
//! contact person named.

use crate::Result;
use crate::companies::{CompanyName, companies_by_id, find_company};
use crate::paging::{Listing, Page};
use crate::setup::{find_branch, find_user};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;
use tuonti_domain::{ContactId, FieldKey, Lang, ProjectStatus, RecordKind};
use tuonti_excel_template::{ExportFormat, ExportTable};
use tuonti_persistence::{ProjectFilter, Store};

/// Which projects to list, by names as a user types them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectQuery {
    /// The company: its customer number, business ID or exact name.
    pub company: Option<String>,
    /// The project manager: an email or a name.
    pub project_manager: Option<String>,
    /// The status: a stored name or a Finnish, Swedish or English word
    /// ([`ProjectStatus::from_str`](std::str::FromStr)).
    pub status: Option<String>,
    /// The branch of business's name.
    pub branch: Option<String>,
}

/// A stored project with its references named. The value is an exact decimal string of
/// euros (`"12500.00"`), never a floating-point number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectView {
    /// The stored id.
    pub id: i64,
    /// The project number.
    pub project_number: String,
    /// The project's name.
    pub name: String,
    /// Where the project stands.
    pub status: ProjectStatus,
    /// The status as a word in the listing language ("Käynnissä", "Active").
    pub status_label: String,
    /// First day.
    pub start_date: Option<NaiveDate>,
    /// Last day.
    pub end_date: Option<NaiveDate>,
    /// The value in euros with two decimals and a decimal point (`"1234.50"`).
    pub value: Option<String>,
    /// The description.
    pub description: Option<String>,
    /// The customer company.
    pub company: CompanyName,
    /// The project manager's email.
    pub project_manager: Option<String>,
    /// The branch of business's name.
    pub branch: Option<String>,
    /// The contact person's full name.
    pub contact_person: Option<String>,
    /// The contact person's email.
    pub contact_email: Option<String>,
    /// The import batch that created the project.
    pub created_by_batch: Option<i64>,
    /// The import batch that last changed it.
    pub updated_by_batch: Option<i64>,
}

impl ProjectView {
    /// How the export's contact person column names the contact so that an import finds it
    /// again: by email when the contact has one (names may repeat within a company), else by
    /// full name.
    fn contact_reference(&self) -> Option<String> {
        self.contact_email
            .clone()
            .or_else(|| self.contact_person.clone())
    }
}

/// A project status as a word in `lang` that the import reads back ("Käynnissä", "Pågående",
/// "Active").
pub fn status_label(status: ProjectStatus, lang: Lang) -> &'static str {
    match (status, lang) {
        (ProjectStatus::Offer, Lang::Fi) => "Tarjous",
        (ProjectStatus::Offer, Lang::Sv) => "Offert",
        (ProjectStatus::Active, Lang::Fi) => "Käynnissä",
        (ProjectStatus::Active, Lang::Sv) => "Pågående",
        (ProjectStatus::OnHold, Lang::Fi) => "Tauolla",
        (ProjectStatus::OnHold, Lang::Sv) => "Pausad",
        (ProjectStatus::Completed, Lang::Fi) => "Valmis",
        (ProjectStatus::Completed, Lang::Sv) => "Avslutad",
        (ProjectStatus::Cancelled, Lang::Fi) => "Peruttu",
        (ProjectStatus::Cancelled, Lang::Sv) => "Avbruten",
        (ProjectStatus::Offer, Lang::En) => "Offer",
        (ProjectStatus::Active, Lang::En) => "Active",
        (ProjectStatus::OnHold, Lang::En) => "On hold",
        (ProjectStatus::Completed, Lang::En) => "Completed",
        (ProjectStatus::Cancelled, Lang::En) => "Cancelled",
        // A status added later: its stored name, which the import reads too.
        (other, _) => other.as_str(),
    }
}

/// Every status, in the order a project goes through them, for choices in forms.
pub const STATUSES: [ProjectStatus; 5] = [
    ProjectStatus::Offer,
    ProjectStatus::Active,
    ProjectStatus::OnHold,
    ProjectStatus::Completed,
    ProjectStatus::Cancelled,
];

/// The projects that match `query`, ordered by project number, with statuses in `lang`: all of
/// them.
///
/// # Errors
///
/// [`tuonti_domain::DomainError::NotFound`] when the named company, manager or branch does not
/// exist; [`crate::Error::UnknownStatus`] for a word that is no status;
/// [`crate::Error::AmbiguousCompany`] when several companies have the name given;
/// [`crate::Error::Persistence`] when the database fails.
pub fn list(store: &mut Store, query: &ProjectQuery, lang: Lang) -> Result<Vec<ProjectView>> {
    Ok(list_page(store, query, None, lang)?.rows)
}

/// The projects that match `query` in the order of [`list`], only those of `page` when one is
/// given, with how many match in all.
///
/// # Errors
///
/// As [`list`].
pub fn list_page(
    store: &mut Store,
    query: &ProjectQuery,
    page: Option<Page>,
    lang: Lang,
) -> Result<Listing<ProjectView>> {
    let filter = ProjectFilter {
        status: match &query.status {
            Some(word) => Some(word.trim().parse::<ProjectStatus>().map_err(|_| {
                crate::Error::UnknownStatus {
                    value: word.trim().to_owned(),
                }
            })?),
            None => None,
        },
        company: match &query.company {
            Some(key) => Some(find_company(store, key)?.id),
            None => None,
        },
        project_manager: match &query.project_manager {
            Some(key) => Some(find_user(store, key)?.id),
            None => None,
        },
        branch: match &query.branch {
            Some(name) => Some(find_branch(store, name)?.id),
            None => None,
        },
        created_by_batch: None,
    };
    let projects = store.projects_in(&filter, page.map(Page::to_store))?;
    let total = match page {
        Some(_) => store.count_projects_matching(&filter)?,
        None => projects.len() as u64,
    };
    let companies = companies_by_id(store, projects.iter().map(|p| p.company_id))?;
    let mut contact_ids: Vec<ContactId> = projects.iter().filter_map(|p| p.contact_id).collect();
    contact_ids.sort_unstable();
    contact_ids.dedup();
    let contacts: HashMap<_, _> = store
        .contacts_by_ids(&contact_ids)?
        .into_iter()
        .map(|contact| (contact.id, contact))
        .collect();
    let emails: HashMap<_, _> = store
        .users()?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect();
    let branches: HashMap<_, _> = store
        .branches()?
        .into_iter()
        .map(|b| (b.id, b.name))
        .collect();
    let listing = Listing {
        rows: projects,
        total,
        page,
    };
    Ok(listing.map(|project| {
        let contact = project.contact_id.and_then(|id| contacts.get(&id));
        // Stored projects always have a status (an empty cell is stored as active).
        let status = project.fields.status.unwrap_or(ProjectStatus::Active);
        ProjectView {
            id: project.id.get(),
            status,
            status_label: status_label(status, lang).to_owned(),
            start_date: project.fields.start_date,
            end_date: project.fields.end_date,
            value: project
                .fields
                .value_cents
                .map(tuonti_validation::format_cents),
            company: companies
                .get(&project.company_id)
                .map(CompanyName::from)
                .unwrap_or_default(),
            project_manager: project
                .project_manager_id
                .and_then(|id| emails.get(&id).cloned()),
            branch: project.branch_id.and_then(|id| branches.get(&id).cloned()),
            contact_person: contact.map(|c| c.fields.full_name()),
            contact_email: contact.and_then(|c| c.fields.email.clone()),
            created_by_batch: project.created_by_batch.map(|b| b.get()),
            updated_by_batch: project.updated_by_batch.map(|b| b.get()),
            project_number: project.fields.project_number,
            name: project.fields.name,
            description: project.fields.description,
        }
    }))
}

/// Exports the projects that match `query` to `path` (`.xlsx` or `.csv`) in the template's
/// project columns with headers in `lang`, so the file imports again as it is: the company by
/// name, customer number and business ID, the project manager by email, the contact person
/// by email (else name), the status as a word in `lang`, dates as `d.m.yyyy` and the value as
/// `1234.50`. Returns how many projects were written.
///
/// # Errors
///
/// [`tuonti_domain::DomainError::Refused`] for another extension; as [`list`]; an I/O error
/// when the file cannot be written.
pub fn export(
    store: &mut Store,
    query: &ProjectQuery,
    lang: Lang,
    path: &std::path::Path,
) -> Result<u64> {
    let format = crate::util::export_format(path)?;
    let (bytes, n_projects) = export_bytes(store, query, lang, format)?;
    crate::util::write_export(path, &bytes)?;
    Ok(n_projects)
}

/// The projects that match `query` as an `.xlsx` or `.csv` file's bytes (see [`export`]),
/// with how many projects it holds.
///
/// # Errors
///
/// As [`list`]; [`crate::Error::Workbook`] when the file cannot be written.
pub fn export_bytes(
    store: &mut Store,
    query: &ProjectQuery,
    lang: Lang,
    format: ExportFormat,
) -> Result<(Vec<u8>, u64)> {
    let projects = list(store, query, lang)?;
    let kind = RecordKind::Project;
    let date = |date: Option<NaiveDate>| date.map(|date| date.format("%-d.%-m.%Y").to_string());
    let table = ExportTable {
        sheet: kind.sheet_name(lang).into(),
        headers: crate::util::export_headers(kind, lang),
        text_columns: crate::util::export_text_columns(kind),
        rows: projects
            .iter()
            .map(|project| {
                kind.fields()
                    .iter()
                    .map(|&field| match field {
                        FieldKey::ProjectNumber => {
                            Some(project.project_number.clone()).filter(|number| !number.is_empty())
                        }
                        FieldKey::ProjectName => Some(project.name.clone()),
                        FieldKey::Name | FieldKey::CustomerNumber | FieldKey::BusinessId => {
                            project.company.reference(field)
                        }
                        FieldKey::ProjectManager => project.project_manager.clone(),
                        FieldKey::Status => Some(project.status_label.clone()),
                        FieldKey::StartDate => date(project.start_date),
                        FieldKey::EndDate => date(project.end_date),
                        FieldKey::Value => project.value.clone(),
                        FieldKey::Branch => project.branch.clone(),
                        FieldKey::ContactPerson => project.contact_reference(),
                        FieldKey::Description => project.description.clone(),
                        _ => None,
                    })
                    .collect()
            })
            .collect(),
    };
    let bytes = tuonti_excel_template::export_bytes(&table, format)?;
    Ok((bytes, projects.len() as u64))
}
