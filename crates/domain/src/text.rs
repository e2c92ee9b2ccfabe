//! Normalization of names for comparison.
//!
//! Names typed by people differ in case, in Unicode composition and in spacing. Uniqueness of
//! user emails, customer group names and company type names is decided on a *key*: the name in
//! Unicode NFC, trimmed, with runs of whitespace collapsed to one space, and lower-cased. The
//! database stores the key beside the name and puts its unique index on the key.

use unicode_normalization::UnicodeNormalization;

/// Cleans a name for storage: NFC, trimmed (no-break spaces included), inner whitespace runs
/// collapsed to one space. The case is kept.
///
/// ```
/// assert_eq!(tuonti_domain::clean_name("  Helsingin\u{a0} ryhmä "), "Helsingin ryhmä");
/// ```
pub fn clean_name(name: &str) -> String {
    let nfc: String = name.nfc().collect();
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
    clean_name(name).to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapses_whitespace_and_case() {
        assert_eq!(clean_name("\tMatti   Meikäläinen\n"), "Matti Meikäläinen");
        assert_eq!(name_key("ÄÖÅ Oy"), "äöå oy");
        assert_eq!(clean_name("   "), "");
    }
}
