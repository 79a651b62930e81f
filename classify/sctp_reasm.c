/* sctp_reasm.c - SCTP fragment reassembly and duplicate TSNs (see sctp_reasm.h).
 *
 * A direction holds at most SCTP_REASM_MAX_FRAGS fragments, unsorted: each
 * new one looks for its neighbours by TSN (TSN - 1 back to a B fragment,
 * TSN + 1 on to an E fragment), so the wrap of the 32-bit TSN space needs no
 * ordering rule.  A run with a B or E flag in its middle, or whose fragments
 * disagree on stream or ordering, is not a message; its fragments wait for
 * the age bound or the eviction of the oldest.
 */
#include "classify/sctp_reasm.h"

#include <stdlib.h>
#include <string.h>

struct frag {
    uint64_t ts_us, seq; /* arrival: packet time, order */
    uint32_t tsn, ppid, len;
    uint16_t stream, ssn;
    uint8_t flags;
    uint8_t *bytes;
};

/* f grows on demand (classify/slots.h) from 4 to SCTP_REASM_MAX_FRAGS
 * slots: most messages come in two or three fragments. */
struct sctp_reasm {
    struct frag *f;
    size_t n, cap, bytes;
    uint64_t seq;
};

struct sctp_reasm *sctp_reasm_new(void)
{
    return calloc(1, sizeof(struct sctp_reasm));
}

bool sctp_reasm_empty(const struct sctp_reasm *r)
{
    return !r || r->n == 0;
}

/* Removes fragment i (order is not kept). */
static void take_out(struct sctp_reasm *r, size_t i, struct slot_budget *budget)
{
    slots_budget_give(budget, r->f[i].len);
    r->bytes -= r->f[i].len;
    free(r->f[i].bytes);
    r->f[i] = r->f[--r->n];
}

static void drop(struct sctp_reasm *r, size_t i, struct slot_budget *budget,
                 struct sctp_reasm_stats *st)
{
    take_out(r, i, budget);
    st->dropped++;
}

void sctp_reasm_free(struct sctp_reasm *r, struct slot_budget *budget, struct sctp_reasm_stats *st)
{
    if (!r)
        return;
    while (r->n)
        drop(r, r->n - 1, budget, st);
    free(r->f);
    free(r);
}

static ptrdiff_t find(const struct sctp_reasm *r, uint32_t tsn)
{
    for (size_t i = 0; i < r->n; i++)
        if (r->f[i].tsn == tsn)
            return (ptrdiff_t)i;
    return -1;
}

static size_t oldest(const struct sctp_reasm *r)
{
    size_t o = 0;
    for (size_t i = 1; i < r->n; i++)
        if (r->f[i].seq < r->f[o].seq)
            o = i;
    return o;
}

/* Whether fragment b can follow fragment a in one message. */
static bool follows(const struct frag *a, const struct frag *b)
{
    return b->tsn == a->tsn + 1 && !(a->flags & SCTP_FLAG_E) && !(b->flags & SCTP_FLAG_B) &&
           a->stream == b->stream && (a->flags & SCTP_FLAG_U) == (b->flags & SCTP_FLAG_U);
}

/* The first fragment of the complete message holding fragment i, or -1. */
static ptrdiff_t complete_run(const struct sctp_reasm *r, size_t i, size_t *count, size_t *len)
{
    size_t first = i, last = i, k = 1, total = r->f[i].len;
    while (!(r->f[first].flags & SCTP_FLAG_B)) {
        ptrdiff_t j = find(r, r->f[first].tsn - 1);
        if (j < 0 || !follows(&r->f[j], &r->f[first]) || ++k > r->n)
            return -1;
        first = (size_t)j;
        total += r->f[first].len;
    }
    while (!(r->f[last].flags & SCTP_FLAG_E)) {
        ptrdiff_t j = find(r, r->f[last].tsn + 1);
        if (j < 0 || !follows(&r->f[last], &r->f[j]) || ++k > r->n)
            return -1;
        last = (size_t)j;
        total += r->f[last].len;
    }
    *count = k;
    *len = total;
    return (ptrdiff_t)first;
}

/* Copies the k fragments from first on into one message, takes them out
 * and hands the message to fn. */
static void deliver(struct sctp_reasm *r, size_t first, size_t k, size_t len,
                    struct slot_budget *budget, struct sctp_reasm_stats *st, sctp_data_fn fn,
                    void *user)
{
    uint8_t *msg = malloc(len ? len : 1);
    if (!msg) {
        /* no memory for the message: its fragments go, counted */
        uint32_t tsn = r->f[first].tsn;
        for (size_t m = 0; m < k; m++)
            drop(r, (size_t)find(r, tsn + (uint32_t)m), budget, st);
        return;
    }
    struct sctp_data d = {.tsn = r->f[first].tsn,
                          .ppid = r->f[first].ppid,
                          .stream = r->f[first].stream,
                          .ssn = r->f[first].ssn,
                          .flags = (uint8_t)(r->f[first].flags | SCTP_FLAG_E),
                          .whole = true};
    size_t off = 0;
    for (size_t m = 0; m < k; m++) {
        size_t j = (size_t)find(r, d.tsn + (uint32_t)m);
        memcpy(msg + off, r->f[j].bytes, r->f[j].len);
        off += r->f[j].len;
        take_out(r, j, budget);
    }
    d.user = cur_init(msg, len);
    st->messages++;
    (void)fn(&d, user);
    free(msg);
}

void sctp_reasm_expire(struct sctp_reasm *r, uint64_t ts_us, struct slot_budget *budget,
                       struct sctp_reasm_stats *st)
{
    for (size_t i = r->n; i-- > 0;)
        if (slots_due(r->f[i].ts_us, ts_us, SCTP_REASM_MAX_AGE_US))
            drop(r, i, budget, st);
}

void sctp_reasm_push(struct sctp_reasm *r, const struct sctp_data *d, uint64_t ts_us,
                     struct slot_budget *budget, struct sctp_reasm_stats *st, sctp_data_fn fn,
                     void *user)
{
    sctp_reasm_expire(r, ts_us, budget, st);
    if (find(r, d->tsn) >= 0)
        return; /* a retransmission of a queued fragment */
    st->fragments++;
    size_t len = cur_left(&d->user);
    if (len == 0 || len > SCTP_REASM_MAX_BYTES) {
        st->dropped++; /* RFC 9260 3.3.1: a DATA chunk has user data */
        return;
    }
    while (r->n && (r->n == SCTP_REASM_MAX_FRAGS || r->bytes + len > SCTP_REASM_MAX_BYTES))
        drop(r, oldest(r), budget, st);
    if (r->n == r->cap) {
        struct frag *g = slots_grow(r->f, &r->cap, sizeof *r->f, 4, SCTP_REASM_MAX_FRAGS);
        if (!g) {
            st->dropped++; /* no memory */
            return;
        }
        r->f = g;
    }
    /* the budget every flow shares: this flow's queue does not give way to
     * the others' */
    if (!slots_budget_take(budget, len)) {
        st->dropped++;
        return;
    }
    uint8_t *copy = malloc(len);
    if (!copy) {
        slots_budget_give(budget, len);
        st->dropped++;
        return;
    }
    struct cursor u = d->user;
    (void)cur_copy(&u, copy, len);
    size_t i = r->n++;
    r->f[i] = (struct frag){.ts_us = ts_us,
                            .seq = r->seq++,
                            .tsn = d->tsn,
                            .ppid = d->ppid,
                            .len = (uint32_t)len,
                            .stream = d->stream,
                            .ssn = d->ssn,
                            .flags = d->flags,
                            .bytes = copy};
    r->bytes += len;
    size_t k, total;
    ptrdiff_t first = complete_run(r, i, &k, &total);
    if (first >= 0)
        deliver(r, (size_t)first, k, total, budget, st, fn, user);
}

static bool tsn_bit(const struct sctp_tsn_window *w, uint32_t tsn)
{
    uint32_t i = tsn % SCTP_TSN_WINDOW;
    return (w->seen[i / 64] >> (i % 64)) & 1u;
}

static void tsn_put(struct sctp_tsn_window *w, uint32_t tsn, bool on)
{
    uint32_t i = tsn % SCTP_TSN_WINDOW;
    uint64_t bit = (uint64_t)1 << (i % 64);
    w->seen[i / 64] = on ? w->seen[i / 64] | bit : w->seen[i / 64] & ~bit;
}

bool sctp_tsn_seen(struct sctp_tsn_window *w, uint32_t tsn)
{
    uint32_t ahead = tsn - w->high;
    if (!w->any || (ahead >= SCTP_TSN_WINDOW && ahead < 0x80000000u)) {
        /* the first, or so far ahead that nothing below it is remembered */
        memset(w->seen, 0, sizeof w->seen);
        w->any = true;
        w->high = tsn;
        tsn_put(w, tsn, true);
        return false;
    }
    if (ahead != 0 && ahead < 0x80000000u) { /* serial order (RFC 1982) */
        /* the slots of the TSNs passed over now stand for new ones */
        for (uint32_t k = 1; k <= ahead; k++)
            tsn_put(w, w->high + k, false);
        w->high = tsn;
        tsn_put(w, tsn, true);
        return false;
    }
    if (w->high - tsn >= SCTP_TSN_WINDOW)
        return false;
    bool was = tsn_bit(w, tsn);
    tsn_put(w, tsn, true);
    return was;
}
