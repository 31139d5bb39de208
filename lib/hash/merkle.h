/*
 * merkle.h -- binary Merkle trees over BN254's Fr with Poseidon(2): path
 * roots, the empty-tree hashes, and a sparse in-memory tree (the native
 * twin of gadgets/merkle.h, and the rollup's state tree).
 *
 * Convention (shared with gadgets/merkle.h):
 *
 *   node(level + 1, i) = Poseidon(node(level, 2 i), node(level, 2 i + 1))
 *
 * with level 0 the leaves and level depth the root.  A leaf's index has
 * `depth` bits, little-endian from the leaf level: bit k of the index says
 * whether the path's node at level k is a left (0) or right (1) child, and
 * siblings[k] is the other child of the same parent.  So
 *
 *   cur = leaf;  for k = 0 .. depth-1:
 *       cur = bit k ? Poseidon(siblings[k], cur) : Poseidon(cur, siblings[k])
 *   root = cur.
 *
 * An empty leaf is 0; the empty subtree of height k hashes to zeros[k]
 * with zeros[0] = 0, zeros[k + 1] = Poseidon(zeros[k], zeros[k]).  A tree
 * of depth 0 is one leaf, its own root.
 *
 * Values are public: nothing here is constant-time (the hashes are, see
 * hash/poseidon.h).  The free functions are thread-safe; a tree may be read
 * by several threads at once but must not be written concurrently with
 * anything else.
 */
#ifndef ZK_HASH_MERKLE_H
#define ZK_HASH_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#include "field/fr.h"
#include "util/err.h"
#include "util/pool.h"

/* Deepest path zk_merkle_root accepts (the index is a uint64_t). */
#define ZK_MERKLE_DEPTH_MAX 64
/* Deepest sparse tree. */
#define ZK_MERKLE_TREE_DEPTH_MAX 32

/* out = Poseidon(left, right): one tree node.  Aliasing allowed. */
ZK_WUR int zk_merkle_hash(zk_fr *out, const zk_fr *left, const zk_fr *right);

/*
 * *root = the root reached from *leaf at `index` through siblings[0..depth)
 * (the loop above).  0 <= depth <= ZK_MERKLE_DEPTH_MAX.  ZK_EINVAL: NULL
 * pointer (siblings may be NULL when depth is 0) or depth too large;
 * ZK_ERANGE: index >= 2^depth.  root may alias leaf.
 */
ZK_WUR int zk_merkle_root(zk_fr *root, const zk_fr *leaf,
                          const zk_fr *siblings, size_t depth, uint64_t index);

/* zeros[0..depth] = the empty-subtree hashes of heights 0..depth
 * (depth + 1 elements).  ZK_EINVAL: zeros NULL or depth >
 * ZK_MERKLE_DEPTH_MAX. */
ZK_WUR int zk_merkle_zeros(zk_fr *zeros, size_t depth);

/* ------------------------------------------------------- sparse tree */

/*
 * A tree of depth D (0 <= D <= ZK_MERKLE_TREE_DEPTH_MAX, 2^D leaves, all
 * initially 0).  Only nodes that differ from the empty-subtree hash of
 * their height are stored (a hash table keyed by level and index), so
 * memory is O(D * non-zero leaves) and an empty tree of depth 32 is a few
 * hundred bytes.  set costs D + 1 table updates and D Poseidon(2) hashes;
 * get, node and path are O(1), O(1) and O(D) lookups; root is O(1).
 */
typedef struct zk_merkle_tree zk_merkle_tree;

/* ZK_EINVAL (out NULL, depth too large), ZK_ENOMEM; *out NULL on error. */
ZK_WUR int zk_merkle_tree_new(zk_merkle_tree **out, size_t depth);
/* NULL is fine. */
void zk_merkle_tree_free(zk_merkle_tree *t);

size_t zk_merkle_tree_depth(const zk_merkle_tree *t);
/* Number of stored (non-empty) nodes, leaves included. */
size_t zk_merkle_tree_n_nodes(const zk_merkle_tree *t);

/* *root = the current root. */
void zk_merkle_tree_root(zk_fr *root, const zk_merkle_tree *t);

/*
 * Set leaf `index` to *leaf and update the nodes above it.  All or
 * nothing: on ZK_ENOMEM the tree is unchanged (room for the D + 1 nodes is
 * reserved before anything is written).  ZK_EINVAL: NULL pointer;
 * ZK_ERANGE: index >= 2^depth.
 */
ZK_WUR int zk_merkle_tree_set(zk_merkle_tree *t, uint64_t index,
                              const zk_fr *leaf);

/*
 * Set leaves indices[i] to leaves[i] for i < n (a repeated index: the last
 * value wins) and update the nodes above them, each affected node hashed
 * once: about 2n hashes for n leaves that fill a subtree, where n calls of
 * zk_merkle_tree_set take n D.  The hashes of each level run on pool
 * (NULL: in the calling thread); the tree is the same as after the n sets
 * in order, for any pool.  All or nothing: the indices are checked and
 * room for every node reserved before anything is written.  ZK_EINVAL:
 * NULL t, or NULL arrays with n > 0; ZK_ERANGE: an index >= 2^depth;
 * ZK_ENOMEM.  n == 0 changes nothing.
 */
ZK_WUR int zk_merkle_tree_set_many(zk_merkle_tree *t, const uint64_t *indices,
                                   const zk_fr *leaves, size_t n, zk_pool *pool);

/* *leaf = leaf `index` (0 if never set).  ZK_EINVAL, ZK_ERANGE. */
ZK_WUR int zk_merkle_tree_get(zk_fr *leaf, const zk_merkle_tree *t,
                              uint64_t index);

/* *out = node `index` of `level` (0 = leaves, depth = root; index <
 * 2^(depth - level)).  ZK_EINVAL (NULL, level > depth), ZK_ERANGE. */
ZK_WUR int zk_merkle_tree_node(zk_fr *out, const zk_merkle_tree *t,
                               size_t level, uint64_t index);

/* siblings[0..depth) = the authentication path of leaf `index`, in the
 * order zk_merkle_root takes it.  ZK_EINVAL (NULL pointers; siblings may
 * be NULL for depth 0), ZK_ERANGE. */
ZK_WUR int zk_merkle_tree_path(zk_fr *siblings, const zk_merkle_tree *t,
                               uint64_t index);

#endif
