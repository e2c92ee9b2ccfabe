//! Every validator behind `tuonti check` on any text, with any default country: no panic,
//! and a value it calls valid is valid again when checked in its canonical form.
#![no_main]

use tuonti_validation::{CheckKind, check};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (country, input) = match text.split_once('\n') {
        Some((country, input)) if country.len() <= 3 => (country, input),
        _ => ("FI", text),
    };
    for kind in CheckKind::ALL {
        let outcome = check(kind, input, country);
        if let Some(canonical) = &outcome.normalized {
            let again = check(kind, canonical, country);
            assert_eq!(
                again.normalized.as_deref(),
                Some(canonical.as_str()),
                "{kind:?} of {input:?}: {canonical:?} is not canonical"
            );
        }
    }
});
