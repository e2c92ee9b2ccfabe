//! Telling the file format from the bytes, and the guards that run before any parser does.

use crate::error::{Error, Limit, LooksLike, Result};
use serde::{Deserialize, Serialize};
use std::io::{Cursor, Read};

/// Limits that keep a hostile or broken file from taking unbounded time or memory.
///
/// The defaults allow a 1,000,000-row, 20-column sheet and refuse a zip bomb within a second or
/// two. Unzipped sizes are counted while inflating, never taken from what the archive claims.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadLimits {
    /// The largest file accepted, in bytes. Default 200 MiB.
    pub max_file_bytes: u64,
    /// The most bytes all parts of a zip container (xlsx, xlsm, xlsb, ods) may unpack to.
    /// Default 2 GiB.
    pub max_total_unzipped_bytes: u64,
    /// The most bytes one part of a zip container may unpack to. Default 1 GiB.
    pub max_part_unzipped_bytes: u64,
    /// The most parts a zip container may have. Default 10,000.
    pub max_zip_entries: usize,
    /// The most non-empty cells read from one sheet. Default 30,000,000.
    pub max_cells: u64,
    /// The largest sheet extent (rows × columns, from the first cell to the last) read from
    /// a format whose reader lays every cell of the extent out in memory before it gives any
    /// (xls and ods, read through calamine: some 60 bytes a cell): checked before the sheet
    /// is parsed, from the extent an xls sheet declares (its DIMENSIONS record) or an ods
    /// sheet's rows and columns up to its last value. Default 2,000,000 cells (65,536 xls
    /// rows of 30 columns), so that no such file takes more than about 300 MB to read
    /// however small it is. xlsx, xlsb and CSV are read cell by cell and are not limited by
    /// it.
    #[serde(default = "default_max_sheet_extent")]
    pub max_sheet_extent: u64,
    /// The most columns a row may have (a value further right is refused). Default 16,384,
    /// Excel's limit.
    pub max_columns: u32,
}

impl Default for ReadLimits {
    fn default() -> Self {
        Self {
            max_file_bytes: 200 << 20,
            max_total_unzipped_bytes: 2 << 30,
            max_part_unzipped_bytes: 1 << 30,
            max_zip_entries: 10_000,
            max_cells: 30_000_000,
            max_sheet_extent: default_max_sheet_extent(),
            max_columns: 16_384,
        }
    }
}

fn default_max_sheet_extent() -> u64 {
    2_000_000
}

/// The format of a file, told from its bytes (never from its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum FileFormat {
    /// Office Open XML workbook.
    Xlsx,
    /// Office Open XML workbook with macros (the macros are never run).
    Xlsm,
    /// Excel binary workbook.
    Xlsb,
    /// Excel 97–2003 workbook.
    Xls,
    /// OpenDocument spreadsheet.
    Ods,
    /// Delimited text.
    Csv,
}

impl FileFormat {
    /// `xlsx`, `xlsm`, `xlsb`, `xls`, `ods` or `csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            FileFormat::Xlsx => "xlsx",
            FileFormat::Xlsm => "xlsm",
            FileFormat::Xlsb => "xlsb",
            FileFormat::Xls => "xls",
            FileFormat::Ods => "ods",
            FileFormat::Csv => "csv",
        }
    }
}

impl std::fmt::Display for FileFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The text encoding of a CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum TextEncoding {
    /// UTF-8 without a byte order mark.
    #[serde(rename = "utf-8")]
    Utf8,
    /// UTF-8 with a byte order mark (as Excel saves "CSV UTF-8").
    #[serde(rename = "utf-8-bom")]
    Utf8Bom,
    /// UTF-16 little endian with a byte order mark (Excel's "Unicode text").
    #[serde(rename = "utf-16le")]
    Utf16Le,
    /// UTF-16 big endian with a byte order mark.
    #[serde(rename = "utf-16be")]
    Utf16Be,
    /// Windows-1252 (Western European; what Excel on Windows saves as plain "CSV").
    #[serde(rename = "windows-1252")]
    Windows1252,
}

impl TextEncoding {
    /// The name as in the JSON form: `utf-8`, `utf-8-bom`, `utf-16le`, `utf-16be`, `windows-1252`.
    pub fn as_str(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Utf8Bom => "utf-8-bom",
            TextEncoding::Utf16Le => "utf-16le",
            TextEncoding::Utf16Be => "utf-16be",
            TextEncoding::Windows1252 => "windows-1252",
        }
    }

    pub(crate) fn encoding(self) -> &'static encoding_rs::Encoding {
        match self {
            TextEncoding::Utf8 | TextEncoding::Utf8Bom => encoding_rs::UTF_8,
            TextEncoding::Utf16Le => encoding_rs::UTF_16LE,
            TextEncoding::Utf16Be => encoding_rs::UTF_16BE,
            TextEncoding::Windows1252 => encoding_rs::WINDOWS_1252,
        }
    }

    /// The length of the byte order mark.
    pub(crate) fn bom_len(self) -> usize {
        match self {
            TextEncoding::Utf8 | TextEncoding::Windows1252 => 0,
            TextEncoding::Utf8Bom => 3,
            TextEncoding::Utf16Le | TextEncoding::Utf16Be => 2,
        }
    }
}

impl std::fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The encoding and delimiter of a CSV file, as detected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsvDialect {
    /// The text encoding.
    pub encoding: TextEncoding,
    /// The field delimiter: `;`, `,`, tab or `|`.
    pub delimiter: char,
}

/// What the sniffing found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Detected {
    Workbook(FileFormat),
    Csv(CsvDialect),
}

const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const ZIP_EMPTY_MAGIC: &[u8] = b"PK\x05\x06";
/// The candidate CSV delimiters, in order of preference on a tie.
const DELIMITERS: [u8; 4] = [b';', b',', b'\t', b'|'];

/// Tells the format of `bytes`, after the limit on file size and, for zip containers, after
/// inflating every part into a counting sink.
pub(crate) fn detect(file: &str, bytes: &[u8], limits: &ReadLimits) -> Result<Detected> {
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(Error::TooLarge {
            file: file.to_owned(),
            limit: Limit::FileBytes,
            max: limits.max_file_bytes,
            part: None,
        });
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::EmptyFile {
            file: file.to_owned(),
        });
    }
    if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(ZIP_EMPTY_MAGIC) {
        return detect_zip(file, bytes, limits).map(Detected::Workbook);
    }
    if bytes.starts_with(OLE_MAGIC) {
        return detect_ole(file, bytes, limits.max_sheet_extent).map(Detected::Workbook);
    }
    if let Some(looks_like) = binary_kind(bytes) {
        return Err(not_spreadsheet(file, looks_like));
    }
    detect_text(file, bytes).map(Detected::Csv)
}

fn not_spreadsheet(file: &str, looks_like: LooksLike) -> Error {
    Error::NotSpreadsheet {
        file: file.to_owned(),
        looks_like,
    }
}

fn binary_kind(bytes: &[u8]) -> Option<LooksLike> {
    const SIGNATURES: &[(&[u8], LooksLike)] = &[
        (b"%PDF", LooksLike::Pdf),
        (b"\x89PNG", LooksLike::Image),
        (b"\xFF\xD8\xFF", LooksLike::Image),
        (b"GIF8", LooksLike::Image),
        (b"II*\x00", LooksLike::Image),
        (b"MM\x00*", LooksLike::Image),
        (b"\x1F\x8B", LooksLike::Archive),
        (b"7z\xBC\xAF\x27\x1C", LooksLike::Archive),
        (b"Rar!", LooksLike::Archive),
    ];
    for (magic, looks_like) in SIGNATURES {
        if bytes.starts_with(magic) {
            return Some(*looks_like);
        }
    }
    if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        return Some(LooksLike::Image);
    }
    if bytes.starts_with(b"BM") && bytes.iter().take(64).any(|b| *b == 0) {
        return Some(LooksLike::Image);
    }
    None
}

/// Inflates every part of a zip container into a counting sink, refusing it as soon as a part
/// or the total goes over the limits, then tells the format from the part names.
fn detect_zip(file: &str, bytes: &[u8], limits: &ReadLimits) -> Result<FileFormat> {
    let guess = zip_guess(bytes);
    let corrupt = |reason: String| Error::Corrupt {
        file: file.to_owned(),
        format: guess,
        reason,
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|err| corrupt(format!("the zip container cannot be opened: {err}")))?;
    if archive.len() > limits.max_zip_entries {
        return Err(Error::TooLarge {
            file: file.to_owned(),
            limit: Limit::ZipEntries,
            max: limits.max_zip_entries as u64,
            part: None,
        });
    }
    let mut total: u64 = 0;
    let mut ods_extent = crate::ods_extent::OdsExtent::default();
    let mut names = Vec::with_capacity(archive.len());
    let mut buffer = vec![0u8; 64 * 1024];
    for index in 0..archive.len() {
        let mut entry = match archive.by_index(index) {
            Ok(entry) => entry,
            Err(zip::result::ZipError::UnsupportedArchive(message))
                if message.to_ascii_lowercase().contains("password") =>
            {
                return Err(Error::Encrypted {
                    file: file.to_owned(),
                });
            }
            Err(err) => return Err(corrupt(format!("part {index}: {err}"))),
        };
        if entry.encrypted() {
            return Err(Error::Encrypted {
                file: file.to_owned(),
            });
        }
        let name = entry
            .name()
            .map_or_else(|_| format!("part {index}"), |name| name.into_owned());
        let mut part: u64 = 0;
        let is_ods_content = name == "content.xml";
        loop {
            let n = match entry.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => n,
                Err(err) => return Err(corrupt(format!("part {name}: {err}"))),
            };
            if is_ods_content {
                ods_extent.feed(&buffer[..n]);
            }
            part += n as u64;
            total += n as u64;
            if part > limits.max_part_unzipped_bytes {
                return Err(Error::TooLarge {
                    file: file.to_owned(),
                    limit: Limit::PartUnzippedBytes,
                    max: limits.max_part_unzipped_bytes,
                    part: Some(name),
                });
            }
            if total > limits.max_total_unzipped_bytes {
                return Err(Error::TooLarge {
                    file: file.to_owned(),
                    limit: Limit::TotalUnzippedBytes,
                    max: limits.max_total_unzipped_bytes,
                    part: Some(name),
                });
            }
        }
        names.push(name);
    }
    let has = |wanted: &str| names.iter().any(|name| name.eq_ignore_ascii_case(wanted));
    if has("xl/workbook.xml") {
        let macros = has("xl/vbaProject.bin") || content_types_say_macros(&mut archive);
        return Ok(if macros {
            FileFormat::Xlsm
        } else {
            FileFormat::Xlsx
        });
    }
    if has("xl/workbook.bin") {
        return Ok(FileFormat::Xlsb);
    }
    if has("content.xml") || has("mimetype") {
        let mimetype = read_small(&mut archive, "mimetype").unwrap_or_default();
        if mimetype.contains("spreadsheet") || (mimetype.is_empty() && has("content.xml")) {
            if ods_extent.largest_sheet() > u128::from(limits.max_sheet_extent) {
                return Err(Error::TooLarge {
                    file: file.to_owned(),
                    limit: Limit::SheetExtent,
                    max: limits.max_sheet_extent,
                    part: Some("content.xml".to_owned()),
                });
            }
            return Ok(FileFormat::Ods);
        }
        if mimetype.contains("presentation") {
            return Err(not_spreadsheet(file, LooksLike::Presentation));
        }
        if mimetype.contains("text") {
            return Err(not_spreadsheet(file, LooksLike::WordDocument));
        }
    }
    if has("word/document.xml") {
        return Err(not_spreadsheet(file, LooksLike::WordDocument));
    }
    if has("ppt/presentation.xml") {
        return Err(not_spreadsheet(file, LooksLike::Presentation));
    }
    if has("[Content_Types].xml") {
        return Err(corrupt("the container has no workbook part".to_owned()));
    }
    Err(not_spreadsheet(file, LooksLike::ZipArchive))
}

/// A guess of the container's format from its first local header, for error messages when the
/// central directory cannot be read (a truncated file).
fn zip_guess(bytes: &[u8]) -> &'static str {
    let name_len = bytes
        .get(26..28)
        .map_or(0, |b| usize::from(u16::from_le_bytes([b[0], b[1]])));
    let name = bytes.get(30..30 + name_len).unwrap_or_default();
    if name.starts_with(b"[Content_Types]")
        || name.starts_with(b"xl/")
        || name.starts_with(b"_rels")
    {
        "xlsx"
    } else if name.starts_with(b"mimetype") || name.starts_with(b"META-INF") {
        "ods"
    } else {
        "zip"
    }
}

fn read_small(archive: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<String> {
    let entry = archive.by_name(name).ok()?;
    let mut text = String::new();
    entry.take(64 * 1024).read_to_string(&mut text).ok()?;
    Some(text)
}

fn content_types_say_macros(archive: &mut zip::ZipArchive<Cursor<&[u8]>>) -> bool {
    read_small(archive, "[Content_Types].xml").is_some_and(|text| text.contains("macroEnabled"))
}

/// An OLE compound file: an xls workbook, or an encrypted Office Open XML package (Excel
/// stores password-protected xlsx files as an OLE file with `EncryptionInfo` and
/// `EncryptedPackage` streams), or another Office document.
fn detect_ole(file: &str, bytes: &[u8], max_sheet_extent: u64) -> Result<FileFormat> {
    match crate::cfb_guard::refused(bytes, max_sheet_extent) {
        Some(crate::cfb_guard::Refusal::Damaged(reason)) => {
            return Err(Error::Corrupt {
                file: file.to_owned(),
                format: "xls",
                reason,
            });
        }
        Some(crate::cfb_guard::Refusal::Extent) => {
            return Err(Error::TooLarge {
                file: file.to_owned(),
                limit: Limit::SheetExtent,
                max: max_sheet_extent,
                part: None,
            });
        }
        None => {}
    }
    // Directory entries are 128 bytes long and start on 128-byte boundaries (sectors are 512
    // or 4096 bytes), with the UTF-16LE name first.
    let has_stream = |name: &str| {
        let mut utf16: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        utf16.extend_from_slice(&[0, 0]);
        (512..bytes.len())
            .step_by(128)
            .any(|offset| bytes[offset..].starts_with(&utf16))
    };
    if has_stream("EncryptedPackage") || has_stream("EncryptionInfo") {
        return Err(Error::Encrypted {
            file: file.to_owned(),
        });
    }
    if has_stream("Workbook") || has_stream("Book") {
        return Ok(FileFormat::Xls);
    }
    if has_stream("WordDocument") {
        return Err(not_spreadsheet(file, LooksLike::WordDocument));
    }
    if has_stream("PowerPoint Document") {
        return Err(not_spreadsheet(file, LooksLike::Presentation));
    }
    // Let the xls reader say what is wrong with it.
    Ok(FileFormat::Xls)
}

/// The share of control characters (other than tabs and line breaks) above which text is
/// binary data, in percent of the first 8,192 characters.
const MAX_CONTROL_PERCENT: usize = 2;

/// Whether the first 8 KiB of a file without a byte-order mark are binary rather than text
/// with a few stray control bytes: zero bytes in every other place (UTF-16 without a BOM),
/// or in more than [`MAX_CONTROL_PERCENT`] of the bytes (and more than a few).
fn binary_bytes(bytes: &[u8]) -> Option<LooksLike> {
    let head = &bytes[..bytes.len().min(8192)];
    let zeros = head.iter().filter(|b| **b == 0).count();
    if zeros == 0 {
        return None;
    }
    let pairs = head.len() / 2;
    let zero_at = |parity: usize| {
        head.iter()
            .skip(parity)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    if pairs >= 4 && (zero_at(0) * 10 >= pairs * 9 || zero_at(1) * 10 >= pairs * 9) {
        return Some(LooksLike::Utf16WithoutBom);
    }
    too_many_controls(zeros, head.len()).then_some(LooksLike::Binary)
}

/// Whether `controls` of `total` characters are too many for text: more than
/// [`MAX_CONTROL_PERCENT`] of them and more than a few (a small file with two stray bytes
/// is text), or a fifth of them however few.
fn too_many_controls(controls: usize, total: usize) -> bool {
    (controls > 8 && controls * 100 > total * MAX_CONTROL_PERCENT) || controls * 5 > total
}

fn detect_text(file: &str, bytes: &[u8]) -> Result<CsvDialect> {
    let encoding = if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        TextEncoding::Utf8Bom
    } else if bytes.starts_with(&[0xFF, 0xFE]) {
        TextEncoding::Utf16Le
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        TextEncoding::Utf16Be
    } else if let Some(looks_like) = binary_bytes(bytes) {
        return Err(not_spreadsheet(file, looks_like));
    } else if std::str::from_utf8(bytes).is_ok() {
        TextEncoding::Utf8
    } else {
        TextEncoding::Windows1252
    };
    let sample_end = bytes.len().min(64 * 1024);
    let sample_bytes = bytes
        .get(encoding.bom_len()..sample_end)
        .unwrap_or_default();
    let (sample, _) = encoding
        .encoding()
        .decode_without_bom_handling(sample_bytes);
    let trimmed = sample.trim_start();
    if trimmed.is_empty() {
        return Err(Error::EmptyFile {
            file: file.to_owned(),
        });
    }
    let head: String = trimmed
        .chars()
        .take(1024)
        .collect::<String>()
        .to_lowercase();
    if head.starts_with("<!doctype html")
        || head.starts_with("<html")
        || head.contains("<html")
        || head.starts_with("<table")
    {
        return Err(not_spreadsheet(file, LooksLike::Html));
    }
    if head.starts_with("<?xml") || head.starts_with('<') {
        return Err(not_spreadsheet(file, LooksLike::Xml));
    }
    // A few control characters inside cells are data errors (the validators flag them), not
    // a reason to refuse the file: only a large share of them is.
    let (controls, chars) =
        sample
            .chars()
            .take(8192)
            .fold((0usize, 0usize), |(controls, chars), c| {
                let control = c.is_control() && !c.is_whitespace();
                (controls + usize::from(control), chars + 1)
            });
    if too_many_controls(controls, chars) {
        return Err(not_spreadsheet(file, LooksLike::Binary));
    }
    match sniff_delimiter(&sample) {
        Some(delimiter) => Ok(CsvDialect {
            encoding,
            delimiter: char::from(delimiter),
        }),
        None => {
            // One column: a CSV only if its first line is a column title we know.
            let first_line = trimmed.lines().next().unwrap_or_default();
            let title = first_line.trim().trim_matches('"');
            if tuonti_domain::RecordKind::ALL
                .into_iter()
                .any(|kind| crate::mapping::exact_field(kind, title).is_some())
            {
                Ok(CsvDialect {
                    encoding,
                    delimiter: ',',
                })
            } else {
                Err(not_spreadsheet(file, LooksLike::PlainText))
            }
        }
    }
}

/// Picks the delimiter whose count per record (outside quotes) is the most consistent over the
/// first 50 records; `None` when no candidate occurs in at least half of them.
fn sniff_delimiter(sample: &str) -> Option<u8> {
    let records = split_records(sample, 50);
    let mut best: Option<(usize, u8)> = None;
    for delimiter in DELIMITERS {
        let counts: Vec<usize> = records
            .iter()
            .map(|record| count_outside_quotes(record, delimiter))
            .collect();
        let records_with = counts.iter().filter(|count| **count > 0).count();
        if records_with * 2 < records.len() {
            continue;
        }
        let mut frequency: std::collections::HashMap<usize, usize> = Default::default();
        for count in counts.iter().filter(|count| **count > 0) {
            *frequency.entry(*count).or_default() += 1;
        }
        let Some((_, lines_agreeing)) = frequency
            .into_iter()
            .max_by_key(|(count, lines)| (*lines, *count))
        else {
            continue;
        };
        if best.is_none_or(|(score, _)| lines_agreeing > score) {
            best = Some((lines_agreeing, delimiter));
        }
    }
    best.map(|(_, delimiter)| delimiter)
}

/// Splits text into records, keeping quoted line breaks inside their record.
fn split_records(sample: &str, max: usize) -> Vec<&str> {
    let mut records = Vec::new();
    let mut in_quotes = false;
    let mut start = 0;
    for (index, byte) in sample.bytes().enumerate() {
        match byte {
            b'"' => in_quotes = !in_quotes,
            b'\n' if !in_quotes => {
                let record = sample.get(start..index).unwrap_or_default();
                if !record.trim().is_empty() {
                    records.push(record);
                }
                start = index + 1;
                if records.len() >= max {
                    return records;
                }
            }
            _ => {}
        }
    }
    let rest = sample.get(start..).unwrap_or_default();
    if !rest.trim().is_empty() {
        records.push(rest);
    }
    records
}

fn count_outside_quotes(record: &str, delimiter: u8) -> usize {
    let mut in_quotes = false;
    let mut count = 0;
    for byte in record.bytes() {
        if byte == b'"' {
            in_quotes = !in_quotes;
        } else if byte == delimiter && !in_quotes {
            count += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_the_consistent_delimiter() {
        assert_eq!(sniff_delimiter("a;b;c\n1,5;2;3\n4;5,5;6\n"), Some(b';'));
        assert_eq!(sniff_delimiter("a,b\n1,2\n"), Some(b','));
        assert_eq!(sniff_delimiter("a\tb\n1\t2\n"), Some(b'\t'));
        assert_eq!(sniff_delimiter("a|b\n1|2\n"), Some(b'|'));
        assert_eq!(sniff_delimiter("\"x;y\",b\n\"1;\n2\",3\n"), Some(b','));
        assert_eq!(sniff_delimiter("just words here\nand more\n"), None);
    }

    #[test]
    fn tells_binary_kinds() {
        let limits = ReadLimits::default();
        let err = detect("a", b"%PDF-1.7 ...", &limits).err();
        assert!(matches!(
            err,
            Some(Error::NotSpreadsheet {
                looks_like: LooksLike::Pdf,
                ..
            })
        ));
        let err = detect("a", b"  \n ", &limits).err();
        assert!(matches!(err, Some(Error::EmptyFile { .. })));
    }
}
