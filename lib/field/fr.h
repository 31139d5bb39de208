/*
 * fr.h -- the scalar field Fr of BN254, r = 0x30644e72...0001 (254 bits).
 *
 * Elements are zk_fr values in Montgomery form (x * 2^256 mod r), four
 * little-endian 64-bit limbs, always fully reduced.  They are plain values:
 * copy them, keep them on the stack.  The hot operations are fixed-width
 * code with no allocation; conversions to and from strings use GMP.
 *
 * Unless a comment says otherwise:
 *  - r may alias any input;
 *  - functions are constant-time in their inputs; _var ones are not and
 *    must only see public data;
 *  - functions are thread-safe (no global state).
 *
 * Fr is also the exponent group of G1 and G2; its 2-adicity is 28, which
 * makes NTTs of size up to 2^28 possible (see zk_fr_root_of_unity).
 */
#ifndef ZK_FR_H
#define ZK_FR_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

typedef struct { uint64_t l[4]; } zk_fr;

/* Decimal strings have at most 77 digits; buffers need ZK_FR_DEC_MAX. */
#define ZK_FR_DEC_MAX 80
/* "0x" + 64 hex digits + NUL */
#define ZK_FR_HEX_MAX 67

void zk_fr_zero(zk_fr *r);
void zk_fr_one(zk_fr *r);
void zk_fr_set_u64(zk_fr *r, uint64_t v);

void zk_fr_add(zk_fr *r, const zk_fr *a, const zk_fr *b);
void zk_fr_sub(zk_fr *r, const zk_fr *a, const zk_fr *b);
void zk_fr_neg(zk_fr *r, const zk_fr *a);
void zk_fr_dbl(zk_fr *r, const zk_fr *a);
void zk_fr_mul(zk_fr *r, const zk_fr *a, const zk_fr *b);
void zk_fr_sqr(zk_fr *r, const zk_fr *a);

/* r = a^e, e a 256-bit integer in little-endian limbs (constant time in a
 * and e). */
void zk_fr_pow(zk_fr *r, const zk_fr *a, const uint64_t e[4]);

/* r = 1/a.  ZK_EZERO (r set to 0) when a == 0.  Constant time. */
ZK_WUR int zk_fr_inv(zk_fr *r, const zk_fr *a);
/* The same, variable time (GMP's extended Euclid, ~6x faster): for public
 * data only.  ZK_EZERO for 0. */
ZK_WUR int zk_fr_inv_var(zk_fr *r, const zk_fr *a);

/* out[i] = 1/in[i] for n elements with one inversion (Montgomery's trick).
 * Zero inputs give zero outputs.  out must not alias in.  Variable time
 * in which entries are zero only. */
void zk_fr_batch_inv(zk_fr *out, const zk_fr *in, size_t n);

/* r = a square root of a (the one returned is unspecified but
 * deterministic).  ZK_ENOTSQUARE when a is not a square (r untouched). */
ZK_WUR int zk_fr_sqrt(zk_fr *r, const zk_fr *a);
/* 1 if a is a non-zero square, 0 if zero, -1 if a non-square. */
int zk_fr_legendre(const zk_fr *a);

int zk_fr_eq(const zk_fr *a, const zk_fr *b);
int zk_fr_is_zero(const zk_fr *a);
int zk_fr_is_one(const zk_fr *a);
/* Parity of the canonical integer (the "sign" used by compressions). */
int zk_fr_is_odd(const zk_fr *a);

/* Canonical integer value, little-endian limbs.  from_limbs: ZK_ERANGE if
 * the value is >= r (nothing is reduced). */
void zk_fr_to_limbs(uint64_t out[4], const zk_fr *a);
ZK_WUR int zk_fr_from_limbs(zk_fr *r, const uint64_t in[4]);

/* 32-byte canonical encodings, little- or big-endian.  Decoders return
 * ZK_ERANGE for values >= r. */
void zk_fr_to_bytes_le(uint8_t out[32], const zk_fr *a);
void zk_fr_to_bytes_be(uint8_t out[32], const zk_fr *a);
ZK_WUR int zk_fr_from_bytes_le(zk_fr *r, const uint8_t in[32]);
ZK_WUR int zk_fr_from_bytes_be(zk_fr *r, const uint8_t in[32]);

/* The Montgomery representation itself as 32 little-endian bytes: the
 * iden3 binary formats (.zkey, .ptau) store field elements this way.  The
 * decoder returns ZK_ERANGE when the stored value is >= r. */
void zk_fr_to_mont_le(uint8_t out[32], const zk_fr *a);
ZK_WUR int zk_fr_from_mont_le(zk_fr *r, const uint8_t in[32]);

/* Decimal (snarkjs JSON) and hexadecimal strings.  Parsers accept only
 * digits (hex: optional 0x, either case), no sign, no spaces; leading zeros
 * are allowed; ZK_EENCODING for bad syntax, ZK_ERANGE for values >= r.
 * to_dec writes minimal digits; to_hex writes "0x" and 64 digits. */
ZK_WUR int zk_fr_from_dec(zk_fr *r, const char *s);
ZK_WUR int zk_fr_from_hex(zk_fr *r, const char *s);
void zk_fr_to_dec(char out[ZK_FR_DEC_MAX], const zk_fr *a);
void zk_fr_to_hex(char out[ZK_FR_HEX_MAX], const zk_fr *a);

/* A uniformly random element from libsodium's generator. */
void zk_fr_random(zk_fr *r);

/* r = a primitive 2^k-th root of unity (0 <= k <= 28): the generator of the
 * multiplicative subgroup of order 2^k, omega_k = 5^((r-1)/2^k), the same
 * choice as ffjavascript/snarkjs (5 is the smallest non-residue).
 * ZK_EINVAL when k > 28. */
ZK_WUR int zk_fr_root_of_unity(zk_fr *r, unsigned k);

/* r = (big-endian integer in[0..n)) mod r, for any n <= 64: reduces hash
 * outputs (Fiat-Shamir challenges).  Variable time in n only. */
void zk_fr_from_bytes_be_reduce(zk_fr *r, const uint8_t *in, size_t n);

#endif
