/* cli.h - subcommands and shared helpers of the composition root.
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

int cmd_analyze(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_signatures(int argc, char **argv);
int cmd_live(int argc, char **argv);
int cmd_infer(int argc, char **argv);

/* Wall-clock UTC microseconds (only for runs.started/finished). */
uint64_t cli_wall_us(void);

/* Joins argv into one shell-like line (owned, free()). */
char *cli_command_line(int argc, char **argv);

struct store;

/* Opens (creating or migrating) the database db and records the start of a
 * run of the given mode ("analyze", "live") with the full command line argv
 * (argc words).  Prints the reason and returns NULL on failure; otherwise
 * returns the owned store with *run_id set. */
struct store *cli_begin_run(const char *db, const char *mode, int argc, char **argv,
                            const struct sig_set *sigs, int64_t *run_id);

/* Loads the signature set from path (NULL = the default location); prints
 * the error and returns NULL on failure. */
struct sig_set *cli_load_signatures(const char *path);

/* Parses arg, the value of option opt of subcommand cmd, as a decimal integer
 * in lo..hi.  Prints "trapline CMD: OPT: 'ARG' is not LO..HI" and returns
 * false when it is not one (leaving *out unchanged). */
bool cli_parse_num(const char *cmd, const char *opt, const char *arg, unsigned long lo,
                   unsigned long hi, unsigned long *out);

/* Default signature directory: $TRAPLINE_SIGNATURES, else the build's. */
const char *cli_default_signatures(void);

#endif
