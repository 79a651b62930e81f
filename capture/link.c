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
 * Tags that come before the frame's own EtherType and are skipped:
 *   IEEE 802.1ah I-TAG (0x88e7; provider backbone bridges, MAC-in-MAC):
 *     4 octets (I-PCP, I-DEI, UCA, I-SID), then the customer's destination
 *     and source MACs and the rest of the customer's frame;
 *   IEEE 802.1BR E-TAG (0x893f): 6 octets;
 *   Cisco VN-Tag (0x8926): 4 octets.
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
#define ETHERTYPE_MPLS_MC 0x8848u  /* unicast: ETHERTYPE_MPLS_UC, capture/pkt_view.h */
#define ETHERTYPE_PPPOE_SES 0x8864u /* RFC 2516 section 7 */
#define ETHERTYPE_PBB_ITAG 0x88e7u  /* IEEE 802.1ah (802.1Q-2018 clause 26): backbone service instance tag */
#define ETHERTYPE_ETAG 0x893fu      /* IEEE 802.1BR E-TAG (port extension) */
#define ETHERTYPE_VNTAG 0x8926u     /* Cisco VN-Tag (the pre-standard port extension tag) */
#define PBB_ITAG_TCI_LEN 4u         /* I-PCP, I-DEI, UCA, reserved, I-SID (24 bits) */
#define ETAG_TCI_LEN 6u             /* E-PCP, E-DEI, E-CID bases and extensions */
#define VNTAG_TCI_LEN 4u            /* d, p, dvif_id, l, r, ver, svif_id */

#define ETH_ADDRS_LEN 12   /* destination + source MAC */
#define VLAN_VID_MASK 0x0fffu
#define SLL_PROTO_OFF 14   /* protocol is the last 2 bytes of the 16-byte header */
#define SLL2_AFTER_PROTO 18 /* 20-byte header, protocol in its first 2 bytes */

#define MPLS_BOS_BIT 0x00000100u /* RFC 3032 section 2.1: S bit */
#define MPLS_PW_CW_LEN 4u        /* RFC 4385 section 3: PW MPLS control word */

#define PPPOE_VER_TYPE 0x11u     /* RFC 2516 section 4: VER = 1, TYPE = 1 */
#define PPPOE_CODE_SESSION 0x00u /* RFC 2516 section 6: session data */
#define PPP_PROTO_LEN 2

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
static enum parse_rc ppp(struct cursor *c, struct pkt_view *v, uint8_t *ip_version);
static enum parse_rc en10mb(struct cursor *c, struct pkt_view *v, uint8_t *ip_version);

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

/* Network Service Header (RFC 8300 section 2), service function chaining:
 *
 *   |Ver|O|U|    TTL    |   Length  |U|U|U|U|MD Type| Next Protocol |
 *   |          Service Path Identifier (SPI)        | Service Index |
 *   |                  Context Header(s)                            |
 *
 * Ver 0; Length is the whole header in 4-octet words (MD Type 1: 6, MD
 * Type 2: at least 2); O marks an OAM packet, not user traffic.  Next
 * Protocol (section 11.2.5): 1 IPv4, 2 IPv6, 3 Ethernet, 4 NSH, 5 MPLS.
 * On PARSE_OK either *ip_version is set (the IP packet is next), or *type
 * names what follows for the EtherType walk: ETHERTYPE_NSH again, or the
 * EtherType of the Ethernet frame behind the header (its MACs skipped). */
#define NSH_BASE_LEN 8u
#define NSH_FLAG_O 0x20u
#define NSH_NP_IPV4 1u
#define NSH_NP_IPV6 2u
#define NSH_NP_ETHERNET 3u
#define NSH_NP_NSH 4u
#define NSH_NP_MPLS 5u

static enum parse_rc nsh(struct cursor *c, struct pkt_view *v, uint8_t *ip_version,
                         uint16_t *type)
{
    if (!cur_has(c, NSH_BASE_LEN))
        return decode_truncated(v);
    uint8_t b0 = cur_peek(c, 0);
    size_t len = (size_t)(cur_peek(c, 1) & 0x3fu) * 4u; /* Length: the low 6 bits */
    uint8_t next = cur_peek(c, 3);
    if ((b0 >> 6) != 0 || (b0 & NSH_FLAG_O) || len < NSH_BASE_LEN)
        return decode_invalid(v, ANOM_UNKNOWN_L3);
    if (!cur_skip(c, len))
        return decode_truncated(v);
    switch (next) {
    case NSH_NP_IPV4:
        *ip_version = 4;
        return PARSE_OK;
    case NSH_NP_IPV6:
        *ip_version = 6;
        return PARSE_OK;
    case NSH_NP_MPLS:
        return mpls(c, v, ip_version);
    case NSH_NP_NSH:
        *type = ETHERTYPE_NSH;
        return PARSE_OK;
    case NSH_NP_ETHERNET:
        cur_skip(c, ETH_ADDRS_LEN);
        *type = cur_be16(c);
        return cur_ok(c) ? PARSE_OK : decode_truncated(v);
    default:
        return decode_invalid(v, ANOM_UNKNOWN_L3);
    }
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
        case ETHERTYPE_PBB_ITAG: /* then the customer's frame: C-DA, C-SA, its tags */
        case ETHERTYPE_ETAG:     /* a port extender's tag, then the frame's own type */
        case ETHERTYPE_VNTAG:
            cur_skip(c, type == ETHERTYPE_PBB_ITAG ? PBB_ITAG_TCI_LEN + ETH_ADDRS_LEN
                        : type == ETHERTYPE_ETAG   ? ETAG_TCI_LEN
                                                   : VNTAG_TCI_LEN);
            type = cur_be16(c);
            if (!cur_ok(c))
                return decode_truncated(v);
            break;
        case ETHERTYPE_NSH: {
            enum parse_rc rc = nsh(c, v, ip_version, &type);
            if (rc != PARSE_OK || *ip_version)
                return rc;
            break; /* an Ethernet frame or another NSH: type says which */
        }
        case ETHERTYPE_MPLS_UC:
        case ETHERTYPE_MPLS_MC:
            return mpls(c, v, ip_version);
        case ETHERTYPE_PPPOE_SES:
            return pppoe(c, v, ip_version);
        case ETHERTYPE_PPP: /* a PPP frame: PPTP's enhanced GRE, L2TP */
            return ppp(c, v, ip_version);
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

/* ---- PPP and Cisco HDLC on a serial or dial-up link ----
 * PPP (RFC 1661 section 2): a 2-octet protocol field, or 1 octet when
 * Protocol-Field-Compression was negotiated (section 6.5: a protocol number's
 * high octet is even and its low octet odd, so an odd first octet is a
 * one-octet field).  HDLC-like framing (RFC 1662 section 3.1) puts address
 * 0xff and control 0x03 before it; LINKTYPE_PPP has them or not (Address-
 * and-Control-Field-Compression, RFC 1661 section 6.6).  Protocols followed:
 * 0x0021 IPv4 (RFC 1332), 0x0057 IPv6 (RFC 5072), 0x0281 / 0x0283 MPLS
 * (RFC 3032 section 4.3).
 * Cisco HDLC (LINKTYPE_C_HDLC; "Cisco PPP with HDLC framing", RFC 1547
 * section 4.3.1): address 0x0f (unicast) or 0x8f (broadcast), control 0x00,
 * then an EtherType.
 * LINKTYPE_PPP_HDLC holds either, told apart by the first octet;
 * LINKTYPE_PPP_PPPD has the direction (0 in, 1 out) where the 0xff address
 * is; LINKTYPE_PPP_WITH_DIR and LINKTYPE_C_HDLC_WITH_DIR put a direction
 * octet before a LINKTYPE_PPP or LINKTYPE_C_HDLC frame. */
#define PPP_ADDRESS 0xffu
#define PPP_CONTROL 0x03u
#define PPP_PROTO_MPLS_UC 0x0281u
#define PPP_PROTO_MPLS_MC 0x0283u
#define PPPD_DIR_OUT 0x01u
#define CHDLC_UNICAST 0x0fu
#define CHDLC_BROADCAST 0x8fu
#define CHDLC_CONTROL 0x00u

static enum parse_rc ppp_protocol(struct cursor *c, struct pkt_view *v, uint8_t *ip_version)
{
    if (!cur_has(c, 1))
        return decode_truncated(v);
    uint16_t proto = (cur_peek(c, 0) & 1u) ? cur_u8(c) : cur_be16(c);
    if (!cur_ok(c))
        return decode_truncated(v);
    switch (proto) {
    case PPP_PROTO_IPV4:
        *ip_version = 4;
        return PARSE_OK;
    case PPP_PROTO_IPV6:
        *ip_version = 6;
        return PARSE_OK;
    case PPP_PROTO_MPLS_UC:
    case PPP_PROTO_MPLS_MC:
        return mpls(c, v, ip_version);
    default:
        return decode_invalid(v, ANOM_UNKNOWN_L3); /* LCP, IPCP, compressed TCP, ... */
    }
}

/* LINKTYPE_PPP: the address and control octets are optional.  A first octet
 * 0xff is the address (no protocol number has an odd high octet). */
static enum parse_rc ppp(struct cursor *c, struct pkt_view *v, uint8_t *ip_version)
{
    if (cur_has(c, 1) && cur_peek(c, 0) == PPP_ADDRESS) {
        uint8_t addr = cur_u8(c);
        uint8_t ctrl = cur_u8(c);
        if (!cur_ok(c))
            return decode_truncated(v);
        if (addr != PPP_ADDRESS || ctrl != PPP_CONTROL)
            return decode_invalid(v, ANOM_UNKNOWN_L3);
    }
    return ppp_protocol(c, v, ip_version);
}

static enum parse_rc chdlc(struct cursor *c, struct pkt_view *v, uint8_t *ip_version)
{
    uint8_t addr = cur_u8(c);
    uint8_t ctrl = cur_u8(c);
    uint16_t type = cur_be16(c);
    if (!cur_ok(c))
        return decode_truncated(v);
    if ((addr != CHDLC_UNICAST && addr != CHDLC_BROADCAST) || ctrl != CHDLC_CONTROL)
        return decode_invalid(v, ANOM_UNKNOWN_L3);
    return ethertype(c, type, v, ip_version); /* SLARP keepalives (0x8035) are not IP */
}

/* LINKTYPE_PPP_HDLC: PPP when the first octet is 0xff, else Cisco HDLC. */
static enum parse_rc ppp_hdlc(struct cursor *c, struct pkt_view *v, uint8_t *ip_version)
{
    if (!cur_has(c, 1))
        return decode_truncated(v);
    if (cur_peek(c, 0) == PPP_ADDRESS)
        return ppp(c, v, ip_version);
    return chdlc(c, v, ip_version);
}

/* LINKTYPE_PPP_PPPD: direction, control 0x03, protocol. */
static enum parse_rc ppp_pppd(struct cursor *c, struct pkt_view *v, uint8_t *ip_version)
{
    uint8_t dir = cur_u8(c);
    uint8_t ctrl = cur_u8(c);
    if (!cur_ok(c))
        return decode_truncated(v);
    if (dir > PPPD_DIR_OUT || ctrl != PPP_CONTROL)
        return decode_invalid(v, ANOM_UNKNOWN_L3);
    return ppp_protocol(c, v, ip_version);
}

/* ---- Linux NFLOG (LINKTYPE_NFLOG; `tcpdump -i nflog:GROUP`) ----
 * tcpdump's LINKTYPE_NFLOG page: address family (2 = AF_INET, 10 =
 * AF_INET6), version 0, resource id (the nflog group, big-endian), then
 * TLVs to the end of the frame: length (the 4-octet header included),
 * type, value padded to 4 octets (netlink attributes, NLA_ALIGNTO).  Type 9
 * (NFULA_PAYLOAD, linux/netfilter/nfnetlink_log.h) holds the packet from its
 * network header on; the others (packet header, mark, timestamp, devices,
 * hardware address, prefix, uid, ...) are skipped.
 * The TLV length and type are in the byte order of the host that wrote the
 * file, which this decoder is not told; it reads the first TLV's type both
 * ways.  The kernel's types are 1..21 (NFULA_L2HDR) and the two netlink flag
 * bits are masked off, so a type t read the right way round is in 1..32 and
 * read the wrong way round is t * 256 + (flags) >= 256: only one order fits. */
#define NFLOG_AF_INET 2u
#define NFLOG_AF_INET6 10u
#define NFLOG_VERSION 0u
#define NFLOG_TLV_HDR 4u
#define NFLOG_TLV_ALIGN 4u
#define NFULA_PAYLOAD 9u
#define NFULA_TYPE_MAX 32u      /* the kernel defines 1..21; room for new ones */
#define NLA_TYPE_MASK 0x3fffu   /* NLA_F_NESTED and NLA_F_NET_BYTEORDER off */

static bool nflog_type_plausible(uint16_t type)
{
    unsigned t = type & NLA_TYPE_MASK;
    return t >= 1 && t <= NFULA_TYPE_MAX;
}

/* The TLVs ran out before a payload TLV: a cut capture (part of a TLV left,
 * or fewer bytes captured than the frame had), or a record logged without
 * a copy of the packet (NFULNL_COPY_META). */
static enum parse_rc nflog_no_payload(const struct cursor *c, struct pkt_view *v)
{
    if (cur_left(c) > 0 || v->wirelen > v->caplen)
        return decode_truncated(v);
    return decode_invalid(v, ANOM_UNKNOWN_L3);
}

static enum parse_rc nflog(struct cursor *c, struct pkt_view *v, uint8_t *ip_version)
{
    uint8_t family = cur_u8(c);
    uint8_t version = cur_u8(c);
    (void)cur_be16(c); /* resource id */
    if (!cur_ok(c))
        return decode_truncated(v);
    if (version != NFLOG_VERSION || (family != NFLOG_AF_INET && family != NFLOG_AF_INET6))
        return decode_invalid(v, ANOM_UNKNOWN_L3);
    if (!cur_has(c, NFLOG_TLV_HDR))
        return nflog_no_payload(c, v);
    bool le = nflog_type_plausible((uint16_t)(cur_peek(c, 2) | cur_peek(c, 3) << 8));
    if (!le && !nflog_type_plausible((uint16_t)(cur_peek(c, 2) << 8 | cur_peek(c, 3))))
        return decode_invalid(v, ANOM_UNKNOWN_L3);
    /* each pass consumes at least the 4-octet TLV header */
    while (cur_has(c, NFLOG_TLV_HDR)) {
        uint16_t len = le ? cur_le16(c) : cur_be16(c);
        uint16_t type = le ? cur_le16(c) : cur_be16(c);
        if (len < NFLOG_TLV_HDR)
            return decode_invalid(v, ANOM_UNKNOWN_L3);
        size_t vlen = (size_t)len - NFLOG_TLV_HDR;
        if ((type & NLA_TYPE_MASK) == NFULA_PAYLOAD) {
            bool cut;
            *c = cur_sub_clamped(c, vlen, &cut);
            *ip_version = family == NFLOG_AF_INET ? 4 : 6;
            return PARSE_OK;
        }
        if (!cur_skip(c, vlen))
            return decode_truncated(v);
        size_t pad = (NFLOG_TLV_ALIGN - vlen % NFLOG_TLV_ALIGN) % NFLOG_TLV_ALIGN;
        cur_skip(c, pad < cur_left(c) ? pad : cur_left(c));
    }
    return nflog_no_payload(c, v);
}

/* ---- IEEE 802.11 data frames (LINKTYPE_IEEE802_11, and behind radiotap or PPI) ----
 * IEEE 802.11-2020 section 9.2.4.1 (Frame Control: protocol version 2 bits,
 * type 2, subtype 4; then To DS, From DS, More Fragments, Retry, Power
 * Management, More Data, Protected Frame, +HTC/Order) and section 9.3.2.1
 * (data frame: Frame Control 2, Duration 2, Address 1-3 6 each, Sequence
 * Control 2 (fragment number in its low 4 bits, little-endian), Address 4
 * when To DS and From DS are both set, QoS Control 2 in QoS subtypes, HT
 * Control 4 when a QoS frame has +HTC).  The body of an MSDU starts with
 * LLC/SNAP (IEEE 802.2 with the SNAP header of RFC 1042, OUI 00-00-00, or of
 * IEEE 802.1H, OUI 00-00-F8) and then the EtherType.
 * Not IP, so counted as non-IP: management and control frames, subtypes
 * without a body (Null, CF-Ack, CF-Poll), Protected frames (the body is
 * encrypted: a capture of a WPA network shows no IP header unless it was
 * taken before encryption), and fragments after the first of an MSDU.  An
 * A-MSDU (QoS Control bit 7, section 9.3.2.2) gives its first subframe: DA
 * 6, SA 6, length 2 (big-endian), then the MSDU; the later subframes of the
 * frame are not decoded (one packet per frame). */
#define WLAN_TYPE_DATA 2u
#define WLAN_SUBTYPE_NODATA 0x04u /* subtype bit 2: no frame body */
#define WLAN_SUBTYPE_QOS 0x08u    /* subtype bit 3: QoS Control present */
#define WLAN_FLAG_TODS 0x01u
#define WLAN_FLAG_FROMDS 0x02u
#define WLAN_FLAG_PROTECTED 0x40u
#define WLAN_FLAG_ORDER 0x80u     /* +HTC in a QoS data frame */
#define WLAN_HDR_LEN 24u
#define WLAN_ADDR_LEN 6u
#define WLAN_SEQ_OFF 22u
#define WLAN_QOS_LEN 2u
#define WLAN_HTC_LEN 4u
#define WLAN_QOS_AMSDU 0x80u
#define WLAN_FRAG_MASK 0x0fu
#define LLC_SNAP_LEN 8u
#define WLAN_PAD_ALIGN 4u

static enum parse_rc wlan(struct cursor *c, bool datapad, bool fc_swapped, struct pkt_view *v,
                          uint8_t *ip_version)
{
    if (!cur_has(c, 2))
        return decode_truncated(v);
    uint8_t fc = cur_peek(c, fc_swapped ? 1 : 0);
    uint8_t flags = cur_peek(c, fc_swapped ? 0 : 1);
    unsigned subtype = fc >> 4;
    if ((fc & 0x03u) != 0 || ((fc >> 2) & 0x03u) != WLAN_TYPE_DATA ||
        (subtype & WLAN_SUBTYPE_NODATA) || (flags & WLAN_FLAG_PROTECTED))
        return decode_invalid(v, ANOM_UNKNOWN_L3);
    size_t hlen = WLAN_HDR_LEN;
    if ((flags & (WLAN_FLAG_TODS | WLAN_FLAG_FROMDS)) == (WLAN_FLAG_TODS | WLAN_FLAG_FROMDS))
        hlen += WLAN_ADDR_LEN;
    size_t qos_off = hlen;
    bool qos = (subtype & WLAN_SUBTYPE_QOS) != 0;
    if (qos)
        hlen += WLAN_QOS_LEN + ((flags & WLAN_FLAG_ORDER) ? WLAN_HTC_LEN : 0);
    if (datapad)
        hlen = (hlen + WLAN_PAD_ALIGN - 1) / WLAN_PAD_ALIGN * WLAN_PAD_ALIGN;
    if (!cur_has(c, hlen))
        return decode_truncated(v);
    if (cur_peek(c, WLAN_SEQ_OFF) & WLAN_FRAG_MASK)
        return decode_invalid(v, ANOM_UNKNOWN_L3); /* not the first fragment */
    bool amsdu = qos && (cur_peek(c, qos_off) & WLAN_QOS_AMSDU);
    cur_skip(c, hlen);
    if (amsdu) {
        cur_skip(c, WLAN_ADDR_LEN * 2);
        uint16_t sublen = cur_be16(c);
        if (!cur_ok(c))
            return decode_truncated(v);
        bool cut;
        *c = cur_sub_clamped(c, sublen, &cut);
    }
    if (!cur_has(c, LLC_SNAP_LEN))
        return decode_truncated(v);
    if (cur_peek(c, 0) != 0xaa || cur_peek(c, 1) != 0xaa || cur_peek(c, 2) != 0x03 ||
        cur_peek(c, 3) != 0 || cur_peek(c, 4) != 0 ||
        (cur_peek(c, 5) != 0 && cur_peek(c, 5) != 0xf8))
        return decode_invalid(v, ANOM_UNKNOWN_L3);
    cur_skip(c, LLC_SNAP_LEN - 2);
    uint16_t type = cur_be16(c);
    return ethertype(c, type, v, ip_version);
}

/* Radiotap (radiotap.org, "Radiotap header"): version 0, pad, length of the
 * whole header (little-endian), then present-flag words (little-endian; bit
 * 31 says another word follows), then the fields in bit order, each aligned
 * to its size from the header's start.  Field 0 is TSFT (8 octets), field 1
 * Flags (1 octet): 0x20 = padding between the 802.11 header and the body to
 * a 32-bit boundary, 0x40 = the frame failed its FCS check (its bytes are
 * not the frame sent: not decoded), 0x10 = an FCS at the end (the IP length
 * bounds the packet, so it needs nothing). */
#define RADIOTAP_FIXED_LEN 8u
#define RADIOTAP_EXT_BIT 0x80000000u
#define RADIOTAP_TSFT 0x1u
#define RADIOTAP_FLAGS 0x2u
#define RADIOTAP_TSFT_LEN 8u
#define RADIOTAP_F_DATAPAD 0x20u
#define RADIOTAP_F_BADFCS 0x40u

static enum parse_rc radiotap(struct cursor *c, struct pkt_view *v, uint8_t *ip_version)
{
    const struct cursor h = *c;
    uint8_t version = cur_u8(c);
    (void)cur_u8(c); /* pad */
    uint16_t len = cur_le16(c);
    uint32_t present = cur_le32(c);
    if (!cur_ok(c))
        return decode_truncated(v);
    if (version != 0 || len < RADIOTAP_FIXED_LEN)
        return decode_invalid(v, ANOM_UNKNOWN_L3);
    if (!cur_has(c, len - RADIOTAP_FIXED_LEN))
        return decode_truncated(v);
    /* the extra present words, each inside the header: at most (len - 8) / 4 */
    struct cursor words = *c;
    for (uint32_t word = present; word & RADIOTAP_EXT_BIT;) {
        if (cur_off(&words) - cur_off(&h) + 4 > len)
            return decode_invalid(v, ANOM_UNKNOWN_L3);
        word = cur_le32(&words);
    }
    size_t off = cur_off(&words) - cur_off(&h);
    uint8_t rflags = 0;
    if (present & RADIOTAP_TSFT)
        off = (off + RADIOTAP_TSFT_LEN - 1) / RADIOTAP_TSFT_LEN * RADIOTAP_TSFT_LEN +
              RADIOTAP_TSFT_LEN;
    if (present & RADIOTAP_FLAGS) {
        if (off >= len)
            return decode_invalid(v, ANOM_UNKNOWN_L3);
        rflags = cur_peek(&h, off);
    }
    cur_skip(c, len - RADIOTAP_FIXED_LEN);
    if (rflags & RADIOTAP_F_BADFCS)
        return decode_invalid(v, ANOM_UNKNOWN_L3);
    return wlan(c, (rflags & RADIOTAP_F_DATAPAD) != 0, false, v, ip_version);
}

/* PPI (CACE Technologies, "Per-Packet Information Header Specification"
 * 1.0): version 0, flags, length of the whole header (little-endian), the
 * DLT of the frame after it (little-endian), then fields, skipped.  Only
 * 802.11 and Ethernet frames are followed behind it. */
#define PPI_FIXED_LEN 8u

static enum parse_rc ppi(struct cursor *c, struct pkt_view *v, uint8_t *ip_version)
{
    uint8_t version = cur_u8(c);
    (void)cur_u8(c); /* flags */
    uint16_t len = cur_le16(c);
    uint32_t dlt = cur_le32(c);
    if (!cur_ok(c))
        return decode_truncated(v);
    if (version != 0 || len < PPI_FIXED_LEN || (dlt != LINK_IEEE802_11 && dlt != LINK_EN10MB))
        return decode_invalid(v, ANOM_UNKNOWN_L3);
    if (!cur_skip(c, len - PPI_FIXED_LEN))
        return decode_truncated(v);
    return link_decode((int)dlt, c, v, ip_version);
}

/* ---- Juniper routers' captures (Junos `monitor traffic ... write-file`) ----
 * LINKTYPE_JUNIPER_ETHER (178), _PPP (179) and _CHDLC (181) begin with the
 * header tcpdump's print-juniper.c and Wireshark's packet-juniper.c read:
 * the magic "MGC" (3 octets), flags (1: bit 0 direction in, bit 1 no
 * layer-2 header, bit 7 extension TLVs present); with bit 7, the TLVs'
 * total length (2 octets, big-endian) and the TLVs (interface indexes),
 * skipped; then the frame of the link type (Ethernet, PPP, Cisco HDLC), or
 * with bit 1 a Junos protocol number (4 octets, little-endian: 2 IPv4, 5
 * MPLS, 6 IPv6; packet-juniper.h) and the packet.  tshark 4.0 decodes test
 * frames of all three link types, with and without a layer-2 header, the
 * same way. */
#define JUNIPER_MAGIC 0x4d4743u /* "MGC" */
#define JUNIPER_FLAG_NO_L2 0x02u
#define JUNIPER_FLAG_EXT 0x80u
#define JUNIPER_PROTO_IP 2u
#define JUNIPER_PROTO_MPLS 5u
#define JUNIPER_PROTO_IP6 6u

static enum parse_rc juniper(int linktype, struct cursor *c, struct pkt_view *v,
                             uint8_t *ip_version)
{
    uint32_t magic = cur_be24(c);
    uint8_t flags = cur_u8(c);
    if (!cur_ok(c))
        return decode_truncated(v);
    if (magic != JUNIPER_MAGIC)
        return decode_invalid(v, ANOM_UNKNOWN_L3);
    if (flags & JUNIPER_FLAG_EXT) {
        uint16_t ext = cur_be16(c);
        if (!cur_ok(c) || !cur_skip(c, ext))
            return decode_truncated(v);
    }
    if (flags & JUNIPER_FLAG_NO_L2) {
        uint32_t proto = cur_le32(c);
        if (!cur_ok(c))
            return decode_truncated(v);
        switch (proto) {
        case JUNIPER_PROTO_IP:
            *ip_version = 4;
            return PARSE_OK;
        case JUNIPER_PROTO_IP6:
            *ip_version = 6;
            return PARSE_OK;
        case JUNIPER_PROTO_MPLS:
            return mpls(c, v, ip_version);
        default:
            return decode_invalid(v, ANOM_UNKNOWN_L3); /* CLNP, MPLS-then-IP variants, ... */
        }
    }
    if (linktype == LINK_JUNIPER_ETHER)
        return en10mb(c, v, ip_version);
    return linktype == LINK_JUNIPER_PPP ? ppp(c, v, ip_version) : chdlc(c, v, ip_version);
}

/* ---- Endace ERF records (LINKTYPE_ERF; DAG capture cards) ----
 * The ERF record header (Endace's Extensible Record Format; the type
 * numbers as Wireshark's wiretap/erf.h has them): timestamp 8 octets
 * (little-endian fixed point), type 1 (bit 7: extension headers follow),
 * flags 1, rlen 2, lctr (or colour) 2, wlen 2; then extension headers of 8
 * octets, bit 7 of each one's first octet set when another follows.  The
 * payload by type:
 *   ETH (2), COLOR_ETH (11), DSM_COLOR_ETH (16), COLOR_HASH_ETH (20): 2
 *     octets (offset, pad), then an Ethernet frame;
 *   HDLC_POS (1), COLOR_HDLC_POS (10), DSM_COLOR_HDLC_POS (15),
 *     COLOR_HASH_POS (19): PPP or Cisco HDLC in HDLC framing, as
 *     LINKTYPE_PPP_HDLC;
 *   MC_HDLC (5), COLOR_MC_HDLC_POS (17): a 4-octet multichannel header,
 *     then as HDLC_POS;
 *   IPV4 (22), IPV6 (23): the IP packet.
 * Other types (ATM, AAL, InfiniBand, metadata, padding) carry no IP packet
 * decoded here.  A record flagged with a receive error (flags bit 4) or a
 * DS error (bit 5) does not hold the bytes sent: not decoded. */
#define ERF_HDR_LEN 16u
#define ERF_EXT_LEN 8u
#define ERF_MAX_EXT 16u           /* more extension headers than any type defines */
#define ERF_TYPE_MASK 0x7fu
#define ERF_TYPE_EXT 0x80u
#define ERF_FLAG_RXERR 0x10u
#define ERF_FLAG_DSERR 0x20u
#define ERF_ETH_PAD 2u
#define ERF_MC_HDR 4u

#define ERF_TYPE_HDLC_POS 1u
#define ERF_TYPE_ETH 2u
#define ERF_TYPE_MC_HDLC 5u
#define ERF_TYPE_COLOR_HDLC_POS 10u
#define ERF_TYPE_COLOR_ETH 11u
#define ERF_TYPE_DSM_COLOR_HDLC_POS 15u
#define ERF_TYPE_DSM_COLOR_ETH 16u
#define ERF_TYPE_COLOR_MC_HDLC_POS 17u
#define ERF_TYPE_COLOR_HASH_POS 19u
#define ERF_TYPE_COLOR_HASH_ETH 20u
#define ERF_TYPE_IPV4 22u
#define ERF_TYPE_IPV6 23u

static enum parse_rc erf_record(struct cursor *c, struct pkt_view *v, uint8_t *ip_version)
{
    if (!cur_has(c, ERF_HDR_LEN))
        return decode_truncated(v);
    unsigned type = cur_peek(c, 8) & ERF_TYPE_MASK;
    bool more = (cur_peek(c, 8) & ERF_TYPE_EXT) != 0;
    uint8_t flags = cur_peek(c, 9);
    cur_skip(c, ERF_HDR_LEN);
    for (unsigned n = 0; more; n++) {
        if (n == ERF_MAX_EXT)
            return decode_invalid(v, ANOM_ENCAP_DEPTH);
        if (!cur_has(c, ERF_EXT_LEN))
            return decode_truncated(v);
        more = (cur_peek(c, 0) & ERF_TYPE_EXT) != 0;
        cur_skip(c, ERF_EXT_LEN);
    }
    if (flags & (ERF_FLAG_RXERR | ERF_FLAG_DSERR))
        return decode_invalid(v, ANOM_UNKNOWN_L3);
    switch (type) {
    case ERF_TYPE_ETH:
    case ERF_TYPE_COLOR_ETH:
    case ERF_TYPE_DSM_COLOR_ETH:
    case ERF_TYPE_COLOR_HASH_ETH:
        if (!cur_skip(c, ERF_ETH_PAD))
            return decode_truncated(v);
        return en10mb(c, v, ip_version);
    case ERF_TYPE_MC_HDLC:
    case ERF_TYPE_COLOR_MC_HDLC_POS:
        if (!cur_skip(c, ERF_MC_HDR))
            return decode_truncated(v);
        return ppp_hdlc(c, v, ip_version);
    case ERF_TYPE_HDLC_POS:
    case ERF_TYPE_COLOR_HDLC_POS:
    case ERF_TYPE_DSM_COLOR_HDLC_POS:
    case ERF_TYPE_COLOR_HASH_POS:
        return ppp_hdlc(c, v, ip_version);
    case ERF_TYPE_IPV4:
    case ERF_TYPE_IPV6:
        return guess_version(c, v, ANOM_BAD_VERSION, ip_version);
    default:
        return decode_invalid(v, ANOM_UNKNOWN_L3);
    }
}

enum parse_rc link_decode_wlan(struct cursor *c, bool fc_swapped, struct pkt_view *v,
                               uint8_t *ip_version)
{
    *ip_version = 0;
    return wlan(c, false, fc_swapped, v, ip_version);
}

enum parse_rc link_decode_ethertype(uint16_t type, struct cursor *c, struct pkt_view *v,
                                    uint8_t *ip_version)
{
    *ip_version = 0;
    return ethertype(c, type, v, ip_version);
}

/* Ethernet II (LINKTYPE_EN10MB). */
static enum parse_rc en10mb(struct cursor *c, struct pkt_view *v, uint8_t *ip_version)
{
    cur_skip(c, ETH_ADDRS_LEN);
    uint16_t type = cur_be16(c);
    if (!cur_ok(c))
        return decode_truncated(v);
    if (type < ETHERTYPE_MIN)
        return decode_invalid(v, ANOM_UNKNOWN_L3); /* 802.3 length + LLC: not IP */
    return ethertype(c, type, v, ip_version);
}

enum parse_rc link_decode(int linktype, struct cursor *c, struct pkt_view *v,
                          uint8_t *ip_version)
{
    *ip_version = 0;
    /* most frames are Ethernet: before the switch over the sparse link
     * type numbers, which the compiler makes a tree of compares */
    if (linktype == LINK_EN10MB)
        return en10mb(c, v, ip_version);
    switch (linktype) {
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
    case LINK_PPP:
        return ppp(c, v, ip_version);
    case LINK_PPP_HDLC:
        return ppp_hdlc(c, v, ip_version);
    case LINK_PPP_PPPD:
        return ppp_pppd(c, v, ip_version);
    case LINK_C_HDLC:
        return chdlc(c, v, ip_version);
    case LINK_PPP_WITH_DIR:
    case LINK_C_HDLC_WITH_DIR:
        if (!cur_skip(c, 1)) /* direction: 0 received, else sent */
            return decode_truncated(v);
        return linktype == LINK_PPP_WITH_DIR ? ppp(c, v, ip_version) : chdlc(c, v, ip_version);
    case LINK_PPP_ETHER:
        return pppoe(c, v, ip_version);
    case LINK_NFLOG:
        return nflog(c, v, ip_version);
    case LINK_IEEE802_11:
        return wlan(c, false, false, v, ip_version);
    case LINK_IEEE802_11_RADIOTAP:
        return radiotap(c, v, ip_version);
    case LINK_PPI:
        return ppi(c, v, ip_version);
    case LINK_ERF:
        return erf_record(c, v, ip_version);
    case LINK_JUNIPER_ETHER:
    case LINK_JUNIPER_PPP:
    case LINK_JUNIPER_CHDLC:
        return juniper(linktype, c, v, ip_version);
    default:
        return decode_invalid(v, ANOM_UNKNOWN_L3);
    }
}
