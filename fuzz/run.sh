#!/usr/bin/env bash
# Runs every fuzz target from the committed seeds, on the stable toolchain (RUSTC_BOOTSTRAP=1
# lets cargo-fuzz pass its flags), without sanitizers. See docs/fuzzing.md.
#
#   bash fuzz/run.sh            CI: a fixed seed and a fixed number of runs per target (about
#                               a minute each here), so a run is the same every time and a
#                               failure is a change in the code, not luck
#   bash fuzz/run.sh SECONDS    explore: SECONDS per target with a random seed
#
# New inputs go to $FUZZ_CORPUS/<target> (default fuzz/corpus, not committed); a crash stops
# the run with the input in fuzz/artifacts/<target>/: make it a regression test.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-}"
corpus="${FUZZ_CORPUS:-corpus}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
cargo fuzz build -s none -O
# target:runs (the CI run's length; about a minute each on the 2-core machine)
for entry in spreadsheet:250000 csv:120000 validators:150000 mapping:150000 error_workbook:12000; do
    target="${entry%%:*}"
    runs="${entry##*:}"
    mkdir -p "$corpus/$target"
    if [ -n "$seconds" ]; then
        echo "==> fuzz $target for ${seconds}s"
        budget=(-max_total_time="$seconds")
    else
        echo "==> fuzz $target: $runs runs from seed 1"
        budget=(-runs="$runs" -seed=1)
    fi
    cargo fuzz run "$target" -s none -O "$corpus/$target" "seeds/$target" -- \
        "${budget[@]}" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 2>&1 \
        | grep -E "^(#[0-9]+ +DONE|stat::|==|Done)|ERROR|SUMMARY|deadly" || true
    if [ -n "$(ls -A "artifacts/$target" 2>/dev/null)" ]; then
        echo "fuzz $target found a crash: fuzz/artifacts/$target" >&2
        exit 1
    fi
done
