/* main.c - trapline's command line: dispatch to subcommands. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "classify/classify.h"
#include "cli/cli.h"
#include "cli/version.h"
#include "report/audit.h"
#include "report/store.h"

#ifndef TRAPLINE_SIGDIR
#define TRAPLINE_SIGDIR "signatures"
#endif

static void usage(FILE *out)
{
    fprintf(out,
            "trapline %s - pen-register-style traffic metadata analysis\n"
            "\n"
            "usage:\n"
            "  trapline analyze [--db PATH] [--signatures PATH] [--max-flows N] [--burst-gap S]\n"
            "                   [-q] INPUT...\n"
            "  trapline live -i IFACE [--bpf FILTER] [--db PATH] [--duration S] ...\n"
            "  trapline report [--db PATH] [--format text|csv|json|jsonl|linkchart|html] [-o OUT]\n"
            "                  [--subject ID]... [--from UTC] [--to UTC] [--service S] [--class C]\n"
            "  trapline signatures check FILE...\n"
            "  trapline signatures audit [--signatures PATH] DB...\n"
            "  trapline --help | --version\n"
            "\n"
            "Records metadata only (who, when, which service, how much), never content.\n"
            "\n"
            "exit codes:\n"
            "  0  complete   every input read to its end\n"
            "  1  failure    nothing usable produced (database, signatures, I/O error)\n"
            "  2  usage      bad arguments or no input found\n"
            "  3  partial    results written, but an input was refused, unreadable or cut\n"
            "                short, or the run was interrupted\n",
            TRAPLINE_VERSION);
}

uint64_t cli_wall_us(void)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec;
}

char *cli_command_line(int argc, char **argv)
{
    size_t n = 1;
    for (int i = 0; i < argc; i++)
        n += strlen(argv[i]) * 4 + 3;
    char *s = malloc(n), *p = s;
    if (!s)
        return NULL;
    for (int i = 0; i < argc; i++) {
        bool quote = argv[i][0] == '\0' || strpbrk(argv[i], " \t\"'\\$`") != NULL;
        if (i)
            *p++ = ' ';
        if (quote)
            *p++ = '\'';
        for (const char *c = argv[i]; *c; c++) {
            if (*c == '\'' && quote) {
                memcpy(p, "'\\''", 4);
                p += 4;
            } else {
                *p++ = *c;
            }
        }
        if (quote)
            *p++ = '\'';
    }
    *p = '\0';
    return s;
}

bool cli_parse_num(const char *cmd, const char *opt, const char *arg, unsigned long lo,
                   unsigned long hi, unsigned long *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(arg, &end, 10);
    if (errno || end == arg || *end || arg[0] == '-' || v < lo || v > hi) {
        fprintf(stderr, "trapline %s: %s: '%s' is not %lu..%lu\n", cmd, opt, arg, lo, hi);
        return false;
    }
    *out = v;
    return true;
}

const char *cli_default_signatures(void)
{
    const char *env = getenv("TRAPLINE_SIGNATURES");
    return env && *env ? env : TRAPLINE_SIGDIR;
}

struct store *cli_begin_run(const char *db, const char *mode, int argc, char **argv,
                            const struct sig_set *sigs, int64_t *run_id)
{
    struct err e = {""};
    struct store *st = store_open(db, false, &e);
    if (!st) {
        fprintf(stderr, "trapline: %s\n", e.msg);
        return NULL;
    }
    char *cmdline = cli_command_line(argc, argv);
    char fallback[32];
    snprintf(fallback, sizeof fallback, "trapline %s", mode);
    struct store_run_info ri = {
        .started_us = cli_wall_us(),
        .mode = mode,
        .tool_version = TRAPLINE_VERSION,
        .command_line = cmdline ? cmdline : fallback,
        .signature_sha256 = sigs->sha256_hex,
        .ndpi_version = classify_ndpi_version(),
    };
    int rc = store_run_begin(st, &ri, run_id, &e);
    free(cmdline);
    if (rc) {
        fprintf(stderr, "trapline: %s\n", e.msg);
        store_close(st);
        return NULL;
    }
    return st;
}

struct sig_set *cli_load_signatures(const char *path)
{
    struct err e = {""};
    const char *p = path ? path : cli_default_signatures();
    struct sig_set *s = sig_load_paths(&p, 1, &e);
    if (!s) {
        fprintf(stderr, "trapline: signatures: %s\n", e.msg);
        return NULL;
    }
    /* Validate nDPI names too: a classifier build is the full check. */
    struct classifier *c = classify_new(s, NULL, &e);
    if (!c) {
        fprintf(stderr, "trapline: signatures: %s\n", e.msg);
        sig_set_free(s);
        return NULL;
    }
    classify_free(c);
    return s;
}

/* trapline signatures audit [--signatures PATH] DB...: per-rule decisions
 * (report/audit.h) over the flows of each database. */
static int signatures_audit(int argc, char **argv)
{
    const char *sigpath = NULL;
    int i = 2;
    if (i + 1 < argc && strcmp(argv[i], "--signatures") == 0) {
        sigpath = argv[i + 1];
        i += 2;
    }
    if (i >= argc) {
        fprintf(stderr, "usage: trapline signatures audit [--signatures PATH] DB...\n");
        return EXIT_USAGE;
    }
    struct sig_set *s = cli_load_signatures(sigpath);
    if (!s)
        return EXIT_FAILURE_;
    struct err e;
    struct audit *a = audit_new(s, &e);
    int bad = 0;
    if (!a) {
        fprintf(stderr, "trapline: signatures audit: %s\n", e.msg);
        sig_set_free(s);
        return EXIT_FAILURE_;
    }
    for (; i < argc; i++)
        if (audit_add_db(a, argv[i], &e)) {
            fprintf(stderr, "trapline: signatures audit: %s\n", e.msg);
            bad++;
        }
    audit_print(a, stdout);
    audit_free(a);
    sig_set_free(s);
    return bad ? EXIT_PARTIAL : EXIT_COMPLETE;
}

int cmd_signatures(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "audit") == 0)
        return signatures_audit(argc, argv);
    if (argc < 3 || strcmp(argv[1], "check") != 0) {
        fprintf(stderr, "usage: trapline signatures check FILE...\n"
                        "       trapline signatures audit [--signatures PATH] DB...\n");
        return EXIT_USAGE;
    }
    int bad = 0;
    for (int i = 2; i < argc; i++) {
        struct sig_set *s = cli_load_signatures(argv[i]);
        if (!s) {
            bad++;
            continue;
        }
        size_t by_kind[SIG_RULE_KIND_COUNT] = {0};
        for (size_t r = 0; r < s->nrules; r++)
            by_kind[s->rules[r].kind]++;
        printf("%s: ok, %zu services, %zu rules (", argv[i], s->nservices, s->nrules);
        for (int k = 0; k < SIG_RULE_KIND_COUNT; k++)
            printf("%s%s %zu", k ? ", " : "", sig_rule_kind_name((enum sig_rule_kind)k),
                   by_kind[k]);
        printf("), sha256 %s\n", s->sha256_hex);
        sig_set_free(s);
    }
    return bad ? EXIT_FAILURE_ : EXIT_COMPLETE;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return EXIT_COMPLETE;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("trapline %s (nDPI %s)\n", TRAPLINE_VERSION, classify_ndpi_version());
        return EXIT_COMPLETE;
    }
    if (strcmp(cmd, "analyze") == 0)
        return cmd_analyze(argc - 1, argv + 1);
    if (strcmp(cmd, "live") == 0)
        return cmd_live(argc - 1, argv + 1);
    if (strcmp(cmd, "report") == 0)
        return cmd_report(argc - 1, argv + 1);
    if (strcmp(cmd, "signatures") == 0)
        return cmd_signatures(argc - 1, argv + 1);
    fprintf(stderr, "trapline: unknown command '%s'\n", cmd);
    usage(stderr);
    return EXIT_USAGE;
}
