/* decode.h - link, tunnel, IP and transport decoding into struct pkt_view.
 *
 * decode_packet() walks one captured frame through the byte cursor:
 *   link (EN10MB, LINUX_SLL, LINUX_SLL2, RAW, NULL/LOOP)
 *   -> 802.1Q / 802.1ad QinQ, MPLS label stacks, PPPoE session
 *   -> IPv4 (options, fragments) / IPv6 (extension headers)
 *   -> TCP / UDP / SCTP / ICMP / ICMPv6
 *   -> GTP-U on UDP 2152 (3GPP TS 29.281): the inner IP packet becomes the view,
 *      the TEID and the outer endpoints are kept.
 * The view is borrowed: its spans point into the caller's packet buffer and are
 * valid only until that buffer is reused.
 */
#ifndef PR_CAPTURE_DECODE_H
#define PR_CAPTURE_DECODE_H

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

/* Bounded nesting: VLAN tags + MPLS labels + PPPoE + one GTP-U level. */
#define DECODE_MAX_ENCAP_DEPTH 8
#define DECODE_MAX_MPLS_LABELS 8
#define DECODE_MAX_IPV6_EXT 8

#define GTPU_PORT 2152 /* 3GPP TS 29.281 section 4.4.2.3 */

/* Anomaly bits set on the view (and counted by the caller). */
enum decode_anomaly {
    ANOM_TRUNCATED = 1u << 0,    /* caplen ended inside a header */
    ANOM_BAD_IP_LEN = 1u << 1,   /* IP total length shorter than header / inconsistent */
    ANOM_BAD_VERSION = 1u << 2,  /* IP version nibble does not match */
    ANOM_ENCAP_DEPTH = 1u << 3,  /* too many VLAN/MPLS/tunnel levels */
    ANOM_IPV6_EXT_LIMIT = 1u << 4,
    ANOM_BAD_L4 = 1u << 5,       /* L4 header inconsistent (e.g. TCP data offset < 5) */
    ANOM_FRAGMENT = 1u << 6,     /* IPv4/IPv6 fragment */
    ANOM_GTP_BAD = 1u << 7,      /* GTP-U header invalid; decoded as plain UDP */
    ANOM_UNKNOWN_L3 = 1u << 8,   /* ethertype not IPv4/IPv6 (ARP, LLDP, ...) */
};

struct ip_addr {
    uint8_t family; /* 4 or 6; 0 = none */
    uint8_t a[16];  /* IPv4 in the first 4 bytes, rest zero */
};

enum { L4_ICMP = 1, L4_TCP = 6, L4_UDP = 17, L4_ICMPV6 = 58, L4_SCTP = 132 };

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
    bool tunnel;          /* inner packet of a GTP-U tunnel */
    uint32_t teid;        /* GTP-U TEID when tunnel */
    struct ip_addr tun_src, tun_dst; /* outer IP endpoints when tunnel */

    /* network layer (the innermost IP header) */
    uint8_t ip_version;   /* 4, 6 or 0 when there is no IP layer */
    struct ip_addr src, dst;
    uint8_t ttl;
    uint8_t l4proto;      /* IP protocol / IPv6 next header of the transport */
    struct span l3;       /* innermost IP header start .. end of captured bytes, for DPI */
    uint32_t l3_len;      /* IP total length the header claims */
    bool frag;            /* is a fragment */
    bool frag_first;      /* offset 0 fragment (carries the L4 header) */
    uint32_t frag_id;     /* IPv4 identification / IPv6 fragment id */

    /* transport */
    bool has_ports;       /* L4 header decoded: sport/dport valid */
    uint16_t sport, dport;
    uint8_t tcp_flags;
    uint32_t tcp_seq, tcp_ack;
    uint8_t icmp_type, icmp_code;
    bool has_icmp;        /* ICMP/ICMPv6 header decoded: icmp_type/icmp_code valid */
    struct span payload;  /* captured L4 payload bytes */
    uint32_t payload_len; /* payload length the headers claim (may exceed payload.n) */

    uint32_t anomalies;   /* enum decode_anomaly bits */

    /* provenance, set by the caller after decoding (decode_packet zeroes it) */
    uint32_t src_input;   /* input index (inputs.seq) */
    uint32_t src_ifid;    /* pcapng interface id */
    uint64_t src_frame;   /* 1-based frame number in that input */
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

/* Decodes one frame.  Borrows `bytes` (caplen captured bytes of a wirelen-byte
 * frame) for the lifetime of `out`.  Returns PARSE_OK when an IP layer was found
 * (out->ip_version != 0), PARSE_TRUNCATED when the capture ends inside a header
 * needed to find it (fields decoded so far are kept), PARSE_INVALID for
 * contradictory headers or frames with no IP layer (ARP etc., ANOM_UNKNOWN_L3).
 * Never reads outside bytes[0, caplen).
 * The code describes the IP layer: once an IP header is found the result is
 * PARSE_OK, and trouble further in is reported through anomaly bits only
 * (ANOM_TRUNCATED / ANOM_BAD_L4: transport header cut or inconsistent, with
 * has_ports false; ANOM_GTP_BAD or ANOM_TRUNCATED: a GTP-U packet that could
 * not be decapsulated stays a plain outer UDP view).  Non-first fragments
 * have no transport fields. */
enum parse_rc decode_packet(int linktype, const uint8_t *bytes, uint32_t caplen,
                            uint32_t wirelen, uint64_t ts_us, struct pkt_view *out);

/* True when linktype has a decoder. */
bool decode_linktype_supported(int linktype);

/* A short name for a link type ("EN10MB", "LINUX_SLL", ...), or "unknown". */
const char *decode_linktype_name(int linktype);

#endif
