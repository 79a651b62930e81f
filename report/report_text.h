/* report_text.h - the text contact-record report (`trapline report`, the
 * default format): a provenance header, then aligned tables per subject and
 * across subjects.  Every value goes through escape_text(), so a terminal
 * never receives a raw control byte from the wire.
 */
#ifndef PR_REPORT_REPORT_TEXT_H
#define PR_REPORT_REPORT_TEXT_H

#include <stdio.h>

#include "capture/rc.h"
#include "report/report_model.h"

/* Writes m to out.  Returns 0 or RC_IO. */
int report_text(const struct report_model *m, FILE *out, struct err *e);

/* Writes the rows of t (all, or those whose column 0 equals subject) as an
 * aligned table, indented by two spaces; skip0 leaves column 0 out. */
void report_text_table(FILE *out, const struct rt_table *t, const char *subject, bool skip0);

#endif
