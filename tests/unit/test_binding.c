/* test_binding.c - the subscriber bindings table: intervals, lookups,
 * conflicts kept and flagged, bounds and counters. */
#include "classify/binding.h"

#include <stdio.h>
#include <string.h>

#include "capture/str.h"
#include "tests/harness.h"

static struct sub_binding ev(const char *imsi, const char *msisdn, uint8_t last, uint64_t ts)
{
    struct sub_binding e;
    memset(&e, 0, sizeof e);
    e.src = BIND_SRC_GTPV2;
    str_copy(e.imsi, sizeof e.imsi, imsi);
    str_copy(e.msisdn, sizeof e.msisdn, msisdn);
    if (last) {
        const uint8_t v4[4] = {10, 45, 0, last};
        memcpy(e.v4, v4, 4);
        e.has_v4 = true;
    }
    e.evidence_us = ts;
    return e;
}

struct finals {
    unsigned n;
    uint32_t ids[16];
    bool open[16];
};

static void on_final(const struct sub_binding *b, void *user)
{
    struct finals *f = user;
    if (f->n < 16) {
        f->ids[f->n] = b->id;
        f->open[f->n] = b->open;
    }
    f->n++;
}

TEST(interval_and_lookups)
{
    struct finals f = {0};
    struct binding_table *t = binding_table_new(0, on_final, &f);
    struct sub_binding e = ev("001010000000001", "15551230001", 2, 100);
    const uint8_t enb[4] = {192, 0, 2, 1}, other[4] = {192, 0, 2, 9};
    binding_add_teid(&e, 0x11, false, enb, 4, NULL);
    uint32_t id = binding_table_apply(t, BIND_OPEN, &e);
    CHECK(id != 0);
    const struct sub_binding *o[4];
    const uint8_t ue[4] = {10, 45, 0, 2};
    CHECK_EQ_INT(binding_table_by_ipv4(t, ue, 99, o, 4), 0);
    CHECK_EQ_INT(binding_table_by_ipv4(t, ue, 100, o, 4), 1);
    CHECK_EQ_INT(binding_table_by_imsi(t, "001010000000001", 5000, o, 4), 1);
    CHECK_EQ_INT(binding_table_by_msisdn(t, "15551230001", 5000, o, 4), 1);
    CHECK_EQ_INT(binding_table_by_teid(t, 0x11, enb, 4, 200, o, 4), 1);
    CHECK_EQ_INT(binding_table_by_teid(t, 0x11, other, 4, 200, o, 4), 0);
    CHECK_EQ_INT(binding_table_by_teid(t, 0x11, NULL, 0, 200, o, 4), 1);
    /* an update of the same session (same TEID) extends it and moves the cell */
    struct sub_binding u;
    memset(&u, 0, sizeof u);
    u.src = BIND_SRC_GTPV2;
    u.evidence_us = 300;
    str_copy(u.cell, sizeof u.cell, "tai:001-01-7");
    binding_add_teid(&u, 0x11, false, enb, 4, NULL);
    binding_add_teid(&u, 0x22, false, other, 4, NULL);
    CHECK_EQ_INT(binding_table_apply(t, BIND_UPDATE, &u), id);
    CHECK_EQ_INT(binding_table_count(t), 1);
    const struct sub_binding *b = binding_table_at(t, 0);
    CHECK_STR(b->cell, "tai:001-01-7");
    CHECK_EQ_INT(b->evidence_us, 300);
    CHECK_EQ_INT(binding_table_by_teid(t, 0x22, other, 4, 300, o, 4), 1);
    /* close by TEID */
    u.evidence_us = 400;
    u.cell[0] = '\0';
    CHECK_EQ_INT(binding_table_apply(t, BIND_CLOSE, &u), id);
    CHECK(!b->open);
    CHECK_EQ_INT(b->end_us, 400);
    CHECK_EQ_INT(binding_table_by_ipv4(t, ue, 401, o, 4), 0);
    CHECK_EQ_INT(binding_table_by_ipv4(t, ue, 400, o, 4), 1);
    /* a second close finds nothing open */
    CHECK_EQ_INT(binding_table_apply(t, BIND_CLOSE, &u), 0);
    CHECK_EQ_INT(binding_table_stats(t)->close_unmatched, 1);
    /* an update with nothing to match and no identity invents nothing */
    u.teid[0].teid = 0x99;
    u.nteid = 1;
    CHECK_EQ_INT(binding_table_apply(t, BIND_UPDATE, &u), 0);
    /* an update with an identity and no open session opens one, marked */
    struct sub_binding mid = ev("001010000000003", "", 7, 500);
    CHECK(binding_table_apply(t, BIND_UPDATE, &mid) != 0);
    CHECK(binding_table_at(t, 1)->mid_session);
    /* flush: the open one is open-ended, ended at its last evidence */
    binding_table_flush(t);
    CHECK_EQ_INT(f.n, 2);
    CHECK(!f.open[0] && f.open[1]);
    CHECK_EQ_INT(binding_table_count(t), 0);
    binding_table_free(t);
}

TEST(conflicts_kept)
{
    struct binding_table *t = binding_table_new(0, NULL, NULL);
    struct sub_binding a = ev("001010000000001", "", 5, 100), b = ev("001010000000002", "", 5, 200);
    CHECK(binding_table_apply(t, BIND_OPEN, &a) != 0);
    CHECK(binding_table_apply(t, BIND_OPEN, &b) != 0);
    CHECK_EQ_INT(binding_table_count(t), 2); /* never merged */
    CHECK(binding_table_at(t, 0)->conflict && binding_table_at(t, 1)->conflict);
    CHECK_EQ_INT(binding_table_stats(t)->conflicts, 1);
    const struct sub_binding *o[4];
    CHECK_EQ_INT(binding_table_by_ipv4(t, a.v4, 250, o, 4), 2);
    /* the same address reused after a close is no conflict */
    struct binding_table *t2 = binding_table_new(0, NULL, NULL);
    struct sub_binding c = ev("001010000000001", "", 6, 100);
    binding_table_apply(t2, BIND_OPEN, &c);
    c.evidence_us = 150;
    binding_table_apply(t2, BIND_CLOSE, &c);
    struct sub_binding d = ev("001010000000002", "", 6, 160);
    binding_table_apply(t2, BIND_OPEN, &d);
    CHECK(!binding_table_at(t2, 0)->conflict && !binding_table_at(t2, 1)->conflict);
    /* the same subscriber seen again on its address merges (S11 and S5 legs) */
    struct sub_binding e2 = ev("001010000000002", "15550000002", 6, 170);
    binding_table_apply(t2, BIND_OPEN, &e2);
    CHECK_EQ_INT(binding_table_count(t2), 2);
    CHECK_STR(binding_table_at(t2, 1)->msisdn, "15550000002");
    /* another source is its own evidence row */
    e2.src = BIND_SRC_DIAMETER;
    binding_table_apply(t2, BIND_OPEN, &e2);
    CHECK_EQ_INT(binding_table_count(t2), 3);
    CHECK(!binding_table_at(t2, 2)->conflict);
    binding_table_free(t2);
    binding_table_free(t);
}

TEST(bounds)
{
    struct finals f = {0};
    struct binding_table *t = binding_table_new(4, on_final, &f);
    for (unsigned i = 0; i < 6; i++) {
        char imsi[16];
        snprintf(imsi, sizeof imsi, "00101000000000%u", i);
        struct sub_binding e = ev(imsi, "", (uint8_t)(10 + i), 100 + i);
        binding_table_apply(t, BIND_OPEN, &e);
        if (i == 1) { /* closed first: evicted first */
            e.evidence_us = 500;
            binding_table_apply(t, BIND_CLOSE, &e);
        }
    }
    CHECK_EQ_INT(binding_table_count(t), 4);
    CHECK_EQ_INT(binding_table_stats(t)->evicted, 2);
    CHECK_EQ_INT(f.n, 2);
    CHECK_EQ_INT(f.ids[0], 2); /* the closed one */
    CHECK_EQ_INT(f.ids[1], 1); /* then the oldest evidence */
    /* TEIDs beyond BIND_MAX_TEIDS are dropped and counted */
    struct sub_binding e = ev("001010000000009", "", 99, 900);
    uint64_t dropped = 0;
    for (unsigned i = 0; i < BIND_MAX_TEIDS + 3; i++)
        binding_add_teid(&e, i + 1, false, NULL, 0, &dropped);
    CHECK_EQ_INT(e.nteid, BIND_MAX_TEIDS);
    CHECK_EQ_INT(dropped, 3);
    binding_add_teid(&e, 1, false, NULL, 0, &dropped); /* already there */
    CHECK_EQ_INT(dropped, 3);
    /* evidence with neither identity nor address is ignored */
    struct sub_binding none;
    memset(&none, 0, sizeof none);
    none.src = BIND_SRC_RADIUS;
    CHECK_EQ_INT(binding_table_apply(t, BIND_OPEN, &none), 0);
    CHECK(binding_table_at(t, 99) == NULL);
    CHECK_STR(binding_src_name(BIND_SRC_RADIUS), "radius");
    binding_table_free(t);
    binding_table_free(NULL);
}

int main(void)
{
    RUN(interval_and_lookups);
    RUN(conflicts_kept);
    RUN(bounds);
    return harness_done();
}
