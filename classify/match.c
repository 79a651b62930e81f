/* match.c - compiled signature indexes (see match.h).
 *
 * Three structures, all built at load time from trusted rules:
 *  - an open-addressing hash table (FNV-1a 64, load factor <= 1/2) from
 *    (tag, pattern) to a chain of rules; tags separate exact, suffix and
 *    prefix name patterns and ALPN values;
 *  - a binary radix trie per address family: node = one address bit, a
 *    prefix's rules hang off the node at its length; a lookup walks at most
 *    32 or 128 nodes and keeps the deepest node with an acceptable rule;
 *  - a direct table per transport indexed by port.
 * Chains live in one entry pool, so a rule can sit in many chains (a port
 * range, a list).
 */
#include "classify/match.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "capture/cursor.h"
#include "capture/decode.h"
#include "classify/registry.h"
#include "signatures/sig_query.h"
#include "signatures/sig_rule.h"

enum tag { TAG_EXACT = 0, TAG_SUFFIX, TAG_PREFIX, TAG_ALPN };

/* Transports with ports. */
#define MATCH_NTRANSPORTS 3
static const uint8_t transports[MATCH_NTRANSPORTS] = {L4_TCP, L4_UDP, L4_SCTP};

static int transport_index(uint8_t l4proto)
{
    for (int t = 0; t < MATCH_NTRANSPORTS; t++)
        if (transports[t] == l4proto)
            return t;
    return -1;
}

struct ent {
    int32_t rule;
    int32_t next; /* -1 ends a chain */
};

struct hslot {
    const char *key; /* NULL = empty; points into the sig_set */
    uint64_t hash;
    uint16_t len;
    uint8_t tag;
    int32_t head;
};

struct tnode {
    int32_t child[2];
    int32_t head;
};

struct match_set {
    const struct sig_set *s;
    struct ent *ents;
    size_t nents, cap_ents;
    struct hslot *slots;
    size_t nslots; /* power of two */
    struct tnode *nodes;
    size_t nnodes, cap_nodes;
    int32_t root[2]; /* [0] IPv4, [1] IPv6 */
    int32_t *port_head[MATCH_NTRANSPORTS]; /* 65536 chain heads each */
    int32_t pre[MATCH_NTRANSPORTS][MATCH_MAX_PREAMBLES];
    size_t npre[MATCH_NTRANSPORTS];
};

static uint64_t fnv1a(uint8_t tag, const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull ^ tag;
    for (size_t i = 0; i < n; i++) {
        h ^= (uint8_t)p[i];
        h *= 1099511628211ull;
    }
    return h;
}

static int32_t add_ent(struct match_set *m, int32_t rule, int32_t next)
{
    if (m->nents == MATCH_MAX_ENTRIES)
        return -2;
    if (m->nents == m->cap_ents) {
        size_t nc = m->cap_ents ? m->cap_ents * 2 : 256;
        struct ent *e = realloc(m->ents, nc * sizeof *e);
        if (!e)
            return -2;
        m->ents = e;
        m->cap_ents = nc;
    }
    m->ents[m->nents].rule = rule;
    m->ents[m->nents].next = next;
    return (int32_t)m->nents++;
}

/* Appends rule to a chain kept in file order (rules are added in order, so
 * the chain is walked from its head to find the first rule). */
static int chain_append(struct match_set *m, int32_t *head, int32_t rule)
{
    int32_t e = add_ent(m, rule, -1);
    if (e < 0)
        return -1;
    if (*head < 0) {
        *head = e;
        return 0;
    }
    int32_t i = *head;
    while (m->ents[i].next >= 0)
        i = m->ents[i].next;
    m->ents[i].next = e;
    return 0;
}

static const struct hslot *hfind(const struct match_set *m, uint8_t tag, const char *p, size_t n)
{
    uint64_t h = fnv1a(tag, p, n);
    size_t mask = m->nslots - 1;
    for (size_t i = h & mask, probes = 0; probes < m->nslots; i = (i + 1) & mask, probes++) {
        const struct hslot *s = &m->slots[i];
        if (!s->key)
            return NULL;
        if (s->hash == h && s->tag == tag && s->len == n && memcmp(s->key, p, n) == 0)
            return s;
    }
    return NULL;
}

static int hinsert(struct match_set *m, uint8_t tag, const char *key, int32_t rule)
{
    size_t n = strlen(key);
    uint64_t h = fnv1a(tag, key, n);
    size_t mask = m->nslots - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        struct hslot *s = &m->slots[i];
        if (!s->key) {
            s->key = key;
            s->hash = h;
            s->len = (uint16_t)n;
            s->tag = tag;
            s->head = -1;
            return chain_append(m, &s->head, rule);
        }
        if (s->hash == h && s->tag == tag && s->len == n && memcmp(s->key, key, n) == 0)
            return chain_append(m, &s->head, rule);
    }
}

static int32_t new_node(struct match_set *m)
{
    if (m->nnodes == MATCH_MAX_ENTRIES)
        return -1;
    if (m->nnodes == m->cap_nodes) {
        size_t nc = m->cap_nodes ? m->cap_nodes * 2 : 256;
        struct tnode *t = realloc(m->nodes, nc * sizeof *t);
        if (!t)
            return -1;
        m->nodes = t;
        m->cap_nodes = nc;
    }
    struct tnode *t = &m->nodes[m->nnodes];
    t->child[0] = t->child[1] = t->head = -1;
    return (int32_t)m->nnodes++;
}

static inline unsigned addr_bit(const uint8_t *a, unsigned i)
{
    return (a[i / 8] >> (7 - i % 8)) & 1u;
}

static int trie_insert(struct match_set *m, const struct sig_rule *r, int32_t rule)
{
    int fam = r->family == 6;
    if (m->root[fam] < 0 && (m->root[fam] = new_node(m)) < 0)
        return -1;
    int32_t n = m->root[fam];
    for (unsigned i = 0; i < r->plen; i++) {
        unsigned b = addr_bit(r->addr, i);
        if (m->nodes[n].child[b] < 0) {
            int32_t c = new_node(m);
            if (c < 0)
                return -1;
            m->nodes[n].child[b] = c;
        }
        n = m->nodes[n].child[b];
    }
    return chain_append(m, &m->nodes[n].head, rule);
}

static int port_insert(struct match_set *m, const struct sig_rule *r, int32_t rule)
{
    for (int t = 0; t < MATCH_NTRANSPORTS; t++) {
        if (r->l4proto && r->l4proto != transports[t])
            continue;
        for (uint32_t p = r->port_lo; p <= r->port_hi; p++)
            if (chain_append(m, &m->port_head[t][p], rule))
                return -1;
    }
    return 0;
}

struct match_set *match_new(const struct sig_set *s, struct err *e)
{
    struct match_set *m = calloc(1, sizeof *m);
    if (!m)
        goto nomem;
    m->s = s;
    m->root[0] = m->root[1] = -1;
    size_t want = 16;
    while (want < 2 * s->nrules + 16)
        want *= 2;
    m->nslots = want;
    m->slots = calloc(want, sizeof *m->slots);
    if (!m->slots)
        goto nomem;
    for (int t = 0; t < MATCH_NTRANSPORTS; t++) {
        m->port_head[t] = malloc(65536 * sizeof(int32_t));
        if (!m->port_head[t])
            goto nomem;
        memset(m->port_head[t], 0xff, 65536 * sizeof(int32_t));
    }
    for (size_t i = 0; i < s->nrules; i++) {
        const struct sig_rule *r = &s->rules[i];
        int32_t ri = (int32_t)i;
        int rc = 0;
        switch (r->kind) {
        case SIG_RULE_NAME:
            rc = hinsert(m, r->match == SIG_MATCH_EXACT    ? TAG_EXACT
                            : r->match == SIG_MATCH_SUFFIX ? TAG_SUFFIX
                                                           : TAG_PREFIX,
                         r->text, ri);
            break;
        case SIG_RULE_ALPN: rc = hinsert(m, TAG_ALPN, r->text, ri); break;
        case SIG_RULE_CIDR: rc = trie_insert(m, r, ri); break;
        case SIG_RULE_PORT: rc = port_insert(m, r, ri); break;
        case SIG_RULE_PREAMBLE:
        case SIG_RULE_DETECTOR:
            for (int t = 0; t < MATCH_NTRANSPORTS; t++) {
                if (r->l4proto && r->l4proto != transports[t])
                    continue;
                if (m->npre[t] == MATCH_MAX_PREAMBLES) {
                    err_set(e, RC_LIMIT, "%s:%u:%u: more than %d preamble rules per transport",
                            r->where.file, r->where.line, r->where.col, MATCH_MAX_PREAMBLES);
                    match_free(m);
                    return NULL;
                }
                m->pre[t][m->npre[t]++] = ri;
            }
            break;
        case SIG_RULE_NDPI:
        case SIG_RULE_KIND_COUNT: break;
        }
        if (rc) {
            err_set(e, RC_LIMIT, "%s:%u:%u: signature index too large or out of memory",
                    r->where.file, r->where.line, r->where.col);
            match_free(m);
            return NULL;
        }
    }
    return m;
nomem:
    match_free(m);
    err_set(e, RC_NOMEM, "out of memory compiling signatures");
    return NULL;
}

void match_free(struct match_set *m)
{
    if (!m)
        return;
    free(m->ents);
    free(m->slots);
    free(m->nodes);
    for (int t = 0; t < MATCH_NTRANSPORTS; t++)
        free(m->port_head[t]);
    free(m);
}

/* Considers the chain of (tag, name[0, n)) as a candidate. */
static void name_try(const struct match_set *m, uint8_t tag, const char *p, size_t n, unsigned on,
                     int *best, size_t *best_len, uint8_t *best_tag)
{
    const struct hslot *s = hfind(m, tag, p, n);
    if (!s)
        return;
    for (int32_t i = s->head; i >= 0; i = m->ents[i].next) {
        const struct sig_rule *r = &m->s->rules[m->ents[i].rule];
        if (!(r->on & on))
            continue;
        bool better = *best < 0 || n > *best_len || (n == *best_len && tag < *best_tag);
        if (better) {
            *best = m->ents[i].rule;
            *best_len = n;
            *best_tag = tag;
        }
        return; /* the chain is in file order: its first eligible rule stands for it */
    }
}

int match_name(const struct match_set *m, const char *name, unsigned on)
{
    size_t n = strnlen(name, SIG_PATTERN_MAX * 4);
    int best = -1;
    size_t best_len = 0;
    uint8_t best_tag = 0;
    if (n == 0)
        return -1;
    name_try(m, TAG_EXACT, name, n, on, &best, &best_len, &best_tag);
    name_try(m, TAG_SUFFIX, name, n, on, &best, &best_len, &best_tag);
    for (size_t i = 0; i < n; i++) {
        if (name[i] == '.' && i + 1 < n)
            name_try(m, TAG_SUFFIX, name + i + 1, n - i - 1, on, &best, &best_len, &best_tag);
        if (name[i] == '.' || name[i] == '-')
            name_try(m, TAG_PREFIX, name, i + 1, on, &best, &best_len, &best_tag);
    }
    return best;
}

int match_alpn(const struct match_set *m, const char *alpn)
{
    const struct hslot *s = hfind(m, TAG_ALPN, alpn, strnlen(alpn, SIG_PATTERN_MAX));
    return s ? m->ents[s->head].rule : -1;
}

static bool transport_ok(const struct sig_rule *r, uint8_t l4proto)
{
    return r->l4proto == 0 || r->l4proto == l4proto;
}

int match_addr(const struct match_set *m, uint8_t family, const uint8_t *addr, uint8_t l4proto,
               uint16_t server_port)
{
    int fam = family == 6;
    unsigned bits = fam ? 128 : 32;
    int best = -1;
    int32_t n = m->root[fam];
    for (unsigned i = 0; n >= 0; i++) {
        for (int32_t e = m->nodes[n].head; e >= 0; e = m->ents[e].next) {
            const struct sig_rule *r = &m->s->rules[m->ents[e].rule];
            if (transport_ok(r, l4proto) && sig_rule_port_ok(r, server_port)) {
                best = m->ents[e].rule; /* deeper nodes overwrite: longest prefix wins */
                break;
            }
        }
        if (i == bits)
            break;
        n = m->nodes[n].child[addr_bit(addr, i)];
    }
    return best;
}

int match_port(const struct match_set *m, uint8_t l4proto, uint16_t port)
{
    int t = transport_index(l4proto);
    if (t < 0)
        return -1;
    int32_t e = m->port_head[t][port];
    return e >= 0 ? m->ents[e].rule : -1;
}

int match_preamble(const struct match_set *m, uint8_t l4proto, uint16_t server_port, int dir,
                   const uint8_t *p, size_t n)
{
    int t = transport_index(l4proto);
    if (t < 0)
        return -1;
    for (size_t i = 0; i < m->npre[t]; i++) {
        const struct sig_rule *r = &m->s->rules[m->pre[t][i]];
        if (r->dir != SIG_DIR_ANY && (int)r->dir != dir)
            continue;
        if (!sig_rule_port_ok(r, server_port))
            continue;
        if (r->kind == SIG_RULE_DETECTOR) {
            /* a registry row of role DETECTOR, named by the rule */
            const struct proto_ops *o = registry_find(r->text);
            struct proto_probe pp = {.transport = proto_transport(l4proto), .dir = (enum dir)dir,
                                     .bytes = {p, n}};
            if (o && o->probe(&pp) == PROTO_MATCH)
                return m->pre[t][i];
            continue;
        }
        struct cursor c = cur_init(p, n);
        cur_skip(&c, r->pre_off);
        bool ok = cur_has(&c, r->pre_len);
        for (unsigned k = 0; k < r->pre_len && ok; k++)
            ok = (cur_u8(&c) & r->pre_mask[k]) == r->pre[k];
        if (ok)
            return m->pre[t][i];
    }
    return -1;
}
