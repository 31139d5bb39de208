/*
 * bits.h -- the basic gadgets on the constraint-system builder (r1cs/cs.h):
 * bit decomposition, range checks, comparators, is-zero, is-equal,
 * select, swap, and "bit vector <= constant"; circomlib's bitify,
 * comparators, aliascheck, compconstant, mux1 and switcher, with no more
 * constraints than circom --O2 gives those templates.
 *
 * -------------------------------------------------------------- contract
 *
 * Every gadget takes the cs first, then its outputs, then LC inputs (any
 * zk_lc of this cs: a variable, a constant, another gadget's output), and
 * runs in a named scope (given per function) so that zk_cs_is_satisfied
 * and zk_cs_scope_report name it.  Outputs are LCs made in the cs's arena
 * above the mark current at the call, like any zk_lc (cs.h, "Ownership");
 * all other arena space a gadget uses is released before it returns.
 *
 * Structure depends only on the sizes and constants passed (n, c), never
 * on values or on the mode (THE RULE of cs.h), so every gadget builds the
 * same system in ZK_CS_SHAPE and the witness modes.  Values (hints: bits,
 * inverses) are computed from the inputs' current values in the witness
 * modes; an input that violates a gadget's precondition gives a witness
 * that does not satisfy the system (or, for the unchecked comparators and
 * bits_le_const, a meaningless output, see there) -- never an error.
 *
 * Errors are the cs's sticky errors: an n beyond a function's limit or a
 * NULL array records ZK_EINVAL in the cs (outputs are then empty LCs);
 * check zk_cs_err() or the export's status once at the end, as cs.h says.
 * cs itself must not be NULL.
 *
 * Costs (constraints; circom 2.2.3 --O2 on circomlib 2.0.5 in brackets,
 * from tests/interop/gadgets-circomlib.mjs):
 *
 *   zk_g_num2bits(n)            n            [Num2Bits(n): n]
 *   zk_g_num2bits_strict        353          [Num2Bits_strict: 515]
 *   zk_g_assert_range(n)        n            [Num2Bits(n): n]
 *   zk_g_cmp(op, n)             n + 1        [LessThan(n) etc.: n + 1]
 *   zk_g_cmp_checked(op, n)     3n + 1       [none]
 *   zk_g_is_zero                2            [IsZero: 2]
 *   zk_g_is_equal               2            [IsEqual: 2]
 *   zk_g_assert_nonzero         1            [none]
 *   zk_g_select                 1            [Mux1: 1]
 *   zk_g_swap                   1            [Switcher: 1]
 *   zk_g_bits_le_const(254, l-1)  253        [CompConstant(l-1): 262]
 *   zk_g_assert_bits_le_const(254, r-1)  253 [AliasCheck: 261]
 *   zk_g_bits2num               0            [Bits2Num(n): 0]
 *
 * The n-bit decomposition gets to n constraints, like circom's linear
 * substitution, by folding the sum into bit 0: bits 1..n-1 are variables
 * with the constraints b*(b-1) = 0, and bit 0 is the LC x - sum 2^i b_i
 * with the same constraint.  So bits[0] is an LC of about n + len(x)
 * terms; callers that use it in many constraints may cut it with
 * zk_cs_to_var (one more constraint).
 *
 * Time: witness values are native C, O(n) field operations (the
 * decomposition's bits come from one conversion of x to limbs).  Nothing
 * is constant-time (circuit values are public to the prover).  Thread
 * safety: as the cs (one thread per cs).
 *
 * Native twins (zk_g_*_native) compute the same outputs out of circuit
 * for inputs that meet the preconditions; tests compare the two.
 */
#ifndef ZK_GADGETS_BITS_H
#define ZK_GADGETS_BITS_H

#include <stddef.h>
#include <stdint.h>

#include "field/fr.h"
#include "r1cs/cs.h"
#include "util/err.h"

/* The largest n for zk_g_num2bits / zk_g_assert_range: 2^253 < r, so
 * every sum of 253 bits is below r and the decomposition is unique. */
#define ZK_G_NUM2BITS_MAX 253
/* The bit length of r: zk_g_num2bits_strict's output. */
#define ZK_G_FR_BITS 254
/* The largest n for the comparators (circomlib's LessThan: n <= 252),
 * since they decompose x - y + 2^n into n + 1 bits. */
#define ZK_G_CMP_MAX 252

/* ------------------------------------------------------ decomposition */

/*
 * bits[0..n) = the little-endian bits of x, each constrained boolean, and
 * sum 2^i bits[i] = x; so the system is satisfiable only when x < 2^n.
 * 0 <= n <= ZK_G_NUM2BITS_MAX (n = 0 constrains x = 0).  Scope
 * "num2bits", n constraints (1 for n = 0), n - 1 variables.  bits[1..n)
 * are variables; bits[0] is the folded LC (see above).  ZK_EINVAL for a
 * larger n or bits NULL with n > 0.
 */
void zk_g_num2bits(zk_cs *cs, zk_lc *bits, size_t n, zk_lc x);

/*
 * bits[0..254) = the canonical bits of x (the integer in [0, r) that x
 * is): boolean bits whose sum is x AND whose integer value is below r
 * (circomlib's Num2Bits_strict = Num2Bits(254) + AliasCheck, which
 * without the check would also accept the bits of x + r when x + r <
 * 2^254).  Always satisfiable for any x.  Scope "num2bits_strict", 353
 * constraints: bits <= r - 1 is checked while decomposing, most
 * significant bit first, with a running product eq of "the bits so far
 * equal those of r - 1" (one constraint per 1 bit of r - 1 after the
 * first) and, at each 0 bit of r - 1, b*(1 - eq - b) = 0 in place of the
 * boolean constraint (b boolean, and b = 0 while eq = 1), as bellman's
 * field_into_allocated_bits_le does.  ZK_EINVAL for bits NULL.
 */
void zk_g_num2bits_strict(zk_cs *cs, zk_lc bits[ZK_G_FR_BITS], zk_lc x);

/*
 * sum 2^i bits[i] for i < n, an LC (no constraint, no scope; the bits
 * are not constrained here).  n <= ZK_G_FR_BITS (ZK_EINVAL beyond; the
 * sum is taken mod r).  zk_g_bits2num(zk_g_num2bits(x)) is x's LC again.
 */
zk_lc zk_g_bits2num(zk_cs *cs, const zk_lc *bits, size_t n);

/*
 * Assert x < 2^n: zk_g_num2bits without keeping the bits.
 * 0 <= n <= ZK_G_NUM2BITS_MAX.  Scope "range", n constraints.
 */
void zk_g_assert_range(zk_cs *cs, zk_lc x, size_t n);

/* --------------------------------------------------------- comparators */

typedef enum {
    ZK_G_LT = 0, /* x <  y   circomlib LessThan(n)      scope "less_than" */
    ZK_G_LE = 1, /* x <= y   LessEqThan(n)              "less_eq" */
    ZK_G_GT = 2, /* x >  y   GreaterThan(n)             "greater_than" */
    ZK_G_GE = 3  /* x >= y   GreaterEqThan(n)           "greater_eq" */
} zk_g_cmp_op;

/*
 * out = (x op y) as a boolean LC, for x, y < 2^n, 0 <= n <= ZK_G_CMP_MAX;
 * n + 1 constraints, n variables.  As circomlib's LessThan: the n + 1
 * bits of d = x + 2^n - y (x + 2^n - y - 1 for <=; x and y exchanged for
 * > and >=) with out = 1 - bit n (d < 2^n exactly when x < y).
 *
 * PRECONDITION, as in circomlib ("N is the number of bits the input
 * have"): x and y must already be known to be < 2^n -- range-checked by
 * the caller (zk_g_assert_range) or small by construction (bits, counters
 * bounded elsewhere).  This gadget does not check it: with x or y out of
 * range the output is meaningless, and the system may still be
 * satisfiable (x = r - 1, i.e. "-1", y = 0 gives x < y = 1).  Use
 * zk_g_cmp_checked when the inputs are not otherwise bounded.
 * ZK_EINVAL for n > ZK_G_CMP_MAX or an unknown op.
 */
zk_lc zk_g_cmp(zk_cs *cs, zk_g_cmp_op op, zk_lc x, zk_lc y, size_t n);

/*
 * zk_g_cmp preceded by zk_g_assert_range(x, n) and (y, n): no
 * precondition; 3n + 1 constraints.  Scope "<op scope>_checked", e.g.
 * "less_than_checked", holding "range" and the comparator's scope.
 */
zk_lc zk_g_cmp_checked(zk_cs *cs, zk_g_cmp_op op, zk_lc x, zk_lc y,
                       size_t n);

static inline zk_lc zk_g_less_than(zk_cs *cs, zk_lc x, zk_lc y, size_t n)
{
    return zk_g_cmp(cs, ZK_G_LT, x, y, n);
}
static inline zk_lc zk_g_less_eq(zk_cs *cs, zk_lc x, zk_lc y, size_t n)
{
    return zk_g_cmp(cs, ZK_G_LE, x, y, n);
}
static inline zk_lc zk_g_greater_than(zk_cs *cs, zk_lc x, zk_lc y, size_t n)
{
    return zk_g_cmp(cs, ZK_G_GT, x, y, n);
}
static inline zk_lc zk_g_greater_eq(zk_cs *cs, zk_lc x, zk_lc y, size_t n)
{
    return zk_g_cmp(cs, ZK_G_GE, x, y, n);
}

/*
 * out = 1 if bits (little-endian, n of them) as an integer is <= c, else
 * 0; a boolean LC.  n <= ZK_G_FR_BITS, c any field element (its canonical
 * integer).  circomlib's CompConstant(c) gives the opposite bit (x > c).
 *
 * PRECONDITION: every bits[i] is boolean (e.g. from zk_g_num2bits, or
 * constrained by the caller); otherwise the output is meaningless.
 * Method: most significant bit first, eq = "bits so far equal c's";
 * at a 0 bit i of c, t_i = eq * b_i (x > c decided here), eq -= t_i; at a
 * 1 bit, eq *= b_i; out = 1 - sum t_i.  At most one constraint per bit
 * below the most significant (253 for n = 254 and c = l - 1, Baby
 * Jubjub's subgroup order minus one); none when c >= 2^n - 1 (out = 1).
 * Scope "bits_le_const".  ZK_EINVAL for n > ZK_G_FR_BITS, NULL pointers.
 */
zk_lc zk_g_bits_le_const(zk_cs *cs, const zk_lc *bits, size_t n,
                         const zk_fr *c);

/*
 * Assert bits <= c (same precondition: boolean bits), e.g. EdDSA's S < l
 * as bits <= l - 1.  At a 0 bit of c: eq * b_i = 0; at a 1 bit: eq *=
 * b_i; at most one constraint per bit below the most significant (one
 * per bit for the 0 bits of c above the top of c).  Scope
 * "assert_bits_le_const".
 */
void zk_g_assert_bits_le_const(zk_cs *cs, const zk_lc *bits, size_t n,
                               const zk_fr *c);

/* ---------------------------------------------------------- is-zero etc */

/*
 * out = 1 if x = 0 else 0 (a variable, as an LC).  Hint inv = 1/x (0 for
 * x = 0); constraints x * inv = 1 - out and x * out = 0 (circomlib's
 * IsZero).  Scope "is_zero", 2 constraints, 2 variables (inv, out).
 */
zk_lc zk_g_is_zero(zk_cs *cs, zk_lc x);

/* out = 1 if a = b else 0: is_zero(a - b).  Scope "is_equal", 2
 * constraints. */
zk_lc zk_g_is_equal(zk_cs *cs, zk_lc a, zk_lc b);

/* Assert x != 0: x * inv = 1 with the hint inv = 1/x.  Scope "nonzero",
 * 1 constraint, 1 variable. */
void zk_g_assert_nonzero(zk_cs *cs, zk_lc x);

/* (a = b is zk_cs_enforce_equal, a boolean is zk_cs_assert_bool.) */

/* ------------------------------------------------------- select, swap */

/*
 * out = c ? a : b, i.e. b + c (a - b), for boolean c (precondition: the
 * caller constrains c; otherwise out is that field expression).  out is a
 * new variable; constraint c * (a - b) = out - b (circomlib's Mux1 with
 * s = c, c[0] = b, c[1] = a).  Scope "select", 1 constraint, 1 variable.
 */
zk_lc zk_g_select(zk_cs *cs, zk_lc c, zk_lc a, zk_lc b);

/*
 * Conditional swap for boolean c (same precondition):
 * (out[0], out[1]) = c ? (b, a) : (a, b).  out[0] is a new variable with
 * c * (b - a) = out[0] - a; out[1] = a + b - out[0] (an LC).  Scope
 * "swap", 1 constraint, 1 variable (circomlib's Switcher with sel = c,
 * L = a, R = b: outL = out[0], outR = out[1]).
 */
void zk_g_swap(zk_cs *cs, zk_lc out[2], zk_lc c, zk_lc a, zk_lc b);

/* ------------------------------------------------------- native twins */

/*
 * bits[0..n) = the low n bits of x's canonical integer (0 or 1 each).
 * 0 on success; ZK_ERANGE when x >= 2^n (bits still the low n bits: the
 * circuit's system is then unsatisfiable); ZK_EINVAL for n > ZK_G_FR_BITS
 * or bits NULL with n > 0.  n = ZK_G_FR_BITS is zk_g_num2bits_strict.
 */
ZK_WUR int zk_g_num2bits_native(uint8_t *bits, size_t n, const zk_fr *x);

/* x = sum 2^i bits[i] mod r (any nonzero byte counts as 1); n <=
 * ZK_G_FR_BITS (bits beyond are ignored). */
void zk_g_bits2num_native(zk_fr *x, const uint8_t *bits, size_t n);

/*
 * *out = (x op y) ? 1 : 0 for x, y < 2^n.  ZK_ERANGE (out untouched)
 * when x or y >= 2^n: the precondition of zk_g_cmp; ZK_EINVAL for
 * n > ZK_G_CMP_MAX or an unknown op.
 */
ZK_WUR int zk_g_cmp_native(int *out, zk_g_cmp_op op, const zk_fr *x,
                           const zk_fr *y, size_t n);

/* 1 if the integer of bits[0..n) is <= c's canonical integer, else 0;
 * n <= ZK_G_FR_BITS (bits beyond are ignored), any nonzero byte is 1. */
int zk_g_bits_le_const_native(const uint8_t *bits, size_t n, const zk_fr *c);

int zk_g_is_zero_native(const zk_fr *x);                   /* x == 0 */
int zk_g_is_equal_native(const zk_fr *a, const zk_fr *b);  /* a == b */
/* out = c ? a : b (c nonzero means 1); out may alias a or b. */
void zk_g_select_native(zk_fr *out, int c, const zk_fr *a, const zk_fr *b);
/* out = c ? (b, a) : (a, b); out may alias a or b. */
void zk_g_swap_native(zk_fr out[2], int c, const zk_fr *a, const zk_fr *b);

#endif
