/* report_json.h - JSON and JSON Lines exports (RFC 8259).
 *
 * Field names are the stable column names of each record kind; times are
 * UTC ISO-8601 strings with microseconds ("2024-03-01T10:00:00.011240Z"),
 * durations numbers of seconds, absent values null.  Every flow carries its
 * Community ID v1 (`community_id`), the join key of Zeek and Suricata.
 *
 * json: one object {"report": header, "<kind>": [rows...], ...}.
 * jsonl: one object per line: first a "report" header line, then one line
 * per row with "record_type": "<kind>".
 */
#ifndef PR_REPORT_REPORT_JSON_H
#define PR_REPORT_REPORT_JSON_H

#include <stdbool.h>
#include <stdio.h>

#include "capture/rc.h"
#include "report/report_model.h"

/* Writes m; lines selects JSON Lines.  Returns 0 or RC_IO. */
int report_json(const struct report_model *m, FILE *out, bool lines, struct err *e);

#endif
