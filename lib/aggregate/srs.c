/*
 * srs.c -- the SnarkPack SRS: development secrets, assembly from two
 * powers-of-tau files, srs.bin, the structure check and srs.vk.json (see
 * srs.h).
 *
 * The SRS layout follows research snarkpack.md 1.3 (bellperson's
 * GenericSRS / specialize, two secrets on shared generators); the
 * contributions section of a .ptau is parsed as snarkjs
 * src/powersoftau_utils.js writes it (writeContribution).
 */
#include "aggregate/srs.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "curve/msm.h"
#include "curve/pairing.h"
#include "field/fr.h"
#include "io/binfile.h"
#include "io/json.h"

#define G1_BYTES 64u
#define G2_BYTES 128u
#define HEADER_BYTES (4u + G1_BYTES + G2_BYTES)
#define N_SECTIONS 5u
/* Scalars per fixed-base batch in zk_agg_srs_dev, points per encoded
 * block in the writer, points per pool task in the reader. */
#define DEV_CHUNK 4096u
#define WRITE_CHUNK 4096u
#define DECODE_CHUNK 512u

/* One contribution record of a .ptau section 7: the points after it
 * (tauG1, tauG2, alphaG1, betaG1: 64 + 128 + 64 + 64 bytes; betaG2: 128),
 * its public key (6 G1 + 3 G2), the 216-byte partial hash, the 64-byte
 * next challenge, u32 type, u32 parameter length, the parameters. */
#define CONTRIB_ID_BYTES (3u * 64u + 2u * 128u + 6u * 64u + 3u * 128u) /* 1216 */
#define CONTRIB_FIXED_BYTES (CONTRIB_ID_BYTES + 216u + 64u + 4u + 4u)        /* 1504 */

/* ------------------------------------------------------------ where */

static _Thread_local char where_buf[192];

static const char *where_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *where_fmt(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(where_buf, sizeof where_buf, fmt, ap);
    va_end(ap);
    return where_buf;
}

static int fail(const char **where, const char *w, int rc)
{
    if (where)
        *where = w;
    return rc;
}

static const char *const section_names[N_SECTIONS + 1] = {
    "", "section 1 (header)", "section 2 (g_a)", "section 3 (g_b)",
    "section 4 (h_a)", "section 5 (h_b)",
};

/* ------------------------------------------------------------ basics */

static int valid_n(size_t n)
{
    return n >= 2 && n <= ZK_AGG_SRS_MAX_N && (n & (n - 1)) == 0;
}

static unsigned log2_exact(size_t n)
{
    unsigned k = 0;
    while (((size_t)1 << k) < n)
        k++;
    return k;
}

static zk_agg_srs *srs_alloc(size_t n)
{
    zk_agg_srs *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->n_max = n;
    zk_g1_generator(&s->g);
    zk_g2_generator(&s->h);
    s->g_a = malloc(2 * n * sizeof *s->g_a);
    s->g_b = malloc(2 * n * sizeof *s->g_b);
    s->h_a = malloc(n * sizeof *s->h_a);
    s->h_b = malloc(n * sizeof *s->h_b);
    if (!s->g_a || !s->g_b || !s->h_a || !s->h_b) {
        zk_agg_srs_free(s);
        return NULL;
    }
    return s;
}

void zk_agg_srs_free(zk_agg_srs *s)
{
    if (!s)
        return;
    free(s->g_a);
    free(s->g_b);
    free(s->h_a);
    free(s->h_b);
    free(s);
}

static int complete(const zk_agg_srs *s)
{
    return s && valid_n(s->n_max) && s->g_a && s->g_b && s->h_a && s->h_b;
}

/* ------------------------------------------------------------ dev */

/* The secrets, in sodium_malloc memory. */
typedef struct {
    zk_fr x[2]; /* a, b */
    zk_fr cur;  /* the running power */
} dev_secrets;

static void random_secret(zk_fr *r)
{
    do
        zk_fr_random(r);
    while (zk_fr_is_zero(r) || zk_fr_is_one(r));
}

int zk_agg_srs_dev(zk_agg_srs **out, size_t n_max, zk_pool *pool)
{
    if (out)
        *out = NULL;
    if (!out || !valid_n(n_max))
        return ZK_EINVAL;
    if (sodium_init() < 0)
        return ZK_ENOMEM;
    const size_t n = n_max, chunk = 2 * n < DEV_CHUNK ? 2 * n : DEV_CHUNK;
    dev_secrets *sec = sodium_malloc(sizeof *sec);
    zk_fr *k = sodium_allocarray(chunk, sizeof *k);
    zk_agg_srs *s = srs_alloc(n);
    int rc = ZK_ENOMEM;
    if (!sec || !k || !s)
        goto out;

    random_secret(&sec->x[0]);
    do
        random_secret(&sec->x[1]);
    while (zk_fr_eq(&sec->x[0], &sec->x[1]));

    rc = ZK_OK;
    zk_meter_begin(zk_pool_meter(pool), "srs", 2 * (2 * (uint64_t)n + ZK_FIXED_BASE_G2_UNITS * n));
    for (unsigned w = 0; w < 2 && rc == ZK_OK; w++) {
        zk_g1 *gx = w == 0 ? s->g_a : s->g_b;
        zk_g2 *hx = w == 0 ? s->h_a : s->h_b;
        zk_fr_one(&sec->cur);
        for (size_t i0 = 0; i0 < 2 * n && rc == ZK_OK; i0 += chunk) {
            const size_t m = 2 * n - i0 < chunk ? 2 * n - i0 : chunk;
            for (size_t j = 0; j < m; j++) {
                k[j] = sec->cur;
                zk_fr_mul(&sec->cur, &sec->cur, &sec->x[w]);
            }
            rc = zk_g1_fixed_base_batch(gx + i0, &s->g, k, m, pool);
            if (rc == ZK_OK && i0 < n)
                rc = zk_g2_fixed_base_batch(hx + i0, &s->h, k, n - i0 < m ? n - i0 : m,
                                            pool);
        }
    }

out:
    zk_meter_end(zk_pool_meter(pool));
    /* sodium_free wipes */
    sodium_free(sec);
    sodium_free(k);
    if (rc != ZK_OK) {
        zk_agg_srs_free(s);
        return rc;
    }
    *out = s;
    return ZK_OK;
}

/* ------------------------------------------------------------ structure */

/* What the structure check found wrong. */
enum {
    W_OK, W_G, W_H, W_GA0, W_GB0, W_HA0, W_HB0, W_GA1, W_GB1, W_SAME,
    W_GA, W_GB, W_HA, W_HB
};

/* rho^i for i < m, rho uniform non-zero from libsodium. */
static zk_fr *rho_powers(size_t m)
{
    if (sodium_init() < 0)
        return NULL;
    zk_fr *r = malloc(m * sizeof *r), rho;
    if (!r)
        return NULL;
    do
        zk_fr_random(&rho);
    while (zk_fr_is_zero(&rho));
    zk_fr_one(&r[0]);
    for (size_t i = 1; i < m; i++)
        zk_fr_mul(&r[i], &r[i - 1], &rho);
    return r;
}

/* e(sum rho^i gx[i+1], h) == e(sum rho^i gx[i], hx1), i < m.  1, 0, or
 * a negative error. */
static int check_g1_powers(const zk_g1 *gx, const zk_g2 *hx1, const zk_g2 *h,
                           const zk_fr *rho, size_t m, zk_pool *pool)
{
    zk_g1j pj, qj;
    int rc;
    if ((rc = zk_msm_g1(&pj, gx + 1, rho, m, pool)) != ZK_OK ||
        (rc = zk_msm_g1(&qj, gx, rho, m, pool)) != ZK_OK)
        return rc;
    zk_g1 p[2];
    zk_g2 q[2] = { *h, *hx1 };
    zk_g1_from_jacobian(&p[0], &pj);
    zk_g1_from_jacobian(&p[1], &qj);
    zk_g1_neg(&p[1], &p[1]);
    return zk_pairing_check(p, q, 2);
}

/* e(gx1, sum rho^i hx[i]) == e(g, sum rho^i hx[i+1]), i < m. */
static int check_g2_powers(const zk_g2 *hx, const zk_g1 *gx1, const zk_g1 *g,
                           const zk_fr *rho, size_t m, zk_pool *pool)
{
    zk_g2j rj, sj;
    int rc;
    if ((rc = zk_msm_g2(&rj, hx + 1, rho, m, pool)) != ZK_OK ||
        (rc = zk_msm_g2(&sj, hx, rho, m, pool)) != ZK_OK)
        return rc;
    zk_g1 p[2] = { *g, *gx1 };
    zk_g2 q[2];
    zk_g2_from_jacobian(&q[0], &rj);
    zk_g2_from_jacobian(&q[1], &sj);
    zk_g1_neg(&p[1], &p[1]);
    return zk_pairing_check(p, q, 2);
}

/* The structure check of srs.h; *what = W_OK or the failed part (with
 * ZK_EVERIFY).  s must be complete. */
static int verify_core(const zk_agg_srs *s, zk_pool *pool, int *what)
{
    const size_t n = s->n_max;
    zk_g1 g;
    zk_g2 h;
    zk_g1_generator(&g);
    zk_g2_generator(&h);
    *what = W_OK;

    const struct { int bad; int w; } simple[] = {
        { !zk_g1_eq(&s->g, &g), W_G },
        { !zk_g2_eq(&s->h, &h), W_H },
        { !zk_g1_eq(&s->g_a[0], &g), W_GA0 },
        { !zk_g1_eq(&s->g_b[0], &g), W_GB0 },
        { !zk_g2_eq(&s->h_a[0], &h), W_HA0 },
        { !zk_g2_eq(&s->h_b[0], &h), W_HB0 },
        { zk_g1_is_inf(&s->g_a[1]) || zk_g1_eq(&s->g_a[1], &g), W_GA1 },
        { zk_g1_is_inf(&s->g_b[1]) || zk_g1_eq(&s->g_b[1], &g), W_GB1 },
        { zk_g1_eq(&s->g_a[1], &s->g_b[1]), W_SAME },
    };
    for (size_t i = 0; i < sizeof simple / sizeof *simple; i++)
        if (simple[i].bad) {
            *what = simple[i].w;
            return ZK_EVERIFY;
        }

    zk_fr *rho = rho_powers(2 * n - 1);
    if (!rho)
        return ZK_ENOMEM;
    int rc = ZK_OK;
    for (int c = 0; c < 4 && rc == ZK_OK; c++) {
        int r;
        switch (c) {
        case 0: r = check_g1_powers(s->g_a, &s->h_a[1], &h, rho, 2 * n - 1, pool); break;
        case 1: r = check_g1_powers(s->g_b, &s->h_b[1], &h, rho, 2 * n - 1, pool); break;
        case 2: r = check_g2_powers(s->h_a, &s->g_a[1], &g, rho, n - 1, pool); break;
        default: r = check_g2_powers(s->h_b, &s->g_b[1], &g, rho, n - 1, pool); break;
        }
        if (r < 0) {
            rc = r;
        } else if (r == 0) {
            *what = W_GA + c;
            rc = ZK_EVERIFY;
        }
    }
    free(rho);
    return rc;
}

/* The name of a failed part in srs.bin terms. */
static const char *srs_what_name(int what)
{
    switch (what) {
    case W_G: return "section 1 (header): g";
    case W_H: return "section 1 (header): h";
    case W_GA0: return "section 2 (g_a), point 0";
    case W_GB0: return "section 3 (g_b), point 0";
    case W_HA0: return "section 4 (h_a), point 0";
    case W_HB0: return "section 5 (h_b), point 0";
    case W_GA1: return "section 2 (g_a), point 1";
    case W_GB1: return "section 3 (g_b), point 1";
    case W_SAME: return "sections 2 and 3: g_a[1] = g_b[1] (a = b)";
    case W_GA: return "section 2 (g_a)";
    case W_GB: return "section 3 (g_b)";
    case W_HA: return "section 4 (h_a)";
    case W_HB: return "section 5 (h_b)";
    default: return NULL;
    }
}

int zk_agg_srs_verify(const zk_agg_srs *s, zk_pool *pool, const char **where)
{
    if (where)
        *where = NULL;
    if (!complete(s))
        return ZK_EINVAL;
    int what;
    int rc = verify_core(s, pool, &what);
    if (rc == ZK_EVERIFY)
        return fail(where, srs_what_name(what), rc);
    return rc;
}

/* ------------------------------------------------------------ srs.bin */

static int write_g1s(zk_binwriter *w, uint8_t *buf, const zk_g1 *p, size_t n)
{
    int rc = ZK_OK;
    for (size_t i0 = 0; i0 < n && rc == ZK_OK; i0 += WRITE_CHUNK) {
        const size_t m = n - i0 < WRITE_CHUNK ? n - i0 : WRITE_CHUNK;
        for (size_t j = 0; j < m; j++)
            zk_g1_to_iden3(buf + j * G1_BYTES, &p[i0 + j]);
        rc = zk_binwriter_section_write(w, buf, m * G1_BYTES);
    }
    return rc;
}

static int write_g2s(zk_binwriter *w, uint8_t *buf, const zk_g2 *p, size_t n)
{
    int rc = ZK_OK;
    for (size_t i0 = 0; i0 < n && rc == ZK_OK; i0 += WRITE_CHUNK) {
        const size_t m = n - i0 < WRITE_CHUNK ? n - i0 : WRITE_CHUNK;
        for (size_t j = 0; j < m; j++)
            zk_g2_to_iden3(buf + j * G2_BYTES, &p[i0 + j]);
        rc = zk_binwriter_section_write(w, buf, m * G2_BYTES);
    }
    return rc;
}

int zk_agg_srs_write(const char *path, const zk_agg_srs *s)
{
    if (!path || !complete(s))
        return ZK_EINVAL;
    uint8_t *buf = malloc(WRITE_CHUNK * G2_BYTES);
    if (!buf)
        return ZK_ENOMEM;
    const size_t n = s->n_max;
    zk_binwriter *w;
    int rc = zk_binwriter_begin(&w, path, "zsrs", ZK_AGG_SRS_VERSION, N_SECTIONS);
    if (rc != ZK_OK) {
        free(buf);
        return rc;
    }
    uint8_t hdr[G1_BYTES + G2_BYTES];
    zk_g1_to_iden3(hdr, &s->g);
    zk_g2_to_iden3(hdr + G1_BYTES, &s->h);
    if ((rc = zk_binwriter_section_begin(w, 1)) == ZK_OK &&
        (rc = zk_binwriter_u32(w, (uint32_t)n)) == ZK_OK &&
        (rc = zk_binwriter_section_write(w, hdr, sizeof hdr)) == ZK_OK &&
        (rc = zk_binwriter_section_end(w)) == ZK_OK &&
        (rc = zk_binwriter_section_begin(w, 2)) == ZK_OK &&
        (rc = write_g1s(w, buf, s->g_a, 2 * n)) == ZK_OK &&
        (rc = zk_binwriter_section_end(w)) == ZK_OK &&
        (rc = zk_binwriter_section_begin(w, 3)) == ZK_OK &&
        (rc = write_g1s(w, buf, s->g_b, 2 * n)) == ZK_OK &&
        (rc = zk_binwriter_section_end(w)) == ZK_OK &&
        (rc = zk_binwriter_section_begin(w, 4)) == ZK_OK &&
        (rc = write_g2s(w, buf, s->h_a, n)) == ZK_OK &&
        (rc = zk_binwriter_section_end(w)) == ZK_OK &&
        (rc = zk_binwriter_section_begin(w, 5)) == ZK_OK &&
        (rc = write_g2s(w, buf, s->h_b, n)) == ZK_OK)
        rc = zk_binwriter_section_end(w);
    free(buf);
    if (rc != ZK_OK) {
        zk_binwriter_abort(w);
        return rc;
    }
    return zk_binwriter_commit(w);
}

/* Decoding sections 2..5 in parallel: task c decodes chunk c of the
 * concatenation of the four point lists. */
typedef struct {
    const uint8_t *src[4];
    void *dst[4];
    size_t count[4];
    size_t first[5]; /* the first chunk of each section; first[4] = all */
    size_t *bad;     /* per chunk: the first bad index, or SIZE_MAX */
    int *err;
    zk_meter *meter; /* a G1 point 1 unit, a G2 point DECODE_G2_UNITS */
} decode_job;

/* A G2 point (decoded, on the twist, in G2: a subgroup check) costs about
 * this many G1 points (decoded, on the curve) to read: the weight of the
 * progress, so that the percentage follows the time. */
#define DECODE_G2_UNITS 64u

static void decode_task(void *arg, size_t c)
{
    decode_job *j = arg;
    unsigned s = 0;
    while (c >= j->first[s + 1])
        s++;
    const size_t lo = (c - j->first[s]) * DECODE_CHUNK;
    const size_t hi = lo + DECODE_CHUNK < j->count[s] ? lo + DECODE_CHUNK : j->count[s];
    j->bad[c] = SIZE_MAX;
    j->err[c] = ZK_OK;
    for (size_t i = lo; i < hi; i++) {
        int rc = s < 2
            ? zk_g1_from_iden3((zk_g1 *)j->dst[s] + i, j->src[s] + i * G1_BYTES, G1_BYTES)
            : zk_g2_from_iden3((zk_g2 *)j->dst[s] + i, j->src[s] + i * G2_BYTES, G2_BYTES);
        if (rc != ZK_OK) {
            j->bad[c] = i;
            j->err[c] = rc;
            return;
        }
    }
    zk_meter_add(j->meter, (hi - lo) * (s < 2 ? 1 : DECODE_G2_UNITS));
}

static int decode_points(zk_agg_srs *s, const uint8_t *const src[4], zk_pool *pool,
                         const char **where)
{
    const size_t n = s->n_max;
    decode_job j = { .src = { src[0], src[1], src[2], src[3] },
                     .dst = { s->g_a, s->g_b, s->h_a, s->h_b },
                     .count = { 2 * n, 2 * n, n, n } };
    j.first[0] = 0;
    for (unsigned k = 0; k < 4; k++)
        j.first[k + 1] = j.first[k] + (j.count[k] + DECODE_CHUNK - 1) / DECODE_CHUNK;
    const size_t nchunks = j.first[4];
    j.bad = malloc(nchunks * sizeof *j.bad);
    j.err = malloc(nchunks * sizeof *j.err);
    int rc = ZK_ENOMEM;
    j.meter = zk_pool_meter(pool);
    zk_meter_begin(j.meter, "read_srs", 4 * (uint64_t)n + 2 * (uint64_t)n * DECODE_G2_UNITS);
    if (j.bad && j.err)
        rc = zk_pool_run(pool, nchunks, decode_task, &j);
    zk_meter_end(j.meter);
    for (size_t c = 0; rc == ZK_OK && c < nchunks; c++)
        if (j.err[c] != ZK_OK) {
            unsigned k = 0;
            while (c >= j.first[k + 1])
                k++;
            rc = fail(where, where_fmt("%s, point %zu", section_names[k + 2], j.bad[c]),
                      j.err[c]);
        }
    free(j.bad);
    free(j.err);
    return rc;
}

/* Decode and validate the opened container f (borrowed). */
static int read_common(zk_agg_srs **out, const zk_binfile *f, zk_pool *pool,
                       const char **where)
{
    const uint8_t *d[N_SECTIONS + 1];
    uint64_t sz[N_SECTIONS + 1];
    int rc;

    if ((rc = zk_binfile_section(f, 1, &d[1], &sz[1])) != ZK_OK)
        return fail(where, section_names[1], rc);
    if (sz[1] != HEADER_BYTES)
        return fail(where, section_names[1], ZK_EENCODING);
    const uint32_t n32 = zk_load_u32_le(d[1]);
    if (!valid_n(n32))
        return fail(where, section_names[1], ZK_EENCODING);
    const size_t n = n32;
    zk_g1 g;
    zk_g2 h;
    if ((rc = zk_g1_from_iden3(&g, d[1] + 4, G1_BYTES)) != ZK_OK)
        return fail(where, "section 1 (header): g", rc);
    if ((rc = zk_g2_from_iden3(&h, d[1] + 4 + G1_BYTES, G2_BYTES)) != ZK_OK)
        return fail(where, "section 1 (header): h", rc);

    /* every size against n_max before allocating anything */
    for (unsigned k = 2; k <= N_SECTIONS; k++) {
        if ((rc = zk_binfile_section(f, k, &d[k], &sz[k])) != ZK_OK)
            return fail(where, section_names[k], rc);
        const uint64_t want = k <= 3 ? (uint64_t)2 * n * G1_BYTES : (uint64_t)n * G2_BYTES;
        if (sz[k] != want)
            return fail(where, section_names[k], ZK_EENCODING);
    }

    zk_agg_srs *s = srs_alloc(n);
    if (!s)
        return ZK_ENOMEM;
    s->g = g;
    s->h = h;
    const uint8_t *const src[4] = { d[2], d[3], d[4], d[5] };
    if ((rc = decode_points(s, src, pool, where)) == ZK_OK)
        rc = zk_agg_srs_verify(s, pool, where);
    if (rc != ZK_OK) {
        zk_agg_srs_free(s);
        return rc;
    }
    *out = s;
    return ZK_OK;
}

int zk_agg_srs_read(zk_agg_srs **out, const char *path, zk_pool *pool, const char **where)
{
    if (where)
        *where = NULL;
    if (out)
        *out = NULL;
    if (!out || !path)
        return ZK_EINVAL;
    zk_binfile *f;
    int rc = zk_binfile_open(&f, path, "zsrs", ZK_AGG_SRS_VERSION);
    if (rc != ZK_OK)
        return fail(where, "container", rc);
    rc = read_common(out, f, pool, where);
    zk_binfile_close(f);
    return rc;
}

int zk_agg_srs_read_mem(zk_agg_srs **out, const uint8_t *data, size_t len, zk_pool *pool,
                        const char **where)
{
    if (where)
        *where = NULL;
    if (out)
        *out = NULL;
    if (!out || (!data && len > 0))
        return ZK_EINVAL;
    zk_binfile *f;
    int rc = zk_binfile_open_mem(&f, data, len, "zsrs", ZK_AGG_SRS_VERSION);
    if (rc != ZK_OK)
        return fail(where, "container", rc);
    rc = read_common(out, f, pool, where);
    zk_binfile_close(f);
    return rc;
}

/* ------------------------------------------------------------ from ptau */

static const char file_letter[2] = { 'A', 'B' };

/* The name of a failed part in ptau terms (file w = 0 for A, 1 for B). */
static const char *ptau_what_name(int what)
{
    switch (what) {
    case W_GA0: case W_GA1: return "ptau A: tau is 0 or 1, or tauG1[0] is not g";
    case W_GB0: case W_GB1: return "ptau B: tau is 0 or 1, or tauG1[0] is not g";
    case W_HA0: return "ptau A: tauG2[0] is not the G2 generator";
    case W_HB0: return "ptau B: tauG2[0] is not the G2 generator";
    case W_SAME: return "ptau A and ptau B have the same tau";
    case W_GA: return "ptau A: section 2 (tauG1) is not the powers of its tau";
    case W_GB: return "ptau B: section 2 (tauG1) is not the powers of its tau";
    case W_HA: return "ptau A: section 3 (tauG2) is not the powers of its tau";
    case W_HB: return "ptau B: section 3 (tauG2) is not the powers of its tau";
    default: return "generators";
    }
}

static int range_fail(const char **why, unsigned f, unsigned section, int64_t bad, int rc)
{
    if (bad < 0)
        return fail(why, where_fmt("ptau %c: section %u (%s)", file_letter[f], section,
                                   section == 2 ? "tauG1" : "tauG2"),
                    rc);
    return fail(why, where_fmt("ptau %c: section %u (%s), point %lld", file_letter[f],
                               section, section == 2 ? "tauG1" : "tauG2", (long long)bad),
                rc);
}

int zk_agg_srs_from_ptau(zk_agg_srs **out, const zk_ptau *pa, const zk_ptau *pb,
                         size_t n_max, zk_pool *pool, const char **why)
{
    if (why)
        *why = NULL;
    if (out)
        *out = NULL;
    if (!out || !pa || !pb || !valid_n(n_max))
        return ZK_EINVAL;
    const size_t n = n_max;
    const zk_ptau *pt[2] = { pa, pb };
    zk_g1 g, t1[2][2];
    zk_g2 h, t2;
    zk_g1_generator(&g);
    zk_g2_generator(&h);
    int64_t bad;
    int rc;

    /* the cheap refusals first: size, generators, tau in {0, 1}, a = b */
    for (unsigned f = 0; f < 2; f++) {
        if (zk_ptau_section_points(pt[f], 2) < 2 * n || zk_ptau_section_points(pt[f], 3) < n)
            return fail(why,
                        where_fmt("ptau %c: power %u is too small for n_max = %zu "
                                  "(needs power >= %u)",
                                  file_letter[f], zk_ptau_power(pt[f]), n,
                                  log2_exact(n) + 1),
                        ZK_EVERIFY);
        if ((rc = zk_ptau_g1_range(t1[f], pt[f], 2, 0, 2, NULL, &bad)) != ZK_OK)
            return range_fail(why, f, 2, bad, rc);
        if ((rc = zk_ptau_g2_range(&t2, pt[f], 3, 0, 1, NULL, &bad)) != ZK_OK)
            return range_fail(why, f, 3, bad, rc);
        if (!zk_g1_eq(&t1[f][0], &g))
            return fail(why, where_fmt("ptau %c: tauG1[0] is not the G1 generator",
                                       file_letter[f]),
                        ZK_EVERIFY);
        if (!zk_g2_eq(&t2, &h))
            return fail(why, where_fmt("ptau %c: tauG2[0] is not the G2 generator",
                                       file_letter[f]),
                        ZK_EVERIFY);
        if (zk_g1_is_inf(&t1[f][1]) || zk_g1_eq(&t1[f][1], &g))
            return fail(why, where_fmt("ptau %c: tau is 0 or 1", file_letter[f]),
                        ZK_EVERIFY);
    }
    if (zk_g1_eq(&t1[0][1], &t1[1][1]))
        return fail(why, ptau_what_name(W_SAME), ZK_EVERIFY);

    zk_agg_srs *s = srs_alloc(n);
    if (!s)
        return ZK_ENOMEM;
    for (unsigned f = 0; f < 2 && rc == ZK_OK; f++) {
        if ((rc = zk_ptau_g1_range(f == 0 ? s->g_a : s->g_b, pt[f], 2, 0, 2 * n, pool,
                                   &bad)) != ZK_OK)
            rc = range_fail(why, f, 2, bad, rc);
        else if ((rc = zk_ptau_g2_range(f == 0 ? s->h_a : s->h_b, pt[f], 3, 0, n, pool,
                                        &bad)) != ZK_OK)
            rc = range_fail(why, f, 3, bad, rc);
    }
    int what = W_OK;
    if (rc == ZK_OK && (rc = verify_core(s, pool, &what)) == ZK_EVERIFY)
        fail(why, ptau_what_name(what), rc);
    if (rc != ZK_OK) {
        zk_agg_srs_free(s);
        return rc;
    }
    *out = s;
    return ZK_OK;
}

/* The contribution records of a .ptau's section 7. */
typedef struct {
    const uint8_t **rec; /* each CONTRIB_ID_BYTES long at least */
    uint32_t n;
} contribs;

/* Parse section 7 of the ptau container f into c (c->rec malloc'ed).  A
 * file without section 7 gives no record. */
static int parse_contribs(contribs *c, const zk_binfile *f)
{
    const uint8_t *d = NULL;
    uint64_t size = 0;
    unsigned found = 0;
    c->rec = NULL;
    c->n = 0;
    for (uint32_t i = 0; i < zk_binfile_nsections(f); i++) {
        uint32_t type;
        const uint8_t *pd;
        uint64_t ps;
        if (zk_binfile_section_at(f, i, &type, &pd, &ps) != ZK_OK)
            return ZK_EFORMAT;
        if (type == 7) {
            found++;
            d = pd;
            size = ps;
        }
    }
    if (found == 0)
        return ZK_OK;
    if (found > 1)
        return ZK_EFORMAT;
    if (size < 4)
        return ZK_EENCODING;
    const uint32_t count = zk_load_u32_le(d);
    if ((uint64_t)count > (size - 4) / CONTRIB_FIXED_BYTES)
        return ZK_EENCODING;
    if (count == 0)
        return size == 4 ? ZK_OK : ZK_EENCODING;
    c->rec = malloc(count * sizeof *c->rec);
    if (!c->rec)
        return ZK_ENOMEM;
    uint64_t off = 4;
    for (uint32_t k = 0; k < count; k++) {
        if (size - off < CONTRIB_FIXED_BYTES)
            return ZK_EENCODING;
        const uint64_t plen = zk_load_u32_le(d + off + CONTRIB_FIXED_BYTES - 4);
        if (size - off - CONTRIB_FIXED_BYTES < plen)
            return ZK_EENCODING;
        c->rec[k] = d + off;
        off += CONTRIB_FIXED_BYTES + plen;
    }
    c->n = count;
    return off == size ? ZK_OK : ZK_EENCODING;
}

int zk_agg_srs_from_ptau_files(zk_agg_srs **out, const char *path_a, const char *path_b,
                               size_t n_max, zk_pool *pool, const char **why)
{
    if (why)
        *why = NULL;
    if (out)
        *out = NULL;
    if (!out || !path_a || !path_b || !valid_n(n_max))
        return ZK_EINVAL;
    const char *path[2] = { path_a, path_b };
    zk_ptau *pt[2] = { NULL, NULL };
    zk_binfile *bf[2] = { NULL, NULL };
    contribs c[2] = { { NULL, 0 }, { NULL, 0 } };
    int rc = ZK_OK;

    for (unsigned f = 0; f < 2 && rc == ZK_OK; f++) {
        const char *w = NULL;
        if ((rc = zk_ptau_open(&pt[f], path[f], &w)) != ZK_OK) {
            fail(why, where_fmt("ptau %c: %s", file_letter[f], w ? w : "open"), rc);
            break;
        }
        /* ptau.h does not expose section 7: read it from a second mapping */
        if ((rc = zk_binfile_open(&bf[f], path[f], "ptau", ZK_PTAU_VERSION)) != ZK_OK ||
            (rc = parse_contribs(&c[f], bf[f])) != ZK_OK)
            fail(why, where_fmt("ptau %c: section 7 (contributions)", file_letter[f]), rc);
    }
    for (uint32_t i = 0; rc == ZK_OK && i < c[0].n; i++)
        for (uint32_t k = 0; rc == ZK_OK && k < c[1].n; k++)
            if (memcmp(c[0].rec[i], c[1].rec[k], CONTRIB_ID_BYTES) == 0)
                rc = fail(why,
                          where_fmt("ptau A and ptau B share a contribution (%u of A, "
                                    "%u of B): one contribution chain",
                                    (unsigned)i + 1, (unsigned)k + 1),
                          ZK_EVERIFY);
    for (unsigned f = 0; f < 2; f++) {
        free(c[f].rec);
        zk_binfile_close(bf[f]);
    }
    if (rc == ZK_OK)
        rc = zk_agg_srs_from_ptau(out, pt[0], pt[1], n_max, pool, why);
    zk_ptau_free(pt[0]);
    zk_ptau_free(pt[1]);
    return rc;
}

/* ------------------------------------------------------------ vk */

void zk_agg_srs_vk(zk_agg_vk *out, const zk_agg_srs *s)
{
    out->n_max = s->n_max;
    out->g = s->g;
    out->h = s->h;
    out->g_a = s->g_a[1];
    out->g_b = s->g_b[1];
    out->h_a = s->h_a[1];
    out->h_b = s->h_b[1];
}

json_t *zk_agg_vk_encode(const zk_agg_vk *vk)
{
    if (!vk)
        return NULL;
    json_t *o = json_object();
    if (!o)
        return NULL;
    if (json_object_set_new(o, "protocol", json_string("snarkpack")) != 0 ||
        json_object_set_new(o, "curve", json_string("bn128")) != 0 ||
        json_object_set_new(o, "n_max", json_integer((json_int_t)vk->n_max)) != 0 ||
        json_object_set_new(o, "g", zk_json_g1_encode(&vk->g)) != 0 ||
        json_object_set_new(o, "h", zk_json_g2_encode(&vk->h)) != 0 ||
        json_object_set_new(o, "g_a", zk_json_g1_encode(&vk->g_a)) != 0 ||
        json_object_set_new(o, "g_b", zk_json_g1_encode(&vk->g_b)) != 0 ||
        json_object_set_new(o, "h_a", zk_json_g2_encode(&vk->h_a)) != 0 ||
        json_object_set_new(o, "h_b", zk_json_g2_encode(&vk->h_b)) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static int member_g1(zk_g1 *r, const json_t *o, const char *key, const char **where)
{
    int rc = zk_json_g1_decode(r, json_object_get(o, key));
    return rc != ZK_OK ? fail(where, key, rc) : ZK_OK;
}

static int member_g2(zk_g2 *r, const json_t *o, const char *key, const char **where)
{
    int rc = zk_json_g2_decode(r, json_object_get(o, key));
    return rc != ZK_OK ? fail(where, key, rc) : ZK_OK;
}

/* Member key of o must be a string equal to one of a, b (b may be NULL). */
static int member_id(const json_t *o, const char *key, const char *a, const char *b,
                     const char **where)
{
    const json_t *v = json_object_get(o, key);
    if (!json_is_string(v))
        return fail(where, key, ZK_EENCODING);
    const char *s = json_string_value(v);
    if (strcmp(s, a) != 0 && (!b || strcmp(s, b) != 0))
        return fail(where, key, ZK_EFORMAT);
    return ZK_OK;
}

int zk_agg_vk_decode(zk_agg_vk *out, const json_t *j, const char **where)
{
    if (where)
        *where = NULL;
    if (!out || !j)
        return ZK_EINVAL;
    if (!json_is_object(j))
        return fail(where, "(root)", ZK_EENCODING);
    zk_agg_vk vk;
    int rc;
    if ((rc = member_id(j, "protocol", "snarkpack", NULL, where)) != ZK_OK ||
        (rc = member_id(j, "curve", "bn128", "bn254", where)) != ZK_OK)
        return rc;
    const json_t *nj = json_object_get(j, "n_max");
    if (!json_is_integer(nj) || json_integer_value(nj) < 0 ||
        (unsigned long long)json_integer_value(nj) > ZK_AGG_SRS_MAX_N ||
        !valid_n((size_t)json_integer_value(nj)))
        return fail(where, "n_max", ZK_EENCODING);
    vk.n_max = (size_t)json_integer_value(nj);
    if ((rc = member_g1(&vk.g, j, "g", where)) != ZK_OK ||
        (rc = member_g2(&vk.h, j, "h", where)) != ZK_OK ||
        (rc = member_g1(&vk.g_a, j, "g_a", where)) != ZK_OK ||
        (rc = member_g1(&vk.g_b, j, "g_b", where)) != ZK_OK ||
        (rc = member_g2(&vk.h_a, j, "h_a", where)) != ZK_OK ||
        (rc = member_g2(&vk.h_b, j, "h_b", where)) != ZK_OK)
        return rc;

    zk_g1 g;
    zk_g2 h;
    zk_g1_generator(&g);
    zk_g2_generator(&h);
    if (!zk_g1_eq(&vk.g, &g))
        return fail(where, "g", ZK_EVERIFY);
    if (!zk_g2_eq(&vk.h, &h))
        return fail(where, "h", ZK_EVERIFY);
    if (zk_g1_is_inf(&vk.g_a) || zk_g1_eq(&vk.g_a, &g))
        return fail(where, "g_a", ZK_EVERIFY);
    if (zk_g1_is_inf(&vk.g_b) || zk_g1_eq(&vk.g_b, &g) || zk_g1_eq(&vk.g_a, &vk.g_b))
        return fail(where, "g_b", ZK_EVERIFY);

    /* e(g_a + rho g_b, h) = e(g, h_a + rho h_b): both relations in one
     * check, rho verifier-local */
    if (sodium_init() < 0)
        return ZK_ENOMEM;
    zk_fr rho;
    do
        zk_fr_random(&rho);
    while (zk_fr_is_zero(&rho));
    zk_g1j pj, tj;
    zk_g2j qj, uj;
    zk_g1j_from_affine(&pj, &vk.g_b);
    zk_g1j_mul_var(&pj, &pj, &rho);
    zk_g1j_from_affine(&tj, &vk.g_a);
    zk_g1j_add(&pj, &pj, &tj);
    zk_g2j_from_affine(&qj, &vk.h_b);
    zk_g2j_mul_var(&qj, &qj, &rho);
    zk_g2j_from_affine(&uj, &vk.h_a);
    zk_g2j_add(&qj, &qj, &uj);
    zk_g1 p[2];
    zk_g2 q[2];
    zk_g1_from_jacobian(&p[0], &pj);
    q[0] = h;
    zk_g1_neg(&p[1], &g);
    zk_g2_from_jacobian(&q[1], &qj);
    if (!zk_pairing_check(p, q, 2))
        return fail(where, "pairing check", ZK_EVERIFY);
    *out = vk;
    return ZK_OK;
}
