/* sig_rule.c - text -> rule field parsers (see sig_rule.h).
 *
 * Addresses use inet_pton (RFC 4291 section 2.2 text forms for IPv6); a
 * prefix whose host bits are not zero is refused rather than silently
 * widened, so a typo such as 17.1.0.0/8 is caught at load time.
 */
#include "signatures/sig_rule.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

const char *sig_rule_parse_uint(const char *text, unsigned long lo, unsigned long hi,
                                unsigned long *out)
{
    if (!text || !*text)
        return "expected a number";
    for (const char *p = text; *p; p++)
        if (!isdigit((unsigned char)*p))
            return "expected a decimal number";
    if (strlen(text) > 9)
        return "number out of range";
    unsigned long v = strtoul(text, NULL, 10);
    if (v < lo || v > hi)
        return "number out of range";
    *out = v;
    return NULL;
}

const char *sig_rule_parse_cidr(const char *text, struct sig_rule *r)
{
    char buf[64];
    const char *slash = strchr(text, '/');
    if (!slash)
        return "CIDR needs a /prefix-length";
    size_t alen = (size_t)(slash - text);
    if (alen == 0 || alen >= sizeof buf)
        return "bad CIDR address";
    memcpy(buf, text, alen);
    buf[alen] = '\0';
    uint8_t a[16] = {0};
    uint8_t fam;
    unsigned long maxlen;
    if (inet_pton(AF_INET, buf, a) == 1) {
        fam = 4;
        maxlen = 32;
    } else if (inet_pton(AF_INET6, buf, a) == 1) {
        fam = 6;
        maxlen = 128;
    } else {
        return "bad CIDR address";
    }
    unsigned long plen;
    if (sig_rule_parse_uint(slash + 1, 0, maxlen, &plen))
        return "bad CIDR prefix length";
    for (unsigned long bit = plen; bit < maxlen; bit++)
        if (a[bit / 8] & (0x80u >> (bit % 8)))
            return "CIDR has host bits set beyond the prefix length";
    r->family = fam;
    memcpy(r->addr, a, sizeof a);
    r->plen = (uint8_t)plen;
    return NULL;
}

const char *sig_rule_parse_transport(const char *text, uint8_t *l4proto)
{
    if (strcmp(text, "tcp") == 0)
        *l4proto = 6;
    else if (strcmp(text, "udp") == 0)
        *l4proto = 17;
    else if (strcmp(text, "sctp") == 0)
        *l4proto = 132;
    else if (strcmp(text, "any") == 0)
        *l4proto = 0;
    else
        return "transport must be tcp, udp, sctp or any";
    return NULL;
}

const char *sig_rule_parse_port(const char *text, struct sig_rule *r)
{
    char buf[32];
    const char *slash = strchr(text, '/');
    if (!slash || (size_t)(slash - text) >= sizeof buf)
        return "port must be written transport/port, e.g. tcp/5223";
    memcpy(buf, text, (size_t)(slash - text));
    buf[slash - text] = '\0';
    uint8_t proto;
    const char *why = sig_rule_parse_transport(buf, &proto);
    if (why)
        return why;
    const char *num = slash + 1;
    const char *dash = strchr(num, '-');
    unsigned long lo, hi;
    if (dash) {
        size_t n = (size_t)(dash - num);
        if (n == 0 || n >= sizeof buf)
            return "bad port range";
        memcpy(buf, num, n);
        buf[n] = '\0';
        if (sig_rule_parse_uint(buf, 1, 65535, &lo) || sig_rule_parse_uint(dash + 1, 1, 65535, &hi))
            return "bad port number (1-65535)";
        if (hi < lo)
            return "port range is reversed";
    } else {
        if (sig_rule_parse_uint(num, 1, 65535, &lo))
            return "bad port number (1-65535)";
        hi = lo;
    }
    r->l4proto = proto;
    r->port_lo = (uint16_t)lo;
    r->port_hi = (uint16_t)hi;
    return NULL;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

const char *sig_rule_parse_hex(const char *text, struct sig_rule *r)
{
    uint8_t b[SIG_PREAMBLE_MAX], m[SIG_PREAMBLE_MAX];
    size_t n = 0;
    bool any_fixed = false;
    const char *p = text;
    while (*p) {
        if (*p == ' ') {
            p++;
            continue;
        }
        if (!p[1] || p[1] == ' ')
            return "bad hex: bytes are two digits each";
        if (n == SIG_PREAMBLE_MAX)
            return "preamble longer than 32 bytes";
        if (p[0] == '?' && p[1] == '?') {
            b[n] = 0;
            m[n] = 0;
        } else {
            int hi = hexval(p[0]), lo = hexval(p[1]);
            if (hi < 0 || lo < 0)
                return "bad hex byte";
            b[n] = (uint8_t)(hi << 4 | lo);
            m[n] = 0xff;
            any_fixed = true;
        }
        n++;
        p += 2;
        if (*p && *p != ' ')
            return "bad hex: separate bytes with spaces";
    }
    if (n == 0)
        return "empty preamble";
    if (!any_fixed)
        return "preamble has only wildcards";
    memcpy(r->pre, b, n);
    memcpy(r->pre_mask, m, n);
    r->pre_len = (uint8_t)n;
    return NULL;
}

const char *sig_rule_parse_match(const char *text, enum sig_match *out)
{
    if (strcmp(text, "exact") == 0)
        *out = SIG_MATCH_EXACT;
    else if (strcmp(text, "suffix") == 0)
        *out = SIG_MATCH_SUFFIX;
    else if (strcmp(text, "prefix") == 0)
        *out = SIG_MATCH_PREFIX;
    else
        return "match must be exact, suffix or prefix";
    return NULL;
}

const char *sig_rule_parse_on(const char *text, unsigned *bit)
{
    if (strcmp(text, "sni") == 0 || strcmp(text, "quic") == 0)
        *bit = SIG_ON_SNI;
    else if (strcmp(text, "host") == 0)
        *bit = SIG_ON_HOST;
    else if (strcmp(text, "cert") == 0)
        *bit = SIG_ON_CERT;
    else if (strcmp(text, "dns") == 0)
        *bit = SIG_ON_DNS;
    else if (strcmp(text, "stun") == 0)
        *bit = SIG_ON_STUN;
    else
        return "'on' entries are sni, quic, host, cert, dns or stun";
    return NULL;
}

const char *sig_rule_parse_name(const char *text, enum sig_match m, struct sig_rule *r)
{
    size_t n = strlen(text);
    if (n == 0)
        return "empty server name";
    if (n >= SIG_PATTERN_MAX)
        return "server name longer than 127 characters";
    for (size_t i = 0; i < n; i++) {
        char c = text[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                  c == '_';
        if (!ok)
            return "server names are lower-case letters, digits, '-', '_' and '.'";
        if (c == '.' && (i == 0 || text[i - 1] == '.'))
            return "server name has an empty label (write suffix rules without a leading dot)";
    }
    if (m == SIG_MATCH_PREFIX) {
        if (text[n - 1] != '.' && text[n - 1] != '-')
            return "a prefix pattern ends in '.' or '-' (a label boundary)";
    } else if (text[n - 1] == '.' || text[n - 1] == '-') {
        return "only prefix patterns may end in '.' or '-'";
    }
    memcpy(r->text, text, n + 1);
    r->match = m;
    return NULL;
}

static const char *const detector_names[SIG_DETECTOR_COUNT] = {
    [SIG_DETECTOR_MTPROTO_OBF2] = "mtproto-obfuscated2",
};

const char *sig_detector_name(enum sig_detector d)
{
    return d < SIG_DETECTOR_COUNT ? detector_names[d] : "?";
}

const char *sig_rule_parse_detector(const char *text, enum sig_detector *out)
{
    for (int d = 0; d < SIG_DETECTOR_COUNT; d++)
        if (strcmp(text, detector_names[d]) == 0) {
            *out = (enum sig_detector)d;
            return NULL;
        }
    return "unknown detector (mtproto-obfuscated2)";
}
