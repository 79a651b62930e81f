/* report_html.h - one self-contained HTML report file.
 *
 * No external fetch and no script: inline CSS, inline SVG (a timeline and a
 * heatmap per subject, the contact graph: svg_*.h), a table of contents,
 * the summary and findings first, the full provenance in an appendix.  The
 * page fits any width from 390 px up: viewport meta, every table and chart
 * in its own scroll container, charts scaled by their viewBox.  A
 * Content-Security-Policy of
 * default-src 'none' as a second line of defence.  Every value, in text and
 * in attributes, goes through escape_html().  Readable with scripting off.
 */
#ifndef PR_REPORT_REPORT_HTML_H
#define PR_REPORT_REPORT_HTML_H

#include <stdio.h>

#include "capture/rc.h"
#include "report/report_model.h"

/* Rows of each raw record table (flows, SMS, bursts) in the HTML; the
 * machine-readable exports carry every row. */
#define HTML_MAX_RECORD_ROWS 2000

/* Writes m to out.  Returns 0 or RC_IO. */
int report_html(const struct report_model *m, FILE *out, struct err *e);

#endif
