/* run_audit.h - the authorisation scope and audit log of one `analyze` or
 * `live` run (issue 11), kept out of the subcommands so that each wires it
 * with a handful of calls:
 *
 *   run_audit_option()   for --scope, --operator, --sign-key
 *   run_audit_prepare()  loads the scope (and the filter the pipeline uses)
 *                        and checks the signing key, before the run starts
 *   run_audit_begin()    after sink_run_begin: run-start, scope (snapshot),
 *                        signatures rows
 *   run_audit_input()    one row per input with its SHA-256
 *   run_audit_end()      after sink_run_end: run-end row with the run's
 *                        record counts and digest; signs the chain head
 */
#ifndef PR_CLI_RUN_AUDIT_H
#define PR_CLI_RUN_AUDIT_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/rc.h"
#include "capture/source.h"
#include "report/audit.h"
#include "report/scope_filter.h"
#include "report/sink.h"
#include "report/store.h"
#include "classify/suci.h"
#include "signatures/scope.h"
#include "signatures/sig.h"

/* getopt_long codes of the options (above any short option). */
enum {
    RUN_AUDIT_OPT_SCOPE = 0x1100,
    RUN_AUDIT_OPT_OPERATOR,
    RUN_AUDIT_OPT_SIGN_KEY,
    RUN_AUDIT_OPT_SUCI_KEYS
};

#define RUN_AUDIT_OPTIONS                                                  \
    {"scope", required_argument, NULL, RUN_AUDIT_OPT_SCOPE},               \
    {"operator", required_argument, NULL, RUN_AUDIT_OPT_OPERATOR},         \
    {"sign-key", required_argument, NULL, RUN_AUDIT_OPT_SIGN_KEY},         \
    {"suci-keys", required_argument, NULL, RUN_AUDIT_OPT_SUCI_KEYS}

#define RUN_AUDIT_USAGE                                                                     \
    "  --scope FILE       authorisation scope (YAML): only its targets, inside its window,\n" \
    "                     are stored; without it the run is marked 'research'\n"            \
    "  --operator NAME    who runs it, for the audit log (default: the login name)\n"       \
    "  --sign-key PEM     Ed25519 private key: sign the audit chain head at the end\n"       \
    "  --suci-keys FILE   home network private keys (lines: ID A|B HEX) that de-conceal\n" \
    "                     5G SUCIs (TS 33.501 Annex C); the Annex C.4 test keys are\n"     \
    "                     always tried after them\n"

struct run_audit {
    const char *scope_path, *operator_opt, *sign_key, *suci_path; /* borrowed (argv) */
    struct suci_keys *suci;        /* owned: --suci-keys, read at prepare time; NULL: none
                                      given (the pipeline tries the test keys only) */
    char *key_pem;                 /* owned: the signing key, read at prepare time
                                      (live drops privileges before the run ends) */
    size_t key_len;
    struct scope *scope;           /* owned; NULL = research mode */
    struct scope_filter *filter;   /* owned; what the pipeline gets */
    char operator_name[AUDIT_TEXT_MAX];
    struct sink *sink;             /* borrowed after begin (rows go through its audit op) */
    int64_t run_id;
    bool begun, ended;
    bool one_thread; /* --threads 1: the run-end digest reads on this thread only */
    struct store_audit_early *early; /* owned: the digest's flows, read during the flush */
};

/* Takes option c with argument arg when it is one of RUN_AUDIT_OPTIONS;
 * returns true when it was. */
bool run_audit_option(struct run_audit *a, int c, const char *arg);

/* Loads the scope file and checks the signing key.  Prints the reason and
 * returns false on failure. */
bool run_audit_prepare(struct run_audit *a);

/* Writes the run-start rows for run_id (mode "analyze"/"live", the command
 * line, the signature set).  Returns 0 or an rc (e set). */
int run_audit_begin(struct run_audit *a, struct sink *sink, int64_t run_id, const char *mode,
                    const char *command_line, const struct sig_set *sigs, struct err *e);

/* One input row (path, SHA-256 or NULL, size, status). */
int run_audit_input(struct run_audit *a, const struct source_input *in, struct err *e);

/* A signatures-reloaded row (live SIGHUP) with the new set's SHA-256. */
int run_audit_reload(struct run_audit *a, const char *sha256_hex, struct err *e);

/* The run-end row with status and the run's record counts; then signs the
 * head when --sign-key was given.  Idempotent.  Returns 0 or an rc. */
int run_audit_end(struct run_audit *a, const char *status, struct err *e);

void run_audit_free(struct run_audit *a);

/* The operator's name: opt when given, else the login name, else "uid N". */
void run_audit_operator(const char *opt, char *out, size_t cap);

/* Adds run_id's record counts (one per store_audit_table_names entry), the
 * digest version and records_sha256 (report/store_audit.h) to d: the body
 * of a run-end row.  one_thread: no helper thread reads the store. */
int run_audit_add_counts(struct store *st, int64_t run_id, bool one_thread,
                         struct store_audit_early *early, struct audit_detail *d,
                         struct err *e);

/* Around the end-of-input flush (cli_run_flush): flush_begin commits the
 * rows so far and, when the run's rows go to a SQLite file and the digest
 * may use threads, starts reading the run's flows for the run-end digest
 * (store_audit_early) and sets *started; then flush_final(below) after the
 * caller has committed every flow below `below` that the flush ended.
 * run_audit_end takes what was read.  Returns 0, or the commit's rc (e
 * set); without *started the run end reads it all. */
int run_audit_flush_begin(struct run_audit *a, bool *started, struct err *e);
void run_audit_flush_final(struct run_audit *a, uint64_t below);

/* Appends one row (action, run_id, detail) as operator now. */
int run_audit_log(struct store *st, const char *operator_name, const char *action,
                  int64_t run_id, const struct audit_detail *d, struct err *e);

/* The same on a PostgreSQL store (conninfo), on probe's chain
 * (pg_audit_append). */
int run_audit_log_pg(const char *conninfo, const char *probe, const char *operator_name,
                     const char *action, int64_t run_id, const struct audit_detail *d,
                     struct err *e);

#endif
