/* sig_load.c - YAML signature files -> validated, immutable struct sig_set.
 *
 * Schema (versions 1 and 2, documented in signatures/README.md); version 2
 * adds the match keys server_name, cidr, port, preamble and alpn:
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
#include "signatures/sig_rule.h"

#include <dirent.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A limit's value inside a message literal. */
#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)
#include <sys/stat.h>
#include <yaml.h>

#include "signatures/yaml_guard.h"

struct loader {
    struct sig_set *set;
    size_t cap_services, cap_rules;
    const char *file;
    int version;          /* schema version of the current file */
    EVP_MD_CTX *md;
    struct err *e;
};

const char *sig_class_name(enum sig_class c)
{
    switch (c) {
    case SIG_CLASS_OTT_MESSAGING: return "ott-messaging";
    case SIG_CLASS_CARRIER_SMS: return "carrier-sms";
    case SIG_CLASS_PUSH: return "push";
    case SIG_CLASS_CARRIER_SIGNALLING: return "carrier-signalling";
    case SIG_CLASS_OTHER:
    case SIG_CLASS_COUNT: break;
    }
    return "other";
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

/* Grows the rule array by one zeroed slot; NULL (with e set) on failure. */
static struct sig_rule *new_rule(struct loader *L, const yaml_node_t *n)
{
    if (L->set->nrules >= SIG_MAX_RULES) {
        at(L, n, "more than the limit of %d rules", SIG_MAX_RULES);
        return NULL;
    }
    if (L->set->nrules == L->cap_rules) {
        size_t nc = L->cap_rules ? L->cap_rules * 2 : 64;
        struct sig_rule *r = realloc(L->set->rules, nc * sizeof *r);
        if (!r) {
            err_set(L->e, RC_NOMEM, "out of memory loading %s", L->file);
            return NULL;
        }
        L->set->rules = r;
        L->cap_rules = nc;
    }
    return &L->set->rules[L->set->nrules];
}

/* The match keys: exactly one per rule; its value is a string or a list. */
static const struct {
    const char *key;
    enum sig_rule_kind kind;
} match_keys[] = {
    {"ndpi", SIG_RULE_NDPI},         {"server_name", SIG_RULE_NAME},
    {"cidr", SIG_RULE_CIDR},         {"port", SIG_RULE_PORT},
    {"preamble", SIG_RULE_PREAMBLE}, {"alpn", SIG_RULE_ALPN},
    {"detector", SIG_RULE_DETECTOR},
};

const char *sig_rule_kind_name(enum sig_rule_kind k)
{
    for (size_t i = 0; i < sizeof match_keys / sizeof match_keys[0]; i++)
        if (match_keys[i].kind == k)
            return match_keys[i].key;
    return "?";
}

const char *sig_scope_name(enum sig_scope s)
{
    return s == SIG_SCOPE_VENDOR ? "vendor" : "service";
}

const char *sig_stability_name(enum sig_stability s)
{
    return s == SIG_STABLE ? "stable" : s == SIG_MEDIUM ? "medium" : "fragile";
}

/* Fills the per-value part of rule r from one scalar of the match key. */
static int rule_value(struct loader *L, const yaml_node_t *v, struct sig_rule *r)
{
    const char *s = scalar(v);
    const char *why = NULL;
    if (!s || !*s)
        return at(L, v, "'%s' values must be non-empty strings", sig_rule_kind_name(r->kind));
    switch (r->kind) {
    case SIG_RULE_NDPI:
    case SIG_RULE_ALPN:
        if (strlen(s) >= (r->kind == SIG_RULE_NDPI ? SIG_NAME_MAX : SIG_PATTERN_MAX))
            return at(L, v, "'%s' value is too long", sig_rule_kind_name(r->kind));
        snprintf(r->text, sizeof r->text, "%s", s);
        break;
    case SIG_RULE_NAME: why = sig_rule_parse_name(s, r->match, r); break;
    case SIG_RULE_CIDR: why = sig_rule_parse_cidr(s, r); break;
    case SIG_RULE_PORT: why = sig_rule_parse_port(s, r); break;
    case SIG_RULE_PREAMBLE:
        why = sig_rule_parse_hex(s, r);
        if (!why && (size_t)r->pre_off + r->pre_len > SIG_PREAMBLE_OFFSET_MAX + SIG_PREAMBLE_MAX)
            why = "preamble ends too far into the packet";
        break;
    case SIG_RULE_DETECTOR: {
        enum sig_detector d;
        why = sig_rule_parse_detector(s, &d);
        if (!why)
            snprintf(r->text, sizeof r->text, "%s", s);
        break;
    }
    case SIG_RULE_KIND_COUNT: break;
    }
    if (why)
        return at(L, v, "%s: '%s'", why, s);
    return 0;
}

/* Which optional keys each kind accepts (bit per key below). */
enum {
    OPT_MATCH = 1,
    OPT_ON = 2,
    OPT_PORTS = 4,
    OPT_TRANSPORT = 8,
    OPT_OFFSET = 16,
    OPT_DIR = 32,
    OPT_SCOPE = 64,
};

static unsigned allowed_opts(enum sig_rule_kind k)
{
    switch (k) {
    case SIG_RULE_NAME: return OPT_MATCH | OPT_ON;
    case SIG_RULE_CIDR: return OPT_PORTS | OPT_TRANSPORT | OPT_SCOPE;
    case SIG_RULE_PREAMBLE: return OPT_PORTS | OPT_TRANSPORT | OPT_OFFSET | OPT_DIR;
    case SIG_RULE_DETECTOR: return OPT_PORTS | OPT_TRANSPORT | OPT_DIR;
    default: return 0;
    }
}

static int parse_ports(struct loader *L, yaml_document_t *d, yaml_node_t *v, struct sig_rule *r)
{
    if (v->type != YAML_SEQUENCE_NODE)
        return at(L, v, "'ports' must be a list of port numbers");
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++) {
        yaml_node_t *pn = yaml_document_get_node(d, *it);
        unsigned long p;
        const char *s = scalar(pn);
        if (!s || sig_rule_parse_uint(s, 1, 65535, &p))
            return at(L, pn, "bad port number (1-65535)");
        if (r->nports == SIG_RULE_PORTS_MAX)
            return at(L, pn, "more than %d ports", SIG_RULE_PORTS_MAX);
        r->ports[r->nports++] = (uint16_t)p;
    }
    if (r->nports == 0)
        return at(L, v, "'ports' is empty");
    return 0;
}

static int parse_on(struct loader *L, yaml_document_t *d, yaml_node_t *v, struct sig_rule *r)
{
    if (v->type != YAML_SEQUENCE_NODE)
        return at(L, v, "'on' must be a list (sni, quic, host, cert, dns)");
    r->on = 0;
    for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top;
         it++) {
        yaml_node_t *on = yaml_document_get_node(d, *it);
        unsigned bit;
        const char *s = scalar(on);
        const char *why = s ? sig_rule_parse_on(s, &bit) : "'on' entries must be strings";
        if (why)
            return at(L, on, "%s", why);
        r->on |= bit;
    }
    if (!r->on)
        return at(L, v, "'on' is empty");
    return 0;
}

static int parse_rule(struct loader *L, yaml_document_t *d, yaml_node_t *n, uint16_t svc)
{
    if (n->type != YAML_MAPPING_NODE)
        return at(L, n, "a rule must be a mapping");
    struct sig_rule proto;
    memset(&proto, 0, sizeof proto);
    proto.service = svc;
    proto.on = SIG_ON_ALL;
    proto.dir = SIG_DIR_ANY;
    where(L, n, &proto.where);
    yaml_node_t *value = NULL, *match = NULL;
    bool has_source = false, has_stab = false;
    unsigned opts = 0;
    struct {
        unsigned bit;
        yaml_node_t *k, *v;
    } opt_nodes[7];
    size_t nopt = 0;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = yaml_document_get_node(d, p->key);
        yaml_node_t *v = yaml_document_get_node(d, p->value);
        const char *key = scalar(k);
        int rc = 0;
        if (!key)
            return at(L, k, "rule keys must be strings");
        bool is_match_key = false;
        for (size_t i = 0; i < sizeof match_keys / sizeof match_keys[0]; i++)
            if (strcmp(key, match_keys[i].key) == 0) {
                if (value)
                    return at(L, k, "a rule has exactly one match key; '%s' is a second", key);
                proto.kind = match_keys[i].kind;
                value = v;
                is_match_key = true;
            }
        if (is_match_key)
            continue;
        unsigned bit = strcmp(key, "match") == 0       ? OPT_MATCH
                       : strcmp(key, "on") == 0        ? OPT_ON
                       : strcmp(key, "ports") == 0     ? OPT_PORTS
                       : strcmp(key, "transport") == 0 ? OPT_TRANSPORT
                       : strcmp(key, "offset") == 0    ? OPT_OFFSET
                       : strcmp(key, "direction") == 0 ? OPT_DIR
                       : strcmp(key, "scope") == 0     ? OPT_SCOPE
                                                       : 0;
        if (bit) {
            if (opts & bit)
                return at(L, k, "duplicate key '%s'", key);
            opts |= bit;
            opt_nodes[nopt].bit = bit;
            opt_nodes[nopt].k = k;
            opt_nodes[nopt].v = v;
            nopt++;
            if (bit == OPT_MATCH)
                match = v;
        } else if (strcmp(key, "source") == 0) {
            if (has_source)
                return at(L, k, "duplicate key '%s'", key);
            has_source = true;
            rc = get_str(L, v, key, proto.source, sizeof proto.source);
        } else if (strcmp(key, "stability") == 0) {
            if (has_stab)
                return at(L, k, "duplicate key '%s'", key);
            has_stab = true;
            rc = parse_stability(L, v, &proto.stability);
        } else {
            return at(L, k, "unknown rule key '%s'", key);
        }
        if (rc)
            return rc;
    }
    if (!value)
        return at(L, n,
                  "rule has no match key (ndpi, server_name, cidr, port, preamble, alpn, detector)");
    if (L->version < 2 && proto.kind != SIG_RULE_NDPI)
        return at(L, n, "'%s' rules need schema version 2", sig_rule_kind_name(proto.kind));
    if (!has_source)
        return at(L, n, "rule has no 'source'");
    if (!has_stab)
        return at(L, n, "rule has no 'stability'");
    for (size_t i = 0; i < nopt; i++) {
        yaml_node_t *k = opt_nodes[i].k, *v = opt_nodes[i].v;
        if (!(allowed_opts(proto.kind) & opt_nodes[i].bit))
            return at(L, k, "'%s' does not apply to a %s rule", scalar(k),
                      sig_rule_kind_name(proto.kind));
        const char *s = scalar(v);
        const char *why = NULL;
        unsigned long num;
        int rc = 0;
        switch (opt_nodes[i].bit) {
        case OPT_MATCH:
            why = s ? sig_rule_parse_match(s, &proto.match) : "'match' must be a string";
            break;
        case OPT_ON: rc = parse_on(L, d, v, &proto); break;
        case OPT_PORTS: rc = parse_ports(L, d, v, &proto); break;
        case OPT_TRANSPORT:
            why = s ? sig_rule_parse_transport(s, &proto.l4proto) : "'transport' must be a string";
            break;
        case OPT_OFFSET:
            why = s ? sig_rule_parse_uint(s, 0, SIG_PREAMBLE_OFFSET_MAX, &num) : "bad offset";
            if (!why)
                proto.pre_off = (uint8_t)num;
            else
                why = "offset must be a number from 0 to " STRINGIFY(SIG_PREAMBLE_OFFSET_MAX);
            break;
        case OPT_DIR:
            if (s && strcmp(s, "c2s") == 0)
                proto.dir = SIG_DIR_C2S;
            else if (s && strcmp(s, "s2c") == 0)
                proto.dir = SIG_DIR_S2C;
            else if (s && strcmp(s, "any") == 0)
                proto.dir = SIG_DIR_ANY;
            else
                why = "direction must be c2s, s2c or any";
            break;
        case OPT_SCOPE:
            if (s && strcmp(s, "service") == 0)
                proto.scope = SIG_SCOPE_SERVICE;
            else if (s && strcmp(s, "vendor") == 0)
                proto.scope = SIG_SCOPE_VENDOR;
            else
                why = "scope must be service or vendor";
            break;
        default: break;
        }
        if (rc)
            return rc;
        if (why)
            return at(L, v, "%s", why);
    }
    /* A vendor's generic range names the vendor, never one of its services
     * (Meta's ranges serve WhatsApp, Messenger, Facebook and Instagram). */
    if (proto.scope == SIG_SCOPE_VENDOR && L->set->services[svc].cls != SIG_CLASS_OTHER)
        return at(L, n, "a 'scope: vendor' range may only name a service of class other "
                        "(a vendor range alone never decides a %s service)",
                  sig_class_name(L->set->services[svc].cls));
    if (proto.kind == SIG_RULE_NAME && !match)
        return at(L, n, "a server_name rule must state 'match' (exact, suffix or prefix)");
    if (value->type == YAML_SCALAR_NODE) {
        struct sig_rule *r = new_rule(L, value);
        if (!r)
            return RC_CONFIG;
        *r = proto;
        int rc = rule_value(L, value, r);
        if (rc)
            return rc;
        L->set->nrules++;
        return 0;
    }
    if (value->type != YAML_SEQUENCE_NODE)
        return at(L, value, "'%s' must be a string or a list of strings",
                  sig_rule_kind_name(proto.kind));
    if (value->data.sequence.items.start == value->data.sequence.items.top)
        return at(L, value, "'%s' list is empty", sig_rule_kind_name(proto.kind));
    for (yaml_node_item_t *it = value->data.sequence.items.start;
         it < value->data.sequence.items.top; it++) {
        yaml_node_t *item = yaml_document_get_node(d, *it);
        struct sig_rule *r = new_rule(L, item);
        if (!r)
            return RC_CONFIG;
        *r = proto;
        where(L, item, &r->where);
        int rc = rule_value(L, item, r);
        if (rc)
            return rc;
        L->set->nrules++;
    }
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
        } else if (strcmp(key, "vendor") == 0) {
            rc = get_str(L, v, key, s->vendor, sizeof s->vendor);
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
    L->version = 0;
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top;
         p++) {
        yaml_node_t *k = yaml_document_get_node(d, p->key);
        yaml_node_t *v = yaml_document_get_node(d, p->value);
        const char *key = scalar(k);
        if (!key)
            return at(L, k, "top-level keys must be strings");
        if (strcmp(key, "version") == 0) {
            const char *ver = scalar(v);
            if (!ver || (strcmp(ver, "1") != 0 && strcmp(ver, "2") != 0))
                return at(L, v, "unsupported schema version '%s' (this build reads 1 and 2)",
                          ver ? ver : "");
            L->version = ver[0] - '0';
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

/* Parses one document held in memory (n bytes, untrusted). */
static int load_mem(struct loader *L, const unsigned char *buf, size_t n)
{
    int rc = 0;
    yaml_parser_t parser;
    yaml_document_t doc;
    EVP_DigestUpdate(L->md, buf, n);
    /* Depth, node count, duplicate keys, one document, no aliases: checked
     * on the event stream first, so yaml_parser_load never sees a document
     * that could cost it more than linear time (yaml_guard.h). */
    rc = yaml_guard_check(L->file, buf, n, NULL, L->e);
    if (rc)
        return rc;
    if (!yaml_parser_initialize(&parser))
        return err_set(L->e, RC_NOMEM, "out of memory for the YAML parser");
    yaml_parser_set_input_string(&parser, buf, n);
    if (!yaml_parser_load(&parser, &doc)) {
        rc = err_set(L->e, RC_CONFIG, "%s:%lu:%lu: YAML error: %s", L->file,
                     (unsigned long)parser.problem_mark.line + 1,
                     (unsigned long)parser.problem_mark.column + 1,
                     parser.problem ? parser.problem : "unknown");
        yaml_parser_delete(&parser);
        return rc;
    }
    rc = parse_doc(L, &doc);
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return rc;
}

static int load_file(struct loader *L, const char *path)
{
    int rc = 0;
    unsigned char *buf = NULL;
    FILE *fp = fopen(path, "rb");
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
    rc = load_mem(L, buf, n);
out:
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

/* Duplicate detection across all loaded files: two rules with the same
 * kind and value (name pattern and match kind, ALPN, CIDR and its ports,
 * port range, preamble bytes) are a mistake whether or not they name the
 * same service -- the second one can never decide anything. */

static int rule_cmp(const struct sig_rule *a, const struct sig_rule *b)
{
    if (a->kind != b->kind)
        return (int)a->kind - (int)b->kind;
    switch (a->kind) {
    case SIG_RULE_NAME:
        if (a->match != b->match)
            return (int)a->match - (int)b->match;
        return strcmp(a->text, b->text);
    case SIG_RULE_NDPI:
    case SIG_RULE_ALPN:
    case SIG_RULE_DETECTOR:
        return strcmp(a->text, b->text);
    case SIG_RULE_CIDR:
        if (a->family != b->family)
            return a->family - b->family;
        if (a->plen != b->plen)
            return a->plen - b->plen;
        if (memcmp(a->addr, b->addr, sizeof a->addr))
            return memcmp(a->addr, b->addr, sizeof a->addr);
        if (a->l4proto != b->l4proto)
            return a->l4proto - b->l4proto;
        if (a->nports != b->nports)
            return a->nports - b->nports;
        return memcmp(a->ports, b->ports, a->nports * sizeof a->ports[0]);
    case SIG_RULE_PORT:
        if (a->l4proto != b->l4proto)
            return a->l4proto - b->l4proto;
        if (a->port_lo != b->port_lo)
            return a->port_lo - b->port_lo;
        return a->port_hi - b->port_hi;
    case SIG_RULE_PREAMBLE:
        if (a->pre_len != b->pre_len || a->pre_off != b->pre_off || a->dir != b->dir ||
            a->l4proto != b->l4proto)
            return a->pre_len != b->pre_len ? a->pre_len - b->pre_len
                   : a->pre_off != b->pre_off ? a->pre_off - b->pre_off
                   : a->dir != b->dir     ? (int)a->dir - (int)b->dir
                                          : a->l4proto - b->l4proto;
        if (memcmp(a->pre_mask, b->pre_mask, a->pre_len))
            return memcmp(a->pre_mask, b->pre_mask, a->pre_len);
        if (a->nports != b->nports)
            return a->nports - b->nports;
        if (memcmp(a->ports, b->ports, a->nports * sizeof a->ports[0]))
            return memcmp(a->ports, b->ports, a->nports * sizeof a->ports[0]);
        return memcmp(a->pre, b->pre, a->pre_len);
    case SIG_RULE_KIND_COUNT: break;
    }
    return 0;
}

/* Sorts pointers into the one rules array: among equal rules, pointer order
 * is file order, so the first occurrence is reported as the original. */
static int ptr_cmp(const void *x, const void *y)
{
    const struct sig_rule *a = *(const struct sig_rule *const *)x;
    const struct sig_rule *b = *(const struct sig_rule *const *)y;
    int c = rule_cmp(a, b);
    return c ? c : (a < b ? -1 : a > b);
}

static int check_duplicates(struct loader *L)
{
    const struct sig_set *s = L->set;
    if (s->nrules < 2)
        return 0;
    const struct sig_rule **idx = malloc(s->nrules * sizeof *idx);
    if (!idx)
        return err_set(L->e, RC_NOMEM, "out of memory checking signatures");
    for (size_t i = 0; i < s->nrules; i++)
        idx[i] = &s->rules[i];
    qsort(idx, s->nrules, sizeof *idx, ptr_cmp);
    int rc = 0;
    for (size_t k = 1; k < s->nrules && rc == 0; k++) {
        const struct sig_rule *a = idx[k - 1], *b = idx[k];
        if (rule_cmp(a, b) != 0)
            continue;
        rc = err_set(L->e, RC_CONFIG,
                     "%s:%u:%u: duplicate %s rule: the same value is already a rule of '%s' "
                     "at %s:%u:%u",
                     b->where.file, b->where.line, b->where.col, sig_rule_kind_name(b->kind),
                     s->services[a->service].name, a->where.file, a->where.line, a->where.col);
    }
    free(idx);
    return rc;
}

static int loader_begin(struct loader *L, struct err *e)
{
    memset(L, 0, sizeof *L);
    L->e = e;
    L->set = calloc(1, sizeof *L->set);
    L->md = EVP_MD_CTX_new();
    if (!L->set || !L->md || EVP_DigestInit_ex(L->md, EVP_sha256(), NULL) != 1)
        return err_set(e, RC_NOMEM, "out of memory loading signatures");
    return 0;
}

static struct sig_set *loader_end(struct loader *L, int rc)
{
    if (rc == 0 && L->set->nservices == 0)
        rc = err_set(L->e, RC_CONFIG, "no services defined in the signature files");
    if (rc == 0)
        rc = check_duplicates(L);
    if (rc == 0) {
        unsigned int len = 0;
        EVP_DigestFinal_ex(L->md, L->set->sha256, &len);
        for (int i = 0; i < 32; i++)
            snprintf(L->set->sha256_hex + 2 * i, 3, "%02x", L->set->sha256[i]);
    }
    EVP_MD_CTX_free(L->md);
    if (rc) {
        sig_set_free(L->set);
        return NULL;
    }
    return L->set;
}

struct sig_set *sig_load_paths(const char *const *paths, size_t npaths, struct err *e)
{
    struct loader L;
    int rc = loader_begin(&L, e);
    for (size_t i = 0; i < npaths && rc == 0; i++) {
        struct stat st;
        if (stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode))
            rc = load_dir(&L, paths[i]);
        else
            rc = load_file(&L, paths[i]);
    }
    return loader_end(&L, rc);
}

struct sig_set *sig_load_buffer(const char *name, const void *buf, size_t n, struct err *e)
{
    struct loader L;
    int rc = loader_begin(&L, e);
    L.file = name;
    if (rc == 0 && n > SIG_MAX_FILE_BYTES)
        rc = err_set(e, RC_LIMIT, "%s: larger than %u bytes", name, SIG_MAX_FILE_BYTES);
    if (rc == 0)
        rc = load_mem(&L, buf, n);
    return loader_end(&L, rc);
}

void sig_set_free(struct sig_set *s)
{
    if (!s)
        return;
    free(s->services);
    free(s->rules);
    free(s);
}
