/* schema.c - migrations (see schema.h and the README's schema section).
 *
 * Times are UTC microseconds since the epoch (INTEGER).  No column can hold
 * payload bytes: every TEXT column is an address, a name, a label or a hash.
 */
#include "report/schema.h"

static const char *const migrations[] = {
    /* 1: runs, inputs, flows, run counters */
    "CREATE TABLE runs ("
    "  id INTEGER PRIMARY KEY,"
    "  mode TEXT NOT NULL,"
    "  started_utc INTEGER NOT NULL,"
    "  finished_utc INTEGER,"
    "  tool_version TEXT NOT NULL,"
    "  command_line TEXT NOT NULL,"
    "  signature_sha256 TEXT NOT NULL,"
    "  ndpi_version TEXT NOT NULL,"
    "  status TEXT NOT NULL CHECK (status IN ('running','complete','partial','failed')));"
    "CREATE TABLE inputs ("
    "  run_id INTEGER NOT NULL REFERENCES runs(id),"
    "  seq INTEGER NOT NULL,"
    "  path TEXT NOT NULL,"
    "  sha256 TEXT,"
    "  bytes INTEGER NOT NULL,"
    "  link_type TEXT,"
    "  packets INTEGER NOT NULL,"
    "  first_ts_us INTEGER,"
    "  last_ts_us INTEGER,"
    "  status TEXT NOT NULL CHECK (status IN ('complete','partial','refused','unreadable','duplicate')),"
    "  detail TEXT,"
    "  PRIMARY KEY (run_id, seq));"
    "CREATE TABLE flows ("
    "  run_id INTEGER NOT NULL REFERENCES runs(id),"
    "  id INTEGER NOT NULL,"
    "  proto INTEGER NOT NULL,"
    "  src_ip TEXT NOT NULL,"
    "  src_port INTEGER NOT NULL,"
    "  dst_ip TEXT NOT NULL,"
    "  dst_port INTEGER NOT NULL,"
    "  first_ts_us INTEGER NOT NULL,"
    "  last_ts_us INTEGER NOT NULL,"
    "  pkts_c2s INTEGER NOT NULL,"
    "  bytes_c2s INTEGER NOT NULL,"
    "  pkts_s2c INTEGER NOT NULL,"
    "  bytes_s2c INTEGER NOT NULL,"
    "  vlan INTEGER NOT NULL,"
    "  ndpi_proto TEXT NOT NULL,"
    "  service TEXT NOT NULL,"
    "  class TEXT NOT NULL,"
    "  method TEXT NOT NULL,"
    "  confidence INTEGER NOT NULL,"
    "  server_name TEXT NOT NULL,"
    "  server_name_cut INTEGER NOT NULL,"
    "  tunnel_teid INTEGER,"
    "  tunnel_teid_s2c INTEGER,"
    "  end_reason TEXT NOT NULL,"
    "  PRIMARY KEY (run_id, id));"
    "CREATE INDEX flows_class ON flows(class, service);"
    "CREATE INDEX flows_time ON flows(first_ts_us);"
    "CREATE TABLE run_stats ("
    "  run_id INTEGER NOT NULL REFERENCES runs(id),"
    "  name TEXT NOT NULL,"
    "  value INTEGER NOT NULL,"
    "  PRIMARY KEY (run_id, name));",
    /* 2: live capture counters (pcap_stats), sampled per run.  ts_utc is the
     * wall clock of the sample (live runs only; never in an analyze run). */
    "CREATE TABLE capture_stats ("
    "  run_id INTEGER NOT NULL REFERENCES runs(id),"
    "  ts_utc INTEGER NOT NULL,"
    "  received INTEGER NOT NULL,"
    "  dropped INTEGER NOT NULL,"
    "  if_dropped INTEGER NOT NULL);"
    "CREATE INDEX capture_stats_run ON capture_stats(run_id, ts_utc);",
    /* 3: activity bursts inside ott-messaging flows.  A
     * burst is a run of payload packets separated by less than the burst gap
     * (analyze --burst-gap); it is inferred activity, nothing more: the table
     * has no column for sizes of individual messages or their content. */
    "CREATE TABLE ott_events ("
    "  run_id INTEGER NOT NULL REFERENCES runs(id),"
    "  flow_id INTEGER NOT NULL,"
    "  ts_us INTEGER NOT NULL,"
    "  end_ts_us INTEGER NOT NULL,"
    "  direction TEXT NOT NULL CHECK (direction IN ('c2s','s2c','both')),"
    "  packets INTEGER NOT NULL,"
    "  bytes INTEGER NOT NULL,"
    "  label TEXT NOT NULL DEFAULT 'inferred-activity' CHECK (label = 'inferred-activity'));"
    "CREATE INDEX ott_events_flow ON ott_events(run_id, flow_id, ts_us);",
    /* 4: carrier SMS transfer legs.  Addresses, references and
     * codes only: no column can hold message text (content_present is a flag). */
    "CREATE TABLE sms_events ("
    "  id INTEGER PRIMARY KEY,"
    "  run_id INTEGER NOT NULL REFERENCES runs(id),"
    "  flow_id INTEGER NOT NULL,"
    "  ts_us INTEGER NOT NULL,"
    "  protocol TEXT NOT NULL CHECK (protocol IN ('smpp','sip','map','sgd')),"
    "  operation TEXT NOT NULL,"
    "  direction TEXT NOT NULL DEFAULT '',"
    "  originator TEXT NOT NULL DEFAULT '',"
    "  originator_ton INTEGER,"
    "  originator_npi INTEGER,"
    "  recipient TEXT NOT NULL DEFAULT '',"
    "  recipient_ton INTEGER,"
    "  recipient_npi INTEGER,"
    "  smsc TEXT NOT NULL DEFAULT '',"
    "  imsi TEXT NOT NULL DEFAULT '',"
    "  msg_ref INTEGER,"
    "  concat_ref INTEGER,"
    "  concat_part INTEGER,"
    "  concat_total INTEGER,"
    "  status TEXT NOT NULL DEFAULT '',"
    "  content_present INTEGER NOT NULL DEFAULT 0,"
    "  detail TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX sms_events_time ON sms_events(run_id, ts_us);",
    /* 5: crash consistency.  A run whose process died is 'interrupted'
     * (store.c finds it by its lock), and inputs are recorded when opened
     * ('reading') and completed at the end.  SQLite cannot change a CHECK, so
     * both tables are rebuilt (https://sqlite.org/lang_altertable.html,
     * "other kinds of table schema changes"; store.c turns foreign keys off
     * around migrations). */
    "CREATE TABLE runs_new ("
    "  id INTEGER PRIMARY KEY,"
    "  mode TEXT NOT NULL,"
    "  started_utc INTEGER NOT NULL,"
    "  finished_utc INTEGER,"
    "  tool_version TEXT NOT NULL,"
    "  command_line TEXT NOT NULL,"
    "  signature_sha256 TEXT NOT NULL,"
    "  ndpi_version TEXT NOT NULL,"
    "  status TEXT NOT NULL CHECK (status IN"
    "    ('running','complete','partial','failed','interrupted')));"
    "INSERT INTO runs_new SELECT * FROM runs;"
    "DROP TABLE runs;"
    "ALTER TABLE runs_new RENAME TO runs;"
    "CREATE TABLE inputs_new ("
    "  run_id INTEGER NOT NULL REFERENCES runs(id),"
    "  seq INTEGER NOT NULL,"
    "  path TEXT NOT NULL,"
    "  sha256 TEXT,"
    "  bytes INTEGER NOT NULL,"
    "  link_type TEXT,"
    "  packets INTEGER NOT NULL,"
    "  first_ts_us INTEGER,"
    "  last_ts_us INTEGER,"
    "  status TEXT NOT NULL CHECK (status IN ('complete','partial','refused','unreadable',"
    "    'duplicate','reading','interrupted')),"
    "  detail TEXT,"
    "  PRIMARY KEY (run_id, seq));"
    "INSERT INTO inputs_new SELECT * FROM inputs;"
    "DROP TABLE inputs;"
    "ALTER TABLE inputs_new RENAME TO inputs;",
    /* 6: an SMS address that did not fit (a SIP URI longer than
     * SMS_ADDR_MAX) is stored cut and flagged; the report never takes a cut
     * address as a subject (it may have lost digits). */
    "ALTER TABLE sms_events ADD COLUMN originator_cut INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE sms_events ADD COLUMN recipient_cut INTEGER NOT NULL DEFAULT 0;",
};

size_t schema_count(void) { return sizeof migrations / sizeof migrations[0]; }

const char *schema_migration(size_t k)
{
    return k >= 1 && k <= schema_count() ? migrations[k - 1] : "";
}
