/* run_audit.c - scope and audit wiring of a run (see run_audit.h). */
#include "cli/run_audit.h"

#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "capture/str.h"
#include "cli/cli.h"
#include "cli/version.h"
#include "report/pg_audit.h"
#include "report/sink_pg.h"
#include "report/sink_sqlite.h"
#include "report/sink_thread.h"
#include "report/store_audit.h"

bool run_audit_option(struct run_audit *a, int c, const char *arg)
{
    switch (c) {
    case RUN_AUDIT_OPT_SCOPE: a->scope_path = arg; return true;
    case RUN_AUDIT_OPT_OPERATOR: a->operator_opt = arg; return true;
    case RUN_AUDIT_OPT_SIGN_KEY: a->sign_key = arg; return true;
    case RUN_AUDIT_OPT_SUCI_KEYS: a->suci_path = arg; return true;
    default: return false;
    }
}

void run_audit_operator(const char *opt, char *out, size_t cap)
{
    if (opt && *opt) {
        str_copy(out, cap, opt);
        return;
    }
    char name[AUDIT_TEXT_MAX];
    if (getlogin_r(name, sizeof name) == 0 && name[0]) {
        str_copy(out, cap, name);
        return;
    }
    struct passwd *pw = getpwuid(getuid());
    if (pw && pw->pw_name)
        str_copy(out, cap, pw->pw_name);
    else
        snprintf(out, cap, "uid %u", (unsigned)getuid());
}

bool run_audit_prepare(struct run_audit *a)
{
    struct err e = {""};
    run_audit_operator(a->operator_opt, a->operator_name, sizeof a->operator_name);
    if (a->scope_path) {
        a->scope = scope_load_file(a->scope_path, &e);
        if (!a->scope) {
            fprintf(stderr, "trapline: scope: %s\n", e.msg);
            return false;
        }
        a->filter = scope_filter_new(a->scope, &e);
        if (!a->filter) {
            fprintf(stderr, "trapline: %s\n", e.msg);
            return false;
        }
    }
    if (a->suci_path) {
        /* read now too: live drops privileges before its capture starts */
        a->suci = malloc(sizeof *a->suci);
        if (!a->suci) {
            fprintf(stderr, "trapline: out of memory\n");
            return false;
        }
        suci_keys_init(a->suci);
        if (suci_keys_load(a->suci, a->suci_path, &e)) {
            fprintf(stderr, "trapline: --suci-keys: %s\n", e.msg);
            return false;
        }
    }
    if (a->sign_key) {
        /* Read it now (live drops privileges before the end) and sign a
         * throw-away head so that a bad key fails before the capture. */
        char sig[AUDIT_SIG_HEX], pub[AUDIT_HASH_HEX];
        if (audit_read_key(a->sign_key, &a->key_pem, &a->key_len, &e) ||
            audit_sign_head_mem(a->key_pem, a->key_len, a->sign_key, 0, audit_genesis_hash, sig,
                                pub, &e)) {
            fprintf(stderr, "trapline: --sign-key: %s\n", e.msg);
            return false;
        }
    }
    return true;
}

/* A new row (*out, owned) of action for run_id as operator_name now, detail
 * d.  Returns 0, or RC_LIMIT when d overflowed, RC_NOMEM (e set). */
static int new_row(const char *operator_name, const char *action, int64_t run_id,
                   const struct audit_detail *d, struct audit_row **out, struct err *e)
{
    *out = NULL;
    if (d->overflow)
        return err_set(e, RC_LIMIT, "audit: %s detail longer than %d bytes", action,
                       AUDIT_DETAIL_MAX);
    struct audit_row *r = calloc(1, sizeof *r);
    if (!r)
        return err_set(e, RC_NOMEM, "out of memory");
    r->ts_utc = cli_wall_us();
    str_copy(r->operator_name, sizeof r->operator_name, operator_name);
    str_copy(r->action, sizeof r->action, action);
    r->run_id = run_id;
    str_copy(r->detail, sizeof r->detail, d->buf);
    *out = r;
    return 0;
}

/* The run-end detail's counts and digest (version STORE_AUDIT_DIGEST_VERSION). */
static void add_counts(struct audit_detail *d, const struct store_audit_counts *c)
{
    audit_detail_add_u64(d, "digest", STORE_AUDIT_DIGEST_VERSION);
    for (size_t k = 0; k < STORE_AUDIT_TABLES; k++)
        audit_detail_add_u64(d, store_audit_table_names[k], c->n[k]);
    audit_detail_add(d, "records_sha256", c->digest);
}

int run_audit_add_counts(struct store *st, int64_t run_id, bool one_thread,
                         struct store_audit_early *early, struct audit_detail *d,
                         struct err *e)
{
    struct store_audit_counts c;
    int rc = store_audit_run_counts_ex(st, run_id, STORE_AUDIT_DIGEST_VERSION, !one_thread, early,
                                       &c, e);
    if (rc)
        return rc;
    add_counts(d, &c);
    return 0;
}

int run_audit_log(struct store *st, const char *operator_name, const char *action,
                  int64_t run_id, const struct audit_detail *d, struct err *e)
{
    struct audit_row *r;
    int rc = new_row(operator_name, action, run_id, d, &r, e);
    if (rc)
        return rc;
    rc = store_audit_append(st, r, e);
    free(r);
    return rc;
}

int run_audit_log_pg(const char *conninfo, const char *probe, const char *operator_name,
                     const char *action, int64_t run_id, const struct audit_detail *d,
                     struct err *e)
{
    struct audit_row *r;
    int rc = new_row(operator_name, action, run_id, d, &r, e);
    if (rc)
        return rc;
    rc = pg_audit_append(conninfo, probe, r, e);
    free(r);
    return rc;
}

/* The backend under the writer-thread decorator (or sink itself).  The
 * audit chain goes through the sink's audit op; the scope snapshot, the
 * run-end record counts and the signature go to the backend directly: the
 * SQLite store (sink_sqlite_store) or the PostgreSQL sink (sink_pg_audit_*).
 * The caller has passed a barrier op (sink_audit or sink_commit) first, so
 * the writer thread is idle while the backend is used here. */
static struct sink *audit_backend(struct sink *sink)
{
    struct sink *inner = sink_thread_inner(sink);
    return inner ? inner : sink;
}

static struct store *audit_store(struct sink *sink)
{
    return sink_sqlite_store(audit_backend(sink));
}

static bool audit_pg(struct sink *sink)
{
    return strcmp(sink_name(audit_backend(sink)), "postgresql") == 0;
}

static int audit_scope(struct sink *sink, int64_t run_id, const struct scope *sc, struct err *e)
{
    struct store *st = audit_store(sink);
    return st ? store_audit_scope(st, run_id, sc, e)
              : sink_pg_audit_scope(audit_backend(sink), run_id, sc, e);
}

static int audit_signature(struct sink *sink, int64_t seq, const char *hash, const char *sig,
                           const char *pub, struct err *e)
{
    struct store *st = audit_store(sink);
    return st ? store_audit_signature(st, seq, hash, sig, pub, e)
              : sink_pg_audit_signature(audit_backend(sink), seq, hash, sig, pub, e);
}

/* One row of the run through the sink's audit op. */
static int log_run(struct run_audit *a, const char *action, const struct audit_detail *d,
                   struct err *e)
{
    struct audit_row *r;
    int rc = new_row(a->operator_name, action, a->run_id, d, &r, e);
    if (rc)
        return rc;
    rc = sink_audit(a->sink, r, e);
    free(r);
    return rc;
}

int run_audit_begin(struct run_audit *a, struct sink *sink, int64_t run_id, const char *mode,
                    const char *command_line, const struct sig_set *sigs, struct err *e)
{
    struct audit_detail d;
    /* A back end that keeps no audit log has nowhere to put a scope
     * snapshot or a signature (only the text sink of the tests). */
    if (!audit_store(sink) && !audit_pg(sink) && (a->scope || a->sign_key))
        return err_set(e, RC_USAGE, "--scope and --sign-key need a SQLite or PostgreSQL --db");
    a->sink = sink;
    a->run_id = run_id;
    a->begun = true;
    audit_detail_init(&d);
    audit_detail_add(&d, "mode", mode);
    audit_detail_add(&d, "basis", a->scope ? "scope" : "research");
    audit_detail_add(&d, "tool_version", TRAPLINE_VERSION);
    audit_detail_add(&d, "command_line", command_line);
    int rc = log_run(a, "run-start", &d, e);
    if (!rc && a->scope) {
        rc = audit_scope(sink, run_id, a->scope, e);
        audit_detail_init(&d);
        audit_detail_add(&d, "path", a->scope->file);
        audit_detail_add(&d, "sha256", a->scope->sha256_hex);
        audit_detail_add_u64(&d, "bytes", a->scope->nbytes);
        audit_detail_add(&d, "case", a->scope->liid);
        audit_detail_add_u64(&d, "targets", a->scope->ntargets);
        if (!rc)
            rc = log_run(a, "scope-loaded", &d, e);
    }
    if (!rc) {
        audit_detail_init(&d);
        audit_detail_add(&d, "sha256", sigs->sha256_hex);
        audit_detail_add_u64(&d, "services", sigs->nservices);
        audit_detail_add_u64(&d, "rules", sigs->nrules);
        rc = log_run(a, "signatures-loaded", &d, e);
    }
    return rc;
}

int run_audit_input(struct run_audit *a, const struct source_input *in, struct err *e)
{
    struct audit_detail d;
    char hex[AUDIT_HASH_HEX] = "";
    if (in->sha_done)
        for (int i = 0; i < 32; i++)
            snprintf(hex + 2 * i, 3, "%02x", in->sha256[i]);
    audit_detail_init(&d);
    audit_detail_add(&d, "path", in->path);
    audit_detail_add(&d, "sha256", hex);
    audit_detail_add_u64(&d, "bytes", in->size);
    audit_detail_add_u64(&d, "packets", in->packets);
    audit_detail_add(&d, "status", source_status_name(in->status));
    return log_run(a, "input", &d, e);
}

int run_audit_flush_begin(struct run_audit *a, bool *started, struct err *e)
{
    *started = false;
    if (!a->begun || a->ended || a->one_thread || a->early)
        return 0;
    /* a barrier: the rows so far are committed, and the store may be asked */
    int rc = sink_commit(a->sink, e);
    if (rc)
        return rc;
    struct store *st = audit_store(a->sink);
    a->early = st ? store_audit_early_start(st, a->run_id) : NULL;
    *started = a->early != NULL;
    return 0;
}

void run_audit_flush_final(struct run_audit *a, uint64_t below)
{
    store_audit_early_final(a->early, below > INT64_MAX ? INT64_MAX : (int64_t)below);
}

int run_audit_end(struct run_audit *a, const char *status, struct err *e)
{
    if (!a->begun || a->ended)
        return 0;
    a->ended = true;
    struct store_audit_early *early = a->early;
    a->early = NULL;
    int rc = sink_commit(a->sink, e); /* a barrier: every row of the run is written */
    struct store *st = rc ? NULL : audit_store(a->sink);
    bool pg = !rc && !st && audit_pg(a->sink);
    if (!st)
        store_audit_early_free(early);
    if (rc || (!st && !pg))
        return rc;
    struct audit_detail d;
    audit_detail_init(&d);
    audit_detail_add(&d, "status", status);
    if (st) {
        rc = run_audit_add_counts(st, a->run_id, a->one_thread, early, &d, e);
    } else {
        /* PostgreSQL away at the end: the rows wait in the spool, so they
         * cannot be counted; the run-end row says so (verify notes it)
         * rather than leaving the chain without its end. */
        struct store_audit_counts c;
        struct err ce = {""};
        rc = sink_pg_audit_counts(audit_backend(a->sink), a->run_id, STORE_AUDIT_DIGEST_VERSION,
                                  &c, &ce);
        if (rc == RC_IO) {
            fprintf(stderr, "trapline: audit: %s\n", ce.msg);
            audit_detail_add(&d, "records", "uncounted");
            audit_detail_add(&d, "reason", "database server unreachable at run end");
            rc = 0;
        } else if (rc) {
            if (e)
                *e = ce;
        } else {
            add_counts(&d, &c);
        }
    }
    if (rc)
        return rc;
    if (a->filter) {
        struct scope_filter_stats fs;
        scope_filter_get_stats(a->filter, &fs);
        uint64_t dropped = 0;
        for (int k = 0; k < SCOPE_REC_KIND_COUNT; k++)
            for (int v = SCOPE_DROP_NO_TARGET; v < SCOPE_VERDICT_COUNT; v++)
                dropped += fs.dropped[k][v];
        audit_detail_add_u64(&d, "scope_dropped", dropped);
    }
    struct audit_row *r = calloc(1, sizeof *r);
    if (!r)
        return err_set(e, RC_NOMEM, "out of memory");
    r->ts_utc = cli_wall_us();
    str_copy(r->operator_name, sizeof r->operator_name, a->operator_name);
    str_copy(r->action, sizeof r->action, "run-end");
    r->run_id = a->run_id;
    str_copy(r->detail, sizeof r->detail, d.buf);
    rc = d.overflow ? err_set(e, RC_LIMIT, "audit: run-end detail too long")
                    : sink_audit(a->sink, r, e);
    if (!rc && a->sign_key) {
        char sig[AUDIT_SIG_HEX], pub[AUDIT_HASH_HEX];
        rc = audit_sign_head_mem(a->key_pem, a->key_len, a->sign_key, r->seq, r->hash, sig, pub,
                                 e);
        if (!rc)
            rc = audit_signature(a->sink, r->seq, r->hash, sig, pub, e);
    }
    free(r);
    return rc;
}

int run_audit_reload(struct run_audit *a, const char *sha256_hex, struct err *e)
{
    if (!a->begun || a->ended)
        return 0;
    struct audit_detail d;
    audit_detail_init(&d);
    audit_detail_add(&d, "sha256", sha256_hex);
    return log_run(a, "signatures-reloaded", &d, e);
}

void run_audit_free(struct run_audit *a)
{
    store_audit_early_free(a->early);
    a->early = NULL;
    if (a->suci) {
        OPENSSL_cleanse(a->suci, sizeof *a->suci);
        free(a->suci);
        a->suci = NULL;
    }
    if (a->key_pem) {
        OPENSSL_cleanse(a->key_pem, a->key_len);
        free(a->key_pem);
        a->key_pem = NULL;
    }
    scope_filter_free(a->filter);
    scope_free(a->scope);
    a->filter = NULL;
    a->scope = NULL;
}
