/*
 * chunk.h -- a chunk: k consecutive transactions of a batch and the
 * settle of their fees, with everything needed to prove the step of the
 * state root they make, natively (zk_rollup_chunk) and as a circuit
 * (zk_rollup_circuit_chunk).
 *
 * A chunk of size k (1 .. ZK_ROLLUP_CHUNK_MAX) is k transition records
 * (rollup/tx.h; short chunks are padded with no-ops) followed by one
 * settle that credits the chunk's fees to the operator, so
 *
 *   old_root = rec[0].old_root,  rec[i].new_root = rec[i + 1].old_root,
 *   rec[k - 1].new_root = settle.old_root,  settle.new_root = new_root,
 *   settle.fees[t] = sum of rec[i].tx.fee over the i with token t.
 *
 * Public inputs of the chunk circuit, in this order (wires 1, 2, 3):
 *
 *   old_root, new_root, commitment
 *
 * where the commitment binds the chunk's public data, what an L1 contract
 * records of each transaction (the data of rollup/tx.h minus nonce and
 * signature), in a Poseidon chain:
 *
 *   c_0 = 0,  c_{i+1} = Poseidon(c_i, w1, w2, pubkey.x, pubkey.y)   (5)
 *   w1 = type + 2^2 from + 2^34 to + 2^66 token + 2^74 l1_recipient
 *   w2 = amount + 2^96 fee
 *   commitment = c_k
 *
 * The packing is injective for transactions that pass the form rules
 * (type < 4, from, to < 2^32, token < 2^8, l1_recipient < 2^160, amount,
 * fee < 2^96; w1 < 2^234, w2 < 2^192), which the circuit enforces, and
 * its layout does not depend on D or T.  pubkey is (0, 0) except for
 * deposits.
 *
 * The circuit: public inputs first, then for each i < k the slot of
 * rollup/circuit.h (scope "tx[i]") chained on the root and the fee sums,
 * the commitment step ("tx[i]/commitment"), and at the end the settle
 * ("settle"): the operator's pre-values (key, nonce, its 2^T balances)
 * and account path as private inputs; the balance tree's root rebuilt
 * from all 2^T leaves before and after adding the fee sums; every
 * post-balance < 2^96; leaf = Poseidon(Ax, Ay, nonce, broot) before and
 * after (the operator must exist: a Poseidon leaf, never 0); one account
 * tree update at index 0.  Finally new_root and commitment are enforced
 * equal to their public inputs.  Cost at D = 24, T = 4: about 34k
 * constraints a slot and 21k for the settle.
 *
 * Threads: everything is reentrant; one thread per cs or chunk.
 */
#ifndef ZK_ROLLUP_CHUNK_H
#define ZK_ROLLUP_CHUNK_H

#include <stddef.h>

#include "field/fr.h"
#include "r1cs/cs.h"
#include "rollup/circuit.h"
#include "rollup/state.h"
#include "rollup/tx.h"
#include "util/err.h"

#define ZK_ROLLUP_CHUNK_MAX 64
#define ZK_ROLLUP_CHUNK_NPUBLIC 3

/* ---------------------------------------------------------- public data */

/* w[0..4) = (w1, w2, pubkey.x, pubkey.y) of tx (above).  The packing is
 * computed even for a tx outside the form rules (then it may collide).
 * ZK_EINVAL (NULL). */
ZK_WUR int zk_rollup_tx_pubdata(zk_fr w[4], const zk_rollup_tx *tx);

/* *c = Poseidon(*prev, pubdata(tx)); c may alias prev.  ZK_EINVAL. */
ZK_WUR int zk_rollup_commit_step(zk_fr *c, const zk_fr *prev,
                                 const zk_rollup_tx *tx);

/* ------------------------------------------------------- native chunks */

typedef struct {
    unsigned chunk_size, depth, token_depth;    /* k, D, T */
    zk_rollup_record *rec;                      /* k records */
    zk_rollup_settle *settle;
} zk_rollup_chunk;

/* Room for a chunk of k records (contents zero).  ZK_EINVAL (NULL, k, D
 * or T out of range), ZK_ENOMEM.  Free with zk_rollup_chunk_free. */
ZK_WUR int zk_rollup_chunk_alloc(zk_rollup_chunk *c, unsigned k,
                                 unsigned depth, unsigned token_depth);
void zk_rollup_chunk_free(zk_rollup_chunk *c);   /* NULL fine; zeroes *c */

/* pub[0..3) = (old_root, new_root, commitment) as the chunk claims them
 * (rec[0].old_root, settle.new_root, the chain over rec[i].tx).
 * ZK_EINVAL. */
ZK_WUR int zk_rollup_chunk_publics(zk_fr pub[ZK_ROLLUP_CHUNK_NPUBLIC],
                                   const zk_rollup_chunk *c);

/*
 * Check a chunk on its own, as the circuit will: every record
 * (zk_rollup_record_check, with the chunk's D and T), the chain of roots,
 * the fee sums, the settle (zk_rollup_settle_check).  Returns 0;
 * ZK_EVERIFY with *why the broken rule and *at the record's index (k for
 * the settle, and ZK_ROLLUP_BAD_RECORD for a broken chain or fee sum, at
 * the first record that does not fit); ZK_EINVAL.  This is what zk-prove
 * runs before proving, so that a bad chunk gets a reason, not just an
 * unsatisfied constraint.
 */
ZK_WUR int zk_rollup_chunk_check(zk_rollup_rule *why, size_t *at,
                                 const zk_rollup_chunk *c);

/*
 * Build a chunk from a state, one transaction at a time (a partitioner):
 * zk_rollup_chunk_push applies tx (a no-op when tx is NULL) to st and
 * stores its record as c->rec[pos]; a refused transaction gives
 * ZK_EVERIFY with *why the rule and changes nothing (apply is all or
 * nothing), so the caller may skip it and push the next one.
 * zk_rollup_chunk_close pads rec[used .. k) with no-ops and settles the
 * fees into c->settle.  The first push of a chunk (pos 0) needs a state
 * without pending fees (ZK_EINVAL otherwise): a chunk's settle credits
 * exactly its own fees.  Errors as zk_rollup_state_apply / _settle.
 */
ZK_WUR int zk_rollup_chunk_push(zk_rollup_chunk *c, unsigned pos,
                                zk_rollup_rule *why, zk_rollup_state *st,
                                const zk_rollup_tx *tx);
ZK_WUR int zk_rollup_chunk_close(zk_rollup_chunk *c, unsigned used,
                                 zk_rollup_state *st);

/* ------------------------------------------------------- the circuit */

/* The settle's private inputs (a plain value, 17 KiB). */
typedef struct {
    zk_bj pubkey;
    zk_fr nonce;
    zk_fr balance[ZK_ROLLUP_TOKENS_MAX];
    zk_fr account_path[ZK_ROLLUP_DEPTH_MAX];
} zk_rollup_circuit_settle_in;

/* *in = the settle inputs of s.  ZK_EINVAL. */
ZK_WUR int zk_rollup_circuit_settle_in_from_record(
    zk_rollup_circuit_settle_in *in, const zk_rollup_settle *s);

/*
 * Build the chunk circuit for k, D, T in cs.  slot: k slot inputs, settle
 * and old_root the rest (all NULL for SHAPE mode: zeros).  The public
 * values new_root and commitment are the circuit's own results (so an
 * inconsistent witness shows as an unsatisfied scope, never as a wrong
 * public value).  Returns zk_cs_err(cs) (ZK_EINVAL for bad sizes).
 */
int zk_rollup_circuit_chunk(zk_cs *cs, const zk_rollup_circuit_in *slot,
                            const zk_rollup_circuit_settle_in *settle,
                            const zk_fr *old_root, unsigned k,
                            unsigned depth, unsigned token_depth);

/*
 * The whole chunk circuit in a new cs of the given mode: SHAPE with c
 * NULL (for setup, any k, D, T), or a witness mode from chunk c (k, D, T
 * taken from it).  *out NULL on error.  ZK_EINVAL, ZK_ENOMEM.
 */
ZK_WUR int zk_rollup_chunk_cs(zk_cs **out, zk_cs_mode mode,
                              const zk_rollup_chunk *c, unsigned k,
                              unsigned depth, unsigned token_depth);

#endif
