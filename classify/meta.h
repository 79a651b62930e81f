/* meta.h - bounded copies of identifiers taken from the wire.
 *
 * Names (SNI, DNS names, HTTP Host) are copied with an explicit size limit and
 * a flag that records the value was cut short (STYLE.md section 3).  Only
 * printable ASCII is kept verbatim; other bytes are stored as '?' so a record
 * never carries raw control bytes (escaping for display is report/'s job).
 */
#ifndef PR_CLASSIFY_META_H
#define PR_CLASSIFY_META_H

#include <stdbool.h>
#include <stddef.h>

/* Longest DNS name (RFC 1035 section 2.3.4): 255 octets. */
#define META_NAME_MAX 255

struct meta_name {
    char s[META_NAME_MAX + 1];
    bool cut;
};

/* Copies n bytes of src (untrusted, borrowed) into dst, lower-casing ASCII
 * letters, replacing non-printable bytes by '?', stopping at a NUL, and
 * setting dst->cut when n exceeded META_NAME_MAX. */
void meta_name_set(struct meta_name *dst, const void *src, size_t n);

#endif
