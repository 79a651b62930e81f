/* test_dnsbind.c - DNS-learned names: binding, TTL expiry by packet time, bounds. */
#include "classify/dnsbind.h"

#include <string.h>

#include "tests/harness.h"

static const uint8_t client[4] = {10, 0, 0, 10}, other[4] = {10, 0, 0, 11};
static const uint8_t srv[4] = {157, 240, 0, 53};

TEST(bind_and_expire)
{
    struct err e;
    struct dnsbind *t = dnsbind_new(64, &e);
    struct meta_name n;
    uint64_t t0 = 1000000000ull;
    dnsbind_add(t, 4, client, 4, srv, "web.whatsapp.com", 60, t0);
    CHECK(dnsbind_lookup(t, 4, client, 4, srv, t0 + 1, &n));
    CHECK_STR(n.s, "web.whatsapp.com");
    CHECK(!dnsbind_lookup(t, 4, other, 4, srv, t0 + 1, &n)); /* per client */
    CHECK(dnsbind_lookup(t, 4, client, 4, srv, t0 + 59999999, &n));
    CHECK(!dnsbind_lookup(t, 4, client, 4, srv, t0 + 60000000, &n)); /* TTL over */
    CHECK(!dnsbind_lookup(t, 4, client, 4, srv, t0 + 1, &n));        /* entry freed */
    struct dnsbind_stats st;
    dnsbind_get_stats(t, &st);
    CHECK_EQ_INT(st.added, 1);
    CHECK_EQ_INT(st.hits, 2);
    CHECK_EQ_INT(st.expired, 1);
    CHECK_EQ_INT(st.misses, 3);
    dnsbind_free(t);
}

TEST(ttl_clamps_and_refresh)
{
    struct err e;
    struct dnsbind *t = dnsbind_new(64, &e);
    struct meta_name n;
    dnsbind_add(t, 4, client, 4, srv, "a.example", 0, 0); /* TTL 0: grace period */
    CHECK(dnsbind_lookup(t, 4, client, 4, srv, (DNSBIND_MIN_TTL_S - 1) * 1000000ull, &n));
    CHECK(!dnsbind_lookup(t, 4, client, 4, srv, DNSBIND_MIN_TTL_S * 1000000ull, &n));
    dnsbind_add(t, 4, client, 4, srv, "a.example", 0xffffffffu, 0); /* capped at one day */
    CHECK(!dnsbind_lookup(t, 4, client, 4, srv, (DNSBIND_MAX_TTL_S + 1) * 1000000ull, &n));
    dnsbind_add(t, 4, client, 4, srv, "a.example", 10, 0);
    dnsbind_add(t, 4, client, 4, srv, "b.example", 10, 5000000); /* refresh: new name */
    CHECK(dnsbind_lookup(t, 4, client, 4, srv, 12000000, &n));
    CHECK_STR(n.s, "b.example");
    uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8};
    dnsbind_add(t, 4, client, 6, v6, "six.example", 10, 0); /* AAAA over an IPv4 resolver */
    CHECK(dnsbind_lookup(t, 4, client, 6, v6, 1, &n));
    CHECK(!dnsbind_lookup(t, 4, client, 4, v6, 1, &n)); /* family is part of the key */
    dnsbind_free(t);
}

TEST(bounded)
{
    struct err e;
    struct dnsbind *t = dnsbind_new(8, &e);
    uint8_t a[4] = {192, 0, 2, 0};
    for (unsigned i = 0; i < 1000; i++) {
        a[3] = (uint8_t)i;
        a[2] = (uint8_t)(i >> 8);
        dnsbind_add(t, 4, client, 4, a, "x.example", 100 + i, 0);
    }
    struct dnsbind_stats st;
    dnsbind_get_stats(t, &st);
    CHECK(st.evicted >= 1000 - 8);
    struct meta_name n;
    a[3] = (uint8_t)999;
    a[2] = (uint8_t)(999 >> 8);
    unsigned live = 0;
    for (unsigned i = 0; i < 1000; i++) {
        a[3] = (uint8_t)i;
        a[2] = (uint8_t)(i >> 8);
        live += dnsbind_lookup(t, 4, client, 4, a, 1, &n);
    }
    CHECK(live <= 8);
    dnsbind_free(t);
}

int main(void)
{
    RUN(bind_and_expire);
    RUN(ttl_clamps_and_refresh);
    RUN(bounded);
    return harness_done();
}
