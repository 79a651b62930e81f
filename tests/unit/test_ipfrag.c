/* test_ipfrag.c - IPv4/IPv6 fragment reassembly (capture/ipfrag.c) through
 * decode_packet_reasm (capture/decode.c).
 *
 * Datagrams are built whole, then cut into fragments by the helpers below as
 * RFC 791 section 3.2 and RFC 8200 section 4.5 describe (documentation
 * addresses, RFC 5737 and RFC 3849).  Every fragment is also decoded from
 * every prefix of an exactly sized heap copy into a fresh table, so
 * AddressSanitizer catches a read past caplen.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture/decode.h"
#include "capture/ipfrag.h"
#include "capture/link.h"
#include "tests/harness.h"
#include "tests/unit/put_be.h"

#define MAXF 2048

struct frame {
    uint8_t b[MAXF];
    uint32_t n;
    uint64_t ts_us;
};

/* A UDP datagram 40000 -> dport with n payload bytes of a counting pattern
 * (the transport part of the IP datagram). */
static size_t udp_dgram(uint8_t *out, unsigned dport, size_t n)
{
    be16(out, 40000);
    be16(out + 2, dport);
    be16(out + 4, (unsigned)(8 + n));
    out[6] = out[7] = 0;
    for (size_t i = 0; i < n; i++)
        out[8 + i] = (uint8_t)(i * 7 + 3);
    return 8 + n;
}

/* Ethernet II (one 802.1Q tag when vlan is not 0); returns its length. */
static uint32_t eth(uint8_t *p, unsigned vlan, unsigned etype)
{
    static const uint8_t macs[12] = {0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2};
    memcpy(p, macs, sizeof macs);
    uint32_t n = 12;
    if (vlan) {
        be16(p + n, 0x8100);
        be16(p + n + 2, vlan);
        n += 4;
    }
    be16(p + n, etype);
    return n + 2;
}

/* An IPv4 fragment 192.0.2.1 -> 198.51.100.2 of data[off, off + len). */
static void frag4(struct frame *f, unsigned vlan, uint16_t id, uint8_t proto,
                  const uint8_t *data, size_t off, size_t len, int more)
{
    uint32_t e = eth(f->b, vlan, 0x0800);
    uint8_t *h = f->b + e;
    static const uint8_t ip[20] = {0x45, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0, 0,
                                   192, 0, 2, 1, 198, 51, 100, 2};
    memcpy(h, ip, sizeof ip);
    be16(h + 2, (unsigned)(20 + len));
    be16(h + 4, id);
    be16(h + 6, (unsigned)((more ? 0x2000 : 0) | off / 8));
    h[9] = proto;
    memcpy(h + 20, data + off, len);
    f->n = e + 20 + (uint32_t)len;
    f->ts_us = 0;
}

/* An IPv6 fragment 2001:db8::1 -> 2001:db8::2 of data[off, off + len);
 * nh is the first header of the fragmentable part. */
static void frag6(struct frame *f, uint32_t id, uint8_t nh, const uint8_t *data, size_t off,
                  size_t len, int more)
{
    uint32_t e = eth(f->b, 0, 0x86dd);
    uint8_t *h = f->b + e;
    memset(h, 0, 48);
    h[0] = 0x60;
    be16(h + 4, (unsigned)(8 + len));
    h[6] = 44; /* Fragment */
    h[7] = 64;
    h[8] = 0x20, h[9] = 0x01, h[10] = 0x0d, h[11] = 0xb8, h[23] = 1;
    h[24] = 0x20, h[25] = 0x01, h[26] = 0x0d, h[27] = 0xb8, h[39] = 2;
    h[40] = nh;
    be16(h + 42, (unsigned)(off | (more ? 1 : 0)));
    be32(h + 44, id);
    memcpy(h + 48, data + off, len);
    f->n = e + 48 + (uint32_t)len;
    f->ts_us = 0;
}

static struct ipfrag *table(uint32_t max_dg, uint64_t max_bytes, bool keep)
{
    struct ipfrag_config c = {0};
    c.max_datagrams = max_dg;
    c.max_bytes = max_bytes;
    c.keep_frames = keep;
    struct ipfrag *t = ipfrag_new(&c);
    CHECK(t != NULL);
    return t;
}

static struct source_packet pkt_of(const struct frame *f, uint64_t frame_no)
{
    struct source_packet p = {0};
    p.ts_us = f->ts_us;
    p.caplen = p.wirelen = f->n;
    p.data = f->b;
    p.linktype = LINK_EN10MB;
    p.frame = frame_no;
    return p;
}

static enum parse_rc feed(struct ipfrag *t, const struct frame *f, uint64_t frame_no,
                          struct pkt_view *v)
{
    struct source_packet p = pkt_of(f, frame_no);
    return decode_packet_reasm(t, &p, v);
}

/* Every prefix of fragment `cut` (a heap copy of exactly that size), the
 * other fragments whole, each in a fresh table: no crash, no over-read. */
static void prefixes(const struct frame *fr, size_t nf)
{
    for (size_t cut = 0; cut < nf; cut++)
        for (uint32_t k = 0; k < fr[cut].n; k++) {
            struct ipfrag *t = table(0, 0, true);
            uint8_t *c = malloc(k ? k : 1);
            memcpy(c, fr[cut].b, k);
            for (size_t i = 0; i < nf; i++) {
                struct source_packet p = pkt_of(&fr[i], i + 1);
                if (i == cut) {
                    p.data = c;
                    p.caplen = k;
                }
                struct pkt_view v;
                (void)decode_packet_reasm(t, &p, &v);
            }
            ipfrag_flush(t);
            struct source_packet r;
            while (ipfrag_next_release(t, &r))
                ;
            free(c);
            ipfrag_free(t);
        }
}

/* The view is the whole UDP datagram dg (dglen bytes) to dport. */
static void check_whole_udp(const struct pkt_view *v, const uint8_t *dg, size_t dglen,
                            unsigned dport)
{
    CHECK(!v->frag_held);
    CHECK(!v->frag);
    CHECK_EQ_INT(v->l4proto, L4_UDP);
    CHECK(v->has_ports);
    CHECK_EQ_INT(v->sport, 40000);
    CHECK_EQ_INT(v->dport, dport);
    CHECK_EQ_INT(v->payload_len, dglen - 8);
    CHECK_EQ_INT(v->payload.n, dglen - 8);
    CHECK(v->payload.n == dglen - 8 && memcmp(v->payload.p, dg + 8, dglen - 8) == 0);
}

/* RFC 1071: the header checksum over a valid header sums to 0xffff. */
static unsigned ip4_sum(const uint8_t *h, size_t n)
{
    uint32_t s = 0;
    for (size_t i = 0; i + 1 < n; i += 2)
        s += (uint32_t)h[i] << 8 | h[i + 1];
    while (s >> 16)
        s = (s & 0xffffu) + (s >> 16);
    return s;
}

TEST(ipv4_in_order)
{
    uint8_t dg[3000];
    size_t n = udp_dgram(dg, 5060, 2500);
    struct frame fr[3];
    frag4(&fr[0], 0, 0x1234, 17, dg, 0, 1480, 1);
    frag4(&fr[1], 0, 0x1234, 17, dg, 1480, 1000, 1);
    frag4(&fr[2], 0, 0x1234, 17, dg, 2480, n - 2480, 0);
    for (int i = 0; i < 3; i++)
        fr[i].ts_us = 1000 + (uint64_t)i;
    struct ipfrag *t = table(0, 0, false);
    struct pkt_view v;
    CHECK_EQ_INT(feed(t, &fr[0], 1, &v), PARSE_OK);
    CHECK(v.frag_held);
    CHECK(!v.has_ports); /* held: the walk stops at IP */
    CHECK_EQ_INT(feed(t, &fr[1], 2, &v), PARSE_OK);
    CHECK(v.frag_held);
    CHECK_EQ_INT(feed(t, &fr[2], 3, &v), PARSE_OK);
    check_whole_udp(&v, dg, n, 5060);
    CHECK_EQ_INT(v.reassembled, 3);
    CHECK_EQ_INT(v.wirelen, fr[0].n + fr[1].n + fr[2].n);
    CHECK_EQ_INT(v.ts_us, 1002);  /* the completing fragment's time ... */
    CHECK_EQ_INT(v.src_frame, 3); /* ... and frame */
    CHECK_EQ_INT(v.l3_len, 20 + n);
    CHECK_EQ_INT(v.l3.n, 20 + n);
    CHECK((v.l3.p[6] & 0x3f) == 0 && v.l3.p[7] == 0); /* MF and offset cleared */
    CHECK_EQ_INT(ip4_sum(v.l3.p, 20), 0xffff);
    CHECK(v.anomalies & ANOM_FRAGMENT);
    struct ipfrag_stats s;
    ipfrag_get_stats(t, &s);
    CHECK_EQ_INT(s.fragments, 3);
    CHECK_EQ_INT(s.reassembled, 1);
    CHECK_EQ_INT(s.incomplete, 0);
    CHECK_EQ_INT(s.peak_datagrams, 1);
    CHECK_EQ_INT(s.peak_bytes, fr[0].n + n); /* the first fragment's frame, and the data */
    struct source_packet r;
    CHECK(!ipfrag_next_release(t, &r));
    ipfrag_free(t);
    prefixes(fr, 3);
}

TEST(ipv4_any_order)
{
    uint8_t dg[3000];
    size_t n = udp_dgram(dg, 1812, 2000);
    struct frame fr[3];
    frag4(&fr[0], 0, 7, 17, dg, 0, 800, 1);
    frag4(&fr[1], 0, 7, 17, dg, 800, 800, 1);
    frag4(&fr[2], 0, 7, 17, dg, 1600, n - 1600, 0);
    static const int orders[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2},
                                     {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    for (int o = 0; o < 6; o++) {
        struct ipfrag *t = table(0, 0, false);
        struct pkt_view v;
        for (int i = 0; i < 3; i++) {
            CHECK_EQ_INT(feed(t, &fr[orders[o][i]], (uint64_t)i + 1, &v), PARSE_OK);
            CHECK_EQ_INT(v.frag_held, i < 2);
        }
        check_whole_udp(&v, dg, n, 1812);
        ipfrag_free(t);
    }
}

TEST(ipv6_headers_after_the_fragment_header)
{
    /* Fragmentable part: Destination Options (8 octets, PadN), then UDP. */
    uint8_t dg[2000] = {17, 0, 1, 4, 0, 0, 0, 0};
    size_t n = 8 + udp_dgram(dg + 8, 53, 1500);
    struct frame fr[2];
    frag6(&fr[0], 0xabcdef01u, 60, dg, 0, 1232, 1);
    frag6(&fr[1], 0xabcdef01u, 60, dg, 1232, n - 1232, 0);
    struct ipfrag *t = table(0, 0, false);
    struct pkt_view v;
    CHECK_EQ_INT(feed(t, &fr[1], 1, &v), PARSE_OK); /* the last comes first */
    CHECK(v.frag_held);
    CHECK_EQ_INT(feed(t, &fr[0], 2, &v), PARSE_OK);
    check_whole_udp(&v, dg + 8, n - 8, 53);
    CHECK_EQ_INT(v.ip_version, 6);
    CHECK_EQ_INT(v.l3_len, 40 + n);
    CHECK_EQ_INT(v.l3.p[6], 60); /* the fixed header names what followed the Fragment header */
    ipfrag_free(t);
    prefixes(fr, 2);
}

/* Overlapping fragments (RFC 5722; RFC 1858 for IPv4): the datagram is given
 * up, the first fragment goes on alone, the overlapping one as it is. */
TEST(overlap_gives_the_datagram_up)
{
    uint8_t dg[3000];
    size_t n = udp_dgram(dg, 5060, 2000);
    struct frame a, b, c;
    frag4(&a, 0, 9, 17, dg, 0, 1000, 1);
    frag4(&b, 0, 9, 17, dg, 800, n - 800, 0); /* 800 < 1000 */
    a.ts_us = 10, b.ts_us = 11;
    struct ipfrag *t = table(0, 0, false);
    struct pkt_view v;
    feed(t, &a, 1, &v);
    CHECK(v.frag_held);
    feed(t, &b, 2, &v);
    CHECK(!v.frag_held); /* refused: decoded as it is (a non-first fragment) */
    CHECK(v.frag && !v.has_ports);
    struct source_packet r;
    CHECK(ipfrag_next_release(t, &r));
    CHECK_EQ_INT(r.frame, 1);
    CHECK_EQ_INT(r.ts_us, 10);
    CHECK(r.caplen == a.n && memcmp(r.data, a.b, a.n) == 0);
    CHECK(!ipfrag_next_release(t, &r));
    struct ipfrag_stats s;
    ipfrag_get_stats(t, &s);
    CHECK_EQ_INT(s.overlaps, 1);
    CHECK_EQ_INT(s.first_alone, 1);
    CHECK_EQ_INT(s.incomplete, 1);
    /* The same range with other bytes is an overlap too. */
    frag4(&b, 0, 10, 17, dg, 1000, n - 1000, 0);
    frag4(&c, 0, 10, 17, dg, 1000, n - 1000, 0);
    c.b[c.n - 1] ^= 0xff;
    feed(t, &b, 3, &v);
    feed(t, &c, 4, &v);
    CHECK(!v.frag_held);
    ipfrag_get_stats(t, &s);
    CHECK_EQ_INT(s.overlaps, 2);
    CHECK(!ipfrag_next_release(t, &r)); /* no first fragment was held */
    ipfrag_free(t);
}

TEST(exact_duplicate_is_dropped)
{
    uint8_t dg[3000];
    size_t n = udp_dgram(dg, 5060, 2000);
    struct frame a, b;
    frag4(&a, 0, 11, 17, dg, 0, 1000, 1);
    frag4(&b, 0, 11, 17, dg, 1000, n - 1000, 0);
    struct ipfrag *t = table(0, 0, false);
    struct pkt_view v;
    feed(t, &a, 1, &v);
    feed(t, &a, 2, &v);
    CHECK(v.frag_held);
    feed(t, &b, 3, &v);
    check_whole_udp(&v, dg, n, 5060);
    CHECK_EQ_INT(v.reassembled, 2);
    struct ipfrag_stats s;
    ipfrag_get_stats(t, &s);
    CHECK_EQ_INT(s.duplicates, 1);
    CHECK_EQ_INT(s.reassembled, 1);
    ipfrag_free(t);
}

/* 30 s for IPv4 (Linux ipfrag_time), 60 s for IPv6 (RFC 8200 4.5), on
 * packet time; time going back is not time passing. */
TEST(timeouts)
{
    uint8_t dg[3000];
    size_t n = udp_dgram(dg, 5060, 2000);
    struct frame a4, a6, late;
    frag4(&a4, 0, 12, 17, dg, 0, 1000, 1);
    frag6(&a6, 12, 17, dg, 0, 1000, 1);
    frag4(&late, 0, 12, 17, dg, 1000, n - 1000, 0);
    a4.ts_us = 1000000, a6.ts_us = 1000001;
    struct ipfrag *t = table(0, 0, false);
    struct pkt_view v;
    struct source_packet r;
    feed(t, &a4, 1, &v);
    feed(t, &a6, 2, &v);
    ipfrag_expire(t, 1000000 + 30000000); /* exactly 30 s: not yet */
    CHECK(!ipfrag_next_release(t, &r));
    ipfrag_expire(t, 5); /* back in time */
    CHECK(!ipfrag_next_release(t, &r));
    ipfrag_expire(t, 1000000 + 30000001);
    CHECK(ipfrag_next_release(t, &r));
    CHECK_EQ_INT(r.frame, 1);
    CHECK(!ipfrag_next_release(t, &r)); /* IPv6 waits 60 s */
    late.ts_us = 1000000 + 31000000;
    feed(t, &late, 3, &v); /* its first fragment has gone: held, never whole */
    CHECK(v.frag_held);
    ipfrag_expire(t, 1000001 + 60000001);
    CHECK(ipfrag_next_release(t, &r));
    CHECK_EQ_INT(r.frame, 2);
    CHECK(!ipfrag_next_release(t, &r));
    struct ipfrag_stats s;
    ipfrag_get_stats(t, &s);
    CHECK_EQ_INT(s.timed_out, 2);
    ipfrag_flush(t);
    ipfrag_get_stats(t, &s);
    CHECK_EQ_INT(s.at_end, 1); /* the lone last fragment */
    CHECK_EQ_INT(s.incomplete, 3);
    CHECK_EQ_INT(s.first_alone, 2);
    CHECK(!ipfrag_next_release(t, &r));
    ipfrag_free(t);
}

/* At most max_datagrams: the oldest is evicted, its first fragment passed on. */
TEST(datagram_bound_evicts_the_oldest)
{
    uint8_t dg[3000];
    udp_dgram(dg, 5060, 2000);
    struct ipfrag *t = table(2, 0, false);
    struct pkt_view v;
    struct frame f;
    for (uint16_t id = 1; id <= 3; id++) {
        frag4(&f, 0, id, 17, dg, 0, 1000, 1);
        feed(t, &f, id, &v);
        CHECK(v.frag_held);
    }
    struct source_packet r;
    CHECK(ipfrag_next_release(t, &r));
    CHECK_EQ_INT(r.frame, 1);
    CHECK(!ipfrag_next_release(t, &r));
    struct ipfrag_stats s;
    ipfrag_get_stats(t, &s);
    CHECK_EQ_INT(s.evicted, 1);
    CHECK_EQ_INT(s.peak_datagrams, 2);
    ipfrag_free(t);
}

/* IPv4 and IPv6 datagrams wait in one list per family; eviction still
 * takes the oldest of all, and a family's timeout does not wait behind the
 * other's (an IPv6 datagram older than an IPv4 one that is due). */
TEST(two_families_one_age)
{
    uint8_t dg[3000];
    udp_dgram(dg, 5060, 2000);
    struct ipfrag *t = table(2, 0, false);
    struct pkt_view v;
    struct source_packet r;
    struct frame f6a, f4, f6b;
    frag6(&f6a, 1, 17, dg, 0, 1000, 1);
    frag4(&f4, 0, 2, 17, dg, 0, 1000, 1);
    frag6(&f6b, 3, 17, dg, 0, 1000, 1);
    f6a.ts_us = 1000000, f4.ts_us = 2000000, f6b.ts_us = 3000000;
    feed(t, &f6a, 1, &v);
    feed(t, &f4, 2, &v);
    feed(t, &f6b, 3, &v); /* full: the IPv6 datagram of frame 1 is the oldest */
    CHECK(ipfrag_next_release(t, &r));
    CHECK_EQ_INT(r.frame, 1);
    CHECK(!ipfrag_next_release(t, &r));
    ipfrag_expire(t, 2000000 + 30000001); /* the IPv4 one is due, the IPv6 one not */
    CHECK(ipfrag_next_release(t, &r));
    CHECK_EQ_INT(r.frame, 2);
    CHECK(!ipfrag_next_release(t, &r));
    ipfrag_expire(t, 3000000 + 60000001);
    CHECK(ipfrag_next_release(t, &r));
    CHECK_EQ_INT(r.frame, 3);
    struct ipfrag_stats s;
    ipfrag_get_stats(t, &s);
    CHECK_EQ_INT(s.evicted, 1);
    CHECK_EQ_INT(s.timed_out, 2);
    ipfrag_free(t);
}

/* The byte budget holds whatever the input: 200 datagrams of 1,000-octet
 * first fragments into 64 KiB, the evicted first fragments handed out after
 * each packet as the pipeline does. */
TEST(byte_bound)
{
    uint8_t dg[3000];
    udp_dgram(dg, 5060, 2000);
    const uint64_t budget = 64 * 1024;
    struct ipfrag *t = table(0, budget, false);
    struct pkt_view v;
    struct frame f;
    uint64_t released = 0, last = 0;
    bool ordered = true;
    for (uint16_t id = 1; id <= 200; id++) {
        frag4(&f, 0, id, 17, dg, 0, 1000, 1);
        feed(t, &f, id, &v);
        CHECK(v.frag_held);
        struct source_packet r;
        while (ipfrag_next_release(t, &r)) {
            ordered = ordered && r.frame > last;
            last = r.frame;
            released++;
        }
    }
    struct ipfrag_stats s;
    ipfrag_get_stats(t, &s);
    CHECK(s.peak_charged <= budget);
    CHECK(s.peak_charged > budget - 8192); /* it was full, not unused */
    CHECK(s.peak_bytes < s.peak_charged);
    CHECK(s.peak_bytes >= 1000);
    CHECK(s.evicted > 150);
    CHECK_EQ_INT(s.evicted, s.first_alone);
    CHECK_EQ_INT(s.nomem, 0);
    CHECK_EQ_INT(released, s.first_alone);
    CHECK(ordered); /* oldest first */
    ipfrag_free(t);
}

TEST(refused_fragments_go_as_they_are)
{
    uint8_t dg[3000];
    udp_dgram(dg, 5060, 2000);
    struct ipfrag *t = table(0, 0, false);
    struct pkt_view v;
    struct frame f;
    frag4(&f, 0, 20, 17, dg, 0, 1001, 1); /* not a multiple of 8 with MF */
    feed(t, &f, 1, &v);
    CHECK(!v.frag_held);
    CHECK(v.frag && v.frag_first && v.has_ports); /* the first fragment as it is */
    frag4(&f, 0, 21, 17, dg, 0, 0, 1); /* empty, more to come */
    feed(t, &f, 2, &v);
    CHECK(!v.frag_held);
    static const uint8_t zeros[65544];
    frag6(&f, 22, 17, zeros, 65528, 16, 0); /* offset + length past 65,535 */
    feed(t, &f, 3, &v);
    CHECK(!v.frag_held);
    struct ipfrag_stats s;
    ipfrag_get_stats(t, &s);
    CHECK_EQ_INT(s.refused, 3);
    CHECK_EQ_INT(s.fragments, 0);
    ipfrag_free(t);
}

TEST(contradictions_give_up)
{
    uint8_t dg[3000];
    size_t n = udp_dgram(dg, 5060, 2000);
    struct ipfrag *t = table(0, 0, false);
    struct pkt_view v;
    struct frame f;
    /* two last fragments with different ends */
    frag4(&f, 0, 30, 17, dg, 1000, n - 1000, 0);
    feed(t, &f, 1, &v);
    frag4(&f, 0, 30, 17, dg, 1000, 800, 0);
    feed(t, &f, 2, &v);
    CHECK(!v.frag_held);
    /* a fragment past a known end */
    frag4(&f, 0, 31, 17, dg, 800, 800, 0);
    feed(t, &f, 3, &v);
    CHECK(v.frag_held);
    frag4(&f, 0, 31, 17, dg, 1600, 800, 1);
    feed(t, &f, 4, &v);
    CHECK(!v.frag_held);
    /* IPFRAG_MAX_PIECES 8-octet fragments, then one more */
    uint8_t big[IPFRAG_MAX_PIECES * 8 + 64] = {0};
    for (unsigned i = 0; i <= IPFRAG_MAX_PIECES; i++) {
        frag4(&f, 0, 32, 17, big, 8 + 8 * i, 8, 1);
        feed(t, &f, 5 + i, &v);
        CHECK_EQ_INT(v.frag_held, i < IPFRAG_MAX_PIECES);
    }
    struct ipfrag_stats s;
    ipfrag_get_stats(t, &s);
    CHECK_EQ_INT(s.conflicts, 3);
    ipfrag_free(t);
}

/* An IPv6 atomic fragment (offset 0, M clear) is whole: it is decoded
 * alone, and it neither joins nor disturbs an open datagram of the same id
 * (RFC 6946 section 4). */
TEST(ipv6_atomic_fragment)
{
    uint8_t dg[3000];
    size_t n = udp_dgram(dg, 53, 1500);
    struct frame a, atomic, b;
    frag6(&a, 77, 17, dg, 0, 1232, 1);
    frag6(&b, 77, 17, dg, 1232, n - 1232, 0);
    uint8_t small[200];
    size_t sn = udp_dgram(small, 53, 100);
    frag6(&atomic, 77, 17, small, 0, sn, 0);
    struct ipfrag *t = table(0, 0, false);
    struct pkt_view v;
    feed(t, &a, 1, &v);
    CHECK(v.frag_held);
    feed(t, &atomic, 2, &v);
    CHECK(v.frag && v.frag_first && !v.frag_held); /* decoded as it is */
    CHECK(v.has_ports && v.dport == 53);
    CHECK(v.payload.n == sn - 8 && memcmp(v.payload.p, small + 8, sn - 8) == 0);
    CHECK_EQ_INT(v.reassembled, 0);
    feed(t, &b, 3, &v);
    check_whole_udp(&v, dg, n, 53);
    struct ipfrag_stats s;
    ipfrag_get_stats(t, &s);
    CHECK_EQ_INT(s.reassembled, 1);
    CHECK_EQ_INT(s.overlaps, 0);
    CHECK_EQ_INT(s.refused, 0);
    ipfrag_free(t);
}

/* A first fragment whose extension chain runs past it (a Destination
 * Options header claiming 1,608 octets) does not decode, so it never
 * reaches the table, and its datagram never completes: the rebuilt
 * datagram's headers are always ones the first fragment decoded. */
TEST(first_fragment_that_does_not_decode)
{
    uint8_t dg[64] = {17, 200}; /* Destination Options, 8 * 201 octets long */
    struct frame a, b;
    frag6(&a, 88, 60, dg, 0, 32, 1);
    frag6(&b, 88, 60, dg, 32, 32, 0);
    struct ipfrag *t = table(0, 0, false);
    struct pkt_view v;
    CHECK_EQ_INT(feed(t, &a, 1, &v), PARSE_INVALID);
    CHECK(!v.frag_held);
    CHECK(v.anomalies & ANOM_BAD_IP_LEN);
    CHECK_EQ_INT(feed(t, &b, 2, &v), PARSE_OK);
    CHECK(v.frag_held);
    ipfrag_flush(t);
    struct source_packet r;
    CHECK(!ipfrag_next_release(t, &r)); /* no first fragment to pass on */
    struct ipfrag_stats s;
    ipfrag_get_stats(t, &s);
    CHECK_EQ_INT(s.fragments, 1);
    CHECK_EQ_INT(s.reassembled, 0);
    CHECK_EQ_INT(s.at_end, 1);
    ipfrag_free(t);
    struct frame fr[2] = {a, b};
    prefixes(fr, 2);
}

/* A capture cut by snaplen still completes the datagram; what was captured
 * without a hole goes on, the claimed lengths stay. */
TEST(snaplen_cut_fragment)
{
    uint8_t dg[3000];
    size_t n = udp_dgram(dg, 5060, 2000);
    struct frame a, b;
    frag4(&a, 0, 40, 17, dg, 0, 1000, 1);
    frag4(&b, 0, 40, 17, dg, 1000, n - 1000, 0);
    struct ipfrag *t = table(0, 0, false);
    struct pkt_view v;
    struct source_packet p = pkt_of(&a, 1);
    p.caplen = 14 + 20 + 600; /* 600 of its 1,000 data octets */
    decode_packet_reasm(t, &p, &v);
    CHECK(v.frag_held);
    feed(t, &b, 2, &v);
    CHECK(!v.frag_held);
    CHECK(v.has_ports);
    CHECK_EQ_INT(v.payload_len, n - 8);
    CHECK_EQ_INT(v.payload.n, 600 - 8);
    CHECK(memcmp(v.payload.p, dg + 8, 600 - 8) == 0);
    CHECK_EQ_INT(v.caplen, 14 + 20 + 600 + b.n);
    ipfrag_free(t);
}

/* The same addresses and id in two VLANs are two datagrams. */
TEST(vlan_in_the_key)
{
    uint8_t dg[3000];
    size_t n = udp_dgram(dg, 5060, 2000);
    struct frame a, b;
    frag4(&a, 100, 50, 17, dg, 0, 1000, 1);
    frag4(&b, 200, 50, 17, dg, 1000, n - 1000, 0);
    struct ipfrag *t = table(0, 0, false);
    struct pkt_view v;
    feed(t, &a, 1, &v);
    feed(t, &b, 2, &v);
    CHECK(v.frag_held);
    frag4(&b, 100, 50, 17, dg, 1000, n - 1000, 0);
    feed(t, &b, 3, &v);
    CHECK(!v.frag_held);
    check_whole_udp(&v, dg, n, 5060);
    CHECK_EQ_INT(v.vlan_outer, 100);
    ipfrag_free(t);
}

/* GTP-U whose outer datagram was fragmented on the way (the inner packet
 * filled the inner MTU, GTP-U's 36 octets did not fit): the inner packet is
 * whole again, and the view is the tunnel's inner packet. */
TEST(gtpu_outer_fragments)
{
    uint8_t dg[3000];
    /* UDP 2152 -> 2152, GTP-U G-PDU TEID 0x01020304, inner IPv4/UDP 40000 -> 443 */
    uint8_t inner[1600];
    size_t in_udp = udp_dgram(inner + 20, 443, 1472); /* a 1,500-octet inner packet */
    static const uint8_t ip[20] = {0x45, 0, 0, 0, 0, 1, 0, 0, 64, 17, 0, 0,
                                   10, 45, 0, 7, 203, 0, 113, 9};
    memcpy(inner, ip, sizeof ip);
    be16(inner + 2, (unsigned)(20 + in_udp));
    size_t in_len = 20 + in_udp;
    uint8_t *u = dg;
    be16(u, 2152);
    be16(u + 2, 2152);
    be16(u + 4, (unsigned)(8 + 8 + in_len));
    u[6] = u[7] = 0;
    uint8_t *g = dg + 8;
    g[0] = 0x30, g[1] = 0xff;
    be16(g + 2, (unsigned)in_len);
    be32(g + 4, 0x01020304u);
    memcpy(dg + 16, inner, in_len);
    size_t n = 16 + in_len;
    struct frame fr[2];
    frag4(&fr[0], 0, 60, 17, dg, 0, 1480, 1);
    frag4(&fr[1], 0, 60, 17, dg, 1480, n - 1480, 0);
    struct ipfrag *t = table(0, 0, false);
    struct pkt_view v;
    feed(t, &fr[0], 1, &v);
    CHECK(v.frag_held);
    CHECK(!v.tunnel);
    feed(t, &fr[1], 2, &v);
    CHECK(v.tunnel);
    CHECK_EQ_INT(v.teid, 0x01020304u);
    CHECK(v.src.a[0] == 10 && v.src.a[3] == 7);
    check_whole_udp(&v, inner + 20, in_udp, 443);
    ipfrag_free(t);
    /* Without a table, as before: the first fragment's inner packet is cut. */
    struct pkt_view w;
    decode_packet(LINK_EN10MB, fr[0].b, fr[0].n, fr[0].n, 0, &w);
    CHECK(w.tunnel);
    CHECK(w.payload.n < in_udp - 8);
    prefixes(fr, 2);
}

/* f becomes Ethernet / IPv4 10.0.0.hs -> 10.0.0.hd / UDP 2152 / GTP-U G-PDU
 * (TEID teid) around the IP packet f carried after its Ethernet header. */
static void gtp_wrap(struct frame *f, uint8_t hs, uint8_t hd, uint32_t teid)
{
    uint8_t inner[MAXF];
    uint32_t n = f->n - 14;
    memcpy(inner, f->b + 14, n);
    uint32_t e = eth(f->b, 0, 0x0800);
    uint8_t *h = f->b + e;
    static const uint8_t ip[20] = {0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 17, 0, 0,
                                   10, 0, 0, 0, 10, 0, 0, 0};
    memcpy(h, ip, sizeof ip);
    be16(h + 2, 20 + 8 + 8 + n);
    h[15] = hs, h[19] = hd;
    be16(h + 20, 2152);
    be16(h + 22, 2152);
    be16(h + 24, 8 + 8 + n);
    h[26] = h[27] = 0;
    h[28] = 0x30, h[29] = 0xff;
    be16(h + 30, n);
    be32(h + 32, teid);
    memcpy(h + 36, inner, n);
    f->n = e + 36 + n;
}

/* The inner packet fragmented before the tunnel, forwarded over two hops
 * with the same TEID (open5gs__srsenb.pcapng: SGW to eNB and on): each
 * hop's copy is its own datagram, not a repeat of the other's. */
TEST(gtpu_inner_fragments_on_two_hops)
{
    uint8_t dg[3000];
    size_t n = udp_dgram(dg, 853, 1600);
    struct frame a1, a2, b1, b2;
    frag4(&a1, 0, 0xdf71, 17, dg, 0, 1400, 1);
    frag4(&a2, 0, 0xdf71, 17, dg, 1400, n - 1400, 0);
    b1 = a1, b2 = a2;
    gtp_wrap(&a1, 7, 6, 1);
    gtp_wrap(&a2, 7, 6, 1);
    gtp_wrap(&b1, 6, 1, 1);
    gtp_wrap(&b2, 6, 1, 1);
    struct ipfrag *t = table(0, 0, false);
    struct pkt_view v;
    feed(t, &a1, 1, &v);
    CHECK(v.frag_held);
    feed(t, &b1, 2, &v);
    CHECK(v.frag_held);
    feed(t, &a2, 3, &v);
    check_whole_udp(&v, dg, n, 853);
    CHECK(v.tunnel && v.tun_src.a[3] == 7);
    feed(t, &b2, 4, &v);
    check_whole_udp(&v, dg, n, 853);
    CHECK(v.tunnel && v.tun_src.a[3] == 6);
    struct ipfrag_stats s;
    ipfrag_get_stats(t, &s);
    CHECK_EQ_INT(s.reassembled, 2);
    CHECK_EQ_INT(s.duplicates, 0);
    ipfrag_free(t);
    struct frame fr[2] = {b1, b2};
    prefixes(fr, 2);
}

/* keep_frames (trapline extract): the other frames of a completed datagram,
 * in arrival order. */
TEST(keep_frames_lists_the_earlier)
{
    uint8_t dg[3000];
    size_t n = udp_dgram(dg, 5060, 2500);
    struct frame fr[3];
    frag4(&fr[0], 0, 70, 17, dg, 0, 1000, 1);
    frag4(&fr[1], 0, 70, 17, dg, 1000, 1000, 1);
    frag4(&fr[2], 0, 70, 17, dg, 2000, n - 2000, 0);
    struct ipfrag_config c = {0};
    c.keep_frames = true;
    struct ipfrag *t = ipfrag_new(&c);
    struct source_packet p;
    struct ipfrag_done done;
    struct pkt_view v;
    const int order[3] = {1, 0, 2};
    enum ipfrag_rc rc = IPFRAG_HELD;
    for (int i = 0; i < 3; i++) {
        p = pkt_of(&fr[order[i]], (uint64_t)order[i] + 1);
        decode_packet(LINK_EN10MB, p.data, p.caplen, p.wirelen, 0, &v);
        /* ipfrag_add directly: decode_packet_reasm does not return *done */
        struct ip_next next;
        struct cursor cur = cur_init(v.l3.p, v.l3.n);
        struct pkt_view w = v;
        CHECK_EQ_INT(ip_decode(&cur, 4, &w, &next), PARSE_OK);
        rc = ipfrag_add(t, &w, &next, 0, &p, &done);
    }
    CHECK_EQ_INT(rc, IPFRAG_DONE);
    CHECK_EQ_INT(done.nearlier, 2);
    CHECK(done.nearlier == 2 && done.earlier[0].frame == 2 && done.earlier[1].frame == 1);
    CHECK(done.nearlier == 2 && done.earlier[1].caplen == fr[0].n &&
          memcmp(done.earlier[1].data, fr[0].b, fr[0].n) == 0);
    CHECK_EQ_INT(done.fragments, 3);
    CHECK_EQ_INT(done.claimed, 20 + n);
    CHECK_EQ_INT(done.captured, 20 + n);
    ipfrag_free(t);
}

int main(void)
{
    RUN(ipv4_in_order);
    RUN(ipv4_any_order);
    RUN(ipv6_headers_after_the_fragment_header);
    RUN(overlap_gives_the_datagram_up);
    RUN(exact_duplicate_is_dropped);
    RUN(timeouts);
    RUN(datagram_bound_evicts_the_oldest);
    RUN(two_families_one_age);
    RUN(byte_bound);
    RUN(refused_fragments_go_as_they_are);
    RUN(contradictions_give_up);
    RUN(ipv6_atomic_fragment);
    RUN(first_fragment_that_does_not_decode);
    RUN(snaplen_cut_fragment);
    RUN(vlan_in_the_key);
    RUN(gtpu_outer_fragments);
    RUN(gtpu_inner_fragments_on_two_hops);
    RUN(keep_frames_lists_the_earlier);
    return harness_done();
}
