/*
 * fp6.c -- Fp6 = Fp2[v]/(v^3 - xi).  Multiplication is Karatsuba-style
 * (Devegili, O hEigeartaigh, Scott, Dahab, "Multiplication and squaring on
 * pairing-friendly fields", 2006), squaring is their CH-SQR2.
 */
#include "field/fp6.h"
#include "field/frob_inline.h"

void zk_fp6_zero(zk_fp6 *r) { memset(r, 0, sizeof *r); }

void zk_fp6_one(zk_fp6 *r)
{
    memset(r, 0, sizeof *r);
    fp2_set_one(&r->c0);
}

void zk_fp6_add(zk_fp6 *r, const zk_fp6 *a, const zk_fp6 *b)
{
    fp2_add(&r->c0, &a->c0, &b->c0);
    fp2_add(&r->c1, &a->c1, &b->c1);
    fp2_add(&r->c2, &a->c2, &b->c2);
}

void zk_fp6_sub(zk_fp6 *r, const zk_fp6 *a, const zk_fp6 *b)
{
    fp2_sub(&r->c0, &a->c0, &b->c0);
    fp2_sub(&r->c1, &a->c1, &b->c1);
    fp2_sub(&r->c2, &a->c2, &b->c2);
}

void zk_fp6_neg(zk_fp6 *r, const zk_fp6 *a)
{
    fp2_neg(&r->c0, &a->c0);
    fp2_neg(&r->c1, &a->c1);
    fp2_neg(&r->c2, &a->c2);
}

void zk_fp6_mul(zk_fp6 *r, const zk_fp6 *a, const zk_fp6 *b)
{
    zk_fp2 t0, t1, t2, s, u, c0, c1, c2;
    fp2_mul(&t0, &a->c0, &b->c0);
    fp2_mul(&t1, &a->c1, &b->c1);
    fp2_mul(&t2, &a->c2, &b->c2);
    /* c0 = ((a1 + a2)(b1 + b2) - t1 - t2) xi + t0 */
    fp2_add(&s, &a->c1, &a->c2);
    fp2_add(&u, &b->c1, &b->c2);
    fp2_mul(&s, &s, &u);
    fp2_sub(&s, &s, &t1);
    fp2_sub(&s, &s, &t2);
    fp2_mul_by_xi(&s, &s);
    fp2_add(&c0, &s, &t0);
    /* c1 = (a0 + a1)(b0 + b1) - t0 - t1 + xi t2 */
    fp2_add(&s, &a->c0, &a->c1);
    fp2_add(&u, &b->c0, &b->c1);
    fp2_mul(&s, &s, &u);
    fp2_sub(&s, &s, &t0);
    fp2_sub(&s, &s, &t1);
    fp2_mul_by_xi(&u, &t2);
    fp2_add(&c1, &s, &u);
    /* c2 = (a0 + a2)(b0 + b2) - t0 - t2 + t1 */
    fp2_add(&s, &a->c0, &a->c2);
    fp2_add(&u, &b->c0, &b->c2);
    fp2_mul(&s, &s, &u);
    fp2_sub(&s, &s, &t0);
    fp2_sub(&s, &s, &t2);
    fp2_add(&c2, &s, &t1);
    r->c0 = c0;
    r->c1 = c1;
    r->c2 = c2;
}

void zk_fp6_sqr(zk_fp6 *r, const zk_fp6 *a)
{
    /* CH-SQR2: s0 = a0^2, s1 = 2 a0 a1, s2 = (a0 - a1 + a2)^2,
     * s3 = 2 a1 a2, s4 = a2^2;
     * c0 = xi s3 + s0, c1 = xi s4 + s1, c2 = s1 + s2 + s3 - s0 - s4 */
    zk_fp2 s0, s1, s2, s3, s4, t;
    fp2_sqr(&s0, &a->c0);
    fp2_mul(&s1, &a->c0, &a->c1);
    fp2_dbl(&s1, &s1);
    fp2_sub(&t, &a->c0, &a->c1);
    fp2_add(&t, &t, &a->c2);
    fp2_sqr(&s2, &t);
    fp2_mul(&s3, &a->c1, &a->c2);
    fp2_dbl(&s3, &s3);
    fp2_sqr(&s4, &a->c2);
    fp2_mul_by_xi(&t, &s3);
    fp2_add(&r->c0, &t, &s0);
    fp2_add(&t, &s1, &s2);
    fp2_add(&t, &t, &s3);
    fp2_sub(&t, &t, &s0);
    fp2_sub(&r->c2, &t, &s4);
    fp2_mul_by_xi(&t, &s4);
    fp2_add(&r->c1, &t, &s1);
}

void zk_fp6_mul_by_v(zk_fp6 *r, const zk_fp6 *a)
{
    zk_fp2 t;
    fp2_mul_by_xi(&t, &a->c2);
    r->c2 = a->c1;
    r->c1 = a->c0;
    r->c0 = t;
}

void zk_fp6_mul_by_01(zk_fp6 *r, const zk_fp6 *a, const zk_fp2 *b0, const zk_fp2 *b1)
{
    /* (a0 + a1 v + a2 v^2)(b0 + b1 v): c0 = a0 b0 + xi a2 b1,
     * c1 = a0 b1 + a1 b0, c2 = a1 b1 + a2 b0; 5 multiplications */
    zk_fp2 t0, t1, s, u, c0, c1, c2;
    fp2_mul(&t0, &a->c0, b0);
    fp2_mul(&t1, &a->c1, b1);
    fp2_mul(&s, &a->c2, b1);
    fp2_mul_by_xi(&s, &s);
    fp2_add(&c0, &s, &t0);
    fp2_add(&s, &a->c0, &a->c1);
    fp2_add(&u, b0, b1);
    fp2_mul(&s, &s, &u);
    fp2_sub(&s, &s, &t0);
    fp2_sub(&c1, &s, &t1);
    fp2_mul(&s, &a->c2, b0);
    fp2_add(&c2, &s, &t1);
    r->c0 = c0;
    r->c1 = c1;
    r->c2 = c2;
}

int zk_fp6_inv(zk_fp6 *r, const zk_fp6 *a)
{
    /* A = a0^2 - xi a1 a2, B = xi a2^2 - a0 a1, C = a1^2 - a0 a2,
     * F = a0 A + xi (a2 B + a1 C); 1/a = (A + B v + C v^2) / F */
    zk_fp2 A, B, C, F, t;
    fp2_sqr(&A, &a->c0);
    fp2_mul(&t, &a->c1, &a->c2);
    fp2_mul_by_xi(&t, &t);
    fp2_sub(&A, &A, &t);
    fp2_sqr(&B, &a->c2);
    fp2_mul_by_xi(&B, &B);
    fp2_mul(&t, &a->c0, &a->c1);
    fp2_sub(&B, &B, &t);
    fp2_sqr(&C, &a->c1);
    fp2_mul(&t, &a->c0, &a->c2);
    fp2_sub(&C, &C, &t);
    fp2_mul(&F, &a->c2, &B);
    fp2_mul(&t, &a->c1, &C);
    fp2_add(&F, &F, &t);
    fp2_mul_by_xi(&F, &F);
    fp2_mul(&t, &a->c0, &A);
    fp2_add(&F, &F, &t);
    int rc = fp2_inv(&F, &F);
    fp2_mul(&r->c0, &A, &F);
    fp2_mul(&r->c1, &B, &F);
    fp2_mul(&r->c2, &C, &F);
    return rc;
}

void zk_fp6_frobenius(zk_fp6 *r, const zk_fp6 *a, unsigned k)
{
    /* v = w^2, v^2 = w^4: frob^k(v^j) = gamma[k][2j] v^j */
    zk_fp2 c0 = a->c0, c1 = a->c1, c2 = a->c2;
    if (k & 1) {
        fp2_conj(&c0, &c0);
        fp2_conj(&c1, &c1);
        fp2_conj(&c2, &c2);
    }
    r->c0 = c0;
    fp2_mul(&r->c1, &c1, &ZK_FROB[k][2]);
    fp2_mul(&r->c2, &c2, &ZK_FROB[k][4]);
}

int zk_fp6_eq(const zk_fp6 *a, const zk_fp6 *b)
{
    return fp2_eq(&a->c0, &b->c0) && fp2_eq(&a->c1, &b->c1) && fp2_eq(&a->c2, &b->c2);
}

int zk_fp6_is_zero(const zk_fp6 *a)
{
    return fp2_is_zero(&a->c0) && fp2_is_zero(&a->c1) && fp2_is_zero(&a->c2);
}
