/*
 * chunk.c -- chunks of a batch, natively and as the chunk circuit
 * (chunk.h).
 */
#include "rollup/chunk.h"

#include <stdlib.h>
#include <string.h>

#include "gadgets/merkle.h"
#include "gadgets/poseidon.h"
#include "gadgets/bits.h"
#include "hash/poseidon.h"

/* ------------------------------------------------------- public data */

/* 2^k as a field element */
static void pow2(zk_fr *r, unsigned k)
{
    zk_fr two;
    zk_fr_one(r);
    zk_fr_set_u64(&two, 2);
    for (unsigned i = 0; i < k; i++)
        zk_fr_mul(r, r, &two);
}

/* The packing's shifts: from 2, to 34, token 66, l1 74; fee 96. */
enum { SH_FROM = 2, SH_TO = 34, SH_TOKEN = 66, SH_L1 = 74, SH_FEE = 96 };

int zk_rollup_tx_pubdata(zk_fr w[4], const zk_rollup_tx *tx)
{
    if (!w || !tx)
        return ZK_EINVAL;
    zk_fr v, sh;
    zk_fr_set_u64(&w[0], tx->type);
    const struct { uint64_t x; unsigned s; } part[3] = {
        {tx->from, SH_FROM}, {tx->to, SH_TO}, {tx->token, SH_TOKEN}};
    for (size_t i = 0; i < 3; i++) {
        zk_fr_set_u64(&v, part[i].x);
        pow2(&sh, part[i].s);
        zk_fr_mul(&v, &v, &sh);
        zk_fr_add(&w[0], &w[0], &v);
    }
    pow2(&sh, SH_L1);
    zk_fr_mul(&v, &tx->l1_recipient, &sh);
    zk_fr_add(&w[0], &w[0], &v);
    pow2(&sh, SH_FEE);
    zk_fr_mul(&v, &tx->fee, &sh);
    zk_fr_add(&w[1], &tx->amount, &v);
    w[2] = tx->pubkey.x;
    w[3] = tx->pubkey.y;
    return ZK_OK;
}

int zk_rollup_commit_step(zk_fr *c, const zk_fr *prev, const zk_rollup_tx *tx)
{
    if (!c || !prev || !tx)
        return ZK_EINVAL;
    zk_fr in[5];
    in[0] = *prev;
    int rc = zk_rollup_tx_pubdata(&in[1], tx);
    if (rc != ZK_OK)
        return rc;
    return zk_poseidon(c, in, 5);
}

/* ------------------------------------------------------ native chunks */

static int params_ok(unsigned k, unsigned D, unsigned T)
{
    return k >= 1 && k <= ZK_ROLLUP_CHUNK_MAX && D >= 1 &&
           D <= ZK_ROLLUP_DEPTH_MAX && T <= ZK_ROLLUP_TOKEN_DEPTH_MAX;
}

int zk_rollup_chunk_alloc(zk_rollup_chunk *c, unsigned k, unsigned depth,
                          unsigned token_depth)
{
    if (!c)
        return ZK_EINVAL;
    memset(c, 0, sizeof *c);
    if (!params_ok(k, depth, token_depth))
        return ZK_EINVAL;
    c->rec = calloc(k, sizeof *c->rec);
    c->settle = calloc(1, sizeof *c->settle);
    if (!c->rec || !c->settle) {
        zk_rollup_chunk_free(c);
        return ZK_ENOMEM;
    }
    c->chunk_size = k;
    c->depth = depth;
    c->token_depth = token_depth;
    return ZK_OK;
}

void zk_rollup_chunk_free(zk_rollup_chunk *c)
{
    if (!c)
        return;
    free(c->rec);
    free(c->settle);
    memset(c, 0, sizeof *c);
}

static int chunk_ok(const zk_rollup_chunk *c)
{
    return c && c->rec && c->settle &&
           params_ok(c->chunk_size, c->depth, c->token_depth);
}

int zk_rollup_chunk_publics(zk_fr pub[ZK_ROLLUP_CHUNK_NPUBLIC],
                            const zk_rollup_chunk *c)
{
    if (!pub || !chunk_ok(c))
        return ZK_EINVAL;
    zk_fr com;
    zk_fr_zero(&com);
    for (unsigned i = 0; i < c->chunk_size; i++) {
        int rc = zk_rollup_commit_step(&com, &com, &c->rec[i].tx);
        if (rc != ZK_OK)
            return rc;
    }
    pub[0] = c->rec[0].old_root;
    pub[1] = c->settle->new_root;
    pub[2] = com;
    return ZK_OK;
}

static int refuse_at(zk_rollup_rule *why, size_t *at, zk_rollup_rule r,
                     size_t i)
{
    *why = r;
    *at = i;
    return ZK_EVERIFY;
}

int zk_rollup_chunk_check(zk_rollup_rule *why, size_t *at,
                          const zk_rollup_chunk *c)
{
    if (!why || !at || !chunk_ok(c))
        return ZK_EINVAL;
    const unsigned k = c->chunk_size, D = c->depth, T = c->token_depth;
    const size_t nt = (size_t)1 << T;
    zk_fr fees[ZK_ROLLUP_TOKENS_MAX];
    memset(fees, 0, sizeof fees);
    for (unsigned i = 0; i < k; i++) {
        const zk_rollup_record *r = &c->rec[i];
        if (r->depth != D || r->token_depth != T ||
            (i > 0 && !zk_fr_eq(&r->old_root, &c->rec[i - 1].new_root)))
            return refuse_at(why, at, ZK_ROLLUP_BAD_RECORD, i);
        int rc = zk_rollup_record_check(why, r);
        if (rc == ZK_EVERIFY)
            *at = i;
        if (rc != ZK_OK)
            return rc;
        /* the form rules passed: token < 2^T */
        zk_fr_add(&fees[r->tx.token], &fees[r->tx.token], &r->tx.fee);
    }
    const zk_rollup_settle *s = c->settle;
    if (s->depth != D || s->token_depth != T ||
        !zk_fr_eq(&s->old_root, &c->rec[k - 1].new_root) ||
        memcmp(fees, s->fees, nt * sizeof *fees) != 0)
        return refuse_at(why, at, ZK_ROLLUP_BAD_RECORD, k);
    int rc = zk_rollup_settle_check(why, s);
    if (rc == ZK_EVERIFY)
        *at = k;
    return rc;
}

int zk_rollup_chunk_push(zk_rollup_chunk *c, unsigned pos,
                         zk_rollup_rule *why, zk_rollup_state *st,
                         const zk_rollup_tx *tx)
{
    if (!chunk_ok(c) || !why || !st || pos >= c->chunk_size ||
        zk_rollup_state_depth(st) != c->depth ||
        zk_rollup_state_token_depth(st) != c->token_depth)
        return ZK_EINVAL;
    if (pos == 0 && zk_rollup_state_pending(NULL, 0, st) != 0)
        return ZK_EINVAL;
    static const zk_rollup_tx noop; /* all zero: type 0 */
    return zk_rollup_state_apply(&c->rec[pos], why, st, tx ? tx : &noop);
}

int zk_rollup_chunk_close(zk_rollup_chunk *c, unsigned used,
                          zk_rollup_state *st)
{
    if (!chunk_ok(c) || !st || used > c->chunk_size)
        return ZK_EINVAL;
    for (unsigned i = used; i < c->chunk_size; i++) {
        zk_rollup_rule why;
        int rc = zk_rollup_chunk_push(c, i, &why, st, NULL);
        if (rc != ZK_OK) /* a no-op is never refused */
            return rc == ZK_EVERIFY ? ZK_EINVAL : rc;
    }
    return zk_rollup_state_settle(c->settle, st);
}

/* ------------------------------------------------------ the circuit */

int zk_rollup_circuit_settle_in_from_record(zk_rollup_circuit_settle_in *in,
                                            const zk_rollup_settle *s)
{
    if (!in || !s)
        return ZK_EINVAL;
    memset(in, 0, sizeof *in);
    in->pubkey = s->pre.pubkey;
    zk_fr_set_u64(&in->nonce, s->pre.nonce);
    memcpy(in->balance, s->pre_balance, sizeof in->balance);
    memcpy(in->account_path, s->account_path, sizeof in->account_path);
    return ZK_OK;
}

static zk_lc prv(zk_cs *cs, const zk_fr *v)
{
    return zk_lc_var(cs, zk_cs_alloc_prv_in(cs, v));
}

/* The root of the depth-T tree over leaf[0 .. 2^T) (leaf is clobbered). */
static zk_lc tree_root(zk_cs *cs, zk_lc *leaf, unsigned T)
{
    for (size_t n = (size_t)1 << T; n > 1; n >>= 1)
        for (size_t i = 0; i < n / 2; i++) {
            zk_lc pair[2] = {leaf[2 * i], leaf[2 * i + 1]};
            zk_g_poseidon(cs, &leaf[i], pair, 2);
        }
    return leaf[0];
}

/* The settle: root -> the returned root, crediting fees[0 .. 2^T). */
static zk_lc settle_circuit(zk_cs *cs, zk_lc root, const zk_lc *fees,
                            const zk_rollup_circuit_settle_in *in,
                            unsigned D, unsigned T)
{
    const size_t nt = (size_t)1 << T;
    zk_cs_push(cs, "settle");
    zk_cs_push(cs, "inputs");
    zk_lc kx = prv(cs, &in->pubkey.x), ky = prv(cs, &in->pubkey.y);
    zk_lc nonce = prv(cs, &in->nonce);
    zk_lc pre[ZK_ROLLUP_TOKENS_MAX], post[ZK_ROLLUP_TOKENS_MAX];
    zk_lc path[ZK_ROLLUP_DEPTH_MAX], zero[ZK_ROLLUP_DEPTH_MAX];
    for (size_t t = 0; t < nt; t++)
        pre[t] = prv(cs, &in->balance[t]);
    for (unsigned i = 0; i < D; i++) {
        path[i] = prv(cs, &in->account_path[i]);
        zero[i] = zk_lc_zero();
    }
    zk_cs_pop(cs);

    zk_cs_push(cs, "balances");
    for (size_t t = 0; t < nt; t++) {
        post[t] = zk_lc_add(cs, pre[t], fees[t]);
        zk_g_assert_range(cs, post[t], ZK_ROLLUP_AMOUNT_BITS);
    }
    zk_cs_pop(cs);

    zk_cs_push(cs, "balance_tree");
    zk_lc broot = tree_root(cs, pre, T);
    zk_lc broot_post = tree_root(cs, post, T);
    zk_cs_pop(cs);

    zk_cs_push(cs, "leaves");
    zk_lc leaf, leaf_post;
    zk_lc hin[4] = {kx, ky, nonce, broot};
    zk_g_poseidon(cs, &leaf, hin, 4);
    hin[3] = broot_post;
    zk_g_poseidon(cs, &leaf_post, hin, 4);
    zk_cs_pop(cs);

    zk_cs_push(cs, "account_tree");
    zk_lc root_after;
    zk_g_merkle_update(cs, &root_after, root, leaf, leaf_post, path, zero, D);
    zk_cs_pop(cs);
    zk_cs_pop(cs);
    return root_after;
}

/* The commitment step: *com = Poseidon(*com, w1, w2, pkx, pky). */
static void commit_circuit(zk_cs *cs, zk_lc *com,
                           const zk_rollup_circuit_pub *p)
{
    zk_cs_push(cs, "commitment");
    zk_fr sh;
    zk_lc w1 = p->type;
    const struct { zk_lc x; unsigned s; } part[4] = {
        {p->from, SH_FROM}, {p->to, SH_TO}, {p->token, SH_TOKEN},
        {p->l1_recipient, SH_L1}};
    for (size_t i = 0; i < 4; i++) {
        pow2(&sh, part[i].s);
        w1 = zk_lc_add_scaled(cs, w1, &sh, part[i].x);
    }
    pow2(&sh, SH_FEE);
    zk_lc w2 = zk_lc_add_scaled(cs, p->amount, &sh, p->fee);
    zk_lc in[5] = {*com, w1, w2, p->pubkey_x, p->pubkey_y};
    zk_g_poseidon(cs, com, in, 5);
    zk_cs_pop(cs);
}

int zk_rollup_circuit_chunk(zk_cs *cs, const zk_rollup_circuit_in *slot,
                            const zk_rollup_circuit_settle_in *settle,
                            const zk_fr *old_root, unsigned k,
                            unsigned depth, unsigned token_depth)
{
    if (!cs)
        return ZK_EINVAL;
    if (!params_ok(k, depth, token_depth)) {
        zk_cs_fail(cs, ZK_EINVAL);
        return zk_cs_err(cs);
    }
    static const zk_rollup_circuit_settle_in zero_settle;
    if (!settle)
        settle = &zero_settle;
    const size_t nt = (size_t)1 << token_depth;

    zk_var p_old = zk_cs_alloc_pub_in(cs, old_root);
    zk_var p_new = zk_cs_alloc_pub_in(cs, NULL);
    zk_var p_com = zk_cs_alloc_pub_in(cs, NULL);

    /* carry: root, commitment, fee sums */
    zk_lc carry[2 + ZK_ROLLUP_TOKENS_MAX];
    carry[0] = zk_lc_var(cs, p_old);
    carry[1] = zk_lc_zero();
    for (size_t t = 0; t < nt; t++)
        carry[2 + t] = zk_lc_zero();
    for (unsigned i = 0; i < k && zk_cs_err(cs) == ZK_OK; i++) {
        size_t mark = zk_cs_mark(cs);
        zk_cs_pushf(cs, "tx[%u]", i);
        zk_rollup_circuit_pub pub;
        zk_rollup_circuit_slot(cs, &carry[0], &pub, &carry[2], carry[0],
                               slot ? &slot[i] : NULL, depth, token_depth);
        commit_circuit(cs, &carry[1], &pub);
        zk_cs_pop(cs);
        zk_cs_release_keep(cs, mark, carry, 2 + nt);
    }
    zk_lc root = settle_circuit(cs, carry[0], &carry[2], settle, depth,
                                token_depth);

    /* the public results */
    zk_fr v;
    zk_lc_eval(&v, cs, root);
    zk_cs_set(cs, p_new, &v);
    zk_lc_eval(&v, cs, carry[1]);
    zk_cs_set(cs, p_com, &v);
    zk_cs_enforce_equal(cs, zk_lc_var(cs, p_new), root);
    zk_cs_enforce_equal(cs, zk_lc_var(cs, p_com), carry[1]);
    return zk_cs_err(cs);
}

int zk_rollup_chunk_cs(zk_cs **out, zk_cs_mode mode, const zk_rollup_chunk *c,
                       unsigned k, unsigned depth, unsigned token_depth)
{
    if (!out)
        return ZK_EINVAL;
    *out = NULL;
    if (c) {
        if (!chunk_ok(c))
            return ZK_EINVAL;
        k = c->chunk_size;
        depth = c->depth;
        token_depth = c->token_depth;
    }
    if (!params_ok(k, depth, token_depth))
        return ZK_EINVAL;
    zk_rollup_circuit_in *in = NULL;
    zk_rollup_circuit_settle_in *sin = NULL;
    int rc = ZK_OK;
    if (c) {
        in = malloc(k * sizeof *in);
        sin = malloc(sizeof *sin);
        if (!in || !sin)
            rc = ZK_ENOMEM;
        for (unsigned i = 0; i < k && rc == ZK_OK; i++)
            rc = zk_rollup_circuit_in_from_record(&in[i], &c->rec[i]);
        if (rc == ZK_OK)
            rc = zk_rollup_circuit_settle_in_from_record(sin, c->settle);
    }
    zk_cs *cs = NULL;
    if (rc == ZK_OK)
        rc = zk_cs_new(&cs, mode);
    if (rc == ZK_OK)
        rc = zk_rollup_circuit_chunk(cs, in, sin,
                                     c ? &c->rec[0].old_root : NULL, k,
                                     depth, token_depth);
    free(in);
    free(sin);
    if (rc != ZK_OK) {
        zk_cs_free(cs);
        return rc;
    }
    *out = cs;
    return ZK_OK;
}
