/* schema.h - the database schema as numbered migrations.
 *
 * Migration k (1-based) upgrades a database at user_version k-1 to k.  A
 * migration is never edited once released: changes are new migrations.
 */
#ifndef PR_REPORT_SCHEMA_H
#define PR_REPORT_SCHEMA_H

#include <stddef.h>

/* Number of migrations, i.e. the schema version this build writes. */
/* The conditions of the flow_subscribers views (migrations 8 and 16), for
 * the readers that look sessions up by index instead of through the views
 * (report_model.c, infer_store.c): the session or TEID row aliased s was
 * open while flow f lasted; the TEID row aliased t belongs to the GTP-U node
 * in f's column node (either unknown: any node). */
#define SCHEMA_SESSION_DURING(s)                                                           \
    "f.last_ts_us >= " s ".start_us AND f.first_ts_us <= COALESCE(" s ".end_us,"            \
    " 9223372036854775807)"
#define SCHEMA_TEID_ON_NODE(t, node)                                                       \
    "(" t ".node = '' OR f." node " IS NULL OR " t ".node = f." node ")"

size_t schema_count(void);

/* SQL of migration k (1..schema_count()). */
const char *schema_migration(size_t k);

/* The secondary indexes of the bulk tables (flows, ott_events), which a run
 * into a store that holds no rows yet drops at its start and creates at its
 * end (report/store.c; issue 12: one sort instead of a random index insert
 * per row).  k < schema_deferred_count(): the index name, and its CREATE
 * INDEX IF NOT EXISTS statement, which is the migrations' definition. */
size_t schema_deferred_count(void);
const char *schema_deferred_name(size_t k);
const char *schema_deferred_create(size_t k);

#endif
