/* fuzz_tcap_map.c - SCTP chunks -> M3UA -> SCCP -> TCAP/MAP (BER), and
 * TCAP alone on the raw input. */
#include "classify/m3ua.h"
#include "classify/sccp.h"
#include "classify/sctp_chunks.h"
#include "classify/tcap_map.h"
#include "tests/unit/sms_legs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct legs L;
    struct tcap_stats st = {0};
    legs_reset(&L);
    struct cursor c = cur_init(data, size);
    struct sctp_chunk ch;
    for (unsigned i = 0; i < SCTP_MAX_CHUNKS && sctp_chunks_next(&c, &ch) == PARSE_OK; i++) {
        struct sctp_data d;
        struct m3ua_data m;
        struct sccp_msg sc;
        if (ch.type != SCTP_CHUNK_DATA || sctp_chunks_data(&ch, &d) != PARSE_OK ||
            m3ua_parse(&d.user, &m) != PARSE_OK || sccp_parse(&m.payload, &sc) != PARSE_OK)
            continue;
        tcap_map_parse(&sc.data, &sc, 0, 1, legs_fn, &L, &st);
    }
    c = cur_init(data, size);
    tcap_map_parse(&c, NULL, 1, 1, legs_fn, &L, &st);
    return 0;
}
