/* mtp.c - SS7 link captures: MTP2 / MTP3 link types to a pseudo network
 * layer keyed by the MTP3 routing label (see mtp.h for the layouts). */
#include "capture/mtp.h"

#include <string.h>

#define MTP2_PHDR_LEN 4        /* wiretap pcap-common.c MTP2_HDR_LEN */
#define MTP2_PHDR_ANNEX_A 1    /* pseudo-header offset of annex_a_used */
#define MTP2_HDR_BASIC 3       /* Q.703 2.2: BSN/BIB, FSN/FIB, LI */
#define MTP2_HDR_EXTENDED 6    /* Q.703 Annex A.2.2 */
#define MTP2_LI_MASK 0x3fu     /* Q.703 2.3.3: 6 bits */
#define MTP2_LI_EXT_MASK 0x1ffu /* Annex A: 9 bits */
#define MTP2_LI_MSU_MIN 3u     /* LI 0 FISU, 1-2 LSSU (Q.703 2.3.3) */
#define MTP3_SI_MASK 0x0fu     /* Q.704 14.2.1 */
#define MTP3_LABEL_PC_MASK 0x3fffu /* Q.704 2.2.2: 14-bit point codes */

bool mtp_linktype(int linktype)
{
    return linktype == LINK_MTP2_WITH_PHDR || linktype == LINK_MTP2 || linktype == LINK_MTP3;
}

enum parse_rc mtp_itu_label(struct cursor *c, struct mtp_label *out)
{
    uint8_t sio = cur_u8(c);
    uint32_t rl = cur_le32(c);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    out->si = sio & MTP3_SI_MASK;
    out->ni = sio >> 6;
    out->dpc = rl & MTP3_LABEL_PC_MASK;
    out->opc = (rl >> 14) & MTP3_LABEL_PC_MASK;
    out->sls = (uint8_t)(rl >> 28);
    return PARSE_OK;
}

static void put_pc(struct ip_addr *a, uint32_t pc)
{
    memset(a, 0, sizeof *a);
    a->family = PKT_FAMILY_MTP3;
    a->a[0] = (uint8_t)(pc >> 24);
    a->a[1] = (uint8_t)(pc >> 16);
    a->a[2] = (uint8_t)(pc >> 8);
    a->a[3] = (uint8_t)pc;
}

/* Skips the MTP2 header; PARSE_INVALID for a FISU or an LSSU. */
static enum parse_rc mtp2(struct cursor *c, bool extended, struct pkt_view *v)
{
    unsigned li;
    if (extended) {
        cur_skip(c, 4); /* BSN, FSN */
        li = cur_le16(c) & MTP2_LI_EXT_MASK;
    } else {
        cur_skip(c, 2);
        li = cur_u8(c) & MTP2_LI_MASK;
    }
    if (!cur_ok(c))
        return decode_truncated(v);
    if (li < MTP2_LI_MSU_MIN)
        return decode_invalid(v, ANOM_UNKNOWN_L3); /* fill-in / link status: no MTP3 */
    return PARSE_OK;
}

enum parse_rc mtp_decode(int linktype, struct cursor *c, uint32_t wirelen, struct pkt_view *v)
{
    size_t start = cur_off(c);
    enum parse_rc rc = PARSE_OK;
    bool extended = false;
    if (linktype == LINK_MTP2_WITH_PHDR) {
        (void)cur_u8(c); /* sent: direction as seen by the capture point */
        extended = cur_u8(c) == MTP2_PHDR_ANNEX_A;
        v->mtp_link = cur_be16(c);
        if (!cur_ok(c))
            return decode_truncated(v);
    }
    if (linktype != LINK_MTP3 && (rc = mtp2(c, extended, v)) != PARSE_OK)
        return rc;
    struct cursor msg = *c;
    struct mtp_label l;
    if (mtp_itu_label(c, &l) != PARSE_OK)
        return decode_truncated(v);
    size_t hdr = cur_off(&msg) - start;
    v->ip_version = PKT_FAMILY_MTP3;
    put_pc(&v->src, l.opc);
    put_pc(&v->dst, l.dpc);
    v->l4proto = L4_MTP3;
    v->has_ports = true;
    v->sport = v->dport = l.si;
    v->payload = cur_rest(&msg);
    v->payload_len = wirelen > hdr ? wirelen - (uint32_t)hdr : 0;
    return PARSE_OK;
}
