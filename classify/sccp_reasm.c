/* sccp_reasm.c - SCCP segmentation reassembly (see sccp_reasm.h). */
#include "classify/sccp_reasm.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "classify/slots.h"

struct slot {
    bool used;
    uint32_t ref;
    int ssn, pc;
    char gt[SMS_ADDR_MAX];
    uint8_t expect;          /* "remaining" value the next segment must carry */
    uint64_t first_us;
    size_t len, cap;
    uint8_t *buf;            /* grown as segments come (up to SCCP_REASM_MAX_BYTES) */
};

/* The slots' buffers are made as segments arrive and freed (wiped) with
 * the message: a table with 16 inline 4 KiB buffers was 70 KiB of every
 * association that ever carried a segment. */
struct sccp_reasm {
    struct sccp_reasm_stats st;
    struct slot s[SCCP_REASM_SLOTS];
    uint8_t *out;            /* the last completed message (a slot's buffer, handed over) */
    size_t out_len;
    uint64_t prev_us;        /* the previous segment's time (slots_clock) */
};

struct sccp_reasm *sccp_reasm_new(void) { return calloc(1, sizeof(struct sccp_reasm)); }

/* Frees a buffer holding len bytes of signalling after wiping them (the
 * user data may carry an SMS text). */
static void wipe_free(uint8_t *p, size_t len)
{
    if (p)
        memset(p, 0, len);
    free(p);
}

static void drop(struct slot *s)
{
    wipe_free(s->buf, s->len);
    s->buf = NULL;
    s->cap = 0;
    s->used = false;
    s->len = 0;
}

static void drop_out(struct sccp_reasm *r)
{
    wipe_free(r->out, r->out_len);
    r->out = NULL;
    r->out_len = 0;
}

void sccp_reasm_free(struct sccp_reasm *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < SCCP_REASM_SLOTS; i++)
        drop(&r->s[i]);
    drop_out(r);
    free(r);
}

static bool same(const struct slot *s, const struct sccp_msg *m)
{
    return s->used && s->ref == m->seg.local_ref && s->ssn == m->calling.ssn &&
           s->pc == m->calling.pc && strcmp(s->gt, m->calling.gt) == 0;
}

static bool append(struct sccp_reasm *r, struct slot *s, const struct sccp_msg *m)
{
    struct span d = cur_rest(&m->data);
    if (d.n > SCCP_REASM_MAX_BYTES - s->len) {
        r->st.oversize++;
        drop(s);
        return false;
    }
    if (d.n > s->cap - s->len) {
        size_t cap = s->cap ? s->cap : 256;
        while (cap < s->len + d.n)
            cap *= 2;
        if (cap > SCCP_REASM_MAX_BYTES)
            cap = SCCP_REASM_MAX_BYTES;
        uint8_t *b = malloc(cap); /* not realloc: the old bytes are wiped before free */
        if (!b) {
            r->st.nomem++;
            drop(s);
            return false;
        }
        if (s->len)
            memcpy(b, s->buf, s->len);
        wipe_free(s->buf, s->len);
        s->buf = b;
        s->cap = cap;
    }
    if (d.n)
        memcpy(s->buf + s->len, d.p, d.n);
    s->len += d.n;
    return true;
}

enum parse_rc sccp_reasm_push(struct sccp_reasm *r, const struct sccp_msg *m, uint64_t ts_us,
                              struct cursor *whole)
{
    r->st.segments++;
    /* A segment is late for its own message by its own time; the others
     * are judged at the table's clock, so one segment with an outlying
     * time costs at most its own message. */
    uint64_t clock = slots_clock(&r->prev_us, ts_us);
    struct slot *s = NULL, *free_slot = NULL, *oldest = NULL;
    for (size_t i = 0; i < SCCP_REASM_SLOTS; i++) {
        struct slot *x = &r->s[i];
        uint64_t now = same(x, m) ? ts_us : clock;
        if (x->used && slots_due(x->first_us, now, SCCP_REASM_TIMEOUT_US)) {
            r->st.timed_out++;
            drop(x);
        }
        if (!x->used) {
            if (!free_slot)
                free_slot = x;
            continue;
        }
        if (same(x, m))
            s = x;
        if (!oldest || x->first_us < oldest->first_us)
            oldest = x;
    }
    if (m->seg.first) {
        if (s) /* a new message reuses the reference: the old one is lost */
            drop(s);
        else if (!free_slot) {
            r->st.evicted++;
            drop(oldest);
            free_slot = oldest;
        }
        if (!s)
            s = free_slot;
        s->used = true;
        s->ref = m->seg.local_ref;
        s->ssn = m->calling.ssn;
        s->pc = m->calling.pc;
        memcpy(s->gt, m->calling.gt, sizeof s->gt);
        s->first_us = ts_us;
        s->len = 0;
    } else if (!s || m->seg.remaining != s->expect) {
        r->st.out_of_order++;
        if (s)
            drop(s);
        return PARSE_INVALID;
    }
    if (!append(r, s, m))
        return PARSE_INVALID;
    if (m->seg.remaining) {
        s->expect = (uint8_t)(m->seg.remaining - 1);
        return PARSE_NEED_MORE;
    }
    drop_out(r);
    r->out = s->buf; /* handed over: the slot gets a new buffer for its next message */
    r->out_len = s->len;
    s->buf = NULL;
    s->cap = 0;
    drop(s);
    r->st.reassembled++;
    *whole = cur_init(r->out, r->out_len);
    return PARSE_OK;
}

void sccp_reasm_get_stats(const struct sccp_reasm *r, struct sccp_reasm_stats *out)
{
    *out = r->st;
}
