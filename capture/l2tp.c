/* l2tp.c - L2TP version 2 data messages (RFC 2661 section 3.1).
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   |T|L|x|x|S|x|O|P|x|x|x|x|  Ver  |          Length (opt)         |
 *   |           Tunnel ID           |           Session ID          |
 *   |             Ns (opt)          |             Nr (opt)          |
 *   |      Offset Size (opt)        |    Offset pad... (opt)
 *
 * T = 1 is a control message (it carries AVPs, never a PPP frame); a data
 * message (T = 0) carries one PPP frame after the header, with the HDLC
 * address and control octets unless they were negotiated away (section
 * 4.4.4 / RFC 1661 section 6.6).  L (Length), S (Ns, Nr) and O (Offset
 * Size, then that many octets of padding) add the optional fields.  Ver is
 * 2; 1 is L2F (left undecoded) and 3 is L2TPv3, below.
 *
 * L2TPv3 data messages (RFC 3931 section 4.1): in IP (protocol 115,
 * section 4.1.1.1) the message starts with the 32-bit Session ID, 0 being
 * reserved for control messages (4.1.1.2); on UDP (4.1.2.1) a 32-bit word
 * comes first:
 *
 *   |T|x|x|x|x|x|x|x|x|x|x|x|  Ver  |             Reserved          |
 *   |                           Session ID                          |
 *   |               Cookie (optional, maximum 64 bits)...
 *   |                  L2-Specific Sublayer (optional)...
 *   |                        Tunnel Payload ...
 *
 * The Cookie's length (0, 32 or 64 bits, section 4.1) and whether the
 * Default L2-Specific Sublayer (4 octets, section 4.6) is used are agreed
 * per session by the control connection (Assigned Cookie and L2-Specific
 * Sublayer AVPs, sections 5.4.5 / 5.4.4) or configured on both routers;
 * the data message does not say.  Implementations differ (Linux's
 * l2spec_type defaults to the 4-octet sublayer, IOS XR sends none), so the
 * payload is looked for after each possible length: an Ethernet pseudowire
 * (RFC 4719, the common case) or a PPP one (RFC 3931 PW type 0x0007),
 * accepted only when the IP packet in it accounts for the message's
 * length.  Other pseudowire types stay on their outer flow.
 */
#include "capture/l2tp.h"

#include "capture/pkt_view.h"

#define L2TP_FLAG_T 0x8000u
#define L2TP_FLAG_L 0x4000u
#define L2TP_FLAG_S 0x0800u
#define L2TP_FLAG_O 0x0200u
#define L2TP_VERSION_MASK 0x000fu
#define L2TP_VERSION 2u
#define L2TPV3_VERSION 3u
#define L2TPV3_RESERVED_LEN 2u /* after the flags and version word on UDP */
#define L2TPV3_MAX_PREFIX 12u  /* a 64-bit Cookie and the 4-octet sublayer */
#define L2TPV3_PREFIX_STEP 4u  /* both come in 32-bit units */

#define ETH_TYPE_OFF 12u   /* after the destination and source MACs */
#define ETH_TAG_LEN 4u     /* an 802.1Q / 802.1ad tag */
#define ETH_MAX_TAGS 2u    /* QinQ */
#define ETH_MIN_FRAME 60u  /* IEEE 802.3 minimum frame, less its FCS: may be padding */
#define PPP_ADDRESS_CONTROL 0xff03u /* RFC 1662 section 3.1 */
#define IPV4_MIN_IHL 5u
#define IPV6_HDR_LEN 40u
#define IP_LEN_FIELDS 6u   /* enough of either header for its length field */

enum parse_rc l2tp_decode(struct cursor *c, uint32_t claimed, struct overlay_inner *out)
{
    overlay_begin(out, c, claimed, ETHERTYPE_PPP);
    size_t start = cur_off(c);
    uint16_t flags = cur_be16(c);
    if (!cur_ok(c))
        return overlay_ran_out(out);
    if ((flags & L2TP_FLAG_T) || (flags & L2TP_VERSION_MASK) != L2TP_VERSION)
        return PARSE_INVALID;
    uint16_t length = (flags & L2TP_FLAG_L) ? cur_be16(c) : 0;
    uint16_t tunnel = cur_be16(c);
    uint16_t session = cur_be16(c);
    if (flags & L2TP_FLAG_S)
        cur_skip(c, 4); /* Ns, Nr */
    if (flags & L2TP_FLAG_O)
        cur_skip(c, cur_be16(c)); /* Offset Size octets of padding */
    if (!cur_ok(c))
        return overlay_ran_out(out);
    out->vnid = (uint32_t)tunnel << 16 | session;
    if (flags & L2TP_FLAG_L) {
        size_t hdr = cur_off(c) - start;
        if (length < hdr)
            return PARSE_INVALID;
        /* the message ends where its Length says, not at the datagram's end */
        bool cut;
        struct cursor msg = cur_sub_clamped(c, length - hdr, &cut);
        out->cut = out->cut || cut;
        return overlay_found(out, &msg);
    }
    return overlay_found(out, c);
}

unsigned l2tp_version(const struct cursor *c)
{
    return cur_has(c, 2) ? (cur_peek(c, 1) & L2TP_VERSION_MASK) : 0;
}

/* How a candidate frame fits the message. */
enum pw_fit { PW_NO, PW_YES, PW_CUT /* the capture ends before it is settled */ };

static uint16_t peek16(const struct cursor *c, size_t at)
{
    return (uint16_t)(cur_peek(c, at) << 8 | cur_peek(c, at + 1));
}

/* Whether the IP packet of version `version` at `at` in c fills `room`
 * octets: exactly, or (padded) with trailing octets after it. */
static enum pw_fit ip_fills(const struct cursor *c, size_t at, unsigned version, uint32_t room,
                            bool padded)
{
    if (!cur_has(c, at + IP_LEN_FIELDS))
        return PW_CUT;
    uint8_t first = cur_peek(c, at);
    uint32_t len;
    if (version == 4 && first >> 4 == 4 && (first & 0x0fu) >= IPV4_MIN_IHL)
        len = peek16(c, at + 2); /* Total Length */
    else if (version == 6 && first >> 4 == 6)
        len = peek16(c, at + 4) + IPV6_HDR_LEN; /* Payload Length + the fixed header */
    else
        return PW_NO;
    return len == room || (padded && len < room) ? PW_YES : PW_NO;
}

/* An Ethernet frame of `len` octets at `off` (RFC 4719: no preamble, no
 * FCS), with up to two VLAN tags, carrying IPv4 or IPv6. */
static enum pw_fit pw_ethernet(const struct cursor *c, size_t off, uint32_t len)
{
    size_t at = off + ETH_TYPE_OFF;
    for (unsigned tags = 0;; tags++) {
        if (len < at - off + 2)
            return PW_NO;
        if (!cur_has(c, at + 2))
            return PW_CUT;
        uint16_t type = peek16(c, at);
        at += 2;
        if ((type == ETHERTYPE_8021Q || type == ETHERTYPE_8021AD) && tags < ETH_MAX_TAGS) {
            at += ETH_TAG_LEN - 2;
            continue;
        }
        if (type != ETHERTYPE_IPV4 && type != ETHERTYPE_IPV6)
            return PW_NO;
        return ip_fills(c, at, type == ETHERTYPE_IPV4 ? 4 : 6, len - (uint32_t)(at - off),
                        len <= ETH_MIN_FRAME);
    }
}

/* A PPP frame of `len` octets at `off`: the address and control octets
 * unless negotiated away, the protocol (compressed to one octet or not),
 * IPv4 or IPv6. */
static enum pw_fit pw_ppp(const struct cursor *c, size_t off, uint32_t len)
{
    size_t at = off;
    if (!cur_has(c, at + 2))
        return PW_CUT;
    if (peek16(c, at) == PPP_ADDRESS_CONTROL)
        at += 2;
    if (!cur_has(c, at + 1))
        return PW_CUT;
    uint16_t proto = cur_peek(c, at);
    if (proto & 1u) { /* an odd first octet ends the field (RFC 1661 section 6.5) */
        at += 1;
    } else {
        if (!cur_has(c, at + 2))
            return PW_CUT;
        proto = peek16(c, at);
        at += 2;
    }
    if ((proto != PPP_PROTO_IPV4 && proto != PPP_PROTO_IPV6) || len < at - off)
        return PW_NO;
    return ip_fills(c, at, proto == PPP_PROTO_IPV4 ? 4 : 6, len - (uint32_t)(at - off), false);
}

enum parse_rc l2tpv3_decode(struct cursor *c, uint32_t claimed, bool over_udp,
                            struct overlay_inner *out)
{
    overlay_begin(out, c, claimed, OVERLAY_ETHERNET);
    size_t start = cur_off(c);
    if (over_udp) {
        uint16_t flags = cur_be16(c);
        cur_skip(c, L2TPV3_RESERVED_LEN);
        if (!cur_ok(c))
            return overlay_ran_out(out);
        if ((flags & L2TP_FLAG_T) || (flags & L2TP_VERSION_MASK) != L2TPV3_VERSION)
            return PARSE_INVALID;
    }
    uint32_t session = cur_be32(c);
    if (!cur_ok(c))
        return overlay_ran_out(out);
    size_t hdr = cur_off(c) - start;
    if (session == 0 || claimed < hdr)
        return PARSE_INVALID; /* a control message (in IP), or a datagram shorter than this */
    uint32_t msg = claimed - (uint32_t)hdr;
    bool undecided = false;
    for (uint32_t off = 0; off <= L2TPV3_MAX_PREFIX && off <= msg; off += L2TPV3_PREFIX_STEP) {
        enum pw_fit eth = pw_ethernet(c, off, msg - off);
        enum pw_fit ppp = eth == PW_YES ? PW_NO : pw_ppp(c, off, msg - off);
        if (eth == PW_YES || ppp == PW_YES) {
            cur_skip(c, off); /* captured: the frame's header was read behind it */
            out->ethertype = eth == PW_YES ? OVERLAY_ETHERNET : ETHERTYPE_PPP;
            out->vnid = session;
            return overlay_found(out, c);
        }
        undecided = undecided || eth == PW_CUT || ppp == PW_CUT;
    }
    return undecided && out->cut ? PARSE_TRUNCATED : PARSE_INVALID;
}
