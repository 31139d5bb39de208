/*
 * tx.c -- rollup transactions: message, signing, the rules, and the
 * stateless check of a transition record (see tx.h for the
 * specification; this file follows it section by section).
 */
#include "rollup/tx.h"

#include <string.h>

#include "hash/merkle.h"
#include "hash/poseidon.h"

/* ---------------------------------------------------------- names */

static const struct {
    const char *name, *str;
} rule_text[ZK_ROLLUP_RULE_COUNT] = {
    [ZK_ROLLUP_VALID] = {"valid", "the transaction is valid"},
    [ZK_ROLLUP_BAD_TYPE] = {"bad-type", "unknown transaction type"},
    [ZK_ROLLUP_UNUSED_FIELD] =
        {"unused-field", "a field this transaction type does not use is not zero"},
    [ZK_ROLLUP_BAD_INDEX] =
        {"bad-index", "an account index is outside the account tree (>= 2^D)"},
    [ZK_ROLLUP_UNKNOWN_TOKEN] = {"unknown-token", "unknown token (>= 2^T)"},
    [ZK_ROLLUP_AMOUNT_RANGE] = {"amount-range", "amount is >= 2^96"},
    [ZK_ROLLUP_FEE_RANGE] = {"fee-range", "fee is >= 2^96"},
    [ZK_ROLLUP_L1_RANGE] =
        {"l1-range", "the L1 recipient is not a 160-bit address"},
    [ZK_ROLLUP_UNKNOWN_SENDER] =
        {"unknown-sender", "the sender account does not exist"},
    [ZK_ROLLUP_BAD_NONCE] =
        {"bad-nonce", "the nonce is not the sender's current nonce (replay?)"},
    [ZK_ROLLUP_NONCE_OVERFLOW] =
        {"nonce-overflow", "the sender's nonce cannot be incremented (2^64)"},
    [ZK_ROLLUP_BAD_SIGNATURE] =
        {"bad-signature", "the signature does not verify under the sender's key"},
    [ZK_ROLLUP_OVERDRAFT] =
        {"overdraft", "the sender's balance does not cover amount + fee"},
    [ZK_ROLLUP_UNKNOWN_RECIPIENT] =
        {"unknown-recipient", "the recipient account does not exist"},
    [ZK_ROLLUP_BAD_PUBKEY] =
        {"bad-pubkey", "the new account's public key is off the curve or of small order"},
    [ZK_ROLLUP_RECIPIENT_OVERFLOW] =
        {"recipient-overflow", "the recipient's balance would reach 2^96"},
    [ZK_ROLLUP_OPERATOR_OVERFLOW] =
        {"operator-overflow", "the operator's balance plus pending fees would reach 2^96"},
    [ZK_ROLLUP_BAD_RECORD] =
        {"bad-record", "the transition record is inconsistent (path, root or value)"},
};

const char *zk_rollup_rule_name(int rule)
{
    if (rule < 0 || rule >= ZK_ROLLUP_RULE_COUNT)
        return "unknown";
    return rule_text[rule].name;
}

const char *zk_rollup_rule_str(int rule)
{
    if (rule < 0 || rule >= ZK_ROLLUP_RULE_COUNT)
        return "unknown rule";
    return rule_text[rule].str;
}

const char *zk_rollup_tx_type_name(unsigned type)
{
    static const char *const names[] = {"noop", "deposit", "transfer",
                                        "withdraw"};
    return type < 4 ? names[type] : NULL;
}

/* ---------------------------------------------------------- values */

int zk_rollup_fits(const zk_fr *v, unsigned bits)
{
    if (!v)
        return 0;
    if (bits >= 256)
        return 1;
    uint64_t l[4];
    zk_fr_to_limbs(l, v);
    unsigned k = bits / 64, b = bits % 64;
    if (b != 0 && (l[k] >> b) != 0)
        return 0;
    for (unsigned i = k + (b != 0); i < 4; i++)
        if (l[i] != 0)
            return 0;
    return 1;
}

int zk_rollup_key_ok(const zk_bj *a)
{
    return a && zk_bj_is_on_curve(a) && !zk_bj_is_small_order(a);
}

static int bj_is_zero(const zk_bj *p)
{
    return zk_fr_is_zero(&p->x) && zk_fr_is_zero(&p->y);
}

int zk_rollup_tx_message(zk_fr *msg, const zk_rollup_tx *tx)
{
    if (!msg || !tx)
        return ZK_EINVAL;
    zk_fr in[6];
    zk_fr_set_u64(&in[0], tx->type);
    zk_fr_set_u64(&in[1], tx->from);
    zk_fr_set_u64(&in[2], tx->to);
    zk_fr_set_u64(&in[3], tx->token);
    in[4] = tx->amount;
    in[5] = tx->fee;
    int rc = zk_poseidon(&in[0], in, 6);
    if (rc != ZK_OK)
        return rc;
    zk_fr_set_u64(&in[1], tx->nonce);
    in[2] = tx->l1_recipient;
    return zk_poseidon(msg, in, 3);
}

int zk_rollup_tx_sign(zk_rollup_tx *tx, const uint8_t sk[ZK_EDDSA_SECRET_BYTES])
{
    if (!tx || !sk)
        return ZK_EINVAL;
    zk_fr msg;
    int rc = zk_rollup_tx_message(&msg, tx);
    if (rc == ZK_OK)
        rc = zk_eddsa_sign(&tx->sig, sk, &msg);
    return rc;
}

/* ----------------------------------------------------------- rules */

static int refuse(zk_rollup_rule *why, zk_rollup_rule rule)
{
    *why = rule;
    return ZK_EVERIFY;
}

int zk_rollup_tx_check_form(zk_rollup_rule *why, const zk_rollup_tx *tx,
                            unsigned depth, unsigned token_depth)
{
    if (!why || !tx || depth < 1 || depth > ZK_ROLLUP_DEPTH_MAX ||
        token_depth > ZK_ROLLUP_TOKEN_DEPTH_MAX)
        return ZK_EINVAL;
    uint32_t t = tx->type;
    if (t > ZK_ROLLUP_WITHDRAW)
        return refuse(why, ZK_ROLLUP_BAD_TYPE);

    /* the table in tx.h */
    int uses_from = t == ZK_ROLLUP_TRANSFER || t == ZK_ROLLUP_WITHDRAW;
    int uses_to = t == ZK_ROLLUP_TRANSFER || t == ZK_ROLLUP_DEPOSIT;
    int uses_value = t != ZK_ROLLUP_NOOP; /* token, amount */
    int signed_ = uses_from;              /* fee, nonce */
    int uses_l1 = t == ZK_ROLLUP_WITHDRAW;
    int uses_key = t == ZK_ROLLUP_DEPOSIT;
    if ((!uses_from && tx->from != 0) || (!uses_to && tx->to != 0) ||
        (!uses_value && (tx->token != 0 || !zk_fr_is_zero(&tx->amount))) ||
        (!signed_ && (tx->nonce != 0 || !zk_fr_is_zero(&tx->fee))) ||
        (!uses_l1 && !zk_fr_is_zero(&tx->l1_recipient)) ||
        (!uses_key && !bj_is_zero(&tx->pubkey)))
        return refuse(why, ZK_ROLLUP_UNUSED_FIELD);

    /* depth <= 32, so the shifts are defined */
    if ((tx->from >> depth) != 0 || (tx->to >> depth) != 0)
        return refuse(why, ZK_ROLLUP_BAD_INDEX);
    if ((tx->token >> token_depth) != 0)
        return refuse(why, ZK_ROLLUP_UNKNOWN_TOKEN);
    if (!zk_rollup_fits(&tx->amount, ZK_ROLLUP_AMOUNT_BITS))
        return refuse(why, ZK_ROLLUP_AMOUNT_RANGE);
    if (!zk_rollup_fits(&tx->fee, ZK_ROLLUP_AMOUNT_BITS))
        return refuse(why, ZK_ROLLUP_FEE_RANGE);
    if (!zk_rollup_fits(&tx->l1_recipient, ZK_ROLLUP_L1_BITS))
        return refuse(why, ZK_ROLLUP_L1_RANGE);
    *why = ZK_ROLLUP_VALID;
    return ZK_OK;
}

int zk_rollup_step_active(uint32_t type, unsigned step)
{
    switch (step) {
    case ZK_ROLLUP_STEP_SENDER:
        return type == ZK_ROLLUP_TRANSFER || type == ZK_ROLLUP_WITHDRAW;
    case ZK_ROLLUP_STEP_RECIPIENT:
        return type == ZK_ROLLUP_TRANSFER || type == ZK_ROLLUP_DEPOSIT;
    default:
        return 0;
    }
}

uint64_t zk_rollup_step_index(const zk_rollup_tx *tx, unsigned step)
{
    if (!tx)
        return 0;
    return step == ZK_ROLLUP_STEP_SENDER      ? tx->from
           : step == ZK_ROLLUP_STEP_RECIPIENT ? tx->to
                                              : 0;
}

int zk_rollup_account_leaf(zk_fr *leaf, const zk_rollup_account *a)
{
    if (!leaf || !a)
        return ZK_EINVAL;
    zk_fr in[4];
    in[0] = a->pubkey.x;
    in[1] = a->pubkey.y;
    zk_fr_set_u64(&in[2], a->nonce);
    in[3] = a->balance_root;
    return zk_poseidon(leaf, in, 4);
}

int zk_rollup_step_rules(zk_rollup_slot *post, zk_rollup_rule *why,
                         const zk_rollup_tx *tx, const zk_fr *msg,
                         unsigned step, const zk_rollup_slot *pre)
{
    if (!post || !why || !tx || !msg || !pre || step >= ZK_ROLLUP_NSTEPS)
        return ZK_EINVAL;
    zk_rollup_slot s = *pre;
    if (!zk_rollup_step_active(tx->type, step)) {
        *post = s;
        *why = ZK_ROLLUP_VALID;
        return ZK_OK;
    }
    switch (step) {
    case ZK_ROLLUP_STEP_SENDER: {
        if (!s.exists)
            return refuse(why, ZK_ROLLUP_UNKNOWN_SENDER);
        if (tx->nonce != s.nonce)
            return refuse(why, ZK_ROLLUP_BAD_NONCE);
        if (s.nonce == UINT64_MAX)
            return refuse(why, ZK_ROLLUP_NONCE_OVERFLOW);
        if (zk_eddsa_verify(&s.pubkey, msg, &tx->sig) != ZK_OK)
            return refuse(why, ZK_ROLLUP_BAD_SIGNATURE);
        /* balance - amount - fee as a field element, then the circuit's
         * 96-bit range check: with balance, amount, fee < 2^96 a negative
         * difference wraps to p - x >= p - 2^97 > 2^96 */
        zk_fr_sub(&s.balance, &s.balance, &tx->amount);
        zk_fr_sub(&s.balance, &s.balance, &tx->fee);
        if (!zk_rollup_fits(&s.balance, ZK_ROLLUP_AMOUNT_BITS))
            return refuse(why, ZK_ROLLUP_OVERDRAFT);
        s.nonce++;
        break;
    }
    default: /* ZK_ROLLUP_STEP_RECIPIENT */
        if (!s.exists) {
            if (tx->type != ZK_ROLLUP_DEPOSIT)
                return refuse(why, ZK_ROLLUP_UNKNOWN_RECIPIENT);
            if (!zk_rollup_key_ok(&tx->pubkey))
                return refuse(why, ZK_ROLLUP_BAD_PUBKEY);
            s.exists = 1;
            s.pubkey = tx->pubkey;
            s.nonce = 0;
            zk_fr_zero(&s.balance);
        }
        zk_fr_add(&s.balance, &s.balance, &tx->amount);
        if (!zk_rollup_fits(&s.balance, ZK_ROLLUP_AMOUNT_BITS))
            return refuse(why, ZK_ROLLUP_RECIPIENT_OVERFLOW);
        break;
    }
    *post = s;
    *why = ZK_ROLLUP_VALID;
    return ZK_OK;
}

/* ---------------------------------------------------------- record */

static int fr_arr_zero(const zk_fr *a, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (!zk_fr_is_zero(&a[i]))
            return 0;
    return 1;
}

/* Fields of an empty slot: (0, 0, 0, zeros[T]). */
static int account_is_empty_form(const zk_rollup_account *a,
                                 const zk_fr *empty_root)
{
    return bj_is_zero(&a->pubkey) && a->nonce == 0 &&
           zk_fr_eq(&a->balance_root, empty_root);
}

/* *leaf per tx.h: exists ? Poseidon(a) : 0. */
static int leaf_of(zk_fr *leaf, int exists, const zk_rollup_account *a)
{
    if (!exists) {
        zk_fr_zero(leaf);
        return ZK_OK;
    }
    return zk_rollup_account_leaf(leaf, a);
}

/* One step's equations; *why set on ZK_EVERIFY. */
static int check_step(zk_rollup_rule *why, const zk_rollup_record *rec,
                      unsigned s, const zk_fr *empty_root)
{
    const zk_rollup_step *st = &rec->step[s];
    const zk_rollup_tx *tx = &rec->tx;
    unsigned D = rec->depth, T = rec->token_depth;
    zk_fr v;
    int rc;

    if (st->active != zk_rollup_step_active(tx->type, s) ||
        st->index != zk_rollup_step_index(tx, s) ||
        (st->pre_exists != 0 && st->pre_exists != 1) ||
        (st->post_exists != 0 && st->post_exists != 1) ||
        !fr_arr_zero(st->balance_path, T, ZK_ROLLUP_TOKEN_DEPTH_MAX) ||
        !fr_arr_zero(st->account_path, D, ZK_ROLLUP_DEPTH_MAX))
        return refuse(why, ZK_ROLLUP_BAD_RECORD);

    /* pre: leaf, balance membership, account membership */
    if (!st->pre_exists && (!account_is_empty_form(&st->pre, empty_root) ||
                            !zk_fr_is_zero(&st->pre_balance)))
        return refuse(why, ZK_ROLLUP_BAD_RECORD);
    if ((rc = leaf_of(&v, st->pre_exists, &st->pre)) != ZK_OK)
        return rc;
    if (!zk_fr_eq(&v, &st->pre_leaf))
        return refuse(why, ZK_ROLLUP_BAD_RECORD);
    if ((rc = zk_merkle_root(&v, &st->pre_balance, st->balance_path, T,
                             tx->token)) != ZK_OK)
        return rc == ZK_ERANGE ? refuse(why, ZK_ROLLUP_BAD_RECORD) : rc;
    if (!zk_fr_eq(&v, &st->pre.balance_root))
        return refuse(why, ZK_ROLLUP_BAD_RECORD);
    if ((rc = zk_merkle_root(&v, &st->pre_leaf, st->account_path, D,
                             st->index)) != ZK_OK)
        return rc == ZK_ERANGE ? refuse(why, ZK_ROLLUP_BAD_RECORD) : rc;
    if (!zk_fr_eq(&v, &st->root_before))
        return refuse(why, ZK_ROLLUP_BAD_RECORD);

    /* the rules on the pre values */
    zk_rollup_slot slot = {st->pre_exists, st->pre.pubkey, st->pre.nonce,
                           st->pre_balance};
    rc = zk_rollup_step_rules(&slot, why, tx, &rec->msg, s, &slot);
    if (rc != ZK_OK)
        return rc;

    /* post: values, balance root, leaf, account root */
    if (st->post_exists != slot.exists ||
        !zk_bj_eq(&st->post.pubkey, &slot.pubkey) ||
        st->post.nonce != slot.nonce ||
        !zk_fr_eq(&st->post_balance, &slot.balance))
        return refuse(why, ZK_ROLLUP_BAD_RECORD);
    if (!st->post_exists && !account_is_empty_form(&st->post, empty_root))
        return refuse(why, ZK_ROLLUP_BAD_RECORD);
    if ((rc = zk_merkle_root(&v, &st->post_balance, st->balance_path, T,
                             tx->token)) != ZK_OK)
        return rc;
    if (!zk_fr_eq(&v, &st->post.balance_root))
        return refuse(why, ZK_ROLLUP_BAD_RECORD);
    if ((rc = leaf_of(&v, st->post_exists, &st->post)) != ZK_OK)
        return rc;
    if (!zk_fr_eq(&v, &st->post_leaf))
        return refuse(why, ZK_ROLLUP_BAD_RECORD);
    if ((rc = zk_merkle_root(&v, &st->post_leaf, st->account_path, D,
                             st->index)) != ZK_OK)
        return rc;
    if (!zk_fr_eq(&v, &st->root_after))
        return refuse(why, ZK_ROLLUP_BAD_RECORD);
    return ZK_OK;
}

int zk_rollup_record_check(zk_rollup_rule *why, const zk_rollup_record *rec)
{
    if (!why || !rec)
        return ZK_EINVAL;
    int rc = zk_rollup_tx_check_form(why, &rec->tx, rec->depth,
                                     rec->token_depth);
    if (rc != ZK_OK)
        return rc;

    zk_fr v, zeros[ZK_ROLLUP_TOKEN_DEPTH_MAX + 1];
    if ((rc = zk_rollup_tx_message(&v, &rec->tx)) != ZK_OK ||
        (rc = zk_merkle_zeros(zeros, rec->token_depth)) != ZK_OK)
        return rc;
    if (!zk_fr_eq(&v, &rec->msg))
        return refuse(why, ZK_ROLLUP_BAD_RECORD);

    /* the chain of roots */
    if (!zk_fr_eq(&rec->step[0].root_before, &rec->old_root) ||
        !zk_fr_eq(&rec->step[ZK_ROLLUP_NSTEPS - 1].root_after,
                  &rec->new_root))
        return refuse(why, ZK_ROLLUP_BAD_RECORD);
    for (unsigned s = 0; s + 1 < ZK_ROLLUP_NSTEPS; s++)
        if (!zk_fr_eq(&rec->step[s].root_after, &rec->step[s + 1].root_before))
            return refuse(why, ZK_ROLLUP_BAD_RECORD);

    for (unsigned s = 0; s < ZK_ROLLUP_NSTEPS; s++)
        if ((rc = check_step(why, rec, s, &zeros[rec->token_depth])) != ZK_OK)
            return rc;
    *why = ZK_ROLLUP_VALID;
    return ZK_OK;
}

/* ----------------------------------------------------------- settle */

int zk_rollup_balance_root(zk_fr *root, const zk_fr *balances, unsigned T)
{
    if (!root || !balances || T > ZK_ROLLUP_TOKEN_DEPTH_MAX)
        return ZK_EINVAL;
    zk_fr level[ZK_ROLLUP_TOKENS_MAX];
    size_t n = (size_t)1 << T;
    memcpy(level, balances, n * sizeof *level);
    for (; n > 1; n >>= 1)
        for (size_t i = 0; i < n / 2; i++) {
            int rc = zk_merkle_hash(&level[i], &level[2 * i], &level[2 * i + 1]);
            if (rc != ZK_OK)
                return rc;
        }
    *root = level[0];
    return ZK_OK;
}

int zk_rollup_settle_check(zk_rollup_rule *why, const zk_rollup_settle *s)
{
    if (!why || !s || s->depth < 1 || s->depth > ZK_ROLLUP_DEPTH_MAX ||
        s->token_depth > ZK_ROLLUP_TOKEN_DEPTH_MAX)
        return ZK_EINVAL;
    const unsigned D = s->depth, T = s->token_depth;
    const size_t nt = (size_t)1 << T;
    if (!fr_arr_zero(s->fees, nt, ZK_ROLLUP_TOKENS_MAX) ||
        !fr_arr_zero(s->pre_balance, nt, ZK_ROLLUP_TOKENS_MAX) ||
        !fr_arr_zero(s->post_balance, nt, ZK_ROLLUP_TOKENS_MAX) ||
        !fr_arr_zero(s->account_path, D, ZK_ROLLUP_DEPTH_MAX))
        return refuse(why, ZK_ROLLUP_BAD_RECORD);
    /* the fee rule keeps pending fees below 2^96 */
    for (size_t t = 0; t < nt; t++)
        if (!zk_rollup_fits(&s->fees[t], ZK_ROLLUP_AMOUNT_BITS) ||
            !zk_rollup_fits(&s->pre_balance[t], ZK_ROLLUP_AMOUNT_BITS))
            return refuse(why, ZK_ROLLUP_BAD_RECORD);
    for (size_t t = 0; t < nt; t++) {
        zk_fr b;
        zk_fr_add(&b, &s->pre_balance[t], &s->fees[t]);
        if (!zk_fr_eq(&b, &s->post_balance[t]))
            return refuse(why, ZK_ROLLUP_BAD_RECORD);
    }
    zk_fr v;
    int rc;
    if ((rc = zk_rollup_balance_root(&v, s->pre_balance, T)) != ZK_OK)
        return rc;
    if (!zk_fr_eq(&v, &s->pre.balance_root))
        return refuse(why, ZK_ROLLUP_BAD_RECORD);
    if ((rc = zk_rollup_balance_root(&v, s->post_balance, T)) != ZK_OK)
        return rc;
    if (!zk_fr_eq(&v, &s->post.balance_root) ||
        !zk_bj_eq(&s->pre.pubkey, &s->post.pubkey) ||
        s->pre.nonce != s->post.nonce)
        return refuse(why, ZK_ROLLUP_BAD_RECORD);
    if ((rc = zk_rollup_account_leaf(&v, &s->pre)) != ZK_OK)
        return rc;
    if (!zk_fr_eq(&v, &s->pre_leaf))
        return refuse(why, ZK_ROLLUP_BAD_RECORD);
    if ((rc = zk_rollup_account_leaf(&v, &s->post)) != ZK_OK)
        return rc;
    if (!zk_fr_eq(&v, &s->post_leaf))
        return refuse(why, ZK_ROLLUP_BAD_RECORD);
    if ((rc = zk_merkle_root(&v, &s->pre_leaf, s->account_path, D,
                             ZK_ROLLUP_OPERATOR)) != ZK_OK)
        return rc;
    if (!zk_fr_eq(&v, &s->old_root))
        return refuse(why, ZK_ROLLUP_BAD_RECORD);
    if ((rc = zk_merkle_root(&v, &s->post_leaf, s->account_path, D,
                             ZK_ROLLUP_OPERATOR)) != ZK_OK)
        return rc;
    if (!zk_fr_eq(&v, &s->new_root))
        return refuse(why, ZK_ROLLUP_BAD_RECORD);
    /* the range check last: a consistent record that overflows */
    for (size_t t = 0; t < nt; t++)
        if (!zk_rollup_fits(&s->post_balance[t], ZK_ROLLUP_AMOUNT_BITS))
            return refuse(why, ZK_ROLLUP_OPERATOR_OVERFLOW);
    *why = ZK_ROLLUP_VALID;
    return ZK_OK;
}
