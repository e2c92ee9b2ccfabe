//! A streaming estimate of how many cells calamine will allocate for an ods sheet.
//!
//! calamine reads an ods sheet into a dense range: every cell from the first to the last value,
//! with `number-rows-repeated` and `number-columns-repeated` expanded. A small `content.xml`
//! can so ask for billions of cells. This scanner sees the inflated bytes once, in chunks,
//! keeps only the current tag (capped), and tracks the extent of the values of each sheet.

/// The longest tag kept; attributes past it are not seen (a tag that long is hostile anyway,
/// and calamine caps repeats at Excel's limits).
const MAX_TAG: usize = 64 * 1024;

#[derive(Debug, Default)]
pub(crate) struct OdsExtent {
    in_tag: bool,
    tag: Vec<u8>,
    row: u64,
    row_repeat: u64,
    column: u64,
    row_last_value_column: Option<u64>,
    sheet_last_row: Option<u64>,
    sheet_last_column: u64,
    largest: u128,
}

fn attribute(tag: &str, name: &str) -> Option<u64> {
    let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
    let value = tag.get(start..)?.split('"').next()?;
    value.parse().ok()
}

impl OdsExtent {
    /// Feeds the next inflated bytes of `content.xml`.
    pub(crate) fn feed(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            if self.in_tag {
                if byte == b'>' {
                    self.in_tag = false;
                    let tag = std::mem::take(&mut self.tag);
                    self.on_tag(&String::from_utf8_lossy(&tag));
                    self.tag = tag;
                    self.tag.clear();
                } else if self.tag.len() < MAX_TAG {
                    self.tag.push(byte);
                }
            } else if byte == b'<' {
                self.in_tag = true;
            }
        }
    }

    fn on_tag(&mut self, tag: &str) {
        let name = tag.split(|c: char| c.is_whitespace() || c == '/').next();
        let self_closing = tag.ends_with('/');
        match name {
            Some("table:table") => {
                self.finish_sheet();
                self.row = 0;
            }
            Some("table:table-row") => {
                self.row_repeat = attribute(tag, "table:number-rows-repeated").unwrap_or(1);
                self.column = 0;
                self.row_last_value_column = None;
                if self_closing {
                    self.row = self.row.saturating_add(self.row_repeat);
                }
            }
            Some("table:table-cell" | "table:covered-table-cell") => {
                let repeat = attribute(tag, "table:number-columns-repeated").unwrap_or(1);
                if tag.contains("office:value-type=") {
                    self.row_last_value_column =
                        Some(self.column.saturating_add(repeat.saturating_sub(1)));
                }
                self.column = self.column.saturating_add(repeat);
            }
            _ if tag.starts_with("/table:table-row") => {
                if let Some(column) = self.row_last_value_column.take() {
                    let last_row = self.row.saturating_add(self.row_repeat.saturating_sub(1));
                    self.sheet_last_row = Some(last_row);
                    self.sheet_last_column = self.sheet_last_column.max(column);
                }
                self.row = self.row.saturating_add(self.row_repeat);
            }
            _ if tag.starts_with("/table:table") && !tag.starts_with("/table:table-") => {
                self.finish_sheet();
            }
            _ => {}
        }
    }

    fn finish_sheet(&mut self) {
        if let Some(last_row) = self.sheet_last_row.take() {
            let cells = (u128::from(last_row) + 1) * (u128::from(self.sheet_last_column) + 1);
            self.largest = self.largest.max(cells);
        }
        self.sheet_last_column = 0;
    }

    /// The most cells any sheet seen so far spans.
    pub(crate) fn largest_sheet(&mut self) -> u128 {
        self.finish_sheet();
        self.largest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_the_extent_with_repeats() {
        let xml = r#"<office:spreadsheet><table:table table:name="A">
            <table:table-row><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>
            <table:table-cell table:number-columns-repeated="3"/></table:table-row>
            <table:table-row table:number-rows-repeated="1000"><table:table-cell table:number-columns-repeated="2"/>
            <table:table-cell office:value-type="float" office:value="1"/></table:table-row>
            <table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>
            </table:table></office:spreadsheet>"#;
        let mut extent = OdsExtent::default();
        for chunk in xml.as_bytes().chunks(7) {
            extent.feed(chunk);
        }
        assert_eq!(extent.largest_sheet(), 1001 * 3);
    }
}
