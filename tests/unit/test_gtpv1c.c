/* test_gtpv1c.c - GTPv1-C / GTPv0 decoding: capture fixtures, the TV length
 * table, every prefix, hostile lengths. */
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
    /* zeek__gtp_create_pdp_ctx.pcap frame 2 (tshark: IMSI 460004100000101,
     * MSISDN 8615221000101, APN eetest, TEIDs 0x32f02bf9) */
    CHECK(gtpv1c_probe((struct span){fx_v1_cpdp_req, sizeof fx_v1_cpdp_req}));
    CHECK_EQ_INT(parse(fx_v1_cpdp_req, sizeof fx_v1_cpdp_req), PARSE_OK);
    CHECK_EQ_INT(m.version, 1);
    CHECK_EQ_INT(m.type, GTPV1C_CREATE_PDP_REQ);
    CHECK_STR(m.imsi, "460004100000101");
    CHECK_STR(m.msisdn, "8615221000101");
    CHECK_STR(m.apn, "eetest");
    CHECK(m.has_teid_ctl && m.teid_ctl == 0x32f02bf9u);
    CHECK(m.has_teid_data && m.teid_data == 0x32f02bf9u);
    CHECK(!m.stopped);
    CHECK(m.has_eua && !m.has_v4); /* dynamic address requested */
    /* frame 3: cause 128, EUA 192.168.252.130, TEIDs 0x10000080 / 0x10000085 */
    CHECK_EQ_INT(parse(fx_v1_cpdp_resp, sizeof fx_v1_cpdp_resp), PARSE_OK);
    CHECK_EQ_INT(m.cause, GTPV1C_CAUSE_ACCEPTED);
    CHECK(m.has_v4 && m.v4[0] == 192 && m.v4[1] == 168 && m.v4[2] == 252 && m.v4[3] == 130);
    CHECK_EQ_INT(m.teid_ctl, 0x10000080u);
    CHECK_EQ_INT(m.teid_data, 0x10000085u);
    CHECK_EQ_INT(m.pdp_type, 0x21);
    CHECK_EQ_INT(m.ngsn, 2);
}

/* zeek__pdp_ctx_messages.pcapng frame 10, UDP payload: GTPv0 Create PDP
 * Context Response (TID 2400101234567890, EUA 192.168.0.3) */
static const uint8_t fx_v0_resp[] = {
    0x1e, 0x11, 0x00, 0x43, 0x10, 0x01, 0x00, 0x01, 0xff, 0xff, 0xff, 0xff, 0x42, 0x00,
    0x01, 0x21, 0x43, 0x65, 0x87, 0x09, 0x01, 0x80, 0x06, 0x0b, 0x92, 0x1f, 0x08, 0x00,
    0x0e, 0x01, 0x10, 0x00, 0x01, 0x11, 0x00, 0x01, 0x7f, 0x00, 0x00, 0x00, 0x01, 0x80,
    0x00, 0x06, 0xf1, 0x21, 0xc0, 0xa8, 0x00, 0x03, 0x84, 0x00, 0x14, 0x80, 0x80, 0x21,
    0x10, 0x02, 0x00, 0x00, 0x10, 0x81, 0x06, 0x00, 0x00, 0x00, 0x00, 0x83, 0x06, 0x00,
    0x00, 0x00, 0x00, 0x85, 0x00, 0x04, 0x7f, 0x00, 0x00, 0x01, 0x85, 0x00, 0x04, 0x7f,
    0x00, 0x00, 0x01};

TEST(gtpv0)
{
    CHECK_EQ_INT(parse(fx_v0_resp, sizeof fx_v0_resp), PARSE_OK);
    CHECK_EQ_INT(m.version, 0);
    CHECK_EQ_INT(m.cause, 128);
    CHECK_STR(m.imsi, "240010123456789");
    CHECK(m.has_v4 && m.v4[3] == 3);
    CHECK(!m.has_teid_data); /* v0 type 16 is a 2-octet flow label */
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
