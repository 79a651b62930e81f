/* sms_msg.c - groups the legs of one SMS under one message id (see
 * sms_msg.h for the rule and its sources). */
#include "classify/sms_msg.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "capture/siphash.h"
#include "capture/str.h"

enum { KIND_NONE = 0, KIND_MO, KIND_MT };

struct slot {
    bool used;
    uint8_t kind;
    uint64_t id;
    uint64_t first_us, last_us;
    int64_t ref;                  /* MO: TP-MR; MT: TP-SCTS */
    char party[SMS_ADDR_MAX];     /* MO: TP-DA; MT: TP-OA */
    char number[SMS_ADDR_MAX];    /* the other party's number when a leg showed it */
    char imsi[20];                /* the subscriber's IMSI when a leg showed it */
    int concat_ref, concat_part, concat_total;
    int64_t shape;                /* TP-PID/DCS/UDL, -1 unknown */
};

struct sms_msg {
    struct sms_msg_stats st;
    uint64_t next_id;
    uint64_t clock_us;            /* newest leg time seen */
    struct slot slots[SMS_MSG_SLOTS];
};

/* The identity of one leg (borrowed strings of the event). */
struct leg {
    uint8_t kind;
    int64_t ref;
    const char *party, *number, *imsi;
};

struct sms_msg *sms_msg_new(void) { return calloc(1, sizeof(struct sms_msg)); }

void sms_msg_free(struct sms_msg *t) { free(t); }

void sms_msg_get_stats(const struct sms_msg *t, struct sms_msg_stats *out) { *out = t->st; }

/* A number without its international '+' (SIP and MAP legs write the same
 * MSISDN with and without it). */
static const char *num(const char *s) { return s[0] == '+' ? s + 1 : s; }

/* Reads the grouping key of ev; KIND_NONE when ev is not a groupable leg. */
static struct leg leg_of(const struct sms_event *ev)
{
    struct leg l = {KIND_NONE, -1, "", "", ev->imsi};
    if (strcmp(ev->protocol, "smpp") == 0)
        return l; /* no TPDU: see sms_msg.h */
    const char *other;
    if (strcmp(ev->operation, "submit") == 0 && ev->msg_ref >= 0 && ev->recipient[0] &&
        !ev->recipient_cut) {
        l.kind = KIND_MO;
        l.ref = ev->msg_ref;
        l.party = num(ev->recipient);
        other = ev->originator_cut ? "" : ev->originator;
    } else if (strcmp(ev->operation, "deliver") == 0 && ev->tp_scts > 0 && ev->originator[0] &&
               !ev->originator_cut) {
        l.kind = KIND_MT;
        l.ref = ev->tp_scts;
        l.party = num(ev->originator);
        other = ev->recipient_cut ? "" : ev->recipient;
    } else {
        return l;
    }
    /* a radio leg names its subscriber by IMSI in the party field: that is
     * an IMSI, not a number */
    l.number = strcmp(other, ev->imsi) == 0 ? "" : num(other);
    return l;
}

static uint32_t bucket(const struct leg *l)
{
    /* fixed key: placement decides evictions, and output must not depend
     * on a random seed (deterministic runs) */
    static const uint8_t key[16] = {'t', 'r', 'a', 'p', 'l', 'i', 'n', 'e',
                                    's', 'm', 's', '-', 'm', 's', 'g', 1};
    uint8_t buf[1 + 8 + SMS_ADDR_MAX];
    size_t n = strlen(l->party);
    buf[0] = l->kind;
    for (int i = 0; i < 8; i++)
        buf[1 + i] = (uint8_t)((uint64_t)l->ref >> (8 * i));
    memcpy(buf + 9, l->party, n);
    return (uint32_t)(siphash13(key, buf, 9 + n) % SMS_MSG_SLOTS);
}

static int64_t window(uint8_t kind)
{
    return kind == KIND_MO ? SMS_MSG_MO_WINDOW_US : SMS_MSG_MT_WINDOW_US;
}

static bool known_differ(const char *a, const char *b) { return a[0] && b[0] && strcmp(a, b); }

/* Does leg l (event ev) belong to the message in slot s? */
static bool same_message(const struct slot *s, const struct leg *l, const struct sms_event *ev)
{
    int64_t dt = (int64_t)ev->ts_us - (int64_t)s->first_us;
    if (dt < 0)
        dt = -dt;
    return s->used && s->kind == l->kind && s->ref == l->ref && strcmp(s->party, l->party) == 0 &&
           dt <= window(l->kind) && s->concat_ref == ev->concat_ref &&
           s->concat_part == ev->concat_part && s->concat_total == ev->concat_total &&
           !(s->shape >= 0 && ev->tp_shape >= 0 && s->shape != ev->tp_shape) &&
           !known_differ(s->imsi, l->imsi) && !known_differ(s->number, l->number);
}

static bool expired(const struct sms_msg *t, const struct slot *s)
{
    return !s->used || (int64_t)(t->clock_us - s->first_us) > window(s->kind);
}

uint64_t sms_msg_assign(struct sms_msg *t, const struct sms_event *ev)
{
    if (ev->ts_us > t->clock_us)
        t->clock_us = ev->ts_us;
    struct leg l = leg_of(ev);
    if (l.kind == KIND_NONE) {
        t->st.messages++;
        return ++t->next_id;
    }
    uint32_t b = bucket(&l);
    struct slot *free_slot = NULL, *oldest = NULL;
    for (uint32_t i = 0; i < SMS_MSG_PROBE; i++) {
        struct slot *s = &t->slots[(b + i) % SMS_MSG_SLOTS];
        if (same_message(s, &l, ev)) {
            /* what this leg knows completes the message's identities */
            if (!s->imsi[0])
                str_copy(s->imsi, sizeof s->imsi, l.imsi);
            if (!s->number[0])
                str_copy(s->number, sizeof s->number, l.number);
            if (s->shape < 0)
                s->shape = ev->tp_shape;
            if (ev->ts_us > s->last_us)
                s->last_us = ev->ts_us;
            t->st.joined++;
            return s->id;
        }
        if (!free_slot && expired(t, s))
            free_slot = s;
        if (!oldest || s->last_us < oldest->last_us)
            oldest = s;
    }
    struct slot *s = free_slot;
    if (!s) {
        s = oldest; /* the table is full here: forget the least recently seen */
        t->st.evicted++;
    }
    memset(s, 0, sizeof *s);
    s->used = true;
    s->kind = l.kind;
    s->id = ++t->next_id;
    s->first_us = s->last_us = ev->ts_us;
    s->ref = l.ref;
    str_copy(s->party, sizeof s->party, l.party);
    str_copy(s->number, sizeof s->number, l.number);
    str_copy(s->imsi, sizeof s->imsi, l.imsi);
    s->concat_ref = ev->concat_ref;
    s->concat_part = ev->concat_part;
    s->concat_total = ev->concat_total;
    s->shape = ev->tp_shape;
    t->st.messages++;
    return s->id;
}
