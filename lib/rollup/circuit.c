/*
 * circuit.c -- one transaction slot of the chunk circuit (see circuit.h;
 * the native reference is zk_rollup_record_check in tx.c).
 */
#include "rollup/circuit.h"

#include <string.h>

#include "gadgets/babyjub.h"
#include "gadgets/bits.h"
#include "gadgets/eddsa.h"
#include "gadgets/merkle.h"
#include "gadgets/poseidon.h"
#include "hash/merkle.h"

/* ------------------------------------------------------------ witness */

int zk_rollup_circuit_in_from_record(zk_rollup_circuit_in *in,
                                     const zk_rollup_record *rec)
{
    if (!in || !rec || rec->depth < 1 || rec->depth > ZK_ROLLUP_DEPTH_MAX ||
        rec->token_depth > ZK_ROLLUP_TOKEN_DEPTH_MAX)
        return ZK_EINVAL;
    memset(in, 0, sizeof *in);
    const zk_rollup_tx *tx = &rec->tx;
    zk_fr_set_u64(&in->type, tx->type);
    zk_fr_set_u64(&in->from, tx->from);
    zk_fr_set_u64(&in->to, tx->to);
    zk_fr_set_u64(&in->token, tx->token);
    in->amount = tx->amount;
    in->fee = tx->fee;
    zk_fr_set_u64(&in->nonce, tx->nonce);
    in->l1_recipient = tx->l1_recipient;
    in->pubkey = tx->pubkey;
    in->r8 = tx->sig.r8;
    /* S >= r cannot be a field element: 0 stands for it (and fails) */
    if (zk_fr_from_limbs(&in->s, tx->sig.s) != ZK_OK)
        zk_fr_zero(&in->s);
    for (unsigned s = 0; s < ZK_ROLLUP_NSTEPS; s++) {
        const zk_rollup_step *st = &rec->step[s];
        zk_fr_set_u64(&in->step[s].exists, st->pre_exists ? 1 : 0);
        in->step[s].pubkey = st->pre.pubkey;
        zk_fr_set_u64(&in->step[s].nonce, st->pre.nonce);
        in->step[s].balance = st->pre_balance;
        in->step[s].balance_root = st->pre.balance_root;
        memcpy(in->step[s].balance_path, st->balance_path,
               sizeof st->balance_path);
        memcpy(in->step[s].account_path, st->account_path,
               sizeof st->account_path);
    }
    return ZK_OK;
}

/* ------------------------------------------------------------ helpers */

static zk_lc prv(zk_cs *cs, const zk_fr *v)
{
    zk_var x = zk_cs_alloc_prv_in(cs, v);
    return zk_lc_var(cs, x);
}

static zk_lc one_minus(zk_cs *cs, zk_lc a)
{
    return zk_lc_sub(cs, zk_lc_const_u64(cs, 1), a);
}

/* a * b as a new variable's LC (one constraint). */
static zk_lc mul(zk_cs *cs, zk_lc a, zk_lc b)
{
    zk_var z = zk_cs_mul(cs, a, b);
    return zk_lc_var(cs, z);
}

/* a * b = 0 */
static void zero_prod(zk_cs *cs, zk_lc a, zk_lc b)
{
    zk_cs_enforce(cs, a, b, zk_lc_zero());
}

/* The inputs of a slot as LCs. */
typedef struct {
    zk_lc f[4];                 /* f[0] = 1 - f1 - f2 - f3 */
    zk_lc type, from, to, token, amount, fee, nonce, l1;
    zk_g_bj_pt pubkey, r8;
    zk_lc s;
    struct {
        zk_lc exists, nonce, balance, broot;
        zk_g_bj_pt pubkey;
        zk_lc bpath[ZK_ROLLUP_TOKEN_DEPTH_MAX];
        zk_lc apath[ZK_ROLLUP_DEPTH_MAX];
    } step[ZK_ROLLUP_NSTEPS];
} slot_vars;

static void alloc_inputs(zk_cs *cs, slot_vars *v,
                         const zk_rollup_circuit_in *in, unsigned D,
                         unsigned T)
{
    zk_cs_push(cs, "inputs");
    /* type flags: hints from the type's value */
    zk_fr flag[4];
    for (unsigned i = 1; i < 4; i++) {
        zk_fr c;
        zk_fr_set_u64(&c, i);
        if (zk_fr_eq(&in->type, &c))
            zk_fr_one(&flag[i]);
        else
            zk_fr_zero(&flag[i]);
    }
    for (unsigned i = 1; i < 4; i++)
        v->f[i] = prv(cs, &flag[i]);
    v->from = prv(cs, &in->from);
    v->to = prv(cs, &in->to);
    v->token = prv(cs, &in->token);
    v->amount = prv(cs, &in->amount);
    v->fee = prv(cs, &in->fee);
    v->nonce = prv(cs, &in->nonce);
    v->l1 = prv(cs, &in->l1_recipient);
    v->pubkey.x = prv(cs, &in->pubkey.x);
    v->pubkey.y = prv(cs, &in->pubkey.y);
    v->r8.x = prv(cs, &in->r8.x);
    v->r8.y = prv(cs, &in->r8.y);
    v->s = prv(cs, &in->s);
    for (unsigned s = 0; s < ZK_ROLLUP_NSTEPS; s++) {
        v->step[s].exists = prv(cs, &in->step[s].exists);
        v->step[s].pubkey.x = prv(cs, &in->step[s].pubkey.x);
        v->step[s].pubkey.y = prv(cs, &in->step[s].pubkey.y);
        v->step[s].nonce = prv(cs, &in->step[s].nonce);
        v->step[s].balance = prv(cs, &in->step[s].balance);
        v->step[s].broot = prv(cs, &in->step[s].balance_root);
        for (unsigned k = 0; k < T; k++)
            v->step[s].bpath[k] = prv(cs, &in->step[s].balance_path[k]);
        for (unsigned k = 0; k < D; k++)
            v->step[s].apath[k] = prv(cs, &in->step[s].account_path[k]);
    }
    /* f0 and the type as LCs of the flags */
    zk_lc sum = zk_lc_add(cs, zk_lc_add(cs, v->f[1], v->f[2]), v->f[3]);
    v->f[0] = one_minus(cs, sum);
    zk_fr two, three;
    zk_fr_set_u64(&two, 2);
    zk_fr_set_u64(&three, 3);
    zk_lc t = zk_lc_add_scaled(cs, v->f[1], &two, v->f[2]);
    v->type = zk_lc_add_scaled(cs, t, &three, v->f[3]);
    zk_cs_pop(cs);
}

/* ---------------------------------------------------------- one step */

/*
 * Step s on the account at index bits ib, balance leaf at token bits tb;
 * returns the root after it.  a: the step's active flag (LC of flags).
 */
static zk_lc step_circuit(zk_cs *cs, const slot_vars *v, unsigned s,
                          zk_lc root_before, zk_lc a, const zk_lc *ib,
                          const zk_lc *tb, unsigned D, unsigned T,
                          const zk_fr *empty_broot)
{
    zk_cs_pushf(cs, "step[%u]", s);
    zk_lc e = v->step[s].exists;
    zk_lc ne = one_minus(cs, e);
    zk_g_bj_pt key = v->step[s].pubkey;
    zk_lc nonce = v->step[s].nonce, bal = v->step[s].balance;
    zk_lc broot = v->step[s].broot;

    /* pre: exists boolean; an empty slot is (0, 0, 0, zeros[T]), bal 0 */
    zk_cs_push(cs, "pre");
    zk_cs_assert_bool(cs, e);
    zero_prod(cs, ne, key.x);
    zero_prod(cs, ne, key.y);
    zero_prod(cs, ne, nonce);
    zero_prod(cs, ne, bal);
    zero_prod(cs, ne, zk_lc_sub(cs, broot, zk_lc_const(cs, empty_broot)));
    zk_cs_pop(cs);

    /* rules: post-values */
    zk_cs_push(cs, "rules");
    zk_lc e_post = e, nonce_post = nonce, bal_post;
    zk_g_bj_pt key_post = key;
    if (s == ZK_ROLLUP_STEP_SENDER) {
        zero_prod(cs, a, ne);                               /* exists */
        zero_prod(cs, a, zk_lc_sub(cs, v->nonce, nonce));   /* nonce */
        nonce_post = zk_lc_add(cs, nonce, a);
        zk_g_assert_range(cs, nonce_post, 64);
        zk_lc am = mul(cs, a, v->amount);
        bal_post = zk_lc_sub(cs, zk_lc_sub(cs, bal, am), v->fee);
    } else {
        zero_prod(cs, v->f[ZK_ROLLUP_TRANSFER], ne);        /* exists */
        zk_lc c = mul(cs, v->f[ZK_ROLLUP_DEPOSIT], ne);     /* create */
        e_post = zk_lc_add(cs, e, c);
        key_post.x = zk_lc_add(cs, key.x, mul(cs, c, v->pubkey.x));
        key_post.y = zk_lc_add(cs, key.y, mul(cs, c, v->pubkey.y));
        /* key rule on the new key when c, on Base8 otherwise */
        zk_bj b8;
        zk_bj_base8(&b8);
        zk_g_bj_pt b8c, chk;
        zk_g_bj_const(cs, &b8c, &b8);
        zk_g_bj_select(cs, &chk, c, v->pubkey, b8c);
        zk_g_bj_assert_on_curve(cs, chk);
        zk_g_bj_assert_not_small_order(cs, chk);
        zk_lc am = mul(cs, a, v->amount);
        bal_post = zk_lc_add(cs, bal, am);
    }
    zk_g_assert_range(cs, bal_post, ZK_ROLLUP_AMOUNT_BITS);
    zk_cs_pop(cs);

    /* balance tree: bal -> bal_post at token, broot -> broot_post */
    zk_cs_push(cs, "balance_tree");
    zk_lc broot_post;
    zk_g_merkle_update(cs, &broot_post, broot, bal, bal_post,
                       v->step[s].bpath, tb, T);
    zk_cs_pop(cs);

    /* leaves */
    zk_cs_push(cs, "leaf_pre");
    zk_lc h, hin[4] = {key.x, key.y, nonce, broot};
    zk_g_poseidon(cs, &h, hin, 4);
    zk_lc leaf = mul(cs, e, h);
    zk_cs_pop(cs);
    zk_cs_push(cs, "leaf_post");
    zk_lc hp, hpin[4] = {key_post.x, key_post.y, nonce_post, broot_post};
    zk_g_poseidon(cs, &hp, hpin, 4);
    zk_lc leaf_post = mul(cs, e_post, hp);
    zk_cs_pop(cs);

    zk_cs_push(cs, "account_tree");
    zk_lc root_after;
    zk_g_merkle_update(cs, &root_after, root_before, leaf, leaf_post,
                       v->step[s].apath, ib, D);
    zk_cs_pop(cs);
    zk_cs_pop(cs);
    return root_after;
}

/* -------------------------------------------------------------- slot */

int zk_rollup_circuit_slot(zk_cs *cs, zk_lc *new_root,
                           zk_rollup_circuit_pub *pub, zk_lc *fees,
                           zk_lc old_root,
                           const zk_rollup_circuit_in *in, unsigned depth,
                           unsigned token_depth)
{
    if (!cs)
        return ZK_EINVAL;
    if (!new_root || depth < 1 || depth > ZK_ROLLUP_DEPTH_MAX ||
        token_depth > ZK_ROLLUP_TOKEN_DEPTH_MAX) {
        zk_cs_fail(cs, ZK_EINVAL);
        if (new_root)
            *new_root = zk_lc_zero();
        return zk_cs_err(cs);
    }
    const unsigned D = depth, T = token_depth;
    static const zk_rollup_circuit_in zero_in;
    if (!in)
        in = &zero_in;
    zk_fr zeros[ZK_ROLLUP_TOKEN_DEPTH_MAX + 1];
    if (zk_merkle_zeros(zeros, T) != ZK_OK) {
        zk_cs_fail(cs, ZK_EINVAL);
        *new_root = zk_lc_zero();
        return zk_cs_err(cs);
    }

    size_t mark = zk_cs_mark(cs);
    zk_cs_push(cs, "slot");
    slot_vars v;
    alloc_inputs(cs, &v, in, D, T);

    /* type: one-hot flags */
    zk_cs_push(cs, "type");
    for (unsigned i = 0; i < 4; i++)
        zk_cs_assert_bool(cs, v.f[i]);
    zk_cs_pop(cs);

    zk_lc sgn = zk_lc_add(cs, v.f[ZK_ROLLUP_TRANSFER], v.f[ZK_ROLLUP_WITHDRAW]);
    zk_lc rcv = zk_lc_add(cs, v.f[ZK_ROLLUP_TRANSFER], v.f[ZK_ROLLUP_DEPOSIT]);

    /* form: unused fields are 0, ranges; indices become path bits */
    zk_cs_push(cs, "form");
    zk_lc not_sgn = one_minus(cs, sgn), f0 = v.f[ZK_ROLLUP_NOOP];
    zero_prod(cs, v.from, not_sgn);
    zero_prod(cs, v.to, one_minus(cs, rcv));
    zero_prod(cs, v.token, f0);
    zero_prod(cs, v.amount, f0);
    zero_prod(cs, v.fee, not_sgn);
    zero_prod(cs, v.nonce, not_sgn);
    zero_prod(cs, v.l1, one_minus(cs, v.f[ZK_ROLLUP_WITHDRAW]));
    zk_lc not_dep = one_minus(cs, v.f[ZK_ROLLUP_DEPOSIT]);
    zero_prod(cs, v.pubkey.x, not_dep);
    zero_prod(cs, v.pubkey.y, not_dep);
    zk_g_assert_range(cs, v.amount, ZK_ROLLUP_AMOUNT_BITS);
    zk_g_assert_range(cs, v.fee, ZK_ROLLUP_AMOUNT_BITS);
    zk_g_assert_range(cs, v.l1, ZK_ROLLUP_L1_BITS);
    zk_lc from_bits[ZK_ROLLUP_DEPTH_MAX], to_bits[ZK_ROLLUP_DEPTH_MAX];
    zk_lc tok_bits[ZK_ROLLUP_TOKEN_DEPTH_MAX + 1];
    zk_g_merkle_index_bits(cs, from_bits, v.from, D);
    zk_g_merkle_index_bits(cs, to_bits, v.to, D);
    zk_g_merkle_index_bits(cs, tok_bits, v.token, T);
    zk_cs_pop(cs);

    /* message */
    zk_cs_push(cs, "message");
    zk_lc m1, msg;
    zk_lc min1[6] = {v.type, v.from, v.to, v.token, v.amount, v.fee};
    zk_g_poseidon(cs, &m1, min1, 6);
    zk_lc min2[3] = {m1, v.nonce, v.l1};
    zk_g_poseidon(cs, &msg, min2, 3);
    zk_cs_pop(cs);

    /* signature by step 0's pre-key, for signed types */
    zk_g_eddsa_verify(cs, sgn, v.step[ZK_ROLLUP_STEP_SENDER].pubkey, v.s,
                      v.r8, msg);

    /* the two steps */
    zk_lc root = old_root;
    root = step_circuit(cs, &v, ZK_ROLLUP_STEP_SENDER, root, sgn, from_bits,
                        tok_bits, D, T, &zeros[T]);
    root = step_circuit(cs, &v, ZK_ROLLUP_STEP_RECIPIENT, root, rcv, to_bits,
                        tok_bits, D, T, &zeros[T]);

    /* the fee joins its token's sum: fee * [token == t] for every t, as
     * a tree of products over the token's bits (2^T - 1 constraints) */
    const size_t nt = (size_t)1 << T;
    zk_lc keep[10 + ZK_ROLLUP_TOKENS_MAX];
    if (fees) {
        zk_cs_push(cs, "fees");
        zk_lc *part = &keep[10];
        part[0] = v.fee;
        for (unsigned k = T; k-- > 0;) {
            /* level: part[j] for the tokens' top bits so far; split on
             * bit k (from the top, so the index j ends up = token) */
            size_t m = (size_t)1 << (T - 1 - k);
            for (size_t j = m; j-- > 0;) {
                zk_lc hi = mul(cs, part[j], tok_bits[k]);
                part[2 * j + 1] = hi;
                part[2 * j] = zk_lc_sub(cs, part[j], hi);
            }
        }
        for (size_t t = 0; t < nt; t++)
            part[t] = zk_lc_add(cs, fees[t], part[t]);
        zk_cs_pop(cs);
    }
    zk_cs_pop(cs);

    keep[0] = root;
    keep[1] = v.type;
    keep[2] = v.from;
    keep[3] = v.to;
    keep[4] = v.token;
    keep[5] = v.amount;
    keep[6] = v.fee;
    keep[7] = v.l1;
    keep[8] = v.pubkey.x;
    keep[9] = v.pubkey.y;
    zk_cs_release_keep(cs, mark, keep, 10 + (fees ? nt : 0));
    *new_root = keep[0];
    if (fees && zk_cs_err(cs) == ZK_OK)
        for (size_t t = 0; t < nt; t++)
            fees[t] = keep[10 + t];
    if (pub) {
        pub->type = keep[1];
        pub->from = keep[2];
        pub->to = keep[3];
        pub->token = keep[4];
        pub->amount = keep[5];
        pub->fee = keep[6];
        pub->l1_recipient = keep[7];
        pub->pubkey_x = keep[8];
        pub->pubkey_y = keep[9];
    }
    if (zk_cs_err(cs) != ZK_OK) {
        *new_root = zk_lc_zero();
        if (pub)
            memset(pub, 0, sizeof *pub);
    }
    return zk_cs_err(cs);
}
