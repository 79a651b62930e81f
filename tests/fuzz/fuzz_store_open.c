/* fuzz_store_open.c - the store opening an existing hostile database file:
 * the input is written as the database file, opened for writing (migration,
 * stale-run sweep, a run recorded and finished) and read-only (a report
 * model built and rendered as text).  Every failure must be an error
 * return, never a crash.  Byte 0: bit 0 replaces the first 16 bytes with
 * SQLite's magic ("SQLite format 3\0") so more inputs reach the b-tree code.
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/report_model.h"
#include "report/report_text.h"
#include "report/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64], db[128];

static void clean(void)
{
    static const char *const sfx[] = {"", "-wal", "-shm", "-journal", STORE_LOCK_SUFFIX};
    char p[160];
    for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
        snprintf(p, sizeof p, "%s%s", db, sfx[i]);
        unlink(p);
    }
}

/* Removes the scratch directory at exit (replays run under make check). */
static void remove_dir(void)
{
    clean();
    rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/fuzz_store-XXXXXX");
        if (!mkdtemp(dir))
            abort();
        snprintf(db, sizeof db, "%s/h.db", dir);
        atexit(remove_dir);
    }
    if (size < 1)
        return 0;
    clean();
    FILE *fp = fopen(db, "wb");
    if (!fp)
        return 0;
    if ((data[0] & 1) && size > 16) {
        fwrite("SQLite format 3", 1, 16, fp);
        fwrite(data + 17, 1, size - 17, fp);
    } else {
        fwrite(data + 1, 1, size - 1, fp);
    }
    fclose(fp);
    struct err e;
    struct store *s = store_open(db, false, &e);
    if (s) {
        struct store_run_info ri = {.started_us = 1, .mode = "analyze", .tool_version = "f",
                                    .command_line = "f", .signature_sha256 = "0",
                                    .ndpi_version = "4.2"};
        int64_t run = 0;
        if (store_run_begin(s, &ri, &run, &e) == 0)
            store_run_finish(s, run, 2, "complete", &e);
        store_close(s);
    }
    s = store_open(db, true, &e);
    if (s) {
        struct rm_filter f = {0};
        struct report_model *m = report_model_build(s, &f, 0, "fuzz", &e);
        FILE *out = fopen("/dev/null", "w");
        if (m && out)
            report_text(m, out, &e);
        if (out)
            fclose(out);
        report_model_free(m);
        store_close(s);
    }
    return 0;
}
