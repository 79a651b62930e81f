/* m3ua.h - M3UA DATA message decoding (the Protocol Data parameter).
 *
 * Spec: RFC 4666 section 3.1 (common header), 3.2 (parameter format:
 * tag 16, length 16 including the header, padded to 4), 3.3.1 (DATA,
 * Protocol Data tag 0x0210: OPC, DPC, SI, NI, MP, SLS, user data).
 *
 *   | ver=1 | rsv | class | type | length 32 | params ... |
 */
#ifndef PR_CLASSIFY_M3UA_H
#define PR_CLASSIFY_M3UA_H

#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"

#define M3UA_PPID 3       /* RFC 4666 section 1.4.8 */
#define M3UA_VERSION 1    /* RFC 4666 section 3.1.1 */
#define M3UA_SI_SCCP 3    /* ITU-T Q.704 section 14.2.1 */
/* Parameters examined per message. */
#define M3UA_MAX_PARAMS 16

struct m3ua_data {
    uint32_t opc, dpc;
    uint8_t si;
    struct cursor payload; /* the SCCP message when si == 3 */
};

/* Decodes one M3UA message from c.  Returns PARSE_OK for a Transfer DATA
 * message with Protocol Data, PARSE_NEED_MORE for any other valid message
 * (management etc.), PARSE_TRUNCATED or PARSE_INVALID. */
enum parse_rc m3ua_parse(struct cursor *c, struct m3ua_data *out);

#endif
