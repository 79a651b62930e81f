/* vxlan.h - VXLAN (RFC 7348) on UDP destination port 4789, and VXLAN-GPE on
 * 4790.  See vxlan.c. */
#ifndef PR_CAPTURE_VXLAN_H
#define PR_CAPTURE_VXLAN_H

#include <stdint.h>

#include "capture/cursor.h"
#include "capture/overlay.h"
#include "capture/rc.h"

#define VXLAN_PORT 4789 /* RFC 7348 section 5: the IANA-assigned destination port */

/* Decodes the VXLAN header at `c` (untrusted, borrowed: the UDP payload, of
 * which the UDP header claims `claimed` bytes).  PARSE_OK fills *out: an
 * Ethernet frame and the VNI.  PARSE_TRUNCATED when the capture ends inside
 * the header; PARSE_INVALID when the I flag is clear (RFC 7348 section 5:
 * it must be set for a valid VNI) or the last reserved octet is not zero. */
enum parse_rc vxlan_decode(struct cursor *c, uint32_t claimed, struct overlay_inner *out);

#define VXLAN_GPE_PORT 4790 /* draft-ietf-nvo3-vxlan-gpe section 3.3 (IANA) */

/* Decodes a VXLAN-GPE header (the same place as VXLAN's, on UDP port 4790).
 * PARSE_OK fills *out: the inner frame's type from Next Protocol (IPv4,
 * IPv6, Ethernet, NSH, MPLS) and the VNI.  PARSE_INVALID for a version
 * other than 0, I or P clear, an OAM packet, or an unassigned Next
 * Protocol. */
enum parse_rc vxlan_gpe_decode(struct cursor *c, uint32_t claimed, struct overlay_inner *out);

#endif
