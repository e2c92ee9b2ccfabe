//! The result of validating one value: the canonical value, if any, and the issues.

use tuonti_domain::{FieldKey, Issue, IssueCode, LocalizedText, Location, Severity};

/// A validated value: the canonical form when the value was accepted, and every issue found.
///
/// `value` is `None` when the cell was empty or when an error rejected it; the issues tell
/// which. Warnings never remove the value.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked<T> {
    /// The canonical value, `None` for an empty or rejected cell.
    pub value: Option<T>,
    /// The errors and warnings, each at the location passed in.
    pub issues: Vec<Issue>,
}

impl<T> Checked<T> {
    /// Whether no issue is an error (an empty cell is valid).
    pub fn is_valid(&self) -> bool {
        !self.issues.iter().any(Issue::is_error)
    }

    /// Whether an issue with `code` was found.
    pub fn has(&self, code: &str) -> bool {
        self.issues.iter().any(|issue| issue.code.as_str() == code)
    }

    /// The value and the issues.
    pub fn into_parts(self) -> (Option<T>, Vec<Issue>) {
        (self.value, self.issues)
    }
}

/// Where the issues of one value go: its field, its location and the list to append to.
///
/// The row validator appends every field's issues to one list; the single-value validators
/// each use a list of their own.
pub(crate) struct Sink<'a> {
    pub(crate) field: FieldKey,
    location: &'a Location,
    issues: &'a mut Vec<Issue>,
    start: usize,
}

impl<'a> Sink<'a> {
    pub(crate) fn new(field: FieldKey, location: &'a Location, issues: &'a mut Vec<Issue>) -> Self {
        let start = issues.len();
        Self {
            field,
            location,
            issues,
            start,
        }
    }

    /// Whether an error was reported through this sink.
    pub(crate) fn has_errors(&self) -> bool {
        self.issues[self.start..].iter().any(Issue::is_error)
    }

    /// Reports an error with its message in Finnish, Swedish and English.
    pub(crate) fn error(&mut self, code: IssueCode, fi: String, sv: String, en: String) {
        self.push(code, Severity::Error, LocalizedText::new(fi, sv, en));
    }

    /// Reports a warning with its message in Finnish, Swedish and English.
    pub(crate) fn warning(&mut self, code: IssueCode, fi: String, sv: String, en: String) {
        self.push(code, Severity::Warning, LocalizedText::new(fi, sv, en));
    }

    fn push(&mut self, code: IssueCode, severity: Severity, message: LocalizedText) {
        let mut location = self.location.clone();
        if location.field.is_none() {
            location.field = Some(self.field);
        }
        self.issues.push(Issue {
            location,
            code,
            severity,
            message,
        });
    }
}

/// Runs `validate` with a fresh issue list and wraps its result.
pub(crate) fn run<T>(
    field: FieldKey,
    location: &Location,
    validate: impl FnOnce(&mut Sink<'_>) -> Option<T>,
) -> Checked<T> {
    let mut issues = Vec::new();
    let value = {
        let mut sink = Sink::new(field, location, &mut issues);
        validate(&mut sink)
    };
    Checked { value, issues }
}
