/* capwap.c - CAPWAP data channel header (RFC 5415 section 4.3).
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   |CAPWAP Preamble|  HLEN   |   RID   | WBID    |T|F|L|W|M|K|Flags|
 *   |          Fragment ID          |     Frag Offset         |Rsvd |
 *   |                 (optional) Radio MAC Address                  |
 *   |            (optional) Wireless Specific Information           |
 *   |                        Payload ....                           |
 *
 * Preamble (section 4.1): version 0 (4 bits), type 0 = a CAPWAP header
 * follows, 1 = a DTLS record (an encrypted data channel: nothing to
 * decode).  HLEN is the header's length in 4-octet words, optional fields
 * included.  WBID 1 is IEEE 802.11 (RFC 5416); T = 1 says the payload is
 * in that binding's native format (an 802.11 frame, section 4.3 and RFC
 * 5416 section 3), T = 0 that it is an IEEE 802.3 frame.  K marks a
 * data-channel keep-alive (no frame).  F marks a fragment: the frame is
 * split over several datagrams and is not reassembled here.
 * Cisco access points send a native frame's 802.11 Frame Control field with
 * its two octets swapped; Wireshark's CAPWAP dissector swaps them back by
 * default (its preference "Swap Frame Control").  Between an access point
 * and its controller every data frame is To DS or From DS, so its flags
 * octet has bit 0 or 1 set, which no Frame Control octet of protocol
 * version 0 has: a frame whose first octet is not a data frame's Frame
 * Control and whose second is, is read swapped.
 */
#include "capture/capwap.h"

#include <stdbool.h>

#define CAPWAP_MIN_HDR 8u
#define CAPWAP_WBID_IEEE80211 1u

/* The first octet of a Data frame's Frame Control: protocol version 0,
 * type 2 (IEEE 802.11-2020 section 9.2.4.1.1). */
static bool data_fc(uint8_t b)
{
    return (b & 0x0fu) == 0x08u;
}

enum parse_rc capwap_decode(struct cursor *c, uint32_t claimed, struct overlay_inner *out)
{
    overlay_begin(out, c, claimed, OVERLAY_ETHERNET);
    uint32_t w0 = cur_be32(c);
    if (!cur_ok(c))
        return overlay_ran_out(out);
    unsigned preamble = w0 >> 24;
    size_t hlen = ((w0 >> 19) & 0x1fu) * 4u;
    unsigned wbid = (w0 >> 9) & 0x1fu;
    bool native = (w0 >> 8) & 1u, frag = (w0 >> 7) & 1u, keepalive = (w0 >> 3) & 1u;
    if (preamble != 0 || hlen < CAPWAP_MIN_HDR || keepalive || frag)
        return PARSE_INVALID;
    if (native && wbid != CAPWAP_WBID_IEEE80211)
        return PARSE_INVALID;
    if (!cur_skip(c, hlen - 4)) /* fragment id and offset, radio MAC, wireless info */
        return overlay_ran_out(out);
    out->ethertype = OVERLAY_ETHERNET;
    if (native) {
        bool swapped = cur_has(c, 2) && !data_fc(cur_peek(c, 0)) && data_fc(cur_peek(c, 1));
        out->ethertype = swapped ? OVERLAY_IEEE802_11_FC_SWAPPED : OVERLAY_IEEE802_11;
    }
    return overlay_found(out, c);
}
