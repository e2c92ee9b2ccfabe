//! Normalization of names for comparison.
//!
//! Names typed by people differ in case, in Unicode composition and in spacing. Uniqueness of
//! user emails, customer group names and company type names is decided on a *key*: the name in
//! Unicode NFC, trimmed, with runs of whitespace collapsed to one space, and lower-cased. The
//! database stores the key beside the name and puts its unique index on the key.

use std::borrow::Cow;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Cleans a name for storage: NFC, trimmed (no-break spaces included), inner whitespace runs
/// collapsed to one space. The case is kept.
///
/// ```
/// assert_eq!(tuonti_domain::clean_name("  Helsingin\u{a0} ryhmä "), "Helsingin ryhmä");
/// ```
pub fn clean_name(name: &str) -> String {
    // Most names are NFC already (ASCII always is): normalize only those that are not.
    let nfc: Cow<'_, str> = if is_nfc_quick(name.chars()) == IsNormalized::Yes {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(name.nfc().collect())
    };
    let mut out = String::with_capacity(nfc.len());
    for word in nfc.split(char::is_whitespace).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The comparison key of a name: [`clean_name`] lower-cased.
///
/// Two names with the same key are the same name: `Helsinki` and ` HELSINKI ` clash.
///
/// ```
/// use tuonti_domain::name_key;
/// assert_eq!(name_key(" HELSINKI "), name_key("helsinki"));
/// assert_eq!(name_key("Kylma\u{308}"), name_key("kylmä")); // decomposed ä
/// ```
pub fn name_key(name: &str) -> String {
    // `str::to_lowercase` differs from lower-casing char by char only for a capital sigma
    // (final form at the end of a word); without one, build the key in one pass and one
    // allocation.
    if name.contains('\u{3a3}') || is_nfc_quick(name.chars()) != IsNormalized::Yes {
        return clean_name(name).to_lowercase();
    }
    let mut out = String::with_capacity(name.len());
    for word in name.split(char::is_whitespace).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        if word.is_ascii() {
            out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            out.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
    out
}

/// Whether a value would be read as a formula by a spreadsheet: it starts with `=`, `+`,
/// `-` or `@`.
pub fn is_formula_like(value: &str) -> bool {
    value.starts_with(['=', '+', '-', '@'])
}

/// Escapes a value for CSV output so that no spreadsheet evaluates it: a value that starts
/// with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`. Every CSV the
/// project writes passes its values through this; other values come back borrowed.
///
/// Quoting for the CSV syntax itself (separators, quotes) is the CSV writer's job.
///
/// ```
/// use tuonti_domain::escape_csv_formula;
/// assert_eq!(escape_csv_formula("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(escape_csv_formula("+358 40 123 4567"), "'+358 40 123 4567");
/// assert_eq!(escape_csv_formula("Esimerkki Oy"), "Esimerkki Oy");
/// ```
pub fn escape_csv_formula(value: &str) -> Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        let mut escaped = String::with_capacity(value.len() + 1);
        escaped.push('\'');
        escaped.push_str(value);
        Cow::Owned(escaped)
    } else {
        Cow::Borrowed(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_key_is_the_lower_cased_clean_name() {
        for name in [
            "Esimerkki Oy",
            "  ÄÄNEKOSKEN  Sähkö\u{a0}Oy ",
            "Kylma\u{308} Oy",
            "İSTANBUL TİCARET",
            "STRASSE ẞ",
            "ΟΔΟΣ ΣΟΦΙΑΣ",
            "Åland\tÖ\nab",
            "",
            "   ",
        ] {
            assert_eq!(name_key(name), clean_name(name).to_lowercase(), "{name:?}");
        }
    }

    #[test]
    fn collapses_whitespace_and_case() {
        assert_eq!(clean_name("\tMatti   Meikäläinen\n"), "Matti Meikäläinen");
        assert_eq!(name_key("ÄÖÅ Oy"), "äöå oy");
        assert_eq!(clean_name("   "), "");
    }
}
