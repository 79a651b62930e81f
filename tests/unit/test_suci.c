/* test_suci.c - SUCI de-concealment (classify/suci.c) against the test data
 * of TS 33.501 Annex C.4.3.1 (Profile A) and C.4.4.1 (Profile B): IMSI
 * 274012 001002086; a wrong MAC tag, ciphertext, key or key id opens
 * nothing; the key file's format and errors. */
#include "classify/suci.h"

#include <stdio.h>
#include <string.h>

#include "tests/harness.h"

static size_t unhex(const char *h, uint8_t *out)
{
    size_t n = 0;
    for (; h[0] && h[1]; h += 2) {
        unsigned v;
        sscanf(h, "%2x", &v);
        out[n++] = (uint8_t)v;
    }
    return n;
}

/* Annex C.4.3.1: ephemeral public key | ciphertext | MAC tag. */
static const char out_a[] = "b2e92f836055a255837debf850b528997ce0201cb82adfe4be1f587d07d8457d"
                            "cb02352410"
                            "cddd9e730ef3fa87";
/* Annex C.4.4.1: compressed ephemeral public key | ciphertext | MAC tag. */
static const char out_b[] = "039aab8376597021e855679a9778ea0b67396e68c66df32c0f41e9acca2da9b9d1"
                            "46a33fc271"
                            "6ac7dae96aa30a4d";

static enum suci_result try_open(const struct suci_keys *k, uint8_t profile, uint8_t id,
                             const uint8_t *b, size_t n, char *msin, bool *test)
{
    return suci_open_msin(k, profile, id, (struct span){b, n}, msin, 16, test);
}

TEST(annex_c4_test_data)
{
    struct suci_keys k;
    suci_keys_init(&k);
    uint8_t b[128];
    char msin[16];
    bool test = false;
    size_t n = unhex(out_a, b);
    CHECK_EQ_INT(try_open(&k, SUCI_PROFILE_A, 27, b, n, msin, &test), SUCI_OPENED);
    CHECK_STR(msin, "001002086");
    CHECK(test);
    n = unhex(out_b, b);
    CHECK_EQ_INT(try_open(&k, SUCI_PROFILE_B, 27, b, n, msin, &test), SUCI_OPENED);
    CHECK_STR(msin, "001002086");
    CHECK(test);
    /* the profile must be the one the SUCI names */
    n = unhex(out_a, b);
    CHECK_EQ_INT(try_open(&k, SUCI_PROFILE_B, 27, b, n, msin, &test), SUCI_MALFORMED);
    /* every octet matters: a changed ephemeral key, ciphertext or tag
     * opens nothing */
    for (size_t i = 0; i < n; i++) {
        b[i] ^= 0x01;
        CHECK_EQ_INT(try_open(&k, SUCI_PROFILE_A, 27, b, n, msin, &test), SUCI_NO_KEY);
        CHECK(msin[0] == '\0');
        b[i] ^= 0x01;
    }
    /* every prefix of both scheme outputs opens nothing, never reads past it */
    for (int prof = SUCI_PROFILE_A; prof <= SUCI_PROFILE_B; prof++) {
        size_t full = unhex(prof == SUCI_PROFILE_A ? out_a : out_b, b);
        for (size_t cut = 0; cut < full; cut++) {
            enum suci_result r = try_open(&k, (uint8_t)prof, 27, b, cut, msin, &test);
            CHECK(r == SUCI_MALFORMED || r == SUCI_NO_KEY);
            CHECK(msin[0] == '\0');
        }
    }
    n = unhex(out_a, b);
    /* cut short, or too long to be an MSIN */
    CHECK_EQ_INT(try_open(&k, SUCI_PROFILE_A, 27, b, 40, msin, &test), SUCI_MALFORMED);
    uint8_t big[128] = {0};
    memcpy(big, b, 32);
    CHECK_EQ_INT(try_open(&k, SUCI_PROFILE_A, 27, big, 32 + 33 + 8, msin, &test), SUCI_MALFORMED);
    /* no keys at all */
    struct suci_keys none = {0};
    CHECK_EQ_INT(try_open(&none, SUCI_PROFILE_A, 27, b, n, msin, &test), SUCI_NO_KEY);
    /* Profile B: not a compressed point */
    n = unhex(out_b, b);
    b[0] = 0x04;
    CHECK_EQ_INT(try_open(&k, SUCI_PROFILE_B, 27, b, n, msin, &test), SUCI_MALFORMED);
    b[0] = 0x02; /* the other point with that X: no such shared secret */
    CHECK_EQ_INT(try_open(&k, SUCI_PROFILE_B, 27, b, n, msin, &test), SUCI_NO_KEY);
}

TEST(configured_keys)
{
    /* the Annex keys configured under id 27: opened by them, not counted as
     * test keys; under another id they do not apply (the test keys still
     * would, so they are taken out) */
    static const char file[] =
        "# home network keys\n"
        "\n"
        "27 A c53c22208b61860b06c62e5406a7b330c2b577aa5558981510d128247d38bd1d\n"
        "  27 b F1AB1074477EBCC7F554EA1C5FC368B1616730155E0041AC447D6301975FECDA  # B\r\n";
    struct suci_keys k;
    suci_keys_init(&k);
    struct err e;
    CHECK_EQ_INT(suci_keys_parse(&k, "keys.txt", file, strlen(file), &e), 0);
    CHECK_EQ_INT(k.n, 4);
    CHECK(!k.k[0].test && k.k[0].id == 27 && k.k[0].profile == SUCI_PROFILE_A);
    CHECK(!k.k[1].test && k.k[1].profile == SUCI_PROFILE_B);
    CHECK(k.k[2].test && k.k[3].test);
    uint8_t b[128];
    char msin[16];
    bool test = true;
    size_t n = unhex(out_a, b);
    CHECK_EQ_INT(try_open(&k, SUCI_PROFILE_A, 27, b, n, msin, &test), SUCI_OPENED);
    CHECK(!test);
    n = unhex(out_b, b);
    CHECK_EQ_INT(try_open(&k, SUCI_PROFILE_B, 27, b, n, msin, &test), SUCI_OPENED);
    CHECK(!test);
    k.n = 2; /* the configured keys only */
    CHECK_EQ_INT(try_open(&k, SUCI_PROFILE_B, 26, b, n, msin, &test), SUCI_NO_KEY);
    /* a second file adds ahead of the test keys again */
    static const char more[] = "3 A 0000000000000000000000000000000000000000000000000000000000000001\n";
    suci_keys_init(&k);
    CHECK_EQ_INT(suci_keys_parse(&k, "a", file, strlen(file), &e), 0);
    CHECK_EQ_INT(suci_keys_parse(&k, "b", more, strlen(more), &e), 0);
    CHECK_EQ_INT(k.n, 5);
    CHECK(k.k[2].id == 3 && !k.k[2].test && k.k[3].test && k.k[4].test);
}

TEST(key_file_errors)
{
    static const struct {
        const char *text, *want;
    } bad[] = {
        {"27 A c53c\n", "k:1: private key is not 64 hex digits"},
        {"\n256 A c53c22208b61860b06c62e5406a7b330c2b577aa5558981510d128247d38bd1d\n",
         "k:2: key id is not 0-255"},
        {"1 C c53c22208b61860b06c62e5406a7b330c2b577aa5558981510d128247d38bd1d\n",
         "k:1: profile is not A or B"},
        {"1 A c53c22208b61860b06c62e5406a7b330c2b577aa5558981510d128247d38bd1g\n",
         "k:1: private key is not 64 hex digits"},
        {"1 A\n", "k:1: expected: <key id 0-255> <profile A|B> <private key, 64 hex digits>"},
        {"1 A c53c22208b61860b06c62e5406a7b330c2b577aa5558981510d128247d38bd1d x\n",
         "k:1: expected: <key id 0-255> <profile A|B> <private key, 64 hex digits>"},
        {"x A c53c22208b61860b06c62e5406a7b330c2b577aa5558981510d128247d38bd1d\n",
         "k:1: key id is not 0-255"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct suci_keys k;
        suci_keys_init(&k);
        struct err e;
        memset(&e, 0, sizeof e);
        CHECK_EQ_INT(suci_keys_parse(&k, "k", bad[i].text, strlen(bad[i].text), &e), RC_CONFIG);
        CHECK_STR(e.msg, bad[i].want);
        CHECK_EQ_INT(k.n, 2); /* unchanged */
    }
    static const char nul[] = "1 A c5\0\n";
    struct suci_keys k;
    suci_keys_init(&k);
    struct err e;
    CHECK_EQ_INT(suci_keys_parse(&k, "k", nul, sizeof nul - 1, &e), RC_CONFIG);
    CHECK_STR(e.msg, "k:1: NUL byte");
    CHECK_EQ_INT(suci_keys_load(&k, "/nonexistent/keys", &e), RC_IO);
}

int main(void)
{
    RUN(annex_c4_test_data);
    RUN(configured_keys);
    RUN(key_file_errors);
    return harness_done();
}
