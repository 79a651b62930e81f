/* tcp_reasm.c - bounded in-order TCP stream buffer (see tcp_reasm.h). */
#include "classify/tcp_reasm.h"

#include <stdlib.h>
#include <string.h>

/* Signed distance a - b in sequence space (RFC 9293 section 3.4). */
static int64_t seq_diff(uint32_t a, uint32_t b) { return (int32_t)(a - b); }

struct tcp_reasm *tcp_reasm_new(void) { return calloc(1, sizeof(struct tcp_reasm)); }

void tcp_reasm_free(struct tcp_reasm *r)
{
    if (r)
        free(r->buf);
    free(r);
}

/* Frees the buffer once it holds nothing: most segments carry whole PDUs,
 * so a flow between messages (the idle majority of a capture's live
 * carrier flows) holds no buffer; the next segment takes a new one. */
static void drop_empty(struct tcp_reasm *r)
{
    if (r->len || !r->buf)
        return;
    free(r->buf);
    r->buf = NULL;
    r->cap = 0;
}

static void restart(struct tcp_reasm *r)
{
    r->len = 0;
    drop_empty(r);
    r->skip = 0;
    r->gap = true;
    r->gaps++;
}

static void append(struct tcp_reasm *r, const uint8_t *p, size_t n)
{
    if (r->skip) {
        size_t d = r->skip < n ? (size_t)r->skip : n;
        r->skip -= d;
        p += d;
        n -= d;
    }
    if (n > TCP_REASM_BUF - r->len) {
        /* The buffered PDU prefix never completed within the buffer: drop
         * everything and resynchronise on later data. */
        r->overflows++;
        restart(r);
        return;
    }
    if (n > r->cap - r->len) {
        size_t cap = r->cap ? r->cap : 512;
        while (cap < r->len + n)
            cap *= 2;
        if (cap > TCP_REASM_BUF)
            cap = TCP_REASM_BUF;
        uint8_t *b = realloc(r->buf, cap);
        if (!b) { /* as an overflow: resynchronise on later data (counted) */
            r->overflows++;
            restart(r);
            return;
        }
        r->buf = b;
        r->cap = cap;
    }
    if (n)
        memcpy(r->buf + r->len, p, n);
    r->len += n;
}

void tcp_reasm_push(struct tcp_reasm *r, uint32_t seq, bool syn, const uint8_t *p, size_t n,
                    size_t claimed)
{
    if (syn)
        seq++;
    if (!r->init) {
        r->init = true;
        r->next_seq = seq;
    }
    if (claimed == 0)
        return;
    int64_t d = seq_diff(seq, r->next_seq);
    if (d > 0) {
        /* a hole before this segment */
        restart(r);
        r->next_seq = seq;
        d = 0;
    }
    if (d < 0) {
        uint64_t old = (uint64_t)-d;
        if (old >= claimed) {
            r->retrans++;
            return;
        }
        r->retrans++;
        p += old < n ? old : n;
        n = old < n ? n - (size_t)old : 0;
        claimed -= (size_t)old;
    }
    append(r, p, n);
    r->next_seq += (uint32_t)claimed;
    if (n < claimed) /* the capture cut this segment: the rest is lost */
        restart(r);
}

struct cursor tcp_reasm_data(const struct tcp_reasm *r) { return cur_init(r->buf, r->len); }

void tcp_reasm_consume(struct tcp_reasm *r, uint64_t n)
{
    if (n >= r->len) {
        r->skip += n - r->len;
        r->len = 0;
        drop_empty(r);
        return;
    }
    memmove(r->buf, r->buf + n, r->len - (size_t)n);
    r->len -= (size_t)n;
}

bool tcp_reasm_take_gap(struct tcp_reasm *r)
{
    bool g = r->gap;
    r->gap = false;
    return g;
}

/* Drops bytes up to the first offset that passes header_ok; true when
 * positioned on one (the last hdr_len - 1 bytes are kept otherwise). */
static bool resync_sized(struct tcp_reasm *r, const struct tcp_reasm_framer *f)
{
    size_t i = 0;
    for (; i + f->hdr_len <= r->len; i++) {
        struct span h = {r->buf + i, r->len - i};
        if (f->header_ok(h)) {
            tcp_reasm_consume(r, i);
            return true;
        }
    }
    tcp_reasm_consume(r, i);
    return false;
}

/* Self-delimited streams: drops bytes up to the first line start that
 * passes header_ok (everything when there is none). */
static bool resync_lines(struct tcp_reasm *r, const struct tcp_reasm_framer *f)
{
    for (size_t i = 0; i < r->len; i++) {
        bool line_start = i == 0 || r->buf[i - 1] == '\n';
        if (line_start && f->header_ok((struct span){r->buf + i, r->len - i})) {
            tcp_reasm_consume(r, i);
            return true;
        }
    }
    tcp_reasm_consume(r, r->len);
    return false;
}

/* One self-delimited message: 1 accepted, 0 wait, -1 refused. */
static int one_text(struct tcp_reasm *r, bool *need_resync, tcp_reasm_msg_fn fn, void *user,
                    struct tcp_reasm_pdu_stats *st)
{
    struct cursor c = tcp_reasm_data(r);
    enum parse_rc rc = fn(&c, user);
    if (rc == PARSE_NEED_MORE)
        return 0;
    if (rc != PARSE_OK || c.off == 0) {
        st->invalid++;
        tcp_reasm_consume(r, 1);
        *need_resync = true;
        return -1;
    }
    tcp_reasm_consume(r, c.off);
    return 1;
}

unsigned tcp_reasm_msgs(struct tcp_reasm *r, bool *need_resync, const struct tcp_reasm_framer *f,
                        tcp_reasm_msg_fn fn, void *user, struct tcp_reasm_pdu_stats *st)
{
    unsigned n = 0;
    if (tcp_reasm_take_gap(r))
        *need_resync = true;
    for (;;) {
        if (*need_resync) {
            if (!(f->pdu_len ? resync_sized(r, f) : resync_lines(r, f)))
                return n;
            st->resyncs++;
            *need_resync = false;
        }
        if (!f->pdu_len) {
            if (r->len == 0)
                return n;
            int k = one_text(r, need_resync, fn, user, st);
            if (k == 0)
                return n;
            n += k > 0;
            continue;
        }
        if (r->len < f->hdr_len)
            return n;
        struct span h = {r->buf, r->len};
        if (!f->header_ok(h)) {
            st->invalid++;
            *need_resync = true;
            continue;
        }
        size_t len = f->pdu_len(h);
        if (len < f->hdr_len) {
            st->invalid++;
            *need_resync = true;
            tcp_reasm_consume(r, 1);
            continue;
        }
        if (len > TCP_REASM_BUF) {
            st->oversize++;
            tcp_reasm_consume(r, len);
            continue;
        }
        if (len > r->len)
            return n; /* wait for the rest */
        struct cursor pdu = cur_init(r->buf, len);
        if (fn(&pdu, user) == PARSE_OK)
            n++;
        else
            st->invalid++;
        tcp_reasm_consume(r, len);
    }
}
