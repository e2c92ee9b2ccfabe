//! VAT numbers of the EU states, Norway, the United Kingdom and Switzerland.
//!
//! Each country's number is checked by its published format and check digits (the
//! algorithms as documented by the tax authorities and collected in python-stdnum).

use crate::business_id::{business_id_check_digit, canonical as business_id_canonical};
use crate::checked::{Checked, Sink, run};
use crate::codes;
use crate::text::{Prepared, Raw, prepare, shown};
use tuonti_domain::{CellValue, FieldKey, Location};

/// The countries whose VAT numbers are checked, by their VAT prefix (Greece is `EL`,
/// Northern Ireland `XI`), with the expected form shown in messages.
pub const VAT_COUNTRIES: &[(&str, &str)] = &[
    ("AT", "ATU12345678"),
    ("BE", "BE0123456789"),
    ("BG", "BG123456789 / BG1234567890"),
    ("CH", "CHE123456789 MWST"),
    ("CY", "CY12345678X"),
    ("CZ", "CZ12345678 / CZ123456789 / CZ1234567890"),
    ("DE", "DE123456789"),
    ("DK", "DK12345678"),
    ("EE", "EE123456789"),
    ("EL", "EL123456789"),
    ("ES", "ESX1234567X"),
    ("FI", "FI12345678"),
    ("FR", "FRXX123456789"),
    ("GB", "GB123456789"),
    ("HR", "HR12345678901"),
    ("HU", "HU12345678"),
    ("IE", "IE1234567X / IE1234567XX"),
    ("IT", "IT12345678901"),
    ("LT", "LT123456789 / LT123456789012"),
    ("LU", "LU12345678"),
    ("LV", "LV12345678901"),
    ("MT", "MT12345678"),
    ("NL", "NL123456789B01"),
    ("NO", "NO123456789MVA"),
    ("PL", "PL1234567890"),
    ("PT", "PT123456789"),
    ("RO", "RO12 ... RO1234567890"),
    ("SE", "SE123456789001"),
    ("SI", "SI12345678"),
    ("SK", "SK1234567890"),
    ("XI", "XI123456789"),
];

/// What is wrong with a number of a known country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Problem {
    Format,
    CheckDigit,
    /// Finnish digits whose remainder is 1.
    NoValidCheckDigit,
}

/// A number that passed: its canonical body (after the prefix) and whether it was written in
/// another form than the canonical one.
struct Body {
    body: String,
    normalized: bool,
}

type Outcome = Result<Body, Problem>;

fn ok(body: &str) -> Outcome {
    Ok(Body {
        body: body.to_owned(),
        normalized: false,
    })
}

fn ok_if(valid: bool, body: &str) -> Outcome {
    if valid {
        ok(body)
    } else {
        Err(Problem::CheckDigit)
    }
}

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// The digit values of an all-digit ASCII text.
fn digits(text: &str) -> impl Iterator<Item = u32> + '_ {
    text.bytes().map(|b| u32::from(b - b'0'))
}

fn digit_at(text: &str, index: usize) -> u32 {
    text.as_bytes()
        .get(index)
        .map_or(0, |b| u32::from(b.wrapping_sub(b'0')))
}

fn weighted(text: &str, weights: &[u32]) -> u32 {
    digits(text).zip(weights).map(|(d, w)| d * w).sum()
}

fn number(text: &str) -> u64 {
    digits(text).fold(0u64, |acc, d| {
        acc.wrapping_mul(10).wrapping_add(u64::from(d))
    })
}

/// The Luhn checksum of an all-digit text: 0 when its last digit is a valid Luhn digit.
fn luhn_checksum(text: &str) -> u32 {
    let mut sum = 0;
    for (index, digit) in text.bytes().rev().map(|b| u32::from(b - b'0')).enumerate() {
        sum += if index % 2 == 1 {
            let doubled = digit * 2;
            doubled / 10 + doubled % 10
        } else {
            digit
        };
    }
    sum % 10
}

/// The Luhn check digit to append to an all-digit text.
fn luhn_check_digit(text: &str) -> u32 {
    let mut with_zero = String::with_capacity(text.len() + 1);
    with_zero.push_str(text);
    with_zero.push('0');
    (10 - luhn_checksum(&with_zero)) % 10
}

/// ISO 7064 MOD 11,10 over all digits: 1 when valid.
fn mod_11_10(text: &str) -> u32 {
    let mut check = 5;
    for digit in digits(text) {
        let c = if check == 0 { 10 } else { check };
        check = ((c * 2) % 11 + digit) % 10;
    }
    check
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn is_date(year: i32, month: u32, day: u32) -> bool {
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

fn two(text: &str, at: usize) -> u32 {
    digit_at(text, at) * 10 + digit_at(text, at + 1)
}

fn at(body: &str) -> Outcome {
    let Some(rest) = body.strip_prefix('U') else {
        return Err(Problem::Format);
    };
    if rest.len() != 8 || !is_digits(rest) {
        return Err(Problem::Format);
    }
    let check = (16 - luhn_checksum(&rest[..7])) % 10;
    ok_if(check == digit_at(rest, 7), body)
}

fn be(body: &str) -> Outcome {
    let (padded, normalized) = if body.len() == 9 {
        (format!("0{body}"), true)
    } else {
        (body.to_owned(), false)
    };
    if padded.len() != 10 || !is_digits(&padded) || !padded.starts_with(['0', '1']) {
        return Err(Problem::Format);
    }
    if number(&padded) == 0 {
        return Err(Problem::Format);
    }
    if !(number(&padded[..8]) + number(&padded[8..])).is_multiple_of(97) {
        return Err(Problem::CheckDigit);
    }
    Ok(Body {
        body: padded,
        normalized,
    })
}

fn bg_egn(body: &str) -> bool {
    let mut year = 1900 + two(body, 0) as i32;
    let mut month = two(body, 2);
    let day = two(body, 4);
    if month > 40 {
        year += 100;
        month -= 40;
    } else if month > 20 {
        year -= 100;
        month -= 20;
    }
    is_date(year, month, day)
        && weighted(body, &[2, 4, 8, 5, 10, 9, 7, 3, 6]) % 11 % 10 == digit_at(body, 9)
}

fn bg(body: &str) -> Outcome {
    if !is_digits(body) {
        return Err(Problem::Format);
    }
    match body.len() {
        9 => {
            let mut check = weighted(body, &[1, 2, 3, 4, 5, 6, 7, 8]) % 11;
            if check == 10 {
                check = weighted(body, &[3, 4, 5, 6, 7, 8, 9, 10]) % 11;
            }
            ok_if(check % 10 == digit_at(body, 8), body)
        }
        10 => {
            let pnf = weighted(body, &[21, 19, 17, 13, 11, 9, 7, 3, 1]) % 10 == digit_at(body, 9);
            let other = (11 - weighted(body, &[4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11) % 11;
            ok_if(bg_egn(body) || pnf || other == digit_at(body, 9), body)
        }
        _ => Err(Problem::Format),
    }
}

fn cy(body: &str) -> Outcome {
    if body.len() != 9 || !is_digits(&body[..8]) || !body.as_bytes()[8].is_ascii_uppercase() {
        return Err(Problem::Format);
    }
    if body.starts_with("12") {
        return Err(Problem::Format);
    }
    const ODD: [u32; 10] = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21];
    let sum: u32 = digits(&body[..8])
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { ODD[d as usize] } else { d })
        .sum();
    ok_if(u32::from(body.as_bytes()[8] - b'A') == sum % 26, body)
}

/// A Czech or Slovak birth number (rodné číslo) of 9 or 10 digits.
fn birth_number(body: &str) -> bool {
    let mut year = 1900 + two(body, 0) as i32;
    let month = two(body, 2) % 50 % 20;
    let day = two(body, 4);
    if body.len() == 9 {
        if year >= 1980 {
            year -= 100;
        }
        if year > 1953 {
            return false;
        }
    } else if year < 1954 {
        year += 100;
    }
    if !is_date(year, month, day) {
        return false;
    }
    body.len() == 9 || number(&body[..9]) % 11 % 10 == u64::from(digit_at(body, 9))
}

fn cz(body: &str) -> Outcome {
    if !is_digits(body) {
        return Err(Problem::Format);
    }
    match body.len() {
        8 => {
            if body.starts_with('9') {
                return Err(Problem::Format);
            }
            let check = (11 - weighted(body, &[8, 7, 6, 5, 4, 3, 2]) % 11) % 11;
            let check = if check == 0 { 1 } else { check } % 10;
            ok_if(check == digit_at(body, 7), body)
        }
        9 if body.starts_with('6') => {
            let sum = weighted(&body[1..8], &[8, 7, 6, 5, 4, 3, 2]) % 11;
            let check = (8 - ((10 - sum as i32) % 11)).rem_euclid(10) as u32;
            ok_if(check == digit_at(body, 8), body)
        }
        9 | 10 => ok_if(birth_number(body), body),
        _ => Err(Problem::Format),
    }
}

fn de(body: &str) -> Outcome {
    if body.len() != 9 || !is_digits(body) || body.starts_with('0') {
        return Err(Problem::Format);
    }
    ok_if(mod_11_10(body) == 1, body)
}

fn dk(body: &str) -> Outcome {
    if body.len() != 8 || !is_digits(body) || body.starts_with('0') {
        return Err(Problem::Format);
    }
    ok_if(
        weighted(body, &[2, 7, 6, 5, 4, 3, 2, 1]).is_multiple_of(11),
        body,
    )
}

fn ee(body: &str) -> Outcome {
    if body.len() != 9 || !is_digits(body) {
        return Err(Problem::Format);
    }
    ok_if(
        weighted(body, &[3, 7, 1, 3, 7, 1, 3, 7, 1]).is_multiple_of(10),
        body,
    )
}

fn el(body: &str) -> Outcome {
    let (padded, normalized) = if body.len() == 8 {
        (format!("0{body}"), true)
    } else {
        (body.to_owned(), false)
    };
    if padded.len() != 9 || !is_digits(&padded) {
        return Err(Problem::Format);
    }
    let sum = digits(&padded[..8]).fold(0u32, |acc, d| acc * 2 + d);
    if sum * 2 % 11 % 10 != digit_at(&padded, 8) {
        return Err(Problem::CheckDigit);
    }
    Ok(Body {
        body: padded,
        normalized,
    })
}

const DNI_LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";

fn es(body: &str) -> Outcome {
    if body.len() != 9 || !body.is_ascii() || !is_digits(&body[1..8]) {
        return Err(Problem::Format);
    }
    let first = body.as_bytes()[0];
    let last = body.as_bytes()[8];
    match first {
        b'K' | b'L' | b'M' => ok_if(
            DNI_LETTERS[(number(&body[1..8]) % 23) as usize] == last,
            body,
        ),
        b'0'..=b'9' => ok_if(
            DNI_LETTERS[(number(&body[..8]) % 23) as usize] == last,
            body,
        ),
        b'X' | b'Y' | b'Z' => {
            let value = u64::from(first - b'X') * 10_000_000 + number(&body[1..8]);
            ok_if(DNI_LETTERS[(value % 23) as usize] == last, body)
        }
        b'A' | b'B' | b'C' | b'D' | b'E' | b'F' | b'G' | b'H' | b'J' | b'N' | b'P' | b'Q'
        | b'R' | b'S' | b'U' | b'V' | b'W' => {
            let check = luhn_check_digit(&body[1..8]);
            let letter = b"JABCDEFGHI"[check as usize];
            ok_if(last == b'0' + check as u8 || last == letter, body)
        }
        _ => Err(Problem::Format),
    }
}

fn fi(body: &str) -> Outcome {
    if body.len() != 8 || !is_digits(body) {
        return Err(Problem::Format);
    }
    let mut base = [0u8; 7];
    for (slot, digit) in base.iter_mut().zip(digits(body)) {
        *slot = digit as u8;
    }
    match business_id_check_digit(base) {
        None => Err(Problem::NoValidCheckDigit),
        Some(check) => ok_if(u32::from(check) == digit_at(body, 7), body),
    }
}

const FR_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";

fn fr(body: &str) -> Outcome {
    if body.len() != 11 || !body.is_ascii() || !is_digits(&body[2..]) {
        return Err(Problem::Format);
    }
    let (Some(first), Some(second)) = (
        FR_ALPHABET.find(char::from(body.as_bytes()[0])),
        FR_ALPHABET.find(char::from(body.as_bytes()[1])),
    ) else {
        return Err(Problem::Format);
    };
    let siren = &body[2..];
    if !siren.starts_with("000") && luhn_checksum(siren) != 0 {
        return Err(Problem::CheckDigit);
    }
    if first < 10 && second < 10 {
        let expected = (number(siren) * 100 + 12) % 97;
        ok_if(expected == (first * 10 + second) as u64, body)
    } else {
        let check = if first < 10 {
            first * 24 + second - 10
        } else {
            first * 34 + second - 100
        } as u64;
        ok_if((number(siren) + 1 + check / 11) % 11 == check % 11, body)
    }
}

fn gb(body: &str) -> Outcome {
    if !body.is_ascii() {
        return Err(Problem::Format);
    }
    match body.len() {
        5 => {
            if !is_digits(&body[2..]) {
                return Err(Problem::Format);
            }
            let value = number(&body[2..]);
            let valid =
                (body.starts_with("GD") && value < 500) || (body.starts_with("HA") && value >= 500);
            if valid {
                ok(body)
            } else {
                Err(Problem::Format)
            }
        }
        11 if body.starts_with("GD8888") || body.starts_with("HA8888") => {
            if !is_digits(&body[6..]) {
                return Err(Problem::Format);
            }
            let value = number(&body[6..9]);
            let valid =
                (body.starts_with("GD") && value < 500) || (body.starts_with("HA") && value >= 500);
            if !valid {
                return Err(Problem::Format);
            }
            ok_if(value % 97 == number(&body[9..]), body)
        }
        9 | 12 => {
            if !is_digits(body) {
                return Err(Problem::Format);
            }
            let sum = weighted(&body[..9], &[8, 7, 6, 5, 4, 3, 2, 10, 1]) % 97;
            let valid = if number(&body[..3]) >= 100 {
                matches!(sum, 0 | 42 | 55)
            } else {
                sum == 0
            };
            ok_if(valid, body)
        }
        _ => Err(Problem::Format),
    }
}

fn hr(body: &str) -> Outcome {
    if body.len() != 11 || !is_digits(body) {
        return Err(Problem::Format);
    }
    ok_if(mod_11_10(body) == 1, body)
}

fn hu(body: &str) -> Outcome {
    if body.len() != 8 || !is_digits(body) {
        return Err(Problem::Format);
    }
    ok_if(
        weighted(body, &[9, 7, 3, 1, 9, 7, 3, 1]).is_multiple_of(10),
        body,
    )
}

const IE_ALPHABET: &str = "WABCDEFGHIJKLMNOPQRSTUV";

fn ie_check(seven_digits: &str, extra: Option<u8>) -> Option<u8> {
    let sum = weighted(seven_digits, &[8, 7, 6, 5, 4, 3, 2]);
    let extra_value = match extra {
        None => 0,
        Some(letter) => IE_ALPHABET.find(char::from(letter))? as u32,
    };
    IE_ALPHABET
        .as_bytes()
        .get(((sum + 9 * extra_value) % 23) as usize)
        .copied()
}

fn ie(body: &str) -> Outcome {
    let bytes = body.as_bytes();
    if !(8..=9).contains(&body.len())
        || !body.is_ascii()
        || !bytes[0].is_ascii_digit()
        || !is_digits(&body[2..7])
        || !body[7..].chars().all(|c| IE_ALPHABET.contains(c))
    {
        return Err(Problem::Format);
    }
    if is_digits(&body[..7]) {
        ok_if(
            ie_check(&body[..7], bytes.get(8).copied()) == Some(bytes[7]),
            body,
        )
    } else if bytes[1].is_ascii_uppercase() || bytes[1] == b'+' || bytes[1] == b'*' {
        let mut seven = String::with_capacity(7);
        seven.push('0');
        seven.push_str(&body[2..7]);
        seven.push(char::from(bytes[0]));
        ok_if(ie_check(&seven, None) == Some(bytes[7]), body)
    } else {
        Err(Problem::Format)
    }
}

fn it(body: &str) -> Outcome {
    if body.len() != 11 || !is_digits(body) || number(&body[..7]) == 0 {
        return Err(Problem::Format);
    }
    let province = &body[7..10];
    if !(("001"..="100").contains(&province) || matches!(province, "120" | "121" | "888" | "999")) {
        return Err(Problem::Format);
    }
    ok_if(luhn_checksum(body) == 0, body)
}

fn lt(body: &str) -> Outcome {
    if !is_digits(body) {
        return Err(Problem::Format);
    }
    let valid_form = match body.len() {
        9 => body.as_bytes()[7] == b'1',
        12 => body.as_bytes()[10] == b'1',
        _ => false,
    };
    if !valid_form {
        return Err(Problem::Format);
    }
    let head = &body[..body.len() - 1];
    let mut check: u32 = digits(head)
        .enumerate()
        .map(|(i, d)| (1 + i as u32 % 9) * d)
        .sum::<u32>()
        % 11;
    if check == 10 {
        check = digits(head)
            .enumerate()
            .map(|(i, d)| (1 + (i as u32 + 2) % 9) * d)
            .sum::<u32>();
    }
    ok_if(check % 11 % 10 == digit_at(body, body.len() - 1), body)
}

fn lu(body: &str) -> Outcome {
    if body.len() != 8 || !is_digits(body) {
        return Err(Problem::Format);
    }
    ok_if(number(&body[..6]) % 89 == number(&body[6..]), body)
}

fn lv(body: &str) -> Outcome {
    if body.len() != 11 || !is_digits(body) {
        return Err(Problem::Format);
    }
    let personal_check =
        || (1 + weighted(body, &[10, 5, 8, 4, 2, 1, 6, 3, 7, 9])) % 11 % 10 == digit_at(body, 10);
    if body.as_bytes()[0] > b'3' {
        ok_if(
            weighted(body, &[9, 1, 4, 8, 3, 10, 2, 5, 7, 6, 1]) % 11 == 3,
            body,
        )
    } else if body.starts_with("32") {
        ok_if(personal_check(), body)
    } else {
        let year = 1800 + digit_at(body, 6) as i32 * 100 + two(body, 4) as i32;
        if !is_date(year, two(body, 2), two(body, 0)) {
            return Err(Problem::Format);
        }
        ok_if(personal_check(), body)
    }
}

fn mt(body: &str) -> Outcome {
    if body.len() != 8 || !is_digits(body) || body.starts_with('0') {
        return Err(Problem::Format);
    }
    ok_if(
        weighted(body, &[3, 4, 6, 7, 8, 9, 10, 1]).is_multiple_of(37),
        body,
    )
}

fn mod_97_10_alnum(text: &str) -> u64 {
    let mut rest = 0u64;
    for c in text.bytes() {
        let value = if c.is_ascii_digit() {
            u64::from(c - b'0')
        } else {
            u64::from(c - b'A') + 10
        };
        rest = if value >= 10 {
            (rest * 100 + value) % 97
        } else {
            (rest * 10 + value) % 97
        };
    }
    rest
}

fn nl(body: &str) -> Outcome {
    let Some(b_at) = body.find('B') else {
        return Err(Problem::Format);
    };
    let (head, tail) = (&body[..b_at], &body[b_at + 1..]);
    if head.is_empty() || head.len() > 9 || !is_digits(head) || tail.len() != 2 || !is_digits(tail)
    {
        return Err(Problem::Format);
    }
    if number(head) == 0 || number(tail) == 0 {
        return Err(Problem::Format);
    }
    let padded = format!("{head:0>9}B{tail}");
    let normalized = head.len() != 9;
    let bsn = (weighted(&padded[..8], &[9, 8, 7, 6, 5, 4, 3, 2]) as i64
        - i64::from(digit_at(&padded, 8)))
    .rem_euclid(11)
        == 0;
    let mut with_prefix = String::with_capacity(14);
    with_prefix.push_str("NL");
    with_prefix.push_str(&padded);
    if !bsn && mod_97_10_alnum(&with_prefix) != 1 {
        return Err(Problem::CheckDigit);
    }
    Ok(Body {
        body: padded,
        normalized,
    })
}

fn no(body: &str) -> Outcome {
    let (digits_part, normalized) = match body.strip_suffix("MVA") {
        Some(head) => (head, false),
        None => (body, true),
    };
    if digits_part.len() != 9 || !is_digits(digits_part) {
        return Err(Problem::Format);
    }
    if !weighted(digits_part, &[3, 2, 7, 6, 5, 4, 3, 2, 1]).is_multiple_of(11) {
        return Err(Problem::CheckDigit);
    }
    Ok(Body {
        body: format!("{digits_part}MVA"),
        normalized,
    })
}

fn pl(body: &str) -> Outcome {
    if body.len() != 10 || !is_digits(body) {
        return Err(Problem::Format);
    }
    let sum = weighted(body, &[6, 5, 7, 2, 3, 4, 5, 6, 7]) as i64 - i64::from(digit_at(body, 9));
    ok_if(sum.rem_euclid(11) == 0, body)
}

fn pt(body: &str) -> Outcome {
    if body.len() != 9 || !is_digits(body) || body.starts_with('0') {
        return Err(Problem::Format);
    }
    let sum = weighted(body, &[9, 8, 7, 6, 5, 4, 3, 2]) as i64;
    ok_if(
        ((11 - sum).rem_euclid(11) % 10) as u32 == digit_at(body, 8),
        body,
    )
}

const RO_COUNTIES: &[u32] = &[
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26,
    27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 51, 52,
    70, 80, 81, 82, 83,
];

fn ro(body: &str) -> Outcome {
    if !is_digits(body) {
        return Err(Problem::Format);
    }
    if body.len() == 13 {
        // A personal numeric code (CNP).
        let century = match body.as_bytes()[0] {
            b'0' => return Err(Problem::Format),
            b'3' | b'4' => 1800,
            b'5' | b'6' => 2000,
            _ => 1900,
        };
        let year = century + two(body, 1) as i32;
        if !is_date(year, two(body, 3), two(body, 5)) || !RO_COUNTIES.contains(&two(body, 7)) {
            return Err(Problem::Format);
        }
        let check = weighted(body, &[2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9]) % 11;
        let check = if check == 10 { 1 } else { check };
        return ok_if(check == digit_at(body, 12), body);
    }
    if !(2..=10).contains(&body.len()) || body.starts_with('0') {
        return Err(Problem::Format);
    }
    let head = &body[..body.len() - 1];
    let weights = [7, 5, 3, 2, 1, 7, 5, 3, 2];
    let sum: u32 = digits(head)
        .zip(&weights[9 - head.len()..])
        .map(|(d, w)| d * w)
        .sum();
    ok_if(10 * sum % 11 % 10 == digit_at(body, body.len() - 1), body)
}

fn se(body: &str) -> Outcome {
    if body.len() != 12 || !is_digits(body) || !body.ends_with("01") {
        return Err(Problem::Format);
    }
    ok_if(luhn_checksum(&body[..10]) == 0, body)
}

fn si(body: &str) -> Outcome {
    if body.len() != 8 || !is_digits(body) || body.starts_with('0') {
        return Err(Problem::Format);
    }
    let check = 11 - weighted(body, &[8, 7, 6, 5, 4, 3, 2]) % 11;
    let check = if check == 10 { 0 } else { check };
    ok_if(check == digit_at(body, 7), body)
}

fn sk(body: &str) -> Outcome {
    if body.len() != 10 || !is_digits(body) {
        return Err(Problem::Format);
    }
    if birth_number(body) {
        return ok(body);
    }
    if body.starts_with('0') || !matches!(digit_at(body, 2), 2 | 3 | 4 | 7 | 8 | 9) {
        return Err(Problem::Format);
    }
    ok_if(number(body).is_multiple_of(11), body)
}

fn ch(body: &str) -> Outcome {
    // The body follows `CH`: `E`, nine digits and an optional MWST, TVA, IVA or TPV.
    let Some(rest) = body.strip_prefix('E') else {
        return Err(Problem::Format);
    };
    if rest.len() < 9 || !is_digits(&rest[..9]) {
        return Err(Problem::Format);
    }
    let suffix = &rest[9..];
    if !matches!(suffix, "" | "MWST" | "TVA" | "IVA" | "TPV") {
        return Err(Problem::Format);
    }
    let check = (11 - weighted(&rest[..8], &[5, 4, 3, 2, 7, 6, 5, 4]) % 11) % 11;
    ok_if(check == digit_at(rest, 8), body)
}

/// Checks the body of a VAT number (after its two-letter prefix) by its country's rules.
fn check_country(prefix: &str, body: &str) -> Option<Outcome> {
    Some(match prefix {
        "AT" => at(body),
        "BE" => be(body),
        "BG" => bg(body),
        "CH" => ch(body),
        "CY" => cy(body),
        "CZ" => cz(body),
        "DE" => de(body),
        "DK" => dk(body),
        "EE" => ee(body),
        "EL" => el(body),
        "ES" => es(body),
        "FI" => fi(body),
        "FR" => fr(body),
        "GB" | "XI" => gb(body),
        "HR" => hr(body),
        "HU" => hu(body),
        "IE" => ie(body),
        "IT" => it(body),
        "LT" => lt(body),
        "LU" => lu(body),
        "LV" => lv(body),
        "MT" => mt(body),
        "NL" => nl(body),
        "NO" => no(body),
        "PL" => pl(body),
        "PT" => pt(body),
        "RO" => ro(body),
        "SE" => se(body),
        "SI" => si(body),
        "SK" => sk(body),
        _ => return None,
    })
}

fn expected_form(prefix: &str) -> &'static str {
    VAT_COUNTRIES
        .iter()
        .find(|(country, _)| *country == prefix)
        .map_or("FI12345678", |(_, form)| form)
}

/// Removes the separators people write (spaces, dashes, dots, slashes, commas, colons,
/// parentheses as in Belgian `BE (0)468.561.072`) and
/// upper-cases; `None` when another character than a letter or digit remains.
fn compact(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_uppercase());
        } else if c.is_whitespace()
            || matches!(
                c,
                '-' | '.' | '/' | ',' | ':' | '(' | ')' | '\u{2010}'..='\u{2015}' | '\u{2212}'
            )
        {
            continue;
        } else {
            return None;
        }
    }
    Some(out)
}

/// Validates a VAT number, optional. The value is the canonical compact form: the prefix and
/// the number in upper case without separators (`FI12345678`, `ATU13585627`,
/// `NL004495445B01`, `CHE107787577MWST`, `NO995525828MVA`).
///
/// Finnish numbers (`FI` + the business ID's eight digits) are checked with the business ID's
/// check digit; spaces, lower case and dashes are accepted. Numbers of the other EU states
/// (Greece as `EL`; `GR` is accepted with a warning), Northern Ireland (`XI`), Norway, the
/// United Kingdom and Switzerland are checked by their country's format and check digits.
/// Whether a Finnish number belongs to the row's company is checked by the row validator
/// ([`VAT_OTHER_COMPANY`](codes::VAT_OTHER_COMPANY)).
///
/// Issues: [`VAT_FORMAT`](codes::VAT_FORMAT), [`VAT_CHECK_DIGIT`](codes::VAT_CHECK_DIGIT),
/// [`VAT_NO_VALID_CHECK_DIGIT`](codes::VAT_NO_VALID_CHECK_DIGIT),
/// [`VAT_MISSING_COUNTRY`](codes::VAT_MISSING_COUNTRY),
/// [`VAT_UNKNOWN_COUNTRY`](codes::VAT_UNKNOWN_COUNTRY) (errors);
/// [`VAT_NORMALIZED`](codes::VAT_NORMALIZED) (warning); and the shared `text.*` and `cell.*`
/// issues.
///
/// ```
/// use tuonti_domain::{CellValue, Location};
/// let checked = tuonti_validation::vat_number(
///     &CellValue::Text("fi 0112 0389".into()),
///     &Location::default(),
/// );
/// assert_eq!(checked.value.as_deref(), Some("FI01120389"));
/// assert!(checked.issues.is_empty());
/// ```
pub fn vat_number(cell: &CellValue, location: &Location) -> Checked<String> {
    run(FieldKey::VatNumber, location, |sink| {
        vat_raw(Raw::from_cell(cell), sink)
    })
}

pub(crate) fn vat_raw(raw: Raw<'_>, sink: &mut Sink<'_>) -> Option<String> {
    let text = match prepare(raw, sink) {
        Prepared::Empty | Prepared::Rejected => return None,
        Prepared::Number(number) => {
            let shown_value = CellValue::Number(number).to_string();
            missing_country(&shown_value, sink);
            return None;
        }
        Prepared::Text(text) => text,
    };
    let shown_value = shown(&text);
    let Some(compacted) = compact(&text) else {
        format_error(&shown_value, None, sink);
        return None;
    };
    let prefix = compacted.get(..2).unwrap_or("");
    if !prefix.bytes().all(|b| b.is_ascii_uppercase()) || prefix.len() < 2 {
        missing_country(&shown_value, sink);
        return None;
    }
    let (country, renamed) = if prefix == "GR" {
        ("EL", true)
    } else {
        (prefix, false)
    };
    let body = &compacted[2..];
    let Some(outcome) = check_country(country, body) else {
        sink.error(
            codes::VAT_UNKNOWN_COUNTRY,
            format!(
                "ALV-numero \"{shown_value}\": maatunnusta {prefix} ei tunneta; odotettiin EU-maan, Norjan, Iso-Britannian tai Sveitsin numeroa, esimerkiksi FI12345678."
            ),
            format!(
                "Momsnummer \"{shown_value}\": landsprefixet {prefix} är okänt; väntade ett nummer från ett EU-land, Norge, Storbritannien eller Schweiz, till exempel FI12345678."
            ),
            format!(
                "VAT number \"{shown_value}\": the country prefix {prefix} is not known; expected a number of an EU state, Norway, the United Kingdom or Switzerland, e.g. FI12345678."
            ),
        );
        return None;
    };
    match outcome {
        Ok(Body { body, normalized }) => {
            let mut canonical = String::with_capacity(2 + body.len());
            canonical.push_str(country);
            canonical.push_str(&body);
            if normalized || renamed {
                sink.warning(
                    codes::VAT_NORMALIZED,
                    format!(
                        "ALV-numero \"{shown_value}\" kirjoitettiin muotoon {canonical} (odotettu muoto {}).",
                        expected_form(country)
                    ),
                    format!(
                        "Momsnummer \"{shown_value}\" skrevs om till {canonical} (väntad form {}).",
                        expected_form(country)
                    ),
                    format!(
                        "VAT number \"{shown_value}\" was written as {canonical} (expected form {}).",
                        expected_form(country)
                    ),
                );
            }
            Some(canonical)
        }
        Err(Problem::Format) => {
            format_error(&shown_value, Some(country), sink);
            None
        }
        Err(Problem::CheckDigit) => {
            let form = expected_form(country);
            sink.error(
                codes::VAT_CHECK_DIGIT,
                format!(
                    "ALV-numero \"{shown_value}\": tarkistusnumero ei täsmää (maan {country} muoto {form}). Tarkista numero."
                ),
                format!(
                    "Momsnummer \"{shown_value}\": kontrollsiffrorna stämmer inte (formen för {country}: {form}). Kontrollera numret."
                ),
                format!(
                    "VAT number \"{shown_value}\": the check digits do not match (form for {country}: {form}). Check the number."
                ),
            );
            None
        }
        Err(Problem::NoValidCheckDigit) => {
            sink.error(
                codes::VAT_NO_VALID_CHECK_DIGIT,
                format!(
                    "ALV-numero \"{shown_value}\": seitsemästä ensimmäisestä numerosta jää jakojäännös 1, joten mikään tarkistusnumero ei tee numerosta kelvollista (muoto FI12345678)."
                ),
                format!(
                    "Momsnummer \"{shown_value}\": de sju första siffrorna ger resten 1, så ingen kontrollsiffra kan göra numret giltigt (formen FI12345678)."
                ),
                format!(
                    "VAT number \"{shown_value}\": the first seven digits leave remainder 1, so no check digit can make the number valid (form FI12345678)."
                ),
            );
            None
        }
    }
}

fn missing_country(shown_value: &str, sink: &mut Sink<'_>) {
    sink.error(
        codes::VAT_MISSING_COUNTRY,
        format!(
            "ALV-numerosta \"{shown_value}\" puuttuu maatunnus; odotettiin muotoa FI12345678 (tai toisen maan tunnus ja numero)."
        ),
        format!(
            "Momsnummer \"{shown_value}\" saknar landsprefix; väntade formen FI12345678 (eller ett annat lands prefix och nummer)."
        ),
        format!(
            "VAT number \"{shown_value}\" has no country prefix; expected the form FI12345678 (or another country's prefix and number)."
        ),
    );
}

fn format_error(shown_value: &str, country: Option<&str>, sink: &mut Sink<'_>) {
    let form = country.map_or("FI12345678", expected_form);
    sink.error(
        codes::VAT_FORMAT,
        format!("ALV-numero \"{shown_value}\" ei ole oikeaa muotoa; odotettiin {form}."),
        format!("Momsnummer \"{shown_value}\" har inte rätt form; väntade {form}."),
        format!("VAT number \"{shown_value}\" is not of the expected form {form}."),
    );
}

/// The Finnish business ID of a canonical Finnish VAT number (`FI01120389` → `0112038-9`).
pub(crate) fn finnish_business_id(canonical_vat: &str) -> Option<String> {
    let body = canonical_vat.strip_prefix("FI")?;
    if body.len() != 8 || !is_digits(body) {
        return None;
    }
    let mut digits_array = [0u8; 8];
    for (slot, digit) in digits_array.iter_mut().zip(digits(body)) {
        *slot = digit as u8;
    }
    Some(business_id_canonical(&digits_array))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str) -> Checked<String> {
        vat_number(&CellValue::Text(input.into()), &Location::default())
    }

    fn codes_of(checked: &Checked<String>) -> Vec<&str> {
        checked.issues.iter().map(|i| i.code.as_str()).collect()
    }

    #[test]
    fn finnish_forms() {
        for input in [
            "FI01120389",
            "fi01120389",
            "FI 0112 0389",
            "FI-01120389",
            "FI0112038-9",
        ] {
            let checked = check(input);
            assert_eq!(checked.value.as_deref(), Some("FI01120389"), "{input}");
            assert!(checked.issues.is_empty(), "{input}: {:?}", checked.issues);
        }
        assert_eq!(codes_of(&check("FI01120388")), ["vat.check_digit"]);
        assert_eq!(codes_of(&check("FI12345681")), ["vat.no_valid_check_digit"]);
        assert_eq!(codes_of(&check("FI0112038")), ["vat.format"]);
        assert_eq!(codes_of(&check("01120389")), ["vat.missing_country"]);
        assert_eq!(codes_of(&check("QQ01120389")), ["vat.unknown_country"]);
        assert_eq!(codes_of(&check("FI0112038#9")), ["vat.format"]);
        assert_eq!(
            check("BE (0)468.561.072").value.as_deref(),
            Some("BE0468561072")
        );
    }

    #[test]
    fn greece_as_gr_is_renamed() {
        let checked = check("GR094259216");
        assert_eq!(checked.value.as_deref(), Some("EL094259216"));
        assert_eq!(codes_of(&checked), ["vat.normalized"]);
    }

    #[test]
    fn numbers_have_no_country() {
        let checked = vat_number(&CellValue::Number(1120389.0), &Location::default());
        assert_eq!(codes_of(&checked), ["vat.missing_country"]);
    }

    #[test]
    fn business_id_of_finnish_vat() {
        assert_eq!(
            finnish_business_id("FI01120389").as_deref(),
            Some("0112038-9")
        );
        assert_eq!(finnish_business_id("SE123456789701"), None);
    }

    #[test]
    fn luhn_helpers() {
        assert_eq!(luhn_checksum("79927398713"), 0);
        assert_eq!(luhn_check_digit("7992739871"), 3);
        assert_eq!(mod_11_10("136695976"), 1);
    }
}
