/* fuzz_m3ua.c - M3UA message decoding (RFC 4666), then SCCP on the
 * Protocol Data it finds. */
#include "classify/m3ua.h"
#include "classify/sccp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cursor c = cur_init(data, size);
    struct m3ua_data m;
    if (m3ua_parse(&c, &m) == PARSE_OK) {
        struct sccp_msg sc;
        if (sccp_parse(&m.payload, &sc) == PARSE_OK)
            (void)cur_left(&sc.data);
    }
    return 0;
}
