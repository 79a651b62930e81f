#!/bin/sh
# tests/suites/robust.sh - issue 17: races, crashes, hostile files and output
# files, through the command line.  Each check failed before its fix.
#   1. N concurrent `analyze` runs creating one new database, several rounds
#   2. kill -9 of `analyze`: the run is found interrupted (lock, not age), its
#      inputs were recorded when opened, the report warns and exits 3
#   4. `report -o` through a symlink, an existing 0644 file, a 0644 database
#   5. a symlink loop and a link to .. in an input directory
#   8. a sole missing input (exit 2, no run), permission denied (not "not a
#      pcap"), database errors name the file
#   9. server_name_cut on the DNS-learned path
set -u
BUILD=${BUILD:-build}
BIN=$BUILD/trapline
PASS=0
FAIL=0
ok() { PASS=$((PASS + 1)); echo "ok   $*"; }
bad() { FAIL=$((FAIL + 1)); echo "FAIL: $*"; }
[ -x "$BIN" ] || { echo "FAIL: $BIN not built"; echo "0 passed, 1 failed"; exit 0; }
TMP=$(mktemp -d)
PIDS=""
cleanup() {
    for p in $PIDS; do kill -9 "$p" 2>/dev/null; done
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
q() { sqlite3 "file:$1?mode=ro" "$2"; }
PCAP=pcaps/sll.pcap

# --- 1. concurrent creation ----------------------------------------------
N=6
ROUNDS=5
good=0
for r in $(seq 1 $ROUNDS); do
    DB=$TMP/race$r.db
    for i in $(seq 1 $N); do
        "$BIN" analyze -q --db "$DB" "$PCAP" 2> "$TMP/race$r.$i.err" &
    done
    fails=0
    for i in $(seq 1 $N); do wait %$i 2>/dev/null || true; done
    wait
    runs=$(q "$DB" "SELECT COUNT(*) FROM runs WHERE status = 'complete'")
    if [ "$runs" = $N ] && ! cat "$TMP"/race$r.*.err | grep -q .; then
        good=$((good + 1))
    else
        echo "  round $r: $runs complete runs"; cat "$TMP"/race$r.*.err
    fi
done
[ $good = $ROUNDS ] && ok "$N concurrent analyze on a new database: $ROUNDS/$ROUNDS rounds all complete" \
    || bad "concurrent creation: $good/$ROUNDS rounds clean"

# --- 2. kill -9 -------------------------------------------------------------
python3 tests/suites/mkpcap.py flows "$TMP/big.pcap" 300000
KDB=$TMP/kill.db
"$BIN" analyze -q --db "$KDB" "$TMP/big.pcap" 2> "$TMP/kill.err" &
KP=$!
PIDS="$PIDS $KP"
i=0
while [ $i -lt 100 ] && [ "$(q "$KDB" "SELECT COUNT(*) FROM inputs" 2>/dev/null)" != 1 ]; do
    sleep 0.05; i=$((i + 1))
done
ST=$(q "$KDB" "SELECT status || ' ' || bytes FROM inputs")
kill -9 $KP; wait $KP 2>/dev/null
SIZE=$(wc -c < "$TMP/big.pcap")
[ "$ST" = "reading $SIZE" ] && ok "input recorded when opened: $ST" || bad "input while running: '$ST'"
"$BIN" report --db "$KDB" > "$TMP/k.txt" 2> "$TMP/k.err"
RC=$?
if [ $RC = 3 ] && head -n 1 "$TMP/k.txt" | grep -q '^WARNING: 1 run interrupted' \
    && grep -q 'interrupted' "$TMP/k.err"; then
    ok "report on a killed run: warning at the top, exit 3"
else
    bad "report on a killed run: exit $RC"; head -n 3 "$TMP/k.txt"
fi
for f in json html linkchart; do
    "$BIN" report --db "$KDB" --format $f > "$TMP/k.$f" 2>/dev/null
    RC=$?
    # at the top: before any heading, table or record
    sed -n '1,/<h1>\|"generated_utc"\|^# nodes/p' "$TMP/k.$f" | grep -q 'WARNING: 1 run interrupted' \
        && [ $RC = 3 ] \
        && ok "report --format $f warns at the top (exit 3)" || bad "report --format $f: exit $RC"
done
"$BIN" analyze -q --db "$KDB" "$PCAP"
RC=$?
ST=$(q "$KDB" "SELECT group_concat(status, ',') FROM (SELECT status FROM runs ORDER BY id)")
IST=$(q "$KDB" "SELECT status FROM inputs WHERE run_id = 1")
[ $RC = 0 ] && [ "$ST" = "interrupted,complete" ] && [ "$IST" = interrupted ] \
    && ok "next run marks the killed one interrupted (runs: $ST, its input: $IST)" \
    || bad "after kill: exit $RC, runs '$ST', input '$IST'"

# --- 4. output files --------------------------------------------------------
echo precious > "$TMP/victim"
chmod 644 "$TMP/victim"
ln -s "$TMP/victim" "$TMP/out.txt"
"$BIN" report --db "$KDB" -o "$TMP/out.txt" 2>/dev/null
if [ "$(cat "$TMP/victim")" = precious ] && [ ! -L "$TMP/out.txt" ] \
    && [ "$(stat -c %a "$TMP/out.txt")" = 600 ]; then
    ok "report -o replaces a symlink, never writes through it"
else
    bad "report -o followed a symlink"
fi
echo old > "$TMP/old.txt"; chmod 644 "$TMP/old.txt"
"$BIN" report --db "$KDB" -o "$TMP/old.txt" 2>/dev/null
[ "$(stat -c %a "$TMP/old.txt")" = 600 ] && ok "report -o on an existing 0644 file leaves it 0600" \
    || bad "report -o kept mode $(stat -c %a "$TMP/old.txt")"
"$BIN" report --db "$KDB" --format csv -o "$TMP/csvdir" 2>/dev/null
ln -sf "$TMP/victim" "$TMP/csvdir/flows.csv"
"$BIN" report --db "$KDB" --format csv -o "$TMP/csvdir" 2>/dev/null
[ "$(cat "$TMP/victim")" = precious ] && [ ! -L "$TMP/csvdir/flows.csv" ] \
    && ok "csv export replaces a symlinked NAME.csv" || bad "csv export wrote through a symlink"
# --format svg -o DIR and extract -w go through the same writer (report/outfile.c).
SDB="$TMP/svg.db"
"$BIN" analyze -q --db "$SDB" pcaps/ott_tls.pcap
"$BIN" report --db "$SDB" --format svg -o "$TMP/svgdir" 2>/dev/null
ln -sf "$TMP/victim" "$TMP/svgdir/graph.svg"
"$BIN" report --db "$SDB" --format svg -o "$TMP/svgdir" 2>/dev/null
[ "$(cat "$TMP/victim")" = precious ] && [ ! -L "$TMP/svgdir/graph.svg" ] \
    && [ "$(stat -c %a "$TMP/svgdir/graph.svg")" = 600 ] \
    && ok "svg -o DIR replaces a symlinked graph.svg (0600)" || bad "svg export wrote through a symlink"
echo old > "$TMP/x.pcap"; chmod 644 "$TMP/x.pcap"
ln -sf "$TMP/victim" "$TMP/y.pcap"
if "$BIN" extract --db "$SDB" --flow 1:1 -w "$TMP/x.pcap" 2>/dev/null \
    && "$BIN" extract --db "$SDB" --flow 1:1 -w "$TMP/y.pcap" 2>/dev/null \
    && [ "$(stat -c %a "$TMP/x.pcap")" = 600 ] && [ ! -L "$TMP/y.pcap" ] \
    && [ "$(cat "$TMP/victim")" = precious ] \
    && ! ls "$TMP"/.x.pcap.* >/dev/null 2>&1; then
    ok "extract -w: an existing 0644 file becomes 0600, a symlink is replaced, no temporary left"
else
    bad "extract -w: mode $(stat -c %a "$TMP/x.pcap"), link $(test -L "$TMP/y.pcap" && echo kept)"
fi
chmod 644 "$KDB"
touch "$KDB-wal" "$KDB-shm"; chmod 644 "$KDB-wal" "$KDB-shm"
"$BIN" analyze -q --db "$KDB" "$PCAP"
M="$(stat -c %a "$KDB") $(stat -c %a "$KDB-wal" 2>/dev/null || echo 600) $(stat -c %a "$KDB-shm" 2>/dev/null || echo 600)"
[ "$M" = "600 600 600" ] && ok "an existing 0644 database, -wal, -shm made 0600" || bad "database modes: $M"

# --- 5. symlink loop and .. -------------------------------------------------
mkdir -p "$TMP/tree/d/sub"
cp "$PCAP" "$TMP/tree/d/sub/in.pcap"
cp pcaps/raw.pcap "$TMP/tree/outside.pcap"
ln -s .. "$TMP/tree/d/sub/loop"
ln -s ../.. "$TMP/tree/d/sub/up"
"$BIN" analyze -q --db "$TMP/tree.db" "$TMP/tree/d" 2> "$TMP/tree.err"
RC=$?
P=$(q "$TMP/tree.db" "SELECT group_concat(path) FROM inputs")
if [ $RC = 0 ] && [ "$P" = "$TMP/tree/d/sub/in.pcap" ] && grep -q 'loop' "$TMP/tree.err" \
    && grep -q 'out of the given directory' "$TMP/tree.err"; then
    ok "symlink loop and link to .. skipped with warnings; the run goes on"
else
    bad "directory walk: exit $RC, inputs '$P'"; cat "$TMP/tree.err"
fi

# --- 8. error text and exit codes -------------------------------------------
"$BIN" analyze -q --db "$TMP/none.db" "$TMP/nosuch.pcap" 2> "$TMP/none.err"
RC=$?
if [ $RC = 2 ] && { [ ! -e "$TMP/none.db" ] || [ "$(q "$TMP/none.db" "SELECT COUNT(*) FROM runs")" = 0 ]; }; then
    ok "a sole missing input: exit 2, no run recorded"
else
    bad "sole missing input: exit $RC"; cat "$TMP/none.err"
fi
mkdir "$TMP/ro"
touch "$TMP/ro/x.db"
chmod 000 "$TMP/ro/x.db"
cp "$PCAP" "$TMP/ro/in.pcap"; chmod 000 "$TMP/ro/in.pcap"
chmod 777 "$TMP/ro"
AS=""
if [ "$(id -u)" = 0 ]; then
    AS="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
# shellcheck disable=SC2086
$AS "$BIN" analyze -q --db "$TMP/ro/ok.db" "$TMP/ro/in.pcap" "$PCAP" 2> "$TMP/perm.err"
grep -q 'in.pcap: cannot open: Permission denied' "$TMP/perm.err" && ! grep -q 'not a pcap' "$TMP/perm.err" \
    && ok "permission denied reads as such" || { bad "permission error text"; cat "$TMP/perm.err"; }
# shellcheck disable=SC2086
$AS "$BIN" report --db "$TMP/ro/x.db" 2> "$TMP/dbperm.err"
grep -q "$TMP/ro/x.db" "$TMP/dbperm.err" && ok "database error names the file: $(head -n 1 "$TMP/dbperm.err")" \
    || { bad "database error without the file"; cat "$TMP/dbperm.err"; }

# --- 9. DNS-learned names cut ------------------------------------------------
python3 tests/suites/mkpcap.py dnscut "$TMP/dnscut.pcap"
"$BIN" analyze -q --db "$TMP/dc.db" "$TMP/dnscut.pcap"
C=$(q "$TMP/dc.db" "SELECT length(server_name) || ' ' || server_name_cut FROM flows WHERE proto = 6")
[ "$C" = "255 1" ] && ok "server_name_cut on the DNS-learned path (255 bytes kept, flagged)" \
    || bad "DNS-learned cut name: '$C'"

# A SIP address cut to SMS_ADDR_MAX is flagged and never a subject: its
# digits may be incomplete (sip:+1555012345678901234... cut inside the user).
CUT="sip:+155501234567890123456789012345678901234567890123456789012"
sqlite3 "$TMP/dc.db" "INSERT INTO sms_events (run_id, flow_id, ts_us, protocol, operation,
    direction, originator, recipient, originator_cut) VALUES
    (1, 0, 1700000000000000, 'sip', 'submit', 'mo', '$CUT', 'tel:+15550111', 1),
    (1, 0, 1700000001000000, 'sip', 'submit', 'mo', 'sip:+15550300@ims.example', '$CUT', 0)"
"$BIN" report --db "$TMP/dc.db" --format csv --table subjects > "$TMP/subj.csv" 2>/dev/null
if grep -q '15550300' "$TMP/subj.csv" && ! grep -q '1555012345' "$TMP/subj.csv"; then
    ok "a cut SIP address is never a subject"
else
    bad "cut SIP address as a subject"; cat "$TMP/subj.csv"
fi

echo "$PASS passed, $FAIL failed"
