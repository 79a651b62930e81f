/* http.c - HTTP/1.x Host header (see http.h).
 *
 * RFC 9112 section 3: request-line = method SP request-target SP HTTP-version
 * CRLF; section 5: field-line = field-name ":" OWS field-value OWS.  Lines
 * are split with a length cap (the cursor's bound); a bare LF is accepted as
 * RFC 9112 section 2.2 allows.
 */
#include "classify/http.h"

#include <string.h>
#include <strings.h>

#include "capture/cursor.h"
#include "classify/proto.h"

/* Reads one line (without its CR LF) as a span; false when no LF is left. */
static bool next_line(struct cursor *c, struct span *line)
{
    struct span rest = cur_rest(c);
    const uint8_t *lf = rest.n ? memchr(rest.p, '\n', rest.n) : NULL;
    if (!lf)
        return false;
    size_t len = (size_t)(lf - rest.p);
    cur_span(c, len, line);
    cur_skip(c, 1);
    if (line->n && span_at(*line, line->n - 1) == '\r')
        line->n--;
    return true;
}

static bool is_tchar(uint8_t ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
           ch == '-' || ch == '_';
}

enum parse_rc http_parse_request(const uint8_t *p, size_t n, struct http_req *out)
{
    memset(out, 0, sizeof *out);
    struct cursor c = cur_init(p, n);
    /* method token then SP: checked before any line is needed */
    size_t m = 0;
    while (m <= HTTP_METHOD_MAX && cur_has(&c, m + 1) && is_tchar(cur_peek(&c, m)))
        m++;
    if (!cur_has(&c, m + 1))
        return m == n && m <= HTTP_METHOD_MAX ? PARSE_TRUNCATED : PARSE_INVALID;
    if (m == 0 || m > HTTP_METHOD_MAX || cur_peek(&c, m) != ' ')
        return PARSE_INVALID;
    struct span line;
    if (!next_line(&c, &line))
        return PARSE_TRUNCATED;
    if (line.n < 8 || memcmp(line.p + line.n - 8, "HTTP/1.", 7) != 0)
        return PARSE_INVALID;
    for (unsigned i = 0; i < HTTP_MAX_HEADERS; i++) {
        if (!next_line(&c, &line))
            return PARSE_TRUNCATED;
        if (line.n == 0)
            return PARSE_OK;
        const uint8_t *colon = memchr(line.p, ':', line.n);
        if (!colon)
            continue;
        size_t klen = (size_t)(colon - line.p);
        if (klen != 4 || strncasecmp((const char *)line.p, "host", 4) != 0)
            continue;
        struct cursor v = cur_init(colon + 1, line.n - klen - 1);
        while (cur_peek(&v, 0) == ' ' || cur_peek(&v, 0) == '\t')
            cur_skip(&v, 1);
        struct span val = cur_rest(&v);
        while (val.n && (span_at(val, val.n - 1) == ' ' || span_at(val, val.n - 1) == '\t'))
            val.n--;
        /* drop ":port" (not inside an IPv6 literal) */
        if (val.n && span_at(val, 0) != '[') {
            const uint8_t *pc = memchr(val.p, ':', val.n);
            if (pc)
                val.n = (size_t)(pc - val.p);
        }
        out->has_host = true;
        meta_name_set(&out->host, val.p, val.n);
        return PARSE_OK;
    }
    return PARSE_OK;
}

/* Registry row (proto.h): the client's first payload packet on TCP, read
 * for Host.  A request line starts with a method token (RFC 9110 section
 * 9.1), so anything else is excluded at its first byte. */
enum { HTTP_CNT_REQUESTS = PROTO_CNT_OVERSIZE + 1 };

static enum proto_outcome probe(const struct proto_probe *pp)
{
    if (pp->bytes.n < 1)
        return PROTO_NEED_MORE;
    return is_tchar(span_at(pp->bytes, 0)) ? PROTO_MATCH : PROTO_EXCLUDE;
}

static enum parse_rc parse(void *state, enum dir d, struct cursor *c, uint64_t ts_us,
                           const struct proto_emit *emit)
{
    (void)state;
    (void)d;
    (void)ts_us;
    struct span s = cur_rest(c);
    struct http_req r;
    enum parse_rc rc = http_parse_request(s.p, s.n, &r);
    if (rc == PARSE_INVALID)
        return rc;
    struct proto_meta m = {.kind = PROTO_HTTP, .has_name = r.has_host, .name = r.host};
    emit->counters[HTTP_CNT_REQUESTS]++;
    proto_emit_meta(emit, &m);
    return rc;
}

static const char *const counter_names[] = {NULL, NULL, NULL, "http_requests"};

const struct proto_ops http_proto = {
    .name = "http",
    .role = PROTO_ROLE_META,
    .transports = PROTO_T_TCP,
    .dirs = 1u << DIR_C2S,
    .probe = probe,
    .parse = parse,
    .counter_names = counter_names,
    .ncounters = sizeof counter_names / sizeof counter_names[0],
};
