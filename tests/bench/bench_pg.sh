#!/usr/bin/env bash
# bench_pg.sh: the PostgreSQL sink against the SQLite one on the same capture (issue 13:
# within 1.2x).  Called by bench.sh after the many-short-flows bench; runnable alone:
#
#   tests/bench/bench_pg.sh BUILD_DIR PCAP [RUNS]
#
# Starts a throw-away cluster (initdb in a temporary folder, Unix socket only, fsync and
# synchronous_commit left on: the durable setting), then runs `trapline analyze` RUNS times
# (default 3) into SQLite and into PostgreSQL, interleaved, and prints the median wall and
# CPU time of each, the records written per second (flows + ott_events + sms_events +
# subscriber_sessions + run_stats) and the ratio.  The server's own CPU time is not in
# trapline's CPU column; the wall time includes waiting for it.
#
# SQLite is run twice: into a new file, where a run builds the secondary indexes of flows and
# ott_events once at its end (report/store.c), and into a file that already holds a run's
# rows ("sqlite-rows", seeded with pcaps/null.pcap), where every insert maintains them, as
# every insert into a shared PostgreSQL store does.  Both ratios are printed.  Skips (exit 0) without the
# postgresql-15 server binaries.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: tests/bench/bench_pg.sh BUILD_DIR PCAP [RUNS]" >&2; exit 2; }
BUILD=$(cd "$1" && pwd)
PCAP=$2
RUNS=${3:-3}
GNU_TIME=/usr/bin/time
PGBIN=""
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && PGBIN=$d; done
if [ -z "$PGBIN" ] || ! command -v psql >/dev/null; then
    echo "bench_pg: PostgreSQL server binaries not installed (make deps); skipped"
    exit 0
fi
TMP=$(mktemp -d /tmp/trapline-benchpg.XXXXXX)
chmod 755 "$TMP"
RUNAS=""
[ "$(id -u)" = 0 ] && RUNAS="runuser -u nobody --"
pgctl() { $RUNAS "$PGBIN/pg_ctl" -D "$TMP/data" "$@"; }
cleanup() { pgctl -m immediate stop >/dev/null 2>&1 || true; rm -rf "$TMP"; }
trap cleanup EXIT
mkdir -p "$TMP/data" "$TMP/sock" "$TMP/log"
[ -n "$RUNAS" ] && chown -R nobody "$TMP/data" "$TMP/sock" "$TMP/log"
$RUNAS "$PGBIN/initdb" -D "$TMP/data" -U bench --auth=trust -E UTF8 --locale=C \
    > "$TMP/initdb.log" 2>&1 || { echo "bench_pg: initdb failed"; cat "$TMP/initdb.log"; exit 1; }
pgctl -o "-c listen_addresses='' -k $TMP/sock -c shared_buffers=256MB -c max_wal_size=4GB" \
    -l "$TMP/log/server.log" -w start > /dev/null || { echo "bench_pg: pg_ctl start failed"; exit 1; }
export PGHOST=$TMP/sock PGUSER=bench PGDATABASE=postgres
COUNT_SQL="SELECT (SELECT count(*) FROM flows) + (SELECT count(*) FROM ott_events)
           + (SELECT count(*) FROM sms_events) + (SELECT count(*) FROM subscriber_sessions)
           + (SELECT count(*) FROM run_stats)"
declare -A W=() C=()
RECORDS=""
for ((r = 1; r <= RUNS; r++)); do
    for back in sqlite sqlite-rows postgresql; do
        if [ $back = sqlite ] || [ $back = sqlite-rows ]; then
            db=$TMP/bench.db
            rm -f "$db" "$db-wal" "$db-shm"
            if [ $back = sqlite-rows ]; then
                "$BUILD/trapline" analyze -q --db "$db" "$(dirname "$0")/../../pcaps/null.pcap" \
                    > /dev/null 2>&1 || { echo "bench_pg: seeding the SQLite file failed"; exit 1; }
            fi
        else
            psql -X -q -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS b" -c "CREATE DATABASE b" postgres
            db="postgresql:///b?host=$TMP/sock&user=bench"
        fi
        "$GNU_TIME" -f '%e %U %S' -o "$TMP/time" "$BUILD/trapline" analyze -q --db "$db" \
            --spool "$TMP/spool.db" "$PCAP" > "$TMP/out" 2> "$TMP/err" \
            || { echo "bench_pg: $back run failed:"; tail -5 "$TMP/err"; exit 1; }
        read -r wall ut st < <(tail -n 1 "$TMP/time")
        W[$back]="${W[$back]:-} $wall"
        C[$back]="${C[$back]:-} $(awk -v u="$ut" -v s="$st" 'BEGIN { print u + s }')"
        if [ $back = sqlite ] && [ -z "$RECORDS" ]; then
            RECORDS=$(sqlite3 "$db" "$COUNT_SQL")
        fi
        if [ $back = postgresql ] && [ $r = 1 ]; then
            PGREC=$(psql -X -A -t -d b -c "$COUNT_SQL")
        fi
    done
done
median() { tr -s ' ' '\n' <<< "$1" | sed '/^$/d' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo
echo "bench [sink]: $PCAP into SQLite and PostgreSQL ($("$PGBIN/postgres" --version | awk '{ print $3 }'), same host, Unix socket, fsync on); $RUNS runs each, median; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "records per run: SQLite $RECORDS, PostgreSQL $PGREC (flows + ott_events + sms_events + subscriber_sessions + run_stats)"
printf '%-12s %9s %9s %12s\n' sink "wall s" "CPU s" records/s
for back in sqlite sqlite-rows postgresql; do
    w=$(median "${W[$back]}")
    c=$(median "${C[$back]}")
    awk -v n="$back" -v w="$w" -v c="$c" -v r="$RECORDS" 'BEGIN {
        printf "%-12s %9.2f %9.2f %12.0f\n", n, w, c, (w > 0 ? r / w : 0) }'
done
awk -v a="$(median "${W[postgresql]}")" -v b="$(median "${W[sqlite]}")" \
    -v c="$(median "${W[sqlite-rows]}")" 'BEGIN {
    printf "ratio postgresql/sqlite = %.2f wall (target <= 1.2; SQLite into a new file)\n", \
        (b > 0 ? a / b : 0)
    printf "ratio postgresql/sqlite-rows = %.2f wall (target <= 1.2; SQLite into a file with rows)\n", \
        (c > 0 ? a / c : 0) }'
[ "$RECORDS" = "$PGREC" ] || echo "bench_pg: WARNING: record counts differ"
