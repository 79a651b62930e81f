#!/bin/sh
# tests/run.sh - runs trapline's test suites and prints one closing line
# "N passed, N failed".  Usage: BUILD=build sh tests/run.sh [unit|e2e|real|fuzz|headers|all]
#
# A suite that needs ../shared/captures skips with a message when it is absent,
# except under CI=true, where its absence is a failure.
set -u
BUILD=${BUILD:-build}
WHAT=${1:-all}
ROOT=$(pwd)
SHARED=${TRAPLINE_SHARED:-$ROOT/../shared}
OUT=$BUILD/test-out
mkdir -p "$OUT"
PASS=0
FAIL=0
SKIP=0

pass() { PASS=$((PASS + 1)); }
fail() { FAIL=$((FAIL + 1)); echo "FAIL: $*"; }

# Adds the "N passed, N failed" counts a test binary printed.
count_output() {
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
    if [ -z "$line" ]; then
        return 1
    fi
    p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')
    f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
    PASS=$((PASS + p))
    FAIL=$((FAIL + f))
    return 0
}

suite_unit() {
    echo "== unit tests"
    for t in "$BUILD"/tests/test_*; do
        [ -x "$t" ] || continue
        n=$(basename "$t")
        if (cd "$ROOT" && "$t") >"$OUT/$n.log" 2>&1; then rc=0; else rc=$?; fi
        if ! count_output "$OUT/$n.log"; then
            fail "$n printed no result line (exit $rc)"
            tail -n 20 "$OUT/$n.log"
            continue
        fi
        if [ $rc -ne 0 ]; then
            echo "FAIL: $n (exit $rc)"
            grep -v -E '^[0-9]+ passed' "$OUT/$n.log" | tail -n 30
            # a crash after the counts is a failure of its own
            grep -q -E '^[0-9]+ passed, 0 failed' "$OUT/$n.log" && FAIL=$((FAIL + 1))
        else
            echo "ok   $n: $(tail -n 1 "$OUT/$n.log")"
        fi
    done
}

suite_e2e() {
    echo "== end-to-end (tests/e2e/cases.txt)"
    sh tests/e2e/run_cases.sh "$BUILD" >"$OUT/e2e.log" 2>&1
    cat "$OUT/e2e.log"
    count_output "$OUT/e2e.log" || fail "e2e runner printed no result line"
}

suite_real() {
    echo "== real captures ($SHARED/captures)"
    if [ ! -d "$SHARED/captures/files" ]; then
        if [ "${CI:-}" = "true" ]; then
            fail "real captures: $SHARED/captures is missing under CI=true"
        else
            echo "SKIP: real captures: $SHARED/captures not found (a fresh clone without ../shared)"
            SKIP=$((SKIP + 1))
        fi
        return
    fi
    sh tests/e2e/real.sh "$BUILD" "$SHARED/captures" >"$OUT/real.log" 2>&1
    cat "$OUT/real.log"
    count_output "$OUT/real.log" || fail "real-capture runner printed no result line"
}

suite_fuzz() {
    echo "== fuzz corpus replay"
    found=0
    for t in "$BUILD"/fuzz-replay/fuzz_*; do
        [ -x "$t" ] || continue
        found=1
        n=$(basename "$t")
        dir=tests/fuzz/corpus/$n
        if [ ! -d "$dir" ]; then
            fail "$n: no corpus at $dir"
            continue
        fi
        if "$t" "$dir" >"$OUT/$n.log" 2>&1; then
            pass
            echo "ok   $n: $(tail -n 1 "$OUT/$n.log")"
        else
            fail "$n crashed or failed on its corpus"
            tail -n 20 "$OUT/$n.log"
        fi
    done
    [ $found -eq 1 ] || echo "(no fuzz targets built)"
}

suite_headers() {
    echo "== headers compile on their own"
    CFLAGS_H="-std=c11 -D_DEFAULT_SOURCE -I. $(pkg-config --cflags libpcap libndpi sqlite3 yaml-0.1) -Wall -Wextra -Werror -fsyntax-only"
    for h in capture/*.h classify/*.h signatures/*.h report/*.h cli/*.h; do
        [ -f "$h" ] || continue
        if printf '#include "%s"\n#include "%s"\n' "$h" "$h" | ${CC:-cc} $CFLAGS_H -x c - 2>"$OUT/hdr.log"; then
            pass
        else
            fail "header $h does not compile on its own (or lacks a guard)"
            cat "$OUT/hdr.log"
        fi
    done
    echo "headers checked"
}

case $WHAT in
unit) suite_unit ;;
e2e) suite_e2e ;;
real) suite_real ;;
fuzz) suite_fuzz ;;
headers) suite_headers ;;
conventions) BUILD=$BUILD sh tests/suites/conventions.sh; exit $? ;;
all)
    suite_unit
    suite_headers
    suite_e2e
    suite_real
    suite_fuzz
    for extra in tests/suites/*.sh; do
        [ -f "$extra" ] || continue
        echo "== $(basename "$extra" .sh)"
        n=$(basename "$extra" .sh)
        BUILD=$BUILD SHARED=$SHARED sh "$extra" >"$OUT/suite-$n.log" 2>&1
        cat "$OUT/suite-$n.log"
        count_output "$OUT/suite-$n.log" || fail "suite $n printed no result line"
    done
    ;;
*) echo "usage: tests/run.sh [unit|e2e|real|fuzz|headers|conventions|all]" >&2; exit 2 ;;
esac

if [ $SKIP -gt 0 ]; then
    echo "$PASS passed, $FAIL failed, $SKIP skipped"
else
    echo "$PASS passed, $FAIL failed"
fi
[ $FAIL -eq 0 ]
