/* ip.h - IPv4 and IPv6 header decoding (RFC 791, RFC 8200).  See ip.c. */
#ifndef PR_CAPTURE_IP_H
#define PR_CAPTURE_IP_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/pkt_view.h"
#include "capture/rc.h"

/* What follows the IP header (and IPv6 extension headers). */
struct ip_next {
    struct cursor l4;    /* transport bytes: captured, never past the claimed length */
    uint32_t l4_claimed; /* transport length the IP header claims (may exceed l4.len) */
    /* A fragment (v->frag): its data and where the data goes (capture/ipfrag.h). */
    struct cursor frag_data; /* after the IPv4 header / the IPv6 Fragment header */
    uint32_t frag_claimed;   /* fragment data length the header claims */
    uint32_t frag_off;       /* offset of the data in the datagram, octets */
    bool frag_more;          /* more fragments follow (MF / M) */
    uint8_t frag_nh;         /* IPv4 protocol / the Fragment header's Next Header */
    uint8_t hdr_len;         /* IPv4 header length with options; IPv6: 40 */
};

/* Decodes the IPv4 or IPv6 header at `c` (untrusted, borrowed).  `version`
 * is 4 or 6 when the link layer named it, 0 to take it from the version
 * nibble.  On PARSE_OK fills v->ip_version, src, dst, ttl, l4proto, l3 (header
 * start up to min(claimed total length, captured bytes): trailer padding is
 * cut off), l3_len, frag, frag_first and frag_id, and sets *next.  l4proto is
 * the protocol after the extension chain; for a non-first fragment it is the
 * fragment header's next header and next->l4 holds the fragment data.
 * Returns PARSE_TRUNCATED (ANOM_TRUNCATED) when the capture ends inside the
 * header or extension chain, PARSE_INVALID when fields contradict each other
 * (ANOM_BAD_VERSION, ANOM_BAD_IP_LEN, ANOM_IPV6_EXT_LIMIT).  On failure the
 * view's IP fields are left unchanged (only anomaly bits are added). */
enum parse_rc ip_decode(struct cursor *c, uint8_t version, struct pkt_view *v,
                        struct ip_next *next);

#endif
