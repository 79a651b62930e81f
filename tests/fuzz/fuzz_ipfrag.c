/* fuzz_ipfrag.c - fragment reassembly (capture/ipfrag.c) across frames.
 *
 * Input: one byte of options (bit 0: keep every frame, as trapline extract
 * does; bit 1: the smallest bounds, so that eviction runs all the time),
 * then records: link type (byte, modulo the table below), time step in
 * 0.25 s units (byte: 120 of them pass IPv4's 30 s), frame length (two
 * bytes, big-endian) and the frame.  Every frame goes through
 * decode_packet_reasm with one table; after each, the first fragments given
 * up are handed out and decoded as the pipeline does, and the frames of a
 * completed datagram are read; at the end the table is flushed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture/decode.h"
#include "capture/ipfrag.h"
#include "capture/link.h"
#include "capture/source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int link_types[] = {LINK_EN10MB, LINK_RAW, LINK_LINUX_SLL, LINK_IPV4, LINK_IPV6};

static volatile uint8_t sink;

/* Reads every byte handed out, so that a stale pointer faults under ASan. */
static void touch(const uint8_t *p, size_t n)
{
    uint8_t x = 0;
    for (size_t i = 0; i < n; i++)
        x ^= p[i];
    sink = x;
}

static void drain(struct ipfrag *t)
{
    struct source_packet r;
    while (ipfrag_next_release(t, &r)) {
        struct pkt_view v;
        touch(r.data, r.caplen);
        decode_packet(r.linktype, r.data, r.caplen, r.wirelen, r.ts_us, &v);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 0x40000)
        return 0;
    struct ipfrag_config c = {0};
    c.keep_frames = data[0] & 1;
    if (data[0] & 2) {
        c.max_datagrams = 2;
        c.max_bytes = 8192;
    }
    struct ipfrag *t = ipfrag_new(&c);
    if (!t)
        return 0;
    size_t at = 1;
    uint64_t ts = 1000000;
    uint64_t frame_no = 0;
    while (size - at >= 4) {
        int lt = link_types[data[at] % (sizeof link_types / sizeof link_types[0])];
        ts += (uint64_t)data[at + 1] * 250000u;
        size_t n = (size_t)data[at + 2] << 8 | data[at + 3];
        at += 4;
        if (n > size - at)
            n = size - at;
        /* An exact-size copy, so reading one byte past the frame faults. */
        uint8_t *frame = malloc(n ? n : 1);
        if (!frame)
            break;
        memcpy(frame, data + at, n);
        at += n;
        struct source_packet p = {ts, (uint32_t)n, (uint32_t)n, frame, lt, 0, ++frame_no, 0};
        ipfrag_expire(t, ts);
        drain(t);
        struct pkt_view v;
        decode_packet_reasm(t, &p, &v);
        free(frame); /* the table keeps its own copies */
        if (v.reassembled) {
            touch(v.payload.p, v.payload.n);
            const struct source_packet *earlier;
            size_t ne = ipfrag_done_frames(t, &earlier);
            for (size_t i = 0; i < ne; i++)
                touch(earlier[i].data, earlier[i].caplen);
        }
        drain(t);
    }
    ipfrag_flush(t);
    drain(t);
    ipfrag_free(t);
    return 0;
}
