/* geneve.h - GENEVE (RFC 8926) on UDP destination port 6081.  See geneve.c. */
#ifndef PR_CAPTURE_GENEVE_H
#define PR_CAPTURE_GENEVE_H

#include <stdint.h>

#include "capture/cursor.h"
#include "capture/overlay.h"
#include "capture/rc.h"

#define GENEVE_PORT 6081 /* RFC 8926 section 3.3: the IANA-assigned destination port */

/* Decodes the GENEVE header and skips its options at `c` (untrusted,
 * borrowed: the UDP payload, of which the UDP header claims `claimed`
 * bytes).  PARSE_OK fills *out: the protocol type (an EtherType;
 * OVERLAY_ETHERNET for an Ethernet frame) and the VNI.  PARSE_TRUNCATED
 * when the capture ends inside the header or options; PARSE_INVALID for a
 * version other than 0 (section 3.4: such a packet is dropped) or options
 * longer than the datagram. */
enum parse_rc geneve_decode(struct cursor *c, uint32_t claimed, struct overlay_inner *out);

#endif
