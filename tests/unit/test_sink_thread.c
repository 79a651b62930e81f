/* test_sink_thread.c - the writer-thread decorator (report/sink_thread.h):
 * the inner sink sees exactly the calls made, in the same order, whatever
 * the ring's fill level (more rows than ring slots, barriers in between);
 * an error of a queued write is sticky and comes back from the next call
 * and from commit; run_end still reaches the inner sink after an error; the
 * decorator wraps a real SQLite sink and the rows are the same as without it.
 */
#include "report/sink_thread.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "classify/binding.h"
#include "report/sink.h"
#include "report/sink_sqlite.h"
#include "report/store.h"
#include "tests/harness.h"

/* A recording backend: one log entry per call ("F<id>", "S<name>", "C", ...). */
#define LOG_MAX 20000
struct rec {
    char log[LOG_MAX][24];
    size_t n;
    uint64_t fail_flow; /* flow id whose write fails, 0 = none */
    int closed;
    pthread_t caller;        /* the thread that makes the calls */
    unsigned binding_here;   /* bindings the inner sink got on that thread */
};

static void logf_(struct rec *r, char tag, unsigned long long v)
{
    if (r->n < LOG_MAX)
        snprintf(r->log[r->n++], sizeof r->log[0], "%c%llu", tag, v);
}

static int r_run_begin(struct sink *s, const struct sink_run_info *ri, int64_t *run_id,
                       struct err *e)
{
    (void)ri;
    (void)e;
    logf_(sink_impl(s), 'B', 0);
    *run_id = 7;
    return 0;
}

static int r_flow(struct sink *s, int64_t run_id, const struct flow_record *fr, struct err *e)
{
    struct rec *r = sink_impl(s);
    if (run_id != 7)
        return err_set(e, RC_SQL, "wrong run id");
    if (r->fail_flow && fr->flow_id == r->fail_flow)
        return err_set(e, RC_SQL, "disk on fire at flow %llu", (unsigned long long)fr->flow_id);
    logf_(r, 'F', fr->flow_id);
    return 0;
}

static int r_ott(struct sink *s, int64_t run_id, const struct ott_event *ev, struct err *e)
{
    (void)run_id;
    (void)e;
    logf_(sink_impl(s), 'O', ev->flow_id);
    return 0;
}

static int r_sms(struct sink *s, int64_t run_id, const struct sms_event *ev, struct err *e)
{
    (void)run_id;
    (void)e;
    logf_(sink_impl(s), 'M', ev->flow_id);
    return 0;
}

static int r_binding(struct sink *s, int64_t run_id, const struct sub_binding *b,
                     struct err *e)
{
    (void)run_id;
    (void)e;
    struct rec *r = sink_impl(s);
    r->binding_here += pthread_equal(pthread_self(), r->caller) != 0;
    if (r->n < LOG_MAX)
        snprintf(r->log[r->n++], sizeof r->log[0], "N%u:%.8s", b->id, b->imsi);
    return 0;
}

static int r_stat(struct sink *s, int64_t run_id, const char *name, uint64_t value,
                  struct err *e)
{
    (void)run_id;
    (void)e;
    struct rec *r = sink_impl(s);
    if (r->n < LOG_MAX)
        snprintf(r->log[r->n++], sizeof r->log[0], "S%.12s=%llu", name,
                 (unsigned long long)value);
    return 0;
}

static int r_commit(struct sink *s, struct err *e)
{
    (void)e;
    logf_(sink_impl(s), 'C', 0);
    return 0;
}

static int r_run_end(struct sink *s, int64_t run_id, uint64_t finished_us, const char *status,
                     struct err *e)
{
    (void)run_id;
    (void)finished_us;
    (void)e;
    struct rec *r = sink_impl(s);
    if (r->n < LOG_MAX)
        snprintf(r->log[r->n++], sizeof r->log[0], "E%s", status);
    return 0;
}

static void r_close(struct sink *s) { ((struct rec *)sink_impl(s))->closed++; }

static const struct sink_ops rec_ops = {
    .name = "rec",
    .run_begin = r_run_begin,
    .flow = r_flow,
    .sms_event = r_sms,
    .ott_event = r_ott,
    .binding = r_binding,
    .run_stat = r_stat,
    .commit = r_commit,
    .run_end = r_run_end,
    .close = r_close,
};

static const struct sink_run_info run_info = {
    .started_us = 1700000000000000ull, .mode = "analyze", .tool_version = "test",
    .command_line = "trapline test", .signature_sha256 = "00", .ndpi_version = "4.2"};

/* The same call sequence on a sink: flows with events between, commits. */
static int drive(struct sink *s, unsigned nflows, struct err *e)
{
    int64_t run = 0;
    int rc = sink_run_begin(s, &run_info, &run, e);
    for (unsigned i = 1; !rc && i <= nflows; i++) {
        struct flow_record fr;
        memset(&fr, 0, sizeof fr);
        fr.flow_id = i;
        rc = sink_flow(s, run, &fr, e);
        if (!rc && i % 7 == 0) {
            struct ott_event oe = {.flow_id = i};
            rc = sink_ott_event(s, run, &oe, e);
        }
        if (!rc && i % 11 == 0) {
            struct sms_event se;
            memset(&se, 0, sizeof se);
            se.flow_id = i;
            rc = sink_sms_event(s, run, &se, e);
        }
        if (!rc && i % 13 == 0) {
            struct sub_binding b;
            memset(&b, 0, sizeof b);
            b.id = i;
            snprintf(b.imsi, sizeof b.imsi, "%015u", i);
            rc = sink_binding(s, run, &b, e);
        }
        if (!rc && i % 1500 == 0)
            rc = sink_commit(s, e);
    }
    if (!rc)
        rc = sink_run_stat(s, run, "packets", nflows, e);
    if (!rc)
        rc = sink_commit(s, e);
    int end = sink_run_end(s, run, 1, rc ? "failed" : "complete", e);
    return rc ? rc : end;
}

TEST(same_calls_same_order)
{
    static struct rec direct, threaded;
    struct err e = {""};
    memset(&direct, 0, sizeof direct);
    memset(&threaded, 0, sizeof threaded);
    direct.caller = threaded.caller = pthread_self();
    struct sink *d = sink_new(&rec_ops, &direct, &e);
    struct sink *in = sink_new(&rec_ops, &threaded, &e);
    CHECK(d && in);
    struct sink *t = sink_thread_wrap(in, &e);
    CHECK(t != NULL);
    CHECK(sink_thread_inner(t) == in);
    CHECK(sink_thread_inner(d) == NULL);
    /* More rows than ring slots, so the producer waits for room. */
    unsigned n = 4 * SINK_THREAD_RING_SLOTS + 3;
    CHECK_EQ_INT(drive(d, n, &e), 0);
    CHECK_EQ_INT(drive(t, n, &e), 0);
    sink_close(d);
    sink_close(t);
    CHECK_EQ_INT(threaded.closed, 1);
    CHECK_EQ_INT((int)threaded.n, (int)direct.n);
    size_t diff = 0;
    for (size_t i = 0; i < direct.n && i < threaded.n; i++)
        diff += strcmp(direct.log[i], threaded.log[i]) != 0;
    CHECK_EQ_INT((int)diff, 0);
    CHECK(direct.n > n);
    /* Bindings are queued like rows: the inner sink gets them on the writer
     * thread (they were barriers, written on the caller's thread). */
    CHECK_EQ_INT((int)direct.binding_here, (int)(n / 13));
    CHECK_EQ_INT((int)threaded.binding_here, 0);
}

TEST(error_is_sticky_and_run_end_still_runs)
{
    static struct rec r;
    struct err e = {""};
    memset(&r, 0, sizeof r);
    r.fail_flow = 100;
    struct sink *t = sink_thread_wrap(sink_new(&rec_ops, &r, &e), &e);
    CHECK(t != NULL);
    int rc = drive(t, 3000, &e);
    CHECK_EQ_INT(rc, RC_SQL);
    CHECK(strstr(e.msg, "disk on fire at flow 100") != NULL);
    CHECK_EQ_INT(sink_error(t), RC_SQL);
    /* Every later write returns the same error without reaching the backend. */
    struct flow_record fr;
    memset(&fr, 0, sizeof fr);
    fr.flow_id = 5000;
    struct err e2 = {""};
    CHECK_EQ_INT(sink_flow(t, 7, &fr, &e2), RC_SQL);
    CHECK(strstr(e2.msg, "flow 100") != NULL);
    CHECK_EQ_INT(sink_commit(t, NULL), RC_SQL);
    sink_close(t);
    /* Flows 1..99 were written, nothing after 100; run_end "failed" was recorded. */
    size_t flows = 0;
    for (size_t i = 0; i < r.n; i++) {
        if (r.log[i][0] == 'F') {
            flows++;
            CHECK(strtoull(r.log[i] + 1, NULL, 10) < 100);
        }
    }
    CHECK_EQ_INT((int)flows, 99);
    CHECK(r.n > 0 && strcmp(r.log[r.n - 1], "Efailed") == 0);
    CHECK_EQ_INT(r.closed, 1);
}

/* Committed rows of a SQLite database, in a canonical text (id order). */
static void db_rows(const char *path, char *out, size_t cap)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    size_t n = 0;
    out[0] = '\0';
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return;
    const char *sql = "SELECT 'f', id, src_ip, pkts_c2s FROM flows UNION ALL"
                      " SELECT 'o', flow_id, direction, packets FROM ott_events UNION ALL"
                      " SELECT 's', 0, name, value FROM run_stats ORDER BY 1, 2, 3";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        while (sqlite3_step(st) == SQLITE_ROW && n + 80 < cap)
            n += (size_t)snprintf(out + n, cap - n, "%s|%lld|%s|%lld\n",
                                  (const char *)sqlite3_column_text(st, 0),
                                  sqlite3_column_int64(st, 1),
                                  (const char *)sqlite3_column_text(st, 2),
                                  sqlite3_column_int64(st, 3));
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
}

static void write_db(struct sink *s)
{
    struct err e = {""};
    int64_t run = 0;
    CHECK_EQ_INT(sink_run_begin(s, &run_info, &run, &e), 0);
    for (unsigned i = 1; i <= 3000; i++) {
        struct flow_record fr;
        memset(&fr, 0, sizeof fr);
        fr.flow_id = i;
        fr.proto = 17;
        snprintf(fr.src_ip, sizeof fr.src_ip, "10.0.%u.%u", i / 256, i % 256);
        snprintf(fr.dst_ip, sizeof fr.dst_ip, "192.0.2.1");
        fr.pkts_c2s = i * 3;
        snprintf(fr.end_reason, sizeof fr.end_reason, "idle");
        CHECK_EQ_INT(sink_flow(s, run, &fr, &e), 0);
        if (i % 10 == 0) {
            struct ott_event oe = {.flow_id = i, .ts_us = i, .end_ts_us = i + 1, .packets = i};
            snprintf(oe.direction, sizeof oe.direction, "c2s");
            CHECK_EQ_INT(sink_ott_event(s, run, &oe, &e), 0);
        }
    }
    CHECK_EQ_INT(sink_run_stat(s, run, "packets", 9000, &e), 0);
    CHECK_EQ_INT(sink_run_end(s, run, 2, "complete", &e), 0);
}

TEST(sqlite_rows_equal)
{
    char dir[] = "/tmp/trapline-test-sthread-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char p1[128], p2[128];
    snprintf(p1, sizeof p1, "%s/direct.db", dir);
    snprintf(p2, sizeof p2, "%s/thread.db", dir);
    struct err e = {""};
    struct sink *d = sink_sqlite_open(p1, &e);
    CHECK(d != NULL);
    if (d) {
        write_db(d);
        sink_close(d);
    }
    struct sink *t = sink_thread_wrap(sink_sqlite_open(p2, &e), &e);
    CHECK(t != NULL);
    if (t) {
        write_db(t);
        sink_close(t);
    }
    static char a[400000], b[400000];
    db_rows(p1, a, sizeof a);
    db_rows(p2, b, sizeof b);
    CHECK(strlen(a) > 3000 * 10);
    CHECK_STR(a, b);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
}

int main(void)
{
    RUN(same_calls_same_order);
    RUN(error_is_sticky_and_run_end_still_runs);
    RUN(sqlite_rows_equal);
    return harness_done();
}
