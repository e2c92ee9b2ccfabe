//! Resident memory of this process, from Linux's `/proc/self`.

/// A `/proc/self/status` value in KiB (`VmHWM`, `VmRSS`), or `None` off Linux.
fn status_kib(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(key)?.strip_prefix(':')?;
        rest.trim().trim_end_matches("kB").trim().parse().ok()
    })
}

/// The peak resident set size since the process started or since the last [`reset_peak`],
/// in KiB.
pub fn peak_kib() -> Option<u64> {
    status_kib("VmHWM")
}

/// The current resident set size, in KiB.
pub fn current_kib() -> Option<u64> {
    status_kib("VmRSS")
}

/// Resets the peak resident set size to the current one (Linux 4.0+: writing `5` to
/// `/proc/self/clear_refs`). Returns whether it worked: the peak afterwards must be no more
/// than the current size plus a little.
pub fn reset_peak() -> bool {
    if std::fs::write("/proc/self/clear_refs", "5").is_err() {
        return false;
    }
    match (peak_kib(), current_kib()) {
        (Some(peak), Some(current)) => peak <= current + 1024,
        _ => false,
    }
}

/// KiB as megabytes (10^6 bytes), the unit of the targets.
pub fn megabytes(kib: u64) -> f64 {
    kib as f64 * 1024.0 / 1e6
}
