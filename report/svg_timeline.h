/* svg_timeline.h - one subject's activity timeline as SVG.
 *
 * Lanes: SMS records (ticks), OTT messaging (bars, one colour per service,
 * see svg_util.h), calls (none recorded yet: the lane says so) and missed
 * periods (OTT activity with no carrier SMS record within 60 s).  The time
 * axis is UTC with ticks chosen for the span of each segment; gaps longer
 * than TL_BREAK_US cut the axis into segments shown with a break mark, so
 * a 2015-2022 span keeps each active day readable.  A legend is part of
 * the drawing (the file is useful on its own).
 */
#ifndef PR_REPORT_SVG_TIMELINE_H
#define PR_REPORT_SVG_TIMELINE_H

#include <stdbool.h>
#include <stdio.h>

#include "report/report_model.h"
#include "report/svg_util.h"

/* Drawing width in user units (the viewBox; the page scales it). */
#define TL_WIDTH 960
/* A quiet gap longer than this becomes a break in the axis. */
#define TL_BREAK_US (86400LL * 1000000)
/* Segments drawn; beyond it only the longest gaps become breaks. */
#define TL_MAX_SEGMENTS 6
/* Minimum distance between two tick labels (user units). */
#define TL_TICK_MIN_PX 84

/* Writes the timeline of subject (borrowed) using palette p.  Returns
 * false and writes nothing when the subject has no timed activity. */
bool svg_timeline(FILE *out, const struct report_model *m, const struct svg_palette *p,
                  const char *subject, bool standalone);

#endif
