/* mtp3.h - MTP3 message decoding: service information octet and routing
 * label (ITU and ANSI), the part every SS7 link layer carries.
 *
 * Spec: ITU-T Q.704 section 14.2 (SIO: service indicator bits 4-1, network
 * indicator bits 8-7), section 2.2 (ITU routing label: 32 bits sent least
 * significant first: DPC 14, OPC 14, SLS 4); ANSI T1.111.4 section 2.2
 * (DPC 24, OPC 24, SLS 8, each point code member / cluster / network).
 *
 *   ITU:  | SIO | DPC+OPC+SLS (4 octets, little-endian bit order) | SIF |
 *   ANSI: | SIO | DPC (3) | OPC (3) | SLS (1) | SIF |
 */
#ifndef PR_CLASSIFY_MTP3_H
#define PR_CLASSIFY_MTP3_H

#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"

#define MTP3_SI_SCCP 3 /* Q.704 section 14.2.1 */
#define MTP3_SI_ISUP 5

enum mtp3_variant { MTP3_ITU = 0, MTP3_ANSI };

struct mtp3_msg {
    uint8_t si, ni;          /* service and network indicator */
    uint32_t opc, dpc;       /* ITU: 14 bits; ANSI: 24 bits */
    uint8_t sls;
    struct cursor payload;   /* the SIF after the routing label (SCCP when si == 3) */
};

/* Decodes one MTP3 message (c untrusted; out->payload borrows it).
 * Returns PARSE_OK or PARSE_TRUNCATED. */
enum parse_rc mtp3_parse(struct cursor *c, enum mtp3_variant v, struct mtp3_msg *out);

#endif
