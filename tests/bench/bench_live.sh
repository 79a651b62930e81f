#!/bin/bash
# tests/bench/bench_live.sh - `make bench-live`: how fast can `trapline live`
# capture without loss?  Usage: tests/bench/bench_live.sh BUILD_DIR
#
# Builds BUILD/bench/bench-live.pcap with mkbench (BENCH_MB MiB, default 100,
# from the shared captures; see tests/bench/README.md), creates a private
# network namespace with a veth pair (no addresses, IPv6 off: nothing leaves
# the pair), and for each rate replays the file with tcpreplay into one end
# while `trapline live` captures on the other:
#   --topspeed, then --mbps=R for R in BENCH_RATES (default below).
# For each run it reports what tcpreplay achieved, pcap_stats (received,
# dropped by the kernel ring, dropped by the interface) from the run's
# capture_stats, and trapline's CPU use (utime+stime from /proc/PID/stat over
# the replay's wall time, so 100% = one core).  The result is the highest
# rate at which every packet was received with zero kernel and interface
# drops.  Needs root; exits 0 with a message without root or captures.
#
# Environment: BENCH_MB (default 100), BENCH_RATES (Mbit/s, default
# "100 200 400 800 1600 3200"), BENCH_BUFFER_MB (trapline --buffer-mb,
# default trapline's own), TRAPLINE_SHARED (default ../shared).
set -u
die() { echo "bench-live: $*" >&2; exit 1; }
[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
ROOT=$(pwd)
BUILD=$(cd "$1" && pwd) || die "no build directory $1"
BIN=$BUILD/trapline
WORK=$BUILD/bench
SHARED=${TRAPLINE_SHARED:-$ROOT/../shared}
CAPTURES=$SHARED/captures/files
BENCH_MB=${BENCH_MB:-100}
RATES=${BENCH_RATES:-100 200 400 800 1600 3200}
BUFOPT=${BENCH_BUFFER_MB:+--buffer-mb $BENCH_BUFFER_MB}
CC=${CC:-cc}

[ "$(id -u)" = 0 ] || { echo "bench-live: needs root (namespaces, capture); skipped"; exit 0; }
[ -d "$CAPTURES" ] || { echo "bench-live: no captures at $CAPTURES; skipped"; exit 0; }
[ -x "$BIN" ] || die "$BIN not built"
command -v tcpreplay >/dev/null || die "tcpreplay not found; run 'make deps'"
mkdir -p "$WORK"

MK=$BUILD/mkbench
if [ ! -x "$MK" ] || [ "$ROOT/tests/bench/mkbench.c" -nt "$MK" ]; then
    # shellcheck disable=SC2046
    "$CC" -O2 -std=c11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror -o "$MK" \
        "$ROOT/tests/bench/mkbench.c" $(pkg-config --cflags --libs libpcap) || die "cannot build mkbench"
fi
PCAP=$WORK/bench-live.pcap
STAMP="$BENCH_MB $(md5sum < "$ROOT/tests/bench/mkbench.c")"
if [ ! -s "$PCAP" ] || [ "$(cat "$PCAP.stamp" 2>/dev/null)" != "$STAMP" ]; then
    echo "bench-live: building $PCAP (>= $BENCH_MB MiB)"
    "$MK" -o "$PCAP" -n $((BENCH_MB * 1048576)) "$CAPTURES" 2> "$WORK/mkbench-live.err" \
        || { cat "$WORK/mkbench-live.err"; die "mkbench failed"; }
    echo "$STAMP" > "$PCAP.stamp"
fi
MAXF=$("$CC" -x c -o "$WORK/maxframe" - -lpcap <<'C' && "$WORK/maxframe" "$PCAP"
#include <pcap/pcap.h>
#include <stdio.h>
int main(int argc, char **argv)
{
    char eb[PCAP_ERRBUF_SIZE];
    struct pcap_pkthdr *h;
    const u_char *d;
    unsigned long n = 0, b = 0, mx = 0;
    pcap_t *p = pcap_open_offline(argv[argc - 1], eb);
    if (!p)
        return 1;
    while (pcap_next_ex(p, &h, &d) == 1) {
        n++;
        b += h->caplen;
        if (h->caplen > mx)
            mx = h->caplen;
    }
    printf("%lu %lu %lu\n", n, b, mx);
    return 0;
}
C
)
read -r NPKT NBYTES MAXFRAME <<< "$MAXF"
echo "bench-live: $PCAP: $NPKT packets, $((NBYTES / 1048576)) MiB, largest frame $MAXFRAME bytes"

NS=tlbench$$
A=tba$$
B=tbb$$
TMP=$(mktemp -d)
chmod 755 "$TMP"
LP=""
cleanup() {
    [ -n "$LP" ] && kill -9 "$LP" 2>/dev/null
    ip netns del "$NS" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
ip netns add "$NS" || die "ip netns add failed"
ip netns exec "$NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add name "$A" netns "$NS" mtu 65535 type veth peer name "$B" netns "$NS" mtu 65535 \
    || die "veth failed"
ip netns exec "$NS" ip link set "$A" up
ip netns exec "$NS" ip link set "$B" up
TCK=$(getconf CLK_TCK)

# run LABEL TCPREPLAY_RATE_ARGS...  -> prints one result row, sets OKRUN=1 on zero loss
run() {
    label=$1; shift
    db=$TMP/run-$label.db
    rm -f "$db" "$db-wal" "$db-shm"
    # shellcheck disable=SC2086
    ip netns exec "$NS" "$BIN" live -i "$B" --db "$db" -q --commit-interval 5 $BUFOPT \
        2> "$TMP/live-$label.err" &
    LP=$!
    for _ in $(seq 100); do
        [ "$(sqlite3 "file:$db?mode=ro" 'SELECT COUNT(*) FROM runs' 2>/dev/null)" = 1 ] && break
        sleep 0.1
    done
    read -r u0 s0 < <(awk '{ print $14, $15 }' /proc/$LP/stat)
    t0=$(date +%s.%N)
    ip netns exec "$NS" tcpreplay -K -i "$A" "$@" "$PCAP" > "$TMP/replay-$label.out" 2>&1
    t1=$(date +%s.%N)
    sleep 1    # let the ring drain (block timeout) before the last sample
    read -r u1 s1 < <(awk '{ print $14, $15 }' /proc/$LP/stat)
    kill -INT "$LP"
    wait "$LP"
    LP=""
    sent=$(sed -n 's/^Actual: \([0-9]*\) packets.*/\1/p' "$TMP/replay-$label.out")
    mbps=$(sed -n 's/.*Rated: .*, \([0-9.]*\) Mbps.*/\1/p' "$TMP/replay-$label.out")
    pps=$(sed -n 's/.*Rated: .* Mbps, \([0-9.]*\) pps.*/\1/p' "$TMP/replay-$label.out")
    read -r recv drop ifdrop < <(sqlite3 -separator ' ' "file:$db?mode=ro" \
        "SELECT received, dropped, if_dropped FROM capture_stats ORDER BY rowid DESC LIMIT 1")
    flows=$(sqlite3 "file:$db?mode=ro" "SELECT COUNT(*) FROM flows")
    cpu=$(awk -v a="$u0" -v b="$s0" -v c="$u1" -v d="$s1" -v t0="$t0" -v t1="$t1" -v tck="$TCK" \
        'BEGIN { w = t1 - t0; printf "%.0f", (w > 0 ? 100 * ((c + d) - (a + b)) / tck / w : 0) }')
    lost=$(( ${sent:-0} - ${recv:-0} ))
    printf "  %-10s %9s %9s %9s %9s %8s %8s %6s%% %8s\n" "$label" "${mbps:-?}" "${pps:-?}" \
        "${sent:-?}" "${recv:-?}" "${drop:-?}" "${ifdrop:-?}" "$cpu" "$flows"
    OKRUN=0
    [ "${drop:-1}" = 0 ] && [ "${ifdrop:-1}" = 0 ] && [ "$lost" -le 0 ] && OKRUN=1
    [ "$OKRUN" = 1 ] || echo "             (loss: $lost not received, $drop kernel, $ifdrop interface)"
    CPU_LAST=$cpu
    MBPS_LAST=${mbps:-0}
}

printf "  %-10s %9s %9s %9s %9s %8s %8s %7s %8s\n" rate Mbit/s pps sent received dropped \
    ifdrop cpu flows
BEST=""
BEST_CPU=""
for r in $RATES topspeed; do
    if [ "$r" = topspeed ]; then run topspeed --topspeed; else run "$r" --mbps="$r"; fi
    # The rate that counts is the one tcpreplay achieved, not the one asked for.
    if [ "$OKRUN" = 1 ] && awk -v a="$MBPS_LAST" -v b="${BEST:-0}" 'BEGIN { exit !(a > b) }'; then
        BEST=$MBPS_LAST
        BEST_CPU=$CPU_LAST
        BEST_LABEL=$r
    fi
    [ "$r" = topspeed ] && TOP_OK=$OKRUN
done
if [ -n "$BEST" ]; then
    echo "bench-live: highest rate with zero kernel and interface drops and every packet"\
         "received: $BEST Mbit/s (run '$BEST_LABEL'), trapline CPU ${BEST_CPU}% of one core"
    [ "$TOP_OK" = 1 ] && echo "bench-live: --topspeed lost nothing either: the sender" \
        "(tcpreplay on the same cores) is the limit, so this is a lower bound"
else
    echo "bench-live: every rate lost packets"
fi
