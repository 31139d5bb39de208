/*
 * json.h -- the rollup's JSON files (jansson values): state, wallet keys,
 * transactions and batches.  The formats are specified in
 * zkpar-formats(5); in short (field elements are decimal strings, as in
 * snarkjs files; small integers are JSON numbers):
 *
 *   state    {"format": "zkpar-state", "version": 1,
 *             "depth": D, "tokens": T, "root": "<dec>",
 *             "accounts": [{"index": i, "pubkey": ["<x>", "<y>"],
 *                           "nonce": n, "balances": ["<dec>" x 2^T]}, ...]}
 *            accounts in ascending index order; "tokens" is T, the balance
 *            tree depth (2^T tokens).  "root" is redundant: the decoder
 *            recomputes it and refuses a file whose root differs.
 *
 *   keys     {"format": "zkpar-keys", "version": 1,
 *             "keys": [{"index": i, "secret": "<64 hex>",
 *                       "pubkey": ["<x>", "<y>"]}, ...]}
 *            wallet secrets (EdDSA-Poseidon secret keys, sig/eddsa.h);
 *            the decoder checks each pubkey is the secret's.
 *
 *   key      {"format": "zkpar-key", "version": 1, "secret": "<64 hex>",
 *             "pubkey": ["<x>", "<y>"]}         (one key, zk-wallet keygen)
 *
 *   tx       {"type": "transfer", "from": 1, "to": 2, "token": 0,
 *             "amount": "<dec>", "fee": "<dec>", "nonce": 0,
 *             "signature": {"R8": ["<x>", "<y>"], "S": "<dec>"}}
 *            {"type": "deposit", "to": 5, "token": 1, "amount": "<dec>",
 *             "pubkey": ["<x>", "<y>"]}
 *            {"type": "withdraw", "from": 1, "token": 0, "amount": "<dec>",
 *             "fee": "<dec>", "nonce": 3, "l1_recipient": "0x<40 hex>",
 *             "signature": {...}}
 *            {"type": "noop"}
 *            The encoder writes "type" and then, in the order above
 *            (type, from, to, token, amount, fee, nonce, l1_recipient,
 *            pubkey, signature), every field the type uses plus every
 *            other field that is not zero -- so an invalid transaction
 *            (an unused field set, for tests) survives a round trip.  A
 *            "type" other than 0..3 is written as a number.  The signature
 *            is written for transfer and withdraw, and for other types
 *            only when not all zero.  The decoder takes missing fields
 *            as 0, "type" as a name or a number, from/to/token/nonce as
 *            numbers (integers 0 .. 2^53) or decimal strings (up to
 *            2^64 - 1), l1_recipient as "0x" + 1..40 hex digits or a
 *            decimal string, and refuses unknown keys (a typo must not
 *            silently become a zero).
 *
 *   batch    {"format": "zkpar-batch", "version": 1, "depth": D,
 *             "tokens": T, "state_root": "<dec>",
 *             "transactions": [tx, ...]}
 *            state_root: the root of the state the batch applies to.
 *
 * Encoders return a new reference (json_decref it) or NULL when memory
 * runs out (or an argument is NULL).  Keys appear in the order shown.
 *
 * Decoders check everything they can without other files: format and
 * version, types, integer ranges, field elements < r, points on Baby
 * Jubjub (pubkeys, R8), and what the state loader checks
 * (zk_rollup_state_put: key rule, balances < 2^96, unique indices < 2^D,
 * an operator at index 0).  They do NOT check a transaction's rules
 * (that is zk_rollup_state_apply's job): a decoded transaction may break
 * any of them, except that its integers fit the struct.  Return codes:
 *   ZK_EENCODING    wrong shape: a missing or unknown key, a wrong type or
 *                   array length, bad digits, an integer too large for its
 *                   field (from > 2^64 - 1, say);
 *   ZK_EFORMAT      "format" is not the expected one, or "version" is not
 *                   1 (so a share given as a state is named as such);
 *   ZK_ERANGE       a field element >= r, an index >= 2^D, a balance >=
 *                   2^96, a depth or token depth out of range;
 *   ZK_ENOTONCURVE  a key or R8 off Baby Jubjub;
 *   ZK_ENOTINGROUP  a state account's key of small order;
 *   ZK_EVERIFY      a state whose recomputed root differs from "root", a
 *                   key whose pubkey is not its secret's;
 *   ZK_ENOMEM, ZK_EINVAL (NULL arguments).
 *
 * WHERE: as in io/json.h, every decoder takes an optional
 * `const char **where` naming the part that failed: "format", "version",
 * "depth", "root", "accounts[3]", "accounts[3].balances[2]",
 * "transactions[7].amount", "keys[0].secret", "(root)" for the document
 * itself.  Indexed names live in a thread-local buffer that the next
 * failing decoder call on the same thread overwrites; *where = NULL on
 * success.
 *
 * Secrets: secret keys are decoded into sodium_malloc memory
 * (zk_rollup_keys) and every temporary copy is wiped; the encoders' json_t
 * strings holding secrets are ordinary heap memory, which the caller
 * should serialize and release at once.
 *
 * Thread-safe: no shared mutable state.
 */
#ifndef ZK_ROLLUP_JSON_H
#define ZK_ROLLUP_JSON_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "curve/babyjub.h"
#include "rollup/state.h"
#include "rollup/tx.h"
#include "sig/eddsa.h"
#include "util/err.h"

/* ---------------------------------------------------------------- state */

/* The state file of st.  NULL also when st has unsettled fees
 * (zk_rollup_state_pending): a state file never holds them. */
json_t *zk_rollup_json_state_encode(const zk_rollup_state *st);

/* *out = the state of j (a new state; free with zk_rollup_state_free).
 * *out NULL on error.  The accounts are decoded first, then loaded at
 * once with zk_rollup_state_put_many on pool (NULL: in the calling
 * thread). */
ZK_WUR int zk_rollup_json_state_decode(zk_rollup_state **out, const json_t *j,
                                       zk_pool *pool, const char **where);

/* ----------------------------------------------------------------- keys */

/* Wallet keys: n entries, index[i] the account, sk[i] its secret (in one
 * sodium_malloc block), pubkey[i] its public key. */
typedef struct {
    size_t n;
    uint64_t *index;
    uint8_t (*sk)[ZK_EDDSA_SECRET_BYTES];
    zk_bj *pubkey;
} zk_rollup_keys;

/* *out = room for n keys (all zero), sk in sodium_malloc memory.
 * ZK_EINVAL (NULL), ZK_ENOMEM. */
ZK_WUR int zk_rollup_keys_alloc(zk_rollup_keys *out, size_t n);

/* Wipe and free (sk with sodium_free); *k zeroed.  NULL is fine. */
void zk_rollup_keys_free(zk_rollup_keys *k);

/* The secret of account index, or NULL when k has none. */
const uint8_t *zk_rollup_keys_find(const zk_rollup_keys *k, uint64_t index);

json_t *zk_rollup_json_keys_encode(const zk_rollup_keys *k);
/* *out: filled by zk_rollup_keys_alloc (free with zk_rollup_keys_free;
 * zeroed on error).  Indices unique (ZK_EENCODING at "keys[i].index"). */
ZK_WUR int zk_rollup_json_keys_decode(zk_rollup_keys *out, const json_t *j,
                                      const char **where);

/* One key ("zkpar-key"). */
json_t *zk_rollup_json_key_encode(const uint8_t sk[ZK_EDDSA_SECRET_BYTES],
                                  const zk_bj *pubkey);
/* sk: caller's buffer (sodium_malloc it); wiped on error. */
ZK_WUR int zk_rollup_json_key_decode(uint8_t sk[ZK_EDDSA_SECRET_BYTES],
                                     zk_bj *pubkey, const json_t *j,
                                     const char **where);

/* ---------------------------------------------------------- transactions */

json_t *zk_rollup_json_tx_encode(const zk_rollup_tx *tx);
/* *tx zeroed on error. */
ZK_WUR int zk_rollup_json_tx_decode(zk_rollup_tx *tx, const json_t *j,
                                    const char **where);

/* ----------------------------------------------------------------- batch */

typedef struct {
    unsigned depth, token_depth;
    zk_fr state_root;
    size_t n;
    zk_rollup_tx *tx;   /* malloc'ed, n entries */
} zk_rollup_batch;

void zk_rollup_batch_free(zk_rollup_batch *b);   /* frees tx; NULL fine */

json_t *zk_rollup_json_batch_encode(const zk_rollup_batch *b);
/* *out zeroed on error (nothing to free). */
ZK_WUR int zk_rollup_json_batch_decode(zk_rollup_batch *out, const json_t *j,
                                       const char **where);

#endif
