/*
 * fp12.c -- Fp12 = Fp6[w]/(w^2 - v).
 */
#include "field/fp12.h"
#include "field/frob_inline.h"

void zk_fp12_zero(zk_fp12 *r) { memset(r, 0, sizeof *r); }

void zk_fp12_one(zk_fp12 *r)
{
    memset(r, 0, sizeof *r);
    fp2_set_one(&r->c0.c0);
}

void zk_fp12_add(zk_fp12 *r, const zk_fp12 *a, const zk_fp12 *b)
{
    zk_fp6_add(&r->c0, &a->c0, &b->c0);
    zk_fp6_add(&r->c1, &a->c1, &b->c1);
}

void zk_fp12_sub(zk_fp12 *r, const zk_fp12 *a, const zk_fp12 *b)
{
    zk_fp6_sub(&r->c0, &a->c0, &b->c0);
    zk_fp6_sub(&r->c1, &a->c1, &b->c1);
}

void zk_fp12_mul(zk_fp12 *r, const zk_fp12 *a, const zk_fp12 *b)
{
    /* Karatsuba: c0 = t0 + t1 v, c1 = (a0 + a1)(b0 + b1) - t0 - t1 */
    zk_fp6 t0, t1, s, u;
    zk_fp6_mul(&t0, &a->c0, &b->c0);
    zk_fp6_mul(&t1, &a->c1, &b->c1);
    zk_fp6_add(&s, &a->c0, &a->c1);
    zk_fp6_add(&u, &b->c0, &b->c1);
    zk_fp6_mul(&s, &s, &u);
    zk_fp6_sub(&s, &s, &t0);
    zk_fp6_sub(&r->c1, &s, &t1);
    zk_fp6_mul_by_v(&t1, &t1);
    zk_fp6_add(&r->c0, &t0, &t1);
}

void zk_fp12_sqr(zk_fp12 *r, const zk_fp12 *a)
{
    /* complex squaring: t = a0 a1,
     * c0 = (a0 + a1)(a0 + v a1) - t - v t, c1 = 2 t */
    zk_fp6 t, s, u, vt;
    zk_fp6_mul(&t, &a->c0, &a->c1);
    zk_fp6_add(&s, &a->c0, &a->c1);
    zk_fp6_mul_by_v(&u, &a->c1);
    zk_fp6_add(&u, &u, &a->c0);
    zk_fp6_mul(&s, &s, &u);
    zk_fp6_mul_by_v(&vt, &t);
    zk_fp6_sub(&s, &s, &t);
    zk_fp6_sub(&r->c0, &s, &vt);
    zk_fp6_add(&r->c1, &t, &t);
}

int zk_fp12_inv(zk_fp12 *r, const zk_fp12 *a)
{
    /* 1/(a0 + a1 w) = (a0 - a1 w) / (a0^2 - v a1^2) */
    zk_fp6 t0, t1;
    zk_fp6_sqr(&t0, &a->c0);
    zk_fp6_sqr(&t1, &a->c1);
    zk_fp6_mul_by_v(&t1, &t1);
    zk_fp6_sub(&t0, &t0, &t1);
    int rc = zk_fp6_inv(&t0, &t0);
    zk_fp6_mul(&r->c0, &a->c0, &t0);
    zk_fp6_mul(&r->c1, &a->c1, &t0);
    zk_fp6_neg(&r->c1, &r->c1);
    return rc;
}

void zk_fp12_conj(zk_fp12 *r, const zk_fp12 *a)
{
    r->c0 = a->c0;
    zk_fp6_neg(&r->c1, &a->c1);
}

void zk_fp12_frobenius(zk_fp12 *r, const zk_fp12 *a, unsigned k)
{
    /* g_i w^i -> frob^k(g_i) gamma[k][i] w^i; c0 holds i = 0, 2, 4 and
     * c1 holds i = 1, 3, 5 */
    zk_fp2 g[6] = {a->c0.c0, a->c1.c0, a->c0.c1, a->c1.c1, a->c0.c2, a->c1.c2};
    for (int i = 0; i < 6; i++) {
        if (k & 1)
            fp2_conj(&g[i], &g[i]);
        if (i)
            fp2_mul(&g[i], &g[i], &ZK_FROB[k][i]);
    }
    r->c0.c0 = g[0];
    r->c1.c0 = g[1];
    r->c0.c1 = g[2];
    r->c1.c1 = g[3];
    r->c0.c2 = g[4];
    r->c1.c2 = g[5];
}

void zk_fp12_mul_by_034(zk_fp12 *r, const zk_fp12 *a, const zk_fp2 *c0,
                        const zk_fp2 *c3, const zk_fp2 *c4)
{
    /* b = B0 + B1 w with B0 = (c0, 0, 0), B1 = (c3, c4, 0):
     * t0 = a0 B0, t1 = a1 B1, r0 = t0 + v t1,
     * r1 = (a0 + a1)(B0 + B1) - t0 - t1 */
    zk_fp6 t0, t1, s;
    zk_fp2 d0;
    fp2_mul(&t0.c0, &a->c0.c0, c0);
    fp2_mul(&t0.c1, &a->c0.c1, c0);
    fp2_mul(&t0.c2, &a->c0.c2, c0);
    zk_fp6_mul_by_01(&t1, &a->c1, c3, c4);
    zk_fp6_add(&s, &a->c0, &a->c1);
    fp2_add(&d0, c0, c3);
    zk_fp6_mul_by_01(&s, &s, &d0, c4);
    zk_fp6_sub(&s, &s, &t0);
    zk_fp6_sub(&r->c1, &s, &t1);
    zk_fp6_mul_by_v(&t1, &t1);
    zk_fp6_add(&r->c0, &t0, &t1);
}

void zk_fp12_sqr_cyclotomic(zk_fp12 *r, const zk_fp12 *a)
{
    /* Granger, Scott, "Faster squaring in the cyclotomic subgroup of sixth
     * degree extensions", PKC 2010.  With s = w^3 (s^2 = xi) write
     * a = A + B w + C w^2, A = g0 + g3 s, B = g1 + g4 s, C = g2 + g5 s in
     * Fp4 = Fp2[s]; then
     *   a^2 = (3A^2 - 2 conj A) + (3 s C^2 + 2 conj B) w + (3B^2 - 2 conj C) w^2
     * where conj negates s.  Each Fp4 square X^2 = (x0^2 + xi x1^2) +
     * 2 x0 x1 s costs two Fp2 squarings and one more for the cross term. */
    const zk_fp2 *g0 = &a->c0.c0, *g1 = &a->c1.c0, *g2 = &a->c0.c1;
    const zk_fp2 *g3 = &a->c1.c1, *g4 = &a->c0.c2, *g5 = &a->c1.c2;
    zk_fp2 a0, a1, b0, b1, cc0, cc1, t0, t1, t;
    zk_fp2 h0, h1, h2, h3, h4, h5;

    /* A^2 = a0 + a1 s */
    fp2_sqr(&t0, g0);
    fp2_sqr(&t1, g3);
    fp2_add(&t, g0, g3);
    fp2_sqr(&t, &t);
    fp2_sub(&t, &t, &t0);
    fp2_sub(&a1, &t, &t1); /* 2 g0 g3 */
    fp2_mul_by_xi(&t1, &t1);
    fp2_add(&a0, &t0, &t1);
    /* B^2 = b0 + b1 s */
    fp2_sqr(&t0, g1);
    fp2_sqr(&t1, g4);
    fp2_add(&t, g1, g4);
    fp2_sqr(&t, &t);
    fp2_sub(&t, &t, &t0);
    fp2_sub(&b1, &t, &t1);
    fp2_mul_by_xi(&t1, &t1);
    fp2_add(&b0, &t0, &t1);
    /* C^2 = cc0 + cc1 s */
    fp2_sqr(&t0, g2);
    fp2_sqr(&t1, g5);
    fp2_add(&t, g2, g5);
    fp2_sqr(&t, &t);
    fp2_sub(&t, &t, &t0);
    fp2_sub(&cc1, &t, &t1);
    fp2_mul_by_xi(&t1, &t1);
    fp2_add(&cc0, &t0, &t1);

    /* h0 = 3 a0 - 2 g0, h3 = 3 a1 + 2 g3 */
    fp2_sub(&t, &a0, g0);
    fp2_dbl(&t, &t);
    fp2_add(&h0, &t, &a0);
    fp2_add(&t, &a1, g3);
    fp2_dbl(&t, &t);
    fp2_add(&h3, &t, &a1);
    /* s C^2 = xi cc1 + cc0 s:  h1 = 3 xi cc1 + 2 g1, h4 = 3 cc0 - 2 g4 */
    fp2_mul_by_xi(&t0, &cc1);
    fp2_add(&t, &t0, g1);
    fp2_dbl(&t, &t);
    fp2_add(&h1, &t, &t0);
    fp2_sub(&t, &cc0, g4);
    fp2_dbl(&t, &t);
    fp2_add(&h4, &t, &cc0);
    /* h2 = 3 b0 - 2 g2, h5 = 3 b1 + 2 g5 */
    fp2_sub(&t, &b0, g2);
    fp2_dbl(&t, &t);
    fp2_add(&h2, &t, &b0);
    fp2_add(&t, &b1, g5);
    fp2_dbl(&t, &t);
    fp2_add(&h5, &t, &b1);

    r->c0.c0 = h0;
    r->c1.c0 = h1;
    r->c0.c1 = h2;
    r->c1.c1 = h3;
    r->c0.c2 = h4;
    r->c1.c2 = h5;
}

void zk_fp12_pow_var(zk_fp12 *r, const zk_fp12 *a, const uint64_t *e, size_t n)
{
    zk_fp12 acc, base = *a;
    zk_fp12_one(&acc);
    for (size_t i = n * 64; i-- > 0;) {
        zk_fp12_sqr(&acc, &acc);
        if ((e[i / 64] >> (i % 64)) & 1)
            zk_fp12_mul(&acc, &acc, &base);
    }
    *r = acc;
}

int zk_fp12_eq(const zk_fp12 *a, const zk_fp12 *b)
{
    return zk_fp6_eq(&a->c0, &b->c0) && zk_fp6_eq(&a->c1, &b->c1);
}

int zk_fp12_is_one(const zk_fp12 *a)
{
    zk_fp12 one;
    zk_fp12_one(&one);
    return zk_fp12_eq(a, &one);
}

void zk_fp12_get_coeffs(zk_fp out[12], const zk_fp12 *a)
{
    const zk_fp6 *h[2] = {&a->c0, &a->c1};
    for (int i = 0; i < 2; i++) {
        const zk_fp2 *c[3] = {&h[i]->c0, &h[i]->c1, &h[i]->c2};
        for (int j = 0; j < 3; j++) {
            out[6 * i + 2 * j] = c[j]->c0;
            out[6 * i + 2 * j + 1] = c[j]->c1;
        }
    }
}

void zk_fp12_set_coeffs(zk_fp12 *r, const zk_fp in[12])
{
    zk_fp6 *h[2] = {&r->c0, &r->c1};
    for (int i = 0; i < 2; i++) {
        zk_fp2 *c[3] = {&h[i]->c0, &h[i]->c1, &h[i]->c2};
        for (int j = 0; j < 3; j++) {
            c[j]->c0 = in[6 * i + 2 * j];
            c[j]->c1 = in[6 * i + 2 * j + 1];
        }
    }
}

int zk_fp12_in_gt(const zk_fp12 *a)
{
    static const uint64_t r_limbs[4] = ZK_FR_MODULUS;
    zk_fp12 t;
    if (zk_fp6_is_zero(&a->c0) && zk_fp6_is_zero(&a->c1))
        return 0;
    zk_fp12_pow_var(&t, a, r_limbs, 4);
    return zk_fp12_is_one(&t);
}
