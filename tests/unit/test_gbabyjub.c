/*
 * test_gbabyjub.c -- the Baby Jubjub gadgets (lib/gadgets/babyjub) against
 * the native curve (lib/curve/babyjub) and circomlib's counts:
 *
 *  - add (variable and constant operands), add_assert, dbl,
 *    on_curve_dbl, assert_on_curve, neg, select, assert_not_small_order:
 *    on random points of every order (8 l, l, and the 8 torsion points:
 *    identity, order 2, 4, 8), the in-circuit value equals zk_bj_add /
 *    zk_bj_dbl / ..., SHAPE = WITNESS (zk_cs_check_modes), the witness
 *    satisfies, the constraint count is the documented one (and no more
 *    than circomlib's template); off-curve points and small-order points
 *    fail at the right scope;
 *  - mul_base8 for n = 1 .. 254 bits and mul for n = 1 .. 255 bits on
 *    random and edge scalars (0, 1, 2^n - 1, l - 1, l, l + 1, 8 l, r - 1)
 *    and bases with every torsion component: value = zk_bj_mul_base8 /
 *    zk_bj_mul_var, satisfied, modes agree, counts; mul rejects bases
 *    with x = 0 and of order 4 or 8 (unsatisfiable);
 *  - every internal variable of add, dbl, mul_base8(253) and mul(254)
 *    tampered in turn breaks the system inside the gadget's scope (no
 *    variable is free: the output is determined by the inputs);
 *  - arena discipline, argument errors and allocation failures;
 *  - the counts next to circomlib's (circom 2.2.3 --O2, numbers below;
 *    ZKPAR_CIRCOM_COUNTS=1 recompiles the templates with the pinned
 *    circom2 and compares, a few seconds).
 */
#include <limits.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "curve/babyjub.h"
#include "field/fr.h"
#include "gadgets/babyjub.h"
#include "r1cs/cs.h"
#include "tap.h"
#include "testfile.h"
#include "testnode.h"

/*
 * circomlib 2.0.5 templates compiled by circom 2.2.3 (the pinned
 * tests/interop/node_modules/circom2 WASM build) with --O2, each as the
 * main component of a one-line circuit, e.g.
 *     pragma circom 2.0.0; include "circomlib/circuits/babyjub.circom";
 *     component main = BabyAdd();
 * compiled with `node circom2/cli.js g.circom --r1cs --O2 -l node_modules`
 * from tests/interop, which printed "non-linear constraints: N, linear
 * constraints: 0" with these N.  EscalarMulFix takes Base8 as BASE.
 */
#define CIRCOM_BABYADD 6
#define CIRCOM_BABYDBL 6
#define CIRCOM_BABYCHECK 3
#define CIRCOM_MULFIX_253 523   /* EscalarMulFix(253, BASE8) */
#define CIRCOM_MULANY_254 2310  /* EscalarMulAny(254) */

static const uint64_t L[4] = ZK_BJ_ORDER;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static zk_cs *new_cs(zk_cs_mode mode)
{
    zk_cs *cs;
    if (zk_cs_new(&cs, mode) != ZK_OK)
        bail_out("zk_cs_new");
    return cs;
}

/* ------------------------------------------------------------ scalars */

static void rand_limbs(uint64_t k[4], size_t nbits)
{
    randombytes_buf(k, 4 * sizeof *k);
    for (size_t i = nbits; i < 256; i++)
        k[i / 64] &= ~(1ull << (i % 64));
}

static void limbs_pow2m1(uint64_t k[4], size_t n)
{
    memset(k, 0, 4 * sizeof *k);
    for (size_t i = 0; i < n && i < 256; i++)
        k[i / 64] |= 1ull << (i % 64);
}

/* k = a + c (c small), mod 2^256. */
static void limbs_add_small(uint64_t k[4], const uint64_t a[4], int64_t c)
{
    unsigned __int128 acc = 0;
    uint64_t add[4];
    uint64_t ext = c < 0 ? ~0ull : 0;
    add[0] = (uint64_t)c;
    add[1] = add[2] = add[3] = ext;
    for (int i = 0; i < 4; i++) {
        acc += (unsigned __int128)a[i] + add[i];
        k[i] = (uint64_t)acc;
        acc >>= 64;
    }
}

/* k = m * a for small m (mod 2^256). */
static void limbs_mul_small(uint64_t k[4], const uint64_t a[4], uint64_t m)
{
    unsigned __int128 acc = 0;
    for (int i = 0; i < 4; i++) {
        acc += (unsigned __int128)a[i] * m;
        k[i] = (uint64_t)acc;
        acc >>= 64;
    }
}

static int limbs_bits(const uint64_t k[4])
{
    for (int i = 255; i >= 0; i--)
        if ((k[i / 64] >> (i % 64)) & 1)
            return i + 1;
    return 0;
}

/* ------------------------------------------------------------- points */

static void rand_scalar_fr(uint64_t k[4])
{
    zk_fr t;
    zk_fr_random(&t);
    zk_fr_to_limbs(k, &t);
}

/* A random point of order 8 l (almost surely) and one of order l. */
static void rand_point(zk_bj *p)
{
    zk_bj g;
    uint64_t k[4];
    zk_bj_generator(&g);
    rand_scalar_fr(k);
    zk_bj_mul_var(p, &g, k);
}

static void rand_sub_point(zk_bj *p)
{
    uint64_t k[4];
    rand_scalar_fr(k);
    zk_bj_mul_base8(p, k);
}

/* t[i] = [i] T8 for a generator T8 = [l] Generator of the 8-torsion:
 * t[0] the identity, t[4] the point of order 2, t[2], t[6] of order 4,
 * the odd ones of order 8. */
static void torsion(zk_bj t[8])
{
    zk_bj g, t8;
    zk_bj_generator(&g);
    zk_bj_mul_var(&t8, &g, L);
    zk_bj_identity(&t[0]);
    for (int i = 1; i < 8; i++)
        zk_bj_add(&t[i], &t[i - 1], &t8);
}

static int pt_eq(const zk_bj *a, const zk_bj *b)
{
    return zk_fr_eq(&a->x, &b->x) && zk_fr_eq(&a->y, &b->y);
}

/* ------------------------------------------------------------- cases */

enum {
    OP_ADD, OP_ADD_CONST, OP_ADD_ASSERT, OP_DBL, OP_ON_CURVE_DBL,
    OP_ON_CURVE, OP_NEG, OP_SELECT, OP_NOT_SMALL, OP_MUL_B8, OP_MUL,
    OP_MUL_CONST
};

static const char *const op_scope[] = {
    "bj_add", "bj_add", "bj_add", "bj_dbl", "bj_on_curve_dbl",
    "bj_on_curve", "", "bj_select", "bj_not_small_order", "bj_mul_base8",
    "bj_mul", "bj_mul"};

typedef struct {
    int op;
    zk_bj p, q, r;      /* inputs (r: add_assert's claimed sum) */
    zk_fr c;            /* select */
    size_t n;           /* scalar bits */
    uint64_t k[4];      /* scalar */
    /* filled by build_case (WITNESS mode) */
    zk_g_bj_pt out;
} bcase;

static zk_g_bj_pt alloc_pt(zk_cs *cs, const zk_bj *p)
{
    zk_g_bj_pt r;
    r.x = zk_lc_var(cs, zk_cs_alloc_prv_in(cs, &p->x));
    r.y = zk_lc_var(cs, zk_cs_alloc_prv_in(cs, &p->y));
    return r;
}

/* Inputs are private inputs; scalar bits too, made boolean by the
 * harness (scope "input"), as the gadgets' precondition asks.  The
 * outputs stay LCs (no output constraint). */
static int build_case(zk_cs *cs, void *ctx)
{
    bcase *g = ctx;
    zk_g_bj_pt p = alloc_pt(cs, &g->p);
    zk_g_bj_pt q = alloc_pt(cs, &g->q);
    zk_lc bits[ZK_G_BJ_MUL_MAX];
    for (size_t i = 0; i < g->n; i++) {
        zk_fr b;
        zk_fr_set_u64(&b, (g->k[i / 64] >> (i % 64)) & 1);
        bits[i] = zk_lc_var(cs, zk_cs_alloc_prv_in(cs, &b));
    }
    zk_cs_push(cs, "input");
    for (size_t i = 0; i < g->n; i++)
        zk_cs_assert_bool(cs, bits[i]);
    zk_cs_pop(cs);
    zk_g_bj_pt cq, r;
    switch (g->op) {
    case OP_ADD:
        zk_g_bj_add(cs, &g->out, p, q);
        break;
    case OP_ADD_CONST:
        zk_g_bj_const(cs, &cq, &g->q);
        zk_g_bj_add(cs, &g->out, p, cq);
        break;
    case OP_ADD_ASSERT:
        r = alloc_pt(cs, &g->r);
        zk_g_bj_add_assert(cs, p, q, r);
        g->out = r;
        break;
    case OP_DBL:
        zk_g_bj_dbl(cs, &g->out, p);
        break;
    case OP_ON_CURVE_DBL:
        zk_g_bj_on_curve_dbl(cs, &g->out, p);
        break;
    case OP_ON_CURVE:
        zk_g_bj_assert_on_curve(cs, p);
        g->out = p;
        break;
    case OP_NEG:
        zk_g_bj_neg(cs, &g->out, p);
        break;
    case OP_SELECT: {
        zk_lc c = zk_lc_var(cs, zk_cs_alloc_prv_in(cs, &g->c));
        zk_g_bj_select(cs, &g->out, c, p, q);
        break;
    }
    case OP_NOT_SMALL:
        zk_g_bj_assert_not_small_order(cs, p);
        g->out = p;
        break;
    case OP_MUL_B8:
        zk_g_bj_mul_base8(cs, &g->out, bits, g->n);
        break;
    case OP_MUL:
        zk_g_bj_mul(cs, &g->out, bits, g->n, p);
        break;
    case OP_MUL_CONST:
        zk_g_bj_const(cs, &cq, &g->p);
        zk_g_bj_mul(cs, &g->out, bits, g->n, cq);
        break;
    }
    return zk_cs_err(cs);
}

/* The gadget's constraint count (its scope's total; 0 for neg). */
static uint64_t scope_count(const zk_cs *cs, const char *path)
{
    zk_cs_scope_stat *st;
    size_t ns;
    uint64_t n = 0;
    if (zk_cs_scope_report(&st, &ns, cs) != ZK_OK)
        bail_out("scope report");
    for (size_t i = 0; i < ns; i++)
        if (!strcmp(st[i].path, path))
            n = st[i].n_constraints_total;
    free(st);
    return n;
}

typedef struct {
    int modes;       /* zk_cs_check_modes */
    int sat;         /* zk_cs_is_satisfied */
    size_t bad;
    char path[256];
    zk_bj val;       /* the output's value */
    uint64_t count;  /* the gadget's constraints */
} result;

static result run_case(bcase *g, zk_cs **keep)
{
    result r;
    size_t diff;
    r.modes = zk_cs_check_modes(build_case, g, &diff);
    zk_cs *cs = new_cs(ZK_CS_WITNESS);
    if (build_case(cs, g) != ZK_OK)
        bail_out("build_case: %d", zk_cs_err(cs));
    r.path[0] = '\0';
    r.bad = SIZE_MAX;
    r.sat = zk_cs_is_satisfied(cs, &r.bad, r.path, sizeof r.path);
    zk_g_bj_eval(&r.val, cs, g->out);
    r.count = scope_count(cs, op_scope[g->op]);
    if (keep)
        *keep = cs;
    else
        zk_cs_free(cs);
    return r;
}

static int prefix(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

/* ---------------------------------------------------------- point ops */

static void test_add(void)
{
    zk_bj t[8];
    torsion(t);
    int val = 1, sat = 1, modes = 1, cnt = 1, cval = 1, csat = 1, ccnt = 1;
    /* random full-order and subgroup points, the torsion points, P + P,
     * P + (-P), P + identity */
    for (int i = 0; i < 24; i++) {
        bcase g = {.op = OP_ADD};
        if (i < 8) {
            rand_point(&g.p);
            rand_point(&g.q);
        } else if (i < 16) {
            rand_sub_point(&g.p);
            g.q = t[i - 8];
        } else if (i < 20) {
            rand_point(&g.p);
            g.q = i < 18 ? g.p : t[0];
            if (i == 17)
                zk_bj_neg(&g.q, &g.p);
        } else {
            g.p = t[i - 18];
            g.q = t[i - 16];
        }
        zk_bj ref;
        zk_bj_add(&ref, &g.p, &g.q);
        result r = run_case(&g, NULL);
        val &= pt_eq(&r.val, &ref);
        sat &= r.sat == ZK_OK;
        modes &= r.modes == ZK_OK;
        cnt &= r.count == 6;
        g.op = OP_ADD_CONST;
        r = run_case(&g, NULL);
        cval &= pt_eq(&r.val, &ref);
        csat &= r.sat == ZK_OK && r.modes == ZK_OK;
        /* 3; fewer when a coordinate of the constant is 0 (a torsion
         * point or the identity: products with 0 vanish) */
        ccnt &= zk_fr_is_zero(&g.q.x) || zk_fr_is_zero(&g.q.y) ? r.count <= 3
                                                               : r.count == 3;
    }
    ok(val, "add = zk_bj_add on 24 pairs (order 8l, l, torsion, P+P, P-P, P+O)");
    ok(sat && modes, "add: satisfied, SHAPE = WITNESS");
    ok(cnt, "add: 6 constraints (circomlib BabyAdd: %d)", CIRCOM_BABYADD);
    ok(cval && csat && ccnt, "add with a constant operand: same values, "
                             "satisfied, modes agree, 3 constraints (fewer "
                             "for a constant with a zero coordinate)");

    /* add_assert */
    bcase g = {.op = OP_ADD_ASSERT};
    rand_point(&g.p);
    rand_point(&g.q);
    zk_bj_add(&g.r, &g.p, &g.q);
    result r = run_case(&g, NULL);
    ok(r.sat == ZK_OK && r.modes == ZK_OK && r.count == 6,
       "add_assert(p, q, p + q): satisfied, 6 constraints");
    zk_bj_dbl(&g.r, &g.p);
    r = run_case(&g, NULL);
    ok(r.sat == ZK_EVERIFY && !strcmp(r.path, "bj_add") && r.bad == 4,
       "add_assert(p, q, 2p): fails at the folded x equation (%zu, %s)",
       r.bad, r.path);
    g.r = g.p;
    zk_bj_add(&g.r, &g.p, &g.q);
    zk_fr one;
    zk_fr_one(&one);
    zk_fr_add(&g.r.y, &g.r.y, &one);
    r = run_case(&g, NULL);
    ok(r.sat == ZK_EVERIFY && r.bad == 5,
       "add_assert with y + 1: fails at the folded y equation (%zu)", r.bad);
}

static void test_dbl_curve(void)
{
    zk_bj t[8];
    torsion(t);
    int val = 1, sat = 1, cnt = 1, oval = 1, osat = 1, ocnt = 1;
    for (int i = 0; i < 16; i++) {
        bcase g = {.op = OP_DBL};
        if (i < 8)
            rand_point(&g.p);
        else
            g.p = t[i - 8];
        zk_bj ref;
        zk_bj_dbl(&ref, &g.p);
        result r = run_case(&g, NULL);
        val &= pt_eq(&r.val, &ref);
        sat &= r.sat == ZK_OK && r.modes == ZK_OK;
        cnt &= r.count == 5;
        g.op = OP_ON_CURVE_DBL;
        r = run_case(&g, NULL);
        oval &= pt_eq(&r.val, &ref);
        osat &= r.sat == ZK_OK && r.modes == ZK_OK;
        ocnt &= r.count == 6;
    }
    ok(val && sat && cnt, "dbl = zk_bj_dbl (8 random, the 8 torsion points), "
                          "satisfied, modes agree, 5 constraints (circomlib "
                          "BabyDbl: %d)", CIRCOM_BABYDBL);
    ok(oval && osat && ocnt, "on_curve_dbl: same values, satisfied, 6 "
                             "constraints (BabyCheck + BabyDbl: %d)",
       CIRCOM_BABYCHECK + CIRCOM_BABYDBL);

    /* on-curve checks */
    bcase g = {.op = OP_ON_CURVE};
    int on = 1;
    for (int i = 0; i < 8; i++) {
        if (i < 4)
            rand_point(&g.p);
        else
            g.p = t[2 * (i - 4) + 1];
        result r = run_case(&g, NULL);
        on &= r.sat == ZK_OK && r.modes == ZK_OK && r.count == 3;
    }
    ok(on, "assert_on_curve: points on the curve pass, 3 constraints "
           "(BabyCheck: %d)", CIRCOM_BABYCHECK);
    zk_fr one;
    zk_fr_one(&one);
    rand_point(&g.p);
    zk_fr_add(&g.p.y, &g.p.y, &one);
    result r = run_case(&g, NULL);
    ok(r.sat == ZK_EVERIFY && !strcmp(r.path, "bj_on_curve") && r.bad == 2,
       "assert_on_curve(x, y + 1): fails at the curve equation (%zu, %s)",
       r.bad, r.path);
    g.p.x = one;
    zk_fr_zero(&g.p.y);
    r = run_case(&g, NULL);
    ok(r.sat == ZK_EVERIFY, "assert_on_curve(1, 0): fails");
    g.op = OP_ON_CURVE_DBL;
    rand_point(&g.p);
    zk_fr_add(&g.p.x, &g.p.x, &one);
    r = run_case(&g, NULL);
    ok(r.sat == ZK_EVERIFY && !strcmp(r.path, "bj_on_curve_dbl") && r.bad == 2,
       "on_curve_dbl(x + 1, y): fails at the curve equation (%zu, %s)", r.bad,
       r.path);
    /* (x, y) off the curve with a x^2 + y^2 = 0: the shared-squares
     * doubling would divide by 0; the curve equation fails first anyway */
}

static void test_neg_select_small(void)
{
    bcase g = {.op = OP_NEG};
    rand_point(&g.p);
    zk_bj ref;
    zk_bj_neg(&ref, &g.p);
    result r = run_case(&g, NULL);
    ok(pt_eq(&r.val, &ref) && r.sat == ZK_OK && r.modes == ZK_OK,
       "neg = zk_bj_neg, no constraint");

    int good = 1;
    for (int c = 0; c < 2; c++) {
        bcase s = {.op = OP_SELECT};
        rand_point(&s.p);
        rand_point(&s.q);
        zk_fr_set_u64(&s.c, (uint64_t)c);
        r = run_case(&s, NULL);
        good &= pt_eq(&r.val, c ? &s.p : &s.q) && r.sat == ZK_OK &&
                r.modes == ZK_OK && r.count == 2;
    }
    ok(good, "select(c, a, b): a for c = 1, b for c = 0, 2 constraints");

    zk_bj t[8];
    torsion(t);
    int rej = 1;
    for (int i = 0; i < 8; i++) {
        bcase s = {.op = OP_NOT_SMALL};
        s.p = t[i];
        r = run_case(&s, NULL);
        rej &= r.sat == ZK_EVERIFY && !strcmp(r.path, "bj_not_small_order") &&
               r.bad == 10 && r.modes == ZK_OK;
        if (!rej)
            diag("torsion point %d: rc %d at %zu (%s)", i, r.sat, r.bad, r.path);
    }
    ok(rej, "assert_not_small_order rejects all 8 points of order 1, 2, 4, 8 "
            "at its x([4]p) != 0 constraint");
    int acc = 1;
    for (int i = 0; i < 8; i++) {
        bcase s = {.op = OP_NOT_SMALL};
        rand_sub_point(&s.p);
        zk_bj_add(&s.p, &s.p, &t[i]);
        r = run_case(&s, NULL);
        acc &= r.sat == ZK_OK && r.count == 11;
    }
    ok(acc, "... and accepts P + T for P of order l and every torsion T, "
            "11 constraints (circomlib: 3 BabyDbl + IsZero = 20)");
}

/* ------------------------------------------------------------ mul_base8 */

static size_t base8_count(size_t n)
{
    if (n == 1)
        return 3; /* +-[1/2] Base8 share u: only v and y are variables */
    size_t low = n < 249 ? n : 249, c = 0, w = (low + 2) / 3;
    for (size_t i = 0; i < w; i++) {
        size_t nb = low - 3 * i < 3 ? low - 3 * i : 3;
        c += nb == 3 ? 3 : nb == 2 ? 1 : 0; /* lookup */
        c += i ? 3 : 0;                      /* Montgomery addition */
    }
    c += 2; /* to Edwards */
    size_t rem = n - low;
    if (rem == 0)
        return c + 3; /* the constant offset */
    while (rem) {
        size_t nb = rem == 4 ? 2 : rem < 3 ? rem : 3;
        c += (nb == 3 ? 3 : nb == 2 ? 1 : 0) + 6;
        rem -= nb;
    }
    return c;
}

static void test_mul_base8(void)
{
    static const size_t ns[] = {1, 2, 3, 4, 5, 100, 248, 249, 250, 251,
                                252, 253, 254};
    for (size_t t = 0; t < sizeof ns / sizeof *ns; t++) {
        size_t n = ns[t];
        int val = 1, sat = 1, modes = 1, cnt = 1;
        uint64_t ks[8][4];
        int nk = 0;
        rand_limbs(ks[nk++], n);
        rand_limbs(ks[nk++], n);
        memset(ks[nk++], 0, sizeof ks[0]);
        limbs_pow2m1(ks[nk++], n);
        if (n >= 251) {
            memcpy(ks[nk++], L, sizeof L);
            limbs_add_small(ks[nk++], L, -1);
            limbs_add_small(ks[nk++], L, 1);
        }
        if (n == 254) {
            zk_fr m;
            zk_fr_one(&m);
            zk_fr_neg(&m, &m);
            zk_fr_to_limbs(ks[nk++], &m); /* r - 1 */
        }
        for (int i = 0; i < nk; i++) {
            bcase g = {.op = OP_MUL_B8, .n = n};
            memcpy(g.k, ks[i], sizeof g.k);
            zk_bj ref;
            zk_bj_mul_base8(&ref, g.k);
            result r = run_case(&g, NULL);
            val &= pt_eq(&r.val, &ref);
            sat &= r.sat == ZK_OK;
            modes &= r.modes == ZK_OK;
            cnt &= r.count == base8_count(n);
            if (r.sat != ZK_OK)
                diag("n %zu scalar %d: fails at %zu (%s)", n, i, r.bad, r.path);
        }
        ok(val && sat && modes && cnt,
           "mul_base8(%zu): %d scalars (random, 0, 2^n-1%s) = zk_bj_mul_base8, "
           "satisfied, modes agree, %zu constraints",
           n, nk, n >= 251 ? ", l, l +- 1" : "", base8_count(n));
    }
    ok(base8_count(253) < CIRCOM_MULFIX_253,
       "mul_base8(253): %zu constraints < circomlib EscalarMulFix(253): %d",
       base8_count(253), CIRCOM_MULFIX_253);
}

/* ----------------------------------------------------------------- mul */

/* Scalar case i for n bits: 0, 2^n - 1, 1, 2, l, l - 1, l + 1, 8 l (which
 * sends every point to the identity), random; cases that do not fit in n
 * bits are random. */
static void mul_scalar(uint64_t k[4], int i, size_t n)
{
    memset(k, 0, 4 * sizeof *k);
    switch (i) {
    case 0: break;
    case 1: limbs_pow2m1(k, n); break;
    case 2: k[0] = 1; break;
    case 3: k[0] = 2; break;
    case 4: memcpy(k, L, sizeof L); break;
    case 5: limbs_add_small(k, L, -1); break;
    case 6: limbs_add_small(k, L, 1); break;
    case 7: limbs_mul_small(k, L, 8); break;
    default: rand_limbs(k, n); break;
    }
    if (limbs_bits(k) > (int)n)
        rand_limbs(k, n);
}

static void test_mul(void)
{
    static const size_t ns[] = {1, 2, 3, 4, 5, 6, 64, 200, 253, 254, 255};
    zk_bj t[8];
    torsion(t);
    size_t count254 = 0;
    for (size_t ti = 0; ti < sizeof ns / sizeof *ns; ti++) {
        size_t n = ns[ti];
        int val = 1, sat = 1, modes = 1, same = 1;
        uint64_t cnt = 0;
        for (int i = 0; i < 10; i++) {
            bcase g = {.op = OP_MUL, .n = n};
            /* bases: order l, 8 l, and order l plus each torsion point */
            rand_sub_point(&g.p);
            if (i % 9 == 1)
                rand_point(&g.p);
            else if (i % 9 >= 2)
                zk_bj_add(&g.p, &g.p, &t[i % 9 - 1]);
            mul_scalar(g.k, i, n);
            zk_bj ref;
            zk_bj_mul_var(&ref, &g.p, g.k);
            result r = run_case(&g, NULL);
            val &= pt_eq(&r.val, &ref);
            sat &= r.sat == ZK_OK;
            modes &= r.modes == ZK_OK;
            if (i == 0)
                cnt = r.count;
            same &= r.count == cnt;
            if (r.sat != ZK_OK || !pt_eq(&r.val, &ref))
                diag("n %zu case %d: rc %d at %zu (%s)", n, i, r.sat, r.bad, r.path);
        }
        ok(val && sat && modes && same,
           "mul(%zu): 10 cases (k = 0, 2^n-1, 1, 2, l, l +- 1, 8l, random; P "
           "of order l, 8l, l + each torsion point) = zk_bj_mul_var, "
           "satisfied, modes agree, %llu constraints",
           n, (unsigned long long)cnt);
        if (n == 254)
            count254 = (size_t)cnt;
    }
    /* a constant base: the doubling chain costs nothing */
    int cval = 1, csat = 1;
    uint64_t ccnt = 0;
    for (int i = 0; i < 4; i++) {
        bcase g = {.op = OP_MUL_CONST, .n = 254};
        if (i == 0)
            zk_bj_base8(&g.p);
        else if (i == 1)
            zk_bj_generator(&g.p);
        else
            rand_point(&g.p);
        mul_scalar(g.k, i == 3 ? 0 : 8, 254);
        zk_bj ref;
        zk_bj_mul_var(&ref, &g.p, g.k);
        result r = run_case(&g, NULL);
        cval &= pt_eq(&r.val, &ref);
        csat &= r.sat == ZK_OK && r.modes == ZK_OK;
        ccnt = r.count;
    }
    ok(cval && csat && ccnt < count254,
       "mul(254) of a constant base (Base8, Generator, random): values, "
       "satisfied, modes agree, %llu constraints", (unsigned long long)ccnt);

    ok(count254 == 1798 && count254 < CIRCOM_MULANY_254,
       "mul(254): %zu constraints (documented 1798) < circomlib "
       "EscalarMulAny(254): %d", count254, CIRCOM_MULANY_254);

    /* Bases of small order are rejected (x = 0: the gadget's assertion;
     * order 4 and 8: the doubling chain reaches (0, 0) and cannot double
     * it), for n >= 5. */
    int rej = 1;
    for (int i = 0; i < 8; i++) {
        bcase g = {.op = OP_MUL, .n = 32};
        g.p = t[i];
        rand_limbs(g.k, 32);
        result r = run_case(&g, NULL);
        rej &= r.sat == ZK_EVERIFY && prefix(r.path, "bj_mul");
        if (r.sat != ZK_EVERIFY)
            diag("torsion base %d accepted", i);
    }
    ok(rej, "mul(32) of each of the 8 small-order points: unsatisfiable");
    bcase g = {.op = OP_MUL, .n = 254};
    zk_bj_identity(&g.p);
    rand_limbs(g.k, 254);
    result r = run_case(&g, NULL);
    ok(r.sat == ZK_EVERIFY && r.bad == 254 && !strcmp(r.path, "bj_mul"),
       "mul of the identity fails first at the x != 0 assertion (%zu, %s)",
       r.bad, r.path);
}

/* ---------------------------------------------------------- tampering */

/* Every internal variable of the built case, changed by 1 in turn, makes
 * the system unsatisfied inside scope; restored, satisfied again. */
static void tamper_all(bcase *g, const char *what)
{
    zk_cs *cs;
    result r = run_case(g, &cs);
    if (r.sat != ZK_OK)
        bail_out("tamper_all: %s not satisfied", what);
    size_t first = 1 + zk_cs_n_public(cs) + zk_cs_n_prv_in(cs);
    size_t nv = zk_cs_n_vars(cs), caught = 0, total = 0;
    int in_scope = 1;
    char path[256];
    zk_fr one;
    zk_fr_one(&one);
    for (uint32_t id = 1; id < nv; id++) {
        zk_var v = {id};
        if (zk_cs_wire(cs, v) < first)
            continue; /* inputs */
        total++;
        zk_fr old, t;
        zk_cs_val(&old, cs, v);
        zk_fr_add(&t, &old, &one);
        zk_cs_set(cs, v, &t);
        size_t bad;
        if (zk_cs_is_satisfied(cs, &bad, path, sizeof path) == ZK_EVERIFY) {
            caught++;
            in_scope &= prefix(path, op_scope[g->op]);
        }
        zk_cs_set(cs, v, &old);
    }
    ok(caught == total && in_scope && total > 0 &&
           zk_cs_is_satisfied(cs, NULL, NULL, 0) == ZK_OK,
       "%s: each of the %zu internal variables + 1 is caught inside %s "
       "(%zu caught)", what, total, op_scope[g->op], caught);
    zk_cs_free(cs);
}

static void test_tamper(void)
{
    bcase g = {.op = OP_ADD};
    rand_point(&g.p);
    rand_point(&g.q);
    tamper_all(&g, "add");
    g.op = OP_DBL;
    tamper_all(&g, "dbl");
    g.op = OP_ON_CURVE_DBL;
    tamper_all(&g, "on_curve_dbl");
    g.op = OP_NOT_SMALL;
    tamper_all(&g, "assert_not_small_order");
    bcase m = {.op = OP_MUL_B8, .n = 253};
    rand_limbs(m.k, 253);
    tamper_all(&m, "mul_base8(253)");
    bcase v = {.op = OP_MUL, .n = 254};
    rand_point(&v.p);
    rand_limbs(v.k, 254);
    double t0 = now();
    tamper_all(&v, "mul(254)");
    diag("mul(254) tampering: %.2f s", now() - t0);
}

/* ------------------------------------------------ arena, errors, time */

static void test_arena_errors(void)
{
    /* Only the output's two LCs are left above the caller's mark. */
    static const int ops[] = {OP_ADD, OP_DBL, OP_ON_CURVE_DBL, OP_SELECT,
                              OP_MUL_B8, OP_MUL};
    int good = 1;
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
        zk_cs *cs = new_cs(ZK_CS_WITNESS);
        zk_bj p;
        rand_point(&p);
        zk_g_bj_pt a = alloc_pt(cs, &p), out;
        rand_point(&p);
        zk_g_bj_pt q = alloc_pt(cs, &p);
        zk_lc bits[40];
        for (int k = 0; k < 40; k++) {
            zk_fr b;
            zk_fr_set_u64(&b, (uint64_t)(k & 1));
            bits[k] = zk_lc_var(cs, zk_cs_alloc_prv_in(cs, &b));
        }
        size_t m = zk_cs_mark(cs);
        switch (ops[i]) {
        case OP_ADD: zk_g_bj_add(cs, &out, a, q); break;
        case OP_DBL: zk_g_bj_dbl(cs, &out, a); break;
        case OP_ON_CURVE_DBL: zk_g_bj_on_curve_dbl(cs, &out, a); break;
        case OP_SELECT: zk_g_bj_select(cs, &out, bits[1], a, q); break;
        case OP_MUL_B8: zk_g_bj_mul_base8(cs, &out, bits, 40); break;
        default: zk_g_bj_mul(cs, &out, bits, 40, a); break;
        }
        good &= zk_cs_err(cs) == ZK_OK &&
                zk_cs_mark(cs) == m + zk_lc_len(out.x) + zk_lc_len(out.y) &&
                out.x.off >= m && out.y.off >= m;
        zk_cs_free(cs);
    }
    ok(good, "arena: each gadget leaves only its output above the mark");

    zk_lc bits[300] = {0};
    zk_g_bj_pt p = {zk_lc_zero(), zk_lc_zero()}, out;
    struct {
        const char *what;
        int which;
        size_t n;
    } bad[] = {{"mul_base8 n = 0", 0, 0}, {"mul_base8 n = 255", 0, 255},
               {"mul n = 0", 1, 0}, {"mul n = 256", 1, 256},
               {"mul_base8 bits NULL", 2, 8}, {"mul bits NULL", 3, 8},
               {"add out NULL", 4, 0}, {"mul out NULL", 5, 8}};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        zk_cs *cs = new_cs(ZK_CS_WITNESS);
        out.x = (zk_lc){1, 1};
        switch (bad[i].which) {
        case 0: zk_g_bj_mul_base8(cs, &out, bits, bad[i].n); break;
        case 1: zk_g_bj_mul(cs, &out, bits, bad[i].n, p); break;
        case 2: zk_g_bj_mul_base8(cs, &out, NULL, bad[i].n); break;
        case 3: zk_g_bj_mul(cs, &out, NULL, bad[i].n, p); break;
        case 4: zk_g_bj_add(cs, NULL, p, p); out.x = zk_lc_zero(); break;
        default: zk_g_bj_mul(cs, NULL, bits, bad[i].n, p); out.x = zk_lc_zero(); break;
        }
        ok(zk_cs_err(cs) == ZK_EINVAL && zk_cs_n_constraints(cs) == 0 &&
               zk_lc_len(out.x) == 0,
           "%s: ZK_EINVAL (sticky), nothing built, empty output", bad[i].what);
        zk_cs_free(cs);
    }

    /* allocation failures: sticky ZK_ENOMEM, never a crash */
    bcase g = {.op = OP_MUL, .n = 254};
    rand_point(&g.p);
    rand_limbs(g.k, 254);
    int clean = 1;
    uint64_t k;
    for (k = 0; k < 1000; k++) {
        zk_cs *cs = new_cs(ZK_CS_WITNESS);
        zk_cs_test_fail_alloc(cs, k);
        int rc = build_case(cs, &g);
        zk_cs_free(cs);
        if (rc == ZK_OK)
            break;
        clean &= rc == ZK_ENOMEM;
    }
    ok(clean && k > 0 && k < 1000, "allocation failures in mul(254) (each of "
                                   "the %llu allocations): ZK_ENOMEM, sticky",
       (unsigned long long)k);
}

static void test_timing(void)
{
    static const char *names[] = {"SHAPE", "WITNESS", "WITNESS_ONLY"};
    bcase g = {.op = OP_MUL, .n = 254};
    rand_point(&g.p);
    rand_limbs(g.k, 254);
    bcase f = {.op = OP_MUL_B8, .n = 253};
    rand_limbs(f.k, 253);
    for (int mode = 0; mode < 3; mode++) {
        zk_cs *cs = new_cs((zk_cs_mode)mode);
        double t0 = now();
        (void)build_case(cs, &g);
        double t1 = now();
        zk_cs_free(cs);
        cs = new_cs((zk_cs_mode)mode);
        double t2 = now();
        (void)build_case(cs, &f);
        double t3 = now();
        zk_cs_free(cs);
        diag("%s: mul(254) %.2f ms, mul_base8(253) %.2f ms", names[mode],
             (t1 - t0) * 1e3, (t3 - t2) * 1e3);
    }
}

/* ----------------------------------------------- circomlib, recompiled */

static void test_circom(void)
{
    static const struct {
        const char *inc, *expr;
        int want;
    } t[] = {
        {"babyjub", "BabyAdd()", CIRCOM_BABYADD},
        {"babyjub", "BabyDbl()", CIRCOM_BABYDBL},
        {"babyjub", "BabyCheck()", CIRCOM_BABYCHECK},
        {"escalarmulfix",
         "EscalarMulFix(253, [5299619240641551281634865583518297030282874472190772894086521144482721001553, "
         "16950150798460657717958625567821834550301663161624707787222815936182638968203])",
         CIRCOM_MULFIX_253},
        {"escalarmulany", "EscalarMulAny(254)", CIRCOM_MULANY_254},
    };
    const size_t n = sizeof t / sizeof *t;
    const char *env = getenv("ZKPAR_CIRCOM_COUNTS");
    const char *nm = interop_dir("circom2/cli.js");
    if (!env || strcmp(env, "1") != 0 || !nm) {
        skip((int)n, "%s", !nm ? interop_why()
                               : "set ZKPAR_CIRCOM_COUNTS=1 to recompile "
                                 "circomlib's templates");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        char src[1024];
        snprintf(src, sizeof src,
                 "pragma circom 2.0.0;\ninclude \"circomlib/circuits/%s.circom\";\n"
                 "component main = %s;\n", t[i].inc, t[i].expr);
        put_file(tpath("g.circom"), (const uint8_t *)src, strlen(src));
        int st = sh_run("circom.log",
                        "cd '%s/..' && node node_modules/circom2/cli.js '%s' "
                        "--r1cs --O2 -o '%s' -l node_modules",
                        nm, tpath("g.circom"), g_dir);
        char *log = read_text(tpath("circom.log"));
        if (st != 0)
            diag_file("circom.log", 2000);
        const char *p = strstr(log, "non-linear constraints:");
        const char *q = strstr(log, "\nlinear constraints:");
        int got = p && q ? atoi(p + 23) + atoi(q + 20) : -1;
        ok(st == 0 && got == t[i].want, "circom --O2 %s: %d constraints (recorded %d)",
           t[i].expr, got, t[i].want);
        free(log);
    }
    dir_clear();
}

int main(void)
{
    if (sodium_init() < 0)
        bail_out("sodium_init");
    testdir_make("zkpar-gbabyjub");
    double t0 = now();
    test_add();
    test_dbl_curve();
    test_neg_select_small();
    test_mul_base8();
    test_mul();
    test_tamper();
    test_arena_errors();
    test_timing();
    test_circom();
    diag("total %.2f s", now() - t0);
    dir_clear();
    testdir_remove();
    return done_testing();
}
