/* report_linkchart.h - link-chart export for i2 Analyst's Notebook-style
 * tools (DOMAIN.md §4.2 item 4; Arkime #356): a nodes CSV (id, label, type,
 * is_subject, records) and an edges CSV (source, target, kind, label, count,
 * first, last, bytes_up, bytes_down).  SMS edges point from sender to
 * recipient; OTT edges from the subject's address to the relay endpoint (no
 * OTT counterpart is observable, none is invented).
 */
#ifndef PR_REPORT_REPORT_LINKCHART_H
#define PR_REPORT_REPORT_LINKCHART_H

#include <stdio.h>

#include "capture/rc.h"
#include "report/report_model.h"

/* Writes nodes and edges to out as two CSV tables, each preceded by a
 * "# nodes" / "# edges" line and separated by an empty line.  For tools
 * that need one file each, use --table nodes|edges or an output directory
 * (report_csv_dir with link = true).  Returns 0 or RC_IO. */
int report_linkchart(const struct report_model *m, FILE *out, struct err *e);

#endif
