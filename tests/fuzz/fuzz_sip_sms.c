/* fuzz_sip_sms.c - SIP MESSAGE decoder as a datagram and as a stream. */
#include <stdlib.h>

#include "classify/sip_sms.h"
#include "tests/unit/sms_legs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct legs L;
    struct sip_stats st = {0};
    size_t used;
    legs_reset(&L);
    struct cursor c = cur_init(data, size);
    sip_sms_parse(&c, false, 1, legs_fn, &L, &used, &st);
    struct tcp_reasm *r = tcp_reasm_new();
    if (!r)
        return 0;
    bool resync = false;
    size_t chunk = size ? (size_t)data[0] % 97 + 1 : 1;
    for (size_t off = 0; off < size; off += chunk) {
        size_t k = size - off < chunk ? size - off : chunk;
        tcp_reasm_push(r, (uint32_t)off, false, data + off, k, k);
        sip_sms_stream(r, &resync, 1, legs_fn, &L, &st);
    }
    tcp_reasm_free(r);
    return 0;
}
