#!/usr/bin/env bash
# bench.sh: `make bench`: trapline's throughput against the libpcap floor and ndpiReader.
#
# Usage (from the repo root): tests/bench/bench.sh BUILD_DIR
#
# BUILD_DIR holds build/trapline (optional: a missing binary prints "trapline: not built").
# The script compiles BUILD_DIR/mkbench and BUILD_DIR/floor from tests/bench/, builds
# BUILD_DIR/bench/bench.pcap (>= BENCH_MB MiB, default 512) from the shared captures, then
# times floor, ndpiReader and trapline on it, RUNS times each, and prints medians and ratios.
# See tests/bench/README.md. Needs only bash, coreutils, awk, cc, pkg-config, GNU time.
#
# Environment: BENCH_MB (output size in MiB, default 512), TRAPLINE_SHARED (default ../shared
# relative to the repo root; captures are read from $TRAPLINE_SHARED/captures/files), CC.
# Exit status: 0 when every available tool ran (targets are reported, not enforced), 1 when a
# tool failed or a prerequisite is missing, 2 on a usage error.

set -euo pipefail

RUNS=3                         # runs per tool; the median wall time is reported
GNU_TIME=/usr/bin/time
TARGET_FLOOR=8                 # trapline/floor: target <= 8, goal <= 4
GOAL_FLOOR=4

die() { echo "bench: $*" >&2; exit 1; }

if [ $# -ne 1 ]; then
    echo "usage: tests/bench/bench.sh BUILD_DIR" >&2
    exit 2
fi

BENCH_MB=${BENCH_MB:-512}
case $BENCH_MB in
    ''|*[!0-9]*) die "BENCH_MB must be a positive whole number of MiB, got '$BENCH_MB'" ;;
esac
BENCH_MB=$((10#$BENCH_MB))     # "0512" is not octal
[ "$BENCH_MB" -gt 0 ] || die "BENCH_MB must be at least 1"

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
mkdir -p "$1/bench/logs"
BUILD=$(cd "$1" && pwd)
WORK=$BUILD/bench
LOGS=$WORK/logs
SHARED=${TRAPLINE_SHARED:-$ROOT/../shared}
CAPTURES=$SHARED/captures/files
CC=${CC:-cc}


if [ ! -d "$CAPTURES" ]; then
    echo "bench: no captures at $CAPTURES (set TRAPLINE_SHARED to the directory holding" \
         "captures/files); benchmark skipped."
    exit 0
fi

[ -x "$GNU_TIME" ] || die "$GNU_TIME not found (Debian package 'time'); run 'make deps'"
command -v pkg-config >/dev/null || die "pkg-config not found; run 'make deps'"
pkg-config --exists libpcap || die "libpcap development files not found; run 'make deps'"

# ---- build the two helpers (same warning set as the main build) ----
WARN="-Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla \
-Wpointer-arith -Wimplicit-fallthrough -Werror"
for tool in mkbench floor; do
    src=$ROOT/tests/bench/$tool.c
    bin=$BUILD/$tool
    if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ]; then
        # shellcheck disable=SC2046,SC2086  # word splitting of flags is intended
        "$CC" -O2 -std=c11 -D_DEFAULT_SOURCE $WARN -o "$bin" "$src" \
            $(pkg-config --cflags --libs libpcap) || die "cannot compile $src"
    fi
done

# ---- build (or reuse) the bench capture ----
PCAP=$WORK/bench.pcap
STAMP=$WORK/bench.stamp
MIN_BYTES=$((BENCH_MB * 1048576))
# The stamp records what the file was made from: size target, generator source, capture set.
want_stamp=$(
    echo "bench_mb=$BENCH_MB"
    echo "mkbench=$(md5sum < "$ROOT/tests/bench/mkbench.c" | cut -d' ' -f1)"
    echo "captures=$(find "$CAPTURES" -type f -printf '%P %s %T@\n' | LC_ALL=C sort \
                     | md5sum | cut -d' ' -f1)"
)
if [ -f "$PCAP" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want_stamp" ]; then
    echo "bench: reusing $PCAP (${BENCH_MB} MiB target, stamp matches)"
else
    rm -f "$PCAP" "$STAMP"
    avail_kb=$(df -Pk "$WORK" | awk 'NR == 2 { print $4 }')
    if [ "$avail_kb" -lt $((BENCH_MB * 1024 + 65536)) ]; then
        die "not enough disk space in $WORK for a ${BENCH_MB} MiB capture"
    fi
    echo "bench: building $PCAP (>= ${BENCH_MB} MiB) from $CAPTURES"
    "$BUILD/mkbench" -o "$PCAP.tmp" -n "$MIN_BYTES" "$CAPTURES" 2> "$LOGS/mkbench.err" \
        || { cat "$LOGS/mkbench.err" >&2; rm -f "$PCAP.tmp"; die "mkbench failed"; }
    sed 's/^/  /' "$LOGS/mkbench.err"
    mv "$PCAP.tmp" "$PCAP"
    printf '%s\n' "$want_stamp" > "$STAMP"
fi

# ---- warm the page cache and count packets (untimed) ----
pcap_kb=$(( $(stat -c %s "$PCAP") / 1024 ))
avail_mem_kb=$(awk '/^MemAvailable:/ { print $2 }' /proc/meminfo)
if [ "${avail_mem_kb:-0}" -lt $((pcap_kb * 2)) ]; then
    echo "bench: warning: $((pcap_kb / 1024)) MiB capture vs $((avail_mem_kb / 1024)) MiB" \
         "available memory; the page cache may not hold it and timings will include disk I/O"
fi
"$BUILD/floor" "$PCAP" > "$LOGS/warm.out" || die "floor failed on $PCAP"
PACKETS=$(awk '$1 == "packets" { print $2 }' "$LOGS/warm.out")

# ---- the three tools ----
NAMES=(floor ndpiReader trapline)
declare -A AVAIL=() WHY=()
AVAIL[floor]=1
if command -v ndpiReader >/dev/null; then
    AVAIL[ndpiReader]=1
else
    AVAIL[ndpiReader]=0; WHY[ndpiReader]="not installed (Debian libndpi-bin; run 'make deps')"
fi
if [ -x "$BUILD/trapline" ]; then
    AVAIL[trapline]=1
else
    AVAIL[trapline]=0; WHY[trapline]="not built"
fi
DB=$WORK/bench.db

# Sets CMD to the command line of one tool; GNU time runs it directly (no wrapper shell).
set_cmd() {
    case $1 in
        floor)      CMD=("$BUILD/floor" "$PCAP") ;;
        # -q: no per-flow report; -v 0: no unknown-flow dump. Stdout goes to a log file.
        ndpiReader) CMD=(ndpiReader -i "$PCAP" -q -v 0) ;;
        trapline)   CMD=("$BUILD/trapline" analyze --db "$DB" -q "$PCAP") ;;
    esac
}

declare -A WALLS=() RSS=() FAILED=()
FAILURES=0
# Rounds interleave the tools (floor, ndpiReader, trapline, floor, ...), one at a time, so
# slow drift on the machine spreads over all of them instead of landing on one.
for ((r = 1; r <= RUNS; r++)); do
    for name in "${NAMES[@]}"; do
        [ "${AVAIL[$name]}" = 1 ] || continue
        [ -z "${FAILED[$name]:-}" ] || continue
        log=$LOGS/$name.$r
        set_cmd "$name"
        rm -f "$DB" "$DB-wal" "$DB-shm" "$DB-journal"
        rc=0
        "$GNU_TIME" -f '%e %M' -o "$log.time" "${CMD[@]}" > "$log.out" 2> "$log.err" || rc=$?
        if [ "$rc" -ne 0 ]; then
            FAILED[$name]="exit $rc, see $log.err"
            FAILURES=$((FAILURES + 1))
            continue
        fi
        read -r wall rss < <(tail -n 1 "$log.time")
        WALLS[$name]="${WALLS[$name]:-} $wall"
        if [ "${rss:-0}" -gt "${RSS[$name]:-0}" ]; then RSS[$name]=$rss; fi
    done
done

# median "W1 W2 W3": the middle value (the lower middle one for an even count).
median() {
    tr -s ' ' '\n' <<< "$1" | sed '/^$/d' | sort -n \
        | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

declare -A MED=()
echo
echo "bench: $PCAP: $PACKETS packets, $((pcap_kb / 1024)) MiB; $RUNS runs each, median wall" \
     "time, max RSS; $(nproc) CPUs"
printf '%-12s %9s %14s %13s %9s\n' name "wall s" packets/s "peak RSS MiB" "x floor"
for name in "${NAMES[@]}"; do
    if [ "${AVAIL[$name]}" != 1 ]; then
        echo "$name: ${WHY[$name]}"
        continue
    fi
    if [ -n "${FAILED[$name]:-}" ]; then
        echo "$name: FAILED (${FAILED[$name]})"
        continue
    fi
    MED[$name]=$(median "${WALLS[$name]}")
    awk -v n="$name" -v w="${MED[$name]}" -v p="$PACKETS" -v k="${RSS[$name]}" \
        -v f="${MED[floor]:-0}" 'BEGIN {
            pps = w > 0 ? sprintf("%.0f", p / w) : "n/a"
            x = (w > 0 && f > 0) ? sprintf("%.2f", w / f) : "n/a"
            printf "%-12s %9.2f %14s %13.1f %9s\n", n, w, pps, k / 1024, x
        }'
done

# Why a tool has no median: "trapline not built", "ndpiReader failed", or nothing.
why_missing() {
    if [ -n "${WHY[$1]:-}" ]; then echo "$1 ${WHY[$1]}"
    elif [ -n "${FAILED[$1]:-}" ]; then echo "$1 failed"
    fi
}

ratio() { # ratio NUM DEN LABEL TARGET_TEXT
    if [ -n "${MED[$1]:-}" ] && [ -n "${MED[$2]:-}" ]; then
        awk -v a="${MED[$1]}" -v b="${MED[$2]}" -v l="$3" -v t="$4" 'BEGIN {
            if (b > 0) printf "ratio %s = %.2f (%s)\n", l, a / b, t
            else printf "ratio %s = n/a (too fast to time; raise BENCH_MB)\n", l
        }'
    else
        local why
        why=$(why_missing "$1")
        [ -n "$why" ] || why=$(why_missing "$2")
        echo "ratio $3 = n/a ($why)"
    fi
}
echo
ratio trapline floor "trapline/floor" "target <= $TARGET_FLOOR, goal <= $GOAL_FLOOR"
ratio trapline ndpiReader "trapline/ndpiReader" "target < 1"
echo "logs: $LOGS"

[ "$FAILURES" -eq 0 ] || exit 1
exit 0
