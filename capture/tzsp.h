/* tzsp.h - TZSP (TaZmen Sniffer Protocol) on UDP port 37008: frames a
 * router's packet sniffer (MikroTik RouterOS "streaming") copies to a
 * collector.  See tzsp.c. */
#ifndef PR_CAPTURE_TZSP_H
#define PR_CAPTURE_TZSP_H

#include <stdint.h>

#include "capture/cursor.h"
#include "capture/overlay.h"
#include "capture/rc.h"

#define TZSP_PORT 37008

/* Decodes the TZSP header at `c` (untrusted, borrowed: the UDP payload, of
 * which the UDP header claims `claimed` bytes).  PARSE_OK fills *out: an
 * Ethernet frame (OVERLAY_ETHERNET) or an 802.11 frame (OVERLAY_IEEE802_11).
 * PARSE_TRUNCATED when the capture ends inside the header or its tags;
 * PARSE_INVALID for a version other than 1, a type that carries no frame,
 * another encapsulation, or tags without an END tag. */
enum parse_rc tzsp_decode(struct cursor *c, uint32_t claimed, struct overlay_inner *out);

#endif
