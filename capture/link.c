/* link.c - link-layer and L2.5 decoding: locate the IP header in a frame.
 *
 * Specs: IEEE 802.3-2018 clause 3.2.6 (Length/Type field; values >= 0x0600 are
 * EtherTypes), IEEE 802.1Q-2018 section 9.6 (C-TAG 0x8100, S-TAG 0x88a8; 0x9100
 * is the pre-standard QinQ outer tag), RFC 3032 section 2.1 (MPLS label stack
 * entry), RFC 2516 sections 4 and 7 (PPPoE session stage, EtherType 0x8864),
 * RFC 1332 / RFC 5072 (PPP protocol 0x0021 IPv4, 0x0057 IPv6), and the tcpdump
 * link-layer header types page for LINKTYPE_NULL, LOOP, RAW, LINUX_SLL (113)
 * and LINUX_SLL2 (276).
 *
 * Ethernet II:                     802.1Q / 802.1ad tag (repeats):
 *   +-----------+-----------+------+    +---+-+------------+-----------+
 *   | dst MAC 6 | src MAC 6 | type |    |PCP|D|  VID (12)  | type (16) |
 *   +-----------+-----------+------+    +---+-+------------+-----------+
 *
 * MPLS label stack entry (RFC 3032 section 2.1), repeated until S = 1:
 *    0                   1                   2                   3
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |                Label                  | TC  |S|      TTL      |
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * There is no payload type: the first nibble after the stack says 4 or 6
 * for IP, 0 for the control word of an Ethernet pseudowire (RFC 4385
 * section 3: 0000 | flags 4 | FRG 2 | length 6 | sequence 16; RFC 4448),
 * 1 for its associated channel (OAM); a pseudowire without a control word
 * starts with the customer's destination MAC.
 *
 * PPPoE session (RFC 2516 section 4), then the PPP protocol field:
 *   +-------+-------+-------+---------------+---------------+----------+
 *   |VER|TYP| CODE=0|  SESSION_ID (16)      |  LENGTH (16)  | PPP proto|
 *   +-------+-------+-------+---------------+---------------+----------+
 *
 * LINUX_SLL (16 bytes):  pkttype 2 | ARPHRD 2 | addrlen 2 | addr 8 | protocol 2
 * LINUX_SLL2 (20 bytes): protocol 2 | reserved 2 | ifindex 4 | ARPHRD 2 |
 *                        pkttype 1 | addrlen 1 | addr 8
 * NULL / LOOP (4 bytes): address family, host byte order (NULL) or network
 *                        byte order (LOOP).
 */
#include "capture/link.h"

#include <stdbool.h>

/* EtherTypes (IEEE Registration Authority list). */
#define ETHERTYPE_MIN 0x0600u      /* IEEE 802.3 clause 3.2.6: below this it is a length */
#define ETHERTYPE_8021Q 0x8100u    /* C-TAG */
#define ETHERTYPE_8021AD 0x88a8u   /* S-TAG */
#define ETHERTYPE_QINQ_OLD 0x9100u /* pre-802.1ad vendor QinQ */
#define ETHERTYPE_MPLS_UC 0x8847u  /* RFC 5332 section 4 */
#define ETHERTYPE_MPLS_MC 0x8848u
#define ETHERTYPE_PPPOE_SES 0x8864u /* RFC 2516 section 7 */

#define ETH_ADDRS_LEN 12   /* destination + source MAC */
#define VLAN_VID_MASK 0x0fffu
#define SLL_PROTO_OFF 14   /* protocol is the last 2 bytes of the 16-byte header */
#define SLL2_AFTER_PROTO 18 /* 20-byte header, protocol in its first 2 bytes */

#define MPLS_BOS_BIT 0x00000100u /* RFC 3032 section 2.1: S bit */
#define MPLS_PW_CW_LEN 4u        /* RFC 4385 section 3: PW MPLS control word */

#define PPPOE_VER_TYPE 0x11u     /* RFC 2516 section 4: VER = 1, TYPE = 1 */
#define PPPOE_CODE_SESSION 0x00u /* RFC 2516 section 6: session data */
#define PPP_PROTO_LEN 2
#define PPP_PROTO_IPV4 0x0021u   /* RFC 1332 */
#define PPP_PROTO_IPV6 0x0057u   /* RFC 5072 */

/* BSD address families seen in NULL/LOOP headers (tcpdump's LINKTYPE_NULL
 * notes: AF_INET6 is 24 on NetBSD/OpenBSD, 28 on FreeBSD, 30 on Darwin). */
#define BSD_AF_INET 2u
#define BSD_AF_INET6_NETBSD 24u
#define BSD_AF_INET6_FREEBSD 28u
#define BSD_AF_INET6_DARWIN 30u


/* Picks IPv4 or IPv6 from the version nibble of the next byte, for link
 * types and MPLS stacks that carry no payload type. */
static enum parse_rc guess_version(struct cursor *c, struct pkt_view *v, uint32_t anomaly,
                                   uint8_t *ip_version)
{
    if (!cur_has(c, 1))
        return decode_truncated(v);
    uint8_t nibble = (uint8_t)(cur_peek(c, 0) >> 4);
    if (nibble != 4 && nibble != 6)
        return decode_invalid(v, anomaly);
    *ip_version = nibble;
    return PARSE_OK;
}

static enum parse_rc ethertype(struct cursor *c, uint16_t type, struct pkt_view *v,
                               uint8_t *ip_version);

/* Whether an Ethernet frame at c + off names a type ethertype() follows to
 * IP (IPv4, IPv6, VLAN tags, MPLS): how an Ethernet pseudowire is told from
 * other payloads, and a control word from none. */
static bool pw_ethernet_at(const struct cursor *c, size_t off)
{
    if (!cur_has(c, off + ETH_ADDRS_LEN + 2))
        return false;
    uint16_t t = (uint16_t)(cur_peek(c, off + ETH_ADDRS_LEN) << 8 |
                            cur_peek(c, off + ETH_ADDRS_LEN + 1));
    return t == ETHERTYPE_IPV4 || t == ETHERTYPE_IPV6 || t == ETHERTYPE_8021Q ||
           t == ETHERTYPE_8021AD || t == ETHERTYPE_QINQ_OLD || t == ETHERTYPE_MPLS_UC;
}

/* What follows the bottom label: IPv4 or IPv6 by the version nibble, or an
 * Ethernet pseudowire (RFC 4448), with the control word of RFC 4385
 * section 3 (first nibble 0, 4 octets) or without it (it is optional).
 * A first nibble of 1 is the associated channel (OAM), not user data.  A
 * control word is taken when the frame behind it has an IP-bound
 * EtherType, else the frame is tried at the label's end. */
static enum parse_rc mpls_payload(struct cursor *c, struct pkt_view *v, uint8_t *ip_version)
{
    if (!cur_has(c, 1))
        return decode_truncated(v);
    unsigned nibble = cur_peek(c, 0) >> 4;
    if (nibble == 4 || nibble == 6 || nibble == 1)
        return guess_version(c, v, ANOM_UNKNOWN_L3, ip_version);
    if (nibble == 0 && !cur_has(c, MPLS_PW_CW_LEN + ETH_ADDRS_LEN + 2))
        return decode_truncated(v); /* too short to tell; no IP fits anyway */
    size_t off = nibble == 0 && pw_ethernet_at(c, MPLS_PW_CW_LEN) ? MPLS_PW_CW_LEN : 0;
    if (!pw_ethernet_at(c, off))
        return cur_has(c, off + ETH_ADDRS_LEN + 2) ? decode_invalid(v, ANOM_UNKNOWN_L3)
                                                   : decode_truncated(v);
    cur_skip(c, off + ETH_ADDRS_LEN);
    uint16_t type = cur_be16(c);
    return ethertype(c, type, v, ip_version);
}

/* Pops an MPLS label stack up to its bottom-of-stack entry.  The labels are
 * counted over the whole frame (a pseudowire may carry another stack), at
 * most DECODE_MAX_MPLS_LABELS, which also bounds that nesting. */
static enum parse_rc mpls(struct cursor *c, struct pkt_view *v, uint8_t *ip_version)
{
    while (v->mpls_depth < DECODE_MAX_MPLS_LABELS) {
        uint32_t entry = cur_be32(c);
        if (!cur_ok(c))
            return decode_truncated(v);
        v->mpls_depth++;
        if (entry & MPLS_BOS_BIT)
            return mpls_payload(c, v, ip_version);
    }
    return decode_invalid(v, ANOM_ENCAP_DEPTH);
}

/* Reads the PPPoE session header and PPP protocol; narrows c to the PPP
 * payload the PPPoE length claims (clamped to what was captured). */
static enum parse_rc pppoe(struct cursor *c, struct pkt_view *v, uint8_t *ip_version)
{
    uint8_t ver_type = cur_u8(c);
    uint8_t code = cur_u8(c);
    (void)cur_be16(c); /* session id */
    uint16_t len = cur_be16(c);
    uint16_t proto = cur_be16(c);
    if (!cur_ok(c))
        return decode_truncated(v);
    v->pppoe = true;
    if (ver_type != PPPOE_VER_TYPE || code != PPPOE_CODE_SESSION || len < PPP_PROTO_LEN)
        return decode_invalid(v, ANOM_UNKNOWN_L3);
    if (proto == PPP_PROTO_IPV4)
        *ip_version = 4;
    else if (proto == PPP_PROTO_IPV6)
        *ip_version = 6;
    else
        return decode_invalid(v, ANOM_UNKNOWN_L3); /* LCP, IPCP, ... */
    bool cut;
    *c = cur_sub_clamped(c, (size_t)len - PPP_PROTO_LEN, &cut);
    return PARSE_OK;
}

/* Follows an EtherType through VLAN tags, MPLS and PPPoE to IPv4/IPv6.
 * Each pass consumes at least one 4-byte header or returns, and at most
 * DECODE_MAX_ENCAP_DEPTH encapsulation headers are accepted. */
static enum parse_rc ethertype(struct cursor *c, uint16_t type, struct pkt_view *v,
                               uint8_t *ip_version)
{
    unsigned tags = 0;
    for (unsigned depth = 0;; depth++) {
        switch (type) {
        case ETHERTYPE_IPV4:
            *ip_version = 4;
            return PARSE_OK;
        case ETHERTYPE_IPV6:
            *ip_version = 6;
            return PARSE_OK;
        default:
            break;
        }
        if (depth >= DECODE_MAX_ENCAP_DEPTH)
            return decode_invalid(v, ANOM_ENCAP_DEPTH);
        switch (type) {
        case ETHERTYPE_8021Q:
        case ETHERTYPE_8021AD:
        case ETHERTYPE_QINQ_OLD: {
            uint16_t tci = cur_be16(c);
            type = cur_be16(c);
            if (!cur_ok(c))
                return decode_truncated(v);
            if (tags == 0)
                v->vlan_outer = (uint16_t)(tci & VLAN_VID_MASK);
            else if (tags == 1)
                v->vlan_inner = (uint16_t)(tci & VLAN_VID_MASK);
            tags++;
            break;
        }
        case ETHERTYPE_MPLS_UC:
        case ETHERTYPE_MPLS_MC:
            return mpls(c, v, ip_version);
        case ETHERTYPE_PPPOE_SES:
            return pppoe(c, v, ip_version);
        default:
            return decode_invalid(v, ANOM_UNKNOWN_L3); /* ARP, LLDP, 802.3 length, ... */
        }
    }
}

/* Apple PKTAP (LINKTYPE_PKTAP; macOS `tcpdump -i pktap`, iOS remote virtual
 * interfaces): a header of pkt_len octets, little-endian (tcpdump's
 * print-pktap.c: Apple's machines are little-endian), whose first words
 * are pkt_len, pkt_rectype (1 = a packet) and pkt_dlt, the DLT of the frame
 * after the header; interface, process and service fields follow (108
 * octets in all; a longer header, from a newer system, is skipped whole).
 * The process name is not kept. */
#define PKTAP_HDR_MIN 108u
#define PKTAP_REC_PACKET 1u

static enum parse_rc pktap(struct cursor *c, struct pkt_view *v, uint8_t *ip_version)
{
    uint32_t hlen = cur_le32(c);
    uint32_t rectype = cur_le32(c);
    uint32_t dlt = cur_le32(c);
    if (!cur_ok(c))
        return decode_truncated(v);
    if (hlen < PKTAP_HDR_MIN || rectype != PKTAP_REC_PACKET || dlt >= LINK_PKTAP)
        return decode_invalid(v, ANOM_UNKNOWN_L3);
    if (!cur_skip(c, hlen - 12))
        return decode_truncated(v);
    return link_decode((int)dlt, c, v, ip_version);
}

/* NULL and LOOP: a 4-byte address family. */
static enum parse_rc loopback(struct cursor *c, bool any_order, struct pkt_view *v,
                              uint8_t *ip_version)
{
    uint32_t be = cur_be32(c);
    if (!cur_ok(c))
        return decode_truncated(v);
    uint32_t swapped = (be >> 24) | ((be >> 8) & 0xff00u) | ((be & 0xff00u) << 8) | ((be & 0xffu) << 24);
    uint32_t fams[2] = {be, any_order ? swapped : be};
    for (unsigned i = 0; i < 2; i++) {
        if (fams[i] == BSD_AF_INET) {
            *ip_version = 4;
            return PARSE_OK;
        }
        if (fams[i] == BSD_AF_INET6_NETBSD || fams[i] == BSD_AF_INET6_FREEBSD ||
            fams[i] == BSD_AF_INET6_DARWIN) {
            *ip_version = 6;
            return PARSE_OK;
        }
    }
    return decode_invalid(v, ANOM_UNKNOWN_L3);
}

enum parse_rc link_decode_ethertype(uint16_t type, struct cursor *c, struct pkt_view *v,
                                    uint8_t *ip_version)
{
    *ip_version = 0;
    return ethertype(c, type, v, ip_version);
}

enum parse_rc link_decode(int linktype, struct cursor *c, struct pkt_view *v,
                          uint8_t *ip_version)
{
    *ip_version = 0;
    switch (linktype) {
    case LINK_EN10MB: {
        cur_skip(c, ETH_ADDRS_LEN);
        uint16_t type = cur_be16(c);
        if (!cur_ok(c))
            return decode_truncated(v);
        if (type < ETHERTYPE_MIN)
            return decode_invalid(v, ANOM_UNKNOWN_L3); /* 802.3 length + LLC: not IP */
        return ethertype(c, type, v, ip_version);
    }
    case LINK_LINUX_SLL: {
        cur_skip(c, SLL_PROTO_OFF);
        uint16_t type = cur_be16(c);
        if (!cur_ok(c))
            return decode_truncated(v);
        return ethertype(c, type, v, ip_version);
    }
    case LINK_LINUX_SLL2: {
        uint16_t type = cur_be16(c);
        cur_skip(c, SLL2_AFTER_PROTO);
        if (!cur_ok(c))
            return decode_truncated(v);
        return ethertype(c, type, v, ip_version);
    }
    case LINK_RAW:
    case LINK_RAW_DLT12:
    case LINK_RAW_DLT14:
        return guess_version(c, v, ANOM_BAD_VERSION, ip_version);
    case LINK_IPV4:
        *ip_version = 4;
        return PARSE_OK;
    case LINK_IPV6:
        *ip_version = 6;
        return PARSE_OK;
    case LINK_NULL:
        return loopback(c, true, v, ip_version);
    case LINK_LOOP:
        return loopback(c, false, v, ip_version);
    case LINK_PKTAP:
        return pktap(c, v, ip_version);
    default:
        return decode_invalid(v, ANOM_UNKNOWN_L3);
    }
}
