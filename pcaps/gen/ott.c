/* ott.c - ott_ech.pcap and decoys.pcap (see ott.h and pcaps/README.md).
 *
 * Specs: RFC 8446 section 4.1.2 (ClientHello), draft-ietf-tls-esni section 5
 * (encrypted_client_hello, extension 0xFE0D: the outer hello carries only a
 * public name or none), RFC 1035 section 4.1.3 (answer TTL), RFC 9112
 * section 3 (HTTP request line).  Addresses are documentation or the
 * services' published ranges; every byte comes from fixed seeds.
 */
#include "ott.h"

#include "build.h"
#include "payload.h"
#include "sess.h"
#include "writer.h"

#include <stdio.h>
#include <string.h>

#define MS(x) ((uint32_t)(x) * 1000u)
#define CLIENT4 "10.0.0.10"
#define CLIENT4B "10.0.0.11"
#define CLIENT6 "2001:db8::10"
#define RESOLVER4 "10.0.0.1"
#define RESOLVER6 "2001:db8::53"
#define DNS_PORT 53
#define RTT MS(20)
#define GAP MS(500)
#define ECH_PAYLOAD_LEN 144u /* a typical HPKE-sealed inner hello is 100-300 bytes */

static const struct build_link link_eth = {
    .kind = BUILD_LINK_ETH,
    .cli_mac = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a },
    .gw_mac = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 },
    .ifindex = 2,
};

/* A DNS look-up whose answer has TTL ttl (payload_dns_answer writes
 * PAYLOAD_DNS_TTL; the answer's TTL sits 10 bytes before the end of an A
 * record and 22 before the end of an AAAA record). */
static void dns_ttl(struct sess *s, const char *cli, const char *resolver, uint16_t sport,
                    uint16_t id, const char *name, uint16_t qtype, const char *answer,
                    uint32_t ttl)
{
    struct build_addr c = build_addr(cli), r = build_addr(resolver), a = build_addr(answer);
    struct build_buf msg;
    size_t at;

    payload_dns_query(&msg, id, name, qtype);
    sess_udp(s, true, &c, &r, sport, DNS_PORT, &msg);
    sess_wait(s, MS(8));
    payload_dns_answer(&msg, id, name, qtype, &a);
    at = msg.len - (qtype == PAYLOAD_DNS_AAAA ? 22u : 10u);
    msg.b[at] = (uint8_t)(ttl >> 24);
    msg.b[at + 1] = (uint8_t)(ttl >> 16);
    msg.b[at + 2] = (uint8_t)(ttl >> 8);
    msg.b[at + 3] = (uint8_t)ttl;
    sess_udp(s, false, &r, &c, DNS_PORT, sport, &msg);
    sess_wait(s, MS(3));
}

/* A ClientHello with no server_name of its own: optional outer public name
 * (ECH), supported_versions (TLS 1.3), an ECH extension when ech is set. */
static void hello_no_sni(struct build_buf *out, struct xorshift *rng, const char *public_name,
                         bool ech)
{
    size_t rec, hs, ext;

    build_reset(out);
    build_u8(out, 22);
    build_be16(out, 0x0301);
    rec = out->len;
    build_be16(out, 0);
    build_u8(out, 1);
    hs = out->len;
    build_be24(out, 0);
    build_be16(out, 0x0303);
    build_rng_bytes(out, rng, 32);
    build_u8(out, 32);
    build_rng_bytes(out, rng, 32);
    build_be16(out, 2);
    build_be16(out, 0x1301);
    build_u8(out, 1);
    build_u8(out, 0);
    ext = out->len;
    build_be16(out, 0);
    if (public_name != NULL) {
        size_t n = strlen(public_name);
        build_be16(out, 0x0000);
        build_be16(out, (uint16_t)(n + 5));
        build_be16(out, (uint16_t)(n + 3));
        build_u8(out, 0);
        build_be16(out, (uint16_t)n);
        build_str(out, public_name);
    }
    build_be16(out, 0x002b); /* supported_versions: TLS 1.3 */
    build_be16(out, 3);
    build_u8(out, 2);
    build_be16(out, 0x0304);
    if (ech) {
        build_be16(out, 0xfe0d);
        build_be16(out, (uint16_t)(ECH_PAYLOAD_LEN + 10));
        build_u8(out, 0);        /* outer */
        build_be16(out, 0x0001); /* HKDF-SHA256 */
        build_be16(out, 0x0001); /* AES-128-GCM */
        build_u8(out, 0x2a);     /* config id */
        build_be16(out, 0);      /* enc (empty: HRR-less retry shape) */
        build_be16(out, ECH_PAYLOAD_LEN);
        build_rng_bytes(out, rng, ECH_PAYLOAD_LEN);
    }
    build_patch_be16(out, ext, (uint16_t)(out->len - ext - 2));
    build_patch_be24(out, hs, (uint32_t)(out->len - hs - 3));
    build_patch_be16(out, rec, (uint16_t)(out->len - rec - 2));
}

/* TCP handshake, the given first client payload, a server reply, `exchanges`
 * application-data exchanges 200 ms to 1.5 s apart, FIN close. */
static void tcp_flow_reply(struct sess *s, const char *cli, uint16_t cport, const char *srv,
                           uint16_t sport, uint32_t seed, const struct build_buf *first,
                           const struct build_buf *reply, unsigned exchanges);

static void tcp_flow(struct sess *s, const char *cli, uint16_t cport, const char *srv,
                     uint16_t sport, uint32_t seed, const struct build_buf *first,
                     unsigned exchanges)
{
    tcp_flow_reply(s, cli, cport, srv, sport, seed, first, NULL, exchanges);
}

/* As tcp_flow, with the server's first payload given (NULL: app data). */
static void tcp_flow_reply(struct sess *s, const char *cli, uint16_t cport, const char *srv,
                           uint16_t sport, uint32_t seed, const struct build_buf *first,
                           const struct build_buf *reply, unsigned exchanges)
{
    struct build_addr c = build_addr(cli), a = build_addr(srv);
    struct build_tcp_conn t;
    struct build_buf msg;

    build_rng_seed(&s->rng, seed);
    build_tcp_conn_init(&t, &c, cport, &a, sport, build_rng_next(&s->rng),
                        build_rng_next(&s->rng));
    sess_tcp(s, &t, BUILD_C2S, BUILD_TCP_SYN, NULL);
    sess_wait(s, RTT);
    sess_tcp(s, &t, BUILD_S2C, BUILD_TCP_SYN | BUILD_TCP_ACK, NULL);
    sess_tcp(s, &t, BUILD_C2S, BUILD_TCP_ACK, NULL);
    sess_tcp(s, &t, BUILD_C2S, BUILD_TCP_PSH | BUILD_TCP_ACK, first);
    sess_wait(s, RTT);
    payload_tls_app_data(&msg, &s->rng, build_rng_range(&s->rng, 300, 900));
    sess_tcp(s, &t, BUILD_S2C, BUILD_TCP_PSH | BUILD_TCP_ACK, reply ? reply : &msg);
    for (unsigned i = 0; i < exchanges; i++) {
        sess_wait(s, build_rng_range(&s->rng, MS(200), MS(1500)));
        payload_tls_app_data(&msg, &s->rng, build_rng_range(&s->rng, 40, 400));
        sess_tcp(s, &t, BUILD_C2S, BUILD_TCP_PSH | BUILD_TCP_ACK, &msg);
        sess_wait(s, RTT);
        payload_tls_app_data(&msg, &s->rng, build_rng_range(&s->rng, 60, 1200));
        sess_tcp(s, &t, BUILD_S2C, BUILD_TCP_PSH | BUILD_TCP_ACK, &msg);
        sess_tcp(s, &t, BUILD_C2S, BUILD_TCP_ACK, NULL);
    }
    sess_wait(s, MS(100));
    sess_tcp(s, &t, BUILD_C2S, BUILD_TCP_FIN | BUILD_TCP_ACK, NULL);
    sess_wait(s, RTT);
    sess_tcp(s, &t, BUILD_S2C, BUILD_TCP_FIN | BUILD_TCP_ACK, NULL);
    sess_tcp(s, &t, BUILD_C2S, BUILD_TCP_ACK, NULL);
    sess_wait(s, GAP);
}

/* ott_ech.pcap, in order:
 *  1. A g.whatsapp.net -> 203.0.113.60 (TTL 300), then a TLS 1.3 flow to it
 *     whose ClientHello has ECH and only the outer public name
 *     public.example: labelled WhatsApp by the DNS-learned name.
 *  2. AAAA chat.signal.org -> 2600:9000:a::1 over IPv6, then a resumed-style
 *     hello with no server_name at all: Signal by DNS-learned name.
 *  3. A storage.signal.org -> 13.248.212.112 with TTL 30, and a no-SNI flow
 *     60 s later: the binding has expired, so no label.
 *  4. Client 10.0.0.11 (which never asked) to 203.0.113.60 with no SNI:
 *     bindings are per client, so no label. */
int ott_gen_ech(const char *out, uint64_t start_us, char *err, size_t errlen)
{
    struct sess s;
    struct build_buf hello;
    struct writer *w = writer_open(out, WRITER_PCAP, WRITER_LINK_EN10MB, err, errlen);

    if (w == NULL)
        return GEN_RC_IO;
    sess_init(&s, w, &link_eth, start_us);
    dns_ttl(&s, CLIENT4, RESOLVER4, 41001, 0x2b01, "g.whatsapp.net", PAYLOAD_DNS_A,
            "203.0.113.60", 300);
    build_rng_seed(&s.rng, 0x45434831u);
    hello_no_sni(&hello, &s.rng, "public.example", true);
    tcp_flow(&s, CLIENT4, 51001, "203.0.113.60", 443, 0x45434832u, &hello, 3);

    dns_ttl(&s, CLIENT6, RESOLVER6, 41002, 0x2b02, "chat.signal.org", PAYLOAD_DNS_AAAA,
            "2600:9000:a::1", 300);
    build_rng_seed(&s.rng, 0x45434833u);
    hello_no_sni(&hello, &s.rng, NULL, false);
    tcp_flow(&s, CLIENT6, 51002, "2600:9000:a::1", 443, 0x45434834u, &hello, 2);

    dns_ttl(&s, CLIENT4, RESOLVER4, 41003, 0x2b03, "storage.signal.org", PAYLOAD_DNS_A,
            "13.248.212.112", 30);
    sess_wait(&s, MS(60000));
    build_rng_seed(&s.rng, 0x45434835u);
    hello_no_sni(&hello, &s.rng, NULL, true);
    tcp_flow(&s, CLIENT4, 51003, "13.248.212.112", 443, 0x45434836u, &hello, 1);

    build_rng_seed(&s.rng, 0x45434837u);
    hello_no_sni(&hello, &s.rng, NULL, true);
    tcp_flow(&s, CLIENT4B, 51004, "203.0.113.60", 443, 0x45434838u, &hello, 1);
    return sess_finish(&s, out, err, errlen);
}

/* decoys.pcap: flows that look like a messaging service to a careless rule
 * and must not be labelled ott-messaging:
 *  1. TCP 5223 (the APNs port) to 203.0.113.5, binary non-TLS frames.
 *  2. TLS with SNI notwhatsapp.example (the word inside another name).
 *  3. TLS with SNI whatsapp.com.evil.example (a suffix in the wrong place).
 *  4. Plain HTTP to 17.253.144.10:80 (Apple's /8, wrong port), Host www.apple.com.
 *  5. TLS to 17.57.144.20:443 (an APNs range and port) with SNI www.icloud.com.
 *  6. TCP 5222 (WhatsApp/XMPP port) to 192.0.2.50 with a text greeting.
 *  7. UDP 443 to 198.51.100.9 whose payload starts 57 41 (the WhatsApp
 *     Noise header, but on UDP). */
int ott_gen_decoys(const char *out, uint64_t start_us, char *err, size_t errlen)
{
    static const uint8_t frame[] = { 0x25, 0x00, 0x10, 0x14, 0x04, 0x11, 0x8a, 0xb5,
                                     0x81, 0x6e, 0x16, 0x5f, 0x0a, 0x59, 0x14, 0x6a };
    static const char http_get[] = "GET /ac/global/ HTTP/1.1\r\nHost: www.apple.com\r\n"
                                   "User-Agent: trapline-pcapgen\r\nAccept: */*\r\n\r\n";
    struct sess s;
    struct build_buf msg;
    uint8_t sid[PAYLOAD_TLS_SID_LEN];
    struct writer *w = writer_open(out, WRITER_PCAP, WRITER_LINK_EN10MB, err, errlen);

    if (w == NULL)
        return GEN_RC_IO;
    sess_init(&s, w, &link_eth, start_us);
    build_reset(&msg);
    build_bytes(&msg, frame, sizeof frame);
    tcp_flow(&s, CLIENT4, 52001, "203.0.113.5", 5223, 0x44430001u, &msg, 2);

    build_rng_seed(&s.rng, 0x44430002u);
    payload_tls_client_hello(&msg, &s.rng, "notwhatsapp.example", "h2", sid);
    tcp_flow(&s, CLIENT4, 52002, "198.51.100.7", 443, 0x44430003u, &msg, 1);

    build_rng_seed(&s.rng, 0x44430004u);
    payload_tls_client_hello(&msg, &s.rng, "whatsapp.com.evil.example", "h2", sid);
    tcp_flow(&s, CLIENT4, 52003, "198.51.100.8", 443, 0x44430005u, &msg, 1);

    build_reset(&msg);
    build_str(&msg, http_get);
    tcp_flow(&s, CLIENT4, 52004, "17.253.144.10", 80, 0x44430006u, &msg, 0);

    build_rng_seed(&s.rng, 0x44430007u);
    payload_tls_client_hello(&msg, &s.rng, "www.icloud.com", "h2", sid);
    tcp_flow(&s, CLIENT4, 52005, "17.57.144.20", 443, 0x44430008u, &msg, 1);

    build_reset(&msg);
    build_str(&msg, "HELLO server v1\r\n");
    tcp_flow(&s, CLIENT4, 52006, "192.0.2.50", 5222, 0x44430009u, &msg, 1);

    {
        struct build_addr c = build_addr(CLIENT4), a = build_addr("198.51.100.9");
        build_reset(&msg);
        build_u8(&msg, 0x57);
        build_u8(&msg, 0x41);
        build_u8(&msg, 0x06);
        build_u8(&msg, 0x03);
        build_rng_bytes(&msg, &s.rng, 60);
        sess_udp(&s, true, &c, &a, 52007, 443, &msg);
        sess_wait(&s, RTT);
        sess_udp(&s, false, &a, &c, 443, 52007, &msg);
    }
    return sess_finish(&s, out, err, errlen);
}

/* A connection whose handshake is before the capture: application data both
 * ways, no SYN, no ClientHello (a long-lived chat socket). */
static void tcp_midflow(struct sess *s, const char *cli, uint16_t cport, const char *srv,
                        uint16_t sport, uint32_t seed, unsigned exchanges)
{
    struct build_addr c = build_addr(cli), a = build_addr(srv);
    struct build_tcp_conn t;
    struct build_buf msg;

    build_rng_seed(&s->rng, seed);
    build_tcp_conn_init(&t, &c, cport, &a, sport, build_rng_next(&s->rng),
                        build_rng_next(&s->rng));
    for (unsigned i = 0; i < exchanges; i++) {
        payload_tls_app_data(&msg, &s->rng, build_rng_range(&s->rng, 40, 400));
        sess_tcp(s, &t, BUILD_C2S, BUILD_TCP_PSH | BUILD_TCP_ACK, &msg);
        sess_wait(s, RTT);
        payload_tls_app_data(&msg, &s->rng, build_rng_range(&s->rng, 60, 600));
        sess_tcp(s, &t, BUILD_S2C, BUILD_TCP_PSH | BUILD_TCP_ACK, &msg);
        sess_tcp(s, &t, BUILD_C2S, BUILD_TCP_ACK, NULL);
        sess_wait(s, build_rng_range(&s->rng, MS(200), MS(1500)));
    }
    sess_wait(s, GAP);
}

/* Writes a DNS name as labels (RFC 1035 section 3.1). */
static void dns_labels(struct build_buf *b, const char *name)
{
    while (*name) {
        const char *dot = strchr(name, '.');
        size_t n = dot ? (size_t)(dot - name) : strlen(name);
        build_u8(b, (uint8_t)n);
        build_bytes(b, name, n);
        name += n + (dot ? 1 : 0);
    }
    build_u8(b, 0);
}

/* A query for qname and its response: qname CNAME target, target A addr
 * (RFC 1035 section 4.1; the A record's owner is a pointer to the target). */
static void dns_cname(struct sess *s, const char *cli, const char *resolver, uint16_t sport,
                      uint16_t id, const char *qname, const char *target, const char *addr)
{
    struct build_addr c = build_addr(cli), r = build_addr(resolver), a = build_addr(addr);
    struct build_buf msg;

    payload_dns_query(&msg, id, qname, PAYLOAD_DNS_A);
    sess_udp(s, true, &c, &r, sport, DNS_PORT, &msg);
    sess_wait(s, MS(8));
    build_reset(&msg);
    build_be16(&msg, id);
    build_be16(&msg, 0x8180); /* QR RD RA, NOERROR */
    build_be16(&msg, 1);
    build_be16(&msg, 2);
    build_be16(&msg, 0);
    build_be16(&msg, 0);
    dns_labels(&msg, qname);
    build_be16(&msg, PAYLOAD_DNS_A);
    build_be16(&msg, 1);
    build_be16(&msg, 0xc00c); /* answer 1: qname CNAME target */
    build_be16(&msg, 5);
    build_be16(&msg, 1);
    build_be32(&msg, 300);
    size_t rdlen_at = msg.len;
    build_be16(&msg, 0);
    size_t target_at = msg.len;
    dns_labels(&msg, target);
    build_patch_be16(&msg, rdlen_at, (uint16_t)(msg.len - target_at));
    build_be16(&msg, (uint16_t)(0xc000 | target_at)); /* answer 2: target A addr */
    build_be16(&msg, PAYLOAD_DNS_A);
    build_be16(&msg, 1);
    build_be32(&msg, 300);
    build_be16(&msg, 4);
    build_bytes(&msg, a.a, 4);
    sess_udp(s, false, &r, &c, DNS_PORT, sport, &msg);
    sess_wait(s, MS(3));
}

/* A TLS 1.2 server flight: ServerHello, Certificate (one self-signed
 * certificate, CN and SAN *.whatsapp.net, SAN whatsapp.net, IP 10.0.0.1,
 * made with openssl req -x509 -newkey ec -pkeyopt
 * ec_paramgen_curve:prime256v1 -subj "/O=Test/CN=*.whatsapp.net" -addext
 * "subjectAltName=DNS:*.whatsapp.net,DNS:whatsapp.net,IP:10.0.0.1"
 * -set_serial 1), ServerHelloDone.  Same bytes as tests/unit/test_tls_cert.c. */
static const uint8_t tls12_flight[] = {
    0x16, 0x03, 0x03, 0x01, 0xff, 0x02, 0x00, 0x00, 0x26, 0x03, 0x03, 0x00, 0x01, 0x02, 0x03, 0x04,
    0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14,
    0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x00, 0xc0, 0x2f, 0x00, 0x0b,
    0x00, 0x01, 0xcd, 0x00, 0x01, 0xca, 0x00, 0x01, 0xc7, 0x30, 0x82, 0x01, 0xc3, 0x30, 0x82, 0x01,
    0x69, 0xa0, 0x03, 0x02, 0x01, 0x02, 0x02, 0x01, 0x01, 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48,
    0xce, 0x3d, 0x04, 0x03, 0x02, 0x30, 0x28, 0x31, 0x0d, 0x30, 0x0b, 0x06, 0x03, 0x55, 0x04, 0x0a,
    0x0c, 0x04, 0x54, 0x65, 0x73, 0x74, 0x31, 0x17, 0x30, 0x15, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c,
    0x0e, 0x2a, 0x2e, 0x77, 0x68, 0x61, 0x74, 0x73, 0x61, 0x70, 0x70, 0x2e, 0x6e, 0x65, 0x74, 0x30,
    0x1e, 0x17, 0x0d, 0x32, 0x36, 0x31, 0x32, 0x30, 0x32, 0x31, 0x36, 0x30, 0x35, 0x35, 0x39, 0x5a,
    0x17, 0x0d, 0x33, 0x36, 0x31, 0x31, 0x32, 0x39, 0x31, 0x36, 0x30, 0x35, 0x35, 0x39, 0x5a, 0x30,
    0x28, 0x31, 0x0d, 0x30, 0x0b, 0x06, 0x03, 0x55, 0x04, 0x0a, 0x0c, 0x04, 0x54, 0x65, 0x73, 0x74,
    0x31, 0x17, 0x30, 0x15, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x0e, 0x2a, 0x2e, 0x77, 0x68, 0x61,
    0x74, 0x73, 0x61, 0x70, 0x70, 0x2e, 0x6e, 0x65, 0x74, 0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a,
    0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07,
    0x03, 0x42, 0x00, 0x04, 0xf4, 0x68, 0x6c, 0x81, 0x74, 0xd7, 0x60, 0x8b, 0xa3, 0xaf, 0x9b, 0x6c,
    0x7c, 0xe8, 0x79, 0xad, 0xcc, 0xe4, 0x4e, 0x7e, 0xfc, 0x61, 0x1c, 0xae, 0x72, 0x95, 0xa4, 0x10,
    0x13, 0x69, 0xbf, 0xa4, 0xe7, 0x2f, 0xc0, 0xc0, 0xdf, 0x8f, 0x5d, 0xdc, 0x93, 0xc0, 0xda, 0x54,
    0xfc, 0xf0, 0x4d, 0xb8, 0x8e, 0x92, 0x3b, 0x96, 0xfb, 0xd9, 0x6c, 0x91, 0xce, 0xf6, 0xa2, 0xce,
    0x06, 0xb6, 0x52, 0xe3, 0xa3, 0x81, 0x83, 0x30, 0x81, 0x80, 0x30, 0x1d, 0x06, 0x03, 0x55, 0x1d,
    0x0e, 0x04, 0x16, 0x04, 0x14, 0x99, 0xb3, 0xd6, 0x18, 0x16, 0x83, 0xa1, 0xcb, 0xd9, 0xfe, 0xcf,
    0xf6, 0xcf, 0x50, 0x81, 0x0b, 0x7b, 0x5b, 0xd9, 0x0c, 0x30, 0x1f, 0x06, 0x03, 0x55, 0x1d, 0x23,
    0x04, 0x18, 0x30, 0x16, 0x80, 0x14, 0x99, 0xb3, 0xd6, 0x18, 0x16, 0x83, 0xa1, 0xcb, 0xd9, 0xfe,
    0xcf, 0xf6, 0xcf, 0x50, 0x81, 0x0b, 0x7b, 0x5b, 0xd9, 0x0c, 0x30, 0x0f, 0x06, 0x03, 0x55, 0x1d,
    0x13, 0x01, 0x01, 0xff, 0x04, 0x05, 0x30, 0x03, 0x01, 0x01, 0xff, 0x30, 0x2d, 0x06, 0x03, 0x55,
    0x1d, 0x11, 0x04, 0x26, 0x30, 0x24, 0x82, 0x0e, 0x2a, 0x2e, 0x77, 0x68, 0x61, 0x74, 0x73, 0x61,
    0x70, 0x70, 0x2e, 0x6e, 0x65, 0x74, 0x82, 0x0c, 0x77, 0x68, 0x61, 0x74, 0x73, 0x61, 0x70, 0x70,
    0x2e, 0x6e, 0x65, 0x74, 0x87, 0x04, 0x0a, 0x00, 0x00, 0x01, 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86,
    0x48, 0xce, 0x3d, 0x04, 0x03, 0x02, 0x03, 0x48, 0x00, 0x30, 0x45, 0x02, 0x20, 0x4a, 0x2c, 0x56,
    0x23, 0xfd, 0xcf, 0xe9, 0xfc, 0x58, 0x25, 0x4e, 0x73, 0x66, 0x18, 0x25, 0x75, 0x0f, 0xff, 0x1f,
    0x10, 0xa9, 0x85, 0x86, 0x22, 0xf7, 0xc9, 0xa1, 0x48, 0x52, 0x2e, 0xc4, 0x78, 0x02, 0x21, 0x00,
    0x83, 0x80, 0xb3, 0x2c, 0x45, 0xb4, 0x6f, 0xb5, 0xf7, 0x4c, 0xf0, 0x89, 0xf8, 0xba, 0xff, 0x32,
    0x5f, 0x9c, 0xde, 0xc0, 0xdf, 0x35, 0x12, 0x20, 0x21, 0xe8, 0x00, 0x89, 0xd9, 0x4b, 0x42, 0xec,
    0x0e, 0x00, 0x00, 0x00,
};

/* A STUN message (RFC 5389 section 6): type, transaction id 01..0c, and
 * for an Allocate success response (type 0x0103) the attributes
 * XOR-RELAYED-ADDRESS relay:rport (RFC 8656 section 18.5) and REALM. */
static void stun_msg(struct build_buf *b, uint16_t type, const char *relay, uint16_t rport,
                     const char *realm)
{
    static const uint8_t cookie[4] = { 0x21, 0x12, 0xa4, 0x42 };
    build_reset(b);
    build_be16(b, type);
    build_be16(b, 0);
    build_bytes(b, cookie, 4);
    for (uint8_t i = 1; i <= 12; i++)
        build_u8(b, i);
    if (relay) {
        struct build_addr a = build_addr(relay);
        build_be16(b, 0x0016);
        build_be16(b, 8);
        build_u8(b, 0);
        build_u8(b, 1);
        build_be16(b, (uint16_t)(rport ^ 0x2112));
        for (int i = 0; i < 4; i++)
            build_u8(b, (uint8_t)(a.a[i] ^ cookie[i]));
    }
    if (realm) {
        size_t n = strlen(realm);
        build_be16(b, 0x0014);
        build_be16(b, (uint16_t)n);
        build_bytes(b, realm, n);
        build_zero(b, (4 - n % 4) % 4);
    }
    build_patch_be16(b, 2, (uint16_t)(b->len - 20));
}

/* vendors.pcap (issue 18): vendor-generic ranges never name a messaging
 * service; DNS look-ups are DNS; a mid-flow connection takes the service its
 * server served to a decided flow.  In order:
 *  1-5. TLS without a server name to a generic range of Meta (157.240.1.35),
 *       Google (142.250.1.10), Microsoft 365 (52.96.1.10), Apple outside the
 *       APNs ports (17.253.1.10) and Tencent (203.205.200.10): the vendor's
 *       label, class other.
 *  6. UDP 3478 to Meta (157.240.1.48) with non-STUN bytes: Meta, other.
 *  7. A DNS look-up of api.skype.com (answer 52.113.1.1): service DNS.
 *  8. TLS with SNI g.whatsapp.net to 157.240.9.53, then from another client
 *     port a connection already running (no handshake) to the same server:
 *     WhatsApp by learnt server.
 *  9. TLS with SNI g.whatsapp.net and, from another client, SNI
 *     www.facebook.com to 157.240.9.60 (a shared front end), then a running
 *     connection to it: the server is shared, so Meta by range only.
 * 10. chat.example.net CNAME e1.whatsapp.net A 203.0.113.77, then TLS
 *     without SNI to 203.0.113.77: WhatsApp by the DNS-learned name the
 *     CNAME chain reached.
 * 11. A hello without SNI to 203.0.113.88 answered by a TLS 1.2 flight whose
 *     certificate names *.whatsapp.net: WhatsApp by the certificate.
 * 12. A TURN Allocate to 198.51.100.100:3478 answered with REALM signal.org
 *     and XOR-RELAYED-ADDRESS 198.51.100.200:50000, then a peer
 *     (10.0.0.20) sending media to that relay: Signal, by the relay the
 *     call's allocation handed out. */
int ott_gen_vendors(const char *out, uint64_t start_us, char *err, size_t errlen)
{
    static const char *const generic[] = {"157.240.1.35", "142.250.1.10", "52.96.1.10",
                                          "17.253.1.10", "203.205.200.10"};
    struct sess s;
    struct build_buf hello, msg;
    uint8_t sid[PAYLOAD_TLS_SID_LEN];
    struct writer *w = writer_open(out, WRITER_PCAP, WRITER_LINK_EN10MB, err, errlen);

    if (w == NULL)
        return GEN_RC_IO;
    sess_init(&s, w, &link_eth, start_us);
    for (unsigned i = 0; i < sizeof generic / sizeof generic[0]; i++) {
        build_rng_seed(&s.rng, 0x56454e00u + i);
        hello_no_sni(&hello, &s.rng, NULL, false);
        tcp_flow(&s, CLIENT4, (uint16_t)(53001 + i), generic[i], 443, 0x56454e10u + i, &hello,
                 1);
    }
    {
        struct build_addr c = build_addr(CLIENT4), a = build_addr("157.240.1.48");
        build_rng_seed(&s.rng, 0x56454e20u);
        build_reset(&msg);
        build_u8(&msg, 0x90);
        build_rng_bytes(&msg, &s.rng, 99);
        sess_udp(&s, true, &c, &a, 53010, 3478, &msg);
        sess_wait(&s, RTT);
        sess_udp(&s, false, &a, &c, 3478, 53010, &msg);
        sess_wait(&s, GAP);
    }
    dns_ttl(&s, CLIENT4, RESOLVER4, 53011, 0x2c01, "api.skype.com", PAYLOAD_DNS_A, "52.113.1.1",
            300);

    build_rng_seed(&s.rng, 0x56454e30u);
    payload_tls_client_hello(&msg, &s.rng, "g.whatsapp.net", NULL, sid);
    tcp_flow(&s, CLIENT4, 53020, "157.240.9.53", 443, 0x56454e31u, &msg, 1);
    tcp_midflow(&s, CLIENT4, 53021, "157.240.9.53", 443, 0x56454e32u, 3);

    build_rng_seed(&s.rng, 0x56454e40u);
    payload_tls_client_hello(&msg, &s.rng, "g.whatsapp.net", NULL, sid);
    tcp_flow(&s, CLIENT4, 53030, "157.240.9.60", 443, 0x56454e41u, &msg, 1);
    build_rng_seed(&s.rng, 0x56454e42u);
    payload_tls_client_hello(&msg, &s.rng, "www.facebook.com", "h2", sid);
    tcp_flow(&s, CLIENT4B, 53031, "157.240.9.60", 443, 0x56454e43u, &msg, 1);
    tcp_midflow(&s, CLIENT4, 53032, "157.240.9.60", 443, 0x56454e44u, 3);

    dns_cname(&s, CLIENT4, RESOLVER4, 53040, 0x2c02, "chat.example.net", "e1.whatsapp.net",
              "203.0.113.77");
    build_rng_seed(&s.rng, 0x56454e50u);
    hello_no_sni(&hello, &s.rng, NULL, false);
    tcp_flow(&s, CLIENT4, 53041, "203.0.113.77", 443, 0x56454e51u, &hello, 1);

    build_rng_seed(&s.rng, 0x56454e60u);
    hello_no_sni(&hello, &s.rng, NULL, false);
    build_reset(&msg);
    build_bytes(&msg, tls12_flight, sizeof tls12_flight);
    tcp_flow_reply(&s, CLIENT4, 53050, "203.0.113.88", 443, 0x56454e61u, &hello, &msg, 1);

    {
        struct build_addr c = build_addr(CLIENT4), turn = build_addr("198.51.100.100");
        struct build_addr peer = build_addr("10.0.0.20"), relay = build_addr("198.51.100.200");
        stun_msg(&msg, 0x0003, NULL, 0, NULL); /* Allocate request */
        sess_udp(&s, true, &c, &turn, 53060, 3478, &msg);
        sess_wait(&s, RTT);
        stun_msg(&msg, 0x0103, "198.51.100.200", 50000, "signal.org");
        sess_udp(&s, false, &turn, &c, 3478, 53060, &msg);
        sess_wait(&s, MS(50));
        build_rng_seed(&s.rng, 0x56454e70u);
        for (int i = 0; i < 3; i++) {
            build_reset(&msg);
            build_u8(&msg, 0x80); /* RTP version 2 */
            build_rng_bytes(&msg, &s.rng, 159);
            sess_udp(&s, true, &peer, &relay, 41000, 50000, &msg);
            sess_wait(&s, MS(20));
        }
        sess_wait(&s, GAP);
    }
    return sess_finish(&s, out, err, errlen);
}
