/*
 * atomic.c -- files that appear whole or not at all (atomic.h).
 */
#include "io/atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct zk_atomic_file {
    char *path;
    char *dest;     /* a symbolic link's resolved target, replaced in its
                     * place; NULL: path itself */
    char *tmp;      /* NULL for a special file (written in place) */
    FILE *fp;
    int out;        /* special, not seekable: the descriptor of path, and
                     * fp is an unnamed spool copied to it on commit; else
                     * -1 */
    int sync;       /* special: fsync on commit (a block device) */
};

static void afile_free(zk_atomic_file *f)
{
    free(f->path);
    free(f->dest);
    free(f->tmp);
    free(f);
}

/* An unnamed read-write file in $TMPDIR (else /tmp), gone once closed;
 * -1 with errno on error. */
static int spool_fd(void)
{
    static const char name[] = "/zkpar-spool.XXXXXX";
    const char *dir = getenv("TMPDIR");
    if (dir == NULL || *dir == '\0')
        dir = "/tmp";
#ifdef O_TMPFILE
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
        return fd;
#endif
    size_t dlen = strlen(dir);
    char *t = malloc(dlen + sizeof name);
    if (t == NULL) {
        errno = ENOMEM;
        return -1;
    }
    memcpy(t, dir, dlen);
    memcpy(t + dlen, name, sizeof name);
    int sfd = mkstemp(t);
    if (sfd >= 0) {
        (void)unlink(t);
        (void)fcntl(sfd, F_SETFD, FD_CLOEXEC);
    }
    int saved = errno;
    free(t);
    errno = saved;
    return sfd;
}

/*
 * Start writing the special file path (st: its stat) in place: a device,
 * FIFO or socket is opened for writing, never replaced by a renamed file.
 * Where it cannot seek (a FIFO, a terminal), the stream is an unnamed
 * spool, copied to it by commit: writers such as binfile.h's go back to
 * patch sizes.
 */
static int open_special(zk_atomic_file *f, const struct stat *st)
{
    int fd = open(f->path, O_WRONLY | O_NOCTTY | O_CLOEXEC), sfd = -1;
    if (fd < 0)
        return ZK_EIO;
    f->sync = S_ISBLK(st->st_mode);
    if (lseek(fd, 0, SEEK_CUR) < 0) {
        if (errno != ESPIPE)
            goto fail;
        if ((sfd = spool_fd()) < 0 || (f->fp = fdopen(sfd, "w+b")) == NULL)
            goto fail;
        f->out = fd;
    } else if ((f->fp = fdopen(fd, "wb")) == NULL) {
        goto fail;
    }
    return ZK_OK;
fail:;
    int saved = errno;
    if (sfd >= 0)
        close(sfd);
    close(fd);
    errno = saved;
    return ZK_EIO;
}

/* The directory part of path ("." for a bare name, "/" for "/x"),
 * malloc'ed; *base = the name after it. */
static char *split_dir(const char *path, const char **base)
{
    const char *slash = strrchr(path, '/');
    *base = slash != NULL ? slash + 1 : path;
    if (slash == NULL)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

/* Whether the kernel would follow the link at path (st: its lstat) under
 * fs.protected_symlinks: not when it sits in a sticky, world-writable
 * directory (/tmp) and belongs neither to us nor to the directory's owner,
 * so that nobody's link there makes us replace our own files. */
static int may_follow(const char *path, const struct stat *st)
{
    const char *base;
    char *dir = split_dir(path, &base);
    struct stat ds;
    int ok = dir != NULL && stat(dir, &ds) == 0 &&
             !((ds.st_mode & S_ISVTX) && (ds.st_mode & S_IWOTH) &&
               st->st_uid != geteuid() && st->st_uid != ds.st_uid);
    free(dir);
    return ok;
}

/* The file the symbolic link path finally points to, malloc'ed, as an
 * absolute path whose directory is resolved: the links of the chain are
 * followed one by one (at most 40; a dangling one gives the path it
 * names, so the file is created there).  NULL when that cannot be done
 * (no memory, a loop, a link we may not follow, a missing directory): the
 * caller then replaces path itself, as before. */
static char *link_target(const char *path)
{
    char *cur = strdup(path), *r = NULL, *dir = NULL;
    for (int hops = 0; cur != NULL; hops++) {
        struct stat st;
        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
            break; /* the end of the chain: a file, or none yet */
        if (hops == 40 || !may_follow(cur, &st))
            goto fail;
        char text[PATH_MAX];
        ssize_t k = readlink(cur, text, sizeof text - 1);
        if (k <= 0)
            goto fail;
        text[k] = '\0';
        /* absolute, or relative to the link's directory */
        const char *base;
        char *d = text[0] == '/' ? strdup("") : split_dir(cur, &base);
        if (d == NULL)
            goto fail;
        size_t dl = strlen(d), need = dl + 1 + (size_t)k + 1;
        char *next = malloc(need);
        if (next != NULL)
            snprintf(next, need, "%s%s%s", d, dl > 0 ? "/" : "", text);
        free(d);
        free(cur);
        cur = next;
    }
    if (cur == NULL)
        return NULL;
    const char *base;
    if ((dir = split_dir(cur, &base)) == NULL || *base == '\0')
        goto fail;
    char *rdir = realpath(dir, NULL);
    if (rdir != NULL) {
        size_t rl = strlen(rdir), nl = strlen(base);
        if ((r = malloc(rl + 1 + nl + 1)) != NULL) {
            memcpy(r, rdir, rl);
            r[rl] = '/';
            memcpy(r + rl + 1, base, nl + 1);
        }
        free(rdir);
    }
fail:
    free(dir);
    free(cur);
    return r;
}

int zk_atomic_open(zk_atomic_file **out, const char *path)
{
    return zk_atomic_open_mode(out, path, 0644);
}

int zk_atomic_open_mode(zk_atomic_file **out, const char *path, unsigned mode)
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
    f->out = -1;
    size_t plen = strlen(path);
    f->path = malloc(plen + 1);
    if (f->path == NULL) {
        afile_free(f);
        return ZK_ENOMEM;
    }
    memcpy(f->path, path, plen + 1);

    /* an existing device, FIFO or socket (/dev/null, /dev/stdout, a pipe
     * of the shell): written in place, never replaced */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        int rc = open_special(f, &st);
        if (rc != ZK_OK) {
            int saved = errno;
            afile_free(f);
            errno = saved;
            return rc;
        }
        *out = f;
        return ZK_OK;
    }

    /* a symbolic link to a file (also /dev/stdout when the shell sent it
     * to a file): the file it points to is replaced, not the link */
    const char *target = path;
    struct stat lst;
    if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode) &&
        (f->dest = link_target(path)) != NULL) {
        target = f->dest;
        plen = strlen(target);
        struct stat ts;
        if (stat(target, &ts) == 0 && S_ISDIR(ts.st_mode)) {
            afile_free(f); /* a link to a directory: as a directory */
            errno = EISDIR;
            return ZK_EIO;
        }
    }
    f->tmp = malloc(plen + sizeof suffix);
    if (f->tmp == NULL) {
        afile_free(f);
        return ZK_ENOMEM;
    }
    memcpy(f->tmp, target, plen);
    memcpy(f->tmp + plen, suffix, sizeof suffix);

    int fd = mkstemp(f->tmp);
    if (fd < 0) {
        int saved = errno;
        afile_free(f);
        errno = saved;
        return ZK_EIO;
    }
    /* mkstemp makes 0600: the file is given its mode before a byte is
     * written (a file of secrets is never readable by others).  FD_CLOEXEC
     * so a tool that forks does not leak the descriptor. */
    if (fchmod(fd, (mode_t)(mode & 07777)) != 0 || fcntl(fd, F_SETFD, FD_CLOEXEC) != 0 ||
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
    if (f->out >= 0)
        close(f->out);
    if (f->tmp != NULL)
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

/* Copy the spool (fp) to the descriptor out; 0 or -1 with errno. */
static int copy_spool(FILE *fp, int out)
{
    char buf[1 << 16];
    size_t n;
    rewind(fp);
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
        const char *p = buf;
        while (n > 0) {
            ssize_t w = write(out, p, n);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                if (w == 0)
                    errno = EIO;
                return -1;
            }
            p += w;
            n -= (size_t)w;
        }
    }
    if (ferror(fp)) {
        if (errno == 0)
            errno = EIO;
        return -1;
    }
    return 0;
}

/* Commit a special file: flush (the spool: copy it), close, say errors. */
static int commit_special(zk_atomic_file *f)
{
    int bad = ferror(f->fp) || fflush(f->fp) != 0 ||
              (f->out >= 0 && copy_spool(f->fp, f->out) != 0) ||
              (f->sync && fsync(fileno(f->fp)) != 0);
    if (bad) {
        if (errno == 0)
            errno = EIO;
        zk_atomic_abort(f);
        return ZK_EIO;
    }
    FILE *fp = f->fp;
    int out = f->out;
    f->fp = NULL;
    f->out = -1;
    bad = fclose(fp) != 0;
    int saved = errno;
    if (out >= 0 && close(out) != 0 && !bad) {
        bad = 1;
        saved = errno;
    }
    afile_free(f);
    errno = saved;
    return bad ? ZK_EIO : ZK_OK;
}

int zk_atomic_commit(zk_atomic_file *f)
{
    if (f == NULL)
        return ZK_EINVAL;
    if (f->tmp == NULL)
        return commit_special(f);
    if (ferror(f->fp) || fflush(f->fp) != 0 || fsync(fileno(f->fp)) != 0) {
        if (errno == 0)
            errno = EIO;
        zk_atomic_abort(f);
        return ZK_EIO;
    }
    FILE *fp = f->fp;
    f->fp = NULL;
    const char *dest = f->dest != NULL ? f->dest : f->path;
    if (fclose(fp) != 0 || rename(f->tmp, dest) != 0) {
        zk_atomic_abort(f);
        return ZK_EIO;
    }
    sync_dir(dest);
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
