/* rule_audit.h - `trapline signatures audit`: which catalog rule decided how many
 * flows, with which confidence, and how often nDPI named something else.
 *
 * Reads the flows table (flows.rule, migration 5) of one or more databases
 * and the signature set that produced them.  A rule is identified by
 * sig_rule_id() ("catalog.yaml:56:9"); decisions no catalog rule made are
 * grouped by method ("(ndpi)", "(call-socket)", "(learnt-server)").
 * Output is plain text, deterministic: rules in catalog order, then the
 * method groups by name; then the rules of `scope: vendor` that decided
 * flows, and a summary line.
 */
#ifndef PR_REPORT_RULE_AUDIT_H
#define PR_REPORT_RULE_AUDIT_H

#include <stdio.h>

#include "capture/rc.h"
#include "signatures/sig.h"

/* Most distinct groups (rules + method groups) an audit keeps; rows of
 * further groups are counted in rule_audit_totals.dropped. */
#define RULE_AUDIT_MAX_GROUPS 4096

struct rule_audit;

/* A new, empty audit over sigs (borrowed; must outlive it).  NULL on OOM. */
struct rule_audit *rule_audit_new(const struct sig_set *sigs, struct err *e);
void rule_audit_free(struct rule_audit *a);

/* Adds every flow of the database at path (opened read-only).  0 or a
 * negative rc with e set (the audit keeps what it had). */
int rule_audit_add_db(struct rule_audit *a, const char *path, struct err *e);

/* Prints the table, the vendor-scope list and the summary to out. */
void rule_audit_print(const struct rule_audit *a, FILE *out);

#endif
