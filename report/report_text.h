/* report_text.h - the text summary report (`trapline report`).
 *
 * Reads the database only.  Sections: runs with their inputs (provenance),
 * flows per class and service, and the top server endpoints.  Every value from
 * the wire is printed through an escaper that never emits control bytes.
 */
#ifndef PR_REPORT_REPORT_TEXT_H
#define PR_REPORT_REPORT_TEXT_H

#include <stdio.h>

#include "capture/rc.h"
#include "report/store.h"

#define REPORT_TOP_ENDPOINTS 10

/* Writes the summary of every run in s to out.  Returns 0 or RC_SQL/RC_IO. */
int report_text(struct store *s, FILE *out, struct err *e);

/* Writes s to out with every byte outside printable ASCII shown as \xNN, so
 * a terminal never receives raw control bytes from the wire. */
void report_text_escape(FILE *out, const char *s);

/* Formats UTC microseconds as ISO-8601 with microseconds ("...Z"). */
void report_format_time(unsigned long long us, char out[32]);

#endif
