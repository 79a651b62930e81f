/* run.c - the run lifecycle shared by analyze and live (see run.h). */
#include "cli/run.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "classify/classify.h"
#include "cli/cli.h"
#include "cli/version.h"
#include "report/sink_pg.h"
#include "report/sink_sqlite.h"
#include "report/sink_thread.h"
#include "report/spool.h"

/* Host names are at most 255 bytes (POSIX HOST_NAME_MAX on Linux is 64). */
#define CLI_PROBE_MAX 256

int cli_db_option(const char *cmd, int c, const char *arg, struct cli_db_opts *o)
{
    switch (c) {
    case CLI_OPT_PROBE:
        if (!*arg || strlen(arg) >= CLI_PROBE_MAX) {
            fprintf(stderr, "trapline %s: --probe: 1..%d characters\n", cmd, CLI_PROBE_MAX - 1);
            return -1;
        }
        o->probe = arg;
        return 1;
    case CLI_OPT_SPOOL: o->spool = arg; return 1;
    case CLI_OPT_SPOOL_MAX:
        return cli_parse_num(cmd, "--spool-max", arg, 1, 1UL << 30, &o->spool_max_mb) ? 1 : -1;
    default: return 0;
    }
}

/* argv with passwords replaced by "***" (owned array and words, NULL-terminated
 * at argc); warns once when a password was given on the command line. */
static char **scrub_argv(int argc, char **argv)
{
    char **out = calloc((size_t)argc + 1, sizeof *out);
    bool warned = false;
    for (int i = 0; out && i < argc; i++) {
        size_t n = strlen(argv[i]) + 8;
        if (!(out[i] = malloc(n))) {
            for (int k = 0; k < i; k++)
                free(out[k]);
            free(out);
            return NULL;
        }
        if (sink_pg_scrub(argv[i], out[i], n) && !warned) {
            fprintf(stderr, "trapline: warning: a password on the command line is visible to"
                            " other users; use ~/.pgpass, PGPASSFILE or a service file"
                            " (it is not recorded)\n");
            warned = true;
        }
    }
    return out;
}

static void free_argv(char **v, int argc)
{
    for (int i = 0; v && i < argc; i++)
        free(v[i]);
    free(v);
}

static struct sink *open_sink(struct cli_run *run, const char *db, const char *probe,
                              struct err *e)
{
    if (!sink_pg_is_url(db))
        return sink_sqlite_open(db, e);
    char spool[4096];
    if (run->dbo.spool)
        snprintf(spool, sizeof spool, "%s", run->dbo.spool);
    else
        snprintf(spool, sizeof spool, "trapline-spool-%s.db", probe);
    const struct sink_pg_config cfg = {
        .conninfo = sink_pg_conninfo(db),
        .spool_path = spool,
        .spool_max_bytes = run->dbo.spool_max_mb ? (uint64_t)run->dbo.spool_max_mb << 20
                                                 : SPOOL_DEFAULT_MAX_BYTES,
        .quiet = run->dbo.quiet,
    };
    return sink_pg_open(&cfg, e);
}

bool cli_run_pipeline(struct cli_run *run, const struct pipeline_config *pc)
{
    struct err e = {""};
    run->pl = pipeline_new(pc, &e);
    if (!run->pl) {
        fprintf(stderr, "trapline: %s\n", e.msg);
        return false;
    }
    return true;
}

bool cli_run_open(struct cli_run *run, const char *db, const char *mode, int argc, char **argv,
                  const struct sig_set *sigs)
{
    struct err e = {""};
    char host[CLI_PROBE_MAX] = "";
    const char *probe = run->dbo.probe;
    if (!probe) {
        if (gethostname(host, sizeof host - 1) != 0 || !host[0])
            snprintf(host, sizeof host, "probe");
        probe = host;
    }
    sink_pg_scrub(db, run->db_label, sizeof run->db_label);
    run->sink = open_sink(run, db, probe, &e);
    /* The sink's writes run on a writer thread unless one thread is asked for
     * (--threads 1 or TRAPLINE_THREADS=1): the database is the same either way. */
    const char *env = getenv("TRAPLINE_THREADS");
    unsigned threads = run->threads ? run->threads : env && strcmp(env, "1") == 0 ? 1 : 2;
    run->threads = threads; /* the command starts its input hasher by it */
    if (run->sink && threads > 1)
        run->sink = sink_thread_wrap(run->sink, &e);
    if (!run->sink) {
        fprintf(stderr, "trapline: %s\n", e.msg);
        return false;
    }
    char **clean = scrub_argv(argc, argv);
    char *cmdline = clean ? cli_command_line(argc, clean) : NULL;
    free_argv(clean, argc);
    char fallback[32];
    snprintf(fallback, sizeof fallback, "trapline %s", mode);
    const struct sink_run_info ri = {
        .started_us = cli_wall_us(),
        .mode = mode,
        .tool_version = TRAPLINE_VERSION,
        .command_line = cmdline ? cmdline : fallback,
        .signature_sha256 = sigs->sha256_hex,
        .ndpi_version = classify_ndpi_version(),
        .probe = probe,
        .home_net = run->home_net ? run->home_net : "",
    };
    int rc = sink_run_begin(run->sink, &ri, &run->run_id, &e);
    if (!rc)
        run->open = true;
    if (run->audit)
        run->audit->one_thread = run->threads == 1;
    if (!rc && run->audit)
        rc = run_audit_begin(run->audit, run->sink, run->run_id, mode, ri.command_line, sigs, &e);
    free(cmdline);
    if (rc) {
        fprintf(stderr, "trapline: %s\n", e.msg);
        return false;
    }
    pipeline_set_sink(run->pl, run->sink, run->run_id);
    return true;
}

bool cli_run_open_input(struct cli_run *run, size_t seq, const struct source_input *in)
{
    struct err e = {""};
    if (run->failed)
        return false;
    if (cli_run_fail(run, sink_input(run->sink, run->run_id, seq, in, &e), &e))
        return false;
    return !cli_run_fail(run, sink_commit(run->sink, &e), &e);
}

bool cli_run_open_inputs(struct cli_run *run, const struct source *src)
{
    struct err e = {""};
    if (run->failed)
        return false;
    for (size_t i = 0; i < source_input_count(src); i++)
        if (cli_run_fail(run, sink_input(run->sink, run->run_id, i, source_input_get(src, i), &e),
                         &e))
            return false;
    return !cli_run_fail(run, sink_commit(run->sink, &e), &e);
}

bool cli_run_tick(struct cli_run *run, long long now_ns)
{
    struct err e = {""};
    if (run->failed)
        return false;
    if (!run->last_commit_ns) {
        run->last_commit_ns = now_ns;
        return true;
    }
    if (now_ns - run->last_commit_ns < CLI_RUN_COMMIT_SECS * 1000000000LL)
        return true;
    run->last_commit_ns = now_ns;
    return !cli_run_fail(run, sink_commit(run->sink, &e), &e);
}

bool cli_run_fail(struct cli_run *run, int rc, const struct err *e)
{
    if (!rc)
        return false;
    fprintf(stderr, "trapline: %s\n", e->msg);
    run->failed = true;
    return true;
}

/* flow_table_flush_ex's progress: the flows below `below` have ended and
 * their rows are queued; committed, they are final for the early digest. */
static void flush_progress(uint64_t below, void *user)
{
    struct cli_run *run = user;
    struct err e = {""};
    if (!run->failed && !cli_run_fail(run, sink_commit(run->sink, &e), &e))
        run_audit_flush_final(run->audit, below);
}

void cli_run_flush(struct cli_run *run)
{
    struct err e = {""};
    if (!run->failed) {
        /* The run-end digest reads the flows the flush has ended and
         * committed while the flush goes on (run_audit_flush_begin). */
        bool early = false;
        if (run->audit)
            cli_run_fail(run, run_audit_flush_begin(run->audit, &early, &e), &e);
        if (!run->failed)
            cli_run_fail(run,
                         early ? pipeline_finish_ex(run->pl, CLI_FLUSH_COMMIT_FLOWS,
                                                    flush_progress, run, &e)
                               : pipeline_finish(run->pl, &e),
                         &e);
    }
    /* Every flow has ended: the flow table's and the classifiers' per-flow
     * memory is free.  Give it back to the kernel before the run-end work
     * (audit digest, index build) allocates its own, so the run's peak is
     * that of its packets. */
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}

void cli_run_stat(struct cli_run *run, const char *name, uint64_t value)
{
    struct err e = {""};
    if (!run->failed)
        cli_run_fail(run, sink_run_stat(run->sink, run->run_id, name, value, &e), &e);
}

void cli_run_capture_stats(struct cli_run *run, const struct sink_capture_stats *cs)
{
    struct err e = {""};
    if (!run->failed)
        cli_run_fail(run, sink_capture_stats(run->sink, run->run_id, cs, &e), &e);
}

void cli_run_input(struct cli_run *run, size_t seq, const struct source_input *in)
{
    struct err e = {""};
    if (!run->failed)
        cli_run_fail(run, sink_input(run->sink, run->run_id, seq, in, &e), &e);
    if (!run->failed && run->audit)
        cli_run_fail(run, run_audit_input(run->audit, in, &e), &e);
}

int cli_run_end(struct cli_run *run, bool partial)
{
    struct err e = {""};
    run->status = run->failed ? "failed" : partial ? "partial" : "complete";
    cli_run_fail(run, sink_run_end(run->sink, run->run_id, cli_wall_us(), run->status, &e), &e);
    run->open = false;
    if (run->audit && run_audit_end(run->audit, run->status, &e)) {
        fprintf(stderr, "trapline: audit: %s\n", e.msg);
        run->failed = true;
    }
    return run->failed ? EXIT_FAILURE_ : partial ? EXIT_PARTIAL : EXIT_COMPLETE;
}

void cli_run_close(struct cli_run *run)
{
    if (run->open && run->sink)
        sink_run_end(run->sink, run->run_id, cli_wall_us(), "failed", NULL);
    run->open = false;
    if (run->audit) {
        if (run->sink)
            run_audit_end(run->audit, "failed", NULL);
        run_audit_free(run->audit);
    }
    pipeline_free(run->pl);
    sink_close(run->sink);
    run->pl = NULL;
    run->sink = NULL;
}
