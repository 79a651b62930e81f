/* rule_audit.c - per-rule decision audit (see rule_audit.h). */
#include "report/rule_audit.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture/str.h"
#include "signatures/sig_query.h"

#define AUDIT_KEY_MAX 64

struct group {
    char key[AUDIT_KEY_MAX]; /* rule id, or "(method)" */
    int rule;                /* sig_set index, -1 for a method group */
    uint64_t flows, ott, ndpi_other, ndpi_uncat, rule_other;
    unsigned conf_min, conf_max;
};

struct rule_audit {
    const struct sig_set *sigs;
    char (*ids)[SIG_RULE_ID_MAX]; /* [nrules]: sig_rule_id of each rule */
    struct group *g;
    size_t ng;
    uint64_t flows, decided, dropped, dbs;
};

struct rule_audit *rule_audit_new(const struct sig_set *sigs, struct err *e)
{
    struct rule_audit *a = calloc(1, sizeof *a);
    if (a) {
        a->ids = calloc(sigs->nrules ? sigs->nrules : 1, sizeof *a->ids);
        a->g = calloc(RULE_AUDIT_MAX_GROUPS, sizeof *a->g);
    }
    if (!a || !a->ids || !a->g) {
        rule_audit_free(a);
        err_set(e, RC_NOMEM, "out of memory for the audit");
        return NULL;
    }
    a->sigs = sigs;
    for (size_t i = 0; i < sigs->nrules; i++)
        sig_rule_id(sigs, (int)i, a->ids[i]);
    return a;
}

void rule_audit_free(struct rule_audit *a)
{
    if (!a)
        return;
    free(a->ids);
    free(a->g);
    free(a);
}

static int rule_of(const struct rule_audit *a, const char *id)
{
    for (size_t i = 0; i < a->sigs->nrules; i++)
        if (strcmp(a->ids[i], id) == 0)
            return (int)i;
    return -1;
}

static struct group *group_of(struct rule_audit *a, const char *key, int rule)
{
    for (size_t i = 0; i < a->ng; i++)
        if (strcmp(a->g[i].key, key) == 0)
            return &a->g[i];
    if (a->ng == RULE_AUDIT_MAX_GROUPS)
        return NULL;
    struct group *g = &a->g[a->ng++];
    str_copy(g->key, sizeof g->key, key);
    g->rule = rule;
    g->conf_min = 100;
    return g;
}

/* The catalog service nDPI's label ("TLS.WhatsApp": its last part, else its
 * master) maps to through an ndpi rule: >= 0; -1 a transport or nothing;
 * -2 an application the catalog does not map. */
static int ndpi_service(const struct sig_set *s, const char *label)
{
    static const char *const transports[] = {"TLS", "QUIC", "HTTP", "STUN", "RTP", "RTCP",
                                             "SRTP", "DTLS", "DNS", "Unknown", "not-run", ""};
    /* a look-up of a messaging name is DNS, which agrees with "DNS" */
    if (strncmp(label, "DNS", 3) == 0 || strncmp(label, "MDNS", 4) == 0 ||
        strncmp(label, "LLMNR", 5) == 0)
        return -1;
    const char *app = strrchr(label, '.');
    app = app ? app + 1 : label;
    for (size_t i = 0; i < sizeof transports / sizeof transports[0]; i++)
        if (strcmp(app, transports[i]) == 0)
            return -1;
    for (size_t i = 0; i < s->nrules; i++)
        if (s->rules[i].kind == SIG_RULE_NDPI && strcmp(s->rules[i].text, app) == 0)
            return s->rules[i].service;
    return -2;
}

int rule_audit_add_db(struct rule_audit *a, const char *path, struct err *e)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int rc = 0;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        rc = err_set(e, RC_SQL, "%s: %s", path, db ? sqlite3_errmsg(db) : "cannot open");
        goto out;
    }
    /* flows.rule_alt: migration 17; an older database has none. */
    if (sqlite3_prepare_v2(db,
                           "SELECT rule, method, service, class, confidence, ndpi_proto, rule_alt"
                           " FROM flows ORDER BY run_id, id",
                           -1, &st, NULL) != SQLITE_OK &&
        sqlite3_prepare_v2(db,
                           "SELECT rule, method, service, class, confidence, ndpi_proto, ''"
                           " FROM flows ORDER BY run_id, id",
                           -1, &st, NULL) != SQLITE_OK) {
        rc = err_set(e, RC_SQL, "%s: %s (a database from before flows.rule?)", path,
                     sqlite3_errmsg(db));
        goto out;
    }
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *rule = (const char *)sqlite3_column_text(st, 0);
        const char *method = (const char *)sqlite3_column_text(st, 1);
        const char *service = (const char *)sqlite3_column_text(st, 2);
        const char *cls = (const char *)sqlite3_column_text(st, 3);
        unsigned conf = (unsigned)sqlite3_column_int(st, 4);
        const char *ndpi = (const char *)sqlite3_column_text(st, 5);
        const char *alt = (const char *)sqlite3_column_text(st, 6);
        a->flows++;
        if (!rule || !method || !service || !cls || !ndpi || strcmp(method, "none") == 0)
            continue;
        char key[AUDIT_KEY_MAX];
        int r = rule[0] ? rule_of(a, rule) : -1;
        if (rule[0])
            str_copy(key, sizeof key, rule);
        else
            snprintf(key, sizeof key, "(%.40s)", method);
        struct group *g = group_of(a, key, r);
        if (!g) {
            a->dropped++;
            continue;
        }
        a->decided++;
        g->flows++;
        g->ott += strcmp(cls, "ott-messaging") == 0;
        g->conf_min = conf < g->conf_min ? conf : g->conf_min;
        g->conf_max = conf > g->conf_max ? conf : g->conf_max;
        int nsvc = ndpi_service(a->sigs, ndpi);
        int ours = sig_find_service(a->sigs, service);
        g->rule_other += alt && alt[0];
        if (nsvc >= 0 && nsvc != ours)
            g->ndpi_other++;
        else if (nsvc == -2 && strcmp(method, "ndpi") != 0)
            g->ndpi_uncat++;
    }
    if (step != SQLITE_DONE)
        rc = err_set(e, RC_SQL, "%s: %s", path, sqlite3_errmsg(db));
    else
        a->dbs++;
out:
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}

static int by_order(const void *x, const void *y)
{
    const struct group *a = x, *b = y;
    if ((a->rule < 0) != (b->rule < 0))
        return a->rule < 0 ? 1 : -1;
    if (a->rule >= 0)
        return (a->rule > b->rule) - (a->rule < b->rule);
    return strcmp(a->key, b->key);
}

static void row(const struct rule_audit *a, const struct group *g, FILE *out)
{
    const char *svc = "-", *kind = "-", *scope = "-";
    if (g->rule >= 0) {
        const struct sig_rule *r = &a->sigs->rules[g->rule];
        svc = a->sigs->services[r->service].name;
        kind = sig_rule_kind_name(r->kind);
        scope = r->kind == SIG_RULE_CIDR ? sig_scope_name(r->scope) : "-";
    }
    fprintf(out, "%-24s %-12s %-12s %-7s %6llu %6llu %3u-%-3u %8llu %8llu %10llu\n", g->key, svc,
            kind, scope, (unsigned long long)g->flows, (unsigned long long)g->ott, g->conf_min,
            g->conf_max, (unsigned long long)g->ndpi_other, (unsigned long long)g->ndpi_uncat,
            (unsigned long long)g->rule_other);
}

void rule_audit_print(const struct rule_audit *a, FILE *out)
{
    struct group *g = malloc((a->ng ? a->ng : 1) * sizeof *g);
    if (!g) {
        fprintf(out, "audit: out of memory\n");
        return;
    }
    memcpy(g, a->g, a->ng * sizeof *g);
    qsort(g, a->ng, sizeof *g, by_order);
    fprintf(out, "%-24s %-12s %-12s %-7s %6s %6s %7s %8s %8s %10s\n", "rule", "service", "kind",
            "scope", "flows", "ott", "conf", "ndpi-svc", "ndpi-app", "other-rule");
    uint64_t other = 0, uncat = 0, vendor = 0, ralt = 0;
    for (size_t i = 0; i < a->ng; i++) {
        row(a, &g[i], out);
        other += g[i].ndpi_other;
        uncat += g[i].ndpi_uncat;
        ralt += g[i].rule_other;
    }
    fprintf(out, "\nrules deciding flows on vendor-generic evidence (scope: vendor; class other):\n");
    for (size_t i = 0; i < a->ng; i++)
        if (g[i].rule >= 0 && a->sigs->rules[g[i].rule].kind == SIG_RULE_CIDR &&
            a->sigs->rules[g[i].rule].scope == SIG_SCOPE_VENDOR) {
            row(a, &g[i], out);
            vendor += g[i].flows;
        }
    fprintf(out,
            "\naudit: %llu databases, %llu flows, %llu decided by %zu rules/methods, %llu on "
            "vendor ranges; nDPI named another catalog service on %llu, an uncatalogued "
            "application on %llu; another rule or method named another service on %llu;"
            " %llu over the group limit\n",
            (unsigned long long)a->dbs, (unsigned long long)a->flows,
            (unsigned long long)a->decided, a->ng, (unsigned long long)vendor,
            (unsigned long long)other, (unsigned long long)uncat, (unsigned long long)ralt,
            (unsigned long long)a->dropped);
    free(g);
}
