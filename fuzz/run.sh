#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60) from the committed seeds, on the
# stable toolchain (RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its flags), without sanitizers.
# New inputs go to fuzz/corpus/<target> (not committed); a crash stops the run with the
# input in fuzz/artifacts/<target>/ — make it a regression test. See docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
cargo fuzz build -s none -O
for target in spreadsheet csv validators mapping error_workbook; do
    mkdir -p "corpus/$target"
    echo "==> fuzz $target for ${seconds}s"
    cargo fuzz run "$target" -s none -O "corpus/$target" "seeds/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 2>&1 \
        | grep -E "^(#[0-9]+ +DONE|stat::|==|Done)|ERROR|SUMMARY|deadly" || true
    if [ -n "$(ls -A "artifacts/$target" 2>/dev/null)" ]; then
        echo "fuzz $target found a crash: fuzz/artifacts/$target" >&2
        exit 1
    fi
done
