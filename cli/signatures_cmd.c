/* signatures_cmd.c - `trapline signatures check FILE...`. */
#include "cli/signatures_cmd.h"

#include <stdio.h>
#include <string.h>

#include "classify/classify.h"
#include "cli/cli.h"
#include "report/rule_audit.h"
#include "signatures/sig.h"

/* trapline signatures audit [--signatures PATH] DB...: per-rule decisions
 * (report/rule_audit.h) over the flows of each database. */
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
    struct rule_audit *a = rule_audit_new(s, &e);
    int bad = 0;
    if (!a) {
        fprintf(stderr, "trapline signatures audit: %s\n", e.msg);
        sig_set_free(s);
        return EXIT_FAILURE_;
    }
    for (; i < argc; i++)
        if (rule_audit_add_db(a, argv[i], &e)) {
            fprintf(stderr, "trapline signatures audit: %s\n", e.msg);
            bad++;
        }
    rule_audit_print(a, stdout);
    rule_audit_free(a);
    sig_set_free(s);
    return bad ? EXIT_PARTIAL : EXIT_COMPLETE;
}

int cmd_signatures(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "audit") == 0)
        return signatures_audit(argc, argv);
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
                      (argc >= 3 && strcmp(argv[2], "--help") == 0))) {
        printf("usage: trapline signatures check FILE...\n"
               "  loads and validates each signature file or directory and prints its\n"
               "  services, rules by kind and SHA-256\n");
        return EXIT_COMPLETE;
    }
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
        /* The nDPI protocol names: only nDPI knows them, so this one
         * command builds a classifier to check them (an analysis builds
         * its own, once, in the pipeline). */
        struct err e = {""};
        struct classifier *c = classify_new(s, NULL, &e);
        if (!c) {
            fprintf(stderr, "trapline: signatures: %s\n", e.msg);
            sig_set_free(s);
            bad++;
            continue;
        }
        classify_free(c);
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
