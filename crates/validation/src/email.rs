//! Email addresses.

use crate::checked::{Checked, Sink, run};
use crate::codes;
use crate::text::{Prepared, Raw, prepare, shown, warn_if_formula_like};
use tuonti_domain::{CellValue, FieldKey, Location};

fn is_atext(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || "!#$%&'*+/=?^_`{|}~-".contains(c)
        || (!c.is_ascii() && c.is_alphanumeric())
}

/// Whether a host name is a domain of at least two labels: letters, digits (any script, for
/// internationalized names) and inner hyphens, each label 1 to 63 characters, the last one
/// not all digits.
pub(crate) fn is_domain(domain: &str) -> bool {
    if domain.is_empty() || domain.len() > 253 {
        return false;
    }
    let mut n_labels = 0;
    let mut last = "";
    for label in domain.split('.') {
        let n_chars = label.chars().count();
        if !(1..=63).contains(&n_chars)
            || label.starts_with('-')
            || label.ends_with('-')
            || !label.chars().all(|c| c.is_alphanumeric() || c == '-')
        {
            return false;
        }
        n_labels += 1;
        last = label;
    }
    n_labels >= 2 && last.chars().count() >= 2 && !last.chars().all(|c| c.is_ascii_digit())
}

/// The canonical form of an email address (the domain lower-cased), or `None` when its
/// syntax is wrong: one `@`, a local part of dot-separated atoms (RFC 5322 `atext`, letters of
/// any script allowed as in RFC 6531), at most 64 bytes, and a domain (see [`is_domain`]).
/// Quoted local parts and address literals are not accepted for company addresses.
pub(crate) fn canonical_email(text: &str) -> Option<String> {
    let (local, domain) = text.split_once('@')?;
    if local.is_empty() || local.len() > 64 || domain.contains('@') {
        return None;
    }
    if local
        .split('.')
        .any(|atom| atom.is_empty() || !atom.chars().all(is_atext))
    {
        return None;
    }
    if !is_domain(domain) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    out.push_str(local);
    out.push('@');
    out.extend(domain.chars().flat_map(char::to_lowercase));
    Some(out)
}

/// Validates an email address, optional. The value keeps the local part as typed and
/// lower-cases the domain: `Info@Esimerkki.FI` becomes `Info@esimerkki.fi`.
///
/// Issues: [`EMAIL_FORMAT`](codes::EMAIL_FORMAT) (error), and the shared `text.*` and
/// `cell.*` issues.
///
/// ```
/// use tuonti_domain::{CellValue, Location};
/// use tuonti_validation::email;
/// let checked = email(&CellValue::Text("info@Esimerkki.fi".into()), &Location::default());
/// assert_eq!(checked.value.as_deref(), Some("info@esimerkki.fi"));
/// assert!(email(&CellValue::Text("info(at)esimerkki.fi".into()), &Location::default())
///     .has("email.format"));
/// ```
pub fn email(cell: &CellValue, location: &Location) -> Checked<String> {
    run(FieldKey::Email, location, |sink| {
        email_raw(Raw::from_cell(cell), sink)
    })
}

pub(crate) fn email_raw(raw: Raw<'_>, sink: &mut Sink<'_>) -> Option<String> {
    let text = match prepare(raw, sink) {
        Prepared::Empty | Prepared::Rejected => return None,
        Prepared::Number(number) => CellValue::Number(number).to_string().into(),
        Prepared::Text(text) => text,
    };
    match canonical_email(&text) {
        Some(canonical) => {
            warn_if_formula_like(&canonical, sink);
            Some(canonical)
        }
        None => {
            let shown_value = shown(&text);
            sink.error(
                codes::EMAIL_FORMAT,
                format!(
                    "Sähköpostiosoite \"{shown_value}\" ei ole kelvollinen; odotettiin yhtä osoitetta muodossa nimi@esimerkki.fi."
                ),
                format!(
                    "E-postadressen \"{shown_value}\" är inte giltig; väntade en adress i formen namn@exempel.fi."
                ),
                format!(
                    "Email address \"{shown_value}\" is not valid; expected one address of the form name@example.fi."
                ),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_addresses() {
        for address in [
            "info@esimerkki.fi",
            "matti.meikalainen@sub.esimerkki.fi",
            "first+tag@example.com",
            "o'brien@example.ie",
            "jörö@esimerkki.fi",
            "info@äänekoski.fi",
            "x@a-b.co",
        ] {
            assert!(canonical_email(address).is_some(), "{address}");
        }
    }

    #[test]
    fn invalid_addresses() {
        for address in [
            "info",
            "@esimerkki.fi",
            "info@",
            "info@esimerkki",
            "info@@esimerkki.fi",
            "a@b@c.fi",
            "in fo@esimerkki.fi",
            ".info@esimerkki.fi",
            "info.@esimerkki.fi",
            "in..fo@esimerkki.fi",
            "info@-esimerkki.fi",
            "info@esimerkki-.fi",
            "info@esimerkki..fi",
            "info@esimerkki.f",
            "info@1.2.3.4",
            "a@b.fi; c@d.fi",
            "Matti <matti@esimerkki.fi>",
            "\"quoted\"@esimerkki.fi",
        ] {
            assert!(canonical_email(address).is_none(), "{address}");
        }
    }
}
