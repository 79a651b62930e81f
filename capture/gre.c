/* gre.c - GRE header decoding and the ERSPAN headers behind it.
 *
 * GRE, RFC 2784 section 2 with the Key and Sequence Number extensions of
 * RFC 2890 section 2:
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   |C|R|K|S|s|Recur|  Flags  | Ver |         Protocol Type         |
 *   |      Checksum (optional, C)   |       Reserved1 (optional)    |
 *   |                         Key (optional, K)                     |
 *   |                 Sequence Number (optional, S)                 |
 *
 * R and s are RFC 1701's routing bits; RFC 2784 section 2.3 says a
 * receiver that does not implement RFC 1701 discards a packet with them
 * set.  The other flag bits and Recur are ignored on receipt.  The
 * Protocol Type is an EtherType (section 2.4).
 *
 * ERSPAN (Cisco's Encapsulated Remote SPAN, draft-foschiano-erspan-03):
 *   Type I   GRE protocol 0x88BE without a sequence number: the mirrored
 *            Ethernet frame follows the GRE header directly (section 4.1).
 *   Type II  GRE protocol 0x88BE with a sequence number and an 8-octet
 *            header (section 4.2): Ver = 1 (4 bits), VLAN (12), COS (3),
 *            En (2), T (1), Session ID (10), Reserved (12), Index (20).
 *   Type III GRE protocol 0x22EB and a 12-octet header (section 4.3):
 *            Ver = 2 (4 bits), VLAN (12), COS (3), BSO (2), T (1),
 *            Session ID (10), Timestamp (32), SGT (16), P (1), FT (5),
 *            Hw ID (6), D (1), Gra (2), O (1); O = 1 adds an 8-octet
 *            platform-specific subheader.  FT 0 is an Ethernet frame,
 *            FT 2 an IP packet.
 */
#include "capture/gre.h"

#include "capture/pkt_view.h"

#define GRE_FLAG_C 0x8000u
#define GRE_FLAG_R 0x4000u
#define GRE_FLAG_K 0x2000u
#define GRE_FLAG_S 0x1000u
#define GRE_FLAG_SSR 0x0800u
#define GRE_VERSION_MASK 0x0007u
#define GRE_RECUR_MASK 0x0700u
#define GRE_V1_FLAG_A 0x0080u /* RFC 2637 section 4.1: acknowledgment number present */
#define GRE_PROTO_ERSPAN_2 0x88beu /* types I and II */
#define GRE_PROTO_ERSPAN_3 0x22ebu
#define ERSPAN_2_HDR_LEN 8
#define ERSPAN_3_HDR_LEN 12
#define ERSPAN_3_SUBHDR_LEN 8
#define ERSPAN_SESSION_MASK 0x03ffu
#define ERSPAN_FT_ETHERNET 0u
#define ERSPAN_FT_IP 2u

/* The ERSPAN header after the GRE header; *c is left at the mirrored frame.
 * PARSE_TRUNCATED here means only that the bytes ran out. */
static enum parse_rc erspan(struct cursor *c, uint16_t proto, bool seq, struct overlay_inner *out)
{
    out->ethertype = OVERLAY_ETHERNET;
    if (proto == GRE_PROTO_ERSPAN_2 && !seq)
        return PARSE_OK; /* type I: no header */
    uint16_t ver_vlan = cur_be16(c);
    uint16_t cos_session = cur_be16(c);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    unsigned ver = ver_vlan >> 12;
    out->vnid = cos_session & ERSPAN_SESSION_MASK;
    if (proto == GRE_PROTO_ERSPAN_2) {
        if (ver != 1)
            return PARSE_INVALID;
        cur_skip(c, ERSPAN_2_HDR_LEN - 4); /* reserved, index */
        return cur_ok(c) ? PARSE_OK : PARSE_TRUNCATED;
    }
    if (ver != 2)
        return PARSE_INVALID;
    cur_skip(c, 4 + 2); /* timestamp, SGT */
    uint16_t bits = cur_be16(c);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    unsigned ft = (bits >> 10) & 0x1fu;
    if (bits & 1u) /* O: platform-specific subheader */
        cur_skip(c, ERSPAN_3_SUBHDR_LEN);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    if (ft == ERSPAN_FT_IP) {
        /* an IP packet: the version nibble names it */
        if (!cur_has(c, 1))
            return PARSE_TRUNCATED;
        unsigned nib = cur_peek(c, 0) >> 4;
        if (nib != 4 && nib != 6)
            return PARSE_INVALID;
        out->ethertype = nib == 4 ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6;
        return PARSE_OK;
    }
    return ft == ERSPAN_FT_ETHERNET ? PARSE_OK : PARSE_INVALID;
}

/* Enhanced GRE, version 1 (PPTP, RFC 2637 section 4.1): C, R, s and Recur
 * clear, K set, S optional, A (acknowledgment number present) optional,
 * protocol 0x880b (PPP); the key is the payload length (high 16 bits) and
 * the call id (low 16).  A packet that only acknowledges carries no
 * payload. */
static enum parse_rc gre_v1(struct cursor *c, uint16_t flags, uint16_t proto,
                            struct overlay_inner *out)
{
    if ((flags & (GRE_FLAG_C | GRE_FLAG_R | GRE_FLAG_SSR | GRE_RECUR_MASK)) ||
        !(flags & GRE_FLAG_K) || proto != ETHERTYPE_PPP)
        return PARSE_INVALID;
    uint32_t key = cur_be32(c);
    if (flags & GRE_FLAG_S)
        cur_skip(c, 4); /* sequence number */
    if (flags & GRE_V1_FLAG_A)
        cur_skip(c, 4); /* acknowledgment number */
    if (!cur_ok(c))
        return overlay_ran_out(out);
    out->ethertype = ETHERTYPE_PPP;
    out->vnid = key & 0xffffu; /* call id */
    bool cut;
    struct cursor payload = cur_sub_clamped(c, key >> 16, &cut);
    out->cut = out->cut || cut;
    return overlay_found(out, &payload);
}

enum parse_rc gre_decode(struct cursor *c, uint32_t claimed, struct overlay_inner *out,
                         enum gre_kind *kind)
{
    overlay_begin(out, c, claimed, 0);
    *kind = GRE_PLAIN;
    uint16_t flags = cur_be16(c);
    uint16_t proto = cur_be16(c);
    if (!cur_ok(c))
        return overlay_ran_out(out);
    if ((flags & GRE_VERSION_MASK) == 1)
        return gre_v1(c, flags, proto, out);
    if ((flags & GRE_VERSION_MASK) != 0 || (flags & (GRE_FLAG_R | GRE_FLAG_SSR)))
        return PARSE_INVALID;
    if (flags & GRE_FLAG_C)
        cur_skip(c, 4); /* checksum, reserved1 */
    uint32_t key = (flags & GRE_FLAG_K) ? cur_be32(c) : 0;
    if (flags & GRE_FLAG_S)
        cur_skip(c, 4); /* sequence number */
    if (!cur_ok(c))
        return overlay_ran_out(out);
    out->vnid = key;
    if (proto == GRE_PROTO_ERSPAN_2 || proto == GRE_PROTO_ERSPAN_3) {
        *kind = GRE_ERSPAN;
        enum parse_rc rc = erspan(c, proto, (flags & GRE_FLAG_S) != 0, out);
        if (rc == PARSE_TRUNCATED)
            return overlay_ran_out(out);
        if (rc != PARSE_OK)
            return rc;
    } else {
        out->ethertype = proto;
    }
    return overlay_found(out, c);
}
