/*
 * eddsa.h -- EdDSA on Baby Jubjub with Poseidon message hashing, the
 * scheme of circomlibjs's eddsa.signPoseidon / verifyPoseidon and of
 * circomlib's EdDSAPoseidonVerifier.
 *
 * Notation: B8 = Base8 (order l), H = BLAKE2b-512 (libsodium's
 * crypto_generichash, 64-byte output, no key), P = Poseidon
 * (lib/hash/poseidon.h, 5 inputs), integers little-endian.
 *
 * Keys.  The private key sk is 32 bytes.
 *   h  = H(sk)                                            (64 bytes)
 *   s  = h[0..32) with h[0] &= 0xf8, h[31] &= 0x7f, h[31] |= 0x40
 *        (circomlibjs pruneBuffer: s is a multiple of 8 in [2^254, 2^255))
 *   A  = [s >> 3] B8                                      (public key)
 *
 * Signing a message msg in Fr (deterministic, RFC 8032 style):
 *   r  = H(h[32..64) || msg as 32 canonical bytes) mod l
 *   R8 = [r] B8
 *   hm = P(R8.x, R8.y, A.x, A.y, msg)
 *   S  = (r + hm s) mod l
 * The signature is (R8, S).
 *
 * Compatibility with circomlibjs: the structure above is circomlibjs's
 * exactly, with one substitution: circomlibjs hashes with BLAKE-512 (the
 * SHA-3 finalist, npm blake-hash), which libsodium does not provide; we
 * use BLAKE2b-512.  Hence:
 *  - the SAME 32-byte private key gives a DIFFERENT public key (and
 *    different signatures) here and in circomlibjs (prv2pub);
 *    private keys are not portable between the two;
 *  - signatures ARE interchangeable: verification involves no BLAKE, so
 *    circomlibjs's verifyPoseidon accepts every signature made here, and
 *    zk_eddsa_verify accepts every signPoseidon signature (for the public
 *    key circomlibjs derives).
 *
 * Verification (circomlibjs verifyPoseidon's equation, cofactorless on the
 * left, the public key multiplied by 8):
 *   [S] B8 == R8 + [8 hm] A,   with S < l and R8, A on the curve,
 * and, stricter than circomlibjs (which accepts any signature with S
 * B8 = R8 under a small-order A, e.g. the identity), A must not be of
 * small order, as circomlib's circuit requires.  A need not be in the
 * order-l subgroup (A + T for a small-order T verifies signatures made by
 * the holder of A's key with A + T hashed in: the circuit behaves the
 * same); check zk_bj_in_subgroup when registering keys if that matters.
 *
 * Time and secrets: keygen, pubkey and sign keep h, s, r and their
 * intermediates in sodium_malloc memory, wiped on return, and use only
 * constant-time scalar multiplications and scalar arithmetic
 * (zk_bje_mul_base8, zk_bj_scalar_*).  verify handles public data and is
 * variable time.
 * Thread-safe (no global state).
 *
 * Packed signature (circomlibjs packSignature): 64 bytes, packed R8
 * (zk_bj_pack) || S as 32 little-endian bytes.
 */
#ifndef ZK_EDDSA_H
#define ZK_EDDSA_H

#include <stddef.h>
#include <stdint.h>

#include "curve/babyjub.h"
#include "field/fr.h"
#include "util/err.h"

#define ZK_EDDSA_SECRET_BYTES 32
#define ZK_EDDSA_SIG_BYTES 64

/* S is the canonical integer as little-endian limbs; a valid signature
 * has S < l. */
typedef struct {
    zk_bj r8;
    uint64_t s[4];
} zk_eddsa_sig;

/* sk = 32 bytes from libsodium's randombytes_buf.  Keep sk in
 * sodium_malloc memory.  ZK_EINVAL (NULL), ZK_ENOMEM (sodium_init). */
ZK_WUR int zk_eddsa_keygen(uint8_t sk[ZK_EDDSA_SECRET_BYTES]);

/* a = the public key of sk.  ZK_EINVAL (NULL), ZK_ENOMEM. */
ZK_WUR int zk_eddsa_pubkey(zk_bj *a, const uint8_t sk[ZK_EDDSA_SECRET_BYTES]);

/* sig = the signature of msg under sk (deterministic).  ZK_EINVAL (NULL),
 * ZK_ENOMEM; on error sig is untouched. */
ZK_WUR int zk_eddsa_sign(zk_eddsa_sig *sig,
                         const uint8_t sk[ZK_EDDSA_SECRET_BYTES],
                         const zk_fr *msg);

/* 0 when sig is a valid signature of msg under a.  Returns
 *  ZK_EVERIFY      the signature is invalid: S >= l, R8 off the curve,
 *                  or the equation fails;
 *  ZK_ENOTONCURVE  a is not on the curve;
 *  ZK_ENOTINGROUP  a is of small order (the identity included): no
 *                  signature is checkable against it;
 *  ZK_EINVAL       a NULL argument.
 * Callers that only need yes/no treat every non-zero value as "reject". */
ZK_WUR int zk_eddsa_verify(const zk_bj *a, const zk_fr *msg,
                           const zk_eddsa_sig *sig);

/* hm = P(R8.x, R8.y, A.x, A.y, msg), the challenge of the equation (for
 * the in-circuit verifier's witness).  ZK_EINVAL (NULL). */
ZK_WUR int zk_eddsa_challenge(zk_fr *hm, const zk_bj *r8, const zk_bj *a,
                              const zk_fr *msg);

/* circomlibjs packSignature / unpackSignature.  unpack rejects what
 * zk_bj_unpack rejects for R8 (ZK_EENCODING, ZK_ERANGE, ZK_ENOTONCURVE),
 * len != 64 or in NULL (ZK_EENCODING) and S >= l (ZK_ERANGE), where
 * circomlibjs's unpackSignature returns S as is and leaves the check to
 * verification; ZK_EINVAL when sig is NULL; sig untouched on error. */
void zk_eddsa_sig_pack(uint8_t out[ZK_EDDSA_SIG_BYTES],
                       const zk_eddsa_sig *sig);
ZK_WUR int zk_eddsa_sig_unpack(zk_eddsa_sig *sig, const uint8_t *in,
                               size_t len);

/* Unpack and verify: a signature that does not unpack is invalid, so every
 * unpacking error becomes ZK_EVERIFY; the key is checked first and the
 * other codes are those of zk_eddsa_verify. */
ZK_WUR int zk_eddsa_verify_packed(const zk_bj *a, const zk_fr *msg,
                                  const uint8_t *sig, size_t len);

#endif
