/* sip_reg.c - SIP REGISTER decoding (see sip_reg.h). */
#include "classify/sip_reg.h"

#include <arpa/inet.h>
#include <string.h>

#include "classify/sip_sms.h"
#include "classify/sms_addr.h"

/* Header lines examined (as for SIP MESSAGE). */
#define SIP_REG_MAX_HEADERS SIP_MAX_HEADERS
#define HOST_MAX 64 /* longest IP literal kept for inet_pton */

static bool starts(struct span s, const char *lit)
{
    size_t n = strlen(lit);
    return s.n >= n && memcmp(s.p, lit, n) == 0;
}

static struct span after(struct span s, size_t k)
{
    return k >= s.n ? (struct span){s.p, 0} : (struct span){s.p + k, s.n - k};
}

static size_t find(struct span s, uint8_t ch)
{
    for (size_t i = 0; i < s.n; i++)
        if (span_at(s, i) == ch)
            return i;
    return s.n;
}

/* Digits of "tel:+1555..." or "sip:+1555...@host;user=phone" (visual
 * separators '-', '.', '(' and ')' dropped, RFC 3966 section 5.1.1). */
static void msisdn_of(struct span uri, char *out, size_t n)
{
    out[0] = '\0';
    bool tel = starts(uri, "tel:");
    if (!tel && !starts(uri, "sip:"))
        return;
    struct span u = after(uri, 4);
    if (!tel) {
        size_t at = find(u, '@');
        if (at == u.n)
            return;
        u.n = at;
    }
    size_t k = 0;
    for (size_t i = span_at(u, 0) == '+' ? 1 : 0; i < u.n; i++) {
        uint8_t ch = span_at(u, i);
        if (ch == ';')
            break;
        if (ch == '-' || ch == '.' || ch == '(' || ch == ')')
            continue;
        if (ch < '0' || ch > '9' || k + 1 >= n) {
            out[0] = '\0';
            return;
        }
        out[k++] = (char)ch;
    }
    out[k] = '\0';
}

static void contact_host(struct span uri, struct sip_reg_msg *m)
{
    if (!starts(uri, "sip:") && !starts(uri, "sips:"))
        return;
    struct span h = after(uri, find(uri, ':') + 1);
    size_t at = find(h, '@');
    if (at < h.n)
        h = after(h, at + 1);
    size_t end;
    if (span_at(h, 0) == '[') {
        h = after(h, 1);
        end = find(h, ']');
        if (end == h.n)
            return; /* a bracket never closed */
    } else {
        end = find(h, ':');
        size_t semi = find(h, ';');
        end = semi < end ? semi : end;
    }
    if (end == 0 || end >= HOST_MAX)
        return;
    char buf[HOST_MAX];
    memcpy(buf, h.p, end);
    buf[end] = '\0';
    if (inet_pton(AF_INET, buf, m->v4) == 1)
        m->has_v4 = true;
    else if (inet_pton(AF_INET6, buf, m->v6) == 1)
        m->has_v6 = true;
}

/* ";expires=N" among the parameters after the URI of a Contact value. */
static int64_t contact_expires(struct span v)
{
    for (size_t i = 0; i + 9 <= v.n; i++) {
        struct span p = after(v, i);
        struct span name = {p.p, 9};
        if (span_at(p, 0) == ';' && sip_sms_ieq(name, ";expires=")) {
            bool ok;
            uint64_t e = sip_sms_decimal(after(p, 9), &ok);
            return ok ? (int64_t)e : -1;
        }
    }
    return -1;
}

enum parse_rc sip_reg_parse(struct cursor *c, struct sip_reg_msg *out)
{
    memset(out, 0, sizeof *out);
    out->expires = -1;
    struct span first, line, to = {NULL, 0}, contact = {NULL, 0}, callid = {NULL, 0};
    struct span cseq = {NULL, 0};
    int64_t expires_hdr = -1;
    if (!sip_sms_line(c, &first))
        return PARSE_TRUNCATED;
    if (starts(first, "REGISTER ")) {
        out->request = true;
    } else if (starts(first, "SIP/2.0 ")) {
        bool ok;
        out->status = (int)sip_sms_decimal(after(first, 8), &ok);
        if (!ok || out->status < 200)
            return PARSE_INVALID; /* provisional: wait for the final answer */
    } else {
        return PARSE_INVALID;
    }
    for (unsigned n = 0;; n++) {
        if (!sip_sms_line(c, &line))
            return PARSE_TRUNCATED;
        if (line.n == 0)
            break;
        if (n >= SIP_REG_MAX_HEADERS)
            continue;
        size_t colon = find(line, ':');
        if (colon == line.n)
            continue;
        struct span name = sip_sms_trim((struct span){line.p, colon});
        struct span val = sip_sms_trim(after(line, colon + 1));
        if (sip_sms_ieq(name, "to") || sip_sms_ieq(name, "t"))
            to = val;
        else if ((sip_sms_ieq(name, "contact") || sip_sms_ieq(name, "m")) && !contact.p)
            contact = val;
        else if (sip_sms_ieq(name, "call-id") || sip_sms_ieq(name, "i"))
            callid = val;
        else if (sip_sms_ieq(name, "cseq"))
            cseq = val;
        else if (sip_sms_ieq(name, "expires")) {
            bool ok;
            uint64_t e = sip_sms_decimal(val, &ok);
            expires_hdr = ok ? (int64_t)e : -1;
        }
    }
    bool ok;
    out->cseq = (uint32_t)sip_sms_decimal(cseq, &ok);
    size_t sp = find(cseq, ' ');
    struct span method = sip_sms_trim(after(cseq, sp));
    if (!ok || !sip_sms_ieq(method, "register"))
        return PARSE_INVALID;
    out->call_key = sip_sms_hash(callid);
    if (to.p) {
        struct span uri = sip_sms_uri(to);
        out->impu_cut = !sms_addr_copy(uri, out->impu, sizeof out->impu);
        msisdn_of(uri, out->msisdn, sizeof out->msisdn);
    }
    if (contact.p) {
        contact_host(sip_sms_uri(contact), out);
        out->expires = contact_expires(contact);
    }
    if (out->expires < 0)
        out->expires = expires_hdr;
    return PARSE_OK;
}
