//! Rules every text value follows: NFC, trimmed, no control characters, within its length.

use crate::checked::{Checked, Sink, run};
use crate::codes;
use std::borrow::Cow;
use std::fmt::Write as _;
use tuonti_domain::{CellValue, FieldKey, FieldKind, Location};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// A cell value as the validators read it, borrowed so that plain text costs no copy.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Raw<'a> {
    /// Text as typed.
    Text(&'a str),
    /// A numeric cell.
    Number(f64),
    /// Anything else (empty, a date, a truth value, an error value).
    Cell(&'a CellValue),
}

impl<'a> Raw<'a> {
    pub(crate) fn from_cell(cell: &'a CellValue) -> Self {
        match cell {
            CellValue::Text(text) => Raw::Text(text),
            CellValue::Number(number) => Raw::Number(*number),
            other => Raw::Cell(other),
        }
    }
}

/// Undoes [`escape_csv_formula`](tuonti_domain::escape_csv_formula): a `'` before `=`, `+`,
/// `-`, `@`, a tab or a carriage return is the text marker a CSV export (ours, or Excel's)
/// put there, not part of the value, so an exported file imports back as it was.
/// Spaces before the `'` do not hide it (the value is trimmed anyway): a value reads the same
/// whether or not it was trimmed first (found by the `validators` fuzz target: `" '+"`).
fn strip_formula_escape(text: &str) -> &str {
    match text.trim_start().strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => text,
    }
}

/// A cell after the rules shared by all fields.
#[derive(Debug)]
pub(crate) enum Prepared<'a> {
    /// Nothing in the cell.
    Empty,
    /// Clean text: NFC, trimmed, non-empty, allowed characters, within the length limit.
    Text(Cow<'a, str>),
    /// A numeric cell, for the validators that know what Excel does to numbers.
    Number(f64),
    /// Rejected with an error already reported.
    Rejected,
}

/// Applies the shared rules: empty cells, cell types, then [`clean`] for text.
pub(crate) fn prepare<'a>(raw: Raw<'a>, sink: &mut Sink<'_>) -> Prepared<'a> {
    match raw {
        Raw::Text(text) => match clean(strip_formula_escape(text), sink) {
            Some(cleaned) if cleaned.is_empty() => Prepared::Empty,
            Some(cleaned) => Prepared::Text(cleaned),
            None => Prepared::Rejected,
        },
        Raw::Number(number) => Prepared::Number(number),
        Raw::Cell(CellValue::Empty) => Prepared::Empty,
        Raw::Cell(CellValue::Text(text)) => prepare(Raw::Text(text), sink),
        Raw::Cell(CellValue::Number(number)) => Prepared::Number(*number),
        Raw::Cell(CellValue::Error(code)) => {
            sink.error(
                codes::CELL_ERROR_VALUE,
                format!("Solussa on virhearvo {code}; odotettiin arvoa tai tyhjää."),
                format!("Cellen innehåller felvärdet {code}; väntade ett värde eller ingenting."),
                format!("The cell holds the error value {code}; expected a value or nothing."),
            );
            Prepared::Rejected
        }
        Raw::Cell(other) => {
            let (fi_kind, sv_kind, en_kind) = cell_kind(other);
            sink.error(
                codes::CELL_WRONG_TYPE,
                format!(
                    "Solussa on {fi_kind} \"{other}\"; odotettiin tekstiä. Muotoile sarake tekstiksi."
                ),
                format!(
                    "Cellen innehåller {sv_kind} \"{other}\"; väntade text. Formatera kolumnen som text."
                ),
                format!(
                    "The cell holds {en_kind} \"{other}\"; expected text. Format the column as text."
                ),
            );
            Prepared::Rejected
        }
    }
}

/// What a cell holds, for messages: the Finnish, Swedish and English name of its type (a truth
/// value, a date, or a date and time; text, numbers and empty cells are never wrong).
pub(crate) fn cell_kind(cell: &CellValue) -> (&'static str, &'static str, &'static str) {
    match cell {
        CellValue::Bool(_) => ("totuusarvo", "ett sanningsvärde", "a truth value"),
        CellValue::Date(_) => ("päivämäärä", "ett datum", "a date"),
        _ => (
            "päivämäärä ja aika",
            "ett datum och en tid",
            "a date and time",
        ),
    }
}

/// Reports [`CELL_WRONG_TYPE`](codes::CELL_WRONG_TYPE) for a cell whose type the field cannot
/// hold, with what was expected (`expected`: Finnish, Swedish and English, e.g. "euromäärää",
/// "ett belopp i euro", "an amount in euros").
pub(crate) fn wrong_type(cell: &CellValue, expected: [&str; 3], sink: &mut Sink<'_>) {
    let [expected_fi, expected_sv, expected_en] = expected;
    let (fi_kind, sv_kind, en_kind) = cell_kind(cell);
    sink.error(
        codes::CELL_WRONG_TYPE,
        format!("Solussa on {fi_kind} \"{cell}\"; odotettiin {expected_fi}."),
        format!("Cellen innehåller {sv_kind} \"{cell}\"; väntade {expected_sv}."),
        format!("The cell holds {en_kind} \"{cell}\"; expected {expected_en}."),
    );
}

/// Text with the look-alikes of ASCII that numbers and dates are written with mapped to
/// ASCII: fullwidth forms (U+FF01–U+FF5E, as an East Asian input method types them: `２０２４`)
/// to their ASCII letters, digits and punctuation (what NFKC does to them, and nothing more:
/// superscripts and other digits stay as they are and are not read), every space character
/// (no-break, narrow no-break, figure, thin, ideographic) to a plain space, and the minus
/// sign and Unicode dashes to `-`. Borrowed when the text is plain ASCII.
pub(crate) fn ascii_forms(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                // The fullwidth block is ASCII shifted by 0xFEE0; the result is ASCII.
                '\u{ff01}'..='\u{ff5e}' => char::from_u32(u32::from(c) - 0xfee0).unwrap_or(c),
                '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => ' ',
                '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
                other => other,
            })
            .collect(),
    )
}

/// A prepared value as text: numbers as a spreadsheet shows them.
pub(crate) fn prepared_text(prepared: Prepared<'_>) -> Option<Cow<'_, str>> {
    match prepared {
        Prepared::Text(text) => Some(text),
        Prepared::Number(number) => Some(Cow::Owned(CellValue::Number(number).to_string())),
        Prepared::Empty | Prepared::Rejected => None,
    }
}

/// Whether a field holds an identifier, where invisible characters are errors.
pub(crate) fn is_identifier(field: FieldKey) -> bool {
    field.spec().kind == FieldKind::Identifier
        || matches!(
            field,
            FieldKey::Email | FieldKey::Website | FieldKey::Country
        )
}

fn is_trimmed(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

fn is_control(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
}

fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// The name of an invisible format character, `None` for any other character.
fn invisible_name(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{ad}' => "SOFT HYPHEN",
        '\u{34f}' => "COMBINING GRAPHEME JOINER",
        '\u{180e}' => "MONGOLIAN VOWEL SEPARATOR",
        '\u{200b}' => "ZERO WIDTH SPACE",
        '\u{200c}' => "ZERO WIDTH NON-JOINER",
        '\u{200d}' => "ZERO WIDTH JOINER",
        '\u{2060}' => "WORD JOINER",
        '\u{2061}' => "FUNCTION APPLICATION",
        '\u{2062}' => "INVISIBLE TIMES",
        '\u{2063}' => "INVISIBLE SEPARATOR",
        '\u{2064}' => "INVISIBLE PLUS",
        '\u{feff}' => "ZERO WIDTH NO-BREAK SPACE",
        _ => return None,
    })
}

/// A value as a message shows it: control characters escaped, at most 60 characters.
/// Borrowed, without a copy, when nothing needs escaping or cutting (the common case: messages
/// are built only for values with issues, but some checks take the shown value up front).
pub(crate) fn shown(value: &str) -> Cow<'_, str> {
    let needs_escape = |c: char| is_control(c) || is_bidi_control(c) || invisible_name(c).is_some();
    let plain = value
        .chars()
        .enumerate()
        .all(|(index, c)| index < 60 && (c.is_ascii_graphic() || c == ' ' || !needs_escape(c)));
    if plain {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len().min(64));
    for (index, c) in value.chars().enumerate() {
        if index == 60 {
            out.push('…');
            break;
        }
        if is_control(c) || is_bidi_control(c) || invisible_name(c).is_some() {
            let _ = write!(out, "<U+{:04X}>", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Cleans one text value for `sink.field`: NFC, trimmed (no-break spaces included), CRLF to
/// LF in the street address, and checks control, bidi and invisible characters and the
/// length. Returns `None` when an error was reported.
///
/// Plain ASCII that needs no trimming is returned borrowed, without a copy.
pub(crate) fn clean<'a>(text: &'a str, sink: &mut Sink<'_>) -> Option<Cow<'a, str>> {
    let field = sink.field;
    let normalized: Cow<'a, str> =
        if text.is_ascii() || is_nfc_quick(text.chars()) == IsNormalized::Yes {
            Cow::Borrowed(text)
        } else {
            Cow::Owned(text.nfc().collect())
        };
    let mut cleaned = match normalized {
        Cow::Borrowed(text) => Cow::Borrowed(text.trim_matches(is_trimmed)),
        Cow::Owned(text) => Cow::Owned(text.trim_matches(is_trimmed).to_owned()),
    };
    let multiline = matches!(
        field,
        FieldKey::StreetAddress | FieldKey::Notes | FieldKey::Description
    );
    if multiline && cleaned.contains("\r\n") {
        cleaned = Cow::Owned(cleaned.replace("\r\n", "\n"));
    }
    let identifier = is_identifier(field);
    let label_fi = field_label_fi(field);
    let label_sv = field_label_sv(field);
    let label_en = field_label_en(field);
    let mut ok = true;
    let mut count = 0usize;
    // Report each kind of bad character once, for the first occurrence.
    let (mut seen_control, mut seen_bidi, mut seen_invisible) = (false, false, false);
    for c in cleaned.chars() {
        count += 1;
        if c.is_ascii_graphic() || c == ' ' {
            continue;
        }
        if is_control(c) {
            if c == '\n' && multiline {
                continue;
            }
            ok = false;
            if !seen_control {
                seen_control = true;
                let code = u32::from(c);
                let (fi_extra, sv_extra, en_extra) = if multiline {
                    (
                        " (rivinvaihto sallitaan)",
                        " (radbyte är tillåtet)",
                        " (a line feed is allowed)",
                    )
                } else {
                    ("", "", "")
                };
                sink.error(
                    codes::TEXT_CONTROL_CHARACTER,
                    format!(
                        "{label_fi} \"{}\" sisältää ohjausmerkin U+{code:04X}; odotettiin tavallista tekstiä{fi_extra}.",
                        shown(&cleaned)
                    ),
                    format!(
                        "{label_sv} \"{}\" innehåller styrtecknet U+{code:04X}; väntade vanlig text{sv_extra}.",
                        shown(&cleaned)
                    ),
                    format!(
                        "{label_en} \"{}\" contains the control character U+{code:04X}; expected plain text{en_extra}.",
                        shown(&cleaned)
                    ),
                );
            }
        } else if is_bidi_control(c) {
            ok = false;
            if !seen_bidi {
                seen_bidi = true;
                let code = u32::from(c);
                sink.error(
                    codes::TEXT_BIDI_CONTROL,
                    format!(
                        "{label_fi} \"{}\" sisältää kirjoitussuunnan ohjausmerkin U+{code:04X}; odotettiin tavallista tekstiä.",
                        shown(&cleaned)
                    ),
                    format!(
                        "{label_sv} \"{}\" innehåller styrtecknet för skrivriktning U+{code:04X}; väntade vanlig text.",
                        shown(&cleaned)
                    ),
                    format!(
                        "{label_en} \"{}\" contains the bidirectional control character U+{code:04X}; expected plain text.",
                        shown(&cleaned)
                    ),
                );
            }
        } else if identifier && let Some(name) = invisible_name(c) {
            ok = false;
            if !seen_invisible {
                seen_invisible = true;
                let code = u32::from(c);
                sink.error(
                    codes::TEXT_INVISIBLE_CHARACTER,
                    format!(
                        "{label_fi} \"{}\" sisältää näkymättömän merkin {name} (U+{code:04X}); poista se.",
                        shown(&cleaned)
                    ),
                    format!(
                        "{label_sv} \"{}\" innehåller det osynliga tecknet {name} (U+{code:04X}); ta bort det.",
                        shown(&cleaned)
                    ),
                    format!(
                        "{label_en} \"{}\" contains the invisible character {name} (U+{code:04X}); remove it.",
                        shown(&cleaned)
                    ),
                );
            }
        }
    }
    let max_len = field.spec().max_len;
    if count > max_len {
        ok = false;
        sink.error(
            codes::TEXT_TOO_LONG,
            format!(
                "{label_fi} \"{}\" on {count} merkkiä pitkä; enintään {max_len} merkkiä sallitaan.",
                shown(&cleaned)
            ),
            format!(
                "{label_sv} \"{}\" har {count} tecken; högst {max_len} tecken är tillåtna.",
                shown(&cleaned)
            ),
            format!(
                "{label_en} \"{}\" is {count} characters long; at most {max_len} are allowed.",
                shown(&cleaned)
            ),
        );
    }
    ok.then_some(cleaned)
}

/// Warns when a stored value looks like a formula (every field but the phone number).
pub(crate) fn warn_if_formula_like(value: &str, sink: &mut Sink<'_>) {
    if sink.field != FieldKey::Phone && tuonti_domain::is_formula_like(value) {
        let label_fi = field_label_fi(sink.field);
        let label_sv = field_label_sv(sink.field);
        let label_en = field_label_en(sink.field);
        sink.warning(
            codes::TEXT_FORMULA_LIKE,
            format!(
                "{label_fi} \"{}\" alkaa merkillä {}; se tallennetaan sellaisenaan eikä sitä koskaan lasketa kaavana.",
                shown(value),
                &value[..1]
            ),
            format!(
                "{label_sv} \"{}\" börjar med {}; det sparas som det skrevs och beräknas aldrig som en formel.",
                shown(value),
                &value[..1]
            ),
            format!(
                "{label_en} \"{}\" starts with {}; it is kept as typed and never evaluated as a formula.",
                shown(value),
                &value[..1]
            ),
        );
    }
}

/// The field's name in Finnish messages.
pub(crate) fn field_label_fi(field: FieldKey) -> &'static str {
    field.spec().header.fi
}

/// The field's name in Swedish messages.
pub(crate) fn field_label_sv(field: FieldKey) -> &'static str {
    field.spec().header.sv
}

/// The field's name in English messages.
pub(crate) fn field_label_en(field: FieldKey) -> &'static str {
    field.spec().header.en
}

/// Validates a free-text field (name, name extension, street address, city, or a per-row
/// choice such as company type): the shared text rules only. A numeric cell becomes its
/// text as a spreadsheet shows it.
///
/// Issues: [`TEXT_CONTROL_CHARACTER`](codes::TEXT_CONTROL_CHARACTER),
/// [`TEXT_BIDI_CONTROL`](codes::TEXT_BIDI_CONTROL),
/// [`TEXT_INVISIBLE_CHARACTER`](codes::TEXT_INVISIBLE_CHARACTER) (identifier fields),
/// [`TEXT_TOO_LONG`](codes::TEXT_TOO_LONG), [`TEXT_FORMULA_LIKE`](codes::TEXT_FORMULA_LIKE),
/// [`CELL_ERROR_VALUE`](codes::CELL_ERROR_VALUE), [`CELL_WRONG_TYPE`](codes::CELL_WRONG_TYPE).
/// It does not report a missing required value; the row validator does
/// ([`NAME_REQUIRED`](codes::NAME_REQUIRED)).
///
/// ```
/// use tuonti_domain::{CellValue, FieldKey, Location};
/// let checked = tuonti_validation::text(
///     FieldKey::City,
///     &CellValue::Text(" Helsinki\u{a0}".into()),
///     &Location::cell(2, 6),
/// );
/// assert_eq!(checked.value.as_deref(), Some("Helsinki"));
/// assert!(checked.issues.is_empty());
/// ```
pub fn text(field: FieldKey, cell: &CellValue, location: &Location) -> Checked<String> {
    run(field, location, |sink| {
        text_raw(Raw::from_cell(cell), sink).map(Cow::into_owned)
    })
}

pub(crate) fn text_raw<'a>(raw: Raw<'a>, sink: &mut Sink<'_>) -> Option<Cow<'a, str>> {
    let value = prepared_text(prepare(raw, sink))?;
    warn_if_formula_like(&value, sink);
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tuonti_domain::escape_csv_formula;

    #[test]
    fn the_csv_formula_escape_is_undone() {
        assert_eq!(strip_formula_escape("'+358401234567"), "+358401234567");
        assert_eq!(strip_formula_escape("'=SUM(A1)"), "=SUM(A1)");
        assert_eq!(strip_formula_escape("'Quoted"), "'Quoted");
        assert_eq!(strip_formula_escape("O'Brien"), "O'Brien");
        // Found by fuzzing: the escape after spaces, so that trimming first changes nothing.
        assert_eq!(strip_formula_escape(" '+"), "+");
        assert_eq!(strip_formula_escape("  '=SUM(A1)"), "=SUM(A1)");
    }

    fn check(field: FieldKey, input: &str) -> Checked<String> {
        text(field, &CellValue::Text(input.into()), &Location::default())
    }

    #[test]
    fn trims_and_composes() {
        let checked = check(FieldKey::Name, "\u{a0} Kylma\u{308} Oy \t");
        assert_eq!(checked.value.as_deref(), Some("Kylmä Oy"));
        assert!(checked.issues.is_empty());
    }

    #[test]
    fn line_feeds_only_in_the_street_address() {
        let street = check(FieldKey::StreetAddress, "Katu 1\r\nB 2");
        assert_eq!(street.value.as_deref(), Some("Katu 1\nB 2"));
        let name = check(FieldKey::Name, "Esimerkki\nOy");
        assert!(name.has("text.control_character"));
        assert_eq!(name.value, None);
        let lone_cr = check(FieldKey::StreetAddress, "Katu 1\rB");
        assert!(lone_cr.has("text.control_character"));
        let c1 = check(FieldKey::City, "Hel\u{85}sinki");
        assert!(c1.has("text.control_character"));
    }

    #[test]
    fn bidi_controls_are_errors() {
        let checked = check(FieldKey::Name, "Evil\u{202e}Oy");
        assert!(checked.has("text.bidi_control"));
        assert!(!checked.is_valid());
    }

    #[test]
    fn invisible_characters_in_identifiers_are_named() {
        let checked = check(FieldKey::BusinessId, "0112038\u{200b}-9");
        let issue = &checked.issues[0];
        assert_eq!(issue.code.as_str(), "text.invisible_character");
        assert!(
            issue.message.en.contains("ZERO WIDTH SPACE"),
            "{}",
            issue.message.en
        );
        // In a name a zero-width joiner is allowed (emoji, scripts).
        assert!(check(FieldKey::Name, "A\u{200d}B").is_valid());
    }

    #[test]
    fn long_values_are_errors_never_cut() {
        let long = "x".repeat(201);
        let checked = check(FieldKey::Name, &long);
        assert!(checked.has("text.too_long"));
        assert_eq!(checked.value, None);
        assert!(check(FieldKey::Name, &"ä".repeat(200)).is_valid());
    }

    #[test]
    fn formulas_are_kept_with_a_warning() {
        let checked = check(FieldKey::Name, "=1+1");
        assert_eq!(checked.value.as_deref(), Some("=1+1"));
        assert!(checked.has("text.formula_like"));
        assert!(checked.is_valid());
        assert_eq!(escape_csv_formula("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(escape_csv_formula("-5"), "'-5");
    }

    #[test]
    fn other_cell_types() {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).map(CellValue::Date);
        let checked = text(FieldKey::City, &date.unwrap(), &Location::cell(3, 1));
        assert!(checked.has("cell.wrong_type"));
        assert!(checked.issues[0].message.en.contains("a date \"5.1.2026\""));
        let truth = text(FieldKey::City, &CellValue::Bool(true), &Location::default());
        assert!(truth.has("cell.wrong_type"));
        let error = text(
            FieldKey::City,
            &CellValue::Error("#N/A".into()),
            &Location::default(),
        );
        assert!(error.has("cell.error_value"));
        let number = text(
            FieldKey::City,
            &CellValue::Number(42.0),
            &Location::default(),
        );
        assert_eq!(number.value.as_deref(), Some("42"));
        assert!(
            text(FieldKey::City, &CellValue::Empty, &Location::default())
                .value
                .is_none()
        );
    }

    #[test]
    fn shown_escapes_and_cuts() {
        assert_eq!(shown("a\u{7}b"), "a<U+0007>b");
        assert_eq!(shown(&"y".repeat(70)).chars().count(), 61);
    }
}
