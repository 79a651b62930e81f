/* test_tls.c - ClientHello metadata: valid, every prefix, hostile lengths. */
#include "classify/tls.h"

#include <stdlib.h>
#include <string.h>

#include "tests/harness.h"

/* Builds a ClientHello (RFC 8446 section 4.1.2) with SNI name, one ALPN value
 * and optionally the ECH extension 0xFE0D; returns its length. */
static size_t build_hello(uint8_t *o, const char *sni, const char *alpn, int ech)
{
    uint8_t ext[512];
    size_t e = 0, n;
    if (sni) {
        n = strlen(sni);
        ext[e++] = 0, ext[e++] = 0; /* server_name */
        ext[e++] = 0, ext[e++] = (uint8_t)(n + 5);
        ext[e++] = 0, ext[e++] = (uint8_t)(n + 3);
        ext[e++] = 0; /* host_name */
        ext[e++] = 0, ext[e++] = (uint8_t)n;
        memcpy(ext + e, sni, n), e += n;
    }
    if (alpn) {
        n = strlen(alpn);
        ext[e++] = 0, ext[e++] = 16;
        ext[e++] = 0, ext[e++] = (uint8_t)(n + 3);
        ext[e++] = 0, ext[e++] = (uint8_t)(n + 1);
        ext[e++] = (uint8_t)n;
        memcpy(ext + e, alpn, n), e += n;
    }
    if (ech) {
        ext[e++] = 0xfe, ext[e++] = 0x0d, ext[e++] = 0, ext[e++] = 4;
        ext[e++] = 0, ext[e++] = 1, ext[e++] = 2, ext[e++] = 3;
    }
    uint8_t body[600];
    size_t b = 0;
    body[b++] = 3, body[b++] = 3;
    memset(body + b, 0xab, 32), b += 32;          /* random */
    body[b++] = 0;                                /* session id */
    body[b++] = 0, body[b++] = 2, body[b++] = 0x13, body[b++] = 0x01; /* one suite */
    body[b++] = 1, body[b++] = 0;                 /* null compression */
    body[b++] = (uint8_t)(e >> 8), body[b++] = (uint8_t)e;
    memcpy(body + b, ext, e), b += e;
    size_t k = 0;
    o[k++] = 0x16, o[k++] = 3, o[k++] = 1;
    o[k++] = (uint8_t)((b + 4) >> 8), o[k++] = (uint8_t)(b + 4);
    o[k++] = 1, o[k++] = 0, o[k++] = (uint8_t)(b >> 8), o[k++] = (uint8_t)b;
    memcpy(o + k, body, b);
    return k + b;
}

/* Copies into an exact-size heap buffer so ASan sees any overread. */
static enum parse_rc parse(const uint8_t *p, size_t n, struct tls_hello *h)
{
    uint8_t *c = calloc(1, n ? n : 1);
    if (n)
        memcpy(c, p, n);
    enum parse_rc rc = tls_parse_client_hello(c, n, h);
    free(c);
    return rc;
}

TEST(valid)
{
    uint8_t b[700];
    struct tls_hello h;
    size_t n = build_hello(b, "1-Courier.push.apple.com", "apns-security-v3", 0);
    CHECK_EQ_INT(parse(b, n, &h), PARSE_OK);
    CHECK(h.has_sni);
    CHECK_STR(h.sni.s, "1-courier.push.apple.com"); /* lower-cased */
    CHECK_EQ_INT(h.nalpn, 1);
    CHECK_STR(h.alpn[0], "apns-security-v3");
    CHECK(!h.ech);
    n = build_hello(b, NULL, "h2", 1); /* ECH: no clear SNI */
    CHECK_EQ_INT(parse(b, n, &h), PARSE_OK);
    CHECK(!h.has_sni);
    CHECK(h.ech);
}

TEST(every_prefix)
{
    uint8_t b[700];
    struct tls_hello h;
    size_t n = build_hello(b, "chat.signal.org", "h2", 1);
    for (size_t k = 0; k < n; k++) {
        enum parse_rc rc = parse(b, k, &h);
        CHECK(rc == PARSE_TRUNCATED);
    }
    CHECK_EQ_INT(parse(b, n, &h), PARSE_OK);
}

TEST(hostile)
{
    uint8_t b[700];
    struct tls_hello h;
    size_t n = build_hello(b, "a.example", "h2", 0);
    uint8_t x[700];
    memcpy(x, b, n);
    x[0] = 0x17; /* application data */
    CHECK_EQ_INT(parse(x, n, &h), PARSE_INVALID);
    memcpy(x, b, n);
    x[5] = 2; /* ServerHello */
    CHECK_EQ_INT(parse(x, n, &h), PARSE_INVALID);
    memcpy(x, b, n);
    x[43] = 200; /* session id longer than 32 */
    CHECK_EQ_INT(parse(x, n, &h), PARSE_INVALID);
    memcpy(x, b, n);
    x[6] = 0xff; /* handshake longer than its record */
    CHECK_EQ_INT(parse(x, n, &h), PARSE_INVALID);
    memcpy(x, b, n);
    x[3] = 0xff, x[4] = 0xff; /* record claims 64 KiB, the hello inside is whole */
    CHECK_EQ_INT(parse(x, n, &h), PARSE_OK);
    CHECK_STR(h.sni.s, "a.example");
    /* extension lengths that overrun: every byte of the extension block set to 0xff */
    memcpy(x, b, n);
    for (size_t i = 49; i < n; i++)
        x[i] = 0xff;
    enum parse_rc rc = parse(x, n, &h);
    CHECK(rc == PARSE_TRUNCATED || rc == PARSE_INVALID);
    /* SNI with NUL and control bytes is copied safely */
    n = build_hello(b, "a\001b", NULL, 0);
    CHECK_EQ_INT(parse(b, n, &h), PARSE_OK);
    CHECK_STR(h.sni.s, "a?b");
    CHECK_EQ_INT(parse(NULL, 0, &h), PARSE_TRUNCATED);
}

TEST(extension_limit)
{
    /* 200 empty extensions: the walk stops at TLS_MAX_EXTENSIONS without error */
    uint8_t b[2000];
    size_t k = 0, body = 2 + 32 + 1 + 4 + 2 + 2 + 200 * 4;
    b[k++] = 0x16, b[k++] = 3, b[k++] = 1, b[k++] = (uint8_t)((body + 4) >> 8);
    b[k++] = (uint8_t)(body + 4);
    b[k++] = 1, b[k++] = 0, b[k++] = (uint8_t)(body >> 8), b[k++] = (uint8_t)body;
    b[k++] = 3, b[k++] = 3;
    memset(b + k, 0, 32), k += 32;
    b[k++] = 0, b[k++] = 0, b[k++] = 2, b[k++] = 0x13, b[k++] = 1, b[k++] = 1, b[k++] = 0;
    b[k++] = (uint8_t)((200 * 4) >> 8), b[k++] = (uint8_t)(200 * 4);
    for (int i = 0; i < 200; i++)
        b[k++] = 0x0a, b[k++] = 0x0a, b[k++] = 0, b[k++] = 0;
    struct tls_hello h;
    CHECK_EQ_INT(parse(b, k, &h), PARSE_OK);
    CHECK(!h.has_sni);
}

int main(void)
{
    RUN(valid);
    RUN(every_prefix);
    RUN(hostile);
    RUN(extension_limit);
    return harness_done();
}
