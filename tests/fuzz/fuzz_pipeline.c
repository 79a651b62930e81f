/* fuzz_pipeline.c - a pcap or pcapng file in memory through the whole analysis
 * pipeline without a database: pcap_fopen_offline(fmemopen()) -> decode ->
 * flow table -> classify -> record_from_flow.
 *
 * The classifier is built once per process from signatures/catalog.yaml
 * (relative to the working directory: run from the repository root); when the
 * catalog is absent the flows are still tracked and recorded, unclassified.
 */
#define _GNU_SOURCE /* fmemopen */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/decode.h"
#include "capture/flow_table.h"
#include "classify/classify.h"
#include "report/record.h"
#include "signatures/sig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_PACKETS 4096
#define FUZZ_FLOW_CAPACITY 64 /* small, so eviction runs too */

struct fuzz_ctx {
    struct classifier *cls;
    uint64_t records;
};

static struct sig_set *sigs;
static struct classifier *cls;
static int init_done;

static void init_once(void)
{
    if (init_done)
        return;
    init_done = 1;
    const char *p = "signatures/catalog.yaml";
    FILE *fp = fopen(p, "rb");
    if (!fp)
        return; /* no catalog here: unclassified */
    fclose(fp);
    struct err e;
    sigs = sig_load_paths(&p, 1, &e);
    if (sigs)
        cls = classify_new(sigs, NULL, &e);
}

static void on_end(struct flow *f, void *user)
{
    struct fuzz_ctx *c = user;
    struct cls_result r;
    memset(&r, 0, sizeof r);
    if (c->cls)
        classify_flow_end(c->cls, f, &r);
    struct flow_record rec;
    record_from_flow(f, &r, &rec);
    if (memchr(rec.src_ip, 0, sizeof rec.src_ip) == NULL ||
        memchr(rec.server_name, 0, sizeof rec.server_name) == NULL)
        abort();
    c->records++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    init_once();
    if (size == 0)
        return 0;
    /* An exact-size copy for fmemopen. */
    uint8_t *copy = malloc(size);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    FILE *fp = fmemopen(copy, size, "rb");
    if (!fp) {
        free(copy);
        return 0;
    }
    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
    if (!p) {
        fclose(fp); /* libpcap leaves the stream open on failure */
        free(copy);
        return 0;
    }
    int lt = pcap_datalink(p);
    struct fuzz_ctx ctx = {.cls = cls};
    struct flow_table_config fc;
    flow_table_config_default(&fc);
    fc.capacity = FUZZ_FLOW_CAPACITY;
    fc.ext_size = classify_ext_size();
    fc.on_end = on_end;
    fc.user = &ctx;
    struct flow_table *ft = flow_table_new(&fc, NULL);
    if (ft && decode_linktype_supported(lt)) {
        struct pcap_pkthdr *h;
        const u_char *bytes;
        for (int i = 0; i < FUZZ_MAX_PACKETS && pcap_next_ex(p, &h, &bytes) == 1; i++) {
            uint64_t ts = h->ts.tv_sec < 0 || h->ts.tv_usec < 0
                              ? 0
                              : (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec;
            struct pkt_view v;
            enum parse_rc rc = decode_packet(lt, bytes, h->caplen, h->len, ts, &v);
            if (rc == PARSE_OK || (rc == PARSE_TRUNCATED && v.ip_version)) {
                enum dir d;
                struct flow *f = flow_table_packet(ft, &v, &d);
                if (f && cls)
                    classify_packet(cls, f, d, &v);
            } else {
                flow_table_expire(ft, ts);
            }
        }
        flow_table_flush(ft);
        /* Invariants: every flow created was ended exactly once, and
         * the table never held more than its capacity. */
        struct flow_table_stats st;
        flow_table_get_stats(ft, &st);
        uint64_t ended = 0;
        for (int r = 0; r <= END_SHUTDOWN; r++)
            ended += st.ended[r];
        if (st.active != 0 || ended != st.created || ctx.records != st.created ||
            st.peak > FUZZ_FLOW_CAPACITY || st.evicted != st.ended[END_EVICTED])
            abort();
    }
    flow_table_free(ft);
    pcap_close(p); /* closes fp */
    free(copy);
    return 0;
}
