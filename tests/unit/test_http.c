/* test_http.c - HTTP/1.x Host: valid, every prefix, byte at a time, hostile input. */
#include "classify/http.h"

#include <stdlib.h>
#include <string.h>

#include "tests/harness.h"

/* Request of the form pcaps/decoys.pcap sends to a 17.x address on port 80. */
static const char req[] = "GET /bag HTTP/1.1\r\nUser-Agent: x\r\n"
                          "HOST:  init-p01st.push.apple.com:80 \r\nAccept: */*\r\n\r\n";

static enum parse_rc parse(const void *p, size_t n, struct http_req *h)
{
    uint8_t *c = calloc(1, n ? n : 1);
    if (n)
        memcpy(c, p, n);
    enum parse_rc rc = http_parse_request(c, n, h);
    free(c);
    return rc;
}

TEST(valid)
{
    struct http_req h;
    CHECK_EQ_INT(parse(req, strlen(req), &h), PARSE_OK);
    CHECK(h.has_host);
    CHECK_STR(h.host.s, "init-p01st.push.apple.com");
    static const char nohost[] = "GET / HTTP/1.0\n\n"; /* bare LF */
    CHECK_EQ_INT(parse(nohost, strlen(nohost), &h), PARSE_OK);
    CHECK(!h.has_host);
    static const char v6[] = "GET / HTTP/1.1\r\nHost: [2001:db8::1]:8080\r\n\r\n";
    CHECK_EQ_INT(parse(v6, strlen(v6), &h), PARSE_OK);
    CHECK_STR(h.host.s, "[2001:db8::1]:8080");
}

TEST(every_prefix_and_byte_at_a_time)
{
    struct http_req h;
    size_t n = strlen(req);
    size_t host_end = (size_t)(strstr(req, "Accept") - req);
    for (size_t k = 0; k < n; k++) {
        enum parse_rc rc = parse(req, k, &h);
        /* once the Host line is complete the answer is known */
        CHECK_EQ_INT(rc, k >= host_end ? PARSE_OK : PARSE_TRUNCATED);
    }
}

TEST(hostile)
{
    struct http_req h;
    static const char *const notreq[] = {
        "\x16\x03\x01\x00", "57 41", "GETX", " GET / HTTP/1.1\r\n", "GET / SMTP/1.0\r\n\r\n",
        "AVERYLONGMETHODNAMETHATISNOTHTTP / HTTP/1.1\r\n",
    };
    for (size_t i = 0; i < sizeof notreq / sizeof notreq[0]; i++) {
        enum parse_rc rc = parse(notreq[i], strlen(notreq[i]), &h);
        CHECK(rc == PARSE_INVALID || ((i == 1 || i == 2) && rc == PARSE_TRUNCATED));
    }
    /* more header lines than HTTP_MAX_HEADERS: stops without Host */
    char big[8192];
    size_t k = (size_t)snprintf(big, sizeof big, "GET / HTTP/1.1\r\n");
    for (int i = 0; i < HTTP_MAX_HEADERS + 5; i++)
        k += (size_t)snprintf(big + k, sizeof big - k, "X-%d: y\r\n", i);
    k += (size_t)snprintf(big + k, sizeof big - k, "Host: late.example\r\n\r\n");
    CHECK_EQ_INT(parse(big, k, &h), PARSE_OK);
    CHECK(!h.has_host);
    /* control bytes in Host are neutralised */
    static const char ctl[] = "GET / HTTP/1.1\r\nHost: a\x01\x7f.example\r\n\r\n";
    CHECK_EQ_INT(parse(ctl, sizeof ctl - 1, &h), PARSE_OK);
    CHECK_STR(h.host.s, "a??.example");
    /* an empty Host */
    static const char empty[] = "GET / HTTP/1.1\r\nHost:\r\n\r\n";
    CHECK_EQ_INT(parse(empty, sizeof empty - 1, &h), PARSE_OK);
    CHECK_STR(h.host.s, "");
}

int main(void)
{
    RUN(valid);
    RUN(every_prefix_and_byte_at_a_time);
    RUN(hostile);
    return harness_done();
}
