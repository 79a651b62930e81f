/* fuzz_sig_load.c - the signature loader on arbitrary file contents: the input
 * is written to a temporary file and loaded; any outcome but a crash, a leak
 * or an unterminated error message is a bug. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "signatures/sig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    snprintf(path, sizeof path, "/tmp/fuzz_sig_load.%ld.yaml", (long)getpid());
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return 0;
    if (size && fwrite(data, 1, size, fp) != size) {
        fclose(fp);
        unlink(path);
        return 0;
    }
    fclose(fp);
    const char *p = path;
    struct err e;
    memset(&e, 0, sizeof e);
    struct sig_set *s = sig_load_paths(&p, 1, &e);
    if (s) {
        for (size_t i = 0; i < s->nrules; i++)
            if (s->rules[i].service >= s->nservices)
                abort();
        sig_set_free(s);
    } else if (memchr(e.msg, 0, sizeof e.msg) == NULL) {
        abort();
    }
    unlink(path);
    return 0;
}
