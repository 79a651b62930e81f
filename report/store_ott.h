/* store_ott.h - ott_events rows: inferred activity bursts of OTT messaging flows.
 *
 * One persistent prepared INSERT (a store slot), inside the store's batched
 * transactions.
 */
#ifndef PR_REPORT_STORE_OTT_H
#define PR_REPORT_STORE_OTT_H

#include <stdint.h>

#include "capture/rc.h"
#include "classify/events.h"
#include "report/store.h"

/* Writes one burst (ev borrowed) of run run_id.  0 or the store's sticky
 * error. */
int store_ott_event(struct store *s, int64_t run_id, const struct ott_event *ev, struct err *e);

#endif
