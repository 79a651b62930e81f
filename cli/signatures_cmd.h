/* signatures_cmd.h - `trapline signatures check`: load and check signature files. */
#ifndef PR_CLI_SIGNATURES_CMD_H
#define PR_CLI_SIGNATURES_CMD_H

/* Runs the subcommand with its own argv (argv[0] is "signatures"); returns the
 * process exit code (cli/cli.h). */
int cmd_signatures(int argc, char **argv);

#endif
