/* sccp_conn.c - SCCP connection table (see sccp_conn.h). */
#include "classify/sccp_conn.h"

#include <stdlib.h>
#include <string.h>

#include "classify/slots.h"

/* The entries are grown 8, 16, ... SCCP_CONN_SLOTS as connections open (a
 * full table was 18 KiB of every association with SCCP CO traffic).  An
 * entry keeps its index when the table grows, so the slot chosen and the
 * one evicted are those of a full-size table; entry pointers are valid
 * until the next sccp_conn_open. */
#define SCCP_CONN_FIRST 8

struct sccp_conn {
    struct sccp_conn_stats st;
    uint64_t next_key;
    struct sccp_conn_entry *e;
    size_t cap;
};

struct sccp_conn *sccp_conn_new(void)
{
    struct sccp_conn *t = calloc(1, sizeof *t);
    if (t && !(t->e = slots_grow(NULL, &t->cap, sizeof *t->e, SCCP_CONN_FIRST, SCCP_CONN_SLOTS))) {
        free(t);
        return NULL;
    }
    return t;
}

void sccp_conn_free(struct sccp_conn *t)
{
    if (t)
        free(t->e);
    free(t);
}

uint64_t sccp_conn_pcs(int64_t opc, int64_t dpc)
{
    uint64_t a = (uint64_t)opc & 0xffffffffu, b = (uint64_t)dpc & 0xffffffffu;
    return a < b ? a << 32 | b : b << 32 | a;
}

static bool expired(const struct sccp_conn_entry *x, uint64_t ts_us)
{
    return ts_us > x->last_us && ts_us - x->last_us > SCCP_CONN_IDLE_US;
}

struct sccp_conn_entry *sccp_conn_open(struct sccp_conn *t, uint64_t pcs, uint32_t src_ref,
                                       int ssn, uint64_t ts_us)
{
    struct sccp_conn_entry *slot = NULL, *oldest = NULL;
    for (size_t i = 0; i < t->cap; i++) {
        struct sccp_conn_entry *x = &t->e[i];
        if (x->used && (expired(x, ts_us) || (x->pcs == pcs && x->ref_a == src_ref))) {
            t->st.expired += expired(x, ts_us);
            x->used = false; /* gone, or its reference reused by a new CR */
        }
        if (!x->used) {
            if (!slot)
                slot = x;
        } else if (!oldest || x->last_us < oldest->last_us) {
            oldest = x;
        }
    }
    if (!slot) {
        size_t was = t->cap;
        struct sccp_conn_entry *n =
            slots_grow(t->e, &t->cap, sizeof *n, SCCP_CONN_FIRST, SCCP_CONN_SLOTS);
        if (n) { /* else: evict, as a full table does */
            t->e = n;
            slot = &n[was];
        }
    }
    if (!slot) {
        t->st.evicted++;
        slot = oldest;
    }
    memset(slot, 0, sizeof *slot);
    slot->used = true;
    slot->pcs = pcs;
    slot->ref_a = src_ref;
    slot->ssn = ssn;
    slot->id_type = -1;
    slot->last_us = ts_us;
    slot->key = ++t->next_key;
    t->st.opened++;
    return slot;
}

struct sccp_conn_entry *sccp_conn_find(struct sccp_conn *t, uint64_t pcs, uint32_t ref,
                                       uint64_t ts_us)
{
    for (size_t i = 0; i < t->cap; i++) {
        struct sccp_conn_entry *x = &t->e[i];
        if (!x->used || x->pcs != pcs || (x->ref_a != ref && !(x->has_b && x->ref_b == ref)))
            continue;
        if (expired(x, ts_us)) {
            t->st.expired++;
            x->used = false;
            break;
        }
        x->last_us = ts_us;
        return x;
    }
    t->st.unknown_ref++;
    return NULL;
}

void sccp_conn_close(struct sccp_conn *t, struct sccp_conn_entry *e)
{
    if (e && e->used) {
        e->used = false;
        t->st.closed++;
    }
}

void sccp_conn_get_stats(const struct sccp_conn *t, struct sccp_conn_stats *out)
{
    *out = t->st;
}
