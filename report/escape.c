/* escape.c - output escapers (see escape.h). */
#include "report/escape.h"

#include <string.h>

size_t escape_utf8_len(const unsigned char *p, size_t n)
{
    if (n == 0)
        return 0;
    unsigned char c = p[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned lo = 0x80, hi = 0xbf; /* allowed range of the second byte (RFC 3629 §4) */
    if (c >= 0xc2 && c <= 0xdf)
        len = 2;
    else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        if (c == 0xe0)
            lo = 0xa0; /* no overlongs */
        if (c == 0xed)
            hi = 0x9f; /* no surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        if (c == 0xf0)
            lo = 0x90;
        if (c == 0xf4)
            hi = 0x8f; /* nothing above U+10FFFF */
    } else
        return 0;
    if (len > n || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (p[i] < 0x80 || p[i] > 0xbf)
            return 0;
    return len;
}

void escape_text(FILE *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
        if (*p >= 0x20 && *p < 0x7f && *p != '\\')
            fputc(*p, out);
        else
            fprintf(out, "\\x%02x", *p);
    }
}

size_t escape_text_width(const char *s)
{
    size_t w = 0;
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++)
        w += (*p >= 0x20 && *p < 0x7f && *p != '\\') ? 1 : 4;
    return w;
}

/* C1 controls U+0080..U+009F are encoded as C2 80..C2 9F. */
static bool is_c1(const unsigned char *p, size_t len)
{
    return len == 2 && p[0] == 0xc2 && p[1] < 0xa0;
}

void escape_html(FILE *out, const char *s)
{
    if (!s)
        return;
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    while (n > 0) {
        size_t len = escape_utf8_len(p, n);
        if (len == 0 || is_c1(p, len) || (len == 1 && (*p < 0x20 || *p == 0x7f))) {
            fprintf(out, "\\x%02x", *p);
            len = 1;
        } else if (len == 1) {
            switch (*p) {
            case '&': fputs("&amp;", out); break;
            case '<': fputs("&lt;", out); break;
            case '>': fputs("&gt;", out); break;
            case '"': fputs("&quot;", out); break;
            case '\'': fputs("&#39;", out); break;
            default: fputc(*p, out);
            }
        } else {
            fwrite(p, 1, len, out);
        }
        p += len;
        n -= len;
    }
}

void escape_json(FILE *out, const char *s)
{
    fputc('"', out);
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)p);
    while (n > 0) {
        size_t len = escape_utf8_len(p, n);
        if (len == 0) {
            fputs("\\ufffd", out); /* invalid UTF-8 byte: RFC 8259 §8.1 requires UTF-8 */
            len = 1;
        } else if (len == 1) {
            switch (*p) {
            case '"': fputs("\\\"", out); break;
            case '\\': fputs("\\\\", out); break;
            case '\n': fputs("\\n", out); break;
            case '\r': fputs("\\r", out); break;
            case '\t': fputs("\\t", out); break;
            default:
                if (*p < 0x20 || *p == 0x7f || *p == '<' || *p == '>' || *p == '&')
                    fprintf(out, "\\u%04x", *p);
                else
                    fputc(*p, out);
            }
        } else if (is_c1(p, len)) {
            fprintf(out, "\\u%04x", p[1]);
        } else {
            fwrite(p, 1, len, out);
        }
        p += len;
        n -= len;
    }
    fputc('"', out);
}

bool escape_csv_risky(unsigned char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c < 0x20 || c == 0x7f;
}

void escape_csv(FILE *out, const char *s)
{
    fputc('"', out);
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    if (*p && escape_csv_risky(*p))
        fputc('\'', out);
    size_t n = strlen((const char *)p);
    while (n > 0) {
        size_t len = escape_utf8_len(p, n);
        if (len == 0 || is_c1(p, len) || (len == 1 && (*p < 0x20 || *p == 0x7f))) {
            fprintf(out, "\\x%02x", *p);
            len = 1;
        } else if (*p == '"') {
            fputs("\"\"", out);
        } else {
            fwrite(p, 1, len, out);
        }
        p += len;
        n -= len;
    }
    fputc('"', out);
}
