/*
 * tx.h -- rollup transactions, their rules, and the transition record:
 * the native specification of what the chunk circuit proves.
 *
 * Everything here is public data and variable time, except that signing
 * (zk_rollup_tx_sign) inherits zk_eddsa_sign's handling of the secret key.
 * All functions are thread-safe (no global state).
 *
 * ------------------------------------------------------------ parameters
 *
 *   D  account tree depth, 1 <= D <= ZK_ROLLUP_DEPTH_MAX (32); accounts
 *      are indexed 0 .. 2^D - 1; index 0 is the operator, who receives
 *      every fee and exists from genesis on.
 *   T  balance tree depth, 0 <= T <= ZK_ROLLUP_TOKEN_DEPTH_MAX (8);
 *      tokens are 0 .. 2^T - 1.
 *   Amounts, fees and balances are integers in [0, 2^96) held as field
 *   elements (ZK_ROLLUP_AMOUNT_BITS); an L1 recipient is an Ethereum
 *   address, an integer in [0, 2^160) (ZK_ROLLUP_L1_BITS).
 *
 * ----------------------------------------------------------- state tree
 *
 * Both trees follow hash/merkle.h (Poseidon(2) nodes, little-endian index
 * bits from the leaf, empty subtree of height k = zeros[k]).
 *
 *   balance tree (depth T) of an account: leaf `token` = its balance in
 *     that token (0 when none); root broot.  An account that holds
 *     nothing has broot = zeros[T].
 *   account leaf at `index`:
 *     leaf = Poseidon(Ax, Ay, nonce, broot)          (4 inputs)
 *     for an existing account with public key A = (Ax, Ay) and nonce, and
 *     leaf = 0 for an empty slot.  "Account exists" means leaf != 0 (a
 *     Poseidon output is 0 with probability 2^-254).  The fields of an
 *     empty slot are taken to be (0, 0, 0, zeros[T]): the circuit, given
 *     an `exists` bit, computes leaf = exists ? Poseidon(fields) : 0 and
 *     forces the fields to those values when !exists.
 *   state root = root of the account tree (depth D).
 *
 * Every account key satisfies the key rule: A on Baby Jubjub and not of
 * small order, i.e. x([8] A) != 0 -- exactly the keys zk_eddsa_verify
 * can check signatures against (circomlib's verifier enforces the same).
 * Every balance in the tree is < 2^96 (an invariant: genesis checks it,
 * every transaction keeps it).
 *
 * --------------------------------------------------------- transactions
 *
 * A transaction (zk_rollup_tx) has every field; each type uses some and
 * the others must be zero ("unused field" rule; the signature of an
 * unsigned type is ignored, never checked):
 *
 *   field         noop  deposit  transfer  withdraw
 *   type           0       1        2         3
 *   from           0       0       used      used
 *   to             0      used     used       0
 *   token          0      used     used      used
 *   amount         0      used     used      used
 *   fee            0       0       used      used
 *   nonce          0       0       used      used
 *   l1_recipient   0       0        0        used
 *   pubkey       (0,0)    used*   (0,0)     (0,0)
 *   sig             -       -      used      used
 *
 *   * a deposit's pubkey is the new account's key when `to` is an empty
 *     slot (it must satisfy the key rule); when `to` exists the deposit
 *     just credits it and the pubkey is ignored (any value): an L1
 *     deposit cannot be refused once queued, so it never fails on a key.
 *     (It can still fail on an overflow: recipient-overflow, or, for a
 *     deposit to the operator, operator-overflow, which counts the fees
 *     pending until the chunk's settle.)
 *
 * Message (what the sender signs; also a transaction hash for any type):
 *   m1  = Poseidon(type, from, to, token, amount, fee)      (6 inputs)
 *   msg = Poseidon(m1, nonce, l1_recipient)                 (3 inputs)
 * with integers as field elements.  Signature: EdDSA-Poseidon
 * (sig/eddsa.h) of msg under the sender's current key; valid iff
 * zk_eddsa_verify(A_from, msg, sig) == 0.  The message binds no chain or
 * state id: the same signed transfer is valid in any rollup state where
 * the same key holds the same index and nonce.
 *
 * ------------------------------------------------------- the two steps
 *
 * Every transaction, whatever its type, is two account updates in this
 * order, each on one account and on the balance leaf `token` of it:
 *
 *   step 0  sender     index from   transfer, withdraw: nonce + 1,
 *                                   balance - amount - fee
 *   step 1  recipient  index to     transfer, deposit:  balance + amount
 *                                   (deposit to an empty slot creates
 *                                   the account: key = pubkey, nonce 0)
 *
 * and the fee (transfer, withdraw) joins the pending fees of its token,
 * which a settle (below, "fees") credits to the operator, account 0.
 * A step the type does not use is inactive: post = pre, the root does not
 * change; its index is still from / to, which the unused-field rule
 * makes 0 (the operator, who always exists), and its token is tx.token.
 * Step 1 reads its account as step 0 left it (from == to works: a
 * transfer to oneself pays the fee and bumps the nonce, which cancels a
 * pending transaction).
 *
 * Rules, checked in this order; the first failure names the transaction's
 * rejection (zk_rollup_rule):
 *   form (zk_rollup_tx_check_form, no state needed):
 *     ZK_ROLLUP_BAD_TYPE            type not in 0..3
 *     ZK_ROLLUP_UNUSED_FIELD        a field the type does not use is not 0
 *     ZK_ROLLUP_BAD_INDEX           from or to >= 2^D
 *     ZK_ROLLUP_UNKNOWN_TOKEN       token >= 2^T
 *     ZK_ROLLUP_AMOUNT_RANGE        amount >= 2^96
 *     ZK_ROLLUP_FEE_RANGE           fee >= 2^96
 *     ZK_ROLLUP_L1_RANGE            l1_recipient >= 2^160
 *   step 0 (active: transfer, withdraw):
 *     ZK_ROLLUP_UNKNOWN_SENDER      the sender slot is empty
 *     ZK_ROLLUP_BAD_NONCE           tx.nonce != the account's nonce
 *     ZK_ROLLUP_NONCE_OVERFLOW      nonce + 1 >= 2^64 (unreachable from a
 *                                   genesis; the circuit range-checks the
 *                                   new nonce to 64 bits)
 *     ZK_ROLLUP_BAD_SIGNATURE       zk_eddsa_verify fails
 *     ZK_ROLLUP_OVERDRAFT           balance < amount + fee, i.e. the field
 *                                   element balance - amount - fee is
 *                                   >= 2^96 (the circuit's range check;
 *                                   the same thing given the invariant)
 *   step 1 (active: transfer, deposit):
 *     ZK_ROLLUP_UNKNOWN_RECIPIENT   transfer to an empty slot
 *     ZK_ROLLUP_BAD_PUBKEY          deposit creating an account with a key
 *                                   that fails the key rule
 *     ZK_ROLLUP_RECIPIENT_OVERFLOW  balance + amount >= 2^96
 *   fees (a rule of the state, zk_rollup_state_apply; not in a record):
 *     ZK_ROLLUP_OPERATOR_OVERFLOW   after the steps, the operator's balance
 *                                   in tx.token + the pending fees in it +
 *                                   tx.fee >= 2^96 (the settle could not
 *                                   credit them).  So the operator's
 *                                   balance + pending fees stays < 2^96 in
 *                                   every token, and a settle never fails.
 *   (ZK_ROLLUP_BAD_RECORD is zk_rollup_record_check's: a record whose
 *   paths, roots or values are not what the steps compute.)
 *
 * So the circuit's range checks are: amount, fee (96 bits), l1_recipient
 * (160 bits), the new nonce of step 0 (64 bits), the post-balance of each
 * step and each of the operator's balances after a settle (96 bits);
 * from, to (D bits), token (T bits) are bits of the Merkle paths.
 */
#ifndef ZK_ROLLUP_TX_H
#define ZK_ROLLUP_TX_H

#include <stddef.h>
#include <stdint.h>

#include "curve/babyjub.h"
#include "field/fr.h"
#include "sig/eddsa.h"
#include "util/err.h"

#define ZK_ROLLUP_DEPTH_MAX 32
#define ZK_ROLLUP_TOKEN_DEPTH_MAX 8
#define ZK_ROLLUP_AMOUNT_BITS 96
#define ZK_ROLLUP_L1_BITS 160
#define ZK_ROLLUP_OPERATOR 0
#define ZK_ROLLUP_NSTEPS 2

enum {
    ZK_ROLLUP_NOOP = 0,
    ZK_ROLLUP_DEPOSIT = 1,
    ZK_ROLLUP_TRANSFER = 2,
    ZK_ROLLUP_WITHDRAW = 3
};

enum {
    ZK_ROLLUP_STEP_SENDER = 0,
    ZK_ROLLUP_STEP_RECIPIENT = 1
};

/* Why a transaction (or a record) is refused; 0 = valid.  Values are
 * stable (they may appear in files as names, see zk_rollup_rule_name). */
typedef enum zk_rollup_rule {
    ZK_ROLLUP_VALID = 0,
    ZK_ROLLUP_BAD_TYPE = 1,
    ZK_ROLLUP_UNUSED_FIELD = 2,
    ZK_ROLLUP_BAD_INDEX = 3,
    ZK_ROLLUP_UNKNOWN_TOKEN = 4,
    ZK_ROLLUP_AMOUNT_RANGE = 5,
    ZK_ROLLUP_FEE_RANGE = 6,
    ZK_ROLLUP_L1_RANGE = 7,
    ZK_ROLLUP_UNKNOWN_SENDER = 8,
    ZK_ROLLUP_BAD_NONCE = 9,
    ZK_ROLLUP_NONCE_OVERFLOW = 10,
    ZK_ROLLUP_BAD_SIGNATURE = 11,
    ZK_ROLLUP_OVERDRAFT = 12,
    ZK_ROLLUP_UNKNOWN_RECIPIENT = 13,
    ZK_ROLLUP_BAD_PUBKEY = 14,
    ZK_ROLLUP_RECIPIENT_OVERFLOW = 15,
    ZK_ROLLUP_OPERATOR_OVERFLOW = 16,
    ZK_ROLLUP_BAD_RECORD = 17
} zk_rollup_rule;

#define ZK_ROLLUP_RULE_COUNT 18

/* A short stable identifier ("bad-signature", "overdraft", ...) and an
 * English reason ("the signature does not verify under the sender's
 * key").  Never NULL; unknown values give "unknown" / "unknown rule". */
const char *zk_rollup_rule_name(int rule);
const char *zk_rollup_rule_str(int rule);

/* "noop", "deposit", "transfer", "withdraw"; NULL for other values. */
const char *zk_rollup_tx_type_name(unsigned type);

/*
 * One transaction (all types, see the table above).  Plain value; a JSON
 * layer writes the integers as numbers or decimal strings and the field
 * elements as decimal strings.  type is a plain integer so that invalid
 * values can be represented (and refused).
 */
typedef struct {
    uint32_t type;
    uint64_t from, to, token, nonce;
    zk_fr amount, fee, l1_recipient;
    zk_bj pubkey;       /* deposit creating an account */
    zk_eddsa_sig sig;   /* transfer, withdraw */
} zk_rollup_tx;

/* 1 when the canonical integer of *v is < 2^bits (0 <= bits <= 256). */
int zk_rollup_fits(const zk_fr *v, unsigned bits);

/* 1 when a satisfies the key rule (on the curve, not of small order). */
int zk_rollup_key_ok(const zk_bj *a);

/* *msg = the message of tx (above), any type.  ZK_EINVAL (NULL). */
ZK_WUR int zk_rollup_tx_message(zk_fr *msg, const zk_rollup_tx *tx);

/* tx->sig = the signature of tx's message under sk (deterministic).
 * The other fields are read, not checked.  ZK_EINVAL, ZK_ENOMEM; sig
 * untouched on error. */
ZK_WUR int zk_rollup_tx_sign(zk_rollup_tx *tx,
                             const uint8_t sk[ZK_EDDSA_SECRET_BYTES]);

/*
 * The form rules (first group above) for parameters D and T.  Returns 0
 * (*why = ZK_ROLLUP_VALID), ZK_EVERIFY with *why the first rule broken,
 * or ZK_EINVAL (NULL, D or T out of range; *why untouched).
 */
ZK_WUR int zk_rollup_tx_check_form(zk_rollup_rule *why,
                                   const zk_rollup_tx *tx, unsigned depth,
                                   unsigned token_depth);

/* 1 when `step` (0, 1) changes the state for this type: sender for
 * transfer and withdraw, recipient for transfer and deposit.  0 for other
 * types or steps. */
int zk_rollup_step_active(uint32_t type, unsigned step);

/* The index a step updates: from or to.  Undefined step values give 0. */
uint64_t zk_rollup_step_index(const zk_rollup_tx *tx, unsigned step);

/*
 * The leaf preimage of an account: (Ax, Ay, nonce, broot).  An empty
 * slot is (0, 0, 0, zeros[T]).
 */
typedef struct {
    zk_bj pubkey;
    uint64_t nonce;
    zk_fr balance_root;
} zk_rollup_account;

/* *leaf = Poseidon(Ax, Ay, nonce, broot).  ZK_EINVAL (NULL). */
ZK_WUR int zk_rollup_account_leaf(zk_fr *leaf, const zk_rollup_account *a);

/*
 * What one step reads and writes of its account at tx.token.
 */
typedef struct {
    int exists;         /* the slot holds an account */
    zk_bj pubkey;       /* (0, 0) when !exists */
    uint64_t nonce;     /* 0 when !exists */
    zk_fr balance;      /* 0 when !exists */
} zk_rollup_slot;

/*
 * The value rules of one step: *post = what `step` makes of *pre for tx,
 * whose message is *msg (zk_rollup_tx_message; read by step 0 of signed
 * types only).  The form rules are assumed checked.  Inactive steps give
 * *post = *pre.  Returns 0, ZK_EVERIFY with *why the first broken rule of
 * this step (post untouched), or ZK_EINVAL (NULL, step >= 2).
 * post may alias pre.
 */
ZK_WUR int zk_rollup_step_rules(zk_rollup_slot *post, zk_rollup_rule *why,
                                const zk_rollup_tx *tx, const zk_fr *msg,
                                unsigned step, const zk_rollup_slot *pre);

/*
 * One step of a transition, with everything the circuit needs.  For the
 * step's account `index` and token t = tx.token:
 *
 *   pre_leaf  = pre_exists ? Poseidon(pre) : 0;  pre = (0, 0, 0, zeros[T])
 *               and pre_balance = 0 when !pre_exists
 *   MerkleRoot_T(pre_balance, balance_path, t) = pre.balance_root
 *   MerkleRoot_D(pre_leaf, account_path, index) = root_before
 *   (post_balance, post.nonce, post.pubkey) = the step's rules on the pre
 *               values (zk_rollup_step_rules)
 *   MerkleRoot_T(post_balance, balance_path, t) = post.balance_root
 *   post_exists = 1 for an active step (it leaves an account), =
 *               pre_exists for an inactive one
 *   post_leaf = post_exists ? Poseidon(post) : 0
 *   MerkleRoot_D(post_leaf, account_path, index) = root_after
 *
 * The paths are taken from the trees as the previous steps left them;
 * the balance path is that of the step's own account (zeros[0..T) for an
 * empty slot).  Inactive steps have post = pre and root_after =
 * root_before (their paths are valid all the same, so the circuit may run
 * the same update gadget on every step).  Only the first T entries of
 * balance_path and the first D of account_path are meaningful; the rest
 * are 0.
 */
typedef struct {
    int active;
    uint64_t index;
    int pre_exists, post_exists;
    zk_rollup_account pre, post;
    zk_fr pre_leaf, post_leaf;
    zk_fr pre_balance, post_balance;
    zk_fr balance_path[ZK_ROLLUP_TOKEN_DEPTH_MAX];
    zk_fr account_path[ZK_ROLLUP_DEPTH_MAX];
    zk_fr root_before, root_after;
} zk_rollup_step;

/*
 * A transition record: one applied transaction, old_root -> new_root
 * through step[0..2): step[0].root_before = old_root, step[0].root_after
 * = step[1].root_before, step[1].root_after = new_root.  (The fee is
 * not in it: it is pending until a settle.)  msg is the
 * transaction's message.  Plain value (3.7 KiB); in a record written by
 * zk_rollup_state_apply every byte is defined (padding and unused path
 * entries are 0), so such records compare with memcmp.
 */
typedef struct {
    unsigned depth, token_depth;    /* D, T */
    zk_rollup_tx tx;
    zk_fr msg;
    zk_fr old_root, new_root;
    zk_rollup_step step[ZK_ROLLUP_NSTEPS];
} zk_rollup_record;

/*
 * Check a record on its own, as the circuit will: the form rules, the
 * step indices and active flags, every equation of zk_rollup_step above
 * for each step, the chain of roots, msg, and the rules of each step on
 * its recorded pre-values (signature included).  Returns 0, ZK_EVERIFY
 * with *why = the broken transaction rule, or ZK_ROLLUP_BAD_RECORD when
 * the record is inconsistent (a path, root, leaf, flag, index or
 * post-value is not what the rules compute, a non-zero path entry past
 * D or T, an empty slot whose fields are not (0, 0, 0, zeros[T]) with
 * balance 0); ZK_EINVAL
 * (NULL, depths out of range).  Cost: about 4 (D + T + 1) Poseidon
 * hashes and one signature verification.  The fee rule (operator
 * overflow) is the state's, not checked here.
 */
ZK_WUR int zk_rollup_record_check(zk_rollup_rule *why,
                                  const zk_rollup_record *rec);

/*
 * ------------------------------------------------------------------ fees
 *
 * A settle credits fees[t] (the fees collected since the last settle, in
 * token t) to the operator (account 0) for every token at once:
 *   pre_balance[t] = the operator's balances before, whose tree (depth
 *               T, all 2^T leaves) has root pre.balance_root;
 *   post_balance[t] = pre_balance[t] + fees[t] < 2^96;
 *   post = pre with balance_root = the root of post_balance; nonce and
 *               key unchanged;
 *   pre_leaf = Poseidon(pre), post_leaf = Poseidon(post), both at index 0
 *               of the account tree with the same account_path:
 *               old_root -> new_root.
 * Only the first 2^T entries of the arrays and the first D of
 * account_path are meaningful; the rest are 0.
 */
#define ZK_ROLLUP_TOKENS_MAX (1u << ZK_ROLLUP_TOKEN_DEPTH_MAX)

typedef struct {
    unsigned depth, token_depth;    /* D, T */
    zk_fr fees[ZK_ROLLUP_TOKENS_MAX];
    zk_rollup_account pre, post;
    zk_fr pre_balance[ZK_ROLLUP_TOKENS_MAX];
    zk_fr post_balance[ZK_ROLLUP_TOKENS_MAX];
    zk_fr pre_leaf, post_leaf;
    zk_fr account_path[ZK_ROLLUP_DEPTH_MAX];
    zk_fr old_root, new_root;
} zk_rollup_settle;

/* *root = the root of the balance tree (depth T) whose leaves are
 * balances[0 .. 2^T).  ZK_EINVAL (NULL, T > 8). */
ZK_WUR int zk_rollup_balance_root(zk_fr *root, const zk_fr *balances,
                                  unsigned T);

/*
 * Check a settle record on its own: every equation above.  Returns 0,
 * ZK_EVERIFY with *why = ZK_ROLLUP_OPERATOR_OVERFLOW (a post-balance >=
 * 2^96) or ZK_ROLLUP_BAD_RECORD (anything else inconsistent, a fee or a
 * pre-balance >= 2^96, a non-zero entry past 2^T or D), ZK_EINVAL (NULL, depths out of
 * range).
 */
ZK_WUR int zk_rollup_settle_check(zk_rollup_rule *why,
                                  const zk_rollup_settle *s);

#endif
