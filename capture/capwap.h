/* capwap.h - CAPWAP data channel (RFC 5415, IEEE 802.11 binding RFC 5416)
 * on UDP port 5247: the client frames a wireless access point tunnels to
 * its controller.  See capwap.c. */
#ifndef PR_CAPTURE_CAPWAP_H
#define PR_CAPTURE_CAPWAP_H

#include <stdint.h>

#include "capture/cursor.h"
#include "capture/overlay.h"
#include "capture/rc.h"

#define CAPWAP_DATA_PORT 5247 /* RFC 5415 section 15.7 (IANA) */

/* Decodes the CAPWAP header at `c` (untrusted, borrowed: the UDP payload,
 * of which the UDP header claims `claimed` bytes).  PARSE_OK fills *out:
 * an IEEE 802.3 frame (OVERLAY_ETHERNET) or, with T set and the IEEE
 * 802.11 binding, an 802.11 frame (OVERLAY_IEEE802_11).  PARSE_TRUNCATED
 * when the capture ends inside the header; PARSE_INVALID for a DTLS
 * record (the data channel encrypted), a version other than 0, a header
 * length below 8 octets, a keep-alive, a fragment, or a native frame of
 * another binding. */
enum parse_rc capwap_decode(struct cursor *c, uint32_t claimed, struct overlay_inner *out);

#endif
