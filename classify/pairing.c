/* pairing.c - request/response pairing of SMS legs (see pairing.h). */
#include "classify/pairing.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/str.h"

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
        struct pairing_key *k = &p->keys[i];
        if (!k->used)
            continue;
        if (k->k1 != leg->key1 || k->k2 != leg->key2) {
            waiting++;
            continue;
        }
        struct sms_event *ev = &p->pend[i];
        snprintf(ev->status, sizeof ev->status, "%s", leg->ev.status);
        if (!ev->imsi[0])
            str_copy(ev->imsi, sizeof ev->imsi, leg->ev.imsi);
        append(ev->detail, sizeof ev->detail, leg->ev.detail);
        out(ev, user);
        k->used = false;
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

/* Doubles both arrays up to PAIRING_MAX_PENDING and within p's budget;
 * false when at a bound or memory is short. */
static bool grow(struct pairing *p)
{
    void *k = p->keys, *n = p->pend;
    bool ok = slots_grow_pair(&k, sizeof *p->keys, &n, sizeof *p->pend, &p->cap, 2,
                              PAIRING_MAX_PENDING, p->budget);
    p->keys = k;
    p->pend = n;
    return ok;
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
    ptrdiff_t slot = -1, oldest = -1;
    for (size_t i = 0; i < p->cap; i++) {
        const struct pairing_key *k = &p->keys[i];
        if (!k->used) {
            slot = (ptrdiff_t)i;
            break;
        }
        if (oldest < 0 || k->order < p->keys[oldest].order)
            oldest = (ptrdiff_t)i;
    }
    if (slot < 0) {
        size_t was = p->cap;
        if (grow(p)) {
            slot = (ptrdiff_t)was;
        } else if (oldest < 0) { /* nothing to evict: the request goes out without its answer */
            struct sms_event ev = leg->ev;
            ev.flow_id = flow_id;
            p->nomem++;
            out(&ev, user);
            return;
        }
    }
    if (slot < 0) {
        st->evicted++;
        out(&p->pend[oldest], user);
        slot = oldest;
    }
    struct pairing_key *k = &p->keys[slot];
    k->used = true;
    k->k1 = leg->key1;
    k->k2 = leg->key2;
    k->order = p->order++;
    p->pend[slot] = leg->ev;
    p->pend[slot].flow_id = flow_id;
    if (!p->dated || leg->ev.ts_us < p->oldest_us)
        p->oldest_us = leg->ev.ts_us;
    p->dated = true;
}

struct due_req {
    uint64_t order;
    size_t slot;
};

static int by_order(const void *x, const void *y)
{
    const struct due_req *a = x, *b = y;
    return (a->order > b->order) - (a->order < b->order);
}

/* Writes without a status, in the order they came, the waiting requests
 * due at now_us (every one when all), and frees their slots; oldest_us and
 * dated then describe the requests left.  Returns how many it wrote. */
static size_t write_due(struct pairing *p, bool all, uint64_t now_us, pairing_out_fn out,
                        void *user)
{
    struct due_req q[PAIRING_MAX_PENDING];
    size_t n = 0, waiting = 0;
    uint64_t oldest = 0;
    for (size_t i = 0; i < p->cap; i++) {
        if (!p->keys[i].used)
            continue;
        uint64_t ts = p->pend[i].ts_us;
        if (all || slots_due(ts, now_us, PAIRING_TIMEOUT_US)) {
            q[n++] = (struct due_req){p->keys[i].order, i};
        } else {
            if (!waiting || ts < oldest)
                oldest = ts;
            waiting++;
        }
    }
    qsort(q, n, sizeof q[0], by_order);
    for (size_t i = 0; i < n; i++) {
        out(&p->pend[q[i].slot], user);
        p->keys[q[i].slot].used = false;
    }
    p->oldest_us = oldest;
    p->dated = waiting > 0;
    return n;
}

void pairing_expire(struct pairing *p, uint64_t now_us, pairing_out_fn out, void *user,
                    struct pairing_stats *st)
{
    if (!p->dated || !slots_due(p->oldest_us, now_us, PAIRING_TIMEOUT_US))
        return;
    st->timeouts += write_due(p, false, now_us, out, user);
    if (!p->dated) /* none left: as when the last request is answered (response) */
        pairing_free(p);
}

void pairing_flush(struct pairing *p, pairing_out_fn out, void *user)
{
    write_due(p, true, 0, out, user);
}

void pairing_free(struct pairing *p)
{
    slots_budget_give(p->budget, p->cap);
    free(p->keys);
    free(p->pend);
    p->keys = NULL;
    p->pend = NULL;
    p->cap = 0;
    p->dated = false;
}
