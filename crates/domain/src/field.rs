//! The import field catalog: every column a company, contact or project file may have, in one
//! place.
//!
//! Each field has a stable key, whether it is required, a length limit, its header in Finnish,
//! Swedish and English, synonyms that users write, help text and an example. The template
//! writer, the column mapper and the validators all read this catalog. Which fields a sheet
//! of each [`RecordKind`](crate::RecordKind) has, in the template's order, is
//! [`RecordKind::fields`](crate::RecordKind::fields); the company reference columns of contact
//! and project sheets (customer number, business ID, company name) are the company fields,
//! described for those sheets by [`RecordKind::spec`](crate::RecordKind::spec).

use crate::Lang;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A static text in Finnish, Swedish and English.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaticText {
    /// Finnish.
    pub fi: &'static str,
    /// Swedish.
    pub sv: &'static str,
    /// English.
    pub en: &'static str,
}

impl StaticText {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Fi => self.fi,
            Lang::Sv => self.sv,
            Lang::En => self.en,
        }
    }
}

/// The key of an import field of any record kind (see [`RecordKind`](crate::RecordKind)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FieldKey {
    /// Company name (required).
    Name,
    /// Second line of the name.
    NameExtension,
    /// Y-tunnus.
    BusinessId,
    /// VAT number.
    VatNumber,
    /// Street address.
    StreetAddress,
    /// Postal code.
    PostalCode,
    /// City.
    City,
    /// Country.
    Country,
    /// Phone.
    Phone,
    /// Email.
    Email,
    /// Website.
    Website,
    /// E-invoice address.
    EInvoiceAddress,
    /// E-invoice operator.
    EInvoiceOperator,
    /// Per-row company type, overriding the import's choice.
    CompanyType,
    /// Per-row customer group, overriding the import's choice.
    CustomerGroup,
    /// Per-row account manager, overriding the import's choice.
    AccountManager,
    /// The previous system's customer number of a company: text, leading zeros kept, unique
    /// when present, the first key a row is matched by. On contact and project sheets: the
    /// customer number of the row's company.
    CustomerNumber,
    /// Free-form notes on a company (long text).
    Notes,
    /// A contact's first name.
    FirstName,
    /// A contact's last name (required).
    LastName,
    /// A contact's title.
    Title,
    /// A project's number (required, unique, text; the project's key).
    ProjectNumber,
    /// A project's name (required).
    ProjectName,
    /// A project's manager: an active user by email or name.
    ProjectManager,
    /// A project's status (offer, active, on hold, completed, cancelled).
    Status,
    /// A project's first day.
    StartDate,
    /// A project's last day.
    EndDate,
    /// A project's value in euros.
    Value,
    /// A project's branch of business.
    Branch,
    /// A project's contact person at the customer, by email or name.
    ContactPerson,
    /// A project's description (long text).
    Description,
}

impl FieldKey {
    /// Every key of every record kind (a kind's own, in its template's order, are
    /// [`RecordKind::fields`](crate::RecordKind::fields)).
    pub const ALL: [FieldKey; 31] = [
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
        FieldKey::CompanyType,
        FieldKey::CustomerGroup,
        FieldKey::AccountManager,
        FieldKey::CustomerNumber,
        FieldKey::Notes,
        FieldKey::FirstName,
        FieldKey::LastName,
        FieldKey::Title,
        FieldKey::ProjectNumber,
        FieldKey::ProjectName,
        FieldKey::ProjectManager,
        FieldKey::Status,
        FieldKey::StartDate,
        FieldKey::EndDate,
        FieldKey::Value,
        FieldKey::Branch,
        FieldKey::ContactPerson,
        FieldKey::Description,
    ];

    /// The stable key, e.g. `business_id`.
    pub fn as_str(self) -> &'static str {
        self.spec().key
    }

    /// The field's catalog entry.
    pub fn spec(self) -> &'static FieldSpec {
        // The catalog lists every key in `ALL` order; the test `catalog_is_in_key_order`
        // keeps the two in step, so the index is always in range.
        &FIELDS[self as usize]
    }
}

impl fmt::Display for FieldKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing a [`FieldKey`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown field {:?}; the fields are: {}", .0, FieldKey::ALL.map(FieldKey::as_str).join(", "))]
pub struct UnknownField(pub String);

impl FromStr for FieldKey {
    type Err = UnknownField;

    /// Parses a stable key such as `business_id` (case and `-`/`_` insensitive).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase().replace('-', "_");
        FieldKey::ALL
            .into_iter()
            .find(|key| key.as_str() == wanted)
            .ok_or_else(|| UnknownField(s.to_owned()))
    }
}

/// What kind of value a field holds, for the template and the validators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldKind {
    /// Free text.
    Text,
    /// An identifier or code whose leading zeros matter: the template formats it as text.
    Identifier,
    /// A choice among stored records (type, group, manager): the template gives a dropdown.
    Choice,
    /// Long free text (notes, descriptions): the template gives a wide, wrapping column.
    LongText,
    /// A date: the template formats the column as a date.
    Date,
    /// An amount of euros: the template formats the column as a number with two decimals.
    Money,
}

/// One field of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// The key.
    pub key: &'static str,
    /// Whether every row must have a value.
    pub required: bool,
    /// The longest accepted value, in characters, after trimming. Longer is an error, never cut.
    pub max_len: usize,
    /// What kind of value it holds.
    pub kind: FieldKind,
    /// The header in the template, per language.
    pub header: StaticText,
    /// Other headers users write for it, in any language (compared after normalization).
    pub synonyms: &'static [&'static str],
    /// What to write in the column.
    pub help: StaticText,
    /// An example value.
    pub example: &'static str,
}

impl FieldSpec {
    /// The header in `lang`.
    pub fn header(&self, lang: Lang) -> &'static str {
        self.header.get(lang)
    }

    /// The headers in all three languages and the synonyms.
    pub fn names(&self) -> impl Iterator<Item = &'static str> {
        [self.header.fi, self.header.sv, self.header.en]
            .into_iter()
            .chain(self.synonyms.iter().copied())
    }
}

/// Every field's catalog entry; index `i` describes `FieldKey::ALL[i]`.
pub static FIELDS: [FieldSpec; 31] = [
    FieldSpec {
        key: "name",
        required: true,
        max_len: 200,
        kind: FieldKind::Text,
        header: StaticText {
            fi: "Yritys",
            sv: "Företag",
            en: "Company name",
        },
        synonyms: &[
            "yrityksen nimi",
            "nimi",
            "asiakas",
            "asiakkaan nimi",
            "organisaatio",
            "yritys nimi",
            "företagets namn",
            "namn",
            "kund",
            "company",
            "name",
            "account",
            "account name",
            "organization",
            "organisation",
        ],
        help: StaticText {
            fi: "Yrityksen virallinen nimi. Pakollinen.",
            sv: "Företagets officiella namn. Obligatoriskt.",
            en: "The company's official name. Required.",
        },
        example: "Esimerkki Oy",
    },
    FieldSpec {
        key: "name_extension",
        required: false,
        max_len: 200,
        kind: FieldKind::Text,
        header: StaticText {
            fi: "Nimen jatke",
            sv: "Namnfortsättning",
            en: "Name line 2",
        },
        synonyms: &["nimi 2", "nimi2", "lisänimi", "name 2", "name extension"],
        help: StaticText {
            fi: "Nimen toinen rivi, esimerkiksi osasto.",
            sv: "Namnets andra rad, till exempel avdelning.",
            en: "A second line of the name, e.g. a department.",
        },
        example: "Helsingin toimipiste",
    },
    FieldSpec {
        key: "business_id",
        required: false,
        max_len: 20,
        kind: FieldKind::Identifier,
        header: StaticText {
            fi: "Y-tunnus",
            sv: "FO-nummer",
            en: "Business ID",
        },
        synonyms: &[
            "ytunnus",
            "y tunnus",
            "yritystunnus",
            "y-tunnus/hetu",
            "fo nummer",
            "fo-signum",
            "business id",
            "business identity code",
            "company id",
            "registration number",
        ],
        help: StaticText {
            fi: "Suomalainen Y-tunnus muodossa 1234567-8. Tarkistusnumero tarkistetaan.",
            sv: "Finskt FO-nummer i formen 1234567-8. Kontrollsiffran kontrolleras.",
            en: "Finnish business ID in the form 1234567-8. The check digit is verified.",
        },
        example: "0112038-9",
    },
    FieldSpec {
        key: "vat_number",
        required: false,
        max_len: 20,
        kind: FieldKind::Identifier,
        header: StaticText {
            fi: "ALV-numero",
            sv: "Momsnummer",
            en: "VAT number",
        },
        synonyms: &[
            "alv-tunnus",
            "alv tunnus",
            "alv numero",
            "arvonlisäverotunnus",
            "momsregistreringsnummer",
            "moms nr",
            "vat",
            "vat id",
            "vat number",
            "vat no",
        ],
        help: StaticText {
            fi: "Arvonlisäverotunniste, Suomessa FI ja Y-tunnuksen numerot: FI01120389.",
            sv: "Momsregistreringsnummer, i Finland FI och FO-numrets siffror: FI01120389.",
            en: "VAT number; in Finland FI and the business ID's digits: FI01120389.",
        },
        example: "FI01120389",
    },
    FieldSpec {
        key: "street_address",
        required: false,
        max_len: 500,
        kind: FieldKind::Text,
        header: StaticText {
            fi: "Osoite",
            sv: "Adress",
            en: "Street address",
        },
        synonyms: &[
            "katuosoite",
            "lähiosoite",
            "postiosoite",
            "käyntiosoite",
            "gatuadress",
            "postadress",
            "address",
            "street",
            "address line 1",
        ],
        help: StaticText {
            fi: "Katuosoite. Useampi rivi sallitaan.",
            sv: "Gatuadress. Flera rader tillåts.",
            en: "Street address. Several lines are allowed.",
        },
        example: "Mannerheimintie 1 A",
    },
    FieldSpec {
        key: "postal_code",
        required: false,
        max_len: 20,
        kind: FieldKind::Identifier,
        header: StaticText {
            fi: "Postinumero",
            sv: "Postnummer",
            en: "Postal code",
        },
        synonyms: &[
            "postinro",
            "postinumero",
            "post nr",
            "postnr",
            "zip",
            "zip code",
            "postcode",
            "post code",
        ],
        help: StaticText {
            fi: "Suomessa viisi numeroa, esimerkiksi 00100.",
            sv: "I Finland fem siffror, till exempel 00100.",
            en: "In Finland five digits, e.g. 00100.",
        },
        example: "00100",
    },
    FieldSpec {
        key: "city",
        required: false,
        max_len: 100,
        kind: FieldKind::Text,
        header: StaticText {
            fi: "Postitoimipaikka",
            sv: "Postanstalt",
            en: "City",
        },
        synonyms: &[
            "kaupunki",
            "paikkakunta",
            "kunta",
            "toimipaikka",
            "ort",
            "stad",
            "postort",
            "town",
        ],
        help: StaticText {
            fi: "Postitoimipaikka tai kaupunki.",
            sv: "Postanstalt eller stad.",
            en: "Post office or city.",
        },
        example: "Helsinki",
    },
    FieldSpec {
        key: "country",
        required: false,
        max_len: 100,
        kind: FieldKind::Choice,
        header: StaticText {
            fi: "Maa",
            sv: "Land",
            en: "Country",
        },
        synonyms: &["valtio", "maakoodi", "country code", "landskod"],
        help: StaticText {
            fi: "Maan nimi tai ISO-koodi (FI). Tyhjä tarkoittaa tuonnin oletusmaata.",
            sv: "Landets namn eller ISO-kod (FI). Tomt betyder importens standardland.",
            en: "Country name or ISO code (FI). Empty means the import's default country.",
        },
        example: "FI",
    },
    FieldSpec {
        key: "phone",
        required: false,
        max_len: 40,
        kind: FieldKind::Identifier,
        header: StaticText {
            fi: "Puhelin",
            sv: "Telefon",
            en: "Phone",
        },
        synonyms: &[
            "puhelinnumero",
            "puh",
            "puh.",
            "vaihde",
            "telefonnummer",
            "tel",
            "phone number",
            "telephone",
        ],
        help: StaticText {
            fi: "Puhelinnumero, esimerkiksi 09 123 4567 tai +358 40 123 4567.",
            sv: "Telefonnummer, till exempel 09 123 4567 eller +358 40 123 4567.",
            en: "Phone number, e.g. 09 123 4567 or +358 40 123 4567.",
        },
        example: "+358 9 123 4567",
    },
    FieldSpec {
        key: "email",
        required: false,
        max_len: 254,
        kind: FieldKind::Text,
        header: StaticText {
            fi: "Sähköposti",
            sv: "E-post",
            en: "Email",
        },
        synonyms: &[
            "sähköpostiosoite",
            "sposti",
            "s-posti",
            "e-postadress",
            "e-mail",
            "email address",
            "mail",
        ],
        help: StaticText {
            fi: "Yrityksen yleinen sähköpostiosoite.",
            sv: "Företagets allmänna e-postadress.",
            en: "The company's general email address.",
        },
        example: "info@esimerkki.fi",
    },
    FieldSpec {
        key: "website",
        required: false,
        max_len: 500,
        kind: FieldKind::Text,
        header: StaticText {
            fi: "Verkkosivut",
            sv: "Webbplats",
            en: "Website",
        },
        synonyms: &[
            "www",
            "kotisivu",
            "kotisivut",
            "verkkosivu",
            "www-osoite",
            "hemsida",
            "web",
            "url",
            "homepage",
        ],
        help: StaticText {
            fi: "Verkkosivujen osoite; https:// lisätään tarvittaessa.",
            sv: "Webbadress; https:// läggs till vid behov.",
            en: "Website address; https:// is added when missing.",
        },
        example: "www.esimerkki.fi",
    },
    FieldSpec {
        key: "e_invoice_address",
        required: false,
        max_len: 40,
        kind: FieldKind::Identifier,
        header: StaticText {
            fi: "Verkkolaskuosoite",
            sv: "E-fakturaadress",
            en: "E-invoice address",
        },
        synonyms: &[
            "ovt",
            "ovt-tunnus",
            "ovt tunnus",
            "verkkolasku",
            "verkkolaskutusosoite",
            "nätfakturaadress",
            "e-invoice",
            "einvoice address",
            "edi code",
        ],
        help: StaticText {
            fi: "OVT-tunnus (0037 + Y-tunnuksen numerot + valinnainen tarkenne) tai IBAN.",
            sv: "OVT-kod (0037 + FO-numrets siffror + valfritt tillägg) eller IBAN.",
            en: "OVT code (0037 + the business ID's digits + optional suffix) or an IBAN.",
        },
        example: "003701120389",
    },
    FieldSpec {
        key: "e_invoice_operator",
        required: false,
        max_len: 40,
        kind: FieldKind::Identifier,
        header: StaticText {
            fi: "Verkkolaskuoperaattori",
            sv: "E-fakturaoperatör",
            en: "E-invoice operator",
        },
        synonyms: &[
            "välittäjätunnus",
            "välittäjä",
            "operaattori",
            "operaattoritunnus",
            "förmedlarkod",
            "operatör",
            "operator",
            "operator id",
            "intermediator",
        ],
        help: StaticText {
            fi: "Välittäjän tunnus: OVT-muotoinen koodi tai BIC, esimerkiksi 003721291126 tai NDEAFIHH.",
            sv: "Förmedlarkod: en OVT-kod eller BIC, till exempel 003721291126 eller NDEAFIHH.",
            en: "Operator ID: an OVT-form code or a BIC, e.g. 003721291126 or NDEAFIHH.",
        },
        example: "003721291126",
    },
    FieldSpec {
        key: "company_type",
        required: false,
        max_len: 100,
        kind: FieldKind::Choice,
        header: StaticText {
            fi: "Yritystyyppi",
            sv: "Företagstyp",
            en: "Company type",
        },
        synonyms: &[
            "tyyppi",
            "yritysryhmä",
            "asiakastyyppi",
            "typ",
            "kundtyp",
            "type",
            "account type",
        ],
        help: StaticText {
            fi: "Valinnainen: korvaa tuonnissa valitun yritystyypin tällä rivillä.",
            sv: "Valfritt: ersätter företagstypen som valts för importen på denna rad.",
            en: "Optional: overrides the company type chosen for the import on this row.",
        },
        example: "Asiakas",
    },
    FieldSpec {
        key: "customer_group",
        required: false,
        max_len: 100,
        kind: FieldKind::Choice,
        header: StaticText {
            fi: "Asiakkuusryhmä",
            sv: "Kundgrupp",
            en: "Customer group",
        },
        synonyms: &["asiakasryhmä", "ryhmä", "grupp", "group", "account group"],
        help: StaticText {
            fi: "Valinnainen: korvaa tuonnissa valitun asiakkuusryhmän tällä rivillä.",
            sv: "Valfritt: ersätter kundgruppen som valts för importen på denna rad.",
            en: "Optional: overrides the customer group chosen for the import on this row.",
        },
        example: "Helsinki",
    },
    FieldSpec {
        key: "account_manager",
        required: false,
        max_len: 254,
        kind: FieldKind::Choice,
        header: StaticText {
            fi: "Asiakkuusjohtaja",
            sv: "Kundansvarig",
            en: "Account manager",
        },
        synonyms: &[
            "asiakasvastaava",
            "vastuuhenkilö",
            "myyjä",
            "omistaja",
            "säljare",
            "ansvarig",
            "owner",
            "account owner",
            "sales rep",
        ],
        help: StaticText {
            fi: "Valinnainen: käyttäjän sähköposti tai nimi; korvaa tuonnissa valitun asiakkuusjohtajan tällä rivillä.",
            sv: "Valfritt: användarens e-post eller namn; ersätter kundansvarig som valts för importen på denna rad.",
            en: "Optional: a user's email or name; overrides the account manager chosen for the import on this row.",
        },
        example: "matti@esimerkki.fi",
    },
    FieldSpec {
        key: "customer_number",
        required: false,
        max_len: 50,
        kind: FieldKind::Identifier,
        header: StaticText {
            fi: "Asiakasnumero",
            sv: "Kundnummer",
            en: "Customer number",
        },
        synonyms: &[
            "asiakasnro",
            "asiakas nro",
            "asiakkaan numero",
            "asiakastunnus",
            "kundnr",
            "kund nr",
            "customer no",
            "customer id",
            "account number",
            "account no",
        ],
        help: StaticText {
            fi: "Edellisen järjestelmän asiakasnumero. Etunollat säilyvät; sama numero vain yhdellä yrityksellä. Tuonti tunnistaa tallennetun yrityksen ensisijaisesti tästä.",
            sv: "Kundnumret i det tidigare systemet. Inledande nollor bevaras; samma nummer bara för ett företag. Importen känner igen ett sparat företag i första hand på detta.",
            en: "The previous system's customer number. Leading zeros are kept; a number belongs to one company. An import matches a stored company by it first.",
        },
        example: "001234",
    },
    FieldSpec {
        key: "notes",
        required: false,
        max_len: 10000,
        kind: FieldKind::LongText,
        header: StaticText {
            fi: "Lisätiedot",
            sv: "Anteckningar",
            en: "Notes",
        },
        synonyms: &[
            "muistiinpanot",
            "huomautukset",
            "kommentit",
            "tilläggsuppgifter",
            "kommentarer",
            "comments",
            "remarks",
        ],
        help: StaticText {
            fi: "Vapaamuotoiset lisätiedot yrityksestä.",
            sv: "Fritt formulerade anteckningar om företaget.",
            en: "Free-form notes on the company.",
        },
        example: "Asiakas vuodesta 2015",
    },
    FieldSpec {
        key: "first_name",
        required: false,
        max_len: 100,
        kind: FieldKind::Text,
        header: StaticText {
            fi: "Etunimi",
            sv: "Förnamn",
            en: "First name",
        },
        synonyms: &["etunimet", "given name", "forename"],
        help: StaticText {
            fi: "Yhteyshenkilön etunimi.",
            sv: "Kontaktpersonens förnamn.",
            en: "The contact's first name.",
        },
        example: "Maija",
    },
    FieldSpec {
        key: "last_name",
        required: true,
        max_len: 100,
        kind: FieldKind::Text,
        header: StaticText {
            fi: "Sukunimi",
            sv: "Efternamn",
            en: "Last name",
        },
        synonyms: &["surname", "family name"],
        help: StaticText {
            fi: "Yhteyshenkilön sukunimi. Pakollinen.",
            sv: "Kontaktpersonens efternamn. Obligatoriskt.",
            en: "The contact's last name. Required.",
        },
        example: "Meikäläinen",
    },
    FieldSpec {
        key: "title",
        required: false,
        max_len: 100,
        kind: FieldKind::Text,
        header: StaticText {
            fi: "Titteli",
            sv: "Titel",
            en: "Title",
        },
        synonyms: &[
            "tehtävänimike",
            "nimike",
            "asema",
            "rooli",
            "befattning",
            "job title",
            "position",
            "role",
        ],
        help: StaticText {
            fi: "Yhteyshenkilön titteli tai tehtävä.",
            sv: "Kontaktpersonens titel eller befattning.",
            en: "The contact's title or role.",
        },
        example: "Toimitusjohtaja",
    },
    FieldSpec {
        key: "project_number",
        required: true,
        max_len: 50,
        kind: FieldKind::Identifier,
        header: StaticText {
            fi: "Projektinumero",
            sv: "Projektnummer",
            en: "Project number",
        },
        synonyms: &[
            "projektinro",
            "projekti nro",
            "projektin numero",
            "projektitunnus",
            "projekt nr",
            "project no",
            "project id",
            "project code",
        ],
        help: StaticText {
            fi: "Projektin numero edellisessä järjestelmässä. Pakollinen; etunollat säilyvät; sama numero vain yhdellä projektilla. Tuonti tunnistaa tallennetun projektin tästä.",
            sv: "Projektets nummer i det tidigare systemet. Obligatoriskt; inledande nollor bevaras; samma nummer bara för ett projekt. Importen känner igen ett sparat projekt på detta.",
            en: "The project's number in the previous system. Required; leading zeros are kept; a number belongs to one project. An import matches a stored project by it.",
        },
        example: "P-0001",
    },
    FieldSpec {
        key: "project_name",
        required: true,
        max_len: 200,
        kind: FieldKind::Text,
        header: StaticText {
            fi: "Projektin nimi",
            sv: "Projektnamn",
            en: "Project name",
        },
        synonyms: &[
            "projekti",
            "projektinimi",
            "työ",
            "työn nimi",
            "projekt",
            "project",
            "project title",
        ],
        help: StaticText {
            fi: "Projektin nimi. Pakollinen.",
            sv: "Projektets namn. Obligatoriskt.",
            en: "The project's name. Required.",
        },
        example: "Verkkosivu-uudistus",
    },
    FieldSpec {
        key: "project_manager",
        required: false,
        max_len: 254,
        kind: FieldKind::Choice,
        header: StaticText {
            fi: "Projektipäällikkö",
            sv: "Projektledare",
            en: "Project manager",
        },
        synonyms: &[
            "projektin vastuuhenkilö",
            "vastuuhenkilö",
            "pp",
            "projektansvarig",
            "ansvarig",
            "owner",
            "project owner",
            "pm",
        ],
        help: StaticText {
            fi: "Valinnainen: käyttäjän sähköposti tai nimi.",
            sv: "Valfritt: användarens e-post eller namn.",
            en: "Optional: a user's email or name.",
        },
        example: "matti@esimerkki.fi",
    },
    FieldSpec {
        key: "status",
        required: false,
        max_len: 30,
        kind: FieldKind::Choice,
        header: StaticText {
            fi: "Tila",
            sv: "Status",
            en: "Status",
        },
        synonyms: &[
            "projektin tila",
            "vaihe",
            "projektstatus",
            "läge",
            "state",
            "stage",
            "project status",
        ],
        help: StaticText {
            fi: "Tarjous, käynnissä, tauolla, valmis tai peruttu (myös ruotsiksi tai englanniksi). Tyhjä: käynnissä.",
            sv: "Offert, pågående, pausad, avslutad eller avbruten (också på finska eller engelska). Tomt: pågående.",
            en: "Offer, active, on hold, completed or cancelled (also in Finnish or Swedish). Empty: active.",
        },
        example: "Käynnissä",
    },
    FieldSpec {
        key: "start_date",
        required: false,
        max_len: 30,
        kind: FieldKind::Date,
        header: StaticText {
            fi: "Aloituspäivä",
            sv: "Startdatum",
            en: "Start date",
        },
        synonyms: &[
            "alkupäivä",
            "alkamispäivä",
            "aloitus",
            "alkaa",
            "startdag",
            "start",
            "starts",
            "begin date",
        ],
        help: StaticText {
            fi: "Päivämäärä muodossa p.k.vvvv (tai Excelin päivämäärä).",
            sv: "Datum i formen d.m.åååå (eller ett Excel-datum).",
            en: "A date as d.m.yyyy (or an Excel date).",
        },
        example: "1.3.2024",
    },
    FieldSpec {
        key: "end_date",
        required: false,
        max_len: 30,
        kind: FieldKind::Date,
        header: StaticText {
            fi: "Lopetuspäivä",
            sv: "Slutdatum",
            en: "End date",
        },
        synonyms: &[
            "loppupäivä",
            "päättymispäivä",
            "päättyy",
            "lopetus",
            "slutdag",
            "end",
            "ends",
            "due date",
        ],
        help: StaticText {
            fi: "Päivämäärä muodossa p.k.vvvv; ei ennen aloituspäivää.",
            sv: "Datum i formen d.m.åååå; inte före startdatumet.",
            en: "A date as d.m.yyyy; not before the start date.",
        },
        example: "31.12.2024",
    },
    FieldSpec {
        key: "value",
        required: false,
        max_len: 40,
        kind: FieldKind::Money,
        header: StaticText {
            fi: "Arvo (€)",
            sv: "Värde (€)",
            en: "Value (€)",
        },
        synonyms: &[
            "arvo",
            "arvo eur",
            "projektin arvo",
            "myynti",
            "hinta",
            "summa",
            "budjetti",
            "värde",
            "försäljning",
            "belopp",
            "value",
            "value eur",
            "amount",
            "sales",
            "price",
            "budget",
            "project value",
        ],
        help: StaticText {
            fi: "Projektin arvo euroina, esimerkiksi 12 500,00. Ei negatiivinen.",
            sv: "Projektets värde i euro, till exempel 12 500,00. Inte negativt.",
            en: "The project's value in euros, e.g. 12,500.00. Not negative.",
        },
        example: "12500",
    },
    FieldSpec {
        key: "branch",
        required: false,
        max_len: 100,
        kind: FieldKind::Choice,
        header: StaticText {
            fi: "Toimiala",
            sv: "Bransch",
            en: "Branch",
        },
        synonyms: &[
            "toimialat",
            "ala",
            "branch of business",
            "industry",
            "industri",
        ],
        help: StaticText {
            fi: "Valinnainen: projektin toimiala asetuksista.",
            sv: "Valfritt: projektets bransch från inställningarna.",
            en: "Optional: the project's branch of business from the settings.",
        },
        example: "Ohjelmistot",
    },
    FieldSpec {
        key: "contact_person",
        required: false,
        max_len: 254,
        kind: FieldKind::Text,
        header: StaticText {
            fi: "Yhteyshenkilö",
            sv: "Kontaktperson",
            en: "Contact person",
        },
        synonyms: &[
            "asiakkaan yhteyshenkilö",
            "yhteyshlö",
            "kontakt",
            "contact",
            "customer contact",
        ],
        help: StaticText {
            fi: "Valinnainen: asiakkaan yhteyshenkilön sähköposti tai nimi (tallennettu tai samassa tuonnissa).",
            sv: "Valfritt: kundens kontaktpersons e-post eller namn (sparad eller i samma import).",
            en: "Optional: the customer contact's email or name (stored, or in the same import).",
        },
        example: "maija.meikalainen@esimerkki.fi",
    },
    FieldSpec {
        key: "description",
        required: false,
        max_len: 10000,
        kind: FieldKind::LongText,
        header: StaticText {
            fi: "Kuvaus",
            sv: "Beskrivning",
            en: "Description",
        },
        synonyms: &[
            "projektin kuvaus",
            "selite",
            "lisätiedot",
            "details",
            "notes",
        ],
        help: StaticText {
            fi: "Vapaamuotoinen kuvaus projektista.",
            sv: "Fritt formulerad beskrivning av projektet.",
            en: "A free-form description of the project.",
        },
        example: "Uusi verkkosivusto ja ylläpito",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_is_in_key_order() {
        for (index, key) in FieldKey::ALL.into_iter().enumerate() {
            assert_eq!(key as usize, index);
            let expected = serde_json_key(key);
            assert_eq!(key.spec().key, expected);
        }
    }

    fn serde_json_key(key: FieldKey) -> String {
        serde_json::to_value(key)
            .ok()
            .and_then(|value| value.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    #[test]
    fn keys_parse_back() {
        for key in FieldKey::ALL {
            assert_eq!(key.as_str().parse::<FieldKey>(), Ok(key));
        }
        assert_eq!("Business-ID".parse::<FieldKey>(), Ok(FieldKey::BusinessId));
        assert!("shoe_size".parse::<FieldKey>().is_err());
    }
}
