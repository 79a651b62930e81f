/* report_live.h - live-capture counters in the report.
 *
 * A live run samples pcap_stats periodically; each sample is one row of the
 * capture_stats table (schema migration 2): cumulative packets received by
 * the kernel filter, dropped for lack of buffer space, and dropped by the
 * interface, as 64-bit totals since the capture started.  The rows are
 * written through the sink (sink_capture_stats, report/sink.h); this file
 * only reads them for the report.
 */
#ifndef PR_REPORT_REPORT_LIVE_H
#define PR_REPORT_REPORT_LIVE_H

#include <stdint.h>
#include <stdio.h>

#include "capture/rc.h"
#include "report/store.h"

/* Writes the "Capture statistics" section: for every live run, its latest
 * sample and drop rate.  Writes nothing when no run has samples.  Returns 0
 * or RC_SQL. */
int report_live_capture_stats(struct store *s, FILE *out, struct err *e);

#endif
