/* pg_util.h - what every PostgreSQL client file of trapline needs from libpq
 * alike (sink_pg.c, pg_mirror.c, pg_audit.c): one error format and a notice
 * processor.  PGconn is libpq's typedef of struct pg_conn; the header does
 * not include libpq-fe.h (make check-headers builds headers alone). */
#ifndef PR_REPORT_PG_UTIL_H
#define PR_REPORT_PG_UTIL_H

#include "capture/rc.h"

struct pg_conn;

/* Sets e to "postgresql: WHAT: <libpq's message on one line>" (no "WHAT: "
 * when what is "") and returns rc; c NULL means out of memory. */
int pg_util_fail(struct err *e, int rc, struct pg_conn *c, const char *what);

/* A libpq notice processor that drops the server's notices (NOTICE lines
 * of IF EXISTS and the like must not reach stderr). */
void pg_util_silent(void *arg, const char *msg);

#endif
