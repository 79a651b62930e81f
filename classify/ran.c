/* ran.c - helpers shared by the S1AP and NGAP decoders (see ran.h). */
#include "classify/ran.h"

#include <stdio.h>
#include <string.h>

#include "capture/rc.h"
#include "capture/str.h"
#include "classify/aper.h"

void ran_add_nas(struct ran_msg *m, struct span s)
{
    if (m->nnas < RAN_MAX_NAS && s.n)
        m->nas[m->nnas++] = s;
}

void ran_add_tunnel(struct aper_bits *b, struct ran_msg *m, bool core)
{
    size_t nbits;
    if (aper_bits(b, 1)) { /* beyond the root size: a length determinant */
        if (!aper_bits_len(b, &nbits))
            return;
    } else {
        nbits = aper_bits(b, 8) + 1u;
    }
    struct span addr, teid;
    if (!aper_octets(b, (nbits + 7) / 8, &addr) || !aper_octets(b, 4, &teid))
        return;
    if (m->ntun >= RAN_MAX_TUNNELS || (addr.n != 4 && addr.n != 16 && addr.n != 20))
        return;
    struct ran_tunnel *e = &m->tun[m->ntun++];
    e->teid = (uint32_t)teid.p[0] << 24 | (uint32_t)teid.p[1] << 16 | (uint32_t)teid.p[2] << 8 |
              teid.p[3];
    e->alen = addr.n == 16 ? 16 : 4; /* IPv4 and IPv6 together: the IPv4 one comes first */
    e->core = core;
    memcpy(e->addr, addr.p, e->alen);
}

void ran_location(const uint8_t *plmn, uint64_t value, enum tgpp_loc kind, char *out,
                  size_t out_size)
{
    size_t n = kind == TGPP_LOC_TAI       ? 2
               : kind == TGPP_LOC_5GS_TAI ? 3
               : kind == TGPP_LOC_ECGI    ? 4
                                          : 5;
    uint8_t b[8];
    memcpy(b, plmn, 3);
    for (size_t i = 0; i < n; i++)
        b[3 + i] = (uint8_t)(value >> (8 * (n - 1 - i)));
    struct cursor g = cur_init(b, 3 + n);
    out[0] = '\0';
    tgpp_loc_append(&g, kind, out, out_size);
}

bool ran_digits(const char *s, size_t min)
{
    size_t n = strlen(s);
    return n >= min && strspn(s, "0123456789") == n;
}

bool ran_pdn_address(struct cursor v, struct nas_msg *m)
{
    uint8_t type = cur_u8(&v) & 0x07;
    m->has_v6 = (type == 2 || type == 3) && cur_has(&v, 8);
    if (type == 3)
        cur_skip(&v, 8); /* the IPv6 interface identifier comes first */
    if ((type == 1 || type == 3) && cur_copy(&v, m->v4, 4))
        m->has_v4 = m->v4[0] || m->v4[1] || m->v4[2] || m->v4[3];
    return cur_ok(&v) || type == 2;
}

void ran_cell(struct ran_msg *m, const char *tai, const char *cgi)
{
    str_copy(m->cell, sizeof m->cell, tai);
    size_t n = strlen(m->cell);
    if (cgi[0])
        snprintf(m->cell + n, sizeof m->cell - n, "%s%s", tai[0] ? ";" : "", cgi);
}

enum parse_rc ran_open(struct cursor *c, struct ran_msg *m, const struct ran_procs *p,
                       struct cursor *ies, unsigned *count, bool *go)
{
    memset(m, 0, sizeof *m);
    *go = false;
    enum parse_rc rc = aper_pdu_head(c, &m->outcome, &m->proc);
    if (rc)
        return rc;
    if (m->proc > p->max_proc || m->outcome > 2)
        return PARSE_INVALID;
    if (!p->reads(m->proc) || m->outcome == 2)
        return PARSE_OK;
    bool initiating = m->outcome == 0;
    bool ran_starts = m->proc == p->initial_ue || m->proc == p->ul_nas ||
                      m->proc == p->path_switch || m->proc == p->ho_notify;
    m->from_ran = initiating == ran_starts;
    m->initial = initiating && (m->proc == p->initial_ue || m->proc == p->path_switch);
    m->opens_by_core = initiating && m->proc == p->ho_alloc;
    if ((rc = aper_pdu_ies(c, ies, count)))
        return rc;
    *go = true;
    return PARSE_OK;
}

enum parse_rc ran_nas_inner(struct cursor *c, uint8_t sec, enum nas_cipher cipher,
                            struct nas_msg *m,
                            enum parse_rc (*plain)(struct cursor *c, struct nas_msg *m))
{
    m->ciphered = sec == 2 || sec == 4;
    if (m->ciphered && cipher == NAS_CIPHER_SKIP) {
        m->unread = true;
        return PARSE_OK;
    }
    struct nas_msg in;
    memset(&in, 0, sizeof in);
    enum parse_rc rc = plain(c, &in);
    if (rc && m->ciphered) {
        m->unread = true; /* ciphered for real, or not a message */
        return PARSE_OK;
    }
    if (rc)
        return rc;
    in.protected_ = true;
    in.ciphered = m->ciphered;
    *m = in;
    return PARSE_OK;
}
