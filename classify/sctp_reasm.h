/* sctp_reasm.h - SCTP user messages split over several DATA chunks, and
 * DATA chunks seen twice.
 *
 * Spec: RFC 9260 section 6.9.  A sender that fragments a user message puts
 * its pieces in DATA chunks of consecutive TSNs: the first with the B flag,
 * the last with the E flag, those between with neither; all carry the
 * message's stream, stream sequence number and PPID (section 3.3.1).  The
 * receiver queues the fragments and delivers the message once every TSN from
 * B to E is there, whatever order they came in.  Section 6.2 / 6.3: a DATA
 * chunk whose TSN was already received (a retransmission, or the same packet
 * captured twice) is a duplicate and is not delivered again.
 *
 * One sctp_reasm per direction of an association, made on its first
 * fragment and empty (and freeable) once every queued message is out.
 * Fragment bytes are copied (a DATA chunk is borrowed from its packet).
 * Bounds, each counted as dropped fragments when it gives way:
 *   SCTP_REASM_MAX_FRAGS fragments and SCTP_REASM_MAX_BYTES bytes per
 *   direction (oldest arrival first), the caller's byte budget shared by
 *   every flow, and SCTP_REASM_MAX_AGE_US of packet time (RFC 9260's
 *   RTO.Max default is 60 s: a fragment not completed after two of them
 *   will not be).
 */
#ifndef PR_CLASSIFY_SCTP_REASM_H
#define PR_CLASSIFY_SCTP_REASM_H

#include <stdbool.h>
#include <stdint.h>

#include "classify/sctp_chunks.h"
#include "classify/slots.h"

#define SCTP_REASM_MAX_FRAGS 64
#define SCTP_REASM_MAX_BYTES 65536u
#define SCTP_REASM_MAX_AGE_US (120u * 1000000u)

struct sctp_reasm_stats {
    uint64_t fragments; /* fragment chunks queued (not duplicates) */
    uint64_t messages;  /* user messages put together and delivered */
    uint64_t dropped;   /* fragments given up: a bound, no memory, or never completed */
};

struct sctp_reasm;

/* An empty reassembler, or NULL when memory is short. */
struct sctp_reasm *sctp_reasm_new(void);

/* Frees r (NULL is fine); fragments still queued are counted as dropped and
 * their bytes given back to budget. */
void sctp_reasm_free(struct sctp_reasm *r, struct slot_budget *budget, struct sctp_reasm_stats *st);

bool sctp_reasm_empty(const struct sctp_reasm *r);

/* Queues fragment d (d->whole false; its bytes are copied) seen at ts_us.
 * When it completes a user message, fn gets that message as one whole DATA
 * chunk (the first fragment's TSN, stream, SSN and PPID; bytes borrowed for
 * the call), then the message's fragments are gone.  budget (NULL: none)
 * bounds the bytes every reassembler of the caller holds together. */
void sctp_reasm_push(struct sctp_reasm *r, const struct sctp_data *d, uint64_t ts_us,
                     struct slot_budget *budget, struct sctp_reasm_stats *st, sctp_data_fn fn,
                     void *user);

/* Drops (counted) the fragments queued more than SCTP_REASM_MAX_AGE_US
 * before ts_us (sctp_reasm_push does it too). */
void sctp_reasm_expire(struct sctp_reasm *r, uint64_t ts_us, struct slot_budget *budget,
                       struct sctp_reasm_stats *st);

/* TSNs remembered per direction: the highest and the SCTP_TSN_WINDOW - 1
 * below it.  A retransmission comes after the chunks sent before its loss
 * was seen: on the timer (RFC 9260 6.3.3), or on the third SACK that misses
 * it (7.2.4), by which time an association that bundles tens of small
 * messages in a packet has sent far more than the 64 TSNs this window
 * first held. */
#define SCTP_TSN_WINDOW 256u

/* The TSNs one direction of an association received lately. */
struct sctp_tsn_window {
    uint32_t high;
    bool any;
    /* bit (tsn % SCTP_TSN_WINDOW): that TSN, within the window, was received */
    uint64_t seen[SCTP_TSN_WINDOW / 64];
};

/* Records tsn; true when it was already received (a duplicate).  A TSN
 * SCTP_TSN_WINDOW or more below the highest is not remembered and counts
 * as new: its original, if any, was not seen lately enough to tell. */
bool sctp_tsn_seen(struct sctp_tsn_window *w, uint32_t tsn);

#endif
