/* schema.h - the database schema as numbered migrations.
 *
 * Migration k (1-based) upgrades a database at user_version k-1 to k.  A
 * migration is never edited once released: changes are new migrations.
 */
#ifndef PR_REPORT_SCHEMA_H
#define PR_REPORT_SCHEMA_H

#include <stddef.h>

/* Number of migrations, i.e. the schema version this build writes. */
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
