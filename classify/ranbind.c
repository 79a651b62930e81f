/* ranbind.c - RAN UE contexts to bindings and SMS (see ranbind.h). */
#include "classify/ranbind.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/siphash.h"
#include "capture/str.h"
#include "classify/binding.h"
#include "classify/dtap_sms.h"
#include "classify/nas_5gs.h"
#include "classify/nas_eps.h"
#include "classify/ngap.h"
#include "classify/ran_dir.h"
#include "classify/s1ap.h"
#include "classify/slots.h"
#include "classify/suci.h"

#define UE_TEIDS 4 /* S1-U tunnel ends per context: gateway and eNodeB, two bearers */

enum {
    RAN_CNT_BINDINGS = 3, /* evidence emitted */
    RAN_CNT_EVICTED,      /* a UE context pushed out by a newer one */
    RAN_CNT_UNREAD,       /* a ciphered NAS message not read */
    RAN_CNT_NOMEM,        /* a UE context not kept: no memory for its slot */
    RAN_CNT_MOVED,        /* a context took its UE from another association's (ran_dir.h) */
    RAN_CNT_DIR_EVICTED,  /* a UE left the directory, full, for a newer one */
    RAN_CNT_HANDED_OVER,  /* a Path Switch Request's context took its UE (ran_dir.h) */
    RAN_CNT_SUCI_OPENED,  /* a concealed SUCI de-concealed with a configured key */
    RAN_CNT_SUCI_TEST_KEY, /* ... with a TS 33.501 Annex C.4 test key (a lab capture) */
    RAN_CNT_SUCI_CLOSED,  /* a concealed SUCI no key opened */
    RAN_CNT_DIR_APNS_FULL, /* a card filed without its APN: the row's ran_apns were full */
};

/* What the scans of a flow's contexts read (a busy association holds
 * thousands), apart from the contexts themselves. */
struct ue_head {
    uint64_t last_us;
    uint32_t ran_id, tmsi;
    uint16_t tmsi_node; /* the core node of tmsi (ran.h, struct ran_msg) */
    bool used, live, has_tmsi; /* live: the newest context of its ran_id */
    bool tmsi_given; /* the core gave tmsi (nas_msg.guti_given), not only the UE named it */
    bool has_cn_key; /* the core node and its id of the UE are known: */
    uint64_t cn_key; /* their directory key (cn_key()) */
    bool pending;    /* opened by the core (Handover Request): no ran_id yet */
};

/* A PDN connection / PDU session of the UE that was opened: the bearer
 * identity / PDU session ID its release names, and its address. */
struct ue_pdn {
    uint8_t bearer;
    bool has_v4; /* else an IPv6-only session (its interface identifier only) */
    uint8_t v4[4];
};
#define UE_PDNS 4 /* sessions per UE whose release is followed (more: the oldest is forgotten) */

struct ue {
    char imsi[TGPP_IMSI_MAX], imei[TGPP_IMEI_MAX];
    char apn[TGPP_APN_MAX], cell[TGPP_CELL_MAX];
    bool has_v4, opened;
    bool has_v6; /* the newest session's address has an IPv6 part (its identifier only) */
    uint8_t v4[4];
    int8_t eea;     /* the ciphering a Security mode command chose; -1 unknown */
    uint8_t bearer; /* the newest session's default bearer / PDU session ID; 0 unknown */
    uint8_t npdn;
    struct ue_pdn pdn[UE_PDNS]; /* the sessions opened, oldest first */
    unsigned nteid;
    struct bind_teid teid[UE_TEIDS];
    bool has_gw;          /* the core's gateway's end of the UE's uplink tunnel (the */
    struct ran_tunnel gw; /* newest a request gave), which an S1 / N2 handover names */
};

/* What the row's directory files of a UE (ran_dir.h), and what a context
 * that takes the UE over copies: not the cell or the tunnel ends, which
 * are the base station's. */
struct ue_card {
    char imsi[TGPP_IMSI_MAX], imei[TGPP_IMEI_MAX];
    uint8_t apn; /* its APN / DNN in the row's ran_apns (0: none, or they were full) */
    bool has_v4, has_v6, opened, has_tmsi; /* has_tmsi: the core gave it tmsi */
    uint8_t v4[4];
    int8_t eea;
    uint8_t bearer, npdn;
    struct ue_pdn pdn[UE_PDNS];
    uint16_t tmsi_node;
    uint32_t tmsi;
};

/* The row's directory (ran_dir.h), shared by its flows: the UEs' cards,
 * under the TMSI the core gave them (dir_key()), or, when the row saw none
 * given, under the core node's id of them (cn_key()); and, for a UE filed
 * under a TMSI, its core id's alias: the key of its card (0: none, look in
 * cards).  An alias is 16 bytes where a card is 88 (its APN an index in
 * apns): the UEs of a busy row mostly have a TMSI. */
struct row_dir {
    struct ran_dir *cards, *alias;
    struct ran_apns *apns;
};


struct ranflow {
    struct ue_head *head;
    struct ue *ue;
    size_t cap;
    struct slot_budget *budget;
};

/* What tells the two rows apart. */
struct ran_ops {
    const char *sms_protocol; /* sms_events.protocol */
    enum bind_src src;
    enum parse_rc (*decode)(struct cursor *c, struct ran_msg *m);
    enum parse_rc (*nas)(struct cursor *c, enum nas_cipher cipher, struct nas_msg *m);
};

struct ranx {
    const struct ran_ops *ops;
    struct ranflow *f;
    uint64_t ts_us;
    const struct proto_emit *em;
    bool released; /* this message ended a session (no further evidence from it) */
};

static void *state_new(uint8_t transport)
{
    (void)transport;
    return calloc(1, sizeof(struct ranflow));
}

static void state_free(void *state)
{
    struct ranflow *f = state;
    if (f) {
        slots_budget_give(f->budget, f->cap);
        free(f->head);
        free(f->ue);
    }
    free(f);
}

static void count(const struct ranx *x, int slot)
{
    if (x->em->counters)
        x->em->counters[slot]++;
}

static ptrdiff_t find(const struct ranflow *f, uint32_t ran_id)
{
    for (size_t i = 0; i < f->cap; i++)
        if (f->head[i].used && f->head[i].live && !f->head[i].pending &&
            f->head[i].ran_id == ran_id)
            return (ptrdiff_t)i;
    return -1;
}

/* The context a Handover Request opened for the UE the core node knows by
 * cn key `key`, still waiting for the base station's id. */
static ptrdiff_t find_pending(const struct ranflow *f, uint64_t key)
{
    for (size_t i = 0; i < f->cap; i++)
        if (f->head[i].used && f->head[i].live && f->head[i].pending &&
            f->head[i].has_cn_key && f->head[i].cn_key == key)
            return (ptrdiff_t)i;
    return -1;
}

/* The most recent other context given M-TMSI t. */
static ptrdiff_t by_tmsi(const struct ranflow *f, uint32_t t, size_t except)
{
    ptrdiff_t best = -1;
    for (size_t i = 0; i < f->cap; i++) {
        const struct ue_head *h = &f->head[i];
        if (i != except && h->used && h->has_tmsi && h->tmsi == t &&
            (best < 0 || h->last_us >= f->head[best].last_us))
            best = (ptrdiff_t)i;
    }
    return best;
}

/* Whether context h is ran_id's, which a newer context of ran_id retires:
 * it is kept while an M-TMSI may name it again. */
static bool retires(const struct ue_head *h, uint32_t ran_id)
{
    return h->used && !h->pending && h->ran_id == ran_id;
}

static void retire_head(struct ue_head *h)
{
    h->live = false;
    h->used = h->has_tmsi;
}

/* The contexts of ran_id other than `keep` are retired. */
static void retire(struct ranflow *f, uint32_t ran_id, ptrdiff_t keep)
{
    for (size_t i = 0; i < f->cap; i++)
        if ((ptrdiff_t)i != keep && retires(&f->head[i], ran_id))
            retire_head(&f->head[i]);
}

/* A new context for ran_id (the older one, if any, is retired but kept for
 * its M-TMSI), or, pending, for a UE the core opens before the base station
 * gives it an id; -1 when there is no memory for one.  One pass over the
 * contexts (a busy association holds thousands). */
static ptrdiff_t fresh(const struct ranx *x, uint32_t ran_id, bool pending)
{
    struct ranflow *f = x->f;
    ptrdiff_t slot = -1, oldest = -1;
    for (size_t i = 0; i < f->cap; i++) {
        struct ue_head *h = &f->head[i];
        if (!pending && retires(h, ran_id))
            retire_head(h);
        if (!h->used && slot < 0)
            slot = (ptrdiff_t)i;
        if (h->used && (oldest < 0 || h->last_us < f->head[oldest].last_us))
            oldest = (ptrdiff_t)i;
    }
    if (slot < 0) {
        size_t was = f->cap;
        if (!f->cap)
            f->budget = x->em->budget;
        void *h = f->head, *u = f->ue;
        bool grown = slots_grow_pair(&h, sizeof *f->head, &u, sizeof *f->ue, &f->cap, 2,
                                     RANBIND_MAX_UES, f->budget);
        f->head = h;
        f->ue = u;
        if (grown)
            slot = (ptrdiff_t)was;
        else if (oldest < 0) {
            count(x, RAN_CNT_NOMEM);
            return -1;
        } else {
            slot = oldest;
            count(x, RAN_CNT_EVICTED);
        }
    }
    f->head[slot] = (struct ue_head){
        .last_us = x->ts_us, .ran_id = ran_id, .used = true, .live = true, .pending = pending};
    memset(&f->ue[slot], 0, sizeof f->ue[slot]);
    f->ue[slot].eea = -1;
    return slot;
}

/* The directory key of M-TMSI t of core node `node` (the top bit clear). */
static uint64_t dir_key(uint16_t node, uint32_t t) { return (uint64_t)node << 32 | t; }

/* The key under which the UE the core node at addr (alen octets) knows by
 * cn_id is filed: a SipHash of both with the top bit set, so that it meets
 * no TMSI's key.  The ids come from packets: the hash has a key of its
 * own, and two UEs share an entry only if 64 bits collide. */
static const uint8_t cn_hash_key[16] = "trapline-ran-cn";

static uint64_t cn_key(const uint8_t *addr, uint8_t alen, uint64_t cn_id)
{
    uint8_t b[1 + 16 + 8];
    b[0] = alen;
    memcpy(b + 1, addr, alen);
    for (unsigned k = 0; k < 8; k++)
        b[1 + alen + k] = (uint8_t)(cn_id >> (8 * k));
    return siphash13(cn_hash_key, b, 1u + alen + 8u) | UINT64_C(1) << 63;
}

/* The key under which the UE whose uplink tunnel ends at t (the core's
 * gateway's end) is aliased: a SipHash of the end with the top bit set.  A
 * TEID is unique within the gateway that allocated it (TS 29.281 5.1). */
static const uint8_t gw_hash_key[16] = "trapline-ran-gw";

static uint64_t gw_key(const struct ran_tunnel *t)
{
    uint8_t b[1 + 16 + 4];
    b[0] = t->alen;
    memcpy(b + 1, t->addr, t->alen);
    for (unsigned k = 0; k < 4; k++)
        b[1 + t->alen + k] = (uint8_t)(t->teid >> (8 * k));
    return siphash13(gw_hash_key, b, 1u + t->alen + 4u) | UINT64_C(1) << 63;
}

/* The card of context u (head h), its APN in apns (NULL: none kept; *full
 * set when apns had no room for it, ran_dir.h). */
static void card_of(const struct ue *u, const struct ue_head *h, struct ran_apns *apns,
                    struct ue_card *c, bool *full)
{
    memset(c, 0, sizeof *c);
    str_copy(c->imsi, sizeof c->imsi, u->imsi);
    str_copy(c->imei, sizeof c->imei, u->imei);
    c->apn = ran_apns_id(apns, u->apn, full);
    c->has_v4 = u->has_v4;
    c->has_v6 = u->has_v6;
    c->opened = u->opened;
    memcpy(c->v4, u->v4, 4);
    c->eea = u->eea;
    c->bearer = u->bearer;
    c->npdn = u->npdn;
    memcpy(c->pdn, u->pdn, sizeof c->pdn);
    c->has_tmsi = h->has_tmsi && h->tmsi_given;
    c->tmsi = c->has_tmsi ? h->tmsi : 0;
    c->tmsi_node = c->has_tmsi ? h->tmsi_node : 0;
}

/* Context u takes the UE of card c: identity, address, session (the same
 * one, now on this context) and ciphering. */
static void take_card(struct ue *u, const struct ue_card *c, const struct ran_apns *apns)
{
    str_copy(u->imsi, sizeof u->imsi, c->imsi);
    str_copy(u->imei, sizeof u->imei, c->imei);
    str_copy(u->apn, sizeof u->apn, ran_apns_name(apns, c->apn));
    u->has_v4 = c->has_v4;
    u->has_v6 = c->has_v6;
    memcpy(u->v4, c->v4, 4);
    u->eea = c->eea;
    u->bearer = c->bearer;
    u->npdn = c->npdn;
    memcpy(u->pdn, c->pdn, sizeof u->pdn);
    u->opened = c->opened;
}

/* Context i names its UE by M-TMSI t of core node `node` (given: the core
 * gave it in this message): it takes what was known of the UE given t
 * (identity, address, session, ciphering) and is now the context given t.
 * What was known: the row's directory entry (the latest any association
 * filed, ran_dir.h), else a context of this association given t.  Only a
 * TMSI the core gave is filed: the old GUTI a UE names itself by in a
 * request may be another core's, or one the core has forgotten (a test
 * network's UEs send made-up ones). */
static void adopt_tmsi(const struct ranx *x, size_t i, uint16_t node, uint32_t t, bool given)
{
    struct ranflow *f = x->f;
    ptrdiff_t j = by_tmsi(f, t, i);
    struct ue *u = &f->ue[i];
    const struct row_dir *rd = x->em->shared;
    const struct ue_card *filed = rd ? ran_dir_get(rd->cards, dir_key(node, t)) : NULL;
    /* a TMSI the core gave, to this context or to the one it takes over */
    given = given || filed || (j >= 0 && f->head[j].tmsi_given);
    if ((j >= 0 || filed) && !u->imsi[0] && !u->imei[0]) {
        if (filed) {
            if (j < 0)
                count(x, RAN_CNT_MOVED); /* known only from another association */
            take_card(u, filed, rd->apns);
        } else { /* another context of this association: its APN as it is */
            struct ue_card local;
            bool full = false;
            card_of(&f->ue[j], &f->head[j], NULL, &local, &full);
            take_card(u, &local, NULL);
            str_copy(u->apn, sizeof u->apn, f->ue[j].apn);
        }
        if (j >= 0) {
            f->head[j].has_tmsi = false; /* one context per M-TMSI */
            f->head[j].used = f->head[j].live;
        }
    }
    f->head[i].has_tmsi = true;
    f->head[i].tmsi = t;
    f->head[i].tmsi_node = node;
    f->head[i].tmsi_given = given;
}

/* Context i, opened by a handover on the target base station, takes the UE
 * of card c, TMSI included, so that the UE's later messages name it; false
 * when the card names nobody (emptied). */
static bool take_handed_over(const struct ranx *x, size_t i, const struct ue_card *c)
{
    if (!c->imsi[0] && !c->imei[0])
        return false;
    struct ue_head *h = &x->f->head[i];
    const struct row_dir *d = x->em->shared;
    take_card(&x->f->ue[i], c, d ? d->apns : NULL);
    if (c->has_tmsi) {
        h->has_tmsi = h->tmsi_given = true;
        h->tmsi = c->tmsi;
        h->tmsi_node = c->tmsi_node;
    }
    count(x, RAN_CNT_HANDED_OVER);
    return true;
}

/* A Path Switch Request (X2 / Xn handover): the target base station's new
 * context i names its UE by the id its core node gave it on the source
 * base station's association (src_cn_id at the core node at addr).  The
 * context takes what that association's context filed (ran_dir.h), the
 * TMSI included, so that the UE's later messages, on this association,
 * name it. */
static void adopt_handover(const struct ranx *x, size_t i, const uint8_t *addr,
                           uint64_t src_cn_id)
{
    const struct ue *u = &x->f->ue[i];
    const struct row_dir *rd = x->em->shared;
    if (!rd)
        return;
    uint64_t key = cn_key(addr, x->em->addr_len, src_cn_id);
    const uint64_t *to = ran_dir_get(rd->alias, key);
    const struct ue_card *filed = ran_dir_get(rd->cards, to && *to ? *to : key);
    if (filed && !u->imsi[0] && !u->imei[0])
        take_handed_over(x, i, filed);
}

/* A Handover Request (S1 / N2 handover): the core opens context i on the
 * target base station for a UE it names by a new core id only; the uplink
 * tunnel ends it gives are the UE's (the gateway keeps them).  The context
 * takes the UE aliased under one of them, TMSI included. */
static void adopt_by_gateway(const struct ranx *x, size_t i, const struct ran_msg *m)
{
    const struct ue *u = &x->f->ue[i];
    const struct row_dir *rd = x->em->shared;
    if (!rd || u->imsi[0] || u->imei[0])
        return;
    for (unsigned k = 0; k < m->ntun; k++) {
        if (!m->tun[k].core)
            continue;
        const uint64_t *to = ran_dir_get(rd->alias, gw_key(&m->tun[k]));
        const struct ue_card *filed = to && *to ? ran_dir_get(rd->cards, *to) : NULL;
        if (filed && take_handed_over(x, i, filed))
            return;
    }
}

/* Files what context i knows of its UE, for the contexts of other
 * associations (the row's directory, when it has one): under the M-TMSI
 * the core gave it, under the core node's id of it (an alias of the TMSI's
 * card, or a card of its own) and under its uplink tunnel's gateway end
 * (an alias of either).  An id or a TEID the core gives again later names
 * another UE: a context given it with no identity yet empties what it
 * named (without filing anything new). */
static void file_ue(const struct ranx *x, size_t i)
{
    const struct ue_head *h = &x->f->head[i];
    const struct ue *u = &x->f->ue[i];
    const struct row_dir *d = x->em->shared;
    if (!d)
        return;
    struct ue_card c;
    bool full = false;
    card_of(u, h, d->apns, &c, &full);
    if (full)
        count(x, RAN_CNT_DIR_APNS_FULL);
    bool known = u->imsi[0] || u->imei[0], ok = true;
    uint64_t *evicted = x->em->counters ? &x->em->counters[RAN_CNT_DIR_EVICTED] : NULL;
    uint64_t tk = dir_key(h->tmsi_node, h->tmsi), none = 0;
    if (c.has_tmsi && known)
        ok = ran_dir_put(d->cards, tk, &c, evicted);
    if (h->has_cn_key) {
        bool aliased = ran_dir_get(d->alias, h->cn_key) != NULL;
        if (known && c.has_tmsi) {
            ok = ran_dir_put(d->alias, h->cn_key, &tk, evicted) && ok;
        } else {
            if (aliased)
                ok = ran_dir_put(d->alias, h->cn_key, &none, evicted) && ok;
            if (known || ran_dir_get(d->cards, h->cn_key))
                ok = ran_dir_put(d->cards, h->cn_key, &c, evicted) && ok;
        }
    }
    if (u->has_gw) {
        uint64_t gk = gw_key(&u->gw);
        uint64_t to = !known ? 0 : c.has_tmsi ? tk : h->has_cn_key ? h->cn_key : 0;
        if (to || ran_dir_get(d->alias, gk))
            ok = ran_dir_put(d->alias, gk, &to, evicted) && ok;
    }
    if (!ok)
        count(x, RAN_CNT_NOMEM);
}

/* Context i now names subscriber imsi: the retired contexts of the same
 * subscriber (earlier connections, whose M-TMSI the core replaces at this
 * attach) will name nobody again. */
static void forget_retired(struct ranflow *f, size_t i, const char *imsi)
{
    for (size_t j = 0; j < f->cap; j++) {
        struct ue_head *h = &f->head[j];
        if (j != i && h->used && !h->live && strcmp(f->ue[j].imsi, imsi) == 0)
            h->used = false;
    }
}

static void add_teid(struct ue *u, const struct ran_tunnel *e)
{
    for (unsigned k = 0; k < u->nteid; k++)
        if (u->teid[k].teid == e->teid && u->teid[k].alen == e->alen &&
            memcmp(u->teid[k].addr, e->addr, e->alen) == 0)
            return;
    if (u->nteid == UE_TEIDS) { /* the oldest tunnel end gives way */
        memmove(u->teid, u->teid + 1, (UE_TEIDS - 1) * sizeof u->teid[0]);
        u->nteid--;
    }
    struct bind_teid *t = &u->teid[u->nteid++];
    memset(t, 0, sizeof *t);
    t->teid = e->teid;
    t->alen = e->alen;
    memcpy(t->addr, e->addr, e->alen);
}

static void evidence(const struct ranx *x, const struct ue *u, struct sub_binding *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->src = x->ops->src;
    str_copy(ev->imsi, sizeof ev->imsi, u->imsi);
    str_copy(ev->imei, sizeof ev->imei, u->imei);
    str_copy(ev->apn, sizeof ev->apn, u->apn);
    str_copy(ev->cell, sizeof ev->cell, u->cell);
    if (u->has_v4) {
        memcpy(ev->v4, u->v4, 4);
        ev->has_v4 = true;
    }
    for (unsigned k = 0; k < u->nteid; k++)
        binding_add_teid(ev, u->teid[k].teid, false, u->teid[k].addr, u->teid[k].alen, NULL);
}

static void apply(const struct ranx *x, enum bind_op op, struct sub_binding *ev)
{
    ev->op = op;
    ev->evidence_us = x->ts_us;
    count(x, RAN_CNT_BINDINGS);
    proto_emit_binding(x->em, ev);
}

/* The session just opened with the context's address: a later release of
 * its bearer / PDU session ID names it. */
/* The index of u's session opened with bearer, or u->npdn. */
static unsigned pdn_of(const struct ue *u, uint8_t bearer)
{
    unsigned k = 0;
    while (k < u->npdn && u->pdn[k].bearer != bearer)
        k++;
    return k;
}

static void note_pdn(struct ue *u)
{
    if (!u->bearer)
        return;
    unsigned k = pdn_of(u, u->bearer);
    if (k == UE_PDNS) { /* the oldest is forgotten */
        memmove(u->pdn, u->pdn + 1, (UE_PDNS - 1) * sizeof u->pdn[0]);
        k = UE_PDNS - 1;
    } else if (k == u->npdn) {
        u->npdn++;
    }
    u->pdn[k].bearer = u->bearer;
    u->pdn[k].has_v4 = u->has_v4;
    memcpy(u->pdn[k].v4, u->v4, 4);
}

/* A bearer deactivation / PDU session release for bearer: the session
 * opened with it ends (a dedicated bearer's names none).  An IPv4 session
 * is named by its address; an IPv6-only one, known by no address, by the
 * UE alone when it is the UE's only session (else it is left to the
 * detach, rather than end the others).  When it was the context's newest,
 * the context goes on with the one opened before it. */
static void release_pdn(struct ranx *x, struct ue *u, uint8_t bearer)
{
    unsigned k = pdn_of(u, bearer);
    if (!bearer || k == u->npdn)
        return;
    struct sub_binding ev;
    evidence(x, u, &ev);
    ev.nteid = 0;
    ev.has_v4 = u->pdn[k].has_v4;
    memcpy(ev.v4, u->pdn[k].v4, 4);
    if (ev.has_v4 || u->npdn == 1)
        apply(x, BIND_CLOSE, &ev);
    x->released = true;
    bool newest = bearer == u->bearer;
    memmove(u->pdn + k, u->pdn + k + 1, (u->npdn - k - 1) * sizeof u->pdn[0]);
    u->npdn--;
    if (!newest)
        return;
    const struct ue_pdn *prev = u->npdn ? &u->pdn[u->npdn - 1] : NULL;
    u->nteid = 0;
    u->opened = prev != NULL;
    u->has_v4 = prev && prev->has_v4;
    u->has_v6 = prev && !prev->has_v4;
    u->bearer = prev ? prev->bearer : 0;
    if (prev)
        memcpy(u->v4, prev->v4, 4);
}

/* The CP message of an Uplink / Downlink NAS transport: an SMS leg. */
static void sms(const struct ranx *x, size_t i, const struct nas_msg *n)
{
    if (!x->em->sms)
        return;
    const struct ue *u = &x->f->ue[i];
    const struct ue_head *h = &x->f->head[i];
    char detail[48];
    int k = snprintf(detail, sizeof detail, "%s",
                     n->uplink ? "uplink-nas-transport" : "downlink-nas-transport");
    if (!u->imsi[0] && h->has_tmsi && k > 0)
        snprintf(detail + k, sizeof detail - (size_t)k, " tmsi=%08x", (unsigned)h->tmsi);
    uint64_t key =
        u->imsi[0] ? dtap_sms_imsi_key(u->imsi) : (uint64_t)h->ran_id << 32 | 0xfffffffeu;
    struct dtap_sms_ctx c = {x->ops->sms_protocol, u->imsi, key, detail};
    struct cursor cp = cur_init(n->container.p, n->container.n);
    if (dtap_sms_parse(&cp, &c, x->ts_us, x->em->sms, x->em->ctx) < 0)
        count(x, PROTO_CNT_INVALID);
}

/* A concealed SUCI of message n: its IMSI, when a key opens it. */
static void deconceal(struct ranx *x, struct nas_msg *n)
{
    char msin[TGPP_IMSI_MAX], imsi[TGPP_IMSI_MAX];
    bool test = false;
    if (suci_open_msin(x->em->suci_keys, n->suci_scheme, n->suci_key_id, n->suci_out, msin,
                       sizeof msin, &test) != SUCI_OPENED ||
        strlen(n->suci_plmn) + strlen(msin) >= sizeof imsi) {
        count(x, RAN_CNT_SUCI_CLOSED);
        return;
    }
    size_t np = strlen(n->suci_plmn);
    memcpy(imsi, n->suci_plmn, np);
    memcpy(imsi + np, msin, strlen(msin) + 1);
    if (!ran_digits(imsi, RAN_IMSI_MIN_DIGITS)) {
        count(x, RAN_CNT_SUCI_CLOSED);
        return;
    }
    str_copy(n->imsi, sizeof n->imsi, imsi);
    count(x, test ? RAN_CNT_SUCI_TEST_KEY : RAN_CNT_SUCI_OPENED);
}

/* One NAS-PDU of context i. */
static void nas(struct ranx *x, size_t i, struct span pdu)
{
    struct ue *u = &x->f->ue[i];
    struct cursor c = cur_init(pdu.p, pdu.n);
    enum nas_cipher ci = u->eea < 0    ? NAS_CIPHER_UNKNOWN
                         : u->eea == 0 ? NAS_CIPHER_NULL
                                       : NAS_CIPHER_SKIP;
    struct nas_msg n;
    if (x->ops->nas(&c, ci, &n) != PARSE_OK) {
        count(x, PROTO_CNT_INVALID);
        return;
    }
    if (n.unread) {
        count(x, RAN_CNT_UNREAD);
        return;
    }
    if (!n.imsi[0] && n.suci_scheme && !u->imsi[0])
        deconceal(x, &n);
    if (n.has_guti)
        adopt_tmsi(x, i, n.tmsi_node, n.tmsi, n.guti_given);
    if (n.imsi[0]) {
        str_copy(u->imsi, sizeof u->imsi, n.imsi);
        forget_retired(x->f, i, n.imsi);
    }
    if (n.imei[0])
        str_copy(u->imei, sizeof u->imei, n.imei);
    if (n.has_alg)
        u->eea = (int8_t)n.alg;
    if (n.apn[0])
        str_copy(u->apn, sizeof u->apn, n.apn);
    /* an IPv6-only session is told from the last by its bearer / PDU
     * session ID, having no address the row can read */
    bool v6_only = n.has_v6 && !n.has_v4;
    if ((n.has_v4 && (!u->has_v4 || memcmp(u->v4, n.v4, 4) != 0)) ||
        (v6_only && (u->has_v4 || !u->has_v6 || n.bearer != u->bearer))) {
        /* a (further) PDN connection: a binding of its own, with its own tunnels */
        if (u->opened)
            u->nteid = 0;
        u->opened = false;
        u->has_v4 = n.has_v4;
        u->has_v6 = n.has_v6;
        memcpy(u->v4, n.v4, 4);
        u->bearer = n.bearer;
    }
    if (n.release)
        release_pdn(x, u, n.bearer);
    if (n.detach && u->opened) {
        /* A detach / deregistration ends every PDN connection / PDU session
         * of the UE, not only the newest this context tracks: named by its
         * identity alone, the CLOSE reaches each open session of the UE from
         * this source (binding.c, matches()). */
        struct sub_binding ev;
        evidence(x, u, &ev);
        ev.has_v4 = false;
        memset(ev.v4, 0, sizeof ev.v4);
        ev.nteid = 0;
        apply(x, BIND_CLOSE, &ev);
        u->opened = u->has_v4 = u->has_v6 = false;
        u->nteid = 0;
        u->bearer = u->npdn = 0;
    }
    if (n.has_container)
        sms(x, i, &n);
}

static enum parse_rc ran_parse(const struct ran_ops *ops, void *state, enum dir d, struct cursor *c,
                               uint64_t ts_us, const struct proto_emit *em)
{
    struct ran_msg m;
    enum parse_rc rc = ops->decode(c, &m);
    if (rc != PARSE_OK)
        return rc;
    proto_emit_claim(em);
    /* the core node is the message's destination when the base station
     * sent it, else its source */
    const uint8_t *core = em->src_addr ? (m.from_ran ? em->dst_addr : em->src_addr) : NULL;
    uint64_t key = core && m.has_cn_id ? cn_key(core, em->addr_len, m.cn_id) : 0;
    bool by_core = m.opens_by_core && key; /* a Handover Request: no base station id yet */
    if ((!m.has_ran_id && !by_core) ||
        (m.nnas == 0 && m.ntun == 0 && !m.cell[0] && !m.has_tmsi))
        return PARSE_OK;
    (void)d; /* both directions carry the same messages */
    struct ranx x = {ops, state, ts_us, em, false};
    ptrdiff_t i;
    if (by_core) {
        if ((i = find_pending(x.f, key)) < 0)
            i = fresh(&x, 0, true);
    } else {
        i = m.initial ? -1 : find(x.f, m.ran_id);
        if (i < 0 && key && (i = find_pending(x.f, key)) >= 0) {
            /* the base station's acknowledge gives the context its id */
            retire(x.f, m.ran_id, i);
            x.f->head[i].pending = false;
            x.f->head[i].ran_id = m.ran_id;
        }
        if (i < 0)
            i = fresh(&x, m.ran_id, false); /* a new UE, or one from before the capture */
    }
    if (i < 0)
        return PARSE_OK; /* no memory: counted */
    x.f->head[i].last_us = ts_us;
    struct ue *u = &x.f->ue[i];
    struct ue before = *u;
    struct ue_head head_before = x.f->head[i];
    if (m.cell[0])
        str_copy(u->cell, sizeof u->cell, m.cell);
    if (key) {
        x.f->head[i].has_cn_key = true;
        x.f->head[i].cn_key = key;
    }
    if (core && m.has_src_cn_id)
        adopt_handover(&x, (size_t)i, core, m.src_cn_id);
    if (by_core)
        adopt_by_gateway(&x, (size_t)i, &m);
    if (m.has_tmsi)
        adopt_tmsi(&x, (size_t)i, m.tmsi_node, m.tmsi, false);
    for (unsigned k = 0; k < m.nnas; k++)
        nas(&x, (size_t)i, m.nas[k]);
    for (unsigned k = 0; k < m.ntun; k++) {
        add_teid(u, &m.tun[k]);
        if (m.tun[k].core) {
            u->has_gw = true;
            u->gw = m.tun[k];
        }
    }
    if ((u->has_v4 || u->has_v6) && (u->imsi[0] || u->imei[0]) && !x.released &&
        (!u->opened || memcmp(&before, u, sizeof before) != 0)) {
        struct sub_binding ev;
        evidence(&x, u, &ev);
        if (!u->opened)
            note_pdn(u);
        apply(&x, u->opened ? BIND_UPDATE : BIND_OPEN, &ev);
        u->opened = true;
    }
    /* what changed, evidence given or not, goes to the directory */
    const struct ue_head *h = &x.f->head[i];
    if (memcmp(&before, u, sizeof before) != 0 || h->has_tmsi != head_before.has_tmsi ||
        h->tmsi != head_before.tmsi || h->tmsi_node != head_before.tmsi_node ||
        h->tmsi_given != head_before.tmsi_given || h->has_cn_key != head_before.has_cn_key ||
        h->cn_key != head_before.cn_key)
        file_ue(&x, (size_t)i);
    return PARSE_OK;
}

static const struct ran_ops s1_ops = {"s1ap", BIND_SRC_S1AP, s1ap_parse, nas_eps_parse};
static const struct ran_ops ng_ops = {"ngap", BIND_SRC_NGAP, ngap_parse, nas_5gs_parse};

static enum parse_rc s1_parse(void *state, enum dir d, struct cursor *c, uint64_t ts_us,
                              const struct proto_emit *em)
{
    return ran_parse(&s1_ops, state, d, c, ts_us, em);
}

static enum parse_rc ng_parse(void *state, enum dir d, struct cursor *c, uint64_t ts_us,
                              const struct proto_emit *em)
{
    return ran_parse(&ng_ops, state, d, c, ts_us, em);
}

/* The PPID or the port narrows, the PDU's shape decides. */
static enum proto_outcome s1_probe(const struct proto_probe *pp)
{
    if (pp->ppid != S1AP_PPID && pp->sport != S1AP_PORT && pp->dport != S1AP_PORT)
        return PROTO_EXCLUDE;
    return s1ap_probe(pp->bytes) ? PROTO_MATCH : PROTO_EXCLUDE;
}

static enum proto_outcome ng_probe(const struct proto_probe *pp)
{
    if (pp->ppid != NGAP_PPID && pp->sport != NGAP_PORT && pp->dport != NGAP_PORT)
        return PROTO_EXCLUDE;
    return ngap_probe(pp->bytes) ? PROTO_MATCH : PROTO_EXCLUDE;
}

/* The directory's counters are written when they are not 0 (sparse_from). */
static const char *const s1_counters[] = {
    "s1ap_invalid",    NULL,           NULL, "cp_bindings", "s1ap_ues_evicted",
    "s1ap_nas_unread", "s1ap_ue_nomem", "s1ap_ues_moved", "s1ap_dir_evicted",
    "s1ap_ues_handed_over", NULL, NULL, NULL, "s1ap_dir_apns_full"};
static const char *const ng_counters[] = {
    "ngap_invalid",    NULL,           NULL, "cp_bindings", "ngap_ues_evicted",
    "ngap_nas_unread", "ngap_ue_nomem", "ngap_ues_moved", "ngap_dir_evicted",
    "ngap_ues_handed_over", "ngap_suci_deconcealed", "ngap_suci_deconcealed_test_key",
    "ngap_suci_concealed", "ngap_dir_apns_full"};

static void dir_free(void *p)
{
    struct row_dir *d = p;
    if (d) {
        ran_dir_free(d->cards);
        ran_dir_free(d->alias);
        free(d->apns);
    }
    free(d);
}

static void *dir_new(void)
{
    struct row_dir *d = calloc(1, sizeof *d);
    if (d && (!(d->cards = ran_dir_new(sizeof(struct ue_card))) ||
              !(d->alias = ran_dir_new(sizeof(uint64_t))) ||
              !(d->apns = calloc(1, sizeof *d->apns)))) {
        dir_free(d);
        d = NULL;
    }
    return d;
}
_Static_assert(sizeof s1_counters / sizeof s1_counters[0] <= PROTO_MAX_COUNTERS,
               "ran counters exceed the registry's per-row slots");
_Static_assert(sizeof ng_counters / sizeof ng_counters[0] <= PROTO_MAX_COUNTERS,
               "ran counters exceed the registry's per-row slots");

/* A claimed association is carrier signalling, and carrier SMS once a CP
 * message carried one (classify/carrier.c). */
const struct proto_ops s1ap_proto = {
    .name = "s1ap",
    .role = PROTO_ROLE_SIGNALLING,
    .cls = SIG_CLASS_CARRIER_SMS,
    .transports = PROTO_T_SCTP,
    .probe = s1_probe,
    .state_new = state_new,
    .state_free = state_free,
    .parse = s1_parse,
    .counter_names = s1_counters,
    .ncounters = sizeof s1_counters / sizeof s1_counters[0],
    .sparse_from = RAN_CNT_MOVED,
    .shared_new = dir_new,
    .shared_free = dir_free,
};

const struct proto_ops ngap_proto = {
    .name = "ngap",
    .role = PROTO_ROLE_SIGNALLING,
    .cls = SIG_CLASS_CARRIER_SMS,
    .transports = PROTO_T_SCTP,
    .probe = ng_probe,
    .state_new = state_new,
    .state_free = state_free,
    .parse = ng_parse,
    .counter_names = ng_counters,
    .ncounters = sizeof ng_counters / sizeof ng_counters[0],
    .sparse_from = RAN_CNT_MOVED,
    .shared_new = dir_new,
    .shared_free = dir_free,
};
