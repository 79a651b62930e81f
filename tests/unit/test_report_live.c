/* test_report_live.c - capture_stats rows (written through the SQLite sink)
 * and the report's capture section. */
#include "report/report_live.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/sink_sqlite.h"
#include "report/store.h"
#include "tests/harness.h"

static char dir[] = "/tmp/trapline-test-live-XXXXXX";

static struct store *open_db(const char *name, char *path, size_t n)
{
    struct err e = {""};
    snprintf(path, n, "%s/%s", dir, name);
    struct store *s = store_open(path, false, &e);
    if (!s)
        fprintf(stderr, "store_open: %s\n", e.msg);
    return s;
}

static int64_t begin(struct store *s, const char *mode)
{
    struct err e = {""};
    struct store_run_info ri = {1700000000000000ull, mode, "t", "trapline test", "00", "4.2", NULL};
    int64_t id = 0;
    CHECK_EQ_INT(store_run_begin(s, &ri, &id, &e), 0);
    return id;
}

/* Writes the whole report of s into buf. */
static void report(struct store *s, char *buf, size_t n, int (*fn)(struct store *, FILE *,
                                                                  struct err *))
{
    struct err e = {""};
    memset(buf, 0, n);
    FILE *f = fmemopen(buf, n, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    CHECK_EQ_INT(fn(s, f, &e), 0);
    fclose(f);
}

TEST(samples_and_section)
{
    char path[256], buf[8192];
    struct err e = {""};
    struct store *s = open_db("a.db", path, sizeof path);
    CHECK(s != NULL);
    if (!s)
        return;
    int64_t run = begin(s, "live");
    struct sink *k = sink_sqlite_wrap(s, &e);
    CHECK(k != NULL);
    if (!k)
        return;
    const struct sink_capture_stats a = {1700000001000000ull, 100, 0, 0};
    const struct sink_capture_stats b = {1700000006000000ull, 200, 5, 1};
    CHECK_EQ_INT(sink_capture_stats(k, run, &a, &e), 0);
    CHECK_EQ_INT(sink_capture_stats(k, run, &b, &e), 0);
    CHECK_EQ_INT(sink_commit(k, &e), 0);
    report(s, buf, sizeof buf, report_live_capture_stats);
    CHECK(strstr(buf, "Capture statistics") != NULL);
    CHECK(strstr(buf, "run 1: 200 received, 5 dropped (2.500%), 1 dropped by the interface;"
                      " 2 samples, last 2023-11-14T22:13:26.000000Z") != NULL);
    /* `trapline report` (text) appends this section: tests/suites/live.sh. */
    sink_close(k);
    unlink(path);
}

TEST(no_samples_no_section)
{
    char path[256], buf[8192];
    struct store *s = open_db("b.db", path, sizeof path);
    CHECK(s != NULL);
    if (!s)
        return;
    begin(s, "analyze");
    report(s, buf, sizeof buf, report_live_capture_stats);
    CHECK(strstr(buf, "Capture statistics") == NULL);
    store_close(s);
    unlink(path);
}

TEST(sticky_error_on_missing_table)
{
    /* Without the table the insert fails, the error names the table, and
     * it is sticky: the next write returns it without reaching SQLite. */
    char path[256];
    struct err e = {""};
    struct store *s = open_db("c.db", path, sizeof path);
    CHECK(s != NULL);
    if (!s)
        return;
    int64_t run = begin(s, "live");
    CHECK_EQ_INT(store_exec(s, "DROP TABLE capture_stats", &e), 0);
    struct sink *k = sink_sqlite_wrap(s, &e);
    CHECK(k != NULL);
    if (!k)
        return;
    const struct sink_capture_stats a = {1, 1, 0, 0};
    CHECK(sink_capture_stats(k, run, &a, &e) == RC_SQL);
    CHECK(strstr(e.msg, "capture_stats") != NULL);
    memset(&e, 0, sizeof e);
    CHECK(sink_run_stat(k, run, "x", 1, &e) == RC_SQL);
    CHECK(strstr(e.msg, "capture_stats") != NULL);
    CHECK(sink_error(k) == RC_SQL);
    sink_close(k);
    unlink(path);
}

TEST(old_schema_without_table)
{
    /* A database from before migration 2: the section is silently empty. */
    char path[256], buf[8192];
    struct store *s = open_db("d.db", path, sizeof path);
    CHECK(s != NULL);
    if (!s)
        return;
    struct err e = {""};
    CHECK_EQ_INT(store_exec(s, "DROP TABLE capture_stats", &e), 0);
    report(s, buf, sizeof buf, report_live_capture_stats);
    CHECK_STR(buf, "");
    store_close(s);
    unlink(path);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    RUN(samples_and_section);
    RUN(no_samples_no_section);
    RUN(sticky_error_on_missing_table);
    RUN(old_schema_without_table);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return harness_done();
}
