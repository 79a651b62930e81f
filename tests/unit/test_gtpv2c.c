/* test_gtpv2c.c - GTPv2-C decoding: capture fixtures, every prefix, hostile
 * lengths and limits. */
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
    /* ndpi__gtp_c.pcap frame 1 (tshark: IMSI 987654112233445, MSISDN
     * 896745214365, MEI 436587092110203, APN internet, PAA 33.23.23.1, RAT 6,
     * F-TEID if6 0x35529204@10.101.0.2, bearer if4 0x35529205 instance 2) */
    CHECK_EQ_INT(parse(fx_v2_csr, sizeof fx_v2_csr, &m), PARSE_OK);
    CHECK(gtpv2c_probe((struct span){fx_v2_csr, sizeof fx_v2_csr}));
    CHECK_EQ_INT(m.type, GTPV2C_CREATE_SESSION_REQ);
    CHECK_EQ_INT(m.seq, 0x4b5462);
    CHECK(m.has_teid && m.teid == 0);
    CHECK_STR(m.imsi, "987654112233445");
    CHECK_STR(m.msisdn, "896745214365");
    CHECK_STR(m.mei, "436587092110203");
    CHECK_STR(m.apn, "internet");
    CHECK_EQ_INT(m.rat, 6);
    CHECK_EQ_INT(m.pdn_type, 1);
    CHECK(m.has_v4 && m.v4[0] == 33 && m.v4[1] == 23 && m.v4[2] == 23 && m.v4[3] == 1);
    CHECK_EQ_INT(m.nfteid, 2);
    CHECK_EQ_INT(m.fteid[0].iface, GTPV2C_IF_S5C_SGW);
    CHECK_EQ_INT(m.fteid[0].teid, 0x35529204u);
    CHECK(!m.fteid[0].bearer && m.fteid[0].has_v4 && m.fteid[0].v4[0] == 10);
    CHECK_EQ_INT(m.fteid[1].iface, GTPV2C_IF_S5U_SGW);
    CHECK_EQ_INT(m.fteid[1].instance, 2);
    CHECK(m.fteid[1].bearer);
    CHECK_EQ_INT(m.fteid[1].teid, 0x35529205u);
    CHECK_STR(m.cell, "tai:896-457-4660;ecgi:896-457-36984440");
}

TEST(create_session_response)
{
    /* ndpi__gtp_c.pcap frame 2: cause 16, PAA 33.23.23.1, if7 0x35529206 and
     * bearer if5 0x35529207 at 10.102.0.2 */
    CHECK_EQ_INT(parse(fx_v2_csresp, sizeof fx_v2_csresp, &m), PARSE_OK);
    CHECK_EQ_INT(m.type, GTPV2C_CREATE_SESSION_RESP);
    CHECK_EQ_INT(m.cause, 16);
    CHECK(m.has_v4 && m.v4[0] == 33 && m.v4[3] == 1);
    CHECK_EQ_INT(m.nfteid, 2);
    CHECK_EQ_INT(m.fteid[0].teid, 0x35529206u);
    CHECK_EQ_INT(m.fteid[1].teid, 0x35529207u);
    CHECK(m.fteid[1].bearer && m.fteid[1].iface == GTPV2C_IF_S5U_PGW);
}

TEST(ipv4v6_and_modify_delete)
{
    /* open5gs__testattach.pcapng frame 62: PAA IPv4v6 10.45.0.2 / cafe::2 */
    CHECK_EQ_INT(parse(fx_v2_csresp_v4v6, sizeof fx_v2_csresp_v4v6, &m), PARSE_OK);
    CHECK_EQ_INT(m.pdn_type, 3);
    CHECK(m.has_v4 && m.v4[0] == 10 && m.v4[1] == 45 && m.v4[3] == 2);
    CHECK(m.has_v6 && m.v6[0] == 0xca && m.v6[1] == 0xfe && m.v6[15] == 2);
    CHECK_EQ_INT(m.v6_plen, 64);
    /* frame 57: the request asks for 0.0.0.0 / :: */
    CHECK_EQ_INT(parse(fx_v2_csr_v4v6, sizeof fx_v2_csr_v4v6, &m), PARSE_OK);
    CHECK_STR(m.imsi, "901707364000060");
    CHECK(m.has_v4 && m.v4[0] == 0);
    /* frame 71: Modify Bearer Request, bearer F-TEID if0 0x1 @127.0.0.2 */
    CHECK_EQ_INT(parse(fx_v2_mbr, sizeof fx_v2_mbr, &m), PARSE_OK);
    CHECK_EQ_INT(m.type, GTPV2C_MODIFY_BEARER_REQ);
    CHECK_EQ_INT(m.nfteid, 1);
    CHECK(m.fteid[0].bearer && m.fteid[0].iface == GTPV2C_IF_S1U_ENB && m.fteid[0].teid == 1);
    CHECK_EQ_INT(parse(fx_v2_mbresp, sizeof fx_v2_mbresp, &m), PARSE_OK);
    CHECK_EQ_INT(m.cause, 16);
    /* ndpi__gtp_c.pcap frames 3-4 */
    CHECK_EQ_INT(parse(fx_v2_dsr, sizeof fx_v2_dsr, &m), PARSE_OK);
    CHECK_EQ_INT(m.type, GTPV2C_DELETE_SESSION_REQ);
    CHECK_EQ_INT(parse(fx_v2_dsresp, sizeof fx_v2_dsresp, &m), PARSE_OK);
    CHECK_EQ_INT(m.type, GTPV2C_DELETE_SESSION_RESP);
    CHECK_EQ_INT(m.cause, 16);
}

TEST(every_prefix)
{
    const struct { const uint8_t *p; size_t n; } fx[] = {
        {fx_v2_csr, sizeof fx_v2_csr}, {fx_v2_csresp, sizeof fx_v2_csresp},
        {fx_v2_csresp_v4v6, sizeof fx_v2_csresp_v4v6}, {fx_v2_mbr, sizeof fx_v2_mbr},
        {fx_v2_dsresp, sizeof fx_v2_dsresp}};
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
