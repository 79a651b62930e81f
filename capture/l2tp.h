/* l2tp.h - L2TP version 2 data messages (RFC 2661) on UDP port 1701: the
 * PPP frame a LAC and an LNS carry for a subscriber; L2TPv3 data messages
 * (RFC 3931) in IP or on UDP 1701: the Ethernet or PPP frame of a
 * pseudowire.  See l2tp.c. */
#ifndef PR_CAPTURE_L2TP_H
#define PR_CAPTURE_L2TP_H

#include <stdint.h>

#include "capture/cursor.h"
#include "capture/overlay.h"
#include "capture/rc.h"

#define L2TP_PORT 1701 /* RFC 2661 section 8.1 (IANA "l2f" / "l2tp") */
#define L2TPV3_IP_PROTO 115 /* RFC 3931 section 4.1.1 (IANA protocol number "L2TP") */

/* Decodes the L2TP header at `c` (untrusted, borrowed: the UDP payload, of
 * which the UDP header claims `claimed` bytes).  PARSE_OK fills *out: a PPP
 * frame (out->ethertype ETHERTYPE_PPP) and the tunnel and session ids
 * (tunnel << 16 | session in out->vnid).  PARSE_TRUNCATED when the capture
 * ends inside the header; PARSE_INVALID for a control message (T = 1: no
 * PPP frame), a version other than 2, or a Length field shorter than the
 * header. */
enum parse_rc l2tp_decode(struct cursor *c, uint32_t claimed, struct overlay_inner *out);

/* The version field of the L2TP header at c (2 for L2TPv2, 3 for L2TPv3 on
 * UDP); 0 when the capture ends before it. */
unsigned l2tp_version(const struct cursor *c);

/* Decodes an L2TPv3 data message at `c` (untrusted, borrowed: the IP
 * payload of protocol 115 when over_udp is false, else the UDP payload;
 * `claimed` bytes by the outer header).  The Cookie (0, 4 or 8 octets) and
 * the L2-Specific Sublayer (none or 4 octets) are settled per session by
 * the control connection or by configuration, never in the data message,
 * so the frame is looked for after 0, 4, 8 and 12 octets, in that order:
 * an Ethernet frame (up to two VLAN tags) or a PPP frame whose IPv4 or
 * IPv6 packet fills the rest of the message exactly (an Ethernet frame may
 * carry the padding of a minimum-size frame).  PARSE_OK fills *out: the
 * frame (OVERLAY_ETHERNET or ETHERTYPE_PPP) and the session id in
 * out->vnid.  PARSE_TRUNCATED when the capture ends before any offset
 * could be settled; PARSE_INVALID for a control message (session id 0 in
 * IP, T = 1 on UDP), a UDP header whose version is not 3, or no offset
 * holding an IP-bearing frame (another pseudowire type: ATM, Frame Relay,
 * HDLC, or a non-IP frame such as ARP). */
enum parse_rc l2tpv3_decode(struct cursor *c, uint32_t claimed, bool over_udp,
                            struct overlay_inner *out);

#endif
