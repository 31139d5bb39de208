/*
 * test_rollup_state.c -- the rollup's native state and transaction rules
 * (lib/rollup/state, lib/rollup/tx).
 *
 *  - rule names; the 96/160-bit range predicate at its edges; the message
 *    encoding against Poseidon written out, and signatures over it;
 *  - genesis and put: roots against a naive model (full trees, written
 *    here with zk_poseidon only) at D = 1 and D = 8, getters, sorted
 *    indices, every argument and range error;
 *  - each transaction type (deposit to an existing and to a new account,
 *    transfer, self-transfer, operator as sender / recipient / both,
 *    withdraw, noop): the state equals the model slot by slot and its
 *    root the model's root, and each transition record's paths verify
 *    against its roots (pre-leaf + path = root before, post-leaf + path
 *    = root after, the chain old -> 3 steps -> new, balance paths against
 *    the leaf's balance roots, leaves = Poseidon(Ax, Ay, nonce, broot));
 *  - every rule, refused with its code, the state unchanged slot by slot;
 *    the exact edges (balance = amount + fee, balance reaching 2^96 - 1)
 *    accepted;
 *  - zk_rollup_record_check: accepts every applied record, refuses each
 *    tampering (roots, paths, values, flags, message, signature), and
 *    names the rule when a re-signed record breaks one;
 *  - 200 random mixed transactions (about 1 in 6 invalid) at D = 8, T = 2
 *    against the model (same decision, same rule, same root, same
 *    slots), value conservation per token, and determinism (a second run
 *    gives byte-identical records);
 *  - D = 20, T = 4 and D = 32, T = 3: slots at the far end of the tree,
 *    a short batch with record and path checks, index 2^D refused.
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

static zk_fr fr_u64(uint64_t v)
{
    zk_fr x;
    zk_fr_set_u64(&x, v);
    return x;
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

/* Deterministic test keys: the secret of "user" u. */
static void sk_of(uint8_t sk[32], uint64_t u)
{
    for (int i = 0; i < 32; i++)
        sk[i] = (uint8_t)(u * 131 + (uint64_t)i * 7 + 1);
    memcpy(sk, &u, sizeof u);
}

static zk_bj pk_of(uint64_t u)
{
    uint8_t sk[32];
    zk_bj a;
    sk_of(sk, u);
    if (zk_eddsa_pubkey(&a, sk) != ZK_OK)
        bail_out("pk_of");
    return a;
}

static zk_rollup_tx tx_zero(uint32_t type)
{
    zk_rollup_tx t;
    memset(&t, 0, sizeof t);
    t.type = type;
    return t;
}

static void sign_as(zk_rollup_tx *t, uint64_t u)
{
    uint8_t sk[32];
    sk_of(sk, u);
    if (zk_rollup_tx_sign(t, sk) != ZK_OK)
        bail_out("sign");
}

static zk_rollup_tx mk_deposit(uint64_t to, uint64_t token, u128 amount,
                               const zk_bj *pk)
{
    zk_rollup_tx t = tx_zero(ZK_ROLLUP_DEPOSIT);
    t.to = to;
    t.token = token;
    t.amount = fr_u128(amount);
    if (pk)
        t.pubkey = *pk;
    return t;
}

/* signer = the user whose key signs (normally from). */
static zk_rollup_tx mk_transfer(uint64_t from, uint64_t to, uint64_t token,
                                u128 amount, u128 fee, uint64_t nonce,
                                uint64_t signer)
{
    zk_rollup_tx t = tx_zero(ZK_ROLLUP_TRANSFER);
    t.from = from;
    t.to = to;
    t.token = token;
    t.amount = fr_u128(amount);
    t.fee = fr_u128(fee);
    t.nonce = nonce;
    sign_as(&t, signer);
    return t;
}

static zk_rollup_tx mk_withdraw(uint64_t from, uint64_t token, u128 amount,
                                u128 fee, uint64_t nonce, const zk_fr *l1,
                                uint64_t signer)
{
    zk_rollup_tx t = tx_zero(ZK_ROLLUP_WITHDRAW);
    t.from = from;
    t.token = token;
    t.amount = fr_u128(amount);
    t.fee = fr_u128(fee);
    t.nonce = nonce;
    t.l1_recipient = *l1;
    sign_as(&t, signer);
    return t;
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
    if (ty == 0)
        return 0;
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
    /* the operator as the earlier steps left it */
    if (ty == 2 && t->to == 0)
        o = r;
    else if (sgn && t->from == 0)
        o = s;
    else
        o = m->a[0];
    if (sgn) {
        if (o.bal[t->token] + fee >= TWO96)
            return ZK_ROLLUP_OPERATOR_OVERFLOW;
        o.bal[t->token] += fee;
    }
    if (sgn)
        m->a[t->from] = s;
    if (ty == 1 || ty == 2)
        m->a[t->to] = r;
    if (sgn)
        m->a[0] = o;
    return 0;
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
    return 1;
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
    bad += !zk_fr_eq(&r->step[2].root_after, &r->new_root);
    for (int s = 0; s < 3; s++) {
        const zk_rollup_step *p = &r->step[s];
        if (s < 2)
            bad += !zk_fr_eq(&p->root_after, &r->step[s + 1].root_before);
        bad += p->index != (s == 0 ? r->tx.from : s == 1 ? r->tx.to : 0);
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
    if (zk_rollup_state_genesis(&st, D, T, pks, n, b) != ZK_OK)
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
    is_int(zk_rollup_state_genesis(&st, 0, 2, pks, 1, NULL), ZK_EINVAL,
           "genesis: D = 0");
    ok(st == NULL, "genesis: *out NULL on error");
    is_int(zk_rollup_state_genesis(&st, 33, 2, pks, 1, NULL), ZK_EINVAL,
           "genesis: D = 33");
    is_int(zk_rollup_state_genesis(&st, 8, 9, pks, 1, NULL), ZK_EINVAL,
           "genesis: T = 9");
    is_int(zk_rollup_state_genesis(&st, 8, 2, pks, 0, NULL), ZK_EINVAL,
           "genesis: no account");
    is_int(zk_rollup_state_genesis(&st, 1, 0, pks, 3, NULL), ZK_EINVAL,
           "genesis: 3 accounts at D = 1");
    is_int(zk_rollup_state_genesis(&st, 1, 0, pks, 2, NULL), ZK_OK,
           "genesis: 2 accounts at D = 1");
    zk_rollup_state_free(st);
    is_int(zk_rollup_state_genesis(&st, 4, 0, pks, 3, gb), ZK_ERANGE,
           "genesis: a balance 2^96");
    pks[2] = id;
    is_int(zk_rollup_state_genesis(&st, 4, 0, pks, 3, NULL), ZK_ENOTINGROUP,
           "genesis: a small-order key");
    pks[2] = off;
    is_int(zk_rollup_state_genesis(&st, 4, 0, pks, 3, NULL), ZK_ENOTONCURVE,
           "genesis: a key off the curve");
    is_int(zk_rollup_state_genesis(&st, 4, 0, NULL, 3, NULL), ZK_EINVAL,
           "genesis: NULL keys");
    is_int(zk_rollup_state_genesis(NULL, 4, 0, pks, 3, NULL), ZK_EINVAL,
           "genesis: NULL out");
    is_int(zk_rollup_state_new(&st, 4, 9), ZK_EINVAL, "new: T = 9");

    /* a state without the operator refuses to apply */
    is_int(zk_rollup_state_new(&st, 4, 1), ZK_OK, "new: empty state");
    k = pk_of(1);
    is_int(zk_rollup_state_put(st, 1, &k, 0, NULL), ZK_OK, "put 1");
    zk_rollup_tx t = mk_deposit(1, 0, 5, NULL);
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

    zk_rollup_tx t = mk_deposit(2, 1, 500, NULL);
    is_int(apply_both(st, &m, &t, &rec), 0, "deposit to an existing account");
    ok(rec.step[1].active && !rec.step[0].active && !rec.step[2].active &&
           rec.step[1].pre_exists && zk_fr_eq(&rec.step[0].root_before,
                                             &rec.step[0].root_after),
       "deposit: only the recipient step is active");

    t = mk_deposit(42, 3, 777, &newkey);
    is_int(apply_both(st, &m, &t, &rec), 0, "deposit creating account 42");
    ok(!rec.step[1].pre_exists && rec.step[1].post_exists &&
           zk_fr_is_zero(&rec.step[1].pre_leaf) &&
           zk_bj_eq(&rec.step[1].post.pubkey, &newkey) &&
           u128_of(&rec.step[1].post_balance) == 777,
       "deposit creating: pre leaf 0, post key and balance");
    t = mk_deposit(42, 3, 1, &newkey);
    t.pubkey = pk_of(43);
    is_int(apply_both(st, &m, &t, &rec), 0,
           "deposit to an existing account with another key just credits");
    ok(zk_bj_eq(&rec.step[1].post.pubkey, &newkey), "and keeps the key");

    t = mk_transfer(1, 3, 0, 100, 7, n1++, 1);
    is_int(apply_both(st, &m, &t, &rec), 0, "transfer 1 -> 3");
    ok(rec.step[0].active && rec.step[1].active && rec.step[2].active &&
           rec.step[0].post.nonce == 1 &&
           u128_of(&rec.step[0].post_balance) == 1010 - 107 &&
           u128_of(&rec.step[2].post_balance) ==
               u128_of(&rec.step[2].pre_balance) + 7,
       "transfer: three active steps, nonce, debit, fee");

    t = mk_transfer(42, 1, 3, 77, 0, 0, 42);
    is_int(apply_both(st, &m, &t, &rec), 0,
           "transfer from the deposited account");
    t = mk_transfer(1, 1, 1, 50, 3, n1++, 1);
    is_int(apply_both(st, &m, &t, &rec), 0,
           "transfer to oneself (pays the fee, bumps the nonce)");
    ok(zk_fr_eq(&rec.step[1].pre_leaf, &rec.step[0].post_leaf) &&
           u128_of(&rec.step[1].pre_balance) ==
               u128_of(&rec.step[0].post_balance),
       "self-transfer: the recipient step reads the sender step's result");
    t = mk_transfer(0, 5, 2, 20, 1, n0++, 0);
    is_int(apply_both(st, &m, &t, &rec), 0, "transfer from the operator");
    t = mk_transfer(4, 0, 2, 20, 2, 0, 4);
    is_int(apply_both(st, &m, &t, &rec), 0, "transfer to the operator");
    t = mk_transfer(0, 0, 0, 5, 5, n0++, 0);
    is_int(apply_both(st, &m, &t, &rec), 0,
           "operator to itself: three steps on one account");
    ok(u128_of(&rec.step[2].post_balance) == u128_of(&rec.step[0].pre_balance),
       "and its balance is back where it was");
    t = mk_withdraw(3, 0, m.a[3].bal[0] - 1, 1, n3++, &l1, 3); /* all */
    is_int(apply_both(st, &m, &t, &rec), 0, "withdraw everything");
    ok(!rec.step[1].active && rec.step[1].index == 0 &&
           zk_fr_is_zero(&rec.step[0].post_balance),
       "withdraw: recipient step inactive at index 0; balance 0");
    t = mk_withdraw(0, 1, 10, 4, n0++, &l1, 0);
    is_int(apply_both(st, &m, &t, &rec), 0, "withdraw by the operator");
    t = tx_zero(ZK_ROLLUP_NOOP);
    is_int(apply_both(st, &m, &t, &rec), 0, "noop");
    ok(zk_fr_eq(&rec.old_root, &rec.new_root) && !rec.step[0].active &&
           !rec.step[1].active && !rec.step[2].active,
       "noop: root unchanged, no active step");
    ok(g_steps_ok, "every step: state = model (root and slots), record "
                   "paths verify, record_check accepts");
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
    t = mk_deposit(1, 0, 5, NULL);
    t.fee = fr_u64(1);
    refused(st, &m, &t, ZK_ROLLUP_UNUSED_FIELD, "deposit with a fee");
    t = mk_deposit(1, 0, 5, NULL);
    t.from = 2;
    refused(st, &m, &t, ZK_ROLLUP_UNUSED_FIELD, "deposit with a sender");
    t = mk_deposit(1, 0, 5, NULL);
    t.nonce = 1;
    refused(st, &m, &t, ZK_ROLLUP_UNUSED_FIELD, "deposit with a nonce");
    t = mk_deposit(1, 0, 5, NULL);
    t.l1_recipient = l1;
    refused(st, &m, &t, ZK_ROLLUP_UNUSED_FIELD, "deposit with an L1 address");
    t = mk_transfer(1, 2, 0, 5, 0, 0, 1);
    t.l1_recipient = l1;
    sign_as(&t, 1);
    refused(st, &m, &t, ZK_ROLLUP_UNUSED_FIELD, "transfer with an L1 address");
    t = mk_transfer(1, 2, 0, 5, 0, 0, 1);
    t.pubkey = pk_of(1);
    refused(st, &m, &t, ZK_ROLLUP_UNUSED_FIELD, "transfer with a pubkey");
    t = mk_withdraw(1, 0, 5, 0, 0, &l1, 1);
    t.to = 2;
    sign_as(&t, 1);
    refused(st, &m, &t, ZK_ROLLUP_UNUSED_FIELD, "withdraw with a recipient");

    /* ranges */
    t = mk_transfer(1, 256, 0, 5, 0, 0, 1);
    refused(st, &m, &t, ZK_ROLLUP_BAD_INDEX, "transfer to index 2^D");
    t = mk_transfer(1ull << 40, 1, 0, 5, 0, 0, 1);
    refused(st, &m, &t, ZK_ROLLUP_BAD_INDEX, "transfer from index 2^40");
    t = mk_deposit(256, 0, 5, NULL);
    t.pubkey = pk_of(9);
    refused(st, &m, &t, ZK_ROLLUP_BAD_INDEX, "deposit to index 2^D");
    t = mk_transfer(1, 2, 4, 5, 0, 0, 1);
    refused(st, &m, &t, ZK_ROLLUP_UNKNOWN_TOKEN, "token 2^T");
    t = mk_deposit(1, 1ull << 63, 5, NULL);
    refused(st, &m, &t, ZK_ROLLUP_UNKNOWN_TOKEN, "deposit token 2^63");
    t = mk_transfer(1, 2, 0, 0, 0, 0, 1);
    t.amount = fr_pow2(96);
    sign_as(&t, 1);
    refused(st, &m, &t, ZK_ROLLUP_AMOUNT_RANGE, "amount 2^96");
    t = mk_deposit(1, 0, 0, NULL);
    zk_fr_neg(&t.amount, tmpfr(5));
    refused(st, &m, &t, ZK_ROLLUP_AMOUNT_RANGE, "deposit amount -5 (p - 5)");
    t = mk_transfer(1, 2, 0, 1, 0, 0, 1);
    t.fee = fr_pow2(96);
    sign_as(&t, 1);
    refused(st, &m, &t, ZK_ROLLUP_FEE_RANGE, "fee 2^96");
    t = mk_transfer(1, 2, 0, 1, 0, 0, 1);
    zk_fr_neg(&t.fee, tmpfr(1));
    sign_as(&t, 1);
    refused(st, &m, &t, ZK_ROLLUP_FEE_RANGE, "fee -1 (p - 1)");
    zk_fr big = fr_pow2(160);
    t = mk_withdraw(1, 0, 5, 0, 0, &big, 1);
    refused(st, &m, &t, ZK_ROLLUP_L1_RANGE, "L1 recipient 2^160");

    /* accounts, nonces, signatures */
    t = mk_transfer(9, 2, 0, 5, 0, 0, 9);
    refused(st, &m, &t, ZK_ROLLUP_UNKNOWN_SENDER, "transfer from an empty slot");
    t = mk_withdraw(9, 0, 5, 0, 0, &l1, 9);
    refused(st, &m, &t, ZK_ROLLUP_UNKNOWN_SENDER, "withdraw from an empty slot");
    t = mk_transfer(1, 9, 0, 5, 0, 0, 1);
    refused(st, &m, &t, ZK_ROLLUP_UNKNOWN_RECIPIENT,
            "transfer to an empty slot");
    t = mk_transfer(1, 2, 0, 5, 0, 0, 3);
    refused(st, &m, &t, ZK_ROLLUP_BAD_SIGNATURE, "signed by another key");
    t = mk_transfer(1, 2, 0, 5, 0, 0, 1);
    t.amount = fr_u64(6);
    refused(st, &m, &t, ZK_ROLLUP_BAD_SIGNATURE, "amount changed after signing");
    t = mk_transfer(1, 2, 0, 5, 0, 0, 1);
    t.sig.s[0] ^= 1;
    refused(st, &m, &t, ZK_ROLLUP_BAD_SIGNATURE, "S changed");
    t = mk_withdraw(1, 0, 5, 0, 0, &l1, 1);
    t.l1_recipient = fr_u64(2);
    refused(st, &m, &t, ZK_ROLLUP_BAD_SIGNATURE,
            "withdraw redirected to another L1 address");
    t = mk_transfer(1, 2, 0, 5, 0, 1, 1);
    refused(st, &m, &t, ZK_ROLLUP_BAD_NONCE, "nonce from the future");
    t = mk_transfer(1, 2, 0, 5, 1, 0, 1);
    is_int(apply_both(st, &m, &t, NULL), 0, "a valid transfer");
    refused(st, &m, &t, ZK_ROLLUP_BAD_NONCE, "the same transfer replayed");

    /* balances */
    t = mk_transfer(3, 4, 0, 990, 11, 0, 3);
    refused(st, &m, &t, ZK_ROLLUP_OVERDRAFT, "amount + fee = balance + 1");
    t = mk_transfer(3, 4, 0, 0, 1001, 0, 3);
    refused(st, &m, &t, ZK_ROLLUP_OVERDRAFT, "fee alone > balance");
    t = mk_transfer(3, 4, 0, TWO96 - 1, TWO96 - 1, 0, 3);
    refused(st, &m, &t, ZK_ROLLUP_OVERDRAFT,
            "amount = fee = 2^96 - 1 (the difference wraps in Fr)");
    t = mk_withdraw(3, 1, 1001, 0, 0, &l1, 3);
    refused(st, &m, &t, ZK_ROLLUP_OVERDRAFT, "withdraw > balance");
    t = mk_transfer(3, 2, 0, 10, 0, 0, 3);
    refused(st, &m, &t, ZK_ROLLUP_RECIPIENT_OVERFLOW,
            "recipient reaching 2^96");
    t = mk_deposit(2, 0, 10, NULL);
    refused(st, &m, &t, ZK_ROLLUP_RECIPIENT_OVERFLOW, "deposit reaching 2^96");
    t = mk_transfer(3, 4, 1, 0, 10, 0, 3);
    refused(st, &m, &t, ZK_ROLLUP_OPERATOR_OVERFLOW, "operator reaching 2^96");
    t = mk_withdraw(3, 1, 0, 10, 0, &l1, 3);
    refused(st, &m, &t, ZK_ROLLUP_OPERATOR_OVERFLOW,
            "withdraw fee: operator reaching 2^96");

    /* new accounts */
    zk_bj id, off = pk_of(9), neg1;
    zk_bj_identity(&id);
    zk_fr_add(&off.x, &off.x, tmpfr(1));
    neg1.x = fr_u64(0);
    zk_fr_neg(&neg1.y, tmpfr(1));
    t = mk_deposit(9, 0, 5, &off);
    refused(st, &m, &t, ZK_ROLLUP_BAD_PUBKEY, "new account, key off the curve");
    t = mk_deposit(9, 0, 5, &id);
    refused(st, &m, &t, ZK_ROLLUP_BAD_PUBKEY, "new account, identity key");
    t = mk_deposit(9, 0, 5, &neg1);
    refused(st, &m, &t, ZK_ROLLUP_BAD_PUBKEY, "new account, key of order 2");
    t = mk_deposit(9, 0, 5, NULL);
    refused(st, &m, &t, ZK_ROLLUP_BAD_PUBKEY, "new account, key (0, 0)");

    /* the edges that are valid */
    t = mk_transfer(3, 2, 0, 4, 0, 0, 3);
    is_int(apply_both(st, &m, &t, NULL), 0, "recipient reaching 2^96 - 1");
    t = mk_transfer(3, 4, 1, 0, 9, 1, 3);
    is_int(apply_both(st, &m, &t, NULL), 0, "operator reaching 2^96 - 1");
    t = mk_transfer(4, 1, 2, 990, 10, 0, 4);
    is_int(apply_both(st, &m, &t, NULL), 0, "amount + fee = balance");
    t = mk_deposit(9, 3, TWO96 - 1, &neg1);
    t.pubkey = pk_of(9);
    is_int(apply_both(st, &m, &t, NULL), 0,
           "deposit of 2^96 - 1 creating an account");
    t = mk_transfer(4, 1, 2, 0, 0, 1, 4);
    is_int(apply_both(st, &m, &t, NULL), 0, "transfer of 0 with fee 0");

    /* nonce overflow: an account loaded with nonce 2^64 - 1 */
    zk_bj k = pk_of(7);
    is_int(zk_rollup_state_put(st, 7, &k, UINT64_MAX, NULL), ZK_OK,
           "put an account with nonce 2^64 - 1");
    m.a[7].exists = 1;
    m.a[7].pk = k;
    m.a[7].nonce = UINT64_MAX;
    t = mk_transfer(7, 1, 0, 0, 0, UINT64_MAX, 7);
    refused(st, &m, &t, ZK_ROLLUP_NONCE_OVERFLOW, "nonce 2^64 - 1");
    ok(g_steps_ok, "the valid ones: state = model, records verify");

    /* rule order: nonce before signature before balance */
    t = mk_transfer(3, 10, 0, 5000, 0, 5, 8);
    refused(st, &m, &t, ZK_ROLLUP_BAD_NONCE,
            "wrong nonce, key, balance and recipient: the nonce is named");
    t = mk_transfer(3, 10, 0, 5000, 0, 2, 8);
    refused(st, &m, &t, ZK_ROLLUP_BAD_SIGNATURE,
            "wrong key, balance and recipient: the signature is named");
    t = mk_transfer(3, 10, 0, 5000, 0, 2, 3);
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
    zk_rollup_tx t = mk_transfer(1, 3, 2, 100, 7, 0, 1);
    if (apply_both(st, &m, &t, &rec) != 0)
        bail_out("transfer");
    is_int(check_code(&rec, &why), ZK_OK, "a transfer's record is accepted");

    /* one tampering at a time: each must be refused */
    int all = 1, n = 0;
    for (int k = 0; k < 40; k++) {
        r = rec;
        int s = k % 3;
        zk_rollup_step *p = &r.step[s];
        switch (k / 3) {
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
            else if (s == 1) zk_fr_add(&r.new_root, &r.new_root, &one);
            else zk_fr_add(&r.msg, &r.msg, &one);
            break;
        default: /* k = 39: a nonzero entry past D */
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
        {0, "operator pre-balance not under its balance root"},
        {1, "operator pre-leaf not the hash of its fields"},
        {2, "operator pre-leaf not under root_before (a richer operator)"},
        {3, "operator post-balance not pre + fee"},
        {4, "operator post balance root not from the post-balance"},
        {5, "operator post-leaf not the hash of its fields"},
        {6, "operator root_after not from the post-leaf"},
    };
    for (size_t f = 0; f < sizeof forge / sizeof forge[0]; f++) {
        r = rec;
        zk_rollup_step *p = &r.step[2];
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
            rechain(&r, 2, 1);
        } else if (k == 3) {
            zk_fr_add(&p->post_balance, &p->post_balance, &X);
            fr_root(&p->post.balance_root, &p->post_balance, p->balance_path,
                    2, r.tx.token);
            rechain(&r, 2, 1);
        } else if (k == 4 || k == 5) {
            zk_fr more;
            zk_fr_add(&more, &p->post_balance, &X);
            zk_rollup_account acc = p->post;
            fr_root(&acc.balance_root, &more, p->balance_path, 2, r.tx.token);
            if (k == 4)
                p->post.balance_root = acc.balance_root;
            if (zk_rollup_account_leaf(&p->post_leaf, &acc))
                bail_out("leaf");
            rechain(&r, 2, 0);
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

    /* steps 1 and 2 replayed on the old root, as if step 0 (the debit)
     * had not happened: every step is right on its own, the chain is not */
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
        for (unsigned t2 = 1; t2 < 3; t2++) {
            zk_rollup_step *q = &r.step[t2];
            if (zk_merkle_tree_path(q->account_path, tr, q->index) != ZK_OK)
                bail_out("path");
            zk_merkle_tree_root(&q->root_before, tr);
            if (zk_merkle_tree_set(tr, q->index, &q->post_leaf) != ZK_OK)
                bail_out("set");
            zk_merkle_tree_root(&q->root_after, tr);
        }
        r.new_root = r.step[2].root_after;
        ok(zk_fr_eq(&r.step[1].root_before, &rec.old_root) &&
               check_code(&r, &why) == ZK_EVERIFY &&
               why == ZK_ROLLUP_BAD_RECORD,
           "forgery refused: recipient and operator steps on the old root "
           "(the debit dropped)");

        /* the fee paid to account 5 instead of the operator */
        r = rec;
        if (zk_merkle_tree_set(tr, 0, &rec.step[2].pre_leaf) != ZK_OK)
            bail_out("set"); /* the operator back as before step 2 */
        for (unsigned t2 = 0; t2 < 2; t2++)
            if (zk_merkle_tree_set(tr, r.step[t2].index,
                                   &r.step[t2].post_leaf) != ZK_OK)
                bail_out("set");
        zk_rollup_step *q = &r.step[2];
        zk_fr b[4] = {fr_u64(1050), fr_u64(1051), fr_u64(1052),
                      fr_u64(1053)}; /* account 5 (bal_1000) */
        q->index = 5;
        q->pre.pubkey = q->post.pubkey = pk_of(5);
        q->pre.nonce = q->post.nonce = 0;
        q->balance_path[0] = b[3];
        q->balance_path[1] = h2(&b[0], &b[1]);
        q->pre_balance = b[2];
        zk_fr_add(&q->post_balance, &b[2], tmpfr(7));
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
        ok(zk_fr_eq(&q->root_before, &rec.step[1].root_after) &&
               check_code(&r, &why) == ZK_EVERIFY &&
               why == ZK_ROLLUP_BAD_RECORD,
           "forgery refused: the fee credited to account 5, not the operator");
        zk_merkle_tree_free(tr);
        zk_rollup_state_free(s2);
    }

    /* a deposit creating an account whose balance tree is not empty:
     * token 1 created with a sibling token 0 holding 10^6 */
    {
        model m2;
        zk_rollup_state *s2 = genesis_both(&m2, 8, 2, 6, bal_1000);
        zk_bj k50 = pk_of(50);
        zk_rollup_tx d = mk_deposit(50, 1, 9, &k50);
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
        zk_rollup_tx t2 = mk_transfer(1, 3, 2, 101, 7, 0, 1);
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
    t = mk_deposit(50, 1, 9, &k);
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

#define NB 200

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
        t = mk_deposit(to, token, rnd() >> 30, &k);
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
        return mk_transfer(from, to, token, amount, fee, nonce, signer);
    }
    zk_fr l1 = fr_u128(((u128)rnd() << 64 | rnd()) >> 1);
    return mk_withdraw(from, token, amount, fee, nonce, &l1, signer);
}

static void sums(u128 *out, const zk_rollup_state *st)
{
    unsigned T = zk_rollup_state_token_depth(st);
    size_t n = zk_rollup_state_count(st);
    uint64_t *idx = malloc(n * sizeof *idx);
    if (!idx || zk_rollup_state_indices(idx, n, st) != ZK_OK)
        bail_out("indices");
    for (uint64_t t = 0; t < (1ull << T); t++) {
        out[t] = 0;
        for (size_t i = 0; i < n; i++) {
            zk_fr b;
            if (zk_rollup_state_balance(&b, st, idx[i], t) != ZK_OK)
                bail_out("balance");
            out[t] += u128_of(&b);
        }
    }
    free(idx);
}

static void test_batch(void)
{
    model m;
    uint64_t seed = g_rng;
    zk_rollup_state *st = genesis_both(&m, 8, 2, 20, bal_rand);
    outcome *out = calloc(NB, sizeof *out);
    zk_rollup_tx *txs = calloc(NB, sizeof *txs);
    if (!out || !txs)
        bail_out("oom");
    u128 s0[4], s1[4], dep[4] = {0}, wd[4] = {0};
    sums(s0, st);
    g_steps_ok = 1;
    int n_valid = 0, n_types[4] = {0}, conserve = 1;
    int n_rules[ZK_ROLLUP_RULE_COUNT] = {0};
    for (int i = 0; i < NB; i++) {
        txs[i] = random_tx(&m);
        memset(&out[i].rec, 0, sizeof out[i].rec);
        out[i].why = apply_both(st, &m, &txs[i], &out[i].rec);
        zk_rollup_state_root(&out[i].root, st);
        if (out[i].why == 0) {
            n_valid++;
            n_types[txs[i].type]++;
            if (txs[i].type == ZK_ROLLUP_DEPOSIT)
                dep[txs[i].token] += u128_of(&txs[i].amount);
            if (txs[i].type == ZK_ROLLUP_WITHDRAW)
                wd[txs[i].token] += u128_of(&txs[i].amount);
        } else {
            n_rules[out[i].why]++;
        }
        if (i % 50 == 49) {
            sums(s1, st);
            for (int t = 0; t < 4; t++)
                conserve &= s1[t] == s0[t] + dep[t] - wd[t];
        }
    }
    ok(g_steps_ok, "%d transactions: every decision, rule, root and slot as "
                   "the model; every record verifies",
       NB);
    ok(n_valid > 120 && n_valid < NB - 15 && n_types[1] > 10 &&
           n_types[2] > 40 && n_types[3] > 5 && n_types[0] > 3,
       "a real mix: %d valid (noop %d, deposit %d, transfer %d, withdraw %d)",
       n_valid, n_types[0], n_types[1], n_types[2], n_types[3]);
    diag("refusals: bad-nonce %d, bad-signature %d, overdraft %d, "
         "unknown-sender %d, unknown-recipient %d, other %d",
         n_rules[ZK_ROLLUP_BAD_NONCE], n_rules[ZK_ROLLUP_BAD_SIGNATURE],
         n_rules[ZK_ROLLUP_OVERDRAFT], n_rules[ZK_ROLLUP_UNKNOWN_SENDER],
         n_rules[ZK_ROLLUP_UNKNOWN_RECIPIENT],
         NB - n_valid - n_rules[ZK_ROLLUP_BAD_NONCE] -
             n_rules[ZK_ROLLUP_BAD_SIGNATURE] - n_rules[ZK_ROLLUP_OVERDRAFT] -
             n_rules[ZK_ROLLUP_UNKNOWN_SENDER] -
             n_rules[ZK_ROLLUP_UNKNOWN_RECIPIENT]);
    ok(conserve, "per token, the sum of all balances moves only by deposits "
                 "- withdrawals (checked every 50)");

    /* determinism: the same batch on a fresh genesis */
    g_rng = seed;
    model m2;
    zk_rollup_state *st2 = genesis_both(&m2, 8, 2, 20, bal_rand);
    int same = 1;
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
    }
    ok(same, "determinism: a second run gives the same decisions, roots and "
             "byte-identical records");
    zk_rollup_state_free(st2);
    zk_rollup_state_free(st);
    free(out);
    free(txs);
}

/* ------------------------------------------------------------ large */

static void test_large(unsigned D, unsigned T)
{
    zk_bj pks[3] = {pk_of(0), pk_of(1), pk_of(2)};
    zk_rollup_state *st;
    uint64_t far = (1ull << D) - 1;
    if (zk_rollup_state_genesis(&st, D, T, pks, 3, NULL) != ZK_OK)
        bail_out("genesis");
    zk_rollup_rule why;
    zk_rollup_record rec;
    zk_fr l1 = fr_u64(12345), prev;
    uint64_t tmax = (1ull << T) - 1;
    zk_rollup_tx txs[8];
    int n = 0;
    zk_bj kf = pk_of(far);
    txs[n++] = mk_deposit(far, tmax, 1000000, &kf);
    txs[n++] = mk_deposit(1, 0, 5000, NULL);
    txs[n++] = mk_transfer(far, 1, tmax, 1000, 10, 0, far);
    txs[n++] = mk_transfer(1, far / 2, 0, 1000, 10, 0, 1); /* empty: refused */
    txs[n++] = mk_transfer(1, 2, 0, 1000, 10, 0, 1);
    txs[n++] = mk_withdraw(far, tmax, 500, 1, 1, &l1, far);
    txs[n++] = mk_transfer(far, far, tmax, 5, 1, 2, far);
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
    zk_rollup_tx t = mk_deposit(far + 1, 0, 1, &kf);
    ok(zk_rollup_state_apply(&rec, &why, st, &t) == ZK_EVERIFY &&
           why == ZK_ROLLUP_BAD_INDEX,
       "D=%u: index 2^D refused", D);
    zk_rollup_state_free(st);
}

int main(void)
{
    clock_t c0 = clock();
    test_names();
    test_fits();
    test_message();
    test_genesis();
    test_each_type();
    test_rules();
    test_record_check();
    test_batch();
    test_large(20, 4);
    test_large(32, 3);
    diag("%.2f s CPU", (double)(clock() - c0) / CLOCKS_PER_SEC);
    return done_testing();
}
