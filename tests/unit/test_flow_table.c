/* test_flow_table.c - the bounded bidirectional flow table (capture/flow_table.c).
 *
 * Packets are synthetic struct pkt_view values (the decoders are tested on
 * their own); addresses are documentation ranges (RFC 5737, RFC 3849).
 */
#include "capture/flow_table.h"

#include <stdlib.h>
#include <string.h>

#include "tests/harness.h"

#define S(x) ((uint64_t)(x) * 1000000u)
#define MAX_ENDED 64

/* Records every ended flow (a copy, the table frees the original). */
struct ended {
    struct flow f[MAX_ENDED];
    size_t n;
    size_t total;
};

static void on_end(struct flow *f, void *user)
{
    struct ended *e = user;
    if (e->n < MAX_ENDED)
        e->f[e->n++] = *f;
    e->total++;
}

static struct flow_table *mk(struct ended *e, uint32_t capacity)
{
    struct flow_table_config c;
    flow_table_config_default(&c);
    if (capacity)
        c.capacity = capacity;
    c.on_end = on_end;
    c.user = e;
    memcpy(c.hash_key, "unit-test-key-16", 16);
    memset(e, 0, sizeof *e);
    struct err er;
    struct flow_table *t = flow_table_new(&c, &er);
    CHECK(t != NULL);
    return t;
}

/* A table of capacity flows with ext_size bytes each, whose ended flows
 * go to fn. */
static struct flow_table *mk_with(uint32_t capacity, size_t ext_size, flow_end_fn fn, void *user)
{
    struct flow_table_config c;
    flow_table_config_default(&c);
    c.capacity = capacity;
    c.ext_size = ext_size;
    c.on_end = fn;
    c.user = user;
    memcpy(c.hash_key, "unit-test-key-16", 16);
    struct flow_table *t = flow_table_new(&c, NULL);
    CHECK(t != NULL);
    return t;
}

static void v4(struct ip_addr *a, uint32_t ip)
{
    memset(a, 0, sizeof *a);
    a->family = 4;
    a->a[0] = (uint8_t)(ip >> 24);
    a->a[1] = (uint8_t)(ip >> 16);
    a->a[2] = (uint8_t)(ip >> 8);
    a->a[3] = (uint8_t)ip;
}

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))
#define CLI IP(192, 0, 2, 10)   /* the lower address: endpoint a */
#define SRV IP(198, 51, 100, 7) /* the higher address: endpoint b */

static struct pkt_view pkt(uint8_t proto, uint32_t src, uint16_t sp, uint32_t dst, uint16_t dp,
                           uint64_t ts, uint8_t flags)
{
    struct pkt_view v;
    memset(&v, 0, sizeof v);
    v.ts_us = ts;
    v.ip_version = 4;
    v4(&v.src, src);
    v4(&v.dst, dst);
    v.l4proto = proto;
    v.has_ports = proto == L4_TCP || proto == L4_UDP || proto == L4_SCTP;
    v.sport = sp;
    v.dport = dp;
    v.tcp_flags = flags;
    v.wirelen = 100;
    v.caplen = 100;
    return v;
}

static struct flow *feed(struct flow_table *t, struct pkt_view v, enum dir *d)
{
    enum dir dd;
    return flow_table_packet(t, &v, d ? d : &dd);
}

TEST(canonical_key_both_directions)
{
    struct pkt_view a = pkt(L4_TCP, CLI, 40000, SRV, 443, S(1), TCPF_SYN);
    struct pkt_view b = pkt(L4_TCP, SRV, 443, CLI, 40000, S(1), TCPF_SYN | TCPF_ACK);
    struct flow_key ka, kb;
    bool sa, sb;
    CHECK(flow_table_key(&a, &ka, &sa));
    CHECK(flow_table_key(&b, &kb, &sb));
    CHECK(memcmp(&ka, &kb, sizeof ka) == 0);
    CHECK(sa != sb);
    CHECK(sa); /* 192.0.2.10 < 198.51.100.7 */
    /* Same address, ports decide the order. */
    struct pkt_view c = pkt(L4_UDP, CLI, 9, CLI, 5, S(1), 0);
    struct flow_key kc;
    bool sc;
    CHECK(flow_table_key(&c, &kc, &sc));
    CHECK(!sc);
    CHECK_EQ_INT(kc.port_a, 5);

    struct ended e;
    struct flow_table *t = mk(&e, 0);
    enum dir d1, d2;
    struct flow *f1 = feed(t, a, &d1);
    uint64_t id = f1->id;
    struct flow *f2 = feed(t, b, &d2);
    CHECK(f2 != NULL && f2->id == id);
    CHECK_EQ_INT(d1, DIR_C2S);
    CHECK_EQ_INT(d2, DIR_S2C);
    CHECK_EQ_INT(f2->pkts[DIR_C2S], 1);
    CHECK_EQ_INT(f2->pkts[DIR_S2C], 1);
    CHECK_EQ_INT(f2->bytes[DIR_S2C], 100);
    flow_table_free(t);
}

/* Endpoint a is the pair whose address sorts first byte by byte (memcmp),
 * then the lower port: both halves of an IPv6 address, every byte position
 * and the port tie-break, in both packet directions. */
TEST(canonical_order_is_bytewise)
{
    uint32_t seed = 12345;
    for (int n = 0; n < 2000; n++) {
        struct pkt_view v = pkt(L4_UDP, 0, 0, 0, 0, S(1), 0);
        v.ip_version = 6;
        v.src.family = v.dst.family = 6;
        for (int i = 0; i < 16; i++) {
            seed = seed * 1103515245u + 12345u;
            v.src.a[i] = v.dst.a[i] = (uint8_t)(seed >> 16);
        }
        seed = seed * 1103515245u + 12345u;
        int at = (int)(seed >> 16) % 17; /* 16: same address */
        if (at < 16)
            v.dst.a[at] = (uint8_t)(v.src.a[at] ^ (1u << (seed >> 8) % 8));
        v.sport = (uint16_t)(seed >> 3);
        v.dport = (uint16_t)(seed >> 11);
        int c = memcmp(v.src.a, v.dst.a, 16);
        bool want = c < 0 || (c == 0 && v.sport <= v.dport);
        struct flow_key k;
        bool src_is_a;
        CHECK(flow_table_key(&v, &k, &src_is_a));
        CHECK(src_is_a == want);
        CHECK(memcmp(k.a, want ? v.src.a : v.dst.a, 16) == 0);
        CHECK_EQ_INT(k.port_a, want ? v.sport : v.dport);
    }
}

/* IPv4 flows whose keys differ in a single byte (either address, a port,
 * the protocol, a VLAN, a tunnel) are separate flows, each found again by
 * its next packet: the hash of an IPv4 key covers every byte that can
 * differ. */
TEST(ipv4_keys_differing_in_one_byte)
{
    struct ended e;
    struct flow_table *t = mk(&e, 0);
    struct pkt_view base = pkt(L4_UDP, CLI, 40000, SRV, 53, S(1), 0);
    struct pkt_view vs[16];
    size_t nv = 0;
    vs[nv++] = base;
    for (int i = 0; i < 4; i++) {
        struct pkt_view v = base;
        v.src.a[i] ^= 0x40;
        vs[nv++] = v;
        v = base;
        v.dst.a[i] ^= 0x01;
        vs[nv++] = v;
    }
    struct pkt_view v = base;
    v.sport ^= 0x100;
    vs[nv++] = v;
    v = base;
    v.dport ^= 1;
    vs[nv++] = v;
    v = base;
    v.l4proto = L4_TCP;
    vs[nv++] = v;
    v = base;
    v.vlan_outer = 7;
    vs[nv++] = v;
    v = base;
    v.tunnel = true;
    v4(&v.tun_src, IP(203, 0, 113, 1));
    v4(&v.tun_dst, IP(203, 0, 113, 2));
    vs[nv++] = v;
    uint64_t id[16];
    for (size_t i = 0; i < nv; i++) {
        struct flow *f = feed(t, vs[i], NULL);
        CHECK(f != NULL);
        id[i] = f ? f->id : 0;
        CHECK_EQ_INT(id[i], i + 1);
    }
    for (size_t i = 0; i < nv; i++) {
        struct flow *f = feed(t, vs[i], NULL);
        CHECK(f != NULL && f->id == id[i]);
        CHECK(f != NULL && f->pkts[DIR_C2S] == 2);
    }
    flow_table_free(t);
}

TEST(client_is_initiator)
{
    struct ended e;
    struct flow_table *t = mk(&e, 0);
    /* First packet from the higher address: it is the client. */
    struct flow *f = feed(t, pkt(L4_UDP, SRV, 5000, CLI, 53, S(1), 0), NULL);
    CHECK(!f->client_is_a);
    CHECK_EQ_INT(flow_client_port(f), 5000);
    CHECK_EQ_INT(flow_server_port(f), 53);
    CHECK(memcmp(flow_client_addr(f), f->key.b, 16) == 0);
    /* First packet is a SYN-ACK from the server: the receiver is the client. */
    enum dir d;
    f = feed(t, pkt(L4_TCP, SRV, 443, CLI, 40001, S(2), TCPF_SYN | TCPF_ACK), &d);
    CHECK_EQ_INT(d, DIR_S2C);
    CHECK_EQ_INT(flow_client_port(f), 40001);
    CHECK_EQ_INT(flow_server_port(f), 443);
    CHECK(!f->saw_syn);
    f = feed(t, pkt(L4_TCP, CLI, 40001, SRV, 443, S(2), TCPF_ACK), &d);
    CHECK_EQ_INT(d, DIR_C2S);
    CHECK_EQ_INT(f->tcp_state, TCP_ESTABLISHED);
    /* First packet mid-session (ACK only) from the server on 443: the port
     * evidence makes the ephemeral side the client (this failed before the
     * fix for issue 14: the sender of the first packet was taken). */
    f = feed(t, pkt(L4_TCP, SRV, 443, CLI, 40002, S(3), TCPF_ACK | TCPF_PSH), &d);
    CHECK_EQ_INT(d, DIR_S2C);
    CHECK_EQ_INT(flow_client_port(f), 40002);
    CHECK_EQ_INT(flow_server_port(f), 443);
    /* A registered service port (5223, Apple push) against an ephemeral one. */
    f = feed(t, pkt(L4_TCP, SRV, 5223, CLI, 50001, S(4), TCPF_ACK), &d);
    CHECK_EQ_INT(d, DIR_S2C);
    CHECK_EQ_INT(flow_server_port(f), 5223);
    /* Equal port evidence (both ephemeral): a server learnt from an earlier
     * handshake decides.  SRV:40100 answered a SYN at S(5). */
    f = feed(t, pkt(L4_TCP, CLI, 40200, SRV, 40100, S(5), TCPF_SYN), &d);
    CHECK_EQ_INT(flow_server_port(f), 40100);
    f = feed(t, pkt(L4_TCP, SRV, 40100, CLI, 40300, S(6), TCPF_ACK), &d);
    CHECK_EQ_INT(d, DIR_S2C);
    CHECK_EQ_INT(flow_client_port(f), 40300);
    /* No evidence at all: the sender of the first packet is the client. */
    f = feed(t, pkt(L4_TCP, SRV, 40400, CLI, 40500, S(7), TCPF_ACK), &d);
    CHECK_EQ_INT(d, DIR_C2S);
    CHECK_EQ_INT(flow_client_port(f), 40400);
    struct flow_table_stats fs;
    flow_table_get_stats(t, &fs);
    CHECK_EQ_INT(fs.role_by_port, 2);
    CHECK_EQ_INT(fs.role_by_learnt, 1);
    CHECK_EQ_INT(fs.role_by_first, 1);
    flow_table_free(t);
}

/* One flow of the given class idles; an unrelated packet moves packet time. */
static void idle_case(uint8_t proto, uint8_t flags, uint64_t timeout_s, enum flow_tclass cls)
{
    struct ended e;
    struct flow_table *t = mk(&e, 0);
    struct pkt_view v = pkt(proto, CLI, 1000, SRV, 2000, S(100), flags);
    struct flow *f = feed(t, v, NULL);
    CHECK(f != NULL);
    CHECK_EQ_INT(f->tclass, cls);
    /* Exactly at the timeout the flow still lives (idle must exceed it). */
    feed(t, pkt(L4_UDP, IP(10, 0, 0, 1), 1, IP(10, 0, 0, 2), 2, S(100 + timeout_s), 0), NULL);
    CHECK_EQ_INT(e.total, 0);
    feed(t, pkt(L4_UDP, IP(10, 0, 0, 1), 1, IP(10, 0, 0, 2), 3, S(100 + timeout_s) + 1, 0),
         NULL);
    CHECK_EQ_INT(e.total, 1);
    CHECK_EQ_INT(e.f[0].end_reason, END_IDLE);
    CHECK_EQ_INT(e.f[0].key.l4proto, proto);
    flow_table_free(t);
}

TEST(idle_timeouts_per_class)
{
    idle_case(L4_UDP, 0, FLOW_TIMEOUT_UDP_S, TCLASS_UDP);
    idle_case(L4_TCP, TCPF_SYN, FLOW_TIMEOUT_TCP_OPENING_S, TCLASS_TCP_OPENING);
    idle_case(L4_TCP, TCPF_ACK, FLOW_TIMEOUT_TCP_EST_S, TCLASS_TCP_EST);
    idle_case(L4_ICMP, 0, FLOW_TIMEOUT_ICMP_S, TCLASS_ICMP);
    idle_case(L4_SCTP, 0, FLOW_TIMEOUT_OTHER_S, TCLASS_OTHER);
}

TEST(configured_timeout_and_explicit_expire)
{
    struct ended e;
    struct flow_table_config c;
    flow_table_config_default(&c);
    c.timeout_us[TCLASS_UDP] = S(5);
    c.on_end = on_end;
    c.user = &e;
    memset(&e, 0, sizeof e);
    struct flow_table *t = flow_table_new(&c, NULL);
    feed(t, pkt(L4_UDP, CLI, 1, SRV, 2, S(10), 0), NULL);
    flow_table_expire(t, S(15));
    CHECK_EQ_INT(e.total, 0);
    flow_table_expire(t, S(16));
    CHECK_EQ_INT(e.total, 1);
    CHECK_EQ_INT(e.f[0].end_reason, END_IDLE);
    /* The TCP default is untouched by the UDP setting. */
    feed(t, pkt(L4_TCP, CLI, 1, SRV, 2, S(20), TCPF_ACK), NULL);
    flow_table_expire(t, S(20 + 300));
    CHECK_EQ_INT(e.total, 1);
    flow_table_free(t);
}

TEST(tcp_fin_both_ways)
{
    struct ended e;
    struct flow_table *t = mk(&e, 0);
    feed(t, pkt(L4_TCP, CLI, 40000, SRV, 80, S(1), TCPF_SYN), NULL);
    feed(t, pkt(L4_TCP, SRV, 80, CLI, 40000, S(1), TCPF_SYN | TCPF_ACK), NULL);
    struct flow *f = feed(t, pkt(L4_TCP, CLI, 40000, SRV, 80, S(1), TCPF_ACK), NULL);
    CHECK_EQ_INT(f->tcp_state, TCP_ESTABLISHED);
    f = feed(t, pkt(L4_TCP, CLI, 40000, SRV, 80, S(2), TCPF_FIN | TCPF_ACK), NULL);
    CHECK_EQ_INT(f->tcp_state, TCP_CLOSING);
    f = feed(t, pkt(L4_TCP, SRV, 80, CLI, 40000, S(2), TCPF_FIN | TCPF_ACK), NULL);
    CHECK_EQ_INT(f->tcp_state, TCP_CLOSED);
    CHECK_EQ_INT(f->tclass, TCLASS_TCP_CLOSED);
    /* The trailing ACK stays on the same flow. */
    f = feed(t, pkt(L4_TCP, CLI, 40000, SRV, 80, S(2), TCPF_ACK), NULL);
    CHECK_EQ_INT(f->pkts[DIR_C2S], 4);
    CHECK_EQ_INT(e.total, 0);
    /* After the linger time it ends as FIN, not idle. */
    flow_table_expire(t, S(2 + FLOW_TIMEOUT_TCP_CLOSED_S) + 1);
    CHECK_EQ_INT(e.total, 1);
    CHECK_EQ_INT(e.f[0].end_reason, END_FIN);
    struct flow_table_stats st;
    flow_table_get_stats(t, &st);
    CHECK_EQ_INT(st.ended[END_FIN], 1);
    CHECK_EQ_INT(st.ended[END_IDLE], 0);
    flow_table_free(t);

    /* A FIN from one side only is not a close. */
    t = mk(&e, 0);
    feed(t, pkt(L4_TCP, CLI, 40000, SRV, 80, S(1), TCPF_ACK), NULL);
    feed(t, pkt(L4_TCP, CLI, 40000, SRV, 80, S(2), TCPF_FIN | TCPF_ACK), NULL);
    feed(t, pkt(L4_TCP, CLI, 40000, SRV, 80, S(3), TCPF_FIN | TCPF_ACK), NULL);
    flow_table_flush(t);
    CHECK_EQ_INT(e.f[0].end_reason, END_SHUTDOWN);
    flow_table_free(t);
}

TEST(tcp_rst)
{
    struct ended e;
    struct flow_table *t = mk(&e, 0);
    feed(t, pkt(L4_TCP, CLI, 40000, SRV, 80, S(1), TCPF_SYN), NULL);
    struct flow *f = feed(t, pkt(L4_TCP, SRV, 80, CLI, 40000, S(1), TCPF_RST | TCPF_ACK), NULL);
    CHECK_EQ_INT(f->tcp_state, TCP_CLOSED);
    flow_table_flush(t);
    CHECK_EQ_INT(e.total, 1);
    CHECK_EQ_INT(e.f[0].end_reason, END_RST);
    CHECK_EQ_INT(e.f[0].pkts[DIR_S2C], 1);
    flow_table_free(t);
}

TEST(port_reuse)
{
    struct ended e;
    struct flow_table *t = mk(&e, 0);
    struct pkt_view syn = pkt(L4_TCP, CLI, 40000, SRV, 80, S(1), TCPF_SYN);
    syn.tcp_seq = 1000;
    struct flow *f = feed(t, syn, NULL);
    uint64_t id1 = f->id;
    /* A retransmitted SYN (same ISN) is the same session. */
    syn.ts_us = S(2);
    f = feed(t, syn, NULL);
    CHECK_EQ_INT(f->id, id1);
    CHECK_EQ_INT(f->pkts[DIR_C2S], 2);
    feed(t, pkt(L4_TCP, SRV, 80, CLI, 40000, S(2), TCPF_SYN | TCPF_ACK), NULL);
    feed(t, pkt(L4_TCP, CLI, 40000, SRV, 80, S(2), TCPF_ACK), NULL);
    feed(t, pkt(L4_TCP, CLI, 40000, SRV, 80, S(3), TCPF_FIN | TCPF_ACK), NULL);
    feed(t, pkt(L4_TCP, SRV, 80, CLI, 40000, S(3), TCPF_FIN | TCPF_ACK), NULL);
    CHECK_EQ_INT(e.total, 0);
    /* SYN on the closed tuple: the old session ends (as FIN), a new one starts. */
    syn.ts_us = S(4);
    syn.tcp_seq = 5000;
    f = feed(t, syn, NULL);
    CHECK(f->id != id1);
    uint64_t id2 = f->id;
    CHECK_EQ_INT(e.total, 1);
    CHECK_EQ_INT(e.f[0].id, id1);
    CHECK_EQ_INT(e.f[0].end_reason, END_FIN);
    CHECK_EQ_INT(f->pkts[DIR_C2S], 1);
    CHECK_EQ_INT(f->pkts[DIR_S2C], 0);
    /* Established, then a SYN with a new ISN without a close: END_REUSED. */
    feed(t, pkt(L4_TCP, SRV, 80, CLI, 40000, S(4), TCPF_SYN | TCPF_ACK), NULL);
    feed(t, pkt(L4_TCP, CLI, 40000, SRV, 80, S(4), TCPF_ACK), NULL);
    syn.ts_us = S(5);
    syn.tcp_seq = 9000;
    f = feed(t, syn, NULL);
    CHECK(f->id != id2);
    CHECK_EQ_INT(e.total, 2);
    CHECK_EQ_INT(e.f[1].id, id2);
    CHECK_EQ_INT(e.f[1].end_reason, END_REUSED);
    /* A SYN from the server side of an established session is not reuse. */
    feed(t, pkt(L4_TCP, SRV, 80, CLI, 40000, S(5), TCPF_SYN | TCPF_ACK), NULL);
    feed(t, pkt(L4_TCP, CLI, 40000, SRV, 80, S(5), TCPF_ACK), NULL);
    struct pkt_view ssyn = pkt(L4_TCP, SRV, 80, CLI, 40000, S(6), TCPF_SYN);
    ssyn.tcp_seq = 77;
    uint64_t id3 = f->id;
    f = feed(t, ssyn, NULL);
    CHECK_EQ_INT(f->id, id3);
    CHECK_EQ_INT(e.total, 2);
    struct flow_table_stats st;
    flow_table_get_stats(t, &st);
    CHECK_EQ_INT(st.ended[END_REUSED], 1);
    CHECK_EQ_INT(st.created, 3);
    flow_table_free(t);
}

TEST(capacity_evicts_oldest_idle)
{
    struct ended e;
    struct flow_table *t = mk(&e, 3);
    feed(t, pkt(L4_UDP, CLI, 1, SRV, 53, S(1), 0), NULL);      /* id 1 */
    feed(t, pkt(L4_TCP, CLI, 2, SRV, 80, S(2), TCPF_ACK), NULL); /* id 2 */
    feed(t, pkt(L4_UDP, CLI, 3, SRV, 53, S(3), 0), NULL);      /* id 3 */
    /* Touch flow 1: flow 2 is now the oldest idle, whatever its class. */
    feed(t, pkt(L4_UDP, SRV, 53, CLI, 1, S(4), 0), NULL);
    struct flow *f = feed(t, pkt(L4_UDP, CLI, 4, SRV, 53, S(5), 0), NULL);
    CHECK(f != NULL);
    CHECK_EQ_INT(f->id, 4);
    CHECK_EQ_INT(e.total, 1);
    CHECK_EQ_INT(e.f[0].id, 2);
    CHECK_EQ_INT(e.f[0].end_reason, END_EVICTED);
    struct flow_table_stats st;
    flow_table_get_stats(t, &st);
    CHECK_EQ_INT(st.evicted, 1);
    CHECK_EQ_INT(st.ended[END_EVICTED], 1);
    CHECK_EQ_INT(st.active, 3);
    CHECK_EQ_INT(st.peak, 3);
    flow_table_free(t);
}

TEST(bad_capacity)
{
    struct flow_table_config c;
    struct err er = {""};
    flow_table_config_default(&c);
    c.capacity = 0;
    CHECK(flow_table_new(&c, &er) == NULL);
    CHECK(strstr(er.msg, "capacity") != NULL);
    c.capacity = FLOW_MAX_CAPACITY + 1;
    CHECK(flow_table_new(&c, NULL) == NULL);
    flow_table_free(NULL);
}

static void collect_ids(struct flow *f, void *user)
{
    struct ended *e = user;
    if (e->n < MAX_ENDED)
        e->f[e->n++] = *f;
    e->total++;
}

/* Ended flows' slots are reused last-freed first, so the slabs no longer
 * hold flows in creation order: the walk and the flush still go by id. */
TEST(flush_and_walk_in_id_order_after_reuse)
{
    struct ended e;
    struct flow_table *t = mk(&e, 0);
    for (uint16_t p = 1; p <= 6; p++)
        feed(t, pkt(L4_UDP, CLI, p, SRV, 53, S(1), 0), NULL);
    /* Flows 1, 3, 5 and 6 stay active; 2 and 4 go idle and expire. */
    for (uint64_t s = 30; s <= 600; s += 30)
        for (uint16_t p = 1; p <= 6; p += (p == 1 || p == 3) ? 2 : 1)
            feed(t, pkt(L4_UDP, CLI, p, SRV, 53, S(s), 0), NULL);
    CHECK_EQ_INT(e.total, 2);
    /* Two new flows take the freed slots (4's, then 2's). */
    struct flow *a = feed(t, pkt(L4_UDP, CLI, 7, SRV, 53, S(601), 0), NULL);
    struct flow *b = feed(t, pkt(L4_UDP, CLI, 8, SRV, 53, S(601), 0), NULL);
    CHECK(a && b && a->id == 7 && b->id == 8);
    CHECK(b && a && (uintptr_t)b < (uintptr_t)a); /* slab order is no longer id order */
    struct ended w;
    memset(&w, 0, sizeof w);
    flow_table_walk(t, collect_ids, &w);
    static const uint64_t want[] = {1, 3, 5, 6, 7, 8};
    CHECK_EQ_INT(w.n, 6);
    for (size_t i = 0; i < w.n && i < 6; i++)
        CHECK_EQ_INT(w.f[i].id, want[i]);
    size_t before = e.n;
    flow_table_flush(t);
    CHECK_EQ_INT(e.n - before, 6);
    for (size_t i = 0; i < 6 && before + i < e.n; i++)
        CHECK_EQ_INT(e.f[before + i].id, want[i]);
    flow_table_free(t);
}

/* flow_table_flush_ex's progress: each call's `below` is a promise that
 * every flow with a smaller id has ended; it is called before the first,
 * after every `every` and at the end, and only grows. */
struct progress {
    struct ended *e;
    uint64_t below[16];
    size_t n;
    int broken; /* calls whose promise did not hold */
};

static void on_progress(uint64_t below, void *user)
{
    struct progress *pr = user;
    /* the flows ended so far are exactly the ones below `below` among
     * the live ones at the flush (ids 2..9 live, 1 ended before) */
    size_t want = below > 2 ? (size_t)(below - 2) : 0;
    if (want > 8)
        want = 8;
    if (pr->e->n != 1 + want || (pr->n && below < pr->below[pr->n - 1]))
        pr->broken++;
    for (size_t i = 1; i < pr->e->n; i++)
        if (pr->e->f[i].id >= below)
            pr->broken++;
    if (pr->n < 16)
        pr->below[pr->n++] = below;
}

TEST(flush_progress_marks)
{
    struct ended e;
    struct flow_table *t = mk(&e, 0);
    for (uint32_t i = 0; i < 9; i++)
        feed(t, pkt(L4_UDP, CLI, (uint16_t)(40000 + i), SRV, 53, S(1), 0), NULL);
    /* flow 1 ends before the flush (idle) while the others stay */
    for (uint32_t i = 1; i < 9; i++)
        feed(t, pkt(L4_UDP, CLI, (uint16_t)(40000 + i), SRV, 53, S(100), 0), NULL);
    flow_table_expire(t, S(302));
    flow_table_expire(t, S(303)); /* a jump is taken when the next call confirms it */
    CHECK_EQ_INT((int)e.n, 1);
    CHECK_EQ_INT(e.f[0].id, 1);
    struct progress pr = {.e = &e};
    flow_table_flush_ex(t, 3, on_progress, &pr);
    CHECK_EQ_INT(pr.broken, 0);
    CHECK_EQ_INT((int)e.n, 9);
    /* before: 2 (oldest live); after 3, 6 flows: 5, 8; the end: 10 */
    CHECK_EQ_INT((int)pr.n, 4);
    CHECK_EQ_INT(pr.below[0], 2);
    CHECK_EQ_INT(pr.below[1], 5);
    CHECK_EQ_INT(pr.below[2], 8);
    CHECK_EQ_INT(pr.below[3], 10);
    flow_table_free(t);
}

TEST(flush_and_walk_in_id_order)
{
    struct ended e;
    struct flow_table *t = mk(&e, 0);
    /* Creation order differs from hash order and from activity order. */
    for (uint16_t p = 10; p > 0; p--)
        feed(t, pkt(L4_UDP, CLI, p, SRV, 53, S(20 - p), 0), NULL);
    feed(t, pkt(L4_UDP, CLI, 10, SRV, 53, S(30), 0), NULL); /* id 1 most recent */
    struct ended w;
    memset(&w, 0, sizeof w);
    flow_table_walk(t, collect_ids, &w);
    CHECK_EQ_INT(w.total, 10);
    CHECK_EQ_INT(e.total, 0);
    for (size_t i = 0; i < w.n; i++)
        CHECK_EQ_INT(w.f[i].id, i + 1);
    flow_table_flush(t);
    CHECK_EQ_INT(e.total, 10);
    for (size_t i = 0; i < e.n; i++) {
        CHECK_EQ_INT(e.f[i].id, i + 1);
        CHECK_EQ_INT(e.f[i].end_reason, END_SHUTDOWN);
    }
    struct flow_table_stats st;
    flow_table_get_stats(t, &st);
    CHECK_EQ_INT(st.active, 0);
    CHECK_EQ_INT(st.ended[END_SHUTDOWN], 10);
    /* The table is usable after a flush; ids keep increasing. */
    struct flow *f = feed(t, pkt(L4_UDP, CLI, 1, SRV, 53, S(40), 0), NULL);
    CHECK_EQ_INT(f->id, 11);
    flow_table_free(t);
}

TEST(stats_and_no_flow)
{
    struct ended e;
    struct flow_table *t = mk(&e, 0);
    struct pkt_view v = pkt(L4_UDP, CLI, 1, SRV, 53, S(1), 0);
    enum dir d;
    feed(t, v, NULL);
    /* Non-first fragment: no ports, no flow. */
    struct pkt_view fr = v;
    fr.frag = true;
    fr.frag_first = false;
    fr.has_ports = false;
    CHECK(flow_table_packet(t, &fr, &d) == NULL);
    /* First fragment carries the ports: it belongs to the flow. */
    fr.frag_first = true;
    fr.has_ports = true;
    CHECK(flow_table_packet(t, &fr, &d) != NULL);
    /* No IP layer. */
    struct pkt_view noip;
    memset(&noip, 0, sizeof noip);
    noip.ts_us = S(2);
    CHECK(flow_table_packet(t, &noip, &d) == NULL);
    struct flow_table_stats st;
    flow_table_get_stats(t, &st);
    CHECK_EQ_INT(st.created, 1);
    CHECK_EQ_INT(st.no_flow, 2);
    CHECK_EQ_INT(st.active, 1);
    CHECK_EQ_INT(st.peak, 1);
    CHECK_EQ_INT(st.dropped_nomem, 0);
    flow_table_free(t);
}

TEST(ipv6)
{
    struct ended e;
    struct flow_table *t = mk(&e, 0);
    struct pkt_view v = pkt(L4_TCP, 0, 50000, 0, 443, S(1), TCPF_SYN);
    v.ip_version = 6;
    static const uint8_t c6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
    static const uint8_t s6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};
    v.src.family = v.dst.family = 6;
    memcpy(v.src.a, s6, 16); /* the client has the higher address */
    memcpy(v.dst.a, c6, 16);
    enum dir d;
    struct flow *f = feed(t, v, &d);
    CHECK(f != NULL);
    CHECK_EQ_INT(f->key.family, 6);
    CHECK(!f->client_is_a);
    CHECK(memcmp(flow_client_addr(f), s6, 16) == 0);
    struct pkt_view r = v;
    memcpy(r.src.a, c6, 16);
    memcpy(r.dst.a, s6, 16);
    r.sport = 443;
    r.dport = 50000;
    r.tcp_flags = TCPF_SYN | TCPF_ACK;
    f = feed(t, r, &d);
    CHECK_EQ_INT(d, DIR_S2C);
    CHECK_EQ_INT(f->id, 1);
    /* The same low bytes as IPv4 are a different flow. */
    struct pkt_view w = pkt(L4_TCP, 0x20010db8, 50000, 0x20010db8, 443, S(1), TCPF_SYN);
    f = feed(t, w, &d);
    CHECK_EQ_INT(f->id, 2);
    flow_table_free(t);
}

TEST(vlan_and_tunnel_separate_flows)
{
    struct ended e;
    struct flow_table *t = mk(&e, 0);
    struct pkt_view v = pkt(L4_UDP, CLI, 1, SRV, 53, S(1), 0);
    CHECK_EQ_INT(feed(t, v, NULL)->id, 1);
    v.vlan_outer = 10;
    CHECK_EQ_INT(feed(t, v, NULL)->id, 2);
    v.vlan_inner = 20;
    CHECK_EQ_INT(feed(t, v, NULL)->id, 3);
    struct flow *f = feed(t, v, NULL);
    CHECK_EQ_INT(f->id, 3);
    CHECK_EQ_INT(f->key.vlan, 10u << 12 | 20u);
    CHECK_EQ_INT(f->vlan_outer, 10);
    CHECK_EQ_INT(f->vlan_inner, 20);
    /* Outer 20 / inner 10 is not outer 10 / inner 20. */
    v.vlan_outer = 20;
    v.vlan_inner = 10;
    CHECK_EQ_INT(feed(t, v, NULL)->id, 4);
    /* The same inner packet in two tunnels (different outer endpoints). */
    v.vlan_outer = v.vlan_inner = 0;
    v.tunnel = true;
    v.teid = 0x11;
    v4(&v.tun_src, IP(203, 0, 113, 1));
    v4(&v.tun_dst, IP(203, 0, 113, 2));
    CHECK_EQ_INT(feed(t, v, NULL)->id, 5);
    v4(&v.tun_dst, IP(203, 0, 113, 3));
    CHECK_EQ_INT(feed(t, v, NULL)->id, 6);
    flow_table_free(t);
}

TEST(gtp_teid_per_direction)
{
    struct ended e;
    struct flow_table *t = mk(&e, 0);
    /* Uplink: eNB 203.0.113.1 -> SGW 203.0.113.2, TEID 0x100. */
    struct pkt_view up = pkt(L4_TCP, CLI, 40000, SRV, 443, S(1), TCPF_SYN);
    up.tunnel = true;
    up.teid = 0x100;
    v4(&up.tun_src, IP(203, 0, 113, 1));
    v4(&up.tun_dst, IP(203, 0, 113, 2));
    /* Downlink: outer endpoints reversed, TEID 0x200. */
    struct pkt_view dn = pkt(L4_TCP, SRV, 443, CLI, 40000, S(1), TCPF_SYN | TCPF_ACK);
    dn.tunnel = true;
    dn.teid = 0x200;
    v4(&dn.tun_src, IP(203, 0, 113, 2));
    v4(&dn.tun_dst, IP(203, 0, 113, 1));
    enum dir d;
    struct flow *f = feed(t, up, &d);
    CHECK(f->key.tunnel != 0);
    f = feed(t, dn, &d);
    CHECK_EQ_INT(d, DIR_S2C);
    CHECK_EQ_INT(f->id, 1);
    CHECK_EQ_INT(flow_teid(f, DIR_C2S), 0x100);
    CHECK_EQ_INT(flow_teid(f, DIR_S2C), 0x200);
    /* The first TEID seen per direction is kept. */
    up.teid = 0x999;
    f = feed(t, up, &d);
    CHECK_EQ_INT(flow_teid(f, DIR_C2S), 0x100);
    /* The untunnelled packet is another flow. */
    struct pkt_view plain = pkt(L4_TCP, CLI, 40000, SRV, 443, S(1), TCPF_SYN);
    f = feed(t, plain, &d);
    CHECK_EQ_INT(f->id, 2);
    CHECK_EQ_INT(flow_teid(f, 0), 0);
    flow_table_free(t);
}

TEST(out_of_order_timestamps)
{
    struct ended e;
    struct flow_table *t = mk(&e, 0);
    feed(t, pkt(L4_UDP, CLI, 1, SRV, 53, S(1000), 0), NULL);
    /* A packet from the past: no unsigned underflow, no expiry storm. */
    struct flow *f = feed(t, pkt(L4_UDP, SRV, 53, CLI, 1, S(10), 0), NULL);
    CHECK_EQ_INT(f->first_us, S(10));
    CHECK_EQ_INT(f->last_us, S(1000));
    CHECK_EQ_INT(e.total, 0);
    /* A new flow created in the past, then time goes back further. */
    feed(t, pkt(L4_UDP, CLI, 2, SRV, 53, S(5), 0), NULL);
    flow_table_expire(t, S(1));
    flow_table_expire(t, 0);
    CHECK_EQ_INT(e.total <= 1, 1);
    for (size_t i = 0; i < e.n; i++)
        CHECK(e.f[i].last_us <= S(1000));
    /* Time far ahead ends everything idle, counted once each. */
    flow_table_expire(t, S(1000) + S(FLOW_TIMEOUT_UDP_S) + 1);
    flow_table_expire(t, S(1000) + S(FLOW_TIMEOUT_UDP_S) + 2);
    CHECK_EQ_INT(e.total, 2);
    struct flow_table_stats st;
    flow_table_get_stats(t, &st);
    CHECK_EQ_INT(st.active, 0);
    CHECK_EQ_INT(st.ended[END_IDLE], 2);
    flow_table_free(t);
}

/* A packet handed on late (the first fragment of a datagram that never
 * completed, capture/ipfrag.h) is not the flow's last packet: the last
 * packet's provenance stays; the first's moves only when it is earlier. */
TEST(late_packet_provenance)
{
    struct ended e;
    struct flow_table *t = mk(&e, 0);
    struct pkt_view v = pkt(L4_UDP, CLI, 1, SRV, 53, S(10), 0);
    v.src_frame = 5;
    struct flow *f = feed(t, v, NULL);
    CHECK_EQ_INT(f->first_frame, 5);
    CHECK_EQ_INT(f->last_frame, 5);
    v = pkt(L4_UDP, SRV, 53, CLI, 1, S(12), 0);
    v.src_frame = 9;
    feed(t, v, NULL);
    v = pkt(L4_UDP, CLI, 1, SRV, 53, S(11), 0); /* late, between the two */
    v.src_frame = 7;
    v.late = true;
    feed(t, v, NULL);
    CHECK_EQ_INT(f->first_frame, 5);
    CHECK_EQ_INT(f->last_frame, 9);
    CHECK_EQ_INT(f->pkts[DIR_C2S], 2);
    v.ts_us = S(9); /* late and earlier than the first */
    v.src_frame = 3;
    feed(t, v, NULL);
    CHECK_EQ_INT(f->first_frame, 3);
    CHECK_EQ_INT(f->first_us, S(9));
    CHECK_EQ_INT(f->last_frame, 9);
    /* A flow a late packet creates has it as first and last. */
    v = pkt(L4_UDP, CLI, 2, SRV, 53, S(8), 0);
    v.src_frame = 2;
    v.late = true;
    f = feed(t, v, NULL);
    CHECK_EQ_INT(f->first_frame, 2);
    CHECK_EQ_INT(f->last_frame, 2);
    flow_table_free(t);
}

TEST(expire_budget_is_bounded)
{
    struct ended e;
    struct flow_table *t = mk(&e, 0);
    for (uint16_t p = 1; p <= 3 * FLOW_EXPIRE_BUDGET; p++)
        feed(t, pkt(L4_UDP, CLI, p, SRV, 53, S(1), 0), NULL);
    /* A jump beyond FLOW_CLOCK_MAX_JUMP_S is taken on the second call. */
    flow_table_expire(t, S(1 + FLOW_TIMEOUT_UDP_S));
    CHECK_EQ_INT(e.total, 0);
    flow_table_expire(t, S(1 + FLOW_TIMEOUT_UDP_S) + 1);
    CHECK_EQ_INT(e.total, FLOW_EXPIRE_BUDGET);
    flow_table_expire(t, S(1 + FLOW_TIMEOUT_UDP_S) + 1);
    flow_table_expire(t, S(1 + FLOW_TIMEOUT_UDP_S) + 1);
    CHECK_EQ_INT(e.total, 3 * FLOW_EXPIRE_BUDGET);
    flow_table_free(t);
}

TEST(far_future_outlier_does_not_age_flows)
{
    /* One TCP session of 99 packets 1 s apart, with one UDP packet whose
     * timestamp is 95 years ahead in the middle (a corrupt record). */
    struct ended e;
    struct flow_table *t = mk(&e, 0);
    const uint64_t base = S(1000000000);
    for (int i = 0; i < 100; i++) {
        struct pkt_view v = pkt(L4_TCP, CLI, 40000, SRV, 443, base + S(i), TCPF_ACK);
        if (i == 10)
            v = pkt(L4_UDP, CLI, 7, SRV, 7, S(4000000000), 0);
        feed(t, v, NULL);
    }
    struct flow_table_stats st;
    flow_table_get_stats(t, &st);
    CHECK_EQ_INT(st.created, 2);
    CHECK_EQ_INT(st.ended[END_IDLE], 0);
    flow_table_flush(t);
    CHECK_EQ_INT(e.total, 2);
    CHECK_EQ_INT(e.f[0].pkts[DIR_C2S], 99);
    CHECK_EQ_INT(e.f[1].last_us, S(4000000000)); /* its own time is reported as seen */
    flow_table_free(t);
}

TEST(genuine_gap_expires_idle_flows_only)
{
    struct ended e;
    struct flow_table *t = mk(&e, 0);
    feed(t, pkt(L4_UDP, CLI, 5353, SRV, 53, S(1), 0), NULL);
    feed(t, pkt(L4_UDP, SRV, 53, CLI, 5353, S(1) + 10000, 0), NULL);
    /* An hour later a TCP session opens: its first packet is held, the
     * second confirms the new time; the DNS flow ends idle, the TCP session
     * stays one flow. */
    struct pkt_view syn = pkt(L4_TCP, CLI, 40000, SRV, 443, S(3601), TCPF_SYN);
    syn.tcp_seq = 1;
    feed(t, syn, NULL);
    CHECK_EQ_INT(e.total, 0);
    feed(t, pkt(L4_TCP, SRV, 443, CLI, 40000, S(3601) + 50000, TCPF_SYN | TCPF_ACK), NULL);
    CHECK_EQ_INT(e.total, 1);
    CHECK_EQ_INT(e.f[0].end_reason, END_IDLE);
    CHECK_EQ_INT(e.f[0].key.l4proto, L4_UDP);
    struct flow *f = feed(t, pkt(L4_TCP, CLI, 40000, SRV, 443, S(3601) + 60000, TCPF_ACK), NULL);
    CHECK_EQ_INT(f->pkts[DIR_C2S], 2);
    CHECK_EQ_INT(f->pkts[DIR_S2C], 1);
    struct flow_table_stats st;
    flow_table_get_stats(t, &st);
    CHECK_EQ_INT(st.created, 2);
    /* The held flow may end before its jump is resolved (flush): no dangling
     * reference is left behind (ASan checks). */
    feed(t, pkt(L4_UDP, CLI, 1, SRV, 2, S(9000), 0), NULL);
    flow_table_flush(t);
    feed(t, pkt(L4_UDP, CLI, 1, SRV, 2, S(9001), 0), NULL);
    flow_table_flush(t);
    flow_table_get_stats(t, &st);
    CHECK_EQ_INT(st.active, 0);
    flow_table_free(t);
}

static void count_only(struct flow *f, void *user)
{
    (void)f;
    (*(uint64_t *)user)++;
}

TEST(memory_bounded_million_flows)
{
    uint64_t ended = 0;
    struct flow_table *t = mk_with(1000, 64, count_only, &ended);
    struct flow_table_stats st;
    bool over = false;
    /* 1M distinct UDP flows, 1 ms apart: far more than capacity, far less
     * than the UDP idle timeout, so the table must evict to stay bounded. */
    for (uint32_t i = 0; i < 1000000; i++) {
        struct pkt_view v = pkt(L4_UDP, IP(10, 0, 0, 0) | (i >> 16), (uint16_t)i, SRV, 53,
                                S(1) + (uint64_t)i * 1000, 0);
        enum dir d;
        if (!flow_table_packet(t, &v, &d))
            over = true;
        if ((i & 1023) == 0) {
            flow_table_get_stats(t, &st);
            if (st.active > 1000)
                over = true;
        }
    }
    CHECK(!over);
    flow_table_get_stats(t, &st);
    CHECK_EQ_INT(st.active, 1000);
    CHECK_EQ_INT(st.peak, 1000);
    CHECK_EQ_INT(st.created, 1000000);
    CHECK_EQ_INT(st.evicted, 1000000 - 1000);
    CHECK_EQ_INT(ended, 1000000 - 1000);
    flow_table_flush(t);
    CHECK_EQ_INT(ended, 1000000);
    flow_table_free(t);
}

/* Flow ids as the flush ends them: all in increasing order. */
struct id_order {
    uint64_t n, last;
    bool broken;
};

static void check_order(struct flow *f, void *user)
{
    struct id_order *o = user;
    if (f->id <= o->last)
        o->broken = true;
    o->last = f->id;
    o->n++;
}

/* The bucket array follows the live flows, not the capacity: a capacity of
 * 2^20 costs 8 MiB of buckets only when that many flows are live (issue 12,
 * peak RSS at --max-flows 1M).  Every flow is still found after the
 * doublings, and the flush still ends them in id order. */
TEST(buckets_follow_live_flows)
{
    struct id_order o = {0, 0, false};
    struct flow_table *t = mk_with(1u << 20, 0, check_order, &o);
    struct flow_table_stats st;
    for (uint32_t i = 0; i < 10; i++)
        feed(t, pkt(L4_UDP, IP(10, 0, 0, 1), (uint16_t)(1000 + i), SRV, 53, S(1), 0), NULL);
    flow_table_get_stats(t, &st);
    CHECK_EQ_INT(st.buckets, 1024);
    /* 100,000 live flows: doubled while more than half the buckets are
     * taken, so 2^18 (as many as a capacity of 2^18 gave before). */
    for (uint32_t i = 10; i < 100000; i++)
        feed(t, pkt(L4_UDP, IP(10, 1, 0, 0) | (i >> 16), (uint16_t)i, SRV, 53, S(1), 0), NULL);
    flow_table_get_stats(t, &st);
    CHECK_EQ_INT(st.active, 100000);
    CHECK_EQ_INT(st.buckets, 1u << 18);
    CHECK_EQ_INT(st.buckets_nomem, 0);
    unsigned lost = 0;
    for (uint32_t i = 10; i < 100000; i++) {
        struct flow *f = feed(
            t, pkt(L4_UDP, SRV, 53, IP(10, 1, 0, 0) | (i >> 16), (uint16_t)i, S(2), 0), NULL);
        if (!f || f->id != i + 1)
            lost++;
    }
    for (uint32_t i = 0; i < 10; i++) {
        struct flow *f =
            feed(t, pkt(L4_UDP, IP(10, 0, 0, 1), (uint16_t)(1000 + i), SRV, 53, S(2), 0), NULL);
        if (!f || f->id != i + 1)
            lost++;
    }
    CHECK_EQ_INT(lost, 0);
    flow_table_get_stats(t, &st);
    CHECK_EQ_INT(st.created, 100000);
    flow_table_flush(t);
    CHECK_EQ_INT(o.n, 100000);
    CHECK(!o.broken);
    flow_table_free(t);
}

/* A small capacity caps the doublings at about one bucket per flow. */
TEST(buckets_capped_by_capacity)
{
    uint64_t ended = 0;
    struct flow_table *t = mk_with(5000, 0, count_only, &ended);
    for (uint32_t i = 0; i < 20000; i++)
        feed(t, pkt(L4_UDP, IP(10, 2, 0, 0), (uint16_t)i, SRV, 53, S(1) + i, 0), NULL);
    struct flow_table_stats st;
    flow_table_get_stats(t, &st);
    CHECK_EQ_INT(st.active, 5000);
    CHECK_EQ_INT(st.buckets, 8192);
    CHECK_EQ_INT(st.evicted, 15000);
    flow_table_flush(t);
    CHECK_EQ_INT(ended, 20000);
    flow_table_free(t);
}

TEST(end_reason_names)
{
    CHECK_STR(flow_end_reason_name(END_FIN), "fin");
    CHECK_STR(flow_end_reason_name(END_RST), "rst");
    CHECK_STR(flow_end_reason_name(END_IDLE), "idle");
    CHECK_STR(flow_end_reason_name(END_EVICTED), "evicted");
    CHECK_STR(flow_end_reason_name(END_REUSED), "reused");
    CHECK_STR(flow_end_reason_name(END_SHUTDOWN), "shutdown");
    CHECK_STR(flow_end_reason_name(END_NONE), "none");
}

TEST(ext_area_zeroed)
{
    struct flow_table_config c;
    flow_table_config_default(&c);
    c.ext_size = 40;
    struct flow_table *t = flow_table_new(&c, NULL);
    struct flow *f = feed(t, pkt(L4_UDP, CLI, 1, SRV, 53, S(1), 0), NULL);
    const uint8_t *x = flow_ext(f);
    bool zero = true;
    for (int i = 0; i < 40; i++)
        zero = zero && x[i] == 0;
    CHECK(zero);
    flow_table_free(t); /* frees live flows without the callback */
}

int main(void)
{
    RUN(canonical_key_both_directions);
    RUN(canonical_order_is_bytewise);
    RUN(ipv4_keys_differing_in_one_byte);
    RUN(client_is_initiator);
    RUN(idle_timeouts_per_class);
    RUN(configured_timeout_and_explicit_expire);
    RUN(tcp_fin_both_ways);
    RUN(tcp_rst);
    RUN(port_reuse);
    RUN(capacity_evicts_oldest_idle);
    RUN(bad_capacity);
    RUN(flush_and_walk_in_id_order);
    RUN(flush_progress_marks);
    RUN(flush_and_walk_in_id_order_after_reuse);
    RUN(stats_and_no_flow);
    RUN(ipv6);
    RUN(vlan_and_tunnel_separate_flows);
    RUN(gtp_teid_per_direction);
    RUN(out_of_order_timestamps);
    RUN(late_packet_provenance);
    RUN(expire_budget_is_bounded);
    RUN(far_future_outlier_does_not_age_flows);
    RUN(genuine_gap_expires_idle_flows_only);
    RUN(memory_bounded_million_flows);
    RUN(buckets_follow_live_flows);
    RUN(buckets_capped_by_capacity);
    RUN(end_reason_names);
    RUN(ext_area_zeroed);
    return harness_done();
}
