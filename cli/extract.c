/* extract.c - `trapline extract`: flow records back to their packets (report/extract.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "report/extract.h"
#include "report/scope.h"
#include "report/store.h"

/* --flow options accepted on one command line. */
#define EXTRACT_MAX_ARGS 4096

static const char usage_text[] =
    "usage: trapline extract [--db PATH] --flow RUN:ID [--flow RUN:ID]... -w OUT.pcap\n"
    "       trapline extract [--db PATH] --subject ADDR [--from UTC] [--to UTC]\n"
    "                        [--run N[,M]] -w OUT.pcap\n"
    "  --flow RUN:ID   a flow record (run_id and id columns of the flows table)\n"
    "  --subject ADDR  every flow to or from this address, within [--from, --to)\n"
    "  --run           only flows of these runs\n"
    "  -w FILE         pcap file to write (mode 0600), as tcpdump -w\n"
    "The run's original inputs are read again after their size and SHA-256 are checked\n"
    "against the run (a changed or missing file is refused with the reason); exactly the\n"
    "selected flows' packets are written.\n";

static bool parse_flow(const char *arg, int64_t *run, int64_t *id)
{
    char *end;
    long long r = strtoll(arg, &end, 10);
    if (end == arg || *end != ':' || r < 1)
        return false;
    const char *p = end + 1;
    long long f = strtoll(p, &end, 10);
    if (end == p || *end || f < 1)
        return false;
    *run = r;
    *id = f;
    return true;
}

int cmd_extract(int argc, char **argv)
{
    const char *db = CLI_DEFAULT_DB, *out = NULL;
    static int64_t run_ids[EXTRACT_MAX_ARGS], flow_ids[EXTRACT_MAX_ARGS];
    int64_t runs[SCOPE_MAX_RUNS];
    struct extract_sel sel = {.run_ids = run_ids, .flow_ids = flow_ids, .runs = runs};
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},   {"flow", required_argument, NULL, 'F'},
        {"subject", required_argument, NULL, 's'}, {"from", required_argument, NULL, 'a'},
        {"to", required_argument, NULL, 'b'},   {"run", required_argument, NULL, 'R'},
        {"write", required_argument, NULL, 'w'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:w:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'w': out = optarg; break;
        case 's': sel.subject = optarg; break;
        case 'F':
            if (sel.n_flows == EXTRACT_MAX_ARGS ||
                !parse_flow(optarg, &run_ids[sel.n_flows], &flow_ids[sel.n_flows])) {
                fprintf(stderr, "trapline extract: --flow: '%s' is not RUN:ID\n", optarg);
                return EXIT_USAGE;
            }
            sel.n_flows++;
            break;
        case 'a':
        case 'b':
            if (!cli_parse_time(optarg, c == 'a' ? &sel.from_us : &sel.to_us)) {
                fprintf(stderr, "trapline extract: bad UTC time '%s'\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'R':
            if (!cli_parse_runs("extract", optarg, runs, SCOPE_MAX_RUNS, &sel.n_runs))
                return EXIT_USAGE;
            break;
        case 'h': fputs(usage_text, stdout); return EXIT_COMPLETE;
        default: fputs(usage_text, stderr); return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "trapline extract: unexpected argument '%s'\n", argv[optind]);
        return EXIT_USAGE;
    }
    if (!out || (!sel.n_flows == !sel.subject)) {
        fprintf(stderr, "trapline extract: give -w OUT and either --flow or --subject\n%s",
                usage_text);
        return EXIT_USAGE;
    }
    struct err e = {""};
    struct store *st = store_open(db, true, &e);
    if (!st) {
        fprintf(stderr, "trapline extract: %s\n", e.msg);
        return EXIT_FAILURE_;
    }
    struct extract_stats xs;
    int rc = extract_write(st, &sel, out, &xs, &e);
    store_close(st);
    if (rc) {
        fprintf(stderr, "trapline extract: %s\n", e.msg);
        return rc == RC_USAGE ? EXIT_USAGE : EXIT_FAILURE_;
    }
    fprintf(stderr, "trapline extract: %llu packets of %llu flows from %llu inputs -> %s\n",
            (unsigned long long)xs.packets, (unsigned long long)xs.flows,
            (unsigned long long)xs.inputs_read, out);
    return EXIT_COMPLETE;
}
