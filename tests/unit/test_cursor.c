/* test_cursor.c - unit tests for capture/cursor.h, the bounds-checked byte
 * cursor: every accessor, the sticky error, child cursors and lengths near
 * SIZE_MAX (which must fail cleanly, never wrap).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture/cursor.h"
#include "tests/harness.h"

/* Built by hand: counting bytes so every read has a predictable value. */
static const uint8_t bytes[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
                                0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x10};

TEST(init)
{
    struct cursor c = cur_init(bytes, sizeof bytes);
    CHECK(cur_ok(&c));
    CHECK_EQ_INT(cur_left(&c), 16);
    CHECK_EQ_INT(cur_off(&c), 0);
    /* NULL memory is an empty cursor whatever length is claimed. */
    struct cursor e = cur_init(NULL, 100);
    CHECK(cur_ok(&e));
    CHECK_EQ_INT(cur_left(&e), 0);
    CHECK(!cur_has(&e, 1));
    CHECK_EQ_INT(cur_u8(&e), 0);
    CHECK(!cur_ok(&e));
}

TEST(reads_and_byte_order)
{
    struct cursor c = cur_init(bytes, sizeof bytes);
    CHECK_EQ_INT(cur_u8(&c), 0x01);
    CHECK_EQ_INT(cur_be16(&c), 0x0203);
    CHECK_EQ_INT(cur_be24(&c), 0x040506);
    CHECK_EQ_INT(cur_be32(&c), 0x0708090a);
    CHECK_EQ_INT(cur_le16(&c), 0x0c0b);
    CHECK_EQ_INT(cur_le32(&c), 0x100f0e0d);
    CHECK(cur_ok(&c));
    CHECK_EQ_INT(cur_left(&c), 0);
    CHECK_EQ_INT(cur_off(&c), 16);
    /* High bits survive: no sign extension. */
    static const uint8_t ff[] = {0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0x80};
    c = cur_init(ff, sizeof ff);
    CHECK_EQ_INT(cur_be32(&c), 0xffffffffu);
    CHECK_EQ_INT(cur_le32(&c), 0x80fffffeu);
    c = cur_init(ff, sizeof ff);
    CHECK_EQ_INT(cur_be24(&c), 0xffffffu);
    CHECK_EQ_INT(cur_le16(&c), 0xfeffu);
}

TEST(short_reads_each_width)
{
    /* Each accessor fails at a length one short of its width and returns 0
     * without advancing. */
    for (size_t n = 0; n < 4; n++) {
        struct cursor c = cur_init(bytes, n);
        if (n < 1) {
            CHECK_EQ_INT(cur_u8(&c), 0);
            CHECK(!cur_ok(&c));
        }
        c = cur_init(bytes, n);
        if (n < 2) {
            CHECK_EQ_INT(cur_be16(&c), 0);
            CHECK(!cur_ok(&c));
            c = cur_init(bytes, n);
            CHECK_EQ_INT(cur_le16(&c), 0);
            CHECK(!cur_ok(&c));
        }
        c = cur_init(bytes, n);
        if (n < 3) {
            CHECK_EQ_INT(cur_be24(&c), 0);
            CHECK(!cur_ok(&c));
        }
        c = cur_init(bytes, n);
        CHECK_EQ_INT(cur_be32(&c), 0);
        CHECK(!cur_ok(&c));
        CHECK_EQ_INT(cur_off(&c), 0);
        c = cur_init(bytes, n);
        CHECK_EQ_INT(cur_le32(&c), 0);
        CHECK_EQ_INT(cur_off(&c), 0);
    }
}

TEST(sticky_error)
{
    struct cursor c = cur_init(bytes, 3);
    CHECK_EQ_INT(cur_be16(&c), 0x0102);
    CHECK_EQ_INT(cur_be32(&c), 0); /* one byte left: fails */
    CHECK(!cur_ok(&c));
    CHECK_EQ_INT(cur_off(&c), 2);
    /* A byte is still there, but every later call fails and nothing moves. */
    CHECK_EQ_INT(cur_left(&c), 0);
    CHECK(!cur_has(&c, 0));
    CHECK_EQ_INT(cur_u8(&c), 0);
    CHECK_EQ_INT(cur_be16(&c), 0);
    CHECK_EQ_INT(cur_be24(&c), 0);
    CHECK_EQ_INT(cur_le16(&c), 0);
    CHECK_EQ_INT(cur_le32(&c), 0);
    CHECK_EQ_INT(cur_peek(&c, 0), 0);
    CHECK(!cur_skip(&c, 0));
    CHECK(!cur_need(&c, 0));
    struct span s = {bytes, 1};
    CHECK(!cur_span(&c, 0, &s));
    CHECK(s.p == NULL && s.n == 0);
    uint8_t dst[1] = {0xaa};
    CHECK(!cur_copy(&c, dst, 1));
    CHECK_EQ_INT(dst[0], 0xaa);
    struct cursor child;
    CHECK(!cur_sub(&c, 0, &child));
    CHECK(!cur_ok(&child));
    CHECK_EQ_INT(cur_left(&child), 0);
    struct span r = cur_rest(&c);
    CHECK(r.p == NULL && r.n == 0);
    CHECK_EQ_INT(cur_off(&c), 2);
}

TEST(need_and_has)
{
    struct cursor c = cur_init(bytes, 4);
    CHECK(cur_has(&c, 4));
    CHECK(!cur_has(&c, 5));
    CHECK(cur_ok(&c)); /* cur_has never sets the error */
    CHECK(cur_need(&c, 4));
    CHECK(cur_ok(&c));
    CHECK(cur_need(&c, 0));
    CHECK(!cur_need(&c, 5));
    CHECK(!cur_ok(&c));
    c = cur_init(bytes, 4);
    CHECK(!cur_has(&c, SIZE_MAX));
    CHECK(!cur_need(&c, SIZE_MAX));
    CHECK(!cur_ok(&c));
}

TEST(peek)
{
    struct cursor c = cur_init(bytes, 4);
    cur_u8(&c);
    CHECK_EQ_INT(cur_peek(&c, 0), 0x02);
    CHECK_EQ_INT(cur_peek(&c, 2), 0x04);
    CHECK_EQ_INT(cur_peek(&c, 3), 0); /* past the end */
    CHECK_EQ_INT(cur_peek(&c, SIZE_MAX), 0); /* at + 1 wraps to 0 */
    CHECK_EQ_INT(cur_peek(&c, SIZE_MAX - 1), 0);
    CHECK(cur_ok(&c)); /* peeking never sets the error */
    CHECK_EQ_INT(cur_off(&c), 1);
}

TEST(skip)
{
    struct cursor c = cur_init(bytes, 8);
    CHECK(cur_skip(&c, 0));
    CHECK(cur_skip(&c, 3));
    CHECK_EQ_INT(cur_off(&c), 3);
    CHECK(cur_skip(&c, 5));
    CHECK_EQ_INT(cur_left(&c), 0);
    CHECK(!cur_skip(&c, 1));
    CHECK(!cur_ok(&c));
    c = cur_init(bytes, 8);
    cur_u8(&c);
    CHECK(!cur_skip(&c, SIZE_MAX)); /* off + n would wrap */
    CHECK_EQ_INT(cur_off(&c), 1);
    c = cur_init(bytes, 8);
    CHECK(!cur_skip(&c, SIZE_MAX - 7)); /* wraps to exactly 1 past the start */
    CHECK(!cur_ok(&c));
}

TEST(span)
{
    struct cursor c = cur_init(bytes, 8);
    struct span s;
    CHECK(cur_span(&c, 3, &s));
    CHECK(s.p == bytes && s.n == 3);
    CHECK(cur_span(&c, 0, &s));
    CHECK(s.p == bytes + 3 && s.n == 0);
    CHECK(!cur_span(&c, 6, &s));
    CHECK(s.p == NULL && s.n == 0);
    CHECK_EQ_INT(cur_off(&c), 3);
    c = cur_init(bytes, 8);
    CHECK(!cur_span(&c, SIZE_MAX, &s));
    CHECK(s.p == NULL && s.n == 0);
}

TEST(copy)
{
    struct cursor c = cur_init(bytes, 8);
    uint8_t dst[4] = {0};
    CHECK(cur_copy(&c, dst, 4));
    CHECK(memcmp(dst, bytes, 4) == 0);
    CHECK(cur_copy(&c, dst, 0));
    CHECK_EQ_INT(cur_off(&c), 4);
    uint8_t big[8] = {0};
    CHECK(!cur_copy(&c, big, 5));
    CHECK_EQ_INT(big[0], 0); /* nothing copied on failure */
    c = cur_init(bytes, 8);
    CHECK(!cur_copy(&c, big, SIZE_MAX));
    CHECK_EQ_INT(big[0], 0);
}

TEST(sub)
{
    struct cursor c = cur_init(bytes, 10);
    cur_u8(&c);
    struct cursor child;
    CHECK(cur_sub(&c, 4, &child));
    CHECK_EQ_INT(cur_off(&c), 5); /* parent skipped the child's bytes */
    CHECK_EQ_INT(cur_left(&child), 4);
    CHECK_EQ_INT(cur_be32(&child), 0x02030405);
    CHECK_EQ_INT(cur_u8(&child), 0); /* the child cannot read its parent's bytes */
    CHECK(!cur_ok(&child));
    CHECK(cur_ok(&c)); /* and its error does not reach the parent */
    CHECK_EQ_INT(cur_u8(&c), 0x06);

    /* A child longer than what is left fails both. */
    CHECK(!cur_sub(&c, 5, &child));
    CHECK(!cur_ok(&c));
    CHECK(!cur_ok(&child));
    CHECK_EQ_INT(cur_left(&child), 0);

    c = cur_init(bytes, 10);
    CHECK(!cur_sub(&c, SIZE_MAX, &child));
    CHECK(!cur_ok(&child));
    c = cur_init(bytes, 10);
    CHECK(cur_sub(&c, 10, &child)); /* exactly what is left */
    CHECK_EQ_INT(cur_left(&child), 10);
    CHECK(cur_sub(&c, 0, &child)); /* an empty child at the end */
    CHECK(cur_ok(&child));
    CHECK_EQ_INT(cur_left(&child), 0);
}

TEST(sub_clamped)
{
    struct cursor c = cur_init(bytes, 6);
    bool cut = true;
    struct cursor child = cur_sub_clamped(&c, 4, &cut);
    CHECK(!cut);
    CHECK_EQ_INT(cur_left(&child), 4);
    CHECK_EQ_INT(cur_off(&c), 4);
    child = cur_sub_clamped(&c, 100, &cut);
    CHECK(cut);
    CHECK_EQ_INT(cur_left(&child), 2);
    CHECK_EQ_INT(cur_be16(&child), 0x0506);
    CHECK(cur_ok(&c));
    CHECK_EQ_INT(cur_left(&c), 0);
    c = cur_init(bytes, 6);
    child = cur_sub_clamped(&c, SIZE_MAX, &cut);
    CHECK(cut);
    CHECK_EQ_INT(cur_left(&child), 6);
    /* An errored parent gives an empty child. */
    c = cur_init(bytes, 2);
    cur_be32(&c);
    child = cur_sub_clamped(&c, 1, &cut);
    CHECK(cut);
    CHECK_EQ_INT(cur_left(&child), 0);
    CHECK_EQ_INT(cur_off(&c), 0);
}

TEST(rest)
{
    struct cursor c = cur_init(bytes, 8);
    cur_skip(&c, 5);
    struct span r = cur_rest(&c);
    CHECK(r.p == bytes + 5 && r.n == 3);
    CHECK_EQ_INT(cur_off(&c), 5); /* does not advance */
    cur_skip(&c, 3);
    r = cur_rest(&c);
    CHECK(r.p == bytes + 8 && r.n == 0);
}

/* Reads from an exactly sized heap copy at every length: the accessors never
 * touch a byte past len (ASan would report it). */
TEST(exact_heap_every_length)
{
    for (size_t n = 0; n <= sizeof bytes; n++) {
        uint8_t *b = malloc(n ? n : 1);
        if (!b)
            exit(2);
        memcpy(b, bytes, n);
        struct cursor c = cur_init(b, n);
        size_t reads = 0;
        while (cur_ok(&c) && reads < sizeof bytes + 1) {
            cur_be24(&c);
            reads++;
        }
        CHECK_EQ_INT(reads, n / 3 + 1);
        c = cur_init(b, n);
        for (size_t at = 0; at <= n + 1; at++)
            CHECK_EQ_INT(cur_peek(&c, at), at < n ? bytes[at] : 0);
        free(b);
    }
}

int main(void)
{
    RUN(init);
    RUN(reads_and_byte_order);
    RUN(short_reads_each_width);
    RUN(sticky_error);
    RUN(need_and_has);
    RUN(peek);
    RUN(skip);
    RUN(span);
    RUN(copy);
    RUN(sub);
    RUN(sub_clamped);
    RUN(rest);
    RUN(exact_heap_every_length);
    return harness_done();
}
