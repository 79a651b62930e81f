/* main.c - trapline's command line: dispatch to subcommands. */
#include <stdio.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "classify/classify.h"
#include "cli/analyze.h"
#include "cli/cli.h"
#include "cli/live.h"
#include "cli/report_cmd.h"
#include "cli/scope_cmd.h"
#include "cli/signatures_cmd.h"
#include "cli/verify.h"
#include "cli/version.h"
#include "report/store.h"

static void usage(FILE *out)
{
    fprintf(out,
            "trapline %s - pen-register-style traffic metadata analysis\n"
            "\n"
            "usage:\n"
            "  trapline analyze [--db PATH] [-r FILE]... [-f FILTER] [--force] [--signatures PATH]\n"
            "                   [--max-flows N] [--max-bindings N] [--burst-gap S] [--threads N] [-q]\n"
            "                   [INPUT...] ('-' = stdin) [--scope FILE] [--operator NAME]\n"
            "                   [--sign-key PEM]\n"
            "  trapline live -i IFACE [-f|--bpf FILTER] [--db PATH] [--duration S] ...\n"
            "  trapline report [--db PATH] [--format text|csv|json|jsonl|linkchart|html] [-o OUT]\n"
            "                  [--subject ID]... [--from UTC] [--to UTC] [--service S] [--class C]\n"
            "                  [--run N[,M]]\n"
            "  trapline extract [--db PATH] (--flow RUN:ID... | --subject ADDR [--from UTC]\n"
            "                   [--to UTC]) -w OUT.pcap\n"
            "  trapline infer [--db PATH] [--window S] [--p-max P] [--shifts K] ...\n"
            "  trapline signatures check FILE...\n"
            "  trapline signatures audit [--signatures PATH] DB...\n"
            "  trapline scope check FILE...\n"
            "  trapline verify --db DB [--pubkey PEM] [INPUT...]\n"
            "  trapline COMMAND --help;  trapline --help | -V | --version\n"
            "\n"
            "Records metadata only (who, when, which service, how much), never content.\n"
            "\n"
            "exit codes:\n"
            "  0  complete   every input read to its end\n"
            "  1  failure    nothing usable produced (database, signatures, I/O error)\n"
            "  2  usage      bad arguments or no input found\n"
            "  3  partial    results written, but an input was refused, unreadable or cut\n"
            "                short, or the run was interrupted\n"
            "  4  verify     (verify only) a check failed; the first broken link is named\n",
            TRAPLINE_VERSION);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    store_global_init(); /* before any database opens; failing only costs speed */
#ifdef __GLIBC__
    /* Two malloc arenas, not glibc's default of eight per core: the packet
     * thread keeps the main one and the helper threads (writer, run-end
     * index build) share the other, so the index build's sort does not open
     * a third heap at the run's end (issue 12: peak RSS 127 -> 122 MiB on
     * the bench capture; one arena made the threads wait on its lock). */
    mallopt(M_ARENA_MAX, 2);
#endif
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return EXIT_COMPLETE;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0 || strcmp(cmd, "version") == 0) {
        printf("trapline %s (nDPI %s)\n", TRAPLINE_VERSION, classify_ndpi_version());
        return EXIT_COMPLETE;
    }
    if (strcmp(cmd, "analyze") == 0)
        return cmd_analyze(argc - 1, argv + 1);
    if (strcmp(cmd, "live") == 0)
        return cmd_live(argc - 1, argv + 1);
    if (strcmp(cmd, "report") == 0)
        return cmd_report(argc - 1, argv + 1);
    if (strcmp(cmd, "infer") == 0)
        return cmd_infer(argc - 1, argv + 1);
    if (strcmp(cmd, "signatures") == 0)
        return cmd_signatures(argc - 1, argv + 1);
    if (strcmp(cmd, "scope") == 0)
        return cmd_scope(argc - 1, argv + 1);
    if (strcmp(cmd, "verify") == 0)
        return cmd_verify(argc - 1, argv + 1);
    if (strcmp(cmd, "extract") == 0)
        return cmd_extract(argc - 1, argv + 1);
    fprintf(stderr, "trapline: unknown command '%s'\n", cmd);
    usage(stderr);
    return EXIT_USAGE;
}
