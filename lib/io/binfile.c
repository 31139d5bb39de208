/*
 * binfile.c -- the iden3 binary container (see binfile.h).
 *
 * Format source: iden3/binfileutils src/binfileutils.js (readBinFile,
 * startWriteSection/endWriteSection).  We are stricter than it: version 0,
 * overrunning sections and trailing bytes are errors, and the whole table
 * is validated before any section is used.
 */
#include "io/binfile.h"
#include "io/atomic.h"
#include "field/constants.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define ZK_BIN_HEADER 12u  /* magic, u32 version, u32 nSections */
#define ZK_BIN_SECHDR 12u  /* u32 type, u64 size */

typedef struct {
    uint32_t type;
    uint64_t off;   /* payload offset from the start of the file */
    uint64_t size;
} zk_binsec;

struct zk_binfile {
    const uint8_t *base;
    size_t len;
    enum { ZK_BIN_BORROWED, ZK_BIN_MAPPED, ZK_BIN_MALLOCED } kind;
    uint32_t version;
    uint32_t nsec;
    zk_binsec *sec;
};

uint32_t zk_load_u32_le(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

uint64_t zk_load_u64_le(const uint8_t *p)
{
    return (uint64_t)zk_load_u32_le(p) | (uint64_t)zk_load_u32_le(p + 4) << 32;
}

static void store_u32_le(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void store_u64_le(uint8_t *p, uint64_t v)
{
    store_u32_le(p, (uint32_t)v);
    store_u32_le(p + 4, (uint32_t)(v >> 32));
}

/* Validate f->base[0..len) and build the section table. */
static int parse(zk_binfile *f, const char magic[4], uint32_t max_version)
{
    const uint8_t *b = f->base;
    size_t len = f->len;

    if (len < ZK_BIN_HEADER)
        /* A 0..3 byte file cannot even show its magic: call it truncated.
         * With the magic present but wrong, prefer ZK_EFORMAT. */
        return (len >= 4 && memcmp(b, magic, 4) != 0) ? ZK_EFORMAT
                                                       : ZK_EENCODING;
    if (memcmp(b, magic, 4) != 0)
        return ZK_EFORMAT;
    f->version = zk_load_u32_le(b + 4);
    if (f->version == 0 || f->version > max_version)
        return ZK_EFORMAT;
    uint32_t n = zk_load_u32_le(b + 8);
    /* Each section needs at least its 12-byte header: this bounds the
     * allocation by the file size, whatever nSections claims. */
    if (n > (len - ZK_BIN_HEADER) / ZK_BIN_SECHDR)
        return ZK_EENCODING;
    if (n > 0) {
        f->sec = malloc((size_t)n * sizeof *f->sec);
        if (!f->sec)
            return ZK_ENOMEM;
    }
    size_t pos = ZK_BIN_HEADER;
    for (uint32_t i = 0; i < n; i++) {
        if (len - pos < ZK_BIN_SECHDR)
            return ZK_EENCODING;
        uint32_t type = zk_load_u32_le(b + pos);
        uint64_t size = zk_load_u64_le(b + pos + 4);
        pos += ZK_BIN_SECHDR;
        if (size > (uint64_t)(len - pos))
            return ZK_EENCODING;
        f->sec[i].type = type;
        f->sec[i].off = pos;
        f->sec[i].size = size;
        pos += (size_t)size;
        f->nsec = i + 1;
    }
    if (pos != len)
        return ZK_EENCODING;  /* trailing garbage */
    return ZK_OK;
}

static void binfile_free(zk_binfile *f)
{
    if (!f)
        return;
    if (f->kind == ZK_BIN_MAPPED && f->len > 0)
        munmap((void *)f->base, f->len);
    else if (f->kind == ZK_BIN_MALLOCED)
        free((void *)f->base);
    free(f->sec);
    free(f);
}

void zk_binfile_close(zk_binfile *f)
{
    binfile_free(f);
}

static int finish_open(zk_binfile **out, zk_binfile *f, const char magic[4],
                       uint32_t max_version)
{
    int rc = parse(f, magic, max_version);
    if (rc != ZK_OK) {
        int saved = errno;
        binfile_free(f);
        errno = saved;
        return rc;
    }
    *out = f;
    return ZK_OK;
}

int zk_binfile_open_mem(zk_binfile **out, const uint8_t *data, size_t len,
                        const char magic[4], uint32_t max_version)
{
    if (!out)
        return ZK_EINVAL;
    *out = NULL;
    if ((!data && len > 0) || !magic)
        return ZK_EINVAL;
    zk_binfile *f = calloc(1, sizeof *f);
    if (!f)
        return ZK_ENOMEM;
    f->kind = ZK_BIN_BORROWED;
    f->base = data;
    f->len = len;
    return finish_open(out, f, magic, max_version);
}

/* Read all of fd into a malloc'ed buffer (pipes, devices). */
static int slurp(int fd, uint8_t **buf, size_t *len)
{
    size_t cap = 0, n = 0;
    uint8_t *b = NULL;
    for (;;) {
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 65536;
            if (ncap < cap) {
                free(b);
                return ZK_ENOMEM;
            }
            uint8_t *nb = realloc(b, ncap);
            if (!nb) {
                free(b);
                return ZK_ENOMEM;
            }
            b = nb;
            cap = ncap;
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
    return ZK_OK;
}

int zk_binfile_open(zk_binfile **out, const char *path, const char magic[4],
                    uint32_t max_version)
{
    if (!out)
        return ZK_EINVAL;
    *out = NULL;
    if (!path || !magic)
        return ZK_EINVAL;

    zk_binfile *f = calloc(1, sizeof *f);
    if (!f)
        return ZK_ENOMEM;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int saved = errno;
        free(f);
        errno = saved;
        return ZK_EIO;
    }
    struct stat st;
    int rc = ZK_OK;
    if (fstat(fd, &st) != 0) {
        rc = ZK_EIO;
    } else if (S_ISREG(st.st_mode)) {
        if ((uint64_t)st.st_size > SIZE_MAX) {
            errno = EFBIG;
            rc = ZK_EIO;
        } else {
            f->kind = ZK_BIN_MAPPED;
            f->len = (size_t)st.st_size;
            if (f->len > 0) {
                void *m = mmap(NULL, f->len, PROT_READ, MAP_PRIVATE, fd, 0);
                if (m == MAP_FAILED) {
                    f->len = 0;
                    rc = ZK_EIO;
                } else {
                    f->base = m;
                }
            }
        }
    } else {
        uint8_t *buf;
        size_t len;
        rc = slurp(fd, &buf, &len);
        if (rc == ZK_OK) {
            f->kind = ZK_BIN_MALLOCED;
            f->base = buf;
            f->len = len;
        }
    }
    int saved = errno;
    close(fd);  /* a mapping outlives its descriptor */
    errno = saved;
    if (rc != ZK_OK) {
        binfile_free(f);
        errno = saved;
        return rc;
    }
    return finish_open(out, f, magic, max_version);
}

uint32_t zk_binfile_nsections(const zk_binfile *f)
{
    return f->nsec;
}

int zk_binfile_section_at(const zk_binfile *f, uint32_t i, uint32_t *type,
                          const uint8_t **data, uint64_t *size)
{
    if (i >= f->nsec) {
        *type = 0;
        *data = NULL;
        *size = 0;
        return ZK_EINVAL;
    }
    *type = f->sec[i].type;
    *data = f->base + f->sec[i].off;
    *size = f->sec[i].size;
    return ZK_OK;
}

uint32_t zk_binfile_version(const zk_binfile *f)
{
    return f->version;
}

int zk_binfile_section(const zk_binfile *f, uint32_t type,
                       const uint8_t **data, uint64_t *size)
{
    if (data)
        *data = NULL;
    if (size)
        *size = 0;
    if (!f || !data || !size)
        return ZK_EINVAL;
    const zk_binsec *found = NULL;
    for (uint32_t i = 0; i < f->nsec; i++) {
        if (f->sec[i].type != type)
            continue;
        if (found)
            return ZK_EFORMAT;  /* duplicated */
        found = &f->sec[i];
    }
    if (!found)
        return ZK_EFORMAT;  /* missing */
    *data = f->base + found->off;
    *size = found->size;
    return ZK_OK;
}

/* ---------------------------------------------------------------- writing */

struct zk_binwriter {
    zk_atomic_file *af;
    FILE *fp;           /* zk_atomic_stream(af) */
    uint32_t nsections;
    uint32_t written;   /* sections begun so far */
    int open;           /* a section is open */
    off_t size_pos;     /* offset of the open section's u64 size */
    int err;            /* sticky error */
};

void zk_binwriter_abort(zk_binwriter *w)
{
    if (!w)
        return;
    zk_atomic_abort(w->af);
    free(w);
}

static int put(zk_binwriter *w, const void *p, size_t n)
{
    if (n > 0 && fwrite(p, 1, n, w->fp) != n)
        return w->err = ZK_EIO;
    return ZK_OK;
}

int zk_binwriter_begin(zk_binwriter **out, const char *path,
                       const char magic[4], uint32_t version,
                       uint32_t nsections)
{
    if (!out)
        return ZK_EINVAL;
    *out = NULL;
    if (!path || !magic || !*path)
        return ZK_EINVAL;
    zk_binwriter *w = calloc(1, sizeof *w);
    if (!w)
        return ZK_ENOMEM;
    int rc = zk_atomic_open(&w->af, path);
    if (rc != ZK_OK) {
        int saved = errno;
        free(w);
        errno = saved;
        return rc;
    }
    w->fp = zk_atomic_stream(w->af);
    w->nsections = nsections;

    uint8_t hdr[ZK_BIN_HEADER];
    memcpy(hdr, magic, 4);
    store_u32_le(hdr + 4, version);
    store_u32_le(hdr + 8, nsections);
    if (put(w, hdr, sizeof hdr) != ZK_OK) {
        zk_binwriter_abort(w);
        return ZK_EIO;
    }
    *out = w;
    return ZK_OK;
}

int zk_binwriter_section_begin(zk_binwriter *w, uint32_t type)
{
    if (!w)
        return ZK_EINVAL;
    if (w->err)
        return w->err;
    if (w->open || w->written >= w->nsections)
        return w->err = ZK_EINVAL;
    uint8_t hdr[ZK_BIN_SECHDR];
    store_u32_le(hdr, type);
    store_u64_le(hdr + 4, 0);  /* patched by section_end */
    off_t pos = ftello(w->fp);
    if (pos < 0)
        return w->err = ZK_EIO;
    if (put(w, hdr, sizeof hdr) != ZK_OK)
        return w->err;
    w->size_pos = pos + 4;
    w->open = 1;
    w->written++;
    return ZK_OK;
}

int zk_binwriter_section_write(zk_binwriter *w, const void *data, size_t len)
{
    if (!w || (!data && len > 0))
        return ZK_EINVAL;
    if (w->err)
        return w->err;
    if (!w->open)
        return w->err = ZK_EINVAL;
    return put(w, data, len);
}

int zk_binwriter_u32(zk_binwriter *w, uint32_t v)
{
    uint8_t b[4];
    store_u32_le(b, v);
    return zk_binwriter_section_write(w, b, sizeof b);
}

int zk_binwriter_u64(zk_binwriter *w, uint64_t v)
{
    uint8_t b[8];
    store_u64_le(b, v);
    return zk_binwriter_section_write(w, b, sizeof b);
}

int zk_binwriter_section_end(zk_binwriter *w)
{
    if (!w)
        return ZK_EINVAL;
    if (w->err)
        return w->err;
    if (!w->open)
        return w->err = ZK_EINVAL;
    off_t end = ftello(w->fp);
    if (end < 0)
        return w->err = ZK_EIO;
    uint8_t b[8];
    store_u64_le(b, (uint64_t)(end - w->size_pos - 8));
    if (fseeko(w->fp, w->size_pos, SEEK_SET) != 0 ||
        fwrite(b, 1, sizeof b, w->fp) != sizeof b ||
        fseeko(w->fp, end, SEEK_SET) != 0)
        return w->err = ZK_EIO;
    w->open = 0;
    return ZK_OK;
}

int zk_binwriter_commit(zk_binwriter *w)
{
    if (!w)
        return ZK_EINVAL;
    int rc = w->err;
    if (rc == ZK_OK && (w->open || w->written != w->nsections))
        rc = ZK_EINVAL;
    if (rc != ZK_OK) {
        zk_binwriter_abort(w);
        return rc;
    }
    rc = zk_atomic_commit(w->af);
    free(w);
    return rc;
}

static void fr_modulus_le(uint8_t out[32])
{
    static const uint64_t r[4] = ZK_FR_MODULUS;
    for (unsigned i = 0; i < 4; i++)
        for (unsigned j = 0; j < 8; j++)
            out[8 * i + j] = (uint8_t)(r[i] >> (8 * j));
}

int zk_binfile_check_fr_prefix(const uint8_t *h, uint64_t hsize, uint64_t size)
{
    uint8_t r[32];
    if (hsize < 4)
        return ZK_EENCODING;
    if (zk_load_u32_le(h) != 32)
        return ZK_EFORMAT; /* a field of another size: not BN254's Fr */
    if (hsize != size || size < ZK_BINFILE_FR_PREFIX)
        return ZK_EENCODING;
    fr_modulus_le(r);
    return memcmp(h + 4, r, sizeof r) == 0 ? ZK_OK : ZK_EFORMAT;
}

int zk_binwriter_fr_prefix(zk_binwriter *w)
{
    uint8_t r[32];
    int rc;
    fr_modulus_le(r);
    if ((rc = zk_binwriter_u32(w, 32)) != ZK_OK)
        return rc;
    return zk_binwriter_section_write(w, r, sizeof r);
}
