//! Validation of imported company and project data: from typed cells to canonical values and issues.
//!
//! This crate knows no file format and no database. It takes
//! [`CellValue`](tuonti_domain::CellValue)s, each with the [`Location`](tuonti_domain::Location)
//! of its cell, and gives canonical values plus [`Issue`](tuonti_domain::Issue)s: errors
//! reject a value (and its row), warnings keep it. Bad data is never an [`Error`]; the one
//! error type is for calls that cannot go on, such as an unknown check kind.
//!
//! - Single-value validators, each returning a [`Checked`] value: [`business_id()`] (Y-tunnus),
//!   [`vat_number`], [`e_invoice_address`], [`e_invoice_operator`], [`iban()`], [`email()`],
//!   [`phone()`], [`postal_code()`], [`country()`], [`website()`] and [`text()`] for free text.
//!   Every text value is first cleaned by the same rules: Unicode NFC, trimmed (no-break
//!   spaces included), no control or bidi characters, no invisible characters in
//!   identifiers, within the field's length limit ([`FieldSpec::max_len`](tuonti_domain::FieldSpec)),
//!   and a warning when it looks like a formula ([`escape_csv_formula`] for CSV output).
//! - Project values: [`date()`] (start and end dates: date cells, Excel serial numbers,
//!   `d.m.yyyy`, ISO 8601, and slash dates read in the order a [`DateOrderVote`] learns from
//!   the column), [`check_date_range`] (no end before the start), [`money`] (euros to exact
//!   integer cents; [`format_cents`] and [`format_euros_fi`] write them back) and
//!   [`project_status`] (Finnish, Swedish and English words).
//! - [`check`] with a [`CheckKind`]: one value from plain text, as `tuonti check KIND VALUE`.
//! - [`RowValidator`]: a row's [`RowCells`] to [`CompanyFields`](tuonti_domain::CompanyFields),
//!   the per-row [`RowOverrides`] and all issues, with the checks across fields.
//! - [`countries`]: every ISO 3166 country with its Finnish, Swedish and English names.
//!
//! Every issue code is a constant in [`codes`].
//!
//! # Example
//!
//! ```
//! use tuonti_domain::{CellValue, FieldKey, Location};
//! use tuonti_validation::{check, CheckKind, RowCells, RowContext, RowValidator};
//!
//! // One value, as the command line checks it.
//! let outcome = check("business-id".parse::<CheckKind>()?, "FI01120389", "FI");
//! assert_eq!(outcome.normalized.as_deref(), Some("0112038-9"));
//! assert_eq!(outcome.issues[0].code.as_str(), "business_id.normalized");
//!
//! // A row read from a sheet.
//! let validator = RowValidator::new(RowContext::new("FI")?);
//! let mut cells = RowCells::new();
//! cells.set(FieldKey::Name, Location::cell(2, 0), CellValue::Text("Esimerkki Oy".into()));
//! cells.set(FieldKey::BusinessId, Location::cell(2, 1), CellValue::Text("0112038-8".into()));
//! cells.set(FieldKey::PostalCode, Location::cell(2, 2), CellValue::Number(100.0));
//! let row = validator.validate(&cells);
//! assert_eq!(row.fields.postal_code.as_deref(), Some("00100"));
//! let first = &row.issues[0];
//! assert_eq!(first.code.as_str(), "business_id.check_digit");
//! assert_eq!(first.location.cell_ref().as_deref(), Some("B2"));
//! assert!(row.has_errors());
//! # Ok::<(), tuonti_validation::Error>(())
//! ```

#![warn(missing_docs)]

mod business_id;
mod check;
mod checked;
pub mod codes;
mod country;
mod country_data;
mod date;
mod einvoice;
mod email;
mod error;
mod iban;
mod money;
mod phone;
mod postal_code;
mod record;
mod row;
mod status;
mod text;
mod vat;
mod website;

pub use business_id::{business_id, business_id_check_digit, is_valid_business_id_digits};
pub use check::{CheckKind, CheckOutcome, check};
pub use checked::Checked;
pub use country::{Country, countries, country, find_country};
pub use date::{DateOrder, DateOrderVote, check_date_range, date};
pub use einvoice::{e_invoice_address, e_invoice_operator};
pub use email::email;
pub use error::Error;
pub use iban::{format_iban, iban, is_bic};
pub use money::{MAX_MONEY_CENTS, format_cents, format_euros_fi, money};
pub use phone::{load_phone_metadata, phone};
pub use postal_code::postal_code;
pub use record::{RecordOutcome, RecordValidator};
pub use row::{RowCell, RowCells, RowContext, RowOutcome, RowOverrides, RowValidator};
pub use status::{project_status, status_words};
pub use text::text;
pub use tuonti_domain::{escape_csv_formula, is_formula_like};
pub use vat::{VAT_COUNTRIES, vat_number};
pub use website::website;
