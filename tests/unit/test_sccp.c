/* test_sccp.c - SCCP UDT/XUDT/LUDT decoding, global titles, segmentation
 * reassembly (classify/sccp.c, classify/sccp_reasm.c). */
#include "classify/sccp.h"

#include <stdlib.h>

#include "tests/harness.h"

/* Hand-built UDT (ITU-T Q.713 section 4.10): called party GTI 4, SSN 8,
 * 13 digits "8618903100031" (encoding scheme 1 = BCD odd: the last octet
 * 0x01 holds the digit 1 and a 0 filler); calling party PC 0x0123 + SSN 6
 * + GTI 4 even "15550000002"; data 2 octets.  The issue-19 capture showed
 * cdpa=86189031000310 where tshark reads 8618903100031. */
static const uint8_t fx_udt_odd[] = {
    0x09, 0x80, 0x03, 0x0f, 0x1c,
    /* called: len 12 */
    0x0c, 0x12, 0x08, 0x00, 0x11, 0x04, 0x68, 0x81, 0x09, 0x13, 0x00, 0x30, 0x01,
    /* calling: len 13 */
    0x0d, 0x13, 0x23, 0x01, 0x06, 0x00, 0x11, 0x04, 0x51, 0x55, 0x00, 0x00, 0x00, 0xf2,
    /* data */
    0x02, 0xaa, 0xbb};

TEST(gt_odd_even)
{
    struct cursor c = cur_init(fx_udt_odd, sizeof fx_udt_odd);
    struct sccp_msg m;
    CHECK_EQ_INT(sccp_parse(&c, &m), PARSE_OK);
    CHECK_STR(m.called.gt, "8618903100031");
    CHECK_EQ_INT(m.called.ssn, 8);
    CHECK_STR(m.calling.gt, "15550000002");
    CHECK_EQ_INT(m.calling.ssn, 6);
    CHECK_EQ_INT(cur_left(&m.data), 2);
}

/* Party addresses of every GT indicator (Q.713 section 3.4.2.3). */
TEST(gti_1_to_4)
{
    struct sccp_party p;
    /* GTI 1, PC 0x0123, SSN 6: odd bit + NAI 4, "12345" */
    static const uint8_t g1[] = {0x07, 0x23, 0x01, 0x06, 0x84, 0x21, 0x43, 0x05};
    sccp_party_parse(cur_init(g1, sizeof g1), &p);
    CHECK_EQ_INT(p.gti, 1);
    CHECK_EQ_INT(p.pc, 0x123);
    CHECK_EQ_INT(p.ssn, 6);
    CHECK_EQ_INT(p.nai, 4);
    CHECK_STR(p.gt, "12345");
    /* GTI 2: TT 0, digits up to a 0xF filler */
    static const uint8_t g2[] = {0x08, 0x00, 0x21, 0xf3};
    sccp_party_parse(cur_init(g2, sizeof g2), &p);
    CHECK_EQ_INT(p.gti, 2);
    CHECK_EQ_INT(p.tt, 0);
    CHECK_STR(p.gt, "123");
    /* GTI 3: TT 0, NP 1 + ES 2 (even), "1234" */
    static const uint8_t g3[] = {0x0c, 0x00, 0x12, 0x21, 0x43};
    sccp_party_parse(cur_init(g3, sizeof g3), &p);
    CHECK_EQ_INT(p.gti, 3);
    CHECK_EQ_INT(p.np, 1);
    CHECK_STR(p.gt, "1234");
    /* GTI 4 odd with a 0 filler (the issue-19 bug) */
    static const uint8_t g4[] = {0x10, 0x00, 0x11, 0x04, 0x21, 0x03};
    sccp_party_parse(cur_init(g4, sizeof g4), &p);
    CHECK_STR(p.gt, "123");
    /* spare GTI 5 and a GT header cut short */
    static const uint8_t g5[] = {0x14, 0x00, 0x11};
    sccp_party_parse(cur_init(g5, sizeof g5), &p);
    CHECK_EQ_INT(p.gti, 0);
    CHECK_STR(p.gt, "");
    static const uint8_t g4cut[] = {0x10, 0x00, 0x11};
    sccp_party_parse(cur_init(g4cut, sizeof g4cut), &p);
    CHECK_EQ_INT(p.gti, 0);
    CHECK_EQ_INT(p.tt, -1);
    /* PC announced, octets missing */
    static const uint8_t pccut[] = {0x01, 0x23};
    sccp_party_parse(cur_init(pccut, sizeof pccut), &p);
    CHECK_EQ_INT(p.pc, -1);
}

/* XUDT with a Segmentation parameter and LUDT with 2-octet pointers. */
static const uint8_t fx_xudt_seg[] = {
    0x11, 0x80, 0x0f, 0x04, 0x06, 0x08, 0x0a,
    0x02, 0x42, 0x08, /* called: SSN 8 */
    0x02, 0x42, 0x06, /* calling: SSN 6 */
    0x02, 0xaa, 0xbb, /* data */
    0x10, 0x04, 0xc1, 0xcd, 0xab, 0x00, 0x00};
static const uint8_t fx_ludt[] = {
    0x13, 0x80, 0x0f, 0x08, 0x00, 0x09, 0x00, 0x0a, 0x00, 0x00, 0x00,
    0x02, 0x42, 0x08, 0x02, 0x42, 0x06, 0x03, 0x00, 0x62, 0x01, 0x00};

TEST(xudt_ludt)
{
    struct sccp_msg m;
    struct cursor c = cur_init(fx_xudt_seg, sizeof fx_xudt_seg);
    CHECK_EQ_INT(sccp_parse(&c, &m), PARSE_OK);
    CHECK_EQ_INT(m.type, SCCP_XUDT);
    CHECK(m.seg.present);
    CHECK(m.seg.first);
    CHECK_EQ_INT(m.seg.remaining, 1);
    CHECK_EQ_INT(m.seg.local_ref, 0x00abcd);
    CHECK_EQ_INT(m.called.ssn, 8);
    CHECK_EQ_INT(m.calling.ssn, 6);
    CHECK_EQ_INT(cur_left(&m.data), 2);
    CHECK_EQ_INT(m.opc, -1);
    c = cur_init(fx_ludt, sizeof fx_ludt);
    CHECK_EQ_INT(sccp_parse(&c, &m), PARSE_OK);
    CHECK_EQ_INT(m.type, SCCP_LUDT);
    CHECK(!m.seg.present);
    CHECK_EQ_INT(cur_left(&m.data), 3);
    CHECK_EQ_INT(cur_peek(&m.data, 0), 0x62);
}

TEST(hostile)
{
    struct sccp_msg m;
    /* pointer 0, pointer past the end, data length past the end */
    static const uint8_t p0[] = {0x09, 0x80, 0x00, 0x01, 0x01};
    static const uint8_t pfar[] = {0x09, 0x80, 0xff, 0x01, 0x01};
    static const uint8_t dlong[] = {0x09, 0x80, 0x03, 0x03, 0x03, 0x7f, 0x00};
    /* segmentation value of 3 octets; optional list without its end */
    static const uint8_t segshort[] = {0x11, 0x80, 0x0f, 0x04, 0x06, 0x08, 0x0a,
                                       0x02, 0x42, 0x08, 0x02, 0x42, 0x06, 0x02, 0xaa, 0xbb,
                                       0x10, 0x03, 0xc1, 0xcd, 0xab};
    static const uint8_t connection[] = {0x06, 0x00, 0x00, 0x01};
    struct cursor c = cur_init(p0, sizeof p0);
    CHECK_EQ_INT(sccp_parse(&c, &m), PARSE_INVALID);
    c = cur_init(pfar, sizeof pfar);
    CHECK_EQ_INT(sccp_parse(&c, &m), PARSE_TRUNCATED);
    c = cur_init(dlong, sizeof dlong);
    CHECK_EQ_INT(sccp_parse(&c, &m), PARSE_TRUNCATED);
    c = cur_init(segshort, sizeof segshort);
    CHECK_EQ_INT(sccp_parse(&c, &m), PARSE_INVALID);
    c = cur_init(connection, sizeof connection);
    CHECK_EQ_INT(sccp_parse(&c, &m), PARSE_NEED_MORE); /* DT1: not connectionless */
}

TEST(every_prefix)
{
    const struct { const uint8_t *p; size_t n; } fx[] = {
        {fx_udt_odd, sizeof fx_udt_odd}, {fx_xudt_seg, sizeof fx_xudt_seg},
        {fx_ludt, sizeof fx_ludt}};
    for (size_t i = 0; i < 3; i++)
        for (size_t k = 0; k < fx[i].n; k++) {
            uint8_t *b = malloc(k ? k : 1);
            memcpy(b, fx[i].p, k);
            struct cursor c = cur_init(b, k);
            struct sccp_msg m;
            CHECK_EQ_INT(sccp_parse(&c, &m), PARSE_TRUNCATED);
            free(b);
        }
}

/* Connection-oriented messages as pcaps/gen/ss7_enc.c writes them. */
static const uint8_t fx_cr[] = {0x01, 0x01, 0x01, 0x00, 0x02, 0x02, 0x04, 0x02, 0x42, 0xfe,
                                0x0f, 0x02, 0x89, 0x04, 0x00};
static const uint8_t fx_cc[] = {0x02, 0x01, 0x01, 0x00, 0x01, 0x0a, 0x00, 0x02, 0x00};
static const uint8_t fx_dt1[] = {0x06, 0x01, 0x0a, 0x00, 0x00, 0x01, 0x02, 0x89, 0x04};
static const uint8_t fx_rlsd[] = {0x04, 0x01, 0x0a, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00};

TEST(connection_oriented)
{
    struct sccp_co co;
    struct cursor c = cur_init(fx_cr, sizeof fx_cr);
    CHECK_EQ_INT(sccp_co_parse(&c, &co), PARSE_OK);
    CHECK_EQ_INT(co.type, SCCP_CR);
    CHECK_EQ_INT(co.src_ref, 0x000101);
    CHECK_EQ_INT(co.called.ssn, 254);
    CHECK(co.has_data);
    CHECK_EQ_INT(cur_left(&co.data), 2);
    c = cur_init(fx_cc, sizeof fx_cc);
    CHECK_EQ_INT(sccp_co_parse(&c, &co), PARSE_OK);
    CHECK_EQ_INT(co.dst_ref, 0x000101);
    CHECK_EQ_INT(co.src_ref, 0x000a01);
    CHECK(!co.has_data);
    c = cur_init(fx_dt1, sizeof fx_dt1);
    CHECK_EQ_INT(sccp_co_parse(&c, &co), PARSE_OK);
    CHECK_EQ_INT(co.dst_ref, 0x000a01);
    CHECK_EQ_INT(cur_left(&co.data), 2);
    c = cur_init(fx_rlsd, sizeof fx_rlsd);
    CHECK_EQ_INT(sccp_co_parse(&c, &co), PARSE_OK);
    CHECK_EQ_INT(co.type, SCCP_RLSD);
    c = cur_init(fx_udt_odd, sizeof fx_udt_odd);
    CHECK_EQ_INT(sccp_co_parse(&c, &co), PARSE_NEED_MORE);
    const struct { const uint8_t *p; size_t n; } fx[] = {
        {fx_cr, sizeof fx_cr}, {fx_cc, sizeof fx_cc}, {fx_dt1, sizeof fx_dt1},
        {fx_rlsd, sizeof fx_rlsd}};
    for (size_t i = 0; i < 4; i++)
        for (size_t k = 0; k < fx[i].n; k++) {
            uint8_t *b = malloc(k ? k : 1);
            memcpy(b, fx[i].p, k);
            c = cur_init(b, k);
            CHECK_EQ_INT(sccp_co_parse(&c, &co), PARSE_TRUNCATED);
            free(b);
        }
}

int main(void)
{
    RUN(gt_odd_even);
    RUN(gti_1_to_4);
    RUN(xudt_ludt);
    RUN(hostile);
    RUN(every_prefix);
    RUN(connection_oriented);
    return harness_done();
}
