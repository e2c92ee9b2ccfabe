//! The commands' handlers: each reads its arguments, calls the library crates and prints.

pub mod batches;
pub mod check;
pub mod companies;
pub mod import;
pub mod listings;
pub mod profiles;
pub mod report;
pub mod setup;
pub mod workbook;

/// The user's data or arguments were refused (exit 1), with a message, or silently when the
/// output already says why.
#[derive(Debug, thiserror::Error)]
#[error("{}", message.as_deref().unwrap_or("refused"))]
pub struct Refusal {
    /// What to print; `None` prints nothing more.
    pub message: Option<String>,
}

impl Refusal {
    /// A refusal with a message.
    pub fn new(message: String) -> Self {
        Self {
            message: Some(message),
        }
    }

    /// A refusal the output has explained already.
    pub fn silent() -> Self {
        Self { message: None }
    }
}
