/* infer.c - `trapline infer`: inferred contact between subjects over a
 * database already written by analyze or live (report/infer_store.h).
 *
 * A separate command, not an analyze flag: the inference is a derived
 * analytic over every stored run (analyze and live alike), it needs its own
 * authorisation (the scope's inferred-contact output), its own parameters,
 * and it is rerun with other windows without reading the captures again.
 * Each invocation is a run (mode "infer") whose id scopes its rows.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify/classify.h"
#include "cli/cli.h"
#include "cli/run_audit.h"
#include "cli/version.h"
#include "report/infer_store.h"
#include "report/store.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: trapline infer [--db PATH] [--window S] [--p-max P] [--shifts K]\n"
            "                      [--delta MS] [--gamma BYTES] [--min-matched N]\n"
            "                      [--min-windows N]\n"
            "\n"
            "Infers contact between monitored subjects from the timing and size of their\n"
            "OTT activity bursts (message correlation) and from paired call flows, and\n"
            "writes the pairs whose empirical p-value is at most --p-max to the table\n"
            "inferred_contacts.  An inference, never a contact record: every report labels\n"
            "it [inferred].  Defaults: window 900 s, p-max 0.001, 999 circular shifts,\n"
            "delta 3000 ms, gamma 1250 bytes (or 10%%), min-matched 3, min-windows 1.\n"
            "Each row is one test of one pair in one window: over many subjects and\n"
            "windows, about p-max x (pair-windows tested) rows are expected by chance\n"
            "(printed at the end); --min-windows N keeps only pairs reported in N windows.\n");
}

static bool parse_p(const char *arg, double *out)
{
    char *end;
    double v = strtod(arg, &end);
    if (end == arg || *end || !(v > 0.0 && v <= 1.0)) {
        fprintf(stderr, "trapline infer: --p-max: '%s' is not in (0, 1]\n", arg);
        return false;
    }
    *out = v;
    return true;
}


/* The run-end audit row of an infer run; 0 or non-zero after a message. */
static int infer_run_end(struct store *st, const char *opname, int64_t run_id, const char *status)
{
    struct err e = {""};
    struct audit_detail d;
    audit_detail_init(&d);
    audit_detail_add(&d, "status", status);
    if (run_audit_add_counts(st, run_id, false, NULL, &d, &e) ||
        run_audit_log(st, opname, "run-end", run_id, &d, &e)) {
        fprintf(stderr, "trapline infer: audit log: %s\n", e.msg);
        return 1;
    }
    return 0;
}

int cmd_infer(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},       {"window", required_argument, NULL, 'w'},
        {"p-max", required_argument, NULL, 'p'},    {"shifts", required_argument, NULL, 'k'},
        {"delta", required_argument, NULL, 'D'},    {"gamma", required_argument, NULL, 'g'},
        {"min-matched", required_argument, NULL, 'm'}, {"min-windows", required_argument, NULL, 'W'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = CLI_DEFAULT_DB;
    struct ci_params p;
    ci_params_default(&p);
    unsigned long v, min_windows = 1;
    int o;
    optind = 1;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'd': db = optarg; break;
        case 'w':
            if (!cli_parse_num("infer", "--window", optarg, 61, 86400, &v))
                return EXIT_USAGE;
            p.window_us = (int64_t)v * 1000000;
            break;
        case 'p':
            if (!parse_p(optarg, &p.p_max))
                return EXIT_USAGE;
            break;
        case 'k':
            if (!cli_parse_num("infer", "--shifts", optarg, 1, CI_MAX_SHIFTS, &v))
                return EXIT_USAGE;
            p.shifts = (unsigned)v;
            break;
        case 'D':
            if (!cli_parse_num("infer", "--delta", optarg, 1, 30000, &v))
                return EXIT_USAGE;
            p.delta_us = (int64_t)v * 1000;
            break;
        case 'g':
            if (!cli_parse_num("infer", "--gamma", optarg, 0, 100000000, &v))
                return EXIT_USAGE;
            p.gamma_bytes = v;
            break;
        case 'm':
            if (!cli_parse_num("infer", "--min-matched", optarg, 1, 100000, &v))
                return EXIT_USAGE;
            p.min_matched = (unsigned)v;
            break;
        case 'W':
            if (!cli_parse_num("infer", "--min-windows", optarg, 1, 100000, &min_windows))
                return EXIT_USAGE;
            break;
        case 'h': usage(stdout); return EXIT_COMPLETE;
        default: usage(stderr); return EXIT_USAGE;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    struct err e = {""};
    struct store *st = store_open(db, false, &e);
    if (!st) {
        fprintf(stderr, "trapline infer: %s\n", e.msg);
        return EXIT_FAILURE_;
    }
    char *cmdline = cli_command_line(argc, argv);
    struct store_run_info ri = {
        .started_us = cli_wall_us(),
        .mode = "infer",
        .tool_version = TRAPLINE_VERSION,
        .command_line = cmdline ? cmdline : "trapline infer",
        .signature_sha256 = "",
        .ndpi_version = classify_ndpi_version(),
    };
    int64_t run_id = 0;
    int ret = EXIT_FAILURE_;
    if (store_run_begin(st, &ri, &run_id, &e)) {
        fprintf(stderr, "trapline infer: %s\n", e.msg);
        goto out;
    }
    /* The infer run is in the audit chain like an analyze run: run-start,
     * and a run-end with its record counts and digest (inferred_contacts,
     * run_stats), so that `trapline verify` sees an altered inferred row. */
    char opname[AUDIT_TEXT_MAX];
    run_audit_operator(NULL, opname, sizeof opname);
    struct audit_detail ad;
    audit_detail_init(&ad);
    audit_detail_add(&ad, "mode", "infer");
    audit_detail_add(&ad, "tool_version", TRAPLINE_VERSION);
    audit_detail_add(&ad, "command_line", ri.command_line);
    if (run_audit_log(st, opname, "run-start", run_id, &ad, &e)) {
        fprintf(stderr, "trapline infer: audit log: %s\n", e.msg);
        store_run_finish(st, run_id, cli_wall_us(), "failed", NULL);
        goto out;
    }
    /* The authorisation the analysed runs were made under (issue 11): with
     * a scope, inferred contact is written only when every scope allows the
     * inferred-contact output; research mode (no scope) labels it
     * [inferred] as always. */
    struct ci_scope scope;
    struct infer_stats is;
    int rc = infer_store_scope(st, &scope, &e);
    if (!rc && scope.present && !scope.inferred_contact)
        fprintf(stderr, "trapline infer: the runs' scope does not allow inferred-contact:"
                        " nothing is written\n");
    if (!rc)
        rc = infer_store_run(st, run_id, &scope, &p, (unsigned)min_windows, &is, &e);
    if (!rc) {
        store_run_stat(st, run_id, "infer_subjects", is.subjects, &e);
        store_run_stat(st, run_id, "infer_bursts", is.bursts, &e);
        store_run_stat(st, run_id, "infer_call_flows", is.calls, &e);
        store_run_stat(st, run_id, "infer_candidate_pairs", is.ci.candidates, &e);
        store_run_stat(st, run_id, "infer_tested_pairs", is.ci.tested, &e);
        store_run_stat(st, run_id, "infer_pair_windows", is.ci.pair_windows, &e);
        store_run_stat(st, run_id, "infer_candidates_cut", is.ci.candidates_cut, &e);
        store_run_stat(st, run_id, "infer_events_cut", is.ci.events_cut, &e);
        store_run_stat(st, run_id, "infer_message_pairs", is.message_pairs, &e);
        store_run_stat(st, run_id, "infer_call_pairs", is.call_pairs, &e);
    }
    if (rc || store_run_finish(st, run_id, cli_wall_us(), rc ? "failed" : "complete", &e)) {
        fprintf(stderr, "trapline infer: %s\n", e.msg);
        if (rc)
            store_run_finish(st, run_id, cli_wall_us(), "failed", NULL);
        infer_run_end(st, opname, run_id, "failed");
        goto out;
    }
    if (infer_run_end(st, opname, run_id, "complete"))
        goto out;
    fprintf(stderr,
            "trapline infer: run %lld: %llu subjects, %llu bursts, %llu call flows; %llu candidate"
            " pairs, %llu tested; %llu message-correlation and %llu call-pairing rows"
            " (inferred, not contact records); %llu pair-windows tested, so up to %.1f"
            " message rows of unrelated pairs are expected by chance at p-max %g\n",
            (long long)run_id, (unsigned long long)is.subjects, (unsigned long long)is.bursts,
            (unsigned long long)is.calls, (unsigned long long)is.ci.candidates,
            (unsigned long long)is.ci.tested, (unsigned long long)is.message_pairs,
            (unsigned long long)is.call_pairs, (unsigned long long)is.ci.pair_windows,
            p.p_max * (double)is.ci.pair_windows, p.p_max);
    ret = EXIT_COMPLETE;
out:
    free(cmdline);
    store_close(st);
    return ret;
}
