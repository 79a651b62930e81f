/* cpbind.h - mobile-core control plane to subscriber bindings: the
 * registry rows (classify/proto.h) of the control-plane decoders.
 *
 * Each row decodes one message with its pure decoder (gtpv2c, gtpv1c,
 * radius, diameter_gx), pairs requests with their responses in per-flow
 * state, and emits binding evidence (struct sub_binding with its op)
 * through the emit interface's binding slot:
 *
 *   gtpc2  GTPv2-C Create Session Req + accepted Resp  -> OPEN  (IMSI, MSISDN, MEI,
 *          APN, ULI, PAA, control and bearer F-TEIDs)
 *          Modify Bearer Req + accepted Resp   -> UPDATE (new F-TEIDs, ULI)
 *          Delete Session / Delete Bearer (LBI) Req + accepted Resp -> CLOSE
 *   gtpc1  GTPv1-C Create / Update / Delete PDP Context (same), GTPv0 keyed by TID
 *   radius Access-Request + Access-Accept -> OPEN; Accounting Start / Interim /
 *          Stop -> OPEN / UPDATE / CLOSE (keyed by Acct-Session-Id)
 *   gx     Diameter Gx / Gy CCR + successful CCA, CC-Request-Type Initial /
 *          Update / Termination -> OPEN / UPDATE / CLOSE (keyed by Session-Id)
 *
 * Parsers see no addresses: a TEID whose owner is the peer of the flow is
 * marked BIND_OWNER_SENDER / RECEIVER and the driver resolves it from the
 * packet (binding_resolve), and fills flow_id.  Rows never claim a flow:
 * control-plane flows are not carrier SMS.
 *
 * Pairing: CPBIND_FLOW_PENDING requests per flow (the oldest is evicted),
 * matched by sequence number / identifier and opposite direction; a request
 * waits at most CPBIND_PAIR_TIMEOUT_US of packet time.
 *
 * SIP REGISTER (sip_reg.c) is decoded and paired by cpbind_sip() for callers
 * that see SIP; the registry's SIP row (sip_sms) owns SIP flows and does not
 * call it yet.
 */
#ifndef PR_CLASSIFY_CPBIND_H
#define PR_CLASSIFY_CPBIND_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "classify/binding.h"
#include "classify/proto.h"

/* Requests per flow awaiting an answer.  One MME-SGW (S11), PCEF-PCRF (Gx)
 * or NAS-server (RADIUS) flow carries every subscriber's transactions, so
 * as many are in flight as the link's rate times its round trip (10,000
 * attaches a second at 50 ms: 500), more in a mass re-attach; 16 lost all
 * but the last 16 of such a burst.  The table grows on demand, so a quiet
 * flow keeps 2; a slot holds a request's evidence (about 740 bytes), so the
 * bound also caps what unanswered requests can make one flow hold (740 KiB,
 * from at least 1,024 request packets). */
#define CPBIND_FLOW_PENDING 1024
#define CPBIND_PAIR_TIMEOUT_US 30000000ull  /* GTP N3 x T3 and RADIUS retries stay below */

/* Row counters (slots after the shared ones; names summed by the registry). */
enum {
    CPBIND_CNT_BINDINGS = 3, /* evidence emitted */
    CPBIND_CNT_ORPHANS,      /* a response without its request */
    CPBIND_CNT_EVICTED,      /* a pending request pushed out by a newer one */
    CPBIND_CNT_TIMEOUTS,     /* a pending request that waited too long */
    CPBIND_CNT_REJECTED,     /* a response refusing the request */
    CPBIND_CNT_NOMEM,        /* a request not kept: no memory for its slot */
};

extern const struct proto_ops gtpc2_proto;
extern const struct proto_ops gtpc1_proto;
extern const struct proto_ops radius_proto;
extern const struct proto_ops gx_proto;

/* Per-flow pairing state for callers outside the registry (SIP REGISTER). */
void *cpbind_state_new(uint8_t transport);
void cpbind_state_free(void *state);

/* One SIP message of direction d on a flow whose state is `state`: a
 * REGISTER is kept, its 2xx emits OPEN (expires 0: CLOSE).  Returns the
 * decoder's result. */
enum parse_rc cpbind_sip(void *state, enum dir d, struct cursor *c, uint64_t ts_us,
                         const struct proto_emit *emit);

#endif
