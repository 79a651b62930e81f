/* fuzz_ran.h - the body of fuzz_s1ap.c and fuzz_ngap.c: S1AP or NGAP PDUs
 * through their registry row (classify/ranbind.c: UE contexts, NAS, SMS
 * legs) into a small bindings table, two association states sharing the
 * row's UE directory (classify/ran_dir.h).  The including file defines
 * FUZZ_RAN_ROW, _PORT and _PPID.
 *
 * Input: records of | flags (1: bit 0 = direction, bits 1-6 = seconds to
 * wait, bit 7 = the second association) | length (2, big-endian) | PDU
 * ... |, each PDU copied into an exact-size buffer.  The home network keys are
 * the TS 33.501 Annex C.4 test keys, so a concealed SUCI is de-concealed. */
#include <stdlib.h>
#include <string.h>

#include "classify/binding.h"
#include "classify/ranbind.h"
#include "classify/suci.h"
#include "tests/unit/sms_legs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_TABLE 8

static void on_binding(void *ctx, const struct sub_binding *b)
{
    struct sub_binding e = *b;
    const uint8_t src[4] = {10, 0, 0, 1}, dst[4] = {10, 0, 0, 2};
    binding_resolve(&e, src, dst, 4);
    binding_table_apply(ctx, e.op, &e);
}

static void on_sms(const struct sms_leg *leg, void *ctx)
{
    static struct legs L;
    (void)ctx;
    if (L.n == LEGS_MAX)
        legs_reset(&L);
    legs_fn(leg, &L);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct binding_table *t = binding_table_new(FUZZ_TABLE, NULL, NULL);
    void *st[2] = {FUZZ_RAN_ROW.state_new(PROTO_T_SCTP), FUZZ_RAN_ROW.state_new(PROTO_T_SCTP)};
    void *dir = FUZZ_RAN_ROW.shared_new();
    uint64_t counters[PROTO_MAX_COUNTERS] = {0};
    if (!t || !st[0] || !st[1] || !dir) {
        binding_table_free(t);
        FUZZ_RAN_ROW.state_free(st[0]);
        FUZZ_RAN_ROW.state_free(st[1]);
        if (dir)
            FUZZ_RAN_ROW.shared_free(dir);
        return 0;
    }
    static struct suci_keys keys;
    if (!keys.n)
        suci_keys_init(&keys);
    struct proto_emit em = {.sms = on_sms, .binding = on_binding, .ctx = t, .counters = counters,
                            .shared = dir, .suci_keys = &keys};
    uint64_t ts = 1;
    size_t off = 0;
    while (size - off >= 3) {
        uint8_t flags = data[off];
        size_t n = (size_t)data[off + 1] << 8 | data[off + 2];
        off += 3;
        if (n > size - off)
            n = size - off;
        uint8_t *b = malloc(n ? n : 1);
        if (!b)
            break;
        memcpy(b, data + off, n);
        off += n;
        ts += 1000 + (uint64_t)((flags >> 1) & 0x3f) * 1000000u;
        struct proto_probe pp = {.transport = PROTO_T_SCTP, .sport = FUZZ_RAN_PORT,
                                 .dport = FUZZ_RAN_PORT, .ppid = FUZZ_RAN_PPID,
                                 .bytes = (struct span){b, n}};
        (void)FUZZ_RAN_ROW.probe(&pp);
        /* each association's base station and their one core node, as the
         * carrier passes them (the handover key, ranbind.c cn_key()) */
        static const uint8_t ran_addr[2][4] = {{10, 0, 0, 1}, {10, 0, 0, 3}};
        static const uint8_t core_addr[4] = {10, 0, 0, 2};
        const uint8_t *ran = ran_addr[flags >> 7];
        em.src_addr = (flags & 1) ? core_addr : ran;
        em.dst_addr = (flags & 1) ? ran : core_addr;
        em.addr_len = 4;
        struct cursor c = cur_init(b, n);
        FUZZ_RAN_ROW.parse(st[flags >> 7], (flags & 1) ? DIR_S2C : DIR_C2S, &c, ts, &em);
        free(b);
        const struct sub_binding *o[2];
        const uint8_t v4[4] = {10, 45, 13, 9};
        binding_table_by_ipv4(t, v4, ts, o, 2);
    }
    binding_table_flush(t);
    FUZZ_RAN_ROW.state_free(st[0]);
    FUZZ_RAN_ROW.state_free(st[1]);
    FUZZ_RAN_ROW.shared_free(dir);
    binding_table_free(t);
    return 0;
}
