//! Websites.

use crate::checked::{Checked, Sink, run};
use crate::codes;
use crate::email::is_domain;
use crate::text::{Prepared, Raw, prepare, shown, warn_if_formula_like};
use tuonti_domain::{CellValue, FieldKey, Location};

/// The canonical form of a web address (`https://` added when no scheme is given), or `None`
/// when it is not an http(s) address with a host name that has a dot.
pub(crate) fn canonical_website(text: &str) -> Option<String> {
    if text.chars().any(char::is_whitespace) {
        return None;
    }
    let lower_start = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    let (scheme, rest) = if lower_start.starts_with("https://") {
        ("https://", &text[8..])
    } else if lower_start.starts_with("http://") {
        ("http://", &text[7..])
    } else if text.contains("://") {
        return None;
    } else {
        ("https://", text)
    };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..host_end];
    if authority.contains('@') {
        return None;
    }
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => host,
        Some(_) => return None,
        None => authority,
    };
    let host = host.strip_suffix('.').unwrap_or(host);
    if !is_domain(host) {
        return None;
    }
    let mut out = String::with_capacity(scheme.len() + rest.len());
    out.push_str(scheme);
    out.push_str(rest);
    Some(out)
}

/// Validates a website, optional: a host name with a dot and an optional `http://` or
/// `https://`. The value has its scheme, `https://` added when missing
/// (`www.esimerkki.fi` becomes `https://www.esimerkki.fi`). Anything else is kept as typed
/// with a warning.
///
/// Issues: [`WEBSITE_FORMAT`](codes::WEBSITE_FORMAT) (warning), and the shared `text.*` and
/// `cell.*` issues.
///
/// ```
/// use tuonti_domain::{CellValue, Location};
/// let checked = tuonti_validation::website(
///     &CellValue::Text("www.esimerkki.fi".into()),
///     &Location::default(),
/// );
/// assert_eq!(checked.value.as_deref(), Some("https://www.esimerkki.fi"));
/// ```
pub fn website(cell: &CellValue, location: &Location) -> Checked<String> {
    run(FieldKey::Website, location, |sink| {
        website_raw(Raw::from_cell(cell), sink)
    })
}

pub(crate) fn website_raw(raw: Raw<'_>, sink: &mut Sink<'_>) -> Option<String> {
    let text = match prepare(raw, sink) {
        Prepared::Empty | Prepared::Rejected => return None,
        Prepared::Number(number) => CellValue::Number(number).to_string().into(),
        Prepared::Text(text) => text,
    };
    match canonical_website(&text) {
        Some(canonical) => Some(canonical),
        None => {
            let shown_value = shown(&text);
            sink.warning(
                codes::WEBSITE_FORMAT,
                format!(
                    "Verkkosivujen osoite \"{shown_value}\" ei ole muotoa www.esimerkki.fi tai https://www.esimerkki.fi; se tallennetaan sellaisenaan."
                ),
                format!(
                    "Webbplatsen \"{shown_value}\" har inte formen www.exempel.fi eller https://www.exempel.fi; den sparas som den skrevs."
                ),
                format!(
                    "Website \"{shown_value}\" is not of the form www.example.fi or https://www.example.fi; it is kept as typed."
                ),
            );
            warn_if_formula_like(&text, sink);
            Some(text.into_owned())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_are_added_or_kept() {
        assert_eq!(
            canonical_website("esimerkki.fi").as_deref(),
            Some("https://esimerkki.fi")
        );
        assert_eq!(
            canonical_website("http://esimerkki.fi/yhteys?x=1").as_deref(),
            Some("http://esimerkki.fi/yhteys?x=1")
        );
        assert_eq!(
            canonical_website("HTTPS://www.esimerkki.fi:8443/").as_deref(),
            Some("https://www.esimerkki.fi:8443/")
        );
        assert_eq!(
            canonical_website("www.äänekoski.fi").as_deref(),
            Some("https://www.äänekoski.fi")
        );
    }

    #[test]
    fn others_are_kept_with_a_warning() {
        for text in [
            "esimerkki",
            "ftp://esimerkki.fi",
            "www.esimerkki .fi",
            "user@esimerkki.fi",
            "-",
        ] {
            assert_eq!(canonical_website(text), None, "{text}");
        }
        let checked = website(&CellValue::Text("esimerkki".into()), &Location::default());
        assert_eq!(checked.value.as_deref(), Some("esimerkki"));
        assert!(checked.has("website.format"));
        assert!(checked.is_valid());
    }
}
