/* tls_cert.h - the server's TLS 1.2 Certificate message: the leaf
 * certificate's subject commonName and subjectAltName dNSNames.
 *
 * Read from the server's first payload packet (RFC 5246 section 7.4.2: the
 * Certificate message follows ServerHello in the server's flight; TLS 1.3
 * encrypts it, RFC 8446 section 4.4.2).  X.509 (RFC 5280 section 4.1) in DER
 * (X.690): only the first certificate of the list, and only as far as the
 * packet goes: a certificate cut by the segment boundary yields the names
 * before the cut.  Names only: no key, no signature is kept.
 */
#ifndef PR_CLASSIFY_TLS_CERT_H
#define PR_CLASSIFY_TLS_CERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/rc.h"
#include "classify/meta.h"

#define TLS_CERT_MAX_NAMES 8    /* CN + SAN dNSNames kept (big CDN certs list 100+) */
#define TLS_CERT_MAX_HS 8       /* handshake messages walked before Certificate */
#define TLS_CERT_MAX_RDNS 32    /* RDNs of the subject examined */
#define TLS_CERT_MAX_EXTS 32    /* extensions examined */
#define TLS_CERT_MAX_SANS 64    /* GeneralNames examined */
#define TLS_HS_CERTIFICATE 11   /* RFC 5246 section 7.4 HandshakeType */

struct tls_cert_names {
    unsigned n;                 /* names[0] is the CN when has_cn */
    bool has_cn;
    struct meta_name names[TLS_CERT_MAX_NAMES];
};

/* Parses p[0, n) (untrusted, borrowed), the server's first bytes of a TLS
 * stream.  PARSE_OK: a Certificate message was found and its first
 * certificate read to the end of its extensions.  PARSE_TRUNCATED: the
 * bytes end before (names found so far are set; none when the Certificate
 * message was not reached).  PARSE_INVALID: not a TLS handshake record, or
 * a Certificate whose DER contradicts itself.  *out is always initialised. */
enum parse_rc tls_cert_parse(const uint8_t *p, size_t n, struct tls_cert_names *out);

/* The registry row (classify/proto.h). */
struct proto_ops;
extern const struct proto_ops tls_cert_proto;

#endif
