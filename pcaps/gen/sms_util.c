/* sms_util.c - session helpers for the SMS fixtures (see sms_util.h). */
#include "sms_util.h"

#include "payload.h"
#include "writer.h"

#include <stdio.h>
#include <string.h>

static const struct build_link link_eth = {
    .kind = BUILD_LINK_ETH,
    .cli_mac = {0x02, 0x00, 0x00, 0x00, 0x00, 0x0a},
    .gw_mac = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01},
};

int sms_util_open(const char *out, uint64_t start, struct sess *s, char *err, size_t errlen)
{
    struct writer *w = writer_open(out, WRITER_PCAP, WRITER_LINK_EN10MB, err, errlen);
    if (w == NULL)
        return GEN_RC_IO;
    sess_init(s, w, &link_eth, start);
    return GEN_OK;
}

void sms_util_tcp_open(struct sess *s, struct build_tcp_conn *c, const char *cli, uint16_t cport,
                     const char *srv, uint16_t sport, uint32_t isn)
{
    struct build_addr a = build_addr(cli), b = build_addr(srv);
    build_tcp_conn_init(c, &a, cport, &b, sport, isn, isn ^ 0x5a5a5a5au);
    sess_tcp(s, c, BUILD_C2S, BUILD_TCP_SYN, NULL);
    sess_wait(s, MSEC(1));
    sess_tcp(s, c, BUILD_S2C, BUILD_TCP_SYN | BUILD_TCP_ACK, NULL);
    sess_tcp(s, c, BUILD_C2S, BUILD_TCP_ACK, NULL);
}

void sms_util_tcp_close(struct sess *s, struct build_tcp_conn *c)
{
    sess_tcp(s, c, BUILD_C2S, BUILD_TCP_FIN | BUILD_TCP_ACK, NULL);
    sess_wait(s, MSEC(1));
    sess_tcp(s, c, BUILD_S2C, BUILD_TCP_FIN | BUILD_TCP_ACK, NULL);
    sess_tcp(s, c, BUILD_C2S, BUILD_TCP_ACK, NULL);
}

void sms_util_send(struct sess *s, struct build_tcp_conn *c, int dir, const struct build_buf *m)
{
    sess_tcp(s, c, dir, BUILD_TCP_PSH | BUILD_TCP_ACK, m);
    sess_wait(s, MSEC(2));
}

void sms_util_slice(struct build_buf *out, const struct build_buf *in, size_t off, size_t n)
{
    build_reset(out);
    build_bytes(out, in->b + off, n);
}

/* Appends one DATA chunk (PPID ppid) from a (dir 0) or b to ch. */
void sms_util_sctp_chunk(struct sctp_link *l, int dir, uint32_t ppid, const struct build_buf *m,
                       struct build_buf *ch)
{
    payload_sctp_data(ch, l->tsn[dir]++, l->ssn[dir]++, ppid, m->b, m->len);
}

void sms_util_sctp_flush(struct sess *s, struct sctp_link *l, int dir, struct build_buf *ch)
{
    struct build_buf pkt, ip;
    struct build_ip h;
    memset(&h, 0, sizeof h);
    h.proto = BUILD_PROTO_SCTP;
    h.ttl = 64;
    h.dont_frag = true;
    h.src = dir ? l->b : l->a;
    h.dst = dir ? l->a : l->b;
    h.id = s->ip_id++;
    build_sctp(&pkt, l->port, l->port, l->vtag[!dir], ch->b, ch->len);
    build_ip_packet(&ip, &h, pkt.b, pkt.len);
    if (ch->overflow || pkt.overflow)
        ip.overflow = true;
    sess_emit_ip(s, dir == 0, &ip);
    sess_wait(s, MSEC(3));
    build_reset(ch);
}

