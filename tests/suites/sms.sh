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
         pcaps/sms_bssap.pcap pcaps/sms_ranap.pcap pcaps/sms_gan.pcap pcaps/s1ap.pcap pcaps/ngap.pcap pcaps/s1ap_move.pcap \
         pcaps/s1ap_handover.pcap pcaps/s1ap_v6.pcap \
         pcaps/sctp_frag.pcap pcaps/sms_mtp2_phdr.pcap pcaps/sms_mtp2.pcap pcaps/sms_mtp3.pcap \
         pcaps/sms_legs.pcap \
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

# SMS through an overlay tunnel (a probe fed by VXLAN or by an ERSPAN
# mirror, tests/suites/overlay_wrap.py), or with every IPv4 packet cut into
# 64-octet fragments sent last first: the same events as the bare capture,
# and no canary in the database, WAL, report or stderr.  The wrapped capture
# itself carries the canaries, so the scan can fail.
for k in vxlan erspan fragment; do
    for n in sms_smpp sms_sip sms_map sms_sgd; do
        [ -f "$TMP/$n.db" ] || continue
        w=$TMP/${n}_$k.pcap
        if ! python3 tests/suites/overlay_wrap.py "$k" "pcaps/$n.pcap" "$w"; then
            bad "$n: cannot wrap it in $k"; continue; fi
        if python3 tests/suites/canary_scan.py "$w" >/dev/null; then
            bad "$n/$k: the wrapped capture carries no canary"; continue; fi
        if ! analyze "${n}_$k" "$w"; then
            bad "$n/$k: trapline analyze failed"; cat "$TMP/${n}_$k.err"; continue; fi
        a=$(sqlite3 "$TMP/$n.db" "SELECT * FROM sms_events ORDER BY id")
        b=$(sqlite3 "$TMP/${n}_$k.db" "SELECT * FROM sms_events ORDER BY id")
        if [ -n "$a" ] && [ "$a" = "$b" ]; then ok; else bad "$n/$k: sms_events differ from the bare capture"; fi
        if python3 tests/suites/canary_scan.py "$TMP/${n}_$k.db" "$TMP/${n}_$k.db-wal" \
            "$TMP/${n}_$k.report" "$TMP/${n}_$k.err"; then ok; else bad "$n/$k: a canary leaked"; fi
    done
done

# SS7 link captures (issue 19): no IP; one flow keyed by the point codes,
# the service indicator as ports, protocol 255; no flow for FISU/LSSU.
for n in sms_mtp2_phdr sms_mtp2 sms_mtp3; do
    [ -f "$TMP/$n.db" ] || continue
    got=$(sqlite3 "$TMP/$n.db" "SELECT group_concat(proto || ' ' || src_ip || ':' || src_port || ' ' ||
        dst_ip || ':' || dst_port || ' ' || service || ' ' || class, ';') FROM flows")
    if [ "$got" = "255 pc:200:3 pc:100:3 map carrier-sms" ]; then ok; else bad "$n: flows '$got'"; fi
done

# One SMS, several legs (issue 19): pcaps/sms_legs.pcap carries an MO SMS on
# Iu-CS and on the MAP leg, an MT SMS on both, the same text between the same
# parties again 5 minutes later (new TP-MR, new SCTS), and TP-MR 6 again after
# the MO window on the MAP leg only: 9 legs, 5 messages.
if [ -f "$TMP/sms_legs.db" ]; then
    got=$(sqlite3 "$TMP/sms_legs.db" "SELECT COUNT(*), COUNT(DISTINCT message_id) FROM sms_events")
    if [ "$got" = "9|5" ]; then ok; else bad "sms_legs: legs|messages $got, want 9|5"; fi
    got=$(sqlite3 "$TMP/sms_legs.db" "SELECT group_concat(x, ' ') FROM (SELECT direction || ':' ||
        group_concat(protocol, '+') AS x FROM (SELECT * FROM sms_events ORDER BY ts_us, id)
        GROUP BY message_id ORDER BY message_id)")
    want="mo:ranap+map mt:map+ranap mo:ranap+map mt:map+ranap mo:map"
    if [ "$got" = "$want" ]; then ok; else bad "sms_legs: messages '$got', want '$want'"; fi
    # the report counts messages and lists their legs
    if grep -Eq '^  15551230002 +sent +3 .* ranap,map +5$' "$TMP/sms_legs.report"; then ok; else
        bad "sms_legs: report does not count 3 sent messages over 5 legs"; fi
    if [ "$(grep -c 'ranap > map$' "$TMP/sms_legs.report")" = 2 ] &&
       [ "$(grep -c 'map > ranap$' "$TMP/sms_legs.report")" = 2 ]; then ok; else
        bad "sms_legs: report does not list the legs of each message"; fi
    echo "    messages: $(sqlite3 "$TMP/sms_legs.db" "SELECT value FROM run_stats WHERE name = 'sms_messages'") from 9 legs"
fi

for f in "$CAPS/sms-smpp/ndpi__tls_false_positives.pcapng" "$CAPS/mixed/open5gs__volte.pcapng"; do
    [ -f "$f" ] || { missing "$f"; continue; }
    n=$(basename "$f" | sed 's/\.pcap.*//')
    analyze "$n" "$f"
    c=$(sqlite3 "$TMP/$n.db" "SELECT COUNT(*) FROM sms_events")
    printf '%-34s %8s %8s  %s\n' "$n (negative)" "$c" 0 "$([ "$c" = 0 ] && echo ok || echo DIFFER)"
    if [ "$c" = 0 ]; then ok; else bad "$n: $c SMS events in a negative capture"; fi
    if grep -q '^SMS contact records' "$TMP/$n.report"; then bad "$n: contact records in a negative"; else ok; fi
done

# A SIP link between core nodes carries other requests before its first
# MESSAGE: 1,000 OPTIONS exchanges (2,000 packets) ahead of sms_sip.pcap on
# its first flow.  Every SMS event is still found, the same as without them.
# Before, a SIP flow with no SMS in its first 256 packets was given up, and
# the 4 events of that flow were lost.
python3 tests/suites/mkpcap.py sipprefix pcaps/sms_sip.pcap "$TMP/sipprefix.pcap" 1000
"$BIN" analyze -q --db "$TMP/sipprefix.db" "$TMP/sipprefix.pcap" 2>/dev/null
"$BIN" analyze -q --db "$TMP/sipplain.db" pcaps/sms_sip.pcap 2>/dev/null
legs() {
    sqlite3 "$1" "SELECT group_concat(x, ' ') FROM (SELECT direction || ':' || originator || '>' ||
        recipient AS x FROM sms_events ORDER BY ts_us, id)"
}
want=$(legs "$TMP/sipplain.db")
got=$(legs "$TMP/sipprefix.db")
if [ -n "$want" ] && [ "$got" = "$want" ]; then ok; else
    bad "sipprefix: SMS events after 2,000 SIP packets '$got', want '$want'"; fi
echo "    sipprefix: $(sqlite3 "$TMP/sipprefix.db" "SELECT COUNT(*) FROM sms_events") of $(sqlite3 "$TMP/sipplain.db" "SELECT COUNT(*) FROM sms_events") SMS events after 1,000 OPTIONS exchanges"

# The scanner must find every encoding in the generated captures themselves.
if python3 tests/suites/canary_scan.py --expect pcaps/sms_*.pcap; then ok; else bad "canary scanner self-test"; fi

echo "$PASS passed, $FAIL failed"
[ $FAIL -eq 0 ]
