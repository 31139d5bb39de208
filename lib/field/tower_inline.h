/*
 * tower_inline.h -- inline Fp2 arithmetic for the tower, curve and pairing
 * code inside libzkpar (internal).  Fp2 = Fp[u]/(u^2 + 1), xi = 9 + u.
 */
#ifndef ZK_TOWER_INLINE_H
#define ZK_TOWER_INLINE_H

#include "field/field_inline.h"
#include "field/fp2.h"

MONT_INLINE void fp2_add(zk_fp2 *r, const zk_fp2 *a, const zk_fp2 *b)
{
    fp_add(&r->c0, &a->c0, &b->c0);
    fp_add(&r->c1, &a->c1, &b->c1);
}

MONT_INLINE void fp2_sub(zk_fp2 *r, const zk_fp2 *a, const zk_fp2 *b)
{
    fp_sub(&r->c0, &a->c0, &b->c0);
    fp_sub(&r->c1, &a->c1, &b->c1);
}

MONT_INLINE void fp2_dbl(zk_fp2 *r, const zk_fp2 *a)
{
    fp_dbl(&r->c0, &a->c0);
    fp_dbl(&r->c1, &a->c1);
}

MONT_INLINE void fp2_neg(zk_fp2 *r, const zk_fp2 *a)
{
    fp_neg(&r->c0, &a->c0);
    fp_neg(&r->c1, &a->c1);
}

MONT_INLINE void fp2_conj(zk_fp2 *r, const zk_fp2 *a)
{
    r->c0 = a->c0;
    fp_neg(&r->c1, &a->c1);
}

/* Karatsuba: 3 multiplications. */
MONT_INLINE void fp2_mul_impl(zk_fp2 *r, const zk_fp2 *a, const zk_fp2 *b)
{
    zk_fp v0, v1, s, t;
    fp_mul(&v0, &a->c0, &b->c0);
    fp_mul(&v1, &a->c1, &b->c1);
    fp_add(&s, &a->c0, &a->c1);
    fp_add(&t, &b->c0, &b->c1);
    fp_mul(&s, &s, &t);
    fp_sub(&r->c0, &v0, &v1);
    fp_sub(&s, &s, &v0);
    fp_sub(&r->c1, &s, &v1);
}

/* (a0 + a1 u)^2 = (a0 + a1)(a0 - a1) + 2 a0 a1 u */
MONT_INLINE void fp2_sqr_impl(zk_fp2 *r, const zk_fp2 *a)
{
    zk_fp s, d, m;
    fp_add(&s, &a->c0, &a->c1);
    fp_sub(&d, &a->c0, &a->c1);
    fp_mul(&m, &a->c0, &a->c1);
    fp_mul(&r->c0, &s, &d);
    fp_dbl(&r->c1, &m);
}

/* The multiplications are out of line: inlining them (each holds six
 * Montgomery multiplications in two kernels) into every curve and tower
 * formula bloats the code without a measurable gain; fp2.c inlines the
 * _impl versions once. */
static inline void fp2_mul(zk_fp2 *r, const zk_fp2 *a, const zk_fp2 *b) { zk_fp2_mul(r, a, b); }
static inline void fp2_sqr(zk_fp2 *r, const zk_fp2 *a) { zk_fp2_sqr(r, a); }

MONT_INLINE void fp2_mul_fp(zk_fp2 *r, const zk_fp2 *a, const zk_fp *b)
{
    fp_mul(&r->c0, &a->c0, b);
    fp_mul(&r->c1, &a->c1, b);
}

/* (a0 + a1 u)(9 + u) = (9 a0 - a1) + (a0 + 9 a1) u */
MONT_INLINE void fp2_mul_by_xi(zk_fp2 *r, const zk_fp2 *a)
{
    zk_fp t0, t1;
    fp_dbl(&t0, &a->c0);
    fp_dbl(&t0, &t0);
    fp_dbl(&t0, &t0);
    fp_add(&t0, &t0, &a->c0); /* 9 a0 */
    fp_dbl(&t1, &a->c1);
    fp_dbl(&t1, &t1);
    fp_dbl(&t1, &t1);
    fp_add(&t1, &t1, &a->c1); /* 9 a1 */
    fp_sub(&t0, &t0, &a->c1);
    fp_add(&r->c1, &t1, &a->c0);
    r->c0 = t0;
}

MONT_INLINE int fp2_is_zero(const zk_fp2 *a)
{
    return fp_is_zero(&a->c0) && fp_is_zero(&a->c1);
}

MONT_INLINE int fp2_eq(const zk_fp2 *a, const zk_fp2 *b)
{
    return fp_eq(&a->c0, &b->c0) && fp_eq(&a->c1, &b->c1);
}

MONT_INLINE void fp2_set_zero(zk_fp2 *r) { memset(r, 0, sizeof *r); }
MONT_INLINE void fp2_set_one(zk_fp2 *r)
{
    fp_set_one(&r->c0);
    fp_set_zero(&r->c1);
}

/* 1 / (a0 + a1 u) = (a0 - a1 u) / (a0^2 + a1^2) */
MONT_INLINE int fp2_inv(zk_fp2 *r, const zk_fp2 *a)
{
    zk_fp n, t;
    fp_sqr(&n, &a->c0);
    fp_sqr(&t, &a->c1);
    fp_add(&n, &n, &t);
    int rc = zk_fp_inv(&n, &n);
    fp_mul(&r->c0, &a->c0, &n);
    fp_mul(&t, &a->c1, &n);
    fp_neg(&r->c1, &t);
    return rc;
}

#endif
