/* payload.h - application payloads for pcapgen: DNS, TLS, NTP, SCTP chunks.
 *
 * Unless noted otherwise, every function resets `out` and writes one complete
 * message. Input is trusted (generator literals); overflow is reported by out->overflow.
 * Specs: RFC 1035 §4.1 (DNS), RFC 3596 (AAAA), RFC 8446 §4.1.2-§4.1.3 and
 * §5.1 (TLS 1.3 hellos, records), RFC 6066 §3 (SNI), RFC 7301 §3.1 (ALPN),
 * RFC 5905 §7.3 (NTPv4), RFC 9260 §3.3 (SCTP chunks), RFC 4666 §3.5.5
 * (M3UA BEAT).
 */
#ifndef PR_PCAPS_GEN_PAYLOAD_H
#define PR_PCAPS_GEN_PAYLOAD_H

#include "build.h"

#include <stddef.h>
#include <stdint.h>

/* DNS resource record types (RFC 1035 §3.2.2, RFC 3596 §2.1). */
enum { PAYLOAD_DNS_A = 1, PAYLOAD_DNS_AAAA = 28 };

#define PAYLOAD_DNS_TTL 300u

/* Standard query, RD set, one question of class IN. */
void payload_dns_query(struct build_buf *out, uint16_t id, const char *name, uint16_t qtype);

/* Response (QR, RD, RA, NOERROR) echoing the question, with one answer whose
 * owner name is the compression pointer 0xC00C and TTL PAYLOAD_DNS_TTL. */
void payload_dns_answer(struct build_buf *out, uint16_t id, const char *name, uint16_t qtype,
                        const struct build_addr *addr);

#define PAYLOAD_TLS_SID_LEN 32u /* legacy_session_id, RFC 8446 §4.1.2 */

/* One TLS record (type 22) holding a ClientHello: legacy version 0x0303,
 * random, 32-byte session id (copied to sid), cipher suites, null
 * compression and extensions server_name, supported_groups,
 * signature_algorithms, ALPN (omitted when alpn is NULL), key_share,
 * supported_versions and others a browser sends. */
void payload_tls_client_hello(struct build_buf *out, struct xorshift *rng, const char *sni,
                              const char *alpn, uint8_t sid[PAYLOAD_TLS_SID_LEN]);

/* ServerHello record (TLS_AES_128_GCM_SHA256, echoes sid, selects 0x0304),
 * followed by a ChangeCipherSpec record and one application-data record of
 * enc_len bytes standing for the encrypted handshake. */
void payload_tls_server_flight(struct build_buf *out, struct xorshift *rng,
                               const uint8_t sid[PAYLOAD_TLS_SID_LEN], size_t enc_len);

/* Client's second flight: ChangeCipherSpec + a 53-byte application-data
 * record (the encrypted Finished). */
void payload_tls_client_finished(struct build_buf *out, struct xorshift *rng);

/* One application-data record (type 23) with len pseudo-random bytes. */
void payload_tls_app_data(struct build_buf *out, struct xorshift *rng, size_t len);

/* NTPv4 packet, mode 3 (client) or 4 (server). ts_us stamps the transmit
 * time; a server reply copies orig_us into the origin timestamp. */
void payload_ntp(struct build_buf *out, int mode, uint64_t ts_us, uint64_t orig_us);

/* SCTP chunks, appended to out (not reset) and padded to 4 bytes. */
void payload_sctp_init(struct build_buf *out, bool ack, uint32_t itag, uint32_t tsn,
                       const uint8_t *cookie, size_t cookie_len);
void payload_sctp_cookie(struct build_buf *out, bool ack, const uint8_t *cookie,
                         size_t cookie_len);
void payload_sctp_data(struct build_buf *out, uint32_t tsn, uint16_t ssn, uint32_t ppid,
                       const uint8_t *data, size_t len);
/* A DATA chunk with flags (U 4, B 2, E 1: a fragment, RFC 9260 §3.3.1). */
void payload_sctp_data_flags(struct build_buf *out, uint8_t flags, uint32_t tsn, uint16_t stream,
                             uint16_t ssn, uint32_t ppid, const uint8_t *data, size_t len);
void payload_sctp_sack(struct build_buf *out, uint32_t cum_tsn);
void payload_sctp_shutdown(struct build_buf *out, int kind, uint32_t cum_tsn);

/* SCTP_SHUTDOWN kinds for payload_sctp_shutdown (chunk types, RFC 9260 §3.3). */
enum { PAYLOAD_SCTP_SHUTDOWN = 7, PAYLOAD_SCTP_SHUTDOWN_ACK = 8, PAYLOAD_SCTP_SHUTDOWN_DONE = 14 };

/* A 20-byte M3UA BEAT message (RFC 4666 §3.5.5) with 8 pseudo-random bytes
 * of Heartbeat Data: "arbitrary bytes" that tshark still decodes cleanly. */
void payload_m3ua_beat(struct build_buf *out, struct xorshift *rng);

#endif /* PR_PCAPS_GEN_PAYLOAD_H */
