//! The kinds of records an import brings: companies, their contacts and their projects.

use crate::field::{FieldKind, FieldSpec, StaticText};
use crate::{CompanyFields, ContactFields, Entity, FieldKey, Lang, ProjectFields};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A kind of record an import reads from its own sheet or file.
///
/// Kinds are planned and written in the order of [`RecordKind::ALL`]: a contact or a project
/// names its company, and a project may name a contact, so every reference points to a kind
/// written before it; references in circles cannot be written.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RecordKind {
    /// Companies (customers, partners, leads); the kind of a file that says nothing else.
    #[default]
    #[serde(rename = "companies")]
    Company,
    /// Contact persons of companies.
    #[serde(rename = "contacts")]
    Contact,
    /// Projects of companies.
    #[serde(rename = "projects")]
    Project,
}

/// The company reference columns of a contact or project sheet, in the order they are tried.
const COMPANY_REFERENCE: [FieldKey; 3] = [
    FieldKey::CustomerNumber,
    FieldKey::BusinessId,
    FieldKey::Name,
];

const COMPANY_FIELDS_ORDER: [FieldKey; 18] = [
    FieldKey::Name,
    FieldKey::NameExtension,
    FieldKey::CustomerNumber,
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
    FieldKey::Notes,
    FieldKey::CompanyType,
    FieldKey::CustomerGroup,
    FieldKey::AccountManager,
];

const CONTACT_FIELDS_ORDER: [FieldKey; 8] = [
    FieldKey::Name,
    FieldKey::CustomerNumber,
    FieldKey::BusinessId,
    FieldKey::FirstName,
    FieldKey::LastName,
    FieldKey::Title,
    FieldKey::Email,
    FieldKey::Phone,
];

const PROJECT_FIELDS_ORDER: [FieldKey; 13] = [
    FieldKey::ProjectNumber,
    FieldKey::ProjectName,
    FieldKey::Name,
    FieldKey::CustomerNumber,
    FieldKey::BusinessId,
    FieldKey::ProjectManager,
    FieldKey::Status,
    FieldKey::StartDate,
    FieldKey::EndDate,
    FieldKey::Value,
    FieldKey::Branch,
    FieldKey::ContactPerson,
    FieldKey::Description,
];

/// The company name column of a contact or project sheet: the company's name, not the
/// person's or the project's (so no plain "nimi" or "name").
static COMPANY_NAME_REFERENCE: FieldSpec = FieldSpec {
    key: "name",
    required: false,
    max_len: 200,
    kind: FieldKind::Text,
    header: StaticText {
        fi: "Yritys",
        sv: "Företag",
        en: "Company",
    },
    synonyms: &[
        "yrityksen nimi",
        "asiakas",
        "asiakkaan nimi",
        "asiakasyritys",
        "organisaatio",
        "företagets namn",
        "kund",
        "kundens namn",
        "company name",
        "customer",
        "customer name",
        "account",
        "account name",
        "organization",
        "organisation",
    ],
    help: StaticText {
        fi: "Yrityksen nimi tarkalleen kuten Yritykset-välilehdellä tai tallennettuna, jos asiakasnumeroa tai Y-tunnusta ei ole.",
        sv: "Företagets namn exakt som på fliken Företag eller som sparat, om kundnummer eller FO-nummer saknas.",
        en: "The company's name exactly as on the Companies sheet or as stored, when there is no customer number or business ID.",
    },
    example: "Esimerkki Oy",
};

static COMPANY_NUMBER_REFERENCE: FieldSpec = FieldSpec {
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
        fi: "Yrityksen asiakasnumero: ensisijainen tapa nimetä yritys.",
        sv: "Företagets kundnummer: det första sättet att ange företaget.",
        en: "The company's customer number: the first way of naming the company.",
    },
    example: "001234",
};

static COMPANY_ID_REFERENCE: FieldSpec = FieldSpec {
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
        "asiakkaan y-tunnus",
        "fo nummer",
        "fo-signum",
        "business id",
        "business identity code",
        "company id",
    ],
    help: StaticText {
        fi: "Yrityksen Y-tunnus, jos asiakasnumeroa ei ole.",
        sv: "Företagets FO-nummer, om kundnummer saknas.",
        en: "The company's business ID, when there is no customer number.",
    },
    example: "0112038-9",
};

/// A contact's email: the email column, described for a person. A project names its contact
/// person by this email, so the example is the project sheet's contact person example.
static CONTACT_EMAIL: FieldSpec = FieldSpec {
    help: StaticText {
        fi: "Yhteyshenkilön sähköpostiosoite. Projekti voi nimetä yhteyshenkilönsä tällä.",
        sv: "Kontaktpersonens e-postadress. Ett projekt kan ange sin kontaktperson med den.",
        en: "The contact's email address. A project can name its contact person by it.",
    },
    example: "maija.meikalainen@esimerkki.fi",
    ..crate::field::FIELDS[FieldKey::Email as usize]
};

/// A contact's phone: the phone column, described for a person.
static CONTACT_PHONE: FieldSpec = FieldSpec {
    help: StaticText {
        fi: "Yhteyshenkilön puhelinnumero, esimerkiksi 040 123 4567 tai +358 40 123 4567.",
        sv: "Kontaktpersonens telefonnummer, till exempel 040 123 4567 eller +358 40 123 4567.",
        en: "The contact's phone number, e.g. 040 123 4567 or +358 40 123 4567.",
    },
    example: "+358 40 123 4567",
    ..crate::field::FIELDS[FieldKey::Phone as usize]
};

impl RecordKind {
    /// Every kind, in the order an import plans and writes them (a kind's references point
    /// only to kinds before it).
    pub const ALL: [RecordKind; 3] = [
        RecordKind::Company,
        RecordKind::Contact,
        RecordKind::Project,
    ];

    /// The stable plural key: `companies`, `contacts` or `projects`.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Company => "companies",
            RecordKind::Contact => "contacts",
            RecordKind::Project => "projects",
        }
    }

    /// The entity a record of this kind is, for errors.
    pub fn entity(self) -> Entity {
        match self {
            RecordKind::Company => Entity::Company,
            RecordKind::Contact => Entity::Contact,
            RecordKind::Project => Entity::Project,
        }
    }

    /// The kind's name as a sheet is named in the template: "Yritykset", "Företag",
    /// "Companies", and so on.
    pub fn sheet_name(self, lang: Lang) -> &'static str {
        self.sheet_names().get(lang)
    }

    fn sheet_names(self) -> StaticText {
        match self {
            RecordKind::Company => StaticText {
                fi: "Yritykset",
                sv: "Företag",
                en: "Companies",
            },
            RecordKind::Contact => StaticText {
                fi: "Yhteyshenkilöt",
                sv: "Kontaktpersoner",
                en: "Contacts",
            },
            RecordKind::Project => StaticText {
                fi: "Projektit",
                sv: "Projekt",
                en: "Projects",
            },
        }
    }

    /// Other words a sheet of this kind is named with, beside the template's names.
    fn sheet_synonyms(self) -> &'static [&'static str] {
        match self {
            RecordKind::Company => &[
                "yritys",
                "asiakkaat",
                "asiakas",
                "asiakasrekisteri",
                "organisaatiot",
                "kunder",
                "företagen",
                "company",
                "customers",
                "accounts",
                "organizations",
            ],
            RecordKind::Contact => &[
                "yhteyshenkilö",
                "yhteystiedot",
                "henkilöt",
                "kontakter",
                "kontaktperson",
                "contact",
                "contact persons",
                "people",
            ],
            RecordKind::Project => &["projekti", "työt", "projekten", "project"],
        }
    }

    /// The kind a sheet's name says, compared after normalization (case, spaces, accents
    /// kept): `None` when the name says no kind ("Taul1", "Data").
    pub fn from_sheet_name(name: &str) -> Option<RecordKind> {
        let key = crate::name_key(name);
        RecordKind::ALL.into_iter().find(|kind| {
            let names = kind.sheet_names();
            [names.fi, names.sv, names.en]
                .into_iter()
                .chain(kind.sheet_synonyms().iter().copied())
                .any(|candidate| crate::name_key(candidate) == key)
        })
    }

    /// The kind's name in `lang`, plural and in lower case: "yritykset", "kontaktpersoner",
    /// "projects".
    pub fn label(self, lang: Lang) -> String {
        self.sheet_name(lang).to_lowercase()
    }

    /// The fields a sheet of this kind may have, in the template's column order.
    pub fn fields(self) -> &'static [FieldKey] {
        match self {
            RecordKind::Company => &COMPANY_FIELDS_ORDER,
            RecordKind::Contact => &CONTACT_FIELDS_ORDER,
            RecordKind::Project => &PROJECT_FIELDS_ORDER,
        }
    }

    /// Whether a sheet of this kind has `field`.
    pub fn has_field(self, field: FieldKey) -> bool {
        self.fields().contains(&field)
    }

    /// The catalog entry of `field` on a sheet of this kind: the field's own, but for the
    /// company reference columns of contact and project sheets, which describe the row's
    /// company (and whose company-name column is not called plain "name"), and for a
    /// contact's email and phone, which are a person's (the same headers and rules).
    pub fn spec(self, field: FieldKey) -> &'static FieldSpec {
        match (self, field) {
            (RecordKind::Contact | RecordKind::Project, FieldKey::Name) => &COMPANY_NAME_REFERENCE,
            (RecordKind::Contact | RecordKind::Project, FieldKey::CustomerNumber) => {
                &COMPANY_NUMBER_REFERENCE
            }
            (RecordKind::Contact | RecordKind::Project, FieldKey::BusinessId) => {
                &COMPANY_ID_REFERENCE
            }
            (RecordKind::Contact, FieldKey::Email) => &CONTACT_EMAIL,
            (RecordKind::Contact, FieldKey::Phone) => &CONTACT_PHONE,
            _ => field.spec(),
        }
    }

    /// The columns that name a row's company, in the order they are tried (customer number,
    /// business ID, name); empty for companies.
    pub fn company_reference(self) -> &'static [FieldKey] {
        match self {
            RecordKind::Company => &[],
            RecordKind::Contact | RecordKind::Project => &COMPANY_REFERENCE,
        }
    }

    /// The field whose cell carries the issues about a whole row (the record's name): where
    /// a row-level message is placed.
    pub fn title_field(self) -> FieldKey {
        match self {
            RecordKind::Company => FieldKey::Name,
            RecordKind::Contact => FieldKey::LastName,
            RecordKind::Project => FieldKey::ProjectName,
        }
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The canonical values of one row, of whichever kind its sheet holds.
// Not boxed: company rows are the most and the hottest (a box would be an allocation per row);
// a contact or project row wastes the difference only while it is planned.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "values")]
pub enum RecordValues {
    /// A company row.
    #[serde(rename = "companies")]
    Company(CompanyFields),
    /// A contact row.
    #[serde(rename = "contacts")]
    Contact(ContactFields),
    /// A project row.
    #[serde(rename = "projects")]
    Project(ProjectFields),
}

impl RecordValues {
    /// Empty values of `kind`.
    pub fn empty(kind: RecordKind) -> Self {
        match kind {
            RecordKind::Company => RecordValues::Company(CompanyFields::default()),
            RecordKind::Contact => RecordValues::Contact(ContactFields::default()),
            RecordKind::Project => RecordValues::Project(ProjectFields::default()),
        }
    }

    /// The kind of record.
    pub fn kind(&self) -> RecordKind {
        match self {
            RecordValues::Company(_) => RecordKind::Company,
            RecordValues::Contact(_) => RecordKind::Contact,
            RecordValues::Project(_) => RecordKind::Project,
        }
    }

    /// The record's title as messages and lists show it: a company's or project's name, a
    /// contact's full name.
    pub fn title(&self) -> String {
        match self {
            RecordValues::Company(fields) => fields.name.clone(),
            RecordValues::Contact(fields) => fields.full_name(),
            RecordValues::Project(fields) => {
                format!("{} {}", fields.project_number, fields.name)
            }
        }
    }

    /// The company values, for a company row.
    pub fn as_company(&self) -> Option<&CompanyFields> {
        match self {
            RecordValues::Company(fields) => Some(fields),
            _ => None,
        }
    }

    /// The contact values, for a contact row.
    pub fn as_contact(&self) -> Option<&ContactFields> {
        match self {
            RecordValues::Contact(fields) => Some(fields),
            _ => None,
        }
    }

    /// The project values, for a project row.
    pub fn as_project(&self) -> Option<&ProjectFields> {
        match self {
            RecordValues::Project(fields) => Some(fields),
            _ => None,
        }
    }
}

impl Default for RecordValues {
    /// Empty company values.
    fn default() -> Self {
        RecordValues::Company(CompanyFields::default())
    }
}

/// The error of parsing a [`RecordKind`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown record kind {:?}; the kinds are companies, contacts and projects", .0)]
pub struct UnknownRecordKind(pub String);

impl FromStr for RecordKind {
    type Err = UnknownRecordKind;

    /// Parses `companies`, `contacts` or `projects` (also singular, and the kinds' names in
    /// Finnish and Swedish).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = crate::name_key(s);
        let kind = match key.as_str() {
            "companies" | "company" => RecordKind::Company,
            "contacts" | "contact" => RecordKind::Contact,
            "projects" | "project" => RecordKind::Project,
            _ => {
                return RecordKind::from_sheet_name(s)
                    .ok_or_else(|| UnknownRecordKind(s.to_owned()));
            }
        };
        Ok(kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_in_three_languages() {
        assert_eq!("projects".parse(), Ok(RecordKind::Project));
        assert_eq!("Yhteyshenkilöt".parse(), Ok(RecordKind::Contact));
        assert_eq!("FÖRETAG".parse(), Ok(RecordKind::Company));
        assert!("Taul1".parse::<RecordKind>().is_err());
        assert_eq!(
            RecordKind::from_sheet_name(" projektit "),
            Some(RecordKind::Project)
        );
        assert_eq!(RecordKind::from_sheet_name("Sheet1"), None);
        for kind in RecordKind::ALL {
            assert_eq!(kind.as_str().parse(), Ok(kind));
            let json = serde_json::to_string(&kind).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
    }

    #[test]
    fn no_header_names_two_fields_of_a_kind() {
        for kind in RecordKind::ALL {
            for &field in kind.fields() {
                for name in kind.spec(field).names() {
                    let normalized = crate::name_key(name);
                    for &other in kind.fields().iter().filter(|other| **other != field) {
                        assert!(
                            !kind
                                .spec(other)
                                .names()
                                .any(|n| crate::name_key(n) == normalized),
                            "{kind}: {name:?} is a name of both {field} and {other}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_contacts_email_and_phone_are_the_fields_described_for_a_person() {
        for field in [FieldKey::Email, FieldKey::Phone] {
            let person = RecordKind::Contact.spec(field);
            let company = field.spec();
            assert_eq!(person.key, company.key);
            assert_eq!(person.header, company.header);
            assert_eq!(person.synonyms, company.synonyms);
            assert_eq!(person.max_len, company.max_len);
            assert_ne!(person.help, company.help);
        }
        // A project's example contact person is the example contact, by email.
        assert_eq!(
            RecordKind::Contact.spec(FieldKey::Email).example,
            FieldKey::ContactPerson.spec().example
        );
    }

    #[test]
    fn every_field_belongs_to_a_kind_and_references_point_back() {
        for field in FieldKey::ALL {
            assert!(
                RecordKind::ALL.iter().any(|kind| kind.has_field(field)),
                "{field} is on no sheet"
            );
        }
        for kind in RecordKind::ALL {
            for field in kind.company_reference() {
                assert!(kind.has_field(*field));
                assert_eq!(kind.spec(*field).key, field.as_str());
            }
            assert!(kind.has_field(kind.title_field()));
        }
    }
}
