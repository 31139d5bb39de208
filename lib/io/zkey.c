/*
 * zkey.c -- snarkjs Groth16 proving keys (see zkey.h).
 *
 * Format source: snarkjs src/zkey_utils.js (readHeaderGroth16, readZKey,
 * readContribution, writeMPCParams) and src/zkey_new.js (the section order
 * of `groth16 setup`); zkey_contribute.js / zkey_beacon.js write sections
 * 1 to 10 in ascending order.
 *
 * Reading: the file is mapped (binfile.c) and every section is checked
 * against the header's counts before anything is allocated.  On a
 * little-endian host a point section whose payload is 8-byte aligned is
 * used where it lies; others are copied into malloc'ed arrays and, for a
 * mapped regular file, the copied pages are handed back to the kernel.
 * Points and coefficients are validated in chunks on the pool; the error
 * reported is the one at the smallest index, whatever the thread count
 * (see run_job).
 */
#include "io/zkey.h"
#include "field/constants.h"
#include "io/binfile.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

_Static_assert(sizeof(zk_fp) == 32, "zk_fp is 4 limbs");
_Static_assert(sizeof(zk_g1) == 64, "zk_g1 is x, y");
_Static_assert(sizeof(zk_g2) == 128, "zk_g2 is x, y over Fp2");

/* The in-place load relies on the file's byte image being the struct's. */
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ZKEY_LE_HOST 1
#else
#define ZKEY_LE_HOST 0
#endif

enum {
    SEC_PROTOCOL = 1, SEC_HEADER = 2, SEC_IC = 3, SEC_COEFS = 4, SEC_A = 5,
    SEC_B1 = 6, SEC_B2 = 7, SEC_C = 8, SEC_H = 9, SEC_MPC = 10, NSEC = 10
};

#define G1_BYTES 64u
#define G2_BYTES 128u
#define COEF_BYTES 44u           /* u32 matrix, row, wire; 32-byte value */
#define HEADER_BYTES 660u        /* section 2, see zkey.h */
#define HDR_POINTS 84u           /* offset of alpha1 in section 2 */
#define CONTRIB_FIXED 392u       /* 3 G1 + G2 + transcript + type + len */
#define NAME_MAX_BYTES (sizeof(((zk_zkey_contribution *)0)->name) - 1)

/* The order of `snarkjs groth16 setup` (zkey_new.js); keys with
 * contributions are rewritten by snarkjs in ascending order. */
static const uint8_t ORDER_SETUP[NSEC] = {1, 2, 4, 3, 9, 8, 5, 6, 7, 10};
static const uint8_t ORDER_ASCENDING[NSEC] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

static const uint64_t Q_LIMBS[4] = ZK_FP_MODULUS;
static const uint64_t R2_LIMBS[4] = ZK_FR_R2;

/* The owned side of a key. */
enum { OWN_IC, OWN_COEFS, OWN_A, OWN_B1, OWN_B2, OWN_C, OWN_H, OWN_CONTRIB, NOWN };

typedef struct {
    zk_binfile *file;   /* kept while an array points into it */
    void *owned[NOWN];  /* malloc'ed arrays (NULL: none or in place) */
    int vk_only;
    int release;        /* in-place sections are in a mapped regular file */
    const uint8_t *sec[NSEC + 1];  /* section payloads in the file */
    uint64_t size[NSEC + 1];
    int have_order;     /* order[] is the file's section order */
    uint8_t order[NSEC];
} zkey_priv;

/* ------------------------------------------------------------ helpers */

static void limbs_to_le(uint8_t out[32], const uint64_t l[4])
{
    for (int i = 0; i < 4; i++)
        for (int k = 0; k < 8; k++)
            out[8 * i + k] = (uint8_t)(l[i] >> (8 * k));
}

/* nlimbs 64-bit little-endian words from src into dst. */
static void load_limbs(uint64_t *dst, const uint8_t *src, size_t nlimbs)
{
#if ZKEY_LE_HOST
    memcpy(dst, src, nlimbs * 8);
#else
    for (size_t i = 0; i < nlimbs; i++)
        dst[i] = zk_load_u64_le(src + 8 * i);
#endif
}

static int lt_q(const zk_fp *a)
{
    for (int i = 3; i >= 0; i--)
        if (a->l[i] != Q_LIMBS[i])
            return a->l[i] < Q_LIMBS[i];
    return 0;
}

static int check_g1(const zk_g1 *p)
{
    if (!lt_q(&p->x) || !lt_q(&p->y))
        return ZK_ERANGE;
    return zk_g1_is_on_curve(p) ? ZK_OK : ZK_ENOTONCURVE;
}

static int check_g2(const zk_g2 *p, int subgroup)
{
    if (!lt_q(&p->x.c0) || !lt_q(&p->x.c1) || !lt_q(&p->y.c0) ||
        !lt_q(&p->y.c1))
        return ZK_ERANGE;
    if (!zk_g2_is_on_curve(p))
        return ZK_ENOTONCURVE;
    if (subgroup && !zk_g2_in_subgroup(p))
        return ZK_ENOTINGROUP;
    return ZK_OK;
}

/* One point from the file (header, section 10): G2 always in G2. */
static int read_g1(zk_g1 *r, const uint8_t *b)
{
    load_limbs((uint64_t *)(void *)r, b, 8);
    return check_g1(r);
}

static int read_g2(zk_g2 *r, const uint8_t *b)
{
    load_limbs((uint64_t *)(void *)r, b, 16);
    return check_g2(r, 1);
}

/* Overflow-checked a * b for sizes. */
static int mul_size(size_t *r, size_t a, size_t b)
{
    if (b != 0 && a > SIZE_MAX / b)
        return ZK_ENOMEM;
    *r = a * b;
    return ZK_OK;
}

/* Error report: *where / *index of zk_zkey_read. */
typedef struct {
    const char **where;
    int64_t *index;
} report;

static int fail(const report *rp, int rc, const char *where, int64_t index)
{
    if (rp->where)
        *rp->where = where;
    if (rp->index)
        *rp->index = index;
    return rc;
}

static const char *section_name(unsigned type)
{
    static const char *const names[NSEC + 1] = {
        "file", "header", "header", "IC", "coefficients", "A", "B1", "B2",
        "C", "H", "contributions" };
    return type <= NSEC ? names[type] : "file";
}

/* ------------------------------------------------- parallel validation */

enum { JOB_G1, JOB_G2, JOB_G2_SUBGROUP, JOB_COEF };

typedef struct {
    unsigned kind;
    const uint8_t *src;     /* the section payload (coefficients: after n) */
    void *dst;              /* == src when in place */
    int copy;               /* convert src into dst before checking */
    size_t n, chunk;
    uint32_t n_vars, domain_size;  /* JOB_COEF */
    atomic_size_t first_bad;       /* smallest failing index seen; n: none */
} job;

static int check_coef(const job *j, size_t i)
{
    const uint8_t *b = j->src + i * COEF_BYTES;
    static const zk_fr raw_one = {{1, 0, 0, 0}};
    zk_zkey_coef tmp;
    zk_zkey_coef *c = j->dst != NULL ? (zk_zkey_coef *)j->dst + i : &tmp;
    zk_fr v;
    c->matrix = zk_load_u32_le(b);
    c->row = zk_load_u32_le(b + 4);
    c->wire = zk_load_u32_le(b + 8);
    if (c->matrix > 1 || c->row >= j->domain_size || c->wire >= j->n_vars)
        return ZK_EENCODING;
    if (zk_fr_from_mont_le(&v, b + 12) != ZK_OK)
        return ZK_ERANGE;
    /* The file holds c R^2 mod r, i.e. the Montgomery form of c R; one
     * Montgomery reduction (a product with the raw integer 1) gives c R,
     * the Montgomery form of c. */
    if (j->dst != NULL)
        zk_fr_mul(&c->value, &v, &raw_one);
    return ZK_OK;
}

static int check_one(const job *j, size_t i)
{
    switch (j->kind) {
    case JOB_G1:
        return check_g1((const zk_g1 *)j->dst + i);
    case JOB_G2:
        return check_g2((const zk_g2 *)j->dst + i, 0);
    case JOB_G2_SUBGROUP:
        return check_g2((const zk_g2 *)j->dst + i, 1);
    default:
        return check_coef(j, i);
    }
}

/* Convert [lo, hi) from src to dst (point jobs that copy). */
static void copy_range(const job *j, size_t lo, size_t hi)
{
    size_t limbs = j->kind == JOB_G1 ? 8 : 16;
    load_limbs((uint64_t *)j->dst + lo * limbs, j->src + lo * limbs * 8,
               (hi - lo) * limbs);
}

/*
 * One chunk.  A chunk stops at its first failure and lowers first_bad to
 * that index.  A chunk is skipped only when first_bad is already below its
 * start, i.e. a failure at a smaller index is known; the chunk holding the
 * smallest failing index is therefore never skipped, and first_bad ends as
 * that index for any thread count and schedule.
 */
static void job_chunk(void *arg, size_t c)
{
    job *j = arg;
    size_t lo = c * j->chunk;
    size_t hi = j->n - lo < j->chunk ? j->n : lo + j->chunk;
    if (atomic_load_explicit(&j->first_bad, memory_order_relaxed) < lo)
        return;
    if (j->copy)
        copy_range(j, lo, hi);
    for (size_t i = lo; i < hi; i++) {
        if (check_one(j, i) == ZK_OK)
            continue;
        size_t cur = atomic_load_explicit(&j->first_bad, memory_order_relaxed);
        while (i < cur && !atomic_compare_exchange_weak(&j->first_bad, &cur, i))
            ;
        return;
    }
}

/* Run j over its n elements; on failure report the smallest failing
 * index (its code is recomputed serially: the check is a pure function
 * of the now converted element). */
static int run_job(job *j, zk_pool *pool, const report *rp, const char *where)
{
    if (j->n == 0)
        return ZK_OK;
    /* At most 65536 chunks, whatever n: nothing per chunk is stored. */
    size_t min_chunk = j->n / 65536 + 1;
    if (j->chunk < min_chunk)
        j->chunk = min_chunk;
    size_t nchunks = (j->n - 1) / j->chunk + 1;
    atomic_init(&j->first_bad, j->n);
    int rc = zk_pool_run(pool, nchunks, job_chunk, j);
    if (rc != ZK_OK)
        return fail(rp, rc, where, -1);
    size_t bad = atomic_load(&j->first_bad);
    if (bad == j->n)
        return ZK_OK;
    return fail(rp, check_one(j, bad), where, (int64_t)bad);
}

/* ------------------------------------------------------------ reading */

typedef struct {
    zk_zkey *z;
    zkey_priv *pv;
    zk_pool *pool;
    const report *rp;
    int release;            /* madvise copied file pages away */
    int any_in_place;
} loader;

/* Give the fully covered pages of [p, p + len) back to the kernel.  Only
 * for a MAP_PRIVATE read-only mapping of a regular file, whose pages are
 * simply read again from the file if touched. */
static void release_pages(const uint8_t *p, size_t len)
{
    long pg = sysconf(_SC_PAGESIZE);
    if (pg <= 0 || len == 0)
        return;
    uintptr_t mask = (uintptr_t)pg - 1;
    uintptr_t b = (uintptr_t)p, e = b + len;
    uintptr_t lo = (b + mask) & ~mask, hi = e & ~mask;
    if (hi > lo)
        (void)madvise((void *)lo, hi - lo, MADV_DONTNEED);
}

/* A point section: in place or copied, then validated. */
static int load_points(loader *ld, void **dst, unsigned own, unsigned type,
                       const uint8_t *data, size_t n, unsigned kind)
{
    size_t esize = kind == JOB_G1 ? G1_BYTES : G2_BYTES;
    const char *where = section_name(type);
    *dst = NULL;
    if (n == 0)
        return ZK_OK;
    job j = { .kind = kind, .src = data, .n = n,
              .chunk = kind == JOB_G1 ? 1024 : kind == JOB_G2 ? 512 : 16 };
    if (ZKEY_LE_HOST && (uintptr_t)data % _Alignof(zk_g1) == 0) {
        j.dst = (void *)(uintptr_t)data;  /* read only: never written */
        ld->any_in_place = 1;
    } else {
        void *buf = malloc(n * esize);  /* n * esize is the section size */
        if (!buf)
            return fail(ld->rp, ZK_ENOMEM, where, -1);
        ld->pv->owned[own] = buf;
        j.dst = buf;
        j.copy = 1;
    }
    *dst = j.dst;
    int rc = run_job(&j, ld->pool, ld->rp, where);
    /* The pages just validated (in place) or copied out are given back:
     * a prover maps a section in again when it uses it, one at a time. */
    if (ld->release)
        release_pages(data, n * esize);
    return rc;
}

static int load_coefs(loader *ld, const uint8_t *data, size_t n, int raw)
{
    zk_zkey *z = ld->z;
    z->coefs = NULL;
    z->coefs_raw = NULL;
    z->n_coefs = n;
    if (n == 0)
        return ZK_OK;
    if (raw) {
        /* validated in place, never converted: the file stays mapped */
        job j = { .kind = JOB_COEF, .src = data + 4, .dst = NULL, .n = n,
                  .chunk = 1024, .n_vars = z->n_vars,
                  .domain_size = z->domain_size };
        z->coefs_raw = data + 4;
        ld->any_in_place = 1;
        int rc = run_job(&j, ld->pool, ld->rp, "coefficients");
        if (ld->release)
            release_pages(data, 4 + n * (size_t)COEF_BYTES);
        return rc;
    }
    z->coefs = malloc(n * sizeof *z->coefs);
    if (!z->coefs)
        return fail(ld->rp, ZK_ENOMEM, "coefficients", -1);
    ld->pv->owned[OWN_COEFS] = z->coefs;
    job j = { .kind = JOB_COEF, .src = data + 4, .dst = z->coefs, .n = n,
              .chunk = 1024, .n_vars = z->n_vars,
              .domain_size = z->domain_size };
    int rc = run_job(&j, ld->pool, ld->rp, "coefficients");
    if (ld->release)
        release_pages(data, 4 + n * (size_t)COEF_BYTES);
    return rc;
}

/* One contribution's parameters (zkey_utils.js readContribution): types
 * strictly increasing, 1 = name (u8 length, bytes), 2 = numIterationsExp
 * (u8), 3 = beacon hash (u8 length, bytes), exactly len bytes in all.
 * Stricter than snarkjs where its writer is: 2 and 3 come together, on a
 * beacon (type 1) only, so that writing reproduces the bytes. */
static int parse_params(zk_zkey_contribution *c, const uint8_t *p, size_t len)
{
    size_t q = 0;
    unsigned last = 0;
    int has_iter = 0, has_hash = 0;
    while (q < len) {
        unsigned t = p[q++];
        if (t <= last)
            return ZK_EENCODING;
        last = t;
        if (q >= len)
            return ZK_EENCODING;
        if (t == 1 || t == 3) {
            size_t l = p[q++];
            if (l > len - q)
                return ZK_EENCODING;
            if (t == 1) {
                if (l > NAME_MAX_BYTES || memchr(p + q, 0, l) != NULL)
                    return ZK_EENCODING;
                memcpy(c->name, p + q, l);
                c->name[l] = '\0';
                c->has_name = 1;
            } else {
                memcpy(c->beacon_hash, p + q, l);
                c->beacon_hash_len = (uint8_t)l;
                has_hash = 1;
            }
            q += l;
        } else if (t == 2) {
            c->num_iterations_exp = p[q++];
            has_iter = 1;
        } else {
            return ZK_EENCODING;
        }
    }
    if (has_iter != has_hash || has_iter != (c->type == 1))
        return ZK_EENCODING;
    return ZK_OK;
}

static int load_contributions(loader *ld, const uint8_t *d, size_t size)
{
    zk_zkey *z = ld->z;
    const report *rp = ld->rp;
    const char *where = "contributions";
    memcpy(z->cs_hash, d, 64);
    uint32_t n = zk_load_u32_le(d + 64);
    /* Bound the allocation by the section size before making it. */
    if (n > (size - 68) / CONTRIB_FIXED)
        return fail(rp, ZK_EENCODING, where, -1);
    z->n_contributions = n;
    if (n == 0)
        return (size == 68) ? ZK_OK : fail(rp, ZK_EENCODING, where, -1);
    z->contributions = calloc(n, sizeof *z->contributions);
    if (!z->contributions)
        return fail(rp, ZK_ENOMEM, where, -1);
    ld->pv->owned[OWN_CONTRIB] = z->contributions;
    size_t pos = 68;
    for (uint32_t i = 0; i < n; i++) {
        zk_zkey_contribution *c = &z->contributions[i];
        const uint8_t *b = d + pos;
        int rc;
        if (size - pos < CONTRIB_FIXED)
            return fail(rp, ZK_EENCODING, where, i);
        if ((rc = read_g1(&c->delta_after, b)) != ZK_OK ||
            (rc = read_g1(&c->g1_s, b + 64)) != ZK_OK ||
            (rc = read_g1(&c->g1_sx, b + 128)) != ZK_OK ||
            (rc = read_g2(&c->g2_spx, b + 192)) != ZK_OK)
            return fail(rp, rc, where, i);
        memcpy(c->transcript, b + 320, 64);
        c->type = zk_load_u32_le(b + 384);
        uint32_t plen = zk_load_u32_le(b + 388);
        pos += CONTRIB_FIXED;
        if (c->type > 1 || plen > size - pos ||
            parse_params(c, d + pos, plen) != ZK_OK)
            return fail(rp, ZK_EENCODING, where, i);
        pos += plen;
    }
    return pos == size ? ZK_OK : fail(rp, ZK_EENCODING, where, -1);
}

/* The header sections 1 and 2 into z; z's arrays untouched. */
static int load_header(zk_zkey *z, const zk_binfile *f, const report *rp)
{
    const uint8_t *d;
    uint64_t size;
    uint8_t q[32];
    int rc;

    if (zk_binfile_section(f, SEC_PROTOCOL, &d, &size) != ZK_OK)
        return fail(rp, ZK_EFORMAT, "header", -1);
    if (size != 4)
        return fail(rp, ZK_EENCODING, "header", -1);
    if (zk_load_u32_le(d) != ZK_ZKEY_PROTOCOL_GROTH16)
        return fail(rp, ZK_EFORMAT, "header", -1);

    if (zk_binfile_section(f, SEC_HEADER, &d, &size) != ZK_OK)
        return fail(rp, ZK_EFORMAT, "header", -1);
    if (size < 4)
        return fail(rp, ZK_EENCODING, "header", -1);
    if (zk_load_u32_le(d) != 32)
        return fail(rp, ZK_EFORMAT, "header", -1);
    if (size < 36)
        return fail(rp, ZK_EENCODING, "header", -1);
    limbs_to_le(q, Q_LIMBS);
    if (memcmp(d + 4, q, 32) != 0)
        return fail(rp, ZK_EFORMAT, "header", -1);
    if ((rc = zk_binfile_check_fr_prefix(d + 36, size - 36,
                                         HEADER_BYTES - 36)) != ZK_OK)
        return fail(rp, rc, "header", -1);

    z->n_vars = zk_load_u32_le(d + 72);
    z->n_public = zk_load_u32_le(d + 76);
    z->domain_size = zk_load_u32_le(d + 80);
    uint32_t ds = z->domain_size;
    if (ds < 2 || (ds & (ds - 1)) != 0 ||
        ds > (UINT32_C(1) << ZK_ZKEY_MAX_LOG_DOMAIN))
        return fail(rp, ZK_EENCODING, "header", -1);
    z->log_domain = 0;
    while ((UINT32_C(1) << z->log_domain) < ds)
        z->log_domain++;
    if (z->n_public >= z->n_vars)
        return fail(rp, ZK_EENCODING, "header", -1);

    /* File order alpha1, beta1, beta2, gamma2, delta1, delta2 = index 0-5. */
    const uint8_t *p = d + HDR_POINTS;
    if ((rc = read_g1(&z->alpha1, p)) != ZK_OK)
        return fail(rp, rc, "header", 0);
    if ((rc = read_g1(&z->beta1, p + 64)) != ZK_OK)
        return fail(rp, rc, "header", 1);
    if ((rc = read_g2(&z->beta2, p + 128)) != ZK_OK)
        return fail(rp, rc, "header", 2);
    if ((rc = read_g2(&z->gamma2, p + 256)) != ZK_OK)
        return fail(rp, rc, "header", 3);
    if ((rc = read_g1(&z->delta1, p + 384)) != ZK_OK)
        return fail(rp, rc, "header", 4);
    if ((rc = read_g2(&z->delta2, p + 448)) != ZK_OK)
        return fail(rp, rc, "header", 5);
    return ZK_OK;
}

static void priv_free(zkey_priv *pv)
{
    if (!pv)
        return;
    for (int i = 0; i < NOWN; i++)
        free(pv->owned[i]);
    zk_binfile_close(pv->file);
    free(pv);
}

/* Load from f, which this takes over (closed here or kept by the key). */
static int load(zk_zkey **out, zk_binfile *f, unsigned flags, zk_pool *pool,
                const report *rp, int release)
{
    const int vk_only = (flags & ZK_ZKEY_VK_ONLY) != 0;
    zk_zkey hdr;
    const uint8_t *sec[NSEC + 1];
    uint64_t size[NSEC + 1];
    int rc;

    memset(&hdr, 0, sizeof hdr);
    if ((rc = load_header(&hdr, f, rp)) != ZK_OK) {
        zk_binfile_close(f);
        return rc;
    }

    /* Every section present once and of the size the counts give, before
     * anything is allocated (uint64: nVars * 128 < 2^39). */
    const uint64_t nv = hdr.n_vars, np = hdr.n_public;
    uint64_t want[NSEC + 1] = {0};
    want[SEC_IC] = (np + 1) * G1_BYTES;
    want[SEC_A] = want[SEC_B1] = nv * G1_BYTES;
    want[SEC_B2] = nv * G2_BYTES;
    want[SEC_C] = (nv - np - 1) * G1_BYTES;
    want[SEC_H] = (uint64_t)hdr.domain_size * G1_BYTES;
    for (unsigned t = SEC_PROTOCOL; t <= NSEC; t++) {
        if (zk_binfile_section(f, t, &sec[t], &size[t]) != ZK_OK) {
            zk_binfile_close(f);
            return fail(rp, ZK_EFORMAT, section_name(t), -1);
        }
        int bad;
        if (t == SEC_COEFS)
            /* Without the payload (VK_ONLY touches no proving page): the
             * shape; with it: the count too. */
            bad = size[t] < 4 || (size[t] - 4) % COEF_BYTES != 0 ||
                  (!vk_only &&
                   zk_load_u32_le(sec[t]) != (size[t] - 4) / COEF_BYTES);
        else if (t == SEC_MPC)
            bad = size[t] < 68;
        else
            bad = t >= SEC_IC && size[t] != want[t];
        if (bad) {
            zk_binfile_close(f);
            return fail(rp, ZK_EENCODING, section_name(t), -1);
        }
    }

    zk_zkey *z = malloc(sizeof *z);
    zkey_priv *pv = calloc(1, sizeof *pv);
    if (!z || !pv) {
        free(z);
        free(pv);
        zk_binfile_close(f);
        return fail(rp, ZK_ENOMEM, "file", -1);
    }
    *z = hdr;
    z->priv_ = pv;
    pv->vk_only = vk_only;
    pv->file = f;
    pv->release = release;
    memcpy(pv->sec, sec, sizeof pv->sec);
    memcpy(pv->size, size, sizeof pv->size);

    /* The file's order of sections 1-10, for a byte-identical write. */
    for (unsigned t = 1; t <= NSEC; t++) {
        unsigned k = 0;
        for (unsigned u = 1; u <= NSEC; u++)
            k += sec[u] < sec[t];
        pv->order[k] = (uint8_t)t;
    }
    pv->have_order = 1;

    loader ld = { .z = z, .pv = pv, .pool = pool, .rp = rp,
                  .release = release };
    void *p;
    rc = load_points(&ld, &p, OWN_IC, SEC_IC, sec[SEC_IC], (size_t)np + 1,
                     JOB_G1);
    z->ic = p;
    if (rc == ZK_OK && !vk_only)
        rc = load_coefs(&ld, sec[SEC_COEFS],
                        (size_t)((size[SEC_COEFS] - 4) / COEF_BYTES),
                        (flags & ZK_ZKEY_RAW_COEFS) != 0);
    if (!vk_only) {
        const unsigned b2kind = (flags & ZK_ZKEY_CHECK_G2) ? JOB_G2_SUBGROUP
                                                           : JOB_G2;
        const struct {
            unsigned type, own, kind;
            size_t n;
        } ps[] = {
            { SEC_A, OWN_A, JOB_G1, (size_t)nv },
            { SEC_B1, OWN_B1, JOB_G1, (size_t)nv },
            { SEC_B2, OWN_B2, b2kind, (size_t)nv },
            { SEC_C, OWN_C, JOB_G1, (size_t)(nv - np - 1) },
            { SEC_H, OWN_H, JOB_G1, (size_t)hdr.domain_size },
        };
        for (size_t k = 0; k < sizeof ps / sizeof ps[0] && rc == ZK_OK; k++) {
            rc = load_points(&ld, &p, ps[k].own, ps[k].type, sec[ps[k].type],
                             ps[k].n, ps[k].kind);
            switch (ps[k].type) {
            case SEC_A: z->a = p; break;
            case SEC_B1: z->b1 = p; break;
            case SEC_B2: z->b2 = p; break;
            case SEC_C: z->c = p; break;
            default: z->h = p; break;
            }
        }
    }
    if (rc == ZK_OK)
        rc = load_contributions(&ld, sec[SEC_MPC], (size_t)size[SEC_MPC]);
    if (rc != ZK_OK) {
        zk_zkey_free(z);
        return rc;
    }
    if (!ld.any_in_place) {
        zk_binfile_close(pv->file);
        pv->file = NULL;
        pv->release = 0;
    }
    *out = z;
    return fail(rp, ZK_OK, NULL, -1);
}

int zk_zkey_read(zk_zkey **out, const char *path, unsigned flags,
                 zk_pool *pool, const char **where, int64_t *index)
{
    report rp = { where, index };
    if (out)
        *out = NULL;
    if (!out || !path || (flags & ~(unsigned)(ZK_ZKEY_VK_ONLY | ZK_ZKEY_CHECK_G2 |
                                              ZK_ZKEY_RAW_COEFS)) != 0)
        return fail(&rp, ZK_EINVAL, "arguments", -1);
    /* binfile.c maps regular files and reads anything else into memory,
     * where MADV_DONTNEED would zero the bytes instead of dropping
     * file pages.  (Were the path swapped for another kind of file
     * between here and the open, only bytes already copied out would be
     * dropped.) */
    struct stat st;
    int release = stat(path, &st) == 0 && S_ISREG(st.st_mode);
    zk_binfile *f;
    int rc = zk_binfile_open(&f, path, "zkey", ZK_ZKEY_VERSION);
    if (rc != ZK_OK)
        return fail(&rp, rc, "file", -1);
    return load(out, f, flags, pool, &rp, release);
}

int zk_zkey_read_mem(zk_zkey **out, const uint8_t *data, size_t len,
                     unsigned flags, zk_pool *pool, const char **where,
                     int64_t *index)
{
    report rp = { where, index };
    if (out)
        *out = NULL;
    if (!out || (!data && len > 0) ||
        (flags & ~(unsigned)(ZK_ZKEY_VK_ONLY | ZK_ZKEY_CHECK_G2)) != 0)
        return fail(&rp, ZK_EINVAL, "arguments", -1);
    zk_binfile *f;
    int rc = zk_binfile_open_mem(&f, data, len, "zkey", ZK_ZKEY_VERSION);
    if (rc != ZK_OK)
        return fail(&rp, rc, "file", -1);
    rc = load(out, f, flags, pool, &rp, 0);
    if (rc == ZK_OK) {
        /* In-place arrays point into the caller's buffer, not into f. */
        zkey_priv *pv = (*out)->priv_;
        zk_binfile_close(pv->file);
        pv->file = NULL;
    }
    return rc;
}

/* ------------------------------------------------------------ writing */

/* A key whose arrays are all there (not VK_ONLY) and whose counts agree. */
static int key_complete(const zk_zkey *z)
{
    const zkey_priv *pv = z->priv_;
    if (pv && pv->vk_only)
        return 0;
    if (z->n_public >= z->n_vars || z->log_domain < 1 ||
        z->log_domain > ZK_ZKEY_MAX_LOG_DOMAIN ||
        z->domain_size != UINT32_C(1) << z->log_domain ||
        z->n_coefs > UINT32_MAX)
        return 0;
    return z->ic && z->a && z->b1 && z->b2 && z->h &&
           (z->c || z->n_vars - z->n_public - 1 == 0) &&
           (z->coefs || z->coefs_raw || z->n_coefs == 0) &&
           (z->contributions || z->n_contributions == 0);
}

#define WBUF 8192

static int write_g1s(zk_binwriter *w, const zk_g1 *p, size_t n)
{
    uint8_t buf[WBUF];
    int rc = ZK_OK;
    for (size_t i = 0; i < n && rc == ZK_OK;) {
        size_t k = 0;
        for (; k < WBUF / G1_BYTES && i < n; k++, i++)
            zk_g1_to_iden3(buf + k * G1_BYTES, &p[i]);
        rc = zk_binwriter_section_write(w, buf, k * G1_BYTES);
    }
    return rc;
}

static int write_g2s(zk_binwriter *w, const zk_g2 *p, size_t n)
{
    uint8_t buf[WBUF];
    int rc = ZK_OK;
    for (size_t i = 0; i < n && rc == ZK_OK;) {
        size_t k = 0;
        for (; k < WBUF / G2_BYTES && i < n; k++, i++)
            zk_g2_to_iden3(buf + k * G2_BYTES, &p[i]);
        rc = zk_binwriter_section_write(w, buf, k * G2_BYTES);
    }
    return rc;
}

static void store_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static int write_coefs(zk_binwriter *w, const zk_zkey *z)
{
    const zk_fr r2 = {{R2_LIMBS[0], R2_LIMBS[1], R2_LIMBS[2], R2_LIMBS[3]}};
    uint8_t buf[WBUF];
    int rc = zk_binwriter_u32(w, (uint32_t)z->n_coefs);
    if (z->coefs == NULL) /* ZK_ZKEY_RAW_COEFS: the file's own records */
        return rc == ZK_OK && z->n_coefs > 0
                   ? zk_binwriter_section_write(w, z->coefs_raw, z->n_coefs * COEF_BYTES)
                   : rc;
    for (size_t i = 0; i < z->n_coefs && rc == ZK_OK;) {
        size_t k = 0;
        for (; k < WBUF / COEF_BYTES && i < z->n_coefs; k++, i++) {
            const zk_zkey_coef *c = &z->coefs[i];
            uint8_t *b = buf + k * COEF_BYTES;
            zk_fr t;
            store_u32(b, c->matrix);
            store_u32(b + 4, c->row);
            store_u32(b + 8, c->wire);
            /* Montgomery product with R^2 (raw): c R -> c R^2. */
            zk_fr_mul(&t, &c->value, &r2);
            zk_fr_to_mont_le(b + 12, &t);
        }
        rc = zk_binwriter_section_write(w, buf, k * COEF_BYTES);
    }
    return rc;
}

static int write_contribution(zk_binwriter *w, const zk_zkey_contribution *c)
{
    uint8_t fixed[CONTRIB_FIXED];
    uint8_t params[2 + NAME_MAX_BYTES + 4 + 255];
    size_t pl = 0;
    zk_g1_to_iden3(fixed, &c->delta_after);
    zk_g1_to_iden3(fixed + 64, &c->g1_s);
    zk_g1_to_iden3(fixed + 128, &c->g1_sx);
    zk_g2_to_iden3(fixed + 192, &c->g2_spx);
    memcpy(fixed + 320, c->transcript, 64);
    store_u32(fixed + 384, c->type);
    if (c->has_name) {
        size_t l = strnlen(c->name, sizeof c->name);
        params[pl++] = 1;
        params[pl++] = (uint8_t)l;
        memcpy(params + pl, c->name, l);
        pl += l;
    }
    if (c->type == 1) {
        params[pl++] = 2;
        params[pl++] = c->num_iterations_exp;
        params[pl++] = 3;
        params[pl++] = c->beacon_hash_len;
        memcpy(params + pl, c->beacon_hash, c->beacon_hash_len);
        pl += c->beacon_hash_len;
    }
    store_u32(fixed + 388, (uint32_t)pl);
    int rc = zk_binwriter_section_write(w, fixed, sizeof fixed);
    if (rc == ZK_OK)
        rc = zk_binwriter_section_write(w, params, pl);
    return rc;
}

static int write_section(zk_binwriter *w, const zk_zkey *z, unsigned t)
{
    uint8_t b[HEADER_BYTES];
    int rc;
    switch (t) {
    case SEC_PROTOCOL:
        return zk_binwriter_u32(w, ZK_ZKEY_PROTOCOL_GROTH16);
    case SEC_HEADER:
        store_u32(b, 32);
        limbs_to_le(b + 4, Q_LIMBS);
        if ((rc = zk_binwriter_section_write(w, b, 36)) != ZK_OK ||
            (rc = zk_binwriter_fr_prefix(w)) != ZK_OK)
            return rc;
        store_u32(b + 72, z->n_vars);
        store_u32(b + 76, z->n_public);
        store_u32(b + 80, z->domain_size);
        zk_g1_to_iden3(b + HDR_POINTS, &z->alpha1);
        zk_g1_to_iden3(b + HDR_POINTS + 64, &z->beta1);
        zk_g2_to_iden3(b + HDR_POINTS + 128, &z->beta2);
        zk_g2_to_iden3(b + HDR_POINTS + 256, &z->gamma2);
        zk_g1_to_iden3(b + HDR_POINTS + 384, &z->delta1);
        zk_g2_to_iden3(b + HDR_POINTS + 448, &z->delta2);
        return zk_binwriter_section_write(w, b + 72, HEADER_BYTES - 72);
    case SEC_IC:
        return write_g1s(w, z->ic, (size_t)z->n_public + 1);
    case SEC_COEFS:
        return write_coefs(w, z);
    case SEC_A:
        return write_g1s(w, z->a, z->n_vars);
    case SEC_B1:
        return write_g1s(w, z->b1, z->n_vars);
    case SEC_B2:
        return write_g2s(w, z->b2, z->n_vars);
    case SEC_C:
        return write_g1s(w, z->c, (size_t)(z->n_vars - z->n_public - 1));
    case SEC_H:
        return write_g1s(w, z->h, z->domain_size);
    default:
        if ((rc = zk_binwriter_section_write(w, z->cs_hash, 64)) != ZK_OK ||
            (rc = zk_binwriter_u32(w, z->n_contributions)) != ZK_OK)
            return rc;
        for (uint32_t i = 0; i < z->n_contributions && rc == ZK_OK; i++)
            rc = write_contribution(w, &z->contributions[i]);
        return rc;
    }
}

int zk_zkey_write(const char *path, const zk_zkey *z)
{
    if (!path || !z || !key_complete(z))
        return ZK_EINVAL;
    for (uint32_t i = 0; i < z->n_contributions; i++) {
        const zk_zkey_contribution *c = &z->contributions[i];
        if (c->type > 1 || memchr(c->name, 0, sizeof c->name) == NULL)
            return ZK_EINVAL;
    }
    /* A key read from a file keeps that file's order; a built one gets
     * the order snarkjs would write it in. */
    const zkey_priv *pv = z->priv_;
    const uint8_t *order = pv && pv->have_order ? pv->order
                           : z->n_contributions == 0 ? ORDER_SETUP
                                                     : ORDER_ASCENDING;
    zk_binwriter *w;
    int rc = zk_binwriter_begin(&w, path, "zkey", ZK_ZKEY_VERSION, NSEC);
    if (rc != ZK_OK)
        return rc;
    for (unsigned k = 0; k < NSEC && rc == ZK_OK; k++) {
        if ((rc = zk_binwriter_section_begin(w, order[k])) == ZK_OK &&
            (rc = write_section(w, z, order[k])) == ZK_OK)
            rc = zk_binwriter_section_end(w);
    }
    if (rc != ZK_OK) {
        zk_binwriter_abort(w);
        return rc;
    }
    return zk_binwriter_commit(w);
}

/* ------------------------------------------------- allocation and copy */

/* malloc(n * esize) into *dst and pv->owned[own]; NULL for n == 0. */
static int alloc_array(void **dst, zkey_priv *pv, unsigned own, size_t n,
                       size_t esize, int zero)
{
    size_t bytes;
    *dst = NULL;
    if (n == 0)
        return ZK_OK;
    if (mul_size(&bytes, n, esize) != ZK_OK)
        return ZK_ENOMEM;
    *dst = zero ? calloc(n, esize) : malloc(bytes);
    if (!*dst)
        return ZK_ENOMEM;
    pv->owned[own] = *dst;
    return ZK_OK;
}

int zk_zkey_alloc(zk_zkey **out, uint32_t n_vars, uint32_t n_public,
                  uint32_t log_domain, size_t n_coefs,
                  uint32_t n_contributions)
{
    if (!out)
        return ZK_EINVAL;
    *out = NULL;
    if (n_public >= n_vars || log_domain < 1 ||
        log_domain > ZK_ZKEY_MAX_LOG_DOMAIN || n_coefs > UINT32_MAX)
        return ZK_EINVAL;
    zk_zkey *z = calloc(1, sizeof *z);
    zkey_priv *pv = calloc(1, sizeof *pv);
    if (!z || !pv) {
        free(z);
        free(pv);
        return ZK_ENOMEM;
    }
    z->priv_ = pv;
    z->n_vars = n_vars;
    z->n_public = n_public;
    z->log_domain = log_domain;
    z->domain_size = UINT32_C(1) << log_domain;
    z->n_coefs = n_coefs;
    z->n_contributions = n_contributions;
    void *p[NOWN];
    int rc;
    if ((rc = alloc_array(&p[OWN_IC], pv, OWN_IC, (size_t)n_public + 1,
                          sizeof(zk_g1), 0)) != ZK_OK ||
        (rc = alloc_array(&p[OWN_COEFS], pv, OWN_COEFS, n_coefs,
                          sizeof(zk_zkey_coef), 0)) != ZK_OK ||
        (rc = alloc_array(&p[OWN_A], pv, OWN_A, n_vars, sizeof(zk_g1), 0)) !=
            ZK_OK ||
        (rc = alloc_array(&p[OWN_B1], pv, OWN_B1, n_vars, sizeof(zk_g1), 0)) !=
            ZK_OK ||
        (rc = alloc_array(&p[OWN_B2], pv, OWN_B2, n_vars, sizeof(zk_g2), 0)) !=
            ZK_OK ||
        (rc = alloc_array(&p[OWN_C], pv, OWN_C,
                          (size_t)(n_vars - n_public - 1), sizeof(zk_g1),
                          0)) != ZK_OK ||
        (rc = alloc_array(&p[OWN_H], pv, OWN_H, z->domain_size,
                          sizeof(zk_g1), 0)) != ZK_OK ||
        (rc = alloc_array(&p[OWN_CONTRIB], pv, OWN_CONTRIB, n_contributions,
                          sizeof(zk_zkey_contribution), 1)) != ZK_OK) {
        zk_zkey_free(z);
        return rc;
    }
    z->ic = p[OWN_IC];
    z->coefs = p[OWN_COEFS];
    z->a = p[OWN_A];
    z->b1 = p[OWN_B1];
    z->b2 = p[OWN_B2];
    z->c = p[OWN_C];
    z->h = p[OWN_H];
    z->contributions = p[OWN_CONTRIB];
    *out = z;
    return ZK_OK;
}

static void copy_n(void *dst, const void *src, size_t n, size_t esize)
{
    if (n > 0)
        memcpy(dst, src, n * esize);
}

int zk_zkey_clone(zk_zkey **out, const zk_zkey *src)
{
    if (!out)
        return ZK_EINVAL;
    *out = NULL;
    if (!src || !key_complete(src))
        return ZK_EINVAL;
    zk_zkey *z;
    int rc = zk_zkey_alloc(&z, src->n_vars, src->n_public, src->log_domain,
                           src->n_coefs, src->n_contributions);
    if (rc != ZK_OK)
        return rc;
    z->alpha1 = src->alpha1;
    z->beta1 = src->beta1;
    z->delta1 = src->delta1;
    z->beta2 = src->beta2;
    z->gamma2 = src->gamma2;
    z->delta2 = src->delta2;
    memcpy(z->cs_hash, src->cs_hash, sizeof z->cs_hash);
    const size_t nv = src->n_vars;
    copy_n(z->ic, src->ic, (size_t)src->n_public + 1, sizeof(zk_g1));
    if (src->coefs != NULL) {
        copy_n(z->coefs, src->coefs, src->n_coefs, sizeof(zk_zkey_coef));
    } else if (src->n_coefs > 0) {
        /* convert the raw records (validated when read) */
        job j = { .kind = JOB_COEF, .src = src->coefs_raw, .dst = z->coefs,
                  .n = src->n_coefs, .chunk = src->n_coefs,
                  .n_vars = src->n_vars, .domain_size = src->domain_size };
        for (size_t i = 0; i < src->n_coefs; i++)
            if (check_coef(&j, i) != ZK_OK) {
                zk_zkey_free(z);
                return ZK_EINVAL;
            }
    }
    copy_n(z->a, src->a, nv, sizeof(zk_g1));
    copy_n(z->b1, src->b1, nv, sizeof(zk_g1));
    copy_n(z->b2, src->b2, nv, sizeof(zk_g2));
    copy_n(z->c, src->c, nv - src->n_public - 1, sizeof(zk_g1));
    copy_n(z->h, src->h, src->domain_size, sizeof(zk_g1));
    copy_n(z->contributions, src->contributions, src->n_contributions,
           sizeof(zk_zkey_contribution));
    *out = z;
    return ZK_OK;
}

void zk_zkey_release(const zk_zkey *z, unsigned section)
{
    static const struct { unsigned sec, own; } map[] = {
        { ZK_ZKEY_SEC_COEFS, OWN_COEFS }, { ZK_ZKEY_SEC_A, OWN_A },
        { ZK_ZKEY_SEC_B1, OWN_B1 }, { ZK_ZKEY_SEC_B2, OWN_B2 },
        { ZK_ZKEY_SEC_C, OWN_C }, { ZK_ZKEY_SEC_H, OWN_H },
    };
    if (!z || !z->priv_)
        return;
    const zkey_priv *pv = z->priv_;
    if (!pv->release || !pv->file || pv->vk_only)
        return;
    for (size_t k = 0; k < sizeof map / sizeof map[0]; k++) {
        if (map[k].sec != section)
            continue;
        /* in place: nothing owned, and the key's array is in the file */
        int in_place = pv->owned[map[k].own] == NULL &&
                       (section == ZK_ZKEY_SEC_COEFS ? z->coefs_raw != NULL
                                                     : pv->size[section] > 0);
        if (in_place)
            release_pages(pv->sec[section], (size_t)pv->size[section]);
    }
}

void zk_zkey_free(zk_zkey *z)
{
    if (!z)
        return;
    priv_free(z->priv_);
    free(z);
}
