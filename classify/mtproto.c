/* mtproto.c - obfuscated2 header check (see mtproto.h).
 *
 * Header layout (64 bytes, client to server):
 *   0..7   random (byte 0 != 0xEF; 0..3 not "HEAD" "POST" "GET " "OPTI"
 *          16 03 01 02, DD DD DD DD, EE EE EE EE; 4..7 not all zero)
 *   8..39  AES-256 key      40..55 IV (CTR mode, big-endian counter)
 *   56..59 transport tag, 60..61 DC id, after encryption
 * libcrypto (already linked for the signature SHA-256) provides AES-CTR;
 * this is the one classify/ file that uses it, because the check needs it.
 */
#include "classify/mtproto.h"

#include <openssl/evp.h>
#include <string.h>

#include "capture/cursor.h"
#include "classify/proto.h"

static bool excluded_start(const uint8_t h[8])
{
    static const char *const bad[] = {"HEAD", "POST", "GET ", "OPTI"};
    static const uint8_t tls[4] = {0x16, 0x03, 0x01, 0x02};
    if (h[0] == 0xef)
        return true;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (memcmp(h, bad[i], 4) == 0)
            return true;
    if (memcmp(h, tls, 4) == 0)
        return true;
    if ((h[0] == 0xdd || h[0] == 0xee) && h[1] == h[0] && h[2] == h[0] && h[3] == h[0])
        return true;
    return h[4] == 0 && h[5] == 0 && h[6] == 0 && h[7] == 0;
}

bool mtproto_is_obfuscated2(const uint8_t *p, size_t n)
{
    uint8_t hdr[MTPROTO_OBF_HEADER_LEN], out[MTPROTO_OBF_HEADER_LEN];
    struct cursor c = cur_init(p, n);
    if (!cur_copy(&c, hdr, sizeof hdr) || excluded_start(hdr))
        return false;
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int len = 0;
    bool ok = ctx && EVP_EncryptInit_ex(ctx, EVP_aes_256_ctr(), NULL, hdr + 8, hdr + 40) == 1 &&
              EVP_EncryptUpdate(ctx, out, &len, hdr, (int)sizeof hdr) == 1 &&
              len == (int)sizeof hdr;
    EVP_CIPHER_CTX_free(ctx);
    if (!ok)
        return false;
    const uint8_t *tag = out + 56;
    return tag[1] == tag[0] && tag[2] == tag[0] && tag[3] == tag[0] &&
           (tag[0] == 0xef || tag[0] == 0xee || tag[0] == 0xdd);
}

/* Registry row (proto.h): a detector, asked by signature rules that name
 * it ("detector: mtproto-obfuscated2") on a client's first payload. */
static enum proto_outcome probe(const struct proto_probe *pp)
{
    if (pp->bytes.n < MTPROTO_OBF_HEADER_LEN)
        return PROTO_NEED_MORE;
    return mtproto_is_obfuscated2(pp->bytes.p, pp->bytes.n) ? PROTO_MATCH : PROTO_EXCLUDE;
}

const struct proto_ops mtproto_proto = {
    .name = "mtproto-obfuscated2",
    .role = PROTO_ROLE_DETECTOR,
    .transports = PROTO_T_TCP,
    .probe = probe,
};
