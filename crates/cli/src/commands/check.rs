//! `tuonti check KIND [VALUE...]`: validate values one by one, from the arguments or streamed
//! from standard input, one per line.

use crate::args::{CheckArgs, Format};
use crate::output::tr;
use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;
use std::io::{BufRead, BufWriter, Write};
use tuonti_domain::{Lang, Severity};
use tuonti_validation::{CheckKind, CheckOutcome, check, find_country};

/// A refused argument of `tuonti check` (exit 1).
#[derive(Debug, thiserror::Error)]
pub enum CheckArgError {
    /// Not one of the kinds.
    #[error(
        "unknown kind {0:?}; the kinds are: business-id, vat, e-invoice, iban, email, phone, postal-code, country"
    )]
    Kind(String),
    /// `--country` is not a country.
    #[error(
        "unknown country {0:?} for --country; give an ISO code such as FI or a name such as Suomi"
    )]
    Country(String),
}

impl CheckArgError {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (CheckArgError::Kind(kind), Lang::Fi) => format!(
                "tuntematon laji {kind:?}; lajit ovat: business-id, vat, e-invoice, iban, email, \
                 phone, postal-code, country"
            ),
            (CheckArgError::Kind(kind), Lang::Sv) => format!(
                "okänd typ {kind:?}; typerna är: business-id, vat, e-invoice, iban, email, \
                 phone, postal-code, country"
            ),
            (CheckArgError::Kind(_), Lang::En) | (CheckArgError::Country(_), Lang::En) => {
                self.to_string()
            }
            (CheckArgError::Country(country), Lang::Fi) => format!(
                "tuntematon maa {country:?} valinnalle --country; anna ISO-koodi kuten FI tai \
                 nimi kuten Suomi"
            ),
            (CheckArgError::Country(country), Lang::Sv) => format!(
                "okänt land {country:?} för --country; ge en ISO-kod som FI eller ett namn som \
                 Finland"
            ),
        }
    }
}

#[derive(Serialize)]
struct JsonIssue<'a> {
    code: &'a str,
    severity: Severity,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonOutcome<'a> {
    input: &'a str,
    valid: bool,
    normalized: Option<&'a str>,
    issues: Vec<JsonIssue<'a>>,
}

/// Runs the check; returns whether every value was valid.
pub fn run(args: &CheckArgs, lang: Lang) -> anyhow::Result<bool> {
    let kind: CheckKind = args
        .kind
        .parse()
        .map_err(|_| CheckArgError::Kind(args.kind.clone()))?;
    let country = match &args.country {
        Some(country) => find_country(country)
            .map(|found| found.alpha2)
            .ok_or_else(|| CheckArgError::Country(country.clone()))?,
        None => "FI",
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(64 * 1024, stdout.lock());
    let mut all_valid = true;
    if args.values.is_empty() {
        // Stream standard input: one line at a time, one buffer reused.
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        let mut line = String::new();
        loop {
            line.clear();
            if input.read_line(&mut line)? == 0 {
                break;
            }
            let value = line.strip_suffix('\n').unwrap_or(&line);
            let value = value.strip_suffix('\r').unwrap_or(value);
            let outcome = check(kind, value, country);
            all_valid &= outcome.valid;
            write_line(&mut out, args.format, value, &outcome, lang)?;
        }
    } else if args.format == Format::Json {
        for value in &args.values {
            let outcome = check(kind, value, country);
            all_valid &= outcome.valid;
            write_line(&mut out, Format::Json, value, &outcome, lang)?;
        }
    } else {
        let mut table = Table::new();
        table
            .load_preset(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic);
        if !table.is_tty() {
            // Piped or redirected: wrap at a readable width instead of one endless line.
            table.set_width(110);
        }
        table.set_header(match lang {
            Lang::Fi => vec!["Arvo", "Kelpaa", "Muodossa", "Huomiot"],
            Lang::Sv => vec!["Värde", "Giltigt", "Normaliserat", "Anmärkningar"],
            Lang::En => vec!["Value", "Valid", "Normalized", "Issues"],
        });
        for value in &args.values {
            let outcome = check(kind, value, country);
            all_valid &= outcome.valid;
            table.add_row(vec![
                value.clone(),
                verdict(lang, &outcome).to_owned(),
                outcome.normalized.clone().unwrap_or_default(),
                issue_lines(&outcome, lang).join("\n"),
            ]);
        }
        writeln!(out, "{table}")?;
    }
    out.flush()?;
    Ok(all_valid)
}

fn verdict(lang: Lang, outcome: &CheckOutcome) -> &'static str {
    if outcome.valid {
        tr(lang, "kyllä", "ja", "yes")
    } else {
        tr(lang, "ei", "nej", "no")
    }
}

fn issue_lines(outcome: &CheckOutcome, lang: Lang) -> Vec<String> {
    outcome
        .issues
        .iter()
        .map(|issue| {
            let severity = match issue.severity {
                Severity::Error => tr(lang, "virhe", "fel", "error"),
                Severity::Warning => tr(lang, "varoitus", "varning", "warning"),
            };
            format!("{severity}: {}", issue.message.get(lang))
        })
        .collect()
}

fn write_line(
    out: &mut impl Write,
    format: Format,
    input: &str,
    outcome: &CheckOutcome,
    lang: Lang,
) -> anyhow::Result<()> {
    match format {
        Format::Json => {
            let record = JsonOutcome {
                input,
                valid: outcome.valid,
                normalized: outcome.normalized.as_deref(),
                issues: outcome
                    .issues
                    .iter()
                    .map(|issue| JsonIssue {
                        code: issue.code.as_str(),
                        severity: issue.severity,
                        message: issue.message.get(lang),
                    })
                    .collect(),
            };
            serde_json::to_writer(&mut *out, &record)?;
            out.write_all(b"\n")?;
        }
        Format::Table => {
            let mark = if outcome.valid { "ok " } else { "NO " };
            write!(out, "{mark} {input}")?;
            if let Some(normalized) = outcome.normalized.as_deref().filter(|n| *n != input) {
                write!(out, " -> {normalized}")?;
            }
            for line in issue_lines(outcome, lang) {
                write!(out, "  [{line}]")?;
            }
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}
