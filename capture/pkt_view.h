/* pkt_view.h - the decoded view of one packet (struct pkt_view), its
 * anomaly bits and the constants the link, IP and transport decoders share.
 *
 * Types only: decode.c (the dispatcher) and the per-layer decoders (link.c,
 * ip.c, l4.c) all include this header, and none of them includes another's,
 * so the decoding modules have no include cycle.
 */
#ifndef PR_CAPTURE_PKT_VIEW_H
#define PR_CAPTURE_PKT_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"

/* Link types we decode (values are LINKTYPE_* / DLT_* numbers). */
#define LINK_NULL 0
#define LINK_EN10MB 1
#define LINK_RAW 101
#define LINK_LOOP 108
#define LINK_LINUX_SLL 113
#define LINK_LINUX_SLL2 276
#define LINK_RAW_DLT12 12  /* DLT_RAW as some systems number it */
#define LINK_RAW_DLT14 14
#define LINK_IPV4 228
#define LINK_IPV6 229
#define LINK_PKTAP 258 /* Apple's PKTAP header, then a frame of the DLT it names */
#define LINK_PPP 9              /* PPP, with or without HDLC-like framing (RFC 1661, 1662) */
#define LINK_PPP_HDLC 50        /* PPP in HDLC-like framing, or Cisco HDLC */
#define LINK_PPP_ETHER 51       /* a PPPoE session header without Ethernet (RFC 2516) */
#define LINK_C_HDLC 104         /* Cisco HDLC: address, control, EtherType */
#define LINK_IEEE802_11 105     /* IEEE 802.11 frames, no radio header */
#define LINK_IEEE802_11_RADIOTAP 127 /* a radiotap header, then an 802.11 frame */
#define LINK_PPP_PPPD 166       /* PPP in HDLC-like framing, direction in the address */
#define LINK_PPI 192            /* a Per-Packet Information header, then the DLT it names */
#define LINK_PPP_WITH_DIR 204   /* a direction octet, then LINK_PPP_HDLC */
#define LINK_C_HDLC_WITH_DIR 205 /* a direction octet, then LINK_C_HDLC */
#define LINK_NFLOG 239          /* Linux NFLOG: a header, then TLVs, one holding the packet */
#define LINK_ERF 197            /* an Endace ERF record: header, then the frame its type names */
#define LINK_JUNIPER_ETHER 178  /* a Juniper router's header, then Ethernet (or IP) */
#define LINK_JUNIPER_PPP 179    /* ... then PPP (or IP) */
#define LINK_JUNIPER_CHDLC 181  /* ... then Cisco HDLC (or IP) */
#define LINK_MTP2_WITH_PHDR 139 /* SS7 links: capture/mtp.h */
#define LINK_MTP2 140
#define LINK_MTP3 141

/* The pseudo network layer of an SS7 link capture (capture/mtp.h): there is
 * no IP header; ip_version and the address family say PKT_FAMILY_MTP3, the
 * addresses hold MTP3 point codes and l4proto is L4_MTP3 (255, "reserved"
 * in the IANA protocol numbers, so no IP packet has it). */
#define PKT_FAMILY_MTP3 3

/* EtherTypes (IEEE 802.3 clause 3.2.6, IANA) that link.c follows to the IP
 * header and that an overlay tunnel names as its payload: IP, an MPLS label
 * stack (RFC 5332 section 4), a PPP frame (as enhanced GRE, RFC 2637
 * section 4.1, and L2TP carry it), a Network Service Header (RFC 8300
 * section 9.1). */
#define ETHERTYPE_IPV4 0x0800u
#define ETHERTYPE_IPV6 0x86ddu
#define ETHERTYPE_MPLS_UC 0x8847u
#define ETHERTYPE_PPP 0x880bu
#define ETHERTYPE_NSH 0x894fu
/* VLAN tags (IEEE 802.1Q-2018 section 9.6) in a link header or a frame an
 * overlay carries */
#define ETHERTYPE_8021Q 0x8100u    /* C-TAG */
#define ETHERTYPE_8021AD 0x88a8u   /* S-TAG */
#define ETHERTYPE_QINQ_OLD 0x9100u /* pre-802.1ad vendor QinQ */
/* PPP protocol numbers of IP (link.c, and the PPP pseudowires of l2tp.c) */
#define PPP_PROTO_IPV4 0x0021u /* RFC 1332 */
#define PPP_PROTO_IPV6 0x0057u /* RFC 5072 */

/* Bounded nesting: VLAN tags + MPLS labels + PPPoE per link header; at most
 * DECODE_MAX_OVERLAYS overlay tunnels (decode.c), then one GTP-U level. */
#define DECODE_MAX_ENCAP_DEPTH 8
#define DECODE_MAX_OVERLAYS 4
#define DECODE_MAX_MPLS_LABELS 8
#define DECODE_MAX_IPV6_EXT 8

#define GTPU_PORT 2152 /* 3GPP TS 29.281 section 4.4.2.3 */

/* Anomaly bits set on the view and counted by the pipeline, one list:
 * X(enumerator, bit, run_stats name).  A bit added here gets its counter and
 * its run_stats row without another edit (report/pipeline.c). */
#define DECODE_ANOMALY_LIST(X)                                                        \
    X(ANOM_TRUNCATED, 0, "decode_truncated_header") /* caplen ended inside a header */ \
    X(ANOM_BAD_IP_LEN, 1, "decode_bad_ip_length")   /* IP total length inconsistent */ \
    X(ANOM_BAD_VERSION, 2, "decode_bad_ip_version") /* IP version nibble mismatch */   \
    X(ANOM_ENCAP_DEPTH, 3, "decode_encap_depth")    /* too many VLAN/MPLS/tunnels */   \
    X(ANOM_IPV6_EXT_LIMIT, 4, "decode_ipv6_ext_limit")                                 \
    X(ANOM_BAD_L4, 5, "decode_bad_l4")         /* e.g. TCP data offset < 5 */          \
    X(ANOM_FRAGMENT, 6, "decode_fragment")     /* IPv4/IPv6 fragment */                \
    X(ANOM_GTP_BAD, 7, "decode_gtp_bad")       /* GTP-U invalid; decoded as UDP */     \
    X(ANOM_UNKNOWN_L3, 8, "decode_non_ip")     /* ethertype not IPv4/IPv6 (ARP...) */

#define DECODE_ANOMALY_ENUM_(name, bit, stat) name = 1u << (bit),
enum decode_anomaly { DECODE_ANOMALY_LIST(DECODE_ANOMALY_ENUM_) };
#undef DECODE_ANOMALY_ENUM_

#define DECODE_ANOMALY_ONE_(name, bit, stat) +1
#define DECODE_ANOMALY_OR_(name, bit, stat) | (name)
/* Number of anomaly bits: they are 0 .. DECODE_ANOMALY_COUNT-1. */
enum { DECODE_ANOMALY_COUNT = 0 DECODE_ANOMALY_LIST(DECODE_ANOMALY_ONE_) };
_Static_assert((0u DECODE_ANOMALY_LIST(DECODE_ANOMALY_OR_)) ==
                   (1u << DECODE_ANOMALY_COUNT) - 1u,
               "anomaly bits must be 0..DECODE_ANOMALY_COUNT-1, each once");
#undef DECODE_ANOMALY_ONE_
#undef DECODE_ANOMALY_OR_

/* The run_stats name of anomaly bit number bit (0-based), NULL past the list. */
static inline const char *decode_anomaly_name(unsigned bit)
{
#define DECODE_ANOMALY_NAME_(name, b, stat) case (b): return (stat);
    switch (bit) { DECODE_ANOMALY_LIST(DECODE_ANOMALY_NAME_) default: return NULL; }
#undef DECODE_ANOMALY_NAME_
}

/* Overlay tunnels decode.c strips (the inner packet becomes the view), one
 * list: X(enumerator, bit, run_stats name of the packets that had one).
 * Their rows are written only when non-zero (report/pipeline.c). */
#define DECODE_OVERLAY_LIST(X)                                                   \
    X(OVERLAY_IPIP, 0, "decode_overlay_ip_in_ip") /* RFC 2003, RFC 4213, RFC 2473 */ \
    X(OVERLAY_GRE, 1, "decode_overlay_gre")       /* RFC 2784, RFC 2890 */       \
    X(OVERLAY_ERSPAN, 2, "decode_overlay_erspan") /* ERSPAN I/II/III over GRE */ \
    X(OVERLAY_VXLAN, 3, "decode_overlay_vxlan")   /* RFC 7348 */                 \
    X(OVERLAY_GENEVE, 4, "decode_overlay_geneve") /* RFC 8926 */                 \
    X(OVERLAY_L2TP, 5, "decode_overlay_l2tp")     /* RFC 2661, UDP 1701 */      \
    X(OVERLAY_CAPWAP, 6, "decode_overlay_capwap") /* RFC 5415, UDP 5247 */      \
    X(OVERLAY_TZSP, 7, "decode_overlay_tzsp")     /* TZSP, UDP 37008 */      \
    X(OVERLAY_TEREDO, 8, "decode_overlay_teredo") /* RFC 4380, UDP 3544 */      \
    X(OVERLAY_L2TPV3, 9, "decode_overlay_l2tpv3") /* RFC 3931, IP 115 or UDP 1701 */

#define DECODE_OVERLAY_ENUM_(name, bit, stat) name = 1u << (bit),
enum decode_overlay { DECODE_OVERLAY_LIST(DECODE_OVERLAY_ENUM_) };
#undef DECODE_OVERLAY_ENUM_
#define DECODE_OVERLAY_ONE_(name, bit, stat) +1
enum { DECODE_OVERLAY_COUNT = 0 DECODE_OVERLAY_LIST(DECODE_OVERLAY_ONE_) };
#undef DECODE_OVERLAY_ONE_

struct ip_addr {
    uint8_t family; /* 4 or 6 (PKT_FAMILY_MTP3: a point code); 0 = none */
    uint8_t a[16];  /* IPv4 (or a big-endian 32-bit point code) in the first 4 bytes, rest zero */
};

enum { L4_ICMP = 1, L4_TCP = 6, L4_UDP = 17, L4_ICMPV6 = 58, L4_SCTP = 132, L4_MTP3 = 255 };

/* TCP flag bits (RFC 9293 section 3.1). */
#define TCPF_FIN 0x01
#define TCPF_SYN 0x02
#define TCPF_RST 0x04
#define TCPF_PSH 0x08
#define TCPF_ACK 0x10

struct pkt_view {
    uint64_t ts_us;       /* packet time, UTC microseconds */
    uint32_t caplen;      /* bytes captured */
    uint32_t wirelen;     /* frame length on the wire */
    int linktype;

    /* encapsulation */
    uint16_t vlan_outer;  /* 12-bit VLAN id of the outermost tag, 0 = none */
    uint16_t vlan_inner;  /* second tag (QinQ), 0 = none */
    uint8_t mpls_depth;   /* number of MPLS labels popped */
    bool pppoe;
    uint16_t overlays;    /* enum decode_overlay bits: overlay tunnels stripped */
    bool overlay_kept;    /* an overlay tunnel that gave no inner IP packet: the
                           * view is the outer packet (counted, decode.c) */
    uint32_t vnet;        /* the virtual network of the innermost VXLAN or GENEVE
                           * overlay: VNI | 1 << 24 (VXLAN) or 2 << 24 (GENEVE);
                           * 0 = none.  Part of the flow key, as a VLAN id is. */
    bool tunnel;          /* inner packet of a GTP-U tunnel */
    uint32_t teid;        /* GTP-U TEID when tunnel */
    struct ip_addr tun_src, tun_dst; /* outer IP endpoints when tunnel */

    /* network layer (the innermost IP header) */
    uint8_t ip_version;   /* 4, 6, PKT_FAMILY_MTP3 or 0 when there is no IP layer */
    uint16_t mtp_link;    /* SS7 link number of an MTP2 pseudo-header, else 0 */
    struct ip_addr src, dst;
    uint8_t ttl;
    uint8_t l4proto;      /* IP protocol / IPv6 next header of the transport */
    struct span l3;       /* innermost IP header start .. end of captured bytes, for DPI */
    uint32_t l3_len;      /* IP total length the header claims */
    bool frag;            /* is a fragment */
    bool frag_first;      /* offset 0 fragment (carries the L4 header) */
    uint32_t frag_id;     /* IPv4 identification / IPv6 fragment id */
    bool frag_held;       /* a fragment held for reassembly: the packet goes no further */
    uint16_t reassembled; /* frames the datagram was reassembled from; 0 = not reassembled
                           * (caplen and wirelen are then their sums) */

    /* transport */
    bool has_ports;       /* L4 header decoded: sport/dport valid */
    uint16_t sport, dport;
    uint8_t tcp_flags;
    uint32_t tcp_seq, tcp_ack;
    uint8_t icmp_type, icmp_code;
    bool has_icmp;        /* ICMP/ICMPv6 header decoded: icmp_type/icmp_code valid */
    struct span icmp_msg; /* the ICMP/ICMPv6 message from its Type octet (captured bytes,
                           * at most the length the IP header claims) */
    struct span payload;  /* captured L4 payload bytes */
    uint32_t payload_len; /* payload length the headers claim (may exceed payload.n) */

    uint32_t anomalies;   /* enum decode_anomaly bits */

    /* provenance, set by the caller after decoding (decode_packet zeroes it) */
    uint32_t src_input;   /* input index (inputs.seq) */
    uint32_t src_ifid;    /* pcapng interface id */
    uint64_t src_frame;   /* 1-based frame number in that input */
    bool late;            /* handed on after later frames (the first fragment of a
                           * datagram that never completed, capture/ipfrag.h): it
                           * is not the flow's last packet, and moves the first
                           * one's provenance only when it is earlier */
};

/* Helpers for the decoders: record the anomaly and return the parse result. */
static inline enum parse_rc decode_truncated(struct pkt_view *v)
{
    v->anomalies |= ANOM_TRUNCATED;
    return PARSE_TRUNCATED;
}

static inline enum parse_rc decode_invalid(struct pkt_view *v, uint32_t anomaly)
{
    v->anomalies |= anomaly;
    return PARSE_INVALID;
}

#endif
