/*
 * test_bits.c -- the basic gadgets of lib/gadgets/bits: for each one,
 * valid inputs (random and edge values) satisfy the system in WITNESS
 * mode and its outputs equal the native twin; SHAPE and WITNESS build the
 * same system (zk_cs_check_modes); the constraint counts are the ones
 * bits.h promises (no more than circom --O2 gives circomlib's templates);
 * and for each constraint family a tampered witness is caught by
 * zk_cs_is_satisfied, at the expected constraint and scope.  Soundness
 * is also checked exhaustively on small sizes (every boolean assignment
 * of the hint bits), and against a cheating prover that keeps every
 * product variable consistent (resolve_products): the alias of x + r in
 * num2bits_strict, bit vectors above a constant.  Finally a circuit of
 * every gadget is exported (SHAPE .r1cs, WITNESS_ONLY .wtns) and checked
 * by zk_r1cs_is_satisfied and, when node and tests/interop are there, by
 * `snarkjs wtns check`; files live in a mkdtemp directory.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "field/fr.h"
#include "gadgets/bits.h"
#include "io/r1cs.h"
#include "r1cs/cs.h"
#include "tap.h"
#include "testfile.h"
#include "util/err.h"

/* ------------------------------------------------------------ helpers */

static uint64_t g_rng = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 7;
    g_rng ^= g_rng << 17;
    return g_rng;
}

static zk_fr fr_u64(uint64_t v)
{
    zk_fr x;
    zk_fr_set_u64(&x, v);
    return x;
}

static zk_fr fr_limbs(const uint64_t l[4])
{
    zk_fr x;
    if (zk_fr_from_limbs(&x, l) != ZK_OK)
        bail_out("fr_limbs: value >= r");
    return x;
}

/* 2^k (k <= 253) and 2^k - 1. */
static zk_fr fr_pow2(size_t k)
{
    uint64_t l[4] = {0, 0, 0, 0};
    l[k / 64] = (uint64_t)1 << (k % 64);
    return fr_limbs(l);
}

static zk_fr fr_pow2m1(size_t k)
{
    zk_fr x = fr_pow2(k), one = fr_u64(1);
    zk_fr_sub(&x, &x, &one);
    return x;
}

/* A random integer below 2^n (n <= 253). */
static zk_fr fr_rand_bits(size_t n)
{
    uint64_t l[4];
    for (int i = 0; i < 4; i++) {
        size_t lo = 64 * (size_t)i;
        l[i] = rnd();
        if (n <= lo)
            l[i] = 0;
        else if (n - lo < 64)
            l[i] &= ((uint64_t)1 << (n - lo)) - 1;
    }
    return fr_limbs(l);
}

/* A random field element (any value in [0, r)). */
static zk_fr fr_rand(void)
{
    for (;;) {
        uint64_t l[4] = {rnd(), rnd(), rnd(), rnd() >> 2};
        zk_fr x;
        if (zk_fr_from_limbs(&x, l) == ZK_OK)
            return x;
    }
}

static zk_fr fr_neg_u64(uint64_t v)
{
    zk_fr x = fr_u64(v);
    zk_fr_neg(&x, &x);
    return x;
}

static zk_fr fr_add_u64(const zk_fr *a, uint64_t v)
{
    zk_fr b = fr_u64(v), r;
    zk_fr_add(&r, a, &b);
    return r;
}

/* l, Baby Jubjub's prime subgroup order, and l - 1. */
static zk_fr fr_dec(const char *s)
{
    zk_fr x;
    if (zk_fr_from_dec(&x, s) != ZK_OK)
        bail_out("fr_dec %s", s);
    return x;
}
#define BJJ_L "2736030358979909402780800718157159386076813972158567259200215660948447373041"

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

static zk_fr lc_val(const zk_cs *cs, zk_lc a)
{
    zk_fr v;
    zk_lc_eval(&v, cs, a);
    return v;
}

/* The variable of the non-constant term of an LC with the largest id
 * (for a 1-term LC: its variable; for 1 - b: b). */
static zk_var lc_top_var(const zk_cs *cs, zk_lc a)
{
    zk_var v = ZK_CS_ONE;
    for (size_t i = 0; i < zk_lc_len(a); i++) {
        zk_var t;
        zk_fr c;
        if (zk_lc_get(&t, &c, cs, a, i) != ZK_OK)
            bail_out("zk_lc_get");
        if (t.id > v.id)
            v = t;
    }
    if (v.id == 0)
        bail_out("lc_top_var: constant LC");
    return v;
}

static void set_var(zk_cs *cs, zk_var v, zk_fr val)
{
    zk_cs_set(cs, v, &val);
}

/*
 * A cheating prover's completion after tampering: every constraint of
 * zk_cs_mul's form A * B = 1*w (w internal, A and B not empty) gets w =
 * A * B, in constraint order.  The only constraints left to fail are then
 * the gadget's real checks, not the bookkeeping of products.
 */
static void resolve_products(zk_cs *cs)
{
    zk_r1cs *r;
    if (zk_cs_to_r1cs(&r, cs) != ZK_OK)
        bail_out("zk_cs_to_r1cs");
    size_t nv = zk_cs_n_vars(cs);
    uint32_t *var_of = malloc(nv * sizeof *var_of);
    if (!var_of)
        bail_out("malloc");
    for (uint32_t id = 0; id < nv; id++)
        var_of[zk_cs_wire(cs, (zk_var){id})] = id;
    size_t first_internal = 1 + zk_cs_n_public(cs) + zk_cs_n_prv_in(cs);
    for (uint32_t i = 0; i < zk_r1cs_n_constraints(r); i++) {
        size_t na, nb, nc;
        const zk_r1cs_term *a = zk_r1cs_lc(r, i, 0, &na);
        const zk_r1cs_term *b = zk_r1cs_lc(r, i, 1, &nb);
        const zk_r1cs_term *c = zk_r1cs_lc(r, i, 2, &nc);
        if (na == 0 || nb == 0 || nc != 1 || !zk_fr_is_one(&c[0].coeff) ||
            c[0].wire < first_internal)
            continue;
        zk_fr va, vb, t, w;
        zk_fr_zero(&va);
        zk_fr_zero(&vb);
        for (size_t k = 0; k < na; k++) {
            zk_cs_val(&w, cs, (zk_var){var_of[a[k].wire]});
            zk_fr_mul(&t, &w, &a[k].coeff);
            zk_fr_add(&va, &va, &t);
        }
        for (size_t k = 0; k < nb; k++) {
            zk_cs_val(&w, cs, (zk_var){var_of[b[k].wire]});
            zk_fr_mul(&t, &w, &b[k].coeff);
            zk_fr_add(&vb, &vb, &t);
        }
        zk_fr_mul(&t, &va, &vb);
        zk_cs_set(cs, (zk_var){var_of[c[0].wire]}, &t);
    }
    free(var_of);
    zk_r1cs_free(r);
}

/* ------------------------------------------------- one gadget per case */

enum {
    G_NUM2BITS, G_STRICT, G_RANGE, G_CMP, G_CMP_CHECKED, G_IS_ZERO,
    G_IS_EQUAL, G_NONZERO, G_SELECT, G_SWAP, G_LE_CONST, G_ASSERT_LE_CONST
};

typedef struct {
    int kind;
    size_t n;
    zk_g_cmp_op op;
    zk_fr in[3];       /* x | x, y | c, a, b */
    zk_fr k;           /* the constant of the *_LE_CONST cases */
    uint8_t bv[256];   /* input bits of the *_LE_CONST cases */
    /* filled by build_case */
    zk_lc out[256];
    size_t n_out;
    size_t n_harness;  /* constraints the harness adds (input booleans) */
} gcase;

/* Inputs are private inputs; LE_CONST's input bits are made boolean by
 * the harness (scope "input"), as the gadget's precondition asks. */
static int build_case(zk_cs *cs, void *ctx)
{
    gcase *g = ctx;
    zk_lc in[3];
    for (int i = 0; i < 3; i++)
        in[i] = zk_lc_var(cs, zk_cs_alloc_prv_in(cs, &g->in[i]));
    g->n_out = 0;
    g->n_harness = 0;
    switch (g->kind) {
    case G_NUM2BITS:
        zk_g_num2bits(cs, g->out, g->n, in[0]);
        g->n_out = g->n;
        break;
    case G_STRICT:
        zk_g_num2bits_strict(cs, g->out, in[0]);
        g->n_out = ZK_G_FR_BITS;
        break;
    case G_RANGE:
        zk_g_assert_range(cs, in[0], g->n);
        break;
    case G_CMP:
        g->out[g->n_out++] = zk_g_cmp(cs, g->op, in[0], in[1], g->n);
        break;
    case G_CMP_CHECKED:
        g->out[g->n_out++] = zk_g_cmp_checked(cs, g->op, in[0], in[1], g->n);
        break;
    case G_IS_ZERO:
        g->out[g->n_out++] = zk_g_is_zero(cs, in[0]);
        break;
    case G_IS_EQUAL:
        g->out[g->n_out++] = zk_g_is_equal(cs, in[0], in[1]);
        break;
    case G_NONZERO:
        zk_g_assert_nonzero(cs, in[0]);
        break;
    case G_SELECT:
        g->out[g->n_out++] = zk_g_select(cs, in[0], in[1], in[2]);
        break;
    case G_SWAP:
        zk_g_swap(cs, g->out, in[0], in[1], in[2]);
        g->n_out = 2;
        break;
    case G_LE_CONST:
    case G_ASSERT_LE_CONST: {
        zk_lc b[256];
        zk_cs_push(cs, "input");
        for (size_t i = 0; i < g->n; i++) {
            zk_fr v = fr_u64(g->bv[i]);
            b[i] = zk_lc_var(cs, zk_cs_alloc_prv_in(cs, &v));
            zk_cs_assert_bool(cs, b[i]);
        }
        zk_cs_pop(cs);
        g->n_harness = g->n;
        if (g->kind == G_LE_CONST)
            g->out[g->n_out++] = zk_g_bits_le_const(cs, b, g->n, &g->k);
        else
            zk_g_assert_bits_le_const(cs, b, g->n, &g->k);
        break;
    }
    default:
        return ZK_EINVAL;
    }
    return zk_cs_err(cs);
}

/* g built in WITNESS mode (caller frees). */
static zk_cs *build_witness(gcase *g)
{
    zk_cs *cs = new_cs(ZK_CS_WITNESS);
    if (build_case(cs, g) != ZK_OK)
        bail_out("build_case kind %d: %s", g->kind, zk_strerror(zk_cs_err(cs)));
    return cs;
}

static int satisfied(const zk_cs *cs)
{
    return zk_cs_is_satisfied(cs, NULL, NULL, 0) == ZK_OK;
}

/* The gadget's own constraint count. */
static size_t gadget_cons(const zk_cs *cs, const gcase *g)
{
    return zk_cs_n_constraints(cs) - g->n_harness;
}

/* is_satisfied says ZK_EVERIFY at scope `path` (and at constraint `idx`
 * unless idx is SIZE_MAX). */
static void expect_fail(const zk_cs *cs, const char *path, size_t idx,
                        const char *what)
{
    size_t bad = SIZE_MAX;
    char p[256];
    int rc = zk_cs_is_satisfied(cs, &bad, p, sizeof p);
    int good = rc == ZK_EVERIFY && strcmp(p, path) == 0 &&
               (idx == SIZE_MAX || bad == idx);
    ok(good, "%s: caught at '%s'", what, path);
    if (!good)
        diag("rc %d, constraint %zu, scope '%s' (expected %zu)", rc, bad, p,
             idx);
}

/* Satisfied, same structure in both modes, and the expected count. */
static int check_valid(gcase *g, size_t want_cons, zk_cs **keep)
{
    size_t diff = 0;
    int modes = zk_cs_check_modes(build_case, g, &diff);
    zk_cs *cs = build_witness(g);
    int good = modes == ZK_OK && satisfied(cs) &&
               gadget_cons(cs, g) == want_cons;
    if (!good)
        diag("kind %d n %zu: modes %d (diff %zu), satisfied %d, %zu "
             "constraints (want %zu)", g->kind, g->n, modes, diff,
             satisfied(cs), gadget_cons(cs, g), want_cons);
    if (keep)
        *keep = cs;
    else
        zk_cs_free(cs);
    return good;
}

/* -------------------------------------------------------- decomposition */

static void check_num2bits_value(const zk_fr *x, size_t n, const char *what)
{
    gcase g = {.kind = G_NUM2BITS, .n = n, .in = {*x}};
    zk_cs *cs;
    int good = check_valid(&g, n ? n : 1, &cs);
    uint8_t nb[ZK_G_FR_BITS];
    good &= zk_g_num2bits_native(nb, n, x) == ZK_OK;
    for (size_t i = 0; i < n; i++) {
        zk_fr v = lc_val(cs, g.out[i]);
        good &= zk_fr_eq(&v, (zk_fr[]){fr_u64(nb[i])});
    }
    /* bits2num gives x back, as an LC equal to x's own. */
    zk_lc back = zk_g_bits2num(cs, g.out, n);
    zk_fr bv = lc_val(cs, back);
    good &= n == 0 || (zk_fr_eq(&bv, x) && zk_lc_len(back) == 1);
    zk_fr nv;
    zk_g_bits2num_native(&nv, nb, n);
    good &= zk_fr_eq(&nv, x);
    good &= zk_cs_n_vars(cs) == 1 + 3 + (n ? n - 1 : 0);
    ok(good, "num2bits(%zu) %s: satisfied, bits = native, n constraints, "
       "n-1 variables, bits2num = x", n, what);
    zk_cs_free(cs);
}

static void test_num2bits(void)
{
    static const size_t ns[] = {1, 2, 8, 32, 64, 128, 252, 253};
    for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
        size_t n = ns[k];
        zk_fr zero = fr_u64(0), one = fr_u64(1), top = fr_pow2m1(n);
        check_num2bits_value(&zero, n, "x = 0");
        check_num2bits_value(&one, n, "x = 1");
        check_num2bits_value(&top, n, "x = 2^n - 1");
        for (int t = 0; t < 3; t++) {
            zk_fr x = fr_rand_bits(n);
            check_num2bits_value(&x, n, "random x");
        }

        /* Out of range: 2^n and r - 1 have no n-bit decomposition; the
         * folded bit 0 (the last constraint) is where it shows. */
        zk_fr big[2] = {fr_pow2(n), fr_neg_u64(1)};
        const char *bn[2] = {"x = 2^n", "x = r - 1"};
        for (int j = 0; j < 2; j++) {
            gcase g = {.kind = G_NUM2BITS, .n = n, .in = {big[j]}};
            zk_cs *cs = build_witness(&g);
            uint8_t nb[ZK_G_FR_BITS];
            char what[64];
            snprintf(what, sizeof what, "num2bits(%zu) %s", n, bn[j]);
            expect_fail(cs, "num2bits", n - 1, what);
            is_int(zk_g_num2bits_native(nb, n, &big[j]), ZK_ERANGE,
                   "native num2bits(%zu) %s: ZK_ERANGE", n, bn[j]);
            zk_cs_free(cs);
        }
    }

    /* Tampering, n = 16, x random: bit i := 2 fails its own boolean
     * constraint (constraints go bit n-1 .. 1, then folded bit 0); a
     * flipped bit keeps every b*(b-1) but moves bit 0 by 2^i. */
    for (size_t i = 1; i < 16; i += 7) {
        gcase g = {.kind = G_NUM2BITS, .n = 16, .in = {fr_rand_bits(16)}};
        zk_cs *cs = build_witness(&g);
        zk_var b = lc_top_var(cs, g.out[i]);
        set_var(cs, b, fr_u64(2));
        char what[64];
        snprintf(what, sizeof what, "num2bits bit %zu := 2", i);
        expect_fail(cs, "num2bits", 15 - i, what);
        zk_cs_free(cs);

        cs = build_witness(&g);
        zk_fr cur = lc_val(cs, g.out[i]);
        set_var(cs, b, fr_u64(zk_fr_is_zero(&cur) ? 1 : 0));
        snprintf(what, sizeof what, "num2bits bit %zu flipped", i);
        expect_fail(cs, "num2bits", 15, what);
        zk_cs_free(cs);
    }

    /* Exhaustive soundness, n = 4: for every x in [0, 20) and every
     * boolean assignment of the bit variables 1..3, the system holds
     * exactly for x's own bits (so never for x >= 16). */
    {
        int good = 1;
        for (uint64_t x = 0; x < 20; x++) {
            gcase g = {.kind = G_NUM2BITS, .n = 4, .in = {fr_u64(x)}};
            zk_cs *cs = build_witness(&g);
            zk_var v[4];
            for (int i = 1; i < 4; i++)
                v[i] = lc_top_var(cs, g.out[i]);
            int n_sat = 0;
            for (unsigned a = 0; a < 8; a++) {
                for (int i = 1; i < 4; i++)
                    set_var(cs, v[i], fr_u64((a >> (i - 1)) & 1));
                if (satisfied(cs)) {
                    n_sat++;
                    good &= (a << 1 | (unsigned)(x & 1)) == x;
                }
            }
            good &= n_sat == (x < 16 ? 1 : 0);
            zk_cs_free(cs);
        }
        ok(good, "num2bits(4): exactly one boolean witness for x < 16, "
           "none for 16..19");
    }

    /* n = 0: x = 0 only, one constraint. */
    {
        gcase g = {.kind = G_NUM2BITS, .n = 0, .in = {fr_u64(0)}};
        ok(check_valid(&g, 1, NULL), "num2bits(0), x = 0: satisfied, 1 "
           "constraint");
        g.in[0] = fr_u64(1);
        zk_cs *cs = build_witness(&g);
        expect_fail(cs, "num2bits", 0, "num2bits(0), x = 1");
        zk_cs_free(cs);
    }

    /* Range checks: the same system without the bits. */
    static const size_t rn[] = {0, 1, 16, 64, 253};
    for (size_t k = 0; k < sizeof rn / sizeof rn[0]; k++) {
        size_t n = rn[k];
        zk_fr vals[3] = {fr_u64(0), n ? fr_pow2m1(n) : fr_u64(0),
                         fr_rand_bits(n)};
        int good = 1;
        for (int j = 0; j < 3; j++) {
            gcase g = {.kind = G_RANGE, .n = n, .in = {vals[j]}};
            good &= check_valid(&g, n ? n : 1, NULL);
        }
        ok(good, "assert_range(%zu): 0, 2^n - 1, random satisfy with %zu "
           "constraints", n, n ? n : 1);
        zk_fr outs[2] = {fr_pow2(n), fr_neg_u64(1)};
        for (int j = 0; j < 2; j++) {
            gcase g = {.kind = G_RANGE, .n = n, .in = {outs[j]}};
            zk_cs *cs = build_witness(&g);
            char what[64];
            snprintf(what, sizeof what, "assert_range(%zu), x = %s", n,
                     j ? "r - 1" : "2^n");
            expect_fail(cs, "range", SIZE_MAX, what);
            zk_cs_free(cs);
        }
    }
}

static void test_strict(void)
{
    zk_fr rm1 = fr_neg_u64(1);
    zk_fr vals[7] = {fr_u64(0), fr_u64(1), rm1, fr_neg_u64(2), fr_pow2(253),
                     fr_rand(), fr_rand()};
    for (int j = 0; j < 7; j++) {
        gcase g = {.kind = G_STRICT, .in = {vals[j]}};
        zk_cs *cs;
        int good = check_valid(&g, 353, &cs);
        uint8_t nb[ZK_G_FR_BITS];
        good &= zk_g_num2bits_native(nb, ZK_G_FR_BITS, &vals[j]) == ZK_OK;
        for (size_t i = 0; i < ZK_G_FR_BITS; i++) {
            zk_fr v = lc_val(cs, g.out[i]);
            good &= zk_fr_eq(&v, (zk_fr[]){fr_u64(nb[i])});
        }
        zk_fr back = lc_val(cs, zk_g_bits2num(cs, g.out, ZK_G_FR_BITS));
        good &= zk_fr_eq(&back, &vals[j]);
        ok(good, "num2bits_strict, value %d: satisfied, 353 constraints "
           "(circomlib 515), canonical bits = native", j);
        zk_cs_free(cs);
    }

    /* The alias: for x < 2^254 - r, the 254 bits of x + r are boolean and
     * sum to x mod r.  A prover that puts them in (and recomputes every
     * product) must be caught by the < r check. */
    zk_fr xs[3] = {fr_u64(0), fr_u64(5), fr_rand_bits(250)};
    for (int j = 0; j < 3; j++) {
        gcase g = {.kind = G_STRICT, .in = {xs[j]}};
        zk_cs *cs = build_witness(&g);
        uint64_t x[4], r[4] = {0x43e1f593f0000001ull, 0x2833e84879b97091ull,
                               0xb85045b68181585dull, 0x30644e72e131a029ull};
        zk_fr_to_limbs(x, &xs[j]);
        uint64_t s[4], carry = 0;
        for (int i = 0; i < 4; i++) {
            unsigned __int128 t = (unsigned __int128)x[i] + r[i] + carry;
            s[i] = (uint64_t)t;
            carry = (uint64_t)(t >> 64);
        }
        for (size_t i = 1; i < ZK_G_FR_BITS; i++)
            set_var(cs, lc_top_var(cs, g.out[i]),
                    fr_u64((s[i / 64] >> (i % 64)) & 1));
        resolve_products(cs);
        /* the alias really is a boolean decomposition of x ... */
        int alias = 1;
        for (size_t i = 0; i < ZK_G_FR_BITS; i++) {
            zk_fr v = lc_val(cs, g.out[i]);
            alias &= zk_fr_eq(&v, (zk_fr[]){fr_u64((s[i / 64] >> (i % 64)) & 1)});
        }
        zk_fr back = lc_val(cs, zk_g_bits2num(cs, g.out, ZK_G_FR_BITS));
        alias &= zk_fr_eq(&back, &xs[j]);
        ok(alias, "alias %d: the bits of x + r are boolean and sum to x", j);
        /* ... that the strict check refuses */
        expect_fail(cs, "num2bits_strict", SIZE_MAX,
                    "num2bits_strict fed the bits of x + r");
        zk_cs_free(cs);
    }

    /* Tampering a product (eq) variable or a bit. */
    {
        gcase g = {.kind = G_STRICT, .in = {fr_rand()}};
        zk_cs *cs = build_witness(&g);
        zk_var last = {(uint32_t)(zk_cs_n_vars(cs) - 1)}; /* an eq product */
        zk_fr v;
        zk_cs_val(&v, cs, last);
        set_var(cs, last, fr_add_u64(&v, 1));
        expect_fail(cs, "num2bits_strict", SIZE_MAX,
                    "num2bits_strict eq product + 1");
        zk_cs_free(cs);
        cs = build_witness(&g);
        set_var(cs, lc_top_var(cs, g.out[100]), fr_u64(2));
        expect_fail(cs, "num2bits_strict", SIZE_MAX,
                    "num2bits_strict bit 100 := 2");
        zk_cs_free(cs);
    }
}

/* ---------------------------------------------------------- comparators */

static const char *const op_name[4] = {"less_than", "less_eq",
                                       "greater_than", "greater_eq"};

static int cmp_case(zk_g_cmp_op op, const zk_fr *x, const zk_fr *y, size_t n,
                    int checked)
{
    gcase g = {.kind = checked ? G_CMP_CHECKED : G_CMP, .n = n, .op = op,
               .in = {*x, *y}};
    zk_cs *cs;
    int good = check_valid(&g, checked ? 3 * n + 1 : n + 1, &cs);
    int want;
    good &= zk_g_cmp_native(&want, op, x, y, n) == ZK_OK;
    zk_fr o = lc_val(cs, g.out[0]);
    good &= zk_fr_eq(&o, (zk_fr[]){fr_u64((uint64_t)want)});
    zk_cs_free(cs);
    return good;
}

static void test_cmp(void)
{
    static const size_t ns[] = {1, 8, 64, 200, 252};
    for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
        size_t n = ns[k];
        for (int op = 0; op < 4; op++) {
            zk_fr top = fr_pow2m1(n), z = fr_u64(0);
            int good = 1;
            for (int t = 0; t < 4; t++) {
                zk_fr x = fr_rand_bits(n), y = fr_rand_bits(n);
                good &= cmp_case((zk_g_cmp_op)op, &x, &y, n, 0);
                good &= cmp_case((zk_g_cmp_op)op, &x, &x, n, 0); /* x = y */
                zk_fr x1 = fr_add_u64(&x, 1);
                if (n > 1 && !zk_fr_eq(&x, &top)) { /* x, x + 1 both ways */
                    good &= cmp_case((zk_g_cmp_op)op, &x, &x1, n, 0);
                    good &= cmp_case((zk_g_cmp_op)op, &x1, &x, n, 0);
                }
            }
            good &= cmp_case((zk_g_cmp_op)op, &z, &top, n, 0);
            good &= cmp_case((zk_g_cmp_op)op, &top, &z, n, 0);
            good &= cmp_case((zk_g_cmp_op)op, &top, &top, n, 0);
            good &= cmp_case((zk_g_cmp_op)op, &z, &z, n, 0);
            zk_fr x = fr_rand_bits(n), y = fr_rand_bits(n);
            good &= cmp_case((zk_g_cmp_op)op, &x, &y, n, 1);
            good &= cmp_case((zk_g_cmp_op)op, &top, &z, n, 1);
            ok(good, "%s(%zu): = native on random, equal, adjacent, 0 and "
               "2^n - 1 inputs; n + 1 constraints (3n + 1 checked)",
               op_name[op], n);
        }
    }

    /* n = 0: 0 op 0 in one constraint. */
    {
        zk_fr z = fr_u64(0);
        int good = 1;
        for (int op = 0; op < 4; op++)
            good &= cmp_case((zk_g_cmp_op)op, &z, &z, 0, 0);
        ok(good, "comparators with n = 0 on 0, 0");
    }

    /* Exhaustive, n = 3: every op on every x, y < 8 matches the native,
     * and for each no other boolean assignment of the 3 bit variables
     * satisfies the system -- the output cannot be forged. */
    {
        int good = 1;
        for (int op = 0; op < 4; op++)
            for (uint64_t x = 0; x < 8; x++)
                for (uint64_t y = 0; y < 8; y++) {
                    gcase g = {.kind = G_CMP, .n = 3, .op = (zk_g_cmp_op)op,
                               .in = {fr_u64(x), fr_u64(y)}};
                    zk_cs *cs = build_witness(&g);
                    int want;
                    good &= zk_g_cmp_native(&want, g.op, &g.in[0], &g.in[1], 3) == 0;
                    zk_fr o = lc_val(cs, g.out[0]);
                    good &= satisfied(cs) &&
                            zk_fr_eq(&o, (zk_fr[]){fr_u64((uint64_t)want)});
                    zk_var v[3] = {{(uint32_t)(zk_cs_n_vars(cs) - 3)},
                                   {(uint32_t)(zk_cs_n_vars(cs) - 2)},
                                   {(uint32_t)(zk_cs_n_vars(cs) - 1)}};
                    int n_sat = 0;
                    for (unsigned a = 0; a < 8; a++) {
                        for (int i = 0; i < 3; i++)
                            set_var(cs, v[i], fr_u64((a >> i) & 1));
                        if (satisfied(cs)) {
                            n_sat++;
                            o = lc_val(cs, g.out[0]);
                            good &= zk_fr_eq(&o, (zk_fr[]){fr_u64((uint64_t)want)});
                        }
                    }
                    good &= n_sat == 1;
                    zk_cs_free(cs);
                }
        ok(good, "comparators(3): all 4 x 64 cases = native, one boolean "
           "witness each");
    }

    /* A wrong output: flip bit n (out = 1 - bit n), or make it 2. */
    for (int op = 0; op < 4; op++) {
        gcase g = {.kind = G_CMP, .n = 32, .op = (zk_g_cmp_op)op,
                   .in = {fr_rand_bits(32), fr_rand_bits(32)}};
        zk_cs *cs = build_witness(&g);
        zk_var b = lc_top_var(cs, g.out[0]);
        zk_fr o = lc_val(cs, g.out[0]);
        set_var(cs, b, fr_u64(zk_fr_is_zero(&o) ? 0 : 1)); /* flips out */
        char what[64];
        snprintf(what, sizeof what, "%s(32) output flipped", op_name[op]);
        expect_fail(cs, op_name[op], 32, what);
        set_var(cs, b, fr_u64(2));
        snprintf(what, sizeof what, "%s(32) top bit := 2", op_name[op]);
        expect_fail(cs, op_name[op], 0, what);
        zk_cs_free(cs);
    }

    /* The precondition, as documented: unchecked, -1 < 0 "holds"; the
     * checked variant refuses it, and 2^n in either. */
    {
        gcase g = {.kind = G_CMP, .n = 8, .op = ZK_G_LT,
                   .in = {fr_neg_u64(1), fr_u64(0)}};
        zk_cs *cs = build_witness(&g);
        zk_fr o = lc_val(cs, g.out[0]);
        ok(satisfied(cs) && zk_fr_is_one(&o),
           "less_than(8) unchecked on x = r - 1, y = 0: satisfied with "
           "out = 1 (meaningless, as documented)");
        zk_cs_free(cs);
        int dummy;
        is_int(zk_g_cmp_native(&dummy, ZK_G_LT, &g.in[0], &g.in[1], 8),
               ZK_ERANGE, "native comparator refuses x >= 2^n");
        g.kind = G_CMP_CHECKED;
        cs = build_witness(&g);
        expect_fail(cs, "less_than_checked/range", SIZE_MAX,
                    "less_than_checked(8), x = r - 1");
        zk_cs_free(cs);
        g.in[0] = fr_u64(0);
        g.in[1] = fr_pow2(8);
        cs = build_witness(&g);
        expect_fail(cs, "less_than_checked/range", SIZE_MAX,
                    "less_than_checked(8), y = 2^8");
        zk_cs_free(cs);
        g.kind = G_CMP;
        g.in[0] = fr_pow2(8);
        g.in[1] = fr_u64(0);
        g.op = ZK_G_GE;
        cs = build_witness(&g);
        expect_fail(cs, "greater_eq", SIZE_MAX,
                    "greater_eq(8) unchecked, x = 2^8 + ... out of range");
        zk_cs_free(cs);
    }
}

/* ---------------------------------------------------- bits vs constant */

static void bits_of(uint8_t *bv, size_t n, const zk_fr *x)
{
    uint64_t l[4];
    zk_fr_to_limbs(l, x);
    for (size_t i = 0; i < n; i++)
        bv[i] = (uint8_t)((l[i / 64] >> (i % 64)) & 1);
}

static void test_le_const(void)
{
    /* Exhaustive, n = 5: every constant 0..40 (above 31: always true),
     * every 5-bit vector; output = native, assert variant satisfied
     * exactly when bits <= c. */
    {
        int good = 1, worst = 0;
        for (uint64_t c = 0; c <= 40; c++)
            for (uint64_t x = 0; x < 32; x++) {
                gcase g = {.kind = G_LE_CONST, .n = 5, .k = fr_u64(c)};
                for (int i = 0; i < 5; i++)
                    g.bv[i] = (uint8_t)((x >> i) & 1);
                zk_cs *cs = build_witness(&g);
                zk_fr o = lc_val(cs, g.out[0]);
                int want = zk_g_bits_le_const_native(g.bv, 5, &g.k);
                good &= want == (x <= c);
                good &= satisfied(cs) &&
                        zk_fr_eq(&o, (zk_fr[]){fr_u64((uint64_t)want)});
                if ((int)gadget_cons(cs, &g) > worst)
                    worst = (int)gadget_cons(cs, &g);
                zk_cs_free(cs);
                g.kind = G_ASSERT_LE_CONST;
                cs = build_witness(&g);
                good &= satisfied(cs) == (x <= c);
                zk_cs_free(cs);
            }
        ok(good, "bits_le_const(5) and assert_bits_le_const(5): every c in "
           "0..40, every x (at most %d constraints)", worst);
        ok(worst <= 4, "bits_le_const(5): at most n - 1 constraints");
    }

    /* 254 bits against l - 1 (EdDSA's S < l) and r - 1. */
    zk_fr l = fr_dec(BJJ_L), lm1;
    zk_fr_sub(&lm1, &l, (zk_fr[]){fr_u64(1)});
    zk_fr rm1 = fr_neg_u64(1);
    struct { const char *name; zk_fr c; size_t cons, acons; } ks[2] = {
        {"l - 1", lm1, 253, 253}, {"r - 1", rm1, 253, 253}};
    for (int k = 0; k < 2; k++) {
        zk_fr c = ks[k].c;
        zk_fr cm1;
        zk_fr_sub(&cm1, &c, (zk_fr[]){fr_u64(1)});
        zk_fr xs[8] = {fr_u64(0), cm1, c, fr_add_u64(&c, 1),
                       fr_rand_bits(200), fr_rand(), fr_rand(), fr_rand_bits(250)};
        int good = 1;
        for (int j = 0; j < 8; j++) {
            gcase g = {.kind = G_LE_CONST, .n = 254, .k = c};
            bits_of(g.bv, 254, &xs[j]);
            zk_cs *cs;
            good &= check_valid(&g, ks[k].cons, &cs);
            int want = zk_g_bits_le_const_native(g.bv, 254, &c);
            zk_fr o = lc_val(cs, g.out[0]);
            good &= zk_fr_eq(&o, (zk_fr[]){fr_u64((uint64_t)want)});
            zk_cs_free(cs);
            g.kind = G_ASSERT_LE_CONST;
            cs = build_witness(&g);
            good &= satisfied(cs) == want && gadget_cons(cs, &g) == ks[k].acons;
            zk_cs_free(cs);
        }
        /* 2^254 - 1 (all ones: above any field constant) */
        gcase g = {.kind = G_LE_CONST, .n = 254, .k = c};
        memset(g.bv, 1, 254);
        zk_cs *cs = build_witness(&g);
        zk_fr o = lc_val(cs, g.out[0]);
        good &= satisfied(cs) && zk_fr_is_zero(&o);
        zk_cs_free(cs);
        g.kind = G_ASSERT_LE_CONST;
        cs = build_witness(&g);
        expect_fail(cs, "assert_bits_le_const", SIZE_MAX,
                    "assert bits <= const on 2^254 - 1");
        zk_cs_free(cs);
        ok(good, "bits_le_const(254, %s): 0, c - 1, c, c + 1, random, "
           "2^254 - 1 = native; %zu constraints (CompConstant 262)",
           ks[k].name, ks[k].cons);
    }

    /* Tampering a product t = eq * b (the output's top variable). */
    {
        gcase g = {.kind = G_LE_CONST, .n = 254, .k = lm1};
        bits_of(g.bv, 254, &lm1);
        zk_cs *cs = build_witness(&g);
        zk_var t = lc_top_var(cs, g.out[0]);
        zk_fr v;
        zk_cs_val(&v, cs, t);
        set_var(cs, t, fr_u64(zk_fr_is_zero(&v) ? 1 : 0));
        expect_fail(cs, "bits_le_const", SIZE_MAX,
                    "bits_le_const: a product flipped (output wrong)");
        zk_cs_free(cs);
    }

    /* Trivial constants: c >= 2^n - 1 costs nothing and gives 1. */
    {
        gcase g = {.kind = G_LE_CONST, .n = 8, .k = fr_u64(255)};
        bits_of(g.bv, 8, (zk_fr[]){fr_u64(255)});
        zk_cs *cs;
        int good = check_valid(&g, 0, &cs);
        good &= zk_fr_is_one((zk_fr[]){lc_val(cs, g.out[0])});
        zk_cs_free(cs);
        g.k = fr_u64(256);
        good &= check_valid(&g, 0, NULL);
        g.k = fr_u64(0x100);      /* c >= 2^n with low bits 0: still true */
        bits_of(g.bv, 8, (zk_fr[]){fr_u64(0x80)});
        good &= check_valid(&g, 0, &cs);
        good &= zk_fr_is_one((zk_fr[]){lc_val(cs, g.out[0])});
        zk_cs_free(cs);
        ok(good, "bits_le_const: c >= 2^n - 1 is the constant 1, 0 "
           "constraints");
    }
}

/* ------------------------------------------------- is-zero, select, swap */

static void test_is_zero(void)
{
    zk_fr xs[5] = {fr_u64(0), fr_u64(1), fr_neg_u64(1), fr_rand(), fr_rand()};
    int good = 1;
    for (int j = 0; j < 5; j++) {
        gcase g = {.kind = G_IS_ZERO, .in = {xs[j]}};
        zk_cs *cs;
        good &= check_valid(&g, 2, &cs);
        zk_fr o = lc_val(cs, g.out[0]);
        good &= zk_fr_eq(&o, (zk_fr[]){fr_u64((uint64_t)zk_g_is_zero_native(&xs[j]))});
        zk_cs_free(cs);
        zk_fr ys[2] = {xs[j], fr_rand()};
        for (int i = 0; i < 2; i++) {
            gcase e = {.kind = G_IS_EQUAL, .in = {xs[j], ys[i]}};
            good &= check_valid(&e, 2, &cs);
            o = lc_val(cs, e.out[0]);
            good &= zk_fr_eq(&o, (zk_fr[]){fr_u64((uint64_t)zk_g_is_equal_native(&xs[j], &ys[i]))});
            zk_cs_free(cs);
        }
        if (!zk_fr_is_zero(&xs[j])) {
            gcase nz = {.kind = G_NONZERO, .in = {xs[j]}};
            good &= check_valid(&nz, 1, NULL);
        }
    }
    ok(good, "is_zero, is_equal (2 constraints), assert_nonzero (1) on 0, "
       "1, r - 1, random: satisfied, = native");

    /* Variables: inv then out (the output is the last variable). */
    const char *sc[2] = {"is_zero", "is_equal"};
    for (int k = 0; k < 2; k++) {
        int kind = k ? G_IS_EQUAL : G_IS_ZERO;
        zk_fr a = fr_rand();
        /* x = 0 (a = a for is_equal) claimed nonzero: out := 0 */
        gcase g = {.kind = kind, .in = {k ? a : fr_u64(0), a}};
        zk_cs *cs = build_witness(&g);
        zk_var out = lc_top_var(cs, g.out[0]), inv = {out.id - 1};
        set_var(cs, out, fr_u64(0));
        char what[80];
        snprintf(what, sizeof what, "%s: x = 0 with out := 0", sc[k]);
        expect_fail(cs, sc[k], 0, what);
        set_var(cs, inv, fr_rand()); /* no inverse helps */
        snprintf(what, sizeof what, "%s: x = 0, out := 0, any inv", sc[k]);
        expect_fail(cs, sc[k], 0, what);
        zk_cs_free(cs);
        /* x != 0 claimed zero: out := 1 and inv := 0 pass the first
         * constraint, not x * out = 0 */
        g.in[0] = fr_rand();
        cs = build_witness(&g);
        set_var(cs, out, fr_u64(1));
        set_var(cs, inv, fr_u64(0));
        snprintf(what, sizeof what, "%s: x != 0 with out := 1, inv := 0", sc[k]);
        expect_fail(cs, sc[k], 1, what);
        zk_cs_free(cs);
        /* a wrong inverse hint */
        cs = build_witness(&g);
        zk_fr iv;
        zk_cs_val(&iv, cs, inv);
        set_var(cs, inv, fr_add_u64(&iv, 1));
        snprintf(what, sizeof what, "%s: inverse hint + 1", sc[k]);
        expect_fail(cs, sc[k], 0, what);
        zk_cs_free(cs);
    }
    {
        gcase g = {.kind = G_NONZERO, .in = {fr_u64(0)}};
        zk_cs *cs = build_witness(&g);
        expect_fail(cs, "nonzero", 0, "assert_nonzero(0)");
        set_var(cs, (zk_var){(uint32_t)(zk_cs_n_vars(cs) - 1)}, fr_rand());
        expect_fail(cs, "nonzero", 0, "assert_nonzero(0), any inverse");
        zk_cs_free(cs);
    }
}

static void test_select_swap(void)
{
    int good = 1;
    for (int t = 0; t < 4; t++) {
        zk_fr a = fr_rand(), b = t == 3 ? a : fr_rand();
        for (uint64_t c = 0; c < 2; c++) {
            gcase g = {.kind = G_SELECT, .in = {fr_u64(c), a, b}};
            zk_cs *cs;
            good &= check_valid(&g, 1, &cs);
            zk_fr want, o = lc_val(cs, g.out[0]);
            zk_g_select_native(&want, (int)c, &a, &b);
            good &= zk_fr_eq(&o, &want) && zk_fr_eq(&o, c ? &a : &b);
            zk_cs_free(cs);
            gcase s = {.kind = G_SWAP, .in = {fr_u64(c), a, b}};
            good &= check_valid(&s, 1, &cs);
            zk_fr w2[2];
            zk_g_swap_native(w2, (int)c, &a, &b);
            zk_fr o0 = lc_val(cs, s.out[0]), o1 = lc_val(cs, s.out[1]);
            good &= zk_fr_eq(&o0, &w2[0]) && zk_fr_eq(&o1, &w2[1]) &&
                    zk_fr_eq(&o0, c ? &b : &a) && zk_fr_eq(&o1, c ? &a : &b);
            zk_cs_free(cs);
        }
    }
    ok(good, "select and swap (1 constraint each) for c = 0, 1: = native");

    for (uint64_t c = 0; c < 2; c++) {
        zk_fr a = fr_rand(), b = fr_rand();
        gcase g = {.kind = G_SELECT, .in = {fr_u64(c), a, b}};
        zk_cs *cs = build_witness(&g);
        set_var(cs, lc_top_var(cs, g.out[0]), c ? b : a); /* the other one */
        expect_fail(cs, "select", 0, c ? "select c = 1 output := b"
                                        : "select c = 0 output := a");
        zk_cs_free(cs);
        gcase s = {.kind = G_SWAP, .in = {fr_u64(c), a, b}};
        cs = build_witness(&s);
        set_var(cs, lc_top_var(cs, s.out[0]), c ? a : b); /* undo/do swap */
        expect_fail(cs, "swap", 0, c ? "swap c = 1 output not swapped"
                                      : "swap c = 0 output swapped");
        zk_cs_free(cs);
    }
}

/* ------------------------------------------------ modes, scopes, errors */

static void test_modes_scopes(void)
{
    /* WITNESS_ONLY gives the same witness as WITNESS. */
    gcase gs[4] = {
        {.kind = G_STRICT, .in = {fr_rand()}},
        {.kind = G_CMP, .n = 100, .op = ZK_G_LE,
         .in = {fr_rand_bits(100), fr_rand_bits(100)}},
        {.kind = G_IS_EQUAL, .in = {fr_u64(7), fr_u64(7)}},
        {.kind = G_SWAP, .in = {fr_u64(1), fr_rand(), fr_rand()}},
    };
    int good = 1;
    for (int k = 0; k < 4; k++) {
        zk_cs *w = build_witness(&gs[k]);
        zk_cs *o = new_cs(ZK_CS_WITNESS_ONLY);
        good &= build_case(o, &gs[k]) == ZK_OK;
        zk_fr *v1, *v2;
        size_t n1, n2;
        if (zk_cs_witness(&v1, &n1, w) != ZK_OK || zk_cs_witness(&v2, &n2, o) != ZK_OK)
            bail_out("zk_cs_witness");
        good &= n1 == n2 && memcmp(v1, v2, n1 * sizeof *v1) == 0 &&
                zk_cs_n_constraints(w) == zk_cs_n_constraints(o);
        free(v1);
        free(v2);
        zk_cs_free(w);
        zk_cs_free(o);
    }
    ok(good, "WITNESS_ONLY: the same witness and count as WITNESS");

    /* Scope report of a small circuit using several gadgets. */
    zk_cs *cs = new_cs(ZK_CS_WITNESS);
    zk_fr x = fr_u64(1000), y = fr_u64(999);
    zk_lc lx = zk_lc_var(cs, zk_cs_alloc_prv_in(cs, &x));
    zk_lc ly = zk_lc_var(cs, zk_cs_alloc_prv_in(cs, &y));
    zk_cs_push(cs, "circuit");
    zk_lc lt = zk_g_cmp_checked(cs, ZK_G_LT, ly, lx, 16);
    zk_lc eq = zk_g_is_equal(cs, lx, ly);
    zk_lc s = zk_g_select(cs, lt, lx, ly);
    zk_lc bits[10];
    zk_g_num2bits(cs, bits, 10, s);
    zk_cs_pop(cs);
    zk_cs_scope_stat *st;
    size_t ns;
    if (zk_cs_scope_report(&st, &ns, cs) != ZK_OK)
        bail_out("zk_cs_scope_report");
    struct { const char *path; uint64_t cons; } want[] = {
        {"circuit", 3 * 16 + 1 + 2 + 1 + 10},
        {"circuit/less_than_checked", 49},
        {"circuit/less_than_checked/range", 32},
        {"circuit/less_than_checked/less_than", 17},
        {"circuit/is_equal", 2},
        {"circuit/select", 1},
        {"circuit/num2bits", 10},
    };
    int found = 0;
    good = 1;
    for (size_t i = 0; i < ns; i++)
        for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
            if (strcmp(st[i].path, want[k].path) == 0) {
                found++;
                good &= st[i].n_constraints_total == want[k].cons;
                if (st[i].n_constraints_total != want[k].cons)
                    diag("%s: %llu constraints", st[i].path,
                         (unsigned long long)st[i].n_constraints_total);
            }
    free(st);
    zk_fr vl = lc_val(cs, lt), ve = lc_val(cs, eq), vs = lc_val(cs, s);
    ok(good && found == 7 && satisfied(cs) && zk_fr_is_one(&vl) &&
       zk_fr_is_zero(&ve) && zk_fr_eq(&vs, &x),
       "scope report: per-gadget paths and counts; 999 < 1000 selects 1000");
    zk_cs_free(cs);
}

static void test_errors(void)
{
    struct { const char *what; int k; } cases[] = {
        {"num2bits(254)", 0}, {"num2bits NULL bits", 1},
        {"assert_range(254)", 2}, {"cmp(253)", 3}, {"cmp bad op", 4},
        {"cmp_checked(253)", 5}, {"bits2num(255)", 6},
        {"bits_le_const(255)", 7}, {"bits_le_const NULL c", 8},
        {"assert_bits_le_const NULL bits", 9}, {"swap NULL out", 10},
        {"num2bits_strict NULL", 11},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (int mode = 0; mode < 2; mode++) {
            zk_cs *cs = new_cs(mode ? ZK_CS_WITNESS : ZK_CS_SHAPE);
            zk_lc x = zk_lc_var(cs, zk_cs_alloc_prv_in(cs, NULL));
            zk_lc b[256], o = zk_lc_zero();
            for (int j = 0; j < 256; j++)
                b[j] = x;
            zk_fr one = fr_u64(1);
            switch (cases[i].k) {
            case 0: zk_g_num2bits(cs, b, 254, x); break;
            case 1: zk_g_num2bits(cs, NULL, 3, x); break;
            case 2: zk_g_assert_range(cs, x, 254); break;
            case 3: o = zk_g_cmp(cs, ZK_G_LT, x, x, 253); break;
            case 4: o = zk_g_cmp(cs, (zk_g_cmp_op)4, x, x, 8); break;
            case 5: o = zk_g_cmp_checked(cs, ZK_G_GE, x, x, 253); break;
            case 6: o = zk_g_bits2num(cs, b, 255); break;
            case 7: o = zk_g_bits_le_const(cs, b, 255, &one); break;
            case 8: o = zk_g_bits_le_const(cs, b, 8, NULL); break;
            case 9: zk_g_assert_bits_le_const(cs, NULL, 8, &one); break;
            case 10: zk_g_swap(cs, NULL, x, x, x); break;
            default: zk_g_num2bits_strict(cs, NULL, x); break;
            }
            int good = zk_cs_err(cs) == ZK_EINVAL && zk_lc_len(o) == 0 &&
                       zk_cs_n_constraints(cs) == 0;
            if (cases[i].k == 0)
                good &= zk_lc_len(b[0]) == 0 && zk_lc_len(b[253]) == 0;
            /* and the cs stays inert */
            zk_g_num2bits(cs, b, 8, x);
            good &= zk_cs_n_constraints(cs) == 0 && zk_cs_err(cs) == ZK_EINVAL;
            ok(good, "%s (%s mode): sticky ZK_EINVAL, nothing built",
               cases[i].what, mode ? "WITNESS" : "SHAPE");
            zk_cs_free(cs);
        }
    }

    /* Natives. */
    uint8_t bv[256];
    int o;
    zk_fr x = fr_u64(5), rm1 = fr_neg_u64(1);
    is_int(zk_g_num2bits_native(bv, 255, &x), ZK_EINVAL, "native num2bits(255)");
    is_int(zk_g_num2bits_native(NULL, 3, &x), ZK_EINVAL, "native num2bits NULL");
    is_int(zk_g_num2bits_native(bv, 2, &x), ZK_ERANGE, "native num2bits(2) of 5");
    is_int(zk_g_num2bits_native(bv, 254, &rm1), ZK_OK, "native num2bits(254) of r - 1");
    is_int(zk_g_cmp_native(&o, ZK_G_LT, &x, &x, 253), ZK_EINVAL, "native cmp(253)");
    is_int(zk_g_cmp_native(&o, (zk_g_cmp_op)7, &x, &x, 8), ZK_EINVAL, "native cmp bad op");
    is_int(zk_g_cmp_native(&o, ZK_G_LT, &x, &rm1, 252), ZK_ERANGE,
           "native cmp(252) with y = r - 1");
    {
        int good = 1;
        for (int t = 0; t < 20; t++) {
            zk_fr a = fr_rand_bits(100), b = fr_rand_bits(100);
            uint64_t la[4], lb[4];
            zk_fr_to_limbs(la, &a);
            zk_fr_to_limbs(lb, &b);
            int s = la[1] != lb[1] ? (la[1] < lb[1] ? -1 : 1)
                                   : la[0] != lb[0] ? (la[0] < lb[0] ? -1 : 1) : 0;
            int r0, r1, r2, r3;
            good &= zk_g_cmp_native(&r0, ZK_G_LT, &a, &b, 100) == 0 && r0 == (s < 0);
            good &= zk_g_cmp_native(&r1, ZK_G_LE, &a, &b, 100) == 0 && r1 == (s <= 0);
            good &= zk_g_cmp_native(&r2, ZK_G_GT, &a, &b, 100) == 0 && r2 == (s > 0);
            good &= zk_g_cmp_native(&r3, ZK_G_GE, &a, &b, 100) == 0 && r3 == (s >= 0);
        }
        ok(good, "native comparators agree with a direct limb comparison");
    }
}


/* ------------------------------------------------------------- export */

/* Every gadget in one circuit: public output the selected value. */
static int build_all(zk_cs *cs, void *ctx)
{
    const zk_fr *in = ctx; /* x, y, c */
    zk_var out = zk_cs_alloc_pub_out(cs, NULL);
    zk_lc x = zk_lc_var(cs, zk_cs_alloc_pub_in(cs, &in[0]));
    zk_lc y = zk_lc_var(cs, zk_cs_alloc_prv_in(cs, &in[1]));
    zk_lc c = zk_lc_var(cs, zk_cs_alloc_prv_in(cs, &in[2]));
    zk_lc b64[64], b254[ZK_G_FR_BITS], sw[2];
    zk_g_num2bits(cs, b64, 64, x);
    zk_g_assert_range(cs, y, 64);
    zk_lc lt = zk_g_cmp(cs, ZK_G_LT, x, y, 64);
    zk_lc ge = zk_g_cmp_checked(cs, ZK_G_GE, x, y, 64);
    zk_g_num2bits_strict(cs, b254, c);
    zk_fr l, lm1;
    if (zk_fr_from_dec(&l, BJJ_L) != ZK_OK)
        return ZK_EINVAL;
    zk_fr_sub(&lm1, &l, (zk_fr[]){fr_u64(1)});
    zk_lc small = zk_g_bits_le_const(cs, b254, ZK_G_FR_BITS, &lm1);
    zk_g_assert_bits_le_const(cs, b254, ZK_G_FR_BITS, (zk_fr[]){fr_neg_u64(1)});
    zk_lc eq = zk_g_is_equal(cs, zk_g_bits2num(cs, b64, 64), x);
    zk_g_assert_nonzero(cs, eq);
    zk_lc z = zk_g_is_zero(cs, c);
    zk_g_swap(cs, sw, lt, x, y);
    zk_lc s = zk_g_select(cs, small, sw[0], sw[1]);
    zk_lc t = zk_g_select(cs, ge, s, z);
    zk_fr tv;
    zk_lc_eval(&tv, cs, t);
    zk_cs_set(cs, out, &tv);
    zk_cs_enforce_equal(cs, zk_lc_var(cs, out), t);
    return zk_cs_err(cs);
}

static const char *interop_dir(void)
{
    static char dir[4096];
    const char *top = getenv("top_srcdir");
    snprintf(dir, sizeof dir, "%s/tests/interop/node_modules",
             top ? top : ".");
    char probe[4352];
    snprintf(probe, sizeof probe, "%s/snarkjs/cli.js", dir);
    if (!exists(probe))
        return NULL;
    if (system("node --version >/dev/null 2>&1") != 0)
        return NULL;
    static char abs[PATH_MAX];
    return realpath(dir, abs);
}

/* Exit status of `snarkjs wtns check`, 1 in *correct when it printed
 * "WITNESS IS CORRECT". */
static int wtns_check(const char *nm, const char *r1cs, const char *wtns,
                      int *correct)
{
    char cmd[16384];
    snprintf(cmd, sizeof cmd,
             "node '%s/snarkjs/cli.js' wtns check '%s' '%s' > '%s' 2>&1", nm,
             r1cs, wtns, tpath("check.log"));
    int st = system(cmd);
    size_t n;
    uint8_t *b = get_file(tpath("check.log"), &n);
    char *t = realloc(b, n + 1);
    if (!t)
        bail_out("oom");
    t[n] = '\0';
    *correct = strstr(t, "WITNESS IS CORRECT") != NULL;
    free(t);
    return st == -1 ? -1 : (st >> 8) & 0xff;
}

static void test_export(void)
{
    zk_fr in[3] = {fr_rand_bits(64), fr_rand_bits(64), fr_rand()};
    size_t diff = 0;
    is_int(zk_cs_check_modes(build_all, in, &diff), ZK_OK,
           "all gadgets in one circuit: SHAPE = WITNESS");
    zk_cs *s = new_cs(ZK_CS_SHAPE), *w = new_cs(ZK_CS_WITNESS_ONLY);
    zk_cs *full = new_cs(ZK_CS_WITNESS);
    if (build_all(s, in) || build_all(w, in) || build_all(full, in))
        bail_out("build_all");
    ok(satisfied(full), "all gadgets: satisfied (%zu constraints, %zu wires)",
       zk_cs_n_constraints(full), zk_cs_n_vars(full));
    zk_r1cs *r;
    zk_fr *wv;
    size_t nw, bad = 0;
    if (zk_cs_to_r1cs(&r, s) != ZK_OK || zk_cs_witness(&wv, &nw, w) != ZK_OK)
        bail_out("export");
    is_int(zk_r1cs_is_satisfied(r, wv, nw, &bad), ZK_OK,
           "exported SHAPE r1cs with the WITNESS_ONLY witness: satisfied");
    is_int(zk_cs_write_r1cs(tpath("all.r1cs"), s), ZK_OK, "write all.r1cs");
    is_int(zk_cs_write_wtns(tpath("all.wtns"), w), ZK_OK, "write all.wtns");
    /* a tampered witness: the folded bit 0 of x's decomposition moves */
    zk_var xv = {2}; /* after ONE and out */
    zk_fr xt;
    zk_cs_val(&xt, w, xv);
    xt = fr_add_u64(&xt, 1);
    zk_cs_set(w, xv, &xt);
    is_int(zk_cs_write_wtns(tpath("bad.wtns"), w), ZK_OK, "write bad.wtns");
    const char *nm = interop_dir();
    if (!nm) {
        skip(2, "node or tests/interop/node_modules/snarkjs not available");
    } else {
        int correct = 0;
        int st = wtns_check(nm, tpath("all.r1cs"), tpath("all.wtns"), &correct);
        ok(st == 0 && correct, "snarkjs wtns check accepts the gadget "
           "circuit's .r1cs/.wtns (exit %d)", st);
        st = wtns_check(nm, tpath("all.r1cs"), tpath("bad.wtns"), &correct);
        ok(st != 0 && !correct, "snarkjs rejects x + 1 in the witness "
           "(exit %d)", st);
    }
    free(wv);
    zk_r1cs_free(r);
    zk_cs_free(s);
    zk_cs_free(w);
    zk_cs_free(full);
    unlink(tpath("all.r1cs"));
    unlink(tpath("all.wtns"));
    unlink(tpath("bad.wtns"));
    unlink(tpath("check.log"));
}

int main(void)
{
    testdir_make("zkpar-bits");
    double t0 = now();
    test_num2bits();
    test_strict();
    test_cmp();
    test_le_const();
    test_is_zero();
    test_select_swap();
    test_modes_scopes();
    test_errors();
    test_export();
    testdir_remove();
    diag("test_bits: %.2f s", now() - t0);
    return done_testing();
}
