/* source.c - offline pcap/pcapng sources merged in time order (see source.h). */
#include "capture/source.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture/decode.h"
#include "capture/instream.h"
#include "capture/link.h"
#include "capture/mtp.h"
#include "capture/pcapfile.h"

/* An open input: its one stream and the packet at its front. */
struct active {
    size_t input;
    struct instream *in;
    struct pcapfile pf;
    struct pcapfile_pkt pkt;
    uint64_t ts_us;
    uint64_t prev_ts_us; /* the file's previous frame: timestamps running backwards */
    bool parked;         /* its descriptor was given back (descriptor budget) */
};

/* One compiled filter program per link type (source_set_filter). */
struct filter_prog {
    int linktype;
    bool ok;
    struct bpf_program prog;
    char why[PCAP_ERRBUF_SIZE];
};

struct source {
    struct source_input *in;
    size_t nin, cap;
    size_t *order;  /* inputs sorted by first packet time */
    uint64_t *first_hint; /* first packet time from the prescan, per input */
    size_t next_pending;
    struct active *heap;
    size_t nheap;
    bool have_last; /* the previous packet came from heap[0]: advance it first */
    size_t stdin_idx; /* the input read from standard input, SIZE_MAX = none */
    size_t max_open;  /* descriptor budget for open inputs (RLIMIT_NOFILE) */
    uint64_t parks;   /* inputs parked to stay within it */
    uint64_t bytes_done, bytes_total;
    source_warn_fn warn;
    void *user;
    char *filter;          /* BPF expression, NULL = none */
    struct hasher *hasher; /* SHA-256 on a helper thread; NULL = in this one */
    struct filter_prog progs[SOURCE_MAX_FILTER_LT];
    size_t nprogs;
};

void source_set_hasher(struct source *s, struct hasher *h) { s->hasher = h; }

const char *source_status_name(enum input_status st)
{
    switch (st) {
    case INPUT_OK: return "complete";
    case INPUT_PARTIAL: return "partial";
    case INPUT_REFUSED: return "refused";
    case INPUT_UNREADABLE: return "unreadable";
    case INPUT_DUPLICATE: return "duplicate";
    case INPUT_PENDING: break;
    }
    return "pending";
}

/* ---- input list ------------------------------------------------------- */

static int add_input(struct source *s, const char *path, struct err *e)
{
    if (s->nin >= SOURCE_MAX_INPUTS)
        return err_set(e, RC_LIMIT, "more than %d input files", SOURCE_MAX_INPUTS);
    if (s->nin == s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 16;
        struct source_input *n = realloc(s->in, ncap * sizeof *n);
        if (!n)
            return err_set(e, RC_NOMEM, "out of memory for the input list");
        s->in = n;
        s->cap = ncap;
    }
    struct source_input *in = &s->in[s->nin];
    memset(in, 0, sizeof *in);
    in->path = strdup(path);
    if (!in->path)
        return err_set(e, RC_NOMEM, "out of memory for the input list");
    in->linktype = -1;
    s->nin++;
    return 0;
}

static bool capture_name(const char *name)
{
    static const char *const ext[] = {".pcap",    ".pcapng",    ".cap",    ".ntar", ".dmp",
                                      ".pcap.gz", ".pcapng.gz", ".cap.gz", ".pcapng.zst",
                                      ".pcap.zst"};
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++) {
        size_t m = strlen(ext[i]);
        if (n > m && strcmp(name + n - m, ext[i]) == 0)
            return true;
    }
    return false;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The walk of one given directory: the directories on the current path
 * (device and inode, to find symlink loops), and the given directory's real
 * path (a symlink resolving outside it, such as a link to "..", is not
 * followed: the walk stays inside the tree it was given). */
struct walk {
    struct {
        dev_t dev;
        ino_t ino;
    } path[SOURCE_MAX_DIR_DEPTH + 2];
    size_t depth;
    char root[SOURCE_PATH_MAX];
};

/* Warns that path was skipped (the run goes on without it). */
static void skip_entry(struct source *s, const char *path, const char *why)
{
    if (!s->warn)
        return;
    struct source_input in = {.path = (char *)path, .linktype = -1, .status = INPUT_REFUSED};
    snprintf(in.detail, sizeof in.detail, "%s: skipped", why);
    s->warn(&in, s->user);
}

/* True when the symlink at path resolves inside the walk's root. */
static bool inside_root(const struct walk *w, const char *path)
{
    /* A caller buffer: realpath(path, NULL) would allocate behind the
     * allocator the OOM tests wrap. */
    char real[PATH_MAX];
    if (!realpath(path, real))
        return false;
    size_t n = strlen(w->root);
    return strncmp(real, w->root, n) == 0 &&
           (real[n] == '/' || real[n] == '\0' || (n == 1 && w->root[0] == '/'));
}

/* Adds the capture files below dir (sorted, recursive to a bounded depth).
 * Symlink loops, links leading out of the given directory and directories
 * nested too deep are skipped with a warning, never fatal (issue 17). */
static int add_dir(struct source *s, struct walk *w, const char *dir, struct err *e)
{
    struct stat dst;
    if (stat(dir, &dst) != 0)
        return add_input(s, dir, e); /* reported as unreadable later */
    for (size_t i = 0; i < w->depth; i++) {
        if (w->path[i].dev == dst.st_dev && w->path[i].ino == dst.st_ino) {
            skip_entry(s, dir, "symbolic link loop (a directory containing itself)");
            return 0;
        }
    }
    if (w->depth > SOURCE_MAX_DIR_DEPTH) {
        char why[64];
        snprintf(why, sizeof why, "directories nested deeper than %d", SOURCE_MAX_DIR_DEPTH);
        skip_entry(s, dir, why);
        return 0;
    }
    DIR *d = opendir(dir);
    if (!d)
        return add_input(s, dir, e); /* reported as unreadable later */
    w->path[w->depth].dev = dst.st_dev;
    w->path[w->depth].ino = dst.st_ino;
    w->depth++;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 32;
            char **nn = realloc(names, nc * sizeof *nn);
            if (!nn) {
                rc = err_set(e, RC_NOMEM, "out of memory listing %s", dir);
                goto out;
            }
            names = nn;
            cap = nc;
        }
        names[n] = strdup(de->d_name);
        if (!names[n]) {
            rc = err_set(e, RC_NOMEM, "out of memory listing %s", dir);
            goto out;
        }
        n++;
    }
    if (n > 1) /* an empty directory leaves names NULL: qsort(NULL, 0) is undefined */
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n && rc == 0; i++) {
        char path[SOURCE_PATH_MAX];
        size_t dl = strlen(dir);
        int wr = snprintf(path, sizeof path, "%.*s/%s",
                          (int)(dl > 1 && dir[dl - 1] == '/' ? dl - 1 : dl), dir, names[i]);
        if (wr < 0 || (size_t)wr >= sizeof path) {
            rc = err_set(e, RC_LIMIT, "%s/%s: path too long", dir, names[i]);
            break;
        }
        struct stat lst, st;
        if (lstat(path, &lst) != 0 || stat(path, &st) != 0)
            continue;
        bool capture = S_ISREG(st.st_mode) && capture_name(names[i]);
        if (S_ISLNK(lst.st_mode) && (S_ISDIR(st.st_mode) || capture) && !inside_root(w, path)) {
            skip_entry(s, path, "symbolic link leading out of the given directory");
            continue;
        }
        if (S_ISDIR(st.st_mode))
            rc = add_dir(s, w, path, e);
        else if (capture)
            rc = add_input(s, path, e);
    }
out:
    w->depth--;
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    closedir(d);
    return rc;
}

/* Walks one directory given on the command line. */
static int add_root_dir(struct source *s, const char *dir, struct err *e)
{
    struct walk *w = calloc(1, sizeof *w);
    if (!w)
        return err_set(e, RC_NOMEM, "out of memory");
    char real[PATH_MAX];
    int rc;
    if (!realpath(dir, real) || strlen(real) >= sizeof w->root) {
        rc = add_input(s, dir, e); /* reported as unreadable later */
    } else {
        memcpy(w->root, real, strlen(real) + 1);
        rc = add_dir(s, w, dir, e);
    }
    free(w);
    return rc;
}

/* ---- the merge ----------------------------------------------------------- */

static bool before(const struct active *x, const struct active *y)
{
    if (x->ts_us != y->ts_us)
        return x->ts_us < y->ts_us;
    return x->input < y->input;
}

static void heap_up(struct active *h, size_t i)
{
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!before(&h[i], &h[p]))
            break;
        struct active t = h[i];
        h[i] = h[p];
        h[p] = t;
        i = p;
    }
}

static void heap_down(struct active *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && before(&h[l], &h[m]))
            m = l;
        if (r < n && before(&h[r], &h[m]))
            m = r;
        if (m == i)
            break;
        struct active t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

/* ---- reading one input ------------------------------------------------ */

/* Keeps the inputs holding a descriptor below the budget before one more is
 * opened: the open inputs latest in the heap array (whose next packets tend
 * to come last) give theirs back and are reopened at their offset when their
 * turn comes.  Any number of time-overlapping inputs can so be read under a
 * small `ulimit -n`. */
static void make_room(struct source *s, const struct active *except)
{
    size_t open_now = 0;
    for (size_t i = 0; i < s->nheap; i++)
        if (&s->heap[i] != except && s->heap[i].in && instream_is_open(s->heap[i].in))
            open_now++;
    for (size_t i = s->nheap; i-- > 0 && open_now + 1 > s->max_open;) {
        struct active *a = &s->heap[i];
        if (a == except || !a->in || !instream_park(a->in))
            continue;
        a->parked = true;
        s->parks++;
        open_now--;
    }
}

static void warn_input(struct source *s, struct source_input *in)
{
    if (s->warn)
        s->warn(in, s->user);
}

/* Completes the input's hash from its open stream and closes the stream.
 * Standard input is not drained after a stop (it may never end): its hash
 * is then left out. */
static void finish_stream(struct source_input *in, struct instream *st, bool drain)
{
    if (!st)
        return;
    in->sha_done = instream_finish_hash(st, drain, in->sha256);
    if (in->is_stdin) /* its size is what was read */
        in->size = instream_raw_bytes(st);
    instream_close(st);
}

/* Opens input in and reads its header.  Returns the stream (owned) and
 * fills pf, or NULL after recording why the input cannot be read (hashed). */
static struct instream *open_input(struct source *s, struct source_input *in,
                                   struct pcapfile *pf)
{
    struct err e = {""};
    struct instream *st = instream_open(in->is_stdin ? "-" : in->path, s->hasher, &e);
    if (!st) {
        in->status = INPUT_UNREADABLE;
        snprintf(in->detail, sizeof in->detail, "%s", e.msg);
        warn_input(s, in);
        return NULL;
    }
    if (instream_compression(st) == INSTREAM_GZIP)
        in->compression = "gzip";
    else if (instream_compression(st) == INSTREAM_ZSTD)
        in->compression = "zstd";
    enum parse_rc rc = pcapfile_open(pf, st);
    if (rc != PARSE_OK) {
        in->status = INPUT_UNREADABLE;
        snprintf(in->detail, sizeof in->detail, "not a pcap/pcapng capture: %s", pf->detail);
        pcapfile_close(pf);
        finish_stream(in, st, true);
        warn_input(s, in);
        return NULL;
    }
    return st;
}

static void refuse_link(struct source *s, struct source_input *in, int lt)
{
    const char *nm = pcap_datalink_val_to_name(lt);
    in->status = INPUT_REFUSED;
    snprintf(in->detail, sizeof in->detail, "link type %d (%s) is not supported", lt,
             nm ? nm : "unknown");
    warn_input(s, in);
}

static const struct filter_prog *filter_for(struct source *s, int linktype)
{
    for (size_t i = 0; i < s->nprogs; i++)
        if (s->progs[i].linktype == linktype)
            return &s->progs[i];
    if (s->nprogs == SOURCE_MAX_FILTER_LT)
        return NULL;
    struct filter_prog *fp = &s->progs[s->nprogs++];
    memset(fp, 0, sizeof *fp);
    fp->linktype = linktype;
    /* 262144: libpcap's maximum snapshot length; it only bounds offsets. */
    pcap_t *dead = pcap_open_dead(linktype, 262144);
    if (!dead) {
        snprintf(fp->why, sizeof fp->why, "out of memory");
        return fp;
    }
    if (pcap_compile(dead, &fp->prog, s->filter, 1, PCAP_NETMASK_UNKNOWN) == 0)
        fp->ok = true;
    else
        snprintf(fp->why, sizeof fp->why, "%s", pcap_geterr(dead));
    pcap_close(dead);
    return fp;
}

/* Where the IP packet of a frame starts (link.c's walk), or false for a
 * frame that has none. */
static bool ip_offset(int linktype, const uint8_t *data, uint32_t caplen, uint32_t wirelen,
                      size_t *off)
{
    struct pkt_view v;
    memset(&v, 0, sizeof v);
    v.caplen = caplen;
    v.wirelen = wirelen;
    struct cursor c = cur_init(data, caplen);
    uint8_t version;
    if (!data || link_decode(linktype, &c, &v, &version) != PARSE_OK)
        return false;
    struct span rest = cur_rest(&c);
    if (!rest.p || rest.p < data || rest.p > data + caplen)
        return false;
    *off = (size_t)(rest.p - data);
    return true;
}

/* True when the filter (s->filter, set) keeps the packet.  libpcap compiles no
 * filter for some link types ("link-layer type filtering not implemented":
 * NFLOG, PKTAP, PPP_WITH_DIR, C_HDLC_WITH_DIR); their frames are filtered on
 * the IP packet link.c finds in them, with the filter compiled for
 * DLT_RAW, as on a raw IP capture (a frame with no IP packet is not
 * kept).  A filter with link-level terms (ether host, vlan, ...) compiles
 * for neither, and such an input keeps nothing, as named in its detail. */
static bool filter_keeps(struct source *s, struct source_input *in, const struct pcapfile_pkt *p)
{
    const struct filter_prog *fp = filter_for(s, p->linktype);
    if (fp && !fp->ok && decode_linktype_supported(p->linktype) &&
        !mtp_linktype(p->linktype)) {
        /* libpcap numbers RAW 12 (DLT_RAW), as pcapfile.c hands it out */
        const struct filter_prog *raw = filter_for(s, LINK_RAW_DLT12);
        if (raw && raw->ok) {
            size_t off;
            if (!ip_offset(p->linktype, p->data, p->caplen, p->wirelen, &off))
                return false;
            struct pcap_pkthdr h = {.caplen = p->caplen - (uint32_t)off,
                                    .len = p->wirelen > off ? p->wirelen - (uint32_t)off : 0};
            return pcap_offline_filter(&raw->prog, &h, p->data + off) != 0;
        }
    }
    if (!fp || !fp->ok) {
        if (!in->detail[0]) {
            const char *nm = pcap_datalink_val_to_name(p->linktype);
            snprintf(in->detail, sizeof in->detail,
                     "the filter does not apply to link type %d (%s): %.300s", p->linktype,
                     nm ? nm : "unknown", fp ? fp->why : "too many link types");
        }
        return false;
    }
    struct pcap_pkthdr h = {.caplen = p->caplen, .len = p->wirelen};
    h.ts.tv_sec = (time_t)(p->ts_us / 1000000u);
    h.ts.tv_usec = (suseconds_t)(p->ts_us % 1000000u);
    return pcap_offline_filter(&fp->prog, &h, p->data) != 0;
}

/* Reads a's next frame that is to be analysed; false at the end or a fault
 * (the input is then closed, its hash completed). */
static bool read_frame(struct source *s, struct active *a)
{
    struct source_input *in = &s->in[a->input];
    for (;;) {
        int rc = pcapfile_next(&a->pf, &a->pkt);
        if (rc != 1) {
            if (rc < 0) {
                in->status = INPUT_PARTIAL;
                snprintf(in->detail, sizeof in->detail,
                         "read error after packet %llu at byte %llu: %s",
                         (unsigned long long)in->packets,
                         (unsigned long long)instream_offset(a->in), a->pf.detail);
                warn_input(s, in);
            }
            return false;
        }
        in->frames++;
        in->interfaces = a->pf.ng ? a->pf.nifs : 1;
        uint64_t ts = a->pkt.ts_us;
        if (ts < SOURCE_TS_SUSPECT_BEFORE_US)
            in->ts_pre1990++;
        if (in->frames > 1 && ts < a->prev_ts_us)
            in->ts_backwards++;
        a->prev_ts_us = ts;
        if (!decode_linktype_supported(a->pkt.linktype)) {
            in->other_link++;
            continue;
        }
        if (s->filter && !filter_keeps(s, in, &a->pkt)) {
            in->filtered++;
            continue;
        }
        a->ts_us = ts;
        return true;
    }
}

/* Adds what the timestamp counters found to the input's detail. */
static void note_timestamps(struct source_input *in)
{
    if (!in->ts_pre1990 && !in->ts_backwards && !in->other_link)
        return;
    size_t n = strlen(in->detail);
    snprintf(in->detail + n, sizeof in->detail - n,
             "%s%llu frames timestamped before 1990, %llu running backwards, %llu on"
             " interfaces with no decoder",
             n ? "; " : "", (unsigned long long)in->ts_pre1990,
             (unsigned long long)in->ts_backwards, (unsigned long long)in->other_link);
}

/* ---- pre-scan: link type and first timestamp, to order the merge ------- */

/* The first frame the analysis would see, without touching the input's
 * counters or status (a fault here is met again, and reported, when the
 * input is read for real). */
static bool first_frame(struct source *s, struct active *a)
{
    for (;;) {
        if (pcapfile_next(&a->pf, &a->pkt) != 1)
            return false;
        if (!decode_linktype_supported(a->pkt.linktype))
            continue;
        if (s->filter) {
            const struct filter_prog *fp = filter_for(s, a->pkt.linktype);
            struct pcap_pkthdr h = {.caplen = a->pkt.caplen, .len = a->pkt.wirelen};
            if (!fp || !fp->ok || !pcap_offline_filter(&fp->prog, &h, a->pkt.data))
                continue;
        }
        a->ts_us = a->pkt.ts_us;
        return true;
    }
}

static void prescan(struct source *s, size_t idx, uint64_t *first)
{
    struct source_input *in = &s->in[idx];
    *first = 0;
    make_room(s, NULL);
    if (!in->is_stdin) {
        struct stat st;
        if (stat(in->path, &st) != 0) {
            in->status = INPUT_UNREADABLE;
            snprintf(in->detail, sizeof in->detail, "cannot open: %s", strerror(errno));
            warn_input(s, in);
            return;
        }
        if (!S_ISREG(st.st_mode)) {
            in->status = INPUT_UNREADABLE;
            snprintf(in->detail, sizeof in->detail, "not a regular file");
            warn_input(s, in);
            return;
        }
        in->size = (uint64_t)st.st_size;
        s->bytes_total += in->size;
    }
    struct active a = {.input = idx};
    a.in = open_input(s, in, &a.pf);
    if (!a.in)
        return;
    if (!a.pf.ng && !decode_linktype_supported(a.pf.pcap_if.linktype)) {
        in->linktype = a.pf.pcap_if.linktype;
        refuse_link(s, in, in->linktype);
        pcapfile_close(&a.pf);
        finish_stream(in, a.in, true);
        return;
    }
    if (in->is_stdin) {
        /* Standard input cannot be read twice: it stays open from here. */
        if (read_frame(s, &a)) {
            in->linktype = a.pkt.linktype;
            s->heap[s->nheap] = a;
            heap_up(s->heap, s->nheap++);
            *first = a.ts_us;
            return;
        }
        in->linktype = pcapfile_first_linktype(&a.pf);
        if (in->status == INPUT_PENDING)
            in->status = INPUT_OK;
        note_timestamps(in);
        pcapfile_close(&a.pf);
        finish_stream(in, a.in, true);
        return;
    }
    bool have = first_frame(s, &a);
    in->linktype = have ? a.pkt.linktype : pcapfile_first_linktype(&a.pf);
    if (have)
        *first = a.ts_us;
    pcapfile_close(&a.pf);
    instream_close(a.in);
}

struct file_id {
    dev_t dev;
    ino_t ino;
    size_t idx;
};

static int cmp_file_id(const void *a, const void *b)
{
    const struct file_id *x = a, *y = b;
    if (x->dev != y->dev)
        return x->dev < y->dev ? -1 : 1;
    if (x->ino != y->ino)
        return x->ino < y->ino ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

/* Marks every input that names a file already given (same device and inode,
 * e.g. `pcaps/` and `pcaps/x.pcap`) as a duplicate, so no packet is counted
 * twice.  The first mention is the one read. */
static int mark_duplicates(struct source *s, struct err *e)
{
    struct file_id *ids = calloc(s->nin, sizeof *ids);
    size_t n = 0;
    if (!ids)
        return err_set(e, RC_NOMEM, "out of memory for %zu inputs", s->nin);
    for (size_t i = 0; i < s->nin; i++) {
        struct stat st;
        if (!s->in[i].is_stdin && stat(s->in[i].path, &st) == 0 && S_ISREG(st.st_mode))
            ids[n++] = (struct file_id){st.st_dev, st.st_ino, i};
    }
    if (n > 1)
        qsort(ids, n, sizeof *ids, cmp_file_id);
    for (size_t i = 1; i < n; i++) {
        if (ids[i].dev != ids[i - 1].dev || ids[i].ino != ids[i - 1].ino)
            continue;
        size_t first = ids[i - 1].idx;
        while (s->in[first].status == INPUT_DUPLICATE) /* chains point back to the first */
            first = (size_t)s->in[first].packets;
        struct source_input *in = &s->in[ids[i].idx];
        in->status = INPUT_DUPLICATE;
        in->packets = first; /* temporary back-link, cleared below */
        snprintf(in->detail, sizeof in->detail, "same file as %.400s: read once",
                 s->in[first].path);
    }
    for (size_t i = 0; i < s->nin; i++)
        if (s->in[i].status == INPUT_DUPLICATE)
            s->in[i].packets = 0;
    free(ids);
    return 0;
}

struct order_key {
    uint64_t first;
    size_t idx;
};

static int cmp_order(const void *a, const void *b)
{
    const struct order_key *x = a, *y = b;
    if (x->first != y->first)
        return x->first < y->first ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

struct source *source_open_files(const char *const *paths, size_t npaths, source_warn_fn warn,
                                 void *user, struct err *e)
{
    return source_open_files_filtered(paths, npaths, NULL, warn, user, e);
}

struct source *source_open_files_filtered(const char *const *paths, size_t npaths,
                                          const char *filter, source_warn_fn warn, void *user,
                                          struct err *e)
{
    if (filter && source_filter_check(filter, e))
        return NULL;
    struct source *s = calloc(1, sizeof *s);
    struct order_key *keys = NULL;
    if (!s) {
        err_set(e, RC_NOMEM, "out of memory");
        return NULL;
    }
    if (filter && !(s->filter = strdup(filter))) {
        err_set(e, RC_NOMEM, "out of memory");
        goto fail;
    }
    s->warn = warn;
    s->user = user;
    s->stdin_idx = SIZE_MAX;
    struct rlimit rl;
    s->max_open = SOURCE_MAX_OPEN;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        rl.rlim_cur < SOURCE_MAX_OPEN + SOURCE_FD_RESERVE)
        s->max_open = rl.rlim_cur > SOURCE_FD_RESERVE + SOURCE_MIN_OPEN
                          ? (size_t)rl.rlim_cur - SOURCE_FD_RESERVE
                          : SOURCE_MIN_OPEN;
    for (size_t i = 0; i < npaths; i++) {
        struct stat st;
        int rc;
        if (strcmp(paths[i], "-") == 0) {
            if (s->stdin_idx != SIZE_MAX) {
                err_set(e, RC_USAGE, "standard input ('-') given twice");
                goto fail;
            }
            rc = add_input(s, SOURCE_STDIN_NAME, e);
            if (!rc) {
                s->stdin_idx = s->nin - 1;
                s->in[s->stdin_idx].is_stdin = true;
            }
        } else {
            rc = (stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode)) ? add_root_dir(s, paths[i], e)
                                                                  : add_input(s, paths[i], e);
        }
        if (rc)
            goto fail;
    }
    if (s->nin == 0) {
        err_set(e, RC_USAGE, "no capture files found in the given inputs");
        goto fail;
    }
    if (mark_duplicates(s, e))
        goto fail;
    keys = calloc(s->nin, sizeof *keys);
    s->order = calloc(s->nin, sizeof *s->order);
    s->first_hint = calloc(s->nin, sizeof *s->first_hint);
    s->heap = calloc(s->nin, sizeof *s->heap);
    if (!keys || !s->order || !s->first_hint || !s->heap) {
        err_set(e, RC_NOMEM, "out of memory for %zu inputs", s->nin);
        goto fail;
    }
    for (size_t i = 0; i < s->nin; i++) {
        keys[i].idx = i;
        if (s->in[i].status == INPUT_DUPLICATE) {
            if (s->warn)
                s->warn(&s->in[i], s->user);
            continue;
        }
        prescan(s, i, &keys[i].first);
        s->first_hint[i] = keys[i].first;
    }
    qsort(keys, s->nin, sizeof *keys, cmp_order);
    for (size_t i = 0; i < s->nin; i++)
        s->order[i] = keys[i].idx;
    free(keys);
    s->bytes_done = 0;
    /* prescan hashed refused/unreadable files whole; count them as done */
    for (size_t i = 0; i < s->nin; i++)
        if (s->in[i].status != INPUT_PENDING)
            s->bytes_done += s->in[i].size;
    return s;
fail:
    free(keys);
    source_free(s);
    return NULL;
}

/* Hashes an input that is not going to be read (a stop came first). */
static void hash_only(struct source_input *in)
{
    if (in->is_stdin)
        return; /* may never end: no hash */
    struct instream *st = instream_open(in->path, NULL, NULL);
    finish_stream(in, st, true);
}

static void close_active(struct source *s, struct active *a, bool drain)
{
    struct source_input *in = &s->in[a->input];
    pcapfile_close(&a->pf);
    finish_stream(in, a->in, drain);
    a->in = NULL;
    s->bytes_done += in->size;
    if (in->status == INPUT_PENDING)
        in->status = INPUT_OK;
    note_timestamps(in);
}

/* Reads the next packet of a; false when the input is finished (closed). */
static bool advance(struct source *s, struct active *a)
{
    if (a->parked) { /* it reopens itself on its next read */
        make_room(s, a);
        a->parked = false;
    }
    if (read_frame(s, a))
        return true;
    close_active(s, a, true);
    return false;
}

/* Opens input idx and pushes it on the heap if it has a packet. */
static int activate(struct source *s, size_t idx, struct err *e)
{
    (void)e;
    struct source_input *in = &s->in[idx];
    if (in->status != INPUT_PENDING || idx == s->stdin_idx)
        return 0;
    struct active a = {.input = idx};
    make_room(s, NULL);
    a.in = open_input(s, in, &a.pf);
    if (!a.in) {
        s->bytes_done += in->size;
        return 0;
    }
    if (!advance(s, &a))
        return 0;
    s->heap[s->nheap] = a;
    heap_up(s->heap, s->nheap++);
    return 0;
}

int source_next(struct source *s, struct source_packet *out, struct err *e)
{
    if (s->have_last) {
        s->have_last = false;
        if (advance(s, &s->heap[0])) {
            heap_down(s->heap, s->nheap, 0);
        } else {
            s->heap[0] = s->heap[--s->nheap];
            heap_down(s->heap, s->nheap, 0);
        }
    }
    /* Open every pending input whose first packet is due. */
    while (s->next_pending < s->nin) {
        size_t idx = s->order[s->next_pending];
        if (s->in[idx].status != INPUT_PENDING || idx == s->stdin_idx) {
            s->next_pending++;
            continue;
        }
        if (s->nheap > 0 && s->first_hint[idx] > s->heap[0].ts_us)
            break;
        s->next_pending++;
        int rc = activate(s, idx, e);
        if (rc)
            return rc;
    }
    if (s->nheap == 0)
        return 0;
    struct active *a = &s->heap[0];
    struct source_input *in = &s->in[a->input];
    in->packets++;
    if (!in->first_ts_us || a->ts_us < in->first_ts_us)
        in->first_ts_us = a->ts_us;
    if (a->ts_us > in->last_ts_us)
        in->last_ts_us = a->ts_us;
    out->ts_us = a->ts_us;
    out->caplen = a->pkt.caplen;
    out->wirelen = a->pkt.wirelen;
    out->data = a->pkt.data;
    out->linktype = a->pkt.linktype;
    out->input = a->input;
    out->frame = in->frames;
    out->ifid = a->pkt.ifid;
    s->have_last = true;
    return 1;
}

int source_filter_check(const char *expr, struct err *e)
{
    pcap_t *dead = pcap_open_dead(LINK_EN10MB, 262144);
    struct bpf_program prog;
    if (!dead)
        return err_set(e, RC_NOMEM, "out of memory");
    int rc = 0;
    if (pcap_compile(dead, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) != 0)
        rc = err_set(e, RC_USAGE, "filter '%.100s' does not compile: %.120s", expr,
                     pcap_geterr(dead));
    else
        pcap_freecode(&prog);
    pcap_close(dead);
    return rc;
}

bool source_prehash(struct source *s, size_t i)
{
    if (i >= s->nin || s->in[i].is_stdin || s->in[i].status != INPUT_PENDING)
        return false;
    hash_only(&s->in[i]);
    return s->in[i].sha_done;
}

void source_skip(struct source *s, size_t i, const char *why)
{
    if (i >= s->nin || s->in[i].status != INPUT_PENDING || i == s->stdin_idx)
        return;
    s->in[i].status = INPUT_DUPLICATE;
    snprintf(s->in[i].detail, sizeof s->in[i].detail, "%s", why);
    s->bytes_done += s->in[i].size;
}

size_t source_input_count(const struct source *s) { return s->nin; }

const struct source_input *source_input_get(const struct source *s, size_t i)
{
    return i < s->nin ? &s->in[i] : NULL;
}

void source_progress(const struct source *s, uint64_t *done, uint64_t *total)
{
    *done = s->bytes_done;
    *total = s->bytes_total;
    for (size_t i = 0; i < s->nheap; i++) {
        *done += instream_raw_bytes(s->heap[i].in);
        if (s->heap[i].input == s->stdin_idx) /* size unknown: what was read so far */
            *total += instream_raw_bytes(s->heap[i].in);
    }
}

bool source_all_ok(const struct source *s)
{
    for (size_t i = 0; i < s->nin; i++)
        if (s->in[i].status != INPUT_OK && s->in[i].status != INPUT_DUPLICATE)
            return false;
    return true;
}

void source_stop(struct source *s, const char *why)
{
    for (size_t i = 0; i < s->nheap; i++) {
        struct source_input *in = &s->in[s->heap[i].input];
        in->status = INPUT_PARTIAL;
        snprintf(in->detail, sizeof in->detail, "%s after packet %llu", why,
                 (unsigned long long)in->packets);
        /* A file is read on to complete its hash; standard input, which may
         * never end, is not (its hash is then left out). */
        close_active(s, &s->heap[i], !in->is_stdin);
    }
    s->nheap = 0;
    s->have_last = false;
    for (size_t i = 0; i < s->nin; i++) {
        struct source_input *in = &s->in[i];
        if (in->status != INPUT_PENDING)
            continue;
        in->status = INPUT_PARTIAL;
        snprintf(in->detail, sizeof in->detail, "%s before this input was read", why);
        hash_only(in);
    }
    s->next_pending = s->nin;
}

void source_free(struct source *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nheap; i++)
        close_active(s, &s->heap[i], !s->in[s->heap[i].input].is_stdin);
    for (size_t i = 0; i < s->nprogs; i++)
        if (s->progs[i].ok)
            pcap_freecode(&s->progs[i].prog);
    free(s->filter);
    for (size_t i = 0; i < s->nin; i++)
        free(s->in[i].path);
    free(s->in);
    free(s->order);
    free(s->first_hint);
    free(s->heap);
    free(s);
}
