/* carrier.h - carrier SMS signalling detection and decoding (SMPP, SIP
 * MESSAGE with 3GPP SMS, GSM MAP over SIGTRAN, Diameter SGd).
 *
 * The classifier hands every packet of a flow to carrier_packet() until the
 * flow is recognised as carrier signalling or excluded.  Recognised flows
 * produce struct sms_event records through the event callbacks; message text
 * is skipped, never copied.
 */
#ifndef PR_CLASSIFY_CARRIER_H
#define PR_CLASSIFY_CARRIER_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/decode.h"
#include "capture/flow.h"
#include "capture/rc.h"
#include "classify/events.h"

enum carrier_state {
    CARRIER_UNDECIDED = 0, /* keep feeding packets */
    CARRIER_MATCHED,       /* the flow carries carrier SMS signalling */
    CARRIER_EXCLUDED,      /* not carrier signalling: stop calling */
};

struct carrier_verdict {
    enum carrier_state state;
    char protocol[8];      /* "smpp", "sip", "map", "sgd" when matched */
    uint8_t confidence;    /* 0..100 */
};

struct carrier;

/* Returns an owned decoder set or NULL with e set; ev is copied. */
struct carrier *carrier_new(const struct classify_events *ev, struct err *e);
void carrier_free(struct carrier *c);

/* Feeds one packet (v borrowed) of flow f.  *state is the flow's decoder state
 * (NULL at first; owned by this module).  Updates *out. */
void carrier_packet(struct carrier *c, void **state, const struct flow *f, enum dir d,
                    const struct pkt_view *v, struct carrier_verdict *out);

/* Flushes pending events of the flow (requests without responses) and frees
 * *state.  NULL state is a no-op. */
void carrier_flow_end(struct carrier *c, void **state, const struct flow *f);

#endif
