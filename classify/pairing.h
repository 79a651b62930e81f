/* pairing.h - request/response pairing of SMS transfer legs, per flow.
 *
 * A decoder reports a request (SMS_LEG_REQUEST) with a correlation key
 * (SMPP sequence number, SIP Call-ID/CSeq, TCAP transaction id, Diameter
 * hop-by-hop id) and later its response (SMS_LEG_RESPONSE, same key): the
 * request becomes one struct sms_event with the response's status folded
 * in.  The table is bounded: when it is full, the oldest request is
 * written without a status (counted).  A request unanswered for
 * PAIRING_TIMEOUT_US of packet time is written without a status too
 * (counted; pairing_expire), so a one-way tap or a lost answer delays its
 * record by at most that much however long the link lives.  A response
 * without its request is counted and dropped.  FINAL legs pass straight
 * through.
 */
#ifndef PR_CLASSIFY_PAIRING_H
#define PR_CLASSIFY_PAIRING_H

#include <stdbool.h>
#include <stdint.h>

#include "classify/events.h"
#include "classify/slots.h"
#include "classify/sms_addr.h"

/* Requests per flow waiting for their response.  An SMSC's SMPP bind or
 * MAP association carries many subscribers' messages, each request in
 * flight until its answer: an ESME's window, or the TCAP dialogues open on
 * a busy M3UA link, is often well above 32, and a request pushed out is
 * written without its status.  The table grows on demand. */
#define PAIRING_MAX_PENDING 1024

/* Longest wait for an answer: the longest a protocol whose legs are paired
 * lets a request wait.  MAP's MO/MT-ForwardSM run under its medium-long
 * operation timer, 1 to 10 minutes (3GPP TS 29.002 clause 17.1.2, from the
 * spec's timer list); SM-RL's TR1M is at most 45 s, 405 s over NB-S1
 * (3GPP TS 24.011 clause 10); a SIP MESSAGE transaction ends at Timer F,
 * 64*T1 = 32 s (RFC 3261 clause 17.1.2.2); SMPP and Diameter leave theirs
 * to configuration.  So 10 minutes. */
#define PAIRING_TIMEOUT_US (600ull * 1000000u)

struct pairing_stats {
    uint64_t evicted, orphans, timeouts;
};

/* What the scans read of a waiting request, kept apart from its event (about
 * 500 bytes), so a busy flow's table is scanned in 32-byte steps. */
struct pairing_key {
    uint64_t k1, k2, order;
    bool used;
};

/* One flow's table (zero it to start; pairing_free releases it).  The
 * slots are grown 2, 4, ... PAIRING_MAX_PENDING as requests wait; a slot
 * keeps its index when the table grows, so slot choice, eviction and the
 * order of folded responses are those of a full-size table. */
struct pairing {
    uint64_t order;
    struct pairing_key *keys; /* keys[i] and pend[i] are one request */
    struct slot_budget *budget; /* shared by the flows of a classifier; NULL: none */
    struct sms_event *pend;   /* the waiting requests' events */
    size_t cap;
    uint64_t nomem;  /* requests written at once (no memory to wait) */
    uint64_t oldest_us; /* at or before every waiting request's time (answers
                           are not tracked: pairing_expire finds the true one) */
    bool dated;         /* oldest_us is set: some request may wait */
};

/* Frees the slots (the table is empty again). */
void pairing_free(struct pairing *p);

/* Receives a finished event (borrowed for the call). */
typedef void (*pairing_out_fn)(struct sms_event *ev, void *user);

/* Takes one leg (borrowed) of the flow flow_id; events that are complete
 * go to out. */
void pairing_leg(struct pairing *p, const struct sms_leg *leg, uint64_t flow_id,
                 pairing_out_fn out, void *user, struct pairing_stats *st);

/* Writes, without a status and in the order they came, the requests
 * waiting for more than PAIRING_TIMEOUT_US at packet time now_us (counted
 * in st->timeouts).  One compare while none is due. */
void pairing_expire(struct pairing *p, uint64_t now_us, pairing_out_fn out, void *user,
                    struct pairing_stats *st);

/* Writes every waiting request, oldest first, without a status. */
void pairing_flush(struct pairing *p, pairing_out_fn out, void *user);

#endif
