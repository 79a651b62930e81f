/* report_links.h - derived report tables computed in C from the model's
 * query results: OTT activity periods with the carrier-visible check, and
 * the link chart (nodes and edges with counts).
 *
 * Internal to report_model.c; split out to keep files small.
 */
#ifndef PR_REPORT_REPORT_LINKS_H
#define PR_REPORT_REPORT_LINKS_H

#include <stdbool.h>

#include "capture/rc.h"
#include "report/report_model.h"

struct sqlite3;

/* Fills RM_OTT_PERIODS from RM_TL_OTT: OTT activity merged into periods
 * (gaps up to RM_PERIOD_GAP_US), each checked for SMS records of the same
 * subject within RM_PERIOD_GAP_US.  A subject address is linked to SMS
 * records whose carrier flow has it as an endpoint (SMS over IMS from the
 * UE's address) or whose originator/recipient equals it.  Returns 0 or
 * RC_SQL/RC_NOMEM. */
int report_links_periods(struct sqlite3 *db, struct report_model *m, bool sms_flow_id,
                         bool sms_run_id, struct err *e);

/* Fills RM_NODES and RM_EDGES from RM_SMS_CONTACTS and RM_OTT_SESSIONS. */
int report_links_graph(struct report_model *m, struct err *e);

#endif
