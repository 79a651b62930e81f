/* fuzz_dns.c - DNS message parser on arbitrary bytes, then the name binder. */
#include <stdlib.h>
#include <string.h>

#include "classify/dns.h"
#include "classify/dnsbind.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *c = malloc(size ? size : 1);
    if (!c)
        return 0;
    memcpy(c, data, size);
    struct dns_msg m;
    if (dns_parse_message(c, size, &m) == PARSE_OK) {
        struct dnsbind *t = dnsbind_new(16, NULL);
        static const uint8_t client[4] = {10, 0, 0, 1};
        struct meta_name n;
        for (unsigned i = 0; t && i < m.nanswers; i++) {
            dnsbind_add(t, 4, client, m.answers[i].family, m.answers[i].addr, m.qname.s,
                        m.answers[i].ttl, 0);
            dnsbind_lookup(t, 4, client, m.answers[i].family, m.answers[i].addr, 1, &n);
        }
        dnsbind_free(t);
    }
    free(c);
    return 0;
}
