/* run.c - the run lifecycle shared by analyze and live (see run.h). */
#include "cli/run.h"

#include <stdio.h>
#include <stdlib.h>

#include "classify/classify.h"
#include "cli/cli.h"
#include "cli/version.h"
#include "report/sink_sqlite.h"

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
    run->sink = sink_sqlite_open(db, &e);
    if (!run->sink) {
        fprintf(stderr, "trapline: %s\n", e.msg);
        return false;
    }
    char *cmdline = cli_command_line(argc, argv);
    char fallback[32];
    snprintf(fallback, sizeof fallback, "trapline %s", mode);
    const struct sink_run_info ri = {
        .started_us = cli_wall_us(),
        .mode = mode,
        .tool_version = TRAPLINE_VERSION,
        .command_line = cmdline ? cmdline : fallback,
        .signature_sha256 = sigs->sha256_hex,
        .ndpi_version = classify_ndpi_version(),
        .home_net = run->home_net ? run->home_net : "",
    };
    int rc = sink_run_begin(run->sink, &ri, &run->run_id, &e);
    free(cmdline);
    if (rc) {
        fprintf(stderr, "trapline: %s\n", e.msg);
        return false;
    }
    run->open = true;
    pipeline_set_sink(run->pl, run->sink, run->run_id);
    return true;
}

bool cli_run_fail(struct cli_run *run, int rc, const struct err *e)
{
    if (!rc)
        return false;
    fprintf(stderr, "trapline: %s\n", e->msg);
    run->failed = true;
    return true;
}

void cli_run_flush(struct cli_run *run)
{
    struct err e = {""};
    if (!run->failed)
        cli_run_fail(run, pipeline_finish(run->pl, &e), &e);
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
}

int cli_run_end(struct cli_run *run, bool partial)
{
    struct err e = {""};
    run->status = run->failed ? "failed" : partial ? "partial" : "complete";
    cli_run_fail(run, sink_run_end(run->sink, run->run_id, cli_wall_us(), run->status, &e), &e);
    run->open = false;
    return run->failed ? EXIT_FAILURE_ : partial ? EXIT_PARTIAL : EXIT_COMPLETE;
}

void cli_run_close(struct cli_run *run)
{
    if (run->open && run->sink)
        sink_run_end(run->sink, run->run_id, cli_wall_us(), "failed", NULL);
    run->open = false;
    pipeline_free(run->pl);
    sink_close(run->sink);
    run->pl = NULL;
    run->sink = NULL;
}
