#!/bin/sh
# tests/suites/ott_pcaps.sh - field assertions (suricata-verify style) on the
# generated signature fixtures pcaps/ott_ech.pcap, pcaps/decoys.pcap and pcaps/vendors.pcap, and on
# the ott_events bursts of pcaps/ott_tls.pcap.  Prints "N passed, N failed" last.
set -u
BUILD=${1:-${BUILD:-build}}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/trapline-ottp.XXXXXX")
trap 'rm -rf "$TMP"' EXIT INT TERM
PASS=0
FAIL=0
# expect DB "SQL" "expected output" "what"
expect() {
    got=$(sqlite3 -separator '|' "$1" "$2" 2>&1)
    if [ "$got" = "$3" ]; then
        PASS=$((PASS + 1)); echo "ok   $4"
    else
        FAIL=$((FAIL + 1)); echo "FAIL: $4: got '$got', want '$3'"
    fi
}
run() { "$BUILD/trapline" analyze -q --db "$TMP/$1.db" "$2" >/dev/null 2>&1; }

run ech pcaps/ott_ech.pcap
expect "$TMP/ech.db" "SELECT service, class, method, server_name FROM flows WHERE dst_ip='203.0.113.60' AND src_ip='10.0.0.10'" \
    "WhatsApp|ott-messaging|dns-learned|g.whatsapp.net" "ECH hello, outer name only: WhatsApp by DNS-learned name"
expect "$TMP/ech.db" "SELECT service, class, method, server_name FROM flows WHERE dst_ip='2600:9000:a::1'" \
    "Signal|ott-messaging|dns-learned|chat.signal.org" "no SNI over IPv6 (AAAA answer): Signal by DNS-learned name"
expect "$TMP/ech.db" "SELECT count(*) FROM flows WHERE dst_ip='13.248.212.112' AND class='ott-messaging'" \
    "0" "binding past its TTL (30 s) labels nothing"
expect "$TMP/ech.db" "SELECT count(*) FROM flows WHERE src_ip='10.0.0.11' AND class='ott-messaging'" \
    "0" "bindings are per client"
expect "$TMP/ech.db" "SELECT value FROM run_stats WHERE name='tls_ech_offered'" "3" "ECH extension flagged"
expect "$TMP/ech.db" "SELECT value FROM run_stats WHERE name='dnsbind_expired'" "1" "expiry counted"

run dec pcaps/decoys.pcap
expect "$TMP/dec.db" "SELECT count(*) FROM flows WHERE class='ott-messaging'" "0" "no decoy is ott-messaging"
expect "$TMP/dec.db" "SELECT service, class, method, confidence FROM flows WHERE dst_port=5223" \
    "ApplePush|other|port|10" "port 5223 to a non-Apple address: a port hint only"
expect "$TMP/dec.db" "SELECT count(*) FROM flows WHERE server_name LIKE '%whatsapp%' AND service='WhatsApp'" \
    "0" "'whatsapp' inside unrelated names is not WhatsApp"
expect "$TMP/dec.db" "SELECT service <> 'ApplePush' FROM flows WHERE dst_ip='17.253.144.10'" "1" \
    "17.x on port 80 (plain HTTP) is not Apple push"
expect "$TMP/dec.db" "SELECT service <> 'ApplePush' FROM flows WHERE dst_ip='17.57.144.20'" "1" \
    "APNs range and port with an unrelated SNI is not Apple push"

run tls pcaps/ott_tls.pcap
expect "$TMP/tls.db" "SELECT count(*) FROM ott_events e JOIN flows f ON f.id = e.flow_id WHERE f.class <> 'ott-messaging'" \
    "0" "bursts only inside ott-messaging flows"
expect "$TMP/tls.db" "SELECT count(DISTINCT flow_id) FROM ott_events" "2" "every OTT flow has bursts (Signal, WhatsApp)"
expect "$TMP/tls.db" "SELECT class || ' ' || activity FROM flows WHERE service = 'ApplePush'" "push push" \
    "Apple push is class push like Google's FCM (issue 10), with no bursts"
expect "$TMP/tls.db" "SELECT count(*) FROM ott_events WHERE label <> 'inferred-activity' OR packets = 0 OR end_ts_us < ts_us" \
    "0" "bursts are labelled inferred activity and well-formed"
"$BUILD/trapline" analyze -q --burst-gap 10 --db "$TMP/gap.db" pcaps/ott_tls.pcap >/dev/null 2>&1
expect "$TMP/gap.db" "SELECT count(*) FROM ott_events" "2" "--burst-gap 10: one burst per flow"
n1=$(sqlite3 "$TMP/tls.db" "SELECT count(*) FROM ott_events")
expect "$TMP/tls.db" "SELECT $n1 > 3" "1" "default 1 s gap splits flows into several bursts"
# vendors.pcap (issue 18): a vendor's generic range names the vendor, class other
run ven pcaps/vendors.pcap
for v in "157.240.1.35|Meta" "142.250.1.10|Google" "52.96.1.10|Microsoft" "17.253.1.10|Apple" \
         "203.205.200.10|Tencent" "157.240.1.48|Meta"; do
    ip=${v%%|*} vendor=${v#*|}
    expect "$TMP/ven.db" "SELECT service, class, method FROM flows WHERE dst_ip='$ip'" \
        "$vendor|other|cidr" "generic $vendor range alone: $vendor, class other, never a messaging service"
done
expect "$TMP/ven.db" "SELECT service, class FROM flows WHERE dst_port=53 AND server_name='api.skype.com'" "DNS|other" \
    "a DNS look-up of a Skype name is DNS, class other"
expect "$TMP/ven.db" "SELECT count(*) FROM ott_events e JOIN flows f ON f.id = e.flow_id WHERE f.dst_port=53 OR f.class <> 'ott-messaging'" \
    "0" "a DNS look-up produces no activity events"
expect "$TMP/ven.db" "SELECT service, class, method, confidence FROM flows WHERE src_port=53021" \
    "WhatsApp|ott-messaging|learnt-server|65" "running connection to a server that served g.whatsapp.net: WhatsApp"
expect "$TMP/ven.db" "SELECT service, class, method FROM flows WHERE src_port=53032" \
    "Meta|other|cidr" "a server that also served www.facebook.com is shared: no learnt service"
expect "$TMP/ven.db" "SELECT value FROM run_stats WHERE name='srvlearn_conflicts'" "1" "conflict counted"
expect "$TMP/ven.db" "SELECT service, class, method, server_name FROM flows WHERE dst_ip='203.0.113.77'" \
    "WhatsApp|ott-messaging|dns-learned|e1.whatsapp.net" "CNAME chain followed: the DNS-learned name is the target a rule knows"
expect "$TMP/ven.db" "SELECT service, class, server_name FROM flows WHERE dst_ip='203.0.113.88'" \
    "WhatsApp|ott-messaging|*.whatsapp.net" "no SNI, TLS 1.2 certificate *.whatsapp.net: WhatsApp, name from the certificate"
expect "$TMP/ven.db" "SELECT value FROM run_stats WHERE name='tls_certificates_read'" "1" \
    "the server Certificate was read by our parser"
expect "$TMP/ven.db" "SELECT service, class, method FROM flows WHERE dst_ip='198.51.100.100'" \
    "Signal|ott-messaging|stun-attr" "TURN Allocate answered with REALM signal.org: Signal by the STUN attribute"
expect "$TMP/ven.db" "SELECT service, class, method FROM flows WHERE dst_ip='198.51.100.200'" \
    "Signal|ott-messaging|learnt-server" "media to the relay the allocation handed out (XOR-RELAYED-ADDRESS): Signal"
expect "$TMP/ven.db" "SELECT count(*) FROM flows WHERE class='ott-messaging' AND method='cidr'" "0" \
    "no flow is ott-messaging by a range alone"

echo "$PASS passed, $FAIL failed"
[ $FAIL -eq 0 ]
