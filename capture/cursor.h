/* cursor.h - the bounds-checked byte cursor: the only way to read packet bytes.
 *
 * Every length check compares lengths, never pointers (`n > len - off`), the
 * overflow-proof form from tcpdump.  The error is sticky: after the first short
 * read every accessor returns 0 and nothing advances, so a parser reads a group
 * of fields and tests cur_ok() once.  A length taken from the packet becomes a
 * child cursor (cur_sub) so an inner parser cannot read past what its header
 * declared.  Cursors and spans are borrowed views of memory owned elsewhere.
 */
#ifndef PR_CAPTURE_CURSOR_H
#define PR_CAPTURE_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct cursor {
    const uint8_t *base;
    size_t len;
    size_t off;
    bool err;
};

/* A borrowed byte range. */
struct span {
    const uint8_t *p;
    size_t n;
};

static inline struct cursor cur_init(const uint8_t *p, size_t n)
{
    struct cursor c = {p, p ? n : 0, 0, false};
    return c;
}

static inline bool cur_ok(const struct cursor *c) { return !c->err; }

static inline size_t cur_left(const struct cursor *c) { return c->err ? 0 : c->len - c->off; }

static inline size_t cur_off(const struct cursor *c) { return c->off; }

/* True when n more bytes are available; otherwise sets the sticky error. */
static inline bool cur_need(struct cursor *c, size_t n)
{
    if (c->err || n > c->len - c->off) {
        c->err = true;
        return false;
    }
    return true;
}

/* True when n more bytes are available; never sets the error. */
static inline bool cur_has(const struct cursor *c, size_t n)
{
    return !c->err && n <= c->len - c->off;
}

static inline uint8_t cur_u8(struct cursor *c)
{
    if (!cur_need(c, 1))
        return 0;
    return c->base[c->off++];
}

static inline uint16_t cur_be16(struct cursor *c)
{
    if (!cur_need(c, 2))
        return 0;
    const uint8_t *p = c->base + c->off;
    c->off += 2;
    return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static inline uint32_t cur_be24(struct cursor *c)
{
    if (!cur_need(c, 3))
        return 0;
    const uint8_t *p = c->base + c->off;
    c->off += 3;
    return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

static inline uint32_t cur_be32(struct cursor *c)
{
    if (!cur_need(c, 4))
        return 0;
    const uint8_t *p = c->base + c->off;
    c->off += 4;
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline uint16_t cur_le16(struct cursor *c)
{
    if (!cur_need(c, 2))
        return 0;
    const uint8_t *p = c->base + c->off;
    c->off += 2;
    return (uint16_t)((unsigned)p[1] << 8 | p[0]);
}

static inline uint32_t cur_le32(struct cursor *c)
{
    if (!cur_need(c, 4))
        return 0;
    const uint8_t *p = c->base + c->off;
    c->off += 4;
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* Peeks at the byte `at` positions ahead without advancing; 0 when absent
 * (does not set the error). */
static inline uint8_t cur_peek(const struct cursor *c, size_t at)
{
    if (!cur_has(c, at + 1) || at + 1 == 0)
        return 0;
    return c->base[c->off + at];
}

static inline bool cur_skip(struct cursor *c, size_t n)
{
    if (!cur_need(c, n))
        return false;
    c->off += n;
    return true;
}

/* Borrows the next n bytes as a span and advances past them. */
static inline bool cur_span(struct cursor *c, size_t n, struct span *out)
{
    if (!cur_need(c, n)) {
        out->p = NULL;
        out->n = 0;
        return false;
    }
    out->p = c->base + c->off;
    out->n = n;
    c->off += n;
    return true;
}

/* Copies n bytes into dst (which must hold n bytes). */
static inline bool cur_copy(struct cursor *c, void *dst, size_t n)
{
    if (!cur_need(c, n))
        return false;
    if (n)
        memcpy(dst, c->base + c->off, n);
    c->off += n;
    return true;
}

/* Makes a child cursor over the next n bytes and advances the parent past
 * them.  When fewer than n bytes remain the parent's error is set and the
 * child is empty and errored. */
static inline bool cur_sub(struct cursor *c, size_t n, struct cursor *child)
{
    if (!cur_need(c, n)) {
        *child = cur_init(NULL, 0);
        child->err = true;
        return false;
    }
    *child = cur_init(c->base + c->off, n);
    c->off += n;
    return true;
}

/* Like cur_sub but clamps to what is present: the child covers
 * min(n, left) bytes and *cut says whether the claim exceeded the capture.
 * Used where a header claims a length and a snaplen may have cut it. */
static inline struct cursor cur_sub_clamped(struct cursor *c, size_t n, bool *cut)
{
    size_t left = cur_left(c);
    size_t take = n < left ? n : left;
    *cut = n > left;
    if (c->err || !c->base)
        return cur_init(NULL, 0);
    struct cursor child = cur_init(c->base + c->off, take);
    c->off += take;
    return child;
}

/* Byte i of a borrowed span, 0 when i is outside it.  For the text scans
 * parsers run over a span already taken through a cursor (trimming, finding
 * a delimiter): the bounds check of every such read stays in this file. */
static inline uint8_t span_at(struct span s, size_t i) { return i < s.n ? s.p[i] : 0; }

/* The rest of the cursor as a span (does not advance). */
static inline struct span cur_rest(const struct cursor *c)
{
    struct span s = {NULL, 0};
    if (!c->err && c->base) {
        s.p = c->base + c->off;
        s.n = c->len - c->off;
    }
    return s;
}

#endif
