/* registry.c - the metadata parser table (see registry.h).
 *
 * Order matters only for cost: cheap first-byte checks come first.  A
 * parser that excludes a packet costs a few byte comparisons.
 */
#include "classify/registry.h"

#include <string.h>

#include "classify/http.h"

static enum proto_outcome parse_tls(const uint8_t *p, size_t n, struct proto_meta *out)
{
    struct tls_hello h;
    enum parse_rc rc = tls_parse_client_hello(p, n, &h);
    if (rc != PARSE_OK && rc != PARSE_TRUNCATED)
        return PROTO_EXCLUDE;
    out->kind = PROTO_TLS;
    out->has_name = h.has_sni && h.sni.s[0];
    out->name = h.sni;
    out->ech = h.ech;
    out->nalpn = h.nalpn;
    memcpy(out->alpn, h.alpn, sizeof out->alpn);
    return rc == PARSE_OK ? PROTO_MATCH : PROTO_NEED_MORE;
}

static enum proto_outcome parse_http(const uint8_t *p, size_t n, struct proto_meta *out)
{
    struct http_req r;
    enum parse_rc rc = http_parse_request(p, n, &r);
    if (rc == PARSE_INVALID)
        return PROTO_EXCLUDE;
    out->kind = PROTO_HTTP;
    out->has_name = r.has_host;
    out->name = r.host;
    return rc == PARSE_OK ? PROTO_MATCH : PROTO_NEED_MORE;
}

static enum proto_outcome parse_dns(const uint8_t *p, size_t n, struct proto_meta *out)
{
    out->kind = PROTO_DNS;
    return dns_parse_message(p, n, &out->dns) == PARSE_OK ? PROTO_MATCH : PROTO_EXCLUDE;
}

/* DNS: responses (s2c) of every packet from server port 53 (RFC 1035
 * section 4.2.1); TLS and HTTP: the client's first payload, any port. */
static const struct proto_ops parsers[] = {
    {"tls", 6, 0, 1, false, parse_tls},
    {"http", 6, 0, 1, false, parse_http},
    {"dns", 17, 53, 2, true, parse_dns},
};

const struct proto_ops *registry_parsers(size_t *n)
{
    *n = sizeof parsers / sizeof parsers[0];
    return parsers;
}
