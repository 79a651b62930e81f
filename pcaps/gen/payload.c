/* payload.c - DNS, TLS, NTP and SCTP/M3UA payloads for pcapgen.
 *
 * DNS message (RFC 1035 §4.1.1):      TLS record (RFC 8446 §5.1):
 *   ID | flags | QD | AN | NS | AR      type(1) version(2) length(2)
 *   question: QNAME QTYPE QCLASS        handshake: type(1) length(3) body
 *   answer:   C0 0C TYPE CLASS TTL      ClientHello (§4.1.2): version(2)
 *             RDLENGTH RDATA              random(32) sid<0..32>
 *                                         suites<2..> comp<1..> ext<8..>
 * Extensions (§4.2): type(2) length(2) data. server_name (RFC 6066 §3):
 *   list_len(2) name_type 0 host_len(2) host.  ALPN (RFC 7301 §3.1):
 *   list_len(2) { len(1) protocol }.
 *
 * NTP (RFC 5905 §7.3): LI|VN|Mode stratum poll precision root-delay
 *   root-dispersion refid ref-ts origin-ts receive-ts transmit-ts (48).
 * SCTP chunk (RFC 9260 §3.2): type(1) flags(1) length(2) value, padded.
 */
#include "payload.h"

#include <assert.h>
#include <string.h>

#define DNS_CLASS_IN 1
#define DNS_FLAGS_QUERY 0x0100    /* RD */
#define DNS_FLAGS_RESPONSE 0x8180 /* QR, RD, RA, RCODE 0 */
#define DNS_PTR_QNAME 0xC00C     /* pointer to offset 12: the question name */
#define DNS_LABEL_MAX 63u        /* RFC 1035 §2.3.4 */
#define DNS_NAME_MAX 255u

#define TLS_CT_CCS 20            /* RFC 8446 §5.1 ContentType */
#define TLS_CT_HANDSHAKE 22
#define TLS_CT_APPDATA 23
#define TLS_HS_CLIENT_HELLO 1
#define TLS_HS_SERVER_HELLO 2
#define TLS_VER_10 0x0301        /* record version of a first ClientHello */
#define TLS_VER_12 0x0303
#define TLS_VER_13 0x0304
#define TLS_RANDOM_LEN 32u
#define TLS_X25519 0x001D        /* RFC 8446 §4.2.7 */
#define TLS_X25519_KEY_LEN 32u
#define TLS_FINISHED_REC_LEN 53u /* 32-byte verify_data + type + 16-byte tag + 4 */

/* Extension code points (IANA TLS ExtensionType registry). */
#define TLS_EXT_SERVER_NAME 0
#define TLS_EXT_STATUS_REQUEST 5
#define TLS_EXT_SUPPORTED_GROUPS 10
#define TLS_EXT_EC_POINT_FORMATS 11
#define TLS_EXT_SIG_ALGS 13
#define TLS_EXT_ALPN 16
#define TLS_EXT_EMS 23
#define TLS_EXT_SESSION_TICKET 35
#define TLS_EXT_SUPPORTED_VERSIONS 43
#define TLS_EXT_PSK_MODES 45
#define TLS_EXT_KEY_SHARE 51
#define TLS_EXT_RENEGOTIATION 0xFF01

#define NTP_EPOCH_OFFSET 2208988800u /* 1900-01-01 to 1970-01-01, RFC 5905 §6 */
#define NTP_VERSION 4

#define SCTP_CHUNK_DATA 0 /* RFC 9260 §3.3 chunk types */
#define SCTP_CHUNK_INIT 1
#define SCTP_CHUNK_INIT_ACK 2
#define SCTP_CHUNK_SACK 3
#define SCTP_CHUNK_COOKIE_ECHO 10
#define SCTP_CHUNK_COOKIE_ACK 11
#define SCTP_PARAM_COOKIE 7
#define SCTP_DATA_FLAGS_BE 0x03 /* unfragmented user message */
#define SCTP_RWND 106496u
#define SCTP_STREAMS_OUT 10
#define SCTP_STREAMS_IN 65535

static void dns_name(struct build_buf *out, const char *name)
{
    size_t total = 0;

    while (*name != '\0') {
        const char *dot = strchr(name, '.');
        size_t n = dot ? (size_t)(dot - name) : strlen(name);

        assert(n > 0 && n <= DNS_LABEL_MAX);
        build_u8(out, (uint8_t)n);
        build_bytes(out, name, n);
        total += n + 1;
        name += n + (dot ? 1 : 0);
    }
    build_u8(out, 0);
    assert(total + 1 <= DNS_NAME_MAX);
}

static void dns_header_question(struct build_buf *out, uint16_t id, uint16_t flags, uint16_t an,
                                const char *name, uint16_t qtype)
{
    build_reset(out);
    build_be16(out, id);
    build_be16(out, flags);
    build_be16(out, 1);  /* QDCOUNT */
    build_be16(out, an); /* ANCOUNT */
    build_be16(out, 0);  /* NSCOUNT */
    build_be16(out, 0);  /* ARCOUNT */
    dns_name(out, name);
    build_be16(out, qtype);
    build_be16(out, DNS_CLASS_IN);
}

void payload_dns_query(struct build_buf *out, uint16_t id, const char *name, uint16_t qtype)
{
    dns_header_question(out, id, DNS_FLAGS_QUERY, 0, name, qtype);
}

void payload_dns_answer(struct build_buf *out, uint16_t id, const char *name, uint16_t qtype,
                        const struct build_addr *addr)
{
    size_t alen = addr->ver == 6 ? 16 : 4;

    assert((qtype == PAYLOAD_DNS_AAAA) == (addr->ver == 6));
    dns_header_question(out, id, DNS_FLAGS_RESPONSE, 1, name, qtype);
    build_be16(out, DNS_PTR_QNAME);
    build_be16(out, qtype);
    build_be16(out, DNS_CLASS_IN);
    build_be32(out, PAYLOAD_DNS_TTL);
    build_be16(out, (uint16_t)alen);
    build_bytes(out, addr->a, alen);
}

/* Opens a record + handshake header; returns the record's start offset.
 * Lengths are patched by tls_close_hs(). */
static size_t tls_open_hs(struct build_buf *out, uint16_t rec_ver, uint8_t hs_type)
{
    size_t start = out->len;

    build_u8(out, TLS_CT_HANDSHAKE);
    build_be16(out, rec_ver);
    build_be16(out, 0);
    build_u8(out, hs_type);
    build_be24(out, 0);
    return start;
}

static void tls_close_hs(struct build_buf *out, size_t start)
{
    build_patch_be16(out, start + 3, (uint16_t)(out->len - start - 5));
    build_patch_be24(out, start + 6, (uint32_t)(out->len - start - 9));
}

/* Starts an extension; returns the offset of its length field. */
static size_t ext_open(struct build_buf *out, uint16_t type)
{
    size_t at;

    build_be16(out, type);
    at = out->len;
    build_be16(out, 0);
    return at;
}

static void ext_close(struct build_buf *out, size_t at)
{
    build_patch_be16(out, at, (uint16_t)(out->len - at - 2));
}

static void ext_u16_list(struct build_buf *out, uint16_t type, const uint16_t *v, size_t n)
{
    size_t at = ext_open(out, type);

    build_be16(out, (uint16_t)(2 * n));
    for (size_t i = 0; i < n; i++)
        build_be16(out, v[i]);
    ext_close(out, at);
}

static void ext_key_share_x25519(struct build_buf *out, struct xorshift *rng, bool client)
{
    size_t at = ext_open(out, TLS_EXT_KEY_SHARE);

    if (client)
        build_be16(out, 4 + TLS_X25519_KEY_LEN); /* client_shares length */
    build_be16(out, TLS_X25519);
    build_be16(out, TLS_X25519_KEY_LEN);
    build_rng_bytes(out, rng, TLS_X25519_KEY_LEN);
    ext_close(out, at);
}

void payload_tls_client_hello(struct build_buf *out, struct xorshift *rng, const char *sni,
                              const char *alpn, uint8_t sid[PAYLOAD_TLS_SID_LEN])
{
    /* A current browser's suites: TLS 1.3 first, then ECDHE AEAD, then
     * legacy RSA (IANA TLS Cipher Suites registry). */
    static const uint16_t suites[] = { 0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030,
                                       0xCCA9, 0xCCA8, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F,
                                       0x0035 };
    static const uint16_t groups[] = { TLS_X25519, 0x0017, 0x0018 }; /* + P-256, P-384 */
    static const uint16_t sigalgs[] = { 0x0403, 0x0804, 0x0401, 0x0503,
                                        0x0805, 0x0501, 0x0806, 0x0601 };
    size_t rec, exts, at;

    build_reset(out);
    rec = tls_open_hs(out, TLS_VER_10, TLS_HS_CLIENT_HELLO);
    build_be16(out, TLS_VER_12);
    build_rng_bytes(out, rng, TLS_RANDOM_LEN);
    build_u8(out, PAYLOAD_TLS_SID_LEN);
    for (size_t i = 0; i < PAYLOAD_TLS_SID_LEN; i++)
        sid[i] = (uint8_t)(build_rng_next(rng) >> 24);
    build_bytes(out, sid, PAYLOAD_TLS_SID_LEN);
    build_be16(out, (uint16_t)sizeof(suites));
    for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++)
        build_be16(out, suites[i]);
    build_u8(out, 1); /* compression methods: null only */
    build_u8(out, 0);

    exts = out->len;
    build_be16(out, 0);
    at = ext_open(out, TLS_EXT_SERVER_NAME);
    build_be16(out, (uint16_t)(3 + strlen(sni)));
    build_u8(out, 0); /* name_type host_name */
    build_be16(out, (uint16_t)strlen(sni));
    build_str(out, sni);
    ext_close(out, at);
    ext_close(out, ext_open(out, TLS_EXT_EMS));
    at = ext_open(out, TLS_EXT_RENEGOTIATION);
    build_u8(out, 0);
    ext_close(out, at);
    ext_u16_list(out, TLS_EXT_SUPPORTED_GROUPS, groups, sizeof(groups) / sizeof(groups[0]));
    at = ext_open(out, TLS_EXT_EC_POINT_FORMATS);
    build_u8(out, 1);
    build_u8(out, 0); /* uncompressed */
    ext_close(out, at);
    ext_close(out, ext_open(out, TLS_EXT_SESSION_TICKET));
    if (alpn != NULL) {
        at = ext_open(out, TLS_EXT_ALPN);
        build_be16(out, (uint16_t)(1 + strlen(alpn)));
        build_u8(out, (uint8_t)strlen(alpn));
        build_str(out, alpn);
        ext_close(out, at);
    }
    at = ext_open(out, TLS_EXT_STATUS_REQUEST);
    build_u8(out, 1); /* ocsp */
    build_be16(out, 0);
    build_be16(out, 0);
    ext_close(out, at);
    ext_u16_list(out, TLS_EXT_SIG_ALGS, sigalgs, sizeof(sigalgs) / sizeof(sigalgs[0]));
    ext_key_share_x25519(out, rng, true);
    at = ext_open(out, TLS_EXT_PSK_MODES);
    build_u8(out, 1);
    build_u8(out, 1); /* psk_dhe_ke */
    ext_close(out, at);
    at = ext_open(out, TLS_EXT_SUPPORTED_VERSIONS);
    build_u8(out, 4);
    build_be16(out, TLS_VER_13);
    build_be16(out, TLS_VER_12);
    ext_close(out, at);
    build_patch_be16(out, exts, (uint16_t)(out->len - exts - 2));
    tls_close_hs(out, rec);
}

static void tls_ccs(struct build_buf *out)
{
    build_u8(out, TLS_CT_CCS);
    build_be16(out, TLS_VER_12);
    build_be16(out, 1);
    build_u8(out, 1);
}

static void tls_app_record(struct build_buf *out, struct xorshift *rng, size_t len)
{
    build_u8(out, TLS_CT_APPDATA);
    build_be16(out, TLS_VER_12);
    build_be16(out, (uint16_t)len);
    build_rng_bytes(out, rng, len);
}

void payload_tls_server_flight(struct build_buf *out, struct xorshift *rng,
                               const uint8_t sid[PAYLOAD_TLS_SID_LEN], size_t enc_len)
{
    size_t rec, exts, at;

    build_reset(out);
    rec = tls_open_hs(out, TLS_VER_12, TLS_HS_SERVER_HELLO);
    build_be16(out, TLS_VER_12);
    build_rng_bytes(out, rng, TLS_RANDOM_LEN);
    build_u8(out, PAYLOAD_TLS_SID_LEN);
    build_bytes(out, sid, PAYLOAD_TLS_SID_LEN);
    build_be16(out, 0x1301); /* TLS_AES_128_GCM_SHA256 */
    build_u8(out, 0);
    exts = out->len;
    build_be16(out, 0);
    at = ext_open(out, TLS_EXT_SUPPORTED_VERSIONS);
    build_be16(out, TLS_VER_13);
    ext_close(out, at);
    ext_key_share_x25519(out, rng, false);
    build_patch_be16(out, exts, (uint16_t)(out->len - exts - 2));
    tls_close_hs(out, rec);
    tls_ccs(out);
    tls_app_record(out, rng, enc_len);
}

void payload_tls_client_finished(struct build_buf *out, struct xorshift *rng)
{
    build_reset(out);
    tls_ccs(out);
    tls_app_record(out, rng, TLS_FINISHED_REC_LEN);
}

void payload_tls_app_data(struct build_buf *out, struct xorshift *rng, size_t len)
{
    build_reset(out);
    tls_app_record(out, rng, len);
}

static void ntp_stamp(struct build_buf *out, uint64_t ts_us)
{
    uint64_t frac = (ts_us % 1000000u) * (UINT64_C(1) << 32) / 1000000u;

    build_be32(out, (uint32_t)(ts_us / 1000000u + NTP_EPOCH_OFFSET));
    build_be32(out, (uint32_t)frac);
}

void payload_ntp(struct build_buf *out, int mode, uint64_t ts_us, uint64_t orig_us)
{
    bool server = mode == 4;

    build_reset(out);
    build_u8(out, (uint8_t)(NTP_VERSION << 3 | (mode & 7))); /* LI 0 */
    build_u8(out, server ? 3 : 0);                            /* stratum */
    build_u8(out, 6);                                         /* poll 2^6 s */
    build_u8(out, server ? 0xE7 : 0xE9);                      /* precision -25/-23 */
    build_be32(out, server ? 0x00000150u : 0);                /* root delay */
    build_be32(out, server ? 0x00000260u : 0);                /* root dispersion */
    build_be32(out, server ? 0x0A1508FBu : 0);                /* reference id */
    if (server) {
        ntp_stamp(out, ts_us - 64u * 1000000u);               /* reference */
        ntp_stamp(out, orig_us);                              /* origin */
        ntp_stamp(out, ts_us - 50u);                          /* receive */
    } else {
        build_zero(out, 24);
    }
    ntp_stamp(out, ts_us); /* transmit */
}

static void chunk_pad(struct build_buf *out, size_t start)
{
    build_zero(out, (4 - ((out->len - start) & 3)) & 3);
}

void payload_sctp_init(struct build_buf *out, bool ack, uint32_t itag, uint32_t tsn,
                       const uint8_t *cookie, size_t cookie_len)
{
    size_t start = out->len;

    build_u8(out, ack ? SCTP_CHUNK_INIT_ACK : SCTP_CHUNK_INIT);
    build_u8(out, 0);
    build_be16(out, (uint16_t)(20 + (ack ? 4 + cookie_len : 0)));
    build_be32(out, itag);
    build_be32(out, SCTP_RWND);
    build_be16(out, SCTP_STREAMS_OUT);
    build_be16(out, SCTP_STREAMS_IN);
    build_be32(out, tsn);
    if (ack) {
        build_be16(out, SCTP_PARAM_COOKIE);
        build_be16(out, (uint16_t)(4 + cookie_len));
        build_bytes(out, cookie, cookie_len);
    }
    chunk_pad(out, start);
}

void payload_sctp_cookie(struct build_buf *out, bool ack, const uint8_t *cookie,
                         size_t cookie_len)
{
    size_t start = out->len;

    build_u8(out, ack ? SCTP_CHUNK_COOKIE_ACK : SCTP_CHUNK_COOKIE_ECHO);
    build_u8(out, 0);
    build_be16(out, (uint16_t)(4 + (ack ? 0 : cookie_len)));
    if (!ack)
        build_bytes(out, cookie, cookie_len);
    chunk_pad(out, start);
}

void payload_sctp_data(struct build_buf *out, uint32_t tsn, uint16_t ssn, uint32_t ppid,
                       const uint8_t *data, size_t len)
{
    /* stream 0: M3UA ASPSM messages (RFC 4666 §1.4.7) */
    payload_sctp_data_flags(out, SCTP_DATA_FLAGS_BE, tsn, 0, ssn, ppid, data, len);
}

void payload_sctp_data_flags(struct build_buf *out, uint8_t flags, uint32_t tsn, uint16_t stream,
                             uint16_t ssn, uint32_t ppid, const uint8_t *data, size_t len)
{
    size_t start = out->len;

    build_u8(out, SCTP_CHUNK_DATA);
    build_u8(out, flags);
    build_be16(out, (uint16_t)(16 + len));
    build_be32(out, tsn);
    build_be16(out, stream);
    build_be16(out, ssn);
    build_be32(out, ppid);
    build_bytes(out, data, len);
    chunk_pad(out, start);
}

void payload_sctp_sack(struct build_buf *out, uint32_t cum_tsn)
{
    build_u8(out, SCTP_CHUNK_SACK);
    build_u8(out, 0);
    build_be16(out, 16);
    build_be32(out, cum_tsn);
    build_be32(out, SCTP_RWND);
    build_be16(out, 0); /* gap ack blocks */
    build_be16(out, 0); /* duplicate TSNs */
}

void payload_sctp_shutdown(struct build_buf *out, int kind, uint32_t cum_tsn)
{
    build_u8(out, (uint8_t)kind);
    build_u8(out, 0);
    build_be16(out, kind == PAYLOAD_SCTP_SHUTDOWN ? 8 : 4);
    if (kind == PAYLOAD_SCTP_SHUTDOWN)
        build_be32(out, cum_tsn);
}

void payload_m3ua_beat(struct build_buf *out, struct xorshift *rng)
{
    /* RFC 4666 §3.1: version 1, reserved, class 3 (ASPSM), type 3 (BEAT),
     * length 20; then Heartbeat Data (tag 0x0009, §3.8.1), length 12. */
    build_reset(out);
    build_u8(out, 1);
    build_u8(out, 0);
    build_u8(out, 3);
    build_u8(out, 3);
    build_be32(out, 20);
    build_be16(out, 0x0009);
    build_be16(out, 12);
    build_rng_bytes(out, rng, 8);
}
