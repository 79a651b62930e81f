/* srvlearn.c - servers learnt in this run (see srvlearn.h). */
#include "classify/srvlearn.h"

#include <stdlib.h>
#include <string.h>

#include "capture/siphash.h"

struct slot {
    bool used;
    bool conflict;
    uint8_t family, l4proto;
    uint16_t port;
    uint8_t addr[16];
    int svc;
    uint64_t ts_us; /* last time learnt */
};

struct srvlearn {
    struct slot *slots;
    size_t mask;
    struct srvlearn_stats st;
};

/* Fixed key: reproducible placement and replacement (dnsbind.c). */
static const uint8_t srv_key[16] = "trapline-srvlrn.";

struct srvlearn *srvlearn_new(size_t capacity, struct err *e)
{
    size_t n = SRVLEARN_PROBE;
    while (n < capacity)
        n *= 2;
    struct srvlearn *t = calloc(1, sizeof *t);
    if (t)
        t->slots = calloc(n, sizeof *t->slots);
    if (!t || !t->slots) {
        free(t);
        err_set(e, RC_NOMEM, "out of memory for the learnt-server table");
        return NULL;
    }
    t->mask = n - 1;
    return t;
}

void srvlearn_free(struct srvlearn *t)
{
    if (!t)
        return;
    free(t->slots);
    free(t);
}

struct key {
    uint8_t family, l4proto;
    uint16_t port;
    uint8_t addr[16];
};

static struct key make_key(uint8_t family, const uint8_t *a, uint8_t l4proto, uint16_t port)
{
    struct key k = {.family = family, .l4proto = l4proto, .port = port};
    memcpy(k.addr, a, family == 6 ? 16 : 4);
    return k;
}

static size_t bucket(const struct srvlearn *t, const struct key *k)
{
    uint8_t b[20] = {k->family, k->l4proto, (uint8_t)(k->port >> 8), (uint8_t)k->port};
    memcpy(b + 4, k->addr, 16);
    return (size_t)siphash13(srv_key, b, sizeof b) & t->mask;
}

static bool same(const struct slot *s, const struct key *k)
{
    return s->used && s->family == k->family && s->l4proto == k->l4proto && s->port == k->port &&
           memcmp(s->addr, k->addr, 16) == 0;
}

void srvlearn_learn(struct srvlearn *t, uint8_t family, const uint8_t *addr, uint8_t l4proto,
                    uint16_t port, int svc, uint64_t ts_us)
{
    struct key k = make_key(family, addr, l4proto, port);
    size_t b = bucket(t, &k);
    struct slot *victim = NULL;
    for (size_t i = 0; i < SRVLEARN_PROBE; i++) {
        struct slot *s = &t->slots[(b + i) & t->mask];
        if (same(s, &k)) {
            if (s->svc == svc) {
                t->st.refreshed++;
            } else if (!s->conflict) {
                s->conflict = true;
                t->st.conflicts++;
            }
            if (ts_us > s->ts_us)
                s->ts_us = ts_us;
            return;
        }
        if (!victim || (victim->used && (!s->used || s->ts_us < victim->ts_us)))
            victim = s;
    }
    if (victim->used)
        t->st.replaced++;
    memset(victim, 0, sizeof *victim);
    victim->used = true;
    victim->family = k.family;
    victim->l4proto = k.l4proto;
    victim->port = k.port;
    memcpy(victim->addr, k.addr, 16);
    victim->svc = svc;
    victim->ts_us = ts_us;
    t->st.learned++;
}

int srvlearn_find(struct srvlearn *t, uint8_t family, const uint8_t *addr, uint8_t l4proto,
                  uint16_t port, uint64_t ts_us)
{
    struct key k = make_key(family, addr, l4proto, port);
    size_t b = bucket(t, &k);
    for (size_t i = 0; i < SRVLEARN_PROBE; i++) {
        const struct slot *s = &t->slots[(b + i) & t->mask];
        if (!same(s, &k))
            continue;
        uint64_t d = s->ts_us > ts_us ? s->ts_us - ts_us : ts_us - s->ts_us;
        if (s->conflict || s->svc < 0 || d > SRVLEARN_TTL_US)
            return -1;
        t->st.hits++;
        return s->svc;
    }
    return -1;
}

void srvlearn_get_stats(const struct srvlearn *t, struct srvlearn_stats *out) { *out = t->st; }
