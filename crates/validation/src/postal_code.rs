//! Postal codes: Finnish and Swedish forms checked, others free text.

use crate::checked::{Checked, Sink, run};
use crate::codes;
use crate::text::{Prepared, Raw, prepare, shown, warn_if_formula_like};
use std::borrow::Cow;
use tuonti_domain::{CellValue, FieldKey, Location};

fn fi_like(country: &str) -> bool {
    country.eq_ignore_ascii_case("FI") || country.eq_ignore_ascii_case("AX")
}

/// Validates a postal code, optional, by `country` (ISO alpha-2; the row's country):
///
/// - `FI` (and `AX`, Åland, which uses Finnish codes): exactly five digits, `00100`. A
///   leading `FI-` is removed with a warning. A numeric cell (Excel dropped the leading
///   zeros) is padded to five digits with a warning; a text value is never padded.
/// - `SE`: `NNN NN`; five digits without the space, or a leading `SE-`, are accepted and
///   normalized with a warning.
/// - other countries: free text within the length limit.
///
/// Issues: [`POSTAL_CODE_FORMAT`](codes::POSTAL_CODE_FORMAT) (error);
/// [`POSTAL_CODE_PADDED`](codes::POSTAL_CODE_PADDED),
/// [`POSTAL_CODE_NORMALIZED`](codes::POSTAL_CODE_NORMALIZED) (warnings); and the shared
/// `text.*` and `cell.*` issues.
///
/// ```
/// use tuonti_domain::{CellValue, Location};
/// use tuonti_validation::postal_code;
/// let padded = postal_code(&CellValue::Number(100.0), &Location::default(), "FI");
/// assert_eq!(padded.value.as_deref(), Some("00100"));
/// assert!(padded.has("postal_code.padded"));
/// let swedish = postal_code(&CellValue::Text("11122".into()), &Location::default(), "SE");
/// assert_eq!(swedish.value.as_deref(), Some("111 22"));
/// ```
pub fn postal_code(cell: &CellValue, location: &Location, country: &str) -> Checked<String> {
    run(FieldKey::PostalCode, location, |sink| {
        postal_code_raw(Raw::from_cell(cell), country, sink).map(Cow::into_owned)
    })
}

pub(crate) fn postal_code_raw<'a>(
    raw: Raw<'a>,
    country: &str,
    sink: &mut Sink<'_>,
) -> Option<Cow<'a, str>> {
    let prepared = prepare(raw, sink);
    if fi_like(country) {
        finnish(prepared, sink)
    } else if country.eq_ignore_ascii_case("SE") {
        swedish(prepared, sink)
    } else {
        let text = match prepared {
            Prepared::Empty | Prepared::Rejected => return None,
            Prepared::Number(number) => Cow::Owned(CellValue::Number(number).to_string()),
            Prepared::Text(text) => text,
        };
        warn_if_formula_like(&text, sink);
        Some(text)
    }
}

fn five_digits(text: &str) -> bool {
    text.len() == 5 && text.bytes().all(|b| b.is_ascii_digit())
}

fn strip_prefix_ci<'t>(text: &'t str, prefixes: &[&str]) -> Option<&'t str> {
    prefixes.iter().find_map(|prefix| {
        let head = text.get(..prefix.len())?;
        head.eq_ignore_ascii_case(prefix)
            .then(|| text[prefix.len()..].trim_start())
    })
}

fn normalized(shown_value: &str, canonical: &str, form: &str, sink: &mut Sink<'_>) {
    sink.warning(
        codes::POSTAL_CODE_NORMALIZED,
        format!("Postinumero \"{shown_value}\" kirjoitettiin muotoon {canonical} (odotettu muoto {form})."),
        format!("Postnummer \"{shown_value}\" skrevs om till {canonical} (väntad form {form})."),
        format!("Postal code \"{shown_value}\" was written as {canonical} (expected form {form})."),
    );
}

/// The error of a postal code not of the country's form, with what the form is in words
/// when `words` gives it (fi, sv, en).
fn format_error(
    shown_value: &str,
    country: &str,
    form: &str,
    words: Option<[&str; 3]>,
    sink: &mut Sink<'_>,
) {
    let [fi, sv, en] = words.map_or([String::new(), String::new(), String::new()], |words| {
        words.map(|word| format!(" ({word})"))
    });
    sink.error(
        codes::POSTAL_CODE_FORMAT,
        format!("Postinumero \"{shown_value}\" ei ole maan {country} muotoa {form}{fi}."),
        format!("Postnummer \"{shown_value}\" har inte formen {form}{sv} som används i {country}."),
        format!("Postal code \"{shown_value}\" is not of the form {form}{en} used in {country}."),
    );
}

fn finnish<'a>(prepared: Prepared<'a>, sink: &mut Sink<'_>) -> Option<Cow<'a, str>> {
    match prepared {
        Prepared::Empty | Prepared::Rejected => None,
        Prepared::Number(number) => {
            let shown_value = CellValue::Number(number).to_string();
            if number.fract() != 0.0 || !(0.0..100_000.0).contains(&number) {
                format_error(&shown_value, "FI", "00100", None, sink);
                return None;
            }
            let canonical = format!("{:05}", number as u32);
            if canonical != shown_value {
                sink.warning(
                    codes::POSTAL_CODE_PADDED,
                    format!(
                        "Postinumero oli numerosolussa {shown_value}, josta etunollat puuttuivat; se täydennettiin muotoon {canonical}. Muotoile sarake tekstiksi."
                    ),
                    format!(
                        "Postnumret var talet {shown_value}, utan sina inledande nollor; det fylldes ut till {canonical}. Formatera kolumnen som text."
                    ),
                    format!(
                        "The postal code was the number {shown_value}, without its leading zeros; it was padded to {canonical}. Format the column as text."
                    ),
                );
            }
            Some(Cow::Owned(canonical))
        }
        Prepared::Text(text) => {
            if five_digits(&text) {
                return Some(text);
            }
            if let Some(rest) = strip_prefix_ci(&text, &["FI-", "FI ", "AX-", "AX "])
                && five_digits(rest)
            {
                let canonical = rest.to_owned();
                normalized(&shown(&text), &canonical, "00100", sink);
                return Some(Cow::Owned(canonical));
            }
            format_error(
                &shown(&text),
                "FI",
                "00100",
                Some(["viisi numeroa", "fem siffror", "five digits"]),
                sink,
            );
            None
        }
    }
}

fn swedish<'a>(prepared: Prepared<'a>, sink: &mut Sink<'_>) -> Option<Cow<'a, str>> {
    let text = match prepared {
        Prepared::Empty | Prepared::Rejected => return None,
        Prepared::Number(number) => Cow::Owned(CellValue::Number(number).to_string()),
        Prepared::Text(text) => text,
    };
    let bytes = text.as_bytes();
    if bytes.len() == 6
        && bytes[3] == b' '
        && bytes[..3].iter().chain(&bytes[4..]).all(u8::is_ascii_digit)
    {
        return Some(text);
    }
    let rest = strip_prefix_ci(&text, &["SE-", "SE ", "S-"]).unwrap_or(&text);
    let digits: String = rest.chars().filter(|c| *c != ' ').collect();
    if five_digits(&digits) && rest.chars().all(|c| c == ' ' || c.is_ascii_digit()) {
        let canonical = format!("{} {}", &digits[..3], &digits[3..]);
        normalized(&shown(&text), &canonical, "123 45", sink);
        return Some(Cow::Owned(canonical));
    }
    format_error(&shown(&text), "SE", "123 45", None, sink);
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, country: &str) -> Checked<String> {
        postal_code(
            &CellValue::Text(input.into()),
            &Location::default(),
            country,
        )
    }

    fn codes_of(checked: &Checked<String>) -> Vec<&str> {
        checked.issues.iter().map(|i| i.code.as_str()).collect()
    }

    #[test]
    fn finnish_codes() {
        assert_eq!(check("00100", "FI").value.as_deref(), Some("00100"));
        assert!(check("00100", "FI").issues.is_empty());
        let prefixed = check("FI-00100", "FI");
        assert_eq!(prefixed.value.as_deref(), Some("00100"));
        assert_eq!(codes_of(&prefixed), ["postal_code.normalized"]);
        assert_eq!(codes_of(&check("100", "FI")), ["postal_code.format"]);
        // The form in words, each language in its own.
        let message = &check("100", "FI").issues[0].message;
        assert_eq!(
            message.get(tuonti_domain::Lang::En),
            "Postal code \"100\" is not of the form 00100 (five digits) used in FI."
        );
        assert!(
            message
                .get(tuonti_domain::Lang::Sv)
                .contains("00100 (fem siffror)")
        );
        assert!(
            message
                .get(tuonti_domain::Lang::Fi)
                .contains("00100 (viisi numeroa)")
        );
        assert_eq!(codes_of(&check("001000", "FI")), ["postal_code.format"]);
        assert_eq!(codes_of(&check("00 100", "FI")), ["postal_code.format"]);
        let padded = postal_code(&CellValue::Number(2100.0), &Location::default(), "FI");
        assert_eq!(padded.value.as_deref(), Some("02100"));
        assert_eq!(codes_of(&padded), ["postal_code.padded"]);
        let plain = postal_code(&CellValue::Number(33100.0), &Location::default(), "FI");
        assert!(plain.issues.is_empty());
        let fraction = postal_code(&CellValue::Number(1.5), &Location::default(), "FI");
        assert_eq!(codes_of(&fraction), ["postal_code.format"]);
    }

    #[test]
    fn swedish_codes() {
        assert!(check("111 22", "SE").issues.is_empty());
        assert_eq!(check("SE-111 22", "se").value.as_deref(), Some("111 22"));
        assert_eq!(codes_of(&check("1112", "SE")), ["postal_code.format"]);
    }

    #[test]
    fn other_countries_are_free_text() {
        assert_eq!(check("SW1A 1AA", "GB").value.as_deref(), Some("SW1A 1AA"));
        assert_eq!(check("10115", "DE").value.as_deref(), Some("10115"));
    }
}
