//! E-invoice addresses (OVT codes or IBANs) and e-invoice operators (OVT codes or BICs).

use crate::business_id::{business_id_check_digit, canonical as business_id_canonical};
use crate::checked::{Checked, Sink, run};
use crate::codes;
use crate::iban::{compact_alnum, is_bic, parse_compact, report as report_iban};
use crate::text::{Prepared, Raw, prepare, shown};
use std::borrow::Cow;
use tuonti_domain::{CellValue, FieldKey, Location};

/// An e-invoice address that passed: the canonical form and, for an OVT code, the business
/// ID digits inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EInvoice {
    pub(crate) canonical: String,
    pub(crate) business_id: Option<[u8; 8]>,
}

enum Ovt {
    /// Not of the OVT form at all.
    Other,
    /// The OVT form with a business ID whose check digit is wrong.
    BadCheckDigit,
    /// A valid OVT code and its business ID digits.
    Valid([u8; 8]),
}

/// Reads a compact upper-case OVT code: `0037`, eight business ID digits, then an optional
/// suffix of up to five letters or digits.
fn parse_ovt(compact: &str) -> Ovt {
    let Some(rest) = compact.strip_prefix("0037") else {
        return Ovt::Other;
    };
    if rest.len() < 8 || rest.len() > 13 || !rest.is_ascii() {
        return Ovt::Other;
    }
    let (id, suffix) = rest.split_at(8);
    if !id.bytes().all(|b| b.is_ascii_digit()) || !suffix.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return Ovt::Other;
    }
    let mut digits = [0u8; 8];
    for (slot, b) in digits.iter_mut().zip(id.bytes()) {
        *slot = b - b'0';
    }
    let mut base = [0u8; 7];
    base.copy_from_slice(&digits[..7]);
    if business_id_check_digit(base) == Some(digits[7]) {
        Ovt::Valid(digits)
    } else {
        Ovt::BadCheckDigit
    }
}

/// Whether a digits-only value is an OVT code that lost its two leading zeros.
fn lost_zeros(compact: &str) -> bool {
    compact.starts_with("37")
        && compact.bytes().all(|b| b.is_ascii_digit())
        && matches!(
            parse_ovt(&format!("00{compact}")),
            Ovt::Valid(_) | Ovt::BadCheckDigit
        )
}

fn zeros_dropped(shown_value: &str, sink: &mut Sink<'_>) {
    sink.error(
        codes::E_INVOICE_ZEROS_DROPPED,
        format!(
            "\"{shown_value}\" näyttää OVT-tunnukselta, josta Excel on pudottanut etunollat: oikea muoto on 00{shown_value}. Muotoile sarake tekstiksi ja kirjoita tunnus uudelleen."
        ),
        format!(
            "\"{shown_value}\" ser ut som en OVT-kod vars inledande nollor Excel har tagit bort: rätt form är 00{shown_value}. Formatera kolumnen som text och skriv in koden på nytt."
        ),
        format!(
            "\"{shown_value}\" looks like an OVT code whose leading zeros Excel dropped: the right form is 00{shown_value}. Format the column as text and enter the code again."
        ),
    );
}

fn bad_ovt_check_digit(shown_value: &str, sink: &mut Sink<'_>) {
    sink.error(
        codes::E_INVOICE_CHECK_DIGIT,
        format!(
            "OVT-tunnus \"{shown_value}\": sen Y-tunnusosan tarkistusnumero ei täsmää (muoto 0037 + Y-tunnuksen numerot ilman viivaa + valinnainen tarkenne, esimerkiksi 003701120389)."
        ),
        format!(
            "OVT-kod \"{shown_value}\": kontrollsiffran i dess FO-nummerdel stämmer inte (formen 0037 + FO-numrets siffror utan bindestreck + ett valfritt tillägg, till exempel 003701120389)."
        ),
        format!(
            "OVT code \"{shown_value}\": the check digit of its business ID part does not match (form 0037 + the business ID's digits without the dash + an optional suffix, e.g. 003701120389)."
        ),
    );
}

fn text_of<'a>(prepared: Prepared<'a>) -> Option<(Cow<'a, str>, bool)> {
    match prepared {
        Prepared::Empty | Prepared::Rejected => None,
        Prepared::Number(number) => Some((CellValue::Number(number).to_string().into(), true)),
        Prepared::Text(text) => Some((text, false)),
    }
}

/// Validates an e-invoice address: an OVT code `0037` + a valid business ID without its
/// dash + an optional suffix of up to five letters or digits, or an address in IBAN form.
/// Spaces are removed and letters upper-cased: the value is `003701120389` or
/// `FI2112345600000785`. Whether the OVT code belongs to the row's company is checked by
/// the row validator ([`E_INVOICE_OTHER_COMPANY`](codes::E_INVOICE_OTHER_COMPANY)).
///
/// Issues: [`E_INVOICE_FORMAT`](codes::E_INVOICE_FORMAT),
/// [`E_INVOICE_CHECK_DIGIT`](codes::E_INVOICE_CHECK_DIGIT),
/// [`E_INVOICE_ZEROS_DROPPED`](codes::E_INVOICE_ZEROS_DROPPED) (a number such as
/// `3701120389` whose zeros Excel dropped), the IBAN errors of [`iban`](crate::iban)
/// for an IBAN-form address, and the shared `text.*` and `cell.*` issues.
///
/// ```
/// use tuonti_domain::{CellValue, Location};
/// use tuonti_validation::e_invoice_address;
/// let ovt = e_invoice_address(&CellValue::Text("0037 0112 0389 ab1".into()), &Location::default());
/// assert_eq!(ovt.value.as_deref(), Some("003701120389AB1"));
/// let dropped = e_invoice_address(&CellValue::Number(3701120389.0), &Location::default());
/// assert!(dropped.has("e_invoice.zeros_dropped"));
/// ```
pub fn e_invoice_address(cell: &CellValue, location: &Location) -> Checked<String> {
    run(FieldKey::EInvoiceAddress, location, |sink| {
        e_invoice_raw(Raw::from_cell(cell), sink).map(|address| address.canonical)
    })
}

pub(crate) fn e_invoice_raw(raw: Raw<'_>, sink: &mut Sink<'_>) -> Option<EInvoice> {
    let (text, numeric) = text_of(prepare(raw, sink))?;
    let shown_value = shown(&text);
    let Some(compact) = compact_alnum(&text) else {
        format_error(&shown_value, sink);
        return None;
    };
    match parse_ovt(&compact) {
        Ovt::Valid(digits) => {
            return Some(EInvoice {
                canonical: compact,
                business_id: Some(digits),
            });
        }
        Ovt::BadCheckDigit => {
            bad_ovt_check_digit(&shown_value, sink);
            return None;
        }
        Ovt::Other => {}
    }
    if lost_zeros(&compact) {
        zeros_dropped(&compact, sink);
        return None;
    }
    if !numeric && compact.len() > 4 && compact.as_bytes()[..2].iter().all(u8::is_ascii_uppercase) {
        return match parse_compact(&compact) {
            Ok(_) => Some(EInvoice {
                canonical: compact,
                business_id: None,
            }),
            Err(problem) => {
                report_iban(problem, &shown_value, sink);
                None
            }
        };
    }
    format_error(&shown_value, sink);
    None
}

fn format_error(shown_value: &str, sink: &mut Sink<'_>) {
    sink.error(
        codes::E_INVOICE_FORMAT,
        format!(
            "Verkkolaskuosoite \"{shown_value}\" ei ole OVT-tunnus eikä IBAN; odotettiin 0037 + Y-tunnuksen numerot + valinnainen tarkenne (003701120389) tai IBAN (FI2112345600000785)."
        ),
        format!(
            "Nätfakturaadressen \"{shown_value}\" är varken en OVT-kod eller ett IBAN; väntade 0037 + FO-numrets siffror + ett valfritt tillägg (003701120389) eller ett IBAN (FI2112345600000785)."
        ),
        format!(
            "E-invoice address \"{shown_value}\" is neither an OVT code nor an IBAN; expected 0037 + the business ID's digits + an optional suffix (003701120389) or an IBAN (FI2112345600000785)."
        ),
    );
}

/// Warns when an OVT code names another company than the row's business ID.
pub(crate) fn warn_other_company(
    address: &str,
    ovt_business_id: &[u8; 8],
    row_business_id: &[u8; 8],
    sink: &mut Sink<'_>,
) {
    if ovt_business_id != row_business_id {
        let ovt_id = business_id_canonical(ovt_business_id);
        let row_id = business_id_canonical(row_business_id);
        sink.warning(
            codes::E_INVOICE_OTHER_COMPANY,
            format!(
                "OVT-tunnus {address} on Y-tunnuksen {ovt_id} mukainen, mutta rivin Y-tunnus on {row_id}; odotettiin 0037{}. Tarkista, laskuttaako toinen yritys.",
                &row_id.replace('-', "")
            ),
            format!(
                "OVT-koden {address} hör till FO-numret {ovt_id}, men radens FO-nummer är {row_id}; väntade 0037{}. Kontrollera om ett annat företag faktureras.",
                &row_id.replace('-', "")
            ),
            format!(
                "OVT code {address} belongs to business ID {ovt_id}, but the row's business ID is {row_id}; expected 0037{}. Check whether another company is invoiced.",
                &row_id.replace('-', "")
            ),
        );
    }
}

/// Validates an e-invoice operator ID: an OVT-form code (`003721291126`) or a BIC
/// (`NDEAFIHH`). Spaces are removed and letters upper-cased.
///
/// Issues: [`E_INVOICE_OPERATOR_FORMAT`](codes::E_INVOICE_OPERATOR_FORMAT),
/// [`E_INVOICE_CHECK_DIGIT`](codes::E_INVOICE_CHECK_DIGIT) (an OVT-form code with a wrong
/// check digit), [`E_INVOICE_ZEROS_DROPPED`](codes::E_INVOICE_ZEROS_DROPPED), and the shared
/// `text.*` and `cell.*` issues.
///
/// ```
/// use tuonti_domain::{CellValue, Location};
/// use tuonti_validation::e_invoice_operator;
/// let bic = e_invoice_operator(&CellValue::Text("ndeafihh".into()), &Location::default());
/// assert_eq!(bic.value.as_deref(), Some("NDEAFIHH"));
/// let ovt = e_invoice_operator(&CellValue::Text("003721291126".into()), &Location::default());
/// assert!(ovt.issues.is_empty());
/// ```
pub fn e_invoice_operator(cell: &CellValue, location: &Location) -> Checked<String> {
    run(FieldKey::EInvoiceOperator, location, |sink| {
        operator_raw(Raw::from_cell(cell), sink)
    })
}

pub(crate) fn operator_raw(raw: Raw<'_>, sink: &mut Sink<'_>) -> Option<String> {
    let (text, _numeric) = text_of(prepare(raw, sink))?;
    let shown_value = shown(&text);
    let compact = compact_alnum(&text);
    if let Some(compact) = compact {
        match parse_ovt(&compact) {
            Ovt::Valid(_) => return Some(compact),
            Ovt::BadCheckDigit => {
                bad_ovt_check_digit(&shown_value, sink);
                return None;
            }
            Ovt::Other if is_bic(&compact) => return Some(compact),
            Ovt::Other if lost_zeros(&compact) => {
                zeros_dropped(&compact, sink);
                return None;
            }
            Ovt::Other => {}
        }
    }
    sink.error(
        codes::E_INVOICE_OPERATOR_FORMAT,
        format!(
            "Verkkolaskuoperaattori \"{shown_value}\" ei ole OVT-muotoinen tunnus eikä BIC; odotettiin esimerkiksi 003721291126 tai NDEAFIHH."
        ),
        format!(
            "E-fakturaoperatören \"{shown_value}\" är varken en kod i OVT-form eller en BIC; väntade till exempel 003721291126 eller NDEAFIHH."
        ),
        format!(
            "E-invoice operator \"{shown_value}\" is neither an OVT-form code nor a BIC; expected e.g. 003721291126 or NDEAFIHH."
        ),
    );
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(input: &str) -> Checked<String> {
        e_invoice_address(&CellValue::Text(input.into()), &Location::default())
    }

    fn codes_of(checked: &Checked<String>) -> Vec<&str> {
        checked.issues.iter().map(|i| i.code.as_str()).collect()
    }

    #[test]
    fn ovt_codes() {
        assert_eq!(
            address("003701120389").value.as_deref(),
            Some("003701120389")
        );
        assert_eq!(
            address("0037 0112 0389 12345").value.as_deref(),
            Some("00370112038912345")
        );
        assert_eq!(
            codes_of(&address("003701120388")),
            ["e_invoice.check_digit"]
        );
        assert_eq!(
            codes_of(&address("0037011203891234567")),
            ["e_invoice.format"]
        );
        assert_eq!(codes_of(&address("0037 0112")), ["e_invoice.format"]);
    }

    #[test]
    fn dropped_zeros_are_named() {
        let text = address("3701120389");
        assert_eq!(codes_of(&text), ["e_invoice.zeros_dropped"]);
        assert!(text.issues[0].message.en.contains("003701120389"));
        let number = e_invoice_address(&CellValue::Number(3701120389.0), &Location::default());
        assert_eq!(codes_of(&number), ["e_invoice.zeros_dropped"]);
    }

    #[test]
    fn iban_addresses() {
        assert_eq!(
            address("FI21 1234 5600 0007 85").value.as_deref(),
            Some("FI2112345600000785")
        );
        assert_eq!(
            codes_of(&address("FI21 1234 5600 0007 84")),
            ["iban.check_digits"]
        );
    }

    #[test]
    fn operators() {
        let operator =
            |input: &str| e_invoice_operator(&CellValue::Text(input.into()), &Location::default());
        assert!(operator("003721291126").is_valid());
        assert!(operator("NDEA FI HH").is_valid());
        assert!(operator("OKOYFIHHXXX").is_valid());
        assert_eq!(
            codes_of(&operator("E204503")),
            ["e_invoice_operator.format"]
        );
        assert_eq!(
            codes_of(&operator("003721291125")),
            ["e_invoice.check_digit"]
        );
    }
}
