/* fuzz_sccp.c - SCCP connectionless messages (ITU-T Q.713: UDT, XUDT):
 * pointers, party addresses, global titles. */
#include "classify/sccp.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cursor c = cur_init(data, size);
    struct sccp_msg sc;
    if (sccp_parse(&c, &sc) == PARSE_OK) {
        /* the digits are NUL-terminated within their arrays */
        if (strnlen(sc.called.gt, sizeof sc.called.gt) == sizeof sc.called.gt ||
            strnlen(sc.calling.gt, sizeof sc.calling.gt) == sizeof sc.calling.gt)
            __builtin_trap();
        (void)cur_left(&sc.data);
    }
    return 0;
}
