/*
 * ntt.c -- radix-2/4 decimation-in-frequency NTT over Fr, cache blocked.
 *
 * Forward transform of n = 2^L points, natural order in and out:
 *
 *  1. "Global" layers, half sizes h = n/2 down to `block`: Gentleman-Sande
 *     (DIF) butterflies (x, y) <- (x + y, (x - y) omega_{2h}^j) over the
 *     whole array, two layers per sweep (radix-4) so the array crosses the
 *     cache half as often.  Parallel over contiguous runs of butterflies.
 *  2. "Block" layers, h = block/2 down to 1: each block of `block`
 *     consecutive elements is now independent; it is finished while it sits
 *     in the core's L2.  Parallel over blocks.
 *  3. Bit-reversal permutation (DIF leaves the output in bit-reversed
 *     order), done tile by tile so both sides of each swap stay in L1.
 *     Parallel over tiles.
 *
 * The inverse runs the same DIF with omega^-1, using omega^-k =
 * -omega^(n/2 - k) so that one table serves both directions, and folds the
 * 1/n scaling into the last layer.  Coset transforms multiply by powers of
 * g (and 1/n) in one extra parallel sweep.
 *
 * Butterfly counts: n/2 per layer; a butterfly whose twiddle is 1 (j = 0)
 * skips its multiplication, which saves n - 1 of the n/2 log n products.
 *
 * Every output element is an exact field value whatever the schedule, so
 * the result is bit-identical for any thread count (and any block size:
 * the block size depends on the pool size, see choose_block).
 *
 * Why this shape (measured on a 2-core Sapphire Rapids vCPU, n = 2^20):
 * the butterflies are bound by the field arithmetic (fr_mul alone is ~17 ns
 * of throughput, a whole butterfly ~26 ns in cache), so what matters is
 * not adding memory stalls on top.  Blocking plus radix-4 global sweeps
 * brought the global layers to the in-cache cost per butterfly; the tiled
 * bit reversal costs ~2% of the transform (the naive one ~5%).  Radix-4
 * inside the blocks, and block sizes from 2^12 to 2^16, were no faster.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "field/field_inline.h"
#include "poly/ntt.h"

/* Largest block (elements) finished in cache: 2^14 * 32 bytes = 512 KiB,
 * plus its 512 KiB of compact twiddles, fits a 2 MiB L2 with room to
 * spare.  (Measured: 2^13 to 2^16 are within a few percent.) */
#define LOG_BLOCK_MAX 14
/* Smallest block when blocks are made smaller to feed more threads. */
#define LOG_BLOCK_MIN 10
/* Butterflies (or elements) per task of a sweep over the whole array. */
#define LOG_TASK 12
/* Bit-reversal tiles are 2^TILE x 2^TILE elements (rows of 512 bytes). */
#define LOG_TILE 4

#define NTT_INLINE static inline __attribute__((always_inline))

struct zk_ntt_domain {
    unsigned log_n;
    size_t n;
    size_t block_max; /* min(n, 2^LOG_BLOCK_MAX) */
    zk_fr omega;
    zk_fr n_inv;
    zk_fr *w;  /* w[k] = omega^k for 0 <= k < n/2 */
    zk_fr *wb; /* wb[h + j] = omega_{2h}^j for 1 <= h < block_max, j < h */
};

/* 64-byte aligned array of count elements (count >= 1). */
static zk_fr *alloc_fr(size_t count)
{
    if (count > (SIZE_MAX - 63) / sizeof(zk_fr))
        return NULL;
    size_t bytes = (count * sizeof(zk_fr) + 63) & ~(size_t)63;
    return aligned_alloc(64, bytes);
}

int zk_ntt_domain_new(zk_ntt_domain **out, unsigned log_n)
{
    *out = NULL;
    if (log_n > ZK_NTT_MAX_LOG)
        return ZK_EINVAL;
    zk_ntt_domain *d = calloc(1, sizeof *d);
    if (d == NULL)
        return ZK_ENOMEM;
    d->log_n = log_n;
    d->n = (size_t)1 << log_n;
    d->block_max = log_n < LOG_BLOCK_MAX ? d->n : (size_t)1 << LOG_BLOCK_MAX;
    size_t half = d->n > 1 ? d->n / 2 : 1;
    d->w = alloc_fr(half);
    d->wb = alloc_fr(d->block_max);
    if (d->w == NULL || d->wb == NULL) {
        zk_ntt_domain_free(d);
        return ZK_ENOMEM;
    }
    zk_fr nn;
    zk_fr_set_u64(&nn, (uint64_t)d->n);
    if (zk_fr_root_of_unity(&d->omega, log_n) != ZK_OK || zk_fr_inv(&d->n_inv, &nn) != ZK_OK) {
        zk_ntt_domain_free(d); /* cannot happen for log_n <= 28 */
        return ZK_EINVAL;
    }

    /* w[k] = omega^k: eight interleaved chains stepping by omega^8, so the
     * multiplications overlap instead of waiting on each other. */
    enum { LANES = 8 };
    fr_set_one(&d->w[0]);
    for (size_t k = 1; k < half && k < LANES; k++)
        fr_mul(&d->w[k], &d->w[k - 1], &d->omega);
    if (half > LANES) {
        zk_fr step;
        fr_mul(&step, &d->w[LANES - 1], &d->omega);
        for (size_t k = LANES; k < half; k++)
            fr_mul(&d->w[k], &d->w[k - LANES], &step);
    }
    /* Compact per-layer copies for the in-block layers, contiguous in j. */
    fr_set_one(&d->wb[0]);
    for (size_t h = 1; h < d->block_max; h <<= 1) {
        size_t stride = d->n / (2 * h);
        for (size_t j = 0; j < h; j++)
            d->wb[h + j] = d->w[j * stride];
    }
    *out = d;
    return ZK_OK;
}

void zk_ntt_domain_free(zk_ntt_domain *d)
{
    if (d == NULL)
        return;
    free(d->w);
    free(d->wb);
    free(d);
}

size_t zk_ntt_domain_size(const zk_ntt_domain *d) { return d->n; }

void zk_ntt_domain_omega(zk_fr *out, const zk_ntt_domain *d) { *out = d->omega; }

/* ---------------------------------------------------------------------- */
/* Butterflies.  inv = 0: (x, y) <- (x + y, (x - y) w).
 * inv = 1: (x, y) <- (x + y, (y - x) w), used with w = omega^(n/2 - k) =
 * -omega^-k, which gives (x + y, (x - y) omega^-k).  inv is always a
 * constant, so each caller compiles to one branch-free loop. */

NTT_INLINE void bfly(zk_fr *x, zk_fr *y, const zk_fr *w, int inv)
{
    zk_fr t;
    if (inv)
        fr_sub(&t, y, x);
    else
        fr_sub(&t, x, y);
    fr_add(x, x, y);
    fr_mul(y, &t, w);
}

/* Twiddle 1 (in both directions). */
NTT_INLINE void bfly1(zk_fr *x, zk_fr *y)
{
    zk_fr t;
    fr_sub(&t, x, y);
    fr_add(x, x, y);
    *y = t;
}

/* The table entry for omega^k (inv = 0) or -omega^-k (inv = 1), 0 < k < n/2. */
NTT_INLINE const zk_fr *tw(const zk_ntt_domain *d, size_t k, int inv)
{
    return inv ? &d->w[d->n / 2 - k] : &d->w[k];
}

typedef struct {
    const zk_ntt_domain *d;
    zk_fr *a;
    size_t h;           /* global sweep: the (first) half size */
    size_t block;       /* block phase: block size */
    size_t task;        /* butterflies (radix 2) or quads (radix 4) per task */
    const zk_fr *scale; /* inverse: 1/n, folded into the last layer */
} job;

/* One global layer of half size h, butterflies [t task, (t+1) task).  task
 * and h are powers of two with task <= h, so a task stays inside one block
 * of 2h elements. */
NTT_INLINE void radix2_task(const job *jb, size_t t, int inv)
{
    const zk_ntt_domain *d = jb->d;
    size_t h = jb->h, s = d->n / (2 * h);
    size_t u0 = t * jb->task, j0 = u0 & (h - 1);
    zk_fr *x = jb->a + (u0 - j0) * 2 + j0, *y = x + h;
    size_t k = 0;
    if (j0 == 0) {
        bfly1(&x[0], &y[0]);
        k = 1;
    }
    for (; k < jb->task; k++)
        bfly(&x[k], &y[k], tw(d, (j0 + k) * s, inv), inv);
}

/* Two global layers, half sizes h and q = h/2, on quads [t task, (t+1) task)
 * (task <= q, so again inside one block of 2h), each quad
 * (x0, x1, x2, x3) = a[base + j + {0, q, 2q, 3q}]:
 *   layer h: (x0, x2) with omega_{2h}^j,  (x1, x3) with omega_{2h}^(j+q)
 *   layer q: (x0, x1) and (x2, x3) with omega_{h}^j = omega_{2h}^(2j).
 * With s = n/(2h) the table indices are j s, j s + n/4 and 2 j s. */
NTT_INLINE void radix4_task(const job *jb, size_t t, int inv)
{
    const zk_ntt_domain *d = jb->d;
    size_t h = jb->h, q = h / 2, s = d->n / (2 * h), quarter = d->n / 4;
    size_t u0 = t * jb->task, j0 = u0 & (q - 1);
    zk_fr *x0 = jb->a + (u0 - j0) * 4 + j0, *x1 = x0 + q, *x2 = x1 + q, *x3 = x2 + q;
    size_t k = 0;
    if (j0 == 0) {
        bfly1(&x0[0], &x2[0]);
        bfly(&x1[0], &x3[0], tw(d, quarter, inv), inv);
        bfly1(&x0[0], &x1[0]);
        bfly1(&x2[0], &x3[0]);
        k = 1;
    }
    for (; k < jb->task; k++) {
        size_t js = (j0 + k) * s;
        const zk_fr *w2 = tw(d, 2 * js, inv);
        bfly(&x0[k], &x2[k], tw(d, js, inv), inv);
        bfly(&x1[k], &x3[k], tw(d, js + quarter, inv), inv);
        bfly(&x0[k], &x1[k], w2, inv);
        bfly(&x2[k], &x3[k], w2, inv);
    }
}

/* Layers h = block/2 .. 1 of block t, from the compact table wb, where
 * omega_{2h}^-k = -omega_{2h}^(h-k) = -wb[2h - k]. */
NTT_INLINE void block_task(const job *jb, size_t t, int inv)
{
    const zk_ntt_domain *d = jb->d;
    size_t B = jb->block;
    zk_fr *a = jb->a + t * B;
    for (size_t h = B / 2; h >= 2; h >>= 1) {
        const zk_fr *w = inv ? d->wb + 2 * h : d->wb + h;
        for (zk_fr *x = a; x < a + B; x += 2 * h) {
            zk_fr *y = x + h;
            bfly1(&x[0], &y[0]);
            for (size_t k = 1; k < h; k++)
                bfly(&x[k], &y[k], inv ? w - k : w + k, inv);
        }
    }
    /* h = 1: every twiddle is 1; the inverse may fold its 1/n in here */
    if (inv && jb->scale != NULL) {
        for (size_t i = 0; i < B; i += 2) {
            zk_fr t0;
            fr_sub(&t0, &a[i], &a[i + 1]);
            fr_add(&a[i], &a[i], &a[i + 1]);
            fr_mul(&a[i], &a[i], jb->scale);
            fr_mul(&a[i + 1], &t0, jb->scale);
        }
    } else {
        for (size_t i = 0; i < B; i += 2)
            bfly1(&a[i], &a[i + 1]);
    }
}

static void radix2_fwd(void *arg, size_t t) { radix2_task(arg, t, 0); }
static void radix2_inv(void *arg, size_t t) { radix2_task(arg, t, 1); }
static void radix4_fwd(void *arg, size_t t) { radix4_task(arg, t, 0); }
static void radix4_inv(void *arg, size_t t) { radix4_task(arg, t, 1); }
static void block_fwd(void *arg, size_t t) { block_task(arg, t, 0); }
static void block_inv(void *arg, size_t t) { block_task(arg, t, 1); }

/* ---------------------------------------------------------------------- */
/* Bit reversal.  With L = log n and b = tile bits, index i = (hi, m, lo)
 * with b-bit hi and lo maps to rev(i) = (rev lo, rev m, rev hi): tile m
 * (2^b rows of 2^b consecutive elements) trades places with tile rev(m),
 * transposed.  Each task takes a run of tiles m and swaps every pair once:
 * the whole tile against tile rev(m) when m < rev(m), only the pairs
 * with i < rev(i) when m == rev(m), nothing when m > rev(m). */

static uint64_t rev64(uint64_t x)
{
    x = ((x >> 1) & UINT64_C(0x5555555555555555)) | ((x & UINT64_C(0x5555555555555555)) << 1);
    x = ((x >> 2) & UINT64_C(0x3333333333333333)) | ((x & UINT64_C(0x3333333333333333)) << 2);
    x = ((x >> 4) & UINT64_C(0x0f0f0f0f0f0f0f0f)) | ((x & UINT64_C(0x0f0f0f0f0f0f0f0f)) << 4);
    return __builtin_bswap64(x);
}

/* rev of the low `bits` bits of x, 1 <= bits <= 64 */
static size_t rev_bits(size_t x, unsigned bits)
{
    return (size_t)(rev64((uint64_t)x) >> (64 - bits));
}

typedef struct {
    zk_fr *a;
    unsigned log_n;
    unsigned b;      /* tile bits */
    size_t per_task; /* tiles per task */
} brev_job;

static void bitrev_tiles(void *arg, size_t t)
{
    const brev_job *bj = arg;
    unsigned L = bj->log_n, b = bj->b, mbits = L - 2 * b;
    size_t side = (size_t)1 << b, ntiles = (size_t)1 << mbits;
    size_t rlo[1u << LOG_TILE];
    for (size_t c = 0; c < side; c++)
        rlo[c] = b ? rev_bits(c, b) : 0;
    zk_fr *a = bj->a;
    for (size_t m = t * bj->per_task; m < (t + 1) * bj->per_task && m < ntiles; m++) {
        size_t mr = mbits ? rev_bits(m, mbits) : 0;
        if (m > mr)
            continue;
        for (size_t hi = 0; hi < side; hi++) {
            size_t i0 = (hi << (L - b)) | (m << b);
            size_t r0 = (mr << b) | rlo[hi];
            for (size_t lo = 0; lo < side; lo++) {
                size_t i = i0 | lo, r = r0 | (rlo[lo] << (L - b));
                if (m < mr || i < r) {
                    zk_fr s = a[i];
                    a[i] = a[r];
                    a[r] = s;
                }
            }
        }
    }
}

static void bitrev(zk_fr *a, unsigned log_n, zk_pool *pool)
{
    if (log_n < 2)
        return;
    brev_job bj;
    bj.a = a;
    bj.log_n = log_n;
    bj.b = log_n / 2 < LOG_TILE ? log_n / 2 : LOG_TILE;
    size_t ntiles = (size_t)1 << (log_n - 2 * bj.b);
    /* about 2^LOG_TASK elements per task */
    unsigned lt = LOG_TASK > 2 * bj.b ? LOG_TASK - 2 * bj.b : 0;
    bj.per_task = (size_t)1 << lt;
    (void)zk_pool_run(pool, (ntiles + bj.per_task - 1) / bj.per_task, bitrev_tiles, &bj);
}

/* ---------------------------------------------------------------------- */

/* Block size for this call: at most block_max, and small enough that the
 * block phase has about four blocks per thread, but not below
 * 2^LOG_BLOCK_MIN. */
static size_t choose_block(const zk_ntt_domain *d, const zk_pool *pool)
{
    size_t block = d->block_max, want = 4 * (size_t)zk_pool_size(pool);
    while (block > ((size_t)1 << LOG_BLOCK_MIN) && d->n / block < want)
        block /= 2;
    return block;
}

/* In-place DIF of a with omega (inv = 0) or omega^-1 (inv = 1), then the
 * bit reversal; for the inverse, scale (may be NULL) multiplies every
 * output.  zk_pool_run cannot fail here (fn is set, counts are <= n), so
 * its status is not checked. */
static void transform(const zk_ntt_domain *d, zk_fr *a, zk_pool *pool, int inv,
                      const zk_fr *scale)
{
    size_t n = d->n;
    if (n == 1)
        return; /* the identity; scale, if any, is 1/n = 1 */
    job jb;
    jb.d = d;
    jb.a = a;
    jb.block = choose_block(d, pool);
    jb.scale = scale;
    size_t h = n / 2;
    size_t task = (size_t)1 << LOG_TASK;
    /* An odd number of global layers: one radix-2 sweep first. */
    unsigned global = d->log_n - (unsigned)__builtin_ctzll((unsigned long long)jb.block);
    if (global & 1) {
        jb.h = h;
        jb.task = task < h ? task : h;
        (void)zk_pool_run(pool, (n / 2) / jb.task, inv ? radix2_inv : radix2_fwd, &jb);
        h /= 2;
    }
    for (; h >= jb.block; h /= 4) {
        jb.h = h;
        jb.task = task < h / 2 ? task : h / 2;
        (void)zk_pool_run(pool, (n / 4) / jb.task, inv ? radix4_inv : radix4_fwd, &jb);
    }
    (void)zk_pool_run(pool, n / jb.block, inv ? block_inv : block_fwd, &jb);
    bitrev(a, d->log_n, pool);
}

int zk_ntt_forward(const zk_ntt_domain *d, zk_fr *a, zk_pool *pool)
{
    if (d == NULL || a == NULL)
        return ZK_EINVAL;
    transform(d, a, pool, 0, NULL);
    return ZK_OK;
}

int zk_ntt_inverse(const zk_ntt_domain *d, zk_fr *a, zk_pool *pool)
{
    if (d == NULL || a == NULL)
        return ZK_EINVAL;
    transform(d, a, pool, 1, &d->n_inv);
    return ZK_OK;
}

/* ---------------------------------------------------------------------- */
/* Coset scaling: a[i] *= c g^i. */

/* r = g^e by square-and-multiply; variable time in e only. */
static void pow_u64(zk_fr *r, const zk_fr *g, uint64_t e)
{
    zk_fr acc, b = *g;
    fr_set_one(&acc);
    while (e != 0) {
        if (e & 1)
            fr_mul(&acc, &acc, &b);
        e >>= 1;
        if (e != 0)
            fr_sqr(&b, &b);
    }
    *r = acc;
}

typedef struct {
    zk_fr *a;
    size_t n;
    size_t task;
    zk_fr g, g4, c;
} scale_job;

static void scale_task(void *arg, size_t t)
{
    const scale_job *sj = arg;
    size_t lo = t * sj->task, hi = lo + sj->task < sj->n ? lo + sj->task : sj->n;
    zk_fr p[4];
    /* four interleaved chains p[l] = c g^(i + l), stepping by g^4 */
    pow_u64(&p[0], &sj->g, lo);
    fr_mul(&p[0], &p[0], &sj->c);
    for (size_t l = 1; l < 4; l++)
        fr_mul(&p[l], &p[l - 1], &sj->g);
    size_t i = lo;
    for (; i + 4 <= hi; i += 4) {
        for (size_t l = 0; l < 4; l++) {
            fr_mul(&sj->a[i + l], &sj->a[i + l], &p[l]);
            fr_mul(&p[l], &p[l], &sj->g4);
        }
    }
    for (size_t l = 0; i < hi; i++, l++)
        fr_mul(&sj->a[i], &sj->a[i], &p[l]);
}

static void scale_powers(zk_fr *a, size_t n, const zk_fr *g, const zk_fr *c, zk_pool *pool)
{
    scale_job sj;
    sj.a = a;
    sj.n = n;
    sj.task = (size_t)1 << LOG_TASK;
    sj.g = *g;
    sj.c = *c;
    pow_u64(&sj.g4, g, 4);
    (void)zk_pool_run(pool, (n + sj.task - 1) / sj.task, scale_task, &sj);
}

int zk_ntt_coset_forward(const zk_ntt_domain *d, zk_fr *a, const zk_fr *g, zk_pool *pool)
{
    if (d == NULL || a == NULL || g == NULL)
        return ZK_EINVAL;
    zk_fr one;
    fr_set_one(&one);
    scale_powers(a, d->n, g, &one, pool);
    transform(d, a, pool, 0, NULL);
    return ZK_OK;
}

int zk_ntt_coset_inverse(const zk_ntt_domain *d, zk_fr *a, const zk_fr *g, zk_pool *pool)
{
    if (d == NULL || a == NULL || g == NULL)
        return ZK_EINVAL;
    zk_fr gi;
    if (zk_fr_inv(&gi, g) != ZK_OK)
        return ZK_EINVAL;
    transform(d, a, pool, 1, NULL);
    scale_powers(a, d->n, &gi, &d->n_inv, pool);
    return ZK_OK;
}
