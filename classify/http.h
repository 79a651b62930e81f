/* http.h - HTTP/1.x request metadata: the Host header (RFC 9112 section 3.2).
 *
 * Only the request line's method token and the header names are looked at;
 * the target, other header values and the body are skipped, never copied.
 */
#ifndef PR_CLASSIFY_HTTP_H
#define PR_CLASSIFY_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/rc.h"
#include "classify/meta.h"

#define HTTP_MAX_HEADERS 64    /* header lines examined */
#define HTTP_METHOD_MAX 16     /* longest method token accepted ("PROPPATCH") */

struct http_req {
    bool has_host;
    struct meta_name host;     /* without a ":port" suffix */
};

/* Parses p[0, n) (untrusted, borrowed) as the start of an HTTP/1.x request.
 * PARSE_OK: Host found (or headers ended without one).  PARSE_TRUNCATED: a
 * request that ends before its headers do.  PARSE_INVALID: not a request
 * line.  *out is always initialised. */
enum parse_rc http_parse_request(const uint8_t *p, size_t n, struct http_req *out);

/* The registry row (classify/proto.h): HTTP/1.x request metadata. */
struct proto_ops;
extern const struct proto_ops http_proto;

#endif
