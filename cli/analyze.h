/* analyze.h - `trapline analyze`: pcap/pcapng files -> database. */
#ifndef PR_CLI_ANALYZE_H
#define PR_CLI_ANALYZE_H

/* Runs the subcommand with its own argv (argv[0] is "analyze"); returns the
 * process exit code (cli/cli.h). */
int cmd_analyze(int argc, char **argv);

#endif
