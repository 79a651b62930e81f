/* yaml_guard.c - linear-time limits on untrusted YAML (see yaml_guard.h). */
#include "signatures/yaml_guard.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* One open collection.  For a mapping, key tells whether the next node is
 * a key; id numbers the mapping so keys of different mappings never meet. */
struct frame {
    bool mapping, key;
    size_t id;
};

/* A scalar key seen in mapping id, for the duplicate check. */
struct key {
    size_t id, seq;
    unsigned long line, col;
    char *s;
    size_t len;
};

struct guard {
    const char *file;
    struct err *e;
    struct frame *stack;
    size_t depth;
    struct key *keys;
    size_t nkeys, capkeys;
};

static int at(struct guard *g, const yaml_mark_t *m, const char *what)
{
    return err_set(g->e, RC_CONFIG, "%s:%lu:%lu: %s", g->file, (unsigned long)m->line + 1,
                   (unsigned long)m->column + 1, what);
}

static int add_key(struct guard *g, size_t id, const yaml_event_t *ev)
{
    if (g->nkeys == g->capkeys) {
        size_t nc = g->capkeys ? g->capkeys * 2 : 64;
        struct key *nk = realloc(g->keys, nc * sizeof *nk);
        if (!nk)
            return err_set(g->e, RC_NOMEM, "out of memory checking %s", g->file);
        g->keys = nk;
        g->capkeys = nc;
    }
    size_t len = ev->data.scalar.length;
    char *s = malloc(len + 1);
    if (!s)
        return err_set(g->e, RC_NOMEM, "out of memory checking %s", g->file);
    memcpy(s, ev->data.scalar.value, len);
    s[len] = '\0';
    g->keys[g->nkeys] = (struct key){id, g->nkeys, (unsigned long)ev->start_mark.line + 1,
                                     (unsigned long)ev->start_mark.column + 1, s, len};
    g->nkeys++;
    return 0;
}

static int cmp_key(const void *a, const void *b)
{
    const struct key *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->s, y->s, n);
    if (c)
        return c;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Sorting makes the check O(k log k) however many keys a mapping has; the
 * duplicate reported is the first one in file order. */
static int check_duplicates(struct guard *g)
{
    if (g->nkeys < 2)
        return 0;
    qsort(g->keys, g->nkeys, sizeof *g->keys, cmp_key);
    const struct key *dup = NULL, *orig = NULL;
    for (size_t i = 1; i < g->nkeys; i++) {
        const struct key *a = &g->keys[i - 1], *b = &g->keys[i];
        bool same = a->id == b->id && a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
        bool run_start = i < 2 || !(g->keys[i - 2].id == a->id && g->keys[i - 2].len == a->len &&
                                    memcmp(g->keys[i - 2].s, a->s, a->len) == 0);
        /* In a run of equal keys (sorted by position) the first is the
         * original and the second the first duplicate. */
        if (same && run_start && (!dup || b->seq < dup->seq)) {
            dup = b;
            orig = a;
        }
    }
    if (!dup)
        return 0;
    char what[200];
    snprintf(what, sizeof what, "duplicate key '%.60s' (first given at line %lu, column %lu)",
             dup->s, orig->line, orig->col);
    yaml_mark_t m = {0, dup->line - 1, dup->col - 1};
    return at(g, &m, what);
}

void yaml_guard_defaults(struct yaml_guard_limits *l)
{
    l->max_depth = YAML_GUARD_MAX_DEPTH;
    l->max_nodes = YAML_GUARD_MAX_NODES;
    l->allow_aliases = false;
}

/* A node event in the current collection: counts it, and for a mapping
 * records a scalar key and flips key/value. */
static int node(struct guard *g, const yaml_event_t *ev, size_t *nodes, size_t max_nodes)
{
    if (++*nodes > max_nodes) {
        char what[96];
        snprintf(what, sizeof what, "more than %zu YAML nodes", max_nodes);
        return at(g, &ev->start_mark, what);
    }
    if (g->depth == 0)
        return 0;
    struct frame *f = &g->stack[g->depth - 1];
    if (!f->mapping)
        return 0;
    bool was_key = f->key;
    f->key = !f->key;
    if (was_key && ev->type == YAML_SCALAR_EVENT)
        return add_key(g, f->id, ev);
    return 0;
}

int yaml_guard_check(const char *file, const unsigned char *buf, size_t n,
                     const struct yaml_guard_limits *lim, struct err *e)
{
    struct yaml_guard_limits def;
    if (!lim) {
        yaml_guard_defaults(&def);
        lim = &def;
    }
    struct guard g = {.file = file, .e = e};
    yaml_parser_t parser;
    yaml_event_t ev;
    size_t nodes = 0, docs = 0, maps = 0;
    int rc = 0;
    g.stack = calloc((size_t)lim->max_depth + 1, sizeof *g.stack);
    if (!g.stack)
        return err_set(e, RC_NOMEM, "out of memory checking %s", file);
    if (!yaml_parser_initialize(&parser)) {
        free(g.stack);
        return err_set(e, RC_NOMEM, "out of memory for the YAML parser");
    }
    yaml_parser_set_input_string(&parser, buf, n);
    for (bool done = false; !done && rc == 0;) {
        if (!yaml_parser_parse(&parser, &ev)) {
            char what[200];
            snprintf(what, sizeof what, "YAML error: %s",
                     parser.problem ? parser.problem : "unknown");
            rc = at(&g, &parser.problem_mark, what);
            break;
        }
        switch (ev.type) {
        case YAML_STREAM_END_EVENT: done = true; break;
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1)
                rc = at(&g, &ev.start_mark,
                        "a second YAML document: one document per file is read");
            break;
        case YAML_ALIAS_EVENT:
            if (!lim->allow_aliases) {
                rc = at(&g, &ev.start_mark, "YAML aliases (*name) are not accepted");
                break;
            }
            rc = node(&g, &ev, &nodes, lim->max_nodes);
            break;
        case YAML_SCALAR_EVENT: rc = node(&g, &ev, &nodes, lim->max_nodes); break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            rc = node(&g, &ev, &nodes, lim->max_nodes);
            if (rc)
                break;
            if (g.depth >= lim->max_depth) {
                char what[96];
                snprintf(what, sizeof what, "YAML nested deeper than %u levels", lim->max_depth);
                rc = at(&g, &ev.start_mark, what);
                break;
            }
            g.stack[g.depth++] = (struct frame){ev.type == YAML_MAPPING_START_EVENT, true,
                                                maps++};
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            if (g.depth > 0)
                g.depth--;
            break;
        default: break;
        }
        yaml_event_delete(&ev);
    }
    if (rc == 0)
        rc = check_duplicates(&g);
    for (size_t i = 0; i < g.nkeys; i++)
        free(g.keys[i].s);
    free(g.keys);
    free(g.stack);
    yaml_parser_delete(&parser);
    return rc;
}
