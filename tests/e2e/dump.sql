-- Canonical, ORDER BY-stable dump of a trapline database for golden comparison.
-- Wall-clock fields (runs.started_utc/finished_utc, command line) and values that
-- change with every release (tool version, signature hash) are left out.
.mode list
.separator "\t"
.headers on
.nullvalue NULL
.print '# runs'
SELECT id, mode, status FROM runs ORDER BY id;
.print '# inputs'
SELECT run_id, seq, replace(path, rtrim(path, replace(path, '/', '')), '') AS file, sha256,
       bytes, link_type, packets,
       CASE WHEN first_ts_us IS NULL THEN NULL ELSE
         strftime('%Y-%m-%dT%H:%M:%S', first_ts_us / 1000000, 'unixepoch') ||
         printf('.%06dZ', first_ts_us % 1000000) END AS first_ts,
       CASE WHEN last_ts_us IS NULL THEN NULL ELSE
         strftime('%Y-%m-%dT%H:%M:%S', last_ts_us / 1000000, 'unixepoch') ||
         printf('.%06dZ', last_ts_us % 1000000) END AS last_ts,
       status, detail
  FROM inputs ORDER BY run_id, seq;
.print '# flows'
SELECT run_id, id, proto, src_ip, src_port, dst_ip, dst_port,
       strftime('%Y-%m-%dT%H:%M:%S', first_ts_us / 1000000, 'unixepoch') ||
         printf('.%06dZ', first_ts_us % 1000000) AS first_ts,
       strftime('%Y-%m-%dT%H:%M:%S', last_ts_us / 1000000, 'unixepoch') ||
         printf('.%06dZ', last_ts_us % 1000000) AS last_ts,
       pkts_c2s, bytes_c2s, pkts_s2c, bytes_s2c, vlan, ndpi_proto, service, class, method,
       confidence, server_name, server_name_cut, tunnel_teid, tunnel_teid_s2c, end_reason, rule
  FROM flows ORDER BY run_id, id;
.print '# run_stats'
SELECT run_id, name, value FROM run_stats ORDER BY run_id, name;
.print '# ott_events'
SELECT run_id, flow_id,
       strftime('%Y-%m-%dT%H:%M:%S', ts_us / 1000000, 'unixepoch') ||
         printf('.%06dZ', ts_us % 1000000) AS ts,
       strftime('%Y-%m-%dT%H:%M:%S', end_ts_us / 1000000, 'unixepoch') ||
         printf('.%06dZ', end_ts_us % 1000000) AS end_ts,
       direction, packets, bytes, label
  FROM ott_events ORDER BY run_id, flow_id, ts_us;
.print '# sms_events'
SELECT run_id, flow_id,
       strftime('%Y-%m-%dT%H:%M:%S', ts_us / 1000000, 'unixepoch') ||
         printf('.%06dZ', ts_us % 1000000) AS ts,
       protocol, operation, direction, originator, originator_ton, originator_npi,
       recipient, recipient_ton, recipient_npi, smsc, imsi, msg_ref, concat_ref, concat_part,
       concat_total, status, content_present, detail, message_id
  FROM sms_events ORDER BY run_id, ts_us, id;
