/* scope_cmd.c - `trapline scope check FILE...`: load and validate scope
 * files (issue 11) without running anything. */
#include "cli/scope_cmd.h"

#include <stdio.h>
#include <string.h>

#include "capture/rc.h"
#include "cli/cli.h"
#include "signatures/scope.h"

int cmd_scope(int argc, char **argv)
{
    if (argc < 3 || strcmp(argv[1], "check") != 0) {
        fprintf(stderr, "usage: trapline scope check FILE...\n");
        return EXIT_USAGE;
    }
    int bad = 0;
    for (int i = 2; i < argc; i++) {
        struct err e = {""};
        struct scope *s = scope_load_file(argv[i], &e);
        if (!s) {
            fprintf(stderr, "trapline: scope: %s\n", e.msg);
            bad++;
            continue;
        }
        char a[32], b[32], outs[96];
        scope_format_time(s->window.from_us, a);
        scope_format_time(s->window.to_us, b);
        scope_outputs_text(s->outputs, outs, sizeof outs);
        printf("%s: ok, case %s, %s %s, %zu targets, window [%s, %s), outputs %s, sha256 %s\n",
               argv[i], s->liid, s->authority_kind, s->reference, s->ntargets, a, b, outs,
               s->sha256_hex);
        scope_free(s);
    }
    return bad ? EXIT_FAILURE_ : EXIT_COMPLETE;
}
