//! Phone numbers: a plain character and length check, then the numbering plan of the region.

use crate::checked::{Checked, Sink, run};
use crate::codes;
use crate::text::{Prepared, Raw, prepare, shown};
use phonenumber::{Mode, country};
use std::borrow::Cow;
use std::str::FromStr;
use tuonti_domain::{CellValue, FieldKey, Location};

fn is_phone_char(c: char) -> bool {
    c.is_ascii_digit() || c.is_whitespace() || matches!(c, '+' | '(' | ')' | '-' | '/' | '.')
}

/// Whether a Finnish national significant number (no leading 0) is a valid mobile or
/// fixed-line number by the FI metadata of libphonenumber (or the Åland fixed line of AX,
/// `18[1-8]\d{3,6}`, which shares the country code):
/// mobile `4946\d{2,6}|(?:4[0-8]|50)\d{4,8}`, fixed line
/// `1[3-7][1-8]\d{3,6}|(?:19[1-8]|[23568][1-8]\d|9(?:00|[1-8]\d))\d{2,6}`.
///
/// Numbers it does not claim go to the full parser; a property test keeps the two in step.
fn fi_fast_valid(national: &[u8]) -> bool {
    let len = national.len();
    let at = |index: usize| national.get(index).copied().unwrap_or(b'x');
    let mobile = match (at(0), at(1)) {
        (b'4', b'0'..=b'8') | (b'5', b'0') => (6..=10).contains(&len),
        (b'4', b'9') => at(2) == b'4' && at(3) == b'6' && (6..=10).contains(&len),
        _ => false,
    };
    if mobile {
        return true;
    }
    let second_1_8 = matches!(at(1), b'1'..=b'8');
    let third_1_8 = matches!(at(2), b'1'..=b'8');
    match at(0) {
        b'1' if matches!(at(1), b'3'..=b'7') && third_1_8 => (6..=9).contains(&len),
        b'1' if at(1) == b'9' && third_1_8 => (5..=9).contains(&len),
        // Åland (AX shares +358): fixed line `18[1-8]\d{3,6}`.
        b'1' if at(1) == b'8' && third_1_8 => (6..=9).contains(&len),
        b'2' | b'3' | b'5' | b'6' | b'8' if second_1_8 => (5..=9).contains(&len),
        b'9' if (at(1) == b'0' && at(2) == b'0') || second_1_8 => (5..=9).contains(&len),
        _ => false,
    }
}

/// The fast path for the Finnish numbers as people write them: `0…`, `+358…`, `(+358)…`,
/// `+358 (0)…` or `358…` (ten digits or more), with spaces, dashes, dots, slashes and
/// parentheses between the digits, valid as a Finnish mobile or fixed-line number. Gives the
/// E.164 form, or `None` to leave the number to the full parser. A property test per
/// notation keeps it in step with libphonenumber.
fn fi_fast_path(text: &str) -> Option<String> {
    let mut buffer = [0u8; 16];
    let mut n_digits = 0;
    let mut plus = false;
    let mut open = false;
    for b in text.bytes() {
        match b {
            b'0'..=b'9' => {
                *buffer.get_mut(n_digits)? = b;
                n_digits += 1;
            }
            // `+` before any digit: `+358 …` and `(+358) …`.
            b'+' if n_digits == 0 && !plus => plus = true,
            b'(' if !open => open = true,
            b')' if open => open = false,
            b' ' | b'-' | b'.' | b'/' => {}
            _ => return None,
        }
    }
    if open {
        return None;
    }
    let digits = &buffer[..n_digits];
    let national = if plus {
        let rest = digits.strip_prefix(b"358")?;
        // `+358 (0)9 …`: the trunk 0 after the country code is dropped, as libphonenumber
        // drops it.
        match rest {
            [b'0', second, ..] if *second != b'0' => &rest[1..],
            _ => rest,
        }
    } else if let Some(rest) = digits.strip_prefix(b"358")
        && digits.len() >= 10
    {
        // `358401234567`: the country code without its plus.
        rest
    } else {
        let rest = digits.strip_prefix(b"0")?;
        if rest.first() == Some(&b'0') {
            return None;
        }
        rest
    };
    if national.first() == Some(&b'0') || !fi_fast_valid(national) {
        return None;
    }
    let mut e164 = String::with_capacity(4 + national.len());
    e164.push_str("+358");
    e164.extend(national.iter().map(|b| char::from(*b)));
    Some(e164)
}

/// The E.164 form of a number by the full libphonenumber metadata (loaded once, lazily, on
/// first use), or `None` when it does not parse or is not valid for its region.
fn full_parse(text: &str, region: Option<country::Id>) -> Option<String> {
    let number = phonenumber::parse(region, text).ok()?;
    phonenumber::is_valid(&number).then(|| number.format().mode(Mode::E164).to_string())
}

/// Loads the libphonenumber metadata now. It loads once per process, on first use, and takes
/// about 70 ms: an importer calls this on a thread of its own while it opens a file, so that
/// the first row needing it does not wait.
pub fn load_phone_metadata() {
    let _ = full_parse("+46 8 123 456 78", None);
}

/// The E.164 form of a phone number with `default_country` (ISO alpha-2) as the region of
/// national numbers, or `None` when it is not valid for its region.
pub(crate) fn to_e164(text: &str, default_country: &str) -> Option<String> {
    if default_country.eq_ignore_ascii_case("FI")
        && let Some(e164) = fi_fast_path(text)
    {
        return Some(e164);
    }
    let region = country::Id::from_str(&default_country.to_ascii_uppercase()).ok();
    full_parse(text, region)
}

/// Validates a phone number, optional: only digits, spaces and `+ ( ) - / .`, 5 to 15
/// digits. It is parsed with `default_country` (ISO alpha-2; the row's country, `FI` when
/// empty) as the region of numbers written without a country code, and stored as E.164
/// (`+358401234567`) when valid. A number that is not valid for its region's numbering plan
/// is kept as typed, with a warning.
///
/// The common Finnish forms (`040 123 4567`, `+358 9 123 4567`) take a fast path; other
/// numbers use libphonenumber's metadata, parsed once on first use.
///
/// Issues: [`PHONE_CHARACTERS`](codes::PHONE_CHARACTERS),
/// [`PHONE_DIGIT_COUNT`](codes::PHONE_DIGIT_COUNT) (errors);
/// [`PHONE_NOT_VALID_FOR_REGION`](codes::PHONE_NOT_VALID_FOR_REGION) (warning); and the shared
/// `text.*` and `cell.*` issues.
///
/// ```
/// use tuonti_domain::{CellValue, Location};
/// use tuonti_validation::phone;
/// let checked = phone(&CellValue::Text("040 123 4567".into()), &Location::default(), "FI");
/// assert_eq!(checked.value.as_deref(), Some("+358401234567"));
/// let swedish = phone(&CellValue::Text("08-123 456 78".into()), &Location::default(), "SE");
/// assert_eq!(swedish.value.as_deref(), Some("+46812345678"));
/// ```
pub fn phone(cell: &CellValue, location: &Location, default_country: &str) -> Checked<String> {
    run(FieldKey::Phone, location, |sink| {
        phone_raw(Raw::from_cell(cell), default_country, sink).map(Cow::into_owned)
    })
}

pub(crate) fn phone_raw<'a>(
    raw: Raw<'a>,
    default_country: &str,
    sink: &mut Sink<'_>,
) -> Option<Cow<'a, str>> {
    let text: Cow<'a, str> = match prepare(raw, sink) {
        Prepared::Empty | Prepared::Rejected => return None,
        Prepared::Number(number) => CellValue::Number(number).to_string().into(),
        Prepared::Text(text) => text,
    };
    if let Some(bad) = text.chars().find(|c| !is_phone_char(*c)) {
        let shown_value = shown(&text);
        sink.error(
            codes::PHONE_CHARACTERS,
            format!(
                "Puhelinnumerossa \"{shown_value}\" on merkki \"{bad}\"; sallittuja ovat vain numerot, välilyönnit ja + ( ) - / . (esimerkiksi +358 40 123 4567)."
            ),
            format!(
                "Telefonnumret \"{shown_value}\" innehåller \"{bad}\"; bara siffror, mellanslag och + ( ) - / . är tillåtna (till exempel +358 40 123 4567)."
            ),
            format!(
                "Phone number \"{shown_value}\" contains \"{bad}\"; only digits, spaces and + ( ) - / . are allowed (e.g. +358 40 123 4567)."
            ),
        );
        return None;
    }
    let n_digits = text.bytes().filter(u8::is_ascii_digit).count();
    if !(5..=15).contains(&n_digits) {
        let shown_value = shown(&text);
        sink.error(
            codes::PHONE_DIGIT_COUNT,
            format!(
                "Puhelinnumerossa \"{shown_value}\" on {n_digits} numeroa; odotettiin 5–15 numeroa (esimerkiksi +358 40 123 4567)."
            ),
            format!(
                "Telefonnumret \"{shown_value}\" har {n_digits} siffror; väntade 5–15 siffror (till exempel +358 40 123 4567)."
            ),
            format!(
                "Phone number \"{shown_value}\" has {n_digits} digits; expected 5 to 15 (e.g. +358 40 123 4567)."
            ),
        );
        return None;
    }
    let region = if default_country.is_empty() {
        "FI"
    } else {
        default_country
    };
    // E.164 numbers have at most 15 digits; libphonenumber can put a country code before a
    // long national number and give more (found by the `validators` fuzz target), which would
    // not check again.
    match to_e164(&text, region).filter(|e164| e164.len() <= 16) {
        Some(e164) => Some(Cow::Owned(e164)),
        None => {
            let shown_value = shown(&text);
            sink.warning(
                codes::PHONE_NOT_VALID_FOR_REGION,
                format!(
                    "Puhelinnumero \"{shown_value}\" ei ole kelvollinen alueen {region} numerointisuunnitelman mukaan; se tallennetaan sellaisenaan. Kansainvälinen muoto on esimerkiksi +358 40 123 4567."
                ),
                format!(
                    "Telefonnumret \"{shown_value}\" är inte giltigt enligt nummerplanen för {region}; det sparas som det skrevs. Den internationella formen är till exempel +358 40 123 4567."
                ),
                format!(
                    "Phone number \"{shown_value}\" is not valid in the numbering plan of {region}; it is kept as typed. The international form is e.g. +358 40 123 4567."
                ),
            );
            Some(text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check(input: &str, region: &str) -> Checked<String> {
        phone(&CellValue::Text(input.into()), &Location::default(), region)
    }

    fn codes_of(checked: &Checked<String>) -> Vec<&str> {
        checked.issues.iter().map(|i| i.code.as_str()).collect()
    }

    #[test]
    fn finnish_numbers() {
        for (input, e164) in [
            ("040 123 4567", "+358401234567"),
            ("+358 40 123 4567", "+358401234567"),
            ("09 123 4567", "+35891234567"),
            ("(09) 123 4567", "+35891234567"),
            ("00358 9 123 4567", "+35891234567"),
            ("050-123 4567", "+358501234567"),
            ("+358 18 12345", "+3581812345"),
            ("(+358) 40 1234567", "+358401234567"),
            ("+358 (0)9 1234 567", "+35891234567"),
            ("358401234567", "+358401234567"),
            ("040/123 4567", "+358401234567"),
            ("040.123.4567", "+358401234567"),
            ("+358-401234567", "+358401234567"),
        ] {
            // Every form but the international call prefix (00) takes the fast path.
            if !input.starts_with("00") {
                assert_eq!(fi_fast_path(input).as_deref(), Some(e164), "{input}");
            }
            let checked = check(input, "FI");
            assert_eq!(checked.value.as_deref(), Some(e164), "{input}");
            assert!(checked.issues.is_empty(), "{input}");
        }
        // A numeric cell lost its 0: still a Finnish number.
        let number = phone(&CellValue::Number(401234567.0), &Location::default(), "FI");
        assert_eq!(number.value.as_deref(), Some("+358401234567"));
        // Empty region means FI.
        assert_eq!(
            check("040 123 4567", "").value.as_deref(),
            Some("+358401234567")
        );
    }

    #[test]
    fn other_regions() {
        assert_eq!(
            check("08 123 456 78", "SE").value.as_deref(),
            Some("+46812345678")
        );
        assert_eq!(
            check("+46 8 123 456 78", "FI").value.as_deref(),
            Some("+46812345678")
        );
    }

    #[test]
    fn bad_characters_and_lengths() {
        assert_eq!(
            codes_of(&check("040 123 4567 ext 5", "FI")),
            ["phone.characters"]
        );
        assert_eq!(codes_of(&check("1234", "FI")), ["phone.digit_count"]);
        assert_eq!(
            codes_of(&check("1234567890123456", "FI")),
            ["phone.digit_count"]
        );
    }

    #[test]
    fn an_e164_form_over_15_digits_is_not_valid() {
        // libphonenumber reads this as +49 466006001853567 (17 digits).
        let checked = check("46 )600)) )6001853567", "DE");
        assert_eq!(checked.value.as_deref(), Some("46 )600)) )6001853567"));
        assert_eq!(codes_of(&checked), ["phone.not_valid_for_region"]);
    }

    #[test]
    fn invalid_for_region_is_kept_with_a_warning() {
        let checked = check("012 3456", "FI");
        assert_eq!(checked.value.as_deref(), Some("012 3456"));
        assert_eq!(codes_of(&checked), ["phone.not_valid_for_region"]);
        assert!(checked.is_valid());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The fast path agrees with libphonenumber whenever it claims a number.
        #[test]
        fn fast_path_agrees_with_libphonenumber(
            national in "[1-9][0-9]{3,10}",
            international in any::<bool>(),
        ) {
            let text = if international { format!("+358 {national}") } else { format!("0{national}") };
            if let Some(fast) = fi_fast_path(&text) {
                prop_assert_eq!(Some(fast), full_parse(&text, Some(country::Id::FI)), "{}", text);
            }
        }

        /// Åland fixed-line numbers take the fast path and agree with libphonenumber.
        #[test]
        fn aland_numbers_take_the_fast_path(rest in "[1-8][0-9]{3,6}", international in any::<bool>()) {
            let text = if international { format!("+358 18{rest}") } else { format!("018 {rest}") };
            let fast = fi_fast_path(&text);
            prop_assert!(fast.is_some(), "{}", text);
            prop_assert_eq!(fast, full_parse(&text, Some(country::Id::FI)), "{}", text);
        }

        /// Every notation people use agrees with libphonenumber whenever the fast path claims
        /// it, and the common ones are claimed.
        #[test]
        fn every_notation_agrees_with_libphonenumber(
            national in "[1-9][0-9]{4,10}",
            notation in 0usize..12,
        ) {
            let (head, tail) = national.split_at(2);
            let (first, rest) = national.split_at(1);
            let text = match notation {
                0 => format!("(+358) {head} {tail}"),
                1 => format!("+358 (0){first} {rest}"),
                2 => format!("358{national}"),
                3 => format!("0{national}"),
                4 => format!("0{head}/{tail}"),
                5 => format!("0{head}.{tail}"),
                6 => format!("0{head}  {tail}"),
                7 => format!("+358-{national}"),
                8 => format!("+358 0{national}"),
                9 => format!("(0{head}) {tail}"),
                10 => format!("+358({head}){tail}"),
                _ => format!("358 {head} {tail}"),
            };
            if let Some(fast) = fi_fast_path(&text) {
                prop_assert_eq!(Some(fast), full_parse(&text, Some(country::Id::FI)), "{}", text);
            }
        }

        /// The common mobile and Helsinki numbers are claimed in every notation.
        #[test]
        fn common_numbers_take_the_fast_path_in_every_notation(
            rest in "[0-9]{7}",
            prefix in "4[0-8]|50|9[1-8]",
            notation in 0usize..8,
        ) {
            let national = format!("{prefix}{rest}");
            let text = match notation {
                0 => format!("(+358) {prefix} {rest}"),
                1 => format!("+358 (0){national}"),
                2 => format!("358{national}"),
                3 => format!("0{national}"),
                4 => format!("0{prefix}/{rest}"),
                5 => format!("0{prefix}.{}.{}", &rest[..3], &rest[3..]),
                6 => format!("0{prefix}  {rest}"),
                _ => format!("+358-{national}"),
            };
            let fast = fi_fast_path(&text);
            prop_assert!(fast.is_some(), "{}", text);
            prop_assert_eq!(fast, full_parse(&text, Some(country::Id::FI)), "{}", text);
        }

        /// Numbers in the common mobile and Helsinki ranges are claimed by the fast path.
        #[test]
        fn common_numbers_take_the_fast_path(rest in "[0-9]{7}", prefix in "4[0-8]|50|9[1-8]") {
            let text = format!("0{prefix}{rest}");
            prop_assert!(fi_fast_path(&text).is_some(), "{}", text);
        }
    }
}
