/* decode.h - link, tunnel, IP and transport decoding into struct pkt_view.
 *
 * decode_packet() walks one captured frame through the byte cursor:
 *   link (EN10MB, LINUX_SLL, LINUX_SLL2, RAW, NULL/LOOP; the SS7 link types
 *   MTP2_WITH_PHDR, MTP2 and MTP3 end here: capture/mtp.h)
 *   -> 802.1Q / 802.1ad QinQ, MPLS label stacks, PPPoE session
 *   -> IPv4 (options, fragments) / IPv6 (extension headers)
 *   -> TCP / UDP / SCTP / ICMP / ICMPv6
 *   -> GTP-U on UDP 2152 (3GPP TS 29.281): the inner IP packet becomes the view,
 *      the TEID and the outer endpoints are kept.
 * With a fragment table (decode_packet_reasm, capture/ipfrag.h), an IP
 * fragment met at any of these levels is held until its datagram is whole,
 * and the walk goes on over the whole datagram.
 * The view is borrowed: its spans point into the caller's packet buffer and are
 * valid only until that buffer is reused.
 */
#ifndef PR_CAPTURE_DECODE_H
#define PR_CAPTURE_DECODE_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/pkt_view.h"

/* Decodes one frame.  Borrows `bytes` (caplen captured bytes of a wirelen-byte
 * frame) for the lifetime of `out`.  Returns PARSE_OK when an IP layer was found
 * (out->ip_version != 0), PARSE_TRUNCATED when the capture ends inside a header
 * needed to find it (fields decoded so far are kept), PARSE_INVALID for
 * contradictory headers or frames with no IP layer (ARP etc., ANOM_UNKNOWN_L3).
 * An SS7 link frame with an MTP3 message is PARSE_OK with the pseudo network
 * layer of capture/mtp.h (ip_version PKT_FAMILY_MTP3).
 * Never reads outside bytes[0, caplen).
 * The code describes the IP layer: once an IP header is found the result is
 * PARSE_OK, and trouble further in is reported through anomaly bits only
 * (ANOM_TRUNCATED / ANOM_BAD_L4: transport header cut or inconsistent, with
 * has_ports false; ANOM_GTP_BAD or ANOM_TRUNCATED: a GTP-U packet that could
 * not be decapsulated stays a plain outer UDP view).  Non-first fragments
 * have no transport fields. */
enum parse_rc decode_packet(int linktype, const uint8_t *bytes, uint32_t caplen,
                            uint32_t wirelen, uint64_t ts_us, struct pkt_view *out);

struct ipfrag;
struct source_packet;

/* decode_packet with IP fragment reassembly (capture/ipfrag.h; rf NULL: none)
 * and the provenance fields set from pkt.  A fragment the table holds ends the walk
 * with out->frag_held set (PARSE_OK, no transport: the packet makes no
 * flow); the fragment that completes a datagram is decoded as the whole
 * datagram (out->reassembled, caplen and wirelen summed over its frames,
 * spans into the table's memory until its next call).  One datagram per
 * packet: a fragment inside a reassembled datagram is decoded as it is. */
enum parse_rc decode_packet_reasm(struct ipfrag *rf, const struct source_packet *pkt,
                                  struct pkt_view *out);

/* Whether a decoded packet goes to the flow table: an IP layer was found (a
 * capture cut inside a later header still has one), and it is not a
 * fragment held for reassembly.  trapline extract asks the same as the run. */
static inline bool decode_reaches_flow(enum parse_rc rc, const struct pkt_view *v)
{
    return !v->frag_held && (rc == PARSE_OK || (rc == PARSE_TRUNCATED && v->ip_version));
}

/* True when linktype has a decoder. */
bool decode_linktype_supported(int linktype);

/* A short name for a link type ("EN10MB", "LINUX_SLL", ...), or "unknown". */
const char *decode_linktype_name(int linktype);

#endif
