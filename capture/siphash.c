/* siphash.c - SipHash-1-3 (see siphash.h). */
#include "capture/siphash.h"

#include <endian.h>
#include <string.h>

static inline uint64_t rotl(uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }

/* Eight bytes little-endian: one unaligned load (memcpy) where the host is
 * little-endian; the byte-by-byte loop this replaces was not merged into
 * one load by the compiler and cost a third of each hash (issue 12). */
static inline uint64_t load_le64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return le64toh(v);
}

#define SIPROUND(v0, v1, v2, v3)                                                       \
    do {                                                                               \
        v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32);                      \
        v2 += v3; v3 = rotl(v3, 16); v3 ^= v2;                                         \
        v0 += v3; v3 = rotl(v3, 21); v3 ^= v0;                                         \
        v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32);                      \
    } while (0)

uint64_t siphash13(const uint8_t k[16], const void *in, size_t n)
{
    const uint8_t *p = in;
    uint64_t k0 = load_le64(k), k1 = load_le64(k + 8);
    uint64_t v0 = 0x736f6d6570736575ULL ^ k0;
    uint64_t v1 = 0x646f72616e646f6dULL ^ k1;
    uint64_t v2 = 0x6c7967656e657261ULL ^ k0;
    uint64_t v3 = 0x7465646279746573ULL ^ k1;
    uint64_t b = (uint64_t)n << 56;
    size_t full = n - (n % 8);

    for (size_t i = 0; i < full; i += 8) {
        uint64_t m = load_le64(p + i);
        v3 ^= m;
        SIPROUND(v0, v1, v2, v3);
        v0 ^= m;
    }
    for (size_t i = 0; i < n % 8; i++)
        b |= (uint64_t)p[full + i] << (8 * i);
    v3 ^= b;
    SIPROUND(v0, v1, v2, v3);
    v0 ^= b;
    v2 ^= 0xff;
    SIPROUND(v0, v1, v2, v3);
    SIPROUND(v0, v1, v2, v3);
    SIPROUND(v0, v1, v2, v3);
    return v0 ^ v1 ^ v2 ^ v3;
}
