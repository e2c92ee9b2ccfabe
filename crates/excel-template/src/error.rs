//! The one error type of this crate.

use std::path::PathBuf;
use tuonti_domain::Lang;

/// What a refused file looks like, when it is not a spreadsheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LooksLike {
    /// An HTML page (some web applications save these with an `.xls` name).
    Html,
    /// A PDF document.
    Pdf,
    /// An image (PNG, JPEG, GIF, BMP, TIFF or WebP).
    Image,
    /// Plain text with no column delimiter.
    PlainText,
    /// An XML document that is not a workbook.
    Xml,
    /// A Word document (doc or docx).
    WordDocument,
    /// A PowerPoint presentation.
    Presentation,
    /// A zip archive that holds no workbook.
    ZipArchive,
    /// Another compressed archive (gzip, 7z, rar).
    Archive,
    /// Binary data of an unknown kind: control bytes in a large share of it.
    Binary,
    /// Text in UTF-16 without a byte-order mark (a zero byte beside every letter), which
    /// cannot be told from other binary data for sure.
    Utf16WithoutBom,
}

impl LooksLike {
    /// A short English description, e.g. `an HTML page`.
    pub fn describe(self) -> &'static str {
        match self {
            LooksLike::Html => "an HTML page",
            LooksLike::Pdf => "a PDF document",
            LooksLike::Image => "an image",
            LooksLike::PlainText => "plain text without columns",
            LooksLike::Xml => "an XML document",
            LooksLike::WordDocument => "a Word document",
            LooksLike::Presentation => "a PowerPoint presentation",
            LooksLike::ZipArchive => "a zip archive without a workbook",
            LooksLike::Archive => "a compressed archive",
            LooksLike::Binary => {
                "binary data of an unknown kind (control bytes in a large share of it)"
            }
            LooksLike::Utf16WithoutBom => {
                "UTF-16 text without a byte-order mark; save it as CSV UTF-8 and try again"
            }
        }
    }
}

impl std::fmt::Display for LooksLike {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.describe())
    }
}

/// Which [`ReadLimits`](crate::ReadLimits) a file went over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Limit {
    /// [`ReadLimits::max_file_bytes`](crate::ReadLimits::max_file_bytes).
    FileBytes,
    /// [`ReadLimits::max_total_unzipped_bytes`](crate::ReadLimits::max_total_unzipped_bytes).
    TotalUnzippedBytes,
    /// [`ReadLimits::max_part_unzipped_bytes`](crate::ReadLimits::max_part_unzipped_bytes).
    PartUnzippedBytes,
    /// [`ReadLimits::max_zip_entries`](crate::ReadLimits::max_zip_entries).
    ZipEntries,
    /// [`ReadLimits::max_cells`](crate::ReadLimits::max_cells).
    Cells,
    /// [`ReadLimits::max_columns`](crate::ReadLimits::max_columns).
    Columns,
    /// [`ReadLimits::max_sheet_extent`](crate::ReadLimits::max_sheet_extent).
    SheetExtent,
}

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Limit::FileBytes => "file size in bytes",
            Limit::TotalUnzippedBytes => "total unpacked size in bytes",
            Limit::PartUnzippedBytes => "unpacked size of one part in bytes",
            Limit::ZipEntries => "number of parts in the zip container",
            Limit::Cells => "number of cells",
            Limit::Columns => "number of columns",
            Limit::SheetExtent => {
                "sheet extent in cells (rows × columns; save the file as xlsx to read it cell \
                 by cell)"
            }
        })
    }
}

/// Why a call of this crate could not go on.
///
/// Bad data in a row is never an error: rows are read as they are and checked later. An error
/// means the file as a whole cannot be used, or a mapping override or a write failed. Every
/// variant names the file (as the caller named it) and, where known, the sheet and the cell.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The file could not be read or written.
    #[error("{}: cannot access the file: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },

    /// The file holds no bytes, or only whitespace.
    #[error("{file}: the file is empty")]
    EmptyFile {
        /// The file name.
        file: String,
    },

    /// The file is not a spreadsheet or CSV file.
    #[error(
        "{file}: not a spreadsheet: the file looks like {looks_like}; expected xlsx, xlsm, xlsb, xls, ods or CSV"
    )]
    NotSpreadsheet {
        /// The file name.
        file: String,
        /// What the bytes look like.
        looks_like: LooksLike,
    },

    /// The file is password-protected (encrypted).
    #[error(
        "{file}: the workbook is password-protected; remove the password (save a copy without it) and try again"
    )]
    Encrypted {
        /// The file name.
        file: String,
    },

    /// The file is a spreadsheet but truncated or damaged.
    #[error("{file}: the {format} file is truncated or damaged: {reason}")]
    Corrupt {
        /// The file name.
        file: String,
        /// The detected format (`xlsx`, `xls`, `csv`, ...).
        format: &'static str,
        /// What went wrong, as the reader said it.
        reason: String,
    },

    /// The file goes over one of the [`ReadLimits`](crate::ReadLimits) (e.g. a zip bomb).
    #[error("{file}: the file is too large: {limit} is over the limit of {max}{}", part.as_ref().map(|p| format!(" (in {p})")).unwrap_or_default())]
    TooLarge {
        /// The file name.
        file: String,
        /// Which limit.
        limit: Limit,
        /// The limit's value.
        max: u64,
        /// The part of the container (or the sheet) where the limit was hit, if known.
        part: Option<String>,
    },

    /// The sheet the caller named is not in the workbook.
    #[error("{file}: there is no sheet {sheet:?}; the sheets are: {}", available.join(", "))]
    SheetNotFound {
        /// The file name.
        file: String,
        /// The sheet asked for.
        sheet: String,
        /// The sheets the workbook has.
        available: Vec<String>,
    },

    /// No header row was found in the first rows of the sheet(s) looked at.
    #[error(
        "{file}: no header row found in the first {rows_searched} rows of {}; expected the column titles of companies (such as Yritys, Y-tunnus, Company name, Business ID), contacts (Sukunimi, Last name) or projects (Projektinumero, Project number)",
        sheets.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ")
    )]
    NoHeaderRow {
        /// The file name.
        file: String,
        /// The sheets looked at (`CSV` for a CSV file).
        sheets: Vec<String>,
        /// How many rows of each sheet were looked at.
        rows_searched: usize,
    },

    /// A mapping override is not of the form `Header=field` or `Header=ignore`.
    #[error("invalid column mapping {text:?}: {reason}; expected Header=field or Header=ignore")]
    InvalidOverride {
        /// The override as given.
        text: String,
        /// What is wrong.
        reason: &'static str,
    },

    /// A mapping override names a field that does not exist.
    #[error("invalid column mapping {text:?}: unknown field {field:?}; the fields are: {}", tuonti_domain::FieldKey::ALL.map(tuonti_domain::FieldKey::as_str).join(", "))]
    UnknownOverrideField {
        /// The override as given.
        text: String,
        /// The unknown field.
        field: String,
    },

    /// A mapping override names a header that is not in the file.
    #[error("column mapping: no column {header:?} in the file; the columns are: {}", available.iter().map(|h| format!("{h:?}")).collect::<Vec<_>>().join(", "))]
    UnknownOverrideHeader {
        /// The header asked for.
        header: String,
        /// The headers the file has.
        available: Vec<String>,
    },

    /// Writing a workbook failed.
    #[error("cannot write the workbook {what}: {source}")]
    Write {
        /// What was being written (`template`, `error workbook`).
        what: &'static str,
        /// The cause.
        #[source]
        source: rust_xlsxwriter::XlsxError,
    },
}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl LooksLike {
    /// A short Finnish description, e.g. `HTML-sivu`.
    pub fn describe_fi(self) -> &'static str {
        match self {
            LooksLike::Html => "HTML-sivu",
            LooksLike::Pdf => "PDF-dokumentti",
            LooksLike::Image => "kuva",
            LooksLike::PlainText => "tavallinen teksti ilman sarakkeita",
            LooksLike::Xml => "XML-dokumentti",
            LooksLike::WordDocument => "Word-asiakirja",
            LooksLike::Presentation => "PowerPoint-esitys",
            LooksLike::ZipArchive => "zip-paketti ilman työkirjaa",
            LooksLike::Archive => "pakattu arkisto",
            LooksLike::Binary => "tuntematonta binääridataa (ohjausmerkkejä suuressa osassa sitä)",
            LooksLike::Utf16WithoutBom => {
                "UTF-16-tekstiä ilman tavujärjestysmerkkiä; tallenna se muodossa CSV UTF-8 ja \
                 yritä uudelleen"
            }
        }
    }
}

impl LooksLike {
    /// A short Swedish description, e.g. `en HTML-sida`.
    pub fn describe_sv(self) -> &'static str {
        match self {
            LooksLike::Html => "en HTML-sida",
            LooksLike::Pdf => "ett PDF-dokument",
            LooksLike::Image => "en bild",
            LooksLike::PlainText => "vanlig text utan kolumner",
            LooksLike::Xml => "ett XML-dokument",
            LooksLike::WordDocument => "ett Word-dokument",
            LooksLike::Presentation => "en PowerPoint-presentation",
            LooksLike::ZipArchive => "ett zip-arkiv utan arbetsbok",
            LooksLike::Archive => "ett komprimerat arkiv",
            LooksLike::Binary => "binärdata av okänt slag (styrtecken i en stor del av den)",
            LooksLike::Utf16WithoutBom => {
                "UTF-16-text utan byteordningsmarkering; spara den som CSV UTF-8 och försök igen"
            }
        }
    }
}

impl Limit {
    fn describe_sv(self) -> &'static str {
        match self {
            Limit::FileBytes => "filens storlek i byte",
            Limit::TotalUnzippedBytes => "den uppackade totala storleken i byte",
            Limit::PartUnzippedBytes => "en dels uppackade storlek i byte",
            Limit::ZipEntries => "antalet delar i zip-paketet",
            Limit::Cells => "antalet celler",
            Limit::Columns => "antalet kolumner",
            Limit::SheetExtent => {
                "bladets omfång i celler (rader × kolumner; spara filen som xlsx så läses den \
                 cell för cell)"
            }
        }
    }

    fn describe_fi(self) -> &'static str {
        match self {
            Limit::FileBytes => "tiedoston koko tavuina",
            Limit::TotalUnzippedBytes => "purettu kokonaiskoko tavuina",
            Limit::PartUnzippedBytes => "yhden osan purettu koko tavuina",
            Limit::ZipEntries => "zip-paketin osien määrä",
            Limit::Cells => "solujen määrä",
            Limit::Columns => "sarakkeiden määrä",
            Limit::SheetExtent => {
                "taulukon laajuus soluina (rivit × sarakkeet; tallenna tiedosto xlsx-muodossa, \
                 niin se luetaan solu kerrallaan)"
            }
        }
    }
}

impl Error {
    /// The message for a user in Finnish, Swedish and English (the English text is the
    /// `Display` form).
    ///
    /// ```
    /// use tuonti_excel_template::Error;
    /// let err = Error::EmptyFile { file: "a.csv".into() };
    /// assert_eq!(err.localized().fi, "a.csv: tiedosto on tyhjä");
    /// assert_eq!(err.localized().sv, "a.csv: filen är tom");
    /// ```
    pub fn localized(&self) -> tuonti_domain::LocalizedText {
        tuonti_domain::LocalizedText::new(self.message_fi(), self.message_sv(), self.to_string())
    }

    fn message_fi(&self) -> String {
        match self {
            Error::Io { path, source } => {
                format!("{}: tiedostoa ei voi käyttää: {source}", path.display())
            }
            Error::EmptyFile { file } => format!("{file}: tiedosto on tyhjä"),
            Error::NotSpreadsheet { file, looks_like } => format!(
                "{file}: ei taulukkotiedosto: tiedosto näyttää olevan {}; odotettiin xlsx-, xlsm-, xlsb-, xls-, ods- tai CSV-tiedostoa",
                looks_like.describe_fi()
            ),
            Error::Encrypted { file } => format!(
                "{file}: työkirja on suojattu salasanalla; poista salasana (tallenna kopio ilman sitä) ja yritä uudelleen"
            ),
            Error::Corrupt {
                file,
                format,
                reason,
            } => format!("{file}: {format}-tiedosto on katkennut tai vioittunut: {reason}"),
            Error::TooLarge {
                file,
                limit,
                max,
                part,
            } => format!(
                "{file}: tiedosto on liian suuri: {} ylittää rajan {max}{}",
                limit.describe_fi(),
                part.as_ref()
                    .map(|p| format!(" (osassa {p})"))
                    .unwrap_or_default()
            ),
            Error::SheetNotFound {
                file,
                sheet,
                available,
            } => format!(
                "{file}: välilehteä {sheet:?} ei ole; välilehdet ovat: {}",
                available.join(", ")
            ),
            Error::NoHeaderRow {
                file,
                sheets,
                rows_searched,
            } => format!(
                "{file}: otsikkoriviä ei löytynyt välilehden {} ensimmäiseltä {rows_searched} riviltä; odotettiin yritysten (kuten Yritys, Y-tunnus, Postinumero), yhteyshenkilöiden (Sukunimi) tai projektien (Projektinumero) sarakeotsikoita",
                quoted(sheets)
            ),
            Error::InvalidOverride { text, reason } => format!(
                "virheellinen sarakevastaavuus {text:?} ({}); odotettiin muotoa Otsikko=kenttä tai Otsikko=ignore",
                override_reason(reason, Lang::Fi)
            ),
            Error::UnknownOverrideField { text, field } => format!(
                "virheellinen sarakevastaavuus {text:?}: tuntematon kenttä {field:?}; kentät ovat: {}",
                field_names()
            ),
            Error::UnknownOverrideHeader { header, available } => format!(
                "sarakevastaavuus: tiedostossa ei ole saraketta {header:?}; sarakkeet ovat: {}",
                quoted(available)
            ),
            Error::Write { what, source } => {
                let what = match *what {
                    "template" => "tuontipohjaa",
                    _ => "virhetyökirjaa",
                };
                format!("{what} ei voi kirjoittaa: {source}")
            }
        }
    }

    fn message_sv(&self) -> String {
        match self {
            Error::Io { path, source } => {
                format!("{}: filen kan inte användas: {source}", path.display())
            }
            Error::EmptyFile { file } => format!("{file}: filen är tom"),
            Error::NotSpreadsheet { file, looks_like } => format!(
                "{file}: inget kalkylblad: filen ser ut att vara {}; väntade en xlsx-, xlsm-, xlsb-, xls-, ods- eller CSV-fil",
                looks_like.describe_sv()
            ),
            Error::Encrypted { file } => format!(
                "{file}: arbetsboken är skyddad med lösenord; ta bort lösenordet (spara en kopia utan det) och försök igen"
            ),
            Error::Corrupt {
                file,
                format,
                reason,
            } => format!("{file}: {format}-filen är avbruten eller skadad: {reason}"),
            Error::TooLarge {
                file,
                limit,
                max,
                part,
            } => format!(
                "{file}: filen är för stor: {} överskrider gränsen {max}{}",
                limit.describe_sv(),
                part.as_ref()
                    .map(|p| format!(" (i {p})"))
                    .unwrap_or_default()
            ),
            Error::SheetNotFound {
                file,
                sheet,
                available,
            } => format!(
                "{file}: bladet {sheet:?} finns inte; bladen är: {}",
                available.join(", ")
            ),
            Error::NoHeaderRow {
                file,
                sheets,
                rows_searched,
            } => format!(
                "{file}: ingen rubrikrad hittades på de {rows_searched} första raderna av {}; väntade kolumnrubriker för företag (till exempel Företag, FO-nummer, Postnummer), kontaktpersoner (Efternamn) eller projekt (Projektnummer)",
                quoted(sheets)
            ),
            Error::InvalidOverride { text, reason } => format!(
                "ogiltig kolumnmappning {text:?} ({}); väntade formen Rubrik=fält eller Rubrik=ignore",
                override_reason(reason, Lang::Sv)
            ),
            Error::UnknownOverrideField { text, field } => format!(
                "ogiltig kolumnmappning {text:?}: okänt fält {field:?}; fälten är: {}",
                field_names()
            ),
            Error::UnknownOverrideHeader { header, available } => format!(
                "kolumnmappning: filen har ingen kolumn {header:?}; kolumnerna är: {}",
                quoted(available)
            ),
            Error::Write { what, source } => {
                let what = match *what {
                    "template" => "importmallen",
                    _ => "felarbetsboken",
                };
                format!("{what} kan inte skrivas: {source}")
            }
        }
    }
}

/// Names in quotes, separated by commas: `"Taul1", "Taul2"`.
fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|name| format!("{name:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The names of every import field, separated by commas.
fn field_names() -> String {
    tuonti_domain::FieldKey::ALL
        .map(tuonti_domain::FieldKey::as_str)
        .join(", ")
}

/// The reason of an [`Error::InvalidOverride`] (given in English) in `lang`.
fn override_reason(reason: &'static str, lang: Lang) -> &'static str {
    let [fi, sv, en] = match reason {
        "no '='" => ["ei merkkiä '='", "inget '='", reason],
        "the header is empty" => ["otsikko on tyhjä", "rubriken är tom", reason],
        "the field is empty" => ["kenttä on tyhjä", "fältet är tomt", reason],
        // Only the three reasons above are made; another would show as given.
        _ => [reason, reason, reason],
    };
    match lang {
        Lang::Fi => fi,
        Lang::Sv => sv,
        Lang::En => en,
    }
}
