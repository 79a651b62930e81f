/* diameter.h - Diameter SGd / Gdd short-message decoding (metadata only).
 *
 * Specs: RFC 6733 section 3 (header: version, 24-bit length, flags R/P/E/T,
 * 24-bit command code, application id, hop-by-hop, end-to-end) and 4.1
 * (AVP: code 32, flags V/M/P, 24-bit length without padding, vendor id when
 * V, data padded to 4); 3GPP TS 29.338 section 6.3.2 (OFR/OFA 8388645,
 * TFR/TFA 8388646) and 6.3.3 (SC-Address 3300, SM-RP-UI 3301, TBCD
 * addresses); TS 29.336 (User-Identifier 3102, MSISDN 701).
 *
 *   | ver=1 | length 24 | flags | code 24 | app id | hop-by-hop | end-to-end | AVPs |
 *
 * SM-RP-UI holds a TPDU: only its addresses are read, TP-UD is skipped.
 */
#ifndef PR_CLASSIFY_DIAMETER_H
#define PR_CLASSIFY_DIAMETER_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"
#include "classify/sms_addr.h"
#include "classify/tcp_reasm.h"

#define DIAMETER_PORT 3868       /* RFC 6733 section 2.1 */
#define DIAMETER_SCTP_PPID 46    /* RFC 6733 section 2.1 */
#define DIAMETER_SCTP_PPID_DTLS 47
#define DIAMETER_HDR_LEN 20
#define DIAMETER_MAX_MSG 65536u  /* larger messages are skipped */
#define DIAMETER_CMD_OFR 8388645u
#define DIAMETER_CMD_TFR 8388646u
/* AVPs examined per message / grouped AVP. */
#define DIAMETER_MAX_AVPS 64

struct diameter_stats {
    uint64_t invalid, resyncs, oversize; /* PROTO_CNT_* slots (proto.h) */
    uint64_t messages;
};

/* One AVP (RFC 6733 section 4.1): val covers its data without padding
 * (borrowed from the message). */
struct diameter_avp {
    uint32_t code, vendor; /* vendor 0 when the V flag is clear */
    uint8_t flags;
    struct cursor val;
};

/* Reads the next AVP of c and skips its padding (clamped to what is left).
 * Returns PARSE_OK, PARSE_NEED_MORE at the clean end of c, PARSE_TRUNCATED
 * when c ends inside the AVP, PARSE_INVALID for a length below the AVP
 * header.  The one AVP iterator shared by every Diameter application. */
enum parse_rc diameter_avp_next(struct cursor *c, struct diameter_avp *a);

/* True when s starts like a Diameter header (version 1, plausible length,
 * reserved flag bits clear).  Needs 8 bytes. */
bool diameter_probe(struct span s);

/* Decodes one whole message (c covers exactly its length).  Emits legs for
 * OFR/TFR requests and their answers.  Returns PARSE_OK (also for other
 * commands, which emit nothing; *sms set when it was OFR/TFR),
 * PARSE_TRUNCATED or PARSE_INVALID. */
enum parse_rc diameter_parse(struct cursor *c, uint64_t ts_us, sms_leg_fn fn, void *user,
                             bool *sms, struct diameter_stats *st);

/* Decodes every complete message buffered in r (TCP), consuming them.
 * *sms is set when an OFR/TFR/OFA/TFA was seen. */
unsigned diameter_stream(struct tcp_reasm *r, bool *resync, uint64_t ts_us, sms_leg_fn fn,
                         void *user, bool *sms, struct diameter_stats *st);

/* The registry row (classify/proto.h): Diameter SGd over TCP or SCTP. */
struct proto_ops;
extern const struct proto_ops diameter_proto;

#endif
