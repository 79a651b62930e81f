/* sockbind.c - per-socket learned services (see sockbind.h). */
#include "classify/sockbind.h"

#include <stdlib.h>
#include <string.h>

#include "capture/siphash.h"

struct slot {
    bool used;
    uint8_t family;
    uint16_t port;
    uint8_t addr[16];
    int svc;
    uint64_t ts_us;
};

struct sockbind {
    struct slot *slots;
    size_t mask;
    struct sockbind_stats st;
};

/* Fixed key: reproducible placement and replacement (dnsbind.c). */
static const uint8_t sock_key[16] = "trapline-sockbnd";

struct sockbind *sockbind_new(size_t capacity, struct err *e)
{
    size_t n = SOCKBIND_PROBE;
    while (n < capacity)
        n *= 2;
    struct sockbind *t = calloc(1, sizeof *t);
    if (t)
        t->slots = calloc(n, sizeof *t->slots);
    if (!t || !t->slots) {
        free(t);
        err_set(e, RC_NOMEM, "out of memory for the socket table");
        return NULL;
    }
    t->mask = n - 1;
    return t;
}

void sockbind_free(struct sockbind *t)
{
    if (!t)
        return;
    free(t->slots);
    free(t);
}

static size_t bucket(const struct sockbind *t, uint8_t family, const uint8_t *a, uint16_t port)
{
    uint8_t k[19] = {family, (uint8_t)(port >> 8), (uint8_t)port};
    memcpy(k + 3, a, 16);
    return (size_t)siphash13(sock_key, k, sizeof k) & t->mask;
}

static void norm(uint8_t out[16], uint8_t family, const uint8_t *a)
{
    memset(out, 0, 16);
    memcpy(out, a, family == 6 ? 16 : 4);
}

void sockbind_learn(struct sockbind *t, uint8_t family, const uint8_t *addr_in, uint16_t port,
                    int svc, uint64_t ts_us)
{
    uint8_t addr[16];
    norm(addr, family, addr_in);
    size_t b = bucket(t, family, addr, port);
    struct slot *victim = NULL;
    for (size_t i = 0; i < SOCKBIND_PROBE; i++) {
        struct slot *s = &t->slots[(b + i) & t->mask];
        if (s->used && s->family == family && s->port == port &&
            memcmp(s->addr, addr, 16) == 0) {
            victim = s;
            break;
        }
        if (!victim || (victim->used && (!s->used || s->ts_us < victim->ts_us)))
            victim = s;
    }
    if (victim->used && !(victim->family == family && victim->port == port &&
                          memcmp(victim->addr, addr, 16) == 0))
        t->st.replaced++;
    victim->used = true;
    victim->family = family;
    victim->port = port;
    memcpy(victim->addr, addr, 16);
    victim->svc = svc;
    victim->ts_us = ts_us;
    t->st.learned++;
}

int sockbind_find(const struct sockbind *t, uint8_t family, const uint8_t *addr_in, uint16_t port,
                  uint64_t ts_us)
{
    uint8_t addr[16];
    norm(addr, family, addr_in);
    size_t b = bucket(t, family, addr, port);
    for (size_t i = 0; i < SOCKBIND_PROBE; i++) {
        const struct slot *s = &t->slots[(b + i) & t->mask];
        if (!s->used || s->family != family || s->port != port || memcmp(s->addr, addr, 16) != 0)
            continue;
        uint64_t d = s->ts_us > ts_us ? s->ts_us - ts_us : ts_us - s->ts_us;
        return d <= SOCKBIND_WINDOW_US ? s->svc : -1;
    }
    return -1;
}

void sockbind_get_stats(const struct sockbind *t, struct sockbind_stats *out) { *out = t->st; }
