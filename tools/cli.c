/*
 * cli.c -- what the zk-* tools share (cli.h).
 */
#include "cli.h"

#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "io/atomic.h"
#include "util/err.h"

static const char *prog_name = "zkpar";

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
}

const char *cli_prog(void)
{
    return prog_name;
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", prog_name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cli_file_error(const char *path, int rc, const char *what)
{
    int saved = errno;
    const char *name = strcmp(path, "-") == 0 ? "(stdin)" : path;
    if (rc == ZK_EIO && saved != 0)
        cli_error("%s: %s: %s", name, what, strerror(saved));
    else
        cli_error("%s: %s: %s", name, what, zk_strerror(rc));
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
    default:
        return CLI_USAGE;
    }
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
    default:
        return CLI_MINE;
    }
}

void cli_version(void)
{
    printf("%s (zkpar) %s\n", prog_name, PACKAGE_VERSION);
}

zk_pool *cli_pool(const cli_opts *o)
{
    zk_pool *p;
    int rc = zk_pool_new(&p, o->threads);
    if (rc != 0) {
        cli_error("cannot start %u threads: %s", o->threads, zk_strerror(rc));
        return NULL;
    }
    return p;
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
    if (o != NULL && o->progress)
        fprintf(stderr, "%s: %-10s %8.3f s\n", prog_name, phase, seconds);
}

json_t *cli_json_read(const char *path)
{
    json_error_t e;
    json_t *j;
    if (strcmp(path, "-") == 0)
        j = json_loadf(stdin, JSON_REJECT_DUPLICATES, &e);
    else
        j = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
    if (j == NULL) {
        const char *name = strcmp(path, "-") == 0 ? "(stdin)" : path;
        if (e.line <= 0)
            cli_error("%s: %s", name, e.text);
        else
            cli_error("%s: line %d column %d: %s", name, e.line, e.column, e.text);
    }
    return j;
}

int cli_read_stdin(uint8_t **buf, size_t *len)
{
    size_t cap = 1 << 16, n = 0;
    uint8_t *b = malloc(cap);
    *buf = NULL;
    *len = 0;
    if (b == NULL) {
        cli_error("out of memory");
        return ZK_ENOMEM;
    }
    for (;;) {
        if (n == cap) {
            uint8_t *t = cap <= SIZE_MAX / 2 ? realloc(b, cap * 2) : NULL;
            if (t == NULL) {
                free(b);
                cli_error("(stdin): out of memory");
                return ZK_ENOMEM;
            }
            b = t;
            cap *= 2;
        }
        size_t k = fread(b + n, 1, cap - n, stdin);
        n += k;
        if (k == 0) {
            if (ferror(stdin)) {
                int saved = errno;
                free(b);
                errno = saved;
                cli_file_error("-", ZK_EIO, "cannot read");
                return ZK_EIO;
            }
            break;
        }
    }
    *buf = b;
    *len = n;
    return 0;
}

char *cli_json_dump(const json_t *j)
{
    return json_dumps(j, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
}

int cli_write_all(size_t n, const char *const paths[], const char *const bufs[],
                  const size_t lens[])
{
    zk_atomic_file **f = calloc(n > 0 ? n : 1, sizeof *f);
    if (f == NULL) {
        cli_error("out of memory");
        return ZK_ENOMEM;
    }
    int rc = 0;
    size_t i;
    for (i = 0; i < n && rc == 0; i++) {
        if (strcmp(paths[i], "-") == 0)
            continue;
        rc = zk_atomic_open(&f[i], paths[i]);
        if (rc != 0) {
            cli_file_error(paths[i], rc, "cannot create");
            break;
        }
        FILE *fp = zk_atomic_stream(f[i]);
        if (fwrite(bufs[i], 1, lens[i], fp) != lens[i] || fflush(fp) != 0) {
            rc = ZK_EIO;
            cli_file_error(paths[i], rc, "cannot write");
        }
    }
    /* commit all, or abort all */
    for (i = 0; i < n; i++) {
        if (f[i] == NULL)
            continue;
        if (rc == 0) {
            const char *p = paths[i];
            rc = zk_atomic_commit(f[i]);
            if (rc != 0)
                cli_file_error(p, rc, "cannot write");
        } else {
            zk_atomic_abort(f[i]);
        }
    }
    free(f);
    for (i = 0; i < n && rc == 0; i++) {
        if (strcmp(paths[i], "-") != 0)
            continue;
        if (fwrite(bufs[i], 1, lens[i], stdout) != lens[i] || putchar('\n') == EOF ||
            fflush(stdout) != 0) {
            rc = ZK_EIO;
            cli_file_error("(stdout)", rc, "cannot write");
        }
    }
    return rc;
}
