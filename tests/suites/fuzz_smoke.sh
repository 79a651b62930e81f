#!/bin/sh
# tests/suites/fuzz_smoke.sh - every libFuzzer target (make fuzz) for a fixed
# number of executions beyond its seed corpus (FUZZ_SMOKE_RUNS, default 2000;
# a twentieth of it for fuzz_report and fuzz_store_open, which are slow),
# with a time cap per target, so `make check` runs real fuzzing briefly.
# New inputs go to a temporary directory: the committed corpus is unchanged.
# Without clang's libFuzzer it skips with a message; under CI=true that fails.
set -u
BUILD=${BUILD:-build}
RUNS=${FUZZ_SMOKE_RUNS:-2000}
CAP=${FUZZ_SMOKE_SECONDS:-4}
PASS=0
FAIL=0
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' \
    > "$TMP/probe.c"
if ! ${FUZZ_CC:-clang} -fsanitize=fuzzer -o "$TMP/probe" "$TMP/probe.c" > /dev/null 2>&1; then
    if [ "${CI:-}" = true ]; then
        echo "FAIL: fuzz-smoke: clang with libFuzzer is unavailable under CI=true"
        echo "0 passed, 1 failed"
    else
        echo "SKIP: fuzz-smoke: clang with libFuzzer is unavailable (apt-get install clang)"
        echo "0 passed, 0 failed"
    fi
    exit 0
fi
if ! make -s -j2 fuzz BUILD="$BUILD" > "$TMP/build.log" 2>&1; then
    echo "FAIL: fuzz-smoke: make fuzz failed"; tail -n 20 "$TMP/build.log"
    echo "0 passed, 1 failed"
    exit 0
fi
for t in "$BUILD"/fuzz/fuzz_*; do
    [ -x "$t" ] || continue
    n=$(basename "$t")
    mkdir -p "$TMP/$n"
    # Targets that build and report a whole database per input run ~30
    # inputs a second: fewer runs, so the cap is not what stops them.
    r=$RUNS
    case $n in fuzz_report | fuzz_store_open) r=$((RUNS / 20)) ;; esac
    # -runs counts executions after the corpus is loaded; the cap bounds slow targets
    if "$t" -runs="$r" -max_total_time="$CAP" -timeout=10 -rss_limit_mb=2048 \
        "$TMP/$n" "tests/fuzz/corpus/$n" > "$TMP/$n.log" 2>&1; then
        execs=$(sed -n 's/^#\([0-9]*\).*DONE.*/\1/p; s/^Done \([0-9]*\) runs.*/\1/p' "$TMP/$n.log" | tail -n 1)
        PASS=$((PASS + 1))
        echo "ok   $n: ${execs:-?} executions"
    else
        FAIL=$((FAIL + 1))
        echo "FAIL: $n"
        grep -E 'ERROR|SUMMARY|crash-|Test unit written' "$TMP/$n.log" | head -n 10
    fi
done
echo "$PASS passed, $FAIL failed"
