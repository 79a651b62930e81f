/* carrier.c - carrier SMS signalling (see carrier.h).
 *
 * Placeholder until the SMS decoders land: every flow is excluded at once, so
 * classification falls through to the signature rules and nDPI.
 */
#include "classify/carrier.h"

#include <stdlib.h>

struct carrier {
    struct classify_events ev;
};

struct carrier *carrier_new(const struct classify_events *ev, struct err *e)
{
    struct carrier *c = calloc(1, sizeof *c);
    if (!c) {
        err_set(e, RC_NOMEM, "out of memory");
        return NULL;
    }
    if (ev)
        c->ev = *ev;
    return c;
}

void carrier_free(struct carrier *c) { free(c); }

void carrier_packet(struct carrier *c, void **state, const struct flow *f, enum dir d,
                    const struct pkt_view *v, struct carrier_verdict *out)
{
    (void)c;
    (void)state;
    (void)f;
    (void)d;
    (void)v;
    out->state = CARRIER_EXCLUDED;
}

void carrier_flow_end(struct carrier *c, void **state, const struct flow *f)
{
    (void)c;
    (void)f;
    *state = NULL;
}
