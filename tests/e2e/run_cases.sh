#!/bin/sh
# tests/e2e/run_cases.sh BUILD - runs every case of tests/e2e/cases.txt: analyse
# the inputs into a fresh database, dump it canonically (dump.sql) and compare
# with tests/e2e/expected/<name>.txt.  UPDATE_EXPECTED=1 rewrites the expected
# files for review; it is refused under CI=true.
set -u
BUILD=$1
BIN=$BUILD/trapline
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PASS=0
FAIL=0
if [ "${UPDATE_EXPECTED:-}" = 1 ] && [ "${CI:-}" = true ]; then
    echo "UPDATE_EXPECTED is refused under CI=true"
    echo "0 passed, 1 failed"
    exit 1
fi
while read -r name want rest; do
    case $name in '#'* | '') continue ;; esac
    db=$TMP/$name.db
    # shellcheck disable=SC2086
    "$BIN" analyze -q --db "$db" $rest 2>"$TMP/$name.err"
    rc=$?
    if [ "$rc" != "$want" ]; then
        echo "FAIL: $name: exit $rc, expected $want"
        cat "$TMP/$name.err"
        FAIL=$((FAIL + 1))
        continue
    fi
    sqlite3 -batch "$db" <tests/e2e/dump.sql >"$TMP/$name.txt" 2>&1
    exp=tests/e2e/expected/$name.txt
    if [ "${UPDATE_EXPECTED:-}" = 1 ]; then
        cp "$TMP/$name.txt" "$exp"
        echo "updated $exp (review the diff before committing)"
        PASS=$((PASS + 1))
    elif [ ! -f "$exp" ]; then
        echo "FAIL: $name: no expected file $exp"
        FAIL=$((FAIL + 1))
    elif diff -u "$exp" "$TMP/$name.txt" >"$TMP/$name.diff"; then
        echo "ok   $name"
        PASS=$((PASS + 1))
    else
        echo "FAIL: $name: database dump differs from $exp"
        head -n 40 "$TMP/$name.diff"
        FAIL=$((FAIL + 1))
    fi
    # determinism: a second run must give the same dump
    rm -f "$db" "$db-wal" "$db-shm"
    # shellcheck disable=SC2086
    "$BIN" analyze -q --db "$db" $rest 2>/dev/null
    sqlite3 -batch "$db" <tests/e2e/dump.sql >"$TMP/$name.again" 2>&1
    if cmp -s "$TMP/$name.txt" "$TMP/$name.again"; then
        PASS=$((PASS + 1))
    else
        echo "FAIL: $name: a second run gave a different database"
        FAIL=$((FAIL + 1))
    fi
done <tests/e2e/cases.txt
echo "$PASS passed, $FAIL failed"
[ $FAIL -eq 0 ]
