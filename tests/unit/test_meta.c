/* test_meta.c - bounded identifier copies (classify/meta.c). */
#include "classify/meta.h"

#include <stdlib.h>
#include <string.h>

#include "tests/harness.h"

TEST(plain_lowercase)
{
    struct meta_name m;
    meta_name_set(&m, "Chat.Signal.ORG", 15);
    CHECK_STR(m.s, "chat.signal.org");
    CHECK(!m.cut);
}

TEST(length_limit_and_cut)
{
    struct meta_name m;
    char big[600];
    memset(big, 'A', sizeof big);
    meta_name_set(&m, big, META_NAME_MAX);
    CHECK_EQ_INT(strlen(m.s), META_NAME_MAX);
    CHECK(!m.cut);
    CHECK(m.s[0] == 'a');
    meta_name_set(&m, big, META_NAME_MAX + 1);
    CHECK_EQ_INT(strlen(m.s), META_NAME_MAX);
    CHECK(m.cut);
    meta_name_set(&m, big, sizeof big);
    CHECK_EQ_INT(strlen(m.s), META_NAME_MAX);
    CHECK(m.cut);
    /* A later short copy clears the flag. */
    meta_name_set(&m, "x", 1);
    CHECK(!m.cut);
    CHECK_STR(m.s, "x");
}

TEST(control_and_high_bytes)
{
    struct meta_name m;
    static const unsigned char in[] = {'a', 0x01, '\n', 0x7f, 0x80, 0xff, 'Z', ' ', '~'};
    meta_name_set(&m, in, sizeof in);
    CHECK_STR(m.s, "a?????z ~");
    CHECK(!m.cut);
}

TEST(stops_at_nul)
{
    struct meta_name m;
    meta_name_set(&m, "abc\0def", 7);
    CHECK_STR(m.s, "abc");
    CHECK(!m.cut);
}

TEST(empty)
{
    struct meta_name m;
    memset(&m, 'q', sizeof m);
    meta_name_set(&m, "", 0);
    CHECK_STR(m.s, "");
    CHECK(!m.cut);
    meta_name_set(&m, NULL, 0);
    CHECK_STR(m.s, "");
}

TEST(exact_size_source)
{
    /* Reads no further than n: an exact-size heap copy under ASan. */
    char *p = malloc(3);
    memcpy(p, "XyZ", 3);
    struct meta_name m;
    meta_name_set(&m, p, 3);
    CHECK_STR(m.s, "xyz");
    free(p);
}

int main(void)
{
    RUN(plain_lowercase);
    RUN(length_limit_and_cut);
    RUN(control_and_high_bytes);
    RUN(stops_at_nul);
    RUN(empty);
    RUN(exact_size_source);
    return harness_done();
}
