/* meta.c - bounded identifier copies (see meta.h). */
#include "classify/meta.h"

void meta_name_set(struct meta_name *dst, const void *src, size_t n)
{
    const unsigned char *p = src;
    size_t i = 0;
    dst->cut = false;
    for (; i < n; i++) {
        if (i == META_NAME_MAX) {
            dst->cut = true;
            break;
        }
        unsigned char c = p[i];
        if (c == 0)
            break;
        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        else if (c < 0x20 || c > 0x7e)
            c = '?';
        dst->s[i] = (char)c;
    }
    dst->s[i] = '\0';
}
