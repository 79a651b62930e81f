/* fuzz_diameter.c - Diameter SGd decoding, whole and as a TCP stream. */
#include <stdlib.h>

#include "classify/diameter.h"
#include "tests/unit/sms_legs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct legs L;
    struct diameter_stats st = {0};
    bool sms = false;
    legs_reset(&L);
    struct cursor c = cur_init(data, size);
    diameter_parse(&c, 1, legs_fn, &L, &sms, &st);
    struct tcp_reasm *r = tcp_reasm_new();
    if (!r)
        return 0;
    bool resync = false;
    size_t chunk = size ? (size_t)data[0] % 61 + 1 : 1;
    for (size_t off = 0; off < size; off += chunk) {
        size_t k = size - off < chunk ? size - off : chunk;
        tcp_reasm_push(r, (uint32_t)off, false, data + off, k, k);
        diameter_stream(r, &resync, 1, legs_fn, &L, &sms, &st);
    }
    tcp_reasm_free(r);
    return 0;
}
