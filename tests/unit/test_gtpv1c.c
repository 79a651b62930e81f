/* test_gtpv1c.c - GTPv1-C / GTPv0 decoding: the built fixtures of
 * mcore_fixtures.h (tests/unit/mkmcore.py), the TV length table, every
 * prefix, hostile lengths. */
#include "classify/gtpv1c.h"

#include <stdlib.h>

#include "tests/harness.h"
#include "tests/unit/mcore_fixtures.h"
#include "tests/unit/mcore_prefix.h"

static struct gtpv1c_msg m;

static enum parse_rc parse(const uint8_t *b, size_t n)
{
    struct cursor c = cur_init(b, n);
    return gtpv1c_parse(&c, &m);
}

static enum parse_rc parse_any(struct cursor *c, void *out) { return gtpv1c_parse(c, out); }

TEST(create_pdp)
{
    /* built by mkmcore.py: Gn, SGSN 192.0.2.50 / .51 -> GGSN 198.51.100.60 */
    CHECK(gtpv1c_probe((struct span){fx_v1_cpdp_req, sizeof fx_v1_cpdp_req}));
    CHECK_EQ_INT(parse(fx_v1_cpdp_req, sizeof fx_v1_cpdp_req), PARSE_OK);
    CHECK_EQ_INT(m.version, 1);
    CHECK_EQ_INT(m.type, GTPV1C_CREATE_PDP_REQ);
    CHECK_EQ_INT(m.teid, 0);
    CHECK(m.has_seq && m.seq == 0x1a2b);
    CHECK_STR(m.imsi, "001010123456783");
    CHECK_STR(m.msisdn, "15551230103");
    CHECK_STR(m.imei, "3520990017614803");
    CHECK_STR(m.apn, "gprs.example");
    CHECK(m.has_teid_ctl && m.teid_ctl == 0x3000c001u);
    CHECK(m.has_teid_data && m.teid_data == 0x3000c002u);
    CHECK_EQ_INT(m.nsapi, 5);
    CHECK_EQ_INT(m.rat, 1);
    CHECK_STR(m.cell, "sai:001-01-257-515");
    CHECK_EQ_INT(m.ngsn, 2);
    CHECK(m.gsn_len[0] == 4 && m.gsn[0][0] == 192 && m.gsn[0][3] == 50);
    CHECK(m.gsn_len[1] == 4 && m.gsn[1][3] == 51);
    CHECK(!m.stopped);
    CHECK_EQ_INT(m.cause, -1);
    CHECK(m.has_eua && !m.has_v4 && !m.has_v6); /* dynamic address requested */
    CHECK_EQ_INT(m.pdp_type, 0x21);
    /* the response: cause 128, EUA 100.64.1.30, the GGSN's TEIDs and GSNs;
     * header TEID = the SGSN's control TEID */
    CHECK_EQ_INT(parse(fx_v1_cpdp_resp, sizeof fx_v1_cpdp_resp), PARSE_OK);
    CHECK_EQ_INT(m.type, GTPV1C_CREATE_PDP_RESP);
    CHECK_EQ_INT(m.teid, 0x3000c001u);
    CHECK_EQ_INT(m.cause, GTPV1C_CAUSE_ACCEPTED);
    CHECK(m.has_v4 && m.v4[0] == 100 && m.v4[1] == 64 && m.v4[2] == 1 && m.v4[3] == 30);
    CHECK_EQ_INT(m.teid_ctl, 0x4000d001u);
    CHECK_EQ_INT(m.teid_data, 0x4000d002u);
    CHECK_EQ_INT(m.pdp_type, 0x21);
    CHECK_EQ_INT(m.ngsn, 2);
    CHECK(m.gsn[0][0] == 198 && m.gsn[0][3] == 60 && m.gsn[1][3] == 61);
    CHECK(!m.stopped);
}

TEST(gtpv0)
{
    /* fx_v0_resp (mkmcore.py): TID = IMSI 001010123456784 + NSAPI 5 */
    CHECK(gtpv1c_probe((struct span){fx_v0_resp, sizeof fx_v0_resp}));
    CHECK_EQ_INT(parse(fx_v0_resp, sizeof fx_v0_resp), PARSE_OK);
    CHECK_EQ_INT(m.version, 0);
    CHECK_EQ_INT(m.type, GTPV1C_CREATE_PDP_RESP);
    CHECK(m.has_seq && m.seq == 0x42);
    CHECK_EQ_INT(m.cause, 128);
    CHECK_STR(m.imsi, "001010123456784");
    CHECK_EQ_INT(m.nsapi, 5);
    CHECK(m.has_v4 && m.v4[0] == 100 && m.v4[1] == 64 && m.v4[2] == 4 && m.v4[3] == 4);
    CHECK(!m.has_teid_data && !m.has_teid_ctl); /* v0 types 16/17 are 2-octet flow labels */
    CHECK_EQ_INT(m.ngsn, 2);
    CHECK(!m.stopped); /* every v0 TV length (QoS profile 3, flow labels 2) was right */
    CHECK_EQ_INT(prefix_failures(fx_v0_resp, sizeof fx_v0_resp, parse_any, &m), 0);
}

TEST(tv_table)
{
    /* TS 29.060 table 37 */
    static const struct { uint8_t t, len; } v1[] = {
        {1, 1}, {2, 8}, {3, 6}, {4, 4}, {5, 4}, {8, 1}, {9, 28}, {11, 1}, {12, 3}, {13, 1},
        {14, 1}, {15, 1}, {16, 4}, {17, 4}, {18, 5}, {19, 1}, {20, 1}, {21, 1}, {22, 9}, {23, 1},
        {24, 1}, {25, 2}, {26, 2}, {27, 2}, {28, 2}, {29, 1}, {127, 4}};
    for (size_t i = 0; i < sizeof v1 / sizeof v1[0]; i++)
        CHECK_EQ_INT(gtpv1c_tv_len(1, v1[i].t), v1[i].len);
    CHECK_EQ_INT(gtpv1c_tv_len(1, 6), 0);
    CHECK_EQ_INT(gtpv1c_tv_len(1, 30), 0);
    CHECK_EQ_INT(gtpv1c_tv_len(1, 128), 0);
    CHECK_EQ_INT(gtpv1c_tv_len(0, 6), 3);
    CHECK_EQ_INT(gtpv1c_tv_len(0, 16), 2);
    /* every TV type in a row, then an MSISDN TLV: reached only if every
     * length is right */
    uint8_t b[512] = {0x30, 16, 0, 0, 0, 0, 0, 1};
    size_t n = 8;
    for (size_t i = 0; i < sizeof v1 / sizeof v1[0]; i++) {
        b[n++] = v1[i].t;
        memset(b + n, 0x11, v1[i].len);
        n += v1[i].len;
    }
    const uint8_t msisdn[] = {134, 0, 4, 0x91, 0x21, 0x43, 0x65};
    memcpy(b + n, msisdn, sizeof msisdn);
    n += sizeof msisdn;
    b[2] = (uint8_t)((n - 8) >> 8);
    b[3] = (uint8_t)(n - 8);
    CHECK_EQ_INT(parse(b, n), PARSE_OK);
    CHECK(!m.stopped);
    CHECK_STR(m.msisdn, "123456");
}

TEST(every_prefix)
{
    CHECK_EQ_INT(prefix_failures(fx_v1_cpdp_req, sizeof fx_v1_cpdp_req, parse_any, &m), 0);
    CHECK_EQ_INT(prefix_failures(fx_v1_cpdp_resp, sizeof fx_v1_cpdp_resp, parse_any, &m), 0);
}

TEST(hostile)
{
    /* an unknown TV type ends the walk; what came before is kept */
    const uint8_t unk[] = {0x30, 16, 0, 13, 0, 0, 0, 0, 2, 0x21, 0x43, 0x65, 0x87, 0x09, 0x21,
                           0x43, 0xf5, 50, 0, 0, 0};
    CHECK_EQ_INT(parse(unk, sizeof unk), PARSE_OK);
    CHECK(m.stopped);
    CHECK_STR(m.imsi, "123456789012345");
    /* a TLV running past the message */
    const uint8_t tlv[] = {0x30, 16, 0, 5, 0, 0, 0, 0, 131, 0, 40, 3, 'a'};
    CHECK_EQ_INT(parse(tlv, sizeof tlv), PARSE_INVALID);
    /* a TV cut by the message length */
    const uint8_t tv[] = {0x30, 16, 0, 3, 0, 0, 0, 0, 2, 0x21, 0x43};
    CHECK_EQ_INT(parse(tv, sizeof tv), PARSE_INVALID);
    /* an extension header of length 0 would not advance */
    const uint8_t ext[] = {0x34, 16, 0, 6, 0, 0, 0, 0, 0, 1, 0, 0xc0, 0, 0};
    CHECK_EQ_INT(parse(ext, sizeof ext), PARSE_INVALID);
    /* optional fields claimed but the length is too small for them */
    const uint8_t opt[] = {0x32, 16, 0, 2, 0, 0, 0, 0, 0, 1};
    CHECK_EQ_INT(parse(opt, sizeof opt), PARSE_INVALID);
    /* PT = 0 (GTP'), version 2 */
    const uint8_t gtpp[] = {0x2e, 16, 0, 0, 0, 0, 0, 0};
    CHECK_EQ_INT(parse(gtpp, sizeof gtpp), PARSE_INVALID);
    CHECK(!gtpv1c_probe((struct span){gtpp, sizeof gtpp}));
    const uint8_t v2[] = {0x48, 16, 0, 0, 0, 0, 0, 0};
    CHECK_EQ_INT(parse(v2, sizeof v2), PARSE_INVALID);
    /* End User Address of an odd length: type kept, no address */
    const uint8_t eua[] = {0x30, 17, 0, 8, 0, 0, 0, 0, 128, 0, 5, 0xf1, 0x21, 10, 0, 0};
    CHECK_EQ_INT(parse(eua, sizeof eua), PARSE_OK);
    CHECK(m.has_eua && !m.has_v4 && !m.has_v6);
}

int main(void)
{
    RUN(create_pdp);
    RUN(gtpv0);
    RUN(tv_table);
    RUN(every_prefix);
    RUN(hostile);
    return harness_done();
}
