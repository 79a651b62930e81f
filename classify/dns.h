/* dns.h - DNS message metadata: the query name and A/AAAA answers with TTL.
 *
 * RFC 1035 section 4.1 (header, question, resource records), section 4.1.4
 * (name compression), RFC 3596 (AAAA).  Used to learn which server names a
 * client resolved (classify/dnsbind.h); no other record data is kept.
 */
#ifndef PR_CLASSIFY_DNS_H
#define PR_CLASSIFY_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"
#include "classify/meta.h"

#define DNS_MAX_LABELS 128     /* a 255-octet name has at most 127 labels */
#define DNS_MAX_PTR_HOPS 16    /* compression pointers followed per name */
#define DNS_MAX_ANSWERS 32     /* A/AAAA records kept per message */
#define DNS_MAX_RRS 64         /* answer records examined per message */
#define DNS_MAX_CNAMES 8       /* CNAME targets kept per message (chains are short) */
#define DNS_HEADER_LEN 12
#define DNS_PORT 53            /* RFC 1035 section 4.2.1 */
#define DNS_FLAG_QR 0x8000     /* flags: response (RFC 1035 section 4.1.1) */
#define DNS_OPCODE_SHIFT 11    /* flags: 4-bit OPCODE after QR */
#define DNS_OPCODE_MASK 0xf
#define DNS_OPCODE_UNASSIGNED 3
#define DNS_OPCODE_MAX 6       /* DSO, RFC 8490 */

struct dns_answer {
    uint8_t family;            /* 4 or 6 */
    uint8_t addr[16];
    uint32_t ttl;
};

struct dns_msg {
    uint16_t id;
    bool response;
    uint8_t rcode;
    bool has_qname;
    struct meta_name qname;
    unsigned nanswers;
    struct dns_answer answers[DNS_MAX_ANSWERS];
    unsigned ncnames;          /* CNAME targets, in answer order */
    struct meta_name cnames[DNS_MAX_CNAMES];
};

/* Parses a DNS message p[0, n) (untrusted, borrowed; UDP payload, no TCP
 * length prefix).  PARSE_OK: header and question read (answers as far as
 * they are consistent).  PARSE_TRUNCATED: ends inside the header or
 * question.  PARSE_INVALID: contradictory (no question, bad label, a
 * compression pointer that does not point strictly backwards or too many
 * hops).  *out is always initialised. */
enum parse_rc dns_parse_message(const uint8_t *p, size_t n, struct dns_msg *out);

/* Reads the (possibly compressed) name at the cursor position of msg into
 * out ("a.b.c", lower case) and advances c past it.  Exposed for tests. */
enum parse_rc dns_read_name(const uint8_t *msg, size_t msglen, struct cursor *c,
                            struct meta_name *out);

/* The registry row (classify/proto.h): DNS response metadata. */
struct proto_ops;
extern const struct proto_ops dns_proto;

#endif
