/* escape.h - output escapers shared by every report format.
 *
 * Every value a report prints may come from the wire (server names, DNS
 * names, SIP URIs, SMPP system_ids) and is treated as hostile: arbitrary
 * bytes, control characters, invalid UTF-8, markup, spreadsheet formulas.
 * Each escaper writes one value to a stdio stream (borrowed) and never fails
 * on any input; a NULL value is written as the empty string.
 *
 *   text   printable ASCII kept, every other byte (and '\') as \xNN
 *   html   valid UTF-8 kept; & < > " ' as entities; control bytes and
 *          invalid UTF-8 as \xNN text (HTML5 §13.1.4: no raw C0/C1 controls)
 *   json   a complete JSON string with quotes (RFC 8259 §7); invalid UTF-8
 *          bytes become U+FFFD; < > & as \u003c \u003e \u0026 so the
 *          value stays inert if pasted into markup
 *   csv    one RFC 4180 §2 field, always quoted, "" for a quote; a cell
 *          whose first byte is = + - @ TAB CR or another control byte is
 *          prefixed with ' (OWASP "CSV Injection" guidance); control bytes
 *          and invalid UTF-8 inside the cell as \xNN
 */
#ifndef PR_REPORT_ESCAPE_H
#define PR_REPORT_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

void escape_text(FILE *out, const char *s);
void escape_html(FILE *out, const char *s);
void escape_json(FILE *out, const char *s);
void escape_csv(FILE *out, const char *s);

/* Length of the valid UTF-8 sequence starting at p (at most n bytes
 * available), or 0 when p does not start one (RFC 3629 §4: no overlongs, no
 * surrogates, nothing above U+10FFFF). */
size_t escape_utf8_len(const unsigned char *p, size_t n);

/* True when a CSV cell starting with byte c could be read as a formula or
 * carries a leading control byte. */
bool escape_csv_risky(unsigned char c);

/* Display width of s once written by escape_text (for aligned tables). */
size_t escape_text_width(const char *s);

#endif
