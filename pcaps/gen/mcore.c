/* mcore.c - mobile_core.pcap (see mcore.h and pcaps/README.md).
 *
 * The numbers are those of the SMS fixtures (pcaps/gen/sms.h): subscriber A
 * is IMSI 001010000000001 / MSISDN 15551230001, B is IMSI 001010000000002 /
 * MSISDN 15551230002, so their carrier SMS and their data sessions make one
 * subject each.  In order:
 *  1. GTPv2-C (TS 29.274) Create Session Request MME 192.0.2.10 -> SGW
 *     192.0.2.2 for A (IMSI, MSISDN, MEI, APN internet, RAT EUTRAN, S11 and
 *     S1-U eNodeB F-TEIDs), and its Response (cause 16, PAA 10.46.0.5, S1-U
 *     SGW F-TEID 0x1234abce).
 *  2. RADIUS (RFC 2866, TS 29.061 VSAs) Accounting-Request Start for B on a
 *     second access network: Framed-IP 100.64.7.20, Calling-Station-Id and
 *     User-Name 15551230002, 3GPP-IMSI; and its Accounting-Response.
 *  3. In GTP-U (uplink TEID 0x1234abce): A looks up and talks to Signal
 *     (chat.signal.org) and WhatsApp (g.whatsapp.net) over TLS.
 *  4. A's call to B: a TURN Allocate to a Signal TURN server answered with
 *     REALM signal.org, then direct media on the same socket between A
 *     (10.46.0.5) and B (100.64.7.20) for 2 s: a call and a direct OTT
 *     contact between two subscribers.
 */
#include "mcore.h"

#include "build.h"
#include "payload.h"
#include "sess.h"
#include "writer.h"

#include <stdio.h>
#include <string.h>

#define MS(x) ((uint32_t)(x) * 1000u)
#define RTT MS(20)
#define GAP MS(500)
#define UE_A "10.46.0.5"
#define UE_B "100.64.7.20" /* CGNAT space (RFC 6598) */
#define MME "192.0.2.10"
#define SGW "192.0.2.2"
#define ENB "192.0.2.1"
#define NAS "192.0.2.30"
#define AAA "192.0.2.31"
#define RESOLVER "10.46.0.1"
#define TURN "198.51.100.110"
#define GTPC_PORT 2123 /* TS 29.274 section 4.2 */
#define RADIUS_ACCT_PORT 1813
#define TEID_UL 0x1234abceu
#define TEID_DL 0x5678ef02u
#define MEDIA_PACKETS 100 /* each way, one per 20 ms: 2 s of call */

static const struct build_link link_eth = {
    .kind = BUILD_LINK_ETH,
    .cli_mac = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x1a },
    .gw_mac = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 },
    .ifindex = 2,
};

/* TBCD digits (TS 29.274 section 8.3): low nibble first, 0xF pad. */
static void tbcd(struct build_buf *b, const char *digits)
{
    size_t n = strlen(digits);
    for (size_t i = 0; i < n; i += 2) {
        uint8_t lo = (uint8_t)(digits[i] - '0');
        uint8_t hi = i + 1 < n ? (uint8_t)(digits[i + 1] - '0') : 0x0f;
        build_u8(b, (uint8_t)(hi << 4 | lo));
    }
}

/* Starts an IE (type, length patched by ie_end, instance 0). */
static size_t ie_begin(struct build_buf *b, uint8_t type)
{
    build_u8(b, type);
    size_t at = b->len;
    build_be16(b, 0);
    build_u8(b, 0);
    return at;
}

static void ie_end(struct build_buf *b, size_t at)
{
    build_patch_be16(b, at, (uint16_t)(b->len - at - 3));
}

static void ie_tbcd(struct build_buf *b, uint8_t type, const char *digits)
{
    size_t at = ie_begin(b, type);
    tbcd(b, digits);
    ie_end(b, at);
}

/* F-TEID (type 87): V4 flag and interface type, TEID, IPv4. */
static void ie_fteid(struct build_buf *b, uint8_t iface, uint32_t teid, const char *addr)
{
    struct build_addr a = build_addr(addr);
    size_t at = ie_begin(b, 87);
    build_u8(b, (uint8_t)(0x80 | iface));
    build_be32(b, teid);
    build_bytes(b, a.a, 4);
    ie_end(b, at);
}

static void ie_u8(struct build_buf *b, uint8_t type, uint8_t v)
{
    size_t at = ie_begin(b, type);
    build_u8(b, v);
    ie_end(b, at);
}

static void ie_cause(struct build_buf *b, uint8_t cause)
{
    size_t at = ie_begin(b, 2);
    build_u8(b, cause);
    build_u8(b, 0);
    ie_end(b, at);
}

/* GTPv2-C header with TEID (T = 1); length patched by gtpc_end. */
static void gtpc_begin(struct build_buf *b, uint8_t type, uint32_t teid, uint32_t seq)
{
    build_reset(b);
    build_u8(b, 0x48);
    build_u8(b, type);
    build_be16(b, 0);
    build_be32(b, teid);
    build_be24(b, seq);
    build_u8(b, 0);
}

static void gtpc_end(struct build_buf *b)
{
    build_patch_be16(b, 2, (uint16_t)(b->len - 4));
}

static void attach(struct sess *s)
{
    struct build_addr mme = build_addr(MME), sgw = build_addr(SGW);
    struct build_buf m;
    gtpc_begin(&m, 32, 0, 1); /* Create Session Request */
    ie_tbcd(&m, 1, "001010000000001");   /* IMSI */
    ie_tbcd(&m, 76, "15551230001");      /* MSISDN */
    ie_tbcd(&m, 75, "3520990017614823"); /* MEI (IMEISV) */
    ie_u8(&m, 82, 6);                    /* RAT type EUTRAN */
    ie_fteid(&m, 10, 0x00000100u, MME);  /* S11 MME GTP-C */
    {
        size_t at = ie_begin(&m, 71); /* APN "internet" */
        build_u8(&m, 8);
        build_str(&m, "internet");
        ie_end(&m, at);
    }
    {
        size_t at = ie_begin(&m, 93); /* Bearer Context to be created */
        ie_u8(&m, 73, 5);             /* EBI */
        ie_fteid(&m, 0, TEID_DL, ENB); /* S1-U eNodeB */
        ie_end(&m, at);
    }
    gtpc_end(&m);
    sess_udp(s, true, &mme, &sgw, GTPC_PORT, GTPC_PORT, &m);
    sess_wait(s, RTT);
    gtpc_begin(&m, 33, 0x00000100u, 1); /* Create Session Response */
    ie_cause(&m, 16);
    ie_fteid(&m, 11, 0x00000200u, SGW); /* S11 SGW GTP-C */
    {
        struct build_addr ue = build_addr(UE_A);
        size_t at = ie_begin(&m, 79); /* PAA: IPv4 */
        build_u8(&m, 1);
        build_bytes(&m, ue.a, 4);
        ie_end(&m, at);
    }
    {
        size_t at = ie_begin(&m, 93); /* Bearer Context created */
        ie_u8(&m, 73, 5);
        ie_cause(&m, 16);
        ie_fteid(&m, 1, TEID_UL, SGW); /* S1-U SGW */
        ie_end(&m, at);
    }
    gtpc_end(&m);
    sess_udp(s, false, &sgw, &mme, GTPC_PORT, GTPC_PORT, &m);
    sess_wait(s, GAP);
}

static void radius_attr(struct build_buf *b, uint8_t type, const void *v, size_t n)
{
    build_u8(b, type);
    build_u8(b, (uint8_t)(n + 2));
    build_bytes(b, v, n);
}

/* Accounting-Request Start for B, and its response. */
static void radius_start(struct sess *s)
{
    struct build_addr nas = build_addr(NAS), aaa = build_addr(AAA), ue = build_addr(UE_B);
    struct build_buf m;
    static const uint8_t start[4] = { 0, 0, 0, 1 };
    build_reset(&m);
    build_u8(&m, 4); /* Accounting-Request */
    build_u8(&m, 7);
    build_be16(&m, 0);
    build_zero(&m, 16); /* authenticator (not checked by a tap) */
    radius_attr(&m, 40, start, 4);
    radius_attr(&m, 1, "15551230002", 11);
    radius_attr(&m, 8, ue.a, 4);
    radius_attr(&m, 31, "15551230002", 11);
    radius_attr(&m, 44, "mcore-b-0001", 12);
    {
        /* Vendor-Specific, 3GPP (10415), 3GPP-IMSI (1) */
        build_u8(&m, 26);
        build_u8(&m, (uint8_t)(2 + 4 + 2 + 15));
        build_be32(&m, 10415);
        build_u8(&m, 1);
        build_u8(&m, 2 + 15);
        build_str(&m, "001010000000002");
    }
    build_patch_be16(&m, 2, (uint16_t)m.len);
    sess_udp(s, true, &nas, &aaa, 40813, RADIUS_ACCT_PORT, &m);
    sess_wait(s, RTT);
    build_reset(&m);
    build_u8(&m, 5); /* Accounting-Response */
    build_u8(&m, 7);
    build_be16(&m, 20);
    build_zero(&m, 16);
    sess_udp(s, false, &aaa, &nas, RADIUS_ACCT_PORT, 40813, &m);
    sess_wait(s, GAP);
}

/* A STUN message (RFC 5389): type, transaction id 21..2c; an Allocate
 * success (0x0103) carries XOR-RELAYED-ADDRESS and REALM. */
static void stun_msg(struct build_buf *b, uint16_t type, const char *relay, uint16_t rport,
                     const char *realm)
{
    static const uint8_t cookie[4] = { 0x21, 0x12, 0xa4, 0x42 };
    build_reset(b);
    build_be16(b, type);
    build_be16(b, 0);
    build_bytes(b, cookie, 4);
    for (uint8_t i = 0x21; i <= 0x2c; i++)
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

static void call(struct sess *s)
{
    struct build_addr a = build_addr(UE_A), b = build_addr(UE_B), turn = build_addr(TURN);
    struct build_buf m;
    stun_msg(&m, 0x0003, NULL, 0, NULL); /* Allocate request */
    sess_udp(s, true, &a, &turn, 53100, 3478, &m);
    sess_wait(s, RTT);
    stun_msg(&m, 0x0103, "198.51.100.111", 50010, "signal.org");
    sess_udp(s, false, &turn, &a, 3478, 53100, &m);
    sess_wait(s, MS(40));
    build_rng_seed(&s->rng, 0x4d434f52u);
    for (int i = 0; i < MEDIA_PACKETS; i++) {
        build_reset(&m);
        build_u8(&m, 0x80); /* RTP version 2 */
        build_rng_bytes(&m, &s->rng, 119);
        sess_udp(s, true, &a, &b, 53100, 41000, &m);
        sess_wait(s, MS(10));
        build_reset(&m);
        build_u8(&m, 0x80);
        build_rng_bytes(&m, &s->rng, 99);
        sess_udp(s, false, &b, &a, 41000, 53100, &m);
        sess_wait(s, MS(10));
    }
    sess_wait(s, GAP);
}

int mcore_gen(const char *out, uint64_t start_us, char *err, size_t errlen)
{
    static const struct build_gtp gtp_cfg = { { 4, { 192, 0, 2, 1 } }, { 4, { 192, 0, 2, 2 } },
                                              TEID_UL, TEID_DL };
    static const struct sess_tls signal = { "chat.signal.org", "http/1.1", UE_A,
                                            "13.248.212.111", 50202, 443, MS(30), 0x4d435331u,
                                            3, { MS(400), MS(2500), MS(900) } };
    static const struct sess_tls whatsapp = { "g.whatsapp.net", NULL, UE_A, "157.240.0.53",
                                              50203, 443, MS(35), 0x4d435732u, 3,
                                              { MS(300), MS(1700), MS(2200) } };
    struct sess s;
    struct writer *w = writer_open(out, WRITER_PCAP, WRITER_LINK_EN10MB, err, errlen);

    if (w == NULL)
        return GEN_RC_IO;
    sess_init(&s, w, &link_eth, start_us);
    attach(&s);
    radius_start(&s);
    s.gtp = &gtp_cfg;
    sess_dns(&s, UE_A, RESOLVER, 40401, 0x4d01, "chat.signal.org", PAYLOAD_DNS_A,
             "13.248.212.111", RTT);
    sess_tls_flow(&s, &signal);
    sess_wait(&s, GAP);
    sess_dns(&s, UE_A, RESOLVER, 40402, 0x4d02, "g.whatsapp.net", PAYLOAD_DNS_A, "157.240.0.53",
             RTT);
    sess_tls_flow(&s, &whatsapp);
    sess_wait(&s, GAP);
    call(&s);
    return sess_finish(&s, out, err, errlen);
}

/* ---- mobile_v6.pcap: TEIDs by owning node and IPv6 /64 attribution ----
 *
 * Subscriber C (IMSI 001010000000003, MSISDN 15551230003) attaches through
 * SGW 192.0.2.2 and gets PAA IPv4v6 (TS 29.274 8.14, PDN type 3: prefix
 * length 64, 2001:db8:46:9::1, 10.46.0.9); subscriber D (IMSI
 * 001010000000004, MSISDN 15551230004) attaches through a second SGW
 * 192.0.2.3 and gets 10.46.0.10.  Both SGWs allocate the same S1-U TEID
 * 0x00000042 (a TEID is unique per node only, TS 29.281 5.1).  Then C talks
 * to Signal and D to WhatsApp in GTP-U (uplink TEID 0x42 to each SGW), and
 * C, seen again on SGi (no tunnel), talks to Signal from a SLAAC address
 * 2001:db8:46:9:8d2e:1f3a:c4b7:55e1 of its /64 (RFC 4862; any interface
 * id).  Expected: each tunnelled flow belongs to its own subscriber only,
 * and the SGi flow to C by its /64. */
#define V6_SGW1 "192.0.2.2"
#define V6_SGW2 "192.0.2.3"
#define V6_TEID_SHARED 0x00000042u

struct ue_attach {
    const char *imsi, *msisdn, *mei, *sgw;
    const char *v4, *v6; /* PAA; v6 NULL: IPv4 only */
    uint32_t mme_teid, sgw_c_teid, teid_ul, teid_dl;
    uint32_t seq;
};

static void attach_ue(struct sess *s, const struct ue_attach *u)
{
    struct build_addr mme = build_addr(MME), sgw = build_addr(u->sgw);
    struct build_buf m;
    gtpc_begin(&m, 32, 0, u->seq); /* Create Session Request */
    ie_tbcd(&m, 1, u->imsi);
    ie_tbcd(&m, 76, u->msisdn);
    ie_tbcd(&m, 75, u->mei);
    ie_u8(&m, 82, 6);
    ie_fteid(&m, 10, u->mme_teid, MME);
    {
        size_t at = ie_begin(&m, 71);
        build_u8(&m, 8);
        build_str(&m, "internet");
        ie_end(&m, at);
    }
    {
        size_t at = ie_begin(&m, 93);
        ie_u8(&m, 73, 5);
        ie_fteid(&m, 0, u->teid_dl, ENB);
        ie_end(&m, at);
    }
    gtpc_end(&m);
    sess_udp(s, true, &mme, &sgw, GTPC_PORT, GTPC_PORT, &m);
    sess_wait(s, RTT);
    gtpc_begin(&m, 33, u->mme_teid, u->seq); /* Create Session Response */
    ie_cause(&m, 16);
    ie_fteid(&m, 11, u->sgw_c_teid, u->sgw);
    {
        struct build_addr v4 = build_addr(u->v4);
        size_t at = ie_begin(&m, 79); /* PAA */
        if (u->v6) {
            struct build_addr v6 = build_addr(u->v6);
            build_u8(&m, 3);  /* PDN type IPv4v6 */
            build_u8(&m, 64); /* IPv6 prefix length */
            build_bytes(&m, v6.a, 16);
        } else {
            build_u8(&m, 1);
        }
        build_bytes(&m, v4.a, 4);
        ie_end(&m, at);
    }
    {
        size_t at = ie_begin(&m, 93);
        ie_u8(&m, 73, 5);
        ie_cause(&m, 16);
        ie_fteid(&m, 1, u->teid_ul, u->sgw); /* S1-U SGW */
        ie_end(&m, at);
    }
    gtpc_end(&m);
    sess_udp(s, false, &sgw, &mme, GTPC_PORT, GTPC_PORT, &m);
    sess_wait(s, GAP);
}

int mcore_v6_gen(const char *out, uint64_t start_us, char *err, size_t errlen)
{
    static const struct ue_attach c = { "001010000000003", "15551230003", "3520990017614831",
                                        V6_SGW1, "10.46.0.9", "2001:db8:46:9::1",
                                        0x301u, 0x401u, V6_TEID_SHARED, 0x00000077u, 7 };
    static const struct ue_attach d = { "001010000000004", "15551230004", "3520990017614849",
                                        V6_SGW2, "10.46.0.10", NULL,
                                        0x302u, 0x402u, V6_TEID_SHARED, 0x00000078u, 8 };
    static const struct build_gtp gtp_c = { { 4, { 192, 0, 2, 1 } }, { 4, { 192, 0, 2, 2 } },
                                            V6_TEID_SHARED, 0x00000077u };
    static const struct build_gtp gtp_d = { { 4, { 192, 0, 2, 1 } }, { 4, { 192, 0, 2, 3 } },
                                            V6_TEID_SHARED, 0x00000078u };
    static const struct sess_tls signal_c = { "chat.signal.org", "http/1.1", "10.46.0.9",
                                              "13.248.212.111", 50301, 443, MS(30), 0x36435331u,
                                              2, { MS(300), MS(1200) } };
    static const struct sess_tls whatsapp_d = { "g.whatsapp.net", NULL, "10.46.0.10",
                                                "157.240.0.53", 50302, 443, MS(35), 0x36445732u,
                                                2, { MS(400), MS(900) } };
    static const struct sess_tls signal_v6 = { "chat.signal.org", "http/1.1",
                                               "2001:db8:46:9:8d2e:1f3a:c4b7:55e1",
                                               "2001:db8:ffff::5", 50303, 443, MS(30),
                                               0x36435336u, 2, { MS(500), MS(700) } };
    struct sess s;
    struct writer *w = writer_open(out, WRITER_PCAP, WRITER_LINK_EN10MB, err, errlen);

    if (w == NULL)
        return GEN_RC_IO;
    sess_init(&s, w, &link_eth, start_us);
    attach_ue(&s, &c);
    attach_ue(&s, &d);
    s.gtp = &gtp_c;
    sess_tls_flow(&s, &signal_c);
    sess_wait(&s, GAP);
    s.gtp = &gtp_d;
    sess_tls_flow(&s, &whatsapp_d);
    sess_wait(&s, GAP);
    s.gtp = NULL;
    sess_tls_flow(&s, &signal_v6);
    return sess_finish(&s, out, err, errlen);
}
