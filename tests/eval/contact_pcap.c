/* contact_pcap.c - a small capture for the end-to-end contact-inference
 * case (tests/suites/infer.sh): four clients with TLS flows to one WhatsApp
 * relay (SNI web.whatsapp.com, so the real pipeline labels them
 * ott-messaging), clients 10.9.0.1 and 10.9.0.2 exchange 30 messages, 10.9.0.3
 * chats with someone unmonitored, 10.9.0.4 only has keep-alives.
 *
 * Built on pcaps/gen (sess.h, payload.h): the same deterministic packet
 * builder as the sample captures.  Everything lies in one 900 s window
 * (2026-01-01T00:00:00Z .. 00:14:00Z).  Usage: contact_pcap OUT.pcap
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "payload.h"
#include "sess.h"
#include "writer.h"

#define NCLI 4
#define START_US (UINT64_C(1767225600) * 1000000u)
#define SEC(x) ((uint64_t)(x) * 1000000u)
#define MAX_EV 1024
#define REC_MAX 1400 /* application data per segment */

struct ev {
    uint64_t ts;
    int cli;
    int c2s;
    size_t size;
};

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

static int cmp_ev(const void *x, const void *y)
{
    const struct ev *a = x, *b = y;
    if (a->ts != b->ts)
        return a->ts < b->ts ? -1 : 1;
    return a->cli - b->cli;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: contact_pcap OUT.pcap\n");
        return 2;
    }
    char err[256] = "";
    struct writer *w = writer_open(argv[1], WRITER_PCAP, WRITER_LINK_EN10MB, err, sizeof err);
    if (!w) {
        fprintf(stderr, "contact_pcap: %s\n", err);
        return 1;
    }
    static const struct build_link link = {
        .kind = BUILD_LINK_ETH,
        .cli_mac = {0x02, 0, 0, 0, 0, 0x0a},
        .gw_mac = {0x02, 0, 0, 0, 0, 0x01},
        .ifindex = 2,
    };
    struct sess s;
    sess_init(&s, w, &link, START_US);
    static const char *const cli[NCLI] = {"10.9.0.1", "10.9.0.2", "10.9.0.3", "10.9.0.4"};
    struct build_tcp_conn conn[NCLI];
    for (int i = 0; i < NCLI; i++) {
        struct sess_tls t = {"web.whatsapp.com", "h2", cli[i], "157.240.0.53",
                             (uint16_t)(51000 + i), 443, 30000, 0x57410000u + (uint32_t)i, 0,
                             {0}};
        sess_tls_open(&s, &conn[i], &t);
        sess_wait(&s, SEC(5));
    }
    static struct ev ev[MAX_EV];
    size_t n = 0;
    uint64_t r = 16;
    /* 30 messages between clients 0 and 1, mean gap ~25 s. */
    uint64_t t = START_US + SEC(30);
    for (int m = 0; m < 30 && n + 2 <= MAX_EV; m++) {
        t += SEC(5) + (lcg(&r) % SEC(40));
        int from = (int)(lcg(&r) % 2);
        size_t size = 150 + lcg(&r) % 700;
        ev[n++] = (struct ev){t, from, 1, size};
        ev[n++] = (struct ev){t + 250000 + lcg(&r) % 400000, 1 - from, 0, size + 40};
    }
    /* Client 2 talks to an unmonitored contact; everyone has keep-alives. */
    for (uint64_t u = START_US + SEC(40); u < START_US + SEC(820) && n + 1 <= MAX_EV;
         u += SEC(10) + lcg(&r) % SEC(40))
        ev[n++] = (struct ev){u, 2, (int)(lcg(&r) % 2), 150 + lcg(&r) % 700};
    for (int i = 0; i < NCLI; i++)
        for (uint64_t u = START_US + SEC(35) + SEC(7) * (uint64_t)i;
             u < START_US + SEC(820) && n + 1 <= MAX_EV; u += SEC(50) + lcg(&r) % SEC(40))
            ev[n++] = (struct ev){u, i, (int)(lcg(&r) % 2), 80 + lcg(&r) % 60};
    qsort(ev, n, sizeof ev[0], cmp_ev);
    for (size_t i = 0; i < n; i++) {
        if (ev[i].ts > s.ts_us)
            s.ts_us = ev[i].ts;
        struct build_tcp_conn *c = &conn[ev[i].cli];
        int dir = ev[i].c2s ? BUILD_C2S : BUILD_S2C;
        for (size_t left = ev[i].size; left > 0;) {
            size_t k = left > REC_MAX ? REC_MAX : left;
            struct build_buf msg;
            payload_tls_app_data(&msg, &s.rng, k);
            sess_tcp(&s, c, dir, BUILD_TCP_PSH | BUILD_TCP_ACK, &msg);
            left -= k;
        }
        sess_tcp(&s, c, ev[i].c2s ? BUILD_S2C : BUILD_C2S, BUILD_TCP_ACK, NULL);
    }
    s.ts_us = START_US + SEC(830);
    for (int i = 0; i < NCLI; i++)
        sess_tls_close(&s, &conn[i], 30000);
    return sess_finish(&s, argv[1], err, sizeof err) == GEN_OK ? 0 : 1;
}
