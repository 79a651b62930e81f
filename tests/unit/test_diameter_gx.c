/* test_diameter_gx.c - Diameter Gx / Gy CCR / CCA decoding: the built
 * fixtures of mcore_fixtures.h (tests/unit/mkmcore.py), every prefix,
 * hostile AVPs. */
#include "classify/diameter_gx.h"

#include <stdlib.h>

#include "tests/harness.h"
#include "tests/unit/mcore_fixtures.h"
#include "tests/unit/mcore_prefix.h"

static struct gx_msg m;

static enum parse_rc parse(const uint8_t *b, size_t n)
{
    struct cursor c = cur_init(b, n);
    return diameter_gx_parse(&c, &m);
}

static enum parse_rc parse_any(struct cursor *c, void *out) { return diameter_gx_parse(c, out); }

TEST(gx_ccr_initial)
{
    /* built by mkmcore.py: Gx CCR-I from the PCEF pgw.example.net */
    CHECK(diameter_gx_probe((struct span){fx_gx_ccr_i, sizeof fx_gx_ccr_i}));
    CHECK_EQ_INT(parse(fx_gx_ccr_i, sizeof fx_gx_ccr_i), PARSE_OK);
    CHECK(m.request);
    CHECK_EQ_INT(m.app, DIAMETER_APP_GX);
    CHECK_EQ_INT(m.hbh, 0xa107u);
    CHECK_EQ_INT(m.e2e, 0x5e0a1070u);
    CHECK_EQ_INT(m.req_type, GX_INITIAL);
    CHECK_EQ_INT(m.result, -1);
    CHECK_STR(m.imsi, "001010123456787");
    CHECK_STR(m.msisdn, "15551230107");
    CHECK_STR(m.imei, "3520990017614807"); /* User-Equipment-Info IMEISV in TBCD */
    CHECK(m.has_v4 && m.v4[0] == 100 && m.v4[1] == 64 && m.v4[2] == 7 && m.v4[3] == 7);
    static const uint8_t pfx[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0x01, 0x07};
    CHECK(m.has_v6 && m.v6_plen == 64 && !memcmp(m.v6, pfx, 16));
    CHECK_STR(m.apn, "internet");
    CHECK_STR(m.session, "pgw.example.net;1733184000;107;gx");
    CHECK_STR(m.cell, "tai:001-01-7;ecgi:001-01-263");
    CHECK(!m.cut);
    CHECK_EQ_INT(m.avps_over_limit, 0);
    /* the CCA-I: Result-Code 2001, same identifiers */
    CHECK_EQ_INT(parse(fx_gx_cca_i, sizeof fx_gx_cca_i), PARSE_OK);
    CHECK(!m.request);
    CHECK_EQ_INT(m.hbh, 0xa107u);
    CHECK_EQ_INT(m.result, 2001);
    CHECK_EQ_INT(m.req_type, GX_INITIAL);
    CHECK_STR(m.session, "pgw.example.net;1733184000;107;gx");
    CHECK_STR(m.imsi, "");
    /* a Gy (DCCA) CCR-I: the same Subscription-Ids, the IMEISV as text; the
     * address, APN and ULI only inside Service-Information / PS-Information
     * (TS 32.299), which this decoder does not descend into */
    CHECK_EQ_INT(parse(fx_gy_ccr_i, sizeof fx_gy_ccr_i), PARSE_OK);
    CHECK_EQ_INT(m.app, DIAMETER_APP_DCCA);
    CHECK_EQ_INT(m.req_type, GX_INITIAL);
    CHECK_STR(m.session, "pgw.example.net;1733184000;107;gy");
    CHECK_STR(m.imsi, "001010123456787");
    CHECK_STR(m.msisdn, "15551230107");
    CHECK_STR(m.imei, "3520990017614807");
    CHECK(!m.has_v4 && !m.has_v6);
    CHECK_STR(m.apn, "");
    CHECK_STR(m.cell, "");
    /* the Gx CCR-T */
    CHECK_EQ_INT(parse(fx_gx_ccr_t, sizeof fx_gx_ccr_t), PARSE_OK);
    CHECK(m.request);
    CHECK_EQ_INT(m.req_type, GX_TERMINATION);
    CHECK_STR(m.session, "pgw.example.net;1733184000;107;gx");
}

TEST(every_prefix)
{
    CHECK_EQ_INT(prefix_failures(fx_gx_ccr_i, sizeof fx_gx_ccr_i, parse_any, &m), 0);
    CHECK_EQ_INT(prefix_failures(fx_gx_cca_i, sizeof fx_gx_cca_i, parse_any, &m), 0);
    CHECK_EQ_INT(prefix_failures(fx_gy_ccr_i, sizeof fx_gy_ccr_i, parse_any, &m), 0);
    CHECK_EQ_INT(prefix_failures(fx_gx_ccr_t, sizeof fx_gx_ccr_t, parse_any, &m), 0);
}

static size_t hdr(uint8_t *b, size_t n, uint32_t code, uint32_t app)
{
    const uint8_t h[20] = {1, (uint8_t)(n >> 16), (uint8_t)(n >> 8), (uint8_t)n, 0x80,
                           (uint8_t)(code >> 16), (uint8_t)(code >> 8), (uint8_t)code,
                           (uint8_t)(app >> 24), (uint8_t)(app >> 16), (uint8_t)(app >> 8),
                           (uint8_t)app};
    memcpy(b, h, 20);
    return 20;
}

TEST(hostile)
{
    uint8_t b[4096];
    memset(b, 0, sizeof b);
    /* an AVP length below its header */
    const uint8_t bad[] = {0, 0, 1, 0x07, 0x40, 0, 0, 4};
    size_t n = hdr(b, 28, DIAMETER_CMD_CC, DIAMETER_APP_GX);
    memcpy(b + n, bad, sizeof bad);
    CHECK_EQ_INT(parse(b, 28), PARSE_INVALID);
    /* an AVP past the message */
    const uint8_t past[] = {0, 0, 1, 0x07, 0x40, 0, 0, 200};
    memcpy(b + n, past, sizeof past);
    CHECK_EQ_INT(parse(b, 28), PARSE_INVALID);
    /* length below the header; version 2 */
    hdr(b, 12, DIAMETER_CMD_CC, DIAMETER_APP_GX);
    CHECK_EQ_INT(parse(b, 28), PARSE_INVALID);
    hdr(b, 28, DIAMETER_CMD_CC, DIAMETER_APP_GX);
    b[0] = 2;
    CHECK_EQ_INT(parse(b, 28), PARSE_INVALID);
    /* another application: OK, nothing read */
    n = hdr(b, 20, DIAMETER_CMD_CC, 16777251u);
    CHECK_EQ_INT(parse(b, n), PARSE_OK);
    CHECK(!diameter_gx_probe((struct span){b, n}));
    /* a Subscription-Id IMSI of 20 digits and one with a letter: dropped;
     * more AVPs than GX_MAX_AVPS: counted */
    n = 20;
    const uint8_t sub_long[] = {0, 0, 1, 0xbb, 0x40, 0, 0, 48, 0, 0, 1, 0xc2, 0x40, 0, 0, 12,
                                0, 0, 0, 1, 0, 0, 1, 0xbc, 0x40, 0, 0, 28, '1', '2', '3', '4',
                                '5', '6', '7', '8', '9', '0', '1', '2', '3', '4', '5', '6', '7',
                                '8', '9', '0'};
    memcpy(b + n, sub_long, sizeof sub_long);
    n += sizeof sub_long;
    const uint8_t sub_alpha[] = {0, 0, 1, 0xbb, 0x40, 0, 0, 32, 0, 0, 1, 0xc2, 0x40, 0, 0, 12,
                                 0, 0, 0, 0, 0, 0, 1, 0xbc, 0x40, 0, 0, 12, '1', '2', 'x', '4'};
    memcpy(b + n, sub_alpha, sizeof sub_alpha);
    n += sizeof sub_alpha;
    for (unsigned i = 0; i < GX_MAX_AVPS; i++) {
        const uint8_t filler[] = {0, 0, 1, 0x9f, 0x40, 0, 0, 12, 0, 0, 0, 0};
        memcpy(b + n, filler, sizeof filler);
        n += sizeof filler;
    }
    hdr(b, n, DIAMETER_CMD_CC, DIAMETER_APP_GX);
    CHECK_EQ_INT(parse(b, n), PARSE_OK);
    CHECK_STR(m.imsi, "");
    CHECK_STR(m.msisdn, "");
    CHECK_EQ_INT(m.avps_over_limit, 2);
}

int main(void)
{
    RUN(gx_ccr_initial);
    RUN(every_prefix);
    RUN(hostile);
    return harness_done();
}
