//! Integration tests of tuonti-validation through its public API: the acceptance cases of
//! the business ID, property tests of its check digit, published VAT numbers of every
//! supported country, IBANs of many countries, rows, and the project values (dates, euro
//! amounts, statuses) with their round-trip properties.

use chrono::{NaiveDate, NaiveDateTime};
use proptest::prelude::*;
use std::fmt::Debug;
use tuonti_domain::{CellValue, FieldKey, Location, ProjectStatus, Severity};
use tuonti_validation::{
    CheckKind, Checked, DateOrder, DateOrderVote, MAX_MONEY_CENTS, RowCells, RowContext,
    RowValidator, business_id, business_id_check_digit, check, check_date_range, codes, countries,
    e_invoice_address, format_cents, format_euros_fi, format_iban, iban,
    is_valid_business_id_digits, money, project_status, vat_number,
};

fn codes_of(issues: &[tuonti_domain::Issue]) -> Vec<&str> {
    issues.iter().map(|issue| issue.code.as_str()).collect()
}

// ---------------------------------------------------------------------------------------
// Business ID (Y-tunnus)

#[test]
fn business_id_acceptance() {
    let valid = check(CheckKind::BusinessId, "0112038-9", "FI");
    assert!(valid.valid);
    assert_eq!(valid.normalized.as_deref(), Some("0112038-9"));
    assert!(valid.issues.is_empty());

    for input in ["0112038 9", "FI01120389"] {
        let outcome = check(CheckKind::BusinessId, input, "FI");
        assert!(outcome.valid, "{input}");
        assert_eq!(outcome.normalized.as_deref(), Some("0112038-9"), "{input}");
        assert_eq!(
            codes_of(&outcome.issues),
            ["business_id.normalized"],
            "{input}"
        );
        assert_eq!(outcome.issues[0].severity, Severity::Warning);
    }

    let wrong = check(CheckKind::BusinessId, "0112038-8", "FI");
    assert!(!wrong.valid);
    assert_eq!(codes_of(&wrong.issues), ["business_id.check_digit"]);
    assert!(wrong.issues[0].message.en.contains("check digit"));
    assert!(wrong.issues[0].message.fi.contains("tarkistusnumero"));

    // 1234567 gives remainder 10, so `1234567-1` is in fact valid; 1234568 gives remainder 1
    // and no check digit can make it valid.
    assert!(check(CheckKind::BusinessId, "1234567-1", "FI").valid);
    let hopeless = check(CheckKind::BusinessId, "1234568-1", "FI");
    assert_eq!(
        codes_of(&hopeless.issues),
        ["business_id.no_valid_check_digit"]
    );
    assert!(
        hopeless.issues[0]
            .message
            .en
            .contains("no check digit can make")
    );
}

#[test]
fn business_id_text_is_never_padded_but_numbers_are() {
    let text = business_id(&CellValue::Text("678858-0".into()), &Location::cell(2, 1));
    assert_eq!(codes_of(&text.issues), ["business_id.format"]);
    assert_eq!(text.issues[0].location.cell_ref().as_deref(), Some("B2"));
    let number = business_id(&CellValue::Number(6788580.0), &Location::cell(2, 1));
    assert_eq!(number.value.as_deref(), Some("0678858-0"));
    assert_eq!(codes_of(&number.issues), ["business_id.padded"]);
}

fn base_of(number: u32) -> [u8; 7] {
    let mut base = [0u8; 7];
    let mut rest = number;
    for slot in base.iter_mut().rev() {
        *slot = (rest % 10) as u8;
        rest /= 10;
    }
    base
}

fn text_of(base: &[u8; 7], check_digit: u8) -> String {
    let mut text: String = base.iter().map(|d| char::from(b'0' + d)).collect();
    text.push('-');
    text.push(char::from(b'0' + check_digit));
    text
}

fn is_valid_text(text: &str) -> bool {
    check(CheckKind::BusinessId, text, "FI").valid
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn computed_check_digit_validates(number in 0u32..10_000_000) {
        let base = base_of(number);
        match business_id_check_digit(base) {
            Some(check_digit) => {
                prop_assert!(is_valid_text(&text_of(&base, check_digit)));
                let mut digits = [0u8; 8];
                digits[..7].copy_from_slice(&base);
                digits[7] = check_digit;
                prop_assert!(is_valid_business_id_digits(&digits));
            }
            None => {
                // Remainder 1: no check digit at all validates.
                for check_digit in 0..10 {
                    let text = text_of(&base, check_digit);
                    prop_assert!(!is_valid_text(&text));
                    let outcome = check(CheckKind::BusinessId, &text, "FI");
                    prop_assert_eq!(codes_of(&outcome.issues), ["business_id.no_valid_check_digit"]);
                }
            }
        }
    }

    #[test]
    fn every_single_digit_change_is_caught(number in 0u32..10_000_000, position in 0usize..7, delta in 1u8..10) {
        let base = base_of(number);
        prop_assume!(business_id_check_digit(base).is_some());
        let check_digit = business_id_check_digit(base).unwrap_or_default();
        let mut changed = base;
        changed[position] = (changed[position] + delta) % 10;
        prop_assert!(!is_valid_text(&text_of(&changed, check_digit)));
    }

    #[test]
    fn every_adjacent_swap_is_caught(number in 0u32..10_000_000, position in 0usize..6) {
        let base = base_of(number);
        prop_assume!(base[position] != base[position + 1]);
        prop_assume!(business_id_check_digit(base).is_some());
        let check_digit = business_id_check_digit(base).unwrap_or_default();
        let mut swapped = base;
        swapped.swap(position, position + 1);
        prop_assert!(!is_valid_text(&text_of(&swapped, check_digit)));
    }

    #[test]
    fn remainder_one_bases_never_validate(number in 0u32..10_000_000, check_digit in 0u8..10) {
        // The first base from `number` on whose weighted sum leaves remainder 1.
        let remainder = |base: &[u8; 7]| {
            base.iter().zip([7u32, 9, 10, 5, 8, 4, 2]).map(|(d, w)| u32::from(*d) * w).sum::<u32>() % 11
        };
        let base = (0..100)
            .map(|step| base_of((number + step) % 10_000_000))
            .find(|base| remainder(base) == 1)
            .unwrap_or_default();
        prop_assert_eq!(remainder(&base), 1);
        prop_assert_eq!(business_id_check_digit(base), None);
        prop_assert!(!is_valid_text(&text_of(&base, check_digit)));
    }
}

// ---------------------------------------------------------------------------------------
// VAT numbers
//
// VAT numbers published online by the companies themselves, as collected in the test suite
// of python-stdnum (tests/test_eu_vat.doctest, test_ch_vat, test_gb_vat, test_no_mva), and
// the examples of its module documentation; the mangled ones there have a wrong check digit.

/// Valid: (country, number as published).
const VALID: &[(&str, &str)] = &[
    ("AT", "ATU 142 43 102"),
    ("AT", "ATU 15159209"),
    ("AT", "ATU46080404"),
    ("AT", "ATU61195628"),
    ("BE", "BE 0202.239.951"),
    ("BE", "BE 0220.764.971"),
    ("BE", "BE413562567"),
    ("BE", "BE697449992"),
    ("BG", "BG 103873594"),
    ("BG", "BG 124 551 319"),
    ("BG", "BG8032056031"),
    ("BG", "Bg 200442771"),
    ("CH", "CHE-100.155.212 MWST"),
    ("CH", "CHE-105.048.256 MWST"),
    ("CH", "CHE-164.589.300 MWST"),
    ("CH", "CHE-400.352.783 MWST"),
    ("CY", "CY 10246672X"),
    ("CY", "CY 10263870R"),
    ("CY", "CY-10259033P"),
    ("CY", "CY00632993 F"),
    ("CZ", "CZ 25123891"),
    ("CZ", "CZ 25577581"),
    ("CZ", "CZ7205151536"),
    ("CZ", "CZ7652046248"),
    ("DE", "DE - 113866163"),
    ("DE", "DE - 231969187"),
    ("DE", "DE136308783"),
    ("DE", "DE812847601"),
    ("DK", "DK 10 50 32 80"),
    ("DK", "DK 11 97 56 58"),
    ("DK", "DK36149213"),
    ("DK", "DK: 21599336"),
    ("EE", "EE 100 931 558"),
    ("EE", "EE 100523487"),
    ("EE", "EE 101288941"),
    ("EE", "EE101256753"),
    ("EL", "EL 039868210"),
    ("EL", "EL 044824428"),
    ("EL", "EL: 094279805"),
    ("EL", "El 800 179 925"),
    ("ES", "ES - Q0818001J"),
    ("ES", "ES 54362315K"),
    ("ES", "ESA78109592"),
    ("ES", "Es-a58951310"),
    ("FI", "FI 02459042"),
    ("FI", "FI 0982651-1"),
    ("FI", "FI-24163066"),
    ("FI", "FI18261444"),
    ("FR", "FR 04409414364"),
    ("FR", "FR 09434086930"),
    ("FR", "FR88000053537"),
    ("FR", "FR96000110899"),
    ("GB", "GB 002 4257 28"),
    ("GB", "GB 003232345"),
    ("GB", "GB653599494"),
    ("GB", "GB974053902"),
    ("HU", "HU -12509403"),
    ("HU", "HU 10672101"),
    ("HU", "HU12078503"),
    ("HU", "HU13852467"),
    ("IE", "IE 0005306C"),
    ("IE", "IE 4550159S"),
    ("IE", "IE8D79739I"),
    ("IE", "IE9Y71814N"),
    ("IT", "IT - 01404480202"),
    ("IT", "IT 00 595 000 217"),
    ("IT", "IT02087050155"),
    ("IT", "IT: 02331250163"),
    ("LT", "LT 100001354118"),
    ("LT", "LT 100001509912"),
    ("LT", "LT100004801610"),
    ("LT", "LT290068995116"),
    ("LU", "LU 10059929"),
    ("LU", "LU 10590281"),
    ("LU", "LU: 2294 4200"),
    ("LU", "Lu 19980500"),
    ("LV", "LV 4000 3521 600"),
    ("LV", "LV 40003189718"),
    ("LV", "LV-42103016370"),
    ("LV", "LV-42103048183"),
    ("MT", "MT 1039-6417"),
    ("MT", "MT 1167-9112"),
    ("MT", "MT 2029 1423"),
    ("MT", "MT 20630321"),
    ("NL", "NL 001241 643 B01"),
    ("NL", "NL 009122746 B01"),
    ("NL", "NL811705262B01"),
    ("NL", "NL813411786B01"),
    ("NO", "NO965 920 358 MVA"),
    ("NO", "NO980 430 596 MVA"),
    ("NO", "NO 987 008 644 MVA"),
    ("NO", "NO 987 989 297 MVA"),
    ("PL", "PL 5211355116"),
    ("PL", "PL 5211754253"),
    ("PL", "PL5261025421"),
    ("PL", "PL6772135826"),
    ("PT", "PT 500 019 720"),
    ("PT", "PT 500135.495"),
    ("PT", "PT-505 856 468"),
    ("PT", "PT503038083"),
    ("RO", "RO 11358544"),
    ("RO", "RO 13837330"),
    ("RO", "RO16241790"),
    ("RO", "Ro 15071875"),
    ("SE", "SE 202 100-5000 01"),
    ("SE", "SE 390 806 051 401"),
    ("SE", "SE556043606401"),
    ("SE", "Se 556250398601"),
    ("SI", "SI 26808498"),
    ("SI", "SI 29664373"),
    ("SI", "SI-83815201"),
    ("SI", "SI-89036999"),
    ("SK", "SK 1078449064"),
    ("SK", "SK 202 274 96 19"),
    ("SK", "SK 2022193459"),
    ("SK", "SK2022193459"),
    ("XI", "XI 432525179"),
];
/// More published examples: the documented examples of each country's module.
const VALID_DOCUMENTED: &[(&str, &str)] = &[
    ("AT", "AT U13585627"),
    ("BE", "BE 428759497"),
    ("BG", "BG175074752"),
    ("CY", "CY-10259033P"),
    ("CZ", "CZ25123891"),
    ("CZ", "CZ7103192745"),
    ("CZ", "CZ640903926"),
    ("DE", "DE136695976"),
    ("DK", "DK 13585628"),
    ("EE", "EE100594102"),
    ("EL", "EL 094259216"),
    ("ES", "ES B64717838"),
    ("ES", "ES 54362315K"),
    ("ES", "ES X-5253868-R"),
    ("ES", "ES M-1234567-L"),
    ("FI", "FI 20774740"),
    ("FR", "FR 23334175221"),
    ("FR", "FR K7399859412"),
    ("FR", "FR 4Z123456782"),
    ("HR", "HR 33392005961"),
    ("HU", "HU-12892312"),
    ("IE", "IE 6433435F"),
    ("IE", "IE 6433435OA"),
    ("IE", "IE 8D79739I"),
    ("IT", "IT 00743110157"),
    ("LT", "LT119511515"),
    ("LT", "LT 100001919017"),
    ("LU", "LU 150 274 42"),
    ("LV", "LV 4000 3521 600"),
    ("LV", "LV161175-19997"),
    ("MT", "MT 1167-9112"),
    ("NL", "NL004495445B01"),
    ("NL", "NL002455799B11"),
    ("NO", "NO 995 525 828 MVA"),
    ("PL", "PL 8567346215"),
    ("PT", "PT 501 964 843"),
    ("RO", "RO 185 472 90"),
    ("RO", "RO1630615123457"),
    ("SE", "SE 123456789701"),
    ("SI", "SI 5022 3054"),
    ("SK", "SK 202 274 96 19"),
    ("GB", "GB 980 7806 84"),
    ("CH", "CHE-107.787.577 IVA"),
];

/// Mangled check digits.
const WRONG_CHECK: &[(&str, &str)] = &[
    ("AT", "ATU 143 43 102"),
    ("AT", "ATU 15169209"),
    ("BE", "BE 0406.139.583"),
    ("BE", "BE 0793 013 186"),
    ("BG", "BG 1037735942"),
    ("BG", "BG 131 172 009"),
    ("CY", "CY 10246672F"),
    ("CY", "CY-10009489 A"),
    ("CZ", "CZ 25557481"),
    ("CZ", "CZ 48207726"),
    ("DE", "DE 125014855"),
    ("DE", "DE 246 495 415"),
    ("DK", "DK 11 96 56 58"),
    ("DK", "DK 2565 2202"),
    ("EE", "EE 100 941 558"),
    ("EE", "EE 100525487"),
    ("EL", "EL 094013834"),
    ("EL", "EL 094068733"),
    ("ES", "ES 54362415K"),
    ("ES", "ES K-2814015-F"),
    ("FR", "FR 04409414264"),
    ("FR", "FR 21 326 565 603"),
    ("IE", "IE 4731823H"),
    ("IE", "IE 632 3421 C"),
    ("LV", "LV 40003189715"),
    ("LV", "LV 90000528022"),
    ("SK", "SK 1078449164"),
    ("SK", "SK 302 274 96 19"),
];

/// The documented examples with a wrong check digit.
const WRONG_CHECK_DOCUMENTED: &[(&str, &str)] = &[
    ("AT", "ATU13585626"),
    ("BE", "BE431150351"),
    ("BG", "BG175074751"),
    ("CY", "CY10259033Z"),
    ("CZ", "CZ25123890"),
    ("DE", "DE136695978"),
    ("DK", "DK 13585627"),
    ("EE", "EE100594103"),
    ("EL", "EL 123456781"),
    ("ES", "ES B64717839"),
    ("FI", "FI 20774741"),
    ("FR", "FR 84 323 140 391"),
    ("HR", "HR33392005962"),
    ("HU", "HU-12892313"),
    ("IE", "IE6433435E"),
    ("IT", "IT00743110158"),
    ("LT", "LT100001919018"),
    ("LU", "LU 150 274 43"),
    ("LV", "LV40003521601"),
    ("MT", "MT1167-9113"),
    ("NL", "NL123456789B90"),
    ("NO", "NO 995 525 829 MVA"),
    ("PL", "PL 8567346216"),
    ("PT", "PT 501 964 842"),
    ("RO", "RO 185 472 91"),
    ("SE", "SE123456789101"),
    ("SI", "SI 50223055"),
    ("SK", "SK 202 274 96 18"),
    ("GB", "GB802311781"),
    ("CH", "CHE-107.787.578 MWST"),
];

#[test]
fn published_vat_numbers_are_valid() {
    for (country, number) in VALID.iter().chain(VALID_DOCUMENTED) {
        let checked = vat_number(&CellValue::Text((*number).into()), &Location::default());
        assert!(checked.is_valid(), "{number}: {:?}", checked.issues);
        let value = checked.value.unwrap_or_default();
        assert!(value.starts_with(country), "{number} -> {value}");
        assert!(
            value
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()),
            "{value}"
        );
    }
}

#[test]
fn every_supported_country_has_published_examples() {
    for (country, _) in tuonti_validation::VAT_COUNTRIES {
        assert!(
            VALID
                .iter()
                .chain(VALID_DOCUMENTED)
                .any(|(c, _)| c == country),
            "no valid example for {country}"
        );
        if *country != "XI" {
            assert!(
                WRONG_CHECK
                    .iter()
                    .chain(WRONG_CHECK_DOCUMENTED)
                    .any(|(c, _)| c == country),
                "no invalid example for {country}"
            );
        }
    }
}

#[test]
fn wrong_check_digits_are_caught() {
    for (_, number) in WRONG_CHECK.iter().chain(WRONG_CHECK_DOCUMENTED) {
        let outcome = check(CheckKind::Vat, number, "FI");
        assert!(!outcome.valid, "{number}");
        assert!(
            outcome.issues.iter().any(|issue| matches!(
                issue.code.as_str(),
                "vat.check_digit" | "vat.no_valid_check_digit"
            )),
            "{number}: {:?}",
            codes_of(&outcome.issues)
        );
    }
}

#[test]
fn vat_canonical_forms() {
    for (input, canonical, normalized) in [
        ("fi 2077 4740", "FI20774740", false),
        ("FI-2077474-0", "FI20774740", false),
        ("GR 094259216", "EL094259216", true),
        ("BE 428759497", "BE0428759497", true),
        ("NL4495445B01", "NL004495445B01", true),
        ("NO 995 525 828", "NO995525828MVA", true),
        ("CHE-107.787.577 IVA", "CHE107787577IVA", false),
        ("XI 980 7806 84", "XI980780684", false),
    ] {
        let outcome = check(CheckKind::Vat, input, "FI");
        assert_eq!(outcome.normalized.as_deref(), Some(canonical), "{input}");
        assert_eq!(
            outcome
                .issues
                .iter()
                .any(|i| i.code == codes::VAT_NORMALIZED),
            normalized,
            "{input}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// IBAN: the examples of the SWIFT IBAN registry (Pakistan's is left out: iban_validate 5.0
// does not list PK).

const IBANS: &[&str] = &[
    "AD1200012030200359100100",
    "AE070331234567890123456",
    "AL47212110090000000235698741",
    "AT611904300234573201",
    "AZ21NABZ00000000137010001944",
    "BA391290079401028494",
    "BE68539007547034",
    "BG80BNBG96611020345678",
    "BH67BMAG00001299123456",
    "BR1800360305000010009795493C1",
    "CH9300762011623852957",
    "CY17002001280000001200527600",
    "CZ6508000000192000145399",
    "DE89370400440532013000",
    "DK5000400440116243",
    "DO28BAGR00000001212453611324",
    "EE382200221020145685",
    "ES9121000418450200051332",
    "FI2112345600000785",
    "FO6264600001631634",
    "FR1420041010050500013M02606",
    "GB29NWBK60161331926819",
    "GE29NB0000000101904917",
    "GI75NWBK000000007099453",
    "GL8964710001000206",
    "GR1601101250000000012300695",
    "HR1210010051863000160",
    "HU42117730161111101800000000",
    "IE29AIBK93115212345678",
    "IL620108000000099999999",
    "IS140159260076545510730339",
    "IT60X0542811101000000123456",
    "KW81CBKU0000000000001234560101",
    "KZ86125KZT5004100100",
    "LB62099900000001001901229114",
    "LI21088100002324013AA",
    "LT121000011101001000",
    "LU280019400644750000",
    "LV80BANK0000435195001",
    "MC5811222000010123456789030",
    "MD24AG000225100013104168",
    "ME25505000012345678951",
    "MK07250120000058984",
    "MT84MALT011000012345MTLCAST001S",
    "MU17BOMM0101101030300200000MUR",
    "NL91ABNA0417164300",
    "NO9386011117947",
    "PL61109010140000071219812874",
    "PS92PALS000000000400123456702",
    "PT50000201231234567890154",
    "QA58DOHB00001234567890ABCDEFG",
    "RO49AAAA1B31007593840000",
    "RS35260005601001611379",
    "SA0380000000608010167519",
    "SE4550000000058398257466",
    "SI56263300012039086",
    "SK3112000000198742637541",
    "SM86U0322509800000000270100",
    "TN5910006035183598478831",
    "TR330006100519786457841326",
];

#[test]
fn registry_ibans_are_valid() {
    let mut countries_seen = std::collections::BTreeSet::new();
    for compact in IBANS {
        let printed = format_iban(compact);
        for input in [*compact, printed.as_str(), &compact.to_lowercase()] {
            let checked = iban(&CellValue::Text(input.into()), &Location::default());
            assert!(checked.issues.is_empty(), "{input}: {:?}", checked.issues);
            assert_eq!(checked.value.as_deref(), Some(*compact));
        }
        countries_seen.insert(&compact[..2]);
    }
    assert!(countries_seen.len() >= 20);
}

#[test]
fn broken_ibans_are_caught() {
    for compact in IBANS {
        // One digit of the account changed: mod 97 catches every single-digit change.
        let position = compact.len() - 1;
        let last = compact.as_bytes()[position];
        let changed_last = if last.is_ascii_digit() {
            char::from(b'0' + (last - b'0' + 1) % 10)
        } else {
            continue;
        };
        let changed = format!("{}{changed_last}", &compact[..position]);
        let outcome = check(CheckKind::Iban, &changed, "FI");
        assert_eq!(
            codes_of(&outcome.issues),
            ["iban.check_digits"],
            "{changed}"
        );
        // One character short: the country's length.
        let short = check(CheckKind::Iban, &compact[..position], "FI");
        assert!(!short.valid, "{}", &compact[..position]);
    }
}

#[test]
fn e_invoice_address_in_iban_form() {
    let checked = e_invoice_address(
        &CellValue::Text("DE89 3704 0044 0532 0130 00".into()),
        &Location::default(),
    );
    assert_eq!(checked.value.as_deref(), Some("DE89370400440532013000"));
}

// ---------------------------------------------------------------------------------------
// Other kinds and rows

#[test]
fn check_runs_every_kind_with_the_default_country() {
    let phone = check(CheckKind::Phone, "08-123 456 78", "SE");
    assert_eq!(phone.normalized.as_deref(), Some("+46812345678"));
    let postal = check(CheckKind::PostalCode, "100", "FI");
    assert_eq!(codes_of(&postal.issues), ["postal_code.format"]);
    let email = check(CheckKind::Email, "info@esimerkki", "FI");
    assert_eq!(codes_of(&email.issues), ["email.format"]);
    let country = check(CheckKind::Country, "Viro", "FI");
    assert_eq!(country.normalized.as_deref(), Some("EE"));
    let e_invoice = check(CheckKind::EInvoice, "3701120389", "FI");
    assert_eq!(codes_of(&e_invoice.issues), ["e_invoice.zeros_dropped"]);
}

#[test]
fn issue_messages_show_the_value_and_the_form() {
    for (kind, input) in [
        (CheckKind::BusinessId, "0112038-8"),
        (CheckKind::Vat, "FI01120388"),
        (CheckKind::EInvoice, "0037011203X"),
        (CheckKind::Iban, "FI21 1234 5600 0007 86"),
        (CheckKind::Email, "info(at)esimerkki.fi"),
        (CheckKind::Phone, "040 123 4567 x"),
        (CheckKind::PostalCode, "1000"),
        (CheckKind::Country, "Atlantis"),
    ] {
        let outcome = check(kind, input, "FI");
        assert!(!outcome.valid, "{kind}");
        for issue in &outcome.issues {
            assert!(
                issue.message.en.contains(input),
                "{kind}: {}",
                issue.message.en
            );
            assert!(
                issue.message.fi.contains(input),
                "{kind}: {}",
                issue.message.fi
            );
            assert!(codes::ALL.contains(&issue.code), "{}", issue.code);
            assert_eq!(issue.location.field, Some(kind.field()));
        }
    }
}

#[test]
fn rows_from_a_sheet() {
    let validator = RowValidator::new(RowContext::new("FI").unwrap());
    let mut cells = RowCells::new();
    let row = [
        (FieldKey::Name, CellValue::Text("Esimerkki Oy".into())),
        (FieldKey::BusinessId, CellValue::Number(112038.9e1)),
        (FieldKey::VatNumber, CellValue::Text("FI 0112 0389".into())),
        (FieldKey::Country, CellValue::Empty),
        (FieldKey::Phone, CellValue::Text("+358 40 123 4567".into())),
        (FieldKey::EInvoiceAddress, CellValue::Number(3701120389.0)),
    ];
    for (column, (field, value)) in row.into_iter().enumerate() {
        let location = Location::cell(7, column as u32)
            .in_sheet("Yritykset")
            .in_file("asiakkaat.xlsx");
        cells.set(field, location, value);
    }
    let outcome = validator.validate(&cells);
    assert_eq!(
        codes_of(&outcome.issues),
        ["business_id.padded", "e_invoice.zeros_dropped"]
    );
    let error = &outcome.issues[1];
    assert_eq!(error.location.to_string(), "asiakkaat.xlsx: Yritykset!F7");
    assert_eq!(error.location.field, Some(FieldKey::EInvoiceAddress));
    assert!(outcome.has_errors());
    assert_eq!(outcome.fields.business_id.as_deref(), Some("0112038-9"));
    assert_eq!(outcome.fields.country.as_deref(), Some("FI"));
    assert_eq!(outcome.fields.phone.as_deref(), Some("+358401234567"));
    assert_eq!(outcome.fields.e_invoice_address, None);
}

#[test]
fn the_country_list_covers_iso_3166() {
    let list = countries();
    assert_eq!(list.len(), 249);
    assert!(list.windows(2).all(|pair| pair[0].alpha2 < pair[1].alpha2));
    for country in list {
        assert_eq!(country.alpha2.len(), 2);
        assert_eq!(country.alpha3.len(), 3);
        assert!(!country.name_fi.is_empty() && !country.name_sv.is_empty());
    }
}

// ---------------------------------------------------------------------------------------
// Project values: dates, euro amounts, statuses

/// One case of a value validator: the cell, the value expected, the issue codes expected.
type Case<T> = (CellValue, Option<T>, &'static [&'static str]);

fn text_cell(text: &str) -> CellValue {
    CellValue::Text(text.into())
}

/// Runs every case through `validate` and reports all mismatches at once. Every issue must
/// be a documented code, under the field passed in, at the cell passed in, with a message in
/// both languages that shows the value as the user wrote it (the messages of the shared
/// `text.*` rules are left out of that check).
fn check_cases<T: PartialEq + Debug>(
    cases: &[Case<T>],
    validate: impl Fn(&CellValue, &Location) -> Checked<T>,
) {
    let at = Location::cell(5, 3).in_sheet("Projektit");
    let mut failures = Vec::new();
    for (cell, expected_value, expected_codes) in cases {
        let checked = validate(cell, &at);
        let found_codes = codes_of(&checked.issues);
        if checked.value != *expected_value || found_codes != *expected_codes {
            failures.push(format!(
                "{cell:?}: expected {expected_value:?} {expected_codes:?}, found {:?} {found_codes:?}",
                checked.value
            ));
        }
        // As messages show a value: trimmed, without the CSV formula escape, with invisible
        // characters named.
        let written = match cell {
            CellValue::Text(text) => {
                let text = text.trim();
                let text = text
                    .strip_prefix('\'')
                    .filter(|rest| tuonti_validation::is_formula_like(rest))
                    .unwrap_or(text);
                text.replace('\u{200b}', "<U+200B>")
            }
            other => other.to_string(),
        };
        for issue in &checked.issues {
            assert!(codes::ALL.contains(&issue.code), "{}", issue.code);
            assert_eq!(issue.location.field, Some(FieldKey::Name));
            assert_eq!(issue.location.cell_ref().as_deref(), Some("Projektit!D5"));
            if issue.code.as_str().starts_with("text.") {
                continue;
            }
            for message in [&issue.message.fi, &issue.message.en] {
                if !message.contains(&written) {
                    failures.push(format!("{cell:?}: the message does not show it: {message}"));
                }
            }
            assert_ne!(issue.message.fi, issue.message.en);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn ymd(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

fn date_time(text: &str) -> CellValue {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
        .map(CellValue::DateTime)
        .expect("a date and time")
}

#[test]
fn dates() {
    let march = ymd(2024, 3, 1);
    let cases: &[Case<NaiveDate>] = &[
        (text_cell("1.3.2024"), march, &[]),
        (text_cell("01.03.2024"), march, &[]),
        (text_cell("1. 3. 2024"), march, &[]),
        (text_cell("1.3.2024."), march, &[]),
        (text_cell("\t1.3.2024\u{a0}"), march, &[]),
        (text_cell("1.\u{a0}3.\u{202f}2024"), march, &[]),
        (text_cell("1.3.24"), march, &[]),
        (text_cell("31.12.99"), ymd(1999, 12, 31), &[]),
        (text_cell("1.1.00"), ymd(2000, 1, 1), &[]),
        (text_cell("1.1.69"), ymd(2069, 1, 1), &[]),
        (text_cell("1.1.70"), ymd(1970, 1, 1), &[]),
        (text_cell("2024-03-01"), march, &[]),
        (text_cell("2024-03-01T12:00:00"), march, &[]),
        (text_cell("2024-03-01 12:00"), march, &[]),
        (text_cell("1.3.2024 12.30"), march, &[]),
        (text_cell("２０２４－０３－０１"), march, &[]),
        (text_cell("１．３．２０２４"), march, &[]),
        (text_cell("29.2.2024"), ymd(2024, 2, 29), &[]),
        (text_cell("31.12.2200"), ymd(2200, 12, 31), &[]),
        (text_cell("1.1.1900"), ymd(1900, 1, 1), &[]),
        (text_cell("25/12/2024"), ymd(2024, 12, 25), &[]),
        (text_cell("12/25/2024"), ymd(2024, 12, 25), &[]),
        (text_cell("5/5/24"), ymd(2024, 5, 5), &[]),
        (text_cell("3/4/2024"), None, &["date.ambiguous"]),
        (text_cell("31.2.2024"), None, &["date.impossible"]),
        (text_cell("29.2.2023"), None, &["date.impossible"]),
        (text_cell("1.13.2024"), None, &["date.impossible"]),
        (text_cell("0.1.2024"), None, &["date.impossible"]),
        (text_cell("31/4/2024"), None, &["date.impossible"]),
        (text_cell("ensi viikolla"), None, &["date.format"]),
        (text_cell("2024"), None, &["date.format"]),
        (text_cell("1.3.2024 klo 12"), None, &["date.format"]),
        (text_cell("2024/03/01"), None, &["date.format"]),
        (text_cell("1.3.2024\u{200b}"), None, &["date.format"]),
        (text_cell("1.3.\t2024"), None, &["text.control_character"]),
        (text_cell("31.12.1899"), None, &["date.out_of_range"]),
        (text_cell("1.1.2201"), None, &["date.out_of_range"]),
        (text_cell("0001-01-01"), None, &["date.out_of_range"]),
        (
            CellValue::Date(NaiveDate::MIN),
            None,
            &["date.out_of_range"],
        ),
        (text_cell(""), None, &[]),
        (text_cell(" \u{a0}"), None, &[]),
        (CellValue::Empty, None, &[]),
        (march.map(CellValue::Date).unwrap(), march, &[]),
        (date_time("2024-03-01 13:45:00"), march, &[]),
        (date_time("2024-03-01 23:59:59"), march, &[]),
        (
            date_time("1800-03-01 00:00:00"),
            None,
            &["date.out_of_range"],
        ),
        (CellValue::Number(45352.0), march, &["date.serial_number"]),
        (CellValue::Number(45352.999), march, &["date.serial_number"]),
        (
            CellValue::Number(1.0),
            ymd(1900, 1, 1),
            &["date.serial_number"],
        ),
        (
            CellValue::Number(59.0),
            ymd(1900, 2, 28),
            &["date.serial_number"],
        ),
        (CellValue::Number(60.0), None, &["date.impossible"]),
        (CellValue::Number(60.5), None, &["date.impossible"]),
        (
            CellValue::Number(61.0),
            ymd(1900, 3, 1),
            &["date.serial_number"],
        ),
        (CellValue::Number(0.0), None, &["date.out_of_range"]),
        (CellValue::Number(-45352.0), None, &["date.out_of_range"]),
        (CellValue::Number(2_958_465.0), None, &["date.out_of_range"]),
        (CellValue::Number(2_958_466.0), None, &["date.out_of_range"]),
        (CellValue::Number(f64::NAN), None, &["date.out_of_range"]),
        (CellValue::Bool(true), None, &["cell.wrong_type"]),
        (
            CellValue::Error("#VALUE!".into()),
            None,
            &["cell.error_value"],
        ),
    ];
    check_cases(cases, |cell, at| {
        tuonti_validation::date(FieldKey::Name, cell, at, None)
    });
    let day_first: &[Case<NaiveDate>] = &[
        (
            text_cell("3/4/2024"),
            ymd(2024, 4, 3),
            &["date.order_assumed"],
        ),
        (
            text_cell("12/1/24"),
            ymd(2024, 1, 12),
            &["date.order_assumed"],
        ),
        (text_cell("12/25/2024"), ymd(2024, 12, 25), &[]),
        (text_cell("1.3.2024"), march, &[]),
        (text_cell("0/3/2024"), None, &["date.impossible"]),
    ];
    check_cases(day_first, |cell, at| {
        tuonti_validation::date(FieldKey::Name, cell, at, Some(DateOrder::DayFirst))
    });
    let month_first: &[Case<NaiveDate>] = &[
        (
            text_cell("3/4/2024"),
            ymd(2024, 3, 4),
            &["date.order_assumed"],
        ),
        (text_cell("25/12/2024"), ymd(2024, 12, 25), &[]),
    ];
    check_cases(month_first, |cell, at| {
        tuonti_validation::date(FieldKey::Name, cell, at, Some(DateOrder::MonthFirst))
    });
}

#[test]
fn a_column_tells_the_order_of_its_slash_dates() {
    let column = [
        "3/4/2024",
        "28/2/2024",
        "",
        "1.5.2024",
        "7/7/2024",
        "4/3/2024",
    ];
    let mut vote = DateOrderVote::new();
    for text in column {
        vote.observe(&text_cell(text));
    }
    let order = vote.order();
    assert_eq!(order, Some(DateOrder::DayFirst));
    let at = Location::cell(2, 4);
    let read = |text: &str| tuonti_validation::date(FieldKey::Name, &text_cell(text), &at, order);
    assert_eq!(read("3/4/2024").value, ymd(2024, 4, 3));
    assert_eq!(read("4/3/2024").value, ymd(2024, 3, 4));
    let warning = &read("3/4/2024").issues[0];
    assert_eq!(warning.severity, Severity::Warning);
    assert!(warning.message.en.contains(
        "was read as 3.4.2024 (day first), as the column's other dates are written day first"
    ));
    assert!(
        warning
            .message
            .fi
            .contains("luettiin 3.4.2024 (päivä ensin)")
    );

    // Conflicting evidence: ambiguous dates become errors again.
    vote.observe(&text_cell("2/28/2024"));
    assert!(vote.is_conflicting());
    assert_eq!(vote.order(), None);
    let ambiguous = tuonti_validation::date(FieldKey::Name, &text_cell("3/4/2024"), &at, None);
    let error = &ambiguous.issues[0];
    assert_eq!(error.severity, Severity::Error);
    assert!(
        error
            .message
            .en
            .starts_with("3/4/2024: 3.4.2024 or 4.3.2024?")
    );
    assert!(error.message.en.contains("Write the date as d.m.yyyy"));
}

#[test]
fn an_end_before_the_start_is_an_error_at_the_end() {
    let end_cell = Location::cell(9, 6).in_sheet("Projektit");
    let issue = check_date_range(ymd(2024, 3, 5), ymd(2024, 3, 4), FieldKey::Name, &end_cell);
    let issue = issue.unwrap();
    assert_eq!(issue.code, codes::DATE_END_BEFORE_START);
    assert_eq!(issue.severity, Severity::Error);
    assert_eq!(issue.location.cell_ref().as_deref(), Some("Projektit!G9"));
    assert!(
        issue
            .message
            .en
            .contains("4.3.2024 is before the start date 5.3.2024")
    );
    assert!(
        issue
            .message
            .fi
            .contains("4.3.2024 on ennen alkupäivää 5.3.2024")
    );
    for (start, end) in [
        (ymd(2024, 3, 5), ymd(2024, 3, 5)),
        (ymd(2024, 3, 5), ymd(2025, 1, 1)),
        (None, ymd(2024, 3, 5)),
        (ymd(2024, 3, 5), None),
    ] {
        assert_eq!(
            check_date_range(start, end, FieldKey::Name, &end_cell),
            None
        );
    }
}

#[test]
fn euro_amounts() {
    let cases: &[Case<i64>] = &[
        (text_cell("1234,50"), Some(123_450), &[]),
        (text_cell("1234.5"), Some(123_450), &[]),
        (text_cell("1 234,50"), Some(123_450), &[]),
        (text_cell("1\u{a0}234,50\u{a0}€"), Some(123_450), &[]),
        (text_cell("1\u{202f}234,50€"), Some(123_450), &[]),
        (text_cell("\t1 234,50 €\t"), Some(123_450), &[]),
        (text_cell("€1 234.50"), Some(123_450), &[]),
        (text_cell("€ 1234.50"), Some(123_450), &[]),
        (text_cell("EUR 1234"), Some(123_400), &[]),
        (text_cell("1234 eur"), Some(123_400), &[]),
        (text_cell("1234EUR"), Some(123_400), &[]),
        (text_cell("1234 Eur."), None, &["money.format"]),
        (text_cell("500 euroa"), Some(50_000), &[]),
        (text_cell("1.234,50"), Some(123_450), &[]),
        (text_cell("1,234.50"), Some(123_450), &[]),
        (text_cell("1.234.567,89"), Some(123_456_789), &[]),
        (text_cell("1 234,-"), Some(123_400), &[]),
        (text_cell("1 234,- €"), Some(123_400), &[]),
        (text_cell("1 234,–"), Some(123_400), &[]),
        (text_cell("０"), Some(0), &[]),
        (text_cell("５　０００，５０ €"), Some(500_050), &[]),
        (
            text_cell("1.234"),
            Some(123_400),
            &["money.thousands_assumed"],
        ),
        (
            text_cell("1,234"),
            Some(123_400),
            &["money.thousands_assumed"],
        ),
        (
            text_cell("250.000 €"),
            Some(25_000_000),
            &["money.thousands_assumed"],
        ),
        (text_cell("-5 €"), None, &["money.negative"]),
        (text_cell("−5"), None, &["money.negative"]),
        (text_cell("(5)"), None, &["money.negative"]),
        (text_cell("'-5"), None, &["money.negative"]),
        (text_cell("n/a"), None, &["money.format"]),
        (text_cell("noin 500"), None, &["money.format"]),
        (text_cell("1.234,5.6"), None, &["money.format"]),
        (text_cell("1,2,3"), None, &["money.format"]),
        (text_cell("€5€"), None, &["money.format"]),
        (text_cell("EUR 5 €"), None, &["money.format"]),
        (text_cell("5e3"), None, &["money.format"]),
        (text_cell("5\t000"), None, &["text.control_character"]),
        (text_cell("$100"), None, &["money.currency"]),
        (text_cell("100 SEK"), None, &["money.currency"]),
        (text_cell("100 sek"), None, &["money.currency"]),
        (text_cell("100 kr"), None, &["money.currency"]),
        (text_cell("£5"), None, &["money.currency"]),
        (text_cell("0,125"), None, &["money.too_many_decimals"]),
        (text_cell("1234.567"), None, &["money.too_many_decimals"]),
        (text_cell("12,5000"), Some(1_250), &[]),
        (text_cell("1 000.000"), None, &["money.too_many_decimals"]),
        (text_cell("10 000 000 000 000"), Some(MAX_MONEY_CENTS), &[]),
        (
            text_cell("10 000 000 000 000,01"),
            None,
            &["money.too_large"],
        ),
        (text_cell(&"9".repeat(40)), None, &["money.too_large"]),
        (CellValue::Number(1234.5), Some(123_450), &[]),
        (CellValue::Number(0.1 + 0.2), Some(30), &[]),
        (CellValue::Number(19.99), Some(1_999), &[]),
        (
            CellValue::Number(12.345),
            None,
            &["money.too_many_decimals"],
        ),
        (CellValue::Number(-0.0), Some(0), &[]),
        (CellValue::Number(-5.0), None, &["money.negative"]),
        (CellValue::Number(1e13), Some(MAX_MONEY_CENTS), &[]),
        (CellValue::Number(1e14), None, &["money.too_large"]),
        (CellValue::Number(f64::MAX), None, &["money.too_large"]),
        (CellValue::Number(f64::INFINITY), None, &["money.format"]),
        (CellValue::Empty, None, &[]),
        (text_cell("  "), None, &[]),
        (CellValue::Bool(false), None, &["cell.wrong_type"]),
        (
            ymd(2024, 3, 1).map(CellValue::Date).unwrap(),
            None,
            &["cell.wrong_type"],
        ),
        (
            CellValue::Error("#DIV/0!".into()),
            None,
            &["cell.error_value"],
        ),
    ];
    check_cases(cases, |cell, at| money(FieldKey::Name, cell, at));
}

#[test]
fn euro_messages_say_what_was_expected() {
    let at = Location::default();
    let message = |text: &str| {
        money(FieldKey::Name, &text_cell(text), &at).issues[0]
            .message
            .clone()
    };
    assert!(message("100 SEK").en.contains("only euros are accepted"));
    assert!(
        message("100 SEK")
            .fi
            .contains("vain euromäärät hyväksytään")
    );
    assert!(message("-5 €").en.contains("expected zero or more euros"));
    assert!(message("12,3456").en.contains("more than two decimals"));
    assert!(
        message("1.234,5.6")
            .en
            .contains("more than one decimal separator")
    );
    assert!(message("€5€").en.contains("two currency signs"));
    let guess = message("1.234");
    assert!(
        guess.en.contains("was read as 1\u{a0}234,00\u{a0}€"),
        "{}",
        guess.en
    );
    assert!(guess.fi.contains("tuhaterottimeksi"));
    let limit = message("10 000 000 000 001");
    assert!(
        limit
            .en
            .contains("10\u{a0}000\u{a0}000\u{a0}000\u{a0}000,00\u{a0}€")
    );
}

#[test]
fn project_statuses() {
    let cases: &[Case<ProjectStatus>] = &[
        (text_cell("tarjous"), Some(ProjectStatus::Offer), &[]),
        (text_cell("Pågående"), Some(ProjectStatus::Active), &[]),
        (text_cell("ON HOLD"), Some(ProjectStatus::OnHold), &[]),
        (text_cell("on_hold"), Some(ProjectStatus::OnHold), &[]),
        (text_cell("klar"), Some(ProjectStatus::Completed), &[]),
        (
            text_cell("\u{a0}Peruttu\t"),
            Some(ProjectStatus::Cancelled),
            &[],
        ),
        (
            text_cell("Ka\u{308}ynnissa\u{308}"),
            Some(ProjectStatus::Active),
            &[],
        ),
        (text_cell("maybe"), None, &["status.unknown"]),
        (
            text_cell("=A1"),
            None,
            &["text.formula_like", "status.unknown"],
        ),
        (CellValue::Number(1.0), None, &["status.unknown"]),
        (CellValue::Empty, None, &[]),
        (CellValue::Bool(true), None, &["cell.wrong_type"]),
    ];
    check_cases(cases, |cell, at| project_status(FieldKey::Name, cell, at));
    let unknown = project_status(FieldKey::Name, &text_cell("maybe"), &Location::default());
    let message = &unknown.issues[0].message;
    for word in [
        "tarjous",
        "käynnissä",
        "tauolla",
        "valmis",
        "peruttu",
        "avslutad",
        "on hold",
    ] {
        assert!(
            message.en.contains(word) && message.fi.contains(word),
            "{word}"
        );
    }
}

/// The Excel serial number of a date, by the 1900 date system (with its phantom 29.2.1900).
fn excel_serial(date: NaiveDate) -> i64 {
    let days = (date - NaiveDate::from_ymd_opt(1899, 12, 30).expect("a date")).num_days();
    if date < NaiveDate::from_ymd_opt(1900, 3, 1).expect("a date") {
        days - 1
    } else {
        days
    }
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    let first = NaiveDate::from_ymd_opt(1900, 1, 1).expect("a date");
    let last = NaiveDate::from_ymd_opt(2200, 12, 31).expect("a date");
    (0..=(last - first).num_days()).prop_map(move |offset| first + chrono::Days::new(offset as u64))
}

fn any_cents() -> impl Strategy<Value = i64> {
    prop_oneof![0i64..100_000, 0i64..100_000_000_000, 0..=MAX_MONEY_CENTS]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn every_formatted_amount_reads_back(cents in any_cents()) {
        let plain = format_cents(cents);
        let finnish = format_euros_fi(cents);
        let notations = [
            plain.clone(),
            format!("{plain} €"),
            format!("€{plain}"),
            format!("EUR {plain}"),
            format!("{plain}eur"),
            finnish.clone(),
            finnish.trim_end_matches('€').to_owned(),
            finnish.replace('\u{a0}', "\u{202f}"),
            finnish.replace('\u{a0}', " "),
        ];
        for notation in notations {
            let checked = money(FieldKey::Name, &CellValue::Text(notation.clone()), &Location::default());
            prop_assert_eq!(checked.value, Some(cents), "{:?}", notation);
            prop_assert!(checked.issues.is_empty(), "{:?}: {:?}", notation, checked.issues);
        }
        let number = CellValue::Number(cents as f64 / 100.0);
        let checked = money(FieldKey::Name, &number, &Location::default());
        prop_assert_eq!(checked.value, Some(cents), "{:?}", number);
    }

    #[test]
    fn every_written_date_reads_back(date in any_date(), time_of_day in 0.0f64..0.999) {
        use chrono::Datelike;
        let at = Location::default();
        let read = |cell: CellValue| tuonti_validation::date(FieldKey::Name, &cell, &at, None);
        for written in [
            date.format("%-d.%-m.%Y").to_string(),
            date.format("%d.%m.%Y").to_string(),
            date.format("%Y-%m-%d").to_string(),
            date.format("%Y-%m-%dT12:00:00").to_string(),
        ] {
            let checked = read(CellValue::Text(written.clone()));
            prop_assert_eq!(checked.value, Some(date), "{}", written);
            prop_assert!(checked.issues.is_empty(), "{}: {:?}", written, checked.issues);
        }
        if (1970..2070).contains(&date.year()) {
            let short = date.format("%-d.%-m.%y").to_string();
            prop_assert_eq!(read(CellValue::Text(short.clone())).value, Some(date), "{}", short);
        }
        let serial = excel_serial(date) as f64 + time_of_day;
        let checked = read(CellValue::Number(serial));
        prop_assert_eq!(checked.value, Some(date), "{}", serial);
        prop_assert_eq!(codes_of(&checked.issues), ["date.serial_number"]);
        prop_assert_eq!(read(CellValue::Date(date)).value, Some(date));
    }
}

// ---------------------------------------------------------------------------------------
// Every issue code, and every message in Finnish, Swedish and English

/// One row of the corpus: the kind of record, the date order of its column, and its cells.
type CorpusRow = (
    tuonti_domain::RecordKind,
    Option<DateOrder>,
    Vec<(FieldKey, CellValue)>,
);

/// Rows with bad values that together trigger every issue code of [`codes::ALL`].
fn bad_rows() -> Vec<CorpusRow> {
    use tuonti_domain::RecordKind::{Company, Contact, Project};
    let text = |value: &str| CellValue::Text(value.into());
    let company = |field: FieldKey, value: CellValue| -> CorpusRow {
        (
            Company,
            None,
            vec![(FieldKey::Name, text("Esimerkki Oy")), (field, value)],
        )
    };
    let project = |cells: &[(FieldKey, CellValue)], order: Option<DateOrder>| -> CorpusRow {
        let mut row = vec![
            (FieldKey::ProjectNumber, text("P-1")),
            (FieldKey::ProjectName, text("Verkkosivut")),
            (FieldKey::Name, text("Esimerkki Oy")),
        ];
        row.extend_from_slice(cells);
        (Project, order, row)
    };
    let value = |value: &str| project(&[(FieldKey::Value, text(value))], None);
    let start =
        |cell: CellValue, order: Option<DateOrder>| project(&[(FieldKey::StartDate, cell)], order);
    vec![
        company(FieldKey::City, text("Hel\u{1}sinki")),
        company(FieldKey::City, text("Hel\u{202e}sinki")),
        company(FieldKey::BusinessId, text("0112038\u{200b}-9")),
        company(FieldKey::City, text(&"x".repeat(1_000))),
        company(FieldKey::City, text("=SUM(A1)")),
        company(FieldKey::City, CellValue::Error("#N/A".into())),
        company(FieldKey::City, CellValue::Bool(true)),
        (Company, None, vec![(FieldKey::City, text("Turku"))]),
        (Contact, None, vec![(FieldKey::FirstName, text("Maija"))]),
        (Project, None, vec![(FieldKey::Name, text("Esimerkki Oy"))]),
        company(FieldKey::BusinessId, text("123")),
        company(FieldKey::BusinessId, text("0112038-8")),
        company(FieldKey::BusinessId, text("1234568-1")),
        company(FieldKey::BusinessId, text("FI01120389")),
        company(FieldKey::BusinessId, CellValue::Number(1_120_389.0)),
        company(FieldKey::VatNumber, text("FI123")),
        company(FieldKey::VatNumber, text("FI01120388")),
        company(FieldKey::VatNumber, text("FI12345681")),
        company(FieldKey::VatNumber, text("01120389")),
        company(FieldKey::VatNumber, text("QQ01120389")),
        company(FieldKey::VatNumber, text("GR094259216")),
        (
            Company,
            None,
            vec![
                (FieldKey::Name, text("Esimerkki Oy")),
                (FieldKey::BusinessId, text("0112038-9")),
                (FieldKey::VatNumber, text("FI12345671")),
                (FieldKey::EInvoiceAddress, text("003712345671")),
            ],
        ),
        company(FieldKey::EInvoiceAddress, text("0037 0112")),
        company(FieldKey::EInvoiceAddress, text("003701120388")),
        company(FieldKey::EInvoiceAddress, text("3701120389")),
        company(FieldKey::EInvoiceOperator, text("välittäjä?")),
        company(FieldKey::Email, text("info@esimerkki")),
        company(FieldKey::Phone, text("040 abc")),
        company(FieldKey::Phone, text("123")),
        company(FieldKey::Phone, text("012 3456")),
        company(FieldKey::PostalCode, text("ABC")),
        company(FieldKey::PostalCode, CellValue::Number(100.0)),
        company(FieldKey::PostalCode, text("FI-00100")),
        company(FieldKey::Country, text("Narnia")),
        company(FieldKey::Website, text("ei osoitetta")),
        start(text("ensi viikolla"), None),
        start(text("31.2.2024"), None),
        start(text("1.1.1800"), None),
        start(text("3/4/2024"), None),
        start(text("3/4/2024"), Some(DateOrder::DayFirst)),
        start(CellValue::Number(45_000.0), None),
        project(
            &[
                (FieldKey::StartDate, text("3.4.2024")),
                (FieldKey::EndDate, text("1.4.2024")),
            ],
            None,
        ),
        value("paljon"),
        value("-5 €"),
        value("100 SEK"),
        value("1,2345"),
        value("999 999 999 999 999"),
        value("1.234"),
        project(&[(FieldKey::Status, text("ehkä"))], None),
    ]
}

/// Every issue of the corpus rows, and of IBANs checked alone (an IBAN's issues need an
/// IBAN, which no field of a row takes alone).
fn corpus_issues() -> Vec<tuonti_domain::Issue> {
    let mut issues = Vec::new();
    for (kind, order, row) in bad_rows() {
        let validator = tuonti_validation::RecordValidator::new(kind, RowContext::default())
            .with_date_order(order);
        let mut cells = RowCells::new();
        for (column, (field, value)) in row.into_iter().enumerate() {
            cells.set(field, Location::cell(1, column as u32), value);
        }
        let mut outcome = tuonti_validation::RecordOutcome::default();
        validator.validate_into(&cells, &mut outcome);
        issues.append(&mut outcome.issues);
    }
    for value in [
        "FI21 1234 5600 0007 8#",
        "FI2112345600000786",
        "QQ92 1234 5600 0007 85",
        "FI211234560000078",
    ] {
        issues.extend(check(CheckKind::Iban, value, "FI").issues);
    }
    issues
}

#[test]
fn the_corpus_triggers_every_issue_code() {
    let issues = corpus_issues();
    let missing: Vec<&str> = codes::ALL
        .iter()
        .map(|code| code.as_str())
        .filter(|code| !issues.iter().any(|issue| issue.code.as_str() == *code))
        .collect();
    assert!(
        missing.is_empty(),
        "add a bad value that triggers each of {missing:?} to `bad_rows`"
    );
}

#[test]
fn every_issue_speaks_finnish_swedish_and_english() {
    for issue in corpus_issues() {
        let message = &issue.message;
        let code = issue.code.as_str();
        for (lang, text) in [
            ("fi", &message.fi),
            ("sv", &message.sv),
            ("en", &message.en),
        ] {
            assert!(
                !text.trim().is_empty(),
                "{code}: no {lang} text: {message:?}"
            );
        }
        let neutral = message.fi == message.sv && message.sv == message.en;
        assert!(
            neutral || (message.sv != message.en && message.sv != message.fi),
            "{code}: the Swedish text is a copy of another language: {message:?}"
        );
        assert_eq!(message.get(tuonti_domain::Lang::Sv), message.sv);
    }
}
