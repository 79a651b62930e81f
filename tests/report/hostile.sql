-- tests/report/hostile.sql - hostile values for the report escaping tests,
-- applied after fixture.sql to a database of pcaps/hostile_names.pcap plus
-- pcaps/ott_tls.pcap.  Origin: hand-written.  The hostile SNI and HTTP Host
-- come from the capture; classify/meta.c maps control bytes to '?', so
-- control bytes and invalid UTF-8 are injected here as other parsers may
-- let them through.
-- Pretend the signature engine matched the hostile TLS flows as OTT.
UPDATE flows SET class = 'ott-messaging', service = 'Signal<script>x</script>'
 WHERE src_ip = '10.66.0.66' AND dst_port = 443 AND dst_ip = '13.248.212.111';
UPDATE flows SET class = 'ott-messaging', service = '=HYPERLINK("http://evil")',
  server_name = server_name || char(27) || '[2J' || CAST(X'C328FF' AS TEXT) || char(7)
 WHERE src_ip = '10.66.0.66' AND dst_ip = '157.240.0.53';
INSERT INTO sms_events (run_id, flow_id, ts_us, protocol, operation, direction, originator,
  recipient, smsc, status, content_present, detail) VALUES
 (1, 0, 1709287204000000, 'sip', 'submit', 'mo',
  'sip:"><script>document.title=''PWNED''</script>@evil.example',
  '=cmd|'' /C calc''!A0', '+SUM(1,2)', '@import', 1, 'system_id=-2+3'),
 (1, 0, 1709287204100000, 'smpp', 'submit', 'mo',
  '</svg><svg onload="document.title=''PWNED''">',
  'esc' || char(27) || '[31m' || char(13) || char(10) || 'x' || char(0x85),
  CAST(X'66FF80C3' AS TEXT), char(9) || 'tab', 0, 'system_id=' || char(27) || ']0;title' || char(7)),
 (1, 0, 1709287204200000, 'smpp', 'deliver', 'mt', CAST(X'EDA080F8' AS TEXT),
  '<script>document.title=''PWNED''</script>', '', '-1', 0, 'a"b,c' || char(10) || 'd');
