/* scope.h - which runs a report covers, and no capture counted twice.
 *
 * report_scope() creates TEMP views named like the record tables (runs,
 * inputs, run_stats, flows, sms_events, ott_events).  SQLite resolves an
 * unqualified name in the temp schema first, so every report query then sees
 * only the rows in scope, without changing the queries (and without writing
 * to the database: temp objects live in the connection).
 *
 * Scope: the runs given (`report --run N[,M]`), or every run.  Within it, a
 * flow is left out when the input holding its first packet was analysed
 * completely again by a later run in scope (same SHA-256, e.g. `analyze
 * --force`): the later run's records stand for that capture, so no record is
 * counted twice.  SMS and OTT events of a flow left out are left out too.
 */
#ifndef PR_REPORT_SCOPE_H
#define PR_REPORT_SCOPE_H

#include <stddef.h>
#include <stdint.h>

#include "capture/rc.h"
#include "report/store.h"

/* Runs one --run list may name. */
#define SCOPE_MAX_RUNS 256

/* Restricts the connection of st (read-only report handle) to runs[0..n)
 * (n = 0: every run).  Returns 0, RC_USAGE when a given run does not exist,
 * or RC_SQL. */
int report_scope(struct store *st, const int64_t *runs, size_t n, struct err *e);

/* Runs in scope after report_scope, as "1,2,3" (NUL-terminated in out). */
void report_scope_describe(struct store *st, char *out, size_t n);

#endif
