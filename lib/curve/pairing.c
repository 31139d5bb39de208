/*
 * pairing.c -- optimal ate pairing on BN254.
 *
 * Miller loop: the twist point T is kept in homogeneous projective
 * coordinates (x = X/Z, y = Y/Z) and every step returns its line evaluated
 * at P as the sparse element c0 + c3 w + c4 w^3 (Costello, Lange, Naehrig,
 * "Faster pairing computations on curves with high-degree twists", PKC
 * 2010; Aranha, Karabina, Longa, Gebotys, Lopez, "Faster explicit formulas
 * for computing pairings over ordinary curves", EUROCRYPT 2011, sec. 4).
 * The lines are those of the untwisted points psi(x', y') = (x' w^2, y' w^3),
 * each scaled by a factor in Fp2 that the final exponentiation removes.
 *
 * Final exponentiation: the easy part f^((p^6 - 1)(p^2 + 1)), then the hard
 * part of Fuentes-Castaneda, Knapp, Rodriguez-Henriquez, "Faster hashing to
 * G2", SAC 2011, sec. 6: it raises to 2z(6z^2 + 3z + 1) (p^4 - p^2 + 1)/r, a
 * fixed multiple (prime to r) of the textbook exponent.  This is the
 * convention of snarkjs/ffjavascript, @noble/curves and gnark, so pairing
 * values (a Groth16 key's vk_alphabeta_12) agree with theirs; tests compare
 * it with f^(2z(6z^2+3z+1)(p^12-1)/r) computed by GMP.
 */

#include "curve/curve_inline.h"
#include "curve/pairing.h"
#include "field/fp12.h"
#include "field/frob_inline.h"

typedef struct { zk_fp2 x, y, z; } hpoint; /* homogeneous projective */

typedef struct { zk_fp2 c0, c3, c4; } line;

static const int ATE_NAF[ZK_ATE_NAF_LEN] = ZK_ATE_NAF;

/* r = a / 2 */
MONT_INLINE void fp_half(zk_fp *r, const zk_fp *a)
{
    uint64_t t[5], mask = 0 - (a->l[0] & 1), c = 0;
    for (int i = 0; i < 4; i++) {
        zk_u128 s = (zk_u128)a->l[i] + (FP_MOD[i] & mask) + c;
        t[i] = (uint64_t)s;
        c = (uint64_t)(s >> 64);
    }
    t[4] = c;
    for (int i = 0; i < 4; i++)
        r->l[i] = (t[i] >> 1) | (t[i + 1] << 63);
}

MONT_INLINE void fp2_half(zk_fp2 *r, const zk_fp2 *a)
{
    fp_half(&r->c0, &a->c0);
    fp_half(&r->c1, &a->c1);
}

/* T = 2T; line = -H yP + 3 X^2 xP w + (3b'Z^2 - Y^2) w^3 (before scaling
 * by P's coordinates, done in the caller). */
static void dbl_step(hpoint *t, line *l)
{
    zk_fp2 A, B, C, E, F, G, H, J, s;
    fp2_mul(&A, &t->x, &t->y);
    fp2_half(&A, &A);
    fp2_sqr(&B, &t->y);
    fp2_sqr(&C, &t->z);
    fp2_dbl(&E, &C);
    fp2_add(&E, &E, &C);
    fp2_mul(&E, &E, &ZK_G2_B_); /* 3 b' Z^2 */
    fp2_dbl(&F, &E);
    fp2_add(&F, &F, &E);
    fp2_add(&G, &B, &F);
    fp2_half(&G, &G);
    fp2_add(&H, &t->y, &t->z);
    fp2_sqr(&H, &H);
    fp2_add(&s, &B, &C);
    fp2_sub(&H, &H, &s); /* 2 Y Z */
    fp2_sqr(&J, &t->x);

    fp2_sub(&l->c4, &E, &B);
    fp2_dbl(&l->c3, &J);
    fp2_add(&l->c3, &l->c3, &J);
    fp2_neg(&l->c0, &H);

    fp2_sub(&s, &B, &F);
    fp2_mul(&t->x, &A, &s);
    fp2_sqr(&G, &G);
    fp2_sqr(&s, &E);
    fp2_dbl(&C, &s);
    fp2_add(&s, &C, &s);
    fp2_sub(&t->y, &G, &s);
    fp2_mul(&t->z, &B, &H);
}

/* T = T + Q (Q affine); line = lambda yP - theta xP w + (theta x2 - lambda y2) w^3 */
static void add_step(hpoint *t, line *l, const zk_g2 *q)
{
    zk_fp2 theta, lambda, C, D, E, F, G, H, s;
    fp2_mul(&s, &q->y, &t->z);
    fp2_sub(&theta, &t->y, &s);
    fp2_mul(&s, &q->x, &t->z);
    fp2_sub(&lambda, &t->x, &s);
    fp2_sqr(&C, &theta);
    fp2_sqr(&D, &lambda);
    fp2_mul(&E, &lambda, &D);
    fp2_mul(&F, &t->z, &C);
    fp2_mul(&G, &t->x, &D);
    fp2_dbl(&s, &G);
    fp2_add(&H, &E, &F);
    fp2_sub(&H, &H, &s);

    fp2_mul(&t->x, &lambda, &H);
    fp2_sub(&s, &G, &H);
    fp2_mul(&s, &theta, &s);
    fp2_mul(&G, &t->y, &E);
    fp2_sub(&t->y, &s, &G);
    fp2_mul(&t->z, &t->z, &E);

    fp2_mul(&s, &theta, &q->x);
    fp2_mul(&G, &lambda, &q->y);
    fp2_sub(&l->c4, &s, &G);
    fp2_neg(&l->c3, &theta);
    l->c0 = lambda;
}

/* f = f * line(P), with yP and xP already prepared */
MONT_INLINE void mul_line(zk_fp12 *f, line *l, const zk_fp *xp, const zk_fp *yp)
{
    fp2_mul_fp(&l->c0, &l->c0, yp);
    fp2_mul_fp(&l->c3, &l->c3, xp);
    zk_fp12_mul_by_034(f, f, &l->c0, &l->c3, &l->c4);
}

/* pi(Q) = (conj(x) g12, conj(y) g13) and -pi^2(Q) = (x g22, -y g23) */
static void twist_frob(zk_g2 *q1, zk_g2 *q2, const zk_g2 *q)
{
    zk_fp2 t;
    g2_psi(q1, q);
    fp2_mul(&q2->x, &q->x, &ZK_FROB[2][2]);
    fp2_mul(&t, &q->y, &ZK_FROB[2][3]);
    fp2_neg(&q2->y, &t);
}

/* Pairs per shared Miller loop: the twist points live on the stack, and
 * more pairs are done in chunks whose results are multiplied (the product
 * of Miller loops is the Miller loop of the product), so nothing is
 * allocated.  A chunk costs 64 extra Fp12 squarings, a few percent of 16
 * pairs' line work. */
#define ML_CHUNK 16

/* f = prod of f_j over the m <= ML_CHUNK pairs (p[j], q[j]), none of them
 * at infinity. */
static void miller_chunk(zk_fp12 *f, const zk_g1 *const *p, const zk_g2 *const *q, size_t m)
{
    hpoint t[ML_CHUNK];
    zk_g2 nq[ML_CHUNK];
    line l;
    for (size_t j = 0; j < m; j++) {
        t[j].x = q[j]->x;
        t[j].y = q[j]->y;
        fp2_set_one(&t[j].z);
        zk_g2_neg(&nq[j], q[j]);
    }
    zk_fp12_one(f);
    for (int b = 1; b < ZK_ATE_NAF_LEN; b++) {
        if (b > 1)
            zk_fp12_sqr(f, f);
        for (size_t j = 0; j < m; j++) {
            dbl_step(&t[j], &l);
            mul_line(f, &l, &p[j]->x, &p[j]->y);
            if (ATE_NAF[b] != 0) {
                add_step(&t[j], &l, ATE_NAF[b] > 0 ? q[j] : &nq[j]);
                mul_line(f, &l, &p[j]->x, &p[j]->y);
            }
        }
    }
    for (size_t j = 0; j < m; j++) {
        zk_g2 q1, q2;
        twist_frob(&q1, &q2, q[j]);
        add_step(&t[j], &l, &q1);
        mul_line(f, &l, &p[j]->x, &p[j]->y);
        add_step(&t[j], &l, &q2);
        mul_line(f, &l, &p[j]->x, &p[j]->y);
    }
}

void zk_miller_loop(zk_fp12 *f, const zk_g1 *p, const zk_g2 *q, size_t n)
{
    const zk_g1 *pc[ML_CHUNK];
    const zk_g2 *qc[ML_CHUNK];
    size_t m = 0, chunks = 0;
    zk_fp12 g;
    zk_fp12_one(f);
    for (size_t i = 0; i <= n; i++) {
        /* pairs with a point at infinity contribute 1 */
        if (i < n && !g1_a_is_inf(&p[i]) && !g2_a_is_inf(&q[i])) {
            pc[m] = &p[i];
            qc[m] = &q[i];
            m++;
        }
        if (m == ML_CHUNK || (i == n && m > 0)) {
            miller_chunk(chunks ? &g : f, pc, qc, m);
            if (chunks++)
                zk_fp12_mul(f, f, &g);
            m = 0;
        }
    }
}

static const int Z_NAF[ZK_Z_NAF_LEN] = ZK_Z_NAF;

/* r = a^z for a in the cyclotomic subgroup, where a^-1 = conj(a): signed
 * digits cost 23 multiplications instead of 27. */
static void exp_by_z(zk_fp12 *r, const zk_fp12 *a)
{
    zk_fp12 acc = *a, inv;
    zk_fp12_conj(&inv, a);
    for (int i = 1; i < ZK_Z_NAF_LEN; i++) {
        zk_fp12_sqr_cyclotomic(&acc, &acc);
        if (Z_NAF[i] > 0)
            zk_fp12_mul(&acc, &acc, a);
        else if (Z_NAF[i] < 0)
            zk_fp12_mul(&acc, &acc, &inv);
    }
    *r = acc;
}

void zk_final_exp(zk_fp12 *r, const zk_fp12 *f)
{
    zk_fp12 m, t, fz, f2z, f6z, f6z2, f12z3, a, b, c;
    /* easy part: m = f^((p^6 - 1)(p^2 + 1)) */
    zk_fp12_conj(&t, f);
    if (zk_fp12_inv(&m, f) != 0) {
        zk_fp12_zero(r); /* f = 0 is not a Miller loop output */
        return;
    }
    zk_fp12_mul(&m, &t, &m);
    zk_fp12_frobenius(&t, &m, 2);
    zk_fp12_mul(&m, &t, &m);

    /* hard part, exponent 2z(6z^2 + 3z + 1) (p^4 - p^2 + 1) / r =
     * l0 + l1 p + l2 p^2 + l3 p^3 with
     *   l2 = 12z^3 + 6z^2 + 6z,  l1 = l2 - 2z,  l3 = l1 - 1,
     *   l0 = l2 + 6z^2 + 1 */
    exp_by_z(&fz, &m);
    zk_fp12_sqr_cyclotomic(&f2z, &fz);
    zk_fp12_sqr_cyclotomic(&f6z, &f2z);
    zk_fp12_mul(&f6z, &f6z, &f2z);     /* m^(6z) */
    exp_by_z(&f6z2, &f6z);             /* m^(6z^2) */
    zk_fp12_sqr_cyclotomic(&t, &f6z2); /* m^(12z^2) */
    exp_by_z(&f12z3, &t);              /* m^(12z^3) */
    zk_fp12_mul(&a, &f12z3, &f6z2);
    zk_fp12_mul(&a, &a, &f6z);         /* m^l2 */
    zk_fp12_conj(&t, &f2z);
    zk_fp12_mul(&b, &a, &t);           /* m^l1 */
    zk_fp12_conj(&t, &m);
    zk_fp12_mul(&c, &b, &t);           /* m^l3 */
    zk_fp12_mul(&t, &a, &f6z2);
    zk_fp12_mul(&t, &t, &m);           /* m^l0 */
    zk_fp12_frobenius(&b, &b, 1);
    zk_fp12_mul(&t, &t, &b);
    zk_fp12_frobenius(&a, &a, 2);
    zk_fp12_mul(&t, &t, &a);
    zk_fp12_frobenius(&c, &c, 3);
    zk_fp12_mul(r, &t, &c);
}

void zk_pairing(zk_fp12 *r, const zk_g1 *p, const zk_g2 *q)
{
    zk_multi_pairing(r, p, q, 1);
}

void zk_multi_pairing(zk_fp12 *r, const zk_g1 *p, const zk_g2 *q, size_t n)
{
    zk_fp12 f;
    zk_miller_loop(&f, p, q, n);
    zk_final_exp(r, &f);
}

int zk_pairing_check(const zk_g1 *p, const zk_g2 *q, size_t n)
{
    zk_fp12 r;
    zk_multi_pairing(&r, p, q, n);
    return zk_fp12_is_one(&r);
}
