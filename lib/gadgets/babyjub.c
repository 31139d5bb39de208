/*
 * babyjub.c -- Baby Jubjub gadgets (see babyjub.h).
 *
 * Edwards formulas: circomlib's babyjub.circom (BabyAdd, BabyCheck), the
 * doubling merged as BabyAdd(p, p) with beta = gamma.  Montgomery
 * formulas: circomlib's montgomery.circom (the curve B v^2 = u^3 + A u^2
 * + u with A = 2 (a + d) / (a - d) = 168698, B = 4 / (a - d) = 1), and
 * the "2A + P without the intermediate v" of Eisenträger, Lauter and
 * Montgomery ("Fast elliptic curve arithmetic and improved Weil pairing
 * evaluation", CT-RSA 2003), as in halo2's incomplete-addition
 * double-and-add.  The exceptional-case arguments are in babyjub.h.
 */
#include "gadgets/babyjub.h"

#include <pthread.h>
#include <string.h>

/* ------------------------------------------------------------ helpers */

#define MONT_A 168698u

static void misuse(zk_cs *cs)
{
    zk_cs_fail(cs, ZK_EINVAL);
}

/* 1 when a has no term on a variable other than ONE; *val = its value
 * (the coefficients: the same in every mode). */
static int lc_const(const zk_cs *cs, zk_lc a, zk_fr *val)
{
    zk_fr_zero(val);
    for (size_t i = 0; i < zk_lc_len(a); i++) {
        zk_var v;
        zk_fr c;
        if (zk_lc_get(&v, &c, cs, a, i) != ZK_OK || v.id != 0)
            return 0;
        zk_fr_add(val, val, &c);
    }
    return 1;
}

static zk_lc lc_u64(zk_cs *cs, uint64_t c)
{
    return zk_lc_const_u64(cs, c);
}

static zk_lc lc_fr(zk_cs *cs, const zk_fr *c)
{
    return zk_lc_const(cs, c);
}

/* a + c b for a small constant c (negative: pass neg = 1). */
static zk_lc lc_axpy(zk_cs *cs, zk_lc a, uint64_t c, int neg, zk_lc b)
{
    zk_fr k;
    zk_fr_set_u64(&k, c);
    if (neg)
        zk_fr_neg(&k, &k);
    return zk_lc_add_scaled(cs, a, &k, b);
}

static zk_lc lc_scale_u64(zk_cs *cs, zk_lc a, uint64_t c, int neg)
{
    return lc_axpy(cs, zk_lc_zero(), c, neg, a);
}

/* a b: a linear combination when a or b is constant, else a new variable
 * with the constraint a * b = z. */
static zk_lc prod(zk_cs *cs, zk_lc a, zk_lc b)
{
    zk_fr c;
    if (lc_const(cs, a, &c))
        return zk_lc_scale(cs, b, &c);
    if (lc_const(cs, b, &c))
        return zk_lc_scale(cs, a, &c);
    return zk_lc_var(cs, zk_cs_mul(cs, a, b));
}

/* z = a b - rest with the constraint a * b = z + rest (a new variable), or
 * the linear combination when a or b is constant. */
static zk_lc prod_minus(zk_cs *cs, zk_lc a, zk_lc b, zk_lc rest)
{
    zk_fr c;
    if (lc_const(cs, a, &c) || lc_const(cs, b, &c))
        return zk_lc_sub(cs, prod(cs, a, b), rest);
    zk_fr av, bv, rv, z;
    zk_lc_eval(&av, cs, a);
    zk_lc_eval(&bv, cs, b);
    zk_lc_eval(&rv, cs, rest);
    zk_fr_mul(&z, &av, &bv);
    zk_fr_sub(&z, &z, &rv);
    zk_var zv = zk_cs_alloc(cs, &z);
    zk_lc zl = zk_lc_var(cs, zv);
    zk_cs_enforce(cs, a, b, zk_lc_add(cs, zl, rest));
    return zl;
}

/* q = num / den with the constraint q * den = num (hint 0 when den = 0:
 * the witness then fails unless num = 0).  A constant den gives the
 * linear combination num / den (a constant 0 den: the constraint
 * 0 = num, and q = 0).  The hint's inversion is variable time, like the
 * prover's MSMs over the witness (msm.h): witness values are the prover's
 * own data, never signing keys. */
static zk_lc quot(zk_cs *cs, zk_lc num, zk_lc den)
{
    zk_fr c, ci;
    if (lc_const(cs, den, &c)) {
        if (zk_fr_inv(&ci, &c) != ZK_OK) {
            zk_cs_enforce(cs, zk_lc_zero(), zk_lc_zero(), num);
            return zk_lc_zero();
        }
        return zk_lc_scale(cs, num, &ci);
    }
    zk_fr nv, dv, q;
    zk_lc_eval(&nv, cs, num);
    zk_lc_eval(&dv, cs, den);
    if (zk_fr_inv_var(&q, &dv) != ZK_OK)
        zk_fr_zero(&q);
    zk_fr_mul(&q, &q, &nv);
    zk_lc ql = zk_lc_var(cs, zk_cs_alloc(cs, &q));
    zk_cs_enforce(cs, ql, den, num);
    return ql;
}

/* Assert x != 0: x * inv = 1 (a constant x: 0 * 0 = 1 when it is 0,
 * nothing otherwise). */
static void nonzero(zk_cs *cs, zk_lc x)
{
    zk_fr c;
    zk_lc one = lc_u64(cs, 1);
    if (lc_const(cs, x, &c)) {
        if (zk_fr_is_zero(&c))
            zk_cs_enforce(cs, zk_lc_zero(), zk_lc_zero(), one);
        return;
    }
    (void)quot(cs, one, x);
}

static void param_ad(zk_fr *a, zk_fr *d)
{
    zk_bj_param_a(a);
    zk_bj_param_d(d);
}

static void keep_pt(zk_cs *cs, size_t mark, zk_g_bj_pt *p)
{
    zk_lc k[2] = {p->x, p->y};
    zk_cs_release_keep(cs, mark, k, 2);
    p->x = k[0];
    p->y = k[1];
}

static void zero_pt(zk_g_bj_pt *p)
{
    p->x = zk_lc_zero();
    p->y = zk_lc_zero();
}

/* ------------------------------------------------------------- public */

void zk_g_bj_const(zk_cs *cs, zk_g_bj_pt *out, const zk_bj *p)
{
    if (!out || !p) {
        misuse(cs);
        if (out)
            zero_pt(out);
        return;
    }
    out->x = lc_fr(cs, &p->x);
    out->y = lc_fr(cs, &p->y);
}

void zk_g_bj_eval(zk_bj *out, const zk_cs *cs, zk_g_bj_pt p)
{
    if (!out)
        return;
    zk_lc_eval(&out->x, cs, p.x);
    zk_lc_eval(&out->y, cs, p.y);
}

/* ------------------------------------------------------ Edwards, core */

/* p + q (the output LCs, or the constraints with *expect in their place). */
static void ed_add(zk_cs *cs, zk_g_bj_pt *out, zk_g_bj_pt p, zk_g_bj_pt q,
                   const zk_g_bj_pt *expect)
{
    zk_fr a, d;
    param_ad(&a, &d);
    zk_lc beta = prod(cs, p.x, q.y);
    zk_lc gamma = prod(cs, p.y, q.x);
    zk_fr na;
    zk_fr_neg(&na, &a);
    zk_lc l1 = zk_lc_add_scaled(cs, p.y, &na, p.x);   /* -a x1 + y1 */
    zk_lc delta = prod(cs, l1, zk_lc_add(cs, q.x, q.y));
    zk_lc tau = prod(cs, beta, gamma);
    zk_lc one = lc_u64(cs, 1);
    zk_fr nd;
    zk_fr_neg(&nd, &d);
    zk_lc dx = zk_lc_add_scaled(cs, one, &d, tau);    /* 1 + d tau */
    zk_lc dy = zk_lc_add_scaled(cs, one, &nd, tau);   /* 1 - d tau */
    zk_lc nx = zk_lc_add(cs, beta, gamma);
    zk_lc ny = zk_lc_sub(cs, zk_lc_add_scaled(cs, delta, &a, beta), gamma);
    if (expect) {
        zk_cs_enforce(cs, dx, expect->x, nx);
        zk_cs_enforce(cs, dy, expect->y, ny);
        return;
    }
    out->x = quot(cs, nx, dx);
    out->y = quot(cs, ny, dy);
}

static void ed_dbl(zk_cs *cs, zk_g_bj_pt *out, zk_g_bj_pt p)
{
    zk_fr a, d, na, nd, am1;
    param_ad(&a, &d);
    zk_fr_neg(&na, &a);
    zk_fr_neg(&nd, &d);
    zk_lc beta = prod(cs, p.x, p.y);
    zk_lc l1 = zk_lc_add_scaled(cs, p.y, &na, p.x);
    zk_lc delta = prod(cs, l1, zk_lc_add(cs, p.x, p.y));
    zk_lc tau = prod(cs, beta, beta);
    zk_lc one = lc_u64(cs, 1);
    zk_lc dx = zk_lc_add_scaled(cs, one, &d, tau);
    zk_lc dy = zk_lc_add_scaled(cs, one, &nd, tau);
    zk_fr_one(&am1);
    zk_fr_sub(&am1, &a, &am1);                        /* a - 1 */
    out->x = quot(cs, lc_scale_u64(cs, beta, 2, 0), dx);
    out->y = quot(cs, zk_lc_add_scaled(cs, delta, &am1, beta), dy);
}

/* x^2, y^2 and the curve equation; the squares for the caller. */
static void on_curve(zk_cs *cs, zk_lc *x2, zk_lc *y2, zk_g_bj_pt p)
{
    zk_fr a, d;
    param_ad(&a, &d);
    *x2 = prod(cs, p.x, p.x);
    *y2 = prod(cs, p.y, p.y);
    zk_lc rhs = zk_lc_add_scaled(cs, *y2, &a, *x2);          /* a x2 + y2 */
    zk_fr m1;
    zk_fr_one(&m1);
    zk_fr_neg(&m1, &m1);
    rhs = zk_lc_add_const(cs, rhs, &m1);
    zk_lc dx2 = zk_lc_scale(cs, *x2, &d);
    zk_fr c;
    if (lc_const(cs, dx2, &c) || lc_const(cs, *y2, &c))
        zk_cs_enforce_equal(cs, prod(cs, dx2, *y2), rhs);
    else
        zk_cs_enforce(cs, dx2, *y2, rhs);
}

void zk_g_bj_assert_on_curve(zk_cs *cs, zk_g_bj_pt p)
{
    zk_cs_push(cs, "bj_on_curve");
    size_t m = zk_cs_mark(cs);
    zk_lc x2, y2;
    on_curve(cs, &x2, &y2, p);
    zk_cs_release(cs, m);
    zk_cs_pop(cs);
}

void zk_g_bj_add(zk_cs *cs, zk_g_bj_pt *out, zk_g_bj_pt p, zk_g_bj_pt q)
{
    if (!out) {
        misuse(cs);
        return;
    }
    zk_cs_push(cs, "bj_add");
    size_t m = zk_cs_mark(cs);
    ed_add(cs, out, p, q, NULL);
    keep_pt(cs, m, out);
    zk_cs_pop(cs);
}

void zk_g_bj_add_assert(zk_cs *cs, zk_g_bj_pt p, zk_g_bj_pt q, zk_g_bj_pt r)
{
    zk_cs_push(cs, "bj_add");
    size_t m = zk_cs_mark(cs);
    ed_add(cs, NULL, p, q, &r);
    zk_cs_release(cs, m);
    zk_cs_pop(cs);
}

void zk_g_bj_dbl(zk_cs *cs, zk_g_bj_pt *out, zk_g_bj_pt p)
{
    if (!out) {
        misuse(cs);
        return;
    }
    zk_cs_push(cs, "bj_dbl");
    size_t m = zk_cs_mark(cs);
    ed_dbl(cs, out, p);
    keep_pt(cs, m, out);
    zk_cs_pop(cs);
}

void zk_g_bj_on_curve_dbl(zk_cs *cs, zk_g_bj_pt *out, zk_g_bj_pt p)
{
    if (!out) {
        misuse(cs);
        return;
    }
    zk_cs_push(cs, "bj_on_curve_dbl");
    size_t m = zk_cs_mark(cs);
    zk_fr a, na;
    zk_bj_param_a(&a);
    zk_fr_neg(&na, &a);
    zk_lc x2, y2;
    on_curve(cs, &x2, &y2, p);
    zk_lc xy = prod(cs, p.x, p.y);
    zk_lc s = zk_lc_add_scaled(cs, y2, &a, x2);              /* a x2 + y2 */
    zk_lc two = lc_u64(cs, 2);
    out->x = quot(cs, lc_scale_u64(cs, xy, 2, 0), s);
    out->y = quot(cs, zk_lc_add_scaled(cs, y2, &na, x2),
                  zk_lc_sub(cs, two, s));
    keep_pt(cs, m, out);
    zk_cs_pop(cs);
}

void zk_g_bj_neg(zk_cs *cs, zk_g_bj_pt *out, zk_g_bj_pt p)
{
    if (!out) {
        misuse(cs);
        return;
    }
    out->x = zk_lc_neg(cs, p.x);
    out->y = p.y;
}

/* c ? a : b, no scope. */
static zk_lc mux(zk_cs *cs, zk_lc c, zk_lc a, zk_lc b)
{
    return zk_lc_add(cs, b, prod(cs, c, zk_lc_sub(cs, a, b)));
}

void zk_g_bj_select(zk_cs *cs, zk_g_bj_pt *out, zk_lc c, zk_g_bj_pt a,
                    zk_g_bj_pt b)
{
    if (!out) {
        misuse(cs);
        return;
    }
    zk_cs_push(cs, "bj_select");
    size_t m = zk_cs_mark(cs);
    out->x = mux(cs, c, a.x, b.x);
    out->y = mux(cs, c, a.y, b.y);
    keep_pt(cs, m, out);
    zk_cs_pop(cs);
}

void zk_g_bj_assert_not_small_order(zk_cs *cs, zk_g_bj_pt p)
{
    zk_cs_push(cs, "bj_not_small_order");
    size_t m = zk_cs_mark(cs);
    zk_g_bj_pt p2, p4;
    ed_dbl(cs, &p2, p);
    ed_dbl(cs, &p4, p2);
    nonzero(cs, p4.x);
    zk_cs_release(cs, m);
    zk_cs_pop(cs);
}

/* ---------------------------------------------------- Montgomery, core */

typedef struct {
    zk_lc u, v;
} mpt;

/* u = (1 + y) / (1 - y), v = u / x: 2 constraints.  Determined when
 * x != 0 and y != 1 (the caller's business). */
static mpt e2m(zk_cs *cs, zk_g_bj_pt p)
{
    zk_lc one = lc_u64(cs, 1);
    mpt r;
    r.u = quot(cs, zk_lc_add(cs, one, p.y), zk_lc_sub(cs, one, p.y));
    r.v = quot(cs, r.u, p.x);
    return r;
}

/* x = u / v, y = (u - 1) / (u + 1): 2 constraints.  With v = 0 (the point
 * (0, 0) of order 2) x would be free: check = 1 asserts u != 0 first (1
 * constraint) where that point is possible.  u = -1 is on no point (it
 * would need v^2 = A - 2 = d, a non-square). */
static zk_g_bj_pt m2e(zk_cs *cs, mpt p, int check)
{
    if (check)
        nonzero(cs, p.u);
    zk_lc one = lc_u64(cs, 1);
    zk_g_bj_pt r;
    r.x = quot(cs, p.u, p.v);
    r.y = quot(cs, zk_lc_sub(cs, p.u, one), zk_lc_add(cs, p.u, one));
    return r;
}

/* p + q (chord): lambda (uq - up) = vq - vp, lambda^2 = u3 + A + up + uq,
 * lambda (up - u3) = v3 + vp.  3 constraints, + 1 with check (uq - up
 * invertible). */
static mpt madd(zk_cs *cs, mpt p, mpt q, int check)
{
    zk_lc du = zk_lc_sub(cs, q.u, p.u);
    if (check)
        nonzero(cs, du);
    zk_lc lam = quot(cs, zk_lc_sub(cs, q.v, p.v), du);
    mpt r;
    zk_fr ca;
    zk_fr_set_u64(&ca, MONT_A);
    zk_lc rest = zk_lc_add_const(cs, zk_lc_add(cs, p.u, q.u), &ca);
    r.u = prod_minus(cs, lam, lam, rest);
    r.v = prod_minus(cs, lam, zk_lc_sub(cs, p.u, r.u), p.v);
    return r;
}

/* 2 p (tangent): w = u^2, lambda 2 v = 3 w + 2 A u + 1, lambda^2 = u3 + A
 * + 2 u, lambda (u - u3) = v3 + v.  4 constraints. */
static mpt mdbl(zk_cs *cs, mpt p)
{
    zk_lc w = prod(cs, p.u, p.u);
    zk_lc num = lc_axpy(cs, lc_scale_u64(cs, w, 3, 0), 2 * MONT_A, 0, p.u);
    num = zk_lc_add(cs, num, lc_u64(cs, 1));
    zk_lc lam = quot(cs, num, lc_scale_u64(cs, p.v, 2, 0));
    zk_fr ca;
    zk_fr_set_u64(&ca, MONT_A);
    mpt r;
    r.u = prod_minus(cs, lam, lam,
                     zk_lc_add_const(cs, lc_scale_u64(cs, p.u, 2, 0), &ca));
    r.v = prod_minus(cs, lam, zk_lc_sub(cs, p.u, r.u), p.v);
    return r;
}

/* (2 bit - 1) v: one product (none for a constant bit). */
static zk_lc signed_v(zk_cs *cs, zk_lc bit, zk_lc v)
{
    return zk_lc_sub(cs, lc_scale_u64(cs, prod(cs, bit, v), 2, 0), v);
}

/* 2 a + (2 bit - 1) h without a's intermediate sum's v:
 *   lambda1 (uh - ua) = s - va,           s = (2 bit - 1) vh
 *   lambda1^2 = ur + A + ua + uh
 *   (lambda1 + lambda2) (ur - ua) = -2 va
 *   lambda2^2 = us + A + ur + ua
 *   lambda2 (ua - us) = vs + va
 * 6 constraints (sign included), + 1 with check (uh - ua invertible). */
static mpt hstep(zk_cs *cs, mpt a, mpt h, zk_lc bit, int check)
{
    zk_lc s = signed_v(cs, bit, h.v);
    zk_lc du = zk_lc_sub(cs, h.u, a.u);
    if (check)
        nonzero(cs, du);
    zk_lc l1 = quot(cs, zk_lc_sub(cs, s, a.v), du);
    zk_fr ca;
    zk_fr_set_u64(&ca, MONT_A);
    zk_lc ur = prod_minus(cs, l1, l1,
                          zk_lc_add_const(cs, zk_lc_add(cs, a.u, h.u), &ca));
    zk_lc mu = quot(cs, lc_scale_u64(cs, a.v, 2, 1), zk_lc_sub(cs, ur, a.u));
    zk_lc l2 = zk_lc_sub(cs, mu, l1);
    mpt r;
    r.u = prod_minus(cs, l2, l2,
                     zk_lc_add_const(cs, zk_lc_add(cs, ur, a.u), &ca));
    r.v = prod_minus(cs, l2, zk_lc_sub(cs, a.u, r.u), a.v);
    return r;
}

/* ------------------------------------------------ fixed-base tables */

#define NWIN 83      /* 3-bit windows of the Montgomery chain */
#define CHAIN_BITS (3 * NWIN)

static const uint64_t L_LIMBS[4] = ZK_BJ_ORDER;

/* Window i, value w (0..7) is the point [(2 w - 7) / 2 * 8^i] Base8;
 * g_fix.u[i][w], g_fix.v[i][w] its Montgomery coordinates, and
 * coef[i][coord][k] the multilinear coefficients of the coordinate in the
 * bits (b0, b1, b2) of w: k = 0..3 for 1, b0, b1, b0 b1 and 4..7 for the
 * same monomials times b2. */
static struct {
    zk_fr u[NWIN][8], v[NWIN][8];
    zk_fr coef[NWIN][2][8];
} g_fix;
static pthread_once_t g_fix_once = PTHREAD_ONCE_INIT;

/* c[0..4) = coefficients of f(b0 + 2 b1) over 1, b0, b1, b0 b1. */
static void ml2(zk_fr c[4], const zk_fr f[4])
{
    c[0] = f[0];
    zk_fr_sub(&c[1], &f[1], &f[0]);
    zk_fr_sub(&c[2], &f[2], &f[0]);
    zk_fr_sub(&c[3], &f[3], &f[2]);
    zk_fr_sub(&c[3], &c[3], &f[1]);
    zk_fr_add(&c[3], &c[3], &f[0]);
}

/* The same for 3 bits: c[0..8). */
static void ml3(zk_fr c[8], const zk_fr f[8])
{
    zk_fr g[4];
    ml2(c, f);
    for (int k = 0; k < 4; k++)
        zk_fr_sub(&g[k], &f[k + 4], &f[k]);
    ml2(c + 4, g);
}

static void scalar_half(uint64_t h[4])
{
    /* (l + 1) / 2 = (l >> 1) + 1 for odd l */
    for (int i = 0; i < 4; i++)
        h[i] = (L_LIMBS[i] >> 1) | (i < 3 ? L_LIMBS[i + 1] << 63 : 0);
    h[0] += 1; /* no carry: the low limb of l >> 1 is not all ones */
}

static void fix_init(void)
{
    /* pts[i][j]: [(2 j + 1) / 2 * 8^i] Base8, j = 0..3, extended */
    static zk_bje pts[NWIN][4];
    zk_bj b8, g0;
    zk_bj_base8(&b8);
    uint64_t half[4];
    scalar_half(half);
    zk_bj_mul_var(&g0, &b8, half);
    zk_bje g, g2;
    zk_bje_from_affine(&g, &g0);
    for (int i = 0; i < NWIN; i++) {
        zk_bje_dbl(&g2, &g);
        pts[i][0] = g;
        zk_bje_add(&pts[i][1], &pts[i][0], &g2);
        zk_bje_add(&pts[i][2], &pts[i][1], &g2);
        zk_bje_add(&pts[i][3], &pts[i][2], &g2);
        zk_bje_dbl(&g, &g2);
        zk_bje_dbl(&g, &g);
    }
    /* u = (Z + Y) / (Z - Y), v = (Z + Y) Z / ((Z - Y) X): one batch
     * inversion of (Z - Y) X */
    static zk_fr den[NWIN * 4], inv[NWIN * 4];
    for (int i = 0; i < NWIN; i++)
        for (int j = 0; j < 4; j++) {
            zk_fr t;
            zk_fr_sub(&t, &pts[i][j].z, &pts[i][j].y);
            zk_fr_mul(&den[4 * i + j], &t, &pts[i][j].x);
        }
    zk_fr_batch_inv(inv, den, NWIN * 4);
    for (int i = 0; i < NWIN; i++) {
        for (int j = 0; j < 4; j++) {
            const zk_bje *p = &pts[i][j];
            zk_fr zy, u, v;
            zk_fr_add(&zy, &p->z, &p->y);
            zk_fr_mul(&u, &zy, &p->x);
            zk_fr_mul(&u, &u, &inv[4 * i + j]);
            zk_fr_mul(&v, &zy, &p->z);
            zk_fr_mul(&v, &v, &inv[4 * i + j]);
            /* value 2 w - 7 = 2 j + 1 at w = 4 + j, -(2 j + 1) at 3 - j */
            g_fix.u[i][4 + j] = u;
            g_fix.v[i][4 + j] = v;
            g_fix.u[i][3 - j] = u;
            zk_fr_neg(&g_fix.v[i][3 - j], &v);
        }
        ml3(g_fix.coef[i][0], g_fix.u[i]);
        ml3(g_fix.coef[i][1], g_fix.v[i]);
    }
}

/* sum c[k] m[k] over the monomials m = (1, b0, b1, b0 b1). */
static zk_lc ml_lc(zk_cs *cs, const zk_fr c[4], const zk_lc m[4])
{
    return zk_lc_combine(cs, c, m, 4);
}

/*
 * A table lookup: the coordinates of the point of a window of nb (1..3)
 * bits, from the multilinear coefficients cu, cv (4 per 2 bits: nb = 3
 * uses 8).  Constraints: b0 b1 (nb >= 2), and one product per coordinate
 * for the b2 half (nb = 3).
 */
static void lookup(zk_cs *cs, zk_lc *x, zk_lc *y, const zk_lc *b, int nb,
                   const zk_fr *cx, const zk_fr *cy)
{
    zk_lc m[4];
    m[0] = lc_u64(cs, 1);
    m[1] = b[0];
    m[2] = nb >= 2 ? b[1] : zk_lc_zero();
    m[3] = nb >= 2 ? prod(cs, b[0], b[1]) : zk_lc_zero();
    *x = ml_lc(cs, cx, m);
    *y = ml_lc(cs, cy, m);
    if (nb == 3) {
        zk_lc hx = ml_lc(cs, cx + 4, m);
        zk_lc hy = ml_lc(cs, cy + 4, m);
        *x = zk_lc_add(cs, *x, prod(cs, b[2], hx));
        *y = zk_lc_add(cs, *y, prod(cs, b[2], hy));
    }
}

/* Coefficients for a partial window of nb < 3 bits at position i: value
 * 2 w - (2^nb - 1) for w < 2^nb, i.e. table entries 4 - 2^(nb-1) + w. */
static void partial_coef(zk_fr cu[4], zk_fr cv[4], int i, int nb)
{
    zk_fr fu[4], fv[4];
    int base = 4 - (1 << (nb - 1));
    for (int w = 0; w < 4; w++) {
        int e = base + (w < (1 << nb) ? w : 0);
        fu[w] = g_fix.u[i][e];
        fv[w] = g_fix.v[i][e];
    }
    if (nb == 1) {
        cu[0] = fu[0];
        zk_fr_sub(&cu[1], &fu[1], &fu[0]);
        cv[0] = fv[0];
        zk_fr_sub(&cv[1], &fv[1], &fv[0]);
        zk_fr_zero(&cu[2]);
        zk_fr_zero(&cu[3]);
        zk_fr_zero(&cv[2]);
        zk_fr_zero(&cv[3]);
        return;
    }
    ml2(cu, fu);
    ml2(cv, fv);
}

/* r = (a b + c) mod l for small a given as an integer. */
static void scalar_mad(uint64_t r[4], uint64_t a, const uint64_t b[4],
                       const uint64_t c[4])
{
    uint64_t al[4] = {a, 0, 0, 0};
    zk_bj_scalar_muladd(r, al, b, c);
}

static void pow2_limbs(uint64_t r[4], unsigned k)
{
    memset(r, 0, 4 * sizeof *r);
    if (k < 256)
        r[k / 64] = 1ull << (k % 64);
}

/* (2^k - 1) / 2 mod l: the negated offset of a chain over k bits. */
static void chain_offset(uint64_t r[4], unsigned k)
{
    uint64_t m[4], half[4], zero[4] = {0, 0, 0, 0};
    pow2_limbs(m, k);
    /* 2^k - 1 (k <= 249) */
    for (int i = 0; i < 4; i++) {
        if (m[i]) {
            m[i] -= 1;
            break;
        }
        m[i] = ~0ull;
    }
    scalar_half(half);
    zk_bj_scalar_muladd(r, m, half, zero);
}

void zk_g_bj_mul_base8(zk_cs *cs, zk_g_bj_pt *out, const zk_lc *bits,
                       size_t n)
{
    if (!out || !bits || n < 1 || n > ZK_G_BJ_MUL_BASE8_MAX) {
        misuse(cs);
        if (out)
            zero_pt(out);
        return;
    }
    (void)pthread_once(&g_fix_once, fix_init);
    zk_cs_push(cs, "bj_mul_base8");
    size_t mark = zk_cs_mark(cs);

    /* The Montgomery chain over bits 0 .. low-1. */
    size_t low = n < CHAIN_BITS ? n : CHAIN_BITS;
    mpt acc = {zk_lc_zero(), zk_lc_zero()};
    for (size_t i = 0; 3 * i < low; i++) {
        int nb = (int)(low - 3 * i < 3 ? low - 3 * i : 3);
        mpt w;
        if (nb == 3) {
            lookup(cs, &w.u, &w.v, bits + 3 * i, 3, g_fix.coef[i][0],
                   g_fix.coef[i][1]);
        } else {
            zk_fr cu[4], cv[4];
            partial_coef(cu, cv, (int)i, nb);
            lookup(cs, &w.u, &w.v, bits + 3 * i, nb, cu, cv);
        }
        acc = i == 0 ? w : madd(cs, acc, w, 0);
    }
    zk_g_bj_pt e = m2e(cs, acc, 0);

    /* The offset -(2^low - 1)/2 Base8 goes with the first top window, or
     * alone (a constant addition, 3 constraints). */
    uint64_t corr[4], zero[4] = {0, 0, 0, 0};
    chain_offset(corr, (unsigned)low);
    size_t rem = n - low, pos = low;
    if (rem == 0) {
        zk_bj c;
        zk_g_bj_pt cp;
        zk_bj_mul_base8(&c, corr);
        zk_g_bj_const(cs, &cp, &c);
        ed_add(cs, &e, e, cp, NULL);
    }
    int first = 1;
    while (rem > 0) {
        int nb = rem == 4 ? 2 : (int)(rem < 3 ? rem : 3);
        zk_fr fx[8], fy[8], cx[8], cy[8];
        uint64_t p2[4];
        pow2_limbs(p2, (unsigned)pos);
        for (int w = 0; w < (1 << nb); w++) {
            uint64_t k[4];
            zk_bj t;
            scalar_mad(k, (uint64_t)w, p2, first ? corr : zero);
            zk_bj_mul_base8(&t, k);
            fx[w] = t.x;
            fy[w] = t.y;
        }
        if (nb == 3) {
            ml3(cx, fx);
            ml3(cy, fy);
        } else if (nb == 2) {
            ml2(cx, fx);
            ml2(cy, fy);
        } else {
            cx[0] = fx[0];
            zk_fr_sub(&cx[1], &fx[1], &fx[0]);
            cy[0] = fy[0];
            zk_fr_sub(&cy[1], &fy[1], &fy[0]);
            zk_fr_zero(&cx[2]);
            zk_fr_zero(&cx[3]);
            zk_fr_zero(&cy[2]);
            zk_fr_zero(&cy[3]);
        }
        zk_g_bj_pt t;
        lookup(cs, &t.x, &t.y, bits + pos, nb, cx, cy);
        ed_add(cs, &e, e, t, NULL);
        pos += (size_t)nb;
        rem -= (size_t)nb;
        first = 0;
    }
    *out = e;
    keep_pt(cs, mark, out);
    zk_cs_pop(cs);
}

/* ----------------------------------------------------- variable base */

/* 1 when 2^(j+1) (2^(m+1) + 2) <= l: Horner step j after a chain of m
 * digits has every operand [k] P with 3 <= k and 2 k + 1 < l. */
static int horner_safe(size_t j, size_t m)
{
    uint64_t v[4] = {0, 0, 0, 0};
    size_t hi = j + m + 2, lo = j + 2;
    if (hi >= 256)
        return 0;
    v[hi / 64] |= 1ull << (hi % 64);
    v[lo / 64] |= 1ull << (lo % 64);
    for (int i = 3; i >= 0; i--) {
        if (v[i] != L_LIMBS[i])
            return v[i] < L_LIMBS[i];
    }
    return 1;
}

void zk_g_bj_mul(zk_cs *cs, zk_g_bj_pt *out, const zk_lc *bits, size_t n,
                 zk_g_bj_pt p)
{
    if (!out || !bits || n < 1 || n > ZK_G_BJ_MUL_MAX) {
        misuse(cs);
        if (out)
            zero_pt(out);
        return;
    }
    zk_cs_push(cs, "bj_mul");
    size_t mark = zk_cs_mark(cs);
    /* at least 3 bits (constant zeros cost nothing) */
    zk_lc b[ZK_G_BJ_MUL_MAX];
    size_t nn = n < 3 ? 3 : n;
    for (size_t i = 0; i < nn; i++)
        b[i] = i < n ? bits[i] : zk_lc_zero();
    /* digits: bits 1 .. nn-1; the lower n_lo by Horner, the upper n_hi
     * on the chain (n_hi >= n_lo + 1, n_hi >= 2) */
    size_t nd = nn - 1, n_lo = (nd - 1) / 2, n_hi = nd - n_lo;

    nonzero(cs, p.x);
    mpt pm = e2m(cs, p);

    zk_cs_push(cs, "chain");
    mpt d[ZK_G_BJ_MUL_MAX];
    d[0] = pm;
    for (size_t j = 1; j <= n_hi; j++)
        d[j] = mdbl(cs, d[j - 1]);
    mpt acc = madd(cs, d[n_hi], d[1], 0);           /* [2^n_hi + 2] P */
    for (size_t j = 0; j < n_hi; j++) {
        mpt t = {d[j].u, signed_v(cs, b[1 + n_lo + j], d[j].v)};
        acc = madd(cs, acc, t, 0);
    }
    zk_cs_pop(cs);

    zk_cs_push(cs, "horner");
    for (size_t j = 0; j < n_lo; j++)
        acc = hstep(cs, acc, pm, b[n_lo - j], !horner_safe(j, n_hi));
    zk_cs_pop(cs);

    /* acc = [2 E + 1 + 2^(n_lo+1)] P with E = k >> 1; subtract
     * D_(n_lo+1) + (1 - k0) P. */
    zk_cs_push(cs, "final");
    mpt c = madd(cs, d[n_lo + 1], d[0], 0);
    mpt z;
    z.u = mux(cs, b[0], d[n_lo + 1].u, c.u);
    z.v = mux(cs, b[0], d[n_lo + 1].v, c.v);
    zk_g_bj_pt re = m2e(cs, acc, 1);
    zk_g_bj_pt ze = m2e(cs, z, 0);
    zk_g_bj_neg(cs, &ze, ze);
    ed_add(cs, out, re, ze, NULL);
    zk_cs_pop(cs);
    keep_pt(cs, mark, out);
    zk_cs_pop(cs);
}
