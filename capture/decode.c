/* decode.c - one captured frame to a struct pkt_view: link, IP, transport, GTP-U.
 *
 * The order of the walk and what each layer owns:
 *   link.c   link header, 802.1Q/802.1ad tags, MPLS, PPPoE  -> IP header start
 *   ip.c     IPv4 (RFC 791) / IPv6 and its extension chain (RFC 8200)
 *   l4.c     TCP (RFC 9293), UDP (RFC 768), SCTP (RFC 9260), ICMP, ICMPv6
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

#include "capture/gtpu.h"
#include "capture/ip.h"
#include "capture/l4.h"
#include "capture/link.h"
#include "capture/mtp.h"

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
    v->payload = (struct span){NULL, 0};
    v->payload_len = 0;
}

/* Transport decoding; a non-first fragment has no transport header. */
static void transport(struct ip_next *next, struct pkt_view *v)
{
    if (v->frag && !v->frag_first)
        return;
    (void)l4_decode(&next->l4, v->l4proto, next->l4_claimed, v); /* outcome is in anomalies */
}

/* Replaces the outer view with the inner packet of a G-PDU.  Anything short
 * of a complete inner IP header leaves the outer UDP view in place, with
 * ANOM_TRUNCATED (the capture ran out) or ANOM_GTP_BAD (the header is not a
 * valid GTP-U header or the T-PDU is not IP). */
static void gtpu(struct pkt_view *v)
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
    transport(&next, v); /* GTP-in-GTP stays UDP: only one level */
}

enum parse_rc decode_packet(int linktype, const uint8_t *bytes, uint32_t caplen,
                            uint32_t wirelen, uint64_t ts_us, struct pkt_view *out)
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
    transport(&next, out);
    if (out->l4proto == L4_UDP && out->has_ports &&
        (out->sport == GTPU_PORT || out->dport == GTPU_PORT))
        gtpu(out);
    return PARSE_OK;
}

bool decode_linktype_supported(int linktype)
{
    return strcmp(decode_linktype_name(linktype), "unknown") != 0;
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
    case LINK_MTP2_WITH_PHDR:
        return "MTP2_WITH_PHDR";
    case LINK_MTP2:
        return "MTP2";
    case LINK_MTP3:
        return "MTP3";
    default:
        return "unknown";
    }
}
