/* suci.c - SUCI de-concealment with the home network's keys (see suci.h). */
#include "classify/suci.h"

#include <ctype.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify/sms_addr.h"

#define X25519_LEN 32
#define P256_COMPRESSED_LEN 33
#define Z_LEN 32
#define ENC_KEY_LEN 16
#define ICB_LEN 16
#define MAC_KEY_LEN 32
#define KDF_LEN (ENC_KEY_LEN + ICB_LEN + MAC_KEY_LEN)

/* TS 33.501 Annex C.4.3 (Profile A) and C.4.4 (Profile B): the home network
 * private keys of the test data. */
static const uint8_t test_key_a[32] = {
    0xc5, 0x3c, 0x22, 0x20, 0x8b, 0x61, 0x86, 0x0b, 0x06, 0xc6, 0x2e, 0x54, 0x06, 0xa7, 0xb3, 0x30,
    0xc2, 0xb5, 0x77, 0xaa, 0x55, 0x58, 0x98, 0x15, 0x10, 0xd1, 0x28, 0x24, 0x7d, 0x38, 0xbd, 0x1d};
static const uint8_t test_key_b[32] = {
    0xf1, 0xab, 0x10, 0x74, 0x47, 0x7e, 0xbc, 0xc7, 0xf5, 0x54, 0xea, 0x1c, 0x5f, 0xc3, 0x68, 0xb1,
    0x61, 0x67, 0x30, 0x15, 0x5e, 0x00, 0x41, 0xac, 0x44, 0x7d, 0x63, 0x01, 0x97, 0x5f, 0xec, 0xda};

void suci_keys_init(struct suci_keys *k)
{
    memset(k, 0, sizeof *k);
    k->k[0] = (struct suci_key){.profile = SUCI_PROFILE_A, .test = true};
    memcpy(k->k[0].priv, test_key_a, 32);
    k->k[1] = (struct suci_key){.profile = SUCI_PROFILE_B, .test = true};
    memcpy(k->k[1].priv, test_key_b, 32);
    k->n = 2;
}

/* ---- the key file ---- */

static int hexval(int c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                          : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                                                 : -1;
}

/* One line's fields; false with the reason in *why. */
static bool parse_line(const char *s, struct suci_key *out, const char **why)
{
    char id[8], prof[4], hex[80], extra[2];
    int n = sscanf(s, "%7s %3s %79s %1s", id, prof, hex, extra);
    if (n != 3) {
        *why = "expected: <key id 0-255> <profile A|B> <private key, 64 hex digits>";
        return false;
    }
    char *end;
    long v = strtol(id, &end, 10);
    if (*end || end == id || v < 0 || v > 255) {
        *why = "key id is not 0-255";
        return false;
    }
    if (strcmp(prof, "A") && strcmp(prof, "a") && strcmp(prof, "B") && strcmp(prof, "b")) {
        *why = "profile is not A or B";
        return false;
    }
    if (strlen(hex) != 64) {
        *why = "private key is not 64 hex digits";
        return false;
    }
    for (size_t i = 0; i < 32; i++) {
        int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            *why = "private key is not 64 hex digits";
            return false;
        }
        out->priv[i] = (uint8_t)(hi << 4 | lo);
    }
    out->id = (uint8_t)v;
    out->profile = toupper((unsigned char)prof[0]) == 'A' ? SUCI_PROFILE_A : SUCI_PROFILE_B;
    out->test = false;
    return true;
}

/* One key-file line (NUL-terminated, comment and all); 0 = blank, 1 = a
 * key in *key, -1 = an error with its reason in *why. */
static int key_line(char *buf, struct suci_key *key, const char **why)
{
    char *hash = strchr(buf, '#');
    if (hash)
        *hash = '\0';
    const char *p = buf;
    while (*p == ' ' || *p == '\t' || *p == '\r')
        p++;
    if (!*p)
        return 0;
    return parse_line(p, key, why) ? 1 : -1;
}

int suci_keys_parse(struct suci_keys *k, const char *name, const char *text, size_t n,
                    struct err *e)
{
    struct suci_keys next;
    next.n = 0;
    for (unsigned i = 0; i < k->n; i++) /* the keys given before, then this file's */
        if (!k->k[i].test)
            next.k[next.n++] = k->k[i];
    char buf[256];
    int rc = 0;
    size_t at = 0;
    for (unsigned line = 1; at < n && !rc; line++) {
        size_t end = at;
        while (end < n && text[end] != '\n')
            end++;
        size_t len = end - at;
        const char *why = NULL;
        struct suci_key key;
        int got = 0;
        if (len >= sizeof buf)
            why = "line too long";
        else if (memchr(text + at, '\0', len))
            why = "NUL byte";
        else {
            memcpy(buf, text + at, len);
            buf[len] = '\0';
            got = key_line(buf, &key, &why);
        }
        if (got > 0 && next.n + 2 >= SUCI_MAX_KEYS)
            why = "too many keys";
        if (why)
            rc = err_set(e, RC_CONFIG, "%s:%u: %s", name, line, why);
        else if (got > 0)
            next.k[next.n++] = key;
        OPENSSL_cleanse(&key, sizeof key);
        at = end + 1;
    }
    /* then the test keys */
    for (unsigned i = 0; !rc && i < k->n; i++)
        if (k->k[i].test && next.n < SUCI_MAX_KEYS)
            next.k[next.n++] = k->k[i];
    if (!rc)
        *k = next;
    OPENSSL_cleanse(buf, sizeof buf);
    OPENSSL_cleanse(&next, sizeof next);
    return rc;
}

int suci_keys_load(struct suci_keys *k, const char *path, struct err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        err_set(e, RC_IO, "%s: cannot open", path);
        return RC_IO;
    }
    char text[64 * 1024];
    size_t n = fread(text, 1, sizeof text, f);
    bool big = n == sizeof text && fgetc(f) != EOF, bad = ferror(f);
    fclose(f);
    if (bad || big) {
        err_set(e, bad ? RC_IO : RC_CONFIG, "%s: %s", path, bad ? "read error" : "larger than 64 KiB");
        return bad ? RC_IO : RC_CONFIG;
    }
    int rc = suci_keys_parse(k, path, text, n, e);
    OPENSSL_cleanse(text, sizeof text);
    return rc;
}

/* ---- ECIES (Annex C.3.4) ---- */

/* A P-256 key from builder b (taken: freed here), which holds its private
 * or its public part, as selection says; NULL when b is NULL or the key is
 * not one (not a point of the curve). */
static EVP_PKEY *p256_key(OSSL_PARAM_BLD *b, int selection)
{
    EVP_PKEY *k = NULL;
    OSSL_PARAM *p = NULL;
    EVP_PKEY_CTX *fc = b ? EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL) : NULL;
    if (fc && OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) &&
        (p = OSSL_PARAM_BLD_to_param(b)) && EVP_PKEY_fromdata_init(fc) > 0 &&
        EVP_PKEY_fromdata(fc, &k, selection, p) <= 0)
        k = NULL;
    OSSL_PARAM_free(p);
    OSSL_PARAM_BLD_free(b);
    EVP_PKEY_CTX_free(fc);
    return k;
}

/* The shared secret of private key priv and the ephemeral public key eph
 * (X25519 raw, or a compressed P-256 point); false when eph is not a key of
 * that profile. */
static bool shared_secret(uint8_t profile, const uint8_t priv[32], const uint8_t *eph,
                          size_t eph_len, uint8_t z[Z_LEN])
{
    EVP_PKEY *own = NULL, *peer = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    bool ok = false;
    if (profile == SUCI_PROFILE_A) {
        own = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, priv, 32);
        peer = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, eph, eph_len);
    } else {
        OSSL_PARAM_BLD *b1 = OSSL_PARAM_BLD_new(), *b2 = OSSL_PARAM_BLD_new();
        BIGNUM *d = BN_bin2bn(priv, 32, NULL);
        if (b1 && (!d || !OSSL_PARAM_BLD_push_BN(b1, OSSL_PKEY_PARAM_PRIV_KEY, d))) {
            OSSL_PARAM_BLD_free(b1);
            b1 = NULL;
        }
        if (b2 && !OSSL_PARAM_BLD_push_octet_string(b2, OSSL_PKEY_PARAM_PUB_KEY, eph, eph_len)) {
            OSSL_PARAM_BLD_free(b2);
            b2 = NULL;
        }
        own = p256_key(b1, EVP_PKEY_KEYPAIR);
        peer = p256_key(b2, EVP_PKEY_PUBLIC_KEY);
        BN_clear_free(d);
    }
    size_t zlen = Z_LEN;
    if (own && peer && (ctx = EVP_PKEY_CTX_new(own, NULL)) && EVP_PKEY_derive_init(ctx) > 0 &&
        EVP_PKEY_derive_set_peer(ctx, peer) > 0 && EVP_PKEY_derive(ctx, z, &zlen) > 0 &&
        zlen == Z_LEN)
        ok = true;
    EVP_PKEY_CTX_free(ctx);
    EVP_PKEY_free(own);
    EVP_PKEY_free(peer);
    return ok;
}

/* ANSI X9.63 KDF with SHA-256: SHA-256(Z | counter | SharedInfo) for
 * counter 1, 2, ... (32-bit big-endian) until KDF_LEN octets. */
static bool kdf(const uint8_t z[Z_LEN], const uint8_t *info, size_t info_len,
                uint8_t out[KDF_LEN])
{
    uint8_t buf[Z_LEN + 4 + P256_COMPRESSED_LEN];
    if (info_len > P256_COMPRESSED_LEN)
        return false;
    memcpy(buf, z, Z_LEN);
    memcpy(buf + Z_LEN + 4, info, info_len);
    for (uint32_t i = 1; (i - 1) * 32 < KDF_LEN; i++) {
        buf[Z_LEN] = (uint8_t)(i >> 24);
        buf[Z_LEN + 1] = (uint8_t)(i >> 16);
        buf[Z_LEN + 2] = (uint8_t)(i >> 8);
        buf[Z_LEN + 3] = (uint8_t)i;
        if (!EVP_Digest(buf, Z_LEN + 4 + info_len, out + (i - 1) * 32, NULL, EVP_sha256(), NULL))
            return false;
    }
    OPENSSL_cleanse(buf, sizeof buf);
    return true;
}

/* Opens the ciphertext c (n octets) under key: the plaintext in plain when
 * the MAC tag verifies. */
static bool open_with(const struct suci_key *key, const uint8_t *eph, size_t eph_len,
                      const uint8_t *c, size_t n, const uint8_t *tag, uint8_t *plain)
{
    uint8_t z[Z_LEN], km[KDF_LEN], mac[32];
    unsigned maclen = 0;
    bool ok = false;
    EVP_CIPHER_CTX *cx = NULL;
    int len = 0, fin = 0;
    if (!shared_secret(key->profile, key->priv, eph, eph_len, z) || !kdf(z, eph, eph_len, km))
        goto out;
    if (!HMAC(EVP_sha256(), km + ENC_KEY_LEN + ICB_LEN, MAC_KEY_LEN, c, n, mac, &maclen) ||
        maclen != 32 || CRYPTO_memcmp(mac, tag, SUCI_MAC_LEN) != 0)
        goto out;
    if (!(cx = EVP_CIPHER_CTX_new()) ||
        EVP_DecryptInit_ex(cx, EVP_aes_128_ctr(), NULL, km, km + ENC_KEY_LEN) != 1 ||
        EVP_DecryptUpdate(cx, plain, &len, c, (int)n) != 1 ||
        EVP_DecryptFinal_ex(cx, plain + len, &fin) != 1 || (size_t)(len + fin) != n)
        goto out;
    ok = true;
out:
    EVP_CIPHER_CTX_free(cx);
    OPENSSL_cleanse(z, sizeof z);
    OPENSSL_cleanse(km, sizeof km);
    return ok;
}

enum suci_result suci_open_msin(const struct suci_keys *k, uint8_t profile, uint8_t key_id,
                                struct span out, char *msin, size_t msin_size, bool *test)
{
    size_t eph_len = profile == SUCI_PROFILE_A   ? X25519_LEN
                     : profile == SUCI_PROFILE_B ? P256_COMPRESSED_LEN
                                                 : 0;
    if (msin_size)
        msin[0] = '\0';
    *test = false;
    if (!eph_len || !out.p || out.n <= eph_len + SUCI_MAC_LEN ||
        out.n - eph_len - SUCI_MAC_LEN > SUCI_CIPHER_MAX)
        return SUCI_MALFORMED;
    if (profile == SUCI_PROFILE_B && out.p[0] != 0x02 && out.p[0] != 0x03)
        return SUCI_MALFORMED; /* a compressed point (C.3.4.2) */
    const uint8_t *eph = out.p, *c = out.p + eph_len;
    size_t n = out.n - eph_len - SUCI_MAC_LEN;
    const uint8_t *tag = c + n;
    for (unsigned i = 0; k && i < k->n; i++) {
        const struct suci_key *key = &k->k[i];
        if (key->profile != profile || (!key->test && key->id != key_id))
            continue;
        uint8_t plain[SUCI_CIPHER_MAX];
        if (!open_with(key, eph, eph_len, c, n, tag, plain))
            continue;
        bool ok = sms_addr_tbcd((struct span){plain, n}, 2 * n, msin, msin_size);
        OPENSSL_cleanse(plain, sizeof plain);
        if (!ok || !msin[0])
            return SUCI_MALFORMED;
        *test = key->test;
        return SUCI_OPENED;
    }
    return SUCI_NO_KEY;
}
