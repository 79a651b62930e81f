/* fuzz_pipeline.c - a pcap or pcapng file in memory through the real analysis
 * pipeline (report/pipeline.c: decode -> flow table -> classifier -> record)
 * into a checking sink: pcap_fopen_offline(fmemopen()) -> pipeline_packet ->
 * pipeline_finish -> sink ops.
 *
 * The signature set is loaded once per process from signatures/catalog.yaml
 * (relative to the working directory: run from the repository root); when the
 * catalog is absent an empty set is used and flows are recorded unclassified.
 * The sink checks every record (strings terminated) and, from the run
 * counters the pipeline writes at the end, that every flow created was
 * recorded exactly once and the table never outgrew its capacity.
 */
#define _GNU_SOURCE /* fmemopen */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/decode.h"
#include "report/pipeline.h"
#include "report/sink.h"
#include "signatures/sig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_PACKETS 4096
#define FUZZ_FLOW_CAPACITY 64 /* small, so eviction runs too */

struct check {
    uint64_t flows, created, peak, ended;
    int finished;
};

static struct sig_set *sigs;
static struct sig_set empty_sigs; /* no services, no rules */
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
}

static int ck_flow(struct sink *s, int64_t run_id, const struct flow_record *r, struct err *e)
{
    (void)run_id, (void)e;
    struct check *c = sink_impl(s);
    if (memchr(r->src_ip, 0, sizeof r->src_ip) == NULL ||
        memchr(r->dst_ip, 0, sizeof r->dst_ip) == NULL ||
        memchr(r->server_name, 0, sizeof r->server_name) == NULL ||
        memchr(r->service, 0, sizeof r->service) == NULL)
        abort();
    c->flows++;
    return 0;
}

static int ck_sms(struct sink *s, int64_t run_id, const struct sms_event *ev, struct err *e)
{
    (void)s, (void)run_id, (void)e;
    if (memchr(ev->originator, 0, sizeof ev->originator) == NULL ||
        memchr(ev->recipient, 0, sizeof ev->recipient) == NULL)
        abort();
    return 0;
}

static int ck_stat(struct sink *s, int64_t run_id, const char *name, uint64_t v, struct err *e)
{
    (void)run_id, (void)e;
    struct check *c = sink_impl(s);
    c->finished = 1;
    if (strcmp(name, "flows_created") == 0)
        c->created = v;
    else if (strcmp(name, "flows_peak") == 0)
        c->peak = v;
    else if (strncmp(name, "flows_end_", 10) == 0 || strcmp(name, "flows_evicted") == 0)
        c->ended += v;
    return 0;
}

static const struct sink_ops check_ops = {
    .name = "fuzz-check", .flow = ck_flow, .sms_event = ck_sms, .run_stat = ck_stat};

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
    struct check c = {0};
    struct sink *sink = sink_new(&check_ops, &c, NULL);
    const struct pipeline_config pc = {
        .sigs = sigs ? sigs : &empty_sigs, .sink = sink, .run_id = 1,
        .flow_capacity = FUZZ_FLOW_CAPACITY};
    struct pipeline *pl = sink ? pipeline_new(&pc, NULL) : NULL;
    if (pl && decode_linktype_supported(lt)) {
        struct pcap_pkthdr *h;
        const u_char *bytes;
        for (int i = 0; i < FUZZ_MAX_PACKETS && pcap_next_ex(p, &h, &bytes) == 1; i++) {
            struct source_packet pkt = {
                .ts_us = h->ts.tv_sec < 0 || h->ts.tv_usec < 0
                             ? 0
                             : (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec,
                .caplen = h->caplen, .wirelen = h->len, .data = bytes, .linktype = lt};
            if (pipeline_packet(pl, &pkt, NULL))
                abort(); /* the checking sink never fails */
        }
        if (pipeline_finish(pl, NULL))
            abort();
        /* Every flow created was ended and recorded exactly once, and the
         * table never held more than its capacity. */
        if (!c.finished || c.flows != c.created || c.ended != c.created ||
            c.peak > FUZZ_FLOW_CAPACITY)
            abort();
    }
    pipeline_free(pl);
    sink_close(sink);
    pcap_close(p); /* closes fp */
    free(copy);
    return 0;
}
