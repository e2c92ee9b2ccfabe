//! A project's status from a cell, in Finnish, Swedish or English.

use crate::checked::{Checked, Sink, run};
use crate::codes;
use crate::text::{Raw, field_label_en, field_label_fi, field_label_sv, shown, text_raw};
use std::str::FromStr;
use tuonti_domain::{CellValue, FieldKey, Location, ProjectStatus};

/// The words [`ProjectStatus::from_str`] accepts, one line per status, as messages list them.
/// The test `every_listed_word_is_accepted` keeps the list true.
const ACCEPTED_WORDS: [(ProjectStatus, &str); 5] = [
    (ProjectStatus::Offer, "tarjous, offert, offer"),
    (
        ProjectStatus::Active,
        "käynnissä, aktiivinen, pågående, aktiv, active",
    ),
    (ProjectStatus::OnHold, "tauolla, pausad, on hold, on_hold"),
    (
        ProjectStatus::Completed,
        "valmis, päättynyt, avslutad, klar, completed",
    ),
    (
        ProjectStatus::Cancelled,
        "peruttu, hävitty, avbruten, cancelled",
    ),
];

/// The words a project status is written with, as listed in messages: the stored names and
/// the Finnish, Swedish and English words, each with its status.
///
/// ```
/// use tuonti_domain::ProjectStatus;
/// let words: Vec<_> = tuonti_validation::status_words().collect();
/// assert!(words.contains(&(ProjectStatus::Active, "käynnissä")));
/// ```
pub fn status_words() -> impl Iterator<Item = (ProjectStatus, &'static str)> {
    ACCEPTED_WORDS
        .iter()
        .flat_map(|(status, words)| words.split(", ").map(move |word| (*status, word)))
}

/// Validates a project's status, optional: the stored names (`offer`, `active`, `on_hold`,
/// `completed`, `cancelled`) and the Finnish, Swedish and English words of
/// [`ProjectStatus::from_str`], without regard to case or extra spaces. An empty cell gives
/// `None`: the importer chooses the default. Issues are reported under `field` at
/// `location`.
///
/// Issues: [`STATUS_UNKNOWN`](codes::STATUS_UNKNOWN) (error, listing the accepted words);
/// the shared `text.*` and `cell.*` issues.
///
/// ```
/// use tuonti_domain::{CellValue, FieldKey, Location, ProjectStatus};
/// use tuonti_validation::project_status;
/// let at = Location::default();
/// let active = project_status(FieldKey::Name, &CellValue::Text(" Käynnissä".into()), &at);
/// assert_eq!(active.value, Some(ProjectStatus::Active));
/// let unknown = project_status(FieldKey::Name, &CellValue::Text("maybe".into()), &at);
/// assert!(unknown.has("status.unknown"));
/// assert!(unknown.issues[0].message.en.contains("tarjous"));
/// ```
pub fn project_status(
    field: FieldKey,
    cell: &CellValue,
    location: &Location,
) -> Checked<ProjectStatus> {
    run(field, location, |sink| {
        project_status_raw(Raw::from_cell(cell), sink)
    })
}

pub(crate) fn project_status_raw(raw: Raw<'_>, sink: &mut Sink<'_>) -> Option<ProjectStatus> {
    let text = text_raw(raw, sink)?;
    if let Ok(status) = ProjectStatus::from_str(&text) {
        return Some(status);
    }
    let label_fi = field_label_fi(sink.field);
    let label_sv = field_label_sv(sink.field);
    let label_en = field_label_en(sink.field);
    let shown_value = shown(&text);
    let words = ACCEPTED_WORDS
        .iter()
        .map(|(_, words)| *words)
        .collect::<Vec<_>>()
        .join("; ");
    sink.error(
        codes::STATUS_UNKNOWN,
        format!(
            "{label_fi} \"{shown_value}\" ei ole tunnettu projektin tila; sallitut: {words} (tai tyhjä)."
        ),
        format!(
            "{label_sv} \"{shown_value}\" är ingen känd projektstatus; godkända: {words} (eller tomt)."
        ),
        format!(
            "{label_en} \"{shown_value}\" is not a known project status; accepted: {words} (or empty)."
        ),
    );
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_word_is_accepted() {
        for (status, words) in ACCEPTED_WORDS {
            for word in words.split(", ") {
                assert_eq!(ProjectStatus::from_str(word), Ok(status), "{word}");
            }
        }
    }

    #[test]
    fn statuses_from_cells() {
        let at = Location::default();
        let check = |cell: CellValue| project_status(FieldKey::Name, &cell, &at);
        assert_eq!(
            check(CellValue::Text("AVSLUTAD".into())).value,
            Some(ProjectStatus::Completed)
        );
        assert_eq!(
            check(CellValue::Text("on  hold".into())).value,
            Some(ProjectStatus::OnHold)
        );
        let empty = check(CellValue::Empty);
        assert_eq!((empty.value, empty.issues.len()), (None, 0));
        let blank = check(CellValue::Text(" \u{a0}".into()));
        assert_eq!((blank.value, blank.issues.len()), (None, 0));
        let number = check(CellValue::Number(1.0));
        assert!(number.has("status.unknown"));
        assert!(number.issues[0].message.fi.contains("\"1\""));
        assert!(check(CellValue::Bool(true)).has("cell.wrong_type"));
    }
}
