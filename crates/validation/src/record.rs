//! A row of any record kind: companies through [`RowValidator`], contacts and projects by
//! their own rules, into [`RecordValues`] plus the references the importer resolves.

use crate::business_id::{business_id_raw, canonical as business_id_canonical};
use crate::checked::Sink;
use crate::codes;
use crate::date::{DateOrder, date_range_raw, date_raw};
use crate::email::email_raw;
use crate::money::money_raw;
use crate::phone::phone_raw;
use crate::row::{RowCells, RowContext, RowOverrides, RowValidator};
use crate::status::project_status_raw;
use crate::text::{Raw, text_raw};
use std::borrow::Cow;
use tuonti_domain::{
    CellValue, CompanyRef, ContactFields, FieldKey, Issue, Location, ProjectFields, RecordKind,
    RecordValues,
};

/// What a row of any kind gave: canonical values, the references and choices it names, and
/// every issue.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RecordOutcome {
    /// The canonical values; a field with an error is `None` (a required text empty).
    pub values: RecordValues,
    /// The per-row choices and references, as cleaned text.
    pub references: RowOverrides,
    /// The errors and warnings, in field order.
    pub issues: Vec<Issue>,
}

impl RecordOutcome {
    /// Whether any issue is an error: such a row is rejected.
    pub fn has_errors(&self) -> bool {
        self.issues.iter().any(Issue::is_error)
    }
}

/// Validates rows of one [`RecordKind`]: companies as [`RowValidator`] does; contacts (last
/// name required, email and phone as a company's, the company they belong to); projects
/// (number and name required, status, dates read in the column's order, end not before
/// start, value in euros, the company, manager, branch and contact they name).
///
/// Issues: those of [`RowValidator`] and of [`date`](crate::date()),
/// [`money`](crate::money()), [`project_status`](crate::project_status()), plus
/// [`LAST_NAME_REQUIRED`](codes::LAST_NAME_REQUIRED),
/// [`PROJECT_NUMBER_REQUIRED`](codes::PROJECT_NUMBER_REQUIRED),
/// [`PROJECT_NAME_REQUIRED`](codes::PROJECT_NAME_REQUIRED) and
/// [`COMPANY_REFERENCE_REQUIRED`](codes::COMPANY_REFERENCE_REQUIRED).
///
/// ```
/// use tuonti_domain::{CellValue, FieldKey, Location, RecordKind, RecordValues};
/// use tuonti_validation::{RecordOutcome, RecordValidator, RowCells, RowContext};
///
/// let validator = RecordValidator::new(RecordKind::Contact, RowContext::new("FI")?);
/// let mut cells = RowCells::new();
/// cells.set(FieldKey::LastName, Location::cell(2, 0), CellValue::Text("Virtanen".into()));
/// cells.set(FieldKey::Phone, Location::cell(2, 1), CellValue::Text("040 123 4567".into()));
/// cells.set(FieldKey::BusinessId, Location::cell(2, 2), CellValue::Text("0112038-9".into()));
/// let mut outcome = RecordOutcome::default();
/// validator.validate_into(&cells, &mut outcome);
/// let RecordValues::Contact(contact) = &outcome.values else { unreachable!() };
/// assert_eq!(contact.phone.as_deref(), Some("+358401234567"));
/// assert_eq!(outcome.references.company.business_id.as_deref(), Some("0112038-9"));
/// assert!(!outcome.has_errors());
/// # Ok::<(), tuonti_validation::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct RecordValidator {
    kind: RecordKind,
    company: RowValidator,
    date_order: Option<DateOrder>,
}

impl RecordValidator {
    /// A validator for rows of `kind` in one import.
    pub fn new(kind: RecordKind, context: RowContext) -> Self {
        Self {
            kind,
            company: RowValidator::new(context),
            date_order: None,
        }
    }

    /// The order ambiguous slash dates (`3/4/2024`) are read in: the one the column's
    /// unambiguous dates show (see [`DateOrderVote`](crate::DateOrderVote)); `None` rejects
    /// them with both readings.
    pub fn with_date_order(mut self, order: Option<DateOrder>) -> Self {
        self.date_order = order;
        self
    }

    /// The kind of rows validated.
    pub fn kind(&self) -> RecordKind {
        self.kind
    }

    /// Validates one row into `outcome`, which is cleared first (its issue list keeps its
    /// memory).
    pub fn validate_into(&self, cells: &RowCells, outcome: &mut RecordOutcome) {
        outcome.issues.clear();
        outcome.references = RowOverrides::default();
        let issues = &mut outcome.issues;
        let references = &mut outcome.references;
        match self.kind {
            RecordKind::Contact => {
                let mut fields = ContactFields::default();
                self.validate_contact(cells, &mut fields, references, issues);
                outcome.values = RecordValues::Contact(fields);
            }
            RecordKind::Project => {
                let mut fields = ProjectFields::default();
                self.validate_project(cells, &mut fields, references, issues);
                outcome.values = RecordValues::Project(fields);
            }
            _ => {
                let mut fields = tuonti_domain::CompanyFields::default();
                self.company
                    .validate_company(cells, &mut fields, references, issues);
                outcome.values = RecordValues::Company(fields);
            }
        }
    }

    fn validate_contact(
        &self,
        cells: &RowCells,
        fields: &mut ContactFields,
        references: &mut RowOverrides,
        issues: &mut Vec<Issue>,
    ) {
        let empty = CellValue::Empty;
        let cell = |field| cell_of(cells, field, &empty);
        references.company = company_reference(cells, issues);
        fields.first_name = text_field(cell(FieldKey::FirstName), FieldKey::FirstName, issues);
        fields.title = text_field(cell(FieldKey::Title), FieldKey::Title, issues);
        let (raw, location) = cell(FieldKey::LastName);
        let mut sink = Sink::new(FieldKey::LastName, location, issues);
        match text_raw(raw, &mut sink) {
            Some(name) => fields.last_name = name.into_owned(),
            None if !sink.has_errors() => sink.error(
                codes::LAST_NAME_REQUIRED,
                "Yhteyshenkilön sukunimi puuttuu; sukunimi on pakollinen.".into(),
                "Kontaktpersonens efternamn saknas; ett efternamn är obligatoriskt.".into(),
                "The contact's last name is missing; a last name is required.".into(),
            ),
            None => {}
        }
        let (raw, location) = cell(FieldKey::Email);
        fields.email = email_raw(raw, &mut Sink::new(FieldKey::Email, location, issues));
        let (raw, location) = cell(FieldKey::Phone);
        fields.phone = phone_raw(
            raw,
            self.company.context().default_country(),
            &mut Sink::new(FieldKey::Phone, location, issues),
        )
        .map(Cow::into_owned);
        require_company(references, cells, issues);
    }

    fn validate_project(
        &self,
        cells: &RowCells,
        fields: &mut ProjectFields,
        references: &mut RowOverrides,
        issues: &mut Vec<Issue>,
    ) {
        let empty = CellValue::Empty;
        let cell = |field| cell_of(cells, field, &empty);
        for (field, code, fi, sv, en) in [
            (
                FieldKey::ProjectNumber,
                codes::PROJECT_NUMBER_REQUIRED,
                "Projektinumero puuttuu; numero on pakollinen (esimerkiksi P-0001).",
                "Projektnumret saknas; ett nummer är obligatoriskt (till exempel P-0001).",
                "The project number is missing; a number is required (e.g. P-0001).",
            ),
            (
                FieldKey::ProjectName,
                codes::PROJECT_NAME_REQUIRED,
                "Projektin nimi puuttuu; nimi on pakollinen.",
                "Projektets namn saknas; ett namn är obligatoriskt.",
                "The project name is missing; a name is required.",
            ),
        ] {
            let (raw, location) = cell(field);
            let mut sink = Sink::new(field, location, issues);
            match text_raw(raw, &mut sink) {
                Some(value) if field == FieldKey::ProjectNumber => {
                    fields.project_number = value.into_owned();
                }
                Some(value) => fields.name = value.into_owned(),
                None if !sink.has_errors() => sink.error(code, fi.into(), sv.into(), en.into()),
                None => {}
            }
        }
        references.company = company_reference(cells, issues);
        references.project_manager = text_field(
            cell(FieldKey::ProjectManager),
            FieldKey::ProjectManager,
            issues,
        );
        let (raw, location) = cell(FieldKey::Status);
        fields.status = project_status_raw(raw, &mut Sink::new(FieldKey::Status, location, issues));
        let (raw, location) = cell(FieldKey::StartDate);
        fields.start_date = date_raw(
            raw,
            self.date_order,
            &mut Sink::new(FieldKey::StartDate, location, issues),
        );
        let (raw, end_location) = cell(FieldKey::EndDate);
        fields.end_date = date_raw(
            raw,
            self.date_order,
            &mut Sink::new(FieldKey::EndDate, end_location, issues),
        );
        date_range_raw(
            fields.start_date,
            fields.end_date,
            &mut Sink::new(FieldKey::EndDate, end_location, issues),
        );
        let (raw, location) = cell(FieldKey::Value);
        fields.value_cents = money_raw(raw, &mut Sink::new(FieldKey::Value, location, issues));
        references.branch = text_field(cell(FieldKey::Branch), FieldKey::Branch, issues);
        references.contact_person = text_field(
            cell(FieldKey::ContactPerson),
            FieldKey::ContactPerson,
            issues,
        );
        fields.description = text_field(cell(FieldKey::Description), FieldKey::Description, issues);
        require_company(references, cells, issues);
    }
}

/// A field's cell as raw input and its location, or an empty cell at the row's location.
fn cell_of<'a>(
    cells: &'a RowCells,
    field: FieldKey,
    empty: &'a CellValue,
) -> (Raw<'a>, &'a Location) {
    match cells.get(field) {
        Some(cell) => (Raw::from_cell(&cell.value), &cell.location),
        None => (Raw::Cell(empty), cells.row_location()),
    }
}

fn text_field(
    (raw, location): (Raw<'_>, &Location),
    field: FieldKey,
    issues: &mut Vec<Issue>,
) -> Option<String> {
    text_raw(raw, &mut Sink::new(field, location, issues)).map(Cow::into_owned)
}

/// The company a contact or project row names, each column checked by its rules.
fn company_reference(cells: &RowCells, issues: &mut Vec<Issue>) -> CompanyRef {
    let empty = CellValue::Empty;
    let cell = |field| cell_of(cells, field, &empty);
    let customer_number = text_field(
        cell(FieldKey::CustomerNumber),
        FieldKey::CustomerNumber,
        issues,
    );
    let (raw, location) = cell(FieldKey::BusinessId);
    let business_id = business_id_raw(raw, &mut Sink::new(FieldKey::BusinessId, location, issues))
        .as_ref()
        .map(business_id_canonical);
    let name = text_field(cell(FieldKey::Name), FieldKey::Name, issues);
    CompanyRef {
        customer_number,
        business_id,
        name,
    }
}

/// An error at the row when it names no company and no company column has an error of its own.
fn require_company(references: &RowOverrides, cells: &RowCells, issues: &mut Vec<Issue>) {
    let company_columns_failed = issues.iter().any(|issue| {
        issue.is_error()
            && matches!(
                issue.location.field,
                Some(FieldKey::CustomerNumber | FieldKey::BusinessId | FieldKey::Name)
            )
    });
    if references.company.is_empty() && !company_columns_failed {
        let location = cells
            .get(FieldKey::Name)
            .map_or_else(|| cells.row_location(), |cell| &cell.location);
        Sink::new(FieldKey::Name, location, issues).error(
            codes::COMPANY_REFERENCE_REQUIRED,
            "Rivi ei nimeä yritystä: anna asiakasnumero, Y-tunnus tai yrityksen nimi.".into(),
            "Raden anger inget företag: ge ett kundnummer, ett FO-nummer eller företagets namn."
                .into(),
            "The row names no company: give a customer number, business ID or company name.".into(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &str) -> CellValue {
        CellValue::Text(value.into())
    }

    fn codes_of(outcome: &RecordOutcome) -> Vec<&str> {
        outcome.issues.iter().map(|i| i.code.as_str()).collect()
    }

    fn validate(kind: RecordKind, values: &[(FieldKey, CellValue)]) -> RecordOutcome {
        let validator = RecordValidator::new(kind, RowContext::default());
        let mut cells = RowCells::new();
        cells.set_row_location(Location::cell(7, 0));
        for (column, (field, value)) in values.iter().enumerate() {
            cells.set(*field, Location::cell(7, column as u32), value.clone());
        }
        let mut outcome = RecordOutcome::default();
        validator.validate_into(&cells, &mut outcome);
        outcome
    }

    #[test]
    fn a_contact_needs_a_last_name_and_a_company() {
        let outcome = validate(RecordKind::Contact, &[(FieldKey::FirstName, text("Maija"))]);
        assert_eq!(
            codes_of(&outcome),
            ["last_name.required", "company.reference_required"]
        );
        let outcome = validate(
            RecordKind::Contact,
            &[
                (FieldKey::Name, text(" Esimerkki Oy ")),
                (FieldKey::FirstName, text("Maija")),
                (FieldKey::LastName, text("Meikäläinen")),
                (FieldKey::Email, text("maija@esimerkki.fi")),
                (FieldKey::Phone, text("(09) 123 4567")),
            ],
        );
        assert!(outcome.issues.is_empty(), "{:?}", outcome.issues);
        let contact = outcome.values.as_contact().cloned().unwrap_or_default();
        assert_eq!(contact.full_name(), "Maija Meikäläinen");
        assert_eq!(contact.phone.as_deref(), Some("+35891234567"));
        assert_eq!(
            outcome.references.company.name.as_deref(),
            Some("Esimerkki Oy")
        );
    }

    #[test]
    fn a_bad_business_id_is_the_only_company_error() {
        let outcome = validate(
            RecordKind::Contact,
            &[
                (FieldKey::BusinessId, text("0112038-8")),
                (FieldKey::LastName, text("Virtanen")),
            ],
        );
        assert_eq!(codes_of(&outcome), ["business_id.check_digit"]);
    }

    #[test]
    fn a_project_row() {
        let outcome = validate(
            RecordKind::Project,
            &[
                (FieldKey::ProjectNumber, CellValue::Number(1001.0)),
                (FieldKey::ProjectName, text("Verkkosivut")),
                (FieldKey::CustomerNumber, text("00042")),
                (FieldKey::Status, text("Käynnissä")),
                (FieldKey::StartDate, text("1.3.2024")),
                (FieldKey::EndDate, text("2024-12-31")),
                (FieldKey::Value, text("12 500,50 €")),
                (FieldKey::ProjectManager, text("Matti")),
                (FieldKey::Branch, text("Ohjelmistot")),
                (FieldKey::ContactPerson, text("maija@esimerkki.fi")),
                (FieldKey::Description, text("Rivi 1\r\nRivi 2")),
            ],
        );
        assert!(outcome.issues.is_empty(), "{:?}", outcome.issues);
        let project = outcome.values.as_project().cloned().unwrap_or_default();
        assert_eq!(project.project_number, "1001");
        assert_eq!(project.value_cents, Some(1_250_050));
        assert_eq!(
            project.start_date,
            chrono::NaiveDate::from_ymd_opt(2024, 3, 1)
        );
        assert_eq!(project.description.as_deref(), Some("Rivi 1\nRivi 2"));
        assert_eq!(
            outcome.references.company.customer_number.as_deref(),
            Some("00042")
        );
        assert_eq!(outcome.references.project_manager.as_deref(), Some("Matti"));
    }

    #[test]
    fn bad_project_values() {
        let outcome = validate(
            RecordKind::Project,
            &[
                (FieldKey::ProjectNumber, text(" ")),
                (FieldKey::Name, text("Esimerkki Oy")),
                (FieldKey::StartDate, text("31.2.2024")),
                (FieldKey::Value, text("-5 €")),
                (FieldKey::Status, text("ehkä")),
            ],
        );
        assert_eq!(
            codes_of(&outcome),
            [
                "project_number.required",
                "project_name.required",
                "status.unknown",
                "date.impossible",
                "money.negative"
            ]
        );
        let outcome = validate(
            RecordKind::Project,
            &[
                (FieldKey::ProjectNumber, text("P1")),
                (FieldKey::ProjectName, text("X")),
                (FieldKey::Name, text("Esimerkki Oy")),
                (FieldKey::StartDate, text("3.4.2024")),
                (FieldKey::EndDate, text("1.4.2024")),
            ],
        );
        assert_eq!(codes_of(&outcome), ["date.end_before_start"]);
        assert_eq!(outcome.issues[0].location.column, Some(4));
    }

    #[test]
    fn ambiguous_dates_follow_the_columns_order() {
        let values = [
            (FieldKey::ProjectNumber, text("P1")),
            (FieldKey::ProjectName, text("X")),
            (FieldKey::Name, text("Esimerkki Oy")),
            (FieldKey::StartDate, text("3/4/2024")),
        ];
        assert_eq!(
            codes_of(&validate(RecordKind::Project, &values)),
            ["date.ambiguous"]
        );
        let validator = RecordValidator::new(RecordKind::Project, RowContext::default())
            .with_date_order(Some(DateOrder::MonthFirst));
        let mut cells = RowCells::new();
        for (column, (field, value)) in values.iter().enumerate() {
            cells.set(*field, Location::cell(2, column as u32), value.clone());
        }
        let mut outcome = RecordOutcome::default();
        validator.validate_into(&cells, &mut outcome);
        assert_eq!(codes_of(&outcome), ["date.order_assumed"]);
        assert_eq!(
            outcome.values.as_project().and_then(|p| p.start_date),
            chrono::NaiveDate::from_ymd_opt(2024, 3, 4)
        );
    }
}
