/* live.h - `trapline live`: a live capture -> database. */
#ifndef PR_CLI_LIVE_H
#define PR_CLI_LIVE_H

/* Runs the subcommand with its own argv (argv[0] is "live"); returns the
 * process exit code (cli/cli.h). */
int cmd_live(int argc, char **argv);

#endif
