/* cli.h - helpers shared by the subcommands (cli.c) and the exit codes.
 *
 * Exit codes (documented in the README and --help):
 *   0  complete: every input was read to its end
 *   1  failure: nothing usable was produced (database, signatures, I/O)
 *   2  usage error
 *   3  partial: a result was written, but some input was refused, unreadable,
 *      cut short, or the run was interrupted
 */
#ifndef PR_CLI_CLI_H
#define PR_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "signatures/sig.h"

enum exit_code { EXIT_COMPLETE = 0, EXIT_FAILURE_ = 1, EXIT_USAGE = 2, EXIT_PARTIAL = 3 };

#define CLI_DEFAULT_DB "trapline.db"

int cmd_infer(int argc, char **argv);

/* Wall-clock UTC microseconds (only for runs.started/finished). */
uint64_t cli_wall_us(void);

/* Joins argv into one shell-like line (owned, free()). */
char *cli_command_line(int argc, char **argv);

/* Loads the signature set from path (NULL = the default location); prints
 * the error and returns NULL on failure.  The YAML is checked here; the nDPI
 * protocol names are checked by whoever builds a classifier from the set
 * (the pipeline, `signatures check`), so a run starts only one. */
struct sig_set *cli_load_signatures(const char *path);

/* Longest --home-net list kept for one run (all its --home-net values). */
#define CLI_HOME_NET_MAX 1024

/* Checks arg (one --home-net value: CIDRs, comma-separated; report/
 * localnet.h) and appends it to list (n bytes, comma-separated).  Prints
 * "trapline CMD: --home-net: ..." and returns false when it is malformed or
 * the list is full. */
bool cli_home_net(const char *cmd, char *list, size_t n, const char *arg);

/* Parses arg, the value of option opt of subcommand cmd, as a decimal integer
 * in lo..hi.  Prints "trapline CMD: OPT: 'ARG' is not LO..HI" and returns
 * false when it is not one (leaving *out unchanged). */
bool cli_parse_num(const char *cmd, const char *opt, const char *arg, unsigned long lo,
                   unsigned long hi, unsigned long *out);

/* Parses a UTC time YYYY-MM-DD[THH:MM:SS[.ffffff]][Z] into microseconds;
 * false when malformed. */
bool cli_parse_time(const char *s, long long *us);

/* Parses "N[,M...]" run ids of subcommand cmd, appending to runs[*n]
 * (at most max).  Prints why and returns false when malformed. */
bool cli_parse_runs(const char *cmd, const char *arg, int64_t *runs, size_t max, size_t *n);

int cmd_extract(int argc, char **argv);

/* Default signature directory: $TRAPLINE_SIGNATURES, else the build's. */
const char *cli_default_signatures(void);

#endif
