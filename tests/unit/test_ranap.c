/* test_ranap.c - RANAP NAS-PDU extraction (classify/ranap.c). */
#include "classify/ranap.h"

#include <stdlib.h>

#include "tests/harness.h"

/* DirectTransfer { NAS-PDU (CP-ACK 89 04), SAPI 0 } as pcaps/gen/ss7_enc.c
 * writes it (tshark decodes it as RANAP DirectTransfer, DTAP CP-ACK). */
static const uint8_t fx_dt[] = {0x00, 0x14, 0x40, 0x0f, 0x00, 0x00, 0x02, 0x00, 0x10, 0x00,
                                0x03, 0x02, 0x89, 0x04, 0x00, 0x3b, 0x40, 0x01, 0x00};

TEST(direct_transfer)
{
    struct cursor c = cur_init(fx_dt, sizeof fx_dt), nas;
    bool initial;
    CHECK_EQ_INT(ranap_nas_pdu(&c, &nas, &initial), PARSE_OK);
    CHECK(!initial);
    CHECK_EQ_INT(cur_left(&nas), 2);
    CHECK_EQ_INT(cur_peek(&nas, 0), 0x89);
}

TEST(other_and_hostile)
{
    uint8_t b[sizeof fx_dt];
    struct cursor c, nas;
    bool initial;
    memcpy(b, fx_dt, sizeof b);
    b[1] = 9; /* another procedure */
    c = cur_init(b, sizeof b);
    CHECK_EQ_INT(ranap_nas_pdu(&c, &nas, &initial), PARSE_NEED_MORE);
    memcpy(b, fx_dt, sizeof b);
    b[0] = 0x20; /* successfulOutcome */
    c = cur_init(b, sizeof b);
    CHECK_EQ_INT(ranap_nas_pdu(&c, &nas, &initial), PARSE_NEED_MORE);
    memcpy(b, fx_dt, sizeof b);
    b[3] = 0xc1; /* fragmented length determinant */
    c = cur_init(b, sizeof b);
    CHECK_EQ_INT(ranap_nas_pdu(&c, &nas, &initial), PARSE_INVALID);
    memcpy(b, fx_dt, sizeof b);
    b[6] = 0xff; /* 255 IEs claimed, 2 present */
    c = cur_init(b, sizeof b);
    CHECK_EQ_INT(ranap_nas_pdu(&c, &nas, &initial), PARSE_OK); /* NAS-PDU comes first */
    memcpy(b, fx_dt, sizeof b);
    b[8] = 0x11; /* no NAS-PDU: id 17 */
    b[6] = 0xff;
    c = cur_init(b, sizeof b);
    CHECK_EQ_INT(ranap_nas_pdu(&c, &nas, &initial), PARSE_TRUNCATED);
    for (size_t k = 0; k < sizeof fx_dt - 5; k++) { /* up to the end of the NAS-PDU IE */
        uint8_t *p = malloc(k ? k : 1);
        memcpy(p, fx_dt, k);
        c = cur_init(p, k);
        CHECK_EQ_INT(ranap_nas_pdu(&c, &nas, &initial), PARSE_TRUNCATED);
        free(p);
    }
}

int main(void)
{
    RUN(direct_transfer);
    RUN(other_and_hostile);
    return harness_done();
}
