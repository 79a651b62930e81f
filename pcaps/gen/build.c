/* build.c - header builders, checksums and the TCP tracker for pcapgen.
 *
 * RFC 791 §3.1 IPv4 header          RFC 8200 §3 IPv6 header
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------+-------+---------------+-------------------------------+
 * |Version|  IHL  |Type of Service|          Total Length         |
 * +-------+-------+---------------+-----+-------------------------+
 * |         Identification        |Flags|      Fragment Offset    |
 * +---------------+---------------+-----+-------------------------+
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * +---------------+---------------+-------------------------------+
 * |             Source Address / Destination Address              |
 * +---------------------------------------------------------------+
 *
 * TCP (RFC 9293 §3.1): ports(4) seq(4) ack(4) off/flags(2) win(2)
 * csum(2) urg(2) options. UDP (RFC 768): ports(4) length(2) csum(2).
 * Both checksums cover a pseudo-header (RFC 768; RFC 8200 §8.1 for IPv6).
 * SCTP (RFC 9260 §3.1): ports(4) verification tag(4) CRC32c(4) chunks,
 * checksum per RFC 9260 Appendix A (Castagnoli polynomial, reflected).
 * GTP-U (TS 29.281 §5.1): flags(1) type(1) length(2) TEID(4) [seq(2)
 * N-PDU(1) next-ext(1)] ext headers, then the T-PDU.
 */
#include "build.h"

#include <arpa/inet.h>
#include <assert.h>
#include <string.h>


#define IPV4_HDR_LEN 20u
#define IPV4_OPT_MAX 40u /* IHL is 4 bits of 32-bit words: 60 - 20 */
#define IPV6_HDR_LEN 40u
#define TCP_HDR_LEN 20u
#define TCP_SYN_OPT_LEN 12u
#define UDP_HDR_LEN 8u
#define GTPU_PORT 2152u  /* TS 29.281 §4.4.2.3 */
#define GTPU_MSG_GPDU 0xFF /* TS 29.281 §6.1 */
#define GTPU_EXT_PDU_SESSION 0x85 /* TS 29.281 §5.2.1 */

/* Ethertypes (IEEE registry) and PPP protocol numbers (RFC 1332, RFC 5072). */
#define ETH_IPV4 0x0800
#define ETH_IPV6 0x86DD
#define ETH_VLAN 0x8100
#define ETH_QINQ 0x88A8
#define ETH_MPLS 0x8847
#define ETH_PPPOE_SESS 0x8864
#define PPP_IPV4 0x0021
#define PPP_IPV6 0x0057

/* Address families for LINKTYPE_NULL: AF_INET is 2 everywhere; 24 is the
 * NetBSD/OpenBSD AF_INET6 value that readers accept for every BSD. */
#define NULL_AF_INET 2u
#define NULL_AF_INET6_BSD 24u

/* PPP in HDLC-like framing (RFC 1662 section 3.1) and Cisco HDLC (RFC 1547
 * section 4.3.1, unicast address). */
#define PPP_ADDRESS 0xFF
#define PPP_CONTROL 0x03
#define CHDLC_UNICAST 0x0F

/* Linux NFLOG (tcpdump's LINKTYPE_NFLOG page, linux/netfilter/nfnetlink_log.h):
 * AF_INET / AF_INET6, TLV types, netfilter hooks (linux/netfilter.h). */
#define NFLOG_AF_INET 2
#define NFLOG_AF_INET6 10
#define NFULA_PACKET_HDR 1
#define NFULA_PAYLOAD 9
#define NFULA_PREFIX 10
#define NF_INET_LOCAL_IN 1
#define NF_INET_LOCAL_OUT 3

/* Radiotap (radiotap.org): present Flags | Rate | Channel, 14 octets; 54
 * Mb/s in 500 kb/s units; channel 6 (2437 MHz), 2 GHz OFDM. */
#define RADIOTAP_LEN 14
#define RADIOTAP_PRESENT 0x0000000Eu
#define RADIOTAP_RATE_54M 108
#define RADIOTAP_CHAN_2437 2437
#define RADIOTAP_CHAN_2GHZ_OFDM 0x00C0
/* IEEE 802.11-2020 section 9.2.4.1: QoS Data (type 2, subtype 8); To DS and
 * From DS flags; LLC/SNAP of RFC 1042. */
#define WLAN_FC_QOS_DATA 0x88
#define WLAN_FLAG_TODS 0x01
#define WLAN_FLAG_FROMDS 0x02

/* Endace ERF (Wireshark's wiretap/erf.h): record type ETH, flags "varying
 * length record" (bit 2, no padding to a fixed length), 16-octet header and
 * the 2-octet offset/pad before an Ethernet frame. */
#define ERF_TYPE_ETH 2
#define ERF_FLAG_VLEN 0x04
#define ERF_HDR_LEN 16u
#define ERF_ETH_PAD 2u

/* Linux packet types (linux/if_packet.h) and ARPHRD_ETHER. */
#define SLL_PKT_HOST 0
#define SLL_PKT_OUTGOING 4
#define SLL_ARPHRD_ETHER 1
#define SLL_ADDR_LEN 8u

static bool room(struct build_buf *out, size_t n)
{
    if (out->overflow || n > sizeof(out->b) - out->len) {
        out->overflow = true;
        return false;
    }
    return true;
}

void build_reset(struct build_buf *out)
{
    out->len = 0;
    out->overflow = false;
}

void build_bytes(struct build_buf *out, const void *p, size_t n)
{
    if (!room(out, n))
        return;
    if (n > 0)
        memcpy(out->b + out->len, p, n);
    out->len += n;
}

void build_zero(struct build_buf *out, size_t n)
{
    if (!room(out, n))
        return;
    memset(out->b + out->len, 0, n);
    out->len += n;
}

void build_u8(struct build_buf *out, uint8_t v)
{
    build_bytes(out, &v, 1);
}

void build_be16(struct build_buf *out, uint16_t v)
{
    uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
    build_bytes(out, b, sizeof(b));
}

void build_be24(struct build_buf *out, uint32_t v)
{
    uint8_t b[3] = { (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
    build_bytes(out, b, sizeof(b));
}

void build_be32(struct build_buf *out, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
    build_bytes(out, b, sizeof(b));
}

void build_le16(struct build_buf *out, uint16_t v)
{
    uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
    build_bytes(out, b, sizeof(b));
}

void build_le32(struct build_buf *out, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
    build_bytes(out, b, sizeof(b));
}

void build_str(struct build_buf *out, const char *s)
{
    build_bytes(out, s, strlen(s));
}

void build_patch_be16(struct build_buf *out, size_t off, uint16_t v)
{
    if (out->len < 2 || off > out->len - 2) {
        out->overflow = true;
        return;
    }
    out->b[off] = (uint8_t)(v >> 8);
    out->b[off + 1] = (uint8_t)v;
}

void build_patch_be24(struct build_buf *out, size_t off, uint32_t v)
{
    if (out->len < 3 || off > out->len - 3) {
        out->overflow = true;
        return;
    }
    out->b[off] = (uint8_t)(v >> 16);
    out->b[off + 1] = (uint8_t)(v >> 8);
    out->b[off + 2] = (uint8_t)v;
}

void build_rng_seed(struct xorshift *r, uint32_t seed)
{
    r->s = seed ? seed : 0x2545F491u; /* xorshift must not start at 0 */
}

uint32_t build_rng_next(struct xorshift *r)
{
    uint32_t x = r->s;

    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    r->s = x;
    return x;
}

uint32_t build_rng_range(struct xorshift *r, uint32_t lo, uint32_t hi)
{
    assert(lo <= hi);
    return lo + build_rng_next(r) % (hi - lo + 1u);
}

void build_rng_bytes(struct build_buf *out, struct xorshift *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        build_u8(out, (uint8_t)(build_rng_next(r) >> 24));
}

struct build_addr build_addr(const char *text)
{
    struct build_addr a;
    int ok;

    memset(&a, 0, sizeof(a));
    if (strchr(text, ':') != NULL) {
        a.ver = 6;
        ok = inet_pton(AF_INET6, text, a.a);
    } else {
        a.ver = 4;
        ok = inet_pton(AF_INET, text, a.a);
    }
    assert(ok == 1); /* literals are the generator's own */
    (void)ok;
    return a;
}

static uint32_t sum_add(const uint8_t *p, size_t n, uint32_t sum)
{
    size_t i;

    for (i = 0; i + 1 < n; i += 2)
        sum += (uint32_t)p[i] << 8 | p[i + 1];
    if (i < n)
        sum += (uint32_t)p[i] << 8; /* RFC 1071 §4.1: pad the odd byte */
    return sum;
}

uint16_t build_csum(const uint8_t *p, size_t n, uint32_t init)
{
    uint32_t sum = sum_add(p, n, init);

    while (sum >> 16)
        sum = (sum & 0xFFFFu) + (sum >> 16);
    return (uint16_t)~sum;
}

/* Pseudo-header sum: RFC 768 (IPv4) and RFC 8200 §8.1 (IPv6). */
static uint32_t pseudo_sum(const struct build_addr *src, const struct build_addr *dst,
                           uint8_t proto, size_t len)
{
    size_t alen = src->ver == 6 ? 16 : 4;
    uint32_t sum = 0;

    sum = sum_add(src->a, alen, sum);
    sum = sum_add(dst->a, alen, sum);
    sum += proto;
    sum += (uint32_t)(len >> 16) + (uint32_t)(len & 0xFFFFu);
    return sum;
}

void build_ip_packet(struct build_buf *out, const struct build_ip *h, const uint8_t *payload,
                     size_t len)
{
    build_reset(out);
    if (h->src.ver == 4) {
        size_t hl = IPV4_HDR_LEN + h->opt_len;
        uint16_t frag = (uint16_t)(h->frag_off / 8u);

        assert(h->opt_len % 4 == 0 && h->opt_len <= IPV4_OPT_MAX);
        if (h->dont_frag)
            frag |= 0x4000;
        if (h->more_frags)
            frag |= 0x2000;
        build_u8(out, (uint8_t)(0x40 | hl / 4));
        build_u8(out, 0); /* DSCP/ECN */
        build_be16(out, (uint16_t)(hl + len));
        build_be16(out, h->id);
        build_be16(out, frag);
        build_u8(out, h->ttl);
        build_u8(out, h->proto);
        build_be16(out, 0);
        build_bytes(out, h->src.a, 4);
        build_bytes(out, h->dst.a, 4);
        build_bytes(out, h->opt, h->opt_len);
        if (!out->overflow)
            build_patch_be16(out, 10, build_csum(out->b, hl, 0));
    } else {
        build_be32(out, 0x60000000u); /* version 6, class 0, flow label 0 */
        build_be16(out, (uint16_t)(h->opt_len + len));
        build_u8(out, h->opt_len ? h->ext_first : h->proto);
        build_u8(out, h->ttl);
        build_bytes(out, h->src.a, 16);
        build_bytes(out, h->dst.a, 16);
        build_bytes(out, h->opt, h->opt_len);
    }
    build_bytes(out, payload, len);
}

void build_udp(struct build_buf *out, const struct build_addr *src, const struct build_addr *dst,
               uint16_t sport, uint16_t dport, const uint8_t *payload, size_t len)
{
    uint16_t cs;

    build_reset(out);
    build_be16(out, sport);
    build_be16(out, dport);
    build_be16(out, (uint16_t)(UDP_HDR_LEN + len));
    build_be16(out, 0);
    build_bytes(out, payload, len);
    if (out->overflow)
        return;
    cs = build_csum(out->b, out->len, pseudo_sum(src, dst, BUILD_PROTO_UDP, out->len));
    build_patch_be16(out, 6, cs ? cs : 0xFFFF); /* RFC 768: 0 is sent as all ones */
}

void build_tcp(struct build_buf *out, const struct build_addr *src, const struct build_addr *dst,
               const struct build_tcp_hdr *h, const uint8_t *payload, size_t len)
{
    /* MSS 1460, NOP, window scale 7, NOP, NOP, SACK permitted (RFC 9293
     * §3.2, RFC 7323 §2, RFC 2018 §2). */
    static const uint8_t syn_opt[TCP_SYN_OPT_LEN] = { 2, 4, 0x05, 0xB4, 1, 3, 3, 7, 1, 1, 4, 2 };
    size_t opt = (h->flags & BUILD_TCP_SYN) ? TCP_SYN_OPT_LEN : 0;

    build_reset(out);
    build_be16(out, h->sport);
    build_be16(out, h->dport);
    build_be32(out, h->seq);
    build_be32(out, (h->flags & BUILD_TCP_ACK) ? h->ack : 0);
    build_u8(out, (uint8_t)(((TCP_HDR_LEN + opt) / 4) << 4));
    build_u8(out, h->flags);
    build_be16(out, h->win);
    build_be16(out, 0); /* checksum */
    build_be16(out, 0); /* urgent pointer */
    build_bytes(out, syn_opt, opt);
    build_bytes(out, payload, len);
    if (out->overflow)
        return;
    build_patch_be16(out, 16,
                     build_csum(out->b, out->len, pseudo_sum(src, dst, BUILD_PROTO_TCP, out->len)));
}

void build_icmpv6(struct build_buf *out, const struct build_addr *src, const struct build_addr *dst,
                  uint8_t type, uint8_t code, const uint8_t *body, size_t len)
{
    build_reset(out);
    build_u8(out, type);
    build_u8(out, code);
    build_be16(out, 0);
    build_bytes(out, body, len);
    if (!out->overflow)
        build_patch_be16(out, 2,
                         build_csum(out->b, out->len,
                                    pseudo_sum(src, dst, BUILD_PROTO_ICMPV6, out->len)));
}

void build_icmp_echo(struct build_buf *out, uint8_t type, uint16_t ident, uint16_t seq,
                     const uint8_t *data, size_t len)
{
    build_reset(out);
    build_u8(out, type);
    build_u8(out, 0);
    build_be16(out, 0);
    build_be16(out, ident);
    build_be16(out, seq);
    build_bytes(out, data, len);
    if (!out->overflow)
        build_patch_be16(out, 2, build_csum(out->b, out->len, 0));
}

/* CRC32c, bit at a time: RFC 9260 Appendix A (reflected 0x1EDC6F41). Slow
 * but tiny, and the fixtures are a few hundred bytes. */
static uint32_t crc32c(const uint8_t *p, size_t n)
{
    uint32_t crc = 0xFFFFFFFFu;

    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
    }
    return ~crc;
}

void build_sctp(struct build_buf *out, uint16_t sport, uint16_t dport, uint32_t vtag,
                const uint8_t *chunks, size_t len)
{
    uint32_t crc;

    build_reset(out);
    build_be16(out, sport);
    build_be16(out, dport);
    build_be32(out, vtag);
    build_be32(out, 0);
    build_bytes(out, chunks, len);
    if (out->overflow)
        return;
    /* Appendix A: the CRC goes on the wire least significant byte first. */
    crc = crc32c(out->b, out->len);
    out->b[8] = (uint8_t)crc;
    out->b[9] = (uint8_t)(crc >> 8);
    out->b[10] = (uint8_t)(crc >> 16);
    out->b[11] = (uint8_t)(crc >> 24);
}

void build_tcp_conn_init(struct build_tcp_conn *c, const struct build_addr *cli, uint16_t cport,
                         const struct build_addr *srv, uint16_t sport, uint32_t isn_c,
                         uint32_t isn_s)
{
    memset(c, 0, sizeof(*c));
    c->cli = *cli;
    c->srv = *srv;
    c->cport = cport;
    c->sport = sport;
    c->next_seq[BUILD_C2S] = isn_c;
    c->next_seq[BUILD_S2C] = isn_s;
    c->win[BUILD_C2S] = 2058; /* scaled by 2^7 after the handshake */
    c->win[BUILD_S2C] = 501;
}

void build_tcp_conn_segment(struct build_tcp_conn *c, int dir, uint8_t flags,
                            const uint8_t *payload, size_t len, uint16_t ip_id,
                            struct build_buf *out)
{
    struct build_buf seg;
    struct build_tcp_hdr h;
    struct build_ip ip;
    bool c2s = dir == BUILD_C2S;

    assert(dir == BUILD_C2S || dir == BUILD_S2C);
    memset(&h, 0, sizeof(h));
    h.sport = c2s ? c->cport : c->sport;
    h.dport = c2s ? c->sport : c->cport;
    h.seq = c->next_seq[dir];
    h.ack = c->next_seq[!dir];
    h.flags = flags;
    h.win = (flags & BUILD_TCP_SYN) ? 64240 : c->win[dir]; /* SYN windows are unscaled */
    build_reset(&seg);
    build_tcp(&seg, c2s ? &c->cli : &c->srv, c2s ? &c->srv : &c->cli, &h, payload, len);

    memset(&ip, 0, sizeof(ip));
    ip.src = c2s ? c->cli : c->srv;
    ip.dst = c2s ? c->srv : c->cli;
    ip.proto = BUILD_PROTO_TCP;
    ip.ttl = c2s ? 64 : 57;
    ip.id = ip_id;
    ip.dont_frag = true;
    build_ip_packet(out, &ip, seg.b, seg.len);
    if (seg.overflow)
        out->overflow = true;

    c->next_seq[dir] += (uint32_t)len;
    if (flags & BUILD_TCP_SYN)
        c->next_seq[dir]++;
    if (flags & BUILD_TCP_FIN)
        c->next_seq[dir]++;
}

void build_gtpu(struct build_buf *out, const struct build_gtp *g, bool uplink, bool pdu_ext,
                uint8_t qfi, uint16_t ip_id, const uint8_t *inner, size_t len)
{
    struct build_buf gtp, udp;
    struct build_ip ip;
    const struct build_addr *src = uplink ? &g->ran : &g->core;
    const struct build_addr *dst = uplink ? &g->core : &g->ran;

    build_reset(&gtp);
    /* Flags: version 1, PT 1, E per pdu_ext (TS 29.281 §5.1). */
    build_u8(&gtp, pdu_ext ? 0x34 : 0x30);
    build_u8(&gtp, GTPU_MSG_GPDU);
    build_be16(&gtp, 0); /* length of everything after the first 8 bytes */
    build_be32(&gtp, uplink ? g->teid_ul : g->teid_dl);
    if (pdu_ext) {
        build_be16(&gtp, 0); /* sequence number (S flag clear: not evaluated) */
        build_u8(&gtp, 0);   /* N-PDU number */
        build_u8(&gtp, GTPU_EXT_PDU_SESSION);
        /* TS 38.415 §5.5.2.1/.2: length 1 (x4 octets), PDU type (0 = DL,
         * 1 = UL) in the high nibble, then QFI, then next-extension 0. */
        build_u8(&gtp, 1);
        build_u8(&gtp, uplink ? 0x10 : 0x00);
        build_u8(&gtp, qfi & 0x3F);
        build_u8(&gtp, 0);
    }
    build_bytes(&gtp, inner, len);
    if (gtp.len >= 8)
        build_patch_be16(&gtp, 2, (uint16_t)(gtp.len - 8));

    build_udp(&udp, src, dst, GTPU_PORT, GTPU_PORT, gtp.b, gtp.len);
    memset(&ip, 0, sizeof(ip));
    ip.src = *src;
    ip.dst = *dst;
    ip.proto = BUILD_PROTO_UDP;
    ip.ttl = 64;
    ip.id = ip_id;
    build_ip_packet(out, &ip, udp.b, udp.len);
    if (gtp.overflow || udp.overflow)
        out->overflow = true;
}

static void eth_header(struct build_buf *out, const struct build_link *l, bool from_client)
{
    build_bytes(out, from_client ? l->gw_mac : l->cli_mac, 6);
    build_bytes(out, from_client ? l->cli_mac : l->gw_mac, 6);
}

#define PKTAP_HDR_LEN 108u

/* s in a NUL-padded field of n octets (cut to n - 1). */
static void build_fixed_str(struct build_buf *out, const char *s, size_t n)
{
    size_t k = s ? strlen(s) : 0;

    if (k > n - 1)
        k = n - 1;
    if (k > 0)
        build_bytes(out, s, k);
    build_zero(out, n - k);
}

static void sll_addr(struct build_buf *out, const uint8_t mac[6])
{
    build_bytes(out, mac, 6);
    build_zero(out, SLL_ADDR_LEN - 6);
}

/* NFLOG header and TLVs before the packet, as the kernel logs a packet of
 * the local host (hook LOCAL_OUT when the client sends, LOCAL_IN when it
 * receives): NFULA_PACKET_HDR (hw_protocol, hook, pad), NFULA_PREFIX when
 * set, then the NFULA_PAYLOAD header; the TLV length and type are
 * little-endian (the writer's host order), values padded to 4 octets. */
static void nflog_header(struct build_buf *out, const struct build_link *l, bool from_client,
                         bool v6, size_t len)
{
    build_u8(out, v6 ? NFLOG_AF_INET6 : NFLOG_AF_INET);
    build_u8(out, 0);
    build_be16(out, l->nflog_group);
    build_le16(out, 8);
    build_le16(out, NFULA_PACKET_HDR);
    build_be16(out, v6 ? ETH_IPV6 : ETH_IPV4);
    build_u8(out, from_client ? NF_INET_LOCAL_OUT : NF_INET_LOCAL_IN);
    build_u8(out, 0);
    if (l->nflog_prefix != NULL) {
        size_t n = strlen(l->nflog_prefix) + 1;
        build_le16(out, (uint16_t)(4 + n));
        build_le16(out, NFULA_PREFIX);
        build_bytes(out, l->nflog_prefix, n);
        build_zero(out, (4 - n % 4) % 4);
    }
    build_le16(out, (uint16_t)(4 + len));
    build_le16(out, NFULA_PAYLOAD);
}

/* A QoS Data frame between the client and its access point (gw_mac, which
 * is also the router): To DS from the client (BSSID, SA, DA), From DS to it
 * (DA, BSSID, SA).  The sequence number comes from the packet length (the
 * builder keeps no per-link state); QoS Control TID 0; then LLC/SNAP. */
static void wlan_header(struct build_buf *out, const struct build_link *l, bool from_client,
                        uint16_t etype, size_t len)
{
    build_u8(out, WLAN_FC_QOS_DATA);
    build_u8(out, from_client ? WLAN_FLAG_TODS : WLAN_FLAG_FROMDS);
    build_le16(out, 0); /* duration */
    build_bytes(out, from_client ? l->gw_mac : l->cli_mac, 6);
    build_bytes(out, from_client ? l->cli_mac : l->gw_mac, 6);
    build_bytes(out, l->gw_mac, 6);
    build_le16(out, (uint16_t)((len & 0x0FFFu) << 4));
    build_le16(out, 0); /* QoS Control */
    build_u8(out, 0xAA);
    build_u8(out, 0xAA);
    build_u8(out, 0x03);
    build_zero(out, 3);
    build_be16(out, etype);
}

/* Radiotap, then the 802.11 frame of wlan_header. */
static void wifi_header(struct build_buf *out, const struct build_link *l, bool from_client,
                        uint16_t etype, size_t len)
{
    build_u8(out, 0);
    build_u8(out, 0);
    build_le16(out, RADIOTAP_LEN);
    build_le32(out, RADIOTAP_PRESENT);
    build_u8(out, 0); /* Flags: no FCS, no padding */
    build_u8(out, RADIOTAP_RATE_54M);
    build_le16(out, RADIOTAP_CHAN_2437);
    build_le16(out, RADIOTAP_CHAN_2GHZ_OFDM);
    wlan_header(out, l, from_client, etype, len);
}

/* The ERF record header before an Ethernet frame of eth_len octets: the
 * timestamp as 32.32 fixed-point seconds, little-endian; rlen (the whole
 * record) and wlen (the frame on the wire) big-endian. */
static void erf_header(struct build_buf *out, uint64_t ts_us, size_t eth_len)
{
    uint64_t frac = ((ts_us % 1000000u) << 32) / 1000000u;

    build_le32(out, (uint32_t)frac);
    build_le32(out, (uint32_t)(ts_us / 1000000u));
    build_u8(out, ERF_TYPE_ETH);
    build_u8(out, ERF_FLAG_VLEN);
    build_be16(out, (uint16_t)(ERF_HDR_LEN + ERF_ETH_PAD + eth_len));
    build_be16(out, 0); /* loss counter */
    build_be16(out, (uint16_t)eth_len);
    build_zero(out, ERF_ETH_PAD);
}

void build_link_frame(struct build_buf *out, const struct build_link *l, bool from_client,
                      const uint8_t *ip, size_t len)
{
    bool v6 = len > 0 && (ip[0] >> 4) == 6;
    uint16_t etype = v6 ? ETH_IPV6 : ETH_IPV4;
    const uint8_t *sender = from_client ? l->cli_mac : l->gw_mac;
    uint8_t pkttype = from_client ? SLL_PKT_OUTGOING : SLL_PKT_HOST;

    build_reset(out);
    switch (l->kind) {
    case BUILD_LINK_ETH:
        eth_header(out, l, from_client);
        build_be16(out, etype);
        break;
    case BUILD_LINK_VLAN:
        eth_header(out, l, from_client);
        build_be16(out, ETH_VLAN);
        build_be16(out, l->vlan_outer & 0x0FFF); /* PCP 0, DEI 0 */
        build_be16(out, etype);
        break;
    case BUILD_LINK_QINQ:
        eth_header(out, l, from_client);
        build_be16(out, ETH_QINQ);
        build_be16(out, l->vlan_outer & 0x0FFF);
        build_be16(out, ETH_VLAN);
        build_be16(out, l->vlan_inner & 0x0FFF);
        build_be16(out, etype);
        break;
    case BUILD_LINK_MPLS:
        /* RFC 3032 §2.1: label(20) TC(3) S(1) TTL(8); S only on the last. */
        eth_header(out, l, from_client);
        build_be16(out, ETH_MPLS);
        for (size_t i = 0; i < BUILD_MPLS_DEPTH; i++)
            build_be32(out, (l->mpls_label[i] & 0xFFFFFu) << 12 |
                                (i + 1 == BUILD_MPLS_DEPTH ? 0x100u : 0u) | 64u);
        break;
    case BUILD_LINK_PPPOE:
        /* RFC 2516 §4: ver 1, type 1, code 0 (session data), session id,
         * length of the PPP frame (protocol field + payload). */
        eth_header(out, l, from_client);
        build_be16(out, ETH_PPPOE_SESS);
        build_u8(out, 0x11);
        build_u8(out, 0x00);
        build_be16(out, l->pppoe_session);
        build_be16(out, (uint16_t)(len + 2));
        build_be16(out, v6 ? PPP_IPV6 : PPP_IPV4);
        break;
    case BUILD_LINK_SLL:
        /* LINKTYPE_LINUX_SLL: pkttype, ARPHRD, addr len, addr[8], protocol. */
        build_be16(out, pkttype);
        build_be16(out, SLL_ARPHRD_ETHER);
        build_be16(out, 6);
        sll_addr(out, sender);
        build_be16(out, etype);
        break;
    case BUILD_LINK_SLL2:
        /* LINKTYPE_LINUX_SLL2: protocol, reserved, ifindex, ARPHRD,
         * pkttype, addr len, addr[8]. */
        build_be16(out, etype);
        build_be16(out, 0);
        build_be32(out, l->ifindex);
        build_be16(out, SLL_ARPHRD_ETHER);
        build_u8(out, pkttype);
        build_u8(out, 6);
        sll_addr(out, sender);
        break;
    case BUILD_LINK_RAW:
        break;
    case BUILD_LINK_NULL:
        /* Host byte order of the writer; pcapgen writes little-endian. */
        build_le32(out, v6 ? NULL_AF_INET6_BSD : NULL_AF_INET);
        break;
    case BUILD_LINK_PKTAP:
        /* Apple PKTAP, little-endian (tcpdump print-pktap.c): pkt_len 108,
         * rectype 1 (packet), dlt 1 (EN10MB), ifname[24], flags, pfamily,
         * llhdrlen 14, lltrlrlen, pid, cmdname[20], svc_class, iftype 6
         * (ethernetCsmacd), ifunit, epid, ecmdname[20]; then the frame. */
        build_le32(out, PKTAP_HDR_LEN);
        build_le32(out, 1);
        build_le32(out, 1);
        build_fixed_str(out, l->pktap_ifname, 24);
        build_le32(out, 0);
        build_le32(out, v6 ? NULL_AF_INET6_BSD : NULL_AF_INET);
        build_le32(out, 14);
        build_le32(out, 0);
        build_le32(out, l->pktap_pid);
        build_fixed_str(out, l->pktap_cmd, 20);
        build_le32(out, 0);
        build_le16(out, 6);
        build_le16(out, 0);
        build_le32(out, l->pktap_pid);
        build_fixed_str(out, l->pktap_cmd, 20);
        eth_header(out, l, from_client);
        build_be16(out, etype);
        break;
    case BUILD_LINK_PPP:
        build_u8(out, PPP_ADDRESS);
        build_u8(out, PPP_CONTROL);
        build_be16(out, v6 ? PPP_IPV6 : PPP_IPV4);
        break;
    case BUILD_LINK_CHDLC:
        build_u8(out, CHDLC_UNICAST);
        build_u8(out, 0);
        build_be16(out, etype);
        break;
    case BUILD_LINK_NFLOG:
        nflog_header(out, l, from_client, v6, len);
        break;
    case BUILD_LINK_WIFI:
        wifi_header(out, l, from_client, etype, len);
        break;
    case BUILD_LINK_ERF:
        erf_header(out, l->ts_us, 14 + len);
        eth_header(out, l, from_client);
        build_be16(out, etype);
        break;
    }
    build_bytes(out, ip, len);
    if (l->kind == BUILD_LINK_NFLOG)
        build_zero(out, (4 - len % 4) % 4); /* the payload TLV's padding */
}

#define OVL_PROTO_IPV4 4  /* IANA protocol numbers */
#define OVL_PROTO_IPV6 41
#define OVL_PROTO_GRE 47
#define GRE_FLAG_K 0x2000u /* RFC 2890 section 2 */
#define GRE_FLAG_S 0x1000u
#define GRE_PROTO_ERSPAN2 0x88BEu
#define OVL_VXLAN_PORT 4789u  /* RFC 7348 section 5 */
#define OVL_GENEVE_PORT 6081u /* RFC 8926 section 3.3 */
#define OVL_UDP_SPORT 49152u  /* VTEPs pick the source port by flow hash */
#define ETH_TEB 0x6558u       /* Transparent Ethernet Bridging */
#define GRE_PROTO_PPP 0x880Bu /* RFC 2637 section 4.1 */
#define GRE_V1 0x0001u
#define GRE_FLAG_A 0x0080u    /* acknowledgment number present */
#define OVL_L2TP_PORT 1701u   /* RFC 2661 section 8.1 */
#define L2TP_DATA_V2 0x0002u  /* T = 0, no optional fields, version 2 */
#define L2TP_DATA_V3 0x0003u  /* RFC 3931 section 4.1.2.1: T = 0, version 3 */
#define OVL_PROTO_L2TPV3 115u /* RFC 3931 section 4.1.1 */
#define L2TPV3_COOKIE 0x7c2a1b3du  /* a 32-bit cookie (section 4.1), each side's own */
#define L2TPV3_SUBLAYER_S 0x40000000u /* section 4.6: S bit, then the sequence number */
#define OVL_GPE_PORT 4790u    /* draft-ietf-nvo3-vxlan-gpe section 3.3 */
#define GPE_FLAGS_I_P 0x0Cu   /* version 0, I and P set */
#define GPE_NP_IPV4 1u
#define GPE_NP_IPV6 2u
#define OVL_CAPWAP_PORT 5247u /* RFC 5415 section 15.7: the data channel */
#define OVL_CAPWAP_WTP_PORT 12223u /* the access point's side */
/* RFC 5415 section 4.3: preamble 0, HLEN 2 words, RID 1, WBID 1 (IEEE
 * 802.11), T = 1 (the native 802.11 frame) */
#define CAPWAP_W0_NATIVE_80211 (2u << 19 | 1u << 14 | 1u << 9 | 1u << 8)
#define OVL_TEREDO_CLIENT_PORT 40000u /* the client's mapped port (its NAT's) */
#define OVL_TEREDO_RELAY_PORT 51000u  /* a relay answers from a port of its own */
#define OVL_TZSP_PORT 37008u
#define OVL_TZSP_SENSOR_PORT 32768u

/* The PPP frame in HDLC-like framing (address, control, protocol) that
 * PPTP and L2TP carry. */
static void ppp_frame(struct build_buf *out, const uint8_t *ip, size_t len, bool v6)
{
    build_u8(out, PPP_ADDRESS);
    build_u8(out, PPP_CONTROL);
    build_be16(out, v6 ? PPP_IPV6 : PPP_IPV4);
    build_bytes(out, ip, len);
}

/* Appends to body the UDP datagram src:sport -> dst:dport that carries
 * hdr (an overlay header and its frame). */
static void udp_body(struct build_buf *body, const struct build_addr *src,
                     const struct build_addr *dst, uint16_t sport, uint16_t dport,
                     const struct build_buf *hdr)
{
    struct build_buf udp;

    build_udp(&udp, src, dst, sport, dport, hdr->b, hdr->len);
    build_bytes(body, udp.b, udp.len);
    if (hdr->overflow || udp.overflow)
        body->overflow = true;
}

void build_overlay(struct build_buf *out, const struct build_overlay *o,
                   const struct build_link *l, bool from_client, uint16_t ip_id, uint32_t seq,
                   const uint8_t *inner, size_t len)
{
    struct build_buf frame, body;
    struct build_link il = *l;
    struct build_ip ip;
    bool v6 = len > 0 && (inner[0] >> 4) == 6;

    il.kind = o->inner_vlan ? BUILD_LINK_VLAN : BUILD_LINK_ETH;
    il.vlan_outer = o->inner_vlan;
    build_link_frame(&frame, &il, from_client, inner, len);
    build_reset(&body);
    memset(&ip, 0, sizeof(ip));
    ip.src = o->a;
    ip.dst = o->b;
    ip.ttl = 64;
    ip.id = ip_id;
    switch (o->kind) {
    case BUILD_OVL_IPIP:
        ip.proto = v6 ? OVL_PROTO_IPV6 : OVL_PROTO_IPV4;
        build_bytes(&body, inner, len);
        break;
    case BUILD_OVL_GRE:
        ip.proto = OVL_PROTO_GRE;
        build_be16(&body, GRE_FLAG_K); /* version 0 */
        build_be16(&body, v6 ? ETH_IPV6 : ETH_IPV4);
        build_be32(&body, o->id);
        build_bytes(&body, inner, len);
        break;
    case BUILD_OVL_ERSPAN2:
        ip.proto = OVL_PROTO_GRE;
        build_be16(&body, GRE_FLAG_S);
        build_be16(&body, GRE_PROTO_ERSPAN2);
        build_be32(&body, seq);
        /* Ver 1, VLAN 0 | COS 0, En 3 (the frame keeps its tags), T 0,
         * session id | reserved 0, index 0 */
        build_be16(&body, 0x1000);
        build_be16(&body, (uint16_t)(0x1800u | (o->id & 0x3FFu)));
        build_be32(&body, 0);
        build_bytes(&body, frame.b, frame.len);
        break;
    case BUILD_OVL_VXLAN:
    case BUILD_OVL_GENEVE: {
        bool vx = o->kind == BUILD_OVL_VXLAN;
        struct build_buf hdr;

        build_reset(&hdr);
        if (vx) {
            build_be32(&hdr, 0x08000000u); /* I flag */
        } else {
            build_be16(&hdr, 0);          /* version 0, no options, O = C = 0 */
            build_be16(&hdr, ETH_TEB);
        }
        build_be32(&hdr, (o->id & 0xFFFFFFu) << 8);
        build_bytes(&hdr, frame.b, frame.len);
        ip.proto = BUILD_PROTO_UDP;
        udp_body(&body, &o->a, &o->b, OVL_UDP_SPORT, vx ? OVL_VXLAN_PORT : OVL_GENEVE_PORT,
                 &hdr);
        break;
    }
    case BUILD_OVL_PPTP: {
        /* version 1, K and S; the client's packets also acknowledge (A);
         * each side sends the call id its peer chose */
        struct build_buf pf;

        build_reset(&pf);
        ppp_frame(&pf, inner, len, v6);
        ip.proto = OVL_PROTO_GRE;
        if (!from_client) { /* a PPTP tunnel runs both ways: the server is b */
            ip.src = o->b;
            ip.dst = o->a;
        }
        build_be16(&body, (uint16_t)(GRE_FLAG_K | GRE_FLAG_S | GRE_V1 |
                                     (from_client ? GRE_FLAG_A : 0u)));
        build_be16(&body, GRE_PROTO_PPP);
        build_be16(&body, (uint16_t)pf.len);
        build_be16(&body, (uint16_t)(o->id + (from_client ? 0u : 1u)));
        build_be32(&body, seq);
        if (from_client)
            build_be32(&body, seq - 1u);
        build_bytes(&body, pf.b, pf.len);
        if (pf.overflow)
            body.overflow = true;
        break;
    }
    case BUILD_OVL_VXLAN_GPE: {
        struct build_buf hdr;

        build_reset(&hdr);
        build_u8(&hdr, GPE_FLAGS_I_P);
        build_zero(&hdr, 2);
        build_u8(&hdr, v6 ? GPE_NP_IPV6 : GPE_NP_IPV4);
        build_be32(&hdr, (o->id & 0xFFFFFFu) << 8);
        build_bytes(&hdr, inner, len);
        ip.proto = BUILD_PROTO_UDP;
        udp_body(&body, &o->a, &o->b, OVL_UDP_SPORT, OVL_GPE_PORT, &hdr);
        break;
    }
    case BUILD_OVL_CAPWAP: {
        /* the access point (a) and its controller (b), both ways; the
         * client's frame as the access point received or sends it */
        struct build_buf hdr;

        build_reset(&hdr);
        build_be32(&hdr, CAPWAP_W0_NATIVE_80211);
        build_be32(&hdr, 0); /* fragment id, offset */
        wlan_header(&hdr, l, from_client, v6 ? ETH_IPV6 : ETH_IPV4, len);
        build_bytes(&hdr, inner, len);
        ip.proto = BUILD_PROTO_UDP;
        if (!from_client) {
            ip.src = o->b;
            ip.dst = o->a;
        }
        udp_body(&body, &ip.src, &ip.dst, from_client ? OVL_CAPWAP_WTP_PORT : OVL_CAPWAP_PORT,
                 from_client ? OVL_CAPWAP_PORT : OVL_CAPWAP_WTP_PORT, &hdr);
        break;
    }
    case BUILD_OVL_TZSP: {
        /* a router's sniffer (a) streams both directions' frames to its
         * collector (b): version 1, type 0 (received), encapsulation 1
         * (Ethernet), the END tag, the frame */
        struct build_buf hdr;

        build_reset(&hdr);
        build_u8(&hdr, 1);
        build_u8(&hdr, 0);
        build_be16(&hdr, 1);
        build_u8(&hdr, 1);
        build_bytes(&hdr, frame.b, frame.len);
        ip.proto = BUILD_PROTO_UDP;
        udp_body(&body, &o->a, &o->b, OVL_TZSP_SENSOR_PORT, OVL_TZSP_PORT, &hdr);
        break;
    }
    case BUILD_OVL_TEREDO: {
        /* RFC 4380 section 5.1.1: a relay's data carries the IPv6 packet
         * alone (no authentication or origin indication) */
        struct build_buf hdr;

        build_reset(&hdr);
        build_bytes(&hdr, inner, len);
        ip.proto = BUILD_PROTO_UDP;
        if (!from_client) {
            ip.src = o->b;
            ip.dst = o->a;
        }
        udp_body(&body, &ip.src, &ip.dst,
                 from_client ? OVL_TEREDO_CLIENT_PORT : OVL_TEREDO_RELAY_PORT,
                 from_client ? OVL_TEREDO_RELAY_PORT : OVL_TEREDO_CLIENT_PORT, &hdr);
        break;
    }
    case BUILD_OVL_L2TPV3_IP:
    case BUILD_OVL_L2TPV3_UDP: {
        /* each end of the pseudowire sends to the other, with the session
         * id (and cookie) its peer assigned */
        struct build_buf hdr;
        bool in_ip = o->kind == BUILD_OVL_L2TPV3_IP;

        build_reset(&hdr);
        if (!in_ip) {
            build_be16(&hdr, L2TP_DATA_V3);
            build_be16(&hdr, 0);
        }
        build_be32(&hdr, o->id + (from_client ? 0u : 1u));
        if (in_ip) {
            build_be32(&hdr, L2TPV3_COOKIE + (from_client ? 0u : 1u));
            build_be32(&hdr, L2TPV3_SUBLAYER_S | (seq & 0xFFFFFFu));
        }
        build_bytes(&hdr, frame.b, frame.len);
        if (!from_client) {
            ip.src = o->b;
            ip.dst = o->a;
        }
        if (in_ip) {
            ip.proto = OVL_PROTO_L2TPV3;
            build_bytes(&body, hdr.b, hdr.len);
            if (hdr.overflow)
                body.overflow = true;
        } else {
            ip.proto = BUILD_PROTO_UDP;
            udp_body(&body, &ip.src, &ip.dst, OVL_L2TP_PORT, OVL_L2TP_PORT, &hdr);
        }
        break;
    }
    case BUILD_OVL_L2TP: {
        struct build_buf hdr;
        uint32_t ids = o->id + (from_client ? 0u : 0x00010001u);

        build_reset(&hdr);
        build_be16(&hdr, L2TP_DATA_V2);
        build_be16(&hdr, (uint16_t)(ids >> 16));
        build_be16(&hdr, (uint16_t)ids);
        ppp_frame(&hdr, inner, len, v6);
        ip.proto = BUILD_PROTO_UDP;
        if (!from_client) { /* the LAC is a, the LNS b */
            ip.src = o->b;
            ip.dst = o->a;
        }
        udp_body(&body, &ip.src, &ip.dst, OVL_L2TP_PORT, OVL_L2TP_PORT, &hdr);
        break;
    }
    }
    build_ip_packet(out, &ip, body.b, body.len);
    if (frame.overflow || body.overflow)
        out->overflow = true;
}
