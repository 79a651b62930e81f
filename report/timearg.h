/* timearg.h - the UTC times `report --from/--to` accept.
 *
 * YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS[.ffffff][Z] ('T' or a space), always
 * UTC.  The argument is untrusted (command line); fuzzed by
 * tests/fuzz/fuzz_timearg.c.
 */
#ifndef PR_REPORT_TIMEARG_H
#define PR_REPORT_TIMEARG_H

#include <stdbool.h>

/* Parses s (NUL-terminated, borrowed) into microseconds since the epoch.
 * Returns false, leaving *us unchanged, when s is malformed or out of range
 * (years 1..9999). */
bool timearg_parse(const char *s, long long *us);

#endif
