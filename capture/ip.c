/* ip.c - IPv4 and IPv6 header decoding.
 *
 * Specs: RFC 791 section 3.1 (IPv4 header), RFC 8200 sections 3 and 4 (IPv6
 * header and extension headers), RFC 4302 section 2.2 (AH payload length in
 * 4-octet units minus 2), RFC 2675 (jumbograms: payload length 0).
 *
 * IPv4 (RFC 791 section 3.1):
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |Version|  IHL  |Type of Service|          Total Length         |
 *   |         Identification        |Flags|      Fragment Offset    |
 *   |  Time to Live |    Protocol   |         Header Checksum       |
 *   |                       Source Address                          |
 *   |                    Destination Address                        |
 *   |                    Options (IHL > 5)                          |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * IPv6 (RFC 8200 section 3):
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |Version| Traffic Class |           Flow Label                  |
 *   |         Payload Length        |  Next Header  |   Hop Limit   |
 *   |                 Source Address (128 bits)                     |
 *   |              Destination Address (128 bits)                   |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * Extension headers (hop-by-hop 0, routing 43, destination options 60):
 *   | Next Header | Hdr Ext Len (8-octet units, not counting the first 8) | ...
 * Fragment (44), always 8 bytes:
 *   | Next Header | Reserved | Fragment Offset (13) |Res|M| Identification (32) |
 * AH (51): | Next Header | Payload Len (4-octet units minus 2) | ...
 *
 * The claimed lengths (total length, payload length) and the captured bytes
 * travel separately: a capture cut by snaplen is not an error, a header that
 * claims less than its own size is.
 */
#include "capture/ip.h"

#include <stdbool.h>
#include <string.h>

#define IPV4_MIN_HDR 20          /* RFC 791: IHL >= 5 words */
#define IPV4_FLAG_MF 0x2000u     /* RFC 791 section 3.1: more fragments */
#define IPV4_FRAG_OFF_MASK 0x1fffu
#define IPV4_FRAG_UNIT 8         /* fragment offset counts 8-octet blocks */
#define IPV4_MAX_DATAGRAM 65535u /* RFC 791: total length is 16 bits */
#define IPV4_ADDR_LEN 4

#define IPV6_HDR_LEN 40
#define IPV6_ADDR_LEN 16
#define IPV6_EXT_UNIT 8 /* RFC 8200 section 4.3: Hdr Ext Len unit */
#define IPV6_FRAG_OFF_SHIFT 3
#define AH_UNIT 4       /* RFC 4302 section 2.2 */
#define AH_LEN_BIAS 2

#define NH_HOPOPT 0
#define NH_ROUTING 43
#define NH_FRAGMENT 44
#define NH_AH 51
#define NH_DSTOPTS 60


/* The l3 span: from the header start, clipped to the claimed total length
 * so Ethernet trailer padding never reaches DPI. */
static struct span l3_span(struct span from_hdr, size_t claimed)
{
    struct span s = from_hdr;
    if (s.n > claimed)
        s.n = claimed;
    return s;
}

static enum parse_rc ipv4(struct cursor *c, struct pkt_view *v, struct ip_next *next)
{
    struct span start = cur_rest(c);
    uint8_t ver_ihl = cur_u8(c);
    if (!cur_ok(c))
        return decode_truncated(v);
    if (ver_ihl >> 4 != 4)
        return decode_invalid(v, ANOM_BAD_VERSION);
    size_t hlen = (size_t)(ver_ihl & 0x0f) * 4;
    if (hlen < IPV4_MIN_HDR)
        return decode_invalid(v, ANOM_BAD_IP_LEN);

    (void)cur_u8(c); /* DSCP / ECN */
    uint16_t total = cur_be16(c);
    uint16_t id = cur_be16(c);
    uint16_t frag = cur_be16(c);
    uint8_t ttl = cur_u8(c);
    uint8_t proto = cur_u8(c);
    (void)cur_be16(c); /* checksum: not verified (offload leaves it zero) */
    uint8_t src[IPV4_ADDR_LEN], dst[IPV4_ADDR_LEN];
    cur_copy(c, src, sizeof src);
    cur_copy(c, dst, sizeof dst);
    if (!cur_ok(c))
        return decode_truncated(v);
    bool tso = false;
    if (total == 0 && start.n >= hlen) {
        /* Total length 0 is what TCP segmentation offload leaves in frames
         * captured on the sending host; like Wireshark, take the captured
         * bytes as the length, and flag it. */
        tso = true;
        total = start.n > IPV4_MAX_DATAGRAM ? IPV4_MAX_DATAGRAM : (uint16_t)start.n;
    }
    if (total < hlen)
        return decode_invalid(v, ANOM_BAD_IP_LEN);
    size_t off = (size_t)(frag & IPV4_FRAG_OFF_MASK) * IPV4_FRAG_UNIT;
    if (off + (total - hlen) > IPV4_MAX_DATAGRAM)
        return decode_invalid(v, ANOM_BAD_IP_LEN); /* reassembly would overflow (ping of death) */
    if (!cur_skip(c, hlen - IPV4_MIN_HDR)) /* options: only bounds matter here */
        return decode_truncated(v);

    bool cut;
    next->l4 = cur_sub_clamped(c, total - hlen, &cut);
    next->l4_claimed = (uint32_t)(total - hlen);

    v->ip_version = 4;
    memset(&v->src, 0, sizeof v->src);
    memset(&v->dst, 0, sizeof v->dst);
    v->src.family = v->dst.family = 4;
    memcpy(v->src.a, src, sizeof src);
    memcpy(v->dst.a, dst, sizeof dst);
    v->ttl = ttl;
    v->l4proto = proto;
    v->l3 = l3_span(start, total);
    v->l3_len = total;
    if (tso)
        v->anomalies |= ANOM_BAD_IP_LEN;
    if ((frag & IPV4_FLAG_MF) || off != 0) {
        v->frag = true;
        v->frag_first = off == 0;
        v->frag_id = id;
        v->anomalies |= ANOM_FRAGMENT;
        next->frag_data = next->l4;
        next->frag_claimed = next->l4_claimed;
        next->frag_off = (uint32_t)off;
        next->frag_more = (frag & IPV4_FLAG_MF) != 0;
        next->frag_nh = proto;
        next->hdr_len = (uint8_t)hlen;
    }
    return PARSE_OK;
}

static bool ipv6_is_ext(uint8_t nh)
{
    return nh == NH_HOPOPT || nh == NH_ROUTING || nh == NH_FRAGMENT || nh == NH_AH ||
           nh == NH_DSTOPTS;
}

static enum parse_rc ipv6(struct cursor *c, struct pkt_view *v, struct ip_next *next)
{
    struct span start = cur_rest(c);
    if (!cur_has(c, 1))
        return decode_truncated(v);
    if (cur_peek(c, 0) >> 4 != 6)
        return decode_invalid(v, ANOM_BAD_VERSION);
    (void)cur_be32(c); /* version, traffic class, flow label */
    uint16_t plen = cur_be16(c);
    uint8_t nh = cur_u8(c);
    uint8_t hops = cur_u8(c);
    uint8_t src[IPV6_ADDR_LEN], dst[IPV6_ADDR_LEN];
    cur_copy(c, src, sizeof src);
    cur_copy(c, dst, sizeof dst);
    if (!cur_ok(c))
        return decode_truncated(v);

    size_t claimed = plen;
    if (plen == 0 && nh == NH_HOPOPT)
        claimed = cur_left(c); /* RFC 2675 jumbogram: the real length is in an option */
    bool cut;
    struct cursor pl = cur_sub_clamped(c, claimed, &cut);

    bool is_frag = false, frag_first = false;
    uint32_t frag_id = 0;
    for (unsigned n = 0; ipv6_is_ext(nh); n++) {
        if (n >= DECODE_MAX_IPV6_EXT)
            return decode_invalid(v, ANOM_IPV6_EXT_LIMIT);
        uint8_t ext_next = cur_u8(&pl);
        if (nh == NH_FRAGMENT) {
            (void)cur_u8(&pl); /* reserved */
            uint16_t offm = cur_be16(&pl);
            uint32_t id = cur_be32(&pl);
            if (!cur_ok(&pl))
                break;
            is_frag = true;
            frag_first = (offm >> IPV6_FRAG_OFF_SHIFT) == 0;
            frag_id = id;
            struct span data = cur_rest(&pl);
            next->frag_data = cur_init(data.p, data.n);
            next->frag_claimed = (uint32_t)(claimed - cur_off(&pl));
            next->frag_off = (uint32_t)(offm & ~7u);
            next->frag_more = (offm & 1u) != 0;
            next->frag_nh = ext_next;
            next->hdr_len = IPV6_HDR_LEN;
            nh = ext_next;
            if (!frag_first)
                break; /* later fragments carry no further headers */
            continue;
        }
        uint8_t ext_len = cur_u8(&pl);
        size_t total = nh == NH_AH ? ((size_t)ext_len + AH_LEN_BIAS) * AH_UNIT
                                   : ((size_t)ext_len + 1) * IPV6_EXT_UNIT;
        cur_skip(&pl, total - 2); /* total >= 8: the two bytes just read are in it */
        if (!cur_ok(&pl))
            break;
        nh = ext_next;
    }
    if (!cur_ok(&pl)) /* an extension header ran past the bytes */
        return cut ? decode_truncated(v) : decode_invalid(v, ANOM_BAD_IP_LEN);

    struct span rest = cur_rest(&pl);
    next->l4 = cur_init(rest.p, rest.n);
    next->l4_claimed = (uint32_t)(claimed - cur_off(&pl)); /* off <= pl.len <= claimed */

    v->ip_version = 6;
    v->src.family = v->dst.family = 6;
    memcpy(v->src.a, src, sizeof src);
    memcpy(v->dst.a, dst, sizeof dst);
    v->ttl = hops;
    v->l4proto = nh;
    v->l3 = l3_span(start, IPV6_HDR_LEN + claimed);
    v->l3_len = (uint32_t)(IPV6_HDR_LEN + claimed);
    if (is_frag) {
        v->frag = true;
        v->frag_first = frag_first;
        v->frag_id = frag_id;
        v->anomalies |= ANOM_FRAGMENT;
    }
    return PARSE_OK;
}

enum parse_rc ip_decode(struct cursor *c, uint8_t version, struct pkt_view *v,
                        struct ip_next *next)
{
    if (version == 0) {
        if (!cur_has(c, 1))
            return decode_truncated(v);
        version = (uint8_t)(cur_peek(c, 0) >> 4);
    }
    if (version == 4)
        return ipv4(c, v, next);
    if (version == 6)
        return ipv6(c, v, next);
    return decode_invalid(v, ANOM_BAD_VERSION);
}
