/* put_be.h - big-endian stores for the unit tests that build packets by hand
 * (test_overlay.c, test_ipfrag.c). */
#ifndef PR_TESTS_PUT_BE_H
#define PR_TESTS_PUT_BE_H

#include <stdint.h>

static inline void be16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void be32(uint8_t *p, uint32_t v)
{
    be16(p, v >> 16);
    be16(p + 2, v & 0xffffu);
}

#endif
