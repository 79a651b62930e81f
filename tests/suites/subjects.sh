#!/bin/sh
# tests/suites/subjects.sh - subjects are people or local endpoints, never a
# remote party (issue 10), measured on the shared captures:
#
# - WhatsApp and Signal (MANIFEST folders ott-whatsapp, ott-signal), read
#   into one database so that unrelated people share relays: with no
#   --home-net, with the captures' real home networks, and with an unrelated
#   one, no remote endpoint of an OTT flow (an address outside private/CGNAT
#   space and outside --home-net) is a subject, no relay is among the
#   counterparts common to several subjects, the direct-call peer of the
#   issue (91.252.56.51) is not a subject, and call media are call records,
#   not messaging sessions;
# - mobile-core: every flow inside GTP-U whose TEID or UE address is bound
#   has its subscriber (the IMSI) as subject, and the report prints it with
#   its identities (flows attributed / total per capture);
# - canaries: the RADIUS User-Password bytes of the shared RADIUS captures
#   (read with tshark) and the SMS/SIP body canaries of pcaps/sms_sip.pcap
#   reach no output (database, WAL, every report format, stderr).
#
# Skips when ../shared is absent, fails under CI=true.  Prints
# "N passed, N failed" last.
set -u
BUILD=${BUILD:-build}
BIN=$BUILD/trapline
SHARED=${SHARED:-../shared}
MAN=$SHARED/captures/MANIFEST.tsv
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PASS=0
FAIL=0
ok() { echo "ok   $1"; PASS=$((PASS + 1)); }
bad() { echo "FAIL: $1"; FAIL=$((FAIL + 1)); }
if [ ! -f "$MAN" ]; then
    if [ "${CI:-}" = true ]; then
        echo "FAIL: $MAN not found under CI=true"
        echo "0 passed, 1 failed"
        exit 1
    fi
    echo "SKIP: $MAN not found"
    echo "0 passed, 0 failed"
    exit 0
fi

# --- WhatsApp and Signal -------------------------------------------------
db=$TMP/ott.db
files=$(awk -F'\t' '$1 == "ott-whatsapp" || $1 == "ott-signal" { print "'"$SHARED"'/captures/" $2 }' "$MAN")
# shellcheck disable=SC2086
"$BIN" analyze -q --db "$db" $files 2>"$TMP/ott.err"
rc=$?
if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
    bad "analyze ott captures: exit $rc"
    cat "$TMP/ott.err"
fi
check_subjects() { # label, home-net list ("" none)
    label=$1
    home=$2
    set --
    [ -n "$home" ] && set -- --home-net "$home"
    for t in subjects common_counterparts ott_sessions ott_calls; do
        "$BIN" report --db "$db" --format csv --table $t "$@" >"$TMP/$t.csv" 2>"$TMP/$t.err" ||
            { bad "$label: report --table $t failed"; cat "$TMP/$t.err"; return; }
    done
    # the oracle: endpoints of OTT flows, remote = not private/CGNAT and not home
    sqlite3 -batch -separator ' ' "$db" \
        "SELECT src_ip, dst_ip FROM flows WHERE class = 'ott-messaging'" >"$TMP/ends.txt"
    python3 - "$TMP" "$home" "$label" <<'EOF'
import csv, ipaddress, sys
tmp, home, label = sys.argv[1], sys.argv[2], sys.argv[3]
nets = [ipaddress.ip_network(h, strict=False) for h in home.split(",") if h]
cgnat = ipaddress.ip_network("100.64.0.0/10")
def local(a):
    ip = ipaddress.ip_address(a)
    return ip.is_private or ip.is_link_local or ip.is_loopback or ip in cgnat or any(
        ip.version == n.version and ip in n for n in nets)
remote = set()
for line in open(f"{tmp}/ends.txt"):
    for a in line.split():
        if not local(a):
            remote.add(a)
rows = lambda t: list(csv.DictReader(open(f"{tmp}/{t}.csv")))
subjects = [r["subject"] for r in rows("subjects")]
relays = {r["relay"].rsplit(":", 1)[0].strip("[]") for r in rows("ott_sessions")}
for r in rows("ott_calls"):
    for x in r["remotes"].split(","):
        role, ep = x.split(" ", 1)
        if role == "relay":
            relays.add(ep.rsplit(":", 1)[0].strip("[]"))
errs = []
bad_subj = [s for s in subjects if s in remote or s in relays]
if bad_subj:
    errs.append(f"remote endpoints as subjects: {bad_subj}")
if "91.252.56.51" in subjects:
    errs.append("the direct-call peer 91.252.56.51 is a subject")
cc = rows("common_counterparts")
bad_cc = [r["counterpart"] for r in cc if r["kind"] == "ott-relay" or
          r["counterpart"].rsplit(":", 1)[0].strip("[]") in relays]
if bad_cc:
    errs.append(f"relays among common counterparts: {bad_cc}")
calls = sum(int(r["calls"] or 0) for r in rows("subjects"))
sess = rows("ott_sessions")
if calls == 0 or not rows("ott_calls"):
    errs.append("no call records")
print(f"     {label}: {len(subjects)} subjects, {len(remote)} remote endpoints, "
      f"{len(relays)} relays, {len(cc)} common counterparts, {calls} calls, "
      f"{len(sess)} messaging session rows")
if errs:
    print("     " + "; ".join(errs))
    sys.exit(1)
EOF
    if [ $? -eq 0 ]; then ok "$label: no remote peer or relay is a subject or a common counterpart"
    else bad "$label: subjects"; fi
}
if [ -s "$db" ]; then
    check_subjects "no --home-net" ""
    check_subjects "--home-net 192.168.0.0/16,10.0.0.0/8" "192.168.0.0/16,10.0.0.0/8"
    check_subjects "--home-net 203.0.113.0/24" "203.0.113.0/24"
    # call media are call records, never messaging sessions
    n=$(sqlite3 "$db" "SELECT count(*) FROM flows WHERE class = 'ott-messaging'
                       AND (ndpi_proto LIKE '%Call' OR ndpi_proto LIKE 'STUN%' OR ndpi_proto LIKE 'SRTP%')
                       AND activity <> 'call'")
    c=$(sqlite3 "$db" "SELECT count(*) FROM flows WHERE activity = 'call'")
    if [ "$n" = 0 ] && [ "$c" -gt 0 ]; then ok "call media flows have activity call ($c flows)"
    else bad "$n call media flows without activity call ($c call flows)"; fi
    "$BIN" report --db "$db" --format csv --table ott_sessions >"$TMP/s.csv"
    if grep -q "3478/udp" "$TMP/s.csv"; then bad "a STUN relay (3478/udp) is listed as a messaging session"
    else ok "no STUN relay among messaging sessions"; fi
    # push: Apple and Google push channels have activity push
    p=$(sqlite3 "$db" "SELECT count(*) FROM flows WHERE service IN ('ApplePush', 'GooglePush')
                       AND activity <> 'push'")
    if [ "$p" = 0 ]; then ok "push channels have activity push"; else bad "$p push flows without activity push"; fi
fi

# --- mobile-core: flows inside GTP-U carry their subscriber --------------
tot_all=0
att_all=0
for f in $(awk -F'\t' '$1 == "mobile-core" { print $2 }' "$MAN"); do
    name=$(basename "$f")
    mdb=$TMP/$name.db
    "$BIN" analyze -q --db "$mdb" "$SHARED/captures/$f" 2>"$TMP/$name.err"
    bound=$(sqlite3 "$mdb" "SELECT count(DISTINCT flow_id) FROM flow_subscribers")
    [ "$bound" -gt 0 ] || continue
    "$BIN" report --db "$mdb" --class other --format csv --table ott_sessions >"$TMP/m.csv" 2>"$TMP/m.err"
    "$BIN" report --db "$mdb" --class other --format csv --table subjects >"$TMP/ms.csv" 2>>"$TMP/m.err"
    # flows of class other inside GTP-U with a binding, and how many of them
    # the report lists under an IMSI subject
    tot=$(sqlite3 "$mdb" "SELECT count(DISTINCT f.id) FROM flows f JOIN flow_subscribers s
                          ON s.run_id = f.run_id AND s.flow_id = f.id
                          WHERE f.tunnel_teid IS NOT NULL AND f.class = 'other'")
    imsis=$(sqlite3 "$mdb" "SELECT group_concat(DISTINCT imsi) FROM flow_subscribers s JOIN flows f
                            ON s.run_id = f.run_id AND s.flow_id = f.id WHERE f.tunnel_teid IS NOT NULL")
    att=$(python3 - "$TMP/m.csv" "$TMP/ms.csv" "$imsis" <<'EOF'
import csv, sys
imsis = set(x for x in sys.argv[3].split(",") if x)
subs = {r["subject"]: r for r in csv.DictReader(open(sys.argv[2]))}
n = 0
for r in csv.DictReader(open(sys.argv[1])):
    if r["subject"] in imsis and subs.get(r["subject"], {}).get("kind") == "subscriber":
        n += int(r["sessions"])
print(n)
EOF
)
    tot_all=$((tot_all + tot))
    att_all=$((att_all + att))
    if [ "$tot" -gt 0 ] && [ "$att" -ge "$tot" ]; then
        ok "$name: GTP-U flows under their subscriber subject $att/$tot ($imsis)"
    elif [ "$tot" -gt 0 ]; then
        bad "$name: GTP-U flows under their subscriber subject $att/$tot ($imsis)"
        cat "$TMP/m.err"
    fi
done
echo "     mobile-core: GTP-U flows attributed in the report $att_all/$tot_all"
# --subject by IMSI, by MSISDN notation and by address select the same subject
mdb=$TMP/open5gs__testattach.pcapng.db
if [ -f "$mdb" ]; then
    a=$("$BIN" report --db "$mdb" --class other --format csv --table subjects --subject 901707364000060 | cut -d, -f1,2)
    b=$("$BIN" report --db "$mdb" --class other --format csv --table subjects --subject 10.45.0.2 | cut -d, -f1,2)
    c=$("$BIN" report --db "$mdb" --class other --format csv --table subjects --subject 8665070400405301 | cut -d, -f1,2)
    if [ "$a" = "$b" ] && [ "$a" = "$c" ] && echo "$a" | grep -q '"901707364000060","subscriber"'; then
        ok "--subject IMSI, UE address and IMEI select one subscriber subject"
    else
        bad "--subject IMSI/address/IMEI: '$a' / '$b' / '$c'"
    fi
fi

# --- home networks: the report option and the run's own (analyze --home-net) ---
# pcaps/ott_ech.pcap has an OTT client at 2001:db8::10 (documentation space,
# neither private nor ULA): a client-address subject only while no home
# network is known; inside one it is a local endpoint; outside a known one
# it is no subject at all.
if [ -f pcaps/ott_ech.pcap ]; then
    kind() { # db, extra report options...
        d=$1
        shift
        "$BIN" report --db "$d" --format csv --table subjects "$@" |
            awk -F, '$1 == "\"2001:db8::10\"" { print $2 }' | tr -d '"'
    }
    "$BIN" analyze -q --db "$TMP/h0.db" pcaps/ott_ech.pcap
    "$BIN" analyze -q --db "$TMP/h1.db" --home-net 2001:db8::/64 pcaps/ott_ech.pcap
    "$BIN" analyze -q --db "$TMP/h2.db" --home-net 198.51.100.0/24 pcaps/ott_ech.pcap
    k0=$(kind "$TMP/h0.db")
    k1=$(kind "$TMP/h1.db")
    k2=$(kind "$TMP/h2.db")
    k3=$(kind "$TMP/h0.db" --home-net 2001:db8::/64)
    k4=$(kind "$TMP/h0.db" --home-net 198.51.100.0/24)
    stored=$(sqlite3 "$TMP/h1.db" "SELECT home_net FROM runs")
    if [ "$k0" = client-address ] && [ "$k1" = local-endpoint ] && [ -z "$k2" ] &&
        [ "$k3" = local-endpoint ] && [ -z "$k4" ] && [ "$stored" = 2001:db8::/64 ]; then
        ok "--home-net (analyze, stored with the run; report): 2001:db8::10 client-address / local-endpoint / no subject"
    else
        bad "--home-net: '$k0' '$k1' '$k2' '$k3' '$k4' stored '$stored'"
    fi
    if "$BIN" report --db "$TMP/h0.db" --home-net 10.0.0.0/33 >/dev/null 2>&1; then
        bad "--home-net 10.0.0.0/33 accepted"
    else
        ok "--home-net rejects a malformed CIDR"
    fi
fi

# --- pcaps/: the demo subscriber (mobile_core.pcap with the SMS fixtures) ---
# One subject 001010000000001 with identities, carrier SMS, OTT messaging, a
# call, missed periods of both kinds and a direct contact with 001010000000002.
if [ -f pcaps/mobile_core.pcap ]; then
    ddb=$TMP/demo.db
    "$BIN" analyze -q --db "$ddb" pcaps/ 2>/dev/null
    for t in subjects ott_periods direct_contacts; do
        "$BIN" report --db "$ddb" --format csv --table $t >"$TMP/d-$t.csv" 2>>"$TMP/d.err"
    done
    for t in nodes edges; do
        "$BIN" report --db "$ddb" --format linkchart --table $t >"$TMP/d-$t.csv" 2>>"$TMP/d.err"
    done
    if python3 - "$TMP" <<'EOF2'
import csv, sys
t = sys.argv[1]
rows = lambda n: list(csv.DictReader(open(f"{t}/d-{n}.csv")))
a = [r for r in rows("subjects") if r["subject"] == "001010000000001"]
assert a, "no subject 001010000000001"
a = a[0]
print(f"     demo subject 001010000000001: kind {a['kind']}, identities {a['identities']}, "
      f"sms {a['sms_records']}, ott {a['ott_sessions']}, calls {a['calls']}")
assert a["kind"] == "subscriber"
assert set(a["identities"].split(",")) == {"001010000000001", "15551230001", "3520990017614823"}
assert int(a["sms_records"]) > 0 and int(a["ott_sessions"]) >= 2 and int(a["calls"]) == 1
kinds = {r["kind"] for r in rows("ott_periods")
         if r["subject"] == "001010000000001" and r["carrier_only_view"] == "missed"}
assert kinds == {"call", "messaging"}, kinds
dc = [(r["subject"], r["contact"], r["service"], r["activity"]) for r in rows("direct_contacts")]
assert ("001010000000001", "001010000000002", "Signal", "call") in dc, dc
assert ("001010000000002", "001010000000001", "Signal", "call") in dc, dc
# Link chart: a relay node touches one subject only (no link between people
# through a relay), and the direct contact is one subscriber-subscriber edge.
edges = rows("edges")
subj_of = {}
for r in edges:
    if r["target"].startswith("relay:"):
        subj_of.setdefault(r["target"], set()).add(r["source"])
shared = {k: v for k, v in subj_of.items() if len(v) > 1}
assert subj_of and not shared, shared
direct = {(r["source"], r["target"]) for r in edges if r["kind"] == "ott-direct"}
assert ("subscriber:001010000000001", "subscriber:001010000000002") in direct, direct
EOF2
    then ok "demo: subscriber 001010000000001 with SMS, OTT messaging, a call, missed calls and messaging, a direct contact"
    else bad "demo subscriber"; cat "$TMP/d.err"; fi
fi

# --- pcaps/mobile_v6.pcap: TEIDs by owning node, IPv6 /64 (issue 10) -------
# Two SGWs hand out the same S1-U TEID 0x42 to subscribers C and D; C's
# IPv6 traffic on SGi comes from a SLAAC address of the /64 of its PAA.
if [ -f pcaps/mobile_v6.pcap ]; then
    vdb=$TMP/v6.db
    "$BIN" analyze -q --db "$vdb" pcaps/mobile_v6.pcap 2>/dev/null
    got=$(sqlite3 "$vdb" "SELECT f.service || ':' || group_concat(s.matched_by || '=' || s.imsi, ',')
        FROM flows f JOIN flow_subscribers s ON s.run_id = f.run_id AND s.flow_id = f.id
        WHERE f.class = 'ott-messaging' GROUP BY f.id ORDER BY f.id" | tr '\n' ' ')
    want="Signal:teid=001010000000003 WhatsApp:teid=001010000000004 Signal:ipv6=001010000000003 "
    if [ "$got" = "$want" ]; then
        ok "mobile_v6: a TEID matches only at the node that allocated it; an address of a subscriber's /64 attributes"
    else
        bad "mobile_v6 attribution: got '$got', want '$want'"
    fi
    "$BIN" report --db "$vdb" --format csv --table ott_sessions >"$TMP/v6-ott.csv" 2>/dev/null
    n=$(awk -F, 'NR > 1 && $1 ~ /001010000000003/' "$TMP/v6-ott.csv" | wc -l)
    relay6=$(grep -c '2001:db8:ffff::5' "$TMP/v6-ott.csv")
    if [ "$n" -eq 2 ] && [ "$relay6" -eq 1 ]; then
        ok "mobile_v6 report: subscriber 001010000000003 holds both Signal sessions (GTP-U and IPv6 on SGi)"
    else
        bad "mobile_v6 report: $n sessions of 001010000000003, IPv6 relay rows $relay6"; cat "$TMP/v6-ott.csv"
    fi
fi

# --- canaries --------------------------------------------------------------
for f in $(awk -F'\t' '$1 == "mobile-core" && $2 ~ /(radius|RADIUS)/ { print $2 }' "$MAN"); do
    name=$(basename "$f")
    pw=$(tshark -r "$SHARED/captures/$f" -T fields -e radius.User_Password_encrypted -e radius.CHAP_Password 2>/dev/null |
         tr -d ":" | tr "\t," "\n\n" | grep -v '^$' | sort -u)
    cdb=$TMP/canary-$name.db
    "$BIN" analyze -q --db "$cdb" "$SHARED/captures/$f" 2>"$TMP/canary.err"
    for fmt in text json csv; do
        o=$TMP/canary-$name.$fmt
        [ $fmt = csv ] && o=$TMP/canary-$name.csvdir
        "$BIN" report --db "$cdb" --class other --format $fmt -o "$o" 2>>"$TMP/canary.err"
    done
    if [ -z "$pw" ]; then
        # no password attribute (accounting only): the scan still ran on nothing
        echo "     $name: no User-Password attribute in the capture"
        continue
    fi
    hit=0
    # self-test: the scanner finds every value in the capture itself
    for p in $pw; do
        python3 -c "import sys; d=open(sys.argv[1],'rb').read(); sys.exit(0 if bytes.fromhex(sys.argv[2]) in d else 1)" \
            "$SHARED/captures/$f" "$p" || { bad "$name: scanner does not find $p in the capture"; hit=2; }
    done
    for p in $pw; do
        # the attribute's bytes, and their hex text, anywhere in the outputs
        for out in "$cdb" "$cdb-wal" "$TMP/canary-$name".* "$TMP"/canary-"$name".csvdir/* "$TMP/canary.err"; do
            [ -f "$out" ] || continue
            if python3 -c "import sys; d=open(sys.argv[1],'rb').read(); p=bytes.fromhex(sys.argv[2]); sys.exit(0 if (p in d or sys.argv[2].encode() in d.lower()) else 1)" "$out" "$p"; then
                echo "     $name: password bytes in $out"
                hit=1
            fi
        done
    done
    if [ $hit = 0 ]; then ok "$name: RADIUS User-Password reaches no output ($(echo "$pw" | wc -l) values)"
    else bad "$name: RADIUS User-Password in an output"; fi
done
if [ -f pcaps/sms_sip.pcap ]; then
    sdb=$TMP/sip.db
    "$BIN" analyze -q --db "$sdb" pcaps/sms_sip.pcap 2>"$TMP/sip.err"
    "$BIN" report --db "$sdb" >"$TMP/sip.txt" 2>>"$TMP/sip.err"
    "$BIN" report --db "$sdb" --format json >"$TMP/sip.json" 2>>"$TMP/sip.err"
    if python3 tests/suites/canary_scan.py "$sdb" "$sdb-wal" "$TMP/sip.txt" "$TMP/sip.json" "$TMP/sip.err"; then
        ok "SIP bodies (SMS canaries) reach no output"
    else
        bad "SIP body canary in an output"
    fi
fi
echo "$PASS passed, $FAIL failed"
[ $FAIL -eq 0 ]
