/* str.h - the bounded copy of a trusted C string into a fixed buffer.
 *
 * Labels, names already cleaned by a parser, and addresses are kept in
 * fixed-size fields; this is the one routine that copies them, cutting what
 * does not fit.  (Untrusted wire bytes go through cursor.h and meta.h.)
 */
#ifndef PR_CAPTURE_STR_H
#define PR_CAPTURE_STR_H

#include <stddef.h>
#include <string.h>

/* Copies at most cap - 1 bytes of the NUL-terminated src into dst and always
 * terminates it; cap == 0 leaves dst untouched. */
static inline void str_copy(char *dst, size_t cap, const char *src)
{
    if (cap == 0)
        return;
    size_t n = strnlen(src, cap - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

#endif
