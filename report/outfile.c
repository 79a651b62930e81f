/* outfile.c - report output files written whole or not at all (see outfile.h). */
#include "report/outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct outfile {
    FILE *fp;
    char path[OUTFILE_PATH_MAX];
    char tmp[OUTFILE_PATH_MAX + 16];
};

struct outfile *outfile_open(const char *path, struct err *e)
{
    struct outfile *o = calloc(1, sizeof *o);
    if (!o) {
        err_set(e, RC_NOMEM, "out of memory");
        return NULL;
    }
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof o->path) {
        err_set(e, RC_IO, "%s: path too long", path);
        goto fail;
    }
    memcpy(o->path, path, n + 1);
    /* ".NAME.XXXXXX" in the same directory, so rename() is atomic. */
    const char *slash = strrchr(path, '/');
    size_t dl = slash ? (size_t)(slash - path) + 1 : 0;
    snprintf(o->tmp, sizeof o->tmp, "%.*s.%s.XXXXXX", (int)dl, path, path + dl);
    int fd = mkstemp(o->tmp); /* O_EXCL, mode 0600 */
    if (fd < 0) {
        err_set(e, RC_IO, "%s: cannot create a file next to it: %s", path, strerror(errno));
        goto fail;
    }
    o->fp = fdopen(fd, "w");
    if (!o->fp) {
        err_set(e, RC_IO, "%s: %s", path, strerror(errno));
        close(fd);
        unlink(o->tmp);
        goto fail;
    }
    return o;
fail:
    free(o);
    return NULL;
}

FILE *outfile_fp(struct outfile *o) { return o->fp; }

int outfile_commit(struct outfile *o, struct err *e)
{
    int rc = 0;
    if (fflush(o->fp) != 0 || ferror(o->fp))
        rc = err_set(e, RC_IO, "%s: %s", o->path, strerror(errno ? errno : EIO));
    else if (fsync(fileno(o->fp)) != 0)
        rc = err_set(e, RC_IO, "%s: %s", o->path, strerror(errno));
    if (fclose(o->fp) != 0 && !rc)
        rc = err_set(e, RC_IO, "%s: %s", o->path, strerror(errno));
    if (!rc && rename(o->tmp, o->path) != 0)
        rc = err_set(e, RC_IO, "%s: %s", o->path, strerror(errno));
    if (rc)
        unlink(o->tmp);
    free(o);
    return rc;
}

void outfile_abort(struct outfile *o)
{
    if (!o)
        return;
    fclose(o->fp);
    unlink(o->tmp);
    free(o);
}
