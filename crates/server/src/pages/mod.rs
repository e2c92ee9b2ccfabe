//! The HTML pages. Each handler reads its input, calls the shared [`crate::service`] layer and
//! renders the result; errors are rendered by the `context` middleware.

pub mod auth;
pub mod data;
pub mod listings;
pub mod reports;
pub mod setup;
pub mod wizard;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// The pairs of an `application/x-www-form-urlencoded` body, decoded, in order (repeated
/// names kept).
pub fn parse_form(body: &[u8]) -> Vec<(String, String)> {
    body.split(|&b| b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let mut parts = pair.splitn(2, |&b| b == b'=');
            let key = decode(parts.next().unwrap_or_default());
            let value = decode(parts.next().unwrap_or_default());
            (key, value)
        })
        .collect()
}

fn decode(bytes: &[u8]) -> String {
    let hex_value = |byte: u8| (byte as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        let escaped = if byte == b'%' && index + 2 < bytes.len() {
            hex_value(bytes[index + 1]).zip(hex_value(bytes[index + 2]))
        } else {
            None
        };
        match (byte, escaped) {
            (_, Some((high, low))) => {
                // Two hex digits: at most 255.
                out.push(u8::try_from(high * 16 + low).unwrap_or(b'?'));
                index += 3;
                continue;
            }
            (b'+', None) => out.push(b' '),
            (other, None) => out.push(other),
        }
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The first value of a form field.
pub fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// A file download.
pub fn attachment(name: &str, content_type: &'static str, bytes: Vec<u8>) -> Response {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        crate::views::url_encode(name)
    );
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// The content type of xlsx files.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A company type as recorded (by a name in any language) named in the page's language; as
/// recorded when no type has that name.
pub fn company_type_shown(
    ctx: &crate::auth::Ctx,
    types: &[tuonti_domain::CompanyType],
    recorded: String,
) -> String {
    let key = tuonti_domain::name_key(&recorded);
    types
        .iter()
        .find(|company_type| {
            company_type
                .names
                .iter()
                .any(|(_, name)| tuonti_domain::name_key(name) == key)
        })
        .map_or(recorded, |company_type| {
            company_type.names.get(ctx.lang).to_owned()
        })
}

#[cfg(test)]
mod tests {
    use super::parse_form;

    #[test]
    fn parses_forms_with_escapes_and_repeats() {
        let form = parse_form(b"a=1&b=Y-tunnus+%C3%A4&a=2&c=%ZZ&d=50%25&e");
        assert_eq!(
            form,
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "Y-tunnus ä".into()),
                ("a".into(), "2".into()),
                ("c".into(), "%ZZ".into()),
                ("d".into(), "50%".into()),
                ("e".into(), String::new()),
            ]
        );
    }
}
