/* fuzz_sigtran.c - the SIGTRAN / SGsAP stack walk (classify/sigtran.c) over
 * a sequence of SCTP DATA user messages sharing one handle, so SCCP
 * reassembly state carries from one message to the next.
 *
 * Input: one byte choosing the payload protocol and port (index into
 * the table below), then records of | len_hi | len_lo | message bytes |;
 * every message is copied into an exact-size heap buffer. */
#include <stdlib.h>
#include <string.h>

#include "classify/sigtran.h"
#include "tests/unit/sms_legs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct { uint32_t ppid; uint16_t port; } kinds[] = {
        {3, 2905}, {5, 3565}, {2, 2904}, {4, 14001}, {0, 29118}, {0, 3565}};
    static struct legs L;
    if (size < 1)
        return 0;
    struct sigtran *s = sigtran_new();
    if (!s)
        return 0;
    unsigned k = data[0] % (sizeof kinds / sizeof kinds[0]);
    size_t off = 1;
    uint64_t ts = 1;
    while (size - off >= 2) {
        size_t n = (size_t)data[off] << 8 | data[off + 1];
        off += 2;
        if (n > size - off)
            n = size - off;
        uint8_t *b = malloc(n ? n : 1);
        if (!b)
            break;
        memcpy(b, data + off, n);
        off += n;
        struct cursor c = cur_init(b, n);
        legs_reset(&L);
        sigtran_data(s, kinds[k].ppid, kinds[k].port, kinds[k].port, &c, (int)(ts & 1), ts,
                     legs_fn, &L);
        c = cur_init(b, n);
        sigtran_mtp3(s, &c, 0, ts, legs_fn, &L);
        ts += 7000000; /* 7 s: the third message finds the first one timed out */
        free(b);
    }
    sigtran_free(s);
    return 0;
}
