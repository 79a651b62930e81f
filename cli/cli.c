/* cli.c - helpers shared by the subcommands (see cli.h). */
#include "cli/cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "report/localnet.h"

/* The catalog of an installed binary: PREFIX/bin/trapline finds
 * PREFIX/share/trapline/signatures, wherever PREFIX is (DESTDIR staging,
 * /usr/local, /opt/x).  TRAPLINE_SIGDIR (the source tree's signatures/) is
 * used only by a binary running from the build directory TRAPLINE_BUILD_DIR,
 * so an installed binary never depends on the build tree's absolute path. */
#define CLI_SHARE_REL "/../share/trapline/signatures"
#define CLI_PATH_MAX 4096

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

bool cli_parse_runs(const char *cmd, const char *arg, int64_t *runs, size_t max, size_t *n)
{
    const char *p = arg;
    for (;;) {
        char *end;
        errno = 0;
        long long v = strtoll(p, &end, 10);
        if (errno || end == p || v < 1 || (*end && *end != ',')) {
            fprintf(stderr, "trapline %s: --run: '%s' is not a list of run ids\n", cmd, arg);
            return false;
        }
        if (*n == max) {
            fprintf(stderr, "trapline %s: --run: more than %zu runs\n", cmd, max);
            return false;
        }
        runs[(*n)++] = v;
        if (!*end)
            return true;
        p = end + 1;
    }
}

/* Writes the default catalog location for the binary at exe into out. */
static void locate_signatures(char *out, size_t n)
{
    char exe[CLI_PATH_MAX];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k <= 0) {
        snprintf(out, n, "signatures");
        return;
    }
    exe[k] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
#if defined(TRAPLINE_SIGDIR) && defined(TRAPLINE_BUILD_DIR)
    if (strcmp(exe, TRAPLINE_BUILD_DIR) == 0) {
        snprintf(out, n, "%s", TRAPLINE_SIGDIR);
        return;
    }
#endif
    /* A path too long for out is cut, and then simply not found. */
    size_t el = strlen(exe);
    if (el + sizeof CLI_SHARE_REL > n)
        el = n - sizeof CLI_SHARE_REL;
    memcpy(out, exe, el);
    memcpy(out + el, CLI_SHARE_REL, sizeof CLI_SHARE_REL);
}

const char *cli_default_signatures(void)
{
    const char *env = getenv("TRAPLINE_SIGNATURES");
    if (env && *env)
        return env;
    /* Computed once per process from /proc/self/exe, which does not change
     * while it runs: a cache, not state. */
    static char path[CLI_PATH_MAX];
    if (!path[0])
        locate_signatures(path, sizeof path);
    return path;
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

bool cli_home_net(const char *cmd, char *list, size_t n, const char *arg)
{
    struct localnet ln = {0};
    struct err e = {""};
    if (localnet_add(&ln, arg, &e)) {
        fprintf(stderr, "trapline %s: %s\n", cmd, e.msg);
        return false;
    }
    size_t k = strlen(list);
    int w = snprintf(list + k, n - k, "%s%s", k ? "," : "", arg);
    if (w < 0 || (size_t)w >= n - k) {
        list[k] = '\0';
        fprintf(stderr, "trapline %s: --home-net: too many networks\n", cmd);
        return false;
    }
    return true;
}
