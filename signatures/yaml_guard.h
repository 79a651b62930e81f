/* yaml_guard.h - a linear-time pre-pass over untrusted YAML (libyaml events).
 *
 * Run before yaml_parser_load() by every YAML loader (signatures, scope), it
 * refuses, with file:line:col (1-based), what the loaders must never see:
 *   - nesting deeper than max_depth (100 k nested '[' otherwise stalls
 *     libyaml for over a minute: its scanner keeps per-level state);
 *   - more than max_nodes nodes (scalars, sequences, mappings, aliases);
 *   - a key given twice in one mapping (YAML 1.2 §3.2.1.1: keys are unique;
 *     libyaml accepts duplicates and a loader would silently keep one);
 *   - a second document in the stream (the loaders read one);
 *   - aliases (*name) unless allowed: an alias re-enters a subtree, so a
 *     tree walk over a loaded document could cost more than its size;
 *   - any YAML syntax error.
 * The limits are checked as events arrive, so the pass stops at the first
 * offending event and never costs more than linear time in the input.
 */
#ifndef PR_SIGNATURES_YAML_GUARD_H
#define PR_SIGNATURES_YAML_GUARD_H

#include <stdbool.h>
#include <stddef.h>

#include "capture/rc.h"

/* Defaults: the signature catalog nests 6 deep and has ~5 k nodes; these
 * leave generous room while bounding the work per file. */
#define YAML_GUARD_MAX_DEPTH 64
#define YAML_GUARD_MAX_NODES 1000000

struct yaml_guard_limits {
    unsigned max_depth;  /* collections open at once */
    size_t max_nodes;    /* nodes in the document */
    bool allow_aliases;
};

/* Fills l with the defaults above (aliases refused). */
void yaml_guard_defaults(struct yaml_guard_limits *l);

/* Checks the n bytes at buf (untrusted, borrowed) named file in messages,
 * with limits lim (NULL = defaults).  Returns 0, RC_CONFIG with
 * "file:line:col: reason" in e, or RC_NOMEM. */
int yaml_guard_check(const char *file, const unsigned char *buf, size_t n,
                     const struct yaml_guard_limits *lim, struct err *e);

#endif
