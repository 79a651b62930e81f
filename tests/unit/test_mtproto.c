/* test_mtproto.c - obfuscated2 header recognition. */
#include "classify/mtproto.h"

#include <openssl/evp.h>
#include <string.h>

#include "tests/harness.h"

/* Builds a header as a Telegram client does (core.telegram.org
 * mtproto-transports, "Transport obfuscation"): random bytes, then bytes
 * 56..59 chosen so that they encrypt to the tag. */
static void make_header(uint8_t h[64], uint8_t tagbyte, uint32_t seed)
{
    for (int i = 0; i < 64; i++) {
        seed = seed * 1103515245u + 12345u;
        h[i] = (uint8_t)(seed >> 16);
    }
    h[0] = 0x42;
    uint8_t zero[64] = {0}, ks[64];
    int len = 0;
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    EVP_EncryptInit_ex(c, EVP_aes_256_ctr(), NULL, h + 8, h + 40);
    EVP_EncryptUpdate(c, ks, &len, zero, 64);
    EVP_CIPHER_CTX_free(c);
    for (int i = 56; i < 60; i++)
        h[i] = (uint8_t)(tagbyte ^ ks[i]);
}

TEST(recognised)
{
    uint8_t h[80];
    static const uint8_t tags[] = {0xef, 0xee, 0xdd};
    for (size_t t = 0; t < sizeof tags; t++) {
        make_header(h, tags[t], 7u + (uint32_t)t);
        CHECK(mtproto_is_obfuscated2(h, 64));
        CHECK(mtproto_is_obfuscated2(h, sizeof h)); /* followed by data */
        for (size_t k = 0; k < 64; k++)             /* every prefix: too short */
            CHECK(!mtproto_is_obfuscated2(h, k));
    }
}

TEST(rejected)
{
    uint8_t h[64];
    make_header(h, 0xab, 9); /* wrong tag */
    CHECK(!mtproto_is_obfuscated2(h, 64));
    make_header(h, 0xef, 11);
    h[57] ^= 1; /* one bit off */
    CHECK(!mtproto_is_obfuscated2(h, 64));
    make_header(h, 0xef, 13);
    memcpy(h, "GET ", 4); /* excluded starts are never obfuscated2 */
    CHECK(!mtproto_is_obfuscated2(h, 64));
    make_header(h, 0xef, 15);
    h[0] = 0xef; /* abridged marker */
    CHECK(!mtproto_is_obfuscated2(h, 64));
    /* random data: 10,000 pseudo-random headers, none should pass (p = 3/2^32 each) */
    unsigned hits = 0;
    uint32_t s = 99;
    for (int i = 0; i < 10000; i++) {
        for (int j = 0; j < 64; j++) {
            s = s * 1664525u + 1013904223u;
            h[j] = (uint8_t)(s >> 24);
        }
        hits += mtproto_is_obfuscated2(h, 64);
    }
    CHECK_EQ_INT(hits, 0);
}

int main(void)
{
    RUN(recognised);
    RUN(rejected);
    return harness_done();
}
