/* extract.h - from flow records back to their packets.
 *
 * Every flow row records the input (inputs.seq) and frame number of its
 * first and last packet (schema migration 5).  extract_write() re-reads the
 * run's original inputs, after checking each against the SHA-256 and size
 * the run recorded (a changed, missing or stdin input is refused with the
 * reason: the packets could no longer be shown to be the ones analysed),
 * and writes exactly the packets of the selected flows, in time order, to a
 * classic pcap file (the flows' link type; flows on different link types
 * are refused: extract them separately).
 *
 * A packet belongs to a selected flow when it decodes to the flow's protocol,
 * addresses and ports (either direction), its time is within the flow's
 * [first, last], and it lies between the flow's first and last frame in the
 * inputs that hold them.
 */
#ifndef PR_REPORT_EXTRACT_H
#define PR_REPORT_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/rc.h"
#include "report/store.h"

/* Flows one extraction may select. */
#define EXTRACT_MAX_FLOWS 100000

struct extract_sel {
    const int64_t *run_ids, *flow_ids; /* --flow RUN:ID pairs (borrowed), n_flows of them */
    size_t n_flows;
    const char *subject;               /* or: every flow of this address ... */
    long long from_us, to_us;          /* ... in [from, to); to = 0: no bound */
    const int64_t *runs;               /* only these runs (borrowed); n_runs = 0: all */
    size_t n_runs;
};

struct extract_stats {
    uint64_t flows, packets, inputs_read;
};

/* Writes the selected flows' packets to out_path (created 0600).  Returns 0;
 * RC_USAGE when nothing is selected or a --flow does not exist; RC_IO when an
 * input is missing, changed or unreadable (e names the file and why) or the
 * output cannot be written; RC_CONFIG for mixed link types; RC_SQL. */
int extract_write(struct store *st, const struct extract_sel *sel, const char *out_path,
                  struct extract_stats *stats, struct err *e);

#endif
