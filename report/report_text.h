/* report_text.h - the text contact-record report (`trapline report`, the
 * default format): findings first (provenance line, one line per subject,
 * findings), then aligned tables per subject and across subjects, and the
 * full provenance in an appendix.  Every value goes through escape_text(), so a terminal
 * never receives a raw control byte from the wire.
 */
#ifndef PR_REPORT_REPORT_TEXT_H
#define PR_REPORT_REPORT_TEXT_H

#include <stdio.h>

#include "capture/rc.h"
#include "report/report_model.h"

/* Rendering options. */
struct report_text_opts {
    bool detail;  /* every burst row instead of one line per flow */
    size_t width; /* wrap prose and fold wide tables to this many columns; 0 = no limit */
};

/* Writes m to out: the summary page (provenance line, one line per subject,
 * findings, terms), the minimisation statement, subject detail, the
 * cross-subject tables, and the runs and inputs in an appendix.  Returns 0
 * or RC_IO/RC_NOMEM. */
int report_text_with(const struct report_model *m, FILE *out, const struct report_text_opts *o,
                     struct err *e);

/* report_text_with() with default options (summarised bursts, no width). */
int report_text(const struct report_model *m, FILE *out, struct err *e);

/* Writes the rows of t (all, or those whose column 0 equals subject) as an
 * aligned table, indented by two spaces; skip0 leaves column 0 out. */
void report_text_table(FILE *out, const struct rt_table *t, const char *subject, bool skip0);

/* The same within width columns (0 = no limit): a table wider than that is
 * written as one "column: value" block per row instead of being cut. */
void report_text_table_w(FILE *out, const struct rt_table *t, const char *subject, bool skip0,
                         size_t width);

#endif
