/* fuzz_sms_tpdu.c - TPDU (both directions) and RP decoding. */
#include "classify/sms_tpdu.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct tpdu_info tp;
    struct rp_info rp;
    struct cursor c = cur_init(data, size);
    sms_tpdu_parse(&c, true, &tp);
    c = cur_init(data, size);
    sms_tpdu_parse(&c, false, &tp);
    c = cur_init(data, size);
    sms_tpdu_rp_parse(&c, &rp);
    return 0;
}
