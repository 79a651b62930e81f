/* names.c - interned, reference-counted server names (see names.h). */
#include "classify/names.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "capture/siphash.h"

/* One distinct name.  Slots are reused through a free list (next). */
struct nent {
    char *s;        /* NUL-terminated, NULL while the slot is free */
    uint32_t refs;
    uint32_t hash;
    uint32_t next;  /* bucket chain, or free list; 0 ends it (slot 0 is unused) */
    uint16_t len;
    bool cut;
};

struct names {
    struct nent *e;       /* e[0] unused: id 0 is the empty name */
    uint32_t n, cap;      /* slots in use or freed / allocated */
    uint32_t free_head;
    uint32_t *bucket;     /* heads, nbucket a power of two */
    uint32_t nbucket;
    uint8_t key[16];
    struct names_stats st;
};

#define NAMES_FIRST_BUCKETS 1024u

struct names *names_new(struct err *e)
{
    struct names *t = calloc(1, sizeof *t);
    if (t)
        t->bucket = calloc(NAMES_FIRST_BUCKETS, sizeof *t->bucket);
    if (!t || !t->bucket) {
        free(t);
        err_set(e, RC_NOMEM, "out of memory for the name pool");
        return NULL;
    }
    t->nbucket = NAMES_FIRST_BUCKETS;
    t->n = 1;
    if (getrandom(t->key, sizeof t->key, GRND_NONBLOCK) != (ssize_t)sizeof t->key)
        memcpy(t->key, "trapline-names!!", sizeof t->key); /* placement only */
    return t;
}

void names_free(struct names *t)
{
    if (!t)
        return;
    for (uint32_t i = 1; i < t->n; i++)
        free(t->e[i].s);
    free(t->e);
    free(t->bucket);
    free(t);
}

/* Doubles the bucket array when the names outnumber it (chains stay short). */
static void grow_buckets(struct names *t)
{
    if (t->st.live < t->nbucket || t->nbucket > UINT32_MAX / 4)
        return;
    uint32_t nb = t->nbucket * 2;
    uint32_t *b = calloc(nb, sizeof *b);
    if (!b)
        return; /* longer chains, still correct */
    for (uint32_t i = 1; i < t->n; i++) {
        struct nent *x = &t->e[i];
        if (!x->s)
            continue;
        x->next = b[x->hash & (nb - 1)];
        b[x->hash & (nb - 1)] = i;
    }
    free(t->bucket);
    t->bucket = b;
    t->nbucket = nb;
}

/* A free slot index, or 0 when none can be had. */
static uint32_t slot(struct names *t)
{
    if (t->free_head) {
        uint32_t i = t->free_head;
        t->free_head = t->e[i].next;
        return i;
    }
    if (t->n >= t->cap) {
        if (t->cap > UINT32_MAX / 2)
            return 0;
        uint32_t cap = t->cap ? t->cap * 2 : 1024;
        struct nent *e = realloc(t->e, (size_t)cap * sizeof *e);
        if (!e)
            return 0;
        t->e = e;
        t->cap = cap;
    }
    return t->n++;
}

static uint32_t intern(struct names *t, const struct meta_name *m)
{
    size_t len = strnlen(m->s, META_NAME_MAX);
    if (len == 0)
        return 0;
    uint32_t h = (uint32_t)siphash13(t->key, m->s, len) ^ (m->cut ? 0x9e3779b9u : 0);
    for (uint32_t i = t->bucket[h & (t->nbucket - 1)]; i; i = t->e[i].next) {
        struct nent *x = &t->e[i];
        if (x->hash == h && x->len == len && x->cut == m->cut && memcmp(x->s, m->s, len) == 0) {
            x->refs++;
            return i;
        }
    }
    char *s = malloc(len + 1);
    uint32_t i = s ? slot(t) : 0;
    if (!i) {
        free(s);
        t->st.nomem++;
        return 0;
    }
    memcpy(s, m->s, len);
    s[len] = '\0';
    t->e[i] = (struct nent){.s = s, .refs = 1, .hash = h, .len = (uint16_t)len, .cut = m->cut,
                            .next = t->bucket[h & (t->nbucket - 1)]};
    t->bucket[h & (t->nbucket - 1)] = i;
    if (++t->st.live > t->st.peak)
        t->st.peak = t->st.live;
    grow_buckets(t);
    return i;
}

void names_drop(struct names *t, uint32_t *id)
{
    uint32_t i = *id;
    *id = 0;
    if (!i || i >= t->n || !t->e[i].s)
        return;
    struct nent *x = &t->e[i];
    if (--x->refs)
        return;
    uint32_t *p = &t->bucket[x->hash & (t->nbucket - 1)];
    while (*p && *p != i)
        p = &t->e[*p].next;
    if (*p)
        *p = x->next;
    free(x->s);
    x->s = NULL;
    x->next = t->free_head;
    t->free_head = i;
    t->st.live--;
}

void names_set(struct names *t, uint32_t *id, const struct meta_name *m)
{
    uint32_t n = intern(t, m); /* first: m may be the name *id holds */
    names_drop(t, id);
    *id = n;
}

const char *names_str(const struct names *t, uint32_t id)
{
    return id && id < t->n && t->e[id].s ? t->e[id].s : "";
}

void names_get(const struct names *t, uint32_t id, struct meta_name *out)
{
    const struct nent *x = id && id < t->n && t->e[id].s ? &t->e[id] : NULL;
    if (!x) {
        out->s[0] = '\0';
        out->cut = false;
        return;
    }
    memcpy(out->s, x->s, (size_t)x->len + 1);
    out->cut = x->cut;
}

void names_get_stats(const struct names *t, struct names_stats *out) { *out = t->st; }
