/* sccp.h - SCCP connectionless message decoding (UDT, XUDT, LUDT).
 *
 * Spec: ITU-T Q.713 sections 3.4 (party address: address indicator, point
 * code, SSN, global title for GTI 1-4), 3.17 (segmentation parameter),
 * 4.10 (UDT), 4.18 (XUDT), 4.20 (LUDT).  Pointers are relative to the
 * pointer's own octet; LUDT pointers and the LUDT data length are 2 octets
 * (little-endian).
 *
 *   UDT:  | 0x09 | class | p_called | p_calling | p_data | ... len+value ... |
 *   XUDT: | 0x11 | class | hops | p_called | p_calling | p_data | p_opt | ... |
 *   LUDT: | 0x13 | class | hops | p_called(2) | p_calling(2) | p_data(2) |
 *         p_opt(2) | ... called/calling len(1)+value, data len(2)+value |
 *   party: | AI | PC (2, if AI bit 0) | SSN (if AI bit 1) | GT (AI bits 2-5) |
 *     GTI 1: | odd/even + NAI | digits |     GTI 2: | TT | digits |
 *     GTI 3: | TT | NP + ES | digits |       GTI 4: | TT | NP + ES | NAI | digits |
 *   Segmentation (optional part, name 0x10, length 4): | F C - rem(4) | ref(3) |
 */
#ifndef PR_CLASSIFY_SCCP_H
#define PR_CLASSIFY_SCCP_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"
#include "classify/events.h"

#define SCCP_UDT 0x09
#define SCCP_XUDT 0x11
#define SCCP_LUDT 0x13
/* Optional parameters examined per XUDT / LUDT (Q.713 section 4.18). */
#define SCCP_MAX_OPTIONAL 16

struct sccp_party {
    int ssn;                  /* -1 when absent */
    int pc;                   /* ITU 14-bit signalling point code, -1 when absent */
    int gti;                  /* global title indicator 0-4 (others: 0, gt "") */
    int tt, np, nai;          /* translation type, numbering plan, nature of address; -1 */
    char gt[SMS_ADDR_MAX];    /* global-title digits, "" when absent */
};

struct sccp_segment {
    bool present;             /* a Segmentation parameter was found */
    bool first;               /* F bit: first segment */
    uint8_t remaining;        /* segments still to come after this one */
    uint32_t local_ref;       /* 24-bit segmentation local reference */
};

struct sccp_msg {
    uint8_t type;             /* SCCP_UDT, SCCP_XUDT or SCCP_LUDT */
    uint8_t pclass;           /* protocol class octet */
    struct sccp_party called, calling;
    struct sccp_segment seg;
    struct cursor data;       /* the TCAP message (or this segment of it) */
    /* Set by the transport walk, not by sccp_parse (which leaves NULL, -1):
     * the adaptation layer's name and the MTP3 / M3UA point codes. */
    const char *via;          /* "m3ua", "m2pa", "m2ua", "sua", "mtp3" or NULL */
    int64_t opc, dpc;         /* -1 when unknown */
};

/* Decodes c (untrusted; the message is borrowed by out->data).  Returns
 * PARSE_OK for UDT/XUDT/LUDT, PARSE_NEED_MORE for other message types,
 * PARSE_TRUNCATED or PARSE_INVALID (pointer outside the message). */
enum parse_rc sccp_parse(struct cursor *c, struct sccp_msg *out);

/* Connection-oriented messages (Q.713 sections 4.2-4.6), the ones that
 * carry BSSAP / RANAP: CR, CC, CREF, RLSD, RLC, DT1.  Local references
 * are 24 bits sent least significant octet first (as Wireshark reads
 * them).
 *
 *   CR:   | 0x01 | src ref 3 | class | p_called | p_opt | called | opt... |
 *   CC:   | 0x02 | dst ref 3 | src ref 3 | class | p_opt | opt... |
 *   RLSD: | 0x04 | dst ref 3 | src ref 3 | cause | p_opt | ... |
 *   DT1:  | 0x06 | dst ref 3 | seg/reass | p_data | len | data |
 *   opt:  name (calling party 0x04, data 0x0F) | len | value ... | 0x00 |
 */
#define SCCP_CR 0x01
#define SCCP_CC 0x02
#define SCCP_CREF 0x03
#define SCCP_RLSD 0x04
#define SCCP_RLC 0x05
#define SCCP_DT1 0x06

struct sccp_co {
    uint8_t type;
    bool has_src, has_dst;
    uint32_t src_ref, dst_ref;
    struct sccp_party called;  /* CR only (ssn -1 otherwise) */
    bool has_data;
    struct cursor data;        /* CR / CC optional data, DT1 data */
};

/* Decodes a connection-oriented message (c untrusted; out->data borrows
 * it).  Returns PARSE_OK for the types above, PARSE_NEED_MORE for others,
 * PARSE_TRUNCATED or PARSE_INVALID. */
enum parse_rc sccp_co_parse(struct cursor *c, struct sccp_co *out);

/* Decodes one party address value (Q.713 section 3.4) into *p. */
void sccp_party_parse(struct cursor v, struct sccp_party *p);

#endif
