/* report_html.h - one self-contained HTML report file.
 *
 * No external fetch and no script: inline CSS, inline SVG (a timeline per
 * subject and a contact graph), and a Content-Security-Policy of
 * default-src 'none' as a second line of defence.  Every value, in text and
 * in attributes, goes through escape_html().  Readable with scripting off.
 */
#ifndef PR_REPORT_REPORT_HTML_H
#define PR_REPORT_REPORT_HTML_H

#include <stdio.h>

#include "capture/rc.h"
#include "report/report_model.h"

/* Timeline drawing size (CSS pixels). */
#define HTML_TL_WIDTH 960
#define HTML_GRAPH_SIZE 720
/* Rows of each raw record table (flows, SMS, bursts) in the HTML; the
 * machine-readable exports carry every row. */
#define HTML_MAX_RECORD_ROWS 2000

/* Writes m to out.  Returns 0 or RC_IO. */
int report_html(const struct report_model *m, FILE *out, struct err *e);

#endif
