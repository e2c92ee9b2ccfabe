//! Countries: ISO 3166-1 codes and names in Finnish, Swedish and English.

use crate::checked::{Checked, Sink, run};
use crate::codes;
use crate::country_data::COUNTRIES;
use crate::text::{Prepared, Raw, prepare, shown};
use std::collections::HashMap;
use std::sync::LazyLock;
use tuonti_domain::{CellValue, FieldKey, Lang, Location};

/// A country of ISO 3166-1 with its names.
///
/// Every ISO country has its codes and its English, Finnish and Swedish names (from the
/// iso-codes project's translations); `other_names` holds official names and names people
/// write (`UK`, `Iso-Britannia`, `Holland`, `Venäjä`, ...), all accepted on import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    /// The alpha-2 code, as stored: `FI`.
    pub alpha2: &'static str,
    /// The alpha-3 code: `FIN`.
    pub alpha3: &'static str,
    /// The numeric code: `246`.
    pub numeric: &'static str,
    /// The English name: `Finland`.
    pub name_en: &'static str,
    /// The Finnish name: `Suomi`.
    pub name_fi: &'static str,
    /// The Swedish name: `Finland`.
    pub name_sv: &'static str,
    /// Other accepted names in any of the three languages.
    pub other_names: &'static [&'static str],
}

impl Country {
    /// The name in `lang`.
    pub fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Fi => self.name_fi,
            Lang::Sv => self.name_sv,
            Lang::En => self.name_en,
        }
    }

    /// Every name and code that identifies the country.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + use<> {
        let fixed = [
            self.alpha2,
            self.alpha3,
            self.name_en,
            self.name_fi,
            self.name_sv,
        ];
        fixed.into_iter().chain(self.other_names.iter().copied())
    }
}

/// Every ISO 3166-1 country (249), sorted by alpha-2 code: the list the template's country
/// dropdown offers.
///
/// ```
/// let countries = tuonti_validation::countries();
/// let finland = countries.iter().find(|c| c.alpha2 == "FI");
/// assert_eq!(finland.map(|c| c.name_fi), Some("Suomi"));
/// ```
pub fn countries() -> &'static [Country] {
    &COUNTRIES
}

fn key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

static BY_NAME: LazyLock<HashMap<String, &'static Country>> = LazyLock::new(|| {
    let mut map = HashMap::with_capacity(COUNTRIES.len() * 6);
    for country in &COUNTRIES {
        for name in country.names() {
            map.entry(key(name)).or_insert(country);
        }
    }
    map
});

/// The country of an alpha-2 code in any case, without allocating.
pub(crate) fn find_alpha2(code: &str) -> Option<&'static Country> {
    let bytes = code.as_bytes();
    if bytes.len() != 2 {
        return None;
    }
    let upper = [bytes[0].to_ascii_uppercase(), bytes[1].to_ascii_uppercase()];
    COUNTRIES
        .binary_search_by(|country| country.alpha2.as_bytes().cmp(&upper[..]))
        .ok()
        .map(|index| &COUNTRIES[index])
}

/// Finds a country by its alpha-2 or alpha-3 code or by a name in Finnish, Swedish or
/// English, ignoring case and extra spaces.
///
/// ```
/// use tuonti_validation::find_country;
/// for name in ["FI", "fin", "Suomi", "finland", "Republic of Finland"] {
///     assert_eq!(find_country(name).map(|c| c.alpha2), Some("FI"));
/// }
/// assert_eq!(find_country("Viro").map(|c| c.alpha2), Some("EE"));
/// assert_eq!(find_country("Atlantis"), None);
/// ```
pub fn find_country(name: &str) -> Option<&'static Country> {
    let trimmed = name.trim();
    find_alpha2(trimmed).or_else(|| BY_NAME.get(&key(trimmed)).copied())
}

/// Validates a country: an ISO 3166 alpha-2 or alpha-3 code, or the name in Finnish,
/// Swedish or English. The value is the alpha-2 code. An empty cell gives `None`; the row
/// validator then uses the import's default country.
///
/// Issues: [`COUNTRY_UNKNOWN`](codes::COUNTRY_UNKNOWN), and the shared `text.*` and `cell.*`
/// issues.
///
/// ```
/// use tuonti_domain::{CellValue, Location};
/// let checked = tuonti_validation::country(&CellValue::Text("Ruotsi".into()), &Location::default());
/// assert_eq!(checked.value.as_deref(), Some("SE"));
/// ```
pub fn country(cell: &CellValue, location: &Location) -> Checked<String> {
    run(FieldKey::Country, location, |sink| {
        country_raw(Raw::from_cell(cell), sink).map(|country| country.alpha2.to_owned())
    })
}

pub(crate) fn country_raw(raw: Raw<'_>, sink: &mut Sink<'_>) -> Option<&'static Country> {
    let text = match prepare(raw, sink) {
        Prepared::Empty | Prepared::Rejected => return None,
        Prepared::Number(number) => CellValue::Number(number).to_string().into(),
        Prepared::Text(text) => text,
    };
    let found = find_country(&text);
    if found.is_none() {
        let shown_value = shown(&text);
        sink.error(
            codes::COUNTRY_UNKNOWN,
            format!(
                "Maata \"{shown_value}\" ei tunneta; odotettiin ISO-maakoodia (FI, FIN) tai maan nimeä suomeksi, ruotsiksi tai englanniksi (Suomi, Finland)."
            ),
            format!(
                "Landet \"{shown_value}\" är okänt; väntade en ISO-landskod (FI, FIN) eller landets namn på finska, svenska eller engelska (Suomi, Finland)."
            ),
            format!(
                "Country \"{shown_value}\" is not known; expected an ISO code (FI, FIN) or the country's name in Finnish, Swedish or English (Suomi, Finland)."
            ),
        );
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_three_languages() {
        for (name, code) in [
            ("Suomi", "FI"),
            ("Ruotsi", "SE"),
            ("Sverige", "SE"),
            ("sweden", "SE"),
            ("Viro", "EE"),
            ("Estland", "EE"),
            ("Estonia", "EE"),
            ("Saksa", "DE"),
            ("Tyskland", "DE"),
            ("Norja", "NO"),
            ("Iso-Britannia", "GB"),
            ("UK", "GB"),
            ("Yhdysvallat", "US"),
            ("USA", "US"),
            ("Kiina", "CN"),
            ("Venäjä", "RU"),
            ("Alankomaat", "NL"),
            ("Holland", "NL"),
            ("Ahvenanmaa", "AX"),
            ("  united   KINGDOM ", "GB"),
            ("DEU", "DE"),
            ("se", "SE"),
        ] {
            assert_eq!(find_country(name).map(|c| c.alpha2), Some(code), "{name}");
        }
    }

    #[test]
    fn every_country_by_code_and_english_name() {
        assert_eq!(countries().len(), 249);
        for country in countries() {
            assert_eq!(find_country(country.alpha2), Some(country));
            assert_eq!(find_country(country.alpha3), Some(country));
            assert_eq!(find_country(country.name_en), Some(country));
        }
    }

    #[test]
    fn no_name_belongs_to_two_countries() {
        let mut seen: HashMap<String, &str> = HashMap::new();
        for country in countries() {
            for name in country.names() {
                if let Some(other) = seen.insert(key(name), country.alpha2) {
                    assert_eq!(other, country.alpha2, "{name}");
                }
            }
        }
    }

    #[test]
    fn unknown_is_an_error() {
        let checked = country(&CellValue::Text("Atlantis".into()), &Location::default());
        assert!(checked.has("country.unknown"));
        assert!(checked.issues[0].message.fi.contains("Atlantis"));
    }
}
