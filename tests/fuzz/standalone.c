/* standalone.c - replays fuzz corpora without libFuzzer (libpcap's
 * testprogs/fuzz/onefile.c idea), so `make check` runs every corpus under gcc
 * and the sanitizers.
 *
 * usage: fuzz_<name> PATH...   (a directory means each regular file in it,
 * in name order).  Each file is copied into a heap buffer of exactly its size,
 * so ASan catches any read past the input (ndpiReader's trick), then handed to
 * LLVMFuzzerTestOneInput.  Prints "N files replayed"; exits 1 when a path
 * cannot be read.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define STANDALONE_MAX_FILE (64u << 20)
#define STANDALONE_MAX_ENTRIES 100000

static int replay_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        perror(path);
        return -1;
    }
    struct stat st;
    if (fstat(fileno(fp), &st) != 0 || st.st_size < 0 || st.st_size > STANDALONE_MAX_FILE) {
        fprintf(stderr, "%s: unreadable or larger than %u bytes\n", path, STANDALONE_MAX_FILE);
        fclose(fp);
        return -1;
    }
    size_t n = (size_t)st.st_size;
    uint8_t *buf = malloc(n ? n : 1);
    if (!buf || fread(buf, 1, n, fp) != n) {
        fprintf(stderr, "%s: read failed\n", path);
        free(buf);
        fclose(fp);
        return -1;
    }
    fclose(fp);
    if (n == 0) {
        /* An empty input: a zero-size allocation so a read of data[0] faults. */
        free(buf);
        buf = malloc(0);
    }
    LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays the regular files of dir in name order; returns files replayed or -1. */
static long replay_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        perror(dir);
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    long done = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL && n < STANDALONE_MAX_ENTRIES) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn) {
                done = -1;
                goto out;
            }
            names = nn;
        }
        size_t len = strlen(dir) + strlen(de->d_name) + 2;
        names[n] = malloc(len);
        if (!names[n]) {
            done = -1;
            goto out;
        }
        snprintf(names[n], len, "%s/%s", dir, de->d_name);
        n++;
    }
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (stat(names[i], &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (replay_file(names[i]) != 0) {
            done = -1;
            goto out;
        }
        done++;
    }
out:
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    closedir(d);
    return done;
}

int main(int argc, char **argv)
{
    long total = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR|FILE...\n", argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        struct stat st;
        long n;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
            n = replay_dir(argv[i]);
        else
            n = replay_file(argv[i]) == 0 ? 1 : -1;
        if (n < 0)
            return 1;
        total += n;
    }
    printf("%ld files replayed\n", total);
    return 0;
}
