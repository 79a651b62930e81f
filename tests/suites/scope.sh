#!/bin/sh
# tests/suites/scope.sh - authorisation scope, research mode, audit log and
# `trapline verify` (issue 11), on pcaps/scope_two_subs.pcap (generated:
# pcaps/gen/sms.c sms_gen_scope): a target (+1 555 777 0001, UE 10.77.0.1),
# another subscriber (+1 555 888 0002, UE 10.88.0.2) and a third party, SMS
# over SMPP and TLS sessions from both UEs, part of it an hour later.
#
#  - scope check accepts a valid file and names file:line:col of a bad one;
#  - a scoped run keeps the target's records only, inside the window: the
#    other subscriber's number, address and service host appear nowhere in
#    the database files (main, WAL, SHM, scanned while a reader keeps the WAL
#    alive), any report format or stderr (byte scan, canary_scan.py); the
#    drop counters say how many records were dropped and why;
#  - research-mode runs are marked in runs.basis and in every report format;
#  - verify passes on an untouched database and fails, naming what broke, on
#    each tamper case (the table printed at the end is the issue's closing
#    table).
# Prints "N passed, N failed" last.
set -u
BUILD=${BUILD:-build}
BIN=$BUILD/trapline
PCAP=pcaps/scope_two_subs.pcap
TMP=$(mktemp -d)
HOLDER=
cleanup() {
    [ -n "$HOLDER" ] && kill "$HOLDER" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
PASS=0
FAIL=0
ok() { PASS=$((PASS + 1)); echo "ok   $1"; }
bad() { FAIL=$((FAIL + 1)); echo "FAIL: $1"; }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }
q() { sqlite3 "file:$1?mode=ro" "$2"; }
# The flows database $1 holds, and those research database $1 attributes to
# IMSI $2 (flow_subscribers), as "first_ts/src_ip" lists in one order.
kept_flows() {
    q "$1" "SELECT group_concat(k, ' ') FROM (SELECT first_ts_us || '/' || src_ip AS k
            FROM flows ORDER BY first_ts_us, src_ip)"
}
attributed_flows() {
    q "$1" "SELECT group_concat(k, ' ') FROM (SELECT DISTINCT f.first_ts_us || '/' || f.src_ip AS k
            FROM flows f JOIN flow_subscribers s ON s.run_id = f.run_id AND s.flow_id = f.id
            WHERE s.imsi = '$2' ORDER BY f.first_ts_us, f.src_ip)"
}

OTHER_IDS="15558880002 10.88.0.2 157.240.0.53 web.whatsapp.com"
TARGET=15557770001
THIRD=15559990003
# Window end of the scope below (2024-03-01T10:30:00Z) in microseconds.
WIN_TO=1709289000000000

for tool in sqlite3 python3 openssl; do
    if ! command -v $tool >/dev/null 2>&1; then
        bad "$tool is not installed (make deps installs it)"
        echo "$PASS passed, $FAIL failed"
        exit 1
    fi
done
if [ ! -f "$PCAP" ]; then
    bad "$PCAP missing (make pcaps)"
    echo "$PASS passed, $FAIL failed"
    exit 1
fi

cat >"$TMP/scope.yaml" <<'EOF'
version: 1
case: LIID-SCOPE-TEST
authority:
  kind: pen-trap
  reference: "24-MJ-0077"
  issued-by: "US District Court, District of Example"
  issued: 2024-02-28
window:
  from: 2024-03-01T09:00:00Z
  to: 2024-03-01T10:30:00Z
outputs: [records, inferred-activity]
operator: "Det. J. Doe"
targets:
  - msisdn: "+1 (555) 777-0001"
  - ip: 10.77.0.1
EOF

# ---- scope check
check "scope check: valid file exit 0" \
    "'$BIN' scope check '$TMP/scope.yaml' >'$TMP/check.out' 2>&1"
check "scope check: summary names the case and the targets" \
    "grep -q 'ok, case LIID-SCOPE-TEST, pen-trap 24-MJ-0077, 2 targets' '$TMP/check.out'"
sed 's/- ip: 10.77.0.1/- ip: 10.77.0.1\/8/' "$TMP/scope.yaml" >"$TMP/bad.yaml"
"$BIN" scope check "$TMP/bad.yaml" >/dev/null 2>"$TMP/bad.err"
check "scope check: bad file exit 1" "[ \$? -eq 1 ]"
check "scope check: error names file:line:col" \
    "grep -q '$TMP/bad.yaml:15:9: .*host bits set' '$TMP/bad.err'"
"$BIN" analyze -q --db "$TMP/refused.db" --scope "$TMP/bad.yaml" "$PCAP" 2>"$TMP/refused.err"
check "analyze refuses a bad scope (exit 1) before writing anything" \
    "[ \$? -eq 1 ] && [ ! -e '$TMP/refused.db' ]"

# ---- scoped run; a reader keeps the WAL and SHM alive so they are scanned too
mkdir -p "$TMP/in"
cp "$PCAP" "$TMP/in/"
IN=$TMP/in/$(basename "$PCAP")
DB=$TMP/scoped.db
sqlite3 "$DB" "PRAGMA journal_mode=WAL;" >/dev/null
python3 -c "
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1]); c.execute('SELECT 1 FROM sqlite_master').fetchall()
time.sleep(120)" "$DB" &
HOLDER=$!
sleep 0.5
openssl genpkey -algorithm ed25519 -out "$TMP/key.pem" 2>/dev/null
openssl pkey -in "$TMP/key.pem" -pubout -out "$TMP/key.pub" 2>/dev/null
openssl genpkey -algorithm ed25519 -out "$TMP/other.pem" 2>/dev/null
openssl pkey -in "$TMP/other.pem" -pubout -out "$TMP/other.pub" 2>/dev/null
"$BIN" analyze --db "$DB" --scope "$TMP/scope.yaml" --operator "tester" \
    --sign-key "$TMP/key.pem" "$IN" >"$TMP/analyze.out" 2>"$TMP/analyze.err"
check "scoped analyze exit 0" "[ \$? -eq 0 ]"
check "WAL and SHM files exist for the scan" "[ -s '$DB-wal' ] && [ -s '$DB-shm' ]"
for f in text json jsonl html; do
    "$BIN" report --db "$DB" --format $f -o "$TMP/report.$f" 2>>"$TMP/report.err"
done
"$BIN" report --db "$DB" --format csv -o "$TMP/csv" 2>>"$TMP/report.err"
"$BIN" report --db "$DB" --format linkchart -o "$TMP/lc" 2>>"$TMP/report.err"
"$BIN" report --db "$DB" >"$TMP/report.stdout" 2>>"$TMP/report.err"
SCAN_ARGS=""
for s in $OTHER_IDS; do SCAN_ARGS="$SCAN_ARGS --canary $s"; done
# shellcheck disable=SC2086
if python3 tests/suites/canary_scan.py $SCAN_ARGS "$DB" "$DB-wal" "$DB-shm" "$TMP"/report.* \
    "$TMP"/csv/*.csv "$TMP"/lc/*.csv "$TMP/analyze.out" "$TMP/analyze.err" \
    "$TMP/report.err" >"$TMP/scan.out"; then
    ok "byte scan: no identifier of the other subscriber (number, UE address, its service) and no SMS text in DB, WAL, SHM, reports or stderr"
else
    bad "byte scan found out-of-scope identifiers"
    head -n 20 "$TMP/scan.out"
fi
# Positive control: the same scanner finds them in a research-mode run.
RDB=$TMP/research.db
"$BIN" analyze -q --db "$RDB" "$IN" 2>/dev/null
"$BIN" report --db "$RDB" >"$TMP/research.txt" 2>/dev/null
# shellcheck disable=SC2086
check "scanner control: the research run does hold the other subscriber" \
    "! python3 tests/suites/canary_scan.py --canary 15558880002 --canary 10.88.0.2 '$RDB' '$TMP/research.txt' >/dev/null"
kill "$HOLDER" 2>/dev/null
wait "$HOLDER" 2>/dev/null
HOLDER=

# ---- what was kept, what was dropped
check "kept: 2 SMS records of the target, counterpart kept" \
    "[ \"\$(q '$DB' \"SELECT count(*) FROM sms_events WHERE (originator = '$TARGET' AND recipient = '$THIRD') OR (originator = '$THIRD' AND recipient = '$TARGET')\")\" = 2 ] && [ \"\$(q '$DB' 'SELECT count(*) FROM sms_events')\" = 2 ]"
check "kept: only the target UE's flows (DNS + Signal)" \
    "[ \"\$(q '$DB' \"SELECT group_concat(src_ip || '>' || service, ',') FROM (SELECT * FROM flows ORDER BY id)\")\" = '10.77.0.1>DNS,10.77.0.1>Signal' ]"
check "kept: OTT bursts of the target's Signal flow only" \
    "[ \"\$(q '$DB' 'SELECT count(*) FROM ott_events e JOIN flows f ON f.id = e.flow_id AND f.run_id = e.run_id')\" = \"\$(q '$DB' 'SELECT count(*) FROM ott_events')\" ] && [ \"\$(q '$DB' 'SELECT count(*) FROM ott_events')\" -gt 0 ]"
check "outside the window: no record at or after the window end" \
    "[ \"\$(q '$DB' 'SELECT (SELECT count(*) FROM sms_events WHERE ts_us >= $WIN_TO) + (SELECT count(*) FROM flows WHERE first_ts_us >= $WIN_TO) + (SELECT count(*) FROM ott_events WHERE ts_us >= $WIN_TO)')\" = 0 ]"
stat_of() { q "$DB" "SELECT value FROM run_stats WHERE name = '$1'"; }
check "counters: SMS 5 no_target (2 binds, 2 of the other early, 1 late), 1 after_window (the late one of the target)" \
    "[ \"\$(stat_of scope_dropped_sms_events_no_target)\" = 5 ] && [ \"\$(stat_of scope_dropped_sms_events_after_window)\" = 1 ]"
check "counters: flows 4 no_target (2 SMPP, other UE's DNS + WhatsApp), 2 after_window" \
    "[ \"\$(stat_of scope_dropped_flows_no_target)\" = 4 ] && [ \"\$(stat_of scope_dropped_flows_after_window)\" = 2 ] && [ \"\$(stat_of scope_kept_flows)\" = 2 ]"
check "counters: OTT bursts dropped with the other UE's flow and after the window" \
    "[ \"\$(stat_of scope_dropped_ott_events_no_target)\" -gt 0 ] && [ \"\$(stat_of scope_dropped_ott_events_after_window)\" -gt 0 ]"
check "runs.basis is 'scope' for the scoped run" "[ \"\$(q '$DB' 'SELECT basis FROM runs')\" = scope ]"
check "text report: authority block from the scope" \
    "grep -q 'case (LIID) LIID-SCOPE-TEST; authority pen-trap, reference 24-MJ-0077' '$TMP/report.text' && grep -q 'targets: msisdn 15557770001; ip 10.77.0.1/32' '$TMP/report.text' && grep -q 'operator: Det. J. Doe' '$TMP/report.text'"
check "text report: minimisation gives the drop counters" \
    "grep -q 'Out of scope, dropped before storage (run 1): flows_after_window 2, flows_no_target 4' '$TMP/report.text'"
check "json and html reports carry the authority block and the counters" \
    "grep -q 'LIID-SCOPE-TEST' '$TMP/report.json' && grep -q 'sms_events_no_target 5' '$TMP/report.json' && grep -q 'LIID-SCOPE-TEST' '$TMP/report.html' && grep -q 'audit chain head' '$TMP/report.html'"

# ---- research mode in the database and every report format
check "runs.basis is 'research' without --scope" "[ \"\$(q '$RDB' 'SELECT basis FROM runs')\" = research ]"
for f in json jsonl html; do
    "$BIN" report --db "$RDB" --format $f -o "$TMP/research.$f" 2>/dev/null
done
"$BIN" report --db "$RDB" --format csv -o "$TMP/rcsv" 2>/dev/null
check "research mode stated in text, json, jsonl and html headers" \
    "grep -q 'RESEARCH MODE - no authorisation was recorded' '$TMP/research.txt' && grep -q 'RESEARCH MODE - no authorisation was recorded' '$TMP/research.json' && grep -q 'RESEARCH MODE - no authorisation was recorded' '$TMP/research.jsonl' && grep -q 'RESEARCH MODE - no authorisation was recorded' '$TMP/research.html'"
check "research mode marked in the csv runs export" "grep -q ',\"research\"' '$TMP/rcsv/runs.csv'"

# ---- audit log content
check "audit rows: run-start, scope-loaded, signatures-loaded, input, run-end" \
    "[ \"\$(q '$DB' \"SELECT group_concat(action, ' ') FROM (SELECT action FROM audit_log WHERE run_id = 1 ORDER BY seq)\")\" = 'run-start scope-loaded signatures-loaded input run-end' ]"
check "audit: operator recorded" "[ \"\$(q '$DB' 'SELECT DISTINCT operator FROM audit_log WHERE run_id = 1')\" = tester ]"
check "audit: run-end carries the record counts" \
    "q '$DB' \"SELECT detail FROM audit_log WHERE action = 'run-end'\" | grep -q 'flows=2;sms_events=2;'"
check "audit: UPDATE refused by the trigger" \
    "! sqlite3 '$DB' \"UPDATE audit_log SET operator = 'x'\" 2>/dev/null"
check "audit: DELETE refused by the trigger" "! sqlite3 '$DB' 'DELETE FROM audit_log' 2>/dev/null"
check "scope snapshot holds the scope file's bytes" \
    "[ \"\$(q '$DB' 'SELECT hex(bytes) FROM scope_snapshots')\" = \"\$(od -An -tx1 -v '$TMP/scope.yaml' | tr -d ' \n' | tr a-f A-F)\" ]"

check "report exports recorded in the audit log (one row per file written)" \
    "[ \"\$(q '$DB' \"SELECT count(*) FROM audit_log WHERE action = 'report-export'\")\" = \$((4 + \$(ls '$TMP/csv' | wc -l) + \$(ls '$TMP/lc' | wc -l))) ]"
check "report to stdout is not an export: no row" \
    "! q '$DB' \"SELECT detail FROM audit_log WHERE action = 'report-export'\" | grep -q 'path=;'"

# ---- verify: clean
"$BIN" verify --db "$DB" --pubkey "$TMP/key.pub" >"$TMP/verify.ok" 2>&1
check "verify on the untouched database: exit 0" "[ \$? -eq 0 ]"
check "verify: one ok line per check, signature checked" \
    "grep -q '^ok    signature over seq 5' '$TMP/verify.ok' && grep -q '^ok    input $IN: SHA-256' '$TMP/verify.ok' && grep -q '^verify: ok' '$TMP/verify.ok'"
check "verify logged itself in the audit log" \
    "[ \"\$(q '$DB' \"SELECT count(*) FROM audit_log WHERE action = 'verify'\")\" = 1 ]"
"$BIN" verify --db "$DB" >/dev/null 2>&1
check "verify again (after its own row): still exit 0" "[ \$? -eq 0 ]"

# ---- tamper cases: each on a fresh copy, verify must fail (exit 4) naming it
TABLE=$TMP/tamper.tsv
: >"$TABLE"
tamper() { # tamper NAME EXPECTED-REGEX SQL [verify args...]
    name=$1
    want=$2
    sql=$3
    shift 3
    cp "${TDB:-$DB}" "$TMP/t.db"
    [ -n "$sql" ] && sqlite3 "$TMP/t.db" "$sql"
    "$BIN" verify --db "$TMP/t.db" "$@" >"$TMP/t.out" 2>&1
    rc=$?
    msg=$(grep '^verify: FAILED' "$TMP/t.out" | sed 's/^verify: FAILED ([^)]*): first broken link: //')
    printf '%s\t%s\n' "$name" "$msg" >>"$TABLE"
    if [ $rc -eq 4 ] && grep -Eq "$want" "$TMP/t.out"; then
        ok "tamper: $name -> verify exit 4"
    else
        bad "tamper: $name (verify exit $rc)"
        cat "$TMP/t.out"
    fi
}
tamper "edited flow row" "run 1 records: content digest differs" \
    "UPDATE flows SET dst_ip = '10.0.0.1' WHERE id = 3"
tamper "deleted flow row" "run 1 records: flows has 1 rows, the run-end row .* says 2" \
    "DELETE FROM flows WHERE id = 3"

tamper "deleted audit row (trigger dropped and re-created)" \
    "FAIL  audit chain: seq 4 follows seq 3 \\(row deleted\\)|FAIL  audit chain: seq 5 follows seq 3" \
    "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 4;
     CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"
tamper "deleted audit row (trigger left dropped)" \
    "FAIL  append-only triggers .* missing" \
    "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 4;"
tamper "deleted last rows of the chain (run-end onwards)" \
    "FAIL  run 1 \\(complete\\): its run-end audit row is missing" \
    "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq >= 5;
     CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"
tamper "edited audit detail" "FAIL  audit chain: seq 4 \\(input\\): hash does not match its content \\(row altered\\)" \
    "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET detail = replace(detail, 'packets=79', 'packets=78') WHERE seq = 4;
     CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"
tamper "changed scope snapshot" "scope of run 1: snapshot SHA-256 .* \\(scope snapshot changed\\)" \
    "DROP TRIGGER scope_snapshots_no_update; UPDATE scope_snapshots SET bytes = CAST(replace(CAST(bytes AS TEXT), '10.77.0.1', '10.88.0.2') AS BLOB);
     CREATE TRIGGER scope_snapshots_no_update BEFORE UPDATE ON scope_snapshots BEGIN SELECT RAISE(ABORT, 'scope_snapshots is append-only'); END;"
tamper "wrong signature (other public key)" "signature over seq 5: Ed25519 signature .* does not verify" \
    "" --pubkey "$TMP/other.pub"
tamper "forged signature row" "signature over seq 5: Ed25519 signature .* does not verify" \
    "INSERT INTO audit_signatures (seq, head_hash, algorithm, signature, public_key) SELECT seq, head_hash, algorithm, substr('00' || signature, 1, 128), public_key FROM audit_signatures" \
    --pubkey "$TMP/key.pub"
cp "$IN" "$TMP/in.bak"
printf 'x' >>"$IN"
tamper "modified input file" "input $IN: SHA-256 .* differs from the audit log's .* \\(file modified\\)" ""
cp "$TMP/in.bak" "$IN"
cp "$TMP/report.json" "$TMP/report.json.bak"
printf ' ' >>"$TMP/report.json"
tamper "modified report export" "report export $TMP/report.json: SHA-256 .* \\(report modified or overwritten\\)" ""
cp "$TMP/report.json.bak" "$TMP/report.json"
# An input given on the command line is matched by file name.
mkdir -p "$TMP/elsewhere"
cp "$IN" "$TMP/elsewhere/"
printf 'y' >>"$TMP/elsewhere/$(basename "$IN")"
tamper "modified input given on the command line" \
    "input $TMP/elsewhere/$(basename "$IN"): SHA-256 .* \\(file modified\\)" "" \
    "$TMP/elsewhere/$(basename "$IN")"

# ---- a full bindings table keeps the target's session: the target's
# RADIUS Accounting-Start comes first, then 4,200 other subscribers' (none
# stopped), so the table (4,096 by default) must let 105 go; then the
# target's UE talks.  The others' sessions leave first, so the scope still
# finds the target behind its address.  Before, the binding with the oldest
# evidence left first, which was the target's, and the flow was dropped.
python3 tests/suites/mkpcap.py crowd "$TMP/crowd.pcap" 4200
sed '/^targets:/,$d' "$TMP/scope.yaml" |
    sed 's/^  from: .*/  from: 2000-01-01T00:00:00Z/; s/^  to: .*/  to: 2035-01-01T00:00:00Z/' \
        >"$TMP/crowd.yaml"
printf 'targets:\n  - msisdn: "+1 (555) 777-0001"\n' >>"$TMP/crowd.yaml"
for cap in default 8; do
    opt= size=4096
    [ $cap = default ] || { opt="--max-bindings $cap"; size=$cap; }
    rm -f "$TMP"/crowd.db*
    # shellcheck disable=SC2086
    "$BIN" analyze -q --db "$TMP/crowd.db" --scope "$TMP/crowd.yaml" $opt "$TMP/crowd.pcap" 2>/dev/null
    cr_rc=$?
    cr_flows=$(q "$TMP/crowd.db" "SELECT count(*) FROM flows WHERE src_ip = '100.64.0.1'")
    cr_ev=$(q "$TMP/crowd.db" "SELECT value FROM run_stats WHERE name = 'bindings_evicted'")
    cr_subs=$(q "$TMP/crowd.db" "SELECT group_concat(msisdn) FROM subscriber_sessions")
    want_ev=$((4201 - size))
    check "full bindings table ($cap): the run evicted $want_ev sessions (got ${cr_ev:-none}, exit $cr_rc)" \
        "[ $cr_rc -eq 0 ] && [ '${cr_ev:-0}' = $want_ev ]"
    check "full bindings table ($cap): the target's flow is kept ($cr_flows of 1)" \
        "[ '$cr_flows' = 1 ]"
    check "full bindings table ($cap): only the target's session is stored ($cr_subs)" \
        "[ '$cr_subs' = 15557770001 ]"
done
# Without a scope, a session that leaves a full table early is stored all
# the same: every one of the 4,201 is a row, each with its address.
rm -f "$TMP"/crowd.db*
"$BIN" analyze -q --db "$TMP/crowd.db" --max-bindings 100 "$TMP/crowd.pcap" 2>/dev/null
cr_rows=$(q "$TMP/crowd.db" "SELECT count(DISTINCT msisdn || ue_ipv4) FROM subscriber_sessions")
cr_ev=$(q "$TMP/crowd.db" "SELECT value FROM run_stats WHERE name = 'bindings_evicted'")
check "--max-bindings 100, research mode: 4201 sessions stored ($cr_rows), 4101 evicted ($cr_ev)" \
    "[ '$cr_rows' = 4201 ] && [ '$cr_ev' = 4101 ]"
"$BIN" analyze -q --db "$TMP/crowd0.db" --max-bindings 0 "$TMP/crowd.pcap" 2>"$TMP/crowd0.err"
check "--max-bindings 0 is a usage error (exit 2) naming the option" \
    "[ \$? -eq 2 ] && grep -q -- '--max-bindings' '$TMP/crowd0.err' && [ ! -e '$TMP/crowd0.db' ]"

# ---- bindings (issue 10's subscriber_sessions): a non-target's binding is
# never written, only counted.  The real mobile-core captures carry them.
MC=${SHARED:-../shared}/captures/files/mobile-core
if [ -d "$MC" ]; then
    sed '/^targets:/,$d' "$TMP/scope.yaml" |
        sed 's/^  from: .*/  from: 2000-01-01T00:00:00Z/; s/^  to: .*/  to: 2035-01-01T00:00:00Z/' \
            >"$TMP/bind.yaml"
    printf 'targets:\n  - imsi: "240010123456789"\n' >>"$TMP/bind.yaml"
    "$BIN" analyze -q --db "$TMP/bind-r.db" "$MC" 2>/dev/null
    "$BIN" analyze -q --db "$TMP/bind.db" --scope "$TMP/bind.yaml" "$MC" 2>"$TMP/bind.err"
    n_other=$(q "$TMP/bind-r.db" "SELECT count(*) FROM subscriber_sessions WHERE imsi = '460004100000101'")
    kept=$(q "$TMP/bind.db" "SELECT group_concat(DISTINCT imsi) FROM subscriber_sessions")
    dropped=$(q "$TMP/bind.db" "SELECT value FROM run_stats WHERE name = 'scope_dropped_bindings_no_target'")
    check "bindings: the research run stores the other subscriber's sessions ($n_other)" \
        "[ '${n_other:-0}' -gt 0 ]"
    check "bindings: the scoped run stores only the target's sessions ($kept)" \
        "[ '$kept' = 240010123456789 ]"
    check "bindings: the dropped ones are counted (scope_dropped_bindings_no_target $dropped)" \
        "[ '${dropped:-0}' -gt 0 ]"
    check "bindings: the other subscriber's IMSI and MSISDN are nowhere in DB/WAL/SHM/stderr" \
        "! cat '$TMP'/bind.db* '$TMP/bind.err' | grep -a -q -e 460004100000101 -e 8615221000101"
    # The bindings are under the run-end digest (version 2): verify sees an
    # edited or deleted subscriber session.
    TDB=$TMP/bind.db
    tamper "edited subscriber session (the target's binding)" \
        "run 1 records: content digest differs .* subscriber session" \
        "UPDATE subscriber_sessions SET ue_ipv4 = '10.77.0.9'"
    tamper "deleted subscriber session" "run 1 records: subscriber_sessions has [0-9]+ rows, the run-end row .* says" \
        "DELETE FROM subscriber_sessions WHERE binding_id = (SELECT min(binding_id) FROM subscriber_sessions)"
    TDB=
    # A target named by IMSI keeps the user-plane flows of the UE address its
    # control plane bound (open5gs attach: GTPv2-C binds 901707364000060 to
    # 10.45.0.2 and cafe::2, which then ping through GTP-U), and the flows
    # of its tunnels whatever their addresses (its Router Solicitations and
    # the Router Advertisements, link-local): the same flows the research
    # run attributes to it (flow_subscribers, by TEID).  Without the
    # bindings lookup the scoped run kept no flow at all; without the tunnel
    # lookup only the 4 on its addresses.
    sed 's/imsi: "240010123456789"/imsi: "901707364000060"/' "$TMP/bind.yaml" >"$TMP/ue.yaml"
    "$BIN" analyze -q --db "$TMP/ue.db" --scope "$TMP/ue.yaml" "$MC/open5gs__testattach.pcapng" 2>/dev/null
    "$BIN" analyze -q --db "$TMP/uer.db" "$MC/open5gs__testattach.pcapng" 2>/dev/null
    ue_all=$(q "$TMP/ue.db" "SELECT count(*) FROM flows")
    ue_own=$(q "$TMP/ue.db" "SELECT count(*) FROM flows WHERE src_ip IN ('10.45.0.2','cafe::2')")
    ue_kept=$(kept_flows "$TMP/ue.db")
    ue_attr=$(attributed_flows "$TMP/uer.db" 901707364000060)
    check "IMSI target: its UE's GTP-U flows are kept ($ue_own on its addresses, of $ue_all)" \
        "[ '$ue_own' = 4 ] && [ '$ue_all' = 8 ]"
    check "IMSI target: the scoped run keeps exactly the flows the research run attributes to it" \
        "[ -n '$ue_attr' ] && [ '$ue_kept' = '$ue_attr' ]"
elif [ "${CI:-}" = true ]; then
    bad "bindings: $MC is missing under CI=true"
else
    echo "SKIP: bindings: $MC not found"
fi

# A target named by IMSI keeps the flows of its GTP-U tunnels even when its
# session has no address to match: IRIS's PDN connection is IPv6-only
# (pcaps/s1ap_v6.pcap), so her S1AP session binds her tunnel ends and no
# address.  The research run attributes her DNS flow by TEID
# (flow_subscribers); the scoped run must keep that same flow, and still
# drop the eNB-MME association, which is no subscriber's.
V6=pcaps/s1ap_v6.pcap
sed -e 's/^  - msisdn: .*$/  - imsi: "001010000000009"/' -e '/^  - ip: /d' \
    -e 's/^  from: .*$/  from: 2024-03-01T00:00:00Z/' -e 's/^  to: .*$/  to: 2024-03-03T00:00:00Z/' \
    "$TMP/scope.yaml" >"$TMP/v6.yaml"
"$BIN" analyze -q --db "$TMP/v6r.db" "$V6" 2>/dev/null
"$BIN" analyze -q --db "$TMP/v6s.db" --scope "$TMP/v6.yaml" "$V6" 2>"$TMP/v6s.err"
v6_attr=$(attributed_flows "$TMP/v6r.db" 001010000000009)
v6_kept=$(kept_flows "$TMP/v6s.db")
check "IMSI target without an address: the flow attributed to her by TEID is kept ($v6_kept, want $v6_attr)" \
    "[ -n '$v6_attr' ] && [ '$v6_kept' = '$v6_attr' ]"
check "IMSI target without an address: the association is dropped (scope_dropped_flows_no_target)" \
    "[ \"\$(q '$TMP/v6s.db' \"SELECT value FROM run_stats WHERE name = 'scope_dropped_flows_no_target'\")\" = 1 ]"

echo
echo "tamper case -> verify's first broken link"
sed 's/\t/  ->  /' "$TABLE"
echo "$PASS passed, $FAIL failed"
[ $FAIL -eq 0 ]
