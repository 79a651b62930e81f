/* ran_dir.c - the RAN rows' UE directory (see ran_dir.h).
 *
 * Entries sit in a ring in the order they were first filed (oldest at
 * head); an open-addressing index (linear probing, at most half full) maps
 * a key to its ring position + 1.  The ring and the index grow together up
 * to RAN_DIR_MAX; past it the oldest entry leaves the index (backward-shift
 * deletion, no tombstones) and its ring position takes the new one.
 */
#include "classify/ran_dir.h"

#include <stdlib.h>
#include <string.h>

#include "capture/siphash.h"
#include "capture/str.h"

#define RAN_DIR_FIRST 16u

/* The keys come from packets: placed by SipHash under a key of the
 * table's own, as the other tables of classify/ place theirs (placement
 * never changes what is found). */
static const uint8_t dir_hash_key[16] = "trapline-ran-dir";

struct ran_dir {
    size_t vsize;  /* value bytes */
    size_t esize;  /* entry bytes: key, then value */
    uint8_t *ring; /* cap entries; the live ones are head .. head + n - 1 (mod cap) */
    uint32_t *ix;  /* icap slots: ring position + 1, 0 = empty */
    size_t cap, icap, head, n;
};

static uint64_t key_at(const struct ran_dir *d, size_t pos)
{
    uint64_t k;
    memcpy(&k, d->ring + pos * d->esize, sizeof k);
    return k;
}

static size_t home(const struct ran_dir *d, uint64_t key)
{
    return (size_t)siphash13(dir_hash_key, &key, sizeof key) & (d->icap - 1);
}

/* The index slot that holds key, or the empty slot where it would go. */
static size_t slot(const struct ran_dir *d, uint64_t key)
{
    size_t i = home(d, key);
    while (d->ix[i] && key_at(d, d->ix[i] - 1) != key)
        i = (i + 1) & (d->icap - 1);
    return i;
}

/* Takes key out of the index (it is in it), moving the entries probed past
 * it back so that every one stays reachable from its home slot. */
static void unindex(struct ran_dir *d, uint64_t key)
{
    size_t m = d->icap - 1, i = slot(d, key);
    d->ix[i] = 0;
    for (size_t j = (i + 1) & m; d->ix[j]; j = (j + 1) & m) {
        size_t h = home(d, key_at(d, d->ix[j] - 1));
        /* the entry at j may move to i unless its home lies in (i, j] */
        bool stays = i <= j ? (h > i && h <= j) : (h > i || h <= j);
        if (!stays) {
            d->ix[i] = d->ix[j];
            d->ix[j] = 0;
            i = j;
        }
    }
}

uint8_t ran_apns_id(struct ran_apns *a, const char *apn, bool *full)
{
    if (!a || !apn[0])
        return 0;
    for (unsigned i = 0; i < a->n; i++)
        if (!strcmp(a->s[i], apn))
            return (uint8_t)(i + 1);
    if (a->n == RAN_DIR_APNS) {
        *full = true;
        return 0;
    }
    str_copy(a->s[a->n], sizeof a->s[a->n], apn);
    return (uint8_t)++a->n;
}

const char *ran_apns_name(const struct ran_apns *a, uint8_t id)
{
    return a && id && id <= a->n ? a->s[id - 1] : "";
}

struct ran_dir *ran_dir_new(size_t value_size)
{
    struct ran_dir *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->vsize = value_size;
    d->esize = (sizeof(uint64_t) + value_size + 7u) & ~(size_t)7u;
    return d;
}

void ran_dir_free(struct ran_dir *d)
{
    if (!d)
        return;
    free(d->ring);
    free(d->ix);
    free(d);
}

size_t ran_dir_count(const struct ran_dir *d)
{
    return d ? d->n : 0;
}

const void *ran_dir_get(const struct ran_dir *d, uint64_t key)
{
    if (!d || !d->n)
        return NULL;
    size_t i = slot(d, key);
    return d->ix[i] ? d->ring + (d->ix[i] - 1) * d->esize + sizeof key : NULL;
}

/* Grows ring and index to cap entries, the ring in filing order from 0. */
static bool grow(struct ran_dir *d, size_t cap)
{
    uint8_t *ring = malloc(cap * d->esize);
    uint32_t *ix = calloc(cap * 2, sizeof *ix);
    if (!ring || !ix) {
        free(ring);
        free(ix);
        return false;
    }
    for (size_t k = 0; k < d->n; k++)
        memcpy(ring + k * d->esize, d->ring + ((d->head + k) % d->cap) * d->esize, d->esize);
    free(d->ring);
    free(d->ix);
    d->ring = ring;
    d->ix = ix;
    d->cap = cap;
    d->icap = cap * 2;
    d->head = 0;
    for (size_t k = 0; k < d->n; k++)
        d->ix[slot(d, key_at(d, k))] = (uint32_t)(k + 1);
    return true;
}

bool ran_dir_put(struct ran_dir *d, uint64_t key, const void *value, uint64_t *evicted)
{
    if (!d)
        return false;
    size_t i = d->n ? slot(d, key) : 0;
    if (d->n && d->ix[i]) { /* filed already: the value is replaced in place */
        memcpy(d->ring + (d->ix[i] - 1) * d->esize + sizeof key, value, d->vsize);
        return true;
    }
    size_t pos;
    if (d->n == d->cap && d->cap < RAN_DIR_MAX) {
        size_t cap = d->cap ? d->cap * 2 : RAN_DIR_FIRST;
        if (!grow(d, cap < RAN_DIR_MAX ? cap : RAN_DIR_MAX))
            return false;
    }
    if (d->n == d->cap) { /* full: the oldest gives way */
        pos = d->head;
        unindex(d, key_at(d, pos));
        d->head = (d->head + 1) % d->cap;
        d->n--;
        if (evicted)
            (*evicted)++;
    } else {
        pos = (d->head + d->n) % d->cap;
    }
    uint8_t *e = d->ring + pos * d->esize;
    memcpy(e, &key, sizeof key);
    memcpy(e + sizeof key, value, d->vsize);
    d->ix[slot(d, key)] = (uint32_t)(pos + 1);
    d->n++;
    return true;
}
