//! Printing listings as tables or JSON, and messages in the user's language.

use crate::args::Format;
use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;
use std::io::{BufRead, IsTerminal, Write};
use tuonti_domain::Lang;

/// Picks the Finnish or English text.
pub fn tr<'a>(lang: Lang, fi: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Fi => fi,
        Lang::Sv | Lang::En => en,
    }
}

/// A listing: rows that print as a table or as one JSON array.
pub trait Listing: Serialize {
    /// Column headers in `lang`.
    fn headers(lang: Lang) -> Vec<&'static str>;
    /// The row's cells, in header order.
    fn cells(&self, lang: Lang) -> Vec<String>;
}

/// Prints `rows` in `format` to standard output.
pub fn print_listing<T: Listing>(rows: &[T], format: Format, lang: Lang) -> anyhow::Result<()> {
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(rows)?),
        Format::Table => {
            let mut table = Table::new();
            table
                .load_preset(presets::UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic);
            if !table.is_tty() {
                // Piped or redirected: wrap at a readable width instead of one endless line.
                table.set_width(110);
            }
            table.set_header(T::headers(lang));
            for row in rows {
                table.add_row(row.cells(lang));
            }
            println!("{table}");
            if rows.is_empty() {
                println!("{}", tr(lang, "(ei rivejä)", "(none)"));
            }
        }
    }
    Ok(())
}

/// "yes"/"no" in `lang`.
pub fn yes_no(lang: Lang, value: bool) -> String {
    match (value, lang) {
        (true, Lang::Fi) => "kyllä",
        (false, Lang::Fi) => "ei",
        (true, _) => "yes",
        (false, _) => "no",
    }
    .to_owned()
}

/// Whether standard input and standard error are a terminal, so a question can be asked.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Asks a yes/no question on standard error and reads the answer from standard input; no
/// terminal, or anything but y/yes/k/kyllä, is no.
pub fn ask(question: &str) -> anyhow::Result<bool> {
    if !interactive() {
        return Ok(false);
    }
    eprint!("{question} [y/N] ");
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(
        answer.trim().to_lowercase().as_str(),
        "y" | "yes" | "k" | "kyllä"
    ))
}
