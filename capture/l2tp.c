/* l2tp.c - L2TP version 2 data messages (RFC 2661 section 3.1).
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   |T|L|x|x|S|x|O|P|x|x|x|x|  Ver  |          Length (opt)         |
 *   |           Tunnel ID           |           Session ID          |
 *   |             Ns (opt)          |             Nr (opt)          |
 *   |      Offset Size (opt)        |    Offset pad... (opt)
 *
 * T = 1 is a control message (it carries AVPs, never a PPP frame); a data
 * message (T = 0) carries one PPP frame after the header, with the HDLC
 * address and control octets unless they were negotiated away (section
 * 4.4.4 / RFC 1661 section 6.6).  L (Length), S (Ns, Nr) and O (Offset
 * Size, then that many octets of padding) add the optional fields.  Ver is
 * 2; 1 is L2F and 3 is L2TPv3 (RFC 3931), whose data header over UDP has no
 * version-2 layout: both are left undecoded.
 */
#include "capture/l2tp.h"

#include "capture/pkt_view.h"

#define L2TP_FLAG_T 0x8000u
#define L2TP_FLAG_L 0x4000u
#define L2TP_FLAG_S 0x0800u
#define L2TP_FLAG_O 0x0200u
#define L2TP_VERSION_MASK 0x000fu
#define L2TP_VERSION 2u

enum parse_rc l2tp_decode(struct cursor *c, uint32_t claimed, struct overlay_inner *out)
{
    overlay_begin(out, c, claimed, ETHERTYPE_PPP);
    size_t start = cur_off(c);
    uint16_t flags = cur_be16(c);
    if (!cur_ok(c))
        return overlay_ran_out(out);
    if ((flags & L2TP_FLAG_T) || (flags & L2TP_VERSION_MASK) != L2TP_VERSION)
        return PARSE_INVALID;
    uint16_t length = (flags & L2TP_FLAG_L) ? cur_be16(c) : 0;
    uint16_t tunnel = cur_be16(c);
    uint16_t session = cur_be16(c);
    if (flags & L2TP_FLAG_S)
        cur_skip(c, 4); /* Ns, Nr */
    if (flags & L2TP_FLAG_O)
        cur_skip(c, cur_be16(c)); /* Offset Size octets of padding */
    if (!cur_ok(c))
        return overlay_ran_out(out);
    out->vnid = (uint32_t)tunnel << 16 | session;
    if (flags & L2TP_FLAG_L) {
        size_t hdr = cur_off(c) - start;
        if (length < hdr)
            return PARSE_INVALID;
        /* the message ends where its Length says, not at the datagram's end */
        bool cut;
        struct cursor msg = cur_sub_clamped(c, length - hdr, &cut);
        out->cut = out->cut || cut;
        return overlay_found(out, &msg);
    }
    return overlay_found(out, c);
}
