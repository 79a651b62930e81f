/* fuzz_report.c - the report renderers and identity grouping fed a hostile
 * database: a freshly migrated database (every table of report/schema.c)
 * gets rows built from the input in every table, then is opened read-only
 * and reported in every format (text, json, jsonl, html, linkchart, each csv
 * table, live capture statistics) to /dev/null.
 *
 * The tables and columns are read from the database itself, so tables added
 * by later migrations are fuzzed too.  Input layout: byte 0 = filter flags
 * (bit 0 a time window, bit 1 a service, bit 2 a class, bit 3 a subject),
 * then for each value a tag byte (0 NULL, 1 small int, 2 int64, 3 text,
 * 4 real, else a copy of an earlier text) and its bytes; rows are inserted
 * round-robin over the tables with INSERT OR IGNORE, so rows the CHECK and
 * NOT NULL constraints refuse are skipped and the rest land.
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report/report_csv.h"
#include "report/report_html.h"
#include "report/report_json.h"
#include "report/report_linkchart.h"
#include "report/report_live.h"
#include "report/report_model.h"
#include "report/report_text.h"
#include "report/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MAX_ROWS 200
#define FUZZ_MAX_TABLES 32
#define FUZZ_MAX_COLS 40
#define FUZZ_TEXT_MAX 300

static char dir[64], tmpl[128], work[160];
static uint8_t *tmpl_buf;
static size_t tmpl_len;

struct tab {
    char name[64];
    int ncols;
};
static struct tab tabs[FUZZ_MAX_TABLES];
static int ntabs;

/* Removes the scratch directory at exit (replays run under make check). */
static void remove_dir(void)
{
    static const char *const sfx[] = {"", "-wal", "-shm", "-journal", STORE_LOCK_SUFFIX};
    char p[200];
    for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
        snprintf(p, sizeof p, "%s%s", tmpl, sfx[i]);
        unlink(p);
        snprintf(p, sizeof p, "%s%s", work, sfx[i]);
        unlink(p);
    }
    rmdir(dir);
}

static void init_once(void)
{
    if (tmpl_buf)
        return;
    snprintf(dir, sizeof dir, "/tmp/fuzz_report-XXXXXX");
    if (!mkdtemp(dir))
        abort();
    atexit(remove_dir);
    snprintf(tmpl, sizeof tmpl, "%s/t.db", dir);
    snprintf(work, sizeof work, "%s/w.db", dir);
    struct err e;
    struct store *s = store_open(tmpl, false, &e);
    if (!s)
        abort();
    sqlite3_stmt *st;
    sqlite3 *db = store_db(s);
    if (sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
                           -1, &st, NULL) != SQLITE_OK)
        abort();
    while (sqlite3_step(st) == SQLITE_ROW && ntabs < FUZZ_MAX_TABLES)
        snprintf(tabs[ntabs++].name, sizeof tabs[0].name, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    for (int i = 0; i < ntabs; i++) {
        char q[256];
        snprintf(q, sizeof q, "SELECT COUNT(*) FROM pragma_table_info('%.60s')", tabs[i].name);
        if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW)
            abort();
        tabs[i].ncols = sqlite3_column_int(st, 0);
        if (tabs[i].ncols > FUZZ_MAX_COLS)
            tabs[i].ncols = FUZZ_MAX_COLS;
        sqlite3_finalize(st);
    }
    store_close(s);
    /* The template (migrated, checkpointed, journal_mode WAL in its header). */
    FILE *fp = fopen(tmpl, "rb");
    if (!fp || fseek(fp, 0, SEEK_END) != 0)
        abort();
    tmpl_len = (size_t)ftell(fp);
    rewind(fp);
    tmpl_buf = malloc(tmpl_len);
    if (!tmpl_buf || fread(tmpl_buf, 1, tmpl_len, fp) != tmpl_len)
        abort();
    fclose(fp);
}

struct in {
    const uint8_t *p;
    size_t n, off;
};

static uint8_t u8(struct in *in) { return in->off < in->n ? in->p[in->off++] : 0; }

static void bind_value(sqlite3_stmt *st, int i, struct in *in)
{
    uint8_t tag = u8(in);
    switch (tag % 6) {
    case 0: sqlite3_bind_null(st, i); break;
    case 1: sqlite3_bind_int(st, i, (int8_t)u8(in)); break;
    case 2: {
        uint64_t v = 0;
        for (int k = 0; k < 8; k++)
            v = v << 8 | u8(in);
        sqlite3_bind_int64(st, i, (sqlite3_int64)v);
        break;
    }
    case 3: {
        size_t len = u8(in) % FUZZ_TEXT_MAX;
        if (len > in->n - in->off)
            len = in->n - in->off;
        sqlite3_bind_text(st, i, (const char *)in->p + in->off, (int)len, SQLITE_TRANSIENT);
        in->off += len;
        break;
    }
    case 4: {
        int64_t v = (int8_t)u8(in);
        sqlite3_bind_double(st, i, (double)v / 3.0);
        break;
    }
    default: {
        /* Plausible values, so joins and filters meet. */
        static const char *const words[] = {"sip:+15551230001@ims.example;user=phone",
                                            "+15551230001", "tel:+1-555-123-0001",
                                            "15551230001", "192.0.2.1", "ott-messaging",
                                            "WhatsApp", "mo", "mt", "smpp", "c2s", "complete",
                                            "running", "interrupted", "", "\x01\xff<script>"};
        sqlite3_bind_text(st, i, words[u8(in) % 16], -1, SQLITE_STATIC);
        break;
    }
    }
}

static void render(struct store *s, const struct report_model *m)
{
    FILE *out = fopen("/dev/null", "w");
    if (!out)
        return;
    struct err e;
    report_text(m, out, &e);
    report_live_capture_stats(s, out, &e);
    report_json(m, out, false, &e);
    report_json(m, out, true, &e);
    report_html(m, out, &e);
    report_linkchart(m, out, &e);
    for (int i = 0; i < RM_TAB_COUNT; i++)
        if (m->t[i].present)
            report_csv_table(&m->t[i], out, &e);
    char w[RM_WARNING_MAX];
    report_model_warning(m, w, sizeof w);
    if (memchr(w, 0, sizeof w) == NULL)
        abort();
    fclose(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    init_once();
    FILE *fp = fopen(work, "wb");
    if (!fp)
        return 0;
    fwrite(tmpl_buf, 1, tmpl_len, fp);
    fclose(fp);
    struct in in = {data, size, 0};
    uint8_t flags = u8(&in);
    sqlite3 *db;
    if (sqlite3_open(work, &db) != SQLITE_OK) {
        sqlite3_close(db);
        return 0;
    }
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    for (int row = 0; row < FUZZ_MAX_ROWS && in.off < in.n; row++) {
        const struct tab *t = &tabs[u8(&in) % ntabs];
        char sql[2048];
        size_t k = (size_t)snprintf(sql, sizeof sql, "INSERT OR IGNORE INTO \"%.60s\" VALUES (",
                                    t->name);
        for (int c = 0; c < t->ncols && k < sizeof sql; c++)
            k += (size_t)snprintf(sql + k, sizeof sql - k, c ? ",?" : "?");
        if (k + 2 >= sizeof sql)
            continue;
        snprintf(sql + k, sizeof sql - k, ")");
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
            continue;
        for (int c = 1; c <= t->ncols; c++)
            bind_value(st, c, &in);
        sqlite3_step(st);
        sqlite3_finalize(st);
    }
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    sqlite3_close(db);

    struct err e;
    struct store *s = store_open(work, true, &e);
    if (s) {
        struct rm_filter f = {0};
        if (flags & 1) {
            f.from_us = 1000000;
            f.to_us = (long long)1 << 52;
        }
        if (flags & 2)
            f.service = "WhatsApp";
        if (flags & 4)
            f.klass = "ott-messaging";
        if (flags & 8) {
            f.subjects[0] = "+1 (555) 123-0001";
            f.subjects[1] = "192.0.2.1";
            f.nsubjects = 2;
        }
        struct report_model *m = report_model_build(s, &f, 0, "fuzz", &e);
        if (m)
            render(s, m);
        report_model_free(m);
        store_close(s);
    }
    return 0;
}
