/* extract.c - flow records -> their packets (see extract.h). */
#include "report/extract.h"

#include <fcntl.h>
#include <pcap/pcap.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture/decode.h"
#include "capture/instream.h"
#include "capture/ipfrag.h"
#include "capture/source.h"
#include "report/outfile.h"
#include "report/record.h"

/* Snapshot length written to the output header (libpcap's maximum). */
#define EXTRACT_SNAPLEN 262144

struct xflow {
    int64_t run, id;
    int proto;
    char src[RECORD_ADDR_MAX], dst[RECORD_ADDR_MAX];
    uint16_t sport, dport;
    uint64_t first_us, last_us;
    int64_t first_input, last_input; /* -1: not recorded */
    uint64_t first_frame, last_frame;
};

struct xinput {
    int64_t seq;
    char *path;
    char sha[65];
    uint64_t bytes;
};

static int load_flows(sqlite3 *db, const struct extract_sel *sel, struct xflow **out, size_t *n,
                      struct err *e)
{
    const char *sql_one =
        "SELECT run_id, id, proto, src_ip, src_port, dst_ip, dst_port, first_ts_us, last_ts_us,"
        " first_input, first_frame, last_input, last_frame FROM flows WHERE run_id = ? AND id = ?";
    const char *sql_subj =
        "SELECT run_id, id, proto, src_ip, src_port, dst_ip, dst_port, first_ts_us, last_ts_us,"
        " first_input, first_frame, last_input, last_frame FROM flows"
        " WHERE (src_ip = ?1 OR dst_ip = ?1) AND last_ts_us >= ?2 AND (?3 = 0 OR first_ts_us < ?3)"
        " AND end_reason <> 'active' ORDER BY run_id, id";
    size_t cap = sel->n_flows ? sel->n_flows : 64, k = 0;
    struct xflow *f = calloc(cap, sizeof *f);
    if (!f)
        return err_set(e, RC_NOMEM, "out of memory");
    size_t rounds = sel->n_flows ? sel->n_flows : 1;
    int rc = 0;
    for (size_t r = 0; r < rounds && !rc; r++) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(db, sel->n_flows ? sql_one : sql_subj, -1, &st, NULL) != SQLITE_OK) {
            rc = err_set(e, RC_SQL, "database: %s", sqlite3_errmsg(db));
            break;
        }
        if (sel->n_flows) {
            sqlite3_bind_int64(st, 1, sel->run_ids[r]);
            sqlite3_bind_int64(st, 2, sel->flow_ids[r]);
        } else {
            sqlite3_bind_text(st, 1, sel->subject, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 2, sel->from_us);
            sqlite3_bind_int64(st, 3, sel->to_us);
        }
        int found = 0, step;
        while ((step = sqlite3_step(st)) == SQLITE_ROW) {
            int64_t run = sqlite3_column_int64(st, 0);
            bool want = sel->n_runs == 0;
            for (size_t i = 0; i < sel->n_runs; i++)
                want |= sel->runs[i] == run;
            if (!want)
                continue;
            if (k == cap) {
                if (cap >= EXTRACT_MAX_FLOWS) {
                    rc = err_set(e, RC_LIMIT, "more than %d flows selected", EXTRACT_MAX_FLOWS);
                    break;
                }
                struct xflow *nf = realloc(f, cap * 2 * sizeof *nf);
                if (!nf) {
                    rc = err_set(e, RC_NOMEM, "out of memory");
                    break;
                }
                f = nf;
                cap *= 2;
            }
            struct xflow *x = &f[k++];
            memset(x, 0, sizeof *x);
            x->run = run;
            x->id = sqlite3_column_int64(st, 1);
            x->proto = sqlite3_column_int(st, 2);
            snprintf(x->src, sizeof x->src, "%s", (const char *)sqlite3_column_text(st, 3));
            x->sport = (uint16_t)sqlite3_column_int(st, 4);
            snprintf(x->dst, sizeof x->dst, "%s", (const char *)sqlite3_column_text(st, 5));
            x->dport = (uint16_t)sqlite3_column_int(st, 6);
            x->first_us = (uint64_t)sqlite3_column_int64(st, 7);
            x->last_us = (uint64_t)sqlite3_column_int64(st, 8);
            bool prov = sqlite3_column_type(st, 9) != SQLITE_NULL;
            x->first_input = prov ? sqlite3_column_int64(st, 9) : -1;
            x->first_frame = prov ? (uint64_t)sqlite3_column_int64(st, 10) : 0;
            x->last_input = prov ? sqlite3_column_int64(st, 11) : -1;
            x->last_frame = prov ? (uint64_t)sqlite3_column_int64(st, 12) : 0;
            found++;
        }
        sqlite3_finalize(st);
        if (!rc && step != SQLITE_DONE && step != SQLITE_ROW)
            rc = err_set(e, RC_SQL, "database: %s", sqlite3_errmsg(db));
        if (!rc && sel->n_flows && !found)
            rc = err_set(e, RC_USAGE, "flow %lld:%lld is not in the database",
                         (long long)sel->run_ids[r], (long long)sel->flow_ids[r]);
    }
    if (!rc && k == 0)
        rc = err_set(e, RC_USAGE, "no flow matches the selection");
    if (rc) {
        free(f);
        return rc;
    }
    *out = f;
    *n = k;
    return 0;
}

/* The inputs of run whose time span overlaps [t0, t1]. */
static int load_inputs(sqlite3 *db, int64_t run, uint64_t t0, uint64_t t1, struct xinput **out,
                       size_t *n, struct err *e)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT seq, path, sha256, bytes, status FROM inputs WHERE run_id = ?"
                           " AND packets > 0 AND first_ts_us <= ? AND last_ts_us >= ?"
                           " AND status IN ('complete','partial') ORDER BY seq",
                           -1, &st, NULL) != SQLITE_OK)
        return err_set(e, RC_SQL, "database: %s", sqlite3_errmsg(db));
    sqlite3_bind_int64(st, 1, run);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)t1);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)t0);
    size_t k = 0, cap = 8;
    struct xinput *v = calloc(cap, sizeof *v);
    int rc = v ? 0 : err_set(e, RC_NOMEM, "out of memory");
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        if (k == cap) {
            struct xinput *nv = realloc(v, cap * 2 * sizeof *nv);
            if (!nv) {
                rc = err_set(e, RC_NOMEM, "out of memory");
                break;
            }
            v = nv;
            cap *= 2;
        }
        struct xinput *x = &v[k];
        memset(x, 0, sizeof *x);
        x->seq = sqlite3_column_int64(st, 0);
        x->path = strdup((const char *)sqlite3_column_text(st, 1));
        const unsigned char *sha = sqlite3_column_text(st, 2);
        snprintf(x->sha, sizeof x->sha, "%s", sha ? (const char *)sha : "");
        x->bytes = (uint64_t)sqlite3_column_int64(st, 3);
        k++;
        if (!x->path)
            rc = err_set(e, RC_NOMEM, "out of memory");
    }
    sqlite3_finalize(st);
    *out = v;
    *n = k;
    return rc;
}

/* Checks that path is still the file the run read. */
static int verify_input(int64_t run, const struct xinput *in, struct err *e)
{
    if (strcmp(in->path, SOURCE_STDIN_NAME) == 0)
        return err_set(e, RC_IO, "run %lld read its input %lld from standard input: it cannot"
                                 " be read again", (long long)run, (long long)in->seq);
    if (!in->sha[0])
        return err_set(e, RC_IO, "%s: run %lld recorded no SHA-256 for it: refused",
                       in->path, (long long)run);
    struct stat sb;
    if (stat(in->path, &sb) != 0)
        return err_set(e, RC_IO, "%s: input of run %lld is gone: %m", in->path, (long long)run);
    if ((uint64_t)sb.st_size != in->bytes)
        return err_set(e, RC_IO, "%s: changed since run %lld: %llu bytes now, %llu recorded",
                       in->path, (long long)run, (unsigned long long)sb.st_size,
                       (unsigned long long)in->bytes);
    struct err oe = {""};
    struct instream *s = instream_open(in->path, NULL, &oe);
    if (!s)
        return err_set(e, RC_IO, "%s: %s", in->path, oe.msg);
    uint8_t d[32];
    bool ok = instream_finish_hash(s, true, d);
    instream_close(s);
    char hex[65];
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    if (!ok)
        return err_set(e, RC_IO, "%s: read error while checking its SHA-256", in->path);
    if (strcmp(hex, in->sha) != 0)
        return err_set(e, RC_IO, "%s: changed since run %lld: SHA-256 %.16s... now, %.16s..."
                                 " recorded", in->path, (long long)run, hex, in->sha);
    return 0;
}

/* Whether the packet (decoded v, endpoints s:sp and d:dp as the flows
 * table writes them) is one of flow f's. */
static bool matches(const struct xflow *f, int64_t seq, const struct source_packet *p,
                    const struct pkt_view *v, const char *s, uint16_t sp, const char *d,
                    uint16_t dp)
{
    if (v->l4proto != f->proto || p->ts_us < f->first_us || p->ts_us > f->last_us)
        return false;
    if (f->first_input >= 0) {
        if (seq < f->first_input || seq > f->last_input)
            return false;
        if (seq == f->first_input && p->frame < f->first_frame)
            return false;
        if (seq == f->last_input && p->frame > f->last_frame)
            return false;
    }
    return (strcmp(s, f->src) == 0 && strcmp(d, f->dst) == 0 && sp == f->sport &&
            dp == f->dport) ||
           (strcmp(s, f->dst) == 0 && strcmp(d, f->src) == 0 && sp == f->dport &&
            dp == f->sport);
}

/* A flow's or a packet's endpoints in one order (the lesser address and
 * port first), so that both directions of a flow have one key. */
struct tuple_key {
    int proto;
    const char *a, *b;
    uint16_t pa, pb;
    size_t flow; /* index into the run's flows (flows' keys only) */
};

static int end_cmp(const char *a, uint16_t pa, const char *b, uint16_t pb)
{
    int c = strcmp(a, b);
    return c ? c : (pa > pb) - (pa < pb);
}

static struct tuple_key tuple_key(int proto, const char *s, uint16_t sp, const char *d,
                                  uint16_t dp)
{
    if (end_cmp(s, sp, d, dp) <= 0)
        return (struct tuple_key){proto, s, d, sp, dp, 0};
    return (struct tuple_key){proto, d, s, dp, sp, 0};
}

static int key_cmp(const void *x, const void *y)
{
    const struct tuple_key *a = x, *b = y;
    if (a->proto != b->proto)
        return a->proto < b->proto ? -1 : 1;
    int c = end_cmp(a->a, a->pa, b->a, b->pa);
    return c ? c : end_cmp(a->b, a->pb, b->b, b->pb);
}

/* Whether the packet belongs to one of the run's flows: only the flows with
 * its 5-tuple (keys sorted by key_cmp) are tried, where a try of every flow
 * for every packet made an extract quadratic (113 s for a subject with
 * 17,121 flows on the bench capture). */
static bool any_flow(const struct tuple_key *keys, size_t nf, const struct xflow *f, int64_t seq,
                     const struct source_packet *p, const struct pkt_view *v)
{
    char s[RECORD_ADDR_MAX], d[RECORD_ADDR_MAX];
    record_format_addr(v->src.family, v->src.a, s);
    record_format_addr(v->dst.family, v->dst.a, d);
    uint16_t sp = v->has_ports ? v->sport : 0, dp = v->has_ports ? v->dport : 0;
    struct tuple_key k = tuple_key(v->l4proto, s, sp, d, dp);
    size_t lo = 0, hi = nf;
    while (lo < hi) { /* the first key >= k */
        size_t mid = lo + (hi - lo) / 2;
        if (key_cmp(&keys[mid], &k) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < nf && key_cmp(&keys[i], &k) == 0; i++)
        if (matches(&f[keys[i].flow], seq, p, v, s, sp, d, dp))
            return true;
    return false;
}

struct writer_state {
    pcap_t *dead;
    pcap_dumper_t *dump;
    struct outfile *of;  /* the destination, renamed into place at the end */
    FILE *fp;            /* a second stream on of's descriptor, owned by dump */
    int linktype;
};

static int write_pkt(struct writer_state *w, const char *out_path, const struct source_packet *p,
                     struct err *e)
{
    if (!w->dump) {
        /* A temporary file renamed at the end (report/outfile.h): 0600, never
         * through a symlink, never left cut.  libpcap closes the stream it
         * is given, so it gets its own one on a duplicate descriptor. */
        if (!w->of && !(w->of = outfile_open(out_path, e)))
            return RC_IO;
        int fd = dup(fileno(outfile_fp(w->of)));
        w->fp = fd >= 0 ? fdopen(fd, "wb") : NULL;
        if (!w->fp) {
            if (fd >= 0)
                close(fd);
            return err_set(e, RC_IO, "%s: cannot create: %m", out_path);
        }
        w->linktype = p->linktype;
        w->dead = pcap_open_dead(p->linktype, EXTRACT_SNAPLEN);
        w->dump = w->dead ? pcap_dump_fopen(w->dead, w->fp) : NULL;
        if (!w->dump)
            return err_set(e, RC_IO, "%s: cannot write a pcap header", out_path);
    }
    if (p->linktype != w->linktype)
        return err_set(e, RC_CONFIG,
                       "the selected flows are on link types %d and %d: extract them separately",
                       w->linktype, p->linktype);
    struct pcap_pkthdr h = {.caplen = p->caplen, .len = p->wirelen};
    h.ts.tv_sec = (time_t)(p->ts_us / 1000000u);
    h.ts.tv_usec = (suseconds_t)(p->ts_us % 1000000u);
    pcap_dump((u_char *)w->dump, &h, p->data);
    return 0;
}

/* Where extract_run writes. */
struct xout {
    const struct tuple_key *keys;
    size_t nf;
    const struct xflow *f;
    const struct xinput *in;
    struct writer_state *w;
    const char *path;
    struct extract_stats *stats;
};

/* Writes the frame p when its decoded view v is one of the flows' packets,
 * after the other frames its datagram was reassembled from (capture/ipfrag.h:
 * the run counted the datagram as one packet at the frame completing it). */
static int write_if_match(struct xout *o, struct ipfrag *rf, const struct source_packet *p,
                          const struct pkt_view *v, enum parse_rc pr, struct err *e)
{
    if (!decode_reaches_flow(pr, v) ||
        !any_flow(o->keys, o->nf, o->f, o->in[p->input].seq, p, v))
        return 0;
    const struct source_packet *earlier = NULL;
    size_t ne = v->reassembled ? ipfrag_done_frames(rf, &earlier) : 0;
    for (size_t i = 0; i < ne; i++, o->stats->packets++)
        if (write_pkt(o->w, o->path, &earlier[i], e))
            return RC_IO;
    o->stats->packets++;
    return write_pkt(o->w, o->path, p, e);
}

/* First fragments of datagrams that did not complete: the run decoded them
 * alone, at their own time. */
static int write_released(struct xout *o, struct ipfrag *rf, struct err *e)
{
    struct source_packet fp;
    int rc = 0;
    while (!rc && ipfrag_next_release(rf, &fp)) {
        struct pkt_view v;
        enum parse_rc pr = decode_packet_reasm(NULL, &fp, &v);
        rc = write_if_match(o, rf, &fp, &v, pr, e);
    }
    return rc;
}

/* Reads the inputs of one run and writes the packets of its flows. */
static int extract_run(sqlite3 *db, int64_t run, const struct xflow *f, size_t nf,
                       struct writer_state *w, const char *out_path, struct extract_stats *stats,
                       struct err *e)
{
    uint64_t t0 = UINT64_MAX, t1 = 0;
    for (size_t i = 0; i < nf; i++) {
        if (f[i].first_us < t0)
            t0 = f[i].first_us;
        if (f[i].last_us > t1)
            t1 = f[i].last_us;
    }
    struct xinput *in = NULL;
    size_t nin = 0;
    const char **paths = NULL;
    struct source *src = NULL;
    int rc = load_inputs(db, run, t0, t1, &in, &nin, e);
    for (size_t i = 0; !rc && i < nin; i++)
        rc = verify_input(run, &in[i], e);
    if (!rc && nin == 0)
        rc = err_set(e, RC_IO, "run %lld has no readable input covering the flows", (long long)run);
    if (!rc && !(paths = calloc(nin, sizeof *paths)))
        rc = err_set(e, RC_NOMEM, "out of memory");
    for (size_t i = 0; !rc && i < nin; i++)
        paths[i] = in[i].path;
    if (!rc && !(src = source_open_files(paths, nin, NULL, NULL, e)))
        rc = RC_IO;
    struct tuple_key *keys = rc ? NULL : malloc((nf ? nf : 1) * sizeof *keys);
    if (!rc && !keys)
        rc = err_set(e, RC_NOMEM, "out of memory");
    for (size_t i = 0; !rc && i < nf; i++) {
        keys[i] = tuple_key(f[i].proto, f[i].src, f[i].sport, f[i].dst, f[i].dport);
        keys[i].flow = i;
    }
    if (!rc)
        qsort(keys, nf, sizeof *keys, key_cmp);
    /* Fragments are reassembled as the run reassembled them, keeping every
     * frame so that a datagram's flow gets all of them. */
    struct ipfrag_config ic = {0};
    ic.keep_frames = true;
    struct ipfrag *rf = rc ? NULL : ipfrag_new(&ic);
    if (!rc && !rf)
        rc = err_set(e, RC_NOMEM, "out of memory");
    struct xout o = {keys, nf, f, in, w, out_path, stats};
    struct source_packet p;
    int r = 0;
    while (!rc && (r = source_next(src, &p, e)) == 1) {
        ipfrag_expire(rf, p.ts_us);
        rc = write_released(&o, rf, e);
        struct pkt_view v;
        enum parse_rc pr = decode_packet_reasm(rf, &p, &v);
        if (!rc)
            rc = write_released(&o, rf, e); /* given up by this packet: older */
        if (!rc)
            rc = write_if_match(&o, rf, &p, &v, pr, e);
    }
    if (!rc && r >= 0 && rf) {
        ipfrag_flush(rf);
        rc = write_released(&o, rf, e);
    }
    ipfrag_free(rf);
    free(keys);
    if (!rc && r < 0)
        rc = r;
    if (!rc)
        stats->inputs_read += nin;
    source_free(src);
    free(paths);
    for (size_t i = 0; i < nin; i++)
        free(in[i].path);
    free(in);
    return rc;
}

int extract_write(struct store *st, const struct extract_sel *sel, const char *out_path,
                  struct extract_stats *stats, struct err *e)
{
    sqlite3 *db = store_db(st);
    struct xflow *f = NULL;
    size_t nf = 0;
    memset(stats, 0, sizeof *stats);
    int rc = load_flows(db, sel, &f, &nf, e);
    if (rc)
        return rc;
    stats->flows = nf;
    struct writer_state w = {0};
    /* One run at a time: its flows are contiguous after sorting by run. */
    for (size_t i = 1; i < nf; i++)
        for (size_t j = i; j > 0 && f[j - 1].run > f[j].run; j--) {
            struct xflow t = f[j];
            f[j] = f[j - 1];
            f[j - 1] = t;
        }
    for (size_t i = 0; i < nf && !rc;) {
        size_t j = i;
        while (j < nf && f[j].run == f[i].run)
            j++;
        rc = extract_run(db, f[i].run, f + i, j - i, &w, out_path, stats, e);
        i = j;
    }
    if (!rc && !w.dump)
        rc = err_set(e, RC_IO, "no packet of the selected flows was found in the inputs");
    if (w.dump) {
        if (pcap_dump_flush(w.dump) != 0 && !rc)
            rc = err_set(e, RC_IO, "%s: write failed: %m", out_path);
        pcap_dump_close(w.dump); /* closes w.fp */
    } else if (w.fp) {
        fclose(w.fp);
    }
    if (w.of) {
        if (rc)
            outfile_abort(w.of);
        else
            rc = outfile_commit(w.of, e);
    }
    if (w.dead)
        pcap_close(w.dead);
    free(f);
    return rc;
}
