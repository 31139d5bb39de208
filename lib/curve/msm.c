/*
 * msm.c -- multi-scalar multiplication and fixed-base batch multiplication
 * on G1 and G2 (see msm.h).  The group-independent parts live here; the
 * algorithms are written once in msm_impl.h and instantiated below for G1
 * over Fp and G2 over Fp2.
 *
 * MSM outline (variable time, public data):
 *  1. Every scalar k is split as k = k1 + k2 lambda with |k1|, |k2| <
 *     2^126.4 (Babai rounding on a short lattice basis), and the
 *     endomorphism with eigenvalue lambda is applied to the point:
 *     G1: phi(x, y) = (beta x, y), lambda a cube root of unity mod r (GLV);
 *     G2: psi = untwist-Frobenius-twist, lambda = p mod r = 6z^2 (GLS).
 *     So n points with 254-bit scalars become 2n points with 127-bit ones.
 *  2. Each half-scalar is cut into W = ceil(128 / c) signed digits in
 *     [-2^(c-1), 2^(c-1)): with H = sum_w 2^(c-1) 2^(cw), the digits of
 *     |k| are the c-bit windows of |k| + H minus 2^(c-1) (no carries to
 *     propagate; |k| + H < 2^(cW) since |k| < 2^127 (1 - 1/(2^c - 1))).
 *     The sign of the half and of the digit pick P or -P, so 2^(c-1)
 *     buckets per window suffice.
 *  3. Bucket method per window (Pippenger): bucket |d| collects the points
 *     with that digit.  Buckets are affine and additions are batched:
 *     independent additions (distinct buckets) are collected and done in
 *     affine coordinates with one shared inversion (Montgomery's trick;
 *     G2 inverts norms, in Fp), 6 multiplications each on G1 instead of
 *     11 for a mixed Jacobian addition.  A point whose bucket already has
 *     a pending addition waits in a queue and is retried after the batch;
 *     when the queue is full, or in the exceptional cases (the point is ±
 *     the bucket), it goes to a Jacobian overflow accumulator of the
 *     bucket instead.  Tiny inputs use Jacobian buckets only.
 *  4. Window sum = sum_b (b + 1) bucket_b by running sums, themselves
 *     batched in affine coordinates over 256 segments of the buckets; the
 *     windows are combined by Horner's rule (c doublings per window).
 *  Parallelism: tasks are (window, slice of the points) pairs run on the
 *  pool; each task writes its own result slot and the slots are added in
 *  index order.  The window width, the kind of buckets and the slicing are
 *  chosen by a cost model (measured constants) from n and the thread
 *  count, so the Jacobian sum differs between thread counts; it is
 *  normalized to Z = 1 at the end, which makes the output bit-identical.
 *
 * Fixed-base outline (constant time, secret scalars): k (or r - k, if k
 * is even, with the result negated at the end) is odd and is recoded into
 * 43 odd signed digits d_i in [-63, 63] with k = sum d_i 2^(6i); then
 * [k] base = sum_i [d_i 2^(6i)] base, each term read from a table of
 * [j 2^(6i)] base, j odd, by a masked scan of its 32 entries, negated
 * with a mask, and added with the complete formulas of Renes, Costello
 * and Batina (no exceptional case, so no branch, even for k = 0 or r - 1).
 * Blocks of 64 results are normalized with one constant-time inversion.
 */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gmp.h>
#include <sodium.h>

#include "curve/curve_inline.h"
#include "curve/msm.h"
#include "field/frob_inline.h"

/* ------------------------------------------------------------------ */
/* Group-independent helpers                                            */
/* ------------------------------------------------------------------ */

#define MSM_AFF 1u  /* bucket has an affine value */
#define MSM_BUSY 2u /* bucket has a pending batched addition */
#define MSM_JAC 4u  /* bucket has a Jacobian overflow value */

/* Points per preprocessing task and scalars per fixed-base task. */
#define MSM_PREP_BLOCK 4096u
#define MSM_FB_BLOCK 64u

/* Window sizes considered by the cost model. */
#define MSM_C_MIN 2u
#define MSM_C_MAX 18u
/* The smallest window for batch-affine buckets; largest slicing. */
#define MSM_AFF_C_MIN 6u
#define MSM_MAX_PARTS 16u
/* Segments of the affine bucket reduction, and the least bucket count
 * that uses it. */
#define MSM_RED_LANES 256u
#define MSM_RED_MIN_NB 512u

/* Points between two advances of the meter (meter.h) in a window task. */
#define MSM_METER_STEP 4096u

static size_t msm_align(size_t x) { return (x + 63) & ~(size_t)63; }

/*
 * A short basis (a1, b1), (a2, b2) of {(a, b) : a + b lambda = 0 mod r},
 * magnitudes below 2^128 with their signs, and g1 = floor(b2 2^256 / r),
 * g2 = floor(-b1 2^256 / r) (both non-negative here).
 */
typedef struct {
    uint64_t a1[4], b1[4], a2[4], b2[4]; /* below 2^128: limbs 2, 3 are 0 */
    int a1_neg, b1_neg, a2_neg, b2_neg;
    uint64_t g1[4], g2[4]; /* below 2^192: limb 3 is 0 */
} msm_split_consts;

#if ZK_GLV_G1_NEG || ZK_GLV_G2_NEG
#error "msm.c assumes non-negative GLV rounding constants"
#endif

/* G1 (GLV): the basis from gen_constants.c. */
static const msm_split_consts G1_SPLIT = {
    ZK_GLV_A1, ZK_GLV_B1, ZK_GLV_A2, ZK_GLV_B2,
    ZK_GLV_A1_NEG, ZK_GLV_B1_NEG, ZK_GLV_A2_NEG, ZK_GLV_B2_NEG,
    ZK_GLV_G1, ZK_GLV_G2,
};

/*
 * G2 (GLS): lambda = 6z^2 = p mod r (r = 36z^4 + 36z^3 + 18z^2 + 6z + 1,
 * p = r + 6z^2), basis v1 = (6z^2, -1), v2 = (6z + 1, 6z^2 + 6z + 3)
 * (det = r), g1 = floor((6z^2 + 6z + 3) 2^256 / r), g2 = floor(2^256 / r)
 * = 5.  tests/unit/test_msm.c re-derives g1 with GMP.
 */
#define MSM_Z ((zk_u128)ZK_BN_Z)
#define MSM_U128(v) {(uint64_t)(v), (uint64_t)((v) >> 64), 0, 0}
static const msm_split_consts G2_SPLIT = {
    MSM_U128(6 * MSM_Z * MSM_Z), {1, 0, 0, 0}, MSM_U128(6 * MSM_Z + 1),
    MSM_U128(6 * MSM_Z * MSM_Z + 6 * MSM_Z + 3),
    0, 1, 0, 0,
    {0x2cb62031c8e01941ULL, 0x4ccef014a773d2d5ULL, 0x2ULL, 0}, {5, 0, 0, 0},
};

/* c = round(k g / 2^256) for k < 2^256, g < 2^192; the callers' values
 * keep c below 2^128. */
static void msm_round_mul(uint64_t c[2], const uint64_t k[4], const uint64_t g[3])
{
    uint64_t p[7] = {0, 0, 0, 0, 0, 0, 0};
    for (int i = 0; i < 4; i++) {
        uint64_t carry = 0;
        for (int j = 0; j < 3; j++) {
            zk_u128 t = (zk_u128)k[i] * g[j] + p[i + j] + carry;
            p[i + j] = (uint64_t)t;
            carry = (uint64_t)(t >> 64);
        }
        p[i + 3] = carry;
    }
    /* + 2^255 */
    zk_u128 t = (zk_u128)p[3] + (UINT64_C(1) << 63);
    p[3] = (uint64_t)t;
    t = (zk_u128)p[4] + (uint64_t)(t >> 64);
    p[4] = (uint64_t)t;
    p[5] += (uint64_t)(t >> 64);
    c[0] = p[4];
    c[1] = p[5];
}

/* acc += (sub ? -1 : 1) * a * b mod 2^256, a and b of two limbs. */
static void msm_mac22(uint64_t acc[4], const uint64_t a[2], const uint64_t b[2], int sub)
{
    uint64_t p[4] = {0, 0, 0, 0};
    for (int i = 0; i < 2; i++) {
        uint64_t carry = 0;
        for (int j = 0; j < 2; j++) {
            zk_u128 t = (zk_u128)a[i] * b[j] + p[i + j] + carry;
            p[i + j] = (uint64_t)t;
            carry = (uint64_t)(t >> 64);
        }
        p[i + 2] = carry;
    }
    uint64_t carry = 0;
    for (int i = 0; i < 4; i++) {
        if (sub) {
            zk_u128 t = (zk_u128)acc[i] - p[i] - carry;
            acc[i] = (uint64_t)t;
            carry = (uint64_t)(t >> 64) & 1;
        } else {
            zk_u128 t = (zk_u128)acc[i] + p[i] + carry;
            acc[i] = (uint64_t)t;
            carry = (uint64_t)(t >> 64);
        }
    }
}

/* |v| (v a 256-bit two's complement value known to be below 2^128 in
 * magnitude) and its sign. */
static int msm_abs(uint64_t m[2], const uint64_t v[4])
{
    int neg = (int)(v[3] >> 63);
    if (neg) {
        uint64_t t[4], carry = 1;
        for (int i = 0; i < 4; i++) {
            zk_u128 s = (zk_u128)(~v[i]) + carry;
            t[i] = (uint64_t)s;
            carry = (uint64_t)(s >> 64);
        }
        m[0] = t[0];
        m[1] = t[1];
    } else {
        m[0] = v[0];
        m[1] = v[1];
    }
    return neg;
}

/*
 * k = k1 + k2 lambda (mod r) with c1 = round(b2 k / r), c2 = round(-b1 k /
 * r), k1 = k - c1 a1 - c2 a2, k2 = -c1 b1 - c2 b2.  The rounding errors
 * are below 3/4 (g_i are floors, so k g_i / 2^256 is low by less than
 * k / 2^256 < 1/4), hence |k1| <= 3/4 (|a1| + |a2|) and |k2| <= 3/4
 * (|b1| + |b2|): both below 2^126.4 for the two bases above.
 */
static void msm_split(uint64_t m1[2], int *n1, uint64_t m2[2], int *n2, const uint64_t k[4],
                      const msm_split_consts *s)
{
    uint64_t c1[2], c2[2], k1[4], k2[4] = {0, 0, 0, 0};
    msm_round_mul(c1, k, s->g1);
    msm_round_mul(c2, k, s->g2);
    memcpy(k1, k, sizeof k1);
    msm_mac22(k1, c1, s->a1, !s->a1_neg);
    msm_mac22(k1, c2, s->a2, !s->a2_neg);
    msm_mac22(k2, c1, s->b1, !s->b1_neg);
    msm_mac22(k2, c2, s->b2, !s->b2_neg);
    *n1 = msm_abs(m1, k1);
    *n2 = msm_abs(m2, k2);
}

/* Segments of the affine bucket reduction (msm_reduce_aff) for nb
 * buckets: 0 means "use the Jacobian running sum" (small nb, where one
 * inversion per step would not pay). */
static size_t msm_red_lanes(size_t nb)
{
    if (nb < MSM_RED_MIN_NB)
        return 0;
    return nb / 8 < MSM_RED_LANES ? nb / 8 : MSM_RED_LANES;
}

/* The parameters of one MSM call. */
typedef struct {
    unsigned c;        /* window width in bits */
    unsigned windows;  /* ceil(128 / c) */
    unsigned parts;    /* slices of the points */
    size_t part_len;   /* points per slice */
    int affine;        /* batch-affine buckets (else Jacobian only) */
    size_t bs, qs;     /* batch and queue capacities */
    uint64_t H[3];     /* sum_w 2^(c-1) 2^(cw) */
} msm_params;

/* Encoded half-scalar: |k| + H in 3 limbs, the sign of k in bit 191. */
static void msm_encode_half(uint64_t out[3], const uint64_t m[2], int neg, const uint64_t H[3])
{
    zk_u128 t = (zk_u128)m[0] + H[0];
    out[0] = (uint64_t)t;
    t = (zk_u128)m[1] + H[1] + (uint64_t)(t >> 64);
    out[1] = (uint64_t)t;
    out[2] = H[2] + (uint64_t)(t >> 64);
    out[2] |= (uint64_t)neg << 63;
}

static void msm_encode_zero(uint64_t kk[6], const msm_params *par)
{
    memcpy(kk, par->H, 3 * sizeof(uint64_t));
    memcpy(kk + 3, par->H, 3 * sizeof(uint64_t));
}

/* Split and encode scalar s; returns 1 when the second half is non-zero
 * (the endomorphism image of the point is needed). */
static int msm_encode_scalar(uint64_t kk[6], const zk_fr *s, const msm_split_consts *sc,
                             const msm_params *par)
{
    uint64_t k[4], m1[2], m2[2];
    int n1, n2;
    fr_to_int(k, s);
    msm_split(m1, &n1, m2, &n2, k, sc);
    msm_encode_half(kk, m1, n1, par->H);
    msm_encode_half(kk + 3, m2, n2, par->H);
    return (m2[0] | m2[1]) != 0;
}

/* The c-bit window at bit offset off of an encoded half (off + c <= 191). */
static inline uint32_t msm_digit(const uint64_t k[3], unsigned off, unsigned c)
{
    unsigned l = off >> 6, s = off & 63;
    uint64_t v = k[l] >> s;
    if (s + c > 64)
        v |= k[l + 1] << (64 - s);
    return (uint32_t)(v & (((uint64_t)1 << c) - 1));
}

/* Cost model constants in nanoseconds, measured on the reference machine
 * (only their ratios matter). */
typedef struct {
    double jac;     /* one bucket addition, Jacobian buckets (mixed add) */
    double aff;     /* one batched affine bucket addition, inversion apart */
    double inv;     /* per batch: the inversion and the batch overhead */
    double red_aff; /* one bucket of the batched affine reduction */
    double red_mix; /* one bucket of the Jacobian running sum, affine buckets */
    double red_jac; /* the same with Jacobian buckets */
} msm_costs;

static size_t msm_batch_size(unsigned c)
{
    size_t nb = (size_t)1 << (c - 1), bs = nb >> 4;
    if (bs > 1024)
        bs = 1024;
    if (bs < 16)
        bs = 16;
    return bs;
}

/* Pick the window width, the bucket kind and the slicing that minimize
 * the modelled time on `threads` threads. */
static void msm_choose(msm_params *par, size_t n, unsigned threads, const msm_costs *k)
{
    double best = -1.0, npts = 2.0 * (double)n;
    for (unsigned c = MSM_C_MIN; c <= MSM_C_MAX; c++) {
        unsigned W = (128 + c - 1) / c;
        double nb = (double)((size_t)1 << (c - 1));
        for (int aff = 0; aff <= (c >= MSM_AFF_C_MIN); aff++) {
            double add = aff ? k->aff + k->inv / (double)msm_batch_size(c) : k->jac;
            double red = !aff ? k->red_jac
                         : msm_red_lanes((size_t)nb) ? k->red_aff : k->red_mix;
            for (unsigned parts = 1; parts <= MSM_MAX_PARTS; parts++) {
                if (parts > 1 && (size_t)parts * 1024 > n)
                    break;
                /* tasks run in rounds of `threads` */
                double task = npts / parts * add + nb * red;
                unsigned tasks = W * parts, rounds = (tasks + threads - 1) / threads;
                double t = rounds * task;
                if (best < 0 || t < best) {
                    best = t;
                    par->c = c;
                    par->windows = W;
                    par->parts = parts;
                    par->affine = aff;
                }
            }
        }
    }
    par->part_len = (n + par->parts - 1) / par->parts;
    par->bs = par->affine ? msm_batch_size(par->c) : 0;
    par->qs = par->bs;
    memset(par->H, 0, sizeof par->H);
    for (unsigned w = 0; w < par->windows; w++) {
        unsigned bit = par->c * w + par->c - 1;
        par->H[bit / 64] |= (uint64_t)1 << (bit % 64);
    }
}

/* Working-memory slots: a task takes a free one; at most zk_pool_size()
 * tasks run at once, and there are that many slots. */
typedef struct {
    atomic_uchar *used;
    unsigned n;
} msm_slots;

static void msm_slots_init(msm_slots *s, atomic_uchar *flags, unsigned n)
{
    s->used = flags;
    s->n = n;
    for (unsigned i = 0; i < n; i++)
        atomic_init(&s->used[i], 0);
}

static unsigned msm_slot_acquire(msm_slots *s)
{
    for (;;) {
        for (unsigned i = 0; i < s->n; i++) {
            if (atomic_load_explicit(&s->used[i], memory_order_relaxed) == 0 &&
                atomic_exchange_explicit(&s->used[i], 1, memory_order_acquire) == 0)
                return i;
        }
    }
}

static void msm_slot_release(msm_slots *s, unsigned i)
{
    atomic_store_explicit(&s->used[i], 0, memory_order_release);
}


/* ------------------------------------------------------------------ */
/* G1 over Fp                                                           */
/* ------------------------------------------------------------------ */

static const zk_fp G1_BETA = {ZK_GLV_BETA};

/* phi(x, y) = (beta x, y) = [lambda] (x, y) */
MONT_INLINE void g1_endo(zk_g1 *r, const zk_g1 *a)
{
    fp_mul(&r->x, &a->x, &G1_BETA);
    r->y = a->y;
}

/* r = 3b a = 9 a */
MONT_INLINE void g1_mul3b(zk_fp *r, const zk_fp *a)
{
    zk_fp t;
    fp_dbl(&t, a);
    fp_dbl(&t, &t);
    fp_dbl(&t, &t);
    fp_add(r, &t, a);
}

static const msm_costs G1_COSTS = {240.0, 135.0, 2000.0, 300.0, 530.0, 620.0};

#include "curve/group_g1.h"
#define F_INV_CT F_INV
#define MSM_DEN(d, t) (*(d) = *(t))
#define MSM_INV(inv, t, dinv) (*(inv) = *(dinv))
#define F_MUL3B g1_mul3b
#define PT_ENDO g1_endo
#define MSM_SPLIT (&G1_SPLIT)
#define MSM_COST (&G1_COSTS)
#define FB_W 6
#include "curve/msm_impl.h"
#include "curve/group_undef.h"
#undef F_INV_CT
#undef MSM_DEN
#undef MSM_INV
#undef F_MUL3B
#undef PT_ENDO
#undef MSM_SPLIT
#undef MSM_COST
#undef FB_W

/* ------------------------------------------------------------------ */
/* G2 over Fp2                                                          */
/* ------------------------------------------------------------------ */


/* 1/(t0 + t1 u) = (t0 - t1 u) / (t0^2 + t1^2): the batch inversion of
 * the G2 additions runs on the norms, in Fp. */
MONT_INLINE void g2_den(zk_fp *d, const zk_fp2 *t)
{
    zk_fp s;
    fp_sqr(d, &t->c0);
    fp_sqr(&s, &t->c1);
    fp_add(d, d, &s);
}

MONT_INLINE void g2_inv_from(zk_fp2 *inv, const zk_fp2 *t, const zk_fp *dinv)
{
    zk_fp s;
    fp_mul(&inv->c0, &t->c0, dinv);
    fp_mul(&s, &t->c1, dinv);
    fp_neg(&inv->c1, &s);
}

/* r = 3b' a */
MONT_INLINE void g2_mul3b(zk_fp2 *r, const zk_fp2 *a)
{
    zk_fp2 b3;
    fp2_add(&b3, &ZK_G2_B_, &ZK_G2_B_);
    fp2_add(&b3, &b3, &ZK_G2_B_);
    fp2_mul(r, a, &b3);
}

static const msm_costs G2_COSTS = {630.0, 310.0, 3000.0, 850.0, 1450.0, 1750.0};

#include "curve/group_g2.h"
#define F_INV_CT F_INV
#define MSM_DEN g2_den
#define MSM_INV g2_inv_from
#define F_MUL3B g2_mul3b
#define PT_ENDO g2_psi
#define MSM_SPLIT (&G2_SPLIT)
#define MSM_COST (&G2_COSTS)
#define FB_W 6
#include "curve/msm_impl.h"
#include "curve/group_undef.h"
#undef F_INV_CT
#undef MSM_DEN
#undef MSM_INV
#undef F_MUL3B
#undef PT_ENDO
#undef MSM_SPLIT
#undef MSM_COST
#undef FB_W

/* ------------------------------------------------------------------ */
/* Public API                                                           */
/* ------------------------------------------------------------------ */

int zk_msm_g1(zk_g1j *r, const zk_g1 *points, const zk_fr *scalars, size_t n, zk_pool *pool)
{
    return g1_msm(r, points, scalars, n, pool);
}

int zk_msm_g2(zk_g2j *r, const zk_g2 *points, const zk_fr *scalars, size_t n, zk_pool *pool)
{
    return g2_msm(r, points, scalars, n, pool);
}

int zk_g1_fixed_base_batch(zk_g1 *out, const zk_g1 *base, const zk_fr *k, size_t n,
                           zk_pool *pool)
{
    return g1_fixed_base(out, base, k, n, pool, 1);
}

int zk_g2_fixed_base_batch(zk_g2 *out, const zk_g2 *base, const zk_fr *k, size_t n,
                           zk_pool *pool)
{
    return g2_fixed_base(out, base, k, n, pool, ZK_FIXED_BASE_G2_UNITS);
}
