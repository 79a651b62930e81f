/* fuzz_smpp.c - SMPP PDU decoder, whole and as a TCP stream cut into
 * segments whose sizes come from the first input byte. */
#include <stdlib.h>

#include "classify/smpp.h"
#include "tests/unit/sms_legs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct legs L;
    struct smpp_stats st = {0};
    legs_reset(&L);
    struct cursor c = cur_init(data, size);
    smpp_parse_pdu(&c, true, 1, legs_fn, &L, &st);
    smpp_probe((struct span){data, size});
    if (size < 1)
        return 0;
    size_t chunk = (size_t)data[0] % 64 + 1;
    struct tcp_reasm *r = tcp_reasm_new();
    if (!r)
        return 0;
    bool resync = false;
    for (size_t off = 1; off < size; off += chunk) {
        size_t k = size - off < chunk ? size - off : chunk;
        /* every 5th segment "lost" when the chunk size is odd: exercises gaps */
        uint32_t seq = (uint32_t)off + ((chunk & 1) && (off / chunk) % 5 == 4 ? 7u : 0u);
        tcp_reasm_push(r, seq, false, data + off, k, k);
        smpp_stream(r, &resync, (off / chunk) & 1, 1, legs_fn, &L, &st);
    }
    tcp_reasm_free(r);
    return 0;
}
