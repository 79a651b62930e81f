/* fuzz_sctp_chunks.c - the SCTP chunk walk (RFC 9260 section 3.2, 3.3.1)
 * and every registry row that takes SCTP, probing each DATA chunk as the
 * signalling driver does. */
#include "classify/registry.h"
#include "classify/sctp_chunks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool probe_all(const struct sctp_data *d, void *user)
{
    (void)user;
    size_t n;
    const struct proto_ops *const *rows = registry_rows(&n);
    struct proto_probe pp = {.transport = PROTO_T_SCTP, .sport = 2905, .dport = 3868,
                             .ppid = d->ppid, .bytes = cur_rest(&d->user)};
    for (size_t i = 0; i < n; i++)
        if (rows[i]->transports & PROTO_T_SCTP)
            (void)rows[i]->probe(&pp);
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned seen = sctp_chunks_walk((struct span){data, size}, probe_all, NULL);
    if (seen > SCTP_MAX_CHUNKS)
        __builtin_trap();
    struct cursor c = cur_init(data, size);
    struct sctp_chunk ch;
    for (unsigned i = 0; i < SCTP_MAX_CHUNKS && sctp_chunks_next(&c, &ch) == PARSE_OK; i++) {
        struct sctp_data d;
        if (ch.type == SCTP_CHUNK_DATA && sctp_chunks_data(&ch, &d) == PARSE_OK)
            (void)cur_left(&d.user);
    }
    return 0;
}
