/* sua.h - SUA (SCCP user adaptation) connectionless data decoding: SCCP's
 * job done over SCTP, so TCAP sits directly in the Data parameter.
 *
 * Spec: RFC 3868 section 3.1 (common header: version 1, reserved, class,
 * type, length incl. header), 3.3.1 (CLDT: class 7, type 1), 3.10
 * (parameters as M3UA: tag 16, length 16 incl. header, padded to 4):
 * Source Address 0x0102, Destination Address 0x0103, Data 0x010B,
 * Segmentation 0x0117; 3.10.2 address: routing indicator (16), address
 * indicator (16), then sub-parameters Global Title 0x8001 (reserved 3,
 * GTI 1, number of digits 1, TT 1, NP 1, NAI 1, BCD digits), Point Code
 * 0x8002 (32), SSN 0x8003 (reserved 3, SSN 1).  SCTP payload protocol 4,
 * port 14001.
 */
#ifndef PR_CLASSIFY_SUA_H
#define PR_CLASSIFY_SUA_H

#include "capture/cursor.h"
#include "capture/rc.h"
#include "classify/sccp.h"

#define SUA_PPID 4 /* RFC 3868 section 1.4.7 */
#define SUA_PORT 14001
/* Parameters (and address sub-parameters) examined per message. */
#define SUA_MAX_PARAMS 16

/* Decodes one SUA message (c untrusted, borrowed by out->data) into the
 * SCCP form the TCAP decoder takes: out->type is 0 (no SCCP message),
 * called = Destination Address, calling = Source Address, data = TCAP.
 * Returns PARSE_OK for CLDT with a Data parameter, PARSE_NEED_MORE for
 * other valid messages, PARSE_TRUNCATED or PARSE_INVALID. */
enum parse_rc sua_parse(struct cursor *c, struct sccp_msg *out);

#endif
