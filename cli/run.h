/* run.h - the one run lifecycle of `analyze` and `live`.
 *
 *   cli_run_pipeline  build the pipeline (the classifier checks the
 *                     signatures against nDPI) before anything is opened
 *   cli_run_open      open the sink (database), write the run row, attach
 *   ... the command feeds packets to run->pl; cli_run_fail records errors
 *   cli_run_flush     end every flow and write the run counters
 *   cli_run_stat / cli_run_capture_stats / cli_run_input   closing rows
 *   cli_run_end       status (failed / partial / complete), run end, exit code
 *   cli_run_close     always: a run left open is marked failed, all freed
 *
 * Every writing step is skipped once the run has failed, so the first error
 * is the one printed and the run ends "failed".
 */
#ifndef PR_CLI_RUN_H
#define PR_CLI_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/rc.h"
#include "capture/source.h"
#include "report/pipeline.h"
#include "report/sink.h"
#include "signatures/sig.h"

struct cli_run {
    struct pipeline *pl;       /* owned */
    struct sink *sink;         /* owned */
    int64_t run_id;
    bool open;                 /* run row written, end not yet */
    bool failed;               /* an error was printed; the run ends "failed" */
    const char *status;        /* set by cli_run_end */
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
