/*
 * test_geddsa.c -- the EdDSA-Poseidon verifier gadget (lib/gadgets/eddsa)
 * against the native scheme (lib/sig/eddsa), circomlibjs and circomlib:
 *
 *  - random signatures from zk_eddsa_sign satisfy the circuit, SHAPE =
 *    WITNESS, the count is ZK_G_EDDSA_CONSTRAINTS (per scope as eddsa.h
 *    documents), and the native twin agrees; keys with a torsion
 *    component (A + T, T of order 2, 4, 8) verify; a constant enabled
 *    (1: always on, 0: always off) works and a constant 2 is ZK_EINVAL;
 *  - rejections, each at the scope of the check that catches it: S + 1,
 *    S + l and S = l (non-canonical), a random S, msg + 1, R8 changed or
 *    negated, R8 off the curve, A off the curve, another key, each of the
 *    8 small-order keys with the forged R8 = [S] Base8 (the equation
 *    holds; only the small-order check refuses), enabled = 2, enabled = 1
 *    with garbage; enabled = 0 with garbage of every kind is satisfied;
 *    the native twin agrees with the circuit on every case;
 *  - cheating provers: every internal variable + 1 is caught; a prover
 *    that recomputes every variable from its defining constraint (after
 *    randomizing them all) gets back the honest witness for a valid
 *    signature and an unsatisfied system for an invalid one; an attacker
 *    who knows A's secret scalar, signs msg and claims msg + 1 with the
 *    challenge bits of msg pinned fails at the challenge decomposition;
 *  - circomlibjs signPoseidon signatures verify in-circuit (node and
 *    tests/interop; skipped cleanly without), and the exported
 *    .r1cs/.wtns pair passes `snarkjs wtns check`;
 *  - the count next to circomlib's EdDSAPoseidonVerifier (4217, circom
 *    2.2.3 --O2; ZKPAR_CIRCOM_COUNTS=1 recompiles it, about 4 s).
 */
#include <gmp.h>
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
#include "gadgets/eddsa.h"
#include "io/r1cs.h"
#include "r1cs/cs.h"
#include "sig/eddsa.h"
#include "tap.h"
#include "testfile.h"
#include "testnode.h"

/* circomlib 2.0.5's EdDSAPoseidonVerifier() compiled by circom 2.2.3 (the
 * pinned tests/interop/node_modules/circom2) with --O2 as the main
 * component: "non-linear constraints: 4217, linear constraints: 0". */
#define CIRCOM_EDDSA 4217

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

static void fr_add_u64(zk_fr *r, const zk_fr *a, uint64_t v)
{
    zk_fr t;
    zk_fr_set_u64(&t, v);
    zk_fr_add(r, a, &t);
}

static void fr_of_limbs(zk_fr *r, const uint64_t k[4])
{
    if (zk_fr_from_limbs(r, k) != ZK_OK)
        bail_out("fr_of_limbs: not below r");
}

static void limbs_add(uint64_t r[4], const uint64_t a[4], const uint64_t b[4])
{
    unsigned __int128 acc = 0;
    for (int i = 0; i < 4; i++) {
        acc += (unsigned __int128)a[i] + b[i];
        r[i] = (uint64_t)acc;
        acc >>= 64;
    }
}

/* ------------------------------------------------------------ the case */

typedef struct {
    zk_fr en, s, m;
    zk_bj a, r8;
    int en_const; /* enabled as a constant LC, not an input */
} ectx;

/* Public inputs enabled, Ax, Ay, M; private S, R8x, R8y. */
static int build_v(zk_cs *cs, void *ctx)
{
    ectx *c = ctx;
    zk_lc en = c->en_const ? zk_lc_const(cs, &c->en)
                           : zk_lc_var(cs, zk_cs_alloc_pub_in(cs, &c->en));
    zk_g_bj_pt a, r;
    a.x = zk_lc_var(cs, zk_cs_alloc_pub_in(cs, &c->a.x));
    a.y = zk_lc_var(cs, zk_cs_alloc_pub_in(cs, &c->a.y));
    zk_lc m = zk_lc_var(cs, zk_cs_alloc_pub_in(cs, &c->m));
    zk_lc s = zk_lc_var(cs, zk_cs_alloc_prv_in(cs, &c->s));
    r.x = zk_lc_var(cs, zk_cs_alloc_prv_in(cs, &c->r8.x));
    r.y = zk_lc_var(cs, zk_cs_alloc_prv_in(cs, &c->r8.y));
    return zk_g_eddsa_verify(cs, en, a, s, r, m);
}

typedef struct {
    int rc;       /* build */
    int sat;      /* zk_cs_is_satisfied */
    size_t bad;
    char path[256];
    size_t n;     /* constraints */
} vres;

static vres run(ectx *c, zk_cs **keep)
{
    vres r = {0};
    zk_cs *cs = new_cs(ZK_CS_WITNESS);
    r.rc = build_v(cs, c);
    r.bad = SIZE_MAX;
    r.sat = r.rc == ZK_OK ? zk_cs_is_satisfied(cs, &r.bad, r.path, sizeof r.path)
                          : r.rc;
    r.n = zk_cs_n_constraints(cs);
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

/* A fresh key and a signature of msg, or of a random message for msg
 * NULL (enabled = 1). */
static void sign_msg(ectx *c, uint8_t *sk, const zk_fr *msg)
{
    memset(c, 0, sizeof *c);
    zk_eddsa_sig sig;
    if (msg)
        c->m = *msg;
    else
        zk_fr_random(&c->m);
    if (zk_eddsa_keygen(sk) != ZK_OK || zk_eddsa_pubkey(&c->a, sk) != ZK_OK ||
        zk_eddsa_sign(&sig, sk, &c->m) != ZK_OK)
        bail_out("sign");
    c->r8 = sig.r8;
    fr_of_limbs(&c->s, sig.s);
    zk_fr_one(&c->en);
}

static void sign_random(ectx *c, uint8_t *sk)
{
    sign_msg(c, sk, NULL);
}

/*
 * A signature by hand, for a key A' = [a8 / 8] ... given as A' = [sa] Base8
 * + T: R8 = [r] Base8, hm = Poseidon(R8, A', msg), S = r + 8 hm sa mod l,
 * which verifies against A' whatever T (the equation multiplies A' by 8).
 */
static void sign_manual(ectx *c, const uint64_t sa[4], const zk_bj *t,
                        const zk_fr *msg, const uint64_t rs[4])
{
    memset(c, 0, sizeof *c);
    zk_bj_mul_base8(&c->a, sa);
    if (t)
        zk_bj_add(&c->a, &c->a, t);
    zk_bj_mul_base8(&c->r8, rs);
    c->m = *msg;
    zk_fr hm;
    if (zk_eddsa_challenge(&hm, &c->r8, &c->a, msg) != ZK_OK)
        bail_out("challenge");
    uint64_t h[4], h8[4], s[4], eight[4] = {8, 0, 0, 0}, zero[4] = {0};
    zk_fr_to_limbs(h, &hm);
    zk_bj_scalar_muladd(h8, h, eight, zero);
    zk_bj_scalar_muladd(s, h8, sa, rs);
    fr_of_limbs(&c->s, s);
    zk_fr_one(&c->en);
}

static void rand_scalar(uint64_t k[4])
{
    uint8_t b[64];
    randombytes_buf(b, sizeof b);
    if (zk_bj_scalar_from_bytes_reduce(k, b, sizeof b) != ZK_OK)
        bail_out("scalar");
}

static int native_ok(const ectx *c)
{
    return zk_g_eddsa_verify_native(&c->en, &c->a, &c->s, &c->r8, &c->m) == ZK_OK;
}

/* t[i] = [i] T8, the 8 points of order dividing 8. */
static void torsion(zk_bj t[8])
{
    zk_bj g, t8;
    zk_bj_generator(&g);
    zk_bj_mul_var(&t8, &g, L);
    zk_bj_identity(&t[0]);
    for (int i = 1; i < 8; i++)
        zk_bj_add(&t[i], &t[i - 1], &t8);
}

/* ----------------------------------------------------------- valid */

static void test_placeholder(void)
{
    uint8_t *sk = sodium_malloc(32);
    if (!sk)
        bail_out("sodium_malloc");
    memset(sk, 0, 32);
    zk_bj a, pa, pr;
    zk_fr m, ps, pm;
    zk_eddsa_sig sig;
    zk_fr_zero(&m);
    if (zk_eddsa_pubkey(&a, sk) != ZK_OK || zk_eddsa_sign(&sig, sk, &m) != ZK_OK)
        bail_out("sign");
    zk_g_eddsa_placeholder(&pa, &ps, &pr, &pm);
    uint64_t sl[4];
    zk_fr_to_limbs(sl, &ps);
    ok(zk_bj_eq(&a, &pa) && zk_bj_eq(&sig.r8, &pr) &&
           !memcmp(sl, sig.s, sizeof sl) && zk_fr_is_zero(&pm) &&
           zk_eddsa_verify(&pa, &pm, &sig) == ZK_OK,
       "the placeholder is the all-zero key's signature of 0, and valid");
    zk_g_eddsa_placeholder(NULL, NULL, NULL, NULL); /* NULLs are fine */
    sodium_free(sk);
}

/* Per-scope counts documented in eddsa.h. */
static const struct {
    const char *path;
    uint64_t n;
} SCOPES[] = {
    {"eddsa", 3375},           {"eddsa/enabled", 7},   {"eddsa/a", 6},
    {"eddsa/r8", 3},           {"eddsa/small_order", 6},
    {"eddsa/s_range", 364},    {"eddsa/poseidon", 321},
    {"eddsa/h_bits", 353},     {"eddsa/mul_a", 1805},
    {"eddsa/mul_b8", 504},     {"eddsa/equation", 6},
};

static void test_valid(uint8_t *sk)
{
    int sat = 1, modes = 1, cnt = 1, nat = 1;
    for (int i = 0; i < 4; i++) {
        ectx c;
        zk_fr zero;
        zk_fr_zero(&zero);
        sign_msg(&c, sk, i == 1 ? &zero : NULL);
        size_t diff;
        modes &= zk_cs_check_modes(build_v, &c, &diff) == ZK_OK;
        zk_cs *cs;
        vres r = run(&c, &cs);
        sat &= r.sat == ZK_OK;
        cnt &= r.n == ZK_G_EDDSA_CONSTRAINTS;
        nat &= native_ok(&c);
        if (i == 0) {
            zk_cs_scope_stat *st;
            size_t ns;
            if (zk_cs_scope_report(&st, &ns, cs) != ZK_OK)
                bail_out("scope report");
            int all = 1;
            for (size_t k = 0; k < sizeof SCOPES / sizeof *SCOPES; k++) {
                uint64_t got = UINT64_MAX;
                for (size_t j = 0; j < ns; j++)
                    if (!strcmp(st[j].path, SCOPES[k].path))
                        got = st[j].n_constraints_total;
                if (got != SCOPES[k].n) {
                    all = 0;
                    diag("%s: %llu constraints, documented %llu", SCOPES[k].path,
                         (unsigned long long)got, (unsigned long long)SCOPES[k].n);
                }
            }
            ok(all, "per-scope counts as documented (s_range 364, h_bits 353, "
                    "mul_a 1805, mul_b8 504, ...)");
            free(st);
        }
        zk_cs_free(cs);
    }
    ok(sat && nat, "4 random signatures (msg random, 0) satisfy the circuit; "
                   "the native twin accepts them");
    ok(modes, "SHAPE = WITNESS (zk_cs_check_modes)");
    ok(cnt, "%d constraints (circomlib EdDSAPoseidonVerifier: %d)",
       ZK_G_EDDSA_CONSTRAINTS, CIRCOM_EDDSA);
    ok(ZK_G_EDDSA_CONSTRAINTS < CIRCOM_EDDSA, "fewer than circomlib's, with "
                                              "the on-curve checks added");

    /* enabled as a constant */
    ectx c;
    sign_random(&c, sk);
    c.en_const = 1;
    vres r = run(&c, NULL);
    size_t diff;
    ok(r.sat == ZK_OK && r.n == ZK_G_EDDSA_CONSTRAINTS - 7 &&
           zk_cs_check_modes(build_v, &c, &diff) == ZK_OK,
       "enabled = constant 1: satisfied, %zu constraints (7 fewer)", r.n);
    zk_fr_zero(&c.en);
    zk_fr_random(&c.s);
    zk_fr_random(&c.a.x);
    zk_fr_random(&c.r8.y);
    r = run(&c, NULL);
    ok(r.sat == ZK_OK, "enabled = constant 0 with garbage: satisfied");
    zk_fr_set_u64(&c.en, 2);
    r = run(&c, NULL);
    ok(r.rc == ZK_EINVAL, "enabled = constant 2: ZK_EINVAL");

    /* WITNESS_ONLY gives the same witness */
    sign_random(&c, sk);
    zk_cs *w = new_cs(ZK_CS_WITNESS), *o = new_cs(ZK_CS_WITNESS_ONLY);
    if (build_v(w, &c) != ZK_OK || build_v(o, &c) != ZK_OK)
        bail_out("build");
    zk_fr *ww, *ow;
    size_t nw, no;
    if (zk_cs_witness(&ww, &nw, w) != ZK_OK || zk_cs_witness(&ow, &no, o) != ZK_OK)
        bail_out("witness");
    ok(nw == no && !memcmp(ww, ow, nw * sizeof *ww) &&
           zk_cs_n_constraints(o) == zk_cs_n_constraints(w),
       "WITNESS_ONLY: the same witness and count as WITNESS");
    free(ww);
    free(ow);
    zk_cs_free(w);
    zk_cs_free(o);
}

/* Keys with a torsion component verify signatures made with them hashed
 * in (the equation multiplies A by 8), as zk_eddsa_verify does; [4] A
 * then has a component of order 2 for T of order 8. */
static void test_torsion_keys(void)
{
    zk_bj t[8];
    torsion(t);
    int good = 1, nat = 1;
    for (int i = 1; i < 8; i++) {
        uint64_t sa[4], rs[4];
        rand_scalar(sa);
        rand_scalar(rs);
        zk_fr m;
        zk_fr_random(&m);
        ectx c;
        sign_manual(&c, sa, &t[i], &m, rs);
        vres r = run(&c, NULL);
        good &= r.sat == ZK_OK;
        nat &= native_ok(&c);
        if (r.sat != ZK_OK)
            diag("A + T%d: fails at %zu (%s)", i, r.bad, r.path);
    }
    ok(good && nat, "keys A + T for the 7 torsion points T != O: satisfied, "
                    "native accepts");
}

/* ----------------------------------------------------------- invalid */

typedef struct {
    const char *what;
    ectx c;
    const char *scope; /* expected first failing scope (prefix); NULL: ok */
} tcase;

static void check_case(const tcase *t)
{
    vres r = run((ectx *)&t->c, NULL);
    int nat = native_ok(&t->c);
    if (!t->scope) {
        ok(r.sat == ZK_OK && nat, "%s: satisfied, native accepts", t->what);
        return;
    }
    ok(r.sat == ZK_EVERIFY && prefix(r.path, t->scope) && !nat,
       "%s: rejected at %s (constraint %zu, %s); native rejects", t->what,
       t->scope, r.bad, r.path);
}

static void test_invalid(uint8_t *sk)
{
    ectx base, other;
    sign_random(&base, sk);
    sign_random(&other, sk);
    zk_fr one, lf;
    zk_fr_one(&one);
    fr_of_limbs(&lf, L);
    tcase t;

    t = (tcase){"S + 1", base, "eddsa/equation"};
    zk_fr_add(&t.c.s, &t.c.s, &one);
    check_case(&t);

    /* S + l: a signature whose S + l is still below 2^251 decomposes,
     * and the bound catches it; otherwise the decomposition does */
    t = (tcase){"S + l", base, "eddsa/s_range"};
    zk_fr_add(&t.c.s, &t.c.s, &lf);
    check_case(&t);
    {
        /* a signature with a small S, so S + l < 2^251 for sure */
        uint64_t sa[4], rs[4], s[4];
        zk_fr m;
        ectx c;
        int tries = 0;
        do {
            rand_scalar(sa);
            rand_scalar(rs);
            zk_fr_random(&m);
            sign_manual(&c, sa, NULL, &m, rs);
            zk_fr_to_limbs(s, &c.s);
            tries++;
        } while (s[3] >= 0x0100000000000000ull && tries < 1000);
        uint64_t sl[4];
        limbs_add(sl, s, L);
        t = (tcase){"S + l < 2^251 (decomposes; the bound rejects)", c,
                    "eddsa/s_range"};
        fr_of_limbs(&t.c.s, sl);
        check_case(&t);
    }
    t = (tcase){"S = l", base, "eddsa/s_range"};
    t.c.s = lf;
    check_case(&t);
    t = (tcase){"S - l (mod r: a huge S)", base, "eddsa/s_range"};
    zk_fr_sub(&t.c.s, &t.c.s, &lf);
    check_case(&t);
    /* a random S >= l (a random field element is below l 1 time in 8:
     * then the range check passes and the equation rejects it) */
    t = (tcase){"S random in [l, r)", base, "eddsa/s_range"};
    for (;;) {
        uint64_t sl[4];
        zk_fr_random(&t.c.s);
        zk_fr_to_limbs(sl, &t.c.s);
        if (!zk_bj_scalar_is_canonical(sl))
            break;
    }
    check_case(&t);
    t = (tcase){"S random below l", base, "eddsa/equation"};
    {
        uint64_t sl[4];
        rand_scalar(sl);
        fr_of_limbs(&t.c.s, sl);
    }
    check_case(&t);
    t = (tcase){"msg + 1", base, "eddsa/equation"};
    zk_fr_add(&t.c.m, &t.c.m, &one);
    check_case(&t);
    t = (tcase){"R8 -> 2 R8", base, "eddsa/equation"};
    zk_bj_dbl(&t.c.r8, &t.c.r8);
    check_case(&t);
    t = (tcase){"R8 -> -R8", base, "eddsa/equation"};
    zk_bj_neg(&t.c.r8, &t.c.r8);
    check_case(&t);
    t = (tcase){"R8 off the curve (y + 1)", base, "eddsa/r8"};
    zk_fr_add(&t.c.r8.y, &t.c.r8.y, &one);
    check_case(&t);
    t = (tcase){"A off the curve (x + 1)", base, "eddsa/a"};
    zk_fr_add(&t.c.a.x, &t.c.a.x, &one);
    check_case(&t);
    t = (tcase){"another key", base, "eddsa/equation"};
    t.c.a = other.a;
    check_case(&t);
    t = (tcase){"A -> -A", base, "eddsa/equation"};
    zk_bj_neg(&t.c.a, &t.c.a);
    check_case(&t);
    t = (tcase){"another signature's (R8, S)", base, "eddsa/equation"};
    t.c.r8 = other.r8;
    t.c.s = other.s;
    check_case(&t);
    t = (tcase){"enabled = 2", base, "eddsa/enabled"};
    zk_fr_set_u64(&t.c.en, 2);
    check_case(&t);
    t = (tcase){"enabled = -1", base, "eddsa/enabled"};
    zk_fr_neg(&t.c.en, &one);
    check_case(&t);

    /* small-order keys with R8 forged as [S] Base8: [8 hm] A = O, so the
     * equation holds for any S; only the small-order check refuses */
    zk_bj tt[8];
    torsion(tt);
    int eq_holds = 1, rej = 1, nat_rej = 1;
    for (int i = 0; i < 8; i++) {
        ectx c;
        uint64_t s[4];
        rand_scalar(s);
        fr_of_limbs(&c.s, s);
        zk_bj_mul_base8(&c.r8, s);
        c.a = tt[i];
        zk_fr_random(&c.m);
        zk_fr_one(&c.en);
        c.en_const = 0;
        /* natively: [S] B8 == R8 + [hm] [8] A (not reduced mod l: A is
         * outside the order-l subgroup) */
        zk_fr hm;
        if (zk_eddsa_challenge(&hm, &c.r8, &c.a, &c.m) != ZK_OK)
            bail_out("challenge");
        uint64_t h[4];
        zk_fr_to_limbs(h, &hm);
        zk_bj lhs, rhs, ha, a8;
        zk_bj_dbl(&a8, &c.a);
        zk_bj_dbl(&a8, &a8);
        zk_bj_dbl(&a8, &a8);
        zk_bj_mul_base8(&lhs, s);
        zk_bj_mul_var(&ha, &a8, h);
        zk_bj_add(&rhs, &c.r8, &ha);
        eq_holds &= zk_bj_eq(&lhs, &rhs);
        vres r = run(&c, NULL);
        rej &= r.sat == ZK_EVERIFY && prefix(r.path, "eddsa/small_order");
        if (!(r.sat == ZK_EVERIFY && prefix(r.path, "eddsa/small_order")))
            diag("small-order key %d: %d at %zu (%s)", i, r.sat, r.bad, r.path);
        nat_rej &= !native_ok(&c);
    }
    ok(eq_holds, "8 small-order keys (identity, order 2, 4, 8) with R8 = "
                 "[S] Base8: the equation [S] B8 = R8 + [8 hm] A holds");
    ok(rej && nat_rej, "... and every one is rejected at eddsa/small_order "
                       "(native: ZK_ENOTINGROUP)");

    /* garbage */
    int dis = 1, en = 1;
    for (int i = 0; i < 12; i++) {
        ectx c;
        sign_random(&c, sk);
        switch (i % 6) {
        case 0:
            zk_fr_random(&c.a.x);
            zk_fr_random(&c.a.y);
            zk_fr_random(&c.r8.x);
            zk_fr_random(&c.r8.y);
            zk_fr_random(&c.s);
            break;
        case 1: zk_fr_add(&c.a.y, &c.a.y, &one); break;   /* off the curve */
        case 2: c.a = tt[i % 8]; break;                   /* small order */
        case 3: zk_fr_neg(&c.s, &one); break;             /* S = r - 1 */
        case 4: zk_fr_zero(&c.a.x); zk_fr_zero(&c.a.y); zk_fr_zero(&c.r8.x);
                zk_fr_zero(&c.r8.y); zk_fr_zero(&c.s); break;  /* all zero */
        default: zk_fr_add(&c.m, &c.m, &one); break;      /* wrong msg */
        }
        zk_fr_zero(&c.en);
        vres r = run(&c, NULL);
        dis &= r.sat == ZK_OK && native_ok(&c);
        zk_fr_one(&c.en);
        r = run(&c, NULL);
        en &= r.sat == ZK_EVERIFY && !native_ok(&c);
    }
    ok(dis, "enabled = 0 with 12 garbage inputs (random, off-curve, small "
            "order, S = r - 1, all zero, wrong msg): satisfied");
    ok(en, "enabled = 1 with the same garbage: rejected");
}

/* ------------------------------------------------- cheating provers */

/* Every internal variable + 1 (every 3rd one: the rest is the same code)
 * breaks the system. */
static void test_tamper(uint8_t *sk)
{
    ectx c;
    sign_random(&c, sk);
    zk_cs *cs;
    vres r = run(&c, &cs);
    if (r.sat != ZK_OK)
        bail_out("tamper: not satisfied");
    size_t first = 1 + zk_cs_n_public(cs) + zk_cs_n_prv_in(cs);
    size_t nv = zk_cs_n_vars(cs), total = 0, caught = 0;
    zk_fr one;
    zk_fr_one(&one);
    double t0 = now();
    for (uint32_t id = 1; id < nv; id++) {
        zk_var v = {id};
        if (zk_cs_wire(cs, v) < first || id % 3 != 0)
            continue;
        total++;
        zk_fr old, t;
        zk_cs_val(&old, cs, v);
        zk_fr_add(&t, &old, &one);
        zk_cs_set(cs, v, &t);
        caught += zk_cs_is_satisfied(cs, NULL, NULL, 0) == ZK_EVERIFY;
        zk_cs_set(cs, v, &old);
    }
    ok(total > 1000 && caught == total,
       "%zu of the internal variables (every 3rd) + 1: all caught", total);
    diag("tampering: %.2f s", now() - t0);
    zk_cs_free(cs);
}

/*
 * A prover that recomputes every internal variable from the constraint
 * where it first appears, in constraint order: when it is the only new
 * variable there and appears linearly (in C, or in A or B alone), solve
 * for it.  Variables that cannot be solved so (decomposition bits) and
 * pinned ones keep their values.
 */
typedef struct {
    zk_r1cs *r;
    uint32_t *var_of;  /* wire -> variable id */
    uint32_t *first;   /* wire -> first constraint using it */
    size_t nw, first_internal;
} solver;

static void solver_init(solver *s, const zk_cs *cs)
{
    if (zk_cs_to_r1cs(&s->r, cs) != ZK_OK)
        bail_out("zk_cs_to_r1cs");
    s->nw = zk_cs_n_vars(cs);
    s->var_of = malloc(s->nw * sizeof *s->var_of);
    s->first = malloc(s->nw * sizeof *s->first);
    if (!s->var_of || !s->first)
        bail_out("malloc");
    for (uint32_t id = 0; id < s->nw; id++)
        s->var_of[zk_cs_wire(cs, (zk_var){id})] = id;
    for (size_t w = 0; w < s->nw; w++)
        s->first[w] = UINT32_MAX;
    s->first_internal = 1 + zk_cs_n_public(cs) + zk_cs_n_prv_in(cs);
    for (uint32_t i = 0; i < zk_r1cs_n_constraints(s->r); i++)
        for (int k = 0; k < 3; k++) {
            size_t n;
            const zk_r1cs_term *t = zk_r1cs_lc(s->r, i, k, &n);
            for (size_t j = 0; j < n; j++)
                if (s->first[t[j].wire] == UINT32_MAX)
                    s->first[t[j].wire] = i;
        }
}

static void solver_free(solver *s)
{
    zk_r1cs_free(s->r);
    free(s->var_of);
    free(s->first);
}

/* <lc, w> without wire skip; *coef = skip's coefficient (0 if absent). */
static void lc_eval_skip(zk_fr *out, zk_fr *coef, const solver *s,
                         const zk_cs *cs, uint32_t i, int k, uint32_t skip)
{
    size_t n;
    const zk_r1cs_term *t = zk_r1cs_lc(s->r, i, k, &n);
    zk_fr_zero(out);
    zk_fr_zero(coef);
    for (size_t j = 0; j < n; j++) {
        if (t[j].wire == skip) {
            zk_fr_add(coef, coef, &t[j].coeff);
            continue;
        }
        zk_fr v, p;
        zk_cs_val(&v, cs, (zk_var){s->var_of[t[j].wire]});
        zk_fr_mul(&p, &v, &t[j].coeff);
        zk_fr_add(out, out, &p);
    }
}

/* The wire constraint i can define, or UINT32_MAX. */
static uint32_t defined_by(const solver *s, uint32_t i, const uint8_t *pinned)
{
    uint32_t w = UINT32_MAX;
    for (int k = 0; k < 3; k++) {
        size_t n;
        const zk_r1cs_term *t = zk_r1cs_lc(s->r, i, k, &n);
        for (size_t j = 0; j < n; j++) {
            uint32_t x = t[j].wire;
            if (x < s->first_internal || s->first[x] != i || (pinned && pinned[x]))
                continue;
            if (w != UINT32_MAX && w != x)
                return UINT32_MAX; /* two new variables */
            w = x;
        }
    }
    return w;
}

/* Solve constraint i for w if w is linear in it; 1 when solved. */
static int solve_one(const solver *s, zk_cs *cs, uint32_t i, uint32_t w,
                     int apply)
{
    zk_fr a, b, c, ca, cb, cc;
    lc_eval_skip(&a, &ca, s, cs, i, 0, w);
    lc_eval_skip(&b, &cb, s, cs, i, 1, w);
    lc_eval_skip(&c, &cc, s, cs, i, 2, w);
    int in_a = !zk_fr_is_zero(&ca), in_b = !zk_fr_is_zero(&cb),
        in_c = !zk_fr_is_zero(&cc);
    zk_fr val, t, inv;
    if (in_c && !in_a && !in_b) {           /* a b = c + cc w */
        zk_fr_mul(&t, &a, &b);
        zk_fr_sub(&t, &t, &c);
        if (zk_fr_inv(&inv, &cc) != ZK_OK)
            return 0;
        zk_fr_mul(&val, &t, &inv);
    } else if (in_a + in_b == 1 && !in_c) { /* (x + cx w) y = c */
        const zk_fr *x = in_a ? &a : &b, *y = in_a ? &b : &a;
        const zk_fr *cx = in_a ? &ca : &cb;
        if (zk_fr_inv(&inv, y) != ZK_OK)
            return 0;
        zk_fr_mul(&t, &c, &inv);
        zk_fr_sub(&t, &t, x);
        if (zk_fr_inv(&inv, cx) != ZK_OK)
            return 0;
        zk_fr_mul(&val, &t, &inv);
    } else {
        return 0;
    }
    if (apply)
        zk_cs_set(cs, (zk_var){s->var_of[w]}, &val);
    return 1;
}

/* Randomize (if asked) then recompute every solvable variable. */
static size_t resolve(const solver *s, zk_cs *cs, const uint8_t *pinned,
                      int randomize)
{
    uint32_t m = zk_r1cs_n_constraints(s->r);
    if (randomize)
        for (uint32_t i = 0; i < m; i++) {
            uint32_t w = defined_by(s, i, pinned);
            if (w != UINT32_MAX && solve_one(s, cs, i, w, 0)) {
                zk_fr rv;
                zk_fr_random(&rv);
                zk_cs_set(cs, (zk_var){s->var_of[w]}, &rv);
            }
        }
    size_t solved = 0;
    for (uint32_t i = 0; i < m; i++) {
        uint32_t w = defined_by(s, i, pinned);
        if (w != UINT32_MAX)
            solved += (size_t)solve_one(s, cs, i, w, 1);
    }
    return solved;
}

static void test_cheating(uint8_t *sk)
{
    /* (a) a valid signature: randomize, recompute -> the honest witness */
    ectx c;
    sign_random(&c, sk);
    zk_cs *cs;
    vres r = run(&c, &cs);
    zk_fr *honest, *again;
    size_t n1, n2;
    if (r.sat != ZK_OK || zk_cs_witness(&honest, &n1, cs) != ZK_OK)
        bail_out("cheating: honest witness");
    solver s;
    solver_init(&s, cs);
    size_t solved = resolve(&s, cs, NULL, 1);
    if (zk_cs_witness(&again, &n2, cs) != ZK_OK)
        bail_out("witness");
    ok(solved > 2800 && n1 == n2 && !memcmp(honest, again, n1 * sizeof *honest) &&
           zk_cs_is_satisfied(cs, NULL, NULL, 0) == ZK_OK,
       "valid signature: %zu variables randomized and recomputed from their "
       "defining constraints give back the honest witness (they are "
       "determined)", solved);
    free(honest);
    free(again);
    solver_free(&s);
    zk_cs_free(cs);

    /* (b) invalid signatures: the same prover cannot satisfy them */
    static const char *const what[] = {"msg + 1", "S + 1", "another key's A"};
    ectx other;
    sign_random(&other, sk);
    for (int k = 0; k < 3; k++) {
        ectx b = c;
        if (k == 0)
            fr_add_u64(&b.m, &b.m, 1);
        else if (k == 1)
            fr_add_u64(&b.s, &b.s, 1);
        else
            b.a = other.a;
        run(&b, &cs);
        solver_init(&s, cs);
        (void)resolve(&s, cs, NULL, 1);
        size_t bad = 0;
        char path[256];
        int rc = zk_cs_is_satisfied(cs, &bad, path, sizeof path);
        ok(rc == ZK_EVERIFY && prefix(path, "eddsa/equation"),
           "%s: randomized and recomputed, still rejected at %s", what[k], path);
        solver_free(&s);
        zk_cs_free(cs);
    }

    /* (c) an attacker who knows A's scalar signs msg, claims msg + 1, and
     * pins the challenge bits of msg (with which the equation holds) */
    uint64_t sa[4], rs[4];
    rand_scalar(sa);
    rand_scalar(rs);
    zk_fr m;
    zk_fr_random(&m);
    ectx g;
    sign_manual(&g, sa, NULL, &m, rs);
    zk_fr hm;
    if (zk_eddsa_challenge(&hm, &g.r8, &g.a, &g.m) != ZK_OK)
        bail_out("challenge");
    fr_add_u64(&g.m, &g.m, 1);
    run(&g, &cs);
    /* the h_bits variables: after the inputs and the scopes before it */
    zk_cs_scope_stat *st;
    size_t ns;
    if (zk_cs_scope_report(&st, &ns, cs) != ZK_OK)
        bail_out("scope report");
    uint64_t before = 0;
    static const char *const prev[] = {"eddsa/enabled", "eddsa/a", "eddsa/r8",
                                       "eddsa/small_order", "eddsa/s_range",
                                       "eddsa/poseidon"};
    for (size_t k = 0; k < ns; k++)
        for (size_t j = 0; j < sizeof prev / sizeof *prev; j++)
            if (!strcmp(st[k].path, prev[j]))
                before += st[k].n_vars_total;
    free(st);
    uint32_t first_bit = (uint32_t)(1 + 7 + before); /* bit 1 of hm */
    solver_init(&s, cs);
    uint8_t *pinned = calloc(s.nw, 1);
    if (!pinned)
        bail_out("calloc");
    uint64_t hl[4];
    zk_fr_to_limbs(hl, &hm);
    for (uint32_t i = 1; i < 254; i++) {
        zk_var v = {first_bit + i - 1};
        zk_fr b;
        zk_fr_set_u64(&b, (hl[i / 64] >> (i % 64)) & 1);
        zk_cs_set(cs, v, &b);
        pinned[zk_cs_wire(cs, v)] = 1;
    }
    (void)resolve(&s, cs, pinned, 0);
    size_t bad = 0;
    char path[256];
    int rc = zk_cs_is_satisfied(cs, &bad, path, sizeof path);
    ok(rc == ZK_EVERIFY && prefix(path, "eddsa/h_bits"),
       "own key, msg + 1 claimed with msg's challenge bits pinned and every "
       "other variable recomputed: rejected at %s (constraint %zu)", path, bad);
    free(pinned);
    solver_free(&s);
    zk_cs_free(cs);
}

/* ------------------------------------------------------------ interop */

/* S prvhex msg -> ax ay r8x r8y S (prv2pub, signPoseidon) */
static const char NODE_SCRIPT[] =
    "import {buildEddsa} from '%s/circomlibjs/main.js';\n"
    "import {readFileSync} from 'fs';\n"
    "const ed = await buildEddsa();\n"
    "const F = ed.babyJub.F;\n"
    "const out = [];\n"
    "for (const line of readFileSync(process.argv[2], 'utf8').split('\\n')) {\n"
    "  const w = line.split(' ');\n"
    "  if (w[0] !== 'S') continue;\n"
    "  const prv = Buffer.from(w[1], 'hex');\n"
    "  const A = ed.prv2pub(prv);\n"
    "  const sig = ed.signPoseidon(prv, F.e(w[2]));\n"
    "  out.push([F.toString(A[0]), F.toString(A[1]), F.toString(sig.R8[0]),\n"
    "    F.toString(sig.R8[1]), sig.S.toString()].join(' '));\n"
    "}\n"
    "console.log(out.join('\\n'));\n"
    "process.exit(0);\n";

#define N_JS 4

static void test_circomlibjs(void)
{
    const char *nm = interop_dir("circomlibjs/main.js");
    if (!nm) {
        skip(3, "%s", interop_why());
        return;
    }
    buf_t in = {0};
    zk_fr msg[N_JS];
    for (int i = 0; i < N_JS; i++) {
        uint8_t k[32];
        char hx[65], d[ZK_FR_DEC_MAX];
        randombytes_buf(k, sizeof k);
        for (int j = 0; j < 32; j++)
            sprintf(hx + 2 * j, "%02x", k[j]);
        zk_fr_random(&msg[i]);
        zk_fr_to_dec(d, &msg[i]);
        bput(&in, "S ", 2);
        bput(&in, hx, 64);
        bput(&in, " ", 1);
        bput(&in, d, strlen(d));
        bput(&in, "\n", 1);
        sodium_memzero(k, sizeof k);
    }
    put_file(tpath("ed.in"), in.b, in.n);
    bfree(&in);
    int st = node_mjs("ed", "ed.in", NODE_SCRIPT, nm);
    char *outs = st == 0 ? read_text(tpath("ed.out")) : NULL;
    if (!outs) {
        diag("node failed (exit %d)", st);
        diag_file("ed.err", 2000);
    }
    int parsed = 1, sat = 1, rej = 1;
    char *save = NULL, *line = outs ? strtok_r(outs, "\n", &save) : NULL;
    for (int i = 0; i < N_JS; i++, line = line ? strtok_r(NULL, "\n", &save) : NULL) {
        char *w[5] = {0}, *s2 = NULL;
        char *tok = line ? strtok_r(line, " ", &s2) : NULL;
        for (int j = 0; j < 5 && tok; j++, tok = strtok_r(NULL, " ", &s2))
            w[j] = tok;
        ectx c;
        memset(&c, 0, sizeof c);
        int good = w[4] && zk_fr_from_dec(&c.a.x, w[0]) == ZK_OK &&
                   zk_fr_from_dec(&c.a.y, w[1]) == ZK_OK &&
                   zk_fr_from_dec(&c.r8.x, w[2]) == ZK_OK &&
                   zk_fr_from_dec(&c.r8.y, w[3]) == ZK_OK &&
                   zk_fr_from_dec(&c.s, w[4]) == ZK_OK;
        parsed &= good;
        if (!good)
            continue;
        c.m = msg[i];
        zk_fr_one(&c.en);
        vres r = run(&c, NULL);
        sat &= r.sat == ZK_OK && native_ok(&c);
        zk_fr lf;
        fr_of_limbs(&lf, L);
        zk_fr_add(&c.s, &c.s, &lf);
        r = run(&c, NULL);
        rej &= r.sat == ZK_EVERIFY && prefix(r.path, "eddsa/s_range");
    }
    ok(outs && parsed, "circomlibjs prv2pub + signPoseidon output parsed "
                       "(%d signatures)", N_JS);
    ok(outs && parsed && sat, "circomlibjs signPoseidon signatures satisfy "
                              "the circuit (and the native twin)");
    ok(outs && parsed && rej, "... and with S + l they are rejected at "
                              "eddsa/s_range");
    free(outs);
    dir_clear();
}

static void test_snarkjs(uint8_t *sk)
{
    const char *nm = interop_dir("snarkjs/cli.js");
    if (!nm) {
        skip(1, "%s", interop_why());
        return;
    }
    ectx c;
    sign_random(&c, sk);
    zk_cs *cs;
    vres r = run(&c, &cs);
    if (r.sat != ZK_OK || zk_cs_write_r1cs(tpath("e.r1cs"), cs) != ZK_OK ||
        zk_cs_write_wtns(tpath("e.wtns"), cs) != ZK_OK)
        bail_out("export");
    int st = sh_run("check.log", "node '%s/snarkjs/cli.js' wtns check e.r1cs e.wtns",
                    nm);
    char *t = read_text(tpath("check.log"));
    ok(st == 0 && strstr(t, "WITNESS IS CORRECT"),
       "snarkjs wtns check accepts the exported verifier's .r1cs/.wtns");
    if (st != 0)
        diag_file("check.log", 2000);
    free(t);
    zk_cs_free(cs);
    dir_clear();
}

static void test_circom(void)
{
    const char *env = getenv("ZKPAR_CIRCOM_COUNTS");
    const char *nm = interop_dir("circom2/cli.js");
    if (!env || strcmp(env, "1") != 0 || !nm) {
        skip(1, "%s", !nm ? interop_why()
                          : "set ZKPAR_CIRCOM_COUNTS=1 to recompile "
                            "EdDSAPoseidonVerifier");
        return;
    }
    const char *src = "pragma circom 2.0.0;\n"
                      "include \"circomlib/circuits/eddsaposeidon.circom\";\n"
                      "component main = EdDSAPoseidonVerifier();\n";
    put_file(tpath("e.circom"), (const uint8_t *)src, strlen(src));
    int st = sh_run("circom.log",
                    "cd '%s/..' && node node_modules/circom2/cli.js '%s' "
                    "--r1cs --O2 -o '%s' -l node_modules",
                    nm, tpath("e.circom"), g_dir);
    char *log = read_text(tpath("circom.log"));
    const char *p = strstr(log, "non-linear constraints:");
    const char *q = strstr(log, "\nlinear constraints:");
    int got = p && q ? atoi(p + 23) + atoi(q + 20) : -1;
    ok(st == 0 && got == CIRCOM_EDDSA,
       "circom --O2 EdDSAPoseidonVerifier(): %d constraints (recorded %d; "
       "ours %d)", got, CIRCOM_EDDSA, ZK_G_EDDSA_CONSTRAINTS);
    if (st != 0)
        diag_file("circom.log", 2000);
    free(log);
    dir_clear();
}

/* ------------------------------------------------------ errors, time */

static void test_errors_timing(uint8_t *sk)
{
    ectx c;
    sign_random(&c, sk);
    int clean = 1;
    uint64_t k;
    for (k = 0; k < 1000; k++) {
        zk_cs *cs = new_cs(ZK_CS_WITNESS);
        zk_cs_test_fail_alloc(cs, k);
        int rc = build_v(cs, &c);
        zk_cs_free(cs);
        if (rc == ZK_OK)
            break;
        clean &= rc == ZK_ENOMEM;
    }
    ok(clean && k > 0 && k < 1000, "allocation failures (each of the %llu "
                                   "allocations): ZK_ENOMEM, sticky",
       (unsigned long long)k);
    ok(zk_g_eddsa_verify_native(NULL, &c.a, &c.s, &c.r8, &c.m) == ZK_EINVAL,
       "native twin: NULL is ZK_EINVAL");

    static const char *names[] = {"SHAPE", "WITNESS", "WITNESS_ONLY"};
    for (int mode = 0; mode < 3; mode++) {
        const int N = 5;
        double t0 = now();
        for (int i = 0; i < N; i++) {
            zk_cs *cs = new_cs((zk_cs_mode)mode);
            (void)build_v(cs, &c);
            zk_cs_free(cs);
        }
        diag("verifier build, %s: %.2f ms", names[mode], (now() - t0) / N * 1e3);
    }
    double t0 = now();
    for (int i = 0; i < 20; i++)
        (void)native_ok(&c);
    diag("native twin: %.2f ms", (now() - t0) / 20 * 1e3);
}

int main(void)
{
    if (sodium_init() < 0)
        bail_out("sodium_init");
    testdir_make("zkpar-geddsa");
    uint8_t *sk = sodium_malloc(32);
    if (!sk)
        bail_out("sodium_malloc");
    double t0 = now();
    test_placeholder();
    test_valid(sk);
    test_torsion_keys();
    test_invalid(sk);
    test_tamper(sk);
    test_cheating(sk);
    test_circomlibjs();
    test_snarkjs(sk);
    test_circom();
    test_errors_timing(sk);
    diag("total %.2f s", now() - t0);
    sodium_free(sk);
    dir_clear();
    testdir_remove();
    return done_testing();
}
