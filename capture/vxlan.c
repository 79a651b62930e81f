/* vxlan.c - VXLAN header decoding.
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
    return overlay_found(out, c);
}
