/* fuzz_tls_cert.c - server Certificate name reader on arbitrary bytes. */
#include <stdlib.h>
#include <string.h>

#include "classify/tls_cert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *c = malloc(size ? size : 1);
    if (!c)
        return 0;
    memcpy(c, data, size);
    struct tls_cert_names m;
    tls_cert_parse(c, size, &m);
    free(c);
    return 0;
}
