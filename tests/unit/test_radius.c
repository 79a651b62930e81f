/* test_radius.c - RADIUS decoding: the built fixtures of mcore_fixtures.h
 * (tests/unit/mkmcore.py), the password canary, every prefix, hostile
 * lengths. */
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
    /* built by mkmcore.py: an Interim-Update from a GGSN with the 3GPP VSAs */
    CHECK(radius_probe((struct span){fx_rad_acct_interim, sizeof fx_rad_acct_interim}));
    CHECK_EQ_INT(parse(fx_rad_acct_interim, sizeof fx_rad_acct_interim), PARSE_OK);
    CHECK_EQ_INT(m.code, RADIUS_ACCT_REQUEST);
    CHECK_EQ_INT(m.id, 0x65);
    CHECK_EQ_INT(m.status_type, RADIUS_ACCT_INTERIM);
    CHECK(m.has_v4 && m.v4[0] == 100 && m.v4[1] == 64 && m.v4[2] == 6 && m.v4[3] == 6);
    CHECK(!m.has_v6);
    CHECK_STR(m.calling, "15551230106");
    CHECK_STR(m.user_name, "user106");
    CHECK_STR(m.called, "web.example");
    CHECK_STR(m.session, "c0000269-0106");
    CHECK_STR(m.imsi, "001010123456786");
    CHECK_STR(m.imeisv, "3520990017614806");
    CHECK_STR(m.cell, "tai:001-01-6;ecgi:001-01-262");
    CHECK_EQ_INT(m.rat, 6);
    CHECK(!m.cut);
    CHECK_EQ_INT(m.passwords_skipped, 0);
    CHECK_EQ_INT(parse(fx_rad_acct_resp, sizeof fx_rad_acct_resp), PARSE_OK);
    CHECK_EQ_INT(m.code, RADIUS_ACCT_RESPONSE);
    CHECK_EQ_INT(m.id, 0x65);
    /* a Start with a Framed-IPv6-Prefix 2001:db8:0:105::/64 */
    CHECK_EQ_INT(parse(fx_rad_acct_start, sizeof fx_rad_acct_start), PARSE_OK);
    CHECK_EQ_INT(m.status_type, RADIUS_ACCT_START);
    CHECK(m.has_v4 && m.v4[2] == 6 && m.v4[3] == 5);
    static const uint8_t pfx[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0x01, 0x05};
    CHECK(m.has_v6 && m.v6_plen == 64 && !memcmp(m.v6, pfx, 16));
    CHECK_STR(m.imsi, "001010123456785");
    CHECK_STR(m.imeisv, "3520990017614805");
    CHECK_STR(m.calling, "15551230105");
    CHECK_STR(m.session, "c0000269-0105");
    CHECK_STR(m.cell, "tai:001-01-5;ecgi:001-01-261");
}

TEST(access)
{
    /* Access-Accept id 0x61: Framed-IP 100.64.5.33 */
    CHECK_EQ_INT(parse(fx_rad_accept, sizeof fx_rad_accept), PARSE_OK);
    CHECK_EQ_INT(m.code, RADIUS_ACCESS_ACCEPT);
    CHECK_EQ_INT(m.id, 0x61);
    CHECK(m.has_v4 && m.v4[0] == 100 && m.v4[1] == 64 && m.v4[2] == 5 && m.v4[3] == 33);
    CHECK_EQ_INT(m.status_type, -1);
    /* an 802.1X Access-Request: User-Name carol, the station's MAC in
     * Calling-Station-Id, EAP-Message and Message-Authenticator skipped */
    CHECK_EQ_INT(parse(fx_rad_req_station, sizeof fx_rad_req_station), PARSE_OK);
    CHECK_EQ_INT(m.code, RADIUS_ACCESS_REQUEST);
    CHECK_EQ_INT(m.id, 0x63);
    CHECK_STR(m.user_name, "carol");
    CHECK_STR(m.calling, "00-00-5E-00-53-01");
    CHECK_STR(m.called, "00-00-5E-00-53-FE:TrapNet");
    CHECK(!m.has_v4);
    CHECK_EQ_INT(m.passwords_skipped, 0);
}

TEST(password_canary)
{
    /* fx_rad_req_pap_pw: the User-Password value (RFC 2865 section 5.2,
     * hidden with the shared secret) of fx_rad_req_pap */
    CHECK(contains(fx_rad_req_pap, sizeof fx_rad_req_pap, fx_rad_req_pap_pw,
                   sizeof fx_rad_req_pap_pw)); /* in the input */
    CHECK_EQ_INT(parse(fx_rad_req_pap, sizeof fx_rad_req_pap), PARSE_OK);
    CHECK_STR(m.user_name, "bob");
    CHECK_EQ_INT(m.passwords_skipped, 1);
    /* not in the output, not even 4 bytes of it, wherever they start */
    for (size_t i = 0; i + 4 <= sizeof fx_rad_req_pap_pw; i++)
        CHECK(!contains(&m, sizeof m, fx_rad_req_pap_pw + i, 4));
    CHECK(!contains(&m, sizeof m, (const uint8_t *)"Canary", 6)); /* nor the clear text */
    /* fx_rad_req_chap_pw: CHAP ident + MD5 response of fx_rad_req_chap */
    CHECK(contains(fx_rad_req_chap, sizeof fx_rad_req_chap, fx_rad_req_chap_pw,
                   sizeof fx_rad_req_chap_pw));
    CHECK_EQ_INT(parse(fx_rad_req_chap, sizeof fx_rad_req_chap), PARSE_OK);
    CHECK_STR(m.user_name, "bob");
    CHECK_EQ_INT(m.passwords_skipped, 1);
    for (size_t i = 1; i + 4 <= sizeof fx_rad_req_chap_pw; i++)
        CHECK(!contains(&m, sizeof m, fx_rad_req_chap_pw + i, 4));
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
    const struct { const uint8_t *p; size_t n; } fx[] = {
        {fx_rad_acct_interim, sizeof fx_rad_acct_interim},
        {fx_rad_acct_start, sizeof fx_rad_acct_start},
        {fx_rad_acct_resp, sizeof fx_rad_acct_resp}, {fx_rad_req_pap, sizeof fx_rad_req_pap},
        {fx_rad_req_chap, sizeof fx_rad_req_chap}, {fx_rad_accept, sizeof fx_rad_accept},
        {fx_rad_req_station, sizeof fx_rad_req_station}};
    for (size_t i = 0; i < sizeof fx / sizeof fx[0]; i++)
        CHECK_EQ_INT(prefix_failures(fx[i].p, fx[i].n, parse_any, &m), 0);
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
