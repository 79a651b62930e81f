/* fuzz_scope.c - the scope file loader (signatures/scope.c) on arbitrary
 * documents, and the filter built on whatever it accepts. */
#include <stdlib.h>
#include <string.h>

#include "report/scope_filter.h"
#include "signatures/scope.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *c = malloc(size ? size : 1);
    if (!c)
        return 0;
    memcpy(c, data, size);
    struct err e;
    struct scope *s = scope_load_buffer("fuzz.yaml", c, size, &e);
    if (s) {
        struct scope_filter *f = scope_filter_new(s, &e);
        if (f) {
            static const uint8_t a[16] = {10, 45, 0, 2}, b[16] = {13, 248, 212, 111};
            struct sms_event ev;
            memset(&ev, 0, sizeof ev);
            ev.ts_us = s->window.from_us;
            memcpy(ev.originator, "sip:+15551230001@x", 19);
            memcpy(ev.recipient, "tel:+1-555-123-0002", 20);
            scope_filter_flow(f, 4, a, b, s->window.from_us, NULL);
            scope_filter_sms(f, &ev);
            char txt[4096];
            scope_targets_text(s, txt, sizeof txt);
        }
        scope_filter_free(f);
    }
    scope_free(s);
    free(c);
    return 0;
}
