/* test_overlay.c - overlay tunnels in capture/decode.c: IP in IP, GRE,
 * ERSPAN I/II/III, PPTP's enhanced GRE, L2TP (versions 2 and 3), VXLAN,
 * GENEVE and Teredo (capture/gre.c, l2tp.c, vxlan.c, geneve.c, teredo.c).
 *
 * Packets are built inside out by the small builder below (documentation
 * addresses, RFC 5737 and RFC 3849).  Every packet is also decoded from
 * each prefix of an exactly sized heap copy, so AddressSanitizer catches a
 * read past caplen, and each prefix must decode without a crash to either
 * the inner view, the outer view or a failure.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capwap.h"
#include "capture/decode.h"
#include "capture/flow_table.h"
#include "capture/geneve.h"
#include "capture/gre.h"
#include "capture/l2tp.h"
#include "capture/teredo.h"
#include "capture/tzsp.h"
#include "capture/vxlan.h"
#include "tests/harness.h"
#include "tests/unit/put_be.h"

struct pb {
    uint8_t b[1024];
    size_t n;
};

/* out = the n header bytes h, then in (out may not be in). */
static void wrap(struct pb *out, const uint8_t *h, size_t n, const struct pb *in)
{
    memcpy(out->b, h, n);
    memcpy(out->b + n, in->b, in->n);
    out->n = n + in->n;
}

/* The same in place: in = h + in. */
static void push(struct pb *in, const uint8_t *h, size_t n)
{
    struct pb t;
    wrap(&t, h, n, in);
    *in = t;
}

/* A TCP SYN 40000 -> 443 with no payload (20-byte header). */
static void tcp_syn(struct pb *p)
{
    static const uint8_t h[20] = {0x9c, 0x40, 0x01, 0xbb, 0, 0, 0, 1, 0, 0, 0, 0,
                                  0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0};
    memcpy(p->b, h, sizeof h);
    p->n = sizeof h;
}

/* IPv4 header (no options, valid total length) with protocol proto from
 * a.b.c.d to e.f.g.h, last octets given. */
static void ip4(struct pb *p, uint8_t proto, uint8_t src_last, uint8_t dst_last)
{
    uint8_t h[20] = {0x45, 0, 0, 0, 0, 1, 0, 0, 64, proto, 0, 0,
                     192, 0, 2, src_last, 198, 51, 100, dst_last};
    be16(h + 2, (unsigned)(20 + p->n));
    push(p, h, sizeof h);
}

static void ip6(struct pb *p, uint8_t nh)
{
    uint8_t h[40] = {0x60, 0, 0, 0, 0, 0, nh, 64};
    be16(h + 4, (unsigned)p->n);
    h[8] = 0x20, h[9] = 0x01, h[10] = 0x0d, h[11] = 0xb8, h[23] = 0x01;
    h[24] = 0x20, h[25] = 0x01, h[26] = 0x0d, h[27] = 0xb8, h[39] = 0x02;
    push(p, h, sizeof h);
}

static void udp(struct pb *p, unsigned sport, unsigned dport)
{
    uint8_t h[8] = {0};
    be16(h, sport);
    be16(h + 2, dport);
    be16(h + 4, (unsigned)(8 + p->n));
    push(p, h, sizeof h);
}

/* Ethernet II, with one 802.1Q tag when vlan is not 0. */
static void eth(struct pb *p, unsigned vlan, unsigned etype)
{
    uint8_t h[18] = {0x02, 0, 0, 0, 0, 0x01, 0x02, 0, 0, 0, 0, 0x02};
    size_t n = 12;
    if (vlan) {
        be16(h + n, 0x8100);
        be16(h + n + 2, vlan);
        n += 4;
    }
    be16(h + n, etype);
    push(p, h, n + 2);
}

/* The inner conversation: 10.x is not used, so the tests can tell inner
 * from outer: the inner packet is 192.0.2.77 -> 198.51.100.88, TCP. */
static void inner4(struct pb *p)
{
    tcp_syn(p);
    ip4(p, 6, 77, 88);
}

static void inner6(struct pb *p)
{
    tcp_syn(p);
    ip6(p, 6);
}

/* Outer: Ethernet (VLAN 5), IPv4 192.0.2.1 -> 198.51.100.2, protocol proto. */
static void outer4(struct pb *p, uint8_t proto)
{
    ip4(p, proto, 1, 2);
    eth(p, 5, 0x0800);
}

static void gre(struct pb *p, unsigned flags, unsigned proto, const uint32_t *words, size_t nw)
{
    uint8_t h[4 + 16];
    be16(h, flags);
    be16(h + 2, proto);
    for (size_t i = 0; i < nw; i++)
        be32(h + 4 + 4 * i, words[i]);
    push(p, h, 4 + 4 * nw);
}

static void vxlan(struct pb *p, uint8_t flags, uint32_t vni, uint8_t last)
{
    uint8_t h[8] = {flags, 0, 0, 0, 0, 0, 0, last};
    be32(h + 4, vni << 8 | last);
    push(p, h, sizeof h);
}

static void geneve(struct pb *p, unsigned ver, unsigned optwords, unsigned proto, uint32_t vni)
{
    uint8_t h[8 + 4 * 4] = {0};
    h[0] = (uint8_t)(ver << 6 | optwords);
    be16(h + 2, proto);
    be32(h + 4, vni << 8);
    for (unsigned i = 0; i < optwords; i++)
        be32(h + 8 + 4 * i, 0x01020304u);
    push(p, h, 8 + 4 * optwords);
}

/* Decodes p whole, then every prefix from a heap copy of exactly that size
 * (AddressSanitizer catches over-reads). */
static struct pkt_view dec(const struct pb *p)
{
    for (size_t k = 0; k < p->n; k++) {
        uint8_t *c = malloc(k ? k : 1);
        memcpy(c, p->b, k);
        struct pkt_view t;
        (void)decode_packet(LINK_EN10MB, c, (uint32_t)k, (uint32_t)p->n, 0, &t);
        free(c);
    }
    struct pkt_view v;
    CHECK_EQ_INT(decode_packet(LINK_EN10MB, p->b, (uint32_t)p->n, (uint32_t)p->n, 0, &v),
                 PARSE_OK);
    return v;
}

static bool ip4_last(const struct ip_addr *a, uint8_t c, uint8_t last)
{
    return a->family == 4 && a->a[2] == c && a->a[3] == last;
}

/* The view is the inner TCP SYN 192.0.2.77 -> 198.51.100.88:443. */
static void check_inner4(const struct pkt_view *v)
{
    CHECK(ip4_last(&v->src, 2, 77));
    CHECK(ip4_last(&v->dst, 100, 88));
    CHECK_EQ_INT(v->l4proto, L4_TCP);
    CHECK(v->has_ports);
    CHECK_EQ_INT(v->dport, 443);
    CHECK_EQ_INT(v->tcp_flags, 0x02);
    CHECK(!v->overlay_kept);
}

/* The view is the inner TCP SYN 2001:db8::1 -> 2001:db8::2:443. */
static void check_inner6(const struct pkt_view *v)
{
    CHECK_EQ_INT(v->ip_version, 6);
    CHECK_EQ_INT(v->l4proto, L4_TCP);
    CHECK_EQ_INT(v->dport, 443);
    CHECK(!v->overlay_kept);
}

/* The view stayed the outer packet 192.0.2.1 -> 198.51.100.2. */
static void check_outer(const struct pkt_view *v, uint8_t proto)
{
    CHECK(ip4_last(&v->src, 2, 1));
    CHECK(ip4_last(&v->dst, 100, 2));
    CHECK_EQ_INT(v->l4proto, proto);
    CHECK_EQ_INT(v->overlays, 0);
}

/* p decodes to its outer packet, the overlay counted as kept (not a
 * non-IP frame). */
static void expect_kept(const struct pb *p, uint8_t proto)
{
    struct pkt_view v = dec(p);
    check_outer(&v, proto);
    CHECK(v.overlay_kept);
    CHECK_EQ_INT(v.anomalies & ANOM_UNKNOWN_L3, 0);
}

TEST(ip_in_ip)
{
    struct pb p;
    inner4(&p);
    outer4(&p, 4);
    struct pkt_view v = dec(&p);
    check_inner4(&v);
    CHECK_EQ_INT(v.overlays, OVERLAY_IPIP);
    CHECK_EQ_INT(v.vlan_outer, 5); /* no inner Ethernet: the tunnel's VLAN stays */

    inner6(&p); /* 6in4 (RFC 4213) */
    outer4(&p, 41);
    v = dec(&p);
    check_inner6(&v);
    CHECK_EQ_INT(v.overlays, OVERLAY_IPIP);

    inner6(&p); /* protocol 4 says IPv4: an IPv6 packet there is not decoded */
    outer4(&p, 4);
    expect_kept(&p, 4);
}

TEST(gre_plain_and_options)
{
    struct pb p;
    inner4(&p);
    gre(&p, 0, 0x0800, NULL, 0);
    outer4(&p, 47);
    struct pkt_view v = dec(&p);
    check_inner4(&v);
    CHECK_EQ_INT(v.overlays, OVERLAY_GRE);

    /* C, K and S (RFC 2890): checksum word, key, sequence number */
    inner6(&p);
    const uint32_t words[3] = {0, 0xabcd, 7};
    gre(&p, 0x8000 | 0x2000 | 0x1000, 0x86dd, words, 3);
    outer4(&p, 47);
    v = dec(&p);
    check_inner6(&v);
    CHECK_EQ_INT(v.overlays, OVERLAY_GRE);

    /* Transparent Ethernet Bridging: the inner frame's VLAN replaces the tunnel's */
    inner4(&p);
    eth(&p, 77, 0x0800);
    gre(&p, 0, 0x6558, NULL, 0);
    outer4(&p, 47);
    v = dec(&p);
    check_inner4(&v);
    CHECK_EQ_INT(v.vlan_outer, 77);

    /* MPLS over GRE (RFC 4023): one label, bottom of stack */
    inner4(&p);
    const uint8_t label[4] = {0x00, 0x01, 0x01, 0x40};
    push(&p, label, 4);
    gre(&p, 0, 0x8847, NULL, 0);
    outer4(&p, 47);
    v = dec(&p);
    check_inner4(&v);
    CHECK_EQ_INT(v.mpls_depth, 1);
}

TEST(gre_not_decoded_stays_outer)
{
    struct pb p;
    /* version 1 (PPTP, RFC 2637), the routing bit of RFC 1701, PPP, ARP */
    const unsigned flags[] = {0x0001, 0x4000, 0, 0};
    const unsigned protos[] = {0x880b, 0x0800, 0x880b, 0x0806};
    for (size_t i = 0; i < 4; i++) {
        inner4(&p);
        gre(&p, flags[i], protos[i], NULL, 0);
        outer4(&p, 47);
        expect_kept(&p, 47);
    }
}

TEST(erspan_types)
{
    struct pb p;
    /* type I: GRE 0x88BE without a sequence number, the frame follows */
    inner4(&p);
    eth(&p, 0, 0x0800);
    gre(&p, 0, 0x88be, NULL, 0);
    outer4(&p, 47);
    struct pkt_view v = dec(&p);
    check_inner4(&v);
    CHECK_EQ_INT(v.overlays, OVERLAY_ERSPAN);
    CHECK_EQ_INT(v.vlan_outer, 0);

    /* type II: sequence number and the 8-octet header, Ver 1 */
    inner4(&p);
    eth(&p, 300, 0x0800);
    const uint8_t h2[8] = {0x10, 0x64, 0x00, 0x2a, 0, 0, 0, 9};
    push(&p, h2, sizeof h2);
    const uint32_t seq = 1;
    gre(&p, 0x1000, 0x88be, &seq, 1);
    outer4(&p, 47);
    v = dec(&p);
    check_inner4(&v);
    CHECK_EQ_INT(v.overlays, OVERLAY_ERSPAN);
    CHECK_EQ_INT(v.vlan_outer, 300);

    /* type II header with Ver 2: not decoded */
    p.n = 0;
    inner4(&p);
    eth(&p, 0, 0x0800);
    const uint8_t h2bad[8] = {0x20, 0, 0, 0x2a, 0, 0, 0, 9};
    push(&p, h2bad, sizeof h2bad);
    gre(&p, 0x1000, 0x88be, &seq, 1);
    outer4(&p, 47);
    expect_kept(&p, 47);

    /* type III, O = 1 (8-octet subheader), FT 0: Ethernet */
    inner6(&p);
    eth(&p, 0, 0x86dd);
    const uint8_t sub[8] = {0};
    push(&p, sub, sizeof sub);
    const uint8_t h3[12] = {0x20, 0x00, 0x00, 0x2a, 0, 0, 0, 1, 0, 0, 0x00, 0x01};
    push(&p, h3, sizeof h3);
    gre(&p, 0x1000, 0x22eb, &seq, 1);
    outer4(&p, 47);
    v = dec(&p);
    check_inner6(&v);
    CHECK_EQ_INT(v.overlays, OVERLAY_ERSPAN);

    /* type III, FT 2: an IP packet without Ethernet */
    inner4(&p);
    const uint8_t h3ip[12] = {0x20, 0x00, 0x00, 0x2a, 0, 0, 0, 1, 0, 0, 0x08, 0x00};
    push(&p, h3ip, sizeof h3ip);
    gre(&p, 0x1000, 0x22eb, &seq, 1);
    outer4(&p, 47);
    v = dec(&p);
    check_inner4(&v);
    CHECK_EQ_INT(v.overlays, OVERLAY_ERSPAN);
}

TEST(vxlan)
{
    struct pb p;
    inner4(&p);
    eth(&p, 0, 0x0800);
    vxlan(&p, 0x08, 4242, 0);
    udp(&p, 51000, VXLAN_PORT);
    outer4(&p, 17);
    struct pkt_view v = dec(&p);
    check_inner4(&v);
    CHECK_EQ_INT(v.overlays, OVERLAY_VXLAN);
    CHECK_EQ_INT(v.vlan_outer, 0);

    /* I flag clear, or the last octet set: a datagram to 4789 that is not VXLAN */
    for (int i = 0; i < 2; i++) {
        inner4(&p);
        eth(&p, 0, 0x0800);
        vxlan(&p, i ? 0x08 : 0x00, 4242, i ? 1 : 0);
        udp(&p, 51000, VXLAN_PORT);
        outer4(&p, 17);
        expect_kept(&p, L4_UDP);
    }

    /* from port 4789: only the destination port names VXLAN */
    inner4(&p);
    eth(&p, 0, 0x0800);
    vxlan(&p, 0x08, 4242, 0);
    udp(&p, VXLAN_PORT, 51000);
    outer4(&p, 17);
    v = dec(&p);
    check_outer(&v, L4_UDP);
    CHECK(!v.overlay_kept);

    /* ARP inside: the packet stays on the outer flow, not a non-IP frame */
    static const uint8_t arp[28] = {0, 1, 8, 0, 6, 4, 0, 1};
    memcpy(p.b, arp, sizeof arp);
    p.n = sizeof arp;
    eth(&p, 0, 0x0806);
    vxlan(&p, 0x08, 4242, 0);
    udp(&p, 51000, VXLAN_PORT);
    outer4(&p, 17);
    expect_kept(&p, L4_UDP);
}

TEST(geneve)
{
    struct pb p;
    inner6(&p);
    eth(&p, 0, 0x86dd);
    geneve(&p, 0, 2, 0x6558, 7);
    udp(&p, 51000, GENEVE_PORT);
    outer4(&p, 17);
    struct pkt_view v = dec(&p);
    check_inner6(&v);
    CHECK_EQ_INT(v.overlays, OVERLAY_GENEVE);

    inner4(&p); /* protocol type IPv4: no Ethernet */
    geneve(&p, 0, 0, 0x0800, 7);
    udp(&p, 51000, GENEVE_PORT);
    outer4(&p, 17);
    v = dec(&p);
    check_inner4(&v);

    inner4(&p); /* version 1: dropped by a GENEVE endpoint, kept as UDP here */
    geneve(&p, 1, 0, 0x0800, 7);
    udp(&p, 51000, GENEVE_PORT);
    outer4(&p, 17);
    expect_kept(&p, L4_UDP);

    /* options longer than the datagram */
    p.n = 0;
    geneve(&p, 0, 4, 0x0800, 7);
    p.n = 12; /* 8-octet header and 4 of the 16 option octets */
    udp(&p, 51000, GENEVE_PORT);
    outer4(&p, 17);
    expect_kept(&p, L4_UDP);
}

TEST(gre_in_udp)
{
    /* RFC 8086: a GRE header in a UDP datagram to port 4754 */
    struct pb p;
    inner4(&p);
    const uint32_t key = 7;
    gre(&p, 0x2000, 0x0800, &key, 1);
    udp(&p, 50000, GRE_UDP_PORT);
    outer4(&p, 17);
    struct pkt_view v = dec(&p);
    check_inner4(&v);
    CHECK_EQ_INT(v.overlays, OVERLAY_GRE);
    CHECK_EQ_INT(v.vnet, 0);
    inner4(&p); /* from port 4754: only the destination port names it */
    gre(&p, 0, 0x0800, NULL, 0);
    udp(&p, GRE_UDP_PORT, 50000);
    outer4(&p, 17);
    v = dec(&p);
    check_outer(&v, L4_UDP);
    CHECK(!v.overlay_kept);
    inner4(&p); /* GRE version 1 inside: not decoded, kept */
    gre(&p, 0x0001, 0x880b, NULL, 0);
    udp(&p, 50000, GRE_UDP_PORT);
    outer4(&p, 17);
    expect_kept(&p, L4_UDP);
}

/* A PPP frame around p: address 0xff and control 0x03 (RFC 1662 section
 * 3.1) unless compressed, then the 2-octet protocol, or 1 octet (RFC 1661
 * section 6.5) when pfc. */
static void ppp(struct pb *p, bool acfc, bool pfc, unsigned proto)
{
    uint8_t h[4];
    size_t n = 0;
    if (!acfc)
        h[n++] = 0xff, h[n++] = 0x03;
    if (!pfc)
        h[n++] = (uint8_t)(proto >> 8);
    h[n++] = (uint8_t)proto;
    push(p, h, n);
}

/* PPTP's enhanced GRE (RFC 2637 section 4.1): flags (version 1, K, and S
 * and A as asked), protocol 0x880b, key = payload length << 16 | call id,
 * then the sequence and acknowledgment numbers present. */
static void gre_v1(struct pb *p, bool seq, bool ack, uint16_t call)
{
    uint32_t words[3];
    size_t nw = 0;
    words[nw++] = (uint32_t)p->n << 16 | call;
    if (seq)
        words[nw++] = 11;
    if (ack)
        words[nw++] = 10;
    gre(p, 0x2001u | (seq ? 0x1000u : 0) | (ack ? 0x0080u : 0), 0x880b, words, nw);
}

TEST(pptp_enhanced_gre)
{
    struct pb p;
    inner4(&p);
    ppp(&p, false, false, 0x0021);
    gre_v1(&p, true, true, 0x4000);
    outer4(&p, 47);
    struct pkt_view v = dec(&p);
    check_inner4(&v);
    CHECK_EQ_INT(v.overlays, OVERLAY_GRE);

    /* address, control and protocol compressed; no acknowledgment; IPv6 */
    inner6(&p);
    ppp(&p, true, true, 0x57);
    gre_v1(&p, true, false, 1);
    outer4(&p, 47);
    v = dec(&p);
    check_inner6(&v);
    CHECK_EQ_INT(v.overlays, OVERLAY_GRE);

    /* the key's payload length bounds the PPP frame: one that ends inside
     * the inner IPv4 header leaves the GRE packet as it is */
    inner4(&p);
    ppp(&p, false, false, 0x0021);
    gre_v1(&p, true, false, 1);
    p.b[4] = 0, p.b[5] = 14; /* payload length 14: PPP header + 10 octets */
    outer4(&p, 47);
    expect_kept(&p, 47);

    /* an acknowledgment alone (no payload), LCP, a version-1 header
     * without K or with another protocol: the GRE packet stays */
    p.n = 0;
    gre_v1(&p, false, true, 1);
    outer4(&p, 47);
    expect_kept(&p, 47);
    p.n = 0;
    const uint8_t lcp[8] = {0x09, 0x01, 0x00, 0x08, 0, 0, 0, 0};
    push(&p, lcp, sizeof lcp);
    ppp(&p, false, false, 0xc021);
    gre_v1(&p, true, false, 1);
    outer4(&p, 47);
    expect_kept(&p, 47);
    inner4(&p);
    ppp(&p, false, false, 0x0021);
    gre(&p, 0x1001, 0x880b, (const uint32_t[]){5}, 1);
    outer4(&p, 47);
    expect_kept(&p, 47);
    inner4(&p);
    const uint32_t k = (uint32_t)p.n << 16 | 1;
    gre(&p, 0x2001, 0x0800, &k, 1);
    outer4(&p, 47);
    expect_kept(&p, 47);
}

/* An L2TPv2 header (RFC 2661 section 3.1) with the optional fields asked
 * for: Length (the whole message), Ns/Nr, Offset Size and its padding. */
static void l2tp(struct pb *p, unsigned flags, bool len_field, bool seq, unsigned offset)
{
    uint8_t h[32];
    size_t n = 2;
    unsigned f = flags | (len_field ? 0x4000u : 0) | (seq ? 0x0800u : 0) |
                 (offset ? 0x0200u : 0);
    be16(h, f);
    size_t len_at = n;
    if (len_field)
        n += 2;
    be16(h + n, 0x1234); /* tunnel */
    be16(h + n + 2, 0x0042); /* session */
    n += 4;
    if (seq) {
        be16(h + n, 3), be16(h + n + 2, 2);
        n += 4;
    }
    if (offset) {
        be16(h + n, offset);
        memset(h + n + 2, 0, offset);
        n += 2 + offset;
    }
    if (len_field)
        be16(h + len_at, (unsigned)(n + p->n));
    push(p, h, n);
}

TEST(l2tp_data)
{
    struct pb p;
    inner4(&p);
    ppp(&p, false, false, 0x0021);
    l2tp(&p, 0x0002, true, false, 0);
    udp(&p, L2TP_PORT, L2TP_PORT);
    outer4(&p, 17);
    struct pkt_view v = dec(&p);
    check_inner4(&v);
    CHECK_EQ_INT(v.overlays, OVERLAY_L2TP);

    /* from the LNS's port 1701 to the LAC's other port; Ns/Nr and an
     * offset pad; IPv6, compressed PPP */
    inner6(&p);
    ppp(&p, true, true, 0x57);
    l2tp(&p, 0x0002, false, true, 2);
    udp(&p, L2TP_PORT, 40000);
    outer4(&p, 17);
    v = dec(&p);
    check_inner6(&v);
    CHECK_EQ_INT(v.overlays, OVERLAY_L2TP);

    /* a control message (T = 1, L and S set as section 3.1 requires),
     * version 3 with no IP-bearing frame behind it (the L2TPv3 test
     * below), a Length shorter than the header, LCP: the UDP datagram
     * stays */
    p.n = 0;
    const uint8_t avp[8] = {0x80, 0x08, 0, 0, 0, 0, 0, 1}; /* Message Type SCCRQ */
    push(&p, avp, sizeof avp);
    l2tp(&p, 0x8002, true, true, 0);
    udp(&p, 40000, L2TP_PORT);
    outer4(&p, 17);
    expect_kept(&p, L4_UDP);
    inner4(&p);
    ppp(&p, false, false, 0x0021);
    p.b[3] = 0x99; /* not a PPP protocol at any offset L2TPv3 tries */
    l2tp(&p, 0x0003, false, false, 0);
    udp(&p, L2TP_PORT, L2TP_PORT);
    outer4(&p, 17);
    expect_kept(&p, L4_UDP);
    inner4(&p);
    ppp(&p, false, false, 0x0021);
    l2tp(&p, 0x0002, true, false, 0);
    p.b[2] = 0, p.b[3] = 5; /* Length 5 < the 8-octet header */
    udp(&p, L2TP_PORT, L2TP_PORT);
    outer4(&p, 17);
    expect_kept(&p, L4_UDP);
    p.n = 0;
    const uint8_t lcp[8] = {0x09, 0x01, 0x00, 0x08, 0, 0, 0, 0};
    push(&p, lcp, sizeof lcp);
    ppp(&p, false, false, 0xc021);
    l2tp(&p, 0x0002, false, false, 0);
    udp(&p, L2TP_PORT, L2TP_PORT);
    outer4(&p, 17);
    expect_kept(&p, L4_UDP);

    /* the decoder alone: the tunnel and session ids, the Length bound */
    static const uint8_t h[12] = {0x40, 0x02, 0x00, 0x0a, 0x12, 0x34, 0x00, 0x42,
                                  0xff, 0x03, 0x99, 0x99};
    struct overlay_inner t;
    struct cursor c = cur_init(h, sizeof h);
    CHECK_EQ_INT(l2tp_decode(&c, sizeof h, &t), PARSE_OK);
    CHECK_EQ_INT(t.vnid, 0x12340042u);
    CHECK_EQ_INT(t.ethertype, ETHERTYPE_PPP);
    CHECK_EQ_INT(cur_left(&t.inner), 2); /* Length 10: the last two octets are not it */
    c = cur_init(h, 5);
    CHECK_EQ_INT(l2tp_decode(&c, sizeof h, &t), PARSE_TRUNCATED);
    c = cur_init(h, 5);
    CHECK_EQ_INT(l2tp_decode(&c, 5, &t), PARSE_INVALID);
}

/* An L2TPv3 data header (RFC 3931 section 4.1): on UDP (udp_word) the
 * flags and version word and the reserved octets first, then the Session
 * ID, then `prefix` octets of Cookie and L2-Specific Sublayer (0x40 with
 * the S bit, sequence 1, for the last word when there are any). */
static void l2tpv3(struct pb *p, bool udp_word, unsigned flags, uint32_t session,
                   unsigned prefix)
{
    uint8_t h[4 + 4 + 12];
    size_t n = 0;
    if (udp_word) {
        be16(h, flags);
        be16(h + 2, 0);
        n = 4;
    }
    be32(h + n, session);
    n += 4;
    for (unsigned i = 0; i < prefix; i++)
        h[n + i] = (uint8_t)(0xc0 + i); /* the cookie's octets */
    if (prefix)
        be32(h + n + prefix - 4, 0x40000001u);
    push(p, h, n + prefix);
}

/* The inner TCP SYN with `extra` octets of payload, so that its Ethernet
 * frame is longer than the 60-octet minimum and carries no padding. */
static void inner4_long(struct pb *p, size_t extra)
{
    tcp_syn(p);
    memset(p->b + p->n, 0x5a, extra);
    p->n += extra;
    ip4(p, 6, 77, 88);
}

TEST(l2tpv3)
{
    struct pb p;
    struct pkt_view v;
    /* in IP (protocol 115), an Ethernet pseudowire after each length of
     * Cookie and sublayer; the frame's own VLAN tag is kept */
    for (unsigned prefix = 0; prefix <= 12; prefix += 4) {
        inner4_long(&p, 30);
        eth(&p, prefix == 8 ? 12 : 0, 0x0800);
        l2tpv3(&p, false, 0, 0x00abcdefu, prefix);
        outer4(&p, L2TPV3_IP_PROTO);
        v = dec(&p);
        check_inner4(&v);
        CHECK_EQ_INT(v.overlays, OVERLAY_L2TPV3);
        CHECK_EQ_INT(v.vlan_outer, prefix == 8 ? 12 : 0);
    }
    /* a frame shorter than Ethernet's minimum, padded to 60 octets */
    inner4(&p);
    memset(p.b + p.n, 0, 6);
    p.n += 6;
    eth(&p, 0, 0x0800);
    l2tpv3(&p, false, 0, 7, 4);
    outer4(&p, L2TPV3_IP_PROTO);
    v = dec(&p);
    check_inner4(&v);
    /* on UDP 1701 (version 3), IPv6 in QinQ-less 802.1Q, no cookie */
    inner6(&p);
    eth(&p, 40, 0x86dd);
    l2tpv3(&p, true, 0x0003, 9, 0);
    udp(&p, L2TP_PORT, L2TP_PORT);
    outer4(&p, 17);
    v = dec(&p);
    check_inner6(&v);
    CHECK_EQ_INT(v.overlays, OVERLAY_L2TPV3);
    /* a PPP pseudowire, with and without the address and control octets */
    inner4(&p);
    ppp(&p, false, false, 0x0021);
    l2tpv3(&p, false, 0, 11, 4);
    outer4(&p, L2TPV3_IP_PROTO);
    v = dec(&p);
    check_inner4(&v);
    CHECK_EQ_INT(v.overlays, OVERLAY_L2TPV3);
    inner6(&p);
    ppp(&p, true, true, 0x57);
    l2tpv3(&p, true, 0x0003, 11, 8);
    udp(&p, 40000, L2TP_PORT);
    outer4(&p, 17);
    v = dec(&p);
    check_inner6(&v);

    /* what stays on the outer flow: a control message in IP (session 0)
     * and on UDP (T = 1); a frame one octet longer than its IP packet
     * (no minimum-size padding: 75 octets); ARP; a sublayer longer than
     * the 12 octets tried; a frame cut short by its message */
    inner4_long(&p, 30); /* session 0 is never data, whatever follows it */
    eth(&p, 0, 0x0800);
    l2tpv3(&p, false, 0, 0, 0);
    outer4(&p, L2TPV3_IP_PROTO);
    expect_kept(&p, L2TPV3_IP_PROTO);
    inner4(&p);
    eth(&p, 0, 0x0800);
    l2tpv3(&p, true, 0xc803, 0, 0);
    udp(&p, L2TP_PORT, L2TP_PORT);
    outer4(&p, 17);
    expect_kept(&p, L4_UDP);
    inner6(&p);
    p.b[p.n++] = 0;
    eth(&p, 0, 0x86dd);
    l2tpv3(&p, false, 0, 5, 4);
    outer4(&p, L2TPV3_IP_PROTO);
    expect_kept(&p, L2TPV3_IP_PROTO);
    p.n = 0;
    const uint8_t arp[28] = {0, 1, 8, 0, 6, 4, 0, 1};
    push(&p, arp, sizeof arp);
    eth(&p, 0, 0x0806);
    l2tpv3(&p, false, 0, 5, 0);
    outer4(&p, L2TPV3_IP_PROTO);
    expect_kept(&p, L2TPV3_IP_PROTO);
    inner4_long(&p, 30);
    eth(&p, 0, 0x0800);
    l2tpv3(&p, false, 0, 5, 12);
    push(&p, (const uint8_t[4]){0, 0, 0, 5}, 4); /* a second session id: 16 octets */
    outer4(&p, L2TPV3_IP_PROTO);
    expect_kept(&p, L2TPV3_IP_PROTO);

    /* the decoder alone: the session id; truncation only when the outer
     * header claims the bytes the capture lacks */
    inner4_long(&p, 30);
    eth(&p, 0, 0x0800);
    l2tpv3(&p, false, 0, 0x01020304u, 8);
    struct overlay_inner t;
    struct cursor c = cur_init(p.b, p.n);
    CHECK_EQ_INT(l2tpv3_decode(&c, (uint32_t)p.n, false, &t), PARSE_OK);
    CHECK_EQ_INT(t.vnid, 0x01020304u);
    CHECK_EQ_INT(t.ethertype, OVERLAY_ETHERNET);
    CHECK_EQ_INT(t.vnet_kind, OVERLAY_VNET_NONE);
    CHECK_EQ_INT(cur_left(&t.inner), p.n - 12);
    for (size_t k = 0; k < 12 + 14 + 6; k++) {
        c = cur_init(p.b, k);
        CHECK_EQ_INT(l2tpv3_decode(&c, (uint32_t)p.n, false, &t), PARSE_TRUNCATED);
        c = cur_init(p.b, k);
        CHECK_EQ_INT(l2tpv3_decode(&c, (uint32_t)k, false, &t), PARSE_INVALID);
    }
    c = cur_init(p.b, 12 + 14 + 6);
    CHECK_EQ_INT(l2tpv3_decode(&c, (uint32_t)p.n, false, &t), PARSE_OK);
    CHECK(t.cut);
    static const uint8_t v3[2] = {0x00, 0x03}, v2[2] = {0x40, 0x02};
    c = cur_init(v3, 2);
    CHECK_EQ_INT(l2tp_version(&c), 3);
    c = cur_init(v2, 2);
    CHECK_EQ_INT(l2tp_version(&c), 2);
    c = cur_init(v3, 1);
    CHECK_EQ_INT(l2tp_version(&c), 0);
}

/* VXLAN-GPE header: flags (ver 0, I, P, and others asked), next protocol,
 * VNI. */
static void gpe(struct pb *p, uint8_t flags, uint8_t next, uint32_t vni)
{
    uint8_t h[8] = {flags, 0, 0, next};
    be32(h + 4, vni << 8);
    push(p, h, sizeof h);
}

TEST(vxlan_gpe)
{
    struct pb p;
    inner4(&p); /* next protocol 1: the IPv4 packet itself */
    gpe(&p, 0x0c, 1, 99);
    udp(&p, 50000, VXLAN_GPE_PORT);
    outer4(&p, 17);
    struct pkt_view v = dec(&p);
    check_inner4(&v);
    CHECK_EQ_INT(v.overlays, OVERLAY_VXLAN);
    CHECK_EQ_INT(v.vnet, 99u | 3u << 24);
    CHECK_EQ_INT(v.vlan_outer, 5); /* no inner Ethernet: the tunnel's VLAN stays */

    inner4(&p); /* 3: Ethernet, in VLAN 8 */
    eth(&p, 8, 0x0800);
    gpe(&p, 0x0c, 3, 99);
    udp(&p, 50000, VXLAN_GPE_PORT);
    outer4(&p, 17);
    v = dec(&p);
    check_inner4(&v);
    CHECK_EQ_INT(v.vlan_outer, 8);

    inner6(&p); /* 5: MPLS, one label */
    const uint8_t label[4] = {0x00, 0x01, 0x01, 0x40};
    push(&p, label, 4);
    gpe(&p, 0x0c, 5, 1);
    udp(&p, 50000, VXLAN_GPE_PORT);
    outer4(&p, 17);
    v = dec(&p);
    check_inner6(&v);
    CHECK_EQ_INT(v.mpls_depth, 1);

    /* 4: a Network Service Header (RFC 8300; MD Type 2, no context), then IPv4 */
    inner4(&p);
    const uint8_t nsh[8] = {0x0f, 0xc2, 0x02, 0x01, 0x00, 0x00, 0x2a, 0xff};
    push(&p, nsh, sizeof nsh);
    gpe(&p, 0x0c, 4, 1);
    udp(&p, 50000, VXLAN_GPE_PORT);
    outer4(&p, 17);
    v = dec(&p);
    check_inner4(&v);

    /* I clear, P clear, an OAM packet, an unassigned Next Protocol, version 1: not decoded */
    static const uint8_t bad[5][2] = {{0x04, 1}, {0x08, 1}, {0x0d, 1}, {0x0c, 0x42}, {0x1c, 1}};
    for (int i = 0; i < 5; i++) {
        inner4(&p);
        gpe(&p, bad[i][0], bad[i][1], 1);
        udp(&p, 50000, VXLAN_GPE_PORT);
        outer4(&p, 17);
        expect_kept(&p, L4_UDP);
    }
}

/* An IEEE 802.11 Data frame From DS around p: frame control, duration,
 * three addresses, sequence control, then LLC/SNAP with the EtherType. */
static void wlan(struct pb *p, unsigned etype)
{
    uint8_t h[32] = {0x08, 0x02, 0, 0, 0x02, 0, 0, 0, 0, 0x0a, 0x02, 0, 0, 0, 0, 0x0b,
                     0x02, 0, 0, 0, 0, 0x0c, 0x10, 0x00, 0xaa, 0xaa, 0x03, 0, 0, 0};
    be16(h + 30, etype);
    push(p, h, sizeof h);
}

/* A CAPWAP header (RFC 5415 section 4.3): preamble, HLEN words, WBID 1,
 * the T/F/K/M bits asked; with M, an 8-octet Radio MAC Address field. */
static void capwap(struct pb *p, unsigned preamble, bool native, bool frag, bool keepalive,
                   bool radio_mac)
{
    uint8_t h[16] = {0};
    unsigned hlen = radio_mac ? 4 : 2;
    uint32_t w0 = (uint32_t)preamble << 24 | hlen << 19 | 1u << 9 | (native ? 1u << 8 : 0) |
                  (frag ? 1u << 7 : 0) | (radio_mac ? 1u << 4 : 0) | (keepalive ? 1u << 3 : 0);
    be32(h, w0);
    if (radio_mac) {
        h[8] = 6;
        h[9] = 0x02, h[14] = 0x0b;
    }
    push(p, h, hlen * 4);
}

TEST(capwap_data)
{
    struct pb p;
    inner4(&p); /* T = 0: an IEEE 802.3 frame, from the access point */
    eth(&p, 0, 0x0800);
    capwap(&p, 0, false, false, false, false);
    udp(&p, 50000, CAPWAP_DATA_PORT);
    outer4(&p, 17);
    struct pkt_view v = dec(&p);
    check_inner4(&v);
    CHECK_EQ_INT(v.overlays, OVERLAY_CAPWAP);
    CHECK_EQ_INT(v.vlan_outer, 0);

    inner6(&p); /* T = 1: the 802.11 frame, with a Radio MAC field; from the controller */
    wlan(&p, 0x86dd);
    capwap(&p, 0, true, false, false, true);
    udp(&p, CAPWAP_DATA_PORT, 50000);
    outer4(&p, 17);
    v = dec(&p);
    check_inner6(&v);
    CHECK_EQ_INT(v.overlays, OVERLAY_CAPWAP);

    /* a Cisco access point's frame: the Frame Control octets swapped */
    inner4(&p);
    wlan(&p, 0x0800);
    uint8_t t0 = p.b[0];
    p.b[0] = p.b[1], p.b[1] = t0;
    capwap(&p, 0, true, false, false, false);
    udp(&p, 50000, CAPWAP_DATA_PORT);
    outer4(&p, 17);
    v = dec(&p);
    check_inner4(&v);
    CHECK_EQ_INT(v.overlays, OVERLAY_CAPWAP);
    /* neither order a data frame's (a Beacon, From DS set): not decoded */
    inner4(&p);
    wlan(&p, 0x0800);
    p.b[0] = 0x80;
    capwap(&p, 0, true, false, false, false);
    udp(&p, 50000, CAPWAP_DATA_PORT);
    outer4(&p, 17);
    expect_kept(&p, L4_UDP);

    /* DTLS (preamble type 1), a fragment, a keep-alive: not decoded */
    for (int i = 0; i < 3; i++) {
        inner4(&p);
        eth(&p, 0, 0x0800);
        capwap(&p, i == 0 ? 1 : 0, false, i == 1, i == 2, false);
        udp(&p, 50000, CAPWAP_DATA_PORT);
        outer4(&p, 17);
        expect_kept(&p, L4_UDP);
    }
    /* a header length below 8 octets */
    inner4(&p);
    eth(&p, 0, 0x0800);
    capwap(&p, 0, false, false, false, false);
    p.b[1] = 0x08; /* HLEN 1 */
    udp(&p, 50000, CAPWAP_DATA_PORT);
    outer4(&p, 17);
    expect_kept(&p, L4_UDP);
}

/* A TZSP header: version, type, encapsulation, the tags given, END. */
static void tzsp(struct pb *p, uint8_t version, uint8_t type, unsigned encap, bool end)
{
    uint8_t h[16] = {version, type, 0, 0, 0x00, 0x0a, 0x01, 0xc4, 0x00};
    be16(h + 2, encap);
    size_t n = 9; /* PADDING, tag 10 (signal) of 1 octet, PADDING */
    if (end)
        h[n++] = 0x01;
    push(p, h, n);
}

TEST(tzsp_stream)
{
    struct pb p;
    inner4(&p);
    eth(&p, 0, 0x0800);
    tzsp(&p, 1, 0, 1, true);
    udp(&p, 50000, TZSP_PORT);
    outer4(&p, 17);
    struct pkt_view v = dec(&p);
    check_inner4(&v);
    CHECK_EQ_INT(v.overlays, OVERLAY_TZSP);

    inner4(&p); /* an 802.11 frame, type 1 (transmitted) */
    wlan(&p, 0x0800);
    tzsp(&p, 1, 1, 18, true);
    udp(&p, 50000, TZSP_PORT);
    outer4(&p, 17);
    v = dec(&p);
    check_inner4(&v);

    /* version 2, type 4 (keep-alive), encapsulation 119 (Prism), no END tag */
    static const uint8_t bad[4][4] = {{2, 0, 1, 1}, {1, 4, 1, 1}, {1, 0, 119, 1}, {1, 0, 1, 0}};
    for (int i = 0; i < 4; i++) {
        p.n = 0;
        if (bad[i][3]) {
            inner4(&p);
            eth(&p, 0, 0x0800);
        }
        tzsp(&p, bad[i][0], bad[i][1], bad[i][2], bad[i][3] != 0);
        udp(&p, 50000, TZSP_PORT);
        outer4(&p, 17);
        expect_kept(&p, L4_UDP);
    }
}

/* A Teredo client's address (RFC 4380 section 4): 2001:0000, its server
 * 192.0.2.121, flags 0x8000, its mapped port 40000 and address
 * 198.51.100.7, both obfuscated (XOR all ones). */
static const uint8_t teredo_client[16] = {0x20, 0x01, 0, 0, 0xc0, 0x00, 0x02, 0x79,
                                          0x80, 0x00, 0x63, 0xbf, 0x39, 0xcc, 0x9b, 0xf8};

/* inner6, with the Teredo client as its source (src) or destination. */
static void inner6_teredo(struct pb *p, bool src)
{
    inner6(p);
    memcpy(p->b + (src ? 8 : 24), teredo_client, 16);
}

/* The optional headers before the IPv6 packet (section 5.1.1). */
static void teredo_origin(struct pb *p)
{
    static const uint8_t h[8] = {0, 0, 0x63, 0xbf, 0x39, 0xcc, 0x9b, 0xf8};
    push(p, h, sizeof h);
}

static void teredo_auth(struct pb *p, uint8_t id_len, uint8_t au_len)
{
    uint8_t h[4 + 255 + 255 + 9] = {0, 1, id_len, au_len};
    push(p, h, 4u + id_len + au_len + 9u);
}

TEST(teredo)
{
    /* client -> server (UDP 3544), with an origin indication: decoded
     * whatever the IPv6 addresses */
    struct pb p;
    inner6(&p);
    teredo_origin(&p);
    udp(&p, 40000, TEREDO_PORT);
    outer4(&p, 17);
    struct pkt_view v = dec(&p);
    check_inner6(&v);
    CHECK_EQ_INT(v.overlays, OVERLAY_TEREDO);

    /* authentication, then origin indication, from the server's port */
    inner6(&p);
    teredo_origin(&p);
    teredo_auth(&p, 3, 20);
    udp(&p, TEREDO_PORT, 40000);
    outer4(&p, 17);
    v = dec(&p);
    check_inner6(&v);
    CHECK_EQ_INT(v.overlays, OVERLAY_TEREDO);

    /* client <-> relay on ports of their own: the Teredo address decides,
     * at either end of the IPv6 packet */
    for (int src = 0; src < 2; src++) {
        inner6_teredo(&p, src);
        udp(&p, 40000, 51000);
        outer4(&p, 17);
        v = dec(&p);
        check_inner6(&v);
        CHECK_EQ_INT(v.overlays, OVERLAY_TEREDO);
        CHECK(memcmp(src ? v.src.a : v.dst.a, teredo_client, 16) == 0);
    }

    /* the same without a Teredo address is only UDP, not a kept overlay */
    inner6(&p);
    udp(&p, 40000, 51000);
    outer4(&p, 17);
    v = dec(&p);
    check_outer(&v, L4_UDP);
    CHECK(!v.overlay_kept);

    /* a Teredo address but a Payload Length that does not fill the
     * datagram: not Teredo either (one octet more in the datagram) */
    inner6_teredo(&p, true);
    p.b[p.n++] = 0;
    udp(&p, 40000, 51000);
    outer4(&p, 17);
    v = dec(&p);
    check_outer(&v, L4_UDP);
    CHECK(!v.overlay_kept);

    /* on the server port, what is not Teredo is a kept overlay: an IPv4
     * packet, a short datagram, a length that does not match */
    inner4(&p);
    udp(&p, 40000, TEREDO_PORT);
    outer4(&p, 17);
    expect_kept(&p, L4_UDP);
    inner6(&p);
    p.b[p.n++] = 0;
    udp(&p, 40000, TEREDO_PORT);
    outer4(&p, 17);
    expect_kept(&p, L4_UDP);

    /* a bubble (section 5.2.6): an IPv6 header with No Next Header and no
     * payload, to the server */
    p.n = 0;
    ip6(&p, 59);
    udp(&p, 40000, TEREDO_PORT);
    outer4(&p, 17);
    v = dec(&p);
    CHECK_EQ_INT(v.ip_version, 6);
    CHECK_EQ_INT(v.overlays, OVERLAY_TEREDO);
    CHECK(!v.has_ports);

    /* Teredo runs over IPv4 only: over an IPv6 outer header it stays UDP */
    inner6(&p);
    udp(&p, 40000, TEREDO_PORT);
    ip6(&p, 17);
    eth(&p, 0, 0x86dd);
    v = dec(&p);
    CHECK_EQ_INT(v.ip_version, 6);
    CHECK_EQ_INT(v.l4proto, L4_UDP);
    CHECK_EQ_INT(v.overlays, 0);
    CHECK(!v.overlay_kept);
}

TEST(nested_and_gtpu_inside)
{
    /* an ERSPAN copy of a VXLAN tunnel carrying a GTP-U packet */
    struct pb p;
    inner4(&p);
    const uint8_t gtp[8] = {0x30, 0xff, 0, 0, 0, 0, 0x12, 0x34};
    push(&p, gtp, sizeof gtp);
    be16(p.b + 2, (unsigned)(p.n - 8));
    udp(&p, 2152, 2152);
    ip4(&p, 17, 10, 20);
    eth(&p, 0, 0x0800);
    vxlan(&p, 0x08, 99, 0);
    udp(&p, 51000, VXLAN_PORT);
    ip4(&p, 17, 30, 40);
    eth(&p, 0, 0x0800);
    gre(&p, 0, 0x88be, NULL, 0);
    outer4(&p, 47);
    struct pkt_view v = dec(&p);
    check_inner4(&v);
    CHECK_EQ_INT(v.overlays, OVERLAY_ERSPAN | OVERLAY_VXLAN);
    CHECK(v.tunnel);
    CHECK_EQ_INT(v.teid, 0x1234);
    CHECK(ip4_last(&v.tun_src, 2, 10));
}

TEST(depth_limit)
{
    struct pb p;
    inner4(&p);
    for (int i = 0; i < DECODE_MAX_OVERLAYS + 1; i++)
        ip4(&p, 4, (uint8_t)(100 + i), (uint8_t)(100 + i));
    eth(&p, 0, 0x0800);
    struct pkt_view v = dec(&p);
    CHECK(v.anomalies & ANOM_ENCAP_DEPTH);
    CHECK_EQ_INT(v.l4proto, 4); /* the packet at the limit, still a tunnel */
    CHECK_EQ_INT(v.overlays, OVERLAY_IPIP);
    CHECK(ip4_last(&v.src, 2, 100));
}

TEST(cut_by_the_capture)
{
    /* snaplen ends inside the inner IPv4 header: the outer view stays,
     * ANOM_TRUNCATED, as for GTP-U */
    struct pb p;
    inner4(&p);
    eth(&p, 0, 0x0800);
    vxlan(&p, 0x08, 1, 0);
    udp(&p, 51000, VXLAN_PORT);
    outer4(&p, 17);
    size_t cut = 18 + 20 + 8 + 8 + 14 + 10;
    struct pkt_view v;
    CHECK_EQ_INT(decode_packet(LINK_EN10MB, p.b, (uint32_t)cut, (uint32_t)p.n, 0, &v), PARSE_OK);
    check_outer(&v, L4_UDP);
    CHECK(v.anomalies & ANOM_TRUNCATED);
    CHECK(!v.overlay_kept);

    /* cut inside the VXLAN header */
    cut = 18 + 20 + 8 + 4;
    CHECK_EQ_INT(decode_packet(LINK_EN10MB, p.b, (uint32_t)cut, (uint32_t)p.n, 0, &v), PARSE_OK);
    check_outer(&v, L4_UDP);
    CHECK(v.anomalies & ANOM_TRUNCATED);

    /* a later IPv4 fragment of a GRE packet has no GRE header */
    inner4(&p);
    gre(&p, 0, 0x0800, NULL, 0);
    outer4(&p, 47);
    p.b[18 + 6] = 0x00, p.b[18 + 7] = 0x10; /* fragment offset 128 */
    CHECK_EQ_INT(decode_packet(LINK_EN10MB, p.b, (uint32_t)p.n, (uint32_t)p.n, 0, &v), PARSE_OK);
    check_outer(&v, 47);
    CHECK(!v.overlay_kept);
}

TEST(decoders_alone)
{
    /* the header decoders on their own: short input is truncated when the
     * outer header claimed more, invalid when it did not */
    static const uint8_t vx[4] = {0x08, 0, 0, 0};
    struct overlay_inner t;
    struct cursor c = cur_init(vx, sizeof vx);
    CHECK_EQ_INT(vxlan_decode(&c, 100, &t), PARSE_TRUNCATED);
    c = cur_init(vx, sizeof vx);
    CHECK_EQ_INT(vxlan_decode(&c, 4, &t), PARSE_INVALID);
    static const uint8_t g[6] = {0x30, 0x00, 0x08, 0x00, 0, 0}; /* K, S: 8 more octets */
    enum gre_kind k;
    c = cur_init(g, sizeof g);
    CHECK_EQ_INT(gre_decode(&c, 100, &t, &k), PARSE_TRUNCATED);
    c = cur_init(g, sizeof g);
    CHECK_EQ_INT(gre_decode(&c, 6, &t, &k), PARSE_INVALID);
    static const uint8_t gk[12] = {0x20, 0x00, 0x08, 0x00, 0, 0, 0x12, 0x34, 0x45};
    c = cur_init(gk, sizeof gk);
    CHECK_EQ_INT(gre_decode(&c, 12, &t, &k), PARSE_OK);
    CHECK_EQ_INT(t.vnid, 0x1234);
    CHECK_EQ_INT(t.ethertype, 0x0800);
    CHECK_EQ_INT(cur_left(&t.inner), 4);
    static const uint8_t gn[8] = {0x00, 0x00, 0x65, 0x58, 0x00, 0x10, 0x01, 0x00};
    c = cur_init(gn, sizeof gn);
    CHECK_EQ_INT(geneve_decode(&c, 8, &t), PARSE_OK);
    CHECK_EQ_INT(t.vnid, 0x1001);
    CHECK_EQ_INT(t.ethertype, OVERLAY_ETHERNET);
    CHECK_EQ_INT(cur_left(&t.inner), 0);
    /* Teredo: an authentication indicator cut inside its nonce, an origin
     * indication cut short, an IPv6 header cut short; alone, then claimed
     * longer by the UDP header */
    static const uint8_t au[10] = {0, 1, 0, 0, 1, 2, 3, 4, 5, 6};
    static const uint8_t og[5] = {0, 0, 1, 2, 3};
    static const uint8_t v6[12] = {0x60, 0, 0, 0, 0, 0, 59, 64, 0x20, 0x01, 0, 0};
    const struct { const uint8_t *b; size_t n; } cut[] = {{au, sizeof au}, {og, sizeof og},
                                                          {v6, sizeof v6}};
    for (size_t i = 0; i < sizeof cut / sizeof cut[0]; i++) {
        c = cur_init(cut[i].b, cut[i].n);
        CHECK_EQ_INT(teredo_decode(&c, 100, true, &t), PARSE_TRUNCATED);
        c = cur_init(cut[i].b, cut[i].n);
        CHECK_EQ_INT(teredo_decode(&c, (uint32_t)cut[i].n, true, &t), PARSE_INVALID);
    }
}

/* A VXLAN or GENEVE VNI names a virtual network, as a VLAN id does: the
 * same inner 5-tuple in two of them is two flows, and in one of them one
 * flow in both directions.  A GRE key is not a network (RFC 2890 section
 * 2.1: a flow within the tunnel) and an ERSPAN session is a mirror: both
 * leave the key alone. */
static struct flow_key key_of(const struct pb *p)
{
    struct pkt_view v = dec(p);
    struct flow_key k;
    bool a;
    memset(&k, 0xee, sizeof k);
    CHECK(flow_table_key(&v, &k, &a));
    return k;
}

TEST(vni_in_flow_key)
{
    struct pb p;
    struct flow_key k[4];
    for (uint32_t i = 0; i < 2; i++) {
        inner4(&p);
        eth(&p, 0, 0x0800);
        vxlan(&p, 0x08, 100 + i, 0);
        udp(&p, 51000, VXLAN_PORT);
        outer4(&p, 17);
        k[i] = key_of(&p);
    }
    CHECK(memcmp(&k[0], &k[1], sizeof k[0]) != 0);
    /* the reply in VNI 100, through the same tunnel the other way */
    static const uint8_t reply[20] = {0x01, 0xbb, 0x9c, 0x40, 0, 0, 0, 9, 0, 0, 0, 2,
                                      0x50, 0x12, 0xff, 0xff, 0, 0, 0, 0};
    memcpy(p.b, reply, sizeof reply);
    p.n = sizeof reply;
    ip4(&p, 6, 88, 77);
    p.b[12] = 198, p.b[13] = 51, p.b[14] = 100; /* 198.51.100.88 -> 192.0.2.77 */
    p.b[16] = 192, p.b[17] = 0, p.b[18] = 2;
    eth(&p, 0, 0x0800);
    vxlan(&p, 0x08, 100, 0);
    udp(&p, 51000, VXLAN_PORT);
    outer4(&p, 17);
    k[2] = key_of(&p);
    CHECK(memcmp(&k[0], &k[2], sizeof k[0]) == 0);
    /* GENEVE VNI 100 is the same network id, another overlay: its own flow */
    inner4(&p);
    eth(&p, 0, 0x0800);
    geneve(&p, 0, 0, 0x6558, 100);
    udp(&p, 51000, GENEVE_PORT);
    outer4(&p, 17);
    k[3] = key_of(&p);
    CHECK(memcmp(&k[0], &k[3], sizeof k[0]) != 0);
    /* a GRE key and an ERSPAN session do not split flows */
    inner4(&p);
    const uint32_t key = 0x2a;
    gre(&p, 0x2000, 0x0800, &key, 1);
    outer4(&p, 47);
    CHECK_EQ_INT(key_of(&p).tunnel, 0);
    inner4(&p);
    eth(&p, 0, 0x0800);
    gre(&p, 0, 0x88be, NULL, 0);
    outer4(&p, 47);
    CHECK_EQ_INT(key_of(&p).tunnel, 0);
}

int main(void)
{
    RUN(ip_in_ip);
    RUN(gre_plain_and_options);
    RUN(gre_not_decoded_stays_outer);
    RUN(erspan_types);
    RUN(vxlan);
    RUN(geneve);
    RUN(gre_in_udp);
    RUN(pptp_enhanced_gre);
    RUN(l2tp_data);
    RUN(l2tpv3);
    RUN(vxlan_gpe);
    RUN(capwap_data);
    RUN(tzsp_stream);
    RUN(teredo);
    RUN(nested_and_gtpu_inside);
    RUN(depth_limit);
    RUN(cut_by_the_capture);
    RUN(decoders_alone);
    RUN(vni_in_flow_key);
    return harness_done();
}
