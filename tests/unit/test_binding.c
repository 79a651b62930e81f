/* test_binding.c - the subscriber bindings table: intervals, lookups,
 * conflicts kept and flagged, bounds and counters; the address lookups open
 * only the bindings on the address asked for, and answer as a scan of every
 * binding would (random tables with evictions and addresses learnt late);
 * so do the TEID lookups, which open only the bindings holding the TEID;
 * kept bindings (a scope's targets) leave a full table last; thousands of
 * sessions through a small table merge, close and leave in order. */
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

/* An IMSI of the test's subscriber number k. */
static void imsi_of(char out[16], unsigned k) { snprintf(out, 16, "00101%010u", k); }

TEST(address_lookups_open_only_that_address)
{
    struct binding_table *t = binding_table_new(0, NULL, NULL);
    char imsi[16];
    /* 4000 sessions, each on its own IPv4 address; a fifth also on an IPv6 /64 */
    for (unsigned k = 0; k < 4000; k++) {
        imsi_of(imsi, k);
        struct sub_binding e = ev(imsi, "", 0, 1000 + k);
        const uint8_t v4[4] = {10, (uint8_t)(k >> 16), (uint8_t)(k >> 8), (uint8_t)k};
        memcpy(e.v4, v4, 4);
        e.has_v4 = true;
        if (k % 5 == 0) {
            const uint8_t p6[BIND_V6_PREFIX] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, (uint8_t)(k >> 8),
                                                (uint8_t)k};
            memcpy(e.v6_prefix, p6, BIND_V6_PREFIX);
            e.has_v6 = true;
        }
        CHECK(binding_table_apply(t, BIND_OPEN, &e) != 0);
    }
    CHECK_EQ_INT(binding_table_count(t), 4000);
    const struct sub_binding *o[2];
    uint64_t before = binding_table_records_read(t);
    const uint8_t ask[4] = {10, 0, 3000 >> 8, 3000 & 0xff};
    CHECK_EQ_INT(binding_table_by_ipv4(t, ask, 5000, o, 2), 1);
    imsi_of(imsi, 3000);
    CHECK_STR(o[0]->imsi, imsi);
    CHECK_EQ_INT(binding_table_records_read(t) - before, 1);
    /* not yet valid at that time: the one record is opened and refused */
    CHECK_EQ_INT(binding_table_by_ipv4(t, ask, 3999, o, 2), 0);
    CHECK_EQ_INT(binding_table_records_read(t) - before, 2);
    /* an address nobody has opens nothing */
    const uint8_t none[4] = {192, 0, 2, 1};
    CHECK_EQ_INT(binding_table_by_ipv4(t, none, 5000, o, 2), 0);
    CHECK_EQ_INT(binding_table_records_read(t) - before, 2);
    /* IPv6: any address of the /64 */
    const uint8_t ask6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 3000 >> 8, 3000 & 0xff,
                              0, 0, 0, 0, 0, 0, 0, 0x42};
    CHECK_EQ_INT(binding_table_by_ipv6(t, ask6, 5000, o, 2), 1);
    CHECK_STR(o[0]->imsi, imsi);
    CHECK_EQ_INT(binding_table_records_read(t) - before, 3);
    binding_table_free(t);
}

/* What a lookup by address must answer: every binding valid at ts on that
 * address, in id order (the scan the keys replace). */
static size_t reference_by_addr(const struct binding_table *t, int fam, const uint8_t *a,
                                uint64_t ts, uint32_t *ids, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < binding_table_count(t); i++) {
        const struct sub_binding *b = binding_table_at(t, i);
        bool valid = b->start_us <= ts && (b->open || ts <= b->end_us);
        bool on = fam == 4 ? b->has_v4 && !memcmp(b->v4, a, 4)
                           : b->has_v6 && !memcmp(b->v6_prefix, a, BIND_V6_PREFIX);
        if (valid && on) {
            if (n < max)
                ids[n] = b->id;
            n++;
        }
    }
    return n;
}

/* Looks addr (family fam) up at ts in t and checks the answer against a
 * full scan: the same count and the same bindings in the same order.
 * Returns whether anything was found. */
static bool lookup_matches_scan(const struct binding_table *t, int fam, const uint8_t *addr,
                                uint64_t ts)
{
    const struct sub_binding *o[8];
    uint32_t want[8];
    size_t n = fam == 4 ? binding_table_by_ipv4(t, addr, ts, o, 8)
                        : binding_table_by_ipv6(t, addr, ts, o, 8);
    size_t m = reference_by_addr(t, fam, addr, ts, want, 8);
    CHECK_EQ_INT(n, m);
    for (size_t i = 0; i < n && i < 8 && i < m; i++)
        CHECK_EQ_INT(o[i]->id, want[i]);
    return n > 0;
}

static uint32_t rnd(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

TEST(address_lookups_match_a_full_scan)
{
    /* A small table, so that evictions shift the keys with the records;
     * subscribers that open without an address and get one from a later
     * update; few addresses, so that several bindings share one. */
    uint32_t seed = 0x2545f491u;
    unsigned lookups = 0, hits = 0, conflicts = 0;
    for (unsigned round = 0; round < 20; round++) {
        struct binding_table *t = binding_table_new(48, NULL, NULL);
        uint64_t now = 1000;
        for (unsigned step = 0; step < 600; step++) {
            now += rnd(&seed) % 50;
            unsigned sub = rnd(&seed) % 90, op = rnd(&seed) % 10;
            char imsi[16];
            imsi_of(imsi, sub);
            struct sub_binding e = ev(imsi, "", 0, now);
            /* an event may carry an IPv4 address, an IPv6 /64, both or
             * neither: a binding learns them in any order */
            if (rnd(&seed) % 3) {
                const uint8_t v4[4] = {10, 9, 0, (uint8_t)(sub % 23)};
                memcpy(e.v4, v4, 4);
                e.has_v4 = true;
            }
            if (rnd(&seed) % 4 == 0) {
                const uint8_t p6[BIND_V6_PREFIX] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0,
                                                    (uint8_t)(sub % 17)};
                memcpy(e.v6_prefix, p6, BIND_V6_PREFIX);
                e.has_v6 = true;
            }
            /* half the events name the session: those merge into the open
             * binding whatever its address, so a binding opened without one
             * learns it later, behind newer bindings on the same address */
            if (rnd(&seed) % 2)
                e.session_key = sub + 1;
            binding_table_apply(t, op < 5 ? BIND_OPEN : op < 8 ? BIND_UPDATE : BIND_CLOSE, &e);
            /* ask about a random address at a random time so far */
            uint64_t ts = 1000 + rnd(&seed) % (now - 999);
            uint8_t a4[4] = {10, 9, 0, (uint8_t)(rnd(&seed) % 24)};
            uint8_t a6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, (uint8_t)(rnd(&seed) % 18)};
            hits += lookup_matches_scan(t, 4, a4, ts) + lookup_matches_scan(t, 6, a6, ts);
            lookups += 2;
        }
        CHECK(binding_table_stats(t)->evicted > 0);
        /* Every two bindings of different subscribers that overlap on an
         * address are both flagged (the conflict check reads the keys too,
         * and runs whenever a binding learns an address family).  The
         * identities are set at open here: one learnt later is not checked
         * again. */
        for (size_t i = 0; i < binding_table_count(t); i++)
            for (size_t j = i + 1; j < binding_table_count(t); j++) {
                const struct sub_binding *x = binding_table_at(t, i), *y = binding_table_at(t, j);
                bool addr = (x->has_v4 && y->has_v4 && !memcmp(x->v4, y->v4, 4)) ||
                            (x->has_v6 && y->has_v6 &&
                             !memcmp(x->v6_prefix, y->v6_prefix, BIND_V6_PREFIX));
                uint64_t xe = x->open ? UINT64_MAX : x->end_us, ye = y->open ? UINT64_MAX : y->end_us;
                bool overlap = x->start_us <= ye && y->start_us <= xe;
                if (addr && overlap && strcmp(x->imsi, y->imsi) != 0) {
                    CHECK(x->conflict && y->conflict);
                    conflicts++;
                }
            }
        binding_table_free(t);
    }
    /* the lookups found something often enough to mean something */
    CHECK(hits > lookups / 10);
    CHECK(conflicts > 0);
}

/* Owner nodes of the TEID tests: an eNB, a second eNB, an S-GW (IPv4) and
 * an IPv6 gateway; index 4 = no owner signalled. */
static const uint8_t teid_nodes[4][16] = {
    {10, 0, 18, 1}, {10, 0, 18, 7}, {10, 0, 18, 3},
    {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3}};
static size_t node_len(unsigned n) { return n == 3 ? 16 : n < 3 ? 4 : 0; }

/* What a lookup by TEID must answer: every binding valid at ts holding that
 * user-plane TEID owned by the node asked for or by a node not signalled
 * (any owner when none is asked for), in id order. */
static size_t reference_by_teid(const struct binding_table *t, uint32_t teid,
                                const uint8_t *node, size_t alen, uint64_t ts, uint32_t *ids,
                                size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < binding_table_count(t); i++) {
        const struct sub_binding *b = binding_table_at(t, i);
        bool valid = b->start_us <= ts && (b->open || ts <= b->end_us), on = false;
        for (unsigned j = 0; j < b->nteid; j++) {
            const struct bind_teid *x = &b->teid[j];
            on |= x->teid == teid && !x->control &&
                  (!alen || !x->alen || (x->alen == alen && !memcmp(x->addr, node, alen)));
        }
        if (valid && on) {
            if (n < max)
                ids[n] = b->id;
            n++;
        }
    }
    return n;
}

TEST(teid_lookups_match_a_full_scan)
{
    /* Few TEID values on few nodes, so that many bindings share a TEID (at
     * different nodes, or one after another at the same node); control
     * TEIDs of the same values, which never answer; TEIDs learnt without an
     * owner that a later update names; a small table, so that evictions
     * take bindings out of the index. */
    uint32_t seed = 0x9e3779b9u;
    unsigned lookups = 0, hits = 0;
    for (unsigned round = 0; round < 20; round++) {
        /* the index from the start, from half-way (built from the bindings
         * held then), or never (the scan) */
        struct binding_table *t = binding_table_new(40, NULL, NULL);
        if (round % 3 == 0)
            binding_table_index_teids(t);
        uint64_t now = 1000;
        for (unsigned step = 0; step < 600; step++) {
            if (step == 300 && round % 3 == 1)
                binding_table_index_teids(t);
            now += rnd(&seed) % 50;
            unsigned sub = rnd(&seed) % 70, op = rnd(&seed) % 10;
            char imsi[16];
            imsi_of(imsi, sub);
            struct sub_binding e = ev(imsi, "", 0, now);
            if (rnd(&seed) % 2)
                e.session_key = sub + 1;
            for (unsigned k = rnd(&seed) % 4; k > 0; k--) {
                unsigned node = rnd(&seed) % 5;
                binding_add_teid(&e, 1 + rnd(&seed) % 6, rnd(&seed) % 4 == 0, teid_nodes[node % 4],
                                 node_len(node), NULL);
            }
            binding_table_apply(t, op < 5 ? BIND_OPEN : op < 8 ? BIND_UPDATE : BIND_CLOSE, &e);
            uint64_t ts = 1000 + rnd(&seed) % (now - 999);
            uint32_t teid = rnd(&seed) % 8;
            unsigned node = rnd(&seed) % 5;
            const struct sub_binding *o[8];
            uint32_t want[8];
            size_t n = binding_table_by_teid(t, teid, teid_nodes[node % 4], node_len(node), ts, o, 8);
            size_t m = reference_by_teid(t, teid, teid_nodes[node % 4], node_len(node), ts, want, 8);
            CHECK_EQ_INT(n, m);
            for (size_t i = 0; i < n && i < 8 && i < m; i++)
                CHECK_EQ_INT(o[i]->id, want[i]);
            hits += n > 0;
            lookups++;
        }
        CHECK(binding_table_stats(t)->evicted > 0);
        binding_table_free(t);
    }
    CHECK(hits > lookups / 10);
}

TEST(teid_lookup_opens_only_that_teid)
{
    struct binding_table *t = binding_table_new(0, NULL, NULL);
    binding_table_index_teids(t);
    char imsi[16];
    /* 4000 sessions, each with its eNB TEID at one of two eNBs, and a
     * gateway TEID all share (as a gateway that numbers per session would
     * not, but a table must answer all the same) */
    for (unsigned k = 0; k < 4000; k++) {
        imsi_of(imsi, k);
        struct sub_binding e = ev(imsi, "", 0, 1000 + k);
        binding_add_teid(&e, 0x10000 + k, false, teid_nodes[k % 2], 4, NULL);
        binding_add_teid(&e, 0x10000 + k, true, teid_nodes[2], 4, NULL);
        CHECK(binding_table_apply(t, BIND_OPEN, &e) != 0);
    }
    const struct sub_binding *o[2];
    uint64_t before = binding_table_records_read(t);
    CHECK_EQ_INT(binding_table_by_teid(t, 0x10000 + 3001, teid_nodes[1], 4, 5000, o, 2), 1);
    imsi_of(imsi, 3001);
    CHECK_STR(o[0]->imsi, imsi);
    CHECK_EQ_INT(binding_table_records_read(t) - before, 1);
    /* at the other eNB, or as a control TEID: nothing, and nothing opened */
    CHECK_EQ_INT(binding_table_by_teid(t, 0x10000 + 3001, teid_nodes[0], 4, 5000, o, 2), 0);
    CHECK_EQ_INT(binding_table_by_teid(t, 0x10000 + 3001, teid_nodes[2], 4, 5000, o, 2), 0);
    CHECK_EQ_INT(binding_table_records_read(t) - before, 1);
    /* a TEID whose owner was not signalled answers for any node */
    imsi_of(imsi, 4000);
    struct sub_binding e = ev(imsi, "", 0, 6000);
    binding_add_teid(&e, 0x77, false, NULL, 0, NULL);
    CHECK(binding_table_apply(t, BIND_OPEN, &e) != 0);
    CHECK_EQ_INT(binding_table_by_teid(t, 0x77, teid_nodes[3], 16, 6000, o, 2), 1);
    CHECK_STR(o[0]->imsi, imsi);
    /* and once an update names the owner, only for that node */
    binding_add_teid(&e, 0x77, false, teid_nodes[0], 4, NULL);
    CHECK(binding_table_apply(t, BIND_UPDATE, &e) != 0);
    CHECK_EQ_INT(binding_table_by_teid(t, 0x77, teid_nodes[3], 16, 6000, o, 2), 0);
    CHECK_EQ_INT(binding_table_by_teid(t, 0x77, teid_nodes[0], 4, 6000, o, 2), 1);
    binding_table_free(t);
    /* A binding that leaves the table leaves the index: through a table of
     * 8, 100 sessions; the first one's TEID opens nothing (its slot now
     * holds another session). */
    t = binding_table_new(8, NULL, NULL);
    binding_table_index_teids(t);
    for (unsigned k = 0; k < 100; k++) {
        imsi_of(imsi, k);
        e = ev(imsi, "", 0, 1000 + k);
        binding_add_teid(&e, 0x20000 + k, false, teid_nodes[0], 4, NULL);
        CHECK(binding_table_apply(t, BIND_OPEN, &e) != 0);
    }
    before = binding_table_records_read(t);
    CHECK_EQ_INT(binding_table_by_teid(t, 0x20000, teid_nodes[0], 4, 1000, o, 2), 0);
    CHECK_EQ_INT(binding_table_records_read(t) - before, 0);
    CHECK_EQ_INT(binding_table_by_teid(t, 0x20000 + 99, teid_nodes[0], 4, 1099, o, 2), 1);
    CHECK_EQ_INT(binding_table_records_read(t) - before, 1);
    binding_table_free(t);
}

TEST(conflict_on_an_address_family_learnt_later)
{
    /* A holds an IPv4 address and later learns an IPv6 /64 (an update of
     * its session) that B, another subscriber, already holds: both are in
     * conflict from then on, as if A had had the /64 from the start. */
    struct binding_table *t = binding_table_new(0, NULL, NULL);
    const uint8_t p6[BIND_V6_PREFIX] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 9};
    struct sub_binding a = ev("001010000000001", "", 5, 100);
    a.session_key = 7;
    CHECK(binding_table_apply(t, BIND_OPEN, &a) != 0);
    struct sub_binding b = ev("001010000000002", "", 0, 200);
    memcpy(b.v6_prefix, p6, BIND_V6_PREFIX);
    b.has_v6 = true;
    CHECK(binding_table_apply(t, BIND_OPEN, &b) != 0);
    CHECK(!binding_table_at(t, 0)->conflict && !binding_table_at(t, 1)->conflict);
    struct sub_binding u = ev("001010000000001", "", 0, 300);
    u.session_key = 7;
    memcpy(u.v6_prefix, p6, BIND_V6_PREFIX);
    u.has_v6 = true;
    CHECK_EQ_INT(binding_table_apply(t, BIND_UPDATE, &u), binding_table_at(t, 0)->id);
    CHECK(binding_table_at(t, 0)->has_v4 && binding_table_at(t, 0)->has_v6);
    CHECK(binding_table_at(t, 0)->conflict && binding_table_at(t, 1)->conflict);
    CHECK_EQ_INT(binding_table_stats(t)->conflicts, 1);
    /* learning it again (the next update) counts nothing new */
    u.evidence_us = 400;
    binding_table_apply(t, BIND_UPDATE, &u);
    CHECK_EQ_INT(binding_table_stats(t)->conflicts, 1);
    /* the same on a close that brings the address (an Accounting-Stop
     * with its Framed-IP): C learns B's /64 as its session ends */
    struct sub_binding c = ev("001010000000003", "", 6, 500);
    c.session_key = 8;
    CHECK(binding_table_apply(t, BIND_OPEN, &c) != 0);
    struct sub_binding z = ev("001010000000003", "", 0, 600);
    z.session_key = 8;
    memcpy(z.v6_prefix, p6, BIND_V6_PREFIX);
    z.has_v6 = true;
    CHECK(binding_table_apply(t, BIND_CLOSE, &z) != 0);
    CHECK(binding_table_at(t, 2)->conflict);
    CHECK_EQ_INT(binding_table_stats(t)->conflicts, 2);
    binding_table_free(t);
}

static bool keep_first_sub(const struct sub_binding *b, void *user)
{
    (void)user;
    return !strcmp(b->imsi, "001010000000001");
}

TEST(kept_bindings_leave_last)
{
    /* The target (kept) opens first, so it has the oldest evidence; six other
     * open sessions pass through a table of 4: the others leave, oldest
     * first, and the target stays. */
    struct finals f = {0};
    struct binding_table *t = binding_table_new(4, on_final, &f);
    binding_table_set_keep(t, keep_first_sub, NULL);
    struct sub_binding e = ev("001010000000001", "", 1, 100);
    uint32_t target = binding_table_apply(t, BIND_OPEN, &e);
    for (unsigned i = 2; i <= 7; i++) {
        char imsi[16];
        snprintf(imsi, sizeof imsi, "00101000000000%u", i);
        e = ev(imsi, "", (uint8_t)i, 100 + i);
        binding_table_apply(t, BIND_OPEN, &e);
    }
    CHECK_EQ_INT(f.n, 3);
    CHECK_EQ_INT(f.ids[0], 2);
    CHECK_EQ_INT(f.ids[1], 3);
    CHECK_EQ_INT(f.ids[2], 4);
    CHECK_EQ_INT(binding_table_at(t, 0)->id, target);
    const struct sub_binding *o[2];
    const uint8_t ue[4] = {10, 45, 0, 1};
    CHECK_EQ_INT(binding_table_by_ipv4(t, ue, 500, o, 2), 1);
    /* a closed binding that is not kept still leaves before an open kept one,
     * and a closed kept one after every binding not kept */
    e = ev("001010000000006", "", 6, 600);
    CHECK(binding_table_apply(t, BIND_CLOSE, &e) != 0);
    e = ev("001010000000008", "", 8, 700);
    binding_table_apply(t, BIND_OPEN, &e);
    CHECK_EQ_INT(f.n, 4);
    CHECK_EQ_INT(f.ids[3], 6);
    e = ev("001010000000001", "", 1, 800);
    CHECK(binding_table_apply(t, BIND_CLOSE, &e) == target);
    e = ev("001010000000009", "", 9, 900);
    binding_table_apply(t, BIND_OPEN, &e);
    CHECK_EQ_INT(f.n, 5);
    CHECK_EQ_INT(f.ids[4], 5); /* the oldest open one not kept, not the closed target */
    binding_table_free(t);

    /* set_keep on a full table orders it again: without it, the target
     * (oldest evidence) would be the next to go */
    struct finals g = {0};
    t = binding_table_new(4, on_final, &g);
    for (unsigned i = 1; i <= 4; i++) {
        char imsi[16];
        snprintf(imsi, sizeof imsi, "00101000000000%u", i);
        e = ev(imsi, "", (uint8_t)i, 100 + i);
        binding_table_apply(t, BIND_OPEN, &e);
    }
    binding_table_set_keep(t, keep_first_sub, NULL);
    e = ev("001010000000005", "", 5, 200);
    binding_table_apply(t, BIND_OPEN, &e);
    CHECK_EQ_INT(g.n, 1);
    CHECK_EQ_INT(g.ids[0], 2);
    binding_table_free(t);
}

/* Many sessions through a small table, with keys of every kind: the table
 * answers from its indexes as a scan would (every lookup and merge below is
 * checked against what the records say), and ids and evictions stay in
 * order. */
TEST(many_sessions_through_a_small_table)
{
    struct finals f = {0};
    struct binding_table *t = binding_table_new(16, on_final, &f);
    const uint8_t sgw[4] = {192, 0, 2, 2};
    unsigned merged_right = 0;
    for (unsigned i = 0; i < 5000; i++) {
        char imsi[16];
        imsi_of(imsi, i);
        struct sub_binding e = ev(imsi, "", 0, 1000 + 10 * i);
        const uint8_t v4[4] = {10, 50, (uint8_t)(i >> 8), (uint8_t)i};
        memcpy(e.v4, v4, 4);
        e.has_v4 = true;
        binding_add_teid(&e, 0x10000 + i, true, sgw, 4, NULL);
        uint32_t id = binding_table_apply(t, BIND_OPEN, &e);
        CHECK_EQ_INT(id, i + 1);
        if (i >= 4) { /* session i-4 ends: named by its control TEID alone */
            struct sub_binding c;
            memset(&c, 0, sizeof c);
            c.src = BIND_SRC_GTPV2;
            c.evidence_us = 1000 + 10 * i + 5;
            binding_add_teid(&c, 0x10000 + i - 4, true, sgw, 4, NULL);
            merged_right += binding_table_apply(t, BIND_CLOSE, &c) == i - 3;
        }
    }
    CHECK_EQ_INT(merged_right, 4996);
    const struct binding_stats *st = binding_table_stats(t);
    CHECK_EQ_INT(st->closed, 4996);
    CHECK_EQ_INT(st->close_unmatched, 0);
    CHECK_EQ_INT(st->evicted, 5000 - 16);
    /* the closed ones left first, by end time: the oldest ids */
    CHECK_EQ_INT(f.ids[0], 1);
    CHECK_EQ_INT(f.ids[15], 16);
    /* the table holds the last 16, in id order */
    for (size_t i = 0; i < binding_table_count(t); i++)
        CHECK_EQ_INT(binding_table_at(t, i)->id, 5000 - 16 + 1 + i);
    binding_table_free(t);
}

/* Resident memory of this process, in bytes (/proc/self/statm). */
static long resident_bytes(void)
{
    long size = 0, res = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f)
        return -1;
    if (fscanf(f, "%ld %ld", &size, &res) != 2)
        res = -1;
    fclose(f);
    return res < 0 ? -1 : res * 4096;
}

/* A table at --max-bindings' limit costs memory for the bindings it holds,
 * not for its capacity: its address indexes grow with the addresses held
 * (sized to the capacity and cleared at creation they took 256 MB). */
TEST(largest_capacity_costs_what_it_holds)
{
    long before = resident_bytes();
    struct binding_table *t = binding_table_new(BINDING_TABLE_LIMIT, NULL, NULL);
    CHECK(t != NULL);
    char imsi[16];
    for (unsigned k = 0; k < 2000; k++) {
        imsi_of(imsi, k);
        struct sub_binding e = ev(imsi, "", 0, 1000 + k);
        const uint8_t v4[4] = {10, 60, (uint8_t)(k >> 8), (uint8_t)k};
        memcpy(e.v4, v4, 4);
        e.has_v4 = true;
        CHECK(binding_table_apply(t, BIND_OPEN, &e) != 0);
    }
    long grown = resident_bytes() - before;
    CHECK(before > 0);
    CHECK(grown < 16L * 1024 * 1024);
    const struct sub_binding *o[2];
    const uint8_t ask[4] = {10, 60, 1999 >> 8, 1999 & 0xff};
    CHECK_EQ_INT(binding_table_by_ipv4(t, ask, 5000, o, 2), 1);
    binding_table_free(t);
}

int main(void)
{
    RUN(interval_and_lookups);
    RUN(conflicts_kept);
    RUN(bounds);
    RUN(address_lookups_open_only_that_address);
    RUN(address_lookups_match_a_full_scan);
    RUN(teid_lookups_match_a_full_scan);
    RUN(teid_lookup_opens_only_that_teid);
    RUN(conflict_on_an_address_family_learnt_later);
    RUN(kept_bindings_leave_last);
    RUN(many_sessions_through_a_small_table);
    RUN(largest_capacity_costs_what_it_holds);
    return harness_done();
}
