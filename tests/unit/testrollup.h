/*
 * testrollup.h -- what the rollup tests share: deterministic test keys
 * (sk_of(u) is NOT a secure key: tests only) and transaction makers.
 * Include after tap.h (bail_out).
 */
#ifndef ZK_TEST_ROLLUP_H
#define ZK_TEST_ROLLUP_H

#include <stdint.h>
#include <string.h>

#include "curve/babyjub.h"
#include "field/fr.h"
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

static inline zk_rollup_tx mk_transfer(uint64_t from, uint64_t to, uint64_t token,
                                uint64_t amount, uint64_t fee, uint64_t nonce)
{
    zk_rollup_tx t = tx_zero(ZK_ROLLUP_TRANSFER);
    t.from = from;
    t.to = to;
    t.token = token;
    t.amount = fr_u64(amount);
    t.fee = fr_u64(fee);
    t.nonce = nonce;
    sign_as(&t, from);
    return t;
}

#endif
