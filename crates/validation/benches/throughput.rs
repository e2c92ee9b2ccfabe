//! Throughput of the validators, without a benchmark framework:
//! `cargo bench -p tuonti-validation --bench throughput`.
//!
//! Prints the time per call of `check` for business IDs and phone numbers (the Finnish fast
//! path and the full libphonenumber parse) and per row of the row validator.

use std::hint::black_box;
use std::time::{Duration, Instant};
use tuonti_domain::{CellValue, FieldKey, Location};
use tuonti_validation::{CheckKind, RowCells, RowOutcome, RowValidator, check};

fn per_call(label: &str, n: u32, mut run: impl FnMut(usize)) {
    let start = Instant::now();
    for i in 0..n as usize {
        run(i);
    }
    let each: Duration = start.elapsed() / n;
    let per_second = if each.as_nanos() == 0 {
        f64::INFINITY
    } else {
        1e9 / each.as_nanos() as f64
    };
    println!("{label:<40} {each:>10.2?} per call, {per_second:>12.0} per second");
}

fn main() {
    let valid = ["0112038-9", "2077474-0"];
    per_call("check business-id, canonical", 2_000_000, |i| {
        black_box(check(CheckKind::BusinessId, black_box(valid[i % 2]), "FI"));
    });
    let with_issues = ["0112038 9", "0112038-8"];
    per_call("check business-id, with an issue", 1_000_000, |i| {
        black_box(check(
            CheckKind::BusinessId,
            black_box(with_issues[i % 2]),
            "FI",
        ));
    });

    let start = Instant::now();
    black_box(check(CheckKind::Phone, "+46 8 123 456 78", "FI"));
    println!(
        "{:<40} {:>10.2?}",
        "first full phone parse (metadata)",
        start.elapsed()
    );
    let finnish = ["040 123 4567", "+358 9 123 4567", "050-765 4321"];
    per_call("check phone, Finnish fast path", 1_000_000, |i| {
        black_box(check(CheckKind::Phone, black_box(finnish[i % 3]), "FI"));
    });
    per_call("check phone, full parse", 20_000, |_| {
        black_box(check(CheckKind::Phone, black_box("+46 8 123 456 78"), "FI"));
    });

    let validator = RowValidator::default();
    let mut cells = RowCells::new();
    for (column, (field, value)) in [
        (FieldKey::Name, "Esimerkki Oy"),
        (FieldKey::BusinessId, "0112038-9"),
        (FieldKey::VatNumber, "FI01120389"),
        (FieldKey::StreetAddress, "Mannerheimintie 1"),
        (FieldKey::PostalCode, "00100"),
        (FieldKey::City, "Helsinki"),
        (FieldKey::Phone, "040 123 4567"),
        (FieldKey::Email, "info@esimerkki.fi"),
        (FieldKey::Website, "www.esimerkki.fi"),
        (FieldKey::EInvoiceAddress, "003701120389"),
    ]
    .into_iter()
    .enumerate()
    {
        let location = Location::cell(2, column as u32);
        cells.set(field, location, CellValue::Text(value.into()));
    }
    let mut outcome = RowOutcome::default();
    per_call("row validator, 10 valid fields", 200_000, |_| {
        validator.validate_into(black_box(&cells), &mut outcome);
    });
}
