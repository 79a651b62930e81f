/* fuzz_http.c - HTTP request Host parser on arbitrary bytes. */
#include <stdlib.h>
#include <string.h>

#include "classify/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *c = malloc(size ? size : 1);
    if (!c)
        return 0;
    memcpy(c, data, size);
    struct http_req h;
    http_parse_request(c, size, &h);
    free(c);
    return 0;
}
