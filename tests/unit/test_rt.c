/* test_rt.c - the report's typed row tables (report/rt.c): columns and their
 * declared types, rows and cells, the text every format prints for a cell,
 * the row limit, release, and the rows of one subject (with and without the
 * subject index). */
#include "report/rt.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "tests/harness.h"

TEST(columns)
{
    struct rt_table t;
    struct err e = {""};
    CHECK_EQ_INT(rt_init(&t, "flows", "Flows", RT_SCOPE_RECORD, "id:i,first:t,len:d,name:s,raw",
                         &e), 0);
    CHECK_STR(t.name, "flows");
    CHECK_EQ_INT(t.scope, RT_SCOPE_RECORD);
    CHECK_EQ_INT(t.ncols, 5);
    CHECK_STR(t.cols[0], "id");
    CHECK_STR(t.cols[4], "raw");
    CHECK_EQ_INT(t.coltype[0], RT_INT);
    CHECK_EQ_INT(t.coltype[1], RT_TIME);
    CHECK_EQ_INT(t.coltype[2], RT_DUR);
    CHECK_EQ_INT(t.coltype[3], RT_TEXT);
    CHECK_EQ_INT(t.coltype[4], RT_NULL); /* typed by its values */
    CHECK_EQ_INT(rt_col(&t, "name"), 3);
    CHECK_EQ_INT(rt_col(&t, "nope"), -1);
    CHECK_EQ_INT(rt_add_col(&t, "extra", RT_INT, &e), 0);
    CHECK_EQ_INT(rt_col(&t, "extra"), 5);
    CHECK(rt_row(&t, &e) != NULL);
    /* No column after the first row: the rows would not match. */
    CHECK_EQ_INT(rt_add_col(&t, "late", RT_INT, &e), RC_CONFIG);
    rt_free(&t);
    CHECK_EQ_INT(t.ncols, 0);
    CHECK(t.cells == NULL);
    rt_free(NULL);
}

TEST(column_limit)
{
    struct rt_table t;
    struct err e = {""};
    char cols[1024] = "";
    size_t k = 0;
    for (unsigned i = 0; i <= RT_MAX_COLS; i++)
        k += (size_t)snprintf(cols + k, sizeof cols - k, "%sc%u", i ? "," : "", i);
    CHECK(k < sizeof cols);
    CHECK_EQ_INT(rt_init(&t, "wide", "Wide", RT_SCOPE_CROSS, cols, &e), RC_LIMIT);
    CHECK(strstr(e.msg, "wide") != NULL);
    CHECK_EQ_INT(t.ncols, RT_MAX_COLS);
    rt_free(&t);
}

TEST(cells_print_the_same_in_every_format)
{
    struct rt_table t;
    struct err e = {""};
    char buf[48];
    CHECK_EQ_INT(rt_init(&t, "x", "X", RT_SCOPE_RECORD, "a,b,c,d,e", &e), 0);
    struct rt_cell *r = rt_row(&t, &e);
    CHECK(r != NULL);
    if (!r)
        return;
    rt_set_int(&r[0], -42);
    rt_set_time(&r[1], 1700000006000001LL);
    r[2].type = RT_DUR;
    r[2].i = 1500000;
    CHECK_EQ_INT(rt_set_text(&r[3], "a,\"b\"\n", &e), 0);
    CHECK_EQ_INT(rt_set_text(&r[4], NULL, &e), 0);
    CHECK_STR(rt_str(rt_at(&t, 0, 0), buf), "-42");
    CHECK_STR(rt_str(rt_at(&t, 0, 1), buf), "2023-11-14T22:13:26.000001Z");
    CHECK_STR(rt_str(rt_at(&t, 0, 2), buf), "1.500000");
    CHECK_STR(rt_str(rt_at(&t, 0, 3), buf), "a,\"b\"\n"); /* escaped by the format */
    CHECK_EQ_INT(rt_at(&t, 0, 4)->type, RT_NULL);
    CHECK_STR(rt_str(rt_at(&t, 0, 4), buf), "");
    /* A fresh row is all NULL. */
    struct rt_cell *r2 = rt_row(&t, &e);
    CHECK(r2 != NULL);
    for (size_t k = 0; r2 && k < t.ncols; k++)
        CHECK_STR(rt_str(rt_at(&t, 1, k), buf), "");
    rt_free(&t);
}

TEST(times_and_durations_at_the_edges)
{
    char buf[48];
    rt_format_time(0, buf);
    CHECK_STR(buf, "1970-01-01T00:00:00.000000Z");
    rt_format_time(-1, buf); /* one microsecond before the epoch */
    CHECK_STR(buf, "1969-12-31T23:59:59.999999Z");
    struct rt_cell c = {.type = RT_DUR, .i = -1};
    CHECK_STR(rt_str(&c, buf), "-0.000001");
    c.i = 0;
    CHECK_STR(rt_str(&c, buf), "0.000000");
    /* Durations are differences of database values (hostile): the extremes
     * must print as numbers, not overflow. */
    c.i = LLONG_MAX;
    CHECK_STR(rt_str(&c, buf), "9223372036854.775807");
    c.i = LLONG_MIN;
    CHECK_STR(rt_str(&c, buf), "-9223372036854.775808");
    c.type = RT_INT;
    CHECK_STR(rt_str(&c, buf), "-9223372036854775808");
}

TEST(row_limit)
{
    struct rt_table t;
    struct err e = {""};
    CHECK_EQ_INT(rt_init(&t, "many", "Many", RT_SCOPE_RECORD, "n:i", &e), 0);
    size_t n = 0;
    struct rt_cell *r;
    while ((r = rt_row(&t, &e)) != NULL)
        rt_set_int(r, (long long)n++);
    CHECK_EQ_INT(n, RT_MAX_ROWS);
    CHECK(t.truncated);
    CHECK_EQ_INT(t.nrows, RT_MAX_ROWS);
    CHECK_EQ_INT(rt_at(&t, RT_MAX_ROWS - 1, 0)->i, RT_MAX_ROWS - 1);
    rt_free(&t);
    CHECK(!t.truncated);
}

/* The rows rt_select gives for subject, compared with a scan of every row:
 * the same rows, in row order. */
static void same_as_scan(const struct rt_table *t, const char *subject)
{
    size_t want[64], nw = 0, got[64], ng = 0, r;
    for (size_t i = 0; i < t->nrows && nw < 64; i++) {
        const struct rt_cell *c = rt_at(t, i, 0);
        if (!subject || (c->type == RT_TEXT && strcmp(c->s, subject) == 0))
            want[nw++] = i;
    }
    struct rt_sel sel;
    rt_select(t, subject, &sel);
    while (ng < 64 && rt_next(&sel, &r))
        got[ng++] = r;
    CHECK_EQ_INT(ng, nw);
    for (size_t i = 0; i < ng && i < nw; i++)
        CHECK_EQ_INT(got[i], want[i]);
    CHECK_EQ_INT(rt_count(t, subject), nw);
    CHECK_EQ_INT(rt_find(t, subject), nw ? (long)want[0] : -1);
}

TEST(rows_of_a_subject)
{
    static const char *const names[] = {"b", "a", "c", "a", "", "b", "a", "ab", "b"};
    struct rt_table t;
    struct err e = {""};
    CHECK_EQ_INT(rt_init(&t, "tl", "", RT_SCOPE_SUBJECT, "subject:s,n:i", &e), 0);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        struct rt_cell *row = rt_row(&t, &e);
        CHECK(row != NULL);
        CHECK_EQ_INT(rt_set_text(&row[0], names[i], &e), 0);
        rt_set_int(&row[1], (long long)i);
    }
    /* rows whose subject is no text never belong to a subject */
    rt_set_int(rt_row(&t, &e), 7);
    rt_row(&t, &e);
    static const char *const asked[] = {"a", "b", "c", "", "ab", "zz", "0", NULL};
    for (int pass = 0; pass < 2; pass++) { /* a scan, then the index */
        CHECK(pass ? t.by_subject != NULL : t.by_subject == NULL);
        for (size_t i = 0; i < sizeof asked / sizeof asked[0]; i++)
            same_as_scan(&t, asked[i]);
        CHECK_EQ_INT(rt_count(&t, "a"), 3);
        CHECK_EQ_INT(rt_count(&t, NULL), t.nrows);
        CHECK_EQ_INT(rt_index_subjects(&t, &e), 0);
    }
    CHECK_EQ_INT(t.nby_subject, 9);
    /* a row added after the index drops it: the new row is still found */
    struct rt_cell *row = rt_row(&t, &e);
    CHECK_EQ_INT(rt_set_text(&row[0], "a", &e), 0);
    CHECK(t.by_subject == NULL);
    CHECK_EQ_INT(rt_count(&t, "a"), 4);
    CHECK_EQ_INT(rt_index_subjects(&t, &e), 0);
    same_as_scan(&t, "a");
    rt_free(&t);
    CHECK(t.by_subject == NULL);
    /* an empty table, indexed or not */
    CHECK_EQ_INT(rt_init(&t, "none", "", RT_SCOPE_SUBJECT, "subject:s", &e), 0);
    CHECK_EQ_INT(rt_index_subjects(&t, &e), 0);
    same_as_scan(&t, "a");
    rt_free(&t);
}

int main(void)
{
    RUN(columns);
    RUN(column_limit);
    RUN(cells_print_the_same_in_every_format);
    RUN(times_and_durations_at_the_edges);
    RUN(row_limit);
    RUN(rows_of_a_subject);
    return harness_done();
}
