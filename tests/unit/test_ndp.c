/* test_ndp.c - Router Advertisements on the user plane (classify/ndp.c):
 * the decoder (which prefix a UE forms addresses in, RFC 4861 / 4862), the
 * row (a link-local router, a GTP-U tunnel, the evidence it emits), the
 * carrier's ICMPv6 transport (the message from its Type octet, the packet's
 * TEID and tunnel node), and the bindings table giving the /64 to every
 * open session on that tunnel, whatever its source, never opening one. */
#include "classify/ndp.h"

#include <string.h>

#include "classify/binding.h"
#include "classify/carrier.h"
#include "tests/harness.h"

/* 2001:db8:45:18::/64 */
static const uint8_t prefix64[8] = {0x20, 0x01, 0x0d, 0xb8, 0x00, 0x45, 0x00, 0x18};

/* A Router Advertisement: header, then a Source Link-Layer Address option
 * (skipped), then Prefix Information options as given (bits, flags, valid,
 * preferred, prefix).  Returns its length. */
struct pio {
    uint8_t bits, flags;
    uint32_t valid, preferred;
    const uint8_t *prefix; /* 8 octets; NULL: 2001:db8:45:18:: */
};

static void be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static size_t ra(uint8_t *b, const struct pio *pio, size_t npio)
{
    static const uint8_t head[16] = {134, 0, 0x12, 0x34, 64, 0x00, 0xff, 0xff, 0, 0, 0, 0,
                                     0, 0, 0, 0};
    static const uint8_t sll[8] = {1, 1, 0x02, 0x00, 0x5e, 0x00, 0x53, 0x01};
    size_t n = 0;
    memcpy(b, head, sizeof head);
    n += sizeof head;
    memcpy(b + n, sll, sizeof sll);
    n += sizeof sll;
    for (size_t i = 0; i < npio; i++) {
        uint8_t *o = b + n;
        memset(o, 0, 32);
        o[0] = NDP_OPT_PREFIX_INFO;
        o[1] = 4;
        o[2] = pio[i].bits;
        o[3] = pio[i].flags;
        be32(o + 4, pio[i].valid);
        be32(o + 8, pio[i].preferred);
        memcpy(o + 16, pio[i].prefix ? pio[i].prefix : prefix64, 8);
        n += 32;
    }
    return n;
}

static enum parse_rc decode(const uint8_t *b, size_t n, struct ndp_ra *out)
{
    struct cursor c = cur_init(b, n);
    return ndp_ra_decode(&c, out);
}

#define A_ONLY 0x40
#define L_AND_A 0xc0

TEST(decoder)
{
    uint8_t b[256];
    struct ndp_ra r;
    /* a gateway's RA: one /64, A set (L clear here; open5gs sets it too) */
    struct pio one = {64, A_ONLY, 0xffffffffu, 0xffffffffu, NULL};
    size_t n = ra(b, &one, 1);
    CHECK_EQ_INT(decode(b, n, &r), PARSE_OK);
    CHECK(r.has_prefix && r.prefixes == 1);
    CHECK(memcmp(r.prefix, prefix64, 8) == 0);
    /* prefixes a UE forms no address in: skipped, the next one taken */
    static const uint8_t ll[8] = {0xfe, 0x80, 0, 0, 0, 0, 0, 0};
    static const uint8_t other[8] = {0x20, 0x01, 0x0d, 0xb8, 0x00, 0x99, 0x00, 0x01};
    struct pio skip[] = {
        {56, A_ONLY, 3600, 1800, other},     /* not 64 bits */
        {64, 0x80, 3600, 1800, other},       /* on-link only, A clear */
        {64, A_ONLY, 0, 0, other},           /* valid lifetime 0 */
        {64, A_ONLY, 1800, 3600, other},     /* preferred above valid */
        {64, L_AND_A, 3600, 1800, ll},       /* the link-local prefix */
        {64, L_AND_A, 3600, 1800, NULL},     /* this one */
        {64, A_ONLY, 3600, 1800, other},     /* a second one: the first is kept */
    };
    n = ra(b, skip, sizeof skip / sizeof skip[0]);
    CHECK_EQ_INT(decode(b, n, &r), PARSE_OK);
    CHECK(r.has_prefix && r.prefixes == 7);
    CHECK(memcmp(r.prefix, prefix64, 8) == 0);
    n = ra(b, skip, 5);
    CHECK_EQ_INT(decode(b, n, &r), PARSE_OK);
    CHECK(!r.has_prefix && r.prefixes == 5);
    /* no options at all */
    CHECK_EQ_INT(decode(b, 16, &r), PARSE_OK);
    CHECK(!r.has_prefix);
    /* cut anywhere: truncated, never read past the end */
    n = ra(b, &one, 1);
    for (size_t k = 0; k < n; k++) {
        enum parse_rc rc = decode(b, k, &r);
        CHECK(rc == PARSE_TRUNCATED || (k == 16 && rc == PARSE_OK) || (k == 24 && rc == PARSE_OK));
        CHECK(!r.has_prefix);
    }
    /* not a Router Advertisement; a code other than 0 */
    b[0] = 133;
    CHECK_EQ_INT(decode(b, n, &r), PARSE_INVALID);
    b[0] = 134;
    b[1] = 1;
    CHECK_EQ_INT(decode(b, n, &r), PARSE_INVALID);
    b[1] = 0;
    /* an option of length 0 (RFC 4861 4.6), a Prefix Information option
     * not 4 units long */
    b[17] = 0;
    CHECK_EQ_INT(decode(b, n, &r), PARSE_INVALID);
    b[17] = 1;
    b[25] = 3;
    CHECK_EQ_INT(decode(b, n - 8, &r), PARSE_INVALID);
    b[25] = 4;
    CHECK_EQ_INT(decode(b, n, &r), PARSE_OK);
}

/* ---- the row, through a stub emit ---- */

static unsigned nbind;
static struct sub_binding got;

static void on_bind(void *ctx, const struct sub_binding *b)
{
    (void)ctx;
    nbind++;
    got = *b;
}

static const uint8_t router_ll[16] = {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
static const uint8_t ue_ll[16] = {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9};
static const uint8_t enb[4] = {10, 0, 18, 1};

static enum parse_rc row(const uint8_t *b, size_t n, const uint8_t *src, uint32_t teid,
                         uint64_t *cnt)
{
    struct proto_emit e = {.binding = on_bind, .counters = cnt, .src_addr = src,
                           .dst_addr = ue_ll, .addr_len = 16, .teid = teid,
                           .tunnel_node = teid ? enb : NULL, .tunnel_node_len = teid ? 4 : 0};
    struct cursor c = cur_init(b, n);
    return ndp_proto.parse(NULL, DIR_C2S, &c, 5000, &e);
}

TEST(row)
{
    uint8_t b[128];
    uint64_t cnt[PROTO_MAX_COUNTERS] = {0};
    struct pio one = {64, A_ONLY, 0xffffffffu, 0xffffffffu, NULL};
    size_t n = ra(b, &one, 1);
    struct proto_probe pp = {.transport = PROTO_T_ICMP6, .bytes = {b, n}};
    CHECK_EQ_INT(ndp_proto.probe(&pp), PROTO_MATCH);
    static const uint8_t rs[8] = {133, 0, 0, 0, 0, 0, 0, 0};
    pp.bytes = (struct span){rs, sizeof rs};
    CHECK_EQ_INT(ndp_proto.probe(&pp), PROTO_EXCLUDE);
    /* in a tunnel from the router's link-local address: the /64 for the
     * session holding TEID 0xc001 at the eNodeB */
    nbind = 0;
    CHECK_EQ_INT(row(b, n, router_ll, 0xc001, cnt), PARSE_OK);
    CHECK_EQ_INT(nbind, 1);
    CHECK_EQ_INT(got.op, BIND_UPDATE);
    CHECK_EQ_INT(got.src, BIND_SRC_NDP);
    CHECK(got.has_v6 && !got.has_v4 && memcmp(got.v6_prefix, prefix64, 8) == 0);
    CHECK(!got.imsi[0] && !got.msisdn[0] && !got.imei[0]);
    CHECK_EQ_INT(got.nteid, 1);
    CHECK(got.teid[0].teid == 0xc001 && !got.teid[0].control && got.teid[0].alen == 4 &&
          memcmp(got.teid[0].addr, enb, 4) == 0);
    CHECK(got.evidence_us == 5000);
    CHECK_EQ_INT(cnt[NDP_CNT_RAS], 1);
    CHECK_EQ_INT(cnt[NDP_CNT_PREFIXES], 1);
    /* outside a tunnel: counted, nothing emitted */
    CHECK_EQ_INT(row(b, n, router_ll, 0, cnt), PARSE_OK);
    CHECK_EQ_INT(nbind, 1);
    CHECK_EQ_INT(cnt[NDP_CNT_UNTUNNELLED], 1);
    /* from a global address: no router sends that (RFC 4861 6.1.2) */
    static const uint8_t global[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0x45, 0, 0x18, 0, 0, 0, 0,
                                       0, 0, 0, 1};
    CHECK_EQ_INT(row(b, n, global, 0xc001, cnt), PARSE_INVALID);
    CHECK_EQ_INT(nbind, 1);
    CHECK_EQ_INT(cnt[NDP_CNT_RAS], 2);
}

/* ---- the carrier's ICMPv6 transport ---- */

static unsigned ncar;
static struct sub_binding car;

static void on_car(const struct sub_binding *b, void *user)
{
    (void)user;
    ncar++;
    car = *b;
}

static void icmp6_pkt(struct carrier *c, void **state, struct flow *f, struct carrier_verdict *v,
                      const uint8_t *msg, size_t n, bool tunnel)
{
    struct pkt_view p;
    memset(&p, 0, sizeof p);
    p.ts_us = 7000;
    p.ip_version = 6;
    p.l4proto = L4_ICMPV6;
    p.src.family = p.dst.family = 6;
    memcpy(p.src.a, router_ll, 16);
    memcpy(p.dst.a, ue_ll, 16);
    p.has_icmp = true;
    p.icmp_type = msg[0];
    p.icmp_msg = (struct span){msg, n};
    p.payload = (struct span){msg + 4, n - 4};
    p.payload_len = (uint32_t)(n - 4);
    if (tunnel) {
        p.tunnel = true;
        p.teid = 0xc001;
        p.tun_src.family = p.tun_dst.family = 4;
        memcpy(p.tun_dst.a, enb, 4);
    }
    carrier_packet(c, state, f, DIR_C2S, &p, v);
}

TEST(carrier_icmpv6)
{
    static const struct classify_events ev = {.binding = on_car};
    struct carrier *c = carrier_new(&ev, NULL);
    CHECK(c != NULL);
    if (!c)
        return;
    uint8_t b[128];
    struct pio one = {64, A_ONLY, 0xffffffffu, 0xffffffffu, NULL};
    size_t n = ra(b, &one, 1);
    struct flow f;
    memset(&f, 0, sizeof f);
    f.id = 3;
    void *state = NULL;
    struct carrier_verdict v;
    memset(&v, 0, sizeof v);
    ncar = 0;
    icmp6_pkt(c, &state, &f, &v, b, n, true);
    CHECK_EQ_INT(ncar, 1);
    CHECK(car.has_v6 && memcmp(car.v6_prefix, prefix64, 8) == 0);
    CHECK(car.nteid == 1 && car.teid[0].teid == 0xc001 && memcmp(car.teid[0].addr, enb, 4) == 0);
    CHECK(car.flow_id == 3);
    CHECK(v.state != CARRIER_EXCLUDED && v.state != CARRIER_MATCHED); /* never claimed */
    /* the next one (a periodic RA) too */
    icmp6_pkt(c, &state, &f, &v, b, n, true);
    CHECK_EQ_INT(ncar, 2);
    carrier_flow_end(c, &state, &f);
    /* an echo request flow: excluded at its first message */
    static const uint8_t echo[12] = {128, 0, 0, 0, 0, 1, 0, 1, 'p', 'i', 'n', 'g'};
    state = NULL;
    memset(&v, 0, sizeof v);
    icmp6_pkt(c, &state, &f, &v, echo, sizeof echo, true);
    CHECK_EQ_INT(v.state, CARRIER_EXCLUDED);
    CHECK(state == NULL);
    CHECK_EQ_INT(ncar, 2);
    carrier_free(c);
}

/* ---- the bindings table ---- */

static struct sub_binding session(enum bind_src src, const char *imsi, uint32_t teid,
                                  uint64_t ts)
{
    struct sub_binding e;
    memset(&e, 0, sizeof e);
    e.src = src;
    e.evidence_us = ts;
    strcpy(e.imsi, imsi);
    binding_add_teid(&e, teid, false, enb, 4, NULL);
    return e;
}

static struct sub_binding ra_evidence(uint32_t teid, const uint8_t p[8], uint64_t ts)
{
    struct sub_binding e;
    memset(&e, 0, sizeof e);
    e.src = BIND_SRC_NDP;
    e.evidence_us = ts;
    e.has_v6 = true;
    memcpy(e.v6_prefix, p, 8);
    binding_add_teid(&e, teid, false, enb, 4, NULL);
    return e;
}

TEST(table_gives_the_prefix)
{
    struct binding_table *t = binding_table_new(0, NULL, NULL);
    /* the same PDN connection seen by S1AP and by GTPv2-C (which carries
     * its own /64), and another UE's session on another TEID */
    static const uint8_t paa[8] = {0x20, 0x01, 0x0d, 0xb8, 0x00, 0x45, 0x00, 0x77};
    struct sub_binding s1 = session(BIND_SRC_S1AP, "001010000000009", 0xc001, 100);
    struct sub_binding g2 = session(BIND_SRC_GTPV2, "001010000000009", 0xc001, 110);
    g2.has_v6 = true;
    memcpy(g2.v6_prefix, paa, 8);
    struct sub_binding other = session(BIND_SRC_S1AP, "001010000000002", 0xc002, 120);
    uint32_t id2 = binding_table_apply(t, BIND_OPEN, &g2);
    uint32_t id1 = binding_table_apply(t, BIND_OPEN, &s1);
    uint32_t id3 = binding_table_apply(t, BIND_OPEN, &other);
    CHECK(id1 && id2 && id3 && id1 != id2);
    struct sub_binding e = ra_evidence(0xc001, prefix64, 200);
    CHECK_EQ_INT(binding_table_apply(t, BIND_UPDATE, &e), id2); /* the first it touched */
    const struct sub_binding *o[4];
    /* the S1AP session has the /64 now, and a privacy address in it finds
     * her; the GTPv2-C session keeps its own; the other UE has none */
    static const uint8_t tmp_addr[16] = {0x20, 0x01, 0x0d, 0xb8, 0x00, 0x45, 0x00, 0x18,
                                         0x1c, 0x2d, 0x3e, 0x4f, 0x5a, 0x6b, 0x7c, 0x8d};
    size_t k = binding_table_by_ipv6(t, tmp_addr, 300, o, 4);
    CHECK_EQ_INT(k, 1);
    CHECK(k >= 1 && o[0]->id == id1 && o[0]->src == BIND_SRC_S1AP &&
          !strcmp(o[0]->imsi, "001010000000009"));
    k = binding_table_by_teid(t, 0xc001, enb, 4, 300, o, 4);
    CHECK_EQ_INT(k, 2);
    CHECK(k >= 1 && o[0]->id == id2 && memcmp(o[0]->v6_prefix, paa, 8) == 0);
    k = binding_table_by_teid(t, 0xc002, enb, 4, 300, o, 4);
    CHECK_EQ_INT(k, 1);
    CHECK(k >= 1 && !o[0]->has_v6);
    CHECK_EQ_INT(binding_table_stats(t)->conflicts, 0);
    /* a prefix on a TEID no session holds opens nothing; nor after the
     * session closed */
    size_t before = binding_table_count(t);
    e = ra_evidence(0xc009, prefix64, 400);
    CHECK_EQ_INT(binding_table_apply(t, BIND_UPDATE, &e), 0);
    struct sub_binding close = session(BIND_SRC_S1AP, "001010000000002", 0xc002, 500);
    CHECK(binding_table_apply(t, BIND_CLOSE, &close) == id3);
    e = ra_evidence(0xc002, prefix64, 600);
    CHECK_EQ_INT(binding_table_apply(t, BIND_UPDATE, &e), 0);
    CHECK_EQ_INT(binding_table_count(t), before);
    binding_table_free(t);
}

int main(void)
{
    RUN(decoder);
    RUN(row);
    RUN(carrier_icmpv6);
    RUN(table_gives_the_prefix);
    return harness_done();
}
