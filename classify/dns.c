/* dns.c - DNS query name and A/AAAA answers (see dns.h).
 *
 * RFC 1035 section 4.1.1 header:
 *   ID(2) | QR OPCODE AA TC RD | RA Z RCODE | QDCOUNT(2) | ANCOUNT(2)
 *   | NSCOUNT(2) | ARCOUNT(2)
 * section 4.1.2 question: QNAME | QTYPE(2) | QCLASS(2)
 * section 4.1.3 RR: NAME | TYPE(2) | CLASS(2) | TTL(4) | RDLENGTH(2) | RDATA
 * section 4.1.4 compression: a label byte 11xxxxxx starts a 14-bit offset
 * from the message start.  Pointers must point strictly before the byte
 * that holds them and are capped at DNS_MAX_PTR_HOPS, so no name can loop;
 * no recursion is used.
 */
#include "classify/dns.h"

#include <string.h>

#include "classify/proto.h"

#define DNS_TYPE_A 1
#define DNS_TYPE_AAAA 28
#define DNS_TYPE_CNAME 5 /* RFC 1035 section 3.3.1 */
#define DNS_CLASS_IN 1
#define DNS_NAME_TEXT_MAX 255 /* RFC 1035 section 2.3.4 */

enum parse_rc dns_read_name(const uint8_t *msg, size_t msglen, struct cursor *c,
                            struct meta_name *out)
{
    char text[DNS_NAME_TEXT_MAX + 64];
    size_t tn = 0;
    bool cut = false, jumped = false;
    unsigned hops = 0;
    /* r reads the labels; it starts as c and moves to pointer targets */
    struct cursor r = *c;
    size_t limit = cur_off(c); /* pointers must point below this */
    for (unsigned labels = 0;; labels++) {
        if (labels > DNS_MAX_LABELS)
            return PARSE_INVALID;
        size_t here = cur_off(&r);
        uint8_t len = cur_u8(&r);
        if (!cur_ok(&r))
            return PARSE_TRUNCATED;
        if ((len & 0xc0) == 0xc0) {
            uint8_t lo = cur_u8(&r);
            if (!cur_ok(&r))
                return PARSE_TRUNCATED;
            size_t target = (size_t)(len & 0x3f) << 8 | lo;
            if (!jumped) {
                *c = r; /* the caller's cursor resumes after the first pointer */
                jumped = true;
            }
            if (++hops > DNS_MAX_PTR_HOPS || target >= here || target >= limit)
                return PARSE_INVALID;
            limit = target;
            r = cur_init(msg, msglen);
            cur_skip(&r, target);
            continue;
        }
        if (len & 0xc0)
            return PARSE_INVALID; /* 01/10 label types (RFC 6891 s5) unsupported */
        if (len == 0)
            break;
        struct span lab;
        if (!cur_span(&r, len, &lab))
            return PARSE_TRUNCATED;
        if (tn && tn < sizeof text)
            text[tn++] = '.';
        for (size_t i = 0; i < lab.n; i++) {
            if (tn < DNS_NAME_TEXT_MAX)
                text[tn++] = (char)(span_at(lab, i) == 0 ? '?' : span_at(lab, i));
            else
                cut = true;
        }
    }
    if (!jumped)
        *c = r;
    meta_name_set(out, text, tn);
    out->cut = out->cut || cut;
    return PARSE_OK;
}

enum parse_rc dns_parse_message(const uint8_t *p, size_t n, struct dns_msg *out)
{
    memset(out, 0, sizeof *out);
    struct cursor c = cur_init(p, n);
    out->id = cur_be16(&c);
    uint16_t flags = cur_be16(&c);
    uint16_t qd = cur_be16(&c), an = cur_be16(&c);
    cur_skip(&c, 4);
    if (!cur_ok(&c))
        return PARSE_TRUNCATED;
    out->response = (flags & 0x8000) != 0;
    out->rcode = flags & 0x000f;
    if (qd == 0)
        return PARSE_INVALID; /* nothing to bind a name to */
    enum parse_rc rc = dns_read_name(p, n, &c, &out->qname);
    if (rc != PARSE_OK)
        return rc;
    cur_skip(&c, 4);
    if (!cur_ok(&c))
        return PARSE_TRUNCATED;
    out->has_qname = true;
    /* further questions (qd > 1 is not used in practice) are skipped */
    for (unsigned i = 1; i < qd && i < DNS_MAX_RRS; i++) {
        struct meta_name skip;
        if (dns_read_name(p, n, &c, &skip) != PARSE_OK || !cur_skip(&c, 4))
            return PARSE_OK;
    }
    for (unsigned i = 0; i < an && i < DNS_MAX_RRS; i++) {
        struct meta_name owner;
        if (dns_read_name(p, n, &c, &owner) != PARSE_OK)
            return PARSE_OK;
        uint16_t type = cur_be16(&c), cls = cur_be16(&c);
        uint32_t ttl = cur_be32(&c);
        uint16_t rdlen = cur_be16(&c);
        struct cursor at = c; /* rdata start, for a (compressed) CNAME target */
        struct cursor rd;
        if (!cur_sub(&c, rdlen, &rd))
            return PARSE_OK;
        if (type == DNS_TYPE_CNAME && cls == DNS_CLASS_IN && out->ncnames < DNS_MAX_CNAMES) {
            /* the chain qname -> target -> ... (RFC 1034 section 3.6.2): its
             * targets in answer order; a bad target ends the chain */
            if (dns_read_name(p, n, &at, &out->cnames[out->ncnames]) == PARSE_OK &&
                cur_off(&at) <= cur_off(&c))
                out->ncnames++;
            continue;
        }
        if (cls != DNS_CLASS_IN || out->nanswers == DNS_MAX_ANSWERS)
            continue;
        struct dns_answer *a = &out->answers[out->nanswers];
        if (type == DNS_TYPE_A && cur_left(&rd) == 4) {
            a->family = 4;
            cur_copy(&rd, a->addr, 4);
        } else if (type == DNS_TYPE_AAAA && cur_left(&rd) == 16) {
            a->family = 6;
            cur_copy(&rd, a->addr, 16);
        } else {
            continue;
        }
        a->ttl = ttl & 0x7fffffffu; /* RFC 2181 section 8: top bit set means 0 */
        if (ttl & 0x80000000u)
            a->ttl = 0;
        out->nanswers++;
    }
    return PARSE_OK;
}

/* Registry row (proto.h): every response from server port 53 (RFC 1035
 * section 4.2.1).  The port only selects; the header must say response
 * (QR set), carry an assigned opcode (0-2 RFC 1035 section 4.1.1, 4 NOTIFY
 * RFC 1996, 5 UPDATE RFC 2136, 6 DSO RFC 8490) and a question.  A
 * response the parser then refuses is counted in dns_invalid. */
static enum proto_outcome probe(const struct proto_probe *pp)
{
    struct cursor c = cur_init(pp->bytes.p, pp->bytes.n);
    cur_skip(&c, 2); /* ID */
    uint16_t flags = cur_be16(&c);
    uint16_t qd = cur_be16(&c);
    cur_skip(&c, 6);
    if (!cur_ok(&c))
        return PROTO_NEED_MORE;
    unsigned opcode = (flags >> DNS_OPCODE_SHIFT) & DNS_OPCODE_MASK;
    if (!(flags & DNS_FLAG_QR) || opcode == DNS_OPCODE_UNASSIGNED || opcode > DNS_OPCODE_MAX ||
        qd == 0)
        return PROTO_EXCLUDE;
    return PROTO_MATCH;
}

static enum parse_rc parse(void *state, enum dir d, struct cursor *c, uint64_t ts_us,
                           const struct proto_emit *emit)
{
    (void)state;
    (void)d;
    (void)ts_us;
    struct span s = cur_rest(c);
    struct proto_meta m = {.kind = PROTO_DNS};
    if (dns_parse_message(s.p, s.n, &m.dns) != PARSE_OK)
        return PARSE_INVALID;
    proto_emit_meta(emit, &m);
    return PARSE_OK;
}

static const char *const counter_names[] = {"dns_invalid"};

const struct proto_ops dns_proto = {
    .name = "dns",
    .role = PROTO_ROLE_META,
    .transports = PROTO_T_UDP,
    .dirs = 1u << DIR_S2C,
    .server_port = DNS_PORT,
    .every_packet = true,
    .probe = probe,
    .parse = parse,
    .counter_names = counter_names,
    .ncounters = sizeof counter_names / sizeof counter_names[0],
};
