/* siphash.h - SipHash-1-3, the keyed hash used for the flow table buckets.
 *
 * Reference: Aumasson & Bernstein, "SipHash: a fast short-input PRF" (2012);
 * the 1-3 round variant is what Rust's std and Redis use for hash tables.
 * A secret key chosen at start-up stops an attacker from aiming traffic at one
 * bucket; bucket placement never affects output (STYLE.md section 2).
 */
#ifndef PR_CAPTURE_SIPHASH_H
#define PR_CAPTURE_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

/* Hashes n bytes of in under the 16-byte key k. */
uint64_t siphash13(const uint8_t k[16], const void *in, size_t n);

#endif
