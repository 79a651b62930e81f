/* sctp_user.h - the first DATA chunk's user data of an SCTP chunk fixture
 * (test code only; sms_fixtures.h arrays start after the common header). */
#ifndef PR_TESTS_UNIT_SCTP_USER_H
#define PR_TESTS_UNIT_SCTP_USER_H

#include <stdbool.h>

#include "classify/sctp_chunks.h"

static inline bool sctp_user(const uint8_t *p, size_t n, struct cursor *user, uint32_t *ppid)
{
    *user = cur_init(NULL, 0);
    *ppid = 0;
    struct cursor c = cur_init(p, n);
    struct sctp_chunk ch;
    for (unsigned i = 0; i < SCTP_MAX_CHUNKS && sctp_chunks_next(&c, &ch) == PARSE_OK; i++) {
        struct sctp_data d;
        if (ch.type != SCTP_CHUNK_DATA || sctp_chunks_data(&ch, &d) != PARSE_OK)
            continue;
        *user = d.user;
        *ppid = d.ppid;
        return true;
    }
    return false;
}

#endif
