/* test_escape.c - the report escapers against hostile values (markup,
 * quotes, control bytes, invalid UTF-8, spreadsheet formulas). */
#include "report/escape.h"

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

int main(void)
{
    RUN(text);
    RUN(html);
    RUN(json);
    RUN(csv);
    RUN(utf8);
    return harness_done();
}
