/* test_store.c - the SQLite store (report/store.c, report/schema.c). */
#include "report/store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report/schema.h"
#include "report/store_audit.h"
#include "tests/harness.h"

static char tmpdir[64];

static void db_path(char out[256], const char *name)
{
    snprintf(out, 256, "%s/%s", tmpdir, name);
}

static int64_t count(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    int64_t v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -2;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int64_t count_path(const char *path, const char *sql)
{
    sqlite3 *db;
    int64_t v = -3;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK)
        v = count(db, sql);
    sqlite3_close(db);
    return v;
}

static const struct store_run_info run_info = {
    .started_us = 1, .mode = "analyze", .tool_version = "test", .command_line = "test",
    .signature_sha256 = "00", .ndpi_version = "4.2"};

static void rec(struct flow_record *r, uint64_t id, uint64_t pkts)
{
    memset(r, 0, sizeof *r);
    r->flow_id = id;
    r->proto = 17;
    snprintf(r->src_ip, sizeof r->src_ip, "192.0.2.1");
    snprintf(r->dst_ip, sizeof r->dst_ip, "198.51.100.2");
    r->src_port = 1000;
    r->dst_port = 53;
    r->first_ts_us = 10;
    r->last_ts_us = 20;
    r->pkts_c2s = pkts;
    r->bytes_c2s = pkts * 100;
    snprintf(r->ndpi_proto, sizeof r->ndpi_proto, "DNS");
    snprintf(r->service, sizeof r->service, "DNS");
    snprintf(r->cls, sizeof r->cls, "other");
    snprintf(r->method, sizeof r->method, "ndpi");
    snprintf(r->end_reason, sizeof r->end_reason, "idle");
}

TEST(create_migrate_reopen)
{
    char p[256];
    db_path(p, "a.db");
    struct err e = {""};
    struct store *s = store_open(p, false, &e);
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK_EQ_INT(store_schema_version(s), (int)schema_count());
    CHECK_EQ_INT(count(store_db(s), "SELECT count(*) FROM sqlite_master WHERE name='flows'"), 1);
    CHECK_EQ_INT(count(store_db(s), "SELECT count(*) FROM pragma_journal_mode WHERE journal_mode='wal'"), 1);
    store_close(s);
    struct stat st;
    CHECK(stat(p, &st) == 0 && (st.st_mode & 0777) == 0600);
    /* Reopening migrates nothing and fails nothing. */
    s = store_open(p, false, &e);
    CHECK(s != NULL);
    CHECK_EQ_INT(store_schema_version(s), (int)schema_count());
    store_close(s);
    s = store_open(p, true, &e);
    CHECK(s != NULL);
    CHECK_EQ_INT(store_schema_version(s), (int)schema_count());
    store_close(s);
    store_close(NULL);
}

TEST(migrations_are_valid_sql)
{
    CHECK(schema_count() >= 1);
    for (size_t k = 1; k <= schema_count(); k++)
        CHECK(sqlite3_complete(schema_migration(k)));
    CHECK_STR(schema_migration(0), "");
    CHECK_STR(schema_migration(schema_count() + 1), "");
}

TEST(readonly_refusals)
{
    char p[256];
    struct err e = {""};
    db_path(p, "missing.db");
    CHECK(store_open(p, true, &e) == NULL);
    CHECK(access(p, F_OK) != 0); /* a read-only open never creates */
    /* An SQLite file with no schema. */
    db_path(p, "empty.db");
    sqlite3 *db;
    sqlite3_open(p, &db);
    sqlite3_exec(db, "CREATE TABLE x(y)", NULL, NULL, NULL);
    sqlite3_close(db);
    CHECK(store_open(p, true, &e) == NULL);
    CHECK(strstr(e.msg, "not a trapline database") != NULL);
    /* A schema newer than this build, read-only and read-write. */
    db_path(p, "newer.db");
    sqlite3_open(p, &db);
    sqlite3_exec(db, "PRAGMA user_version = 999", NULL, NULL, NULL);
    sqlite3_close(db);
    CHECK(store_open(p, true, &e) == NULL);
    CHECK(strstr(e.msg, "newer") != NULL);
    CHECK(store_open(p, false, &e) == NULL);
    CHECK(strstr(e.msg, "newer") != NULL);
    /* Not a database at all. */
    db_path(p, "garbage.db");
    FILE *fp = fopen(p, "wb");
    fputs("this is not an SQLite database, just some bytes that are long enough", fp);
    fclose(fp);
    CHECK(store_open(p, true, &e) == NULL);
    CHECK(store_open(p, false, &e) == NULL);
    /* A path in a missing directory. */
    CHECK(store_open("/nonexistent/dir/x.db", false, &e) == NULL);
    CHECK(strstr(e.msg, "cannot create") != NULL);
}

TEST(readonly_cannot_write)
{
    char p[256];
    struct err e = {""};
    db_path(p, "ro.db");
    struct store *s = store_open(p, false, &e);
    store_close(s);
    s = store_open(p, true, &e);
    CHECK(s != NULL);
    if (!s)
        return;
    int64_t run = 0;
    CHECK(store_run_begin(s, &run_info, &run, &e) != 0);
    struct flow_record r;
    rec(&r, 1, 1);
    CHECK(store_flow(s, 1, &r, &e) != 0);
    CHECK(store_run_stat(s, 1, "x", 1, &e) != 0);
    CHECK(strstr(e.msg, "read-only") != NULL);
    store_close(s);
    CHECK_EQ_INT(count_path(p, "SELECT count(*) FROM runs"), 0);
    CHECK_EQ_INT(count_path(p, "SELECT count(*) FROM flows"), 0);
}

TEST(run_input_flow_roundtrip_and_upsert)
{
    char p[256];
    struct err e = {""};
    db_path(p, "rt.db");
    struct store *s = store_open(p, false, &e);
    CHECK(s != NULL);
    if (!s)
        return;
    int64_t run = 0;
    CHECK_EQ_INT(store_run_begin(s, &run_info, &run, &e), 0);
    CHECK(run > 0);
    /* The run row is committed at once. */
    CHECK_EQ_INT(count_path(p, "SELECT count(*) FROM runs WHERE status='running'"), 1);
    struct source_input in;
    memset(&in, 0, sizeof in);
    char path[] = "x.pcap";
    in.path = path;
    in.size = 1234;
    in.linktype = 1;
    in.packets = 5;
    in.first_ts_us = 100;
    in.last_ts_us = 200;
    in.status = INPUT_PARTIAL;
    snprintf(in.detail, sizeof in.detail, "read error at byte 99");
    in.sha_done = true;
    memset(in.sha256, 0xab, 32);
    CHECK_EQ_INT(store_input(s, run, 0, &in, &e), 0);
    struct flow_record r;
    rec(&r, 7, 3);
    CHECK_EQ_INT(store_flow(s, run, &r, &e), 0);
    /* The same flow again (interim then final): one row, latest counters. */
    rec(&r, 7, 9);
    snprintf(r.end_reason, sizeof r.end_reason, "fin");
    r.tunnel_teid = 0x100;
    CHECK_EQ_INT(store_flow(s, run, &r, &e), 0);
    CHECK_EQ_INT(store_run_stat(s, run, "packets", 42, &e), 0);
    CHECK_EQ_INT(store_run_stat(s, run, "packets", 43, &e), 0);
    CHECK_EQ_INT(store_run_finish(s, run, 2, "partial", &e), 0);
    sqlite3 *db = store_db(s);
    CHECK_EQ_INT(count(db, "SELECT count(*) FROM flows"), 1);
    CHECK_EQ_INT(count(db, "SELECT pkts_c2s FROM flows WHERE id=7"), 9);
    CHECK_EQ_INT(count(db, "SELECT bytes_c2s FROM flows WHERE id=7"), 900);
    CHECK_EQ_INT(count(db, "SELECT end_reason='fin' FROM flows WHERE id=7"), 1);
    CHECK_EQ_INT(count(db, "SELECT tunnel_teid FROM flows WHERE id=7"), 0x100);
    CHECK_EQ_INT(count(db, "SELECT tunnel_teid_s2c FROM flows WHERE id=7"), 0);
    CHECK_EQ_INT(count(db, "SELECT value FROM run_stats WHERE name='packets'"), 43);
    CHECK_EQ_INT(count(db, "SELECT count(*) FROM inputs WHERE status='partial' AND link_type='EN10MB'"
                           " AND sha256 = 'abababababababababababababababababababababababababababababababab'"
                           " AND detail LIKE '%byte 99' AND bytes=1234 AND packets=5"), 1);
    CHECK_EQ_INT(count(db, "SELECT count(*) FROM runs WHERE status='partial' AND finished_utc=2"), 1);
    /* An untunnelled flow stores NULL TEIDs. */
    rec(&r, 8, 1);
    CHECK_EQ_INT(store_flow(s, run, &r, &e), 0);
    CHECK_EQ_INT(count(db, "SELECT count(*) FROM flows WHERE id=8 AND tunnel_teid IS NULL"), 1);
    store_close(s);
    CHECK_EQ_INT(count_path(p, "SELECT count(*) FROM flows"), 2);
}

TEST(batch_commit)
{
    char p[256];
    struct err e = {""};
    db_path(p, "batch.db");
    struct store *s = store_open(p, false, &e);
    int64_t run = 0;
    CHECK_EQ_INT(store_run_begin(s, &run_info, &run, &e), 0);
    struct flow_record r;
    for (uint64_t i = 1; i < STORE_BATCH_ROWS; i++) {
        rec(&r, i, 1);
        store_flow(s, run, &r, &e);
    }
    /* Not yet committed: another connection sees nothing. */
    CHECK_EQ_INT(count_path(p, "SELECT count(*) FROM flows"), 0);
    rec(&r, STORE_BATCH_ROWS, 1);
    CHECK_EQ_INT(store_flow(s, run, &r, &e), 0);
    /* The batch limit committed the transaction. */
    CHECK_EQ_INT(count_path(p, "SELECT count(*) FROM flows"), STORE_BATCH_ROWS);
    rec(&r, STORE_BATCH_ROWS + 1, 1);
    CHECK_EQ_INT(store_flow(s, run, &r, &e), 0);
    CHECK_EQ_INT(count_path(p, "SELECT count(*) FROM flows"), STORE_BATCH_ROWS);
    CHECK_EQ_INT(store_commit(s, &e), 0);
    CHECK_EQ_INT(count_path(p, "SELECT count(*) FROM flows"), STORE_BATCH_ROWS + 1);
    CHECK_EQ_INT(store_commit(s, &e), 0); /* nothing open: a no-op */
    store_close(s);
}

/* Writes flows until the store fails; returns the failing call's code. */
static int fill_until_error(struct store *s, int64_t run, struct err *e, uint64_t *written)
{
    struct flow_record r;
    for (uint64_t i = 1; i <= 200000; i++) {
        rec(&r, i, 1);
        int rc = store_flow(s, run, &r, e);
        if (rc == 0 && (i % 50) == 0)
            rc = store_commit(s, e);
        if (rc) {
            *written = i;
            return rc;
        }
    }
    return 0;
}

TEST(sticky_error_disk_full)
{
    char p[256];
    struct err e = {""};
    db_path(p, "full.db");
    struct store *s = store_open(p, false, &e);
    int64_t run = 0;
    CHECK_EQ_INT(store_run_begin(s, &run_info, &run, &e), 0);
    /* A disk-full simulation: the database may not grow past a few pages. */
    int64_t pages = count(store_db(s), "PRAGMA page_count");
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", (long long)pages + 4);
    CHECK_EQ_INT(store_exec(s, sql, &e), 0);
    uint64_t n = 0;
    int rc = fill_until_error(s, run, &e, &n);
    CHECK_EQ_INT(rc, RC_SQL);
    CHECK(n > 1);
    CHECK(strstr(e.msg, "full") != NULL);
    char first[ERR_MSG_MAX];
    snprintf(first, sizeof first, "%s", e.msg);
    /* Sticky: every later write returns the first error, even ones that
     * would fit, and commit does too. */
    struct err e2 = {""};
    struct flow_record r;
    rec(&r, 1, 1);
    CHECK_EQ_INT(store_flow(s, run, &r, &e2), RC_SQL);
    CHECK_STR(e2.msg, first);
    CHECK_EQ_INT(store_run_stat(s, run, "x", 1, &e2), RC_SQL);
    CHECK_EQ_INT(store_commit(s, &e2), RC_SQL);
    CHECK_EQ_INT(store_run_finish(s, run, 3, "failed", &e2), RC_SQL);
    CHECK_STR(e2.msg, first);
    store_close(s);
    /* What was committed before the fault is intact. */
    CHECK(count_path(p, "SELECT count(*) FROM flows") >= 50);
    CHECK_EQ_INT(count_path(p, "SELECT count(*) FROM pragma_integrity_check"
                               " WHERE integrity_check = 'ok'"), 1);
}

TEST(sticky_error_readonly_database)
{
    char p[256];
    struct err e = {""};
    db_path(p, "madero.db");
    struct store *s = store_open(p, false, &e);
    int64_t run = 0;
    CHECK_EQ_INT(store_run_begin(s, &run_info, &run, &e), 0);
    struct flow_record r;
    rec(&r, 1, 1);
    CHECK_EQ_INT(store_flow(s, run, &r, &e), 0);
    CHECK_EQ_INT(store_commit(s, &e), 0);
    /* The database becomes read-only under the writer (chmod would not stop
     * root, so the connection is switched to query-only). */
    CHECK_EQ_INT(store_exec(s, "PRAGMA query_only = 1", &e), 0);
    rec(&r, 2, 1);
    int rc = store_flow(s, run, &r, &e);
    if (rc == 0)
        rc = store_commit(s, &e);
    CHECK_EQ_INT(rc, RC_SQL);
    CHECK(strstr(e.msg, "database ") != NULL);
    CHECK(strstr(e.msg, p) != NULL); /* issue 17 item 8: the message names the file */
    char first[ERR_MSG_MAX];
    snprintf(first, sizeof first, "%s", e.msg);
    CHECK_EQ_INT(store_exec(s, "PRAGMA query_only = 0", &e), 0);
    rec(&r, 3, 1);
    struct err e2 = {""};
    CHECK_EQ_INT(store_flow(s, run, &r, &e2), RC_SQL);
    CHECK_STR(e2.msg, first);
    store_close(s);
    CHECK_EQ_INT(count_path(p, "SELECT count(*) FROM flows"), 1);
}

TEST(sticky_error_busy)
{
    char p[256];
    struct err e = {""};
    db_path(p, "busy.db");
    struct store *s = store_open(p, false, &e);
    int64_t run = 0;
    CHECK_EQ_INT(store_run_begin(s, &run_info, &run, &e), 0);
    /* Another writer holds the write lock; do not wait for it. */
    CHECK_EQ_INT(store_exec(s, "PRAGMA busy_timeout = 0", &e), 0);
    sqlite3 *other;
    CHECK_EQ_INT(sqlite3_open(p, &other), SQLITE_OK);
    CHECK_EQ_INT(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    struct flow_record r;
    rec(&r, 1, 1);
    CHECK_EQ_INT(store_flow(s, run, &r, &e), RC_SQL);
    CHECK(strstr(e.msg, "locked") != NULL);
    /* Sticky even once the other writer is gone. */
    sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(other);
    struct err e2 = {""};
    CHECK_EQ_INT(store_flow(s, run, &r, &e2), RC_SQL);
    CHECK_STR(e2.msg, e.msg);
    store_close(s);
    CHECK_EQ_INT(count_path(p, "SELECT count(*) FROM flows"), 0);
}

/* Issue 17 item 1: N processes creating the same new database at once all
 * succeed (before the fix, "table runs already exists" in most tries). */
TEST(concurrent_create)
{
    enum { PROCS = 6, ROUNDS = 8 };
    for (int round = 0; round < ROUNDS; round++) {
        char p[256];
        snprintf(p, sizeof p, "%s/race%d.db", tmpdir, round);
        pid_t kids[PROCS];
        for (int k = 0; k < PROCS; k++) {
            kids[k] = fork();
            if (kids[k] == 0) {
                struct err e = {""};
                struct store *s = store_open(p, false, &e);
                int64_t run = 0;
                int rc = !s || store_run_begin(s, &run_info, &run, &e) ||
                         store_run_finish(s, run, 2, "complete", &e);
                if (rc)
                    fprintf(stderr, "child: %s\n", e.msg);
                store_close(s);
                _exit(rc);
            }
        }
        int ok = 0;
        for (int k = 0; k < PROCS; k++) {
            int status = 0;
            waitpid(kids[k], &status, 0);
            ok += WIFEXITED(status) && WEXITSTATUS(status) == 0;
        }
        CHECK_EQ_INT(ok, PROCS);
        CHECK_EQ_INT(count_path(p, "SELECT count(*) FROM runs WHERE status='complete'"), PROCS);
    }
}

/* Issue 17 item 2: a run whose process died is found by its lock on the next
 * open and marked interrupted, with its rows and its 'reading' inputs; a run
 * whose process lives is left alone. */
/* The schema's index definitions, one text (name and SQL of each index). */
static void index_sql(const char *path, char *out, size_t cap)
{
    sqlite3 *db;
    out[0] = '\0';
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db,
                               "SELECT group_concat(name || ':' || sql, ';') FROM (SELECT name, sql"
                               " FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                               " ORDER BY name)",
                               -1, &st, NULL) == SQLITE_OK) {
            if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
                snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
            sqlite3_finalize(st);
        }
    }
    sqlite3_close(db);
}

#define BULK_INDEXES                                                                   \
    "SELECT count(*) FROM sqlite_master WHERE type = 'index'"                         \
    " AND name IN ('flows_class', 'flows_time', 'ott_events_flow')"

/* Issue 12: a run into a store without rows drops the bulk tables' secondary
 * indexes and builds them at its end (on a thread, overlapping the digest
 * read-back); the store ends with the migrations' very definitions.  A run
 * into a store with rows keeps them; a run killed in between leaves them to
 * the next read-write open. */
TEST(bulk_indexes_built_at_run_end)
{
    char p[256], ref[256], want[4096], got[4096];
    struct err e = {""};
    db_path(ref, "idx-ref.db");
    store_close(store_open(ref, false, &e)); /* migrations only */
    index_sql(ref, want, sizeof want);
    CHECK(strstr(want, "flows_time:CREATE INDEX flows_time ON flows(first_ts_us)") != NULL);
    CHECK_EQ_INT(count_path(ref, BULK_INDEXES), 3);

    db_path(p, "idx.db");
    struct store *s = store_open(p, false, &e);
    CHECK(s != NULL);
    if (!s)
        return;
    int64_t run = 0;
    CHECK_EQ_INT(store_run_begin(s, &run_info, &run, &e), 0);
    CHECK_EQ_INT(count(store_db(s), BULK_INDEXES), 0); /* deferred */
    struct flow_record r;
    for (uint64_t id = 1; id <= 2000; id++) {
        rec(&r, id, id);
        r.first_ts_us = (id * 7919) % 2000;
        CHECK_EQ_INT(store_flow(s, run, &r, &e), 0);
    }
    CHECK_EQ_INT(store_run_finish(s, run, 2, "complete", &e), 0);
    /* Reads go on while the indexes are built (the schema changes under
     * them: the audit digest must not keep SQLite's column-name strings
     * across the re-prepare that causes); the next write waits. */
    struct store_audit_counts ac;
    CHECK_EQ_INT(store_audit_run_counts(s, run, STORE_AUDIT_DIGEST_VERSION, &ac, &e), 0);
    CHECK_EQ_INT(ac.n[0], 2000);
    CHECK_EQ_INT(strlen(ac.digest), 64);
    CHECK_EQ_INT(count(store_db(s), "SELECT count(*) FROM flows"), 2000);
    int64_t run2 = 0;
    CHECK_EQ_INT(store_run_begin(s, &run_info, &run2, &e), 0);
    CHECK_EQ_INT(count(store_db(s), BULK_INDEXES), 3); /* rows exist: kept */
    rec(&r, 1, 1);
    CHECK_EQ_INT(store_flow(s, run2, &r, &e), 0);
    CHECK_EQ_INT(store_run_finish(s, run2, 3, "complete", &e), 0);
    store_close(s);
    index_sql(p, got, sizeof got);
    CHECK_STR(got, want);
    CHECK_EQ_INT(count_path(p, "SELECT count(*) FROM pragma_integrity_check"
                               " WHERE integrity_check = 'ok'"), 1);
    CHECK_EQ_INT(count_path(p, "SELECT count(*) FROM flows INDEXED BY flows_time"
                               " WHERE first_ts_us >= 0"), 2001);

    /* A live capture into a new store keeps them: it may run for days, with
     * reports reading beside it. */
    char lv[256];
    db_path(lv, "idx-live.db");
    s = store_open(lv, false, &e);
    CHECK(s != NULL);
    if (s) {
        struct store_run_info li = run_info;
        li.mode = "live";
        int64_t lr = 0;
        CHECK_EQ_INT(store_run_begin(s, &li, &lr, &e), 0);
        CHECK_EQ_INT(count(store_db(s), BULK_INDEXES), 3);
        CHECK_EQ_INT(store_run_finish(s, lr, 2, "complete", &e), 0);
        store_close(s);
    }

    /* Killed between the two: the indexes come back at the next open. */
    char k[256];
    db_path(k, "idx-killed.db");
    pid_t kid = fork();
    if (kid == 0) {
        struct store *ks = store_open(k, false, &e);
        int64_t kr = 0;
        if (!ks || store_run_begin(ks, &run_info, &kr, &e))
            _exit(1);
        _exit(0); /* no finish, no close */
    }
    int status = 0;
    waitpid(kid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK_EQ_INT(count_path(k, BULK_INDEXES), 0);
    s = store_open(k, false, &e);
    CHECK(s != NULL);
    store_close(s);
    index_sql(k, got, sizeof got);
    CHECK_STR(got, want);
}

TEST(killed_run_is_interrupted)
{
    char p[256];
    db_path(p, "killed.db");
    int go[2], ready[2];
    CHECK(pipe(go) == 0 && pipe(ready) == 0);
    pid_t kid = fork();
    if (kid == 0) {
        struct err e = {""};
        struct store *s = store_open(p, false, &e);
        int64_t run = 0;
        struct source_input in = {.path = "x.pcap", .size = 10, .linktype = -1};
        struct flow_record r;
        rec(&r, 1, 1);
        if (!s || store_run_begin(s, &run_info, &run, &e) ||
            store_input(s, run, 0, &in, &e) || store_flow(s, run, &r, &e) ||
            store_commit(s, &e))
            _exit(1);
        char c = 'r';
        if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
            _exit(1);
        rec(&r, 2, 1);
        store_flow(s, run, &r, &e); /* uncommitted: lost with the process */
        _exit(0); /* dies without finishing or closing: the kernel drops the lock */
    }
    char c;
    CHECK(read(ready[0], &c, 1) == 1);
    struct err e = {""};
    struct store *s = store_open(p, false, &e); /* the writer lives: still running */
    CHECK(s != NULL);
    store_close(s);
    CHECK_EQ_INT(count_path(p, "SELECT count(*) FROM runs WHERE status='running'"), 1);
    CHECK(write(go[1], "g", 1) == 1);
    int status = 0;
    waitpid(kid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    s = store_open(p, true, &e); /* a reader sees it dead but cannot mark it */
    if (!s)
        fprintf(stderr, "%s\n", e.msg);
    CHECK(s != NULL);
    if (s)
        CHECK(!store_run_alive(s, 1));
    store_close(s);
    CHECK_EQ_INT(count_path(p, "SELECT count(*) FROM runs WHERE status='running'"), 1);
    s = store_open(p, false, &e);
    CHECK(s != NULL);
    store_close(s);
    CHECK_EQ_INT(count_path(p, "SELECT count(*) FROM runs WHERE status='interrupted'"), 1);
    CHECK_EQ_INT(count_path(p, "SELECT count(*) FROM inputs WHERE status='interrupted'"
                               " AND path='x.pcap' AND bytes=10"), 1);
    CHECK_EQ_INT(count_path(p, "SELECT count(*) FROM flows"), 1);
    close(go[0]);
    close(go[1]);
    close(ready[0]);
    close(ready[1]);
}

/* Issue 17 item 4: an existing database and its -wal/-shm files with loose
 * modes are made 0600 by a writable open. */
TEST(existing_files_made_private)
{
    char p[256], w[300], m[300];
    db_path(p, "loose.db");
    struct err e = {""};
    struct store *s = store_open(p, false, &e);
    store_close(s);
    snprintf(w, sizeof w, "%s-wal", p);
    snprintf(m, sizeof m, "%s-shm", p);
    FILE *f = fopen(w, "w");
    if (f)
        fclose(f);
    f = fopen(m, "w");
    if (f)
        fclose(f);
    CHECK(chmod(p, 0644) == 0 && chmod(w, 0644) == 0 && chmod(m, 0666) == 0);
    s = store_open(p, false, &e);
    CHECK(s != NULL);
    store_close(s);
    struct stat st;
    CHECK(stat(p, &st) == 0 && (st.st_mode & 07777) == 0600);
    CHECK(stat(w, &st) != 0 || (st.st_mode & 07777) == 0600);
    CHECK(stat(m, &st) != 0 || (st.st_mode & 07777) == 0600);
}

/* A database written by the build before issue 17 (schema 11, with the
 * inputs columns of migration 5) upgrades through 12 and 13 keeping every
 * row and column; runs and inputs then accept the new statuses. */
TEST(upgrade_from_schema_11)
{
    char p[256];
    struct err e = {""};
    db_path(p, "v10.db");
    sqlite3 *db;
    CHECK(sqlite3_open(p, &db) == SQLITE_OK);
    for (size_t k = 1; k <= 11; k++)
        CHECK(sqlite3_exec(db, schema_migration(k), NULL, NULL, NULL) == SQLITE_OK);
    CHECK(sqlite3_exec(db,
                       "PRAGMA user_version = 11;"
                       "INSERT INTO runs VALUES (1,'analyze',5,6,'v','cmd','sig','4.2','partial','scope');"
                       "INSERT INTO inputs VALUES (1,0,'a.pcap','ab',10,'EN10MB',3,100,200,"
                       " 'partial','cut',4,1,2,3,5,6,'gzip');"
                       "INSERT INTO sms_events (run_id, flow_id, ts_us, protocol, operation)"
                       " VALUES (1, 1, 7, 'gan', 'submit');",
                       NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    struct store *s = store_open(p, false, &e);
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK_EQ_INT(store_schema_version(s), (int)schema_count());
    db = store_db(s);
    CHECK_EQ_INT(count(db, "SELECT count(*) FROM runs WHERE id=1 AND mode='analyze'"
                           " AND started_utc=5 AND finished_utc=6 AND status='partial' AND basis='scope'"), 1);
    CHECK_EQ_INT(count(db, "SELECT count(*) FROM inputs WHERE run_id=1 AND seq=0"
                           " AND path='a.pcap' AND sha256='ab' AND bytes=10 AND packets=3"
                           " AND first_ts_us=100 AND last_ts_us=200 AND status='partial'"
                           " AND detail='cut' AND frames=4 AND filtered=1 AND other_link=2"
                           " AND ts_pre1990=3 AND ts_backwards=5 AND interfaces=6"
                           " AND compression='gzip'"), 1);
    CHECK_EQ_INT(count(db, "SELECT count(*) FROM pragma_table_info('inputs')"), 18);
    CHECK_EQ_INT(count(db, "SELECT count(*) FROM pragma_index_list('inputs')"
                           " WHERE name='inputs_sha'"), 1);
    CHECK_EQ_INT(count(db, "SELECT originator_cut + recipient_cut FROM sms_events"), 0);
    CHECK_EQ_INT(count(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    CHECK_EQ_INT(sqlite3_exec(db, "UPDATE runs SET status='interrupted';"
                                  "UPDATE inputs SET status='reading'", NULL, NULL, NULL),
                 SQLITE_OK);
    store_close(s);
}

/* A database of schema 19 upgrades through 20 (S1AP, NGAP: the protocol and
 * source CHECKs widened by rebuilding sms_events and subscriber_sessions)
 * keeping every row, column and index, and the views that read the two
 * tables still work. */
TEST(upgrade_from_schema_19)
{
    char p[256];
    struct err e = {""};
    db_path(p, "v19.db");
    sqlite3 *db;
    CHECK(sqlite3_open(p, &db) == SQLITE_OK);
    for (size_t k = 1; k <= 19; k++)
        CHECK(sqlite3_exec(db, schema_migration(k), NULL, NULL, NULL) == SQLITE_OK);
    CHECK(sqlite3_exec(db,
                       "PRAGMA user_version = 19;"
                       "INSERT INTO runs (id, mode, started_utc, finished_utc, tool_version,"
                       " command_line, signature_sha256, ndpi_version, status)"
                       " VALUES (1,'analyze',5,6,'v','cmd','sig','4.2','complete');"
                       "INSERT INTO flows (run_id, id, proto, src_ip, src_port, dst_ip, dst_port,"
                       " first_ts_us, last_ts_us, pkts_c2s, bytes_c2s, pkts_s2c, bytes_s2c, vlan,"
                       " ndpi_proto, service, class, method, confidence, server_name,"
                       " server_name_cut, end_reason)"
                       " VALUES (1, 3, 17, '10.45.0.2', 40000, '8.8.8.8', 53, 10, 20, 1, 60, 1,"
                       " 80, 0, 'DNS', 'DNS', 'other', 'ndpi', 90, '', 0, 'idle');"
                       "INSERT INTO sms_events (id, run_id, flow_id, ts_us, protocol, operation,"
                       " originator, imsi, detail, originator_cut, message_id)"
                       " VALUES (41, 1, 3, 7, 'sgsap', 'submit', '001010000000001',"
                       " '001010000000001', 'uplink-unitdata', 1, 9);"
                       "INSERT INTO subscriber_sessions VALUES (1, 2, 'gtpv2', 3, 8, 9, NULL, 1, 0,"
                       " 15, '001010000000001', '15551230001', '', '', '', '10.45.0.2', '', '',"
                       " 'internet', 'tai:001-01-1', 0, 42);",
                       NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
    struct store *s = store_open(p, false, &e);
    CHECK(s != NULL);
    if (!s)
        return;
    CHECK_EQ_INT(store_schema_version(s), (int)schema_count());
    db = store_db(s);
    CHECK_EQ_INT(count(db, "SELECT count(*) FROM sms_events WHERE id=41 AND run_id=1"
                           " AND flow_id=3 AND ts_us=7 AND protocol='sgsap' AND operation='submit'"
                           " AND originator='001010000000001' AND detail='uplink-unitdata'"
                           " AND originator_cut=1 AND recipient_cut=0 AND message_id=9"), 1);
    CHECK_EQ_INT(count(db, "SELECT count(*) FROM subscriber_sessions WHERE run_id=1"
                           " AND binding_id=2 AND source='gtpv2' AND flow_id=3 AND end_us IS NULL"
                           " AND open_ended=1 AND last_evidence_us=15 AND msisdn='15551230001'"
                           " AND ue_ipv4='10.45.0.2' AND apn='internet' AND ue_v6_64=42"), 1);
    CHECK_EQ_INT(count(db, "SELECT count(*) FROM pragma_table_info('sms_events')"), 25);
    CHECK_EQ_INT(count(db, "SELECT count(*) FROM pragma_table_info('subscriber_sessions')"), 22);
    CHECK_EQ_INT(count(db, "SELECT count(*) FROM sqlite_master WHERE type='index' AND name IN"
                           " ('sms_events_time','sms_events_message','subscriber_sessions_v4',"
                           "  'subscriber_sessions_imsi','subscriber_sessions_msisdn',"
                           "  'subscriber_sessions_v6')"), 6);
    CHECK_EQ_INT(count(db, "SELECT count(*) FROM sqlite_master WHERE name LIKE '%_v20'"), 0);
    /* the views read the rebuilt tables */
    CHECK_EQ_INT(count(db, "SELECT count(*) FROM flow_subscribers WHERE flow_id=3"
                           " AND imsi='001010000000001'"), 1);
    CHECK_EQ_INT(count(db, "SELECT count(*) FROM sms_subscribers WHERE sms_id=41"), 1);
    CHECK_EQ_INT(count(db, "PRAGMA legacy_alter_table"), 0);
    CHECK_EQ_INT(count(db, "SELECT count(*) FROM pragma_foreign_key_check"), 0);
    /* 's1ap' and 'ngap' are now protocols and sources; other names still are not */
    CHECK_EQ_INT(sqlite3_exec(db, "INSERT INTO sms_events (run_id, flow_id, ts_us, protocol,"
                                  " operation) VALUES (1, 3, 8, 's1ap', 'deliver'),"
                                  " (1, 3, 8, 'ngap', 'submit');"
                                  "INSERT INTO subscriber_sessions (run_id, binding_id, source,"
                                  " flow_id, evidence_ts_us, start_us, open_ended, mid_session,"
                                  " last_evidence_us, conflict) VALUES (1, 5, 'ngap', 3, 1, 1,"
                                  " 1, 0, 1, 0);"
                                  "INSERT INTO subscriber_sessions (run_id, binding_id, source,"
                                  " flow_id, evidence_ts_us, start_us, open_ended, mid_session,"
                                  " last_evidence_us, conflict) VALUES (1, 3, 's1ap', 3, 1, 1,"
                                  " 1, 0, 1, 0)", NULL, NULL, NULL),
                 SQLITE_OK);
    CHECK(sqlite3_exec(db, "INSERT INTO sms_events (run_id, flow_id, ts_us, protocol, operation)"
                           " VALUES (1, 3, 9, 'nas', 'deliver')", NULL, NULL, NULL) != SQLITE_OK);
    CHECK(sqlite3_exec(db, "INSERT INTO subscriber_sessions (run_id, binding_id, source, flow_id,"
                           " evidence_ts_us, start_us, open_ended, mid_session, last_evidence_us,"
                           " conflict) VALUES (1, 4, 'nas', 3, 1, 1, 1, 0, 1, 0)", NULL, NULL,
                       NULL) != SQLITE_OK);
    store_close(s);
}

/* An input recorded when opened is 'reading'; one still 'reading' when its
 * run ends is 'interrupted' (a stop before the reader reached it). */
TEST(unread_input_ends_interrupted)
{
    char p[256];
    struct err e = {""};
    db_path(p, "unread.db");
    struct store *s = store_open(p, false, &e);
    CHECK(s != NULL);
    if (!s)
        return;
    int64_t run = 0;
    CHECK_EQ_INT(store_run_begin(s, &run_info, &run, &e), 0);
    char a[] = "a.pcap", b[] = "b.pcap";
    struct source_input in = {.path = a, .size = 10, .linktype = -1, .status = INPUT_PENDING};
    CHECK_EQ_INT(store_input(s, run, 0, &in, &e), 0);
    in.path = b;
    CHECK_EQ_INT(store_input(s, run, 1, &in, &e), 0);
    CHECK_EQ_INT(store_commit(s, &e), 0);
    CHECK_EQ_INT(count_path(p, "SELECT count(*) FROM inputs WHERE status='reading'"), 2);
    in.path = a;
    in.status = INPUT_OK;
    CHECK_EQ_INT(store_input(s, run, 0, &in, &e), 0);
    CHECK_EQ_INT(store_run_finish(s, run, 9, "partial", &e), 0);
    CHECK_EQ_INT(count_path(p, "SELECT count(*) FROM inputs WHERE seq=0 AND status='complete'"), 1);
    CHECK_EQ_INT(count_path(p, "SELECT count(*) FROM inputs WHERE seq=1 AND status='interrupted'"),
                 1);
    store_close(s);
}

/* The flows of a large run are read back on two threads (the helper's
 * chunks and this thread's, hashed in id order): the digest is the one a
 * single pass gives, whatever the ids' gaps, the insertion order or another
 * run's rows; with a transaction open on the store's connection (rows the
 * helper's connection cannot see) the helper is not used. */
TEST(flows_digest_on_two_threads)
{
    char p[256];
    struct err e = {""};
    db_path(p, "digest-par.db");
    struct store *s = store_open(p, false, &e);
    CHECK(s != NULL);
    if (!s)
        return;
    int64_t run = 0, run2 = 0;
    CHECK_EQ_INT(store_run_begin(s, &run_info, &run, &e), 0);
    struct flow_record r;
    uint64_t n = 0;
    int bad = 0; /* failed inserts (one check for all) */
    /* ids 1..40000 without every seventh, inserted in a scattered order */
    for (uint64_t k = 0; k < 40000; k++) {
        uint64_t id = (k * 7919) % 40000 + 1;
        if (id % 7 == 0)
            continue;
        rec(&r, id, k + 1);
        r.first_ts_us = id * 3;
        if (id % 5 == 0)
            r.tunnel_teid = (uint32_t)id;
        bad += store_flow(s, run, &r, &e) != 0;
        n++;
    }
    CHECK_EQ_INT(store_run_finish(s, run, 2, "complete", &e), 0);
    CHECK_EQ_INT(store_run_begin(s, &run_info, &run2, &e), 0);
    for (uint64_t id = 1; id <= 20000; id++) {
        rec(&r, id, 1);
        bad += store_flow(s, run2, &r, &e) != 0;
    }
    CHECK_EQ_INT(store_run_finish(s, run2, 3, "complete", &e), 0);

    struct store_audit_counts one, two, dflt;
    const int v = STORE_AUDIT_DIGEST_VERSION;
    CHECK_EQ_INT(store_audit_run_counts_ex(s, run, v, false, NULL, &one, &e), 0);
    CHECK_EQ_INT(store_audit_run_counts_ex(s, run, v, true, NULL, &two, &e), 0);
    CHECK_EQ_INT(one.helper_chunks, 0);
    CHECK(two.helper_chunks > 0);
    CHECK_EQ_INT(one.n[0], n);
    CHECK_EQ_INT(two.n[0], n);
    CHECK_STR(two.digest, one.digest);
    CHECK_EQ_INT(store_audit_run_counts(s, run, v, &dflt, &e), 0); /* the helper's default */
    CHECK(dflt.helper_chunks > 0);
    CHECK_STR(dflt.digest, one.digest);

    /* a run being written, its last rows not committed yet: the helper's
     * connection could not see them, so one thread reads them all */
    int64_t run3 = 0;
    CHECK_EQ_INT(store_run_begin(s, &run_info, &run3, &e), 0);
    for (uint64_t id = 1; id <= 19000; id++) { /* under STORE_BATCH_ROWS */
        rec(&r, id, 2);
        bad += store_flow(s, run3, &r, &e) != 0;
    }
    CHECK_EQ_INT(bad, 0);
    CHECK_EQ_INT(sqlite3_get_autocommit(store_db(s)), 0);
    CHECK_EQ_INT(store_audit_run_counts_ex(s, run3, v, false, NULL, &one, &e), 0);
    CHECK_EQ_INT(store_audit_run_counts_ex(s, run3, v, true, NULL, &two, &e), 0);
    CHECK_EQ_INT(one.n[0], 19000);
    CHECK_EQ_INT(two.n[0], 19000);
    CHECK_EQ_INT(two.helper_chunks, 0);
    CHECK_STR(two.digest, one.digest);
    CHECK_EQ_INT(store_run_finish(s, run3, 2, "complete", &e), 0);
    CHECK_EQ_INT(store_audit_run_counts_ex(s, run3, v, true, NULL, &two, &e), 0);
    CHECK(two.helper_chunks > 0);
    CHECK_STR(two.digest, one.digest);
    store_close(s);
}

/* The end-of-input flush, as cli_run_flush drives it: rows of flows that
 * ended before it in a scattered order, then the live ones in id order
 * with a commit and a mark every few thousand, another run's rows between.
 * The flows read during the flush (store_audit_early) and the rest at the
 * run's end give the digest of one pass; a mark that never moved, or a
 * store that is not a file, leave it all to the run's end. */
TEST(flows_digest_during_flush)
{
    char p[256];
    struct err e = {""};
    db_path(p, "digest-early.db");
    struct store *s = store_open(p, false, &e);
    CHECK(s != NULL);
    if (!s)
        return;
    int64_t run = 0, other = 0;
    CHECK_EQ_INT(store_run_begin(s, &run_info, &run, &e), 0);
    struct flow_record r;
    int bad = 0;
    uint64_t n = 0;
    /* ended before the flush: ids 1..30000 but the live ones (id % 3 == 0
     * from 9000 on), and not every eleventh (a scope kept them out) */
    for (uint64_t k = 0; k < 30000; k++) {
        uint64_t id = (k * 7919) % 30000 + 1;
        if ((id >= 9000 && id % 3 == 0) || id % 11 == 0)
            continue;
        rec(&r, id, k + 1);
        r.first_ts_us = id * 5;
        bad += store_flow(s, run, &r, &e) != 0;
        n++;
    }
    CHECK_EQ_INT(store_commit(s, &e), 0);
    struct store_audit_early *x = store_audit_early_start(s, run);
    CHECK(x != NULL);
    store_audit_early_final(x, 9000); /* the oldest live flow */
    CHECK_EQ_INT(store_run_begin(s, &run_info, &other, &e), 0);
    uint64_t marked = 0, done = 0;
    for (uint64_t id = 9000; id <= 30000; id += 3) {
        if (id % 11 == 0)
            continue;
        rec(&r, id, 7);
        snprintf(r.end_reason, sizeof r.end_reason, "shutdown");
        bad += store_flow(s, run, &r, &e) != 0;
        rec(&r, id, 1);
        bad += store_flow(s, other, &r, &e) != 0;
        n++;
        if (++done % 2000 == 0) {
            CHECK_EQ_INT(store_commit(s, &e), 0);
            store_audit_early_final(x, (int64_t)id + 1);
            marked = done;
        }
    }
    CHECK(marked > 0);
    store_audit_early_settle(x);
    CHECK_EQ_INT(store_run_finish(s, run, 2, "complete", &e), 0);
    CHECK_EQ_INT(store_run_finish(s, other, 3, "complete", &e), 0);
    CHECK_EQ_INT(bad, 0);

    struct store_audit_counts one, early;
    const int v = STORE_AUDIT_DIGEST_VERSION;
    CHECK_EQ_INT(store_audit_run_counts_ex(s, run, v, false, NULL, &one, &e), 0);
    CHECK_EQ_INT(store_audit_run_counts_ex(s, run, v, true, x, &early, &e), 0);
    CHECK_EQ_INT(one.n[0], n);
    CHECK_EQ_INT(early.n[0], n);
    /* every row below the last mark was read during the flush */
    CHECK(early.early_rows >= marked);
    CHECK(early.early_rows < n);
    CHECK_STR(early.digest, one.digest);
    CHECK_EQ_INT(one.early_rows, 0);

    /* a mark that never moved: nothing read early, the same digest */
    x = store_audit_early_start(s, run);
    CHECK(x != NULL);
    CHECK_EQ_INT(store_audit_run_counts_ex(s, run, v, true, x, &early, &e), 0);
    CHECK_EQ_INT(early.early_rows, 0);
    CHECK_EQ_INT(early.n[0], n);
    CHECK_STR(early.digest, one.digest);
    /* started and never used */
    store_audit_early_free(store_audit_early_start(s, run));
    store_close(s);

    /* a store in memory has no file for a second connection */
    s = store_open(":memory:", false, &e);
    CHECK(s != NULL);
    if (s) {
        CHECK(store_audit_early_start(s, 1) == NULL);
        store_close(s);
    }
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/trapline-store-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    RUN(create_migrate_reopen);
    RUN(migrations_are_valid_sql);
    RUN(upgrade_from_schema_19);
    RUN(readonly_refusals);
    RUN(readonly_cannot_write);
    RUN(run_input_flow_roundtrip_and_upsert);
    RUN(batch_commit);
    RUN(sticky_error_disk_full);
    RUN(sticky_error_readonly_database);
    RUN(sticky_error_busy);
    RUN(concurrent_create);
    RUN(killed_run_is_interrupted);
    RUN(bulk_indexes_built_at_run_end);
    RUN(flows_digest_on_two_threads);
    RUN(flows_digest_during_flush);
    RUN(existing_files_made_private);
    RUN(upgrade_from_schema_11);
    RUN(unread_input_ends_interrupted);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return harness_done();
}
