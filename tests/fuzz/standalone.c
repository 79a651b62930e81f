/* standalone.c - replays fuzz corpora without libFuzzer (libpcap's
 * onefile.c idea): each argument is a file or a directory of files; every
 * file is copied into an exact-size heap buffer (so ASan sees overreads)
 * and handed to LLVMFuzzerTestOneInput.  Prints "N inputs replayed". */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int one(const char *path, unsigned *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "%s: cannot open\n", path);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc(len > 0 ? (size_t)len : 1);
    if (!buf || (len > 0 && fread(buf, 1, (size_t)len, f) != (size_t)len)) {
        fprintf(stderr, "%s: cannot read\n", path);
        free(buf);
        fclose(f);
        return 1;
    }
    fclose(f);
    LLVMFuzzerTestOneInput(buf, len > 0 ? (size_t)len : 0);
    free(buf);
    (*n)++;
    return 0;
}

int main(int argc, char **argv)
{
    unsigned n = 0;
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        struct stat sb;
        if (stat(argv[i], &sb) != 0) {
            fprintf(stderr, "%s: not found\n", argv[i]);
            return 1;
        }
        if (!S_ISDIR(sb.st_mode)) {
            rc |= one(argv[i], &n);
            continue;
        }
        struct dirent **list;
        int k = scandir(argv[i], &list, NULL, alphasort);
        for (int j = 0; j < k; j++) {
            if (list[j]->d_name[0] != '.') {
                char p[4096];
                snprintf(p, sizeof p, "%s/%s", argv[i], list[j]->d_name);
                rc |= one(p, &n);
            }
            free(list[j]);
        }
        free(list);
    }
    printf("%u inputs replayed\n", n);
    return rc;
}
