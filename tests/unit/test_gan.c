/* test_gan.c - UMA / GAN URR direct transfers (classify/gan.c) on
 * pcaps/sms_gan.pcap messages (sms_fixtures.h). */
#include "classify/gan.h"

#include <stdlib.h>

#include "tests/harness.h"
#include "tests/unit/sms_fixtures.h"
#include "tests/unit/sms_legs.h"

static struct legs L;

TEST(register_then_sms)
{
    struct gan_state st;
    memset(&st, 0, sizeof st);
    legs_reset(&L);
    CHECK(gan_probe((struct span){fx_gan_register, sizeof fx_gan_register}));
    struct cursor c = cur_init(fx_gan_register, sizeof fx_gan_register);
    CHECK_EQ_INT(gan_parse(&st, &c, 1, legs_fn, &L), PARSE_OK);
    CHECK_STR(st.imsi, "001010000000001");
    c = cur_init(fx_gan_mo, sizeof fx_gan_mo);
    CHECK_EQ_INT(gan_parse(&st, &c, 2, legs_fn, &L), PARSE_OK);
    c = cur_init(fx_gan_ack, sizeof fx_gan_ack);
    CHECK_EQ_INT(gan_parse(&st, &c, 3, legs_fn, &L), PARSE_OK);
    CHECK_EQ_INT(L.n, 2);
    CHECK_STR(L.v[0].ev.protocol, "gan");
    CHECK_STR(L.v[0].ev.operation, "submit");
    CHECK_STR(L.v[0].ev.originator, "001010000000001");
    CHECK_STR(L.v[0].ev.recipient, "15551230002");
    CHECK_EQ_INT(L.v[1].kind, SMS_LEG_RESPONSE);
    CHECK_EQ_INT(L.v[1].key1, L.v[0].key1);
    CHECK_EQ_INT(L.v[1].key2, L.v[0].key2);
}

TEST(hostile_and_prefix)
{
    struct gan_state st;
    memset(&st, 0, sizeof st);
    legs_reset(&L);
    /* PD 2 (URLC); a two-octet IE length running past the message; a
     * type no URR message has */
    static const uint8_t urlc[] = {0x00, 0x02, 0x02, 0x01};
    static const uint8_t long_ie[] = {0x00, 0x05, 0x01, 0x70, 0x1a, 0x81, 0x00};
    static const uint8_t odd_type[] = {0x00, 0x02, 0x01, 0xee};
    struct cursor c = cur_init(urlc, sizeof urlc);
    CHECK(!gan_probe((struct span){urlc, sizeof urlc}));
    CHECK_EQ_INT(gan_parse(&st, &c, 1, legs_fn, &L), PARSE_INVALID);
    c = cur_init(long_ie, sizeof long_ie);
    CHECK_EQ_INT(gan_parse(&st, &c, 1, legs_fn, &L), PARSE_TRUNCATED);
    CHECK(!gan_probe((struct span){odd_type, sizeof odd_type}));
    for (size_t k = 0; k < sizeof fx_gan_mo; k++) {
        uint8_t *b = malloc(k ? k : 1);
        memcpy(b, fx_gan_mo, k);
        c = cur_init(b, k);
        CHECK(gan_parse(&st, &c, 1, legs_fn, &L) != PARSE_OK || k == sizeof fx_gan_mo);
        free(b);
    }
    CHECK_EQ_INT(L.n, 0);
}

int main(void)
{
    RUN(register_then_sms);
    RUN(hostile_and_prefix);
    return harness_done();
}
