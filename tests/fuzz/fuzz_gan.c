/* fuzz_gan.c - UMA / GAN URR messages (classify/gan.c): the input is a
 * byte stream of length-prefixed URR messages, decoded one after the other
 * with one connection state (each copied into an exact-size buffer). */
#include <stdlib.h>
#include <string.h>

#include "classify/gan.h"
#include "tests/unit/sms_legs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct legs L;
    struct gan_state st;
    memset(&st, 0, sizeof st);
    legs_reset(&L);
    size_t off = 0;
    while (size - off >= 2) {
        size_t n = 2 + ((size_t)data[off] << 8 | data[off + 1]);
        if (n > size - off)
            n = size - off;
        uint8_t *b = malloc(n);
        if (!b)
            break;
        memcpy(b, data + off, n);
        struct cursor c = cur_init(b, n);
        gan_probe(cur_rest(&c));
        gan_parse(&st, &c, 1, legs_fn, &L);
        free(b);
        off += n;
    }
    return 0;
}
