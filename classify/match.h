/* match.h - the compiled signature set: indexes over a sig_set's rules.
 *
 * Built once from a validated sig_set (signatures/sig.h) and read-only
 * afterwards.  Every lookup is bounded by the input, never by the number of
 * rules: server names and ALPN values go through a hash table keyed by the
 * pattern (a name is looked up once whole, once per label suffix and once per
 * '.'/'-' prefix), addresses through a binary radix trie per family (one
 * step per address bit), ports through a direct table.  Preambles are
 * compared only on a flow's first payload packet in each direction, against
 * the few preamble rules of that transport (SIG_MAX_PREAMBLES).
 *
 * Each lookup returns the index of the best matching rule in the sig_set, or
 * -1.  "Best" is the most specific: the longest name pattern (exact before
 * suffix before prefix on a tie), the longest address prefix, then the rule
 * that comes first in the files.
 */
#ifndef PR_CLASSIFY_MATCH_H
#define PR_CLASSIFY_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "capture/rc.h"
#include "signatures/sig.h"

/* Index entries (rule x key) a compiled set may hold; a port range counts
 * once per port.  Beyond this the set is refused at load time. */
#define MATCH_MAX_ENTRIES (1u << 20)
/* Preamble rules per transport, compared one by one on first packets. */
#define MATCH_MAX_PREAMBLES 64

struct match_set;

/* Compiles s (borrowed; must outlive the result).  Returns owned or NULL
 * with e set (out of memory, or a limit above exceeded). */
struct match_set *match_new(const struct sig_set *s, struct err *e);
void match_free(struct match_set *m);

/* Best name rule for name (NUL-terminated, lower case, untrusted) among
 * rules whose `on` set has a bit of `on`. */
int match_name(const struct match_set *m, const char *name, unsigned on);

/* Rule whose ALPN value equals alpn exactly. */
int match_alpn(const struct match_set *m, const char *alpn);

/* Best CIDR rule containing addr (4 or 16 bytes for family 4 or 6) whose
 * transport/ports allow (l4proto, server_port). */
int match_addr(const struct match_set *m, uint8_t family, const uint8_t *addr, uint8_t l4proto,
               uint16_t server_port);

/* First port rule covering (l4proto, port). */
int match_port(const struct match_set *m, uint8_t l4proto, uint16_t port);

/* First preamble or detector rule of transport l4proto, direction dir (0
 * c2s, 1 s2c) and server port whose bytes (or built-in check, e.g. the
 * MTProto obfuscated2 header) match payload p[0, n) (untrusted, borrowed). */
int match_preamble(const struct match_set *m, uint8_t l4proto, uint16_t server_port, int dir,
                   const uint8_t *p, size_t n);

#endif
