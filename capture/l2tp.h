/* l2tp.h - L2TP version 2 data messages (RFC 2661) on UDP port 1701: the
 * PPP frame a LAC and an LNS carry for a subscriber.  See l2tp.c. */
#ifndef PR_CAPTURE_L2TP_H
#define PR_CAPTURE_L2TP_H

#include <stdint.h>

#include "capture/cursor.h"
#include "capture/overlay.h"
#include "capture/rc.h"

#define L2TP_PORT 1701 /* RFC 2661 section 8.1 (IANA "l2f" / "l2tp") */

/* Decodes the L2TP header at `c` (untrusted, borrowed: the UDP payload, of
 * which the UDP header claims `claimed` bytes).  PARSE_OK fills *out: a PPP
 * frame (out->ethertype ETHERTYPE_PPP) and the tunnel and session ids
 * (tunnel << 16 | session in out->vnid).  PARSE_TRUNCATED when the capture
 * ends inside the header; PARSE_INVALID for a control message (T = 1: no
 * PPP frame), a version other than 2, or a Length field shorter than the
 * header. */
enum parse_rc l2tp_decode(struct cursor *c, uint32_t claimed, struct overlay_inner *out);

#endif
