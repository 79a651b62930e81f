/* failalloc.c - malloc-failure injection through the linker's --wrap
 * (see failalloc.h).  Test-only: the counters are statics (the STYLE.md "no
 * globals" rule is for trapline itself), updated atomically because the file
 * source hashes each input on a thread of its own (capture/source.c), whose
 * allocations race with the reader's: plain ++/-- lost updates there and made
 * test_oom_source fail about one run in twenty. */
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
static bool calloc_fails, malloc_fails;

void failalloc_after(unsigned long n)
{
    __atomic_store_n(&hit, false, __ATOMIC_SEQ_CST);
    __atomic_store_n(&countdown, n, __ATOMIC_SEQ_CST);
}

void failalloc_calloc(bool fail) { __atomic_store_n(&calloc_fails, fail, __ATOMIC_SEQ_CST); }

void failalloc_malloc(bool fail) { __atomic_store_n(&malloc_fails, fail, __ATOMIC_SEQ_CST); }

bool failalloc_hit(void) { return __atomic_load_n(&hit, __ATOMIC_SEQ_CST); }

long failalloc_live(void) { return __atomic_load_n(&live, __ATOMIC_SEQ_CST); }

/* True when this allocation must fail: exactly one caller takes the count
 * from 1 to 0. */
static bool fail_now(void)
{
    unsigned long c = __atomic_load_n(&countdown, __ATOMIC_SEQ_CST);
    while (c != 0)
        if (__atomic_compare_exchange_n(&countdown, &c, c - 1, false, __ATOMIC_SEQ_CST,
                                        __ATOMIC_SEQ_CST)) {
            if (c == 1) {
                __atomic_store_n(&hit, true, __ATOMIC_SEQ_CST);
                return true;
            }
            return false;
        }
    return false;
}

static void live_add(long d) { __atomic_add_fetch(&live, d, __ATOMIC_SEQ_CST); }

void *__wrap_malloc(size_t n)
{
    if (__atomic_load_n(&malloc_fails, __ATOMIC_SEQ_CST)) {
        __atomic_store_n(&hit, true, __ATOMIC_SEQ_CST);
        return NULL;
    }
    if (fail_now())
        return NULL;
    void *p = __real_malloc(n);
    if (p)
        live_add(1);
    return p;
}

void *__wrap_calloc(size_t k, size_t n)
{
    if (__atomic_load_n(&calloc_fails, __ATOMIC_SEQ_CST)) {
        __atomic_store_n(&hit, true, __ATOMIC_SEQ_CST);
        return NULL;
    }
    if (fail_now())
        return NULL;
    void *p = __real_calloc(k, n);
    if (p)
        live_add(1);
    return p;
}

void *__wrap_realloc(void *old, size_t n)
{
    if (fail_now())
        return NULL; /* old stays valid, as realloc promises */
    void *p = __real_realloc(old, n);
    if (!old && p)
        live_add(1);
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
        live_add(-1);
    __real_free(p);
}
