/* test_escape.c - the report escapers against hostile values (markup,
 * quotes, control bytes, invalid UTF-8, spreadsheet formulas). */
#include "report/escape.h"

#include <stdint.h>
#include <stdlib.h>

#include "tests/harness.h"

typedef void (*esc_fn)(FILE *, const char *);

static char *run(esc_fn f, const char *in)
{
    static char buf[1024];
    buf[0] = '\0';
    FILE *m = fmemopen(buf, sizeof buf, "w");
    f(m, in);
    fclose(m);
    return buf;
}

static bool has_raw_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return true;
    return false;
}

TEST(text)
{
    CHECK_STR(run(escape_text, "plain.example"), "plain.example");
    CHECK_STR(run(escape_text, "a\x1b[31m\\b\xff"), "a\\x1b[31m\\x5cb\\xff");
    CHECK_EQ_INT(escape_text_width("a\x1b" "b"), 6);
    CHECK_STR(run(escape_text, NULL), "");
}

TEST(html)
{
    CHECK_STR(run(escape_html, "<script>document.title='x'</script>"),
              "&lt;script&gt;document.title=&#39;x&#39;&lt;/script&gt;");
    CHECK_STR(run(escape_html, "\"</svg>&"), "&quot;&lt;/svg&gt;&amp;");
    CHECK_STR(run(escape_html, "esc\x1b\x07\n"), "esc\\x1b\\x07\\x0a");
    CHECK_STR(run(escape_html, "bad\xc3\x28\xff"), "bad\\xc3(\\xff");
    CHECK_STR(run(escape_html, "caf\xc3\xa9 \xe2\x82\xac"), "caf\xc3\xa9 \xe2\x82\xac");
    CHECK_STR(run(escape_html, "c1\xc2\x85"), "c1\\xc2\\x85");
    CHECK_STR(run(escape_html, "sur\xed\xa0\x80"), "sur\\xed\\xa0\\x80"); /* surrogate */
    CHECK_STR(run(escape_html, "ovl\xc0\xaf"), "ovl\\xc0\\xaf");            /* overlong */
}

TEST(json)
{
    CHECK_STR(run(escape_json, "a\"b\\c"), "\"a\\\"b\\\\c\"");
    CHECK_STR(run(escape_json, "<s>&"), "\"\\u003cs\\u003e\\u0026\"");
    CHECK_STR(run(escape_json, "\x1b\n\x7f"), "\"\\u001b\\n\\u007f\"");
    CHECK_STR(run(escape_json, "x\xff\xc3"), "\"x\\ufffd\\ufffd\"");
    CHECK_STR(run(escape_json, "\xc2\x85"), "\"\\u0085\"");
    CHECK_STR(run(escape_json, "\xf0\x9f\x98\x80"), "\"\xf0\x9f\x98\x80\"");
    CHECK_STR(run(escape_json, NULL), "\"\"");
    CHECK(!has_raw_control(run(escape_json, "a\x01\x02\x1f")));
}

TEST(csv)
{
    CHECK_STR(run(escape_csv, "plain"), "\"plain\"");
    CHECK_STR(run(escape_csv, "a\"b,c"), "\"a\"\"b,c\"");
    CHECK_STR(run(escape_csv, "=cmd|' /C calc'!A0"), "\"'=cmd|' /C calc'!A0\"");
    CHECK_STR(run(escape_csv, "+SUM(1)"), "\"'+SUM(1)\"");
    CHECK_STR(run(escape_csv, "-2+3"), "\"'-2+3\"");
    CHECK_STR(run(escape_csv, "@import"), "\"'@import\"");
    CHECK_STR(run(escape_csv, "\ttab"), "\"'\\x09tab\"");
    CHECK_STR(run(escape_csv, "\rx"), "\"'\\x0dx\"");
    CHECK_STR(run(escape_csv, "line\nbreak"), "\"line\\x0abreak\"");
    CHECK_STR(run(escape_csv, "bad\xff"), "\"bad\\xff\"");
    CHECK_STR(run(escape_csv, "+15550100"), "\"'+15550100\""); /* E.164 numbers too */
    CHECK(escape_csv_risky('='));
    CHECK(!escape_csv_risky('a'));
}

TEST(utf8)
{
    CHECK_EQ_INT(escape_utf8_len((const unsigned char *)"a", 1), 1);
    CHECK_EQ_INT(escape_utf8_len((const unsigned char *)"\xc3\xa9", 2), 2);
    CHECK_EQ_INT(escape_utf8_len((const unsigned char *)"\xc3", 1), 0);
    CHECK_EQ_INT(escape_utf8_len((const unsigned char *)"\xf4\x90\x80\x80", 4), 0);
    CHECK_EQ_INT(escape_utf8_len((const unsigned char *)"\xe0\x80\x80", 3), 0);
    /* every single byte value: never reads past n */
    for (int c = 0; c < 256; c++) {
        unsigned char b = (unsigned char)c;
        CHECK(escape_utf8_len(&b, 1) <= 1);
    }
}

/* Valid UTF-8 throughout (RFC 3629). */
static bool valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    while (n) {
        size_t l = escape_utf8_len(p, n);
        if (!l)
            return false;
        p += l;
        n -= l;
    }
    return true;
}

/* 20,000 pseudo-random strings (xorshift32, fixed seed) biased towards
 * markup, quotes, formula starts, control bytes and UTF-8 lead bytes: every
 * escaper's output keeps its invariants. */
TEST(random_properties)
{
    static const unsigned char pool[] = "<>&\"'=+-@\\/|\t\r\n\x1b\x07\x7f\xc2\x85\xc3\xa9\xe2\x82"
                                        "\xac\xed\xa0\xf0\x9f\x98\xff\x80 aZ09;:.";
    uint32_t x = 0x7e57e5c4u;
    unsigned bad_html = 0, bad_json = 0, bad_csv = 0, bad_text = 0;
    for (int i = 0; i < 20000; i++) {
        char in[40];
        size_t len = 1 + (x % 38);
        for (size_t k = 0; k < len; k++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            in[k] = (char)((x & 3) ? pool[x % (sizeof pool - 1)] : (unsigned char)(x >> 8));
            if (in[k] == 0)
                in[k] = 'z';
        }
        in[len] = '\0';
        const char *h = run(escape_html, in);
        if (has_raw_control(h) || strpbrk(h, "<>\"'") || !valid_utf8(h))
            bad_html++;
        const char *j = run(escape_json, in);
        if (has_raw_control(j) || !valid_utf8(j) || strpbrk(j, "<>"))
            bad_json++;
        const char *c = run(escape_csv, in);
        size_t cl = strlen(c);
        if (has_raw_control(c) || cl < 2 || c[0] != '"' || c[cl - 1] != '"' ||
            (cl > 2 && escape_csv_risky((unsigned char)c[1])))
            bad_csv++;
        /* inner quotes come in pairs */
        for (size_t k = 1; k + 1 < cl; k++)
            if (c[k] == '"' && c[++k] != '"')
                bad_csv++;
        const char *t = run(escape_text, in);
        for (const unsigned char *q = (const unsigned char *)t; *q; q++)
            if (*q < 0x20 || *q >= 0x7f)
                bad_text++;
        if (strlen(t) != escape_text_width(in))
            bad_text++;
    }
    CHECK_EQ_INT(bad_html, 0);
    CHECK_EQ_INT(bad_json, 0);
    CHECK_EQ_INT(bad_csv, 0);
    CHECK_EQ_INT(bad_text, 0);
}

int main(void)
{
    RUN(text);
    RUN(html);
    RUN(json);
    RUN(csv);
    RUN(utf8);
    RUN(random_properties);
    return harness_done();
}
