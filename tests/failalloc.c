/* failalloc.c - malloc-failure injection through the linker's --wrap
 * (see failalloc.h).  Test-only: one process, one thread, so the counters are
 * plain statics (the STYLE.md "no globals" rule is for trapline itself). */
#include "tests/failalloc.h"

#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t k, size_t n);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t k, size_t n);
void *__wrap_realloc(void *p, size_t n);
void *__wrap_strdup(const char *s);
void __wrap_free(void *p);

static unsigned long countdown; /* 0 = off */
static bool hit;
static long live;

void failalloc_after(unsigned long n)
{
    countdown = n;
    hit = false;
}

bool failalloc_hit(void) { return hit; }

long failalloc_live(void) { return live; }

/* True when this allocation must fail. */
static bool fail_now(void)
{
    if (countdown == 0)
        return false;
    if (--countdown == 0) {
        hit = true;
        return true;
    }
    return false;
}

void *__wrap_malloc(size_t n)
{
    if (fail_now())
        return NULL;
    void *p = __real_malloc(n);
    if (p)
        live++;
    return p;
}

void *__wrap_calloc(size_t k, size_t n)
{
    if (fail_now())
        return NULL;
    void *p = __real_calloc(k, n);
    if (p)
        live++;
    return p;
}

void *__wrap_realloc(void *old, size_t n)
{
    if (fail_now())
        return NULL; /* old stays valid, as realloc promises */
    void *p = __real_realloc(old, n);
    if (!old && p)
        live++;
    return p;
}

void *__wrap_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = __wrap_malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

void __wrap_free(void *p)
{
    if (p)
        live--;
    __real_free(p);
}
