/* test_oom_binding.c - the subscriber bindings table when its indexes
 * cannot grow: every malloc fails for a while (failalloc_malloc), so the
 * IPv4 address index stays at its first size.  Addresses it has no room
 * for are counted (addr_nomem) and missed by lookups, never answered
 * wrongly, and the next evidence merged into such a binding indexes its
 * address once memory is back. */
#include "classify/binding.h"

#include <stdio.h>
#include <string.h>

#include "capture/str.h"
#include "tests/failalloc.h"
#include "tests/harness.h"

static struct sub_binding ev(unsigned k, bool addr, uint64_t ts)
{
    struct sub_binding e;
    memset(&e, 0, sizeof e);
    e.src = BIND_SRC_GTPV2;
    snprintf(e.imsi, sizeof e.imsi, "00101%010u", k);
    if (addr) {
        const uint8_t v4[4] = {10, 70, (uint8_t)(k >> 8), (uint8_t)k};
        memcpy(e.v4, v4, 4);
        e.has_v4 = true;
    }
    e.evidence_us = ts;
    return e;
}

static bool found(const struct binding_table *t, unsigned k)
{
    const struct sub_binding *o[2];
    const uint8_t a[4] = {10, 70, (uint8_t)(k >> 8), (uint8_t)k};
    char imsi[16];
    snprintf(imsi, sizeof imsi, "00101%010u", k);
    return binding_table_by_ipv4(t, a, 1000000, o, 2) == 1 && !strcmp(o[0]->imsi, imsi);
}

TEST(address_index_cannot_grow)
{
    long base = failalloc_live();
    struct binding_table *t = binding_table_new(1000, NULL, NULL);
    CHECK(t != NULL);
    /* 200 sessions without an address, opened and closed: the match-key
     * map grows to hold the later ones' keys, the address index does not. */
    for (unsigned k = 1000; k < 1200; k++) {
        struct sub_binding e = ev(k, false, 10 + k);
        CHECK(binding_table_apply(t, BIND_OPEN, &e) != 0);
    }
    for (unsigned k = 1000; k < 1200; k++) {
        struct sub_binding e = ev(k, false, 2000 + k);
        CHECK(binding_table_apply(t, BIND_CLOSE, &e) != 0);
    }
    for (unsigned k = 0; k < 20; k++) {
        struct sub_binding e = ev(k, true, 5000 + k);
        CHECK(binding_table_apply(t, BIND_OPEN, &e) != 0);
    }
    /* The index has 64 slots and 20 keys.  Without memory it takes keys
     * while one slot stays free (63), then counts the rest. */
    failalloc_malloc(true);
    for (unsigned k = 20; k < 70; k++) {
        struct sub_binding e = ev(k, true, 5000 + k);
        CHECK(binding_table_apply(t, BIND_OPEN, &e) != 0);
    }
    failalloc_malloc(false);
    CHECK(failalloc_hit());
    CHECK_EQ_INT(binding_table_stats(t)->addr_nomem, 7);
    unsigned missed = 0;
    for (unsigned k = 0; k < 70; k++)
        missed += !found(t, k);
    CHECK_EQ_INT(missed, 7);
    CHECK(!found(t, 69) && found(t, 62));
    /* An address nobody holds still answers nothing. */
    const struct sub_binding *o[2];
    const uint8_t none[4] = {192, 0, 2, 1};
    CHECK_EQ_INT(binding_table_by_ipv4(t, none, 1000000, o, 2), 0);
    /* Memory is back: an update of each session (by its IMSI) indexes the
     * addresses left out, and every session is found. */
    for (unsigned k = 63; k < 70; k++) {
        struct sub_binding e = ev(k, true, 9000 + k);
        CHECK(binding_table_apply(t, BIND_UPDATE, &e) != 0);
    }
    missed = 0;
    for (unsigned k = 0; k < 70; k++)
        missed += !found(t, k);
    CHECK_EQ_INT(missed, 0);
    CHECK_EQ_INT(binding_table_stats(t)->opened, 270);
    binding_table_free(t);
    CHECK_EQ_INT(failalloc_live(), base);
}

int main(void)
{
    RUN(address_index_cannot_grow);
    return harness_done();
}
