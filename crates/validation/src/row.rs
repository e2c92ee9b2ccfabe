//! A row of company data: cells by field to canonical company fields, overrides and issues.

use crate::business_id::{business_id_raw, canonical as business_id_canonical};
use crate::checked::Sink;
use crate::codes;
use crate::country::{Country, country_raw, find_alpha2, find_country};
use crate::einvoice::{e_invoice_raw, operator_raw, warn_other_company};
use crate::email::email_raw;
use crate::error::Error;
use crate::phone::phone_raw;
use crate::postal_code::postal_code_raw;
use crate::text::{Raw, text_raw};
use crate::vat::{finnish_business_id, vat_raw};
use crate::website::website_raw;
use std::borrow::Cow;
use tuonti_domain::{CellValue, CompanyFields, CompanyRef, FieldKey, Issue, Location};

/// What a row is validated against: the import's choices that change how values read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowContext {
    default_country: &'static Country,
}

impl RowContext {
    /// A context whose default country (for rows with an empty country, and the region of
    /// their phone numbers and postal codes) is `default_country`: an ISO code or a name.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownCountry`] when `default_country` is not a country.
    pub fn new(default_country: &str) -> Result<Self, Error> {
        let country = find_country(default_country).ok_or_else(|| Error::UnknownCountry {
            given: default_country.to_owned(),
        })?;
        Ok(Self {
            default_country: country,
        })
    }

    /// The default country's alpha-2 code.
    pub fn default_country(&self) -> &'static str {
        self.default_country.alpha2
    }
}

impl Default for RowContext {
    /// Finland.
    fn default() -> Self {
        Self {
            // FI is in the generated ISO list; the test `default_context_is_finland` keeps it.
            default_country: find_alpha2("FI").unwrap_or(&crate::country_data::COUNTRIES[0]),
        }
    }
}

/// One cell of a row: where it is and what it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct RowCell {
    /// The cell's location, used for its issues.
    pub location: Location,
    /// The value as read.
    pub value: CellValue,
}

/// The cells of one row, by field. Fill it with [`RowCells::set`], validate it, then
/// [`RowCells::clear`] it for the next row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RowCells {
    cells: [Option<RowCell>; FieldKey::ALL.len()],
    row: Location,
}

impl RowCells {
    /// An empty row.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the cell of `field`.
    pub fn set(&mut self, field: FieldKey, location: Location, value: CellValue) {
        self.cells[field as usize] = Some(RowCell { location, value });
    }

    /// Takes the cell of `field` out of the row (e.g. to give its value back to the row it was
    /// read from after validating, instead of having copied it in).
    pub fn take(&mut self, field: FieldKey) -> Option<RowCell> {
        self.cells.get_mut(field as usize).and_then(Option::take)
    }

    /// The cell of `field`, if the row has one.
    pub fn get(&self, field: FieldKey) -> Option<&RowCell> {
        self.cells.get(field as usize).and_then(Option::as_ref)
    }

    /// Where the row is, for issues of fields that have no cell (a missing name column):
    /// typically the file, sheet and row number.
    pub fn set_row_location(&mut self, location: Location) {
        self.row = location;
    }

    /// The row's location (see [`RowCells::set_row_location`]).
    pub fn row_location(&self) -> &Location {
        &self.row
    }

    /// Whether every cell is empty or blank: an importer usually skips such rows.
    pub fn is_blank(&self) -> bool {
        self.cells
            .iter()
            .flatten()
            .all(|cell| cell.value.is_blank())
    }

    /// Removes every cell and the row location.
    pub fn clear(&mut self) {
        for cell in &mut self.cells {
            *cell = None;
        }
        self.row = Location::default();
    }
}

/// The per-row choices and references of a row as cleaned text: resolving them to stored
/// records is the importer's job.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowOverrides {
    /// The company type named on the row.
    pub company_type: Option<String>,
    /// The customer group named on the row.
    pub customer_group: Option<String>,
    /// The account manager named on the row (an email or a name).
    pub account_manager: Option<String>,
    /// The company a contact or project row names (customer number, business ID
    /// canonical, name).
    pub company: CompanyRef,
    /// The project manager a project row names (an email or a name).
    pub project_manager: Option<String>,
    /// The branch a project row names.
    pub branch: Option<String>,
    /// The contact person a project row names (an email or a name).
    pub contact_person: Option<String>,
}

/// What a row gave: canonical company fields, overrides and every issue.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RowOutcome {
    /// The canonical fields; a field with an error is `None` (the name empty).
    pub fields: CompanyFields,
    /// The per-row choices.
    pub overrides: RowOverrides,
    /// The errors and warnings, in field order.
    pub issues: Vec<Issue>,
}

impl RowOutcome {
    /// Whether any issue is an error: such a row is rejected.
    pub fn has_errors(&self) -> bool {
        self.issues.iter().any(Issue::is_error)
    }

    /// Empties the outcome, keeping the issue list's memory.
    pub fn clear(&mut self) {
        self.fields = CompanyFields::default();
        self.overrides = RowOverrides::default();
        self.issues.clear();
    }
}

/// Validates rows: every field by its rules, the name required, and the checks across
/// fields: a Finnish VAT number or an OVT code of another company than the row's business
/// ID (warnings), the phone number and postal code read by the row's country.
///
/// Issues: those of every single-value validator ([`text()`](crate::text()),
/// [`business_id()`](crate::business_id()), [`vat_number`](crate::vat_number),
/// [`postal_code()`](crate::postal_code()), [`country()`](crate::country()),
/// [`phone()`](crate::phone()), [`email()`](crate::email()),
/// [`website()`](crate::website()), [`e_invoice_address`](crate::e_invoice_address),
/// [`e_invoice_operator`](crate::e_invoice_operator)), plus
/// [`NAME_REQUIRED`](codes::NAME_REQUIRED), [`VAT_OTHER_COMPANY`](codes::VAT_OTHER_COMPANY)
/// and [`E_INVOICE_OTHER_COMPANY`](codes::E_INVOICE_OTHER_COMPANY).
///
/// ```
/// use tuonti_domain::{CellValue, FieldKey, Location};
/// use tuonti_validation::{RowCells, RowContext, RowOutcome, RowValidator};
///
/// let validator = RowValidator::new(RowContext::new("FI")?);
/// let mut cells = RowCells::new();
/// let mut outcome = RowOutcome::default();
/// for row in 2..4 {
///     cells.clear();
///     cells.set(FieldKey::Name, Location::cell(row, 0), CellValue::Text("Esimerkki Oy".into()));
///     cells.set(FieldKey::Phone, Location::cell(row, 1), CellValue::Text("09 123 4567".into()));
///     validator.validate_into(&cells, &mut outcome);
///     assert_eq!(outcome.fields.phone.as_deref(), Some("+35891234567"));
///     assert_eq!(outcome.fields.country.as_deref(), Some("FI"));
/// }
/// # Ok::<(), tuonti_validation::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct RowValidator {
    context: RowContext,
}

impl RowValidator {
    /// A validator for rows of one import.
    pub fn new(context: RowContext) -> Self {
        Self { context }
    }

    /// The context rows are validated against.
    pub fn context(&self) -> &RowContext {
        &self.context
    }

    /// Validates one row into a new outcome.
    pub fn validate(&self, cells: &RowCells) -> RowOutcome {
        let mut outcome = RowOutcome::default();
        self.validate_into(cells, &mut outcome);
        outcome
    }

    /// Validates one row into `outcome`, which is cleared first; reusing one outcome for
    /// every row keeps the issue list's memory.
    pub fn validate_into(&self, cells: &RowCells, outcome: &mut RowOutcome) {
        outcome.clear();
        self.validate_company(
            cells,
            &mut outcome.fields,
            &mut outcome.overrides,
            &mut outcome.issues,
        );
    }

    /// [`RowValidator::validate_into`] into separate parts (cleared by the caller).
    pub(crate) fn validate_company(
        &self,
        cells: &RowCells,
        fields: &mut CompanyFields,
        overrides: &mut RowOverrides,
        issues: &mut Vec<Issue>,
    ) {
        let empty = CellValue::Empty;
        // Each field's cell, or an empty one at the row's location.
        let cell = |field: FieldKey| -> (Raw<'_>, &Location) {
            match cells.get(field) {
                Some(cell) => (Raw::from_cell(&cell.value), &cell.location),
                None => (Raw::Cell(&empty), &cells.row),
            }
        };

        let (raw, location) = cell(FieldKey::Country);
        let country = {
            let mut sink = Sink::new(FieldKey::Country, location, issues);
            match raw {
                Raw::Cell(value) if value.is_blank() => Some(self.context.default_country),
                Raw::Text(text) if text.trim().is_empty() => Some(self.context.default_country),
                _ => country_raw(raw, &mut sink),
            }
        };
        fields.country = country.map(|country| country.alpha2.to_owned());
        let region = country.unwrap_or(self.context.default_country).alpha2;

        let (raw, location) = cell(FieldKey::Name);
        {
            let mut sink = Sink::new(FieldKey::Name, location, issues);
            match text_raw(raw, &mut sink) {
                Some(name) => fields.name = name.into_owned(),
                None if !sink.has_errors() => sink.error(
                    codes::NAME_REQUIRED,
                    "Yrityksen nimi puuttuu; nimi on pakollinen (esimerkiksi Esimerkki Oy).".into(),
                    "Företagets namn saknas; ett namn är obligatoriskt (till exempel Exempel Ab)."
                        .into(),
                    "The company name is missing; a name is required (e.g. Example Ltd).".into(),
                ),
                None => {}
            }
        }

        for field in [
            FieldKey::NameExtension,
            FieldKey::StreetAddress,
            FieldKey::City,
            FieldKey::CustomerNumber,
            FieldKey::Notes,
        ] {
            let (raw, location) = cell(field);
            let mut sink = Sink::new(field, location, issues);
            let value = text_raw(raw, &mut sink).map(Cow::into_owned);
            if let Some(slot) = fields.optional_field_mut(field) {
                *slot = value;
            }
        }

        let (raw, location) = cell(FieldKey::BusinessId);
        let business_id =
            business_id_raw(raw, &mut Sink::new(FieldKey::BusinessId, location, issues));
        fields.business_id = business_id.as_ref().map(business_id_canonical);

        let (raw, location) = cell(FieldKey::VatNumber);
        {
            let mut sink = Sink::new(FieldKey::VatNumber, location, issues);
            let vat = vat_raw(raw, &mut sink);
            if let (Some(vat), Some(row_id)) = (&vat, &fields.business_id)
                && let Some(vat_id) = finnish_business_id(vat)
                && &vat_id != row_id
            {
                let expected = format!("FI{}", row_id.replace('-', ""));
                sink.warning(
                    codes::VAT_OTHER_COMPANY,
                    format!(
                        "ALV-numero {vat} ei vastaa rivin Y-tunnusta {row_id} (odotettiin {expected}); se hyväksytään, koska arvonlisäveroryhmän numero voi olla toisen yrityksen."
                    ),
                    format!(
                        "Momsnumret {vat} motsvarar inte radens FO-nummer {row_id} (väntade {expected}); det godkänns, eftersom en momsgrupps nummer kan vara ett annat företags."
                    ),
                    format!(
                        "VAT number {vat} does not match the row's business ID {row_id} (expected {expected}); it is accepted, as a VAT group's number may be another company's."
                    ),
                );
            }
            fields.vat_number = vat;
        }

        let (raw, location) = cell(FieldKey::PostalCode);
        fields.postal_code = postal_code_raw(
            raw,
            region,
            &mut Sink::new(FieldKey::PostalCode, location, issues),
        )
        .map(Cow::into_owned);

        let (raw, location) = cell(FieldKey::Phone);
        fields.phone = phone_raw(
            raw,
            region,
            &mut Sink::new(FieldKey::Phone, location, issues),
        )
        .map(Cow::into_owned);

        let (raw, location) = cell(FieldKey::Email);
        fields.email = email_raw(raw, &mut Sink::new(FieldKey::Email, location, issues));

        let (raw, location) = cell(FieldKey::Website);
        fields.website = website_raw(raw, &mut Sink::new(FieldKey::Website, location, issues));

        let (raw, location) = cell(FieldKey::EInvoiceAddress);
        {
            let mut sink = Sink::new(FieldKey::EInvoiceAddress, location, issues);
            let address = e_invoice_raw(raw, &mut sink);
            if let Some(address) = &address
                && let (Some(ovt_id), Some(row_id)) = (&address.business_id, &business_id)
            {
                warn_other_company(&address.canonical, ovt_id, row_id, &mut sink);
            }
            fields.e_invoice_address = address.map(|address| address.canonical);
        }

        let (raw, location) = cell(FieldKey::EInvoiceOperator);
        fields.e_invoice_operator = operator_raw(
            raw,
            &mut Sink::new(FieldKey::EInvoiceOperator, location, issues),
        );

        for (field, slot) in [
            (FieldKey::CompanyType, &mut overrides.company_type),
            (FieldKey::CustomerGroup, &mut overrides.customer_group),
            (FieldKey::AccountManager, &mut overrides.account_manager),
        ] {
            let (raw, location) = cell(field);
            *slot = text_raw(raw, &mut Sink::new(field, location, issues)).map(Cow::into_owned);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(value: &str) -> CellValue {
        CellValue::Text(value.into())
    }

    fn codes_of(outcome: &RowOutcome) -> Vec<&str> {
        outcome.issues.iter().map(|i| i.code.as_str()).collect()
    }

    #[test]
    fn default_context_is_finland() {
        assert_eq!(RowContext::default().default_country(), "FI");
        assert_eq!(
            RowContext::new("Ruotsi").map(|c| c.default_country()),
            Ok("SE")
        );
        assert!(matches!(
            RowContext::new("Atlantis"),
            Err(Error::UnknownCountry { .. })
        ));
    }

    #[test]
    fn name_is_required_at_its_cell_or_the_row() {
        let validator = RowValidator::default();
        let mut cells = RowCells::new();
        cells.set_row_location(Location::cell(4, 0).in_sheet("Yritykset"));
        let outcome = validator.validate(&cells);
        assert_eq!(codes_of(&outcome), ["name.required"]);
        assert_eq!(outcome.issues[0].location.row, Some(4));
        assert_eq!(outcome.issues[0].location.field, Some(FieldKey::Name));
        cells.set(FieldKey::Name, Location::cell(4, 2), text("  "));
        let outcome = validator.validate(&cells);
        assert_eq!(outcome.issues[0].location.column, Some(2));
    }

    #[test]
    fn a_full_row() {
        let validator = RowValidator::new(RowContext::new("FI").unwrap());
        let mut cells = RowCells::new();
        let values = [
            (FieldKey::Name, text(" Esimerkki Oy ")),
            (FieldKey::NameExtension, CellValue::Empty),
            (FieldKey::BusinessId, text("0112038-9")),
            (FieldKey::VatNumber, text("FI01120389")),
            (FieldKey::StreetAddress, text("Mannerheimintie 1\r\nA 2")),
            (FieldKey::PostalCode, CellValue::Number(100.0)),
            (FieldKey::City, text("Helsinki")),
            (FieldKey::Country, text("Suomi")),
            (FieldKey::Phone, text("09 123 4567")),
            (FieldKey::Email, text("info@esimerkki.fi")),
            (FieldKey::Website, text("www.esimerkki.fi")),
            (FieldKey::EInvoiceAddress, text("003701120389")),
            (FieldKey::EInvoiceOperator, text("NDEAFIHH")),
            (FieldKey::CompanyType, text(" Asiakas ")),
            (FieldKey::CustomerGroup, text("Helsinki")),
            (FieldKey::AccountManager, text("matti@esimerkki.fi")),
        ];
        for (column, (field, value)) in values.into_iter().enumerate() {
            cells.set(field, Location::cell(2, column as u32), value);
        }
        let outcome = validator.validate(&cells);
        assert_eq!(codes_of(&outcome), ["postal_code.padded"]);
        let fields = &outcome.fields;
        assert_eq!(fields.name, "Esimerkki Oy");
        assert_eq!(fields.business_id.as_deref(), Some("0112038-9"));
        assert_eq!(fields.vat_number.as_deref(), Some("FI01120389"));
        assert_eq!(
            fields.street_address.as_deref(),
            Some("Mannerheimintie 1\nA 2")
        );
        assert_eq!(fields.postal_code.as_deref(), Some("00100"));
        assert_eq!(fields.country.as_deref(), Some("FI"));
        assert_eq!(fields.phone.as_deref(), Some("+35891234567"));
        assert_eq!(fields.website.as_deref(), Some("https://www.esimerkki.fi"));
        assert_eq!(fields.e_invoice_address.as_deref(), Some("003701120389"));
        assert_eq!(fields.e_invoice_operator.as_deref(), Some("NDEAFIHH"));
        assert_eq!(outcome.overrides.company_type.as_deref(), Some("Asiakas"));
        assert_eq!(
            outcome.overrides.account_manager.as_deref(),
            Some("matti@esimerkki.fi")
        );
        assert!(!outcome.has_errors());
    }

    #[test]
    fn cross_field_warnings() {
        let validator = RowValidator::default();
        let mut cells = RowCells::new();
        cells.set(FieldKey::Name, Location::cell(2, 0), text("Esimerkki Oy"));
        cells.set(
            FieldKey::BusinessId,
            Location::cell(2, 1),
            text("0112038-9"),
        );
        cells.set(
            FieldKey::VatNumber,
            Location::cell(2, 2),
            text("FI20774740"),
        );
        cells.set(
            FieldKey::EInvoiceAddress,
            Location::cell(2, 3),
            text("003720774740"),
        );
        let outcome = validator.validate(&cells);
        assert_eq!(
            codes_of(&outcome),
            ["vat.other_company", "e_invoice.other_company"]
        );
        assert_eq!(outcome.issues[0].location.column, Some(2));
        assert_eq!(outcome.fields.vat_number.as_deref(), Some("FI20774740"));
        assert!(!outcome.has_errors());
    }

    #[test]
    fn the_rows_country_reads_phone_and_postal_code() {
        let validator = RowValidator::default();
        let mut cells = RowCells::new();
        cells.set(FieldKey::Name, Location::cell(2, 0), text("Exempel AB"));
        cells.set(FieldKey::Country, Location::cell(2, 1), text("Sverige"));
        cells.set(FieldKey::Phone, Location::cell(2, 2), text("08-123 456 78"));
        cells.set(FieldKey::PostalCode, Location::cell(2, 3), text("111 22"));
        let outcome = validator.validate(&cells);
        assert!(outcome.issues.is_empty(), "{:?}", outcome.issues);
        assert_eq!(outcome.fields.country.as_deref(), Some("SE"));
        assert_eq!(outcome.fields.phone.as_deref(), Some("+46812345678"));
        assert_eq!(outcome.fields.postal_code.as_deref(), Some("111 22"));
    }

    #[test]
    fn outcomes_are_reused() {
        let validator = RowValidator::default();
        let mut cells = RowCells::new();
        let mut outcome = RowOutcome::default();
        cells.set(
            FieldKey::BusinessId,
            Location::cell(2, 1),
            text("0112038-8"),
        );
        validator.validate_into(&cells, &mut outcome);
        assert_eq!(
            codes_of(&outcome),
            ["name.required", "business_id.check_digit"]
        );
        assert!(outcome.has_errors());
        cells.clear();
        assert!(cells.is_blank());
        cells.set(FieldKey::Name, Location::cell(3, 0), text("B Oy"));
        validator.validate_into(&cells, &mut outcome);
        assert!(outcome.issues.is_empty());
        assert_eq!(outcome.fields.business_id, None);
    }
}
