/* fuzz_radius.c - classify/radius.c on one message. */
#include "classify/radius.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct radius_msg m;
    struct cursor c = cur_init(data, size);
    (void)radius_probe((struct span){data, size});
    radius_parse(&c, &m);
    return 0;
}
