/* sig_load.c - YAML signature files -> validated, immutable struct sig_set.
 *
 * Schema (version 1, documented in signatures/README.md):
 *
 *   version: 1
 *   services:
 *     - name: WhatsApp            # unique across all files
 *       class: ott-messaging      # ott-messaging | carrier-sms | push | other
 *       rules:
 *         - ndpi: WhatsApp        # nDPI 4.2 protocol name
 *           source: "..."         # where the fact comes from (required)
 *           stability: stable     # stable | medium | fragile (required)
 *
 * Every error names file:line:col (libyaml marks are 0-based; we add 1).
 * Unknown keys, wrong types and duplicates are errors: a typo must never
 * silently drop a rule.
 */
#include "signatures/sig.h"

#include <dirent.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

struct loader {
    struct sig_set *set;
    size_t cap_services, cap_rules;
    const char *file;
    EVP_MD_CTX *md;
    struct err *e;
};

const char *sig_class_name(enum sig_class c)
{
    switch (c) {
    case SIG_CLASS_OTT_MESSAGING: return "ott-messaging";
    case SIG_CLASS_CARRIER_SMS: return "carrier-sms";
    case SIG_CLASS_PUSH: return "push";
    case SIG_CLASS_OTHER:
    case SIG_CLASS_COUNT: break;
    }
    return "other";
}

int sig_find_service(const struct sig_set *s, const char *name)
{
    for (size_t i = 0; i < s->nservices; i++)
        if (strcmp(s->services[i].name, name) == 0)
            return (int)i;
    return -1;
}

__attribute__((format(printf, 3, 4))) static int at(struct loader *L, const yaml_node_t *n,
                                                     const char *fmt, ...)
{
    char what[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return err_set(L->e, RC_CONFIG, "%s:%lu:%lu: %s", L->file,
                   n ? (unsigned long)n->start_mark.line + 1 : 0ul,
                   n ? (unsigned long)n->start_mark.column + 1 : 0ul, what);
}

static void where(struct loader *L, const yaml_node_t *n, struct sig_where *w)
{
    snprintf(w->file, sizeof w->file, "%s", L->file);
    w->line = (unsigned)n->start_mark.line + 1;
    w->col = (unsigned)n->start_mark.column + 1;
}

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

/* Copies a scalar into dst or fails with a located error. */
static int get_str(struct loader *L, const yaml_node_t *n, const char *key, char *dst, size_t cap)
{
    const char *v = scalar(n);
    if (!v)
        return at(L, n, "'%s' must be a string", key);
    if (!*v)
        return at(L, n, "'%s' must not be empty", key);
    if (strlen(v) >= cap)
        return at(L, n, "'%s' is too long", key);
    memcpy(dst, v, strlen(v) + 1);
    return 0;
}

static int parse_class(struct loader *L, const yaml_node_t *n, enum sig_class *out)
{
    const char *v = scalar(n);
    for (int c = 0; c < SIG_CLASS_COUNT && v; c++)
        if (strcmp(v, sig_class_name((enum sig_class)c)) == 0) {
            *out = (enum sig_class)c;
            return 0;
        }
    return at(L, n, "unknown class '%s' (ott-messaging, carrier-sms, push, other)", v ? v : "");
}

static int parse_stability(struct loader *L, const yaml_node_t *n, enum sig_stability *out)
{
    const char *v = scalar(n);
    if (v && strcmp(v, "stable") == 0)
        *out = SIG_STABLE;
    else if (v && strcmp(v, "medium") == 0)
        *out = SIG_MEDIUM;
    else if (v && strcmp(v, "fragile") == 0)
        *out = SIG_FRAGILE;
    else
        return at(L, n, "stability must be stable, medium or fragile, not '%s'", v ? v : "");
    return 0;
}

static int parse_rule(struct loader *L, yaml_document_t *d, yaml_node_t *n, uint16_t svc)
{
    if (n->type != YAML_MAPPING_NODE)
        return at(L, n, "a rule must be a mapping");
    if (L->set->nrules >= SIG_MAX_RULES)
        return at(L, n, "more than the limit of rules");
    if (L->set->nrules == L->cap_rules) {
        size_t nc = L->cap_rules ? L->cap_rules * 2 : 64;
        struct sig_rule *r = realloc(L->set->rules, nc * sizeof *r);
        if (!r)
            return err_set(L->e, RC_NOMEM, "out of memory loading %s", L->file);
        L->set->rules = r;
        L->cap_rules = nc;
    }
    struct sig_rule *r = &L->set->rules[L->set->nrules];
    memset(r, 0, sizeof *r);
    r->service = svc;
    where(L, n, &r->where);
    bool has_kind = false, has_source = false, has_stab = false;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(d, p->key);
        yaml_node_t *v = yaml_document_get_node(d, p->value);
        const char *key = scalar(k);
        int rc = 0;
        if (!key)
            return at(L, k, "rule keys must be strings");
        if (strcmp(key, "ndpi") == 0) {
            if (has_kind)
                return at(L, k, "a rule has exactly one match key; '%s' is a second", key);
            has_kind = true;
            r->kind = SIG_RULE_NDPI;
            rc = get_str(L, v, key, r->ndpi, sizeof r->ndpi);
        } else if (strcmp(key, "source") == 0) {
            has_source = true;
            rc = get_str(L, v, key, r->source, sizeof r->source);
        } else if (strcmp(key, "stability") == 0) {
            has_stab = true;
            rc = parse_stability(L, v, &r->stability);
        } else {
            return at(L, k, "unknown rule key '%s'", key);
        }
        if (rc)
            return rc;
    }
    if (!has_kind)
        return at(L, n, "rule has no match key (ndpi)");
    if (!has_source)
        return at(L, n, "rule has no 'source'");
    if (!has_stab)
        return at(L, n, "rule has no 'stability'");
    L->set->nrules++;
    return 0;
}

static int parse_service(struct loader *L, yaml_document_t *d, yaml_node_t *n)
{
    if (n->type != YAML_MAPPING_NODE)
        return at(L, n, "a service must be a mapping");
    if (L->set->nservices >= SIG_MAX_SERVICES)
        return at(L, n, "more than the limit of services");
    if (L->set->nservices == L->cap_services) {
        size_t nc = L->cap_services ? L->cap_services * 2 : 32;
        struct sig_service *s = realloc(L->set->services, nc * sizeof *s);
        if (!s)
            return err_set(L->e, RC_NOMEM, "out of memory loading %s", L->file);
        L->set->services = s;
        L->cap_services = nc;
    }
    size_t idx = L->set->nservices;
    struct sig_service *s = &L->set->services[idx];
    memset(s, 0, sizeof *s);
    where(L, n, &s->where);
    yaml_node_t *rules = NULL, *name_node = NULL;
    bool has_class = false;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(d, p->key);
        yaml_node_t *v = yaml_document_get_node(d, p->value);
        const char *key = scalar(k);
        int rc = 0;
        if (!key)
            return at(L, k, "service keys must be strings");
        if (strcmp(key, "name") == 0) {
            name_node = v;
            rc = get_str(L, v, key, s->name, sizeof s->name);
        } else if (strcmp(key, "class") == 0) {
            has_class = true;
            rc = parse_class(L, v, &s->cls);
        } else if (strcmp(key, "description") == 0) {
            if (!scalar(v))
                rc = at(L, v, "'%s' must be a string", key);
        } else if (strcmp(key, "rules") == 0) {
            if (v->type != YAML_SEQUENCE_NODE)
                rc = at(L, v, "'%s' must be a list", key);
            rules = v;
        } else {
            return at(L, k, "unknown service key '%s'", key);
        }
        if (rc)
            return rc;
    }
    if (!name_node)
        return at(L, n, "service has no 'name'");
    if (!has_class)
        return at(L, n, "service '%s' has no 'class'", s->name);
    for (size_t i = 0; i < idx; i++)
        if (strcmp(L->set->services[i].name, s->name) == 0)
            return at(L, name_node, "duplicate service name '%s'", s->name);
    L->set->nservices++;
    if (rules)
        for (yaml_node_item_t *it = rules->data.sequence.items.start;
             it < rules->data.sequence.items.top; it++) {
            int rc = parse_rule(L, d, yaml_document_get_node(d, *it), (uint16_t)idx);
            if (rc)
                return rc;
        }
    return 0;
}

static int parse_doc(struct loader *L, yaml_document_t *d)
{
    yaml_node_t *root = yaml_document_get_root_node(d);
    if (!root)
        return err_set(L->e, RC_CONFIG, "%s:1:1: empty signature file", L->file);
    if (root->type != YAML_MAPPING_NODE)
        return at(L, root, "the top level must be a mapping");
    bool has_version = false;
    yaml_node_t *services = NULL;
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(d, p->key);
        yaml_node_t *v = yaml_document_get_node(d, p->value);
        const char *key = scalar(k);
        if (!key)
            return at(L, k, "top-level keys must be strings");
        if (strcmp(key, "version") == 0) {
            const char *ver = scalar(v);
            char want[16];
            snprintf(want, sizeof want, "%d", SIG_SCHEMA_VERSION);
            if (!ver || strcmp(ver, want) != 0)
                return at(L, v, "unsupported schema version '%s' (this build reads 1)", ver ? ver : "");
            has_version = true;
        } else if (strcmp(key, "services") == 0) {
            if (v->type != YAML_SEQUENCE_NODE)
                return at(L, v, "'services' must be a list");
            services = v;
        } else {
            return at(L, k, "unknown top-level key '%s'", key);
        }
    }
    if (!has_version)
        return at(L, root, "missing 'version'");
    if (services)
        for (yaml_node_item_t *it = services->data.sequence.items.start;
             it < services->data.sequence.items.top; it++) {
            int rc = parse_service(L, d, yaml_document_get_node(d, *it));
            if (rc)
                return rc;
        }
    return 0;
}

static int load_file(struct loader *L, const char *path)
{
    int rc = 0;
    unsigned char *buf = NULL;
    FILE *fp = fopen(path, "rb");
    yaml_parser_t parser;
    yaml_document_t doc;
    bool parser_ok = false, doc_ok = false;
    L->file = path;
    if (!fp)
        return err_set(L->e, RC_IO, "%s: cannot open: %s", path, strerror(errno));
    buf = malloc(SIG_MAX_FILE_BYTES + 1);
    if (!buf) {
        rc = err_set(L->e, RC_NOMEM, "out of memory reading %s", path);
        goto out;
    }
    size_t n = fread(buf, 1, SIG_MAX_FILE_BYTES + 1, fp);
    if (ferror(fp)) {
        rc = err_set(L->e, RC_IO, "%s: read error", path);
        goto out;
    }
    if (n > SIG_MAX_FILE_BYTES) {
        rc = err_set(L->e, RC_LIMIT, "%s: larger than %u bytes", path, SIG_MAX_FILE_BYTES);
        goto out;
    }
    EVP_DigestUpdate(L->md, buf, n);
    if (!yaml_parser_initialize(&parser)) {
        rc = err_set(L->e, RC_NOMEM, "out of memory for the YAML parser");
        goto out;
    }
    parser_ok = true;
    yaml_parser_set_input_string(&parser, buf, n);
    if (!yaml_parser_load(&parser, &doc)) {
        rc = err_set(L->e, RC_CONFIG, "%s:%lu:%lu: YAML error: %s", path,
                     (unsigned long)parser.problem_mark.line + 1,
                     (unsigned long)parser.problem_mark.column + 1,
                     parser.problem ? parser.problem : "unknown");
        goto out;
    }
    doc_ok = true;
    rc = parse_doc(L, &doc);
out:
    if (doc_ok)
        yaml_document_delete(&doc);
    if (parser_ok)
        yaml_parser_delete(&parser);
    free(buf);
    fclose(fp);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Loads the *.yaml files of a directory in name order. */
static int load_dir(struct loader *L, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return err_set(L->e, RC_IO, "%s: cannot open: %s", dir, strerror(errno));
    char *names[SIG_MAX_FILES];
    size_t n = 0;
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len < 6 || strcmp(de->d_name + len - 5, ".yaml") != 0)
            continue;
        if (n == SIG_MAX_FILES) {
            rc = err_set(L->e, RC_LIMIT, "%s: more than %d signature files", dir, SIG_MAX_FILES);
            goto out;
        }
        names[n] = malloc(strlen(dir) + len + 2);
        if (!names[n]) {
            rc = err_set(L->e, RC_NOMEM, "out of memory");
            goto out;
        }
        sprintf(names[n], "%s/%s", dir, de->d_name);
        n++;
    }
    qsort(names, n, sizeof names[0], cmp_str);
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = load_file(L, names[i]);
out:
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    closedir(d);
    return rc;
}

struct sig_set *sig_load_paths(const char *const *paths, size_t npaths, struct err *e)
{
    struct loader L = {.e = e};
    L.set = calloc(1, sizeof *L.set);
    L.md = EVP_MD_CTX_new();
    int rc = 0;
    if (!L.set || !L.md || EVP_DigestInit_ex(L.md, EVP_sha256(), NULL) != 1) {
        rc = err_set(e, RC_NOMEM, "out of memory loading signatures");
        goto out;
    }
    for (size_t i = 0; i < npaths && rc == 0; i++) {
        struct stat st;
        if (stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode))
            rc = load_dir(&L, paths[i]);
        else
            rc = load_file(&L, paths[i]);
    }
    if (rc == 0 && L.set->nservices == 0)
        rc = err_set(e, RC_CONFIG, "no services defined in the signature files");
    if (rc == 0) {
        unsigned int len = 0;
        EVP_DigestFinal_ex(L.md, L.set->sha256, &len);
        for (int i = 0; i < 32; i++)
            snprintf(L.set->sha256_hex + 2 * i, 3, "%02x", L.set->sha256[i]);
    }
out:
    EVP_MD_CTX_free(L.md);
    if (rc) {
        sig_set_free(L.set);
        return NULL;
    }
    return L.set;
}

void sig_set_free(struct sig_set *s)
{
    if (!s)
        return;
    free(s->services);
    free(s->rules);
    free(s);
}
