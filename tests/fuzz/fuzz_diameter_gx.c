/* fuzz_diameter_gx.c - classify/diameter_gx.c on one message. */
#include "classify/diameter_gx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct gx_msg m;
    struct cursor c = cur_init(data, size);
    (void)diameter_gx_probe((struct span){data, size});
    diameter_gx_parse(&c, &m);
    return 0;
}
