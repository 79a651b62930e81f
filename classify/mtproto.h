/* mtproto.h - Telegram MTProto "obfuscated2" transport recognition.
 *
 * core.telegram.org/mtproto/mtproto-transports#transport-obfuscation: the
 * client's first 64 bytes are random except that, encrypted with
 * AES-256-CTR under key = bytes 8..39 and IV = bytes 40..55 of the header
 * itself, bytes 56..59 become the transport tag (EF EF EF EF abridged,
 * EE EE EE EE intermediate, DD DD DD DD padded intermediate).  A passive
 * observer can therefore check the tag without any secret (direct DC
 * connections; MTProxy mixes a secret into the key and is not recognised).
 * Random bytes pass by chance with probability 3 / 2^32.
 */
#ifndef PR_CLASSIFY_MTPROTO_H
#define PR_CLASSIFY_MTPROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MTPROTO_OBF_HEADER_LEN 64

/* True when p[0, n) (untrusted, borrowed; a client's first payload) starts
 * with an obfuscated2 header.  Reads at most MTPROTO_OBF_HEADER_LEN bytes. */
bool mtproto_is_obfuscated2(const uint8_t *p, size_t n);

/* The registry row (classify/proto.h): a detector for signature rules. */
struct proto_ops;
extern const struct proto_ops mtproto_proto;

#endif
