/*
 * circuit.h -- one transaction slot of the rollup's chunk circuit, on the
 * constraint-system builder (r1cs/cs.h) and the gadgets (gadgets/).
 *
 * A slot takes the state root before the transaction (an LC) and gives
 * the root after it (an LC), so k slots chain into a chunk.  It handles
 * every type (noop, deposit, transfer, withdraw) with ONE set of gadgets
 * selected by the type, and enforces exactly zk_rollup_record_check
 * (rollup/tx.h), the native reference:
 *
 *   type        one-hot flags f1, f2, f3 (private, boolean) and f0 = 1 -
 *               f1 - f2 - f3 (asserted boolean); type = f1 + 2 f2 + 3 f3.
 *   form        the unused-field rule as products field * (1 - uses) = 0;
 *               amount, fee < 2^96, l1_recipient < 2^160 (range checks);
 *               from, to < 2^D and token < 2^T as the index bits of the
 *               Merkle paths (booleanity asserted by the path gadgets).
 *   message     m1 = Poseidon(type, from, to, token, amount, fee),
 *               msg = Poseidon(m1, nonce, l1_recipient).
 *   signature   EdDSA-Poseidon of msg under step 0's pre-key, enabled by
 *               f2 + f3 (transfer, withdraw).
 *   step s      (0 sender at `from`, 1 recipient at `to`; active a0 =
 *               f2 + f3, a1 = f1 + f2):
 *     pre       exists bit e; fields (Ax, Ay, nonce, broot) and balance;
 *               !e forces (0, 0, 0, zeros[T]) and balance 0;
 *               leaf = e * Poseidon(Ax, Ay, nonce, broot).
 *     rules     step 0: a0 (1 - e) = 0 (sender exists), a0 (tx.nonce -
 *               nonce) = 0, nonce' = nonce + a0 < 2^64, balance' =
 *               balance - a0 amount - fee (fee is 0 unless a0);
 *               step 1: f2 (1 - e) = 0 (transfer needs the recipient),
 *               create c = f1 (1 - e), e' = e + c, key' = key + c tx.pubkey
 *               (pre-key is 0 when !e), tx.pubkey on the curve and not of
 *               small order when c (Base8 substituted otherwise),
 *               balance' = balance + a1 amount;
 *               every post-balance < 2^96.
 *     trees     balance tree: broot -> broot' (merkle update, leaf
 *               `token`, the same path); account tree: root_before ->
 *               root_after (merkle update of leaf -> leaf', the same
 *               path), leaf' = e' * Poseidon(Ax', Ay', nonce', broot').
 *   fees        fees[t] += fee * [token == t] for t < 2^T (the chunk's
 *               per-token sums, which its settle credits to the operator,
 *               rollup/chunk.h); fee is 0 unless the type is signed.
 *   An inactive step has a = 0 (and c = 0), so every post-value equals
 *   its pre-value and the root does not change: constrained, not assumed.
 *
 * One deliberate difference, stricter than zk_rollup_record_check and
 * never seen by a record from a valid state: the nonce and post-balance
 * range checks apply to inactive steps too (their values are the
 * pre-values, which every reachable state keeps below 2^64 / 2^96).
 *
 * Public data: the slot returns the per-transaction data as LCs
 * (zk_rollup_circuit_pub) for the chunk's commitment; it allocates no
 * public variable itself.  All its inputs are private inputs
 * (zk_cs_alloc_prv_in), allocated in a fixed order.
 *
 * THE RULE of cs.h holds: the structure depends on D and T only, so
 * SHAPE and WITNESS build the same system (zk_cs_check_modes).
 *
 * Scopes: "slot" with children "inputs", "type", "form", "message",
 * "eddsa", "step[s]" (s = 0, 1), "fees" with children "pre", "rules",
 * "balance_tree", "leaf_pre", "leaf_post", "account_tree"; below them the
 * gadgets' own scopes.  The caller may push its own "tx[i]" around it.
 *
 * Public values; nothing is constant-time.  One thread per cs.
 */
#ifndef ZK_ROLLUP_CIRCUIT_H
#define ZK_ROLLUP_CIRCUIT_H

#include "curve/babyjub.h"
#include "field/fr.h"
#include "r1cs/cs.h"
#include "rollup/tx.h"
#include "util/err.h"

/*
 * The private inputs of one slot, as field elements (a plain value).
 * zk_rollup_circuit_in_from_record fills it from a transition record;
 * an all-zero value is fine for SHAPE mode.  Tests alter it to build
 * tampered witnesses.
 */
typedef struct {
    zk_fr type;                 /* 0..3 (the flags are its hints) */
    zk_fr from, to, token, amount, fee, nonce, l1_recipient;
    zk_bj pubkey;               /* deposit's new key */
    zk_bj r8;                   /* signature */
    zk_fr s;
    struct {
        zk_fr exists;           /* pre_exists */
        zk_bj pubkey;           /* pre.pubkey */
        zk_fr nonce;            /* pre.nonce */
        zk_fr balance;          /* pre_balance */
        zk_fr balance_root;     /* pre.balance_root */
        zk_fr balance_path[ZK_ROLLUP_TOKEN_DEPTH_MAX];
        zk_fr account_path[ZK_ROLLUP_DEPTH_MAX];
    } step[ZK_ROLLUP_NSTEPS];
} zk_rollup_circuit_in;

/* The per-transaction public data (LCs of the cs, valid until the caller
 * releases a mark taken before zk_rollup_circuit_slot). */
typedef struct {
    zk_lc type, from, to, token, amount, fee, l1_recipient;
    zk_lc pubkey_x, pubkey_y;   /* deposit key (0 for other types) */
} zk_rollup_circuit_pub;

/*
 * *in = the slot inputs of rec (its transaction, signature, and each
 * step's pre-values and paths).  Reads only; does not check rec (a record
 * that zk_rollup_record_check refuses gives an unsatisfied system).
 * ZK_EINVAL (NULL, depths out of range).
 */
ZK_WUR int zk_rollup_circuit_in_from_record(zk_rollup_circuit_in *in,
                                            const zk_rollup_record *rec);

/*
 * Build one slot for depths D (1..32) and T (0..8): allocate its private
 * inputs from *in (in may be NULL: zeros, e.g. for SHAPE mode), enforce
 * the rules above from old_root, and set *new_root to the root after the
 * transaction and *pub (may be NULL) to its public data.  fees (may be
 * NULL: the fee is then left out, for tests of the slot alone) holds 2^T
 * LCs, the per-token fee sums so far, replaced by the sums with this
 * transaction's fee.  Outputs are LCs in cs's arena above the mark
 * current at the call (the slot's other scratch is released).  Returns zk_cs_err(cs) after building (ZK_EINVAL
 * for bad depths or NULL new_root, recorded in cs).
 */
int zk_rollup_circuit_slot(zk_cs *cs, zk_lc *new_root,
                           zk_rollup_circuit_pub *pub, zk_lc *fees,
                           zk_lc old_root,
                           const zk_rollup_circuit_in *in, unsigned depth,
                           unsigned token_depth);

#endif
