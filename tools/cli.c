/*
 * cli.c -- what the zk-* tools share (cli.h).
 */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "io/atomic.h"
#include "util/err.h"
#include "util/meter.h"

static const char *prog_name = "zkpar";

/* The --json report (one per process: a tool is one run). */
static struct {
    int on;                 /* --json */
    double t0;              /* cli_init */
    json_t *phases, *fields;
    int have_error;
    char error[512];        /* the first cli_error message */
} rep;

/*
 * The --progress display of long phases: the pools of the tool carry one
 * meter (meter.h), which a display thread samples every `interval`
 * seconds.  A phase metered for at least two intervals gets its
 * percentage: on a terminal one status line, redrawn in place and erased
 * before any other message; elsewhere (a log) a line each time it passes
 * another tenth.  The thread starts with the first pool and stops at exit.
 */
static struct {
    pthread_mutex_t mu;     /* stderr's lines and everything below */
    pthread_cond_t cv;
    zk_meter *meter;
    pthread_t thread;
    int started, stop;
    int tty;                /* stderr is a terminal: redraw in place */
    int shown;              /* a status line is on the terminal */
    double interval;        /* seconds between samples */
    uint64_t ended;         /* the meter serial of a phase whose time is out */
} tick = { .mu = PTHREAD_MUTEX_INITIALIZER };

/* Erase the status line, if one is shown (tick.mu held). */
static void tick_erase(void)
{
    if (tick.shown) {
        fputs("\r\033[K", stderr);
        tick.shown = 0;
    }
}

static void *tick_main(void *unused)
{
    (void)unused;
    uint64_t serial = 0;
    double since = 0;
    int said = -1; /* the last percentage shown in this phase */
    pthread_mutex_lock(&tick.mu);
    while (!tick.stop) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts); /* tick.cv waits on it */
        long long ns = (long long)ts.tv_nsec + (long long)(tick.interval * 1e9);
        ts.tv_sec += (time_t)(ns / 1000000000);
        ts.tv_nsec = (long)(ns % 1000000000);
        (void)pthread_cond_timedwait(&tick.cv, &tick.mu, &ts);
        if (tick.stop)
            break;
        uint64_t done, total, s;
        const char *name = zk_meter_read(tick.meter, &done, &total, &s);
        if (name == NULL || total == 0 || s == tick.ended) {
            tick_erase();
            continue;
        }
        if (s != serial) { /* a new phase */
            serial = s;
            since = cli_now();
            said = -1;
        }
        if (cli_now() - since < 2 * tick.interval)
            continue;
        int pct = done >= total ? 100 : (int)(100 * done / total);
        if (tick.tty) {
            fprintf(stderr, "\r\033[K%s: %-10s %3d%%", prog_name, name, pct);
            tick.shown = 1;
        } else if (pct / 10 > said / 10) {
            fprintf(stderr, "%s: %-10s %3d%%\n", prog_name, name, pct);
        } else {
            continue;
        }
        said = pct;
    }
    tick_erase();
    pthread_mutex_unlock(&tick.mu);
    return NULL;
}

static void tick_stop(void)
{
    pthread_mutex_lock(&tick.mu);
    tick.stop = 1;
    pthread_cond_signal(&tick.cv);
    pthread_mutex_unlock(&tick.mu);
    pthread_join(tick.thread, NULL);
}

/* The display's interval: ZKPAR_PROGRESS_INTERVAL seconds (0.001 to 60),
 * default 0.25. */
static double tick_interval(void)
{
    const char *e = getenv("ZKPAR_PROGRESS_INTERVAL");
    if (e != NULL && *e != '\0') {
        char *end;
        double v = strtod(e, &end);
        if (*end == '\0' && v >= 0.001 && v <= 60)
            return v;
    }
    return 0.25;
}

/* Meter pool p for the display (o->progress), starting the display thread
 * with the first pool.  Best effort: without memory or a thread, the
 * phases are still reported when they end. */
static void tick_attach(zk_pool *p, const cli_opts *o)
{
    if (!o->progress)
        return;
    if (!tick.started) {
        if (tick.meter == NULL && zk_meter_new(&tick.meter) != 0)
            return;
        tick.tty = isatty(STDERR_FILENO);
        tick.interval = tick_interval();
        /* waits on the monotonic clock: a clock set back does not stall
         * the display */
        pthread_condattr_t ca;
        if (pthread_condattr_init(&ca) != 0)
            return;
        int bad = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) != 0 ||
                  pthread_cond_init(&tick.cv, &ca) != 0;
        pthread_condattr_destroy(&ca);
        if (bad)
            return;
        sigset_t all, old;
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &old);
        int rc = pthread_create(&tick.thread, NULL, tick_main, NULL);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        if (rc != 0) {
            pthread_cond_destroy(&tick.cv);
            return;
        }
        tick.started = 1;
        (void)atexit(tick_stop);
    }
    zk_pool_set_meter(p, tick.meter);
}

void cli_malloc_policy(void)
{
#ifdef __GLIBC__
    (void)mallopt(M_MMAP_THRESHOLD, 256 * 1024);
#endif
}

void cli_init(const char *argv0)
{
    if (argv0 != NULL && *argv0 != '\0') {
        const char *slash = strrchr(argv0, '/');
        prog_name = slash != NULL ? slash + 1 : argv0;
    }
    rep.t0 = cli_now();
}

const char *cli_prog(void)
{
    return prog_name;
}

static void vmessage(int record, const char *fmt, va_list ap)
{
    int saved = errno;
    if (record && !rep.have_error) {
        va_list aq;
        va_copy(aq, ap);
        (void)vsnprintf(rep.error, sizeof rep.error, fmt, aq);
        va_end(aq);
        rep.have_error = 1;
    }
    pthread_mutex_lock(&tick.mu);
    tick_erase();
    fprintf(stderr, "%s: ", prog_name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    pthread_mutex_unlock(&tick.mu);
    errno = saved;
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(1, fmt, ap);
    va_end(ap);
}

void cli_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(0, fmt, ap);
    va_end(ap);
}

int cli_oom(void)
{
    cli_error("out of memory");
    return CLI_TEMPFAIL;
}

int cli_file_error(const char *path, int rc, const char *what)
{
    int saved = errno;
    const char *name = strcmp(path, "-") == 0 ? "(stdin)" : path;
    if (rc == ZK_EIO && saved != 0)
        cli_error("%s: %s: %s", name, what, strerror(saved));
    else
        cli_error("%s: %s: %s", name, what, zk_strerror(rc));
    errno = saved;
    return cli_exit_code(rc);
}

int cli_errno_status(int err)
{
    switch (err) {
    /* the same arguments meet them again: not worth a retry */
    case ENOENT:
    case ENOTDIR:
    case EISDIR: /* a directory given as a file is a usage error */
    case EACCES:
    case EPERM:
    case EROFS:
    case ELOOP:
    case ENAMETOOLONG:
    case EEXIST:
    case EINVAL:
    case EBADF:
    case EFBIG:
    case ENXIO:
    case ENODEV:
    case EXDEV:
    case ESPIPE:
    case ENOTEMPTY:
    case EMLINK:
    case EOVERFLOW:
        return CLI_USAGE;
    /* EIO, ENOSPC, EDQUOT, EAGAIN, EINTR, ENOMEM, EMFILE, ENFILE, ESTALE,
     * ETIMEDOUT, EBUSY, ... and 0: the medium, the network or the load */
    default:
        return CLI_TEMPFAIL;
    }
}

int cli_exit_code(int rc)
{
    switch (rc) {
    case ZK_OK:
        return CLI_OK;
    case ZK_EVERIFY:
    case ZK_ERANGE:
    case ZK_ENOTONCURVE:
    case ZK_ENOTINGROUP:
        return CLI_INVALID;
    case ZK_ENOMEM:
    case ZK_ETHREAD:
        return CLI_TEMPFAIL;
    case ZK_EIO:
        return cli_errno_status(errno);
    default:
        return CLI_USAGE;
    }
}

int cli_unusable(int rc)
{
    return cli_exit_code(rc) == CLI_TEMPFAIL ? CLI_TEMPFAIL : CLI_USAGE;
}

int cli_option(cli_opts *o, int c, const char *arg, void (*usage)(FILE *))
{
    switch (c) {
    case 'h':
        usage(stdout);
        return CLI_OK;
    case 'V':
        cli_version();
        return CLI_OK;
    case '?':
        usage(stderr);
        return CLI_USAGE;
    case 't': {
        char *end;
        errno = 0;
        unsigned long v = strtoul(arg, &end, 10);
        if (errno != 0 || end == arg || *end != '\0' || arg[0] == '-' || v == 0 ||
            v > ZK_POOL_MAX_THREADS) {
            cli_error("--threads: '%s' is not a thread count (1 to %u)", arg,
                      ZK_POOL_MAX_THREADS);
            return CLI_USAGE;
        }
        o->threads = (unsigned)v;
        return CLI_NEXT;
    }
    case 'P':
        o->progress = 1;
        return CLI_NEXT;
    case 'q':
        o->quiet = 1;
        return CLI_NEXT;
    case 'J':
        rep.on = 1;
        return CLI_NEXT;
    default:
        return CLI_MINE;
    }
}

void cli_version(void)
{
    printf("%s (zkpar) %s\n", prog_name, PACKAGE_VERSION);
}

void cli_progress_auto(cli_opts *o)
{
    if (!o->quiet && isatty(STDERR_FILENO))
        o->progress = 1;
}

int cli_pool_new(zk_pool **out, const cli_opts *o)
{
    int rc = zk_pool_new(out, o->threads);
    if (rc == 0)
        tick_attach(*out, o);
    if (rc != 0) {
        int saved = errno;
        unsigned n = o->threads != 0 ? o->threads : zk_threads_default();
        if (rc == ZK_ETHREAD && saved != 0)
            cli_error("cannot start %u threads: %s", n, strerror(saved));
        else
            cli_error("cannot start %u threads: %s", n, zk_strerror(rc));
        return cli_exit_code(rc);
    }
    return 0;
}

zk_pool *cli_pool(const cli_opts *o)
{
    zk_pool *p;
    return cli_pool_new(&p, o) == 0 ? p : NULL;
}

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void cli_progress(void *ctx, const char *phase, double seconds)
{
    const cli_opts *o = ctx;
    if (o != NULL && o->progress) {
        pthread_mutex_lock(&tick.mu);
        /* a library phase reports its end while still on the meter: no
         * percentage of it after its time */
        uint64_t serial;
        const char *on = zk_meter_read(tick.meter, NULL, NULL, &serial);
        if (on != NULL && strcmp(on, phase) == 0)
            tick.ended = serial;
        tick_erase();
        fprintf(stderr, "%s: %-10s %8.3f s\n", prog_name, phase, seconds);
        pthread_mutex_unlock(&tick.mu);
    }
    if (rep.on) {
        if (rep.phases == NULL)
            rep.phases = json_object();
        json_t *had = rep.phases != NULL ? json_object_get(rep.phases, phase) : NULL;
        if (had != NULL)
            seconds += json_real_value(had);
        if (rep.phases != NULL)
            (void)json_object_set_new(rep.phases, phase, json_real(seconds));
    }
}

/* s as a JSON string; bytes that are not UTF-8 (a path in another
 * encoding, a message cut in a character) become '?'. */
static json_t *json_text(const char *s)
{
    json_t *j = json_string(s);
    if (j != NULL || s == NULL)
        return j;
    char *t = strdup(s);
    if (t == NULL)
        return NULL;
    for (char *c = t; *c != '\0'; c++)
        if ((unsigned char)*c >= 0x80)
            *c = '?';
    j = json_string(t);
    free(t);
    return j;
}

static void report_set(const char *key, json_t *v)
{
    if (!rep.on) {
        json_decref(v);
        return;
    }
    if (rep.fields == NULL)
        rep.fields = json_object();
    if (rep.fields != NULL)
        (void)json_object_set_new(rep.fields, key, v);
    else
        json_decref(v);
}

void cli_report_int(const char *key, long long v)
{
    report_set(key, json_integer((json_int_t)v));
}

void cli_report_str(const char *key, const char *v)
{
    report_set(key, json_text(v));
}

void cli_report_bool(const char *key, int v)
{
    report_set(key, json_boolean(v));
}

int cli_finish(int status)
{
    if (!rep.on)
        return status;
    int saved = errno;
    json_t *o = json_object();
    char *line = NULL;
    if (o != NULL) {
        const char *error = rep.have_error ? rep.error
                            : status == CLI_INVALID ? "rejected"
                            : status == CLI_TEMPFAIL ? "temporary failure"
                                                     : "usage error";
        int err = json_object_set_new(o, "tool", json_text(prog_name)) ||
                  json_object_set_new(o, "status", json_integer(status)) ||
                  json_object_set_new(o, "wall_s", json_real(cli_now() - rep.t0)) ||
                  json_object_set_new(o, "phases",
                                      rep.phases != NULL ? json_incref(rep.phases)
                                                         : json_object());
        if (!err && rep.fields != NULL)
            err = json_object_update(o, rep.fields);
        if (!err && status != CLI_OK)
            err = json_object_set_new(o, "error", json_text(error));
        if (!err)
            line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER |
                                     JSON_REAL_PRECISION(9));
    }
    if (line != NULL)
        fprintf(stderr, "%s\n", line);
    else /* out of memory: the essentials */
        fprintf(stderr, "{\"status\":%d}\n", status);
    fflush(stderr);
    free(line);
    json_decref(o);
    json_decref(rep.phases);
    json_decref(rep.fields);
    rep.phases = rep.fields = NULL;
    rep.on = 0;
    errno = saved;
    return status;
}

/* All of fd (any kind of descriptor) in a malloc'ed buffer of initial
 * capacity cap; 0, or ZK_EIO (errno kept) / ZK_ENOMEM.  fd stays open. */
static int read_fd(int fd, size_t cap, uint8_t **buf, size_t *len)
{
    size_t n = 0;
    uint8_t *b = malloc(cap);
    if (b == NULL)
        return ZK_ENOMEM;
    for (;;) {
        if (n == cap) {
            uint8_t *t = cap <= SIZE_MAX / 2 ? realloc(b, cap * 2) : NULL;
            if (t == NULL) {
                free(b);
                return ZK_ENOMEM;
            }
            b = t;
            cap *= 2;
        }
        ssize_t r = read(fd, b + n, cap - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int saved = errno;
            free(b);
            errno = saved;
            return ZK_EIO;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    *buf = b;
    *len = n;
    return 0;
}

/* The whole of path in a malloc'ed buffer; 0, or ZK_EIO (errno set: EISDIR
 * for a directory) / ZK_ENOMEM. */
static int read_file(const char *path, uint8_t **buf, size_t *len)
{
    *buf = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return ZK_EIO;
    struct stat st;
    int bad = fstat(fd, &st) != 0 ? errno : S_ISDIR(st.st_mode) ? EISDIR : 0;
    if (bad != 0) {
        close(fd);
        errno = bad;
        return ZK_EIO;
    }
    size_t cap = S_ISREG(st.st_mode) && st.st_size > 0 && (uint64_t)st.st_size < SIZE_MAX / 2
                     ? (size_t)st.st_size + 1
                     : 1 << 16;
    int rc = read_fd(fd, cap, buf, len);
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

int cli_json_load(json_t **out, const char *path)
{
    const char *name = strcmp(path, "-") == 0 ? "(stdin)" : path;
    uint8_t *buf;
    size_t len;
    int rc;
    *out = NULL;
    if (strcmp(path, "-") == 0) {
        if ((rc = cli_read_stdin(&buf, &len)) != 0)
            return cli_exit_code(rc);
    } else if ((rc = read_file(path, &buf, &len)) != 0) {
        return cli_file_error(path, rc, "cannot read");
    }
    json_error_t e;
    json_t *j = json_loadb((const char *)buf, len, JSON_REJECT_DUPLICATES, &e);
    free(buf);
    if (j == NULL) {
        if (json_error_code(&e) == json_error_out_of_memory) {
            cli_error("%s: out of memory", name);
            return CLI_TEMPFAIL;
        }
        if (e.line <= 0)
            cli_error("%s: %s", name, e.text);
        else
            cli_error("%s: line %d column %d: %s", name, e.line, e.column, e.text);
        return CLI_USAGE;
    }
    *out = j;
    return 0;
}

json_t *cli_json_read(const char *path)
{
    json_t *j;
    return cli_json_load(&j, path) == 0 ? j : NULL;
}

int cli_read_stdin(uint8_t **buf, size_t *len)
{
    *buf = NULL;
    *len = 0;
    int rc = read_fd(STDIN_FILENO, 1 << 16, buf, len);
    if (rc == ZK_ENOMEM)
        cli_error("(stdin): out of memory");
    else if (rc != 0)
        cli_file_error("-", ZK_EIO, "cannot read");
    return rc;
}

char *cli_json_dump(const json_t *j)
{
    return json_dumps(j, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
}

/*
 * Temporary files and killed writers.  atomic.h names a temporary file
 * "PATH.tmp.XXXXXX"; a writer killed before its rename leaves it behind
 * (never under PATH).  cli_write_all holds an exclusive flock(2) on each
 * of its temporary files while it writes them, and the kernel drops the
 * lock when the writer dies: so a temporary file whose lock can be taken
 * belongs to no live writer and can go.  A writer that lost its file to a
 * remover between mkstemp and flock (its lock taken, its link count 0)
 * starts again with a new one.
 */
static int open_locked(zk_atomic_file **f, const char *path, unsigned mode)
{
    int rc;
    for (int tries = 0;; tries++) {
        if ((rc = zk_atomic_open_mode(f, path, mode)) != 0)
            return rc;
        int fd = fileno(zk_atomic_stream(*f));
        struct stat st;
        if (flock(fd, LOCK_EX) != 0 || fstat(fd, &st) != 0 || st.st_nlink > 0 || tries == 8)
            return 0; /* locked and linked, or no locks here: as before */
        zk_atomic_abort(*f);
        *f = NULL;
    }
}

/* An existing device, FIFO or socket (/dev/null, /dev/stdout, a pipe of
 * the shell): written in place, never replaced by a renamed file. */
static int is_special(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

/* A path split for the stale-file scan. */
typedef struct {
    char *dir;          /* malloc'ed; "." for a bare name */
    const char *base;   /* into the caller's path */
} split_path;

static int split_cmp(const void *a, const void *b)
{
    const split_path *x = a, *y = b;
    int c = strcmp(x->dir, y->dir);
    return c != 0 ? c : strcmp(x->base, y->base);
}

static int base_cmp(const void *key, const void *elt)
{
    return strcmp(key, ((const split_path *)elt)->base);
}

/* Remove name (in dfd) if it is a regular file whose lock nobody holds. */
static void remove_if_unlocked(int dfd, const char *name)
{
    int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return;
    struct stat a, b;
    if (flock(fd, LOCK_EX | LOCK_NB) == 0 && fstat(fd, &a) == 0 && S_ISREG(a.st_mode) &&
        fstatat(dfd, name, &b, AT_SYMLINK_NOFOLLOW) == 0 && a.st_dev == b.st_dev &&
        a.st_ino == b.st_ino)
        (void)unlinkat(dfd, name, 0);
    close(fd);
}

void cli_remove_stale(size_t n, const char *const paths[])
{
    static const char tmp_tag[] = ".tmp.";
    enum { TAG = sizeof tmp_tag - 1, SUFFIX = TAG + 6 }; /* ".tmp.XXXXXX" */
    int saved = errno;
    split_path *sp = calloc(n > 0 ? n : 1, sizeof *sp);
    size_t m = 0;
    if (sp == NULL)
        goto out;
    for (size_t i = 0; i < n; i++) {
        const char *p = paths[i];
        if (strcmp(p, "-") == 0 || *p == '\0' || is_special(p))
            continue;
        const char *slash = strrchr(p, '/');
        sp[m].dir = slash == NULL ? strdup(".")
                    : slash == p  ? strdup("/")
                                  : strndup(p, (size_t)(slash - p));
        sp[m].base = slash == NULL ? p : slash + 1;
        if (sp[m].dir == NULL)
            goto out;
        if (*sp[m].base == '\0') {
            free(sp[m].dir);
            continue;
        }
        m++;
    }
    qsort(sp, m, sizeof *sp, split_cmp);
    for (size_t lo = 0, hi; lo < m; lo = hi) {
        for (hi = lo + 1; hi < m && strcmp(sp[hi].dir, sp[lo].dir) == 0; hi++)
            ;
        DIR *d = opendir(sp[lo].dir);
        if (d == NULL)
            continue;
        struct dirent *e;
        char base[NAME_MAX + 1];
        while ((e = readdir(d)) != NULL) {
            size_t len = strlen(e->d_name), k;
            if (len <= SUFFIX || len - SUFFIX > NAME_MAX ||
                memcmp(e->d_name + len - SUFFIX, tmp_tag, TAG) != 0)
                continue;
            for (k = len - 6; k < len; k++) {
                char c = e->d_name[k];
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
                      (c >= 'A' && c <= 'Z')))
                    break;
            }
            if (k < len)
                continue;
            memcpy(base, e->d_name, len - SUFFIX);
            base[len - SUFFIX] = '\0';
            if (bsearch(base, &sp[lo], hi - lo, sizeof *sp, base_cmp) != NULL)
                remove_if_unlocked(dirfd(d), e->d_name);
        }
        closedir(d);
    }
out:
    for (size_t i = 0; i < m; i++)
        free(sp[i].dir);
    free(sp);
    errno = saved;
}

/* All of buf to fd; 0, or ZK_EIO with errno (EIO for a write of nothing). */
static int write_fd(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, buf, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            return ZK_EIO;
        }
        buf += w;
        len -= (size_t)w;
    }
    return 0;
}

/* Write len bytes of buf into the special file path; 0 or ZK_EIO (errno). */
static int write_in_place(const char *path, const char *buf, size_t len)
{
    int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return ZK_EIO;
    if (write_fd(fd, buf, len) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return ZK_EIO;
    }
    return close(fd) == 0 ? 0 : ZK_EIO;
}

int cli_write_all(size_t n, const char *const paths[], const char *const bufs[],
                  const size_t lens[])
{
    return cli_write_all_mode(n, paths, bufs, lens, NULL);
}

int cli_write_all_mode(size_t n, const char *const paths[], const char *const bufs[],
                       const size_t lens[], const unsigned modes[])
{
    zk_atomic_file **f = calloc(n > 0 ? n : 1, sizeof *f);
    char *special = calloc(n > 0 ? n : 1, 1);
    if (f == NULL || special == NULL) {
        free(f);
        free(special);
        return cli_oom();
    }
    int rc = 0, status = CLI_OK;
    size_t i;
    for (i = 0; i < n && rc == 0; i++) {
        if (strcmp(paths[i], "-") == 0 || (special[i] = (char)is_special(paths[i])))
            continue;
        rc = open_locked(&f[i], paths[i], modes != NULL ? modes[i] : 0644);
        if (rc != 0) {
            status = cli_file_error(paths[i], rc, "cannot create");
            break;
        }
        FILE *fp = zk_atomic_stream(f[i]);
        /* a file of secrets (no access for others) goes straight from the
         * caller's buffer to the file: no stdio buffer to free unwiped */
        if (modes != NULL && (modes[i] & 077) == 0)
            (void)setvbuf(fp, NULL, _IONBF, 0);
        if (fwrite(bufs[i], 1, lens[i], fp) != lens[i] || fflush(fp) != 0) {
            rc = ZK_EIO;
            status = cli_file_error(paths[i], rc, "cannot write");
        }
    }
    /* devices and FIFOs before the renames: a failure there (ENOSPC of
     * /dev/full) leaves no file */
    for (i = 0; i < n && rc == 0; i++) {
        if (!special[i])
            continue;
        if ((rc = write_in_place(paths[i], bufs[i], lens[i])) != 0)
            status = cli_file_error(paths[i], rc, "cannot write");
    }
    free(special);
    /* commit all, or abort all */
    for (i = 0; i < n; i++) {
        if (f[i] == NULL)
            continue;
        if (rc == 0) {
            const char *p = paths[i];
            rc = zk_atomic_commit(f[i]);
            if (rc != 0)
                status = cli_file_error(p, rc, "cannot write");
        } else {
            zk_atomic_abort(f[i]);
        }
    }
    free(f);
    if (rc == 0)
        cli_remove_stale(n, paths);
    for (i = 0; i < n && rc == 0; i++) {
        if (strcmp(paths[i], "-") != 0)
            continue;
        int secret = modes != NULL && (modes[i] & 077) == 0;
        if (secret ? fflush(stdout) != 0 || write_fd(STDOUT_FILENO, bufs[i], lens[i]) != 0 ||
                         write_fd(STDOUT_FILENO, "\n", 1) != 0
                   : fwrite(bufs[i], 1, lens[i], stdout) != lens[i] || putchar('\n') == EOF ||
                         fflush(stdout) != 0) {
            rc = ZK_EIO;
            status = cli_file_error("(stdout)", rc, "cannot write");
        }
    }
    return rc == 0 ? CLI_OK : status;
}
