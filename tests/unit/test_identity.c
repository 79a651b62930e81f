/* test_identity.c - canonical subscriber identities (report/identity.c).
 * Fixtures: notations from RFC 3966 section 3 examples, RFC 3261 section 19.1.3
 * examples, and the SMS captures in pcaps/ (SMPP and SIP forms of one number). */
#include "report/identity.h"

#include <sqlite3.h>
#include <stdio.h>

#include "tests/harness.h"

static const char *canon(const char *in)
{
    static char out[64];
    identity_canon(in, out, sizeof out);
    return out;
}

TEST(numbers_in_every_notation)
{
    CHECK_STR(canon("15551230001"), "15551230001");
    CHECK_STR(canon("+15551230001"), "15551230001");
    CHECK_STR(canon("tel:+1-555-123-0001"), "15551230001");
    CHECK_STR(canon("tel:+1(555)123.0001;phone-context=example.com"), "15551230001");
    CHECK_STR(canon("sip:+15551230001@ims.example;user=phone"), "15551230001");
    CHECK_STR(canon("SIP:+15551230001@ims.example"), "15551230001");
    CHECK_STR(canon("sips:15551230001@ims.example"), "15551230001");
    CHECK_STR(canon("12345"), "12345");
    CHECK_STR(canon("001010000000001"), "001010000000001");
}

TEST(non_numbers_unchanged)
{
    CHECK_STR(canon("TrapBank"), "TrapBank");
    CHECK_STR(canon("10.0.0.10"), "10.0.0.10");   /* bare dots are not separators */
    CHECK_STR(canon("2001:db8::10"), "2001:db8::10");
    CHECK_STR(canon("sip:alice@example.com"), "sip:alice@example.com");
    CHECK_STR(canon("+1-555"), "+1-555");          /* separators only inside URIs */
    CHECK_STR(canon(""), "");
    CHECK_STR(canon("+"), "+");
    CHECK_STR(canon("tel:"), "tel:");
    CHECK_STR(canon("123456789012345678901"), "123456789012345678901"); /* > 20 digits */
}

TEST(hostile)
{
    char out[8];
    identity_canon("sip:<script>@x", out, sizeof out);
    CHECK_STR(out, "sip:<sc"); /* unchanged, cut to the buffer */
    identity_canon("\x1b[31m+1", out, sizeof out);
    CHECK(out[0] == '\x1b');
    char one[1];
    identity_canon("15551230001", one, sizeof one);
    CHECK_STR(one, "");
}

TEST(sql_function)
{
    sqlite3 *db;
    CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
    CHECK_EQ_INT(identity_register(db), 0);
    sqlite3_stmt *st;
    CHECK(sqlite3_prepare_v2(db,
                             "SELECT COUNT(DISTINCT trapline_identity(v)) FROM (SELECT"
                             " '15551230001' AS v UNION ALL SELECT 'sip:+15551230001@ims.example'"
                             " UNION ALL SELECT 'tel:+1-555-123-0001' UNION ALL SELECT NULL)",
                             -1, &st, NULL) == SQLITE_OK);
    CHECK_EQ_INT(sqlite3_step(st), SQLITE_ROW);
    CHECK_EQ_INT(sqlite3_column_int(st, 0), 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

int main(void)
{
    RUN(numbers_in_every_notation);
    RUN(non_numbers_unchanged);
    RUN(hostile);
    RUN(sql_function);
    return harness_done();
}
