/* flow_table.c - bounded bidirectional flow table (see flow_table.h).
 *
 * Layout: a power-of-two array of hash chains; every flow is also on exactly
 * one timeout-class list (ordered by last activity, oldest first: a packet
 * moves its flow to the tail).  Creation order, which the final flush and
 * the interim walk follow, is the order of the flows' ids: the live slots
 * are gathered and sorted then, rather than every flow carrying two more
 * links for them (issue 12: memory per live flow).
 *
 * Memory: flows (with their ext area) come from slabs of FLOW_SLAB_FLOWS
 * slots, allocated as the live count grows and kept until the table is
 * freed; an ended flow's slot goes on a free list and the next new flow
 * takes it (LIFO, so it is likely still in cache).  No malloc or free per
 * flow, and never more slots than capacity (rounded up to a slab).  The
 * GTP-U state of the few tunnelled flows (struct flow_tunnel) comes from its
 * own slabs the same way.
 */
#include "capture/flow_table.h"

#include <assert.h>
#include <endian.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "capture/siphash.h"

/* A server endpoint learnt from a handshake (FLOW_LEARNT_SERVERS). */
struct learnt {
    uint8_t family; /* 0 = empty */
    uint16_t port;
    uint8_t addr[16];
};

struct flist {
    struct flow *head, *tail;
};

/* Buckets to start with.  The array doubles whenever the live flows
 * outnumber half of it, up to max_buckets: its size follows the live
 * flows, not --max-flows (issue 12: a capacity of a million cost 8 MiB of
 * buckets whatever the load), with chains as short as they were. */
#define FLOW_BUCKETS_MIN 1024u

/* Flow slots per slab (fewer when the capacity is smaller). */
#define FLOW_SLAB_FLOWS 1024u
/* Slot alignment and size granule: whole cache lines, so a flow's first line
 * holds its hash-chain fields and key (flow.h) and no flow shares a line with
 * the next.  Slabs come from malloc (allocation failure injection in the
 * tests wraps malloc, not aligned_alloc) with room to align the first slot. */
#define FLOW_SLOT_ALIGN 64u

/* Tunnel records per slab. */
#define FLOW_TUN_SLAB 1024u

/* A slab of tunnel records, chained for flow_table_free; a free record is
 * linked through its first bytes. */
struct tun_slab {
    struct tun_slab *next;
    uint32_t used;
    struct flow_tunnel t[FLOW_TUN_SLAB];
};

/* A slab of flow slots; slabs are chained for flow_table_free. */
struct slab {
    struct slab *next;
    uint32_t used, n; /* slots handed out / in the slab */
    uint64_t data[];  /* n slots of stride bytes */
};

struct flow_table {
    struct flow_table_config cfg;
    struct flow **buckets;
    uint32_t nbuckets;    /* power of two, FLOW_BUCKETS_MIN .. max_buckets */
    uint32_t max_buckets; /* about one per flow at capacity (power of two) */
    struct flist cls[TCLASS_COUNT];
    uint64_t next_id;
    uint64_t now_us;   /* table clock: packet time, monotone (see clock_advance) */
    bool clock_set;
    uint64_t jump_us;  /* a held forward jump awaiting confirmation, 0 = none */
    struct flow *held; /* the flow touched by the held packet (seen_us = its time) */
    struct flow_table_stats st;
    struct slab *slabs;      /* newest first; slabs->used < n while it has room */
    struct flow *free_slots; /* ended flows' slots, linked through hnext */
    struct tun_slab *tun_slabs;    /* newest first */
    struct flow_tunnel *tun_free;  /* freed records (linked through their bytes) */
    size_t stride;           /* bytes per slot: flow + ext, aligned */
    uint32_t slab_flows;     /* slots per slab */
    struct learnt learnt[FLOW_LEARNT_SERVERS];
};

/* Slot i of slab sl (the first slot is aligned up from the slab's data). */
static struct flow *slab_slot(const struct flow_table *t, struct slab *sl, uint32_t i)
{
    uintptr_t base = ((uintptr_t)sl->data + FLOW_SLOT_ALIGN - 1) &
                     ~(uintptr_t)(FLOW_SLOT_ALIGN - 1);
    return (struct flow *)(base + (size_t)i * t->stride);
}

/* A zeroed slot for a new flow, or NULL when a new slab cannot be had. */
static struct flow *slot_get(struct flow_table *t)
{
    struct flow *f = t->free_slots;
    if (f) {
        t->free_slots = f->hnext;
    } else {
        struct slab *sl = t->slabs;
        if (!sl || sl->used == sl->n) {
            sl = malloc(sizeof *sl + FLOW_SLOT_ALIGN + (size_t)t->slab_flows * t->stride);
            if (!sl)
                return NULL;
            sl->used = 0;
            sl->n = t->slab_flows;
            sl->next = t->slabs;
            t->slabs = sl;
        }
        f = slab_slot(t, sl, sl->used++);
    }
    memset(f, 0, t->stride);
    return f;
}

static void slot_put(struct flow_table *t, struct flow *f)
{
    f->id = 0; /* free: the flush and the walk skip it */
    f->hnext = t->free_slots;
    t->free_slots = f;
}

/* A zeroed tunnel record, or NULL when a new slab cannot be had. */
static struct flow_tunnel *tun_get(struct flow_table *t)
{
    struct flow_tunnel *x = t->tun_free;
    if (x) {
        memcpy(&t->tun_free, x, sizeof t->tun_free);
    } else {
        struct tun_slab *sl = t->tun_slabs;
        if (!sl || sl->used == FLOW_TUN_SLAB) {
            sl = malloc(sizeof *sl);
            if (!sl)
                return NULL;
            sl->used = 0;
            sl->next = t->tun_slabs;
            t->tun_slabs = sl;
        }
        x = &sl->t[sl->used++];
    }
    memset(x, 0, sizeof *x);
    return x;
}

static void tun_put(struct flow_table *t, struct flow_tunnel *x)
{
    memcpy(x, &t->tun_free, sizeof t->tun_free);
    t->tun_free = x;
}

/* Registered ports (IANA service name registry) above 1023 on which the
 * listener is a server: MSSQL, Oracle, PPTP, MQTT, SMPP (2775), M3UA (2905,
 * RFC 4666), MySQL, RDP, STUN/TURN (3478), Diameter (3868, RFC 6733), XMPP
 * (5222), Apple push (5223), Google FCM (5228), SIP (5060/5061, RFC 3261),
 * TURN-TLS (5349), PostgreSQL, Redis, HTTP alternates, MQTT-TLS.  Sorted. */
static const uint16_t service_ports[] = {
    1433, 1521, 1723, 1883, 2775, 2905, 3306, 3389, 3478, 3868, 5060, 5061,
    5222, 5223, 5228, 5349, 5432, 6379, 8000, 8080, 8443, 8883,
};

/* How strongly a port says "server": 3 well-known (< 1024, RFC 6335 section
 * 6), 2 a registered service port above, 1 other registered ports, 0 the
 * dynamic range (>= 49152, RFC 6335) or Linux's default ephemeral range
 * (>= 32768, net.ipv4.ip_local_port_range). */
static int port_score(uint16_t p)
{
    if (p < 1024)
        return 3;
    for (size_t i = 0; i < sizeof service_ports / sizeof service_ports[0]; i++)
        if (service_ports[i] == p)
            return 2;
    return p >= 32768 ? 0 : 1;
}

/* The learnt-server slot of (family, addr, port).  The hash key is fixed,
 * not seeded: which entry a collision replaces must not vary between runs
 * (output is deterministic, STYLE.md section 0.4). */
static struct learnt *learnt_slot(struct flow_table *t, uint8_t family, const uint8_t *addr,
                                  uint16_t port)
{
    static const uint8_t key[16];
    uint8_t b[19];
    b[0] = family;
    b[1] = (uint8_t)(port >> 8);
    b[2] = (uint8_t)port;
    memcpy(b + 3, addr, 16);
    return &t->learnt[siphash13(key, b, sizeof b) & (FLOW_LEARNT_SERVERS - 1)];
}

static void learn_server(struct flow_table *t, uint8_t family, const uint8_t *addr, uint16_t port)
{
    struct learnt *l = learnt_slot(t, family, addr, port);
    if (l->family && (l->family != family || l->port != port || memcmp(l->addr, addr, 16) != 0))
        t->st.learnt_replaced++;
    l->family = family;
    l->port = port;
    memcpy(l->addr, addr, 16);
}

static bool is_learnt(struct flow_table *t, uint8_t family, const uint8_t *addr, uint16_t port)
{
    const struct learnt *l = learnt_slot(t, family, addr, port);
    return l->family == family && l->port == port && memcmp(l->addr, addr, 16) == 0;
}

/* A TCP flow first seen without SYN or SYN-ACK: is its first packet's
 * sender the client?  Port evidence first (a service port against an
 * ephemeral one), then a server learnt from an earlier handshake, else the
 * sender of the first packet. */
static bool midflow_src_is_client(struct flow_table *t, const struct flow_key *k, bool src_is_a)
{
    const uint8_t *src = src_is_a ? k->a : k->b, *dst = src_is_a ? k->b : k->a;
    uint16_t sport = src_is_a ? k->port_a : k->port_b, dport = src_is_a ? k->port_b : k->port_a;
    int ss = port_score(sport), ds = port_score(dport);
    if (ss != ds) {
        t->st.role_by_port++;
        return ds > ss;
    }
    bool src_srv = is_learnt(t, k->family, src, sport), dst_srv = is_learnt(t, k->family, dst, dport);
    if (src_srv != dst_srv) {
        t->st.role_by_learnt++;
        return dst_srv;
    }
    t->st.role_by_first++;
    return true;
}

static const uint64_t default_timeout_s[TCLASS_COUNT] = {
    [TCLASS_TCP_OPENING] = FLOW_TIMEOUT_TCP_OPENING_S,
    [TCLASS_TCP_EST] = FLOW_TIMEOUT_TCP_EST_S,
    [TCLASS_TCP_CLOSED] = FLOW_TIMEOUT_TCP_CLOSED_S,
    [TCLASS_UDP] = FLOW_TIMEOUT_UDP_S,
    [TCLASS_ICMP] = FLOW_TIMEOUT_ICMP_S,
    [TCLASS_OTHER] = FLOW_TIMEOUT_OTHER_S,
};

const char *flow_end_reason_name(enum end_reason r)
{
    switch (r) {
    case END_FIN: return "fin";
    case END_RST: return "rst";
    case END_IDLE: return "idle";
    case END_EVICTED: return "evicted";
    case END_REUSED: return "reused";
    case END_SHUTDOWN: return "shutdown";
    case END_NONE: break;
    }
    return "none";
}

void flow_table_config_default(struct flow_table_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->capacity = FLOW_DEFAULT_CAPACITY;
    for (int i = 0; i < TCLASS_COUNT; i++)
        cfg->timeout_us[i] = default_timeout_s[i] * 1000000u;
}

struct flow_table *flow_table_new(const struct flow_table_config *cfg, struct err *e)
{
    if (cfg->capacity == 0 || cfg->capacity > FLOW_MAX_CAPACITY) {
        err_set(e, RC_CONFIG, "flow capacity %u out of range 1..%u", cfg->capacity,
                FLOW_MAX_CAPACITY);
        return NULL;
    }
    struct flow_table *t = calloc(1, sizeof *t);
    if (!t) {
        err_set(e, RC_NOMEM, "out of memory for the flow table");
        return NULL;
    }
    t->cfg = *cfg;
    for (int i = 0; i < TCLASS_COUNT; i++)
        if (t->cfg.timeout_us[i] == 0)
            t->cfg.timeout_us[i] = default_timeout_s[i] * 1000000u;
    /* At most about one bucket per flow at capacity, rounded up to a power
     * of two; FLOW_BUCKETS_MIN to start. */
    t->max_buckets = FLOW_BUCKETS_MIN;
    while (t->max_buckets < cfg->capacity)
        t->max_buckets <<= 1;
    t->nbuckets = FLOW_BUCKETS_MIN;
    t->buckets = calloc(t->nbuckets, sizeof *t->buckets);
    if (!t->buckets) {
        free(t);
        err_set(e, RC_NOMEM, "out of memory for %u flow buckets", cfg->capacity);
        return NULL;
    }
    t->next_id = 1;
    t->stride = (sizeof(struct flow) + cfg->ext_size + FLOW_SLOT_ALIGN - 1) / FLOW_SLOT_ALIGN *
                FLOW_SLOT_ALIGN;
    t->slab_flows = cfg->capacity < FLOW_SLAB_FLOWS ? cfg->capacity : FLOW_SLAB_FLOWS;
    return t;
}

/* Frees every slab once no flow is live (the table takes new ones on
 * demand): a run's end gives the memory of its peak back before the
 * run-end work allocates its own. */
static void release_slabs(struct flow_table *t)
{
    for (struct slab *sl = t->slabs, *n; sl; sl = n) {
        n = sl->next;
        free(sl);
    }
    t->slabs = NULL;
    t->free_slots = NULL;
    for (struct tun_slab *ts = t->tun_slabs, *n; ts; ts = n) {
        n = ts->next;
        free(ts);
    }
    t->tun_slabs = NULL;
    t->tun_free = NULL;
}

void flow_table_free(struct flow_table *t)
{
    if (!t)
        return;
    release_slabs(t);
    free(t->buckets);
    free(t);
}

/* Eight bytes of p as a big-endian number: comparing two such numbers
 * orders the bytes as memcmp does (one load instead of a call). */
static inline uint64_t load_be64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return be64toh(v);
}

/* Orders (address, port) pairs as memcmp of the addresses, then the port. */
static int addr_cmp(const uint8_t *x, uint16_t px, const uint8_t *y, uint16_t py)
{
    uint64_t xh = load_be64(x), yh = load_be64(y);
    if (xh != yh)
        return xh < yh ? -1 : 1;
    uint64_t xl = load_be64(x + 8), yl = load_be64(y + 8);
    if (xl != yl)
        return xl < yl ? -1 : 1;
    return (px > py) - (px < py);
}

bool flow_table_key(const struct pkt_view *v, struct flow_key *key, bool *src_is_a)
{
    if (v->ip_version != 4 && v->ip_version != 6 && v->ip_version != PKT_FAMILY_MTP3)
        return false;
    if (v->frag && !v->frag_first)
        return false; /* no ports: counted by the caller as no_flow */
    memset(key, 0, sizeof *key);
    key->family = v->ip_version;
    key->l4proto = v->l4proto;
    uint16_t sp = v->has_ports ? v->sport : 0, dp = v->has_ports ? v->dport : 0;
    if (addr_cmp(v->src.a, sp, v->dst.a, dp) <= 0) {
        *src_is_a = true;
        memcpy(key->a, v->src.a, 16);
        memcpy(key->b, v->dst.a, 16);
        key->port_a = sp;
        key->port_b = dp;
    } else {
        *src_is_a = false;
        memcpy(key->a, v->dst.a, 16);
        memcpy(key->b, v->src.a, 16);
        key->port_a = dp;
        key->port_b = sp;
    }
    key->vlan = (uint32_t)(v->vlan_outer & 0xfff) << 12 | (v->vlan_inner & 0xfff);
    if (v->ip_version == PKT_FAMILY_MTP3)
        key->tunnel = v->mtp_link; /* SS7: one flow per link, point code pair and SI */
    if (v->tunnel) {
        /* The two TEIDs of a GTP-U tunnel differ per direction, so the tunnel is
         * identified by its outer endpoint pair, taken in canonical order. */
        uint8_t pair[32];
        const uint8_t *lo = v->tun_src.a, *hi = v->tun_dst.a;
        if (memcmp(lo, hi, 16) > 0) {
            lo = v->tun_dst.a;
            hi = v->tun_src.a;
        }
        memcpy(pair, lo, 16);
        memcpy(pair + 16, hi, 16);
        static const uint8_t tkey[16] = {'t', 'r', 'a', 'p', 'l', 'i', 'n', 'e',
                                         't', 'u', 'n', 'n', 'e', 'l', 0, 1};
        uint32_t d = (uint32_t)siphash13(tkey, pair, sizeof pair);
        key->tunnel = d ? d : 1;
    }
    if (v->vnet) {
        /* an overlay's virtual network (VXLAN/GENEVE VNI): a flow per network,
         * as per VLAN; mixed with a GTP-U discriminator when both are there */
        uint32_t x = key->tunnel ^ (v->vnet * 0x9e3779b1u);
        key->tunnel = x ? x : 1;
    }
    return true;
}

static void list_remove(struct flist *l, struct flow *f)
{
    if (f->lprev)
        f->lprev->lnext = f->lnext;
    else
        l->head = f->lnext;
    if (f->lnext)
        f->lnext->lprev = f->lprev;
    else
        l->tail = f->lprev;
    f->lprev = f->lnext = NULL;
}

static void list_append(struct flist *l, struct flow *f)
{
    f->lnext = NULL;
    f->lprev = l->tail;
    if (l->tail)
        l->tail->lnext = f;
    else
        l->head = f;
    l->tail = f;
}

static uint8_t tclass_of(const struct flow *f)
{
    switch (f->key.l4proto) {
    case L4_TCP:
        if (f->tcp_state == TCP_CLOSED)
            return TCLASS_TCP_CLOSED;
        if (f->tcp_state == TCP_SYN_SEEN)
            return TCLASS_TCP_OPENING;
        return TCLASS_TCP_EST;
    case L4_UDP: return TCLASS_UDP;
    case L4_ICMP:
    case L4_ICMPV6: return TCLASS_ICMP;
    default: return TCLASS_OTHER;
    }
}

/* Ends f, already off its hash chain: unlinks it from its class list,
 * reports it and frees it. */
static void flow_finish(struct flow_table *t, struct flow *f, enum end_reason why)
{
    if (t->held == f)
        t->held = NULL;
    list_remove(&t->cls[f->tclass], f);

    /* A closed TCP session ends for the reason it closed, whoever removes it. */
    if (f->tcp_state == TCP_CLOSED && f->close_reason && why != END_REUSED)
        why = f->close_reason;
    f->end_reason = (uint8_t)why;
    t->st.ended[why]++;
    if (why == END_EVICTED)
        t->st.evicted++;
    t->st.active--;
    if (t->cfg.on_end)
        t->cfg.on_end(f, t->cfg.user);
    if (f->tun)
        tun_put(t, f->tun);
    slot_put(t, f);
}

/* Unlinks f from every structure, reports it and frees it. */
static void flow_end(struct flow_table *t, struct flow *f, enum end_reason why)
{
    struct flow **pp = &t->buckets[f->hash & (t->nbuckets - 1)];
    while (*pp && *pp != f)
        pp = &(*pp)->hnext;
    assert(*pp == f);
    *pp = f->hnext;
    flow_finish(t, f, why);
}

/* Moves the table clock to packet time ts.  The clock never goes back (an
 * out-of-order packet changes nothing), and a forward jump of more than
 * FLOW_CLOCK_MAX_JUMP_S is held until the next call: if that call is also
 * beyond the jump limit the new time is taken, otherwise the jump was one
 * outlier and is dropped.  The flow touched by the held packet carries the
 * held time in seen_us, so a confirmed gap does not expire it at once; when
 * the jump is dropped it is brought back to the clock.  Every flow's seen_us
 * is then <= now_us, and each class list is sorted by seen_us. */
static void clock_advance(struct flow_table *t, uint64_t ts)
{
    const uint64_t max_jump = (uint64_t)FLOW_CLOCK_MAX_JUMP_S * 1000000u;
    bool had_jump = t->jump_us != 0;
    t->jump_us = 0;
    if (!t->clock_set || (ts > t->now_us && (ts - t->now_us <= max_jump || had_jump))) {
        t->now_us = ts;
        t->clock_set = true;
    } else if (ts > t->now_us) {
        t->jump_us = ts; /* hold this one; the caller's flow becomes t->held */
    }
    if (t->held) {
        /* The held jump was taken or dropped: either way its flow must not be
         * ahead of the clock (it is the tail of its list, so order holds). */
        if (t->held->seen_us > t->now_us)
            t->held->seen_us = t->now_us;
        t->held = NULL;
    }
}

void flow_table_expire(struct flow_table *t, uint64_t now_us)
{
    clock_advance(t, now_us);
    for (int c = 0; c < TCLASS_COUNT; c++) {
        for (int n = 0; n < FLOW_EXPIRE_BUDGET; n++) {
            struct flow *f = t->cls[c].head;
            if (!f || f->seen_us > t->now_us || t->now_us - f->seen_us <= t->cfg.timeout_us[c])
                break;
            flow_end(t, f, END_IDLE);
        }
    }
}

/* Ends the flow that has been idle longest, across classes. */
static void evict_one(struct flow_table *t)
{
    struct flow *victim = NULL;
    for (int c = 0; c < TCLASS_COUNT; c++) {
        struct flow *f = t->cls[c].head;
        if (f && (!victim || f->seen_us < victim->seen_us ||
                  (f->seen_us == victim->seen_us && f->id < victim->id)))
            victim = f;
    }
    if (victim)
        flow_end(t, victim, END_EVICTED);
}

/* The bytes of a key that can differ between IPv4 keys: everything before
 * the addresses and their first four bytes (flow_table_key zeroes the rest
 * of a key, and IPv4 addresses fill only the first four of their sixteen). */
#define KEY_HEAD offsetof(struct flow_key, a)
_Static_assert(KEY_HEAD == 16 && offsetof(struct flow_key, b) == 32 &&
                   sizeof(struct flow_key) == 48,
               "flow_key layout: a 16-byte head, then a and b");

/* The key's hash under the run's secret: an IPv4 key hashes its 24 bytes
 * that can differ, anything else all of its bytes.  Equal keys hash alike,
 * which is all the buckets need. */
static uint32_t key_hash(const struct flow_table *t, const struct flow_key *k)
{
    if (k->family == 4) {
        uint8_t b[KEY_HEAD + 8];
        memcpy(b, k, KEY_HEAD);
        memcpy(b + KEY_HEAD, k->a, 4);
        memcpy(b + KEY_HEAD + 4, k->b, 4);
        return (uint32_t)siphash13(t->cfg.hash_key, b, sizeof b);
    }
    return (uint32_t)siphash13(t->cfg.hash_key, k, sizeof *k);
}

/* Whole-key equality, padding included (keys are zeroed before they are
 * filled, and slots keep the bytes they were copied from): six word
 * compares, no call. */
static inline bool key_eq(const struct flow_key *x, const struct flow_key *y)
{
    const uint8_t *p = (const uint8_t *)x, *q = (const uint8_t *)y;
    uint64_t diff = 0;
    for (size_t i = 0; i < sizeof *x; i += 8) {
        uint64_t a, b;
        memcpy(&a, p + i, 8);
        memcpy(&b, q + i, 8);
        diff |= a ^ b;
    }
    return diff == 0;
}

static struct flow *lookup(struct flow_table *t, const struct flow_key *k, uint32_t h)
{
    for (struct flow *f = t->buckets[h & (t->nbuckets - 1)]; f; f = f->hnext)
        if (f->hash == h && key_eq(&f->key, k))
            return f;
    return NULL;
}

/* Doubles the bucket array while the live flows outnumber half of it (and
 * it is below max_buckets), moving every chain's flows by their kept hash.
 * A failed allocation keeps the array (longer chains, counted) and is
 * tried again at the next new flow; create refuses flows beyond it. */
static void buckets_fit(struct flow_table *t)
{
    if (t->st.active < t->nbuckets / 2 || t->nbuckets >= t->max_buckets)
        return;
    uint32_t n = t->nbuckets * 2;
    struct flow **nb = calloc(n, sizeof *nb);
    if (!nb) {
        t->st.buckets_nomem++;
        return;
    }
    for (uint32_t i = 0; i < t->nbuckets; i++)
        for (struct flow *f = t->buckets[i], *next; f; f = next) {
            next = f->hnext;
            struct flow **b = &nb[f->hash & (n - 1)];
            f->hnext = *b;
            *b = f;
        }
    free(t->buckets);
    t->buckets = nb;
    t->nbuckets = n;
}

static struct flow *create(struct flow_table *t, const struct flow_key *k, uint32_t h,
                           const struct pkt_view *v, bool src_is_a)
{
    if (t->st.active >= t->cfg.capacity)
        evict_one(t);
    buckets_fit(t);
    /* Never more live flows than buckets (the flush sorts them in the
     * bucket array): with every doubling failed, a new flow is refused as
     * when its slot cannot be had. */
    struct flow *f = t->st.active < t->nbuckets ? slot_get(t) : NULL;
    if (!f) {
        t->st.dropped_nomem++;
        return NULL;
    }
    f->key = *k;
    f->hash = h;
    f->id = t->next_id++;
    f->first_us = f->last_us = v->ts_us;
    f->seen_us = t->now_us;
    f->vlan_outer = v->vlan_outer;
    f->vlan_inner = v->vlan_inner;
    f->first_input = f->last_input = v->src_input;
    f->first_frame = f->last_frame = v->src_frame;
    f->ifid = v->src_ifid;
    /* The client is the initiator: the sender of the first packet, except that a
     * first SYN-ACK was sent by the server (the SYN was missed). */
    bool src_is_client = true;
    if (v->l4proto == L4_TCP && v->has_ports) {
        uint8_t fl = v->tcp_flags;
        if ((fl & (TCPF_SYN | TCPF_ACK)) == (TCPF_SYN | TCPF_ACK))
            src_is_client = false;
        if ((fl & (TCPF_SYN | TCPF_ACK | TCPF_RST)) == TCPF_SYN) {
            f->tcp_state = TCP_SYN_SEEN;
            f->saw_syn = true;
            f->client_isn = v->tcp_seq;
        } else if (fl & TCPF_SYN) {
            f->tcp_state = TCP_SYN_SEEN;
        } else {
            f->tcp_state = TCP_ESTABLISHED; /* picked up mid-session */
            src_is_client = midflow_src_is_client(t, k, src_is_a);
        }
    }
    f->client_is_a = src_is_client ? src_is_a : !src_is_a;
    if (v->l4proto == L4_TCP && v->has_ports && (v->tcp_flags & TCPF_SYN) &&
        !(v->tcp_flags & TCPF_RST))
        learn_server(t, k->family, f->client_is_a ? k->b : k->a,
                     f->client_is_a ? k->port_b : k->port_a);

    uint32_t b = h & (t->nbuckets - 1);
    f->hnext = t->buckets[b];
    t->buckets[b] = f;
    f->tclass = tclass_of(f);
    list_append(&t->cls[f->tclass], f);
    t->st.created++;
    if (++t->st.active > t->st.peak)
        t->st.peak = t->st.active;
    return f;
}

static void tcp_track(struct flow *f, const struct pkt_view *v, enum dir d)
{
    uint8_t fl = v->tcp_flags;
    if (fl & TCPF_RST) {
        f->tcp_state = TCP_CLOSED;
        f->close_reason = END_RST;
        return;
    }
    if (f->tcp_state == TCP_CLOSED)
        return;
    if (fl & TCPF_FIN) {
        f->fin_seen |= (uint8_t)(1u << d);
        f->tcp_state = f->fin_seen == 3 ? TCP_CLOSED : TCP_CLOSING;
        if (f->tcp_state == TCP_CLOSED)
            f->close_reason = END_FIN;
        return;
    }
    if (f->tcp_state == TCP_SYN_SEEN && !(fl & TCPF_SYN) && (fl & TCPF_ACK))
        f->tcp_state = TCP_ESTABLISHED;
    else if (f->tcp_state == TCP_SYN_SEEN && v->payload_len > 0)
        f->tcp_state = TCP_ESTABLISHED;
}

/* A pure SYN from the client side on a session that has closed, or carrying a
 * new initial sequence number, starts a new session on the same tuple. */
static bool is_reuse(const struct flow *f, const struct pkt_view *v, enum dir d)
{
    if (v->l4proto != L4_TCP || !v->has_ports)
        return false;
    if ((v->tcp_flags & (TCPF_SYN | TCPF_ACK | TCPF_RST)) != TCPF_SYN)
        return false;
    if (f->tcp_state == TCP_CLOSED)
        return true;
    return d == DIR_C2S && f->saw_syn && f->tcp_state != TCP_SYN_SEEN &&
           v->tcp_seq != f->client_isn;
}

struct flow *flow_table_packet(struct flow_table *t, const struct pkt_view *v, enum dir *dir)
{
    flow_table_expire(t, v->ts_us);

    struct flow_key k;
    bool src_is_a;
    if (!flow_table_key(v, &k, &src_is_a)) {
        t->st.no_flow++;
        return NULL;
    }
    uint32_t h = key_hash(t, &k);
    struct flow *f = lookup(t, &k, h);
    if (f) {
        enum dir d = src_is_a == f->client_is_a ? DIR_C2S : DIR_S2C;
        if (is_reuse(f, v, d)) {
            flow_end(t, f, f->tcp_state == TCP_CLOSED ? (enum end_reason)f->close_reason
                                                      : END_REUSED);
            f = NULL;
        }
    }
    if (!f) {
        f = create(t, &k, h, v, src_is_a);
        if (!f)
            return NULL;
    }
    enum dir d = src_is_a == f->client_is_a ? DIR_C2S : DIR_S2C;
    f->pkts[d]++;
    f->bytes[d] += v->wirelen;
    f->payload_bytes[d] += v->payload_len;
    bool earliest = v->ts_us < f->first_us;
    if (earliest)
        f->first_us = v->ts_us;
    if (v->ts_us > f->last_us)
        f->last_us = v->ts_us;
    if (!v->late) {
        f->last_input = v->src_input;
        f->last_frame = v->src_frame;
    } else if (earliest) {
        f->first_input = v->src_input;
        f->first_frame = v->src_frame;
    }
    if (v->tunnel && !flow_teid(f, d) && v->teid) {
        if (!f->tun)
            f->tun = tun_get(t);
        if (f->tun) {
            f->tun->teid[d] = v->teid;
            f->tun->node[d] = v->tun_dst;
        } else {
            t->st.tunnel_nomem++;
        }
    }
    if (k.l4proto == L4_TCP && v->has_ports)
        tcp_track(f, v, d);
    uint8_t c = tclass_of(f);
    /* To the tail of its class list; a flow already there (the previous
     * packet was its own) stays put, sparing two neighbours' cache lines. */
    if (c != f->tclass || t->cls[c].tail != f) {
        list_remove(&t->cls[f->tclass], f);
        f->tclass = c;
        list_append(&t->cls[c], f);
    }
    f->seen_us = t->now_us;
    if (t->jump_us) {
        /* This packet's time is held: its flow counts as active at that time,
         * until the next call takes or drops the jump (clock_advance). */
        f->seen_us = t->jump_us;
        t->held = f;
    }
    *dir = d;
    return f;
}

static int by_id(const void *x, const void *y)
{
    const struct flow *a = *(struct flow *const *)x, *b = *(struct flow *const *)y;
    return (a->id > b->id) - (a->id < b->id);
}

/* Calls fn on every live flow, slab by slab. */
static void each_slot(struct flow_table *t, flow_end_fn fn, void *user)
{
    for (struct slab *sl = t->slabs; sl; sl = sl->next)
        for (uint32_t i = 0; i < sl->used; i++) {
            struct flow *f = slab_slot(t, sl, i);
            if (f->id)
                fn(f, user);
        }
}

struct gather {
    struct flow **v;
    size_t n, cap;
};

static void gather_one(struct flow *f, void *user)
{
    struct gather *g = user;
    if (g->n < g->cap)
        g->v[g->n++] = f;
}

/* Ends every flow in id order without allocating: the bucket array (never
 * smaller than the live count, see create) is taken apart to sort them,
 * then cleared. */
void flow_table_flush_ex(struct flow_table *t, size_t every, flow_flush_fn fn, void *user)
{
    struct gather g = {t->buckets, 0, t->nbuckets};
    each_slot(t, gather_one, &g);
    assert(g.n == t->st.active);
    qsort(g.v, g.n, sizeof *g.v, by_id);
    /* every flow below the oldest live one has ended */
    if (fn)
        fn(g.n ? g.v[0]->id : t->next_id, user);
    for (size_t i = 0; i < g.n; i++) {
        struct flow *f = g.v[i];
        uint64_t id = f->id;
        g.v[i] = NULL;
        flow_finish(t, f, END_SHUTDOWN);
        if (fn && every && (i + 1) % every == 0 && i + 1 < g.n)
            fn(id + 1, user);
    }
    memset(t->buckets, 0, (size_t)t->nbuckets * sizeof *t->buckets);
    release_slabs(t);
    if (fn)
        fn(t->next_id, user);
}

void flow_table_flush(struct flow_table *t) { flow_table_flush_ex(t, 0, NULL, NULL); }

/* In id order from a sorted array of the live flows; without the memory
 * for it, slab by slab (the same order for the same input, but not
 * creation order: the interim rows are the same, written in another order). */
void flow_table_walk(struct flow_table *t, flow_end_fn fn, void *user)
{
    struct gather g = {NULL, 0, (size_t)t->st.active};
    g.v = g.cap ? malloc(g.cap * sizeof *g.v) : NULL;
    if (!g.v) {
        each_slot(t, fn, user);
        return;
    }
    each_slot(t, gather_one, &g);
    qsort(g.v, g.n, sizeof *g.v, by_id);
    for (size_t i = 0; i < g.n; i++)
        fn(g.v[i], user);
    free(g.v);
}

void flow_table_get_stats(const struct flow_table *t, struct flow_table_stats *out)
{
    *out = t->st;
    out->buckets = t->nbuckets;
}
