/* sig_query.h - read-only queries on a loaded signature set, for the packet
 * path (classify/).  The loader (sig_load.c) only loads and validates; these
 * never fail and never allocate.
 */
#ifndef PR_SIGNATURES_SIG_QUERY_H
#define PR_SIGNATURES_SIG_QUERY_H

#include <stdbool.h>
#include <stdint.h>

#include "signatures/sig.h"

/* Finds a service by exact name; -1 when absent. */
int sig_find_service(const struct sig_set *s, const char *name);

/* True when port p is allowed by r's port list (an empty list allows all). */
bool sig_rule_port_ok(const struct sig_rule *r, uint16_t p);

/* Longest rule id sig_rule_id() writes ("catalog.yaml:123:9"). */
#define SIG_RULE_ID_MAX 64

/* Writes the id of rule index `rule` into out[SIG_RULE_ID_MAX]: the base
 * name of its file, its line and column ("catalog.yaml:56:9"); "" when rule
 * is out of range.  Stable for a given catalog text (flows.rule). */
void sig_rule_id(const struct sig_set *s, int rule, char out[SIG_RULE_ID_MAX]);

#endif
