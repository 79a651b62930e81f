/* sms_legs.h - a leg collector shared by the SMS decoder unit tests and
 * fuzz targets (test code only). */
#ifndef PR_TESTS_UNIT_SMS_LEGS_H
#define PR_TESTS_UNIT_SMS_LEGS_H

#include <string.h>

#include "classify/sms_addr.h"

#define LEGS_MAX 64

struct legs {
    unsigned n, dropped;
    struct sms_leg v[LEGS_MAX];
};

static inline void legs_fn(const struct sms_leg *leg, void *user)
{
    struct legs *l = user;
    if (l->n < LEGS_MAX)
        l->v[l->n++] = *leg;
    else
        l->dropped++;
}

/* memmem without _GNU_SOURCE: the first occurrence of needle, or NULL. */
static inline const void *mem_find(const void *hay, size_t n, const void *needle, size_t k)
{
    const unsigned char *h = hay;
    for (size_t i = 0; k <= n && i <= n - k; i++)
        if (memcmp(h + i, needle, k) == 0)
            return h + i;
    return NULL;
}

static inline void legs_reset(struct legs *l) { memset(l, 0, sizeof *l); }

#endif
