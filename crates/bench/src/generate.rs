//! Deterministic, realistic Finnish company rows and the workbooks that hold them.
//!
//! Row `i` is a function of the seed and `i` alone, so a file of any size is written in
//! constant memory and the same command always writes the same bytes. About 5 % of the rows
//! are bad in one of four ways and about 1 % repeat an earlier company of the same file.

use anyhow::{Context, Result};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

/// The header row, in the order of the columns.
pub const HEADERS: [&str; 15] = [
    "Yritys",
    "Nimen jatke",
    "Y-tunnus",
    "ALV-numero",
    "Osoite",
    "Postinumero",
    "Postitoimipaikka",
    "Maa",
    "Puhelin",
    "Sähköposti",
    "Verkkosivut",
    "Verkkolaskuosoite",
    "Verkkolaskuoperaattori",
    "Asiakkuusryhmä",
    "Asiakkuusjohtaja",
];

const NAME: usize = 0;
const NAME_EXTENSION: usize = 1;
const BUSINESS_ID: usize = 2;
const VAT: usize = 3;
const STREET: usize = 4;
const POSTAL_CODE: usize = 5;
const CITY: usize = 6;
const COUNTRY: usize = 7;
const PHONE: usize = 8;
const EMAIL: usize = 9;
const WEBSITE: usize = 10;
const E_INVOICE: usize = 11;
const OPERATOR: usize = 12;
const GROUP: usize = 13;
const MANAGER: usize = 14;

/// The customer groups the rows name; the benchmark creates them before importing.
pub const GROUPS: [&str; 6] = [
    "Helsinki",
    "Tampere",
    "Turku",
    "Oulu",
    "Pääkaupunkiseutu",
    "Pohjanmaa",
];

/// The users the rows name as account managers (display name, email); the benchmark creates
/// them before importing. The first is the import's default manager.
pub const MANAGERS: [(&str, &str); 3] = [
    ("Matti Meikäläinen", "matti@example.fi"),
    ("Liisa Virtanen", "liisa@example.fi"),
    ("Sanna Mäkelä", "sanna@example.fi"),
];

/// Surnames: (nominative, genitive).
const SURNAMES: [(&str, &str); 24] = [
    ("Virtanen", "Virtasen"),
    ("Mäkinen", "Mäkisen"),
    ("Nieminen", "Niemisen"),
    ("Mäkelä", "Mäkelän"),
    ("Hämäläinen", "Hämäläisen"),
    ("Koskinen", "Koskisen"),
    ("Heikkinen", "Heikkisen"),
    ("Järvinen", "Järvisen"),
    ("Lehtonen", "Lehtosen"),
    ("Lehtinen", "Lehtisen"),
    ("Saarinen", "Saarisen"),
    ("Salminen", "Salmisen"),
    ("Heinonen", "Heinosen"),
    ("Niemi", "Niemen"),
    ("Kinnunen", "Kinnusen"),
    ("Söderholm", "Söderholmin"),
    ("Räsänen", "Räsäsen"),
    ("Ylönen", "Ylösen"),
    ("Pölönen", "Pölösen"),
    ("Kärkkäinen", "Kärkkäisen"),
    ("Öhman", "Öhmanin"),
    ("Åkerberg", "Åkerbergin"),
    ("Törmänen", "Törmäsen"),
    ("Väisänen", "Väisäsen"),
];

const PLACES_GENITIVE: [&str; 16] = [
    "Hämeen",
    "Pohjolan",
    "Savon",
    "Lapin",
    "Keski-Suomen",
    "Pirkanmaan",
    "Etelä-Pohjanmaan",
    "Kymenlaakson",
    "Päijät-Hämeen",
    "Itä-Uudenmaan",
    "Länsi-Suomen",
    "Pohjois-Karjalan",
    "Kainuun",
    "Satakunnan",
    "Järvi-Suomen",
    "Mäntsälän",
];

const TRADES: [&str; 24] = [
    "Sähkö",
    "Rakennus",
    "Kuljetus",
    "Puutarha",
    "Konepaja",
    "Tilitoimisto",
    "Kiinteistöhuolto",
    "IT-palvelut",
    "Putkityö",
    "Maalaus",
    "Metallityö",
    "Kahvila",
    "Leipomo",
    "Hierontapalvelu",
    "Siivouspalvelu",
    "Lämpö",
    "Sähköasennus",
    "Kattotyö",
    "Pesula",
    "Ravintola",
    "Tietotekniikka",
    "Kauneushoitola",
    "Öljy",
    "Äänitekniikka",
];

const SWEDISH_PLACES: [&str; 8] = [
    "Ålands",
    "Åbo",
    "Vasa",
    "Jakobstads",
    "Borgå",
    "Ekenäs",
    "Närpes",
    "Kristinestads",
];

const SWEDISH_TRADES: [&str; 8] = [
    "Fisk",
    "Trädgård",
    "Bygg",
    "Båtvarv",
    "Måleri",
    "Elektriska",
    "Transport",
    "Bokföring",
];

const FIRST_NAMES: [&str; 12] = [
    "Jyrki",
    "Päivi",
    "Mikko",
    "Tiina",
    "Jääskö",
    "Sirpa",
    "Jörgen",
    "Anneli",
    "Timo",
    "Hannele",
    "Väinö",
    "Kaisa",
];

const LEGAL_FORMS: [&str; 8] = ["Oy", "Oy", "Oy", "Oy Ab", "Ky", "Ay", "Osuuskunta", "Oyj"];

const STREETS: [&str; 20] = [
    "Mannerheimintie",
    "Hämeenkatu",
    "Aleksanterinkatu",
    "Läntinen Pitkäkatu",
    "Yliopistonkatu",
    "Kauppakatu",
    "Itäinen Rantakatu",
    "Pohjoisesplanadi",
    "Kyläsaarenkatu",
    "Tehtaankatu",
    "Satamakatu",
    "Rautatienkatu",
    "Torikatu",
    "Köydenpunojankatu",
    "Mäkelänkatu",
    "Sörnäisten rantatie",
    "Åkerlundinkatu",
    "Pyhäjärvenkatu",
    "Väinämöisenkatu",
    "Teollisuustie",
];

/// City, the first two digits of its postal codes, its phone area code.
const CITIES: [(&str, &str, &str); 20] = [
    ("Helsinki", "00", "09"),
    ("Helsinki", "00", "09"),
    ("Helsinki", "00", "09"),
    ("Espoo", "02", "09"),
    ("Vantaa", "01", "09"),
    ("Tampere", "33", "03"),
    ("Turku", "20", "02"),
    ("Oulu", "90", "08"),
    ("Jyväskylä", "40", "014"),
    ("Lahti", "15", "03"),
    ("Kuopio", "70", "017"),
    ("Pori", "28", "02"),
    ("Vaasa", "65", "06"),
    ("Joensuu", "80", "013"),
    ("Hämeenlinna", "13", "03"),
    ("Rovaniemi", "96", "016"),
    ("Maarianhamina", "22", "018"),
    ("Porvoo", "06", "019"),
    ("Järvenpää", "04", "09"),
    ("Seinäjoki", "60", "06"),
];

const MOBILE_PREFIXES: [&str; 6] = ["040", "041", "044", "045", "046", "050"];

const OPERATORS: [&str; 6] = [
    "003721291126",
    "003723327487",
    "003703575029",
    "NDEAFIHH",
    "OKOYFIHH",
    "HELSFIHH",
];

const EXTENSIONS: [&str; 5] = [
    "Myyntiosasto",
    "Huolto",
    "Tampereen toimipiste",
    "Ekonomiavdelningen",
    "Pääkonttori",
];

/// Which variant of the rows to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// Every row with all its values.
    Full,
    /// Every second row without its phone, website and e-invoice operator: imported first,
    /// it leaves half the companies with empty fields that the full file fills.
    Sparse,
}

/// What a generated row is meant to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowKind {
    /// A good row.
    Valid,
    /// The Y-tunnus has a wrong check digit.
    BadCheckDigit,
    /// The email address is not one.
    BadEmail,
    /// The postal code is not five digits.
    BadPostalCode,
    /// The company name is missing.
    MissingName,
    /// The same company (Y-tunnus) as an earlier row of the file.
    Duplicate,
}

/// The rows of one file.
#[derive(Debug, Clone, Copy)]
pub struct Generator {
    seed: u64,
    n_rows: u64,
    variant: Variant,
    /// Also write a contacts sheet (two per company) and a projects sheet (one per company).
    records: bool,
    /// Write values as real exports hold them (see [`Generator::messy`]).
    messy: bool,
    /// Where the walk of business IDs starts (see [`Generator::with_id_offset`]).
    id_offset: u64,
}

/// The headers of the contacts sheet.
pub const CONTACT_HEADERS: [&str; 6] = [
    "Y-tunnus",
    "Etunimi",
    "Sukunimi",
    "Titteli",
    "Sähköposti",
    "Puhelin",
];

/// The headers of the projects sheet.
pub const PROJECT_HEADERS: [&str; 10] = [
    "Projektinumero",
    "Projektin nimi",
    "Y-tunnus",
    "Projektipäällikkö",
    "Tila",
    "Aloituspäivä",
    "Lopetuspäivä",
    "Arvo",
    "Yhteyshenkilö",
    "Kuvaus",
];

const TITLES: [&str; 6] = [
    "Toimitusjohtaja",
    "talousjohtaja",
    "Myyntipäällikkö",
    "VD",
    "Ekonomichef",
    "CTO",
];
const STATUSES: [&str; 9] = [
    "Käynnissä",
    "käynnissä",
    "Tarjous",
    "valmis",
    "Tauolla",
    "peruttu",
    "pågående",
    "Completed",
    "on hold",
];
const PROJECT_WORDS: [&str; 8] = [
    "Verkkosivu-uudistus",
    "Ylläpitosopimus",
    "Toiminnanohjaus",
    "Pilvisiirto",
    "Koulutus",
    "Tietoturvakartoitus",
    "Integraatio",
    "Asiakasportaali",
];

/// SplitMix64: small, fast, good enough for test data, and the same everywhere.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64, index: u64) -> Self {
        let mut rng = Rng(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F) ^ index);
        rng.next();
        rng
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    /// True with probability `per_mille` / 1000.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }
}

/// The Y-tunnus check digit of seven digits, or `None` when no check digit exists for them
/// (the weighted sum leaves remainder 1).
pub fn check_digit(base: u32) -> Option<u32> {
    const WEIGHTS: [u32; 7] = [7, 9, 10, 5, 8, 4, 2];
    let mut digits = base;
    let mut sum = 0;
    for weight in WEIGHTS.iter().rev() {
        sum += (digits % 10) * weight;
        digits /= 10;
    }
    match sum % 11 {
        0 => Some(0),
        1 => None,
        remainder => Some(11 - remainder),
    }
}

/// The Y-tunnus bases are a permutation of `0..SPACE`; one in nine starts with a zero.
const SPACE: u64 = 9_000_000;
/// Coprime with `SPACE`, so `i * STEP mod SPACE` visits every base once.
const STEP: u64 = 7_919_993;
const OFFSET: u64 = 1_234_567;

impl Generator {
    /// The rows of a file of `n_rows` data rows.
    pub fn new(seed: u64, n_rows: u64, variant: Variant) -> Self {
        Self {
            seed,
            n_rows,
            variant,
            records: false,
            messy: false,
            id_offset: 0,
        }
    }

    /// Business IDs from another part of the ID space: files of other offsets hold other
    /// companies (offsets a million or more apart never meet in practice; seeds alone change
    /// names and addresses but keep the IDs).
    pub fn with_id_offset(mut self, offset: u64) -> Self {
        self.id_offset = offset;
        self
    }

    /// The business IDs (`1234567-8`) of the companies an import of the whole file creates
    /// when invalid rows are skipped: those of the valid rows. A duplicate row is rejected
    /// as one, also when the row it repeats is rejected for another reason, except when that
    /// row's own ID is wrong (a bad check digit): then the duplicate is the ID's first row.
    pub fn valid_business_ids(&self) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
        let mut ids = Vec::new();
        for index in 0..self.n_rows {
            let company = match self.kind(index) {
                RowKind::Valid => index,
                RowKind::Duplicate => {
                    let earlier = self.duplicate_of(index, &mut Rng::new(self.seed, 2, index));
                    if self.kind(earlier) != RowKind::BadCheckDigit {
                        continue;
                    }
                    earlier
                }
                _ => continue,
            };
            if seen.insert(company) {
                let (base, digit) = self.business_id(company);
                ids.push(format!("{base:07}-{digit}"));
            }
        }
        ids
    }

    /// The earlier row a duplicate row `index` repeats: a valid row up to 500 rows back, else
    /// the first row.
    fn duplicate_of(&self, index: u64, rng: &mut Rng) -> u64 {
        let mut earlier = index - 1 - rng.below(index.min(500));
        while self.kind(earlier) != RowKind::Valid && earlier > 0 {
            earlier -= 1;
        }
        earlier
    }

    /// Values as real exports hold them rather than canonical: about a third of the phone
    /// numbers in other notations (`(+358) 40 1234567`, `+358 (0)9 1234 567`,
    /// `358401234567`, `0401234567`, `040/123 4567`, `040.123.4567`, stray spaces,
    /// `+358-…`) or foreign (`+46 8 …`, `+1 212 …`); a quarter of the emails with capitals and
    /// spaces; a third of the websites with capitals, `http://` or a trailing slash; names
    /// with Å/Ä/Ö decomposed (NFD) every second time; and in xlsx one row in ten with its
    /// postal code as a number (`100` for `00100`) and another with its business ID as a
    /// number (`1120389` for `0112038-9`).
    pub fn messy(mut self) -> Self {
        self.messy = true;
        self
    }

    /// The same companies with a contacts sheet (two contacts per company) and a projects
    /// sheet (one project per company) after them, in the workbook.
    pub fn with_records(mut self) -> Self {
        self.records = true;
        self
    }

    /// The contact `index` (0-based): of company `index / 2`, named by its business ID as
    /// people write it, with a title, an email in mixed case and a phone in one of the
    /// notations of the companies' phones.
    pub fn contact(&self, index: u64, cells: &mut [String; 6]) {
        for cell in cells.iter_mut() {
            cell.clear();
        }
        let company = index / 2;
        let mut rng = Rng::new(self.seed, 7, index);
        let (base, digit) = self.business_id(company);
        cells[0].push_str(&match rng.below(10) {
            0 => format!("{base:07}{digit}"),
            1 => format!("FI{base:07}-{digit}"),
            _ => format!("{base:07}-{digit}"),
        });
        let first = rng.pick(&FIRST_NAMES);
        let (surname, _) = SURNAMES[rng.below(SURNAMES.len() as u64) as usize];
        cells[1].push_str(first);
        cells[2].push_str(surname);
        let folded = ascii_fold(surname);
        if rng.chance(700) {
            cells[3].push_str(rng.pick(&TITLES));
        }
        let email = format!(
            "{}.{folded}{index}@esimerkki{company}.fi",
            ascii_fold(first)
        );
        cells[4].push_str(&if rng.chance(200) {
            email.to_uppercase()
        } else {
            email
        });
        if rng.chance(600) {
            let number = 1_000_000 + rng.below(8_999_999);
            cells[5].push_str(&match rng.below(5) {
                0 => format!("040 {number}"),
                1 => format!("+358 40 {number}"),
                2 => format!("(+358) 50-{number}"),
                3 => format!("0{}{number}", 40 + rng.below(10)),
                _ => format!("358 45 {} {}", number / 1000, number % 1000),
            });
        }
    }

    /// The project of company `index`: its number (leading zeros), name, the company by
    /// business ID, a manager by email or full name, a status word in Finnish, Swedish or
    /// English, dates as `d.m.yyyy` or ISO, a value in one of the notations people use, the
    /// company's first contact by email, a description.
    pub fn project(&self, index: u64, cells: &mut [String; 10]) {
        for cell in cells.iter_mut() {
            cell.clear();
        }
        let mut rng = Rng::new(self.seed, 8, index);
        let (base, digit) = self.business_id(index);
        cells[0].push_str(&format!("{index:07}"));
        cells[1].push_str(&format!(
            "{} {}",
            rng.pick(&PROJECT_WORDS),
            2020 + rng.below(6)
        ));
        cells[2].push_str(&format!("{base:07}-{digit}"));
        let (name, email) = MANAGERS[rng.below(MANAGERS.len() as u64) as usize];
        cells[3].push_str(if rng.chance(500) { name } else { email });
        cells[4].push_str(rng.pick(&STATUSES));
        let start_day = 1 + rng.below(28);
        let start_month = 1 + rng.below(12);
        let year = 2020 + rng.below(5);
        cells[5].push_str(&if rng.chance(700) {
            format!("{start_day}.{start_month}.{year}")
        } else {
            format!("{year}-{start_month:02}-{start_day:02}")
        });
        if rng.chance(600) {
            cells[6].push_str(&format!("{}.{}.{}", start_day, start_month, year + 1));
        }
        let euros = 500 + rng.below(250_000);
        let cents = rng.below(100);
        cells[7].push_str(&match rng.below(6) {
            0 => format!("{euros}"),
            1 => format!("{euros},{cents:02}"),
            2 => format!("{} {:03},{cents:02} €", euros / 1000, euros % 1000),
            3 => format!("{euros}.{cents:02} EUR"),
            4 => format!("€{euros}"),
            _ => format!("{}\u{a0}{:03}", euros / 1000, euros % 1000),
        });
        // The company's first contact (contact 2 * index), by email.
        let mut contact = [const { String::new() }; 6];
        self.contact(index * 2, &mut contact);
        cells[8].push_str(&contact[4]);
        if rng.chance(300) {
            cells[9].push_str("Vaiheistettu toteutus;\nylläpito erikseen");
        }
    }

    /// What row `index` (0-based, data rows only) is.
    pub fn kind(&self, index: u64) -> RowKind {
        let roll = Rng::new(self.seed, 1, index).below(1000);
        match roll {
            0..10 if index > 0 => RowKind::Duplicate,
            10..23 => RowKind::BadCheckDigit,
            23..36 => RowKind::BadEmail,
            36..48 => RowKind::BadPostalCode,
            48..60 => RowKind::MissingName,
            _ => RowKind::Valid,
        }
    }

    /// The seven digits of row `index`'s Y-tunnus and its check digit: different for every
    /// row of the file.
    fn business_id(&self, index: u64) -> (u32, u32) {
        // Walk i, i + n, i + 2n, ...: never another row's index, so never its base.
        let mut slot = index + self.id_offset;
        loop {
            let base = ((slot % SPACE) * STEP + OFFSET) % SPACE;
            let base = u32::try_from(base).unwrap_or(0);
            if let Some(digit) = check_digit(base) {
                return (base, digit);
            }
            slot += self.n_rows.max(1);
        }
    }

    /// Writes row `index`'s 15 cells into `cells` (empty string: an empty cell) and says
    /// what the row is.
    pub fn row(&self, index: u64, cells: &mut [String; 15]) -> RowKind {
        for cell in cells.iter_mut() {
            cell.clear();
        }
        let kind = self.kind(index);
        if kind == RowKind::Duplicate {
            // The same company as an earlier good row, typed again by someone else.
            let mut rng = Rng::new(self.seed, 2, index);
            let earlier = self.duplicate_of(index, &mut rng);
            self.company(earlier, cells);
            cells[PHONE].clear();
            let (_, _, area) = CITIES[rng.below(CITIES.len() as u64) as usize];
            cells[PHONE].push_str(&format!(
                "{area} {} {}",
                100 + rng.below(900),
                1000 + rng.below(9000)
            ));
            return kind;
        }
        self.company(index, cells);
        let mut rng = Rng::new(self.seed, 3, index);
        match kind {
            RowKind::BadCheckDigit => {
                let (base, digit) = self.business_id(index);
                let wrong = (digit + 1 + rng.below(9) as u32) % 10;
                cells[BUSINESS_ID].clear();
                cells[BUSINESS_ID].push_str(&format!("{base:07}-{wrong}"));
            }
            RowKind::BadEmail => {
                let email = std::mem::take(&mut cells[EMAIL]);
                cells[EMAIL] = match rng.below(3) {
                    0 => email.replace('@', "(at)"),
                    1 => email.replace('@', " @ ").replace(".fi", ""),
                    _ => email.replace('@', "@@"),
                };
            }
            RowKind::BadPostalCode => {
                // Every generated code ends in 0, so each spelling below is wrong.
                let code = std::mem::take(&mut cells[POSTAL_CODE]);
                cells[POSTAL_CODE] = match rng.below(3) {
                    0 => code[..4].to_owned(),
                    1 => code.replace('0', "O"),
                    _ => format!("{code}0"),
                };
            }
            RowKind::MissingName => cells[NAME].clear(),
            RowKind::Valid | RowKind::Duplicate => {}
        }
        kind
    }

    /// The good values of company `index`.
    fn company(&self, index: u64, cells: &mut [String; 15]) {
        let mut rng = Rng::new(self.seed, 4, index);
        let (base, digit) = self.business_id(index);
        let digits = format!("{base:07}{digit}");

        // Name and the domain its addresses use.
        let form = rng.pick(&LEGAL_FORMS);
        let (name, domain_words) = match rng.below(10) {
            0..4 => {
                let (_, owner) = SURNAMES[rng.below(SURNAMES.len() as u64) as usize];
                let trade = rng.pick(&TRADES);
                (format!("{owner} {trade} {form}"), format!("{owner}{trade}"))
            }
            4..6 => {
                let place = rng.pick(&PLACES_GENITIVE);
                let trade = rng.pick(&TRADES);
                (format!("{place} {trade} {form}"), format!("{place}{trade}"))
            }
            6..8 => {
                let trade = rng.pick(&TRADES);
                let (surname, _) = SURNAMES[rng.below(SURNAMES.len() as u64) as usize];
                (
                    format!("{trade}-{surname} {form}"),
                    format!("{trade}{surname}"),
                )
            }
            8 => {
                let place = rng.pick(&SWEDISH_PLACES);
                let trade = rng.pick(&SWEDISH_TRADES);
                (format!("{place} {trade} Ab"), format!("{place}{trade}"))
            }
            _ => {
                let first = rng.pick(&FIRST_NAMES);
                let (surname, _) = SURNAMES[rng.below(SURNAMES.len() as u64) as usize];
                (
                    format!("Tmi {first} {surname}"),
                    format!("{first}{surname}"),
                )
            }
        };
        let domain = format!("{}{}", ascii_fold(&domain_words), base % 1000);
        cells[NAME] = name;
        if rng.chance(100) {
            cells[NAME_EXTENSION].push_str(rng.pick(&EXTENSIONS));
        }
        cells[BUSINESS_ID] = format!("{}-{}", &digits[..7], &digits[7..]);
        if rng.chance(800) {
            cells[VAT] = format!("FI{digits}");
        }

        // Address.
        let street = rng.pick(&STREETS);
        cells[STREET] = match rng.below(3) {
            0 => format!("{street} {}", 1 + rng.below(120)),
            1 => format!(
                "{street} {} {} {}",
                1 + rng.below(60),
                ["A", "B", "C"][rng.below(3) as usize],
                1 + rng.below(40)
            ),
            _ => format!("{street} {}", 1 + rng.below(30)),
        };
        let (city, prefix, area) = CITIES[rng.below(CITIES.len() as u64) as usize];
        cells[POSTAL_CODE] = format!("{prefix}{:02}0", 10 + rng.below(90));
        cells[CITY] = city.to_owned();
        cells[COUNTRY] = match rng.below(20) {
            0..12 => "Suomi",
            12..17 => "FI",
            17 => "Finland",
            _ => "",
        }
        .to_owned();

        // Contact values.
        let leave_empty = self.variant == Variant::Sparse && index % 2 == 1;
        if !leave_empty {
            cells[PHONE] = match rng.below(4) {
                0 => format!("{area} {} {}", 100 + rng.below(900), 1000 + rng.below(9000)),
                1 => format!(
                    "{} {} {}",
                    rng.pick(&MOBILE_PREFIXES),
                    100 + rng.below(900),
                    1000 + rng.below(9000)
                ),
                2 => format!(
                    "+358 {} {} {}",
                    &rng.pick(&MOBILE_PREFIXES)[1..],
                    100 + rng.below(900),
                    1000 + rng.below(9000)
                ),
                _ => format!(
                    "{}-{}",
                    rng.pick(&MOBILE_PREFIXES),
                    1_000_000 + rng.below(9_000_000)
                ),
            };
        }
        cells[EMAIL] = match rng.below(3) {
            0 => format!("info@{domain}.fi"),
            1 => format!("myynti@{domain}.fi"),
            _ => format!(
                "{}.{}@{domain}.fi",
                ascii_fold(rng.pick(&FIRST_NAMES)),
                ascii_fold(&domain[..domain.len().min(6)])
            ),
        };
        if !leave_empty && rng.chance(700) {
            cells[WEBSITE] = match rng.below(3) {
                0 => format!("www.{domain}.fi"),
                1 => format!("https://www.{domain}.fi"),
                _ => format!("{domain}.fi"),
            };
        }
        if rng.chance(500) {
            cells[E_INVOICE] = format!("0037{digits}");
            if rng.chance(200) {
                cells[E_INVOICE].push_str("001");
            }
            if !leave_empty {
                cells[OPERATOR] = rng.pick(&OPERATORS).to_owned();
            }
        }
        if rng.chance(600) {
            cells[GROUP] = rng.pick(&GROUPS).to_owned();
        }
        if rng.chance(500) {
            cells[MANAGER] = MANAGERS[rng.below(MANAGERS.len() as u64) as usize]
                .1
                .to_owned();
        }
        if self.messy {
            mess_up(&mut Rng::new(self.seed, 5, index), index, cells);
        }
    }

    /// Writes the header and all rows as an xlsx workbook in rust_xlsxwriter's constant-memory
    /// mode, every value a text cell (leading zeros kept).
    /// Whether the xlsx writes column `column` of row `index` as a number (messy data: postal
    /// codes and business IDs as numbers, as a spreadsheet that "fixed" them holds them).
    fn as_number(&self, index: u64, column: usize) -> bool {
        self.messy
            && ((column == POSTAL_CODE && index % 10 == 3)
                || (column == BUSINESS_ID && index % 10 == 7))
    }

    pub fn write_xlsx(&self, path: &Path) -> Result<()> {
        use rust_xlsxwriter::{Format, Workbook};
        let mut workbook = Workbook::new();
        let bold = Format::new().set_bold();
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name("Yritykset")?;
        for (column, header) in (0u16..).zip(HEADERS) {
            sheet.write_string_with_format(0, column, header, &bold)?;
        }
        let mut cells: [String; 15] = Default::default();
        for index in 0..self.n_rows {
            self.row(index, &mut cells);
            let row = u32::try_from(index + 1).context("too many rows for a worksheet")?;
            for (column, value) in (0u16..).zip(&cells) {
                if value.is_empty() {
                    continue;
                }
                match value.parse::<f64>() {
                    Ok(number) if self.as_number(index, usize::from(column)) => {
                        sheet.write_number(row, column, number)?;
                    }
                    _ => {
                        sheet.write_string(row, column, value)?;
                    }
                }
            }
        }
        if self.records {
            let sheet = workbook.add_worksheet_with_constant_memory()?;
            sheet.set_name("Yhteyshenkilöt")?;
            for (column, header) in (0u16..).zip(CONTACT_HEADERS) {
                sheet.write_string_with_format(0, column, header, &bold)?;
            }
            let mut cells: [String; 6] = Default::default();
            for index in 0..self.n_rows * 2 {
                self.contact(index, &mut cells);
                let row = u32::try_from(index + 1).context("too many rows for a worksheet")?;
                for (column, value) in (0u16..).zip(&cells) {
                    if !value.is_empty() {
                        sheet.write_string(row, column, value)?;
                    }
                }
            }
            let sheet = workbook.add_worksheet_with_constant_memory()?;
            sheet.set_name("Projektit")?;
            for (column, header) in (0u16..).zip(PROJECT_HEADERS) {
                sheet.write_string_with_format(0, column, header, &bold)?;
            }
            let mut cells: [String; 10] = Default::default();
            for index in 0..self.n_rows {
                self.project(index, &mut cells);
                let row = u32::try_from(index + 1).context("too many rows for a worksheet")?;
                for (column, value) in (0u16..).zip(&cells) {
                    if !value.is_empty() {
                        sheet.write_string(row, column, value)?;
                    }
                }
            }
        }
        workbook
            .save(path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(())
    }

    /// Writes the header and all rows as CSV the way Finnish Excel saves it: UTF-8 with a
    /// byte order mark, `;` between fields, CRLF line ends.
    pub fn write_csv(&self, path: &Path) -> Result<()> {
        let file =
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        out.write_all("\u{feff}".as_bytes())?;
        let mut writer = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        writer.write_record(HEADERS)?;
        let mut cells: [String; 15] = Default::default();
        for index in 0..self.n_rows {
            self.row(index, &mut cells);
            writer.write_record(&cells)?;
        }
        writer
            .into_inner()
            .map_err(|error| anyhow::anyhow!("cannot write {}: {}", path.display(), error))?
            .flush()?;
        Ok(())
    }
}

/// Foreign numbers as exports hold them (valid in their own numbering plans).
const FOREIGN_PHONES: [&str; 6] = [
    "+46 8 123 456 78",
    "+47 22 12 34 56",
    "+49 30 1234567",
    "+44 20 7946 0958",
    "+1 (212) 555-0199",
    "+372 512 3456",
];

/// Rewrites a row's canonical values the way real exports hold them (see
/// [`Generator::messy`]).
fn mess_up(rng: &mut Rng, index: u64, cells: &mut [String; 15]) {
    let digits: String = cells[PHONE].chars().filter(char::is_ascii_digit).collect();
    let national = digits
        .strip_prefix("358")
        .or_else(|| digits.strip_prefix('0'))
        .unwrap_or(&digits)
        .to_owned();
    if national.len() >= 7 && rng.chance(333) {
        let (head, tail) = national.split_at(2);
        let (first, rest) = national.split_at(1);
        cells[PHONE] = match rng.below(10) {
            0 => format!("(+358) {head} {tail}"),
            1 => format!("+358 (0){first} {rest}"),
            2 => format!("358{national}"),
            3 => format!("0{national}"),
            4 => format!("0{head}/{tail}"),
            5 => format!("0{head}.{}.{}", &tail[..3], &tail[3..]),
            6 => format!("  0{head}  {tail} "),
            7 => format!("+358-{national}"),
            _ => rng.pick(&FOREIGN_PHONES).to_owned(),
        };
    }
    if rng.chance(250) {
        let email = std::mem::take(&mut cells[EMAIL]);
        cells[EMAIL] = match rng.below(3) {
            0 => format!(" {email}"),
            1 => capitalized(&email),
            _ => format!("{} ", email.to_uppercase()),
        };
    }
    if !cells[WEBSITE].is_empty() && rng.chance(333) {
        let site = std::mem::take(&mut cells[WEBSITE]);
        let bare = site.trim_start_matches("https://");
        cells[WEBSITE] = match rng.below(3) {
            0 => bare.to_uppercase(),
            1 => format!("http://{bare}"),
            _ => format!("{bare}/"),
        };
    }
    if cells[NAME].contains(['å', 'ä', 'ö', 'Å', 'Ä', 'Ö']) && rng.chance(500) {
        cells[NAME] = nfd(&cells[NAME]);
    }
    if index % 10 == 7 {
        // A business ID whose dash a spreadsheet dropped (kept as digits; the xlsx writes it
        // as a number, losing a leading zero).
        cells[BUSINESS_ID].retain(|c| c.is_ascii_digit());
    }
}

/// `text` with its first letter in capitals.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// `text` with å, ä and ö (and their capitals) decomposed into a letter and a combining mark.
fn nfd(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            'å' => out.push_str("a\u{30a}"),
            'ä' => out.push_str("a\u{308}"),
            'ö' => out.push_str("o\u{308}"),
            'Å' => out.push_str("A\u{30a}"),
            'Ä' => out.push_str("A\u{308}"),
            'Ö' => out.push_str("O\u{308}"),
            other => out.push(other),
        }
    }
    out
}

/// Lower-case ASCII letters and digits of `text`: `ä` and `å` become `a`, `ö` becomes `o`,
/// anything else is dropped.
fn ascii_fold(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c.to_lowercase().next().unwrap_or(c) {
            'ä' | 'å' | 'á' => Some('a'),
            'ö' | 'ø' => Some('o'),
            'é' => Some('e'),
            c if c.is_ascii_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// Writes `n` Y-tunnus lines for `tuonti check business-id`: mostly valid (one in nine with a
/// leading zero), some with a wrong check digit, some in other spellings.
pub fn write_business_ids(seed: u64, n: u64, out: &mut impl Write) -> Result<()> {
    let generator = Generator::new(seed, n, Variant::Full);
    for index in 0..n {
        let (base, digit) = generator.business_id(index);
        let mut rng = Rng::new(seed, 5, index);
        match rng.below(100) {
            0..3 => writeln!(out, "{base:07}-{}", (digit + 1) % 10)?,
            3..5 => writeln!(out, "{base:07}{digit}")?,
            5..6 => writeln!(out, " {base:07} - {digit}")?,
            _ => writeln!(out, "{base:07}-{digit}")?,
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};
    use tuonti_domain::{CellValue, FieldKey, Location};
    use tuonti_validation::{RowCells, RowContext, RowOutcome, RowValidator};

    const FIELDS: [FieldKey; 15] = [
        FieldKey::Name,
        FieldKey::NameExtension,
        FieldKey::BusinessId,
        FieldKey::VatNumber,
        FieldKey::StreetAddress,
        FieldKey::PostalCode,
        FieldKey::City,
        FieldKey::Country,
        FieldKey::Phone,
        FieldKey::Email,
        FieldKey::Website,
        FieldKey::EInvoiceAddress,
        FieldKey::EInvoiceOperator,
        FieldKey::CustomerGroup,
        FieldKey::AccountManager,
    ];

    fn validate(cells: &[String; 15]) -> RowOutcome {
        let validator = RowValidator::new(RowContext::new("FI").unwrap());
        let mut row = RowCells::new();
        for (column, (field, value)) in (0u32..).zip(FIELDS.iter().zip(cells)) {
            let cell = if value.is_empty() {
                CellValue::Empty
            } else {
                CellValue::Text(value.clone())
            };
            row.set(*field, Location::cell(2, column), cell);
        }
        validator.validate(&row)
    }

    #[test]
    fn check_digits_match_known_business_ids() {
        assert_eq!(check_digit(112_038), Some(9));
        assert_eq!(check_digit(2_077_474), Some(0));
    }

    #[test]
    fn rows_are_what_their_kind_says_and_unique() {
        let generator = Generator::new(7, 2_000, Variant::Full);
        let mut cells: [String; 15] = Default::default();
        let mut kinds: HashMap<RowKind, u32> = HashMap::new();
        let mut ids = HashSet::new();
        let mut leading_zeros = 0;
        for index in 0..2_000 {
            let kind = generator.row(index, &mut cells);
            *kinds.entry(kind).or_default() += 1;
            let outcome = validate(&cells);
            let codes: Vec<&str> = outcome.issues.iter().map(|i| i.code.as_str()).collect();
            match kind {
                RowKind::Valid | RowKind::Duplicate => {
                    assert!(!outcome.has_errors(), "row {index} {cells:?}: {codes:?}");
                }
                _ => assert!(outcome.has_errors(), "row {index} {kind:?} {cells:?}"),
            }
            if kind == RowKind::Valid {
                assert!(ids.insert(cells[BUSINESS_ID].clone()), "row {index}");
                leading_zeros += usize::from(cells[BUSINESS_ID].starts_with('0'));
            }
        }
        assert!(kinds[&RowKind::Duplicate] > 5, "{kinds:?}");
        for kind in [
            RowKind::BadCheckDigit,
            RowKind::BadEmail,
            RowKind::BadPostalCode,
            RowKind::MissingName,
        ] {
            assert!(kinds[&kind] > 10, "{kinds:?}");
        }
        assert!(leading_zeros > 100, "{leading_zeros}");
    }

    /// Messy values stay what their row's kind says (a valid row is still valid, with its
    /// phone in another notation), and the proportions hold.
    #[test]
    fn messy_rows_keep_their_kind_and_are_messy_in_the_stated_shares() {
        let generator = Generator::new(7, 3_000, Variant::Full).messy();
        let mut cells: [String; 15] = Default::default();
        let (mut phones, mut non_canonical, mut nfd_names, mut bad_emails) = (0, 0, 0, 0);
        for index in 0..3_000 {
            let kind = generator.row(index, &mut cells);
            let outcome = validate(&cells);
            let codes: Vec<&str> = outcome.issues.iter().map(|i| i.code.as_str()).collect();
            match kind {
                RowKind::Valid | RowKind::Duplicate => {
                    assert!(!outcome.has_errors(), "row {index} {cells:?}: {codes:?}");
                }
                _ => assert!(outcome.has_errors(), "row {index} {kind:?} {cells:?}"),
            }
            if kind == RowKind::Valid && !cells[PHONE].is_empty() {
                phones += 1;
                let canonical = cells[PHONE].starts_with("+358 ")
                    || cells[PHONE].starts_with('0') && cells[PHONE].contains([' ', '-']);
                non_canonical += usize::from(!canonical);
            }
            nfd_names += usize::from(cells[NAME].contains('\u{308}'));
            bad_emails += usize::from(
                cells[EMAIL].trim() != cells[EMAIL] || cells[EMAIL].contains(char::is_uppercase),
            );
        }
        let share = non_canonical * 100 / phones;
        assert!((25..=45).contains(&share), "{share} % of {phones} phones");
        assert!(nfd_names > 50, "{nfd_names}");
        assert!(bad_emails > 400, "{bad_emails}");
    }

    #[test]
    fn id_offsets_give_other_companies_and_valid_ids_are_distinct() {
        let first = Generator::new(1, 10_000, Variant::Full).valid_business_ids();
        let second = Generator::new(2, 10_000, Variant::Full)
            .with_id_offset(1_000_003)
            .valid_business_ids();
        let first_set: HashSet<&String> = first.iter().collect();
        assert_eq!(first_set.len(), first.len(), "an ID twice among valid rows");
        assert!(
            first.len() > 9_000 && first.len() < 9_800,
            "{}",
            first.len()
        );
        assert!(second.iter().all(|id| !first_set.contains(id)));
        // The same offset and size give the same IDs whatever the seed.
        let again = Generator::new(7, 10_000, Variant::Full).valid_business_ids();
        let again: HashSet<&String> = again.iter().collect();
        assert!(again.iter().filter(|id| first_set.contains(*id)).count() > 8_000);
    }

    #[test]
    fn the_same_seed_writes_the_same_rows() {
        let a = Generator::new(1, 100, Variant::Full);
        let b = Generator::new(1, 100, Variant::Full);
        let (mut x, mut y): ([String; 15], [String; 15]) = Default::default();
        for index in 0..100 {
            a.row(index, &mut x);
            b.row(index, &mut y);
            assert_eq!(x, y);
        }
    }

    #[test]
    fn contacts_and_projects_are_valid_and_linked() {
        use tuonti_domain::RecordKind;
        use tuonti_validation::{RecordOutcome, RecordValidator};
        let generator = Generator::new(5, 300, Variant::Full).with_records();
        let contacts = RecordValidator::new(RecordKind::Contact, RowContext::default());
        let projects = RecordValidator::new(RecordKind::Project, RowContext::default());
        let contact_fields = [
            FieldKey::BusinessId,
            FieldKey::FirstName,
            FieldKey::LastName,
            FieldKey::Title,
            FieldKey::Email,
            FieldKey::Phone,
        ];
        let project_fields = [
            FieldKey::ProjectNumber,
            FieldKey::ProjectName,
            FieldKey::BusinessId,
            FieldKey::ProjectManager,
            FieldKey::Status,
            FieldKey::StartDate,
            FieldKey::EndDate,
            FieldKey::Value,
            FieldKey::ContactPerson,
            FieldKey::Description,
        ];
        let mut contact = [const { String::new() }; 6];
        let mut project = [const { String::new() }; 10];
        let mut outcome = RecordOutcome::default();
        for index in 0..300 {
            generator.project(index, &mut project);
            let mut cells = RowCells::new();
            for (column, (field, value)) in project_fields.iter().zip(&project).enumerate() {
                cells.set(
                    *field,
                    Location::cell(2, column as u32),
                    CellValue::Text(value.clone()),
                );
            }
            projects.validate_into(&cells, &mut outcome);
            assert!(!outcome.has_errors(), "{project:?}: {:?}", outcome.issues);
            for second in [0, 1] {
                generator.contact(index * 2 + second, &mut contact);
                let mut cells = RowCells::new();
                for (column, (field, value)) in contact_fields.iter().zip(&contact).enumerate() {
                    cells.set(
                        *field,
                        Location::cell(2, column as u32),
                        CellValue::Text(value.clone()),
                    );
                }
                contacts.validate_into(&cells, &mut outcome);
                assert!(!outcome.has_errors(), "{contact:?}: {:?}", outcome.issues);
                if second == 0 {
                    assert_eq!(
                        project[8], contact[4],
                        "the project names its first contact"
                    );
                }
            }
        }
    }
}
