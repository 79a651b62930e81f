/* instream.c - one input read once and hashed as read (see instream.h). */
#include "capture/instream.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "capture/hasher.h"
#include "capture/stop.h"

/* Bytes needed to recognise a compression format by its magic. */
#define INSTREAM_MAGIC_LEN 4

struct instream {
    int fd;             /* -1 while parked */
    bool own_fd;
    char *path;         /* to reopen a parked file */
    dev_t dev;
    ino_t ino;
    struct hasher *hs;  /* NULL: hash in this thread */
    struct hasher_job job; /* the digest, and the span being hashed */
    bool hash_final;    /* instream_finish_hash ran */
    bool raw_eof;       /* read(2) returned 0 */
    uint64_t raw_bytes; /* read from fd, all hashed */
    enum instream_comp comp;
    /* compressed input (gzip) */
    uint8_t *raw;
    size_t raw_len, raw_off;
    z_stream z;
    bool z_init, z_end;  /* z_end: the last member ended and nothing followed */
    /* decoded window: valid bytes are buf[off, len) */
    uint8_t *buf;
    size_t len, off;
    uint64_t consumed;
    bool failed;
    char detail[INSTREAM_DETAIL_MAX];
};

/* Reopens a parked file at the offset it was left at. */
static int unpark(struct instream *s)
{
    int fd = open(s->path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0) {
        snprintf(s->detail, sizeof s->detail, "cannot reopen: %s", strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) != 0 || st.st_dev != s->dev || st.st_ino != s->ino ||
        lseek(fd, (off_t)s->raw_bytes, SEEK_SET) != (off_t)s->raw_bytes) {
        close(fd);
        snprintf(s->detail, sizeof s->detail, "the file was replaced while it was read");
        return -1;
    }
    s->fd = fd;
    return 0;
}

/* One read(2) into dst, hashed; returns bytes, 0 at end, -1 on error.
 * dst may be the span still being hashed (the gzip input buffer): the read
 * waits for it first. */
static long raw_read(struct instream *s, uint8_t *dst, size_t cap)
{
    if (s->fd < 0 && unpark(s))
        return -1;
    hasher_wait(s->hs, &s->job);
    for (;;) {
        ssize_t n = read(s->fd, dst, cap);
        /* A stop signal interrupts a read blocked on a pipe (no SA_RESTART,
         * capture/stop.h): give up then, or a silent stdin would hold the
         * stop until its writer ends. */
        if (n < 0 && errno == EINTR && !stop_requested())
            continue;
        if (n < 0 && errno == EINTR) {
            snprintf(s->detail, sizeof s->detail, "stop requested while waiting at byte %llu",
                     (unsigned long long)s->raw_bytes);
            return -1;
        }
        if (n < 0) {
            snprintf(s->detail, sizeof s->detail, "read error at byte %llu: %s",
                     (unsigned long long)s->raw_bytes, strerror(errno));
            return -1;
        }
        if (n == 0) {
            s->raw_eof = true;
            if (s->own_fd) { /* nothing more to read: give the descriptor back now */
                close(s->fd);
                s->fd = -1;
            }
            return 0;
        }
        hasher_update(s->hs, &s->job, dst, (size_t)n);
        s->raw_bytes += (uint64_t)n;
        return (long)n;
    }
}

struct instream *instream_open(const char *path, struct hasher *h, struct err *e)
{
    struct instream *s = calloc(1, sizeof *s);
    if (!s) {
        err_set(e, RC_NOMEM, "out of memory");
        return NULL;
    }
    s->fd = -1;
    s->buf = malloc(INSTREAM_BUF);
    s->hs = h;
    s->job.md = EVP_MD_CTX_new();
    if (!s->buf || !s->job.md || EVP_DigestInit_ex(s->job.md, EVP_sha256(), NULL) != 1) {
        err_set(e, RC_NOMEM, "out of memory for a read buffer");
        goto fail;
    }
    s->job.ok = true;
    if (strcmp(path, "-") == 0) {
        s->fd = STDIN_FILENO;
    } else {
        s->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (s->fd < 0) {
            err_set(e, RC_IO, "cannot open: %s", strerror(errno));
            goto fail;
        }
        s->own_fd = true;
        struct stat st;
        s->path = strdup(path);
        if (!s->path || fstat(s->fd, &st) != 0) {
            err_set(e, RC_NOMEM, "out of memory");
            goto fail;
        }
        s->dev = st.st_dev;
        s->ino = st.st_ino;
    }
    /* Read until the magic can be told (a pipe may deliver a byte at a time). */
    while (s->len < INSTREAM_MAGIC_LEN && !s->raw_eof) {
        long n = raw_read(s, s->buf + s->len, INSTREAM_RAW_BUF - s->len);
        if (n < 0) {
            err_set(e, RC_IO, "%s", s->detail);
            goto fail;
        }
        s->len += (size_t)n;
    }
    static const uint8_t gz[] = {0x1f, 0x8b}, zs[] = {0x28, 0xb5, 0x2f, 0xfd};
    if (s->len >= sizeof gz && memcmp(s->buf, gz, sizeof gz) == 0) {
        s->comp = INSTREAM_GZIP;
        s->raw = malloc(INSTREAM_RAW_BUF);
        if (!s->raw) {
            err_set(e, RC_NOMEM, "out of memory for a read buffer");
            goto fail;
        }
        memcpy(s->raw, s->buf, s->len);
        s->raw_len = s->len;
        s->len = 0;
        /* 15 + 32: a 32 KiB window, gzip or zlib header detected (zlib.h). */
        if (inflateInit2(&s->z, 15 + 32) != Z_OK) {
            err_set(e, RC_NOMEM, "zlib: cannot initialise");
            goto fail;
        }
        s->z_init = true;
    } else if (s->len >= sizeof zs && memcmp(s->buf, zs, sizeof zs) == 0) {
        s->comp = INSTREAM_ZSTD;
        s->len = 0;
        s->failed = true;
        snprintf(s->detail, sizeof s->detail,
                 "zstd-compressed: this build reads gzip only (decompress it with zstd -d)");
    }
    return s;
fail:
    instream_close(s);
    return NULL;
}

/* Inflates into the window until it holds want bytes or the data ends. */
static int fill_gzip(struct instream *s, size_t want)
{
    while (s->len - s->off < want && !s->z_end) {
        if (s->raw_off == s->raw_len) {
            if (s->raw_eof) {
                snprintf(s->detail, sizeof s->detail,
                         "gzip data ends early (a cut-short .gz file) at compressed byte %llu",
                         (unsigned long long)s->raw_bytes);
                return -1;
            }
            long n = raw_read(s, s->raw, INSTREAM_RAW_BUF);
            if (n < 0)
                return -1;
            s->raw_off = 0;
            s->raw_len = (size_t)n;
            continue;
        }
        s->z.next_in = s->raw + s->raw_off;
        s->z.avail_in = (uInt)(s->raw_len - s->raw_off);
        s->z.next_out = s->buf + s->len;
        s->z.avail_out = (uInt)(INSTREAM_BUF - s->len);
        int zr = inflate(&s->z, Z_NO_FLUSH);
        s->raw_off = s->raw_len - s->z.avail_in;
        s->len = INSTREAM_BUF - s->z.avail_out;
        if (zr == Z_STREAM_END) {
            /* Another member may follow (concatenated .gz files). */
            if (s->raw_off == s->raw_len && !s->raw_eof) {
                long n = raw_read(s, s->raw, INSTREAM_RAW_BUF);
                if (n < 0)
                    return -1;
                s->raw_off = 0;
                s->raw_len = (size_t)n;
            }
            if (s->raw_off == s->raw_len) {
                s->z_end = true;
                break;
            }
            if (inflateReset(&s->z) != Z_OK)
                return -1;
            continue;
        }
        if (zr != Z_OK && zr != Z_BUF_ERROR) {
            snprintf(s->detail, sizeof s->detail, "gzip data corrupt at compressed byte %llu: %s",
                     (unsigned long long)(s->raw_bytes - (s->raw_len - s->raw_off)),
                     s->z.msg ? s->z.msg : "inflate failed");
            return -1;
        }
    }
    return 0;
}

long instream_fill(struct instream *s, size_t n, const uint8_t **p)
{
    if (s->failed)
        return -1;
    if (n > INSTREAM_BUF)
        n = INSTREAM_BUF;
    if (s->len - s->off < n) {
        /* The window is about to be rewritten: its last read must be hashed. */
        hasher_wait(s->hs, &s->job);
        /* Compact: move the unread tail to the front. */
        if (s->off) {
            memmove(s->buf, s->buf + s->off, s->len - s->off);
            s->len -= s->off;
            s->off = 0;
        }
        if (s->comp == INSTREAM_GZIP) {
            if (fill_gzip(s, n)) {
                s->failed = true;
                return -1;
            }
        } else {
            while (s->len < n && !s->raw_eof) {
                long r = raw_read(s, s->buf + s->len, INSTREAM_BUF - s->len);
                if (r < 0) {
                    s->failed = true;
                    return -1;
                }
                s->len += (size_t)r;
            }
        }
    }
    *p = s->buf + s->off;
    size_t have = s->len - s->off;
    return (long)(have < n ? have : n);
}

void instream_consume(struct instream *s, size_t n)
{
    if (n > s->len - s->off)
        n = s->len - s->off;
    s->off += n;
    s->consumed += n;
}

uint64_t instream_offset(const struct instream *s) { return s->consumed; }

uint64_t instream_raw_bytes(const struct instream *s) { return s->raw_bytes; }

enum instream_comp instream_compression(const struct instream *s) { return s->comp; }

const char *instream_detail(const struct instream *s) { return s->detail; }

bool instream_finish_hash(struct instream *s, bool drain, uint8_t out[32])
{
    if (s->hash_final)
        return false;
    s->hash_final = true;
    bool whole = s->raw_eof;
    /* Standard input is not drained once a stop was requested: it may never end. */
    if (drain && !s->own_fd && stop_requested())
        drain = false;
    if (drain && !s->raw_eof) {
        /* The window's memory is free to reuse: the parser is done with it. */
        s->off = s->len = 0;
        for (;;) {
            long n = raw_read(s, s->buf, INSTREAM_BUF);
            if (n <= 0) {
                whole = n == 0;
                break;
            }
        }
    }
    hasher_wait(s->hs, &s->job);
    unsigned int mdlen = 0;
    bool ok = EVP_DigestFinal_ex(s->job.md, out, &mdlen) == 1 && mdlen == 32 && s->job.ok;
    return ok && whole;
}

bool instream_park(struct instream *s)
{
    if (!s->own_fd || s->fd < 0 || s->raw_eof)
        return false;
    close(s->fd);
    s->fd = -1;
    return true;
}

bool instream_is_open(const struct instream *s) { return s->fd >= 0 && s->own_fd; }

void instream_close(struct instream *s)
{
    if (!s)
        return;
    hasher_wait(s->hs, &s->job); /* the hasher may still read the window */
    free(s->path);
    if (s->own_fd && s->fd >= 0)
        close(s->fd);
    if (s->z_init)
        inflateEnd(&s->z);
    EVP_MD_CTX_free(s->job.md);
    free(s->raw);
    free(s->buf);
    free(s);
}
