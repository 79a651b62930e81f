/* test_dtap_sms.c - CP / RP layer SMS and the Mobile Identity
 * (classify/dtap_sms.c). */
#include "classify/dtap_sms.h"

#include <stdlib.h>

#include "tests/harness.h"
#include "tests/unit/sms_legs.h"

static struct legs L;

/* CP-DATA (TI 0) { RP-DATA MS->N mr 4, RP-DA 15550000001, SMS-SUBMIT to
 * 15551230002, 1 octet of user data } (the layout of pcaps/sms_sgsap.pcap
 * frame 1 with a shorter text). */
static const uint8_t fx_cp_mo[] = {
    0x09, 0x01, 0x1b, 0x00, 0x04, 0x00, 0x07, 0x91, 0x51, 0x55, 0x00, 0x00, 0x00, 0xf1,
    0x0f, 0x31, 0x04, 0x0b, 0x91, 0x51, 0x55, 0x21, 0x03, 0x00, 0xf2, 0x00, 0x04, 0xa7,
    0x01, 0x58};

TEST(cp_data_and_answers)
{
    struct dtap_sms_ctx x = {"sgsap", "001010000000001", 42, "uplink-unitdata"};
    struct cursor c = cur_init(fx_cp_mo, sizeof fx_cp_mo);
    legs_reset(&L);
    CHECK_EQ_INT(dtap_sms_parse(&c, &x, 5, legs_fn, &L), 1);
    CHECK_EQ_INT(L.v[0].kind, SMS_LEG_REQUEST);
    CHECK_STR(L.v[0].ev.operation, "submit");
    CHECK_STR(L.v[0].ev.direction, "mo");
    CHECK_STR(L.v[0].ev.originator, "001010000000001");
    CHECK_STR(L.v[0].ev.recipient, "15551230002");
    CHECK_STR(L.v[0].ev.smsc, "15550000001");
    CHECK_EQ_INT(L.v[0].key1, 42);
    CHECK(L.v[0].ev.content_present);
    /* RP-ACK N->MS answers it; RP-ERROR MS->N would answer N->MS data */
    static const uint8_t ack[] = {0x89, 0x01, 0x02, 0x03, 0x04};
    static const uint8_t err[] = {0x89, 0x01, 0x04, 0x04, 0x04, 0x01, 0x16};
    c = cur_init(ack, sizeof ack);
    CHECK_EQ_INT(dtap_sms_parse(&c, &x, 6, legs_fn, &L), 1);
    CHECK_EQ_INT(L.v[1].kind, SMS_LEG_RESPONSE);
    CHECK_EQ_INT(L.v[1].key2, L.v[0].key2);
    CHECK_STR(L.v[1].ev.status, "ok");
    c = cur_init(err, sizeof err);
    CHECK_EQ_INT(dtap_sms_parse(&c, &x, 7, legs_fn, &L), 1);
    CHECK_STR(L.v[2].ev.status, "error 22");
    CHECK(L.v[2].key2 != L.v[0].key2);
    /* CP-ACK, CP-ERROR, RP-SMMA: nothing */
    static const uint8_t cpack[] = {0x89, 0x04}, cperr[] = {0x89, 0x10, 0x51};
    static const uint8_t smma[] = {0x09, 0x01, 0x02, 0x06, 0x01};
    c = cur_init(cpack, sizeof cpack);
    CHECK_EQ_INT(dtap_sms_parse(&c, &x, 8, legs_fn, &L), 0);
    c = cur_init(cperr, sizeof cperr);
    CHECK_EQ_INT(dtap_sms_parse(&c, &x, 8, legs_fn, &L), 0);
    c = cur_init(smma, sizeof smma);
    CHECK_EQ_INT(dtap_sms_parse(&c, &x, 8, legs_fn, &L), 0);
    CHECK_EQ_INT(L.n, 3);
}

TEST(hostile)
{
    struct dtap_sms_ctx x = {"sgsap", "", 1, ""};
    static const uint8_t not_sms[] = {0x05, 0x01, 0x00};  /* PD 5 (MM) */
    static const uint8_t bad_type[] = {0x09, 0x7f};
    static const uint8_t long_ud[] = {0x09, 0x01, 0xff, 0x00, 0x01};
    struct cursor c = cur_init(not_sms, sizeof not_sms);
    legs_reset(&L);
    CHECK_EQ_INT(dtap_sms_parse(&c, &x, 1, legs_fn, &L), PARSE_INVALID);
    c = cur_init(bad_type, sizeof bad_type);
    CHECK_EQ_INT(dtap_sms_parse(&c, &x, 1, legs_fn, &L), PARSE_INVALID);
    c = cur_init(long_ud, sizeof long_ud);
    CHECK_EQ_INT(dtap_sms_parse(&c, &x, 1, legs_fn, &L), PARSE_TRUNCATED);
    for (size_t k = 0; k < sizeof fx_cp_mo; k++) {
        uint8_t *b = malloc(k ? k : 1);
        memcpy(b, fx_cp_mo, k);
        c = cur_init(b, k);
        CHECK(dtap_sms_parse(&c, &x, 1, legs_fn, &L) < 0);
        free(b);
    }
    CHECK_EQ_INT(L.n, 0);
}

TEST(mobile_identity)
{
    char out[SMS_ADDR_MAX];
    static const uint8_t imsi_odd[] = {0x09, 0x10, 0x10, 0x00, 0x00, 0x00, 0x00, 0x10};
    static const uint8_t imsi_even[] = {0x21, 0x43, 0xf5}; /* 2 3 4 5 + filler: "2345" */
    static const uint8_t tmsi[] = {0xf4, 0xde, 0xad, 0xbe, 0xef};
    static const uint8_t imei[] = {0x0a, 0x21};
    CHECK_EQ_INT(dtap_sms_mobile_identity((struct span){imsi_odd, sizeof imsi_odd}, out,
                                          sizeof out), 1);
    CHECK_STR(out, "001010000000001");
    CHECK_EQ_INT(dtap_sms_mobile_identity((struct span){imsi_even, sizeof imsi_even}, out,
                                          sizeof out), 1);
    CHECK_STR(out, "2345");
    CHECK_EQ_INT(dtap_sms_mobile_identity((struct span){tmsi, sizeof tmsi}, out, sizeof out), 4);
    CHECK_STR(out, "deadbeef");
    /* IMEI and IMEISV digits too (the S1AP row keeps the IMEISV) */
    CHECK_EQ_INT(dtap_sms_mobile_identity((struct span){imei, sizeof imei}, out, sizeof out), 2);
    CHECK_STR(out, "012");
    static const uint8_t imeisv[] = {0x33, 0x25, 0x90, 0x10, 0x17, 0x16, 0x48, 0x32, 0xf0};
    CHECK_EQ_INT(dtap_sms_mobile_identity((struct span){imeisv, sizeof imeisv}, out, sizeof out),
                 3);
    CHECK_STR(out, "3520901716184230");
    static const uint8_t lai[] = {0x05, 0x00};
    CHECK_EQ_INT(dtap_sms_mobile_identity((struct span){lai, sizeof lai}, out, sizeof out), 5);
    CHECK_STR(out, "");
    CHECK_EQ_INT(dtap_sms_mobile_identity((struct span){NULL, 0}, out, sizeof out), -1);
    char tiny[4];
    CHECK_EQ_INT(dtap_sms_mobile_identity((struct span){imsi_odd, sizeof imsi_odd}, tiny,
                                          sizeof tiny), 1);
    CHECK_STR(tiny, "001");
}

TEST(l3_identity)
{
    char out[SMS_ADDR_MAX];
    /* CM Service Request (SMS) with an IMSI; Paging Response with a TMSI;
     * LU Request with an IMSI; an MM message that is none of them */
    static const uint8_t cmsr[] = {0x05, 0x24, 0x04, 0x03, 0x57, 0x58, 0xa6, 0x08, 0x09, 0x10,
                                   0x10, 0x00, 0x00, 0x00, 0x00, 0x10};
    static const uint8_t pr[] = {0x06, 0x27, 0x00, 0x03, 0x57, 0x58, 0xa6, 0x05, 0xf4, 0xc0,
                                 0xff, 0xee, 0x01};
    static const uint8_t lu[] = {0x05, 0x08, 0x70, 0x00, 0xf1, 0x10, 0x00, 0x01, 0x57, 0x08,
                                 0x09, 0x10, 0x10, 0x00, 0x00, 0x00, 0x00, 0x10};
    static const uint8_t other[] = {0x05, 0x21, 0x00};
    CHECK_EQ_INT(dtap_sms_l3_identity(cur_init(cmsr, sizeof cmsr), out, sizeof out), 1);
    CHECK_STR(out, "001010000000001");
    CHECK_EQ_INT(dtap_sms_l3_identity(cur_init(pr, sizeof pr), out, sizeof out), 4);
    CHECK_STR(out, "c0ffee01");
    CHECK_EQ_INT(dtap_sms_l3_identity(cur_init(lu, sizeof lu), out, sizeof out), 1);
    CHECK_STR(out, "001010000000001");
    CHECK_EQ_INT(dtap_sms_l3_identity(cur_init(other, sizeof other), out, sizeof out), -1);
    for (size_t k = 0; k < sizeof cmsr; k++)
        CHECK_EQ_INT(dtap_sms_l3_identity(cur_init(cmsr, k), out, sizeof out), -1);
}

int main(void)
{
    RUN(cp_data_and_answers);
    RUN(hostile);
    RUN(mobile_identity);
    RUN(l3_identity);
    return harness_done();
}
