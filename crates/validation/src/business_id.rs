//! The Finnish business ID (Y-tunnus): seven digits, a dash and a check digit.

use crate::checked::{Checked, Sink, run};
use crate::codes;
use crate::text::{Prepared, Raw, prepare, shown};
use tuonti_domain::{CellValue, FieldKey, Location};

const WEIGHTS: [u32; 7] = [7, 9, 10, 5, 8, 4, 2];

/// The check digit of a business ID's first seven digits (each `0..=9`), or `None` when the
/// weighted sum leaves remainder 1, which no check digit can make valid.
///
/// Weights 7, 9, 10, 5, 8, 4, 2; sum mod 11; remainder 0 gives 0, else 11 minus the
/// remainder.
///
/// ```
/// assert_eq!(tuonti_validation::business_id_check_digit([0, 1, 1, 2, 0, 3, 8]), Some(9));
/// // 1234568: 7 + 18 + 30 + 20 + 40 + 24 + 16 = 155, remainder 1.
/// assert_eq!(tuonti_validation::business_id_check_digit([1, 2, 3, 4, 5, 6, 8]), None);
/// ```
pub fn business_id_check_digit(base: [u8; 7]) -> Option<u8> {
    let sum: u32 = base
        .iter()
        .zip(WEIGHTS)
        .map(|(digit, weight)| u32::from(*digit) * weight)
        .sum();
    match sum % 11 {
        0 => Some(0),
        1 => None,
        remainder => u8::try_from(11 - remainder).ok(),
    }
}

/// Whether eight digits (`0..=9`) form a valid business ID: the last is the check digit of
/// the first seven.
pub fn is_valid_business_id_digits(digits: &[u8; 8]) -> bool {
    let mut base = [0u8; 7];
    base.copy_from_slice(&digits[..7]);
    business_id_check_digit(base) == Some(digits[7])
}

/// The digits of a business ID read from text, and whether the text was in another form
/// than `1234567-8`.
pub(crate) struct Parsed {
    pub(crate) digits: [u8; 8],
    pub(crate) normalized: bool,
}

/// Why a text is not a business ID.
pub(crate) enum FormatProblem {
    /// Seven digits: a leading zero (or the check digit) is missing.
    SevenDigits,
    /// Anything else.
    Other,
}

fn dash_like(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe58}' | '\u{fe63}' | '\u{ff0d}'
    )
}

/// Reads a business ID from clean text. Accepts a missing dash, inner spaces, Unicode dashes,
/// fullwidth digits and a leading `FI` (the VAT form), noting that the form was not canonical.
pub(crate) fn parse_text(text: &str) -> Result<Parsed, FormatProblem> {
    let mut normalized = false;
    let mut rest = text;
    if let Some(prefix) = rest.get(..2)
        && prefix.eq_ignore_ascii_case("FI")
    {
        // A separator right after the prefix (`FI-01120389`, `FI 0112038-9`) is no dash of
        // the business ID.
        rest = rest[2..].trim_start_matches(|c: char| c.is_whitespace() || dash_like(c));
        normalized = true;
    }
    let mut digits = [0u8; 8];
    let mut n_digits = 0usize;
    let mut dash_at = None;
    for c in rest.chars() {
        let digit = match c {
            '0'..='9' => Some(c as u32 - '0' as u32),
            '\u{ff10}'..='\u{ff19}' => {
                normalized = true;
                Some(c as u32 - 0xff10)
            }
            _ => None,
        };
        if let Some(digit) = digit {
            if n_digits == 8 {
                return Err(FormatProblem::Other);
            }
            // A digit is below 10, so it fits a u8.
            digits[n_digits] = digit as u8;
            n_digits += 1;
        } else if dash_like(c) {
            if c != '-' {
                normalized = true;
            }
            if dash_at.is_some() {
                return Err(FormatProblem::Other);
            }
            dash_at = Some(n_digits);
        } else if c.is_whitespace() {
            normalized = true;
        } else {
            return Err(FormatProblem::Other);
        }
    }
    match (n_digits, dash_at) {
        (8, Some(7)) => Ok(Parsed { digits, normalized }),
        (8, None) => Ok(Parsed {
            digits,
            normalized: true,
        }),
        (7, Some(6)) | (7, None) => Err(FormatProblem::SevenDigits),
        _ => Err(FormatProblem::Other),
    }
}

/// Writes eight digits in the canonical form `1234567-8`.
pub(crate) fn canonical(digits: &[u8; 8]) -> String {
    let mut out = String::with_capacity(9);
    for (index, digit) in digits.iter().enumerate() {
        if index == 7 {
            out.push('-');
        }
        out.push(char::from(b'0' + digit));
    }
    out
}

/// Checks the check digit of parsed digits, reporting the error; `true` when valid.
pub(crate) fn check_digits(digits: &[u8; 8], shown_value: &str, sink: &mut Sink<'_>) -> bool {
    let mut base = [0u8; 7];
    base.copy_from_slice(&digits[..7]);
    match business_id_check_digit(base) {
        Some(expected) if expected == digits[7] => true,
        Some(expected) => {
            let given = digits[7];
            sink.error(
                codes::BUSINESS_ID_CHECK_DIGIT,
                format!(
                    "Y-tunnus \"{shown_value}\": tarkistusnumero on {given}, mutta seitsemästä ensimmäisestä numerosta laskettuna sen pitäisi olla {expected}. Tarkista tunnus (muoto 1234567-8)."
                ),
                format!(
                    "FO-nummer \"{shown_value}\": kontrollsiffran är {given}, men enligt de sju första siffrorna borde den vara {expected}. Kontrollera numret (formen 1234567-8)."
                ),
                format!(
                    "Business ID \"{shown_value}\": the check digit is {given}, but the first seven digits give {expected}. Check the ID (form 1234567-8)."
                ),
            );
            false
        }
        None => {
            sink.error(
                codes::BUSINESS_ID_NO_VALID_CHECK_DIGIT,
                format!(
                    "Y-tunnus \"{shown_value}\": seitsemästä ensimmäisestä numerosta jää jakojäännös 1, joten mikään tarkistusnumero ei tee tunnuksesta kelvollista. Tarkista tunnus (muoto 1234567-8)."
                ),
                format!(
                    "FO-nummer \"{shown_value}\": de sju första siffrorna ger resten 1, så ingen kontrollsiffra kan göra numret giltigt. Kontrollera numret (formen 1234567-8)."
                ),
                format!(
                    "Business ID \"{shown_value}\": the first seven digits leave remainder 1, so no check digit can make the ID valid. Check the ID (form 1234567-8)."
                ),
            );
            false
        }
    }
}

/// Validates a Finnish business ID (Y-tunnus), optional: `1234567-8`, the last digit a check
/// digit over the first seven (see [`business_id_check_digit`]). The value is the canonical
/// form `1234567-8`.
///
/// A text value may have no dash, inner spaces, a Unicode dash, fullwidth digits or a leading
/// `FI` (the VAT form): it is normalized with a warning. A text value is never padded:
/// `678858-0` is an error. A numeric cell (Excel dropped the leading zero) is padded to eight
/// digits with a warning.
///
/// Issues: [`BUSINESS_ID_FORMAT`](codes::BUSINESS_ID_FORMAT),
/// [`BUSINESS_ID_CHECK_DIGIT`](codes::BUSINESS_ID_CHECK_DIGIT),
/// [`BUSINESS_ID_NO_VALID_CHECK_DIGIT`](codes::BUSINESS_ID_NO_VALID_CHECK_DIGIT) (errors);
/// [`BUSINESS_ID_NORMALIZED`](codes::BUSINESS_ID_NORMALIZED),
/// [`BUSINESS_ID_PADDED`](codes::BUSINESS_ID_PADDED) (warnings); and the shared text and cell
/// issues (`text.*`, `cell.*`).
///
/// ```
/// use tuonti_domain::{CellValue, Location};
/// use tuonti_validation::business_id;
///
/// let checked = business_id(&CellValue::Text("0112038-9".into()), &Location::cell(2, 2));
/// assert_eq!(checked.value.as_deref(), Some("0112038-9"));
/// assert!(checked.issues.is_empty());
///
/// let padded = business_id(&CellValue::Number(112038.9e1), &Location::cell(3, 2));
/// assert_eq!(padded.value.as_deref(), Some("0112038-9"));
/// assert!(padded.has("business_id.padded"));
/// ```
pub fn business_id(cell: &CellValue, location: &Location) -> Checked<String> {
    run(FieldKey::BusinessId, location, |sink| {
        business_id_raw(Raw::from_cell(cell), sink).map(|digits| canonical(&digits))
    })
}

/// Validates and returns the eight digits.
pub(crate) fn business_id_raw(raw: Raw<'_>, sink: &mut Sink<'_>) -> Option<[u8; 8]> {
    match prepare(raw, sink) {
        Prepared::Empty | Prepared::Rejected => None,
        Prepared::Number(number) => from_number(number, sink),
        Prepared::Text(text) => from_text(&text, sink),
    }
}

fn from_number(number: f64, sink: &mut Sink<'_>) -> Option<[u8; 8]> {
    let shown_value = CellValue::Number(number).to_string();
    if !(number.fract() == 0.0 && (0.0..1e8).contains(&number)) {
        format_error(&shown_value, false, sink);
        return None;
    }
    // An integral value in 0..1e8 fits a u32 exactly.
    let mut value = number as u32;
    let mut digits = [0u8; 8];
    for slot in digits.iter_mut().rev() {
        *slot = (value % 10) as u8;
        value /= 10;
    }
    if !check_digits(&digits, &shown_value, sink) {
        return None;
    }
    let canonical_value = canonical(&digits);
    if number < 1e7 {
        sink.warning(
            codes::BUSINESS_ID_PADDED,
            format!(
                "Y-tunnus oli numerosolussa {shown_value}, josta etunollat puuttuivat; se täydennettiin muotoon {canonical_value}. Muotoile sarake tekstiksi."
            ),
            format!(
                "FO-numret var talet {shown_value}, utan sina inledande nollor; det fylldes ut till {canonical_value}. Formatera kolumnen som text."
            ),
            format!(
                "The business ID was the number {shown_value}, without its leading zeros; it was padded to {canonical_value}. Format the column as text."
            ),
        );
    } else {
        normalized_warning(&shown_value, &canonical_value, sink);
    }
    Some(digits)
}

fn from_text(text: &str, sink: &mut Sink<'_>) -> Option<[u8; 8]> {
    match parse_text(text) {
        Ok(parsed) => {
            if !check_digits(&parsed.digits, &shown(text), sink) {
                return None;
            }
            if parsed.normalized {
                normalized_warning(&shown(text), &canonical(&parsed.digits), sink);
            }
            Some(parsed.digits)
        }
        Err(problem) => {
            format_error(
                &shown(text),
                matches!(problem, FormatProblem::SevenDigits),
                sink,
            );
            None
        }
    }
}

fn normalized_warning(shown_value: &str, canonical_value: &str, sink: &mut Sink<'_>) {
    sink.warning(
        codes::BUSINESS_ID_NORMALIZED,
        format!(
            "Y-tunnus \"{shown_value}\" kirjoitettiin muotoon {canonical_value} (odotettu muoto 1234567-8)."
        ),
        format!(
            "FO-nummer \"{shown_value}\" skrevs om till {canonical_value} (väntad form 1234567-8)."
        ),
        format!(
            "Business ID \"{shown_value}\" was written as {canonical_value} (expected form 1234567-8)."
        ),
    );
}

fn format_error(shown_value: &str, seven_digits: bool, sink: &mut Sink<'_>) {
    let (fi_extra, sv_extra, en_extra) = if seven_digits {
        (
            " Tunnuksessa on vain seitsemän numeroa: tekstiä ei täydennetä, kirjoita etunolla.",
            " Numret har bara sju siffror: text fylls aldrig ut, skriv den inledande nollan.",
            " It has only seven digits: text is never padded, write the leading zero.",
        )
    } else {
        ("", "", "")
    };
    sink.error(
        codes::BUSINESS_ID_FORMAT,
        format!(
            "Y-tunnus \"{shown_value}\" ei ole muotoa 1234567-8 (seitsemän numeroa, viiva ja tarkistusnumero).{fi_extra}"
        ),
        format!(
            "FO-nummer \"{shown_value}\" har inte formen 1234567-8 (sju siffror, ett bindestreck och en kontrollsiffra).{sv_extra}"
        ),
        format!(
            "Business ID \"{shown_value}\" is not of the form 1234567-8 (seven digits, a dash and a check digit).{en_extra}"
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str) -> Checked<String> {
        business_id(&CellValue::Text(input.into()), &Location::cell(5, 2))
    }

    fn codes_of(checked: &Checked<String>) -> Vec<&str> {
        checked.issues.iter().map(|i| i.code.as_str()).collect()
    }

    #[test]
    fn canonical_is_valid_without_issues() {
        let checked = check("0112038-9");
        assert_eq!(checked.value.as_deref(), Some("0112038-9"));
        assert!(checked.issues.is_empty());
    }

    #[test]
    fn other_forms_are_normalized_with_a_warning() {
        for input in [
            "0112038 9",
            "FI01120389",
            "01120389",
            "fi 0112038-9",
            "FI-01120389",
            "0112038\u{2013}9",
            "０１１２０３８-９",
            " 011 2038-9 ",
        ] {
            let checked = check(input);
            assert_eq!(checked.value.as_deref(), Some("0112038-9"), "{input}");
            assert_eq!(codes_of(&checked), ["business_id.normalized"], "{input}");
            assert!(checked.is_valid());
        }
    }

    #[test]
    fn wrong_check_digit() {
        let checked = check("0112038-8");
        assert_eq!(checked.value, None);
        assert_eq!(codes_of(&checked), ["business_id.check_digit"]);
        let message = &checked.issues[0].message;
        assert!(message.en.contains("0112038-8") && message.en.contains("1234567-8"));
        assert!(message.fi.contains("0112038-8"));
        assert_eq!(checked.issues[0].location.row, Some(5));
        assert_eq!(checked.issues[0].location.field, Some(FieldKey::BusinessId));
    }

    #[test]
    fn remainder_one_can_never_be_valid() {
        // 1234567 leaves remainder 10 (sum 153), so 1234567-1 is valid; 1234568 leaves 1.
        assert!(check("1234567-1").issues.is_empty());
        let checked = check("1234568-1");
        assert_eq!(codes_of(&checked), ["business_id.no_valid_check_digit"]);
        assert!(checked.issues[0].message.en.contains("no check digit"));
    }

    #[test]
    fn text_is_never_padded() {
        let checked = check("678858-0");
        assert_eq!(codes_of(&checked), ["business_id.format"]);
        assert!(checked.issues[0].message.en.contains("never padded"));
    }

    #[test]
    fn numbers_are_padded() {
        let location = Location::default();
        let checked = business_id(&CellValue::Number(6788580.0), &location);
        assert_eq!(checked.value.as_deref(), Some("0678858-0"));
        assert_eq!(codes_of(&checked), ["business_id.padded"]);
        let eight = business_id(&CellValue::Number(20774740.0), &location);
        assert_eq!(eight.value.as_deref(), Some("2077474-0"));
        assert_eq!(codes_of(&eight), ["business_id.normalized"]);
        let fraction = business_id(&CellValue::Number(1.5), &location);
        assert_eq!(codes_of(&fraction), ["business_id.format"]);
    }

    #[test]
    fn garbage_is_a_format_error() {
        for input in ["abc", "0112038-99", "011203-89", "0112038--9", "123"] {
            assert_eq!(codes_of(&check(input)), ["business_id.format"], "{input}");
        }
        assert!(check("").value.is_none());
        assert!(check("").issues.is_empty());
    }
}
