/*
 * state.h -- the rollup state in memory: accounts in a sparse Poseidon
 * Merkle tree of depth D, each with a balance tree of depth T, and the
 * application of transactions with their transition records.
 *
 * The tree layout, the transactions and their rules are specified in
 * rollup/tx.h; this module is their native implementation on a whole
 * state.  An applied transaction yields a zk_rollup_record that
 * zk_rollup_record_check accepts (the same checks the chunk circuit makes).
 *
 * Cost: the account tree is a zk_merkle_tree (only non-empty nodes are
 * stored, empty subtrees use the zero hashes); each account keeps its full
 * balance tree (2^(T+1) field elements, 32 B to 16 KiB) and its cached
 * leaf.  A transaction costs at most 2 (D + T + 1) Poseidon hashes plus
 * one signature verification, O(D + T) lookups and no rehash of anything
 * else.  Memory: O(D) per account in the tree plus its balance tree.
 *
 * Threads: a state may be read by several threads at once (the const
 * functions) but not written concurrently with anything.  Public data
 * only; nothing here is constant-time.
 */
#ifndef ZK_ROLLUP_STATE_H
#define ZK_ROLLUP_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "curve/babyjub.h"
#include "field/fr.h"
#include "rollup/tx.h"
#include "util/err.h"
#include "util/pool.h"

typedef struct zk_rollup_state zk_rollup_state;

/*
 * *out = an empty state (no account, not even the operator: add accounts
 * with zk_rollup_state_put before applying transactions).  For loaders.
 * ZK_EINVAL (out NULL, depth not in 1..32, token_depth > 8), ZK_ENOMEM;
 * *out NULL on error.
 */
ZK_WUR int zk_rollup_state_new(zk_rollup_state **out, unsigned depth,
                               unsigned token_depth);

/*
 * *out = the genesis state: n accounts at indices 0 .. n-1 (index 0 the
 * operator), account i with public key pubkeys[i], nonce 0 and balance
 * balances[i 2^T + t] in token t (balances NULL: all 0).  Errors (*out
 * NULL): ZK_EINVAL (NULL, depths out of range, n == 0 or n > 2^D),
 * ZK_ENOTONCURVE / ZK_ENOTINGROUP (a key off the curve / of small order,
 * see the key rule in tx.h), ZK_ERANGE (a balance >= 2^96), ZK_ENOMEM.
 * The accounts are made by zk_rollup_state_put_many on pool (NULL: in the
 * calling thread).
 */
ZK_WUR int zk_rollup_state_genesis(zk_rollup_state **out, unsigned depth,
                                   unsigned token_depth,
                                   const zk_bj *pubkeys, size_t n,
                                   const zk_fr *balances, zk_pool *pool);

/* NULL is fine. */
void zk_rollup_state_free(zk_rollup_state *st);

/*
 * Create the account at `index` with key *pubkey, `nonce` and balances
 * balances[0 .. 2^T) (NULL: all 0); for loaders of state files.  Errors
 * (state unchanged): ZK_EINVAL (NULL, the slot is taken), ZK_ERANGE
 * (index >= 2^D, a balance >= 2^96), ZK_ENOTONCURVE, ZK_ENOTINGROUP,
 * ZK_ENOMEM.  A state that came from zk_rollup_state_genesis refuses
 * nothing else; a loaded state must have an account at index 0.
 */
ZK_WUR int zk_rollup_state_put(zk_rollup_state *st, uint64_t index,
                               const zk_bj *pubkey, uint64_t nonce,
                               const zk_fr *balances);

/* One account for zk_rollup_state_put_many. */
typedef struct {
    uint64_t index;
    zk_bj pubkey;
    uint64_t nonce;
    const zk_fr *balances; /* 2^T of them, or NULL: all 0 */
} zk_rollup_account_in;

/*
 * Create n accounts at once, as n calls of zk_rollup_state_put would, all
 * or none: every account is checked (the errors of zk_rollup_state_put,
 * ZK_EINVAL also for two accounts with one index) before the state
 * changes.  The balance trees and leaves are computed on pool (NULL: in
 * the calling thread) and the account tree with zk_merkle_tree_set_many,
 * each of its nodes hashed once: loading 2^16 accounts takes 2^16 + ...
 * tree hashes instead of D 2^16.  *bad (may be NULL) = the position in[i]
 * of the first account refused, or n when none was.
 */
ZK_WUR int zk_rollup_state_put_many(zk_rollup_state *st, const zk_rollup_account_in *in,
                                    size_t n, zk_pool *pool, size_t *bad);

unsigned zk_rollup_state_depth(const zk_rollup_state *st);
unsigned zk_rollup_state_token_depth(const zk_rollup_state *st);

/* *root = the state root (the account tree's). */
void zk_rollup_state_root(zk_fr *root, const zk_rollup_state *st);

/* Number of existing accounts. */
size_t zk_rollup_state_count(const zk_rollup_state *st);

/* indices[0 .. count) = the existing accounts' indices, ascending (for
 * writers of state files).  ZK_EINVAL (NULL), ZK_ERANGE (n < count,
 * nothing written), ZK_ENOMEM. */
ZK_WUR int zk_rollup_state_indices(uint64_t *indices, size_t n,
                                   const zk_rollup_state *st);

/*
 * The account at index: *exists = 1 and its leaf preimage in *acct and
 * leaf in *leaf, or *exists = 0, *acct = (0, 0, 0, zeros[T]), *leaf = 0.
 * acct and leaf may be NULL.  ZK_EINVAL (st or exists NULL), ZK_ERANGE
 * (index >= 2^D).
 */
ZK_WUR int zk_rollup_state_get(zk_rollup_account *acct, zk_fr *leaf,
                               int *exists, const zk_rollup_state *st,
                               uint64_t index);

/* *balance = the balance of account index in token (0 for an empty
 * slot).  ZK_EINVAL (NULL), ZK_ERANGE (index >= 2^D, token >= 2^T). */
ZK_WUR int zk_rollup_state_balance(zk_fr *balance, const zk_rollup_state *st,
                                   uint64_t index, uint64_t token);

/*
 * Apply tx to st, all or nothing.
 *   0           applied; *rec (when rec is not NULL) = its transition
 *               record (tx.h: old and new roots, the two steps with
 *               their pre-values, paths and intermediate roots), *why =
 *               ZK_ROLLUP_VALID.
 *   ZK_EVERIFY  refused by a rule (tx.h, in the order given there); *why
 *               = the rule; st and *rec unchanged.
 *   ZK_EINVAL   NULL st, tx or why, or st has no operator (index 0);
 *               nothing changed.
 *   ZK_ENOMEM   nothing changed; if memory ran out again while undoing a
 *               half-done update (the Merkle tree allocates), the state
 *               is marked broken and every later apply, put or indices
 *               call returns ZK_ENOMEM (the getters still answer, with
 *               the half-done content).
 */
ZK_WUR int zk_rollup_state_apply(zk_rollup_record *rec, zk_rollup_rule *why,
                                 zk_rollup_state *st, const zk_rollup_tx *tx);

/*
 * Fees.  A transaction's fee leaves the sender at once but reaches the
 * operator only when the state is settled: zk_rollup_state_apply adds it
 * to the state's pending fees (one sum per token), and
 * zk_rollup_state_settle credits every pending sum to account 0 in one
 * update and clears them.  The chunk circuit does the same: its slots
 * accumulate fees and the chunk settles once at its end (rollup/tx.h,
 * "fees"), so a state is settled after every chunk.  The state root does
 * not cover pending fees; a state file never holds any.
 */

/* fees[0 .. 2^T) = the pending fees (n >= 2^T; n = 0 allowed to just
 * ask).  Returns 1 when some is non-zero, 0 when none, ZK_EINVAL (<0)
 * for NULL st, 0 < n < 2^T, or n > 0 with fees NULL. */
int zk_rollup_state_pending(zk_fr *fees, size_t n, const zk_rollup_state *st);

/*
 * Credit the pending fees to the operator and clear them, always (the
 * rules of apply keep the operator's balances + pending fees < 2^96, so a
 * settle cannot overflow).  *rec (may be NULL) = the settle record
 * (tx.h), including the case of no pending fee (post = pre, the root does
 * not change).  ZK_EINVAL (NULL st, no operator), ZK_ENOMEM (nothing
 * changed, or the state marked broken as in apply).
 */
ZK_WUR int zk_rollup_state_settle(zk_rollup_settle *rec, zk_rollup_state *st);

#endif
