/* fuzz_gtpv2c.c - classify/gtpv2c.c on one message. */
#include "classify/gtpv2c.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct gtpv2c_msg m;
    struct cursor c = cur_init(data, size);
    (void)gtpv2c_probe((struct span){data, size});
    gtpv2c_parse(&c, &m);
    return 0;
}
