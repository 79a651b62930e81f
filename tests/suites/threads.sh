#!/bin/sh
# tests/suites/threads.sh - determinism of the writer thread (issue 12): the
# threaded run (default) writes exactly the rows of the single-threaded run
# (TRAPLINE_THREADS=1), compared as canonical dumps (tests/e2e/dump.sql) on
# pcaps/ and on the shared captures.  Prints "N passed, N failed" last.
set -u
BUILD=${1:-${BUILD:-build}}
SHARED=${SHARED:-../shared}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/trapline-threads.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
PASS=0
FAIL=0

# same NAME INPUT...: analyse with 1 and 2 threads, compare the dumps.
same() {
    name=$1
    shift
    TRAPLINE_THREADS=1 "$BUILD/trapline" analyze -q --db "$TMP/$name.1.db" "$@" >/dev/null 2>&1
    rc1=$?
    "$BUILD/trapline" analyze -q --db "$TMP/$name.2.db" "$@" >/dev/null 2>&1
    rc2=$?
    # --threads 1 on the command line is the same switch
    "$BUILD/trapline" analyze -q --threads 1 --db "$TMP/$name.3.db" "$@" >/dev/null 2>&1
    sqlite3 -batch "$TMP/$name.1.db" <tests/e2e/dump.sql >"$TMP/$name.1.txt" 2>&1
    sqlite3 -batch "$TMP/$name.2.db" <tests/e2e/dump.sql >"$TMP/$name.2.txt" 2>&1
    sqlite3 -batch "$TMP/$name.3.db" <tests/e2e/dump.sql >"$TMP/$name.3.txt" 2>&1
    flows=$(sqlite3 "$TMP/$name.1.db" "SELECT count(*) FROM flows" 2>/dev/null)
    if [ "$rc1" = "$rc2" ] && [ "${flows:-0}" -gt 0 ] &&
       cmp -s "$TMP/$name.1.txt" "$TMP/$name.2.txt" &&
       cmp -s "$TMP/$name.1.txt" "$TMP/$name.3.txt"; then
        PASS=$((PASS + 1))
        echo "ok   $name: threaded run = single-threaded run ($flows flows, exit $rc1)"
    else
        FAIL=$((FAIL + 1))
        echo "FAIL: $name: exit $rc1 vs $rc2, $flows flows; dump diff:"
        diff "$TMP/$name.1.txt" "$TMP/$name.2.txt" | head -n 20
    fi
}

same pcaps pcaps/
if [ -d "$SHARED/captures/files" ]; then
    same shared "$SHARED/captures/files"
elif [ "${CI:-}" = true ]; then
    FAIL=$((FAIL + 1))
    echo "FAIL: shared captures: $SHARED/captures/files is missing under CI=true"
else
    echo "SKIP: shared captures: $SHARED/captures/files not found"
fi
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
