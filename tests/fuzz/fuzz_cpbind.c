/* fuzz_cpbind.c - a sequence of control-plane messages through the pairing
 * table into a small bindings table (so eviction, timeouts, conflicts and
 * lookups all run).
 *
 * Input: records of | proto (1, mod 5 + 1) | flags (1: bit 0 = reply
 * direction) | length (1) | payload ... |, each 1 ms after the last. */
#include "classify/cpbind.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_TABLE 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct binding_table *t = binding_table_new(FUZZ_TABLE, NULL, NULL);
    struct cpbind *cb = t ? cpbind_new(t) : NULL;
    if (!cb) {
        binding_table_free(t);
        return 0;
    }
    struct cursor c = cur_init(data, size);
    uint64_t ts = 1;
    while (cur_left(&c) >= 3) {
        uint8_t proto = cur_u8(&c), flags = cur_u8(&c), len = cur_u8(&c);
        struct span s;
        if (!cur_span(&c, len < cur_left(&c) ? len : cur_left(&c), &s))
            break;
        struct cp_packet p = {0};
        p.ts_us = ts;
        ts += 1000 + (uint64_t)(flags >> 1) * 1000000u; /* large gaps time requests out */
        p.alen = 4;
        p.src[0] = (flags & 1) ? 10 : 192;
        p.dst[0] = (flags & 1) ? 192 : 10;
        p.sport = p.dport = 2123;
        p.payload = s;
        cpbind_feed(cb, (enum cp_proto)(proto % 5 + 1), &p);
        (void)cpbind_probe_udp(&p);
        const struct sub_binding *o[2];
        const uint8_t v4[4] = {10, 45, 0, 2}, v6[16] = {0xca, 0xfe};
        binding_table_by_ipv4(t, v4, ts, o, 2);
        binding_table_by_ipv6(t, v6, ts, o, 2);
        binding_table_by_teid(t, 1, NULL, 0, ts, o, 2);
    }
    binding_table_flush(t);
    cpbind_free(cb);
    binding_table_free(t);
    return 0;
}
