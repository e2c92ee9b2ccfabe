//! Pages of the listings: which slice of [`companies`](crate::companies),
//! [`contacts`](crate::contacts) or [`projects`](crate::projects) to list, and the slice
//! with the count of all that match.

use serde::Serialize;
use tuonti_domain::Lang;

/// The rows a page holds unless the caller says otherwise.
pub const DEFAULT_LIMIT: u64 = 100;

/// The most rows one page may hold.
pub const MAX_LIMIT: u64 = 1_000;

/// A slice of a listing: at most `limit` rows (1 to [`MAX_LIMIT`]) after skipping `offset`.
///
/// ```
/// use tuonti_importer::paging::Page;
///
/// let page = Page::parse(Some("100"), Some("200"))?;
/// assert_eq!((page.limit(), page.offset()), (100, 200));
/// assert_eq!(Page::parse(None, None)?, Page::first());
/// assert!(Page::new(0, 0).is_err());
/// # Ok::<(), tuonti_importer::paging::PageError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Page {
    limit: u64,
    offset: u64,
}

impl Page {
    /// The first page of [`DEFAULT_LIMIT`] rows.
    pub fn first() -> Page {
        Page {
            limit: DEFAULT_LIMIT,
            offset: 0,
        }
    }

    /// A page of `limit` rows after `offset` rows.
    ///
    /// # Errors
    ///
    /// [`PageError::Limit`] for a limit below 1 or above [`MAX_LIMIT`];
    /// [`PageError::Offset`] for a negative offset.
    pub fn new(limit: i64, offset: i64) -> Result<Page, PageError> {
        let limit = u64::try_from(limit)
            .ok()
            .filter(|limit| (1..=MAX_LIMIT).contains(limit))
            .ok_or_else(|| PageError::Limit {
                given: limit.to_string(),
            })?;
        let offset = u64::try_from(offset).map_err(|_| PageError::Offset {
            given: offset.to_string(),
        })?;
        Ok(Page { limit, offset })
    }

    /// A page as a query string or form gives it: `limit` (default [`DEFAULT_LIMIT`]) and
    /// `offset` (default 0) as text; a blank value is the default.
    ///
    /// # Errors
    ///
    /// [`PageError::Limit`] for a limit that is no whole number from 1 to [`MAX_LIMIT`];
    /// [`PageError::Offset`] for an offset that is no whole number from 0.
    pub fn parse(limit: Option<&str>, offset: Option<&str>) -> Result<Page, PageError> {
        fn given(value: Option<&str>) -> Option<&str> {
            value.map(str::trim).filter(|value| !value.is_empty())
        }
        let limit = match given(limit) {
            None => DEFAULT_LIMIT as i64,
            Some(text) => text.parse::<i64>().map_err(|_| PageError::Limit {
                given: text.to_owned(),
            })?,
        };
        let offset = match given(offset) {
            None => 0,
            Some(text) => text.parse::<i64>().map_err(|_| PageError::Offset {
                given: text.to_owned(),
            })?,
        };
        Page::new(limit, offset)
    }

    /// The most rows of the page.
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// How many rows come before the page.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// The page as the store takes it.
    pub(crate) fn to_store(self) -> tuonti_persistence::Page {
        tuonti_persistence::Page {
            limit: self.limit,
            offset: self.offset,
        }
    }
}

/// Paging that cannot be read: the message names the value given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PageError {
    /// The limit is no whole number from 1 to [`MAX_LIMIT`].
    #[error("the limit must be a whole number from 1 to {MAX_LIMIT}, not {given:?}")]
    Limit {
        /// The limit as given.
        given: String,
    },
    /// The offset is no whole number from 0 up.
    #[error("the offset must be a whole number from 0 up, not {given:?}")]
    Offset {
        /// The offset as given.
        given: String,
    },
}

impl PageError {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (PageError::Limit { given }, Lang::Fi) => {
                format!("Rivimäärän (limit) pitää olla kokonaisluku 1–{MAX_LIMIT}, ei {given:?}.")
            }
            (PageError::Limit { given }, Lang::Sv) => {
                format!("Antalet rader (limit) ska vara ett heltal 1–{MAX_LIMIT}, inte {given:?}.")
            }
            (PageError::Limit { given }, Lang::En) => format!(
                "The number of rows (limit) must be a whole number from 1 to {MAX_LIMIT}, not \
                 {given:?}."
            ),
            (PageError::Offset { given }, Lang::Fi) => format!(
                "Ohitettavien rivien määrän (offset) pitää olla kokonaisluku 0 tai suurempi, ei \
                 {given:?}."
            ),
            (PageError::Offset { given }, Lang::Sv) => format!(
                "Antalet rader att hoppa över (offset) ska vara ett heltal 0 eller större, inte \
                 {given:?}."
            ),
            (PageError::Offset { given }, Lang::En) => format!(
                "The number of rows to skip (offset) must be a whole number from 0 up, not \
                 {given:?}."
            ),
        }
    }
}

/// Rows of a listing with how many match in all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listing<T> {
    /// The rows of the page (all of them when no page was asked for).
    pub rows: Vec<T>,
    /// How many rows match the query, on every page.
    pub total: u64,
    /// The page asked for; `None` when the listing holds every row.
    pub page: Option<Page>,
}

impl<T> Listing<T> {
    /// How many rows come before this page's (0 without a page).
    pub fn offset(&self) -> u64 {
        self.page.map_or(0, |page| page.offset)
    }

    /// The offset of the next page, `None` on the last one.
    pub fn next_offset(&self) -> Option<u64> {
        let end = self.offset() + self.rows.len() as u64;
        (self.page.is_some() && !self.rows.is_empty() && end < self.total).then_some(end)
    }

    /// The offset of the previous page, `None` on the first one. From past the end it is
    /// the last page that has rows.
    pub fn previous_offset(&self) -> Option<u64> {
        let page = self.page?;
        let last_page = self.total.saturating_sub(1) / page.limit * page.limit;
        (page.offset > 0).then(|| page.offset.saturating_sub(page.limit).min(last_page))
    }

    /// The rows' places in the whole listing, counted from 1 (`201..=300`); `None` when the
    /// page is empty.
    pub fn span(&self) -> Option<(u64, u64)> {
        (!self.rows.is_empty()).then(|| (self.offset() + 1, self.offset() + self.rows.len() as u64))
    }

    /// The same listing with each row turned into another.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Listing<U> {
        Listing {
            rows: self.rows.into_iter().map(f).collect(),
            total: self.total,
            page: self.page,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(offset: u64, limit: u64, rows: usize, total: u64) -> Listing<u8> {
        Listing {
            rows: vec![0; rows],
            total,
            page: Some(Page { limit, offset }),
        }
    }

    #[test]
    fn pages_are_read_from_text_and_checked() {
        assert_eq!(Page::parse(Some(" 5 "), Some("")), Page::new(5, 0));
        assert_eq!(Page::parse(None, Some("7")).map(|p| p.limit()), Ok(100));
        for (limit, offset, bad) in [
            ("0", "0", "limit"),
            ("1001", "0", "limit"),
            ("-1", "0", "limit"),
            ("kymmenen", "0", "limit"),
            ("10", "-5", "offset"),
            ("10", "1.5", "offset"),
        ] {
            let error = Page::parse(Some(limit), Some(offset)).unwrap_err();
            assert!(error.to_string().contains(bad), "{error}");
            let [fi, sv, en] = Lang::ALL.map(|lang| error.message(lang));
            assert!(fi != sv && sv != en && fi != en, "{fi} / {sv} / {en}");
        }
        assert_eq!(Page::new(1000, 47_000).map(|p| p.offset()), Ok(47_000));
    }

    #[test]
    fn a_listing_knows_its_neighbours_and_span() {
        let middle = listing(200, 100, 100, 47_000);
        assert_eq!(middle.next_offset(), Some(300));
        assert_eq!(middle.previous_offset(), Some(100));
        assert_eq!(middle.span(), Some((201, 300)));
        let last = listing(46_900, 100, 100, 47_000);
        assert_eq!(last.next_offset(), None);
        let first = listing(0, 100, 3, 3);
        assert_eq!((first.previous_offset(), first.next_offset()), (None, None));
        // Past the end: nothing to show, the way back is the last page with rows.
        let past = listing(500, 100, 0, 3);
        assert_eq!((past.span(), past.next_offset()), (None, None));
        assert_eq!(past.previous_offset(), Some(0));
        assert_eq!(listing(900, 100, 0, 250).previous_offset(), Some(200));
        assert_eq!(listing(30, 100, 5, 200).previous_offset(), Some(0));
    }
}
