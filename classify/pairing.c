/* pairing.c - request/response pairing of SMS legs (see pairing.h). */
#include "classify/pairing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/str.h"
#include "classify/slots.h"

/* Appends add to the space-separated list in dst (bounded). */
static void append(char *dst, size_t n, const char *add)
{
    size_t used = strlen(dst);
    if (add[0])
        snprintf(dst + used, n - used, "%s%s", used ? " " : "", add);
}

/* Folds a response into every request waiting with its key. */
static void response(struct pairing *p, const struct sms_leg *leg, pairing_out_fn out,
                     void *user, struct pairing_stats *st)
{
    bool any = false;
    size_t waiting = 0; /* requests still unanswered */
    for (size_t i = 0; i < p->cap; i++) {
        struct pairing_slot *s = &p->pend[i];
        if (!s->used)
            continue;
        if (s->k1 != leg->key1 || s->k2 != leg->key2) {
            waiting++;
            continue;
        }
        snprintf(s->ev.status, sizeof s->ev.status, "%s", leg->ev.status);
        if (!s->ev.imsi[0])
            str_copy(s->ev.imsi, sizeof s->ev.imsi, leg->ev.imsi);
        append(s->ev.detail, sizeof s->ev.detail, leg->ev.detail);
        out(&s->ev, user);
        s->used = false;
        any = true;
    }
    if (!any)
        st->orphans++;
    /* Every request answered: the table goes (a flow between messages holds
     * none).  A new one starts at slot 0, as the next request would in this
     * table with every slot free, so the choices stay those of a full-size
     * table. */
    if (!waiting)
        pairing_free(p);
}

void pairing_leg(struct pairing *p, const struct sms_leg *leg, uint64_t flow_id,
                 pairing_out_fn out, void *user, struct pairing_stats *st)
{
    if (leg->kind == SMS_LEG_FINAL) {
        struct sms_event ev = leg->ev;
        ev.flow_id = flow_id;
        out(&ev, user);
        return;
    }
    if (leg->kind == SMS_LEG_RESPONSE) {
        response(p, leg, out, user, st);
        return;
    }
    struct pairing_slot *slot = NULL, *oldest = NULL;
    for (size_t i = 0; i < p->cap; i++) {
        struct pairing_slot *s = &p->pend[i];
        if (!s->used) {
            slot = s;
            break;
        }
        if (!oldest || s->order < oldest->order)
            oldest = s;
    }
    if (!slot) {
        size_t was = p->cap;
        struct pairing_slot *n = slots_grow(p->pend, &p->cap, sizeof *n, 2, PAIRING_MAX_PENDING);
        if (n) {
            p->pend = n;
            slot = &n[was];
        } else if (!oldest) { /* nothing to evict: the request goes out without its answer */
            struct sms_event ev = leg->ev;
            ev.flow_id = flow_id;
            p->nomem++;
            out(&ev, user);
            return;
        }
    }
    if (!slot) {
        st->evicted++;
        out(&oldest->ev, user);
        slot = oldest;
    }
    slot->used = true;
    slot->k1 = leg->key1;
    slot->k2 = leg->key2;
    slot->order = p->order++;
    slot->ev = leg->ev;
    slot->ev.flow_id = flow_id;
}

void pairing_flush(struct pairing *p, pairing_out_fn out, void *user)
{
    for (;;) {
        struct pairing_slot *oldest = NULL;
        for (size_t i = 0; i < p->cap; i++)
            if (p->pend[i].used && (!oldest || p->pend[i].order < oldest->order))
                oldest = &p->pend[i];
        if (!oldest)
            return;
        out(&oldest->ev, user);
        oldest->used = false;
    }
}

void pairing_free(struct pairing *p)
{
    free(p->pend);
    p->pend = NULL;
    p->cap = 0;
}
