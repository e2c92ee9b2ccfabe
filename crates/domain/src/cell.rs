//! Cell values as a spreadsheet or CSV file holds them, before validation.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A value read from one cell, typed as the file stored it.
///
/// Readers keep the type: a number stays a [`CellValue::Number`] even in an identifier column,
/// so validation knows that Excel may have dropped leading zeros (`100` for postal code
/// `00100`) and can pad it with a warning, while a text value is never padded. A date-formatted
/// cell is a date, never its serial number. A formula gives its cached value, never evaluated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
#[non_exhaustive]
pub enum CellValue {
    /// No value (an empty cell, an empty CSV field, or a formula with no cached value).
    Empty,
    /// Text, as typed (not yet trimmed or normalized).
    Text(String),
    /// A number.
    Number(f64),
    /// TRUE or FALSE.
    Bool(bool),
    /// A date without a time of day.
    Date(NaiveDate),
    /// A date with a time of day.
    DateTime(NaiveDateTime),
    /// An error value such as `#N/A` or `#DIV/0!`.
    Error(String),
}

impl CellValue {
    /// Whether the cell holds nothing, or only whitespace.
    pub fn is_blank(&self) -> bool {
        match self {
            CellValue::Empty => true,
            CellValue::Text(text) => text.trim().is_empty(),
            _ => false,
        }
    }

    /// The text of a [`CellValue::Text`], else `None`.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            CellValue::Text(text) => Some(text),
            _ => None,
        }
    }
}

impl fmt::Display for CellValue {
    /// The value as a user would read it: integral numbers without a decimal part, dates as
    /// `d.m.yyyy` (the Finnish form), errors as their code.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CellValue::Empty => Ok(()),
            CellValue::Text(text) => f.write_str(text),
            CellValue::Number(number) => {
                if number.fract() == 0.0 && number.abs() < 1e15 {
                    write!(f, "{number:.0}")
                } else {
                    write!(f, "{number}")
                }
            }
            CellValue::Bool(value) => f.write_str(if *value { "TRUE" } else { "FALSE" }),
            CellValue::Date(date) => write!(f, "{}", date.format("%-d.%-m.%Y")),
            CellValue::DateTime(datetime) => {
                write!(f, "{}", datetime.format("%-d.%-m.%Y %H:%M:%S"))
            }
            CellValue::Error(code) => f.write_str(code),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_display_like_a_spreadsheet() {
        assert_eq!(CellValue::Number(100.0).to_string(), "100");
        assert_eq!(CellValue::Number(1234.5).to_string(), "1234.5");
        let date = NaiveDate::from_ymd_opt(2026, 1, 5).map(CellValue::Date);
        assert_eq!(date.map(|d| d.to_string()).as_deref(), Some("5.1.2026"));
        assert!(CellValue::Text(" \u{a0}".into()).is_blank());
        assert!(!CellValue::Number(0.0).is_blank());
    }
}
