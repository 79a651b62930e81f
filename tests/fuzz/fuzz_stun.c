/* fuzz_stun.c - STUN/TURN metadata parser on arbitrary bytes. */
#include <stdlib.h>
#include <string.h>

#include "classify/stun.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *c = malloc(size ? size : 1);
    if (!c)
        return 0;
    memcpy(c, data, size);
    struct stun_msg m;
    stun_parse(c, size, &m);
    free(c);
    return 0;
}
