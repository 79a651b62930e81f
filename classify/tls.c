/* tls.c - TLS ClientHello metadata (see tls.h).
 *
 * RFC 8446 section 5.1 / 4.1.2:
 *
 *   record:    type(1)=22 | legacy_version(2) | length(2) | fragment
 *   handshake: msg_type(1)=1 | length(3) | body
 *   body:      version(2) | random(32) | session_id<0..32> (len 1)
 *              | cipher_suites<2..2^16-2> (len 2) | compression<1..255> (len 1)
 *              | extensions<8..2^16-1> (len 2): { type(2) | len(2) | data }*
 *   server_name (RFC 6066 s3): list len(2) | { type(1)=0 | len(2) | host }*
 *   ALPN (RFC 7301 s3.1):      list len(2) | { len(1) | protocol }*
 *
 * A ClientHello larger than the first segment is parsed as far as it goes
 * (PARSE_TRUNCATED): the server name is nearly always in the first 512 bytes.
 */
#include "classify/tls.h"

#include <string.h>

#include "capture/cursor.h"
#include "classify/proto.h"

#define TLS_CONTENT_HANDSHAKE 22
#define TLS_HS_CLIENT_HELLO 1
#define TLS_RANDOM_LEN 32
#define TLS_SESSION_ID_MAX 32

static void parse_sni(struct cursor *c, struct tls_hello *out)
{
    struct cursor list;
    cur_sub(c, cur_be16(c), &list);
    while (cur_ok(&list) && cur_left(&list) > 0) {
        uint8_t type = cur_u8(&list);
        struct span name;
        if (!cur_span(&list, cur_be16(&list), &name))
            return;
        if (type == 0 && !out->has_sni) { /* host_name */
            out->has_sni = true;
            meta_name_set(&out->sni, name.p, name.n);
        }
    }
}

static void parse_alpn(struct cursor *c, struct tls_hello *out)
{
    struct cursor list;
    cur_sub(c, cur_be16(c), &list);
    while (cur_ok(&list) && cur_left(&list) > 0 && out->nalpn < TLS_MAX_ALPN) {
        struct span v;
        if (!cur_span(&list, cur_u8(&list), &v))
            return;
        char *dst = out->alpn[out->nalpn++];
        size_t k = 0;
        for (; k < v.n && k < TLS_ALPN_MAX; k++) {
            uint8_t ch = span_at(v, k);
            dst[k] = (ch >= 0x20 && ch < 0x7f) ? (char)ch : '?';
        }
        dst[k] = '\0';
    }
}

enum parse_rc tls_record_open(const uint8_t *p, size_t n, struct cursor *rec, uint16_t *rlen,
                              bool *cut)
{
    struct cursor c = cur_init(p, n);
    uint8_t type = cur_u8(&c);
    uint8_t vmaj = cur_u8(&c);
    cur_skip(&c, 1);
    *rlen = cur_be16(&c);
    if (!cur_ok(&c))
        return n == 0 || (type == TLS_CONTENT_HANDSHAKE && (n < 2 || vmaj == 3))
                   ? PARSE_TRUNCATED
                   : PARSE_INVALID;
    if (type != TLS_CONTENT_HANDSHAKE || vmaj != 3 || *rlen == 0)
        return PARSE_INVALID;
    *rec = cur_sub_clamped(&c, *rlen, cut);
    return PARSE_OK;
}

enum parse_rc tls_parse_client_hello(const uint8_t *p, size_t n, struct tls_hello *out)
{
    memset(out, 0, sizeof *out);
    struct cursor rec;
    uint16_t rlen;
    bool cut;
    enum parse_rc rrc = tls_record_open(p, n, &rec, &rlen, &cut);
    if (rrc != PARSE_OK)
        return rrc;
    uint8_t hs = cur_u8(&rec);
    uint32_t hlen = cur_be24(&rec);
    if (!cur_ok(&rec))
        return PARSE_TRUNCATED;
    if (hs != TLS_HS_CLIENT_HELLO)
        return PARSE_INVALID;
    if (hlen > (uint32_t)rlen - 4u)
        return PARSE_INVALID; /* a hello split over records: rare; not followed */
    /* A record longer than the capture is fine when the hello inside it is
     * complete: only the hello's own bytes decide TRUNCATED. */
    struct cursor body = cur_sub_clamped(&rec, hlen, &cut);
    bool body_cut = cut;
    cur_skip(&body, 2 + TLS_RANDOM_LEN);
    uint8_t sidlen = cur_u8(&body);
    if (cur_ok(&body) && sidlen > TLS_SESSION_ID_MAX)
        return PARSE_INVALID;
    cur_skip(&body, sidlen);
    cur_skip(&body, cur_be16(&body));
    cur_skip(&body, cur_u8(&body));
    if (!cur_ok(&body))
        return PARSE_TRUNCATED;
    if (cur_left(&body) == 0)
        return body_cut ? PARSE_TRUNCATED : PARSE_OK; /* no extensions (TLS 1.0 style) */
    uint16_t elen = cur_be16(&body);
    struct cursor exts = cur_sub_clamped(&body, elen, &cut);
    cut = cut || body_cut;
    if (!cur_ok(&body))
        return PARSE_TRUNCATED;
    for (unsigned i = 0; i < TLS_MAX_EXTENSIONS && cur_left(&exts) > 0; i++) {
        uint16_t et = cur_be16(&exts);
        struct cursor ext;
        if (!cur_sub(&exts, cur_be16(&exts), &ext))
            return PARSE_TRUNCATED;
        if (et == TLS_EXT_SERVER_NAME)
            parse_sni(&ext, out);
        else if (et == TLS_EXT_ALPN)
            parse_alpn(&ext, out);
        else if (et == TLS_EXT_ECH)
            out->ech = true;
    }
    return cut ? PARSE_TRUNCATED : PARSE_OK;
}

/* Registry row (proto.h): the client's first payload packet on TCP, read
 * for SNI, ALPN and ECH.  A record that starts like a TLS handshake
 * (RFC 8446 section 5.1: type 22, legacy version major 3) is probed. */
enum { TLS_CNT_HELLOS = PROTO_CNT_OVERSIZE + 1, TLS_CNT_ECH };

static enum proto_outcome probe(const struct proto_probe *pp)
{
    struct span s = pp->bytes;
    if (s.n < 1)
        return PROTO_NEED_MORE;
    if (span_at(s, 0) != TLS_CONTENT_HANDSHAKE || (s.n >= 2 && span_at(s, 1) != 3))
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
    struct tls_hello h;
    enum parse_rc rc = tls_parse_client_hello(s.p, s.n, &h);
    if (rc != PARSE_OK && rc != PARSE_TRUNCATED)
        return PARSE_INVALID;
    struct proto_meta m = {.kind = PROTO_TLS, .has_name = h.has_sni && h.sni.s[0],
                           .name = h.sni, .ech = h.ech, .nalpn = h.nalpn};
    memcpy(m.alpn, h.alpn, sizeof m.alpn);
    emit->counters[TLS_CNT_HELLOS]++;
    if (h.ech)
        emit->counters[TLS_CNT_ECH]++;
    proto_emit_meta(emit, &m);
    return rc;
}

static const char *const counter_names[] = {NULL, NULL, NULL, "tls_client_hellos",
                                            "tls_ech_offered"};

const struct proto_ops tls_proto = {
    .name = "tls",
    .role = PROTO_ROLE_META,
    .transports = PROTO_T_TCP,
    .dirs = 1u << DIR_C2S,
    .probe = probe,
    .parse = parse,
    .counter_names = counter_names,
    .ncounters = sizeof counter_names / sizeof counter_names[0],
};
