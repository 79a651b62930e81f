#!/bin/sh
# tests/suites/report_browser.sh - issue 15 acceptance: the HTML report in a
# real browser (headless Chromium driven over the DevTools protocol by
# tests/browser/cdp_measure.js, which injects tests/browser/measure.js; the
# report itself stays script-free) at 1280 and 390 px, on the demo report
# (analyze pcaps/) and on a report of every shared capture; and the text
# report of all shared captures reaching its first subject within 60 lines.
# Screenshots: $BUILD/test-out/report-<name>-<width>[-subject|-graph].png.
# Prints "N passed, N failed" last.
set -u
BUILD=${BUILD:-build}
BIN=$BUILD/trapline
SHARED=${SHARED:-../shared}
OUT=$BUILD/test-out
WORK=$OUT/report-browser
PASS=0
FAIL=0
ok() { PASS=$((PASS + 1)); echo "ok   $*"; }
bad() { FAIL=$((FAIL + 1)); echo "FAIL: $*"; }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }
skip_or_fail() { if [ "${CI:-}" = true ]; then bad "$1 (required under CI=true)"; else echo "SKIP: $1"; fi; }
rm -rf "$WORK"
mkdir -p "$WORK"
export SOURCE_DATE_EPOCH=1709290000

# ---- databases: the demo (pcaps/) and, when present, every shared capture
"$BIN" analyze -q --db "$WORK/demo.db" pcaps/ >/dev/null 2>&1
check "demo database built" "[ -s '$WORK/demo.db' ]"
names=demo
if [ -d "$SHARED/captures/files" ]; then
    find "$SHARED/captures/files" -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' \) | sort >"$WORK/all.list"
    # shellcheck disable=SC2046
    "$BIN" analyze -q --db "$WORK/all.db" $(cat "$WORK/all.list") >/dev/null 2>&1
    check "all-captures database built ($(wc -l <"$WORK/all.list") captures)" "[ -s '$WORK/all.db' ]"
    names="demo all"
    # The text report of all shared captures: findings first, the first
    # subject section within the first 60 lines.
    "$BIN" report --db "$WORK/all.db" >"$WORK/all.txt"
    first=$(grep -n '^=== Subject ' "$WORK/all.txt" | head -n 1 | cut -d: -f1)
    echo "     all-captures text report: $(wc -l <"$WORK/all.txt") lines, first subject at line ${first:-none}"
    check "text report of all shared captures: first subject within 60 lines" "[ -n '$first' ] && [ '$first' -le 60 ]"
    check "text report of all shared captures: summary and findings before it" \
        "[ \$(grep -n '^Summary (one line per subject)' '$WORK/all.txt' | cut -d: -f1) -lt $first ] && [ \$(grep -n '^Findings' '$WORK/all.txt' | cut -d: -f1) -lt $first ]"
else
    skip_or_fail "shared captures not found at $SHARED/captures"
fi

# ---- the browser
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
    skip_or_fail "chromium not installed (make deps)"
elif ! command -v node >/dev/null 2>&1 || [ "$(node --experimental-websocket -e 'process.stdout.write(typeof WebSocket)' 2>/dev/null)" != function ]; then
    skip_or_fail "node with a built-in WebSocket (Node >= 20) not installed"
else
    for name in $names; do
        html=$WORK/$name.html
        "$BIN" report --db "$WORK/$name.db" --format html -o "$html" 2>/dev/null
        check "$name: html written" "[ -s '$html' ]"
        for w in 1280 390; do
            png=$OUT/report-$name-$w.png
            rm -f "$png"
            node --experimental-websocket tests/browser/cdp_measure.js "$CHROME" "$html" "$w" "$png" \
                >"$WORK/$name-$w.json" 2>"$WORK/$name-$w.err"
            j=$WORK/$name-$w.json
            if ! jq -e . "$j" >/dev/null 2>&1; then
                bad "$name @${w}px: no measurements ($(head -c 300 "$WORK/$name-$w.err"))"
                continue
            fi
            echo "     $name @${w}px: $(cat "$j")"
            check "$name @${w}px: viewport is ${w} px" "[ \$(jq .innerWidth '$j') -eq $w ]"
            check "$name @${w}px: no horizontal scroll of the page (scrollWidth <= innerWidth)" \
                "[ \$(jq .scrollWidth '$j') -le \$(jq .innerWidth '$j') ]"
            check "$name @${w}px: graph drawn with labels" "[ \$(jq .graphs '$j') -eq 1 ] && [ \$(jq .graphLabels '$j') -gt 0 ]"
            check "$name @${w}px: no two graph labels overlap" "[ \$(jq .graphLabelOverlaps '$j') -eq 0 ]"
            check "$name @${w}px: every timeline has >= 4 tick labels" "[ \$(jq .timelines '$j') -gt 0 ] && [ \$(jq .minTicks '$j') -ge 4 ]"
            check "$name @${w}px: no two tick labels overlap" "[ \$(jq .tickLabelOverlaps '$j') -eq 0 ]"
            check "$name @${w}px: legends (every timeline, every heatmap, the graph)" \
                "[ \$(jq '.timelinesWithLegend == .timelines and .heatmapsWithLegend == .heatmaps and .heatmaps > 0 and .graphLegend == 1' '$j') = true ]"
            check "$name @${w}px: table of contents" "[ \$(jq .toc '$j') -ge 5 ]"
            check "$name @${w}px: screenshots saved" "[ -s '$png' ] && [ -s '${png%.png}-subject.png' ] && [ -s '${png%.png}-graph.png' ]"
        done
    done
fi

echo "$PASS passed, $FAIL failed"
[ $FAIL -eq 0 ]
