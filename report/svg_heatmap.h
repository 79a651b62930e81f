/* svg_heatmap.h - one subject's activity by hour of day (columns, UTC) and
 * weekday (rows, Monday first) as an SVG heatmap: SMS records plus OTT
 * activity (bursts, or whole flows without bursts) per cell, five shades
 * scaled to the subject's busiest cell, with a legend giving each shade's
 * range.  Each cell's <title> gives the SMS and OTT counts separately.
 */
#ifndef PR_REPORT_SVG_HEATMAP_H
#define PR_REPORT_SVG_HEATMAP_H

#include <stdbool.h>
#include <stdio.h>

#include "report/report_model.h"

#define HM_WIDTH 960

/* Writes the heatmap of subject (borrowed).  Returns false and writes
 * nothing when the subject has no activity. */
bool svg_heatmap(FILE *out, const struct report_model *m, const char *subject, bool standalone);

#endif
