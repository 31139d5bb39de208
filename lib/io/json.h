/*
 * json.h -- snarkjs JSON files for Groth16 over BN254 (jansson values):
 * proof.json, public.json and verification_key.json, exactly as snarkjs
 * writes them (src/groth16_prove.js, src/zkey_export_verificationkey.js):
 *
 *   proof.json   {"pi_a": G1, "pi_b": G2, "pi_c": G1,
 *                 "protocol": "groth16", "curve": "bn128"}
 *   public.json  ["<dec>", ...]   (public outputs, then public inputs)
 *   verification_key.json
 *                {"protocol": "groth16", "curve": "bn128", "nPublic": n,
 *                 "vk_alpha_1": G1, "vk_beta_2": G2, "vk_gamma_2": G2,
 *                 "vk_delta_2": G2, "vk_alphabeta_12": GT, "IC": [G1 x n+1]}
 *
 * with G1 = ["x", "y", "1"], G2 = [["x0","x1"], ["y0","y1"], ["1","0"]]
 * (decimal strings; infinity as in g1.h / g2.h) and GT the 12 Fp
 * coefficients of an Fp12 nested [[[c000,c001],[c010,c011],[c020,c021]],
 * [[c100,c101],[c110,c111],[c120,c121]]] (the order of fp12.h).
 *
 * Encoders emit the keys in snarkjs's order and return a new reference
 * (json_decref it), or NULL when memory runs out.
 *
 * Decoders validate everything: every point is in range, on the curve and
 * (G2) in the subgroup.  Unknown keys are ignored.  "protocol" and "curve"
 * may be absent (rapidsnark omits "curve") but, when present, must be
 * "groth16" and "bn128" (or "bn254").  Return codes:
 *   ZK_EENCODING    wrong JSON shape: not an object/array, a missing key, a
 *                   wrong array length, a number where a string belongs (or
 *                   the reverse), bad decimal digits, z other than 1 (or 0
 *                   for infinity), IC length != nPublic + 1;
 *   ZK_ERANGE       a coordinate >= p, a public value >= r;
 *   ZK_ENOTONCURVE  a point off its curve;
 *   ZK_ENOTINGROUP  a G2 point outside the order-r subgroup;
 *   ZK_EFORMAT      "protocol" other than "groth16" or "curve" other than
 *                   "bn128"/"bn254";
 *   ZK_ENOMEM, ZK_EINVAL (NULL out or j).
 *
 * WHERE: every decoder takes an optional `const char **where` (may be
 * NULL).  On error *where names the field that failed, for a tool's
 * message: "pi_a", "pi_b", "pi_c", "protocol", "curve", "nPublic",
 * "vk_alpha_1", "vk_beta_2", "vk_gamma_2", "vk_delta_2",
 * "vk_alphabeta_12", "IC", "IC[3]", "public[5]", or "(root)" when j itself
 * has the wrong type.  The string is never freed by the caller; indexed
 * names ("IC[3]", "public[5]") live in a thread-local buffer that the next
 * failing decoder call on the same thread overwrites.  On success *where is
 * set to NULL.
 *
 * Thread-safe: no shared mutable state.
 */
#ifndef ZK_IO_JSON_H
#define ZK_IO_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "curve/g1.h"
#include "curve/g2.h"
#include "field/fp12.h"
#include "field/fr.h"
#include "util/err.h"

/* A Groth16 proof (A, B, C).  Defined here for now; groth16.h will own it
 * later (this header will then include it). */
typedef struct zk_groth16_proof {
    zk_g1 a;
    zk_g2 b;
    zk_g1 c;
} zk_groth16_proof;

/* A Groth16 verification key.  ic has n_public + 1 points (malloc'ed; free
 * with zk_groth16_vk_free).  alphabeta = e(alpha, beta): when the file has
 * vk_alphabeta_12 the decoder checks it equals zk_pairing(alpha, beta)
 * (ZK_EENCODING at "vk_alphabeta_12" otherwise; snarkjs's value agrees, see
 * pairing.h) and sets has_alphabeta; the encoder writes it only when
 * has_alphabeta is set. */
typedef struct zk_groth16_vk {
    zk_g1 alpha;
    zk_g2 beta, gamma, delta;
    zk_fp12 alphabeta;
    int has_alphabeta;
    size_t n_public;
    zk_g1 *ic; /* n_public + 1 */
} zk_groth16_vk;

/* proof.json.  *out is written only on success. */
ZK_WUR int zk_json_proof_decode(zk_groth16_proof *out, const json_t *j, const char **where);
json_t *zk_json_proof_encode(const zk_groth16_proof *p);

/* public.json.  On success *vals is a malloc'ed array of *n values (NULL
 * when *n == 0) for free(); on error *vals = NULL, *n = 0.  Each value must
 * be a decimal string < r (ZK_ERANGE otherwise, as the Solidity verifier
 * rejects it). */
ZK_WUR int zk_json_public_decode(zk_fr **vals, size_t *n, const json_t *j, const char **where);
json_t *zk_json_public_encode(const zk_fr *vals, size_t n);

/* verification_key.json.  On error *out is zeroed (ic = NULL), so
 * zk_groth16_vk_free(out) is always safe. */
ZK_WUR int zk_json_vk_decode(zk_groth16_vk *out, const json_t *j, const char **where);
json_t *zk_json_vk_encode(const zk_groth16_vk *vk);
/* Frees vk->ic and zeroes *vk; vk may be NULL. */
void zk_groth16_vk_free(zk_groth16_vk *vk);

/*
 * One point as snarkjs writes it: G1 ["x", "y", "1"], G2 [["x0", "x1"],
 * ["y0", "y1"], ["1", "0"]] (decimal strings; infinity as in g1.h, g2.h).
 * Encoders: a new reference, or NULL when memory runs out.  Decoders:
 * ZK_EENCODING (shape, digits, z), ZK_ERANGE (a coordinate >= p),
 * ZK_ENOTONCURVE; they do not check G2 subgroup membership (callers do,
 * zk_g2_in_subgroup).  For other formats that embed points (srs.vk.json).
 */
json_t *zk_json_g1_encode(const zk_g1 *p);
json_t *zk_json_g2_encode(const zk_g2 *p);
ZK_WUR int zk_json_g1_decode(zk_g1 *r, const json_t *j);
ZK_WUR int zk_json_g2_decode(zk_g2 *r, const json_t *j);

#endif
