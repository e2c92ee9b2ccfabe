//! Printing listings as tables or JSON, and messages in the user's language.

use crate::args::Format;
use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;
use std::io::{BufRead, IsTerminal, Write};
use tuonti_domain::Lang;

/// Picks the Finnish, Swedish (as written in Finland) or English text. Every text the CLI
/// prints itself goes through here (or a `match` with an arm per language), so a text without
/// its Swedish form does not compile.
pub fn tr<'a>(lang: Lang, fi: &'a str, sv: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Fi => fi,
        Lang::Sv => sv,
        Lang::En => en,
    }
}

/// Counts with their words in `lang`, comma-separated: "3 uutta, 0 päivitetty".
pub fn counted(lang: Lang, counts: &[(u64, [&str; 3])]) -> String {
    counts
        .iter()
        .map(|(count, [fi, sv, en])| format!("{count} {}", tr(lang, fi, sv, en)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A listing: rows that print as a table or as one JSON array.
pub trait Listing: Serialize {
    /// Column headers in `lang`.
    fn headers(lang: Lang) -> Vec<&'static str>;
    /// The row's cells, in header order.
    fn cells(&self, lang: Lang) -> Vec<String>;
}

/// Prints a listing in `format` to standard output: without a page, its rows as
/// [`print_listing`] does; with one, the table followed by the rows' place ("Rows 201–300 of
/// 47000"), or JSON as the API answers a page (`{"count", "total", "limit", "offset",
/// "next_offset", key: [...]}`).
pub fn print_page<T: Listing>(
    listing: &tuonti_importer::paging::Listing<T>,
    key: &str,
    format: Format,
    lang: Lang,
) -> anyhow::Result<()> {
    let Some(page) = listing.page else {
        return print_listing(&listing.rows, format, lang);
    };
    match format {
        Format::Json => {
            let mut object = serde_json::Map::new();
            object.insert("count".into(), listing.rows.len().into());
            object.insert("total".into(), listing.total.into());
            object.insert("limit".into(), page.limit().into());
            object.insert("offset".into(), page.offset().into());
            object.insert("next_offset".into(), listing.next_offset().into());
            object.insert(key.into(), serde_json::to_value(&listing.rows)?);
            println!("{}", serde_json::to_string_pretty(&object)?);
        }
        Format::Table => {
            print_listing(&listing.rows, format, lang)?;
            let total = listing.total;
            match (listing.span(), lang) {
                (Some((first, last)), Lang::Fi) => {
                    println!("Rivit {first}–{last}, yhteensä {total}")
                }
                (Some((first, last)), Lang::Sv) => println!("Rader {first}–{last} av {total}"),
                (Some((first, last)), Lang::En) => println!("Rows {first}–{last} of {total}"),
                (None, Lang::Fi) => println!("Ei rivejä tällä sivulla; yhteensä {total}"),
                (None, Lang::Sv) => println!("Inga rader på den här sidan; totalt {total}"),
                (None, Lang::En) => println!("No rows on this page; {total} in all"),
            }
        }
    }
    Ok(())
}

/// Prints `rows` in `format` to standard output.
pub fn print_listing<T: Listing>(rows: &[T], format: Format, lang: Lang) -> anyhow::Result<()> {
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(rows)?),
        Format::Table => print_table(
            T::headers(lang),
            rows.iter().map(|row| row.cells(lang)),
            110,
            lang,
        ),
    }
    Ok(())
}

/// Prints a table of `headers` and `rows` to standard output, "(none)" under it when it has
/// no rows; piped or redirected, it wraps at `COLUMNS` characters when that is set (as shells
/// export it), else at `piped_width`.
pub fn print_table<H: Into<comfy_table::Cell>>(
    headers: Vec<H>,
    rows: impl IntoIterator<Item = Vec<String>>,
    piped_width: u16,
    lang: Lang,
) {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    if !table.is_tty() {
        // Piped or redirected: wrap at a readable width instead of one endless line.
        let columns = std::env::var("COLUMNS")
            .ok()
            .and_then(|value| value.trim().parse::<u16>().ok())
            .filter(|&width| width >= 40);
        table.set_width(columns.unwrap_or(piped_width));
    }
    table.set_header(headers);
    let mut n_rows = 0;
    for row in rows {
        table.add_row(row);
        n_rows += 1;
    }
    println!("{table}");
    if n_rows == 0 {
        println!("{}", tr(lang, "(ei rivejä)", "(inga rader)", "(none)"));
    }
}

/// "yes"/"no" in `lang`.
pub fn yes_no(lang: Lang, value: bool) -> String {
    if value {
        tr(lang, "kyllä", "ja", "yes")
    } else {
        tr(lang, "ei", "nej", "no")
    }
    .to_owned()
}

/// Whether standard input and standard error are a terminal, so a question can be asked.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Asks a yes/no question on standard error and reads the answer from standard input; no
/// terminal, or anything but y/yes/k/kyllä/j/ja, is no.
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
        "y" | "yes" | "k" | "kyllä" | "j" | "ja"
    ))
}
