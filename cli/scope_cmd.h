/* scope_cmd.h - `trapline scope check`: load and check authorisation scope files. */
#ifndef PR_CLI_SCOPE_CMD_H
#define PR_CLI_SCOPE_CMD_H

/* Runs the subcommand with its own argv (argv[0] is "scope"); returns the
 * process exit code (cli/cli.h). */
int cmd_scope(int argc, char **argv);

#endif
