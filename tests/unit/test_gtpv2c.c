/* test_gtpv2c.c - GTPv2-C decoding: the built fixtures of mcore_fixtures.h
 * (tests/unit/mkmcore.py), every prefix, hostile lengths and limits. */
#include "classify/gtpv2c.h"

#include <stdlib.h>

#include "tests/harness.h"
#include "tests/unit/mcore_fixtures.h"
#include "tests/unit/mcore_prefix.h"

static enum parse_rc parse(const uint8_t *b, size_t n, struct gtpv2c_msg *m)
{
    struct cursor c = cur_init(b, n);
    return gtpv2c_parse(&c, m);
}

static enum parse_rc parse_any(struct cursor *c, void *out) { return gtpv2c_parse(c, out); }

static struct gtpv2c_msg m;

TEST(create_session)
{
    /* built by mkmcore.py: session A, S5/S8 SGW 192.0.2.10 -> PGW 198.51.100.20 */
    CHECK_EQ_INT(parse(fx_v2_csr, sizeof fx_v2_csr, &m), PARSE_OK);
    CHECK(gtpv2c_probe((struct span){fx_v2_csr, sizeof fx_v2_csr}));
    CHECK_EQ_INT(m.type, GTPV2C_CREATE_SESSION_REQ);
    CHECK_EQ_INT(m.seq, 0x00a1b2);
    CHECK(m.has_teid && m.teid == 0);
    CHECK_STR(m.imsi, "001010123456781");
    CHECK_STR(m.msisdn, "15551230101");
    CHECK_STR(m.mei, "352099001761481");
    CHECK_STR(m.apn, "internet");
    CHECK_EQ_INT(m.rat, 6);
    CHECK_EQ_INT(m.pdn_type, 1);
    CHECK(m.has_v4 && m.v4[0] == 100 && m.v4[1] == 64 && m.v4[2] == 0 && m.v4[3] == 17);
    CHECK(!m.has_v6);
    CHECK_EQ_INT(m.cause, -1);
    CHECK_EQ_INT(m.nfteid, 2);
    CHECK_EQ_INT(m.fteid[0].iface, GTPV2C_IF_S5C_SGW);
    CHECK_EQ_INT(m.fteid[0].instance, 0);
    CHECK_EQ_INT(m.fteid[0].teid, 0x1000a001u);
    CHECK(!m.fteid[0].bearer && m.fteid[0].has_v4 && !m.fteid[0].has_v6);
    CHECK(m.fteid[0].v4[0] == 192 && m.fteid[0].v4[1] == 0 && m.fteid[0].v4[2] == 2 &&
          m.fteid[0].v4[3] == 10);
    CHECK_EQ_INT(m.fteid[1].iface, GTPV2C_IF_S5U_SGW);
    CHECK_EQ_INT(m.fteid[1].instance, 2);
    CHECK(m.fteid[1].bearer);
    CHECK_EQ_INT(m.fteid[1].teid, 0x1000a002u);
    /* TAC 0x2a01, ECI 0x1a2b3c (28 bits, TS 29.274 section 8.21.5) */
    CHECK_STR(m.cell, "tai:001-01-10753;ecgi:001-01-1715004");
    CHECK_EQ_INT(m.fteid_dropped, 0);
    CHECK_EQ_INT(m.ies_over_limit, 0);
}

TEST(create_session_response)
{
    /* cause 16, PAA 100.64.0.17, PGW S5/S8-C 0x2000b001 (instance 1) and
     * bearer S5/S8-U 0x2000b002 at 198.51.100.20; header TEID = the SGW's */
    CHECK_EQ_INT(parse(fx_v2_csresp, sizeof fx_v2_csresp, &m), PARSE_OK);
    CHECK_EQ_INT(m.type, GTPV2C_CREATE_SESSION_RESP);
    CHECK_EQ_INT(m.teid, 0x1000a001u);
    CHECK_EQ_INT(m.seq, 0x00a1b2);
    CHECK_EQ_INT(m.cause, 16);
    CHECK(m.has_v4 && m.v4[0] == 100 && m.v4[3] == 17);
    CHECK_EQ_INT(m.nfteid, 2);
    CHECK_EQ_INT(m.fteid[0].teid, 0x2000b001u);
    CHECK(m.fteid[0].iface == GTPV2C_IF_S5C_PGW && m.fteid[0].instance == 1 && !m.fteid[0].bearer);
    CHECK(m.fteid[0].has_v4 && m.fteid[0].v4[0] == 198 && m.fteid[0].v4[1] == 51 &&
          m.fteid[0].v4[2] == 100 && m.fteid[0].v4[3] == 20);
    CHECK_EQ_INT(m.fteid[1].teid, 0x2000b002u);
    CHECK(m.fteid[1].bearer && m.fteid[1].iface == GTPV2C_IF_S5U_PGW);
    CHECK_STR(m.imsi, "");
}

TEST(ipv4v6_and_modify_delete)
{
    /* session B: PAA IPv4v6 100.64.2.2 / 2001:db8:cafe:2::2, prefix length 64 */
    CHECK_EQ_INT(parse(fx_v2_csresp_v4v6, sizeof fx_v2_csresp_v4v6, &m), PARSE_OK);
    CHECK_EQ_INT(m.pdn_type, 3);
    CHECK(m.has_v4 && m.v4[0] == 100 && m.v4[1] == 64 && m.v4[2] == 2 && m.v4[3] == 2);
    static const uint8_t ue6[16] = {0x20, 0x01, 0x0d, 0xb8, 0xca, 0xfe, 0, 2, 0, 0, 0, 0, 0, 0, 0, 2};
    CHECK(m.has_v6 && !memcmp(m.v6, ue6, 16));
    CHECK_EQ_INT(m.v6_plen, 64);
    CHECK_EQ_INT(m.nfteid, 2);
    CHECK(m.fteid[0].iface == GTPV2C_IF_S5C_PGW && m.fteid[0].teid == 0xb101u);
    /* the request asks for 0.0.0.0 / :: and carries an IMEISV as the MEI */
    CHECK_EQ_INT(parse(fx_v2_csr_v4v6, sizeof fx_v2_csr_v4v6, &m), PARSE_OK);
    CHECK_STR(m.imsi, "001010123456782");
    CHECK_STR(m.msisdn, "15551230102");
    CHECK_STR(m.mei, "3520990017614802");
    CHECK_STR(m.apn, "web.example");
    CHECK_STR(m.cell, "tai:001-01-2;ecgi:001-01-513");
    CHECK_EQ_INT(m.pdn_type, 3);
    CHECK(m.has_v4 && m.v4[0] == 0 && m.v4[3] == 0);
    CHECK(m.has_v6 && m.v6[0] == 0 && m.v6[15] == 0);
    /* Modify Bearer Request on S11: header TEID 0xc101, bearer F-TEID S1-U
     * eNodeB 0xe101 @203.0.113.50 */
    CHECK_EQ_INT(parse(fx_v2_mbr, sizeof fx_v2_mbr, &m), PARSE_OK);
    CHECK_EQ_INT(m.type, GTPV2C_MODIFY_BEARER_REQ);
    CHECK_EQ_INT(m.teid, 0xc101u);
    CHECK_EQ_INT(m.nfteid, 1);
    CHECK(m.fteid[0].bearer && m.fteid[0].iface == GTPV2C_IF_S1U_ENB &&
          m.fteid[0].teid == 0xe101u);
    CHECK(m.fteid[0].has_v4 && m.fteid[0].v4[0] == 203 && m.fteid[0].v4[3] == 50);
    CHECK_EQ_INT(parse(fx_v2_mbresp, sizeof fx_v2_mbresp, &m), PARSE_OK);
    CHECK_EQ_INT(m.type, GTPV2C_MODIFY_BEARER_RESP);
    CHECK_EQ_INT(m.cause, 16);
    CHECK(m.nfteid == 1 && m.fteid[0].iface == GTPV2C_IF_S1U_SGW && m.fteid[0].teid == 0xa201u);
    /* session A's Delete Session pair: the request names the PGW's control
     * TEID and the linked bearer 5 */
    CHECK_EQ_INT(parse(fx_v2_dsr, sizeof fx_v2_dsr, &m), PARSE_OK);
    CHECK_EQ_INT(m.type, GTPV2C_DELETE_SESSION_REQ);
    CHECK_EQ_INT(m.teid, 0x2000b001u);
    CHECK(m.has_lbi);
    CHECK_STR(m.cell, "tai:001-01-10753;ecgi:001-01-1715004");
    CHECK_EQ_INT(parse(fx_v2_dsresp, sizeof fx_v2_dsresp, &m), PARSE_OK);
    CHECK_EQ_INT(m.type, GTPV2C_DELETE_SESSION_RESP);
    CHECK_EQ_INT(m.teid, 0x1000a001u);
    CHECK_EQ_INT(m.cause, 16);
}

TEST(every_prefix)
{
    const struct { const uint8_t *p; size_t n; } fx[] = {
        {fx_v2_csr, sizeof fx_v2_csr}, {fx_v2_csresp, sizeof fx_v2_csresp},
        {fx_v2_csr_v4v6, sizeof fx_v2_csr_v4v6}, {fx_v2_csresp_v4v6, sizeof fx_v2_csresp_v4v6},
        {fx_v2_mbr, sizeof fx_v2_mbr}, {fx_v2_mbresp, sizeof fx_v2_mbresp},
        {fx_v2_dsr, sizeof fx_v2_dsr}, {fx_v2_dsresp, sizeof fx_v2_dsresp}};
    for (size_t i = 0; i < sizeof fx / sizeof fx[0]; i++)
        CHECK_EQ_INT(prefix_failures(fx[i].p, fx[i].n, parse_any, &m), 0);
}

/* Header (T=1) + body: length field set from n. */
static size_t build(uint8_t *b, const uint8_t *body, size_t n)
{
    uint8_t hdr[12] = {0x48, 32, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0};
    hdr[2] = (uint8_t)((n + 8) >> 8);
    hdr[3] = (uint8_t)(n + 8);
    memcpy(b, hdr, 12);
    memcpy(b + 12, body, n);
    return 12 + n;
}

TEST(hostile)
{
    uint8_t b[2048];
    /* an IE claiming more than its message */
    const uint8_t long_ie[] = {1, 0, 50, 0, 0x21, 0x43};
    size_t n = build(b, long_ie, sizeof long_ie);
    CHECK_EQ_INT(parse(b, n, &m), PARSE_INVALID);
    /* a message length below the header */
    uint8_t shortlen[12] = {0x48, 32, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0};
    CHECK_EQ_INT(parse(shortlen, sizeof shortlen, &m), PARSE_INVALID);
    CHECK(!gtpv2c_probe((struct span){shortlen, sizeof shortlen}));
    /* version 1 */
    uint8_t v1[12] = {0x28, 32, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0};
    CHECK_EQ_INT(parse(v1, sizeof v1, &m), PARSE_INVALID);
    /* a length past the datagram: the capture was cut */
    uint8_t cut[12] = {0x48, 32, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0};
    CHECK_EQ_INT(parse(cut, sizeof cut, &m), PARSE_TRUNCATED);
    /* more IEs than GTPV2C_MAX_IES: the extra ones are counted, not read */
    uint8_t many[(GTPV2C_MAX_IES + 10) * 5 + 12];
    size_t k = 0;
    for (unsigned i = 0; i < GTPV2C_MAX_IES + 10; i++) {
        const uint8_t rec[5] = {3, 0, 1, 0, 7}; /* Recovery */
        memcpy(many + 12 + k, rec, 5);
        k += 5;
    }
    n = build(b, many + 12, k);
    CHECK_EQ_INT(parse(b, n, &m), PARSE_OK);
    CHECK_EQ_INT(m.ies_over_limit, 10);
    /* more F-TEIDs than GTPV2C_MAX_FTEIDS */
    k = 0;
    for (unsigned i = 0; i < GTPV2C_MAX_FTEIDS + 3; i++) {
        const uint8_t f[13] = {87, 0, 9, 0, 0x8a, 0, 0, 0, (uint8_t)i, 10, 0, 0, 1};
        memcpy(many + k, f, 13);
        k += 13;
    }
    n = build(b, many, k);
    CHECK_EQ_INT(parse(b, n, &m), PARSE_OK);
    CHECK_EQ_INT(m.nfteid, GTPV2C_MAX_FTEIDS);
    CHECK_EQ_INT(m.fteid_dropped, 3);
    /* a bearer context inside a bearer context is not descended; an IMSI
     * of 20 digits is cut at 15; a PAA too short for its type gives no address */
    const uint8_t nested[] = {93, 0, 17, 0, 93, 0, 13, 0, 87, 0, 9, 0, 0x81, 0, 0, 0, 9, 1, 2, 3, 4,
                              1, 0, 10, 0, 0x21, 0x43, 0x65, 0x87, 0x09, 0x21, 0x43, 0x65, 0x87,
                              0x09,
                              79, 0, 3, 0, 1, 10, 0};
    n = build(b, nested, sizeof nested);
    CHECK_EQ_INT(parse(b, n, &m), PARSE_OK);
    CHECK_EQ_INT(m.nfteid, 0);
    CHECK_STR(m.imsi, "123456789012345");
    CHECK(!m.has_v4);
    /* an APN whose label lengths run past the value; control bytes become '?' */
    const uint8_t apn[] = {71, 0, 6, 0, 60, 'a', 0x01, 'b', 0x7f, 'c'};
    n = build(b, apn, sizeof apn);
    CHECK_EQ_INT(parse(b, n, &m), PARSE_OK);
    CHECK_STR(m.apn, "a?b?c");
}

int main(void)
{
    RUN(create_session);
    RUN(create_session_response);
    RUN(ipv4v6_and_modify_delete);
    RUN(every_prefix);
    RUN(hostile);
    return harness_done();
}
