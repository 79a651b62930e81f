-- tests/report/schema_events.sql - sms_events / ott_events as specified in
-- issue 3 (SMS decoders) and issue 4 (signature engine), for report tests
-- on branches where those tables are not yet created by a migration.
-- IF NOT EXISTS: once a migration defines them, this file does nothing.
CREATE TABLE IF NOT EXISTS sms_events (
  id INTEGER PRIMARY KEY, run_id INTEGER, flow_id INTEGER, ts_us INTEGER NOT NULL,
  protocol TEXT NOT NULL, operation TEXT, direction TEXT, originator TEXT,
  originator_ton INTEGER, originator_npi INTEGER, recipient TEXT, recipient_ton INTEGER,
  recipient_npi INTEGER, smsc TEXT, imsi TEXT, msg_ref INTEGER, concat_ref INTEGER,
  concat_part INTEGER, concat_total INTEGER, status TEXT, content_present INTEGER,
  detail TEXT);
CREATE TABLE IF NOT EXISTS ott_events (
  run_id INTEGER, flow_id INTEGER NOT NULL, ts_us INTEGER NOT NULL, end_ts_us INTEGER,
  direction TEXT, packets INTEGER, bytes INTEGER);
