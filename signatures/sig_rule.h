/* sig_rule.h - text -> rule field parsers used by the signature loader.
 *
 * Each parser reads one trusted-but-unchecked YAML scalar (borrowed) and
 * fills its part of a struct sig_rule.  On failure it returns a short reason
 * ("bad hex byte 'zz'") and leaves the rule's other fields unchanged; the
 * loader adds file:line:col.  On success it returns NULL.
 */
#ifndef PR_SIGNATURES_SIG_RULE_H
#define PR_SIGNATURES_SIG_RULE_H

#include "signatures/sig.h"

/* "17.0.0.0/8", "2620:149:a44::/48"; host bits must be zero. */
const char *sig_rule_parse_cidr(const char *text, struct sig_rule *r);

/* "tcp/5223", "udp/3478-3481". */
const char *sig_rule_parse_port(const char *text, struct sig_rule *r);

/* "57 41 ?? 03": space-separated hex bytes, "??" matches any byte. */
const char *sig_rule_parse_hex(const char *text, struct sig_rule *r);

/* A server-name pattern for match kind m: lower-case letters, digits, '-',
 * '.', '_'; no empty labels; prefix patterns end in '.' or '-'. */
const char *sig_rule_parse_name(const char *text, enum sig_match m, struct sig_rule *r);

/* "exact" | "suffix" | "prefix". */
const char *sig_rule_parse_match(const char *text, enum sig_match *out);

/* "sni" | "quic" (same bit as sni) | "host" | "cert" | "dns" -> bit. */
const char *sig_rule_parse_on(const char *text, unsigned *bit);

/* "tcp" | "udp" | "sctp" | "any" -> 6, 17, 132, 0. */
const char *sig_rule_parse_transport(const char *text, uint8_t *l4proto);

/* Built-in detectors a `detector:` rule may name (classify/ implements
 * them): "mtproto-obfuscated2" (classify/mtproto.h). */
enum sig_detector { SIG_DETECTOR_MTPROTO_OBF2 = 0, SIG_DETECTOR_COUNT };
const char *sig_rule_parse_detector(const char *text, enum sig_detector *out);
const char *sig_detector_name(enum sig_detector d);

/* A decimal integer in [lo, hi]. */
const char *sig_rule_parse_uint(const char *text, unsigned long lo, unsigned long hi,
                                unsigned long *out);

#endif
