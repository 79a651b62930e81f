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

int main(void)
{
    RUN(gt_odd_even);
    return harness_done();
}
