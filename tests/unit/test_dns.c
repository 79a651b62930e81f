/* test_dns.c - DNS query name and A/AAAA answers: valid, every prefix, pointer loops. */
#include "classify/dns.h"

#include <stdlib.h>
#include <string.h>

#include "tests/harness.h"

/* A response for web.whatsapp.com with a CNAME and one A record, built per
 * RFC 1035 section 4.1 (same shape as pcaps/ott_tls.pcap's DNS answers):
 * the answers' owner names are compression pointers to offset 12. */
static const uint8_t resp[] = {
    0x12, 0x34, 0x81, 0x80, 0x00, 0x01, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00,
    /* 12: question web.whatsapp.com A IN */
    3, 'w', 'e', 'b', 8, 'w', 'h', 'a', 't', 's', 'a', 'p', 'p', 3, 'c', 'o', 'm', 0,
    0x00, 0x01, 0x00, 0x01,
    /* answer 1: CNAME -> mmx.whatsapp.com (pointer to "whatsapp.com" at 16) */
    0xc0, 0x0c, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x06,
    3, 'm', 'm', 'x', 0xc0, 0x10,
    /* answer 2: A 157.240.0.53 TTL 60 */
    0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x04,
    157, 240, 0, 53,
    /* answer 3: AAAA 2a03:2880::35 TTL 0x80000001 (top bit: treated as 0) */
    0xc0, 0x0c, 0x00, 0x1c, 0x00, 0x01, 0x80, 0x00, 0x00, 0x01, 0x00, 0x10,
    0x2a, 0x03, 0x28, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x35,
};

static enum parse_rc parse(const uint8_t *p, size_t n, struct dns_msg *m)
{
    uint8_t *c = calloc(1, n ? n : 1);
    if (n)
        memcpy(c, p, n);
    enum parse_rc rc = dns_parse_message(c, n, m);
    free(c);
    return rc;
}

TEST(valid)
{
    struct dns_msg m;
    CHECK_EQ_INT(parse(resp, sizeof resp, &m), PARSE_OK);
    CHECK(m.response);
    CHECK_EQ_INT(m.id, 0x1234);
    CHECK_STR(m.qname.s, "web.whatsapp.com");
    CHECK_EQ_INT(m.nanswers, 2);
    CHECK_EQ_INT(m.answers[0].family, 4);
    CHECK_EQ_INT(m.answers[0].addr[0], 157);
    CHECK_EQ_INT(m.answers[0].ttl, 60);
    CHECK_EQ_INT(m.answers[1].family, 6);
    CHECK_EQ_INT(m.answers[1].ttl, 0);
    /* the CNAME chain is followed (issue 18) */
    CHECK_EQ_INT(m.ncnames, 1);
    CHECK_STR(m.cnames[0].s, "mmx.whatsapp.com");
}

TEST(cname_hostile)
{
    struct dns_msg m;
    uint8_t b[sizeof resp];
    memcpy(b, resp, sizeof b);
    /* the CNAME target's pointer (at 50..51) aimed forward, at itself */
    CHECK_EQ_INT(b[50], 0xc0);
    b[51] = 50;
    CHECK_EQ_INT(parse(b, sizeof b, &m), PARSE_OK);
    CHECK_EQ_INT(m.ncnames, 0);      /* the bad target is dropped ... */
    CHECK_EQ_INT(m.nanswers, 2);     /* ... the addresses stay */
    /* a CNAME rdata length shorter than its name: the name would run past */
    memcpy(b, resp, sizeof b);
    b[45] = 2;
    parse(b, sizeof b, &m);
    CHECK_EQ_INT(m.ncnames, 0);
}

TEST(every_prefix)
{
    struct dns_msg m;
    /* header + question end at offset 34; before that: TRUNCATED, after: OK with
     * the answers that fit */
    for (size_t k = 0; k < sizeof resp; k++) {
        enum parse_rc rc = parse(resp, k, &m);
        if (k < 34)
            CHECK_EQ_INT(rc, PARSE_TRUNCATED);
        else
            CHECK_EQ_INT(rc, PARSE_OK);
        CHECK(m.nanswers <= 2);
    }
}

TEST(pointer_rules)
{
    struct dns_msg m;
    uint8_t b[64];
    static const uint8_t hdr[12] = {0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0};
    /* question name is a pointer to itself: loop */
    memcpy(b, hdr, 12);
    b[12] = 0xc0, b[13] = 12, b[14] = 0, b[15] = 1, b[16] = 0, b[17] = 1;
    CHECK_EQ_INT(parse(b, 18, &m), PARSE_INVALID);
    /* forward pointer */
    b[12] = 0xc0, b[13] = 16;
    CHECK_EQ_INT(parse(b, 18, &m), PARSE_INVALID);
    /* two labels pointing at each other: a -> b -> a */
    memcpy(b, hdr, 12);
    b[12] = 1, b[13] = 'a', b[14] = 0xc0, b[15] = 16; /* forward, caught */
    b[16] = 1, b[17] = 'b', b[18] = 0xc0, b[19] = 12;
    CHECK_EQ_INT(parse(b, 24, &m), PARSE_INVALID);
    /* pointer into the header (backwards) is allowed but the bytes are garbage:
     * must not crash */
    b[12] = 0xc0, b[13] = 0;
    enum parse_rc rc = parse(b, 24, &m);
    CHECK(rc == PARSE_OK || rc == PARSE_INVALID || rc == PARSE_TRUNCATED);
    /* reserved label type 01 */
    b[12] = 0x41;
    CHECK_EQ_INT(parse(b, 24, &m), PARSE_INVALID);
    /* no question */
    memcpy(b, hdr, 12);
    b[5] = 0;
    CHECK_EQ_INT(parse(b, 12, &m), PARSE_INVALID);
}

TEST(hop_cap)
{
    /* a chain of 20 backward pointers: each points 2 bytes back, the first to a
     * root label; longer than DNS_MAX_PTR_HOPS */
    uint8_t b[128];
    static const uint8_t hdr[12] = {0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0};
    memcpy(b, hdr, 12);
    b[12] = 0; /* root name at 12 (a valid question name, unused) */
    size_t k = 13;
    for (int i = 0; i < 20; i++) {
        b[k] = 0xc0;
        b[k + 1] = (uint8_t)(i == 0 ? 12 : k - 2);
        k += 2;
    }
    struct cursor c = cur_init(b, k);
    cur_skip(&c, k - 2);
    struct meta_name n;
    CHECK_EQ_INT(dns_read_name(b, k, &c, &n), PARSE_INVALID);
    struct cursor c2 = cur_init(b, k);
    cur_skip(&c2, 13 + 2 * 5); /* 6 hops: fine */
    CHECK_EQ_INT(dns_read_name(b, k, &c2, &n), PARSE_OK);
    CHECK_STR(n.s, "");
}

TEST(hostile_lengths)
{
    struct dns_msg m;
    uint8_t b[sizeof resp];
    memcpy(b, resp, sizeof resp);
    b[7] = 0xff; /* 255 answers claimed: bounded by DNS_MAX_RRS, stops at the end */
    CHECK_EQ_INT(parse(b, sizeof b, &m), PARSE_OK);
    CHECK_EQ_INT(m.nanswers, 2);
    memcpy(b, resp, sizeof resp);
    b[63] = 0xff; /* A record rdlength 255: runs off the end, answer dropped */
    CHECK_EQ_INT(parse(b, sizeof b, &m), PARSE_OK);
    CHECK_EQ_INT(m.nanswers, 0);
    memcpy(b, resp, sizeof resp);
    b[12] = 63; /* first label claims 63 bytes */
    CHECK(parse(b, sizeof b, &m) != PARSE_OK || m.qname.s[0] != '\0');
    /* a 300-byte name of 63-byte labels is cut and flagged */
    uint8_t big[400] = {0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0};
    size_t k = 12;
    for (int l = 0; l < 5; l++) {
        big[k++] = 63;
        memset(big + k, 'a', 63);
        k += 63;
    }
    big[k++] = 0;
    big[k++] = 0, big[k++] = 1, big[k++] = 0, big[k++] = 1;
    CHECK_EQ_INT(parse(big, k, &m), PARSE_OK);
    CHECK(m.qname.cut);
}

int main(void)
{
    RUN(valid);
    RUN(cname_hostile);
    RUN(every_prefix);
    RUN(pointer_rules);
    RUN(hop_cap);
    RUN(hostile_lengths);
    return harness_done();
}
