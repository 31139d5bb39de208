/*
 * gt.c -- G_T of BN254: exponentiation, multi-exponentiation, subgroup
 * check and encodings.
 *
 * Frobenius split.  With p = 36z^4 + 36z^3 + 24z^2 + 6z + 1 and
 * r = 36z^4 + 36z^3 + 18z^2 + 6z + 1, p - r = 6z^2, so on G_T the
 * Frobenius x -> x^p is x -> x^lambda with lambda = 6z^2, and
 * Phi_12(lambda) = lambda^4 - lambda^2 + 1 = 0 mod r.  The lattice
 * L = { v in Z^4 : v0 + v1 lambda + v2 lambda^2 + v3 lambda^3 = 0 mod r }
 * has determinant r; LLL on the obvious basis (r, 0, 0, 0),
 * (-lambda^i mod r, e_i) gives the reduced basis below, whose rows are
 * linear in z (Galbraith, Scott, "Exponentiation in pairing-friendly groups
 * using homomorphisms", Pairing 2008, derive such bases for BN curves; this
 * one was recomputed for this file and its determinant is -r):
 *     b0 = (2z+1,  0,     2z,     1  )
 *     b1 = (2z,    z+1,   -z,     z  )
 *     b2 = (z+1,   z,     z,      -2z)
 *     b3 = (2z+1,  -z,    -z-1,   -z )
 * Babai rounding: (k, 0, 0, 0) = sum_j alpha_j b_j with
 * alpha_j = k N_j / r, where (N_0..N_3) = -r * (first row of B^-1) =
 *     (6z^3 + 6z^2 + 2z, 6z^3 - z, 2z + 1, 6z^3 + 6z^2 + z),
 * and v = (k, 0, 0, 0) - sum_j round(alpha_j) b_j is a short lattice
 * translate: |v_i| <= (1/2) sum_j |b_j,i| <= (7z + 3)/2 < 2^64.
 * tests/unit/test_gt.c checks the split's congruence and bound, and that
 * the Frobenius acts as lambda on G_T.
 *
 * Exponentiation: the four 64-bit parts use signed windows (wNAF, width
 * WNAF_W) over the tables a^(odd), frob^j(a^(odd)); negative digits use the
 * conjugate (the inverse in G_T); all bases share one chain of cyclotomic
 * squarings (Granger-Scott, fp12.c).
 */
#include <gmp.h>
#include <stdlib.h>
#include <string.h>

#include "curve/gt.h"
#include "field/constants.h"

#define WNAF_W 5
#define TBL (1 << (WNAF_W - 2)) /* a, a^3, ..., a^(2^(W-1) - 1) */
#define NDIG 66                 /* wNAF of a value < 2^64: <= 65 digits */

/* One base of a (multi-)exponentiation: its 4 Frobenius tables and the
 * signed digits of its 4 split exponents. */
typedef struct {
    zk_fp12 t[4][TBL];
    int8_t d[4][NDIG];
    int len[4];
} gt_base;

void zk_gt_one(zk_fp12 *r) { zk_fp12_one(r); }

int zk_gt_is_one(const zk_fp12 *a) { return zk_fp12_is_one(a); }

int zk_gt_eq(const zk_fp12 *a, const zk_fp12 *b) { return zk_fp12_eq(a, b); }

void zk_gt_mul(zk_fp12 *r, const zk_fp12 *a, const zk_fp12 *b)
{
    zk_fp12_mul(r, a, b);
}

void zk_gt_inv(zk_fp12 *r, const zk_fp12 *a) { zk_fp12_conj(r, a); }

/* ---------------------------------------------------------------------
 * Signed windows. */

/* Width-w NAF of k < 2^64 into d[0..NDIG) (least significant first);
 * returns the number of digits.  Digits are odd, |d| < 2^(w-1), and any
 * w consecutive digits hold at most one non-zero. */
static int wnaf64(int8_t d[NDIG], uint64_t k, unsigned w)
{
    uint64_t hi = 0; /* k may reach 2^64 after adding |digit| */
    int len = 0;
    memset(d, 0, NDIG);
    while (k | hi) {
        if (k & 1) {
            int m = (int)(k & ((1u << w) - 1));
            if (m >= (1 << (w - 1)))
                m -= 1 << w;
            d[len] = (int8_t)m;
            if (m > 0) {
                k -= (uint64_t)m;
            } else {
                uint64_t s = k + (uint64_t)(-m);
                hi += s < k;
                k = s;
            }
        }
        k = (k >> 1) | (hi << 63);
        hi = 0;
        len++;
    }
    return len;
}

/* r = a^e for a in the cyclotomic subgroup and a 64-bit e (width-4 NAF). */
static void cyc_pow_u64(zk_fp12 *r, const zk_fp12 *a, uint64_t e)
{
    zk_fp12 tbl[4], a2, acc;
    int8_t d[NDIG];
    int len = wnaf64(d, e, 4), started = 0;
    tbl[0] = *a;
    zk_fp12_sqr_cyclotomic(&a2, a);
    for (int i = 1; i < 4; i++)
        zk_fp12_mul(&tbl[i], &tbl[i - 1], &a2);
    zk_fp12_one(&acc);
    for (int i = len - 1; i >= 0; i--) {
        if (started)
            zk_fp12_sqr_cyclotomic(&acc, &acc);
        if (d[i]) {
            zk_fp12 t = tbl[(abs(d[i]) - 1) / 2];
            if (d[i] < 0)
                zk_fp12_conj(&t, &t);
            if (started)
                zk_fp12_mul(&acc, &acc, &t);
            else
                acc = t;
            started = 1;
        }
    }
    *r = acc;
}

/* ---------------------------------------------------------------------
 * Scalar split (see the top of the file). */

/* b_j,i = BASIS[j][i][0] z + BASIS[j][i][1] */
static const int BASIS[4][4][2] = {
    {{2, 1}, {0, 0}, {2, 0}, {0, 1}},
    {{2, 0}, {1, 1}, {-1, 0}, {1, 0}},
    {{1, 1}, {1, 0}, {1, 0}, {-2, 0}},
    {{2, 1}, {-1, 0}, {-1, -1}, {-1, 0}},
};
/* N_j = sum_e NCOEF[j][e] z^e, e = 0..3 */
static const int NCOEF[4][4] = {
    {0, 2, 6, 6},
    {0, -1, 0, 6},
    {1, 2, 0, 0},
    {0, 1, 6, 6},
};

typedef struct {
    mpz_t b[4][4], n[4], r, r2, k, c, t, v[4];
} splitter;

static void mpz_set_lin(mpz_t x, const mpz_t z, long a, long c)
{
    mpz_mul_si(x, z, a);
    if (c >= 0)
        mpz_add_ui(x, x, (unsigned long)c);
    else
        mpz_sub_ui(x, x, (unsigned long)-c);
}

static void splitter_init(splitter *s)
{
    static const uint64_t rl[4] = ZK_FR_MODULUS;
    mpz_t z;
    mpz_init(z);
    mpz_import(z, 1, -1, sizeof(uint64_t), 0, 0, (uint64_t[]){ZK_BN_Z});
    for (int j = 0; j < 4; j++) {
        for (int i = 0; i < 4; i++) {
            mpz_init(s->b[j][i]);
            mpz_set_lin(s->b[j][i], z, BASIS[j][i][0], BASIS[j][i][1]);
        }
        /* Horner */
        mpz_init_set_si(s->n[j], NCOEF[j][3]);
        for (int e = 2; e >= 0; e--) {
            mpz_mul(s->n[j], s->n[j], z);
            mpz_set_lin(s->n[j], s->n[j], 1, NCOEF[j][e]);
        }
        mpz_init(s->v[j]);
    }
    mpz_init(s->r);
    mpz_import(s->r, 4, -1, sizeof(uint64_t), 0, 0, rl);
    mpz_init(s->r2);
    mpz_mul_2exp(s->r2, s->r, 1);
    mpz_inits(s->k, s->c, s->t, NULL);
    mpz_clear(z);
}

static void splitter_clear(splitter *s)
{
    for (int j = 0; j < 4; j++) {
        for (int i = 0; i < 4; i++)
            mpz_clear(s->b[j][i]);
        mpz_clears(s->n[j], s->v[j], NULL);
    }
    mpz_clears(s->r, s->r2, s->k, s->c, s->t, NULL);
}

static void split(splitter *s, uint64_t mag[4], int neg[4], const zk_fr *k)
{
    uint64_t kl[4];
    zk_fr_to_limbs(kl, k);
    mpz_import(s->k, 4, -1, sizeof(uint64_t), 0, 0, kl);
    mpz_set(s->v[0], s->k);
    for (int i = 1; i < 4; i++)
        mpz_set_ui(s->v[i], 0);
    for (int j = 0; j < 4; j++) {
        /* c = round(k N_j / r) = floor((2 k N_j + r) / 2r), all >= 0 */
        mpz_mul(s->c, s->k, s->n[j]);
        mpz_mul_2exp(s->c, s->c, 1);
        mpz_add(s->c, s->c, s->r);
        mpz_fdiv_q(s->c, s->c, s->r2);
        for (int i = 0; i < 4; i++)
            mpz_submul(s->v[i], s->c, s->b[j][i]);
    }
    for (int i = 0; i < 4; i++) {
        size_t cnt = 0;
        uint64_t m[2] = {0, 0};
        neg[i] = mpz_sgn(s->v[i]) < 0;
        /* |v_i| < 2^64 by the Babai bound; the export cannot overflow m */
        mpz_export(m, &cnt, -1, sizeof(uint64_t), 0, 0, s->v[i]);
        mag[i] = m[0];
    }
}

void zk_gt_split_var(uint64_t mag[4], int neg[4], const zk_fr *k)
{
    splitter s;
    splitter_init(&s);
    split(&s, mag, neg, k);
    splitter_clear(&s);
}

/* ---------------------------------------------------------------------
 * Exponentiation. */

static void base_prepare(gt_base *b, splitter *s, const zk_fp12 *a,
                         const zk_fr *k)
{
    uint64_t mag[4];
    int neg[4], any = 0;
    split(s, mag, neg, k);
    for (int j = 0; j < 4; j++) {
        b->len[j] = wnaf64(b->d[j], mag[j], WNAF_W);
        if (neg[j])
            for (int i = 0; i < b->len[j]; i++)
                b->d[j][i] = (int8_t)-b->d[j][i];
        any |= b->len[j];
    }
    if (!any)
        return;
    zk_fp12 a2;
    b->t[0][0] = *a;
    zk_fp12_sqr_cyclotomic(&a2, a);
    for (int i = 1; i < TBL; i++)
        zk_fp12_mul(&b->t[0][i], &b->t[0][i - 1], &a2);
    for (int j = 1; j < 4; j++)
        if (b->len[j])
            for (int i = 0; i < TBL; i++)
                zk_fp12_frobenius(&b->t[j][i], &b->t[0][i], (unsigned)j);
}

/* r = prod over bases and j of frob^j(a)^(digits); interleaved. */
static void straus(zk_fp12 *r, const gt_base *b, size_t n)
{
    zk_fp12 acc, t;
    int maxlen = 0, started = 0;
    for (size_t e = 0; e < n; e++)
        for (int j = 0; j < 4; j++)
            if (b[e].len[j] > maxlen)
                maxlen = b[e].len[j];
    zk_fp12_one(&acc);
    for (int i = maxlen - 1; i >= 0; i--) {
        if (started)
            zk_fp12_sqr_cyclotomic(&acc, &acc);
        for (size_t e = 0; e < n; e++) {
            for (int j = 0; j < 4; j++) {
                int d = b[e].d[j][i];
                if (!d)
                    continue;
                const zk_fp12 *x = &b[e].t[j][(abs(d) - 1) / 2];
                if (d < 0) {
                    zk_fp12_conj(&t, x);
                    x = &t;
                }
                if (started)
                    zk_fp12_mul(&acc, &acc, x);
                else
                    acc = *x;
                started = 1;
            }
        }
    }
    *r = acc;
}

void zk_gt_pow_var(zk_fp12 *r, const zk_fp12 *a, const zk_fr *k)
{
    gt_base b;
    splitter s;
    splitter_init(&s);
    base_prepare(&b, &s, a, k);
    splitter_clear(&s);
    straus(r, &b, 1);
}

int zk_gt_multi_pow_var(zk_fp12 *r, const zk_fp12 *a, const zk_fr *k,
                        size_t n)
{
    if (n == 0) {
        zk_fp12_one(r);
        return ZK_OK;
    }
    if (n > SIZE_MAX / sizeof(gt_base))
        return ZK_ENOMEM;
    gt_base *b = malloc(n * sizeof *b);
    if (!b)
        return ZK_ENOMEM;
    splitter s;
    splitter_init(&s);
    for (size_t i = 0; i < n; i++)
        base_prepare(&b[i], &s, &a[i], &k[i]);
    splitter_clear(&s);
    straus(r, b, n);
    free(b);
    return ZK_OK;
}

/* ---------------------------------------------------------------------
 * Subgroup check. */

int zk_gt_in_group_var(const zk_fp12 *a)
{
    zk_fp12 t, u, y;
    if (zk_fp6_is_zero(&a->c0) && zk_fp6_is_zero(&a->c1))
        return 0;
    /* cyclotomic subgroup: a^(p^4 - p^2 + 1) == 1 */
    zk_fp12_frobenius(&t, a, 2);
    zk_fp12_frobenius(&u, &t, 2);
    zk_fp12_mul(&u, &u, a);
    if (!zk_fp12_eq(&u, &t))
        return 0;
    /* a^s == 1 with s = (2z+1) + 2z p^2 + p^3, the basis row b0 read with
     * lambda -> p: the order of a divides gcd(s, p^4 - p^2 + 1) = r
     * (checked by the tests), and every a in G_T passes because
     * b0 . (1, lambda, lambda^2, lambda^3) = 0 mod r. */
    cyc_pow_u64(&y, a, ZK_BN_Z);
    zk_fp12_sqr_cyclotomic(&y, &y);     /* a^(2z) */
    zk_fp12_mul(&t, &y, a);             /* a^(2z+1) */
    zk_fp12_frobenius(&u, &y, 2);       /* a^(2z p^2) */
    zk_fp12_mul(&t, &t, &u);
    zk_fp12_frobenius(&u, a, 3);        /* a^(p^3) */
    zk_fp12_mul(&t, &t, &u);
    return zk_fp12_is_one(&t);
}

/* ---------------------------------------------------------------------
 * Encodings. */

void zk_gt_to_bytes(uint8_t out[ZK_GT_BYTES], const zk_fp12 *a)
{
    zk_fp c[12];
    zk_fp12_get_coeffs(c, a);
    for (int i = 0; i < 12; i++)
        zk_fp_to_bytes_be(out + 32 * i, &c[i]);
}

int zk_gt_from_bytes(zk_fp12 *r, const uint8_t *in, size_t len)
{
    zk_fp c[12];
    zk_fp12 x;
    if (len != ZK_GT_BYTES)
        return ZK_EENCODING;
    for (int i = 0; i < 12; i++)
        if (zk_fp_from_bytes_be(&c[i], in + 32 * i) != 0)
            return ZK_ERANGE;
    zk_fp12_set_coeffs(&x, c);
    if (!zk_gt_in_group_var(&x))
        return ZK_ENOTINGROUP;
    *r = x;
    return ZK_OK;
}

/* b's coefficients in the documented order */
static void fp6_coeffs(zk_fp *c[6], zk_fp6 *b)
{
    c[0] = &b->c0.c0;
    c[1] = &b->c0.c1;
    c[2] = &b->c1.c0;
    c[3] = &b->c1.c1;
    c[4] = &b->c2.c0;
    c[5] = &b->c2.c1;
}

void zk_gt_compress(uint8_t out[ZK_GT_COMPRESSED_BYTES], const zk_fp12 *a)
{
    zk_fp6 b, inv, one;
    zk_fp *c[6];
    if (zk_fp6_is_zero(&a->c1) || zk_fp6_inv(&inv, &a->c1) != 0) {
        memset(out, 0, ZK_GT_COMPRESSED_BYTES);
        out[0] = ZK_GT_FLAG_IDENTITY;
        return;
    }
    /* b = (1 + c0) / c1 */
    zk_fp6_one(&one);
    zk_fp6_add(&b, &a->c0, &one);
    zk_fp6_mul(&b, &b, &inv);
    fp6_coeffs(c, &b);
    for (int i = 0; i < 6; i++)
        zk_fp_to_bytes_be(out + 32 * i, c[i]);
}

int zk_gt_decompress(zk_fp12 *r, const uint8_t *in, size_t len)
{
    zk_fp6 b, num, den;
    zk_fp *c[6];
    zk_fp12 x;
    zk_fp one;
    if (len != ZK_GT_COMPRESSED_BYTES)
        return ZK_EENCODING;
    if ((in[0] & ZK_GT_FLAG_MASK) == ZK_GT_FLAG_IDENTITY) {
        uint8_t acc = in[0] & (uint8_t)~ZK_GT_FLAG_MASK;
        for (size_t i = 1; i < len; i++)
            acc |= in[i];
        if (acc)
            return ZK_EENCODING;
        zk_fp12_one(r);
        return ZK_OK;
    }
    if (in[0] & ZK_GT_FLAG_MASK)
        return ZK_EENCODING;
    fp6_coeffs(c, &b);
    for (int i = 0; i < 6; i++)
        if (zk_fp_from_bytes_be(c[i], in + 32 * i) != 0)
            return ZK_ERANGE;
    /* (b + w) / (b - w) = ((b^2 + v) + 2b w) / (b^2 - v); b^2 - v != 0
     * because v is not a square in Fp6 */
    zk_fp_one(&one);
    zk_fp6_sqr(&num, &b);
    den = num;
    zk_fp_add(&num.c1.c0, &num.c1.c0, &one);
    zk_fp_sub(&den.c1.c0, &den.c1.c0, &one);
    if (zk_fp6_inv(&den, &den) != 0)
        return ZK_ENOTINGROUP;
    zk_fp6_mul(&x.c0, &num, &den);
    zk_fp6_add(&b, &b, &b);
    zk_fp6_mul(&x.c1, &b, &den);
    if (!zk_gt_in_group_var(&x))
        return ZK_ENOTINGROUP;
    *r = x;
    return ZK_OK;
}
