/* vxlan.h - VXLAN (RFC 7348) on UDP destination port 4789.  See vxlan.c. */
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

#endif
