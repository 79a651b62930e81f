/* binding.c - the subscriber bindings table (see binding.h).
 *
 * Every cost of the table is independent of how many bindings it holds, so a
 * tap with many PDN sessions costs per session what a small capture does
 * (issue 12: until now an insert into a full table shifted the whole record
 * array, about 1.5 MB at 4,096 sessions, and rebuilt the address index, so
 * every session past the capacity cost about 95 us).
 *
 * - Records sit in stable slots (slot i of cap); a slot freed by an
 *   eviction is the one the next insert takes.  A list threads the slots in
 *   id order, which is the order every answer is given in (lookups, the
 *   final callback at flush, binding_table_at).
 * - Eviction: a heap orders the bindings by what evict picks first: those
 *   the keep function does not keep (binding_table_set_keep), then closed
 *   ones by end time, then open ones by latest evidence, ties by id.  A
 *   merge or a close moves its binding in the heap (O(log n)).
 * - Matching (binding_table_apply): the open bindings' match keys (session
 *   key, each TEID with its owner address, each identity) are in one
 *   multimap of keyed hashes (SipHash under a per-table random key, so input
 *   cannot aim at one probe sequence) to slots.  Every binding that can
 *   match the evidence shares one of these keys with it (matches() needs an
 *   equal session key, a shared TEID with the same owner, or the same
 *   subscriber, which means an equal identity), so the candidates are
 *   collected from the map, put in id order, and tested with matches() as a
 *   scan of the table would have, in the same order.  A closed binding can
 *   no longer match and leaves the map.
 * - Addresses: each binding's IPv4 address and IPv6 /64 are kept as keys
 *   beside the records, and an index per family (open addressing, linear
 *   probing, backward-shift deletion) chains the slots of the bindings on
 *   each key in id order.  The address lookups (the scope filter asks one
 *   per flow end) and the conflict check follow the chains and open only
 *   those records.  An address is learnt once (insert or the first merge
 *   that brings it) and never changes; an eviction unlinks its binding.  The
 *   index doubles to stay at most half full of keys; its hash is not
 *   keyed, so addresses chosen to collide cost at worst a probe of every
 *   slot: the full scan it replaced.
 * - User-plane TEIDs, once binding_table_index_teids() asked for them (the
 *   scope filter's tunnel lookup; a run without a scope spends neither the
 *   memory nor the hashing): every binding's (open or closed, until it
 *   leaves the table) are in a second multimap, keyed by the TEID and its
 *   owner's address (or no address), each key once per binding.  The lookup by TEID
 *   (the scope filter asks one per tunnelled flow end) probes its two keys,
 *   with the node asked for and without, and opens only those records.
 */
#include "classify/binding.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "capture/siphash.h"
#include "capture/str.h"

/* Mutable state of lookups that take the table as const: records opened by
 * the address lookups (binding_table_records_read), and where the last
 * binding_table_at() stopped, so that reading the table in order is linear. */
struct binding_scratch {
    uint64_t reads;
    uint32_t stamp; /* the collect pass or TEID lookup marking t->mark now */
    size_t at_i;    /* SIZE_MAX: no position remembered */
    int32_t at_slot;
};

/* One address key and the first and last slot of its chain. */
struct addr_slot {
    uint64_t key;
    int32_t head, tail; /* head -1: the slot is free */
};

/* key -> the slots of the bindings on it, in id order (next[]). */
struct addr_index {
    struct addr_slot *slot;
    int32_t *next; /* per binding slot: the next one on the same key, -1 none */
    unsigned shift; /* 64 - log2(slots) */
    size_t mask;
    size_t used;    /* keys held (slots with a chain) */
};

/* Slots an address index starts with; it doubles when a new key would fill
 * more than half of it, so its size follows the addresses held, not the
 * capacity (at --max-bindings 4,194,304 the two indexes took 256 MB when
 * they were sized to the capacity and cleared at creation). */
#define AIX_MIN_SLOTS 64u

/* Match keys of open bindings -> their slots (a multimap: one key may be
 * held by several bindings, and a binding holds several keys). */
struct key_index {
    uint64_t *key;
    int32_t *slot; /* -1: free */
    size_t mask, used;
};

/* Upper bound of the match keys of one binding: its session key, its TEIDs
 * and its five identities. */
#define BIND_MATCH_KEYS (1 + BIND_MAX_TEIDS + 5)

struct bind_cand {
    uint32_t id;
    int32_t slot;
};

struct binding_table {
    struct sub_binding *v;
    /* per slot: its IPv4 address as addr_key4 (0 = none), and its IPv6 /64
     * (k6, valid where h6 is 1) */
    uint64_t *k4, *k6;
    uint8_t *h6;
    int32_t *prev, *next; /* per slot: the id-order list */
    int32_t first, last;  /* -1: empty */
    int32_t *heap, *hpos; /* eviction order; hpos: slot -> heap index */
    uint32_t *mark;       /* per slot: the collect pass that saw it last */
    uint8_t *keep;        /* per slot: what keep_fn said at its last change */
    binding_keep_fn keep_fn;
    void *keep_user;
    struct bind_cand *cand; /* cap entries: candidates of one apply or lookup */
    struct addr_index ix4, ix6;
    struct key_index kx;
    struct key_index ux;  /* user-plane TEID keys of every binding held -> slots */
    bool ux_on;           /* ux kept (binding_table_index_teids) */
    uint8_t hash_key[16];
    struct binding_scratch *scr;
    size_t n, cap;
    uint32_t next_id;
    binding_final_fn fn;
    void *user;
    struct binding_stats st;
};

/* Backward-shift deletion in a linear-probing table: after slot i was
 * emptied, the entry in slot j (home slot h) may stay where it is only when
 * h lies cyclically in (i, j]; otherwise it moves back to i. */
static bool probe_stays(size_t i, size_t j, size_t h)
{
    return i <= j ? (i < h && h <= j) : (i < h || h <= j);
}

/* ---- the address index ---- */

static void aix_clear(struct addr_index *x)
{
    for (size_t i = 0; i <= x->mask; i++)
        x->slot[i].head = -1;
    x->used = 0;
}

/* A cleared slot array of `slots` (a power of two) for x; false without
 * memory (x unchanged). */
static bool aix_slots(struct addr_index *x, size_t slots)
{
    struct addr_slot *v = malloc(slots * sizeof *v);
    if (!v)
        return false;
    unsigned bits = 0;
    while (((size_t)1 << bits) < slots)
        bits++;
    x->slot = v;
    x->shift = 64 - bits;
    x->mask = slots - 1;
    aix_clear(x);
    return true;
}

static bool aix_init(struct addr_index *x, size_t cap)
{
    x->next = malloc(cap * sizeof *x->next);
    return x->next && aix_slots(x, AIX_MIN_SLOTS);
}

static void aix_free(struct addr_index *x)
{
    free(x->slot);
    free(x->next);
}

static size_t aix_home(const struct addr_index *x, uint64_t key)
{
    return (size_t)((key * 0x9e3779b97f4a7c15u) >> x->shift);
}

/* The slot holding key, or the free slot where it would go. */
static struct addr_slot *aix_slot(const struct addr_index *x, uint64_t key)
{
    size_t i = aix_home(x, key);
    while (x->slot[i].head >= 0 && x->slot[i].key != key)
        i = (i + 1) & x->mask;
    return &x->slot[i];
}

/* Doubles x's slots, moving every key (its chain stays as it is: next[]
 * is per binding slot).  False without memory (x unchanged). */
static bool aix_grow(struct addr_index *x)
{
    struct addr_index big = *x;
    if (!aix_slots(&big, 2 * (x->mask + 1)))
        return false;
    for (size_t i = 0; i <= x->mask; i++)
        if (x->slot[i].head >= 0) {
            *aix_slot(&big, x->slot[i].key) = x->slot[i];
            big.used++;
        }
    free(x->slot);
    *x = big;
    return true;
}

/* Chains binding slot pos (not on it yet) on key, keeping the chain in id
 * order.  False when a new key finds no room (the index could not grow and
 * would be left without a free slot): the binding is then not on key. */
static bool aix_add(struct addr_index *x, const struct sub_binding *v, uint64_t key, int32_t pos)
{
    struct addr_slot *s = aix_slot(x, key);
    if (s->head < 0 && 2 * (x->used + 1) > x->mask + 1) {
        if (aix_grow(x))
            s = aix_slot(x, key);
        else if (x->used + 2 > x->mask + 1)
            return false; /* a probe must always reach a free slot */
    }
    if (s->head < 0) {
        x->used++;
        s->key = key;
        s->head = s->tail = pos;
        x->next[pos] = -1;
    } else if (v[pos].id > v[s->tail].id) { /* the usual case: a new binding */
        x->next[s->tail] = pos;
        x->next[pos] = -1;
        s->tail = pos;
    } else { /* an older binding that has just learnt this address */
        int32_t prev = -1, cur = s->head;
        while (cur >= 0 && v[cur].id < v[pos].id) {
            prev = cur;
            cur = x->next[cur];
        }
        x->next[pos] = cur;
        if (prev < 0)
            s->head = pos;
        else
            x->next[prev] = pos;
    }
    return true;
}

/* Unchains binding slot pos from key; frees the key's slot when its chain
 * is empty (backward-shift deletion: every key stays reachable from its
 * home slot without tombstones). */
static void aix_remove(struct addr_index *x, uint64_t key, int32_t pos)
{
    struct addr_slot *s = aix_slot(x, key);
    if (s->head < 0)
        return;
    int32_t prev = -1, cur = s->head;
    while (cur >= 0 && cur != pos) {
        prev = cur;
        cur = x->next[cur];
    }
    if (cur < 0)
        return;
    if (prev < 0)
        s->head = x->next[pos];
    else
        x->next[prev] = x->next[pos];
    if (s->tail == pos)
        s->tail = prev;
    if (s->head >= 0)
        return;
    x->used--;
    size_t i = (size_t)(s - x->slot), j = i;
    for (;;) {
        j = (j + 1) & x->mask;
        if (x->slot[j].head < 0)
            break;
        if (probe_stays(i, j, aix_home(x, x->slot[j].key)))
            continue;
        x->slot[i] = x->slot[j];
        i = j;
    }
    x->slot[i].head = -1;
}

/* ---- the match-key index ---- */

static bool kx_alloc(struct key_index *x, size_t slots)
{
    x->key = malloc(slots * sizeof *x->key);
    x->slot = malloc(slots * sizeof *x->slot);
    if (!x->key || !x->slot) {
        free(x->key);
        free(x->slot);
        x->key = NULL;
        x->slot = NULL;
        return false;
    }
    for (size_t i = 0; i < slots; i++)
        x->slot[i] = -1;
    x->mask = slots - 1;
    x->used = 0;
    return true;
}

static void kx_free(struct key_index *x)
{
    free(x->key);
    free(x->slot);
}

static void kx_clear(struct key_index *x)
{
    for (size_t i = 0; i <= x->mask; i++)
        x->slot[i] = -1;
    x->used = 0;
}

static void kx_put(struct key_index *x, uint64_t key, int32_t slot)
{
    size_t i = key & x->mask;
    while (x->slot[i] >= 0)
        i = (i + 1) & x->mask;
    x->key[i] = key;
    x->slot[i] = slot;
    x->used++;
}

/* Adds (key, slot), doubling the map first when it would be over half full.
 * False when it cannot grow (the entry is then not added: the binding
 * cannot be found by that key, which makes it miss merges, never merge
 * wrongly). */
static bool kx_add(struct key_index *x, uint64_t key, int32_t slot)
{
    if (2 * (x->used + 1) > x->mask + 1) {
        struct key_index big;
        if (!kx_alloc(&big, 2 * (x->mask + 1)))
            return false;
        for (size_t i = 0; i <= x->mask; i++)
            if (x->slot[i] >= 0)
                kx_put(&big, x->key[i], x->slot[i]);
        kx_free(x);
        *x = big;
    }
    kx_put(x, key, slot);
    return true;
}

/* Removes one (key, slot) entry, if there. */
static void kx_remove(struct key_index *x, uint64_t key, int32_t slot)
{
    size_t i = key & x->mask;
    while (x->slot[i] >= 0 && (x->key[i] != key || x->slot[i] != slot))
        i = (i + 1) & x->mask;
    if (x->slot[i] < 0)
        return;
    size_t j = i;
    for (;;) {
        j = (j + 1) & x->mask;
        if (x->slot[j] < 0)
            break;
        if (probe_stays(i, j, x->key[j] & x->mask))
            continue;
        x->key[i] = x->key[j];
        x->slot[i] = x->slot[j];
        i = j;
    }
    x->slot[i] = -1;
    x->used--;
}

/* The keyed hash of one match key: a tag byte, then the value. */
static uint64_t match_hash(const struct binding_table *t, uint8_t tag, const void *val, size_t n)
{
    uint8_t buf[1 + TGPP_USER_MAX + 24];
    if (n > sizeof buf - 1)
        n = sizeof buf - 1;
    buf[0] = tag;
    memcpy(buf + 1, val, n);
    return siphash13(t->hash_key, buf, 1 + n);
}

/* The match keys of b (see the file comment); returns how many. */
static size_t match_keys(const struct binding_table *t, const struct sub_binding *b,
                         uint64_t out[BIND_MATCH_KEYS])
{
    size_t n = 0;
    if (b->session_key)
        out[n++] = match_hash(t, 'K', &b->session_key, sizeof b->session_key);
    for (unsigned i = 0; i < b->nteid; i++) {
        const struct bind_teid *x = &b->teid[i];
        if (!x->alen) /* share_teid() never matches a TEID without its owner */
            continue;
        uint8_t v[6 + 16];
        memcpy(v, &x->teid, 4);
        v[4] = x->control;
        v[5] = x->alen;
        memcpy(v + 6, x->addr, x->alen);
        out[n++] = match_hash(t, 'T', v, 6u + x->alen);
    }
    const char *ids[5] = {b->imsi, b->msisdn, b->imei, b->user, b->station};
    for (unsigned i = 0; i < 5; i++)
        if (ids[i][0])
            out[n++] = match_hash(t, (uint8_t)('0' + i), ids[i], strlen(ids[i]));
    return n;
}

static void keys_index(struct binding_table *t, int32_t slot)
{
    uint64_t k[BIND_MATCH_KEYS];
    size_t n = match_keys(t, &t->v[slot], k);
    for (size_t i = 0; i < n; i++)
        kx_add(&t->kx, k[i], slot);
}

static void keys_unindex(struct binding_table *t, int32_t slot)
{
    uint64_t k[BIND_MATCH_KEYS];
    size_t n = match_keys(t, &t->v[slot], k);
    for (size_t i = 0; i < n; i++)
        kx_remove(&t->kx, k[i], slot);
}

/* ---- the user-plane TEID index ---- */

/* The key of a user-plane TEID owned by the node at addr (alen 4 or 16),
 * or by a node not signalled (alen 0). */
static uint64_t teid_key(const struct binding_table *t, uint32_t teid, const uint8_t *addr,
                         size_t alen)
{
    uint8_t v[5 + 16];
    memcpy(v, &teid, 4);
    v[4] = (uint8_t)alen;
    if (alen)
        memcpy(v + 5, addr, alen);
    return match_hash(t, 'U', v, 5 + alen);
}

/* b's user-plane TEID keys, each once; returns how many. */
static size_t teid_keys(const struct binding_table *t, const struct sub_binding *b,
                        uint64_t out[BIND_MAX_TEIDS])
{
    size_t n = 0;
    for (unsigned i = 0; i < b->nteid; i++) {
        const struct bind_teid *x = &b->teid[i];
        if (x->control)
            continue;
        uint64_t k = teid_key(t, x->teid, x->addr, x->alen);
        size_t j = 0;
        while (j < n && out[j] != k)
            j++;
        if (j == n)
            out[n++] = k;
    }
    return n;
}

/* A key the map has no room for is counted: lookups by that TEID miss the
 * binding until its next merge indexes it again. */
static void teids_index(struct binding_table *t, int32_t slot)
{
    if (!t->ux_on)
        return;
    uint64_t k[BIND_MAX_TEIDS];
    size_t n = teid_keys(t, &t->v[slot], k);
    for (size_t i = 0; i < n; i++)
        if (!kx_add(&t->ux, k[i], slot))
            t->st.addr_nomem++;
}

static void teids_unindex(struct binding_table *t, int32_t slot)
{
    if (!t->ux_on)
        return;
    uint64_t k[BIND_MAX_TEIDS];
    size_t n = teid_keys(t, &t->v[slot], k);
    for (size_t i = 0; i < n; i++)
        kx_remove(&t->ux, k[i], slot);
}

/* A new mark for t->mark (shared by collect() and the TEID lookup). */
static uint32_t next_stamp(const struct binding_table *t)
{
    if (++t->scr->stamp == 0) { /* wrapped: forget every old mark */
        memset(t->mark, 0, t->cap * sizeof *t->mark);
        t->scr->stamp = 1;
    }
    return t->scr->stamp;
}

/* ---- the eviction heap ---- */

/* Whether the binding in slot a leaves before the one in slot b: one not
 * kept before one kept; closed before open; closed by end time, open by
 * latest evidence; then by id (the order a scan of the table met them). */
static bool leaves_before(const struct binding_table *t, int32_t sa, int32_t sb)
{
    if (t->keep[sa] != t->keep[sb])
        return !t->keep[sa];
    const struct sub_binding *a = &t->v[sa], *b = &t->v[sb];
    if (a->open != b->open)
        return !a->open;
    uint64_t ka = a->open ? a->evidence_us : a->end_us, kb = b->open ? b->evidence_us : b->end_us;
    if (ka != kb)
        return ka < kb;
    return a->id < b->id;
}

static void heap_set(struct binding_table *t, size_t i, int32_t slot)
{
    t->heap[i] = slot;
    t->hpos[slot] = (int32_t)i;
}

/* Moves slot s, placed at heap index i, down to where it belongs. */
static void heap_down(struct binding_table *t, size_t i, int32_t s)
{
    for (;;) {
        size_t l = 2 * i + 1, best = i;
        int32_t bs = s;
        if (l < t->n && leaves_before(t, t->heap[l], bs)) {
            best = l;
            bs = t->heap[l];
        }
        if (l + 1 < t->n && leaves_before(t, t->heap[l + 1], bs))
            best = l + 1;
        if (best == i)
            break;
        heap_set(t, i, t->heap[best]);
        i = best;
    }
    heap_set(t, i, s);
}

/* Restores the heap around index i after its binding's key changed. */
static void heap_fix(struct binding_table *t, size_t i)
{
    int32_t s = t->heap[i];
    while (i > 0) {
        size_t up = (i - 1) / 2;
        if (!leaves_before(t, s, t->heap[up]))
            break;
        heap_set(t, i, t->heap[up]);
        i = up;
    }
    heap_down(t, i, s);
}

/* Asks the keep function again about slot s (its identities may have
 * changed); the caller fixes the heap. */
static void keep_update(struct binding_table *t, int32_t s)
{
    t->keep[s] = t->keep_fn && t->keep_fn(&t->v[s], t->keep_user);
}

/* ---- keys, lists ---- */

static struct binding_table *table_alloc(size_t cap)
{
    struct binding_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->cap = cap;
    t->v = calloc(cap, sizeof *t->v);
    t->k4 = calloc(cap, sizeof *t->k4);
    t->k6 = calloc(cap, sizeof *t->k6);
    t->h6 = calloc(cap, 1);
    t->prev = calloc(cap, sizeof *t->prev);
    t->next = calloc(cap, sizeof *t->next);
    t->heap = calloc(cap, sizeof *t->heap);
    t->hpos = calloc(cap, sizeof *t->hpos);
    t->mark = calloc(cap, sizeof *t->mark);
    t->keep = calloc(cap, 1);
    t->cand = calloc(cap, sizeof *t->cand);
    t->scr = calloc(1, sizeof *t->scr);
    bool ix4 = aix_init(&t->ix4, cap), ix6 = aix_init(&t->ix6, cap);
    bool kx = kx_alloc(&t->kx, 64), ux = kx_alloc(&t->ux, 64);
    if (!t->v || !t->k4 || !t->k6 || !t->h6 || !t->prev || !t->next || !t->heap || !t->hpos ||
        !t->mark || !t->keep || !t->cand || !t->scr || !ix4 || !ix6 || !kx || !ux) {
        binding_table_free(t);
        return NULL;
    }
    return t;
}

struct binding_table *binding_table_new(size_t capacity, binding_final_fn fn, void *user)
{
    struct binding_table *t = table_alloc(capacity ? capacity : BINDING_TABLE_MAX);
    if (!t)
        return NULL;
    /* Probe placement only: no answer depends on the key. */
    if (getrandom(t->hash_key, sizeof t->hash_key, 0) != (ssize_t)sizeof t->hash_key)
        memcpy(t->hash_key, "trapline-bindkey", sizeof t->hash_key);
    t->first = t->last = -1;
    t->scr->at_i = SIZE_MAX;
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
    free(t->k4);
    free(t->k6);
    free(t->h6);
    free(t->prev);
    free(t->next);
    free(t->heap);
    free(t->hpos);
    free(t->mark);
    free(t->keep);
    free(t->cand);
    free(t->scr);
    aix_free(&t->ix4);
    aix_free(&t->ix6);
    kx_free(&t->kx);
    kx_free(&t->ux);
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
 * address, once learnt, never changes).  An address the index has no room
 * for is counted and left unkeyed, so the next evidence merged into the
 * binding tries again; until then lookups by that address miss it. */
static void keys_learn(struct binding_table *t, int32_t i)
{
    const struct sub_binding *b = &t->v[i];
    if (b->has_v4 && !t->k4[i]) {
        uint64_t k = addr_key4(b->v4);
        if (aix_add(&t->ix4, t->v, k, i))
            t->k4[i] = k;
        else
            t->st.addr_nomem++;
    }
    if (b->has_v6 && !t->h6[i]) {
        uint64_t k = addr_key6(b->v6_prefix);
        if (aix_add(&t->ix6, t->v, k, i)) {
            t->h6[i] = 1;
            t->k6[i] = k;
        } else {
            t->st.addr_nomem++;
        }
    }
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
    case BIND_SRC_S1AP: return "s1ap";
    case BIND_SRC_NGAP: return "ngap";
    case BIND_SRC_NDP: return "ndp";
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
    if (!b->open || (b->src != e->src && e->src != BIND_SRC_NDP))
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
    keys_learn(t, (int32_t)(b - t->v));
    for (unsigned i = 0; i < e->nteid; i++)
        binding_add_teid(b, e->teid[i].teid, e->teid[i].control, e->teid[i].addr,
                         e->teid[i].alen, &t->st.dropped_teids);
    if (!b->session_key)
        b->session_key = e->session_key;
    if (e->evidence_us > b->evidence_us)
        b->evidence_us = e->evidence_us;
}

/* Flags b and o when they overlap in time with different subscribers. */
static void conflict_with(struct binding_table *t, struct sub_binding *b, struct sub_binding *o)
{
    if (o == b || !overlaps(o, b) || same_sub(o, b) >= 0)
        return;
    if (!o->conflict || !b->conflict)
        t->st.conflicts++;
    o->conflict = b->conflict = true;
}

/* Flags the binding in slot at and every other binding that overlaps it on
 * an address with a different subscriber: the two address chains, merged
 * in id order (a binding on both is met once). */
static void check_conflicts(struct binding_table *t, int32_t at)
{
    struct sub_binding *b = &t->v[at];
    if (!b->has_v4 && !b->has_v6)
        return;
    int32_t i4 = t->k4[at] ? aix_slot(&t->ix4, t->k4[at])->head : -1;
    int32_t i6 = t->h6[at] ? aix_slot(&t->ix6, t->k6[at])->head : -1;
    while (i4 >= 0 || i6 >= 0) {
        int32_t s;
        if (i6 < 0 || (i4 >= 0 && t->v[i4].id <= t->v[i6].id)) {
            s = i4;
            if (i6 == i4)
                i6 = t->ix6.next[i6];
            i4 = t->ix4.next[i4];
        } else {
            s = i6;
            i6 = t->ix6.next[i6];
        }
        conflict_with(t, b, &t->v[s]);
    }
}

/* Takes slot s out of every structure but its record. */
static void unlink_slot(struct binding_table *t, int32_t s)
{
    if (t->v[s].open)
        keys_unindex(t, s);
    teids_unindex(t, s);
    if (t->k4[s])
        aix_remove(&t->ix4, t->k4[s], s);
    if (t->h6[s])
        aix_remove(&t->ix6, t->k6[s], s);
    if (t->prev[s] >= 0)
        t->next[t->prev[s]] = t->next[s];
    else
        t->first = t->next[s];
    if (t->next[s] >= 0)
        t->prev[t->next[s]] = t->prev[s];
    else
        t->last = t->prev[s];
    size_t i = (size_t)t->hpos[s];
    int32_t moved = t->heap[--t->n];
    if (i < t->n) {
        heap_set(t, i, moved);
        heap_fix(t, i);
    }
    t->scr->at_i = SIZE_MAX;
}

/* Hands the binding that leaves first to the final callback and drops it;
 * returns its slot. */
static int32_t evict_one(struct binding_table *t)
{
    int32_t s = t->heap[0];
    if (t->fn)
        t->fn(&t->v[s], t->user);
    unlink_slot(t, s);
    t->st.evicted++;
    return s;
}

static int32_t insert(struct binding_table *t, const struct sub_binding *e, bool mid)
{
    /* Slots 0..n-1 are taken until the table first fills; from then on it
     * stays full, and an insert takes the slot its eviction freed. */
    int32_t s = t->n < t->cap ? (int32_t)t->n : evict_one(t);
    struct sub_binding *b = &t->v[s];
    *b = *e;
    b->id = t->next_id++;
    b->start_us = e->evidence_us;
    b->end_us = 0;
    b->open = true;
    b->mid_session = mid;
    b->conflict = false;
    t->k4[s] = t->k6[s] = 0; /* the slot's previous binding's */
    t->h6[s] = 0;
    t->prev[s] = t->last;
    t->next[s] = -1;
    if (t->last >= 0)
        t->next[t->last] = s;
    else
        t->first = s;
    t->last = s;
    keep_update(t, s);
    heap_set(t, t->n++, s);
    heap_fix(t, t->n - 1);
    keys_learn(t, s);
    keys_index(t, s);
    teids_index(t, s);
    t->scr->at_i = SIZE_MAX;
    t->st.opened++;
    return s;
}

static int cand_cmp(const void *a, const void *b)
{
    uint32_t x = ((const struct bind_cand *)a)->id, y = ((const struct bind_cand *)b)->id;
    return x < y ? -1 : x > y;
}

/* The bindings multimap x holds under any of the nk keys, each once, in id
 * order, in t->cand; returns how many. */
static size_t gather(const struct binding_table *t, const struct key_index *x,
                     const uint64_t *keys, size_t nk)
{
    size_t nc = 0;
    uint32_t stamp = next_stamp(t);
    for (size_t j = 0; j < nk; j++)
        for (size_t i = keys[j] & x->mask; x->slot[i] >= 0; i = (i + 1) & x->mask) {
            int32_t s = x->slot[i];
            if (x->key[i] != keys[j] || t->mark[s] == stamp)
                continue;
            t->mark[s] = stamp;
            t->cand[nc].id = t->v[s].id;
            t->cand[nc].slot = s;
            nc++;
        }
    if (nc > 1)
        qsort(t->cand, nc, sizeof *t->cand, cand_cmp);
    return nc;
}

/* The open bindings that share a match key with e, in id order, in
 * t->cand; returns how many. */
static size_t collect(struct binding_table *t, const struct sub_binding *e)
{
    uint64_t k[BIND_MATCH_KEYS];
    return gather(t, &t->kx, k, match_keys(t, e, k));
}

void binding_table_set_keep(struct binding_table *t, binding_keep_fn fn, void *user)
{
    t->keep_fn = fn;
    t->keep_user = user;
    for (int32_t i = t->first; i >= 0; i = t->next[i])
        keep_update(t, i);
    for (size_t i = t->n / 2; i-- > 0;) /* every key may have moved: heapify */
        heap_down(t, i, t->heap[i]);
}

uint32_t binding_table_apply(struct binding_table *t, enum bind_op op,
                             const struct sub_binding *e)
{
    uint32_t touched = 0;
    size_t nc = collect(t, e);
    for (size_t c = 0; c < nc; c++) {
        int32_t s = t->cand[c].slot;
        struct sub_binding *b = &t->v[s];
        if (!matches(b, e))
            continue;
        bool had_v4 = b->has_v4, had_v6 = b->has_v6;
        keys_unindex(t, s);
        teids_unindex(t, s);
        merge(t, b, e);
        teids_index(t, s);
        if (op == BIND_CLOSE) {
            b->open = false;
            b->end_us = e->evidence_us;
            t->st.closed++;
        } else if (op == BIND_OPEN) {
            t->st.merged++;
        } else {
            t->st.updated++;
        }
        if (b->open)
            keys_index(t, s);
        keep_update(t, s);
        heap_fix(t, (size_t)t->hpos[s]);
        /* An address family learnt now (its first address, or an IPv6 /64
         * beside an IPv4 address, even on the message that closes it) is
         * checked against the other holders of that address. */
        if ((b->has_v4 && !had_v4) || (b->has_v6 && !had_v6))
            check_conflicts(t, s);
        if (!touched)
            touched = b->id;
        /* extend one session only; a close ends every match, and a
         * Router Advertisement's /64 is every session's on its tunnel (the
         * S1AP and the GTP-C view of one PDN connection) */
        if (op != BIND_CLOSE && e->src != BIND_SRC_NDP)
            return touched;
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
    int32_t s = insert(t, e, op == BIND_UPDATE);
    check_conflicts(t, s);
    return t->v[s].id;
}

typedef bool (*pick_fn)(const struct sub_binding *b, const void *key);

static size_t scan(const struct binding_table *t, pick_fn pick, const void *key, uint64_t ts,
                   const struct sub_binding **out, size_t max)
{
    size_t n = 0;
    for (int32_t i = t->first; i >= 0; i = t->next[i]) {
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

void binding_table_index_teids(struct binding_table *t)
{
    if (t->ux_on)
        return;
    t->ux_on = true;
    for (int32_t i = t->first; i >= 0; i = t->next[i])
        teids_index(t, i);
}

size_t binding_table_by_teid(const struct binding_table *t, uint32_t teid, const uint8_t *addr,
                             size_t alen, uint64_t ts, const struct sub_binding **out,
                             size_t max)
{
    struct teid_key k = {teid, addr, (alen == 4 || alen == 16) ? alen : 0};
    if (!k.alen || !t->ux_on) /* any owner: no key names them all */
        return scan(t, pick_teid, &k, ts, out, max);
    /* the bindings holding this TEID owned by that node, or by a node not
     * signalled: pick_teid's two matches */
    uint64_t keys[2] = {teid_key(t, teid, addr, k.alen), teid_key(t, teid, NULL, 0)};
    size_t nc = gather(t, &t->ux, keys, 2), n = 0;
    t->scr->reads += nc;
    for (size_t i = 0; i < nc; i++) {
        const struct sub_binding *b = &t->v[t->cand[i].slot];
        if (!valid_at(b, ts) || !pick_teid(b, &k))
            continue;
        if (n < max)
            out[n] = b;
        n++;
    }
    return n;
}

/* scan() for an address: its chain gives the candidates, in id order, and
 * only those records are opened (counted in t->scr). */
static size_t scan_addr(const struct binding_table *t, const struct addr_index *x, uint64_t want,
                        uint64_t ts, const struct sub_binding **out, size_t max)
{
    size_t n = 0;
    const struct addr_slot *s = aix_slot(x, want);
    for (int32_t i = s->head; i >= 0; i = x->next[i]) {
        const struct sub_binding *b = &t->v[i];
        t->scr->reads++;
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

uint64_t binding_table_records_read(const struct binding_table *t) { return t->scr->reads; }

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

/* The i-th binding in id order: a walk of the list, from where the last
 * call stopped when that is not past i (reading in order is linear). */
const struct sub_binding *binding_table_at(const struct binding_table *t, size_t i)
{
    if (i >= t->n)
        return NULL;
    struct binding_scratch *c = t->scr;
    size_t k = 0;
    int32_t s = t->first;
    if (c->at_i != SIZE_MAX && c->at_i <= i) {
        k = c->at_i;
        s = c->at_slot;
    }
    for (; k < i; k++)
        s = t->next[s];
    c->at_i = i;
    c->at_slot = s;
    return &t->v[s];
}

size_t binding_table_count(const struct binding_table *t) { return t->n; }

void binding_table_flush(struct binding_table *t)
{
    for (int32_t i = t->first; i >= 0; i = t->next[i]) {
        struct sub_binding *b = &t->v[i];
        if (b->open)
            b->end_us = b->evidence_us;
        if (t->fn)
            t->fn(b, t->user);
    }
    t->n = 0;
    t->first = t->last = -1;
    aix_clear(&t->ix4);
    aix_clear(&t->ix6);
    kx_clear(&t->kx);
    kx_clear(&t->ux);
    t->scr->at_i = SIZE_MAX;
}

const struct binding_stats *binding_table_stats(const struct binding_table *t) { return &t->st; }
