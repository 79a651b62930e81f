/* mcore_prefix.h - test-only: the every-prefix loop for the whole-message
 * control-plane decoders.  Each prefix [0, k) is copied into a heap buffer
 * of exactly k bytes (so ASan sees any overread) and must parse as
 * PARSE_TRUNCATED. */
#ifndef PR_TESTS_MCORE_PREFIX_H
#define PR_TESTS_MCORE_PREFIX_H

#include <stdlib.h>
#include <string.h>

#include "capture/cursor.h"
#include "capture/rc.h"

typedef enum parse_rc (*prefix_parse_fn)(struct cursor *c, void *out);

/* Returns how many prefixes did not give PARSE_TRUNCATED. */
static unsigned prefix_failures(const uint8_t *msg, size_t n, prefix_parse_fn fn, void *out)
{
    unsigned bad = 0;
    for (size_t k = 0; k < n; k++) {
        uint8_t *b = malloc(k ? k : 1);
        if (!b)
            return bad + 1;
        memcpy(b, msg, k);
        struct cursor c = cur_init(b, k);
        if (fn(&c, out) != PARSE_TRUNCATED)
            bad++;
        free(b);
    }
    return bad;
}

#endif
