/*
 * fp.h -- the base field Fp of BN254, p = 0x30644e72...fd47 (254 bits).
 *
 * Elements are zk_fp values in Montgomery form (x * 2^256 mod p), four
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
 * The scalar field Fr (fr.h) has the same interface with prefix zk_fr_.
 */
#ifndef ZK_FP_H
#define ZK_FP_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

typedef struct { uint64_t l[4]; } zk_fp;

/* Decimal strings have at most 77 digits; buffers need ZK_FP_DEC_MAX. */
#define ZK_FP_DEC_MAX 80
/* "0x" + 64 hex digits + NUL */
#define ZK_FP_HEX_MAX 67

void zk_fp_zero(zk_fp *r);
void zk_fp_one(zk_fp *r);
void zk_fp_set_u64(zk_fp *r, uint64_t v);

void zk_fp_add(zk_fp *r, const zk_fp *a, const zk_fp *b);
void zk_fp_sub(zk_fp *r, const zk_fp *a, const zk_fp *b);
void zk_fp_neg(zk_fp *r, const zk_fp *a);
void zk_fp_dbl(zk_fp *r, const zk_fp *a);
void zk_fp_mul(zk_fp *r, const zk_fp *a, const zk_fp *b);
void zk_fp_sqr(zk_fp *r, const zk_fp *a);

/* r = a^e, e a 256-bit integer in little-endian limbs (constant time in a
 * and e). */
void zk_fp_pow(zk_fp *r, const zk_fp *a, const uint64_t e[4]);

/* r = 1/a.  ZK_EZERO (r set to 0) when a == 0.  Constant time. */
ZK_WUR int zk_fp_inv(zk_fp *r, const zk_fp *a);

/* The same, variable time (GMP's extended Euclid, ~6x faster): for public
 * data only. */
ZK_WUR int zk_fp_inv_var(zk_fp *r, const zk_fp *a);

/* out[i] = 1/in[i] for n elements with one inversion (Montgomery's trick).
 * Zero inputs give zero outputs.  out must not alias in.  Variable time
 * in which entries are zero only. */
void zk_fp_batch_inv(zk_fp *out, const zk_fp *in, size_t n);

/* r = a square root of a (the one returned is unspecified but
 * deterministic).  ZK_ENOTSQUARE when a is not a square (r untouched). */
ZK_WUR int zk_fp_sqrt(zk_fp *r, const zk_fp *a);
/* 1 if a is a non-zero square, 0 if zero, -1 if a non-square. */
int zk_fp_legendre(const zk_fp *a);

int zk_fp_eq(const zk_fp *a, const zk_fp *b);
int zk_fp_is_zero(const zk_fp *a);
int zk_fp_is_one(const zk_fp *a);
/* Parity of the canonical integer (the "sign" used by compressions). */
int zk_fp_is_odd(const zk_fp *a);

/* Canonical integer value, little-endian limbs.  from_limbs: ZK_ERANGE if
 * the value is >= p (nothing is reduced). */
void zk_fp_to_limbs(uint64_t out[4], const zk_fp *a);
ZK_WUR int zk_fp_from_limbs(zk_fp *r, const uint64_t in[4]);

/* 32-byte canonical encodings, little- or big-endian.  Decoders return
 * ZK_ERANGE for values >= p. */
void zk_fp_to_bytes_le(uint8_t out[32], const zk_fp *a);
void zk_fp_to_bytes_be(uint8_t out[32], const zk_fp *a);
ZK_WUR int zk_fp_from_bytes_le(zk_fp *r, const uint8_t in[32]);
ZK_WUR int zk_fp_from_bytes_be(zk_fp *r, const uint8_t in[32]);

/* The Montgomery representation itself as 32 little-endian bytes: the
 * iden3 binary formats (.zkey, .ptau) store field elements this way.  The
 * decoder returns ZK_ERANGE when the stored value is >= p. */
void zk_fp_to_mont_le(uint8_t out[32], const zk_fp *a);
ZK_WUR int zk_fp_from_mont_le(zk_fp *r, const uint8_t in[32]);

/* Decimal (snarkjs JSON) and hexadecimal strings.  Parsers accept only
 * digits (hex: optional 0x, either case), no sign, no spaces; leading zeros
 * are allowed; ZK_EENCODING for bad syntax, ZK_ERANGE for values >= p.
 * to_dec writes minimal digits; to_hex writes "0x" and 64 digits. */
ZK_WUR int zk_fp_from_dec(zk_fp *r, const char *s);
ZK_WUR int zk_fp_from_hex(zk_fp *r, const char *s);
void zk_fp_to_dec(char out[ZK_FP_DEC_MAX], const zk_fp *a);
void zk_fp_to_hex(char out[ZK_FP_HEX_MAX], const zk_fp *a);

/* A uniformly random element from libsodium's generator. */
void zk_fp_random(zk_fp *r);

#endif
