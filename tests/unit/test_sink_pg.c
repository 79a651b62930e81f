/* test_sink_pg.c - what the PostgreSQL sink decides without a server:
 * which --db values name a server, the connection string, and that a
 * password never reaches runs.command_line.  The sink against a real server
 * is tests/suites/pg.sh. */
#include "report/sink_pg.h"

#include <string.h>

#include "tests/harness.h"

TEST(urls)
{
    CHECK(sink_pg_is_url("postgresql://h/db"));
    CHECK(sink_pg_is_url("postgres://h/db"));
    CHECK(sink_pg_is_url("postgresql:"));
    CHECK(!sink_pg_is_url("trapline.db"));
    CHECK(!sink_pg_is_url("./postgresql:x"));
    CHECK_STR(sink_pg_conninfo("postgresql:"), "");
    CHECK_STR(sink_pg_conninfo("postgres:"), "");
    CHECK_STR(sink_pg_conninfo("postgresql://h/db"), "postgresql://h/db");
}

TEST(scrub)
{
    char out[256];
    CHECK(sink_pg_scrub("postgresql://alice:s3cret@db.example:5432/cases", out, sizeof out));
    CHECK_STR(out, "postgresql://alice:***@db.example:5432/cases");
    CHECK(sink_pg_scrub("postgresql://alice@h/db?sslmode=verify-full&password=s3cret&x=1", out,
                        sizeof out));
    CHECK_STR(out, "postgresql://alice@h/db?sslmode=verify-full&password=***&x=1");
    CHECK(sink_pg_scrub("host=h password=s3cret dbname=x", out, sizeof out));
    CHECK_STR(out, "host=h password=*** dbname=x");
    CHECK(!sink_pg_scrub("postgresql://alice@h:5432/db", out, sizeof out));
    CHECK_STR(out, "postgresql://alice@h:5432/db");
    CHECK(!sink_pg_scrub("--db", out, sizeof out));
    /* a colon after the host (port) is not a password */
    CHECK(!sink_pg_scrub("postgresql://h:5432/db", out, sizeof out));
    /* '@' in the path is not userinfo */
    CHECK(!sink_pg_scrub("postgresql://h/db@x", out, sizeof out));
    /* a one-letter or empty password grows to "***" */
    CHECK(sink_pg_scrub("postgresql://a:x@h/db", out, sizeof out));
    CHECK_STR(out, "postgresql://a:***@h/db");
    CHECK(sink_pg_scrub("postgresql://a:@h/db", out, sizeof out));
    CHECK_STR(out, "postgresql://a:***@h/db");
    /* a short buffer still never shows the password */
    char small[24];
    CHECK(sink_pg_scrub("postgresql://alice:s3cret-long@h/db", small, sizeof small));
    CHECK(strstr(small, "s3c") == NULL);
}

int main(void)
{
    RUN(urls);
    RUN(scrub);
    return harness_done();
}
