/* store_ott.h - ott_events rows: inferred activity bursts of OTT messaging flows.
 *
 * One prepared INSERT, reused, inside the store's batched transactions.
 */
#ifndef PR_REPORT_STORE_OTT_H
#define PR_REPORT_STORE_OTT_H

#include <stdint.h>

#include "capture/rc.h"
#include "classify/events.h"
#include "report/store.h"

struct store_ott;

/* Prepares the insert on s (borrowed; must outlive the handle).  Returns
 * owned or NULL with e set. */
struct store_ott *store_ott_new(struct store *s, struct err *e);

/* Writes one burst (ev borrowed) of run run_id.  0 or the store's sticky
 * error. */
int store_ott_event(struct store_ott *o, int64_t run_id, const struct ott_event *ev,
                    struct err *e);

void store_ott_free(struct store_ott *o);

#endif
