/* tls_cert.c - names from the server's TLS 1.2 Certificate (see tls_cert.h).
 *
 *   record    type(1)=22 | version(2) | length(2) | handshake messages
 *   handshake msg_type(1) | length(3) | body          (RFC 5246 s7.4)
 *   Certificate body: certificate_list<0..2^24-1>: { length(3) | DER }*
 *   Certificate  ::= SEQUENCE { tbsCertificate, signatureAlgorithm, sig }
 *   TBSCertificate ::= SEQUENCE { [0] version, serialNumber, signature,
 *       issuer Name, validity, subject Name, subjectPublicKeyInfo,
 *       [1] issuerUID, [2] subjectUID, [3] extensions }  (RFC 5280 s4.1)
 *   Name ::= SEQUENCE OF SET OF SEQUENCE { type OID, value }
 *   Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE,
 *       extnValue OCTET STRING }; subjectAltName 2.5.29.17 holds
 *       SEQUENCE OF GeneralName, dNSName = [2] IMPLICIT IA5String (0x82).
 * Every DER element is a clamped child cursor: an element longer than the
 * packet is read as far as the packet goes (the names before the cut).
 */
#include "classify/tls_cert.h"

#include <string.h>

#include "capture/cursor.h"
#include "classify/proto.h"
#include "classify/tls.h"

#define TLS_CONTENT_HANDSHAKE 22
#define DER_SEQUENCE 0x30
#define DER_SET 0x31
#define DER_OID 0x06
#define DER_OCTET_STRING 0x04
#define DER_BOOLEAN 0x01
#define DER_CTX0 0xa0 /* [0] EXPLICIT version */
#define DER_CTX3 0xa3 /* [3] EXPLICIT extensions */
#define DER_DNS_NAME 0x82
#define DER_MAX_LEN_OCTETS 3 /* a certificate element larger than 16 MiB is not one */

static const uint8_t oid_cn[] = {0x55, 0x04, 0x03};  /* 2.5.4.3 commonName */
static const uint8_t oid_san[] = {0x55, 0x1d, 0x11}; /* 2.5.29.17 subjectAltName */

enum { DER_BAD = -1, DER_SHORT = 0, DER_OK = 1 };

/* Reads a DER header (single-octet tag, definite length) and returns the
 * element's contents as a clamped child cursor; *cut when the packet ends
 * inside it.  DER_SHORT when the bytes end inside the header, DER_BAD when
 * the length form is not DER's (indefinite, or longer than
 * DER_MAX_LEN_OCTETS). */
static int der(struct cursor *c, uint8_t *tag, struct cursor *val, bool *cut)
{
    *tag = cur_u8(c);
    uint8_t l0 = cur_u8(c);
    if (!cur_ok(c))
        return DER_SHORT;
    size_t len = l0;
    if (l0 & 0x80) {
        unsigned k = l0 & 0x7fu;
        if (k == 0 || k > DER_MAX_LEN_OCTETS)
            return DER_BAD;
        len = 0;
        for (unsigned i = 0; i < k; i++)
            len = len << 8 | cur_u8(c);
        if (!cur_ok(c))
            return DER_SHORT;
    }
    *val = cur_sub_clamped(c, len, cut);
    return DER_OK;
}

static bool span_eq(struct span s, const uint8_t *p, size_t n)
{
    return s.n == n && memcmp(s.p, p, n) == 0;
}

static void add_name(struct tls_cert_names *out, struct span s)
{
    if (out->n < TLS_CERT_MAX_NAMES && s.n)
        meta_name_set(&out->names[out->n++], s.p, s.n);
}

/* Subject Name: the commonName values. */
static void subject(struct cursor name, struct tls_cert_names *out)
{
    for (unsigned i = 0; i < TLS_CERT_MAX_RDNS && cur_left(&name) > 0; i++) {
        uint8_t t;
        struct cursor rdn, atv, v;
        bool cut;
        if (der(&name, &t, &rdn, &cut) != DER_OK || t != DER_SET)
            return;
        if (der(&rdn, &t, &atv, &cut) != DER_OK || t != DER_SEQUENCE)
            return;
        if (der(&atv, &t, &v, &cut) != DER_OK || t != DER_OID)
            return;
        struct span oid = cur_rest(&v);
        if (der(&atv, &t, &v, &cut) != DER_OK || cut)
            return; /* a name cut by the packet end is not a name */
        if (span_eq(oid, oid_cn, sizeof oid_cn) && !out->has_cn && out->n == 0) {
            add_name(out, cur_rest(&v));
            out->has_cn = out->n == 1;
        }
    }
}

static void san(struct cursor octets, struct tls_cert_names *out)
{
    uint8_t t;
    struct cursor seq, gn;
    bool cut;
    if (der(&octets, &t, &seq, &cut) != DER_OK || t != DER_SEQUENCE)
        return;
    for (unsigned i = 0; i < TLS_CERT_MAX_SANS && cur_left(&seq) > 0; i++) {
        if (der(&seq, &t, &gn, &cut) != DER_OK)
            return;
        if (t == DER_DNS_NAME && !cut)
            add_name(out, cur_rest(&gn));
    }
}

static void extensions(struct cursor exts, struct tls_cert_names *out)
{
    uint8_t t;
    struct cursor seq, ext, v;
    bool cut;
    if (der(&exts, &t, &seq, &cut) != DER_OK || t != DER_SEQUENCE)
        return;
    for (unsigned i = 0; i < TLS_CERT_MAX_EXTS && cur_left(&seq) > 0; i++) {
        if (der(&seq, &t, &ext, &cut) != DER_OK || t != DER_SEQUENCE)
            return;
        if (der(&ext, &t, &v, &cut) != DER_OK || t != DER_OID)
            return;
        struct span oid = cur_rest(&v);
        if (der(&ext, &t, &v, &cut) != DER_OK)
            return;
        if (t == DER_BOOLEAN && der(&ext, &t, &v, &cut) != DER_OK)
            return;
        if (t == DER_OCTET_STRING && span_eq(oid, oid_san, sizeof oid_san))
            san(v, out);
    }
}

/* One certificate (DER): fills out; false when the DER contradicts itself
 * before the packet ends. */
static bool certificate(struct cursor c, struct tls_cert_names *out, bool *complete)
{
    uint8_t t;
    struct cursor cert, tbs, v;
    bool cut, tbs_cut;
    *complete = false;
    int r = der(&c, &t, &cert, &cut);
    if (r != DER_OK)
        return r == DER_SHORT;
    if (t != DER_SEQUENCE)
        return false;
    r = der(&cert, &t, &tbs, &tbs_cut);
    if (r != DER_OK)
        return r == DER_SHORT;
    if (t != DER_SEQUENCE)
        return false;
    /* version [0] (optional), serial, signature, issuer, validity, subject */
    static const uint8_t want[] = {DER_CTX0, 0x02, DER_SEQUENCE, DER_SEQUENCE, DER_SEQUENCE,
                                   DER_SEQUENCE};
    for (size_t i = 0; i < sizeof want; i++) {
        if (i == 0 && cur_left(&tbs) > 0 && cur_peek(&tbs, 0) != DER_CTX0)
            continue; /* v1 certificate: no version field */
        r = der(&tbs, &t, &v, &cut);
        if (r != DER_OK)
            return r == DER_SHORT;
        if (t != want[i])
            return false;
        if (i + 1 == sizeof want)
            subject(v, out);
    }
    if (der(&tbs, &t, &v, &cut) != DER_OK) /* subjectPublicKeyInfo */
        return true;
    while (cur_left(&tbs) > 0) { /* [1], [2], [3] */
        if (der(&tbs, &t, &v, &cut) != DER_OK)
            return true;
        if (t == DER_CTX3) {
            extensions(v, out);
            *complete = !cut && !tbs_cut;
            return true;
        }
    }
    *complete = !tbs_cut;
    return true;
}

enum parse_rc tls_cert_parse(const uint8_t *p, size_t n, struct tls_cert_names *out)
{
    memset(out, 0, sizeof *out);
    /* The flight's handshake messages may span records; only the first
     * record is followed (the Certificate starts in it in TLS 1.2 flights
     * that fit; a later record start is not parsed). */
    struct cursor rec;
    uint16_t rlen;
    bool cut;
    enum parse_rc rrc = tls_record_open(p, n, &rec, &rlen, &cut);
    if (rrc != PARSE_OK)
        return rrc;
    for (unsigned i = 0; i < TLS_CERT_MAX_HS; i++) {
        uint8_t hs = cur_u8(&rec);
        uint32_t hlen = cur_be24(&rec);
        if (!cur_ok(&rec))
            return PARSE_TRUNCATED;
        bool hcut;
        struct cursor body = cur_sub_clamped(&rec, hlen, &hcut);
        if (hs != TLS_HS_CERTIFICATE) {
            if (hcut)
                return PARSE_TRUNCATED;
            continue;
        }
        uint32_t listlen = cur_be24(&body);
        uint32_t certlen = cur_be24(&body);
        if (!cur_ok(&body))
            return PARSE_TRUNCATED;
        if (certlen > listlen)
            return PARSE_INVALID;
        bool ccut, complete;
        struct cursor der_c = cur_sub_clamped(&body, certlen, &ccut);
        if (!certificate(der_c, out, &complete))
            return PARSE_INVALID;
        return complete && !ccut ? PARSE_OK : PARSE_TRUNCATED;
    }
    return PARSE_INVALID; /* no Certificate among the first messages */
}

/* Registry row (proto.h): the server's first payload packet on TCP when it
 * starts like a TLS handshake record (RFC 5246 section 6.2.1). */
enum { CERT_CNT_SEEN = PROTO_CNT_OVERSIZE + 1 };

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
    struct proto_meta m = {.kind = PROTO_TLS_CERT};
    enum parse_rc rc = tls_cert_parse(s.p, s.n, &m.cert);
    if (rc == PARSE_INVALID)
        return PARSE_INVALID;
    if (m.cert.n) {
        emit->counters[CERT_CNT_SEEN]++;
        proto_emit_meta(emit, &m);
    }
    return rc;
}

static const char *const counter_names[] = {NULL, NULL, NULL, "tls_certificates_read"};

const struct proto_ops tls_cert_proto = {
    .name = "tlscert",
    .role = PROTO_ROLE_META,
    .transports = PROTO_T_TCP,
    .dirs = 1u << DIR_S2C,
    .probe = probe,
    .parse = parse,
    .counter_names = counter_names,
    .ncounters = sizeof counter_names / sizeof counter_names[0],
};
