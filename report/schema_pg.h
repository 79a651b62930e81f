/* schema_pg.h - the PostgreSQL dialect of the migrations in report/schema.c.
 *
 * A migration is written once, in the portable subset report/schema.c uses
 * (CREATE TABLE, ALTER TABLE ADD COLUMN, CREATE INDEX, CHECK, DEFAULT).  Its
 * PostgreSQL text is made here by rules, so a migration added to schema.c
 * needs nothing in this file unless it creates a big record table:
 *   - generic: INTEGER -> BIGINT (SQLite integers are 64-bit), REAL ->
 *     DOUBLE PRECISION (SQLite REAL is an 8-byte float);
 *     "INTEGER PRIMARY KEY" -> an identity column; AUTOINCREMENT dropped;
 *     "REFERENCES runs(id)" dropped (no per-row foreign-key check on bulk
 *     loads; rows only ever name runs the same sink created);
 *   - per migration (a short table below): the record tables flows,
 *     sms_events and ott_events become range-partitioned by day on their
 *     packet time, with a primary key that makes every write idempotent
 *     (ON CONFLICT) and includes the partition key, as PostgreSQL requires;
 *   - PostgreSQL-only objects (the partition helper function) are appended.
 * The version lives in table trapline_schema instead of PRAGMA user_version.
 */
#ifndef PR_REPORT_SCHEMA_PG_H
#define PR_REPORT_SCHEMA_PG_H

#include <stddef.h>

/* Microseconds in one partition (a UTC day). */
#define SCHEMA_PG_DAY_US 86400000000LL

/* Returns the PostgreSQL SQL of migration k (1..schema_count()) as an owned
 * string (free()), or NULL when out of memory or when a per-migration rule
 * no longer matches the SQLite text (a bug caught by test_schema_pg). */
char *schema_pg_migration(size_t k);

/* The record tables partitioned by day and their partition key column;
 * NULL when table is not partitioned. */
const char *schema_pg_day_column(const char *table);

#endif
