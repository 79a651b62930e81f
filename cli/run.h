/* run.h - the one run lifecycle of `analyze` and `live`.
 *
 *   cli_run_pipeline  build the pipeline (the classifier checks the
 *                     signatures against nDPI) before anything is opened
 *   cli_run_open      open the sink (database), write the run row, attach
 *   cli_run_open_input(s)  record the inputs as being read, before any is
 *                     read, and commit (a killed run still names them)
 *   cli_run_tick      commit at CLI_RUN_COMMIT_SECS of wall time (analyze;
 *                     the sink also commits at its own row bound)
 *   ... the command feeds packets to run->pl; cli_run_fail records errors
 *   cli_run_flush     end every flow and write the run counters
 *   cli_run_stat / cli_run_capture_stats / cli_run_input   closing rows
 *   cli_run_end       status (failed / partial / complete), run end, exit code
 *   cli_run_close     always: a run left open is marked failed, all freed
 *
 * Every writing step is skipped once the run has failed, so the first error
 * is the one printed and the run ends "failed".  With run->audit set, open
 * writes the run-start, scope and signatures audit rows, each input its
 * input row, and end (or close, for a run that failed) the run-end row.
 */
#ifndef PR_CLI_RUN_H
#define PR_CLI_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/rc.h"
#include "capture/source.h"
#include "cli/run_audit.h"
#include "report/pipeline.h"
#include "report/sink.h"
#include "signatures/sig.h"

/* Database options shared by analyze and live (--probe, --spool, --spool-max). */
struct cli_db_opts {
    const char *probe;         /* NULL = the host name */
    const char *spool;         /* PostgreSQL outage spool; NULL = trapline-spool-PROBE.db */
    unsigned long spool_max_mb; /* 0 = SPOOL_DEFAULT_MAX_BYTES */
    bool quiet;
};

/* Long-option codes of those options (getopt_long values above any char). */
enum { CLI_OPT_PROBE = 0x100, CLI_OPT_SPOOL, CLI_OPT_SPOOL_MAX, CLI_OPT_MAX_BINDINGS };

/* The usage lines of those options. */
#define CLI_DB_USAGE                                                                       \
    "  --db PATH|URL      SQLite file, or a PostgreSQL server: postgresql://[user@]host\n"  \
    "                     [:port]/dbname[?sslmode=verify-full] (libpq URI; bare\n"          \
    "                     'postgresql:' takes PGHOST, PGUSER, ... from the environment;\n"  \
    "                     passwords belong in ~/.pgpass or PGPASSFILE, not here)\n"         \
    "  --probe NAME       name of this capture point in a shared store (default: host name)\n" \
    "  --spool PATH       PostgreSQL outage spool (default ./trapline-spool-PROBE.db)\n"    \
    "  --spool-max MB     spool bound; beyond it rows are dropped and counted (default 1024)\n"

/* Handles one of those options (c from getopt_long, arg its value) for
 * subcommand cmd.  Returns 1 when c was one of them, 0 when not, -1 on a
 * bad value (printed). */
int cli_db_option(const char *cmd, int c, const char *arg, struct cli_db_opts *o);

struct cli_run {
    struct pipeline *pl;       /* owned */
    struct sink *sink;         /* owned */
    int64_t run_id;
    bool open;                 /* run row written, end not yet */
    bool failed;               /* an error was printed; the run ends "failed" */
    const char *status;        /* set by cli_run_end */
    long long last_commit_ns;  /* cli_run_tick; 0 = not yet */
    struct run_audit *audit;   /* borrowed, NULL = none; prepared by the command
                                  (run_audit_prepare), logged by the steps below
                                  and freed by cli_run_close (issue 11) */
    struct cli_db_opts dbo;    /* set by the command before cli_run_open */
    char db_label[512];        /* the database as printed (password scrubbed) */
    unsigned threads;          /* 1: sink on the packet thread; 0 (default) or 2: writer
                                  thread (report/sink_thread.h); env TRAPLINE_THREADS=1;
                                  cli_run_open sets the count it chose (1 or 2) */
    const char *home_net;      /* --home-net list stored with the run (borrowed), NULL none */
};

/* Builds run->pl from pc (its sink and run id are set by cli_run_open).
 * Prints the reason and returns false on failure. */
bool cli_run_pipeline(struct cli_run *run, const struct pipeline_config *pc);

/* Opens the database db (creating or migrating it), records the start of a
 * run of mode ("analyze", "live") with the command line argv (argc words)
 * and the signature set, and attaches the sink to the pipeline.  Prints the
 * reason and returns false on failure. */
bool cli_run_open(struct cli_run *run, const char *db, const char *mode, int argc, char **argv,
                  const struct sig_set *sigs);

/* Wall-clock seconds after which analyze commits what is pending, whatever
 * the number of rows (the SQLite sink commits at STORE_BATCH_ROWS rows on its
 * own): a killed run loses at most this much. */
#define CLI_RUN_COMMIT_SECS 5
/* The end-of-input flush commits after this many flows when the run-end
 * digest reads them meanwhile (run_audit_flush_begin). */
#define CLI_FLUSH_COMMIT_FLOWS 8192

/* Records input seq (usually still INPUT_PENDING: "reading") and commits, so
 * it is on disk before it is read.  Prints the reason, marks the run failed
 * and returns false on failure. */
bool cli_run_open_input(struct cli_run *run, size_t seq, const struct source_input *in);

/* cli_run_open_input for every input of src. */
bool cli_run_open_inputs(struct cli_run *run, const struct source *src);

/* Commits when CLI_RUN_COMMIT_SECS have passed since the last commit made
 * here (now_ns: a monotonic clock).  Returns false once the run failed. */
bool cli_run_tick(struct cli_run *run, long long now_ns);

/* Records a failure: prints "trapline: <e>" when rc != 0 and marks the run
 * failed.  Returns rc != 0. */
bool cli_run_fail(struct cli_run *run, int rc, const struct err *e);

/* Ends every flow and writes the pipeline's run counters. */
void cli_run_flush(struct cli_run *run);

/* One more run counter / capture sample / input row (skipped once failed). */
void cli_run_stat(struct cli_run *run, const char *name, uint64_t value);
void cli_run_capture_stats(struct cli_run *run, const struct sink_capture_stats *cs);
void cli_run_input(struct cli_run *run, size_t seq, const struct source_input *in);

/* Records the end of the run: "failed" after any error, else "partial" when
 * partial, else "complete" (in run->status).  Returns the exit code
 * (EXIT_FAILURE_, EXIT_PARTIAL, EXIT_COMPLETE). */
int cli_run_end(struct cli_run *run, bool partial);

/* Marks a run still open as failed, then frees the pipeline and the sink.
 * Safe on a zeroed struct. */
void cli_run_close(struct cli_run *run);

#endif
