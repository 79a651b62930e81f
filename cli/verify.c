/* verify.c - `trapline verify`: checks a database against its audit log
 * (issue 11).
 *
 * Checks, one line each ("ok" / "FAIL" / "note"):
 *   1. the append-only triggers are present;
 *   2. the hash chain: every row's seq follows, prev_hash links, hash
 *      recomputed from its fields;
 *   3. every run-end row's record counts and digest against the run's rows;
 *   4. every input row's SHA-256 against the file, when it is still at its
 *      path or given on the command line (matched by file name);
 *   5. every scope-loaded row's SHA-256 against the stored snapshot;
 *   5b. every report-export row's SHA-256 against the file, when still there;
 *   6. every finished run with a run-start row has its run-end row;
 *   7. the chain-head signature, with --pubkey.
 * A SQLite file holds one chain.  A PostgreSQL store holds one chain per
 * probe (report/pg_audit.h): each is walked on its own and, when there are
 * several, the chain and signature lines name their probe; with one chain
 * the lines are the SQLite ones.  Run records are counted on a copy of the
 * run's rows (pg_mirror.h), as on SQLite.
 * Exit: 0 all hold; 4 a check failed (the first broken link is named on the
 * last line); 1 the database cannot be read; 2 usage.
 */
#include "cli/verify.h"

#include <getopt.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture/str.h"
#include "cli/cli.h"
#include "cli/run_audit.h"
#include "report/audit.h"
#include "report/pg_audit.h"
#include "report/sink_pg.h"
#include "report/store_audit.h"
#include "signatures/scope.h"

/* Chains (probes) one verify walks; past it the rest are still walked but
 * their signatures are not looked up (a note says so). */
#define VERIFY_MAX_CHAINS 4096

struct vctx {
    struct store *st;        /* SQLite, or */
    struct pg_audit *pa;     /* PostgreSQL */
    bool multi;              /* several chains: lines name their probe */
    bool in_chain;
    char chain[AUDIT_TEXT_MAX];
    char (*probes)[AUDIT_TEXT_MAX]; /* chains seen, in walk order */
    size_t nprobes;
    bool probes_cut;
    struct audit_walk walk;
    char **inputs;          /* borrowed (argv) */
    int ninputs;
    unsigned checks, failed;
    char first[ERR_MSG_MAX + 64];
    bool chain_broken;
};



__attribute__((format(printf, 3, 4))) static void line(struct vctx *v, bool ok, const char *fmt,
                                                        ...)
{
    char msg[ERR_MSG_MAX + 64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    v->checks++;
    printf("%s  %s\n", ok ? "ok  " : "FAIL", msg);
    if (!ok && v->failed++ == 0)
        str_copy(v->first, sizeof v->first, msg);
}

/* A line that is neither a pass nor a failure (something not checkable). */
static void note(const char *path, const char *why)
{
    printf("note  input %s: %s, not re-hashed\n", path, why);
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* The file to re-hash for an input logged at path: a command-line INPUT of
 * the same path or file name, else the path itself when it exists. */
static const char *input_file(struct vctx *v, const char *path)
{
    for (int i = 0; i < v->ninputs; i++)
        if (strcmp(v->inputs[i], path) == 0 ||
            strcmp(base_name(v->inputs[i]), base_name(path)) == 0)
            return v->inputs[i];
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) ? path : NULL;
}

static void check_run_end(struct vctx *v, const struct audit_row *r)
{
    struct store_audit_counts c;
    struct err e = {""};
    char why[160];
    if (audit_detail_get(r->detail, "records", why, sizeof why) && strcmp(why, "uncounted") == 0) {
        if (!audit_detail_get(r->detail, "reason", why, sizeof why))
            why[0] = '\0';
        printf("note  run %" PRId64 " records: not counted at run end (%s), not checked\n",
               r->run_id, why);
        return;
    }
    char ver[16];
    int version = audit_detail_get(r->detail, "digest", ver, sizeof ver) ? atoi(ver) : 1;
    if (version < 1 || version > STORE_AUDIT_DIGEST_VERSION) {
        line(v, false, "run %" PRId64 " records: run-end row (seq %" PRId64
             ") uses digest version %s, unknown to this trapline", r->run_id, r->seq, ver);
        return;
    }
    if (v->pa ? pg_audit_counts(v->pa, r->run_id, version, &c, &e)
              : store_audit_run_counts(v->st, r->run_id, version, &c, &e)) {
        line(v, false, "run %" PRId64 " records: %s", r->run_id, e.msg);
        return;
    }
    size_t ntab = version >= 2 ? STORE_AUDIT_TABLES : STORE_AUDIT_TABLES_V1;
    for (size_t k = 0; k < ntab; k++) {
        const char *key = store_audit_table_names[k];
        char want[32];
        if (!audit_detail_get(r->detail, key, want, sizeof want)) {
            line(v, false, "run %" PRId64 " records: run-end row (seq %" PRId64 ") has no %s count",
                 r->run_id, r->seq, key);
            return;
        }
        if (strtoull(want, NULL, 10) != c.n[k]) {
            line(v, false,
                 "run %" PRId64 " records: %s has %" PRIu64 " rows, the run-end row (seq %" PRId64
                 ") says %s (rows added or deleted)",
                 r->run_id, key, c.n[k], r->seq, want);
            return;
        }
    }
    char digest[AUDIT_HASH_HEX];
    if (!audit_detail_get(r->detail, "records_sha256", digest, sizeof digest) ||
        strcmp(digest, c.digest) != 0) {
        line(v, false,
             "run %" PRId64 " records: content digest differs from the run-end row (seq %" PRId64
             "): a flow, SMS, OTT, run_stats or input row%s was altered",
             r->run_id, r->seq, version >= 2 ? ", subscriber session or inferred contact" : "");
        return;
    }
    char extra[160] = "";
    if (version >= 2 && (c.n[5] || c.n[6] || c.n[7]))
        snprintf(extra, sizeof extra,
                 ", %" PRIu64 " subscriber_sessions, %" PRIu64 " subscriber_teids, %" PRIu64
                 " inferred_contacts", c.n[5], c.n[6], c.n[7]);
    line(v, true,
         "run %" PRId64 " records: %" PRIu64 " flows, %" PRIu64 " sms_events, %" PRIu64
         " ott_events, %" PRIu64 " run_stats, %" PRIu64 " inputs%s match the run-end row",
         r->run_id, c.n[0], c.n[1], c.n[2], c.n[3], c.n[4], extra);
}

static void check_input(struct vctx *v, const struct audit_row *r)
{
    char path[1024], want[AUDIT_HASH_HEX];
    if (!audit_detail_get(r->detail, "path", path, sizeof path) ||
        !audit_detail_get(r->detail, "sha256", want, sizeof want)) {
        line(v, false, "input (seq %" PRId64 "): row has no path or sha256", r->seq);
        return;
    }
    if (!want[0]) {
        note(path, "no SHA-256 was recorded (live interface or unreadable)");
        return;
    }
    const char *f = input_file(v, path);
    if (!f) {
        note(path, "not present here");
        return;
    }
    char have[AUDIT_HASH_HEX];
    struct err e = {""};
    if (audit_sha256_file(f, have, NULL, &e)) {
        line(v, false, "input %s: %s", f, e.msg);
        return;
    }
    if (strcmp(have, want) != 0)
        line(v, false, "input %s: SHA-256 %s differs from the audit log's %s (file modified)", f,
             have, want);
    else
        line(v, true, "input %s: SHA-256 %s matches (run %" PRId64 ")", f, have, r->run_id);
}

/* Every finished run that has a run-start row must have a run-end row: a
 * missing one is the tail of the chain cut off (the chain itself cannot
 * show that without a signature).  Runs without a run-start row predate the
 * audit log. */
static int run_end_row(void *user, int64_t id, const char *status, bool started, bool ended)
{
    struct vctx *v = user;
    if (!started)
        printf("note  run %lld: no audit rows (made before the audit log existed)\n",
               (long long)id);
    else if (!ended && status && strcmp(status, "running") == 0)
        printf("note  run %lld: still running, or killed before its run-end row\n",
               (long long)id);
    else if (!ended)
        line(v, false, "run %lld (%s): its run-end audit row is missing (tail of the chain"
                       " removed)", (long long)id, status ? status : "?");
    return 0;
}

static void check_run_ends(struct vctx *v)
{
    sqlite3_stmt *st;
    struct err e = {""};
    if (v->pa) {
        if (pg_audit_runs(v->pa, run_end_row, v, &e))
            line(v, false, "runs: %s", e.msg);
        return;
    }
    if (sqlite3_prepare_v2(store_db(v->st),
                           "SELECT r.id, r.status,"
                           " EXISTS (SELECT 1 FROM audit_log a WHERE a.run_id = r.id"
                           "         AND a.action = 'run-start'),"
                           " EXISTS (SELECT 1 FROM audit_log a WHERE a.run_id = r.id"
                           "         AND a.action = 'run-end')"
                           " FROM runs r ORDER BY r.id",
                           -1, &st, NULL) != SQLITE_OK) {
        line(v, false, "runs: %s", sqlite3_errmsg(store_db(v->st)));
        return;
    }
    while (sqlite3_step(st) == SQLITE_ROW)
        run_end_row(v, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
                    sqlite3_column_int(st, 2), sqlite3_column_int(st, 3));
    sqlite3_finalize(st);
}

/* A report export still at its path must hash as logged. */
static void check_export(struct vctx *v, const struct audit_row *r)
{
    char path[1024], want[AUDIT_HASH_HEX], have[AUDIT_HASH_HEX];
    struct err e = {""};
    struct stat sb;
    if (!audit_detail_get(r->detail, "path", path, sizeof path) ||
        !audit_detail_get(r->detail, "sha256", want, sizeof want)) {
        line(v, false, "report export (seq %" PRId64 "): row has no path or sha256", r->seq);
        return;
    }
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        printf("note  report export %s: not present here, not re-hashed\n", path);
        return;
    }
    if (audit_sha256_file(path, have, NULL, &e))
        line(v, false, "report export %s: %s", path, e.msg);
    else if (strcmp(have, want) != 0)
        line(v, false, "report export %s: SHA-256 %s differs from the audit log's %s"
                       " (report modified or overwritten)", path, have, want);
    else
        line(v, true, "report export %s: SHA-256 %s matches", path, have);
}

static void check_scope(struct vctx *v, const struct audit_row *r)
{
    char want[AUDIT_HASH_HEX], rec[AUDIT_HASH_HEX] = "", act[AUDIT_HASH_HEX] = "";
    bool found;
    struct err e = {""};
    if (!audit_detail_get(r->detail, "sha256", want, sizeof want)) {
        line(v, false, "scope of run %" PRId64 ": scope-loaded row has no sha256", r->run_id);
        return;
    }
    if (v->pa ? pg_audit_snapshot(v->pa, r->run_id, &found, rec, act, &e)
              : store_audit_snapshot(v->st, r->run_id, &found, rec, act, &e)) {
        line(v, false, "scope of run %" PRId64 ": %s", r->run_id, e.msg);
        return;
    }
    if (!found)
        line(v, false, "scope of run %" PRId64 ": snapshot missing from scope_snapshots",
             r->run_id);
    else if (strcmp(act, want) != 0 || strcmp(rec, want) != 0)
        line(v, false,
             "scope of run %" PRId64 ": snapshot SHA-256 %s differs from the audit log's %s"
             " (scope snapshot changed)",
             r->run_id, strcmp(act, want) != 0 ? act : rec, want);
    else
        line(v, true, "scope of run %" PRId64 ": snapshot SHA-256 %s matches", r->run_id, want);
}

/* "audit chain", or "audit chain of probe P" when there are several. */
static const char *chain_label(const struct vctx *v, char *buf, size_t cap)
{
    if (!v->multi)
        return "audit chain";
    snprintf(buf, cap, "audit chain of probe %s", v->chain);
    return buf;
}

/* The summary line of the chain just walked. */
static void end_chain(struct vctx *v)
{
    char lb[AUDIT_TEXT_MAX + 32];
    if (v->walk.rows == 0 && !v->chain_broken)
        line(v, false, "%s: empty (no audited run in this database)",
             chain_label(v, lb, sizeof lb));
    else if (!v->chain_broken)
        line(v, true, "%s: %" PRId64 " rows, head seq %" PRId64 " hash %s",
             chain_label(v, lb, sizeof lb), v->walk.rows, v->walk.last_seq, v->walk.last_hash);
}

static void start_chain(struct vctx *v, const char *probe)
{
    if (v->in_chain)
        end_chain(v);
    v->in_chain = true;
    v->chain_broken = false;
    audit_walk_init(&v->walk);
    str_copy(v->chain, sizeof v->chain, probe);
    if (v->nprobes < VERIFY_MAX_CHAINS)
        str_copy(v->probes[v->nprobes++], sizeof v->probes[0], probe);
    else
        v->probes_cut = true;
}

static int on_row(void *user, const struct audit_row *r)
{
    struct vctx *v = user;
    char why[ERR_MSG_MAX], lb[AUDIT_TEXT_MAX + 32];
    if (!v->in_chain || strcmp(r->probe, v->chain) != 0)
        start_chain(v, r->probe);
    if (!v->chain_broken && audit_walk_step(&v->walk, r, why, sizeof why) != 0) {
        line(v, false, "%s: %s", chain_label(v, lb, sizeof lb), why);
        v->chain_broken = true;
        /* Keep going from this row, so that later checks still run. */
        v->walk.last_seq = r->seq;
        str_copy(v->walk.last_hash, sizeof v->walk.last_hash, r->hash);
    } else if (v->chain_broken) {
        v->walk.last_seq = r->seq;
        str_copy(v->walk.last_hash, sizeof v->walk.last_hash, r->hash);
    }
    if (strcmp(r->action, "run-end") == 0)
        check_run_end(v, r);
    else if (strcmp(r->action, "input") == 0)
        check_input(v, r);
    else if (strcmp(r->action, "scope-loaded") == 0)
        check_scope(v, r);
    else if (strcmp(r->action, "report-export") == 0)
        check_export(v, r);
    return 0;
}

/* The latest signature of one chain (probe, "" on SQLite). */
static void check_signature(struct vctx *v, const char *probe, const char *pubkey)
{
    bool found;
    int64_t sseq = 0;
    char shash[AUDIT_HASH_HEX] = "", sig[AUDIT_SIG_HEX] = "", of[AUDIT_TEXT_MAX + 16] = "";
    struct err e = {""};
    if (v->multi)
        snprintf(of, sizeof of, " of probe %s", probe);
    if (v->pa ? pg_audit_latest_signature(v->pa, probe, &found, &sseq, shash, sig, &e)
              : store_audit_latest_signature(v->st, &found, &sseq, shash, sig, &e)) {
        line(v, false, "signature%s: %s", of, e.msg);
    } else if (!found) {
        if (pubkey)
            line(v, false, "signature%s: none recorded, but --pubkey was given", of);
        else
            printf("note  signature%s: none recorded\n", of);
    } else if (!pubkey) {
        printf("note  signature%s over seq %" PRId64 " present, not checked (no --pubkey)\n", of,
               sseq);
    } else if (audit_verify_head(pubkey, sseq, shash, sig, &e)) {
        line(v, false, "signature%s over seq %" PRId64 ": %s (wrong key or signature)", of, sseq,
             e.msg);
    } else {
        line(v, true, "signature%s over seq %" PRId64 " head %s verifies with %s", of, sseq,
             shash, pubkey);
    }
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: trapline verify --db DB [--pubkey PEM] [--operator NAME] [--probe NAME]\n"
            "                       [INPUT...]\n"
            "  --db DB          database to check (a SQLite file or postgresql://...)\n"
            "  --pubkey PEM     Ed25519 public key: check the chain-head signature\n"
            "  --operator NAME  who verifies, for the audit log (default: the login name)\n"
            "  --probe NAME     PostgreSQL: the chain the verification is logged on\n"
            "                   (default: the host name)\n"
            "  INPUT            input files to re-hash (matched to logged inputs by file name);\n"
            "                   inputs still at their logged path are re-hashed anyway\n"
            "One line per check.  Exit codes: 0 every check holds; 4 a check failed (the\n"
            "last line names the first broken link); 1 the database cannot be read; 2 usage.\n"
            "The verification itself is appended to the audit log when the database is\n"
            "writable.\n");
}

int cmd_verify(int argc, char **argv)
{
    const char *db = NULL, *pubkey = NULL, *op = NULL, *probe = NULL;
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"pubkey", required_argument, NULL, 'p'},
        {"operator", required_argument, NULL, 'o'},
        {"probe", required_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'p': pubkey = optarg; break;
        case 'o': op = optarg; break;
        case 'P': probe = optarg; break;
        case 'h': usage(stdout); return EXIT_COMPLETE;
        default: usage(stderr); return EXIT_USAGE;
        }
    }
    if (!db) {
        fprintf(stderr, "trapline verify: --db is required\n");
        usage(stderr);
        return EXIT_USAGE;
    }
    struct err e = {""};
    struct stat sb;
    bool pg = sink_pg_is_url(db);
    struct store *st = NULL;
    struct pg_audit *pa = NULL;
    if (pg) {
        if (!(pa = pg_audit_open(sink_pg_conninfo(db), &e))) {
            fprintf(stderr, "trapline verify: %s\n", e.msg);
            return EXIT_FAILURE_;
        }
    } else {
        if (stat(db, &sb) != 0) {
            fprintf(stderr, "trapline verify: %s: no such database\n", db);
            return EXIT_FAILURE_;
        }
        /* Read-write when possible, so that the verification is logged;
         * never created or migrated here beyond what store_open does for
         * writers. */
        st = store_open(db, true, &e);
        if (!st) {
            fprintf(stderr, "trapline verify: %s\n", e.msg);
            return EXIT_FAILURE_;
        }
        if (store_schema_version(st) < 11) {
            fprintf(stderr, "trapline verify: %s: schema %d has no audit log\n", db,
                    store_schema_version(st));
            store_close(st);
            return EXIT_FAILURE_;
        }
    }
    struct vctx v = {.st = st, .pa = pa, .inputs = argv + optind, .ninputs = argc - optind};
    int64_t nchains = 1;
    v.probes = calloc(VERIFY_MAX_CHAINS, sizeof *v.probes);
    if (!v.probes || (pa && pg_audit_chains(pa, &nchains, &e))) {
        fprintf(stderr, "trapline verify: %s\n", v.probes ? e.msg : "out of memory");
        free(v.probes);
        store_close(st);
        pg_audit_close(pa);
        return EXIT_FAILURE_;
    }
    v.multi = nchains > 1;
    audit_walk_init(&v.walk);
    bool trig = pa ? pg_audit_triggers_present(pa) : store_audit_triggers_present(st);
    line(&v, trig, "append-only triggers on audit_log and scope_snapshots %s",
         trig ? "present" : "missing (dropped: tampering)");
    if (pa ? pg_audit_each(pa, on_row, &v, &e) : store_audit_each(st, on_row, &v, &e)) {
        fprintf(stderr, "trapline verify: %s\n", e.msg);
        free(v.probes);
        store_close(st);
        pg_audit_close(pa);
        return EXIT_FAILURE_;
    }
    if (v.in_chain)
        end_chain(&v);
    else
        line(&v, false, "audit chain: empty (no audited run in this database)");
    check_run_ends(&v);
    if (!pa)
        check_signature(&v, "", pubkey);
    for (size_t i = 0; pa && i < v.nprobes; i++)
        check_signature(&v, v.probes[i], pubkey);
    if (v.probes_cut)
        printf("note  signatures: only the first %d chains' signatures were checked\n",
               VERIFY_MAX_CHAINS);
    store_close(st);
    pg_audit_close(pa);
    free(v.probes);

    /* Log the verification (an access, 18 U.S.C. 3123(a)(3)). */
    char opname[AUDIT_TEXT_MAX];
    run_audit_operator(op, opname, sizeof opname);
    struct audit_detail d;
    audit_detail_init(&d);
    audit_detail_add(&d, "result", v.failed ? "failed" : "ok");
    audit_detail_add_u64(&d, "checks", v.checks);
    audit_detail_add_u64(&d, "failed", v.failed);
    audit_detail_add(&d, "first_failure", v.failed ? v.first : "");
    if (pg) {
        char host[256] = "";
        if (!probe) {
            if (gethostname(host, sizeof host - 1) != 0 || !host[0])
                snprintf(host, sizeof host, "probe");
            probe = host;
        }
        if (run_audit_log_pg(sink_pg_conninfo(db), probe, opname, "verify", 0, &d, &e))
            printf("note  verification not logged: %s\n", e.msg);
    } else {
        struct store *w = access(db, W_OK) == 0 ? store_open(db, false, &e) : NULL;
        if (w) {
            if (run_audit_log(w, opname, "verify", 0, &d, &e))
                printf("note  verification not logged: %s\n", e.msg);
            store_close(w);
        } else {
            printf("note  verification not logged: database not writable\n");
        }
    }
    if (v.failed) {
        printf("verify: FAILED (%u of %u checks): first broken link: %s\n", v.failed, v.checks,
               v.first);
        return EXIT_VERIFY_FAILED;
    }
    printf("verify: ok (%u checks)\n", v.checks);
    return EXIT_COMPLETE;
}
