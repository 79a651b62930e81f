/* tcap_map.h - TCAP transaction and component decoding with the GSM MAP
 * short-message operations (metadata only).
 *
 * Specs: ITU-T Q.773 section 4 (TCAP: Begin 0x62, End 0x64, Continue 0x65,
 * OTID 0x48, DTID 0x49, component portion 0x6C; Invoke 0xA1,
 * ReturnResultLast 0xA2, ReturnError 0xA3, Reject 0xA4,
 * ReturnResultNotLast 0xA7); 3GPP TS 29.002 section 12 (mo-forwardSM 46,
 * mt-forwardSM 44, sendRoutingInfoForSM 45, reportSM-DeliveryStatus 47,
 * alertServiceCentreWithoutResult 49 (v1), alertServiceCentre 64; 12.3 and
 * 12.5 for their arguments), 17.3.2 (application contexts), 7.6.8 (SM-RP-DA / SM-RP-OA
 * choices), 17.7.8 (AddressString).
 *
 *   Begin { OTID, dialogue?, components { Invoke { id, opcode, arg } ... } }
 *   arg = SEQUENCE { sm-RP-DA [0|1|4|5], sm-RP-OA [2|4|5], sm-RP-UI OCTET
 *         STRING (a bare TPDU: TP-UD skipped), imsi? ... }
 */
#ifndef PR_CLASSIFY_TCAP_MAP_H
#define PR_CLASSIFY_TCAP_MAP_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"
#include "classify/sccp.h"
#include "classify/sms_addr.h"

/* Components decoded per TCAP message (more are counted and ignored). */
#define TCAP_MAX_COMPONENTS 16

#define MAP_OP_MT_FORWARD_SM 44
#define MAP_OP_SRI_SM 45
#define MAP_OP_MO_FORWARD_SM 46 /* forwardSM in MAP v1/v2: both directions */
#define MAP_OP_REPORT_SM_DELIVERY_STATUS 47
#define MAP_OP_ALERT_SC_WITHOUT_RESULT 49 /* MAP v1 */
#define MAP_OP_ALERT_SC 64

struct tcap_stats {
    uint64_t invalid, resyncs, oversize; /* PROTO_CNT_* slots (proto.h) */
    uint64_t messages, components_dropped;
};

/* Decodes one TCAP message (c: SCCP user data).  sccp gives the global
 * titles (borrowed, may be NULL); dir is the packet's flow direction
 * (0/1), used to pair invokes with results.  Emits legs through fn for MAP
 * SMS operations and for results / errors of any invoke.  Returns the
 * number of MAP SMS invokes found (>= 0) or a negative parse_rc. */
int tcap_map_parse(struct cursor *c, const struct sccp_msg *sccp, int dir, uint64_t ts_us,
                   sms_leg_fn fn, void *user, struct tcap_stats *st);

/* The registry row of MAP over M3UA (map_proto) is in classify/sigtran.h,
 * with the other SIGTRAN transports. */

#endif
