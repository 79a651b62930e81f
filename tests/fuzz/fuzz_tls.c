/* fuzz_tls.c - TLS ClientHello parser on arbitrary bytes. */
#include <stdlib.h>
#include <string.h>

#include "classify/tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *c = malloc(size ? size : 1); /* exact size: ASan sees overreads */
    if (!c)
        return 0;
    memcpy(c, data, size);
    struct tls_hello h;
    tls_parse_client_hello(c, size, &h);
    free(c);
    return 0;
}
