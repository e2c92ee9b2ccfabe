//! Dates (a project's start and end): date cells, Excel serial numbers and written dates.

use crate::checked::{Checked, Sink, run};
use crate::codes;
use crate::text::{
    Prepared, Raw, ascii_forms, field_label_en, field_label_fi, field_label_sv, prepare, shown,
    wrong_type,
};
use chrono::{Datelike, NaiveDate};
use tuonti_domain::{CellValue, FieldKey, Issue, Location};

/// The first year a date may have.
const MIN_YEAR: i32 = 1900;
/// The last year a date may have.
const MAX_YEAR: i32 = 2200;
/// The last Excel serial date: 31.12.9999.
const MAX_SERIAL: f64 = 2_958_465.0;
/// Excel's serial of its phantom 29.2.1900 (Lotus 1-2-3 took 1900 for a leap year).
const PHANTOM_LEAP_DAY: i64 = 60;

/// How a slash date `a/b/yyyy` is read when both `a` and `b` could be the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateOrder {
    /// `a` is the day: `3/4/2024` is 3 April 2024 (Finnish, British and most of Europe).
    DayFirst,
    /// `a` is the month: `3/4/2024` is 4 March 2024 (the United States).
    MonthFirst,
}

impl DateOrder {
    fn name_fi(self) -> &'static str {
        match self {
            DateOrder::DayFirst => "päivä ensin",
            DateOrder::MonthFirst => "kuukausi ensin",
        }
    }

    fn name_sv(self) -> &'static str {
        match self {
            DateOrder::DayFirst => "dagen först",
            DateOrder::MonthFirst => "månaden först",
        }
    }

    fn name_en(self) -> &'static str {
        match self {
            DateOrder::DayFirst => "day first",
            DateOrder::MonthFirst => "month first",
        }
    }
}

/// The order of a column's slash dates, learned from its values that are unambiguous by
/// themselves: in `25/12/2024` only 12 can be the month (day first), in `12/25/2024` only
/// 12 can (month first). Dates written `d.m.yyyy` or `yyyy-mm-dd`, and slash dates whose
/// parts are both 12 or less, tell nothing.
///
/// Feed it every value of the column, then pass [`order`](Self::order) to [`date()`]. When
/// the column has no unambiguous slash date, or has both kinds (conflicting evidence: some
/// written day first, some month first), the order is `None` and every ambiguous slash date
/// of the column is an error ([`DATE_AMBIGUOUS`](codes::DATE_AMBIGUOUS)).
///
/// ```
/// use tuonti_domain::CellValue;
/// use tuonti_validation::{DateOrder, DateOrderVote};
/// let mut vote = DateOrderVote::new();
/// for text in ["3/4/2024", "25/12/2024", "1.5.2024"] {
///     vote.observe(&CellValue::Text(text.into()));
/// }
/// assert_eq!(vote.order(), Some(DateOrder::DayFirst));
/// vote.observe_text("12/31/2024");
/// assert_eq!(vote.order(), None);
/// assert!(vote.is_conflicting());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateOrderVote {
    day_first: u32,
    month_first: u32,
}

impl DateOrderVote {
    /// A vote with no values seen.
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts one cell: only text cells holding a slash date can tell the order.
    pub fn observe(&mut self, cell: &CellValue) {
        if let CellValue::Text(text) = cell {
            self.observe_text(text);
        }
    }

    /// Counts one value as written.
    pub fn observe_text(&mut self, text: &str) {
        let text = ascii_forms(text);
        let Some(Written::Slash {
            first,
            second,
            year,
        }) = parse_written(text.trim())
        else {
            return;
        };
        // Only a reading that is a real date counts: garbage does not vote.
        if first > 12 && NaiveDate::from_ymd_opt(year, second, first).is_some() {
            self.day_first = self.day_first.saturating_add(1);
        } else if second > 12 && NaiveDate::from_ymd_opt(year, first, second).is_some() {
            self.month_first = self.month_first.saturating_add(1);
        }
    }

    /// The order the column's unambiguous slash dates show; `None` when there are none or
    /// when they conflict.
    pub fn order(&self) -> Option<DateOrder> {
        match (self.day_first, self.month_first) {
            (1.., 0) => Some(DateOrder::DayFirst),
            (0, 1..) => Some(DateOrder::MonthFirst),
            _ => None,
        }
    }

    /// Whether some values were written day first and others month first.
    pub fn is_conflicting(&self) -> bool {
        self.day_first > 0 && self.month_first > 0
    }
}

/// Validates a date, optional, and gives it as a [`NaiveDate`]. Issues are reported under
/// `field` at `location`.
///
/// Accepted:
///
/// - a date cell; a date-and-time cell gives its date (any time of day);
/// - a number, as an Excel serial date of the 1900 date system: 1 is 1.1.1900, 45352 is
///   1.3.2024, up to 2958465 (31.12.9999); a fraction is a time of day and is dropped. 60 is
///   Excel's 29.2.1900, a day that never was (1900 was not a leap year): an error. Every
///   number is read with a warning, as the sheet shows it as a number, not a date;
/// - text `d.m.yyyy` (`1.3.2024`, `01.03.2024`, `1. 3. 2024`, `1.3.2024.`) and `d.m.yy`,
///   whose two-digit years read as Excel reads them: 00–69 are 2000–2069, 70–99 are
///   1970–1999; ISO 8601 `yyyy-mm-dd`; any of these followed by a time of day
///   (`2024-03-01T12:00:00`, `2024-03-01 12:00`, `1.3.2024 12.00`), which is dropped;
/// - slash dates `a/b/yyyy` and `a/b/yy`. When one part is over 12 it is the day; when both
///   are the same the date is clear; otherwise the date can be read day first or month
///   first, and `order` decides (the column's order from a [`DateOrderVote`]) with the
///   warning [`DATE_ORDER_ASSUMED`](codes::DATE_ORDER_ASSUMED) that says which reading was
///   used and why. Without an order it is the error [`DATE_AMBIGUOUS`](codes::DATE_AMBIGUOUS),
///   whose message shows both readings.
///
/// Fullwidth digits and punctuation read as ASCII; no-break and narrow no-break spaces read as
/// spaces. Years must be within 1900–2200.
///
/// Issues: [`DATE_FORMAT`](codes::DATE_FORMAT), [`DATE_IMPOSSIBLE`](codes::DATE_IMPOSSIBLE),
/// [`DATE_OUT_OF_RANGE`](codes::DATE_OUT_OF_RANGE), [`DATE_AMBIGUOUS`](codes::DATE_AMBIGUOUS)
/// (errors); [`DATE_ORDER_ASSUMED`](codes::DATE_ORDER_ASSUMED),
/// [`DATE_SERIAL_NUMBER`](codes::DATE_SERIAL_NUMBER) (warnings);
/// [`CELL_WRONG_TYPE`](codes::CELL_WRONG_TYPE) for a truth value,
/// [`CELL_ERROR_VALUE`](codes::CELL_ERROR_VALUE), and the shared `text.*` issues.
///
/// ```
/// use chrono::NaiveDate;
/// use tuonti_domain::{CellValue, FieldKey, Location};
/// use tuonti_validation::{DateOrder, date};
/// let at = Location::cell(2, 4);
/// let first_of_march = NaiveDate::from_ymd_opt(2024, 3, 1);
/// let text = date(FieldKey::Name, &CellValue::Text("1.3.2024".into()), &at, None);
/// assert_eq!(text.value, first_of_march);
/// assert!(text.issues.is_empty());
/// let serial = date(FieldKey::Name, &CellValue::Number(45352.0), &at, None);
/// assert_eq!(serial.value, first_of_march);
/// assert!(serial.has("date.serial_number"));
/// let slash = CellValue::Text("3/1/2024".into());
/// let unclear = date(FieldKey::Name, &slash, &at, None);
/// assert!(unclear.has("date.ambiguous"));
/// let by_column = date(FieldKey::Name, &slash, &at, Some(DateOrder::MonthFirst));
/// assert_eq!(by_column.value, first_of_march);
/// assert!(by_column.has("date.order_assumed"));
/// ```
pub fn date(
    field: FieldKey,
    cell: &CellValue,
    location: &Location,
    order: Option<DateOrder>,
) -> Checked<NaiveDate> {
    run(field, location, |sink| {
        date_raw(Raw::from_cell(cell), order, sink)
    })
}

pub(crate) fn date_raw(
    raw: Raw<'_>,
    order: Option<DateOrder>,
    sink: &mut Sink<'_>,
) -> Option<NaiveDate> {
    match raw {
        Raw::Cell(cell @ CellValue::Date(date)) => in_range(*date, &cell.to_string(), sink),
        Raw::Cell(cell @ CellValue::DateTime(datetime)) => {
            in_range(datetime.date(), &cell.to_string(), sink)
        }
        Raw::Cell(cell @ CellValue::Bool(_)) => {
            wrong_type(
                cell,
                [
                    "päivämäärää (esimerkiksi 1.3.2024)",
                    "ett datum (till exempel 1.3.2024)",
                    "a date (e.g. 1.3.2024)",
                ],
                sink,
            );
            None
        }
        _ => match prepare(raw, sink) {
            Prepared::Empty | Prepared::Rejected => None,
            Prepared::Number(number) => from_serial(number, sink),
            Prepared::Text(text) => from_text(&text, order, sink),
        },
    }
}

/// A date as `d.m.yyyy`, the form of messages.
fn d_m_y(date: NaiveDate) -> String {
    format!("{}.{}.{}", date.day(), date.month(), date.year())
}

fn in_range(date: NaiveDate, shown_value: &str, sink: &mut Sink<'_>) -> Option<NaiveDate> {
    let year = date.year();
    if (MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Some(date);
    }
    out_of_range(shown_value, year, sink);
    None
}

fn out_of_range(shown_value: &str, year: i32, sink: &mut Sink<'_>) {
    let label_fi = field_label_fi(sink.field);
    let label_sv = field_label_sv(sink.field);
    let label_en = field_label_en(sink.field);
    sink.error(
        codes::DATE_OUT_OF_RANGE,
        format!(
            "{label_fi} \"{shown_value}\" on vuodelta {year}; odotettiin vuosia {MIN_YEAR}–{MAX_YEAR}."
        ),
        format!(
            "{label_sv} \"{shown_value}\" är från år {year}; väntade ett år mellan {MIN_YEAR} och {MAX_YEAR}."
        ),
        format!(
            "{label_en} \"{shown_value}\" is in the year {year}; expected a year within {MIN_YEAR}–{MAX_YEAR}."
        ),
    );
}

/// The date of an Excel serial number (1900 date system), `None` for numbers that are no
/// serial date (below 1, from 2958466 on, not finite) and for Excel's phantom 29.2.1900.
fn serial_date(number: f64) -> Option<NaiveDate> {
    if !(number.is_finite() && (1.0..MAX_SERIAL + 1.0).contains(&number)) {
        return None;
    }
    // In range 1..=2958465 after `floor`, so the cast is exact.
    let serial = number.floor() as i64;
    // Serials before the phantom day count from 31.12.1899 (1 is 1.1.1900); from 61 on, Excel
    // has counted the phantom day, so they count from 30.12.1899.
    let (base, offset) = if serial < PHANTOM_LEAP_DAY {
        (NaiveDate::from_ymd_opt(1899, 12, 31)?, serial)
    } else if serial > PHANTOM_LEAP_DAY {
        (NaiveDate::from_ymd_opt(1899, 12, 30)?, serial)
    } else {
        return None;
    };
    base.checked_add_days(chrono::Days::new(offset.unsigned_abs()))
}

fn from_serial(number: f64, sink: &mut Sink<'_>) -> Option<NaiveDate> {
    let shown_value = CellValue::Number(number).to_string();
    let label_fi = field_label_fi(sink.field);
    let label_sv = field_label_sv(sink.field);
    let label_en = field_label_en(sink.field);
    if number.is_finite() && number.floor() == PHANTOM_LEAP_DAY as f64 {
        sink.error(
            codes::DATE_IMPOSSIBLE,
            format!(
                "{label_fi} on luku {shown_value}, joka on Excelissä 29.2.1900: sellaista päivää ei ole (1900 ei ollut karkausvuosi). Kirjoita päivämäärä muodossa p.k.vvvv."
            ),
            format!(
                "{label_sv} är talet {shown_value}, som Excel visar som 29.2.1900: en sådan dag finns inte (1900 var inte ett skottår). Skriv datumet i formen d.m.åååå."
            ),
            format!(
                "{label_en} is the number {shown_value}, which Excel shows as 29.2.1900: no such day exists (1900 was not a leap year). Write the date as d.m.yyyy."
            ),
        );
        return None;
    }
    let Some(date) = serial_date(number) else {
        sink.error(
            codes::DATE_OUT_OF_RANGE,
            format!(
                "{label_fi} on luku {shown_value}; odotettiin päivämäärää. Luku luetaan Excelin päivämääränä vain väliltä 1 (1.1.1900) – 2958465 (31.12.9999)."
            ),
            format!(
                "{label_sv} är talet {shown_value}; väntade ett datum. Ett tal läses som ett Excel-datum bara från 1 (1.1.1900) till 2958465 (31.12.9999)."
            ),
            format!(
                "{label_en} is the number {shown_value}; expected a date. A number is read as an Excel date only from 1 (1.1.1900) to 2958465 (31.12.9999)."
            ),
        );
        return None;
    };
    let date = in_range(date, &format!("{shown_value} = {}", d_m_y(date)), sink)?;
    let read = d_m_y(date);
    sink.warning(
        codes::DATE_SERIAL_NUMBER,
        format!(
            "{label_fi} on luku {shown_value}; se luettiin Excelin päivämääränä {read}. Muotoile sarake päivämääriksi, niin taulukko näyttää sen päivämääränä."
        ),
        format!(
            "{label_sv} är talet {shown_value}; det lästes som Excel-datumet {read}. Formatera kolumnen som datum, så visar kalkylbladet det som ett datum."
        ),
        format!(
            "{label_en} is the number {shown_value}; it was read as the Excel date {read}. Format the column as dates so that the sheet shows it as one."
        ),
    );
    Some(date)
}

/// A date as written, before its parts are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Written {
    /// Day, month and year in a known order (`d.m.yyyy`, ISO).
    Dmy { day: u32, month: u32, year: i32 },
    /// `a/b/yyyy`: day first or month first.
    Slash { first: u32, second: u32, year: i32 },
}

/// A cursor over the bytes of a written date.
struct Cursor<'t> {
    bytes: &'t [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.peek() == Some(byte);
        if found {
            self.pos += 1;
        }
        found
    }

    fn spaces(&mut self) -> usize {
        let start = self.pos;
        while self.eat(b' ') {}
        self.pos - start
    }

    /// A run of `min..=max` digits: its value and length; `None` for a shorter or longer run.
    fn digits(&mut self, min: usize, max: usize) -> Option<(u32, usize)> {
        let start = self.pos;
        let mut value = 0u32;
        while let Some(byte @ b'0'..=b'9') = self.peek() {
            if self.pos - start == max {
                return None;
            }
            value = value * 10 + u32::from(byte - b'0');
            self.pos += 1;
        }
        let len = self.pos - start;
        (len >= min).then_some((value, len))
    }

    fn at_end(&self) -> bool {
        self.pos == self.bytes.len()
    }
}

/// A year of two or four digits; two-digit years as Excel reads them.
fn year_of(value: u32, len: usize) -> Option<i32> {
    let value = i32::try_from(value).ok()?;
    match len {
        4 => Some(value),
        2 if value < 70 => Some(2000 + value),
        2 => Some(1900 + value),
        _ => None,
    }
}

/// An optional time of day after a date: `T` (ISO only) or spaces, then `h:mm`, `h:mm:ss`
/// with an optional fraction, or (not in ISO) the same with dots, `12.00`. Returns whether
/// the rest of the text is such a time (or nothing).
fn time_suffix(cursor: &mut Cursor<'_>, iso: bool) -> bool {
    if cursor.at_end() {
        return true;
    }
    if !(iso && cursor.eat(b'T')) && cursor.spaces() == 0 {
        return false;
    }
    let Some((hour, _)) = cursor.digits(1, 2) else {
        return false;
    };
    let separator = match cursor.peek() {
        Some(b':') => b':',
        Some(b'.') if !iso => b'.',
        _ => return false,
    };
    cursor.pos += 1;
    let Some((minute, _)) = cursor.digits(2, 2) else {
        return false;
    };
    let mut second = 0;
    if cursor.eat(separator) {
        let Some((value, _)) = cursor.digits(2, 2) else {
            return false;
        };
        second = value;
        if (cursor.eat(b'.') || cursor.eat(b',')) && cursor.digits(1, 9).is_none() {
            return false;
        }
    }
    cursor.spaces();
    cursor.at_end() && hour < 24 && minute < 60 && second < 60
}

/// Reads the form of a written date (ASCII after [`ascii_forms`], trimmed), `None` when it
/// is none of the accepted forms.
fn parse_written(text: &str) -> Option<Written> {
    let mut cursor = Cursor {
        bytes: text.as_bytes(),
        pos: 0,
    };
    let (first, first_len) = cursor.digits(1, 4)?;
    match cursor.peek()? {
        b'-' if first_len == 4 => {
            cursor.pos += 1;
            let (month, _) = cursor.digits(1, 2)?;
            if !cursor.eat(b'-') {
                return None;
            }
            let (day, _) = cursor.digits(1, 2)?;
            let year = year_of(first, 4)?;
            time_suffix(&mut cursor, true).then_some(Written::Dmy { day, month, year })
        }
        separator @ (b'.' | b'/') if first_len <= 2 => {
            cursor.pos += 1;
            cursor.spaces();
            let (second, _) = cursor.digits(1, 2)?;
            if !cursor.eat(separator) {
                return None;
            }
            cursor.spaces();
            let (year, year_len) = cursor.digits(2, 4)?;
            let year = year_of(year, year_len)?;
            if separator == b'.' {
                cursor.eat(b'.');
                time_suffix(&mut cursor, false).then_some(Written::Dmy {
                    day: first,
                    month: second,
                    year,
                })
            } else {
                time_suffix(&mut cursor, false).then_some(Written::Slash {
                    first,
                    second,
                    year,
                })
            }
        }
        _ => None,
    }
}

fn from_text(text: &str, order: Option<DateOrder>, sink: &mut Sink<'_>) -> Option<NaiveDate> {
    let shown_value = shown(text);
    let ascii = ascii_forms(text);
    let Some(written) = parse_written(&ascii) else {
        format_error(&shown_value, &ascii, sink);
        return None;
    };
    let (day, month, year) = match written {
        Written::Dmy { day, month, year } => (day, month, year),
        Written::Slash {
            first,
            second,
            year,
        } => read_slash(&shown_value, first, second, year, order, sink)?,
    };
    checked_date(&shown_value, day, month, year, sink)
}

fn format_error(shown_value: &str, ascii: &str, sink: &mut Sink<'_>) {
    let label_fi = field_label_fi(sink.field);
    let label_sv = field_label_sv(sink.field);
    let label_en = field_label_en(sink.field);
    let year_alone = ascii.len() == 4 && ascii.bytes().all(|b| b.is_ascii_digit());
    let (hint_fi, hint_sv, hint_en) = if year_alone {
        (
            " Pelkkä vuosi ei ole päivämäärä; kirjoita myös päivä ja kuukausi, esimerkiksi 1.1.2024.",
            " Ett årtal ensamt är inget datum; skriv också dag och månad, till exempel 1.1.2024.",
            " A year alone is not a date; write the day and month too, e.g. 1.1.2024.",
        )
    } else {
        ("", "", "")
    };
    sink.error(
        codes::DATE_FORMAT,
        format!(
            "{label_fi} \"{shown_value}\" ei ole päivämäärä; odotettiin muotoa p.k.vvvv (esimerkiksi 1.3.2024) tai vvvv-kk-pp.{hint_fi}"
        ),
        format!(
            "{label_sv} \"{shown_value}\" är inget datum; väntade formen d.m.åååå (till exempel 1.3.2024) eller åååå-mm-dd.{hint_sv}"
        ),
        format!(
            "{label_en} \"{shown_value}\" is not a date; expected d.m.yyyy (e.g. 1.3.2024) or yyyy-mm-dd.{hint_en}"
        ),
    );
}

/// The day, month and year of a slash date, or `None` with an error.
fn read_slash(
    shown_value: &str,
    first: u32,
    second: u32,
    year: i32,
    order: Option<DateOrder>,
    sink: &mut Sink<'_>,
) -> Option<(u32, u32, i32)> {
    if first == second || first > 12 || first == 0 {
        // The same either way, or only the second part can be the month (a 0 is reported as
        // the impossible day).
        return Some((first, second, year));
    }
    if second > 12 || second == 0 {
        return Some((second, first, year));
    }
    let day_first = format!("{first}.{second}.{year}");
    let month_first = format!("{second}.{first}.{year}");
    let label_fi = field_label_fi(sink.field);
    let label_sv = field_label_sv(sink.field);
    let label_en = field_label_en(sink.field);
    let Some(order) = order else {
        sink.error(
            codes::DATE_AMBIGUOUS,
            format!(
                "{shown_value}: {day_first} vai {month_first}? {label_fi} voidaan lukea päivä ensin tai kuukausi ensin, eivätkä sarakkeen muut päivämäärät ratkaise kumpi. Kirjoita päivämäärä muodossa p.k.vvvv, esimerkiksi {day_first}."
            ),
            format!(
                "{shown_value}: {day_first} eller {month_first}? {label_sv} kan läsas med dagen först eller månaden först, och kolumnens övriga datum avgör inte vilket. Skriv datumet i formen d.m.åååå, till exempel {day_first}."
            ),
            format!(
                "{shown_value}: {day_first} or {month_first}? {label_en} can be read day first or month first, and the column's other dates do not settle which. Write the date as d.m.yyyy, e.g. {day_first}."
            ),
        );
        return None;
    };
    let (read, parts) = match order {
        DateOrder::DayFirst => (day_first, (first, second, year)),
        DateOrder::MonthFirst => (month_first, (second, first, year)),
    };
    let (name_fi, name_sv, name_en) = (order.name_fi(), order.name_sv(), order.name_en());
    sink.warning(
        codes::DATE_ORDER_ASSUMED,
        format!(
            "{label_fi} \"{shown_value}\" luettiin {read} ({name_fi}), koska sarakkeen muut päivämäärät on kirjoitettu {name_fi}. Kirjoita muodossa p.k.vvvv, niin tulkintaa ei tarvita."
        ),
        format!(
            "{label_sv} \"{shown_value}\" lästes som {read} ({name_sv}), eftersom kolumnens övriga datum är skrivna {name_sv}. Skriv d.m.åååå, så behövs ingen tolkning."
        ),
        format!(
            "{label_en} \"{shown_value}\" was read as {read} ({name_en}), as the column's other dates are written {name_en}. Write d.m.yyyy to leave no doubt."
        ),
    );
    Some(parts)
}

const MONTHS_FI_IN: [&str; 12] = [
    "tammikuussa",
    "helmikuussa",
    "maaliskuussa",
    "huhtikuussa",
    "toukokuussa",
    "kesäkuussa",
    "heinäkuussa",
    "elokuussa",
    "syyskuussa",
    "lokakuussa",
    "marraskuussa",
    "joulukuussa",
];

const MONTHS_SV: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Reports [`DATE_IMPOSSIBLE`](codes::DATE_IMPOSSIBLE) with why, in Finnish, Swedish and
/// English.
fn impossible(shown_value: &str, why: [&str; 3], sink: &mut Sink<'_>) {
    let [why_fi, why_sv, why_en] = why;
    let label_fi = field_label_fi(sink.field);
    let label_sv = field_label_sv(sink.field);
    let label_en = field_label_en(sink.field);
    sink.error(
        codes::DATE_IMPOSSIBLE,
        format!("{label_fi} \"{shown_value}\" ei ole mahdollinen päivämäärä: {why_fi}."),
        format!("{label_sv} \"{shown_value}\" är inget möjligt datum: {why_sv}."),
        format!("{label_en} \"{shown_value}\" is not a possible date: {why_en}."),
    );
}

/// The date of written parts, or `None` with an error naming the impossible part.
fn checked_date(
    shown_value: &str,
    day: u32,
    month: u32,
    year: i32,
    sink: &mut Sink<'_>,
) -> Option<NaiveDate> {
    if !(1..=12).contains(&month) {
        impossible(
            shown_value,
            [
                &format!("kuukautta {month} ei ole (kuukaudet ovat 1–12)"),
                &format!("det finns ingen månad {month} (månaderna är 1–12)"),
                &format!("there is no month {month} (months are 1–12)"),
            ],
            sink,
        );
        return None;
    }
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        out_of_range(shown_value, year, sink);
        return None;
    }
    if let Some(date) = NaiveDate::from_ymd_opt(year, month, day) {
        return Some(date);
    }
    // The month and year are valid, so the day is 0 or past the month's end.
    let n_days = days_in_month(year, month);
    if month == 2 && day == 29 {
        impossible(
            shown_value,
            [
                &format!("{year} ei ole karkausvuosi, joten helmikuussa on 28 päivää"),
                &format!("{year} är inte ett skottår, så februari har 28 dagar"),
                &format!("{year} is not a leap year, so February has 28 days"),
            ],
            sink,
        );
    } else {
        // `month` is within 1..=12 here.
        let index = month as usize - 1;
        let (month_fi, month_sv, month_en) =
            (MONTHS_FI_IN[index], MONTHS_SV[index], MONTHS_EN[index]);
        impossible(
            shown_value,
            [
                &format!("{month_fi} {year} on {n_days} päivää, päivää {day} ei ole"),
                &format!("{month_sv} {year} har {n_days} dagar, dag {day} finns inte"),
                &format!("{month_en} {year} has {n_days} days, there is no day {day}"),
            ],
            sink,
        );
    }
    None
}

/// Checks that a project does not end before it starts: the error
/// [`DATE_END_BEFORE_START`](codes::DATE_END_BEFORE_START) at the end date's cell
/// (`end_location`, under `end_field`) when `end` is before `start`. A project may end on
/// the day it starts; a missing date is never an error here.
///
/// ```
/// use chrono::NaiveDate;
/// use tuonti_domain::{FieldKey, Location};
/// use tuonti_validation::check_date_range;
/// let start = NaiveDate::from_ymd_opt(2024, 3, 5);
/// let end = NaiveDate::from_ymd_opt(2024, 3, 1);
/// let issue = check_date_range(start, end, FieldKey::Name, &Location::cell(2, 5));
/// let issue = issue.expect("the end is before the start");
/// assert_eq!(issue.code.as_str(), "date.end_before_start");
/// assert_eq!(issue.location.cell_ref().as_deref(), Some("F2"));
/// assert!(check_date_range(start, start, FieldKey::Name, &Location::cell(2, 5)).is_none());
/// ```
pub fn check_date_range(
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    end_field: FieldKey,
    end_location: &Location,
) -> Option<Issue> {
    let mut issues = Vec::new();
    date_range_raw(
        start,
        end,
        &mut Sink::new(end_field, end_location, &mut issues),
    );
    issues.pop()
}

pub(crate) fn date_range_raw(
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
    sink: &mut Sink<'_>,
) {
    let (Some(start), Some(end)) = (start, end) else {
        return;
    };
    if end >= start {
        return;
    }
    let label_fi = field_label_fi(sink.field);
    let label_sv = field_label_sv(sink.field);
    let label_en = field_label_en(sink.field);
    let (start, end) = (d_m_y(start), d_m_y(end));
    sink.error(
        codes::DATE_END_BEFORE_START,
        format!(
            "{label_fi} {end} on ennen alkupäivää {start}; projekti ei voi päättyä ennen kuin se alkaa (alkupäivänä se voi päättyä)."
        ),
        format!(
            "{label_sv} {end} är före startdatumet {start}; ett projekt kan inte sluta innan det börjar (det kan sluta samma dag som det börjar)."
        ),
        format!(
            "{label_en} {end} is before the start date {start}; a project cannot end before it starts (it may end on the day it starts)."
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(year, month, day)
    }

    fn codes_of<T>(checked: &Checked<T>) -> Vec<&str> {
        checked.issues.iter().map(|i| i.code.as_str()).collect()
    }

    fn text(input: &str, order: Option<DateOrder>) -> Checked<NaiveDate> {
        date(
            FieldKey::Name,
            &CellValue::Text(input.into()),
            &Location::default(),
            order,
        )
    }

    #[test]
    fn written_forms() {
        let cases = [
            (
                "1.3.2024",
                Written::Dmy {
                    day: 1,
                    month: 3,
                    year: 2024,
                },
            ),
            (
                "01.03.2024",
                Written::Dmy {
                    day: 1,
                    month: 3,
                    year: 2024,
                },
            ),
            (
                "1. 3. 2024",
                Written::Dmy {
                    day: 1,
                    month: 3,
                    year: 2024,
                },
            ),
            (
                "1.3.2024.",
                Written::Dmy {
                    day: 1,
                    month: 3,
                    year: 2024,
                },
            ),
            (
                "1.3.69",
                Written::Dmy {
                    day: 1,
                    month: 3,
                    year: 2069,
                },
            ),
            (
                "1.3.70",
                Written::Dmy {
                    day: 1,
                    month: 3,
                    year: 1970,
                },
            ),
            (
                "2024-03-01",
                Written::Dmy {
                    day: 1,
                    month: 3,
                    year: 2024,
                },
            ),
            (
                "2024-3-1T12:00:00",
                Written::Dmy {
                    day: 1,
                    month: 3,
                    year: 2024,
                },
            ),
            (
                "2024-03-01 23:59:59.999",
                Written::Dmy {
                    day: 1,
                    month: 3,
                    year: 2024,
                },
            ),
            (
                "1.3.2024 12.30",
                Written::Dmy {
                    day: 1,
                    month: 3,
                    year: 2024,
                },
            ),
            (
                "3/4/24",
                Written::Slash {
                    first: 3,
                    second: 4,
                    year: 2024,
                },
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_written(input), Some(expected), "{input}");
        }
        for input in [
            "",
            "2024",
            "1.3",
            "1.3.",
            "1.3.202",
            "1.3.20245",
            "123.3.2024",
            "1..3.2024",
            "1 .3.2024",
            "1.3.2024 25:00",
            "1.3.2024 12",
            "2024-03-01T",
            "2024-03-01 12.00",
            "24-03-01",
            "2024/03/01",
            "1-3-2024",
            "1.3/2024",
            "1/3/2024.",
            "+1.3.2024",
        ] {
            assert_eq!(parse_written(input), None, "{input:?}");
        }
    }

    #[test]
    fn serials_follow_excel() {
        assert_eq!(serial_date(1.0), ymd(1900, 1, 1));
        assert_eq!(serial_date(59.0), ymd(1900, 2, 28));
        assert_eq!(serial_date(60.0), None);
        assert_eq!(serial_date(61.0), ymd(1900, 3, 1));
        assert_eq!(serial_date(45352.0), ymd(2024, 3, 1));
        assert_eq!(serial_date(45352.75), ymd(2024, 3, 1));
        assert_eq!(serial_date(2_958_465.0), ymd(9999, 12, 31));
        assert_eq!(serial_date(2_958_465.999), ymd(9999, 12, 31));
        assert_eq!(serial_date(2_958_466.0), None);
        assert_eq!(serial_date(0.5), None);
        assert_eq!(serial_date(f64::NAN), None);
        assert_eq!(serial_date(-1.0), None);
    }

    #[test]
    fn impossible_parts_are_named() {
        let february = text("31.2.2024", None);
        assert_eq!(codes_of(&february), ["date.impossible"]);
        assert!(
            february.issues[0]
                .message
                .en
                .contains("February 2024 has 29 days, there is no day 31")
        );
        assert!(
            february.issues[0]
                .message
                .fi
                .contains("helmikuussa 2024 on 29 päivää")
        );
        let leap = text("29.2.2023", None);
        assert!(
            leap.issues[0]
                .message
                .en
                .contains("2023 is not a leap year")
        );
        assert!(text("29.2.2024", None).issues.is_empty());
        assert!(text("29.2.2000", None).issues.is_empty());
        let century = text("29.2.2100", None);
        assert!(
            century.issues[0]
                .message
                .en
                .contains("2100 is not a leap year")
        );
        let month = text("1.13.2024", None);
        assert!(month.issues[0].message.en.contains("there is no month 13"));
        let day_zero = text("0.1.2024", None);
        assert!(day_zero.issues[0].message.en.contains("there is no day 0"));
        assert!(
            text("31/4/2024", None).issues[0]
                .message
                .en
                .contains("April 2024 has 30 days")
        );
        let neither = text("13/14/2024", None);
        assert!(
            neither.issues[0]
                .message
                .en
                .contains("there is no month 14"),
            "{:?}",
            neither.issues
        );
    }

    #[test]
    fn the_order_decides_ambiguous_slash_dates() {
        let day_first = text("3/4/2024", Some(DateOrder::DayFirst));
        assert_eq!(day_first.value, ymd(2024, 4, 3));
        assert_eq!(codes_of(&day_first), ["date.order_assumed"]);
        assert!(day_first.issues[0].message.en.contains(
            "read as 3.4.2024 (day first), as the column's other dates are written day first"
        ));
        let month_first = text("3/4/2024", Some(DateOrder::MonthFirst));
        assert_eq!(month_first.value, ymd(2024, 3, 4));
        let unclear = text("3/4/2024", None);
        assert_eq!(unclear.value, None);
        assert!(
            unclear.issues[0]
                .message
                .en
                .starts_with("3/4/2024: 3.4.2024 or 4.3.2024?")
        );
        assert!(
            unclear.issues[0]
                .message
                .fi
                .starts_with("3/4/2024: 3.4.2024 vai 4.3.2024?")
        );
        assert!(unclear.issues[0].message.en.contains("d.m.yyyy"));
        // Clear by themselves, whatever the column says.
        let same = text("5/5/2024", None);
        assert_eq!((same.value, same.issues.len()), (ymd(2024, 5, 5), 0));
        let day = text("25/12/2024", Some(DateOrder::MonthFirst));
        assert_eq!((day.value, day.issues.len()), (ymd(2024, 12, 25), 0));
        let month = text("12/25/24", None);
        assert_eq!((month.value, month.issues.len()), (ymd(2024, 12, 25), 0));
    }

    #[test]
    fn the_vote_needs_clear_and_agreeing_evidence() {
        let mut vote = DateOrderVote::new();
        assert_eq!(vote.order(), None);
        for text in [
            "3/4/2024",
            "1.2.2024",
            "2024-01-31",
            "5/5/2024",
            "31/2/2024",
            "x",
        ] {
            vote.observe_text(text);
        }
        assert_eq!(vote.order(), None, "no clear slash date yet");
        vote.observe(&CellValue::Text("\u{a0}12/31/2024 ".into()));
        assert_eq!(vote.order(), Some(DateOrder::MonthFirst));
        vote.observe(&CellValue::Number(13.0));
        assert_eq!(vote.order(), Some(DateOrder::MonthFirst));
        vote.observe_text("31/12/2024");
        assert!(vote.is_conflicting());
        assert_eq!(vote.order(), None);
    }

    #[test]
    fn ranges() {
        let at = Location::cell(3, 6);
        assert!(check_date_range(ymd(2024, 3, 2), ymd(2024, 3, 1), FieldKey::Name, &at).is_some());
        assert!(check_date_range(ymd(2024, 3, 1), ymd(2024, 3, 1), FieldKey::Name, &at).is_none());
        assert!(check_date_range(None, ymd(2024, 3, 1), FieldKey::Name, &at).is_none());
        assert!(check_date_range(ymd(2024, 3, 1), None, FieldKey::Name, &at).is_none());
        let issue = check_date_range(ymd(2024, 3, 5), ymd(2024, 3, 1), FieldKey::Name, &at);
        let issue = issue.expect("end before start");
        assert!(issue.is_error());
        assert_eq!(issue.location.field, Some(FieldKey::Name));
        assert!(
            issue
                .message
                .en
                .contains("1.3.2024 is before the start date 5.3.2024")
        );
    }
}
