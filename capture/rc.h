/* rc.h - return codes shared by every module.
 *
 * Parsers return enum parse_rc (STYLE.md section 4): the outcome of reading
 * untrusted bytes is never a program error.  Everything else returns 0 or a
 * negative enum rc, with human-readable detail in a caller-supplied struct err.
 */
#ifndef PR_CAPTURE_RC_H
#define PR_CAPTURE_RC_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

enum parse_rc {
    PARSE_OK = 0,         /* parsed; output valid */
    PARSE_NEED_MORE = 1,  /* a stream parser needs more bytes */
    PARSE_TRUNCATED = -1, /* the capture ran out (snaplen) before the structure ended */
    PARSE_INVALID = -2,   /* the fields contradict each other */
};

enum rc {
    RC_OK = 0,
    RC_NOMEM = -1,
    RC_IO = -2,
    RC_CONFIG = -3,
    RC_PCAP = -4,
    RC_SQL = -5,
    RC_LIMIT = -6,
    RC_USAGE = -7,
};

#define ERR_MSG_MAX 256

struct err {
    char msg[ERR_MSG_MAX];
};

/* Formats a message into e (if e is non-NULL) and returns code, so that a
 * failure path reads `return err_set(e, RC_IO, "open %s: %s", ...)`. */
__attribute__((format(printf, 3, 4))) static inline int err_set(struct err *e, int code,
                                                                const char *fmt, ...)
{
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

#endif
