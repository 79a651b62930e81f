/* cli.c - helpers shared by the subcommands (see cli.h). */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#ifndef TRAPLINE_SIGDIR
#define TRAPLINE_SIGDIR "signatures"
#endif

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

struct sig_set *cli_load_signatures(const char *path)
{
    struct err e = {""};
    const char *p = path ? path : cli_default_signatures();
    struct sig_set *s = sig_load_paths(&p, 1, &e);
    if (!s) {
        fprintf(stderr, "trapline: signatures: %s\n", e.msg);
        return NULL;
    }
    return s;
}
