/* names.h - interned server names for per-flow state, reference counted.
 *
 * A live flow keeps up to three names (the SNI/Host it carried, the name a
 * DNS answer bound to its server, the name nDPI saw).  Kept inline they
 * were 3 x 260 bytes of every flow's state, most of them empty or the same
 * few front-end names; here a flow keeps a 4-byte id per name and each
 * distinct name is stored once, with the number of flows holding it.  A
 * name is freed when its last holder drops it, so the pool holds at most
 * three names per live flow: it is bounded by the flow table's capacity.
 *
 * Id 0 is the empty name.  Bucket placement uses SipHash under a key drawn
 * at start (a hostile capture cannot aim names at one bucket); ids never
 * reach the output, so the output does not depend on them.
 */
#ifndef PR_CLASSIFY_NAMES_H
#define PR_CLASSIFY_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/rc.h"
#include "classify/meta.h"

struct names;

struct names_stats {
    uint64_t live;    /* distinct names held now */
    uint64_t peak;    /* most held at once */
    uint64_t nomem;   /* names not kept: out of memory (the flow keeps no name) */
};

struct names *names_new(struct err *e);
void names_free(struct names *t);

/* Points *id at m's text (a reference of its own; the name *id held
 * before is dropped).  An empty m sets 0.  Out of memory: 0, counted. */
void names_set(struct names *t, uint32_t *id, const struct meta_name *m);

/* Drops the reference *id holds and sets it to 0. */
void names_drop(struct names *t, uint32_t *id);

/* The text of id ("" for 0; borrowed until its last reference goes). */
const char *names_str(const struct names *t, uint32_t id);

/* Copies id's text and cut flag into out. */
void names_get(const struct names *t, uint32_t id, struct meta_name *out);

void names_get_stats(const struct names *t, struct names_stats *out);

#endif
