/* analyze.c - `trapline analyze`: pcap/pcapng files -> database. */
#include "cli/analyze.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "capture/flow_table.h"
#include "capture/hasher.h"
#include "capture/source.h"
#include "capture/stop.h"
#include "classify/binding.h"
#include "cli/cli.h"
#include "cli/run.h"

/* Progress redraw period and how often (in packets) the clock is looked at. */
#define PROGRESS_PERIOD_NS 500000000LL
#define PROGRESS_CHECK_PACKETS 4096

static void usage(FILE *out)
{
    fprintf(out,
            "usage: trapline analyze [--db PATH|URL] [--probe NAME] [--spool PATH]\n"
            "                        [-r FILE]... [-f FILTER] [--force]\n"
            "                        [--signatures PATH] [--max-flows N] [--max-bindings N]\n"
            "                        [--burst-gap SECS]"
            " [--threads N] [-q] [INPUT...]\n"
            "                        [--scope FILE] [--operator NAME] [--sign-key PEM]\n"
            "  INPUT       pcap or pcapng files (also gzip-compressed: .pcap.gz, .pcapng.gz),\n"
            "              or directories (searched recursively for *.pcap, *.pcapng, *.cap\n"
            "              and their .gz forms); '-' reads standard input.  All inputs are\n"
            "              merged in time order\n"
            "  -r FILE     an input, as tcpdump -r (repeatable; same as a positional INPUT)\n"
            "  -f, --bpf FILTER   only packets matching this pcap-filter(7) expression,\n"
            "              compiled for each input's link type; a bad one is a usage error\n"
            "  --force     read inputs already analysed completely into this database\n"
            "              (by default they are skipped, so no capture is counted twice)\n"
            "  --db PATH   database to write (default " CLI_DEFAULT_DB ")\n"
            CLI_DB_USAGE
            "  --signatures PATH  signature file or directory (default %s)\n"
            "  --max-flows N      flow table capacity (default 262144)\n"
            "  --max-bindings N   subscriber sessions (PDN, RADIUS, Diameter, IMS) held for\n"
            "                     attribution (default 4096); when full, ended ones leave\n"
            "                     first, and under --scope the targets' ones last\n"
            "  --burst-gap SECS   idle gap that ends an OTT activity burst (default 1)\n"
            "  --threads N        1: write the database, hash the inputs and read back\n"
            "                     the run-end digest on the packet thread; 2 (default):\n"
            "                     with writer, hashing and digest helper threads (same\n"
            "                     rows and digest; env TRAPLINE_THREADS=1 = 1)\n"
                        "  --home-net CIDR[,CIDR...]  the user's own networks (repeatable), stored with the\n"
            "                     run: reports take their addresses as local endpoints\n"
            "  -q, --quiet        no progress line and no summary\n" RUN_AUDIT_USAGE,
            cli_default_signatures());
}

/* Skips every pending input that an earlier run in db analysed completely
 * (same size, then same SHA-256, hashed only when the size matches). */
static int skip_analysed(struct sink *sk, struct source *src, bool quiet, struct err *e)
{
    for (size_t i = 0; i < source_input_count(src); i++) {
        const struct source_input *in = source_input_get(src, i);
        int64_t prev = 0;
        if (in->status != INPUT_PENDING || in->is_stdin)
            continue;
        int rc = sink_find_input(sk, in->size, NULL, &prev, e);
        if (rc <= 0) {
            if (rc < 0)
                return rc;
            continue;
        }
        if (!source_prehash(src, i))
            continue;
        char hex[65];
        for (int k = 0; k < 32; k++)
            snprintf(hex + 2 * k, 3, "%02x", in->sha256[k]);
        rc = sink_find_input(sk, in->size, hex, &prev, e);
        if (rc < 0)
            return rc;
        if (rc == 0)
            continue;
        char why[160];
        snprintf(why, sizeof why,
                 "already analysed completely in run %lld (same SHA-256): skipped; --force "
                 "reads it again",
                 (long long)prev);
        if (!quiet)
            fprintf(stderr, "trapline analyze: %s: %s\n", in->path, why);
        source_skip(src, i, why);
    }
    return 0;
}

static void warn_input(const struct source_input *in, void *user)
{
    (void)user;
    fprintf(stderr, "trapline analyze: warning: %s: %s (%s)\n", in->path, in->detail,
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

/* Feeds every packet of src to the run's pipeline until the inputs end, a
 * stop is requested or an error fails the run; draws the progress line. */
static void feed(struct cli_run *run, struct source *src, bool quiet)
{
    struct err e = {""};
    bool show = !quiet && isatty(STDERR_FILENO);
    long long t0 = mono_ns(), last = t0;
    cli_run_tick(run, t0);
    uint64_t n = 0;
    struct source_packet pkt;
    int rc = 0;
    while (!stop_requested() && (rc = source_next(src, &pkt, &e)) == 1) {
        if (cli_run_fail(run, pipeline_packet(run->pl, &pkt, &e), &e))
            break;
        if (++n % PROGRESS_CHECK_PACKETS == 0) {
            long long now = mono_ns();
            if (show && now - last >= PROGRESS_PERIOD_NS) {
                progress(src, n, t0, false);
                last = now;
            }
            /* Commit at the sink's row bound or CLI_RUN_COMMIT_SECS, whichever
             * comes first: a kill loses at most that much. */
            if (!cli_run_tick(run, now))
                break;
        }
    }
    if (!run->failed && !stop_requested() && rc < 0)
        cli_run_fail(run, rc, &e);
    if (show)
        progress(src, n, t0, true);
}

int cmd_analyze(int argc, char **argv)
{
    const char *db = CLI_DEFAULT_DB, *sigpath = NULL;
    bool quiet = false;
    unsigned long max_flows = 0, max_bindings = 0;
    uint64_t burst_gap_us = 0;
    const char *filter = NULL;
    bool force = false;
    struct run_audit ra = {0};
    unsigned long threads = 0;
    char home[CLI_HOME_NET_MAX] = "";
    static const struct option opts[] = {
        RUN_AUDIT_OPTIONS,
        {"threads", required_argument, NULL, 'T'},
        {"burst-gap", required_argument, NULL, 'g'},
        {"home-net", required_argument, NULL, 'H'},
        {"db", required_argument, NULL, 'd'},
        {"signatures", required_argument, NULL, 's'},
        {"max-flows", required_argument, NULL, 'm'},
        {"max-bindings", required_argument, NULL, CLI_OPT_MAX_BINDINGS},
        {"bpf", required_argument, NULL, 'f'},
        {"read", required_argument, NULL, 'r'},
        {"force", no_argument, NULL, 'F'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"probe", required_argument, NULL, CLI_OPT_PROBE},
        {"spool", required_argument, NULL, CLI_OPT_SPOOL},
        {"spool-max", required_argument, NULL, CLI_OPT_SPOOL_MAX},
        {NULL, 0, NULL, 0},
    };
    struct cli_db_opts dbo = {0};
    /* -r FILE and positional inputs, in the order given. */
    const char **inputs = calloc((size_t)argc + 1, sizeof *inputs);
    size_t ninputs = 0;
    if (!inputs) {
        fprintf(stderr, "trapline analyze: out of memory\n");
        return EXIT_FAILURE_;
    }
    int c;
    optind = 1;
    /* '-' leading the optstring: positional inputs come back as 1, in order. */
    while ((c = getopt_long(argc, argv, "-d:s:m:g:r:f:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'T':
            if (!cli_parse_num("analyze", "--threads", optarg, 1, 2, &threads)) {
                free(inputs);
                return EXIT_USAGE;
            }
            break;
        case 1:
        case 'r': inputs[ninputs++] = optarg; break;
        case 'd': db = optarg; break;
        case 's': sigpath = optarg; break;
        case 'f': filter = optarg; break;
        case 'F': force = true; break;
        case 'q': quiet = true; break;
        case 'm':
            if (!cli_parse_num("analyze", "--max-flows", optarg, 1, FLOW_MAX_CAPACITY,
                               &max_flows)) {
                free(inputs);
                return EXIT_USAGE;
            }
            break;
        case CLI_OPT_MAX_BINDINGS:
            if (!cli_parse_num("analyze", "--max-bindings", optarg, 1, BINDING_TABLE_LIMIT,
                               &max_bindings)) {
                free(inputs);
                return EXIT_USAGE;
            }
            break;
        case 'g': {
            /* seconds, decimals allowed; bounded to keep bursts meaningful */
            char *end;
            double secs = strtod(optarg, &end);
            if (*end || end == optarg || !(secs >= 0.001 && secs <= 3600.0)) {
                fprintf(stderr,
                        "trapline analyze: --burst-gap: '%s' is not 0.001..3600 seconds\n",
                        optarg);
                free(inputs);
                return EXIT_USAGE;
            }
            burst_gap_us = (uint64_t)(secs * 1e6 + 0.5);
            break;
        }
        case 'H':
            if (!cli_home_net("analyze", home, sizeof home, optarg)) {
                free(inputs);
                return EXIT_USAGE;
            }
            break;
        case 'h': usage(stdout); free(inputs); return EXIT_COMPLETE;
        case CLI_OPT_PROBE:
        case CLI_OPT_SPOOL:
        case CLI_OPT_SPOOL_MAX:
            if (cli_db_option("analyze", c, optarg, &dbo) < 0) {
                free(inputs);
                return EXIT_USAGE;
            }
            break;
        default:
            if (run_audit_option(&ra, c, optarg))
                break;
            usage(stderr);
            free(inputs);
            return EXIT_USAGE;
        }
    }
    if (ninputs == 0) {
        fprintf(stderr, "trapline analyze: no input given\n");
        usage(stderr);
        free(inputs);
        return EXIT_USAGE;
    }
    /* Every input missing: nothing to analyse, a usage error, and no empty
     * run in the database (README, exit codes; issue 17). */
    size_t missing = 0;
    for (size_t i = 0; i < ninputs; i++) {
        struct stat sb;
        if (strcmp(inputs[i], "-") != 0 && stat(inputs[i], &sb) != 0 && errno == ENOENT) {
            fprintf(stderr, "trapline analyze: %s: no such file or directory\n", inputs[i]);
            missing++;
        }
    }
    if (missing == ninputs) {
        fprintf(stderr, "trapline analyze: no input found\n");
        free(inputs);
        return EXIT_USAGE;
    }
    struct err fe = {""};
    if (filter && source_filter_check(filter, &fe)) {
        fprintf(stderr, "trapline analyze: %s\n", fe.msg);
        free(inputs);
        return EXIT_USAGE;
    }

    int ret = EXIT_FAILURE_;
    struct err e = {""};
    struct sig_set *sigs = NULL;
    struct source *src = NULL;
    struct cli_run run = {.audit = &ra};
    struct hasher *hasher = NULL;
    run.threads = (unsigned)threads;
    run.home_net = home;

    if (!run_audit_prepare(&ra))
        goto out;
    sigs = cli_load_signatures(sigpath);
    if (!sigs)
        goto out;
    const struct pipeline_config pc = {.sigs = sigs,
                                       .flow_capacity = (uint32_t)max_flows,
                                       .binding_capacity = (uint32_t)max_bindings,
                                       .burst_gap_us = burst_gap_us,
                                       .suci_keys = ra.suci,
                                       .scope = ra.filter};
    if (!cli_run_pipeline(&run, &pc))
        goto out;
    src = source_open_files_filtered(inputs, ninputs, filter, warn_input, NULL, &e);
    if (!src) {
        fprintf(stderr, "trapline analyze: %s\n", e.msg);
        ret = EXIT_USAGE;
        goto out;
    }
    dbo.quiet = quiet;
    run.dbo = dbo;
    if (!cli_run_open(&run, db, "analyze", argc + 1, argv - 1, sigs))
        goto out;
    /* With two threads the inputs' SHA-256 runs on a helper thread too
     * (issue 12); without one it stays on this thread, with the same digest. */
    if (run.threads > 1) {
        struct err he = {""};
        hasher = hasher_new(&he);
        if (hasher)
            source_set_hasher(src, hasher);
        else if (!quiet)
            fprintf(stderr, "trapline analyze: %s; hashing on the packet thread\n", he.msg);
    }
    if (!force && skip_analysed(run.sink, src, quiet, &e)) {
        fprintf(stderr, "trapline analyze: %s\n", e.msg);
        goto out;
    }
    /* Inputs are recorded before any is read ('reading' until the end), so a
     * killed run still says what it was reading. */
    if (!cli_run_open_inputs(&run, src))
        goto out;
    if (stop_install()) {
        fprintf(stderr, "trapline analyze: cannot install signal handlers\n");
        goto out;
    }

    feed(&run, src, quiet);
    cli_run_flush(&run);
    bool interrupted = stop_requested();
    if (interrupted) {
        char why[64];
        snprintf(why, sizeof why, "interrupted by signal %d", stop_signal());
        source_stop(src, why); /* closes open inputs, finishing their hashes */
    }
    for (size_t i = 0; i < source_input_count(src); i++)
        cli_run_input(&run, i, source_input_get(src, i));
    ret = cli_run_end(&run, !source_all_ok(src) || interrupted);
    if (!quiet) {
        struct pipeline_stats ps;
        pipeline_get_stats(run.pl, &ps);
        fprintf(stderr, "trapline analyze: run %lld %s: %llu packets, %llu flows -> %s\n",
                (long long)run.run_id, run.status, (unsigned long long)ps.packets,
                (unsigned long long)ps.flows_written, run.db_label);
    }
out:
    cli_run_close(&run);
    source_free(src);
    hasher_free(hasher);
    sig_set_free(sigs);
    free(inputs);
    return ret;
}
