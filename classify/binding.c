/* binding.c - the subscriber bindings table (see binding.h).
 *
 * Bindings live in one array kept in id order (new ones are appended; an
 * eviction shifts the tail).  Lookups scan it: the table holds the PDN
 * sessions of one run, and every scan is bounded by its capacity.  The
 * scan of every control-plane event (binding_table_apply) reads a parallel
 * byte per binding (open, and from which source) and opens a binding only
 * when that byte says it can match: one cache line per 64 bindings instead
 * of one or more per binding (issue 12).
 *
 * Addresses: each binding's IPv4 address and IPv6 /64 are also kept as keys
 * beside the records, and an index per family (open addressing, linear
 * probing) chains the positions of the bindings on each key in id order.
 * The address lookups (the scope filter asks one per flow end) follow the
 * chain and open only those records; the conflict check scans the keys.
 * Before, both scanned every binding's record: under --scope on a capture
 * with a few thousand sessions that cost more than the rest of the packet
 * thread (issue 12's bench).  An address is learnt once (insert or the
 * first merge that brings it) and never changes, so a chain only grows,
 * in place; an eviction shifts the positions and rebuilds the index, which
 * costs no more than the shift itself.  The index has twice as many slots
 * as the table has bindings; its hash is not keyed, so addresses chosen to
 * collide cost at worst a probe of every slot: the full scan it replaces.
 */
#include "classify/binding.h"

#include <stdlib.h>
#include <string.h>

#include "capture/str.h"

/* Records the address lookups opened (binding_table_records_read); kept
 * apart so that the lookups, which take the table as const, can count. */
struct binding_reads {
    uint64_t n;
};

/* One address key and the first and last position of its chain. */
struct addr_slot {
    uint64_t key;
    int32_t head, tail; /* head -1: the slot is free */
};

/* key -> the positions of the bindings on it, ascending (next[]). */
struct addr_index {
    struct addr_slot *slot;
    int32_t *next; /* per position: the next one on the same key, -1 none */
    unsigned shift; /* 64 - log2(slots) */
    size_t mask;
};

struct binding_table {
    struct sub_binding *v;
    uint8_t *live; /* per binding: 1 + src while open, 0 once closed */
    /* per binding, kept with v: its IPv4 address as addr_key4 (0 = none),
     * and its IPv6 /64 (k6, valid where h6 is 1) */
    uint64_t *k4, *k6;
    uint8_t *h6;
    struct addr_index ix4, ix6;
    struct binding_reads *reads;
    size_t n, cap;
    uint32_t next_id;
    binding_final_fn fn;
    void *user;
    struct binding_stats st;
};

/* ---- the address index ---- */

static void aix_clear(struct addr_index *x)
{
    for (size_t i = 0; i <= x->mask; i++)
        x->slot[i].head = -1;
}

static bool aix_init(struct addr_index *x, size_t cap)
{
    size_t slots = 2;
    unsigned bits = 1;
    while (slots < 2 * cap) {
        slots <<= 1;
        bits++;
    }
    x->slot = malloc(slots * sizeof *x->slot);
    x->next = malloc(cap * sizeof *x->next);
    x->shift = 64 - bits;
    x->mask = slots - 1;
    if (x->slot)
        aix_clear(x);
    return x->slot && x->next;
}

static void aix_free(struct addr_index *x)
{
    free(x->slot);
    free(x->next);
}

/* The slot holding key, or the free slot where it would go. */
static struct addr_slot *aix_slot(const struct addr_index *x, uint64_t key)
{
    size_t i = (size_t)((key * 0x9e3779b97f4a7c15u) >> x->shift);
    while (x->slot[i].head >= 0 && x->slot[i].key != key)
        i = (i + 1) & x->mask;
    return &x->slot[i];
}

/* Chains position pos (not on it yet) on key, keeping the chain ascending.
 * The table holds at most cap positions and the index twice as many slots,
 * so a free slot is always found. */
static void aix_add(struct addr_index *x, uint64_t key, int32_t pos)
{
    struct addr_slot *s = aix_slot(x, key);
    if (s->head < 0) {
        s->key = key;
        s->head = s->tail = pos;
        x->next[pos] = -1;
    } else if (pos > s->tail) { /* the usual case: a new binding */
        x->next[s->tail] = pos;
        x->next[pos] = -1;
        s->tail = pos;
    } else { /* an older binding that has just learnt this address */
        int32_t prev = -1, cur = s->head;
        while (cur >= 0 && cur < pos) {
            prev = cur;
            cur = x->next[cur];
        }
        x->next[pos] = cur;
        if (prev < 0)
            s->head = pos;
        else
            x->next[prev] = pos;
    }
}

struct binding_table *binding_table_new(size_t capacity, binding_final_fn fn, void *user)
{
    struct binding_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->cap = capacity ? capacity : BINDING_TABLE_MAX;
    t->v = calloc(t->cap, sizeof *t->v);
    t->live = calloc(t->cap, 1);
    t->k4 = calloc(t->cap, sizeof *t->k4);
    t->k6 = calloc(t->cap, sizeof *t->k6);
    t->h6 = calloc(t->cap, 1);
    t->reads = calloc(1, sizeof *t->reads);
    bool ix4 = aix_init(&t->ix4, t->cap), ix6 = aix_init(&t->ix6, t->cap);
    if (!t->v || !t->live || !t->k4 || !t->k6 || !t->h6 || !t->reads || !ix4 || !ix6) {
        binding_table_free(t);
        return NULL;
    }
    t->next_id = 1;
    t->fn = fn;
    t->user = user;
    return t;
}

void binding_table_free(struct binding_table *t)
{
    if (!t)
        return;
    free(t->v);
    free(t->live);
    free(t->k4);
    free(t->k6);
    free(t->h6);
    free(t->reads);
    aix_free(&t->ix4);
    aix_free(&t->ix6);
    free(t);
}

/* An IPv4 address as a key that no address-less binding has (0). */
static uint64_t addr_key4(const uint8_t a[4])
{
    return (uint64_t)1 << 32 | (uint64_t)a[0] << 24 | (uint64_t)a[1] << 16 |
           (uint64_t)a[2] << 8 | a[3];
}

static uint64_t addr_key6(const uint8_t prefix[BIND_V6_PREFIX])
{
    uint64_t k = 0;
    for (unsigned i = 0; i < BIND_V6_PREFIX; i++)
        k = k << 8 | prefix[i];
    return k;
}

/* Keys and chains binding i's addresses that its keys do not have yet (an
 * address, once learnt, never changes). */
static void keys_learn(struct binding_table *t, size_t i)
{
    const struct sub_binding *b = &t->v[i];
    if (b->has_v4 && !t->k4[i]) {
        t->k4[i] = addr_key4(b->v4);
        aix_add(&t->ix4, t->k4[i], (int32_t)i);
    }
    if (b->has_v6 && !t->h6[i]) {
        t->h6[i] = 1;
        t->k6[i] = addr_key6(b->v6_prefix);
        aix_add(&t->ix6, t->k6[i], (int32_t)i);
    }
}

/* The index again from the keys, after the positions moved. */
static void index_rebuild(struct binding_table *t)
{
    aix_clear(&t->ix4);
    aix_clear(&t->ix6);
    for (size_t i = 0; i < t->n; i++) {
        if (t->k4[i])
            aix_add(&t->ix4, t->k4[i], (int32_t)i);
        if (t->h6[i])
            aix_add(&t->ix6, t->k6[i], (int32_t)i);
    }
}

/* same_addr(&t->v[i], &t->v[j]) from the keys alone. */
static bool same_addr_at(const struct binding_table *t, size_t i, size_t j)
{
    return (t->k4[i] && t->k4[i] == t->k4[j]) || (t->h6[i] && t->h6[j] && t->k6[i] == t->k6[j]);
}

const char *binding_src_name(enum bind_src s)
{
    switch (s) {
    case BIND_SRC_GTPV2: return "gtpv2";
    case BIND_SRC_GTPV1: return "gtpv1";
    case BIND_SRC_GTPV0: return "gtpv0";
    case BIND_SRC_RADIUS: return "radius";
    case BIND_SRC_DIAMETER: return "diameter";
    case BIND_SRC_SIP: return "sip";
    }
    return "?";
}

void binding_add_teid(struct sub_binding *b, uint32_t teid, bool control, const uint8_t *addr,
                      size_t alen, uint64_t *dropped)
{
    if (alen != 4 && alen != 16)
        alen = 0;
    for (unsigned i = 0; i < b->nteid; i++) {
        struct bind_teid *x = &b->teid[i];
        if (x->teid == teid && x->control == control &&
            (x->alen == 0 || alen == 0 || (x->alen == alen && !memcmp(x->addr, addr, alen)))) {
            if (x->alen == 0 && alen) {
                memcpy(x->addr, addr, alen);
                x->alen = (uint8_t)alen;
            }
            return;
        }
    }
    if (b->nteid >= BIND_MAX_TEIDS) {
        if (dropped)
            (*dropped)++;
        return;
    }
    struct bind_teid *x = &b->teid[b->nteid++];
    memset(x, 0, sizeof *x);
    x->teid = teid;
    x->control = control;
    x->alen = (uint8_t)alen;
    if (alen)
        memcpy(x->addr, addr, alen);
}

void binding_add_teid_owner(struct sub_binding *b, uint32_t teid, bool control,
                            enum bind_owner owner)
{
    for (unsigned i = 0; i < b->nteid; i++)
        if (b->teid[i].teid == teid && b->teid[i].control == control && b->teid[i].owner == owner)
            return;
    if (b->nteid >= BIND_MAX_TEIDS)
        return;
    struct bind_teid *x = &b->teid[b->nteid++];
    memset(x, 0, sizeof *x);
    x->teid = teid;
    x->control = control;
    x->owner = (uint8_t)owner;
}

void binding_resolve(struct sub_binding *b, const uint8_t *src, const uint8_t *dst, size_t alen)
{
    if (alen != 4 && alen != 16)
        return;
    for (unsigned i = 0; i < b->nteid; i++) {
        struct bind_teid *x = &b->teid[i];
        if (x->owner == BIND_OWNER_ADDR)
            continue;
        memcpy(x->addr, x->owner == BIND_OWNER_SENDER ? src : dst, alen);
        x->alen = (uint8_t)alen;
        x->owner = BIND_OWNER_ADDR;
    }
}

static bool valid_at(const struct sub_binding *b, uint64_t ts)
{
    return b->start_us <= ts && (b->open || ts <= b->end_us);
}

static bool overlaps(const struct sub_binding *a, const struct sub_binding *b)
{
    uint64_t a_end = a->open ? UINT64_MAX : a->end_us, b_end = b->open ? UINT64_MAX : b->end_us;
    return a->start_us <= b_end && b->start_us <= a_end;
}

static bool has_ident(const struct sub_binding *b)
{
    return b->imsi[0] || b->msisdn[0] || b->imei[0] || b->user[0] || b->station[0];
}

/* -1 different subscribers, 1 the same, 0 nothing comparable. */
static int same_sub(const struct sub_binding *a, const struct sub_binding *b)
{
    if (a->imsi[0] && b->imsi[0])
        return strcmp(a->imsi, b->imsi) ? -1 : 1;
    if (a->msisdn[0] && b->msisdn[0])
        return strcmp(a->msisdn, b->msisdn) ? -1 : 1;
    if (a->imei[0] && b->imei[0])
        return strcmp(a->imei, b->imei) ? -1 : 1;
    if (a->user[0] && b->user[0])
        return strcmp(a->user, b->user) ? -1 : 1;
    if (a->station[0] && b->station[0])
        return strcmp(a->station, b->station) ? -1 : 1;
    return 0;
}

static bool same_addr(const struct sub_binding *a, const struct sub_binding *b)
{
    if (a->has_v4 && b->has_v4 && !memcmp(a->v4, b->v4, 4))
        return true;
    return a->has_v6 && b->has_v6 && !memcmp(a->v6_prefix, b->v6_prefix, BIND_V6_PREFIX);
}

static bool share_teid(const struct sub_binding *a, const struct sub_binding *b)
{
    for (unsigned i = 0; i < a->nteid; i++)
        for (unsigned j = 0; j < b->nteid; j++) {
            const struct bind_teid *x = &a->teid[i], *y = &b->teid[j];
            if (x->teid == y->teid && x->control == y->control && x->alen && x->alen == y->alen &&
                !memcmp(x->addr, y->addr, x->alen))
                return true;
        }
    return false;
}

static bool matches(const struct sub_binding *b, const struct sub_binding *e)
{
    if (!b->open || b->src != e->src)
        return false;
    if (e->session_key && b->session_key)
        return e->session_key == b->session_key;
    if (share_teid(b, e))
        return same_sub(b, e) >= 0;
    return same_sub(b, e) > 0 && (same_addr(b, e) || (!e->has_v4 && !e->has_v6));
}

static void fill(char *dst, size_t n, const char *src)
{
    if (!dst[0] && src[0])
        str_copy(dst, n, src);
}

static void merge(struct binding_table *t, struct sub_binding *b, const struct sub_binding *e)
{
    fill(b->imsi, sizeof b->imsi, e->imsi);
    fill(b->msisdn, sizeof b->msisdn, e->msisdn);
    fill(b->imei, sizeof b->imei, e->imei);
    fill(b->user, sizeof b->user, e->user);
    fill(b->station, sizeof b->station, e->station);
    fill(b->apn, sizeof b->apn, e->apn);
    if (e->cell[0])
        str_copy(b->cell, sizeof b->cell, e->cell); /* the latest location */
    if (!b->has_v4 && e->has_v4) {
        memcpy(b->v4, e->v4, 4);
        b->has_v4 = true;
    }
    if (!b->has_v6 && e->has_v6) {
        memcpy(b->v6_prefix, e->v6_prefix, BIND_V6_PREFIX);
        b->has_v6 = true;
    }
    keys_learn(t, (size_t)(b - t->v));
    for (unsigned i = 0; i < e->nteid; i++)
        binding_add_teid(b, e->teid[i].teid, e->teid[i].control, e->teid[i].addr,
                         e->teid[i].alen, &t->st.dropped_teids);
    if (!b->session_key)
        b->session_key = e->session_key;
    if (e->evidence_us > b->evidence_us)
        b->evidence_us = e->evidence_us;
}

/* Flags b and every other binding that overlaps it on an address with a
 * different subscriber. */
static void check_conflicts(struct binding_table *t, struct sub_binding *b)
{
    if (!b->has_v4 && !b->has_v6)
        return;
    const size_t at = (size_t)(b - t->v);
    for (size_t i = 0; i < t->n; i++) {
        if (i == at || !same_addr_at(t, i, at))
            continue;
        struct sub_binding *o = &t->v[i];
        if (!overlaps(o, b) || same_sub(o, b) >= 0)
            continue;
        if (!o->conflict || !b->conflict)
            t->st.conflicts++;
        o->conflict = b->conflict = true;
    }
}

static void evict_one(struct binding_table *t)
{
    size_t victim = 0;
    bool closed_found = false;
    for (size_t i = 0; i < t->n; i++) {
        const struct sub_binding *b = &t->v[i], *v = &t->v[victim];
        if (!b->open && (!closed_found || b->end_us < v->end_us)) {
            victim = i;
            closed_found = true;
        } else if (!closed_found && b->evidence_us < v->evidence_us) {
            victim = i;
        }
    }
    if (t->fn)
        t->fn(&t->v[victim], t->user);
    memmove(&t->v[victim], &t->v[victim + 1], (t->n - victim - 1) * sizeof *t->v);
    memmove(&t->live[victim], &t->live[victim + 1], t->n - victim - 1);
    memmove(&t->k4[victim], &t->k4[victim + 1], (t->n - victim - 1) * sizeof *t->k4);
    memmove(&t->k6[victim], &t->k6[victim + 1], (t->n - victim - 1) * sizeof *t->k6);
    memmove(&t->h6[victim], &t->h6[victim + 1], t->n - victim - 1);
    t->n--;
    index_rebuild(t);
    t->st.evicted++;
}

static struct sub_binding *insert(struct binding_table *t, const struct sub_binding *e,
                                  bool mid)
{
    if (t->n >= t->cap)
        evict_one(t);
    t->live[t->n] = (uint8_t)(1 + e->src);
    struct sub_binding *b = &t->v[t->n++];
    *b = *e;
    b->id = t->next_id++;
    b->start_us = e->evidence_us;
    b->end_us = 0;
    b->open = true;
    b->mid_session = mid;
    b->conflict = false;
    t->k4[t->n - 1] = t->k6[t->n - 1] = 0; /* the slot's previous binding's */
    t->h6[t->n - 1] = 0;
    keys_learn(t, t->n - 1);
    t->st.opened++;
    return b;
}

uint32_t binding_table_apply(struct binding_table *t, enum bind_op op,
                             const struct sub_binding *e)
{
    uint32_t touched = 0;
    const uint8_t want = (uint8_t)(1 + e->src);
    for (size_t i = 0; i < t->n; i++) {
        if (t->live[i] != want) /* closed, or another source: matches() is false */
            continue;
        struct sub_binding *b = &t->v[i];
        if (!matches(b, e))
            continue;
        bool had_v4 = b->has_v4, had_v6 = b->has_v6;
        merge(t, b, e);
        if (op == BIND_CLOSE) {
            b->open = false;
            t->live[i] = 0;
            b->end_us = e->evidence_us;
            t->st.closed++;
        } else if (op == BIND_OPEN) {
            t->st.merged++;
        } else {
            t->st.updated++;
        }
        /* An address family learnt now (its first address, or an IPv6 /64
         * beside an IPv4 address, even on the message that closes it) is
         * checked against the other holders of that address. */
        if ((b->has_v4 && !had_v4) || (b->has_v6 && !had_v6))
            check_conflicts(t, b);
        if (!touched)
            touched = b->id;
        if (op != BIND_CLOSE)
            return touched; /* extend one session only */
    }
    if (touched)
        return touched;
    if (op == BIND_CLOSE) {
        t->st.close_unmatched++;
        return 0;
    }
    if (!has_ident(e) && !e->has_v4 && !e->has_v6)
        return 0;
    if (op == BIND_UPDATE && !has_ident(e))
        return 0;
    struct sub_binding *b = insert(t, e, op == BIND_UPDATE);
    check_conflicts(t, b);
    return b->id;
}

typedef bool (*pick_fn)(const struct sub_binding *b, const void *key);

static size_t scan(const struct binding_table *t, pick_fn pick, const void *key, uint64_t ts,
                   const struct sub_binding **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < t->n; i++) {
        const struct sub_binding *b = &t->v[i];
        if (!valid_at(b, ts) || !pick(b, key))
            continue;
        if (n < max)
            out[n] = b;
        n++;
    }
    return n;
}

struct teid_key {
    uint32_t teid;
    const uint8_t *addr;
    size_t alen;
};

static bool pick_teid(const struct sub_binding *b, const void *key)
{
    const struct teid_key *k = key;
    for (unsigned i = 0; i < b->nteid; i++) {
        const struct bind_teid *x = &b->teid[i];
        if (x->teid != k->teid || x->control)
            continue;
        if (!k->alen || !x->alen || (x->alen == k->alen && !memcmp(x->addr, k->addr, k->alen)))
            return true;
    }
    return false;
}

static bool pick_imsi(const struct sub_binding *b, const void *key)
{
    return b->imsi[0] && !strcmp(b->imsi, key);
}

static bool pick_msisdn(const struct sub_binding *b, const void *key)
{
    return b->msisdn[0] && !strcmp(b->msisdn, key);
}

size_t binding_table_by_teid(const struct binding_table *t, uint32_t teid, const uint8_t *addr,
                             size_t alen, uint64_t ts, const struct sub_binding **out,
                             size_t max)
{
    struct teid_key k = {teid, addr, (alen == 4 || alen == 16) ? alen : 0};
    return scan(t, pick_teid, &k, ts, out, max);
}

/* scan() for an address: its chain gives the candidates, in id order, and
 * only those records are opened (counted in t->reads). */
static size_t scan_addr(const struct binding_table *t, const struct addr_index *x, uint64_t want,
                        uint64_t ts, const struct sub_binding **out, size_t max)
{
    size_t n = 0;
    const struct addr_slot *s = aix_slot(x, want);
    for (int32_t i = s->head; i >= 0; i = x->next[i]) {
        const struct sub_binding *b = &t->v[i];
        t->reads->n++;
        if (!valid_at(b, ts))
            continue;
        if (n < max)
            out[n] = b;
        n++;
    }
    return n;
}

size_t binding_table_by_ipv4(const struct binding_table *t, const uint8_t v4[4], uint64_t ts,
                             const struct sub_binding **out, size_t max)
{
    return scan_addr(t, &t->ix4, addr_key4(v4), ts, out, max);
}

size_t binding_table_by_ipv6(const struct binding_table *t, const uint8_t v6[16], uint64_t ts,
                             const struct sub_binding **out, size_t max)
{
    return scan_addr(t, &t->ix6, addr_key6(v6), ts, out, max);
}

uint64_t binding_table_records_read(const struct binding_table *t) { return t->reads->n; }

size_t binding_table_by_imsi(const struct binding_table *t, const char *imsi, uint64_t ts,
                             const struct sub_binding **out, size_t max)
{
    return scan(t, pick_imsi, imsi, ts, out, max);
}

size_t binding_table_by_msisdn(const struct binding_table *t, const char *msisdn, uint64_t ts,
                               const struct sub_binding **out, size_t max)
{
    return scan(t, pick_msisdn, msisdn, ts, out, max);
}

const struct sub_binding *binding_table_at(const struct binding_table *t, size_t i)
{
    return i < t->n ? &t->v[i] : NULL;
}

size_t binding_table_count(const struct binding_table *t) { return t->n; }

void binding_table_flush(struct binding_table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        struct sub_binding *b = &t->v[i];
        if (b->open)
            b->end_us = b->evidence_us;
        if (t->fn)
            t->fn(b, t->user);
    }
    t->n = 0;
    aix_clear(&t->ix4);
    aix_clear(&t->ix6);
}

const struct binding_stats *binding_table_stats(const struct binding_table *t) { return &t->st; }
