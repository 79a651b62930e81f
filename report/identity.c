/* identity.c - canonical subscriber identities (see identity.h).
 *
 * RFC 3966 section 5.1.1: a global tel number is '+' then digits with visual
 * separators '-', '.', '(', ')'; RFC 3261 section 19.1: sip:user@host;params.
 */
#include "report/identity.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "capture/rc.h"
#include "capture/str.h"

void identity_canon(const char *in, char *out, size_t cap)
{
    if (cap == 0)
        return;
    const char *p = in;
    bool uri = false;
    static const char *const schemes[] = {"sip:", "sips:", "tel:"};
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
        size_t n = strlen(schemes[i]);
        if (strncasecmp(p, schemes[i], n) == 0) {
            p += n;
            uri = true;
            break;
        }
    }
    if (*p == '+')
        p++;
    char digits[IDENTITY_MAX_DIGITS + 1];
    size_t nd = 0;
    for (; *p; p++) {
        char ch = *p;
        if (ch >= '0' && ch <= '9') {
            if (nd == IDENTITY_MAX_DIGITS) {
                str_copy(out, cap, in); /* too long to be a number */
                return;
            }
            digits[nd++] = ch;
        } else if (uri && (ch == '@' || ch == ';' || ch == '?')) {
            break; /* host part or parameters follow the user part */
        } else if (uri && (ch == '-' || ch == '.' || ch == '(' || ch == ')')) {
            continue; /* RFC 3966 visual separators, only inside tel/sip users */
        } else {
            str_copy(out, cap, in); /* not a telephone number */
            return;
        }
    }
    if (nd == 0) {
        str_copy(out, cap, in);
        return;
    }
    digits[nd] = '\0';
    str_copy(out, cap, digits);
}

static void sql_identity(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const unsigned char *v = sqlite3_value_text(argv[0]);
    if (!v) {
        sqlite3_result_null(ctx);
        return;
    }
    /* Longer values are never numbers: return them as they are. */
    if ((size_t)sqlite3_value_bytes(argv[0]) > 255) {
        sqlite3_result_value(ctx, argv[0]);
        return;
    }
    char out[256];
    identity_canon((const char *)v, out, sizeof out);
    sqlite3_result_text(ctx, out, -1, SQLITE_TRANSIENT);
}

int identity_register(struct sqlite3 *db)
{
    int rc = sqlite3_create_function_v2(db, "trapline_identity", 1,
                                        SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sql_identity,
                                        NULL, NULL, NULL);
    return rc == SQLITE_OK ? 0 : RC_SQL;
}
