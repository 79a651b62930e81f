/* sess.c - timed emission of framed packets and DNS/TLS conversations.
 *
 * TLS 1.3 conversation shape (RFC 8446 §2, middlebox-compatibility mode of
 * Appendix D.4), one line per TCP segment (RFC 9293 §3.5 handshake):
 *
 *   client                                  server
 *   SYN                  ------------------>
 *                        <------------------ SYN/ACK          (1 rtt)
 *   ACK, ClientHello     ------------------>
 *                        <------------------ ServerHello, CCS, {EE..Fin}
 *   CCS, {Finished}      ------------------>
 *   ... exchanges: {data} -> ; <- {data} ; ACK -> ...
 *   FIN/ACK              ------------------>
 *                        <------------------ FIN/ACK
 *   ACK                  ------------------>
 */
#include "sess.h"

#include "payload.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#define DNS_PORT 53
#define SERVER_THINK_US 400u  /* server processing time before a reply */
#define CLIENT_THINK_US 1800u /* client crypto time before its Finished */
#define TLS_ENC_HS_MIN 700u   /* encrypted EE + Certificate + CV + Finished */
#define TLS_ENC_HS_MAX 1100u  /* keeps the segment below a 1,460-byte MSS */
#define TLS_CLIENT_REC_MIN 40u
#define TLS_CLIENT_REC_MAX 400u
#define TLS_SERVER_REC_MIN 60u
#define TLS_SERVER_REC_MAX 1200u

void sess_init(struct sess *s, struct writer *w, const struct build_link *link, uint64_t start_us)
{
    memset(s, 0, sizeof(*s));
    s->w = w;
    s->link = *link;
    s->ts_us = start_us;
    s->ip_id = 0x1c46; /* arbitrary fixed start */
    build_rng_seed(&s->rng, 1);
}

void sess_wait(struct sess *s, uint64_t us)
{
    s->ts_us += us;
}

static void emit_frame(struct sess *s, bool from_client, const uint8_t *l3, size_t len)
{
    struct build_buf frame;

    s->link.ts_us = s->ts_us;
    build_link_frame(&frame, &s->link, from_client, l3, len);
    if (frame.overflow) {
        s->rc = GEN_RC_LIMIT;
        return;
    }
    s->rc = writer_packet(s->w, s->ts_us, frame.b, frame.len, frame.len);
    s->ts_us += SESS_STEP_US;
}

/* Cuts the IPv4 packet l3 into fragments of at most s->outer_mtu octets,
 * each carrying a copy of the header (options included: the generator's
 * outer headers have none that must not be copied), data in multiples of 8
 * octets but the last (RFC 791 section 3.2). */
static void emit_fragments(struct sess *s, bool from_client, const struct build_buf *l3)
{
    size_t hl = (size_t)(l3->b[0] & 0x0f) * 4u;
    size_t data = l3->len - hl;
    size_t step = ((size_t)s->outer_mtu - hl) & ~(size_t)7u;
    uint8_t f[BUILD_PKT_MAX];

    for (size_t off = 0; off < data && s->rc == GEN_OK; off += step) {
        size_t n = data - off < step ? data - off : step;
        bool more = off + n < data;
        uint16_t word = (uint16_t)((more ? 0x2000u : 0u) | off / 8u);

        memcpy(f, l3->b, hl);
        memcpy(f + hl, l3->b + hl + off, n);
        f[2] = (uint8_t)((hl + n) >> 8);
        f[3] = (uint8_t)(hl + n);
        f[6] = (uint8_t)(word >> 8);
        f[7] = (uint8_t)word;
        f[10] = f[11] = 0;
        uint16_t cs = build_csum(f, hl, 0);
        f[10] = (uint8_t)(cs >> 8);
        f[11] = (uint8_t)cs;
        emit_frame(s, from_client, f, hl + n);
    }
}

void sess_emit_ip(struct sess *s, bool from_client, const struct build_buf *ip)
{
    struct build_buf tun, ovl;
    const struct build_buf *l3 = ip;

    if (s->rc != GEN_OK)
        return;
    if (ip->overflow) {
        s->rc = GEN_RC_LIMIT;
        return;
    }
    if (s->gtp != NULL) {
        bool ext = s->gtp_ext_left > 0;

        if (ext)
            s->gtp_ext_left--;
        build_gtpu(&tun, s->gtp, from_client, ext, SESS_GTP_QFI, s->ip_id++, ip->b, ip->len);
        l3 = &tun;
    }
    if (s->ovl != NULL) {
        build_overlay(&ovl, s->ovl, &s->link, from_client, s->ip_id++, s->ovl_seq++, l3->b,
                      l3->len);
        l3 = &ovl;
    }
    if (l3->overflow) {
        s->rc = GEN_RC_LIMIT;
        return;
    }
    if (s->outer_mtu && l3->len > s->outer_mtu && (l3->b[0] >> 4) == 4 &&
        !(l3->b[6] & 0x40)) /* DF clear */
        emit_fragments(s, from_client, l3);
    else
        emit_frame(s, from_client, l3->b, l3->len);
}

void sess_udp(struct sess *s, bool from_client, const struct build_addr *src,
              const struct build_addr *dst, uint16_t sport, uint16_t dport,
              const struct build_buf *payload)
{
    struct build_buf udp, ip;
    struct build_ip h;

    build_udp(&udp, src, dst, sport, dport, payload ? payload->b : NULL,
              payload ? payload->len : 0);
    memset(&h, 0, sizeof(h));
    h.src = *src;
    h.dst = *dst;
    h.proto = BUILD_PROTO_UDP;
    h.ttl = from_client ? 64 : 61;
    h.id = s->ip_id++;
    build_ip_packet(&ip, &h, udp.b, udp.len);
    if (udp.overflow || (payload != NULL && payload->overflow))
        ip.overflow = true;
    sess_emit_ip(s, from_client, &ip);
}

void sess_icmpv6(struct sess *s, bool from_client, const struct build_addr *src,
                 const struct build_addr *dst, uint8_t type, const uint8_t *body, size_t len)
{
    struct build_buf msg, ip;
    struct build_ip h;

    build_icmpv6(&msg, src, dst, type, 0, body, len);
    memset(&h, 0, sizeof(h));
    h.src = *src;
    h.dst = *dst;
    h.proto = BUILD_PROTO_ICMPV6;
    h.ttl = 255;
    build_ip_packet(&ip, &h, msg.b, msg.len);
    if (msg.overflow)
        ip.overflow = true;
    sess_emit_ip(s, from_client, &ip);
}

void sess_dns(struct sess *s, const char *cli, const char *resolver, uint16_t sport, uint16_t id,
              const char *name, uint16_t qtype, const char *answer, uint32_t rtt_us)
{
    struct build_addr c = build_addr(cli), r = build_addr(resolver), a = build_addr(answer);
    struct build_buf msg;

    payload_dns_query(&msg, id, name, qtype);
    sess_udp(s, true, &c, &r, sport, DNS_PORT, &msg);
    sess_wait(s, rtt_us);
    payload_dns_answer(&msg, id, name, qtype, &a);
    sess_udp(s, false, &r, &c, DNS_PORT, sport, &msg);
}

void sess_tcp(struct sess *s, struct build_tcp_conn *c, int dir, uint8_t flags,
              const struct build_buf *payload)
{
    struct build_buf ip;

    build_tcp_conn_segment(c, dir, flags, payload ? payload->b : NULL,
                           payload ? payload->len : 0, s->ip_id++, &ip);
    if (payload != NULL && payload->overflow)
        ip.overflow = true;
    sess_emit_ip(s, dir == BUILD_C2S, &ip);
}

void sess_tls_open(struct sess *s, struct build_tcp_conn *c, const struct sess_tls *t)
{
    struct build_addr cli = build_addr(t->cli), srv = build_addr(t->srv);
    uint8_t sid[PAYLOAD_TLS_SID_LEN];
    struct build_buf msg;
    uint32_t isn_c, isn_s;

    build_rng_seed(&s->rng, t->seed);
    isn_c = build_rng_next(&s->rng);
    isn_s = build_rng_next(&s->rng);
    build_tcp_conn_init(c, &cli, t->cport, &srv, t->sport, isn_c, isn_s);

    sess_tcp(s, c, BUILD_C2S, BUILD_TCP_SYN, NULL);
    sess_wait(s, t->rtt_us);
    sess_tcp(s, c, BUILD_S2C, BUILD_TCP_SYN | BUILD_TCP_ACK, NULL);
    sess_tcp(s, c, BUILD_C2S, BUILD_TCP_ACK, NULL);
    payload_tls_client_hello(&msg, &s->rng, t->sni, t->alpn, sid);
    sess_tcp(s, c, BUILD_C2S, BUILD_TCP_PSH | BUILD_TCP_ACK, &msg);
    sess_wait(s, t->rtt_us + SERVER_THINK_US);
    payload_tls_server_flight(&msg, &s->rng, sid,
                              build_rng_range(&s->rng, TLS_ENC_HS_MIN, TLS_ENC_HS_MAX));
    sess_tcp(s, c, BUILD_S2C, BUILD_TCP_PSH | BUILD_TCP_ACK, &msg);
    sess_wait(s, CLIENT_THINK_US);
    payload_tls_client_finished(&msg, &s->rng);
    sess_tcp(s, c, BUILD_C2S, BUILD_TCP_PSH | BUILD_TCP_ACK, &msg);
}

void sess_tls_exchange(struct sess *s, struct build_tcp_conn *c, uint32_t rtt_us, size_t clen,
                       size_t slen)
{
    struct build_buf msg;

    payload_tls_app_data(&msg, &s->rng, clen);
    sess_tcp(s, c, BUILD_C2S, BUILD_TCP_PSH | BUILD_TCP_ACK, &msg);
    sess_wait(s, rtt_us + SERVER_THINK_US);
    payload_tls_app_data(&msg, &s->rng, slen);
    sess_tcp(s, c, BUILD_S2C, BUILD_TCP_PSH | BUILD_TCP_ACK, &msg);
    sess_tcp(s, c, BUILD_C2S, BUILD_TCP_ACK, NULL);
}

void sess_tls_close(struct sess *s, struct build_tcp_conn *c, uint32_t rtt_us)
{
    sess_tcp(s, c, BUILD_C2S, BUILD_TCP_FIN | BUILD_TCP_ACK, NULL);
    sess_wait(s, rtt_us);
    sess_tcp(s, c, BUILD_S2C, BUILD_TCP_FIN | BUILD_TCP_ACK, NULL);
    sess_tcp(s, c, BUILD_C2S, BUILD_TCP_ACK, NULL);
}

void sess_tls_flow(struct sess *s, const struct sess_tls *t)
{
    struct build_tcp_conn c;

    assert(t->exchanges <= SESS_TLS_MAX_EXCHANGES);
    sess_tls_open(s, &c, t);
    for (unsigned i = 0; i < t->exchanges; i++) {
        size_t clen = build_rng_range(&s->rng, TLS_CLIENT_REC_MIN, TLS_CLIENT_REC_MAX);
        size_t slen = build_rng_range(&s->rng, TLS_SERVER_REC_MIN, TLS_SERVER_REC_MAX);

        sess_wait(s, t->gaps_us[i]);
        sess_tls_exchange(s, &c, t->rtt_us, clen, slen);
    }
    sess_wait(s, t->gaps_us[0] / 2);
    sess_tls_close(s, &c, t->rtt_us);
}

int sess_finish(struct sess *s, const char *out, char *err, size_t errlen)
{
    unsigned n = writer_count(s->w);
    int rc = s->rc;

    if (rc != GEN_OK)
        snprintf(err, errlen, "%s: packet build or write failed (%d)", out, rc);
    if (writer_close(s->w, err, errlen) != GEN_OK && rc == GEN_OK)
        rc = GEN_RC_IO;
    if (rc == GEN_OK)
        printf("%-20s %3u packets\n", strrchr(out, '/') ? strrchr(out, '/') + 1 : out, n);
    return rc;
}
