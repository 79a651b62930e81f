/* store_sms.h - writes carrier SMS events (classify/events.h) to the
 * sms_events table through the store's batched transactions. */
#ifndef PR_REPORT_STORE_SMS_H
#define PR_REPORT_STORE_SMS_H

#include <stdint.h>

#include "capture/rc.h"
#include "classify/events.h"
#include "report/store.h"

/* Inserts one event (borrowed) for run_id with a prepared statement reused
 * across calls.  Returns 0 or RC_SQL (sticky, message in e). */
int store_sms_event(struct store *s, int64_t run_id, const struct sms_event *ev, struct err *e);

#endif
