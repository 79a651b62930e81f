/* test_names.c - the interned name pool: sharing, reference counts, reuse
 * of freed slots, the cut flag, and growth past the first buckets. */
#include "classify/names.h"

#include <stdio.h>
#include <string.h>

#include "tests/harness.h"

static struct meta_name nm(const char *s, bool cut)
{
    struct meta_name m;
    meta_name_set(&m, s, strlen(s));
    m.cut = cut;
    return m;
}

TEST(share_and_free)
{
    struct err e;
    struct names *t = names_new(&e);
    CHECK(t != NULL);
    if (!t)
        return;
    uint32_t a = 0, b = 0, c = 0;
    struct meta_name w = nm("e1.whatsapp.net", false);
    names_set(t, &a, &w);
    names_set(t, &b, &w);
    CHECK(a != 0);
    CHECK_EQ_INT(a, b); /* one copy for two holders */
    uint32_t first = a;
    CHECK_STR(names_str(t, a), "e1.whatsapp.net");
    struct names_stats st;
    names_get_stats(t, &st);
    CHECK_EQ_INT(st.live, 1);
    struct meta_name cut = nm("e1.whatsapp.net", true);
    names_set(t, &c, &cut); /* the same text, cut: another name */
    CHECK(c != a);
    struct meta_name out;
    names_get(t, c, &out);
    CHECK(out.cut);
    CHECK_STR(out.s, "e1.whatsapp.net");
    names_drop(t, &a);
    CHECK_EQ_INT(a, 0);
    CHECK_STR(names_str(t, b), "e1.whatsapp.net"); /* b still holds it */
    names_drop(t, &b);
    names_get_stats(t, &st);
    CHECK_EQ_INT(st.live, 1);
    CHECK_EQ_INT(st.peak, 2);
    /* a freed slot is reused */
    uint32_t d = 0;
    struct meta_name s = nm("chat.signal.org", false);
    names_set(t, &d, &s);
    CHECK_EQ_INT(d, first);
    CHECK_STR(names_str(t, d), "chat.signal.org");
    /* empty is id 0; setting over a held name drops it */
    struct meta_name empty = nm("", false);
    names_set(t, &d, &empty);
    CHECK_EQ_INT(d, 0);
    CHECK_STR(names_str(t, 0), "");
    names_get(t, 0, &out);
    CHECK_STR(out.s, "");
    names_set(t, &c, &cut); /* re-setting the same name keeps it */
    CHECK_STR(names_str(t, c), "e1.whatsapp.net");
    names_drop(t, &c);
    names_get_stats(t, &st);
    CHECK_EQ_INT(st.live, 0);
    names_free(t);
}

TEST(many)
{
    struct err e;
    struct names *t = names_new(&e);
    CHECK(t != NULL);
    if (!t)
        return;
    enum { N = 50000 };
    static uint32_t id[N], id2[N];
    char buf[64];
    for (int i = 0; i < N; i++) {
        snprintf(buf, sizeof buf, "host%d.example", i);
        struct meta_name m = nm(buf, false);
        names_set(t, &id[i], &m);
        names_set(t, &id2[i], &m);
    }
    int bad = 0;
    for (int i = 0; i < N; i++) {
        snprintf(buf, sizeof buf, "host%d.example", i);
        bad += strcmp(names_str(t, id[i]), buf) != 0 || id[i] != id2[i];
    }
    CHECK_EQ_INT(bad, 0);
    struct names_stats st;
    names_get_stats(t, &st);
    CHECK_EQ_INT(st.live, N);
    for (int i = 0; i < N; i++) {
        names_drop(t, &id[i]);
        names_drop(t, &id2[i]);
    }
    names_get_stats(t, &st);
    CHECK_EQ_INT(st.live, 0);
    names_free(t);
}

int main(void)
{
    RUN(share_and_free);
    RUN(many);
    return harness_done();
}
