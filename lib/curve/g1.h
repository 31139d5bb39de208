/*
 * g1.h -- G1 of BN254: E(Fp): y^2 = x^3 + 3, prime order r (cofactor 1).
 *
 * zk_g1 is an affine point (the point at infinity is (0, 0)); zk_g1j is
 * Jacobian (X, Y, Z) = (X/Z^2, Y/Z^3), Z = 0 at infinity.  Both are plain
 * values.  Group operations are variable-time in their exceptional cases
 * (doubling inside an addition, infinity) and otherwise branch-free;
 * zk_g1j_mul is the one meant for secret scalars (fixed window, scanned
 * table).  r may alias any input.
 *
 * Encodings (all decoders check the curve equation; G1 has cofactor 1, so
 * on the curve means in the group):
 *  - Ethereum precompiles (EIP-196): 64 bytes, x || y big-endian, the
 *    point at infinity is 64 zero bytes;
 *  - iden3 binary (.zkey, .ptau): 64 bytes, x || y little-endian in
 *    Montgomery form, infinity all zeros;
 *  - snarkjs JSON: decimal strings [x, y, "1"], infinity ["0", "1", "0"].
 * Byte decoders take the input length and return ZK_EENCODING unless it is
 * exactly 64.  Decoders return ZK_ERANGE (a coordinate >= p), ZK_ENOTONCURVE, or
 * ZK_EENCODING (bad syntax, or a z other than 0/1 in JSON).
 */
#ifndef ZK_G1_H
#define ZK_G1_H

#include <stddef.h>

#include "field/fp.h"
#include "field/fr.h"

typedef struct { zk_fp x, y; } zk_g1;
typedef struct { zk_fp x, y, z; } zk_g1j;

void zk_g1_generator(zk_g1 *r);
void zk_g1_set_inf(zk_g1 *r);
int zk_g1_is_inf(const zk_g1 *p);
/* y^2 = x^3 + 3; the point at infinity counts as on the curve. */
int zk_g1_is_on_curve(const zk_g1 *p);
/* on the curve (every point of E(Fp) is in G1) */
int zk_g1_in_subgroup(const zk_g1 *p);
int zk_g1_eq(const zk_g1 *a, const zk_g1 *b);
void zk_g1_neg(zk_g1 *r, const zk_g1 *p);

void zk_g1j_set_inf(zk_g1j *r);
int zk_g1j_is_inf(const zk_g1j *p);
void zk_g1j_from_affine(zk_g1j *r, const zk_g1 *a);
void zk_g1_from_jacobian(zk_g1 *r, const zk_g1j *p);
/* out[i] = affine(in[i]), one field inversion for all n.  ZK_ENOMEM. */
ZK_WUR int zk_g1j_batch_to_affine(zk_g1 *out, const zk_g1j *in, size_t n);
void zk_g1j_add(zk_g1j *r, const zk_g1j *p, const zk_g1j *q);
void zk_g1j_add_affine(zk_g1j *r, const zk_g1j *p, const zk_g1 *q);
void zk_g1j_dbl(zk_g1j *r, const zk_g1j *p);
void zk_g1j_neg(zk_g1j *r, const zk_g1j *p);
int zk_g1j_eq(const zk_g1j *p, const zk_g1j *q);
/* r = [k] p; constant time in k and p (see above); 2x the cost of
 * zk_g1j_mul_var. */
void zk_g1j_mul(zk_g1j *r, const zk_g1j *p, const zk_fr *k);
/* r = [k] p for public k: double-and-add, variable time. */
void zk_g1j_mul_var(zk_g1j *r, const zk_g1j *p, const zk_fr *k);

void zk_g1_to_eth(uint8_t out[64], const zk_g1 *p);
ZK_WUR int zk_g1_from_eth(zk_g1 *r, const uint8_t *in, size_t len);
void zk_g1_to_iden3(uint8_t out[64], const zk_g1 *p);
ZK_WUR int zk_g1_from_iden3(zk_g1 *r, const uint8_t *in, size_t len);
/* snarkjs JSON coordinates as three decimal strings. */
void zk_g1_to_dec(char out[3][ZK_FP_DEC_MAX], const zk_g1 *p);
ZK_WUR int zk_g1_from_dec(zk_g1 *r, const char *const in[3]);

#endif
