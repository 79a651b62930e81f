/* timearg.c - UTC time arguments (see timearg.h). */
#include "report/timearg.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

bool timearg_parse(const char *s, long long *us)
{
    int y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
    long long frac = 0;
    struct tm tm = {0};
    if (s[0] < '0' || s[0] > '9') /* no sign or blank that %d would take */
        return false;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3)
        return false;
    const char *p = s + n;
    if (*p == 'T' || *p == ' ') {
        int m = 0;
        if (p[1] < '0' || p[1] > '9' || sscanf(p + 1, "%2d:%2d:%2d%n", &h, &mi, &sec, &m) != 3)
            return false;
        p += 1 + m;
        if (*p == '.') {
            int k = 0;
            for (p++; *p >= '0' && *p <= '9'; p++, k++)
                if (k < 6)
                    frac = frac * 10 + (*p - '0');
            if (k == 0)
                return false; /* a '.' needs digits */
            for (; k < 6; k++)
                frac *= 10;
        }
        if (*p == 'Z')
            p++;
    }
    if (*p || y < 1 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 ||
        mi > 59 || sec < 0 || sec > 60)
        return false;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    time_t t = timegm(&tm);
    *us = (long long)t * 1000000 + frac;
    return true;
}
