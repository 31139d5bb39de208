/*
 * gadgets/merkle.h -- binary Merkle paths with Poseidon(2) in-circuit:
 * the root of a path, membership, and update (old leaf -> new leaf turns
 * old root into new root through the same siblings and the same path).
 * Native twin: hash/merkle.h, whose convention this follows exactly:
 *
 *   level 0 = the leaves; bits[k] (k = 0 .. depth-1, little-endian from
 *   the leaf level) is 0 when the path's node at level k is a left child,
 *   1 when it is a right child; siblings[k] is the other child.
 *   parent = bits[k] ? Poseidon(siblings[k], cur) : Poseidon(cur, siblings[k]).
 *
 * A level is circomlib's Switcher (1 constraint: aux = (sib - cur) * bit,
 * left = cur + aux, right = sib - aux) followed by Poseidon(2) (240
 * constraints, gadgets/poseidon.h).
 *
 * THE BITS ARE CHECKED HERE: every path gadget asserts bits[k] * (bits[k]
 * - 1) = 0 itself (1 constraint per level).  A non-boolean selector would
 * let a prover put any pair (x, y) with x + y = cur + sibling into the
 * parent hash, so knowing one preimage of the root would "prove" any leaf;
 * the test shows this attack is caught.  Callers that start from an index
 * use zk_g_merkle_index_bits, which makes bits whose sum is the index by
 * construction (no constraint) and leaves booleanity to the path gadget
 * they feed, so index decomposition plus path costs no more than the path.
 *
 * Counts (D = depth, P = 240 = Poseidon(2)):
 *
 *   zk_g_merkle_index_bits   0 (1 for D = 0)       (D - 1 variables)
 *   zk_g_merkle_root         D (P + 2)         = 242 D
 *   zk_g_merkle_verify       D (P + 2)         = 242 D
 *   zk_g_merkle_update       D (2 P + 3)       = 483 D
 *
 * (update: two paths of D switchers and D hashes each, one set of D
 * booleanity constraints; the new root is an output.)  The root checks
 * cost nothing extra: the last hash of the path is zk_g_poseidon_assert,
 * which folds "hash == root" into its last S-box as circom --O2 does with
 * `root === hash.out` (depth 0: 1 equality constraint).  Every variable
 * is one constraint's product, except the index bits.  circomlib has no plain Merkle-path template; tornado-core's
 * MerkleTreeChecker (DualMux: 2 constraints, plus the boolean check) costs
 * D (P + 3); the same circuit with circomlib's Switcher compiles to
 * 242 D (circom 2.2.3 --O2, D = 4: 972 and 968).
 *
 * Inputs are LCs of cs (variables, other gadgets' outputs); roots come
 * back as LCs of 3 terms (the last Poseidon's output), valid until the
 * caller releases a mark taken before the call.  Scopes: "merkle",
 * "merkle_update", "merkle_index", with children "bits" and "level[k]"
 * (update: "level[k]/old", "level[k]/new"), the Poseidon scopes below.
 *
 * Errors as in gadgets/poseidon.h: bad arguments (NULL, depth >
 * ZK_MERKLE_DEPTH_MAX) record ZK_EINVAL in cs (sticky) and return it;
 * otherwise the result is zk_cs_err(cs) after building; outputs are empty
 * LCs on error.  siblings and bits may be NULL when depth is 0 (the root
 * is then the leaf).  Public values; not constant-time; one thread per cs.
 */
#ifndef ZK_GADGETS_MERKLE_H
#define ZK_GADGETS_MERKLE_H

#include <stddef.h>

#include "hash/merkle.h"
#include "r1cs/cs.h"

/* *root = the root reached from leaf along siblings[0..depth) and
 * bits[0..depth) (asserted boolean here). */
int zk_g_merkle_root(zk_cs *cs, zk_lc *root, zk_lc leaf,
                     const zk_lc *siblings, const zk_lc *bits, size_t depth);

/* Membership: the root reached from leaf equals root. */
int zk_g_merkle_verify(zk_cs *cs, zk_lc root, zk_lc leaf,
                       const zk_lc *siblings, const zk_lc *bits,
                       size_t depth);

/*
 * Update: old_leaf at the path (siblings, bits) hashes to old_root
 * (enforced), and *new_root is the root with new_leaf in its place --
 * the same siblings, the same bits.  The caller enforces *new_root equal
 * to an expected value if it has one (1 linear constraint), or uses it as
 * the next state's root.
 */
int zk_g_merkle_update(zk_cs *cs, zk_lc *new_root, zk_lc old_root,
                       zk_lc old_leaf, zk_lc new_leaf, const zk_lc *siblings,
                       const zk_lc *bits, size_t depth);

/*
 * bits[0..depth) = the little-endian bits of index, for the path gadgets
 * above: bits[1..depth) are new internal variables holding the bits of
 * index's value (hints; zeros in SHAPE mode), bits[0] is the LC index -
 * sum_{k>=1} 2^k bits[k].  So the bits sum to index by construction and
 * this adds no constraint; once they are asserted boolean -- which every
 * path gadget above does, and NOTHING ELSE makes them sound -- they are
 * index's bits and index < 2^depth.  An index value >= 2^depth leaves a
 * bits[0] that is not boolean (the witness is rejected).  depth = 0
 * constrains index = 0 (1 constraint).  depth <= ZK_MERKLE_DEPTH_MAX, so
 * the sum cannot wrap around the field.  Scope "merkle_index".
 */
int zk_g_merkle_index_bits(zk_cs *cs, zk_lc *bits, zk_lc index, size_t depth);

#endif
