/* svg_graph.h - the contact graph as SVG, legible at any size.
 *
 * Layout (deterministic, no physics): subjects in a left column,
 * counterparts (SMS addresses, OTT relay endpoints) in a right column, one
 * row each, so no two labels can overlap.  Per subject only the top
 * GRAPH_TOP_N counterparts by records are drawn and a "+K more" row counts
 * the rest (every contact is in the tables and exports).  Edge width grows
 * with the record count; arrows give the direction (towards the
 * counterpart: sent by the subject, or an OTT flow the subject opened;
 * towards the subject: received).  Counterparts shared by several subjects
 * are drawn once, with an edge from each.
 */
#ifndef PR_REPORT_SVG_GRAPH_H
#define PR_REPORT_SVG_GRAPH_H

#include <stdbool.h>
#include <stdio.h>

#include "report/report_model.h"

#define GRAPH_WIDTH 960
/* Counterparts drawn per subject. */
#define GRAPH_TOP_N 8
/* Subjects drawn (further subjects are counted in a note). */
#define GRAPH_MAX_SUBJECTS 200

/* Writes the graph of m's link chart.  Returns false and writes nothing
 * when there are no contacts. */
bool svg_graph(FILE *out, const struct report_model *m, bool standalone);

#endif
