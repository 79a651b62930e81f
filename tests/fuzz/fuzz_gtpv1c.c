/* fuzz_gtpv1c.c - classify/gtpv1c.c on one message. */
#include "classify/gtpv1c.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct gtpv1c_msg m;
    struct cursor c = cur_init(data, size);
    (void)gtpv1c_probe((struct span){data, size});
    gtpv1c_parse(&c, &m);
    return 0;
}
