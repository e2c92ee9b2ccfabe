//! Fixing cells without editing the file: the wizard's preview lets the admin correct a
//! rejected cell in the page; the fix travels with the file ([`CellFix`]), replaces the
//! cell's value as the reader reads the row (the row is validated by the same rules with the
//! fixed value), and is recorded with the file in the batch ([`RecordedFix`]: the value as
//! read and as fixed, and who fixed it).

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use tuonti_domain::{CellValue, FieldKey};

/// A corrected value for one cell: the field's column on spreadsheet row `row`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellFix {
    /// The 1-based row number as the spreadsheet shows it.
    pub row: u32,
    /// The field whose column holds the cell.
    pub field: FieldKey,
    /// The value to read instead, as typed (validated as a cell of text).
    pub value: String,
    /// Who fixed it (an email), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

/// A fix as the batch records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedFix {
    /// The 1-based row number.
    pub row: u32,
    /// The field.
    pub field: FieldKey,
    /// The value as the file holds it (empty for an empty cell).
    pub before: String,
    /// The value imported instead.
    pub after: String,
    /// Who fixed it, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

/// A file's fixes by row, with the column each one replaces (for the reader thread).
#[derive(Debug, Default)]
pub(crate) struct FixesByRow {
    by_row: HashMap<u32, Vec<(u32, usize)>>,
}

impl FixesByRow {
    /// The fixes of `fixes` placed in their columns by `column_of`; a fix whose field has
    /// no column is returned as the error.
    pub(crate) fn new(
        fixes: &[CellFix],
        column_of: impl Fn(FieldKey) -> Option<u32>,
    ) -> Result<Self, CellFix> {
        let mut by_row: HashMap<u32, Vec<(u32, usize)>> = HashMap::new();
        for (index, fix) in fixes.iter().enumerate() {
            let column = column_of(fix.field).ok_or_else(|| fix.clone())?;
            let row = by_row.entry(fix.row).or_default();
            // A later fix of the same cell wins.
            row.retain(|&(taken, _)| taken != column);
            row.push((column, index));
        }
        Ok(Self { by_row })
    }

    /// Whether there are no fixes.
    pub(crate) fn is_empty(&self) -> bool {
        self.by_row.is_empty()
    }

    /// The last row a fix names.
    pub(crate) fn last_row(&self) -> Option<u32> {
        self.by_row.keys().copied().max()
    }

    /// Applies the fixes of row `row` to `cells`, returning what each replaced.
    pub(crate) fn apply(
        &self,
        fixes: &[CellFix],
        row: u32,
        cells: &mut Vec<CellValue>,
    ) -> Vec<RecordedFix> {
        let Some(columns) = self.by_row.get(&row) else {
            return Vec::new();
        };
        let mut recorded = Vec::with_capacity(columns.len());
        for &(column, index) in columns {
            let fix = &fixes[index];
            let column = column as usize;
            if cells.len() <= column {
                cells.resize(column + 1, CellValue::Empty);
            }
            let before = std::mem::replace(&mut cells[column], CellValue::Text(fix.value.clone()));
            recorded.push(RecordedFix {
                row,
                field: fix.field,
                before: if before.is_blank() {
                    String::new()
                } else {
                    before.to_string()
                },
                after: fix.value.clone(),
                by: fix.by.clone(),
            });
        }
        recorded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(row: u32, field: FieldKey, value: &str) -> CellFix {
        CellFix {
            row,
            field,
            value: value.into(),
            by: Some("admin@example.fi".into()),
        }
    }

    #[test]
    fn fixes_replace_their_cells_and_say_what_they_replaced() {
        let fixes = vec![
            fix(3, FieldKey::Phone, "040 123 4567"),
            fix(3, FieldKey::PostalCode, "00100"),
            fix(3, FieldKey::Phone, "040 765 4321"),
        ];
        let columns = |field| match field {
            FieldKey::Phone => Some(1),
            FieldKey::PostalCode => Some(4),
            _ => None,
        };
        let by_row = FixesByRow::new(&fixes, columns).unwrap();
        assert_eq!(by_row.last_row(), Some(3));
        let mut cells = vec![
            CellValue::Text("Oy".into()),
            CellValue::Text("040 12".into()),
        ];
        let recorded = by_row.apply(&fixes, 3, &mut cells);
        assert_eq!(cells[1], CellValue::Text("040 765 4321".into()));
        assert_eq!(cells[4], CellValue::Text("00100".into()));
        assert_eq!(recorded.len(), 2);
        let phone = recorded
            .iter()
            .find(|r| r.field == FieldKey::Phone)
            .unwrap();
        assert_eq!(
            (phone.before.as_str(), phone.after.as_str()),
            ("040 12", "040 765 4321")
        );
        let postal = recorded
            .iter()
            .find(|r| r.field == FieldKey::PostalCode)
            .unwrap();
        assert_eq!(postal.before, "");
        assert!(by_row.apply(&fixes, 4, &mut cells).is_empty());
        let unmapped = FixesByRow::new(&[fix(2, FieldKey::Website, "x")], columns).unwrap_err();
        assert_eq!(unmapped.field, FieldKey::Website);
    }
}
