/* store.c - SQLite store (see store.h). */
/* F_OFD_SETLK/F_OFD_GETLK (Linux open-file-description locks) are GNU. */
#define _GNU_SOURCE
#include "report/store.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture/decode.h"
#include "capture/stop.h"
#include "capture/str.h"
#include "report/schema.h"

/* Longest database path handled (with a suffix such as -lock). */
#define STORE_PATH_MAX 4200

/* Waiting for a concurrent writer/checkpointer (live probe + report), on
 * every connection to a store file. */
#define STORE_BUSY_TIMEOUT_MS 10000

struct store {
    sqlite3 *db;
    char *path;           /* the database file, for error messages and run locks */
    int lock_fd;          /* holds the liveness lock of locked_run; -1 = none */
    int64_t locked_run;
    bool readonly;
    bool in_tx;
    unsigned pending;     /* rows in the open transaction */
    int sticky;           /* first error, returned by every later write */
    char sticky_msg[ERR_MSG_MAX];
    sqlite3_stmt *ins_flow, *ins_input, *ins_stat;
    sqlite3_stmt *slots[STORE_SLOTS];
    bool deferred;        /* this run dropped the bulk tables' secondary indexes */
    /* Their build at the run's end, on a thread of its own with its own
     * connection (see build_indexes); joined before the next write. */
    struct {
        pthread_t thread;
        bool running;
        int rc;
        char msg[ERR_MSG_MAX];
    } ix;
};

static int fail(struct store *s, struct err *e, const char *what)
{
    if (!s->sticky) {
        s->sticky = RC_SQL;
        snprintf(s->sticky_msg, sizeof s->sticky_msg, "database %s: %s: %s",
                 s->path ? s->path : "?", what, sqlite3_errmsg(s->db));
    }
    return err_set(e, s->sticky, "%s", s->sticky_msg);
}

int store_exec(struct store *s, const char *sql, struct err *e)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        if (!s->sticky) {
            s->sticky = RC_SQL;
            snprintf(s->sticky_msg, sizeof s->sticky_msg, "database %s: %s",
                     s->path ? s->path : "?", msg ? msg : sqlite3_errmsg(s->db));
        }
        sqlite3_free(msg);
        return err_set(e, s->sticky, "%s", s->sticky_msg);
    }
    return 0;
}

static int user_version(struct store *s, int *v, struct err *e)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return fail(s, e, "read schema version");
    int rc = sqlite3_step(st);
    *v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : fail(s, e, "read schema version");
}

/* Brings the schema to this build's version.  Each step runs in its own
 * BEGIN IMMEDIATE transaction and reads user_version again inside it: two
 * processes creating the same new database at once serialize on the write
 * lock (the busy timeout waits), and the second finds the work done instead
 * of running "CREATE TABLE runs" twice.  Foreign keys are off while
 * migrating (table rebuilds, https://sqlite.org/lang_altertable.html step 1;
 * the pragma is a no-op inside a transaction, so it is set around them). */
static int migrate(struct store *s, struct err *e)
{
    size_t want = schema_count();
    if (store_exec(s, "PRAGMA foreign_keys=OFF", e))
        return RC_SQL;
    for (;;) {
        int v;
        if (store_exec(s, "BEGIN IMMEDIATE", e))
            return RC_SQL;
        if (user_version(s, &v, e))
            goto rollback;
        if (v < 0 || (size_t)v > want) {
            err_set(e, RC_SQL, "%s: database schema version %d is newer than this build (%zu)",
                    s->path, v, want);
            goto rollback;
        }
        if ((size_t)v == want)
            break;
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v + 1);
        if (store_exec(s, schema_migration((size_t)v + 1), e) || store_exec(s, sql, e))
            goto rollback;
        if (store_exec(s, "COMMIT", e))
            goto rollback;
    }
    if (store_exec(s, "COMMIT", e))
        goto rollback;
    return store_exec(s, "PRAGMA foreign_keys=ON", e) ? RC_SQL : 0;
rollback:
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return RC_SQL;
}

/* The bulk tables' secondary indexes (schema_deferred_*): created where
 * missing.  A run into a store without rows drops them at its start and
 * calls this at its end, where one sort builds each (CREATE INDEX) instead
 * of a random insert into each for every row; every read-write open calls
 * it too, so that a run killed in between leaves a store whose indexes come
 * back at the next open (until then, queries are only slower). */
static int create_deferred(struct store *s, struct err *e)
{
    for (size_t k = 0; k < schema_deferred_count(); k++)
        if (store_exec(s, schema_deferred_create(k), e))
            return RC_SQL;
    return 0;
}

/* The index build of a finished run, on its own connection: it needs the
 * write lock for as long as the sorts take, while the run's own connection
 * reads the rows back for the audit digest (WAL readers do not wait for a
 * writer), so the two overlap instead of following each other.  Touches
 * only s->path (read) and s->ix (the joiner reads it after the join). */
static void *build_indexes(void *arg)
{
    struct store *s = arg;
    sqlite3 *db = NULL;
    const char *what = "open";
    int rc = store_aux_open(s->path, false, 4096, &db);
    for (size_t k = 0; rc == SQLITE_OK && k < schema_deferred_count(); k++) {
        what = schema_deferred_name(k);
        rc = sqlite3_exec(db, schema_deferred_create(k), NULL, NULL, NULL);
    }
    if (rc != SQLITE_OK) {
        s->ix.rc = RC_SQL;
        snprintf(s->ix.msg, sizeof s->ix.msg, "database %s: building index %s at run end: %s",
                 s->path, what, db ? sqlite3_errmsg(db) : "out of memory");
    }
    sqlite3_close(db);
    return NULL;
}

/* Waits for the run-end index build; its failure becomes the store's
 * sticky error (the rows are committed; the indexes come back at the next
 * read-write open). */
static int join_indexes(struct store *s, struct err *e)
{
    if (!s->ix.running)
        return 0;
    pthread_join(s->ix.thread, NULL);
    s->ix.running = false;
    if (s->ix.rc && !s->sticky) {
        s->sticky = s->ix.rc;
        str_copy(s->sticky_msg, sizeof s->sticky_msg, s->ix.msg);
    }
    return s->ix.rc ? err_set(e, s->ix.rc, "%s", s->ix.msg) : 0;
}

/* Builds the deferred indexes after the run's last commit: on a thread when
 * one can be started (a file store), else here. */
static int finish_indexes(struct store *s, struct err *e)
{
    s->deferred = false;
    if (store_file(s)) {
        s->ix.rc = 0;
        if (stop_thread_create(&s->ix.thread, "tl-index", build_indexes, s) == 0) {
            s->ix.running = true;
            return 0;
        }
    }
    return create_deferred(s, e);
}

/* In an analyze run's first transaction: when neither bulk table holds a
 * row, drop their secondary indexes until the run ends (store_run_finish). */
static int defer_indexes(struct store *s, struct err *e)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT EXISTS (SELECT 1 FROM flows) OR EXISTS (SELECT 1 FROM ott_events)",
                           -1, &st, NULL) != SQLITE_OK)
        return fail(s, e, "prepare row check");
    int rc = sqlite3_step(st);
    bool rows = rc == SQLITE_ROW && sqlite3_column_int(st, 0) != 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW)
        return fail(s, e, "row check");
    if (rows)
        return 0;
    for (size_t k = 0; k < schema_deferred_count(); k++) {
        char sql[96];
        snprintf(sql, sizeof sql, "DROP INDEX IF EXISTS %s", schema_deferred_name(k));
        if (store_exec(s, sql, e))
            return RC_SQL;
    }
    s->deferred = true;
    return 0;
}

/* Run liveness (a killed run must not look alive forever).  A running
 * process holds an open-file-description write lock on byte run id of the
 * file PATH-lock; the kernel drops it when the process dies, however it
 * dies.  The lock lives in a file of its own: opening and closing the
 * database file itself would drop SQLite's POSIX locks on it (POSIX
 * releases all of a process's locks on a file at any close), and a file
 * of our own is never touched by SQLite. */
static int lock_path(const char *db, char *out, size_t n)
{
    return (size_t)snprintf(out, n, "%s%s", db, STORE_LOCK_SUFFIX) < n ? 0 : -1;
}

static int run_lock(struct store *s, int64_t run_id, struct err *e)
{
    char p[STORE_PATH_MAX];
    const char *db = sqlite3_db_filename(s->db, "main");
    if (!db || !*db)
        return 0; /* an in-memory database: no other process can see the run */
    if (lock_path(db, p, sizeof p))
        return err_set(e, RC_IO, "%s: path too long for the run lock", s->path);
    int fd = open(p, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return err_set(e, RC_IO, "%s: cannot open the run lock: %s", p, strerror(errno));
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = (off_t)run_id,
                       .l_len = 1};
    if (fcntl(fd, F_OFD_SETLK, &fl) != 0) {
        int en = errno;
        close(fd);
        return err_set(e, RC_IO, "%s: cannot lock run %lld: %s", p, (long long)run_id,
                       strerror(en));
    }
    if (s->lock_fd >= 0)
        close(s->lock_fd);
    s->lock_fd = fd;
    s->locked_run = run_id;
    return 0;
}

/* Takes the setup lock (byte 0 of the lock file; run ids start at 1),
 * waiting for another writer's set-up to end.  Returns the descriptor that
 * holds it (closing it releases the lock) or -1 with e set. */
static int setup_lock(struct store *s, struct err *e)
{
    char p[STORE_PATH_MAX];
    if (lock_path(s->path, p, sizeof p))
        return err_set(e, RC_IO, "%s: path too long for the run lock", s->path), -1;
    int fd = open(p, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return err_set(e, RC_IO, "%s: cannot open the run lock: %s", p, strerror(errno)), -1;
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1};
    int rc;
    while ((rc = fcntl(fd, F_OFD_SETLKW, &fl)) != 0 && errno == EINTR)
        ;
    if (rc != 0) {
        int en = errno;
        close(fd);
        return err_set(e, RC_IO, "%s: cannot lock: %s", p, strerror(en)), -1;
    }
    return fd;
}

bool store_run_alive(struct store *s, int64_t run_id)
{
    if (s->lock_fd >= 0 && s->locked_run == run_id)
        return true;
    char p[STORE_PATH_MAX];
    const char *db = sqlite3_db_filename(s->db, "main");
    if (!db || !*db || lock_path(db, p, sizeof p))
        return true; /* cannot tell: never call a run dead on a guess */
    int fd = open(p, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno != ENOENT; /* no lock file: no process ever held a lock */
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = (off_t)run_id,
                       .l_len = 1};
    bool alive = fcntl(fd, F_OFD_GETLK, &fl) != 0 || fl.l_type != F_UNLCK;
    close(fd);
    return alive;
}

/* Marks every run left 'running' by a process that is gone as 'interrupted'
 * (its committed rows stay), and its inputs still 'reading' likewise. */
static int sweep_stale(struct store *s, struct err *e)
{
    sqlite3_stmt *st = NULL, *up = NULL, *upi = NULL;
    int rc = 0;
    if (store_exec(s, "BEGIN IMMEDIATE", e))
        return RC_SQL;
    if (sqlite3_prepare_v2(s->db, "SELECT id FROM runs WHERE status = 'running'", -1, &st,
                           NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db, "UPDATE runs SET status = 'interrupted' WHERE id = ?", -1,
                           &up, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(s->db,
                           "UPDATE inputs SET status = 'interrupted', detail ="
                           " 'the run was interrupted while reading it'"
                           " WHERE run_id = ? AND status = 'reading'",
                           -1, &upi, NULL) != SQLITE_OK) {
        rc = fail(s, e, "find interrupted runs");
        goto out;
    }
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(st, 0);
        if (store_run_alive(s, id))
            continue;
        sqlite3_bind_int64(up, 1, id);
        sqlite3_bind_int64(upi, 1, id);
        if (sqlite3_step(up) != SQLITE_DONE || sqlite3_step(upi) != SQLITE_DONE) {
            rc = fail(s, e, "mark a run interrupted");
            goto out;
        }
        sqlite3_reset(up);
        sqlite3_reset(upi);
    }
    if (step != SQLITE_DONE)
        rc = fail(s, e, "find interrupted runs");
out:
    sqlite3_finalize(st);
    sqlite3_finalize(up);
    sqlite3_finalize(upi);
    if (rc) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    return store_exec(s, "COMMIT", e);
}

/* Forces mode 0600 on the database and its -wal/-shm files when they exist
 * (a file created 0644 earlier, or by another tool, keeps its mode
 * otherwise; SQLite gives -wal/-shm the database file's mode). */
static int make_private(struct store *s, int fd, struct err *e)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return err_set(e, RC_IO, "%s: %s", s->path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return err_set(e, RC_IO, "%s: not a regular file", s->path);
    if ((st.st_mode & 07777) != 0600 && fchmod(fd, 0600) != 0)
        return err_set(e, RC_IO, "%s: cannot set mode 0600: %s", s->path, strerror(errno));
    /* -wal/-shm by path, never opened: a close would drop SQLite's POSIX
     * locks on them held by another connection of this process. */
    static const char *const sfx[] = {"-wal", "-shm", "-journal", STORE_LOCK_SUFFIX};
    for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
        char p[STORE_PATH_MAX];
        if ((size_t)snprintf(p, sizeof p, "%s%s", s->path, sfx[i]) >= sizeof p)
            continue;
        if (lstat(p, &st) != 0 || !S_ISREG(st.st_mode) || (st.st_mode & 07777) == 0600)
            continue; /* absent (SQLite creates it with the database's mode), or a link */
        if (chmod(p, 0600) != 0)
            return err_set(e, RC_IO, "%s: cannot set mode 0600: %s", p, strerror(errno));
    }
    return 0;
}

static int prepare(struct store *s, sqlite3_stmt **st, const char *sql, struct err *e)
{
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
        return fail(s, e, "prepare");
    return 0;
}

struct store *store_open(const char *path, bool readonly, struct err *e)
{
    struct store *s = calloc(1, sizeof *s);
    if (!s) {
        err_set(e, RC_NOMEM, "out of memory");
        return NULL;
    }
    s->readonly = readonly;
    s->lock_fd = -1;
    /* A PostgreSQL URL reaching the SQLite store means a command without a
     * PostgreSQL back end (report/sink_pg.h): say so rather than create a
     * file named "postgresql:...". */
    if (strncmp(path, "postgresql:", 11) == 0 || strncmp(path, "postgres:", 9) == 0) {
        err_set(e, RC_CONFIG, "%.40s: this command works on SQLite databases only"
                " (PostgreSQL: analyze, live, report)", path);
        free(s);
        return NULL;
    }
    s->path = strdup(path);
    if (!s->path) {
        err_set(e, RC_NOMEM, "out of memory");
        free(s);
        return NULL;
    }
    /* An in-memory database (the PostgreSQL report mirror) has no file, no
     * lock file and no other writer. */
    const bool mem = strcmp(path, ":memory:") == 0;
    if (!readonly && !mem) {
        /* Create the file 0600 ourselves: SQLite would use the umask. */
        int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0) {
            err_set(e, RC_IO, "%s: cannot create database: %s", path,
                    errno == EACCES || errno == EPERM ? "permission denied" : strerror(errno));
            goto fail;
        }
        int rc = make_private(s, fd, e);
        close(fd);
        if (rc)
            goto fail;
    }
    /* URI names ("file:...?immutable=1") only for read-only report handles. */
    /* NOMUTEX: a handle is only ever used by the thread that opened it, so
     * SQLite's per-call connection mutexes (serialized mode) are pure cost. */
    int flags = (readonly ? SQLITE_OPEN_READONLY | SQLITE_OPEN_URI
                          : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        err_set(e, RC_SQL, "database %s: %s", path, s->db ? sqlite3_errmsg(s->db) : "cannot open");
        goto fail;
    }
    sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
    if (!readonly) {
        /* Writers set up one at a time: switching a new database to WAL
         * needs an exclusive lock, and SQLite answers SQLITE_BUSY at once
         * (no busy wait) when two connections would deadlock upgrading
         * their locks, which is what N processes creating one new file do. */
        int setup = mem ? -1 : setup_lock(s, e);
        if (!mem && setup < 0)
            goto fail;
        int rc = store_exec(s, mem ? "PRAGMA foreign_keys=ON;" :
                               "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                               "PRAGMA cache_size=-4096;" /* 4 MiB: fewer re-reads */
                               , e) ||
                 migrate(s, e) || (!mem && sweep_stale(s, e)) || create_deferred(s, e);
        if (setup >= 0)
            close(setup); /* releases the setup lock */
        if (rc)
            goto fail;
        if (prepare(s, &s->ins_flow,
                    "INSERT INTO flows (run_id, id, proto, src_ip, src_port, dst_ip, dst_port,"
                    " first_ts_us, last_ts_us, pkts_c2s, bytes_c2s, pkts_s2c, bytes_s2c, vlan,"
                    " ndpi_proto, service, class, method, confidence, server_name,"
                    " server_name_cut, tunnel_teid, tunnel_teid_s2c, end_reason, rule,"
                    " activity, first_input, first_frame, last_input, last_frame, interface,"
                    " tunnel_node, tunnel_node_s2c, src_v6_64, dst_v6_64, rule_alt)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,"
                    "?,?,?,?,?)"
                    " ON CONFLICT(run_id, id) DO UPDATE SET"
                    " last_ts_us=excluded.last_ts_us, pkts_c2s=excluded.pkts_c2s,"
                    " bytes_c2s=excluded.bytes_c2s, pkts_s2c=excluded.pkts_s2c,"
                    " bytes_s2c=excluded.bytes_s2c, ndpi_proto=excluded.ndpi_proto,"
                    " service=excluded.service, class=excluded.class, method=excluded.method,"
                    " confidence=excluded.confidence, server_name=excluded.server_name,"
                    " server_name_cut=excluded.server_name_cut,"
                    " tunnel_teid=excluded.tunnel_teid, tunnel_teid_s2c=excluded.tunnel_teid_s2c,"
                    " tunnel_node=excluded.tunnel_node, tunnel_node_s2c=excluded.tunnel_node_s2c,"
                    " end_reason=excluded.end_reason, rule=excluded.rule,"
                    " rule_alt=excluded.rule_alt, activity=excluded.activity,"
                    " last_input=excluded.last_input, last_frame=excluded.last_frame",
                    e) ||
            prepare(s, &s->ins_input,
                    "INSERT INTO inputs (run_id, seq, path, sha256, bytes, link_type, packets,"
                    " first_ts_us, last_ts_us, status, detail, frames, filtered, other_link,"
                    " ts_pre1990, ts_backwards, interfaces, compression)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                    " ON CONFLICT(run_id, seq) DO UPDATE SET sha256=excluded.sha256,"
                    " bytes=excluded.bytes, link_type=excluded.link_type,"
                    " packets=excluded.packets, first_ts_us=excluded.first_ts_us,"
                    " last_ts_us=excluded.last_ts_us, status=excluded.status,"
                    " detail=excluded.detail, frames=excluded.frames,"
                    " filtered=excluded.filtered, other_link=excluded.other_link,"
                    " ts_pre1990=excluded.ts_pre1990, ts_backwards=excluded.ts_backwards,"
                    " interfaces=excluded.interfaces, compression=excluded.compression",
                    e) ||
            prepare(s, &s->ins_stat,
                    "INSERT OR REPLACE INTO run_stats (run_id, name, value) VALUES (?,?,?)", e))
            goto fail;
    } else {
        int v;
        if (user_version(s, &v, e))
            goto fail;
        if (v == 0) {
            err_set(e, RC_SQL, "%s: not a trapline database (no schema)", path);
            goto fail;
        }
        if ((size_t)v > schema_count()) {
            err_set(e, RC_SQL, "%s: schema version %d is newer than this build (%zu)", path, v,
                    schema_count());
            goto fail;
        }
    }
    return s;
fail:
    store_close(s);
    return NULL;
}

static int begin_if_needed(struct store *s, struct err *e)
{
    if (s->ix.running && join_indexes(s, e))
        return RC_SQL;
    if (s->sticky)
        return err_set(e, s->sticky, "%s", s->sticky_msg);
    if (s->readonly) /* no prepared statements either: refuse before touching them */
        return err_set(e, RC_SQL, "database: opened read-only; writes are refused");
    if (!s->in_tx) {
        if (store_exec(s, "BEGIN IMMEDIATE", e))
            return RC_SQL;
        s->in_tx = true;
        s->pending = 0;
    }
    return 0;
}

int store_commit(struct store *s, struct err *e)
{
    if (s->sticky)
        return err_set(e, s->sticky, "%s", s->sticky_msg);
    if (s->in_tx) {
        if (store_exec(s, "COMMIT", e))
            return RC_SQL;
        s->in_tx = false;
        s->pending = 0;
    }
    return 0;
}

static int row_done(struct store *s, sqlite3_stmt *st, struct err *e, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE)
        return fail(s, e, what);
    if (++s->pending >= STORE_BATCH_ROWS)
        return store_commit(s, e);
    return 0;
}

int store_row_begin(struct store *s, struct err *e) { return begin_if_needed(s, e); }

int store_row_end(struct store *s, sqlite3_stmt *st, struct err *e, const char *what)
{
    return row_done(s, st, e, what);
}

/* Binds v without a copy (SQLITE_STATIC): every statement here is stepped
 * and then reset with its bindings cleared (row_done) or finalized before
 * the function that bound it returns, so the caller's string need only
 * live for the call.  A copy per text value was a malloc, a copy and a free
 * for each of a flow row's dozen text columns (issue 12). */
static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

int store_run_begin(struct store *s, const struct store_run_info *ri, int64_t *run_id,
                    struct err *e)
{
    sqlite3_stmt *st;
    if (begin_if_needed(s, e))
        return RC_SQL;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO runs (mode, started_utc, tool_version, command_line,"
                           " signature_sha256, ndpi_version, status, probe, home_net)"
                           " VALUES (?,?,?,?,?,?,'running',?,?)",
                           -1, &st, NULL) != SQLITE_OK)
        return fail(s, e, "prepare run");
    bind_text(st, 1, ri->mode);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)ri->started_us);
    bind_text(st, 3, ri->tool_version);
    bind_text(st, 4, ri->command_line);
    bind_text(st, 5, ri->signature_sha256);
    bind_text(st, 6, ri->ndpi_version);
    bind_text(st, 7, ri->probe ? ri->probe : "");
    bind_text(st, 8, ri->home_net ? ri->home_net : "");
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return fail(s, e, "insert run");
    *run_id = sqlite3_last_insert_rowid(s->db);
    /* Only a file analysis: a live capture runs for days, and the reports
     * read alongside it need the indexes all along. */
    if (ri->mode && strcmp(ri->mode, "analyze") == 0 && defer_indexes(s, e))
        return RC_SQL;
    /* The lock is taken before the row is committed, so no other process
     * ever sees this run 'running' without its lock. */
    if (run_lock(s, *run_id, e)) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        s->in_tx = false;
        return RC_IO;
    }
    /* The run row is visible at once, so a report can say a run is going on. */
    return store_commit(s, e);
}

int store_input(struct store *s, int64_t run_id, size_t seq, const struct source_input *in,
                struct err *e)
{
    if (begin_if_needed(s, e))
        return RC_SQL;
    sqlite3_stmt *st = s->ins_input;
    char hex[65] = "";
    if (in->sha_done)
        for (int i = 0; i < 32; i++)
            snprintf(hex + 2 * i, 3, "%02x", in->sha256[i]);
    sqlite3_bind_int64(st, 1, run_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)seq);
    bind_text(st, 3, in->path);
    bind_text(st, 4, in->sha_done ? hex : NULL);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)in->size);
    bind_text(st, 6, in->linktype >= 0 ? decode_linktype_name(in->linktype) : NULL);
    sqlite3_bind_int64(st, 7, (sqlite3_int64)in->packets);
    if (in->packets) {
        sqlite3_bind_int64(st, 8, (sqlite3_int64)in->first_ts_us);
        sqlite3_bind_int64(st, 9, (sqlite3_int64)in->last_ts_us);
    }
    /* Recorded when opened ('reading'), completed at the end; one still
     * 'reading' when its run ends becomes 'interrupted' (store_run_finish). */
    bind_text(st, 10, in->status != INPUT_PENDING ? source_status_name(in->status) : "reading");
    bind_text(st, 11, in->detail[0] ? in->detail : NULL);
    sqlite3_bind_int64(st, 12, (sqlite3_int64)in->frames);
    sqlite3_bind_int64(st, 13, (sqlite3_int64)in->filtered);
    sqlite3_bind_int64(st, 14, (sqlite3_int64)in->other_link);
    sqlite3_bind_int64(st, 15, (sqlite3_int64)in->ts_pre1990);
    sqlite3_bind_int64(st, 16, (sqlite3_int64)in->ts_backwards);
    sqlite3_bind_int64(st, 17, (sqlite3_int64)in->interfaces);
    bind_text(st, 18, in->compression);
    return row_done(s, st, e, "insert input");
}

int store_find_input(struct store *s, uint64_t bytes, const char *sha256_hex, int64_t *run_id,
                     struct err *e)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT i.run_id FROM inputs i JOIN runs r ON r.id = i.run_id"
                           " WHERE i.bytes = ?1 AND i.status = 'complete'"
                           " AND i.sha256 IS NOT NULL AND (?2 IS NULL OR i.sha256 = ?2)"
                           " AND r.status IN ('complete','partial') ORDER BY i.run_id LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        return fail(s, e, "prepare input lookup");
    sqlite3_bind_int64(st, 1, (sqlite3_int64)bytes);
    bind_text(st, 2, sha256_hex);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *run_id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return fail(s, e, "input lookup");
    return rc == SQLITE_ROW;
}

int store_flow(struct store *s, int64_t run_id, const struct flow_record *r, struct err *e)
{
    if (begin_if_needed(s, e))
        return RC_SQL;
    sqlite3_stmt *st = s->ins_flow;
    int i = 1;
    sqlite3_bind_int64(st, i++, run_id);
    sqlite3_bind_int64(st, i++, (sqlite3_int64)r->flow_id);
    sqlite3_bind_int(st, i++, r->proto);
    bind_text(st, i++, r->src_ip);
    sqlite3_bind_int(st, i++, r->src_port);
    bind_text(st, i++, r->dst_ip);
    sqlite3_bind_int(st, i++, r->dst_port);
    sqlite3_bind_int64(st, i++, (sqlite3_int64)r->first_ts_us);
    sqlite3_bind_int64(st, i++, (sqlite3_int64)r->last_ts_us);
    sqlite3_bind_int64(st, i++, (sqlite3_int64)r->pkts_c2s);
    sqlite3_bind_int64(st, i++, (sqlite3_int64)r->bytes_c2s);
    sqlite3_bind_int64(st, i++, (sqlite3_int64)r->pkts_s2c);
    sqlite3_bind_int64(st, i++, (sqlite3_int64)r->bytes_s2c);
    sqlite3_bind_int64(st, i++, r->vlan);
    bind_text(st, i++, r->ndpi_proto);
    bind_text(st, i++, r->service);
    bind_text(st, i++, r->cls);
    bind_text(st, i++, r->method);
    sqlite3_bind_int(st, i++, r->confidence);
    bind_text(st, i++, r->server_name);
    sqlite3_bind_int(st, i++, r->server_name_cut);
    if (r->tunnel_teid || r->tunnel_teid_s2c) {
        sqlite3_bind_int64(st, i++, r->tunnel_teid);
        sqlite3_bind_int64(st, i++, r->tunnel_teid_s2c);
    } else {
        i += 2; /* NULL: not tunnelled */
    }
    bind_text(st, i++, r->end_reason);
    bind_text(st, i++, r->rule);
    bind_text(st, i++, r->activity);
    if (r->first_frame) { /* 0: no provenance (live capture) */
        sqlite3_bind_int64(st, i++, r->first_input);
        sqlite3_bind_int64(st, i++, (sqlite3_int64)r->first_frame);
        sqlite3_bind_int64(st, i++, r->last_input);
        sqlite3_bind_int64(st, i++, (sqlite3_int64)r->last_frame);
        sqlite3_bind_int64(st, i++, r->ifid);
    } else {
        i += 5;
    }
    if (r->tunnel_node[0]) /* else NULL */
        bind_text(st, i, r->tunnel_node);
    i++;
    if (r->tunnel_node_s2c[0])
        bind_text(st, i, r->tunnel_node_s2c);
    i++;
    if (r->has_v6_64) {
        sqlite3_bind_int64(st, i, r->src_v6_64);
        sqlite3_bind_int64(st, i + 1, r->dst_v6_64);
    }
    i += 2;
    bind_text(st, i++, r->rule_alt);
    return row_done(s, st, e, "insert flow");
}

int store_run_stat(struct store *s, int64_t run_id, const char *name, uint64_t value,
                   struct err *e)
{
    if (begin_if_needed(s, e))
        return RC_SQL;
    sqlite3_stmt *st = s->ins_stat;
    sqlite3_bind_int64(st, 1, run_id);
    bind_text(st, 2, name);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)value);
    return row_done(s, st, e, "insert run statistic");
}

int store_run_finish(struct store *s, int64_t run_id, uint64_t finished_us, const char *status,
                     struct err *e)
{
    sqlite3_stmt *st;
    if (begin_if_needed(s, e))
        return RC_SQL;
    if (sqlite3_prepare_v2(s->db, "UPDATE runs SET finished_utc = ?, status = ? WHERE id = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return fail(s, e, "prepare run update");
    sqlite3_bind_int64(st, 1, (sqlite3_int64)finished_us);
    bind_text(st, 2, status);
    sqlite3_bind_int64(st, 3, run_id);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return fail(s, e, "update run");
    /* Inputs the run never got to (a stop, a failure) are not left 'reading'. */
    if (sqlite3_prepare_v2(s->db,
                           "UPDATE inputs SET status = 'interrupted', detail ="
                           " coalesce(detail, 'the run ended before reading it')"
                           " WHERE run_id = ? AND status = 'reading'",
                           -1, &st, NULL) != SQLITE_OK)
        return fail(s, e, "prepare input update");
    sqlite3_bind_int64(st, 1, run_id);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return fail(s, e, "update inputs");
    rc = store_commit(s, e);
    if (!rc && s->deferred)
        rc = finish_indexes(s, e);
    if (!rc && s->lock_fd >= 0 && s->locked_run == run_id) {
        close(s->lock_fd); /* the run row no longer says 'running' */
        s->lock_fd = -1;
    }
    return rc;
}

struct sqlite3_stmt *store_slot_stmt(struct store *s, enum store_slot slot, const char *sql,
                                     struct err *e)
{
    if (s->sticky) {
        err_set(e, s->sticky, "%s", s->sticky_msg);
        return NULL;
    }
    if (!s->slots[slot] && prepare(s, &s->slots[slot], sql, e))
        return NULL;
    return s->slots[slot];
}

struct sqlite3 *store_db(struct store *s) { return s->db; }

const char *store_file(const struct store *s)
{
    return s->path && strcmp(s->path, ":memory:") != 0 ? s->path : NULL;
}

int store_aux_open(const char *path, bool readonly, int cache_kib, struct sqlite3 **db)
{
    *db = NULL;
    int flags = (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(path, db, flags, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_busy_timeout(*db, STORE_BUSY_TIMEOUT_MS);
    if (rc == SQLITE_OK) {
        char sql[48];
        snprintf(sql, sizeof sql, "PRAGMA cache_size=-%d", cache_kib);
        rc = sqlite3_exec(*db, sql, NULL, NULL, NULL);
    }
    return rc;
}

int store_schema_version(struct store *s)
{
    int v = -1;
    user_version(s, &v, NULL);
    return v;
}

void store_close(struct store *s)
{
    if (!s)
        return;
    if (s->db && s->in_tx && !s->sticky)
        store_commit(s, NULL);
    join_indexes(s, NULL);
    if (s->db && s->deferred && !s->sticky) /* a run that did not finish */
        create_deferred(s, NULL);
    sqlite3_finalize(s->ins_flow);
    sqlite3_finalize(s->ins_input);
    sqlite3_finalize(s->ins_stat);
    for (int i = 0; i < STORE_SLOTS; i++)
        sqlite3_finalize(s->slots[i]);
    if (s->db)
        sqlite3_close(s->db);
    if (s->lock_fd >= 0)
        close(s->lock_fd);
    free(s->path);
    free(s);
}

int store_global_init(void)
{
    /* https://www.sqlite.org/c3ref/c_config_covering_index_scan.html */
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK ? 0 : RC_SQL;
}
