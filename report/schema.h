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

#endif
