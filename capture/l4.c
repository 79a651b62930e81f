/* l4.c - transport header decoding.
 *
 * Specs: RFC 9293 section 3.1 (TCP header), RFC 768 (UDP), RFC 9260
 * section 3.1 (SCTP common header), RFC 792 (ICMP: 8-byte header),
 * RFC 4443 section 2.1 (ICMPv6: 4-byte type/code/checksum, then the body).
 *
 * TCP (RFC 9293 section 3.1):
 *    0                   1                   2                   3
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |          Source Port          |       Destination Port        |
 *   |                        Sequence Number                        |
 *   |                    Acknowledgment Number                      |
 *   |  DOff | Rsrvd |C|E|U|A|P|R|S|F|            Window             |
 *   |           Checksum            |         Urgent Pointer        |
 *   |                    Options (DOff > 5)                         |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * UDP (RFC 768):  | Source Port | Destination Port | Length | Checksum |
 * SCTP (RFC 9260 section 3.1):
 *                 | Source Port | Destination Port | Verification Tag 32 | Checksum 32 |
 * ICMP / ICMPv6:  | Type | Code | Checksum | (ICMP: 4 more header bytes) |
 */
#include "capture/l4.h"

#include <stdbool.h>

#define TCP_MIN_HDR 20  /* RFC 9293: DOff >= 5 words */
#define TCP_DOFF_SHIFT 12
#define TCP_FLAGS_MASK 0x00ffu /* CWR..FIN; the header's reserved bits are dropped */
#define UDP_HDR_LEN 8
#define SCTP_COMMON_HDR_LEN 12
#define ICMP_HDR_LEN 8   /* RFC 792: type, code, checksum, 4 bytes of header data */
#define ICMPV6_HDR_LEN 4 /* RFC 4443 section 2.1 */

/* A header read ran out: truncated when the capture is shorter than the IP
 * claim, otherwise the IP length is too short for the header. */
static enum parse_rc short_header(size_t captured, uint32_t claimed, struct pkt_view *v)
{
    if (captured < claimed) {
        v->anomalies |= ANOM_TRUNCATED;
        return PARSE_TRUNCATED;
    }
    v->anomalies |= ANOM_BAD_L4;
    return PARSE_INVALID;
}

/* The payload from the cursor position: the captured bytes, at most
 * payload_claim of them, and the claimed length. */
static void set_payload(struct cursor *c, uint32_t payload_claim, struct pkt_view *v)
{
    bool cut;
    struct cursor p = cur_sub_clamped(c, payload_claim, &cut);
    v->payload = cur_rest(&p);
    v->payload_len = payload_claim;
}

static enum parse_rc tcp(struct cursor *c, uint32_t claimed, struct pkt_view *v)
{
    size_t captured = cur_left(c);
    uint16_t sport = cur_be16(c);
    uint16_t dport = cur_be16(c);
    uint32_t seq = cur_be32(c);
    uint32_t ack = cur_be32(c);
    uint16_t doff_flags = cur_be16(c);
    cur_skip(c, 6); /* window, checksum, urgent pointer */
    if (!cur_ok(c))
        return short_header(captured, claimed, v);
    size_t hlen = (size_t)(doff_flags >> TCP_DOFF_SHIFT) * 4;
    if (hlen < TCP_MIN_HDR || hlen > claimed) {
        v->anomalies |= ANOM_BAD_L4;
        return PARSE_INVALID;
    }
    v->sport = sport;
    v->dport = dport;
    v->has_ports = true;
    v->tcp_seq = seq;
    v->tcp_ack = ack;
    v->tcp_flags = (uint8_t)(doff_flags & TCP_FLAGS_MASK);
    if (!cur_skip(c, hlen - TCP_MIN_HDR)) { /* options; hlen <= claimed, so the capture ran out */
        v->anomalies |= ANOM_TRUNCATED;
        return PARSE_TRUNCATED;
    }
    set_payload(c, (uint32_t)(claimed - hlen), v);
    return PARSE_OK;
}

static enum parse_rc udp(struct cursor *c, uint32_t claimed, struct pkt_view *v)
{
    size_t captured = cur_left(c);
    uint16_t sport = cur_be16(c);
    uint16_t dport = cur_be16(c);
    uint16_t ulen = cur_be16(c);
    (void)cur_be16(c); /* checksum */
    if (!cur_ok(c))
        return short_header(captured, claimed, v);
    /* RFC 768: length counts header and data, so < 8 is impossible; it may
     * not exceed what IP carries, except in a first fragment, where it
     * covers the whole datagram.  Less than the IP claim is legal (the rest
     * is IP padding), so the UDP length is the tighter claim. */
    if (ulen < UDP_HDR_LEN || (ulen > claimed && !v->frag_first)) {
        v->anomalies |= ANOM_BAD_L4;
        return PARSE_INVALID;
    }
    v->sport = sport;
    v->dport = dport;
    v->has_ports = true;
    set_payload(c, (uint32_t)(ulen - UDP_HDR_LEN), v);
    return PARSE_OK;
}

static enum parse_rc sctp(struct cursor *c, uint32_t claimed, struct pkt_view *v)
{
    size_t captured = cur_left(c);
    uint16_t sport = cur_be16(c);
    uint16_t dport = cur_be16(c);
    cur_skip(c, 8); /* verification tag, checksum */
    if (!cur_ok(c))
        return short_header(captured, claimed, v);
    v->sport = sport;
    v->dport = dport;
    v->has_ports = true;
    set_payload(c, (uint32_t)(claimed - SCTP_COMMON_HDR_LEN), v);
    return PARSE_OK;
}

static enum parse_rc icmp(struct cursor *c, uint32_t claimed, size_t hlen, struct pkt_view *v)
{
    size_t captured = cur_left(c);
    struct cursor whole = *c;
    bool cut;
    struct cursor msg = cur_sub_clamped(&whole, claimed, &cut);
    v->icmp_msg = cur_rest(&msg);
    uint8_t type = cur_u8(c);
    uint8_t code = cur_u8(c);
    cur_skip(c, hlen - 2); /* checksum (+ ICMP header data) */
    if (!cur_ok(c))
        return short_header(captured, claimed, v);
    v->icmp_type = type;
    v->icmp_code = code;
    v->has_icmp = true;
    set_payload(c, (uint32_t)(claimed - hlen), v);
    return PARSE_OK;
}

enum parse_rc l4_decode(struct cursor *c, uint8_t proto, uint32_t claimed, struct pkt_view *v)
{
    switch (proto) {
    case L4_TCP:
        return tcp(c, claimed, v);
    case L4_UDP:
        return udp(c, claimed, v);
    case L4_SCTP:
        return sctp(c, claimed, v);
    case L4_ICMP:
        return icmp(c, claimed, ICMP_HDR_LEN, v);
    case L4_ICMPV6:
        return icmp(c, claimed, ICMPV6_HDR_LEN, v);
    default:
        set_payload(c, claimed, v);
        return PARSE_OK;
    }
}
