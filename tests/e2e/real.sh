#!/bin/sh
# tests/e2e/real.sh BUILD CAPTURES_DIR - trapline against the real public captures.
#
# Checks (the last line is "N passed, N failed"):
#   * one check per capture file under CAPTURES_DIR/files: `trapline analyze` ends
#     with exit 0 (complete) or 3 (partial) and its stderr holds no sanitizer
#     report (under `make SANITIZE=... check`, BUILD is build-san);
#   * one check per capture file: packet conservation (packets = packets in
#     flows + packets without a flow key + failed flow allocations + fragments
#     absorbed into a reassembled datagram, up to the undecodable ones);
#   * one check per truth flow (per 5-tuple) of every flow-truth file
#     (CAPTURES_DIR/truth/<file>.tsv whose header starts "flow<TAB>proto", see
#     CAPTURES_DIR/README.md): packets and on-wire bytes in each direction, summed
#     over our rows for that 5-tuple in either orientation (so a timeout or
#     port-reuse split of one truth flow into several rows still matches), equal
#     the truth.  Flows listed in tests/e2e/real-exceptions.tsv (file, proto,
#     src_ip, src_port, dst_ip, dst_port, reason) are documented principled
#     differences: they are reported as "excepted" and counted as passed.
# Every mismatch is printed, with both sides; a per-file agreement line
# "agree FILE: matched/total" follows.
set -u
BUILD=$1
CAPS=$2
BIN=$BUILD/trapline
EXC=tests/e2e/real-exceptions.tsv
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PASS=0
FAIL=0
TOTAL_T=0
TOTAL_M=0
TOTAL_X=0

if [ ! -x "$BIN" ]; then
    echo "FAIL: $BIN not built"
    echo "0 passed, 1 failed"
    exit 1
fi

# The exceptions as a table (comment lines dropped).
grep -v '^#' "$EXC" | grep -v '^[[:space:]]*$' >"$TMP/exc.tsv" || true
# sqlite3 refuses to import an empty file: a placeholder row that matches nothing.
[ -s "$TMP/exc.tsv" ] || printf 'x\tx\tx\tx\tx\tx\tx\n' >"$TMP/exc.tsv"

find "$CAPS/files" -type f | LC_ALL=C sort >"$TMP/files.txt"
while read -r f; do
    base=$(basename "$f")
    db=$TMP/run.db
    rm -f "$db" "$db-wal" "$db-shm"
    "$BIN" analyze -q --db "$db" "$f" 2>"$TMP/err.txt"
    rc=$?
    if [ $rc -ne 0 ] && [ $rc -ne 3 ]; then
        FAIL=$((FAIL + 1))
        echo "FAIL: $base: exit $rc"
        head -n 20 "$TMP/err.txt"
        continue
    fi
    if grep -q -E 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:' \
        "$TMP/err.txt"; then
        FAIL=$((FAIL + 1))
        echo "FAIL: $base: sanitizer report"
        head -n 40 "$TMP/err.txt"
        continue
    fi
    PASS=$((PASS + 1))

    # Conservation (one check per file): every packet is in exactly one flow,
    # or counted as having no flow key, as a failed flow allocation, as a
    # fragment absorbed into a reassembled datagram (the datagram is the flow's
    # packet), or as undecodable.  Truncated packets with an IP layer still reach the table,
    # hence a range rather than an equality.
    cons=$(sqlite3 -batch "$db" "SELECT p, f + nf + nm + ab, f + nf + nm + ab + inv + tr FROM
        (SELECT (SELECT value FROM run_stats WHERE name='packets') AS p,
                (SELECT COALESCE(SUM(pkts_c2s + pkts_s2c), 0) FROM flows) AS f,
                (SELECT value FROM run_stats WHERE name='packets_without_flow') AS nf,
                (SELECT value FROM run_stats WHERE name='flows_dropped_nomem') AS nm,
                (SELECT COALESCE(MAX(value), 0) FROM run_stats
                  WHERE name='ipfrag_frames_absorbed') AS ab,
                (SELECT value FROM run_stats WHERE name='decode_invalid') AS inv,
                (SELECT value FROM run_stats WHERE name='decode_truncated') AS tr)" 2>&1)
    p=$(echo "$cons" | cut -d'|' -f1)
    lo=$(echo "$cons" | cut -d'|' -f2)
    hi=$(echo "$cons" | cut -d'|' -f3)
    if [ -n "$p" ] && [ -n "$lo" ] && [ -n "$hi" ] && [ "$lo" -le "$p" ] && [ "$p" -le "$hi" ]; then
        PASS=$((PASS + 1))
    else
        FAIL=$((FAIL + 1))
        echo "FAIL: $base: packet conservation: $cons (packets | in flows + no flow + nomem + absorbed | + undecodable)"
    fi

    truth=$CAPS/truth/$base.tsv
    [ -f "$truth" ] || continue
    head -n 1 "$truth" | grep -q "^flow	proto	" || continue

    # Import the truth and compare sums per 5-tuple (either orientation).
    sqlite3 -batch "$db" >"$TMP/cmp.txt" 2>"$TMP/cmp.err" <<EOF
.mode tabs
.import $truth truth
.bail off
CREATE TEMP TABLE exc_raw (c1, c2, c3, c4, c5, c6, c7);
.import $TMP/exc.tsv exc_raw
CREATE TEMP TABLE exc AS SELECT * FROM exc_raw WHERE c1 = '$base';
CREATE TEMP VIEW t AS
  SELECT proto AS tproto,
         CASE proto WHEN 'TCP' THEN 6 WHEN 'UDP' THEN 17 WHEN 'ICMP' THEN 1
                    WHEN 'IP2' THEN 2 ELSE -1 END AS p,
         src_ip AS sip, CAST(src_port AS INTEGER) AS sp,
         dst_ip AS dip, CAST(dst_port AS INTEGER) AS dp,
         SUM(pkts_src2dst) AS tps, SUM(bytes_src2dst) AS tbs,
         SUM(pkts_dst2src) AS tpd, SUM(bytes_dst2src) AS tbd
    FROM truth GROUP BY 1, 2, 3, 4, 5, 6;
SELECT t.tproto, t.sip, t.sp, t.dip, t.dp, t.tps, t.tbs, t.tpd, t.tbd,
       COALESCE(SUM(CASE WHEN f.src_ip = t.sip AND f.src_port = t.sp THEN f.pkts_c2s ELSE f.pkts_s2c END), 0),
       COALESCE(SUM(CASE WHEN f.src_ip = t.sip AND f.src_port = t.sp THEN f.bytes_c2s ELSE f.bytes_s2c END), 0),
       COALESCE(SUM(CASE WHEN f.src_ip = t.sip AND f.src_port = t.sp THEN f.pkts_s2c ELSE f.pkts_c2s END), 0),
       COALESCE(SUM(CASE WHEN f.src_ip = t.sip AND f.src_port = t.sp THEN f.bytes_s2c ELSE f.bytes_c2s END), 0),
       COUNT(f.id),
       (SELECT c7 FROM exc WHERE c2 = t.tproto AND c3 = t.sip AND c4 = CAST(t.sp AS TEXT)
                             AND c5 = t.dip AND c6 = CAST(t.dp AS TEXT))
  FROM t LEFT JOIN flows f
    ON (f.proto = t.p OR (t.p = -1 AND f.proto NOT IN (1, 2, 6, 17)))
   AND ((f.src_ip = t.sip AND f.src_port = t.sp AND f.dst_ip = t.dip AND f.dst_port = t.dp) OR
        (f.src_ip = t.dip AND f.src_port = t.dp AND f.dst_ip = t.sip AND f.dst_port = t.sp))
 GROUP BY t.tproto, t.sip, t.sp, t.dip, t.dp
 ORDER BY t.tproto, t.sip, t.sp, t.dip, t.dp;
EOF
    if [ -s "$TMP/cmp.err" ]; then
        FAIL=$((FAIL + 1))
        echo "FAIL: $base: truth comparison failed:"
        cat "$TMP/cmp.err"
        continue
    fi
    n=0
    m=0
    x=0
    # shellcheck disable=SC2034
    while IFS='	' read -r proto sip sp dip dp tps tbs tpd tbd ops obs opd obd rows why; do
        n=$((n + 1))
        if [ "$tps $tbs $tpd $tbd" = "$ops $obs $opd $obd" ]; then
            m=$((m + 1))
            PASS=$((PASS + 1))
        elif [ -n "$why" ]; then
            m=$((m + 1))
            x=$((x + 1))
            PASS=$((PASS + 1))
            echo "excepted $base $proto $sip:$sp -> $dip:$dp: $why"
        else
            FAIL=$((FAIL + 1))
            echo "MISMATCH $base $proto $sip:$sp -> $dip:$dp truth $tps/$tbs <-> $tpd/$tbd, ours $ops/$obs <-> $opd/$obd in $rows rows"
        fi
    done <"$TMP/cmp.txt"
    TOTAL_T=$((TOTAL_T + n))
    TOTAL_M=$((TOTAL_M + m))
    TOTAL_X=$((TOTAL_X + x))
    echo "agree $base: $m/$n flows ($x of them documented exceptions)"
done <"$TMP/files.txt"
echo "truth flows matched: $TOTAL_M/$TOTAL_T ($TOTAL_X documented exceptions, $((TOTAL_M - TOTAL_X)) exact)"
echo "$PASS passed, $FAIL failed"
[ $FAIL -eq 0 ]
