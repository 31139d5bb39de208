/*
 * bits.c -- bit decomposition, range checks, comparators, is-zero,
 * select, swap and bit-vector comparison with a constant (see bits.h).
 *
 * The constructions are circomlib's (circuits/bitify.circom,
 * comparators.circom, mux1.circom, switcher.circom) except two:
 *  - the decomposition folds its sum constraint into bit 0 (bits.h), which
 *    is what circom's --O2 linear substitution does to Num2Bits;
 *  - comparison of a bit vector with a constant (AliasCheck, CompConstant)
 *    runs a most-significant-first "equal so far" product, as bellman's
 *    boolean.rs field_into_allocated_bits_le and zcash's range checks do,
 *    instead of circomlib's 2-bit-window sum and 135-bit decomposition.
 */
#include "gadgets/bits.h"

#include <string.h>

/* ------------------------------------------------------------ helpers */

/* Misuse (bad sizes, NULL arrays): the sticky ZK_EINVAL, in every mode. */
static void g_misuse(zk_cs *cs)
{
    zk_cs_fail(cs, ZK_EINVAL);
}

static inline unsigned limb_bit(const uint64_t l[4], size_t i)
{
    return i < 256 ? (unsigned)(l[i / 64] >> (i % 64)) & 1u : 0u;
}

/* 1 when the integer l is < 2^n. */
static int limbs_below_pow2(const uint64_t l[4], size_t n)
{
    for (size_t i = n; i < 256; i++)
        if (limb_bit(l, i))
            return 0;
    return 1;
}

/* The canonical integer of x's current value (0 in SHAPE mode). */
static void lc_limbs(uint64_t out[4], const zk_cs *cs, zk_lc x)
{
    zk_fr v;
    zk_lc_eval(&v, cs, x);
    zk_fr_to_limbs(out, &v);
}

/* pw[i] = 2^i for i < n. */
static void pow2_table(zk_fr *pw, size_t n)
{
    if (n == 0)
        return;
    zk_fr_one(&pw[0]);
    for (size_t i = 1; i < n; i++)
        zk_fr_dbl(&pw[i], &pw[i - 1]);
}

/* The canonical limbs of r - 1. */
static void r_minus_1(uint64_t out[4])
{
    zk_fr m;
    zk_fr_one(&m);
    zk_fr_neg(&m, &m);
    zk_fr_to_limbs(out, &m);
}

/*
 * The decomposition core, no scope, arena not released: bits[0..n) of x
 * (1 <= n <= 254) with bits[1..n) new variables (values: the bits of
 * xv) and bits[0] = x - sum_{i>=1} 2^i bits[i].
 *
 * With le == NULL each bit gets b*(b-1) = 0.  With le != NULL (a constant
 * whose top bit is below n, so the check is not trivially true) the bits
 * are constrained, most significant first, to an integer <= le: eq is
 * "bits above i equal le's" (the constant 1 until the first 1 bit of le,
 * a product after it); at a 1 bit of le, b*(b-1) = 0 and eq *= b (only
 * while a 0 bit of le remains below); at a 0 bit, b*(1 - eq - b) = 0,
 * which makes b boolean and 0 while eq = 1.  Since b = 0 whenever eq = 1
 * there, eq needs no update at 0 bits.
 */
static void decompose(zk_cs *cs, zk_lc *bits, size_t n, zk_lc x,
                      const uint64_t xv[4], const uint64_t *le)
{
    zk_var v[ZK_G_FR_BITS];
    zk_fr coef[ZK_G_FR_BITS];
    for (size_t i = 1; i < n; i++) {
        zk_fr b;
        zk_fr_set_u64(&b, limb_bit(xv, i));
        v[i] = zk_cs_alloc(cs, &b);
    }
    pow2_table(coef, n);
    for (size_t i = 1; i < n; i++)
        zk_fr_neg(&coef[i], &coef[i]);
    bits[0] = x;
    if (n > 1)
        bits[0] = zk_lc_add(cs, x, zk_lc_from_terms(cs, v + 1, coef + 1, n - 1));
    for (size_t i = 1; i < n; i++)
        bits[i] = zk_lc_var(cs, v[i]);

    if (!le) {
        for (size_t i = n; i-- > 0;)
            zk_cs_assert_bool(cs, bits[i]);
        return;
    }
    size_t low0 = 0; /* lowest 0 bit of le (le < 2^n - 1 here) */
    while (limb_bit(le, low0))
        low0++;
    zk_lc one = zk_lc_const_u64(cs, 1), zero = zk_lc_zero();
    zk_lc eq = one;
    int eq_one = 1;
    for (size_t i = n; i-- > 0;) {
        if (limb_bit(le, i)) {
            zk_cs_assert_bool(cs, bits[i]);
            if (i > low0) {
                eq = eq_one ? bits[i] : zk_lc_var(cs, zk_cs_mul(cs, eq, bits[i]));
                eq_one = 0;
            }
        } else {
            zk_lc f = zk_lc_sub(cs, zk_lc_sub(cs, one, eq), bits[i]);
            zk_cs_enforce(cs, bits[i], f, zero);
        }
    }
}

/* ------------------------------------------------------ decomposition */

void zk_g_num2bits(zk_cs *cs, zk_lc *bits, size_t n, zk_lc x)
{
    if (n > ZK_G_NUM2BITS_MAX || (!bits && n > 0)) {
        g_misuse(cs);
        for (size_t i = 0; bits && i < n; i++)
            bits[i] = zk_lc_zero();
        return;
    }
    zk_cs_push(cs, "num2bits");
    size_t m = zk_cs_mark(cs);
    if (n == 0) {
        zk_cs_enforce_equal(cs, x, zk_lc_zero());
    } else {
        uint64_t xv[4];
        lc_limbs(xv, cs, x);
        decompose(cs, bits, n, x, xv, NULL);
        zk_cs_release_keep(cs, m, bits, n);
    }
    zk_cs_pop(cs);
}

void zk_g_num2bits_strict(zk_cs *cs, zk_lc bits[ZK_G_FR_BITS], zk_lc x)
{
    if (!bits) {
        g_misuse(cs);
        return;
    }
    zk_cs_push(cs, "num2bits_strict");
    size_t m = zk_cs_mark(cs);
    uint64_t xv[4], rm1[4];
    lc_limbs(xv, cs, x);
    r_minus_1(rm1);
    decompose(cs, bits, ZK_G_FR_BITS, x, xv, rm1);
    zk_cs_release_keep(cs, m, bits, ZK_G_FR_BITS);
    zk_cs_pop(cs);
}

zk_lc zk_g_bits2num(zk_cs *cs, const zk_lc *bits, size_t n)
{
    if (n > ZK_G_FR_BITS || (!bits && n > 0)) {
        g_misuse(cs);
        return zk_lc_zero();
    }
    if (n == 0)
        return zk_lc_zero();
    zk_fr pw[ZK_G_FR_BITS];
    pow2_table(pw, n);
    return zk_lc_combine(cs, pw, bits, n);
}

void zk_g_assert_range(zk_cs *cs, zk_lc x, size_t n)
{
    if (n > ZK_G_NUM2BITS_MAX) {
        g_misuse(cs);
        return;
    }
    zk_cs_push(cs, "range");
    size_t m = zk_cs_mark(cs);
    if (n == 0) {
        zk_cs_enforce_equal(cs, x, zk_lc_zero());
    } else {
        zk_lc bits[ZK_G_NUM2BITS_MAX];
        uint64_t xv[4];
        lc_limbs(xv, cs, x);
        decompose(cs, bits, n, x, xv, NULL);
    }
    zk_cs_release(cs, m);
    zk_cs_pop(cs);
}

/* --------------------------------------------------------- comparators */

static const char *const cmp_scope[4] = {"less_than", "less_eq",
                                         "greater_than", "greater_eq"};
static const char *const cmp_scope_checked[4] = {
    "less_than_checked", "less_eq_checked", "greater_than_checked",
    "greater_eq_checked"};

static int cmp_args_ok(zk_g_cmp_op op, size_t n)
{
    return (unsigned)op <= (unsigned)ZK_G_GE && n <= ZK_G_CMP_MAX;
}

zk_lc zk_g_cmp(zk_cs *cs, zk_g_cmp_op op, zk_lc x, zk_lc y, size_t n)
{
    if (!cmp_args_ok(op, n)) {
        g_misuse(cs);
        return zk_lc_zero();
    }
    zk_cs_push(cs, cmp_scope[op]);
    size_t m = zk_cs_mark(cs);
    /* x > y is y < x; x >= y is y <= x. */
    zk_lc a = (op == ZK_G_GT || op == ZK_G_GE) ? y : x;
    zk_lc b = (op == ZK_G_GT || op == ZK_G_GE) ? x : y;
    /* d = a + 2^n - b (- 1 for <=): in [0, 2^(n+1)) for a, b < 2^n, and
     * bit n of d is 1 exactly when a >= b (a > b for <=). */
    zk_fr k;
    zk_fr_one(&k);
    for (size_t i = 0; i < n; i++)
        zk_fr_dbl(&k, &k);
    if (op == ZK_G_LE || op == ZK_G_GE) {
        zk_fr one;
        zk_fr_one(&one);
        zk_fr_sub(&k, &k, &one);
    }
    zk_lc d = zk_lc_add_const(cs, zk_lc_sub(cs, a, b), &k);
    uint64_t dv[4];
    lc_limbs(dv, cs, d);
    zk_lc bits[ZK_G_CMP_MAX + 1];
    decompose(cs, bits, n + 1, d, dv, NULL);
    zk_lc out = zk_lc_sub(cs, zk_lc_const_u64(cs, 1), bits[n]);
    zk_cs_release_keep(cs, m, &out, 1);
    zk_cs_pop(cs);
    return out;
}

zk_lc zk_g_cmp_checked(zk_cs *cs, zk_g_cmp_op op, zk_lc x, zk_lc y,
                       size_t n)
{
    if (!cmp_args_ok(op, n)) {
        g_misuse(cs);
        return zk_lc_zero();
    }
    zk_cs_push(cs, cmp_scope_checked[op]);
    zk_g_assert_range(cs, x, n);
    zk_g_assert_range(cs, y, n);
    zk_lc out = zk_g_cmp(cs, op, x, y, n);
    zk_cs_pop(cs);
    return out;
}

/* -------------------------------------------------- bits vs a constant */

/* Common checks; *trivial = 1 when bits <= c holds for every n-bit
 * vector (c >= 2^n - 1).  0 when the arguments are bad (misuse recorded). */
static int le_const_args(zk_cs *cs, uint64_t cl[4], int *trivial,
                         const zk_lc *bits, size_t n, const zk_fr *c)
{
    if (n > ZK_G_FR_BITS || !c || (!bits && n > 0)) {
        g_misuse(cs);
        return 0;
    }
    zk_fr_to_limbs(cl, c);
    *trivial = !limbs_below_pow2(cl, n); /* c >= 2^n */
    if (!*trivial) {
        *trivial = 1; /* c = 2^n - 1? */
        for (size_t i = 0; i < n; i++)
            if (!limb_bit(cl, i))
                *trivial = 0;
    }
    return 1;
}

zk_lc zk_g_bits_le_const(zk_cs *cs, const zk_lc *bits, size_t n,
                         const zk_fr *c)
{
    uint64_t cl[4];
    int trivial;
    if (!le_const_args(cs, cl, &trivial, bits, n, c))
        return zk_lc_zero();
    zk_cs_push(cs, "bits_le_const");
    size_t m = zk_cs_mark(cs);
    zk_lc one = zk_lc_const_u64(cs, 1), out = one;
    if (!trivial) {
        size_t low0 = 0;
        while (limb_bit(cl, low0))
            low0++;
        zk_lc t[ZK_G_FR_BITS];
        size_t nt = 0;
        zk_lc eq = one;
        int eq_one = 1;
        for (size_t i = n; i-- > low0;) {
            if (limb_bit(cl, i)) {
                eq = eq_one ? bits[i] : zk_lc_var(cs, zk_cs_mul(cs, eq, bits[i]));
            } else {
                /* t = eq * b: bits above equal c's and b = 1 > c's 0. */
                zk_lc ti = eq_one ? bits[i] : zk_lc_var(cs, zk_cs_mul(cs, eq, bits[i]));
                t[nt++] = ti;
                if (i > low0)
                    eq = zk_lc_sub(cs, eq, ti); /* eq * (1 - b) */
            }
            eq_one = 0;
        }
        out = zk_lc_sub(cs, one, zk_lc_combine(cs, NULL, t, nt));
    }
    zk_cs_release_keep(cs, m, &out, 1);
    zk_cs_pop(cs);
    return out;
}

void zk_g_assert_bits_le_const(zk_cs *cs, const zk_lc *bits, size_t n,
                               const zk_fr *c)
{
    uint64_t cl[4];
    int trivial;
    if (!le_const_args(cs, cl, &trivial, bits, n, c))
        return;
    zk_cs_push(cs, "assert_bits_le_const");
    size_t m = zk_cs_mark(cs);
    if (!trivial) {
        size_t low0 = 0;
        while (limb_bit(cl, low0))
            low0++;
        zk_lc eq = zk_lc_zero(), zero = zk_lc_zero();
        int eq_one = 1;
        for (size_t i = n; i-- > low0;) {
            if (limb_bit(cl, i)) {
                if (i > low0)
                    eq = eq_one ? bits[i] : zk_lc_var(cs, zk_cs_mul(cs, eq, bits[i]));
                eq_one = 0;
            } else if (eq_one) {
                zk_cs_enforce_equal(cs, bits[i], zero); /* above c's top */
            } else {
                zk_cs_enforce(cs, eq, bits[i], zero);
            }
        }
    }
    zk_cs_release(cs, m);
    zk_cs_pop(cs);
}

/* ---------------------------------------------------------- is-zero etc */

/* out and its constraints, in the current scope. */
static zk_lc is_zero_core(zk_cs *cs, zk_lc x)
{
    zk_fr xv, inv, outv;
    zk_lc_eval(&xv, cs, x);
    if (zk_fr_inv(&inv, &xv) != ZK_OK) /* x = 0: inv = 0 */
        zk_fr_zero(&inv);
    zk_fr_set_u64(&outv, zk_fr_is_zero(&xv) ? 1 : 0);
    zk_var vi = zk_cs_alloc(cs, &inv);
    zk_var vo = zk_cs_alloc(cs, &outv);
    zk_lc out = zk_lc_var(cs, vo);
    /* x * inv = 1 - out: out = 0 needs an inverse, so x != 0; and
     * x * out = 0: out = 1 forces x = 0. */
    zk_cs_enforce(cs, x, zk_lc_var(cs, vi),
                  zk_lc_sub(cs, zk_lc_const_u64(cs, 1), out));
    zk_cs_enforce(cs, x, out, zk_lc_zero());
    return out;
}

zk_lc zk_g_is_zero(zk_cs *cs, zk_lc x)
{
    zk_cs_push(cs, "is_zero");
    size_t m = zk_cs_mark(cs);
    zk_lc out = is_zero_core(cs, x);
    zk_cs_release_keep(cs, m, &out, 1);
    zk_cs_pop(cs);
    return out;
}

zk_lc zk_g_is_equal(zk_cs *cs, zk_lc a, zk_lc b)
{
    zk_cs_push(cs, "is_equal");
    size_t m = zk_cs_mark(cs);
    zk_lc out = is_zero_core(cs, zk_lc_sub(cs, a, b));
    zk_cs_release_keep(cs, m, &out, 1);
    zk_cs_pop(cs);
    return out;
}

void zk_g_assert_nonzero(zk_cs *cs, zk_lc x)
{
    zk_cs_push(cs, "nonzero");
    size_t m = zk_cs_mark(cs);
    zk_fr xv, inv;
    zk_lc_eval(&xv, cs, x);
    if (zk_fr_inv(&inv, &xv) != ZK_OK) /* x = 0: no witness exists */
        zk_fr_zero(&inv);
    zk_var vi = zk_cs_alloc(cs, &inv);
    zk_cs_enforce(cs, x, zk_lc_var(cs, vi), zk_lc_const_u64(cs, 1));
    zk_cs_release(cs, m);
    zk_cs_pop(cs);
}

/* ------------------------------------------------------- select, swap */

/* b + c (a - b) on the current values. */
static void select_value(zk_fr *out, const zk_cs *cs, zk_lc c, zk_lc a,
                         zk_lc b)
{
    zk_fr cv, av, bv;
    zk_lc_eval(&cv, cs, c);
    zk_lc_eval(&av, cs, a);
    zk_lc_eval(&bv, cs, b);
    zk_fr_sub(&av, &av, &bv);
    zk_fr_mul(&av, &av, &cv);
    zk_fr_add(out, &bv, &av);
}

zk_lc zk_g_select(zk_cs *cs, zk_lc c, zk_lc a, zk_lc b)
{
    zk_cs_push(cs, "select");
    size_t m = zk_cs_mark(cs);
    zk_fr ov;
    select_value(&ov, cs, c, a, b);
    zk_lc out = zk_lc_var(cs, zk_cs_alloc(cs, &ov));
    zk_cs_enforce(cs, c, zk_lc_sub(cs, a, b), zk_lc_sub(cs, out, b));
    zk_cs_release_keep(cs, m, &out, 1);
    zk_cs_pop(cs);
    return out;
}

void zk_g_swap(zk_cs *cs, zk_lc out[2], zk_lc c, zk_lc a, zk_lc b)
{
    if (!out) {
        g_misuse(cs);
        return;
    }
    zk_cs_push(cs, "swap");
    size_t m = zk_cs_mark(cs);
    zk_fr ov;
    select_value(&ov, cs, c, b, a); /* out[0] = c ? b : a */
    out[0] = zk_lc_var(cs, zk_cs_alloc(cs, &ov));
    zk_cs_enforce(cs, c, zk_lc_sub(cs, b, a), zk_lc_sub(cs, out[0], a));
    out[1] = zk_lc_sub(cs, zk_lc_add(cs, a, b), out[0]);
    zk_cs_release_keep(cs, m, out, 2);
    zk_cs_pop(cs);
}

/* ------------------------------------------------------- native twins */

int zk_g_num2bits_native(uint8_t *bits, size_t n, const zk_fr *x)
{
    if (n > ZK_G_FR_BITS || !x || (!bits && n > 0))
        return ZK_EINVAL;
    uint64_t l[4];
    zk_fr_to_limbs(l, x);
    for (size_t i = 0; i < n; i++)
        bits[i] = (uint8_t)limb_bit(l, i);
    return limbs_below_pow2(l, n) ? ZK_OK : ZK_ERANGE;
}

void zk_g_bits2num_native(zk_fr *x, const uint8_t *bits, size_t n)
{
    zk_fr acc, one;
    zk_fr_zero(&acc);
    zk_fr_one(&one);
    if (n > ZK_G_FR_BITS)
        n = ZK_G_FR_BITS;
    for (size_t i = n; i-- > 0;) { /* Horner, most significant first */
        zk_fr_dbl(&acc, &acc);
        if (bits[i])
            zk_fr_add(&acc, &acc, &one);
    }
    *x = acc;
}

/* -1, 0, 1 as a <, =, > b (integers, most significant limb first). */
static int limbs_cmp(const uint64_t a[4], const uint64_t b[4])
{
    for (int i = 3; i >= 0; i--)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}

int zk_g_cmp_native(int *out, zk_g_cmp_op op, const zk_fr *x, const zk_fr *y,
                    size_t n)
{
    if (!out || !x || !y || !cmp_args_ok(op, n))
        return ZK_EINVAL;
    uint64_t a[4], b[4];
    zk_fr_to_limbs(a, x);
    zk_fr_to_limbs(b, y);
    if (!limbs_below_pow2(a, n) || !limbs_below_pow2(b, n))
        return ZK_ERANGE;
    int s = limbs_cmp(a, b);
    switch (op) {
    case ZK_G_LT: *out = s < 0; break;
    case ZK_G_LE: *out = s <= 0; break;
    case ZK_G_GT: *out = s > 0; break;
    default:      *out = s >= 0; break;
    }
    return ZK_OK;
}

int zk_g_bits_le_const_native(const uint8_t *bits, size_t n, const zk_fr *c)
{
    uint64_t a[4] = {0, 0, 0, 0}, cl[4];
    if (n > ZK_G_FR_BITS)
        n = ZK_G_FR_BITS;
    for (size_t i = 0; i < n; i++)
        if (bits[i])
            a[i / 64] |= (uint64_t)1 << (i % 64);
    zk_fr_to_limbs(cl, c);
    return limbs_cmp(a, cl) <= 0;
}

int zk_g_is_zero_native(const zk_fr *x)
{
    return zk_fr_is_zero(x);
}

int zk_g_is_equal_native(const zk_fr *a, const zk_fr *b)
{
    return zk_fr_eq(a, b);
}

void zk_g_select_native(zk_fr *out, int c, const zk_fr *a, const zk_fr *b)
{
    *out = c ? *a : *b;
}

void zk_g_swap_native(zk_fr out[2], int c, const zk_fr *a, const zk_fr *b)
{
    zk_fr x = *a, y = *b;
    out[0] = c ? y : x;
    out[1] = c ? x : y;
}
