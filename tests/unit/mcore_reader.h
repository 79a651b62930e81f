/* mcore_reader.h - test-only: feeds the control-plane messages of a capture
 * to cpbind (UDP GTP-C / RADIUS / SIP payloads, and Diameter messages in
 * whole SCTP DATA chunks), through capture/decode.c and classify/sctp_chunks.c.
 * Diameter over TCP and fragmented SCTP DATA are not reassembled here
 * (counted in skipped). */
#ifndef PR_TESTS_MCORE_READER_H
#define PR_TESTS_MCORE_READER_H

#include <pcap/pcap.h>
#include <string.h>

#include "capture/decode.h"
#include "classify/cpbind.h"
#include "classify/diameter_gx.h"
#include "classify/sctp_chunks.h"

struct mcore_run {
    unsigned packets, cp_messages, skipped;
};

static void mcore_packet(struct cpbind *cb, const struct pkt_view *v, struct mcore_run *r)
{
    struct cp_packet p;
    memset(&p, 0, sizeof p);
    p.ts_us = v->ts_us;
    p.alen = v->src.family == 6 ? 16 : 4;
    memcpy(p.src, v->src.a, 16);
    memcpy(p.dst, v->dst.a, 16);
    p.sport = v->sport;
    p.dport = v->dport;
    if (v->l4proto == L4_UDP && v->has_ports && !v->frag) {
        p.payload = v->payload;
        enum cp_proto proto = cpbind_probe_udp(&p);
        if (proto != CP_NONE && cpbind_feed(cb, proto, &p))
            r->cp_messages++;
        return;
    }
    if (v->l4proto != L4_SCTP || !v->has_ports || v->frag)
        return;
    struct cursor c = cur_init(v->payload.p, v->payload.n);
    struct sctp_chunk ch;
    for (unsigned i = 0; i < SCTP_MAX_CHUNKS && sctp_chunks_next(&c, &ch) == PARSE_OK; i++) {
        struct sctp_data d;
        if (ch.type != SCTP_CHUNK_DATA || sctp_chunks_data(&ch, &d) != PARSE_OK)
            continue;
        p.payload = cur_rest(&d.user);
        if (!diameter_gx_probe(p.payload))
            continue;
        if (!d.whole) {
            r->skipped++;
            continue;
        }
        if (cpbind_feed(cb, CP_DIAMETER, &p))
            r->cp_messages++;
    }
}

/* Reads path into cb; returns -1 when it cannot be opened. */
static int mcore_read(const char *path, struct cpbind *cb, struct mcore_run *r)
{
    char eb[PCAP_ERRBUF_SIZE];
    pcap_t *pc = pcap_open_offline(path, eb);
    if (!pc)
        return -1;
    int lt = pcap_datalink(pc);
    struct pcap_pkthdr *h;
    const u_char *bytes;
    memset(r, 0, sizeof *r);
    while (pcap_next_ex(pc, &h, &bytes) == 1) {
        struct pkt_view v;
        uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec;
        r->packets++;
        if (decode_packet(lt, bytes, h->caplen, h->len, ts, &v) != PARSE_OK)
            continue;
        mcore_packet(cb, &v, r);
    }
    pcap_close(pc);
    return 0;
}

#endif
