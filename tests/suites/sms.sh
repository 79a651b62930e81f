#!/bin/sh
# tests/suites/sms.sh - carrier SMS events against tshark, and the canary test.
#
# For every SMS capture (generated pcaps/sms_*.pcap and the real SMPP capture
# in ../shared/captures), trapline's sms_events must equal the events derived
# from tshark's dissection (tests/suites/sms_oracle.py) on time, protocol,
# operation, originator, recipient and status.  The negatives must give no
# event.  Canary test: after analysis the database, its WAL (when present),
# the text report and stderr contain none of the canary texts the generator
# put in the message bodies, in any encoding (tests/suites/canary_scan.py).
# Prints a per-capture table and "N passed, N failed" last.
set -u
BUILD=${BUILD:-build}
BIN=$BUILD/trapline
SHARED=${SHARED:-../shared}
CAPS=$SHARED/captures/files
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PASS=0
FAIL=0
ok() { PASS=$((PASS + 1)); }
bad() { FAIL=$((FAIL + 1)); echo "FAIL: $*"; }

if ! command -v tshark >/dev/null 2>&1; then
    bad "tshark is not installed (make deps installs it)"
    echo "$PASS passed, $FAIL failed"
    exit 1
fi

# A shared capture that is missing: skipped on a user's fresh clone, a
# failure under CI=true (CI always has ../shared beside the checkout).
missing() {
    if [ "${CI:-}" = true ]; then bad "$1 not found under CI=true"; else echo "SKIP: $1 not found"; fi
}

analyze() { # name pcap -> $TMP/name.db, .err, .report
    rm -f "$TMP/$1.db" "$TMP/$1.db-wal" "$TMP/$1.db-shm"
    "$BIN" analyze --db "$TMP/$1.db" "$2" 2>"$TMP/$1.err"
    rc=$?
    "$BIN" report --db "$TMP/$1.db" >"$TMP/$1.report" 2>>"$TMP/$1.err"
    return $rc
}

printf '%-34s %8s %8s %9s  %s\n' capture trapline tshark fields result
for f in pcaps/sms_smpp.pcap pcaps/sms_sip.pcap pcaps/sms_map.pcap pcaps/sms_sgd.pcap \
         pcaps/sms_m2pa.pcap pcaps/sms_m2ua.pcap pcaps/sms_sua.pcap pcaps/sms_sgsap.pcap \
         pcaps/sms_bssap.pcap pcaps/sms_ranap.pcap pcaps/sms_gan.pcap \
         pcaps/sms_mtp2_phdr.pcap pcaps/sms_mtp2.pcap pcaps/sms_mtp3.pcap \
         "$CAPS/sms-smpp/ndpi__smpp_in_general.pcap"; do
    [ -f "$f" ] || { missing "$f"; continue; }
    n=$(basename "$f" | sed 's/\.pcap.*//')
    if ! analyze "$n" "$f"; then bad "$n: trapline analyze failed"; cat "$TMP/$n.err"; continue; fi
    if python3 tests/suites/sms_oracle.py compare "$f" "$TMP/$n.db" "$n"; then ok; else bad "$n: events differ from tshark"; fi
    # events per protocol and transport (MAP: the SIGTRAN layer named in detail)
    sqlite3 "$TMP/$n.db" "SELECT protocol || CASE WHEN protocol = 'map' THEN '/' ||
        (SELECT value FROM json_each('[\"m3ua\",\"m2pa\",\"m2ua\",\"sua\",\"mtp3\"]')
         WHERE ' ' || detail || ' ' LIKE '% ' || value || ' %') ELSE '' END, COUNT(*)
        FROM sms_events GROUP BY 1 ORDER BY 1" | sed 's/^/    events: /; s/|/ /'
    # every SMS capture is listed in the report's contact records
    if grep -q '^SMS contact records' "$TMP/$n.report"; then ok; else bad "$n: report has no SMS contact records"; fi
    # canaries: database, WAL, report, stderr
    if python3 tests/suites/canary_scan.py "$TMP/$n.db" "$TMP/$n.db-wal" "$TMP/$n.report" "$TMP/$n.err"; then
        ok
    else
        bad "$n: a canary leaked"
    fi
done

for f in "$CAPS/sms-smpp/ndpi__tls_false_positives.pcapng" "$CAPS/mixed/open5gs__volte.pcapng"; do
    [ -f "$f" ] || { missing "$f"; continue; }
    n=$(basename "$f" | sed 's/\.pcap.*//')
    analyze "$n" "$f"
    c=$(sqlite3 "$TMP/$n.db" "SELECT COUNT(*) FROM sms_events")
    printf '%-34s %8s %8s  %s\n' "$n (negative)" "$c" 0 "$([ "$c" = 0 ] && echo ok || echo DIFFER)"
    if [ "$c" = 0 ]; then ok; else bad "$n: $c SMS events in a negative capture"; fi
    if grep -q '^SMS contact records' "$TMP/$n.report"; then bad "$n: contact records in a negative"; else ok; fi
done

# The scanner must find every encoding in the generated captures themselves.
if python3 tests/suites/canary_scan.py --expect pcaps/sms_*.pcap; then ok; else bad "canary scanner self-test"; fi

echo "$PASS passed, $FAIL failed"
[ $FAIL -eq 0 ]
