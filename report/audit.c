/* audit.c - canonical audit rows, the hash chain and its signature (see
 * audit.h).  SHA-256 and Ed25519 through OpenSSL EVP (RFC 8032 §5.1 for
 * Ed25519, whose signatures are 64 bytes and public keys 32). */
#include "report/audit.h"

#include <errno.h>
#include <inttypes.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char audit_genesis_hash[AUDIT_HASH_HEX] =
    "0000000000000000000000000000000000000000000000000000000000000000";

/* Hashing a file: read size per call. */
#define AUDIT_READ_CHUNK 65536

static void hexify(const unsigned char *b, size_t n, char *out)
{
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hx[b[i] >> 4];
        out[2 * i + 1] = hx[b[i] & 15];
    }
    out[2 * n] = '\0';
}

static bool unhex(const char *s, unsigned char *out, size_t n)
{
    if (strlen(s) != 2 * n)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned v = 0;
        for (int k = 0; k < 2; k++) {
            char c = s[2 * i + (size_t)k];
            v <<= 4;
            if (c >= '0' && c <= '9')
                v |= (unsigned)(c - '0');
            else if (c >= 'a' && c <= 'f')
                v |= (unsigned)(c - 'a' + 10);
            else
                return false;
        }
        out[i] = (unsigned char)v;
    }
    return true;
}

/* Escapes bytes that would be ambiguous in a canonical record: '%', the
 * separators '=', ';', every control byte and everything above 0x7e. */
static size_t esc(const char *in, char *out, size_t cap, bool *overflow)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)(in ? in : ""); *p; p++) {
        bool e = *p < 0x20 || *p > 0x7e || *p == '%' || *p == '=' || *p == ';';
        size_t need = e ? 3 : 1;
        if (n + need >= cap) {
            *overflow = true;
            break;
        }
        if (e)
            n += (size_t)snprintf(out + n, cap - n, "%%%02X", *p);
        else
            out[n++] = (char)*p;
    }
    if (cap)
        out[n < cap ? n : cap - 1] = '\0';
    return n;
}

void audit_detail_init(struct audit_detail *d)
{
    d->buf[0] = '\0';
    d->len = 0;
    d->overflow = false;
}

void audit_detail_add(struct audit_detail *d, const char *key, const char *value)
{
    size_t cap = sizeof d->buf;
    int w = snprintf(d->buf + d->len, cap - d->len, "%s%s=", d->len ? ";" : "", key);
    if (w < 0 || (size_t)w >= cap - d->len) {
        d->overflow = true;
        return;
    }
    d->len += (size_t)w;
    d->len += esc(value, d->buf + d->len, cap - d->len, &d->overflow);
}

void audit_detail_add_u64(struct audit_detail *d, const char *key, uint64_t v)
{
    char b[24];
    snprintf(b, sizeof b, "%" PRIu64, v);
    audit_detail_add(d, key, b);
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

bool audit_detail_get(const char *detail, const char *key, char *out, size_t cap)
{
    size_t kl = strlen(key);
    const char *p = detail;
    while (p && *p) {
        const char *end = strchr(p, ';');
        size_t fl = end ? (size_t)(end - p) : strlen(p);
        if (fl > kl && strncmp(p, key, kl) == 0 && p[kl] == '=') {
            size_t n = 0;
            for (size_t i = kl + 1; i < fl; i++) {
                char c = p[i];
                if (c == '%' && i + 2 < fl && hexval(p[i + 1]) >= 0 && hexval(p[i + 2]) >= 0) {
                    c = (char)(hexval(p[i + 1]) * 16 + hexval(p[i + 2]));
                    i += 2;
                }
                if (n + 1 >= cap)
                    return false;
                out[n++] = c;
            }
            out[n] = '\0';
            return true;
        }
        p = end ? end + 1 : NULL;
    }
    return false;
}

size_t audit_canonical(const struct audit_row *r, char *out, size_t cap)
{
    char op[AUDIT_TEXT_MAX * 3], act[AUDIT_TEXT_MAX * 3], det[AUDIT_DETAIL_MAX * 3];
    bool of = false;
    esc(r->operator_name, op, sizeof op, &of);
    esc(r->action, act, sizeof act, &of);
    /* The detail is already a canonical record; escaping it again makes a
     * detail edited in the database to hold a newline still canonical. */
    esc(r->detail, det, sizeof det, &of);
    if (of)
        return 0;
    int n = snprintf(out, cap,
                     "trapline-audit-v1\nseq=%" PRId64 "\nts_utc=%" PRIu64
                     "\noperator=%s\naction=%s\nrun_id=%" PRId64 "\ndetail=%s\n",
                     r->seq, r->ts_utc, op, act, r->run_id, det);
    return n < 0 || (size_t)n >= cap ? 0 : (size_t)n;
}

int audit_sha256_buf(const void *buf, size_t len, char out[AUDIT_HASH_HEX])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    if (!EVP_Digest(buf, len, md, &n, EVP_sha256(), NULL) || n != 32)
        return RC_NOMEM;
    hexify(md, 32, out);
    return 0;
}

int audit_row_hash(const struct audit_row *r, const char *prev_hash, char out[AUDIT_HASH_HEX])
{
    char *canon = malloc(AUDIT_CANON_MAX);
    if (!canon)
        return RC_NOMEM;
    size_t n = audit_canonical(r, canon, AUDIT_CANON_MAX);
    int rc = RC_NOMEM;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned dl = 0;
    if (n && md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) &&
        EVP_DigestUpdate(md, prev_hash, strlen(prev_hash)) && EVP_DigestUpdate(md, canon, n) &&
        EVP_DigestFinal_ex(md, d, &dl) && dl == 32) {
        hexify(d, 32, out);
        rc = 0;
    }
    EVP_MD_CTX_free(md);
    free(canon);
    return rc;
}

void audit_walk_init(struct audit_walk *w)
{
    w->rows = 0;
    w->last_seq = 0;
    memcpy(w->last_hash, audit_genesis_hash, AUDIT_HASH_HEX);
}

int audit_walk_step(struct audit_walk *w, const struct audit_row *r, char *why, size_t cap)
{
    char h[AUDIT_HASH_HEX];
    if (r->seq != w->last_seq + 1) {
        snprintf(why, cap, "seq %" PRId64 " follows seq %" PRId64 " (row %s)", r->seq,
                 w->last_seq, r->seq > w->last_seq ? "deleted" : "out of order");
        return -1;
    }
    if (strcmp(r->prev_hash, w->last_hash) != 0) {
        snprintf(why, cap,
                 "seq %" PRId64 ": prev_hash does not match the hash of seq %" PRId64
                 " (a row was removed or replaced)",
                 r->seq, w->last_seq);
        return -1;
    }
    if (audit_row_hash(r, r->prev_hash, h) != 0) {
        snprintf(why, cap, "seq %" PRId64 ": row cannot be hashed (field too long)", r->seq);
        return -1;
    }
    if (strcmp(h, r->hash) != 0) {
        snprintf(why, cap, "seq %" PRId64 " (%s): hash does not match its content (row altered)",
                 r->seq, r->action);
        return -1;
    }
    w->rows++;
    w->last_seq = r->seq;
    memcpy(w->last_hash, r->hash, AUDIT_HASH_HEX);
    return 0;
}

int audit_sha256_file(const char *path, char out[AUDIT_HASH_HEX], uint64_t *size, struct err *e)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return err_set(e, RC_IO, "%s: %s", path, strerror(errno));
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char *buf = malloc(AUDIT_READ_CHUNK);
    int rc = RC_NOMEM;
    uint64_t total = 0;
    if (md && buf && EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
        size_t n;
        rc = 0;
        while ((n = fread(buf, 1, AUDIT_READ_CHUNK, fp)) > 0) {
            total += n;
            if (!EVP_DigestUpdate(md, buf, n)) {
                rc = RC_NOMEM;
                break;
            }
        }
        if (!rc && ferror(fp))
            rc = err_set(e, RC_IO, "%s: read error", path);
        unsigned char d[EVP_MAX_MD_SIZE];
        unsigned dl = 0;
        if (!rc && (!EVP_DigestFinal_ex(md, d, &dl) || dl != 32))
            rc = RC_NOMEM;
        if (!rc)
            hexify(d, 32, out);
    }
    if (rc == RC_NOMEM)
        err_set(e, RC_NOMEM, "%s: out of memory hashing", path);
    if (size)
        *size = total;
    free(buf);
    EVP_MD_CTX_free(md);
    fclose(fp);
    return rc;
}

static int head_message(int64_t seq, const char *hash, char *out, size_t cap)
{
    return snprintf(out, cap, "trapline-audit-head-v1\n%" PRId64 "\n%s", seq, hash);
}

int audit_read_key(const char *path, char **out, size_t *len, struct err *e)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return err_set(e, RC_IO, "%s: %s", path, strerror(errno));
    char *buf = malloc(AUDIT_KEY_MAX + 1);
    if (!buf) {
        fclose(fp);
        return err_set(e, RC_NOMEM, "out of memory");
    }
    size_t n = fread(buf, 1, AUDIT_KEY_MAX + 1, fp);
    bool bad = ferror(fp) != 0;
    fclose(fp);
    if (bad || n > AUDIT_KEY_MAX) {
        OPENSSL_cleanse(buf, AUDIT_KEY_MAX + 1);
        free(buf);
        return err_set(e, bad ? RC_IO : RC_LIMIT, "%s: %s", path,
                       bad ? "read error" : "larger than a PEM key");
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

int audit_sign_head(const char *key_path, int64_t seq, const char *hash,
                    char sig_hex[AUDIT_SIG_HEX], char pub_hex[AUDIT_HASH_HEX], struct err *e)
{
    char *pem;
    size_t len;
    int rc = audit_read_key(key_path, &pem, &len, e);
    if (rc)
        return rc;
    rc = audit_sign_head_mem(pem, len, key_path, seq, hash, sig_hex, pub_hex, e);
    OPENSSL_cleanse(pem, len);
    free(pem);
    return rc;
}

int audit_sign_head_mem(const char *pem, size_t len, const char *key_path, int64_t seq,
                        const char *hash, char sig_hex[AUDIT_SIG_HEX],
                        char pub_hex[AUDIT_HASH_HEX], struct err *e)
{
    BIO *bio = BIO_new_mem_buf(pem, (int)len);
    EVP_PKEY *k = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;
    BIO_free(bio);
    if (!k || EVP_PKEY_id(k) != EVP_PKEY_ED25519) {
        EVP_PKEY_free(k);
        return err_set(e, RC_CONFIG, "%s: not an Ed25519 private key (PEM)", key_path);
    }
    char msg[128];
    int ml = head_message(seq, hash, msg, sizeof msg);
    unsigned char sig[64], pub[32];
    size_t sl = sizeof sig, pl = sizeof pub;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int rc = RC_CONFIG;
    if (md && EVP_DigestSignInit(md, NULL, NULL, NULL, k) == 1 &&
        EVP_DigestSign(md, sig, &sl, (const unsigned char *)msg, (size_t)ml) == 1 && sl == 64 &&
        EVP_PKEY_get_raw_public_key(k, pub, &pl) == 1 && pl == 32) {
        hexify(sig, 64, sig_hex);
        hexify(pub, 32, pub_hex);
        rc = 0;
    } else {
        err_set(e, RC_CONFIG, "%s: Ed25519 signing failed", key_path);
    }
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(k);
    return rc;
}

int audit_verify_head(const char *pub_path, int64_t seq, const char *hash, const char *sig_hex,
                      struct err *e)
{
    FILE *fp = fopen(pub_path, "r");
    if (!fp)
        return err_set(e, RC_IO, "%s: %s", pub_path, strerror(errno));
    EVP_PKEY *k = PEM_read_PUBKEY(fp, NULL, NULL, NULL);
    fclose(fp);
    if (!k || EVP_PKEY_id(k) != EVP_PKEY_ED25519) {
        EVP_PKEY_free(k);
        return err_set(e, RC_CONFIG, "%s: not an Ed25519 public key (PEM)", pub_path);
    }
    unsigned char sig[64];
    char msg[128];
    int ml = head_message(seq, hash, msg, sizeof msg);
    int rc = RC_CONFIG;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!unhex(sig_hex, sig, sizeof sig))
        err_set(e, RC_CONFIG, "signature is not 64 bytes of hex");
    else if (md && EVP_DigestVerifyInit(md, NULL, NULL, NULL, k) == 1 &&
             EVP_DigestVerify(md, sig, sizeof sig, (const unsigned char *)msg, (size_t)ml) == 1)
        rc = 0;
    else
        err_set(e, RC_CONFIG, "Ed25519 signature over seq %" PRId64 " does not verify with %s",
                seq, pub_path);
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(k);
    return rc;
}
