/*
 * testrollup.h -- what the rollup tests share: deterministic test keys
 * (sk_of(u) is NOT a secure key: tests only), transaction makers, the
 * small genesis state the chunk, circuit and file tests start from, and a
 * chunk built from transactions.  Include after tap.h (bail_out).
 */
#ifndef ZK_TEST_ROLLUP_H
#define ZK_TEST_ROLLUP_H

#include <stdint.h>
#include <string.h>

#include "curve/babyjub.h"
#include "field/fr.h"
#include "rollup/chunk.h"
#include "rollup/state.h"
#include "rollup/tx.h"
#include "sig/eddsa.h"
#include "util/err.h"

static inline zk_fr fr_u64(uint64_t v)
{
    zk_fr r;
    zk_fr_set_u64(&r, v);
    return r;
}

static inline void sk_of(uint8_t sk[32], uint64_t u)
{
    for (int i = 0; i < 32; i++)
        sk[i] = (uint8_t)(u * 131 + (uint64_t)i * 7 + 1);
    memcpy(sk, &u, sizeof u);
}

static inline zk_bj pk_of(uint64_t u)
{
    uint8_t sk[32];
    zk_bj a;
    sk_of(sk, u);
    if (zk_eddsa_pubkey(&a, sk) != ZK_OK)
        bail_out("pk_of");
    return a;
}

static inline void sign_as(zk_rollup_tx *t, uint64_t u)
{
    uint8_t sk[32];
    sk_of(sk, u);
    if (zk_rollup_tx_sign(t, sk) != ZK_OK)
        bail_out("sign");
}

static inline zk_rollup_tx tx_zero(uint32_t type)
{
    zk_rollup_tx t;
    memset(&t, 0, sizeof t);
    t.type = type;
    return t;
}

/* A deposit (deposits are not signed); pubkey *pk, for one that creates
 * the account, or (0, 0) when pk is NULL. */
static inline zk_rollup_tx tx_deposit(uint64_t to, uint64_t token, zk_fr amount,
                                      const zk_bj *pk)
{
    zk_rollup_tx t = tx_zero(ZK_ROLLUP_DEPOSIT);
    t.to = to;
    t.token = token;
    t.amount = amount;
    if (pk)
        t.pubkey = *pk;
    return t;
}

/* A transfer signed by user `signer` (normally from). */
static inline zk_rollup_tx tx_transfer(uint64_t from, uint64_t to, uint64_t token,
                                       zk_fr amount, zk_fr fee, uint64_t nonce,
                                       uint64_t signer)
{
    zk_rollup_tx t = tx_zero(ZK_ROLLUP_TRANSFER);
    t.from = from;
    t.to = to;
    t.token = token;
    t.amount = amount;
    t.fee = fee;
    t.nonce = nonce;
    sign_as(&t, signer);
    return t;
}

/* A withdrawal to the L1 address l1, signed by user `signer` (normally
 * from). */
static inline zk_rollup_tx tx_withdraw(uint64_t from, uint64_t token, zk_fr amount,
                                       zk_fr fee, uint64_t nonce, zk_fr l1,
                                       uint64_t signer)
{
    zk_rollup_tx t = tx_zero(ZK_ROLLUP_WITHDRAW);
    t.from = from;
    t.token = token;
    t.amount = amount;
    t.fee = fee;
    t.nonce = nonce;
    t.l1_recipient = l1;
    sign_as(&t, signer);
    return t;
}

/* A transfer of small amounts, signed by from. */
static inline zk_rollup_tx mk_transfer(uint64_t from, uint64_t to, uint64_t token,
                                       uint64_t amount, uint64_t fee, uint64_t nonce)
{
    return tx_transfer(from, to, token, fr_u64(amount), fr_u64(fee), nonce, from);
}

/* A genesis state of depths (depth, token_depth): accounts 0 .. 3 with
 * keys pk_of(i), and balances[j] = 1000 + 37 j (zk_rollup_state_genesis's
 * layout: account i, token t at j = i 2^T + t). */
static inline zk_rollup_state *genesis4(unsigned depth, unsigned token_depth)
{
    zk_rollup_state *st;
    zk_bj pks[4];
    zk_fr bal[4u << ZK_ROLLUP_TOKEN_DEPTH_MAX];
    if (token_depth > ZK_ROLLUP_TOKEN_DEPTH_MAX)
        bail_out("genesis4: token depth %u", token_depth);
    for (unsigned i = 0; i < 4; i++)
        pks[i] = pk_of(i);
    for (unsigned i = 0; i < (4u << token_depth); i++)
        bal[i] = fr_u64(1000 + 37 * i);
    if (zk_rollup_state_genesis(&st, depth, token_depth, pks, 4, bal, NULL) != ZK_OK)
        bail_out("genesis");
    return st;
}

/* *c = a chunk of k records at st's depths: t[0 .. n) pushed in order on
 * st, each accepted, then closed (no-op pads, the settle). */
static inline void chunk_of(zk_rollup_chunk *c, zk_rollup_state *st, unsigned k,
                            const zk_rollup_tx *t, unsigned n)
{
    if (zk_rollup_chunk_alloc(c, k, zk_rollup_state_depth(st),
                              zk_rollup_state_token_depth(st)) != ZK_OK)
        bail_out("chunk_alloc");
    for (unsigned i = 0; i < n; i++) {
        zk_rollup_rule why;
        if (zk_rollup_chunk_push(c, i, &why, st, &t[i]) != ZK_OK)
            bail_out("push %u: %s", i, zk_rollup_rule_name((int)why));
    }
    if (zk_rollup_chunk_close(c, n, st) != ZK_OK)
        bail_out("close");
}

#endif
