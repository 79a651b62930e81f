/* ipfrag.c - IPv4 and IPv6 fragment reassembly (see ipfrag.h).
 *
 * A datagram is keyed as RFC 791 section 3.2 keys it (source, destination,
 * protocol, identification; RFC 8200 section 4.5: source, destination,
 * identification), plus where the fragment was met: the VLAN tags, the
 * virtual network, the GTP-U tunnel (TEID and outer endpoints) and the
 * encapsulation level, so that the same private addresses in two networks,
 * or one packet's copies on two tunnel hops, never meet.
 *
 * Each datagram keeps its fragments ("pieces") sorted by offset, with the
 * claimed length of each and how many of its bytes were captured (a capture
 * cut by snaplen still completes a datagram; only the bytes captured
 * without a hole go on).  It is complete when the last fragment has been
 * seen and the pieces, which never overlap, add up to its length.
 */
#include "capture/ipfrag.h"

#include <stdlib.h>
#include <string.h>

#include "capture/siphash.h"

#define IPV4_MAX_DATAGRAM 65535u /* RFC 791: total length is 16 bits */
#define IPV6_MAX_PAYLOAD 65535u  /* RFC 8200 section 4.5: offset + length <= 65,535 */
#define FRAG_UNIT 8              /* fragments but the last: multiples of 8 octets */
#define IPV4_HDR_MAX 60
#define IPV6_HDR_LEN 40

struct frag_key {
    uint8_t family, proto, level, tunnel;
    uint16_t vlan_outer, vlan_inner;
    uint32_t vnet, teid, id;
    uint8_t src[16], dst[16];
    uint8_t tun_src[16], tun_dst[16]; /* GTP-U: the tunnel's outer endpoints */
};

struct piece {
    uint32_t off, len; /* claimed */
    uint32_t cap;      /* bytes of it captured (a prefix) */
};

struct dgram {
    struct dgram *hnext;          /* hash chain */
    struct dgram *older, *newer;  /* arrival order in its family's list; the release
                                   * queue reuses `newer` */
    uint64_t seq;                 /* arrival number: which of two lists' heads is older */
    struct frag_key key;
    uint64_t first_us;            /* table time when it opened */
    uint32_t total;               /* data length, once the last fragment is in */
    bool have_last;
    uint8_t hdr_len;
    uint8_t hdr[IPV4_HDR_MAX];    /* the first fragment's header (IHL <= 15 words) */
    uint8_t *data;                /* hdr_len bytes of room, then the data */
    uint32_t data_cap;            /* allocated size of data */
    uint16_t npieces;
    struct piece pieces[IPFRAG_MAX_PIECES];
    struct source_packet *frames; /* the first fragment's, or all (keep_frames), in
                                   * arrival order */
    uint16_t nframes, frames_cap;
    int first_frame;              /* index of the first fragment's frame, -1 = none */
    uint64_t caplen, wirelen;
    uint64_t bytes;               /* counted against max_bytes */
    uint64_t held;                /* captured bytes it holds: fragment data and frames */
};

struct ipfrag {
    struct ipfrag_config cfg;
    struct dgram **buckets;
    uint32_t nbuckets;            /* power of two */
    /* One arrival list per family (IPv4, IPv6): each in table-time order,
     * so a timeout looks at a list's head only, and eviction takes the older
     * of the two heads. */
    struct dgram *oldest[2], *newest[2];
    uint64_t next_seq;
    uint32_t count;
    uint64_t bytes;               /* counted against max_bytes: entries, buffers, frames */
    uint64_t held;                /* captured bytes the open datagrams hold (the peak
                                   * statistic: it does not depend on struct sizes) */
    uint64_t clock_us;
    struct dgram *rel_head, *rel_tail; /* given up, first fragment to hand out */
    struct dgram *handed;         /* handed out last: freed at the next call */
    struct dgram *done;           /* completed last: freed at the next call */
    struct ipfrag_stats st;
};

struct ipfrag *ipfrag_new(const struct ipfrag_config *cfg)
{
    struct ipfrag *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->cfg = *cfg;
    if (!t->cfg.max_datagrams)
        t->cfg.max_datagrams = IPFRAG_DEFAULT_DATAGRAMS;
    if (!t->cfg.max_bytes)
        t->cfg.max_bytes = IPFRAG_DEFAULT_BYTES;
    if (!t->cfg.timeout_v4_us)
        t->cfg.timeout_v4_us = IPFRAG_DEFAULT_TIMEOUT_V4_US;
    if (!t->cfg.timeout_v6_us)
        t->cfg.timeout_v6_us = IPFRAG_DEFAULT_TIMEOUT_V6_US;
    t->nbuckets = 1;
    while (t->nbuckets < t->cfg.max_datagrams && t->nbuckets < (1u << 30))
        t->nbuckets <<= 1;
    return t; /* buckets come with the first fragment: most captures have none */
}

static void dgram_free(struct ipfrag *t, struct dgram *d)
{
    if (!d)
        return;
    t->bytes -= d->bytes;
    for (uint16_t i = 0; i < d->nframes; i++)
        free((void *)d->frames[i].data);
    free(d->frames);
    free(d->data);
    free(d);
}

static void free_parked(struct ipfrag *t)
{
    dgram_free(t, t->handed);
    dgram_free(t, t->done);
    t->handed = t->done = NULL;
}

void ipfrag_free(struct ipfrag *t)
{
    if (!t)
        return;
    free_parked(t);
    for (int f = 0; f < 2; f++)
        for (struct dgram *d = t->oldest[f], *n; d; d = n) {
            n = d->newer;
            dgram_free(t, d);
        }
    for (struct dgram *d = t->rel_head, *n; d; d = n) {
        n = d->newer;
        dgram_free(t, d);
    }
    free(t->buckets);
    free(t);
}

static int family_of(const struct dgram *d) { return d->key.family == 6; }

/* The oldest open datagram other than `skip`, or NULL. */
static struct dgram *oldest_but(const struct ipfrag *t, const struct dgram *skip)
{
    struct dgram *best = NULL;
    for (int f = 0; f < 2; f++) {
        struct dgram *d = t->oldest[f];
        if (d && d == skip)
            d = d->newer;
        if (d && (!best || d->seq < best->seq))
            best = d;
    }
    return best;
}

static uint32_t key_hash(const struct ipfrag *t, const struct frag_key *k)
{
    return (uint32_t)siphash13(t->cfg.hash_key, k, sizeof *k) & (t->nbuckets - 1);
}

/* Takes d out of the hash and the arrival list. */
static void unlink_dgram(struct ipfrag *t, struct dgram *d)
{
    struct dgram **pp = &t->buckets[key_hash(t, &d->key)];
    while (*pp != d)
        pp = &(*pp)->hnext;
    *pp = d->hnext;
    int f = family_of(d);
    if (d->older)
        d->older->newer = d->newer;
    else
        t->oldest[f] = d->newer;
    if (d->newer)
        d->newer->older = d->older;
    else
        t->newest[f] = d->older;
    t->count--;
    t->held -= d->held;
}

static void hold(struct ipfrag *t, struct dgram *d, uint64_t n)
{
    d->held += n;
    t->held += n;
    if (t->held > t->st.peak_bytes)
        t->st.peak_bytes = t->held;
}

/* Gives d up: out of the table, its first fragment (if held) queued to be
 * handed out alone, anything else freed. */
static void give_up(struct ipfrag *t, struct dgram *d, uint64_t *why)
{
    unlink_dgram(t, d);
    (*why)++;
    t->st.incomplete++;
    if (d->first_frame < 0) {
        dgram_free(t, d);
        return;
    }
    t->st.first_alone++;
    /* Out of the budget, which bounds the datagrams still open: the queue
     * is emptied after every packet (ipfrag_next_release). */
    t->bytes -= d->bytes;
    d->bytes = 0;
    free(d->data);
    d->data = NULL;
    d->data_cap = 0;
    d->newer = NULL;
    if (t->rel_tail)
        t->rel_tail->newer = d;
    else
        t->rel_head = d;
    t->rel_tail = d;
}

static uint64_t timeout_of(const struct ipfrag *t, const struct dgram *d)
{
    return d->key.family == 6 ? t->cfg.timeout_v6_us : t->cfg.timeout_v4_us;
}

static void expire(struct ipfrag *t)
{
    /* Each list is in table-time order: only its head can be due.  The due
     * ones of both lists go in arrival order. */
    for (;;) {
        struct dgram *d = NULL;
        for (int f = 0; f < 2; f++) {
            struct dgram *h = t->oldest[f];
            if (h && t->clock_us - h->first_us > timeout_of(t, h) && (!d || h->seq < d->seq))
                d = h;
        }
        if (!d)
            return;
        give_up(t, d, &t->st.timed_out);
    }
}

static void tick(struct ipfrag *t, uint64_t now_us)
{
    if (now_us > t->clock_us)
        t->clock_us = now_us;
    if (t->oldest[0] || t->oldest[1])
        expire(t);
}

void ipfrag_expire(struct ipfrag *t, uint64_t now_us)
{
    free_parked(t);
    tick(t, now_us);
}

void ipfrag_flush(struct ipfrag *t)
{
    free_parked(t);
    for (struct dgram *d; (d = oldest_but(t, NULL));)
        give_up(t, d, &t->st.at_end);
}

bool ipfrag_next_release(struct ipfrag *t, struct source_packet *out)
{
    dgram_free(t, t->handed);
    t->handed = NULL;
    struct dgram *d = t->rel_head;
    if (!d)
        return false;
    t->rel_head = d->newer;
    if (!t->rel_head)
        t->rel_tail = NULL;
    t->handed = d;
    *out = d->frames[d->first_frame];
    return true;
}

size_t ipfrag_done_frames(const struct ipfrag *t, const struct source_packet **out)
{
    if (!t->done || !t->cfg.keep_frames) {
        *out = NULL;
        return 0;
    }
    *out = t->done->frames;
    return t->done->nframes;
}

void ipfrag_get_stats(const struct ipfrag *t, struct ipfrag_stats *out)
{
    *out = t->st;
    out->absorbed = t->st.fragments - t->st.reassembled - t->st.first_alone;
}

static void key_of(const struct pkt_view *v, const struct ip_next *n, uint8_t level,
                   struct frag_key *k)
{
    memset(k, 0, sizeof *k);
    k->family = v->ip_version;
    k->proto = v->ip_version == 4 ? n->frag_nh : 0; /* RFC 8200 keys no protocol */
    k->level = level;
    k->tunnel = v->tunnel;
    k->vlan_outer = v->vlan_outer;
    k->vlan_inner = v->vlan_inner;
    k->vnet = v->vnet;
    if (v->tunnel) {
        /* A packet forwarded from one tunnel hop to the next (an SGW, a UPF)
         * keeps its inner id and often its TEID: the hops' copies of a
         * fragment are not repeats of each other. */
        k->teid = v->teid;
        memcpy(k->tun_src, v->tun_src.a, sizeof k->tun_src);
        memcpy(k->tun_dst, v->tun_dst.a, sizeof k->tun_dst);
    }
    k->id = v->frag_id;
    memcpy(k->src, v->src.a, sizeof k->src);
    memcpy(k->dst, v->dst.a, sizeof k->dst);
}

/* Counts b more bytes against the budget, evicting the oldest datagrams
 * other than keep; false when keep alone is over it. */
static bool budget(struct ipfrag *t, struct dgram *keep, uint64_t b)
{
    while (t->bytes + b > t->cfg.max_bytes) {
        struct dgram *o = oldest_but(t, keep);
        if (!o)
            return false;
        give_up(t, o, &t->st.evicted);
    }
    t->bytes += b;
    if (keep)
        keep->bytes += b;
    if (t->bytes > t->st.peak_charged)
        t->st.peak_charged = t->bytes;
    return true;
}

static struct dgram *open_dgram(struct ipfrag *t, const struct frag_key *k, uint32_t h)
{
    if (!t->buckets) {
        t->buckets = calloc(t->nbuckets, sizeof *t->buckets);
        if (!t->buckets)
            return NULL;
    }
    while (t->count >= t->cfg.max_datagrams)
        give_up(t, oldest_but(t, NULL), &t->st.evicted);
    if (!budget(t, NULL, sizeof(struct dgram)))
        return NULL;
    struct dgram *d = calloc(1, sizeof *d);
    if (!d) {
        t->bytes -= sizeof(struct dgram);
        return NULL;
    }
    d->bytes = sizeof *d;
    d->first_frame = -1;
    d->key = *k;
    d->first_us = t->clock_us;
    d->hnext = t->buckets[h];
    t->buckets[h] = d;
    d->seq = t->next_seq++;
    int f = family_of(d);
    d->older = t->newest[f];
    if (t->newest[f])
        t->newest[f]->newer = d;
    else
        t->oldest[f] = d;
    t->newest[f] = d;
    t->count++;
    if (t->count > t->st.peak_datagrams)
        t->st.peak_datagrams = t->count;
    return d;
}

/* Keeps a copy of the frame raw in d, in arrival order (first: it is the
 * first fragment's, handed out if the datagram never completes). */
static bool keep_frame(struct ipfrag *t, struct dgram *d, const struct source_packet *raw,
                       bool first)
{
    if (d->nframes == d->frames_cap) {
        uint16_t cap = d->frames_cap ? (uint16_t)(d->frames_cap * 2) : 1;
        if (!budget(t, d, (uint64_t)(cap - d->frames_cap) * sizeof *d->frames))
            return false;
        struct source_packet *f = realloc(d->frames, cap * sizeof *f);
        if (!f)
            return false; /* the counted bytes stay counted until d goes */
        d->frames = f;
        d->frames_cap = cap;
    }
    if (!budget(t, d, raw->caplen))
        return false;
    uint8_t *copy = malloc(raw->caplen ? raw->caplen : 1);
    if (!copy)
        return false;
    if (raw->caplen)
        memcpy(copy, raw->data, raw->caplen);
    hold(t, d, raw->caplen);
    struct source_packet p = *raw;
    p.data = copy;
    if (first)
        d->first_frame = d->nframes;
    d->frames[d->nframes++] = p;
    return true;
}

/* Makes room for `end` data bytes (after the header room). */
static bool data_room(struct ipfrag *t, struct dgram *d, uint32_t end)
{
    uint32_t need = IPV4_HDR_MAX + end;
    if (need <= d->data_cap)
        return true;
    uint32_t cap = d->data_cap ? d->data_cap : 2048;
    while (cap < need)
        cap *= 2;
    if (!budget(t, d, cap - d->data_cap))
        return false;
    uint8_t *p = realloc(d->data, cap);
    if (!p)
        return false;
    d->data = p;
    d->data_cap = cap;
    return true;
}

/* Where piece [off, off+len) goes: *at its index.  1 = fits, 0 = an exact
 * repeat of a held piece, -1 = overlaps one. */
static int place(const struct dgram *d, uint32_t off, uint32_t len, const uint8_t *bytes,
                 uint32_t cap, uint16_t *at)
{
    uint16_t i = 0;
    while (i < d->npieces && d->pieces[i].off + d->pieces[i].len <= off)
        i++;
    *at = i;
    if (i == d->npieces || off + len <= d->pieces[i].off)
        return 1;
    const struct piece *p = &d->pieces[i];
    if (p->off != off || p->len != len)
        return -1;
    uint32_t both = p->cap < cap ? p->cap : cap;
    return memcmp(d->data + IPV4_HDR_MAX + off, bytes, both) == 0 ? 0 : -1;
}

/* Whether the datagram is whole once a piece of `len` more bytes is in and
 * its length is `total`: pieces never overlap, so no hole is left when
 * they add up to it. */
static bool whole_with(const struct dgram *d, uint32_t len, uint32_t total)
{
    uint64_t sum = len;
    for (uint16_t i = 0; i < d->npieces; i++)
        sum += d->pieces[i].len;
    return sum == total;
}

/* Builds the datagram in front of its data and describes it in *out. */
static void finish(struct ipfrag *t, struct dgram *d, struct ipfrag_done *out)
{
    uint32_t captured = 0; /* data captured without a hole */
    for (uint16_t i = 0; i < d->npieces && d->pieces[i].off == captured; i++) {
        captured += d->pieces[i].cap;
        if (d->pieces[i].cap < d->pieces[i].len)
            break;
    }
    uint8_t *h = d->data + IPV4_HDR_MAX - d->hdr_len;
    memcpy(h, d->hdr, d->hdr_len);
    uint32_t len = d->hdr_len + d->total;
    if (d->key.family == 4) {
        h[2] = (uint8_t)(len >> 8);
        h[3] = (uint8_t)len;
        h[6] = h[7] = 0; /* no more fragments, offset 0 */
        h[10] = h[11] = 0;
        uint32_t sum = 0; /* RFC 1071 */
        for (uint8_t i = 0; i < d->hdr_len; i += 2)
            sum += (uint32_t)h[i] << 8 | h[i + 1];
        while (sum >> 16)
            sum = (sum & 0xffffu) + (sum >> 16);
        h[10] = (uint8_t)(~sum >> 8);
        h[11] = (uint8_t)~sum;
    } else {
        h[4] = (uint8_t)(d->total >> 8);
        h[5] = (uint8_t)d->total;
        /* h[6], the next header, is the Fragment header's, set when the
         * first fragment came */
    }
    memset(out, 0, sizeof *out);
    out->dgram = h;
    out->captured = d->hdr_len + captured;
    out->claimed = len;
    out->fragments = d->npieces; /* a repeat is dropped before it becomes a piece */
    out->caplen = d->caplen;
    out->wirelen = d->wirelen;
    if (t->cfg.keep_frames) {
        out->earlier = d->frames;
        out->nearlier = d->nframes;
    }
    t->st.reassembled++;
}

enum ipfrag_rc ipfrag_add(struct ipfrag *t, const struct pkt_view *v, const struct ip_next *n,
                          uint8_t level, const struct source_packet *raw,
                          struct ipfrag_done *done)
{
    free_parked(t);
    tick(t, v->ts_us);
    uint32_t off = n->frag_off, len = n->frag_claimed;
    if (off == 0 && !n->frag_more)
        return IPFRAG_REFUSED; /* an atomic fragment: whole, and never joined with the
                                * other fragments of its id (RFC 6946 section 4) */
    uint32_t cap = (uint32_t)cur_left(&n->frag_data);
    if (cap > len)
        cap = len;
    uint32_t limit = v->ip_version == 4 ? IPV4_MAX_DATAGRAM - n->hdr_len : IPV6_MAX_PAYLOAD;
    if ((n->frag_more && (len == 0 || len % FRAG_UNIT)) || off + len > limit) {
        t->st.refused++;
        return IPFRAG_REFUSED;
    }

    struct frag_key k;
    key_of(v, n, level, &k);
    uint32_t h = key_hash(t, &k);
    struct dgram *d = NULL;
    if (t->buckets)
        for (d = t->buckets[h]; d && memcmp(&d->key, &k, sizeof k) != 0; d = d->hnext)
            ;
    if (!d && !(d = open_dgram(t, &k, h))) {
        t->st.nomem++;
        return IPFRAG_REFUSED;
    }

    /* Contradictions give the datagram up; this fragment goes on as it is. */
    uint16_t at;
    const uint8_t *bytes = cur_rest(&n->frag_data).p;
    bool last = !n->frag_more;
    bool bad_end = (last && d->have_last && off + len != d->total) ||
                   (d->have_last && off + len > d->total) ||
                   (last && d->npieces &&
                    d->pieces[d->npieces - 1].off + d->pieces[d->npieces - 1].len > off + len);
    int fit = bad_end ? 1 : place(d, off, len, bytes, cap, &at);
    if (fit == 0) {
        t->st.duplicates++;
        t->st.fragments++;
        return IPFRAG_HELD;
    }
    if (bad_end || fit < 0 || d->npieces == IPFRAG_MAX_PIECES) {
        give_up(t, d, fit < 0 ? &t->st.overlaps : &t->st.conflicts);
        return IPFRAG_REFUSED;
    }
    bool complete = (last || d->have_last) && whole_with(d, len, last ? off + len : d->total);
    if (!data_room(t, d, off + len) ||
        (!complete && (off == 0 || t->cfg.keep_frames) && !keep_frame(t, d, raw, off == 0))) {
        t->st.nomem++;
        return IPFRAG_REFUSED;
    }
    memcpy(d->data + IPV4_HDR_MAX + off, bytes, cap);
    hold(t, d, cap);
    memmove(d->pieces + at + 1, d->pieces + at, (d->npieces - at) * sizeof *d->pieces);
    d->pieces[at] = (struct piece){off, len, cap};
    d->npieces++;
    d->caplen += v->caplen;
    d->wirelen += v->wirelen;
    t->st.fragments++;
    if (last) {
        d->have_last = true;
        d->total = off + len;
    }
    if (off == 0) {
        d->hdr_len = v->ip_version == 4 ? n->hdr_len : IPV6_HDR_LEN;
        memcpy(d->hdr, v->l3.p, d->hdr_len); /* the header decoded: it was captured */
        if (v->ip_version == 6)
            d->hdr[6] = n->frag_nh;
    }
    if (!complete)
        return IPFRAG_HELD;
    if (d->key.family == 4 && (uint32_t)d->hdr_len + d->total > IPV4_MAX_DATAGRAM) {
        give_up(t, d, &t->st.conflicts); /* the first header's options make it too long */
        return IPFRAG_REFUSED;
    }
    unlink_dgram(t, d);
    finish(t, d, done);
    t->done = d;
    return IPFRAG_DONE;
}
