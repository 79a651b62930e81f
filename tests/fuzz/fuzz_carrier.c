/* fuzz_carrier.c - the carrier dispatcher: byte 0 picks the transport
 * (TCP, UDP, SCTP; from 0xf0, ICMPv6 in a GTP-U tunnel from a link-local
 * router, for the ndp row), then records of [dir|flags byte][len byte]
 * [payload] become packets of one flow, with TCP sequence numbers that
 * follow the payload (occasionally skipping or repeating). */
#include <string.h>

#include "classify/carrier.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void drop(const struct sms_event *ev, void *user)
{
    (void)ev;
    (void)user;
}

static void drop_binding(const struct sub_binding *b, void *user)
{
    (void)b;
    (void)user;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t protos[3] = {L4_TCP, L4_UDP, L4_SCTP};
    if (size < 1)
        return 0;
    struct classify_events ev = {.sms = drop, .binding = drop_binding};
    struct carrier *c = carrier_new(&ev, NULL);
    if (!c)
        return 0;
    struct flow f;
    memset(&f, 0, sizeof f);
    f.id = 1;
    struct carrier_verdict out;
    memset(&out, 0, sizeof out);
    void *state = NULL;
    uint32_t seq[2] = {1000, 9000};
    uint8_t l4 = data[0] >= 0xf0 ? L4_ICMPV6 : protos[data[0] % 3];
    size_t off = 1;
    while (off + 2 <= size && out.state != CARRIER_EXCLUDED) {
        uint8_t ctl = data[off], len = data[off + 1];
        off += 2;
        size_t n = size - off < len ? size - off : len;
        int d = ctl & 1;
        struct pkt_view v;
        memset(&v, 0, sizeof v);
        v.ts_us = off;
        v.l4proto = l4;
        v.has_ports = true;
        v.sport = d ? 3868 : 40000;
        v.dport = d ? 40000 : 3868;
        v.tcp_seq = seq[d];
        v.tcp_flags = ctl & 0x02 ? TCPF_SYN : TCPF_ACK;
        v.payload.p = data + off;
        v.payload.n = n;
        if (l4 == L4_ICMPV6) { /* the message from its Type octet; no ports */
            static const uint8_t router[16] = {0xfe, 0x80, [15] = 1};
            v.has_ports = false;
            v.has_icmp = true;
            v.icmp_msg = v.payload;
            v.payload.p = n >= 4 ? data + off + 4 : NULL;
            v.payload.n = n >= 4 ? n - 4 : 0;
            v.src.family = v.dst.family = 6;
            memcpy(v.src.a, router, 16);
            v.tunnel = !(ctl & 0x20);
            v.teid = 0xc001;
            v.tun_dst.family = 4;
            v.tun_dst.a[0] = 10;
        }
        v.payload_len = (uint32_t)n + (ctl & 0x04 ? 3u : 0u); /* snaplen cut */
        if (!(ctl & 0x08))
            seq[d] += (uint32_t)n + (ctl & 0x10 ? 5u : 0u); /* else: a repeat */
        carrier_packet(c, &state, &f, (enum dir)d, &v, &out);
        off += n;
    }
    carrier_flow_end(c, &state, &f);
    carrier_free(c);
    return 0;
}
