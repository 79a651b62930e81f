/* fuzz_sig_load.c - the signature loader (YAML -> sig_set) and the matcher
 * compiler on arbitrary documents. */
#include <stdlib.h>
#include <string.h>

#include "classify/match.h"
#include "signatures/sig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *c = malloc(size ? size : 1);
    if (!c)
        return 0;
    memcpy(c, data, size);
    struct err e;
    struct sig_set *s = sig_load_buffer("fuzz.yaml", c, size, &e);
    if (s) {
        struct match_set *m = match_new(s, &e);
        if (m) {
            static const uint8_t a[16] = {17, 1, 2, 3};
            static const uint8_t pre[4] = {0x57, 0x41, 0x06, 0x03};
            match_name(m, "1-courier.push.apple.com", SIG_ON_ALL);
            match_alpn(m, "h2");
            match_addr(m, 4, a, 6, 5223);
            match_port(m, 6, 5222);
            match_preamble(m, 6, 5222, 0, pre, sizeof pre);
        }
        match_free(m);
    }
    sig_set_free(s);
    free(c);
    return 0;
}
