/* l4.h - transport header decoding: TCP, UDP, SCTP, ICMP, ICMPv6.  See l4.c. */
#ifndef PR_CAPTURE_L4_H
#define PR_CAPTURE_L4_H

#include <stdint.h>

#include "capture/cursor.h"
#include "capture/pkt_view.h"
#include "capture/rc.h"

/* Decodes the transport header of protocol `proto` at `c` (untrusted,
 * borrowed; it covers the captured transport bytes and never more than
 * `claimed`, the transport length the IP header claims).  Fills the view's
 * transport fields: sport/dport and has_ports (TCP, UDP, SCTP), tcp_flags,
 * tcp_seq, tcp_ack, icmp_type/icmp_code and has_icmp, payload (the captured
 * payload bytes) and payload_len (the payload length the headers claim,
 * derived from the IP length and, for UDP, the UDP length; never from the
 * capture length).  An unknown protocol is PARSE_OK with the whole transport
 * area as payload.  Returns PARSE_TRUNCATED (ANOM_TRUNCATED) when the capture
 * ends inside the header, PARSE_INVALID (ANOM_BAD_L4) when the header
 * contradicts itself or the IP length; has_ports stays false then, except for
 * TCP options cut by snaplen, where the fixed header was complete. */
enum parse_rc l4_decode(struct cursor *c, uint8_t proto, uint32_t claimed, struct pkt_view *v);

#endif
