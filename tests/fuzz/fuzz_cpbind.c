/* fuzz_cpbind.c - a sequence of control-plane messages through the
 * registry rows of classify/cpbind.h (per-flow pairing) into a small
 * bindings table, so eviction, timeouts, conflicts and lookups all run.
 *
 * Input: records of | row (1: mod 5; 4 = SIP REGISTER) | flags (1: bit 0 =
 * direction, higher bits = seconds to wait) | length (1) | payload ... |. */
#include "classify/cpbind.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_TABLE 8

static const struct proto_ops *const rows[4] = {&gtpc2_proto, &gtpc1_proto, &radius_proto,
                                                &gx_proto};

static void on_binding(void *ctx, const struct sub_binding *b)
{
    struct sub_binding e = *b;
    const uint8_t src[4] = {10, 0, 0, 1}, dst[4] = {10, 0, 0, 2};
    binding_resolve(&e, src, dst, 4);
    binding_table_apply(ctx, e.op, &e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct binding_table *t = binding_table_new(FUZZ_TABLE, NULL, NULL);
    void *st[5] = {NULL};
    uint64_t counters[PROTO_MAX_COUNTERS] = {0};
    if (!t)
        return 0;
    struct proto_emit em = {.binding = on_binding, .ctx = t, .counters = counters};
    struct cursor c = cur_init(data, size);
    uint64_t ts = 1;
    while (cur_left(&c) >= 3) {
        uint8_t r = cur_u8(&c) % 5, flags = cur_u8(&c), len = cur_u8(&c);
        struct span s;
        if (!cur_span(&c, len < cur_left(&c) ? len : cur_left(&c), &s))
            break;
        ts += 1000 + (uint64_t)(flags >> 1) * 1000000u; /* large gaps time requests out */
        if (!st[r])
            st[r] = cpbind_state_new(PROTO_T_UDP);
        if (!st[r])
            break;
        struct cursor m = cur_init(s.p, s.n);
        enum dir d = (flags & 1) ? DIR_S2C : DIR_C2S;
        if (r == 4) {
            cpbind_sip(st[r], d, &m, ts, &em);
        } else {
            struct proto_probe pp = {.transport = PROTO_T_UDP, .dir = d, .sport = 2123,
                                     .dport = 1812, .ppid = 46, .bytes = s};
            (void)rows[r]->probe(&pp);
            rows[r]->parse(st[r], d, &m, ts, &em);
        }
        const struct sub_binding *o[2];
        const uint8_t v4[4] = {10, 45, 0, 2}, v6[16] = {0xca, 0xfe};
        binding_table_by_ipv4(t, v4, ts, o, 2);
        binding_table_by_ipv6(t, v6, ts, o, 2);
        binding_table_by_teid(t, 1, NULL, 0, ts, o, 2);
    }
    binding_table_flush(t);
    for (int i = 0; i < 5; i++)
        cpbind_state_free(st[i]);
    binding_table_free(t);
    return 0;
}
