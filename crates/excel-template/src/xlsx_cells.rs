//! Our own streaming reader for the cells of an xlsx (or xlsm) worksheet.
//!
//! calamine opens the workbook and lists its sheets; this module reads the cells of one
//! worksheet part straight from the zip container, inflating it through a fixed window
//! (64 KiB, grown only to hold the largest single tag or text run), so a sheet of any length
//! is read in bounded memory and with one allocation per non-empty text cell (the `String`
//! inside [`CellValue::Text`]).
//!
//! The values are exactly those of calamine 0.38's `XlsxCellReader::next_cell` as mapped by
//! [`cell_value`]: the XML is cut into the same events as quick-xml cuts it (configured as
//! calamine configures it: empty elements expanded, text untrimmed, end names unchecked) and
//! every rule of calamine's is mirrored (shared and inline strings with rich text and phonetic
//! runs, `_xHHHH_` escapes, the cell types, the date detection of number formats, the 1904
//! date system, cells and rows without an `r` attribute, namespace prefixes). Where calamine
//! gives up on a sheet (an unknown cell type, a malformed `<v>`, an unknown error value) this
//! reader gives up too, with an [`Error::Corrupt`] that names the part and the cell.
//!
//! The parts around the sheet are read once per workbook and cached: the workbook part and
//! its relationships (to find a sheet's part), the number formats of `styles.xml` and the
//! shared strings (kept as one string and the ends of its pieces). Part names are matched as
//! calamine matches them (ASCII case and `\` aside).
//!
//! Where this reader and calamine part (none of it shows in the values of a sheet calamine
//! reads): a row or column number past `u32` is refused (calamine's release build wraps it
//! around, its debug build panics); a `<!DOCTYPE>` is refused (quick-xml skips it; xlsx parts
//! never have one); the reasons of errors are our own words.
//!
//! The tests check the values against calamine's on workbooks written by rust_xlsxwriter, on
//! hand-written parts and on random sheets, and the tokenizer against quick-xml on random
//! documents, with the XML cut at every byte.

use crate::error::{Error, Limit, Result};
use crate::format::{FileFormat, ReadLimits};
use crate::read::{SharedBytes, cell_value, iso_datetime};
use calamine::{CellErrorType, DataRef, ExcelDateTime, ExcelDateTimeType};
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::ops::ControlFlow;
use tuonti_domain::CellValue;

/// The initial size of the window that a part is inflated through.
const WINDOW_BYTES: usize = 64 * 1024;

/// The length of an Excel escape `_xHHHH_`.
const EXCEL_ESCAPE_LEN: usize = 7;

/// Why reading a part stopped, before the file and part are added.
#[derive(Debug)]
enum Fault {
    /// The part inflates past [`ReadLimits::max_part_unzipped_bytes`].
    TooLarge,
    /// Broken XML or a value calamine refuses, said for a user.
    Corrupt(String),
}

type Scan<T> = std::result::Result<T, Fault>;

fn corrupt<T>(reason: impl Into<String>) -> Scan<T> {
    Err(Fault::Corrupt(reason.into()))
}

// ---------------------------------------------------------------------------------------------
// The tokenizer

/// A range of the window, valid until the next call of [`XmlReader::next`].
#[derive(Debug, Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
}

/// One piece of XML, as quick-xml would report it with calamine's configuration.
#[derive(Debug, Clone, Copy)]
enum Event {
    /// A start tag, or the first half of an empty element `<a/>`.
    Start { name: Span, attrs: Span },
    /// An end tag, or the second half of an empty element.
    End { name: Span },
    /// Character data up to the next markup or reference, unescaped and not normalized.
    Text(Span),
    /// A reference `&name;` (the span holds `name`).
    Ref(Span),
    /// The content of a CDATA section.
    CData(Span),
    /// A comment, processing instruction or XML declaration.
    Other,
    /// The end of the part.
    Eof,
}

/// A pull tokenizer over an inflating reader, through a window that is refilled in place.
struct XmlReader<R> {
    source: R,
    window: Vec<u8>,
    /// The first byte not yet consumed.
    pos: usize,
    /// The end of the bytes read into the window.
    end: usize,
    /// Bytes before this index are valid UTF-8 (an incomplete character may follow).
    validated: usize,
    /// The first byte of invalid UTF-8, if one was read: an error once an event reaches it.
    invalid_at: Option<usize>,
    eof: bool,
    /// How many elements are open (an end tag with none open is an error, as in quick-xml).
    depth: usize,
    /// The name of an empty element whose end is to be reported next.
    pending_end: Option<Span>,
    inflated: u64,
    max_bytes: u64,
    /// The most bytes taken from `source` at once (tests make it small to cut the XML
    /// everywhere).
    read_chunk: usize,
    started: bool,
}

impl<R: Read> XmlReader<R> {
    fn new(source: R, max_bytes: u64, read_chunk: usize) -> Self {
        Self {
            source,
            window: vec![0; WINDOW_BYTES.min(read_chunk.max(1))],
            pos: 0,
            end: 0,
            validated: 0,
            invalid_at: None,
            eof: false,
            depth: 0,
            pending_end: None,
            inflated: 0,
            max_bytes,
            read_chunk: read_chunk.max(1),
            started: false,
        }
    }

    fn bytes(&self, span: Span) -> &[u8] {
        &self.window[span.start..span.end]
    }

    fn text(&self, span: Span) -> Scan<&str> {
        std::str::from_utf8(self.bytes(span)).or_else(|_| corrupt("the XML is not valid UTF-8"))
    }

    /// Reads more bytes, moving the unconsumed ones to the front first (growing the window
    /// when they fill it). `false` at the end of the part.
    fn fill(&mut self) -> Scan<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.pos > 0 {
            self.window.copy_within(self.pos..self.end, 0);
            self.end -= self.pos;
            self.validated = self.validated.saturating_sub(self.pos);
            self.invalid_at = self.invalid_at.map(|at| at.saturating_sub(self.pos));
            self.pos = 0;
        }
        if self.end == self.window.len() {
            let grown = self.window.len() * 2;
            self.window.resize(grown, 0);
        }
        loop {
            let room = self.end + (self.window.len() - self.end).min(self.read_chunk);
            match self.source.read(&mut self.window[self.end..room]) {
                Ok(0) => {
                    self.eof = true;
                    if self.invalid_at.is_none() && self.validated < self.end {
                        self.invalid_at = Some(self.validated);
                    }
                    return Ok(false);
                }
                Ok(n) => {
                    self.end += n;
                    self.inflated += n as u64;
                    if self.inflated > self.max_bytes {
                        return Err(Fault::TooLarge);
                    }
                    self.validate();
                    if !self.started {
                        self.started = true;
                        if self.window[..self.end].starts_with(&[0xEF, 0xBB, 0xBF]) {
                            self.pos = 3;
                        }
                    }
                    return Ok(true);
                }
                Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
                Err(err) => return corrupt(format!("the part cannot be inflated: {err}")),
            }
        }
    }

    /// Checks the new bytes for UTF-8, leaving an incomplete character at the end for later.
    fn validate(&mut self) {
        if self.invalid_at.is_some() {
            return;
        }
        match std::str::from_utf8(&self.window[self.validated..self.end]) {
            Ok(_) => self.validated = self.end,
            Err(err) => {
                let valid = self.validated + err.valid_up_to();
                if err.error_len().is_some() {
                    self.invalid_at = Some(valid);
                }
                self.validated = valid;
            }
        }
    }

    /// Makes at least `n` unconsumed bytes available; `false` if the part ends first.
    fn ensure(&mut self, n: usize) -> Scan<bool> {
        while self.end - self.pos < n {
            if !self.fill()? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Consumes up to `to` (a window index), refusing invalid UTF-8 before it.
    fn advance(&mut self, to: usize) -> Scan<()> {
        if self.invalid_at.is_some_and(|at| at < to) {
            return corrupt("the XML is not valid UTF-8");
        }
        self.pos = to;
        Ok(())
    }

    /// Finds `needle` at or after `from` bytes past `pos`; the offset past `pos`.
    fn find(&mut self, from: usize, needle: &[u8]) -> Scan<Option<usize>> {
        let mut from = from;
        loop {
            let haystack = &self.window[self.pos + from.min(self.end - self.pos)..self.end];
            if let Some(found) = memchr::memmem::find(haystack, needle) {
                return Ok(Some(from + found));
            }
            from = (self.end - self.pos)
                .saturating_sub(needle.len() - 1)
                .max(from);
            if !self.fill()? {
                return Ok(None);
            }
        }
    }

    /// The next event. Spans of earlier events are invalid afterwards.
    #[inline]
    fn next(&mut self) -> Scan<Event> {
        if let Some(name) = self.pending_end.take() {
            self.depth -= 1;
            return Ok(Event::End { name });
        }
        if self.pos == self.end && !self.fill()? {
            return if self.invalid_at.is_some_and(|at| at < self.end) {
                corrupt("the XML is not valid UTF-8")
            } else {
                Ok(Event::Eof)
            };
        }
        match self.window[self.pos] {
            b'<' => self.markup(),
            b'&' => self.reference(),
            _ => self.character_data(),
        }
    }

    fn character_data(&mut self) -> Scan<Event> {
        let mut scanned = 0;
        loop {
            let start = self.pos + scanned;
            if let Some(found) = memchr::memchr2(b'<', b'&', &self.window[start..self.end]) {
                let span = Span {
                    start: self.pos,
                    end: start + found,
                };
                self.advance(span.end)?;
                return Ok(Event::Text(span));
            }
            scanned = self.end - self.pos;
            if !self.fill()? {
                let span = Span {
                    start: self.pos,
                    end: self.end,
                };
                self.advance(span.end)?;
                return Ok(Event::Text(span));
            }
        }
    }

    fn reference(&mut self) -> Scan<Event> {
        let mut scanned = 1;
        loop {
            let start = self.pos + scanned;
            if let Some(found) = memchr::memchr3(b';', b'&', b'<', &self.window[start..self.end]) {
                let at = start + found;
                if self.window[at] != b';' {
                    return corrupt("a reference `&...;` is not closed (a lone `&`)");
                }
                let span = Span {
                    start: self.pos + 1,
                    end: at,
                };
                self.advance(at + 1)?;
                return Ok(Event::Ref(span));
            }
            scanned = self.end - self.pos;
            if !self.fill()? {
                return corrupt("the XML ends inside a reference `&...;`");
            }
        }
    }

    fn markup(&mut self) -> Scan<Event> {
        if !self.ensure(2)? {
            return corrupt("the XML ends inside a tag");
        }
        match self.window[self.pos + 1] {
            b'/' => self.end_tag(),
            b'!' => self.bang(),
            b'?' => {
                let Some(close) = self.find(2, b"?>")? else {
                    return corrupt("the XML ends inside a processing instruction");
                };
                self.advance(self.pos + close + 2)?;
                Ok(Event::Other)
            }
            _ => self.start_tag(),
        }
    }

    /// Finds the `>` that closes the tag at `pos`, outside quoted attribute values (as
    /// quick-xml's `ElementParser` does, for end tags too).
    fn tag_close(&mut self) -> Scan<usize> {
        // Tags are short: a plain loop beats searching for three bytes at once.
        let mut quote: Option<u8> = None;
        let mut scanned = 1;
        loop {
            let start = self.pos + scanned;
            for (offset, &b) in self.window[start..self.end].iter().enumerate() {
                match (quote, b) {
                    (None, b'>') => return Ok(start + offset),
                    (None, b'"' | b'\'') => quote = Some(b),
                    (Some(open), _) if open == b => quote = None,
                    _ => {}
                }
            }
            scanned = self.end - self.pos;
            if !self.fill()? {
                return corrupt("the XML ends inside a tag");
            }
        }
    }

    fn end_tag(&mut self) -> Scan<Event> {
        let close = self.tag_close()?;
        let content_start = self.pos + 2;
        let name_len = self.window[content_start..close]
            .iter()
            .rposition(|&b| !is_xml_whitespace(b))
            .map_or(close - content_start, |last| last + 1);
        if self.depth == 0 {
            return corrupt("an end tag closes no open element");
        }
        self.depth -= 1;
        let name = Span {
            start: content_start,
            end: content_start + name_len,
        };
        self.advance(close + 1)?;
        Ok(Event::End { name })
    }

    fn bang(&mut self) -> Scan<Event> {
        if !self.ensure(3)? {
            return corrupt("the XML ends inside a `<!` declaration");
        }
        match self.window[self.pos + 2] {
            b'[' => {
                if !self.ensure(9)? || &self.window[self.pos..self.pos + 9] != b"<![CDATA[" {
                    return corrupt("a `<![` section is not CDATA");
                }
                let Some(close) = self.find(9, b"]]>")? else {
                    return corrupt("the XML ends inside a CDATA section");
                };
                let span = Span {
                    start: self.pos + 9,
                    end: self.pos + close,
                };
                self.advance(self.pos + close + 3)?;
                Ok(Event::CData(span))
            }
            b'-' => {
                if !self.ensure(4)? || self.window[self.pos + 3] != b'-' {
                    return corrupt("a `<!-` is not a comment");
                }
                let Some(close) = self.find(4, b"-->")? else {
                    return corrupt("the XML ends inside a comment");
                };
                self.advance(self.pos + close + 3)?;
                Ok(Event::Other)
            }
            b'D' | b'd' => {
                corrupt("the part has a DOCTYPE declaration, which xlsx parts never have")
            }
            _ => corrupt("a `<!` declaration is not a comment or CDATA"),
        }
    }

    fn start_tag(&mut self) -> Scan<Event> {
        let close = self.tag_close()?;
        let content_start = self.pos + 1;
        let empty = close > content_start && self.window[close - 1] == b'/';
        let content_end = if empty { close - 1 } else { close };
        let name_len = self.window[content_start..content_end]
            .iter()
            .position(|&b| is_xml_whitespace(b))
            .unwrap_or(content_end - content_start);
        let name = Span {
            start: content_start,
            end: content_start + name_len,
        };
        let attrs = Span {
            start: name.end,
            end: content_end,
        };
        self.advance(close + 1)?;
        self.depth += 1;
        if empty {
            self.pending_end = Some(name);
        }
        Ok(Event::Start { name, attrs })
    }

    /// Skips to the end tag named `name` that closes the element just started, counting
    /// nested elements of the same name (quick-xml's `read_to_end_into`).
    fn skip_to_end(&mut self, name: &[u8]) -> Scan<()> {
        let mut nested = 0usize;
        loop {
            match self.next()? {
                Event::Start { name: start, .. } if self.bytes(start) == name => nested += 1,
                Event::End { name: end } if self.bytes(end) == name => {
                    if nested == 0 {
                        return Ok(());
                    }
                    nested -= 1;
                }
                Event::Eof => {
                    return corrupt(format!(
                        "the XML ends before </{}>",
                        String::from_utf8_lossy(name)
                    ));
                }
                _ => {}
            }
        }
    }
}

/// `text` without ASCII spaces, tabs, CRs and LFs at either end (calamine trims `<t>` text
/// so); other white space such as U+00A0 stays.
fn trim_xml_whitespace(text: &str) -> &str {
    let bytes = text.as_bytes();
    let Some(first) = bytes.iter().position(|&b| !is_xml_whitespace(b)) else {
        return "";
    };
    let last = bytes
        .iter()
        .rposition(|&b| !is_xml_whitespace(b))
        .unwrap_or(first);
    // The cut bytes are ASCII, so both ends are character boundaries.
    text.get(first..=last).unwrap_or(text)
}

#[inline]
fn is_xml_whitespace(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// The name after the namespace prefix (`x:row` → `row`).
fn local(name: &[u8]) -> &[u8] {
    match name.iter().position(|&b| b == b':') {
        Some(colon) => &name[colon + 1..],
        None => name,
    }
}

/// Iterates the attributes of a tag as calamine does: raw `key="value"` pairs, an error for a
/// key without `=` or a value without quotes.
struct Attrs<'a> {
    raw: &'a [u8],
    pos: usize,
}

impl<'a> Iterator for Attrs<'a> {
    type Item = Scan<(&'a [u8], &'a [u8])>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let raw = self.raw;
        let len = raw.len();
        let mut pos = self.pos;
        while pos < len && raw[pos].is_ascii_whitespace() {
            pos += 1;
        }
        if pos >= len {
            self.pos = pos;
            return None;
        }
        let key_start = pos;
        while pos < len && raw[pos] != b'=' {
            pos += 1;
        }
        if pos >= len {
            self.pos = len;
            return Some(corrupt("an attribute has no `=`"));
        }
        let key = raw[key_start..pos].trim_ascii_end();
        pos += 1;
        while pos < len && raw[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let quote = match raw.get(pos) {
            Some(&quote @ (b'"' | b'\'')) => quote,
            _ => {
                self.pos = len;
                return Some(corrupt("an attribute value is not quoted"));
            }
        };
        pos += 1;
        let value_start = pos;
        while pos < len && raw[pos] != quote {
            pos += 1;
        }
        let value = &raw[value_start..pos];
        if pos < len {
            pos += 1;
        }
        self.pos = pos;
        Some(Ok((key, value)))
    }
}

fn attrs(raw: &[u8]) -> Attrs<'_> {
    Attrs { raw, pos: 0 }
}

/// The value of the attribute named exactly `key`.
fn attr<'a>(raw: &'a [u8], key: &[u8]) -> Scan<Option<&'a [u8]>> {
    for item in attrs(raw) {
        let (name, value) = item?;
        if name == key {
            return Ok(Some(value));
        }
    }
    Ok(None)
}

/// The values of the `N` attributes that `index_of` numbers (by their exact names), found as
/// calamine's `get_attrs!` finds them: the scan stops once it has seen `N` matches.
fn get_attrs<const N: usize>(
    raw: &[u8],
    index_of: impl Fn(&[u8]) -> Option<usize>,
) -> Scan<[Option<&[u8]>; N]> {
    let mut values = [None; N];
    let mut found = 0;
    for item in attrs(raw) {
        let (key, value) = item?;
        if let Some(index) = index_of(key)
            && let Some(slot) = values.get_mut(index)
        {
            *slot = Some(value);
            found += 1;
            if found == N {
                break;
            }
        }
    }
    Ok(values)
}

fn utf8(bytes: &[u8]) -> Scan<&str> {
    std::str::from_utf8(bytes).or_else(|_| corrupt("the XML is not valid UTF-8"))
}

/// An attribute value with its entities decoded (calamine's `decode_attr`).
fn decode_attr(raw: &[u8]) -> Scan<String> {
    let text = utf8(raw)?;
    quick_xml::escape::unescape(text)
        .map(Cow::into_owned)
        .or_else(|err| corrupt(format!("an attribute value cannot be decoded: {err}")))
}

/// Appends `text` with its line ends normalized as XML 1.0 says (`\r\n` and `\r` → `\n`).
fn push_xml10(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(cr) = memchr::memchr(b'\r', rest.as_bytes()) {
        out.push_str(&rest[..cr]);
        out.push('\n');
        rest = &rest[cr + 1..];
        if let Some(after) = rest.strip_prefix('\n') {
            rest = after;
        }
    }
    out.push_str(rest);
}

/// Appends the character a reference stands for (calamine's `unescape_entity_to_buffer`).
fn push_reference(out: &mut String, name: &str) -> Scan<()> {
    if let Some(text) = quick_xml::escape::resolve_xml_entity(name) {
        out.push_str(text);
        return Ok(());
    }
    match quick_xml::events::BytesRef::new(name).resolve_char_ref() {
        Ok(Some(ch)) => {
            out.push(ch);
            Ok(())
        }
        Ok(None) => corrupt(format!("unknown entity &{name};")),
        Err(err) => corrupt(format!("invalid character reference &{name};: {err}")),
    }
}

/// Decodes Excel's `_xHHHH_` escapes (UTF-16 code units; `_x005F_` escapes an underscore), as
/// calamine's `unescape_xml` does.
fn unescape_excel(original: &str) -> Cow<'_, str> {
    let Some((mut index, mut unit)) = find_excel_escape(original, 0) else {
        return Cow::Borrowed(original);
    };
    let mut unescaped = String::with_capacity(original.len());
    let mut copied = 0;
    loop {
        unescaped.push_str(&original[copied..index]);
        index += EXCEL_ESCAPE_LEN;
        match unit {
            0xD800..=0xDBFF => match parse_excel_escape(original, index) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    let code_point =
                        0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                    unescaped
                        .push(char::from_u32(code_point).unwrap_or(char::REPLACEMENT_CHARACTER));
                    index += EXCEL_ESCAPE_LEN;
                }
                _ => unescaped.push(char::REPLACEMENT_CHARACTER),
            },
            0xDC00..=0xDFFF => unescaped.push(char::REPLACEMENT_CHARACTER),
            _ => unescaped
                .push(char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER)),
        }
        copied = index;
        match find_excel_escape(original, index) {
            Some(next) => (index, unit) = next,
            None => break,
        }
    }
    unescaped.push_str(&original[copied..]);
    Cow::Owned(unescaped)
}

fn find_excel_escape(original: &str, mut start: usize) -> Option<(usize, u16)> {
    while let Some(offset) = memchr::memchr(b'_', original.as_bytes().get(start..)?) {
        let index = start + offset;
        if let Some(unit) = parse_excel_escape(original, index) {
            return Some((index, unit));
        }
        start = index + 1;
    }
    None
}

fn parse_excel_escape(original: &str, index: usize) -> Option<u16> {
    let bytes = original.as_bytes().get(index..index + EXCEL_ESCAPE_LEN)?;
    if bytes[0] != b'_' || bytes[1] != b'x' || bytes[6] != b'_' {
        return None;
    }
    let hex = &bytes[2..6];
    if !hex.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    u16::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()
}

/// Digits only, any number of leading zeros, no sign (calamine's `atoi_simd` parse).
fn parse_index(text: &[u8]) -> Option<usize> {
    if text.is_empty() {
        return None;
    }
    text.iter().try_fold(0usize, |acc, &b| {
        if b.is_ascii_digit() {
            acc.checked_mul(10)?.checked_add(usize::from(b - b'0'))
        } else {
            None
        }
    })
}

/// A cell reference (`C12`, or a row alone `12`) as 0-based (row, column); calamine's
/// `get_row_and_optional_column`, refusing numbers past `u32` (where calamine wraps).
fn parse_reference(reference: &[u8]) -> Scan<(u32, Option<u32>)> {
    let bad = || {
        corrupt(format!(
            "invalid cell reference {:?}",
            String::from_utf8_lossy(reference)
        ))
    };
    let mut column: u32 = 0;
    let mut row: u32 = 0;
    let mut digits = false;
    for &b in reference {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' if !digits => {
                let letter = u32::from(b.to_ascii_uppercase() - b'A') + 1;
                let Some(next) = column.checked_mul(26).and_then(|c| c.checked_add(letter)) else {
                    return bad();
                };
                column = next;
            }
            b'0'..=b'9' => {
                digits = true;
                let Some(next) = row
                    .checked_mul(10)
                    .and_then(|r| r.checked_add(u32::from(b - b'0')))
                else {
                    return bad();
                };
                row = next;
            }
            _ => return bad(),
        }
    }
    let Some(row) = row.checked_sub(1) else {
        return bad();
    };
    Ok((row, column.checked_sub(1)))
}

fn parse_cell_reference(reference: &[u8]) -> Scan<(u32, u32)> {
    match parse_reference(reference)? {
        (row, Some(column)) => Ok((row, column)),
        (_, None) => corrupt(format!(
            "the cell reference {:?} has no column",
            String::from_utf8_lossy(reference)
        )),
    }
}

/// `C12` for 0-based (11, 2).
fn cell_name(row: u32, column: u32) -> String {
    let mut letters = Vec::new();
    let mut number = u64::from(column) + 1;
    while number > 0 {
        letters.push(b'A' + ((number - 1) % 26) as u8);
        number = (number - 1) / 26;
    }
    letters.reverse();
    format!(
        "{}{}",
        String::from_utf8_lossy(&letters),
        u64::from(row) + 1
    )
}

// ---------------------------------------------------------------------------------------------
// Number formats (calamine's formats.rs)

/// What a cell's number format makes of a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CellFormat {
    Other,
    DateTime,
    TimeDelta,
}

/// Whether a custom number format shows a date or time, or a duration (`[h]:mm`); calamine's
/// `detect_custom_number_format`.
fn detect_custom_number_format(format: &str) -> CellFormat {
    let mut escaped = false;
    let mut is_quote = false;
    let mut brackets = 0u8;
    let mut prev = ' ';
    let mut hms = false;
    let mut ap = false;
    for s in format.chars() {
        match (s, escaped, is_quote, ap, brackets) {
            (_, true, ..) => escaped = false,
            ('_' | '\\' | '*', ..) => escaped = true,
            ('"', _, true, _, _) => is_quote = false,
            (_, _, true, _, _) => (),
            ('"', _, _, _, _) => is_quote = true,
            (';', ..) => return CellFormat::Other,
            ('[', ..) => brackets = brackets.wrapping_add(1),
            (']', .., 1) if hms => return CellFormat::TimeDelta,
            (']', ..) => brackets = brackets.saturating_sub(1),
            ('a' | 'A', _, _, false, 0) => ap = true,
            ('p' | 'm' | '/' | 'P' | 'M', _, _, true, 0) => return CellFormat::DateTime,
            ('d' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S', _, _, false, 0) => {
                return CellFormat::DateTime;
            }
            _ => {
                if !(hms && s.eq_ignore_ascii_case(&prev)) {
                    hms = prev == '[' && matches!(s, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
                }
            }
        }
        prev = s;
    }
    CellFormat::Other
}

/// The built-in number formats that show dates, times or durations, by the `numFmtId` as
/// written (calamine's `builtin_format_by_id`).
fn builtin_format_by_id(id: &[u8]) -> CellFormat {
    match id {
        b"14" | b"15" | b"16" | b"17" | b"18" | b"19" | b"20" | b"21" | b"22" | b"45" | b"47" => {
            CellFormat::DateTime
        }
        b"27" | b"28" | b"29" | b"30" | b"31" | b"32" | b"33" | b"34" | b"35" | b"36" | b"50"
        | b"51" | b"52" | b"53" | b"54" | b"55" | b"56" | b"57" | b"58" => CellFormat::DateTime,
        b"46" => CellFormat::TimeDelta,
        _ => CellFormat::Other,
    }
}

// ---------------------------------------------------------------------------------------------
// The workbook's parts

/// The shared strings, one after another in one string.
#[derive(Debug, Default)]
struct SharedStrings {
    text: String,
    ends: Vec<usize>,
}

impl SharedStrings {
    fn get(&self, index: usize) -> Option<&str> {
        let end = *self.ends.get(index)?;
        let start = match index.checked_sub(1) {
            Some(previous) => *self.ends.get(previous)?,
            None => 0,
        };
        self.text.get(start..end)
    }
}

/// What is read once per workbook: where each sheet's part is, the number formats, the
/// shared strings.
struct Parts {
    archive: zip::ZipArchive<Cursor<SharedBytes>>,
    /// Sheet name and part path, in workbook order.
    sheets: Vec<(String, String)>,
    formats: Vec<CellFormat>,
    strings: SharedStrings,
}

impl std::fmt::Debug for Parts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Parts")
            .field("sheets", &self.sheets)
            .field("formats", &self.formats.len())
            .field("strings", &self.strings.ends.len())
            .finish_non_exhaustive()
    }
}

/// How a part is read: the most bytes it may inflate to, the most taken at once.
#[derive(Debug, Clone, Copy)]
struct PartLimits {
    max_bytes: u64,
    read_chunk: usize,
}

/// A part that could not be read, with its path.
struct PartFault {
    part: String,
    fault: Fault,
}

fn part_fault(part: &str) -> impl FnOnce(Fault) -> PartFault + '_ {
    move |fault| PartFault {
        part: part.to_owned(),
        fault,
    }
}

/// The index of a part, matched as calamine matches: ASCII case and `\` for `/` aside, the
/// last such name in the container.
fn find_part(archive: &zip::ZipArchive<Cursor<SharedBytes>>, path: &str) -> Option<usize> {
    let wanted = path.to_ascii_lowercase();
    let mut found = None;
    for (index, name) in archive.file_names().enumerate() {
        let Ok(name) = name else { continue };
        if name.replace('\\', "/").to_ascii_lowercase() == wanted {
            found = Some(index);
        }
    }
    found.or_else(|| archive.index_for_name(path))
}

/// Opens a part as a tokenizer; `None` if the container has no such part.
fn open_part<'a>(
    archive: &'a mut zip::ZipArchive<Cursor<SharedBytes>>,
    path: &str,
    limits: PartLimits,
) -> Scan<Option<XmlReader<zip::read::ZipFile<'a, Cursor<SharedBytes>>>>> {
    let Some(index) = find_part(archive, path) else {
        return Ok(None);
    };
    match archive.by_index(index) {
        Ok(file) => Ok(Some(XmlReader::new(
            file,
            limits.max_bytes,
            limits.read_chunk,
        ))),
        Err(err) => corrupt(format!("the part cannot be opened: {err}")),
    }
}

impl Parts {
    fn load(bytes: SharedBytes, limits: PartLimits) -> std::result::Result<Self, PartFault> {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|err| PartFault {
            part: "the zip container".to_owned(),
            fault: Fault::Corrupt(format!("it cannot be opened: {err}")),
        })?;
        let (xl_path, workbook_name) =
            read_package_relationships(&mut archive, limits).map_err(part_fault("_rels/.rels"))?;
        let rels_path = format!("{xl_path}_rels/{workbook_name}.rels");
        let relationships =
            read_relationships(&mut archive, &rels_path, limits).map_err(part_fault(&rels_path))?;
        let workbook_path = format!("{xl_path}{workbook_name}");
        let sheets = read_workbook(
            &mut archive,
            &workbook_path,
            &xl_path,
            &relationships,
            limits,
        )
        .map_err(part_fault(&workbook_path))?;
        let strings_path = format!("{xl_path}sharedStrings.xml");
        let strings = read_shared_strings(&mut archive, &strings_path, limits)
            .map_err(part_fault(&strings_path))?;
        let styles_path = format!("{xl_path}styles.xml");
        let formats =
            read_formats(&mut archive, &styles_path, limits).map_err(part_fault(&styles_path))?;
        Ok(Self {
            archive,
            sheets,
            formats,
            strings,
        })
    }
}

/// The folder and name of the workbook part, from the package relationships.
fn read_package_relationships(
    archive: &mut zip::ZipArchive<Cursor<SharedBytes>>,
    limits: PartLimits,
) -> Scan<(String, String)> {
    let Some(mut xml) = open_part(archive, "_rels/.rels", limits)? else {
        return corrupt("the part is missing");
    };
    loop {
        match xml.next()? {
            Event::Start { name, .. } if local(xml.bytes(name)) == b"Relationships" => break,
            Event::Eof => return corrupt("no <Relationships> element"),
            _ => {}
        }
    }
    let mut target = None;
    loop {
        match xml.next()? {
            Event::Start { name, attrs } if local(xml.bytes(name)) == b"Relationship" => {
                let [kind, found_target] = get_attrs(xml.bytes(attrs), |key| match key {
                    b"Type" => Some(0),
                    b"Target" => Some(1),
                    _ => None,
                })?;
                if kind.is_some_and(|kind| kind.ends_with(b"/relationships/officeDocument"))
                    && let Some(found) = found_target
                {
                    target = Some(decode_attr(found)?);
                }
            }
            Event::End { name } if local(xml.bytes(name)) == b"Relationships" => break,
            Event::Eof => return corrupt("the XML ends before </Relationships>"),
            _ => {}
        }
    }
    let Some(target) = target else {
        return corrupt("no relationship to the workbook part (officeDocument)");
    };
    let (folder, name) = match target.rfind('/') {
        Some(slash) => target.split_at(slash + 1),
        None => ("", target.as_str()),
    };
    let folder = folder.strip_prefix('/').unwrap_or(folder).to_owned();
    let name = if name.is_empty() {
        "workbook.xml".to_owned()
    } else {
        name.to_owned()
    };
    Ok((folder, name))
}

/// The workbook's relationships: id → (target, type), both as written.
fn read_relationships(
    archive: &mut zip::ZipArchive<Cursor<SharedBytes>>,
    path: &str,
    limits: PartLimits,
) -> Scan<HashMap<String, (String, String)>> {
    let Some(mut xml) = open_part(archive, path, limits)? else {
        return corrupt("the part is missing");
    };
    let mut relationships = HashMap::new();
    loop {
        match xml.next()? {
            Event::Start { name, attrs } if local(xml.bytes(name)) == b"Relationship" => {
                let [id, kind, target] = get_attrs(xml.bytes(attrs), |key| match key {
                    b"Id" => Some(0),
                    b"Type" => Some(1),
                    b"Target" => Some(2),
                    _ => None,
                })?;
                if let Some(id) = id {
                    let text = |value: Option<&[u8]>| -> Scan<String> {
                        Ok(value.map(utf8).transpose()?.unwrap_or_default().to_owned())
                    };
                    relationships.insert(text(Some(id))?, (text(target)?, text(kind)?));
                }
            }
            Event::End { name } if local(xml.bytes(name)) == b"Relationships" => break,
            Event::Eof => return corrupt("the XML ends before </Relationships>"),
            _ => {}
        }
    }
    Ok(relationships)
}

/// Whether an attribute key is `local` with or without a namespace prefix.
fn local_key_is(key: &[u8], local: &[u8]) -> bool {
    key == local
        || key
            .strip_suffix(local)
            .is_some_and(|prefix| prefix.last() == Some(&b':'))
}

/// The sheets' names and part paths, in workbook order.
fn read_workbook(
    archive: &mut zip::ZipArchive<Cursor<SharedBytes>>,
    path: &str,
    xl_path: &str,
    relationships: &HashMap<String, (String, String)>,
    limits: PartLimits,
) -> Scan<Vec<(String, String)>> {
    let Some(mut xml) = open_part(archive, path, limits)? else {
        return Ok(Vec::new());
    };
    let mut sheets = Vec::new();
    loop {
        match xml.next()? {
            Event::Start { name, attrs } if local(xml.bytes(name)) == b"sheet" => {
                let mut sheet_name = String::new();
                let mut relationship: &[u8] = b"";
                for item in self::attrs(xml.bytes(attrs)) {
                    let (key, value) = item?;
                    if key == b"name" {
                        sheet_name = decode_attr(value)?;
                    } else if local_key_is(key, b"id") {
                        relationship = value;
                    }
                }
                let relationship = utf8(relationship)?;
                let Some((target, _)) = relationships.get(relationship) else {
                    return corrupt(format!(
                        "the sheet {sheet_name:?} names the relationship {relationship:?}, which does not exist"
                    ));
                };
                let part = match target.strip_prefix('/') {
                    Some(absolute) => absolute.to_owned(),
                    None => format!("{xl_path}{target}"),
                };
                sheets.push((sheet_name, part));
            }
            Event::End { name } if local(xml.bytes(name)) == b"workbook" => break,
            Event::Eof => return corrupt("the XML ends before </workbook>"),
            _ => {}
        }
    }
    Ok(sheets)
}

/// The number format class of each cell style (`cellXfs`), by the style index.
fn read_formats(
    archive: &mut zip::ZipArchive<Cursor<SharedBytes>>,
    path: &str,
    limits: PartLimits,
) -> Scan<Vec<CellFormat>> {
    let Some(mut xml) = open_part(archive, path, limits)? else {
        return Ok(Vec::new());
    };
    let mut custom: HashMap<Vec<u8>, String> = HashMap::new();
    let mut formats = Vec::new();
    loop {
        match xml.next()? {
            Event::Start { name, .. } if local(xml.bytes(name)) == b"numFmts" => loop {
                match xml.next()? {
                    Event::Start { name, attrs } if local(xml.bytes(name)) == b"numFmt" => {
                        let [id, code] = get_attrs(xml.bytes(attrs), |key| match key {
                            b"numFmtId" => Some(0),
                            b"formatCode" => Some(1),
                            _ => None,
                        })?;
                        if let (Some(id), Some(code)) = (id, code) {
                            custom.insert(id.to_vec(), decode_attr(code)?);
                        }
                    }
                    Event::End { name } if local(xml.bytes(name)) == b"numFmts" => break,
                    Event::Eof => return corrupt("the XML ends before </numFmts>"),
                    _ => {}
                }
            },
            Event::Start { name, .. } if local(xml.bytes(name)) == b"cellXfs" => loop {
                match xml.next()? {
                    Event::Start { name, attrs } if local(xml.bytes(name)) == b"xf" => {
                        let format = match attr(xml.bytes(attrs), b"numFmtId")? {
                            None => CellFormat::Other,
                            Some(id) => match custom.get(id) {
                                Some(code) => detect_custom_number_format(code),
                                None => builtin_format_by_id(id),
                            },
                        };
                        formats.push(format);
                        loop {
                            match xml.next()? {
                                Event::End { name } if local(xml.bytes(name)) == b"xf" => break,
                                Event::Eof => return corrupt("the XML ends before </xf>"),
                                _ => {}
                            }
                        }
                    }
                    Event::End { name } if local(xml.bytes(name)) == b"cellXfs" => break,
                    Event::Eof => return corrupt("the XML ends before </cellXfs>"),
                    _ => {}
                }
            },
            Event::End { name } if local(xml.bytes(name)) == b"styleSheet" => break,
            Event::Eof => return corrupt("the XML ends before </styleSheet>"),
            _ => {}
        }
    }
    Ok(formats)
}

fn read_shared_strings(
    archive: &mut zip::ZipArchive<Cursor<SharedBytes>>,
    path: &str,
    limits: PartLimits,
) -> Scan<SharedStrings> {
    let mut strings = SharedStrings::default();
    let Some(mut xml) = open_part(archive, path, limits)? else {
        return Ok(strings);
    };
    loop {
        match xml.next()? {
            Event::Start { name, attrs } if local(xml.bytes(name)) == b"sst" => {
                if let Some(count) = attr(xml.bytes(attrs), b"uniqueCount")?.and_then(parse_index) {
                    // A hint, not trusted beyond what a part of this size could hold.
                    strings.ends.reserve(count.min(1 << 20));
                }
                break;
            }
            Event::Eof => return corrupt("no <sst> element"),
            _ => {}
        }
    }
    let mut names = Names::default();
    let mut scratch = String::new();
    loop {
        match xml.next()? {
            Event::Start { name, .. } if local(xml.bytes(name)) == b"si" => {
                set_name(&mut names.element, xml.bytes(name));
                read_string(
                    &mut xml,
                    &names.element,
                    &mut names.t,
                    &mut strings.text,
                    &mut scratch,
                )?;
                strings.ends.push(strings.text.len());
            }
            Event::End { name } if local(xml.bytes(name)) == b"sst" => break,
            Event::Eof => return corrupt("the XML ends before </sst>"),
            _ => {}
        }
    }
    Ok(strings)
}

/// Reused buffers for element names that must outlive the window's next refill.
#[derive(Debug, Default)]
struct Names {
    element: Vec<u8>,
    t: Vec<u8>,
}

fn set_name(buffer: &mut Vec<u8>, name: &[u8]) {
    buffer.clear();
    buffer.extend_from_slice(name);
}

/// Reads a string element (`<si>` or `<is>`) up to its end tag named `closing`, appending its
/// text to `out`: plain or rich text (the `<t>` of every `<r>` run), phonetic runs (`<rPh>`)
/// left out, each `<t>` trimmed of ASCII whitespace unless `xml:space="preserve"`, `_xHHHH_`
/// escapes decoded. calamine's `read_string_with_bufs`.
fn read_string<R: Read>(
    xml: &mut XmlReader<R>,
    closing: &[u8],
    t_name: &mut Vec<u8>,
    out: &mut String,
    scratch: &mut String,
) -> Scan<()> {
    let mut rich = false;
    let mut phonetic = false;
    loop {
        match xml.next()? {
            Event::Start { name, .. } if !rich && local(xml.bytes(name)) == b"r" => rich = true,
            Event::Start { name, .. } if local(xml.bytes(name)) == b"rPh" => phonetic = true,
            Event::End { name } if xml.bytes(name) == closing => return Ok(()),
            Event::End { name } if local(xml.bytes(name)) == b"rPh" => phonetic = false,
            Event::Start { name, attrs } if !phonetic && local(xml.bytes(name)) == b"t" => {
                let preserve = attr(xml.bytes(attrs), b"xml:space")? == Some(b"preserve");
                set_name(t_name, xml.bytes(name));
                scratch.clear();
                loop {
                    match xml.next()? {
                        Event::Text(span) | Event::CData(span) => {
                            push_xml10(scratch, xml.text(span)?);
                        }
                        Event::Ref(span) => push_reference(scratch, xml.text(span)?)?,
                        Event::End { name } if xml.bytes(name) == t_name.as_slice() => break,
                        Event::Eof => return corrupt("the XML ends inside a <t> element"),
                        _ => {}
                    }
                }
                let text = if preserve {
                    scratch.as_str()
                } else {
                    trim_xml_whitespace(scratch)
                };
                match unescape_excel(text) {
                    // A decoded escape made a new string: move it rather than copy it.
                    Cow::Owned(decoded) if out.is_empty() => *out = decoded,
                    decoded => out.push_str(&decoded),
                }
                rich = true;
            }
            Event::Eof => return corrupt("the XML ends inside a string"),
            _ => {}
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The sheet

/// The `t` attribute of a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
enum CellType {
    /// No `t`: a number, or text if it does not parse.
    Absent,
    Number,
    Shared,
    Bool,
    Error,
    /// `str`: a formula's text result.
    FormulaText,
    /// `d`: an ISO 8601 date.
    Date,
    /// `inlineStr` (or `is`).
    Inline,
    Unknown(String),
}

impl CellType {
    fn parse(t: Option<&[u8]>) -> Self {
        match t {
            None => Self::Absent,
            Some(b"n") => Self::Number,
            Some(b"s") => Self::Shared,
            Some(b"b") => Self::Bool,
            Some(b"e") => Self::Error,
            Some(b"str") => Self::FormulaText,
            Some(b"d") => Self::Date,
            Some(b"inlineStr" | b"is") => Self::Inline,
            Some(other) => Self::Unknown(String::from_utf8_lossy(other).into_owned()),
        }
    }

    /// Whether a `<v>` of this type is read raw (no entities expected).
    fn raw_value(&self) -> bool {
        matches!(
            self,
            Self::Absent | Self::Number | Self::Shared | Self::Bool | Self::Error
        )
    }
}

/// The context of one cell, as calamine's `read_v` takes it.
struct CellContext<'a> {
    strings: &'a SharedStrings,
    /// `None` when the style index points past the styles.
    format: Option<CellFormat>,
    cell_type: CellType,
    is_1904: bool,
}

/// A `<v>`'s text as a value (calamine's `read_v`, then [`cell_value`]).
fn value_of(context: &CellContext<'_>, v: &str) -> Scan<CellValue> {
    match &context.cell_type {
        CellType::Shared => {
            if v.is_empty() {
                return Ok(CellValue::Empty);
            }
            let index = parse_index(v.as_bytes()).unwrap_or(0);
            match context.strings.get(index) {
                Some(text) => Ok(cell_value(DataRef::SharedString(text))),
                None => corrupt(format!(
                    "the shared string {index} does not exist (the workbook has {})",
                    context.strings.ends.len()
                )),
            }
        }
        CellType::Bool => {
            let value = v.trim();
            if value.is_empty() {
                Ok(CellValue::Empty)
            } else if value == "0" || value.eq_ignore_ascii_case("false") {
                Ok(CellValue::Bool(false))
            } else if value == "1" || value.eq_ignore_ascii_case("true") {
                Ok(CellValue::Bool(true))
            } else {
                corrupt(format!("invalid boolean value {v:?}"))
            }
        }
        CellType::Date => Ok(iso_datetime(v)),
        CellType::Error => match v.parse::<CellErrorType>() {
            Ok(error) => Ok(cell_value(DataRef::Error(error))),
            Err(_) => corrupt(format!("unknown error value {v:?}")),
        },
        CellType::FormulaText => Ok(cell_value(DataRef::String(unescape_excel(v).into_owned()))),
        CellType::Number | CellType::Absent => {
            if v.is_empty() {
                return Ok(CellValue::Empty);
            }
            match fast_float2::parse::<f64, _>(v.as_bytes()) {
                Ok(number) => Ok(number_value(number, context.format, context.is_1904)),
                Err(_) if context.cell_type == CellType::Absent => {
                    Ok(cell_value(DataRef::String(v.to_owned())))
                }
                Err(_) => corrupt(format!("invalid number {v:?}")),
            }
        }
        CellType::Inline => Ok(CellValue::Empty),
        CellType::Unknown(t) => corrupt(format!("unknown cell type t={t:?}")),
    }
}

/// A number as its format shows it: a date, a duration or a plain number (calamine's
/// `format_excel_f64_ref`, then [`cell_value`]).
fn number_value(number: f64, format: Option<CellFormat>, is_1904: bool) -> CellValue {
    let kind = match format {
        Some(CellFormat::DateTime) => ExcelDateTimeType::DateTime,
        Some(CellFormat::TimeDelta) => ExcelDateTimeType::TimeDelta,
        _ => return CellValue::Number(number),
    };
    cell_value(DataRef::DateTime(ExcelDateTime::new(number, kind, is_1904)))
}

/// Where the reading of a sheet is, for error messages.
#[derive(Debug, Clone, Copy)]
enum Position {
    BeforeData,
    Row(u32),
    InCell(u32, u32),
    AfterCell(u32, u32),
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Position::BeforeData => f.write_str("before the first row"),
            Position::Row(row) => write!(f, "at row {}", u64::from(row) + 1),
            Position::InCell(row, column) => write!(f, "in cell {}", cell_name(row, column)),
            Position::AfterCell(row, column) => {
                write!(f, "after cell {}", cell_name(row, column))
            }
        }
    }
}

/// Streams the cells of one worksheet part (calamine's `XlsxCellReader::new` and
/// `next_cell`).
struct SheetReader<'a, R> {
    xml: XmlReader<R>,
    strings: &'a SharedStrings,
    formats: &'a [CellFormat],
    is_1904: bool,
    names: Names,
    scratch: String,
    position: Position,
}

impl<R: Read> SheetReader<'_, R> {
    /// Reads up to `<sheetData>`.
    fn start(&mut self) -> Scan<()> {
        let mut first_element: Option<String> = None;
        loop {
            match self.xml.next()? {
                Event::Start { name, attrs } => match local(self.xml.bytes(name)) {
                    b"dimension" => match attr(self.xml.bytes(attrs), b"ref")? {
                        Some(range) => check_dimension(range)?,
                        None => return corrupt("the <dimension> element has no ref attribute"),
                    },
                    b"sheetData" => return Ok(()),
                    other => {
                        if first_element.is_none() {
                            first_element = Some(String::from_utf8_lossy(other).into_owned());
                        }
                    }
                },
                Event::Eof => {
                    return corrupt(match first_element {
                        Some(kind) if kind != "worksheet" => {
                            format!("the part is a {kind}, not a worksheet")
                        }
                        _ => "the part has no <sheetData> (truncated?)".to_owned(),
                    });
                }
                _ => {}
            }
        }
    }

    /// Visits every cell until `</sheetData>` or until `visit` breaks.
    fn cells(
        &mut self,
        visit: &mut dyn FnMut(u32, u32, CellValue) -> Result<ControlFlow<()>>,
    ) -> std::result::Result<(), CellsError> {
        let mut row_index: u32 = 0;
        let mut column_index: u32 = 0;
        loop {
            match self.xml.next()? {
                Event::Start { name, attrs } => match local(self.xml.bytes(name)) {
                    b"row" => {
                        if let Some(reference) = attr(self.xml.bytes(attrs), b"r")? {
                            row_index = parse_reference(reference)?.0;
                        }
                        self.position = Position::Row(row_index);
                    }
                    b"c" => {
                        let [reference, style, kind] =
                            get_attrs(self.xml.bytes(attrs), |key| match key {
                                b"r" => Some(0),
                                b"s" => Some(1),
                                b"t" => Some(2),
                                _ => None,
                            })?;
                        let (row, column) = match reference {
                            Some(reference) => {
                                let (row, column) = parse_cell_reference(reference)?;
                                column_index = column;
                                (row, column)
                            }
                            None => (row_index, column_index),
                        };
                        self.position = Position::InCell(row, column);
                        let format = match style {
                            Some(style) => {
                                self.formats.get(parse_index(style).unwrap_or(0)).copied()
                            }
                            None => Some(CellFormat::Other),
                        };
                        let context = CellContext {
                            strings: self.strings,
                            format,
                            cell_type: CellType::parse(kind),
                            is_1904: self.is_1904,
                        };
                        let value = self.cell(&context)?;
                        self.position = Position::AfterCell(row, column);
                        column_index = column_index.wrapping_add(1);
                        if visit(row, column, value)
                            .map_err(CellsError::Visit)?
                            .is_break()
                        {
                            return Ok(());
                        }
                    }
                    _ => {}
                },
                Event::End { name } => match local(self.xml.bytes(name)) {
                    b"row" => {
                        row_index = row_index.wrapping_add(1);
                        column_index = 0;
                    }
                    b"sheetData" => return Ok(()),
                    _ => {}
                },
                Event::Eof => {
                    return Err(CellsError::Fault(Fault::Corrupt(
                        "the XML ends before </sheetData> (truncated?)".to_owned(),
                    )));
                }
                _ => {}
            }
        }
    }

    /// Reads a cell's content up to `</c>`: its value is that of its last child element.
    fn cell(&mut self, context: &CellContext<'_>) -> Scan<CellValue> {
        let mut value = CellValue::Empty;
        if self.common_cell(context, &mut value)? {
            return Ok(value);
        }
        loop {
            match self.xml.next()? {
                Event::Start { name, .. } => {
                    set_name(&mut self.names.element, self.xml.bytes(name));
                    value = self.child(context)?;
                }
                Event::End { name } if local(self.xml.bytes(name)) == b"c" => return Ok(value),
                Event::Eof => return corrupt("the XML ends inside a cell"),
                _ => {}
            }
        }
    }

    /// Reads the content of the cell whose start tag was just read when it has one of the
    /// shapes that spreadsheet programs write (`<is><t>text</t></is></c>` or
    /// `<v>value</v></c>`, without references, comments or prefixes, all in the window),
    /// into `value` straight from the window; `false` (nothing consumed) for anything else. What it yields
    /// is what the events would: this is only a shortcut past them.
    fn common_cell(&mut self, context: &CellContext<'_>, value: &mut CellValue) -> Scan<bool> {
        const INLINE: &[u8] = b"<is><t>";
        const INLINE_PRESERVE: &[u8] = b"<is><t xml:space=\"preserve\">";
        const INLINE_END: &[u8] = b"</t></is></c>";
        const VALUE: &[u8] = b"<v>";
        const VALUE_END: &[u8] = b"</v></c>";
        let xml = &self.xml;
        if xml.pending_end.is_some() {
            return Ok(false);
        }
        let rest = &xml.window[xml.pos..xml.end];
        let (text_start, preserve, end_tag) = if rest.starts_with(INLINE) {
            (INLINE.len(), false, INLINE_END)
        } else if rest.starts_with(INLINE_PRESERVE) {
            (INLINE_PRESERVE.len(), true, INLINE_END)
        } else if rest.starts_with(VALUE) && context.cell_type.raw_value() {
            (VALUE.len(), false, VALUE_END)
        } else {
            return Ok(false);
        };
        let Some(text_len) = memchr::memchr2(b'<', b'&', &rest[text_start..]) else {
            return Ok(false);
        };
        let text_end = text_start + text_len;
        if !rest[text_end..].starts_with(end_tag) {
            return Ok(false);
        }
        let Ok(text) = std::str::from_utf8(&rest[text_start..text_end]) else {
            return Ok(false);
        };
        *value = if end_tag == VALUE_END {
            if text.is_empty() {
                // `<v></v>` has no text event: the value is empty whatever the type.
                CellValue::Empty
            } else {
                value_of(context, text)?
            }
        } else if memchr::memchr(b'\r', text.as_bytes()).is_some() {
            // Line ends to normalize: the events copy the text once, this would twice.
            return Ok(false);
        } else {
            let text = if preserve {
                text
            } else {
                trim_xml_whitespace(text)
            };
            cell_value(DataRef::String(unescape_excel(text).into_owned()))
        };
        let consumed = xml.pos + text_end + end_tag.len();
        self.xml.advance(consumed)?;
        // The `</c>` closed the cell opened by the start tag before.
        self.xml.depth -= 1;
        Ok(true)
    }

    /// Reads a child of `<c>` whose start tag was just read and whose name is in
    /// `names.element` (calamine's `read_value`).
    fn child(&mut self, context: &CellContext<'_>) -> Scan<CellValue> {
        let element = self.names.element.as_slice();
        match local(element) {
            b"is" => {
                let mut text = String::new();
                read_string(
                    &mut self.xml,
                    element,
                    &mut self.names.t,
                    &mut text,
                    &mut self.scratch,
                )?;
                Ok(cell_value(DataRef::String(text)))
            }
            b"v" if context.cell_type == CellType::Inline => {
                self.xml.skip_to_end(element)?;
                Ok(CellValue::Empty)
            }
            b"v" if context.cell_type.raw_value() => {
                let value = match self.xml.next()? {
                    Event::Text(span) => value_of(context, self.xml.text(span)?)?,
                    Event::End { name } if self.xml.bytes(name) == element => {
                        return Ok(CellValue::Empty);
                    }
                    Event::Eof => return corrupt("the XML ends inside a <v> element"),
                    _ => CellValue::Empty,
                };
                self.xml.skip_to_end(element)?;
                Ok(value)
            }
            b"v" => {
                self.scratch.clear();
                loop {
                    match self.xml.next()? {
                        Event::Text(span) => push_xml10(&mut self.scratch, self.xml.text(span)?),
                        Event::Ref(span) => {
                            push_reference(&mut self.scratch, self.xml.text(span)?)?;
                        }
                        Event::End { name } if self.xml.bytes(name) == element => break,
                        Event::Eof => return corrupt("the XML ends inside a <v> element"),
                        _ => {}
                    }
                }
                value_of(context, &self.scratch)
            }
            b"f" => {
                self.xml.skip_to_end(element)?;
                Ok(CellValue::Empty)
            }
            other => corrupt(format!(
                "unexpected element <{}> in a cell (expected v, f or is)",
                String::from_utf8_lossy(other)
            )),
        }
    }
}

/// Checks a `<dimension ref>` as calamine does (one or two cell references).
fn check_dimension(range: &[u8]) -> Scan<()> {
    let mut parts = 0;
    for part in range.split(|&b| b == b':') {
        parse_cell_reference(part)?;
        parts += 1;
    }
    if parts > 2 {
        return corrupt(format!(
            "the dimension {:?} has {parts} parts",
            String::from_utf8_lossy(range)
        ));
    }
    Ok(())
}

/// Why [`SheetReader::cells`] stopped: the part, or the visitor.
enum CellsError {
    Fault(Fault),
    Visit(Error),
}

impl From<Fault> for CellsError {
    fn from(fault: Fault) -> Self {
        CellsError::Fault(fault)
    }
}

// ---------------------------------------------------------------------------------------------
// The entry point

/// The xlsx reader of one workbook: the file's bytes and, after the first sheet read, the
/// workbook's parts.
pub(crate) struct XlsxCells {
    bytes: SharedBytes,
    format: FileFormat,
    is_1904: bool,
    limits: PartLimits,
    parts: Option<Parts>,
}

impl std::fmt::Debug for XlsxCells {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XlsxCells")
            .field("format", &self.format)
            .field("is_1904", &self.is_1904)
            .field("limits", &self.limits)
            .field("parts", &self.parts)
            .finish_non_exhaustive()
    }
}

impl XlsxCells {
    /// A reader of the workbook in `bytes` (an xlsx or xlsm container that calamine opened);
    /// `is_1904` as calamine read it from the workbook part.
    pub(crate) fn new(
        bytes: SharedBytes,
        format: FileFormat,
        is_1904: bool,
        limits: &ReadLimits,
    ) -> Self {
        Self {
            bytes,
            format,
            is_1904,
            limits: PartLimits {
                max_bytes: limits.max_part_unzipped_bytes,
                read_chunk: usize::MAX,
            },
            parts: None,
        }
    }

    /// Takes at most `read_chunk` inflated bytes at once, so that tests see the XML cut at
    /// every place.
    #[cfg(test)]
    fn with_read_chunk(mut self, read_chunk: usize) -> Self {
        self.limits.read_chunk = read_chunk;
        self
    }

    /// Visits the cells of `sheet` in the order of the part, with their 0-based row and
    /// column, until the sheet ends or `visit` breaks. Cells may be empty.
    ///
    /// # Errors
    ///
    /// [`Error::Corrupt`] when a part is missing or its XML is broken (naming the part and
    /// the cell), [`Error::TooLarge`] when a part inflates past
    /// [`ReadLimits::max_part_unzipped_bytes`], or whatever `visit` returns.
    pub(crate) fn for_each_cell(
        &mut self,
        file: &str,
        sheet: &str,
        visit: &mut dyn FnMut(u32, u32, CellValue) -> Result<ControlFlow<()>>,
    ) -> Result<()> {
        let format = self.format.as_str();
        let limits = self.limits;
        let to_error = |part: &str, fault: Fault| match fault {
            Fault::TooLarge => Error::TooLarge {
                file: file.to_owned(),
                limit: Limit::PartUnzippedBytes,
                max: limits.max_bytes,
                part: Some(part.to_owned()),
            },
            Fault::Corrupt(reason) => Error::Corrupt {
                file: file.to_owned(),
                format,
                reason: format!("{part}: {reason}"),
            },
        };
        if self.parts.is_none() {
            let parts = Parts::load(self.bytes.clone(), limits)
                .map_err(|failed| to_error(&failed.part, failed.fault))?;
            self.parts = Some(parts);
        }
        let Some(parts) = self.parts.as_mut() else {
            return Ok(());
        };
        let Some((_, path)) = parts.sheets.iter().find(|(name, _)| name == sheet) else {
            return Err(Error::Corrupt {
                file: file.to_owned(),
                format,
                reason: format!("the workbook part does not list the sheet {sheet:?}"),
            });
        };
        let path = path.clone();
        let xml = match open_part(&mut parts.archive, &path, limits) {
            Ok(Some(xml)) => xml,
            Ok(None) => {
                return Err(Error::Corrupt {
                    file: file.to_owned(),
                    format,
                    reason: format!(
                        "the part {path} of the sheet {sheet:?} is missing from the container"
                    ),
                });
            }
            Err(fault) => return Err(to_error(&path, fault)),
        };
        let mut reader = SheetReader {
            xml,
            strings: &parts.strings,
            formats: &parts.formats,
            is_1904: self.is_1904,
            names: Names::default(),
            scratch: String::new(),
            position: Position::BeforeData,
        };
        let result = match reader.start() {
            Ok(()) => reader.cells(visit),
            Err(fault) => Err(CellsError::Fault(fault)),
        };
        match result {
            Ok(()) => Ok(()),
            Err(CellsError::Visit(err)) => Err(err),
            Err(CellsError::Fault(Fault::TooLarge)) => Err(to_error(&path, Fault::TooLarge)),
            Err(CellsError::Fault(fault)) => Err(to_error(
                &format!("sheet {sheet:?} ({path}), {}", reader.position),
                fault,
            )),
        }
    }
}

#[cfg(test)]
mod tests;
