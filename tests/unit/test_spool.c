/* test_spool.c - the outage spool: batches come back oldest first and
 * whole, survive a reopen (a crash), respect the byte bound (a batch that
 * does not fit is refused whole), and an emptied spool file is removed. */
#include "report/spool.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/harness.h"

static struct spool_chunk chunk(const char *t, const char *data, uint64_t rows)
{
    return (struct spool_chunk){.table = (char *)t, .rows = rows, .days = (char *)"19783",
                                .data = (char *)data, .len = strlen(data)};
}

TEST(order_reopen_bound)
{
    char path[] = "/tmp/trapline-test-spool-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    struct err e = {""};
    struct spool *sp = spool_open(path, 64, &e);
    CHECK(sp != NULL);
    if (!sp)
        return;
    struct spool_chunk a[2] = {chunk("flows", "1\t2\n3\t4\n", 2), chunk("run_end", "1\n", 1)};
    struct spool_chunk b[1] = {chunk("flows", "5\t6\n", 1)};
    CHECK_EQ_INT(spool_put(sp, a, 2, &e), 0);
    CHECK_EQ_INT(spool_put(sp, b, 1, &e), 0);
    CHECK_EQ_INT((long long)spool_batches(sp), 2);
    CHECK_EQ_INT((long long)spool_bytes(sp), 14);
    /* 64-byte bound: a 60-byte batch does not fit, nothing of it is kept */
    char big[61];
    memset(big, 'x', 60);
    big[60] = '\0';
    struct spool_chunk c[1] = {chunk("flows", big, 1)};
    CHECK_EQ_INT(spool_put(sp, c, 1, &e), RC_LIMIT);
    CHECK_EQ_INT((long long)spool_batches(sp), 2);
    spool_close(sp, true); /* not empty: kept */
    CHECK(access(path, F_OK) == 0);

    sp = spool_open(path, 64, &e); /* the next process */
    CHECK(sp != NULL);
    if (!sp)
        return;
    CHECK_EQ_INT((long long)spool_batches(sp), 2);
    struct spool_chunk got[SPOOL_MAX_CHUNKS];
    size_t n = 0;
    int64_t batch = 0;
    CHECK_EQ_INT(spool_oldest(sp, &batch, got, &n, &e), 1);
    CHECK_EQ_INT((long long)n, 2);
    if (n == 2) {
        CHECK_STR(got[0].table, "flows");
        CHECK_STR(got[0].data, "1\t2\n3\t4\n");
        CHECK_EQ_INT((long long)got[0].rows, 2);
        CHECK_STR(got[0].days, "19783");
        CHECK_STR(got[1].table, "run_end");
    }
    spool_chunks_free(got, n);
    /* not dropped yet: the same batch again (replay after a crash) */
    int64_t again = 0;
    CHECK_EQ_INT(spool_oldest(sp, &again, got, &n, &e), 1);
    CHECK_EQ_INT(again, batch);
    spool_chunks_free(got, n);
    CHECK_EQ_INT(spool_drop(sp, batch, &e), 0);
    CHECK_EQ_INT(spool_oldest(sp, &batch, got, &n, &e), 1);
    CHECK_EQ_INT((long long)n, 1);
    if (n == 1)
        CHECK_STR(got[0].data, "5\t6\n");
    spool_chunks_free(got, n);
    CHECK_EQ_INT(spool_drop(sp, batch, &e), 0);
    CHECK_EQ_INT(spool_oldest(sp, &batch, got, &n, &e), 0);
    CHECK_EQ_INT((long long)spool_bytes(sp), 0);
    spool_close(sp, true); /* empty: removed */
    CHECK(access(path, F_OK) != 0);
}

TEST(target)
{
    char path[] = "/tmp/trapline-test-spool-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    struct err e = {""};
    struct spool *sp = spool_open(path, 1024, &e);
    CHECK(sp != NULL);
    if (!sp)
        return;
    CHECK_EQ_INT(spool_target(sp, "cases@/run/pg:5432", &e), 0);
    CHECK_EQ_INT(spool_target(sp, "cases@/run/pg:5432", &e), 0);
    CHECK_EQ_INT(spool_target(sp, "other@db:5432", &e), RC_CONFIG);
    CHECK(strstr(e.msg, "holds batches for cases@/run/pg:5432") != NULL);
    spool_close(sp, true);
    CHECK(access(path, F_OK) != 0);
}

TEST(unwritable)
{
    struct err e = {""};
    CHECK(spool_open("/nonexistent-dir/spool.db", 1024, &e) == NULL);
    CHECK(strstr(e.msg, "cannot create spool") != NULL);
    spool_close(NULL, true);
}

int main(void)
{
    RUN(order_reopen_bound);
    RUN(target);
    RUN(unwritable);
    return harness_done();
}
