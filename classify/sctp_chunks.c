/* sctp_chunks.c - SCTP chunk walk (see sctp_chunks.h). */
#include "classify/sctp_chunks.h"

enum parse_rc sctp_chunks_next(struct cursor *c, struct sctp_chunk *out)
{
    if (cur_left(c) == 0)
        return cur_ok(c) ? PARSE_NEED_MORE : PARSE_TRUNCATED;
    out->type = cur_u8(c);
    out->flags = cur_u8(c);
    uint16_t len = cur_be16(c);
    if (!cur_ok(c))
        return PARSE_TRUNCATED;
    if (len < 4)
        return PARSE_INVALID;
    bool cut;
    out->val = cur_sub_clamped(c, len - 4u, &cut);
    if (cut)
        return PARSE_TRUNCATED;
    size_t pad = (4u - (len & 3u)) & 3u;
    cur_skip(c, pad < cur_left(c) ? pad : cur_left(c));
    return PARSE_OK;
}

enum parse_rc sctp_chunks_data(const struct sctp_chunk *ch, struct sctp_data *out)
{
    struct cursor v = ch->val;
    out->tsn = cur_be32(&v);
    out->stream = cur_be16(&v);
    out->ssn = cur_be16(&v);
    out->ppid = cur_be32(&v);
    if (!cur_ok(&v))
        return PARSE_TRUNCATED;
    out->flags = ch->flags;
    out->whole = (ch->flags & (SCTP_FLAG_B | SCTP_FLAG_E)) == (SCTP_FLAG_B | SCTP_FLAG_E);
    cur_sub(&v, cur_left(&v), &out->user);
    return PARSE_OK;
}

unsigned sctp_chunks_walk(struct span payload, sctp_data_fn fn, void *user)
{
    struct cursor c = cur_init(payload.p, payload.n);
    struct sctp_chunk ch;
    unsigned n = 0;
    for (unsigned i = 0; i < SCTP_MAX_CHUNKS && sctp_chunks_next(&c, &ch) == PARSE_OK; i++) {
        struct sctp_data d;
        if (ch.type != SCTP_CHUNK_DATA || sctp_chunks_data(&ch, &d) != PARSE_OK)
            continue;
        n++;
        if (fn(&d, user))
            break;
    }
    return n;
}
