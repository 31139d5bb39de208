/*
 * atomic.c -- files that appear whole or not at all (atomic.h).
 */
#include "io/atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct zk_atomic_file {
    char *path;
    char *tmp;
    FILE *fp;
};

static void afile_free(zk_atomic_file *f)
{
    free(f->path);
    free(f->tmp);
    free(f);
}

int zk_atomic_open(zk_atomic_file **out, const char *path)
{
    static const char suffix[] = ".tmp.XXXXXX";
    if (out == NULL)
        return ZK_EINVAL;
    *out = NULL;
    if (path == NULL || *path == '\0')
        return ZK_EINVAL;
    zk_atomic_file *f = calloc(1, sizeof *f);
    if (f == NULL)
        return ZK_ENOMEM;
    size_t plen = strlen(path);
    f->path = malloc(plen + 1);
    f->tmp = malloc(plen + sizeof suffix);
    if (f->path == NULL || f->tmp == NULL) {
        afile_free(f);
        return ZK_ENOMEM;
    }
    memcpy(f->path, path, plen + 1);
    memcpy(f->tmp, path, plen);
    memcpy(f->tmp + plen, suffix, sizeof suffix);

    int fd = mkstemp(f->tmp);
    if (fd < 0) {
        int saved = errno;
        afile_free(f);
        errno = saved;
        return ZK_EIO;
    }
    /* mkstemp makes 0600; these are public files.  FD_CLOEXEC so a tool
     * that forks does not leak the descriptor. */
    if (fchmod(fd, 0644) != 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) != 0 ||
        (f->fp = fdopen(fd, "wb")) == NULL) {
        int saved = errno;
        close(fd);
        unlink(f->tmp);
        afile_free(f);
        errno = saved;
        return ZK_EIO;
    }
    *out = f;
    return ZK_OK;
}

FILE *zk_atomic_stream(zk_atomic_file *f)
{
    return f != NULL ? f->fp : NULL;
}

const char *zk_atomic_path(const zk_atomic_file *f)
{
    return f != NULL ? f->path : NULL;
}

void zk_atomic_abort(zk_atomic_file *f)
{
    if (f == NULL)
        return;
    int saved = errno;
    if (f->fp != NULL)
        fclose(f->fp);
    unlink(f->tmp);
    afile_free(f);
    errno = saved;
}

/* fsync the directory holding path so the rename itself is durable.
 * Best effort: some filesystems refuse fsync on directories. */
static void sync_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir;
    if (slash == NULL)
        dir = strdup(".");
    else if (slash == path)
        dir = strdup("/");
    else
        dir = strndup(path, (size_t)(slash - path));
    if (dir == NULL)
        return;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

int zk_atomic_commit(zk_atomic_file *f)
{
    if (f == NULL)
        return ZK_EINVAL;
    if (ferror(f->fp) || fflush(f->fp) != 0 || fsync(fileno(f->fp)) != 0) {
        if (errno == 0)
            errno = EIO;
        zk_atomic_abort(f);
        return ZK_EIO;
    }
    FILE *fp = f->fp;
    f->fp = NULL;
    if (fclose(fp) != 0 || rename(f->tmp, f->path) != 0) {
        zk_atomic_abort(f);
        return ZK_EIO;
    }
    sync_dir(f->path);
    afile_free(f);
    return ZK_OK;
}

int zk_atomic_write_file(const char *path, const void *data, size_t len)
{
    zk_atomic_file *f;
    int rc = zk_atomic_open(&f, path);
    if (rc != ZK_OK)
        return rc;
    if (len > 0 && fwrite(data, 1, len, f->fp) != len) {
        zk_atomic_abort(f);
        return ZK_EIO;
    }
    return zk_atomic_commit(f);
}
