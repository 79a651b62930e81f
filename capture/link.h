/* link.h - link-layer and L2.5 decoding: locate the IP header in a frame.
 *
 * Covers EN10MB (Ethernet II), LINUX_SLL, LINUX_SLL2, RAW (and its aliases),
 * NULL, LOOP and Apple's PKTAP (around one of those); the serial-line types
 * PPP, PPP_HDLC, PPP_ETHER, C_HDLC, PPP_PPPD, PPP_WITH_DIR and
 * C_HDLC_WITH_DIR; Linux NFLOG; IEEE 802.11 data frames, bare or behind
 * radiotap or PPI; Endace ERF records; Juniper routers' captures; then 802.1Q/802.1ad tags, MPLS label stacks and PPPoE
 * sessions.  See link.c for the wire layouts and the governing specs.
 */
#ifndef PR_CAPTURE_LINK_H
#define PR_CAPTURE_LINK_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/pkt_view.h"
#include "capture/rc.h"

/* Decodes the link header of a `linktype` frame and any VLAN / MPLS / PPPoE
 * encapsulation behind it.  `c` is an untrusted cursor over the captured frame,
 * borrowed.  On PARSE_OK `c` is left at the first byte of the IP header (for
 * PPPoE it is narrowed to the PPPoE payload length) and *ip_version is 4 or 6.
 * Sets v->vlan_outer, v->vlan_inner, v->mpls_depth and v->pppoe as it goes.
 * Returns PARSE_TRUNCATED (ANOM_TRUNCATED) when the capture ends inside a link
 * header, PARSE_INVALID for non-IP payloads (ANOM_UNKNOWN_L3, which includes
 * unsupported link types), encapsulation deeper than DECODE_MAX_ENCAP_DEPTH or
 * DECODE_MAX_MPLS_LABELS (ANOM_ENCAP_DEPTH) and a RAW frame whose version
 * nibble is not 4 or 6 (ANOM_BAD_VERSION).  *ip_version is 0 on failure. */
enum parse_rc link_decode(int linktype, struct cursor *c, struct pkt_view *v,
                          uint8_t *ip_version);

/* The same walk from an EtherType already read (`type`, with `c` at the
 * bytes it names): what a GRE or GENEVE protocol type field carries. */
enum parse_rc link_decode_ethertype(uint16_t type, struct cursor *c, struct pkt_view *v,
                                    uint8_t *ip_version);

/* An IEEE 802.11 frame as a tunnel carries it (CAPWAP, TZSP), decoded as
 * LINKTYPE_IEEE802_11; fc_swapped: the two octets of its Frame Control
 * field are in swapped order (some access points send them so, see
 * capwap.c). */
enum parse_rc link_decode_wlan(struct cursor *c, bool fc_swapped, struct pkt_view *v,
                               uint8_t *ip_version);

#endif
