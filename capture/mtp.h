/* mtp.h - SS7 link captures (E1/T1 signalling links): the MTP2 and MTP3
 * link types, decoded into a pseudo network layer so that an SS7 message
 * becomes a flow like an IP packet does (issue 19).
 *
 * Link types (tcpdump.org link-layer header types page; libpcap
 * pcap/dlt.h):
 *   LINKTYPE_MTP2_WITH_PHDR 139  4-byte pseudo-header, then an MTP2 frame
 *   LINKTYPE_MTP2           140  an MTP2 frame (Q.703 signal unit)
 *   LINKTYPE_MTP3           141  an MTP3 message, SIO first (no MTP2)
 *
 * MTP2 pseudo-header (libpcap / wiretap pcap-common.c, MTP2_HDR_LEN 4):
 *   +------+--------------+----------------------+
 *   | sent | annex_a_used |  link_number (16, BE) |
 *   +------+--------------+----------------------+
 *
 * MTP2 signal unit, ITU-T Q.703 section 2.2 (the flags and the 16-bit
 * check bits are not in the capture):
 *   basic:            | BIB|BSN (1) | FIB|FSN (1) | spare 2 | LI 6 | SIO | SIF |
 *   Annex A (extended sequence numbers, annex_a_used = 1):
 *                     | BSN 12 + spare 4 (2) | FSN 12 + spare 4 (2) | LI 9 + spare 7 (2) | ...
 *   LI 0: fill-in signal unit, LI 1-2: link status signal unit: no MTP3
 *   message; LI >= 3: message signal unit (63 in basic mode means "62 or
 *   more", Q.703 section 2.3.3).
 *
 * MTP3 routing label, ITU-T Q.704 sections 2.2 and 14.2, sent least
 * significant bit first (a little-endian 32-bit word):
 *   | SIO: NI 2 | prio 2 | SI 4 | DPC 14 | OPC 14 | SLS 4 | SIF ... |
 * The label's variant (ITU or ANSI) is not in the message; like tshark's
 * default (mtp3.standard = ITU) the flow key reads the ITU label.  The
 * decoders above (classify/sigtran.c) still try ANSI for the SCCP payload.
 *
 * The view: ip_version = src.family = dst.family = PKT_FAMILY_MTP3, the
 * OPC and DPC as 32-bit big-endian numbers in src.a / dst.a, l4proto =
 * L4_MTP3, both "ports" = the service indicator, mtp_link = the
 * pseudo-header's link number (0 without one), payload = the MTP3 message
 * from its SIO.  There is no IP header: l3 is empty, so nDPI never sees it.
 */
#ifndef PR_CAPTURE_MTP_H
#define PR_CAPTURE_MTP_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/pkt_view.h"
#include "capture/rc.h"

/* An ITU MTP3 service information octet and routing label. */
struct mtp_label {
    uint8_t si, ni;   /* service indicator (Q.704 14.2.1), network indicator */
    uint32_t opc, dpc; /* 14-bit point codes */
    uint8_t sls;
};

/* Reads the SIO and the ITU routing label (5 bytes) from c (untrusted).
 * Returns PARSE_OK or PARSE_TRUNCATED (out then undefined). */
enum parse_rc mtp_itu_label(struct cursor *c, struct mtp_label *out);

/* True for the three SS7 link types above. */
bool mtp_linktype(int linktype);

/* Decodes one frame of an SS7 link type (c untrusted, over the captured
 * bytes; wirelen the frame's length on the wire) into v.  PARSE_OK: an MTP3
 * message with its routing label (the view described above).
 * PARSE_INVALID with ANOM_UNKNOWN_L3: a fill-in or link status signal unit
 * (no MTP3 message), or a length indicator below 3 with data behind it.
 * PARSE_TRUNCATED (ANOM_TRUNCATED): the capture ends inside the
 * pseudo-header, the MTP2 header or the routing label. */
enum parse_rc mtp_decode(int linktype, struct cursor *c, uint32_t wirelen, struct pkt_view *v);

#endif
