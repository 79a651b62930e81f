/* test_pipeline.c - the real pipeline (report/pipeline.c) on a pcap generated
 * in memory: pcap_fopen_offline(fmemopen()) -> pipeline_packet ->
 * pipeline_finish, into a recording sink and into the SQLite sink.
 *
 * Frames are built here: Ethernet II + IPv4 (RFC 791) + TCP (RFC 9293) or
 * UDP (RFC 768), plus one ARP frame (ethertype 0x0806, no IP layer) and one
 * frame cut inside its IPv4 header.
 */
#define _GNU_SOURCE /* fmemopen */
#include "report/pipeline.h"

#include <pcap/pcap.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/decode.h"
#include "report/sink.h"
#include "report/sink_sqlite.h"
#include "report/store.h"
#include "tests/harness.h"

#define T0 1700000000000000ull /* 2023-11-14T22:13:20Z */

/* ---- a pcap file in memory ---- */

struct pcapbuf {
    uint8_t b[16384];
    size_t n;
};

static void put(struct pcapbuf *p, const void *v, size_t n)
{
    if (p->n + n <= sizeof p->b) {
        memcpy(p->b + p->n, v, n);
        p->n += n;
    }
}

static void put_le32(struct pcapbuf *p, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    put(p, b, 4);
}

static void pcap_header(struct pcapbuf *p)
{
    /* libpcap savefile header: magic, v2.4, thiszone, sigfigs, snaplen, EN10MB */
    put_le32(p, 0xa1b2c3d4);
    uint8_t ver[4] = {2, 0, 4, 0};
    put(p, ver, 4);
    put_le32(p, 0);
    put_le32(p, 0);
    put_le32(p, 65535);
    put_le32(p, 1);
}

static void pcap_record(struct pcapbuf *p, uint64_t ts_us, const uint8_t *f, uint32_t caplen,
                        uint32_t wirelen)
{
    put_le32(p, (uint32_t)(ts_us / 1000000u));
    put_le32(p, (uint32_t)(ts_us % 1000000u));
    put_le32(p, caplen);
    put_le32(p, wirelen);
    put(p, f, caplen);
}

/* Ethernet + IPv4 + TCP (flags) or UDP with plen payload bytes; returns the
 * frame length. */
static size_t frame(uint8_t *f, uint8_t proto, uint32_t src, uint32_t dst, uint16_t sport,
                    uint16_t dport, uint8_t tcp_flags, size_t plen)
{
    size_t l4 = proto == 6 ? 20 : 8;
    size_t iplen = 20 + l4 + plen;
    memset(f, 0, 14 + iplen);
    f[12] = 0x08; /* ethertype IPv4 */
    uint8_t *ip = f + 14;
    ip[0] = 0x45;
    ip[2] = (uint8_t)(iplen >> 8);
    ip[3] = (uint8_t)iplen;
    ip[8] = 64;
    ip[9] = proto;
    for (int i = 0; i < 4; i++) {
        ip[12 + i] = (uint8_t)(src >> (24 - 8 * i));
        ip[16 + i] = (uint8_t)(dst >> (24 - 8 * i));
    }
    uint8_t *t = ip + 20;
    t[0] = (uint8_t)(sport >> 8);
    t[1] = (uint8_t)sport;
    t[2] = (uint8_t)(dport >> 8);
    t[3] = (uint8_t)dport;
    if (proto == 6) {
        t[12] = 0x50; /* data offset 5 */
        t[13] = tcp_flags;
    } else {
        t[4] = (uint8_t)((8 + plen) >> 8);
        t[5] = (uint8_t)(8 + plen);
    }
    memset(t + l4, 'x', plen);
    return 14 + iplen;
}

#define CLI 0x0a000001u /* 10.0.0.1 */
#define SRV 0xc0000201u /* 192.0.2.1 */

/* One TCP session (SYN, SYN-ACK, ACK, data both ways, FIN, FIN), one UDP
 * exchange, one ARP frame, one frame cut inside its IPv4 header. */
static void sample_pcap(struct pcapbuf *p)
{
    uint8_t f[256];
    size_t n;
    uint64_t t = T0;
    pcap_header(p);
    n = frame(f, 6, CLI, SRV, 40000, 443, 0x02, 0);
    pcap_record(p, t += 1000, f, (uint32_t)n, (uint32_t)n);
    n = frame(f, 6, SRV, CLI, 443, 40000, 0x12, 0);
    pcap_record(p, t += 1000, f, (uint32_t)n, (uint32_t)n);
    n = frame(f, 6, CLI, SRV, 40000, 443, 0x10, 0);
    pcap_record(p, t += 1000, f, (uint32_t)n, (uint32_t)n);
    n = frame(f, 6, CLI, SRV, 40000, 443, 0x18, 100);
    pcap_record(p, t += 1000, f, (uint32_t)n, (uint32_t)n);
    n = frame(f, 6, SRV, CLI, 443, 40000, 0x18, 50);
    pcap_record(p, t += 1000, f, (uint32_t)n, (uint32_t)n);
    n = frame(f, 17, CLI, SRV, 5353, 53, 0, 30);
    pcap_record(p, t += 1000, f, (uint32_t)n, (uint32_t)n);
    n = frame(f, 17, SRV, CLI, 53, 5353, 0, 60);
    pcap_record(p, t += 1000, f, (uint32_t)n, (uint32_t)n);
    n = frame(f, 6, CLI, SRV, 40000, 443, 0x11, 0);
    pcap_record(p, t += 1000, f, (uint32_t)n, (uint32_t)n);
    n = frame(f, 6, SRV, CLI, 443, 40000, 0x11, 0);
    pcap_record(p, t += 1000, f, (uint32_t)n, (uint32_t)n);
    /* ARP request: ethertype 0x0806, 28 bytes (RFC 826) */
    memset(f, 0, 42);
    f[12] = 0x08;
    f[13] = 0x06;
    pcap_record(p, t += 1000, f, 42, 42);
    /* 14 + 10 bytes captured of a 60-byte frame: cut inside the IPv4 header */
    n = frame(f, 17, CLI, SRV, 1, 2, 0, 10);
    pcap_record(p, t += 1000, f, 24, (uint32_t)n);
}

#define SAMPLE_PACKETS 11

/* ---- a recording sink ---- */

#define REC_MAX 16
#define STAT_MAX 128

struct rec {
    struct flow_record flows[REC_MAX];
    size_t nflows;
    struct {
        char name[64];
        uint64_t v;
    } stats[STAT_MAX];
    size_t nstats;
    size_t calls;       /* every op call that reached the sink */
    size_t fail_after;  /* 0 = never; else the n-th flow write fails */
};

static int r_flow(struct sink *s, int64_t run_id, const struct flow_record *r, struct err *e)
{
    struct rec *c = sink_impl(s);
    c->calls++;
    CHECK_EQ_INT(run_id, 7);
    if (c->fail_after && c->nflows + 1 == c->fail_after)
        return err_set(e, RC_IO, "injected flow failure");
    if (c->nflows < REC_MAX)
        c->flows[c->nflows++] = *r;
    return 0;
}

static int r_stat(struct sink *s, int64_t run_id, const char *name, uint64_t v, struct err *e)
{
    (void)e;
    struct rec *c = sink_impl(s);
    c->calls++;
    CHECK_EQ_INT(run_id, 7);
    if (c->nstats < STAT_MAX) {
        snprintf(c->stats[c->nstats].name, sizeof c->stats[0].name, "%s", name);
        c->stats[c->nstats++].v = v;
    }
    return 0;
}

static const struct sink_ops rec_ops = {.name = "recording", .flow = r_flow, .run_stat = r_stat};

/* The value of run counter name, or -1 when it was not written. */
static long long stat_of(const struct rec *c, const char *name)
{
    for (size_t i = 0; i < c->nstats; i++)
        if (strcmp(c->stats[i].name, name) == 0)
            return (long long)c->stats[i].v;
    return -1;
}

static const struct flow_record *flow_of(const struct rec *c, uint8_t proto)
{
    for (size_t i = 0; i < c->nflows; i++)
        if (c->flows[i].proto == proto)
            return &c->flows[i];
    return NULL;
}

static struct sig_set no_sigs; /* no services, no rules: flows stay unclassified */

/* Feeds the pcap in p through pl; returns the first error of pipeline_packet. */
static int feed(struct pipeline *pl, struct pcapbuf *p, struct err *e)
{
    FILE *fp = fmemopen(p->b, p->n, "rb");
    CHECK(fp != NULL);
    if (!fp)
        return -1;
    char eb[PCAP_ERRBUF_SIZE];
    pcap_t *pc = pcap_fopen_offline(fp, eb);
    CHECK(pc != NULL);
    if (!pc) {
        fclose(fp);
        return -1;
    }
    struct pcap_pkthdr *h;
    const u_char *bytes;
    int rc = 0;
    while (!rc && pcap_next_ex(pc, &h, &bytes) == 1) {
        struct source_packet pkt = {
            .ts_us = (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec,
            .caplen = h->caplen, .wirelen = h->len, .data = bytes,
            .linktype = pcap_datalink(pc)};
        rc = pipeline_packet(pl, &pkt, e);
    }
    pcap_close(pc);
    return rc;
}

TEST(records_and_counters)
{
    static struct pcapbuf p;
    memset(&p, 0, sizeof p);
    sample_pcap(&p);
    struct rec c;
    memset(&c, 0, sizeof c);
    struct err e = {""};
    struct sink *s = sink_new(&rec_ops, &c, &e);
    const struct pipeline_config pc = {.sigs = &no_sigs, .sink = s, .run_id = 7};
    struct pipeline *pl = pipeline_new(&pc, &e);
    CHECK(pl != NULL);
    if (!pl || !s)
        return;
    CHECK_EQ_INT(feed(pl, &p, &e), 0);
    /* Both flows are still in the table (a closed TCP session is kept for
     * late segments); the shutdown flush writes them. */
    CHECK_EQ_INT(c.nflows, 0);
    CHECK_EQ_INT(pipeline_finish(pl, &e), 0);
    CHECK_EQ_INT(c.nflows, 2);
    const struct flow_record *tcp = flow_of(&c, 6), *udp = flow_of(&c, 17);
    CHECK(tcp != NULL && udp != NULL);
    if (tcp && udp) {
        CHECK_STR(tcp->src_ip, "10.0.0.1");
        CHECK_STR(tcp->dst_ip, "192.0.2.1");
        CHECK_EQ_INT(tcp->dst_port, 443);
        CHECK_EQ_INT(tcp->pkts_c2s, 4);
        CHECK_EQ_INT(tcp->pkts_s2c, 3);
        CHECK_STR(tcp->end_reason, "fin");
        CHECK_EQ_INT(tcp->first_ts_us, T0 + 1000);
        CHECK_EQ_INT(udp->pkts_c2s, 1);
        CHECK_EQ_INT(udp->pkts_s2c, 1);
        CHECK_STR(udp->end_reason, "shutdown");
    }
    CHECK_EQ_INT(stat_of(&c, "packets"), SAMPLE_PACKETS);
    CHECK_EQ_INT(stat_of(&c, "decode_ok"), SAMPLE_PACKETS - 2);
    CHECK_EQ_INT(stat_of(&c, "decode_truncated"), 1);
    CHECK_EQ_INT(stat_of(&c, "decode_invalid"), 1);
    CHECK_EQ_INT(stat_of(&c, "flows_created"), 2);
    CHECK_EQ_INT(stat_of(&c, "flows_end_fin"), 1);
    CHECK_EQ_INT(stat_of(&c, "flows_end_shutdown"), 1);
    CHECK_EQ_INT(stat_of(&c, "decode_non_ip"), 1);
    CHECK_EQ_INT(stat_of(&c, "decode_truncated_header"), 1);
    CHECK_EQ_INT(stat_of(&c, "decode_fragment"), 0);
    struct pipeline_stats ps;
    pipeline_get_stats(pl, &ps);
    CHECK_EQ_INT(ps.flows_written, 2);
    CHECK_EQ_INT(ps.anomalies[8], 1); /* ANOM_UNKNOWN_L3 is bit 8 */
    pipeline_free(pl);
    sink_close(s);
}

TEST(every_anomaly_bit_has_a_counter_row)
{
    /* A new anomaly bit must not silently lose its counter: every bit has a
     * distinct name, and pipeline_finish writes one row per bit. */
    for (unsigned b = 0; b < DECODE_ANOMALY_COUNT; b++) {
        const char *n = decode_anomaly_name(b);
        CHECK(n != NULL && strncmp(n, "decode_", 7) == 0);
        for (unsigned o = 0; n && o < b; o++)
            CHECK(strcmp(n, decode_anomaly_name(o)) != 0);
    }
    CHECK(decode_anomaly_name(DECODE_ANOMALY_COUNT) == NULL);
    CHECK(DECODE_ANOMALY_COUNT <= 32); /* fits pkt_view.anomalies */
    struct rec c;
    memset(&c, 0, sizeof c);
    struct err e = {""};
    struct sink *s = sink_new(&rec_ops, &c, &e);
    const struct pipeline_config pc = {.sigs = &no_sigs, .sink = s, .run_id = 7};
    struct pipeline *pl = pipeline_new(&pc, &e);
    CHECK(pl != NULL && s != NULL);
    if (!pl || !s)
        return;
    CHECK_EQ_INT(pipeline_finish(pl, &e), 0);
    for (unsigned b = 0; b < DECODE_ANOMALY_COUNT; b++)
        CHECK_EQ_INT(stat_of(&c, decode_anomaly_name(b)), 0);
    pipeline_free(pl);
    sink_close(s);
}

TEST(sink_error_is_sticky_and_stops_writes)
{
    static struct pcapbuf p;
    memset(&p, 0, sizeof p);
    sample_pcap(&p);
    struct rec c;
    memset(&c, 0, sizeof c);
    c.fail_after = 1; /* the first flow write fails */
    struct err e = {""};
    struct sink *s = sink_new(&rec_ops, &c, &e);
    const struct pipeline_config pc = {.sigs = &no_sigs, .sink = s, .run_id = 7};
    struct pipeline *pl = pipeline_new(&pc, &e);
    CHECK(pl != NULL && s != NULL);
    if (!pl || !s)
        return;
    CHECK_EQ_INT(feed(pl, &p, &e), 0);
    /* The shutdown flush writes the first flow: it fails, the second flow
     * and the run counters never reach the sink. */
    CHECK_EQ_INT(pipeline_finish(pl, &e), RC_IO);
    CHECK(strstr(e.msg, "injected flow failure") != NULL);
    CHECK_EQ_INT(sink_error(s), RC_IO);
    CHECK_EQ_INT(c.calls, 1);
    CHECK_EQ_INT(c.nflows, 0);
    CHECK_EQ_INT(stat_of(&c, "packets"), -1);
    /* Sticky: later packets and writes return it without reaching the sink. */
    memset(&e, 0, sizeof e);
    CHECK_EQ_INT(feed(pl, &p, &e), RC_IO);
    CHECK(strstr(e.msg, "injected flow failure") != NULL);
    CHECK_EQ_INT(sink_run_stat(s, 7, "x", 1, &e), RC_IO);
    CHECK_EQ_INT(c.calls, 1);
    pipeline_free(pl);
    sink_close(s);
}

TEST(no_sink_drops_rows)
{
    static struct pcapbuf p;
    memset(&p, 0, sizeof p);
    sample_pcap(&p);
    struct err e = {""};
    const struct pipeline_config pc = {.sigs = &no_sigs};
    struct pipeline *pl = pipeline_new(&pc, &e);
    CHECK(pl != NULL);
    if (!pl)
        return;
    CHECK_EQ_INT(feed(pl, &p, &e), 0);
    CHECK_EQ_INT(pipeline_interim(pl, &e), 0);
    CHECK_EQ_INT(pipeline_finish(pl, &e), 0);
    struct pipeline_stats ps;
    pipeline_get_stats(pl, &ps);
    CHECK_EQ_INT(ps.packets, SAMPLE_PACKETS);
    pipeline_free(pl);
}

static long long count(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    long long v = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -2;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

TEST(into_sqlite)
{
    static struct pcapbuf p;
    memset(&p, 0, sizeof p);
    sample_pcap(&p);
    char dir[] = "/tmp/trapline-test-pipeline-XXXXXX", path[128];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/p.db", dir);
    struct err e = {""};
    struct sink *s = sink_sqlite_open(path, &e);
    CHECK(s != NULL);
    if (!s)
        return;
    const struct sink_run_info ri = {T0, "analyze", "test", "trapline test", "00", "4.2", NULL};
    int64_t run = 0;
    CHECK_EQ_INT(sink_run_begin(s, &ri, &run, &e), 0);
    const struct pipeline_config pc = {.sigs = &no_sigs};
    struct pipeline *pl = pipeline_new(&pc, &e);
    CHECK(pl != NULL);
    if (!pl)
        return;
    pipeline_set_sink(pl, s, run);
    CHECK_EQ_INT(feed(pl, &p, &e), 0);
    /* Live-style interim rows for the flows still in the table. */
    CHECK_EQ_INT(pipeline_interim(pl, &e), 0);
    CHECK_EQ_INT(sink_commit(s, &e), 0);
    sqlite3 *db = store_db(sink_sqlite_store(s));
    CHECK_EQ_INT(count(db, "SELECT count(*) FROM flows WHERE end_reason = 'active'"), 2);
    CHECK_EQ_INT(pipeline_finish(pl, &e), 0);
    CHECK_EQ_INT(sink_run_end(s, run, T0 + 1, "complete", &e), 0);
    CHECK_EQ_INT(count(db, "SELECT count(*) FROM flows"), 2);
    CHECK_EQ_INT(count(db, "SELECT count(*) FROM flows WHERE end_reason = 'active'"), 0);
    CHECK_EQ_INT(count(db, "SELECT value FROM run_stats WHERE name = 'packets'"),
                 SAMPLE_PACKETS);
    CHECK_EQ_INT(count(db, "SELECT value FROM run_stats WHERE name = 'decode_non_ip'"), 1);
    CHECK_EQ_INT(count(db, "SELECT count(*) FROM runs WHERE status = 'complete'"), 1);
    pipeline_free(pl);
    sink_close(s);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    RUN(records_and_counters);
    RUN(every_anomaly_bit_has_a_counter_row);
    RUN(sink_error_is_sticky_and_stops_writes);
    RUN(no_sink_drops_rows);
    RUN(into_sqlite);
    return harness_done();
}
