/*
 * test_tower -- the extension tower Fp2, Fp6, Fp12 of BN254.
 *
 *  - Fp2 against an mpz implementation of (a0 + a1 u) mod p, on edge and
 *    random values, in every aliasing form;
 *  - Fp6 and Fp12 against a schoolbook reference: an element is
 *    g0 + g1 w + ... + g5 w^5 over Fp2, products are polynomial products
 *    reduced with w^6 = xi = 9 + u, built only from zk_fp2_mul/add (which
 *    the first part checks against mpz);
 *  - field axioms, inverses, Frobenius against a^(p^k), the cyclotomic
 *    squaring and the G_T membership test.
 *
 * Randomness comes from a fixed-seed gmp_randstate, so runs are
 * reproducible.
 */
#include <gmp.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "field/fp12.h"
#include "field/fp2.h"
#include "field/fp6.h"
#include "tap.h"
#include "testmpz.h"

#define P_DEC "21888242871839275222246405745257275088696311157297823662689037894645226208583"
#define R_DEC "21888242871839275222246405745257275088548364400416034343698204186575808495617"

#define NRAND_FP2 3000
#define NRAND_TOWER 300

static mpz_t P, RORD;
static gmp_randstate_t RS;

/* ------------------------------------------------------------------ */
/* conversions                                                          */

static void fp_rand(zk_fp *a)
{
    mpz_t z;
    mpz_init(z);
    mpz_urandomm(z, RS, P);
    fp_of_z(a, z);
    mpz_clear(z);
}

static void fp2_rand(zk_fp2 *a)
{
    fp_rand(&a->c0);
    fp_rand(&a->c1);
}

static void fp6_rand(zk_fp6 *a)
{
    fp2_rand(&a->c0);
    fp2_rand(&a->c1);
    fp2_rand(&a->c2);
}

static void fp12_rand(zk_fp12 *a)
{
    fp6_rand(&a->c0);
    fp6_rand(&a->c1);
}

/* ------------------------------------------------------------------ */
/* mpz model of Fp2                                                     */

typedef struct { mpz_t c0, c1; } zfp2;

static void zfp2_init(zfp2 *a) { mpz_inits(a->c0, a->c1, NULL); }
static void zfp2_clear(zfp2 *a) { mpz_clears(a->c0, a->c1, NULL); }

static void zfp2_of(zfp2 *z, const zk_fp2 *a)
{
    z_of_fp(z->c0, &a->c0);
    z_of_fp(z->c1, &a->c1);
}

static int zfp2_eq_fp2(const zfp2 *z, const zk_fp2 *a)
{
    zfp2 t;
    zfp2_init(&t);
    zfp2_of(&t, a);
    int e = mpz_cmp(t.c0, z->c0) == 0 && mpz_cmp(t.c1, z->c1) == 0;
    zfp2_clear(&t);
    return e;
}

/* r = a * b; r may alias a or b */
static void zfp2_mul(zfp2 *r, const zfp2 *a, const zfp2 *b)
{
    mpz_t t0, t1, x, y;
    mpz_inits(t0, t1, x, y, NULL);
    mpz_mul(t0, a->c0, b->c0);
    mpz_mul(t1, a->c1, b->c1);
    mpz_sub(x, t0, t1);
    mpz_mul(t0, a->c0, b->c1);
    mpz_mul(t1, a->c1, b->c0);
    mpz_add(y, t0, t1);
    mpz_mod(r->c0, x, P);
    mpz_mod(r->c1, y, P);
    mpz_clears(t0, t1, x, y, NULL);
}

/* r = a^e by square and multiply */
static void zfp2_pow(zfp2 *r, const zfp2 *a, const mpz_t e)
{
    zfp2 acc, base;
    zfp2_init(&acc);
    zfp2_init(&base);
    mpz_set_ui(acc.c0, 1);
    mpz_set_ui(acc.c1, 0);
    mpz_set(base.c0, a->c0);
    mpz_set(base.c1, a->c1);
    for (size_t i = mpz_sizeinbase(e, 2); i-- > 0;) {
        zfp2_mul(&acc, &acc, &acc);
        if (mpz_tstbit(e, i))
            zfp2_mul(&acc, &acc, &base);
    }
    if (mpz_sgn(e) == 0) {
        mpz_set_ui(acc.c0, 1);
        mpz_set_ui(acc.c1, 0);
    }
    mpz_set(r->c0, acc.c0);
    mpz_set(r->c1, acc.c1);
    zfp2_clear(&acc);
    zfp2_clear(&base);
}

enum { F2_MUL, F2_SQR, F2_INV, F2_XI, F2_CONJ, F2_ADD, F2_SUB, F2_NEG, F2_NOPS };
static const char *F2_NAMES[F2_NOPS] = {"mul", "sqr", "inv", "mul_by_xi", "conj",
                                        "add", "sub", "neg"};
static const int F2_UNARY[F2_NOPS] = {0, 1, 1, 1, 1, 0, 0, 1};

/* reference; returns the expected return code for inv */
static int zfp2_op(int op, zfp2 *r, const zfp2 *a, const zfp2 *b)
{
    mpz_t t, n;
    mpz_inits(t, n, NULL);
    int rc = 0;
    switch (op) {
    case F2_MUL: zfp2_mul(r, a, b); break;
    case F2_SQR: zfp2_mul(r, a, a); break;
    case F2_XI: {
        zfp2 xi;
        zfp2_init(&xi);
        mpz_set_ui(xi.c0, 9);
        mpz_set_ui(xi.c1, 1);
        zfp2_mul(r, a, &xi);
        zfp2_clear(&xi);
        break;
    }
    case F2_CONJ:
        mpz_set(r->c0, a->c0);
        mpz_neg(t, a->c1);
        mpz_mod(r->c1, t, P);
        break;
    case F2_ADD:
        mpz_add(t, a->c0, b->c0);
        mpz_mod(r->c0, t, P);
        mpz_add(t, a->c1, b->c1);
        mpz_mod(r->c1, t, P);
        break;
    case F2_SUB:
        mpz_sub(t, a->c0, b->c0);
        mpz_mod(r->c0, t, P);
        mpz_sub(t, a->c1, b->c1);
        mpz_mod(r->c1, t, P);
        break;
    case F2_NEG:
        mpz_neg(t, a->c0);
        mpz_mod(r->c0, t, P);
        mpz_neg(t, a->c1);
        mpz_mod(r->c1, t, P);
        break;
    case F2_INV:
        /* 1/(a0 + a1 u) = (a0 - a1 u) / (a0^2 + a1^2) */
        mpz_mul(n, a->c0, a->c0);
        mpz_addmul(n, a->c1, a->c1);
        mpz_mod(n, n, P);
        if (mpz_sgn(n) == 0) {
            mpz_set_ui(r->c0, 0);
            mpz_set_ui(r->c1, 0);
            rc = ZK_EZERO;
            break;
        }
        mpz_invert(n, n, P);
        mpz_mul(t, a->c0, n);
        mpz_mod(r->c0, t, P);
        mpz_mul(t, a->c1, n);
        mpz_neg(t, t);
        mpz_mod(r->c1, t, P);
        break;
    }
    mpz_clears(t, n, NULL);
    return rc;
}

static int fp2_op(int op, zk_fp2 *r, const zk_fp2 *a, const zk_fp2 *b)
{
    switch (op) {
    case F2_MUL: zk_fp2_mul(r, a, b); return 0;
    case F2_SQR: zk_fp2_sqr(r, a); return 0;
    case F2_INV: return zk_fp2_inv(r, a);
    case F2_XI: zk_fp2_mul_by_xi(r, a); return 0;
    case F2_CONJ: zk_fp2_conj(r, a); return 0;
    case F2_ADD: zk_fp2_add(r, a, b); return 0;
    case F2_SUB: zk_fp2_sub(r, a, b); return 0;
    case F2_NEG: zk_fp2_neg(r, a); return 0;
    }
    return -999;
}

/* value set: edges, then random */
static size_t NV;
static zk_fp2 *V;

static void build_fp2_values(void)
{
    /* edge components: 0, 1, 2, p-1, p-2, 9 */
    mpz_t e[6];
    for (int i = 0; i < 6; i++)
        mpz_init(e[i]);
    mpz_set_ui(e[0], 0);
    mpz_set_ui(e[1], 1);
    mpz_set_ui(e[2], 2);
    mpz_sub_ui(e[3], P, 1);
    mpz_sub_ui(e[4], P, 2);
    mpz_set_ui(e[5], 9);
    V = malloc((36 + NRAND_FP2) * sizeof *V);
    NV = 0;
    /* every pair: includes 0, 1, u, p-1, (p-1) u, xi, ... */
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < 6; j++) {
            fp_of_z(&V[NV].c0, e[i]);
            fp_of_z(&V[NV].c1, e[j]);
            NV++;
        }
    for (int i = 0; i < NRAND_FP2; i++)
        fp2_rand(&V[NV++]);
    for (int i = 0; i < 6; i++)
        mpz_clear(e[i]);
}

#define NEDGE2 36

static void test_fp2_ops(void)
{
    zfp2 za, zb, want;
    zfp2_init(&za);
    zfp2_init(&zb);
    zfp2_init(&want);
    static const char *forms[5] = {"r fresh", "r = a", "r = b", "a = b", "r = a = b"};
    for (int op = 0; op < F2_NOPS; op++) {
        long fails[5] = {0, 0, 0, 0, 0};
        size_t n = 0;
        for (size_t i = 0; i < NV; i++) {
            /* edges against every edge, random against one random partner */
            size_t npart = i < NEDGE2 ? NEDGE2 : 1;
            for (size_t pass = 0; pass < npart; pass++, n++) {
                size_t j = i < NEDGE2 ? pass : NEDGE2 + (size_t)gmp_urandomm_ui(RS, NV - NEDGE2);
                zk_fp2 a = V[i], b = V[j], r;
                int wrc, grc;
                zfp2_of(&za, &a);
                zfp2_of(&zb, &b);
                wrc = zfp2_op(op, &want, &za, &zb);
                memset(&r, 0x5a, sizeof r);
                grc = fp2_op(op, &r, &a, &b);
                fails[0] += grc != wrc || (!wrc && !zfp2_eq_fp2(&want, &r));
                r = a;
                grc = fp2_op(op, &r, &r, &b);
                fails[1] += grc != wrc || (!wrc && !zfp2_eq_fp2(&want, &r));
                if (!F2_UNARY[op]) {
                    r = b;
                    grc = fp2_op(op, &r, &a, &r);
                    fails[2] += grc != wrc || (!wrc && !zfp2_eq_fp2(&want, &r));
                }
                wrc = zfp2_op(op, &want, &za, &za);
                grc = fp2_op(op, &r, &a, &a);
                fails[3] += grc != wrc || (!wrc && !zfp2_eq_fp2(&want, &r));
                r = a;
                grc = fp2_op(op, &r, &r, &r);
                fails[4] += grc != wrc || (!wrc && !zfp2_eq_fp2(&want, &r));
                /* inputs untouched */
                fails[0] += memcmp(&a, &V[i], sizeof a) != 0 || memcmp(&b, &V[j], sizeof b) != 0;
            }
        }
        for (int k = 0; k < 5; k++) {
            if (F2_UNARY[op] && k == 2)
                continue;
            ok(fails[k] == 0, "fp2 %s matches mpz on %zu inputs (%s)", F2_NAMES[op], n,
               forms[k]);
        }
    }
    zfp2_clear(&za);
    zfp2_clear(&zb);
    zfp2_clear(&want);
}

static void test_fp2_pow(void)
{
    zfp2 za, want;
    mpz_t e;
    zfp2_init(&za);
    zfp2_init(&want);
    mpz_init(e);
    long fails = 0, alias = 0;
    size_t n = 0;
    for (size_t i = 0; i < NV && n < 800; i++, n++) {
        uint64_t ev[4] = {0, 0, 0, 0};
        switch (i % 8) {
        case 0: mpz_set_ui(e, i % 3); break;        /* 0, 1, 2 */
        case 1: mpz_sub_ui(e, P, 1); break;         /* p - 1 */
        case 2: mpz_set_ui(e, 0); mpz_setbit(e, 256); mpz_sub_ui(e, e, 1); break;
        case 3: mpz_set(e, P); break;               /* Frobenius */
        default: mpz_urandomb(e, RS, 256); break;
        }
        mpz_export(ev, NULL, -1, 8, 0, 0, e);
        zk_fp2 a = V[i], r;
        zfp2_of(&za, &a);
        zfp2_pow(&want, &za, e);
        zk_fp2_pow(&r, &a, ev);
        fails += !zfp2_eq_fp2(&want, &r);
        zk_fp2_pow(&a, &a, ev);
        alias += !zfp2_eq_fp2(&want, &a);
    }
    ok(fails == 0, "fp2 pow matches mpz square-and-multiply on %zu inputs", n);
    ok(alias == 0, "fp2 pow with r = a");
    /* a^p is the conjugate */
    {
        uint64_t pv[4] = {0, 0, 0, 0};
        zk_fp2 a, x, y;
        mpz_export(pv, NULL, -1, 8, 0, 0, P);
        fp2_rand(&a);
        zk_fp2_pow(&x, &a, pv);
        zk_fp2_conj(&y, &a);
        ok(zk_fp2_eq(&x, &y), "fp2 a^p == conj(a)");
    }
    zfp2_clear(&za);
    zfp2_clear(&want);
    mpz_clear(e);
}

static void test_fp2_misc(void)
{
    zk_fp2 z, r, one, a, b;
    zk_fp2_zero(&z);
    zk_fp2_one(&one);
    memset(&r, 0x77, sizeof r);
    ok(zk_fp2_inv(&r, &z) == ZK_EZERO, "fp2 inv(0) returns ZK_EZERO");
    ok(zk_fp2_is_zero(&z) && !zk_fp2_is_zero(&one), "fp2 is_zero");
    zfp2 zo;
    zfp2_init(&zo);
    mpz_set_ui(zo.c0, 1);
    mpz_set_ui(zo.c1, 0);
    ok(zfp2_eq_fp2(&zo, &one), "fp2 one is 1 + 0u");
    zfp2_clear(&zo);
    fp2_rand(&a);
    b = a;
    zk_fp_add(&b.c1, &b.c1, &one.c0);
    ok(zk_fp2_eq(&a, &a) && !zk_fp2_eq(&a, &b), "fp2 eq distinguishes the u coefficient");
    /* zk_fp2_random: in range, distinct */
    zk_fp2 s, t;
    zk_fp2_random(&s);
    zk_fp2_random(&t);
    mpz_t c;
    mpz_init(c);
    int good = !zk_fp2_eq(&s, &t);
    z_of_fp(c, &s.c1);
    good &= mpz_cmp(c, P) < 0;
    ok(good, "fp2 random gives distinct values");
    mpz_clear(c);
}

/* Fp2 is a square iff its norm a0^2 + a1^2 is a square in Fp. */
static int fp2_is_square_ref(const zk_fp2 *a)
{
    mpz_t n, x0, x1;
    mpz_inits(x0, x1, n, NULL);
    z_of_fp(x0, &a->c0);
    z_of_fp(x1, &a->c1);
    mpz_mul(n, x0, x0);
    mpz_addmul(n, x1, x1);
    mpz_mod(n, n, P);
    int leg = mpz_legendre(n, P);
    mpz_clears(x0, x1, n, NULL);
    return leg >= 0;
}

static void test_fp2_sqrt(void)
{
    long fails = 0, nsq = 0, sq = 0, refused = 0;
    for (size_t i = 0; i < 1000; i++) {
        zk_fp2 a = V[i], r, t;
        memset(&r, 0x33, sizeof r);
        zk_fp2 sentinel = r;
        int issq = fp2_is_square_ref(&a);
        int rc = zk_fp2_sqrt_var(&r, &a);
        if (issq) {
            zk_fp2_sqr(&t, &r);
            fails += rc != ZK_OK || !zk_fp2_eq(&t, &a);
            sq++;
        } else {
            fails += rc != ZK_ENOTSQUARE;
            nsq++;
            refused += rc == ZK_ENOTSQUARE && memcmp(&r, &sentinel, sizeof r) == 0;
        }
    }
    ok(fails == 0 && sq > 300 && nsq > 300,
       "fp2 sqrt_var: %ld squares rooted, %ld non-squares refused (norm criterion)", sq, nsq);
    ok(refused == nsq, "fp2 sqrt_var leaves r untouched on ZK_ENOTSQUARE");
    /* squares of random elements, with r = a */
    fails = 0;
    for (int i = 0; i < 300; i++) {
        zk_fp2 b, a, r, t;
        fp2_rand(&b);
        zk_fp2_sqr(&a, &b);
        r = a;
        int rc = zk_fp2_sqrt_var(&r, &r);
        zk_fp2_sqr(&t, &r);
        fails += rc != ZK_OK || !zk_fp2_eq(&t, &a);
    }
    ok(fails == 0, "fp2 sqrt_var(b^2)^2 == b^2 for 300 random b (r = a)");
    /* the special branches: u (alpha = -1 case), -1, purely real/imaginary */
    {
        static const long specials[][2] = {{0, 1}, {-1, 0}, {4, 0}, {0, 2}, {0, -1}, {-4, 0},
                                           {3, 4}, {0, 0}};
        fails = 0;
        for (size_t i = 0; i < sizeof specials / sizeof *specials; i++) {
            zk_fp2 a, r, t;
            mpz_t z;
            mpz_init_set_si(z, specials[i][0]);
            fp_of_z(&a.c0, z);
            mpz_set_si(z, specials[i][1]);
            fp_of_z(&a.c1, z);
            mpz_clear(z);
            int issq = fp2_is_square_ref(&a);
            int rc = zk_fp2_sqrt_var(&r, &a);
            if (issq) {
                zk_fp2_sqr(&t, &r);
                fails += rc != ZK_OK || !zk_fp2_eq(&t, &a);
            } else {
                fails += rc != ZK_ENOTSQUARE;
            }
        }
        ok(fails == 0, "fp2 sqrt_var on u, -1, 4, 2u, -u, -4, 3+4u, 0");
    }
    /* xi = 9 + u is a non-square (required for the tower) */
    {
        zk_fp2 xi, r;
        zk_fp_set_u64(&xi.c0, 9);
        zk_fp_one(&xi.c1);
        ok(!fp2_is_square_ref(&xi), "xi = 9 + u is a non-square (norm 82 is a non-residue)");
        is_int(zk_fp2_sqrt_var(&r, &xi), ZK_ENOTSQUARE, "fp2 sqrt_var(xi) = ZK_ENOTSQUARE");
        /* and xi is not a cube either: xi^((p^2-1)/3) != 1, so v^3 - xi is irreducible */
        mpz_t e;
        zfp2 zx, zr;
        mpz_init(e);
        zfp2_init(&zx);
        zfp2_init(&zr);
        mpz_mul(e, P, P);
        mpz_sub_ui(e, e, 1);
        mpz_divexact_ui(e, e, 3);
        zfp2_of(&zx, &xi);
        zfp2_pow(&zr, &zx, e);
        ok(!(mpz_cmp_ui(zr.c0, 1) == 0 && mpz_sgn(zr.c1) == 0), "xi is a non-cube in Fp2");
        mpz_clear(e);
        zfp2_clear(&zx);
        zfp2_clear(&zr);
    }
}

/* ------------------------------------------------------------------ */
/* the schoolbook reference for Fp6 / Fp12                              */

/* g[i] = coefficient of w^i, via the documented get_coeffs order:
 * c0.c0.c0, c0.c0.c1, c0.c1.c0, c0.c1.c1, c0.c2.c0, c0.c2.c1, c1.c0.c0, ...
 * with c0 = (g0, g2, g4) and c1 = (g1, g3, g5). */
static void to_w(zk_fp2 g[6], const zk_fp12 *a)
{
    zk_fp c[12];
    zk_fp12_get_coeffs(c, a);
    for (int j = 0; j < 3; j++) {
        g[2 * j].c0 = c[2 * j];
        g[2 * j].c1 = c[2 * j + 1];
        g[2 * j + 1].c0 = c[6 + 2 * j];
        g[2 * j + 1].c1 = c[6 + 2 * j + 1];
    }
}

static void from_w(zk_fp12 *a, const zk_fp2 g[6])
{
    zk_fp c[12];
    for (int j = 0; j < 3; j++) {
        c[2 * j] = g[2 * j].c0;
        c[2 * j + 1] = g[2 * j].c1;
        c[6 + 2 * j] = g[2 * j + 1].c0;
        c[6 + 2 * j + 1] = g[2 * j + 1].c1;
    }
    zk_fp12_set_coeffs(a, c);
}

static zk_fp2 XI;

/* r = a * b in Fp12 by polynomial multiplication in w and reduction with
 * w^6 = xi; only zk_fp2_mul and zk_fp2_add. */
static void ref_fp12_mul(zk_fp12 *r, const zk_fp12 *a, const zk_fp12 *b)
{
    zk_fp2 ga[6], gb[6], h[11], t;
    to_w(ga, a);
    to_w(gb, b);
    for (int k = 0; k < 11; k++)
        zk_fp2_zero(&h[k]);
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < 6; j++) {
            zk_fp2_mul(&t, &ga[i], &gb[j]);
            zk_fp2_add(&h[i + j], &h[i + j], &t);
        }
    for (int k = 10; k >= 6; k--) {
        zk_fp2_mul(&t, &h[k], &XI);
        zk_fp2_add(&h[k - 6], &h[k - 6], &t);
    }
    from_w(r, h);
}

static void fp12_of_fp6(zk_fp12 *r, const zk_fp6 *a)
{
    zk_fp12_zero(r);
    r->c0 = *a;
}

static void ref_fp6_mul(zk_fp6 *r, const zk_fp6 *a, const zk_fp6 *b)
{
    zk_fp12 x, y, z;
    fp12_of_fp6(&x, a);
    fp12_of_fp6(&y, b);
    ref_fp12_mul(&z, &x, &y);
    *r = z.c0;
    if (!zk_fp6_is_zero(&z.c1))
        bail_out("ref_fp6_mul: odd part of a product of even elements");
}

static void test_coeff_layout(void)
{
    zk_fp c[12], d[12];
    zk_fp12 a;
    for (int i = 0; i < 12; i++)
        zk_fp_set_u64(&c[i], 100 + (uint64_t)i);
    zk_fp12_set_coeffs(&a, c);
    zk_fp12_get_coeffs(d, &a);
    ok(memcmp(c, d, sizeof c) == 0, "fp12 set_coeffs/get_coeffs round trip");
    /* the documented nesting: c0.c1.c0 is coefficient 2, c1.c2.c1 is 11 */
    ok(zk_fp_eq(&a.c0.c0.c0, &c[0]) && zk_fp_eq(&a.c0.c0.c1, &c[1]) &&
           zk_fp_eq(&a.c0.c1.c0, &c[2]) && zk_fp_eq(&a.c0.c2.c1, &c[5]) &&
           zk_fp_eq(&a.c1.c0.c0, &c[6]) && zk_fp_eq(&a.c1.c1.c1, &c[9]) &&
           zk_fp_eq(&a.c1.c2.c1, &c[11]),
       "fp12 coefficient order is c0.c0.c0, c0.c0.c1, ..., c1.c2.c1");
    /* w * w = v, the element (0,1,0) of c0: w^2 - v = 0 */
    zk_fp12 w, v, ww;
    zk_fp12_zero(&w);
    zk_fp2_one(&w.c1.c0);
    zk_fp12_zero(&v);
    zk_fp2_one(&v.c0.c1);
    zk_fp12_mul(&ww, &w, &w);
    ok(zk_fp12_eq(&ww, &v), "fp12: w^2 == v");
    /* v^3 == xi */
    zk_fp6 v6, v3, xi6;
    zk_fp6_zero(&v6);
    zk_fp2_one(&v6.c1);
    zk_fp6_mul(&v3, &v6, &v6);
    zk_fp6_mul(&v3, &v3, &v6);
    zk_fp6_zero(&xi6);
    xi6.c0 = XI;
    ok(zk_fp6_eq(&v3, &xi6), "fp6: v^3 == xi = 9 + u");
}

static int fp12_same(const zk_fp12 *a, const zk_fp12 *b) { return zk_fp12_eq(a, b); }

static void test_fp12_vs_schoolbook(void)
{
    long mf[4] = {0, 0, 0, 0}, sf[3] = {0, 0, 0};
    long f6m[4] = {0, 0, 0, 0}, f6s = 0, f01 = 0, f01a = 0, f034 = 0, f034a = 0, fv = 0, fva = 0;
    long finv12 = 0, finv6 = 0;
    int n = NRAND_TOWER;
    for (int it = 0; it < n; it++) {
        zk_fp12 a, b, want, r;
        fp12_rand(&a);
        fp12_rand(&b);
        if (it == 0) {
            zk_fp12_one(&a);
        } else if (it == 1) {
            zk_fp12_zero(&b);
        } else if (it == 2) {
            /* all coefficients p - 1 */
            zk_fp m1;
            zk_fp_one(&m1);
            zk_fp_neg(&m1, &m1);
            zk_fp c[12];
            for (int i = 0; i < 12; i++)
                c[i] = m1;
            zk_fp12_set_coeffs(&a, c);
            zk_fp12_set_coeffs(&b, c);
        }
        /* Fp12 mul, all aliasing forms */
        ref_fp12_mul(&want, &a, &b);
        zk_fp12_mul(&r, &a, &b);
        mf[0] += !fp12_same(&r, &want);
        r = a;
        zk_fp12_mul(&r, &r, &b);
        mf[1] += !fp12_same(&r, &want);
        r = b;
        zk_fp12_mul(&r, &a, &r);
        mf[2] += !fp12_same(&r, &want);
        ref_fp12_mul(&want, &a, &a);
        zk_fp12_mul(&r, &a, &a);
        mf[3] += !fp12_same(&r, &want);
        /* Fp12 sqr */
        zk_fp12_sqr(&r, &a);
        sf[0] += !fp12_same(&r, &want);
        r = a;
        zk_fp12_sqr(&r, &r);
        sf[1] += !fp12_same(&r, &want);
        ref_fp12_mul(&want, &b, &b);
        zk_fp12_sqr(&r, &b);
        sf[2] += !fp12_same(&r, &want);

        /* Fp6 mul as the w-even part */
        zk_fp6 x = a.c0, y = b.c1, w6, r6;
        ref_fp6_mul(&w6, &x, &y);
        zk_fp6_mul(&r6, &x, &y);
        f6m[0] += !zk_fp6_eq(&r6, &w6);
        r6 = x;
        zk_fp6_mul(&r6, &r6, &y);
        f6m[1] += !zk_fp6_eq(&r6, &w6);
        r6 = y;
        zk_fp6_mul(&r6, &x, &r6);
        f6m[2] += !zk_fp6_eq(&r6, &w6);
        ref_fp6_mul(&w6, &x, &x);
        zk_fp6_mul(&r6, &x, &x);
        f6m[3] += !zk_fp6_eq(&r6, &w6);
        zk_fp6_sqr(&r6, &x);
        f6s += !zk_fp6_eq(&r6, &w6);
        r6 = x;
        zk_fp6_sqr(&r6, &r6);
        f6s += !zk_fp6_eq(&r6, &w6);

        /* Fp6 mul_by_01: b0 + b1 v */
        {
            zk_fp6 sp;
            zk_fp6_zero(&sp);
            sp.c0 = b.c0.c0;
            sp.c1 = b.c0.c1;
            ref_fp6_mul(&w6, &x, &sp);
            zk_fp6_mul_by_01(&r6, &x, &b.c0.c0, &b.c0.c1);
            f01 += !zk_fp6_eq(&r6, &w6);
            r6 = x;
            zk_fp6_mul_by_01(&r6, &r6, &b.c0.c0, &b.c0.c1);
            f01a += !zk_fp6_eq(&r6, &w6);
        }
        /* Fp6 mul_by_v */
        {
            zk_fp6 vv;
            zk_fp6_zero(&vv);
            zk_fp2_one(&vv.c1);
            ref_fp6_mul(&w6, &x, &vv);
            zk_fp6_mul_by_v(&r6, &x);
            fv += !zk_fp6_eq(&r6, &w6);
            r6 = x;
            zk_fp6_mul_by_v(&r6, &r6);
            fva += !zk_fp6_eq(&r6, &w6);
        }
        /* Fp12 mul_by_034: c0 + c3 w + c4 w^3 = g0, g1, g3 */
        {
            zk_fp2 c0 = b.c0.c0, c3 = b.c1.c0, c4 = b.c1.c1, g[6];
            zk_fp12 sp;
            for (int i = 0; i < 6; i++)
                zk_fp2_zero(&g[i]);
            g[0] = c0;
            g[1] = c3;
            g[3] = c4;
            from_w(&sp, g);
            ref_fp12_mul(&want, &a, &sp);
            zk_fp12_mul_by_034(&r, &a, &c0, &c3, &c4);
            f034 += !fp12_same(&r, &want);
            r = a;
            zk_fp12_mul_by_034(&r, &r, &c0, &c3, &c4);
            f034a += !fp12_same(&r, &want);
        }
        /* inverses against the schoolbook product */
        if (it != 1) {
            zk_fp12 ai, one;
            zk_fp12_one(&one);
            if (zk_fp12_inv(&ai, &b) != 0)
                finv12++;
            ref_fp12_mul(&want, &b, &ai);
            finv12 += !fp12_same(&want, &one);
            zk_fp6 yi, p6;
            if (zk_fp6_inv(&yi, &y) != 0)
                finv6++;
            ref_fp6_mul(&p6, &y, &yi);
            finv6 += !zk_fp6_eq(&p6, &one.c0);
        }
    }
    static const char *forms[4] = {"r fresh", "r = a", "r = b", "a = b"};
    for (int k = 0; k < 4; k++)
        ok(mf[k] == 0, "fp12 mul matches the schoolbook reference on %d inputs (%s)", n,
           forms[k]);
    ok(sf[0] == 0 && sf[2] == 0, "fp12 sqr matches the schoolbook reference");
    ok(sf[1] == 0, "fp12 sqr with r = a");
    for (int k = 0; k < 4; k++)
        ok(f6m[k] == 0, "fp6 mul matches the w-even schoolbook product (%s)", forms[k]);
    ok(f6s == 0, "fp6 sqr matches the schoolbook reference (r fresh and r = a)");
    ok(f01 == 0, "fp6 mul_by_01 matches a * (b0 + b1 v)");
    ok(f01a == 0, "fp6 mul_by_01 with r = a");
    ok(fv == 0, "fp6 mul_by_v matches a * v");
    ok(fva == 0, "fp6 mul_by_v with r = a");
    ok(f034 == 0, "fp12 mul_by_034 matches a * (c0 + c3 w + c4 w^3)");
    ok(f034a == 0, "fp12 mul_by_034 with r = a");
    ok(finv12 == 0, "fp12 inv: b * inv(b) == 1 (schoolbook product)");
    ok(finv6 == 0, "fp6 inv: b * inv(b) == 1 (schoolbook product)");
}

/* the schoolbook reference must be able to catch a wrong product */
static void test_reference_sanity(void)
{
    zk_fp12 a, b, want, r;
    fp12_rand(&a);
    fp12_rand(&b);
    ref_fp12_mul(&want, &a, &b);
    zk_fp12_mul(&r, &a, &b);
    zk_fp_add(&r.c1.c2.c1, &r.c1.c2.c1, &r.c0.c0.c0); /* perturb one coefficient */
    ok(!zk_fp12_eq(&r, &want), "a perturbed product differs from the reference");
    /* and the reference's w^6 = xi: w^5 * w = xi */
    zk_fp2 g[6];
    zk_fp12 w5, w1, x;
    for (int i = 0; i < 6; i++)
        zk_fp2_zero(&g[i]);
    zk_fp2_one(&g[5]);
    from_w(&w5, g);
    zk_fp2_zero(&g[5]);
    zk_fp2_one(&g[1]);
    from_w(&w1, g);
    zk_fp12_mul(&x, &w5, &w1);
    zk_fp12 xi12;
    zk_fp12_zero(&xi12);
    xi12.c0.c0 = XI;
    ok(zk_fp12_eq(&x, &xi12), "fp12: w^5 * w == xi");
}

/* ------------------------------------------------------------------ */
/* axioms                                                               */

static void test_axioms(void)
{
    long a6 = 0, c6 = 0, d6 = 0, i6 = 0, a12 = 0, c12 = 0, d12 = 0, i12 = 0, sub = 0;
    for (int it = 0; it < 200; it++) {
        zk_fp6 x, y, z, l, r, t;
        fp6_rand(&x);
        fp6_rand(&y);
        fp6_rand(&z);
        zk_fp6_mul(&l, &x, &y);
        zk_fp6_mul(&l, &l, &z);
        zk_fp6_mul(&r, &y, &z);
        zk_fp6_mul(&r, &x, &r);
        a6 += !zk_fp6_eq(&l, &r);
        zk_fp6_mul(&l, &x, &y);
        zk_fp6_mul(&r, &y, &x);
        c6 += !zk_fp6_eq(&l, &r);
        zk_fp6_add(&t, &y, &z);
        zk_fp6_mul(&l, &x, &t);
        zk_fp6_mul(&r, &x, &y);
        zk_fp6_mul(&t, &x, &z);
        zk_fp6_add(&r, &r, &t);
        d6 += !zk_fp6_eq(&l, &r);
        zk_fp6 one, xi;
        zk_fp6_one(&one);
        i6 += zk_fp6_inv(&xi, &x) != 0;
        zk_fp6_mul(&l, &x, &xi);
        i6 += !zk_fp6_eq(&l, &one);
        /* x - y + y == x, x + (-x) == 0 */
        zk_fp6_sub(&l, &x, &y);
        zk_fp6_add(&l, &l, &y);
        sub += !zk_fp6_eq(&l, &x);
        zk_fp6_neg(&l, &x);
        zk_fp6_add(&l, &l, &x);
        sub += !zk_fp6_is_zero(&l);

        zk_fp12 X, Y, Z, L, R, T, ONE, XI12;
        fp12_rand(&X);
        fp12_rand(&Y);
        fp12_rand(&Z);
        zk_fp12_mul(&L, &X, &Y);
        zk_fp12_mul(&L, &L, &Z);
        zk_fp12_mul(&R, &Y, &Z);
        zk_fp12_mul(&R, &X, &R);
        a12 += !zk_fp12_eq(&L, &R);
        zk_fp12_mul(&L, &X, &Y);
        zk_fp12_mul(&R, &Y, &X);
        c12 += !zk_fp12_eq(&L, &R);
        zk_fp12_add(&T, &Y, &Z);
        zk_fp12_mul(&L, &X, &T);
        zk_fp12_mul(&R, &X, &Y);
        zk_fp12_mul(&T, &X, &Z);
        zk_fp12_add(&R, &R, &T);
        d12 += !zk_fp12_eq(&L, &R);
        zk_fp12_one(&ONE);
        i12 += zk_fp12_inv(&XI12, &X) != 0;
        zk_fp12_mul(&L, &X, &XI12);
        i12 += !zk_fp12_is_one(&L);
        zk_fp12_mul(&L, &XI12, &X);
        i12 += !zk_fp12_eq(&L, &ONE);
        /* r = a for inv */
        L = X;
        i12 += zk_fp12_inv(&L, &L) != 0 || !zk_fp12_eq(&L, &XI12);
        zk_fp12_sub(&L, &X, &Y);
        zk_fp12_add(&L, &L, &Y);
        sub += !zk_fp12_eq(&L, &X);
    }
    ok(a6 == 0, "fp6 multiplication is associative (200 triples)");
    ok(c6 == 0, "fp6 multiplication is commutative");
    ok(d6 == 0, "fp6 multiplication distributes over addition");
    ok(i6 == 0, "fp6 a * inv(a) == 1");
    ok(a12 == 0, "fp12 multiplication is associative (200 triples)");
    ok(c12 == 0, "fp12 multiplication is commutative");
    ok(d12 == 0, "fp12 multiplication distributes over addition");
    ok(i12 == 0, "fp12 a * inv(a) == inv(a) * a == 1 (and r = a)");
    ok(sub == 0, "fp6/fp12 sub, neg, add are consistent");

    zk_fp6 z6, r6;
    zk_fp12 z12, r12;
    zk_fp6_zero(&z6);
    zk_fp12_zero(&z12);
    is_int(zk_fp6_inv(&r6, &z6), ZK_EZERO, "fp6 inv(0) returns ZK_EZERO");
    is_int(zk_fp12_inv(&r12, &z12), ZK_EZERO, "fp12 inv(0) returns ZK_EZERO");
    zk_fp12 one;
    zk_fp12_one(&one);
    ok(zk_fp12_is_one(&one) && !zk_fp12_is_one(&z12), "fp12 is_one");
    /* an element with only c1 non-zero is invertible (norm -v c1^2 != 0) */
    {
        zk_fp12 a, ai, p;
        zk_fp12_zero(&a);
        fp6_rand(&a.c1);
        int rc = zk_fp12_inv(&ai, &a);
        zk_fp12_mul(&p, &a, &ai);
        ok(rc == 0 && zk_fp12_is_one(&p), "fp12 inv of a pure-w element");
    }
}

/* ------------------------------------------------------------------ */
/* Frobenius                                                            */

static size_t mpz_limbs64(uint64_t *out, size_t cap, const mpz_t z)
{
    size_t n = (mpz_sizeinbase(z, 2) + 63) / 64;
    if (n > cap)
        bail_out("exponent too large");
    memset(out, 0, cap * sizeof *out);
    mpz_export(out, NULL, -1, 8, 0, 0, z);
    return n;
}

static void test_frobenius(void)
{
    mpz_t pk;
    mpz_init(pk);
    uint64_t e[50];
    for (unsigned k = 1; k <= 3; k++) {
        mpz_pow_ui(pk, P, k);
        size_t n = mpz_limbs64(e, 50, pk);
        long f12 = 0, f12a = 0, f6 = 0, f6a = 0;
        for (int it = 0; it < 6; it++) {
            zk_fp12 a, want, got;
            fp12_rand(&a);
            zk_fp12_pow_var(&want, &a, e, n);
            zk_fp12_frobenius(&got, &a, k);
            f12 += !zk_fp12_eq(&got, &want);
            got = a;
            zk_fp12_frobenius(&got, &got, k);
            f12a += !zk_fp12_eq(&got, &want);

            zk_fp6 b, g6;
            zk_fp12 b12;
            fp6_rand(&b);
            fp12_of_fp6(&b12, &b);
            zk_fp12_pow_var(&want, &b12, e, n);
            zk_fp6_frobenius(&g6, &b, k);
            f6 += !zk_fp6_eq(&g6, &want.c0) || !zk_fp6_is_zero(&want.c1);
            g6 = b;
            zk_fp6_frobenius(&g6, &g6, k);
            f6a += !zk_fp6_eq(&g6, &want.c0);
        }
        ok(f12 == 0, "fp12 frobenius(a, %u) == a^(p^%u) (pow_var, 6 random a)", k, k);
        ok(f12a == 0, "fp12 frobenius(a, %u) with r = a", k);
        ok(f6 == 0, "fp6 frobenius(a, %u) == a^(p^%u)", k, k);
        ok(f6a == 0, "fp6 frobenius(a, %u) with r = a", k);
    }
    /* pow_var itself against repeated multiplication, so the above is
     * anchored: a^1000 by pow_var and by 1000 products; a^0 == 1 */
    {
        zk_fp12 a, x, y;
        uint64_t e1000 = 1000, e0 = 0;
        fp12_rand(&a);
        zk_fp12_pow_var(&x, &a, &e1000, 1);
        zk_fp12_one(&y);
        for (int i = 0; i < 1000; i++)
            ref_fp12_mul(&y, &y, &a);
        ok(zk_fp12_eq(&x, &y), "fp12 pow_var(a, 1000) == a * ... * a (schoolbook)");
        zk_fp12_pow_var(&x, &a, &e0, 1);
        ok(zk_fp12_is_one(&x), "fp12 pow_var(a, 0) == 1");
        x = a;
        zk_fp12_pow_var(&x, &x, &e1000, 1);
        ok(zk_fp12_eq(&x, &y), "fp12 pow_var with r = a");
    }
    {
        zk_fp12 one, r;
        zk_fp6 one6, r6;
        int good = 1;
        zk_fp12_one(&one);
        zk_fp6_one(&one6);
        for (unsigned k = 1; k <= 3; k++) {
            zk_fp12_frobenius(&r, &one, k);
            good &= zk_fp12_is_one(&r);
            zk_fp6_frobenius(&r6, &one6, k);
            good &= zk_fp6_eq(&r6, &one6);
        }
        ok(good, "frobenius(1, k) == 1 for k = 1, 2, 3 (fp6 and fp12)");
    }
    {
        zk_fp12 a, t, t2, t3;
        int good12 = 1, mid = 1, comp = 1;
        fp12_rand(&a);
        t = a;
        for (int i = 1; i <= 12; i++) {
            zk_fp12_frobenius(&t, &t, 1);
            if (i < 12)
                mid &= !zk_fp12_eq(&t, &a);
            if (i == 2) {
                zk_fp12_frobenius(&t2, &a, 2);
                comp &= zk_fp12_eq(&t, &t2);
            }
            if (i == 3) {
                zk_fp12_frobenius(&t3, &a, 3);
                comp &= zk_fp12_eq(&t, &t3);
            }
        }
        good12 = zk_fp12_eq(&t, &a);
        ok(good12, "fp12 frobenius(., 1) applied 12 times is the identity");
        ok(mid, "fp12 frobenius(., 1)^i != identity for i < 12 on a random element");
        ok(comp, "fp12 frobenius(., 1)^2 == frobenius(., 2), ^3 == frobenius(., 3)");
        zk_fp6 b, s;
        int good6 = 1;
        fp6_rand(&b);
        s = b;
        for (int i = 0; i < 6; i++)
            zk_fp6_frobenius(&s, &s, 1);
        good6 = zk_fp6_eq(&s, &b);
        ok(good6, "fp6 frobenius(., 1) applied 6 times is the identity");
        /* frobenius is a ring homomorphism */
        zk_fp12 x, y, xy, fx, fy, fxy, p;
        fp12_rand(&x);
        fp12_rand(&y);
        zk_fp12_mul(&xy, &x, &y);
        zk_fp12_frobenius(&fx, &x, 1);
        zk_fp12_frobenius(&fy, &y, 1);
        zk_fp12_frobenius(&fxy, &xy, 1);
        zk_fp12_mul(&p, &fx, &fy);
        ok(zk_fp12_eq(&p, &fxy), "fp12 frobenius(xy) == frobenius(x) frobenius(y)");
    }
    /* conj is a^(p^6) */
    {
        mpz_pow_ui(pk, P, 6);
        size_t n = mpz_limbs64(e, 50, pk);
        zk_fp12 a, want, got;
        fp12_rand(&a);
        zk_fp12_pow_var(&want, &a, e, n);
        zk_fp12_conj(&got, &a);
        ok(zk_fp12_eq(&got, &want), "fp12 conj(a) == a^(p^6)");
        got = a;
        zk_fp12_conj(&got, &got);
        ok(zk_fp12_eq(&got, &want), "fp12 conj with r = a");
    }
    mpz_clear(pk);
}

/* ------------------------------------------------------------------ */
/* cyclotomic subgroup and G_T                                          */

/* m = f^((p^6 - 1)(p^2 + 1)) */
static void easy_part(zk_fp12 *m, const zk_fp12 *f)
{
    zk_fp12 c, fi, t;
    zk_fp12_conj(&c, f);
    if (zk_fp12_inv(&fi, f) != 0)
        bail_out("easy_part: f == 0");
    zk_fp12_mul(&t, &c, &fi);
    zk_fp12_frobenius(m, &t, 2);
    zk_fp12_mul(m, m, &t);
}

static void test_cyclotomic(void)
{
    long fails = 0, alias = 0, conj = 0, chain = 0;
    for (int it = 0; it < 200; it++) {
        zk_fp12 f, m, a, b, c;
        fp12_rand(&f);
        easy_part(&m, &f);
        zk_fp12_sqr(&a, &m);
        zk_fp12_sqr_cyclotomic(&b, &m);
        fails += !zk_fp12_eq(&a, &b);
        c = m;
        zk_fp12_sqr_cyclotomic(&c, &c);
        alias += !zk_fp12_eq(&a, &c);
        zk_fp12_conj(&c, &m);
        zk_fp12_mul(&c, &c, &m);
        conj += !zk_fp12_is_one(&c);
        if (it < 10) {
            /* repeated squaring stays in the subgroup */
            zk_fp12 s = m, t = m;
            for (int i = 0; i < 64; i++) {
                zk_fp12_sqr_cyclotomic(&s, &s);
                zk_fp12_sqr(&t, &t);
            }
            chain += !zk_fp12_eq(&s, &t);
        }
    }
    ok(fails == 0, "fp12 sqr_cyclotomic == sqr on 200 cyclotomic elements");
    ok(alias == 0, "fp12 sqr_cyclotomic with r = a");
    ok(conj == 0, "fp12 conj(m) * m == 1 for cyclotomic m");
    ok(chain == 0, "fp12 64 cyclotomic squarings == 64 squarings");
    /* the construction really lands in G_phi6: m^(p^4 - p^2 + 1) == 1 */
    {
        mpz_t e, t;
        uint64_t ev[20];
        mpz_inits(e, t, NULL);
        mpz_pow_ui(e, P, 4);
        mpz_pow_ui(t, P, 2);
        mpz_sub(e, e, t);
        mpz_add_ui(e, e, 1);
        size_t n = mpz_limbs64(ev, 20, e);
        zk_fp12 f, m, x;
        fp12_rand(&f);
        easy_part(&m, &f);
        zk_fp12_pow_var(&x, &m, ev, n);
        ok(zk_fp12_is_one(&x), "m^(p^4 - p^2 + 1) == 1 for m = f^((p^6-1)(p^2+1))");
        zk_fp12_pow_var(&x, &f, ev, n);
        ok(!zk_fp12_is_one(&x), "f^(p^4 - p^2 + 1) != 1 for a random f");
        mpz_clears(e, t, NULL);
    }
    /* non-cyclotomic input: the formula does not hold (the test can fail) */
    {
        int differ = 0;
        for (int it = 0; it < 5; it++) {
            zk_fp12 f, a, b;
            fp12_rand(&f);
            zk_fp12_sqr(&a, &f);
            zk_fp12_sqr_cyclotomic(&b, &f);
            differ += !zk_fp12_eq(&a, &b);
        }
        ok(differ == 5, "fp12 sqr_cyclotomic != sqr for random non-cyclotomic f (%d of 5)",
           differ);
        zk_fp12 f, c;
        fp12_rand(&f);
        zk_fp12_conj(&c, &f);
        zk_fp12_mul(&c, &c, &f);
        ok(!zk_fp12_is_one(&c), "fp12 conj(f) * f != 1 for a random f");
    }
}

static void test_in_gt(void)
{
    zk_fp12 one, zero, f, m, g;
    zk_fp12_one(&one);
    zk_fp12_zero(&zero);
    ok(zk_fp12_in_gt(&one), "in_gt(1)");
    ok(!zk_fp12_in_gt(&zero), "!in_gt(0)");
    fp12_rand(&f);
    ok(!zk_fp12_in_gt(&f), "!in_gt(random element)");
    easy_part(&m, &f);
    ok(!zk_fp12_in_gt(&m), "!in_gt(random cyclotomic element) (its order is not r)");
    /* f^((p^12 - 1)/r) has order dividing r: the final exponentiation */
    mpz_t e;
    uint64_t ev[64];
    mpz_init(e);
    mpz_pow_ui(e, P, 12);
    mpz_sub_ui(e, e, 1);
    if (!mpz_divisible_p(e, RORD))
        bail_out("r does not divide p^12 - 1");
    mpz_divexact(e, e, RORD);
    size_t n = mpz_limbs64(ev, 64, e);
    zk_fp12_pow_var(&g, &f, ev, n);
    ok(zk_fp12_in_gt(&g) && !zk_fp12_is_one(&g), "in_gt(f^((p^12-1)/r)), which is not 1");
    /* a G_T element times a non-G_T element is not in G_T */
    zk_fp12 h;
    zk_fp12_mul(&h, &g, &m);
    ok(!zk_fp12_in_gt(&h), "!in_gt(g * m) for g in G_T, m cyclotomic outside it");
    /* -1 has order 2, not r */
    zk_fp12 m1;
    zk_fp12_zero(&m1);
    zk_fp12_sub(&m1, &m1, &one);
    ok(!zk_fp12_in_gt(&m1), "!in_gt(-1)");
    mpz_clear(e);
}

int main(void)
{
    if (sodium_init() < 0)
        bail_out("sodium_init failed");
    gmp_randinit_default(RS);
    gmp_randseed_ui(RS, 20261124);
    mpz_init_set_str(P, P_DEC, 10);
    mpz_init_set_str(RORD, R_DEC, 10);
    zk_fp_set_u64(&XI.c0, 9);
    zk_fp_one(&XI.c1);

    build_fp2_values();
    test_fp2_ops();
    test_fp2_pow();
    test_fp2_misc();
    test_fp2_sqrt();

    test_coeff_layout();
    test_reference_sanity();
    test_fp12_vs_schoolbook();
    test_axioms();
    test_frobenius();
    test_cyclotomic();
    test_in_gt();

    free(V);
    mpz_clears(P, RORD, NULL);
    gmp_randclear(RS);
    return done_testing();
}
