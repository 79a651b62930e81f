/* test_report_linkchart.c - the nodes/edges CSV on the fixture database
 * (tests/unit/report_fixture.h): both sections, an edge per contact, OTT
 * edges to relay endpoints (never to an invented peer), hostile values
 * neutralised. */
#include "report/report_linkchart.h"

#include <string.h>

#include "tests/unit/report_fixture.h"

#define DB "build/test-out/test_report_linkchart.db"

TEST(linkchart)
{
    fx_build(DB, true);
    struct report_model *m = fx_model(DB);
    if (!m)
        return;
    char *s = NULL;
    struct err e = {""};
    FX_RENDER(CHECK_EQ_INT(report_linkchart(m, out, &e), 0), &s);
    const char *n = strstr(s, "# nodes\r\n\"id\",\"label\",\"type\",\"is_subject\",\"records\"");
    const char *ed = strstr(s, "# edges\r\n\"source\",\"target\",\"kind\"");
    CHECK(n && ed && n < ed);
    /* a relay node per subject (issue 10: a service's server joins nobody) */
    CHECK(strstr(s, "\"address:10.0.0.10\",\"relay:10.0.0.10|13.248.212.111:443/tcp\",\"ott\""));
    CHECK(strstr(s, "\"number:15550100\",\"number:15550111\",\"sms\""));
    CHECK(!fx_has_control(s, true));
    CHECK(strstr(s, "\"'=cmd|") || strstr(s, "'=cmd"));
    free(s);
    report_model_free(m);
}

int main(void)
{
    RUN(linkchart);
    return harness_done();
}
