/* decode.c - one captured frame to a struct pkt_view: link, IP, transport, GTP-U.
 *
 * The order of the walk and what each layer owns:
 *   link.c   link header, 802.1Q/802.1ad tags, MPLS, PPPoE  -> IP header start
 *   ip.c     IPv4 (RFC 791) / IPv6 and its extension chain (RFC 8200)
 *   ipfrag.c fragment reassembly (decode_packet_reasm only): before the
 *            transport of every level, a fragment goes to the table and the
 *            walk stops (held) or goes on over the whole datagram
 *   l4.c     TCP (RFC 9293), UDP (RFC 768), SCTP (RFC 9260), ICMP, ICMPv6
 *   gre.c, vxlan.c, geneve.c
 *            overlay tunnels: IP in IP (IP protocol 4 and 41), GRE (IP
 *            protocol 47, or UDP 4754 per RFC 8086) and the ERSPAN it
 *            carries, PPTP's enhanced GRE (version 1) and L2TP (UDP 1701)
 *            with the PPP frame they carry, L2TPv3 pseudowires (IP
 *            protocol 115 or UDP 1701: Ethernet or PPP, l2tp.c), VXLAN (UDP 4789) and
 *            VXLAN-GPE (4790), GENEVE (UDP 6081), CAPWAP data (UDP 5247:
 *            802.3 or 802.11 frames of a wireless access point), TZSP (UDP
 *            37008: a router's sniffer stream), Teredo (RFC 4380: UDP
 *            3544, or a relay's or peer's ports when the payload is an
 *            IPv6 packet to or from 2001:0::/32, teredo.c); the
 *            inner packet replaces the outer one, up to DECODE_MAX_OVERLAYS
 *            levels (an ERSPAN copy of a VXLAN tunnel is two).
 *   gtpu.c   GTP-U (3GPP TS 29.281) on UDP port 2152: one level only; the
 *            inner IP packet replaces the outer one in the view.
 *   mtp.c    SS7 link types (MTP2 with/without pseudo-header, MTP3): no IP;
 *            a pseudo network layer of point codes (PKT_FAMILY_MTP3).
 * The result code describes the IP layer only: PARSE_OK means an IP header was
 * found.  Transport and tunnel problems leave the code at PARSE_OK and are
 * reported through anomaly bits (ANOM_TRUNCATED, ANOM_BAD_L4, ANOM_GTP_BAD),
 * with has_ports false when the transport header could not be trusted.
 */
#include "capture/decode.h"

#include <string.h>

#include "capture/capwap.h"
#include "capture/geneve.h"
#include "capture/gre.h"
#include "capture/gtpu.h"
#include "capture/ip.h"
#include "capture/ipfrag.h"
#include "capture/l2tp.h"
#include "capture/l4.h"
#include "capture/link.h"
#include "capture/mtp.h"
#include "capture/teredo.h"
#include "capture/tzsp.h"
#include "capture/vxlan.h"

/* Clears what ip_decode and l4_decode fill, keeping capture and
 * encapsulation fields. */
static void clear_network(struct pkt_view *v)
{
    v->ip_version = 0;
    memset(&v->src, 0, sizeof v->src);
    memset(&v->dst, 0, sizeof v->dst);
    v->ttl = 0;
    v->l4proto = 0;
    v->l3 = (struct span){NULL, 0};
    v->l3_len = 0;
    v->frag = false;
    v->frag_first = false;
    v->frag_id = 0;
    v->has_ports = false;
    v->sport = v->dport = 0;
    v->tcp_flags = 0;
    v->tcp_seq = v->tcp_ack = 0;
    v->icmp_type = v->icmp_code = 0;
    v->has_icmp = false;
    v->icmp_msg = (struct span){NULL, 0};
    v->payload = (struct span){NULL, 0};
    v->payload_len = 0;
}

/* Reassembly for one decode (capture/ipfrag.h). */
struct dctx {
    struct ipfrag *rf;               /* NULL: fragments are decoded one by one */
    const struct source_packet *raw; /* the frame being decoded */
    uint8_t level;                   /* encapsulation level: part of the fragment key */
};

enum { LEVEL_GTPU = DECODE_MAX_OVERLAYS + 1 };

/* Replaces a fragment's view by the datagram it completes.  False when the
 * fragment is held and the packet stops here. */
static bool reassemble(struct dctx *d, struct ip_next *next, struct pkt_view *v)
{
    struct ipfrag_done done;
    switch (ipfrag_add(d->rf, v, next, d->level, d->raw, &done)) {
    case IPFRAG_HELD:
        v->frag_held = true;
        return false;
    case IPFRAG_REFUSED:
        return true; /* decoded as it is */
    case IPFRAG_DONE:
        break;
    }
    d->rf = NULL; /* one datagram per packet: a fragment inside it goes as it is */
    struct cursor c = cur_init(done.dgram, done.captured);
    struct pkt_view frag = *v;
    v->frag = v->frag_first = false;
    v->frag_id = 0;
    if (ip_decode(&c, v->ip_version, v, next) != PARSE_OK) {
        /* Not reached: the first fragment's headers decoded, and they
         * begin this datagram (an IPv6 extension chain that ran past the
         * first fragment made it fail before it came here). */
        *v = frag;
        return true;
    }
    v->reassembled = (uint16_t)(done.fragments > UINT16_MAX ? UINT16_MAX : done.fragments);
    v->caplen = (uint32_t)(done.caplen > UINT32_MAX ? UINT32_MAX : done.caplen);
    v->wirelen = (uint32_t)(done.wirelen > UINT32_MAX ? UINT32_MAX : done.wirelen);
    return true;
}

/* Transport decoding, after reassembly when the packet is a fragment; a
 * fragment decoded as it is has no transport header unless it is the
 * first.  False when the packet stops here (a held fragment). */
static bool transport(struct dctx *d, struct ip_next *next, struct pkt_view *v)
{
    if (v->frag && d->rf && !reassemble(d, next, v))
        return false;
    if (v->frag && !v->frag_first)
        return true;
    (void)l4_decode(&next->l4, v->l4proto, next->l4_claimed, v); /* outcome is in anomalies */
    return true;
}

#define IP_PROTO_IPV4_IN 4  /* IANA protocol numbers: IPv4 encapsulation (RFC 2003) */
#define IP_PROTO_IPV6_IN 41 /* IPv6 encapsulation (RFC 4213 section 3.5, RFC 2473) */
#define IP_PROTO_GRE 47

/* A GRE header (in IP or in UDP): plain GRE or the ERSPAN it carries. */
static enum parse_rc gre_of(struct cursor *c, uint32_t claimed, struct overlay_inner *t,
                            unsigned *bit)
{
    enum gre_kind kind;
    enum parse_rc rc = gre_decode(c, claimed, t, &kind);
    *bit = kind == GRE_ERSPAN ? OVERLAY_ERSPAN : OVERLAY_GRE;
    return rc;
}

/* Whether the view's payload is an overlay tunnel: true with *bit naming it
 * and *rc its header decoder's result (*t filled on PARSE_OK). */
static bool overlay_of(const struct pkt_view *v, struct overlay_inner *t, unsigned *bit,
                       enum parse_rc *rc)
{
    if (v->frag && !v->frag_first)
        return false; /* no transport header: the payload is fragment data */
    struct cursor c = cur_init(v->payload.p, v->payload.n);
    switch (v->l4proto) {
    case IP_PROTO_IPV4_IN:
    case IP_PROTO_IPV6_IN:
        *bit = OVERLAY_IPIP; /* no header: the payload is the inner packet */
        overlay_begin(t, &c, v->payload_len,
                      v->l4proto == IP_PROTO_IPV4_IN ? ETHERTYPE_IPV4 : ETHERTYPE_IPV6);
        *rc = overlay_found(t, &c);
        return true;
    case IP_PROTO_GRE:
        *rc = gre_of(&c, v->payload_len, t, bit);
        return true;
    case L2TPV3_IP_PROTO:
        *bit = OVERLAY_L2TPV3;
        *rc = l2tpv3_decode(&c, v->payload_len, false, t);
        return true;
    case L4_UDP:
        if (!v->has_ports)
            return false;
        if (v->dport == VXLAN_PORT) {
            *bit = OVERLAY_VXLAN;
            *rc = vxlan_decode(&c, v->payload_len, t);
            return true;
        }
        if (v->dport == VXLAN_GPE_PORT) {
            *bit = OVERLAY_VXLAN;
            *rc = vxlan_gpe_decode(&c, v->payload_len, t);
            return true;
        }
        if (v->sport == CAPWAP_DATA_PORT || v->dport == CAPWAP_DATA_PORT) { /* AP <-> controller */
            *bit = OVERLAY_CAPWAP;
            *rc = capwap_decode(&c, v->payload_len, t);
            return true;
        }
        if (v->dport == TZSP_PORT) { /* sensor -> collector */
            *bit = OVERLAY_TZSP;
            *rc = tzsp_decode(&c, v->payload_len, t);
            return true;
        }
        if (v->dport == GENEVE_PORT) {
            *bit = OVERLAY_GENEVE;
            *rc = geneve_decode(&c, v->payload_len, t);
            return true;
        }
        if (v->dport == GRE_UDP_PORT) { /* GRE-in-UDP, RFC 8086 */
            *rc = gre_of(&c, v->payload_len, t, bit);
            return true;
        }
        if (v->sport == L2TP_PORT || v->dport == L2TP_PORT) { /* either end's port */
            if (l2tp_version(&c) == 3) {
                *bit = OVERLAY_L2TPV3;
                *rc = l2tpv3_decode(&c, v->payload_len, true, t);
            } else {
                *bit = OVERLAY_L2TP;
                *rc = l2tp_decode(&c, v->payload_len, t);
            }
            return true;
        }
        if (v->ip_version != 4)
            return false; /* Teredo crosses IPv4 NATs only */
        *bit = OVERLAY_TEREDO;
        if (v->sport == TEREDO_PORT || v->dport == TEREDO_PORT) { /* client <-> server */
            *rc = teredo_decode(&c, v->payload_len, true, t);
            return true;
        }
        /* a client with a relay or a peer, on ports of their own: only when
         * the payload is a Teredo packet (teredo.c) */
        *rc = teredo_decode(&c, v->payload_len, false, t);
        return *rc == PARSE_OK;
    default:
        return false;
    }
}

/* Replaces the view with the inner packet of each overlay tunnel in turn.
 * As for GTP-U, anything short of a complete inner IP header leaves the
 * view at the outer packet: ANOM_TRUNCATED when the capture was cut,
 * otherwise overlay_kept (a datagram to an overlay port that is not one,
 * a GRE payload that is not IP, an ARP frame inside VXLAN).  An inner
 * Ethernet frame brings its own VLAN tags: the flow's VLAN is the one of
 * the traffic carried, not of the tunnel.  A VXLAN or GENEVE VNI names a
 * virtual network and goes into the flow key (v->vnet); a GRE key names a
 * flow within its tunnel (RFC 2890 section 2.1) and an ERSPAN session a
 * mirror, so neither does. */
static bool overlays(struct dctx *d, struct pkt_view *v)
{
    for (unsigned depth = 0;; depth++) {
        struct overlay_inner t;
        unsigned bit;
        enum parse_rc rc;
        if (!overlay_of(v, &t, &bit, &rc))
            return true;
        if (depth >= DECODE_MAX_OVERLAYS) {
            v->anomalies |= ANOM_ENCAP_DEPTH;
            return true;
        }
        if (rc != PARSE_OK) {
            if (rc == PARSE_TRUNCATED)
                v->anomalies |= ANOM_TRUNCATED;
            else
                v->overlay_kept = true;
            return true;
        }
        struct pkt_view outer = *v;
        clear_network(v);
        struct cursor c = t.inner;
        uint8_t version;
        if (t.ethertype == OVERLAY_ETHERNET || t.ethertype == OVERLAY_IEEE802_11 ||
            t.ethertype == OVERLAY_IEEE802_11_FC_SWAPPED) {
            v->vlan_outer = v->vlan_inner = 0; /* a whole frame of another network */
            v->mpls_depth = 0;
            v->pppoe = false;
            if (t.ethertype == OVERLAY_ETHERNET)
                rc = link_decode(LINK_EN10MB, &c, v, &version);
            else
                rc = link_decode_wlan(&c, t.ethertype == OVERLAY_IEEE802_11_FC_SWAPPED, v,
                                      &version);
        } else {
            rc = link_decode_ethertype(t.ethertype, &c, v, &version);
        }
        struct ip_next next;
        if (rc == PARSE_OK)
            rc = ip_decode(&c, version, v, &next);
        if (rc != PARSE_OK) {
            uint32_t bits = v->anomalies & ~outer.anomalies;
            *v = outer;
            if (rc == PARSE_TRUNCATED && t.cut) {
                v->anomalies |= ANOM_TRUNCATED;
            } else {
                v->anomalies |= bits & ~(uint32_t)(ANOM_TRUNCATED | ANOM_UNKNOWN_L3);
                v->overlay_kept = true;
            }
            return true;
        }
        v->overlays |= (uint16_t)bit;
        if (t.vnet_kind != OVERLAY_VNET_NONE)
            v->vnet = (t.vnid & 0xffffffu) | (uint32_t)t.vnet_kind << 24;
        d->level = (uint8_t)(depth + 1);
        if (!transport(d, &next, v))
            return false;
    }
}

/* Replaces the outer view with the inner packet of a G-PDU.  Anything short
 * of a complete inner IP header leaves the outer UDP view in place, with
 * ANOM_TRUNCATED (the capture ran out) or ANOM_GTP_BAD (the header is not a
 * valid GTP-U header or the T-PDU is not IP). */
static void gtpu(struct dctx *d, struct pkt_view *v)
{
    struct cursor c = cur_init(v->payload.p, v->payload.n);
    struct gtpu_info g;
    enum parse_rc rc = gtpu_decode(&c, v->payload_len, &g);
    if (rc == PARSE_TRUNCATED) {
        v->anomalies |= ANOM_TRUNCATED;
        return;
    }
    if (rc != PARSE_OK) {
        v->anomalies |= ANOM_GTP_BAD;
        return;
    }
    if (!g.gpdu)
        return; /* echo, error indication, end marker: plain UDP */

    struct pkt_view outer = *v;
    clear_network(v);
    struct ip_next next;
    rc = ip_decode(&g.inner, 0, v, &next);
    if (rc != PARSE_OK) {
        uint32_t bits = v->anomalies;
        *v = outer;
        if (rc == PARSE_TRUNCATED && g.cut)
            v->anomalies |= ANOM_TRUNCATED;
        else
            v->anomalies |= ANOM_GTP_BAD | (bits & ~(uint32_t)ANOM_TRUNCATED);
        return;
    }
    v->tunnel = true;
    v->teid = g.teid;
    v->tun_src = outer.src;
    v->tun_dst = outer.dst;
    d->level = LEVEL_GTPU;
    (void)transport(d, &next, v); /* GTP-in-GTP stays UDP: only one level */
}

static enum parse_rc decode(struct dctx *d, int linktype, const uint8_t *bytes,
                            uint32_t caplen, uint32_t wirelen, uint64_t ts_us,
                            struct pkt_view *out)
{
    memset(out, 0, sizeof *out);
    out->ts_us = ts_us;
    out->caplen = caplen;
    out->wirelen = wirelen;
    out->linktype = linktype;

    /* cursor.h computes base + off even for an empty cursor; NULL + 0 is
     * undefined in C, so an empty capture gets a real (empty) base. */
    static const uint8_t empty[1];
    if (!bytes || caplen == 0) {
        bytes = empty;
        caplen = 0;
    }
    struct cursor c = cur_init(bytes, caplen);
    if (mtp_linktype(linktype))
        return mtp_decode(linktype, &c, wirelen, out); /* SS7 link: no IP layer */
    uint8_t version;
    enum parse_rc rc = link_decode(linktype, &c, out, &version);
    if (rc != PARSE_OK)
        return rc;
    struct ip_next next;
    rc = ip_decode(&c, version, out, &next);
    if (rc != PARSE_OK)
        return rc;
    if (!transport(d, &next, out) || !overlays(d, out))
        return PARSE_OK;
    if (out->l4proto == L4_UDP && out->has_ports &&
        (out->sport == GTPU_PORT || out->dport == GTPU_PORT))
        gtpu(d, out);
    return PARSE_OK;
}

enum parse_rc decode_packet(int linktype, const uint8_t *bytes, uint32_t caplen,
                            uint32_t wirelen, uint64_t ts_us, struct pkt_view *out)
{
    struct dctx d = {NULL, NULL, 0};
    return decode(&d, linktype, bytes, caplen, wirelen, ts_us, out);
}

enum parse_rc decode_packet_reasm(struct ipfrag *rf, const struct source_packet *pkt,
                                  struct pkt_view *out)
{
    struct dctx d = {rf, pkt, 0};
    enum parse_rc rc =
        decode(&d, pkt->linktype, pkt->data, pkt->caplen, pkt->wirelen, pkt->ts_us, out);
    out->src_input = (uint32_t)pkt->input;
    out->src_frame = pkt->frame;
    out->src_ifid = pkt->ifid;
    return rc;
}

/* What decode_linktype_name gives a link type with no decoder; compared by
 * address, as the source asks once per frame. */
static const char unknown_linktype[] = "unknown";

bool decode_linktype_supported(int linktype)
{
    return decode_linktype_name(linktype) != unknown_linktype;
}

const char *decode_linktype_name(int linktype)
{
    switch (linktype) {
    case LINK_NULL:
        return "NULL";
    case LINK_EN10MB:
        return "EN10MB";
    case LINK_RAW:
    case LINK_RAW_DLT12:
    case LINK_RAW_DLT14:
        return "RAW";
    case LINK_LOOP:
        return "LOOP";
    case LINK_LINUX_SLL:
        return "LINUX_SLL";
    case LINK_LINUX_SLL2:
        return "LINUX_SLL2";
    case LINK_IPV4:
        return "IPV4";
    case LINK_IPV6:
        return "IPV6";
    case LINK_PKTAP:
        return "PKTAP";
    case LINK_PPP:
        return "PPP";
    case LINK_PPP_HDLC:
        return "PPP_HDLC";
    case LINK_PPP_ETHER:
        return "PPP_ETHER";
    case LINK_C_HDLC:
        return "C_HDLC";
    case LINK_IEEE802_11:
        return "IEEE802_11";
    case LINK_IEEE802_11_RADIOTAP:
        return "IEEE802_11_RADIOTAP";
    case LINK_PPP_PPPD:
        return "PPP_PPPD";
    case LINK_PPI:
        return "PPI";
    case LINK_PPP_WITH_DIR:
        return "PPP_WITH_DIR";
    case LINK_C_HDLC_WITH_DIR:
        return "C_HDLC_WITH_DIR";
    case LINK_NFLOG:
        return "NFLOG";
    case LINK_ERF:
        return "ERF";
    case LINK_JUNIPER_ETHER:
        return "JUNIPER_ETHER";
    case LINK_JUNIPER_PPP:
        return "JUNIPER_PPP";
    case LINK_JUNIPER_CHDLC:
        return "JUNIPER_CHDLC";
    case LINK_MTP2_WITH_PHDR:
        return "MTP2_WITH_PHDR";
    case LINK_MTP2:
        return "MTP2";
    case LINK_MTP3:
        return "MTP3";
    default:
        return unknown_linktype;
    }
}
