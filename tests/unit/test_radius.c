/* test_radius.c - RADIUS decoding: capture fixtures, the password canary,
 * every prefix, hostile lengths. */
#include "classify/radius.h"

#include <stdlib.h>

#include "tests/harness.h"
#include "tests/unit/mcore_fixtures.h"
#include "tests/unit/mcore_prefix.h"

static struct radius_msg m;

static enum parse_rc parse(const uint8_t *b, size_t n)
{
    struct cursor c = cur_init(b, n);
    return radius_parse(&c, &m);
}

static enum parse_rc parse_any(struct cursor *c, void *out) { return radius_parse(c, out); }

/* True when needle occurs anywhere in the n bytes at hay. */
static bool contains(const void *hay, size_t n, const uint8_t *needle, size_t k)
{
    const uint8_t *h = hay;
    for (size_t i = 0; i + k <= n; i++)
        if (!memcmp(h + i, needle, k))
            return true;
    return false;
}

TEST(accounting)
{
    /* arkime__radius.pcap frame 1: Interim-Update, Framed-IP 10.0.0.3,
     * Calling-Station-Id 985AEB898000, User-Name xxxxxxxxx */
    CHECK(radius_probe((struct span){fx_rad_acct_interim, sizeof fx_rad_acct_interim}));
    CHECK_EQ_INT(parse(fx_rad_acct_interim, sizeof fx_rad_acct_interim), PARSE_OK);
    CHECK_EQ_INT(m.code, RADIUS_ACCT_REQUEST);
    CHECK_EQ_INT(m.status_type, RADIUS_ACCT_INTERIM);
    CHECK(m.has_v4 && m.v4[0] == 10 && m.v4[3] == 3);
    CHECK_STR(m.calling, "985AEB898000");
    CHECK_STR(m.user_name, "xxxxxxxxx");
    CHECK_STR(m.called, "001A1E000000");
    CHECK_STR(m.session, "xxxxxxxx985AEB898000-57361300");
    CHECK_EQ_INT(parse(fx_rad_acct_resp, sizeof fx_rad_acct_resp), PARSE_OK);
    CHECK_EQ_INT(m.code, RADIUS_ACCT_RESPONSE);
}

TEST(access)
{
    /* zeek__radius_localhost.pcap frame 10: Access-Accept, Framed-IP 172.16.3.33 */
    CHECK_EQ_INT(parse(fx_rad_accept, sizeof fx_rad_accept), PARSE_OK);
    CHECK_EQ_INT(m.code, RADIUS_ACCESS_ACCEPT);
    CHECK_EQ_INT(m.id, 97);
    CHECK(m.has_v4 && m.v4[0] == 172 && m.v4[1] == 16 && m.v4[2] == 3 && m.v4[3] == 33);
    /* tcpdump__RADIUS.pcap frame 3: User-Name John.McGuirk, Calling-Station-Id (a MAC) */
    CHECK_EQ_INT(parse(fx_rad_req_station, sizeof fx_rad_req_station), PARSE_OK);
    CHECK_STR(m.user_name, "John.McGuirk");
    CHECK_STR(m.calling, "00-14-22-E9-54-5E");
    CHECK_STR(m.called, "00-19-06-EA-B8-8C");
}

TEST(password_canary)
{
    /* zeek__radius_localhost.pcap frame 9: User-Password (encrypted)
     * e4 7f ed f8 e6 6d 2b 62 11 40 70 90 b9 29 f0 03 (tshark) */
    static const uint8_t pap[] = {0xe4, 0x7f, 0xed, 0xf8, 0xe6, 0x6d, 0x2b, 0x62};
    CHECK(contains(fx_rad_req_pap, sizeof fx_rad_req_pap, pap, sizeof pap)); /* in the input */
    CHECK_EQ_INT(parse(fx_rad_req_pap, sizeof fx_rad_req_pap), PARSE_OK);
    CHECK_STR(m.user_name, "steve");
    CHECK_EQ_INT(m.passwords_skipped, 1);
    CHECK(!contains(&m, sizeof m, pap, 4)); /* not in the output, not even 4 bytes of it */
    /* frame 11: CHAP-Password a8 05 74 ae 2c 41 3a 39 ... */
    static const uint8_t chap[] = {0xa8, 0x05, 0x74, 0xae};
    CHECK(contains(fx_rad_req_chap, sizeof fx_rad_req_chap, chap, sizeof chap));
    CHECK_EQ_INT(parse(fx_rad_req_chap, sizeof fx_rad_req_chap), PARSE_OK);
    CHECK_EQ_INT(m.passwords_skipped, 1);
    CHECK(!contains(&m, sizeof m, chap, sizeof chap));
    /* a printable password placed where a copied identity would show it */
    uint8_t b[64] = {1, 7, 0, 0};
    size_t n = 20;
    const uint8_t pw[] = {2, 18, 'C', 'A', 'N', 'A', 'R', 'Y', 'p', 'w', 'C', 'A', 'N', 'A',
                          'R', 'Y', 'p', 'w'};
    memcpy(b + n, pw, sizeof pw);
    n += sizeof pw;
    b[3] = (uint8_t)n;
    CHECK_EQ_INT(parse(b, n), PARSE_OK);
    CHECK(!contains(&m, sizeof m, (const uint8_t *)"CANARY", 6));
}

TEST(every_prefix)
{
    CHECK_EQ_INT(prefix_failures(fx_rad_acct_interim, sizeof fx_rad_acct_interim, parse_any, &m),
                 0);
    CHECK_EQ_INT(prefix_failures(fx_rad_req_pap, sizeof fx_rad_req_pap, parse_any, &m), 0);
    CHECK_EQ_INT(prefix_failures(fx_rad_req_station, sizeof fx_rad_req_station, parse_any, &m),
                 0);
}

TEST(hostile)
{
    uint8_t b[300] = {4, 1, 0, 0};
    /* attribute length 1 (below its header) and 0 */
    for (uint8_t l = 0; l < 2; l++) {
        b[20] = 1;
        b[21] = l;
        b[3] = 24;
        CHECK_EQ_INT(parse(b, 24), PARSE_INVALID);
    }
    /* an attribute running past the packet length */
    b[21] = 40;
    CHECK_EQ_INT(parse(b, 24), PARSE_INVALID);
    /* packet length below 20 and above 4096 */
    b[2] = 0;
    b[3] = 19;
    CHECK_EQ_INT(parse(b, 24), PARSE_INVALID);
    CHECK(!radius_probe((struct span){b, 24}));
    b[2] = 0x10;
    b[3] = 0x01;
    CHECK_EQ_INT(parse(b, 24), PARSE_INVALID);
    /* 3GPP VSA with a bad sub-length, then a good 3GPP-IMSI; a Framed-IPv6-Prefix
     * of length 129; a non-digit IMSI */
    memset(b, 0, sizeof b);
    b[0] = 4;
    size_t n = 20;
    const uint8_t vsa_bad[] = {26, 10, 0, 0, 0x28, 0xaf, 1, 1, '1', '2'};
    const uint8_t vsa_ok[] = {26, 23, 0, 0, 0x28, 0xaf, 1, 17, '0', '0', '1', '0', '1', '0', '1',
                              '2', '3', '4', '5', '6', '7', '8', '9'};
    const uint8_t v6_bad[] = {97, 20, 0, 129, 0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                              0};
    const uint8_t uli[] = {26, 21, 0, 0, 0x28, 0xaf, 22, 15, 130, 0x00, 0xf1, 0x10, 0, 1, 0x00,
                           0xf1, 0x10, 0, 0, 1, 1};
    memcpy(b + n, vsa_bad, sizeof vsa_bad);
    n += sizeof vsa_bad;
    memcpy(b + n, vsa_ok, sizeof vsa_ok);
    n += sizeof vsa_ok;
    memcpy(b + n, v6_bad, sizeof v6_bad);
    n += sizeof v6_bad;
    memcpy(b + n, uli, sizeof uli);
    n += sizeof uli;
    b[2] = (uint8_t)(n >> 8);
    b[3] = (uint8_t)n;
    CHECK_EQ_INT(parse(b, n), PARSE_OK);
    CHECK_STR(m.imsi, "001010123456789");
    CHECK(!m.has_v6);
    CHECK_STR(m.cell, "tai:001-01-1;ecgi:001-01-257");
    /* a User-Name longer than TGPP_USER_MAX is cut and flagged */
    memset(b, 'u', sizeof b);
    b[0] = 1;
    b[1] = 2;
    b[2] = 0;
    b[20] = 1;
    b[21] = 202;
    b[3] = 222;
    CHECK_EQ_INT(parse(b, 222), PARSE_OK);
    CHECK(m.cut);
    CHECK_EQ_INT(strlen(m.user_name), TGPP_USER_MAX - 1);
}

int main(void)
{
    RUN(accounting);
    RUN(access);
    RUN(password_canary);
    RUN(every_prefix);
    RUN(hostile);
    return harness_done();
}
