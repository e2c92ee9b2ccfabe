//! Issues: what is wrong (or worth a look) in a value, with where it is.

use crate::{FieldKey, Lang, LocalizedText};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// How serious an issue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth a look; the value was accepted (possibly normalized).
    Warning,
    /// The value cannot be accepted; the row is rejected.
    Error,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stable, machine-readable issue code such as `business_id.check_digit`.
///
/// Codes never change meaning once published; reports and tests match on them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct IssueCode(Cow<'static, str>);

impl IssueCode {
    /// A code from a static string, usable in `const` items.
    pub const fn new(code: &'static str) -> Self {
        Self(Cow::Borrowed(code))
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<String> for IssueCode {
    fn from(code: String) -> Self {
        Self(Cow::Owned(code))
    }
}

impl fmt::Display for IssueCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Turns a 0-based column index into spreadsheet letters: 0 is `A`, 25 `Z`, 26 `AA`.
///
/// ```
/// assert_eq!(tuonti_domain::column_letters(0), "A");
/// assert_eq!(tuonti_domain::column_letters(27), "AB");
/// assert_eq!(tuonti_domain::column_letters(16383), "XFD");
/// ```
pub fn column_letters(column: u32) -> String {
    let mut n = u64::from(column) + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// Where an issue is: as much of file, sheet, row, column and field as is known.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Location {
    /// The file name as the user gave it.
    pub file: Option<String>,
    /// The sheet name (none for CSV).
    pub sheet: Option<String>,
    /// The 1-based row number as the spreadsheet shows it.
    pub row: Option<u32>,
    /// The 0-based column index (`A` is 0).
    pub column: Option<u32>,
    /// The field the column maps to.
    pub field: Option<FieldKey>,
}

impl Location {
    /// A cell: 1-based row, 0-based column.
    pub fn cell(row: u32, column: u32) -> Self {
        Self {
            row: Some(row),
            column: Some(column),
            ..Self::default()
        }
    }

    /// The same location in `sheet`.
    pub fn in_sheet(mut self, sheet: impl Into<String>) -> Self {
        self.sheet = Some(sheet.into());
        self
    }

    /// The same location in `file`.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// The same location, for `field`.
    pub fn for_field(mut self, field: FieldKey) -> Self {
        self.field = Some(field);
        self
    }

    /// The cell as a spreadsheet names it: `C7`, `Yritykset!C7`, or `row 7` when the column is
    /// unknown: the stable, English form that JSON output carries. For people, see
    /// [`Location::cell_ref_in`].
    pub fn cell_ref(&self) -> Option<String> {
        self.cell_ref_in(Lang::En)
    }

    /// The cell as a user sees it, in `lang`: `C7`, `Yritykset!C7`, or `rivi 7` / `rad 7` /
    /// `row 7` (after the sheet: `Yritykset, rivi 7`) when the column is unknown.
    pub fn cell_ref_in(&self, lang: Lang) -> Option<String> {
        let sheet = self.sheet.as_ref().map(|sheet| {
            if needs_quotes(sheet) {
                format!("'{}'", sheet.replace('\'', "''"))
            } else {
                sheet.clone()
            }
        });
        let cell = match (self.row, self.column) {
            (Some(row), Some(column)) => format!("{}{row}", column_letters(column)),
            (Some(row), None) => {
                let word = match lang {
                    Lang::Fi => "rivi",
                    Lang::Sv => "rad",
                    Lang::En => "row",
                };
                return Some(match sheet {
                    Some(sheet) if lang != Lang::En => format!("{sheet}, {word} {row}"),
                    Some(sheet) => format!("{sheet}!{word} {row}"),
                    None => format!("{word} {row}"),
                });
            }
            (None, Some(column)) => column_letters(column),
            (None, None) => return None,
        };
        Some(match sheet {
            Some(sheet) => format!("{sheet}!{cell}"),
            None => cell,
        })
    }
}

fn needs_quotes(sheet: &str) -> bool {
    !sheet.chars().all(|c| c.is_alphanumeric() || c == '_')
}

impl fmt::Display for Location {
    /// `file: Sheet!C7`, leaving out what is unknown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, self.cell_ref()) {
            (Some(file), Some(cell)) => write!(f, "{file}: {cell}"),
            (Some(file), None) => f.write_str(file),
            (None, Some(cell)) => f.write_str(&cell),
            (None, None) => Ok(()),
        }
    }
}

/// Something wrong with (or worth a look in) a value: where, a stable code, how serious, and a
/// message in Finnish, Swedish and English that shows the value and the expected form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    /// Where the value is.
    pub location: Location,
    /// The stable code.
    pub code: IssueCode,
    /// Error or warning.
    pub severity: Severity,
    /// The message.
    pub message: LocalizedText,
}

impl Issue {
    /// An error at an unknown location; place it with [`Issue::at`].
    pub fn error(code: IssueCode, message: LocalizedText) -> Self {
        Self {
            location: Location::default(),
            code,
            severity: Severity::Error,
            message,
        }
    }

    /// A warning at an unknown location; place it with [`Issue::at`].
    pub fn warning(code: IssueCode, message: LocalizedText) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(code, message)
        }
    }

    /// The same issue at `location`.
    pub fn at(mut self, location: Location) -> Self {
        self.location = location;
        self
    }

    /// Whether the issue rejects its row.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Issue {
    /// `Yritykset!C7: error business_id.check_digit: <English message>`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let location = self.location.to_string();
        if !location.is_empty() {
            write!(f, "{location}: ")?;
        }
        write!(f, "{} {}: {}", self.severity, self.code, self.message.en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_refs_read_like_a_spreadsheet() {
        let location = Location::cell(7, 2).in_sheet("Yritykset").in_file("a.xlsx");
        assert_eq!(location.to_string(), "a.xlsx: Yritykset!C7");
        assert_eq!(
            Location::cell(5, 1)
                .in_sheet("Sheet 1")
                .cell_ref()
                .as_deref(),
            Some("'Sheet 1'!B5")
        );
        assert_eq!(Location::default().cell_ref(), None);
        // A row whose column is unknown (a required column the sheet lacks): the stable form
        // for JSON, and the row in the reader's language for people.
        let row = Location {
            row: Some(7),
            sheet: Some("Yritykset".into()),
            ..Location::default()
        };
        assert_eq!(row.cell_ref().as_deref(), Some("Yritykset!row 7"));
        assert_eq!(
            row.cell_ref_in(Lang::Fi).as_deref(),
            Some("Yritykset, rivi 7")
        );
        assert_eq!(
            Location {
                row: Some(7),
                ..Location::default()
            }
            .cell_ref_in(Lang::Sv)
            .as_deref(),
            Some("rad 7")
        );
    }

    #[test]
    fn column_letters_roll_over() {
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn issues_display_code_and_message() {
        const CODE: IssueCode = IssueCode::new("business_id.check_digit");
        let issue = Issue::error(CODE, LocalizedText::new("Väärä", "Fel", "Wrong"))
            .at(Location::cell(3, 1));
        assert_eq!(
            issue.to_string(),
            "B3: error business_id.check_digit: Wrong"
        );
        assert!(issue.is_error());
    }
}
