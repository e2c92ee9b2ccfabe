//! Writing a finished workbook to its path so that nobody ever sees half of it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Writes `bytes` to `path` atomically: into a temporary file beside it (same folder, so the
/// same file system), then renamed over `path`. A reader of `path` sees the old file or the
/// whole new one, never a part; two processes writing the same path (two imports of one file
/// writing its error workbook) each rename a complete file, the later one winning. On
/// failure the temporary file is removed and `path` is left as it was.
///
/// # Errors
///
/// The I/O error of creating, writing or renaming the temporary file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = path
        .file_name()
        .map_or_else(|| "tuonti".into(), |name| name.to_string_lossy());
    let temporary: PathBuf = path.with_file_name(format!(
        ".{name}.{}.{}.partial",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let written = std::fs::File::create(&temporary)
        .and_then(|mut file| file.write_all(bytes).and_then(|()| file.flush()))
        .and_then(|()| std::fs::rename(&temporary, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_whole_and_leaves_nothing_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("asiakkaat-virheet.xlsx");
        write_atomically(&path, b"first").unwrap();
        write_atomically(&path, b"second, longer").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second, longer");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "a temporary file was left behind");
    }

    #[test]
    fn a_failed_write_leaves_the_path_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no such folder").join("x.xlsx");
        assert!(write_atomically(&missing, b"x").is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn concurrent_writers_of_one_path_leave_a_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shared.xlsx");
        let contents: Vec<Vec<u8>> = (0..8u8).map(|n| vec![n; 200_000]).collect();
        std::thread::scope(|scope| {
            for bytes in &contents {
                let path = &path;
                scope.spawn(move || write_atomically(path, bytes).unwrap());
            }
        });
        let written = std::fs::read(&path).unwrap();
        assert!(contents.contains(&written), "a mixed or partial file");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
