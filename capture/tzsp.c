/* tzsp.c - TZSP header decoding.
 *
 * TZSP as MikroTik RouterOS streams it and Wireshark's packet-tzsp.c reads
 * it (there is no RFC): version 1 (1 octet), type (1: 0 = received packet,
 * 1 = packet for transmit; the others, configuration and keep-alive, carry
 * no frame), encapsulation (2, big-endian: 1 = Ethernet, 18 = IEEE 802.11),
 * then tagged fields: tag 0 is one octet of padding, tag 1 ends the list,
 * any other tag is followed by a length octet and that many octets (signal
 * strength, rate, sensor MAC, ...).  The captured frame follows the END tag.
 */
#include "capture/tzsp.h"

#define TZSP_VERSION 1u
#define TZSP_TYPE_RX 0u
#define TZSP_TYPE_TX 1u
#define TZSP_ENCAP_ETHERNET 1u
#define TZSP_ENCAP_IEEE80211 18u
#define TZSP_TAG_PADDING 0u
#define TZSP_TAG_END 1u

enum parse_rc tzsp_decode(struct cursor *c, uint32_t claimed, struct overlay_inner *out)
{
    overlay_begin(out, c, claimed, 0);
    uint8_t version = cur_u8(c);
    uint8_t type = cur_u8(c);
    uint16_t encap = cur_be16(c);
    if (!cur_ok(c))
        return overlay_ran_out(out);
    if (version != TZSP_VERSION || (type != TZSP_TYPE_RX && type != TZSP_TYPE_TX))
        return PARSE_INVALID;
    if (encap == TZSP_ENCAP_ETHERNET)
        out->ethertype = OVERLAY_ETHERNET;
    else if (encap == TZSP_ENCAP_IEEE80211)
        out->ethertype = OVERLAY_IEEE802_11;
    else
        return PARSE_INVALID;
    /* each pass consumes at least one octet */
    for (;;) {
        if (!cur_has(c, 1))
            return overlay_ran_out(out); /* no END tag */
        uint8_t tag = cur_u8(c);
        if (tag == TZSP_TAG_END)
            return overlay_found(out, c);
        if (tag == TZSP_TAG_PADDING)
            continue;
        uint8_t len = cur_u8(c);
        if (!cur_ok(c) || !cur_skip(c, len))
            return overlay_ran_out(out);
    }
}
