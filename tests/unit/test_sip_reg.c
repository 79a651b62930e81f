/* test_sip_reg.c - SIP REGISTER / 200 decoding (synthetic fixtures: no
 * shared capture carries a REGISTER), every prefix, hostile headers. */
#include "classify/sip_reg.h"

#include <stdlib.h>

#include "tests/harness.h"
#include "classify/sip_sms.h"
#include "tests/unit/mcore_prefix.h"

static struct sip_reg_msg m;

static enum parse_rc parse(const char *s)
{
    struct cursor c = cur_init((const uint8_t *)s, strlen(s));
    return sip_reg_parse(&c, &m);
}

static enum parse_rc parse_any(struct cursor *c, void *out) { return sip_reg_parse(c, out); }

static const char reg[] =
    "REGISTER sip:ims.mnc001.mcc001.3gppnetwork.org SIP/2.0\r\n"
    "Via: SIP/2.0/UDP [2001:db8::5]:5060;branch=z9hG4bK1\r\n"
    "t: \"Alice\" <sip:+1-555-123-0001@ims.example;user=phone>\r\n"
    "i: reg-2\r\n"
    "CSeq: 9 REGISTER\r\n"
    "m: <sip:alice@[2001:db8::5]:5060>\r\n"
    "Expires: 3600\r\n"
    "Content-Length: 5\r\n\r\nhello";

static const char ok200[] =
    "SIP/2.0 200 OK\r\n"
    "To: <tel:+15551230001>;tag=9\r\n"
    "Call-ID: reg-1@10.45.0.2\r\n"
    "CSeq: 7 REGISTER\r\n"
    "Contact: <sip:15551230001@10.45.0.2:5060;transport=udp>;expires=0\r\n\r\n";

TEST(valid)
{
    CHECK_EQ_INT(parse(reg), PARSE_OK);
    CHECK(m.request);
    CHECK_STR(m.impu, "sip:+1-555-123-0001@ims.example;user=phone");
    CHECK_STR(m.msisdn, "15551230001");
    CHECK(m.has_v6 && m.v6[0] == 0x20 && m.v6[15] == 5);
    CHECK_EQ_INT(m.expires, 3600);
    CHECK_EQ_INT(m.cseq, 9);
    CHECK_EQ_INT(parse(ok200), PARSE_OK);
    CHECK(!m.request);
    CHECK_EQ_INT(m.status, 200);
    CHECK_STR(m.msisdn, "15551230001");
    CHECK(m.has_v4 && m.v4[0] == 10 && m.v4[3] == 2);
    CHECK_EQ_INT(m.expires, 0); /* de-registration */
}

TEST(every_prefix)
{
    /* the body is not part of what is read: prefixes up to the blank line */
    size_t hdr_end = (size_t)(strstr(reg, "\r\n\r\n") - reg) + 4;
    CHECK_EQ_INT(prefix_failures((const uint8_t *)reg, hdr_end, parse_any, &m), 0);
    CHECK_EQ_INT(prefix_failures((const uint8_t *)ok200, strlen(ok200), parse_any, &m), 0);
}

TEST(hostile)
{
    /* not REGISTER */
    CHECK_EQ_INT(parse("INVITE sip:a@b SIP/2.0\r\nCSeq: 1 INVITE\r\n\r\n"), PARSE_INVALID);
    CHECK_EQ_INT(parse("SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\n\r\n"), PARSE_INVALID);
    CHECK_EQ_INT(parse("SIP/2.0 100 Trying\r\nCSeq: 1 REGISTER\r\n\r\n"), PARSE_INVALID);
    CHECK_EQ_INT(parse("\x16\x03\x01 REGISTER\r\n\r\n"), PARSE_INVALID);
    /* control bytes in the identity become '?'; a long one is cut */
    CHECK_EQ_INT(parse("REGISTER sip:x SIP/2.0\r\nTo: <sip:a\x01\x7f@h>\r\n"
                       "CSeq: 1 REGISTER\r\n\r\n"),
                 PARSE_OK);
    CHECK_STR(m.impu, "sip:a??@h");
    char big[600];
    snprintf(big, sizeof big, "REGISTER sip:x SIP/2.0\r\nTo: <sip:%0300d@h>\r\nCSeq: 1 REGISTER\r\n\r\n", 0);
    CHECK_EQ_INT(parse(big), PARSE_OK);
    CHECK(m.impu_cut);
    CHECK_EQ_INT(strlen(m.impu), TGPP_USER_MAX - 1);
    CHECK_STR(m.msisdn, "");
    /* a Contact host that is a name, a bracket never closed, an empty host */
    CHECK_EQ_INT(parse("REGISTER sip:x SIP/2.0\r\nm: <sip:u@host.example>\r\nCSeq: 1 REGISTER\r\n\r\n"),
                 PARSE_OK);
    CHECK(!m.has_v4 && !m.has_v6);
    CHECK_EQ_INT(parse("REGISTER sip:x SIP/2.0\r\nm: <sip:u@[2001:db8::1>\r\nCSeq: 1 REGISTER\r\n\r\n"),
                 PARSE_OK);
    CHECK(!m.has_v6);
    CHECK_EQ_INT(parse("REGISTER sip:x SIP/2.0\r\nm: <sip:u@>\r\nCSeq: 1 REGISTER\r\n\r\n"), PARSE_OK);
    CHECK(!m.has_v4 && !m.has_v6);
    /* more header lines than SIP_MAX_HEADERS: the late CSeq is not read */
    char many[4096] = "REGISTER sip:x SIP/2.0\r\n";
    for (int i = 0; i < SIP_MAX_HEADERS + 2; i++)
        strcat(many, "X-Pad: 1\r\n");
    strcat(many, "CSeq: 1 REGISTER\r\n\r\n");
    CHECK_EQ_INT(parse(many), PARSE_INVALID);
}

int main(void)
{
    RUN(valid);
    RUN(every_prefix);
    RUN(hostile);
    return harness_done();
}
