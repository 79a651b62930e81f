/* gre.h - GRE (RFC 2784, key and sequence number RFC 2890) and the ERSPAN
 * port-mirroring headers it carries.  See gre.c. */
#ifndef PR_CAPTURE_GRE_H
#define PR_CAPTURE_GRE_H

#include <stdint.h>

#include "capture/cursor.h"
#include "capture/overlay.h"
#include "capture/rc.h"

/* GRE-in-UDP (RFC 8086 section 3): the GRE header and its payload in a UDP
 * datagram to this IANA-assigned destination port (4755, GRE-UDP with
 * DTLS, is encrypted and not decoded). */
#define GRE_UDP_PORT 4754

/* What gre_decode found: plain GRE, or a mirrored frame behind ERSPAN. */
enum gre_kind { GRE_PLAIN = 1, GRE_ERSPAN = 2 };

/* Decodes the GRE header at `c` (untrusted, borrowed: the IP payload, of
 * which the IP header claims `claimed` bytes) and, for ERSPAN, its header.
 * PARSE_OK fills *out (out->inner at the inner frame) and *kind.
 * PARSE_TRUNCATED when the capture ends inside the headers; PARSE_INVALID
 * for a version other than 0 (version 1 is PPTP's enhanced GRE, RFC 2637,
 * which carries PPP), the routing or strict-source-route bits of RFC 1701
 * (RFC 2784 section 2.3: such a packet is discarded), and an ERSPAN header
 * whose version does not match its GRE protocol type. */
enum parse_rc gre_decode(struct cursor *c, uint32_t claimed, struct overlay_inner *out,
                         enum gre_kind *kind);

#endif
