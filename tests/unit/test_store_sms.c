/* test_store_sms.c - sms_events rows and the report's contact records. */
#include "report/store_sms.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "capture/str.h"
#include "classify/sms_addr.h"
#include "report/report_model.h"
#include "report/report_text.h"
#include "tests/harness.h"

static void ev_make(struct sms_event *ev, const char *op, const char *o, const char *r,
                    uint64_t ts)
{
    sms_addr_event_init(ev, "smpp", ts);
    ev->flow_id = 3;
    str_copy(ev->operation, sizeof ev->operation, op);
    str_copy(ev->originator, sizeof ev->originator, o);
    str_copy(ev->recipient, sizeof ev->recipient, r);
    ev->content_present = true;
}

TEST(rows_and_report)
{
    char path[] = "/tmp/trapline-test-sms-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    struct err e;
    struct store *s = store_open(path, false, &e);
    CHECK(s != NULL);
    if (!s)
        return;
    struct store_run_info ri = {1, "analyze", "test", "test", "0", "4.2", NULL};
    int64_t run;
    CHECK_EQ_INT(store_run_begin(s, &ri, &run, &e), 0);
    struct sms_event ev;
    ev_make(&ev, "bind_transceiver", "", "", 10);
    CHECK_EQ_INT(store_sms_event(s, run, &ev, &e), 0);
    ev_make(&ev, "submit", "15551230001", "15551230002", 20);
    CHECK_EQ_INT(store_sms_event(s, run, &ev, &e), 0);
    ev_make(&ev, "submit", "15551230001", "15551230002", 30);
    str_copy(ev.status, sizeof ev.status, "0x00000000");
    CHECK_EQ_INT(store_sms_event(s, run, &ev, &e), 0);
    CHECK_EQ_INT(store_commit(s, &e), 0);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(store_db(s),
                       "SELECT COUNT(*), SUM(msg_ref IS NULL), SUM(content_present) FROM sms_events",
                       -1, &st, NULL);
    CHECK_EQ_INT(sqlite3_step(st), SQLITE_ROW);
    CHECK_EQ_INT(sqlite3_column_int(st, 0), 3);
    CHECK_EQ_INT(sqlite3_column_int(st, 1), 3); /* -1 = absent is stored as NULL */
    CHECK_EQ_INT(sqlite3_column_int(st, 2), 3);
    sqlite3_finalize(st);
    char *buf = NULL;
    size_t n = 0;
    FILE *out = open_memstream(&buf, &n);
    struct rm_filter f = {0};
    struct report_model *m = report_model_build(s, &f, 0, "test", &e);
    CHECK(m != NULL);
    if (m)
        CHECK_EQ_INT(report_text(m, out, &e), 0);
    report_model_free(m);
    fclose(out);
    CHECK(strstr(buf, "SMS contact records") != NULL);
    CHECK(strstr(buf, "15551230001") != NULL);
    CHECK(strstr(buf, "bind_transceiver") == NULL); /* binds are not contacts */
    free(buf);
    store_close(s);
    unlink(path);
    char wal[64];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    unlink(wal);
}

int main(void)
{
    RUN(rows_and_report);
    return harness_done();
}
