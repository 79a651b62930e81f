/* teredo.h - Teredo (RFC 4380): IPv6 carried in UDP over IPv4 NATs.  See
 * teredo.c. */
#ifndef PR_CAPTURE_TEREDO_H
#define PR_CAPTURE_TEREDO_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/overlay.h"
#include "capture/rc.h"

#define TEREDO_PORT 3544 /* RFC 4380 section 4: the Teredo server's UDP port (IANA) */

/* Decodes a Teredo packet at `c` (untrusted, borrowed: the UDP payload, of
 * which the UDP header claims `claimed` bytes): the optional authentication
 * and origin indication headers, then the IPv6 packet, which must fill the
 * rest of the claimed payload exactly (its Payload Length + 40).  by_port:
 * the datagram is to or from the server port; otherwise (a client's
 * traffic with a relay or a peer, on ports of their own) one of the IPv6
 * addresses must also be a Teredo address (2001:0::/32, section 2.6).
 * PARSE_OK fills *out: an IPv6 packet.  PARSE_TRUNCATED when the capture
 * ends inside the headers; PARSE_INVALID when it is not Teredo. */
enum parse_rc teredo_decode(struct cursor *c, uint32_t claimed, bool by_port,
                            struct overlay_inner *out);

#endif
