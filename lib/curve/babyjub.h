/*
 * babyjub.h -- Baby Jubjub (EIP-2494, circomlib's parameters): the twisted
 * Edwards curve
 *
 *     a x^2 + y^2 = 1 + d x^2 y^2,   a = 168700, d = 168696,
 *
 * over Fr, the scalar field of BN254, so coordinates are zk_fr.  The group
 * has order 8 l (cofactor 8, cyclic 8-torsion), l the 251-bit prime
 *
 *     l = 2736030358979909402780800718157159386076813972158567259200215660948447373041
 *
 * (circomlibjs babyJub.subOrder).  Base8 (circomlibjs babyJub.Base8) is the
 * base point of the order-l subgroup; Generator (babyJub.Generator) has
 * order 8 l and Base8 = [8] Generator.
 *
 * a is a square in Fr and d is not, so the addition law is complete
 * (Bernstein, Birkner, Joye, Lange, Peters, "Twisted Edwards curves",
 * 2008, Thm 3.3): one formula, no exceptional cases, identity (0, 1).
 *
 * Types.  zk_bj is an affine point (x, y); zk_bje is extended (X, Y, T, Z)
 * with x = X/Z, y = Y/Z, x y = T/Z, Z != 0 (Hisil, Wong, Carter, Dawson,
 * "Twisted Edwards curves revisited", 2008).  Both are plain values.
 *
 * Scalars are 256-bit unsigned integers as four little-endian 64-bit limbs
 * (k[0] least significant); any value is accepted (not reduced mod l: on a
 * point outside the order-l subgroup [k] and [k mod l] differ).  The
 * zk_bj_scalar_* helpers do arithmetic mod l in constant time.
 *
 * Time behaviour.  Field operations, point addition/doubling/negation and
 * the conversions are constant time.  zk_bje_mul and zk_bje_mul_base8 are
 * constant time in the scalar and the point (fixed windows, tables scanned
 * in full): use them for secret scalars.  Functions ending in _var and the
 * predicates (on-curve, subgroup, small order, equality), packing and
 * unpacking are variable time: public data only.
 *
 * Aliasing: r may alias any input.  Thread safety: no global state.
 *
 * Packing (circomlibjs babyJub.packPoint/unpackPoint): 32 bytes, y as a
 * little-endian integer (254 bits) whose top bit (bit 7 of byte 31) is set
 * when x > (r - 1)/2 as an integer.  zk_bj_unpack is strict where
 * circomlibjs is lax: see its comment.
 */
#ifndef ZK_BABYJUB_H
#define ZK_BABYJUB_H

#include <stddef.h>
#include <stdint.h>

#include "field/fr.h"
#include "util/err.h"

typedef struct { zk_fr x, y; } zk_bj;
typedef struct { zk_fr x, y, t, z; } zk_bje;

#define ZK_BJ_PACKED_BYTES 32

/* The subgroup order l, little-endian limbs. */
#define ZK_BJ_ORDER { 0x677297dc392126f1ULL, 0xab3eedb83920ee0aULL, \
                      0x370a08b6d0302b0bULL, 0x060c89ce5c263405ULL }

/* ---------------------------------------------------------- affine */

void zk_bj_identity(zk_bj *r);    /* (0, 1) */
void zk_bj_base8(zk_bj *r);       /* circomlibjs Base8, order l */
void zk_bj_generator(zk_bj *r);   /* circomlibjs Generator, order 8 l */
/* The curve constants a = 168700 and d = 168696 as field elements. */
void zk_bj_param_a(zk_fr *r);
void zk_bj_param_d(zk_fr *r);

int zk_bj_is_identity(const zk_bj *p);
/* a x^2 + y^2 == 1 + d x^2 y^2 */
int zk_bj_is_on_curve(const zk_bj *p);
/* On the curve and [l] p = identity (one variable-time multiplication). */
int zk_bj_in_subgroup(const zk_bj *p);
/* On the curve and [8] p = identity: one of the 8 points of order
 * dividing 8, the identity included. */
int zk_bj_is_small_order(const zk_bj *p);
int zk_bj_eq(const zk_bj *a, const zk_bj *b);
void zk_bj_neg(zk_bj *r, const zk_bj *p);            /* (-x, y) */
/* r = p + q, r = 2 p: complete formulas, one inversion each (the same
 * results as circomlibjs addPoint, which uses the affine formulas). */
void zk_bj_add(zk_bj *r, const zk_bj *p, const zk_bj *q);
void zk_bj_dbl(zk_bj *r, const zk_bj *p);
/* r = [k] p (variable time) and r = [k] Base8 (constant time), affine. */
void zk_bj_mul_var(zk_bj *r, const zk_bj *p, const uint64_t k[4]);
void zk_bj_mul_base8(zk_bj *r, const uint64_t k[4]);

/* out = circomlibjs packPoint(p).  p should be on the curve (any zk_bj is
 * packed, but only points on the curve unpack). */
void zk_bj_pack(uint8_t out[ZK_BJ_PACKED_BYTES], const zk_bj *p);
/* r = the point packed in in[0..len).  Errors (r untouched):
 *  ZK_EENCODING   len != 32, or x = 0 with the sign bit set (the
 *                 canonical packing of (0, +-1) has it clear);
 *  ZK_ERANGE      y >= r (circomlibjs reduces it mod r instead);
 *  ZK_ENOTONCURVE no x on the curve for this y.
 * Every point on the curve unpacks, whatever its order; (0, 1) and
 * (0, -1) included, which circomlibjs's unpackPoint rejects (it tests
 * x^2 for being a non-zero square).  Subgroup membership is the caller's
 * check (zk_bj_in_subgroup, zk_bj_is_small_order). */
ZK_WUR int zk_bj_unpack(zk_bj *r, const uint8_t *in, size_t len);

/* -------------------------------------------------------- extended */

void zk_bje_identity(zk_bje *r);
int zk_bje_is_identity(const zk_bje *p);
/* Z != 0, X Y = T Z and a X^2 Z^2 + Y^2 Z^2 = Z^4 + d X^2 Y^2. */
int zk_bje_is_on_curve(const zk_bje *p);
void zk_bje_from_affine(zk_bje *r, const zk_bj *a);
/* One constant-time inversion.  Every zk_bje this module produces has
 * Z != 0; Z = 0 (not a point) gives the identity. */
void zk_bj_from_extended(zk_bj *r, const zk_bje *p);
/* add-2008-hwcd and dbl-2008-hwcd for general a: complete on this curve,
 * constant time. */
void zk_bje_add(zk_bje *r, const zk_bje *p, const zk_bje *q);
void zk_bje_dbl(zk_bje *r, const zk_bje *p);
void zk_bje_neg(zk_bje *r, const zk_bje *p);
int zk_bje_eq(const zk_bje *p, const zk_bje *q);

/* r = [k] p, constant time in k and p: 4-bit fixed windows over all 256
 * bits, a 16-entry table scanned in full at each step.  Stack temporaries
 * are wiped before return. */
void zk_bje_mul(zk_bje *r, const zk_bje *p, const uint64_t k[4]);
/* r = [k] p for public k and p: 4-bit windows, variable time. */
void zk_bje_mul_var(zk_bje *r, const zk_bje *p, const uint64_t k[4]);
/* r = [k] Base8, constant time in k: a 4-tooth comb (64 doublings and 64
 * mixed additions) over a precomputed 16-entry table scanned in full.
 * Temporaries are wiped before return. */
void zk_bje_mul_base8(zk_bje *r, const uint64_t k[4]);

/* ------------------------------------------------ scalars mod l */

/* 1 when k < l. */
int zk_bj_scalar_is_canonical(const uint64_t k[4]);
/* r = (little-endian integer in[0..n)) mod l, n <= 64 (ZK_EINVAL when
 * larger; r untouched).  Constant time in the bytes; variable in n. */
ZK_WUR int zk_bj_scalar_from_bytes_reduce(uint64_t r[4], const uint8_t *in,
                                          size_t n);
/* r = (a b + c) mod l for any 256-bit a, b, c.  Constant time; r may
 * alias any input. */
void zk_bj_scalar_muladd(uint64_t r[4], const uint64_t a[4],
                         const uint64_t b[4], const uint64_t c[4]);

#endif
