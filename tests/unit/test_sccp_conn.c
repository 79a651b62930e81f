/* test_sccp_conn.c - the SCCP connection table (classify/sccp_conn.c). */
#include "classify/sccp_conn.h"

#include "tests/harness.h"

TEST(open_find_close)
{
    struct sccp_conn *t = sccp_conn_new();
    uint64_t pcs = sccp_conn_pcs(400, 200);
    CHECK_EQ_INT(pcs, sccp_conn_pcs(200, 400));
    struct sccp_conn_entry *e = sccp_conn_open(t, pcs, 0x101, 254, 10);
    e->ref_b = 0xa01;
    e->has_b = true;
    CHECK(sccp_conn_find(t, pcs, 0x101, 11) == e);
    CHECK(sccp_conn_find(t, pcs, 0xa01, 12) == e);
    CHECK(sccp_conn_find(t, sccp_conn_pcs(1, 2), 0x101, 12) == NULL); /* another link */
    CHECK(sccp_conn_find(t, pcs, 0xa01, 12 + SCCP_CONN_IDLE_US + 1) == NULL); /* idle */
    e = sccp_conn_open(t, pcs, 0x102, 142, 20);
    uint64_t k = e->key;
    sccp_conn_close(t, e);
    CHECK(sccp_conn_find(t, pcs, 0x102, 21) == NULL);
    e = sccp_conn_open(t, pcs, 0x102, 142, 22);
    CHECK(e->key != k); /* a reused reference is a new connection */
    struct sccp_conn_stats st;
    sccp_conn_get_stats(t, &st);
    CHECK_EQ_INT(st.opened, 3);
    CHECK_EQ_INT(st.closed, 1);
    CHECK_EQ_INT(st.expired, 1);
    CHECK_EQ_INT(st.unknown_ref, 3);
    sccp_conn_free(t);
    sccp_conn_free(NULL);
}

TEST(eviction)
{
    struct sccp_conn *t = sccp_conn_new();
    uint64_t pcs = sccp_conn_pcs(1, 2);
    for (uint32_t i = 0; i <= SCCP_CONN_SLOTS; i++)
        sccp_conn_open(t, pcs, i, 254, 100 + i);
    CHECK(sccp_conn_find(t, pcs, 0, 1000) == NULL); /* the least recently used went */
    CHECK(sccp_conn_find(t, pcs, SCCP_CONN_SLOTS, 1000) != NULL);
    struct sccp_conn_stats st;
    sccp_conn_get_stats(t, &st);
    CHECK_EQ_INT(st.evicted, 1);
    sccp_conn_free(t);
}

int main(void)
{
    RUN(open_find_close);
    RUN(eviction);
    return harness_done();
}
