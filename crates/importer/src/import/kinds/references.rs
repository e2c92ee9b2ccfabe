//! How contact and project rows find their company (and a project its contact person): in
//! the same import, else stored, by customer number, business ID or exact name, in that order.

use super::{CompanyHandle, ContactHandle, Context, NameEntry, Place, RowTargets};
use crate::Result;
use crate::import::plan::{PlannedRow, RowAction};
use std::collections::HashMap;
use tuonti_domain::{
    Company, CompanyId, Contact, FieldKey, Issue, IssueCode, LocalizedText, email_key, name_key,
};

const COMPANY_UNKNOWN: IssueCode = IssueCode::new("company.unknown");
const COMPANY_AMBIGUOUS: IssueCode = IssueCode::new("company.ambiguous");
const COMPANY_REJECTED: IssueCode = IssueCode::new("company.rejected");
const CONTACT_UNKNOWN: IssueCode = IssueCode::new("contact_person.unknown");
const CONTACT_AMBIGUOUS: IssueCode = IssueCode::new("contact_person.ambiguous");
const CONTACT_REJECTED: IssueCode = IssueCode::new("contact_person.rejected");

/// How many candidates an ambiguous reference lists.
const CANDIDATES: usize = 5;

/// The key a row names its company by: the first of its customer number, business ID and
/// name (as a name key) it has.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum CompanyKey {
    Number(String),
    BusinessId(String),
    Name(String),
}

impl CompanyKey {
    fn of(row: &PlannedRow) -> Option<(CompanyKey, String, FieldKey)> {
        let company = &row.overrides.company;
        if let Some(number) = &company.customer_number {
            Some((
                CompanyKey::Number(number.clone()),
                format!("#{number}"),
                FieldKey::CustomerNumber,
            ))
        } else if let Some(id) = &company.business_id {
            Some((
                CompanyKey::BusinessId(id.clone()),
                id.clone(),
                FieldKey::BusinessId,
            ))
        } else {
            company.name.as_ref().map(|name| {
                (
                    CompanyKey::Name(name_key(name)),
                    format!("{name:?}"),
                    FieldKey::Name,
                )
            })
        }
    }
}

fn describe_company(company: &Company) -> String {
    let mut text = company.fields.name.clone();
    if let Some(id) = &company.fields.business_id {
        text.push_str(&format!(", {id}"));
    }
    if let Some(number) = &company.fields.customer_number {
        text.push_str(&format!(", #{number}"));
    }
    text
}

fn reject(row: &mut PlannedRow, issue: Issue) {
    row.issues.push(issue);
    row.action = RowAction::Reject;
}

fn set_company(row: &mut PlannedRow, handle: CompanyHandle) {
    match &mut row.targets {
        RowTargets::Contact { company } | RowTargets::Project { company, .. } => {
            *company = Some(handle);
        }
        RowTargets::Company { .. } => {}
    }
}

/// Resolves the company of every live row of a chunk, rejecting rows whose company is unknown,
/// ambiguous, or a company row of this import that was rejected.
pub(crate) fn resolve_companies(
    cx: &mut Context<'_>,
    rows: &mut [PlannedRow],
    place: &Place<'_>,
) -> Result<()> {
    // While writing, the companies of this import are stored already: look them up there.
    let written = cx.batch.is_some() && cx.writing;
    let mut lookups: Vec<(usize, CompanyKey, String, FieldKey, Option<u32>)> = Vec::new();
    for (index, row) in rows.iter_mut().enumerate() {
        if row.action == RowAction::Reject {
            continue;
        }
        let Some((key, shown, field)) = CompanyKey::of(row) else {
            continue;
        };
        let location = place.field_cell(row.row, field);
        let in_import = match &key {
            CompanyKey::Number(number) => cx.index.by_customer_number.get(number).copied(),
            CompanyKey::BusinessId(id) => cx.index.company_by_business_id(id),
            CompanyKey::Name(name) => match cx.index.company_by_name_key(name) {
                Some(NameEntry::One(found)) => Some(*found),
                Some(NameEntry::Many(all)) => {
                    let places: Vec<String> = all
                        .iter()
                        .take(CANDIDATES)
                        .filter_map(|found| cx.index.companies.get(*found as usize))
                        .map(|company| cx.places.describe(&company.seen, place))
                        .collect();
                    let places = places.join(", ");
                    reject(
                        row,
                        Issue::error(
                            COMPANY_AMBIGUOUS,
                            LocalizedText::new(
                                format!("Yritys {shown} on tuonnissa usealla rivillä ({places}); nimeä yritys asiakasnumerolla tai Y-tunnuksella."),
                                format!("Företaget {shown} finns på flera rader i importen ({places}); ange företaget med kundnummer eller FO-nummer."),
                                format!("Company {shown} is on several rows of the import ({places}); name the company by its customer number or business ID."),
                            ),
                        )
                        .at(location),
                    );
                    continue;
                }
                None => None,
            },
        };
        if let Some(found) = in_import
            && let Some(company) = cx.index.companies.get(found as usize).copied()
        {
            if company.rejected {
                let there = cx.places.describe(&company.seen, place);
                reject(
                    row,
                    Issue::error(
                        COMPANY_REJECTED,
                        LocalizedText::new(
                            format!("Yrityksen {shown} rivi {there} hylättiin, joten tämäkin rivi hylätään; korjaa ensin yrityksen rivi."),
                            format!("Raden för företaget {shown} ({there}) avvisades, så även den här raden avvisas; rätta först företagets rad."),
                            format!("The row of company {shown} ({there}) was rejected, so this row is rejected too; fix the company's row first."),
                        ),
                    )
                    .at(location),
                );
                continue;
            }
            // Matched to a stored company, or written already: its id is known.
            if let Some(id) = company.stored {
                set_company(row, CompanyHandle::Stored(id));
                continue;
            }
            if !written {
                set_company(row, CompanyHandle::Planned(found));
                continue;
            }
        }
        lookups.push((index, key, shown, field, in_import));
    }
    if lookups.is_empty() {
        return Ok(());
    }
    let numbers: Vec<&str> = lookups
        .iter()
        .filter_map(|(_, key, ..)| match key {
            CompanyKey::Number(number) => Some(number.as_str()),
            _ => None,
        })
        .collect();
    let ids: Vec<&str> = lookups
        .iter()
        .filter_map(|(_, key, ..)| match key {
            CompanyKey::BusinessId(id) => Some(id.as_str()),
            _ => None,
        })
        .collect();
    let names: Vec<&str> = lookups
        .iter()
        .filter_map(|(_, key, ..)| match key {
            CompanyKey::Name(name) => Some(name.as_str()),
            _ => None,
        })
        .collect();
    let mut found: HashMap<CompanyKey, Vec<Company>> = HashMap::new();
    if !numbers.is_empty() {
        for company in cx.store.companies_by_customer_numbers(&numbers)? {
            if let Some(number) = company.fields.customer_number.clone() {
                found
                    .entry(CompanyKey::Number(number))
                    .or_default()
                    .push(company);
            }
        }
    }
    if !ids.is_empty() {
        for company in cx.store.companies_by_business_ids(&ids)? {
            if let Some(id) = company.fields.business_id.clone() {
                found
                    .entry(CompanyKey::BusinessId(id))
                    .or_default()
                    .push(company);
            }
        }
    }
    if !names.is_empty() {
        for company in cx.store.companies_by_name_keys(&names)? {
            let key = CompanyKey::Name(name_key(&company.fields.name));
            found.entry(key).or_default().push(company);
        }
    }
    for (index, key, shown, field, in_import) in lookups {
        let row = &mut rows[index];
        let location = place.field_cell(row.row, field);
        match found.get(&key).map(Vec::as_slice) {
            Some([company]) => set_company(row, CompanyHandle::Stored(company.id)),
            Some(candidates) if !candidates.is_empty() => {
                let listed: Vec<String> = candidates
                    .iter()
                    .take(CANDIDATES)
                    .map(describe_company)
                    .collect();
                let listed = listed.join("; ");
                reject(
                    row,
                    Issue::error(
                        COMPANY_AMBIGUOUS,
                        LocalizedText::new(
                            format!("Nimellä {shown} on tallennettu {} yritystä ({listed}); nimeä yritys asiakasnumerolla tai Y-tunnuksella.", candidates.len()),
                            format!("{} sparade företag heter {shown} ({listed}); ange företaget med kundnummer eller FO-nummer.", candidates.len()),
                            format!("{} stored companies are named {shown} ({listed}); name the company by its customer number or business ID.", candidates.len()),
                        ),
                    )
                    .at(location),
                );
            }
            _ => match in_import {
                // Not written (all or nothing stopped writing): it would be created.
                Some(found) => set_company(row, CompanyHandle::Planned(found)),
                None => reject(
                    row,
                    Issue::error(
                        COMPANY_UNKNOWN,
                        LocalizedText::new(
                            format!("Yritystä {shown} ei löydy: sitä ei ole tallennettu eikä tämän tuonnin yrityksissä."),
                            format!("Företaget {shown} finns inte: det är varken sparat eller bland företagen i den här importen."),
                            format!("No company {shown}: it is neither stored nor among the companies of this import."),
                        ),
                    )
                    .at(location),
                ),
            },
        }
    }
    Ok(())
}

/// A contact's keys within its company: its email key when it has an email, and its name key.
pub(crate) fn contact_keys(email: Option<&str>, full_name: &str) -> (Option<String>, String) {
    (
        email.map(|email| format!("@{}", email_key(email))),
        name_key(full_name),
    )
}

/// The key a project names its contact person by: an email (has an `@`) or a name.
fn person_key(text: &str) -> String {
    if text.contains('@') {
        format!("@{}", email_key(text))
    } else {
        name_key(text)
    }
}

/// The stored contacts of the chunk's companies, by (company, key): each contact under its
/// email key and its name key.
pub(crate) fn stored_contacts(
    cx: &mut Context<'_>,
    companies: &[CompanyId],
) -> Result<HashMap<(CompanyId, String), Vec<Contact>>> {
    let mut by_key: HashMap<(CompanyId, String), Vec<Contact>> = HashMap::new();
    if companies.is_empty() {
        return Ok(by_key);
    }
    for contact in cx.store.contacts_by_companies(companies)? {
        let (email, name) =
            contact_keys(contact.fields.email.as_deref(), &contact.fields.full_name());
        if let Some(email) = email {
            by_key
                .entry((contact.company_id, email))
                .or_default()
                .push(contact.clone());
        }
        by_key
            .entry((contact.company_id, name))
            .or_default()
            .push(contact);
    }
    Ok(by_key)
}

/// Resolves the contact person a project row names among its company's contacts (of this
/// import, else stored), rejecting the row when there is none, several, or a rejected row.
pub(crate) fn resolve_contacts(
    cx: &mut Context<'_>,
    rows: &mut [PlannedRow],
    place: &Place<'_>,
) -> Result<()> {
    let written = cx.batch.is_some() && cx.writing;
    // First the contacts of this import (their ids once written), then, for the rows left,
    // the stored contacts of their companies in one lookup.
    let mut left: Vec<usize> = Vec::new();
    for (index, row) in rows.iter_mut().enumerate() {
        if row.action == RowAction::Reject {
            continue;
        }
        let (Some(person), Some(company)) =
            (row.overrides.contact_person.clone(), row.targets.company())
        else {
            continue;
        };
        let key = person_key(&person);
        let location = place.field_cell(row.row, FieldKey::ContactPerson);
        match cx.index.contact(company, &key) {
            Some(NameEntry::One(found)) => {
                let Some(contact) = cx.index.contacts.get(*found as usize).copied() else {
                    left.push(index);
                    continue;
                };
                if contact.rejected {
                    let there = cx.places.describe(&contact.seen, place);
                    reject(
                        row,
                        Issue::error(
                            CONTACT_REJECTED,
                            LocalizedText::new(
                                format!("Yhteyshenkilön {person:?} rivi {there} hylättiin, joten tämäkin rivi hylätään."),
                                format!("Raden för kontaktpersonen {person:?} ({there}) avvisades, så även den här raden avvisas."),
                                format!("The row of contact {person:?} ({there}) was rejected, so this row is rejected too."),
                            ),
                        )
                        .at(location),
                    );
                } else if let Some(id) = contact.stored {
                    set_contact(row, ContactHandle::Stored(id));
                } else if !written {
                    set_contact(row, ContactHandle::Planned(*found));
                } else {
                    left.push(index);
                }
            }
            Some(NameEntry::Many(_)) => reject(
                row,
                Issue::error(
                    CONTACT_AMBIGUOUS,
                    LocalizedText::new(
                        format!("Yrityksellä on tuonnissa useita yhteyshenkilöitä {person:?}; nimeä yhteyshenkilö sähköpostilla."),
                        format!("Företaget har flera kontaktpersoner {person:?} i importen; ange kontaktpersonen med e-post."),
                        format!("The company has several contacts {person:?} in the import; name the contact by email."),
                    ),
                )
                .at(location),
            ),
            None => left.push(index),
        }
    }
    if left.is_empty() {
        return Ok(());
    }
    let companies: Vec<CompanyId> = left
        .iter()
        .filter_map(|index| match rows[*index].targets.company() {
            Some(CompanyHandle::Stored(id)) => Some(id),
            _ => None,
        })
        .collect();
    let stored = stored_contacts(cx, &companies)?;
    for index in left {
        let row = &mut rows[index];
        let (Some(person), Some(company)) =
            (row.overrides.contact_person.clone(), row.targets.company())
        else {
            continue;
        };
        let location = place.field_cell(row.row, FieldKey::ContactPerson);
        let candidates = match company {
            CompanyHandle::Stored(company_id) => stored
                .get(&(company_id, person_key(&person)))
                .map(Vec::as_slice)
                .unwrap_or_default(),
            CompanyHandle::Planned(_) => &[],
        };
        match candidates {
            [contact] => set_contact(row, ContactHandle::Stored(contact.id)),
            [] => reject(
                row,
                Issue::error(
                    CONTACT_UNKNOWN,
                    LocalizedText::new(
                        format!("Yrityksellä ei ole yhteyshenkilöä {person:?} (tallennettuna eikä tässä tuonnissa)."),
                        format!("Företaget har ingen kontaktperson {person:?} (varken sparad eller i den här importen)."),
                        format!("The company has no contact {person:?} (stored or in this import)."),
                    ),
                )
                .at(location),
            ),
            several => reject(
                row,
                Issue::error(
                    CONTACT_AMBIGUOUS,
                    LocalizedText::new(
                        format!("Yrityksellä on {} yhteyshenkilöä {person:?}; nimeä yhteyshenkilö sähköpostilla.", several.len()),
                        format!("Företaget har {} kontaktpersoner {person:?}; ange kontaktpersonen med e-post.", several.len()),
                        format!("The company has {} contacts {person:?}; name the contact by email.", several.len()),
                    ),
                )
                .at(location),
            ),
        }
    }
    Ok(())
}

fn set_contact(row: &mut PlannedRow, handle: ContactHandle) {
    if let RowTargets::Project { contact, .. } = &mut row.targets {
        *contact = Some(handle);
    }
}
