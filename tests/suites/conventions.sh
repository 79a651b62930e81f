#!/bin/sh
# tests/suites/conventions.sh - the habits of tcpdump/tshark/Zeek users (issue 14):
# -r and '-' (stdin) inputs, gzip captures, -f BPF filters per link type,
# multi-interface pcapng (pcapgen --extra), extract round trip and a changed
# input refused, tshark filters in reports, re-run skip / --force / --run,
# 3,000 overlapping inputs under ulimit -n 256 (issue 17 item 7), make install
# into a DESTDIR, and CLI details (-V, --help, message prefixes).
# Prints "N passed, N failed" last.
set -u
BUILD=${BUILD:-build}
BIN=$(pwd)/$BUILD/trapline
ROOT=$(pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PASS=0
FAIL=0
ok() { PASS=$((PASS + 1)); echo "ok   $*"; }
bad() { FAIL=$((FAIL + 1)); echo "FAIL: $*"; }
check() { # description, then a command that must succeed
    d=$1
    shift
    if "$@"; then ok "$d"; else bad "$d"; fi
}
eq() { # description, got, want
    if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: got '$2', want '$3'"; fi
}
q() { sqlite3 "$1" "$2"; }
# flow rows without run-specific columns, for comparing runs
flows() {
    q "$1" "SELECT proto, src_ip, src_port, dst_ip, dst_port, pkts_c2s, bytes_c2s, pkts_s2c,
                   bytes_s2c, service, class, end_reason FROM flows ORDER BY first_ts_us, id"
}

for tool in sqlite3 tshark; do
    command -v $tool >/dev/null 2>&1 || { bad "$tool is not installed (make deps)"; echo "$PASS passed, $FAIL failed"; exit 1; }
done

P=$ROOT/pcaps
cd "$TMP" || exit 1

# ---- inputs: -r, stdin, gzip -------------------------------------------------
"$BIN" analyze -q --db pos.db "$P/ott_tls.pcap" "$P/background.pcap"
"$BIN" analyze -q --db r.db -r "$P/ott_tls.pcap" -r "$P/background.pcap"
eq "-r FILE (repeatable) gives the same flows as positional inputs" "$(flows r.db)" "$(flows pos.db)"

"$BIN" analyze -q --db one.db "$P/ott_tls.pcap"
cat "$P/ott_tls.pcap" | "$BIN" analyze -q --db stdin.db -
eq "'-' reads stdin: exit 0" "$?" 0
eq "stdin gives the same flows as the file" "$(flows stdin.db)" "$(flows one.db)"
eq "stdin is recorded as 'stdin' with the stream's SHA-256 and size" \
    "$(q stdin.db 'SELECT path, sha256, bytes, status FROM inputs')" \
    "stdin|$(sha256sum <"$P/ott_tls.pcap" | cut -d' ' -f1)|$(wc -c <"$P/ott_tls.pcap")|complete"
cat "$P/vlan.pcapng" | "$BIN" analyze -q --db stdin-ng.db -
"$BIN" analyze -q --db file-ng.db "$P/vlan.pcapng"
eq "a pcapng stream on stdin" "$(flows stdin-ng.db)" "$(flows file-ng.db)"

mkdir gz
gzip -c "$P/ott_tls.pcap" >gz/ott_tls.pcap.gz
gzip -c "$P/vlan.pcapng" >gz/vlan.pcapng.gz
"$BIN" analyze -q --db gz.db gz/ott_tls.pcap.gz
eq "a .pcap.gz gives the same flows" "$(flows gz.db)" "$(flows one.db)"
eq "the SHA-256 recorded is that of the .gz as given" "$(q gz.db 'SELECT sha256, compression FROM inputs')" \
    "$(sha256sum <gz/ott_tls.pcap.gz | cut -d' ' -f1)|gzip"
"$BIN" analyze -q --db gzdir.db gz/
eq "the directory scan takes .pcap.gz and .pcapng.gz" "$(q gzdir.db 'SELECT count(*) FROM inputs WHERE status = "complete"')" 2
cp gz/ott_tls.pcap.gz disguised.pcap
"$BIN" analyze -q --db magic.db disguised.pcap
eq "gzip is found by its magic bytes, not the name" "$(flows magic.db)" "$(flows one.db)"
head -c 3000 gz/ott_tls.pcap.gz >cut.pcap.gz
"$BIN" analyze -q --db cutgz.db cut.pcap.gz 2>/dev/null
eq "a cut .gz is partial (exit 3)" "$?" 3
eq "... with the whole (cut) file hashed" "$(q cutgz.db 'SELECT sha256, status FROM inputs')" \
    "$(sha256sum <cut.pcap.gz | cut -d' ' -f1)|partial"

# ---- suspect timestamps ------------------------------------------------------------
python3 - <<'EOF4'
import struct
d = b'\x02\0\0\0\0\x01\x02\0\0\0\0\x0a\x08\x06' + bytes(28)   # an ARP-sized frame
rec = lambda ts: struct.pack('<IIII', ts, 0, len(d), len(d)) + d
with open('times.pcap', 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for ts in (315532800, 1709287200, 1709287100, 1709287300):  # 1980, then one step back
        f.write(rec(ts))
EOF4
"$BIN" analyze -q --db times.db times.pcap
eq "timestamps before 1990 and running backwards are counted on the input" \
    "$(q times.db 'SELECT ts_pre1990, ts_backwards, status FROM inputs')" "1|1|complete"
check "... and named in its detail" sh -c "sqlite3 times.db 'SELECT detail FROM inputs' | grep -q '1 frames timestamped before 1990, 1 running backwards'"

# ---- BPF filters ---------------------------------------------------------------
"$BIN" analyze -q --db f-eth.db -f 'tcp' "$P/ott_tls.pcap"
eq "-f tcp on Ethernet: only TCP flows" "$(q f-eth.db 'SELECT DISTINCT proto FROM flows')" 6
eq "-f: the rejected frames are counted" "$(q f-eth.db 'SELECT frames - packets = filtered FROM inputs')" 1
"$BIN" analyze -q --db f-raw.db --bpf 'udp port 53' "$P/raw.pcap" "$P/null.pcap" "$P/sll.pcap"
eq "--bpf compiled per link type (RAW, NULL, SLL): DNS only" \
    "$(q f-raw.db 'SELECT group_concat(DISTINCT dst_port) FROM flows')" 53
eq "... with packets kept from each input" "$(q f-raw.db 'SELECT count(*) FROM inputs WHERE packets > 0 AND filtered > 0')" 3
"$BIN" analyze -q --db bad.db -f 'tcp port' "$P/ott_tls.pcap" 2>bad.err
eq "a filter that does not compile is a usage error (exit 2)" "$?" 2
check "... named in a 'trapline analyze:' message" grep -q '^trapline analyze: filter' bad.err
check "... before anything is read (no run)" test ! -s bad.db

# ---- multi-interface pcapng (pcapgen --extra) -----------------------------------
cc -std=c11 -D_DEFAULT_SOURCE -O2 -o pcapgen "$ROOT"/pcaps/gen/*.c && ./pcapgen --extra . >/dev/null
check "pcapgen --extra writes multi_if.pcapng" test -s multi_if.pcapng
"$BIN" analyze -q --db mi.db multi_if.pcapng
eq "multi-interface pcapng: exit 0" "$?" 0
eq "every packet of every interface is read (tshark's count)" "$(q mi.db 'SELECT packets, interfaces FROM inputs')" \
    "$(tshark -r multi_if.pcapng 2>/dev/null | wc -l | tr -d ' ')|3"
eq "the interface id is kept per flow" "$(q mi.db 'SELECT group_concat(DISTINCT interface) FROM flows ORDER BY 1')" "0,1,2"
eq "each interface's flows are classified (Ethernet, RAW ns, SLL snaplen 96)" \
    "$(q mi.db "SELECT group_concat(service, ',') FROM (SELECT service FROM flows WHERE service <> 'DNS' ORDER BY id)")" \
    "WhatsApp,Signal,ApplePush"
"$BIN" analyze -q --db mif.db -f 'udp port 53' multi_if.pcapng
eq "-f on a multi-interface pcapng: one DNS flow per interface" \
    "$(q mif.db 'SELECT group_concat(interface) FROM flows')" "0,1,2"
# libpcap compiles no filter for NFLOG or PKTAP: it is applied to the IP packet inside
"$BIN" analyze -q --db fl.db -f 'udp port 53' "$P/links.pcapng"
eq "-f on NFLOG, PPP, Cisco HDLC, radiotap and ERF interfaces: one DNS flow each" \
    "$(q fl.db 'SELECT group_concat(interface) FROM flows')" "0,1,2,3,4"
eq "... and nothing named as not filtered" "$(q fl.db "SELECT coalesce(detail, '-') FROM inputs")" "-"
"$BIN" analyze -q --db fpk.db -f 'tcp' "$P/pktap.pcap"
eq "-f tcp on PKTAP: the TCP flows, filtered on their IP packets" \
    "$(q fpk.db "SELECT count(*), group_concat(DISTINCT proto) FROM flows")" "2|6"
"$BIN" analyze -q --db fle.db -f 'ether host 02:00:00:00:00:0a' "$P/links.pcapng"
check "a link-level filter on NFLOG keeps nothing there, and says why" sh -c \
    "sqlite3 fle.db 'SELECT detail FROM inputs' | grep -q 'does not apply to link type 239 (NFLOG)'"

# ---- from a record back to the packets -------------------------------------------
mkdir ev
cp "$P/ott_tls.pcap" "$P/background.pcap" ev/
"$BIN" analyze -q --db ev.db ev/ott_tls.pcap ev/background.pcap
for fid in $(q ev.db "SELECT id FROM flows WHERE proto IN (6, 17) ORDER BY id"); do
    rm -f x.pcap x.db
    "$BIN" extract --db ev.db --flow 1:$fid -w x.pcap 2>/dev/null || { bad "extract flow 1:$fid"; continue; }
    "$BIN" analyze -q --db x.db x.pcap
    want=$(q ev.db "SELECT proto, src_ip, src_port, dst_ip, dst_port, pkts_c2s, bytes_c2s, pkts_s2c,
                           bytes_s2c, service, class FROM flows WHERE id = $fid")
    got=$(q x.db "SELECT proto, src_ip, src_port, dst_ip, dst_port, pkts_c2s, bytes_c2s, pkts_s2c,
                         bytes_s2c, service, class FROM flows")
    [ "$got" = "$want" ] || bad "extract round trip of flow $fid: '$got' vs '$want'"
done
ok "extract round trip: every TCP/UDP flow, re-analysed, gives the same flow row"
"$BIN" extract --db ev.db --subject 10.0.0.10 --from 2024-03-01 --to 2024-03-02 -w subj.pcap 2>/dev/null
# Every frame of the subject's flows: tshark counts the input frames that
# carry the address (each fragment of a datagram carries it; trapline counts
# the reassembled datagram as one packet of its flow).
eq "extract --subject --from --to: every frame of the subject's flows" \
    "$(tshark -r subj.pcap 2>/dev/null | wc -l | tr -d ' ')" \
    "$(for f in ev/ott_tls.pcap ev/background.pcap; do tshark -r "$f" -Y 'ip.addr == 10.0.0.10' 2>/dev/null; done | wc -l | tr -d ' ')"
"$BIN" report --db ev.db --format csv --table flows -o flows.csv 2>/dev/null
n=0
while IFS='	' read -r fid filt pk; do
    got=$(tshark -r ev/ott_tls.pcap -Y "$filt" 2>/dev/null | wc -l | tr -d ' ')
    [ "$got" = "$pk" ] || bad "tshark filter of flow $fid selects $got packets, not $pk"
    n=$((n + 1))
done <<EOF2
$(python3 -c "
import csv,sys
for r in csv.DictReader(open('flows.csv')):
    if r['first_input'] == '0' and r['last_input'] == '0':
        print(r['id'], r['tshark_filter'], int(r['pkts_c2s']) + int(r['pkts_s2c']), sep='\t')")
EOF2
[ $n -gt 3 ] && ok "the report's tshark_filter selects exactly each flow's packets ($n flows)" || bad "too few tshark filters checked ($n)"
printf 'x' >>ev/background.pcap
"$BIN" extract --db ev.db --subject 10.0.0.10 -w changed.pcap 2>changed.err
eq "extract refuses a changed input (exit 1)" "$?" 1
check "... naming the file and why" grep -q 'background.pcap: changed since run 1' changed.err

# ---- re-runs ---------------------------------------------------------------------
"$BIN" analyze -q --db re.db "$P/ott_tls.pcap"
"$BIN" analyze --db re.db "$P/ott_tls.pcap" "$P/background.pcap" 2>re.err
check "a re-run skips an input already analysed, with a message" grep -q 'ott_tls.pcap: already analysed completely in run 1' re.err
eq "... recorded as a duplicate, the other input read" \
    "$(q re.db 'SELECT group_concat(status) FROM inputs WHERE run_id = 2 ORDER BY seq')" "duplicate,complete"
eq "... so no flow is written twice" "$(q re.db 'SELECT count(*) FROM flows')" \
    "$(q pos.db 'SELECT count(*) FROM flows')"
"$BIN" analyze -q --force --db re.db "$P/ott_tls.pcap"
eq "--force reads it again" "$(q re.db 'SELECT packets FROM inputs WHERE run_id = 3')" 69
"$BIN" report --db re.db --format csv --table flows -o all.csv 2>/dev/null
eq "the default report counts the forced re-run's capture once" "$(($(wc -l <all.csv) - 1))" \
    "$(q pos.db 'SELECT count(*) FROM flows')"
"$BIN" report --db re.db --run 1 --format csv --table flows -o r1.csv 2>/dev/null
eq "report --run 1" "$(cut -d, -f1 r1.csv | tail -n +2 | sort -u)" 1
"$BIN" report --db re.db --run 2,3 --format csv --table runs -o r23.csv 2>/dev/null
eq "report --run 2,3 covers and names those runs" "$(cut -d, -f1 r23.csv | tail -n +2 | tr '\n' ' ')" "2 3 "
"$BIN" report --db re.db --run 7 >/dev/null 2>&1
eq "report --run of a missing run is a usage error" "$?" 2

# ---- 3,000 time-overlapping inputs under ulimit -n 256 (issue 17 item 7) ---------
mkdir many
python3 - <<'EOF3'
import struct
def pkt(i, ts, sport):
    udp = struct.pack('>HHHH', sport, 53, 12, 0) + b'abcd'
    ip = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), i & 0xffff, 0, 64, 17, 0,
                     bytes([10, 1, (i >> 8) & 255, i & 255]), bytes([10, 0, 0, 1]))
    d = b'\x02\0\0\0\0\x01\x02\0\0\0\0\x0a\x08\x00' + ip + udp
    return struct.pack('<IIII', ts // 1000000, ts % 1000000, len(d), len(d)) + d
for i in range(3000):  # every file spans the same 10 s: all are open at once
    with open('many/in%04d.pcap' % i, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        f.write(pkt(i, 1709287200000000 + i * 1000, 40000 + i))
        f.write(pkt(i, 1709287210000000, 40000 + i))
EOF3
(ulimit -n 256 && "$BIN" analyze -q --db many.db many/)
eq "3,000 overlapping inputs under ulimit -n 256: exit 0" "$?" 0
eq "... all read completely" "$(q many.db 'SELECT status, count(*), sum(packets) FROM inputs GROUP BY status')" "complete|3000|6000"

# ---- installation ------------------------------------------------------------------
make -s -C "$ROOT" BUILD="$BUILD" install DESTDIR="$TMP/dest" PREFIX=/opt/trapline >install.log 2>&1
eq "make install DESTDIR PREFIX" "$?" 0
D=$TMP/dest/opt/trapline
for f in bin/trapline share/trapline/signatures/catalog.yaml share/man/man1/trapline.1 \
    share/man/man1/trapline-analyze.1 share/man/man1/trapline-extract.1 \
    share/bash-completion/completions/trapline lib/systemd/system/trapline-live@.service; do
    check "installed $f" test -s "$D/$f"
done
check "the unit names the installed paths" grep -q 'ExecStart=/opt/trapline/bin/trapline live' \
    "$D/lib/systemd/system/trapline-live@.service"
if command -v mandoc >/dev/null 2>&1; then
    check "man pages lint clean (mandoc -T lint)" mandoc -T lint -W warning "$D"/share/man/man1/*.1
else
    check "man pages format (man --warnings)" sh -c "for m in '$D'/share/man/man1/*.1; do MANWIDTH=80 man --warnings -l \"\$m\" >/dev/null 2>>'$TMP/man.err'; done; test ! -s '$TMP/man.err'"
fi
"$D/bin/trapline" analyze --help >inst-help.txt
check "the installed binary finds its catalog under its prefix" \
    grep -q "default $D/bin/../share/trapline/signatures" inst-help.txt
"$D/bin/trapline" analyze -q --db inst.db "$ROOT/pcaps/" 2>/dev/null
eq "the installed binary analyses pcaps/ (exit 3: truncated/unsupported are faulty on purpose)" "$?" 3
check "... and writes flows" test "$(q inst.db 'SELECT count(*) FROM flows')" -gt 50
make -s -C "$ROOT" BUILD="$BUILD" uninstall DESTDIR="$TMP/dest" PREFIX=/opt/trapline >>install.log 2>&1
eq "make uninstall leaves no file" "$(find "$TMP/dest" -type f | wc -l | tr -d ' ')" 0

# ---- CLI details -------------------------------------------------------------------
check "-V prints the version" sh -c "'$BIN' -V | grep -q '^trapline '"
for c in analyze live report extract signatures; do
    "$BIN" $c --help >/dev/null 2>&1
    eq "trapline $c --help exits 0" "$?" 0
done
"$BIN" analyze --db x.db nonesuch.pcap 2>pfx.err
check "messages start 'trapline analyze:'" grep -q '^trapline analyze: ' pfx.err

echo "$PASS passed, $FAIL failed"
[ $FAIL -eq 0 ]
