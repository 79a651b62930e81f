-- tests/report/fixture.sql - synthetic SMS records and OTT bursts added to a
-- database made by `trapline analyze pcaps/*.pcap` (run 1), so that every
-- report section has data.  Origin: hand-written for the report tests; the
-- numbers are in the +1-555-01xx fictional range; times sit inside the
-- 2024-03-01T10:00:00Z capture window of the generated pcaps.
-- Wall-clock and path fields are pinned so golden outputs are stable.
UPDATE runs SET started_utc = 1709290000000000, finished_utc = 1709290001000000,
  command_line = 'trapline analyze --db DB pcaps/';
-- flow_id 0: an SMS record not carried by any captured flow (the schema requires a value).
-- Subscriber +15550100 sends two SMS (SMPP submit) and receives one (MT).
INSERT INTO sms_events (run_id, flow_id, ts_us, protocol, operation, direction, originator,
  originator_ton, originator_npi, recipient, recipient_ton, recipient_npi, smsc, msg_ref,
  status, content_present, detail) VALUES
 (1, 0, 1709287201000000, 'smpp', 'submit', 'mo', '+15550100', 1, 1, '+15550111', 1, 1,
  '+15550999', 1, 'ESME_ROK', 1, 'system_id=esme1'),
 (1, 0, 1709287205500000, 'smpp', 'submit', 'mo', '+15550100', 1, 1, '+15550122', 1, 1,
  '+15550999', 2, 'ESME_ROK', 1, 'system_id=esme1'),
 (1, 0, 1709290800000000, 'smpp', 'deliver', 'mt', '+15550111', 1, 1, '+15550100', 1, 1,
  '+15550999', 3, 'ESME_ROK', 1, 'system_id=esme1');
-- Subscriber +15550200 (MT) shares counterpart +15550111 with +15550100.
INSERT INTO sms_events (run_id, flow_id, ts_us, protocol, operation, direction, originator,
  recipient, status, content_present) VALUES
 (1, 0, 1709287203000000, 'map', 'forward', 'mt', '+15550111', '+15550200', 'ok', 1);
-- An SMS over IMS leg carried by the UE's tunnelled flow (10.45.0.2, gtpu.pcap), so
-- the UE's OTT period counts as carrier-visible (an SMS record nearby).
INSERT INTO sms_events (run_id, flow_id, ts_us, protocol, operation, direction, originator,
  recipient, status, content_present)
 SELECT 1, id, 1709287202000000, 'sip', 'submit', 'mo', 'sip:+15550300@ims.example',
  'tel:+15550111', '202', 1 FROM flows WHERE src_ip = '10.45.0.2' ORDER BY id LIMIT 1;
-- Two inferred bursts per OTT messaging flow: 100 ms after its start and
-- 500 ms before its end.
INSERT INTO ott_events (run_id, flow_id, ts_us, end_ts_us, direction, packets, bytes)
 SELECT run_id, id, first_ts_us + 100000, first_ts_us + 180000, 'both', 3, 900
 FROM flows WHERE class = 'ott-messaging' ORDER BY id;
INSERT INTO ott_events (run_id, flow_id, ts_us, end_ts_us, direction, packets, bytes)
 SELECT run_id, id, last_ts_us - 500000, last_ts_us - 420000, 'c2s', 2, 620
 FROM flows WHERE class = 'ott-messaging' ORDER BY id;
-- The audit log (schema 5) holds wall-clock times and hashes over them; it is
-- append-only, so the fixture removes it the way only a direct SQL user can,
-- to keep the golden outputs stable.  (tests/suites/scope.sh covers the log.)
DROP TRIGGER audit_log_no_delete;
DELETE FROM audit_log;
