/* build.h - packet-building library for trapline's sample-capture generator.
 *
 * Builds link, network and transport headers into bounded byte buffers for
 * pcapgen. Everything here works on *trusted* input chosen by the generator
 * itself: no byte read comes from a packet, so the byte-cursor rules of
 * STYLE.md §3 do not apply. Writes are bounded nonetheless: a buffer that
 * would overflow sets a sticky flag and keeps its old length.
 *
 * Specs: RFC 791 (IPv4), RFC 8200 (IPv6), RFC 768 (UDP), RFC 9293 (TCP),
 * RFC 792 (ICMP), RFC 9260 (SCTP, CRC32c in Appendix A), RFC 1071 (Internet
 * checksum), IEEE 802.1Q (VLAN, QinQ), RFC 3032 (MPLS), RFC 2516 (PPPoE),
 * 3GPP TS 29.281 (GTP-U), tcpdump.org LINKTYPE_LINUX_SLL / LINUX_SLL2 / NULL.
 */
#ifndef PR_PCAPS_GEN_BUILD_H
#define PR_PCAPS_GEN_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest frame the generator ever builds: the biggest fixture packet is an
 * Ethernet frame below 1,514 bytes; 4 KiB leaves room for nested headers. */
#define BUILD_PKT_MAX 4096u

/* Return codes of the generator (its own, since pcaps/ includes nothing from
 * capture/). 0 is success, failures are negative. */
enum gen_rc {
    GEN_OK = 0,
    GEN_RC_IO = -1,    /* open/write/close/truncate failed */
    GEN_RC_LIMIT = -2, /* a buffer would have overflowed BUILD_PKT_MAX */
    GEN_RC_ARG = -3    /* bad command line */
};

/* A bounded output buffer. `overflow` is sticky: once set, every later put
 * is ignored and len stays where it was. */
struct build_buf {
    uint8_t b[BUILD_PKT_MAX];
    size_t len;
    bool overflow;
};

void build_reset(struct build_buf *out);
void build_u8(struct build_buf *out, uint8_t v);
void build_be16(struct build_buf *out, uint16_t v);
void build_be24(struct build_buf *out, uint32_t v);
void build_be32(struct build_buf *out, uint32_t v);
void build_le16(struct build_buf *out, uint16_t v);
void build_le32(struct build_buf *out, uint32_t v);
void build_bytes(struct build_buf *out, const void *p, size_t n);
void build_zero(struct build_buf *out, size_t n);
void build_str(struct build_buf *out, const char *s); /* no NUL written */

/* Overwrite an already-written big-endian field at `off` (length fields that
 * are only known after the body is written). Out-of-range offsets set
 * overflow and change nothing. */
void build_patch_be16(struct build_buf *out, size_t off, uint16_t v);
void build_patch_be24(struct build_buf *out, size_t off, uint32_t v);

/* Fixed-seed xorshift32 (Marsaglia 2003) for payload bytes that only need to
 * look random. A zero seed is replaced by a fixed non-zero one. */
struct xorshift {
    uint32_t s;
};

void build_rng_seed(struct xorshift *r, uint32_t seed);
uint32_t build_rng_next(struct xorshift *r);
uint32_t build_rng_range(struct xorshift *r, uint32_t lo, uint32_t hi); /* [lo, hi] */
void build_rng_bytes(struct build_buf *out, struct xorshift *r, size_t n);

/* IANA protocol numbers used by the fixtures. */
enum {
    BUILD_PROTO_ICMP = 1,
    BUILD_PROTO_TCP = 6,
    BUILD_PROTO_UDP = 17,
    BUILD_PROTO_ICMPV6 = 58,
    BUILD_PROTO_SCTP = 132
};

/* An IPv4 or IPv6 address. ver is 4 or 6; IPv4 uses a[0..3]. */
struct build_addr {
    uint8_t ver;
    uint8_t a[16];
};

/* Parses a literal the generator wrote itself ("10.0.0.10", "2001:db8::10").
 * A malformed literal is a programming error and fails an assert. */
struct build_addr build_addr(const char *text);

/* RFC 1071 one's-complement sum, folded and complemented. `init` is a partial
 * (unfolded) sum to continue from, e.g. a pseudo-header. */
uint16_t build_csum(const uint8_t *p, size_t n, uint32_t init);

/* IP header parameters. For IPv4, `opt` holds options (length a multiple of 4,
 * at most 40). For IPv6, `opt` holds a ready-made extension-header chain whose
 * first header has type `ext_first` and whose last header's next-header field
 * already names `proto`. */
struct build_ip {
    struct build_addr src, dst;
    uint8_t proto;  /* upper-layer protocol number (IANA) */
    uint8_t ttl;    /* TTL / hop limit */
    uint16_t id;    /* IPv4 identification */
    const uint8_t *opt;
    size_t opt_len;
    uint8_t ext_first;
    uint16_t frag_off; /* IPv4 fragment offset in bytes, multiple of 8 */
    bool more_frags;
    bool dont_frag;
};

/* Writes an IP header (with IPv4 header checksum) followed by `payload` into
 * `out`, which is reset first. */
void build_ip_packet(struct build_buf *out, const struct build_ip *h, const uint8_t *payload,
                     size_t len);

/* Transport segments with their pseudo-header checksums; `out` is reset. */
void build_udp(struct build_buf *out, const struct build_addr *src, const struct build_addr *dst,
               uint16_t sport, uint16_t dport, const uint8_t *payload, size_t len);

/* TCP flag bits, RFC 9293 §3.1. */
enum {
    BUILD_TCP_FIN = 0x01,
    BUILD_TCP_SYN = 0x02,
    BUILD_TCP_RST = 0x04,
    BUILD_TCP_PSH = 0x08,
    BUILD_TCP_ACK = 0x10
};

struct build_tcp_hdr {
    uint16_t sport, dport;
    uint32_t seq, ack;
    uint8_t flags;
    uint16_t win;
};

/* SYN segments carry MSS 1460, window scale 7 and SACK-permitted. */
void build_tcp(struct build_buf *out, const struct build_addr *src, const struct build_addr *dst,
               const struct build_tcp_hdr *h, const uint8_t *payload, size_t len);

/* An ICMPv6 message (RFC 4443 2.1): type, code, the checksum over the IPv6
 * pseudo-header (RFC 8200 8.1), then `body`. */
void build_icmpv6(struct build_buf *out, const struct build_addr *src, const struct build_addr *dst,
                  uint8_t type, uint8_t code, const uint8_t *body, size_t len);

/* ICMPv4 echo request (type 8) or reply (type 0) with a checksum. */
void build_icmp_echo(struct build_buf *out, uint8_t type, uint16_t ident, uint16_t seq,
                     const uint8_t *data, size_t len);

/* SCTP common header + `chunks` (already padded) with the CRC32c checksum. */
void build_sctp(struct build_buf *out, uint16_t sport, uint16_t dport, uint32_t vtag,
                const uint8_t *chunks, size_t len);

/* Per-connection TCP sequence tracker. Direction 0 is client to server. */
enum { BUILD_C2S = 0, BUILD_S2C = 1 };

struct build_tcp_conn {
    struct build_addr cli, srv;
    uint16_t cport, sport;
    uint32_t next_seq[2]; /* next sequence number each side will send */
    uint16_t win[2];
};

void build_tcp_conn_init(struct build_tcp_conn *c, const struct build_addr *cli, uint16_t cport,
                         const struct build_addr *srv, uint16_t sport, uint32_t isn_c,
                         uint32_t isn_s);

/* Builds one complete IP packet for a segment sent in direction `dir`; the
 * ACK field is the peer's next sequence number when BUILD_TCP_ACK is set.
 * The tracker advances by len, plus one for SYN and one for FIN. */
void build_tcp_conn_segment(struct build_tcp_conn *c, int dir, uint8_t flags,
                            const uint8_t *payload, size_t len, uint16_t ip_id,
                            struct build_buf *out);

/* GTP-U G-PDU encapsulation (TS 29.281 §5.1): outer IPv4/UDP 2152 around an
 * inner IP packet. With `pdu_ext`, the E flag is set and one PDU Session
 * Container extension (type 0x85, TS 38.415 §5.5.2) carries `qfi`. */
struct build_gtp {
    struct build_addr ran, core; /* gNB/eNB side and UPF side */
    uint32_t teid_ul, teid_dl;
};

void build_gtpu(struct build_buf *out, const struct build_gtp *g, bool uplink, bool pdu_ext,
                uint8_t qfi, uint16_t ip_id, const uint8_t *inner, size_t len);

/* Overlay tunnels around the IP packet (after GTP-U, before the link):
 * IP in IP (RFC 2003 / RFC 4213: IP protocol 4 or 41 by the inner
 * version), GRE with a key (RFC 2784, RFC 2890), ERSPAN type II over GRE
 * (draft-foschiano-erspan-03 section 4.2), VXLAN (RFC 7348, UDP 4789) and
 * GENEVE (RFC 8926, UDP 6081).  The last three carry an Ethernet frame
 * with `inner_vlan` (0 = untagged).  The outer packet always goes from
 * `a` to `b`: a tap's mirror or tunnel has one direction of its own. */
enum build_overlay_kind {
    BUILD_OVL_IPIP,
    BUILD_OVL_GRE,
    BUILD_OVL_ERSPAN2,
    BUILD_OVL_VXLAN,
    BUILD_OVL_GENEVE,
    BUILD_OVL_PPTP, /* enhanced GRE (RFC 2637) around a PPP frame */
    BUILD_OVL_L2TP, /* L2TPv2 data message on UDP 1701 (RFC 2661) around a PPP frame */
    BUILD_OVL_VXLAN_GPE, /* VXLAN-GPE on UDP 4790 around the IP packet */
    BUILD_OVL_CAPWAP,    /* CAPWAP data (UDP 5247) around the client's 802.11 frame */
    BUILD_OVL_TZSP,      /* TZSP (UDP 37008) around the Ethernet frame */
    BUILD_OVL_TEREDO,    /* Teredo (RFC 4380): the IPv6 packet in UDP, a client's NAT
                          * mapping (a) with a relay (b), on ports of their own */
    BUILD_OVL_L2TPV3_IP, /* an L2TPv3 Ethernet pseudowire in IP (protocol 115, RFC 3931,
                          * RFC 4719) with a 32-bit cookie and the Default L2-Specific
                          * Sublayer, both ways */
    BUILD_OVL_L2TPV3_UDP /* the same on UDP 1701, no cookie and no sublayer */
};

struct build_overlay {
    enum build_overlay_kind kind;
    struct build_addr a, b;
    uint32_t id; /* GRE key, ERSPAN session id (10 bits), VNI (24 bits), PPTP call id
                  * (16 bits), L2TP tunnel << 16 | session, L2TPv3 session; the
                  * server's side sends PPTP call id + 1, L2TP tunnel + 1 and
                  * session + 1, L2TPv3 session + 1 */
    uint16_t inner_vlan;
};

struct build_link;

/* Wraps `inner` (an IP packet) in the overlay o; `l` gives the inner
 * Ethernet frame's MACs; seq is the GRE sequence number for ERSPAN.
 * `out` is reset. */
void build_overlay(struct build_buf *out, const struct build_overlay *o,
                   const struct build_link *l, bool from_client, uint16_t ip_id, uint32_t seq,
                   const uint8_t *inner, size_t len);

/* Link layers. The client side owns cli_mac; everything else is behind the
 * gateway (gw_mac). */
enum build_link_kind {
    BUILD_LINK_ETH,
    BUILD_LINK_VLAN,
    BUILD_LINK_QINQ,
    BUILD_LINK_MPLS,
    BUILD_LINK_PPPOE,
    BUILD_LINK_SLL,
    BUILD_LINK_SLL2,
    BUILD_LINK_RAW,
    BUILD_LINK_NULL,
    BUILD_LINK_PKTAP, /* Apple PKTAP header around an Ethernet frame */
    BUILD_LINK_PPP,   /* PPP in HDLC-like framing (LINKTYPE_PPP) */
    BUILD_LINK_CHDLC, /* Cisco HDLC (LINKTYPE_C_HDLC) */
    BUILD_LINK_NFLOG, /* Linux NFLOG, little-endian TLVs (LINKTYPE_NFLOG) */
    BUILD_LINK_WIFI,  /* radiotap + 802.11 QoS Data + LLC/SNAP (LINKTYPE_IEEE802_11_RADIOTAP) */
    BUILD_LINK_ERF    /* an Endace ERF ETH record around an Ethernet frame (LINKTYPE_ERF) */
};

#define BUILD_MPLS_DEPTH 2 /* the fixtures use a two-label stack */

struct build_link {
    enum build_link_kind kind;
    uint8_t cli_mac[6], gw_mac[6];
    uint16_t vlan_outer, vlan_inner; /* VLAN uses vlan_outer only */
    uint32_t mpls_label[BUILD_MPLS_DEPTH];
    uint16_t pppoe_session;
    uint32_t ifindex; /* SLL2 */
    const char *pktap_ifname, *pktap_cmd; /* PKTAP interface and process name */
    uint32_t pktap_pid;
    uint16_t nflog_group; /* NFLOG resource id */
    const char *nflog_prefix; /* NFULA_PREFIX, or NULL for none */
    uint64_t ts_us; /* the frame's time, for link headers that carry one (ERF) */
};

/* Frames the IP packet `ip` (version taken from its first nibble) for link
 * `l`; `from_client` picks MAC order and the SLL packet type. `out` is reset. */
void build_link_frame(struct build_buf *out, const struct build_link *l, bool from_client,
                      const uint8_t *ip, size_t len);

#endif /* PR_PCAPS_GEN_BUILD_H */
