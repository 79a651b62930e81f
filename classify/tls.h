/* tls.h - TLS ClientHello metadata: server_name, first ALPN, ECH flag.
 *
 * Reads the first TLS record of a client's first payload packet (RFC 8446
 * section 5.1 record layer, section 4.1.2 ClientHello; RFC 6066 section 3
 * server_name; RFC 7301 section 3.1 ALPN; draft-ietf-tls-esni
 * encrypted_client_hello 0xFE0D).  Metadata only: no key material is kept.
 */
#ifndef PR_CLASSIFY_TLS_H
#define PR_CLASSIFY_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"
#include "classify/meta.h"

#define TLS_MAX_EXTENSIONS 64   /* real hellos carry < 30 */
#define TLS_ALPN_MAX 64         /* longest ALPN kept (RFC 7301 allows 255) */
#define TLS_MAX_ALPN 8          /* ALPN values examined */
#define TLS_EXT_SERVER_NAME 0x0000
#define TLS_EXT_ALPN 0x0010
#define TLS_EXT_ECH 0xfe0d

struct tls_hello {
    bool has_sni;
    struct meta_name sni;
    unsigned nalpn;
    char alpn[TLS_MAX_ALPN][TLS_ALPN_MAX + 1]; /* printable, cut */
    bool ech;                  /* encrypted_client_hello offered */
};

/* Opens the TLS record at the start of p[0, n) (untrusted, borrowed; RFC
 * 8446 section 5.1: type, legacy version, 16-bit length): *rec becomes a
 * cursor over the record's bytes that were captured (*cut when fewer than
 * *rlen, the length the header claims).  PARSE_OK; PARSE_TRUNCATED when the
 * header itself is cut short of a plausible handshake record; PARSE_INVALID
 * when it is not a non-empty TLS 1.x handshake record.  Shared by the
 * ClientHello and the server Certificate parsers (tls_cert.c). */
enum parse_rc tls_record_open(const uint8_t *p, size_t n, struct cursor *rec, uint16_t *rlen,
                              bool *cut);

/* Parses p[0, n) (untrusted, borrowed) as the start of a TLS stream from the
 * client.  PARSE_OK: a ClientHello was read to its end.  PARSE_TRUNCATED:
 * it starts correctly but the bytes end first (fields read so far are set).
 * PARSE_INVALID: not a TLS handshake record / ClientHello.  *out is always
 * initialised. */
enum parse_rc tls_parse_client_hello(const uint8_t *p, size_t n, struct tls_hello *out);

/* The registry row (classify/proto.h): ClientHello metadata. */
struct proto_ops;
extern const struct proto_ops tls_proto;

#endif
