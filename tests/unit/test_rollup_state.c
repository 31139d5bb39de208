/*
 * test_rollup_state.c -- the rollup's native state and transaction rules
 * (lib/rollup/state, lib/rollup/tx).
 *
 *  - rule names; the 96/160-bit range predicate at its edges; the message
 *    encoding against Poseidon written out, and signatures over it;
 *  - genesis and put: roots against a naive model (full trees, written
 *    here with zk_poseidon only) at D = 1 and D = 8, getters, sorted
 *    indices, every argument and range error;
 *  - zk_rollup_state_put_many = the same zk_rollup_state_put calls (root,
 *    count, indices, every account's key, nonce, leaf and balances), with
 *    no pool and 2 threads, on empty states and states holding accounts,
 *    D = 1, 8, 16, 32, T = 0 .. 8, some balances NULL; n = 0; all or
 *    none: one bad account first, in the middle or last (index >= 2^D, a
 *    balance 2^96, a key off the curve, of small order, a taken index,
 *    one index twice) gives its code and *bad = its position, the state
 *    unchanged and none of the others created; with two bad accounts the
 *    first is reported; zk_rollup_state_genesis = new + n puts;
 *  - each transaction type (deposit to an existing and to a new account,
 *    transfer, self-transfer, operator as sender / recipient / both,
 *    withdraw, noop): the state equals the model slot by slot, pending
 *    fees included, and its root the model's root, and each transition
 *    record's paths verify against its roots (pre-leaf + path = root
 *    before, post-leaf + path = root after, the chain old -> 2 steps ->
 *    new, balance paths against the leaf's balance roots, leaves =
 *    Poseidon(Ax, Ay, nonce, broot)); fees stay pending (the operator's
 *    balance does not move) until a settle credits them;
 *  - every rule, refused with its code, the state and the pending fees
 *    unchanged; the exact edges (balance = amount + fee, balance reaching
 *    2^96 - 1) accepted; the operator-overflow rule counting pending fees
 *    (transfers, the operator paying a fee itself, a deposit to it);
 *  - zk_rollup_record_check: accepts every applied record, refuses each
 *    tampering (roots, paths, values, flags, message, signature), and
 *    names the rule when a re-signed record breaks one;
 *  - fees: zk_rollup_balance_root against the naive tree at T = 0..8;
 *    pending fees per token over several transactions; settle credits them
 *    all, clears them, and its record passes zk_rollup_settle_check and
 *    matches the state (roots, balances, leaves, fees); an empty settle;
 *    each tampering of a settle record refused, a consistent record whose
 *    post-balance reaches 2^96 named operator-overflow, a fee of 2^96 or
 *    -5 refused; zk_rollup_state_pending / _settle argument checks;
 *  - 300 random mixed transactions (about 1 in 6 invalid) at D = 8, T = 2
 *    with a settle every 25, against the model (same decision, same rule,
 *    same root, same slots, same pending fees, same settle records), the
 *    total value (balances + pending fees, per token) moving only by
 *    deposits - withdrawals after every transaction and settle, and
 *    determinism (a second run gives byte-identical records);
 *  - D = 20, T = 4 and D = 32, T = 3: slots at the far end of the tree,
 *    a short batch with record and path checks and a settle, index 2^D
 *    refused.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "curve/babyjub.h"
#include "field/fr.h"
#include "hash/merkle.h"
#include "hash/poseidon.h"
#include "rollup/state.h"
#include "rollup/tx.h"
#include "sig/eddsa.h"
#include "tap.h"
#include "testrollup.h"
#include "util/err.h"

typedef unsigned __int128 u128;

#define TWO96 ((u128)1 << 96)

/* ------------------------------------------------------------ helpers */

static uint64_t g_rng = 0x2545f4914f6cdd1dull;

static uint64_t rnd(void)
{
    g_rng ^= g_rng << 13;
    g_rng ^= g_rng >> 7;
    g_rng ^= g_rng << 17;
    return g_rng;
}

static zk_fr fr_u128(u128 v)
{
    uint64_t l[4] = {(uint64_t)v, (uint64_t)(v >> 64), 0, 0};
    zk_fr x;
    if (zk_fr_from_limbs(&x, l) != ZK_OK)
        bail_out("fr_u128");
    return x;
}

/* A pointer to v as a field element (a ring of 8, for arguments). */
static const zk_fr *tmpfr(uint64_t v)
{
    static zk_fr ring[8];
    static unsigned next;
    zk_fr *x = &ring[next++ % 8];
    zk_fr_set_u64(x, v);
    return x;
}

/* 2^k as a field element (k < 254). */
static zk_fr fr_pow2(unsigned k)
{
    uint64_t l[4] = {0, 0, 0, 0};
    l[k / 64] = 1ull << (k % 64);
    zk_fr x;
    if (zk_fr_from_limbs(&x, l) != ZK_OK)
        bail_out("fr_pow2");
    return x;
}

/* The value of a field element known to be < 2^128. */
static u128 u128_of(const zk_fr *x)
{
    uint64_t l[4];
    zk_fr_to_limbs(l, x);
    if (l[2] || l[3])
        bail_out("u128_of: too large");
    return (u128)l[1] << 64 | l[0];
}

/* The transaction makers of testrollup.h with amounts and fees as u128
 * (up to and beyond 2^96); signer = the user whose key signs (normally
 * from). */
static zk_rollup_tx mk_deposit128(uint64_t to, uint64_t token, u128 amount,
                                  const zk_bj *pk)
{
    return tx_deposit(to, token, fr_u128(amount), pk);
}

static zk_rollup_tx mk_transfer128(uint64_t from, uint64_t to, uint64_t token,
                                   u128 amount, u128 fee, uint64_t nonce,
                                   uint64_t signer)
{
    return tx_transfer(from, to, token, fr_u128(amount), fr_u128(fee), nonce,
                       signer);
}

static zk_rollup_tx mk_withdraw128(uint64_t from, uint64_t token, u128 amount,
                                   u128 fee, uint64_t nonce, const zk_fr *l1,
                                   uint64_t signer)
{
    return tx_withdraw(from, token, fr_u128(amount), fr_u128(fee), nonce, *l1,
                       signer);
}

/* ---------------------------------------------------- the naive model */

#define MD 8 /* the model's largest account depth */
#define MT 4 /* and token depth */

typedef struct {
    int exists;
    zk_bj pk;
    uint64_t nonce;
    u128 bal[1 << MT];
} macct;

typedef struct {
    unsigned D, T;
    macct a[1 << MD];
    u128 pend[1 << MT]; /* fees not yet settled, per token */
} model;

static zk_fr h2(const zk_fr *l, const zk_fr *r)
{
    zk_fr in[2] = {*l, *r}, o;
    if (zk_poseidon(&o, in, 2) != ZK_OK)
        bail_out("h2");
    return o;
}

/* Root of a full tree over leaves[0 .. 2^depth), level by level. */
static zk_fr full_root(const zk_fr *leaves, unsigned depth)
{
    size_t n = (size_t)1 << depth;
    zk_fr *v = malloc(n * sizeof *v);
    if (!v)
        bail_out("oom");
    memcpy(v, leaves, n * sizeof *v);
    for (; n > 1; n /= 2)
        for (size_t i = 0; i < n / 2; i++)
            v[i] = h2(&v[2 * i], &v[2 * i + 1]);
    zk_fr r = v[0];
    free(v);
    return r;
}

static zk_fr model_broot(const model *m, const macct *a)
{
    zk_fr lv[1 << MT];
    for (size_t t = 0; t < ((size_t)1 << m->T); t++)
        lv[t] = fr_u128(a->bal[t]);
    return full_root(lv, m->T);
}

static zk_fr model_leaf(const model *m, const macct *a)
{
    if (!a->exists)
        return fr_u64(0);
    zk_fr in[4] = {a->pk.x, a->pk.y, fr_u64(a->nonce), model_broot(m, a)}, o;
    if (zk_poseidon(&o, in, 4) != ZK_OK)
        bail_out("leaf");
    return o;
}

static zk_fr model_root(const model *m)
{
    zk_fr lv[1 << MD];
    for (size_t i = 0; i < ((size_t)1 << m->D); i++)
        lv[i] = model_leaf(m, &m->a[i]);
    return full_root(lv, m->D);
}

static int fits(const zk_fr *v, unsigned bits)
{
    uint64_t l[4];
    zk_fr_to_limbs(l, v);
    for (unsigned b = bits; b < 256; b++)
        if ((l[b / 64] >> (b % 64)) & 1)
            return 0;
    return 1;
}

static int key_ok(const zk_bj *a)
{
    return zk_bj_is_on_curve(a) && !zk_bj_is_small_order(a);
}

/* The message, written out from tx.h. */
static zk_fr spec_msg(const zk_rollup_tx *t)
{
    zk_fr in[6] = {fr_u64(t->type), fr_u64(t->from), fr_u64(t->to),
                   fr_u64(t->token), t->amount, t->fee};
    zk_fr m1, out;
    if (zk_poseidon(&m1, in, 6) != ZK_OK)
        bail_out("msg");
    zk_fr in2[3] = {m1, fr_u64(t->nonce), t->l1_recipient};
    if (zk_poseidon(&out, in2, 3) != ZK_OK)
        bail_out("msg");
    return out;
}

static int is_zero_pt(const zk_bj *p)
{
    return zk_fr_is_zero(&p->x) && zk_fr_is_zero(&p->y);
}

/* The rules of tx.h, independently: returns the rule (0 = applied). */
static int model_apply(model *m, const zk_rollup_tx *t)
{
    uint32_t ty = t->type;
    if (ty > 3)
        return ZK_ROLLUP_BAD_TYPE;
    int sgn = ty == 2 || ty == 3;
    if ((!sgn && (t->from || t->nonce || !zk_fr_is_zero(&t->fee))) ||
        (ty != 1 && ty != 2 && t->to) ||
        (ty == 0 && (t->token || !zk_fr_is_zero(&t->amount))) ||
        (ty != 3 && !zk_fr_is_zero(&t->l1_recipient)) ||
        (ty != 1 && !is_zero_pt(&t->pubkey)))
        return ZK_ROLLUP_UNUSED_FIELD;
    if (t->from >= (1ull << m->D) || t->to >= (1ull << m->D))
        return ZK_ROLLUP_BAD_INDEX;
    if (t->token >= (1ull << m->T))
        return ZK_ROLLUP_UNKNOWN_TOKEN;
    if (!fits(&t->amount, 96))
        return ZK_ROLLUP_AMOUNT_RANGE;
    if (!fits(&t->fee, 96))
        return ZK_ROLLUP_FEE_RANGE;
    if (!fits(&t->l1_recipient, 160))
        return ZK_ROLLUP_L1_RANGE;
    if (ty == 0) /* the fee rule with fee 0: kept by the invariant */
        return m->a[0].bal[0] + m->pend[0] >= TWO96
                   ? ZK_ROLLUP_OPERATOR_OVERFLOW
                   : 0;
    u128 amount = u128_of(&t->amount), fee = u128_of(&t->fee);
    macct s = m->a[t->from], r, o; /* copies: commit at the end */
    if (sgn) {
        if (!s.exists)
            return ZK_ROLLUP_UNKNOWN_SENDER;
        if (t->nonce != s.nonce)
            return ZK_ROLLUP_BAD_NONCE;
        if (s.nonce == UINT64_MAX)
            return ZK_ROLLUP_NONCE_OVERFLOW;
        zk_fr msg = spec_msg(t);
        if (zk_eddsa_verify(&s.pk, &msg, &t->sig) != ZK_OK)
            return ZK_ROLLUP_BAD_SIGNATURE;
        if (s.bal[t->token] < amount + fee)
            return ZK_ROLLUP_OVERDRAFT;
        s.bal[t->token] -= amount + fee;
        s.nonce++;
    }
    r = (sgn && t->to == t->from) ? s : m->a[t->to];
    if (ty == 1 || ty == 2) {
        if (!r.exists) {
            if (ty == 2)
                return ZK_ROLLUP_UNKNOWN_RECIPIENT;
            if (!key_ok(&t->pubkey))
                return ZK_ROLLUP_BAD_PUBKEY;
            memset(&r, 0, sizeof r);
            r.exists = 1;
            r.pk = t->pubkey;
        }
        if (r.bal[t->token] + amount >= TWO96)
            return ZK_ROLLUP_RECIPIENT_OVERFLOW;
        r.bal[t->token] += amount;
    }
    /* the fee rule, on the operator as the two steps left it: its
     * balance + the pending fees + this fee must stay below 2^96 (fee 0
     * for a deposit, which can still be refused when it credits the
     * operator) */
    if ((ty == 1 || ty == 2) && t->to == 0)
        o = r;
    else if (sgn && t->from == 0)
        o = s;
    else
        o = m->a[0];
    if (o.bal[t->token] + m->pend[t->token] + fee >= TWO96)
        return ZK_ROLLUP_OPERATOR_OVERFLOW;
    if (sgn)
        m->a[t->from] = s;
    if (ty == 1 || ty == 2)
        m->a[t->to] = r;
    m->pend[t->token] += fee;
    return 0;
}

/* The settle of tx.h on the model: every pending fee to account 0. */
static void model_settle(model *m)
{
    for (size_t t = 0; t < ((size_t)1 << m->T); t++) {
        m->a[0].bal[t] += m->pend[t];
        m->pend[t] = 0;
    }
}

/* The state's pending fee in token t, as an integer. */
static u128 pend_of(const zk_rollup_state *st, uint64_t t)
{
    zk_fr f[ZK_ROLLUP_TOKENS_MAX];
    if (zk_rollup_state_pending(f, ZK_ROLLUP_TOKENS_MAX, st) < 0)
        bail_out("pending");
    return u128_of(&f[t]);
}

/* The state's balance of account i in token t, as an integer. */
static u128 bal_of(const zk_rollup_state *st, uint64_t i, uint64_t t)
{
    zk_fr b;
    if (zk_rollup_state_balance(&b, st, i, t) != ZK_OK)
        bail_out("balance");
    return u128_of(&b);
}

/* Every slot of st equals the model's (existence, key, nonce, balances,
 * balance root via the leaf). */
static int state_matches(const zk_rollup_state *st, const model *m)
{
    for (uint64_t i = 0; i < (1ull << m->D); i++) {
        zk_rollup_account a;
        zk_fr leaf;
        int ex;
        if (zk_rollup_state_get(&a, &leaf, &ex, st, i) != ZK_OK)
            return 0;
        const macct *ma = &m->a[i];
        if (ex != ma->exists)
            return 0;
        zk_fr ml = model_leaf(m, ma);
        if (!zk_fr_eq(&leaf, &ml))
            return 0;
        if (ex && (!zk_bj_eq(&a.pubkey, &ma->pk) || a.nonce != ma->nonce))
            return 0;
        for (uint64_t t = 0; t < (1ull << m->T); t++) {
            zk_fr b;
            if (zk_rollup_state_balance(&b, st, i, t) != ZK_OK ||
                u128_of(&b) != ma->bal[t])
                return 0;
        }
    }
    /* the pending fees, and the "some is non-zero" answer */
    zk_fr f[ZK_ROLLUP_TOKENS_MAX];
    int any = 0;
    int rc = zk_rollup_state_pending(f, ZK_ROLLUP_TOKENS_MAX, st);
    for (uint64_t t = 0; t < (1ull << m->T); t++) {
        if (!fits(&f[t], 128) || u128_of(&f[t]) != m->pend[t])
            return 0;
        any |= m->pend[t] != 0;
    }
    return rc == any && zk_rollup_state_pending(NULL, 0, st) == any;
}

/* ----------------------------------------------- record path checks */

/* The brief's checks, with zk_merkle_root and zk_poseidon only: each
 * step's pre/post leaves and balances against its paths and roots, the
 * chain of roots.  Returns the number of failed equations. */
static int record_paths_bad(const zk_rollup_record *r)
{
    int bad = 0;
    unsigned D = r->depth, T = r->token_depth;
    zk_fr v, zeros[ZK_ROLLUP_TOKEN_DEPTH_MAX + 1];
    if (zk_merkle_zeros(zeros, T) != ZK_OK)
        bail_out("zeros");
    bad += !zk_fr_eq(&r->step[0].root_before, &r->old_root);
    bad += !zk_fr_eq(&r->step[1].root_after, &r->new_root);
    for (int s = 0; s < 2; s++) {
        const zk_rollup_step *p = &r->step[s];
        if (s < 1)
            bad += !zk_fr_eq(&p->root_after, &r->step[s + 1].root_before);
        bad += p->index != (s == 0 ? r->tx.from : r->tx.to);
        bad += p->active != (s == 0 ? (r->tx.type == ZK_ROLLUP_TRANSFER ||
                                       r->tx.type == ZK_ROLLUP_WITHDRAW)
                                    : (r->tx.type == ZK_ROLLUP_TRANSFER ||
                                       r->tx.type == ZK_ROLLUP_DEPOSIT));
        const zk_rollup_account *acc[2] = {&p->pre, &p->post};
        const zk_fr *leaf[2] = {&p->pre_leaf, &p->post_leaf};
        const zk_fr *bal[2] = {&p->pre_balance, &p->post_balance};
        const zk_fr *root[2] = {&p->root_before, &p->root_after};
        int ex[2] = {p->pre_exists, p->post_exists};
        for (int k = 0; k < 2; k++) {
            if (ex[k]) {
                zk_fr in[4] = {acc[k]->pubkey.x, acc[k]->pubkey.y,
                               fr_u64(acc[k]->nonce), acc[k]->balance_root};
                if (zk_poseidon(&v, in, 4) != ZK_OK)
                    bail_out("leaf");
            } else {
                zk_fr_zero(&v);
            }
            bad += !zk_fr_eq(&v, leaf[k]);
            if (zk_merkle_root(&v, bal[k], p->balance_path, T, r->tx.token) !=
                ZK_OK)
                bad++;
            bad += !zk_fr_eq(&v, &acc[k]->balance_root);
            if (zk_merkle_root(&v, leaf[k], p->account_path, D, p->index) !=
                ZK_OK)
                bad++;
            bad += !zk_fr_eq(&v, root[k]);
        }
        if (!p->active)
            bad += !zk_fr_eq(&p->root_before, &p->root_after);
    }
    return bad;
}

/* Apply to the state and the model; check decision, rule, root, slots
 * and (on success) the record.  Returns the rule. */
static int g_steps_ok = 1;

static int apply_both(zk_rollup_state *st, model *m, const zk_rollup_tx *t,
                      zk_rollup_record *rec_out)
{
    zk_rollup_record rec;
    zk_rollup_rule why = (zk_rollup_rule)-1;
    zk_fr before, after, mroot;
    zk_rollup_state_root(&before, st);
    int rc = zk_rollup_state_apply(&rec, &why, st, t);
    int mwhy = model_apply(m, t);
    zk_rollup_state_root(&after, st);
    mroot = model_root(m);
    int good = 1;
    if (mwhy == 0) {
        zk_rollup_rule cw;
        good = rc == ZK_OK && why == ZK_ROLLUP_VALID &&
               zk_fr_eq(&after, &mroot) && zk_fr_eq(&rec.old_root, &before) &&
               zk_fr_eq(&rec.new_root, &after) && record_paths_bad(&rec) == 0 &&
               zk_rollup_record_check(&cw, &rec) == ZK_OK &&
               cw == ZK_ROLLUP_VALID;
        if (good && rec_out)
            *rec_out = rec;
    } else {
        good = rc == ZK_EVERIFY && (int)why == mwhy &&
               zk_fr_eq(&after, &before) && zk_fr_eq(&after, &mroot);
    }
    good = good && state_matches(st, m);
    if (!good) {
        diag("type %u from %llu to %llu: rc %d why %d (%s), model %d (%s)",
             t->type, (unsigned long long)t->from, (unsigned long long)t->to,
             rc, (int)why, zk_rollup_rule_name(why), mwhy,
             zk_rollup_rule_name(mwhy));
        g_steps_ok = 0;
    }
    return rc == ZK_OK ? 0 : (int)why;
}

/* A genesis state and its model: n accounts, user i at index i,
 * balances from bal(i, t). */
static zk_rollup_state *genesis_both(model *m, unsigned D, unsigned T,
                                     size_t n, u128 (*bal)(size_t, size_t))
{
    memset(m, 0, sizeof *m);
    m->D = D;
    m->T = T;
    size_t nt = (size_t)1 << T;
    zk_bj *pks = malloc(n * sizeof *pks);
    zk_fr *b = malloc(n * nt * sizeof *b);
    if (!pks || !b)
        bail_out("oom");
    for (size_t i = 0; i < n; i++) {
        pks[i] = pk_of(i);
        m->a[i].exists = 1;
        m->a[i].pk = pks[i];
        for (size_t t = 0; t < nt; t++) {
            m->a[i].bal[t] = bal(i, t);
            b[i * nt + t] = fr_u128(m->a[i].bal[t]);
        }
    }
    zk_rollup_state *st;
    if (zk_rollup_state_genesis(&st, D, T, pks, n, b, NULL) != ZK_OK)
        bail_out("genesis");
    free(pks);
    free(b);
    return st;
}

static u128 bal_rand(size_t i, size_t t)
{
    (void)i;
    (void)t;
    return (u128)(rnd() >> 24); /* < 2^40 */
}

static u128 bal_1000(size_t i, size_t t)
{
    return 1000 + 10 * i + t;
}

/* ---------------------------------------------------------- tests */

static void test_names(void)
{
    int ok_all = 1;
    for (int i = 0; i < ZK_ROLLUP_RULE_COUNT; i++) {
        const char *n = zk_rollup_rule_name(i), *s = zk_rollup_rule_str(i);
        ok_all &= strcmp(n, "unknown") != 0 && strlen(s) > 5;
        for (int j = 0; j < i; j++)
            ok_all &= strcmp(n, zk_rollup_rule_name(j)) != 0;
    }
    ok(ok_all, "every rule has a distinct name and a reason");
    is_str(zk_rollup_rule_name(ZK_ROLLUP_RULE_COUNT), "unknown",
           "out-of-range rule name");
    is_str(zk_rollup_rule_name(-1), "unknown", "negative rule name");
    is_str(zk_rollup_rule_name(ZK_ROLLUP_OVERDRAFT), "overdraft",
           "overdraft's name");
    is_str(zk_rollup_tx_type_name(ZK_ROLLUP_WITHDRAW), "withdraw",
           "type name");
    ok(zk_rollup_tx_type_name(4) == NULL, "no name for type 4");
}

static void test_fits(void)
{
    zk_fr two96 = fr_pow2(96), m1, two160 = fr_pow2(160), one = fr_u64(1);
    zk_fr_sub(&m1, &two96, &one);
    ok(zk_rollup_fits(&m1, 96) && !zk_rollup_fits(&two96, 96),
       "2^96 - 1 fits 96 bits, 2^96 does not");
    ok(zk_rollup_fits(&two96, 97), "2^96 fits 97 bits");
    zk_fr_sub(&m1, &two160, &one);
    ok(zk_rollup_fits(&m1, 160) && !zk_rollup_fits(&two160, 160),
       "2^160 - 1 fits 160 bits, 2^160 does not");
    zk_fr z = fr_u64(0), pm1;
    zk_fr_neg(&pm1, &one);
    ok(zk_rollup_fits(&z, 0) && !zk_rollup_fits(&one, 0), "0 and 1 at 0 bits");
    ok(zk_rollup_fits(&one, 1) && !zk_rollup_fits(tmpfr(2), 1),
       "1 and 2 at 1 bit");
    ok(!zk_rollup_fits(&pm1, 253) && zk_rollup_fits(&pm1, 254) &&
           zk_rollup_fits(&pm1, 256),
       "p - 1 fits 254 bits, not 253");
    ok(zk_rollup_fits(tmpfr(UINT64_MAX), 64) &&
           !zk_rollup_fits(tmpfr(UINT64_MAX), 63),
       "2^64 - 1 at the limb edge");
    ok(!zk_rollup_fits(NULL, 96), "NULL does not fit");

    zk_bj id, gen, b8, neg1;
    zk_bj_identity(&id);
    zk_bj_generator(&gen);
    zk_bj_base8(&b8);
    neg1.x = z;
    neg1.y = pm1;
    zk_bj off = b8;
    zk_fr_add(&off.x, &off.x, &one);
    ok(zk_rollup_key_ok(&b8) && zk_rollup_key_ok(&gen),
       "key rule: Base8 and the generator (order 8 l) are keys");
    ok(!zk_rollup_key_ok(&id) && !zk_rollup_key_ok(&neg1) &&
           !zk_rollup_key_ok(&off) && !zk_rollup_key_ok(NULL),
       "key rule: identity, (0, -1), an off-curve point refused");
}

static void test_message(void)
{
    zk_rollup_tx t = tx_zero(ZK_ROLLUP_WITHDRAW);
    t.from = 77;
    t.token = 3;
    t.amount = fr_u128(((u128)1 << 95) + 12345);
    t.fee = fr_u64(99);
    t.nonce = 1ull << 40;
    t.l1_recipient = fr_pow2(159);
    zk_fr m, sm = spec_msg(&t);
    is_int(zk_rollup_tx_message(&m, &t), ZK_OK, "message");
    ok(zk_fr_eq(&m, &sm),
       "message = Poseidon(Poseidon(type, from, to, token, amount, fee), "
       "nonce, l1_recipient)");

    /* every encoded field changes it */
    int all = 1;
    for (int f = 0; f < 8; f++) {
        zk_rollup_tx u = t;
        zk_fr mu;
        switch (f) {
        case 0: u.type = 2; break;
        case 1: u.from++; break;
        case 2: u.to++; break;
        case 3: u.token++; break;
        case 4: zk_fr_add(&u.amount, &u.amount, tmpfr(1)); break;
        case 5: zk_fr_add(&u.fee, &u.fee, tmpfr(1)); break;
        case 6: u.nonce++; break;
        default: zk_fr_add(&u.l1_recipient, &u.l1_recipient, tmpfr(1));
        }
        all &= zk_rollup_tx_message(&mu, &u) == ZK_OK && !zk_fr_eq(&mu, &m);
    }
    ok(all, "each of the 8 encoded fields changes the message");
    /* the pubkey and the signature are not encoded */
    zk_rollup_tx u = t;
    u.pubkey = pk_of(5);
    u.sig.s[0] = 1;
    zk_fr mu;
    ok(zk_rollup_tx_message(&mu, &u) == ZK_OK && zk_fr_eq(&mu, &m),
       "pubkey and signature are not part of the message");

    sign_as(&t, 9);
    zk_bj a = pk_of(9), b = pk_of(10);
    is_int(zk_eddsa_verify(&a, &m, &t.sig), ZK_OK,
           "zk_rollup_tx_sign: an EdDSA-Poseidon signature of the message");
    is_int(zk_eddsa_verify(&b, &m, &t.sig), ZK_EVERIFY, "not under another key");
    zk_eddsa_sig s1 = t.sig;
    sign_as(&t, 9);
    ok(memcmp(&s1, &t.sig, sizeof s1) == 0, "signing is deterministic");
    is_int(zk_rollup_tx_message(NULL, &t), ZK_EINVAL, "message: NULL out");
    uint8_t sk[32];
    sk_of(sk, 9);
    is_int(zk_rollup_tx_sign(NULL, sk), ZK_EINVAL, "sign: NULL tx");
    is_int(zk_rollup_tx_sign(&t, NULL), ZK_EINVAL, "sign: NULL key");
}

static void test_genesis(void)
{
    model m;
    zk_rollup_state *st = genesis_both(&m, 8, 2, 12, bal_rand);
    zk_fr r, mr = model_root(&m);
    zk_rollup_state_root(&r, st);
    ok(zk_fr_eq(&r, &mr), "genesis D=8 T=2, 12 accounts: root = naive root");
    ok(state_matches(st, &m), "genesis: every slot as given");
    is_int((int)zk_rollup_state_count(st), 12, "count");
    ok(zk_rollup_state_depth(st) == 8 && zk_rollup_state_token_depth(st) == 2,
       "depths");

    /* sparse puts, sorted listing */
    zk_bj k = pk_of(200);
    zk_fr bals[4] = {fr_u64(1), fr_u64(0), fr_u64(3),
                     fr_u128(TWO96 - 1)};
    is_int(zk_rollup_state_put(st, 255, &k, 7, bals), ZK_OK, "put 255");
    is_int(zk_rollup_state_put(st, 100, &k, 0, NULL), ZK_OK, "put 100");
    m.a[255].exists = m.a[100].exists = 1;
    m.a[255].pk = m.a[100].pk = k;
    m.a[255].nonce = 7;
    m.a[255].bal[0] = 1;
    m.a[255].bal[2] = 3;
    m.a[255].bal[3] = TWO96 - 1;
    mr = model_root(&m);
    zk_rollup_state_root(&r, st);
    ok(zk_fr_eq(&r, &mr) && state_matches(st, &m),
       "after two puts: root and slots = naive");
    uint64_t idx[14];
    int sorted = zk_rollup_state_indices(idx, 14, st) == ZK_OK;
    for (int i = 0; i < 12; i++)
        sorted &= idx[i] == (uint64_t)i;
    sorted &= idx[12] == 100 && idx[13] == 255;
    ok(sorted, "indices ascending");
    is_int(zk_rollup_state_indices(idx, 13, st), ZK_ERANGE,
           "indices: array too short");

    /* getters on an empty slot */
    zk_rollup_account a;
    zk_fr leaf, z2[3];
    int ex = -1;
    if (zk_merkle_zeros(z2, 2) != ZK_OK)
        bail_out("zeros");
    ok(zk_rollup_state_get(&a, &leaf, &ex, st, 50) == ZK_OK && ex == 0 &&
           zk_fr_is_zero(&leaf) && zk_fr_is_zero(&a.pubkey.x) &&
           zk_fr_is_zero(&a.pubkey.y) && a.nonce == 0 &&
           zk_fr_eq(&a.balance_root, &z2[2]),
       "empty slot: (0, 0, 0, zeros[T]), leaf 0");
    is_int(zk_rollup_state_get(&a, &leaf, &ex, st, 256), ZK_ERANGE,
           "get: index 2^D");
    is_int(zk_rollup_state_get(NULL, NULL, &ex, st, 3), ZK_OK,
           "get: acct and leaf may be NULL");
    is_int(zk_rollup_state_get(&a, &leaf, NULL, st, 3), ZK_EINVAL,
           "get: exists NULL");
    zk_fr b;
    is_int(zk_rollup_state_balance(&b, st, 3, 4), ZK_ERANGE,
           "balance: token 2^T");
    is_int(zk_rollup_state_balance(&b, st, 256, 0), ZK_ERANGE,
           "balance: index 2^D");

    /* put errors, state unchanged */
    zk_fr over[4] = {fr_u64(0), fr_u128(TWO96), fr_u64(0), fr_u64(0)};
    zk_bj id, off = k, neg1;
    zk_bj_identity(&id);
    zk_fr_add(&off.y, &off.y, tmpfr(1));
    neg1.x = fr_u64(0);
    zk_fr_neg(&neg1.y, tmpfr(1));
    is_int(zk_rollup_state_put(st, 3, &k, 0, NULL), ZK_EINVAL,
           "put: slot taken");
    is_int(zk_rollup_state_put(st, 256, &k, 0, NULL), ZK_ERANGE,
           "put: index 2^D");
    is_int(zk_rollup_state_put(st, 20, &k, 0, over), ZK_ERANGE,
           "put: balance 2^96");
    is_int(zk_rollup_state_put(st, 20, &off, 0, NULL), ZK_ENOTONCURVE,
           "put: key off the curve");
    is_int(zk_rollup_state_put(st, 20, &id, 0, NULL), ZK_ENOTINGROUP,
           "put: identity key");
    is_int(zk_rollup_state_put(st, 20, &neg1, 0, NULL), ZK_ENOTINGROUP,
           "put: key of order 2");
    is_int(zk_rollup_state_put(st, 20, NULL, 0, NULL), ZK_EINVAL,
           "put: NULL key");
    zk_rollup_state_root(&r, st);
    ok(zk_fr_eq(&r, &mr) && state_matches(st, &m) &&
           zk_rollup_state_count(st) == 14,
       "refused puts changed nothing");
    zk_rollup_state_free(st);

    /* smallest: D = 1, T = 0, the tree full */
    st = genesis_both(&m, 1, 0, 2, bal_1000);
    mr = model_root(&m);
    zk_rollup_state_root(&r, st);
    ok(zk_fr_eq(&r, &mr), "genesis D=1 T=0, 2 accounts: root = naive");
    zk_rollup_state_free(st);

    /* genesis errors */
    zk_bj pks[3] = {pk_of(0), pk_of(1), pk_of(2)};
    zk_fr gb[3] = {fr_u64(1), fr_u128(TWO96), fr_u64(1)};
    st = (zk_rollup_state *)&m;
    is_int(zk_rollup_state_genesis(&st, 0, 2, pks, 1, NULL, NULL), ZK_EINVAL,
           "genesis: D = 0");
    ok(st == NULL, "genesis: *out NULL on error");
    is_int(zk_rollup_state_genesis(&st, 33, 2, pks, 1, NULL, NULL), ZK_EINVAL,
           "genesis: D = 33");
    is_int(zk_rollup_state_genesis(&st, 8, 9, pks, 1, NULL, NULL), ZK_EINVAL,
           "genesis: T = 9");
    is_int(zk_rollup_state_genesis(&st, 8, 2, pks, 0, NULL, NULL), ZK_EINVAL,
           "genesis: no account");
    is_int(zk_rollup_state_genesis(&st, 1, 0, pks, 3, NULL, NULL), ZK_EINVAL,
           "genesis: 3 accounts at D = 1");
    is_int(zk_rollup_state_genesis(&st, 1, 0, pks, 2, NULL, NULL), ZK_OK,
           "genesis: 2 accounts at D = 1");
    zk_rollup_state_free(st);
    is_int(zk_rollup_state_genesis(&st, 4, 0, pks, 3, gb, NULL), ZK_ERANGE,
           "genesis: a balance 2^96");
    pks[2] = id;
    is_int(zk_rollup_state_genesis(&st, 4, 0, pks, 3, NULL, NULL), ZK_ENOTINGROUP,
           "genesis: a small-order key");
    pks[2] = off;
    is_int(zk_rollup_state_genesis(&st, 4, 0, pks, 3, NULL, NULL), ZK_ENOTONCURVE,
           "genesis: a key off the curve");
    is_int(zk_rollup_state_genesis(&st, 4, 0, NULL, 3, NULL, NULL), ZK_EINVAL,
           "genesis: NULL keys");
    is_int(zk_rollup_state_genesis(NULL, 4, 0, pks, 3, NULL, NULL), ZK_EINVAL,
           "genesis: NULL out");
    is_int(zk_rollup_state_new(&st, 4, 9), ZK_EINVAL, "new: T = 9");

    /* a state without the operator refuses to apply */
    is_int(zk_rollup_state_new(&st, 4, 1), ZK_OK, "new: empty state");
    k = pk_of(1);
    is_int(zk_rollup_state_put(st, 1, &k, 0, NULL), ZK_OK, "put 1");
    zk_rollup_tx t = mk_deposit128(1, 0, 5, NULL);
    zk_rollup_rule why;
    is_int(zk_rollup_state_apply(NULL, &why, st, &t), ZK_EINVAL,
           "apply: no operator at index 0");
    k = pk_of(0);
    is_int(zk_rollup_state_put(st, 0, &k, 0, NULL), ZK_OK, "put 0");
    is_int(zk_rollup_state_apply(NULL, &why, st, &t), ZK_OK,
           "apply with the operator (rec may be NULL)");
    is_int(zk_rollup_state_apply(NULL, NULL, st, &t), ZK_EINVAL,
           "apply: why NULL");
    is_int(zk_rollup_state_apply(NULL, &why, st, NULL), ZK_EINVAL,
           "apply: tx NULL");
    zk_rollup_state_free(st);
    zk_rollup_state_free(NULL);
}

static void test_each_type(void)
{
    model m;
    zk_rollup_state *st = genesis_both(&m, 8, 2, 6, bal_1000);
    zk_rollup_record rec;
    g_steps_ok = 1;
    zk_bj newkey = pk_of(42);
    zk_fr l1 = fr_u64(0xdeadbeef);
    uint64_t n1 = 0, n0 = 0, n3 = 0;
    u128 op0 = bal_of(st, 0, 0);

    zk_rollup_tx t = mk_deposit128(2, 1, 500, NULL);
    is_int(apply_both(st, &m, &t, &rec), 0, "deposit to an existing account");
    ok(rec.step[1].active && !rec.step[0].active && rec.step[0].index == 0 &&
           rec.step[1].pre_exists && zk_fr_eq(&rec.step[0].root_before,
                                             &rec.step[0].root_after),
       "deposit: only the recipient step is active (sender step at 0)");
    ok(zk_rollup_state_pending(NULL, 0, st) == 0, "deposit: no fee pending");

    t = mk_deposit128(42, 3, 777, &newkey);
    is_int(apply_both(st, &m, &t, &rec), 0, "deposit creating account 42");
    ok(!rec.step[1].pre_exists && rec.step[1].post_exists &&
           zk_fr_is_zero(&rec.step[1].pre_leaf) &&
           zk_bj_eq(&rec.step[1].post.pubkey, &newkey) &&
           u128_of(&rec.step[1].post_balance) == 777,
       "deposit creating: pre leaf 0, post key and balance");
    t = mk_deposit128(42, 3, 1, &newkey);
    t.pubkey = pk_of(43);
    is_int(apply_both(st, &m, &t, &rec), 0,
           "deposit to an existing account with another key just credits");
    ok(zk_bj_eq(&rec.step[1].post.pubkey, &newkey), "and keeps the key");

    t = mk_transfer128(1, 3, 0, 100, 7, n1++, 1);
    is_int(apply_both(st, &m, &t, &rec), 0, "transfer 1 -> 3");
    ok(rec.step[0].active && rec.step[1].active &&
           rec.step[0].post.nonce == 1 &&
           u128_of(&rec.step[0].post_balance) == 1010 - 107 &&
           u128_of(&rec.step[1].post_balance) ==
               u128_of(&rec.step[1].pre_balance) + 100,
       "transfer: two active steps, nonce, debit of amount + fee, credit");
    ok(pend_of(st, 0) == 7 && bal_of(st, 0, 0) == op0,
       "transfer: the fee 7 is pending, the operator's balance unchanged");

    t = mk_transfer128(42, 1, 3, 77, 0, 0, 42);
    is_int(apply_both(st, &m, &t, &rec), 0,
           "transfer from the deposited account");
    t = mk_transfer128(1, 1, 1, 50, 3, n1++, 1);
    is_int(apply_both(st, &m, &t, &rec), 0,
           "transfer to oneself (pays the fee, bumps the nonce)");
    ok(zk_fr_eq(&rec.step[1].pre_leaf, &rec.step[0].post_leaf) &&
           u128_of(&rec.step[1].pre_balance) ==
               u128_of(&rec.step[0].post_balance) &&
           u128_of(&rec.step[1].post_balance) ==
               u128_of(&rec.step[0].pre_balance) - 3,
       "self-transfer: the recipient step reads the sender step's result; "
       "the account is down by the fee");
    t = mk_transfer128(0, 5, 2, 20, 1, n0++, 0);
    is_int(apply_both(st, &m, &t, &rec), 0, "transfer from the operator");
    ok(u128_of(&rec.step[0].post_balance) ==
           u128_of(&rec.step[0].pre_balance) - 21 && pend_of(st, 2) == 1,
       "the operator pays its own fee, and it is pending too");
    u128 op2 = bal_of(st, 0, 2);
    t = mk_transfer128(4, 0, 2, 20, 2, 0, 4);
    is_int(apply_both(st, &m, &t, &rec), 0, "transfer to the operator");
    ok(bal_of(st, 0, 2) == op2 + 20 && pend_of(st, 2) == 3,
       "to the operator: the amount credited now, the fee pending");
    t = mk_transfer128(0, 0, 0, 5, 5, n0++, 0);
    is_int(apply_both(st, &m, &t, &rec), 0,
           "operator to itself: two steps on one account");
    ok(u128_of(&rec.step[1].post_balance) ==
               u128_of(&rec.step[0].pre_balance) - 5 &&
           pend_of(st, 0) == 12,
       "and its balance is down by the fee until the settle");
    t = mk_withdraw128(3, 0, m.a[3].bal[0] - 1, 1, n3++, &l1, 3); /* all */
    is_int(apply_both(st, &m, &t, &rec), 0, "withdraw everything");
    ok(!rec.step[1].active && rec.step[1].index == 0 &&
           zk_fr_is_zero(&rec.step[0].post_balance),
       "withdraw: recipient step inactive at index 0; balance 0");
    t = mk_withdraw128(0, 1, 10, 4, n0++, &l1, 0);
    is_int(apply_both(st, &m, &t, &rec), 0, "withdraw by the operator");
    t = tx_zero(ZK_ROLLUP_NOOP);
    is_int(apply_both(st, &m, &t, &rec), 0, "noop");
    ok(zk_fr_eq(&rec.old_root, &rec.new_root) && !rec.step[0].active &&
           !rec.step[1].active,
       "noop: root unchanged, no active step");
    ok(g_steps_ok, "every step: state = model (root, slots, pending fees), "
                   "record paths verify, record_check accepts");

    /* the fees so far: 7 + 5 + 1 in token 0, 3 + 4 in 1, 1 + 2 in 2 */
    u128 want[4] = {13, 7, 3, 0}, before[4];
    int pend_ok = zk_rollup_state_pending(NULL, 0, st) == 1;
    for (int k = 0; k < 4; k++) {
        pend_ok &= pend_of(st, (uint64_t)k) == want[k];
        before[k] = bal_of(st, 0, (uint64_t)k);
    }
    ok(pend_ok, "pending fees per token: 13, 7, 3, 0");
    zk_rollup_settle *sr = malloc(sizeof *sr);
    if (!sr)
        bail_out("oom");
    zk_rollup_rule why;
    is_int(zk_rollup_state_settle(sr, st), ZK_OK, "settle");
    model_settle(&m);
    zk_fr root, mroot = model_root(&m);
    zk_rollup_state_root(&root, st);
    int credited = zk_rollup_state_pending(NULL, 0, st) == 0;
    for (int k = 0; k < 4; k++)
        credited &= bal_of(st, 0, (uint64_t)k) == before[k] + want[k] &&
                    pend_of(st, (uint64_t)k) == 0;
    ok(credited && zk_fr_eq(&root, &mroot) && state_matches(st, &m) &&
           zk_rollup_settle_check(&why, sr) == ZK_OK && why == ZK_ROLLUP_VALID,
       "settle: the operator's balances grow by exactly the fees, pending "
       "cleared, root = model, record accepted");
    free(sr);
    zk_rollup_state_free(st);
}

/* Expect tx refused with `rule`, state unchanged. */
static void refused(zk_rollup_state *st, model *m, const zk_rollup_tx *t,
                    zk_rollup_rule rule, const char *what)
{
    zk_rollup_rule why = ZK_ROLLUP_VALID;
    zk_rollup_record rec;
    memset(&rec, 0xa5, sizeof rec);
    zk_rollup_record keep = rec;
    zk_fr r0, r1, mr = model_root(m);
    zk_rollup_state_root(&r0, st);
    int rc = zk_rollup_state_apply(&rec, &why, st, t);
    zk_rollup_state_root(&r1, st);
    ok(rc == ZK_EVERIFY && why == rule && zk_fr_eq(&r0, &r1) &&
           zk_fr_eq(&r1, &mr) && state_matches(st, m) &&
           memcmp(&rec, &keep, sizeof rec) == 0 && model_apply(m, t) == (int)rule,
       "%s: refused as %s, state and record unchanged (got rc %d, %s)", what,
       zk_rollup_rule_name(rule), rc, zk_rollup_rule_name(why));
}

static u128 bal_rules(size_t i, size_t t)
{
    if (i == 2 && t == 0)
        return TWO96 - 10; /* the recipient near the bound */
    if (i == 0 && t == 1)
        return TWO96 - 10; /* the operator near the bound in token 1 */
    return 1000;
}

static void test_rules(void)
{
    model m;
    zk_rollup_state *st = genesis_both(&m, 8, 2, 5, bal_rules);
    zk_rollup_tx t;
    zk_fr l1 = fr_u64(1);
    g_steps_ok = 1;

    t = tx_zero(4);
    refused(st, &m, &t, ZK_ROLLUP_BAD_TYPE, "type 4");
    t = tx_zero(UINT32_MAX);
    refused(st, &m, &t, ZK_ROLLUP_BAD_TYPE, "type 2^32 - 1");

    /* unused fields, one per type and field */
    t = tx_zero(ZK_ROLLUP_NOOP);
    t.amount = fr_u64(1);
    refused(st, &m, &t, ZK_ROLLUP_UNUSED_FIELD, "noop with an amount");
    t = tx_zero(ZK_ROLLUP_NOOP);
    t.token = 1;
    refused(st, &m, &t, ZK_ROLLUP_UNUSED_FIELD, "noop with a token");
    t = mk_deposit128(1, 0, 5, NULL);
    t.fee = fr_u64(1);
    refused(st, &m, &t, ZK_ROLLUP_UNUSED_FIELD, "deposit with a fee");
    t = mk_deposit128(1, 0, 5, NULL);
    t.from = 2;
    refused(st, &m, &t, ZK_ROLLUP_UNUSED_FIELD, "deposit with a sender");
    t = mk_deposit128(1, 0, 5, NULL);
    t.nonce = 1;
    refused(st, &m, &t, ZK_ROLLUP_UNUSED_FIELD, "deposit with a nonce");
    t = mk_deposit128(1, 0, 5, NULL);
    t.l1_recipient = l1;
    refused(st, &m, &t, ZK_ROLLUP_UNUSED_FIELD, "deposit with an L1 address");
    t = mk_transfer128(1, 2, 0, 5, 0, 0, 1);
    t.l1_recipient = l1;
    sign_as(&t, 1);
    refused(st, &m, &t, ZK_ROLLUP_UNUSED_FIELD, "transfer with an L1 address");
    t = mk_transfer128(1, 2, 0, 5, 0, 0, 1);
    t.pubkey = pk_of(1);
    refused(st, &m, &t, ZK_ROLLUP_UNUSED_FIELD, "transfer with a pubkey");
    t = mk_withdraw128(1, 0, 5, 0, 0, &l1, 1);
    t.to = 2;
    sign_as(&t, 1);
    refused(st, &m, &t, ZK_ROLLUP_UNUSED_FIELD, "withdraw with a recipient");

    /* ranges */
    t = mk_transfer128(1, 256, 0, 5, 0, 0, 1);
    refused(st, &m, &t, ZK_ROLLUP_BAD_INDEX, "transfer to index 2^D");
    t = mk_transfer128(1ull << 40, 1, 0, 5, 0, 0, 1);
    refused(st, &m, &t, ZK_ROLLUP_BAD_INDEX, "transfer from index 2^40");
    t = mk_deposit128(256, 0, 5, NULL);
    t.pubkey = pk_of(9);
    refused(st, &m, &t, ZK_ROLLUP_BAD_INDEX, "deposit to index 2^D");
    t = mk_transfer128(1, 2, 4, 5, 0, 0, 1);
    refused(st, &m, &t, ZK_ROLLUP_UNKNOWN_TOKEN, "token 2^T");
    t = mk_deposit128(1, 1ull << 63, 5, NULL);
    refused(st, &m, &t, ZK_ROLLUP_UNKNOWN_TOKEN, "deposit token 2^63");
    t = mk_transfer128(1, 2, 0, 0, 0, 0, 1);
    t.amount = fr_pow2(96);
    sign_as(&t, 1);
    refused(st, &m, &t, ZK_ROLLUP_AMOUNT_RANGE, "amount 2^96");
    t = mk_deposit128(1, 0, 0, NULL);
    zk_fr_neg(&t.amount, tmpfr(5));
    refused(st, &m, &t, ZK_ROLLUP_AMOUNT_RANGE, "deposit amount -5 (p - 5)");
    t = mk_transfer128(1, 2, 0, 1, 0, 0, 1);
    t.fee = fr_pow2(96);
    sign_as(&t, 1);
    refused(st, &m, &t, ZK_ROLLUP_FEE_RANGE, "fee 2^96");
    t = mk_transfer128(1, 2, 0, 1, 0, 0, 1);
    zk_fr_neg(&t.fee, tmpfr(1));
    sign_as(&t, 1);
    refused(st, &m, &t, ZK_ROLLUP_FEE_RANGE, "fee -1 (p - 1)");
    zk_fr big = fr_pow2(160);
    t = mk_withdraw128(1, 0, 5, 0, 0, &big, 1);
    refused(st, &m, &t, ZK_ROLLUP_L1_RANGE, "L1 recipient 2^160");

    /* accounts, nonces, signatures */
    t = mk_transfer128(9, 2, 0, 5, 0, 0, 9);
    refused(st, &m, &t, ZK_ROLLUP_UNKNOWN_SENDER, "transfer from an empty slot");
    t = mk_withdraw128(9, 0, 5, 0, 0, &l1, 9);
    refused(st, &m, &t, ZK_ROLLUP_UNKNOWN_SENDER, "withdraw from an empty slot");
    t = mk_transfer128(1, 9, 0, 5, 0, 0, 1);
    refused(st, &m, &t, ZK_ROLLUP_UNKNOWN_RECIPIENT,
            "transfer to an empty slot");
    t = mk_transfer128(1, 2, 0, 5, 0, 0, 3);
    refused(st, &m, &t, ZK_ROLLUP_BAD_SIGNATURE, "signed by another key");
    t = mk_transfer128(1, 2, 0, 5, 0, 0, 1);
    t.amount = fr_u64(6);
    refused(st, &m, &t, ZK_ROLLUP_BAD_SIGNATURE, "amount changed after signing");
    t = mk_transfer128(1, 2, 0, 5, 0, 0, 1);
    t.sig.s[0] ^= 1;
    refused(st, &m, &t, ZK_ROLLUP_BAD_SIGNATURE, "S changed");
    t = mk_withdraw128(1, 0, 5, 0, 0, &l1, 1);
    t.l1_recipient = fr_u64(2);
    refused(st, &m, &t, ZK_ROLLUP_BAD_SIGNATURE,
            "withdraw redirected to another L1 address");
    t = mk_transfer128(1, 2, 0, 5, 0, 1, 1);
    refused(st, &m, &t, ZK_ROLLUP_BAD_NONCE, "nonce from the future");
    t = mk_transfer128(1, 2, 0, 5, 1, 0, 1);
    is_int(apply_both(st, &m, &t, NULL), 0, "a valid transfer");
    refused(st, &m, &t, ZK_ROLLUP_BAD_NONCE, "the same transfer replayed");

    /* balances */
    t = mk_transfer128(3, 4, 0, 990, 11, 0, 3);
    refused(st, &m, &t, ZK_ROLLUP_OVERDRAFT, "amount + fee = balance + 1");
    t = mk_transfer128(3, 4, 0, 0, 1001, 0, 3);
    refused(st, &m, &t, ZK_ROLLUP_OVERDRAFT, "fee alone > balance");
    t = mk_transfer128(3, 4, 0, TWO96 - 1, TWO96 - 1, 0, 3);
    refused(st, &m, &t, ZK_ROLLUP_OVERDRAFT,
            "amount = fee = 2^96 - 1 (the difference wraps in Fr)");
    t = mk_withdraw128(3, 1, 1001, 0, 0, &l1, 3);
    refused(st, &m, &t, ZK_ROLLUP_OVERDRAFT, "withdraw > balance");
    t = mk_transfer128(3, 2, 0, 10, 0, 0, 3);
    refused(st, &m, &t, ZK_ROLLUP_RECIPIENT_OVERFLOW,
            "recipient reaching 2^96");
    t = mk_deposit128(2, 0, 10, NULL);
    refused(st, &m, &t, ZK_ROLLUP_RECIPIENT_OVERFLOW, "deposit reaching 2^96");
    t = mk_transfer128(3, 4, 1, 0, 10, 0, 3);
    refused(st, &m, &t, ZK_ROLLUP_OPERATOR_OVERFLOW,
            "operator's balance + fee reaching 2^96");
    t = mk_withdraw128(3, 1, 0, 10, 0, &l1, 3);
    refused(st, &m, &t, ZK_ROLLUP_OPERATOR_OVERFLOW,
            "withdraw fee: operator's balance + fee reaching 2^96");

    /* new accounts */
    zk_bj id, off = pk_of(9), neg1;
    zk_bj_identity(&id);
    zk_fr_add(&off.x, &off.x, tmpfr(1));
    neg1.x = fr_u64(0);
    zk_fr_neg(&neg1.y, tmpfr(1));
    t = mk_deposit128(9, 0, 5, &off);
    refused(st, &m, &t, ZK_ROLLUP_BAD_PUBKEY, "new account, key off the curve");
    t = mk_deposit128(9, 0, 5, &id);
    refused(st, &m, &t, ZK_ROLLUP_BAD_PUBKEY, "new account, identity key");
    t = mk_deposit128(9, 0, 5, &neg1);
    refused(st, &m, &t, ZK_ROLLUP_BAD_PUBKEY, "new account, key of order 2");
    t = mk_deposit128(9, 0, 5, NULL);
    refused(st, &m, &t, ZK_ROLLUP_BAD_PUBKEY, "new account, key (0, 0)");

    /* the edges that are valid */
    t = mk_transfer128(3, 2, 0, 4, 0, 0, 3);
    is_int(apply_both(st, &m, &t, NULL), 0, "recipient reaching 2^96 - 1");
    t = mk_transfer128(3, 4, 1, 0, 9, 1, 3);
    is_int(apply_both(st, &m, &t, NULL), 0,
           "operator's balance + pending fees reaching 2^96 - 1");
    ok(pend_of(st, 1) == 9 && bal_of(st, 0, 1) == TWO96 - 10,
       "that fee is pending, the operator's balance unchanged");
    t = mk_transfer128(3, 4, 1, 0, 1, 2, 3);
    refused(st, &m, &t, ZK_ROLLUP_OPERATOR_OVERFLOW,
            "then a fee of 1 in that token (pending fees count)");
    t = mk_transfer128(4, 1, 2, 990, 10, 0, 4);
    is_int(apply_both(st, &m, &t, NULL), 0, "amount + fee = balance");
    t = mk_deposit128(9, 3, TWO96 - 1, &neg1);
    t.pubkey = pk_of(9);
    is_int(apply_both(st, &m, &t, NULL), 0,
           "deposit of 2^96 - 1 creating an account");
    t = mk_transfer128(4, 1, 2, 0, 0, 1, 4);
    is_int(apply_both(st, &m, &t, NULL), 0, "transfer of 0 with fee 0");
    t = mk_transfer128(4, 1, 1, 5, 0, 2, 4);
    is_int(apply_both(st, &m, &t, NULL), 0,
           "a fee of 0 in the full token is fine");

    /* nonce overflow: an account loaded with nonce 2^64 - 1 */
    zk_bj k = pk_of(7);
    is_int(zk_rollup_state_put(st, 7, &k, UINT64_MAX, NULL), ZK_OK,
           "put an account with nonce 2^64 - 1");
    m.a[7].exists = 1;
    m.a[7].pk = k;
    m.a[7].nonce = UINT64_MAX;
    t = mk_transfer128(7, 1, 0, 0, 0, UINT64_MAX, 7);
    refused(st, &m, &t, ZK_ROLLUP_NONCE_OVERFLOW, "nonce 2^64 - 1");
    ok(g_steps_ok, "the valid ones: state = model, records verify");

    /* rule order: nonce before signature before balance */
    t = mk_transfer128(3, 10, 0, 5000, 0, 5, 8);
    refused(st, &m, &t, ZK_ROLLUP_BAD_NONCE,
            "wrong nonce, key, balance and recipient: the nonce is named");
    t = mk_transfer128(3, 10, 0, 5000, 0, 2, 8);
    refused(st, &m, &t, ZK_ROLLUP_BAD_SIGNATURE,
            "wrong key, balance and recipient: the signature is named");
    t = mk_transfer128(3, 10, 0, 5000, 0, 2, 3);
    refused(st, &m, &t, ZK_ROLLUP_OVERDRAFT,
            "overdraft and unknown recipient: the overdraft is named");
    zk_rollup_state_free(st);
}

/* zk_rollup_record_check on tampered records. */
static int check_code(const zk_rollup_record *r, zk_rollup_rule *why)
{
    *why = ZK_ROLLUP_VALID;
    return zk_rollup_record_check(why, r);
}

/* *root = MerkleRoot(leaf, path, index), or bail out. */
static void fr_root(zk_fr *root, const zk_fr *leaf, const zk_fr *path,
                    size_t depth, uint64_t index)
{
    if (zk_merkle_root(root, leaf, path, depth, index) != ZK_OK)
        bail_out("merkle_root");
}

/* After a forger changed step s (its post leaf when recompute_leaf),
 * make the rest of the record consistent again: step s's root_after,
 * the later steps' paths (the sibling that lies on step s's path takes
 * its new value), their roots, and new_root.  Later steps must be on
 * other indices. */
static void rechain(zk_rollup_record *r, unsigned s, int recompute_leaf)
{
    zk_rollup_step *p = &r->step[s];
    unsigned D = r->depth;
    if (recompute_leaf && zk_rollup_account_leaf(&p->post_leaf, &p->post))
        bail_out("leaf");
    fr_root(&p->root_after, &p->post_leaf, p->account_path, D, p->index);
    for (unsigned t = s + 1; t < ZK_ROLLUP_NSTEPS; t++) {
        zk_rollup_step *q = &r->step[t];
        if (q->index == p->index)
            bail_out("rechain: same index");
        zk_fr cur = p->post_leaf;
        for (unsigned k = 0; k < D; k++) {
            if (((q->index >> k) ^ 1) == (p->index >> k))
                q->account_path[k] = cur;
            cur = (p->index >> k) & 1 ? h2(&p->account_path[k], &cur)
                                      : h2(&cur, &p->account_path[k]);
        }
        q->root_before = r->step[t - 1].root_after;
        fr_root(&q->root_after, &q->post_leaf, q->account_path, D, q->index);
    }
    r->new_root = r->step[ZK_ROLLUP_NSTEPS - 1].root_after;
}

static void test_record_check(void)
{
    model m;
    zk_rollup_state *st = genesis_both(&m, 8, 2, 6, bal_1000);
    zk_rollup_record rec, r;
    zk_rollup_rule why;
    zk_fr one = fr_u64(1);
    g_steps_ok = 1;
    zk_rollup_tx t = mk_transfer128(1, 3, 2, 100, 7, 0, 1);
    if (apply_both(st, &m, &t, &rec) != 0)
        bail_out("transfer");
    is_int(check_code(&rec, &why), ZK_OK, "a transfer's record is accepted");

    /* one tampering at a time: each must be refused */
    int all = 1, n = 0;
    for (int k = 0; k < 29; k++) {
        r = rec;
        int s = k % 2;
        zk_rollup_step *p = &r.step[s];
        switch (k / 2) {
        case 0: zk_fr_add(&p->account_path[k % 8], &p->account_path[k % 8], &one); break;
        case 1: zk_fr_add(&p->balance_path[k % 2], &p->balance_path[k % 2], &one); break;
        case 2: zk_fr_add(&p->pre_balance, &p->pre_balance, &one); break;
        case 3: zk_fr_add(&p->post_balance, &p->post_balance, &one); break;
        case 4: zk_fr_add(&p->root_before, &p->root_before, &one); break;
        case 5: zk_fr_add(&p->root_after, &p->root_after, &one); break;
        case 6: p->post.nonce++; break;
        case 7: p->active ^= 1; break;
        case 8: p->index ^= 1; break;
        case 9: zk_fr_add(&p->pre.balance_root, &p->pre.balance_root, &one); break;
        case 10: zk_fr_add(&p->post_leaf, &p->post_leaf, &one); break;
        case 11: p->pre_exists = 0; break;
        case 12:
            if (s == 0) zk_fr_add(&r.old_root, &r.old_root, &one);
            else zk_fr_add(&r.new_root, &r.new_root, &one);
            break;
        case 13:
            if (s == 0) zk_fr_add(&r.msg, &r.msg, &one);
            else p->post_exists = 0;
            break;
        default: /* k = 28: a nonzero entry past D */
            r.step[0].account_path[8] = one;
        }
        n++;
        all &= check_code(&r, &why) == ZK_EVERIFY;
    }
    ok(all, "%d tamperings (paths, balances, roots, nonce, flags, index, "
            "leaves, existence, chain, msg) refused",
       n);

    /* Consistent forgeries: each keeps every equation but one, so each
     * check of zk_rollup_record_check is shown necessary on its own. */
    zk_fr X = fr_u64(1000000);
    struct {
        int kind;
        const char *what;
    } forge[] = {
        {0, "recipient pre-balance not under its balance root"},
        {1, "recipient pre-leaf not the hash of its fields"},
        {2, "recipient pre-leaf not under root_before (a richer recipient)"},
        {3, "recipient post-balance not pre + amount"},
        {4, "recipient post balance root not from the post-balance"},
        {5, "recipient post-leaf not the hash of its fields"},
        {6, "recipient root_after not from the post-leaf"},
    };
    for (size_t f = 0; f < sizeof forge / sizeof forge[0]; f++) {
        r = rec;
        zk_rollup_step *p = &r.step[1];
        int k = forge[f].kind;
        if (k <= 2) { /* a richer pre-state, post values to match */
            zk_fr_add(&p->pre_balance, &p->pre_balance, &X);
            zk_fr_add(&p->post_balance, &p->post_balance, &X);
            if (k >= 1)
                fr_root(&p->pre.balance_root, &p->pre_balance,
                        p->balance_path, 2, r.tx.token);
            if (k == 2 && zk_rollup_account_leaf(&p->pre_leaf, &p->pre))
                bail_out("leaf");
            fr_root(&p->post.balance_root, &p->post_balance, p->balance_path,
                    2, r.tx.token);
            rechain(&r, 1, 1);
        } else if (k == 3) {
            zk_fr_add(&p->post_balance, &p->post_balance, &X);
            fr_root(&p->post.balance_root, &p->post_balance, p->balance_path,
                    2, r.tx.token);
            rechain(&r, 1, 1);
        } else if (k == 4 || k == 5) {
            zk_fr more;
            zk_fr_add(&more, &p->post_balance, &X);
            zk_rollup_account acc = p->post;
            fr_root(&acc.balance_root, &more, p->balance_path, 2, r.tx.token);
            if (k == 4)
                p->post.balance_root = acc.balance_root;
            if (zk_rollup_account_leaf(&p->post_leaf, &acc))
                bail_out("leaf");
            rechain(&r, 1, 0);
        } else {
            p->root_after = X;
            r.new_root = X;
        }
        ok(check_code(&r, &why) == ZK_EVERIFY && why == ZK_ROLLUP_BAD_RECORD,
           "forgery refused: %s", forge[f].what);
    }

    /* the sender's nonce not incremented (a replayable transfer) */
    r = rec;
    r.step[0].post.nonce = r.step[0].pre.nonce;
    rechain(&r, 0, 1);
    ok(check_code(&r, &why) == ZK_EVERIFY && why == ZK_ROLLUP_BAD_RECORD,
       "forgery refused: the sender's nonce not incremented");

    /* the sender debited the amount only: the fee (now pending, not in
     * the record) never left it */
    r = rec;
    zk_fr_add(&r.step[0].post_balance, &r.step[0].post_balance, tmpfr(7));
    fr_root(&r.step[0].post.balance_root, &r.step[0].post_balance,
            r.step[0].balance_path, 2, r.tx.token);
    rechain(&r, 0, 1);
    ok(check_code(&r, &why) == ZK_EVERIFY && why == ZK_ROLLUP_BAD_RECORD,
       "forgery refused: the sender not debited the fee");

    /* step 1 replayed on the old root, as if step 0 (the debit) had not
     * happened: every step is right on its own, the chain is not */
    {
        model m2;
        zk_rollup_state *s2 = genesis_both(&m2, 8, 2, 6, bal_1000);
        zk_merkle_tree *tr;
        if (zk_merkle_tree_new(&tr, 8) != ZK_OK)
            bail_out("tree");
        for (uint64_t i = 0; i < 256; i++) {
            zk_fr lf;
            int ex;
            if (zk_rollup_state_get(NULL, &lf, &ex, s2, i) != ZK_OK ||
                zk_merkle_tree_set(tr, i, &lf) != ZK_OK)
                bail_out("tree");
        }
        r = rec;
        for (unsigned t2 = 1; t2 < ZK_ROLLUP_NSTEPS; t2++) {
            zk_rollup_step *q = &r.step[t2];
            if (zk_merkle_tree_path(q->account_path, tr, q->index) != ZK_OK)
                bail_out("path");
            zk_merkle_tree_root(&q->root_before, tr);
            if (zk_merkle_tree_set(tr, q->index, &q->post_leaf) != ZK_OK)
                bail_out("set");
            zk_merkle_tree_root(&q->root_after, tr);
        }
        r.new_root = r.step[1].root_after;
        ok(zk_fr_eq(&r.step[1].root_before, &rec.old_root) &&
               check_code(&r, &why) == ZK_EVERIFY &&
               why == ZK_ROLLUP_BAD_RECORD,
           "forgery refused: the recipient step on the old root "
           "(the debit dropped)");

        /* the amount credited to account 5 instead of the recipient 3 */
        r = rec;
        if (zk_merkle_tree_set(tr, 3, &rec.step[1].pre_leaf) != ZK_OK ||
            zk_merkle_tree_set(tr, r.step[0].index, &r.step[0].post_leaf) !=
                ZK_OK)
            bail_out("set"); /* the tree as step 0 left it */
        zk_rollup_step *q = &r.step[1];
        zk_fr b[4] = {fr_u64(1050), fr_u64(1051), fr_u64(1052),
                      fr_u64(1053)}; /* account 5 (bal_1000) */
        q->index = 5;
        q->pre.pubkey = q->post.pubkey = pk_of(5);
        q->pre.nonce = q->post.nonce = 0;
        q->balance_path[0] = b[3];
        q->balance_path[1] = h2(&b[0], &b[1]);
        q->pre_balance = b[2];
        zk_fr_add(&q->post_balance, &b[2], tmpfr(100));
        fr_root(&q->pre.balance_root, &q->pre_balance, q->balance_path, 2, 2);
        fr_root(&q->post.balance_root, &q->post_balance, q->balance_path, 2,
                2);
        if (zk_rollup_account_leaf(&q->pre_leaf, &q->pre) ||
            zk_rollup_account_leaf(&q->post_leaf, &q->post) ||
            zk_merkle_tree_path(q->account_path, tr, 5))
            bail_out("leaf");
        zk_merkle_tree_root(&q->root_before, tr);
        if (zk_merkle_tree_set(tr, 5, &q->post_leaf) != ZK_OK)
            bail_out("set");
        zk_merkle_tree_root(&q->root_after, tr);
        r.new_root = q->root_after;
        ok(zk_fr_eq(&q->root_before, &rec.step[0].root_after) &&
               check_code(&r, &why) == ZK_EVERIFY &&
               why == ZK_ROLLUP_BAD_RECORD,
           "forgery refused: the amount credited to account 5, not to 3");
        zk_merkle_tree_free(tr);
        zk_rollup_state_free(s2);
    }

    /* a deposit creating an account whose balance tree is not empty:
     * token 1 created with a sibling token 0 holding 10^6 */
    {
        model m2;
        zk_rollup_state *s2 = genesis_both(&m2, 8, 2, 6, bal_1000);
        zk_bj k50 = pk_of(50);
        zk_rollup_tx d = mk_deposit128(50, 1, 9, &k50);
        zk_rollup_record dr;
        if (apply_both(s2, &m2, &d, &dr) != 0)
            bail_out("deposit");
        zk_rollup_step *p = &dr.step[1];
        p->balance_path[0] = X;
        fr_root(&p->pre.balance_root, &p->pre_balance, p->balance_path, 2, 1);
        fr_root(&p->post.balance_root, &p->post_balance, p->balance_path, 2,
                1);
        rechain(&dr, 1, 1);
        ok(check_code(&dr, &why) == ZK_EVERIFY && why == ZK_ROLLUP_BAD_RECORD,
           "forgery refused: a new account born with a non-empty balance tree");

        /* msg: a transfer of 101 carrying the message and signature of
         * the transfer of 100 */
        zk_rollup_state_free(s2);
        s2 = genesis_both(&m2, 8, 2, 6, bal_1000);
        zk_rollup_tx t2 = mk_transfer128(1, 3, 2, 101, 7, 0, 1);
        if (apply_both(s2, &m2, &t2, &dr) != 0)
            bail_out("transfer");
        dr.msg = rec.msg;
        dr.tx.sig = rec.tx.sig;
        ok(check_code(&dr, &why) == ZK_EVERIFY && why == ZK_ROLLUP_BAD_RECORD,
           "forgery refused: amount 101 under the signed message of 100");
        zk_rollup_state_free(s2);
    }

    r = rec;
    r.tx.amount = fr_u64(101);
    is_int(check_code(&r, &why), ZK_EVERIFY, "amount changed: refused");
    is_int(why, ZK_ROLLUP_BAD_RECORD, "as an inconsistent record (msg)");
    r = rec;
    r.tx.sig.s[1] ^= 4;
    is_int(check_code(&r, &why), ZK_EVERIFY, "signature changed: refused");
    is_int(why, ZK_ROLLUP_BAD_SIGNATURE, "as a bad signature");
    r = rec;
    r.tx.nonce = 5;
    sign_as(&r.tx, 1);
    if (zk_rollup_tx_message(&r.msg, &r.tx) != ZK_OK)
        bail_out("msg");
    is_int(check_code(&r, &why), ZK_EVERIFY, "re-signed with nonce 5");
    is_int(why, ZK_ROLLUP_BAD_NONCE, "named as a bad nonce");
    r = rec;
    r.tx.amount = fr_u64(2000);
    sign_as(&r.tx, 1);
    if (zk_rollup_tx_message(&r.msg, &r.tx) != ZK_OK)
        bail_out("msg");
    is_int(check_code(&r, &why), ZK_EVERIFY, "re-signed for 2000 + 7 (balance 1012)");
    is_int(why, ZK_ROLLUP_OVERDRAFT, "named as an overdraft");
    r = rec;
    r.tx.token = 4;
    is_int(check_code(&r, &why), ZK_EVERIFY, "token 2^T in a record");
    is_int(why, ZK_ROLLUP_UNKNOWN_TOKEN, "named as an unknown token");
    r = rec;
    r.depth = 33;
    is_int(check_code(&r, &why), ZK_EINVAL, "depth 33: cannot check");
    is_int(zk_rollup_record_check(NULL, &rec), ZK_EINVAL, "NULL why");

    /* a deposit creating an account, then its record claiming it existed */
    zk_bj k = pk_of(50);
    t = mk_deposit128(50, 1, 9, &k);
    if (apply_both(st, &m, &t, &rec) != 0)
        bail_out("deposit");
    is_int(check_code(&rec, &why), ZK_OK, "a creating deposit's record");
    r = rec;
    r.step[1].pre_exists = 1;
    is_int(check_code(&r, &why), ZK_EVERIFY,
           "creating deposit with pre_exists = 1: refused");
    r = rec;
    r.step[1].post.pubkey = pk_of(51);
    is_int(check_code(&r, &why), ZK_EVERIFY, "another key in the post leaf");
    r = rec;
    r.tx.pubkey = pk_of(51);
    is_int(check_code(&r, &why), ZK_EVERIFY, "another key in the tx");
    zk_rollup_state_free(st);
}

/* ------------------------------------------------------------ batch */

#define NB 300
#define NK 25 /* a settle after every NK transactions */

typedef struct {
    int why;
    zk_fr root;
    zk_rollup_record rec;
} outcome;

/* A random transaction, usually valid given m (about 1 in 6 broken). */
static zk_rollup_tx random_tx(const model *m)
{
    uint64_t nslots = 1ull << m->D, nt = 1ull << m->T;
    uint64_t ex[1 << MD], ne = 0;
    for (uint64_t i = 0; i < nslots; i++)
        if (m->a[i].exists)
            ex[ne++] = i;
    int kind = (int)(rnd() % 100), broken = rnd() % 6 == 0;
    uint64_t token = rnd() % nt;
    zk_rollup_tx t;
    if (kind < 8) {
        t = tx_zero(ZK_ROLLUP_NOOP);
        if (broken)
            t.fee = fr_u64(1);
        return t;
    }
    if (kind < 30) {
        uint64_t to = rnd() % 3 ? ex[rnd() % ne] : rnd() % nslots;
        zk_bj k = pk_of(to);
        t = mk_deposit128(to, token, rnd() >> 30, &k);
        if (m->a[to].exists)
            t.pubkey = rnd() % 2 ? pk_of(to + 1000) : k;
        if (broken) {
            if (rnd() % 2)
                zk_bj_identity(&t.pubkey); /* refused only when new */
            else
                t.token = nt;
        }
        return t;
    }
    uint64_t from = ex[rnd() % ne];
    u128 bal = m->a[from].bal[token];
    u128 fee = rnd() % 4 ? rnd() % 50 : 0;
    u128 amount = bal > fee ? (u128)(rnd() % (uint64_t)(bal - fee + 1)) : 0;
    if (from == 0 && amount > 7) /* keep the operator near its bound */
        amount = rnd() % 8;
    uint64_t nonce = m->a[from].nonce, signer = from;
    if (broken) {
        switch (rnd() % 4) {
        case 0: nonce += rnd() % 2 ? 1 : -1; break; /* future or replay */
        case 1: signer = from + 1; break;
        case 2: amount = bal + 1; break;
        default: from = nslots - 1 - rnd() % 4; /* likely empty */
        }
    }
    if (kind < 80) {
        uint64_t to = rnd() % 10 ? ex[rnd() % ne] : rnd() % nslots;
        return mk_transfer128(from, to, token, amount, fee, nonce, signer);
    }
    zk_fr l1 = fr_u128(((u128)rnd() << 64 | rnd()) >> 1);
    return mk_withdraw128(from, token, amount, fee, nonce, &l1, signer);
}

/* Per token: the sum over all accounts of the balances, plus the pending
 * fees (the value the rollup holds). */
static void totals(u128 *out, const zk_rollup_state *st)
{
    unsigned T = zk_rollup_state_token_depth(st);
    size_t n = zk_rollup_state_count(st);
    uint64_t *idx = malloc(n * sizeof *idx);
    if (!idx || zk_rollup_state_indices(idx, n, st) != ZK_OK)
        bail_out("indices");
    for (uint64_t t = 0; t < (1ull << T); t++) {
        out[t] = pend_of(st, t);
        for (size_t i = 0; i < n; i++)
            out[t] += bal_of(st, idx[i], t);
    }
    free(idx);
}

/* Settle st and the model; check the record against the state before
 * and after (roots, the operator's account, leaves, balances, fees, the
 * path) and zk_rollup_settle_check.  Returns 1 when all holds. */
static int settle_both(zk_rollup_state *st, model *m, zk_rollup_settle *sr)
{
    unsigned D = m->D, T = m->T;
    size_t nt = (size_t)1 << T;
    zk_fr before, after, mroot, leaf0, leaf1, v;
    zk_rollup_account a0, a1;
    int ex0 = 0, ex1 = 0, any = 0;
    u128 bal0[1 << MT], fees[1 << MT];
    zk_rollup_state_root(&before, st);
    if (zk_rollup_state_get(&a0, &leaf0, &ex0, st, 0) != ZK_OK)
        bail_out("get");
    for (size_t t = 0; t < nt; t++) {
        bal0[t] = m->a[0].bal[t];
        fees[t] = m->pend[t];
        any |= fees[t] != 0;
    }
    memset(sr, 0x5a, sizeof *sr);
    int rc = zk_rollup_state_settle(sr, st);
    model_settle(m);
    zk_rollup_state_root(&after, st);
    mroot = model_root(m);
    if (zk_rollup_state_get(&a1, &leaf1, &ex1, st, 0) != ZK_OK)
        bail_out("get");
    zk_rollup_rule why = ZK_ROLLUP_BAD_RECORD;
    int good = rc == ZK_OK && ex0 && ex1 &&
               zk_rollup_settle_check(&why, sr) == ZK_OK &&
               why == ZK_ROLLUP_VALID && sr->depth == D &&
               sr->token_depth == T && zk_fr_eq(&sr->old_root, &before) &&
               zk_fr_eq(&sr->new_root, &after) && zk_fr_eq(&after, &mroot) &&
               state_matches(st, m) && zk_fr_eq(&sr->pre_leaf, &leaf0) &&
               zk_fr_eq(&sr->post_leaf, &leaf1) &&
               zk_bj_eq(&sr->pre.pubkey, &a0.pubkey) &&
               sr->pre.nonce == a0.nonce &&
               zk_fr_eq(&sr->pre.balance_root, &a0.balance_root) &&
               zk_bj_eq(&sr->post.pubkey, &a1.pubkey) &&
               sr->post.nonce == a1.nonce &&
               zk_fr_eq(&sr->post.balance_root, &a1.balance_root) &&
               zk_rollup_state_pending(NULL, 0, st) == 0;
    for (size_t t = 0; good && t < ZK_ROLLUP_TOKENS_MAX; t++) {
        if (t < nt)
            good = fits(&sr->fees[t], 128) && u128_of(&sr->fees[t]) == fees[t] &&
                   fits(&sr->pre_balance[t], 128) &&
                   u128_of(&sr->pre_balance[t]) == bal0[t] &&
                   fits(&sr->post_balance[t], 128) &&
                   u128_of(&sr->post_balance[t]) == bal0[t] + fees[t];
        else
            good = zk_fr_is_zero(&sr->fees[t]) &&
                   zk_fr_is_zero(&sr->pre_balance[t]) &&
                   zk_fr_is_zero(&sr->post_balance[t]);
    }
    for (size_t k = D; good && k < ZK_ROLLUP_DEPTH_MAX; k++)
        good = zk_fr_is_zero(&sr->account_path[k]);
    if (good) { /* the path, independently of settle_check */
        fr_root(&v, &leaf0, sr->account_path, D, 0);
        good = zk_fr_eq(&v, &before);
        fr_root(&v, &leaf1, sr->account_path, D, 0);
        good = good && zk_fr_eq(&v, &after);
    }
    if (good && !any) /* nothing pending: nothing moves */
        good = zk_fr_eq(&before, &after) && zk_fr_eq(&leaf0, &leaf1) &&
               zk_fr_eq(&sr->pre.balance_root, &sr->post.balance_root);
    if (!good) {
        diag("settle: rc %d why %d (%s)", rc, (int)why,
             zk_rollup_rule_name(why));
        g_steps_ok = 0;
    }
    return good;
}

static u128 bal_batch(size_t i, size_t t)
{
    if (i == 0 && t == 3)
        return TWO96 - 400; /* fees in token 3 fill the operator */
    return bal_rand(i, t);
}

static void test_batch(void)
{
    model m;
    uint64_t seed = g_rng;
    zk_rollup_state *st = genesis_both(&m, 8, 2, 20, bal_batch);
    outcome *out = calloc(NB, sizeof *out);
    zk_rollup_tx *txs = calloc(NB, sizeof *txs);
    zk_rollup_settle *srs = calloc(NB / NK, sizeof *srs);
    if (!out || !txs || !srs)
        bail_out("oom");
    u128 s0[4], s1[4], dep[4] = {0}, wd[4] = {0}, fees = 0;
    totals(s0, st);
    g_steps_ok = 1;
    int n_valid = 0, n_types[4] = {0}, conserve = 1, n_settle = 0;
    int n_rules[ZK_ROLLUP_RULE_COUNT] = {0};
    for (int i = 0; i < NB; i++) {
        txs[i] = random_tx(&m);
        memset(&out[i].rec, 0, sizeof out[i].rec);
        out[i].why = apply_both(st, &m, &txs[i], &out[i].rec);
        zk_rollup_state_root(&out[i].root, st);
        if (out[i].why == 0) {
            n_valid++;
            n_types[txs[i].type]++;
            fees += u128_of(&txs[i].fee);
            if (txs[i].type == ZK_ROLLUP_DEPOSIT)
                dep[txs[i].token] += u128_of(&txs[i].amount);
            if (txs[i].type == ZK_ROLLUP_WITHDRAW)
                wd[txs[i].token] += u128_of(&txs[i].amount);
        } else {
            n_rules[out[i].why]++;
        }
        if (i % NK == NK - 1)
            settle_both(st, &m, &srs[n_settle++]);
        totals(s1, st);
        for (int t = 0; t < 4; t++)
            conserve &= s1[t] == s0[t] + dep[t] - wd[t];
    }
    ok(g_steps_ok, "%d transactions and %d settles: every decision, rule, "
                   "root, slot and pending fee as the model; every record "
                   "verifies, every settle record matches the state",
       NB, n_settle);
    ok(n_valid > 180 && n_valid < NB - 25 && n_types[1] > 15 &&
           n_types[2] > 60 && n_types[3] > 8 && n_types[0] > 5 &&
           fees > 1000,
       "a real mix: %d valid (noop %d, deposit %d, transfer %d, withdraw %d), "
       "fees %llu",
       n_valid, n_types[0], n_types[1], n_types[2], n_types[3],
       (unsigned long long)fees);
    ok(n_rules[ZK_ROLLUP_OPERATOR_OVERFLOW] > 0,
       "the operator's bound is reached (%d operator-overflow refusals)",
       n_rules[ZK_ROLLUP_OPERATOR_OVERFLOW]);
    diag("refusals: bad-nonce %d, bad-signature %d, overdraft %d, "
         "unknown-sender %d, unknown-recipient %d, recipient-overflow %d, "
         "operator-overflow %d, other %d",
         n_rules[ZK_ROLLUP_BAD_NONCE], n_rules[ZK_ROLLUP_BAD_SIGNATURE],
         n_rules[ZK_ROLLUP_OVERDRAFT], n_rules[ZK_ROLLUP_UNKNOWN_SENDER],
         n_rules[ZK_ROLLUP_UNKNOWN_RECIPIENT],
         n_rules[ZK_ROLLUP_RECIPIENT_OVERFLOW],
         n_rules[ZK_ROLLUP_OPERATOR_OVERFLOW],
         NB - n_valid - n_rules[ZK_ROLLUP_BAD_NONCE] -
             n_rules[ZK_ROLLUP_BAD_SIGNATURE] - n_rules[ZK_ROLLUP_OVERDRAFT] -
             n_rules[ZK_ROLLUP_UNKNOWN_SENDER] -
             n_rules[ZK_ROLLUP_UNKNOWN_RECIPIENT] -
             n_rules[ZK_ROLLUP_RECIPIENT_OVERFLOW] -
             n_rules[ZK_ROLLUP_OPERATOR_OVERFLOW]);
    ok(conserve, "per token, balances + pending fees move only by deposits "
                 "- withdrawals (checked after every transaction and settle)");
    u128 room = TWO96 - bal_of(st, 0, 3) - pend_of(st, 3);
    ok(room > 0 && room < 400,
       "the operator's balance + pending fees in token 3 stayed below 2^96 "
       "(2^96 - %llu)",
       (unsigned long long)room);

    /* determinism: the same batch and settles on a fresh genesis */
    g_rng = seed;
    model m2;
    zk_rollup_state *st2 = genesis_both(&m2, 8, 2, 20, bal_batch);
    zk_rollup_settle *sr = malloc(sizeof *sr);
    if (!sr)
        bail_out("oom");
    int same = 1, k = 0;
    for (int i = 0; i < NB; i++) {
        zk_rollup_record rec;
        zk_rollup_rule why;
        memset(&rec, 0, sizeof rec);
        int rc = zk_rollup_state_apply(&rec, &why, st2, &txs[i]);
        zk_fr root;
        zk_rollup_state_root(&root, st2);
        same &= (rc == ZK_OK ? 0 : (int)why) == out[i].why &&
                zk_fr_eq(&root, &out[i].root) &&
                memcmp(&rec, &out[i].rec, sizeof rec) == 0;
        if (i % NK == NK - 1) {
            memset(sr, 0x33, sizeof *sr);
            same &= zk_rollup_state_settle(sr, st2) == ZK_OK &&
                    memcmp(sr, &srs[k++], sizeof *sr) == 0;
        }
    }
    ok(same, "determinism: a second run gives the same decisions, roots and "
             "byte-identical records, settle records included");
    free(sr);
    zk_rollup_state_free(st2);
    zk_rollup_state_free(st);
    free(out);
    free(txs);
    free(srs);
}

/* ------------------------------------------------------------- fees */

static void test_balance_root(void)
{
    int all = 1;
    zk_fr zeros[ZK_ROLLUP_TOKEN_DEPTH_MAX + 1];
    if (zk_merkle_zeros(zeros, ZK_ROLLUP_TOKEN_DEPTH_MAX) != ZK_OK)
        bail_out("zeros");
    zk_fr *b = calloc(ZK_ROLLUP_TOKENS_MAX, sizeof *b);
    if (!b)
        bail_out("oom");
    for (unsigned T = 0; T <= ZK_ROLLUP_TOKEN_DEPTH_MAX; T++) {
        size_t nt = (size_t)1 << T;
        zk_fr r, want;
        memset(b, 0, ZK_ROLLUP_TOKENS_MAX * sizeof *b);
        all &= zk_rollup_balance_root(&r, b, T) == ZK_OK &&
               zk_fr_eq(&r, &zeros[T]);
        for (size_t t = 0; t < nt; t++)
            b[t] = fr_u128(((u128)rnd() << 64 | rnd()) >> 32);
        want = full_root(b, T);
        all &= zk_rollup_balance_root(&r, b, T) == ZK_OK &&
               zk_fr_eq(&r, &want);
    }
    ok(all, "balance_root at T = 0..8: zeros[T] for no balance, the naive "
            "tree's root for random ones");

    /* an account's balance root in a state */
    model m;
    zk_rollup_state *st = genesis_both(&m, 4, 3, 3, bal_rand);
    zk_rollup_account a;
    int ex;
    zk_fr r, bl[8];
    for (uint64_t t = 0; t < 8; t++)
        bl[t] = fr_u128(bal_of(st, 2, t));
    ok(zk_rollup_state_get(&a, NULL, &ex, st, 2) == ZK_OK &&
           zk_rollup_balance_root(&r, bl, 3) == ZK_OK &&
           zk_fr_eq(&r, &a.balance_root),
       "balance_root of an account's balances = its leaf's balance root");
    zk_rollup_state_free(st);
    is_int(zk_rollup_balance_root(NULL, b, 2), ZK_EINVAL,
           "balance_root: NULL root");
    is_int(zk_rollup_balance_root(&r, NULL, 2), ZK_EINVAL,
           "balance_root: NULL balances");
    is_int(zk_rollup_balance_root(&r, b, 9), ZK_EINVAL, "balance_root: T = 9");
    free(b);
}

static void test_fees(void)
{
    model m;
    zk_rollup_state *st = genesis_both(&m, 8, 2, 6, bal_1000);
    zk_rollup_settle *sr = malloc(sizeof *sr);
    if (!sr)
        bail_out("oom");
    g_steps_ok = 1;

    /* zk_rollup_state_pending's arguments */
    zk_fr f[8], keep[8];
    for (int k = 0; k < 8; k++)
        keep[k] = f[k] = fr_u64(0x77u + (unsigned)k);
    ok(zk_rollup_state_pending(f, 8, NULL) == ZK_EINVAL,
       "pending: NULL state");
    int untouched = 1;
    for (size_t n = 1; n < 4; n++) {
        untouched &= zk_rollup_state_pending(f, n, st) == ZK_EINVAL;
        for (int k = 0; k < 8; k++)
            untouched &= zk_fr_eq(&f[k], &keep[k]);
    }
    ok(untouched, "pending: n = 1, 2, 3 < 2^T refused, nothing written");
    ok(zk_rollup_state_pending(NULL, 0, st) == 0,
       "pending: n = 0 just asks (none at genesis)");
    int zero = zk_rollup_state_pending(f, 4, st) == 0;
    for (int k = 0; k < 4; k++)
        zero &= zk_fr_is_zero(&f[k]);
    ok(zero, "pending: n = 2^T, all zero at genesis");
    ok(zk_rollup_state_pending(f, 8, st) == 0, "pending: n > 2^T is fine");

    /* zk_rollup_state_settle's arguments */
    is_int(zk_rollup_state_settle(sr, NULL), ZK_EINVAL, "settle: NULL state");
    zk_rollup_state *s2;
    zk_bj k1 = pk_of(1);
    if (zk_rollup_state_new(&s2, 4, 2) != ZK_OK ||
        zk_rollup_state_put(s2, 1, &k1, 0, NULL) != ZK_OK)
        bail_out("new");
    is_int(zk_rollup_state_settle(sr, s2), ZK_EINVAL,
           "settle: no operator at index 0");
    zk_rollup_state_free(s2);

    /* nothing pending: a valid record, nothing moves */
    zk_fr r0, r1;
    zk_rollup_state_root(&r0, st);
    ok(settle_both(st, &m, sr), "settle with nothing pending: record "
                                "accepted and as the state");
    zk_rollup_state_root(&r1, st);
    int still = zk_fr_eq(&r0, &r1) && zk_fr_eq(&sr->old_root, &sr->new_root) &&
                zk_fr_eq(&sr->pre_leaf, &sr->post_leaf) &&
                memcmp(&sr->pre, &sr->post, sizeof sr->pre) == 0;
    for (int k = 0; k < 4; k++)
        still &= zk_fr_is_zero(&sr->fees[k]) &&
                 zk_fr_eq(&sr->pre_balance[k], &sr->post_balance[k]);
    ok(still, "empty settle: root unchanged, fees 0, post = pre");

    /* fees accumulate per token; refused transactions add nothing */
    zk_fr l1 = fr_u64(99);
    struct {
        zk_rollup_tx t;
        int why;
    } seq[10];
    int n = 0;
    seq[n].t = mk_transfer128(1, 2, 0, 10, 3, 0, 1), seq[n++].why = 0;
    seq[n].t = mk_withdraw128(2, 1, 10, 5, 0, &l1, 2), seq[n++].why = 0;
    seq[n].t = mk_transfer128(3, 1, 3, 10, 11, 0, 3), seq[n++].why = 0;
    seq[n].t = mk_transfer128(1, 3, 0, 10, 4, 1, 1), seq[n++].why = 0;
    seq[n].t = mk_deposit128(4, 2, 9, NULL), seq[n++].why = 0;
    seq[n].t = tx_zero(ZK_ROLLUP_NOOP), seq[n++].why = 0;
    seq[n].t = mk_transfer128(5, 1, 1, 2000, 6, 0, 5),
    seq[n++].why = ZK_ROLLUP_OVERDRAFT;
    seq[n].t = mk_transfer128(5, 1, 1, 20, 6, 0, 4),
    seq[n++].why = ZK_ROLLUP_BAD_SIGNATURE;
    seq[n].t = mk_transfer128(0, 1, 3, 8, 2, 0, 0), seq[n++].why = 0;
    seq[n].t = mk_transfer128(4, 5, 2, 8, 0, 0, 4), seq[n++].why = 0;
    u128 run[4] = {0}, op[4];
    for (int k = 0; k < 4; k++)
        op[k] = bal_of(st, 0, (uint64_t)k);
    int acc = 1;
    for (int i = 0; i < n; i++) {
        int w = apply_both(st, &m, &seq[i].t, NULL);
        acc &= w == seq[i].why;
        if (w == 0)
            run[seq[i].t.token] += u128_of(&seq[i].t.fee);
        for (int k = 0; k < 4; k++)
            acc &= pend_of(st, (uint64_t)k) == run[k];
    }
    ok(acc && run[0] == 7 && run[1] == 5 && run[2] == 0 && run[3] == 13,
       "pending fees accumulate per token (7, 5, 0, 13) over %d "
       "transactions; deposits, noops and refusals add nothing",
       n);
    ok(bal_of(st, 0, 0) == op[0] && bal_of(st, 0, 1) == op[1] &&
           bal_of(st, 0, 2) == op[2] && bal_of(st, 0, 3) == op[3] - 10,
       "the operator's balances untouched by the fees (token 3: its own "
       "transfer of 8 + fee 2 only)");
    ok(zk_rollup_state_pending(NULL, 0, st) == 1, "pending: 1 when some");
    ok(g_steps_ok, "and the state = the model all along");

    /* settle credits them all at once */
    zk_rollup_state_root(&r0, st);
    ok(settle_both(st, &m, sr), "settle: record accepted, roots, account, "
                                "leaves, fees and balances as the state");
    int credited = 1;
    for (int k = 0; k < 4; k++)
        credited &= bal_of(st, 0, (uint64_t)k) ==
                        op[k] - (k == 3 ? 10 : 0) + run[k] &&
                    pend_of(st, (uint64_t)k) == 0;
    zk_rollup_state_root(&r1, st);
    ok(credited && !zk_fr_eq(&r0, &r1) && zk_fr_eq(&sr->old_root, &r0) &&
           zk_fr_eq(&sr->new_root, &r1),
       "settle: each token's fees credited, pending cleared, old -> new root");
    ok(settle_both(st, &m, sr) && zk_fr_eq(&sr->old_root, &sr->new_root),
       "a second settle at once: nothing pending, root unchanged");

    /* rec may be NULL */
    zk_rollup_tx t = mk_transfer128(2, 1, 2, 1, 3, 1, 2);
    is_int(apply_both(st, &m, &t, NULL), 0, "one more fee");
    is_int(zk_rollup_state_settle(NULL, st), ZK_OK, "settle: rec may be NULL");
    model_settle(&m);
    zk_fr mr = model_root(&m);
    zk_rollup_state_root(&r1, st);
    ok(zk_fr_eq(&r1, &mr) && state_matches(st, &m),
       "and it settled all the same");
    free(sr);
    zk_rollup_state_free(st);
}

/* Make a settle record's roots and leaves follow its balances, fields
 * and path again (as a forger would). */
static void settle_reseal(zk_rollup_settle *s)
{
    if (zk_rollup_balance_root(&s->pre.balance_root, s->pre_balance,
                               s->token_depth) != ZK_OK ||
        zk_rollup_balance_root(&s->post.balance_root, s->post_balance,
                               s->token_depth) != ZK_OK ||
        zk_rollup_account_leaf(&s->pre_leaf, &s->pre) != ZK_OK ||
        zk_rollup_account_leaf(&s->post_leaf, &s->post) != ZK_OK ||
        zk_merkle_root(&s->old_root, &s->pre_leaf, s->account_path, s->depth,
                       ZK_ROLLUP_OPERATOR) != ZK_OK ||
        zk_merkle_root(&s->new_root, &s->post_leaf, s->account_path,
                       s->depth, ZK_ROLLUP_OPERATOR) != ZK_OK)
        bail_out("reseal");
}

static int settle_code(const zk_rollup_settle *s, zk_rollup_rule *why)
{
    *why = ZK_ROLLUP_VALID;
    return zk_rollup_settle_check(why, s);
}

/* A settle record built by hand at D = 4, T = 2: the operator (key of
 * user 0, nonce 3) holding pre[t], fees[t], an arbitrary path. */
static void settle_by_hand(zk_rollup_settle *s, const u128 *pre,
                           const u128 *fees)
{
    memset(s, 0, sizeof *s);
    s->depth = 4;
    s->token_depth = 2;
    s->pre.pubkey = s->post.pubkey = pk_of(0);
    s->pre.nonce = s->post.nonce = 3;
    for (int k = 0; k < 4; k++) {
        s->account_path[k] = fr_u64(1000u + (unsigned)k);
        s->pre_balance[k] = fr_u128(pre[k]);
        s->fees[k] = fr_u128(fees[k]);
        zk_fr_add(&s->post_balance[k], &s->pre_balance[k], &s->fees[k]);
    }
    settle_reseal(s);
}

static void test_settle_check(void)
{
    model m;
    zk_rollup_state *st = genesis_both(&m, 8, 2, 6, bal_1000);
    zk_rollup_settle *rec = malloc(sizeof *rec), *r = malloc(sizeof *r);
    if (!rec || !r)
        bail_out("oom");
    zk_rollup_rule why;
    zk_fr one = fr_u64(1);
    g_steps_ok = 1;
    zk_fr l1 = fr_u64(5);
    zk_rollup_tx t = mk_transfer128(1, 2, 0, 10, 3, 0, 1);
    if (apply_both(st, &m, &t, NULL) != 0)
        bail_out("transfer");
    t = mk_withdraw128(2, 1, 10, 5, 0, &l1, 2);
    if (apply_both(st, &m, &t, NULL) != 0)
        bail_out("withdraw");
    t = mk_transfer128(3, 4, 3, 10, 11, 0, 3);
    if (apply_both(st, &m, &t, NULL) != 0)
        bail_out("transfer");
    if (!settle_both(st, &m, rec))
        bail_out("settle");
    is_int(settle_code(rec, &why), ZK_OK, "a settle record is accepted");

    /* one tampering at a time: each refused as an inconsistent record */
    int all = 1, n = 0;
    for (int k = 0; k < 40; k++) {
        memcpy(r, rec, sizeof *r);
        int j = k % 4;
        switch (k / 4) {
        case 0: zk_fr_add(&r->fees[j], &r->fees[j], &one); break;
        case 1: zk_fr_add(&r->pre_balance[j], &r->pre_balance[j], &one); break;
        case 2: zk_fr_add(&r->post_balance[j], &r->post_balance[j], &one); break;
        case 3: zk_fr_add(&r->account_path[j], &r->account_path[j], &one); break;
        case 4: zk_fr_add(&r->account_path[4 + j], &r->account_path[4 + j], &one); break;
        case 5:
            if (j == 0) zk_fr_add(&r->pre_leaf, &r->pre_leaf, &one);
            else if (j == 1) zk_fr_add(&r->post_leaf, &r->post_leaf, &one);
            else if (j == 2) zk_fr_add(&r->old_root, &r->old_root, &one);
            else zk_fr_add(&r->new_root, &r->new_root, &one);
            break;
        case 6:
            if (j == 0) r->post.nonce++;
            else if (j == 1) r->pre.nonce++;
            else if (j == 2) r->post.pubkey = pk_of(1);
            else r->pre.pubkey = pk_of(1);
            break;
        case 7:
            if (j < 2) zk_fr_add(&r->pre.balance_root, &r->pre.balance_root, &one);
            else zk_fr_add(&r->post.balance_root, &r->post.balance_root, &one);
            if (j == 1) zk_fr_add(&r->post.balance_root, &r->post.balance_root, &one);
            break;
        case 8: /* a non-zero entry past 2^T or D */
            if (j == 0) r->fees[4] = one;
            else if (j == 1) r->pre_balance[4] = one;
            else if (j == 2) r->post_balance[ZK_ROLLUP_TOKENS_MAX - 1] = one;
            else r->account_path[8] = one;
            break;
        default: /* other depths than the record's */
            if (j == 0) r->token_depth = 3;
            else if (j == 1) r->token_depth = 1;
            else if (j == 2) r->depth = 9;
            else r->depth = 7;
        }
        n++;
        all &= settle_code(r, &why) == ZK_EVERIFY && why == ZK_ROLLUP_BAD_RECORD;
    }
    ok(all, "%d tamperings (fees, pre/post balances, path, leaves, roots, "
            "nonces, keys, balance roots, entries past 2^T and D, depths) "
            "refused as bad-record",
       n);

    /* consistent forgeries: everything resealed but one rule */
    memcpy(r, rec, sizeof *r);
    settle_reseal(r);
    ok(memcmp(r, rec, sizeof *r) == 0 && settle_code(r, &why) == ZK_OK,
       "resealing an honest record changes nothing (the forger's tool)");
    memcpy(r, rec, sizeof *r);
    r->post.nonce++;
    settle_reseal(r);
    ok(settle_code(r, &why) == ZK_EVERIFY && why == ZK_ROLLUP_BAD_RECORD,
       "forgery refused: the operator's nonce moved");
    memcpy(r, rec, sizeof *r);
    r->post.pubkey = pk_of(9);
    settle_reseal(r);
    ok(settle_code(r, &why) == ZK_EVERIFY && why == ZK_ROLLUP_BAD_RECORD,
       "forgery refused: the operator's key replaced");
    memcpy(r, rec, sizeof *r);
    zk_fr_add(&r->post_balance[0], &r->post_balance[0], &one);
    settle_reseal(r);
    ok(settle_code(r, &why) == ZK_EVERIFY && why == ZK_ROLLUP_BAD_RECORD,
       "forgery refused: a post-balance of pre + fee + 1");
    memcpy(r, rec, sizeof *r);
    zk_fr_neg(&r->fees[0], tmpfr(5));
    zk_fr_add(&r->post_balance[0], &r->pre_balance[0], &r->fees[0]);
    settle_reseal(r);
    ok(settle_code(r, &why) == ZK_EVERIFY && why == ZK_ROLLUP_BAD_RECORD,
       "forgery refused: a fee of -5 (p - 5), the operator's balance down 5");
    memcpy(r, rec, sizeof *r);
    r->fees[2] = fr_pow2(96);
    zk_fr_add(&r->post_balance[2], &r->pre_balance[2], &r->fees[2]);
    settle_reseal(r);
    ok(settle_code(r, &why) == ZK_EVERIFY && why == ZK_ROLLUP_BAD_RECORD,
       "forgery refused: a fee of 2^96 (a fee is < 2^96: bad-record, not "
       "operator-overflow)");
    memcpy(r, rec, sizeof *r);
    r->pre_balance[2] = fr_pow2(96);
    r->post_balance[2] = fr_pow2(96);
    settle_reseal(r);
    ok(settle_code(r, &why) == ZK_EVERIFY && why == ZK_ROLLUP_BAD_RECORD,
       "forgery refused: a pre-balance of 2^96");
    memcpy(r, rec, sizeof *r);
    r->fees[0] = fr_u64(0);
    r->post_balance[0] = r->pre_balance[0];
    settle_reseal(r);
    ok(settle_code(r, &why) == ZK_OK,
       "a fee dropped and resealed is consistent on its own (the chunk "
       "circuit, not the record, ties fees to transactions)");

    /* by hand: the post-balance reaching 2^96 */
    u128 pre[4] = {1000, TWO96 - 1, 0, 7}, fees[4] = {3, 1, 0, 2};
    settle_by_hand(r, pre, fees);
    ok(settle_code(r, &why) == ZK_EVERIFY && why == ZK_ROLLUP_OPERATOR_OVERFLOW,
       "by hand: pre 2^96 - 1 + fee 1, otherwise consistent: "
       "operator-overflow (got %s)",
       zk_rollup_rule_name(why));
    pre[1] = TWO96 - 2;
    settle_by_hand(r, pre, fees);
    ok(settle_code(r, &why) == ZK_OK && why == ZK_ROLLUP_VALID,
       "by hand: pre 2^96 - 2 + fee 1 reaches 2^96 - 1: accepted");
    pre[1] = TWO96 - 1;
    fees[1] = TWO96 - 1;
    settle_by_hand(r, pre, fees);
    ok(settle_code(r, &why) == ZK_EVERIFY && why == ZK_ROLLUP_OPERATOR_OVERFLOW,
       "by hand: pre and fee both 2^96 - 1: operator-overflow");
    fees[1] = 1;
    settle_by_hand(r, pre, fees);
    r->account_path[4] = one;
    ok(settle_code(r, &why) == ZK_EVERIFY && why == ZK_ROLLUP_BAD_RECORD,
       "by hand, overflowing and with an entry past D: bad-record first");

    /* arguments */
    is_int(zk_rollup_settle_check(NULL, rec), ZK_EINVAL, "settle_check: NULL why");
    is_int(zk_rollup_settle_check(&why, NULL), ZK_EINVAL,
           "settle_check: NULL record");
    memcpy(r, rec, sizeof *r);
    r->depth = 0;
    is_int(settle_code(r, &why), ZK_EINVAL, "settle_check: D = 0");
    r->depth = 33;
    is_int(settle_code(r, &why), ZK_EINVAL, "settle_check: D = 33");
    memcpy(r, rec, sizeof *r);
    r->token_depth = 9;
    is_int(settle_code(r, &why), ZK_EINVAL, "settle_check: T = 9");
    ok(g_steps_ok, "the transactions and the settle: state = model");
    free(rec);
    free(r);
    zk_rollup_state_free(st);
}

static u128 bal_opfull(size_t i, size_t t)
{
    if (i == 0 && t == 1)
        return TWO96 - 10; /* the operator near the bound in token 1 */
    return 1000;
}

static void test_operator_overflow(void)
{
    model m;
    zk_rollup_state *st = genesis_both(&m, 8, 2, 5, bal_opfull);
    zk_rollup_settle *sr = malloc(sizeof *sr);
    if (!sr)
        bail_out("oom");
    zk_fr l1 = fr_u64(3);
    zk_rollup_tx t;
    g_steps_ok = 1;

    t = mk_transfer128(1, 2, 1, 5, 11, 0, 1);
    refused(st, &m, &t, ZK_ROLLUP_OPERATOR_OVERFLOW,
            "operator at 2^96 - 10, a fee of 11");
    t = mk_withdraw128(1, 1, 5, 11, 0, &l1, 1);
    refused(st, &m, &t, ZK_ROLLUP_OPERATOR_OVERFLOW,
            "the same as a withdrawal's fee");
    t = mk_transfer128(1, 2, 1, 5, 9, 0, 1);
    is_int(apply_both(st, &m, &t, NULL), 0, "a fee of 9 passes");
    ok(pend_of(st, 1) == 9 && bal_of(st, 0, 1) == TWO96 - 10,
       "9 pending, the operator's balance still 2^96 - 10");
    t = mk_transfer128(2, 3, 1, 5, 1, 0, 2);
    refused(st, &m, &t, ZK_ROLLUP_OPERATOR_OVERFLOW,
            "then a fee of 1: the pending 9 count");
    t = mk_transfer128(2, 3, 0, 5, 1, 0, 2);
    is_int(apply_both(st, &m, &t, NULL), 0,
           "a fee of 1 in another token passes");
    t = mk_deposit128(0, 1, 5, NULL);
    refused(st, &m, &t, ZK_ROLLUP_OPERATOR_OVERFLOW,
            "deposit of 5 to the operator (balance + 5 < 2^96, but + "
            "pending is not)");
    t = mk_transfer128(3, 0, 1, 1, 0, 0, 3);
    refused(st, &m, &t, ZK_ROLLUP_OPERATOR_OVERFLOW,
            "transfer of 1 to the operator, fee 0");
    t = mk_deposit128(0, 1, 0, NULL);
    is_int(apply_both(st, &m, &t, NULL), 0,
           "deposit of 0 to the operator (2^96 - 1 in all)");
    t = mk_transfer128(3, 4, 1, 5, 0, 0, 3);
    is_int(apply_both(st, &m, &t, NULL), 0, "a fee of 0 in that token");

    /* the operator paying fees itself: its balance goes down by as much
     * as the pending fees go up */
    t = mk_transfer128(0, 1, 1, 0, 5, 0, 0);
    is_int(apply_both(st, &m, &t, NULL), 0,
           "the operator paying a fee of 5 itself (2^96 - 1 in all)");
    t = mk_withdraw128(0, 1, 3, 2, 1, &l1, 0);
    is_int(apply_both(st, &m, &t, NULL), 0,
           "a withdrawal of 3 by the operator, fee 2 (room: 3 left)");
    ok(pend_of(st, 1) == 16 && bal_of(st, 0, 1) == TWO96 - 20,
       "16 pending, the operator at 2^96 - 20");
    t = mk_transfer128(2, 3, 1, 5, 3, 1, 2);
    is_int(apply_both(st, &m, &t, NULL), 0, "a fee of 3 fills the room");
    t = mk_transfer128(4, 3, 1, 0, 1, 0, 4);
    refused(st, &m, &t, ZK_ROLLUP_OPERATOR_OVERFLOW, "and 1 more is refused");

    ok(settle_both(st, &m, sr) && bal_of(st, 0, 1) == TWO96 - 1 &&
           u128_of(&sr->post_balance[1]) == TWO96 - 1,
       "settle: the operator reaches 2^96 - 1 exactly, record accepted");
    refused(st, &m, &t, ZK_ROLLUP_OPERATOR_OVERFLOW,
            "after the settle, a fee of 1 is still refused");
    t = mk_transfer128(4, 3, 1, 0, 0, 0, 4);
    is_int(apply_both(st, &m, &t, NULL), 0, "a fee of 0 still passes");
    ok(g_steps_ok, "operator overflow: state = model throughout");
    free(sr);
    zk_rollup_state_free(st);
}

/* ------------------------------------------------------------ put_many */

static zk_pool *g_pool2; /* 2 threads */

/* The put_many tests draw from their own generator, so that the later
 * tests see the same rnd() sequence as without them. */
static uint64_t g_mrng = 0x5851f42d4c957f2dull;

static uint64_t mrnd(void)
{
    g_mrng ^= g_mrng << 13;
    g_mrng ^= g_mrng >> 7;
    g_mrng ^= g_mrng << 17;
    return g_mrng;
}

/* n accounts for zk_rollup_state_put_many and their balances. */
typedef struct {
    size_t n;
    zk_rollup_account_in *in;
    zk_fr *bal; /* n 2^T */
} accts;

/* A random value < 2^96, the edges 0 and 2^96 - 1 now and then. */
static zk_fr bal96_rand(void)
{
    uint64_t r = mrnd() % 16;
    if (r == 0)
        return fr_u64(0);
    if (r == 1)
        return fr_u128(TWO96 - 1);
    return fr_u128(((u128)(mrnd() >> 32) << 64 | mrnd()) & (TWO96 - 1));
}

/*
 * *a = n accounts of a state of depths (D, T): distinct random indices,
 * none taken in avoid (may be NULL), 2^D - 1 first and 0 second when
 * free; keys pk_of(key_base + i); random nonces; random balances, every
 * third account's NULL (all 0).
 */
static void accts_make(accts *a, size_t n, unsigned D, unsigned T,
                       const zk_rollup_state *avoid, uint64_t key_base)
{
    size_t nt = (size_t)1 << T;
    uint64_t mask = D >= 64 ? UINT64_MAX : ((uint64_t)1 << D) - 1;
    a->n = n;
    a->in = calloc(n ? n : 1, sizeof *a->in);
    a->bal = calloc(n ? n * nt : 1, sizeof *a->bal);
    if (!a->in || !a->bal)
        bail_out("oom");
    for (size_t i = 0; i < n; i++) {
        zk_rollup_account_in *e = &a->in[i];
        for (int tries = 0;; tries++) {
            if (tries > 1000)
                bail_out("accts_make: no free index");
            e->index = tries == 0 && i == 0 ? mask : tries == 0 && i == 1 ? 0
                                                                          : mrnd() & mask;
            int taken = 0, ex = 0;
            for (size_t j = 0; j < i && !taken; j++)
                taken = a->in[j].index == e->index;
            if (!taken && avoid &&
                zk_rollup_state_get(NULL, NULL, &ex, avoid, e->index) != ZK_OK)
                bail_out("get");
            if (!taken && !ex)
                break;
        }
        e->pubkey = pk_of(key_base + i);
        e->nonce = i % 4 == 0 ? 0 : mrnd();
        if (i % 3 == 2) {
            e->balances = NULL;
        } else {
            for (size_t t = 0; t < nt; t++)
                a->bal[i * nt + t] = bal96_rand();
            e->balances = &a->bal[i * nt];
        }
    }
}

static void accts_free(accts *a)
{
    free(a->in);
    free(a->bal);
}

/* The n zk_rollup_state_put calls put_many must equal. */
static void put_seq(zk_rollup_state *st, const zk_rollup_account_in *in, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (zk_rollup_state_put(st, in[i].index, &in[i].pubkey, in[i].nonce,
                                in[i].balances) != ZK_OK)
            bail_out("put %zu", i);
}

/* The root and account count of st. */
typedef struct {
    zk_fr root;
    size_t count;
} snap;

static snap snap_of(const zk_rollup_state *st)
{
    snap s;
    zk_rollup_state_root(&s.root, st);
    s.count = zk_rollup_state_count(st);
    return s;
}

static int snap_eq(const zk_rollup_state *st, const snap *s)
{
    snap now = snap_of(st);
    return zk_fr_eq(&now.root, &s->root) && now.count == s->count;
}

/*
 * a and b are the same state: root, count, the sorted indices, and every
 * account of both (get: existence, key, nonce, balance root, leaf; every
 * balance); the accounts in[0 .. n) exist in a with what in[i] gives.
 */
static int same_state(const zk_rollup_state *a, const zk_rollup_state *b,
                      const zk_rollup_account_in *in, size_t n)
{
    snap sa = snap_of(a);
    if (!snap_eq(b, &sa) ||
        zk_rollup_state_depth(a) != zk_rollup_state_depth(b) ||
        zk_rollup_state_token_depth(a) != zk_rollup_state_token_depth(b))
        return 0;
    size_t cnt = sa.count, nt = (size_t)1 << zk_rollup_state_token_depth(a);
    uint64_t *ia = malloc((cnt ? cnt : 1) * sizeof *ia);
    uint64_t *ib = malloc((cnt ? cnt : 1) * sizeof *ib);
    if (!ia || !ib)
        bail_out("oom");
    int same = zk_rollup_state_indices(ia, cnt, a) == ZK_OK &&
               zk_rollup_state_indices(ib, cnt, b) == ZK_OK &&
               memcmp(ia, ib, cnt * sizeof *ia) == 0;
    for (size_t i = 0; i < cnt && same; i++) {
        zk_rollup_account xa, xb;
        zk_fr la, lb;
        int ea = -1, eb = -1;
        same = zk_rollup_state_get(&xa, &la, &ea, a, ia[i]) == ZK_OK &&
               zk_rollup_state_get(&xb, &lb, &eb, b, ia[i]) == ZK_OK &&
               ea == 1 && eb == 1 && zk_bj_eq(&xa.pubkey, &xb.pubkey) &&
               xa.nonce == xb.nonce &&
               zk_fr_eq(&xa.balance_root, &xb.balance_root) &&
               zk_fr_eq(&la, &lb);
        for (size_t t = 0; t < nt && same; t++) {
            zk_fr ba, bb;
            same = zk_rollup_state_balance(&ba, a, ia[i], t) == ZK_OK &&
                   zk_rollup_state_balance(&bb, b, ia[i], t) == ZK_OK &&
                   zk_fr_eq(&ba, &bb);
        }
    }
    for (size_t i = 0; i < n && same; i++) {
        zk_rollup_account x;
        int ex = -1;
        same = zk_rollup_state_get(&x, NULL, &ex, a, in[i].index) == ZK_OK &&
               ex == 1 && zk_bj_eq(&x.pubkey, &in[i].pubkey) &&
               x.nonce == in[i].nonce;
        for (size_t t = 0; t < nt && same; t++) {
            zk_fr v, want = in[i].balances ? in[i].balances[t] : fr_u64(0);
            same = zk_rollup_state_balance(&v, a, in[i].index, t) == ZK_OK &&
                   zk_fr_eq(&v, &want);
        }
    }
    free(ia);
    free(ib);
    return same;
}

typedef zk_rollup_state *(*base_fn)(unsigned D, unsigned T);

static zk_rollup_state *base_empty(unsigned D, unsigned T)
{
    zk_rollup_state *st;
    if (zk_rollup_state_new(&st, D, T) != ZK_OK)
        bail_out("new");
    return st;
}

/* genesis4's accounts 0 .. 3, and two more far up */
static zk_rollup_state *base_held(unsigned D, unsigned T)
{
    zk_rollup_state *st = genesis4(D, T);
    zk_bj k = pk_of(77);
    if (zk_rollup_state_put(st, ((uint64_t)1 << D) - 2, &k, 5, NULL) != ZK_OK ||
        zk_rollup_state_put(st, ((uint64_t)1 << (D - 1)) + 3, &k, 9, NULL) != ZK_OK)
        bail_out("put");
    return st;
}

/* n random accounts on base(D, T), by put_many (no pool and 2 threads,
 * *bad checked or NULL) against n puts: two points. */
static void many_case(const char *what, base_fn base, unsigned D, unsigned T,
                      size_t n)
{
    zk_rollup_state *ref = base(D, T);
    accts a;
    accts_make(&a, n, D, T, ref, 5000);
    put_seq(ref, a.in, n);
    for (int p = 0; p < 2; p++) {
        zk_rollup_state *st = base(D, T);
        size_t bad = n + 7;
        int rc = zk_rollup_state_put_many(st, a.in, n, p ? g_pool2 : NULL,
                                          p && n % 2 ? NULL : &bad);
        ok(rc == ZK_OK && (bad == n || (p && n % 2)) &&
               same_state(st, ref, a.in, n),
           "put_many, %s, %s: ZK_OK, *bad = n, and the state of %zu puts "
           "(root, count, indices, every account and balance)",
           what, p ? "2 threads" : "no pool", n);
        if (rc != ZK_OK)
            diag("put_many returned %d (bad %zu)", rc, bad);
        zk_rollup_state_free(st);
    }
    zk_rollup_state_free(ref);
    accts_free(&a);
}

static void test_put_many(void)
{
    many_case("100 on an empty state D=16 T=2", base_empty, 16, 2, 100);
    many_case("61 on a state holding 6 accounts D=16 T=2", base_held, 16, 2, 61);
    many_case("40 at D=32 T=3 (2^32 - 1 included)", base_held, 32, 3, 40);
    many_case("2 filling D=1 T=0", base_empty, 1, 0, 2);
    many_case("one at D=8 T=8", base_held, 8, 8, 1);

    /* n = 0 changes nothing, *bad = 0 */
    zk_rollup_state *st = base_held(8, 2);
    snap s = snap_of(st);
    accts a;
    accts_make(&a, 4, 8, 2, st, 100);
    size_t bad = 99;
    ok(zk_rollup_state_put_many(st, a.in, 0, NULL, &bad) == ZK_OK && bad == 0 &&
           snap_eq(st, &s),
       "put_many, n = 0: ZK_OK, *bad = 0, nothing changed");
    bad = 99;
    ok(zk_rollup_state_put_many(NULL, a.in, 4, NULL, &bad) == ZK_EINVAL,
       "put_many: NULL state: ZK_EINVAL");
    ok(zk_rollup_state_put_many(st, NULL, 4, g_pool2, NULL) == ZK_EINVAL &&
           snap_eq(st, &s),
       "put_many: NULL accounts with n > 0: ZK_EINVAL, nothing changed");
    accts_free(&a);
    zk_rollup_state_free(st);
}

/*
 * One refused call: the 9 accounts of in (none in st) with in[pos]
 * spoiled by the caller; expect rc and *bad = pos (and the same with bad
 * NULL), the state as before (root, count), none of the other accounts
 * created, and an account already there unchanged.
 */
static void refused_many(const char *what, zk_rollup_state *st,
                         const zk_rollup_account_in *in, size_t n, size_t pos,
                         int want, zk_pool *pool)
{
    snap s = snap_of(st);
    zk_fr leaf_before;
    int ex_before = 0;
    uint64_t pidx = in[pos].index;
    int in_range = (pidx >> zk_rollup_state_depth(st)) == 0;
    if (in_range &&
        zk_rollup_state_get(NULL, &leaf_before, &ex_before, st, pidx) != ZK_OK)
        bail_out("get");
    size_t bad = n + 5;
    int rc = zk_rollup_state_put_many(st, in, n, pool, &bad);
    int rc2 = zk_rollup_state_put_many(st, in, n, pool, NULL);
    int none = 1;
    for (size_t i = 0; i < n && none; i++) {
        int ex = -1;
        if (i == pos || (in[i].index >> zk_rollup_state_depth(st)) != 0)
            continue;
        if (in[i].index == pidx && ex_before)
            continue;
        none = zk_rollup_state_get(NULL, NULL, &ex, st, in[i].index) == ZK_OK &&
               ex == 0;
    }
    if (in_range && none) {
        zk_fr leaf;
        int ex = -1;
        none = zk_rollup_state_get(NULL, &leaf, &ex, st, pidx) == ZK_OK &&
               ex == ex_before && zk_fr_eq(&leaf, &leaf_before);
    }
    ok(rc == want && rc2 == want && bad == pos && snap_eq(st, &s) && none,
       "put_many, %s at position %zu of %zu (%s): %s, *bad = %zu, the state "
       "unchanged, no other account created",
       what, pos, n, pool ? "2 threads" : "no pool", zk_strerror(want), pos);
    if (rc != want || bad != pos)
        diag("got %d (%s), bad %zu", rc, zk_strerror(rc), bad);
}

static void test_put_many_refused(void)
{
    const unsigned D = 16, T = 2;
    zk_rollup_state *st = base_held(D, T);
    accts a;
    accts_make(&a, 9, D, T, st, 300);
    zk_rollup_account_in in[9];
    zk_bj id, off = pk_of(1), neg1;
    zk_bj_identity(&id);
    zk_fr_add(&off.y, &off.y, tmpfr(1));
    neg1.x = fr_u64(0);
    zk_fr_neg(&neg1.y, tmpfr(1));
    zk_fr over[4] = {fr_u64(1), fr_u64(2), fr_u128(TWO96), fr_u64(3)};
    zk_fr ok96[4] = {fr_u128(TWO96 - 1), fr_u64(0), fr_u128(TWO96 - 1), fr_u64(3)};

    for (int p = 0; p < 2; p++) {
        zk_pool *pool = p ? g_pool2 : NULL;
        static const size_t where[] = {4, 0, 8};
        for (size_t w = 0; w < (p ? 1u : 3u); w++) {
            size_t k = where[w];
            memcpy(in, a.in, sizeof in);
            in[k].index = (uint64_t)1 << D;
            refused_many("index 2^D", st, in, 9, k, ZK_ERANGE, pool);
            memcpy(in, a.in, sizeof in);
            in[k].index = UINT64_MAX;
            refused_many("index 2^64 - 1", st, in, 9, k, ZK_ERANGE, pool);
            memcpy(in, a.in, sizeof in);
            in[k].balances = over;
            refused_many("a balance 2^96", st, in, 9, k, ZK_ERANGE, pool);
            memcpy(in, a.in, sizeof in);
            in[k].pubkey = off;
            refused_many("a key off the curve", st, in, 9, k, ZK_ENOTONCURVE,
                         pool);
            memcpy(in, a.in, sizeof in);
            in[k].pubkey = id;
            refused_many("the identity as key", st, in, 9, k, ZK_ENOTINGROUP,
                         pool);
            memcpy(in, a.in, sizeof in);
            in[k].pubkey = neg1;
            refused_many("a key of order 2", st, in, 9, k, ZK_ENOTINGROUP, pool);
            memcpy(in, a.in, sizeof in);
            in[k].index = 2; /* genesis4's */
            refused_many("an index already in the state", st, in, 9, k,
                         ZK_EINVAL, pool);
            memcpy(in, a.in, sizeof in);
            in[k].index = ((uint64_t)1 << D) - 2; /* base_held's */
            refused_many("the far index already in the state", st, in, 9, k,
                         ZK_EINVAL, pool);
        }
        /* two entries with one index: the second is the one refused */
        memcpy(in, a.in, sizeof in);
        in[4].index = in[1].index;
        refused_many("index of position 1 again", st, in, 9, 4, ZK_EINVAL, pool);
        memcpy(in, a.in, sizeof in);
        in[8].index = in[0].index;
        refused_many("index of position 0 again", st, in, 9, 8, ZK_EINVAL, pool);
        memcpy(in, a.in, sizeof in);
        in[1].index = in[0].index;
        refused_many("index of position 0 again", st, in, 9, 1, ZK_EINVAL, pool);
        /* two faults: the first position is reported, with its code */
        memcpy(in, a.in, sizeof in);
        in[2].pubkey = off;
        in[6].index = (uint64_t)1 << D;
        refused_many("a key off the curve (then an index 2^D at 6)", st, in, 9,
                     2, ZK_ENOTONCURVE, pool);
        memcpy(in, a.in, sizeof in);
        in[6].index = in[1].index;
        in[3].balances = over;
        refused_many("a balance 2^96 (then a repeated index at 6)", st, in, 9,
                     3, ZK_ERANGE, pool);
        memcpy(in, a.in, sizeof in);
        in[5].index = 3; /* taken */
        in[7].pubkey = id;
        refused_many("a taken index (then the identity at 7)", st, in, 9, 5,
                     ZK_EINVAL, pool);
    }

    /* a repeat at the end of a long call */
    accts b;
    accts_make(&b, 120, D, T, st, 400);
    b.in[119].index = b.in[0].index;
    refused_many("index of position 0 again", st, b.in, 120, 119, ZK_EINVAL,
                 g_pool2);
    accts_free(&b);

    /* the edges are accepted: balances 2^96 - 1, index 2^D - 1 (free in
     * base_held: it holds 2^D - 2) */
    memcpy(in, a.in, sizeof in);
    in[4].balances = ok96;
    in[0].index = ((uint64_t)1 << D) - 1;
    size_t bad = 0;
    zk_rollup_state *ref = base_held(D, T);
    put_seq(ref, in, 9);
    ok(zk_rollup_state_put_many(st, in, 9, g_pool2, &bad) == ZK_OK && bad == 9 &&
           same_state(st, ref, in, 9),
       "put_many: balances 2^96 - 1 and index 2^D - 1 accepted, = 9 puts");
    /* the same accounts again: every one taken, the first refused */
    snap s = snap_of(st);
    bad = 99;
    ok(zk_rollup_state_put_many(st, in, 9, NULL, &bad) == ZK_EINVAL && bad == 0 &&
           snap_eq(st, &s),
       "put_many of accounts that all exist: ZK_EINVAL at 0, unchanged");
    zk_rollup_state_free(ref);
    zk_rollup_state_free(st);
    accts_free(&a);
}

/* zk_rollup_state_genesis = new + n puts at 0 .. n-1 with nonce 0. */
static void test_genesis_vs_puts(void)
{
    static const struct {
        unsigned D, T;
        size_t n;
        int with_bal;
    } cases[] = {{8, 2, 40, 1}, {8, 2, 40, 0}, {1, 0, 2, 1},
                 {20, 3, 33, 1}, {32, 1, 5, 1}};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        unsigned D = cases[c].D, T = cases[c].T;
        size_t n = cases[c].n, nt = (size_t)1 << T;
        zk_bj *pks = malloc(n * sizeof *pks);
        zk_fr *bal = malloc(n * nt * sizeof *bal);
        zk_rollup_account_in *in = malloc(n * sizeof *in);
        if (!pks || !bal || !in)
            bail_out("oom");
        for (size_t i = 0; i < n; i++) {
            pks[i] = pk_of(700 + i);
            for (size_t t = 0; t < nt; t++)
                bal[i * nt + t] = bal96_rand();
            in[i] = (zk_rollup_account_in){
                i, pks[i], 0, cases[c].with_bal ? &bal[i * nt] : NULL};
        }
        zk_rollup_state *g, *ref = base_empty(D, T);
        put_seq(ref, in, n);
        int rc = zk_rollup_state_genesis(&g, D, T, pks, n,
                                         cases[c].with_bal ? bal : NULL, NULL);
        ok(rc == ZK_OK && same_state(g, ref, in, n),
           "genesis D=%u T=%u, %zu accounts%s: = new + %zu puts (root, "
           "count, every account and balance)",
           D, T, n, cases[c].with_bal ? "" : " (balances NULL)", n);
        if (rc == ZK_OK)
            zk_rollup_state_free(g);
        zk_rollup_state_free(ref);
        free(pks);
        free(bal);
        free(in);
    }
}

/* ------------------------------------------------------------ large */

static void test_large(unsigned D, unsigned T)
{
    zk_bj pks[3] = {pk_of(0), pk_of(1), pk_of(2)};
    zk_rollup_state *st;
    uint64_t far = (1ull << D) - 1;
    if (zk_rollup_state_genesis(&st, D, T, pks, 3, NULL, NULL) != ZK_OK)
        bail_out("genesis");
    zk_rollup_rule why;
    zk_rollup_record rec;
    zk_fr l1 = fr_u64(12345), prev;
    uint64_t tmax = (1ull << T) - 1;
    zk_rollup_tx txs[8];
    int n = 0;
    zk_bj kf = pk_of(far);
    txs[n++] = mk_deposit128(far, tmax, 1000000, &kf);
    txs[n++] = mk_deposit128(1, 0, 5000, NULL);
    txs[n++] = mk_transfer128(far, 1, tmax, 1000, 10, 0, far);
    txs[n++] = mk_transfer128(1, far / 2, 0, 1000, 10, 0, 1); /* empty: refused */
    txs[n++] = mk_transfer128(1, 2, 0, 1000, 10, 0, 1);
    txs[n++] = mk_withdraw128(far, tmax, 500, 1, 1, &l1, far);
    txs[n++] = mk_transfer128(far, far, tmax, 5, 1, 2, far);
    int expect[8] = {0, 0, 0, ZK_ROLLUP_UNKNOWN_RECIPIENT, 0, 0, 0};
    int all = 1, nrec = 0;
    zk_rollup_state_root(&prev, st);
    for (int i = 0; i < n; i++) {
        int rc = zk_rollup_state_apply(&rec, &why, st, &txs[i]);
        zk_fr root;
        zk_rollup_state_root(&root, st);
        zk_rollup_rule cw;
        if (expect[i] == 0) {
            int good = rc == ZK_OK && record_paths_bad(&rec) == 0 &&
                       zk_rollup_record_check(&cw, &rec) == ZK_OK &&
                       zk_fr_eq(&rec.old_root, &prev) &&
                       zk_fr_eq(&rec.new_root, &root);
            nrec += good;
            all &= good;
        } else {
            all &= rc == ZK_EVERIFY && (int)why == expect[i] &&
                   zk_fr_eq(&root, &prev);
        }
        prev = root;
    }
    zk_fr b;
    all &= zk_rollup_state_balance(&b, st, far, tmax) == ZK_OK &&
           u128_of(&b) == 1000000 - 1010 - 501 - 1;
    ok(all, "D=%u T=%u: %d records at index 2^D - 1 and below verify "
            "(paths, roots, record_check); balances right",
       D, T, nrec);
    zk_rollup_tx t = mk_deposit128(far + 1, 0, 1, &kf);
    ok(zk_rollup_state_apply(&rec, &why, st, &t) == ZK_EVERIFY &&
           why == ZK_ROLLUP_BAD_INDEX,
       "D=%u: index 2^D refused", D);

    /* the settle at the far depth: fees 10 in token 0, 10 + 1 + 1 in
     * token 2^T - 1, to an operator that held nothing */
    zk_rollup_settle *sr = malloc(sizeof *sr);
    if (!sr)
        bail_out("oom");
    int good = pend_of(st, 0) == 10 && pend_of(st, tmax) == 12 &&
               zk_rollup_state_settle(sr, st) == ZK_OK &&
               zk_rollup_settle_check(&why, sr) == ZK_OK &&
               zk_fr_eq(&sr->old_root, &prev) &&
               bal_of(st, 0, 0) == 10 && bal_of(st, 0, tmax) == 12 &&
               zk_rollup_state_pending(NULL, 0, st) == 0;
    zk_fr root;
    zk_rollup_state_root(&root, st);
    good = good && zk_fr_eq(&sr->new_root, &root) && !zk_fr_eq(&root, &prev);
    for (uint64_t t2 = 0; good && t2 <= tmax; t2++)
        good = u128_of(&sr->post_balance[t2]) ==
               (t2 == 0 ? 10 : t2 == tmax ? 12 : 0);
    for (size_t k = D; good && k < ZK_ROLLUP_DEPTH_MAX; k++)
        good = zk_fr_is_zero(&sr->account_path[k]);
    if (good) {
        fr_root(&root, &sr->post_leaf, sr->account_path, D, 0);
        good = zk_fr_eq(&root, &sr->new_root);
    }
    ok(good, "D=%u T=%u: settle credits 10 and 12, its record verifies "
             "(settle_check, roots = the state's, path)",
       D, T);
    free(sr);
    zk_rollup_state_free(st);
}

int main(void)
{
    clock_t c0 = clock();
    test_names();
    test_fits();
    test_message();
    test_genesis();
    if (zk_pool_new(&g_pool2, 2) != ZK_OK)
        bail_out("zk_pool_new");
    test_put_many();
    test_put_many_refused();
    test_genesis_vs_puts();
    zk_pool_free(g_pool2);
    test_each_type();
    test_rules();
    test_record_check();
    test_balance_root();
    test_fees();
    test_settle_check();
    test_operator_overflow();
    test_batch();
    test_large(20, 4);
    test_large(32, 3);
    diag("%.2f s CPU", (double)(clock() - c0) / CLOCKS_PER_SEC);
    return done_testing();
}
