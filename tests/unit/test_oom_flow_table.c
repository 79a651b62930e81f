/* test_oom_flow_table.c - the flow table under allocation failure (SQLite
 * style: fail allocation n for n = 1, 2, ... until the whole operation runs
 * without reaching the failure; each time check for crashes, leaks and
 * consistent counters). */
#include "capture/flow_table.h"

#include <string.h>

#include "tests/failalloc.h"
#include "tests/harness.h"

#define NPKT 6

/* Runs in which the tunnel record's allocation was the one that failed. */
static unsigned tun_failures;

static void on_end(struct flow *f, void *user)
{
    (void)f;
    (*(unsigned *)user)++;
}

static struct pkt_view udp(uint16_t sport, uint64_t ts)
{
    struct pkt_view v;
    memset(&v, 0, sizeof v);
    v.ts_us = ts;
    v.ip_version = 4;
    v.src.family = v.dst.family = 4;
    v.src.a[0] = 192, v.src.a[3] = 1;
    v.dst.a[0] = 198, v.dst.a[3] = 2;
    v.l4proto = L4_UDP;
    v.has_ports = true;
    v.sport = sport;
    v.dport = 53;
    v.wirelen = 80;
    return v;
}

/* One run; returns true when it completed without the injected failure. */
static bool one_run(unsigned long n)
{
    long base = failalloc_live();
    unsigned ended = 0;
    struct flow_table_config c;
    flow_table_config_default(&c);
    c.capacity = 4; /* eviction happens during the run too */
    c.ext_size = 32;
    c.on_end = on_end;
    c.user = &ended;
    struct err e = {""};
    failalloc_after(n);
    struct flow_table *t = flow_table_new(&c, &e);
    if (!t) {
        bool hit = failalloc_hit();
        failalloc_after(0);
        CHECK(hit);
        CHECK(strstr(e.msg, "out of memory") != NULL);
        CHECK_EQ_INT(failalloc_live(), base);
        return false;
    }
    unsigned got = 0;
    for (uint16_t i = 0; i < NPKT; i++) {
        struct pkt_view v = udp((uint16_t)(1000 + i), 1000000u + i);
        enum dir d;
        if (flow_table_packet(t, &v, &d))
            got++;
    }
    /* The same flows again: existing ones need no allocation. */
    struct pkt_view v = udp(1000 + NPKT - 1, 2000000);
    enum dir d;
    flow_table_packet(t, &v, &d);
    /* A GTP-U tunnelled flow: its TEID record is a separate allocation, whose
     * failure keeps the flow and counts the TEID as not kept. */
    struct pkt_view g = udp(2152, 2000001);
    g.tunnel = true;
    g.teid = 0x42;
    g.tun_dst.family = 4;
    g.tun_dst.a[0] = 10, g.tun_dst.a[3] = 9;
    struct flow *gf = flow_table_packet(t, &g, &d);
    bool tun_lost = false;
    if (gf)
        tun_lost = flow_teid(gf, DIR_C2S) != 0x42;
    flow_table_flush(t);
    struct flow_table_stats st;
    flow_table_get_stats(t, &st);
    flow_table_free(t);
    bool hit = failalloc_hit();
    failalloc_after(0);
    CHECK_EQ_INT(st.created + st.dropped_nomem >= NPKT + 1, 1);
    CHECK_EQ_INT(got + st.dropped_nomem >= NPKT, 1);
    CHECK_EQ_INT(ended, st.created);
    CHECK_EQ_INT(st.active, 0);
    CHECK(st.peak <= 4);
    CHECK_EQ_INT(st.dropped_nomem + st.tunnel_nomem > 0, hit);
    CHECK_EQ_INT(tun_lost, st.tunnel_nomem > 0);
    if (st.tunnel_nomem)
        tun_failures++;
    CHECK_EQ_INT(failalloc_live(), base);
    return !hit;
}

TEST(every_allocation_fails_once)
{
    unsigned long n = 1;
    while (!one_run(n) && n < 1000)
        n++;
    CHECK(n < 1000);
    CHECK(tun_failures > 0); /* the tunnel record's failure path was taken */
    printf("flow table: %lu allocation points tried\n", n);
}

/* The bucket array cannot double (every calloc fails once the table
 * exists): chains grow longer and buckets_nomem counts the attempts; at one
 * live flow per bucket new flows are refused (dropped_nomem), so the flush
 * can still sort the live flows in the bucket array.  Every kept flow is
 * found again and ended once, in id order. */
static uint64_t last_id;
static bool out_of_order;

static void on_end_order(struct flow *f, void *user)
{
    if (f->id <= last_id)
        out_of_order = true;
    last_id = f->id;
    (*(unsigned *)user)++;
}

TEST(bucket_doubling_fails)
{
    long base = failalloc_live();
    unsigned ended = 0;
    struct flow_table_config c;
    flow_table_config_default(&c);
    c.capacity = 8192;
    c.ext_size = 32;
    c.on_end = on_end_order;
    c.user = &ended;
    struct err e = {""};
    struct flow_table *t = flow_table_new(&c, &e);
    CHECK(t != NULL);
    failalloc_calloc(true);
    unsigned got = 0;
    for (uint16_t i = 0; i < 1500; i++) {
        struct pkt_view v = udp((uint16_t)(1000 + i), 1000000u + i);
        enum dir d;
        if (flow_table_packet(t, &v, &d))
            got++;
    }
    unsigned again = 0;
    for (uint16_t i = 0; i < 1024; i++) {
        struct pkt_view v = udp((uint16_t)(1000 + i), 2000000u + i);
        enum dir d;
        struct flow *f = flow_table_packet(t, &v, &d);
        if (f && f->id == (uint64_t)i + 1)
            again++;
    }
    bool hit = failalloc_hit();
    failalloc_calloc(false);
    struct flow_table_stats st;
    flow_table_get_stats(t, &st);
    CHECK(hit);
    CHECK_EQ_INT(got, 1024);
    CHECK_EQ_INT(again, 1024);
    CHECK_EQ_INT(st.created, 1024);
    CHECK_EQ_INT(st.dropped_nomem, 1500 - 1024);
    CHECK_EQ_INT(st.buckets, 1024);
    CHECK_EQ_INT(st.buckets_nomem, 1500 - 512);
    last_id = 0;
    out_of_order = false;
    flow_table_flush(t);
    CHECK_EQ_INT(ended, 1024);
    CHECK(!out_of_order);
    flow_table_free(t);
    CHECK_EQ_INT(failalloc_live(), base);
}

int main(void)
{
    RUN(every_allocation_fails_once);
    RUN(bucket_doubling_fails);
    return harness_done();
}
