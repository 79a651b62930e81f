/* test_sms_tpdu.c - TPDU / RP decoding and the shared address helpers. */
#include "classify/sms_tpdu.h"

#include <stdlib.h>

#include "classify/sms_addr.h"
#include "tests/harness.h"
#include "tests/unit/sms_fixtures.h"

/* TS 23.040 section 9.2.2.2 SMS-SUBMIT hand-built: MR 5, TP-DA +15551230002,
 * DCS 0, VP relative, UDL 3, 3 octets of packed text (never read). */
static const uint8_t submit[] = {0x31, 0x05, 0x0b, 0x91, 0x51, 0x55, 0x21, 0x03, 0x00, 0xf2,
                                 0x00, 0x00, 0xa7, 0x03, 0xc1, 0xe2, 0x31};

/* SMS-DELIVER from alphanumeric "TrapBank" (TOA 0xD0, 14 semi-octets), as
 * written by pcaps/gen/sms_enc.c; UDHI with a concatenation IE ref 0x33 1/2. */
static const uint8_t deliver_alnum[] = {
    0x44, 0x0e, 0xd0, 0x54, 0x79, 0x18, 0x2e, 0x0c, 0xbb, 0xd7, 0x00, 0x08,
    0x42, 0x30, 0x10, 0x01, 0x00, 0x00, 0x00, 0x08, 0x05, 0x00, 0x03, 0x33, 0x02, 0x01, 0x00, 0x41};

TEST(submit_and_deliver)
{
    struct tpdu_info tp;
    struct cursor c = cur_init(submit, sizeof submit);
    CHECK_EQ_INT(sms_tpdu_parse(&c, true, &tp), PARSE_OK);
    CHECK_EQ_INT(tp.type, TPDU_SUBMIT);
    CHECK_EQ_INT(tp.mr, 5);
    CHECK_STR(tp.addr, "15551230002");
    CHECK_EQ_INT(tp.ton, 1);
    CHECK_EQ_INT(tp.npi, 1);
    CHECK(tp.content_present);
    c = cur_init(deliver_alnum, sizeof deliver_alnum);
    CHECK_EQ_INT(sms_tpdu_parse(&c, false, &tp), PARSE_OK);
    CHECK_EQ_INT(tp.type, TPDU_DELIVER);
    CHECK_STR(tp.addr, "TrapBank");
    CHECK_EQ_INT(tp.ton, 5);
    CHECK_EQ_INT(tp.concat_ref, 0x33);
    CHECK_EQ_INT(tp.concat_total, 2);
    CHECK_EQ_INT(tp.concat_part, 1);
    /* TP-SCTS kept whole (issue 19: it identifies the message across legs) */
    CHECK_EQ_INT(tp.scts, 0x42301001000000LL);
    CHECK_EQ_INT(tp.shape, 0x000808); /* PID 0, DCS 0x08 (UCS-2), UDL 8 */
    c = cur_init(submit, sizeof submit);
    CHECK_EQ_INT(sms_tpdu_parse(&c, true, &tp), PARSE_OK);
    CHECK_EQ_INT(tp.scts, -1);
    CHECK(tp.shape >= 0);
}

TEST(every_prefix)
{
    for (size_t k = 0; k < sizeof submit; k++) {
        uint8_t *b = malloc(k ? k : 1);
        memcpy(b, submit, k);
        struct tpdu_info tp;
        struct cursor c = cur_init(b, k);
        enum parse_rc rc = sms_tpdu_parse(&c, true, &tp);
        CHECK(rc == PARSE_TRUNCATED || rc == PARSE_OK); /* OK once past TP-UDL */
        free(b);
    }
}

TEST(address_overflow)
{
    /* 21 semi-octets: over the 20 of TS 23.040 section 9.1.2.5 */
    uint8_t a[] = {0x01, 0x00, 21, 0x91, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0, 0, 0, 0};
    struct tpdu_info tp;
    struct cursor c = cur_init(a, sizeof a);
    CHECK_EQ_INT(sms_tpdu_parse(&c, true, &tp), PARSE_INVALID);
    /* 20 semi-octets of alphanumeric: 11 characters, all bounded */
    uint8_t b[] = {0x01, 0x00, 20, 0xd0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                   0xff, 0xff, 0x00, 0x00, 0xa7, 0x00};
    c = cur_init(b, sizeof b);
    CHECK_EQ_INT(sms_tpdu_parse(&c, true, &tp), PARSE_OK);
    CHECK_EQ_INT(strlen(tp.addr), 11);
    char out[4];
    CHECK(!sms_addr_tbcd((struct span){(const uint8_t *)"\x21\x43\x65", 3}, 20, out, sizeof out));
    CHECK_STR(out, "123");
    CHECK(!sms_addr_gsm7((struct span){(const uint8_t *)"\xff\xff", 2}, 11, out, sizeof out));
    CHECK(strlen(out) < sizeof out);
}

TEST(rp_from_sip_fixture)
{
    /* body of pcaps/sms_sip.pcap frame 1: after the blank line */
    const uint8_t *p = fx_sip_mo;
    size_t n = sizeof fx_sip_mo, i = 0;
    while (i + 4 <= n && memcmp(p + i, "\r\n\r\n", 4) != 0)
        i++;
    struct cursor c = cur_init(p + i + 4, n - i - 4);
    struct rp_info rp;
    CHECK_EQ_INT(sms_tpdu_rp_parse(&c, &rp), PARSE_OK);
    CHECK_EQ_INT(rp.mti, RP_DATA_MS_N);
    CHECK_STR(rp.da, "15550000001");
    CHECK(rp.has_tpdu);
    CHECK_STR(rp.tp.addr, "15551230002");
    /* every prefix of the RP message */
    for (size_t k = 0; k < n - i - 4; k++) {
        uint8_t *b = malloc(k ? k : 1);
        memcpy(b, p + i + 4, k);
        c = cur_init(b, k);
        enum parse_rc rc = sms_tpdu_rp_parse(&c, &rp);
        CHECK(rc == PARSE_TRUNCATED || rc == PARSE_OK || rc == PARSE_INVALID);
        free(b);
    }
    /* an RP address longer than 11 octets */
    uint8_t bad[] = {0x00, 0x01, 0x00, 0x0c, 0x91, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    c = cur_init(bad, sizeof bad);
    CHECK_EQ_INT(sms_tpdu_rp_parse(&c, &rp), PARSE_INVALID);
}

TEST(tlv16)
{
    struct sms_tlv t;
    /* M3UA style: length includes the header and must be >= 4 */
    uint8_t m[] = {0x02, 0x10, 0x00, 0x02};
    struct cursor c = cur_init(m, sizeof m);
    CHECK_EQ_INT(sms_addr_tlv16(&c, true, true, &t), PARSE_INVALID);
    uint8_t s[] = {0x04, 0x24, 0xff, 0xff, 1, 2};
    c = cur_init(s, sizeof s);
    CHECK_EQ_INT(sms_addr_tlv16(&c, false, false, &t), PARSE_TRUNCATED);
    c = cur_init(NULL, 0);
    CHECK_EQ_INT(sms_addr_tlv16(&c, false, false, &t), PARSE_NEED_MORE);
}

int main(void)
{
    RUN(submit_and_deliver);
    RUN(every_prefix);
    RUN(address_overflow);
    RUN(rp_from_sip_fixture);
    RUN(tlv16);
    return harness_done();
}
