/* geneve.c - GENEVE header decoding.
 *
 * Spec: RFC 8926 section 3.4 (after UDP to port 6081):
 *
 *   |Ver|  Opt Len  |O|C|    Rsvd.  |          Protocol Type        |
 *   |        Virtual Network Identifier (VNI)       |    Reserved   |
 *   |                    Variable-Length Options                    |
 *
 * Ver is 0 (a packet with another version is dropped); Opt Len counts the
 * options in 4-octet units; the Protocol Type is an EtherType (0x6558 for
 * an Ethernet frame).  O marks a control (OAM) packet; its payload is
 * still what the protocol type names, so it is decoded like any other.
 */
#include "capture/geneve.h"

#define GENEVE_HDR_LEN 8
#define GENEVE_OPT_UNIT 4

enum parse_rc geneve_decode(struct cursor *c, uint32_t claimed, struct overlay_inner *out)
{
    overlay_begin(out, c, claimed, 0);
    uint8_t ver_opt = cur_u8(c);
    (void)cur_u8(c); /* O, C, reserved */
    uint16_t proto = cur_be16(c);
    uint32_t vni = cur_be32(c);
    if (!cur_ok(c))
        return overlay_ran_out(out);
    if (ver_opt >> 6 != 0)
        return PARSE_INVALID;
    size_t opt = (size_t)(ver_opt & 0x3fu) * GENEVE_OPT_UNIT;
    if (claimed < GENEVE_HDR_LEN || opt > claimed - GENEVE_HDR_LEN)
        return PARSE_INVALID;
    if (!cur_skip(c, opt))
        return PARSE_TRUNCATED;
    out->ethertype = proto;
    out->vnid = vni >> 8;
    out->vnet_kind = OVERLAY_VNET_GENEVE;
    return overlay_found(out, c);
}
