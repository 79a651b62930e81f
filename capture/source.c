/* source.c - offline pcap/pcapng sources merged in time order (see source.h). */
#include "capture/source.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture/decode.h"

struct active {
    size_t input;
    pcap_t *pcap;
    FILE *fp;
    char *vbuf;
    pthread_t hasher;
    bool hashing;
    struct pcap_pkthdr *hdr;
    const u_char *data;
    uint64_t ts_us;
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
    uint64_t bytes_done, bytes_total;
    source_warn_fn warn;
    void *user;
};

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
    static const char *const ext[] = {".pcap", ".pcapng", ".cap", ".ntar", ".dmp"};
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
 * nested too deep are skipped with a warning, never fatal. */
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

/* ---- hashing ------------------------------------------------------------ */

/* SHA-256 of a whole file with plain reads: false on any I/O error. */
static bool hash_file(const char *path, uint8_t out[32])
{
    enum { CHUNK = 1 << 20 };
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    char *buf = malloc(CHUNK);
    bool ok = md && buf && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1;
    while (ok) {
        ssize_t n = read(fd, buf, CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            ok = n == 0;
            break;
        }
        ok = EVP_DigestUpdate(md, buf, (size_t)n) == 1;
    }
    unsigned int len = 0;
    if (ok)
        ok = EVP_DigestFinal_ex(md, out, &len) == 1 && len == 32;
    EVP_MD_CTX_free(md);
    free(buf);
    close(fd);
    return ok;
}

/* The hash of an input being decoded is computed on its own thread over its
 * own descriptor (the page cache serves both readers), so provenance costs no
 * time on the packet path.  The thread touches only its input's digest
 * fields, and the main thread reads them only after joining. */
static void *hash_thread(void *arg)
{
    struct source_input *in = arg;
    in->sha_done = hash_file(in->path, in->sha256);
    return NULL;
}

/* ---- pre-scan: link type and first timestamp, to order the merge ------- */

static uint64_t ts_of(const struct pcap_pkthdr *h)
{
    if (h->ts.tv_sec < 0 || h->ts.tv_usec < 0)
        return 0;
    return (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec;
}

static void warn_input(struct source *s, struct source_input *in)
{
    if (s->warn)
        s->warn(in, s->user);
}

/* Reads a file to its end only to hash it (refused inputs keep provenance). */
static void hash_only(struct source *s, struct source_input *in)
{
    (void)s;
    in->sha_done = hash_file(in->path, in->sha256);
}

static void prescan(struct source *s, struct source_input *in, uint64_t *first)
{
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    struct stat st;
    *first = 0;
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
    /* A file that cannot be opened is reported as that (permission denied),
     * not as "not a pcap": libpcap's message would hide the reason. */
    int probe = open(in->path, O_RDONLY | O_CLOEXEC);
    if (probe < 0) {
        in->status = INPUT_UNREADABLE;
        snprintf(in->detail, sizeof in->detail, "cannot open: %s", strerror(errno));
        warn_input(s, in);
        return;
    }
    close(probe);
    pcap_t *p = pcap_open_offline_with_tstamp_precision(in->path, PCAP_TSTAMP_PRECISION_MICRO,
                                                         errbuf);
    if (!p) {
        in->status = INPUT_UNREADABLE;
        snprintf(in->detail, sizeof in->detail, "not a pcap/pcapng capture: %s", errbuf);
        hash_only(s, in);
        warn_input(s, in);
        return;
    }
    in->linktype = pcap_datalink(p);
    if (!decode_linktype_supported(in->linktype)) {
        const char *nm = pcap_datalink_val_to_name(in->linktype);
        in->status = INPUT_REFUSED;
        snprintf(in->detail, sizeof in->detail, "link type %d (%s) is not supported",
                 in->linktype, nm ? nm : "unknown");
        pcap_close(p);
        hash_only(s, in);
        warn_input(s, in);
        return;
    }
    struct pcap_pkthdr *h;
    const u_char *d;
    if (pcap_next_ex(p, &h, &d) == 1)
        *first = ts_of(h);
    pcap_close(p);
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
        if (stat(s->in[i].path, &st) == 0 && S_ISREG(st.st_mode))
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
    struct source *s = calloc(1, sizeof *s);
    struct order_key *keys = NULL;
    if (!s) {
        err_set(e, RC_NOMEM, "out of memory");
        return NULL;
    }
    s->warn = warn;
    s->user = user;
    for (size_t i = 0; i < npaths; i++) {
        struct stat st;
        int rc = (stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode)) ? add_root_dir(s, paths[i], e)
                                                                  : add_input(s, paths[i], e);
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
        prescan(s, &s->in[i], &keys[i].first);
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

static void close_active(struct source *s, struct active *a)
{
    struct source_input *in = &s->in[a->input];
    pcap_close(a->pcap); /* closes a->fp */
    free(a->vbuf);
    if (a->hashing)
        pthread_join(a->hasher, NULL);
    else
        in->sha_done = hash_file(in->path, in->sha256);
    a->hashing = false;
    s->bytes_done += in->size;
    a->pcap = NULL;
    a->vbuf = NULL;
    if (in->status == INPUT_PENDING)
        in->status = INPUT_OK;
}

/* Reads the next packet of a; false when the input is finished (closed). */
static bool advance(struct source *s, struct active *a)
{
    struct source_input *in = &s->in[a->input];
    int rc = pcap_next_ex(a->pcap, &a->hdr, &a->data);
    if (rc == 1) {
        a->ts_us = ts_of(a->hdr);
        return true;
    }
    if (rc == PCAP_ERROR) {
        FILE *fp = pcap_file(a->pcap);
        long off = fp ? ftell(fp) : -1;
        in->status = INPUT_PARTIAL;
        snprintf(in->detail, sizeof in->detail, "read error after packet %llu at byte %ld: %s",
                 (unsigned long long)in->packets, off, pcap_geterr(a->pcap));
        warn_input(s, in);
    }
    close_active(s, a);
    return false;
}

/* Opens input idx and pushes it on the heap if it has a packet. */
static int activate(struct source *s, size_t idx, struct err *e)
{
    struct source_input *in = &s->in[idx];
    if (in->status != INPUT_PENDING)
        return 0;
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    FILE *fp = fopen(in->path, "rbe");
    if (!fp) {
        in->status = INPUT_UNREADABLE;
        snprintf(in->detail, sizeof in->detail, "cannot open: %s", strerror(errno));
        hash_only(s, in);
        warn_input(s, in);
        return 0;
    }
    struct active a = {.input = idx, .fp = fp};
    a.vbuf = malloc(SOURCE_READ_BUF);
    if (!a.vbuf) {
        fclose(fp);
        return err_set(e, RC_NOMEM, "out of memory for a read buffer");
    }
    setvbuf(fp, a.vbuf, _IOFBF, SOURCE_READ_BUF);
    /* Only this thread uses the stream: skip stdio's per-call locking, which
     * libpcap's fread per record would otherwise pay (the hash thread has its
     * own descriptor). */
    __fsetlocking(fp, FSETLOCKING_BYCALLER);
    a.pcap = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
    if (!a.pcap) {
        fclose(fp); /* libpcap leaves the stream open on failure */
        free(a.vbuf);
        hash_only(s, in);
        s->bytes_done += in->size;
        in->status = INPUT_UNREADABLE;
        snprintf(in->detail, sizeof in->detail, "not a pcap/pcapng capture: %s", errbuf);
        warn_input(s, in);
        return 0;
    }
    /* Without a thread the hash is computed when the input closes. */
    a.hashing = pthread_create(&a.hasher, NULL, hash_thread, in) == 0;
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
        if (s->in[idx].status != INPUT_PENDING) {
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
    out->caplen = a->hdr->caplen;
    out->wirelen = a->hdr->len;
    out->data = a->data;
    out->linktype = in->linktype;
    out->input = a->input;
    s->have_last = true;
    return 1;
}

size_t source_input_count(const struct source *s) { return s->nin; }

const struct source_input *source_input_get(const struct source *s, size_t i)
{
    return i < s->nin ? &s->in[i] : NULL;
}

void source_progress(const struct source *s, uint64_t *done, uint64_t *total)
{
    *done = s->bytes_done;
    for (size_t i = 0; i < s->nheap; i++) {
        long off = ftell(s->heap[i].fp);
        if (off > 0)
            *done += (uint64_t)off;
    }
    *total = s->bytes_total;
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
        close_active(s, &s->heap[i]);
    }
    s->nheap = 0;
    s->have_last = false;
    for (size_t i = 0; i < s->nin; i++) {
        struct source_input *in = &s->in[i];
        if (in->status != INPUT_PENDING)
            continue;
        in->status = INPUT_PARTIAL;
        snprintf(in->detail, sizeof in->detail, "%s before this input was read", why);
        hash_only(s, in);
    }
    s->next_pending = s->nin;
}

void source_free(struct source *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nheap; i++)
        close_active(s, &s->heap[i]);
    for (size_t i = 0; i < s->nin; i++)
        free(s->in[i].path);
    free(s->in);
    free(s->order);
    free(s->first_hint);
    free(s->heap);
    free(s);
}
