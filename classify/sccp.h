/* sccp.h - SCCP connectionless message decoding (UDT, XUDT).
 *
 * Spec: ITU-T Q.713 sections 3.4 (party address: address indicator, point
 * code, SSN, global title for GTI 1-4), 4.10 (UDT), 4.18 (XUDT).  Pointers
 * are relative to the pointer's own octet.
 *
 *   UDT:  | 0x09 | class | p_called | p_calling | p_data | ... len+value ... |
 *   XUDT: | 0x11 | class | hops | p_called | p_calling | p_data | p_opt | ... |
 */
#ifndef PR_CLASSIFY_SCCP_H
#define PR_CLASSIFY_SCCP_H

#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"
#include "classify/events.h"

struct sccp_party {
    int ssn;                  /* -1 when absent */
    char gt[SMS_ADDR_MAX];    /* global-title digits, "" when absent */
};

struct sccp_msg {
    uint8_t type;             /* 0x09 UDT or 0x11 XUDT */
    struct sccp_party called, calling;
    struct cursor data;       /* the TCAP message */
};

/* Returns PARSE_OK for UDT/XUDT, PARSE_NEED_MORE for other message types,
 * PARSE_TRUNCATED or PARSE_INVALID (pointer outside the message). */
enum parse_rc sccp_parse(struct cursor *c, struct sccp_msg *out);

#endif
