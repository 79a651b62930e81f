/* report_csv.h - CSV exports (RFC 4180): one file per record kind.
 *
 * Header row of stable column names, CRLF line ends (RFC 4180 §2.1), text
 * cells always quoted through escape_csv() (formula injection neutralised),
 * numbers unquoted, times ISO-8601 UTC with microseconds, NULL as an empty
 * field.
 */
#ifndef PR_REPORT_REPORT_CSV_H
#define PR_REPORT_REPORT_CSV_H

#include <stdio.h>

#include "capture/rc.h"
#include "report/report_model.h"

/* Writes one table.  Returns 0 or RC_IO. */
int report_csv_table(const struct rt_table *t, FILE *out, struct err *e);

/* The exported table called name (NULL when unknown).  link selects the
 * link-chart tables (nodes, edges) instead of the record kinds. */
const struct rt_table *report_csv_find(const struct report_model *m, const char *name,
                                       bool link);

/* Writes every exported table that is present into dir as <name>.csv
 * (creating dir, mode 0700); link as report_csv_find.  Returns 0 or RC_IO. */
int report_csv_dir(const struct report_model *m, const char *dir, bool link, struct err *e);

/* Comma-separated names of the exported tables (for --help and errors). */
void report_csv_names(const struct report_model *m, bool link, char *out, size_t n);

#endif
