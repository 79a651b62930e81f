/* sip_sms.h - SIP MESSAGE decoder for SMS over IMS and RFC 3428 instant
 * messages (metadata only).
 *
 * Specs: RFC 3261 section 7 (message format), 20 (headers, compact forms
 * f/t/i/l/c), RFC 3428 (MESSAGE), RFC 3325 (P-Asserted-Identity), 3GPP TS
 * 24.341 section 5.3 and annex B (application/vnd.3gpp.sms carries an RP
 * message, no CP layer).
 *
 *   MESSAGE sip:sc@ims SIP/2.0\r\n  headers \r\n  \r\n  body (RP-DATA)
 *   SIP/2.0 202 Accepted\r\n ... CSeq: n MESSAGE ...
 *
 * The body is either decoded down to the TPDU addresses (3gpp.sms, TP-UD
 * skipped) or only measured (any other content type): a text body is never
 * copied.
 */
#ifndef PR_CLASSIFY_SIP_SMS_H
#define PR_CLASSIFY_SIP_SMS_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"
#include "classify/sms_addr.h"
#include "classify/tcp_reasm.h"

/* Header lines examined per message (more are skipped). */
#define SIP_MAX_HEADERS 64

struct sip_stats {
    uint64_t invalid, resyncs, oversize; /* PROTO_CNT_* slots (proto.h) */
    uint64_t messages, bodies_cut;
};

/* True when s starts like a SIP request line or status line. */
bool sip_sms_probe(struct span s);

/* True when s starts with a MESSAGE request line. */
bool sip_sms_is_message(struct span s);

/* Shared SIP text helpers (also used by classify/sip_reg.c).  All read
 * through the cursor / span accessors. */

/* The next line of c without its CR LF, advancing c past the LF; false
 * (c unchanged) when no LF follows. */
bool sip_sms_line(struct cursor *c, struct span *line);

/* s without leading and trailing blanks (space, tab). */
struct span sip_sms_trim(struct span s);

/* The URI of a From / To / Contact / P-Asserted-Identity value: inside
 * <...> when present, else up to the first ';' or ','. */
struct span sip_sms_uri(struct span v);

/* True when s equals the lower-case literal lit, ignoring ASCII case. */
bool sip_sms_ieq(struct span s, const char *lit);

/* FNV-1a hash of s (Call-ID correlation keys). */
uint64_t sip_sms_hash(struct span s);

/* The leading decimal number of s (at most 10 digits, after blanks); *ok
 * is false when s does not start with a digit. */
uint64_t sip_sms_decimal(struct span s, bool *ok);

/* Decodes one SIP message at the start of c.  stream: the message must be
 * complete with its Content-Length body (TCP); otherwise (UDP) the
 * datagram is the message.  *consumed gets the message length on
 * PARSE_OK.  Returns PARSE_OK, PARSE_NEED_MORE (stream, incomplete),
 * PARSE_TRUNCATED or PARSE_INVALID.  Emits legs through fn. */
enum parse_rc sip_sms_parse(struct cursor *c, bool stream, uint64_t ts_us, sms_leg_fn fn,
                            void *user, size_t *consumed, struct sip_stats *st);

/* Decodes every complete message buffered in r (TCP), consuming them. */
unsigned sip_sms_stream(struct tcp_reasm *r, bool *resync, uint64_t ts_us, sms_leg_fn fn,
                        void *user, struct sip_stats *st);

/* The registry row (classify/proto.h): SIP MESSAGE over TCP or UDP. */
struct proto_ops;
extern const struct proto_ops sip_sms_proto;

#endif
