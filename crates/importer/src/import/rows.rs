//! Choosing rows: Taimer's project import ends with "choose the projects you want to import".
//! [`ChosenRows`] are a file's rows to import, by the spreadsheet row numbers messages show
//! (`2-40,45`); the file's other rows are skipped as "not selected".

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Rows to import, by spreadsheet row number: ranges, sorted, merged, never empty.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ChosenRows {
    /// Inclusive ranges, sorted and apart (no two touch or overlap).
    ranges: Vec<(u32, u32)>,
}

/// A row choice that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChosenRowsError {
    /// Nothing chosen.
    #[error("no rows are chosen; give row numbers such as 2-40,45")]
    Empty,
    /// A part that is not a row number or a range of them.
    #[error("{part:?} is not a row number or a range such as 2-40")]
    NotARow {
        /// The part as given.
        part: String,
    },
    /// A range that ends before it begins.
    #[error(
        "{from}-{to} is backwards: a range goes from the smaller row number to the larger ({to}-{from})"
    )]
    Backwards {
        /// Where it begins.
        from: u32,
        /// Where it ends.
        to: u32,
    },
    /// Row 0 does not exist.
    #[error("rows are numbered from 1, as the spreadsheet shows them")]
    Zero,
}

impl ChosenRowsError {
    /// The message in `lang`.
    pub fn message(&self, lang: tuonti_domain::Lang) -> String {
        match lang {
            tuonti_domain::Lang::Fi => self.message_fi(),
            tuonti_domain::Lang::Sv => self.message_sv(),
            tuonti_domain::Lang::En => self.to_string(),
        }
    }

    /// The message in Swedish.
    pub fn message_sv(&self) -> String {
        match self {
            ChosenRowsError::Empty => {
                "inga rader har valts; ge radnummer, till exempel 2-40,45".into()
            }
            ChosenRowsError::NotARow { part } => {
                format!("{part:?} är inget radnummer och inget intervall som 2-40")
            }
            ChosenRowsError::Backwards { from, to } => format!(
                "{from}-{to} är baklänges: ett intervall går från det mindre radnumret till det \
                 större ({to}-{from})"
            ),
            ChosenRowsError::Zero => "raderna numreras från 1, som kalkylbladet visar dem".into(),
        }
    }

    /// The message in Finnish.
    pub fn message_fi(&self) -> String {
        match self {
            ChosenRowsError::Empty => {
                "rivejä ei ole valittu; anna rivinumerot, esimerkiksi 2-40,45".into()
            }
            ChosenRowsError::NotARow { part } => {
                format!("{part:?} ei ole rivinumero eikä väli, kuten 2-40")
            }
            ChosenRowsError::Backwards { from, to } => format!(
                "{from}-{to} on väärin päin: väli kulkee pienemmästä rivinumerosta suurempaan \
                 ({to}-{from})"
            ),
            ChosenRowsError::Zero => "rivit numeroidaan ykkösestä, kuten taulukko näyttää".into(),
        }
    }
}

impl ChosenRows {
    /// The rows `from..=to`.
    ///
    /// # Errors
    ///
    /// [`ChosenRowsError::Zero`] or [`ChosenRowsError::Backwards`].
    pub fn range(from: u32, to: u32) -> Result<Self, ChosenRowsError> {
        Self::from_ranges(vec![(from, to)])
    }

    /// The rows of `ranges` (inclusive), in any order, overlapping or not.
    ///
    /// # Errors
    ///
    /// [`ChosenRowsError::Empty`], [`ChosenRowsError::Zero`] or
    /// [`ChosenRowsError::Backwards`].
    pub fn from_ranges(mut ranges: Vec<(u32, u32)>) -> Result<Self, ChosenRowsError> {
        if ranges.is_empty() {
            return Err(ChosenRowsError::Empty);
        }
        for &(from, to) in &ranges {
            if from == 0 {
                return Err(ChosenRowsError::Zero);
            }
            if to < from {
                return Err(ChosenRowsError::Backwards { from, to });
            }
        }
        ranges.sort_unstable();
        let mut merged: Vec<(u32, u32)> = Vec::with_capacity(ranges.len());
        for (from, to) in ranges {
            match merged.last_mut() {
                Some(last) if from <= last.1.saturating_add(1) => last.1 = last.1.max(to),
                _ => merged.push((from, to)),
            }
        }
        Ok(Self { ranges: merged })
    }

    /// Whether row `row` is chosen.
    pub fn contains(&self, row: u32) -> bool {
        // Ranges are sorted and apart: the last range that begins at or before `row`.
        let index = self.ranges.partition_point(|&(from, _)| from <= row);
        index > 0 && row <= self.ranges[index - 1].1
    }

    /// The first chosen row.
    pub fn first(&self) -> u32 {
        self.ranges[0].0
    }

    /// The last chosen row.
    pub fn last(&self) -> u32 {
        self.ranges[self.ranges.len() - 1].1
    }

    /// How many rows are chosen.
    pub fn len(&self) -> u64 {
        self.ranges
            .iter()
            .map(|&(from, to)| u64::from(to - from) + 1)
            .sum()
    }

    /// Never true: a choice has at least one row.
    pub fn is_empty(&self) -> bool {
        false
    }
}

impl FromStr for ChosenRows {
    type Err = ChosenRowsError;

    /// Row numbers and ranges separated by commas (or spaces): `2-40,45`, `7`, `2–9` (an en
    /// dash), `10..20`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let number = |part: &str, whole: &str| {
            part.trim()
                .parse::<u32>()
                .map_err(|_| ChosenRowsError::NotARow {
                    part: whole.trim().to_owned(),
                })
        };
        let mut ranges = Vec::new();
        for part in s
            .split([',', ';', ' '])
            .map(str::trim)
            .filter(|part| !part.is_empty())
        {
            let bounds = part
                .split_once("..")
                .or_else(|| part.split_once(['-', '–']));
            let range = match bounds {
                Some((from, to)) => (number(from, part)?, number(to, part)?),
                None => {
                    let row = number(part, part)?;
                    (row, row)
                }
            };
            ranges.push(range);
        }
        Self::from_ranges(ranges)
    }
}

impl fmt::Display for ChosenRows {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, &(from, to)) in self.ranges.iter().enumerate() {
            if index > 0 {
                f.write_str(",")?;
            }
            if from == to {
                write!(f, "{from}")?;
            } else {
                write!(f, "{from}-{to}")?;
            }
        }
        Ok(())
    }
}

impl TryFrom<String> for ChosenRows {
    type Error = ChosenRowsError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<ChosenRows> for String {
    fn from(rows: ChosenRows) -> Self {
        rows.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_and_ranges_are_read_merged_and_written_back() {
        let rows: ChosenRows = "45, 2-40,38-41 7".parse().unwrap();
        assert_eq!(rows.to_string(), "2-41,45");
        assert_eq!(rows.len(), 41);
        assert!(rows.contains(2) && rows.contains(41) && rows.contains(45));
        assert!(!rows.contains(1) && !rows.contains(42) && !rows.contains(46));
        assert_eq!((rows.first(), rows.last()), (2, 45));
        assert_eq!("3–5".parse::<ChosenRows>().unwrap().to_string(), "3-5");
        assert_eq!("3..5,6".parse::<ChosenRows>().unwrap().to_string(), "3-6");
        let json = serde_json::to_string(&rows).unwrap();
        assert_eq!(json, "\"2-41,45\"");
        assert_eq!(serde_json::from_str::<ChosenRows>(&json).unwrap(), rows);
    }

    #[test]
    fn bad_choices_say_what_is_wrong() {
        assert_eq!(
            "40-2".parse::<ChosenRows>(),
            Err(ChosenRowsError::Backwards { from: 40, to: 2 })
        );
        assert_eq!("".parse::<ChosenRows>(), Err(ChosenRowsError::Empty));
        assert_eq!(" , ".parse::<ChosenRows>(), Err(ChosenRowsError::Empty));
        assert_eq!("0-3".parse::<ChosenRows>(), Err(ChosenRowsError::Zero));
        assert!(matches!(
            "2-x".parse::<ChosenRows>(),
            Err(ChosenRowsError::NotARow { part }) if part == "2-x"
        ));
        assert!(matches!(
            "-5".parse::<ChosenRows>(),
            Err(ChosenRowsError::NotARow { .. })
        ));
        assert!(
            ChosenRowsError::Backwards { from: 40, to: 2 }
                .message_fi()
                .contains("väärin päin")
        );
    }
}
