/* test_outfile.c - report output files written whole or not at all
 * (report/outfile.c; issue 17 items 4 and 9). */
#include "report/outfile.h"

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/harness.h"

static char tmpdir[64];

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static int same(const char *path, const char *text)
{
    char buf[256] = "";
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return strcmp(buf, text) == 0;
}

/* Files in tmpdir whose name starts with '.' (temporaries). */
static int temporaries(void)
{
    DIR *d = opendir(tmpdir);
    int n = 0;
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL)
        n += de->d_name[0] == '.' && strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
    if (d)
        closedir(d);
    return n;
}

TEST(write_replace_mode)
{
    char p[128];
    snprintf(p, sizeof p, "%s/r.txt", tmpdir);
    put(p, "old");
    chmod(p, 0644);
    struct err e = {""};
    struct outfile *o = outfile_open(p, &e);
    CHECK(o != NULL);
    if (!o)
        return;
    fputs("new", outfile_fp(o));
    CHECK(same(p, "old")); /* nothing visible until the commit */
    CHECK_EQ_INT(outfile_commit(o, &e), 0);
    CHECK(same(p, "new"));
    struct stat st;
    CHECK(stat(p, &st) == 0 && (st.st_mode & 07777) == 0600);
    CHECK_EQ_INT(temporaries(), 0);
}

TEST(symlink_replaced_not_followed)
{
    char victim[128], p[128];
    snprintf(victim, sizeof victim, "%s/victim", tmpdir);
    snprintf(p, sizeof p, "%s/link.txt", tmpdir);
    put(victim, "precious");
    CHECK(symlink(victim, p) == 0);
    struct err e = {""};
    struct outfile *o = outfile_open(p, &e);
    CHECK(o != NULL);
    if (!o)
        return;
    fputs("report", outfile_fp(o));
    CHECK_EQ_INT(outfile_commit(o, &e), 0);
    CHECK(same(victim, "precious"));
    struct stat st;
    CHECK(lstat(p, &st) == 0 && S_ISREG(st.st_mode));
}

TEST(abort_leaves_previous)
{
    char p[128];
    snprintf(p, sizeof p, "%s/a.txt", tmpdir);
    put(p, "previous");
    struct err e = {""};
    struct outfile *o = outfile_open(p, &e);
    CHECK(o != NULL);
    fputs("half a rep", outfile_fp(o));
    outfile_abort(o);
    outfile_abort(NULL);
    CHECK(same(p, "previous"));
    CHECK_EQ_INT(temporaries(), 0);
}

/* A write that runs out of room (RLIMIT_FSIZE stands in for a full disk:
 * the write fails with EFBIG as it would with ENOSPC) leaves the previous
 * file whole and no temporary. */
TEST(no_room_leaves_previous)
{
    char p[128];
    snprintf(p, sizeof p, "%s/full.txt", tmpdir);
    put(p, "previous");
    struct rlimit old, lim = {4096, 4096};
    getrlimit(RLIMIT_FSIZE, &old);
    lim.rlim_max = old.rlim_max;
    signal(SIGXFSZ, SIG_IGN);
    CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0);
    struct err e = {""};
    struct outfile *o = outfile_open(p, &e);
    CHECK(o != NULL);
    if (o) {
        for (int i = 0; i < 2000; i++)
            fputs("0123456789", outfile_fp(o));
        CHECK_EQ_INT(outfile_commit(o, &e), RC_IO);
        CHECK(strstr(e.msg, p) != NULL);
    }
    setrlimit(RLIMIT_FSIZE, &old);
    CHECK(same(p, "previous"));
    CHECK_EQ_INT(temporaries(), 0);
}

TEST(bad_destination)
{
    struct err e = {""};
    CHECK(outfile_open("/nonexistent-dir/x.txt", &e) == NULL);
    CHECK(strstr(e.msg, "/nonexistent-dir/x.txt") != NULL);
    CHECK(outfile_open("", &e) == NULL);
}

int main(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/trapline-out-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    RUN(write_replace_mode);
    RUN(symlink_replaced_not_followed);
    RUN(abort_leaves_previous);
    RUN(no_room_leaves_previous);
    RUN(bad_destination);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    return harness_done();
}
