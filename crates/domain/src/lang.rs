//! Languages of the user interface and text that exists in several of them.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A language Tuonti speaks to its users: Finnish, Swedish or English.
///
/// Finland is bilingual and many companies work in English, so headers are recognized in all
/// three. Every user-facing message of the library crates exists in all three: Finnish,
/// Swedish (as written in Finland) and English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Finnish (`fi`).
    Fi,
    /// Swedish (`sv`).
    Sv,
    /// English (`en`), the default.
    #[default]
    En,
}

impl Lang {
    /// Every language, in the order Finnish, Swedish, English.
    pub const ALL: [Lang; 3] = [Lang::Fi, Lang::Sv, Lang::En];

    /// The ISO 639-1 code: `fi`, `sv` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fi => "fi",
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The error of parsing a [`Lang`] from text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language {0:?}: expected fi, sv or en")]
pub struct UnknownLang(pub String);

impl FromStr for Lang {
    type Err = UnknownLang;

    /// Accepts `fi`, `sv`, `en` in any case, and locale forms such as `fi_FI.UTF-8` or `sv-FI`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        let code = lower.split(['_', '-', '.']).next().unwrap_or("");
        match code {
            "fi" | "suomi" | "finnish" => Ok(Lang::Fi),
            "sv" | "svenska" | "swedish" => Ok(Lang::Sv),
            "en" | "english" => Ok(Lang::En),
            _ => Err(UnknownLang(s.to_owned())),
        }
    }
}

/// A user-facing message in Finnish, Swedish and English.
///
/// Texts stored before Swedish was added have no `sv`; they read back with an empty one, and
/// [`LocalizedText::get`] gives the English text for Swedish then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalizedText {
    /// The Finnish text.
    pub fi: String,
    /// The Swedish text (as written in Finland); empty only in texts stored before Swedish.
    #[serde(default)]
    pub sv: String,
    /// The English text.
    pub en: String,
}

impl LocalizedText {
    /// Builds a text from its Finnish, Swedish and English forms.
    pub fn new(fi: impl Into<String>, sv: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            fi: fi.into(),
            sv: sv.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`. Swedish gives the English text only when the Swedish one is empty
    /// (a text stored before Swedish was added).
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fi => &self.fi,
            Lang::Sv if self.sv.is_empty() => &self.en,
            Lang::Sv => &self.sv,
            Lang::En => &self.en,
        }
    }
}

impl fmt::Display for LocalizedText {
    /// Shows the English text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes_and_locales() {
        assert_eq!("fi".parse::<Lang>(), Ok(Lang::Fi));
        assert_eq!("fi_FI.UTF-8".parse::<Lang>(), Ok(Lang::Fi));
        assert_eq!("sv-FI".parse::<Lang>(), Ok(Lang::Sv));
        assert_eq!("EN".parse::<Lang>(), Ok(Lang::En));
        assert!("de".parse::<Lang>().is_err());
    }

    #[test]
    fn gives_each_language() {
        let text = LocalizedText::new("Hei", "Hej", "Hello");
        assert_eq!(text.get(Lang::Fi), "Hei");
        assert_eq!(text.get(Lang::Sv), "Hej");
        assert_eq!(text.get(Lang::En), "Hello");
    }

    #[test]
    fn text_stored_without_swedish_reads_back_with_english_for_swedish() {
        let text: LocalizedText = serde_json::from_str(r#"{"fi":"Hei","en":"Hello"}"#).unwrap();
        assert_eq!(text.sv, "");
        assert_eq!(text.get(Lang::Fi), "Hei");
        assert_eq!(text.get(Lang::Sv), "Hello");
        let json = serde_json::to_string(&LocalizedText::new("Hei", "Hej", "Hello")).unwrap();
        assert_eq!(json, r#"{"fi":"Hei","sv":"Hej","en":"Hello"}"#);
    }
}
