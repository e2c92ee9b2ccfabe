//! clap's errors for a bad command line in the user's language: clap writes them in English
//! only, so for Finnish and Swedish the message is rebuilt from the error's kind and context
//! (the argument, the value, what is allowed, a suggestion, the usage line).

use clap::error::{ContextKind, ContextValue, ErrorKind};
use tuonti_domain::Lang;

/// The Finnish or the Swedish text (English keeps clap's own).
fn pick(lang: Lang, fi: impl Into<String>, sv: impl Into<String>) -> String {
    match lang {
        Lang::Sv => sv.into(),
        _ => fi.into(),
    }
}

/// The language for an error in the arguments, which clap could not parse: `--lang X` or
/// `--lang=X` among the arguments, else `TUONTI_LANG`, else the locale.
pub fn lang_of_args(args: &[String], from_env: impl FnOnce() -> Lang) -> Lang {
    let mut given = None;
    for (index, arg) in args.iter().enumerate() {
        if arg == "--" {
            break;
        }
        if let Some(value) = arg.strip_prefix("--lang=") {
            given = Some(value.to_owned());
        } else if arg == "--lang" {
            given = args.get(index + 1).cloned();
        }
    }
    given
        .or_else(|| std::env::var("TUONTI_LANG").ok())
        .and_then(|value| value.parse::<Lang>().ok())
        .unwrap_or_else(from_env)
}

/// The text of a clap error in `lang` (without the leading "error: "), or `None` for English
/// and for the kinds clap's own text is right for (help, version).
pub fn localized(error: &clap::Error, lang: Lang) -> Option<String> {
    if lang == Lang::En {
        return None;
    }
    let text = |kind: ContextKind| match error.get(kind) {
        Some(ContextValue::String(value)) => Some(value.clone()),
        Some(ContextValue::Strings(values)) => Some(values.join(", ")),
        Some(ContextValue::StyledStr(value)) => Some(value.to_string()),
        Some(ContextValue::Number(value)) => Some(value.to_string()),
        _ => None,
    };
    let quoted = |value: Option<String>| value.map(|v| format!("'{v}'")).unwrap_or_default();
    let arg = quoted(text(ContextKind::InvalidArg));
    let value = quoted(text(ContextKind::InvalidValue));
    let mut message = match error.kind() {
        ErrorKind::UnknownArgument => pick(
            lang,
            format!("tuntematon valitsin {arg}"),
            format!("okänd flagga {arg}"),
        ),
        ErrorKind::InvalidSubcommand => {
            let command = quoted(text(ContextKind::InvalidSubcommand));
            pick(
                lang,
                format!("tuntematon komento {command}"),
                format!("okänt kommando {command}"),
            )
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation
            if text(ContextKind::InvalidValue).is_none_or(|value| value.is_empty()) =>
        {
            pick(
                lang,
                format!("valitsimelle {arg} puuttuu arvo"),
                format!("{arg} saknar ett värde"),
            )
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let mut message = pick(
                lang,
                format!("{value} ei käy valitsimen {arg} arvoksi"),
                format!("{value} är inget giltigt värde för {arg}"),
            );
            if let Some(valid) = text(ContextKind::ValidValue).filter(|valid| !valid.is_empty()) {
                message.push_str(&pick(
                    lang,
                    format!("; mahdolliset arvot: {valid}"),
                    format!("; möjliga värden: {valid}"),
                ));
            }
            message
        }
        ErrorKind::MissingRequiredArgument => {
            // One missing argument a line, as clap lists them.
            let missing = match error.get(ContextKind::InvalidArg) {
                Some(ContextValue::Strings(values)) => values.clone(),
                Some(ContextValue::String(value)) => vec![value.clone()],
                _ => Vec::new(),
            };
            let mut message = pick(
                lang,
                "seuraavat pakolliset valitsimet puuttuvat:",
                "följande obligatoriska flaggor saknas:",
            );
            for arg in missing {
                message.push_str(&format!("\n  {arg}"));
            }
            message
        }
        ErrorKind::ArgumentConflict => {
            let prior = quoted(text(ContextKind::PriorArg));
            pick(
                lang,
                format!("valitsinta {arg} ei voi käyttää yhdessä valitsimen {prior} kanssa"),
                format!("{arg} kan inte användas tillsammans med {prior}"),
            )
        }
        ErrorKind::TooManyValues
        | ErrorKind::TooFewValues
        | ErrorKind::WrongNumberOfValues
        | ErrorKind::NoEquals => pick(
            lang,
            format!("valitsimelle {arg} annettiin väärä määrä arvoja"),
            format!("fel antal värden för {arg}"),
        ),
        ErrorKind::MissingSubcommand => {
            let command = quoted(text(ContextKind::InvalidSubcommand));
            let mut message = pick(
                lang,
                format!("{command} tarvitsee komennon"),
                format!("{command} behöver ett kommando"),
            );
            if let Some(valid) =
                text(ContextKind::ValidSubcommand).filter(|valid| !valid.is_empty())
            {
                message.push_str(&pick(
                    lang,
                    format!("; komennot: {valid}"),
                    format!("; kommandon: {valid}"),
                ));
            }
            message
        }
        ErrorKind::InvalidUtf8 => pick(
            lang,
            "komentorivillä on tekstiä, joka ei ole UTF-8:aa",
            "kommandoraden har text som inte är UTF-8",
        ),
        _ => return None,
    };
    let suggestion = text(ContextKind::SuggestedArg)
        .or_else(|| text(ContextKind::SuggestedSubcommand))
        .or_else(|| text(ContextKind::SuggestedValue));
    if let Some(suggestion) = suggestion {
        message.push_str(&pick(
            lang,
            format!(" (tarkoititko '{suggestion}'?)"),
            format!(" (menade du '{suggestion}'?)"),
        ));
    }
    if let Some(usage) = text(ContextKind::Usage) {
        let usage = usage.trim();
        let usage = usage.strip_prefix("Usage:").unwrap_or(usage).trim();
        message.push_str(&pick(
            lang,
            format!("\n\nKäyttö: {usage}"),
            format!("\n\nAnvändning: {usage}"),
        ));
    }
    message.push_str(&pick(
        lang,
        "\n\nLisätietoja: tuonti --help (komennon ohje: tuonti KOMENTO --help)",
        "\n\nMer information: tuonti --help (hjälp för ett kommando: tuonti KOMMANDO --help)",
    ));
    Some(message)
}
