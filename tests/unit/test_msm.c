/*
 * test_msm -- multi-scalar multiplication and fixed-base batch
 * multiplication on G1 and G2 (lib/curve/msm.h).
 *
 *  - zk_msm_g1 / zk_msm_g2 against the naive sum of [k_i] P_i (double-and-
 *    add per term) for n = 0, 1, 2, 3, 5, 64, 400, 1000, and for larger n
 *    against [sum_i k_i s_i] G, the points being P_i = [s_i] G with known
 *    s_i (an exact oracle that costs one scalar multiplication).  The sizes
 *    lie on both sides of the switch from Jacobian to batch-affine buckets
 *    (between 400 and 2000 points for every thread count) and of several
 *    window-size changes.  Inputs mix random points and scalars with
 *    points at infinity, zero scalars, r - 1, duplicate points (P, P) and
 *    opposite points (P, -P) with equal scalars -- the exceptional cases of
 *    affine addition --, equal scalars, all-equal points, small scalars,
 *    all-one and all-zero scalars;
 *  - the result is normalized (Z = 1 or the canonical infinity (1, 1, 0))
 *    and bit-identical (memcmp) for no pool and pools of 1, 2 and 3 threads;
 *  - the endomorphisms the MSM relies on: (beta x, y) = [lambda] P on G1
 *    and psi(Q) = [6z^2] Q on G2, and the G2 rounding constant;
 *  - zk_g1_fixed_base_batch / zk_g2_fixed_base_batch against zk_g1j_mul /
 *    zk_g2j_mul for random scalars and 0, 1, 2, r - 1, r - 2, 63, 64, 2^253,
 *    2^253 - 1, and a base at infinity, with and without a pool;
 *  - argument checks.
 */
#include <gmp.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "curve/g1.h"
#include "curve/g2.h"
#include "curve/msm.h"
#include "field/fp2.h"
#include "field/fr.h"
#include "tap.h"
#include "util/pool.h"

static zk_pool *pools[4]; /* NULL, 1, 2, 3 threads */

/* Input shapes. */
enum {
    MIX,       /* random, with every special case sprinkled in */
    PAIRS,     /* (P, k), (±P, k): doubling and cancellation in buckets */
    EQUAL_K,   /* one random scalar for all points */
    SAME_P,    /* one point, random scalars */
    SAME_BOTH, /* one point, one scalar: every addition hits one bucket */
    SMALL_K,   /* scalars 0..40 */
    ONES,      /* all scalars 1: one bucket, queue and overflow */
    ZEROS,     /* all scalars 0 */
    NSHAPES
};

static const char *shape_name[NSHAPES] = {
    "mixed", "pairs P,P and P,-P", "equal scalars", "equal points", "equal points and scalars",
    "small scalars", "all scalars 1", "all scalars 0"};

static void fr_minus(zk_fr *r, uint64_t v)
{
    zk_fr t;
    zk_fr_set_u64(&t, v);
    zk_fr_neg(r, &t); /* r - v */
}

/* Scalars of the given shape.  `pair` marks inputs whose point is
 * derived from the previous one (PAIRS, and the duplicates of MIX):
 * they get the previous scalar. */
static void shape_scalar(zk_fr *k, size_t i, int shape)
{
    switch (shape) {
    case EQUAL_K:
    case SAME_BOTH:
        if (i == 0)
            zk_fr_random(&k[0]);
        else
            k[i] = k[0];
        break;
    case SMALL_K:
        zk_fr_set_u64(&k[i], randombytes_uniform(41));
        break;
    case ONES:
        zk_fr_one(&k[i]);
        break;
    case ZEROS:
        zk_fr_zero(&k[i]);
        break;
    case PAIRS:
        if (i % 2 == 1)
            k[i] = k[i - 1];
        else
            zk_fr_random(&k[i]);
        break;
    default:
        zk_fr_random(&k[i]);
        if (i % 11 == 2)
            zk_fr_zero(&k[i]);
        else if (i % 13 == 3)
            fr_minus(&k[i], 1);
        else if (i % 19 == 7)
            zk_fr_one(&k[i]);
        else if (i % 5 == 4 || i % 17 == 5)
            k[i] = k[i - 1]; /* with the duplicate / opposite point below */
        break;
    }
}

/* What happens to point i: 0 fresh, 1 infinity, 2 copy of i - 1, 3
 * negation of i - 1, 4 copy of point 0. */
static int shape_point(size_t i, int shape)
{
    if (i == 0)
        return 0;
    switch (shape) {
    case SAME_P:
    case SAME_BOTH:
        return 4;
    case PAIRS:
        return i % 2 == 0 ? 0 : (i % 4 == 1 ? 2 : 3);
    case MIX:
        if (i % 7 == 1)
            return 1;
        if (i % 5 == 4)
            return 2;
        if (i % 17 == 5)
            return 3;
        return 0;
    default:
        return 0;
    }
}

/*
 * The tests for one group, written once.  G is g1 or g2; TA and TJ the
 * affine and Jacobian types; NORM(r) says whether a Jacobian point is
 * normalized.
 */
#define GROUP_TESTS(G, TA, TJ)                                                                 \
    /* n points with known discrete logs: s_i = s_j + d_t for an earlier j                     \
     * and one of 8 random d_t, so every point costs one addition; then the                   \
     * shape's infinities, copies and negations. */                                            \
    static int G##_inputs(TA *p, zk_fr *s, zk_fr *k, size_t n, int shape)                      \
    {                                                                                          \
        TA g;                                                                                  \
        TJ seed[8], *j = malloc((n ? n : 1) * sizeof *j);                                      \
        zk_fr d[8];                                                                            \
        if (j == NULL)                                                                         \
            return -1;                                                                         \
        zk_##G##_generator(&g);                                                                \
        for (int t = 0; t < 8; t++) {                                                          \
            zk_fr_random(&d[t]);                                                               \
            zk_##G##j_from_affine(&seed[t], &g);                                               \
            zk_##G##j_mul_var(&seed[t], &seed[t], &d[t]);                                      \
        }                                                                                      \
        for (size_t i = 0; i < n; i++) {                                                       \
            unsigned t = randombytes_uniform(8);                                               \
            if (i < 8) {                                                                       \
                j[i] = seed[i];                                                                \
                s[i] = d[i];                                                                   \
            } else {                                                                           \
                size_t b = i - 1 - randombytes_uniform(i < 64 ? (uint32_t)i : 64);            \
                zk_##G##j_add(&j[i], &j[b], &seed[t]);                                         \
                zk_fr_add(&s[i], &s[b], &d[t]);                                                \
            }                                                                                  \
        }                                                                                      \
        int rc = zk_##G##j_batch_to_affine(p, j, n);                                           \
        free(j);                                                                               \
        for (size_t i = 0; i < n; i++) {                                                       \
            switch (shape_point(i, shape)) {                                                   \
            case 1:                                                                            \
                zk_##G##_set_inf(&p[i]);                                                       \
                zk_fr_zero(&s[i]);                                                             \
                break;                                                                         \
            case 2:                                                                            \
                p[i] = p[i - 1];                                                               \
                s[i] = s[i - 1];                                                               \
                break;                                                                         \
            case 3:                                                                            \
                zk_##G##_neg(&p[i], &p[i - 1]);                                                \
                zk_fr_neg(&s[i], &s[i - 1]);                                                   \
                break;                                                                         \
            case 4:                                                                            \
                p[i] = p[0];                                                                   \
                s[i] = s[0];                                                                   \
                break;                                                                         \
            default:                                                                           \
                break;                                                                         \
            }                                                                                  \
            shape_scalar(k, i, shape);                                                         \
        }                                                                                      \
        return rc;                                                                             \
    }                                                                                          \
                                                                                               \
    static void G##_naive(TJ *r, const TA *p, const zk_fr *k, size_t n)                        \
    {                                                                                          \
        TJ acc, t;                                                                             \
        zk_##G##j_set_inf(&acc);                                                               \
        for (size_t i = 0; i < n; i++) {                                                       \
            zk_##G##j_from_affine(&t, &p[i]);                                                  \
            zk_##G##j_mul_var(&t, &t, &k[i]);                                                  \
            zk_##G##j_add(&acc, &acc, &t);                                                     \
        }                                                                                      \
        *r = acc;                                                                              \
    }                                                                                          \
                                                                                               \
    /* [sum k_i s_i] G */                                                                      \
    static void G##_oracle(TJ *r, const zk_fr *s, const zk_fr *k, size_t n)                    \
    {                                                                                          \
        zk_fr acc, t;                                                                          \
        TA g;                                                                                  \
        zk_fr_zero(&acc);                                                                      \
        for (size_t i = 0; i < n; i++) {                                                       \
            zk_fr_mul(&t, &k[i], &s[i]);                                                       \
            zk_fr_add(&acc, &acc, &t);                                                         \
        }                                                                                      \
        zk_##G##_generator(&g);                                                                \
        zk_##G##j_from_affine(r, &g);                                                          \
        zk_##G##j_mul_var(r, r, &acc);                                                         \
    }                                                                                          \
                                                                                               \
    static void G##_check(size_t n, int shape, int naive)                                      \
    {                                                                                          \
        TA *p = malloc((n ? n : 1) * sizeof *p);                                               \
        zk_fr *k = malloc((n ? n : 1) * sizeof *k), *s = malloc((n ? n : 1) * sizeof *s);      \
        TJ want, got[4];                                                                       \
        int rc = 0;                                                                            \
        if (p == NULL || k == NULL || s == NULL || G##_inputs(p, s, k, n, shape) != 0)         \
            bail_out("out of memory");                                                         \
        if (naive)                                                                             \
            G##_naive(&want, p, k, n);                                                         \
        else                                                                                   \
            G##_oracle(&want, s, k, n);                                                        \
        for (int t = 0; t < 4; t++)                                                            \
            rc |= zk_msm_##G(&got[t], p, k, n, pools[t]);                                      \
        ok(rc == 0 && zk_##G##j_eq(&got[0], &want), #G " n=%zu %s: msm = %s", n,               \
           shape_name[shape], naive ? "naive sum" : "[sum k_i s_i] G");                        \
        ok(G##_normalized(&got[0]) && memcmp(&got[0], &got[1], sizeof got[0]) == 0 &&          \
               memcmp(&got[0], &got[2], sizeof got[0]) == 0 &&                                 \
               memcmp(&got[0], &got[3], sizeof got[0]) == 0,                                   \
           #G " n=%zu %s: normalized, bit-identical without a pool and on 1/2/3 threads", n,   \
           shape_name[shape]);                                                                 \
        free(p);                                                                               \
        free(k);                                                                               \
        free(s);                                                                               \
    }

/* Z = 1, or exactly (1, 1, 0) */
static int g1_normalized(const zk_g1j *r)
{
    zk_fp one;
    zk_fp_one(&one);
    if (zk_fp_is_zero(&r->z))
        return zk_fp_eq(&r->x, &one) && zk_fp_eq(&r->y, &one);
    return zk_fp_eq(&r->z, &one);
}

static int g2_normalized(const zk_g2j *r)
{
    zk_fp2 one;
    zk_fp2_one(&one);
    if (zk_fp2_is_zero(&r->z))
        return zk_fp2_eq(&r->x, &one) && zk_fp2_eq(&r->y, &one);
    return zk_fp2_eq(&r->z, &one);
}

GROUP_TESTS(g1, zk_g1, zk_g1j)
GROUP_TESTS(g2, zk_g2, zk_g2j)

/* ---- endomorphism eigenvalues --------------------------------------- */

/* The MSM is exact only if the endomorphism images it builds are [lambda]
 * P.  The scalar lambda splits as (0, 1), so a one-term MSM with it
 * returns the endomorphism image itself, compared here with [lambda] P by
 * double-and-add. */
static void check_endo(void)
{
    static const uint64_t lam1[4] = {0x8b17ea66b99c90ddULL, 0x5bfc41088d8daaa7ULL,
                                     0xb3c4d79d41a91758ULL, 0};
    const uint64_t z = 0x44e992b44a6909f1ULL;
    unsigned __int128 l2 = (unsigned __int128)z * z * 6;
    uint64_t lam2[4] = {(uint64_t)l2, (uint64_t)(l2 >> 64), 0, 0};
    zk_fr k, s;
    zk_g1 p;
    zk_g2 q;
    zk_g1j pj, r1, w1;
    zk_g2j qj, r2, w2;
    int rc;

    if (g1_inputs(&p, &s, &k, 1, MIX) != 0 || g2_inputs(&q, &s, &k, 1, MIX) != 0)
        bail_out("out of memory");
    rc = zk_fr_from_limbs(&k, lam1);
    rc |= zk_msm_g1(&r1, &p, &k, 1, NULL);
    zk_g1j_from_affine(&pj, &p);
    zk_g1j_mul_var(&w1, &pj, &k);
    ok(rc == 0 && zk_g1j_eq(&r1, &w1), "G1: msm([lambda] P) = [lambda] P (phi eigenvalue)");

    rc = zk_fr_from_limbs(&k, lam2);
    rc |= zk_msm_g2(&r2, &q, &k, 1, NULL);
    zk_g2j_from_affine(&qj, &q);
    zk_g2j_mul_var(&w2, &qj, &k);
    ok(rc == 0 && zk_g2j_eq(&r2, &w2), "G2: msm([6z^2] Q) = [6z^2] Q (psi eigenvalue)");

    /* msm.c's G2 rounding constant floor((6z^2 + 6z + 3) 2^256 / r) */
    {
        mpz_t b2, rr, g;
        char *str;
        mpz_inits(b2, rr, g, NULL);
        mpz_import(b2, 2, -1, sizeof(uint64_t), 0, 0, lam2); /* 6z^2 */
        mpz_add_ui(b2, b2, 3);
        mpz_set_ui(g, z);
        mpz_mul_ui(g, g, 6);
        mpz_add(b2, b2, g);
        mpz_set_str(rr, "30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001", 16);
        mpz_mul_2exp(g, b2, 256);
        mpz_fdiv_q(g, g, rr);
        str = mpz_get_str(NULL, 16, g);
        is_str(str, "24ccef014a773d2d52cb62031c8e01941", "G2 split constant re-derived with GMP");
        free(str);
        mpz_clears(b2, rr, g, NULL);
    }
}

/* ---- fixed-base ------------------------------------------------------ */

#define FB_N 150

static void fb_scalars(zk_fr *k, size_t n)
{
    uint64_t v[4] = {0, 0, 0, UINT64_C(1) << 61};
    for (size_t i = 0; i < n; i++)
        zk_fr_random(&k[i]);
    zk_fr_zero(&k[0]);
    zk_fr_one(&k[1]);
    zk_fr_set_u64(&k[2], 2);
    fr_minus(&k[3], 1);
    fr_minus(&k[4], 2);
    zk_fr_set_u64(&k[5], 63);
    zk_fr_set_u64(&k[6], 64);
    if (zk_fr_from_limbs(&k[7], v) != 0) /* 2^253 */
        bail_out("2^253 >= r?");
    v[0] = v[1] = v[2] = ~UINT64_C(0);
    v[3] = (UINT64_C(1) << 61) - 1;
    if (zk_fr_from_limbs(&k[8], v) != 0) /* 2^253 - 1 */
        bail_out("2^253 - 1 >= r?");
}

#define FIXED_BASE_TESTS(G, GN, TA, TJ)                                                         \
    static void G##_check_fixed_base(void)                                                     \
    {                                                                                          \
        TA base, inf, out[FB_N], out3[FB_N], w;                                                \
        TJ bj, t;                                                                              \
        zk_fr k[FB_N], s;                                                                      \
        int good = 1, rc;                                                                      \
        if (G##_inputs(&base, &s, k, 1, MIX) != 0)                                             \
            bail_out("out of memory");                                                         \
        fb_scalars(k, FB_N);                                                                   \
        rc = zk_##G##_fixed_base_batch(out, &base, k, FB_N, NULL);                             \
        rc |= zk_##G##_fixed_base_batch(out3, &base, k, FB_N, pools[3]);                       \
        zk_##G##j_from_affine(&bj, &base);                                                     \
        for (size_t i = 0; i < FB_N; i++) {                                                    \
            zk_##G##j_mul(&t, &bj, &k[i]);                                                     \
            zk_##G##_from_jacobian(&w, &t);                                                    \
            if (!zk_##G##_eq(&out[i], &w)) {                                                   \
                diag(GN " fixed-base mismatch at %zu", i);                                     \
                good = 0;                                                                      \
            }                                                                                  \
        }                                                                                      \
        ok(rc == 0 && good,                                                                    \
           GN " fixed-base batch = [k] base (random, 0, 1, 2, r-1, r-2, 63, 64, 2^253, "       \
              "2^253-1)");                                                                     \
        ok(memcmp(out, out3, sizeof out) == 0, GN " fixed-base batch: 3 threads = no pool");   \
        ok(zk_##G##_is_inf(&out[0]) && zk_##G##_eq(&out[1], &base),                            \
           GN " fixed-base: [0] base = infinity (0, 0), [1] base = base");                     \
        zk_##G##_set_inf(&inf);                                                                \
        memset(out, 0xff, sizeof out);                                                         \
        rc = zk_##G##_fixed_base_batch(out, &inf, k, 10, pools[2]);                            \
        good = 1;                                                                              \
        for (size_t i = 0; i < 10; i++)                                                        \
            good &= zk_##G##_is_inf(&out[i]);                                                  \
        ok(rc == 0 && good, GN " fixed-base with the base at infinity gives infinity");        \
        ok(zk_##G##_fixed_base_batch(out, &base, k, 0, NULL) == 0 &&                           \
               zk_##G##_fixed_base_batch(NULL, &base, k, 3, NULL) == ZK_EINVAL &&              \
               zk_##G##_fixed_base_batch(out, NULL, k, 3, NULL) == ZK_EINVAL &&                \
               zk_##G##_fixed_base_batch(out, &base, NULL, 3, NULL) == ZK_EINVAL,              \
           GN " fixed-base: n = 0 accepted, NULL pointers rejected");                          \
    }

FIXED_BASE_TESTS(g1, "G1", zk_g1, zk_g1j)
FIXED_BASE_TESTS(g2, "G2", zk_g2, zk_g2j)

static void check_args(void)
{
    zk_g1j r;
    zk_g2j r2;
    zk_fr k;
    zk_g1 p;
    zk_g2 q;
    zk_fr_one(&k);
    zk_g1_generator(&p);
    zk_g2_generator(&q);
    ok(zk_msm_g1(&r, NULL, NULL, 0, NULL) == 0 && g1_normalized(&r) && zk_g1j_is_inf(&r) &&
           zk_msm_g2(&r2, NULL, NULL, 0, NULL) == 0 && g2_normalized(&r2) &&
           zk_g2j_is_inf(&r2),
       "n = 0 with NULL arrays gives the canonical infinity");
    ok(zk_msm_g1(NULL, &p, &k, 1, NULL) == ZK_EINVAL &&
           zk_msm_g1(&r, NULL, &k, 1, NULL) == ZK_EINVAL &&
           zk_msm_g1(&r, &p, NULL, 1, NULL) == ZK_EINVAL &&
           zk_msm_g2(NULL, &q, &k, 1, NULL) == ZK_EINVAL &&
           zk_msm_g2(&r2, NULL, &k, 1, NULL) == ZK_EINVAL &&
           zk_msm_g2(&r2, &q, NULL, 1, NULL) == ZK_EINVAL,
       "NULL output or arrays rejected with ZK_EINVAL");
}

int main(void)
{
    /* naive reference up to 1000 points; the oracle beyond */
    static const size_t g1_naive[] = {0, 1, 2, 3, 5, 64, 400, 1000};
    static const size_t g1_oracle[] = {2000, 3000, 20000};
    static const size_t g2_naive[] = {0, 1, 2, 3, 5, 64, 400};
    static const size_t g2_oracle[] = {1000, 3000};
    if (sodium_init() < 0)
        bail_out("sodium_init failed");
    pools[0] = NULL;
    for (unsigned t = 1; t <= 3; t++)
        if (zk_pool_new(&pools[t], t) != 0)
            bail_out("zk_pool_new(%u) failed", t);

    check_args();
    check_endo();
    for (size_t i = 0; i < sizeof g1_naive / sizeof g1_naive[0]; i++)
        g1_check(g1_naive[i], MIX, 1);
    for (size_t i = 0; i < sizeof g1_oracle / sizeof g1_oracle[0]; i++)
        g1_check(g1_oracle[i], MIX, 0);
    for (int shape = PAIRS; shape < NSHAPES; shape++) {
        g1_check(300, shape, 1);
        g1_check(3000, shape, 0);
    }
    for (size_t i = 0; i < sizeof g2_naive / sizeof g2_naive[0]; i++)
        g2_check(g2_naive[i], MIX, 1);
    for (size_t i = 0; i < sizeof g2_oracle / sizeof g2_oracle[0]; i++)
        g2_check(g2_oracle[i], MIX, 0);
    for (int shape = PAIRS; shape < NSHAPES; shape++)
        g2_check(1000, shape, 0);
    g1_check_fixed_base();
    g2_check_fixed_base();

    for (unsigned t = 1; t <= 3; t++)
        zk_pool_free(pools[t]);
    return done_testing();
}
