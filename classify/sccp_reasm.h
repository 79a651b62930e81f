/* sccp_reasm.h - reassembly of segmented SCCP connectionless messages
 * (XUDT / LUDT / SUA CLDT carrying a Segmentation parameter).
 *
 * Spec: ITU-T Q.714 section 4.1.1.2 (segmentation and reassembly: the
 * segments of one message share the calling party address and the
 * segmentation local reference; the first carries F = 1 and the number of
 * remaining segments, each later one that number minus one, down to 0;
 * the reassembly timer T(reassembly) is 10-20 s).
 *
 * The table is bounded (SCCP_REASM_SLOTS messages in progress, each at
 * most SCCP_REASM_MAX_BYTES); a segment that would need a slot when all
 * are busy evicts the oldest.  Time is the packet time: a segment is
 * judged late for its own message by its own time, the other messages
 * waiting at slots_clock (classify/slots.h), so one segment stamped far
 * ahead costs only its own message.  Held bytes are
 * the TCAP message (which may carry TP-UD): kept in memory only, never in
 * a record, and wiped when the slot is freed.
 */
#ifndef PR_CLASSIFY_SCCP_REASM_H
#define PR_CLASSIFY_SCCP_REASM_H

#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"
#include "classify/sccp.h"

/* Messages in reassembly at once (segmented MAP is rare: a handful of
 * long forwardSMs in flight per signalling link). */
#define SCCP_REASM_SLOTS 16
/* Largest reassembled message: Q.713 section 4.20 bounds LUDT user data
 * at 3952 octets; 4096 leaves room and is the XUDT reassembly cap too. */
#define SCCP_REASM_MAX_BYTES 4096
/* T(reassembly), Q.714 section 4.1.1.2.3: 10-20 s; the upper bound. */
#define SCCP_REASM_TIMEOUT_US (20u * 1000000u)

struct sccp_reasm_stats {
    uint64_t segments, reassembled, timed_out, evicted, oversize, out_of_order;
    uint64_t nomem; /* a message dropped: no memory for its buffer */
};

struct sccp_reasm;

/* Returns an owned, empty table or NULL (out of memory). */
struct sccp_reasm *sccp_reasm_new(void);
/* Frees the table (wiping held bytes); NULL is a no-op. */
void sccp_reasm_free(struct sccp_reasm *r);

/* Feeds one segment m (m->seg.present; m->data borrowed for the call) seen
 * at ts_us.  Returns PARSE_OK with *whole set to the complete message (a
 * cursor into the table, valid until the next call), PARSE_NEED_MORE while
 * segments are missing, PARSE_INVALID for a segment that fits no message
 * (counted out_of_order) or makes it too long (counted oversize; the slot
 * is dropped). */
enum parse_rc sccp_reasm_push(struct sccp_reasm *r, const struct sccp_msg *m, uint64_t ts_us,
                              struct cursor *whole);

void sccp_reasm_get_stats(const struct sccp_reasm *r, struct sccp_reasm_stats *out);

#endif
