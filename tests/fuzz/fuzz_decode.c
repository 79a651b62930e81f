/* fuzz_decode.c - decode_packet() over every supported link type.
 *
 * Input: byte 0 selects the link type (modulo the table below), the rest is
 * the captured frame.  The frame is decoded twice: as captured (wirelen =
 * caplen) and claiming a longer wire length, as a snaplen-cut frame would.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture/decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int link_types[] = {
    LINK_NULL,       LINK_EN10MB,     LINK_RAW,       LINK_LOOP,      LINK_LINUX_SLL,
    LINK_LINUX_SLL2, LINK_RAW_DLT12,  LINK_RAW_DLT14, LINK_IPV4,      LINK_IPV6,
    LINK_MTP2_WITH_PHDR, LINK_MTP2,   LINK_MTP3, /* SS7 links (capture/mtp.h) */
    LINK_PKTAP,
    /* serial lines, NFLOG, 802.11, ERF, Juniper (capture/link.c), indices 14-28 */
    LINK_PPP,        LINK_PPP_HDLC,   LINK_PPP_ETHER, LINK_C_HDLC,    LINK_IEEE802_11,
    LINK_IEEE802_11_RADIOTAP, LINK_PPP_PPPD, LINK_PPI, LINK_PPP_WITH_DIR,
    LINK_C_HDLC_WITH_DIR, LINK_NFLOG, LINK_ERF, LINK_JUNIPER_ETHER, LINK_JUNIPER_PPP,
    LINK_JUNIPER_CHDLC,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 0xffff)
        return 0;
    int lt = link_types[data[0] % (sizeof link_types / sizeof link_types[0])];
    size_t n = size - 1;
    /* An exact-size copy, so reading one byte past the frame faults. */
    uint8_t *frame = malloc(n ? n : 1);
    if (!frame)
        return 0;
    memcpy(frame, data + 1, n);
    struct pkt_view v;
    decode_packet(lt, frame, (uint32_t)n, (uint32_t)n, 1000000, &v);
    decode_packet(lt, frame, (uint32_t)n, (uint32_t)n + 1500, 1000000, &v);
    free(frame);
    return 0;
}
