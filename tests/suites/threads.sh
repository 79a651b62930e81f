#!/bin/sh
# tests/suites/threads.sh - determinism of the writer thread (issue 12): the
# threaded run (default) writes exactly the rows of the single-threaded run
# (TRAPLINE_THREADS=1), compared as canonical dumps (tests/e2e/dump.sql) on
# pcaps/ and on the shared captures, with the same run-end audit digest.  Prints "N passed, N failed" last.
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
    # the run-end digest: read back on one thread, or with the digest helper
    # thread (report/store_audit.c) when the run has enough flows
    for k in 1 2 3; do
        sqlite3 "$TMP/$name.$k.db" "SELECT detail FROM audit_log WHERE action = 'run-end'" \
            2>/dev/null | tr ';' '\n' | grep '^records_sha256=' >"$TMP/$name.$k.sha"
    done
    if [ "$rc1" = "$rc2" ] && [ "${flows:-0}" -gt "${MIN_FLOWS:-0}" ] &&
       [ -s "$TMP/$name.1.sha" ] && cmp -s "$TMP/$name.1.sha" "$TMP/$name.2.sha" &&
       cmp -s "$TMP/$name.1.sha" "$TMP/$name.3.sha" &&
       cmp -s "$TMP/$name.1.txt" "$TMP/$name.2.txt" &&
       cmp -s "$TMP/$name.1.txt" "$TMP/$name.3.txt"; then
        PASS=$((PASS + 1))
        echo "ok   $name: threaded run = single-threaded run ($flows flows, exit $rc1," \
             "run-end digest $(cut -c16-27 "$TMP/$name.1.sha")...)"
    else
        FAIL=$((FAIL + 1))
        echo "FAIL: $name: exit $rc1 vs $rc2, $flows flows;" \
             "digests $(cat "$TMP/$name.1.sha" "$TMP/$name.2.sha" "$TMP/$name.3.sha" | tr '\n' ' ');" \
             "dump diff:"
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
# Many short flows from pcaps/ (tests/bench/mkbench.c, as make bench builds its
# capture): more than report/store_audit.c's DIGEST_PAR_MIN_IDS (8,192) flow
# ids, so the two-thread runs read the run-end digest's flows with the helper.
if ${CC:-cc} -O2 -std=c11 -D_DEFAULT_SOURCE -o "$TMP/mkbench" tests/bench/mkbench.c \
        $(pkg-config --cflags --libs libpcap) 2>"$TMP/mkbench.err" &&
   "$TMP/mkbench" -o "$TMP/many.pcap" -n 0 -p 300000 -m pcaps/ >>"$TMP/mkbench.err" 2>&1; then
    MIN_FLOWS=9000 same many-flows "$TMP/many.pcap"
else
    FAIL=$((FAIL + 1))
    echo "FAIL: cannot build the many-flows capture:"
    cat "$TMP/mkbench.err"
fi
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
