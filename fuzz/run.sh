#!/usr/bin/env bash
# Runs every fuzz target from the committed seeds, on the stable toolchain (RUSTC_BOOTSTRAP=1
# lets cargo-fuzz pass its flags), without sanitizers. See docs/fuzzing.md.
#
#   bash fuzz/run.sh            CI: (1) replays every seed and every input found before
#                               (fuzz/seeds, crates/excel-template/tests/fixtures/fuzz): a
#                               failure there fails the run; (2) explores a fixed number of
#                               runs per target (about a minute each) and reports what it
#                               finds in fuzz/artifacts without failing the run, because
#                               exploration is not repeatable (hash seeds vary per process)
#   bash fuzz/run.sh SECONDS    explore SECONDS per target; exit 1 on a crash
#
# New inputs go to $FUZZ_CORPUS/<target> (default fuzz/corpus, not committed). Every input
# that fails becomes a seed or a regression fixture, with its fix.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-}"
corpus="${FUZZ_CORPUS:-corpus}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
cargo fuzz build -s none -O
targets="spreadsheet:250000 csv:120000 validators:150000 mapping:150000 error_workbook:12000"
run() {
    cargo fuzz run "$1" -s none -O "${@:2}" -rss_limit_mb=2048 -timeout=10 2>&1 \
        | grep -E "^(#[0-9]+ +DONE|==|Done)|ERROR|SUMMARY|deadly|panicked at fuzz_targets" || true
}
found=""
for entry in $targets; do
    target="${entry%%:*}"
    runs="${entry##*:}"
    mkdir -p "$corpus/$target"
    rm -rf "artifacts/$target"
    if [ -n "$seconds" ]; then
        echo "==> fuzz $target for ${seconds}s"
        run "$target" "$corpus/$target" "seeds/$target" -- -max_total_time="$seconds"
        if [ -n "$(ls -A "artifacts/$target" 2>/dev/null)" ]; then
            echo "fuzz $target found a crash: fuzz/artifacts/$target" >&2
            exit 1
        fi
        continue
    fi
    echo "==> fuzz $target: replay the seeds and the inputs found before"
    replay=(seeds/"$target")
    if [ "$target" = spreadsheet ] || [ "$target" = csv ]; then
        replay+=(../crates/excel-template/tests/fixtures/fuzz)
    fi
    run "$target" "${replay[@]}" -- -runs=0
    if [ -n "$(ls -A "artifacts/$target" 2>/dev/null)" ]; then
        echo "fuzz $target fails on a known input: fuzz/artifacts/$target" >&2
        exit 1
    fi
    echo "==> fuzz $target: explore $runs runs"
    run "$target" "$corpus/$target" "seeds/$target" -- -runs="$runs"
    if [ -n "$(ls -A "artifacts/$target" 2>/dev/null)" ]; then
        echo "NEW: fuzz $target found an input that fails: fuzz/artifacts/$target" \
            "(make it a seed or a regression fixture, and fix it)" >&2
        found="$found $target"
    fi
done
if [ -n "$found" ]; then
    echo "fuzzing found new failing inputs in:$found (reported, not failing this run)" >&2
fi
