//! Companies, contacts and projects a service creates in code, checked by the same rules, with
//! the same issue codes, as rows read from a spreadsheet.
//!
//! [`CompanyInput`], [`ContactInput`] and [`ProjectInput`] hold values as a service has them:
//! plain text (a phone number as typed, a date as `1.3.2024` or a [`NaiveDate`], an amount as
//! `12 500,00 €` or cents). Each derives [`validator::Validate`]: every field is checked by a
//! function that calls `tuonti-validation`'s rule for it, and a [`ValidationError`] carries the
//! rule's [issue code](tuonti_validation::codes) in `code`, the English message in `message`
//! and the Finnish and Swedish ones in `params["message_fi"]` and `params["message_sv"]`. Fields are named by their catalog keys
//! ([`FieldKey::as_str`]), the names a spreadsheet column maps to.
//!
//! Two checks read another field, so they are struct-level (`schema`) checks, which
//! `validator` files under `"__all__"`; their errors name their field in `params["field"]`: a
//! company's postal code is read by the company's country, and a project's end date must not
//! be before its start. [`InputErrors`] gathers every error by field, in the sheet's order. A
//! value with more errors than one (a name with a control character that is also too long)
//! gives one [`ValidationError`] for the first; the others are in its `params["more"]` and in
//! [`InputErrors`].
//!
//! Warnings never fail validation. The use cases [`create_company`], [`create_contact`] and
//! [`create_project`] validate (refusing with [`Error::InvalidRecord`] listing every error),
//! put the values in canonical form through the very validator spreadsheet rows go through
//! (E.164 phone numbers, `1234567-8` business IDs, cents, ...), resolve what the record refers
//! to, and store it in one transaction. They return the stored record with the warnings, so a
//! value a rule normalized (`FI 0112038-9`, `040 123 4567`) is stored in its canonical form.
//!
//! ```
//! use tuonti_domain::Role;
//! use tuonti_importer::records::{self, CompanyInput};
//! use tuonti_importer::{Error, setup};
//! use tuonti_persistence::Store;
//! use validator::Validate;
//!
//! let mut store = Store::open_in_memory()?;
//! setup::init(&mut store, None)?;
//! setup::add_user(&mut store, "Matti Meikäläinen", "matti@example.fi", Role::Admin)?;
//!
//! let mut input = CompanyInput::new("Esimerkki Oy", "Asiakas", "matti@example.fi");
//! input.business_id = Some("0112038 9".into());
//! input.phone = Some("09 123 4567".into());
//! let created = records::create_company(&mut store, &input)?;
//! assert_eq!(created.record.fields.business_id.as_deref(), Some("0112038-9"));
//! assert_eq!(created.record.fields.phone.as_deref(), Some("+35891234567"));
//! assert_eq!(created.warnings[0].code.as_str(), "business_id.normalized");
//!
//! let mut bad = CompanyInput::new("Toinen Oy", "Asiakas", "matti@example.fi");
//! bad.business_id = Some("0112038-8".into());
//! let errors = bad.validate().unwrap_err();
//! assert_eq!(errors.field_errors()["business_id"][0].code, "business_id.check_digit");
//! match records::create_company(&mut store, &bad) {
//!     Err(Error::InvalidRecord(refused)) => {
//!         assert_eq!(refused.errors[0].code.as_str(), "business_id.check_digit");
//!     }
//!     other => panic!("expected a refusal, got {other:?}"),
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::setup::{find_branch, find_company_type, find_customer_group, find_user};
use crate::{Error, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;
use tuonti_domain::{
    CellValue, Company, CompanyFields, CompanyId, Contact, ContactFields, ContactId, DomainError,
    Entity, FieldKey, Issue, IssueCode, Lang, LocalizedText, Location, NewCompany, Project,
    ProjectFields, RecordKind, RecordValues, UserId,
};
use tuonti_persistence::{NewContactRef, NewProjectRef, Store};
use tuonti_validation::{
    RecordOutcome, RecordValidator, RowCells, RowContext, RowOverrides, codes,
};
use validator::{Validate, ValidationError, ValidationErrors, ValidationErrorsKind};

/// A company as a service has it: the data fields as text, and its company type, customer
/// group and account manager by name.
///
/// Every field is checked as the same column of a company sheet is; see the [module
/// documentation](self). The phone number and the postal code are read by `country` (empty:
/// Finland).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[validate(schema(function = "company_postal_code", skip_on_field_errors = false))]
#[non_exhaustive]
pub struct CompanyInput {
    /// The name (required).
    #[validate(custom(function = "rules::name"))]
    pub name: String,
    /// The second line of the name.
    #[validate(custom(function = "rules::name_extension"))]
    pub name_extension: Option<String>,
    /// The previous system's customer number.
    #[validate(custom(function = "rules::customer_number"))]
    pub customer_number: Option<String>,
    /// The business ID (Y-tunnus) in any common form: `0112038-9`, `FI01120389`, ...
    #[validate(custom(function = "rules::business_id"))]
    pub business_id: Option<String>,
    /// The VAT number.
    #[validate(custom(function = "rules::vat_number"))]
    pub vat_number: Option<String>,
    /// The street address; may hold line feeds.
    #[validate(custom(function = "rules::street_address"))]
    pub street_address: Option<String>,
    /// The postal code, read by `country` (a struct-level check).
    pub postal_code: Option<String>,
    /// The city.
    #[validate(custom(function = "rules::city"))]
    pub city: Option<String>,
    /// The country: an ISO code or a name in Finnish, Swedish or English; empty is Finland.
    #[validate(custom(function = "rules::country"))]
    pub country: Option<String>,
    /// The phone number as typed.
    #[validate(custom(function = "rules::phone"))]
    pub phone: Option<String>,
    /// The email address.
    #[validate(custom(function = "rules::email"))]
    pub email: Option<String>,
    /// The website.
    #[validate(custom(function = "rules::website"))]
    pub website: Option<String>,
    /// The e-invoice address (OVT code or IBAN).
    #[validate(custom(function = "rules::e_invoice_address"))]
    pub e_invoice_address: Option<String>,
    /// The e-invoice operator (OVT code or BIC).
    #[validate(custom(function = "rules::e_invoice_operator"))]
    pub e_invoice_operator: Option<String>,
    /// Free-form notes.
    #[validate(custom(function = "rules::notes"))]
    pub notes: Option<String>,
    /// The company type, by its name in any language (an active type).
    #[validate(custom(function = "rules::company_type"))]
    pub company_type: String,
    /// The customer group, by name, if any (an existing group).
    #[validate(custom(function = "rules::customer_group"))]
    pub customer_group: Option<String>,
    /// The account manager: the email or name of an active user.
    #[validate(custom(function = "rules::account_manager"))]
    pub account_manager: String,
}

impl CompanyInput {
    /// A company with its required values and no others.
    pub fn new(
        name: impl Into<String>,
        company_type: impl Into<String>,
        account_manager: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            company_type: company_type.into(),
            account_manager: account_manager.into(),
            ..Self::default()
        }
    }

    fn cells(&self) -> RowCells {
        let mut cells = RowCells::new();
        set(&mut cells, FieldKey::Name, Some(&self.name));
        for (field, value) in [
            (FieldKey::NameExtension, &self.name_extension),
            (FieldKey::CustomerNumber, &self.customer_number),
            (FieldKey::BusinessId, &self.business_id),
            (FieldKey::VatNumber, &self.vat_number),
            (FieldKey::StreetAddress, &self.street_address),
            (FieldKey::PostalCode, &self.postal_code),
            (FieldKey::City, &self.city),
            (FieldKey::Country, &self.country),
            (FieldKey::Phone, &self.phone),
            (FieldKey::Email, &self.email),
            (FieldKey::Website, &self.website),
            (FieldKey::EInvoiceAddress, &self.e_invoice_address),
            (FieldKey::EInvoiceOperator, &self.e_invoice_operator),
            (FieldKey::Notes, &self.notes),
            (FieldKey::CustomerGroup, &self.customer_group),
        ] {
            set(&mut cells, field, value.as_ref());
        }
        set(&mut cells, FieldKey::CompanyType, Some(&self.company_type));
        set(
            &mut cells,
            FieldKey::AccountManager,
            Some(&self.account_manager),
        );
        cells
    }

    /// The canonical fields, the cleaned names of the type, group and manager, and the
    /// warnings, exactly as a company sheet's row with these values gives them.
    ///
    /// # Errors
    ///
    /// [`InputErrors`] with every error when [`Validate::validate`] fails.
    pub fn canonical(&self) -> Result<Canonical<CompanyFields>, InputErrors> {
        let (values, references, warnings) = canonical(RecordKind::Company, self, &self.cells())?;
        match values {
            RecordValues::Company(fields) => Ok(Canonical {
                fields,
                references,
                warnings,
            }),
            // A validator of one kind gives that kind's values; never reached.
            _ => Err(InputErrors::empty(RecordKind::Company)),
        }
    }
}

/// A contact person as a service has it, of a stored company named by its id.
///
/// Every field is checked as the same column of a contact sheet is; the phone number is read
/// as a Finnish one unless it has a country code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[non_exhaustive]
pub struct ContactInput {
    /// The company the person works for (a stored company).
    pub company_id: CompanyId,
    /// The first name.
    #[validate(custom(function = "rules::first_name"))]
    pub first_name: Option<String>,
    /// The last name (required).
    #[validate(custom(function = "rules::last_name"))]
    pub last_name: String,
    /// The title, e.g. "toimitusjohtaja".
    #[validate(custom(function = "rules::title"))]
    pub title: Option<String>,
    /// The email address.
    #[validate(custom(function = "rules::email"))]
    pub email: Option<String>,
    /// The phone number as typed.
    #[validate(custom(function = "rules::phone"))]
    pub phone: Option<String>,
}

impl ContactInput {
    /// A contact with its required values and no others.
    pub fn new(company_id: CompanyId, last_name: impl Into<String>) -> Self {
        Self {
            company_id,
            first_name: None,
            last_name: last_name.into(),
            title: None,
            email: None,
            phone: None,
        }
    }

    fn cells(&self) -> RowCells {
        let mut cells = RowCells::new();
        set(&mut cells, FieldKey::LastName, Some(&self.last_name));
        for (field, value) in [
            (FieldKey::FirstName, &self.first_name),
            (FieldKey::Title, &self.title),
            (FieldKey::Email, &self.email),
            (FieldKey::Phone, &self.phone),
        ] {
            set(&mut cells, field, value.as_ref());
        }
        cells
    }

    /// The canonical fields and the warnings, exactly as a contact sheet's row with these
    /// values gives them.
    ///
    /// # Errors
    ///
    /// [`InputErrors`] with every error when [`Validate::validate`] fails.
    pub fn canonical(&self) -> Result<Canonical<ContactFields>, InputErrors> {
        let (values, references, warnings) = canonical(RecordKind::Contact, self, &self.cells())?;
        match values {
            RecordValues::Contact(fields) => Ok(Canonical {
                fields,
                references,
                warnings,
            }),
            // A validator of one kind gives that kind's values; never reached.
            _ => Err(InputErrors::empty(RecordKind::Contact)),
        }
    }
}

/// A date as a service has it: a date, or text as people write it (`1.3.2024`, `2024-03-01`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DateInput {
    /// A date.
    Date(NaiveDate),
    /// A date as written; ambiguous slash dates (`3/4/2024`) are refused.
    Text(String),
}

impl DateInput {
    fn to_cell(&self) -> CellValue {
        match self {
            DateInput::Date(date) => CellValue::Date(*date),
            DateInput::Text(text) => CellValue::Text(text.clone()),
        }
    }
}

impl From<NaiveDate> for DateInput {
    fn from(date: NaiveDate) -> Self {
        DateInput::Date(date)
    }
}

impl From<&str> for DateInput {
    fn from(text: &str) -> Self {
        DateInput::Text(text.to_owned())
    }
}

/// An amount in euros as a service has it: cents, or text as people write it
/// (`12 500,00 €`, `1234.50`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MoneyInput {
    /// Euro cents.
    Cents(i64),
    /// An amount as written.
    Text(String),
}

impl MoneyInput {
    fn to_cell(&self) -> CellValue {
        match self {
            // Written as exports write cents, so that the limits and their issues are the
            // text rule's.
            MoneyInput::Cents(cents) => CellValue::Text(tuonti_validation::format_cents(*cents)),
            MoneyInput::Text(text) => CellValue::Text(text.clone()),
        }
    }
}

impl From<i64> for MoneyInput {
    fn from(cents: i64) -> Self {
        MoneyInput::Cents(cents)
    }
}

impl From<&str> for MoneyInput {
    fn from(text: &str) -> Self {
        MoneyInput::Text(text.to_owned())
    }
}

/// A project as a service has it, of a stored company named by its id; its project manager
/// and branch by name, its contact person by id.
///
/// Every field is checked as the same column of a project sheet is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[validate(schema(function = "project_date_range", skip_on_field_errors = false))]
#[non_exhaustive]
pub struct ProjectInput {
    /// The customer company (a stored company).
    pub company_id: CompanyId,
    /// The project number (required, unique).
    #[validate(custom(function = "rules::project_number"))]
    pub project_number: String,
    /// The project's name (required).
    #[validate(custom(function = "rules::project_name"))]
    pub project_name: String,
    /// The status in Finnish, Swedish or English (`käynnissä`, `active`, ...); empty is active.
    #[validate(custom(function = "rules::status"))]
    pub status: Option<String>,
    /// The first day.
    #[validate(custom(function = "rules::start_date"))]
    pub start_date: Option<DateInput>,
    /// The last day, not before the first (a struct-level check).
    #[validate(custom(function = "rules::end_date"))]
    pub end_date: Option<DateInput>,
    /// The value in euros.
    #[validate(custom(function = "rules::value"))]
    pub value: Option<MoneyInput>,
    /// A free-form description.
    #[validate(custom(function = "rules::description"))]
    pub description: Option<String>,
    /// The project manager: the email or name of an active user.
    #[validate(custom(function = "rules::project_manager"))]
    pub project_manager: Option<String>,
    /// The branch of business, by name (an existing branch).
    #[validate(custom(function = "rules::branch"))]
    pub branch: Option<String>,
    /// The customer's contact person: a stored contact of the same company.
    pub contact_id: Option<ContactId>,
}

impl ProjectInput {
    /// A project with its required values and no others.
    pub fn new(
        company_id: CompanyId,
        project_number: impl Into<String>,
        project_name: impl Into<String>,
    ) -> Self {
        Self {
            company_id,
            project_number: project_number.into(),
            project_name: project_name.into(),
            status: None,
            start_date: None,
            end_date: None,
            value: None,
            description: None,
            project_manager: None,
            branch: None,
            contact_id: None,
        }
    }

    fn cells(&self) -> RowCells {
        let mut cells = RowCells::new();
        set(
            &mut cells,
            FieldKey::ProjectNumber,
            Some(&self.project_number),
        );
        set(&mut cells, FieldKey::ProjectName, Some(&self.project_name));
        for (field, value) in [
            (FieldKey::Status, &self.status),
            (FieldKey::Description, &self.description),
            (FieldKey::ProjectManager, &self.project_manager),
            (FieldKey::Branch, &self.branch),
        ] {
            set(&mut cells, field, value.as_ref());
        }
        for (field, value) in [
            (FieldKey::StartDate, &self.start_date),
            (FieldKey::EndDate, &self.end_date),
        ] {
            if let Some(date) = value {
                cells.set(field, Location::default(), date.to_cell());
            }
        }
        if let Some(value) = &self.value {
            cells.set(FieldKey::Value, Location::default(), value.to_cell());
        }
        cells
    }

    /// The canonical fields, the cleaned names of the project manager and branch, and the
    /// warnings, exactly as a project sheet's row with these values gives them.
    ///
    /// # Errors
    ///
    /// [`InputErrors`] with every error when [`Validate::validate`] fails.
    pub fn canonical(&self) -> Result<Canonical<ProjectFields>, InputErrors> {
        let (values, references, warnings) = canonical(RecordKind::Project, self, &self.cells())?;
        match values {
            RecordValues::Project(fields) => Ok(Canonical {
                fields,
                references,
                warnings,
            }),
            // A validator of one kind gives that kind's values; never reached.
            _ => Err(InputErrors::empty(RecordKind::Project)),
        }
    }
}

/// An input's values in canonical form, as a spreadsheet row with the same values gives them.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Canonical<T> {
    /// The canonical values.
    pub fields: T,
    /// The names the record refers to, cleaned: a company's type, group and account manager,
    /// a project's manager and branch.
    pub references: RowOverrides,
    /// The warnings: values accepted, some of them normalized.
    pub warnings: Vec<Issue>,
}

/// A stored record and the warnings its values gave.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Created<T> {
    /// The record as stored.
    pub record: T,
    /// The warnings: values accepted, some of them normalized before they were stored.
    pub warnings: Vec<Issue>,
}

/// One error of one field of an input.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FieldError {
    /// The field: the input's field name, which is its catalog key ([`FieldKey::as_str`]).
    pub field: Cow<'static, str>,
    /// The issue code (a constant in [`tuonti_validation::codes`]).
    pub code: IssueCode,
    /// The message in Finnish, Swedish and English.
    pub message: LocalizedText,
}

impl FieldError {
    /// The field's catalog key, when the field is one (it always is for this module's inputs).
    pub fn key(&self) -> Option<FieldKey> {
        field_key(&self.field)
    }
}

/// Every error of an input that was refused, by field in the order of the kind's sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct InputErrors {
    /// The kind of record refused.
    pub kind: RecordKind,
    /// The errors.
    pub errors: Vec<FieldError>,
}

impl InputErrors {
    fn empty(kind: RecordKind) -> Self {
        Self {
            kind,
            errors: Vec::new(),
        }
    }

    /// The errors of a [`Validate::validate`] of an input of `kind`: every field error, those
    /// in a `params["more"]`, and the struct-level ones under the field they name.
    pub fn from_validation(kind: RecordKind, errors: &ValidationErrors) -> Self {
        let mut found = Vec::new();
        for (name, entry) in errors.errors() {
            let ValidationErrorsKind::Field(list) = entry else {
                continue;
            };
            for error in list {
                let field = match error.params.get("field").and_then(Value::as_str) {
                    Some(field) if name == "__all__" => Cow::Owned(field.to_owned()),
                    _ => name.clone(),
                };
                found.push(FieldError {
                    field: field.clone(),
                    code: IssueCode::from(error.code.to_string()),
                    message: LocalizedText::new(
                        error
                            .params
                            .get("message_fi")
                            .and_then(Value::as_str)
                            .unwrap_or_default(),
                        error
                            .params
                            .get("message_sv")
                            .and_then(Value::as_str)
                            .unwrap_or_default(),
                        error.message.as_deref().unwrap_or_default(),
                    ),
                });
                let more = error.params.get("more").and_then(Value::as_array);
                for extra in more.into_iter().flatten() {
                    let text = |key| extra.get(key).and_then(Value::as_str).unwrap_or_default();
                    found.push(FieldError {
                        field: field.clone(),
                        code: IssueCode::from(text("code").to_owned()),
                        message: LocalizedText::new(
                            text("message_fi"),
                            text("message_sv"),
                            text("message"),
                        ),
                    });
                }
            }
        }
        Self::sorted(kind, found)
    }

    /// The errors among `issues` (warnings are left out).
    pub fn from_issues(kind: RecordKind, issues: &[Issue]) -> Self {
        let found = issues
            .iter()
            .filter(|issue| issue.is_error())
            .map(|issue| FieldError {
                field: Cow::Borrowed(issue.location.field.map_or("", FieldKey::as_str)),
                code: issue.code.clone(),
                message: issue.message.clone(),
            })
            .collect();
        Self::sorted(kind, found)
    }

    /// In the sheet's field order; the errors of one field in the order found.
    fn sorted(kind: RecordKind, mut errors: Vec<FieldError>) -> Self {
        let position = |error: &FieldError| {
            error
                .key()
                .and_then(|key| kind.fields().iter().position(|field| *field == key))
                .unwrap_or(usize::MAX)
        };
        errors.sort_by_key(position);
        Self { kind, errors }
    }

    /// Whether there are no errors.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The refusal in `lang`: what was refused, then every error with its field and code,
    /// one a line.
    pub fn message(&self, lang: Lang) -> String {
        let entity = self.kind.entity();
        let mut text = match lang {
            Lang::Fi => format!(
                "{} hylättiin: {} virhe{}",
                capitalized(entity.name(Lang::Fi)),
                self.errors.len(),
                if self.errors.len() == 1 { "" } else { "ttä" }
            ),
            Lang::Sv => format!(
                "{} avvisades: {} fel",
                capitalized(entity.name(Lang::Sv)),
                self.errors.len(),
            ),
            Lang::En => format!(
                "the {} was refused: {} error{}",
                entity.name(Lang::En),
                self.errors.len(),
                if self.errors.len() == 1 { "" } else { "s" }
            ),
        };
        for error in &self.errors {
            text.push_str(&format!(
                "\n- {} ({}): {}",
                error.field,
                error.code.as_str(),
                error.message.get(lang)
            ));
        }
        text
    }
}

impl fmt::Display for InputErrors {
    /// The English message.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for InputErrors {}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn field_key(name: &str) -> Option<FieldKey> {
    FieldKey::ALL.into_iter().find(|key| key.as_str() == name)
}

fn set(cells: &mut RowCells, field: FieldKey, value: Option<&String>) {
    if let Some(value) = value {
        cells.set(field, Location::default(), CellValue::Text(value.clone()));
    }
}

/// Validates an input, then runs its values through the validator of spreadsheet rows of
/// `kind`: the canonical values, the references and the warnings.
fn canonical(
    kind: RecordKind,
    input: &impl Validate,
    cells: &RowCells,
) -> Result<(RecordValues, RowOverrides, Vec<Issue>), InputErrors> {
    input
        .validate()
        .map_err(|errors| InputErrors::from_validation(kind, &errors))?;
    let mut outcome = RecordOutcome::default();
    RecordValidator::new(kind, RowContext::default()).validate_into(cells, &mut outcome);
    // An input names its company by id, checked against the store: the rule that a row name
    // its company does not apply.
    outcome
        .issues
        .retain(|issue| issue.code != codes::COMPANY_REFERENCE_REQUIRED);
    if outcome.has_errors() {
        // The checks above are those rules; this is a safety net should they ever part.
        return Err(InputErrors::from_issues(kind, &outcome.issues));
    }
    Ok((outcome.values, outcome.references, outcome.issues))
}

/// A company's postal code, read by its country as a company row reads it.
fn company_postal_code(input: &CompanyInput) -> Result<(), ValidationError> {
    let Some(postal_code) = &input.postal_code else {
        return Ok(());
    };
    let at = Location::default();
    let country = input
        .country
        .as_deref()
        .filter(|country| !country.trim().is_empty())
        .and_then(|country| {
            tuonti_validation::country(&CellValue::Text(country.to_owned()), &at).value
        });
    let region = country
        .as_deref()
        .unwrap_or(RowContext::default().default_country());
    let checked =
        tuonti_validation::postal_code(&CellValue::Text(postal_code.clone()), &at, region);
    rules::report(FieldKey::PostalCode, &checked.issues, Some(postal_code))
}

/// A project's end date, not before its start.
fn project_date_range(input: &ProjectInput) -> Result<(), ValidationError> {
    let (Some(start), Some(end)) = (&input.start_date, &input.end_date) else {
        return Ok(());
    };
    let at = Location::default();
    let start_date = tuonti_validation::date(FieldKey::StartDate, &start.to_cell(), &at, None);
    let end_date = tuonti_validation::date(FieldKey::EndDate, &end.to_cell(), &at, None);
    let issue = tuonti_validation::check_date_range(
        start_date.value,
        end_date.value,
        FieldKey::EndDate,
        &at,
    );
    rules::report(FieldKey::EndDate, issue.as_slice(), None)
}

/// The field-level checks: each calls the rule of its field in `tuonti-validation`.
mod rules {
    use super::{DateInput, MoneyInput};
    use serde_json::{Value, json};
    use std::borrow::Cow;
    use tuonti_domain::{CellValue, FieldKey, Issue, Location, RecordKind};
    use tuonti_validation::{RecordOutcome, RecordValidator, RowCells, RowContext};
    use validator::ValidationError;

    /// The first error among `issues` as a [`ValidationError`] (code, English message, the
    /// Finnish one and the field in `params`), the further errors in `params["more"]`.
    pub(super) fn report(
        field: FieldKey,
        issues: &[Issue],
        value: Option<&str>,
    ) -> Result<(), ValidationError> {
        let mut errors = issues.iter().filter(|issue| issue.is_error());
        let Some(first) = errors.next() else {
            return Ok(());
        };
        let mut error = ValidationError {
            code: Cow::Owned(first.code.as_str().to_owned()),
            message: Some(Cow::Owned(first.message.en.clone())),
            params: Default::default(),
        };
        let params = &mut error.params;
        params.insert("message_fi".into(), Value::String(first.message.fi.clone()));
        params.insert("message_sv".into(), Value::String(first.message.sv.clone()));
        params.insert("field".into(), Value::String(field.as_str().to_owned()));
        if let Some(value) = value {
            params.insert("value".into(), Value::String(value.to_owned()));
        }
        let more: Vec<Value> = errors
            .map(|issue| {
                json!({
                    "code": issue.code.as_str(),
                    "message": issue.message.en,
                    "message_fi": issue.message.fi,
                    "message_sv": issue.message.sv,
                })
            })
            .collect();
        if !more.is_empty() {
            params.insert("more".into(), Value::Array(more));
        }
        Err(error)
    }

    fn text_cell(value: &str) -> CellValue {
        CellValue::Text(value.to_owned())
    }

    /// A required text field: checked as a row of `kind` with only this cell, so that an
    /// empty value gives the row's own "required" issue.
    fn required(kind: RecordKind, field: FieldKey, value: &str) -> Result<(), ValidationError> {
        let mut cells = RowCells::new();
        cells.set(field, Location::default(), text_cell(value));
        let mut outcome = RecordOutcome::default();
        RecordValidator::new(kind, RowContext::default()).validate_into(&cells, &mut outcome);
        let issues: Vec<Issue> = outcome
            .issues
            .into_iter()
            .filter(|issue| issue.location.field == Some(field))
            .collect();
        report(field, &issues, None)
    }

    fn text(field: FieldKey, value: &str) -> Result<(), ValidationError> {
        let checked = tuonti_validation::text(field, &text_cell(value), &Location::default());
        report(field, &checked.issues, None)
    }

    pub(super) fn name(value: &str) -> Result<(), ValidationError> {
        required(RecordKind::Company, FieldKey::Name, value)
    }

    pub(super) fn last_name(value: &str) -> Result<(), ValidationError> {
        required(RecordKind::Contact, FieldKey::LastName, value)
    }

    pub(super) fn project_number(value: &str) -> Result<(), ValidationError> {
        required(RecordKind::Project, FieldKey::ProjectNumber, value)
    }

    pub(super) fn project_name(value: &str) -> Result<(), ValidationError> {
        required(RecordKind::Project, FieldKey::ProjectName, value)
    }

    /// Free-text fields: the shared text rules.
    macro_rules! text_rules {
        ($($function:ident => $field:ident),* $(,)?) => {$(
            pub(super) fn $function(value: &str) -> Result<(), ValidationError> {
                text(FieldKey::$field, value)
            }
        )*};
    }

    text_rules! {
        name_extension => NameExtension,
        customer_number => CustomerNumber,
        street_address => StreetAddress,
        city => City,
        notes => Notes,
        company_type => CompanyType,
        customer_group => CustomerGroup,
        account_manager => AccountManager,
        first_name => FirstName,
        title => Title,
        description => Description,
        project_manager => ProjectManager,
        branch => Branch,
    }

    pub(super) fn business_id(value: &str) -> Result<(), ValidationError> {
        let checked = tuonti_validation::business_id(&text_cell(value), &Location::default());
        report(FieldKey::BusinessId, &checked.issues, None)
    }

    pub(super) fn vat_number(value: &str) -> Result<(), ValidationError> {
        let checked = tuonti_validation::vat_number(&text_cell(value), &Location::default());
        report(FieldKey::VatNumber, &checked.issues, None)
    }

    pub(super) fn country(value: &str) -> Result<(), ValidationError> {
        // An empty country is the default one, as on a company row.
        if value.trim().is_empty() {
            return Ok(());
        }
        let checked = tuonti_validation::country(&text_cell(value), &Location::default());
        report(FieldKey::Country, &checked.issues, None)
    }

    pub(super) fn phone(value: &str) -> Result<(), ValidationError> {
        // The region (the company's country) changes only the canonical form and a warning,
        // never an error: the default one serves.
        let checked = tuonti_validation::phone(
            &text_cell(value),
            &Location::default(),
            RowContext::default().default_country(),
        );
        report(FieldKey::Phone, &checked.issues, None)
    }

    pub(super) fn email(value: &str) -> Result<(), ValidationError> {
        let checked = tuonti_validation::email(&text_cell(value), &Location::default());
        report(FieldKey::Email, &checked.issues, None)
    }

    pub(super) fn website(value: &str) -> Result<(), ValidationError> {
        let checked = tuonti_validation::website(&text_cell(value), &Location::default());
        report(FieldKey::Website, &checked.issues, None)
    }

    pub(super) fn e_invoice_address(value: &str) -> Result<(), ValidationError> {
        let checked = tuonti_validation::e_invoice_address(&text_cell(value), &Location::default());
        report(FieldKey::EInvoiceAddress, &checked.issues, None)
    }

    pub(super) fn e_invoice_operator(value: &str) -> Result<(), ValidationError> {
        let checked =
            tuonti_validation::e_invoice_operator(&text_cell(value), &Location::default());
        report(FieldKey::EInvoiceOperator, &checked.issues, None)
    }

    pub(super) fn status(value: &str) -> Result<(), ValidationError> {
        let checked = tuonti_validation::project_status(
            FieldKey::Status,
            &text_cell(value),
            &Location::default(),
        );
        report(FieldKey::Status, &checked.issues, None)
    }

    fn date(field: FieldKey, value: &DateInput) -> Result<(), ValidationError> {
        let checked = tuonti_validation::date(field, &value.to_cell(), &Location::default(), None);
        report(field, &checked.issues, None)
    }

    pub(super) fn start_date(value: &DateInput) -> Result<(), ValidationError> {
        date(FieldKey::StartDate, value)
    }

    pub(super) fn end_date(value: &DateInput) -> Result<(), ValidationError> {
        date(FieldKey::EndDate, value)
    }

    pub(super) fn value(value: &MoneyInput) -> Result<(), ValidationError> {
        let checked =
            tuonti_validation::money(FieldKey::Value, &value.to_cell(), &Location::default());
        report(FieldKey::Value, &checked.issues, None)
    }
}

/// Stores a company after checking it as a company row: refuses it with every field error,
/// else stores its canonical values with the named company type, customer group and account
/// manager, in one transaction.
///
/// # Errors
///
/// [`Error::InvalidRecord`] listing every field error; [`DomainError::NotFound`] for a
/// company type, customer group or user that does not exist; [`DomainError::Refused`] for
/// an archived type or an inactive account manager; [`DomainError::Conflict`] when another
/// company has the business ID or customer number; [`Error::Persistence`] on database
/// failure. Nothing is stored on an error.
pub fn create_company(store: &mut Store, input: &CompanyInput) -> Result<Created<Company>> {
    let canonical = input.canonical().map_err(Error::InvalidRecord)?;
    let references = &canonical.references;
    store.transaction(|store| {
        let type_name = references.company_type.as_deref().unwrap_or_default();
        let company_type = find_company_type(store, type_name)?;
        if company_type.archived {
            let name = &company_type.names.fi;
            return Err(crate::util::refused_in(
                format!("yritystyyppi {name:?} on arkistoitu; palauta se tai valitse toinen"),
                format!("företagstypen {name:?} är arkiverad; återställ den eller välj en annan"),
                format!("company type {name:?} is archived; restore it or choose another"),
            ));
        }
        let customer_group_id = match &references.customer_group {
            Some(name) => Some(find_customer_group(store, name)?.id),
            None => None,
        };
        let manager = references.account_manager.as_deref().unwrap_or_default();
        let account_manager_id = active_user(store, manager)?;
        let company = store.insert_company(&NewCompany {
            fields: canonical.fields.clone(),
            company_type_id: company_type.id,
            customer_group_id,
            account_manager_id,
            created_by_batch: None,
        })?;
        Ok(Created {
            record: company,
            warnings: canonical.warnings.clone(),
        })
    })
}

/// Stores a contact of a stored company after checking it as a contact row, in one
/// transaction.
///
/// # Errors
///
/// [`Error::InvalidRecord`] listing every field error; [`DomainError::NotFound`] for a
/// company that does not exist; [`Error::Persistence`] on database failure. Nothing is stored
/// on an error.
pub fn create_contact(store: &mut Store, input: &ContactInput) -> Result<Created<Contact>> {
    let canonical = input.canonical().map_err(Error::InvalidRecord)?;
    store.transaction(|store| {
        stored_company(store, input.company_id)?;
        let ids = store.insert_new_contacts(&[NewContactRef {
            company_id: input.company_id,
            fields: &canonical.fields,
            created_by_batch: None,
        }])?;
        let contact = store
            .contacts_by_ids(&ids)?
            .into_iter()
            .next()
            .ok_or_else(|| not_stored(Entity::Contact, &canonical.fields.full_name()))?;
        Ok(Created {
            record: contact,
            warnings: canonical.warnings.clone(),
        })
    })
}

/// Stores a project of a stored company after checking it as a project row, with its project
/// manager, branch and contact person, in one transaction.
///
/// # Errors
///
/// [`Error::InvalidRecord`] listing every field error; [`DomainError::NotFound`] for a
/// company, user, branch or contact that does not exist; [`DomainError::Refused`] for an
/// inactive project manager or a contact of another company; [`DomainError::Conflict`] when
/// the project number is taken; [`Error::Persistence`] on database failure. Nothing is stored
/// on an error.
pub fn create_project(store: &mut Store, input: &ProjectInput) -> Result<Created<Project>> {
    let canonical = input.canonical().map_err(Error::InvalidRecord)?;
    let references = &canonical.references;
    let fields = &canonical.fields;
    store.transaction(|store| {
        let company = stored_company(store, input.company_id)?;
        let project_manager_id = match &references.project_manager {
            Some(key) => Some(active_user(store, key)?),
            None => None,
        };
        let branch_id = match &references.branch {
            Some(name) => Some(find_branch(store, name)?.id),
            None => None,
        };
        if let Some(contact_id) = input.contact_id {
            let contact = store
                .contacts_by_ids(&[contact_id])?
                .into_iter()
                .next()
                .ok_or_else(|| DomainError::NotFound {
                    entity: Entity::Contact,
                    key: contact_id.0.to_string(),
                })?;
            if contact.company_id != company.id {
                let (person, company) = (contact.fields.full_name(), &company.fields.name);
                return Err(crate::util::refused_in(
                    format!("{person} ei ole yrityksen {company} yhteyshenkilö"),
                    format!("{person} är inte kontaktperson för {company}"),
                    format!("contact {person} is not a contact of {company}"),
                ));
            }
        }
        let number = fields.project_number.as_str();
        if let Some(existing) = store.projects_by_numbers(&[number])?.into_iter().next() {
            return Err(Error::Domain(DomainError::Conflict {
                entity: Entity::Project,
                field: "project_number",
                value: number.to_owned(),
                existing: Some(existing.fields.project_number),
            }));
        }
        store.insert_new_projects(&[NewProjectRef {
            company_id: company.id,
            fields,
            project_manager_id,
            branch_id,
            contact_id: input.contact_id,
            created_by_batch: None,
        }])?;
        let project = store
            .projects_by_numbers(&[number])?
            .into_iter()
            .next()
            .ok_or_else(|| not_stored(Entity::Project, number))?;
        Ok(Created {
            record: project,
            warnings: canonical.warnings.clone(),
        })
    })
}

/// A record just inserted that cannot be read back: the database lost it.
fn not_stored(entity: Entity, key: &str) -> Error {
    Error::Domain(DomainError::NotFound {
        entity,
        key: key.to_owned(),
    })
}

fn stored_company(store: &mut Store, id: CompanyId) -> Result<Company> {
    store
        .companies_by_ids(&[id])?
        .into_iter()
        .next()
        .ok_or_else(|| {
            Error::Domain(DomainError::NotFound {
                entity: Entity::Company,
                key: id.0.to_string(),
            })
        })
}

/// The id of the active user `key` (an email or a name) names.
fn active_user(store: &mut Store, key: &str) -> Result<UserId> {
    let user = find_user(store, key)?;
    if !user.can_manage_accounts() {
        let email = &user.email;
        return Err(crate::util::refused_in(
            format!(
                "{email} ei ole aktiivinen käyttäjä eikä voi olla yritysten tai projektien vastuuhenkilö"
            ),
            format!(
                "{email} är inte en aktiv användare och kan inte ansvara för företag eller projekt"
            ),
            format!("{email} is not an active user and cannot manage companies or projects"),
        ));
    }
    Ok(user.id)
}
