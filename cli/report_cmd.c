/* report_cmd.c - `trapline report`: options, output files, format dispatch.
 *
 * The database is opened read-only (store_open(path, true)), so a report can
 * be produced while a live run writes to it (WAL).  Output files are created
 * with mode 0600: a report is as sensitive as the database.
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <getopt.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/version.h"
#include "report/outfile.h"
#include "report/report_csv.h"
#include "report/report_html.h"
#include "report/report_json.h"
#include "report/report_linkchart.h"
#include "report/report_model.h"
#include "report/report_live.h"
#include "report/report_text.h"
#include "report/store.h"
#include "report/timearg.h"

static const char usage_text[] =
    "usage: trapline report [--db PATH] [--format text|csv|json|jsonl|linkchart|html]\n"
    "                       [-o FILE|DIR] [--table NAME] [--subject ID]... [--from UTC]\n"
    "                       [--to UTC] [--service NAME] [--class CLASS]\n"
    "  --format     text (default), csv, json, jsonl, linkchart (nodes/edges CSV), html\n"
    "  -o           output file; for csv and linkchart without --table, a directory\n"
    "               receiving one NAME.csv per record kind\n"
    "  --table      csv/linkchart: write only this record kind (e.g. sms_contacts, flows,\n"
    "               nodes, edges)\n"
    "  --subject    a subscriber number or client address (repeatable)\n"
    "  --from/--to  UTC time, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS[.ffffff][Z]; [from, to)\n"
    "  --service    only this service / SMS protocol; --class the flow class of OTT\n"
    "               sections (default ott-messaging)\n"
    "The generation time printed is SOURCE_DATE_EPOCH when set, else the clock.\n"
    "-o writes a temporary file and renames it (mode 0600, never through a symlink).\n"
    "Exit code 3: a run in the database was interrupted (its process died); every\n"
    "format warns at its top.\n";

/* A WAL database on read-only storage (an evidence copy) cannot get its
 * -shm file, so SQLite refuses it.  When no -wal file with content exists
 * the database file holds every committed row, and it is opened with the
 * "immutable" URI parameter (https://sqlite.org/uri.html).  With a -wal
 * file present the first error stands: the WAL may hold rows. */
static struct store *open_db(const char *db, struct err *e)
{
    struct store *s = store_open(db, true, e);
    if (s)
        return s;
    char wal[4096];
    struct stat st;
    if ((size_t)snprintf(wal, sizeof wal, "%s-wal", db) >= sizeof wal ||
        (stat(wal, &st) == 0 && st.st_size > 0) || access(db, R_OK) != 0)
        return NULL;
    char *uri = malloc(strlen(db) * 3 + 24), *p = uri;
    if (!uri)
        return NULL;
    p += sprintf(p, "file:");
    for (const unsigned char *c = (const unsigned char *)db; *c; c++) {
        if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
            strchr("/._-~", *c))
            *p++ = (char)*c;
        else
            p += sprintf(p, "%%%02X", *c);
    }
    strcpy(p, "?immutable=1");
    struct err e2 = {""};
    s = store_open(uri, true, &e2);
    free(uri);
    if (s)
        fprintf(stderr, "trapline report: note: %s opened immutable (read-only location,"
                        " no WAL file)\n", db);
    return s;
}

/* Prints size and SHA-256 of a written output file to stderr, so the
 * export can be recorded in a custody log (DOMAIN.md §4.2 item 6). */
static void print_digest(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char buf[65536], md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    size_t n, total = 0;
    bool ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;
    while (ok && (n = fread(buf, 1, sizeof buf, f)) > 0) {
        ok = EVP_DigestUpdate(ctx, buf, n) == 1;
        total += n;
    }
    ok = ok && !ferror(f) && EVP_DigestFinal_ex(ctx, md, &mdlen) == 1;
    fclose(f);
    EVP_MD_CTX_free(ctx);
    if (!ok)
        return;
    fprintf(stderr, "trapline report: wrote %s, %zu bytes, sha256 ", path, total);
    for (unsigned int i = 0; i < mdlen; i++)
        fprintf(stderr, "%02x", md[i]);
    fputc('\n', stderr);
}

/* Digests of every NAME.csv written into dir. */
static void print_dir_digests(const struct report_model *m, const char *dir, bool link)
{
    char names[2048], path[4096];
    report_csv_names(m, link, names, sizeof names);
    char *save = NULL;
    for (char *t = strtok_r(names, ", ", &save); t; t = strtok_r(NULL, ", ", &save))
        if ((size_t)snprintf(path, sizeof path, "%s/%s.csv", dir, t) < sizeof path)
            print_digest(path);
}

enum fmt { FMT_TEXT, FMT_CSV, FMT_JSON, FMT_JSONL, FMT_LINK, FMT_HTML };

static int render(struct store *s, const struct report_model *m, enum fmt fmt,
                  const char *table, const char *outpath, struct err *e)
{
    bool link = fmt == FMT_LINK;
    const struct rt_table *t = NULL;
    if ((fmt == FMT_CSV || link) && table) {
        if (!(t = report_csv_find(m, table, link))) {
            char names[1024];
            report_csv_names(m, link, names, sizeof names);
            return err_set(e, RC_USAGE, "--table %s: not a record kind here (%s)", table,
                           names);
        }
    } else if (fmt == FMT_CSV || (link && outpath)) {
        if (!outpath)
            return err_set(e, RC_USAGE, "--format csv needs --table NAME or -o DIRECTORY");
        int rc = report_csv_dir(m, outpath, link, e);
        if (!rc)
            print_dir_digests(m, outpath, link);
        return rc;
    }
    /* A file is written whole or not at all, 0600, never through a symlink
     * (report/outfile.h). */
    struct outfile *of = NULL;
    if (outpath && !(of = outfile_open(outpath, e)))
        return RC_IO;
    FILE *out = of ? outfile_fp(of) : stdout;
    int rc;
    switch (fmt) {
    case FMT_TEXT:
        rc = report_text(m, out, e);
        if (!rc) /* live runs: pcap_stats samples (nothing for analyze runs) */
            rc = report_live_capture_stats(s, out, e);
        break;
    case FMT_JSON: rc = report_json(m, out, false, e); break;
    case FMT_JSONL: rc = report_json(m, out, true, e); break;
    case FMT_HTML: rc = report_html(m, out, e); break;
    default: rc = t ? report_csv_table(t, out, e) : report_linkchart(m, out, e); break;
    }
    if (of) {
        if (rc)
            outfile_abort(of);
        else
            rc = outfile_commit(of, e);
        if (!rc)
            print_digest(outpath);
    }
    return rc;
}

int cmd_report(int argc, char **argv)
{
    const char *db = CLI_DEFAULT_DB, *outpath = NULL, *table = NULL;
    enum fmt fmt = FMT_TEXT;
    struct rm_filter f = {0};
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},      {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},  {"table", required_argument, NULL, 't'},
        {"subject", required_argument, NULL, 's'}, {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},      {"service", required_argument, NULL, 'S'},
        {"class", required_argument, NULL, 'C'},   {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    static const char *const fmts[] = {"text", "csv", "json", "jsonl", "linkchart", "html"};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:f:o:t:s:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'o': outpath = optarg; break;
        case 't': table = optarg; break;
        case 'S': f.service = optarg; break;
        case 'C': f.klass = optarg; break;
        case 'f': {
            size_t i = 0;
            while (i < 6 && strcmp(optarg, fmts[i]) != 0)
                i++;
            if (i == 6) {
                fprintf(stderr, "trapline report: unknown format '%s'\n%s", optarg, usage_text);
                return EXIT_USAGE;
            }
            fmt = (enum fmt)i;
            break;
        }
        case 's':
            if (f.nsubjects == RM_MAX_SUBJECTS) {
                fprintf(stderr, "trapline report: more than %d subjects\n", RM_MAX_SUBJECTS);
                return EXIT_USAGE;
            }
            f.subjects[f.nsubjects++] = optarg;
            break;
        case 'F':
        case 'T':
            if (!timearg_parse(optarg, c == 'F' ? &f.from_us : &f.to_us)) {
                fprintf(stderr, "trapline report: bad UTC time '%s'\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'h': fputs(usage_text, stdout); return EXIT_COMPLETE;
        default: fputs(usage_text, stderr); return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "trapline report: unexpected argument '%s'\n", argv[optind]);
        return EXIT_USAGE;
    }
    if (table && fmt != FMT_CSV && fmt != FMT_LINK) {
        fprintf(stderr, "trapline report: --table applies to csv and linkchart only\n");
        return EXIT_USAGE;
    }
    long long gen = (long long)cli_wall_us();
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        long long v = strtoll(sde, &end, 10);
        if (*end == '\0' && v >= 0)
            gen = v * 1000000;
    }
    struct err e = {""};
    struct store *s = open_db(db, &e);
    if (!s) {
        fprintf(stderr, "trapline: %s\n", e.msg);
        return EXIT_FAILURE_;
    }
    struct report_model *m = report_model_build(s, &f, gen, TRAPLINE_VERSION, &e);
    int rc = m ? render(s, m, fmt, table, outpath, &e) : RC_SQL;
    if (rc)
        fprintf(stderr, "trapline report: %s\n", e.msg);
    /* Interrupted runs: the warning heads every format, and is repeated here
     * with exit code 3 (partial), which the CSV formats rely on. */
    bool warned = false;
    if (m) {
        char warn[RM_WARNING_MAX];
        report_model_warning(m, warn, sizeof warn);
        if (*warn) {
            fprintf(stderr, "trapline report: %s\n", warn);
            warned = true;
        }
    }
    report_model_free(m);
    store_close(s);
    return rc == RC_USAGE ? EXIT_USAGE : rc ? EXIT_FAILURE_ : warned ? EXIT_PARTIAL : EXIT_COMPLETE;
}
