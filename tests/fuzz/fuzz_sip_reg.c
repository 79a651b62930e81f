/* fuzz_sip_reg.c - classify/sip_reg.c on one message. */
#include "classify/sip_reg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sip_reg_msg m;
    struct cursor c = cur_init(data, size);
    sip_reg_parse(&c, &m);
    return 0;
}
