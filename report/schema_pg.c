/* schema_pg.c - PostgreSQL text of the migrations (see schema_pg.h). */
#include "report/schema_pg.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "report/schema.h"

/* One exact substitution in the migration whose text contains anchor
 * (anchors, not migration numbers, so renumbering at a merge is harmless),
 * applied before the generic rules. */
struct pg_rule {
    const char *anchor, *from, *to;
};

/* The SQLite trigger refusing op on table, as migration 11 writes it. */
#define APPEND_ONLY(table, op)                                                       \
    {"CREATE TABLE audit_log (",                                                     \
     "BEFORE " op " ON " table "  BEGIN SELECT RAISE(ABORT, '" table                 \
     " is append-only'); END;",                                                      \
     "BEFORE " op " ON " table " FOR EACH ROW EXECUTE FUNCTION trapline_append_only();"}

static const struct pg_rule rules[] = {
    /* flows: partitioned by the day of its first packet. */
    {"CREATE TABLE flows (", "  PRIMARY KEY (run_id, id));CREATE INDEX flows_class",
     "  PRIMARY KEY (run_id, id, first_ts_us)) PARTITION BY RANGE (first_ts_us);"
     "CREATE INDEX flows_class"},
    /* capture_stats: one sample per run and wall-clock time.  The key's
     * index is SQLite's capture_stats_run, column for column: PostgreSQL
     * does not get a second copy of it. */
    {"CREATE TABLE capture_stats (", "  if_dropped INTEGER NOT NULL);",
     "  if_dropped INTEGER NOT NULL,  PRIMARY KEY (run_id, ts_utc));"},
    {"CREATE TABLE capture_stats (",
     "CREATE INDEX capture_stats_run ON capture_stats(run_id, ts_utc);", ""},
    /* ott_events: bursts of one flow never start at the same time.  The
     * key (run_id, flow_id, ts_us) is SQLite's ott_events_flow index column
     * for column, so that index is not made again: every COPY maintained
     * both (0.5-0.7 s of the server's 3.5 s CPU on the bench capture,
     * issue 12).  Stores made before keep theirs; it is only redundant. */
    {"CREATE TABLE ott_events (", "CHECK (label = 'inferred-activity'));",
     "CHECK (label = 'inferred-activity'),  PRIMARY KEY (run_id, flow_id, ts_us))"
     " PARTITION BY RANGE (ts_us);"},
    {"CREATE TABLE ott_events (",
     "CREATE INDEX ott_events_flow ON ott_events(run_id, flow_id, ts_us);", ""},
    /* sms_events: id is the sink's per-run counter (SQLite's is the rowid). */
    {"CREATE TABLE sms_events (", "  id INTEGER PRIMARY KEY,", "  id INTEGER NOT NULL,"},
    {"CREATE TABLE sms_events (", "  detail TEXT NOT NULL DEFAULT '');",
     "  detail TEXT NOT NULL DEFAULT '',  PRIMARY KEY (run_id, id, ts_us))"
     " PARTITION BY RANGE (ts_us);"},
    /* issue 19 widened the protocol CHECK by rebuilding the table (SQLite
     * cannot alter a CHECK); PostgreSQL alters the constraint, which keeps
     * the partitions and the key.  from = NULL: the whole migration. */
    {"CREATE TABLE sms_events_v6 (", NULL,
     "ALTER TABLE sms_events DROP CONSTRAINT sms_events_protocol_check;"
     "ALTER TABLE sms_events ADD CONSTRAINT sms_events_protocol_check CHECK (protocol IN"
     " ('smpp','sip','map','sgd','sgsap','ranap','bssap','gan'));"},
    /* S1AP and NGAP widened the sms_events protocol and subscriber_sessions source
     * CHECKs the same way. */
    {"CREATE TABLE sms_events_v20 (", NULL,
     "ALTER TABLE sms_events DROP CONSTRAINT sms_events_protocol_check;"
     "ALTER TABLE sms_events ADD CONSTRAINT sms_events_protocol_check CHECK (protocol IN"
     " ('smpp','sip','map','sgd','sgsap','ranap','bssap','gan','s1ap','ngap'));"
     "ALTER TABLE subscriber_sessions DROP CONSTRAINT subscriber_sessions_source_check;"
     "ALTER TABLE subscriber_sessions ADD CONSTRAINT subscriber_sessions_source_check CHECK"
     " (source IN ('gtpv2','gtpv1','gtpv0','radius','diameter','sip','s1ap','ngap'));"},
    /* issue 17 widened the status CHECKs of runs and inputs ('interrupted',
     * 'reading') by rebuilding both tables; PostgreSQL alters the
     * constraints (named <table>_<column>_check by PostgreSQL). */
    {"CREATE TABLE runs_v12 (", NULL,
     "ALTER TABLE runs DROP CONSTRAINT runs_status_check;"
     "ALTER TABLE runs ADD CONSTRAINT runs_status_check CHECK (status IN"
     " ('running','complete','partial','failed','interrupted'));"
     "ALTER TABLE inputs DROP CONSTRAINT inputs_status_check;"
     "ALTER TABLE inputs ADD CONSTRAINT inputs_status_check CHECK (status IN"
     " ('complete','partial','refused','unreadable','duplicate','reading','interrupted'));"},
    /* issue 11: SQLite's append-only triggers (RAISE(ABORT) in a trigger
     * body) become row triggers calling one plpgsql function that raises
     * the same message. */
    {"CREATE TABLE audit_log (", "CREATE TABLE audit_log (",
     "CREATE FUNCTION trapline_append_only() RETURNS trigger LANGUAGE plpgsql AS $f$"
     " BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $f$;"
     "CREATE TABLE audit_log ("},
    APPEND_ONLY("audit_log", "UPDATE"),
    APPEND_ONLY("audit_log", "DELETE"),
    APPEND_ONLY("scope_snapshots", "UPDATE"),
    APPEND_ONLY("scope_snapshots", "DELETE"),
    APPEND_ONLY("audit_signatures", "UPDATE"),
    APPEND_ONLY("audit_signatures", "DELETE"),
    /* issue 13: audit chains per probe.  SQLite rebuilds audit_log for its
     * new key; PostgreSQL alters the key (the append-only triggers stay).
     * The unique index on audit_signatures makes a replayed batch add
     * nothing (sink_pg.c merges with ON CONFLICT DO NOTHING). */
    {"CREATE TABLE audit_log_v18 (", NULL,
     "ALTER TABLE audit_log ADD COLUMN probe TEXT NOT NULL DEFAULT '';"
     "ALTER TABLE audit_log DROP CONSTRAINT audit_log_pkey;"
     "ALTER TABLE audit_log ADD PRIMARY KEY (probe, seq);"
     "ALTER TABLE audit_signatures ADD COLUMN probe TEXT NOT NULL DEFAULT '';"
     "CREATE UNIQUE INDEX audit_signatures_key ON audit_signatures"
     " (probe, seq, head_hash, signature);"},
    /* scope_snapshots.bytes: the scope file's bytes */
    {"CREATE TABLE scope_snapshots (", "  bytes BLOB NOT NULL,", "  bytes BYTEA NOT NULL,"},
};

/* Objects only PostgreSQL has, appended to the migration holding anchor.
 * The partition of a day is created on demand by the sink; the advisory
 * lock serialises probes creating the same day, so CREATE never races.
 * wseq is the sink's write order within a run: SQLite keeps rows in
 * rowid (write) order and some report aggregates (group_concat) follow it,
 * so the report's copy (pg_mirror.c) is made in that order. */
static const struct pg_rule extras[] = {
    {"CREATE TABLE flows (", "",
     "CREATE FUNCTION trapline_day_partition(parent text, day bigint) RETURNS void"
     " LANGUAGE plpgsql AS $f$"
     " DECLARE part text := parent || '_d' || to_char(to_timestamp(day * 86400)"
     " AT TIME ZONE 'UTC', 'YYYYMMDD');"
     " BEGIN"
     " PERFORM pg_advisory_xact_lock(hashtext(part));"
     " IF to_regclass(part) IS NULL THEN"
     " EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%s) TO (%s)',"
     " part, parent, day * 86400000000, (day + 1) * 86400000000);"
     " END IF;"
     " END $f$;"},
    {"ALTER TABLE runs ADD COLUMN probe", "",
     "ALTER TABLE flows ADD COLUMN wseq BIGINT;"
     "ALTER TABLE ott_events ADD COLUMN wseq BIGINT;"
     "CREATE INDEX runs_probe ON runs(probe, id);"},
};

static const struct {
    const char *table, *column;
} day_cols[] = {
    {"flows", "first_ts_us"},
    {"sms_events", "ts_us"},
    {"ott_events", "ts_us"},
};

const char *schema_pg_day_column(const char *table)
{
    for (size_t i = 0; i < sizeof day_cols / sizeof day_cols[0]; i++)
        if (strcmp(day_cols[i].table, table) == 0)
            return day_cols[i].column;
    return NULL;
}

/* Replaces every occurrence of from (whole words when word) in s (owned);
 * returns the new owned string or NULL (s is freed either way). */
static char *replace(char *s, const char *from, const char *to, bool word, size_t *hits)
{
    if (!s)
        return NULL;
    size_t fl = strlen(from), tl = strlen(to), n = 0;
    for (const char *p = s; (p = strstr(p, from)); p += fl)
        n++;
    char *out = malloc(strlen(s) + n * (tl > fl ? tl - fl : 0) + 1);
    if (!out) {
        free(s);
        return NULL;
    }
    char *o = out;
    const char *p = s;
    for (const char *q; (q = strstr(p, from));) {
        bool ok = !word || ((q == s || !(q[-1] == '_' || (q[-1] >= 'a' && q[-1] <= 'z') ||
                                         (q[-1] >= 'A' && q[-1] <= 'Z'))) &&
                            !(q[fl] == '_' || (q[fl] >= 'a' && q[fl] <= 'z') ||
                              (q[fl] >= 'A' && q[fl] <= 'Z')));
        memcpy(o, p, (size_t)(q - p));
        o += q - p;
        if (ok) {
            memcpy(o, to, tl);
            o += tl;
            (*hits)++;
        } else {
            memcpy(o, q, fl);
            o += fl;
        }
        p = q + fl;
    }
    strcpy(o, p);
    free(s);
    return out;
}

char *schema_pg_migration(size_t k)
{
    if (k < 1 || k > schema_count())
        return NULL;
    const char *src = schema_migration(k);
    char *s = strdup(src);
    for (size_t i = 0; s && i < sizeof rules / sizeof rules[0]; i++) {
        if (!strstr(src, rules[i].anchor))
            continue;
        if (!rules[i].from) {
            free(s);
            s = strdup(rules[i].to);
            continue;
        }
        size_t hits = 0;
        s = replace(s, rules[i].from, rules[i].to, false, &hits);
        if (s && hits != 1) { /* the SQLite text changed under the rule */
            free(s);
            return NULL;
        }
    }
    size_t hits = 0;
    s = replace(s, "INTEGER PRIMARY KEY", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
                false, &hits);
    s = replace(s, " AUTOINCREMENT", "", false, &hits);
    s = replace(s, " REFERENCES runs(id)", "", false, &hits);
    s = replace(s, "INTEGER", "BIGINT", true, &hits);
    s = replace(s, "REAL", "DOUBLE PRECISION", true, &hits); /* SQLite REAL is 8 bytes */
    for (size_t i = 0; s && i < sizeof extras / sizeof extras[0]; i++) {
        if (!strstr(src, extras[i].anchor))
            continue;
        char *t = malloc(strlen(s) + strlen(extras[i].to) + 1);
        if (t) {
            strcpy(t, s);
            strcat(t, extras[i].to);
        }
        free(s);
        s = t;
    }
    return s;
}
