/* fuzz_timearg.c - `report --from/--to` parsing (report/timearg.c) on any
 * bytes: never a crash, *us untouched on refusal, and an accepted time is
 * reformatted and parsed again to the same value (a round trip). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report/timearg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    long long us = 42;
    if (!timearg_parse(s, &us)) {
        if (us != 42)
            abort();
    } else if (strlen(s) == size) {
        /* A round trip through the canonical form (leap second 60 and
         * day overflow like 02-31 are normalised by timegm: skip those). */
        long long sec = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
        long long frac = us - sec * 1000000;
        time_t t = (time_t)sec;
        struct tm tm;
        char buf[64];
        if (gmtime_r(&t, &tm) && tm.tm_year + 1900 >= 1 && tm.tm_year + 1900 <= 9999) {
            snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
            long long again = 0;
            if (!timearg_parse(buf, &again) || again != us)
                abort();
        }
    }
    free(s);
    return 0;
}
