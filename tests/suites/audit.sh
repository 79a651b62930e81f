#!/bin/sh
# tests/suites/audit.sh - `trapline signatures audit` over every shared capture
# (../shared/captures/files/*/*, one database each) and pcaps/ (one database),
# compared with the reviewed golden tests/suites/audit_expected.txt.
#
# The golden names rules by catalog position (flows.rule = file:line:col), so an
# edit of signatures/catalog.yaml changes it: regenerate with UPDATE_EXPECTED=1 and
# review every line (which rule now decides which flows, and on what evidence).
# Skips without ../shared/captures, except under CI=true.  Prints "N passed, N failed".
set -u
BUILD=${1:-${BUILD:-build}}
ROOT=$(pwd)
SHARED_CAPTURES=${SHARED:-${TRAPLINE_SHARED:-$ROOT/../shared}}/captures
GOLDEN=$ROOT/tests/suites/audit_expected.txt
if [ ! -d "$SHARED_CAPTURES/files" ]; then
    if [ "${CI:-}" = "true" ]; then
        echo "FAIL: audit: $SHARED_CAPTURES is missing under CI=true"
        echo "0 passed, 1 failed"
        exit 1
    fi
    echo "SKIP: audit: $SHARED_CAPTURES not found (a fresh clone without ../shared)"
    echo "0 passed, 0 failed"
    exit 0
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/trapline-audit.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
n=0
for f in "$SHARED_CAPTURES"/files/*/*; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    "$ROOT/$BUILD/trapline" analyze -q --db "$TMP/$(printf '%03d' $n).db" "$f" >/dev/null 2>&1
done
"$ROOT/$BUILD/trapline" analyze -q --db "$TMP/pcaps.db" "$ROOT/pcaps/" >/dev/null 2>&1
"$ROOT/$BUILD/trapline" signatures audit "$TMP"/*.db >"$TMP/out" 2>"$TMP/err"
rc=$?
PASS=0
FAIL=0
if [ $rc -eq 0 ]; then PASS=$((PASS + 1)); echo "ok   audit ran over $n shared captures and pcaps/"; else
    FAIL=$((FAIL + 1)); echo "FAIL: audit exit $rc"; cat "$TMP/err"; fi
if [ "${UPDATE_EXPECTED:-}" = "1" ]; then
    cp "$TMP/out" "$GOLDEN"
    echo "updated $GOLDEN (review the diff before committing)"
fi
if diff -u "$GOLDEN" "$TMP/out" >"$TMP/diff"; then
    PASS=$((PASS + 1)); echo "ok   audit output matches the reviewed golden"
else
    FAIL=$((FAIL + 1)); echo "FAIL: audit output differs from $GOLDEN:"; cat "$TMP/diff"
fi
# No rule of vendor scope may have put a flow in ott-messaging.
if awk '/^rules deciding flows on vendor-generic/{p=1;next} p && NF==10 && $6 != 0 {bad=1} END{exit bad}' "$TMP/out"; then
    PASS=$((PASS + 1)); echo "ok   no vendor-scope rule decided an ott-messaging flow"
else
    FAIL=$((FAIL + 1)); echo "FAIL: a vendor-scope rule decided an ott-messaging flow"
fi
tail -n 1 "$TMP/out"
echo "$PASS passed, $FAIL failed"
[ $FAIL -eq 0 ]
