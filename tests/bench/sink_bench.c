/* sink_bench.c - records/s of one sink, nothing else: N synthetic flow
 * records (plus one OTT burst per 2 flows) written through sink.h into
 * SQLite or PostgreSQL.  Not a test; issue 13's throughput figure.
 *
 *   cc -O2 -I. tests/bench/sink_bench.c build/libtrapline.a $(pkg-config --libs ...) -o sb
 *   sb DB|URL N
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report/sink_pg.h"
#include "report/sink_sqlite.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: sink_bench DB|URL N\n");
        return 2;
    }
    long n = atol(argv[2]);
    struct err e = {""};
    double t0 = now();
    struct sink *s;
    if (sink_pg_is_url(argv[1])) {
        const struct sink_pg_config c = {.conninfo = sink_pg_conninfo(argv[1]),
                                         .spool_path = "/tmp/sink_bench.spool", .quiet = true};
        s = sink_pg_open(&c, &e);
    } else {
        s = sink_sqlite_open(argv[1], &e);
    }
    if (!s) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
    }
    const struct sink_run_info ri = {.started_us = 1, .mode = "analyze", .tool_version = "bench", .command_line = "sink_bench", .signature_sha256 = "00", .ndpi_version = "4.2", .probe = "bench"};
    int64_t run = 0;
    if (sink_run_begin(s, &ri, &run, &e)) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
    }
    struct flow_record r;
    memset(&r, 0, sizeof r);
    r.proto = 6;
    strcpy(r.ndpi_proto, "TLS");
    strcpy(r.service, "Signal");
    strcpy(r.cls, "ott-messaging");
    strcpy(r.method, "sni");
    strcpy(r.server_name, "chat.signal.org");
    strcpy(r.end_reason, "fin");
    r.confidence = 90;
    struct ott_event ev = {0};
    strcpy(ev.direction, "c2s");
    long rows = 0;
    for (long i = 0; i < n; i++) {
        r.flow_id = (uint64_t)i + 1;
        snprintf(r.src_ip, sizeof r.src_ip, "10.%ld.%ld.%ld", (i >> 16) & 255, (i >> 8) & 255,
                 i & 255);
        strcpy(r.dst_ip, "13.248.212.111");
        r.src_port = (uint16_t)(1024 + i % 60000);
        r.dst_port = 443;
        r.first_ts_us = 1709280000000000ull + (uint64_t)i * 1000;
        r.last_ts_us = r.first_ts_us + 5000000;
        r.pkts_c2s = 10, r.bytes_c2s = 2000, r.pkts_s2c = 12, r.bytes_s2c = 9000;
        r.first_frame = (uint64_t)i * 22 + 1, r.last_frame = r.first_frame + 21;
        if (sink_flow(s, run, &r, &e))
            break;
        rows++;
        if (i % 2 == 0) {
            ev.flow_id = r.flow_id;
            ev.ts_us = r.first_ts_us + 100;
            ev.end_ts_us = ev.ts_us + 2000;
            ev.packets = 3, ev.bytes = 900;
            if (sink_ott_event(s, run, &ev, &e))
                break;
            rows++;
        }
    }
    int rc = sink_run_end(s, run, 2, "complete", &e);
    sink_close(s);
    double t = now() - t0;
    if (rc) {
        fprintf(stderr, "%s\n", e.msg);
        return 1;
    }
    printf("%s: %ld records in %.2f s = %.0f records/s\n", argv[1], rows, t, (double)rows / t);
    return 0;
}
