//! Amounts in euros (a project's value), kept exactly as integer cents.

use crate::checked::{Checked, Sink, run};
use crate::codes;
use crate::text::{
    Prepared, Raw, ascii_forms, field_label_en, field_label_fi, field_label_sv, prepare, shown,
    wrong_type,
};
use tuonti_domain::{CellValue, FieldKey, Location};

/// The largest amount accepted, in cents: ten trillion (10^13) euros. Far above any project,
/// far below `i64::MAX`, and exactly representable as an `f64`, so that no amount overflows
/// and every accepted number cell converts exactly.
pub const MAX_MONEY_CENTS: i64 = 1_000_000_000_000_000;

/// How far (in euros) a number cell may be from a whole cent and still be that cent: a
/// spreadsheet's arithmetic leaves such dust (`0.1 + 0.2`).
const CENT_TOLERANCE: f64 = 1e-6;

/// Words that mean euros, compared without case, before or after the amount.
const EURO_WORDS: [&str; 4] = ["euroa", "euros", "euro", "eur"];

/// Currency symbols other than `€`.
const OTHER_SYMBOLS: [char; 22] = [
    '$', '£', '¥', '₽', '₹', '₩', '₺', '₴', '₪', '¢', '฿', '₿', '₱', '₦', '₫', '₭', '₮', '₲', '₵',
    '₸', '₼', '₾',
];

/// Names of other currencies written in lower case (an upper-case three-letter word such as
/// `SEK` or `USD` is always taken for a currency code).
const OTHER_CURRENCY_WORDS: [&str; 24] = [
    "sek", "nok", "dkk", "isk", "usd", "gbp", "chf", "jpy", "cny", "rub", "pln", "cad", "aud",
    "fim", "eek", "kr", "mk", "markkaa", "kruunua", "dollaria", "dollars", "dollar", "zł", "kč",
];

/// Validates an amount in euros, optional, and gives it in cents (`1234,50` is `123450`),
/// never as a floating-point number. Issues are reported under `field` at `location`.
///
/// Accepted:
///
/// - a number cell, when it is within 10^-6 of a whole cent (`1234.5`, or `0.1 + 0.2`'s
///   `0.30000000000000004`); more decimals are an error, never rounded away;
/// - text with a decimal comma or point (`1234,50`, `1234.5`), thousands separated by spaces
///   (also no-break U+00A0 and narrow no-break U+202F spaces), by points when the decimal is
///   a comma (`1.234,50`) or by commas when it is a point (`1,234.50`); `1 234,-` (no cents);
///   `€`, `EUR`, `eur`, `euro` or `euroa` before or after, with or without a space; fullwidth
///   digits and punctuation, read as ASCII.
/// - A single point or comma followed by exactly three digits, after one to three digits
///   that do not start with 0 (`1.234`, `12,500`), is read as a thousands separator (1234 €,
///   12 500 €): an amount in euros has at most two decimals, so the decimal reading could not
///   be valid. The reading is a guess, so it comes with the warning
///   [`MONEY_THOUSANDS_ASSUMED`](codes::MONEY_THOUSANDS_ASSUMED). With more digits before it
///   (`1234.567`), a leading 0 (`0,125`) or spaces as thousands separators (`1 234,567`) the
///   separator is the decimal one, and three decimals are an error.
/// - Decimals past the second are accepted only when they are zeros, four or more of them, as
///   databases export amounts (`12,5000`); three decimals are always an error, as they look
///   like a thousands group (`1 000.000`).
///
/// Rejected: negative amounts (`-5 €`, `5-`, `(5)`), text (`n/a`, `noin 500`), malformed
/// numbers (`1.234,5.6`, `1,2,3`, two currency signs), other currencies (`$100`, `100 SEK`,
/// `100 kr`), more than two decimals, and amounts over [`MAX_MONEY_CENTS`].
///
/// Issues: [`MONEY_FORMAT`](codes::MONEY_FORMAT), [`MONEY_NEGATIVE`](codes::MONEY_NEGATIVE),
/// [`MONEY_CURRENCY`](codes::MONEY_CURRENCY),
/// [`MONEY_TOO_MANY_DECIMALS`](codes::MONEY_TOO_MANY_DECIMALS),
/// [`MONEY_TOO_LARGE`](codes::MONEY_TOO_LARGE) (errors);
/// [`MONEY_THOUSANDS_ASSUMED`](codes::MONEY_THOUSANDS_ASSUMED) (warning);
/// [`CELL_WRONG_TYPE`](codes::CELL_WRONG_TYPE) for a date or a truth value,
/// [`CELL_ERROR_VALUE`](codes::CELL_ERROR_VALUE), and the shared `text.*` issues.
///
/// ```
/// use tuonti_domain::{CellValue, FieldKey, Location};
/// use tuonti_validation::money;
/// let at = Location::default();
/// let text = money(FieldKey::Name, &CellValue::Text("1\u{a0}234,50 €".into()), &at);
/// assert_eq!(text.value, Some(123_450));
/// assert!(text.issues.is_empty());
/// let number = money(FieldKey::Name, &CellValue::Number(99.9), &at);
/// assert_eq!(number.value, Some(9_990));
/// let guess = money(FieldKey::Name, &CellValue::Text("1.234".into()), &at);
/// assert_eq!(guess.value, Some(123_400));
/// assert!(guess.has("money.thousands_assumed"));
/// let crowns = money(FieldKey::Name, &CellValue::Text("100 SEK".into()), &at);
/// assert!(crowns.has("money.currency"));
/// ```
pub fn money(field: FieldKey, cell: &CellValue, location: &Location) -> Checked<i64> {
    run(field, location, |sink| {
        money_raw(Raw::from_cell(cell), sink)
    })
}

pub(crate) fn money_raw(raw: Raw<'_>, sink: &mut Sink<'_>) -> Option<i64> {
    match raw {
        Raw::Cell(cell @ (CellValue::Bool(_) | CellValue::Date(_) | CellValue::DateTime(_))) => {
            wrong_type(
                cell,
                [
                    "euromäärää (esimerkiksi 1 234,50)",
                    "ett belopp i euro (till exempel 1 234,50)",
                    "an amount in euros (e.g. 1 234,50)",
                ],
                sink,
            );
            None
        }
        _ => match prepare(raw, sink) {
            Prepared::Empty | Prepared::Rejected => None,
            Prepared::Number(number) => from_number(number, sink),
            Prepared::Text(text) => from_text(&text, sink),
        },
    }
}

/// What is wrong with an amount, for its message.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Problem {
    /// Not a well-formed amount: the reason in Finnish, Swedish and English.
    Format(String, String, String),
    /// A currency other than the euro: the currency as written.
    Currency(String),
    /// Below zero.
    Negative,
    /// More than two decimals that are not zeros.
    TooManyDecimals,
    /// Over [`MAX_MONEY_CENTS`].
    TooLarge,
}

fn format_problem(fi: &str, sv: &str, en: &str) -> Problem {
    Problem::Format(fi.to_owned(), sv.to_owned(), en.to_owned())
}

fn report(shown_value: &str, problem: Problem, sink: &mut Sink<'_>) {
    let label_fi = field_label_fi(sink.field);
    let label_sv = field_label_sv(sink.field);
    let label_en = field_label_en(sink.field);
    let example = "1 234,50";
    let (code, fi, sv, en) = match problem {
        Problem::Format(why_fi, why_sv, why_en) => (
            codes::MONEY_FORMAT,
            format!(
                "{label_fi} \"{shown_value}\" ei ole euromäärä: {why_fi}. Odotettiin esimerkiksi {example} tai 1234.50."
            ),
            format!(
                "{label_sv} \"{shown_value}\" är inget belopp i euro: {why_sv}. Väntade till exempel {example} eller 1234.50."
            ),
            format!(
                "{label_en} \"{shown_value}\" is not an amount in euros: {why_en}. Expected e.g. {example} or 1234.50."
            ),
        ),
        Problem::Currency(currency) => (
            codes::MONEY_CURRENCY,
            format!(
                "{label_fi} \"{shown_value}\" on muussa valuutassa ({currency}); vain euromäärät hyväksytään. Muunna summa euroiksi, esimerkiksi {example} €."
            ),
            format!(
                "{label_sv} \"{shown_value}\" är i en annan valuta ({currency}); bara belopp i euro godkänns. Räkna om beloppet till euro, till exempel {example} €."
            ),
            format!(
                "{label_en} \"{shown_value}\" is in another currency ({currency}); only euros are accepted. Convert the amount to euros, e.g. {example} €."
            ),
        ),
        Problem::Negative => (
            codes::MONEY_NEGATIVE,
            format!(
                "{label_fi} \"{shown_value}\" on negatiivinen; odotettiin nollaa tai suurempaa euromäärää."
            ),
            format!("{label_sv} \"{shown_value}\" är negativt; väntade noll euro eller mer."),
            format!("{label_en} \"{shown_value}\" is negative; expected zero or more euros."),
        ),
        Problem::TooManyDecimals => (
            codes::MONEY_TOO_MANY_DECIMALS,
            format!(
                "{label_fi} \"{shown_value}\" on annettu useammalla kuin kahdella desimaalilla; odotettiin euroja ja senttejä, esimerkiksi {example}."
            ),
            format!(
                "{label_sv} \"{shown_value}\" har fler än två decimaler; väntade euro och cent, till exempel {example}."
            ),
            format!(
                "{label_en} \"{shown_value}\" has more than two decimals; expected euros and cents, e.g. {example}."
            ),
        ),
        Problem::TooLarge => {
            let limit = format_euros_fi(MAX_MONEY_CENTS);
            (
                codes::MONEY_TOO_LARGE,
                format!(
                    "{label_fi} \"{shown_value}\" on suurempi kuin yläraja {limit}; tarkista arvo."
                ),
                format!(
                    "{label_sv} \"{shown_value}\" är över gränsen {limit}; kontrollera värdet."
                ),
                format!(
                    "{label_en} \"{shown_value}\" is over the limit of {limit}; check the value."
                ),
            )
        }
    };
    sink.error(code, fi, sv, en);
}

fn from_number(number: f64, sink: &mut Sink<'_>) -> Option<i64> {
    let problem = if !number.is_finite() {
        format_problem(
            "luku ei ole äärellinen",
            "talet är inte ändligt",
            "the number is not finite",
        )
    } else if number < 0.0 {
        Problem::Negative
    } else if number > MAX_MONEY_CENTS as f64 / 100.0 {
        Problem::TooLarge
    } else {
        let cents = (number * 100.0).round();
        if (number - cents / 100.0).abs() <= CENT_TOLERANCE {
            // Within 0..=MAX_MONEY_CENTS (and integral), so the cast is exact.
            return Some(cents as i64);
        }
        Problem::TooManyDecimals
    };
    report(&CellValue::Number(number).to_string(), problem, sink);
    None
}

fn from_text(text: &str, sink: &mut Sink<'_>) -> Option<i64> {
    match parse_amount(&ascii_forms(text)) {
        Ok(amount) => {
            if let Some(separator) = amount.thousands_assumed {
                let shown_value = shown(text);
                let label_fi = field_label_fi(sink.field);
                let label_sv = field_label_sv(sink.field);
                let label_en = field_label_en(sink.field);
                let read = format_euros_fi(amount.cents);
                sink.warning(
                    codes::MONEY_THOUSANDS_ASSUMED,
                    format!(
                        "{label_fi} \"{shown_value}\" luettiin {read}: \"{separator}\" luettiin tuhaterottimeksi, koska euromäärässä on enintään kaksi desimaalia. Kirjoita {read} tai ilman erottimia, niin tulkintaa ei tarvita."
                    ),
                    format!(
                        "{label_sv} \"{shown_value}\" lästes som {read}: \"{separator}\" tolkades som tusentalsavgränsare, eftersom ett belopp i euro har högst två decimaler. Skriv {read} eller utan avgränsare, så behövs ingen tolkning."
                    ),
                    format!(
                        "{label_en} \"{shown_value}\" was read as {read}: \"{separator}\" was taken for a thousands separator, as an amount in euros has at most two decimals. Write {read}, or no separator, to leave no doubt."
                    ),
                );
            }
            Some(amount.cents)
        }
        Err(problem) => {
            report(&shown(text), problem, sink);
            None
        }
    }
}

/// An amount read from text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Amount {
    cents: i64,
    /// The separator taken for a thousands separator by the three-digit rule.
    thousands_assumed: Option<char>,
}

/// Strips `word` (ASCII, lower case) from the start of `text`, without case, when no letter
/// follows it.
fn strip_word_prefix<'t>(text: &'t str, word: &str) -> Option<&'t str> {
    let head = text.get(..word.len())?;
    let rest = &text[word.len()..];
    (head.eq_ignore_ascii_case(word) && !rest.starts_with(char::is_alphabetic)).then_some(rest)
}

/// Strips `word` (ASCII, lower case) from the end of `text`, without case, when no letter
/// precedes it.
fn strip_word_suffix<'t>(text: &'t str, word: &str) -> Option<&'t str> {
    let split = text.len().checked_sub(word.len())?;
    let rest = text.get(..split)?;
    let tail = &text[split..];
    (tail.eq_ignore_ascii_case(word) && !rest.ends_with(char::is_alphabetic)).then_some(rest)
}

/// The text around an amount, when it names another currency.
fn other_currency(around: &str) -> Option<String> {
    let word = around.trim().trim_end_matches('.');
    if word.is_empty() {
        return None;
    }
    if let Some(symbol) = word.chars().find(|c| OTHER_SYMBOLS.contains(c)) {
        return Some(symbol.to_string());
    }
    let lower = word.to_lowercase();
    let code_like = word.len() == 3 && word.bytes().all(|b| b.is_ascii_uppercase());
    (code_like || OTHER_CURRENCY_WORDS.contains(&lower.as_str())).then(|| word.to_owned())
}

/// Reads an amount from text (after [`ascii_forms`]).
fn parse_amount(text: &str) -> Result<Amount, Problem> {
    // One space between words: the thousands groups are checked on single spaces.
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut body = collapsed.as_str();
    let mut negative = false;
    let mut plus = false;
    let mut no_cents = false;
    let mut euro_marks = 0;
    if let Some(inner) = body
        .strip_prefix('(')
        .and_then(|rest| rest.strip_suffix(')'))
    {
        negative = true;
        body = inner;
    }
    loop {
        body = body.trim();
        let stripped = body
            .strip_prefix('€')
            .or_else(|| body.strip_suffix('€'))
            .or_else(|| {
                EURO_WORDS.iter().find_map(|word| {
                    strip_word_prefix(body, word).or_else(|| strip_word_suffix(body, word))
                })
            });
        if let Some(rest) = stripped {
            euro_marks += 1;
            body = rest;
            continue;
        }
        if let Some(rest) = body.strip_suffix(",-").or_else(|| body.strip_suffix(".-"))
            && !no_cents
        {
            no_cents = true;
            body = rest;
            continue;
        }
        if let Some(rest) = body.strip_prefix('-').or_else(|| body.strip_suffix('-')) {
            negative = true;
            body = rest;
            continue;
        }
        if let Some(rest) = body.strip_prefix('+')
            && !plus
        {
            plus = true;
            body = rest;
            continue;
        }
        break;
    }
    let is_number_char = |c: char| c.is_ascii_digit() || c == '.' || c == ',';
    let Some(start) = body.find(is_number_char) else {
        if let Some(currency) = other_currency(body) {
            return Err(Problem::Currency(currency));
        }
        return Err(format_problem(
            "siinä ei ole numeroita",
            "det har inga siffror",
            "it has no digits",
        ));
    };
    // `start` is on a number character, so `rfind` finds one too.
    let end = body.rfind(is_number_char).map_or(start, |index| index + 1);
    let (before, number, after) = (&body[..start], &body[start..end], &body[end..]);
    for around in [before, after] {
        if let Some(currency) = other_currency(around) {
            return Err(Problem::Currency(currency));
        }
    }
    if let Some(around) = [before, after].into_iter().find(|a| !a.trim().is_empty()) {
        let around = around.trim();
        return Err(Problem::Format(
            format!("siinä on tekstiä (\"{around}\")"),
            format!("det innehåller text (\"{around}\")"),
            format!("it contains text (\"{around}\")"),
        ));
    }
    if euro_marks > 1 {
        return Err(format_problem(
            "siinä on kaksi valuuttamerkkiä",
            "det har två valutatecken",
            "it has two currency signs",
        ));
    }
    if !number.bytes().any(|b| b.is_ascii_digit()) {
        return Err(format_problem(
            "siinä ei ole numeroita",
            "det har inga siffror",
            "it has no digits",
        ));
    }
    let amount = parse_number(number, no_cents)?;
    if negative && amount.cents > 0 {
        return Err(Problem::Negative);
    }
    Ok(amount)
}

/// Whether `integer` is thousands groups split by `separator`: one to three digits, then
/// groups of exactly three.
fn is_grouped(integer: &str, separator: char) -> bool {
    let mut groups = integer.split(separator);
    let first_ok = groups
        .next()
        .is_some_and(|group| (1..=3).contains(&group.len()) && is_digits(group));
    first_ok && groups.all(|group| group.len() == 3 && is_digits(group))
}

fn is_digits(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_digit())
}

/// Reads digits, spaces, points and commas (see [`money`] for the rules).
fn parse_number(number: &str, no_cents: bool) -> Result<Amount, Problem> {
    if let Some(bad) = number
        .chars()
        .find(|c| !(c.is_ascii_digit() || matches!(c, ' ' | '.' | ',')))
    {
        return Err(Problem::Format(
            format!("siinä on merkki \"{bad}\""),
            format!("det innehåller tecknet \"{bad}\""),
            format!("it contains \"{bad}\""),
        ));
    }
    let n_points = number.matches('.').count();
    let n_commas = number.matches(',').count();
    let mut thousands_assumed = None;
    // The decimal separator, if any, and the other one, which can only group thousands.
    let (decimal, grouping) = match (n_points, n_commas) {
        (0, 0) => (None, None),
        (1.., 1..) => {
            let last_point = number.rfind('.');
            let last_comma = number.rfind(',');
            let (decimal, grouping, n_decimal) = if last_point > last_comma {
                ('.', ',', n_points)
            } else {
                (',', '.', n_commas)
            };
            if n_decimal > 1 {
                return Err(format_problem(
                    "siinä on useampi kuin yksi desimaalierotin",
                    "det har mer än en decimalavgränsare",
                    "it has more than one decimal separator",
                ));
            }
            (Some(decimal), Some(grouping))
        }
        (2.., 0) => (None, Some('.')),
        (0, 2..) => (None, Some(',')),
        _ => {
            let separator = if n_points == 1 { '.' } else { ',' };
            let (before, after) = number.split_once(separator).unwrap_or((number, ""));
            let thousands_like = after.len() == 3
                && is_digits(after)
                && !before.starts_with('0')
                && is_grouped(before, separator);
            if thousands_like {
                thousands_assumed = Some(separator);
                (None, Some(separator))
            } else {
                (Some(separator), None)
            }
        }
    };
    let (integer, decimals) = match decimal {
        Some(separator) => number.split_once(separator).unwrap_or((number, "")),
        None => (number, ""),
    };
    if decimal.is_some() {
        if no_cents {
            return Err(format_problem(
                "siinä on sekä desimaalit että merkintä \",-\" (ei senttejä)",
                "det har både decimaler och \",-\" (inga cent)",
                "it has both decimals and \",-\" (no cents)",
            ));
        }
        if decimals.is_empty() || !is_digits(decimals) {
            return Err(format_problem(
                "desimaalierottimen jälkeen ei ole pelkkiä numeroita",
                "efter decimalavgränsaren kommer inte bara siffror",
                "the decimal separator is not followed by digits only",
            ));
        }
    }
    let integer_digits: String = if integer.is_empty() {
        if decimal.is_none() {
            return Err(format_problem(
                "siinä ei ole numeroita",
                "det har inga siffror",
                "it has no digits",
            ));
        }
        String::new()
    } else {
        let separators: Vec<char> = integer.chars().filter(|c| !c.is_ascii_digit()).collect();
        match separators.first() {
            None => integer.to_owned(),
            Some(&separator)
                if separators.iter().all(|c| *c == separator)
                    && (separator == ' ' || Some(separator) == grouping)
                    && is_grouped(integer, separator) =>
            {
                integer.chars().filter(char::is_ascii_digit).collect()
            }
            Some(_) => {
                return Err(format_problem(
                    "numeroryhmät eivät ole kolmen numeron tuhatryhmiä",
                    "siffergrupperna är inte tusentalsgrupper om tre siffror",
                    "its digit groups are not groups of three (thousands)",
                ));
            }
        }
    };
    let significant = integer_digits.trim_start_matches('0');
    // 10^13 euros has 14 digits: anything longer is over the limit (and cannot overflow).
    if significant.len() > 14 {
        return Err(Problem::TooLarge);
    }
    let euros: i64 = significant
        .bytes()
        .fold(0, |value, digit| value * 10 + i64::from(digit - b'0'));
    let (cent_digits, rest) = decimals.split_at(decimals.len().min(2));
    // Three decimals are refused even when they are zeros: after a lone separator they look
    // like a thousands group (`1 000.000`), and reading them as nothing would lose a million.
    if rest.bytes().any(|b| b != b'0') || decimals.len() == 3 {
        return Err(Problem::TooManyDecimals);
    }
    let cents_part = match cent_digits.as_bytes() {
        [] => 0,
        [tens] => i64::from(tens - b'0') * 10,
        [tens, ones, ..] => i64::from(tens - b'0') * 10 + i64::from(ones - b'0'),
    };
    let cents = euros * 100 + cents_part;
    if cents > MAX_MONEY_CENTS {
        return Err(Problem::TooLarge);
    }
    Ok(Amount {
        cents,
        thousands_assumed,
    })
}

/// An amount in cents as exports and JSON write it: a point before the cents, no thousands
/// separators, no currency (`123450` is `1234.50`, `-5` is `-0.05`).
///
/// ```
/// assert_eq!(tuonti_validation::format_cents(123_450), "1234.50");
/// assert_eq!(tuonti_validation::format_cents(7), "0.07");
/// ```
pub fn format_cents(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let magnitude = cents.unsigned_abs();
    format!("{sign}{}.{:02}", magnitude / 100, magnitude % 100)
}

/// An amount in cents as a Finnish reader writes it: thousands separated by no-break spaces
/// (U+00A0), a decimal comma and a no-break space before `€` (`123450` is `1 234,50 €`).
///
/// ```
/// assert_eq!(tuonti_validation::format_euros_fi(123_450), "1\u{a0}234,50\u{a0}€");
/// assert_eq!(tuonti_validation::format_euros_fi(-99), "-0,99\u{a0}€");
/// ```
pub fn format_euros_fi(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let magnitude = cents.unsigned_abs();
    let euros = (magnitude / 100).to_string();
    let mut grouped = String::with_capacity(euros.len() * 2);
    for (index, digit) in euros.chars().enumerate() {
        if index > 0 && (euros.len() - index).is_multiple_of(3) {
            grouped.push('\u{a0}');
        }
        grouped.push(digit);
    }
    format!("{sign}{grouped},{:02}\u{a0}€", magnitude % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<(i64, Option<char>), Problem> {
        parse_amount(&ascii_forms(text)).map(|amount| (amount.cents, amount.thousands_assumed))
    }

    #[test]
    fn accepted_forms() {
        let cases: &[(&str, i64, Option<char>)] = &[
            ("0", 0, None),
            ("1234,50", 123_450, None),
            ("1234.5", 123_450, None),
            (",50", 50, None),
            ("1 234,50", 123_450, None),
            ("1\u{a0}234,50", 123_450, None),
            ("1\u{202f}234,50", 123_450, None),
            ("1  234", 123_400, None),
            ("1.234,50", 123_450, None),
            ("1,234.50", 123_450, None),
            ("1.234.567", 123_456_700, None),
            ("1,234,567.8", 123_456_780, None),
            ("€1234", 123_400, None),
            ("1234€", 123_400, None),
            ("1 234 €", 123_400, None),
            ("EUR 1234", 123_400, None),
            ("1234 eur", 123_400, None),
            ("1234eur", 123_400, None),
            ("500 euroa", 50_000, None),
            ("1 234,-", 123_400, None),
            ("1 234,- €", 123_400, None),
            ("+5", 500, None),
            ("-0", 0, None),
            ("12,5000", 1_250, None),
            ("1.234", 123_400, Some('.')),
            ("1,234", 123_400, Some(',')),
            ("12,500", 1_250_000, Some(',')),
            ("１２３４，５０", 123_450, None),
            ("10000000000000", MAX_MONEY_CENTS, None),
        ];
        for (input, cents, assumed) in cases {
            assert_eq!(parse(input), Ok((*cents, *assumed)), "{input:?}");
        }
    }

    #[test]
    fn rejected_forms() {
        let is_format = |problem: &Result<_, Problem>| matches!(problem, Err(Problem::Format(..)));
        for input in [
            "n/a",
            "noin 500",
            "1.234,5.6",
            "1,2,3",
            "€ 5 €",
            "EUR 5 €",
            "12 34",
            "1234,",
            "1.234 567",
            "1 234,50,-",
            "1#2",
            "€",
            "5 5,5",
            "1 234 ,50",
            "0x10",
        ] {
            assert!(is_format(&parse(input)), "{input:?}: {:?}", parse(input));
        }
        for input in ["-5 €", "(5)", "5-", "€ -5", "-1 234,50"] {
            assert_eq!(parse(input), Err(Problem::Negative), "{input:?}");
        }
        for (input, currency) in [
            ("$100", "$"),
            ("100 SEK", "SEK"),
            ("100 kr", "kr"),
            ("USD 5", "USD"),
            ("£", "£"),
        ] {
            assert_eq!(
                parse(input),
                Err(Problem::Currency(currency.into())),
                "{input:?}"
            );
        }
        for input in [
            "0,125",
            "1234.567",
            "1 234,567",
            "1,999",
            "1 000.000",
            "0,500",
        ] {
            let expected = if input == "1,999" {
                Ok((199_900, Some(',')))
            } else {
                Err(Problem::TooManyDecimals)
            };
            assert_eq!(parse(input), expected, "{input:?}");
        }
        for input in [
            "10000000000000,01",
            "99999999999999999999999999",
            "10 000 000 000 001",
        ] {
            assert_eq!(parse(input), Err(Problem::TooLarge), "{input:?}");
        }
    }

    #[test]
    fn formats() {
        assert_eq!(format_cents(0), "0.00");
        assert_eq!(format_cents(-123_456), "-1234.56");
        assert_eq!(format_cents(i64::MIN), "-92233720368547758.08");
        assert_eq!(
            format_euros_fi(100_000_000),
            "1\u{a0}000\u{a0}000,00\u{a0}€"
        );
        assert_eq!(format_euros_fi(12_300), "123,00\u{a0}€");
        assert_eq!(
            format_euros_fi(i64::MAX),
            "92\u{a0}233\u{a0}720\u{a0}368\u{a0}547\u{a0}758,07\u{a0}€"
        );
    }
}
