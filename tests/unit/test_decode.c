/* test_decode.c - unit tests for capture/decode.c and the layer decoders.
 *
 * Fixtures are hand-built byte arrays (documentation addresses from RFC 5737
 * and RFC 3849, MACs locally administered).  Each one is decoded whole, then
 * every prefix [0, k) is decoded from an exactly sized heap copy so that
 * AddressSanitizer catches any read past caplen.  The hostile fixtures
 * exercise each length and limit check.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture/decode.h"
#include "capture/gtpu.h"
#include "tests/harness.h"

/* ---- shared pieces ---------------------------------------------------- */

#define ETH_MACS 0x02, 0, 0, 0, 0, 0x01, 0x02, 0, 0, 0, 0, 0x02
#define ET_IPV4 0x08, 0x00
#define ET_IPV6 0x86, 0xdd
#define IP4_A 192, 0, 2, 1    /* RFC 5737 TEST-NET-1 */
#define IP4_B 198, 51, 100, 2 /* RFC 5737 TEST-NET-2 */
#define IP4_C 203, 0, 113, 3  /* RFC 5737 TEST-NET-3 */
#define IP6_A 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01 /* RFC 3849 */
#define IP6_B 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02
/* IPv4 header without options: total length, id, frag word, ttl, proto, a, b. */
#define IP4_HDR(total, id, frag, ttl, proto, ...)                                           \
    0x45, 0x00, (uint8_t)((total) >> 8), (uint8_t)(total), (uint8_t)((id) >> 8),         \
        (uint8_t)(id), (uint8_t)((frag) >> 8), (uint8_t)(frag), (ttl), (proto), 0, 0,    \
        __VA_ARGS__
#define IP6_HDR(plen, nh, hops)                                                             \
    0x60, 0, 0, 0, (uint8_t)((plen) >> 8), (uint8_t)(plen), (nh), (hops), IP6_A, IP6_B
#define UDP_HDR(sp, dp, len)                                                                \
    (uint8_t)((sp) >> 8), (uint8_t)(sp), (uint8_t)((dp) >> 8), (uint8_t)(dp),            \
        (uint8_t)((len) >> 8), (uint8_t)(len), 0, 0
#define GTP_PORTS 0x08, 0x68, 0x08, 0x68 /* 2152 -> 2152 */

/* ---- valid fixtures --------------------------------------------------- */

/* Built by hand: Ethernet II, IPv4 (RFC 791 section 3.1), TCP SYN (RFC 9293
 * section 3.1) 49153 -> 443, 4 payload bytes. */
static const uint8_t fx_eth_tcp[] = {
    ETH_MACS, ET_IPV4,
    IP4_HDR(44, 0x1234, 0x4000, 64, 6, IP4_A, IP4_B),
    0xc0, 0x01, 0x01, 0xbb, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0,
    'a', 'b', 'c', 'd',
};

/* Built by hand: one IEEE 802.1Q C-TAG (PCP 1, VID 100), IPv4, UDP 5000 -> 53. */
static const uint8_t fx_vlan_udp[] = {
    ETH_MACS, 0x81, 0x00, 0x20, 0x64, ET_IPV4,
    IP4_HDR(32, 1, 0, 64, 17, IP4_A, IP4_B),
    UDP_HDR(5000, 53, 12), 'q', 'u', 'e', 'r',
};

/* Built by hand: 802.1ad S-TAG VID 200, 802.1Q C-TAG VID 300, IPv6 (RFC 8200
 * section 3), UDP 1024 -> 123. */
static const uint8_t fx_qinq_ipv6[] = {
    ETH_MACS, 0x88, 0xa8, 0x00, 0xc8, 0x81, 0x00, 0x01, 0x2c, ET_IPV6,
    IP6_HDR(12, 17, 64),
    UDP_HDR(1024, 123, 12), 1, 2, 3, 4,
};

/* Built by hand from RFC 3032 section 2.1: labels 16 and 17 (S=1 on 17),
 * then IPv4 found by its version nibble, ICMP echo request (RFC 792). */
static const uint8_t fx_mpls_icmp[] = {
    ETH_MACS, 0x88, 0x47, 0x00, 0x01, 0x00, 0x40, 0x00, 0x01, 0x11, 0x40,
    IP4_HDR(32, 2, 0, 64, 1, IP4_A, IP4_B),
    0x08, 0x00, 0, 0, 0x00, 0x01, 0x00, 0x01, 'p', 'i', 'n', 'g',
};

/* Built by hand: an Ethernet pseudowire (RFC 4448) on one MPLS label, with
 * the control word of RFC 4385 section 3 (0x00000000), then the customer's
 * frame in VLAN 7: IPv4, UDP 4000 -> 4001. */
static const uint8_t fx_mpls_pw_cw[] = {
    ETH_MACS, 0x88, 0x47, 0x00, 0x01, 0x01, 0x40, 0, 0, 0, 0,
    ETH_MACS, 0x81, 0x00, 0x00, 0x07, ET_IPV4,
    IP4_HDR(30, 4, 0, 32, 17, IP4_A, IP4_B),
    UDP_HDR(4000, 4001, 10), 'h', 'i',
};

/* The same pseudowire without the control word (optional, RFC 4448
 * section 4.6): the frame follows the label; its MAC starts with nibble 0,
 * which a control word would too. */
static const uint8_t fx_mpls_pw_nocw[] = {
    ETH_MACS, 0x88, 0x47, 0x00, 0x01, 0x01, 0x40,
    ETH_MACS, ET_IPV4,
    IP4_HDR(30, 4, 0, 32, 17, IP4_A, IP4_B),
    UDP_HDR(4000, 4001, 10), 'h', 'i',
};

/* Built by hand from RFC 2516 section 4: PPPoE session 1, PPP protocol
 * 0x0057 (RFC 5072), IPv6, ICMPv6 echo request (RFC 4443 section 4.1). */
static const uint8_t fx_pppoe_icmp6[] = {
    ETH_MACS, 0x88, 0x64, 0x11, 0x00, 0x00, 0x01, 0x00, 0x32, 0x00, 0x57,
    IP6_HDR(8, 58, 255),
    0x80, 0x00, 0, 0, 0x00, 0x01, 0x00, 0x01,
};

/* Built by hand: LINUX_SLL header (protocol at offset 14), IPv4, SCTP common
 * header (RFC 9260 section 3.1) 2905 -> 2905 and one 16-byte HEARTBEAT chunk. */
static const uint8_t fx_sll_sctp[] = {
    0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x02, 0, 0, 0, 0, 0x01, 0, 0, ET_IPV4,
    IP4_HDR(48, 3, 0x4000, 64, 132, IP4_A, IP4_B),
    0x0b, 0x59, 0x0b, 0x59, 0x01, 0x02, 0x03, 0x04, 0, 0, 0, 0,
    0x04, 0x00, 0x00, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* Built by hand: LINUX_SLL2 header (protocol at offset 0, 20 bytes), IPv6,
 * TCP FIN|ACK 443 -> 54321, no payload. */
static const uint8_t fx_sll2_tcp6[] = {
    ET_IPV6, 0, 0, 0, 0, 0, 2, 0x00, 0x01, 0x04, 0x06, 0x02, 0, 0, 0, 0, 0x01, 0, 0,
    IP6_HDR(20, 6, 64),
    0x01, 0xbb, 0xd4, 0x31, 0, 0, 0, 9, 0, 0, 0, 7, 0x50, 0x11, 0x10, 0x00, 0, 0, 0, 0,
};

/* Built by hand: RAW (no link header) IPv4, UDP 4000 -> 4001, 2 payload bytes.
 * Also used for LINKTYPE_IPV4 and the DLT 12/14 RAW aliases. */
static const uint8_t fx_raw_udp[] = {
    IP4_HDR(30, 4, 0, 32, 17, IP4_A, IP4_B),
    UDP_HDR(4000, 4001, 10), 'h', 'i',
};

/* Built by hand: LINKTYPE_NULL, family 30 (Darwin AF_INET6) in little-endian
 * host order, IPv6, UDP 5353 -> 5353, empty.  Bytes 4.. are a RAW IPv6 frame. */
static const uint8_t fx_null_ipv6[] = {
    30, 0, 0, 0,
    IP6_HDR(8, 17, 1),
    UDP_HDR(5353, 5353, 8),
};

/* Built by hand: LINKTYPE_NULL written by a big-endian host (family 2 =
 * AF_INET in network order), IPv4, ICMP echo reply. */
static const uint8_t fx_null_be_ipv4[] = {
    0, 0, 0, 2,
    IP4_HDR(28, 5, 0, 64, 1, IP4_A, IP4_B),
    0x00, 0x00, 0, 0, 0x00, 0x07, 0x00, 0x01,
};

/* Built by hand: LINKTYPE_LOOP, family 24 (OpenBSD AF_INET6) in network
 * order, IPv6, UDP 53 -> 53, empty. */
static const uint8_t fx_loop_ipv6[] = {
    0, 0, 0, 24,
    IP6_HDR(8, 17, 64),
    UDP_HDR(53, 53, 8),
};

/* Built by hand from RFC 791 section 3.1: IHL 6 with a Router Alert option
 * (RFC 2113: 0x94 0x04 0x00 0x00), UDP 7 -> 7, empty. */
static const uint8_t fx_ipv4_opts[] = {
    ETH_MACS, ET_IPV4,
    0x46, 0x00, 0x00, 32, 0x00, 0x06, 0x00, 0x00, 1, 17, 0, 0, IP4_A, IP4_B,
    0x94, 0x04, 0x00, 0x00,
    UDP_HDR(7, 7, 8),
};

/* Built by hand from RFC 791 section 3.2: first fragment (MF, offset 0,
 * id 0xabcd) of a 28-byte UDP datagram 12345 -> 53; it carries the UDP header
 * and 8 of the 20 data bytes. */
static const uint8_t fx_frag_first[] = {
    ETH_MACS, ET_IPV4,
    IP4_HDR(36, 0xabcd, 0x2000, 64, 17, IP4_A, IP4_B),
    UDP_HDR(12345, 53, 28), 1, 2, 3, 4, 5, 6, 7, 8,
};

/* Built by hand: the second and last fragment of the same datagram (offset
 * 2 blocks = 16 bytes, MF clear), 12 data bytes, no UDP header. */
static const uint8_t fx_frag_later[] = {
    ETH_MACS, ET_IPV4,
    IP4_HDR(32, 0xabcd, 0x0002, 64, 17, IP4_A, IP4_B),
    9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
};

/* Built by hand from RFC 8200 section 4 (order of 4.1): hop-by-hop (PadN),
 * destination options (PadN), routing (type 253, RFC 4727 experimental),
 * fragment (offset 0, M=1, id 0x1234), AH (RFC 4302: payload len 4 -> 24
 * bytes), then TCP SYN 1234 -> 80. */
static const uint8_t fx_ipv6_ext[] = {
    ETH_MACS, ET_IPV6,
    IP6_HDR(76, 0, 64),
    60, 0, 0x01, 0x04, 0, 0, 0, 0,          /* hop-by-hop -> dst opts */
    43, 0, 0x01, 0x04, 0, 0, 0, 0,          /* dst opts -> routing */
    44, 0, 253, 0, 0, 0, 0, 0,              /* routing -> fragment */
    51, 0, 0x00, 0x01, 0, 0, 0x12, 0x34,    /* fragment -> AH */
    6, 4, 0, 0, 0, 0, 0x10, 0x00, 0, 0, 0, 1, /* AH -> TCP: SPI, sequence */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,     /* AH ICV (12 bytes) */
    0x04, 0xd2, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0x10, 0x00, 0, 0, 0, 0,
};

/* Built by hand: an IPv6 later fragment (offset 2 blocks, M=0, id 0x1234,
 * next header UDP) with 16 data bytes. */
static const uint8_t fx_ipv6_frag_later[] = {
    ETH_MACS, ET_IPV6,
    IP6_HDR(24, 44, 64),
    17, 0, 0x00, 0x10, 0, 0, 0x12, 0x34,
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
};

/* Built by hand: IPv6 with next header 59 (RFC 8200 section 4.7), no payload. */
static const uint8_t fx_ipv6_nonext[] = {
    ETH_MACS, ET_IPV6,
    IP6_HDR(0, 59, 64),
};

/* Built by hand from 3GPP TS 29.281 section 5.1: outer IPv4 UDP 2152 -> 2152,
 * G-PDU without optional fields, TEID 42, inner IPv4 10.45.0.2 -> 8.8.8.8
 * TCP PSH|ACK 49154 -> 80 with 4 payload bytes. */
static const uint8_t fx_gtpu[] = {
    ETH_MACS, ET_IPV4,
    IP4_HDR(80, 7, 0, 64, 17, IP4_A, IP4_B),
    GTP_PORTS, 0x00, 60, 0, 0,
    0x30, 0xff, 0x00, 44, 0x00, 0x00, 0x00, 0x2a,
    IP4_HDR(44, 8, 0x4000, 63, 6, 10, 45, 0, 2, 8, 8, 8, 8),
    0xc0, 0x02, 0x00, 0x50, 0, 0, 1, 0, 0, 0, 2, 0, 0x50, 0x18, 0x10, 0x00, 0, 0, 0, 0,
    'G', 'E', 'T', ' ',
};

/* Built by hand from 3GPP TS 29.281 sections 5.1 and 5.2: G-PDU with E set,
 * next extension 0x85 (PDU Session Container, TS 38.415: 4 bytes, QFI 9),
 * TEID 0x1001, inner IPv6 UDP 53 -> 55555 with 4 payload bytes. */
static const uint8_t fx_gtpu_ext[] = {
    ETH_MACS, ET_IPV4,
    IP4_HDR(96, 9, 0, 64, 17, IP4_C, IP4_B),
    GTP_PORTS, 0x00, 76, 0, 0,
    0x34, 0xff, 0x00, 60, 0x00, 0x00, 0x10, 0x01,
    0x00, 0x00, 0x00, 0x85,     /* sequence, N-PDU, next extension type */
    0x01, 0x00, 0x09, 0x00,     /* length 1 (4 bytes), PDU type DL, QFI 9, next 0 */
    IP6_HDR(12, 17, 64),
    UDP_HDR(53, 55555, 12), 'd', 'n', 's', '!',
};

/* Built by hand from 3GPP TS 29.281 section 7.2.1: Echo Request (type 1) with
 * S set and sequence 1 on UDP 2152: stays plain UDP. */
static const uint8_t fx_gtpu_echo[] = {
    ETH_MACS, ET_IPV4,
    IP4_HDR(40, 10, 0, 64, 17, IP4_A, IP4_B),
    GTP_PORTS, 0x00, 20, 0, 0,
    0x32, 0x01, 0x00, 0x04, 0, 0, 0, 0, 0x00, 0x01, 0x00, 0x00,
};

/* Built by hand: GTP-U carrying an IPv4 UDP 2152 packet that itself holds a
 * G-PDU (IPv4 UDP 9 -> 9 inside): only the first level is decapsulated. */
static const uint8_t fx_gtpu_in_gtpu[] = {
    ETH_MACS, ET_IPV4,
    IP4_HDR(100, 11, 0, 64, 17, IP4_A, IP4_B),
    GTP_PORTS, 0x00, 80, 0, 0,
    0x30, 0xff, 0x00, 64, 0, 0, 0, 1,
    IP4_HDR(64, 12, 0, 64, 17, IP4_C, IP4_A),
    GTP_PORTS, 0x00, 44, 0, 0,
    0x30, 0xff, 0x00, 28, 0, 0, 0, 2,
    IP4_HDR(28, 13, 0, 64, 17, 10, 0, 0, 1, 10, 0, 0, 2),
    UDP_HDR(9, 9, 8),
};

/* Built by hand: a 28-byte IPv4 ICMP echo reply padded to the 60-byte
 * Ethernet minimum (IEEE 802.3 clause 4.2.3.3) with 18 zero bytes. */
static const uint8_t fx_eth_padding[] = {
    ETH_MACS, ET_IPV4,
    IP4_HDR(28, 14, 0, 64, 1, IP4_B, IP4_A),
    0x00, 0x00, 0, 0, 0x00, 0x07, 0x00, 0x02,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* Built by hand: IPv4 total length 0 as TCP segmentation offload leaves it
 * (ott-other/ndpi__line.pcap frame 275 shows the same), TCP ACK, 4 bytes. */
static const uint8_t fx_tso[] = {
    ETH_MACS, ET_IPV4,
    IP4_HDR(0, 15, 0x4000, 128, 6, IP4_A, IP4_B),
    0xe1, 0xf1, 0x01, 0xbb, 0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x10, 0x10, 0x00, 0, 0, 0, 0,
    'd', 'a', 't', 'a',
};

/* Built by hand from RFC 826: an ARP request (EtherType 0x0806), not IP. */
static const uint8_t fx_arp[] = {
    ETH_MACS, 0x08, 0x06,
    0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01, 0x02, 0, 0, 0, 0, 0x01, IP4_A,
    0, 0, 0, 0, 0, 0, IP4_B,
};

/* Built by hand: an IEEE 802.3 frame (length 7 < 0x0600) with an STP LLC
 * header (DSAP/SSAP 0x42, UI): not IP. */
static const uint8_t fx_8023[] = {
    ETH_MACS, 0x00, 0x07, 0x42, 0x42, 0x03, 0, 0, 0, 0,
};

/* ---- hostile fixtures ------------------------------------------------- */

/* Built by hand: IPv4 with IHL 4 (RFC 791: minimum 5). */
static const uint8_t hx_ihl_small[] = {
    ETH_MACS, ET_IPV4,
    0x44, 0x00, 0x00, 28, 0, 0, 0, 0, 64, 17, 0, 0, IP4_A, IP4_B,
    UDP_HDR(1, 2, 8),
};

/* Built by hand: IHL 15 (60-byte header) but the capture stops 10 bytes
 * after the fixed header. */
static const uint8_t hx_ihl_beyond_caplen[] = {
    ETH_MACS, ET_IPV4,
    0x4f, 0x00, 0x00, 68, 0, 0, 0, 0, 64, 17, 0, 0, IP4_A, IP4_B,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* Built by hand: total length 16 is shorter than the 20-byte header. */
static const uint8_t hx_total_lt_ihl[] = {
    ETH_MACS, ET_IPV4,
    IP4_HDR(16, 0, 0, 64, 17, IP4_A, IP4_B),
    UDP_HDR(1, 2, 8),
};

/* Built by hand: TCP data offset 4 (RFC 9293: minimum 5). */
static const uint8_t hx_tcp_doff_small[] = {
    ETH_MACS, ET_IPV4,
    IP4_HDR(40, 0, 0, 64, 6, IP4_A, IP4_B),
    0x04, 0xd2, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, 0x40, 0x02, 0x10, 0x00, 0, 0, 0, 0,
};

/* Built by hand: TCP data offset 15 (60 bytes) but IP carries only 20. */
static const uint8_t hx_tcp_doff_beyond_ip[] = {
    ETH_MACS, ET_IPV4,
    IP4_HDR(40, 0, 0, 64, 6, IP4_A, IP4_B),
    0x04, 0xd2, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, 0xf0, 0x02, 0x10, 0x00, 0, 0, 0, 0,
};

/* Built by hand: TCP data offset 15 within an IP length of 80, but the
 * capture (snaplen) ends 10 bytes into the options. */
static const uint8_t hx_tcp_opts_cut[] = {
    ETH_MACS, ET_IPV4,
    IP4_HDR(80, 0, 0, 64, 6, IP4_A, IP4_B),
    0x04, 0xd2, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, 0xf0, 0x02, 0x10, 0x00, 0, 0, 0, 0,
    0x02, 0x04, 0x05, 0xb4, 0x01, 0x01, 0x04, 0x02, 0x01, 0x01,
};

/* Built by hand: nine destination-options headers (one more than
 * DECODE_MAX_IPV6_EXT), then UDP. */
static const uint8_t hx_ipv6_ext_limit[] = {
    ETH_MACS, ET_IPV6,
    IP6_HDR(80, 60, 64),
    60, 0, 1, 4, 0, 0, 0, 0, 60, 0, 1, 4, 0, 0, 0, 0, 60, 0, 1, 4, 0, 0, 0, 0,
    60, 0, 1, 4, 0, 0, 0, 0, 60, 0, 1, 4, 0, 0, 0, 0, 60, 0, 1, 4, 0, 0, 0, 0,
    60, 0, 1, 4, 0, 0, 0, 0, 60, 0, 1, 4, 0, 0, 0, 0, 17, 0, 1, 4, 0, 0, 0, 0,
    UDP_HDR(1, 2, 8),
};

/* Built by hand: hop-by-hop header claiming 16 bytes where the IPv6 payload
 * length claims 8, with the bytes present: contradictory, not truncated. */
static const uint8_t hx_ipv6_ext_past_plen[] = {
    ETH_MACS, ET_IPV6,
    IP6_HDR(8, 0, 64),
    17, 1, 1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* Built by hand: nine MPLS labels, none with the bottom-of-stack bit. */
static const uint8_t hx_mpls_no_bos[] = {
    ETH_MACS, 0x88, 0x47,
    0, 1, 0, 64, 0, 1, 0, 64, 0, 1, 0, 64, 0, 1, 0, 64, 0, 1, 0, 64,
    0, 1, 0, 64, 0, 1, 0, 64, 0, 1, 0, 64, 0, 1, 0, 64,
    IP4_HDR(20, 0, 0, 64, 59, IP4_A, IP4_B),
};

/* Built by hand: three MPLS labels without bottom of stack, then the capture
 * ends. */
static const uint8_t hx_mpls_cut[] = {
    ETH_MACS, 0x88, 0x48, 0, 1, 0, 64, 0, 1, 0, 64, 0, 1, 0, 64,
};

/* Built by hand: an MPLS stack whose payload is neither IP nor an Ethernet
 * pseudowire: the associated channel header of RFC 4385 section 3 / RFC
 * 5586 (first nibble 1, PW OAM). */
static const uint8_t hx_mpls_pw[] = {
    ETH_MACS, 0x88, 0x47, 0, 1, 1, 64, 0x10, 0, 0, 0x21, ETH_MACS, ET_IPV4,
};

#define VLAN_TAG 0x81, 0x00, 0x00, 0x0a
/* Built by hand: 20 nested 802.1Q tags before IPv4. */
static const uint8_t hx_vlan20[] = {
    ETH_MACS, VLAN_TAG, VLAN_TAG, VLAN_TAG, VLAN_TAG, VLAN_TAG, VLAN_TAG, VLAN_TAG,
    VLAN_TAG, VLAN_TAG, VLAN_TAG, VLAN_TAG, VLAN_TAG, VLAN_TAG, VLAN_TAG, VLAN_TAG,
    VLAN_TAG, VLAN_TAG, VLAN_TAG, VLAN_TAG, 0x81, 0x00, 0x00, 0x0a, ET_IPV4,
    IP4_HDR(20, 0, 0, 64, 59, IP4_A, IP4_B),
};

/* Built by hand: a G-PDU whose first extension header has length 0 (TS
 * 29.281 section 5.2.1 requires >= 1; a walker that trusts it never moves). */
static const uint8_t hx_gtp_ext_len0[] = {
    ETH_MACS, ET_IPV4,
    IP4_HDR(68, 0, 0, 64, 17, IP4_A, IP4_B),
    GTP_PORTS, 0x00, 48, 0, 0,
    0x34, 0xff, 0x00, 32, 0, 0, 0, 5, 0, 0, 0, 0x85,
    0x00, 0x00, 0x09, 0x85,
    IP4_HDR(20, 0, 0, 64, 59, IP4_A, IP4_B),
    0, 0, 0, 0,
};

#define GTP_EXT_85 0x01, 0x00, 0x09, 0x85
/* Built by hand: a G-PDU with nine chained extension headers (one more than
 * GTPU_MAX_EXT), each pointing at another. */
static const uint8_t hx_gtp_ext_chain[] = {
    ETH_MACS, ET_IPV4,
    IP4_HDR(96, 0, 0, 64, 17, IP4_A, IP4_B),
    GTP_PORTS, 0x00, 76, 0, 0,
    0x34, 0xff, 0x00, 60, 0, 0, 0, 6, 0, 0, 0, 0x85,
    GTP_EXT_85, GTP_EXT_85, GTP_EXT_85, GTP_EXT_85, GTP_EXT_85, GTP_EXT_85,
    GTP_EXT_85, GTP_EXT_85, 0x01, 0x00, 0x09, 0x00,
    IP4_HDR(20, 0, 0, 64, 59, IP4_A, IP4_B),
};

/* Built by hand: version 2 in the GTP flags on UDP 2152. */
static const uint8_t hx_gtp_v2[] = {
    ETH_MACS, ET_IPV4,
    IP4_HDR(56, 0, 0, 64, 17, IP4_A, IP4_B),
    GTP_PORTS, 0x00, 36, 0, 0,
    0x50, 0xff, 0x00, 20, 0, 0, 0, 1,
    IP4_HDR(20, 0, 0, 64, 59, IP4_A, IP4_B),
};

/* Built by hand: a G-PDU whose T-PDU starts with nibble 0 (not IP). */
static const uint8_t hx_gtp_not_ip[] = {
    ETH_MACS, ET_IPV4,
    IP4_HDR(40, 0, 0, 64, 17, IP4_A, IP4_B),
    GTP_PORTS, 0x00, 20, 0, 0,
    0x30, 0xff, 0x00, 4, 0, 0, 0, 1, 0x00, 0x01, 0x02, 0x03,
};

/* Built by hand: GTP length 200 where the UDP payload is 28 bytes. */
static const uint8_t hx_gtp_len_big[] = {
    ETH_MACS, ET_IPV4,
    IP4_HDR(56, 0, 0, 64, 17, IP4_A, IP4_B),
    GTP_PORTS, 0x00, 36, 0, 0,
    0x30, 0xff, 0x00, 200, 0, 0, 0, 1,
    IP4_HDR(20, 0, 0, 64, 59, IP4_A, IP4_B),
};

/* Built by hand: UDP length 4 (RFC 768: at least the 8-byte header). */
static const uint8_t hx_udp_len_small[] = {
    ETH_MACS, ET_IPV4,
    IP4_HDR(28, 0, 0, 64, 17, IP4_A, IP4_B),
    UDP_HDR(1, 2, 4),
};

/* Built by hand: EtherType IPv4 but the header's version nibble is 6. */
static const uint8_t hx_version_mismatch[] = {
    ETH_MACS, ET_IPV4,
    IP6_HDR(0, 59, 64),
};

/* Built by hand: a RAW frame whose first nibble is 5. */
static const uint8_t hx_raw_v5[] = {
    0x55, 0, 0, 20, 0, 0, 0, 0, 64, 59, 0, 0, IP4_A, IP4_B,
};

/* Built by hand: ping of death: offset 8189 blocks (65512 bytes) plus 40
 * bytes of data ends past the 65535-byte IPv4 maximum. */
static const uint8_t hx_ping_of_death[] = {
    ETH_MACS, ET_IPV4,
    IP4_HDR(60, 0x0bad, 0x1ffd, 64, 1, IP4_A, IP4_B),
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* Built by hand: PPPoE session carrying LCP (PPP protocol 0xc021). */
static const uint8_t hx_pppoe_lcp[] = {
    ETH_MACS, 0x88, 0x64, 0x11, 0x00, 0x00, 0x01, 0x00, 0x06, 0xc0, 0x21,
    0x09, 0x01, 0x00, 0x04,
};

/* Built by hand: LINKTYPE_NULL with family 7 (not INET/INET6). */
static const uint8_t hx_null_family7[] = {
    7, 0, 0, 0, IP4_HDR(20, 0, 0, 64, 59, IP4_A, IP4_B),
};

/* Built by hand: LINKTYPE_LOOP with family 2 in little-endian order (LOOP is
 * always network order, so this is family 0x02000000). */
static const uint8_t hx_loop_le[] = {
    2, 0, 0, 0, IP4_HDR(20, 0, 0, 64, 59, IP4_A, IP4_B),
};

/* ---- serial, NFLOG and 802.11 link types ------------------------------ */

/* The IP packets they carry: fx_raw_udp's IPv4 UDP 4000 -> 4001 (30 octets)
 * and fx_null_ipv6's IPv6 UDP 5353 -> 5353 (48 octets). */
#define RAW_UDP4 IP4_HDR(30, 4, 0, 32, 17, IP4_A, IP4_B), UDP_HDR(4000, 4001, 10), 'h', 'i'
#define RAW_UDP6 IP6_HDR(8, 17, 1), UDP_HDR(5353, 5353, 8)
#define WLAN_MACS                                                                  \
    0x02, 0, 0, 0, 0, 0x0a, 0x02, 0, 0, 0, 0, 0x0b, 0x02, 0, 0, 0, 0, 0x0c
#define LLC_SNAP(oui3, et) 0xaa, 0xaa, 0x03, 0x00, 0x00, (oui3), et

/* Built by hand from RFC 1662 section 3.1: address 0xff, control 0x03, PPP
 * protocol 0x0021 (IPv4, RFC 1332). */
static const uint8_t fx_ppp_hdlc_udp[] = {0xff, 0x03, 0x00, 0x21, RAW_UDP4};
/* RFC 1661 sections 6.5 and 6.6: address and control dropped, the protocol
 * compressed to its odd low octet 0x21. */
static const uint8_t fx_ppp_pfc_udp[] = {0x21, RAW_UDP4};
/* PPP protocol 0x0281 (MPLS unicast, RFC 3032 section 4.3), one label (16,
 * S = 1, TTL 64), IPv4 by its version nibble. */
static const uint8_t fx_ppp_mpls[] = {0xff, 0x03, 0x02, 0x81, 0x00, 0x01, 0x01, 0x40, RAW_UDP4};
/* Cisco HDLC (RFC 1547 section 4.3.1): unicast address 0x0f, control 0,
 * EtherType IPv6. */
static const uint8_t fx_chdlc_ipv6[] = {0x0f, 0x00, ET_IPV6, RAW_UDP6};
/* LINKTYPE_PPP_HDLC holding Cisco HDLC: broadcast address 0x8f, IPv4. */
static const uint8_t fx_ppp_hdlc_cisco[] = {0x8f, 0x00, ET_IPV4, RAW_UDP4};
/* LINKTYPE_PPP_PPPD: direction 1 (sent) in place of the address, control,
 * protocol 0x0057 (IPv6, RFC 5072). */
static const uint8_t fx_pppd_ipv6[] = {0x01, 0x03, 0x00, 0x57, RAW_UDP6};
/* LINKTYPE_PPP_WITH_DIR: direction 1, then PPP with address and control. */
static const uint8_t fx_ppp_dir[] = {0x01, 0xff, 0x03, 0x00, 0x21, RAW_UDP4};
/* LINKTYPE_C_HDLC_WITH_DIR: direction 0, then Cisco HDLC. */
static const uint8_t fx_chdlc_dir[] = {0x00, 0x0f, 0x00, ET_IPV4, RAW_UDP4};
/* LINKTYPE_PPP_ETHER: the PPPoE session header of RFC 2516 section 4
 * (session 1, length 32 = protocol field + 30), PPP protocol IPv4. */
static const uint8_t fx_ppp_ether[] = {0x11, 0x00, 0x00, 0x01, 0x00, 0x20, 0x00, 0x21, RAW_UDP4};

/* LINKTYPE_NFLOG from a little-endian host: AF_INET, version 0, group 5;
 * TLVs (length, type) little-endian: NFULA_PACKET_HDR (type 1: hw_protocol
 * 0x0800, hook 3, pad), NFULA_PREFIX (type 10, "DROP\0", 9 octets padded to
 * 12), NFULA_PAYLOAD (type 9, length 4 + 30) and 2 octets of padding. */
static const uint8_t fx_nflog_le[] = {
    0x02, 0x00, 0x00, 0x05,
    0x08, 0x00, 0x01, 0x00, 0x08, 0x00, 0x03, 0x00,
    0x09, 0x00, 0x0a, 0x00, 'D', 'R', 'O', 'P', 0, 0, 0, 0,
    0x22, 0x00, 0x09, 0x00, RAW_UDP4, 0, 0,
};
/* The same from a big-endian host: AF_INET6, group 1, NFULA_PACKET_HDR
 * (hw_protocol 0x86dd), then NFULA_PAYLOAD (length 4 + 48). */
static const uint8_t fx_nflog_be_ipv6[] = {
    0x0a, 0x00, 0x00, 0x01,
    0x00, 0x08, 0x00, 0x01, 0x86, 0xdd, 0x01, 0x00,
    0x00, 0x34, 0x00, 0x09, RAW_UDP6,
};

/* IEEE 802.11-2020 section 9.3.2.1: a Data frame (type 2, subtype 0) From
 * DS, duration 0, three addresses, sequence number 1 fragment 0, then
 * LLC/SNAP (RFC 1042) with EtherType IPv4. */
#define WLAN_DATA_FROMDS 0x08, 0x02, 0x00, 0x00, WLAN_MACS, 0x10, 0x00
static const uint8_t fx_wlan_udp[] = {WLAN_DATA_FROMDS, LLC_SNAP(0x00, ET_IPV4), RAW_UDP4};
/* Radiotap (version 0, length 18, present TSFT | Flags | Rate), TSFT, Flags
 * 0x10 (an FCS at the end), rate 6 Mb/s; a QoS Data frame To DS (subtype 8,
 * QoS Control 0); the IPv4 packet; the 4-octet FCS. */
static const uint8_t fx_radiotap_qos_fcs[] = {
    0x00, 0x00, 0x12, 0x00, 0x07, 0x00, 0x00, 0x00,
    1, 2, 3, 4, 5, 6, 7, 8, 0x10, 0x0c,
    0x88, 0x01, 0x00, 0x00, WLAN_MACS, 0x20, 0x00, 0x00, 0x00,
    LLC_SNAP(0x00, ET_IPV4), RAW_UDP4,
    0xde, 0xad, 0xbe, 0xef,
};
/* Radiotap with a second present word (bit 31 of the first), Flags 0x20
 * (the 802.11 header padded to 32 bits) and one octet to the header's
 * length 14; a four-address Data frame (To DS and From DS: 30 octets, padded
 * to 32); LLC/SNAP with the IEEE 802.1H OUI 00-00-F8 and EtherType IPv6. */
static const uint8_t fx_radiotap_pad_wds_v6[] = {
    0x00, 0x00, 0x0e, 0x00, 0x02, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x20, 0x00,
    0x08, 0x03, 0x00, 0x00, WLAN_MACS, 0x30, 0x00, 0x02, 0, 0, 0, 0, 0x0d, 0x00, 0x00,
    LLC_SNAP(0xf8, ET_IPV6), RAW_UDP6,
};
/* PPI (version 0, flags 0, length 8, DLT 105), then fx_wlan_udp's frame. */
static const uint8_t fx_ppi_wlan[] = {
    0x00, 0x00, 0x08, 0x00, 0x69, 0x00, 0x00, 0x00,
    WLAN_DATA_FROMDS, LLC_SNAP(0x00, ET_IPV4), RAW_UDP4,
};
/* An A-MSDU (IEEE 802.11-2020 section 9.3.2.2): a QoS Data frame From DS
 * whose QoS Control has bit 7 set; the first subframe (DA, SA, length 38 big-
 * endian, then LLC/SNAP and the IPv4 packet), then the start of a second. */
static const uint8_t fx_wlan_amsdu[] = {
    0x88, 0x02, 0x00, 0x00, WLAN_MACS, 0x40, 0x00, 0x80, 0x00,
    0x02, 0, 0, 0, 0, 0x0a, 0x02, 0, 0, 0, 0, 0x0c, 0x00, 0x26,
    LLC_SNAP(0x00, ET_IPV4), RAW_UDP4,
    0x02, 0, 0, 0, 0, 0x0a, 0x02, 0, 0, 0, 0, 0x0c, 0x00, 0x26, 0xaa, 0xaa,
};

/* Tags before the frame's own EtherType.  Provider backbone bridging (IEEE
 * 802.1ah): B-TAG VID 100, the I-TAG (I-SID 0x012345), the customer's MACs,
 * its C-TAG VID 7, IPv4.  IEEE 802.1BR E-TAG (6 octets) and Cisco VN-Tag
 * (4 octets) before IPv4.  tshark 4.0 decodes all three the same way. */
static const uint8_t fx_pbb[] = {
    ETH_MACS, 0x88, 0xa8, 0x00, 0x64, 0x88, 0xe7, 0x00, 0x01, 0x23, 0x45,
    0x02, 0, 0, 0, 0, 0x0a, 0x02, 0, 0, 0, 0, 0x0b, 0x81, 0x00, 0x00, 0x07, ET_IPV4, RAW_UDP4,
};
static const uint8_t fx_etag[] = {ETH_MACS, 0x89, 0x3f, 0, 0x05, 0, 0, 0, 0, ET_IPV4, RAW_UDP4};
static const uint8_t fx_vntag[] = {ETH_MACS, 0x89, 0x26, 0x80, 0x05, 0x00, 0x01, ET_IPV4,
                                   RAW_UDP4};

/* Network Service Header (RFC 8300 section 2, EtherType 0x894f): MD Type 1
 * (Length 6 words: base, service path, 16 octets of context), SPI 42, SI
 * 255, Next Protocol 1 (IPv4); MD Type 2 (Length 2) with Next Protocol 3
 * (an Ethernet frame) and then 4 (another NSH) before IPv4.  tshark 4.0
 * decodes the first two alike.  Not decoded: the O bit (OAM), version 1, a
 * Length below 2 words, an unassigned Next Protocol. */
#define NSH_MD1(np) 0x0f, 0xc6, 0x01, (np), 0x00, 0x00, 0x2a, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, \
                    0, 0, 0, 0, 0, 0, 0, 0
#define NSH_MD2(b0, len, np) (b0), (0xc0 | (len)), 0x02, (np), 0x00, 0x00, 0x2a, 0xfe
static const uint8_t fx_nsh_md1[] = {ETH_MACS, 0x89, 0x4f, NSH_MD1(1), RAW_UDP4};
static const uint8_t fx_nsh_eth[] = {ETH_MACS, 0x89, 0x4f, NSH_MD2(0x0f, 2, 3), ETH_MACS, ET_IPV4,
                                     RAW_UDP4};
static const uint8_t fx_nsh_nsh[] = {ETH_MACS, 0x89, 0x4f, NSH_MD2(0x0f, 2, 4),
                                     NSH_MD2(0x0f, 2, 1), RAW_UDP4};
static const uint8_t hx_nsh_oam[] = {ETH_MACS, 0x89, 0x4f, NSH_MD2(0x2f, 2, 1), RAW_UDP4};
static const uint8_t hx_nsh_ver1[] = {ETH_MACS, 0x89, 0x4f, NSH_MD2(0x4f, 2, 1), RAW_UDP4};
static const uint8_t hx_nsh_len1[] = {ETH_MACS, 0x89, 0x4f, NSH_MD2(0x0f, 1, 1), RAW_UDP4};
static const uint8_t hx_nsh_np[] = {ETH_MACS, 0x89, 0x4f, NSH_MD2(0x0f, 2, 0x42), RAW_UDP4};

/* Juniper routers' captures: "MGC", flags, then per flags and link type
 * (capture/link.c juniper()).  Bit 7: extension TLVs (total length 4, one
 * interface-index TLV); bit 1: no layer-2 header, a little-endian Junos
 * protocol number (6 IPv6, 5 MPLS).  tshark 4.0 decodes the same frames
 * the same way. */
#define JUN_HDR(flags) 'M', 'G', 'C', (flags)
static const uint8_t fx_juniper_ether[] = {JUN_HDR(0x01), ETH_MACS, ET_IPV4, RAW_UDP4};
static const uint8_t fx_juniper_ext[] = {JUN_HDR(0x81), 0x00, 0x04, 0x01, 0x02, 0x00, 0x05,
                                         ETH_MACS, ET_IPV4, RAW_UDP4};
static const uint8_t fx_juniper_nol2_ip6[] = {JUN_HDR(0x03), 0x06, 0, 0, 0, RAW_UDP6};
static const uint8_t fx_juniper_mpls[] = {JUN_HDR(0x02), 0x05, 0, 0, 0, 0x00, 0x01, 0x01, 0x40,
                                          RAW_UDP4};
static const uint8_t fx_juniper_ppp[] = {JUN_HDR(0x01), 0xff, 0x03, 0x00, 0x21, RAW_UDP4};
static const uint8_t fx_juniper_chdlc[] = {JUN_HDR(0x01), 0x0f, 0x00, ET_IPV4, RAW_UDP4};
/* Another magic; a protocol number written big-endian (not Junos's). */
static const uint8_t hx_juniper_magic[] = {'M', 'G', 'D', 0x01, ETH_MACS, ET_IPV4, RAW_UDP4};
static const uint8_t hx_juniper_proto_be[] = {JUN_HDR(0x03), 0, 0, 0, 0x02, RAW_UDP4};

/* Endace ERF records (LINKTYPE_ERF): the 16-octet header (timestamp,
 * type, flags, rlen, lctr, wlen; Wireshark's wiretap/erf.h), then per type.
 * ETH (2): 2 octets of offset and pad, then fx_eth_tcp's Ethernet frame. */
#define ERF_HDR(type, flags) 1, 2, 3, 4, 0xb6, 0x17, 0xe2, 0x65, (type), (flags), 0, 80, 0, 0, 0, 60
static const uint8_t fx_erf_eth[] = {
    ERF_HDR(2, 0x04), 0, 0, ETH_MACS, ET_IPV4,
    IP4_HDR(44, 0x1234, 0x4000, 64, 6, IP4_A, IP4_B),
    0xc0, 0x01, 0x01, 0xbb, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0,
    'a', 'b', 'c', 'd',
};
/* IPV6 (23) with one extension header (type bit 7; the extension header's
 * bit 7 clear: the last). */
static const uint8_t fx_erf_ext_ipv6[] = {ERF_HDR(0x80 | 23, 0x04), 0x05, 0, 0, 0, 0, 0, 0, 1,
                                          RAW_UDP6};
/* HDLC_POS (1) holding PPP, and MC_HDLC (5) holding Cisco HDLC behind its
 * 4-octet multichannel header. */
static const uint8_t fx_erf_pos_ppp[] = {ERF_HDR(1, 0x04), 0xff, 0x03, 0x00, 0x21, RAW_UDP4};
static const uint8_t fx_erf_mc_hdlc[] = {ERF_HDR(5, 0x04), 0, 0, 0, 7, 0x0f, 0x00, ET_IPV4,
                                         RAW_UDP4};
/* Not decoded: a receive error (flags bit 4); an ATM cell record (3); 17
 * extension headers, each saying another follows. */
static const uint8_t hx_erf_rxerr[] = {ERF_HDR(2, 0x14), 0, 0, ETH_MACS, ET_IPV4, RAW_UDP4};
static const uint8_t hx_erf_atm[] = {ERF_HDR(3, 0x04), 0, 0, 0, 0, RAW_UDP4};
#define ERF_EXT_MORE 0x80, 0, 0, 0, 0, 0, 0, 0
static const uint8_t hx_erf_ext_chain[] = {
    ERF_HDR(0x80 | 22, 0x04), ERF_EXT_MORE, ERF_EXT_MORE, ERF_EXT_MORE, ERF_EXT_MORE,
    ERF_EXT_MORE, ERF_EXT_MORE, ERF_EXT_MORE, ERF_EXT_MORE, ERF_EXT_MORE, ERF_EXT_MORE,
    ERF_EXT_MORE, ERF_EXT_MORE, ERF_EXT_MORE, ERF_EXT_MORE, ERF_EXT_MORE, ERF_EXT_MORE,
    ERF_EXT_MORE, RAW_UDP4,
};

/* Hostile or not IP: an 802.11 frame with Protected Frame set (its body is
 * encrypted), a Beacon (management), a Null function (no body), the second
 * fragment of an MSDU, an LLC that is not SNAP. */
static const uint8_t hx_wlan_protected[] = {0x08, 0x42, 0x00, 0x00, WLAN_MACS, 0x10, 0x00,
                                            1, 2, 3, 4, 5, 6, 7, 8, RAW_UDP4};
static const uint8_t hx_wlan_beacon[] = {0x80, 0x00, 0x00, 0x00, WLAN_MACS, 0x10, 0x00,
                                         LLC_SNAP(0x00, ET_IPV4), RAW_UDP4};
static const uint8_t hx_wlan_null[] = {0x48, 0x01, 0x00, 0x00, WLAN_MACS, 0x10, 0x00};
static const uint8_t hx_wlan_frag2[] = {0x08, 0x02, 0x00, 0x00, WLAN_MACS, 0x11, 0x00,
                                        LLC_SNAP(0x00, ET_IPV4), RAW_UDP4};
static const uint8_t hx_wlan_not_snap[] = {WLAN_DATA_FROMDS, 0xe0, 0xe0, 0x03, 0, 0, 0,
                                           ET_IPV4, RAW_UDP4};
/* Radiotap: Flags 0x40 (failed FCS check); a present word whose bit 31
 * asks for a word the header's length has no room for; version 1. */
static const uint8_t hx_radiotap_badfcs[] = {0x00, 0x00, 0x09, 0x00, 0x02, 0x00, 0x00, 0x00,
                                             0x40, WLAN_DATA_FROMDS, LLC_SNAP(0x00, ET_IPV4),
                                             RAW_UDP4};
static const uint8_t hx_radiotap_ext[] = {0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x80,
                                          WLAN_DATA_FROMDS, LLC_SNAP(0x00, ET_IPV4), RAW_UDP4};
static const uint8_t hx_radiotap_v1[] = {0x01, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00,
                                         WLAN_DATA_FROMDS, LLC_SNAP(0x00, ET_IPV4), RAW_UDP4};
/* PPI naming PPI as what follows. */
static const uint8_t hx_ppi_ppi[] = {0x00, 0x00, 0x08, 0x00, 0xc0, 0x00, 0x00, 0x00,
                                     0x00, 0x00, 0x08, 0x00, 0x69, 0x00, 0x00, 0x00};
/* NFLOG: family 7 (NFPROTO_BRIDGE); a TLV shorter than its header; a first
 * TLV type that is 0 read either way. */
static const uint8_t hx_nflog_family7[] = {0x07, 0x00, 0x00, 0x00, 0x22, 0x00, 0x09, 0x00,
                                           RAW_UDP4};
static const uint8_t hx_nflog_tlv_short[] = {0x02, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01, 0x00,
                                             0x22, 0x00, 0x09, 0x00, RAW_UDP4};
static const uint8_t hx_nflog_type0[] = {0x02, 0x00, 0x00, 0x00, 0x22, 0x00, 0x00, 0x00,
                                         RAW_UDP4};
/* PPP: LCP (0xc021); a control octet other than 0x03.  Cisco HDLC: SLARP
 * (0x8035); an address other than 0x0f / 0x8f.  PPPD: direction 2. */
static const uint8_t hx_ppp_lcp[] = {0xff, 0x03, 0xc0, 0x21, 0x01, 0x01, 0x00, 0x04};
static const uint8_t hx_ppp_bad_ctrl[] = {0xff, 0x05, 0x00, 0x21, RAW_UDP4};
static const uint8_t hx_chdlc_slarp[] = {0x8f, 0x00, 0x80, 0x35, 0, 0, 0, 2, 0, 0, 0, 1,
                                         0, 0, 0, 0, 0xff, 0xff};
static const uint8_t hx_chdlc_bad_addr[] = {0x0e, 0x00, ET_IPV4, RAW_UDP4};
static const uint8_t hx_pppd_dir2[] = {0x02, 0x03, 0x00, 0x21, RAW_UDP4};

/* ---- the fixture table ------------------------------------------------ */

struct fixture {
    const char *name;
    int linktype;
    const uint8_t *bytes;
    size_t len;
    enum parse_rc rc; /* result for the whole frame */
    size_t ip_end;    /* shortest prefix with the outer IP header (and IPv6 chain) */
    size_t l4_end;    /* shortest prefix with the outer transport header; 0 = never */
    size_t l3_off;    /* outer IP header offset */
    size_t tun_end;   /* shortest prefix that decapsulates GTP-U; 0 = never */
    size_t tl4_end;   /* shortest prefix with the inner transport header */
    size_t tl3_off;   /* inner IP header offset */
};

#define FX(b) (b), sizeof(b)
static const struct fixture fixtures[] = {
    {"eth_tcp", LINK_EN10MB, FX(fx_eth_tcp), PARSE_OK, 34, 54, 14, 0, 0, 0},
    {"vlan_udp", LINK_EN10MB, FX(fx_vlan_udp), PARSE_OK, 38, 46, 18, 0, 0, 0},
    {"qinq_ipv6", LINK_EN10MB, FX(fx_qinq_ipv6), PARSE_OK, 62, 70, 22, 0, 0, 0},
    {"mpls_icmp", LINK_EN10MB, FX(fx_mpls_icmp), PARSE_OK, 42, 50, 22, 0, 0, 0},
    {"mpls_pw_cw", LINK_EN10MB, FX(fx_mpls_pw_cw), PARSE_OK, 60, 68, 40, 0, 0, 0},
    {"mpls_pw_nocw", LINK_EN10MB, FX(fx_mpls_pw_nocw), PARSE_OK, 52, 60, 32, 0, 0, 0},
    {"pppoe_icmp6", LINK_EN10MB, FX(fx_pppoe_icmp6), PARSE_OK, 62, 66, 22, 0, 0, 0},
    {"sll_sctp", LINK_LINUX_SLL, FX(fx_sll_sctp), PARSE_OK, 36, 48, 16, 0, 0, 0},
    {"sll2_tcp6", LINK_LINUX_SLL2, FX(fx_sll2_tcp6), PARSE_OK, 60, 80, 20, 0, 0, 0},
    {"raw_udp", LINK_RAW, FX(fx_raw_udp), PARSE_OK, 20, 28, 0, 0, 0, 0},
    {"raw12_udp", LINK_RAW_DLT12, FX(fx_raw_udp), PARSE_OK, 20, 28, 0, 0, 0, 0},
    {"raw14_udp", LINK_RAW_DLT14, FX(fx_raw_udp), PARSE_OK, 20, 28, 0, 0, 0, 0},
    {"ipv4_udp", LINK_IPV4, FX(fx_raw_udp), PARSE_OK, 20, 28, 0, 0, 0, 0},
    {"ipv6_udp", LINK_IPV6, fx_null_ipv6 + 4, sizeof fx_null_ipv6 - 4, PARSE_OK, 40, 48, 0,
     0, 0, 0},
    {"raw_ipv6", LINK_RAW, fx_null_ipv6 + 4, sizeof fx_null_ipv6 - 4, PARSE_OK, 40, 48, 0, 0,
     0, 0},
    {"null_ipv6", LINK_NULL, FX(fx_null_ipv6), PARSE_OK, 44, 52, 4, 0, 0, 0},
    {"null_be_ipv4", LINK_NULL, FX(fx_null_be_ipv4), PARSE_OK, 24, 32, 4, 0, 0, 0},
    {"loop_ipv6", LINK_LOOP, FX(fx_loop_ipv6), PARSE_OK, 44, 52, 4, 0, 0, 0},
    {"ipv4_opts", LINK_EN10MB, FX(fx_ipv4_opts), PARSE_OK, 38, 46, 14, 0, 0, 0},
    {"frag_first", LINK_EN10MB, FX(fx_frag_first), PARSE_OK, 34, 42, 14, 0, 0, 0},
    {"frag_later", LINK_EN10MB, FX(fx_frag_later), PARSE_OK, 34, 0, 14, 0, 0, 0},
    {"ipv6_ext", LINK_EN10MB, FX(fx_ipv6_ext), PARSE_OK, 110, 130, 14, 0, 0, 0},
    {"ipv6_frag_later", LINK_EN10MB, FX(fx_ipv6_frag_later), PARSE_OK, 62, 0, 14, 0, 0, 0},
    {"ipv6_nonext", LINK_EN10MB, FX(fx_ipv6_nonext), PARSE_OK, 54, 0, 14, 0, 0, 0},
    {"gtpu", LINK_EN10MB, FX(fx_gtpu), PARSE_OK, 34, 42, 14, 70, 90, 50},
    {"gtpu_ext", LINK_EN10MB, FX(fx_gtpu_ext), PARSE_OK, 34, 42, 14, 98, 106, 58},
    {"gtpu_echo", LINK_EN10MB, FX(fx_gtpu_echo), PARSE_OK, 34, 42, 14, 0, 0, 0},
    {"gtpu_in_gtpu", LINK_EN10MB, FX(fx_gtpu_in_gtpu), PARSE_OK, 34, 42, 14, 70, 78, 50},
    {"eth_padding", LINK_EN10MB, FX(fx_eth_padding), PARSE_OK, 34, 42, 14, 0, 0, 0},
    {"tso", LINK_EN10MB, FX(fx_tso), PARSE_OK, 34, 54, 14, 0, 0, 0},
    {"arp", LINK_EN10MB, FX(fx_arp), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"ieee8023", LINK_EN10MB, FX(fx_8023), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"h_ihl_small", LINK_EN10MB, FX(hx_ihl_small), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"h_ihl_beyond", LINK_EN10MB, FX(hx_ihl_beyond_caplen), PARSE_TRUNCATED, 0, 0, 0, 0, 0, 0},
    {"h_total_lt_ihl", LINK_EN10MB, FX(hx_total_lt_ihl), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"h_doff_small", LINK_EN10MB, FX(hx_tcp_doff_small), PARSE_OK, 34, 0, 14, 0, 0, 0},
    {"h_doff_beyond", LINK_EN10MB, FX(hx_tcp_doff_beyond_ip), PARSE_OK, 34, 0, 14, 0, 0, 0},
    {"h_opts_cut", LINK_EN10MB, FX(hx_tcp_opts_cut), PARSE_OK, 34, 54, 14, 0, 0, 0},
    {"h_v6_ext_limit", LINK_EN10MB, FX(hx_ipv6_ext_limit), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"h_v6_ext_plen", LINK_EN10MB, FX(hx_ipv6_ext_past_plen), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"h_mpls_no_bos", LINK_EN10MB, FX(hx_mpls_no_bos), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"h_mpls_cut", LINK_EN10MB, FX(hx_mpls_cut), PARSE_TRUNCATED, 0, 0, 0, 0, 0, 0},
    {"h_mpls_pw", LINK_EN10MB, FX(hx_mpls_pw), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"h_vlan20", LINK_EN10MB, FX(hx_vlan20), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"h_gtp_ext_len0", LINK_EN10MB, FX(hx_gtp_ext_len0), PARSE_OK, 34, 42, 14, 0, 0, 0},
    {"h_gtp_ext_chain", LINK_EN10MB, FX(hx_gtp_ext_chain), PARSE_OK, 34, 42, 14, 0, 0, 0},
    {"h_gtp_v2", LINK_EN10MB, FX(hx_gtp_v2), PARSE_OK, 34, 42, 14, 0, 0, 0},
    {"h_gtp_not_ip", LINK_EN10MB, FX(hx_gtp_not_ip), PARSE_OK, 34, 42, 14, 0, 0, 0},
    {"h_gtp_len_big", LINK_EN10MB, FX(hx_gtp_len_big), PARSE_OK, 34, 42, 14, 0, 0, 0},
    {"h_udp_len_small", LINK_EN10MB, FX(hx_udp_len_small), PARSE_OK, 34, 0, 14, 0, 0, 0},
    {"h_version", LINK_EN10MB, FX(hx_version_mismatch), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"h_raw_v5", LINK_RAW, FX(hx_raw_v5), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"h_ping_of_death", LINK_EN10MB, FX(hx_ping_of_death), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"h_pppoe_lcp", LINK_EN10MB, FX(hx_pppoe_lcp), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"h_null_family7", LINK_NULL, FX(hx_null_family7), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"h_loop_le", LINK_LOOP, FX(hx_loop_le), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"h_linktype", 147, FX(fx_raw_udp), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"ppp_hdlc_udp", LINK_PPP, FX(fx_ppp_hdlc_udp), PARSE_OK, 24, 32, 4, 0, 0, 0},
    {"ppp_pfc_udp", LINK_PPP, FX(fx_ppp_pfc_udp), PARSE_OK, 21, 29, 1, 0, 0, 0},
    {"ppp_mpls", LINK_PPP_HDLC, FX(fx_ppp_mpls), PARSE_OK, 28, 36, 8, 0, 0, 0},
    {"chdlc_ipv6", LINK_C_HDLC, FX(fx_chdlc_ipv6), PARSE_OK, 44, 52, 4, 0, 0, 0},
    {"ppp_hdlc_cisco", LINK_PPP_HDLC, FX(fx_ppp_hdlc_cisco), PARSE_OK, 24, 32, 4, 0, 0, 0},
    {"pppd_ipv6", LINK_PPP_PPPD, FX(fx_pppd_ipv6), PARSE_OK, 44, 52, 4, 0, 0, 0},
    {"ppp_dir", LINK_PPP_WITH_DIR, FX(fx_ppp_dir), PARSE_OK, 25, 33, 5, 0, 0, 0},
    {"chdlc_dir", LINK_C_HDLC_WITH_DIR, FX(fx_chdlc_dir), PARSE_OK, 25, 33, 5, 0, 0, 0},
    {"ppp_ether", LINK_PPP_ETHER, FX(fx_ppp_ether), PARSE_OK, 28, 36, 8, 0, 0, 0},
    {"nflog_le", LINK_NFLOG, FX(fx_nflog_le), PARSE_OK, 48, 56, 28, 0, 0, 0},
    {"nflog_be_ipv6", LINK_NFLOG, FX(fx_nflog_be_ipv6), PARSE_OK, 56, 64, 16, 0, 0, 0},
    {"wlan_udp", LINK_IEEE802_11, FX(fx_wlan_udp), PARSE_OK, 52, 60, 32, 0, 0, 0},
    {"radiotap_qos_fcs", LINK_IEEE802_11_RADIOTAP, FX(fx_radiotap_qos_fcs), PARSE_OK, 72, 80,
     52, 0, 0, 0},
    {"radiotap_pad_wds_v6", LINK_IEEE802_11_RADIOTAP, FX(fx_radiotap_pad_wds_v6), PARSE_OK, 94,
     102, 54, 0, 0, 0},
    {"ppi_wlan", LINK_PPI, FX(fx_ppi_wlan), PARSE_OK, 60, 68, 40, 0, 0, 0},
    {"wlan_amsdu", LINK_IEEE802_11, FX(fx_wlan_amsdu), PARSE_OK, 68, 76, 48, 0, 0, 0},
    {"h_wlan_protected", LINK_IEEE802_11, FX(hx_wlan_protected), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"h_wlan_beacon", LINK_IEEE802_11, FX(hx_wlan_beacon), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"h_wlan_null", LINK_IEEE802_11, FX(hx_wlan_null), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"h_wlan_frag2", LINK_IEEE802_11, FX(hx_wlan_frag2), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"h_wlan_not_snap", LINK_IEEE802_11, FX(hx_wlan_not_snap), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"h_radiotap_badfcs", LINK_IEEE802_11_RADIOTAP, FX(hx_radiotap_badfcs), PARSE_INVALID, 0, 0,
     0, 0, 0, 0},
    {"h_radiotap_ext", LINK_IEEE802_11_RADIOTAP, FX(hx_radiotap_ext), PARSE_INVALID, 0, 0, 0, 0,
     0, 0},
    {"h_radiotap_v1", LINK_IEEE802_11_RADIOTAP, FX(hx_radiotap_v1), PARSE_INVALID, 0, 0, 0, 0, 0,
     0},
    {"h_ppi_ppi", LINK_PPI, FX(hx_ppi_ppi), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"h_nflog_family7", LINK_NFLOG, FX(hx_nflog_family7), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"h_nflog_tlv_short", LINK_NFLOG, FX(hx_nflog_tlv_short), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"h_nflog_type0", LINK_NFLOG, FX(hx_nflog_type0), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"h_ppp_lcp", LINK_PPP, FX(hx_ppp_lcp), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"h_ppp_bad_ctrl", LINK_PPP, FX(hx_ppp_bad_ctrl), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"h_chdlc_slarp", LINK_C_HDLC, FX(hx_chdlc_slarp), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"h_chdlc_bad_addr", LINK_C_HDLC, FX(hx_chdlc_bad_addr), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"h_pppd_dir2", LINK_PPP_PPPD, FX(hx_pppd_dir2), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"pbb", LINK_EN10MB, FX(fx_pbb), PARSE_OK, 60, 68, 40, 0, 0, 0},
    {"etag", LINK_EN10MB, FX(fx_etag), PARSE_OK, 42, 50, 22, 0, 0, 0},
    {"vntag", LINK_EN10MB, FX(fx_vntag), PARSE_OK, 40, 48, 20, 0, 0, 0},
    {"nsh_md1", LINK_EN10MB, FX(fx_nsh_md1), PARSE_OK, 58, 66, 38, 0, 0, 0},
    {"nsh_eth", LINK_EN10MB, FX(fx_nsh_eth), PARSE_OK, 56, 64, 36, 0, 0, 0},
    {"nsh_nsh", LINK_EN10MB, FX(fx_nsh_nsh), PARSE_OK, 50, 58, 30, 0, 0, 0},
    {"h_nsh_oam", LINK_EN10MB, FX(hx_nsh_oam), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"h_nsh_ver1", LINK_EN10MB, FX(hx_nsh_ver1), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"h_nsh_len1", LINK_EN10MB, FX(hx_nsh_len1), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"h_nsh_np", LINK_EN10MB, FX(hx_nsh_np), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"juniper_ether", LINK_JUNIPER_ETHER, FX(fx_juniper_ether), PARSE_OK, 38, 46, 18, 0, 0, 0},
    {"juniper_ext", LINK_JUNIPER_ETHER, FX(fx_juniper_ext), PARSE_OK, 44, 52, 24, 0, 0, 0},
    {"juniper_nol2_ip6", LINK_JUNIPER_ETHER, FX(fx_juniper_nol2_ip6), PARSE_OK, 48, 56, 8, 0, 0,
     0},
    {"juniper_mpls", LINK_JUNIPER_PPP, FX(fx_juniper_mpls), PARSE_OK, 32, 40, 12, 0, 0, 0},
    {"juniper_ppp", LINK_JUNIPER_PPP, FX(fx_juniper_ppp), PARSE_OK, 28, 36, 8, 0, 0, 0},
    {"juniper_chdlc", LINK_JUNIPER_CHDLC, FX(fx_juniper_chdlc), PARSE_OK, 28, 36, 8, 0, 0, 0},
    {"h_juniper_magic", LINK_JUNIPER_ETHER, FX(hx_juniper_magic), PARSE_INVALID, 0, 0, 0, 0, 0,
     0},
    {"h_juniper_proto_be", LINK_JUNIPER_ETHER, FX(hx_juniper_proto_be), PARSE_INVALID, 0, 0, 0,
     0, 0, 0},
    {"erf_eth", LINK_ERF, FX(fx_erf_eth), PARSE_OK, 52, 72, 32, 0, 0, 0},
    {"erf_ext_ipv6", LINK_ERF, FX(fx_erf_ext_ipv6), PARSE_OK, 64, 72, 24, 0, 0, 0},
    {"erf_pos_ppp", LINK_ERF, FX(fx_erf_pos_ppp), PARSE_OK, 40, 48, 20, 0, 0, 0},
    {"erf_mc_hdlc", LINK_ERF, FX(fx_erf_mc_hdlc), PARSE_OK, 44, 52, 24, 0, 0, 0},
    {"h_erf_rxerr", LINK_ERF, FX(hx_erf_rxerr), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"h_erf_atm", LINK_ERF, FX(hx_erf_atm), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
    {"h_erf_ext_chain", LINK_ERF, FX(hx_erf_ext_chain), PARSE_INVALID, 0, 0, 0, 0, 0, 0},
};
#define N_FIXTURES (sizeof fixtures / sizeof fixtures[0])

/* ---- helpers ---------------------------------------------------------- */

/* A decode of an exactly sized heap copy, so ASan sees any overread; the
 * view borrows buf, so free it only after the checks. */
struct decoded {
    enum parse_rc rc;
    struct pkt_view v;
    uint8_t *buf;
};

static struct decoded decode_copy(int linktype, const uint8_t *bytes, size_t n)
{
    struct decoded d;
    d.buf = malloc(n ? n : 1);
    if (!d.buf) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    if (n)
        memcpy(d.buf, bytes, n);
    d.rc = decode_packet(linktype, d.buf, (uint32_t)n, (uint32_t)n + 4, 1700000000123456u, &d.v);
    return d;
}

static const struct fixture *fixture(const char *name)
{
    for (size_t i = 0; i < N_FIXTURES; i++)
        if (strcmp(fixtures[i].name, name) == 0)
            return &fixtures[i];
    fprintf(stderr, "no fixture %s\n", name);
    exit(2);
}

static struct decoded decode_fixture(const char *name)
{
    const struct fixture *f = fixture(name);
    return decode_copy(f->linktype, f->bytes, f->len);
}

static bool ip4_is(const struct ip_addr *a, uint8_t b0, uint8_t b1, uint8_t b2, uint8_t b3)
{
    static const uint8_t zero[12];
    return a->family == 4 && a->a[0] == b0 && a->a[1] == b1 && a->a[2] == b2 &&
           a->a[3] == b3 && memcmp(a->a + 4, zero, sizeof zero) == 0;
}

static bool ip6_is_doc(const struct ip_addr *a, uint8_t last)
{
    static const uint8_t doc[15] = {0x20, 0x01, 0x0d, 0xb8};
    return a->family == 6 && memcmp(a->a, doc, sizeof doc) == 0 && a->a[15] == last;
}

/* The span lies inside buf[0, n). */
static bool span_inside(struct span s, const uint8_t *buf, size_t n)
{
    if (s.n == 0)
        return true;
    return s.p >= buf && (size_t)(s.p - buf) <= n && s.n <= n - (size_t)(s.p - buf);
}

/* ---- valid cases ------------------------------------------------------ */

TEST(eth_ipv4_tcp)
{
    struct decoded d = decode_fixture("eth_tcp");
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK_EQ_INT(d.v.ts_us, 1700000000123456u);
    CHECK_EQ_INT(d.v.caplen, sizeof fx_eth_tcp);
    CHECK_EQ_INT(d.v.wirelen, sizeof fx_eth_tcp + 4);
    CHECK_EQ_INT(d.v.linktype, LINK_EN10MB);
    CHECK_EQ_INT(d.v.ip_version, 4);
    CHECK(ip4_is(&d.v.src, 192, 0, 2, 1));
    CHECK(ip4_is(&d.v.dst, 198, 51, 100, 2));
    CHECK_EQ_INT(d.v.ttl, 64);
    CHECK_EQ_INT(d.v.l4proto, L4_TCP);
    CHECK(d.v.l3.p == d.buf + 14);
    CHECK_EQ_INT(d.v.l3.n, 44);
    CHECK_EQ_INT(d.v.l3_len, 44);
    CHECK(!d.v.frag);
    CHECK(d.v.has_ports);
    CHECK_EQ_INT(d.v.sport, 49153);
    CHECK_EQ_INT(d.v.dport, 443);
    CHECK_EQ_INT(d.v.tcp_flags, TCPF_SYN);
    CHECK_EQ_INT(d.v.tcp_seq, 1);
    CHECK_EQ_INT(d.v.tcp_ack, 0);
    CHECK(d.v.payload.p == d.buf + 54);
    CHECK_EQ_INT(d.v.payload.n, 4);
    CHECK_EQ_INT(d.v.payload_len, 4);
    CHECK_EQ_INT(d.v.anomalies, 0);
    CHECK(!d.v.tunnel);
    CHECK_EQ_INT(d.v.vlan_outer, 0);
    free(d.buf);
}

TEST(snaplen_keeps_claims)
{
    /* Cut inside the TCP payload: the claims stay, the spans shrink. */
    struct decoded d = decode_copy(LINK_EN10MB, fx_eth_tcp, 56);
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK_EQ_INT(d.v.l3_len, 44);
    CHECK_EQ_INT(d.v.l3.n, 42);
    CHECK_EQ_INT(d.v.payload_len, 4);
    CHECK_EQ_INT(d.v.payload.n, 2);
    CHECK_EQ_INT(d.v.anomalies, 0);
    free(d.buf);
}

TEST(vlan)
{
    struct decoded d = decode_fixture("vlan_udp");
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK_EQ_INT(d.v.vlan_outer, 100);
    CHECK_EQ_INT(d.v.vlan_inner, 0);
    CHECK_EQ_INT(d.v.l4proto, L4_UDP);
    CHECK_EQ_INT(d.v.sport, 5000);
    CHECK_EQ_INT(d.v.dport, 53);
    CHECK_EQ_INT(d.v.payload_len, 4);
    CHECK(d.v.payload.p == d.buf + 46);
    free(d.buf);
}

TEST(qinq_ipv6)
{
    struct decoded d = decode_fixture("qinq_ipv6");
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK_EQ_INT(d.v.vlan_outer, 200);
    CHECK_EQ_INT(d.v.vlan_inner, 300);
    CHECK_EQ_INT(d.v.ip_version, 6);
    CHECK(ip6_is_doc(&d.v.src, 1));
    CHECK(ip6_is_doc(&d.v.dst, 2));
    CHECK_EQ_INT(d.v.ttl, 64);
    CHECK_EQ_INT(d.v.l3_len, 52);
    CHECK(d.v.l3.p == d.buf + 22);
    CHECK_EQ_INT(d.v.sport, 1024);
    CHECK_EQ_INT(d.v.dport, 123);
    CHECK_EQ_INT(d.v.payload.n, 4);
    free(d.buf);
}

TEST(mpls)
{
    struct decoded d = decode_fixture("mpls_icmp");
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK_EQ_INT(d.v.mpls_depth, 2);
    CHECK_EQ_INT(d.v.ip_version, 4);
    CHECK_EQ_INT(d.v.l4proto, L4_ICMP);
    CHECK(d.v.has_icmp);
    CHECK(!d.v.has_ports);
    CHECK_EQ_INT(d.v.icmp_type, 8);
    CHECK_EQ_INT(d.v.icmp_code, 0);
    CHECK_EQ_INT(d.v.payload_len, 4);
    CHECK(d.v.payload.p == d.buf + 50);
    free(d.buf);
}

TEST(pppoe)
{
    struct decoded d = decode_fixture("pppoe_icmp6");
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK(d.v.pppoe);
    CHECK_EQ_INT(d.v.ip_version, 6);
    CHECK_EQ_INT(d.v.ttl, 255);
    CHECK_EQ_INT(d.v.l4proto, L4_ICMPV6);
    CHECK(d.v.has_icmp);
    CHECK_EQ_INT(d.v.icmp_type, 128);
    CHECK_EQ_INT(d.v.payload_len, 4); /* identifier + sequence follow the 4-byte header */
    free(d.buf);
}

TEST(sll_sctp)
{
    struct decoded d = decode_fixture("sll_sctp");
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK_EQ_INT(d.v.linktype, LINK_LINUX_SLL);
    CHECK_EQ_INT(d.v.l4proto, L4_SCTP);
    CHECK(d.v.has_ports);
    CHECK_EQ_INT(d.v.sport, 2905);
    CHECK_EQ_INT(d.v.dport, 2905);
    CHECK_EQ_INT(d.v.payload_len, 16);
    CHECK(d.v.payload.p == d.buf + 48);
    free(d.buf);
}

TEST(sll2_tcp6)
{
    struct decoded d = decode_fixture("sll2_tcp6");
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK_EQ_INT(d.v.ip_version, 6);
    CHECK_EQ_INT(d.v.sport, 443);
    CHECK_EQ_INT(d.v.dport, 54321);
    CHECK_EQ_INT(d.v.tcp_flags, TCPF_FIN | TCPF_ACK);
    CHECK_EQ_INT(d.v.tcp_seq, 9);
    CHECK_EQ_INT(d.v.tcp_ack, 7);
    CHECK_EQ_INT(d.v.payload_len, 0);
    CHECK_EQ_INT(d.v.payload.n, 0);
    free(d.buf);
}

TEST(raw_and_aliases)
{
    static const int types[] = {LINK_RAW, LINK_RAW_DLT12, LINK_RAW_DLT14, LINK_IPV4};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        struct decoded d = decode_copy(types[i], fx_raw_udp, sizeof fx_raw_udp);
        CHECK_EQ_INT(d.rc, PARSE_OK);
        CHECK_EQ_INT(d.v.ttl, 32);
        CHECK_EQ_INT(d.v.sport, 4000);
        CHECK_EQ_INT(d.v.dport, 4001);
        CHECK(d.v.l3.p == d.buf);
        free(d.buf);
    }
    struct decoded d = decode_fixture("ipv6_udp");
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK_EQ_INT(d.v.ip_version, 6);
    free(d.buf);
    /* LINKTYPE_IPV6 insists on IPv6: an IPv4 header is a version mismatch. */
    d = decode_copy(LINK_IPV6, fx_raw_udp, sizeof fx_raw_udp);
    CHECK_EQ_INT(d.rc, PARSE_INVALID);
    CHECK(d.v.anomalies & ANOM_BAD_VERSION);
    free(d.buf);
}

TEST(null_and_loop)
{
    struct decoded d = decode_fixture("null_ipv6");
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK_EQ_INT(d.v.ip_version, 6);
    CHECK_EQ_INT(d.v.sport, 5353);
    free(d.buf);
    d = decode_fixture("null_be_ipv4");
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK_EQ_INT(d.v.ip_version, 4);
    CHECK_EQ_INT(d.v.icmp_type, 0);
    CHECK(d.v.has_icmp);
    free(d.buf);
    d = decode_fixture("loop_ipv6");
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK_EQ_INT(d.v.ip_version, 6);
    free(d.buf);
    /* NULL with family 2 written little-endian, and 24/28 in either order. */
    static const uint32_t fams6[] = {24, 28, 30};
    for (size_t i = 0; i < 3; i++) {
        uint8_t hdr[sizeof fx_null_ipv6];
        memcpy(hdr, fx_null_ipv6, sizeof hdr);
        uint8_t le[4] = {(uint8_t)fams6[i], 0, 0, 0}, be[4] = {0, 0, 0, (uint8_t)fams6[i]};
        memcpy(hdr, le, 4);
        d = decode_copy(LINK_NULL, hdr, sizeof hdr);
        CHECK_EQ_INT(d.rc, PARSE_OK);
        free(d.buf);
        memcpy(hdr, be, 4);
        d = decode_copy(LINK_NULL, hdr, sizeof hdr);
        CHECK_EQ_INT(d.rc, PARSE_OK);
        free(d.buf);
        d = decode_copy(LINK_LOOP, hdr, sizeof hdr);
        CHECK_EQ_INT(d.rc, PARSE_OK);
        free(d.buf);
    }
    uint8_t v4le[sizeof fx_null_be_ipv4];
    memcpy(v4le, fx_null_be_ipv4, sizeof v4le);
    v4le[0] = 2;
    v4le[3] = 0;
    d = decode_copy(LINK_NULL, v4le, sizeof v4le);
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK_EQ_INT(d.v.ip_version, 4);
    free(d.buf);
}

TEST(ipv4_options)
{
    struct decoded d = decode_fixture("ipv4_opts");
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK_EQ_INT(d.v.l3_len, 32);
    CHECK_EQ_INT(d.v.l3.n, 32);
    CHECK_EQ_INT(d.v.ttl, 1);
    CHECK(d.v.has_ports);
    CHECK_EQ_INT(d.v.sport, 7);
    CHECK(d.v.payload.p == d.buf + 46);
    CHECK_EQ_INT(d.v.payload_len, 0);
    free(d.buf);
}

TEST(ipv4_fragments)
{
    struct decoded d = decode_fixture("frag_first");
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK(d.v.frag);
    CHECK(d.v.frag_first);
    CHECK_EQ_INT(d.v.frag_id, 0xabcd);
    CHECK(d.v.anomalies & ANOM_FRAGMENT);
    CHECK(!(d.v.anomalies & ANOM_BAD_L4)); /* UDP length covers the whole datagram */
    CHECK(d.v.has_ports);
    CHECK_EQ_INT(d.v.sport, 12345);
    CHECK_EQ_INT(d.v.payload_len, 20);
    CHECK_EQ_INT(d.v.payload.n, 8);
    free(d.buf);

    d = decode_fixture("frag_later");
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK(d.v.frag);
    CHECK(!d.v.frag_first);
    CHECK_EQ_INT(d.v.frag_id, 0xabcd);
    CHECK_EQ_INT(d.v.l4proto, L4_UDP);
    CHECK(!d.v.has_ports);
    CHECK_EQ_INT(d.v.payload.n, 0);
    CHECK_EQ_INT(d.v.l3_len, 32);
    free(d.buf);
}

TEST(ipv6_ext_chain)
{
    struct decoded d = decode_fixture("ipv6_ext");
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK_EQ_INT(d.v.l4proto, L4_TCP);
    CHECK(d.v.frag);
    CHECK(d.v.frag_first);
    CHECK_EQ_INT(d.v.frag_id, 0x1234);
    CHECK(d.v.has_ports);
    CHECK_EQ_INT(d.v.sport, 1234);
    CHECK_EQ_INT(d.v.dport, 80);
    CHECK_EQ_INT(d.v.tcp_flags, TCPF_SYN);
    CHECK_EQ_INT(d.v.l3_len, 116);
    CHECK_EQ_INT(d.v.payload_len, 0);
    free(d.buf);

    d = decode_fixture("ipv6_frag_later");
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK(d.v.frag);
    CHECK(!d.v.frag_first);
    CHECK_EQ_INT(d.v.l4proto, L4_UDP);
    CHECK(!d.v.has_ports);
    free(d.buf);

    /* A later fragment whose next header names an extension header: the
     * fragment data must not be walked as one. */
    uint8_t later[sizeof fx_ipv6_frag_later];
    memcpy(later, fx_ipv6_frag_later, sizeof later);
    later[54] = 60;
    d = decode_copy(LINK_EN10MB, later, sizeof later);
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK_EQ_INT(d.v.l4proto, 60);
    CHECK(!d.v.frag_first);
    free(d.buf);

    d = decode_fixture("ipv6_nonext");
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK_EQ_INT(d.v.l4proto, 59);
    CHECK(!d.v.has_ports);
    CHECK_EQ_INT(d.v.payload_len, 0);
    CHECK_EQ_INT(d.v.anomalies, 0);
    free(d.buf);
}

TEST(gtpu_plain)
{
    struct decoded d = decode_fixture("gtpu");
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK(d.v.tunnel);
    CHECK_EQ_INT(d.v.teid, 42);
    CHECK(ip4_is(&d.v.tun_src, 192, 0, 2, 1));
    CHECK(ip4_is(&d.v.tun_dst, 198, 51, 100, 2));
    CHECK(ip4_is(&d.v.src, 10, 45, 0, 2));
    CHECK(ip4_is(&d.v.dst, 8, 8, 8, 8));
    CHECK_EQ_INT(d.v.ttl, 63);
    CHECK_EQ_INT(d.v.l4proto, L4_TCP);
    CHECK_EQ_INT(d.v.sport, 49154);
    CHECK_EQ_INT(d.v.dport, 80);
    CHECK_EQ_INT(d.v.tcp_flags, TCPF_PSH | TCPF_ACK);
    CHECK(d.v.l3.p == d.buf + 50);
    CHECK_EQ_INT(d.v.l3.n, 44);
    CHECK_EQ_INT(d.v.l3_len, 44);
    CHECK_EQ_INT(d.v.payload_len, 4);
    CHECK(d.v.payload.p == d.buf + 90);
    CHECK_EQ_INT(d.v.anomalies, 0);
    free(d.buf);
}

TEST(gtpu_extension)
{
    struct decoded d = decode_fixture("gtpu_ext");
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK(d.v.tunnel);
    CHECK_EQ_INT(d.v.teid, 0x1001);
    CHECK(ip4_is(&d.v.tun_src, 203, 0, 113, 3));
    CHECK_EQ_INT(d.v.ip_version, 6);
    CHECK(ip6_is_doc(&d.v.src, 1));
    CHECK_EQ_INT(d.v.sport, 53);
    CHECK_EQ_INT(d.v.dport, 55555);
    CHECK(d.v.l3.p == d.buf + 58);
    CHECK_EQ_INT(d.v.l3_len, 52);
    CHECK_EQ_INT(d.v.payload.n, 4);
    free(d.buf);
}

TEST(gtpu_echo_not_decapsulated)
{
    struct decoded d = decode_fixture("gtpu_echo");
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK(!d.v.tunnel);
    CHECK_EQ_INT(d.v.teid, 0);
    CHECK_EQ_INT(d.v.sport, GTPU_PORT);
    CHECK_EQ_INT(d.v.payload_len, 12);
    CHECK_EQ_INT(d.v.anomalies, 0);
    free(d.buf);
}

TEST(gtpu_one_level_only)
{
    struct decoded d = decode_fixture("gtpu_in_gtpu");
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK(d.v.tunnel);
    CHECK_EQ_INT(d.v.teid, 1);
    CHECK(ip4_is(&d.v.src, 203, 0, 113, 3));
    CHECK(ip4_is(&d.v.dst, 192, 0, 2, 1));
    CHECK_EQ_INT(d.v.l4proto, L4_UDP);
    CHECK_EQ_INT(d.v.sport, GTPU_PORT);
    CHECK_EQ_INT(d.v.payload_len, 36);
    free(d.buf);
}

TEST(ethernet_padding_clipped)
{
    struct decoded d = decode_fixture("eth_padding");
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK_EQ_INT(d.v.caplen, 60);
    CHECK_EQ_INT(d.v.l3_len, 28);
    CHECK_EQ_INT(d.v.l3.n, 28); /* the 18 padding bytes are not IP */
    CHECK_EQ_INT(d.v.payload.n, 0);
    CHECK_EQ_INT(d.v.payload_len, 0);
    CHECK_EQ_INT(d.v.icmp_type, 0);
    CHECK(d.v.has_icmp);
    free(d.buf);
}

TEST(tso_zero_length)
{
    struct decoded d = decode_fixture("tso");
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK(d.v.anomalies & ANOM_BAD_IP_LEN);
    CHECK_EQ_INT(d.v.l3_len, 44);
    CHECK_EQ_INT(d.v.sport, 57841);
    CHECK_EQ_INT(d.v.payload_len, 4);
    free(d.buf);
}

TEST(non_ip)
{
    struct decoded d = decode_fixture("arp");
    CHECK_EQ_INT(d.rc, PARSE_INVALID);
    CHECK(d.v.anomalies & ANOM_UNKNOWN_L3);
    CHECK_EQ_INT(d.v.ip_version, 0);
    free(d.buf);
    d = decode_fixture("ieee8023");
    CHECK_EQ_INT(d.rc, PARSE_INVALID);
    CHECK(d.v.anomalies & ANOM_UNKNOWN_L3);
    free(d.buf);
}

/* Apple PKTAP (LINKTYPE_PKTAP 258): a little-endian header whose first
 * three words are its length, the record type (1 = packet) and the DLT of
 * the frame behind it, then interface, process and service fields (108
 * octets in tcpdump's print-pktap.c; a longer header is skipped whole). */
static size_t pktap_wrap(uint8_t *out, uint32_t hlen, uint32_t rectype, uint32_t dlt,
                         const uint8_t *frame, size_t n)
{
    memset(out, 0, hlen);
    const uint32_t w[3] = {hlen, rectype, dlt};
    for (int i = 0; i < 3; i++)
        for (int b = 0; b < 4; b++)
            out[4 * i + b] = (uint8_t)(w[i] >> (8 * b));
    memcpy(out + 12, "en0", 3);               /* pkt_ifname */
    memcpy(out + 12 + 24 + 20, "WhatsApp", 8); /* pkt_cmdname */
    memcpy(out + hlen, frame, n);
    return hlen + n;
}

TEST(pktap)
{
    uint8_t f[256];
    size_t n = pktap_wrap(f, 108, 1, LINK_EN10MB, fx_eth_tcp, sizeof fx_eth_tcp);
    struct decoded d = decode_copy(LINK_PKTAP, f, n);
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK(ip4_is(&d.v.src, 192, 0, 2, 1));
    CHECK_EQ_INT(d.v.l4proto, L4_TCP);
    CHECK_EQ_INT(d.v.dport, 443);
    CHECK_EQ_INT(d.v.payload_len, 4);
    free(d.buf);
    /* every prefix: a cut header or frame is truncated, never a read past it */
    for (size_t k = 0; k < n; k++) {
        d = decode_copy(LINK_PKTAP, f, k);
        CHECK(d.rc == PARSE_TRUNCATED || (k >= 108 + 34 && d.rc == PARSE_OK));
        free(d.buf);
    }
    /* a longer header (a newer macOS) and a raw IP frame (DLT_RAW as Darwin numbers it) */
    n = pktap_wrap(f, 156, 1, LINK_RAW_DLT12, fx_raw_udp, sizeof fx_raw_udp);
    d = decode_copy(LINK_PKTAP, f, n);
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK_EQ_INT(d.v.l4proto, L4_UDP);
    CHECK_EQ_INT(d.v.dport, 4001);
    free(d.buf);
    /* not a packet record, a header shorter than its fields, PKTAP in PKTAP */
    const uint32_t bad[3][3] = {{108, 0, LINK_EN10MB}, {100, 1, LINK_EN10MB}, {108, 1, LINK_PKTAP}};
    for (int i = 0; i < 3; i++) {
        n = pktap_wrap(f, bad[i][0], bad[i][1], bad[i][2], fx_eth_tcp, sizeof fx_eth_tcp);
        d = decode_copy(LINK_PKTAP, f, n);
        CHECK_EQ_INT(d.rc, PARSE_INVALID);
        CHECK(d.v.anomalies & ANOM_UNKNOWN_L3);
        free(d.buf);
    }
    CHECK(decode_linktype_supported(LINK_PKTAP));
    CHECK_STR(decode_linktype_name(LINK_PKTAP), "PKTAP");
}

/* The serial, NFLOG, 802.11, ERF and Juniper link types and the
 * port-extension and backbone tags (fixtures above): what each frame
 * decodes to, beyond the generic prefix checks of the fixture table. */
TEST(serial_nflog_wifi)
{
    static const char *const v4[] = {"ppp_hdlc_udp", "ppp_pfc_udp", "ppp_mpls",
                                     "ppp_hdlc_cisco", "ppp_dir", "chdlc_dir", "ppp_ether",
                                     "nflog_le", "wlan_udp", "radiotap_qos_fcs", "ppi_wlan",
                                     "wlan_amsdu", "erf_pos_ppp", "erf_mc_hdlc", "pbb", "etag",
                                     "vntag", "juniper_ether", "juniper_ext", "juniper_mpls",
                                     "juniper_ppp", "juniper_chdlc", "nsh_md1", "nsh_eth",
                                     "nsh_nsh"};
    for (size_t i = 0; i < sizeof v4 / sizeof v4[0]; i++) {
        struct decoded d = decode_fixture(v4[i]);
        CHECK_EQ_INT(d.rc, PARSE_OK);
        CHECK(ip4_is(&d.v.src, 192, 0, 2, 1));
        CHECK(ip4_is(&d.v.dst, 198, 51, 100, 2));
        CHECK_EQ_INT(d.v.l4proto, L4_UDP);
        CHECK_EQ_INT(d.v.sport, 4000);
        CHECK_EQ_INT(d.v.dport, 4001);
        CHECK_EQ_INT(d.v.payload_len, 2);
        CHECK_EQ_INT(d.v.anomalies, 0);
        free(d.buf);
    }
    static const char *const v6[] = {"chdlc_ipv6", "pppd_ipv6", "nflog_be_ipv6",
                                     "radiotap_pad_wds_v6", "erf_ext_ipv6", "juniper_nol2_ip6"};
    for (size_t i = 0; i < sizeof v6 / sizeof v6[0]; i++) {
        struct decoded d = decode_fixture(v6[i]);
        CHECK_EQ_INT(d.rc, PARSE_OK);
        CHECK(ip6_is_doc(&d.v.src, 1));
        CHECK(ip6_is_doc(&d.v.dst, 2));
        CHECK_EQ_INT(d.v.dport, 5353);
        CHECK_EQ_INT(d.v.anomalies, 0);
        free(d.buf);
    }
    struct decoded d = decode_fixture("ppp_mpls");
    CHECK_EQ_INT(d.v.mpls_depth, 1);
    free(d.buf);
    d = decode_fixture("pbb"); /* the backbone's VLAN, then the customer's */
    CHECK_EQ_INT(d.v.vlan_outer, 100);
    CHECK_EQ_INT(d.v.vlan_inner, 7);
    free(d.buf);
    d = decode_fixture("erf_eth");
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK_EQ_INT(d.v.dport, 443);
    CHECK_EQ_INT(d.v.payload_len, 4);
    free(d.buf);
    d = decode_fixture("h_erf_ext_chain");
    CHECK_EQ_INT(d.v.anomalies, ANOM_ENCAP_DEPTH);
    free(d.buf);
    d = decode_fixture("ppp_ether");
    CHECK(d.v.pppoe);
    free(d.buf);
    /* the FCS after the IPv4 packet is not part of it */
    d = decode_fixture("radiotap_qos_fcs");
    CHECK_EQ_INT(d.v.l3.n, 30);
    free(d.buf);
    /* not IP: each is counted as non-IP, none as cut */
    static const char *const non_ip[] = {"h_wlan_protected", "h_wlan_beacon", "h_wlan_null",
                                         "h_wlan_frag2", "h_radiotap_badfcs", "h_nflog_family7",
                                         "h_ppp_lcp", "h_chdlc_slarp", "h_ppi_ppi",
                                         "h_erf_rxerr", "h_erf_atm", "h_juniper_magic",
                                         "h_juniper_proto_be", "h_nsh_oam", "h_nsh_ver1",
                                         "h_nsh_len1", "h_nsh_np"};
    for (size_t i = 0; i < sizeof non_ip / sizeof non_ip[0]; i++) {
        const struct fixture *f = fixture(non_ip[i]);
        struct pkt_view v;
        CHECK_EQ_INT(decode_packet(f->linktype, f->bytes, (uint32_t)f->len, (uint32_t)f->len, 0,
                                   &v), PARSE_INVALID);
        CHECK_EQ_INT(v.anomalies, ANOM_UNKNOWN_L3);
    }
    /* NFLOG without a payload TLV: a record logged without a copy of the
     * packet when the frame is whole, a cut capture when it is not */
    static const uint8_t meta_only[] = {0x02, 0x00, 0x00, 0x05, 0x08, 0x00, 0x01, 0x00,
                                        0x08, 0x00, 0x03, 0x00};
    struct pkt_view v;
    CHECK_EQ_INT(decode_packet(LINK_NFLOG, meta_only, sizeof meta_only, sizeof meta_only, 0, &v),
                 PARSE_INVALID);
    CHECK_EQ_INT(v.anomalies, ANOM_UNKNOWN_L3);
    CHECK_EQ_INT(decode_packet(LINK_NFLOG, meta_only, sizeof meta_only, 1500, 0, &v),
                 PARSE_TRUNCATED);
    CHECK_EQ_INT(v.anomalies, ANOM_TRUNCATED);
    /* a payload TLV that claims more than was captured gives what was */
    uint8_t cut[sizeof fx_nflog_le];
    memcpy(cut, fx_nflog_le, sizeof cut);
    cut[24] = 0xff; /* payload TLV length 255 */
    CHECK_EQ_INT(decode_packet(LINK_NFLOG, cut, sizeof cut, sizeof cut, 0, &v), PARSE_OK);
    CHECK_EQ_INT(v.dport, 4001);
    static const int types[] = {LINK_PPP, LINK_PPP_HDLC, LINK_PPP_ETHER, LINK_C_HDLC,
                                LINK_IEEE802_11, LINK_IEEE802_11_RADIOTAP, LINK_PPP_PPPD,
                                LINK_PPI, LINK_PPP_WITH_DIR, LINK_C_HDLC_WITH_DIR, LINK_NFLOG,
                                LINK_ERF, LINK_JUNIPER_ETHER, LINK_JUNIPER_PPP,
                                LINK_JUNIPER_CHDLC};
    static const char *const names[] = {"PPP", "PPP_HDLC", "PPP_ETHER", "C_HDLC", "IEEE802_11",
                                        "IEEE802_11_RADIOTAP", "PPP_PPPD", "PPI",
                                        "PPP_WITH_DIR", "C_HDLC_WITH_DIR", "NFLOG", "ERF",
                                        "JUNIPER_ETHER", "JUNIPER_PPP", "JUNIPER_CHDLC"};
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        CHECK(decode_linktype_supported(types[i]));
        CHECK_STR(decode_linktype_name(types[i]), names[i]);
    }
}

TEST(linktype_names)
{
    CHECK(decode_linktype_supported(LINK_EN10MB));
    CHECK(decode_linktype_supported(LINK_LINUX_SLL));
    CHECK(decode_linktype_supported(LINK_LINUX_SLL2));
    CHECK(decode_linktype_supported(LINK_RAW));
    CHECK(decode_linktype_supported(LINK_RAW_DLT12));
    CHECK(decode_linktype_supported(LINK_RAW_DLT14));
    CHECK(decode_linktype_supported(LINK_NULL));
    CHECK(decode_linktype_supported(LINK_LOOP));
    CHECK(decode_linktype_supported(LINK_IPV4));
    CHECK(decode_linktype_supported(LINK_IPV6));
    CHECK(!decode_linktype_supported(147));
    CHECK(!decode_linktype_supported(-1));
    CHECK_STR(decode_linktype_name(LINK_EN10MB), "EN10MB");
    CHECK_STR(decode_linktype_name(LINK_LINUX_SLL), "LINUX_SLL");
    CHECK_STR(decode_linktype_name(LINK_LINUX_SLL2), "LINUX_SLL2");
    CHECK_STR(decode_linktype_name(LINK_RAW), "RAW");
    CHECK_STR(decode_linktype_name(LINK_NULL), "NULL");
    CHECK_STR(decode_linktype_name(LINK_LOOP), "LOOP");
    CHECK_STR(decode_linktype_name(LINK_IPV4), "IPV4");
    CHECK_STR(decode_linktype_name(LINK_IPV6), "IPV6");
    CHECK_STR(decode_linktype_name(9999), "unknown");
}

/* ---- hostile cases ---------------------------------------------------- */

static void expect(const char *name, enum parse_rc rc, uint32_t anomaly)
{
    struct decoded d = decode_fixture(name);
    CHECK_EQ_INT(d.rc, rc);
    if (anomaly && !(d.v.anomalies & anomaly))
        fprintf(stderr, "%s: anomalies 0x%x lack 0x%x\n", name, d.v.anomalies, anomaly);
    CHECK(anomaly == 0 || (d.v.anomalies & anomaly));
    if (rc != PARSE_OK)
        CHECK_EQ_INT(d.v.ip_version, 0);
    free(d.buf);
}

TEST(hostile_ip)
{
    expect("h_ihl_small", PARSE_INVALID, ANOM_BAD_IP_LEN);
    expect("h_ihl_beyond", PARSE_TRUNCATED, ANOM_TRUNCATED);
    expect("h_total_lt_ihl", PARSE_INVALID, ANOM_BAD_IP_LEN);
    expect("h_v6_ext_limit", PARSE_INVALID, ANOM_IPV6_EXT_LIMIT);
    expect("h_v6_ext_plen", PARSE_INVALID, ANOM_BAD_IP_LEN);
    expect("h_version", PARSE_INVALID, ANOM_BAD_VERSION);
    expect("h_raw_v5", PARSE_INVALID, ANOM_BAD_VERSION);
    expect("h_ping_of_death", PARSE_INVALID, ANOM_BAD_IP_LEN);
}

TEST(mpls_pseudowire)
{
    struct decoded d = decode_fixture("mpls_pw_cw");
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK_EQ_INT(d.v.mpls_depth, 1);
    CHECK_EQ_INT(d.v.vlan_outer, 7);
    CHECK_EQ_INT(d.v.dport, 4001);
    free(d.buf);
    d = decode_fixture("mpls_pw_nocw");
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK_EQ_INT(d.v.vlan_outer, 0);
    CHECK_EQ_INT(d.v.dport, 4001);
    free(d.buf);
}

TEST(hostile_link)
{
    expect("h_mpls_no_bos", PARSE_INVALID, ANOM_ENCAP_DEPTH);
    expect("h_mpls_cut", PARSE_TRUNCATED, ANOM_TRUNCATED);
    expect("h_mpls_pw", PARSE_INVALID, ANOM_UNKNOWN_L3);
    expect("h_vlan20", PARSE_INVALID, ANOM_ENCAP_DEPTH);
    expect("h_pppoe_lcp", PARSE_INVALID, ANOM_UNKNOWN_L3);
    expect("h_null_family7", PARSE_INVALID, ANOM_UNKNOWN_L3);
    expect("h_loop_le", PARSE_INVALID, ANOM_UNKNOWN_L3);
    expect("h_linktype", PARSE_INVALID, ANOM_UNKNOWN_L3);

    struct decoded d = decode_fixture("h_mpls_no_bos");
    CHECK_EQ_INT(d.v.mpls_depth, DECODE_MAX_MPLS_LABELS);
    free(d.buf);
    d = decode_fixture("h_vlan20");
    CHECK_EQ_INT(d.v.vlan_outer, 10);
    free(d.buf);

    struct pkt_view v;
    CHECK_EQ_INT(decode_packet(LINK_EN10MB, NULL, 0, 0, 0, &v), PARSE_TRUNCATED);
    CHECK(v.anomalies & ANOM_TRUNCATED);
    CHECK_EQ_INT(decode_packet(LINK_RAW, NULL, 0, 0, 0, &v), PARSE_TRUNCATED);
    CHECK_EQ_INT(decode_packet(LINK_IPV4, NULL, 0, 0, 0, &v), PARSE_TRUNCATED);
}

TEST(hostile_l4)
{
    struct decoded d = decode_fixture("h_doff_small");
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK(d.v.anomalies & ANOM_BAD_L4);
    CHECK(!d.v.has_ports);
    free(d.buf);

    d = decode_fixture("h_doff_beyond");
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK(d.v.anomalies & ANOM_BAD_L4);
    CHECK(!d.v.has_ports);
    free(d.buf);

    d = decode_fixture("h_opts_cut");
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK(d.v.anomalies & ANOM_TRUNCATED);
    CHECK(!(d.v.anomalies & ANOM_BAD_L4));
    CHECK(d.v.has_ports);
    CHECK_EQ_INT(d.v.payload.n, 0);
    free(d.buf);

    d = decode_fixture("h_udp_len_small");
    CHECK_EQ_INT(d.rc, PARSE_OK);
    CHECK(d.v.anomalies & ANOM_BAD_L4);
    CHECK(!d.v.has_ports);
    free(d.buf);
}

TEST(hostile_gtpu)
{
    static const char *const names[] = {"h_gtp_ext_len0", "h_gtp_ext_chain", "h_gtp_v2",
                                        "h_gtp_not_ip", "h_gtp_len_big"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        struct decoded d = decode_fixture(names[i]);
        CHECK_EQ_INT(d.rc, PARSE_OK);
        CHECK(d.v.anomalies & ANOM_GTP_BAD);
        CHECK(!d.v.tunnel);
        CHECK(ip4_is(&d.v.src, 192, 0, 2, 1)); /* the outer view stays */
        CHECK(d.v.has_ports);
        CHECK_EQ_INT(d.v.dport, GTPU_PORT);
        free(d.buf);
    }
}

TEST(gtpu_decode_direct)
{
    /* Extension chain of exactly GTPU_MAX_EXT is accepted; one more is not. */
    uint8_t b[8 + 4 + 4 * (GTPU_MAX_EXT + 1) + 20];
    memset(b, 0, sizeof b);
    b[0] = 0x34;
    b[1] = 0xff;
    for (unsigned n = GTPU_MAX_EXT; n <= GTPU_MAX_EXT + 1; n++) {
        size_t len = 4 + 4 * n;
        b[2] = 0;
        b[3] = (uint8_t)len;
        b[11] = 0x85;
        for (unsigned i = 0; i < n; i++) {
            b[12 + 4 * i] = 1;
            b[12 + 4 * i + 3] = i + 1 < n ? 0x85 : 0;
        }
        struct cursor c = cur_init(b, 8 + len);
        struct gtpu_info g;
        enum parse_rc rc = gtpu_decode(&c, (uint32_t)(8 + len), &g);
        CHECK_EQ_INT(rc, n == GTPU_MAX_EXT ? PARSE_OK : PARSE_INVALID);
        if (rc == PARSE_OK)
            CHECK_EQ_INT(cur_left(&g.inner), 0);
    }
    /* Options flagged but the length cannot hold them. */
    static const uint8_t short_opt[] = {0x32, 0xff, 0x00, 0x02, 0, 0, 0, 1, 0, 0};
    struct cursor c = cur_init(short_opt, sizeof short_opt);
    struct gtpu_info g;
    CHECK_EQ_INT(gtpu_decode(&c, sizeof short_opt, &g), PARSE_INVALID);
    /* Cut by snaplen inside the mandatory header. */
    c = cur_init(short_opt, 5);
    CHECK_EQ_INT(gtpu_decode(&c, sizeof short_opt, &g), PARSE_TRUNCATED);
    /* A UDP payload claimed shorter than the header. */
    c = cur_init(short_opt, 5);
    CHECK_EQ_INT(gtpu_decode(&c, 5, &g), PARSE_INVALID);
}

/* ---- every prefix ----------------------------------------------------- */

static void check_prefix(const struct fixture *f, size_t k)
{
    struct decoded d = decode_copy(f->linktype, f->bytes, k);
    const struct pkt_view *v = &d.v;
    bool ok = true;
    CHECK_EQ_INT(v->caplen, k);
    ok &= span_inside(v->l3, d.buf, k) && span_inside(v->payload, d.buf, k);
    if (f->rc == PARSE_OK) {
        enum parse_rc want = k < f->ip_end ? PARSE_TRUNCATED : PARSE_OK;
        ok &= d.rc == want;
        if (d.rc == PARSE_OK) {
            bool tun = f->tun_end && k >= f->tun_end;
            ok &= v->tunnel == tun;
            bool l4 = tun ? k >= f->tl4_end : (f->l4_end && k >= f->l4_end);
            ok &= (v->has_ports || v->has_icmp) == l4;
            size_t off = tun ? f->tl3_off : f->l3_off;
            size_t n = k - off < v->l3_len ? k - off : v->l3_len;
            ok &= v->l3.p == d.buf + off && v->l3.n == n;
            ok &= v->payload.n <= v->payload_len;
        } else {
            ok &= v->ip_version == 0 && (v->anomalies & ANOM_TRUNCATED);
        }
    } else {
        ok &= d.rc == PARSE_TRUNCATED || d.rc == f->rc;
        ok &= k < f->len || d.rc == f->rc;
        ok &= v->ip_version == 0;
    }
    if (!ok)
        fprintf(stderr, "prefix %s k=%zu: rc %d tunnel %d ports %d anomalies 0x%x\n", f->name,
                k, d.rc, v->tunnel, v->has_ports, v->anomalies);
    CHECK(ok);
    free(d.buf);
}

TEST(every_prefix)
{
    for (size_t i = 0; i < N_FIXTURES; i++)
        for (size_t k = 0; k <= fixtures[i].len; k++)
            check_prefix(&fixtures[i], k);
}

/* Every single-byte value at every offset of a few fixtures: no crash, no
 * read outside the copy, spans inside the buffer. */
TEST(every_byte_flip)
{
    static const char *const names[] = {"gtpu_ext", "ipv6_ext", "pppoe_icmp6", "qinq_ipv6",
                                        "ipv4_opts", "mpls_icmp", "nflog_le",
                                        "radiotap_pad_wds_v6", "wlan_amsdu", "ppp_mpls",
                                        "erf_ext_ipv6"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const struct fixture *f = fixture(names[i]);
        uint8_t *b = malloc(f->len);
        if (!b)
            exit(2);
        unsigned bad = 0;
        for (size_t at = 0; at < f->len; at++) {
            for (unsigned val = 0; val < 256; val++) {
                memcpy(b, f->bytes, f->len);
                b[at] = (uint8_t)val;
                struct pkt_view v;
                enum parse_rc rc = decode_packet(f->linktype, b, (uint32_t)f->len,
                                                 (uint32_t)f->len, 0, &v);
                if ((rc == PARSE_OK) != (v.ip_version != 0) ||
                    !span_inside(v.l3, b, f->len) || !span_inside(v.payload, b, f->len) ||
                    v.payload.n > v.payload_len)
                    bad++;
            }
        }
        CHECK_EQ_INT(bad, 0);
        free(b);
    }
}

int main(void)
{
    RUN(eth_ipv4_tcp);
    RUN(snaplen_keeps_claims);
    RUN(vlan);
    RUN(qinq_ipv6);
    RUN(mpls);
    RUN(pppoe);
    RUN(sll_sctp);
    RUN(sll2_tcp6);
    RUN(raw_and_aliases);
    RUN(null_and_loop);
    RUN(ipv4_options);
    RUN(ipv4_fragments);
    RUN(ipv6_ext_chain);
    RUN(gtpu_plain);
    RUN(gtpu_extension);
    RUN(gtpu_echo_not_decapsulated);
    RUN(gtpu_one_level_only);
    RUN(ethernet_padding_clipped);
    RUN(tso_zero_length);
    RUN(non_ip);
    RUN(pktap);
    RUN(mpls_pseudowire);
    RUN(serial_nflog_wifi);
    RUN(linktype_names);
    RUN(hostile_ip);
    RUN(hostile_link);
    RUN(hostile_l4);
    RUN(hostile_gtpu);
    RUN(gtpu_decode_direct);
    RUN(every_prefix);
    RUN(every_byte_flip);
    return harness_done();
}
