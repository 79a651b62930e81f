/* suci.h - de-concealing a SUCI (Subscription Concealed Identifier) with the
 * home network's private keys: the SIDF's step (TS 33.501 6.12.2, Annex C).
 *
 * A 5G UE names itself in a Registration request by a SUCI; under a
 * protection scheme other than the null scheme its MSIN is encrypted to the
 * home network's public key, so the N2 control plane names nobody until an
 * Identity response or a 5G-GUTI.  An operator's lawful-interception or
 * security team holds the home network's private keys (the UDM / SIDF's)
 * and can recover the SUPI from the scheme output:
 *
 *   Profile A (protection scheme 1): X25519 (RFC 7748); scheme output =
 *     ephemeral public key (32) | ciphertext | MAC tag (8).
 *   Profile B (protection scheme 2): ECDH on secp256r1; scheme output =
 *     ephemeral public key, compressed (33) | ciphertext | MAC tag (8).
 *   Both (C.3.4): shared secret Z (the X coordinate for B); ANSI X9.63 KDF
 *     with SHA-256 and SharedInfo = the ephemeral public key as sent, giving
 *     the encryption key (16), the initial counter block (16) and the MAC
 *     key (32) in that order; MAC tag = the first 8 octets of
 *     HMAC-SHA-256(MAC key, ciphertext); plaintext = AES-128-CTR(ciphertext).
 *   For a SUPI of format IMSI the plaintext is the MSIN in BCD (C.3.4,
 *   TS 24.501 9.11.3.4), low nibble first, 0xF filler.
 *
 * Nothing is taken unless the MAC tag verifies, so a wrong key never names
 * anybody (a false match has probability 2^-64 per key tried).
 *
 * Keys.  A key file names the home network's private keys, one per line:
 *     <key id 0-255> <profile A|B> <private key: 64 hex digits>
 * '#' starts a comment; blank lines are skipped.  A key is tried for a SUCI
 * of its profile and key id.  Besides them, the test keys of TS 33.501
 * Annex C.4 (C.4.3 Profile A, C.4.4 Profile B) are tried for any key id
 * after the configured ones: they are published, and the open-source cores
 * and UE simulators used for lab captures ship them as their defaults.  A
 * SUCI opened with one is counted apart, so a report shows it.
 */
#ifndef PR_CLASSIFY_SUCI_H
#define PR_CLASSIFY_SUCI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/cursor.h"
#include "capture/rc.h"

#define SUCI_SCHEME_NULL 0
#define SUCI_PROFILE_A 1
#define SUCI_PROFILE_B 2
#define SUCI_MAX_KEYS 64          /* keys of one run (configured and test) */
#define SUCI_MAC_LEN 8
#define SUCI_CIPHER_MAX 32        /* an MSIN is at most 10 digits: 5 octets */

struct suci_key {
    uint8_t id;       /* Home Network Public Key Identifier */
    uint8_t profile;  /* SUCI_PROFILE_A / _B */
    bool test;        /* a TS 33.501 Annex C.4 test key: any id */
    uint8_t priv[32];
};

struct suci_keys {
    unsigned n;
    struct suci_key k[SUCI_MAX_KEYS];
};

/* Empties k and adds the Annex C.4 test keys. */
void suci_keys_init(struct suci_keys *k);

/* Adds the keys of the key file text (n bytes, named name in messages)
 * ahead of the test keys.  Returns 0, or RC_CONFIG with "name:line: reason"
 * in e (k unchanged). */
int suci_keys_parse(struct suci_keys *k, const char *name, const char *text, size_t n,
                    struct err *e);

/* The same from the file at path (RC_IO when it cannot be read). */
int suci_keys_load(struct suci_keys *k, const char *path, struct err *e);

enum suci_result {
    SUCI_OPENED = 0,  /* msin filled */
    SUCI_NO_KEY,      /* no key of that profile and id, or none whose MAC tag verifies */
    SUCI_MALFORMED,   /* not a scheme output of that profile (length, point) */
};

/* De-conceals the scheme output `out` of a SUCI of SUPI format IMSI under
 * protection scheme `profile` and key id `key_id`: the MSIN digits into msin
 * (NUL-terminated).  *test says whether a test key opened it. */
enum suci_result suci_open_msin(const struct suci_keys *k, uint8_t profile, uint8_t key_id,
                                struct span out, char *msin, size_t msin_size, bool *test);

#endif
