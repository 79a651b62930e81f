/* teredo.c - Teredo decoding (RFC 4380).
 *
 * Section 5.1.1: a Teredo packet is a UDP datagram whose payload is an IPv6
 * packet, which may be preceded by an authentication indicator (type 0x0001,
 * ID-len, AU-len, client identifier, authentication value, 8-octet nonce,
 * confirmation octet) and then by an origin indication (type 0x0000, the
 * obfuscated port and IPv4 address: 8 octets).  The first octet of an IPv6
 * header is 0x6X, so neither type can be mistaken for one.
 *
 * Clients talk to their server on UDP 3544, but to relays and to other
 * clients on ports of their own: without the server port, one end of the
 * IPv6 packet must have a Teredo address (prefix 2001:0::/32, section 2.6),
 * and, with or without it, the IPv6 Payload Length must account for the
 * whole datagram, so that an arbitrary UDP payload is not taken for one.
 */
#include "capture/teredo.h"

#include "capture/pkt_view.h"

#define TEREDO_AUTH 0x0001u
#define TEREDO_ORIGIN 0x0000u
#define TEREDO_NONCE_LEN 8u
#define TEREDO_ORIGIN_LEN 6u /* after its type: port (2) and IPv4 address (4) */
#define IPV6_HDR_LEN 40u
#define IPV6_SRC_OFF 8u
#define IPV6_DST_OFF 24u

/* Whether the four octets at `at` in c are 2001:0000. */
static bool teredo_prefix(const struct cursor *c, size_t at)
{
    return cur_peek(c, at) == 0x20 && cur_peek(c, at + 1) == 0x01 && cur_peek(c, at + 2) == 0 &&
           cur_peek(c, at + 3) == 0;
}

enum parse_rc teredo_decode(struct cursor *c, uint32_t claimed, bool by_port,
                            struct overlay_inner *out)
{
    overlay_begin(out, c, claimed, ETHERTYPE_IPV6);
    size_t start = cur_off(c);
    if (cur_has(c, 2) && cur_peek(c, 0) == 0 && cur_peek(c, 1) == TEREDO_AUTH) {
        cur_skip(c, 2);
        uint8_t id_len = cur_u8(c), au_len = cur_u8(c);
        if (!cur_ok(c) || !cur_skip(c, (size_t)id_len + au_len + TEREDO_NONCE_LEN + 1u))
            return overlay_ran_out(out);
    }
    if (cur_has(c, 2) && cur_peek(c, 0) == 0 && cur_peek(c, 1) == TEREDO_ORIGIN) {
        if (!cur_skip(c, 2 + TEREDO_ORIGIN_LEN))
            return overlay_ran_out(out);
    }
    size_t hdrs = cur_off(c) - start;
    if (!cur_has(c, 1))
        return overlay_ran_out(out); /* a bubble always has its IPv6 header */
    if ((cur_peek(c, 0) >> 4) != 6)
        return PARSE_INVALID;
    if (!cur_has(c, IPV6_HDR_LEN))
        return overlay_ran_out(out);
    uint32_t plen = (uint32_t)cur_peek(c, 4) << 8 | cur_peek(c, 5);
    if (claimed < hdrs || claimed - hdrs != plen + IPV6_HDR_LEN)
        return PARSE_INVALID;
    if (!by_port && !teredo_prefix(c, IPV6_SRC_OFF) && !teredo_prefix(c, IPV6_DST_OFF))
        return PARSE_INVALID;
    return overlay_found(out, c);
}
