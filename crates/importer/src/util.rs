//! Small helpers shared by the use cases.

use chrono::{NaiveDateTime, SubsecRound, Utc};
use sha2::{Digest, Sha256};

/// Bytes as lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

/// The SHA-256 of bytes, lower-case hex.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The current UTC time to the microsecond (as both backends store it).
pub(crate) fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}

/// A refusal explained in Finnish, Swedish and English.
pub(crate) fn refused_in(
    fi: impl Into<String>,
    sv: impl Into<String>,
    en: impl Into<String>,
) -> crate::Error {
    crate::Error::Domain(tuonti_domain::DomainError::RefusedIn(
        tuonti_domain::LocalizedText::new(fi, sv, en),
    ))
}

/// The format of an export file by its extension.
///
/// # Errors
///
/// [`tuonti_domain::DomainError::RefusedIn`] for an extension other than `.xlsx` or `.csv`.
pub(crate) fn export_format(
    path: &std::path::Path,
) -> crate::Result<tuonti_excel_template::ExportFormat> {
    tuonti_excel_template::ExportFormat::from_path(path).ok_or_else(|| {
        let path = path.display();
        refused_in(
            format!("{path}: vientitiedoston nimen on päätyttävä .xlsx tai .csv"),
            format!("{path}: exportfilens namn ska sluta på .xlsx eller .csv"),
            format!("{path}: the export file must end in .xlsx or .csv"),
        )
    })
}

/// Writes an export's bytes to `path`.
///
/// # Errors
///
/// [`crate::Error::Workbook`] with the I/O error and the path.
pub(crate) fn write_export(path: &std::path::Path, bytes: &[u8]) -> crate::Result<()> {
    std::fs::write(path, bytes).map_err(|source| {
        crate::Error::Workbook(tuonti_excel_template::Error::Io {
            path: path.to_owned(),
            source,
        })
    })
}

/// The headers of an export of `kind`: the template's, in `lang`.
pub(crate) fn export_headers(
    kind: tuonti_domain::RecordKind,
    lang: tuonti_domain::Lang,
) -> Vec<String> {
    kind.fields()
        .iter()
        .map(|&field| kind.spec(field).header(lang).to_owned())
        .collect()
}

/// Which columns of an export of `kind` hold identifiers (formatted as text in xlsx).
pub(crate) fn export_text_columns(kind: tuonti_domain::RecordKind) -> Vec<bool> {
    kind.fields()
        .iter()
        .map(|&field| kind.spec(field).kind == tuonti_domain::FieldKind::Identifier)
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn hashes_as_lower_case_hex() {
        assert_eq!(
            super::sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
