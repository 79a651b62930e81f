/* pg_util.c - shared libpq helpers (see pg_util.h). */
#include "report/pg_util.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <string.h>

int pg_util_fail(struct err *e, int rc, struct pg_conn *c, const char *what)
{
    char m[ERR_MSG_MAX];
    snprintf(m, sizeof m, "%s", c ? PQerrorMessage(c) : "out of memory");
    size_t n = strlen(m);
    while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
        m[--n] = '\0';
    for (char *q = m; *q; q++)
        if (*q == '\n')
            *q = ' ';
    return err_set(e, rc, "postgresql: %s%s%s", what, *what ? ": " : "", m);
}

void pg_util_silent(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}
