//! One kind of value from plain text: what `tuonti check KIND VALUE` runs.

use crate::checked::Sink;
use crate::country::{country_raw, find_country};
use crate::error::Error;
use crate::text::Raw;
use crate::{business_id, einvoice, email, iban, phone, postal_code, vat};
use std::fmt;
use std::str::FromStr;
use tuonti_domain::{FieldKey, Issue, Location};

/// A kind of value [`check`] validates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CheckKind {
    /// A Finnish business ID (`business-id`).
    BusinessId,
    /// A VAT number (`vat`).
    Vat,
    /// An e-invoice address (`e-invoice`).
    EInvoice,
    /// An IBAN (`iban`).
    Iban,
    /// An email address (`email`).
    Email,
    /// A phone number (`phone`).
    Phone,
    /// A postal code (`postal-code`).
    PostalCode,
    /// A country (`country`).
    Country,
}

impl CheckKind {
    /// Every kind, in the order of the command's help.
    pub const ALL: [CheckKind; 8] = [
        CheckKind::BusinessId,
        CheckKind::Vat,
        CheckKind::EInvoice,
        CheckKind::Iban,
        CheckKind::Email,
        CheckKind::Phone,
        CheckKind::PostalCode,
        CheckKind::Country,
    ];

    /// The command-line name: `business-id`, `vat`, `e-invoice`, `iban`, `email`, `phone`,
    /// `postal-code` or `country`.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckKind::BusinessId => "business-id",
            CheckKind::Vat => "vat",
            CheckKind::EInvoice => "e-invoice",
            CheckKind::Iban => "iban",
            CheckKind::Email => "email",
            CheckKind::Phone => "phone",
            CheckKind::PostalCode => "postal-code",
            CheckKind::Country => "country",
        }
    }

    /// The company field the kind validates (an IBAN is checked as an e-invoice address's).
    pub fn field(self) -> FieldKey {
        match self {
            CheckKind::BusinessId => FieldKey::BusinessId,
            CheckKind::Vat => FieldKey::VatNumber,
            CheckKind::EInvoice | CheckKind::Iban => FieldKey::EInvoiceAddress,
            CheckKind::Email => FieldKey::Email,
            CheckKind::Phone => FieldKey::Phone,
            CheckKind::PostalCode => FieldKey::PostalCode,
            CheckKind::Country => FieldKey::Country,
        }
    }
}

impl fmt::Display for CheckKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CheckKind {
    type Err = Error;

    /// Parses a command-line name, ignoring case, with `_` or `-`.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownCheckKind`] for any other name.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let trimmed = name.trim();
        CheckKind::ALL
            .into_iter()
            .find(|kind| {
                let known = kind.as_str();
                known.len() == trimmed.len()
                    && known
                        .bytes()
                        .zip(trimmed.bytes())
                        .all(|(a, b)| a == b.to_ascii_lowercase() || (a == b'-' && b == b'_'))
            })
            .ok_or_else(|| Error::UnknownCheckKind {
                name: name.to_owned(),
            })
    }
}

/// The outcome of [`check`].
#[derive(Debug, Clone, PartialEq)]
pub struct CheckOutcome {
    /// Whether the value is accepted: not empty and no error (warnings allowed).
    pub valid: bool,
    /// The canonical form, when accepted.
    pub normalized: Option<String>,
    /// The errors and warnings, with no cell location.
    pub issues: Vec<Issue>,
}

/// Validates one value of `kind` given as plain text, as `tuonti check KIND VALUE` does.
/// `default_country` (an ISO code or a country name; empty means `FI`) is the region of
/// phone numbers written without a country code and decides the postal code's form.
///
/// It runs the same rules as the single-value validators; the issues are theirs (see
/// [`business_id()`](crate::business_id()), [`vat_number`](crate::vat_number),
/// [`e_invoice_address`](crate::e_invoice_address), [`iban()`](crate::iban()),
/// [`email()`](crate::email()), [`phone()`](crate::phone()),
/// [`postal_code()`](crate::postal_code()), [`country()`](crate::country())). An empty value
/// is not valid and has no issues. A valid business ID in its canonical form costs one
/// allocation, the normalized string.
///
/// ```
/// use tuonti_validation::{check, CheckKind};
///
/// let kind: CheckKind = "business-id".parse()?;
/// let outcome = check(kind, "0112038 9", "FI");
/// assert!(outcome.valid);
/// assert_eq!(outcome.normalized.as_deref(), Some("0112038-9"));
/// assert_eq!(outcome.issues[0].code.as_str(), "business_id.normalized");
///
/// let phone = check(CheckKind::Phone, "040 123 4567", "");
/// assert_eq!(phone.normalized.as_deref(), Some("+358401234567"));
/// # Ok::<(), tuonti_validation::Error>(())
/// ```
pub fn check(kind: CheckKind, input: &str, default_country: &str) -> CheckOutcome {
    let location = Location::default();
    let mut issues = Vec::new();
    let raw = Raw::Text(input);
    let normalized = {
        let mut sink = Sink::new(kind.field(), &location, &mut issues);
        let region = resolve_region(default_country);
        match kind {
            CheckKind::BusinessId => business_id::business_id_raw(raw, &mut sink)
                .map(|digits| business_id::canonical(&digits)),
            CheckKind::Vat => vat::vat_raw(raw, &mut sink),
            CheckKind::EInvoice => {
                einvoice::e_invoice_raw(raw, &mut sink).map(|address| address.canonical)
            }
            CheckKind::Iban => iban::iban_raw(raw, &mut sink),
            CheckKind::Email => email::email_raw(raw, &mut sink),
            CheckKind::Phone => phone::phone_raw(raw, region, &mut sink).map(Into::into),
            CheckKind::PostalCode => {
                postal_code::postal_code_raw(raw, region, &mut sink).map(Into::into)
            }
            CheckKind::Country => {
                country_raw(raw, &mut sink).map(|country| country.alpha2.to_owned())
            }
        }
    };
    let valid = normalized.is_some() && !issues.iter().any(Issue::is_error);
    CheckOutcome {
        valid,
        normalized,
        issues,
    }
}

/// The alpha-2 code of a default country given as a code or a name; empty means `FI`; an
/// unknown one is passed on as given.
fn resolve_region(default_country: &str) -> &str {
    if default_country.trim().is_empty() {
        return "FI";
    }
    find_country(default_country).map_or(default_country, |country| country.alpha2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_back() {
        for kind in CheckKind::ALL {
            assert_eq!(kind.as_str().parse::<CheckKind>(), Ok(kind));
        }
        assert_eq!(
            "Postal_Code".parse::<CheckKind>(),
            Ok(CheckKind::PostalCode)
        );
        assert!(matches!(
            "shoe-size".parse::<CheckKind>(),
            Err(Error::UnknownCheckKind { .. })
        ));
    }

    #[test]
    fn business_ids() {
        let valid = check(CheckKind::BusinessId, "0112038-9", "FI");
        assert!(valid.valid && valid.issues.is_empty());
        let wrong = check(CheckKind::BusinessId, "0112038-8", "FI");
        assert!(!wrong.valid);
        assert_eq!(wrong.normalized, None);
        assert_eq!(wrong.issues[0].code.as_str(), "business_id.check_digit");
        assert!(!check(CheckKind::BusinessId, "", "FI").valid);
    }

    #[test]
    fn every_kind_runs() {
        for (kind, input, expected) in [
            (CheckKind::Vat, "FI01120389", "FI01120389"),
            (CheckKind::EInvoice, "003701120389", "003701120389"),
            (
                CheckKind::Iban,
                "FI21 1234 5600 0007 85",
                "FI2112345600000785",
            ),
            (CheckKind::Email, "info@esimerkki.fi", "info@esimerkki.fi"),
            (CheckKind::Phone, "09 123 4567", "+35891234567"),
            (CheckKind::PostalCode, "00100", "00100"),
            (CheckKind::Country, "Suomi", "FI"),
        ] {
            let outcome = check(kind, input, "Suomi");
            assert!(outcome.valid, "{kind}: {:?}", outcome.issues);
            assert_eq!(outcome.normalized.as_deref(), Some(expected), "{kind}");
        }
        let swedish = check(CheckKind::PostalCode, "11122", "SE");
        assert_eq!(swedish.normalized.as_deref(), Some("111 22"));
    }
}
