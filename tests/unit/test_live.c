/* test_live.c - the live capture source: open errors, BPF errors, timeouts.
 * The interface cases need root (packet sockets) and use the loopback
 * interface read-only; nothing is sent.  Without root they are skipped. */
#include "capture/live.h"

#include <pcap/pcap.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tests/harness.h"

TEST(missing_interface)
{
    struct err e = {""};
    char warn[LIVE_WARN_MAX];
    struct live_config cfg = {.iface = "trapline-nosuch0"};
    CHECK(live_open(&cfg, warn, &e) == NULL);
    CHECK(strstr(e.msg, "trapline-nosuch0") != NULL);
}

TEST(bad_bpf_is_an_error_before_capture)
{
    struct err e = {""};
    char warn[LIVE_WARN_MAX];
    struct live_config cfg = {.iface = "lo", .bpf = "tcp port"};
    CHECK(live_open(&cfg, warn, &e) == NULL);
    CHECK(strstr(e.msg, "bad BPF filter 'tcp port'") != NULL);
}

static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

TEST(quiet_link_times_out)
{
    struct err e = {""};
    char warn[LIVE_WARN_MAX];
    /* Nothing on loopback matches this filter (port 9 is discard, unused). */
    struct live_config cfg = {.iface = "lo", .bpf = "udp port 9 and udp port 10",
                              .buffer_mb = 1, .snaplen = 128};
    struct live *l = live_open(&cfg, warn, &e);
    CHECK(l != NULL);
    if (!l) {
        fprintf(stderr, "live_open: %s\n", e.msg);
        return;
    }
    CHECK_EQ_INT(live_linktype(l), DLT_EN10MB);
    struct source_packet pkt;
    long long t0 = mono_ms();
    CHECK_EQ_INT(live_next(l, &pkt, &e), 0);
    long long dt = mono_ms() - t0;
    CHECK(dt <= LIVE_TIMEOUT_MS + 500);
    /* Housekeeping needs the reads to come back even if the link stays quiet. */
    CHECK_EQ_INT(live_next(l, &pkt, &e), 0);
    struct live_stats st;
    CHECK_EQ_INT(live_stats(l, &st, &e), 0);
    CHECK_EQ_INT(st.dropped, 0);
    pcap_breakloop(live_handle(l));
    int rc = live_next(l, &pkt, &e);
    CHECK(rc == LIVE_BREAK || rc == 0);
    live_free(l);
    live_free(NULL);
}

int main(void)
{
    RUN(missing_interface);
    if (geteuid() == 0) {
        RUN(bad_bpf_is_an_error_before_capture);
        RUN(quiet_link_times_out);
    } else {
        printf("test_live: not root: interface cases skipped\n");
    }
    return harness_done();
}
