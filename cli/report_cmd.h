/* report_cmd.h - `trapline report`: database -> contact-record report. */
#ifndef PR_CLI_REPORT_CMD_H
#define PR_CLI_REPORT_CMD_H

/* Runs the subcommand with its own argv (argv[0] is "report"); returns the
 * process exit code (cli/cli.h). */
int cmd_report(int argc, char **argv);

#endif
