/* stun.h - STUN/TURN message metadata: the REALM and SOFTWARE attributes,
 * the shape of USERNAME, and the relay a TURN Allocate success response
 * hands out (XOR-RELAYED-ADDRESS).
 *
 * RFC 5389 (STUN) section 6 (header), 15 (attributes: 0x0006 USERNAME,
 * 0x0014 REALM, 0x8022 SOFTWARE, 0x0020 XOR-MAPPED-ADDRESS encoding);
 * RFC 5766 / RFC 8656 (TURN) section 18 (0x0016 XOR-RELAYED-ADDRESS),
 * method 0x003 Allocate.  Metadata only: no credential (USERNAME value,
 * MESSAGE-INTEGRITY, NONCE) is kept; of USERNAME only its length and
 * whether it has the ICE "a:b" shape (RFC 8445 section 7.2.2).
 */
#ifndef PR_CLASSIFY_STUN_H
#define PR_CLASSIFY_STUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/rc.h"
#include "classify/meta.h"

#define STUN_HEADER_LEN 20
#define STUN_MAGIC_COOKIE 0x2112a442u  /* RFC 5389 section 6 */
#define STUN_MAX_ATTRS 64              /* attributes examined per message */
#define STUN_ATTR_USERNAME 0x0006
#define STUN_ATTR_REALM 0x0014
#define STUN_ATTR_XOR_RELAYED_ADDRESS 0x0016 /* RFC 8656 section 18.5 */
#define STUN_ATTR_SOFTWARE 0x8022
#define STUN_METHOD_ALLOCATE 0x003     /* RFC 8656 section 17 */
#define STUN_CLASS_SUCCESS 2           /* RFC 5389 section 6: C1 C0 = 1 0 */

struct stun_msg {
    uint16_t method;           /* 12-bit method */
    uint8_t cls;               /* 0 request, 1 indication, 2 success, 3 error */
    bool has_realm, has_software;
    struct meta_name realm;    /* bounded, lower-cased copy */
    struct meta_name software; /* bounded, lower-cased copy */
    bool has_username;
    uint16_t username_len;
    bool username_ice;         /* "ufrag:ufrag" shape */
    bool has_relay;            /* XOR-RELAYED-ADDRESS in an Allocate success */
    uint8_t relay_family;      /* 4 or 6 */
    uint8_t relay_addr[16];
    uint16_t relay_port;
};

/* Parses one STUN message p[0, n) (untrusted, borrowed; a UDP payload).
 * PARSE_OK: header and attributes read.  PARSE_TRUNCATED: the bytes end
 * inside the header or the declared length (fields read so far are set).
 * PARSE_INVALID: not STUN (top bits, magic cookie, length not a multiple of
 * 4, an attribute running past the message).  *out is always initialised. */
enum parse_rc stun_parse(const uint8_t *p, size_t n, struct stun_msg *out);

/* The registry row (classify/proto.h): STUN/TURN metadata on UDP. */
struct proto_ops;
extern const struct proto_ops stun_proto;

#endif
