#!/bin/sh
# tests/fuzz/campaign.sh SECONDS - runs every libFuzzer target (make fuzz)
# for SECONDS seconds from its corpus, then merges the new inputs that add
# coverage into tests/fuzz/corpus/<target>/ (-merge=1).  Prints executions
# and crashes per target; crash inputs are left as crash-* in the corpus
# directory of the target, to be fixed and kept with a unit test.
set -u
BUILD=${BUILD:-build}
SECS=${1:-60}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# FUZZ_TARGETS="fuzz_a fuzz_b" limits the campaign to those targets.
for t in "$BUILD"/fuzz/fuzz_*; do
    case " ${FUZZ_TARGETS:-$(basename "$t")} " in *" $(basename "$t") "*) ;; *) continue ;; esac
    [ -x "$t" ] || continue
    n=$(basename "$t")
    c=tests/fuzz/corpus/$n
    mkdir -p "$TMP/$n" "$c"
    old=$(ls "$c" 2>/dev/null | grep -c -E '^(crash|leak|timeout|oom)-')
    "$t" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -artifact_prefix="$c/" "$TMP/$n" "$c" > "$TMP/$n.log" 2>&1
    rc=$?
    execs=$(sed -n 's/^#\([0-9]*\).*DONE.*/\1/p; s/^Done \([0-9]*\) runs.*/\1/p' "$TMP/$n.log" | tail -n 1)
    crashes=$(( $(ls "$c" 2>/dev/null | grep -c -E '^(crash|leak|timeout|oom)-') - old ))
    before=$(ls "$c" | wc -l)
    "$t" -merge=1 "$c" "$TMP/$n" > "$TMP/$n.merge" 2>&1
    after=$(ls "$c" | wc -l)
    echo "$n: ${execs:-?} executions in ${SECS} s, exit $rc, $crashes new crash files, $((after - before)) new corpus entries"
    # CAMPAIGN_LOG=FILE appends one tab-separated line per target (UTC date,
    # target, seconds, executions, exit code, new crash files, new entries).
    [ -n "${CAMPAIGN_LOG:-}" ] && printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%MZ)" \
        "$n" "$SECS" "${execs:-?}" "$rc" "$crashes" "$((after - before))" >> "$CAMPAIGN_LOG"
done
