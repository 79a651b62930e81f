/* fuzz_sctp_chunks.c - the SCTP chunk walk (RFC 9260 section 3.2, 3.3.1)
 * and every registry row that takes SCTP, probing each DATA chunk as the
 * signalling driver does; then every DATA chunk through the duplicate-TSN
 * window and the fragment reassembly (classify/sctp_reasm.c), as the
 * carrier driver does, the input's chunks taken as packets a second apart. */
#include "classify/registry.h"
#include "classify/sctp_chunks.h"
#include "classify/sctp_reasm.h"

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

struct reasm_ctx {
    struct sctp_reasm *r;
    struct sctp_tsn_window w;
    struct slot_budget budget;
    struct sctp_reasm_stats st;
    uint64_t ts_us, delivered;
};

static bool message(const struct sctp_data *d, void *user)
{
    struct reasm_ctx *x = user;
    if (!d->whole || cur_left(&d->user) > SCTP_REASM_MAX_BYTES)
        __builtin_trap();
    probe_all(d, NULL);
    x->delivered++;
    return false;
}

static bool reasm_chunk(const struct sctp_data *d, void *user)
{
    struct reasm_ctx *x = user;
    x->ts_us += 1000000u;
    if (sctp_tsn_seen(&x->w, d->tsn) || d->whole)
        return false;
    if (!x->r && !(x->r = sctp_reasm_new()))
        return false;
    sctp_reasm_push(x->r, d, x->ts_us, &x->budget, &x->st, message, x);
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct reasm_ctx x = {.budget = {0, 4096}};
    sctp_chunks_walk((struct span){data, size}, reasm_chunk, &x);
    sctp_reasm_free(x.r, &x.budget, &x.st);
    if (x.budget.used != 0 || x.delivered != x.st.messages || x.st.dropped > x.st.fragments)
        __builtin_trap();

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
