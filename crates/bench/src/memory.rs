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

/// The CPU time this process has used so far (user plus system, all threads), in seconds,
/// from `/proc/self/stat` (clock ticks of 1/100 s); `None` off Linux.
pub fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis
    // start with field 3, so utime (14) and stime (15) are the 12th and 13th of them.
    let rest = stat.rsplit_once(')')?.1;
    let mut fields = rest.split_whitespace().skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    Some((user + system) as f64 / 100.0)
}
