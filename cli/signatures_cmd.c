/* signatures_cmd.c - `trapline signatures check FILE...`. */
#include "cli/signatures_cmd.h"

#include <stdio.h>
#include <string.h>

#include "classify/classify.h"
#include "cli/cli.h"
#include "signatures/sig.h"

int cmd_signatures(int argc, char **argv)
{
    if (argc < 3 || strcmp(argv[1], "check") != 0) {
        fprintf(stderr, "usage: trapline signatures check FILE...\n");
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
