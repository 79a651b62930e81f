/* test_sgsap.c - SGsAP Unitdata (classify/sgsap.c) on pcaps/sms_sgsap.pcap
 * messages (sms_fixtures.h). */
#include "classify/sgsap.h"

#include <stdlib.h>

#include "tests/harness.h"
#include "tests/unit/sctp_user.h"
#include "tests/unit/sms_fixtures.h"
#include "tests/unit/sms_legs.h"

static struct legs L;

TEST(unitdata)
{
    struct cursor u;
    uint32_t ppid;
    CHECK(sctp_user(fx_sgsap_mt, sizeof fx_sgsap_mt, &u, &ppid));
    CHECK_EQ_INT(ppid, SGSAP_PPID);
    CHECK(sgsap_probe(cur_rest(&u)));
    legs_reset(&L);
    CHECK_EQ_INT(sgsap_parse(&u, 9, legs_fn, &L), 1);
    CHECK_STR(L.v[0].ev.protocol, "sgsap");
    CHECK_STR(L.v[0].ev.operation, "deliver");
    CHECK_STR(L.v[0].ev.direction, "mt");
    CHECK_STR(L.v[0].ev.imsi, "001010000000002");
    CHECK_STR(L.v[0].ev.recipient, "001010000000002");
    CHECK_STR(L.v[0].ev.originator, "15551230001");
    CHECK_STR(L.v[0].ev.detail, "downlink-unitdata");
    CHECK(sctp_user(fx_sgsap_cpack, sizeof fx_sgsap_cpack, &u, &ppid));
    CHECK_EQ_INT(sgsap_parse(&u, 9, legs_fn, &L), 0);
}

TEST(other_messages_and_hostile)
{
    /* LOCATION-UPDATE-REQUEST with an IMSI: no SMS; a RESET-INDICATION */
    static const uint8_t lur[] = {0x09, 0x01, 0x08, 0x09, 0x10, 0x10, 0x00, 0x00, 0x00, 0x00, 0x10};
    static const uint8_t reset[] = {0x15, 0x09, 0x01, 0x41};
    static const uint8_t zero[] = {0x00, 0x01, 0x01, 0x09};
    static const uint8_t cut_ie[] = {0x08, 0x01, 0x08, 0x09};
    static const uint8_t no_nas[] = {0x08, 0x01, 0x08, 0x09, 0x10, 0x10, 0x00, 0x00, 0x00, 0x00, 0x10};
    legs_reset(&L);
    struct cursor c = cur_init(lur, sizeof lur);
    CHECK(sgsap_probe((struct span){lur, sizeof lur}));
    CHECK_EQ_INT(sgsap_parse(&c, 1, legs_fn, &L), 0);
    CHECK(sgsap_probe((struct span){reset, sizeof reset}));
    c = cur_init(zero, sizeof zero);
    CHECK(!sgsap_probe((struct span){zero, sizeof zero}));
    CHECK_EQ_INT(sgsap_parse(&c, 1, legs_fn, &L), PARSE_INVALID);
    c = cur_init(cut_ie, sizeof cut_ie);
    CHECK_EQ_INT(sgsap_parse(&c, 1, legs_fn, &L), PARSE_TRUNCATED);
    c = cur_init(no_nas, sizeof no_nas);
    CHECK_EQ_INT(sgsap_parse(&c, 1, legs_fn, &L), 0);
    CHECK_EQ_INT(L.n, 0);
}

TEST(every_prefix)
{
    struct cursor u;
    uint32_t ppid;
    CHECK(sctp_user(fx_sgsap_mo, sizeof fx_sgsap_mo, &u, &ppid));
    struct span w = cur_rest(&u);
    legs_reset(&L);
    for (size_t k = 0; k < w.n; k++) {
        uint8_t *b = malloc(k ? k : 1);
        memcpy(b, w.p, k);
        struct cursor c = cur_init(b, k);
        CHECK(sgsap_parse(&c, 1, legs_fn, &L) <= 0);
        free(b);
    }
    CHECK_EQ_INT(L.n, 0);
}

int main(void)
{
    RUN(unitdata);
    RUN(other_messages_and_hostile);
    RUN(every_prefix);
    return harness_done();
}
