/* test_stun.c - STUN/TURN metadata: valid messages (REALM, SOFTWARE,
 * USERNAME shape, XOR-RELAYED-ADDRESS v4/v6), every prefix, hostile cases. */
#include "classify/stun.h"

#include <stdlib.h>
#include <string.h>

#include "tests/harness.h"

/* A TURN Allocate success response (type 0x0103, RFC 8656 section 7.3) built
 * per RFC 5389 section 6 / 15.2: txid 01..0c; XOR-RELAYED-ADDRESS
 * 18.195.131.143:50000 (the relay address seen in the shared capture
 * ndpi__stun_signal.pcapng), REALM "signal.org", SOFTWARE "None", USERNAME
 * "abcd:efgh" (9 bytes, padded). */
static const uint8_t alloc_ok[] = {
    0x01, 0x03, 0x00, 0x34, 0x21, 0x12, 0xa4, 0x42, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
    0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x00, 0x16, 0x00, 0x08, 0x00, 0x01, 0xe2, 0x42, 0x33, 0xd1,
    0x27, 0xcd, 0x00, 0x14, 0x00, 0x0a, 0x73, 0x69, 0x67, 0x6e, 0x61, 0x6c, 0x2e, 0x6f, 0x72,
    0x67, 0x00, 0x00, 0x80, 0x22, 0x00, 0x04, 0x4e, 0x6f, 0x6e, 0x65, 0x00, 0x06, 0x00, 0x09,
    0x61, 0x62, 0x63, 0x64, 0x3a, 0x65, 0x66, 0x67, 0x68, 0x00, 0x00, 0x00};

/* The same response with an IPv6 relay [2a03:2880::35]:3478 (address XOR
 * cookie || txid, RFC 5389 section 15.2). */
static const uint8_t alloc_ok6[] = {
    0x01, 0x03, 0x00, 0x18, 0x21, 0x12, 0xa4, 0x42, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
    0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x00, 0x16, 0x00, 0x14, 0x00, 0x02, 0x2c, 0x84,
    0x0b, 0x11, 0x8c, 0xc2, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a,
    0x0b, 0x39};

static enum parse_rc parse(const uint8_t *p, size_t n, struct stun_msg *m)
{
    uint8_t *c = malloc(n ? n : 1); /* exact size: ASan sees overreads */
    if (n)
        memcpy(c, p, n);
    enum parse_rc rc = stun_parse(c, n, m);
    free(c);
    return rc;
}

TEST(valid)
{
    struct stun_msg m;
    CHECK_EQ_INT(parse(alloc_ok, sizeof alloc_ok, &m), PARSE_OK);
    CHECK_EQ_INT(m.method, STUN_METHOD_ALLOCATE);
    CHECK_EQ_INT(m.cls, STUN_CLASS_SUCCESS);
    CHECK(m.has_realm);
    CHECK_STR(m.realm.s, "signal.org");
    CHECK(m.has_software);
    CHECK_STR(m.software.s, "none"); /* lower-cased bounded copy */
    CHECK(m.has_username);
    CHECK_EQ_INT(m.username_len, 9);
    CHECK(m.username_ice);
    CHECK(m.has_relay);
    CHECK_EQ_INT(m.relay_family, 4);
    static const uint8_t want4[4] = {18, 195, 131, 143};
    CHECK(memcmp(m.relay_addr, want4, 4) == 0);
    CHECK_EQ_INT(m.relay_port, 50000);

    CHECK_EQ_INT(parse(alloc_ok6, sizeof alloc_ok6, &m), PARSE_OK);
    CHECK(m.has_relay);
    CHECK_EQ_INT(m.relay_family, 6);
    static const uint8_t want6[16] = {0x2a, 0x03, 0x28, 0x80, 0, 0, 0, 0,
                                      0,    0,    0,    0,    0, 0, 0, 0x35};
    CHECK(memcmp(m.relay_addr, want6, 16) == 0);
    CHECK_EQ_INT(m.relay_port, 3478);

    /* a Binding request (0x0001) with no attributes */
    uint8_t bind[20];
    memcpy(bind, alloc_ok, 20);
    bind[0] = 0x00, bind[1] = 0x01, bind[2] = 0, bind[3] = 0;
    CHECK_EQ_INT(parse(bind, sizeof bind, &m), PARSE_OK);
    CHECK_EQ_INT(m.method, 1);
    CHECK_EQ_INT(m.cls, 0);
    CHECK(!m.has_relay && !m.has_realm);
}

TEST(relay_only_in_allocate_success)
{
    uint8_t b[sizeof alloc_ok];
    memcpy(b, alloc_ok, sizeof b);
    b[1] = 0x13; /* 0x0113: Allocate error response */
    struct stun_msg m;
    CHECK_EQ_INT(parse(b, sizeof b, &m), PARSE_OK);
    CHECK_EQ_INT(m.cls, 3);
    CHECK(!m.has_relay);
}

TEST(every_prefix)
{
    struct stun_msg m;
    for (size_t k = 0; k < sizeof alloc_ok; k++) {
        enum parse_rc rc = parse(alloc_ok, k, &m);
        if (rc != PARSE_TRUNCATED)
            fprintf(stderr, "  prefix %zu: rc %d\n", k, (int)rc);
        CHECK(rc == PARSE_TRUNCATED);
    }
    for (size_t k = 0; k < sizeof alloc_ok6; k++)
        CHECK(parse(alloc_ok6, k, &m) == PARSE_TRUNCATED);
}

TEST(hostile)
{
    struct stun_msg m;
    uint8_t b[sizeof alloc_ok];
    memcpy(b, alloc_ok, sizeof b);
    b[0] |= 0x80; /* top bits set: RTP/other, not STUN */
    CHECK_EQ_INT(parse(b, sizeof b, &m), PARSE_INVALID);
    memcpy(b, alloc_ok, sizeof b);
    b[4] = 0x22; /* wrong magic cookie (RFC 3489 style) */
    CHECK_EQ_INT(parse(b, sizeof b, &m), PARSE_INVALID);
    memcpy(b, alloc_ok, sizeof b);
    b[3] = 0x33; /* length not a multiple of 4 */
    CHECK_EQ_INT(parse(b, sizeof b, &m), PARSE_INVALID);
    memcpy(b, alloc_ok, sizeof b);
    b[23] = 0xff; /* attribute longer than the message */
    CHECK_EQ_INT(parse(b, sizeof b, &m), PARSE_INVALID);
    memcpy(b, alloc_ok, sizeof b);
    b[25] = 0x07; /* unknown address family: no relay, still STUN */
    CHECK_EQ_INT(parse(b, sizeof b, &m), PARSE_OK);
    CHECK(!m.has_relay);
    /* REALM with control bytes and NUL is copied as '?' and stops at NUL */
    memcpy(b, alloc_ok, sizeof b);
    b[36] = 0x01, b[38] = 0x00;
    CHECK_EQ_INT(parse(b, sizeof b, &m), PARSE_OK);
    CHECK_STR(m.realm.s, "?i");
    /* more attributes than STUN_MAX_ATTRS: stops, no overrun */
    size_t n = STUN_HEADER_LEN + 4 * (STUN_MAX_ATTRS + 10);
    uint8_t *many = calloc(1, n);
    if (!many)
        return;
    memcpy(many, alloc_ok, STUN_HEADER_LEN);
    many[2] = (uint8_t)((n - STUN_HEADER_LEN) >> 8), many[3] = (uint8_t)(n - STUN_HEADER_LEN);
    CHECK_EQ_INT(parse(many, n, &m), PARSE_OK);
    free(many);
}

int main(void)
{
    RUN(valid);
    RUN(relay_only_in_allocate_success);
    RUN(every_prefix);
    RUN(hostile);
    return harness_done();
}
