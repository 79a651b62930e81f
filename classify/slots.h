/* slots.h - per-flow tables of fixed-size slots grown on demand.
 *
 * A table that used to be an inline array of max slots (the control-plane
 * pending requests, the SMS pairing table, the SCCP connections) starts
 * with `first` slots and doubles up to max.  Growth appends: a slot keeps
 * its index, and every new slot is zeroed, so code that takes the first
 * free slot and evicts the oldest when none is left chooses exactly what
 * it chose in the full-size array.  The tables' requests time out on
 * packet time: slots_due and slots_clock are the one rule for all of them.
 */
#ifndef PR_CLASSIFY_SLOTS_H
#define PR_CLASSIFY_SLOTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* How many slots slots_grow(..., first, max) would add to a table of cap. */
static inline size_t slots_growth(size_t cap, size_t first, size_t max)
{
    if (cap >= max)
        return 0;
    size_t n = cap ? 2 * cap : first;
    return (n > max ? max : n) - cap;
}

/* Grows arr (*cap slots of elem bytes; NULL when *cap is 0) to first slots,
 * or twice *cap, at most max.  Returns the new array, whose slots from the
 * old *cap on are zero, and updates *cap; NULL (arr and *cap unchanged)
 * when *cap is already max or memory is short. */
static inline void *slots_grow(void *arr, size_t *cap, size_t elem, size_t first, size_t max)
{
    size_t n = *cap + slots_growth(*cap, first, max);
    if (n == *cap)
        return NULL;
    unsigned char *p = realloc(arr, n * elem);
    if (!p)
        return NULL;
    memset(p + *cap * elem, 0, (n - *cap) * elem);
    *cap = n;
    return p;
}

/* A bound on the slots that the tables of every flow of one classifier hold
 * together (the carrier's, classify/carrier.c).  A per-flow bound alone
 * lets input crafted to leave every request unanswered fill the table of
 * every flow; with the budget spent, a table does not grow and evicts its
 * oldest slot, as at its own bound.  NULL: no budget (tests, fuzzers). */
struct slot_budget {
    size_t used, max;
};

/* Takes n slots from b; false (nothing taken) when that would pass max. */
static inline bool slots_budget_take(struct slot_budget *b, size_t n)
{
    if (!b)
        return true;
    if (n > b->max - b->used)
        return false;
    b->used += n;
    return true;
}

static inline void slots_budget_give(struct slot_budget *b, size_t n)
{
    if (b)
        b->used -= n < b->used ? n : b->used;
}

/* The request tables' timeouts run on packet time.  A request stamped ts
 * is due at now when more than timeout has passed (time going back is not
 * time passing). */
static inline bool slots_due(uint64_t ts, uint64_t now, uint64_t timeout)
{
    return now > ts && now - ts > timeout;
}

/* The clock a flow's timeouts are judged at, for a packet at ts: the
 * earlier of ts and the flow's previous packet's time (*prev, which takes
 * ts).  A time has to come twice in a row, so one packet stamped far in
 * the future (a corrupt or crafted record) cannot time out every request
 * waiting on the flow; a real gap costs one more packet (the flow table
 * holds a forward jump the same way). */
static inline uint64_t slots_clock(uint64_t *prev, uint64_t ts)
{
    uint64_t now = ts < *prev ? ts : *prev;
    *prev = ts;
    return now;
}

/* Two parallel tables of *cap slots (the keys a scan reads, and the records
 * they stand for) grown together as slots_grow does, within budget b.  On
 * success *a and *r are the new arrays and *cap their size; on failure
 * (a bound, or no memory) *cap is unchanged and nothing is taken from b,
 * but *a may already be the grown keys array (its spare slots zeroed). */
static inline bool slots_grow_pair(void **a, size_t elem_a, void **r, size_t elem_r,
                                   size_t *cap, size_t first, size_t max,
                                   struct slot_budget *b)
{
    size_t add = slots_growth(*cap, first, max);
    if (!add || !slots_budget_take(b, add))
        return false;
    size_t ca = *cap, cr = *cap;
    void *na = slots_grow(*a, &ca, elem_a, first, max);
    if (na)
        *a = na;
    void *nr = na ? slots_grow(*r, &cr, elem_r, first, max) : NULL;
    if (!nr) {
        slots_budget_give(b, add);
        return false;
    }
    *r = nr;
    *cap = cr;
    return true;
}

#endif
