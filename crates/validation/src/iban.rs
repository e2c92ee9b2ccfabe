//! IBAN (ISO 13616) and BIC (ISO 9362).

use crate::checked::{Checked, Sink, run};
use crate::codes;
use crate::country::find_alpha2;
use crate::text::{Prepared, Raw, prepare, shown};
use iban::{Iban, ParseBaseIbanError, ParseIbanError};
use tuonti_domain::{CellValue, FieldKey, Location};

/// Why a text is not an IBAN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IbanProblem {
    Format,
    CheckDigits,
    Country,
    CountryFormat,
}

/// Removes spaces and dashes and upper-cases; `None` when another character remains.
pub(crate) fn compact_alnum(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_uppercase());
        } else if !(c.is_whitespace() || c == '-') {
            return None;
        }
    }
    Some(out)
}

/// Parses a compact, upper-case IBAN.
pub(crate) fn parse_compact(compact: &str) -> Result<Iban, IbanProblem> {
    compact.parse::<Iban>().map_err(|error| match error {
        ParseIbanError::InvalidBaseIban {
            source: ParseBaseIbanError::InvalidChecksum,
        } => IbanProblem::CheckDigits,
        ParseIbanError::InvalidBaseIban { .. } => IbanProblem::Format,
        ParseIbanError::UnknownCountry(_) => IbanProblem::Country,
        ParseIbanError::InvalidBban(_) => IbanProblem::CountryFormat,
    })
}

/// An IBAN in groups of four, as printed: `FI21 1234 5600 0007 85`.
///
/// ```
/// assert_eq!(tuonti_validation::format_iban("FI2112345600000785"), "FI21 1234 5600 0007 85");
/// ```
pub fn format_iban(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() + compact.len() / 4);
    for (index, c) in compact.chars().enumerate() {
        if index > 0 && index % 4 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Validates an IBAN (ISO 13616): the country's length and account format, and the mod 97
/// check digits. Spaces, dashes and lower case are accepted. The value is compact upper case
/// (`FI2112345600000785`); show it with [`format_iban`].
///
/// Issues: [`IBAN_FORMAT`](codes::IBAN_FORMAT), [`IBAN_CHECK_DIGITS`](codes::IBAN_CHECK_DIGITS),
/// [`IBAN_COUNTRY`](codes::IBAN_COUNTRY), [`IBAN_COUNTRY_FORMAT`](codes::IBAN_COUNTRY_FORMAT)
/// (errors), and the shared `text.*` and `cell.*` issues. The issues carry the field
/// [`FieldKey::EInvoiceAddress`] unless the location names another field: the company
/// fields hold an IBAN only as an e-invoice address.
///
/// ```
/// use tuonti_domain::{CellValue, Location};
/// let checked = tuonti_validation::iban(
///     &CellValue::Text("fi21 1234 5600 0007 85".into()),
///     &Location::default(),
/// );
/// assert_eq!(checked.value.as_deref(), Some("FI2112345600000785"));
/// ```
pub fn iban(cell: &CellValue, location: &Location) -> Checked<String> {
    run(FieldKey::EInvoiceAddress, location, |sink| {
        iban_raw(Raw::from_cell(cell), sink)
    })
}

pub(crate) fn iban_raw(raw: Raw<'_>, sink: &mut Sink<'_>) -> Option<String> {
    let text = match prepare(raw, sink) {
        Prepared::Empty | Prepared::Rejected => return None,
        Prepared::Number(number) => CellValue::Number(number).to_string().into(),
        Prepared::Text(text) => text,
    };
    let result = compact_alnum(&text)
        .ok_or(IbanProblem::Format)
        .and_then(|compact| parse_compact(&compact).map(|_| compact));
    match result {
        Ok(compact) => Some(compact),
        Err(problem) => {
            report(problem, &shown(&text), sink);
            None
        }
    }
}

/// Reports why a value is not an IBAN.
pub(crate) fn report(problem: IbanProblem, shown_value: &str, sink: &mut Sink<'_>) {
    let country = shown_value.get(..2).unwrap_or("").to_ascii_uppercase();
    match problem {
        IbanProblem::Format => sink.error(
            codes::IBAN_FORMAT,
            format!(
                "IBAN \"{shown_value}\" ei ole IBAN-muotoa: maatunnus, kaksi tarkistusnumeroa ja tilinumero, esimerkiksi FI21 1234 5600 0007 85."
            ),
            format!(
                "IBAN \"{shown_value}\" har inte IBAN-formen: en landskod, två kontrollsiffror och kontonumret, till exempel FI21 1234 5600 0007 85."
            ),
            format!(
                "IBAN \"{shown_value}\" is not of the IBAN form: a country code, two check digits and the account, e.g. FI21 1234 5600 0007 85."
            ),
        ),
        IbanProblem::CheckDigits => sink.error(
            codes::IBAN_CHECK_DIGITS,
            format!(
                "IBAN \"{shown_value}\": tarkistusnumerot eivät täsmää (mod 97): jokin merkki on väärin, puuttuu tai on ylimääräinen. Tarkista numero (esimerkiksi FI21 1234 5600 0007 85)."
            ),
            format!(
                "IBAN \"{shown_value}\": kontrollsiffrorna stämmer inte (mod 97): ett tecken är fel, saknas eller är för mycket. Kontrollera numret (till exempel FI21 1234 5600 0007 85)."
            ),
            format!(
                "IBAN \"{shown_value}\": the check digits do not match (mod 97): a character is wrong, missing or extra. Check the number (e.g. FI21 1234 5600 0007 85)."
            ),
        ),
        IbanProblem::Country => sink.error(
            codes::IBAN_COUNTRY,
            format!(
                "IBAN \"{shown_value}\": maalla {country} ei ole IBAN-tilinumeroita; odotettiin esimerkiksi FI21 1234 5600 0007 85."
            ),
            format!(
                "IBAN \"{shown_value}\": landet {country} har inga IBAN-nummer; väntade till exempel FI21 1234 5600 0007 85."
            ),
            format!(
                "IBAN \"{shown_value}\": the country {country} has no IBANs; expected e.g. FI21 1234 5600 0007 85."
            ),
        ),
        IbanProblem::CountryFormat => sink.error(
            codes::IBAN_COUNTRY_FORMAT,
            format!(
                "IBAN \"{shown_value}\": tilinumeron pituus tai muoto ei vastaa maan {country} IBAN-muotoa (Suomessa 18 merkkiä, FI21 1234 5600 0007 85)."
            ),
            format!(
                "IBAN \"{shown_value}\": kontonumrets längd eller form motsvarar inte IBAN-formatet för {country} (i Finland 18 tecken, FI21 1234 5600 0007 85)."
            ),
            format!(
                "IBAN \"{shown_value}\": the length or form of the account does not match the IBAN format of {country} (in Finland 18 characters, FI21 1234 5600 0007 85)."
            ),
        ),
    }
}

/// Whether a compact upper-case text is a BIC (ISO 9362): four letters for the institution,
/// an ISO 3166 country code, two letters or digits for the location and an optional branch
/// of three letters or digits.
///
/// ```
/// assert!(tuonti_validation::is_bic("NDEAFIHH"));
/// assert!(tuonti_validation::is_bic("OKOYFIHHXXX"));
/// assert!(!tuonti_validation::is_bic("NDEAQQHH"));
/// ```
pub fn is_bic(compact: &str) -> bool {
    let bytes = compact.as_bytes();
    (bytes.len() == 8 || bytes.len() == 11)
        && bytes[..4].iter().all(u8::is_ascii_uppercase)
        && bytes[4..6].iter().all(u8::is_ascii_uppercase)
        && find_alpha2(&compact[4..6]).is_some()
        && bytes[6..]
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes_of(input: &str) -> Vec<String> {
        iban(&CellValue::Text(input.into()), &Location::default())
            .issues
            .iter()
            .map(|i| i.code.to_string())
            .collect()
    }

    #[test]
    fn problems_have_their_codes() {
        assert!(codes_of("FI21 1234 5600 0007 85").is_empty());
        assert_eq!(codes_of("FI21 1234 5600 0007 86"), ["iban.check_digits"]);
        assert_eq!(codes_of("FI21 1234 5600 0007 8"), ["iban.country_format"]);
        assert_eq!(codes_of("QQ92 1234 5600 0007 85"), ["iban.country"]);
        assert_eq!(codes_of("FI21 1234 5600 0007 8#"), ["iban.format"]);
        assert_eq!(codes_of("12"), ["iban.format"]);
    }

    #[test]
    fn groups_of_four() {
        assert_eq!(
            format_iban("DE44500105175407324931"),
            "DE44 5001 0517 5407 3249 31"
        );
    }
}
