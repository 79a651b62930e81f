/* rt.h - report tables: the typed row tables every report format renders.
 *
 * A table is a named record kind ("sms_contacts", "flows", ...) with stable
 * column names and rows of typed cells.  Formats never query the database:
 * report_model.c fills tables, report_<format>.c render them.  Text cells
 * are owned copies of database values and are hostile (see escape.h).
 */
#ifndef PR_REPORT_RT_H
#define PR_REPORT_RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/rc.h"

/* Upper bound on the rows of one table: a report is for a reviewer, and a
 * query that returns more is cut (the table's `truncated` flag says so). */
#define RT_MAX_ROWS 200000u
#define RT_MAX_COLS 64u

enum rt_type {
    RT_NULL = 0, /* absent value */
    RT_INT,      /* integer */
    RT_TEXT,     /* owned UTF-8-or-not bytes from the database */
    RT_TIME,     /* UTC microseconds since the epoch, printed ISO-8601 with microseconds */
    RT_DUR,      /* microseconds, printed as seconds with 6 decimals */
};

struct rt_cell {
    enum rt_type type;
    long long i;
    char *s; /* RT_TEXT only */
};

enum rt_scope {
    RT_SCOPE_HEADER,  /* provenance: runs, inputs, counters */
    RT_SCOPE_SUBJECT, /* column 0 is the subject */
    RT_SCOPE_CROSS,   /* across subjects */
    RT_SCOPE_RECORD,  /* one row per stored record */
    RT_SCOPE_LINK,    /* link-chart nodes and edges */
    RT_SCOPE_INTERNAL /* drawing input for the HTML timeline, not exported */
};

struct rt_table {
    const char *name;  /* stable record-kind name (file name, JSON key) */
    const char *title; /* heading for humans */
    enum rt_scope scope;
    bool present;      /* its source exists in the database */
    bool inferred;     /* derived from traffic shape, not observed signalling */
    bool truncated;    /* RT_MAX_ROWS was reached */
    size_t ncols;
    char *cols[RT_MAX_COLS]; /* owned */
    enum rt_type coltype[RT_MAX_COLS]; /* declared type (RT_NULL = from the value) */
    size_t nrows, cap;
    struct rt_cell *cells; /* nrows * ncols */
    size_t *by_subject;    /* owned: rt_index_subjects(); NULL = none */
    size_t nby_subject;
};

/* Rows by subject.  A row belongs to subject S when its column 0 is the text
 * S.  rt_index_subjects() sorts the numbers of such rows by (subject, row)
 * once, after the table is filled (rt_row drops the index), so that the rows
 * of one subject are found in O(log n) and visited in row order, where a
 * scan of every row for every subject made a report quadratic.  Without an
 * index the rows are scanned; a NULL subject selects every row. */
int rt_index_subjects(struct rt_table *t, struct err *e);

struct rt_sel {
    const struct rt_table *t;
    const char *subject;
    size_t i, end; /* positions in t->by_subject, or row numbers when scanning */
    bool scan;
};

void rt_select(const struct rt_table *t, const char *subject, struct rt_sel *s);
bool rt_next(struct rt_sel *s, size_t *row);
size_t rt_count(const struct rt_table *t, const char *subject);
/* The first row of subject, or -1. */
long rt_find(const struct rt_table *t, const char *subject);

/* Sets name/title/scope and the columns from a comma-separated list whose
 * entries may end in ":t" (time), ":d" (duration), ":i" (int), ":s" (text).
 * Returns 0 or RC_NOMEM/RC_LIMIT. */
int rt_init(struct rt_table *t, const char *name, const char *title, enum rt_scope scope,
            const char *cols, struct err *e);

/* Adds a column after init (before any row).  Returns 0 or RC_NOMEM. */
int rt_add_col(struct rt_table *t, const char *name, enum rt_type type, struct err *e);

/* Appends a row of ncols RT_NULL cells and returns it, or NULL when the
 * table is full (truncated set) or memory ran out (e set, RC_NOMEM). */
struct rt_cell *rt_row(struct rt_table *t, struct err *e);

/* Cell setters (the cell must be fresh). */
void rt_set_int(struct rt_cell *c, long long v);
void rt_set_time(struct rt_cell *c, long long us);
int rt_set_text(struct rt_cell *c, const char *s, struct err *e); /* copies; NULL -> RT_NULL */

/* Cell (row r, column k); k < ncols. */
const struct rt_cell *rt_at(const struct rt_table *t, size_t r, size_t k);
/* Column index of name, or -1. */
int rt_col(const struct rt_table *t, const char *name);

/* Text of a cell as written in every format: integers in decimal, times
 * ISO-8601 UTC with microseconds, durations in seconds with 6 decimals, NULL
 * as "".  Text cells are returned as is (still to be escaped). */
const char *rt_str(const struct rt_cell *c, char buf[48]);

void rt_free(struct rt_table *t);

/* Formats UTC microseconds as "YYYY-MM-DDTHH:MM:SS.uuuuuuZ". */
void rt_format_time(long long us, char out[48]);

#endif
