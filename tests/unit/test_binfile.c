/*
 * test_binfile.c -- the iden3 binary container (lib/io/binfile) and .wtns
 * files (lib/io/wtns): round trips, byte layout, every malformed input we
 * can think of (each with its exact error code), atomic writes, and, when
 * node and snarkjs are installed under tests/interop, interop both ways
 * with snarkjs's own wtns_utils.js.
 *
 * All files live in a mkdtemp directory that is removed at the end.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "field/fp.h"
#include "field/fr.h"
#include "io/binfile.h"
#include "io/wtns.h"
#include "tap.h"
#include "testfile.h"
#include "testnode.h"
#include "util/err.h"

/* ------------------------------------------------------------ helpers */

static void bsection(buf_t *s, uint32_t type, const buf_t *payload)
{
    bput32(s, type);
    bput64(s, payload->n);
    bput(s, payload->b, payload->n);
}

/* r and p as 32 little-endian bytes (r-1 and p-1 end in an even byte). */
static void r_le(uint8_t out[32])
{
    zk_fr m1, one;
    zk_fr_one(&one);
    zk_fr_neg(&m1, &one);
    zk_fr_to_bytes_le(out, &m1);
    out[0]++;
}

static void p_le(uint8_t out[32])
{
    zk_fp m1, one;
    zk_fp_one(&one);
    zk_fp_neg(&m1, &one);
    zk_fp_to_bytes_le(out, &m1);
    out[0]++;
}

/* Knobs for a hand-built .wtns file; wtns_spec_default() gives a valid one
 * with `count` values 0, 1, 2, ... */
typedef struct {
    char magic[4];
    uint32_t version;
    uint32_t n8;
    uint8_t prime[32];
    uint32_t nwitness;        /* as written in the header */
    uint32_t count;           /* values actually written */
    int value_is_r;           /* value 0 := r */
    int omit_header, omit_values, dup_values, reverse, extra_unknown;
} wtns_spec;

static wtns_spec wtns_spec_default(uint32_t count)
{
    wtns_spec s;
    memset(&s, 0, sizeof s);
    memcpy(s.magic, "wtns", 4);
    s.version = 2;
    s.n8 = 32;
    r_le(s.prime);
    s.nwitness = s.count = count;
    return s;
}

static buf_t wtns_build(const wtns_spec *s)
{
    buf_t hdr = { 0 }, val = { 0 }, out = { 0 }, unk = { 0 };
    bput32(&hdr, s->n8);
    bput(&hdr, s->prime, s->n8 <= 32 ? s->n8 : 32);
    for (uint32_t i = 32; i < s->n8; i++)
        bput(&hdr, "", 1);
    bput32(&hdr, s->nwitness);
    for (uint32_t i = 0; i < s->count; i++) {
        uint8_t v[64] = { 0 };
        if (i == 0 && s->value_is_r)
            r_le(v);
        else
            v[0] = (uint8_t)i, v[1] = (uint8_t)(i >> 8);
        bput(&val, v, s->n8 <= 64 ? s->n8 : 64);
    }
    bput(&unk, "hello", 5);
    uint32_t nsec = (uint32_t)(!s->omit_header + !s->omit_values +
                               !!s->dup_values + !!s->extra_unknown);
    bput(&out, s->magic, 4);
    bput32(&out, s->version);
    bput32(&out, nsec);
    if (s->extra_unknown)
        bsection(&out, 7, &unk);
    if (s->reverse) {
        if (!s->omit_values)
            bsection(&out, 2, &val);
        if (!s->omit_header)
            bsection(&out, 1, &hdr);
    } else {
        if (!s->omit_header)
            bsection(&out, 1, &hdr);
        if (!s->omit_values)
            bsection(&out, 2, &val);
    }
    if (s->dup_values)
        bsection(&out, 2, &val);
    free(hdr.b);
    free(val.b);
    free(unk.b);
    return out;
}

/* Write the spec'd file and read it back; returns zk_wtns_read's code, or
 * -1000 when it failed without clearing its outputs. */
static int wtns_try(const wtns_spec *s)
{
    buf_t b = wtns_build(s);
    const char *path = tpath("bad.wtns");
    put_file(path, b.b, b.n);
    free(b.b);
    zk_fr *v = (zk_fr *)1;
    size_t n = 99;
    int rc = zk_wtns_read(&v, &n, path);
    if (rc != ZK_OK && (v != NULL || n != 0)) {
        diag("outputs not cleared on error %d", rc);
        rc = -1000;  /* fails the caller's is_int */
    }
    free(rc == ZK_OK ? v : NULL);
    unlink(path);
    return rc;
}

/* --------------------------------------------------------------- tests */

static int fr_arr_eq(const zk_fr *a, const zk_fr *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!zk_fr_eq(&a[i], &b[i]))
            return 0;
    return 1;
}

static void test_roundtrip(size_t n)
{
    zk_fr *in = calloc(n ? n : 1, sizeof *in);
    if (!in)
        bail_out("out of memory");
    for (size_t i = 0; i < n; i++) {
        if (i == 0)
            zk_fr_zero(&in[i]);
        else if (i == 1 || n == 1) {
            zk_fr one;
            zk_fr_one(&one);
            zk_fr_neg(&in[i], &one);  /* r - 1 */
        } else if (i == 2)
            zk_fr_one(&in[i]);
        else
            zk_fr_random(&in[i]);
    }
    if (n == 1) {  /* the single value: r - 1 */
        zk_fr one;
        zk_fr_one(&one);
        zk_fr_neg(&in[0], &one);
    }
    const char *path = tpath("rt.wtns");
    int rc = zk_wtns_write(path, in, n);
    is_int(rc, ZK_OK, "wtns round trip n=%zu: write", n);
    is_int(dir_entries(), 1, "n=%zu: only the final file exists (no temp)",
           n);

    /* Byte layout (snarkjs wtns_utils.js write): header, then values. */
    size_t len;
    uint8_t *raw = get_file(path, &len);
    uint8_t r[32];
    r_le(r);
    int layout = len == 12 + 12 + 40 + 12 + 32 * n &&
                 memcmp(raw, "wtns", 4) == 0 &&
                 zk_load_u32_le(raw + 4) == 2 &&
                 zk_load_u32_le(raw + 8) == 2 &&
                 zk_load_u32_le(raw + 12) == 1 &&
                 zk_load_u64_le(raw + 16) == 40 &&
                 zk_load_u32_le(raw + 24) == 32 &&
                 memcmp(raw + 28, r, 32) == 0 &&
                 zk_load_u32_le(raw + 60) == n &&
                 zk_load_u32_le(raw + 64) == 2 &&
                 zk_load_u64_le(raw + 68) == 32 * (uint64_t)n;
    for (size_t i = 0; layout && i < n; i++) {
        uint8_t e[32];
        zk_fr_to_bytes_le(e, &in[i]);  /* standard form, not Montgomery */
        layout = memcmp(raw + 76 + 32 * i, e, 32) == 0;
    }
    if (layout && n >= 3) {  /* 1 is stored as 01 00 .. 00 */
        static const uint8_t one_le[32] = { 1 };
        layout = memcmp(raw + 76 + 64, one_le, 32) == 0;
    }
    ok(layout, "n=%zu: byte layout is magic/2/2, [1:40] n8 r n, [2:32n] "
               "standard-form LE values", n);
    free(raw);

    zk_fr *out = NULL;
    size_t m = 12345;
    rc = zk_wtns_read(&out, &m, path);
    ok(rc == ZK_OK && m == n && (n == 0 ? out == NULL : fr_arr_eq(in, out, n)),
       "n=%zu: read back equals what was written (rc %d)", n, rc);
    free(out);
    free(in);
    dir_clear();
}

static void test_truncations(void)
{
    wtns_spec s = wtns_spec_default(3);
    buf_t b = wtns_build(&s);
    const char *path = tpath("trunc.wtns");
    int all_file = 1, all_mem = 1;
    for (size_t len = 0; len < b.n; len++) {
        put_file(path, b.b, len);
        zk_fr *v = NULL;
        size_t n = 0;
        int rc = zk_wtns_read(&v, &n, path);
        if (rc != ZK_EENCODING || v != NULL || n != 0) {
            diag("file truncated to %zu of %zu bytes: rc %d", len, b.n, rc);
            all_file = 0;
        }
        /* Exact-sized heap copy: ASan catches any read past the end. */
        uint8_t *copy = malloc(len ? len : 1);
        memcpy(copy, b.b, len);
        zk_binfile *f = NULL;
        rc = zk_binfile_open_mem(&f, copy, len, "wtns", 2);
        if (rc != ZK_EENCODING || f != NULL) {
            diag("buffer truncated to %zu bytes: rc %d", len, rc);
            all_mem = 0;
        }
        zk_binfile_close(f);
        free(copy);
    }
    ok(all_file, "every truncation 0..%zu of a 3-value wtns file gives "
                 "ZK_EENCODING", b.n - 1);
    ok(all_mem, "every truncated in-memory buffer gives ZK_EENCODING");

    put_file(path, b.b, b.n);
    FILE *fp = fopen(path, "ab");
    fputc(0, fp);
    fclose(fp);
    zk_fr *v = NULL;
    size_t n = 0;
    is_int(zk_wtns_read(&v, &n, path), ZK_EENCODING,
           "one trailing byte: ZK_EENCODING");
    unlink(path);
    free(b.b);
}

static void test_bad_wtns(void)
{
    wtns_spec s;

    s = wtns_spec_default(2);
    is_int(wtns_try(&s), ZK_OK, "hand-built valid file reads");
    s.reverse = 1;
    s.extra_unknown = 1;
    is_int(wtns_try(&s), ZK_OK,
           "sections in any order plus an unknown section: accepted");

    s = wtns_spec_default(2);
    memcpy(s.magic, "wtnx", 4);
    is_int(wtns_try(&s), ZK_EFORMAT, "wrong magic: ZK_EFORMAT");
    memcpy(s.magic, "zkey", 4);
    is_int(wtns_try(&s), ZK_EFORMAT, "a zkey magic: ZK_EFORMAT");

    s = wtns_spec_default(2);
    s.version = 3;
    is_int(wtns_try(&s), ZK_EFORMAT, "version 3: ZK_EFORMAT");
    s.version = 0;
    is_int(wtns_try(&s), ZK_EFORMAT, "version 0: ZK_EFORMAT");
    s.version = 1;
    is_int(wtns_try(&s), ZK_EFORMAT, "version 1 (older layout): ZK_EFORMAT");

    s = wtns_spec_default(2);
    p_le(s.prime);
    is_int(wtns_try(&s), ZK_EFORMAT, "prime p instead of r: ZK_EFORMAT");

    s = wtns_spec_default(2);
    s.n8 = 31;
    is_int(wtns_try(&s), ZK_EFORMAT, "n8 = 31 (consistent sizes): ZK_EFORMAT");
    s.n8 = 64;
    is_int(wtns_try(&s), ZK_EFORMAT, "n8 = 64: ZK_EFORMAT");

    s = wtns_spec_default(2);
    s.nwitness = 3;
    is_int(wtns_try(&s), ZK_EENCODING,
           "nWitness larger than the values section: ZK_EENCODING");
    s.nwitness = UINT32_MAX;
    is_int(wtns_try(&s), ZK_EENCODING,
           "nWitness = 2^32-1 with 2 values: ZK_EENCODING");
    s.nwitness = 1;
    is_int(wtns_try(&s), ZK_EENCODING,
           "nWitness smaller than the values section: ZK_EENCODING");

    s = wtns_spec_default(3);
    s.value_is_r = 1;
    is_int(wtns_try(&s), ZK_ERANGE, "a value equal to r: ZK_ERANGE");

    s = wtns_spec_default(2);
    s.omit_values = 1;
    is_int(wtns_try(&s), ZK_EFORMAT, "missing values section: ZK_EFORMAT");
    s = wtns_spec_default(2);
    s.omit_header = 1;
    is_int(wtns_try(&s), ZK_EFORMAT, "missing header section: ZK_EFORMAT");
    s = wtns_spec_default(2);
    s.dup_values = 1;
    is_int(wtns_try(&s), ZK_EFORMAT, "duplicated values section: ZK_EFORMAT");

    /* Header section of the wrong size (n8 right, one extra byte). */
    {
        buf_t out = { 0 }, hdr = { 0 }, val = { 0 };
        uint8_t r[32];
        r_le(r);
        bput32(&hdr, 32);
        bput(&hdr, r, 32);
        bput32(&hdr, 0);
        bput(&hdr, "", 1);
        bput(&out, "wtns", 4);
        bput32(&out, 2);
        bput32(&out, 2);
        bsection(&out, 1, &hdr);
        bsection(&out, 2, &val);
        put_file(tpath("h.wtns"), out.b, out.n);
        zk_fr *v;
        size_t n;
        is_int(zk_wtns_read(&v, &n, tpath("h.wtns")), ZK_EENCODING,
               "header section of 41 bytes: ZK_EENCODING");
        unlink(tpath("h.wtns"));
        free(out.b);
        free(hdr.b);
        free(val.b);
    }

    /* Section size fields that would overflow a naive pos + size. */
    {
        buf_t out = { 0 };
        bput(&out, "wtns", 4);
        bput32(&out, 2);
        bput32(&out, 1);
        bput32(&out, 1);
        bput64(&out, UINT64_MAX);
        bput(&out, "abcd", 4);
        zk_binfile *f = NULL;
        is_int(zk_binfile_open_mem(&f, out.b, out.n, "wtns", 2), ZK_EENCODING,
               "section size 2^64-1: ZK_EENCODING");
        zk_binfile_close(f);
        free(out.b);

        out = (buf_t){ 0 };
        bput(&out, "wtns", 4);
        bput32(&out, 2);
        bput32(&out, UINT32_MAX);
        bput32(&out, 1);
        bput64(&out, 0);
        f = NULL;
        is_int(zk_binfile_open_mem(&f, out.b, out.n, "wtns", 2), ZK_EENCODING,
               "nSections 2^32-1 in a 24-byte file: ZK_EENCODING");
        zk_binfile_close(f);
        free(out.b);
    }
    is_int(dir_entries(), 0, "negative tests leave no files behind");
}

static void test_binfile_api(void)
{
    /* A generic container: sections 5 (3 bytes), 9 (empty), 5 again. */
    buf_t out = { 0 };
    bput(&out, "test", 4);
    bput32(&out, 7);
    bput32(&out, 3);
    bput32(&out, 5);
    bput64(&out, 3);
    bput(&out, "xyz", 3);
    bput32(&out, 9);
    bput64(&out, 0);
    bput32(&out, 4);
    bput64(&out, 2);
    bput(&out, "ab", 2);
    put_file(tpath("g.bin"), out.b, out.n);

    zk_binfile *f = NULL;
    int rc = zk_binfile_open(&f, tpath("g.bin"), "test", 7);
    is_int(rc, ZK_OK, "generic container opens with max_version = version");
    if (rc == ZK_OK) {
        const uint8_t *d;
        uint64_t sz;
        is_int(zk_binfile_version(f), 7, "version reported");
        rc = zk_binfile_section(f, 5, &d, &sz);
        ok(rc == ZK_OK && sz == 3 && memcmp(d, "xyz", 3) == 0,
           "section 5 found with its payload");
        rc = zk_binfile_section(f, 9, &d, &sz);
        ok(rc == ZK_OK && sz == 0, "empty section 9 found, size 0");
        rc = zk_binfile_section(f, 4, &d, &sz);
        ok(rc == ZK_OK && sz == 2 && memcmp(d, "ab", 2) == 0,
           "section 4 found");
        /* the table in file order */
        uint32_t type;
        is_int((int)zk_binfile_nsections(f), 3, "nsections = 3");
        rc = zk_binfile_section_at(f, 0, &type, &d, &sz);
        ok(rc == ZK_OK && type == 5 && sz == 3 && memcmp(d, "xyz", 3) == 0,
           "section_at(0): type 5, its payload");
        rc = zk_binfile_section_at(f, 1, &type, &d, &sz);
        ok(rc == ZK_OK && type == 9 && sz == 0, "section_at(1): type 9, empty");
        rc = zk_binfile_section_at(f, 2, &type, &d, &sz);
        ok(rc == ZK_OK && type == 4 && sz == 2 && memcmp(d, "ab", 2) == 0,
           "section_at(2): type 4");
        rc = zk_binfile_section_at(f, 3, &type, &d, &sz);
        ok(rc == ZK_EINVAL && type == 0 && d == NULL && sz == 0,
           "section_at(3): ZK_EINVAL, outputs cleared");
        d = (const uint8_t *)"junk";
        sz = 77;
        rc = zk_binfile_section(f, 6, &d, &sz);
        ok(rc == ZK_EFORMAT && d == NULL && sz == 0,
           "missing section: ZK_EFORMAT, outputs cleared");
    } else {
        skip(5, "container did not open");
    }
    zk_binfile_close(f);
    zk_binfile_close(NULL);

    f = (zk_binfile *)1;
    is_int(zk_binfile_open(&f, tpath("g.bin"), "test", 6), ZK_EFORMAT,
           "version 7 with max_version 6: ZK_EFORMAT");
    ok(f == NULL, "*out is NULL on error");

    /* Read through a FIFO: the non-mmap path. */
    const char *fifo = tpath("fifo");
    if (mkfifo(fifo, 0600) != 0) {
        skip(1, "mkfifo failed: %s", strerror(errno));
    } else {
        pid_t pid = fork();
        if (pid == 0) {
            int fd = open(fifo, O_WRONLY);
            size_t off = 0;
            while (fd >= 0 && off < out.n) {
                ssize_t w = write(fd, out.b + off, out.n - off);
                if (w <= 0)
                    break;
                off += (size_t)w;
            }
            _exit(0);
        }
        f = NULL;
        rc = zk_binfile_open(&f, fifo, "test", 7);
        const uint8_t *d = NULL;
        uint64_t sz = 0;
        int rc2 = rc == ZK_OK ? zk_binfile_section(f, 4, &d, &sz) : rc;
        ok(rc == ZK_OK && rc2 == ZK_OK && sz == 2 && memcmp(d, "ab", 2) == 0,
           "container read through a FIFO (read() fallback), rc %d", rc);
        zk_binfile_close(f);
        if (pid > 0)
            waitpid(pid, NULL, 0);
        unlink(fifo);
    }
    free(out.b);

    /* Short files and a wrong magic in a short file. */
    put_file(tpath("s.bin"), (const uint8_t *)"tes", 3);
    f = NULL;
    is_int(zk_binfile_open(&f, tpath("s.bin"), "test", 7), ZK_EENCODING,
           "3-byte file: ZK_EENCODING");
    put_file(tpath("s.bin"), (const uint8_t *)"nope\1\0\0", 7);
    is_int(zk_binfile_open(&f, tpath("s.bin"), "test", 7), ZK_EFORMAT,
           "7-byte file with a wrong magic: ZK_EFORMAT");
    put_file(tpath("s.bin"), (const uint8_t *)"test\1\0\0\0\0\0\0\0", 12);
    rc = zk_binfile_open(&f, tpath("s.bin"), "test", 7);
    is_int(rc, ZK_OK, "12-byte file with zero sections opens");
    zk_binfile_close(f);
    dir_clear();
}

static void test_io_errors(void)
{
    zk_fr *v = (zk_fr *)1;
    size_t n = 5;
    errno = 0;
    int rc = zk_wtns_read(&v, &n, tpath("does-not-exist.wtns"));
    ok(rc == ZK_EIO && errno == ENOENT && v == NULL && n == 0,
       "nonexistent path: ZK_EIO, errno ENOENT, outputs cleared");

    zk_fr one;
    zk_fr_one(&one);
    rc = zk_wtns_write(tpath("no-such-dir/x.wtns"), &one, 1);
    is_int(rc, ZK_EIO, "write into a missing directory: ZK_EIO");
    is_int(dir_entries(), 0, "  and nothing is created");

    /* Writer abort mid-section leaves nothing. */
    zk_binwriter *w = NULL;
    rc = zk_binwriter_begin(&w, tpath("a.wtns"), "wtns", 2, 2);
    int ok1 = rc == ZK_OK && zk_binwriter_section_begin(w, 1) == ZK_OK &&
              zk_binwriter_u32(w, 32) == ZK_OK && dir_entries() == 1;
    zk_binwriter_abort(w);
    ok(ok1 && dir_entries() == 0,
       "writer abort mid-section removes the temporary file");
    zk_binwriter_abort(NULL);

    /* Commit with fewer sections than announced: ZK_EINVAL, nothing left,
     * and an existing file under the final name keeps its contents. */
    put_file(tpath("keep.wtns"), (const uint8_t *)"old", 3);
    w = NULL;
    rc = zk_binwriter_begin(&w, tpath("keep.wtns"), "wtns", 2, 2);
    if (rc == ZK_OK && zk_binwriter_section_begin(w, 1) == ZK_OK &&
        zk_binwriter_section_end(w) == ZK_OK) {
        rc = zk_binwriter_commit(w);
    } else {
        zk_binwriter_abort(w);
        rc = 1;
    }
    size_t len;
    uint8_t *old = get_file(tpath("keep.wtns"), &len);
    ok(rc == ZK_EINVAL && dir_entries() == 1 && len == 3 &&
           memcmp(old, "old", 3) == 0,
       "commit with a missing section: ZK_EINVAL, temp removed, old file "
       "intact");
    free(old);

    /* Calls out of order are ZK_EINVAL and sticky. */
    w = NULL;
    rc = zk_binwriter_begin(&w, tpath("o.bin"), "test", 1, 1);
    int e1 = rc == ZK_OK ? zk_binwriter_u32(w, 1) : 0;
    int e2 = rc == ZK_OK ? zk_binwriter_section_begin(w, 1) : 0;
    int e3 = rc == ZK_OK ? zk_binwriter_commit(w) : 0;
    ok(rc == ZK_OK && e1 == ZK_EINVAL && e2 == ZK_EINVAL && e3 == ZK_EINVAL &&
           !exists(tpath("o.bin")) && dir_entries() == 1,
       "write outside a section: ZK_EINVAL, sticky through commit, no file");

    /* Too many sections. */
    w = NULL;
    rc = zk_binwriter_begin(&w, tpath("o.bin"), "test", 1, 1);
    e1 = rc == ZK_OK ? zk_binwriter_section_begin(w, 1) : 1;
    e2 = rc == ZK_OK ? zk_binwriter_section_end(w) : 1;
    e3 = rc == ZK_OK ? zk_binwriter_section_begin(w, 2) : 1;
    zk_binwriter_abort(w);
    ok(e1 == ZK_OK && e2 == ZK_OK && e3 == ZK_EINVAL && dir_entries() == 1,
       "a section beyond nsections: ZK_EINVAL");

    /* wtns_write replaces an existing file atomically. */
    rc = zk_wtns_write(tpath("keep.wtns"), &one, 1);
    zk_fr *back = NULL;
    size_t m = 0;
    int rc2 = zk_wtns_read(&back, &m, tpath("keep.wtns"));
    ok(rc == ZK_OK && rc2 == ZK_OK && m == 1 && zk_fr_is_one(&back[0]) &&
           dir_entries() == 1,
       "zk_wtns_write replaces an existing file");
    free(back);

    struct stat st;
    ok(stat(tpath("keep.wtns"), &st) == 0 && (st.st_mode & 0777) == 0644,
       "committed file has mode 0644");
    dir_clear();
}

/* ------------------------------------------------- snarkjs interop */

static void test_interop(void)
{
    const char *nm = interop_dir("snarkjs/src/wtns_utils.js");
    if (!nm) {
        skip(3, "%s", interop_why());
        return;
    }
    /* Known values: 1, 0, r-1, 2^200+12345, and one random element. */
    zk_fr vals[5];
    zk_fr_one(&vals[0]);
    zk_fr_zero(&vals[1]);
    zk_fr_neg(&vals[2], &vals[0]);
    if (zk_fr_from_hex(&vals[3], "0x10000000000000000000000000000000000"
                                 "00000000000003039") != ZK_OK)
        bail_out("from_hex");
    zk_fr_random(&vals[4]);
    char dec[5][ZK_FR_DEC_MAX];
    for (int i = 0; i < 5; i++)
        zk_fr_to_dec(dec[i], &vals[i]);

    /* snarkjs writes, we read. */
    int st = node_mjs(
        "jsw", "",
        "import * as w from \"%s/snarkjs/src/wtns_utils.js\";\n"
        "import * as b from \"%s/@iden3/binfileutils/src/binfileutils.js\";\n"
        "const r = 218882428718392752222464057452572750885483644004160343"
        "43698204186575808495617n;\n"
        "const fd = await b.createBinFile(\"%s\", \"wtns\", 2, 2);\n"
        "await w.write(fd, [%sn, %sn, %sn, %sn, %sn], r);\n"
        "await fd.close();\n",
        nm, nm, tpath("js.wtns"), dec[0], dec[1], dec[2], dec[3], dec[4]);
    if (st != 0)
        diag_file("jsw.err", 2000);
    zk_fr *got = NULL;
    size_t n = 0;
    int rc = st == 0 ? zk_wtns_read(&got, &n, tpath("js.wtns")) : -100;
    ok(rc == ZK_OK && n == 5 && fr_arr_eq(got, vals, 5),
       "a .wtns written by snarkjs wtns_utils.write reads back equal "
       "(node status %d, rc %d)", st, rc);
    free(got);

    /* We write, snarkjs reads (wtns_utils.read: magic, version <= 2,
     * unique sections, exact section sizes). */
    rc = zk_wtns_write(tpath("c.wtns"), vals, 5);
    st = rc == ZK_OK ? node_mjs("jsr", "",
                                "import * as w from \"%s/snarkjs/src/wtns_utils.js\";\n"
                                "const v = await w.read(\"%s\");\n"
                                "console.log(v.map(String).join(\"\\n\"));\n",
                                nm, tpath("c.wtns"))
                     : -1;
    int same = 0;
    if (st == 0) {
        size_t len;
        uint8_t *txt = get_file(tpath("jsr.out"), &len);
        char expect[5 * ZK_FR_DEC_MAX + 8] = "";
        for (int i = 0; i < 5; i++) {
            strcat(expect, dec[i]);
            strcat(expect, "\n");
        }
        same = len == strlen(expect) && memcmp(txt, expect, len) == 0;
        free(txt);
    }
    ok(same, "snarkjs wtns_utils.read of our file gives the same decimals "
             "(rc %d, node status %d)", rc, st);

    /* Byte-identical files from both writers. */
    size_t l1, l2;
    uint8_t *a = get_file(tpath("js.wtns"), &l1);
    uint8_t *b = get_file(tpath("c.wtns"), &l2);
    ok(l1 == l2 && memcmp(a, b, l1) == 0,
       "our .wtns is byte-identical to snarkjs's for the same values");
    free(a);
    free(b);
    dir_clear();
}

int main(void)
{
    testdir_make("zkpar-binfile");

    test_roundtrip(0);
    test_roundtrip(1);
    test_roundtrip(1000);
    test_truncations();
    test_bad_wtns();
    test_binfile_api();
    test_io_errors();
    test_interop();

    dir_clear();
    testdir_remove();
    return done_testing();
}
