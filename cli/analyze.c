/* analyze.c - `trapline analyze`: pcap/pcapng files -> database. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "capture/flow_table.h"
#include "capture/source.h"
#include "capture/stop.h"
#include "classify/classify.h"
#include "cli/cli.h"
#include "cli/pipeline.h"
#include "report/store.h"

/* Progress redraw period and how often (in packets) the clock is looked at. */
#define PROGRESS_PERIOD_NS 500000000LL
#define PROGRESS_CHECK_PACKETS 4096

static void usage(FILE *out)
{
    fprintf(out,
            "usage: trapline analyze [--db PATH] [--signatures PATH] [--max-flows N]"
            " [--burst-gap SECS] [-q]"
            " INPUT...\n"
            "  INPUT       pcap or pcapng files, or directories (searched recursively for\n"
            "              *.pcap, *.pcapng, *.cap); all inputs are merged in time order\n"
            "  --db PATH   database to write (default " CLI_DEFAULT_DB ")\n"
            "  --signatures PATH  signature file or directory (default %s)\n"
            "  --max-flows N      flow table capacity (default 262144)\n"
            "  --burst-gap SECS   idle gap that ends an OTT activity burst (default 1)\n"
            "  -q, --quiet        no progress line and no summary\n",
            cli_default_signatures());
}

static void warn_input(const struct source_input *in, void *user)
{
    (void)user;
    fprintf(stderr, "trapline: warning: %s: %s (%s)\n", in->path, in->detail,
            source_status_name(in->status));
}

static long long mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void progress(const struct source *src, uint64_t packets, long long t0, bool final)
{
    uint64_t done, total;
    source_progress(src, &done, &total);
    double secs = (double)(mono_ns() - t0) / 1e9;
    double pps = secs > 0 ? (double)packets / secs : 0;
    fprintf(stderr, "\r  %.1f / %.1f MiB (%3.0f%%)  %llu packets  %.0f packets/s   %s",
            (double)done / 1048576.0, (double)total / 1048576.0,
            total ? 100.0 * (double)done / (double)total : 100.0, (unsigned long long)packets,
            pps, final ? "\n" : "");
    fflush(stderr);
}

int cmd_analyze(int argc, char **argv)
{
    const char *db = CLI_DEFAULT_DB, *sigpath = NULL;
    bool quiet = false;
    unsigned long max_flows = 0;
    uint64_t burst_gap_us = 0;
    static const struct option opts[] = {
        {"burst-gap", required_argument, NULL, 'g'},
        {"db", required_argument, NULL, 'd'},
        {"signatures", required_argument, NULL, 's'},
        {"max-flows", required_argument, NULL, 'm'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:s:m:g:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 's': sigpath = optarg; break;
        case 'q': quiet = true; break;
        case 'm':
            if (!cli_parse_num("analyze", "--max-flows", optarg, 1, FLOW_MAX_CAPACITY,
                               &max_flows))
                return EXIT_USAGE;
            break;
        case 'g': {
            /* seconds, decimals allowed; bounded to keep bursts meaningful */
            char *end;
            double secs = strtod(optarg, &end);
            if (*end || end == optarg || !(secs >= 0.001 && secs <= 3600.0)) {
                fprintf(stderr, "trapline: --burst-gap: '%s' is not 0.001..3600 seconds\n",
                        optarg);
                return EXIT_USAGE;
            }
            burst_gap_us = (uint64_t)(secs * 1e6 + 0.5);
            break;
        }
        case 'h': usage(stdout); return EXIT_COMPLETE;
        default: usage(stderr); return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, "trapline analyze: no input given\n");
        usage(stderr);
        return EXIT_USAGE;
    }

    int ret = EXIT_FAILURE_;
    struct err e = {""};
    struct sig_set *sigs = NULL;
    struct source *src = NULL;
    struct store *st = NULL;
    struct pipeline *pl = NULL;
    int64_t run_id = 0;
    bool run_open = false, failed = false;

    /* Every input missing: nothing to analyse, a usage error, and no empty
     * run in the database (README, exit codes). */
    size_t missing = 0;
    for (int i = optind; i < argc; i++) {
        struct stat sb;
        if (stat(argv[i], &sb) != 0 && errno == ENOENT) {
            fprintf(stderr, "trapline analyze: %s: no such file or directory\n", argv[i]);
            missing++;
        }
    }
    if (missing == (size_t)(argc - optind)) {
        fprintf(stderr, "trapline analyze: no input found\n");
        return EXIT_USAGE;
    }
    sigs = cli_load_signatures(sigpath);
    if (!sigs)
        goto out;
    src = source_open_files((const char *const *)argv + optind, (size_t)(argc - optind),
                            warn_input, NULL, &e);
    if (!src) {
        fprintf(stderr, "trapline: %s\n", e.msg);
        ret = EXIT_USAGE;
        goto out;
    }
    st = cli_begin_run(db, "analyze", argc + 1, argv - 1, sigs, &run_id);
    if (!st)
        goto out;
    run_open = true;
    /* Inputs are recorded before any is read ('reading' until the end), so a
     * killed run still says what it was reading. */
    for (size_t i = 0; i < source_input_count(src); i++) {
        if (store_input(st, run_id, i, source_input_get(src, i), false, &e)) {
            fprintf(stderr, "trapline: %s\n", e.msg);
            goto out;
        }
    }
    if (store_commit(st, &e)) {
        fprintf(stderr, "trapline: %s\n", e.msg);
        goto out;
    }
    struct pipeline_config pc = {
        .sigs = sigs, .store = st, .run_id = run_id, .flow_capacity = (uint32_t)max_flows,
        .burst_gap_us = burst_gap_us};
    pl = pipeline_new(&pc, &e);
    if (!pl) {
        fprintf(stderr, "trapline: %s\n", e.msg);
        goto out;
    }
    stop_install();

    bool show = !quiet && isatty(STDERR_FILENO);
    long long t0 = mono_ns(), last = t0, last_commit = t0;
    uint64_t n = 0;
    struct source_packet pkt;
    int rc;
    while (!stop_requested() && (rc = source_next(src, &pkt, &e)) == 1) {
        if (pipeline_packet(pl, &pkt, &e)) {
            fprintf(stderr, "trapline: %s\n", e.msg);
            failed = true;
            break;
        }
        if (++n % PROGRESS_CHECK_PACKETS == 0) {
            long long now = mono_ns();
            if (show && now - last >= PROGRESS_PERIOD_NS) {
                progress(src, n, t0, false);
                last = now;
            }
            /* Commit at STORE_BATCH_ROWS rows (the store) or STORE_COMMIT_SECS,
             * whichever comes first: a kill loses at most that much. */
            if (now - last_commit >= STORE_COMMIT_SECS * 1000000000LL) {
                last_commit = now;
                if (store_commit(st, &e)) {
                    fprintf(stderr, "trapline: %s\n", e.msg);
                    failed = true;
                    break;
                }
            }
        }
    }
    if (!failed && !stop_requested() && rc < 0) {
        fprintf(stderr, "trapline: %s\n", e.msg);
        failed = true;
    }
    if (show)
        progress(src, n, t0, true);
    if (!failed && pipeline_finish(pl, &e)) {
        fprintf(stderr, "trapline: %s\n", e.msg);
        failed = true;
    }
    bool interrupted = stop_requested();
    if (interrupted) {
        char why[64];
        snprintf(why, sizeof why, "interrupted by signal %d", stop_signal());
        source_stop(src, why); /* closes open inputs, finishing their hashes */
    }
    bool all_ok = source_all_ok(src);
    for (size_t i = 0; !failed && i < source_input_count(src); i++) {
        if (store_input(st, run_id, i, source_input_get(src, i), true, &e)) {
            fprintf(stderr, "trapline: %s\n", e.msg);
            failed = true;
        }
    }
    const char *status = failed ? "failed" : (all_ok && !interrupted) ? "complete" : "partial";
    if (store_run_finish(st, run_id, cli_wall_us(), status, &e)) {
        fprintf(stderr, "trapline: %s\n", e.msg);
        failed = true;
    }
    run_open = false;
    if (!quiet) {
        struct pipeline_stats ps;
        pipeline_get_stats(pl, &ps);
        fprintf(stderr, "trapline: run %lld %s: %llu packets, %llu flows -> %s\n",
                (long long)run_id, status, (unsigned long long)ps.packets,
                (unsigned long long)ps.flows_written, db);
    }
    ret = failed ? EXIT_FAILURE_ : (strcmp(status, "complete") == 0 ? EXIT_COMPLETE : EXIT_PARTIAL);
out:
    if (run_open && st)
        store_run_finish(st, run_id, cli_wall_us(), "failed", NULL);
    pipeline_free(pl);
    store_close(st);
    source_free(src);
    sig_set_free(sigs);
    return ret;
}
