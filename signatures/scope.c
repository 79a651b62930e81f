/* scope.c - scope file (YAML) -> validated, immutable struct scope (see
 * scope.h for the schema).
 *
 * The file is read with libyaml's event parser into a small bounded tree
 * (at most SCOPE_MAX_NODES nodes, SCOPE_MAX_DEPTH deep) so that a hostile
 * file cannot make the loader build an unbounded document; anchors,
 * aliases, duplicate keys and a second document are refused while the tree
 * is built.  The tree is then checked against the schema; every error names
 * file:line:col of the offending node.
 */
#include "signatures/scope.h"

#include <arpa/inet.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <yaml.h>

#include "capture/str.h"

enum ynode_type { Y_SCALAR, Y_MAP, Y_SEQ };

/* One node of the parsed document.  Children of a map alternate key, value. */
struct ynode {
    enum ynode_type type;
    unsigned line, col;  /* 1-based */
    char *s;             /* Y_SCALAR: owned, NUL-terminated (a NUL inside is refused) */
    int first, last;     /* children (node indices), -1 = none */
    int next;            /* next sibling, -1 = none */
    size_t nchild;
};

struct ydoc {
    struct ynode *n;
    size_t count;
};

struct loader {
    const char *file;
    struct ydoc d;
    struct scope *s;
    struct err *e;
};

__attribute__((format(printf, 4, 5))) static int at_lc(struct loader *L, unsigned line,
                                                        unsigned col, const char *fmt, ...)
{
    char what[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return err_set(L->e, RC_CONFIG, "%s:%u:%u: %s", L->file, line, col, what);
}

#define AT(L, node, ...) at_lc((L), (node)->line, (node)->col, __VA_ARGS__)

static void doc_free(struct ydoc *d)
{
    for (size_t i = 0; i < d->count; i++)
        free(d->n[i].s);
    free(d->n);
    d->n = NULL;
    d->count = 0;
}

static struct ynode *node(struct loader *L, int i) { return &L->d.n[i]; }

/* Adds a node as the next child of parent (or as the root when parent < 0).
 * Returns its index or -1 with e set. */
static int add_node(struct loader *L, int parent, enum ynode_type t, const yaml_mark_t *m)
{
    if (L->d.count >= SCOPE_MAX_NODES)
        return at_lc(L, (unsigned)m->line + 1, (unsigned)m->column + 1,
                     "more than the limit of %d YAML nodes", SCOPE_MAX_NODES),
               -1;
    int i = (int)L->d.count++;
    struct ynode *n = node(L, i);
    *n = (struct ynode){t, (unsigned)m->line + 1, (unsigned)m->column + 1, NULL, -1, -1, -1, 0};
    if (parent >= 0) {
        struct ynode *p = node(L, parent);
        if (p->last >= 0)
            node(L, p->last)->next = i;
        else
            p->first = i;
        p->last = i;
        p->nchild++;
    }
    return i;
}

/* Refuses a key equal to an earlier key of the same map (the new key is the
 * map's last child, at an even position). */
static int check_dup_key(struct loader *L, int map, int key)
{
    const struct ynode *k = node(L, key);
    if (k->type != Y_SCALAR)
        return AT(L, k, "mapping keys must be plain strings");
    size_t pos = 0;
    for (int c = node(L, map)->first; c >= 0 && c != key; c = node(L, c)->next, pos++)
        if (pos % 2 == 0 && strcmp(node(L, c)->s, k->s) == 0)
            return AT(L, k, "duplicate key '%s' (first at line %u)", k->s, node(L, c)->line);
    return 0;
}

static int parse_doc(struct loader *L, const uint8_t *buf, size_t len)
{
    yaml_parser_t p;
    yaml_event_t ev;
    int stack[SCOPE_MAX_DEPTH];
    int depth = 0, root = -1, docs = 0, rc = 0;
    bool done = false;
    L->d.n = calloc(SCOPE_MAX_NODES, sizeof *L->d.n);
    if (!L->d.n)
        return err_set(L->e, RC_NOMEM, "out of memory loading %s", L->file);
    if (!yaml_parser_initialize(&p))
        return err_set(L->e, RC_NOMEM, "%s: cannot initialise the YAML parser", L->file);
    yaml_parser_set_input_string(&p, buf, len);
    while (!done && !rc) {
        if (!yaml_parser_parse(&p, &ev)) {
            rc = at_lc(L, (unsigned)p.problem_mark.line + 1, (unsigned)p.problem_mark.column + 1,
                       "YAML: %s", p.problem ? p.problem : "syntax error");
            break;
        }
        const yaml_mark_t *m = &ev.start_mark;
        int parent = depth ? stack[depth - 1] : -1;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT: done = true; break;
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1)
                rc = at_lc(L, (unsigned)m->line + 1, (unsigned)m->column + 1,
                           "more than one YAML document; a scope file holds exactly one");
            break;
        case YAML_ALIAS_EVENT:
            rc = at_lc(L, (unsigned)m->line + 1, (unsigned)m->column + 1,
                       "aliases are not allowed in a scope file");
            break;
        case YAML_SCALAR_EVENT:
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT: {
            const yaml_char_t *anchor = ev.type == YAML_SCALAR_EVENT ? ev.data.scalar.anchor
                                        : ev.type == YAML_SEQUENCE_START_EVENT
                                            ? ev.data.sequence_start.anchor
                                            : ev.data.mapping_start.anchor;
            if (anchor) {
                rc = at_lc(L, (unsigned)m->line + 1, (unsigned)m->column + 1,
                           "anchors are not allowed in a scope file");
                break;
            }
            if (parent < 0 && root >= 0) { /* cannot happen in one document */
                rc = at_lc(L, (unsigned)m->line + 1, (unsigned)m->column + 1, "second root");
                break;
            }
            enum ynode_type t = ev.type == YAML_SCALAR_EVENT          ? Y_SCALAR
                                : ev.type == YAML_SEQUENCE_START_EVENT ? Y_SEQ
                                                                       : Y_MAP;
            int i = add_node(L, parent, t, m);
            if (i < 0) {
                rc = RC_CONFIG;
                break;
            }
            if (parent < 0)
                root = i;
            if (t == Y_SCALAR) {
                size_t n = ev.data.scalar.length;
                if (memchr(ev.data.scalar.value, '\0', n)) {
                    rc = AT(L, node(L, i), "NUL byte in a value");
                    break;
                }
                node(L, i)->s = malloc(n + 1);
                if (!node(L, i)->s) {
                    rc = err_set(L->e, RC_NOMEM, "out of memory loading %s", L->file);
                    break;
                }
                memcpy(node(L, i)->s, ev.data.scalar.value, n);
                node(L, i)->s[n] = '\0';
            }
            if (parent >= 0 && node(L, parent)->type == Y_MAP &&
                node(L, parent)->nchild % 2 == 1 && (rc = check_dup_key(L, parent, i)))
                break;
            if (t != Y_SCALAR) {
                if (depth == SCOPE_MAX_DEPTH) {
                    rc = AT(L, node(L, i), "nesting deeper than the limit of %d",
                            SCOPE_MAX_DEPTH);
                    break;
                }
                stack[depth++] = i;
            }
            break;
        }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            if (depth > 0)
                depth--;
            break;
        default: break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    if (!rc && root < 0)
        rc = at_lc(L, 1, 1, "empty scope file");
    return rc;
}

/* ---- values ----------------------------------------------------------- */

static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return n > 0;
}

static int days_in_month(int y, int m)
{
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
}

bool scope_parse_time(const char *s, uint64_t *us)
{
    size_t n = strlen(s);
    if (n < 10 || !all_digits(s, 4) || s[4] != '-' || !all_digits(s + 5, 2) || s[7] != '-' ||
        !all_digits(s + 8, 2))
        return false;
    struct tm tm = {0};
    tm.tm_year = atoi(s) - 1900;
    tm.tm_mon = atoi(s + 5) - 1;
    tm.tm_mday = atoi(s + 8);
    uint64_t frac = 0;
    if (tm.tm_year + 1900 < 1970 || tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 ||
        tm.tm_mday > days_in_month(tm.tm_year + 1900, tm.tm_mon + 1))
        return false;
    const char *p = s + 10;
    if (*p) {
        if ((*p != 'T' && *p != 't') || strlen(p) < 9 || !all_digits(p + 1, 2) || p[3] != ':' ||
            !all_digits(p + 4, 2) || p[6] != ':' || !all_digits(p + 7, 2))
            return false;
        tm.tm_hour = atoi(p + 1);
        tm.tm_min = atoi(p + 4);
        tm.tm_sec = atoi(p + 7);
        if (tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 59)
            return false;
        p += 9;
        if (*p == '.') {
            size_t k = 0;
            for (p++; *p >= '0' && *p <= '9'; p++, k++) {
                if (k >= 6)
                    return false; /* microsecond resolution (DOMAIN.md §1.6 item 5) */
                frac = frac * 10 + (uint64_t)(*p - '0');
            }
            if (k == 0)
                return false;
            for (; k < 6; k++)
                frac *= 10;
        }
        /* UTC only: a local offset would make the window depend on a zone. */
        if (strcmp(p, "Z") != 0 && strcmp(p, "z") != 0 && strcmp(p, "+00:00") != 0)
            return false;
    }
    time_t t = timegm(&tm);
    if (t < 0)
        return false;
    *us = (uint64_t)t * 1000000u + frac;
    return true;
}

bool scope_canon_msisdn(const char *s, char *out, size_t cap)
{
    static const char *const schemes[] = {"tel:", "sip:", "sips:"};
    bool uri = false;
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
        if (strncasecmp(s, schemes[i], strlen(schemes[i])) == 0) {
            s += strlen(schemes[i]);
            uri = true;
            break;
        }
    char digits[SCOPE_MSISDN_MAX_DIGITS + 1];
    size_t nd = 0;
    bool plus = false;
    for (const char *p = s; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (nd == SCOPE_MSISDN_MAX_DIGITS)
                return false;
            digits[nd++] = *p;
        } else if (*p == '+' && nd == 0 && !plus) {
            plus = true;
        } else if (*p == ' ' || *p == '-' || *p == '.' || *p == '(' || *p == ')') {
            continue; /* RFC 3966 §5.1.1 visual separators, and spaces as people write */
        } else if (uri && (*p == '@' || *p == ';')) {
            break;
        } else {
            return false;
        }
    }
    if (nd < SCOPE_MSISDN_MIN_DIGITS || nd + 1 > cap)
        return false;
    memcpy(out, digits, nd);
    out[nd] = '\0';
    return true;
}

/* Luhn check over the 15 digits of an IMEI (TS 23.003 annex B). */
static bool luhn_ok(const char *d, size_t n)
{
    unsigned sum = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned v = (unsigned)(d[n - 1 - i] - '0');
        if (i % 2 == 1) {
            v *= 2;
            if (v > 9)
                v -= 9;
        }
        sum += v;
    }
    return sum % 10 == 0;
}

const char *scope_target_kind_name(enum scope_target_kind k)
{
    switch (k) {
    case SCOPE_TARGET_MSISDN: return "msisdn";
    case SCOPE_TARGET_IMSI: return "imsi";
    case SCOPE_TARGET_IMEI: return "imei";
    case SCOPE_TARGET_IP: return "ip";
    case SCOPE_TARGET_URI: return "uri";
    case SCOPE_TARGET_KIND_COUNT: break;
    }
    return "?";
}

static const char *const output_names[] = {"records", "inferred-activity", "inferred-contact"};

void scope_outputs_text(unsigned outputs, char *out, size_t cap)
{
    size_t n = 0;
    if (cap)
        out[0] = '\0';
    for (size_t i = 0; i < sizeof output_names / sizeof output_names[0]; i++)
        if (outputs & (1u << i)) {
            int w = snprintf(out + n, cap > n ? cap - n : 0, "%s%s", n ? ", " : "",
                             output_names[i]);
            if (w > 0)
                n += (size_t)w;
        }
}

void scope_format_time(uint64_t us, char out[32])
{
    time_t t = (time_t)(us / 1000000u);
    struct tm tm;
    gmtime_r(&t, &tm);
    size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
    if (us % 1000000u)
        snprintf(out + n, 32 - n, ".%06uZ", (unsigned)(us % 1000000u));
    else
        snprintf(out + n, 32 - n, "Z");
}

void scope_targets_text(const struct scope *s, char *out, size_t cap)
{
    size_t n = 0;
    if (cap == 0)
        return;
    out[0] = '\0';
    for (size_t i = 0; i < s->ntargets && n < cap; i++) {
        const struct scope_target *t = &s->targets[i];
        char a[32] = "", b[32] = "";
        if (t->own_window) {
            scope_format_time(t->window.from_us, a);
            scope_format_time(t->window.to_us, b);
        }
        int w = snprintf(out + n, cap - n, "%s%s %s%s%s%s%s", i ? "; " : "",
                         scope_target_kind_name(t->kind), t->value, t->own_window ? " [" : "",
                         a, t->own_window ? ", " : "", t->own_window ? "" : "");
        if (w < 0)
            break;
        n += (size_t)w;
        if (t->own_window && n < cap) {
            w = snprintf(out + n, cap - n, "%s)", b);
            if (w < 0)
                break;
            n += (size_t)w;
        }
    }
}

/* ---- schema ----------------------------------------------------------- */

static const char *scalar(struct loader *L, int i)
{
    return i >= 0 && node(L, i)->type == Y_SCALAR ? node(L, i)->s : NULL;
}

static int get_text(struct loader *L, int i, const char *key, char *dst, size_t cap)
{
    const char *v = scalar(L, i);
    if (!v)
        return AT(L, node(L, i), "'%s' must be a string", key);
    if (!*v)
        return AT(L, node(L, i), "'%s' must not be empty", key);
    if (strlen(v) >= cap)
        return AT(L, node(L, i), "'%s' is longer than %zu bytes", key, cap - 1);
    for (const unsigned char *c = (const unsigned char *)v; *c; c++)
        if (*c < 0x20 || *c == 0x7f)
            return AT(L, node(L, i), "'%s' contains a control character", key);
    str_copy(dst, cap, v);
    return 0;
}

static int get_time(struct loader *L, int i, const char *key, uint64_t *us)
{
    const char *v = scalar(L, i);
    if (!v || !scope_parse_time(v, us))
        return AT(L, node(L, i),
                  "'%s' must be a UTC time YYYY-MM-DDTHH:MM:SS[.ffffff]Z, not '%s'", key,
                  v ? v : "(not a string)");
    return 0;
}

/* Looks up the keys of map i: each key must be in names; vals[k] gets the
 * value node of names[k] or -1.  Unknown keys are errors. */
static int map_keys(struct loader *L, int i, const char *what, const char *const *names,
                    size_t nnames, int *vals)
{
    if (node(L, i)->type != Y_MAP)
        return AT(L, node(L, i), "%s must be a mapping", what);
    for (size_t k = 0; k < nnames; k++)
        vals[k] = -1;
    for (int c = node(L, i)->first; c >= 0; c = node(L, node(L, c)->next)->next) {
        const char *k = node(L, c)->s;
        size_t j = 0;
        while (j < nnames && strcmp(k, names[j]) != 0)
            j++;
        if (j == nnames)
            return AT(L, node(L, c), "unknown key '%s' in %s", k, what);
        vals[j] = node(L, c)->next;
    }
    return 0;
}

static int parse_window(struct loader *L, int i, const char *what, struct scope_window *w)
{
    static const char *const keys[] = {"from", "to"};
    int v[2];
    if (map_keys(L, i, what, keys, 2, v))
        return RC_CONFIG;
    if (v[0] < 0 || v[1] < 0)
        return AT(L, node(L, i), "%s needs both 'from' and 'to'", what);
    if (get_time(L, v[0], "from", &w->from_us) || get_time(L, v[1], "to", &w->to_us))
        return RC_CONFIG;
    if (w->to_us <= w->from_us)
        return AT(L, node(L, v[1]), "%s: 'to' must be later than 'from'", what);
    return 0;
}

static int parse_ip(struct loader *L, int i, struct scope_target *t)
{
    const char *v = scalar(L, i);
    char a[64];
    if (!v || strlen(v) >= sizeof a)
        return AT(L, node(L, i), "'ip' must be an address or CIDR");
    str_copy(a, sizeof a, v);
    char *slash = strchr(a, '/');
    unsigned maxp;
    if (slash)
        *slash = '\0';
    if (inet_pton(AF_INET, a, t->addr) == 1) {
        t->family = 4;
        maxp = 32;
    } else if (inet_pton(AF_INET6, a, t->addr) == 1) {
        t->family = 6;
        maxp = 128;
    } else {
        return AT(L, node(L, i), "'%s' is not an IPv4 or IPv6 address", a);
    }
    unsigned prefix = maxp;
    if (slash) {
        char *end;
        errno = 0;
        unsigned long p = strtoul(slash + 1, &end, 10);
        if (errno || end == slash + 1 || *end || p > maxp)
            return AT(L, node(L, i), "prefix length must be 0..%u", maxp);
        prefix = (unsigned)p;
    }
    for (unsigned b = prefix; b < maxp; b++)
        if (t->addr[b / 8] & (0x80u >> (b % 8)))
            return AT(L, node(L, i), "'%s' has host bits set beyond /%u", v, prefix);
    t->prefix = (uint8_t)prefix;
    char txt[INET6_ADDRSTRLEN];
    inet_ntop(t->family == 4 ? AF_INET : AF_INET6, t->addr, txt, sizeof txt);
    snprintf(t->value, sizeof t->value, "%s/%u", txt, prefix);
    return 0;
}

static int parse_uri(struct loader *L, int i, struct scope_target *t)
{
    const char *v = scalar(L, i);
    if (!v || (strncasecmp(v, "sip:", 4) && strncasecmp(v, "sips:", 5) &&
               strncasecmp(v, "tel:", 4)))
        return AT(L, node(L, i), "'uri' must be a sip:, sips: or tel: URI");
    if (scope_canon_msisdn(v, t->value, sizeof t->value)) {
        t->uri_is_number = true;
        return 0;
    }
    if (strncasecmp(v, "tel:", 4) == 0)
        return AT(L, node(L, i), "tel: URI '%s' is not a telephone number", v);
    const char *u = v + (strncasecmp(v, "sips:", 5) == 0 ? 5 : 4);
    size_t n = strcspn(u, ";?>");
    if (n == 0 || n >= sizeof t->value || !memchr(u, '@', n))
        return AT(L, node(L, i), "sip URI '%s' needs user@host", v);
    for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)u[k];
        if (c <= 0x20 || c >= 0x7f)
            return AT(L, node(L, i), "sip URI contains a space or non-ASCII byte");
        t->value[k] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    t->value[n] = '\0';
    return 0;
}

static int parse_target(struct loader *L, int i)
{
    static const char *const keys[] = {"msisdn", "imsi", "imei", "ip", "uri", "window"};
    int v[6];
    if (map_keys(L, i, "a target", keys, 6, v))
        return RC_CONFIG;
    if (L->s->ntargets >= SCOPE_MAX_TARGETS)
        return AT(L, node(L, i), "more than the limit of %d targets", SCOPE_MAX_TARGETS);
    struct scope_target *t = &L->s->targets[L->s->ntargets];
    memset(t, 0, sizeof *t);
    int which = -1;
    for (int k = 0; k < SCOPE_TARGET_KIND_COUNT; k++)
        if (v[k] >= 0) {
            if (which >= 0)
                return AT(L, node(L, v[k]), "a target names one identifier ('%s' and '%s')",
                          keys[which], keys[k]);
            which = k;
        }
    if (which < 0)
        return AT(L, node(L, i), "a target needs one of msisdn, imsi, imei, ip, uri");
    t->kind = (enum scope_target_kind)which;
    t->line = node(L, i)->line;
    t->col = node(L, i)->col;
    int vn = v[which];
    const char *s = scalar(L, vn);
    if (!s || !*s)
        return AT(L, node(L, vn), "'%s' must be a non-empty string", keys[which]);
    char d[32];
    size_t nd = 0;
    switch (t->kind) {
    case SCOPE_TARGET_MSISDN:
        if (!scope_canon_msisdn(s, t->value, sizeof t->value))
            return AT(L, node(L, vn), "msisdn '%s' is not a telephone number of %d-%d digits",
                      s, SCOPE_MSISDN_MIN_DIGITS, SCOPE_MSISDN_MAX_DIGITS);
        break;
    case SCOPE_TARGET_IMSI:
        if (strlen(s) < SCOPE_IMSI_MIN_DIGITS || strlen(s) > SCOPE_IMSI_MAX_DIGITS ||
            !all_digits(s, strlen(s)))
            return AT(L, node(L, vn), "imsi '%s' must be %d-%d digits", s,
                      SCOPE_IMSI_MIN_DIGITS, SCOPE_IMSI_MAX_DIGITS);
        str_copy(t->value, sizeof t->value, s);
        break;
    case SCOPE_TARGET_IMEI:
        for (const char *p = s; *p; p++) {
            if (*p >= '0' && *p <= '9' && nd < sizeof d - 1)
                d[nd++] = *p;
            else if (*p != ' ' && *p != '-' && *p != '/')
                return AT(L, node(L, vn), "imei '%s' has a character other than digits", s);
        }
        d[nd] = '\0';
        /* 14 (no check digit), 15 (IMEI with Luhn check digit), 16 (IMEISV) */
        if (nd < 14 || nd > 16)
            return AT(L, node(L, vn), "imei '%s' must have 14, 15 or 16 digits", s);
        if (nd == 15 && !luhn_ok(d, 15))
            return AT(L, node(L, vn), "imei '%s' fails its check digit", s);
        d[SCOPE_IMEI_KEY_DIGITS] = '\0';
        str_copy(t->value, sizeof t->value, d);
        break;
    case SCOPE_TARGET_IP:
        if (parse_ip(L, vn, t))
            return RC_CONFIG;
        break;
    case SCOPE_TARGET_URI:
        if (parse_uri(L, vn, t))
            return RC_CONFIG;
        break;
    case SCOPE_TARGET_KIND_COUNT: break;
    }
    t->window = L->s->window;
    if (v[5] >= 0) {
        if (parse_window(L, v[5], "target window", &t->window))
            return RC_CONFIG;
        if (t->window.from_us < L->s->window.from_us || t->window.to_us > L->s->window.to_us)
            return AT(L, node(L, v[5]), "target window must lie inside the scope window");
        t->own_window = true;
    }
    for (size_t k = 0; k < L->s->ntargets; k++)
        if (L->s->targets[k].kind == t->kind && strcmp(L->s->targets[k].value, t->value) == 0)
            return AT(L, node(L, vn), "target '%s' repeats the one at line %u", t->value,
                      L->s->targets[k].line);
    L->s->ntargets++;
    return 0;
}

static int parse_outputs(struct loader *L, int i)
{
    if (node(L, i)->type != Y_SEQ)
        return AT(L, node(L, i), "'outputs' must be a list");
    for (int c = node(L, i)->first; c >= 0; c = node(L, c)->next) {
        const char *v = scalar(L, c);
        size_t k = 0;
        while (v && k < sizeof output_names / sizeof output_names[0] &&
               strcmp(v, output_names[k]) != 0)
            k++;
        if (!v || k == sizeof output_names / sizeof output_names[0])
            return AT(L, node(L, c),
                      "unknown output '%s' (records, inferred-activity, inferred-contact)",
                      v ? v : "");
        if (L->s->outputs & (1u << k))
            return AT(L, node(L, c), "output '%s' is listed twice", v);
        L->s->outputs |= 1u << k;
    }
    if (!(L->s->outputs & SCOPE_OUT_RECORDS))
        return AT(L, node(L, i), "'outputs' must include 'records'");
    return 0;
}

static const char *const authority_kinds[] = {"pen-register", "trap-and-trace", "pen-trap",
                                              "iri-only"};

static int parse_authority(struct loader *L, int i)
{
    static const char *const keys[] = {"kind", "reference", "issued-by", "issued"};
    int v[4];
    if (map_keys(L, i, "'authority'", keys, 4, v))
        return RC_CONFIG;
    for (int k = 0; k < 4; k++)
        if (v[k] < 0)
            return AT(L, node(L, i), "'authority' needs '%s'", keys[k]);
    const char *kind = scalar(L, v[0]);
    size_t k = 0;
    while (kind && k < 4 && strcmp(kind, authority_kinds[k]) != 0)
        k++;
    if (!kind || k == 4)
        return AT(L, node(L, v[0]),
                  "authority kind must be pen-register, trap-and-trace, pen-trap or iri-only");
    str_copy(L->s->authority_kind, sizeof L->s->authority_kind, kind);
    uint64_t t;
    if (get_text(L, v[1], "reference", L->s->reference, sizeof L->s->reference) ||
        get_text(L, v[2], "issued-by", L->s->issued_by, sizeof L->s->issued_by) ||
        get_text(L, v[3], "issued", L->s->issued, sizeof L->s->issued) ||
        get_time(L, v[3], "issued", &t))
        return RC_CONFIG;
    return 0;
}

static int parse_root(struct loader *L, int root)
{
    static const char *const keys[] = {"version", "case",    "authority", "window",
                                       "outputs", "operator", "targets"};
    enum { K_VERSION, K_CASE, K_AUTH, K_WINDOW, K_OUTPUTS, K_OPERATOR, K_TARGETS, K_N };
    int v[K_N];
    if (map_keys(L, root, "the scope file", keys, K_N, v))
        return RC_CONFIG;
    for (int k = 0; k < K_N; k++)
        if (v[k] < 0)
            return AT(L, node(L, root), "missing '%s'", keys[k]);
    const char *ver = scalar(L, v[K_VERSION]);
    if (!ver || strcmp(ver, "1") != 0)
        return AT(L, node(L, v[K_VERSION]), "unsupported scope version '%s' (1)",
                  ver ? ver : "");
    if (get_text(L, v[K_CASE], "case", L->s->liid, sizeof L->s->liid))
        return RC_CONFIG;
    for (const char *c = L->s->liid; *c; c++)
        if ((unsigned char)*c > 0x7e)
            return AT(L, node(L, v[K_CASE]), "'case' must be printable ASCII (TS 101 671 LIID)");
    if (parse_authority(L, v[K_AUTH]) || parse_window(L, v[K_WINDOW], "'window'",
                                                       &L->s->window) ||
        parse_outputs(L, v[K_OUTPUTS]) ||
        get_text(L, v[K_OPERATOR], "operator", L->s->operator_name,
                 sizeof L->s->operator_name))
        return RC_CONFIG;
    int tl = v[K_TARGETS];
    if (node(L, tl)->type != Y_SEQ)
        return AT(L, node(L, tl), "'targets' must be a list");
    if (node(L, tl)->nchild == 0)
        return AT(L, node(L, tl), "'targets' must name at least one target");
    for (int c = node(L, tl)->first; c >= 0; c = node(L, c)->next)
        if (parse_target(L, c))
            return RC_CONFIG;
    return 0;
}

static int sha256_hex(const uint8_t *buf, size_t len, char out[65], struct err *e)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    if (!EVP_Digest(buf, len, md, &n, EVP_sha256(), NULL) || n != 32)
        return err_set(e, RC_NOMEM, "SHA-256 failed");
    for (unsigned i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
    return 0;
}

struct scope *scope_load_buffer(const char *name, const uint8_t *buf, size_t len, struct err *e)
{
    if (len > SCOPE_FILE_MAX) {
        err_set(e, RC_LIMIT, "%s: larger than the limit of %u bytes", name, SCOPE_FILE_MAX);
        return NULL;
    }
    struct loader L = {.file = name, .e = e};
    L.s = calloc(1, sizeof *L.s);
    if (!L.s) {
        err_set(e, RC_NOMEM, "out of memory loading %s", name);
        return NULL;
    }
    str_copy(L.s->file, sizeof L.s->file, name);
    L.s->bytes = malloc(len ? len : 1);
    if (!L.s->bytes) {
        err_set(e, RC_NOMEM, "out of memory loading %s", name);
        goto fail;
    }
    memcpy(L.s->bytes, buf, len);
    L.s->nbytes = len;
    if (parse_doc(&L, L.s->bytes, len))
        goto fail;
    if (node(&L, 0)->type != Y_MAP) {
        AT(&L, node(&L, 0), "the scope file must be a mapping");
        goto fail;
    }
    if (parse_root(&L, 0) || sha256_hex(buf, len, L.s->sha256_hex, e))
        goto fail;
    doc_free(&L.d);
    return L.s;
fail:
    doc_free(&L.d);
    scope_free(L.s);
    return NULL;
}

struct scope *scope_load_file(const char *path, struct err *e)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        err_set(e, RC_IO, "%s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat sb;
    if (fstat(fileno(fp), &sb) != 0 || !S_ISREG(sb.st_mode)) {
        fclose(fp);
        err_set(e, RC_IO, "%s: not a regular file", path);
        return NULL;
    }
    if ((uint64_t)sb.st_size > SCOPE_FILE_MAX) {
        fclose(fp);
        err_set(e, RC_LIMIT, "%s: larger than the limit of %u bytes", path, SCOPE_FILE_MAX);
        return NULL;
    }
    size_t len = (size_t)sb.st_size;
    uint8_t *buf = malloc(len ? len : 1);
    if (!buf) {
        fclose(fp);
        err_set(e, RC_NOMEM, "out of memory reading %s", path);
        return NULL;
    }
    size_t got = fread(buf, 1, len, fp);
    bool bad = ferror(fp) || got != len;
    fclose(fp);
    if (bad) {
        free(buf);
        err_set(e, RC_IO, "%s: read error", path);
        return NULL;
    }
    struct scope *s = scope_load_buffer(path, buf, len, e);
    free(buf);
    return s;
}

void scope_free(struct scope *s)
{
    if (!s)
        return;
    free(s->bytes);
    free(s);
}
