/* dnsbind.c - DNS-learned name bindings (see dnsbind.h). */
#include "classify/dnsbind.h"

#include <stdlib.h>
#include <string.h>

#include "capture/siphash.h"

struct slot {
    bool used;
    uint8_t family; /* client family << 4 | address family */
    uint8_t client[16], addr[16];
    uint64_t expires_us;
    struct meta_name name;
};

struct dnsbind {
    struct slot *slots;
    size_t mask;
    struct dnsbind_stats st;
};

/* Fixed key: placement never changes output, and a fixed key keeps even the
 * eviction choice reproducible from run to run. */
static const uint8_t bind_key[16] = "trapline-dnsbind";

struct dnsbind *dnsbind_new(size_t capacity, struct err *e)
{
    size_t n = DNSBIND_PROBE;
    while (n < capacity)
        n *= 2;
    struct dnsbind *t = calloc(1, sizeof *t);
    if (t)
        t->slots = calloc(n, sizeof *t->slots);
    if (!t || !t->slots) {
        free(t);
        err_set(e, RC_NOMEM, "out of memory for the DNS binding table");
        return NULL;
    }
    t->mask = n - 1;
    return t;
}

void dnsbind_free(struct dnsbind *t)
{
    if (!t)
        return;
    free(t->slots);
    free(t);
}

static size_t bucket(const struct dnsbind *t, uint8_t family, const uint8_t *client,
                     const uint8_t *addr)
{
    uint8_t k[33] = {family};
    memcpy(k + 1, client, 16);
    memcpy(k + 17, addr, 16);
    return (size_t)siphash13(bind_key, k, sizeof k) & t->mask;
}

static bool same(const struct slot *s, uint8_t family, const uint8_t *client, const uint8_t *addr)
{
    return s->used && s->family == family && memcmp(s->client, client, 16) == 0 &&
           memcmp(s->addr, addr, 16) == 0;
}

/* Copies a 4- or 16-byte address into a zero-padded 16-byte key part. */
static void pad(uint8_t out[16], uint8_t family, const uint8_t *a)
{
    memset(out, 0, 16);
    memcpy(out, a, family == 6 ? 16 : 4);
}

void dnsbind_add(struct dnsbind *t, uint8_t cfamily, const uint8_t *client_in, uint8_t afamily,
                 const uint8_t *addr_in, const char *name, uint32_t ttl_s, uint64_t now_us)
{
    struct meta_name m;
    meta_name_set(&m, name, strlen(name));
    dnsbind_add_name(t, cfamily, client_in, afamily, addr_in, &m, ttl_s, now_us);
}

void dnsbind_add_name(struct dnsbind *t, uint8_t cfamily, const uint8_t *client_in,
                      uint8_t afamily, const uint8_t *addr_in, const struct meta_name *name,
                      uint32_t ttl_s, uint64_t now_us)
{
    uint8_t client[16], addr[16];
    uint8_t family = (uint8_t)(cfamily << 4 | afamily);
    pad(client, cfamily, client_in);
    pad(addr, afamily, addr_in);
    if (ttl_s < DNSBIND_MIN_TTL_S)
        ttl_s = DNSBIND_MIN_TTL_S;
    if (ttl_s > DNSBIND_MAX_TTL_S)
        ttl_s = DNSBIND_MAX_TTL_S;
    size_t b = bucket(t, family, client, addr);
    struct slot *victim = NULL;
    for (size_t i = 0; i < DNSBIND_PROBE; i++) {
        struct slot *s = &t->slots[(b + i) & t->mask];
        if (same(s, family, client, addr)) {
            victim = s;
            t->st.refreshed++;
            goto fill;
        }
        if (!s->used || s->expires_us <= now_us) {
            if (!victim || victim->used)
                victim = s;
        } else if (!victim || (victim->used && s->expires_us < victim->expires_us)) {
            victim = s;
        }
    }
    if (victim->used && victim->expires_us > now_us)
        t->st.evicted++;
    t->st.added++;
fill:
    memset(victim, 0, sizeof *victim);
    victim->used = true;
    victim->family = family;
    memcpy(victim->client, client, 16);
    memcpy(victim->addr, addr, 16);
    victim->expires_us = now_us + (uint64_t)ttl_s * 1000000u;
    /* The name keeps its cut flag: a query name cut by the DNS parser is
     * still cut when a flow learns it (issue 17 item 9). */
    victim->name = *name;
}

bool dnsbind_lookup(struct dnsbind *t, uint8_t cfamily, const uint8_t *client_in,
                    uint8_t afamily, const uint8_t *addr_in, uint64_t now_us,
                    struct meta_name *out)
{
    uint8_t client[16], addr[16];
    uint8_t family = (uint8_t)(cfamily << 4 | afamily);
    pad(client, cfamily, client_in);
    pad(addr, afamily, addr_in);
    size_t b = bucket(t, family, client, addr);
    for (size_t i = 0; i < DNSBIND_PROBE; i++) {
        struct slot *s = &t->slots[(b + i) & t->mask];
        if (!same(s, family, client, addr))
            continue;
        if (s->expires_us <= now_us) {
            s->used = false;
            t->st.expired++;
            break;
        }
        *out = s->name;
        t->st.hits++;
        return true;
    }
    t->st.misses++;
    return false;
}

void dnsbind_get_stats(const struct dnsbind *t, struct dnsbind_stats *out) { *out = t->st; }
