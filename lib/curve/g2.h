/*
 * g2.h -- G2 of BN254: the order-r subgroup of the sextic D-type twist
 * E'(Fp2): y^2 = x^3 + 3/(9 + u).  E'(Fp2) has order r * c with a large
 * cofactor c, so decoders always check subgroup membership.
 *
 * Same conventions as g1.h.  Encodings:
 *  - Ethereum precompiles (EIP-197): 128 bytes big-endian,
 *    x.c1 || x.c0 || y.c1 || y.c0 (imaginary part first); infinity zeros;
 *  - iden3 binary: 128 bytes, x.c0 || x.c1 || y.c0 || y.c1, each
 *    little-endian Montgomery; infinity zeros;
 *  - snarkjs JSON: [[x.c0, x.c1], [y.c0, y.c1], ["1", "0"]], infinity
 *    [["0","0"], ["1","0"], ["0","0"]].
 * Byte decoders take the input length and return ZK_EENCODING unless it is
 * exactly 128.  Decoders return ZK_ERANGE, ZK_ENOTONCURVE, ZK_ENOTINGROUP, ZK_EENCODING.
 */
#ifndef ZK_G2_H
#define ZK_G2_H

#include <stddef.h>

#include "field/fp2.h"
#include "field/fr.h"

typedef struct { zk_fp2 x, y; } zk_g2;
typedef struct { zk_fp2 x, y, z; } zk_g2j;

void zk_g2_generator(zk_g2 *r);
void zk_g2_set_inf(zk_g2 *r);
int zk_g2_is_inf(const zk_g2 *p);
int zk_g2_is_on_curve(const zk_g2 *p);
/* p is in G2 (p on the curve is a precondition): psi(p) == [6z^2] p, see
 * g2.c.  zk_g2_in_subgroup_slow checks [r] p == infinity instead (twice
 * the work; kept as the tests' reference). */
int zk_g2_in_subgroup(const zk_g2 *p);
int zk_g2_in_subgroup_slow(const zk_g2 *p);
int zk_g2_eq(const zk_g2 *a, const zk_g2 *b);
void zk_g2_neg(zk_g2 *r, const zk_g2 *p);

void zk_g2j_set_inf(zk_g2j *r);
int zk_g2j_is_inf(const zk_g2j *p);
void zk_g2j_from_affine(zk_g2j *r, const zk_g2 *a);
void zk_g2_from_jacobian(zk_g2 *r, const zk_g2j *p);
ZK_WUR int zk_g2j_batch_to_affine(zk_g2 *out, const zk_g2j *in, size_t n);
void zk_g2j_add(zk_g2j *r, const zk_g2j *p, const zk_g2j *q);
void zk_g2j_add_affine(zk_g2j *r, const zk_g2j *p, const zk_g2 *q);
void zk_g2j_dbl(zk_g2j *r, const zk_g2j *p);
void zk_g2j_neg(zk_g2j *r, const zk_g2j *p);
int zk_g2j_eq(const zk_g2j *p, const zk_g2j *q);
/* r = [k] p, constant time in k and p (complete formulas, see g1.h). */
void zk_g2j_mul(zk_g2j *r, const zk_g2j *p, const zk_fr *k);
void zk_g2j_mul_var(zk_g2j *r, const zk_g2j *p, const zk_fr *k);

void zk_g2_to_eth(uint8_t out[128], const zk_g2 *p);
ZK_WUR int zk_g2_from_eth(zk_g2 *r, const uint8_t *in, size_t len);
void zk_g2_to_iden3(uint8_t out[128], const zk_g2 *p);
ZK_WUR int zk_g2_from_iden3(zk_g2 *r, const uint8_t *in, size_t len);
/* [x.c0, x.c1, y.c0, y.c1, z.c0, z.c1] */
void zk_g2_to_dec(char out[6][ZK_FP_DEC_MAX], const zk_g2 *p);
ZK_WUR int zk_g2_from_dec(zk_g2 *r, const char *const in[6]);

/* A point of E'(Fp2) that is (almost surely) NOT in G2, derived from seed
 * by trying x = seed, seed + 1, ... until x^3 + b' is a square: for tests
 * of subgroup checks. */
void zk_g2_twist_point_from_seed(zk_g2 *r, uint64_t seed);

#endif
