/*
 * gen_constants.c -- derive every BN254 constant libzkpar uses, with GMP.
 *
 * Run as `gen_constants > lib/field/constants.h`.  The committed header is
 * this program's output; tests/unit/test_constants re-runs it and compares
 * byte for byte, so a constant can only change together with its derivation.
 *
 * BN254 (alt_bn128) is the BN curve with parameter z = 4965661367192848881:
 *   p = 36z^4 + 36z^3 + 24z^2 + 6z + 1,   r = 36z^4 + 36z^3 + 18z^2 + 6z + 1,
 *   E : y^2 = x^3 + 3 over Fp,  E' : y^2 = x^3 + 3/xi over Fp2 (D-type twist),
 *   Fp2 = Fp[u]/(u^2 + 1), Fp6 = Fp2[v]/(v^3 - xi), Fp12 = Fp6[w]/(w^2 - v),
 *   xi = 9 + u.  (EIP-196/197; the tower is the one used by libff,
 *   go-ethereum, snarkjs/ffjavascript and @noble/curves.)
 * Every value below is computed from z alone, then checked (primality,
 * residuosity, group orders) before it is printed.
 */
#include <assert.h>
#include <gmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static mpz_t P, R, Z, W; /* W = 2^256 */

/* ---- printing -------------------------------------------------------- */

static void limbs(uint64_t out[4], const mpz_t x)
{
    mpz_t t;
    mpz_init_set(t, x);
    assert(mpz_sgn(t) >= 0 && mpz_sizeinbase(t, 2) <= 256);
    for (int i = 0; i < 4; i++) {
        out[i] = mpz_get_ui(t); /* unsigned long is 64-bit (checked in main) */
        mpz_tdiv_q_2exp(t, t, 64);
    }
    mpz_clear(t);
}

static void print_init(const char *name, const mpz_t x, const char *comment)
{
    uint64_t l[4];
    limbs(l, x);
    if (comment)
        printf("/* %s */\n", comment);
    printf("#define %s { \\\n    0x%016llxULL, 0x%016llxULL, \\\n"
           "    0x%016llxULL, 0x%016llxULL }\n",
           name, (unsigned long long)l[0], (unsigned long long)l[1],
           (unsigned long long)l[2], (unsigned long long)l[3]);
}

/* x in Montgomery form modulo m: x * 2^256 mod m */
static void print_mont(const char *name, const mpz_t x, const mpz_t m,
                       const char *comment)
{
    mpz_t t;
    mpz_init(t);
    mpz_mul(t, x, W);
    mpz_mod(t, t, m);
    print_init(name, t, comment);
    mpz_clear(t);
}

/* ---- Fp2 over mpz, just enough for the constants ---------------------- */

typedef struct { mpz_t a, b; } f2; /* a + b*u, u^2 = -1 */

static void f2_init(f2 *x) { mpz_init(x->a); mpz_init(x->b); }
static void f2_clear(f2 *x) { mpz_clear(x->a); mpz_clear(x->b); }
static void f2_set_ui(f2 *x, unsigned long a, unsigned long b)
{
    mpz_set_ui(x->a, a);
    mpz_set_ui(x->b, b);
}

static void f2_mul(f2 *r, const f2 *x, const f2 *y)
{
    mpz_t t0, t1, t2;
    mpz_inits(t0, t1, t2, NULL);
    mpz_mul(t0, x->a, y->a);
    mpz_mul(t1, x->b, y->b);
    mpz_sub(t2, t0, t1);
    mpz_mul(t0, x->a, y->b);
    mpz_addmul(t0, x->b, y->a);
    mpz_mod(r->a, t2, P);
    mpz_mod(r->b, t0, P);
    mpz_clears(t0, t1, t2, NULL);
}

static void f2_pow(f2 *r, const f2 *x, const mpz_t e)
{
    f2 acc, base;
    f2_init(&acc);
    f2_init(&base);
    f2_set_ui(&acc, 1, 0);
    mpz_set(base.a, x->a);
    mpz_set(base.b, x->b);
    for (long i = (long)mpz_sizeinbase(e, 2) - 1; i >= 0; i--) {
        f2_mul(&acc, &acc, &acc);
        if (mpz_tstbit(e, (mp_bitcnt_t)i))
            f2_mul(&acc, &acc, &base);
    }
    mpz_set(r->a, acc.a);
    mpz_set(r->b, acc.b);
    f2_clear(&acc);
    f2_clear(&base);
}

static void f2_inv(f2 *r, const f2 *x)
{
    mpz_t n;
    mpz_init(n);
    mpz_mul(n, x->a, x->a);
    mpz_addmul(n, x->b, x->b);
    mpz_mod(n, n, P);
    int ok = mpz_invert(n, n, P);
    assert(ok);
    mpz_mul(r->a, x->a, n);
    mpz_mod(r->a, r->a, P);
    mpz_mul(r->b, x->b, n);
    mpz_neg(r->b, r->b);
    mpz_mod(r->b, r->b, P);
    mpz_clear(n);
}

static void print_mont2(const char *name, const f2 *x, const char *comment)
{
    char n0[96], n1[96];
    snprintf(n0, sizeof n0, "%s_C0", name);
    snprintf(n1, sizeof n1, "%s_C1", name);
    print_mont(n0, x->a, P, comment);
    print_mont(n1, x->b, P, NULL);
}

/* ---- affine E(Fp) arithmetic over mpz, for the GLV check -------------- */

typedef struct { mpz_t x, y; int inf; } pt;

static void pt_add(pt *r, const pt *a, const pt *b)
{
    if (a->inf) { mpz_set(r->x, b->x); mpz_set(r->y, b->y); r->inf = b->inf; return; }
    if (b->inf) { mpz_set(r->x, a->x); mpz_set(r->y, a->y); r->inf = a->inf; return; }
    mpz_t l, t, x3;
    mpz_inits(l, t, x3, NULL);
    if (mpz_cmp(a->x, b->x) == 0) {
        mpz_add(t, a->y, b->y);
        mpz_mod(t, t, P);
        if (mpz_sgn(t) == 0) {
            r->inf = 1;
            mpz_clears(l, t, x3, NULL);
            return;
        }
        mpz_mul(l, a->x, a->x);
        mpz_mul_ui(l, l, 3);
        mpz_mul_2exp(t, a->y, 1);
    } else {
        mpz_sub(l, b->y, a->y);
        mpz_sub(t, b->x, a->x);
    }
    mpz_mod(t, t, P);
    mpz_invert(t, t, P);
    mpz_mul(l, l, t);
    mpz_mod(l, l, P);
    mpz_mul(x3, l, l);
    mpz_sub(x3, x3, a->x);
    mpz_sub(x3, x3, b->x);
    mpz_mod(x3, x3, P);
    mpz_sub(t, a->x, x3);
    mpz_mul(t, t, l);
    mpz_sub(t, t, a->y);
    mpz_mod(r->y, t, P);
    mpz_set(r->x, x3);
    r->inf = 0;
    mpz_clears(l, t, x3, NULL);
}

static void pt_mul(pt *r, const pt *a, const mpz_t k)
{
    pt acc;
    mpz_inits(acc.x, acc.y, NULL);
    acc.inf = 1;
    for (long i = (long)mpz_sizeinbase(k, 2) - 1; i >= 0; i--) {
        pt_add(&acc, &acc, &acc);
        if (mpz_tstbit(k, (mp_bitcnt_t)i))
            pt_add(&acc, &acc, a);
    }
    mpz_set(r->x, acc.x);
    mpz_set(r->y, acc.y);
    r->inf = acc.inf;
    mpz_clears(acc.x, acc.y, NULL);
}

/* -m^{-1} mod 2^64 */
static void print_ninv(const char *name, const mpz_t m)
{
    mpz_t t, b;
    mpz_inits(t, b, NULL);
    mpz_setbit(b, 64);
    mpz_invert(t, m, b);
    mpz_sub(t, b, t);
    printf("#define %s 0x%016llxULL\n", name,
           (unsigned long long)mpz_get_ui(t));
    mpz_clears(t, b, NULL);
}

static void print_modulus(const char *pre, const mpz_t m, const char *what)
{
    char name[64], c[160];
    mpz_t t;
    mpz_init(t);
    snprintf(c, sizeof c, "%s", what);
    snprintf(name, sizeof name, "ZK_%s_MODULUS", pre);
    print_init(name, m, c);
    snprintf(name, sizeof name, "ZK_%s_NINV", pre);
    print_ninv(name, m);
    mpz_set_ui(t, 1);
    snprintf(name, sizeof name, "ZK_%s_ONE", pre);
    print_mont(name, t, m, "1 in Montgomery form (2^256 mod m)");
    mpz_mul(t, W, W);
    mpz_mod(t, t, m);
    snprintf(name, sizeof name, "ZK_%s_R2", pre);
    print_init(name, t, "2^512 mod m: to_mont(x) = mont_mul(x, R2)");
    mpz_mul(t, t, W);
    mpz_mod(t, t, m);
    snprintf(name, sizeof name, "ZK_%s_R3", pre);
    print_init(name, t, "2^768 mod m: mont_inv fix-up and iden3 coefficients");
    mpz_sub_ui(t, m, 2);
    snprintf(name, sizeof name, "ZK_%s_INV_EXP", pre);
    print_init(name, t, "m - 2 (Fermat inversion exponent)");
    mpz_sub_ui(t, m, 1);
    mpz_tdiv_q_2exp(t, t, 1);
    snprintf(name, sizeof name, "ZK_%s_HALF", pre);
    print_init(name, t, "(m - 1) / 2 (Euler criterion exponent)");
    mpz_clear(t);
}

int main(void)
{
    if (sizeof(unsigned long) != 8 || GMP_LIMB_BITS != 64) {
        fprintf(stderr, "gen_constants: needs 64-bit unsigned long and limbs\n");
        return 2;
    }
    mpz_inits(P, R, Z, W, NULL);
    mpz_setbit(W, 256);
    mpz_set_str(Z, "4965661367192848881", 10);

    /* p and r as polynomials in z */
    static const unsigned long cp[5] = {1, 6, 24, 36, 36}, cr[5] = {1, 6, 18, 36, 36};
    for (int i = 4; i >= 0; i--) {
        mpz_mul(P, P, Z);
        mpz_add_ui(P, P, cp[i]);
        mpz_mul(R, R, Z);
        mpz_add_ui(R, R, cr[i]);
    }
    assert(mpz_probab_prime_p(P, 50) && mpz_probab_prime_p(R, 50));
    assert(mpz_sizeinbase(P, 2) == 254 && mpz_sizeinbase(R, 2) == 254);

    printf("/*\n * constants.h -- GENERATED by lib/field/gen_constants.c; do not edit.\n"
           " * tests/unit/test_constants re-derives this file and compares it.\n"
           " * Limbs are little-endian 64-bit words.\n */\n"
           "#ifndef ZK_CONSTANTS_H\n#define ZK_CONSTANTS_H\n\n");
    printf("#define ZK_BN_Z 0x%016llxULL /* BN parameter z (u) */\n\n",
           (unsigned long long)mpz_get_ui(Z));

    print_modulus("FP", P, "p, the base field modulus");
    printf("\n");
    print_modulus("FR", R, "r, the scalar field modulus (group order)");
    printf("\n");

    mpz_t t, e, s;
    mpz_inits(t, e, s, NULL);

    /* Fp square root: p = 3 mod 4, sqrt(a) = a^((p+1)/4) */
    assert(mpz_fdiv_ui(P, 4) == 3);
    mpz_add_ui(t, P, 1);
    mpz_tdiv_q_2exp(t, t, 2);
    print_init("ZK_FP_SQRT_EXP", t, "(p + 1) / 4");

    /* Fr 2-adicity, odd part, and the 2^s-th root of unity nqr^t with nqr
     * the smallest quadratic non-residue (ffjavascript's choice, so NTT
     * domains agree with snarkjs). */
    mpz_sub_ui(t, R, 1);
    unsigned long s2 = mpz_scan1(t, 0);
    mpz_tdiv_q_2exp(t, t, s2);
    assert(s2 == 28);
    printf("#define ZK_FR_TWO_ADICITY %lu\n", s2);
    print_init("ZK_FR_ODD", t, "t: r - 1 = 2^28 * t, t odd");
    mpz_sub_ui(e, t, 1);
    mpz_tdiv_q_2exp(e, e, 1);
    print_init("ZK_FR_ODD_HALF", e, "(t - 1) / 2 (Tonelli-Shanks)");
    unsigned long nqr = 2;
    for (;; nqr++) {
        mpz_set_ui(s, nqr);
        if (mpz_legendre(s, R) == -1)
            break;
    }
    printf("#define ZK_FR_NQR %lu /* smallest non-residue mod r */\n", nqr);
    mpz_powm(s, s, t, R);
    print_mont("ZK_FR_ROOT_OF_UNITY", s, R, "nqr^t: primitive 2^28-th root of unity (Montgomery)");
    /* check the order is exactly 2^28 */
    mpz_set(e, s);
    for (unsigned long i = 0; i < s2 - 1; i++)
        mpz_powm_ui(e, e, 2, R);
    assert(mpz_cmp_ui(e, 1) != 0);
    mpz_powm_ui(e, e, 2, R);
    assert(mpz_cmp_ui(e, 1) == 0);
    printf("\n");

    /* Tower constants */
    f2 xi, g, b2, one;
    f2_init(&xi); f2_init(&g); f2_init(&b2); f2_init(&one);
    f2_set_ui(&xi, 9, 1);
    f2_set_ui(&one, 1, 0);
    /* twist coefficient b' = 3 / xi */
    f2_inv(&b2, &xi);
    mpz_mul_ui(b2.a, b2.a, 3); mpz_mod(b2.a, b2.a, P);
    mpz_mul_ui(b2.b, b2.b, 3); mpz_mod(b2.b, b2.b, P);
    print_mont2("ZK_TWIST_B", &b2, "b' = 3 / (9 + u), the twist's constant");

    /* Frobenius coefficients gamma_{k,i} = xi^(i (p^k - 1) / 6), k = 1, 2, 3,
     * i = 1..5: frob^k(w^i) = gamma_{k,i} w^i for w^6 = xi. */
    for (int k = 1; k <= 3; k++) {
        mpz_pow_ui(e, P, (unsigned long)k);
        mpz_sub_ui(e, e, 1);
        assert(mpz_divisible_ui_p(e, 6));
        mpz_divexact_ui(e, e, 6);
        for (int i = 1; i <= 5; i++) {
            char name[64], c[128];
            mpz_mul_ui(t, e, (unsigned long)i);
            f2_pow(&g, &xi, t);
            snprintf(name, sizeof name, "ZK_FROB%d_%d", k, i);
            snprintf(c, sizeof c, "xi^(%d (p^%d - 1) / 6)", i, k);
            print_mont2(name, &g, c);
        }
    }
    printf("\n");

    mpz_set_ui(t, 3);
    print_mont("ZK_G1_B", t, P, "b = 3, G1's curve constant");

    /* Generators */
    mpz_set_ui(t, 1);
    print_mont("ZK_G1_GEN_X", t, P, "G1 generator (1, 2)");
    mpz_set_ui(t, 2);
    print_mont("ZK_G1_GEN_Y", t, P, NULL);
    {
        f2 gx, gy, l, rr;
        f2_init(&gx); f2_init(&gy); f2_init(&l); f2_init(&rr);
        mpz_set_str(gx.a, "10857046999023057135944570762232829481370756359578518086990519993285655852781", 10);
        mpz_set_str(gx.b, "11559732032986387107991004021392285783925812861821192530917403151452391805634", 10);
        mpz_set_str(gy.a, "8495653923123431417604973247489272438418190587263600148770280649306958101930", 10);
        mpz_set_str(gy.b, "4082367875863433681332203403145435568316851327593401208105741076214120093531", 10);
        /* on E': y^2 = x^3 + b' */
        f2_mul(&l, &gy, &gy);
        f2_mul(&rr, &gx, &gx);
        f2_mul(&rr, &rr, &gx);
        mpz_add(rr.a, rr.a, b2.a); mpz_mod(rr.a, rr.a, P);
        mpz_add(rr.b, rr.b, b2.b); mpz_mod(rr.b, rr.b, P);
        assert(mpz_cmp(l.a, rr.a) == 0 && mpz_cmp(l.b, rr.b) == 0);
        print_mont2("ZK_G2_GEN_X", &gx, "G2 generator (EIP-197)");
        print_mont2("ZK_G2_GEN_Y", &gy, NULL);
        f2_clear(&gx); f2_clear(&gy); f2_clear(&l); f2_clear(&rr);
    }
    printf("\n");

    /* 6z^2 = p - r: psi acts on G2 as [p] = [6z^2] */
    mpz_mul(t, Z, Z);
    mpz_mul_ui(t, t, 6);
    mpz_sub(e, P, R);
    assert(mpz_cmp(t, e) == 0 && mpz_sizeinbase(t, 2) <= 128);
    {
        uint64_t l[4];
        limbs(l, t);
        printf("/* 6z^2 = p - r (two limbs): G2 membership test */\n"
               "#define ZK_G2_SIX_Z2 0x%016llxULL, 0x%016llxULL\n\n",
               (unsigned long long)l[0], (unsigned long long)l[1]);
    }

    /* GLV endomorphism on G1: phi(x, y) = (beta x, y) = [lambda](x, y),
     * beta a primitive cube root of unity mod p, lambda one mod r.  Pick
     * the pair that agrees on the generator. */
    {
        mpz_t beta, lam, c;
        mpz_inits(beta, lam, c, NULL);
        pt G, Q;
        mpz_inits(G.x, G.y, Q.x, Q.y, NULL);
        mpz_set_ui(G.x, 1); mpz_set_ui(G.y, 2); G.inf = 0;
        /* a cube root of unity: g^((m-1)/3) for a non-cube g */
        int found = 0;
        for (unsigned long gg = 2; !found; gg++) {
            mpz_sub_ui(e, R, 1);
            mpz_divexact_ui(e, e, 3);
            mpz_set_ui(c, gg);
            mpz_powm(lam, c, e, R);
            if (mpz_cmp_ui(lam, 1) == 0)
                continue;
            found = 1;
        }
        found = 0;
        for (unsigned long gg = 2; !found; gg++) {
            mpz_sub_ui(e, P, 1);
            mpz_divexact_ui(e, e, 3);
            mpz_set_ui(c, gg);
            mpz_powm(beta, c, e, P);
            if (mpz_cmp_ui(beta, 1) == 0)
                continue;
            found = 1;
        }
        /* try beta and beta^2 against lambda */
        pt_mul(&Q, &G, lam);
        mpz_mul(c, beta, G.x);
        mpz_mod(c, c, P);
        if (mpz_cmp(c, Q.x) != 0) {
            mpz_mul(beta, beta, beta);
            mpz_mod(beta, beta, P);
            mpz_mul(c, beta, G.x);
            mpz_mod(c, c, P);
        }
        assert(mpz_cmp(c, Q.x) == 0 && mpz_cmp(G.y, Q.y) == 0);
        print_mont("ZK_GLV_BETA", beta, P, "beta: (beta x, y) = [lambda](x, y) on G1 (Montgomery)");
        print_init("ZK_GLV_LAMBDA", lam, "lambda mod r, lambda^2 + lambda + 1 = 0 (plain)");

        /* Short lattice basis for k = k1 + k2 lambda (GLV, sec. 4): run the
         * extended Euclidean algorithm on (r, lambda) and stop at the first
         * remainder below sqrt(r). Basis v1 = (a1, b1), v2 = (a2, b2). */
        mpz_t r0, r1, t0, t1, q, tmp, sq, a1, b1, a2, b2v;
        mpz_inits(r0, r1, t0, t1, q, tmp, sq, a1, b1, a2, b2v, NULL);
        mpz_sqrt(sq, R);
        mpz_set(r0, R); mpz_set(r1, lam);
        mpz_set_ui(t0, 0); mpz_set_ui(t1, 1);
        mpz_t rp, tp; /* previous remainder/coefficient (r_l, t_l) */
        mpz_inits(rp, tp, NULL);
        while (mpz_cmp(r1, sq) >= 0) {
            mpz_set(rp, r1); mpz_set(tp, t1);
            mpz_fdiv_q(q, r0, r1);
            mpz_set(tmp, r1); mpz_mul(r1, q, r1); mpz_sub(r1, r0, r1); mpz_set(r0, tmp);
            mpz_set(tmp, t1); mpz_mul(t1, q, t1); mpz_sub(t1, t0, t1); mpz_set(t0, tmp);
        }
        /* now r1 < sqrt(r) <= r0 = rp; (r_{l+1}, -t_{l+1}) is v1 */
        mpz_set(a1, r1); mpz_neg(b1, t1);
        /* v2: the shorter of (r_l, -t_l) and (r_{l+2}, -t_{l+2}) */
        mpz_fdiv_q(q, r0, r1);
        mpz_t r2, t2;
        mpz_inits(r2, t2, NULL);
        mpz_mul(r2, q, r1); mpz_sub(r2, r0, r2);
        mpz_mul(t2, q, t1); mpz_sub(t2, t0, t2);
        {
            mpz_t n1, n2;
            mpz_inits(n1, n2, NULL);
            mpz_mul(n1, r0, r0); mpz_addmul(n1, t0, t0);
            mpz_mul(n2, r2, r2); mpz_addmul(n2, t2, t2);
            if (mpz_cmp(n1, n2) <= 0) { mpz_set(a2, r0); mpz_neg(b2v, t0); }
            else { mpz_set(a2, r2); mpz_neg(b2v, t2); }
            mpz_clears(n1, n2, NULL);
        }
        /* check a + b lambda = 0 mod r for both */
        mpz_mul(tmp, b1, lam); mpz_add(tmp, tmp, a1); assert(mpz_divisible_p(tmp, R));
        mpz_mul(tmp, b2v, lam); mpz_add(tmp, tmp, a2); assert(mpz_divisible_p(tmp, R));
        /* Constants for Babai rounding: g1 = floor(2^256 b2 / r),
         * g2 = floor(-2^256 b1 / r); the MSM computes c1 = round(k g1 / 2^256)
         * ~ b2 k / r and c2 = round(k g2 / 2^256) ~ -b1 k / r, then
         * k1 = k - c1 a1 - c2 a2, k2 = -c1 b1 - c2 b2.  Print |values|
         * and signs. */
        printf("/* GLV basis v1 = (a1, b1), v2 = (a2, b2) with a + b*lambda = 0 mod r;\n"
               " * values are |x|, signs in the _NEG macros. */\n");
        const char *nm[4] = {"ZK_GLV_A1", "ZK_GLV_B1", "ZK_GLV_A2", "ZK_GLV_B2"};
        mpz_ptr vv[4] = {a1, b1, a2, b2v};
        for (int i = 0; i < 4; i++) {
            mpz_abs(tmp, vv[i]);
            assert(mpz_sizeinbase(tmp, 2) <= 128);
            print_init(nm[i], tmp, NULL);
            printf("#define %s_NEG %d\n", nm[i], mpz_sgn(vv[i]) < 0);
        }
        /* g1 = round(b2 * 2^256 / r), g2 = round(-b1 * 2^256 / r) */
        mpz_mul_2exp(tmp, b2v, 256); mpz_fdiv_q(q, tmp, R);   /* floor */
        mpz_abs(tmp, q);
        print_init("ZK_GLV_G1", tmp, "|floor(b2 * 2^256 / r)|");
        printf("#define ZK_GLV_G1_NEG %d\n", mpz_sgn(q) < 0);
        mpz_neg(tmp, b1); mpz_mul_2exp(tmp, tmp, 256); mpz_fdiv_q(q, tmp, R);
        mpz_abs(tmp, q);
        print_init("ZK_GLV_G2", tmp, "|floor(-b1 * 2^256 / r)|");
        printf("#define ZK_GLV_G2_NEG %d\n", mpz_sgn(q) < 0);
        mpz_clears(r0, r1, t0, t1, q, tmp, sq, a1, b1, a2, b2v, rp, tp, r2, t2, NULL);
        mpz_clears(G.x, G.y, Q.x, Q.y, beta, lam, c, NULL);
    }
    printf("\n");

    /* Miller loop scalar 6z + 2, and z itself (final exponentiation), in
     * non-adjacent form, most significant digit first. */
    {
        mpz_t n;
        mpz_init(n);
        for (int which = 0; which < 2; which++) {
            if (which == 0) {
                mpz_mul_ui(n, Z, 6);
                mpz_add_ui(n, n, 2);
            } else {
                mpz_set(n, Z);
            }
            int naf[80], len = 0;
            while (mpz_sgn(n) != 0) {
                int d = 0;
                if (mpz_odd_p(n)) {
                    d = 2 - (int)mpz_fdiv_ui(n, 4);
                    if (d > 0) mpz_sub_ui(n, n, 1); else mpz_add_ui(n, n, 1);
                }
                naf[len++] = d;
                mpz_tdiv_q_2exp(n, n, 1);
            }
            const char *nm = which == 0 ? "ATE" : "Z";
            printf("/* %s in NAF, most significant digit first */\n",
                   which == 0 ? "6z + 2" : "z");
            printf("#define ZK_%s_NAF_LEN %d\n#define ZK_%s_NAF {", nm, len, nm);
            for (int i = len - 1; i >= 0; i--)
                printf("%s%d", i == len - 1 ? "" : ",", naf[i]);
            printf("}\n");
        }
        mpz_clear(n);
    }

    printf("\n#endif\n");
    f2_clear(&xi); f2_clear(&g); f2_clear(&b2); f2_clear(&one);
    mpz_clears(t, e, s, P, R, Z, W, NULL);
    return 0;
}
