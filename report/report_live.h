/* report_live.h - live-capture counters in the database and in the report.
 *
 * A live run samples pcap_stats periodically; each sample is one row of the
 * capture_stats table (schema migration 2): cumulative packets received by
 * the kernel filter, dropped for lack of buffer space, and dropped by the
 * interface, as 64-bit totals since the capture started.
 */
#ifndef PR_REPORT_REPORT_LIVE_H
#define PR_REPORT_REPORT_LIVE_H

#include <stdint.h>
#include <stdio.h>

#include "capture/rc.h"
#include "report/store.h"

/* Appends one sample for run_id at wall-clock time ts_us (UTC microseconds)
 * to the store's open batch; it becomes visible at the next store_commit.
 * Returns 0 or RC_SQL (sticky in the store). */
int report_live_store_stats(struct store *s, int64_t run_id, uint64_t ts_us, uint64_t received,
                            uint64_t dropped, uint64_t if_dropped, struct err *e);

/* Writes the "Capture statistics" section: for every live run, its latest
 * sample and drop rate.  Writes nothing when no run has samples.  Returns 0
 * or RC_SQL. */
int report_live_capture_stats(struct store *s, FILE *out, struct err *e);

#endif
