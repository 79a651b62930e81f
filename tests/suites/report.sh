#!/bin/sh
# tests/suites/report.sh - `trapline report` in every format: golden outputs,
# JSON parsed by jq, CSV read back by sqlite3, hostile values, a headless
# chromium run over the HTML report, and a report under a concurrent writer.
# Prints "N passed, N failed" last.  UPDATE_EXPECTED=1 rewrites the golden
# files in tests/report/expected/ (refused under CI=true; review the diff).
set -u
BUILD=${BUILD:-build}
BIN=$BUILD/trapline
OUT=$BUILD/test-out/report
EXP=tests/report/expected
PASS=0
FAIL=0
ok() { PASS=$((PASS + 1)); echo "ok   $*"; }
bad() { FAIL=$((FAIL + 1)); echo "FAIL: $*"; }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }

if [ "${UPDATE_EXPECTED:-}" = 1 ] && [ "${CI:-}" = true ]; then
    echo "UPDATE_EXPECTED=1 is refused under CI=true"
    echo "0 passed, 1 failed"
    exit 1
fi
rm -rf "$OUT"
mkdir -p "$OUT" "$EXP"
export SOURCE_DATE_EPOCH=1709290000

mkdb() { # mkdb DB PCAP... : analyze, then add event tables and the fixture
    db=$1
    shift
    rm -f "$db" "$db-wal" "$db-shm"
    "$BIN" analyze -q --db "$db" "$@" >/dev/null 2>&1
    sqlite3 "$db" <tests/report/fixture.sql
}

golden() { # golden NAME FILE
    if [ "${UPDATE_EXPECTED:-}" = 1 ]; then
        cp "$2" "$EXP/$1"
        ok "golden $1 (rewritten)"
    elif [ ! -f "$EXP/$1" ]; then
        bad "golden $1: no expected file (run with UPDATE_EXPECTED=1 and review)"
    elif cmp -s "$EXP/$1" "$2"; then
        ok "golden $1"
    else
        bad "golden $1 differs"
        diff -u "$EXP/$1" "$2" | head -n 40
    fi
}

# ---- golden outputs on the generated captures plus the event fixture
DB=$OUT/fixture.db
mkdb "$DB" pcaps/ott_tls.pcap pcaps/gtpu.pcap pcaps/background.pcap
check "fixture database built" "[ -s '$DB' ]"
"$BIN" report --db "$DB" >"$OUT/report.txt"; check "text exit 0" "[ $? -eq 0 ]"
"$BIN" report --db "$DB" --format json -o "$OUT/report.json" 2>>"$OUT/stderr.log"; check "json exit 0" "[ $? -eq 0 ]"
"$BIN" report --db "$DB" --format jsonl -o "$OUT/report.jsonl" 2>>"$OUT/stderr.log"; check "jsonl exit 0" "[ $? -eq 0 ]"
"$BIN" report --db "$DB" --format linkchart >"$OUT/linkchart.csv"; check "linkchart exit 0" "[ $? -eq 0 ]"
"$BIN" report --db "$DB" --format linkchart -o "$OUT/link" 2>>"$OUT/stderr.log"; check "linkchart dir exit 0" "[ $? -eq 0 ]"
"$BIN" report --db "$DB" --format csv -o "$OUT/csv" 2>>"$OUT/stderr.log"; check "csv dir exit 0" "[ $? -eq 0 ]"
"$BIN" report --db "$DB" --format html -o "$OUT/report.html" 2>"$OUT/html.err"; check "html exit 0" "[ $? -eq 0 ]"
check "output digest printed and correct" "grep -q \"sha256 \$(sha256sum '$OUT/report.html' | cut -d' ' -f1)\\\$\" '$OUT/html.err'"
"$BIN" report --db "$DB" --subject 10.0.0.10 --subject +15550100 --from 2024-03-01T10:00:00Z \
    --to 2024-03-01T10:00:10Z >"$OUT/filtered.txt"; check "filtered text exit 0" "[ $? -eq 0 ]"
"$BIN" report --db "$DB" --format csv --table sms_contacts --service smpp >"$OUT/sms_contacts_smpp.csv"
check "csv --table exit 0" "[ $? -eq 0 ]"
"$BIN" report --db "$DB" --detail --width 80 >"$OUT/detail-w80.txt"; check "text --detail --width 80 exit 0" "[ $? -eq 0 ]"
check "text --width 80: prose and tables within 80 columns" "[ \$(awk 'length > 80 && NF > 2' '$OUT/detail-w80.txt' | wc -l) -eq 0 ]"
check "text --width below 40 is a usage error" "'$BIN' report --db '$DB' --width 30 >/dev/null 2>&1; [ \$? -eq 2 ]"
"$BIN" report --db "$DB" --format svg -o "$OUT/svg" 2>"$OUT/svg.err"; check "svg exit 0" "[ $? -eq 0 ]"
check "svg: a timeline and a heatmap per subject, and the graph" \
    "[ \$(ls '$OUT/svg' | grep -c '^timeline-[0-9]*\\.svg\$') -eq 5 ] && [ \$(ls '$OUT/svg' | grep -c '^heatmap-[0-9]*\\.svg\$') -eq 5 ] && [ -s '$OUT/svg/graph.svg' ]"
check "svg: files are mode 0600" "[ \"\$(stat -c %a '$OUT'/svg/*.svg | sort -u)\" = 600 ]"
svg_digests_ok=1
for f in "$OUT"/svg/*.svg; do
    grep -q "wrote $f, $(stat -c %s "$f") bytes, sha256 $(sha256sum "$f" | cut -d' ' -f1)\$" "$OUT/svg.err" || svg_digests_ok=0
done
check "svg: size and SHA-256 printed for every file" "[ $svg_digests_ok = 1 ]"
if command -v xmllint >/dev/null 2>&1; then
    check "svg: every file is well-formed XML" "xmllint --noout '$OUT'/svg/*.svg"
fi
check "svg without -o is a usage error" "'$BIN' report --db '$DB' --format svg >/dev/null 2>&1; [ \$? -eq 2 ]"
for f in report.txt report.json report.jsonl linkchart.csv report.html filtered.txt \
    sms_contacts_smpp.csv detail-w80.txt; do
    golden "$f" "$OUT/$f"
done
for f in timeline-4.svg heatmap-4.svg graph.svg; do
    golden "svg-$f" "$OUT/svg/$f"
done
for f in "$OUT"/csv/*.csv "$OUT"/link/*.csv; do
    golden "$(basename "$(dirname "$f")")-$(basename "$f")" "$f"
done
# A database without the event tables: those sections are absent, not errors.
PLAIN=$OUT/plain.db
rm -f "$PLAIN"*
"$BIN" analyze -q --db "$PLAIN" pcaps/ott_tls.pcap >/dev/null 2>&1
sqlite3 "$PLAIN" "UPDATE runs SET started_utc = 1709290000000000, finished_utc = 1709290001000000, command_line = 'trapline analyze --db DB pcaps/ott_tls.pcap';
  DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log" # wall-clock audit rows (see fixture.sql)
"$BIN" report --db "$PLAIN" >"$OUT/plain.txt"; check "report without event tables exit 0" "[ $? -eq 0 ]"
golden plain.txt "$OUT/plain.txt"
check "usage error for csv without -o/--table" "! '$BIN' report --db '$DB' --format csv >/dev/null 2>&1"
check "usage error for an unknown --table" "! '$BIN' report --db '$DB' --format csv --table nope >/dev/null 2>&1"
check "bad --from is a usage error" "! '$BIN' report --db '$DB' --from yesterday >/dev/null 2>&1"

# ---- JSON validated by a parser (jq), required fields present
check "json parses (jq)" "jq -e . '$OUT/report.json' >/dev/null"
check "jsonl: every line parses" "jq -c . '$OUT/report.jsonl' >/dev/null && [ \$(jq -c . '$OUT/report.jsonl' | wc -l) -eq \$(wc -l <'$OUT/report.jsonl') ]"
check "json: every TCP/UDP flow has a community_id" \
    "[ \$(jq '[.flows[] | select((.proto == 6 or .proto == 17) and (.community_id | test(\"^1:[A-Za-z0-9+/]{27}=\$\") | not))] | length' '$OUT/report.json') -eq 0 ]"
check "json: times are ISO-8601 UTC with microseconds" \
    "[ \$(jq -r '.flows[].first_ts_us, .flows[].last_ts_us, .sms_events[].ts_us, .ott_events[].ts_us, .sms_contacts[].first' '$OUT/report.json' | grep -Ec '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z\$') -eq \$(jq -r '.flows[].first_ts_us, .flows[].last_ts_us, .sms_events[].ts_us, .ott_events[].ts_us, .sms_contacts[].first' '$OUT/report.json' | wc -l) ]"
check "json: sections present" "jq -e '.subjects and .sms_contacts and .ott_sessions and .ott_periods and .activity_hour and .common_counterparts and .nodes and .edges' '$OUT/report.json' >/dev/null"
check "json: sqlite json_valid agrees" "[ \"\$(sqlite3 :memory: \"SELECT json_valid(readfile('$OUT/report.json'))\")\" = 1 ]"
# community_id agrees with tshark's communityid dissector on ott_tls.pcap
if command -v tshark >/dev/null 2>&1; then
    tshark -r pcaps/ott_tls.pcap --enable-protocol communityid -Y 'tcp.flags.syn==1 && tcp.flags.ack==0' \
        -T fields -e communityid 2>/dev/null | sort >"$OUT/cid.tshark"
    jq -r '.flows[] | select(.src_ip == "10.0.0.10" and .proto == 6 and .dst_port != 80) | .community_id' \
        "$OUT/report.json" | sort -u >"$OUT/cid.ours"
    check "community_id equals tshark's for ott_tls.pcap" "[ -s '$OUT/cid.tshark' ] && cmp -s '$OUT/cid.tshark' '$OUT/cid.ours'"
fi

# ---- CSV read back by a CSV parser (sqlite3 .import --csv)
csv_rows() { # csv_rows FILE TABLE -> rows imported
    rm -f "$OUT/csv.db"
    sqlite3 "$OUT/csv.db" ".import --csv '$1' t" >/dev/null 2>&1 && sqlite3 "$OUT/csv.db" "SELECT COUNT(*) FROM t"
}
for f in "$OUT"/csv/*.csv "$OUT"/link/*.csv; do
    n=$(csv_rows "$f")
    lines=$(($(wc -l <"$f") - 1))
    check "csv $(basename "$f") reads back ($n rows)" "[ '$n' = '$lines' ]"
done
check "csv/html outputs are mode 0600" "[ \"\$(stat -c %a '$OUT/csv/flows.csv' '$OUT/report.html' | sort -u)\" = 600 ]"
check "csv: sms_contacts columns stable" "head -n 1 '$OUT/csv/sms_contacts.csv' | grep -q '^\"subject\",\"counterpart\",\"direction\",\"count\",\"first\",\"last\",\"protocols\"'"

# ---- hostile values in every format
HDB=$OUT/hostile.db
mkdb "$HDB" pcaps/hostile_names.pcap pcaps/ott_tls.pcap
sqlite3 "$HDB" <tests/report/hostile.sql
check "hostile capture reached the database" "[ \$(sqlite3 '$HDB' \"SELECT COUNT(*) FROM flows WHERE server_name LIKE '%<script>%'\") -ge 1 ]"
"$BIN" report --db "$HDB" >"$OUT/hostile.txt"; check "hostile text exit 0" "[ $? -eq 0 ]"
"$BIN" report --db "$HDB" --format json -o "$OUT/hostile.json" 2>>"$OUT/stderr.log"
"$BIN" report --db "$HDB" --format jsonl -o "$OUT/hostile.jsonl" 2>>"$OUT/stderr.log"
"$BIN" report --db "$HDB" --format html -o "$OUT/hostile.html" 2>>"$OUT/stderr.log"
"$BIN" report --db "$HDB" --format csv -o "$OUT/hcsv" 2>>"$OUT/stderr.log"
"$BIN" report --db "$HDB" --format linkchart -o "$OUT/hlink" 2>>"$OUT/stderr.log"
"$BIN" report --db "$HDB" --format svg -o "$OUT/hsvg" 2>>"$OUT/stderr.log"
check "hostile: svg files have no raw markup from values" "! grep -Eiq '<script|<img|onerror=\"' '$OUT'/hsvg/*.svg"
check "hostile: svg escaped the service name" "grep -qF 'Signal&lt;script&gt;x&lt;/script&gt;' '$OUT'/hsvg/*.svg"
check "hostile: svg has no raw control bytes" "! cat '$OUT'/hsvg/*.svg | tr -d '\\n' | LC_ALL=C grep -q '[[:cntrl:]]'"
check "hostile: text has no raw control bytes" "! tr -d '\\n' <'$OUT/hostile.txt' | LC_ALL=C grep -q '[[:cntrl:]]'"
check "hostile: text shows escaped ESC" "grep -q 'esc\\\\x1b\\[31m' '$OUT/hostile.txt'"
check "hostile: json parses" "jq -e . '$OUT/hostile.json' >/dev/null"
check "hostile: jsonl parses" "jq -c . '$OUT/hostile.jsonl' >/dev/null"
check "hostile: json keeps the value (decoded)" "jq -r '.sms_events[].originator' '$OUT/hostile.json' | grep -qF '<script>document.title='"
check "hostile: json has no raw control bytes" "! tr -d '\\n' <'$OUT/hostile.json' | LC_ALL=C grep -q '[[:cntrl:]]'"
check "hostile: html has no raw markup from values" "! grep -Eiq '<script|<img|<svg onload|onerror=\"|</svg><' '$OUT/hostile.html'"
check "hostile: html escaped the SNI" "grep -qF '&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;' '$OUT/hostile.html'"
check "hostile: html has no raw control bytes" "! tr -d '\\n' <'$OUT/hostile.html' | LC_ALL=C grep -q '[[:cntrl:]]'"
hostile_csv_ok=1
for f in "$OUT"/hcsv/*.csv "$OUT"/hlink/*.csv; do
    rm -f "$OUT/csv.db"
    sqlite3 "$OUT/csv.db" ".import --csv '$f' t" >/dev/null 2>&1 || { hostile_csv_ok=0; echo "  cannot import $f"; }
    cols=$(sqlite3 "$OUT/csv.db" "SELECT name FROM pragma_table_info('t')")
    for c in $cols; do
        n=$(sqlite3 "$OUT/csv.db" "SELECT COUNT(*) FROM t WHERE substr(\"$c\",1,1) IN ('=','+','@',char(9),char(13)) OR (substr(\"$c\",1,1) = '-' AND \"$c\" GLOB '-*[^0-9]*')")
        [ "$n" = 0 ] || { hostile_csv_ok=0; echo "  $f column $c: $n risky cells"; }
    done
    # only CRLF line ends; no other control byte
    if tr -d '\r\n' <"$f" | LC_ALL=C grep -q '[[:cntrl:]]'; then hostile_csv_ok=0; echo "  $f has control bytes"; fi
done
check "hostile: every CSV cell neutralised and re-imports" "[ $hostile_csv_ok = 1 ]"
check "hostile: CSV formula shown with a quote prefix" "grep -qF \"\\\"'=cmd|' /C calc'!A0\\\"\" '$OUT/hcsv/sms_events.csv'"

# ---- a real browser: headless chromium over the HTML reports
CHROME=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROME" ]; then
    if [ "${CI:-}" = true ]; then bad "chromium not installed (make deps)"; else echo "SKIP: chromium not installed"; fi
else
    for name in report hostile; do
        prof=$(mktemp -d)
        timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-background-networking \
            --no-first-run --disable-component-update --disable-sync --user-data-dir="$prof" \
            --dump-dom "file://$(pwd)/$OUT/$name.html" >"$OUT/$name.dom.html" 2>"$OUT/$name.chromium.log"
        timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --disable-background-networking \
            --no-first-run --disable-component-update --disable-sync --user-data-dir="$prof" \
            --hide-scrollbars --screenshot="$(pwd)/$OUT/$name.png" --window-size=1280,2000 \
            "file://$(pwd)/$OUT/$name.html" >>"$OUT/$name.chromium.log" 2>&1
        rm -rf "$prof"
        dom=$OUT/$name.dom.html
        check "chromium $name: DOM dumped" "[ -s '$dom' ]"
        check "chromium $name: subject sections" "[ \$(grep -o '<section class=\"subject\"' '$dom' | wc -l) -ge 2 ]"
        check "chromium $name: timeline svg" "grep -q '<svg class=\"timeline\"' '$dom'"
        check "chromium $name: contact graph svg" "grep -q '<svg class=\"contact-graph\"' '$dom'"
        check "chromium $name: title unchanged (no script ran)" "grep -q '<title>trapline contact-record report</title>' '$dom' && ! grep -qi 'PWNED</title>' '$dom'"
        check "chromium $name: no script/img element in the DOM" "! grep -Eiq '<script|<img' '$dom'"
        check "chromium $name: screenshot saved" "[ -s '$OUT/$name.png' ]"
    done
fi

# ---- read-only, and works while another connection writes
before=$(sha256sum "$DB" | cut -d' ' -f1)
"$BIN" report --db "$DB" --format json >/dev/null
check "report leaves the database unchanged" "[ \"\$(sha256sum '$DB' | cut -d' ' -f1)\" = '$before' ]"
( printf 'BEGIN IMMEDIATE;\nINSERT INTO run_stats (run_id, name, value) VALUES (1, %s, 1);\n' "'concurrent_writer'"
  sleep 4; printf 'COMMIT;\n' ) | sqlite3 "$DB" &
wpid=$!
sleep 1
"$BIN" report --db "$DB" >"$OUT/concurrent.txt" 2>"$OUT/concurrent.err"
rc=$?
check "report during an open write transaction exits 0" "[ $rc -eq 0 ]"
check "report during an open write transaction is complete" "cmp -s '$OUT/concurrent.txt' '$OUT/report.txt'"
wait $wpid
check "the writer committed afterwards" "[ \$(sqlite3 '$DB' \"SELECT COUNT(*) FROM run_stats WHERE name = 'concurrent_writer'\") -eq 1 ]"

# An evidence copy on read-only storage: another user, read-only directory
# and file, no -wal: opened immutable, same report.
if [ "$(id -u)" = 0 ] && su nobody -s /bin/sh -c "test -x '$(pwd)/$BIN'" 2>/dev/null; then
    ro=$(mktemp -d)
    cp "$DB" "$ro/evidence.db"
    chmod 444 "$ro/evidence.db"
    chmod 555 "$ro"
    su nobody -s /bin/sh -c "SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH '$(pwd)/$BIN' report --db '$ro/evidence.db'" \
        >"$OUT/readonly.txt" 2>"$OUT/readonly.err"
    check "report on a read-only copy (other user, read-only dir)" "[ $? -eq 0 ] && cmp -s '$OUT/readonly.txt' '$OUT/report.txt'"
    chmod 755 "$ro"
    rm -rf "$ro"
else
    echo "SKIP: read-only copy test (needs root and user nobody)"
fi

echo "$PASS passed, $FAIL failed"
[ $FAIL -eq 0 ]
