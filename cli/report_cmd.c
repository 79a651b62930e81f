/* report_cmd.c - `trapline report`: options, output files, format dispatch.
 *
 * The database is opened read-only (store_open(path, true)), so a report can
 * be produced while a live run writes to it (WAL).  Output files are created
 * with mode 0600: a report is as sensitive as the database.
 */
#include "cli/report_cmd.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <getopt.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "cli/cli.h"
#include "cli/run_audit.h"
#include "cli/version.h"
#include "report/outfile.h"
#include "report/report_csv.h"
#include "report/report_html.h"
#include "report/report_json.h"
#include "report/report_linkchart.h"
#include "report/report_model.h"
#include "report/report_live.h"
#include "report/report_text.h"
#include "report/scope.h"
#include "report/pg_audit.h"
#include "report/pg_mirror.h"
#include "report/sink_pg.h"
#include "report/store.h"
#include "report/svg_graph.h"
#include "report/svg_heatmap.h"
#include "report/svg_timeline.h"
#include "report/svg_util.h"
#include "report/timearg.h"

static const char usage_text[] =
    "usage: trapline report [--db PATH|URL]\n"
    "                       [--format text|csv|json|jsonl|linkchart|html|svg]\n"
    "                       [-o FILE|DIR] [--table NAME] [--subject ID]... [--from UTC]\n"
    "                       [--to UTC] [--service NAME] [--class CLASS] [--run N[,M...]]\n"
    "                       [--detail] [--width N]\n"
    "  --db         SQLite file, or postgresql://... / bare 'postgresql:' (PG* variables):\n"
    "               the runs in scope are read from the server into memory\n"
    "  --format     text (default), csv, json, jsonl, linkchart (nodes/edges CSV), html,\n"
    "               svg (charts as standalone files: needs -o DIR)\n"
    "  -o           output file; for csv and linkchart without --table, a directory\n"
    "               receiving one NAME.csv per record kind; for svg a directory receiving\n"
    "               timeline-N.svg and heatmap-N.svg per subject (N = its summary line)\n"
    "               and graph.svg\n"
    "  --detail     text: every inferred burst instead of one line per flow\n"
    "  --width      text: wrap at N columns (default: the terminal's width, unlimited\n"
    "               when not a terminal); wider tables become one block per row\n"
    "  --table      csv/linkchart: write only this record kind (e.g. sms_contacts, flows,\n"
    "               nodes, edges)\n"
    "  --subject    an IMSI, an MSISDN in any notation, an IMEI or an address\n"
    "               (repeatable)\n"
    "  --from/--to  UTC time, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS[.ffffff][Z]; [from, to)\n"
    "  --home-net   CIDR[,CIDR...] the user's own networks (repeatable): their addresses,\n"
    "               and always private/CGNAT/ULA/link-local ones, are local endpoints\n"
    "               and may be subjects; remote relays and peers never are\n"
    "  --service    only this service / SMS protocol; --class the flow class of OTT\n"
    "               sections (default ott-messaging)\n"
    "  --run        only these runs (comma-separated ids, repeatable).  By default every\n"
    "               run is covered (the Runs section lists them), and a flow whose capture\n"
    "               a later run analysed again (analyze --force) is counted once\n"
    "The generation time printed is SOURCE_DATE_EPOCH when set, else the clock.\n"
    "-o writes a temporary file and renames it (mode 0600, never through a symlink).\n"
    "Exit code 3: a run in the database was interrupted (its process died); every\n"
    "format warns at its top.\n";

/* The --from/--to syntax of report and extract (report/timearg.c, fuzzed). */
bool cli_parse_time(const char *s, long long *us) { return timearg_parse(s, us); }

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

/* Files written by one export, for the audit log (issue 11).  A csv or
 * linkchart directory holds one file per record kind. */
#define REPORT_EXPORTS_MAX 32

struct exports {
    size_t n;
    struct {
        char path[1024];
        char sha256[65];
        size_t bytes;
    } f[REPORT_EXPORTS_MAX];
};

/* Prints size and SHA-256 of a written output file to stderr, so the
 * export can be recorded in a custody log (DOMAIN.md §4.2 item 6), and
 * remembers it in x for the audit log. */
static void print_digest(const char *path, struct exports *x)
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
    if (x->n < REPORT_EXPORTS_MAX && mdlen == 32) {
        snprintf(x->f[x->n].path, sizeof x->f[x->n].path, "%s", path);
        for (unsigned int i = 0; i < 32; i++)
            snprintf(x->f[x->n].sha256 + 2 * i, 3, "%02x", md[i]);
        x->f[x->n].bytes = total;
        x->n++;
    }
}

/* The detail of one report-export row. */
static void export_detail(struct audit_detail *d, const char *format, const char *filter,
                          const struct exports *x, size_t i)
{
    audit_detail_init(d);
    audit_detail_add(d, "format", format);
    audit_detail_add(d, "filter", filter);
    audit_detail_add(d, "path", x->f[i].path);
    audit_detail_add(d, "sha256", x->f[i].sha256);
    audit_detail_add_u64(d, "bytes", x->f[i].bytes);
}

/* log_exports on a PostgreSQL store: on the chain of this host (the probe
 * name a run here gets by default, pg_audit.h), when the store has an audit
 * log. */
static void log_exports_pg(const char *conninfo, const char *format, const char *filter,
                           const struct exports *x)
{
    if (!pg_audit_has_rows(conninfo))
        return;
    char op[AUDIT_TEXT_MAX], host[256] = "";
    if (gethostname(host, sizeof host - 1) != 0 || !host[0])
        snprintf(host, sizeof host, "probe");
    run_audit_operator(NULL, op, sizeof op);
    for (size_t i = 0; i < x->n; i++) {
        struct audit_detail d;
        struct err e = {""};
        export_detail(&d, format, filter, x, i);
        if (run_audit_log_pg(conninfo, host, op, "report-export", 0, &d, &e)) {
            fprintf(stderr, "trapline report: note: export not recorded in the audit log (%s)\n",
                    e.msg);
            break;
        }
    }
}

/* Appends one report-export row per file written to the audit log of an
 * audited database (one whose audit_log has rows; a database without one
 * has nothing to extend).  A failure is reported, not fatal: the export
 * itself was written. */
static void log_exports(const char *db, const char *format, const char *filter,
                        const struct exports *x)
{
    struct err e = {""};
    if (x->n && sink_pg_is_url(db)) {
        log_exports_pg(sink_pg_conninfo(db), format, filter, x);
        return;
    }
    struct store *s = x->n ? store_open(db, true, &e) : NULL;
    bool audited = false;
    if (s) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(store_db(s), "SELECT 1 FROM audit_log LIMIT 1", -1, &st, NULL) ==
            SQLITE_OK) {
            audited = sqlite3_step(st) == SQLITE_ROW;
            sqlite3_finalize(st);
        }
        store_close(s);
    }
    if (!audited)
        return;
    struct store *w = access(db, W_OK) == 0 ? store_open(db, false, &e) : NULL;
    if (!w) {
        fprintf(stderr, "trapline report: note: export not recorded in the audit log (%s)\n",
                e.msg[0] ? e.msg : "database not writable");
        return;
    }
    char op[AUDIT_TEXT_MAX];
    run_audit_operator(NULL, op, sizeof op);
    for (size_t i = 0; i < x->n; i++) {
        struct audit_detail d;
        export_detail(&d, format, filter, x, i);
        if (run_audit_log(w, op, "report-export", 0, &d, &e)) {
            fprintf(stderr, "trapline report: note: export not recorded in the audit log (%s)\n",
                    e.msg);
            break;
        }
    }
    store_close(w);
}

/* Digests of every NAME.csv written into dir. */
static void print_dir_digests(const struct report_model *m, const char *dir, bool link,
                              struct exports *x)
{
    char names[2048], path[4096];
    report_csv_names(m, link, names, sizeof names);
    char *save = NULL;
    for (char *t = strtok_r(names, ", ", &save); t; t = strtok_r(NULL, ", ", &save))
        if ((size_t)snprintf(path, sizeof path, "%s/%s.csv", dir, t) < sizeof path)
            print_digest(path, x);
}

enum fmt { FMT_TEXT, FMT_CSV, FMT_JSON, FMT_JSONL, FMT_LINK, FMT_HTML, FMT_SVG };

/* Charts drawn into one file of dir (mode 0600), its digest printed. */
typedef bool (*chart_fn)(FILE *out, const struct report_model *m, const struct svg_palette *p,
                         const char *subject);

static bool chart_timeline(FILE *out, const struct report_model *m, const struct svg_palette *p,
                           const char *subject)
{
    return svg_timeline(out, m, p, subject, true);
}

static bool chart_heatmap(FILE *out, const struct report_model *m, const struct svg_palette *p,
                          const char *subject)
{
    (void)p;
    return svg_heatmap(out, m, subject, true);
}

static bool chart_graph(FILE *out, const struct report_model *m, const struct svg_palette *p,
                        const char *subject)
{
    (void)p;
    (void)subject;
    return svg_graph(out, m, true);
}

static int write_chart(const char *dir, const char *name, chart_fn fn,
                       const struct report_model *m, const struct svg_palette *p,
                       const char *subject, struct exports *x, struct err *e)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
        return err_set(e, RC_IO, "%s: path too long", dir);
    /* Written whole or not at all, 0600, never through a symlink. */
    struct outfile *of = outfile_open(path, e);
    if (!of)
        return RC_IO;
    if (!fn(outfile_fp(of), m, p, subject)) {
        /* nothing to draw: no file left behind (nor an older chart) */
        outfile_abort(of);
        unlink(path);
        return 0;
    }
    int rc = outfile_commit(of, e);
    if (!rc)
        print_digest(path, x);
    return rc;
}

/* --format svg -o DIR.  Subjects are numbered as on the summary page; their
 * names never become file names (they come from the wire). */
static int render_svg(const struct report_model *m, const char *dir, struct exports *x,
                      struct err *e)
{
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return err_set(e, RC_IO, "%s: cannot create directory: %s", dir, strerror(errno));
    struct svg_palette pal;
    svg_palette_build(m, &pal);
    const struct rt_table *subj = &m->t[RM_SUBJECTS];
    int rc = 0;
    for (size_t r = 0; r < subj->nrows && !rc; r++) {
        const char *s = rt_at(subj, r, 0)->s ? rt_at(subj, r, 0)->s : "";
        char name[64];
        snprintf(name, sizeof name, "timeline-%zu.svg", r + 1);
        rc = write_chart(dir, name, chart_timeline, m, &pal, s, x, e);
        snprintf(name, sizeof name, "heatmap-%zu.svg", r + 1);
        if (!rc)
            rc = write_chart(dir, name, chart_heatmap, m, &pal, s, x, e);
    }
    if (!rc)
        rc = write_chart(dir, "graph.svg", chart_graph, m, &pal, NULL, x, e);
    return rc;
}

static int render(struct store *s, const struct report_model *m, enum fmt fmt,
                  const char *table, const char *outpath, const struct report_text_opts *to,
                  struct exports *x, struct err *e)
{
    bool link = fmt == FMT_LINK;
    if (fmt == FMT_SVG) {
        if (!outpath)
            return err_set(e, RC_USAGE, "--format svg needs -o DIRECTORY");
        return render_svg(m, outpath, x, e);
    }
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
            print_dir_digests(m, outpath, link, x);
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
        rc = report_text_with(m, out, to, e);
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
            print_digest(outpath, x);
    }
    return rc;
}

int cmd_report(int argc, char **argv)
{
    const char *db = CLI_DEFAULT_DB, *outpath = NULL, *table = NULL;
    enum fmt fmt = FMT_TEXT;
    struct rm_filter f = {0};
    int64_t runs[SCOPE_MAX_RUNS];
    size_t nruns = 0;
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},      {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},  {"table", required_argument, NULL, 't'},
        {"subject", required_argument, NULL, 's'}, {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},      {"service", required_argument, NULL, 'S'},
        {"class", required_argument, NULL, 'C'},   {"help", no_argument, NULL, 'h'},
        {"run", required_argument, NULL, 'R'},
        {"detail", no_argument, NULL, 'D'},        {"width", required_argument, NULL, 'W'},
        {"home-net", required_argument, NULL, 'H'},
        {NULL, 0, NULL, 0},
    };
    char home[CLI_HOME_NET_MAX] = "";
    static const char *const fmts[] = {"text", "csv", "json", "jsonl", "linkchart", "html", "svg"};
    const size_t nfmts = sizeof fmts / sizeof fmts[0];
    struct report_text_opts topt = {false, 0};
    bool width_set = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:f:o:t:s:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'o': outpath = optarg; break;
        case 't': table = optarg; break;
        case 'S': f.service = optarg; break;
        case 'H':
            if (!cli_home_net("report", home, sizeof home, optarg))
                return EXIT_USAGE;
            f.home_net = home;
            break;
        case 'C': f.klass = optarg; break;
        case 'f': {
            size_t i = 0;
            while (i < nfmts && strcmp(optarg, fmts[i]) != 0)
                i++;
            if (i == nfmts) {
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
            if (!cli_parse_time(optarg, c == 'F' ? &f.from_us : &f.to_us)) {
                fprintf(stderr, "trapline report: bad UTC time '%s'\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case 'R':
            if (!cli_parse_runs("report", optarg, runs, SCOPE_MAX_RUNS, &nruns))
                return EXIT_USAGE;
            break;
        case 'D': topt.detail = true; break;
        case 'W': {
            /* 40 columns is the narrowest that still holds a time stamp and a label. */
            unsigned long v;
            if (!cli_parse_num("report", "--width", optarg, 40, 10000, &v))
                return EXIT_USAGE;
            topt.width = (size_t)v;
            width_set = true;
            break;
        }
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
    if (!width_set && fmt == FMT_TEXT && !outpath && isatty(STDOUT_FILENO)) {
        struct winsize ws;
        if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
            topt.width = ws.ws_col;
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
    struct store *s = sink_pg_is_url(db) ? pg_mirror_open(sink_pg_conninfo(db), runs, nruns, &e)
                                         : open_db(db, &e);
    if (!s) {
        fprintf(stderr, "trapline: %s\n", e.msg);
        return EXIT_FAILURE_;
    }
    if (report_scope(s, runs, nruns, &e)) {
        fprintf(stderr, "trapline report: %s\n", e.msg);
        store_close(s);
        return EXIT_USAGE;
    }
    struct report_model *m = report_model_build(s, &f, gen, TRAPLINE_VERSION, &e);
    struct exports *x = calloc(1, sizeof *x);
    int rc = !x ? err_set(&e, RC_NOMEM, "out of memory")
             : m ? render(s, m, fmt, table, outpath, &topt, x, &e)
                 : RC_SQL;
    if (rc)
        fprintf(stderr, "trapline report: %s\n", e.msg);
    /* Interrupted runs: the warning heads every format, and is repeated here
     * with exit code 3 (partial), which the CSV formats rely on. */
    bool warned = false;
    char filt[512] = "";
    if (m) {
        char warn[RM_WARNING_MAX];
        report_model_warning(m, warn, sizeof warn);
        if (*warn) {
            fprintf(stderr, "trapline report: %s\n", warn);
            warned = true;
        }
        report_model_filter_text(m, filt, sizeof filt);
    }
    report_model_free(m);
    store_close(s);
    if (!rc)
        log_exports(db, fmts[fmt], filt, x);
    free(x);
    return rc == RC_USAGE ? EXIT_USAGE : rc ? EXIT_FAILURE_ : warned ? EXIT_PARTIAL : EXIT_COMPLETE;
}
