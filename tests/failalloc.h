/* failalloc.h - allocation-failure injection for OOM tests (STYLE.md section 8,
 * the SQLite malloc-failure pattern).
 *
 * Test binaries named tests/unit/test_oom_*.c are linked with tests/failalloc.c
 * and -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=free,
 * so every allocation made by trapline's own code (the test and libtrapline.a;
 * not the shared libraries it calls) goes through the counters below.
 */
#ifndef PR_TESTS_FAILALLOC_H
#define PR_TESTS_FAILALLOC_H

#include <stdbool.h>
#include <stddef.h>

/* Makes the n-th allocation from now fail (and only that one); n = 0 turns
 * injection off.  Resets the "hit" flag. */
void failalloc_after(unsigned long n);

/* While on, every calloc fails (and sets the "hit" flag); malloc and
 * realloc are not affected.  For a failure that persists (a table that
 * cannot grow) while other allocations go on. */
void failalloc_calloc(bool fail);

/* The same for malloc (calloc and realloc are not affected). */
void failalloc_malloc(bool fail);

/* True when the armed failure has happened since the last failalloc_after. */
bool failalloc_hit(void);

/* Allocations made through the wrappers and not yet freed (for leak checks
 * in builds without LeakSanitizer). */
long failalloc_live(void);

#endif
