/* vxlan.c - VXLAN and VXLAN-GPE header decoding.
 *
 * Spec: RFC 7348 section 5 (VXLAN header, after UDP to port 4789):
 *
 *   |R|R|R|R|I|R|R|R|            Reserved                           |
 *   |                VXLAN Network Identifier (VNI) |   Reserved    |
 *
 * then the inner Ethernet frame (without FCS).  The I flag must be 1 for a
 * valid VNI; the R bits are sent as zero and ignored on receipt, except
 * that the Group Policy extension (draft-smith-vxlan-group-policy) uses
 * some of them, so only I and the last octet, which no extension uses, are
 * checked: a datagram to port 4789 that is not VXLAN stays plain UDP.
 */
#include "capture/vxlan.h"

#include "capture/pkt_view.h"

#define VXLAN_HDR_LEN 8
#define VXLAN_FLAG_I 0x08u

enum parse_rc vxlan_decode(struct cursor *c, uint32_t claimed, struct overlay_inner *out)
{
    overlay_begin(out, c, claimed, OVERLAY_ETHERNET);
    uint32_t flags = cur_be32(c);
    uint32_t vni = cur_be32(c);
    if (!cur_ok(c))
        return overlay_ran_out(out);
    if (!((flags >> 24) & VXLAN_FLAG_I) || (vni & 0xffu) != 0)
        return PARSE_INVALID;
    out->vnid = vni >> 8;
    out->vnet_kind = OVERLAY_VNET_VXLAN;
    return overlay_found(out, c);
}

/* VXLAN-GPE (draft-ietf-nvo3-vxlan-gpe-12 section 3.2, UDP port 4790):
 *
 *   |R|R|Ver|I|P|B|O|       Reserved                |Next Protocol  |
 *   |                VXLAN Network Identifier (VNI) |   Reserved    |
 *
 * Ver 0; I set for a valid VNI; P set for a valid Next Protocol: 1 IPv4,
 * 2 IPv6, 3 Ethernet, 4 NSH (RFC 8300), 5 MPLS.  O (an OAM packet) is
 * not user traffic. */
#define GPE_FLAG_I 0x08u
#define GPE_FLAG_P 0x04u
#define GPE_FLAG_O 0x01u
#define GPE_VER_MASK 0x30u
#define GPE_NP_IPV4 1u
#define GPE_NP_IPV6 2u
#define GPE_NP_ETHERNET 3u
#define GPE_NP_NSH 4u
#define GPE_NP_MPLS 5u

enum parse_rc vxlan_gpe_decode(struct cursor *c, uint32_t claimed, struct overlay_inner *out)
{
    overlay_begin(out, c, claimed, 0);
    uint32_t w0 = cur_be32(c);
    uint32_t vni = cur_be32(c);
    if (!cur_ok(c))
        return overlay_ran_out(out);
    unsigned flags = w0 >> 24;
    if ((flags & GPE_VER_MASK) || !(flags & GPE_FLAG_I) || !(flags & GPE_FLAG_P) ||
        (flags & GPE_FLAG_O))
        return PARSE_INVALID;
    switch (w0 & 0xffu) {
    case GPE_NP_IPV4:
        out->ethertype = ETHERTYPE_IPV4;
        break;
    case GPE_NP_IPV6:
        out->ethertype = ETHERTYPE_IPV6;
        break;
    case GPE_NP_ETHERNET:
        out->ethertype = OVERLAY_ETHERNET;
        break;
    case GPE_NP_MPLS:
        out->ethertype = ETHERTYPE_MPLS_UC;
        break;
    case GPE_NP_NSH:
        out->ethertype = ETHERTYPE_NSH;
        break;
    default:
        return PARSE_INVALID; /* unassigned */
    }
    out->vnid = vni >> 8;
    out->vnet_kind = OVERLAY_VNET_VXLAN_GPE;
    return overlay_found(out, c);
}
