//! Mapping a file's column headers to the import fields of the catalog.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use tuonti_domain::{FieldKey, Lang, RecordKind};
use unicode_normalization::UnicodeNormalization;

/// The lowest similarity (the mean of Jaro-Winkler and normalized Damerau-Levenshtein
/// similarity, 0..1) at which a header is taken as a fuzzy match of a field name.
pub const FUZZY_THRESHOLD: f64 = 0.85;

/// The header of the errors column of an [error workbook](crate::error_workbook_bytes), per
/// language. The mapper always ignores a column with one of these headers.
pub fn errors_header(lang: Lang) -> &'static str {
    match lang {
        Lang::Fi => "Tuonnin virheet",
        Lang::Sv => "Importfel",
        Lang::En => "Import errors",
    }
}

/// Normalizes a header for comparison: NFC, lower case, punctuation turned into spaces,
/// whitespace runs collapsed, trimmed.
///
/// ```
/// use tuonti_excel_template::normalize_header;
/// assert_eq!(normalize_header("  Y-TUNNUS\u{a0}(pakollinen) "), "y tunnus pakollinen");
/// ```
pub fn normalize_header(header: &str) -> String {
    let lowered: String = header.nfc().collect::<String>().to_lowercase();
    let mut out = String::with_capacity(lowered.len());
    let mut pending_space = false;
    for c in lowered.chars() {
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        } else {
            pending_space = true;
        }
    }
    out
}

/// The normalized header without spaces: `Y-tunnus`, `y tunnus` and `ytunnus` compare equal.
fn compact(normalized: &str) -> String {
    normalized.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A field name (header or synonym, any language) normalized once, for the header search,
/// which compares every cell of the first rows of a sheet with every name.
struct KnownName {
    field: FieldKey,
    /// [`normalize_header`] of the name.
    normalized: String,
    /// Its length in characters.
    chars: usize,
    /// The normalized name without spaces (see [`compact`]).
    compact: String,
    /// ` normalized ` (padded), to find the name as whole words in a longer header.
    padded: String,
    /// Its characters counted in buckets (see [`CharCounts`]).
    counts: CharCounts,
}

/// How many characters of a string fall in each of 64 buckets (by code point). The sum of the
/// smaller count of each bucket of two strings is at least the number of characters the two
/// have in common (as multisets), which bounds both similarities from above.
#[derive(Clone, Copy)]
struct CharCounts([u32; 64]);

impl CharCounts {
    fn of(text: &str) -> Self {
        let mut counts = [0u32; 64];
        for c in text.chars() {
            let bucket = (u32::from(c) % 64) as usize;
            counts[bucket] = counts[bucket].saturating_add(1);
        }
        Self(counts)
    }

    /// At least the number of characters two strings share.
    fn common(&self, other: &Self) -> u32 {
        self.0
            .iter()
            .zip(other.0.iter())
            .map(|(a, b)| *a.min(b))
            .sum()
    }
}

/// An upper bound of the fuzzy score (the mean of Jaro-Winkler and normalized
/// Damerau-Levenshtein similarity) of two strings of `a` and `b` characters (both non-zero)
/// that share at most `common` characters. Jaro counts at most `common` matches, and the
/// Winkler prefix bonus (4 characters at most, 0.1 each) closes at most 0.4 of the remaining
/// gap; every edit changes at most one character of the difference of the two multisets, so
/// the edit distance is at least the longer length minus `common`.
fn fuzzy_score_bound(a: usize, b: usize, common: u32) -> f64 {
    let (a, b) = (a as f64, b as f64);
    let common = f64::from(common).min(a.min(b));
    let jaro = if common == 0.0 {
        0.0
    } else {
        (common / a + common / b + 1.0) / 3.0
    };
    let jaro_winkler = jaro + 0.4 * (1.0 - jaro);
    let damerau_levenshtein = common / a.max(b);
    (jaro_winkler + damerau_levenshtein) / 2.0
}

/// Every field name of the catalog, normalized, in catalog order (fields in order, each
/// field's names in order).
fn known_names(kind: RecordKind) -> &'static [KnownName] {
    static NAMES: [std::sync::OnceLock<Vec<KnownName>>; 3] = [
        std::sync::OnceLock::new(),
        std::sync::OnceLock::new(),
        std::sync::OnceLock::new(),
    ];
    let index = RecordKind::ALL
        .iter()
        .position(|known| *known == kind)
        .unwrap_or(0);
    NAMES[index].get_or_init(|| {
        kind.fields()
            .iter()
            .copied()
            .flat_map(|field| {
                kind.spec(field).names().map(move |name| {
                    let normalized = normalize_header(name);
                    KnownName {
                        field,
                        counts: CharCounts::of(&normalized),
                        chars: normalized.chars().count(),
                        compact: compact(&normalized),
                        padded: format!(" {normalized} "),
                        normalized,
                    }
                })
            })
            .collect()
    })
}

/// The compact keys of the error workbook's errors headers, in every language.
fn errors_header_keys() -> &'static [String] {
    static KEYS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        Lang::ALL
            .into_iter()
            .map(|lang| compact(&normalize_header(errors_header(lang))))
            .collect()
    })
}

/// The field whose header or synonym (in any language) equals `header` after normalization.
pub(crate) fn exact_field(kind: RecordKind, header: &str) -> Option<FieldKey> {
    exact_field_of_key(kind, &compact(&normalize_header(header)))
}

/// [`exact_field`] of a header already normalized and compacted.
fn exact_field_of_key(kind: RecordKind, key: &str) -> Option<FieldKey> {
    if key.is_empty() {
        return None;
    }
    known_names(kind)
        .iter()
        .find(|name| name.compact == key)
        .map(|name| name.field)
}

fn is_errors_header(header: &str) -> bool {
    is_errors_header_key(&compact(&normalize_header(header)))
}

fn is_errors_header_key(key: &str) -> bool {
    errors_header_keys().iter().any(|known| known == key)
}

/// The best fuzzy match of a header: the field and its similarity in 0..1 (below 1).
fn fuzzy_field(kind: RecordKind, header: &str) -> Option<(FieldKey, f64)> {
    fuzzy_field_of(kind, &normalize_header(header))
}

/// [`fuzzy_field`] of a header already normalized.
fn fuzzy_field_of(kind: RecordKind, normalized: &str) -> Option<(FieldKey, f64)> {
    let length = normalized.chars().count();
    if length < 3 {
        return None;
    }
    let padded = format!(" {normalized} ");
    let counts = CharCounts::of(normalized);
    let mut best: Option<(FieldKey, f64)> = None;
    for name in known_names(kind) {
        // A header that contains a whole field name ("Asiakkaan Y-tunnus").
        let contains = name.chars >= 5 && padded.contains(name.padded.as_str());
        // Only the best score at or above the threshold counts: skip the names that cannot
        // reach it (most cells of data rows, while the header row is searched).
        if !contains
            && fuzzy_score_bound(length, name.chars, counts.common(&name.counts))
                < FUZZY_THRESHOLD - 1e-9
        {
            continue;
        }
        // Jaro-Winkler alone favours shared prefixes, which Finnish compounds have plenty
        // of ("toimiala" vs "toimipaikka"); averaging with the edit distance keeps typos
        // and drops mere prefix matches.
        let mut score = (strsim::jaro_winkler(normalized, &name.normalized)
            + strsim::normalized_damerau_levenshtein(normalized, &name.normalized))
            / 2.0;
        if contains {
            score = score.max(0.9);
        }
        if best.is_none_or(|(_, best_score)| score > best_score) {
            best = Some((name.field, score));
        }
    }
    best.filter(|(_, score)| *score >= FUZZY_THRESHOLD)
        .map(|(field, score)| (field, score.min(0.99)))
}

/// How a column got its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MatchSource {
    /// From the hidden metadata sheet of a Tuonti template.
    Template,
    /// The header equals a field's header or synonym after normalization.
    Exact,
    /// The header is similar to a field's header or synonym.
    Fuzzy,
    /// A mapping override said so.
    Override,
    /// Not mapped.
    None,
}

/// Why a column is not imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
#[non_exhaustive]
pub enum IgnoreReason {
    /// The header matches no field.
    Unknown,
    /// The header cell is empty.
    EmptyHeader,
    /// The errors column of an error workbook.
    ErrorsColumn,
    /// Another column matched the same field better (or came first with an equal match).
    Duplicate {
        /// The field both columns claimed.
        field: FieldKey,
        /// The 0-based column that got the field.
        kept_column: u32,
    },
    /// A mapping override said `ignore`, or gave this column's field to another column.
    Override,
}

/// One column of the file and what it maps to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MappedColumn {
    /// The 0-based column index (`A` is 0).
    pub column: u32,
    /// The header as written in the file.
    pub header: String,
    /// The field, or `None` when the column is ignored.
    pub field: Option<FieldKey>,
    /// How sure the match is: 1.0 for template, exact and override matches, below 1 for fuzzy
    /// ones, 0 for ignored columns.
    pub confidence: f64,
    /// How the field was found.
    pub source: MatchSource,
    /// Why the column is ignored, when it is.
    pub ignored: Option<IgnoreReason>,
}

/// The mapping of a file's columns to fields. Serializable, so a caller can show it, store it,
/// or turn it into [`MappingOverride`]s with [`ColumnMapping::to_overrides`] for a saved
/// mapping profile.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ColumnMapping {
    /// The kind of record the columns describe (whose fields they map to).
    #[serde(default)]
    pub kind: RecordKind,
    /// Every column of the header row, in column order.
    pub columns: Vec<MappedColumn>,
}

impl ColumnMapping {
    /// Maps headers (index = 0-based column) by exact, then fuzzy match. Two columns claiming
    /// one field: the better match wins (the leftmost on a tie), the other is ignored as a
    /// [`IgnoreReason::Duplicate`].
    ///
    /// ```
    /// use tuonti_domain::FieldKey;
    /// use tuonti_excel_template::{ColumnMapping, MatchSource};
    ///
    /// let mapping = ColumnMapping::from_headers(&["Yrityksen nimi", "Y-tunnus", "Kenkänumero"]);
    /// assert_eq!(mapping.column_of(FieldKey::BusinessId), Some(1));
    /// assert_eq!(mapping.columns[0].source, MatchSource::Exact);
    /// assert_eq!(mapping.columns[2].field, None);
    /// ```
    pub fn from_headers(headers: &[impl AsRef<str>]) -> Self {
        Self::for_kind(RecordKind::Company, headers)
    }

    /// [`from_headers`](Self::from_headers) to the fields of a sheet of `kind`.
    ///
    /// ```
    /// use tuonti_domain::{FieldKey, RecordKind};
    /// use tuonti_excel_template::ColumnMapping;
    ///
    /// let mapping = ColumnMapping::for_kind(RecordKind::Project, &["Projektinumero", "Asiakas", "Arvo"]);
    /// assert_eq!(mapping.column_of(FieldKey::ProjectNumber), Some(0));
    /// assert_eq!(mapping.column_of(FieldKey::Name), Some(1));
    /// assert_eq!(mapping.column_of(FieldKey::Value), Some(2));
    /// ```
    pub fn for_kind(kind: RecordKind, headers: &[impl AsRef<str>]) -> Self {
        let columns = headers
            .iter()
            .enumerate()
            .map(|(index, header)| map_one(kind, index as u32, header.as_ref()))
            .collect();
        let mut mapping = Self { kind, columns };
        mapping.resolve_duplicates();
        mapping
    }

    /// Maps headers as [`from_headers`](Self::from_headers) does, except the columns that a
    /// template's metadata names: those map with [`MatchSource::Template`] and confidence 1.0
    /// when the header still is one of the field's names.
    pub(crate) fn from_headers_with_template(
        kind: RecordKind,
        headers: &[String],
        template_columns: &[(u32, FieldKey)],
    ) -> Self {
        let mut mapping = Self::for_kind(kind, headers);
        for (column, field) in template_columns {
            let Some(header) = headers.get(*column as usize) else {
                continue;
            };
            if exact_field(kind, header) != Some(*field) {
                continue;
            }
            if let Some(mapped) = mapping.columns.get_mut(*column as usize) {
                mapped.field = Some(*field);
                mapped.confidence = 1.0;
                mapped.source = MatchSource::Template;
                mapped.ignored = None;
            }
        }
        mapping.resolve_duplicates();
        mapping
    }

    fn resolve_duplicates(&mut self) {
        for &field in self.kind.fields() {
            let claimants: Vec<usize> = self
                .columns
                .iter()
                .enumerate()
                .filter(|(_, column)| column.field == Some(field))
                .map(|(index, _)| index)
                .collect();
            if claimants.len() < 2 {
                continue;
            }
            let mut winner = claimants[0];
            for &index in &claimants[1..] {
                if self.columns[index].confidence > self.columns[winner].confidence {
                    winner = index;
                }
            }
            let kept_column = self.columns[winner].column;
            for &index in claimants.iter().filter(|index| **index != winner) {
                let column = &mut self.columns[index];
                column.field = None;
                column.confidence = 0.0;
                column.source = MatchSource::None;
                column.ignored = Some(IgnoreReason::Duplicate { field, kept_column });
            }
        }
    }

    /// The column that holds `field`, if any.
    pub fn column_of(&self, field: FieldKey) -> Option<u32> {
        self.columns
            .iter()
            .find(|column| column.field == Some(field))
            .map(|column| column.column)
    }

    /// The mapped columns: `(field, 0-based column)`.
    pub fn fields(&self) -> impl Iterator<Item = (FieldKey, u32)> + '_ {
        self.columns
            .iter()
            .filter_map(|column| column.field.map(|field| (field, column.column)))
    }

    /// The columns not imported, with why.
    pub fn ignored(&self) -> impl Iterator<Item = &MappedColumn> + '_ {
        self.columns.iter().filter(|column| column.field.is_none())
    }

    /// The columns that lost a field to a better match.
    pub fn conflicts(&self) -> impl Iterator<Item = &MappedColumn> + '_ {
        self.columns
            .iter()
            .filter(|column| matches!(column.ignored, Some(IgnoreReason::Duplicate { .. })))
    }

    /// Applies overrides in order. An override's header is compared after normalization; a
    /// field given to one column is taken from any other column that had it.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownOverrideHeader`] when no column has the override's header.
    ///
    /// ```
    /// use tuonti_domain::FieldKey;
    /// use tuonti_excel_template::{ColumnMapping, MappingOverride};
    ///
    /// let mut mapping = ColumnMapping::from_headers(&["Nimi", "Asiakasnumero"]);
    /// let overrides: Vec<MappingOverride> =
    ///     vec!["Asiakasnumero=business_id".parse()?, "Nimi=ignore".parse()?];
    /// mapping.apply_overrides(&overrides)?;
    /// assert_eq!(mapping.column_of(FieldKey::BusinessId), Some(1));
    /// assert_eq!(mapping.column_of(FieldKey::Name), None);
    /// # Ok::<(), tuonti_excel_template::Error>(())
    /// ```
    pub fn apply_overrides(&mut self, overrides: &[MappingOverride]) -> Result<()> {
        for mapping_override in overrides {
            let wanted = compact(&normalize_header(&mapping_override.header));
            let Some(index) = self
                .columns
                .iter()
                .position(|column| compact(&normalize_header(&column.header)) == wanted)
            else {
                return Err(Error::UnknownOverrideHeader {
                    header: mapping_override.header.clone(),
                    available: self
                        .columns
                        .iter()
                        .map(|column| column.header.clone())
                        .filter(|header| !header.trim().is_empty())
                        .collect(),
                });
            };
            match mapping_override.target {
                OverrideTarget::Ignore => {
                    let column = &mut self.columns[index];
                    column.field = None;
                    column.confidence = 0.0;
                    column.source = MatchSource::Override;
                    column.ignored = Some(IgnoreReason::Override);
                }
                OverrideTarget::Field(field) => {
                    for (other_index, other) in self.columns.iter_mut().enumerate() {
                        if other_index != index && other.field == Some(field) {
                            other.field = None;
                            other.confidence = 0.0;
                            other.source = MatchSource::Override;
                            other.ignored = Some(IgnoreReason::Override);
                        }
                    }
                    let column = &mut self.columns[index];
                    column.field = Some(field);
                    column.confidence = 1.0;
                    column.source = MatchSource::Override;
                    column.ignored = None;
                }
            }
        }
        Ok(())
    }

    /// The mapping as overrides (`Header=field` for mapped columns, `Header=ignore` for the
    /// others with a header), to store as a mapping profile and apply to a later file.
    pub fn to_overrides(&self) -> Vec<MappingOverride> {
        self.columns
            .iter()
            .filter(|column| !column.header.trim().is_empty())
            .map(|column| MappingOverride {
                header: column.header.clone(),
                target: column
                    .field
                    .map_or(OverrideTarget::Ignore, OverrideTarget::Field),
            })
            .collect()
    }
}

fn map_one(kind: RecordKind, column: u32, header: &str) -> MappedColumn {
    let unmapped = |reason: IgnoreReason| MappedColumn {
        column,
        header: header.to_owned(),
        field: None,
        confidence: 0.0,
        source: MatchSource::None,
        ignored: Some(reason),
    };
    if header.trim().is_empty() {
        return unmapped(IgnoreReason::EmptyHeader);
    }
    if is_errors_header(header) {
        return unmapped(IgnoreReason::ErrorsColumn);
    }
    if let Some(field) = exact_field(kind, header) {
        return MappedColumn {
            column,
            header: header.to_owned(),
            field: Some(field),
            confidence: 1.0,
            source: MatchSource::Exact,
            ignored: None,
        };
    }
    match fuzzy_field(kind, header) {
        Some((field, confidence)) => MappedColumn {
            column,
            header: header.to_owned(),
            field: Some(field),
            confidence,
            source: MatchSource::Fuzzy,
            ignored: None,
        },
        None => unmapped(IgnoreReason::Unknown),
    }
}

/// How strongly a row looks like a header row: exact matches count 1, fuzzy ones 0.5.
pub(crate) fn header_score(kind: RecordKind, cells: &[String]) -> f64 {
    let mut seen = Vec::new();
    let mut score = 0.0;
    for cell in cells {
        if cell.trim().is_empty() || cell.chars().count() > 60 {
            continue;
        }
        let normalized = normalize_header(cell);
        let key = compact(&normalized);
        if let Some(field) = exact_field_of_key(kind, &key) {
            if !seen.contains(&field) {
                seen.push(field);
                score += 1.0;
            }
        } else if is_errors_header_key(&key) {
            score += 0.5;
        } else if let Some((field, _)) = fuzzy_field_of(kind, &normalized)
            && !seen.contains(&field)
        {
            seen.push(field);
            score += 0.5;
        }
    }
    score
}

/// What a [`MappingOverride`] does with its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OverrideTarget {
    /// Map the column to this field.
    Field(FieldKey),
    /// Do not import the column.
    Ignore,
}

/// A user's correction of the mapping: `Header=field` or `Header=ignore`.
///
/// Parses from that text form (the field as its key, e.g. `business_id`, or as any of its
/// headers and synonyms, e.g. `Y-tunnus`) and displays back to it.
///
/// ```
/// use tuonti_domain::FieldKey;
/// use tuonti_excel_template::{MappingOverride, OverrideTarget};
///
/// let parsed: MappingOverride = "Asiakasnro = business_id".parse()?;
/// assert_eq!(parsed.header, "Asiakasnro");
/// assert_eq!(parsed.target, OverrideTarget::Field(FieldKey::BusinessId));
/// assert_eq!(parsed.to_string(), "Asiakasnro=business_id");
/// assert!("Muistiinpanot=kengännumero".parse::<MappingOverride>().is_err());
/// # Ok::<(), tuonti_excel_template::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MappingOverride {
    /// The header as in the file (compared after normalization).
    pub header: String,
    /// What to do with the column.
    pub target: OverrideTarget,
}

impl MappingOverride {
    /// Parses several overrides, e.g. the values of repeated `--map` options.
    ///
    /// # Errors
    ///
    /// As [`MappingOverride::from_str`], for the first bad one.
    pub fn parse_all<'a>(texts: impl IntoIterator<Item = &'a str>) -> Result<Vec<Self>> {
        texts.into_iter().map(str::parse).collect()
    }
}

impl FromStr for MappingOverride {
    type Err = Error;

    /// # Errors
    ///
    /// [`Error::InvalidOverride`] without `=` or with an empty header or target;
    /// [`Error::UnknownOverrideField`] when the target is no field and not `ignore`.
    fn from_str(text: &str) -> Result<Self> {
        let invalid = |reason| Error::InvalidOverride {
            text: text.to_owned(),
            reason,
        };
        let (header, target) = text.rsplit_once('=').ok_or_else(|| invalid("no '='"))?;
        let header = header.trim();
        let target = target.trim();
        if header.is_empty() {
            return Err(invalid("the header is empty"));
        }
        if target.is_empty() {
            return Err(invalid("the field is empty"));
        }
        let ignore_words = ["ignore", "ohita", "ignorera", "skip", "-"];
        let target = if ignore_words
            .iter()
            .any(|word| word.eq_ignore_ascii_case(target))
        {
            OverrideTarget::Ignore
        } else {
            let field = target
                .parse::<FieldKey>()
                .ok()
                .or_else(|| {
                    RecordKind::ALL
                        .into_iter()
                        .find_map(|kind| exact_field(kind, target))
                })
                .ok_or_else(|| Error::UnknownOverrideField {
                    text: text.to_owned(),
                    field: target.to_owned(),
                })?;
            OverrideTarget::Field(field)
        };
        Ok(Self {
            header: header.to_owned(),
            target,
        })
    }
}

impl fmt::Display for MappingOverride {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.target {
            OverrideTarget::Field(field) => write!(f, "{}={field}", self.header),
            OverrideTarget::Ignore => write!(f, "{}=ignore", self.header),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fuzzy match computed for every name, without skipping any: what `fuzzy_field`
    /// must equal.
    fn fuzzy_field_unpruned(kind: RecordKind, header: &str) -> Option<(FieldKey, f64)> {
        let normalized = normalize_header(header);
        if normalized.chars().count() < 3 {
            return None;
        }
        let mut best: Option<(FieldKey, f64)> = None;
        for &field in kind.fields() {
            for name in kind.spec(field).names() {
                let name = normalize_header(name);
                let mut score = (strsim::jaro_winkler(&normalized, &name)
                    + strsim::normalized_damerau_levenshtein(&normalized, &name))
                    / 2.0;
                if name.chars().count() >= 5
                    && format!(" {normalized} ").contains(&format!(" {name} "))
                {
                    score = score.max(0.9);
                }
                if best.is_none_or(|(_, best_score)| score > best_score) {
                    best = Some((field, score));
                }
            }
        }
        best.filter(|(_, score)| *score >= FUZZY_THRESHOLD)
            .map(|(field, score)| (field, score.min(0.99)))
    }

    #[test]
    fn skipping_hopeless_names_changes_no_fuzzy_match() {
        let mut headers: Vec<String> = vec![
            "Asiakkaan Y-tunnus".into(),
            "Heikkisen Putkityö Ay".into(),
            "Mannerheimintie 12 B 4".into(),
            "+358 40 123 4567".into(),
            "info@esimerkki.fi".into(),
            "www.esimerkki.fi".into(),
            "003712345678".into(),
            "Päijät-Hämeen Rakennus Oy".into(),
            "FI12345678".into(),
            "00100".into(),
            "Helsinki".into(),
        ];
        for field in FieldKey::ALL {
            for name in field.spec().names() {
                let chars: Vec<char> = name.chars().collect();
                headers.push(name.to_owned());
                // Every fourth character dropped, and swapped with the next (typos).
                for i in (1..chars.len()).step_by(4) {
                    let mut dropped = chars.clone();
                    dropped.remove(i);
                    headers.push(dropped.iter().collect());
                    if i + 1 < chars.len() {
                        let mut swapped = chars.clone();
                        swapped.swap(i, i + 1);
                        headers.push(swapped.iter().collect());
                    }
                }
                headers.push(format!("Asiakkaan {name}"));
                headers.push(format!("{name} 2"));
            }
        }
        for kind in RecordKind::ALL {
            for header in &headers {
                assert_eq!(
                    fuzzy_field(kind, header),
                    fuzzy_field_unpruned(kind, header),
                    "{kind}: {header:?}"
                );
            }
        }
    }

    #[test]
    fn no_normalized_name_belongs_to_two_fields() {
        for kind in RecordKind::ALL {
            for &field in kind.fields() {
                for name in kind.spec(field).names() {
                    assert_eq!(exact_field(kind, name), Some(field), "{kind}: {name:?}");
                }
            }
        }
    }

    #[test]
    fn errors_headers_are_no_field() {
        for lang in Lang::ALL {
            for kind in RecordKind::ALL {
                assert_eq!(exact_field(kind, errors_header(lang)), None);
                assert!(fuzzy_field(kind, errors_header(lang)).is_none());
            }
        }
    }

    #[test]
    fn fuzzy_matches_typos_and_longer_headers() {
        let fuzzy_field = |header| fuzzy_field(RecordKind::Company, header);
        let (field, score) = fuzzy_field("Postinumro").unwrap();
        assert_eq!(field, FieldKey::PostalCode);
        assert!((FUZZY_THRESHOLD..1.0).contains(&score));
        assert_eq!(
            fuzzy_field("Asiakkaan Y-tunnus").map(|(field, _)| field),
            Some(FieldKey::BusinessId)
        );
        assert!(fuzzy_field("Kenkänumero").is_none());
    }

    #[test]
    fn common_unrelated_headers_map_to_nothing() {
        // Columns of contact and project sheets, and others, on a company sheet.
        for header in [
            "Huomiot",
            "Liikevaihto",
            "Henkilöstö",
            "Toimiala",
            "Perustettu",
            "Yhteyshenkilö",
            "Titteli",
            "Etunimi",
            "Sukunimi",
            "Muokattu",
            "ID",
            "Status",
            "Tila",
            "Kontaktperson",
            "Revenue",
            "Industry",
            "Contact person",
            "First name",
            "Last name",
        ] {
            let mapped = map_one(RecordKind::Company, 0, header);
            assert_eq!(mapped.field, None, "{header:?} -> {mapped:?}");
        }
    }

    #[test]
    fn typos_still_map() {
        for (header, field) in [
            ("Postinumro", FieldKey::PostalCode),
            ("Sähköpsoti", FieldKey::Email),
            ("Y-tunus", FieldKey::BusinessId),
            ("Katuosiote", FieldKey::StreetAddress),
            ("Verkkolaskuosote", FieldKey::EInvoiceAddress),
            ("Compnay name", FieldKey::Name),
            ("Busines ID", FieldKey::BusinessId),
        ] {
            let mapped = map_one(RecordKind::Company, 0, header);
            assert_eq!(mapped.field, Some(field), "{header:?} -> {mapped:?}");
            assert_eq!(mapped.source, MatchSource::Fuzzy);
        }
    }

    #[test]
    fn better_match_wins_a_field() {
        let mapping = ColumnMapping::from_headers(&["Postinumro", "Postinumero"]);
        assert_eq!(mapping.column_of(FieldKey::PostalCode), Some(1));
        assert_eq!(
            mapping.columns[0].ignored,
            Some(IgnoreReason::Duplicate {
                field: FieldKey::PostalCode,
                kept_column: 1
            })
        );
        assert_eq!(mapping.conflicts().count(), 1);
    }

    #[test]
    fn overrides_parse_with_clear_errors() {
        assert!(matches!(
            "no equals".parse::<MappingOverride>(),
            Err(Error::InvalidOverride { .. })
        ));
        assert!(matches!(
            "=name".parse::<MappingOverride>(),
            Err(Error::InvalidOverride { .. })
        ));
        let err = "A=shoe".parse::<MappingOverride>().unwrap_err();
        assert!(err.to_string().contains("business_id"), "{err}");
        assert_eq!(
            "X=Y-tunnus".parse::<MappingOverride>().unwrap().target,
            OverrideTarget::Field(FieldKey::BusinessId)
        );
        let mut mapping = ColumnMapping::from_headers(&["Nimi"]);
        let err = mapping
            .apply_overrides(&["Puuttuva=name".parse().unwrap()])
            .unwrap_err();
        assert!(err.to_string().contains("\"Nimi\""), "{err}");
    }

    #[test]
    fn overrides_round_trip_through_a_profile() {
        let mut mapping = ColumnMapping::from_headers(&["Nimi", "Asnro", "Muuta"]);
        mapping
            .apply_overrides(&["Asnro=business_id".parse().unwrap()])
            .unwrap();
        let profile = mapping.to_overrides();
        let mut again = ColumnMapping::from_headers(&["Nimi", "Asnro", "Muuta"]);
        again.apply_overrides(&profile).unwrap();
        assert_eq!(again.column_of(FieldKey::BusinessId), Some(1));
        assert_eq!(again.column_of(FieldKey::Name), Some(0));
    }
}
