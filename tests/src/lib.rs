//! End-to-end tests of Tuonti live in `tests/`: they drive the `tuonti` binary and the library
//! crates against one database, on SQLite and on PostgreSQL when `TUONTI_TEST_POSTGRES_URL` is
//! set. This library holds what they share.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

/// The path of the `tuonti` binary of this workspace, built first if needed (cargo builds only
/// a package's own binaries for its tests, and `tuonti` belongs to `tuonti-cli`).
///
/// # Panics
///
/// When the binary cannot be built: the end-to-end tests cannot run without it.
pub fn tuonti_bin() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| workspace_bin("tuonti-cli", "tuonti"))
        .clone()
}

/// The path of the `tuonti-server` binary of this workspace, built first if needed.
///
/// # Panics
///
/// When the binary cannot be built.
pub fn server_bin() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| workspace_bin("tuonti-server", "tuonti-server"))
        .clone()
}

/// Builds `bin` of `package` in this workspace's target directory and returns its path.
fn workspace_bin(package: &str, bin: &str) -> PathBuf {
    let status = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "-p", package, "--bin", bin])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status();
    assert!(
        status.as_ref().is_ok_and(|s| s.success()),
        "building the {bin} binary failed: {status:?}"
    );
    // This test binary is target/<profile>/deps/<name>; the binary is target/<profile>/<bin>.
    let exe = std::env::current_exe().unwrap_or_default();
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .map(PathBuf::from)
        .unwrap_or_default();
    profile_dir.join(format!("{bin}{}", std::env::consts::EXE_SUFFIX))
}
