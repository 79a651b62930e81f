#!/bin/sh
# tests/suites/refresh_ranges.sh - signatures/refresh_ranges.py on fixture lists in
# each vendor's published format (tests/suites/refresh_fixtures/): the right prefixes
# land in the right rule, the source gets the list name and date, nothing else
# changes, a second run changes nothing, and the result still loads.
# Prints "N passed, N failed" last.
set -u
BUILD=${1:-${BUILD:-build}}
ROOT=$(pwd)
FIX=$ROOT/tests/suites/refresh_fixtures
TMP=$(mktemp -d "${TMPDIR:-/tmp}/trapline-refresh.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
PASS=0
FAIL=0
ok() { PASS=$((PASS + 1)); echo "ok   $1"; }
bad() { FAIL=$((FAIL + 1)); echo "FAIL: $1"; }
if ! command -v python3 >/dev/null 2>&1; then
    echo "SKIP: python3 not installed"; echo "0 passed, 0 failed"; exit 0
fi
CAT=$TMP/catalog.yaml
cp "$ROOT/signatures/catalog.yaml" "$CAT"
refresh() { python3 "$ROOT/signatures/refresh_ranges.py" --catalog "$CAT" --date 2026-12-02 "$@" 2>>"$TMP/log"; }
# expect_line GREP-PATTERN WHAT
has() { if grep -qF -- "$1" "$CAT"; then ok "$2"; else bad "$2: no line with $1"; fi; }

refresh --service Skype/Teams --rule 0 --format ms-endpoints --list "$FIX/ms-endpoints.json" --select id=11 \
    && ok "Microsoft endpoints JSON (id=11) read" || bad "Microsoft endpoints JSON"
has '      - cidr: ["13.107.64.0/18", "52.112.0.0/14", "52.122.0.0/15", "2603:1063::/38"]' "Teams media prefixes from id 11 only"
has 'refreshed from ms-endpoints.json (ms-endpoints id=11); as of 2026-12-02"' "source names the list, selection and date"

refresh --service Google --format goog-json --list "$FIX/goog.json" && ok "goog.json read" || bad "goog.json"
has '      - cidr: ["8.8.4.0/24", "8.8.8.0/24", "142.250.0.0/15", "2001:4860::/32"]' "goog.json prefixes, IPv4 then IPv6"

refresh --service Telegram --format cidr-txt --list "$FIX/cidr.txt" && ok "Telegram cidr.txt read" || bad "cidr.txt"
has '      - cidr: ["91.108.4.0/22", "91.108.56.0/22", "149.154.160.0/20", "2001:b28:f23d::/48"]' "cidr.txt prefixes in address order, comments skipped"

refresh --service Meta --rule 1 --format route-objects --list "$FIX/as32934.txt" && ok "route objects read" || bad "route objects"
has '      - cidr: ["157.240.0.0/16", "2a03:2880::/32"]' "route:/route6: attributes merged (two /17 -> one /16)"

# only the rules' cidr and source lines changed: 4 sources, 3 value lists (the
# Teams list equals the catalog's)
n=$(diff "$ROOT/signatures/catalog.yaml" "$CAT" | grep -c '^>')
[ "$n" -eq 7 ] && ok "only the 4 source lines and 3 changed cidr lines differ" || bad "$n lines changed, want 7"
cp "$CAT" "$TMP/once.yaml"
refresh --service Meta --rule 1 --format route-objects --list "$FIX/as32934.txt"
cmp -s "$CAT" "$TMP/once.yaml" && ok "a second run changes nothing" || bad "second run changed the file"
"$ROOT/$BUILD/trapline" signatures check "$CAT" >/dev/null 2>&1 && ok "refreshed catalog loads" || bad "refreshed catalog does not load"
if python3 "$ROOT/signatures/refresh_ranges.py" --catalog "$CAT" --date 2026-12-02 --service Nobody \
        --format cidr-txt --list "$FIX/cidr.txt" 2>/dev/null; then bad "unknown service accepted"; else
    ok "unknown service refused"; fi
printf '10.0.0.1/8\n' >"$TMP/badlist.txt"
if python3 "$ROOT/signatures/refresh_ranges.py" --catalog "$CAT" --date 2026-12-02 --service Telegram \
        --format cidr-txt --list "$TMP/badlist.txt" 2>/dev/null; then bad "prefix with host bits accepted"; else
    ok "prefix with host bits refused"; fi
echo "$PASS passed, $FAIL failed"
[ $FAIL -eq 0 ]
