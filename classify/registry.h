/* registry.h - the one table of payload parsers (rows defined by
 * classify/proto.h), and the counters it exports by name.
 *
 * STYLE.md section 7: every protocol registers through one static const
 * struct proto_ops; this file lists them.  Order matters: for a given
 * transport, signalling rows are probed in table order (cheap, specific
 * first-byte checks first), and META rows are tried in table order with
 * one match per packet.
 */
#ifndef PR_CLASSIFY_REGISTRY_H
#define PR_CLASSIFY_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#include "classify/proto.h"

/* Rows the table may hold (each has a counter block in registry_counters). */
#define REGISTRY_MAX_ROWS 32

/* The counters of every row, one block per classifier (zeroed by the
 * owner): v[i] belongs to the row registry_rows()[i]. */
struct registry_counters {
    uint64_t v[REGISTRY_MAX_ROWS][PROTO_MAX_COUNTERS];
};

/* The table (static, immutable, at most REGISTRY_MAX_ROWS rows); *n
 * receives its length. */
const struct proto_ops *const *registry_rows(size_t *n);

/* The row named name, or NULL. */
const struct proto_ops *registry_find(const char *name);

/* Receives one exported counter; a name may come several times (rows that
 * share a name): the receiver adds the values. */
typedef void (*registry_put_fn)(void *user, const char *name, uint64_t v);

/* Calls put for every named counter of every row, in table order. */
void registry_export(const struct registry_counters *c, registry_put_fn put, void *user);

#endif
