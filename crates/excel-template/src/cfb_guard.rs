//! A guard for OLE compound files (xls) before calamine reads them, on the bytes already in
//! memory (both found by the `spreadsheet` fuzz target):
//!
//! - calamine follows sector chains until they end or reach a length a directory entry
//!   declares, so a chain that loops back on itself in a file of a few kilobytes makes it
//!   read the same sectors again and again, growing memory without bound: every chain
//!   calamine follows (the directory's, the mini stream's, the mini FAT's, each stream's) is
//!   checked for loops;
//! - calamine reserves memory for the cells a sheet's DIMENSIONS record declares before it
//!   reads any: the `Workbook` stream's records are scanned and a sheet declaring more cells
//!   than allowed is refused.

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const DIFSECT: u32 = 0xFFFF_FFFC;
const RESERVED: u32 = 0xFFFF_FFFA;
/// Streams shorter than this live in the mini stream, whose chains calamine reads only up to
/// the stream's length.
const MINI_STREAM_CUTOFF: u64 = 4096;

fn u32_at(bytes: &[u8], offset: usize) -> Option<u32> {
    let slice = bytes.get(offset..offset + 4)?;
    Some(u32::from_le_bytes([slice[0], slice[1], slice[2], slice[3]]))
}

/// Why a compound file is not handed to calamine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The file is damaged in a way calamine would not survive (the reason, in English).
    Damaged(String),
    /// A sheet declares an extent larger than allowed.
    Extent,
}

/// Why a compound file cannot be handed to calamine safely, or `None`: a sector chain that
/// loops, or a sheet whose declared extent (its DIMENSIONS record, for which calamine
/// reserves memory up front and then lays out every cell) is over `max_extent` cells or the
/// format's 65,536 × 256 (found by the `spreadsheet` fuzz target: a 6 KB file that asked for
/// petabytes; and public test files of 31–41 KB that declare 65,536 × 256 and took 0.4–1 GB).
/// Other damage (a sector past the end, a bad header) is left for calamine to report.
pub(crate) fn refused(bytes: &[u8], max_extent: u64) -> Option<Refusal> {
    let compound = match Compound::parse(bytes) {
        Ok(compound) => compound?,
        Err(reason) => return Some(Refusal::Damaged(reason.into())),
    };
    if let Some(reason) = compound.looping_chain() {
        return Some(Refusal::Damaged(reason.into()));
    }
    let stream = compound.workbook_stream()?;
    let limit = max_extent.min(65_536 * 256);
    // The extent of the cells calamine keeps (a sheet's substream, from its BOF to its EOF):
    // it lays out every cell between the first and the last, wherever the DIMENSIONS record
    // says they are.
    let mut cells = Extent::default();
    let mut offset = 0;
    while let (Some(kind), Some(len)) = (u16_at(&stream, offset), u16_at(&stream, offset + 2)) {
        let data = stream.get(offset + 4..offset + 4 + usize::from(len))?;
        match kind {
            // FILEPASS: the records after it are encrypted (their contents say nothing), and
            // calamine refuses the file as protected by a password without reading a cell.
            0x002F => return None,
            // BOF: a new substream (a sheet, or the workbook globals).
            0x0809 => cells = Extent::default(),
            // DIMENSIONS: what the sheet declares, reserved up front.
            0x0200 => {
                let (first_row, last_row, first_col, last_col) = match data.len() {
                    10 => (
                        u64::from(u16_at(data, 0)?),
                        u64::from(u16_at(data, 2)?),
                        u64::from(u16_at(data, 4)?),
                        u64::from(u16_at(data, 6)?),
                    ),
                    14 | 16 => (
                        u64::from(u32_at(data, 0)?),
                        u64::from(u32_at(data, 4)?),
                        u64::from(u16_at(data, 8)?),
                        u64::from(u16_at(data, 10)?),
                    ),
                    _ => (0, 0, 0, 0),
                };
                let rows = last_row.saturating_sub(first_row) + 1;
                let cols = last_col.saturating_sub(first_col) + 1;
                if rows.saturating_mul(cols) > limit {
                    return Some(Refusal::Extent);
                }
            }
            // The cell records calamine keeps: NUMBER, LABEL, RSTRING, BOOLERR, RK, LABELSST,
            // FORMULA (row and column first), MULRK (row, first column, ..., last column).
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                if let (Some(row), Some(col)) = (u16_at(data, 0), u16_at(data, 2)) {
                    cells.add(row, col);
                }
            }
            0x00BD => {
                if let (Some(row), Some(first), Some(last)) = (
                    u16_at(data, 0),
                    u16_at(data, 2),
                    data.len().checked_sub(2).and_then(|at| u16_at(data, at)),
                ) {
                    cells.add(row, first);
                    cells.add(row, last);
                }
            }
            _ => {}
        }
        if cells.cells() > limit {
            return Some(Refusal::Extent);
        }
        offset += 4 + usize::from(len);
    }
    None
}

/// The smallest rectangle around the cells seen.
#[derive(Debug, Default, Clone, Copy)]
struct Extent {
    /// First row, last row, first column, last column; `None` before the first cell.
    bounds: Option<(u16, u16, u16, u16)>,
}

impl Extent {
    fn add(&mut self, row: u16, col: u16) {
        self.bounds = Some(match self.bounds {
            None => (row, row, col, col),
            Some((top, bottom, left, right)) => {
                (top.min(row), bottom.max(row), left.min(col), right.max(col))
            }
        });
    }

    /// The cells in the rectangle.
    fn cells(&self) -> u64 {
        self.bounds.map_or(0, |(top, bottom, left, right)| {
            (u64::from(bottom - top) + 1) * (u64::from(right - left) + 1)
        })
    }
}

fn u16_at(bytes: &[u8], offset: usize) -> Option<u16> {
    let slice = bytes.get(offset..offset + 2)?;
    Some(u16::from_le_bytes([slice[0], slice[1]]))
}

/// A compound file's layout, read once: its sectors and its allocation table (FAT).
struct Compound<'a> {
    bytes: &'a [u8],
    sector_size: usize,
    /// More steps than this on a chain means it loops: the file has no more sectors.
    max_sectors: usize,
    /// The allocation table, up to the first of its sectors the file lacks.
    fat: Vec<u32>,
}

impl<'a> Compound<'a> {
    /// The layout; `Ok(None)` when the header is not one of a compound file (left for
    /// calamine to report), `Err` when the chain of allocation sectors loops.
    fn parse(bytes: &'a [u8]) -> Result<Option<Self>, &'static str> {
        let sector_size: usize = match u16_at(bytes, 30) {
            Some(0x0009) => 512,
            Some(0x000C) => 4096,
            _ => return Ok(None),
        };
        let mut compound = Compound {
            bytes,
            sector_size,
            max_sectors: bytes.len() / sector_size + 1,
            fat: Vec::new(),
        };
        // The DIFAT: 109 entries in the header, then a chain of DIFAT sectors.
        let mut difat: Vec<u32> = (0..109).filter_map(|i| u32_at(bytes, 76 + i * 4)).collect();
        let Some(mut next) = u32_at(bytes, 68) else {
            return Ok(None);
        };
        let mut steps = 0;
        while next < RESERVED {
            steps += 1;
            if steps > compound.max_sectors {
                return Err("its list of allocation sectors loops");
            }
            let Some(data) = compound.sector(next) else {
                break;
            };
            let entries: Vec<u32> = words(data).collect();
            let Some((&last, rest)) = entries.split_last() else {
                break;
            };
            difat.extend_from_slice(rest);
            next = last;
        }
        // The FAT: the allocation sectors, concatenated.
        let mut fat = Vec::new();
        for id in difat.into_iter().filter(|id| *id < DIFSECT) {
            let Some(data) = compound.sector(id) else {
                break;
            };
            fat.extend(words(data));
            if fat.len() > compound.max_sectors.saturating_mul(sector_size / 4) {
                break;
            }
        }
        compound.fat = fat;
        Ok(Some(compound))
    }

    /// Sector `id`; it starts after the header, which takes one sector.
    fn sector(&self, id: u32) -> Option<&'a [u8]> {
        let start = (id as usize)
            .checked_add(1)?
            .checked_mul(self.sector_size)?;
        let bytes = self.bytes;
        bytes.get(start..start.checked_add(self.sector_size)?.min(bytes.len()))
    }

    /// Whether the chain from `start` takes more steps than there are sectors in the file.
    /// A chain past the FAT or into a free sector is left for calamine to report.
    fn loops(&self, start: u32) -> bool {
        let mut id = start;
        let mut steps = 0usize;
        while id != ENDOFCHAIN {
            steps += 1;
            if steps > self.max_sectors {
                return true;
            }
            match self.fat.get(id as usize) {
                Some(next) => id = *next,
                None => return false,
            }
        }
        false
    }

    /// Why the file's structure cannot be read safely, or `None` when every chain calamine
    /// follows ends: the directory's, the mini FAT's, and every stream's.
    fn looping_chain(&self) -> Option<&'static str> {
        let dir_start = u32_at(self.bytes, 48)?;
        if self.loops(dir_start) {
            return Some("its directory's chain of sectors loops");
        }
        if u32_at(self.bytes, 64).is_some_and(|len| len > 0) && self.loops(u32_at(self.bytes, 60)?)
        {
            return Some("its mini allocation table's chain of sectors loops");
        }
        // Every directory entry (the directory chain is known to end): the root's mini
        // stream and every stream of the regular FAT.
        let mut id = dir_start;
        let mut first = true;
        let mut steps = 0;
        while id != ENDOFCHAIN && steps <= self.max_sectors {
            steps += 1;
            let Some(data) = self.sector(id) else { break };
            for entry in data.chunks_exact(128) {
                let start = u32_at(entry, 116)?;
                let len = if self.sector_size == 512 {
                    u64::from(u32_at(entry, 120)?)
                } else {
                    u64::from(u32_at(entry, 120)?) | u64::from(u32_at(entry, 124)?) << 32
                };
                let regular = first || len >= MINI_STREAM_CUTOFF;
                first = false;
                if regular && len > 0 && self.loops(start) {
                    return Some("a stream's chain of sectors loops");
                }
            }
            match self.fat.get(id as usize) {
                Some(next) => id = *next,
                None => break,
            }
        }
        None
    }

    /// The bytes of the `Workbook` (or `Book`) stream (call after [`Self::looping_chain`]
    /// found none); `None` when there is none or it cannot be followed.
    fn workbook_stream(&self) -> Option<Vec<u8>> {
        let regular = |id: u32| self.sector(id).map(<[u8]>::to_vec);
        let directory = follow(u32_at(self.bytes, 48)?, usize::MAX, &self.fat, &regular)?;
        let entries: Vec<&[u8]> = directory.chunks_exact(128).collect();
        let workbook = entries.iter().find(|entry| {
            let name = entry_name(entry);
            name.eq_ignore_ascii_case("Workbook") || name.eq_ignore_ascii_case("Book")
        })?;
        let start = u32_at(workbook, 116)?;
        let len = u32_at(workbook, 120)? as usize;
        if len as u64 >= MINI_STREAM_CUTOFF {
            return follow(start, len, &self.fat, &regular);
        }
        // A small stream lives in the mini stream (the root entry's chain), in 64-byte units
        // chained by the mini FAT.
        let root = entries.first()?;
        let mini_stream = follow(
            u32_at(root, 116)?,
            u32_at(root, 120)? as usize,
            &self.fat,
            &regular,
        )?;
        let mini_fat_bytes = follow(u32_at(self.bytes, 60)?, usize::MAX, &self.fat, &regular)?;
        let mini_fat: Vec<u32> = words(&mini_fat_bytes).collect();
        let mini = |id: u32| {
            let start = (id as usize).checked_mul(64)?;
            mini_stream.get(start..start + 64).map(<[u8]>::to_vec)
        };
        follow(start, len, &mini_fat, &mini)
    }
}

/// The little-endian 32-bit words of `data`.
fn words(data: &[u8]) -> impl Iterator<Item = u32> + '_ {
    data.chunks_exact(4)
        .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
}

/// A directory entry's name.
fn entry_name(entry: &[u8]) -> String {
    let units: Vec<u16> = entry[..64]
        .chunks_exact(2)
        .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
        .take_while(|unit| *unit != 0)
        .collect();
    String::from_utf16_lossy(&units)
}

/// The bytes of a chain of units (sectors or mini sectors) from `start`, linked by `table`,
/// up to `len` bytes; `None` when a unit or a link is missing.
fn follow(
    start: u32,
    len: usize,
    table: &[u32],
    unit: &dyn Fn(u32) -> Option<Vec<u8>>,
) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut id = start;
    let mut steps = 0;
    while id != ENDOFCHAIN && out.len() < len && steps <= table.len() {
        steps += 1;
        out.extend_from_slice(&unit(id)?);
        id = *table.get(id as usize)?;
    }
    out.truncate(len);
    Some(out)
}

/// Why a compound file's structure cannot be read safely, or `None` when every chain ends
/// (or the bytes are not a compound file). Other damage (a sector past the end, a bad
/// header) is left for calamine to report.
#[cfg(test)]
fn looping_chain(bytes: &[u8]) -> Option<&'static str> {
    match Compound::parse(bytes) {
        Ok(compound) => compound?.looping_chain(),
        Err(reason) => Some(reason),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A compound file of 512-byte sectors: the header, then `sectors` (FAT in sector 0).
    fn compound(fat: &[u32], directory: &[(u32, u32)], dir_sector: u32) -> Vec<u8> {
        let mut bytes = vec![0u8; 512];
        bytes[..8].copy_from_slice(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
        bytes[26..28].copy_from_slice(&3u16.to_le_bytes());
        bytes[30..32].copy_from_slice(&9u16.to_le_bytes());
        bytes[32..34].copy_from_slice(&6u16.to_le_bytes());
        bytes[44..48].copy_from_slice(&1u32.to_le_bytes());
        bytes[48..52].copy_from_slice(&dir_sector.to_le_bytes());
        bytes[60..64].copy_from_slice(&ENDOFCHAIN.to_le_bytes());
        bytes[68..72].copy_from_slice(&ENDOFCHAIN.to_le_bytes());
        for i in 0..109 {
            let value = if i == 0 { 0 } else { u32::MAX };
            bytes[76 + i * 4..80 + i * 4].copy_from_slice(&value.to_le_bytes());
        }
        let mut fat_sector = vec![0xFFu8; 512];
        for (i, next) in fat.iter().enumerate() {
            fat_sector[i * 4..i * 4 + 4].copy_from_slice(&next.to_le_bytes());
        }
        bytes.extend(fat_sector);
        let mut dir = vec![0u8; 512];
        for (i, (start, len)) in directory.iter().enumerate() {
            dir[i * 128 + 116..i * 128 + 120].copy_from_slice(&start.to_le_bytes());
            dir[i * 128 + 120..i * 128 + 124].copy_from_slice(&len.to_le_bytes());
        }
        bytes.extend(dir);
        bytes.extend(vec![0u8; 512 * 10]);
        bytes
    }

    #[test]
    fn chains_that_end_pass_and_loops_are_found() {
        // Sector 0: FAT; 1: directory; 2..=9: a stream of 8 sectors.
        let mut fat = vec![0xFFFF_FFFD, ENDOFCHAIN];
        fat.extend((3..=9).chain([ENDOFCHAIN]));
        let good = compound(&fat, &[(ENDOFCHAIN, 0), (2, 4096)], 1);
        assert_eq!(looping_chain(&good), None);

        let mut looped = fat.clone();
        looped[9] = 2;
        let bad = compound(&looped, &[(ENDOFCHAIN, 0), (2, 4096)], 1);
        assert_eq!(
            looping_chain(&bad),
            Some("a stream's chain of sectors loops")
        );

        let mut dir_loop = fat;
        dir_loop[1] = 1;
        let bad = compound(&dir_loop, &[(ENDOFCHAIN, 0)], 1);
        assert_eq!(
            looping_chain(&bad),
            Some("its directory's chain of sectors loops")
        );
    }
}
