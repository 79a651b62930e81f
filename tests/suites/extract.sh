#!/bin/sh
# tests/suites/extract.sh - `trapline extract` writes exactly the packets of the flows it is
# asked for, on captures the project generates (pcaps/), so it runs everywhere:
#
# - an input made of pcaps/ott_tls.pcap, pcaps/background.pcap (IPv4 and IPv6) and a copy of
#   ott_tls.pcap two hours later, so that every 5-tuple of ott_tls is two flows;
# - --flow RUN:ID for every flow: the output holds the flow's packet count, and analysing it
#   again gives one flow with the same 5-tuple, first and last time and packets (the copy two
#   hours later is never taken for the first flow of its 5-tuple, nor the other way round);
# - --subject ADDR (IPv4 and IPv6): the output holds the packets of every finished flow of the
#   address, and analysing it again gives the same flows.
#
# Prints "N passed, N failed" last.
set -u
BUILD=${BUILD:-build}
BIN=$BUILD/trapline
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PASS=0
FAIL=0
ok() { echo "ok   $1"; PASS=$((PASS + 1)); }
bad() { echo "FAIL: $1"; FAIL=$((FAIL + 1)); }
for tool in editcap mergecap capinfos sqlite3; do
    if ! command -v "$tool" >/dev/null; then
        echo "FAIL: $tool not found (Debian packages tshark and sqlite3; run 'make deps')"
        echo "0 passed, 1 failed"
        exit 1
    fi
done

editcap -t 7200 pcaps/ott_tls.pcap "$TMP/late.pcap" >/dev/null 2>&1 &&
    mergecap -F pcap -w "$TMP/in.pcap" pcaps/ott_tls.pcap pcaps/background.pcap \
        "$TMP/late.pcap" 2>/dev/null || { bad "cannot build the input with editcap/mergecap"; }
DB=$TMP/in.db
"$BIN" analyze --db "$DB" -q "$TMP/in.pcap" >/dev/null 2>&1 || bad "analyze of the input"
q() { sqlite3 "$1" "$2"; }
packets() { capinfos -M -c -T -r "$1" 2>/dev/null | awk -F'\t' 'NR == 1 { print $2 }'; }
# Frames a flow's packets came in: a reassembled datagram is one packet of
# its flow and several frames.  Re-analysing the extracted file gives the
# frames it absorbed; it must hold no incomplete datagram and no repeat, so
# no stray fragment can hide there.
absorbed() {
    q "$1" "SELECT CASE WHEN (SELECT COALESCE(SUM(value), 0) FROM run_stats
        WHERE name IN ('ipfrag_incomplete', 'ipfrag_duplicates')) = 0
        THEN (SELECT COALESCE(MAX(value), 0) FROM run_stats WHERE name = 'ipfrag_frames_absorbed')
        ELSE -1000000 END"
}
# the columns that identify a flow and its extent
FLOW_COLS="proto, src_ip, src_port, dst_ip, dst_port, first_ts_us, last_ts_us,
    pkts_c2s + pkts_s2c"

twins=$(q "$DB" "SELECT COUNT(*) FROM flows a JOIN flows b ON a.id < b.id AND a.proto = b.proto
    AND a.src_ip = b.src_ip AND a.src_port = b.src_port AND a.dst_ip = b.dst_ip
    AND a.dst_port = b.dst_port")
[ "${twins:-0}" -ge 3 ] && ok "the input has $twins 5-tuples that are two flows each" \
    || bad "the input has ${twins:-no} 5-tuples that are two flows (want >= 3)"

n=0
nbad=0
for id in $(q "$DB" "SELECT id FROM flows WHERE end_reason <> 'active' ORDER BY id"); do
    n=$((n + 1))
    out=$TMP/flow-$id.pcap
    want=$(q "$DB" "SELECT $FLOW_COLS FROM flows WHERE id = $id")
    if ! "$BIN" extract --db "$DB" --flow "1:$id" -w "$out" >/dev/null 2>"$TMP/err"; then
        nbad=$((nbad + 1)); echo "  flow $id: extract failed: $(cat "$TMP/err")"; continue
    fi
    "$BIN" analyze --db "$TMP/flow-$id.db" -q "$out" >/dev/null 2>&1
    got=$(q "$TMP/flow-$id.db" "SELECT $FLOW_COLS FROM flows")
    cnt=$(packets "$out")
    wantn=$(q "$DB" "SELECT pkts_c2s + pkts_s2c FROM flows WHERE id = $id")
    wantn=$((wantn + $(absorbed "$TMP/flow-$id.db")))
    if [ "$got" != "$want" ] || [ "$cnt" != "$wantn" ]; then
        nbad=$((nbad + 1))
        echo "  flow $id: want $want ($wantn packets), got $got ($cnt packets)"
    fi
done
[ "$n" -ge 10 ] && [ "$nbad" -eq 0 ] && ok "--flow: each of $n flows, alone and whole" \
    || bad "--flow: $nbad of $n flows wrong"

for addr in 10.0.0.10 2001:db8::10; do
    out=$TMP/subject.pcap
    rm -f "$out"
    want=$(q "$DB" "SELECT $FLOW_COLS FROM flows WHERE (src_ip = '$addr' OR dst_ip = '$addr')
        AND end_reason <> 'active' ORDER BY first_ts_us, src_port, dst_port")
    wantn=$(q "$DB" "SELECT SUM(pkts_c2s + pkts_s2c) FROM flows WHERE (src_ip = '$addr'
        OR dst_ip = '$addr') AND end_reason <> 'active'")
    if "$BIN" extract --db "$DB" --subject "$addr" -w "$out" >/dev/null 2>"$TMP/err"; then
        rm -f "$TMP/subject.db"
        "$BIN" analyze --db "$TMP/subject.db" -q "$out" >/dev/null 2>&1
        got=$(q "$TMP/subject.db" "SELECT $FLOW_COLS FROM flows
            ORDER BY first_ts_us, src_port, dst_port")
        cnt=$(packets "$out")
        wantn=$((wantn + $(absorbed "$TMP/subject.db")))
        nf=$(printf '%s\n' "$want" | grep -c .)
        if [ -n "$want" ] && [ "$got" = "$want" ] && [ "$cnt" = "$wantn" ]; then
            ok "--subject $addr: $nf flows, $cnt packets"
        else
            bad "--subject $addr: want $nf flows / $wantn packets, got $cnt packets; flows:
$got"
        fi
    else
        bad "--subject $addr: extract failed: $(cat "$TMP/err")"
    fi
done

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
