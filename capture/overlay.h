/* overlay.h - what the overlay-tunnel decoders (gre.c, vxlan.c, geneve.c)
 * hand to the dispatcher (decode.c): the inner frame and what it is.
 *
 * An overlay tunnel carries a whole packet or Ethernet frame of another
 * network inside an IP or UDP payload; decode.c replaces the outer view
 * with the inner packet, as it does for GTP-U, so the flow is the inner
 * conversation.  The decoders only read headers: the inner bytes are left
 * to link.c and ip.c.
 */
#ifndef PR_CAPTURE_OVERLAY_H
#define PR_CAPTURE_OVERLAY_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"

/* The inner frame's type as an EtherType (the GRE and GENEVE protocol type
 * fields are EtherTypes, RFC 2784 section 2.4, RFC 8926 section 3.4):
 * IPv4, IPv6, MPLS, PPP, NSH (the ETHERTYPE_* of capture/pkt_view.h), ...
 * or OVERLAY_ETHERNET for a whole Ethernet frame. */
#define OVERLAY_ETHERNET 0x6558u /* Transparent Ethernet Bridging (IANA EtherType) */
/* An IEEE 802.11 frame (no radio header): CAPWAP's native frames, TZSP.
 * Not an EtherType: values below 0x0600 are lengths in the Ethernet
 * Length/Type field (IEEE 802.3 clause 3.2.6), never types, so this one
 * names nothing else. */
#define OVERLAY_IEEE802_11 0x0001u
/* The same with the two octets of its Frame Control field swapped. */
#define OVERLAY_IEEE802_11_FC_SWAPPED 0x0002u

/* Which virtual network a VNI names (struct overlay_inner vnet_kind): the
 * VNI of each kind is its own space. */
enum overlay_vnet { OVERLAY_VNET_NONE, OVERLAY_VNET_VXLAN, OVERLAY_VNET_GENEVE,
                    OVERLAY_VNET_VXLAN_GPE };

struct overlay_inner {
    uint16_t ethertype;   /* what `inner` starts with */
    bool cut;             /* the outer header claims more than was captured */
    uint8_t vnet_kind;    /* enum overlay_vnet: vnid names a virtual network */
    uint32_t vnid;        /* VXLAN/GENEVE VNI, GRE key, ERSPAN session id; 0 = none */
    struct cursor inner;  /* the inner frame: captured bytes after the overlay header */
};

/* Starts *out for a header at c, of which the outer header claims `claimed`
 * bytes: nothing found yet, inner frame of type `ethertype` (0 = not known
 * yet). */
static inline void overlay_begin(struct overlay_inner *out, const struct cursor *c,
                                 uint32_t claimed, uint16_t ethertype)
{
    out->ethertype = ethertype;
    out->cut = cur_left(c) < claimed;
    out->vnet_kind = OVERLAY_VNET_NONE;
    out->vnid = 0;
    out->inner = cur_init(NULL, 0);
}

/* A header that ends before its fields do: cut by the capture, or short. */
static inline enum parse_rc overlay_ran_out(const struct overlay_inner *out)
{
    return out->cut ? PARSE_TRUNCATED : PARSE_INVALID;
}

/* The header is read: the inner frame is the rest of c. */
static inline enum parse_rc overlay_found(struct overlay_inner *out, const struct cursor *c)
{
    out->inner = cur_init(cur_rest(c).p, cur_left(c));
    return PARSE_OK;
}

#endif
