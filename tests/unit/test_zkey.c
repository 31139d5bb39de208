/*
 * test_zkey.c -- snarkjs Groth16 proving keys (lib/io/zkey): allocation,
 * write/read round trips of a built key (in place and copied sections,
 * snarkjs's section orders), every malformed input with its exact code,
 * *where and *index, the same answers with 1 and 2 threads, and, when node
 * and tests/interop/node_modules are installed, keys made by snarkjs
 * (groth16 setup, zkey contribute, zkey beacon) read, compared with
 * `snarkjs zkey export json` and with the .r1cs they came from, and
 * written back byte for byte.
 *
 * Mutations are made on a model of the container (tfile below, an
 * encoder independent of lib/io/binfile.c), in memory and on files in a
 * mkdtemp directory that is removed at the end.
 */
#include <jansson.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "curve/g1.h"
#include "curve/g2.h"
#include "field/fp.h"
#include "field/fr.h"
#include "io/r1cs.h"
#include "io/zkey.h"
#include "tap.h"
#include "testfile.h"
#include "testnode.h"
#include "util/err.h"
#include "util/pool.h"

/* ------------------------------------------------------------ helpers */

/* Only a little-endian host can use the file's bytes as zk_g1 / zk_g2. */
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define LE_HOST 1
#else
#define LE_HOST 0
#endif

static zk_pool *g_pool2;
/* What *out must not be left pointing at after a failure. */
static zk_zkey g_sentinel;

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* A modulus m as 32 little-endian bytes: (m - 1) + 1. */
static void fp_modulus_le(uint8_t out[32])
{
    zk_fp m1;
    zk_fp_one(&m1);
    zk_fp_neg(&m1, &m1);
    zk_fp_to_bytes_le(out, &m1);
    for (int i = 0; i < 32 && ++out[i] == 0; i++)
        ;
}

static void fr_modulus_le(uint8_t out[32])
{
    zk_fr m1;
    zk_fr_one(&m1);
    zk_fr_neg(&m1, &m1);
    zk_fr_to_bytes_le(out, &m1);
    for (int i = 0; i < 32 && ++out[i] == 0; i++)
        ;
}

static zk_fr fr_u64(uint64_t v)
{
    zk_fr x;
    zk_fr_set_u64(&x, v);
    return x;
}

static zk_fr fr_neg_u64(uint64_t v)
{
    zk_fr x = fr_u64(v);
    zk_fr_neg(&x, &x);
    return x;
}

/* out[i] = [start + i] G1 for i < n (start 0 gives infinity first). */
static void g1_mults(zk_g1 *out, size_t n, uint64_t start)
{
    zk_g1 g;
    zk_g1j gj, p;
    zk_fr k = fr_u64(start);
    zk_g1j *tmp = malloc((n ? n : 1) * sizeof *tmp);
    if (!tmp)
        bail_out("oom");
    zk_g1_generator(&g);
    zk_g1j_from_affine(&gj, &g);
    zk_g1j_mul_var(&p, &gj, &k);
    for (size_t i = 0; i < n; i++) {
        tmp[i] = p;
        zk_g1j_add_affine(&p, &p, &g);
    }
    if (zk_g1j_batch_to_affine(out, tmp, n) != ZK_OK)
        bail_out("batch_to_affine");
    free(tmp);
}

static void g2_mults(zk_g2 *out, size_t n, uint64_t start)
{
    zk_g2 g;
    zk_g2j gj, p;
    zk_fr k = fr_u64(start);
    zk_g2j *tmp = malloc((n ? n : 1) * sizeof *tmp);
    if (!tmp)
        bail_out("oom");
    zk_g2_generator(&g);
    zk_g2j_from_affine(&gj, &g);
    zk_g2j_mul_var(&p, &gj, &k);
    for (size_t i = 0; i < n; i++) {
        tmp[i] = p;
        zk_g2j_add_affine(&p, &p, &g);
    }
    if (zk_g2j_batch_to_affine(out, tmp, n) != ZK_OK)
        bail_out("batch_to_affine");
    free(tmp);
}

static zk_g1 g1_mul(uint64_t k)
{
    zk_g1 r;
    g1_mults(&r, 1, k);
    return r;
}

static zk_g2 g2_mul(uint64_t k)
{
    zk_g2 r;
    g2_mults(&r, 1, k);
    return r;
}

static int contrib_eq(const zk_zkey_contribution *a,
                      const zk_zkey_contribution *b)
{
    return zk_g1_eq(&a->delta_after, &b->delta_after) &&
           zk_g1_eq(&a->g1_s, &b->g1_s) && zk_g1_eq(&a->g1_sx, &b->g1_sx) &&
           zk_g2_eq(&a->g2_spx, &b->g2_spx) &&
           memcmp(a->transcript, b->transcript, 64) == 0 &&
           a->type == b->type && a->has_name == b->has_name &&
           strcmp(a->name, b->name) == 0 &&
           a->num_iterations_exp == b->num_iterations_exp &&
           a->beacon_hash_len == b->beacon_hash_len &&
           memcmp(a->beacon_hash, b->beacon_hash, a->beacon_hash_len) == 0;
}

static int arr_eq(const void *a, const void *b, size_t n, size_t esize)
{
    if (n == 0)
        return 1;
    return a && b && memcmp(a, b, n * esize) == 0;
}

/* Header, IC and section 10 equal. */
static int vk_part_eq(const zk_zkey *a, const zk_zkey *b)
{
    if (a->n_vars != b->n_vars || a->n_public != b->n_public ||
        a->domain_size != b->domain_size || a->log_domain != b->log_domain ||
        !zk_g1_eq(&a->alpha1, &b->alpha1) || !zk_g1_eq(&a->beta1, &b->beta1) ||
        !zk_g1_eq(&a->delta1, &b->delta1) || !zk_g2_eq(&a->beta2, &b->beta2) ||
        !zk_g2_eq(&a->gamma2, &b->gamma2) || !zk_g2_eq(&a->delta2, &b->delta2) ||
        !arr_eq(a->ic, b->ic, (size_t)a->n_public + 1, sizeof(zk_g1)) ||
        memcmp(a->cs_hash, b->cs_hash, 64) != 0 ||
        a->n_contributions != b->n_contributions)
        return 0;
    for (uint32_t i = 0; i < a->n_contributions; i++)
        if (!contrib_eq(&a->contributions[i], &b->contributions[i]))
            return 0;
    return 1;
}

static int coefs_eq(const zk_zkey *a, const zk_zkey *b)
{
    if (a->n_coefs != b->n_coefs)
        return 0;
    for (size_t i = 0; i < a->n_coefs; i++) {
        const zk_zkey_coef *x = &a->coefs[i], *y = &b->coefs[i];
        if (x->matrix != y->matrix || x->row != y->row ||
            x->wire != y->wire || !zk_fr_eq(&x->value, &y->value))
            return 0;
    }
    return 1;
}

static int key_eq(const zk_zkey *a, const zk_zkey *b)
{
    size_t nv = a->n_vars;
    return vk_part_eq(a, b) && coefs_eq(a, b) &&
           arr_eq(a->a, b->a, nv, sizeof(zk_g1)) &&
           arr_eq(a->b1, b->b1, nv, sizeof(zk_g1)) &&
           arr_eq(a->b2, b->b2, nv, sizeof(zk_g2)) &&
           arr_eq(a->c, b->c, nv - a->n_public - 1, sizeof(zk_g1)) &&
           arr_eq(a->h, b->h, a->domain_size, sizeof(zk_g1));
}

static int in_buf(const void *p, const uint8_t *b, size_t n)
{
    return (const uint8_t *)p >= b && (const uint8_t *)p < b + n;
}

/*
 * The point arrays of z read from b[0..n): each must point at its
 * section's payload in b when that payload is 8-byte aligned on a
 * little-endian host (in place) and outside b otherwise (copied); the
 * coefficients are always converted.
 * Counts the two kinds.
 */
static int placement_ok(const zk_zkey *z, const uint8_t *b, size_t n,
                        int *n_in, int *n_copied)
{
    size_t pos = 12;
    uint32_t ns = le32(b + 8);
    int good = !in_buf(z->coefs, b, n);
    *n_in = *n_copied = 0;
    for (uint32_t i = 0; i < ns; i++) {
        uint32_t type = le32(b + pos);
        size_t size = le32(b + pos + 4);
        pos += 12;
        const void *arr = type == 3 ? (const void *)z->ic
                          : type == 5 ? (const void *)z->a
                          : type == 6 ? (const void *)z->b1
                          : type == 7 ? (const void *)z->b2
                          : type == 8 ? (const void *)z->c
                          : type == 9 ? (const void *)z->h : NULL;
        if (arr) {
            if (LE_HOST && (uintptr_t)(b + pos) % 8 == 0) {
                good &= arr == (const void *)(b + pos);
                ++*n_in;
            } else {
                good &= !in_buf(arr, b, n);
                ++*n_copied;
            }
        }
        pos += size;
    }
    return good;
}

/* ------------------------------------------- the container, modelled */

typedef struct {
    uint32_t type;
    uint8_t *p;
    size_t n;
} tsec;

typedef struct {
    uint8_t head[8]; /* magic, version */
    tsec s[24];
    int ns;
} tfile;

static void tf_parse(tfile *f, const uint8_t *b, size_t n)
{
    memset(f, 0, sizeof *f);
    if (n < 12)
        bail_out("tf_parse: short");
    memcpy(f->head, b, 8);
    uint32_t ns = le32(b + 8);
    size_t pos = 12;
    if (ns > 24)
        bail_out("tf_parse: too many sections");
    for (uint32_t i = 0; i < ns; i++) {
        if (n - pos < 12)
            bail_out("tf_parse: truncated");
        uint64_t sz = (uint64_t)le32(b + pos + 4) |
                      (uint64_t)le32(b + pos + 8) << 32;
        f->s[i].type = le32(b + pos);
        pos += 12;
        if (sz > n - pos)
            bail_out("tf_parse: section overruns");
        f->s[i].n = (size_t)sz;
        f->s[i].p = malloc(sz ? sz : 1);
        if (!f->s[i].p)
            bail_out("oom");
        memcpy(f->s[i].p, b + pos, (size_t)sz);
        pos += (size_t)sz;
    }
    f->ns = (int)ns;
    if (pos != n)
        bail_out("tf_parse: trailing bytes");
}

static uint8_t *tf_build(const tfile *f, size_t *n)
{
    buf_t s = {0};
    bput(&s, f->head, 8);
    bput32(&s, (uint32_t)f->ns);
    for (int i = 0; i < f->ns; i++) {
        bput32(&s, f->s[i].type);
        bput64(&s, f->s[i].n);
        bput(&s, f->s[i].p, f->s[i].n);
    }
    *n = s.n;
    return s.b;
}

static void tf_free(tfile *f)
{
    for (int i = 0; i < f->ns; i++)
        free(f->s[i].p);
    f->ns = 0;
}

static void tf_copy(tfile *dst, const tfile *src)
{
    *dst = *src;
    for (int i = 0; i < src->ns; i++) {
        dst->s[i].p = malloc(src->s[i].n ? src->s[i].n : 1);
        if (!dst->s[i].p)
            bail_out("oom");
        memcpy(dst->s[i].p, src->s[i].p, src->s[i].n);
    }
}

static tsec *tf_sec(tfile *f, uint32_t type)
{
    for (int i = 0; i < f->ns; i++)
        if (f->s[i].type == type)
            return &f->s[i];
    bail_out("no section %u", type);
}

static void tf_resize(tsec *s, size_t n)
{
    uint8_t *p = realloc(s->p, n ? n : 1);
    if (!p)
        bail_out("oom");
    if (n > s->n)
        memset(p + s->n, 0xa5, n - s->n);
    s->p = p;
    s->n = n;
}

static void tf_remove(tfile *f, uint32_t type)
{
    for (int i = 0; i < f->ns; i++)
        if (f->s[i].type == type) {
            free(f->s[i].p);
            memmove(&f->s[i], &f->s[i + 1],
                    (size_t)(f->ns - i - 1) * sizeof f->s[0]);
            f->ns--;
            return;
        }
    bail_out("no section %u", type);
}

static void tf_insert(tfile *f, int at, uint32_t type, const uint8_t *p,
                      size_t n)
{
    if (f->ns == 24)
        bail_out("tf_insert: full");
    memmove(&f->s[at + 1], &f->s[at], (size_t)(f->ns - at) * sizeof f->s[0]);
    f->s[at].type = type;
    f->s[at].n = n;
    f->s[at].p = malloc(n ? n : 1);
    if (!f->s[at].p)
        bail_out("oom");
    if (n)
        memcpy(f->s[at].p, p, n);
    f->ns++;
}

/* --------------------------------------------------- error expectations */

/* Read b with pool NULL and with 2 threads: the same code, *where and
 * *index both times, *out NULL. */
static void expect_mem(const uint8_t *b, size_t n, unsigned flags, int rc,
                       const char *where, int64_t idx, const char *what)
{
    int good = 1;
    for (int t = 0; t < 2; t++) {
        zk_zkey *z = &g_sentinel; /* must be overwritten */
        const char *w = "unset";
        int64_t ix = -77;
        int r = zk_zkey_read_mem(&z, b, n, flags, t ? g_pool2 : NULL, &w,
                                 &ix);
        int this_ok = r == rc && z == NULL && w && strcmp(w, where) == 0 &&
                      ix == idx;
        if (!this_ok)
            diag("%s (%d thread(s)): got %s (%d) at %s[%lld], out %s", what,
                 t + 1, zk_strerror(r), r, w ? w : "NULL", (long long)ix,
                 z ? "set" : "NULL");
        if (r == ZK_OK && z != &g_sentinel)
            zk_zkey_free(z);
        good &= this_ok;
    }
    ok(good, "%s: %s at %s[%lld]", what, zk_strerror(rc), where,
       (long long)idx);
}

static void expect_tf(const tfile *f, unsigned flags, int rc,
                      const char *where, int64_t idx, const char *what)
{
    size_t n;
    uint8_t *b = tf_build(f, &n);
    expect_mem(b, n, flags, rc, where, idx, what);
    free(b);
}

/* The same through a file (zk_zkey_read, mmap), 2 threads. */
static void expect_file_tf(const tfile *f, unsigned flags, int rc,
                           const char *where, int64_t idx, const char *what)
{
    size_t n;
    uint8_t *b = tf_build(f, &n);
    put_file(tpath("bad.zkey"), b, n);
    free(b);
    zk_zkey *z = &g_sentinel;
    const char *w = "unset";
    int64_t ix = -77;
    int r = zk_zkey_read(&z, tpath("bad.zkey"), flags, g_pool2, &w, &ix);
    int good = r == rc && z == NULL && w && strcmp(w, where) == 0 && ix == idx;
    if (!good)
        diag("got %s at %s[%lld]", zk_strerror(r), w ? w : "NULL",
             (long long)ix);
    if (r == ZK_OK && z != &g_sentinel)
        zk_zkey_free(z);
    ok(good, "file: %s: %s at %s[%lld]", what, zk_strerror(rc), where,
       (long long)idx);
}

/* Read a mutated model that must load; returns the key (caller frees). */
static zk_zkey *read_tf_ok(const tfile *f, unsigned flags, const char *what)
{
    size_t n;
    uint8_t *b = tf_build(f, &n);
    zk_zkey *z = NULL;
    const char *w = "unset";
    int64_t ix = -77;
    int r = zk_zkey_read_mem(&z, b, n, flags, g_pool2, &w, &ix);
    ok(r == ZK_OK && z != NULL && w == NULL && ix == -1,
       "%s: reads (%s)", what, zk_strerror(r));
    if (z) {
        /* arrays may point into b: detach by cloning when complete */
        zk_zkey *c = NULL;
        if (!(flags & ZK_ZKEY_VK_ONLY) && zk_zkey_clone(&c, z) == ZK_OK) {
            zk_zkey_free(z);
            z = c;
        } else if (flags & ZK_ZKEY_VK_ONLY) {
            /* keep b alive: leak-free by returning NULL instead */
            zk_zkey_free(z);
            z = NULL;
        }
    }
    free(b);
    return z;
}

/* ----------------------------------------------------- the built key */

#define SK_NV 2100u
#define SK_NP 3u
#define SK_LOG 12u
#define SK_NCOEF 1000u

/* A complete key with valid (not meaningful) points: [k] G for various k,
 * infinity at A[0], three contributions (named, beacon, anonymous). */
static zk_zkey *build_key(void)
{
    zk_zkey *z;
    int rc = zk_zkey_alloc(&z, SK_NV, SK_NP, SK_LOG, SK_NCOEF, 3);
    if (rc != ZK_OK)
        bail_out("zk_zkey_alloc: %s", zk_strerror(rc));
    z->alpha1 = g1_mul(2);
    z->beta1 = g1_mul(3);
    z->delta1 = g1_mul(5);
    z->beta2 = g2_mul(7);
    z->gamma2 = g2_mul(1);
    z->delta2 = g2_mul(5);
    g1_mults(z->ic, SK_NP + 1, 11);
    g1_mults(z->a, SK_NV, 0);
    g1_mults(z->b1, SK_NV, 100000);
    g2_mults(z->b2, SK_NV, 1);
    g1_mults(z->c, SK_NV - SK_NP - 1, 200000);
    g1_mults(z->h, (size_t)1 << SK_LOG, 300000);
    for (size_t i = 0; i < SK_NCOEF; i++) {
        zk_zkey_coef *c = &z->coefs[i];
        c->matrix = (uint32_t)(i & 1);
        c->row = (uint32_t)((i * 7) % (1u << SK_LOG));
        c->wire = (uint32_t)((i * 13) % SK_NV);
        if (i % 3 == 0)
            zk_fr_random(&c->value);
        else if (i % 3 == 1)
            c->value = fr_neg_u64(i);
        else
            c->value = fr_u64(i);
    }
    for (int i = 0; i < 64; i++)
        z->cs_hash[i] = (uint8_t)(3 * i + 1);
    for (uint32_t k = 0; k < 3; k++) {
        zk_zkey_contribution *c = &z->contributions[k];
        c->delta_after = g1_mul(5 + k);
        c->g1_s = g1_mul(9 + k);
        c->g1_sx = g1_mul(90 + k);
        c->g2_spx = g2_mul(3 + k);
        for (int i = 0; i < 64; i++)
            c->transcript[i] = (uint8_t)(i ^ (int)k);
    }
    strcpy(z->contributions[0].name, "alice");
    z->contributions[0].has_name = 1;
    z->contributions[1].type = 1;
    strcpy(z->contributions[1].name, "beacon \xe2\x98\x83");
    z->contributions[1].has_name = 1;
    z->contributions[1].num_iterations_exp = 10;
    z->contributions[1].beacon_hash_len = 32;
    for (int i = 0; i < 32; i++)
        z->contributions[1].beacon_hash[i] = (uint8_t)(0xf0 - i);
    return z;
}

/* Section types of the file at path, in file order, as a string "1,2,.." */
static void section_order(char *out, size_t cap, const uint8_t *b, size_t n)
{
    tfile f;
    tf_parse(&f, b, n);
    size_t l = 0;
    out[0] = '\0';
    for (int i = 0; i < f.ns && l < cap; i++)
        l += (size_t)snprintf(out + l, cap - l, "%s%u", i ? "," : "",
                              f.s[i].type);
    tf_free(&f);
}

static void test_alloc(void)
{
    zk_zkey *z = &g_sentinel;
    is_int(zk_zkey_alloc(&z, 5, 5, 3, 0, 0), ZK_EINVAL, "alloc: nPublic == nVars");
    ok(z == NULL, "alloc: *out NULL on error");
    is_int(zk_zkey_alloc(&z, 5, 1, 0, 0, 0), ZK_EINVAL, "alloc: log_domain 0");
    is_int(zk_zkey_alloc(&z, 5, 1, ZK_ZKEY_MAX_LOG_DOMAIN + 1, 0, 0),
           ZK_EINVAL, "alloc: log_domain 29");
    is_int(zk_zkey_alloc(NULL, 5, 1, 3, 0, 0), ZK_EINVAL, "alloc: NULL out");

    int rc = zk_zkey_alloc(&z, 4, 3, 1, 2, 2);
    ok(rc == ZK_OK && z && z->n_vars == 4 && z->n_public == 3 &&
       z->domain_size == 2 && z->log_domain == 1 && z->n_coefs == 2 &&
       z->n_contributions == 2 && z->ic && z->a && z->b1 && z->b2 && z->h &&
       z->coefs && z->c == NULL,
       "alloc: sizes set, arrays there, C NULL without private wires");
    int zero = 1;
    for (uint32_t i = 0; z && i < 2; i++) {
        const uint8_t *p = (const uint8_t *)&z->contributions[i];
        for (size_t k = 0; k < sizeof z->contributions[i]; k++)
            zero &= p[k] == 0;
    }
    ok(zero && z && zk_g1_is_inf(&z->alpha1) && zk_g2_is_inf(&z->delta2),
       "alloc: contributions and header zeroed");
    zk_zkey_free(z);
    zk_zkey_free(NULL);
}

/* Read path back into a key; bail on error. */
static zk_zkey *read_ok(const char *path, unsigned flags, zk_pool *pool)
{
    zk_zkey *z = NULL;
    const char *w = "unset";
    int64_t ix = -77;
    int rc = zk_zkey_read(&z, path, flags, pool, &w, &ix);
    if (rc != ZK_OK)
        diag("read %s: %s at %s[%lld]", path, zk_strerror(rc),
             w ? w : "NULL", (long long)ix);
    return z;
}

static void test_roundtrip(zk_zkey *k, uint8_t **img, size_t *img_n)
{
    is_int(zk_zkey_write(tpath("k.zkey"), k), ZK_OK, "write the built key");
    size_t n;
    uint8_t *b = get_file(tpath("k.zkey"), &n);
    char order[128];
    section_order(order, sizeof order, b, n);
    is_str(order, "1,2,3,4,5,6,7,8,9,10",
           "a key with contributions is written in ascending order "
           "(zkey contribute's)");

    zk_zkey *r = read_ok(tpath("k.zkey"), 0, NULL);
    ok(r && key_eq(r, k) && zk_g1_is_inf(&r->a[0]) && !zk_g1_is_inf(&r->a[1]),
       "file read back equals the built key (A[0] at infinity)");
    is_int(zk_zkey_write(tpath("k2.zkey"), r), ZK_OK, "write it again");
    ok(files_equal(tpath("k.zkey"), tpath("k2.zkey")),
       "read + write is byte-identical");
    zk_zkey *r2 = read_ok(tpath("k.zkey"), ZK_ZKEY_CHECK_G2, g_pool2);
    ok(r2 && key_eq(r2, k), "CHECK_G2 with 2 threads: same key");
    zk_zkey_free(r2);

    /* In memory.  Every 12-byte section header moves the next payload
     * by 4 mod 8, so consecutive point sections alternate between 8-byte
     * aligned (used in place) and not (copied), whatever the buffer. */
    uint8_t *al = malloc(n + 8);
    if (!al)
        bail_out("oom");
    for (size_t shift = 0; shift <= 4; shift += 4) {
        memcpy(al + shift, b, n);
        zk_zkey *m = NULL;
        int nin = 0, ncp = 0;
        int rc = zk_zkey_read_mem(&m, al + shift, n,
                                  shift ? ZK_ZKEY_CHECK_G2 : 0,
                                  shift ? NULL : g_pool2, NULL, NULL);
        int placed = m && placement_ok(m, al + shift, n, &nin, &ncp);
        ok(rc == ZK_OK && m && key_eq(m, k) && placed &&
           (LE_HOST ? nin > 0 && ncp > 0 : nin == 0),
           "read_mem at buffer offset %zu: equals the built key; %d "
           "aligned sections used in place, %d copied", shift, nin, ncp);
        zk_zkey_free(m);
    }
    /* At an odd address every section is copied. */
    memmove(al + 1, al + 4, n);
    zk_zkey *m = NULL;
    int nin = 0, ncp = 0;
    int rc = zk_zkey_read_mem(&m, al + 1, n, 0, g_pool2, NULL, NULL);
    ok(rc == ZK_OK && m && key_eq(m, k) &&
       placement_ok(m, al + 1, n, &nin, &ncp) && nin == 0 && ncp == 6,
       "read_mem at an odd address: all 6 point sections copied");
    zk_zkey *cl = NULL;
    rc = m ? zk_zkey_clone(&cl, m) : -100;
    zk_zkey_free(m);
    memset(al, 0, n + 8); /* the clone must not point into the buffer */
    ok(rc == ZK_OK && cl && key_eq(cl, k), "clone is a deep copy");
    free(al);

    /* An unknown empty section in front moves every payload by 12 bytes,
     * 4 mod 8: the sections used in place and the ones copied swap, in
     * memory and in the mapped file (where the copied pages are then
     * dropped from the mapping). */
    tfile f;
    tf_parse(&f, b, n);
    tf_insert(&f, 0, 77, NULL, 0);
    size_t sn;
    uint8_t *sb = tf_build(&f, &sn);
    put_file(tpath("shift.zkey"), sb, sn);
    zk_zkey *s = read_ok(tpath("shift.zkey"), 0, g_pool2);
    ok(s && key_eq(s, r), "an unknown section in front: the mapped file "
                          "loads the same key");
    zk_zkey *sm = NULL;
    int nin2 = 0, ncp2 = 0;
    rc = zk_zkey_read_mem(&sm, sb, sn, 0, NULL, NULL, NULL);
    int placed = sm && placement_ok(sm, sb, sn, &nin2, &ncp2);
    ok(rc == ZK_OK && sm && key_eq(sm, r) && placed &&
       (LE_HOST ? nin2 > 0 && ncp2 > 0 : nin2 == 0),
       "the same in memory: %d in place, %d copied", nin2, ncp2);
    is_int(s ? zk_zkey_write(tpath("shift2.zkey"), s) : -100, ZK_OK,
           "write the shifted key");
    ok(files_equal(tpath("shift2.zkey"), tpath("k.zkey")),
       "written back without the unknown section: the original bytes");
    zk_zkey_free(sm);
    zk_zkey_free(s);
    free(sb);
    tf_free(&f);

    /* A clone written: the same order (built key with contributions). */
    zk_zkey *c2 = NULL;
    rc = zk_zkey_clone(&c2, r);
    is_int(rc, ZK_OK, "clone of a read key");
    is_int(c2 ? zk_zkey_write(tpath("k3.zkey"), c2) : -100, ZK_OK,
           "write the clone");
    ok(files_equal(tpath("k.zkey"), tpath("k3.zkey")),
       "clone + write is byte-identical");
    zk_zkey_free(c2);

    /* VK_ONLY */
    zk_zkey *v = read_ok(tpath("k.zkey"), ZK_ZKEY_VK_ONLY, g_pool2);
    ok(v && vk_part_eq(v, k) && v->a == NULL && v->b1 == NULL &&
       v->b2 == NULL && v->c == NULL && v->h == NULL && v->coefs == NULL &&
       v->n_coefs == 0,
       "VK_ONLY: header, IC, contributions equal; proving arrays NULL");
    is_int(v ? zk_zkey_write(tpath("v.zkey"), v) : -100, ZK_EINVAL,
           "VK_ONLY key cannot be written");
    ok(!exists(tpath("v.zkey")), "no file from a refused write");
    zk_zkey *vc = &g_sentinel;
    is_int(v ? zk_zkey_clone(&vc, v) : -100, ZK_EINVAL,
           "VK_ONLY key cannot be cloned");
    ok(vc == NULL, "clone: *out NULL on error");
    zk_zkey_free(v);
    zk_zkey_free(cl);
    zk_zkey_free(r);

    *img = b;
    *img_n = n;
}

/* A key without contributions is written in groth16 setup's order, and a
 * key without private wires has an empty C section. */
static void test_setup_order(void)
{
    zk_zkey *z;
    if (zk_zkey_alloc(&z, 3, 2, 2, 2, 0) != ZK_OK)
        bail_out("alloc");
    z->alpha1 = g1_mul(1);
    z->beta1 = g1_mul(2);
    z->delta1 = g1_mul(3);
    z->beta2 = g2_mul(4);
    z->gamma2 = g2_mul(5);
    z->delta2 = g2_mul(6);
    g1_mults(z->ic, 3, 1);
    g1_mults(z->a, 3, 4);
    g1_mults(z->b1, 3, 7);
    g2_mults(z->b2, 3, 0);
    g1_mults(z->h, 4, 10);
    for (int i = 0; i < 2; i++) {
        z->coefs[i].matrix = (uint32_t)i;
        z->coefs[i].row = 3;
        z->coefs[i].wire = 2;
        z->coefs[i].value = fr_neg_u64(1);
    }
    is_int(zk_zkey_write(tpath("s.zkey"), z), ZK_OK, "write a key without "
                                                    "contributions");
    size_t n;
    uint8_t *b = get_file(tpath("s.zkey"), &n);
    char order[128];
    section_order(order, sizeof order, b, n);
    is_str(order, "1,2,4,3,9,8,5,6,7,10",
           "no contributions: groth16 setup's section order");
    tfile f;
    tf_parse(&f, b, n);
    ok(tf_sec(&f, 8)->n == 0 && tf_sec(&f, 10)->n == 68 &&
       tf_sec(&f, 4)->n == 4 + 2 * 44,
       "empty C section, 68-byte section 10, 2 coefficients");
    tf_free(&f);
    zk_zkey *r = read_ok(tpath("s.zkey"), ZK_ZKEY_CHECK_G2, NULL);
    ok(r && key_eq(r, z) && r->c == NULL && r->contributions == NULL,
       "read back: equal, C and contributions NULL");
    zk_zkey_free(r);
    free(b);

    /* Write refusals. */
    is_int(zk_zkey_write(NULL, z), ZK_EINVAL, "write: NULL path");
    is_int(zk_zkey_write(tpath("x.zkey"), NULL), ZK_EINVAL, "write: NULL key");
    is_int(zk_zkey_write(tpath("nodir/x.zkey"), z), ZK_EIO,
           "write into a missing directory: ZK_EIO");
    zk_zkey_free(z);

    if (zk_zkey_alloc(&z, 3, 2, 2, 0, 1) != ZK_OK)
        bail_out("alloc");
    g1_mults(z->ic, 3, 1);
    g1_mults(z->a, 3, 4);
    g1_mults(z->b1, 3, 7);
    g2_mults(z->b2, 3, 0);
    g1_mults(z->h, 4, 10);
    z->contributions[0].type = 2;
    is_int(zk_zkey_write(tpath("x.zkey"), z), ZK_EINVAL,
           "write: contribution type 2 refused");
    z->contributions[0].type = 0;
    memset(z->contributions[0].name, 'a', sizeof z->contributions[0].name);
    is_int(zk_zkey_write(tpath("x.zkey"), z), ZK_EINVAL,
           "write: unterminated name refused");
    z->contributions[0].name[64] = '\0';
    z->contributions[0].has_name = 1;
    is_int(zk_zkey_write(tpath("x.zkey"), z), ZK_OK,
           "write: 64-byte name, no coefficients");
    r = read_ok(tpath("x.zkey"), 0, NULL);
    ok(r && key_eq(r, z) && strlen(r->contributions[0].name) == 64 &&
       r->coefs == NULL, "64-byte name and empty coefficient list read back");
    zk_zkey_free(r);
    ok(!exists(tpath("nodir")), "nothing left by the failed write");
    zk_zkey_free(z);
    dir_clear();
}

static void test_args(const uint8_t *img, size_t n)
{
    zk_zkey *z = &g_sentinel;
    const char *w = "unset";
    int64_t ix = 5;
    is_int(zk_zkey_read(&z, NULL, 0, NULL, &w, &ix), ZK_EINVAL, "read: NULL path");
    ok(z == NULL && w && strcmp(w, "arguments") == 0 && ix == -1,
       "read: *out NULL, where 'arguments'");
    is_int(zk_zkey_read(NULL, "x", 0, NULL, NULL, NULL), ZK_EINVAL, "read: NULL out");
    z = &g_sentinel;
    is_int(zk_zkey_read_mem(&z, img, n, 4, NULL, &w, &ix), ZK_EINVAL,
           "read_mem: unknown flag");
    ok(z == NULL, "read_mem: *out NULL");
    is_int(zk_zkey_read_mem(&z, NULL, 5, 0, NULL, &w, &ix), ZK_EINVAL,
           "read_mem: NULL data");
    is_int(zk_zkey_read(&z, tpath("missing.zkey"), 0, NULL, &w, &ix), ZK_EIO,
           "read: a missing file is ZK_EIO");
    ok(z == NULL && w && strcmp(w, "file") == 0 && ix == -1, "  at 'file'");
    zk_zkey *c = &g_sentinel;
    is_int(zk_zkey_clone(&c, NULL), ZK_EINVAL, "clone: NULL source");
    ok(c == NULL, "clone: *out NULL");
}

/* ----------------------------------------------------- malformed keys */

static void set_q(uint8_t *p)
{
    fp_modulus_le(p);
}

static void test_container(const tfile *base)
{
    tfile f;
    size_t n;
    uint8_t *b = tf_build(base, &n);

    tf_copy(&f, base);
    memcpy(f.head, "zkez", 4);
    expect_tf(&f, 0, ZK_EFORMAT, "file", -1, "wrong magic");
    expect_file_tf(&f, 0, ZK_EFORMAT, "file", -1, "wrong magic");
    memcpy(f.head, "zkey", 4);
    put32(f.head + 4, 2);
    expect_tf(&f, 0, ZK_EFORMAT, "file", -1, "version 2");
    tf_free(&f);

    static const size_t cuts[] = { 0, 3, 11, 12, 20, 40, 700, 720 };
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        char what[64];
        snprintf(what, sizeof what, "truncated to %zu bytes", cuts[i]);
        expect_mem(b, cuts[i], 0, ZK_EENCODING, "file", -1, what);
    }
    expect_mem(b, n / 2, 0, ZK_EENCODING, "file", -1, "truncated to half");
    expect_mem(b, n - 1, 0, ZK_EENCODING, "file", -1, "last byte cut");
    put_file(tpath("cut.zkey"), b, n - 1);
    zk_zkey *z = &g_sentinel;
    const char *w = NULL;
    int64_t ix = 0;
    int rc = zk_zkey_read(&z, tpath("cut.zkey"), 0, NULL, &w, &ix);
    ok(rc == ZK_EENCODING && z == NULL && w && !strcmp(w, "file") && ix == -1,
       "file: last byte cut: ZK_EENCODING at file");
    uint8_t *more = malloc(n + 1);
    if (!more)
        bail_out("oom");
    memcpy(more, b, n);
    more[n] = 0;
    expect_mem(more, n + 1, 0, ZK_EENCODING, "file", -1, "a trailing byte");
    free(more);

    /* Each section missing, duplicated, one byte longer and shorter. */
    static const char *const names[11] = { "", "header", "header", "IC",
        "coefficients", "A", "B1", "B2", "C", "H", "contributions" };
    for (uint32_t t = 1; t <= 10; t++) {
        char what[64];
        tf_copy(&f, base);
        tf_remove(&f, t);
        snprintf(what, sizeof what, "section %u missing", t);
        expect_tf(&f, 0, ZK_EFORMAT, names[t], -1, what);
        if (t == 7)
            expect_tf(&f, ZK_ZKEY_VK_ONLY, ZK_EFORMAT, names[t], -1,
                      "VK_ONLY: section 7 missing");
        tf_free(&f);

        tf_copy(&f, base);
        tsec *s = tf_sec(&f, t);
        tf_insert(&f, f.ns, t, s->p, s->n);
        snprintf(what, sizeof what, "section %u twice", t);
        expect_tf(&f, 0, ZK_EFORMAT, names[t], -1, what);
        tf_free(&f);

        for (int d = -1; d <= 1; d += 2) {
            tf_copy(&f, base);
            s = tf_sec(&f, t);
            if (s->n == 0 && d < 0) {
                tf_free(&f);
                continue;
            }
            tf_resize(s, s->n + (size_t)(long)d);
            snprintf(what, sizeof what, "section %u one byte %s", t,
                     d > 0 ? "longer" : "shorter");
            /* section 10 one byte short cuts its last contribution */
            expect_tf(&f, 0, ZK_EENCODING, names[t],
                      t == 10 && d < 0 ? 2 : -1, what);
            if (t >= 5 && t <= 9)
                expect_tf(&f, ZK_ZKEY_VK_ONLY, ZK_EENCODING, names[t], -1,
                          "VK_ONLY checks the proving sections' sizes");
            tf_free(&f);
        }
    }
    free(b);
}

static void test_header(const tfile *base)
{
    tfile f;
    uint8_t *h;

    tf_copy(&f, base);
    put32(tf_sec(&f, 1)->p, 2);
    expect_tf(&f, 0, ZK_EFORMAT, "header", -1, "protocol 2 (PLONK)");
    put32(tf_sec(&f, 1)->p, 10);
    expect_tf(&f, 0, ZK_EFORMAT, "header", -1, "protocol 10 (FFLONK)");
    tf_free(&f);

    tf_copy(&f, base);
    h = tf_sec(&f, 2)->p;
    put32(h, 48);
    expect_tf(&f, 0, ZK_EFORMAT, "header", -1, "n8q 48");
    put32(h, 32);
    h[4] ^= 2;
    expect_tf(&f, 0, ZK_EFORMAT, "header", -1, "wrong q");
    h[4] ^= 2;
    put32(h + 36, 31);
    expect_tf(&f, 0, ZK_EFORMAT, "header", -1, "n8r 31");
    put32(h + 36, 32);
    h[40 + 31] ^= 0x40;
    expect_tf(&f, 0, ZK_EFORMAT, "header", -1, "wrong r");
    h[40 + 31] ^= 0x40;
    tf_free(&f);

    /* Counts. */
    static const uint32_t bad_domains[] = { 0, 1, 12, 4095, 1u << 29,
                                            0x80000000u };
    for (size_t i = 0; i < sizeof bad_domains / sizeof bad_domains[0]; i++) {
        char what[64];
        tf_copy(&f, base);
        put32(tf_sec(&f, 2)->p + 80, bad_domains[i]);
        snprintf(what, sizeof what, "domainSize %u", bad_domains[i]);
        expect_tf(&f, 0, ZK_EENCODING, "header", -1, what);
        tf_free(&f);
    }
    tf_copy(&f, base);
    put32(tf_sec(&f, 2)->p + 76, SK_NV);
    expect_tf(&f, 0, ZK_EENCODING, "header", -1, "nPublic == nVars");
    put32(tf_sec(&f, 2)->p + 76, 0xffffffffu);
    expect_tf(&f, 0, ZK_EENCODING, "header", -1, "nPublic 2^32-1");
    put32(tf_sec(&f, 2)->p + 76, SK_NP);
    /* Hostile counts: sizes fail before anything is allocated. */
    put32(tf_sec(&f, 2)->p + 72, 0xffffffffu);
    expect_tf(&f, 0, ZK_EENCODING, "A", -1,
              "nVars 2^32-1: A's size does not match (no allocation)");
    put32(tf_sec(&f, 2)->p + 72, SK_NV);
    put32(tf_sec(&f, 2)->p + 80, 1u << 28);
    expect_tf(&f, 0, ZK_EENCODING, "H", -1, "domainSize 2^28: H's size");
    put32(tf_sec(&f, 2)->p + 80, 1u << SK_LOG);
    put32(tf_sec(&f, 4)->p, 0xffffffffu);
    expect_tf(&f, 0, ZK_EENCODING, "coefficients", -1,
              "coefficient count 2^32-1");
    zk_zkey *v = read_tf_ok(&f, ZK_ZKEY_VK_ONLY,
                            "VK_ONLY does not read the coefficient count");
    zk_zkey_free(v);
    tf_free(&f);

    /* Header points: index = position in the file, 0..5. */
    static const struct { size_t off; int g2; int64_t idx; } hp[] = {
        { 84, 0, 0 }, { 148, 0, 1 }, { 212, 1, 2 }, { 340, 1, 3 },
        { 468, 0, 4 }, { 532, 1, 5 } };
    for (size_t i = 0; i < 6; i++) {
        char what[80];
        tf_copy(&f, base);
        h = tf_sec(&f, 2)->p;
        set_q(h + hp[i].off + (hp[i].g2 ? 96 : 32));
        snprintf(what, sizeof what, "header point %lld: y coordinate = q",
                 (long long)hp[i].idx);
        expect_tf(&f, 0, ZK_ERANGE, "header", hp[i].idx, what);
        tf_free(&f);
        tf_copy(&f, base);
        h = tf_sec(&f, 2)->p;
        h[hp[i].off + (hp[i].g2 ? 64 : 32)] ^= 1;
        snprintf(what, sizeof what, "header point %lld off the curve",
                 (long long)hp[i].idx);
        expect_tf(&f, 0, ZK_ENOTONCURVE, "header", hp[i].idx, what);
        if (hp[i].g2) {
            zk_g2 t;
            zk_g2_twist_point_from_seed(&t, 1000 + i);
            zk_g2_to_iden3(h + hp[i].off, &t);
            snprintf(what, sizeof what,
                     "header G2 point %lld on the twist, not in G2",
                     (long long)hp[i].idx);
            expect_tf(&f, 0, ZK_ENOTINGROUP, "header", hp[i].idx, what);
        }
        tf_free(&f);
    }
    /* Two bad header points: the first in file order is reported. */
    tf_copy(&f, base);
    h = tf_sec(&f, 2)->p;
    h[468 + 32] ^= 1;
    set_q(h + 340);
    expect_tf(&f, 0, ZK_ERANGE, "header", 3, "gamma2 and delta1 bad: gamma2");
    tf_free(&f);
}

/* Corrupt points of section `type` (element size esize) at idx[]. */
typedef enum { BAD_RANGE, BAD_CURVE, BAD_GROUP } badkind;

static void corrupt(uint8_t *p, size_t esize, badkind k, uint64_t seed)
{
    if (k == BAD_RANGE) {
        set_q(p + (esize == 64 ? 0 : 32)); /* x (G2: x.c1) = q */
    } else if (k == BAD_CURVE) {
        p[esize / 2] ^= 1; /* y (G2: y.c0) +- 1 */
    } else {
        zk_g2 t;
        zk_g2_twist_point_from_seed(&t, seed);
        zk_g2_to_iden3(p, &t);
    }
}

static void test_points(const tfile *base)
{
    static const struct { uint32_t type; const char *name; size_t esize, n; }
        ps[] = { { 3, "IC", 64, SK_NP + 1 }, { 5, "A", 64, SK_NV },
                 { 6, "B1", 64, SK_NV }, { 7, "B2", 128, SK_NV },
                 { 8, "C", 64, SK_NV - SK_NP - 1 },
                 { 9, "H", 64, 1u << SK_LOG } };
    tfile f;
    for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++) {
        char what[96];
        size_t last = ps[i].n - 1, mid = ps[i].n / 2;
        /* one bad point, then a second one earlier in another chunk */
        for (int k = 0; k < 2; k++) {
            badkind bk = k ? BAD_CURVE : BAD_RANGE;
            int code = k ? ZK_ENOTONCURVE : ZK_ERANGE;
            tf_copy(&f, base);
            uint8_t *p = tf_sec(&f, ps[i].type)->p;
            corrupt(p + last * ps[i].esize, ps[i].esize, bk, 0);
            snprintf(what, sizeof what, "%s[%zu] %s", ps[i].name, last,
                     k ? "off the curve" : "coordinate = q");
            expect_tf(&f, 0, code, ps[i].name, (int64_t)last, what);
            corrupt(p + mid * ps[i].esize, ps[i].esize,
                    k ? BAD_RANGE : BAD_CURVE, 0);
            snprintf(what, sizeof what, "%s[%zu] and [%zu] bad: the first",
                     ps[i].name, mid, last);
            expect_tf(&f, 0, k ? ZK_ERANGE : ZK_ENOTONCURVE, ps[i].name,
                      (int64_t)mid, what);
            if (ps[i].type == 7 && k == 0)
                expect_file_tf(&f, 0, ZK_ENOTONCURVE, "B2", (int64_t)mid,
                               "B2 (mapped file)");
            tf_free(&f);
        }
    }
    /* VK_ONLY does not look at a bad A or H point, but at IC. */
    tf_copy(&f, base);
    corrupt(tf_sec(&f, 5)->p + 64, 64, BAD_CURVE, 0);
    corrupt(tf_sec(&f, 9)->p + 64, 64, BAD_RANGE, 0);
    corrupt(tf_sec(&f, 7)->p + 128, 128, BAD_CURVE, 0);
    zk_zkey *v = read_tf_ok(&f, ZK_ZKEY_VK_ONLY,
                            "VK_ONLY ignores bad A, B2 and H points");
    zk_zkey_free(v);
    corrupt(tf_sec(&f, 3)->p + 64, 64, BAD_CURVE, 0);
    expect_tf(&f, ZK_ZKEY_VK_ONLY, ZK_ENOTONCURVE, "IC", 1,
              "VK_ONLY checks IC");
    tf_free(&f);

    /* Several bad points across chunks, in both orders of code. */
    tf_copy(&f, base);
    uint8_t *a = tf_sec(&f, 5)->p;
    corrupt(a + 2050 * 64, 64, BAD_RANGE, 0);
    corrupt(a + 1030 * 64, 64, BAD_CURVE, 0);
    corrupt(a + 1031 * 64, 64, BAD_RANGE, 0);
    corrupt(a + 1500 * 64, 64, BAD_RANGE, 0);
    expect_tf(&f, 0, ZK_ENOTONCURVE, "A", 1030,
              "A bad at 1030, 1031, 1500, 2050 (3 chunks): 1030");
    corrupt(a + 3 * 64, 64, BAD_RANGE, 0);
    expect_tf(&f, 0, ZK_ERANGE, "A", 3, "and at 3: 3");
    tf_free(&f);

    /* B2 outside G2: accepted without CHECK_G2, the first reported with. */
    tf_copy(&f, base);
    uint8_t *b2 = tf_sec(&f, 7)->p;
    corrupt(b2 + 1900 * 128, 128, BAD_GROUP, 7);
    corrupt(b2 + 700 * 128, 128, BAD_GROUP, 8);
    corrupt(b2 + 701 * 128, 128, BAD_GROUP, 9);
    zk_zkey *z = read_tf_ok(&f, 0, "B2 points outside G2 without CHECK_G2");
    ok(z && !zk_g2_in_subgroup(&z->b2[700]) && zk_g2_is_on_curve(&z->b2[700]),
       "  the point is kept as it is (on the twist, not in G2)");
    zk_zkey_free(z);
    expect_tf(&f, ZK_ZKEY_CHECK_G2, ZK_ENOTINGROUP, "B2", 700,
              "B2 outside G2 at 700, 701, 1900 with CHECK_G2: 700");
    tf_free(&f);

    /* An alpha1 of all zeros is the point at infinity: accepted. */
    tf_copy(&f, base);
    memset(tf_sec(&f, 2)->p + 84, 0, 64);
    z = read_tf_ok(&f, 0, "alpha1 at infinity (all zeros)");
    ok(z && zk_g1_is_inf(&z->alpha1), "  is infinity");
    zk_zkey_free(z);
    tf_free(&f);
}

static void test_coefs(const tfile *base)
{
    tfile f;
    uint8_t r[32];
    fr_modulus_le(r);
    static const size_t at[] = { 0, 999, 517 };
    for (size_t i = 0; i < 3; i++) {
        char what[80];
        tf_copy(&f, base);
        uint8_t *c = tf_sec(&f, 4)->p + 4 + at[i] * 44;
        memcpy(c + 12, r, 32);
        snprintf(what, sizeof what, "coefficient %zu = r", at[i]);
        expect_tf(&f, 0, ZK_ERANGE, "coefficients", (int64_t)at[i], what);
        memset(c + 12, 0xff, 32);
        snprintf(what, sizeof what, "coefficient %zu = 2^256-1", at[i]);
        expect_tf(&f, 0, ZK_ERANGE, "coefficients", (int64_t)at[i], what);
        tf_free(&f);

        tf_copy(&f, base);
        c = tf_sec(&f, 4)->p + 4 + at[i] * 44;
        put32(c, 2);
        snprintf(what, sizeof what, "coefficient %zu: matrix 2 (C)", at[i]);
        expect_tf(&f, 0, ZK_EENCODING, "coefficients", (int64_t)at[i], what);
        put32(c, 1);
        put32(c + 4, 1u << SK_LOG);
        snprintf(what, sizeof what, "coefficient %zu: row = domainSize", at[i]);
        expect_tf(&f, 0, ZK_EENCODING, "coefficients", (int64_t)at[i], what);
        put32(c + 4, (1u << SK_LOG) - 1);
        put32(c + 8, SK_NV);
        snprintf(what, sizeof what, "coefficient %zu: wire = nVars", at[i]);
        expect_tf(&f, 0, ZK_EENCODING, "coefficients", (int64_t)at[i], what);
        put32(c + 8, SK_NV - 1);
        memcpy(c + 12, r, 32);
        c[12] -= 1;
        zk_zkey *z = read_tf_ok(&f, 0, "matrix 1, last row, last wire, r - 1");
        zk_fr want = fr_u64(1);
        zk_fr_neg(&want, &want);
        /* the file's r - 1 is (c R^2 mod r): c = -R^-2 */
        zk_fr rr;
        zk_fr_set_u64(&rr, 1);
        for (int k = 0; k < 256; k++)
            zk_fr_dbl(&rr, &rr); /* R = 2^256 */
        zk_fr_mul(&rr, &rr, &rr);
        if (zk_fr_inv(&rr, &rr) != ZK_OK)
            bail_out("inv");
        zk_fr_mul(&want, &want, &rr);
        ok(z && z->coefs[at[i]].matrix == 1 &&
           z->coefs[at[i]].row == (1u << SK_LOG) - 1 &&
           z->coefs[at[i]].wire == SK_NV - 1 &&
           zk_fr_eq(&z->coefs[at[i]].value, &want),
           "  read as matrix 1, row %u, wire %u, value -1/R^2", (1u << SK_LOG) - 1,
           SK_NV - 1);
        zk_zkey_free(z);
        tf_free(&f);
    }
    /* Several bad coefficients over chunks: the first. */
    tf_copy(&f, base);
    uint8_t *c0 = tf_sec(&f, 4)->p + 4;
    memcpy(c0 + 900 * 44 + 12, r, 32);
    put32(c0 + 300 * 44 + 8, SK_NV + 5);
    expect_tf(&f, 0, ZK_EENCODING, "coefficients", 300,
              "coefficients bad at 300 and 900: 300");
    tf_free(&f);
    /* Count one too many / too few for the section. */
    tf_copy(&f, base);
    put32(tf_sec(&f, 4)->p, SK_NCOEF + 1);
    expect_tf(&f, 0, ZK_EENCODING, "coefficients", -1, "count + 1");
    put32(tf_sec(&f, 4)->p, SK_NCOEF - 1);
    expect_tf(&f, 0, ZK_EENCODING, "coefficients", -1, "count - 1");
    tf_free(&f);
}

/* Section 10 built by hand: each contribution's fixed part from base, then
 * the given parameter bytes. */
static void mpc_with_params(tfile *f, const tfile *base, uint32_t which,
                            uint32_t type, const uint8_t *par, size_t plen,
                            uint32_t claimed_len)
{
    tf_copy(f, base);
    tsec *s = tf_sec(f, 10);
    /* locate contribution `which` by walking the parameters */
    size_t pos = 68;
    for (uint32_t i = 0; i < which; i++)
        pos += 392 + le32(s->p + pos + 388);
    size_t old = le32(s->p + pos + 388);
    size_t tail = s->n - (pos + 392 + old);
    uint8_t *nb = malloc(pos + 392 + plen + tail + 1);
    if (!nb)
        bail_out("oom");
    memcpy(nb, s->p, pos + 392);
    put32(nb + pos + 384, type);
    put32(nb + pos + 388, claimed_len);
    memcpy(nb + pos + 392, par, plen);
    memcpy(nb + pos + 392 + plen, s->p + pos + 392 + old, tail);
    free(s->p);
    s->p = nb;
    s->n = pos + 392 + plen + tail;
}

static void test_contributions(const tfile *base)
{
    tfile f;
    tf_copy(&f, base);
    tsec *s = tf_sec(&f, 10);
    ok(le32(s->p + 64) == 3 && le32(s->p + 68 + 384) == 0 &&
       le32(s->p + 68 + 388) == 7 && memcmp(s->p + 68 + 392, "\x01\x05" "alice", 7) == 0,
       "section 10: 3 contributions, the first with params 01 05 'alice'");
    tf_free(&f);

    static const struct { uint32_t which, type; const char *par; size_t len;
                          int d; const char *what; } bad[] = {
        { 0, 0, "\x01\x02" "ab" "\x01\x01" "c", 7, 0, "name twice" },
        { 1, 1, "\x02\x0a" "\x01\x01" "b" "\x03\x01" "h", 9, 0,
          "unsorted: 2 before 1" },
        { 1, 1, "\x01\x01" "b" "\x03\x01" "h" "\x02\x0a", 9, 0,
          "unsorted: 3 before 2" },
        { 0, 0, "\x04\x00", 2, 0, "parameter type 4" },
        { 0, 0, "\x00\x00", 2, 0, "parameter type 0" },
        { 0, 0, "\x01\x05" "alice", 7, 1, "length one more than the params" },
        { 0, 0, "\x01\x05" "alice", 7, -1, "length one less than the params" },
        { 0, 0, "\x01\x06" "alice", 7, 0, "name longer than the params" },
        { 0, 0, "\x01", 1, 0, "name without its length" },
        { 1, 1, "\x02", 1, 0, "numIterationsExp without its byte" },
        { 0, 0, "\x02\x0a" "\x03\x01" "h", 5, 0,
          "beacon parameters on a type 0" },
        { 1, 1, "\x01\x01" "b", 3, 0, "type 1 without beacon parameters" },
        { 1, 1, "\x02\x0a", 2, 0, "type 1 with numIterationsExp only" },
        { 1, 1, "\x03\x01" "h", 3, 0, "type 1 with the hash only" },
        { 0, 2, "", 0, 0, "type 2" },
        { 0, 0, "\x01\x03" "a\0b", 5, 0, "a NUL in the name" },
    };
    /* 1, length, name: up to 255 bytes (snarkjs cuts names at 64 UTF-16
     * units, up to 192 bytes of UTF-8) */
    uint8_t long_name[257];
    long_name[0] = 1;
    memset(long_name + 2, 'a', 255);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mpc_with_params(&f, base, bad[i].which, bad[i].type,
                        bad[i].par ? (const uint8_t *)bad[i].par : long_name,
                        bad[i].len, (uint32_t)((long)bad[i].len + bad[i].d));
        expect_tf(&f, 0, ZK_EENCODING, "contributions", bad[i].which,
                  bad[i].what);
        tf_free(&f);
    }
    /* Accepted variants: an empty name, a 0-byte beacon hash, 64 and 255
     * bytes. */
    static const struct { uint32_t which, type; const char *par; size_t len;
                          const char *what; } good[] = {
        { 0, 0, "\x01\x00", 2, "an empty name parameter" },
        { 1, 1, "\x02\x00" "\x03\x00", 4, "a beacon with an empty hash" },
        { 2, 0, NULL, 66, "a 64-byte name" },
        { 2, 0, NULL, 257, "a 255-byte name" },
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        long_name[1] = (uint8_t)(good[i].len - 2);
        mpc_with_params(&f, base, good[i].which, good[i].type,
                        good[i].par ? (const uint8_t *)good[i].par : long_name,
                        good[i].len, (uint32_t)good[i].len);
        size_t n;
        uint8_t *b = tf_build(&f, &n);
        zk_zkey *z = NULL;
        int rc = zk_zkey_read_mem(&z, b, n, 0, NULL, NULL, NULL);
        int same = 0;
        if (rc == ZK_OK && zk_zkey_write(tpath("g.zkey"), z) == ZK_OK) {
            size_t gn;
            uint8_t *g = get_file(tpath("g.zkey"), &gn);
            same = gn == n && memcmp(g, b, n) == 0;
            free(g);
        }
        ok(rc == ZK_OK && same, "%s: read, written back identically",
           good[i].what);
        zk_zkey_free(z);
        free(b);
        tf_free(&f);
    }
    /* A section 10 with one byte after the last contribution, a count
     * larger than the section can hold, a truncated contribution. */
    tf_copy(&f, base);
    s = tf_sec(&f, 10);
    tf_resize(s, s->n + 1);
    expect_tf(&f, 0, ZK_EENCODING, "contributions", -1, "a byte after the last");
    tf_resize(s, s->n - 1);
    put32(s->p + 64, 0x7fffffff);
    expect_tf(&f, 0, ZK_EENCODING, "contributions", -1,
              "count 2^31-1 (no allocation)");
    put32(s->p + 64, 4);
    expect_tf(&f, 0, ZK_EENCODING, "contributions", -1,
              "count one more than the section holds");
    put32(s->p + 64, 2);
    expect_tf(&f, 0, ZK_EENCODING, "contributions", -1,
              "count one less than present");
    put32(s->p + 64, 3);
    tf_resize(s, s->n - 1);
    expect_tf(&f, 0, ZK_EENCODING, "contributions", 2,
              "the last contribution cut by a byte");
    tf_free(&f);
    /* Points. */
    static const struct { size_t off, esize; badkind k; int code;
                          const char *what; } pts[] = {
        { 0, 64, BAD_RANGE, ZK_ERANGE, "deltaAfter x = q" },
        { 64, 64, BAD_CURVE, ZK_ENOTONCURVE, "g1_s off the curve" },
        { 128, 64, BAD_CURVE, ZK_ENOTONCURVE, "g1_sx off the curve" },
        { 192, 128, BAD_RANGE, ZK_ERANGE, "g2_spx coordinate = q" },
        { 192, 128, BAD_CURVE, ZK_ENOTONCURVE, "g2_spx off the curve" },
        { 192, 128, BAD_GROUP, ZK_ENOTINGROUP, "g2_spx not in G2" },
    };
    for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++) {
        tf_copy(&f, base);
        s = tf_sec(&f, 10);
        size_t pos = 68 + 392 + le32(s->p + 68 + 388); /* contribution 1 */
        corrupt(s->p + pos + pts[i].off, pts[i].esize, pts[i].k, 5);
        expect_tf(&f, 0, pts[i].code, "contributions", 1, pts[i].what);
        tf_free(&f);
    }
}

/* ---------------------------------------------------- snarkjs keys */

/*
 * Wires 0 = 1, 1 = out, 2 = x (public), 3 = y, 4..7 internal.
 *   C0: x * y = w4
 *   C1: (w4 + 5) * (x - 3 y) = w5
 *   C2: w5 * w5 = w6
 *   C3: (2 w6 + 7 w4) * 1 = w7
 *   C4: w7 * (x + y - 1) = out
 * Only its structure matters here (no witness).
 */
static zk_r1cs *build_r1cs(void)
{
    zk_r1cs *cs;
    if (zk_r1cs_new(&cs, 1, 1, 1, 8) != ZK_OK)
        bail_out("zk_r1cs_new");
    const zk_r1cs_term c0a[] = { { 2, fr_u64(1) } }, c0b[] = { { 3, fr_u64(1) } },
                       c0c[] = { { 4, fr_u64(1) } };
    const zk_r1cs_term c1a[] = { { 4, fr_u64(1) }, { 0, fr_u64(5) } },
                       c1b[] = { { 2, fr_u64(1) }, { 3, fr_neg_u64(3) } },
                       c1c[] = { { 5, fr_u64(1) } };
    const zk_r1cs_term c2a[] = { { 5, fr_u64(1) } }, c2c[] = { { 6, fr_u64(1) } };
    const zk_r1cs_term c3a[] = { { 6, fr_u64(2) }, { 4, fr_u64(7) } },
                       c3b[] = { { 0, fr_u64(1) } }, c3c[] = { { 7, fr_u64(1) } };
    const zk_r1cs_term c4a[] = { { 7, fr_u64(1) } },
                       c4b[] = { { 2, fr_u64(1) }, { 3, fr_u64(1) },
                                 { 0, fr_neg_u64(1) } },
                       c4c[] = { { 1, fr_u64(1) } };
    if (zk_r1cs_add_constraint(cs, c0a, 1, c0b, 1, c0c, 1) != ZK_OK ||
        zk_r1cs_add_constraint(cs, c1a, 2, c1b, 2, c1c, 1) != ZK_OK ||
        zk_r1cs_add_constraint(cs, c2a, 1, c2a, 1, c2c, 1) != ZK_OK ||
        zk_r1cs_add_constraint(cs, c3a, 2, c3b, 1, c3c, 1) != ZK_OK ||
        zk_r1cs_add_constraint(cs, c4a, 1, c4b, 3, c4c, 1) != ZK_OK)
        bail_out("zk_r1cs_add_constraint");
    return cs;
}

/* The coefficient list groth16 setup derives (zkey_new.js): per
 * constraint its A terms (matrix 0) then its B terms (matrix 1), then
 * (0, nConstraints + s, s, 1) for s = 0..nPublic. */
static int coefs_match_r1cs(const zk_zkey *z, const zk_r1cs *cs)
{
    size_t k = 0;
    uint32_t nc = zk_r1cs_n_constraints(cs);
    for (uint32_t i = 0; i < nc; i++)
        for (unsigned m = 0; m < 2; m++) {
            size_t n;
            const zk_r1cs_term *t = zk_r1cs_lc(cs, i, m, &n);
            for (size_t j = 0; j < n; j++, k++) {
                if (k >= z->n_coefs)
                    return 0;
                const zk_zkey_coef *c = &z->coefs[k];
                if (c->matrix != m || c->row != i || c->wire != t[j].wire ||
                    !zk_fr_eq(&c->value, &t[j].coeff))
                    return 0;
            }
        }
    zk_fr one = fr_u64(1);
    for (uint32_t s = 0; s <= z->n_public; s++, k++) {
        if (k >= z->n_coefs)
            return 0;
        const zk_zkey_coef *c = &z->coefs[k];
        if (c->matrix != 0 || c->row != nc + s || c->wire != s ||
            !zk_fr_eq(&c->value, &one))
            return 0;
    }
    return k == z->n_coefs;
}

static int json_g1_eq(const json_t *j, const zk_g1 *p)
{
    char d[3][ZK_FP_DEC_MAX];
    zk_g1_to_dec(d, p);
    if (!json_is_array(j) || json_array_size(j) != 3)
        return 0;
    for (size_t i = 0; i < 3; i++) {
        const char *s = json_string_value(json_array_get(j, i));
        if (!s || strcmp(s, d[i]) != 0)
            return 0;
    }
    return 1;
}

static int json_g2_eq(const json_t *j, const zk_g2 *p)
{
    char d[6][ZK_FP_DEC_MAX];
    zk_g2_to_dec(d, p);
    if (!json_is_array(j) || json_array_size(j) != 3)
        return 0;
    for (size_t i = 0; i < 6; i++) {
        const char *s =
            json_string_value(json_array_get(json_array_get(j, i / 2), i % 2));
        if (!s || strcmp(s, d[i]) != 0)
            return 0;
    }
    return 1;
}

/* Every value of `snarkjs zkey export json` equals ours. */
static int key_matches_json(const zk_zkey *z, const char *path)
{
    json_error_t err;
    json_t *j = json_load_file(path, 0, &err);
    if (!j) {
        diag("json %s: %s", path, err.text);
        return 0;
    }
    int good = 1;
    good &= json_integer_value(json_object_get(j, "nVars")) == z->n_vars &&
            json_integer_value(json_object_get(j, "nPublic")) == z->n_public &&
            json_integer_value(json_object_get(j, "domainSize")) ==
                z->domain_size &&
            json_integer_value(json_object_get(j, "power")) == z->log_domain;
    good &= json_g1_eq(json_object_get(j, "vk_alpha_1"), &z->alpha1) &&
            json_g1_eq(json_object_get(j, "vk_beta_1"), &z->beta1) &&
            json_g1_eq(json_object_get(j, "vk_delta_1"), &z->delta1) &&
            json_g2_eq(json_object_get(j, "vk_beta_2"), &z->beta2) &&
            json_g2_eq(json_object_get(j, "vk_gamma_2"), &z->gamma2) &&
            json_g2_eq(json_object_get(j, "vk_delta_2"), &z->delta2);
    if (!good)
        diag("json: header differs");
    const json_t *ic = json_object_get(j, "IC"), *a = json_object_get(j, "A"),
                 *b1 = json_object_get(j, "B1"), *b2 = json_object_get(j, "B2"),
                 *c = json_object_get(j, "C"), *h = json_object_get(j, "hExps"),
                 *cc = json_object_get(j, "ccoefs");
    good &= json_array_size(ic) == z->n_public + 1 &&
            json_array_size(a) == z->n_vars && json_array_size(b1) == z->n_vars &&
            json_array_size(b2) == z->n_vars && json_array_size(c) == z->n_vars &&
            json_array_size(h) == z->domain_size &&
            json_array_size(cc) == z->n_coefs;
    for (size_t i = 0; good && i <= z->n_public; i++)
        good &= json_g1_eq(json_array_get(ic, i), &z->ic[i]) &&
                json_is_null(json_array_get(c, i));
    for (size_t i = 0; good && i < z->n_vars; i++) {
        good &= json_g1_eq(json_array_get(a, i), &z->a[i]) &&
                json_g1_eq(json_array_get(b1, i), &z->b1[i]) &&
                json_g2_eq(json_array_get(b2, i), &z->b2[i]);
        if (i > z->n_public)
            good &= json_g1_eq(json_array_get(c, i), &z->c[i - z->n_public - 1]);
    }
    for (size_t i = 0; good && i < z->domain_size; i++)
        good &= json_g1_eq(json_array_get(h, i), &z->h[i]);
    for (size_t i = 0; good && i < z->n_coefs; i++) {
        const json_t *e = json_array_get(cc, i);
        char d[ZK_FR_DEC_MAX];
        zk_fr_to_dec(d, &z->coefs[i].value);
        const char *v = json_string_value(json_object_get(e, "value"));
        good &= json_integer_value(json_object_get(e, "matrix")) ==
                    z->coefs[i].matrix &&
                json_integer_value(json_object_get(e, "constraint")) ==
                    z->coefs[i].row &&
                json_integer_value(json_object_get(e, "signal")) ==
                    z->coefs[i].wire &&
                v && strcmp(v, d) == 0;
    }
    json_decref(j);
    return good;
}

#define INTEROP_TESTS 23

static void test_interop(void)
{
    const char *nm = interop_dir("snarkjs/cli.js");
    if (!nm) {
        skip(INTEROP_TESTS, "%s", interop_why());
        return;
    }
    zk_r1cs *cs = build_r1cs();
    if (zk_r1cs_write(tpath("c.r1cs"), cs) != ZK_OK)
        bail_out("r1cs write");
    int st = sh_run("log.txt",
                    "S='%s/snarkjs/cli.js' && "
                    "node \"$S\" powersoftau new bn128 5 p0.ptau && "
                    "node \"$S\" powersoftau contribute p0.ptau p1.ptau "
                    "--name=tau -e='more entropy' && "
                    "node \"$S\" powersoftau prepare phase2 p1.ptau p.ptau && "
                    "node \"$S\" groth16 setup c.r1cs p.ptau k0.zkey && "
                    "node \"$S\" zkey contribute k0.zkey k1.zkey --name='first one' "
                    "-e='some entropy' && "
                    "{ node \"$S\" zkey export json k1.zkey k1.json & "
                    "node \"$S\" zkey beacon k1.zkey k2.zkey "
                    "0102030405060708090a0b0c0d0e0f 10 -n='the beacon'; r=$?; "
                    "wait $! && exit $r; }",
                    nm);
    if (st != 0) {
        diag("snarkjs failed (exit %d)", st);
        diag_file("log.txt", 3000);
        skip(INTEROP_TESTS, "snarkjs could not make the keys");
        zk_r1cs_free(cs);
        dir_clear();
        return;
    }

    zk_zkey *k0 = read_ok(tpath("k0.zkey"), 0, NULL);
    zk_zkey *k1 = read_ok(tpath("k1.zkey"), 0, g_pool2);
    zk_zkey *k2 = read_ok(tpath("k2.zkey"), ZK_ZKEY_CHECK_G2, g_pool2);
    ok(k0 && k1 && k2, "snarkjs keys (setup, contribute, beacon) read");
    if (!(k0 && k1 && k2)) {
        skip(INTEROP_TESTS - 1, "keys did not read");
        goto out;
    }
    ok(k0->n_vars == zk_r1cs_n_wires(cs) && k0->n_public == 2 &&
       k0->domain_size >= zk_r1cs_n_constraints(cs) + 3 &&
       (k0->domain_size >> 1) < zk_r1cs_n_constraints(cs) + 3,
       "counts from the r1cs: nVars %u, nPublic %u, domain %u", k0->n_vars,
       k0->n_public, k0->domain_size);
    ok(coefs_match_r1cs(k0, cs) && coefs_eq(k0, k1) && coefs_eq(k0, k2),
       "coefficients = the r1cs's A and B terms + (0, nC + s, s, 1), "
       "in setup's order (%zu)", k0->n_coefs);
    ok(key_matches_json(k1, tpath("k1.json")),
       "every point and coefficient equals snarkjs zkey export json");
    ok(k0->n_contributions == 0 && k1->n_contributions == 1 &&
       k2->n_contributions == 2 &&
       memcmp(k0->cs_hash, k2->cs_hash, 64) == 0,
       "contribution counts 0, 1, 2; one circuit hash");
    const zk_zkey_contribution *c1 = &k2->contributions[0];
    const zk_zkey_contribution *c2 = &k2->contributions[1];
    ok(k1->contributions && contrib_eq(c1, &k1->contributions[0]) &&
       c1->type == 0 && c1->has_name && strcmp(c1->name, "first one") == 0,
       "contribution 1: type 0, named 'first one'");
    static const uint8_t bh[15] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
                                    13, 14, 15 };
    ok(c2->type == 1 && c2->has_name && strcmp(c2->name, "the beacon") == 0 &&
       c2->num_iterations_exp == 10 && c2->beacon_hash_len == 15 &&
       memcmp(c2->beacon_hash, bh, 15) == 0,
       "contribution 2: beacon, 2^10 iterations, its hash and name");
    zk_g1 g;
    zk_g1_generator(&g);
    ok(zk_g1_eq(&k0->delta1, &g) && zk_g1_eq(&k1->delta1, &c1->delta_after) &&
       zk_g1_eq(&k2->delta1, &c2->delta_after) &&
       !zk_g1_eq(&k1->delta1, &k2->delta1),
       "delta1: G before, then each contribution's deltaAfter");
    ok(zk_g2_eq(&k0->beta2, &k1->beta2) &&
       !zk_g2_eq(&k0->delta2, &k1->delta2) &&
       arr_eq(k0->a, k2->a, k0->n_vars, sizeof(zk_g1)) &&
       arr_eq(k0->b2, k2->b2, k0->n_vars, sizeof(zk_g2)) &&
       !arr_eq(k0->h, k1->h, k0->domain_size, sizeof(zk_g1)),
       "a contribution keeps A, B2, beta2 and changes delta2, H");

    static const char *const names[3] = { "k0", "k1", "k2" };
    zk_zkey *ks[3] = { k0, k1, k2 };
    for (int i = 0; i < 3; i++) {
        char src[64], dst[64];
        snprintf(src, sizeof src, "%s.zkey", names[i]);
        snprintf(dst, sizeof dst, "%s.out.zkey", names[i]);
        int rc = zk_zkey_write(tpath(dst), ks[i]);
        ok(rc == ZK_OK && files_equal(tpath(src), tpath(dst)),
           "%s: read + write is byte-identical to snarkjs's file", src);
        zk_zkey *c = NULL;
        rc = zk_zkey_clone(&c, ks[i]);
        if (rc == ZK_OK)
            rc = zk_zkey_write(tpath(dst), c);
        ok(rc == ZK_OK && files_equal(tpath(src), tpath(dst)),
           "%s: clone + write is byte-identical too", src);
        zk_zkey_free(c);
        zk_zkey *v = read_ok(tpath(src), ZK_ZKEY_VK_ONLY, NULL);
        ok(v && vk_part_eq(v, ks[i]) && v->a == NULL && v->h == NULL,
           "%s: VK_ONLY gives the same header, IC, contributions", src);
        zk_zkey_free(v);
    }
    /* The same from memory, at an odd offset (every section copied). */
    size_t n;
    uint8_t *b = get_file(tpath("k2.zkey"), &n);
    uint8_t *odd = malloc(n + 1);
    if (!odd)
        bail_out("oom");
    memcpy(odd + 1, b, n);
    zk_zkey *m = NULL;
    int rc = zk_zkey_read_mem(&m, odd + 1, n, ZK_ZKEY_CHECK_G2, g_pool2, NULL,
                              NULL);
    ok(rc == ZK_OK && m && key_eq(m, k2), "k2 from memory at an odd address");
    zk_zkey_free(m);
    free(odd);

    /* A snarkjs key with its beacon hash length byte off: rejected. */
    tfile f;
    tf_parse(&f, b, n);
    tsec *s = tf_sec(&f, 10);
    size_t pos = 68 + 392 + le32(s->p + 68 + 388); /* contribution 1 */
    /* params: 01 len name.. 02 exp 03 len hash */
    size_t hl = pos + 392 + 2 + s->p[pos + 392 + 1] + 2 + 1;
    ok(s->p[hl - 1] == 3 && s->p[hl] == 15, "located the beacon hash length");
    s->p[hl] = 16;
    expect_tf(&f, 0, ZK_EENCODING, "contributions", 1,
              "snarkjs beacon key, hash length one too long");
    s->p[hl] = 15;
    s->p[pos + 392] = 3; /* the name parameter typed 3: 3, 2, 3 unsorted */
    expect_tf(&f, 0, ZK_EENCODING, "contributions", 1,
              "snarkjs beacon key, parameters out of order");
    tf_free(&f);
    free(b);
    zk_zkey *v = read_ok(tpath("k2.zkey"), ZK_ZKEY_VK_ONLY, g_pool2);
    ok(v && vk_part_eq(v, k2), "VK_ONLY with 2 threads");
    zk_zkey_free(v);
out:
    zk_zkey_free(k0);
    zk_zkey_free(k1);
    zk_zkey_free(k2);
    zk_r1cs_free(cs);
    dir_clear();
}

int main(void)
{
    testdir_make("zkpar-zkey");
    if (zk_pool_new(&g_pool2, 2) != ZK_OK)
        bail_out("zk_pool_new");

    test_alloc();
    zk_zkey *k = build_key();
    uint8_t *img;
    size_t n;
    test_roundtrip(k, &img, &n);
    test_setup_order();
    test_args(img, n);

    tfile base;
    tf_parse(&base, img, n);
    test_container(&base);
    test_header(&base);
    test_points(&base);
    test_coefs(&base);
    test_contributions(&base);
    tf_free(&base);
    free(img);
    zk_zkey_free(k);
    dir_clear();

    test_interop();

    zk_pool_free(g_pool2);
    dir_clear();
    testdir_remove();
    return done_testing();
}
