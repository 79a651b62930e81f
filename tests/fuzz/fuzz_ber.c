/* fuzz_ber.c - the BER element reader: a bounded, non-recursive walk of
 * every element down to BER_MAX_DEPTH, INTEGER decoding of primitives, and
 * ber_descend along a path taken from the input's first bytes. */
#include "classify/ber.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cursor stack[BER_MAX_DEPTH];
    unsigned depth = 1;
    stack[0] = cur_init(data, size);
    /* each step consumes one element of the innermost level or pops it */
    for (unsigned steps = 0; depth > 0 && steps < 4096; steps++) {
        struct ber_tlv t;
        if (ber_next(&stack[depth - 1], &t) != PARSE_OK) {
            depth--;
            continue;
        }
        int64_t v;
        if (!t.constructed)
            (void)ber_int(t.val, &v);
        else if (depth < BER_MAX_DEPTH)
            stack[depth++] = t.val;
    }
    if (size > 1) {
        unsigned n = data[0] % (BER_MAX_DEPTH + 2); /* BER_MAX_DEPTH + 1 must be refused */
        if (n > size - 1)
            n = (unsigned)(size - 1);
        struct ber_tlv out;
        (void)ber_descend(cur_init(data + 1 + n, size - 1 - n), data + 1, n, &out);
        (void)ber_find(cur_init(data, size), data[0], &out);
    }
    return 0;
}
