/*
 * testfile.h -- helpers for unit tests that read and write real files:
 * a private mkdtemp directory (g_dir, tpath, dir_entries, dir_clear),
 * small file utilities (exists, put_file, get_file, read_text,
 * files_equal) and a growable byte buffer (buf_t, bput, bput32, bput64,
 * bfree) for hand-built little-endian files.
 *
 * Header-only: everything is static inline, so a test that uses only
 * some of it gets no unused-function warnings.  Failures bail out
 * through tap.h.  Include after tap.h.
 */
#ifndef ZK_TESTS_UNIT_TESTFILE_H
#define ZK_TESTS_UNIT_TESTFILE_H

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "tap.h"

/* The test's private directory, set by testdir_make(). */
static char g_dir[4096];

/* Create g_dir as $TMPDIR/<prefix>-XXXXXX (default /tmp). */
static inline void testdir_make(const char *prefix)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(g_dir, sizeof g_dir, "%s/%s-XXXXXX",
             tmp && *tmp ? tmp : "/tmp", prefix);
    if (!mkdtemp(g_dir))
        bail_out("mkdtemp: %s", strerror(errno));
}

/* Remove the (already emptied) g_dir. */
static inline void testdir_remove(void)
{
    if (rmdir(g_dir) != 0)
        diag("rmdir %s: %s", g_dir, strerror(errno));
}

/* g_dir/name; the result stays valid for the next 7 calls. */
static inline const char *tpath(const char *name)
{
    static char buf[8][4352];
    static unsigned k;
    char *p = buf[k++ % 8];
    snprintf(p, sizeof buf[0], "%s/%s", g_dir, name);
    return p;
}

/* fn(path/name, ctx) for each entry name of the directory path but . and
 * ..; the OR of fn's results, or -1 when path cannot be read. */
static inline int dir_each_(const char *path, int (*fn)(const char *, void *), void *ctx)
{
    DIR *d = opendir(path);
    if (!d)
        return -1;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        size_t n = strlen(path) + strlen(e->d_name) + 2;
        char *sub = malloc(n);
        if (!sub)
            bail_out("out of memory");
        snprintf(sub, n, "%s/%s", path, e->d_name);
        rc |= fn(sub, ctx);
        free(sub);
    }
    closedir(d);
    return rc;
}

static inline int dir_count_(const char *path, void *ctx)
{
    (void)path;
    ++*(int *)ctx;
    return 0;
}

/* Number of entries in the test directory (excluding . and ..). */
static inline int dir_entries(void)
{
    int n = 0;
    if (dir_each_(g_dir, dir_count_, &n) != 0)
        bail_out("opendir %s: %s", g_dir, strerror(errno));
    return n;
}

/* Remove path and, when it is a directory (not a link to one), everything
 * below it; 0 on success. */
static inline int rm_tree_(const char *path, void *ctx)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return -1;
    if (!S_ISDIR(st.st_mode))
        return unlink(path);
    return dir_each_(path, rm_tree_, ctx) | rmdir(path);
}

/* Remove every entry of the test directory, subdirectories and dot files
 * included; g_dir itself stays (testdir_remove() removes it). */
static inline void dir_clear(void)
{
    if (dir_each_(g_dir, rm_tree_, NULL) != 0)
        diag("could not clear %s", g_dir);
}

static inline int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static inline void put_file(const char *path, const uint8_t *b, size_t n)
{
    FILE *fp = fopen(path, "wb");
    if (!fp || (n > 0 && fwrite(b, 1, n, fp) != n) || fclose(fp) != 0)
        bail_out("cannot write %s", path);
}

/* malloc'ed contents of path; *n its length. */
static inline uint8_t *get_file(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        bail_out("cannot read %s", path);
    size_t cap = 1 << 16, len = 0;
    uint8_t *b = malloc(cap);
    size_t r;
    while (b && (r = fread(b + len, 1, cap - len, fp)) > 0) {
        len += r;
        if (len == cap)
            b = realloc(b, cap *= 2);
    }
    fclose(fp);
    if (!b)
        bail_out("out of memory");
    *n = len;
    return b;
}

/* The contents of path as a malloc'ed NUL-terminated string (a NUL inside
 * the file ends the string early). */
static inline char *read_text(const char *path)
{
    size_t n;
    uint8_t *b = get_file(path, &n);
    char *s = realloc(b, n + 1);
    if (!s)
        bail_out("out of memory");
    s[n] = '\0';
    return s;
}

/* 1 when the files a and b hold the same bytes (both must be readable). */
static inline int files_equal(const char *a, const char *b)
{
    size_t na, nb;
    uint8_t *x = get_file(a, &na), *y = get_file(b, &nb);
    int same = na == nb && memcmp(x, y, na) == 0;
    free(x);
    free(y);
    return same;
}

/* A growable byte buffer for hand-built files; { 0 } is an empty one. */
typedef struct {
    uint8_t *b;
    size_t n, cap;
} buf_t;

static inline void bput(buf_t *s, const void *p, size_t n)
{
    if (s->n + n > s->cap) {
        s->cap = (s->n + n) * 2 + 64;
        s->b = realloc(s->b, s->cap);
        if (!s->b)
            bail_out("out of memory");
    }
    if (n)
        memcpy(s->b + s->n, p, n);
    s->n += n;
}

/* Free s's bytes and leave it empty. */
static inline void bfree(buf_t *s)
{
    free(s->b);
    s->b = NULL;
    s->n = s->cap = 0;
}

/* v as 4 little-endian bytes. */
static inline void bput32(buf_t *s, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
                     (uint8_t)(v >> 24) };
    bput(s, b, 4);
}

/* v as 8 little-endian bytes. */
static inline void bput64(buf_t *s, uint64_t v)
{
    bput32(s, (uint32_t)v);
    bput32(s, (uint32_t)(v >> 32));
}

#endif /* ZK_TESTS_UNIT_TESTFILE_H */
