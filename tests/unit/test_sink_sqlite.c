/* test_sink_sqlite.c - the sink ops on the SQLite backend: one row per op,
 * visibility (run rows at once, other rows at commit), NULL ops, the sticky
 * error, and injected SQLITE_BUSY, SQLITE_FULL and SQLITE_IOERR.
 *
 * SQLITE_BUSY: a second connection holds the write lock and the store's
 * busy timeout is cut to 1 ms.  SQLITE_FULL: PRAGMA max_page_count.
 * SQLITE_IOERR: a shim VFS, registered as the default, that passes every
 * call to the real one and fails writes while io_fail is set.
 */
#include "report/audit.h"
#include "report/sink_sqlite.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "classify/binding.h"
#include "report/sink.h"
#include "report/store.h"
#include "tests/harness.h"

static char dir[] = "/tmp/trapline-test-sink-XXXXXX";

static void db_path(char *out, size_t n, const char *name)
{
    snprintf(out, n, "%s/%s", dir, name);
}

/* The first column of the first row of sql on a fresh connection to path
 * (so it sees only committed rows), -1 when there is no row, -2 on error. */
static long long count_path(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    long long v = -2;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return v;
}

static const struct sink_run_info run_info = {1700000000000000ull, "analyze", "test",
                                              "trapline test", "00", "4.2", "test-probe", NULL};

static void flow(struct flow_record *r, uint64_t id)
{
    memset(r, 0, sizeof *r);
    r->flow_id = id;
    r->proto = 6;
    snprintf(r->src_ip, sizeof r->src_ip, "10.0.0.1");
    snprintf(r->dst_ip, sizeof r->dst_ip, "192.0.2.1");
    r->src_port = 40000;
    r->dst_port = 443;
    r->first_ts_us = r->last_ts_us = 1700000000000000ull + id;
    r->pkts_c2s = 1;
    snprintf(r->service, sizeof r->service, "unknown");
    snprintf(r->cls, sizeof r->cls, "unknown");
    snprintf(r->method, sizeof r->method, "none");
    snprintf(r->end_reason, sizeof r->end_reason, "fin");
}

static struct sink *open_run(const char *name, char *path, size_t n, int64_t *run)
{
    struct err e = {""};
    db_path(path, n, name);
    struct sink *s = sink_sqlite_open(path, &e);
    CHECK(s != NULL);
    if (!s) {
        fprintf(stderr, "sink_sqlite_open: %s\n", e.msg);
        return NULL;
    }
    CHECK_STR(sink_name(s), "sqlite");
    CHECK_EQ_INT(sink_run_begin(s, &run_info, run, &e), 0);
    return s;
}

TEST(every_op_writes_its_row)
{
    char path[256];
    int64_t run = 0;
    struct err e = {""};
    struct sink *s = open_run("ops.db", path, sizeof path, &run);
    if (!s)
        return;
    /* The run row is visible at once. */
    CHECK_EQ_INT(count_path(path, "SELECT count(*) FROM runs WHERE status = 'running'"), 1);
    struct flow_record r;
    flow(&r, 1);
    CHECK_EQ_INT(sink_flow(s, run, &r, &e), 0);
    struct sms_event sms;
    memset(&sms, 0, sizeof sms);
    sms.flow_id = 1;
    snprintf(sms.protocol, sizeof sms.protocol, "smpp");
    snprintf(sms.operation, sizeof sms.operation, "submit");
    snprintf(sms.originator, sizeof sms.originator, "15551230001");
    sms.originator_ton = sms.originator_npi = sms.recipient_ton = sms.recipient_npi = -1;
    sms.msg_ref = sms.concat_ref = sms.concat_part = sms.concat_total = -1;
    CHECK_EQ_INT(sink_sms_event(s, run, &sms, &e), 0);
    const struct ott_event ott = {1, 1700000000000001ull, 1700000000000002ull, "c2s", 3, 300};
    CHECK_EQ_INT(sink_ott_event(s, run, &ott, &e), 0);
    CHECK_EQ_INT(sink_run_stat(s, run, "packets", 42, &e), 0);
    const struct sink_capture_stats cs = {1700000000000003ull, 10, 1, 0};
    CHECK_EQ_INT(sink_capture_stats(s, run, &cs, &e), 0);
    struct source_input in;
    memset(&in, 0, sizeof in);
    char p[] = "a.pcap";
    in.path = p;
    in.linktype = 1;
    in.packets = 7;
    in.status = INPUT_OK;
    CHECK_EQ_INT(sink_input(s, run, 0, &in, &e), 0);
    /* A subscriber binding: one subscriber_sessions row (open-ended: end NULL). */
    struct sub_binding bd;
    memset(&bd, 0, sizeof bd);
    bd.id = 1;
    bd.src = BIND_SRC_GTPV2;
    bd.flow_id = 1;
    bd.start_us = bd.evidence_us = 1700000000000004ull;
    bd.open = true;
    snprintf(bd.imsi, sizeof bd.imsi, "001010000000001");
    bd.has_v4 = true;
    bd.v4[0] = 10;
    bd.v4[3] = 2;
    binding_add_teid(&bd, 0x2a, false, bd.v4, 4, NULL);
    CHECK_EQ_INT(sink_binding(s, run, &bd, &e), 0);
    /* Batched: nothing is visible before the commit. */
    CHECK_EQ_INT(count_path(path, "SELECT count(*) FROM flows"), 0);
    CHECK_EQ_INT(sink_commit(s, &e), 0);
    /* An audit row is chained and visible at once (it commits, so it comes
     * after the batch check above). */
    struct audit_row ar;
    memset(&ar, 0, sizeof ar);
    ar.ts_utc = 1;
    snprintf(ar.operator_name, sizeof ar.operator_name, "op");
    snprintf(ar.action, sizeof ar.action, "report");
    ar.run_id = run;
    snprintf(ar.detail, sizeof ar.detail, "format=text");
    CHECK_EQ_INT(sink_audit(s, &ar, &e), 0);
    CHECK_EQ_INT((int)ar.seq, 1);
    CHECK_EQ_INT(count_path(path, "SELECT count(*) FROM audit_log WHERE action = 'report'"
                                  " AND prev_hash <> hash"), 1);
    CHECK_EQ_INT(count_path(path, "SELECT count(*) FROM flows WHERE end_reason = 'fin'"), 1);
    CHECK_EQ_INT(count_path(path, "SELECT count(*) FROM sms_events WHERE originator ="
                                  " '15551230001' AND originator_ton IS NULL"), 1);
    CHECK_EQ_INT(count_path(path, "SELECT bytes FROM ott_events"), 300);
    CHECK_EQ_INT(count_path(path, "SELECT value FROM run_stats WHERE name = 'packets'"), 42);
    CHECK_EQ_INT(count_path(path, "SELECT received FROM capture_stats"), 10);
    CHECK_EQ_INT(count_path(path, "SELECT packets FROM inputs WHERE path = 'a.pcap'"), 7);
    CHECK_EQ_INT(count_path(path, "SELECT count(*) FROM subscriber_sessions WHERE imsi ="
                                  " '001010000000001' AND ue_ipv4 = '10.0.0.2' AND end_us IS NULL"
                                  " AND open_ended = 1 AND source = 'gtpv2'"
                                  " AND teids = 'u:0x0000002a@10.0.0.2'"), 1);
    /* A second flow row with the same id replaces the first (interim rows). */
    r.pkts_c2s = 9;
    snprintf(r.end_reason, sizeof r.end_reason, "idle");
    CHECK_EQ_INT(sink_flow(s, run, &r, &e), 0);
    CHECK_EQ_INT(sink_run_end(s, run, 1700000000000009ull, "complete", &e), 0);
    CHECK_EQ_INT(count_path(path, "SELECT pkts_c2s FROM flows WHERE end_reason = 'idle'"), 9);
    CHECK_EQ_INT(count_path(path, "SELECT count(*) FROM runs WHERE status = 'complete'"
                                  " AND finished_utc = 1700000000000009"), 1);
    CHECK_EQ_INT(sink_error(s), 0);
    sink_close(s);
    unlink(path);
}

TEST(busy)
{
    char path[256];
    int64_t run = 0;
    struct err e = {""};
    struct sink *s = open_run("busy.db", path, sizeof path, &run);
    if (!s)
        return;
    CHECK_EQ_INT(store_exec(sink_sqlite_store(s), "PRAGMA busy_timeout = 1", &e), 0);
    sqlite3 *other;
    CHECK_EQ_INT(sqlite3_open(path, &other), SQLITE_OK);
    CHECK_EQ_INT(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    struct flow_record r;
    flow(&r, 1);
    CHECK_EQ_INT(sink_flow(s, run, &r, &e), RC_SQL);
    CHECK(strstr(e.msg, "locked") != NULL);
    /* Sticky, even once the lock is gone. */
    sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(other);
    memset(&e, 0, sizeof e);
    CHECK_EQ_INT(sink_run_stat(s, run, "packets", 1, &e), RC_SQL);
    CHECK(strstr(e.msg, "locked") != NULL);
    CHECK_EQ_INT(sink_error(s), RC_SQL);
    sink_close(s);
    CHECK_EQ_INT(count_path(path, "SELECT count(*) FROM run_stats"), 0);
    unlink(path);
}

TEST(full)
{
    char path[256];
    int64_t run = 0;
    struct err e = {""};
    struct sink *s = open_run("full.db", path, sizeof path, &run);
    if (!s)
        return;
    struct store *st = sink_sqlite_store(s);
    /* One page more than the database has now. */
    long long pages = count_path(path, "PRAGMA page_count");
    CHECK(pages > 0);
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", pages + 1);
    CHECK_EQ_INT(store_exec(st, sql, &e), 0);
    struct flow_record r;
    int rc = 0;
    uint64_t id;
    for (id = 1; id <= 10000 && !rc; id++) {
        flow(&r, id);
        rc = sink_flow(s, run, &r, &e);
    }
    CHECK_EQ_INT(rc, RC_SQL);
    CHECK(strstr(e.msg, "full") != NULL);
    CHECK(id > 2); /* some rows fitted */
    memset(&e, 0, sizeof e);
    CHECK_EQ_INT(sink_commit(s, &e), RC_SQL);
    CHECK(strstr(e.msg, "full") != NULL);
    sink_close(s);
    unlink(path);
}

/* ---- SQLITE_IOERR: a pass-through VFS that can fail writes ---- */

static int io_fail; /* test-only switch: fail every xWrite while set */
static sqlite3_vfs *real_vfs;
static sqlite3_vfs shim_vfs;

struct shim_file {
    sqlite3_file base;
    sqlite3_file *real; /* follows this struct in the same allocation */
};

#define REAL(f) (((struct shim_file *)(f))->real)

static int s_close(sqlite3_file *f)
{
    int rc = REAL(f)->pMethods ? REAL(f)->pMethods->xClose(REAL(f)) : SQLITE_OK;
    return rc;
}
static int s_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o)
{
    return REAL(f)->pMethods->xRead(REAL(f), b, n, o);
}
static int s_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{
    return io_fail ? SQLITE_IOERR_WRITE : REAL(f)->pMethods->xWrite(REAL(f), b, n, o);
}
static int s_truncate(sqlite3_file *f, sqlite3_int64 n)
{
    return REAL(f)->pMethods->xTruncate(REAL(f), n);
}
static int s_sync(sqlite3_file *f, int fl) { return REAL(f)->pMethods->xSync(REAL(f), fl); }
static int s_size(sqlite3_file *f, sqlite3_int64 *n)
{
    return REAL(f)->pMethods->xFileSize(REAL(f), n);
}
static int s_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int s_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int s_reserved(sqlite3_file *f, int *o)
{
    return REAL(f)->pMethods->xCheckReservedLock(REAL(f), o);
}
static int s_fcntl(sqlite3_file *f, int op, void *a)
{
    return REAL(f)->pMethods->xFileControl(REAL(f), op, a);
}
static int s_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int s_devchar(sqlite3_file *f)
{
    return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int s_shmmap(sqlite3_file *f, int i, int sz, int ext, void volatile **p)
{
    return REAL(f)->pMethods->xShmMap(REAL(f), i, sz, ext, p);
}
static int s_shmlock(sqlite3_file *f, int o, int n, int fl)
{
    return REAL(f)->pMethods->xShmLock(REAL(f), o, n, fl);
}
static void s_shmbarrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int s_shmunmap(sqlite3_file *f, int del)
{
    return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static const sqlite3_io_methods shim_io = {
    2, s_close, s_read, s_write, s_truncate, s_sync, s_size, s_lock, s_unlock, s_reserved,
    s_fcntl, s_sector, s_devchar, s_shmmap, s_shmlock, s_shmbarrier, s_shmunmap, NULL, NULL};

static int s_open(sqlite3_vfs *v, const char *name, sqlite3_file *f, int flags, int *out)
{
    (void)v;
    struct shim_file *sf = (struct shim_file *)f;
    sf->real = (sqlite3_file *)(sf + 1);
    int rc = real_vfs->xOpen(real_vfs, name, sf->real, flags, out);
    f->pMethods = sf->real->pMethods ? &shim_io : NULL;
    return rc;
}

static void shim_install(void)
{
    real_vfs = sqlite3_vfs_find(NULL);
    shim_vfs = *real_vfs;
    shim_vfs.zName = "trapline-test-shim";
    shim_vfs.szOsFile = (int)sizeof(struct shim_file) + real_vfs->szOsFile;
    shim_vfs.xOpen = s_open;
    sqlite3_vfs_register(&shim_vfs, 1);
}

TEST(ioerr)
{
    char path[256];
    int64_t run = 0;
    struct err e = {""};
    struct sink *s = open_run("io.db", path, sizeof path, &run);
    if (!s)
        return;
    struct flow_record r;
    flow(&r, 1);
    CHECK_EQ_INT(sink_flow(s, run, &r, &e), 0);
    CHECK_EQ_INT(sink_commit(s, &e), 0);
    flow(&r, 2);
    CHECK_EQ_INT(sink_flow(s, run, &r, &e), 0);
    io_fail = 1;
    CHECK_EQ_INT(sink_commit(s, &e), RC_SQL);
    CHECK(strstr(e.msg, "I/O error") != NULL);
    io_fail = 0;
    /* Sticky after the disk recovered, and the run cannot be ended
     * "complete" over a lost batch. */
    memset(&e, 0, sizeof e);
    CHECK_EQ_INT(sink_flow(s, run, &r, &e), RC_SQL);
    CHECK(strstr(e.msg, "I/O error") != NULL);
    CHECK_EQ_INT(sink_run_end(s, run, 1, "complete", &e), RC_SQL);
    sink_close(s);
    /* What was committed before the error is intact; the failed batch is not there. */
    CHECK_EQ_INT(count_path(path, "SELECT count(*) FROM flows WHERE id = 1"), 1);
    CHECK_EQ_INT(count_path(path, "SELECT count(*) FROM flows WHERE id = 2"), 0);
    CHECK_EQ_INT(count_path(path, "SELECT count(*) FROM runs WHERE status = 'running'"), 1);
    unlink(path);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    shim_install();
    RUN(every_op_writes_its_row);
    RUN(busy);
    RUN(full);
    RUN(ioerr);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return harness_done();
}
