/* test_mtp3.c - MTP3 SIO and routing label, ITU and ANSI (classify/mtp3.c). */
#include "classify/mtp3.h"

#include <stdlib.h>

#include "tests/harness.h"

/* ITU: SIO 0x83 (national, SCCP); label DPC 200 | OPC 100 << 14 | SLS 5
 * << 28, least significant octet first (as in pcaps/sms_m2pa.pcap, where
 * tshark reads DPC 200, OPC 100, SLS 5); then 2 SIF octets. */
static const uint8_t fx_itu[] = {0x83, 0xc8, 0x00, 0x19, 0x50, 0x09, 0x80};
/* ANSI: SIO 0x83; DPC 1-2-3 (member 3, cluster 2, network 1), OPC 4-5-6,
 * SLS 0x1f; one SIF octet. */
static const uint8_t fx_ansi[] = {0x83, 0x03, 0x02, 0x01, 0x06, 0x05, 0x04, 0x1f, 0x09};

TEST(itu)
{
    struct cursor c = cur_init(fx_itu, sizeof fx_itu);
    struct mtp3_msg m;
    CHECK_EQ_INT(mtp3_parse(&c, MTP3_ITU, &m), PARSE_OK);
    CHECK_EQ_INT(m.si, MTP3_SI_SCCP);
    CHECK_EQ_INT(m.ni, 2);
    CHECK_EQ_INT(m.dpc, 200);
    CHECK_EQ_INT(m.opc, 100);
    CHECK_EQ_INT(m.sls, 5);
    CHECK_EQ_INT(cur_left(&m.payload), 2);
}

TEST(ansi)
{
    struct cursor c = cur_init(fx_ansi, sizeof fx_ansi);
    struct mtp3_msg m;
    CHECK_EQ_INT(mtp3_parse(&c, MTP3_ANSI, &m), PARSE_OK);
    CHECK_EQ_INT(m.dpc, 0x010203);
    CHECK_EQ_INT(m.opc, 0x040506);
    CHECK_EQ_INT(m.sls, 0x1f);
    CHECK_EQ_INT(cur_left(&m.payload), 1);
}

TEST(every_prefix)
{
    for (int v = MTP3_ITU; v <= MTP3_ANSI; v++) {
        const uint8_t *p = v ? fx_ansi : fx_itu;
        size_t hdr = v ? 8 : 5;
        for (size_t k = 0; k < hdr; k++) {
            uint8_t *b = malloc(k ? k : 1);
            memcpy(b, p, k);
            struct cursor c = cur_init(b, k);
            struct mtp3_msg m;
            CHECK_EQ_INT(mtp3_parse(&c, (enum mtp3_variant)v, &m), PARSE_TRUNCATED);
            free(b);
        }
    }
}

int main(void)
{
    RUN(itu);
    RUN(ansi);
    RUN(every_prefix);
    return harness_done();
}
