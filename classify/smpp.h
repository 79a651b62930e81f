/* smpp.h - SMPP 3.4 / 5.0 PDU decoder (metadata only).
 *
 * Spec: SMPP v3.4 (issue 1.2) sections 3.2 (header), 4.1 (bind), 4.4
 * (submit_sm), 4.5 (submit_multi), 4.6 (deliver_sm), 4.7 (data_sm), 5.2.12
 * (esm_class), 5.3 (TLVs); SMPP v5.0 section 4.
 *
 *   0      4          8              12               16
 *   | len | command_id | command_status | sequence_number | body ... |
 *
 * short_message and the message_payload TLV (0x0424) are the message text:
 * their lengths are read and the bytes jumped over, never copied.  The
 * bind password is skipped the same way.  Delivery receipts carry text in
 * short_message too; only receipted_message_id / message_state are used.
 */
#ifndef PR_CLASSIFY_SMPP_H
#define PR_CLASSIFY_SMPP_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"
#include "classify/sms_addr.h"
#include "classify/tcp_reasm.h"

#define SMPP_HDR_LEN 16
/* Largest PDU accepted: 16-byte header + 254 bytes of short_message + the
 * mandatory fields + a 64 KiB message_payload TLV. */
#define SMPP_MAX_PDU 70000u
/* submit_multi allows 255 destinations (v3.4 section 4.5.1); events are
 * emitted for this many and the rest counted. */
#define SMPP_MAX_DESTS 16

struct smpp_stats {
    uint64_t invalid, resyncs, oversize; /* PROTO_CNT_* slots (proto.h) */
    uint64_t pdus, dests_dropped;
};

/* True when the first bytes of a direction (untrusted, borrowed) look like
 * an SMPP PDU header: length within [16, SMPP_MAX_PDU], a known command id,
 * status 0 on requests.  Needs at least 8 bytes (else false). */
bool smpp_probe(struct span s);

/* Decodes one whole PDU (c covers exactly command_length bytes).  from_client:
 * sent by the connection's initiator.  Emits legs through fn.  Returns
 * PARSE_OK, PARSE_TRUNCATED or PARSE_INVALID (nothing emitted then). */
enum parse_rc smpp_parse_pdu(struct cursor *c, bool from_client, uint64_t ts_us, sms_leg_fn fn,
                             void *user, struct smpp_stats *st);

/* Decodes every complete PDU buffered in r, consuming them.  *resync is the
 * direction's resynchronisation state (set after a gap: bytes are skipped
 * until a plausible header).  Returns the number of PDUs decoded. */
unsigned smpp_stream(struct tcp_reasm *r, bool *resync, bool from_client, uint64_t ts_us,
                     sms_leg_fn fn, void *user, struct smpp_stats *st);

/* The registry row (classify/proto.h): SMPP over TCP. */
struct proto_ops;
extern const struct proto_ops smpp_proto;

#endif
